-- Runs lua-redis's own test suite (test/test_client.lua of its Debian source) against a
-- redis-server on loopback, through whatever `socket` module the interpreter was started with
-- (LuaSocket, or ltcp.compat with -l ltcp.compat).
-- usage: lua redis_suite.lua REDIS_LUA_SOURCE_DIR PORT
local dir, port = arg[1], tonumber(arg[2])
assert(dir and port, "usage: redis_suite.lua REDIS_LUA_SOURCE_DIR PORT")
local here = arg[0]:match("^(.*[/\\])") or ""
package.path = here .. "?.lua;" .. dir .. "/src/?.lua;" .. package.path
-- The suite's helpers call a global `socket` (as Lua 5.1 modules once set it).
socket = require "socket"
local telescope = require "telescope"
package.loaded.telescope = telescope
-- The suite's settings name port 6379; point them at the server this run started.
local f = assert(io.open(dir .. "/test/test_client.lua", "rb"))
local src = f:read("*a"):gsub("port%s*=%s*6379", "port = " .. port)
f:close()
assert((loadstring or load)(src, "@test_client.lua"))()
telescope.run()
