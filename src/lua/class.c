/* Classes tcp{master}, tcp{client}, tcp{server}: class checks by metatable identity, the
 * metamethods (__tostring, __gc, __close) and the accessors that work in every state (close,
 * fd, dirty, family, timeouts, stats). Return values copy LuaSocket's: numbers it pushes as
 * floats stay floats on 5.3+ (1.0 for success), so scripts that compare math.type agree. */
#include <limits.h>
#include <math.h>
#include <stdint.h>

#include "lltcp.h"

const char *const ltcp_l_class_names[3] = {"tcp{master}", "tcp{client}", "tcp{server}"};

int ltcp_l_classof(lua_State *L, int idx) {
  int i, cls = 0;
  /* Full userdata only: Lua code can give a table our metatable, never a userdata. */
  const void *mt;
  if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return 0;
  mt = lua_topointer(L, -1); /* identity of the metatable: what rawequal tests for tables */
  lua_pop(L, 1);
  for (i = 0; i < LTCP_L_NUPVALUES; i++) {
    if (mt == lua_topointer(L, lua_upvalueindex(i + 1))) {
      cls = 1 << i;
      break;
    }
  }
  return cls;
}

static const char *class_name(int cls) {
  switch (cls) {
  case LTCP_L_MASTER: return ltcp_l_class_names[0];
  case LTCP_L_CLIENT: return ltcp_l_class_names[1];
  case LTCP_L_SERVER: return ltcp_l_class_names[2];
  default: return "tcp{any}";
  }
}

ltcp_t *ltcp_l_check(lua_State *L, int idx, int mask) {
  int cls;
  /* Hot path (receive, send): one expected class, one pointer comparison. */
  if (mask == LTCP_L_CLIENT && lua_type(L, idx) == LUA_TUSERDATA && lua_getmetatable(L, idx)) {
    const void *mt = lua_topointer(L, -1);
    lua_pop(L, 1);
    if (mt == lua_topointer(L, lua_upvalueindex(2))) return (ltcp_t *)lua_touserdata(L, idx);
  }
  cls = ltcp_l_classof(L, idx);
  if (!(cls & mask)) {
    const char *got = cls ? class_name(cls) : luaL_typename(L, idx);
    luaL_argerror(L, idx, lua_pushfstring(L, "%s expected, got %s", class_name(mask), got));
  }
  return (ltcp_t *)lua_touserdata(L, idx);
}

void ltcp_l_setclass(lua_State *L, int idx, ltcp_t *t) {
  int up;
  switch (ltcp_state(t)) {
  case LTCP_STATE_MASTER: up = 1; break;
  case LTCP_STATE_CLIENT: up = 2; break;
  case LTCP_STATE_SERVER: up = 3; break;
  default: return;
  }
  idx = ltcp_l_absindex(L, idx);
  lua_pushvalue(L, lua_upvalueindex(up));
  lua_setmetatable(L, idx);
}

ltcp_t *ltcp_l_newobject(lua_State *L) {
  return (ltcp_t *)lua_newuserdata(L, ltcp_sizeof());
}

int ltcp_l_fail(lua_State *L, int rc) {
  lua_pushnil(L);
  lua_pushstring(L, ltcp_strerror(rc));
  return 2;
}

int ltcp_l_checkport(lua_State *L, int idx, int lo) {
  int isnum;
  lua_Number n = ltcp_l_tonumberx(L, idx, &isnum);
  if (!isnum) {
    if (lua_type(L, idx) == LUA_TSTRING)
      luaL_argerror(L, idx, lua_pushfstring(L, "invalid port '%s'", lua_tostring(L, idx)));
    else luaL_argerror(L, idx, lua_pushfstring(L, "port expected, got %s", luaL_typename(L, idx)));
  }
  if (!(n >= lo && n <= 65535) || n != floor(n))
    luaL_argerror(L, idx, lua_pushfstring(L, "port out of range [%d..65535]", lo));
  return (int)n;
}

size_t ltcp_l_checksize(lua_State *L, int idx, const char *what) {
  lua_Number n = luaL_checknumber(L, idx);
  if (!(n >= 1) || n != floor(n))
    luaL_argerror(L, idx, lua_pushfstring(L, "%s must be a positive integer", what));
  return n >= (lua_Number)SIZE_MAX ? SIZE_MAX : (size_t)n;
}

long long ltcp_l_tollong(lua_Number n) {
  if (n != n) return 0;
  if (n >= 4611686018427387904.0) return 4611686018427387904LL; /* 2^62: no overflow later */
  if (n <= -4611686018427387904.0) return -4611686018427387904LL;
  return (long long)n;
}

/* ---- metamethods ---- */

static int meta_tostring(lua_State *L) {
  lua_pushfstring(L, "%s: %p", class_name(ltcp_l_classof(L, 1)), lua_touserdata(L, 1));
  return 1;
}

/* Lua code can reach this through getmetatable(obj).__gc and hand it anything, LuaSocket's or
 * LuaSec's userdata included: a foreign userdata is an argument error, like for every method,
 * never a close of memory that is not an ltcp_t. A table given our metatable is collected
 * through here too (5.2+): nothing to do, and no error (the collector would report it). */
static int meta_gc(lua_State *L) {
  if (lua_type(L, 1) != LUA_TUSERDATA) return 0;
  ltcp_close(ltcp_l_check(L, 1, LTCP_L_ANY));
  return 0;
}

/* ---- methods on every class ---- */

