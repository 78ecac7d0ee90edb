-- LuaSocket's Lua layer (socket.lua's sinks and sources, ltn12, mime, socket.try/protect,
-- socket.bind, connect4) over one in-process TCP connection: no other process, so it also runs
-- under Wine. A 300 kB body goes through socket.sink("keep-open") and comes back through
-- socket.source("by-length"), a base64 stream through mime's filters, and "until-closed" reads
-- to the end after the writer closes ("close-when-done").
local R = dofile((arg[0]:match("^(.*[/\\])") or "") .. "real.lua")
local socket = R.socket()
local ltn12 = require "ltn12"
local mime = require "mime"

R.main(function()
local server = assert(socket.bind("127.0.0.1", 0)) -- socket.lua's bind
local ip, port = server:getsockname()
R.out("bind", ip, type(port))
local c = assert(socket.connect4("127.0.0.1", tonumber(port)))
server:settimeout(5)
local a = assert(server:accept())
c:settimeout(5)
a:settimeout(5)

-- keep-open sink on one side, by-length source on the other, in slices that fit the buffers
local body = R.body(300000)
local got = {}
local pos = 1
while pos <= #body do
  local slice = body:sub(pos, pos + 49999)
  R.check(ltn12.pump.all(ltn12.source.string(slice), socket.sink("keep-open", c)), "pump out")
  R.check(ltn12.pump.all(socket.source("by-length", a, #slice), (ltn12.sink.table(got))), "pump in")
  pos = pos + #slice
end
got = table.concat(got)
R.eq(got, body, "by-length round trip")
R.out("by-length", #got, R.adler32(got))

-- a base64 stream through mime's filters, line-wrapped, decoded on the other side
local binary = {}
for i = 0, 5999 do binary[#binary + 1] = string.char((i * 31) % 256) end
binary = table.concat(binary)
local encoded = {}
ltn12.pump.all(ltn12.source.chain(ltn12.source.string(binary),
  ltn12.filter.chain(mime.encode("base64"), mime.wrap("base64"))), (ltn12.sink.table(encoded)))
encoded = table.concat(encoded)
R.check(socket.sink("default", c)(encoded .. "\r\n.\r\n"), "send encoded")
local lines = {}
while true do
  local line = R.check(a:receive("*l"), "line")
  if line == "." then break end
  lines[#lines + 1] = line
end
local decoded = mime.unb64(table.concat(lines))
R.eq(decoded, binary, "base64 round trip")
R.out("base64", #lines, #decoded, R.adler32(decoded))

-- close-when-done: the writer's sink closes it; until-closed reads to the end
R.check(ltn12.pump.all(ltn12.source.string("tail of the stream"), socket.sink("close-when-done", c)),
  "close-when-done")
R.out("writer closed", c:getfd() == -1)
local rest = {}
R.check(ltn12.pump.all(socket.source("until-closed", a), (ltn12.sink.table(rest))), "until-closed")
R.out("until-closed", table.concat(rest), a:getfd() == -1)

-- socket.try / protect / newtry around socket calls
local fin = 0
local f = socket.protect(function()
  local try = socket.newtry(function() fin = fin + 1 end)
  local s = try(socket.tcp())
  try(s:connect("127.0.0.1", R.deadport(socket)))
  return "unreachable"
end)
R.out("protect", f())
R.out("finalizer", fin)
R.out("skip", socket.skip(2, "a", "b", "c"))
R.out("choose", pcall(socket.choose({ x = function(v) return v end }), "y"))

-- getfd/dirty of a sink and a source (socket.lua's wrappers) work in select
local c2 = assert(socket.connect("127.0.0.1", tonumber(port)))
local a2 = assert(server:accept())
local src = socket.source("by-length", a2, 3)
c2:send("abc")
local r = socket.select({ src }, nil, 5)
R.out("select on a source", r[1] == src, src())
for _, o in ipairs({ c2, a2, server }) do o:close() end
end)
