/* Bind, and the one place an OS socket is made for an object (connect.c uses it too).
 * Addresses are tried in resolver order. An object made by tcp() (family UNSPEC) gets its OS
 * socket here, of the family of the address being tried, as LuaSocket 3 does; inet6 sockets
 * always start with ipv6-v6only on. Calls only down (the backend), never the public API. */
#include <string.h>

#include "core.h"

int ltcp__inet_socket(int family, ltcp_os_sock_t *out, int *native) {
  int rc = ltcp__sys_socket(family, out, native);
  if (rc == 0 && family == LTCP_FAMILY_INET6)
    (void)ltcp__sys_setopt(*out, LTCP_OPT_IPV6_V6ONLY, 1, 0, NULL, native);
  return rc;
}

int ltcp__inet_ensure_socket(ltcp_t *t, int family) {
  ltcp_os_sock_t s;
  int rc;
  /* A socket whose connect failed is replaced (Linux refuses to connect it again) unless the
   * user bound it, which a new socket would lose. */
  int keep = !t->stale || t->bound;
  t->stale = 0;
  if (t->sock != LTCP_INVALID_SOCKET && t->family == family && keep) return 0;
  if (t->sock != LTCP_INVALID_SOCKET) {
    ltcp__sys_close(t->sock);
    t->sock = LTCP_INVALID_SOCKET;
    /* What the backend remembered was for that socket (the new one may get the same handle). */
    if (t->opts) memset(&t->opts->sys, 0, sizeof t->opts->sys);
  }
  if ((rc = ltcp__inet_socket(family, &s, &t->native)) != 0) return rc;
  t->sock = s;
  t->family = family;
  return 0;
}

int ltcp__inet_bind(ltcp_t *t, const char *host, int port) {
  ltcp__sockaddr_t addrs[LTCP__MAXADDRS];
  size_t n = 0, i;
  int rc;
  if (strcmp(host, "*") == 0) host = NULL;
  rc = ltcp__sys_resolve(host, port, t->family, LTCP__RESOLVE_PASSIVE, addrs, LTCP__MAXADDRS, &n,
                         &t->native);
  if (rc) return rc;
  rc = LTCP_ENONAME;
  for (i = 0; i < n; i++) {
    if ((rc = ltcp__inet_ensure_socket(t, addrs[i].family)) != 0) continue;
    if ((rc = ltcp__sys_bind(t->sock, &addrs[i], &t->native)) == 0) {
      t->bound = 1;
      break;
    }
  }
  return rc;
}
