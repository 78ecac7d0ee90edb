/* client:receive and client:send. A result already in the object's buffer becomes the string
 * directly (ltcp_receive_buffered); otherwise receive hands the core a sink over the Lua buffer
 * (prepare -> prepbuffsize, commit -> addsize), so bytes go from the kernel into it once.
 * Invariant: between buffer init and pushresult nothing else is pushed on the stack (luaL_Buffer's
 * rule); the result shapes are LuaSocket's: data, nil, nil | nil, err, partial; and for send
 * last, nil, nil | nil, err, last, with the index as a float as LuaSocket pushes it. */
#include <stdint.h>

#include "lltcp.h"

static char *sink_prepare(void *ctx, size_t want) {
  return ltcp_l_prepbuffsize((ltcp_l_buffer *)ctx, want);
}

static void sink_commit(void *ctx, size_t n) {
  ltcp_l_addsize((ltcp_l_buffer *)ctx, n);
}

ltcp_sink_t ltcp_l_sink(ltcp_l_buffer *b) {
  ltcp_sink_t sink;
  sink.prepare = sink_prepare;
  sink.commit = sink_commit;
  sink.ctx = b;
  return sink;
}

/* The pattern at index 2: "*l..." / "*a..." by the first two characters (as LuaSocket), or a
 * count (numbers and numeric strings). Anything else is misuse. */
static ltcp_pattern_t check_pattern(lua_State *L, size_t *count) {
  int type = lua_type(L, 2);
  *count = 0;
  if (type == LUA_TNONE || type == LUA_TNIL) return LTCP_RECV_LINE;
  if (type == LUA_TSTRING) {
    const char *p = lua_tostring(L, 2);
    if (p[0] == '*' && p[1] == 'l') return LTCP_RECV_LINE;
    if (p[0] == '*' && p[1] == 'a') return LTCP_RECV_ALL;
  }
  if (type == LUA_TSTRING || type == LUA_TNUMBER) {
    int isnum;
    lua_Number n = ltcp_l_tonumberx(L, 2, &isnum);
    if (!isnum || !(n >= 0)) luaL_argerror(L, 2, "invalid receive pattern");
    *count = n >= (lua_Number)SIZE_MAX ? SIZE_MAX : (size_t)n;
    return LTCP_RECV_COUNT;
  }
  luaL_checklstring(L, 2, NULL); /* raises "string expected, got <type>" */
  return LTCP_RECV_LINE;
}

/* The maxsize at index 4 (upstream LuaSocket's third receive argument): 0 when absent. Checked
 * before any I/O with upstream's rules and words. */
static size_t check_maxsize(lua_State *L, ltcp_pattern_t pattern, size_t count, size_t prefix_len) {
  lua_Number m;
  size_t maxsize;
  if (lua_isnoneornil(L, 4)) return 0;
  m = luaL_checknumber(L, 4);
  luaL_argcheck(L, m >= 1 && m < (lua_Number)SIZE_MAX, 4, "maxsize must be a positive number");
  maxsize = (size_t)m;
  luaL_argcheck(L, prefix_len < maxsize, 4,
                "prefix length >= maxsize (drain with prefix=\"\" or raise maxsize)");
  if (pattern == LTCP_RECV_COUNT)
    luaL_argcheck(L, count <= maxsize, 4, "maxsize smaller than requested byte count");
  return maxsize;
}

