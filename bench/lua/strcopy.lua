-- What the final step of receive('*a') costs on its own, with no socket: making a Lua string of
-- SIZE bytes (default 256 MiB) from bytes already in memory (s .. "y": a copy into fresh pages; Lua returns s itself for s .. "").
-- Lua 5.1-5.4 can only make a string by copying, so every '*a' binding pays this on top of what
-- raw C pays for the same receive. Prints the best of 5, in ms and as MB/s.
--   lua strcopy.lua [SIZE]
local size = tonumber(arg[1]) or 256 * 2 ^ 20
local big = string.rep(string.rep("x", 2 ^ 20), math.floor(size / 2 ^ 20))
local best = math.huge
for _ = 1, 5 do
  local c0 = os.clock() -- CPU time, user + system: page faults included
  local s = big .. "y"
  local dt = os.clock() - c0
  if #s ~= #big + 1 then error("strcopy: bad length") end
  if dt < best then best = dt end
  s = nil
  collectgarbage()
end
print(string.format("copy of a %d MiB string: best %.1f ms (%.0f MB/s)", math.floor(#big / 2 ^ 20),
                    best * 1e3, #big / best / 1e6))
