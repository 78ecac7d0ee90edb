-- socket.select over N connected sockets of which one is readable; CALLS calls.
-- Microseconds per call. A library that cannot select that many sockets reports FAIL.
local common = require("common")
return function(socket, port, n, calls)
  local socks = {}
  for i = 1, n do socks[i] = common.dial(socket, port) end
  local ok, r = pcall(socket.select, socks, nil, 60)
  if not ok then common.fail("select of " .. n .. " sockets raised: " .. tostring(r)) end
  if not r or #r ~= 1 then common.fail("select of " .. n .. " sockets: expected one ready") end
  local t0 = socket.gettime()
  common.mark()
  for _ = 1, calls do
    r = socket.select(socks, nil, 1)
    if #r ~= 1 then error("select: expected one ready") end
  end
  local dt = socket.gettime() - t0
  for i = 1, n do socks[i]:close() end
  common.result(dt / calls * 1e6, nil, dt)
end
