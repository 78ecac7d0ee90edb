-- luarocks make ltcp-scm-1.rockspec : builds and installs the Lua module `ltcp` (and its
-- `ltcp.compat` drop-in for LuaSocket programs) from this checkout with CMake.
package = "ltcp"
version = "scm-1"
source = {
  url = "git+file:///ltcp.git", -- placeholder: `luarocks make` builds the checkout it runs in
}
description = {
  summary = "LuaSocket's TCP API rebuilt in C: faster, no FD_SETSIZE limit, POSIX and Windows",
  detailed = [[
ltcp provides LuaSocket's TCP API (tcp, connect, bind, select, receive patterns, timeouts,
options) as the module `ltcp`; `lua -l ltcp.compat prog.lua` makes `require "socket"` use it.]],
  license = "MIT",
}
dependencies = {
  "lua >= 5.1, < 5.5",
}
build = {
  type = "cmake",
  variables = {
    CMAKE_BUILD_TYPE = "Release",
    CMAKE_INSTALL_PREFIX = "$(PREFIX)",
    BUILD_TESTING = "OFF",
    LTCP_BUILD_EXAMPLES = "OFF",
    LTCP_BUILD_LUA = "ON",
    LTCP_INSTALL_CORE = "OFF",
    LTCP_LUA_INCLUDE_DIR = "$(LUA_INCDIR)",
    LTCP_LUA_CMOD_DIR = "$(LIBDIR)",
  },
}
