-- The Lua floor for the send scenario, with no socket: per iteration, one method call on a value
-- that returns a number (msg:len()), checked as send.lua checks send's result. Callgrind mode
-- counts its instructions per iteration: no send binding can cost less than this loop on the
-- same interpreter (a send also parses its string argument and makes a system call).
--   lua floor_send.lua COUNT
local count = tonumber(arg[1])
local msg = string.rep("s", 99) .. "\n"
local total = 0
for _ = 1, count do
  local ok, err = msg:len()
  if not ok then error("floor: " .. tostring(err)) end
  total = total + ok
end
if total ~= count * 100 then error("floor: bad count") end
print("RESULT 0")
