/* Happy Eyeballs (race.c): connects that race several addresses, fed through the address seam
 * (ltcp__inet_connect_addrs) with loopback addresses. A black-holed address is a loopback
 * listener whose accept queue is full, so the kernel drops further SYNs (the connect hangs);
 * where the system answers a full queue with a reset instead (Windows), the black-hole cases
 * say so and check nothing else. Descriptors are counted before and after every case on POSIX
 * (probing with fcntl); Windows has no cheap count, so there the counts are skipped (said once).
 * Times are checked as "never before the delay" and "well under the timeout", with the slack of
 * test_util.h, never against a tight timer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#endif

#include "core.h"
#include "net_helpers.h"
#include "test_util.h"

#define V4 "127.0.0.1"
#define V6 "::1"

/* ---- helpers ---- */

/* Open descriptors of this process, or -1 where they cannot be counted. */
static int fd_count(void) {
#ifndef _WIN32
  int fd, n = 0;
  for (fd = 0; fd < 4096; fd++) n += fcntl(fd, F_GETFD) != -1;
  return n;
#else
  static int said;
  if (!said++) fprintf(stderr, "test_connect_race: descriptor counts skipped on Windows\n");
  return -1;
#endif
}

#define assert_fds(want)                                                                          \
  do {                                                                                            \
    int fds_now_ = fd_count(), fds_want_ = (want);                                                \
    if (fds_now_ >= 0)                                                                            \
      ck_assert_msg(fds_now_ == fds_want_, "%d descriptors open, expected %d", fds_now_,          \
                    fds_want_);                                                                   \
  } while (0)

static void addr_of(const char *host, int port, ltcp__sockaddr_t *out) {
  size_t n = 0;
  int native = 0;
  lt_assert_rc(ltcp__sys_resolve(host, port, LTCP_FAMILY_UNSPEC, LTCP__RESOLVE_NUMERIC, out, 1,
                                 &n, &native),
               0);
  ck_assert_uint_eq(n, 1);
}

static int family_of(const char *host) {
  return host[0] == ':' ? LTCP_FAMILY_INET6 : LTCP_FAMILY_INET;
}

/* A listener on host:port (0: any) whose accept queue is full: connects to it hang. */
typedef struct hole {
  ltcp_t *server;
  ltcp_t *fill[64];
  int nfill, port;
} hole_t;

/* 1 when the black hole works; 0 when the system refuses instead (the reason is printed). */
static int make_hole(hole_t *h, const char *host, int port) {
  int i, rc = 0;
  h->server = lt_master(family_of(host));
  lt_assert_rc(ltcp_bind(h->server, host, port), 0);
  lt_assert_rc(ltcp_listen(h->server, 0), 0);
  h->port = lt_port_of(h->server);
  h->nfill = 0;
  for (i = 0; i < 64; i++) {
    ltcp_t *c = lt_master(family_of(host));
    h->fill[h->nfill++] = c;
    lt_assert_rc(ltcp_settimeout(c, 0.1, 't'), 0);
    if ((rc = ltcp_connect(c, host, h->port)) != 0) break;
  }
  if (rc == LTCP_ETIMEOUT) return 1;
  fprintf(stderr, "no loopback black hole here (a connect to a full accept queue gave %s): "
          "black-hole case skipped\n", ltcp_strerror(rc));
  return 0;
}

static void free_hole(hole_t *h) {
  int i;
  for (i = 0; i < h->nfill; i++) lt_dispose(h->fill[i]);
  lt_dispose(h->server);
}

/* Mark the call's start as ltcp_connect does, then go through the seam. */
static int connect_addrs(ltcp_t *c, const ltcp__sockaddr_t *addrs, size_t n) {
  ltcp__timeout_markstart(&c->tm, ltcp__sys_monotonic());
  return ltcp__inet_connect_addrs(c, 0, addrs, n);
}

/* The peer port of a connected client. */
static int peer_port(ltcp_t *c) {
  ltcp_addr_t a;
  lt_assert_rc(ltcp_getpeername(c, &a), 0);
  return a.port;
}

/* ---- address order (pure) ---- */

