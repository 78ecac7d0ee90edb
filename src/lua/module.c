/* luaopen_ltcp: builds the three class metatables and the module table, and pairs ltcp_init with
 * ltcp_cleanup through a __gc sentinel (no global side effects: each load of the module holds its
 * own reference). ltcp.compat lives in compat_module.c. */
#include "lltcp.h"

LTCP_EXPORT int luaopen_ltcp(lua_State *L);

static int new_master(lua_State *L, ltcp_family_t family) {
  ltcp_t *t = ltcp_l_newobject(L);
  int rc = ltcp_open(t, family);
  if (rc) return ltcp_l_fail(L, rc);
  ltcp_l_setclass(L, -1, t);
  return 1;
}

static int f_tcp(lua_State *L) {
  return new_master(L, LTCP_FAMILY_UNSPEC);
}

static int f_tcp4(lua_State *L) {
  return new_master(L, LTCP_FAMILY_INET);
}

static int f_tcp6(lua_State *L) {
  return new_master(L, LTCP_FAMILY_INET6);
}

/* connect(address, port [, locaddr [, locport [, family]]]) */
static int f_connect(lua_State *L) {
  static const char *const families[] = {"unspec", "inet", "inet6", NULL};
  static const ltcp_family_t family_ids[] = {LTCP_FAMILY_UNSPEC, LTCP_FAMILY_INET,
                                             LTCP_FAMILY_INET6};
  const char *host = luaL_checkstring(L, 1);
  int port = ltcp_l_checkport(L, 2, 1);
  const char *locaddr = luaL_optstring(L, 3, NULL);
  int locport = lua_isnoneornil(L, 4) ? 0 : ltcp_l_checkport(L, 4, 0);
  ltcp_family_t family = family_ids[luaL_checkoption(L, 5, "unspec", families)];
  ltcp_t *t = ltcp_l_newobject(L);
  int rc = ltcp_connect_to(t, host, port, locaddr, locport, family);
  if (rc) {
    ltcp_close(t);
    return ltcp_l_fail(L, rc);
  }
  ltcp_l_setclass(L, -1, t);
  return 1;
}

/* bind(address, port [, backlog]) */
static int f_bind(lua_State *L) {
  const char *host = luaL_checkstring(L, 1);
  int port = ltcp_l_checkport(L, 2, 0);
  int backlog = (int)ltcp_l_tollong(luaL_optnumber(L, 3, 32));
  ltcp_t *t = ltcp_l_newobject(L);
  int rc = ltcp_bind_to(t, host, port, backlog);
  if (rc) {
    ltcp_close(t);
    return ltcp_l_fail(L, rc);
  }
  ltcp_l_setclass(L, -1, t);
  return 1;
}

static int f_gettime(lua_State *L) {
  lua_pushnumber(L, ltcp_gettime());
  return 1;
}

static int f_sleep(lua_State *L) {
  ltcp_sleep(luaL_checknumber(L, 1));
  return 0;
}

/* ignoresigpipe(): the explicit, process-wide opt-in (ltcp_ignore_sigpipe); true, or nil and a
 * message. ltcp.compat calls it as LuaSocket's core does when it loads; plain ltcp never does. */
static int f_ignoresigpipe(lua_State *L) {
  int rc = ltcp_ignore_sigpipe();
  if (rc) return ltcp_l_fail(L, rc);
  lua_pushboolean(L, 1);
  return 1;
}

const luaL_Reg ltcp_l_module_functions[] = {{"tcp", f_tcp},
                                            {"tcp4", f_tcp4},
                                            {"tcp6", f_tcp6},
                                            {"connect", f_connect},
                                            {"bind", f_bind},
                                            {"select", ltcp_l_select},
                                            {"gettime", f_gettime},
                                            {"sleep", f_sleep},
                                            {"ignoresigpipe", f_ignoresigpipe},
                                            {NULL, NULL}};

static int sentinel_gc(lua_State *L) {
  (void)L;
  ltcp_cleanup();
  return 0;
}

static void push_upvalues(lua_State *L, int first) {
  int i;
  for (i = 0; i < LTCP_L_NUPVALUES; i++) lua_pushvalue(L, first + i);
}

int luaopen_ltcp(lua_State *L) {
  static const luaL_Reg *const method_sets[] = {ltcp_l_class_methods, ltcp_l_conn_methods,
                                                ltcp_l_io_methods, ltcp_l_option_methods,
                                                ltcp_l_until_methods};
  int i, k, first;
  if (ltcp_init() != 0) return luaL_error(L, "ltcp: %s", ltcp_strerror(LTCP_ENOTINIT));
  /* The sentinel first: created before any object, it is finalized after them. */
  lua_newuserdata(L, 1);
  lua_newtable(L);
  lua_pushcfunction(L, sentinel_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  (void)luaL_ref(L, LUA_REGISTRYINDEX);

  first = lua_gettop(L) + 1;
  for (i = 0; i < LTCP_L_NUPVALUES; i++) lua_newtable(L);
  for (i = 0; i < LTCP_L_NUPVALUES; i++) {
    int mt = first + i;
    lua_pushvalue(L, mt);
    push_upvalues(L, first);
    ltcp_l_setfuncs(L, ltcp_l_meta_methods, LTCP_L_NUPVALUES);
    lua_newtable(L); /* __index */
    for (k = 0; k < (int)(sizeof method_sets / sizeof method_sets[0]); k++) {
      push_upvalues(L, first);
      ltcp_l_setfuncs(L, method_sets[k], LTCP_L_NUPVALUES);
    }
    lua_pushstring(L, ltcp_l_class_names[i]);
    lua_setfield(L, -2, "class");
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, ltcp_l_class_names[i]);
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
  }

  lua_newtable(L);
  push_upvalues(L, first);
  ltcp_l_setfuncs(L, ltcp_l_module_functions, LTCP_L_NUPVALUES);
  ltcp_l_pushdns(L);
  lua_setfield(L, -2, "dns");
  lua_pushliteral(L, "ltcp " LTCP_VERSION_STRING);
  lua_setfield(L, -2, "_VERSION");
  lua_pushinteger(L, -1);
  lua_setfield(L, -2, "_SOCKETINVALID");
  /* A finite, truthful count for programs that size work by it (select itself has no limit):
   * the descriptor limit when the module is loaded. */
  lua_pushinteger(L, ltcp_maxsockets());
  lua_setfield(L, -2, "_SETSIZE");
  return 1;
}
