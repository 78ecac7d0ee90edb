/* Methods that move an object through its states (bind, connect, listen, accept, shutdown) and
 * the address queries. Invariant: after every call that can change the core state the object's
 * metatable is synced (ltcp_l_setclass), so a failed connect leaves a tcp{client} as in LuaSocket.
 * Address results copy LuaSocket's shapes: getsockname gives the port as a string, getpeername
 * as an integer; failures give nil, message (two values). setconnectdelay/getconnectdelay (the
 * Happy Eyeballs delay) are ltcp's own. */
#include "lltcp.h"

static int push_ok(lua_State *L) {
  lua_pushnumber(L, 1);
  return 1;
}

static int m_bind(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_MASTER);
  const char *host = luaL_checkstring(L, 2);
  int port = ltcp_l_checkport(L, 3, 0);
  int rc = ltcp_bind(t, host, port);
  return rc ? ltcp_l_fail(L, rc) : push_ok(L);
}

static int m_connect(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_ANY);
  const char *host = luaL_checkstring(L, 2);
  int port = ltcp_l_checkport(L, 3, 1);
  int rc = ltcp_connect(t, host, port);
  ltcp_l_setclass(L, 1, t);
  return rc ? ltcp_l_fail(L, rc) : push_ok(L);
}

/* setconnectdelay(seconds): the Happy Eyeballs delay of this object's connects (ltcp only). */
static int m_setconnectdelay(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_ANY);
  lua_Number d = luaL_checknumber(L, 2);
  if (ltcp_setconnectdelay(t, (double)d) != 0)
    return luaL_argerror(L, 2, "delay must be 0 or more seconds");
  return push_ok(L);
}

static int m_getconnectdelay(lua_State *L) {
  double d = 0.0;
  (void)ltcp_getconnectdelay(ltcp_l_check(L, 1, LTCP_L_ANY), &d);
  lua_pushnumber(L, (lua_Number)d);
  return 1;
}

static int m_listen(lua_State *L) {
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_MASTER);
  int backlog = (int)ltcp_l_tollong(luaL_optnumber(L, 2, 32));
  int rc = ltcp_listen(t, backlog);
  ltcp_l_setclass(L, 1, t);
  return rc ? ltcp_l_fail(L, rc) : push_ok(L);
}

static int m_accept(lua_State *L) {
  ltcp_t *server = ltcp_l_check(L, 1, LTCP_L_SERVER);
  ltcp_t *client = ltcp_l_newobject(L);
  int rc = ltcp_accept(server, client);
  if (rc) return ltcp_l_fail(L, rc); /* client is a closed object: no metatable, nothing to free */
  ltcp_l_setclass(L, -1, client);
  return 1;
}

static int m_shutdown(lua_State *L) {
  static const char *const modes[] = {"receive", "send", "both", NULL};
  ltcp_t *t = ltcp_l_check(L, 1, LTCP_L_CLIENT);
  int how = luaL_checkoption(L, 2, "both", modes);
  /* LuaSocket always reports success here. */
  (void)ltcp_shutdown(t, (ltcp_shutdown_t)how);
  return push_ok(L);
}

static const char *family_name(int family) {
  return family == LTCP_FAMILY_INET6 ? "inet6" : "inet";
}

static int m_getsockname(lua_State *L) {
  ltcp_addr_t a;
  int rc = ltcp_getsockname(ltcp_l_check(L, 1, LTCP_L_ANY), &a);
  if (rc == LTCP_ECLOSED) rc = LTCP_EBADF; /* LuaSocket reports the OS's EBADF on -1 */
  if (rc) return ltcp_l_fail(L, rc);
  lua_pushstring(L, a.host);
  lua_pushfstring(L, "%d", a.port);
  lua_pushstring(L, family_name(a.family));
  return 3;
}

static int m_getpeername(lua_State *L) {
  ltcp_addr_t a;
  int rc = ltcp_getpeername(ltcp_l_check(L, 1, LTCP_L_ANY), &a);
  if (rc == LTCP_ECLOSED) rc = LTCP_EBADF;
  if (rc == LTCP_ESTATE) rc = LTCP_ENOTCONN; /* a master or server has no peer */
  if (rc) return ltcp_l_fail(L, rc);
  lua_pushstring(L, a.host);
  lua_pushinteger(L, a.port);
  lua_pushstring(L, family_name(a.family));
  return 3;
}

const luaL_Reg ltcp_l_conn_methods[] = {{"bind", m_bind},
                                        {"setsockname", m_bind},
                                        {"connect", m_connect},
                                        {"setpeername", m_connect},
                                        {"setconnectdelay", m_setconnectdelay},
                                        {"getconnectdelay", m_getconnectdelay},
                                        {"listen", m_listen},
                                        {"accept", m_accept},
                                        {"shutdown", m_shutdown},
                                        {"getsockname", m_getsockname},
                                        {"getpeername", m_getpeername},
                                        {NULL, NULL}};
