-- Small helpers shared by the scenario files: connecting and printing results.
local M = {}

function M.dial(socket, port)
  local c, err = socket.connect("127.0.0.1", port)
  if not c then error("connect: " .. tostring(err)) end
  return c
end

-- Start of a timed loop: remember the CPU clock (os.clock: this process's CPU seconds).
function M.mark()
  M.cpu0 = os.clock()
end

-- value: the figure; info: extra INFO pairs; wall: seconds of the timed loop, printed with the CPU
-- seconds since mark() so the runner can rate the client per CPU-second.
function M.result(value, info, wall)
  if wall and M.cpu0 then
    io.stdout:write(string.format("INFO wall=%.6g cpu=%.6g\n", wall, os.clock() - M.cpu0))
  end
  io.stdout:write(string.format("RESULT %.6g\n", value))
  for k, v in pairs(info or {}) do
    io.stdout:write(string.format("INFO %s=%s\n", k, tostring(v)))
  end
end

-- The record boundaries of the receiveuntil scenarios: the first n bytes of bench.h's
-- BENCH_BOUNDARY (2: CRLF, 40: a multipart-style boundary).
function M.boundary(n)
  return ("\r\n--ltcp-bench-boundary-0123456789abcdefghijklmnopqrstuvwxyz"):sub(1, n)
end

function M.fail(reason)
  io.stdout:write("FAIL " .. tostring(reason):gsub("\n", " ") .. "\n")
  io.stdout:flush()
  os.exit(2)
end

return M
