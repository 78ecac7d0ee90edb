-- connect, see the feeder's close (receive gives "closed"), close; COUNT times. Connections/s.
local common = require("common")
return function(socket, port, count)
  local t0 = socket.gettime()
  common.mark()
  for _ = 1, count do
    local c = common.dial(socket, port)
    local data, err = c:receive(1)
    if data or (err ~= "closed" and err ~= "connection reset by peer") then
      error("churn: expected closed, got " .. tostring(err))
    end
    c:close()
  end
  local dt = socket.gettime() - t0
  common.result(count / dt, nil, dt)
end
