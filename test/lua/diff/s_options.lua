-- getoption/setoption: names, values, bad values, unsupported names, sockets without a family.
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