static void order_case(const char *in, const char *want) {
  ltcp__sockaddr_t a[8], out[8];
  size_t n = 0, i;
  char got[9] = {0};
  memset(a, 0, sizeof a);
  for (n = 0; in[n]; n++) {
    a[n].family = in[n] == '6' ? LTCP_FAMILY_INET6 : LTCP_FAMILY_INET;
    a[n].len = (unsigned)n; /* the position, to see that each family keeps resolver order */
  }
  ltcp__race_order(a, n, out);
  for (i = 0; i < n; i++) got[i] = (char)('a' + out[i].len);
  ck_assert_msg(strcmp(got, want) == 0, "order of %s: %s, expected %s", in, got, want);
}

START_TEST(order_interleaves_families) {
  /* positions a, b, c, ... of the input; families 6 and 4 */
  order_case("66446", "acbde");
  order_case("4666", "abcd");
  order_case("6444", "abcd");
  order_case("4466", "acbd");
  order_case("444", "abc");
  order_case("6", "a");
  order_case("", "");
  order_case("664664", "acbfde");
}
END_TEST

/* ---- the delay setting ---- */

START_TEST(delay_setting) {
  ltcp_t *c = lt_master(LTCP_FAMILY_UNSPEC);
  double d = -1;
  lt_assert_rc(ltcp_getconnectdelay(c, &d), 0);
  ck_assert(d == 0.25);
  lt_assert_rc(ltcp_setconnectdelay(c, 0.001), 0);
  lt_assert_rc(ltcp_getconnectdelay(c, &d), 0);
  ck_assert(d == 0.01); /* RFC 8305's lower bound */
  lt_assert_rc(ltcp_setconnectdelay(c, 0.0), 0);
  lt_assert_rc(ltcp_getconnectdelay(c, &d), 0);
  ck_assert(d == 0.0);
  lt_assert_rc(ltcp_setconnectdelay(c, INFINITY), 0);
  lt_assert_rc(ltcp_getconnectdelay(c, &d), 0);
  ck_assert(isinf(d));
  lt_assert_rc(ltcp_setconnectdelay(c, 1.5), 0);
  lt_assert_rc(ltcp_setconnectdelay(c, -0.1), LTCP_EINVAL);
  lt_assert_rc(ltcp_setconnectdelay(c, NAN), LTCP_EINVAL);
  lt_assert_rc(ltcp_getconnectdelay(c, &d), 0);
  ck_assert(d == 1.5); /* refused values change nothing */
  lt_assert_rc(ltcp_open(c, LTCP_FAMILY_UNSPEC), 0);
  lt_assert_rc(ltcp_getconnectdelay(c, &d), 0);
  ck_assert(d == 0.25); /* a fresh object has the default */
  lt_dispose(c);
}
END_TEST

/* ---- races with a black-holed first address ---- */

/* [black hole, listener]: connected after about the delay, to the listener; the losing attempt
 * is closed. family_hole/family_ok pick the loopbacks (the same port on both when they differ). */
