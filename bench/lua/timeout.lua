-- settimeout(0.05), then receive(1) on a silent connection; COUNT times. Mean lateness in ms
-- (RESULT); the smallest (negative = returned early) and largest as INFO.
local common = require("common")
return function(socket, port, count)
  local c = common.dial(socket, port)
  c:settimeout(0.05)
  local sum, lo, hi = 0, math.huge, -math.huge
  for _ = 1, count do
    local t0 = socket.gettime()
    local data, err = c:receive(1)
    local late = (socket.gettime() - t0 - 0.05) * 1e3
    if data or err ~= "timeout" then error("timeout: got " .. tostring(err)) end
    sum = sum + late
    if late < lo then lo = late end
    if late > hi then hi = late end
  end
  c:close()
  common.result(sum / count, { min = string.format("%.6g", lo), max = string.format("%.6g", hi) })
end
