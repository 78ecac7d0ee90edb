-- connect to a name with two addresses: "localhost" (::1 first, then 127.0.0.1, where the hosts
-- file has both). The results must match LuaSocket's: which address connects, the family after
-- it, the error when every address is refused (the last address's). Where ::1 is black-holed
-- (a listener with a full accept queue), ltcp races the addresses (Happy Eyeballs) and LuaSocket
-- waits out its timeout on ::1 first: those lines are deliberate differences (X).
local function dual()
  local addrs = socket.dns.getaddrinfo("localhost")
  return addrs and addrs[1] and addrs[1].addr == "::1" and #addrs >= 2
end
R("localhost has ::1 first and more", dual() and true or false)

-- only IPv4 listens: ::1 is refused, 127.0.0.1 connects
local s4 = assert(socket.bind("127.0.0.1", 0))
local _, p4 = s4:getsockname()
local c = socket.tcp()
c:settimeout(5)
R("localhost, IPv4 listening", c:connect("localhost", tonumber(p4)))
R("family after", c:getfamily())
R("peer", (c:getpeername()))
c:close()
local sc = socket.connect("localhost", tonumber(p4))
R("socket.connect localhost", sc and true, sc and sc:getfamily())
if sc then sc:close() end
s4:close()

-- nobody listens: the error of the last address
local dead = deadport()
c = socket.tcp()
c:settimeout(5)
R("localhost, all refused", c:connect("localhost", dead))
R("family after refused", c:getfamily())
c:close()
R("socket.connect localhost refused", socket.connect("localhost", dead))
R("socket.connect localhost refused, local 127.0.0.1",
  socket.connect("localhost", dead, "127.0.0.1", 0))

-- ::1 black-holed, 127.0.0.1 listening on the same port
local hole, fill, err = socket.tcp6(), {}, nil
local hp
if dual() and hole:bind("::1", 0) then
  assert(hole:listen(0))
  local _, p = hole:getsockname()
  hp = tonumber(p)
  for _ = 1, 64 do
    local f = socket.tcp6()
    fill[#fill + 1] = f
    f:settimeout(0.1)
    local ok
    ok, err = f:connect("::1", hp)
    if not ok then break end
  end
end
local s = hp and err == "timeout" and socket.bind("127.0.0.1", hp)
R("black hole ready", s and true or false)
if s then
  c = socket.tcp()
  c:settimeout(2)
  local t0 = socket.gettime()
  local ok, cerr = c:connect("localhost", hp)
  local dt = socket.gettime() - t0
  R("black-holed ::1 first: connects", ok, cerr, c:getfamily())
  X("black-holed ::1 first: within 1 s (LuaSocket waits out settimeout(2))", dt < 1)
  c:close()
  c = socket.tcp()
  c:settimeout(0)
  R("non-blocking: connect", c:connect("localhost", hp))
  local _, w = socket.select(nil, { c }, 1.5)
  X("non-blocking: select says writable within 1.5 s", w[1] == c)
  X("non-blocking: connect again", c:connect("localhost", hp))
  c:close()
  s:close()
end
for _, f in ipairs(fill) do f:close() end
hole:close()