static int m_close(lua_State *L) {
  ltcp_close(ltcp_l_check(L, 1, LTCP_L_ANY));
  lua_pushnumber(L, 1);
  return 1;
}

static int m_getfd(lua_State *L) {
  ltcp_os_sock_t s = ltcp_getfd(ltcp_l_check(L, 1, LTCP_L_ANY));
  if (s == LTCP_INVALID_SOCKET) lua_pushinteger(L, -1);
  else lua_pushinteger(L, (lua_Integer)s);
  return 1;
}

static int m_setfd(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_ANY);
  lua_Integer fd;
  if (ltcp_l_isinteger(L, 2)) fd = lua_tointeger(L, 2);
  else fd = (lua_Integer)ltcp_l_tollong(luaL_checknumber(L, 2));
  ltcp_setfd(t, fd < 0 ? LTCP_INVALID_SOCKET : (ltcp_os_sock_t)fd);
  return 0;
}

static int m_dirty(lua_State *L) {
  lua_pushboolean(L, ltcp_dirty(ltcp_l_check(L, 1, LTCP_L_ANY)));
  return 1;
}

static int m_getfamily(lua_State *L) {
  ltcp_family_t fam = ltcp_getfamily(ltcp_l_check(L, 1, LTCP_L_ANY));
  /* LuaSocket says "inet4" for anything not IPv6, including a tcp() not yet bound. */
  lua_pushstring(L, fam == LTCP_FAMILY_INET6 ? "inet6" : "inet4");
  return 1;
}

static int m_settimeout(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_ANY);
  lua_Number value = luaL_optnumber(L, 2, -1);
  const char *mode = luaL_optstring(L, 3, "b");
  if (mode[0] != 'b' && mode[0] != 't' && mode[0] != 'r')
    return luaL_argerror(L, 3, "invalid timeout mode");
  if (value != value) return luaL_argerror(L, 2, "timeout is NaN");
  ltcp_settimeout(t, value, (ltcp_timeout_mode_t)mode[0]);
  lua_pushnumber(L, 1);
  return 1;
}

/* settimeouts(connect, send, read): ltcp addition (Copas's and OpenResty's, in seconds). Each
 * is the block timeout of one kind of wait; nil leaves that one as it is; negative = forever.
 * settimeout(v) ('b') sets all three; the total timeout still bounds every call; gettimeout keeps
 * reporting what settimeout set. Returns 1. */
static int m_settimeouts(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_ANY);
  int op;
  for (op = LTCP_TIMEOUT_CONNECT; op <= LTCP_TIMEOUT_READ; op++) {
    lua_Number v;
    if (lua_isnoneornil(L, op + 2)) continue;
    v = luaL_checknumber(L, op + 2);
    if (v != v) return luaL_argerror(L, op + 2, "timeout is NaN");
  }
  for (op = LTCP_TIMEOUT_CONNECT; op <= LTCP_TIMEOUT_READ; op++)
    if (!lua_isnoneornil(L, op + 2))
      ltcp_settimeout_op(t, (ltcp_timeout_op_t)op, lua_tonumber(L, op + 2));
  lua_pushnumber(L, 1);
  return 1;
}

/* gettimeouts(): ltcp addition; the connect, send and read timeouts (-1: none). */
static int m_gettimeouts(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_ANY);
  int op;
  for (op = LTCP_TIMEOUT_CONNECT; op <= LTCP_TIMEOUT_READ; op++) {
    double v = -1;
    ltcp_gettimeout_op(t, (ltcp_timeout_op_t)op, &v);
    lua_pushnumber(L, v);
  }
  return 3;
}

static int m_gettimeout(lua_State *L) {
  double block = -1, total = -1;
  ltcp_gettimeout(ltcp_l_check(L, 1, LTCP_L_ANY), &block, &total);
  lua_pushnumber(L, block);
  lua_pushnumber(L, total);
  return 2;
}

static int m_getstats(lua_State *L) {
  double received = 0, sent = 0, age = 0;
  ltcp_getstats(ltcp_l_check(L, 1, LTCP_L_ANY), &received, &sent, &age);
  lua_pushnumber(L, received);
  lua_pushnumber(L, sent);
  lua_pushnumber(L, age);
  return 3;
}

static int m_setstats(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_ANY);
  double received = 0, sent = 0, age = 0;
  ltcp_getstats(t, &received, &sent, &age);
  /* Byte counts are whole numbers, as LuaSocket keeps them. */
  received = (double)ltcp_l_tollong(luaL_optnumber(L, 2, received));
  sent = (double)ltcp_l_tollong(luaL_optnumber(L, 3, sent));
  age = luaL_optnumber(L, 4, age);
  if (ltcp_setstats(t, received, sent, age) != 0) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushnumber(L, 1);
  return 1;
}

const luaL_Reg ltcp_l_class_methods[] = {{"close", m_close},
                                         {"getfd", m_getfd},
                                         {"setfd", m_setfd},
                                         {"dirty", m_dirty},
                                         {"getfamily", m_getfamily},
                                         {"settimeout", m_settimeout},
                                         {"gettimeout", m_gettimeout},
                                         {"settimeouts", m_settimeouts},
                                         {"gettimeouts", m_gettimeouts},
                                         {"getstats", m_getstats},
                                         {"setstats", m_setstats},
                                         {NULL, NULL}};

const luaL_Reg ltcp_l_meta_methods[] = {{"__tostring", meta_tostring},
                                        {"__gc", meta_gc},
#if LUA_VERSION_NUM >= 504
                                        {"__close", meta_gc},
#endif
                                        {NULL, NULL}};
