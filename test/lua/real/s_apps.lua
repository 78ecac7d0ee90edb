-- Third-party LuaSocket applications from Debian, unchanged: lua-xmlrpc's client
-- (xmlrpc.http over socket.http) against Python's own XML-RPC server, and lua-logging's socket
-- and email appenders (socket.connect; socket.smtp) against a TCP sink and the SMTP sink. Each
-- part runs where Debian packages that library for this Lua version (xmlrpc: 5.1 and LuaJIT;
-- logging: 5.1, 5.2 and LuaJIT) and says so where it does not; with neither, the scenario skips.
local R = dofile((arg[0]:match("^(.*[/\\])") or "") .. "real.lua")
local socket = R.socket()
local has_xmlrpc, xhttp = pcall(require, "xmlrpc.http")
local has_logging = pcall(require, "logging")
if not has_xmlrpc and not has_logging then
  R.skip("neither lua-xmlrpc nor lua-logging is packaged for " .. _VERSION)
end

R.main(function()
if has_xmlrpc then
  local srv = R.server("xmlrpc")
  local url = "http://127.0.0.1:" .. srv.port .. "/RPC2"
  R.out("xmlrpc add", xhttp.call(url, "add", 2, 40))
  local ok, v = xhttp.call(url, "echo", "hello world")
  R.out("xmlrpc echo string", ok, v)
  local ok2, st = xhttp.call(url, "echo", { name = "ltcp", n = 3 })
  R.out("xmlrpc echo struct", ok2, type(st), st and st.name, st and st.n)
  local ok3, big = xhttp.call(url, "big", 200000)
  R.eq(big, R.body(200000), "xmlrpc big string")
  R.out("xmlrpc big", ok3, #big, R.adler32(big))
  local ok4, fault = xhttp.call(url, "fail", "on purpose")
  R.out("xmlrpc fault", ok4, tostring(type(fault) == "table" and fault.faultString or fault)
    :match("on purpose"))
  srv:kill()
else
  R.out("xmlrpc", "not packaged for this Lua")
end

if has_logging then
  local logging = require "logging"
  require "logging.socket"
  require "logging.email"
  local sinkdir = R.tmp .. "/sink"
  os.execute("mkdir -p " .. R.shquote(sinkdir))
  local sink = R.server("sink", sinkdir)
  local log = logging.socket("127.0.0.1", sink.port, "%level %message\n")
  R.out("log info", log:info("first message"))
  R.out("log warn", log:warn("second message"))
  R.out("log debug table", log:debug({ key = "value" }))
  local got = {}
  R.check(R.waitfor(socket, function()
    for i = 1, 3 do got[i] = got[i] or R.readfile(sinkdir .. "/conn-" .. i) end
    return got[1] and got[2] and got[3]
  end, 5), "the sink did not get three connections")
  table.sort(got)
  R.out("sink received", got[1], got[2], got[3])
  local dead = logging.socket("127.0.0.1", R.deadport(socket), "%message")
  R.out("log to nobody", dead:error("lost"))

  local smtpdir = R.tmp .. "/mail"
  os.execute("mkdir -p " .. R.shquote(smtpdir))
  local smtp = R.server("smtp", smtpdir)
  local mail = logging.email { from = "<logger@example.org>", rcpt = "<ops@example.org>",
    server = "127.0.0.1", port = smtp.port, logPattern = "%level: %message",
    headers = { subject = "[%level] alert" } }
  R.out("log email", mail:error("disk full"))
  local text = R.readfile(smtpdir .. "/msg-1.txt") or ""
  R.out("email envelope", text:match("^(MAIL [^\n]*\nRCPT [^\n]*)\n"))
  R.out("email subject", text:match("\n[Ss]ubject: ([^\r\n]*)"))
  R.out("email body", text:match("\r\n\r\n(.*)$"))
  sink:kill()
  smtp:kill()
else
  R.out("logging", "not packaged for this Lua")
end
end)
