-- getoption/setoption: every option LuaSocket 3.1 accepts (names, values, bad values), the
-- get-only "error" (the pending error after a non-blocking connect), the set-only Linux options
-- (tcp-defer-accept, tcp-fastopen, tcp-fastopen-connect: ltcp can read them back, a deliberate
-- difference), unsupported names, sockets without a family.
local names = { "keepalive", "linger", "reuseaddr", "tcp-nodelay", "tcp-keepidle", "tcp-keepcnt",
  "tcp-keepintvl", "recv-buffer-size", "send-buffer-size" }
local m4, m6 = socket.tcp4(), socket.tcp6()
for _, o in ipairs(names) do
  P("getoption4 " .. o, m4.getoption, m4, o)
  P("getoption6 " .. o, m6.getoption, m6, o)
end
R("getoption reuseport", m4:getoption("reuseport"))
PX("getoption ipv6-v6only", m6.getoption, m6, "ipv6-v6only")
P("getoption bogus", m4.getoption, m4, "bogus")
P("getoption none", m4.getoption, m4)
P("getoption number", m4.getoption, m4, 1)
P("setoption bogus", m4.setoption, m4, "bogus", true)
P("setoption none", m4.setoption, m4)

local a, c = pair()
for _, o in ipairs { "keepalive", "reuseaddr", "tcp-nodelay" } do
  R("setoption " .. o .. " true", a:setoption(o, true))
  R("getoption " .. o, a:getoption(o))
  R("setoption " .. o .. " false", a:setoption(o, false))
  R("getoption " .. o, a:getoption(o))
  P("setoption " .. o .. " nil", a.setoption, a, o)
  P("setoption " .. o .. " 1", a.setoption, a, o, 1)
  P("setoption " .. o .. " str", a.setoption, a, o, "yes")
end
for _, o in ipairs { "tcp-keepidle", "tcp-keepcnt", "tcp-keepintvl" } do
  R("setoption " .. o .. " 7", a:setoption(o, 7))
  R("getoption " .. o, a:getoption(o))
  R("setoption " .. o .. " '8'", a:setoption(o, "8"))
  R("getoption " .. o, a:getoption(o))
  R("setoption " .. o .. " 9.7", a:setoption(o, 9.7))
  R("getoption " .. o, a:getoption(o))
  R("setoption " .. o .. " true", a:setoption(o, true))
  R("setoption " .. o .. " 0", a:setoption(o, 0))
  R("setoption " .. o .. " -1", a:setoption(o, -1))
end
-- keepalive tuning (issue 14): limits, order of the calls, keepalive state, master and server
for _, o in ipairs { "tcp-keepidle", "tcp-keepintvl", "tcp-keepcnt" } do
  for _, v in ipairs { 1, 127, 128, 255, 32767, 32768, 2147483647 } do
    R("setoption " .. o .. " " .. v, a:setoption(o, v))
    R("getoption " .. o .. " after " .. v, a:getoption(o))
  end
end
R("setoption keepalive off", a:setoption("keepalive", false))
R("setoption tcp-keepidle 11", a:setoption("tcp-keepidle", 11))
R("setoption tcp-keepintvl 12", a:setoption("tcp-keepintvl", 12))
R("getoption tcp-keepidle keeps", a:getoption("tcp-keepidle"))
R("getoption keepalive untouched", a:getoption("keepalive"))
R("setoption keepalive on", a:setoption("keepalive", true))
R("getoption tcp-keepidle after on", a:getoption("tcp-keepidle"))
R("getoption tcp-keepintvl after on", a:getoption("tcp-keepintvl"))
local km = socket.tcp4()
R("master setoption tcp-keepidle", km:setoption("tcp-keepidle", 21))
R("master setoption tcp-keepcnt", km:setoption("tcp-keepcnt", 3))
R("master getoption tcp-keepidle", km:getoption("tcp-keepidle"))
R("master getoption tcp-keepcnt", km:getoption("tcp-keepcnt"))
km:close()
local ks = socket.bind("127.0.0.1", 0)
R("server setoption tcp-keepintvl", ks:setoption("tcp-keepintvl", 23))
R("server getoption tcp-keepintvl", ks:getoption("tcp-keepintvl"))
local _, kport = ks:getsockname()
local kc = socket.connect("127.0.0.1", kport)
local ka = ks:accept()
R("accepted getoption tcp-keepintvl", ka:getoption("tcp-keepintvl"))
R("connected getoption tcp-keepintvl", kc:getoption("tcp-keepintvl"))
ka:close(); kc:close(); ks:close()
P("closed getoption tcp-keepidle", ks.getoption, ks, "tcp-keepidle")

