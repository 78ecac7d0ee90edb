-- select: result shapes (index and key), timeouts, dirty objects, foreign objects, errors.
local function shape(r, w, e)
  -- both tables by content: each entry as its position and class, plus the key side
  local function side(t)
    if type(t) ~= "table" then return t end
    local out = {}
    for i = 1, #t do out[i] = tostring(t[i]):match("^[^:]*") .. "@" .. tostring(t[t[i]]) end
    local n = 0
    for k in pairs(t) do n = n + 1 end
    out[#out + 1] = "size=" .. n
    return table.concat(out, ",")
  end
  return side(r), side(w), e
end
local function S(label, ...) R(label, shape(...)) end
local function count(...) return select("#", ...) end

S("empty", socket.select({}, {}, 0))
R("empty count", count(socket.select({}, {}, 0)))
S("nil nil", socket.select(nil, nil, 0))
S("nil nil small", socket.select(nil, nil, 0.01))
local s = socket.bind("127.0.0.1", 0)
local _, port = s:getsockname()
S("idle server", socket.select({ s }, nil, 0))
local c = socket.tcp()
c:settimeout(5)
c:connect("127.0.0.1", tonumber(port))
S("server readable", socket.select({ s }, nil, 1))
R("ready count", count(socket.select({ s }, nil, 1)))
local r = socket.select({ s }, nil, 1)
R("key value type", r[s], r[1] == s)
local a = s:accept()
a:settimeout(5)
S("both writable", socket.select(nil, { a, c }, 1))
S("r and w", socket.select({ a, c }, { a }, 1))
c:send("one\ntwo\n")
socket.select({ a }, nil, 1)
S("readable", socket.select({ a, c, s }, nil, 1))
R("recv", a:receive())
R("dirty", a:dirty())
S("dirty first", socket.select({ s, a }, nil, 0))
S("dirty twice", socket.select({ a, a }, { a, a }, 0))
S("same in r and w", socket.select({ c }, { c }, 0))
R("recv2", a:receive())
S("not dirty now", socket.select({ a }, nil, 0))

-- foreign objects
local fake = { getfd = function() return a:getfd() end, dirty = function() return true end }
S("fake dirty", socket.select({ fake }, nil, 0))
local r2 = socket.select({ fake }, nil, 0)
R("fake key", r2[1] == fake, r2[fake])
local fake2 = { getfd = function() return -1 end }
S("fake invalid fd", socket.select({ fake2 }, nil, 0))
local fake3 = {}
S("no getfd", socket.select({ fake3 }, { fake3 }, 0))
local wfake = { getfd = function() return c:getfd() end }
local _, w3 = socket.select(nil, { wfake }, 1)
R("fake writable", w3[1] == wfake, w3[wfake])
local calls = 0
local counter = setmetatable({}, { __index = function(t, k)
  if k == "getfd" then return function() calls = calls + 1; return -1 end end
end })
socket.select({ counter }, { counter }, 0)
R("getfd through __index", calls > 0)
X("getfd calls per entry", calls)

-- holes and non-array keys are not looked at
local t = {}
t[2] = a
S("sparse", socket.select(t, nil, 0))
S("hash key", socket.select({ x = c }, nil, 0))

-- closed objects are skipped
local x = socket.tcp()
x:close()
S("closed", socket.select({ x }, { x }, 0))

-- timeouts
S("string timeout", socket.select({}, {}, "0"))
S("negative timeout with ready", socket.select(nil, { c }, -1))
S("nil timeout with ready", socket.select(nil, { c }))

-- misuse
P("bad entry number", socket.select, { 1 }, nil, 0)
P("bad entry string", socket.select, { "x" }, nil, 0)
P("bad entry true", socket.select, { true }, nil, 0)
P("bad timeout", socket.select, {}, {}, "x")
P("recvt not table", socket.select, 1, nil, 0)
P("sendt not table", socket.select, nil, "x", 0)
P("getfd raises", socket.select, { { getfd = function() error("boom", 0) end } }, nil, 0)

-- a peer that closed is readable
c:close()
S("peer closed readable", socket.select({ a }, nil, 1))
R("recv closed", a:receive())
a:close()
s:close()