static void hole_first(const char *hole_host, const char *ok_host, double delay, int own) {
  hole_t h;
  ltcp__sockaddr_t addrs[2];
  ltcp_t *server, *c, *peer;
  int port = 0, fds0, rc;
  double t0, elapsed;
  if (!make_hole(&h, hole_host, 0)) {
    free_hole(&h);
    return;
  }
  /* The listener on the same port as the black hole when the families differ. */
  server = lt_master(family_of(ok_host));
  lt_assert_rc(ltcp_bind(server, ok_host, family_of(ok_host) != family_of(hole_host) ? h.port : 0),
               0);
  lt_assert_rc(ltcp_listen(server, 4), 0);
  port = lt_port_of(server);
  addr_of(hole_host, h.port, &addrs[0]);
  addr_of(ok_host, port, &addrs[1]);
  fds0 = fd_count();
  c = lt_master(own ? family_of(hole_host) : LTCP_FAMILY_UNSPEC);
  if (delay >= 0) lt_assert_rc(ltcp_setconnectdelay(c, delay), 0);
  else delay = 0.25;
  lt_assert_rc(ltcp_settimeout(c, 8.0, 't'), 0);
  t0 = lt_now();
  rc = connect_addrs(c, addrs, 2);
  elapsed = lt_now() - t0;
  lt_assert_rc(rc, 0);
  ck_assert_msg(elapsed >= delay - 1e-3, "connected after %.3f s: before the delay %.3f s",
                elapsed, delay);
  ck_assert_msg(elapsed < delay + LT_LATE_SLACK,
                "connected after %.3f s with a delay of %.3f s: the black hole held it", elapsed,
                delay);
  ck_assert_int_eq(ltcp_state(c), LTCP_STATE_CLIENT);
  ck_assert_int_eq(ltcp_getfamily(c), family_of(ok_host));
  ck_assert_int_eq(peer_port(c), port);
  ck_assert_ptr_null(c->race);
  assert_fds(fds0 >= 0 ? fds0 + 1 : -1); /* the winner only: the black-holed attempt is closed */
  lt_assert_rc(ltcp_settimeout(server, 5.0, 't'), 0);
  peer = lt_accept(server);
  lt_send_all(c, "hi\n", 3); /* the winner is the object's socket: it carries data */
  {
    ltcp_bytes_t b;
    ltcp_bytes_init(&b);
    lt_assert_rc(lt_receive(peer, LTCP_RECV_LINE, 0, NULL, &b), 0);
    lt_assert_bytes(b.data, b.len, "hi", 2);
    ltcp_bytes_free(&b);
  }
  lt_dispose(peer);
  lt_dispose(c);
  assert_fds(fds0); /* the accepted peer and the client closed: back to the start */
  lt_dispose(server);
  free_hole(&h);
}

START_TEST(hole_first_connects_after_the_delay) {
  hole_first(V4, V4, -1, 0);
}
END_TEST

START_TEST(hole_first_honours_a_longer_delay) {
  hole_first(V4, V4, 1.0, 0);
}
END_TEST

START_TEST(hole_first_on_the_objects_own_socket) {
  hole_first(V4, V4, 0.1, 1); /* tcp4-style object: its socket takes the first attempt */
}
END_TEST

START_TEST(hole_on_ipv6_then_ipv4_same_port) {
  char why[256];
  if (!lt_ipv6_available(why, sizeof why)) {
    fprintf(stderr, "IPv6 case skipped: %s\n", why);
    return;
  }
  hole_first(V6, V4, -1, 0);
}
END_TEST

/* Families interleave: [v6 hole, v6 hole, v4 listener] reaches the listener with the second
 * attempt (after one delay), not the third (after two). */
START_TEST(interleaving_reaches_the_other_family_first) {
  hole_t h1, h2;
  ltcp__sockaddr_t addrs[3];
  ltcp_t *server, *c;
  int port = 0;
  double t0, elapsed, delay = 1.0;
  char why[256];
  if (!lt_ipv6_available(why, sizeof why)) {
    fprintf(stderr, "IPv6 case skipped: %s\n", why);
    return;
  }
  if (!make_hole(&h1, V6, 0)) {
    free_hole(&h1);
    return;
  }
  if (!make_hole(&h2, V6, 0)) {
    free_hole(&h2);
    free_hole(&h1);
    return;
  }
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  addr_of(V6, h1.port, &addrs[0]);
  addr_of(V6, h2.port, &addrs[1]);
  addr_of(V4, port, &addrs[2]);
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_setconnectdelay(c, delay), 0);
  lt_assert_rc(ltcp_settimeout(c, 8.0, 't'), 0);
  t0 = lt_now();
  lt_assert_rc(connect_addrs(c, addrs, 3), 0);
  elapsed = lt_now() - t0;
  ck_assert_msg(elapsed >= delay - 1e-3 && elapsed < 2 * delay,
                "%.3f s with a delay of %.3f s: the IPv4 address was not second", elapsed, delay);
  ck_assert_int_eq(peer_port(c), port);
  lt_dispose(c);
  lt_dispose(server);
  free_hole(&h2);
  free_hole(&h1);
}
END_TEST

/* Options set before connect reach the socket that wins, though it is not the one they were
 * set on (the black hole took the object's own socket). */
