-- socket.select over N connected sockets of which one is readable; CALLS calls.
-- Microseconds per call. A library that cannot select that many sockets reports FAIL.
-- With the bench-only module benchpoll (built in the Lua bench trees), the calls alternate in
-- batches with a bare poll(2) over the same sockets, and INFO rawpoll= gives its microseconds
-- per call: a paired comparison that the kernel's varying per-socket cost cannot skew.
local common = require("common")
return function(socket, port, n, calls)
  local socks = {}
  for i = 1, n do socks[i] = common.dial(socket, port) end
  local ok, r = pcall(socket.select, socks, nil, 60)
  if not ok then common.fail("select of " .. n .. " sockets raised: " .. tostring(r)) end
  if not r or #r ~= 1 then common.fail("select of " .. n .. " sockets: expected one ready") end
  local have_bp, bp = pcall(require, "benchpoll")
  local h = have_bp and bp.prepare(socks) or nil
  local batches = h and 10 or 1
  local per = math.max(1, math.floor(calls / batches))
  local t_sel, t_poll, cpu = 0, 0, 0
  for _ = 1, batches do
    local c0, t0 = os.clock(), socket.gettime()
    for _ = 1, per do
      r = socket.select(socks, nil, 1)
      if #r ~= 1 then error("select: expected one ready") end
    end
    t_sel = t_sel + (socket.gettime() - t0)
    cpu = cpu + (os.clock() - c0)
    if h then
      t0 = socket.gettime()
      for _ = 1, per do
        if bp.wait(h) ~= 1 then error("poll: expected one ready") end
      end
      t_poll = t_poll + (socket.gettime() - t0)
    end
  end
  for i = 1, n do socks[i]:close() end
  local total = per * batches
  io.stdout:write(string.format("INFO wall=%.6g cpu=%.6g\n", t_sel, cpu))
  common.result(t_sel / total * 1e6, h and { rawpoll = string.format("%.6g", t_poll / total * 1e6) } or nil)
end
