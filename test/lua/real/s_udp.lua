-- UDP next to TCP, as a program that uses both sees it: UDP send/receive (connected and
-- unconnected), one select over a mix of UDP objects, TCP clients and a TCP server (readiness
-- judged by what each object then receives), a dirty TCP client beside UDP, 60 UDP and 60 TCP
-- objects in one select, and methods of one class called on an object of the other class
-- (argument errors, never a crash). Under ltcp.compat the UDP objects are LuaSocket's and the
-- TCP objects ltcp's: the same script must observe the same on both.
local R = dofile((arg[0]:match("^(.*[/\\])") or "") .. "real.lua")
local socket = R.socket()

local function has(set, obj) return set[obj] ~= nil end

-- members of `set` among `objs`, by the names given
local function which(set, objs, names)
  local out = {}
  for i, o in ipairs(objs) do
    if has(set, o) then out[#out + 1] = names[i] end
  end
  return table.concat(out, ",")
end

R.main(function()
-- ---- UDP alone ----
local u1 = assert(socket.udp())
R.out("udp setsockname", u1:setsockname("127.0.0.1", 0))
local uip, uport = u1:getsockname()
local u2 = assert(socket.udp())
R.out("udp setpeername", u2:setpeername("127.0.0.1", uport))
u1:settimeout(5)
u2:settimeout(5)
R.out("udp send", u2:send("datagram one"))
local data, fromip, fromport = u1:receivefrom()
R.out("udp receivefrom", data, fromip, type(fromport))
R.out("udp sendto", u1:sendto("reply", fromip, fromport))
R.out("udp receive", u2:receive())
R.out("udp tostring", tostring(u1):match("^[^:]+"), tostring(u2):match("^[^:]+"))

-- ---- one select over UDP and TCP ----
local server = assert(socket.bind("127.0.0.1", 0))
local _, tport = server:getsockname()
local c = assert(socket.connect("127.0.0.1", tport))
c:settimeout(5)
server:settimeout(5)
local a = assert(server:accept())
a:settimeout(5)
local quiet = assert(socket.udp()) -- never receives
quiet:setsockname("127.0.0.1", 0)
local recvt = { u1, a, server, quiet }
local names = { "u1", "a", "server", "quiet" }

local r, w, e = socket.select(recvt, {}, 0.05)
R.out("select nothing ready", #r, #w, e)

R.out("tcp send", c:send("tcp line\n"))
R.out("udp send 2", u2:send("datagram two"))
local got = {}
R.check(R.waitfor(socket, function()
  local rr = socket.select(recvt, nil, 0.2)
  got = rr
  return has(rr, u1) and has(rr, a)
end, 5), "udp and tcp never both readable")
R.out("select mix readable", which(got, recvt, names), #got)
R.out("after select: udp", u1:receive())
R.out("after select: tcp", a:receive())

-- write set: UDP and TCP objects are writable at once
local _, ww = socket.select(nil, { u2, c, quiet }, 1)
R.out("select mix writable", which(ww, { u2, c, quiet }, { "u2", "c", "quiet" }), #ww)

-- a new TCP connection makes the server readable next to UDP
local c2 = assert(socket.connect("127.0.0.1", tport))
local rs = {}
R.check(R.waitfor(socket, function()
  rs = socket.select(recvt, nil, 0.2)
  return has(rs, server)
end, 5), "server never readable")
R.out("select server readable", which(rs, recvt, names))
local a2 = assert(server:accept())

-- dirty: two lines arrive, one is read; the buffered one makes `a` ready at once
c:send("first\nsecond\n")
R.out("read first", a:receive())
R.check(R.waitfor(socket, function() return a:dirty() end, 5), "a never dirty")
local t0 = socket.gettime()
local rd = socket.select({ quiet, a, u1 }, nil, 5)
R.check(socket.gettime() - t0 < 1, "select waited although a had buffered data")
R.out("select dirty", which(rd, { quiet, a, u1 }, { "quiet", "a", "u1" }), rd[1] == a)
R.out("read second", a:receive())

-- ---- many of both kinds in one call (Windows: LuaSocket's select takes at most 64) ----
local N = package.config:sub(1, 1) == "\\" and 25 or 60
local udps, clients, accepted = {}, {}, {}
for i = 1, N do
  local u = assert(socket.udp())
  assert(u:setsockname("127.0.0.1", 0))
  udps[i] = u
  local cl = assert(socket.connect("127.0.0.1", tport))
  clients[i] = cl
  accepted[i] = assert(server:accept())
end
for i = 1, N, 2 do -- every odd one gets something
  local _, p = udps[i]:getsockname()
  assert(u1:sendto("to " .. i, "127.0.0.1", p))
  assert(clients[i]:send("line " .. i .. "\n"))
end
local all = {}
for i = 1, N do
  all[#all + 1] = udps[i]
  all[#all + 1] = accepted[i]
end
local ready = {}
R.check(R.waitfor(socket, function()
  ready = socket.select(all, nil, 0.2)
  return #ready == 2 * math.ceil(N / 2)
end, 5), "not all ready objects were reported")
local ok = true
for i = 1, N do
  local want = i % 2 == 1
  if has(ready, udps[i]) ~= want or has(ready, accepted[i]) ~= want then ok = false end
end
R.out("select many objects", #ready, ok)
for i = 1, N, 2 do
  R.eq(udps[i]:receive(), "to " .. i, "udp " .. i)
  R.eq(accepted[i]:receive(), "line " .. i, "tcp " .. i)
end
for i = 1, N do
  udps[i]:close()
  clients[i]:close()
  accepted[i]:close()
end

-- ---- a method of one class on an object of the other: an argument error ----
local udp_index = getmetatable(u1).__index
local tcp_index = getmetatable(c).__index
local server_index = getmetatable(server).__index
local function call(f, ...)
  local okc, err = pcall(f, ...)
  return okc, (tostring(err):gsub("^[^%(]*%(", "("))
end
R.out("udp sendto on tcp client", call(udp_index.sendto, c, "x", "127.0.0.1", uport))
R.out("udp receive on tcp client", call(udp_index.receive, c))
R.out("udp setsockname on tcp server", call(udp_index.setsockname, server, "127.0.0.1", 0))
R.out("udp close on tcp client", call(udp_index.close, a2))
R.out("tcp send on udp", call(tcp_index.send, u2, "x"))
R.out("tcp receive on udp", call(tcp_index.receive, u1))
R.out("tcp accept on udp", call(server_index.accept, u1))
R.out("tcp getfd on udp", call(tcp_index.getfd, u1))
R.out("tcp close on udp", call(tcp_index.close, u2))
R.out("tcp __gc on udp", call(getmetatable(c).__gc, u2))
R.out("udp __gc on tcp", call(getmetatable(u1).__gc, c))
-- both objects still work afterwards
R.out("udp still works", u2:send("after"), u1:receive())
R.out("tcp still works", c:send("after\n"), a:receive())

for _, o in ipairs({ u1, u2, quiet, c, c2, a, a2, server }) do o:close() end
end)
