-- receive(CHUNK) repeatedly until the feeder closes after BYTES bytes. MB/s (10^6 bytes).
local common = require("common")
return function(socket, port, bytes, chunk)
  local c = common.dial(socket, port)
  local total, pieces = 0, 0
  local t0 = socket.gettime()
  common.mark()
  while true do
    local data, err, partial = c:receive(chunk)
    if not data then
      if err ~= "closed" then error(err) end
      total = total + #partial
      break
    end
    total = total + #data
    pieces = pieces + 1
  end
  local dt = socket.gettime() - t0
  c:close()
  if total ~= bytes then error("count: got " .. total) end
  common.result(total / dt / 1e6, { pieces = pieces }, dt)
end
