-- Options through the binding: values read back, LuaSocket's value checks, v6only readable.
local H = dofile((arg[0]:match("^(.*[/\\])") or "") .. "harness.lua")
local ltcp = H.setup()

H.test("boolean options read back", function()
  local a, c, s = H.pair()
  for _, o in ipairs { "keepalive", "tcp-nodelay", "reuseaddr" } do
    H.eq(c:setoption(o, true), 1, o)
    H.eq(c:getoption(o), true, o)
    H.eq(c:setoption(o, false), 1, o)
    H.eq(c:getoption(o), false, o)
    H.raises("boolean expected", c.setoption, c, o, 1)
  end
  a:close(); c:close(); s:close()
end)

H.test("linger table and integer options", function()
  local m = ltcp.tcp4()
  H.eq(m:setoption("linger", { on = true, timeout = 2 }), 1)
  local l = m:getoption("linger")
  H.eq(l.on, true); H.eq(l.timeout, 2)
  if math.type then H.eq(math.type(l.timeout), "integer", "linger timeout") end
  H.raises("boolean 'on' field expected", m.setoption, m, "linger", { timeout = 1 })
  H.raises("number 'timeout' field expected", m.setoption, m, "linger", { on = true })
  -- Windows: TCP_KEEPIDLE, or SIO_KEEPALIVE_VALS with the value remembered (Wine takes that path)
  H.eq(m:setoption("tcp-keepidle", 30), 1)
  H.eq(m:getoption("tcp-keepidle"), 30)
  H.eq(m:setoption("tcp-keepintvl", 4), 1)
  H.eq(m:getoption("tcp-keepintvl"), 4)
  H.eq(m:getoption("tcp-keepidle"), 30)
  H.same(H.pack(m:setoption("tcp-keepidle", 0)), H.pack(nil, "setsockopt failed"))
  H.raises("unsupported option `nope'", m.getoption, m, "nope")
  m:close()
end)

H.test("no socket yet: options fail softly", function()
  local m = ltcp.tcp()
  H.same(H.pack(m:setoption("reuseaddr", true)), H.pack(nil, "setsockopt failed"))
  H.same(H.pack(m:getoption("reuseaddr")), H.pack(nil, "getsockopt failed"))
  m:close()
end)

H.test("ipv6-v6only is readable (an ltcp extension)", function()
  local m6 = ltcp.tcp6()
  if not m6 then H.skip("no IPv6 sockets") end
  H.eq(m6:getoption("ipv6-v6only"), true)
  H.eq(m6:setoption("ipv6-v6only", false), 1)
  H.eq(m6:getoption("ipv6-v6only"), false)
  m6:close()
end)

H.run()
