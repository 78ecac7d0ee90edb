-- The Lua floor for the lines scenario, with no socket at all: per iteration, one method call
-- that returns a fresh 59-byte string (s:sub), plus the same bookkeeping as lines.lua. Callgrind
-- mode counts its instructions per iteration: no receive('*l') binding can cost less than this
-- loop on the same interpreter, so it tells how much of a per-line figure is the library's.
--   lua floor.lua COUNT
local count = tonumber(arg[1])
local text = string.rep(string.rep("x", 59) .. "\n", 1000)
local n, bytes, k = 0, 0, 1
for _ = 1, count do
  local line = text:sub(k, k + 58)
  k = k + 60
  if k > #text then k = 1 end
  n = n + 1
  bytes = bytes + #line
end
if n ~= count or bytes ~= count * 59 then error("floor: bad count") end
print("RESULT 0")
