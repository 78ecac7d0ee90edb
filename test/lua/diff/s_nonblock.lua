-- Copas-style non-blocking use: settimeout(0), connect in progress, select, partial receives
-- passed back as prefix, accept on a non-blocking server.
local s = socket.bind("127.0.0.1", 0)
local _, port = s:getsockname()
s:settimeout(0)
R("nb accept nothing", s:accept())

local c = socket.tcp()
c:settimeout(0)
R("nb connect", c:connect("127.0.0.1", tonumber(port)))
R("class in progress", c)
local _, w = socket.select(nil, { c }, 2)
R("writable when connected", w[1] == c)
R("nb connect again", c:connect("127.0.0.1", tonumber(port)))
R("nb connect third", c:connect("127.0.0.1", tonumber(port)))
socket.select({ s }, nil, 2)
local a = s:accept()
R("nb accept", a, a:gettimeout())
a:settimeout(0)
R("nb receive nothing", a:receive())
R("nb receive nothing 5", a:receive(5))
R("nb receive nothing *a", a:receive("*a"))

-- a line in pieces: each timeout hands back the partial, which goes in again as prefix
local pieces = { "he", "llo wo", "rld\nnext" }
local partial = ""
for i, p in ipairs(pieces) do
  c:send(p)
  socket.select({ a }, nil, 2)
  local line, err, part = a:receive("*l", partial)
  R("piece " .. i, line, err, part)
  if line then break end
  partial = part
end
R("dirty after line", a:dirty())
R("rest", a:receive(4))

-- counted receive in pieces
c:send("123")
socket.select({ a }, nil, 2)
local d, e, p = a:receive(6)
R("count partial", d, e, p)
c:send("456789")
socket.select({ a }, nil, 2)
R("count with prefix", a:receive(6, p))
R("count leftover", a:receive(3))

-- send on a non-blocking socket: fill until timeout, report how far it got
c:setoption("send-buffer-size", 4096)
local chunk = string.rep("x", 65536)
local sent, err, last
for i = 1, 200 do
  sent, err, last = c:send(chunk)
  if not sent then break end
end
R("nb send fills", sent, err, type(last), last and last >= 0 and last < #chunk)
-- drain on the other side with a total timeout, then the rest goes through
a:settimeout(0.2, "t")
local got = 0
for i = 1, 10000 do
  local data, e2, part = a:receive(65536)
  got = got + #(data or part)
  if e2 == "timeout" and #(part or "") == 0 then break end
end
R("drained something", got > 0)
c:close()
a:settimeout(1)
local tail, e3, part3 = a:receive("*a")
R("after close *a", tail and "data" or "nil", e3, part3 and #part3 >= 0)

-- nb connect to a dead port
local dead = deadport()
local r = socket.tcp()
r:settimeout(0)
local ok, e4 = r:connect("127.0.0.1", dead)
R("nb refused first", ok, e4 == "timeout" or e4 == "connection refused")
socket.select(nil, { r }, 2)
R("nb refused outcome", r:connect("127.0.0.1", dead))
r:close()

-- getfd/setfd round trip (LuaSec style): move the descriptor to a new object
local a2, c2 = pair()
local fd = c2:getfd()
local shell = socket.tcp()
R("setfd on master", shell:setfd(fd))
R("getfd after setfd", shell:getfd() == fd)
R("old object", c2:setfd(socket._SOCKETINVALID))
R("old getfd", c2:getfd() == socket._SOCKETINVALID)
R("old close", c2:close())
R("shell class", shell)
a2:send("via shell\n")
R("shell receive", pcall(shell.receive, shell))
R("shell close", shell:close())
a2:close()
s:close()
