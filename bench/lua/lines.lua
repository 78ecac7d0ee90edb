-- receive('*l') until the feeder closes: COUNT lines of SIZE bytes (LF included). Lines/second.
local common = require("common")
return function(socket, port, count, size)
  local c = common.dial(socket, port)
  local n, bytes = 0, 0
  local t0 = socket.gettime()
  common.mark()
  while true do
    local line, err = c:receive("*l")
    if not line then
      if err ~= "closed" then error(err) end
      break
    end
    n = n + 1
    bytes = bytes + #line
  end
  local dt = socket.gettime() - t0
  c:close()
  if n ~= count or bytes ~= count * (size - 1) then error("lines: got " .. n) end
  common.result(n / dt, nil, dt)
end
