-- Happy Eyeballs through Lua: a LuaSocket-style program that connects to "localhost" (::1 first,
-- then 127.0.0.1, from the hosts file) while ::1 is black-holed gets the race with no change:
-- connected in about the 0.25 s delay, not after its timeout. The black hole is a ::1 listener
-- whose accept queue is full. Where localhost does not resolve to both, or the system answers a
-- full queue with a reset (Windows), the cases that need it are skipped with the reason.
local H = dofile((arg[0]:match("^(.*[/\\])") or "") .. "harness.lua")
local ltcp = H.setup()

local SLACK = 1.0 * (tonumber(os.getenv("CK_TIMEOUT_MULTIPLIER") or "") or 1)
local DELAY = 0.25

-- A listener on host:port (0: any) whose accept queue is full; nil, reason when there is none.
local function black_hole(host, port)
  local new = host:find(":") and ltcp.tcp6 or ltcp.tcp4
  local s = assert(new())
  if not s:bind(host, port or 0) then s:close(); return nil, "cannot bind " .. host end
  assert(s:listen(0))
  local _, p = s:getsockname()
  p = tonumber(p)
  local fill, err = {}
  for _ = 1, 64 do
    local c = assert(new())
    fill[#fill + 1] = c
    c:settimeout(0.1)
    local ok
    ok, err = c:connect(host, p)
    if not ok then break end
  end
  local function close()
    for _, c in ipairs(fill) do c:close() end
    s:close()
  end
  if err ~= "timeout" then
    close()
    return nil, "no loopback black hole here (a full accept queue gave " .. tostring(err) .. ")"
  end
  return { port = p, close = close }
end

-- localhost must resolve to ::1 first and 127.0.0.1 after it.
local function localhost_is_dual()
  local addrs = ltcp.dns.getaddrinfo("localhost")
  if not addrs then return false end
  local v6, v4
  for i, a in ipairs(addrs) do
    if a.addr == "::1" and not v6 then v6 = i end
    if a.addr == "127.0.0.1" and not v4 then v4 = i end
  end
  return v6 == 1 and v4 ~= nil
end

-- The scene: ::1 black-holed and 127.0.0.1 listening, on one port. Skips when it cannot be set.
local function scene()
  if not H.has_ipv6() then H.skip("no usable ::1") end
  if not localhost_is_dual() then H.skip("localhost does not resolve to ::1, then 127.0.0.1") end
  local hole, why = black_hole("::1")
  if not hole then H.skip(why) end
  local server = assert(ltcp.bind("127.0.0.1", hole.port))
  server:settimeout(5)
  return hole, server, hole.port
end

local race_ok = false -- the bounded connect raced: the unbounded one may run

local function timed(f, ...)
  local t0 = ltcp.gettime()
  local r = H.pack(f(...))
  return ltcp.gettime() - t0, r
end

H.test("tcp():settimeout(3) then connect: about the delay, not the timeout", function()
  local socket = require "ltcp.compat"
  local hole, server, port = scene()
  local c = socket.tcp()
  c:settimeout(3)
  H.eq(c:getconnectdelay(), DELAY, "default delay")
  local dt, r = timed(c.connect, c, "localhost", port)
  H.eq(r[1], 1, "connect: " .. tostring(r[2]))
  H.ok(dt < DELAY + SLACK, ("connected after %.3f s with settimeout(3)"):format(dt))
  c:close(); server:close(); hole.close()
  race_ok = true
end)

H.test("socket.connect to a name whose first address is black-holed", function()
  local socket = require "ltcp.compat"
  local hole, server, port = scene()
  -- Without a race this call would block for minutes (the kernel's SYN retries): not run then.
  if not race_ok then error("not run: the bounded case before it failed") end
  local dt, r = timed(socket.connect, "localhost", port) -- no timeout at all, as LuaSocket programs do
  local c = H.ok(r[1], "connect: " .. tostring(r[2]))
  H.ok(dt >= DELAY - 1e-3, ("connected after %.3f s, before the delay"):format(dt))
  H.ok(dt < DELAY + SLACK, ("connected after %.3f s"):format(dt))
  H.eq(select(3, c:getpeername()), "inet")
  H.eq(c:getfamily(), "inet4")
  local a = assert(server:accept())
  assert(c:send("ping\n"))
  a:settimeout(5)
  H.eq(a:receive(), "ping")
  a:close(); c:close(); server:close(); hole.close()
end)

H.test("setconnectdelay: a longer delay is honoured, 0 turns the race off", function()
  local hole, server, port = scene()
  local c = ltcp.tcp()
  H.eq(c:setconnectdelay(0.6), 1)
  H.eq(c:getconnectdelay(), 0.6)
  c:settimeout(3)
  local dt, r = timed(c.connect, c, "localhost", port)
  H.eq(r[1], 1, "connect: " .. tostring(r[2]))
  H.ok(dt >= 0.6 - 1e-3 and dt < 0.6 + SLACK, ("connected after %.3f s"):format(dt))
  c:close()
  -- race off: the black hole takes the whole timeout, as before
  c = ltcp.tcp()
  H.eq(c:setconnectdelay(0), 1)
  c:settimeout(0.5)
  dt, r = timed(c.connect, c, "localhost", port)
  H.same(r, H.pack(nil, "timeout"))
  H.ok(dt >= 0.5 - 1e-3, ("timed out after %.3f s"):format(dt))
  c:close(); server:close(); hole.close()
end)

H.test("setconnectdelay: bad values raise, tiny ones are raised to 10 ms", function()
  local c = ltcp.tcp()
  H.raises("delay must be 0 or more seconds", c.setconnectdelay, c, -1)
  H.raises("delay must be 0 or more seconds", c.setconnectdelay, c, 0 / 0)
  H.raises("number expected", c.setconnectdelay, c, "soon")
  H.raises("number expected", c.setconnectdelay, c)
  H.raises("tcp{", c.setconnectdelay, "x", 1)
  H.eq(c:setconnectdelay(0.001), 1)
  H.eq(c:getconnectdelay(), 0.01)
  c:close()
end)

H.test("Copas-style: timeout, select for write, connect again gives 1", function()
  local socket = require "ltcp.compat"
  local hole, server, port = scene()
  local c = socket.tcp()
  c:settimeout(0)
  local t0 = ltcp.gettime()
  H.same(H.pack(c:connect("localhost", port)), H.pack(nil, "timeout"))
  local _, w = socket.select(nil, { c }, 5)
  local dt = ltcp.gettime() - t0
  H.eq(w[1], c, "writable")
  H.ok(dt < DELAY + SLACK, ("writable after %.3f s"):format(dt))
  H.eq(c:connect("localhost", port), 1)
  H.same(H.pack(c:connect("localhost", port)), H.pack(nil, "already connected"))
  H.eq(select(3, c:getpeername()), "inet")
  c:close(); server:close(); hole.close()
end)

H.test("copas.connect to a name whose first address is black-holed", function()
  local socket = require "ltcp.compat"
  local ok, copas = pcall(require, "copas")
  if not ok then H.skip("copas is not installed for " .. _VERSION) end
  local hole, server, port = scene()
  local done, err
  copas.addthread(function()
    local raw = socket.tcp()
    done, err = copas.connect(raw, "localhost", port)
    raw:close()
  end)
  local t0 = ltcp.gettime()
  while done == nil and err == nil and ltcp.gettime() - t0 < 5 do copas.step(0.1) end
  H.eq(done, 1, "copas.connect: " .. tostring(err))
  H.ok(ltcp.gettime() - t0 < DELAY + SLACK, "copas took the timeout")
  server:close(); hole.close()
end)

H.test("every address refused: LuaSocket's error for the last one", function()
  local socket = require "ltcp.compat"
  local holder = assert(ltcp.tcp4()) -- bound, not listening: a port nobody listens on
  assert(holder:bind("127.0.0.1", 0))
  local _, port = holder:getsockname()
  local c = socket.tcp()
  c:settimeout(5)
  H.same(H.pack(c:connect("localhost", tonumber(port))), H.pack(nil, "connection refused"))
  H.eq(c:getfamily(), "inet4") -- the last address tried: 127.0.0.1
  c:close()
  holder:close()
end)

H.run()
