-- receiveuntil(boundary) until the feeder closes: COUNT records of SIZE bytes, the last PATLEN of
-- them the boundary (bench.h's BENCH_BOUNDARY, 2 or 40 bytes). Records/second. ltcp uses its
-- iterator (a KMP matcher in the core); LuaSocket has no receiveuntil, so it runs what a LuaSocket
-- program writes instead: receive(8192) pieces (the partial at the end), string.find(plain).
local common = require("common")

local function luasocket_reader(c, pat)
  local buf, pos = "", 1
  return function()
    while true do
      local s, e = buf:find(pat, pos, true)
      if s then
        local rec = buf:sub(pos, s - 1)
        pos = e + 1
        return rec
      end
      local data, err, partial = c:receive(8192)
      data = data or partial
      if data == "" then return nil, err end
      buf = buf:sub(pos) .. data
      pos = 1
    end
  end
end

return function(socket, port, count, size, patlen)
  local c = common.dial(socket, port)
  local pat = common.boundary(patlen)
  local next_record = c.receiveuntil and c:receiveuntil(pat) or luasocket_reader(c, pat)
  local n, bytes = 0, 0
  local t0 = socket.gettime()
  common.mark()
  while true do
    local rec, err = next_record()
    if not rec then
      if err ~= "closed" then error(err) end
      break
    end
    n = n + 1
    bytes = bytes + #rec
  end
  local dt = socket.gettime() - t0
  c:close()
  if n ~= count or bytes ~= count * (size - patlen) then error("until: got " .. n) end
  common.result(n / dt, nil, dt)
end