START_TEST(options_set_before_connect_reach_the_winner) {
  hole_t h;
  ltcp__sockaddr_t addrs[2];
  ltcp_t *server, *c;
  int port = 0, v = 0;
  if (!make_hole(&h, V4, 0)) {
    free_hole(&h);
    return;
  }
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  addr_of(V4, h.port, &addrs[0]);
  addr_of(V4, port, &addrs[1]);
  c = lt_master(LTCP_FAMILY_INET);
  lt_assert_rc(ltcp_setoption(c, LTCP_OPT_TCP_NODELAY, 1, 0), 0);
  lt_assert_rc(ltcp_setoption(c, LTCP_OPT_KEEPALIVE, 1, 0), 0);
  lt_assert_rc(ltcp_setconnectdelay(c, 0.05), 0);
  lt_assert_rc(connect_addrs(c, addrs, 2), 0);
  ck_assert_int_eq(peer_port(c), port);
  lt_assert_rc(ltcp_getoption(c, LTCP_OPT_TCP_NODELAY, &v, NULL), 0);
  ck_assert_int_eq(v != 0, 1);
  lt_assert_rc(ltcp_getoption(c, LTCP_OPT_KEEPALIVE, &v, NULL), 0);
  ck_assert_int_eq(v != 0, 1);
  lt_dispose(c);
  lt_dispose(server);
  free_hole(&h);
}
END_TEST

/* The call's deadline hit mid-race: LTCP_ETIMEOUT at the deadline with the attempts started so
 * far still pending on the object; a later connect moves the race on (the third attempt starts
 * once due) and says "already in progress"; close releases every socket. */
static void deadline_mid_race(int mode) {
  hole_t h[3];
  ltcp__sockaddr_t addrs[3];
  ltcp_t *c;
  const double T = 0.4, delay = 0.3;
  int i, fds0;
  double t0, elapsed;
  for (i = 0; i < 3; i++) {
    if (!make_hole(&h[i], V4, 0)) {
      while (i >= 0) free_hole(&h[i--]);
      return;
    }
    addr_of(V4, h[i].port, &addrs[i]);
  }
  fds0 = fd_count();
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_setconnectdelay(c, delay), 0);
  lt_assert_rc(ltcp_settimeout(c, -1, 't'), 0);
  lt_assert_rc(ltcp_settimeout(c, T, mode), 0);
  t0 = lt_now();
  lt_assert_rc(connect_addrs(c, addrs, 3), LTCP_ETIMEOUT);
  elapsed = lt_now() - t0;
  ck_assert_msg(elapsed >= T - 1e-3, "returned early: %.3f s for a timeout of %.3f s", elapsed, T);
  ck_assert_msg(elapsed < T + LT_LATE_SLACK, "%.3f s for a timeout of %.3f s", elapsed, T);
  ck_assert_int_eq(ltcp_state(c), LTCP_STATE_CLIENT);
  ck_assert(ltcp__race_active(c));
  ck_assert(ltcp_getfd(c) != LTCP_INVALID_SOCKET);
  assert_fds(fds0 >= 0 ? fds0 + 2 : -1); /* two attempts started (at 0 and at the delay) */
  ltcp_sleep(2 * delay);
  lt_assert_rc(ltcp_connect(c, V4, h[0].port), LTCP_EALREADY);
  assert_fds(fds0 >= 0 ? fds0 + 3 : -1); /* the third was due: started without waiting */
  lt_assert_rc(ltcp_close(c), 0);
  assert_fds(fds0);
  lt_dispose(c);
  for (i = 2; i >= 0; i--) free_hole(&h[i]);
}

START_TEST(total_deadline_mid_race) {
  deadline_mid_race('t');
}
END_TEST

START_TEST(block_deadline_mid_race) {
  deadline_mid_race('b');
}
END_TEST

/* Timeout 0 (LuaSocket's non-blocking connect, as Copas drives it): connect says timeout at
 * once; ltcp_select_objects waits on the whole race, starts the second attempt when due and
 * reports writable once it connected; the next connect says 0, the one after "already
 * connected". */
