-- receive('*a') of BYTES bytes in one call. MB/s (10^6 bytes).
local common = require("common")
return function(socket, port, bytes)
  local c = common.dial(socket, port)
  local t0 = socket.gettime()
  common.mark()
  local data, err = c:receive("*a")
  local dt = socket.gettime() - t0
  c:close()
  if not data or #data ~= bytes then error("all: " .. tostring(err or #data)) end
  common.result(#data / dt / 1e6, nil, dt)
end
