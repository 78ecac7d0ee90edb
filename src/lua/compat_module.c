/* luaopen_ltcp_compat: runs compat.lua, embedded at build time as ltcp_l_compat_source (the
 * generated compat_lua.c), so `require "ltcp.compat"` finds it in ltcp.so through Lua's
 * all-in-one C loader and no Lua file has to be installed. */
#include "lltcp.h"

extern const char ltcp_l_compat_source[];
extern const size_t ltcp_l_compat_size;

LTCP_EXPORT int luaopen_ltcp_compat(lua_State *L);

int luaopen_ltcp_compat(lua_State *L) {
  int nargs = lua_gettop(L);
  if (luaL_loadbuffer(L, ltcp_l_compat_source, ltcp_l_compat_size, "=ltcp.compat") != 0)
    return lua_error(L);
  lua_insert(L, 1);
  lua_call(L, nargs, 1);
  return 1;
}