START_TEST(zero_timeout_race_through_select) {
  hole_t h;
  ltcp__sockaddr_t addrs[2];
  ltcp_t *server, *c, *peer;
  ltcp_pollfd_t p;
  size_t nready = 0;
  int port = 0, fds0;
  double t0;
  if (!make_hole(&h, V4, 0)) {
    free_hole(&h);
    return;
  }
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  addr_of(V4, h.port, &addrs[0]);
  addr_of(V4, port, &addrs[1]);
  fds0 = fd_count();
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_settimeout(c, 0.0, 'b'), 0);
  t0 = lt_now();
  lt_assert_rc(connect_addrs(c, addrs, 2), LTCP_ETIMEOUT);
  ck_assert_msg(lt_now() - t0 < LT_LATE_SLACK, "timeout 0 waited %.3f s", lt_now() - t0);
  /* Still racing: a plain select on the first attempt alone would wait for ever. */
  p.sock = ltcp_getfd(c);
  p.events = LTCP_POLLOUT;
  p.revents = 0;
  lt_assert_rc(ltcp_select_objects(&p, &c, 1, 5.0, &nready), 0);
  ck_assert_msg(lt_now() - t0 >= 0.25 - 1e-3, "writable after %.3f s", lt_now() - t0);
  ck_assert_msg(lt_now() - t0 < 0.25 + LT_LATE_SLACK, "writable after %.3f s", lt_now() - t0);
  ck_assert_uint_eq(nready, 1);
  ck_assert_int_eq(p.revents, LTCP_POLLOUT);
  assert_fds(fds0 >= 0 ? fds0 + 1 : -1); /* the winner only */
  lt_assert_rc(ltcp_connect(c, V4, port), 0);
  ck_assert_ptr_null(c->race);
  lt_assert_rc(ltcp_connect(c, V4, port), LTCP_EISCONN);
  ck_assert_int_eq(peer_port(c), port);
  lt_assert_rc(ltcp_settimeout(server, 5.0, 't'), 0);
  peer = lt_accept(server);
  lt_dispose(peer);
  lt_dispose(c);
  assert_fds(fds0);
  lt_dispose(server);
  free_hole(&h);
}
END_TEST

/* Timeout 0 driven by connect calls alone (a program that polls connect): each call moves the
 * race on without waiting; "already in progress" until it has won. */
START_TEST(zero_timeout_race_through_connect_calls) {
  hole_t h;
  ltcp__sockaddr_t addrs[2];
  ltcp_t *server, *c;
  int port = 0, rc = LTCP_ETIMEOUT, i;
  if (!make_hole(&h, V4, 0)) {
    free_hole(&h);
    return;
  }
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  addr_of(V4, h.port, &addrs[0]);
  addr_of(V4, port, &addrs[1]);
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_settimeout(c, 0.0, 'b'), 0);
  lt_assert_rc(connect_addrs(c, addrs, 2), LTCP_ETIMEOUT);
  for (i = 0; i < 400 && (rc = connect_addrs(c, addrs, 2)) == LTCP_EALREADY; i++)
    ltcp_sleep(0.02);
  lt_assert_rc(rc, 0);
  ck_assert_int_eq(peer_port(c), port);
  lt_dispose(c);
  lt_dispose(server);
  free_hole(&h);
}
END_TEST

/* ---- races without a black hole (every platform) ---- */

/* A port nobody listens on, held by a bound socket so that nobody else takes it. */
static ltcp_t *closed_port(const char *host, ltcp__sockaddr_t *addr) {
  ltcp_t *holder = lt_master(family_of(host));
  lt_assert_rc(ltcp_bind(holder, host, 0), 0);
  addr_of(host, lt_port_of(holder), addr);
  return holder;
}

