/* Name resolution, bind and connect, and the one place an OS socket is made for an object.
 * Addresses are tried in resolver order. An object made by tcp() (family UNSPEC) gets its OS
 * socket here, of the family of the address being tried, as LuaSocket 3 does; inet6 sockets
 * always start with ipv6-v6only on. Calls only down (io.c, the backend), never the public API.
 * connect: ONE deadline for the whole call. Block and total timeouts both count from the start
 * of the call, so a name with several addresses can never take (addresses x timeout). */
#include <string.h>

#include "core.h"

int ltcp__inet_socket(int family, ltcp_os_sock_t *out, int *native) {
  int rc = ltcp__sys_socket(family, out, native);
  if (rc == 0 && family == LTCP_FAMILY_INET6)
    (void)ltcp__sys_setopt(*out, LTCP_OPT_IPV6_V6ONLY, 1, 0, native);
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

/* Wait for the connection under the call's deadline (measured from the call's start). */
static int connect_one(ltcp_t *t, const ltcp__sockaddr_t *addr) {
  double now;
  int rc = ltcp__sys_connect_start(t->sock, addr, &t->native);
  if (rc == LTCP__EINTR) rc = LTCP__INPROGRESS; /* the connection goes on in the background */
  if (rc != LTCP__INPROGRESS) return rc;
  for (;;) {
    double left;
    now = ltcp__sys_monotonic();
    left = ltcp__timeout_left(&t->tm, t->tm.start, now);
    if (left == 0.0) {
      t->connecting = 1;
      return LTCP_ETIMEOUT;
    }
    rc = ltcp__sys_wait(t->sock, LTCP_POLLOUT, left, &t->native);
    if (rc == 0) return ltcp__sys_connect_finish(t->sock, &t->native);
    if (rc != LTCP__EINTR) return rc;
  }
}

int ltcp__inet_connect(ltcp_t *t, const char *host, int port) {
  ltcp__sockaddr_t addrs[LTCP__MAXADDRS];
  size_t n = 0;
  int rc = ltcp__sys_resolve(host, port, t->family, 0, addrs, LTCP__MAXADDRS, &n, &t->native);
  return ltcp__inet_connect_addrs(t, rc, addrs, n);
}

int ltcp__inet_connect_addrs(ltcp_t *t, int rc, const ltcp__sockaddr_t *addrs, size_t n) {
  size_t i;
  int was_connecting = t->connecting;
  t->connecting = 0;
  if (rc == 0) {
    rc = LTCP_ENONAME;
    for (i = 0; i < n; i++) {
      if (i > 0 && ltcp__timeout_left(&t->tm, t->tm.start, ltcp__sys_monotonic()) == 0.0) {
        rc = LTCP_ETIMEOUT;
        break;
      }
      if ((rc = ltcp__inet_ensure_socket(t, addrs[i].family)) != 0) continue;
      rc = connect_one(t, &addrs[i]);
      /* The background connect completed: Linux says so with 0 once, Winsock and the BSDs with
       * EISCONN; report success once everywhere. */
      if (rc == LTCP_EISCONN && was_connecting) rc = 0;
      if (rc != 0 && rc != LTCP_ETIMEOUT && rc != LTCP_EISCONN && rc != LTCP_EALREADY) t->stale = 1;
      if (rc == 0 || ltcp__timeout_iszero(&t->tm)) break;
    }
  }
  /* As LuaSocket: the object is a client after any attempt, so a pending connection can be
   * completed by a later connect and a failed one reports errors from send/receive. */
  t->state = LTCP_STATE_CLIENT;
  return ltcp__public_rc(rc);
}