R("setoption linger", a:setoption("linger", { on = true, timeout = 3 }))
R("getoption linger", a:getoption("linger"))
R("setoption linger off", a:setoption("linger", { on = false, timeout = 0 }))
R("getoption linger", a:getoption("linger"))
R("setoption linger str timeout", a:setoption("linger", { on = true, timeout = "4" }))
R("getoption linger", a:getoption("linger"))
P("setoption linger number", a.setoption, a, "linger", 1)
P("setoption linger no timeout", a.setoption, a, "linger", { on = true })
P("setoption linger no on", a.setoption, a, "linger", { timeout = 1 })
P("setoption linger on number", a.setoption, a, "linger", { on = 1, timeout = 1 })
R("setoption recv-buffer-size", a:setoption("recv-buffer-size", 65536))
R("getoption recv-buffer-size", V(a:getoption("recv-buffer-size")))
R("setoption send-buffer-size", a:setoption("send-buffer-size", 65536))
R("getoption send-buffer-size", V(a:getoption("send-buffer-size")))
R("setoption v6only on inet4", a:setoption("ipv6-v6only", true))
R("setoption v6only on inet6", m6:setoption("ipv6-v6only", false))

-- no family chosen yet: no socket, so options fail softly
local u = socket.tcp()
R("setoption unspec", u:setoption("reuseaddr", true))
R("getoption unspec", u:getoption("reuseaddr"))
R("setoption server", socket.bind("127.0.0.1", 0):setoption("reuseaddr", true))
a:close()
c:close()

-- reuseport, set and read back
local r4 = socket.tcp4()
R("setoption reuseport true", r4:setoption("reuseport", true))
R("getoption reuseport", r4:getoption("reuseport"))
R("setoption reuseport false", r4:setoption("reuseport", false))
R("getoption reuseport", r4:getoption("reuseport"))
P("setoption reuseport 1", r4.setoption, r4, "reuseport", 1)
r4:close()

-- "error": get-only; nil (one value) when nothing is pending, the message when something is
P("getoption error unspec", u.getoption, u, "error")
local e4 = socket.tcp4()
P("getoption error master", e4.getoption, e4, "error")
P("setoption error", e4.setoption, e4, "error", 1)
P("setoption error no value", e4.setoption, e4, "error")
local srv = assert(socket.bind("127.0.0.1", 0))
P("getoption error server", srv.getoption, srv, "error")
local a2, c2 = pair()
P("getoption error client", c2.getoption, c2, "error")
P("getoption error accepted", a2.getoption, a2, "error")
c2:close()
P("getoption error closed", c2.getoption, c2, "error")
a2:close()
local d = socket.tcp()
d:settimeout(0)
R("connect refused, non-blocking", d:connect("127.0.0.1", deadport()))
socket.select(nil, { d }, 2)
P("getoption error after refused", d.getoption, d, "error")
P("getoption error again", d.getoption, d, "error")
d:close()

-- the Linux-only options LuaSocket sets but cannot read (integer options through tonumber)
local values = { 5, 0, -1, "7", "x", true, false, 2.9 }
local a3, c3 = pair()
for _, o in ipairs { "tcp-defer-accept", "tcp-fastopen" } do
  for _, v in ipairs(values) do
    P("setoption " .. o .. " " .. tostring(v), srv.setoption, srv, o, v)
  end
  P("setoption " .. o .. " nil", srv.setoption, srv, o)
  P("setoption " .. o .. " unspec", u.setoption, u, o, 5)
  P("setoption " .. o .. " client", a3.setoption, a3, o, 3)
  PX("getoption " .. o, srv.getoption, srv, o)
end
local f4 = socket.tcp4()
for _, v in ipairs { 1, 0, 2, -1, "1", "x", {} } do
  P("setoption tcp-fastopen-connect " .. type(v) .. " " .. tostring(v):gsub("0x%x+", ""),
    f4.setoption, f4, "tcp-fastopen-connect", v)
end
-- a boolean: both return 1; LuaSocket sets 0 for true (tonumber), ltcp sets 1
P("setoption tcp-fastopen-connect true", f4.setoption, f4, "tcp-fastopen-connect", true)
PX("getoption tcp-fastopen-connect", f4.getoption, f4, "tcp-fastopen-connect")
P("setoption tcp-fastopen-connect false", f4.setoption, f4, "tcp-fastopen-connect", false)
P("setoption tcp-fastopen-connect on a server", srv.setoption, srv, "tcp-fastopen-connect", 1)
P("setoption tcp-fastopen-connect unspec", u.setoption, u, "tcp-fastopen-connect", 1)
P("setoption bindtodevice (not in 3.1)", f4.setoption, f4, "bindtodevice", "lo")
f4:close()
srv:close()
a3:close()
c3:close()
