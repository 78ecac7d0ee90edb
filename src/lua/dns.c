/* socket.dns for the compat layer: toip, tohostname, getaddrinfo, getnameinfo, gethostname, over
 * the public resolver calls of ltcp.h (ltcp_dns_*): no system header, no error mapping of its
 * own. Shapes and messages copy LuaSocket's: toip/tohostname read the host entry LuaSocket
 * reads (gethostbyname / gethostbyaddr: IPv4, with the aliases) and word failures as LuaSocket
 * does ("host not found"); getaddrinfo lists {family, addr} in resolver order.
 * Invariant: scratch memory is on the C stack or in userdata on the Lua stack, so a Lua error
 * raised while results are pushed leaks nothing. */
#include "lltcp.h"

#define HOSTENT_STACK 4096     /* holds any usual host entry */
#define HOSTENT_MAX (1u << 20) /* a larger one is refused */
#define ADDRS_STACK 32         /* addresses gathered without a userdata */
#define ADDRS_MAX 1024         /* ... and with one */

static int fail(lua_State *L, const char *msg) {
  lua_pushnil(L);
  lua_pushstring(L, msg);
  return 2;
}

/* LuaSocket words host-entry failures as hstrerror does, not as getaddrinfo's errors. */
static const char *host_message(int rc) {
  switch (rc) {
  case LTCP_ENONAME: return "host not found";
  case LTCP_EAGAIN: return "Host name lookup failure";
  case LTCP_EFAIL: return "Unknown server error";
  default: return ltcp_strerror(rc);
  }
}

/* The host entry of name; on success the first result (address or name) and the table
 * {name=, alias={...}, ip={...}}. */
static int push_hostent(lua_State *L, const char *name, int want_name) {
  char stack[HOSTENT_STACK], *buf = stack;
  size_t len = sizeof stack, i;
  ltcp_hostent_t h;
  int rc;
  while ((rc = ltcp_dns_gethostbyname(name, &h, buf, len)) == LTCP_ENOBUFS && len < HOSTENT_MAX) {
    len *= 2;
    buf = lua_newuserdata(L, len); /* stays on the stack until we return */
  }
  if (rc == 0 && h.naddrs == 0) rc = LTCP_ENONAME;
  if (rc) return fail(L, host_message(rc));
  lua_pushstring(L, want_name ? h.name : h.addrs[0]);
  lua_createtable(L, 0, 3);
  lua_pushstring(L, h.name);
  lua_setfield(L, -2, "name");
  lua_createtable(L, (int)h.naliases, 0);
  for (i = 0; i < h.naliases; i++) {
    lua_pushstring(L, h.aliases[i]);
    lua_rawseti(L, -2, (int)i + 1);
  }
  lua_setfield(L, -2, "alias");
  lua_createtable(L, (int)h.naddrs, 0);
  for (i = 0; i < h.naddrs; i++) {
    lua_pushstring(L, h.addrs[i]);
    lua_rawseti(L, -2, (int)i + 1);
  }
  lua_setfield(L, -2, "ip");
  return 2;
}

static int dns_toip(lua_State *L) {
  return push_hostent(L, luaL_checkstring(L, 1), 0);
}

static int dns_tohostname(lua_State *L) {
  return push_hostent(L, luaL_checkstring(L, 1), 1);
}

/* The addresses of host:service into a scratch array (the C stack's, or a userdata when there
 * are more); *out points at them. */
static int gather(lua_State *L, const char *host, const char *service, ltcp_addr_t *stack,
                  ltcp_addr_t **out, size_t *n) {
  int rc = ltcp_dns_getaddrinfo(host, service, LTCP_FAMILY_UNSPEC, stack, ADDRS_STACK, n);
  *out = stack;
  if (rc == 0 && *n == ADDRS_STACK) {
    *out = lua_newuserdata(L, ADDRS_MAX * sizeof **out);
    rc = ltcp_dns_getaddrinfo(host, service, LTCP_FAMILY_UNSPEC, *out, ADDRS_MAX, n);
  }
  return rc;
}

static int dns_getaddrinfo(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  ltcp_addr_t stack[ADDRS_STACK], *a;
  size_t n = 0, i;
  int rc = gather(L, name, NULL, stack, &a, &n);
  if (rc) return fail(L, ltcp_strerror(rc));
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_createtable(L, 0, 2);
    lua_pushstring(L, a[i].family == LTCP_FAMILY_INET6 ? "inet6" : "inet");
    lua_setfield(L, -2, "family");
    lua_pushstring(L, a[i].host);
    lua_setfield(L, -2, "addr");
    lua_rawseti(L, -2, (int)i + 1);
  }
  return 1;
}

/* getnameinfo(host [, port]): the names of every address of host, and the service name. */
static int dns_getnameinfo(lua_State *L) {
  const char *name = luaL_optstring(L, 1, NULL);
  const char *serv = luaL_optstring(L, 2, NULL);
  ltcp_addr_t stack[ADDRS_STACK], *a;
  char host[LTCP_DNS_HOSTLEN], service[LTCP_DNS_SERVLEN];
  size_t n = 0, i;
  int rc, top;
  if (!name && !serv) return luaL_argerror(L, 1, "host or port expected");
  if ((rc = gather(L, name, serv, stack, &a, &n)) != 0) return fail(L, ltcp_strerror(rc));
  lua_newtable(L);
  top = lua_gettop(L);
  service[0] = '\0';
  for (i = 0; i < n; i++) {
    rc = ltcp_dns_getnameinfo(&a[i], name ? host : NULL, sizeof host, serv ? service : NULL,
                              sizeof service);
    if (rc) return fail(L, ltcp_strerror(rc));
    if (name) {
      lua_pushstring(L, host);
      lua_rawseti(L, top, (int)i + 1);
    }
  }
  if (!serv) return 1;
  lua_pushstring(L, service);
  return 2;
}

static int dns_gethostname(lua_State *L) {
  char name[LTCP_DNS_HOSTLEN];
  int rc = ltcp_dns_gethostname(name, sizeof name);
  if (rc) return fail(L, ltcp_strerror(rc));
  lua_pushstring(L, name);
  return 1;
}

static const luaL_Reg dns_functions[] = {{"toip", dns_toip},
                                         {"tohostname", dns_tohostname},
                                         {"getaddrinfo", dns_getaddrinfo},
                                         {"getnameinfo", dns_getnameinfo},
                                         {"gethostname", dns_gethostname},
                                         {NULL, NULL}};

void ltcp_l_pushdns(lua_State *L) {
  lua_newtable(L);
  ltcp_l_setfuncs(L, dns_functions, 0);
}
