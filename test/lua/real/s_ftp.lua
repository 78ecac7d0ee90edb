-- socket.ftp (over socket.tp, ltn12, socket.lua's bind, sinks and sources) against a local FTP
-- server (servers.py ftp): get and put by URL (EPSV: the client connects the data channel), a
-- missing file, the table form with a sink, ftp.command, and an active-mode session (EPRT: the
-- client listens with socket.bind and accepts the server's data connection). Files are checked
-- by content on both ends (the server reports length and Adler-32 of what it stored).
local R = dofile((arg[0]:match("^(.*[/\\])") or "") .. "real.lua")
local socket = R.socket()
local ftp = require "socket.ftp"
local ltn12 = require "ltn12"

R.main(function()
local root = R.tmp .. "/ftp"
os.execute("mkdir -p " .. R.shquote(root))
local file = R.body(150000)
R.writefile(root .. "/file.bin", file)
local srv = R.server("ftp", root)
local base = "ftp://user:secret@127.0.0.1:" .. srv.port

local got, err = ftp.get(base .. "/file.bin;type=i")
R.eq(got, file, "ftp.get body")
R.out("get", #got, R.adler32(got), err)

local up = R.body(90000):reverse()
R.out("put", ftp.put(base .. "/up.bin;type=i", up))
R.eq(R.readfile(root .. "/up.bin"), up, "what the server stored")

R.out("get missing", ftp.get(base .. "/nothere.bin"))

local t = {}
R.out("get table form", ftp.get { host = "127.0.0.1", port = srv.port, user = "u",
  password = "p", path = "/file.bin", type = "i", sink = ltn12.sink.table(t) })
R.eq(table.concat(t), file, "table-form body")

R.out("command size", ftp.command { host = "127.0.0.1", port = srv.port, user = "u",
  password = "p", command = "size", argument = "file.bin", check = "213" })

-- active mode through the session API: the client binds, the server connects back
local f = ftp.open("127.0.0.1", srv.port)
R.out("greet", f:greet())
R.out("login", f:login("u", "p"))
R.out("type", f:type("i"))
R.out("eprt", f:eprt("1"))
R.out("server class", tostring(f.server):match("^[^:]+"))
local t2 = {}
R.out("receive", f:receive { path = "file.bin", sink = ltn12.sink.table(t2) })
R.eq(table.concat(t2), file, "active-mode body")
R.out("quit", f:quit())
R.out("close", f:close())

srv:kill()
end)
