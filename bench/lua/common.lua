-- Small helpers shared by the scenario files: connecting and printing results.
local M = {}

function M.dial(socket, port)
  local c, err = socket.connect("127.0.0.1", port)
  if not c then error("connect: " .. tostring(err)) end
  return c
end

function M.result(value, info)
  io.stdout:write(string.format("RESULT %.6g\n", value))
  for k, v in pairs(info or {}) do io.stdout:write(string.format("INFO %s=%s\n", k, tostring(v))) end
end

function M.fail(reason)
  io.stdout:write("FAIL " .. tostring(reason):gsub("\n", " ") .. "\n")
  io.stdout:flush()
  os.exit(2)
end

return M
