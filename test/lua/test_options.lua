-- Options through the binding: values read back, LuaSocket's value checks, v6only readable, the
-- options LuaSocket 3.1 added ("error", tcp-defer-accept, tcp-fastopen, tcp-fastopen-connect)
-- and a finite _SETSIZE.
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

H.test("getoption('error'): nil when nothing is pending, the message after a failed connect", function()
  local a, c, s = H.pair()
  H.same(H.pack(c:getoption("error")), H.pack(nil))
  H.same(H.pack(s:getoption("error")), H.pack(nil))
  H.raises("unsupported option `error'", c.setoption, c, "error", 1)
  a:close(); c:close()
  local _, p = s:getsockname()
  s:close() -- nobody listens on p now
  local d = ltcp.tcp()
  d:settimeout(0)
  local ok, err = d:connect("127.0.0.1", tonumber(p))
  if ok == nil and err == "timeout" then
    ltcp.select(nil, { d }, 10) -- Windows reports the refusal after its retries
    H.eq(d:getoption("error"), "connection refused")
    if not H.windows then H.same(H.pack(d:getoption("error")), H.pack(nil), "cleared") end
  else
    H.eq(err, "connection refused")
  end
  d:close()
  H.same(H.pack(d:getoption("error")), H.pack(nil, "getsockopt failed"))
  H.same(H.pack(ltcp.tcp():getoption("error")), H.pack(nil, "getsockopt failed"))
end)

H.test("tcp-defer-accept, tcp-fastopen, tcp-fastopen-connect (Linux; not supported elsewhere)", function()
  local s = assert(ltcp.bind("127.0.0.1", 0))
  local m = ltcp.tcp4()
  local linux = not H.windows and io.open("/proc/sys/net/ipv4/tcp_fastopen") ~= nil
  if linux then
    H.eq(s:setoption("tcp-defer-accept", 5), 1)
    H.ok(s:getoption("tcp-defer-accept") > 0, "defer-accept reads back")
    H.eq(s:setoption("tcp-fastopen", 4), 1)
    H.eq(s:getoption("tcp-fastopen"), 4)
    H.eq(m:setoption("tcp-fastopen-connect", true), 1)
    H.eq(m:getoption("tcp-fastopen-connect"), true)
    H.eq(m:setoption("tcp-fastopen-connect", 0), 1)
    H.eq(m:getoption("tcp-fastopen-connect"), false)
    H.same(H.pack(m:setoption("tcp-fastopen-connect", 2)), H.pack(nil, "setsockopt failed"))
  else
    for _, o in ipairs { "tcp-defer-accept", "tcp-fastopen" } do
      H.same(H.pack(s:setoption(o, 5)), H.pack(nil, "setsockopt failed"), o)
      H.same(H.pack(s:getoption(o)), H.pack(nil, "getsockopt failed"), o)
    end
    H.same(H.pack(m:setoption("tcp-fastopen-connect", true)), H.pack(nil, "setsockopt failed"))
  end
  s:close(); m:close()
end)

H.test("_SETSIZE is finite: the descriptor limit when the module was loaded", function()
  H.eq(math.type and math.type(ltcp._SETSIZE) or type(ltcp._SETSIZE),
    math.type and "integer" or "number")
  H.ok(ltcp._SETSIZE > 0 and ltcp._SETSIZE < 2 ^ 31 - 1, "finite")
  if H.windows then H.eq(ltcp._SETSIZE, 16384) end
  local f = not H.windows and io.popen("ulimit -n 2>/dev/null")
  local lim = f and tonumber(f:read("*l"))
  if f then f:close() end
  -- a shell started from here reports the same limit (valgrind keeps a few descriptors for
  -- itself and lowers the limit its guest sees, so allow a little less)
  if lim then H.ok(ltcp._SETSIZE <= lim and ltcp._SETSIZE > lim - 64, "ulimit -n: " .. lim) end
end)

H.run()
