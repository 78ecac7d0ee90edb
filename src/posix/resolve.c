/* getaddrinfo/getnameinfo for stream sockets. Resolver errors map to LuaSocket's gai words. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* glibc declares EAI_ADDRFAMILY and EAI_NODATA only for GNU sources */
#endif
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "posix.h"

static int gai_code(int rc, int *native) {
  if (native) *native = rc;
  switch (rc) {
  case EAI_AGAIN: return LTCP_EAGAIN;
  case EAI_FAIL: return LTCP_EFAIL;
  case EAI_FAMILY: return LTCP_EFAMILY;
  case EAI_MEMORY: return LTCP_ENOMEM;
  case EAI_NONAME: return LTCP_ENONAME;
#ifdef EAI_NODATA
  case EAI_NODATA: return LTCP_ENONAME;
#endif
#ifdef EAI_ADDRFAMILY
  case EAI_ADDRFAMILY: return LTCP_EADDRFAMILY;
#endif
  case EAI_SERVICE: return LTCP_ESERVICE;
  case EAI_SYSTEM: return ltcp__posix_fail(native);
  default: return LTCP_EUNKNOWN;
  }
}

int ltcp__sys_resolve(const char *host, int port, int family, int passive, ltcp__sockaddr_t *out,
                      size_t max, size_t *n, int *native) {
  struct addrinfo hints, *res = NULL, *ai;
  char serv[16];
  int rc;
  *n = 0;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
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
                       sizeof out->host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV);
  if (rc != 0) return gai_code(rc, NULL);
  out->port = 0;
  sscanf(serv, "%d", &out->port);
  out->family = addr->family;
  return 0;
}
