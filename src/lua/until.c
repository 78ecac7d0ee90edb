/* client:receiveuntil(pattern [, {inclusive = bool}]): ltcp addition (OpenResty's). Returns an
 * iterator over the records of the stream that end with the literal pattern: iterator() gives the
 * rest of a record (nil, err, partial on error); iterator(size) gives pieces of at most size bytes,
 * then nil, nil once the pattern has been consumed, and the next call starts the next record.
 * The matching (KMP) and its state live in the core (ltcp_receive_until); the closure holds the
 * object and the matcher as upvalues, so the object stays alive while an iterator does.
 * Invariant: upvalues 1..3 are the class metatables (as for every function of the module), 4 the
 * object, 5 the matcher (a userdata of ltcp_until_sizeof bytes, initialised). */
#include "lltcp.h"

static int until_iter(lua_State *L) {
  ltcp_t *t = (ltcp_t *)lua_touserdata(L, lua_upvalueindex(4));
  ltcp_until_t *u = (ltcp_until_t *)lua_touserdata(L, lua_upvalueindex(5));
  size_t size = lua_isnoneornil(L, 1) ? 0 : ltcp_l_checksize(L, 1, "size");
  ltcp_l_buffer b;
  ltcp_sink_t sink;
  int rc, end = 0;
  ltcp_l_buffinit(L, &b);
  sink = ltcp_l_sink(&b);
  rc = ltcp_receive_until(t, u, size, &sink, &end);
  ltcp_l_pushresult(&b);
  if (rc == 0) {
    if (size && end) { /* the record has ended: nil, nil */
      lua_pushnil(L);
      lua_pushnil(L);
      return 2;
    }
    return 1;
  }
  lua_pushnil(L);
  lua_pushstring(L, ltcp_strerror(rc));
  lua_pushvalue(L, -3);
  return 3;
}

static int m_receiveuntil(lua_State *L) {
  size_t len;
  const char *pattern;
  int flags = 0, i;
  ltcp_until_t *u;
  (void)ltcp_l_check(L, 1, LTCP_L_CLIENT);
  pattern = luaL_checklstring(L, 2, &len);
  luaL_argcheck(L, len > 0, 2, "pattern is empty");
  luaL_argcheck(L, len <= LTCP_UNTIL_MAX, 2, "pattern too long");
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_getfield(L, 3, "inclusive");
    if (!lua_isnil(L, -1)) {
      luaL_argcheck(L, lua_isboolean(L, -1), 3, "'inclusive' must be a boolean");
      if (lua_toboolean(L, -1)) flags |= LTCP_UNTIL_INCLUSIVE;
    }
    lua_pop(L, 1);
  }
  for (i = 1; i <= LTCP_L_NUPVALUES; i++) lua_pushvalue(L, lua_upvalueindex(i));
  lua_pushvalue(L, 1);
  u = (ltcp_until_t *)lua_newuserdata(L, ltcp_until_sizeof(len));
  if (ltcp_until_init(u, pattern, len, flags) != 0) return luaL_error(L, "bad pattern");
  lua_pushcclosure(L, until_iter, LTCP_L_NUPVALUES + 2);
  return 1;
}

const luaL_Reg ltcp_l_until_methods[] = {{"receiveuntil", m_receiveuntil}, {NULL, NULL}};
