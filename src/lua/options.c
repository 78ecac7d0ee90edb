/* getoption / setoption by LuaSocket's option names. Value checks copy LuaSocket's: booleans
 * must be booleans, linger a table {on = boolean, timeout = number}, integer options take any
 * value through tonumber. An unknown name is misuse (an argument error); any failure (the OS
 * refused, the platform lacks the option, no socket yet) gives LuaSocket's generic
 * "getsockopt failed" / "setsockopt failed", so scripts written for LuaSocket see its words.
 * "error" is get-only (setoption raises, as LuaSocket's): the pending error's message, or a
 * single nil when there is none. tcp-fastopen-connect is an integer option in LuaSocket (a
 * boolean turns into 0 there); here a boolean means 0/1 and it reads back as a boolean. */
#include "lltcp.h"

static int is_boolean_option(int opt) {
  switch (opt) {
  case LTCP_OPT_KEEPALIVE:
  case LTCP_OPT_REUSEADDR:
  case LTCP_OPT_REUSEPORT:
  case LTCP_OPT_TCP_NODELAY:
  case LTCP_OPT_IPV6_V6ONLY: return 1;
  default: return 0;
  }
}

static int check_option(lua_State *L, int settable) {
  const char *name = luaL_checkstring(L, 2);
  int opt = ltcp_option_byname(name);
  if (opt < 0 || (settable && opt == LTCP_OPT_ERROR))
    luaL_argerror(L, 2, lua_pushfstring(L, "unsupported option `%s'", name));
  return opt;
}

static int option_failed(lua_State *L, const char *what) {
  lua_pushnil(L);
  lua_pushstring(L, what);
  return 2;
}

static int m_getoption(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_ANY);
  int opt = check_option(L, 0), value = 0, linger = 0;
  int rc = ltcp_getoption(t, (ltcp_option_t)opt, &value, &linger);
  if (rc) return option_failed(L, "getsockopt failed");
  if (opt == LTCP_OPT_LINGER) {
    lua_createtable(L, 0, 2);
    lua_pushboolean(L, value);
    lua_setfield(L, -2, "on");
    lua_pushinteger(L, linger);
    lua_setfield(L, -2, "timeout");
  } else if (opt == LTCP_OPT_ERROR) {
    if (value) lua_pushstring(L, ltcp_strerror(value));
    else lua_pushnil(L);
  } else if (is_boolean_option(opt) || opt == LTCP_OPT_TCP_FASTOPEN_CONNECT) {
    lua_pushboolean(L, value);
  } else {
    lua_pushnumber(L, value);
  }
  return 1;
}

static int to_int(lua_Number n) {
  long long v = ltcp_l_tollong(n);
  return v > 0x7fffffff ? 0x7fffffff : v < -0x7fffffff ? -0x7fffffff : (int)v;
}

static int m_setoption(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_ANY);
  int opt = check_option(L, 1), value, linger = 0, rc;
  if (opt == LTCP_OPT_LINGER) {
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_getfield(L, 3, "on");
    if (!lua_isboolean(L, -1)) return luaL_argerror(L, 3, "boolean 'on' field expected");
    value = lua_toboolean(L, -1);
    lua_getfield(L, 3, "timeout");
    if (!lua_isnumber(L, -1)) return luaL_argerror(L, 3, "number 'timeout' field expected");
    linger = to_int(lua_tonumber(L, -1));
  } else if (is_boolean_option(opt)) {
    luaL_checktype(L, 3, LUA_TBOOLEAN);
    value = lua_toboolean(L, 3);
  } else if (opt == LTCP_OPT_TCP_FASTOPEN_CONNECT && lua_isboolean(L, 3)) {
    value = lua_toboolean(L, 3);
  } else {
    value = to_int(lua_tonumber(L, 3));
  }
  rc = ltcp_setoption(t, (ltcp_option_t)opt, value, linger);
  if (rc) return option_failed(L, "setsockopt failed");
  lua_pushnumber(L, 1);
  return 1;
}

const luaL_Reg ltcp_l_option_methods[] = {
  {"getoption", m_getoption}, {"setoption", m_setoption}, {NULL, NULL}};
