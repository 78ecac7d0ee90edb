-- The Lua client of every bench scenario, written once against LuaSocket's API.
--   lua client.lua LIB SCENARIO PORT [ARGS...]
-- LIB is "luasocket" (Debian's LuaSocket, require "socket") or "ltcp" (this project's module).
-- SCENARIO names a file beside this one (lines.lua, all.lua, ...) that returns
-- function(socket, port, args...) and prints the result lines the runner parses:
--   RESULT <number> / INFO key=value / FAIL reason (exit status 2).
local here = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/"
package.path = here .. "?.lua;" .. package.path

local lib, scenario, port = arg[1], arg[2], tonumber(arg[3])
if not (lib and scenario and port) then
  io.stderr:write("usage: client.lua luasocket|ltcp SCENARIO PORT [ARGS]\n")
  os.exit(1)
end

local socket
if lib == "luasocket" then
  socket = require("socket")
elseif lib == "ltcp" then
  socket = require("ltcp")
else
  error("unknown library " .. lib)
end

local args = {}
for i = 4, #arg do args[#args + 1] = tonumber(arg[i]) or arg[i] end

local run = require(scenario)
local unpack = table.unpack or unpack
run(socket, port, unpack(args))
io.stdout:flush()