/* [refused, listener] with a long delay: the refusal moves on at once. */
START_TEST(refused_first_moves_on_at_once) {
  ltcp__sockaddr_t addrs[2];
  ltcp_t *holder = closed_port(V4, &addrs[0]), *server, *c;
  int port = 0, fds0;
  double t0, elapsed, delay = 10.0;
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  addr_of(V4, port, &addrs[1]);
  fds0 = fd_count();
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_setconnectdelay(c, delay), 0);
  lt_assert_rc(ltcp_settimeout(c, 2 * delay, 't'), 0);
  t0 = lt_now();
  lt_assert_rc(connect_addrs(c, addrs, 2), 0);
  elapsed = lt_now() - t0;
  ck_assert_msg(elapsed < delay, "%.3f s: the refused attempt waited out the delay", elapsed);
  ck_assert_int_eq(peer_port(c), port);
  assert_fds(fds0 >= 0 ? fds0 + 1 : -1);
  lt_dispose(c);
  assert_fds(fds0);
  lt_dispose(server);
  lt_dispose(holder);
}
END_TEST

/* [black hole, refused, listener]: the refusal of the second attempt starts the third at once,
 * though the first is still pending and the delay has not passed again. */
START_TEST(refused_mid_race_moves_on_at_once) {
  hole_t h;
  ltcp__sockaddr_t addrs[3];
  ltcp_t *holder, *server, *c;
  int port = 0;
  double t0, elapsed, delay = 1.0;
  if (!make_hole(&h, V4, 0)) {
    free_hole(&h);
    return;
  }
  addr_of(V4, h.port, &addrs[0]);
  holder = closed_port(V4, &addrs[1]);
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  addr_of(V4, port, &addrs[2]);
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_setconnectdelay(c, delay), 0);
  lt_assert_rc(ltcp_settimeout(c, 8.0, 't'), 0);
  t0 = lt_now();
  lt_assert_rc(connect_addrs(c, addrs, 3), 0);
  elapsed = lt_now() - t0;
  ck_assert_msg(elapsed >= delay - 1e-3 && elapsed < 2 * delay,
                "%.3f s with a delay of %.3f s: the refusal did not move on at once", elapsed,
                delay);
  ck_assert_int_eq(peer_port(c), port);
  lt_dispose(c);
  lt_dispose(server);
  lt_dispose(holder);
  free_hole(&h);
}
END_TEST

/* Every address refused: the code of the last address ("connection refused", LuaSocket's
 * words), the object a client with one socket left (the last attempt's, of its family), and a
 * later connect on it races again and succeeds. */
START_TEST(every_address_failing) {
  ltcp__sockaddr_t addrs[3];
  ltcp_t *h1, *h2, *h3 = NULL, *server, *c;
  int port = 0, fds0, v6;
  char why[256];
  v6 = lt_ipv6_available(why, sizeof why);
  h1 = closed_port(V4, &addrs[0]);
  h2 = closed_port(V4, &addrs[1]);
  if (v6) h3 = closed_port(V6, &addrs[2]); /* attempt order: v4, v6, v4: the last is IPv4 */
  else fprintf(stderr, "IPv6 address of the case left out: %s\n", why);
  fds0 = fd_count();
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_settimeout(c, 8.0, 't'), 0);
  lt_assert_rc(connect_addrs(c, addrs, v6 ? 3 : 2), LTCP_EREFUSED);
  ck_assert_str_eq(ltcp_strerror(LTCP_EREFUSED), "connection refused");
  ck_assert_int_eq(ltcp_state(c), LTCP_STATE_CLIENT);
  ck_assert_int_eq(ltcp_getfamily(c), LTCP_FAMILY_INET);
  ck_assert(ltcp_getfd(c) != LTCP_INVALID_SOCKET);
  ck_assert_ptr_null(c->race);
  assert_fds(fds0 >= 0 ? fds0 + 1 : -1);
  /* Again, now with a listener last: the failed object races afresh. */
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  addr_of(V4, port, &addrs[1]);
  lt_assert_rc(connect_addrs(c, addrs, 2), 0);
  ck_assert_int_eq(peer_port(c), port);
  lt_dispose(c);
  lt_dispose(server);
  assert_fds(fds0);
  lt_dispose(h3);
  lt_dispose(h2);
  lt_dispose(h1);
}
END_TEST

/* Every address refused with timeout 0: connect reports it at once, or says timeout and select
 * reports the entry ready (writable, and readable if asked); the next connect says refused. */
