/* getaddrinfo/getnameinfo for stream sockets (ws2tcpip.h, Vista+ so no wspiapi shim). On Windows
 * the resolver's EAI_* values are WSA codes: most translate through the common table; the ones
 * whose meaning differs for the resolver (family, bad flags) are mapped here first, to the same
 * LuaSocket words as the POSIX backend gives. */
#include <stdio.h>
#include <string.h>

#include "win32.h"

static int gai_code(int rc, int *native) {
  if (native) *native = rc;
  switch (rc) {
  case EAI_FAMILY: return LTCP_EFAMILY;   /* WSAEAFNOSUPPORT */
  case EAI_SERVICE: return LTCP_ESERVICE; /* WSATYPE_NOT_FOUND */
  case EAI_MEMORY: return LTCP_ENOMEM;    /* WSA_NOT_ENOUGH_MEMORY */
  case EAI_NONAME: return LTCP_ENONAME;   /* WSAHOST_NOT_FOUND */
  default: return ltcp__sys_translate(rc);
  }
}

int ltcp__sys_resolve(const char *host, int port, int family, int passive, ltcp__sockaddr_t *out,
                      size_t max, size_t *n, int *native) {
  struct addrinfo hints, *res = NULL, *ai;
  char serv[16];
  int rc;
  *n = 0;
  /* Windows resolves "" to the local machine's addresses; POSIX (and LuaSocket there) say the
   * name is unknown. Answer as POSIX does, so a script behaves the same everywhere. */
  if (host && !*host) return gai_code(EAI_NONAME, native);
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_family = family == LTCP_FAMILY_INET    ? AF_INET
                    : family == LTCP_FAMILY_INET6 ? AF_INET6
                                                  : AF_UNSPEC;
  hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  snprintf(serv, sizeof serv, "%d", port);
  rc = getaddrinfo(host, serv, &hints, &res);
  if (rc != 0) return gai_code(rc, native);
  for (ai = res; ai && *n < max; ai = ai->ai_next) {
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
    if (ai->ai_addrlen > sizeof out[*n].u.raw) continue;
    memcpy(out[*n].u.raw, ai->ai_addr, ai->ai_addrlen);
    out[*n].len = (unsigned)ai->ai_addrlen;
    out[*n].family = ai->ai_family == AF_INET6 ? LTCP_FAMILY_INET6 : LTCP_FAMILY_INET;
    (*n)++;
  }
  freeaddrinfo(res);
  return *n ? 0 : LTCP_ENONAME;
}

int ltcp__sys_addr_to_text(const ltcp__sockaddr_t *addr, ltcp_addr_t *out) {
  char serv[16];
  int rc = getnameinfo((const struct sockaddr *)addr->u.raw, (socklen_t)addr->len, out->host,
                       (DWORD)sizeof out->host, serv, (DWORD)sizeof serv,
                       NI_NUMERICHOST | NI_NUMERICSERV);
  if (rc != 0) return gai_code(rc, NULL);
  out->port = 0;
  sscanf(serv, "%d", &out->port);
  out->family = addr->family;
  return 0;
}
