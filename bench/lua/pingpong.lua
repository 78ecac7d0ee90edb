-- send a SIZE-byte line, receive('*l') the echo; COUNT round trips. Round trips/second.
local common = require("common")
return function(socket, port, count, size)
  local c = common.dial(socket, port)
  c:setoption("tcp-nodelay", true)
  local msg = string.rep("p", size - 1) .. "\n"
  local t0 = socket.gettime()
  common.mark()
  for _ = 1, count do
    local ok, err = c:send(msg)
    if not ok then error("send: " .. err) end
    local line
    line, err = c:receive("*l")
    if not line then error("receive: " .. err) end
  end
  local dt = socket.gettime() - t0
  c:close()
  common.result(count / dt, nil, dt)
end
