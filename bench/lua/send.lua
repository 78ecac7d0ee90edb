-- send() COUNT strings of SIZE bytes, then shutdown("send") and wait for the feeder's one-byte
-- answer, which it gives once it has read everything. Strings/second, end to end.
local common = require("common")
return function(socket, port, count, size)
  local c = common.dial(socket, port)
  local msg = string.rep("s", size - 1) .. "\n"
  local t0 = socket.gettime()
  common.mark()
  for _ = 1, count do
    local ok, err = c:send(msg)
    if not ok then error("send: " .. err) end
  end
  c:shutdown("send")
  local ack, err = c:receive(1)
  local dt = socket.gettime() - t0
  c:close()
  if ack ~= "k" then error("send: no ack: " .. tostring(err)) end
  common.result(count / dt, nil, dt)
end