START_TEST(zero_timeout_every_address_failing) {
  ltcp__sockaddr_t addrs[2];
  ltcp_t *h1 = closed_port(V4, &addrs[0]), *h2 = closed_port(V4, &addrs[1]), *c;
  ltcp_pollfd_t p;
  size_t nready = 0;
  int rc, fds0 = fd_count();
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_settimeout(c, 0.0, 'b'), 0);
  rc = connect_addrs(c, addrs, 2);
  ck_assert_msg(rc == LTCP_ETIMEOUT || rc == LTCP_EREFUSED, "%s", ltcp_strerror(rc));
  if (rc == LTCP_ETIMEOUT) {
    p.sock = ltcp_getfd(c);
    p.events = LTCP_POLLIN | LTCP_POLLOUT;
    p.revents = 0;
    lt_assert_rc(ltcp_select_objects(&p, &c, 1, 5.0, &nready), 0);
    ck_assert_int_eq(p.revents, LTCP_POLLIN | LTCP_POLLOUT);
    lt_assert_rc(connect_addrs(c, addrs, 2), LTCP_EREFUSED);
  }
  ck_assert_ptr_null(c->race);
  assert_fds(fds0 >= 0 ? fds0 + 1 : -1);
  lt_dispose(c);
  assert_fds(fds0);
  lt_dispose(h2);
  lt_dispose(h1);
}
END_TEST

/* A bound socket is never replaced: no race; only addresses of its family are tried (the IPv6
 * address here is skipped, not tried on a new socket), and the local address stays. */
START_TEST(bound_socket_keeps_its_family_and_address) {
  ltcp__sockaddr_t addrs[2];
  ltcp_t *server, *c;
  ltcp_addr_t before, after;
  int port = 0;
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  addr_of(V6, port, &addrs[0]);
  addr_of(V4, port, &addrs[1]);
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_bind(c, V4, 0), 0);
  lt_assert_rc(ltcp_getsockname(c, &before), 0);
  lt_assert_rc(connect_addrs(c, addrs, 2), 0);
  lt_assert_rc(ltcp_getsockname(c, &after), 0);
  ck_assert_int_eq(after.port, before.port);
  ck_assert_int_eq(ltcp_getfamily(c), LTCP_FAMILY_INET);
  ck_assert_int_eq(peer_port(c), port);
  lt_dispose(c);
  lt_dispose(server);
}
END_TEST

/* socket.connect(host, port, laddr): the local address restricts the attempts to its family,
 * through the real resolver ("localhost" may give ::1 first). */
START_TEST(connect_to_with_local_address_keeps_its_family) {
  ltcp_t *server, *c = lt_alloc();
  ltcp_addr_t a;
  int port = 0;
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  lt_assert_rc(ltcp_connect_to(c, "localhost", port, V4, 0, LTCP_FAMILY_UNSPEC), 0);
  lt_assert_rc(ltcp_getpeername(c, &a), 0);
  ck_assert_int_eq(a.family, LTCP_FAMILY_INET);
  ck_assert_int_eq(a.port, port);
  lt_dispose(c);
  lt_dispose(server);
}
END_TEST

/* ltcp_close and ltcp_setfd in the middle of a race release what it holds. */
START_TEST(close_and_setfd_drop_a_race) {
  ltcp__sockaddr_t addrs[2];
  hole_t h1, h2;
  ltcp_t *c;
  ltcp_os_sock_t s;
  int fds0;
  if (!make_hole(&h1, V4, 0)) {
    free_hole(&h1);
    return;
  }
  if (!make_hole(&h2, V4, 0)) {
    free_hole(&h2);
    free_hole(&h1);
    return;
  }
  addr_of(V4, h1.port, &addrs[0]);
  addr_of(V4, h2.port, &addrs[1]);
  fds0 = fd_count();
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_setconnectdelay(c, 0.01), 0);
  lt_assert_rc(ltcp_settimeout(c, 0.2, 't'), 0);
  lt_assert_rc(connect_addrs(c, addrs, 2), LTCP_ETIMEOUT);
  assert_fds(fds0 >= 0 ? fds0 + 2 : -1);
  s = ltcp_getfd(c);
  lt_assert_rc(ltcp_setfd(c, LTCP_INVALID_SOCKET), 0); /* the race ends; its socket stays open */
  ck_assert_ptr_null(c->race);
  assert_fds(fds0 >= 0 ? fds0 + 1 : -1);
  lt_assert_rc(ltcp_setfd(c, s), 0);
  lt_dispose(c);
  assert_fds(fds0);
  free_hole(&h2);
  free_hole(&h1);
}
END_TEST