static int m_receive(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_CLIENT);
  size_t prefix_len = 0, count, maxsize = 0;
  const char *prefix = "";
  int more = lua_gettop(L) > 2; /* receive(pattern) is the common call: no optional arguments */
  ltcp_pattern_t pattern;
  ltcp_l_buffer b;
  ltcp_sink_t sink;
  int rc;
  if (more && !lua_isnoneornil(L, 3)) prefix = luaL_checklstring(L, 3, &prefix_len);
  pattern = check_pattern(L, &count); /* after the prefix: LuaSocket checks in this order */
  if (more) maxsize = check_maxsize(L, pattern, count, prefix_len);
  if (prefix_len == 0 && pattern != LTCP_RECV_ALL && !(maxsize && pattern == LTCP_RECV_LINE)) {
    /* Fast path: the whole result is already buffered. The string is made straight from the
     * object's buffer: one copy, no Lua buffer. (A capped line takes the general path.) */
    const char *data;
    size_t len;
    if (ltcp_receive_buffered(t, pattern, count, &data, &len) == 0 && data) {
      lua_pushlstring(L, data, len);
      lua_pushnil(L);
      lua_pushnil(L);
      return 3;
    }
  }
  ltcp_l_buffinit(L, &b);
  sink = ltcp_l_sink(&b);
  rc = ltcp_receive_max(t, pattern, count, prefix, prefix_len, maxsize, &sink);
  ltcp_l_pushresult(&b);
  if (rc == 0) {
    lua_pushnil(L);
    lua_pushnil(L);
    return 3;
  }
  /* The arguments were checked above: the only LTCP_EINVAL left is a prefix that already fills
   * the object's default cap (setlimit), and nothing was read. */
  if (rc == LTCP_EINVAL) return luaL_argerror(L, 3, "prefix length >= the limit set by setlimit");
  lua_pushnil(L);
  lua_pushstring(L, ltcp_strerror(rc));
  lua_pushvalue(L, -3);
  return 3;
}

static int m_send(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_CLIENT);
  size_t len;
  const char *data = luaL_checklstring(L, 2, &len);
  long long i = 1, j = -1, last = 0;
  int rc;
  if (lua_gettop(L) > 2) { /* send(data) is the common call: no optional arguments to parse */
    i = ltcp_l_tollong(luaL_optnumber(L, 3, 1));
    j = ltcp_l_tollong(luaL_optnumber(L, 4, -1));
  }
  rc = ltcp_send(t, data, len, i, j, &last);
  if (rc == 0) {
    lua_pushnumber(L, (lua_Number)last);
    lua_pushnil(L);
    lua_pushnil(L);
    return 3;
  }
  lua_pushnil(L);
  lua_pushstring(L, ltcp_strerror(rc));
  lua_pushnumber(L, (lua_Number)last);
  return 3;
}

/* client:setlimit(n): ltcp only (LuaSocket has no such method). The object's default maxsize
 * for '*l' and '*a' (0 or nil: no cap, the default): a receive without its own maxsize behaves
 * as if given n, and past it returns nil, "oversized" and the partial; the rest stays buffered.
 * Returns 1. */
static int m_setlimit(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_CLIENT);
  lua_Number n = luaL_optnumber(L, 2, 0);
  luaL_argcheck(L, n >= 0 && n == n, 2, "limit must be a non-negative number");
  ltcp_setlimit(t, n >= (lua_Number)SIZE_MAX ? SIZE_MAX : (size_t)n);
  lua_pushnumber(L, 1);
  return 1;
}

/* client:receiveany(max): ltcp addition (OpenResty's). Up to max bytes of whatever has arrived,
 * waiting only while nothing has; max is a required positive integer. data | nil, err, "". */
static int m_receiveany(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_CLIENT);
  size_t max = ltcp_l_checksize(L, 2, "max");
  const char *data;
  size_t len;
  ltcp_l_buffer b;
  ltcp_sink_t sink;
  int rc;
  if (ltcp_peek(t, &data, &len) == 0 && len > 0) {
    /* buffered bytes: straight from the object's buffer, one copy */
    if (len > max) len = max;
    lua_pushlstring(L, data, len);
    (void)ltcp_skip(t, len);
    return 1;
  }
  ltcp_l_buffinit(L, &b);
  sink = ltcp_l_sink(&b);
  rc = ltcp_receive_any(t, max, &sink);
  ltcp_l_pushresult(&b);
  if (rc == 0) return 1;
  lua_pushnil(L);
  lua_pushstring(L, ltcp_strerror(rc));
  lua_pushvalue(L, -3); /* "" */
  return 3;
}

const luaL_Reg ltcp_l_io_methods[] = {{"setlimit", m_setlimit},
                                      {"receiveany", m_receiveany},
                                      {"receive", m_receive},
                                      {"send", m_send},
                                      {NULL, NULL}};
