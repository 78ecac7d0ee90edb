/* socket.dns for the compat layer: toip, tohostname, getaddrinfo, getnameinfo, gethostname.
 * ltcp.h has no resolver API, so this file (and only this one in src/lua) uses the C library's
 * getaddrinfo/getnameinfo directly. Shapes and messages copy LuaSocket's: toip/tohostname take
 * IPv4 names and say "host not found"; getaddrinfo lists {family, addr} in resolver order and
 * reports failures with the same words as the core's error table. */
#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#endif
#include <string.h>

#include "lltcp.h"

/* HOSTLEN/SERVLEN are not POSIX names. */
#define HOSTLEN 1025
#define SERVLEN 32

static const char *gai_message(int rc) {
  int code;
  switch (rc) {
  case EAI_AGAIN: code = LTCP_EAGAIN; break;
  case EAI_FAIL: code = LTCP_EFAIL; break;
  case EAI_FAMILY: code = LTCP_EFAMILY; break;
  case EAI_MEMORY: code = LTCP_ENOMEM; break;
  case EAI_NONAME: code = LTCP_ENONAME; break;
  case EAI_SERVICE: code = LTCP_ESERVICE; break;
#if defined(EAI_NODATA) && EAI_NODATA != EAI_NONAME
  case EAI_NODATA: code = LTCP_ENONAME; break;
#endif
  default: code = LTCP_EUNKNOWN; break;
  }
  return ltcp_strerror(code);
}

static int numeric_host(const struct sockaddr *sa, socklen_t len, char *out, size_t outlen) {
  return getnameinfo(sa, len, out, (socklen_t)outlen, NULL, 0, NI_NUMERICHOST);
}

/* The resolved table {name=, alias={}, ip={...}} and the first address, for an IPv4 name or
 * dotted quad (a dotted quad is named by reverse lookup, as gethostbyaddr does for LuaSocket). */
static int resolve4(lua_State *L, const char *name, int want_name) {
  struct addrinfo hints, *res = NULL, *ai;
  struct in_addr probe;
  char host[HOSTLEN], canon[HOSTLEN];
  int rc, n = 0;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_CANONNAME;
  rc = getaddrinfo(name, NULL, &hints, &res);
  if (rc != 0 || !res) {
    lua_pushnil(L);
    lua_pushstring(L, rc == EAI_NONAME || rc == 0 ? "host not found" : gai_message(rc));
    return 2;
  }
  canon[0] = '\0';
  if (inet_pton(AF_INET, name, &probe) == 1) {
    if (getnameinfo(res->ai_addr, (socklen_t)res->ai_addrlen, canon, sizeof canon, NULL, 0,
                    NI_NAMEREQD) != 0) {
      freeaddrinfo(res);
      lua_pushnil(L);
      lua_pushstring(L, "host not found");
      return 2;
    }
  } else {
    strncpy(canon, res->ai_canonname ? res->ai_canonname : name, sizeof canon - 1);
    canon[sizeof canon - 1] = '\0';
  }
  lua_pushnil(L); /* slot for the first result */
  lua_createtable(L, 0, 3);
  lua_pushstring(L, canon);
  lua_setfield(L, -2, "name");
  lua_newtable(L);
  lua_setfield(L, -2, "alias");
  lua_newtable(L);
  for (ai = res; ai; ai = ai->ai_next) {
    if (numeric_host(ai->ai_addr, (socklen_t)ai->ai_addrlen, host, sizeof host) != 0) continue;
    lua_pushstring(L, host);
    lua_rawseti(L, -2, ++n);
  }
  lua_setfield(L, -2, "ip");
  freeaddrinfo(res);
  if (want_name) {
    lua_pushstring(L, canon);
  } else {
    lua_getfield(L, -1, "ip");
    lua_rawgeti(L, -1, 1);
    lua_remove(L, -2);
  }
  lua_replace(L, -3);
  return 2;
}

static int dns_toip(lua_State *L) {
  return resolve4(L, luaL_checkstring(L, 1), 0);
}

static int dns_tohostname(lua_State *L) {
  return resolve4(L, luaL_checkstring(L, 1), 1);
}

static int dns_getaddrinfo(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  struct addrinfo hints, *res = NULL, *ai;
  char host[HOSTLEN];
  int rc, n = 0;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  rc = getaddrinfo(name, NULL, &hints, &res);
  if (rc != 0) {
    lua_pushnil(L);
    lua_pushstring(L, gai_message(rc));
    return 2;
  }
  lua_newtable(L);
  for (ai = res; ai; ai = ai->ai_next) {
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
    if (numeric_host(ai->ai_addr, (socklen_t)ai->ai_addrlen, host, sizeof host) != 0) continue;
    lua_createtable(L, 0, 2);
    lua_pushstring(L, ai->ai_family == AF_INET ? "inet" : "inet6");
    lua_setfield(L, -2, "family");
    lua_pushstring(L, host);
    lua_setfield(L, -2, "addr");
    lua_rawseti(L, -2, ++n);
  }
  freeaddrinfo(res);
  return 1;
}

/* getnameinfo(host [, port]): the names of every address of host, and the service name. */
static int dns_getnameinfo(lua_State *L) {
  const char *name = luaL_optstring(L, 1, NULL);
  const char *serv = luaL_optstring(L, 2, NULL);
  struct addrinfo hints, *res = NULL, *ai;
  char host[HOSTLEN], service[SERVLEN];
  int rc, n = 0;
  if (!name && !serv) return luaL_argerror(L, 1, "host or port expected");
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  rc = getaddrinfo(name, serv, &hints, &res);
  if (rc != 0) {
    lua_pushnil(L);
    lua_pushstring(L, gai_message(rc));
    return 2;
  }
  lua_newtable(L);
  service[0] = '\0';
  for (ai = res; ai; ai = ai->ai_next) {
    rc = getnameinfo(ai->ai_addr, (socklen_t)ai->ai_addrlen, host, sizeof host, service,
                     serv ? sizeof service : 0, 0);
    if (rc != 0) {
      freeaddrinfo(res);
      lua_pushnil(L);
      lua_pushstring(L, gai_message(rc));
      return 2;
    }
    if (name) {
      lua_pushstring(L, host);
      lua_rawseti(L, -2, ++n);
    }
  }
  freeaddrinfo(res);
  if (!serv) return 1;
  lua_pushstring(L, service);
  return 2;
}

static int dns_gethostname(lua_State *L) {
  char name[257];
  if (gethostname(name, sizeof name - 1) != 0) {
    lua_pushnil(L);
    lua_pushstring(L, ltcp_strerror(LTCP_EUNKNOWN));
    return 2;
  }
  name[sizeof name - 1] = '\0';
  lua_pushstring(L, name);
  return 1;
}

static const luaL_Reg dns_functions[] = {
  {"toip", dns_toip},
  {"tohostname", dns_tohostname},
  {"getaddrinfo", dns_getaddrinfo},
  {"getnameinfo", dns_getnameinfo},
  {"gethostname", dns_gethostname},
  {NULL, NULL}
};

void ltcp_l_pushdns(lua_State *L) {
  lua_newtable(L);
  ltcp_l_setfuncs(L, dns_functions, 0);
}