/* Delay 0: no race, addresses one after another as before (the black hole holds the call). */
START_TEST(delay_zero_is_sequential) {
  hole_t h;
  ltcp__sockaddr_t addrs[2];
  ltcp_t *server, *c;
  int port = 0;
  const double T = 0.5;
  double t0;
  if (!make_hole(&h, V4, 0)) {
    free_hole(&h);
    return;
  }
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  addr_of(V4, h.port, &addrs[0]);
  addr_of(V4, port, &addrs[1]);
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_setconnectdelay(c, 0.0), 0);
  lt_assert_rc(ltcp_settimeout(c, T, 't'), 0);
  t0 = lt_now();
  lt_assert_rc(connect_addrs(c, addrs, 2), LTCP_ETIMEOUT);
  lt_assert_elapsed(lt_now() - t0, T);
  ck_assert_ptr_null(c->race);
  ck_assert_int_eq(c->connecting, 1);
  lt_dispose(c);
  lt_dispose(server);
  free_hole(&h);
}
END_TEST

/* ltcp_select_objects with plain entries only behaves as ltcp_select. */
START_TEST(select_objects_plain_entries) {
  ltcp_t *a, *b, *objs[2];
  ltcp_pollfd_t p[2];
  size_t nready = 9;
  lt_pair(LTCP_FAMILY_INET, &a, &b);
  p[0].sock = ltcp_getfd(a);
  p[0].events = LTCP_POLLIN;
  p[1].sock = ltcp_getfd(b);
  p[1].events = LTCP_POLLIN;
  objs[0] = a;
  objs[1] = NULL;
  lt_assert_rc(ltcp_select_objects(p, objs, 2, 0.05, &nready), LTCP_ETIMEOUT);
  ck_assert_uint_eq(nready, 0);
  lt_send_all(a, "x", 1);
  lt_assert_rc(ltcp_select_objects(p, NULL, 2, 5.0, &nready), 0);
  ck_assert_uint_eq(nready, 1);
  ck_assert_int_eq(p[0].revents, 0);
  ck_assert_int_eq(p[1].revents, LTCP_POLLIN);
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

static Suite *race_suite(void) {
  Suite *s = suite_create("connect_race");
  TCase *pure = tcase_create("pure"), *tc = tcase_create("race");
  tcase_add_test(pure, order_interleaves_families);
  tcase_add_test(pure, delay_setting);
  suite_add_tcase(s, pure);
  tcase_set_timeout(tc, LT_NET_TIMEOUT);
  tcase_add_test(tc, hole_first_connects_after_the_delay);
  tcase_add_test(tc, hole_first_honours_a_longer_delay);
  tcase_add_test(tc, hole_first_on_the_objects_own_socket);
  tcase_add_test(tc, hole_on_ipv6_then_ipv4_same_port);
  tcase_add_test(tc, interleaving_reaches_the_other_family_first);
  tcase_add_test(tc, options_set_before_connect_reach_the_winner);
  tcase_add_test(tc, total_deadline_mid_race);
  tcase_add_test(tc, block_deadline_mid_race);
  tcase_add_test(tc, zero_timeout_race_through_select);
  tcase_add_test(tc, zero_timeout_race_through_connect_calls);
  tcase_add_test(tc, refused_first_moves_on_at_once);
  tcase_add_test(tc, refused_mid_race_moves_on_at_once);
  tcase_add_test(tc, every_address_failing);
  tcase_add_test(tc, zero_timeout_every_address_failing);
  tcase_add_test(tc, bound_socket_keeps_its_family_and_address);
  tcase_add_test(tc, connect_to_with_local_address_keeps_its_family);
  tcase_add_test(tc, close_and_setfd_drop_a_race);
  tcase_add_test(tc, delay_zero_is_sequential);
  tcase_add_test(tc, select_objects_plain_entries);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(race_suite());
}
