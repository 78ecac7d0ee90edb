/* Name resolution, bind and connect. Addresses are tried in resolver order. An object made by
 * tcp() (family UNSPEC) gets its OS socket here, of the family of the address being tried, as
 * LuaSocket 3 does; inet6 sockets always start with ipv6-v6only on.
 * connect: ONE deadline for the whole call. Block and total timeouts both count from the start
 * of the call, so a name with several addresses can never take (addresses x timeout). */
#include <string.h>

#include "core.h"

/* Make sure t->sock is a socket of `family`, replacing one of another family. */
static int ensure_socket(ltcp_t *t, int family) {
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
    memset(&t->optmem, 0, sizeof t->optmem); /* the new socket may get the same handle */
  }
  rc = ltcp__sys_socket(family, &s, &t->native);
  if (rc) return rc;
  if (family == LTCP_FAMILY_INET6)
    (void)ltcp__sys_setopt(s, LTCP_OPT_IPV6_V6ONLY, 1, 0, NULL, &t->native);
  t->sock = s;
  t->family = family;
  return 0;
}

int ltcp__inet_bind(ltcp_t *t, const char *host, int port) {
  ltcp__sockaddr_t addrs[LTCP__MAXADDRS];
  size_t n = 0, i;
  int rc;
  if (strcmp(host, "*") == 0) host = NULL;
  rc = ltcp__sys_resolve(host, port, t->family, 1, addrs, LTCP__MAXADDRS, &n, &t->native);
  if (rc) return rc;
  rc = LTCP_ENONAME;
  for (i = 0; i < n; i++) {
    if ((rc = ensure_socket(t, addrs[i].family)) != 0) continue;
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
      if ((rc = ensure_socket(t, addrs[i].family)) != 0) continue;
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
  return rc == LTCP__ERESET ? LTCP_ECLOSED : rc;
}

int ltcp_connect_to(ltcp_t *t, const char *host, int port, const char *localhost,
                    int localport, int family) {
  int rc;
  if (!t) return LTCP_EINVAL;
  if ((rc = ltcp_open(t, family)) != 0) return rc;
  if (localhost && (rc = ltcp_bind(t, localhost, localport)) != 0) {
    ltcp_close(t);
    return rc;
  }
  if ((rc = ltcp_connect(t, host, port)) != 0) ltcp_close(t);
  return rc;
}

/* As LuaSocket's socket.bind: "*" means any IPv4 address; each resolved address gets a fresh
 * socket of its family with reuseaddr on, until one binds and listens. */
int ltcp_bind_to(ltcp_t *t, const char *host, int port, int backlog) {
  ltcp__sockaddr_t addrs[LTCP__MAXADDRS];
  size_t n = 0, i;
  int rc;
  if (!t) return LTCP_EINVAL;
  ltcp__init_object(t, LTCP_STATE_CLOSED, LTCP_FAMILY_UNSPEC, LTCP_INVALID_SOCKET);
  if (!host || port < 0 || port > 65535) return LTCP_EINVAL;
  if (strcmp(host, "*") == 0) host = "0.0.0.0";
  rc = ltcp__sys_resolve(host, port, LTCP_FAMILY_UNSPEC, 0, addrs, LTCP__MAXADDRS, &n, &t->native);
  if (rc) return rc;
  rc = LTCP_ENONAME;
  for (i = 0; i < n; i++) {
    if ((rc = ltcp_open(t, addrs[i].family)) != 0) return rc;
    (void)ltcp_setoption(t, LTCP_OPT_REUSEADDR, 1, 0);
    if ((rc = ltcp__sys_bind(t->sock, &addrs[i], &t->native)) == 0 &&
        (rc = ltcp_listen(t, backlog)) == 0)
      return 0;
    ltcp_close(t);
  }
  return rc;
}
