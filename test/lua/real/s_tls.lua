-- modes: standalone (LuaSec over ltcp.compat alone, LuaSocket hidden: compat's own SIGPIPE rule)
-- LuaSec over the socket module's TCP objects, against OpenSSL's own tools, with a certificate
-- made now: ssl.wrap of a client in client mode against `openssl s_server -rev` (line, count,
-- '*l' of a 12 kB line, '*a' after the server closes), a write after the peer process is gone
-- (returns nil and an error; the process must survive: OpenSSL writes to the descriptor itself,
-- so only an ignored SIGPIPE saves it), ssl.wrap in server mode after accept against
-- `openssl s_client` in both directions, and ssl.https.request against `openssl s_server -WWW`.
local R = dofile((arg[0]:match("^(.*[/\\])") or "") .. "real.lua")
local socket = R.socket()
local ok_ssl, ssl = pcall(require, "ssl")
if not ok_ssl then R.skip("LuaSec (ssl) is not installed for " .. _VERSION) end

-- SIGPIPE's disposition, from the kernel's view of this process (Linux: SigIgn, bit 13 - 1).
local function sigpipe_ignored()
  local status = R.readfile("/proc/self/status") or ""
  local hex = status:match("SigIgn:%s*(%x+)")
  if not hex then return "unknown" end
  local low = tonumber(hex:sub(-4), 16) -- signals 1..16
  return math.floor(low / 4096) % 2 == 1
end

-- s_server prints "ACCEPT <host>:<port>" once it listens. dir: its working directory.
local function openssl_server(args, dir)
  local cmd = "openssl s_server -accept 127.0.0.1:0 " .. args
  if dir then cmd = "sh -c " .. R.shquote("cd " .. R.shquote(dir) .. " && exec " .. cmd) end
  local h = R.spawn(cmd)
  for _ = 1, 20 do
    local line = h:line()
    if not line then break end
    local port = line:match("^ACCEPT 127%.0%.0%.1:(%d+)")
    if port then
      h.port = tonumber(port)
      return h
    end
  end
  error("openssl s_server did not start: " .. h:wait())
end

R.main(function()
R.out("sigpipe ignored", sigpipe_ignored())
local cert, key = R.cert()
local client_params = { mode = "client", protocol = "any", verify = "none", options = "all" }
local server_params = { mode = "server", protocol = "any", verify = "none", options = "all",
  certificate = cert, key = key }

-- ---- client mode against openssl s_server -rev (it sends every line back reversed) ----
local srv = openssl_server("-rev -naccept 1 -cert " .. R.shquote(cert) .. " -key " .. R.shquote(key))
local tcp = assert(socket.tcp())
tcp:settimeout(10)
R.out("connect", tcp:connect("127.0.0.1", srv.port))
local s = assert(ssl.wrap(tcp, client_params))
R.out("plain object gave its descriptor away", tcp:getfd() == -1)
s:settimeout(10)
R.out("client handshake", s:dohandshake())
R.out("send line", s:send("hello world\n"))
R.out("receive line", s:receive())
R.out("send count", s:send("abcdef\n"))
R.out("receive 3", s:receive(3))
R.out("receive rest", s:receive("*l"))
local long = R.body(12000):gsub("\n", " ") -- s_server -rev reads lines of up to 16 kB
R.out("send long line", s:send(long .. "\n"))
local back = s:receive("*l")
R.eq(back, long:reverse(), "reversed long line")
R.out("long line back", #back, R.adler32(back))
R.out("send CLOSE", s:send("CLOSE\n")) -- s_server -rev ends the connection on this line
R.out("receive all after close", s:receive("*a"))

-- ---- the peer is gone: writes must fail, never kill the process ----
srv:kill()
local result
for i = 1, 500 do
  result = { s:send(("w"):rep(4096)) }
  if not result[1] then break end
  if i % 10 == 0 then socket.sleep(0.01) end
end
R.check(result[1] == nil, "writes to a dead peer kept succeeding")
-- LuaSec says "closed" for ECONNRESET and the system's text for EPIPE, whichever the kernel
-- reports first: the same on every implementation, but not the same from run to run.
R.out("write after peer closed", result[1], result[2] == "closed" or result[2] == "Broken pipe")
s:close()
R.out("still alive", true)

-- ---- server mode after accept, against openssl s_client ----
local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
server:settimeout(10)
local input = "line one\nline two\n" .. ("z"):rep(50000) .. "tail without newline"
R.writefile(R.tmp .. "/in.txt", input)
-- -no_ign_eof: s_client closes its side once its input ends (so the server sees the end)
local cl = R.spawn("openssl s_client -connect 127.0.0.1:" .. port ..
  " -quiet -no_ign_eof < " .. R.shquote(R.tmp .. "/in.txt"), { stderr = "/dev/null" })
local a = assert(server:accept())
local ss = assert(ssl.wrap(a, server_params))
ss:settimeout(10)
R.out("server handshake", ss:dohandshake())
R.out("server receive line", ss:receive())
R.out("server receive 4", ss:receive(4))
R.out("server receive rest of line", ss:receive("*l"))
local zs = ss:receive(50000)
R.eq(zs, ("z"):rep(50000), "50000 bytes")
R.out("server receive 50000", #zs)
R.out("server receive all", ss:receive("*a"))
ss:close()
cl:wait()

-- the other direction: the server writes, s_client prints it, the server closes
local cl2 = R.spawn("openssl s_client -connect 127.0.0.1:" .. port .. " -quiet < /dev/null",
  { stderr = "/dev/null" })
local a2 = assert(server:accept())
local ss2 = assert(ssl.wrap(a2, server_params))
ss2:settimeout(10)
R.out("server handshake 2", ss2:dohandshake())
local reply = R.body(200000)
R.out("server send", ss2:send(reply))
ss2:close()
local printed = cl2:wait()
R.eq(printed, reply, "what s_client received")
R.out("client printed", #printed, R.adler32(printed))
server:close()

-- ---- ssl.https.request against openssl s_server -WWW (files of its working directory) ----
if R.impl ~= "standalone" then -- needs socket.http: LuaSocket's Lua files
  local https = require "ssl.https"
  local page = R.body(30000)
  os.execute("mkdir -p " .. R.shquote(R.tmp .. "/www"))
  R.writefile(R.tmp .. "/www/page.txt", page)
  -- -WWW serves the files of its working directory
  local web = openssl_server("-WWW -naccept 2 -cert " .. R.shquote(cert) .. " -key " ..
    R.shquote(key), R.tmp .. "/www")
  local body, code, headers, status = https.request("https://127.0.0.1:" .. web.port .. "/page.txt")
  R.eq(body, page, "https body")
  R.out("https", code, status, #body, R.adler32(body), headers["content-type"])
  local t = {}
  local ok, code2 = https.request { url = "https://127.0.0.1:" .. web.port .. "/page.txt",
    sink = require("ltn12").sink.table(t) }
  R.eq(table.concat(t), page, "https body through a sink")
  R.out("https table form", ok, code2)
  web:kill()
end
end)
