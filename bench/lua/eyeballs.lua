-- COUNT connects to "localhost" with settimeout(TIMEOUT) while the feeder black-holes [::1] on
-- the port (127.0.0.1 listens): milliseconds per connect (RESULT), fastest and slowest as INFO.
-- LuaSocket tries ::1 until its timeout, then 127.0.0.1 with a fresh one; ltcp races the two
-- (Happy Eyeballs, 250 ms delay). The name must resolve to ::1 first (the Debian hosts file).
local common = require("common")
return function(socket, port, count, timeout)
  local addrs = socket.dns.getaddrinfo("localhost")
  if not (addrs and addrs[1] and addrs[1].addr == "::1" and addrs[2]) then
    common.fail("localhost does not resolve to ::1 first, then another address")
  end
  local sum, lo, hi = 0, math.huge, -math.huge
  for _ = 1, count do
    local c = socket.tcp()
    c:settimeout(timeout)
    local t0 = socket.gettime()
    local ok, err = c:connect("localhost", port)
    local ms = (socket.gettime() - t0) * 1e3
    if not ok then error("connect: " .. tostring(err)) end
    c:close()
    sum = sum + ms
    if ms < lo then lo = ms end
    if ms > hi then hi = ms end
  end
  common.result(sum / count, { min = string.format("%.6g", lo), max = string.format("%.6g", hi) })
end
