/* connect: the resolved addresses under ONE deadline for the whole call. The connect
 * timeout (the block timeout unless settimeouts set it apart) and the total both count from the
 * start of the call, so a name with several addresses can never take (addresses x timeout).
 * - Several addresses, on an object whose socket the user has not bound: they race (Happy
 *   Eyeballs, race.c), unless the delay is 0 or a test/TLS transport is plugged in.
 * - Otherwise one address after another in resolver order, on the object's socket: each
 *   attempt is a single connect_start, a wait through io.c (the transport's wait, under the
 *   call's deadline), and connect_finish. A bound socket only tries addresses of its family.
 *   With a zero timeout only the first address is tried: the connection goes on in the
 *   background (t->connecting) and a later connect reports how it ended. */
#include "core.h"

/* One address: start the connection, wait for it, and read the outcome. */
static int connect_one(ltcp_t *t, const ltcp__sockaddr_t *addr) {
  int rc = ltcp__sys_connect_start(t->sock, addr, &t->native);
  if (rc == LTCP__EINTR) rc = LTCP__INPROGRESS; /* the connection goes on in the background */
  if (rc != LTCP__INPROGRESS) return rc;
  rc = ltcp__io_wait_from(t, LTCP_TIMEOUT_CONNECT, LTCP_POLLOUT, t->tm.start);
  if (rc == LTCP_ETIMEOUT) t->connecting = 1; /* still going on: a later connect tells */
  return rc ? rc : ltcp__sys_connect_finish(t->sock, &t->native);
}

int ltcp__inet_connect(ltcp_t *t, const char *host, int port) {
  ltcp__sockaddr_t addrs[LTCP__MAXADDRS];
  size_t n = 0;
  int rc;
  /* A race in progress goes on whatever the name says (the OS also ignores the address of a
   * connect while one is in progress); no lookup. */
  if (t->race) return ltcp__race_resume(t);
  rc = ltcp__sys_resolve(host, port, t->family, 0, addrs, LTCP__MAXADDRS, &n, &t->native);
  return ltcp__inet_connect_addrs(t, rc, addrs, n);
}

/* A race needs several addresses, fresh sockets (the user bound none), a socket that is not
 * connected or connecting already (a master, or a client whose connect failed), and the OS
 * socket as the transport. */
static int may_race(const ltcp_t *t, size_t n) {
  return n > 1 && t->eyeballs > 0.0 && !t->bound && !t->connecting &&
         (t->state == LTCP_STATE_MASTER || t->stale) && ltcp__uses_socket_transport(t);
}

int ltcp__inet_connect_addrs(ltcp_t *t, int rc, const ltcp__sockaddr_t *addrs, size_t n) {
  size_t i;
  int was_connecting = t->connecting;
  if (t->race) return ltcp__race_resume(t);
  if (rc == 0 && may_race(t, n)) {
    int raced = ltcp__race_connect(t, addrs, n);
    if (raced != LTCP__NORACE) {
      t->state = LTCP_STATE_CLIENT;
      return ltcp__public_rc(raced);
    }
  }
  t->connecting = 0;
  if (rc == 0) {
    rc = LTCP_ENONAME;
    for (i = 0; i < n; i++) {
      /* A bound socket keeps its local address: only addresses of its family (as LuaSocket,
       * whose connect asks the resolver for the bound socket's family only). */
      if (t->bound && t->sock != LTCP_INVALID_SOCKET && addrs[i].family != t->family) continue;
      if (i > 0 && ltcp__timeout_left_op(&t->tm, LTCP_TIMEOUT_CONNECT, t->tm.start,
                                         ltcp__sys_monotonic()) == 0.0) {
        rc = LTCP_ETIMEOUT;
        break;
      }
      if ((rc = ltcp__inet_ensure_socket(t, addrs[i].family)) != 0) continue;
      rc = connect_one(t, &addrs[i]);
      /* The background connect completed: Linux says so with 0 once, Winsock and the BSDs with
       * EISCONN; report success once everywhere. */
      if (rc == LTCP_EISCONN && was_connecting) rc = 0;
      if (rc != 0 && rc != LTCP_ETIMEOUT && rc != LTCP_EISCONN && rc != LTCP_EALREADY) t->stale = 1;
      if (rc == 0 || ltcp__timeout_iszero_op(&t->tm, LTCP_TIMEOUT_CONNECT)) break;
    }
  }
  /* As LuaSocket: the object is a client after any attempt, so a pending connection can be
   * completed by a later connect and a failed one reports errors from send/receive. */
  t->state = LTCP_STATE_CLIENT;
  return ltcp__public_rc(rc);
}
