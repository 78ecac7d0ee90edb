/* connect over several addresses (connect.c): ONE deadline for the whole call, not a fresh timeout
 * per address, with or without the race (test_connect_race.c tests the race itself); without
 * the race, timeout 0 tries only the first address; a failed address moves on to the next with
 * a fresh socket. The resolver here gives one address per name, so the tests hand the
 * address loop (ltcp__inet_connect_addrs) several resolved loopback addresses directly. Hanging
 * addresses are loopback listeners whose accept queue is full (never an off-machine address). */
#include <stdlib.h>

#include "core.h"
#include "net_helpers.h"
#include "test_util.h"

#define HOST "127.0.0.1"

static void resolve_one(int port, ltcp__sockaddr_t *out) {
  size_t n = 0;
  int native = 0;
  lt_assert_rc(ltcp__sys_resolve(HOST, port, LTCP_FAMILY_INET, 0, out, 1, &n, &native), 0);
  ck_assert_uint_eq(n, 1);
}

#ifndef _WIN32 /* Windows answers a full accept queue with a reset, not silence */
/* A listener whose accept queue is full: further connects hang. Fillers go in `fill`. */
typedef struct full {
  ltcp_t *server;
  ltcp_t *fill[64];
  int nfill, port;
} full_t;

static void make_full(full_t *f) {
  int i, rc = 0;
  f->server = lt_listener(LTCP_FAMILY_INET, 1, &f->port);
  f->nfill = 0;
  for (i = 0; i < 64; i++) {
    ltcp_t *c = lt_master(LTCP_FAMILY_INET);
    f->fill[f->nfill++] = c;
    lt_assert_rc(ltcp_settimeout(c, 0.1, 't'), 0);
    rc = ltcp_connect(c, HOST, f->port);
    if (rc != 0) break;
  }
  lt_assert_rc(rc, LTCP_ETIMEOUT);
}

static void free_full(full_t *f) {
  int i;
  for (i = 0; i < f->nfill; i++) lt_dispose(f->fill[i]);
  lt_dispose(f->server);
}

/* Two hanging addresses, timeout T in mode `mode`: the call ends after about T, not 2T. */
static void one_deadline(int mode) {
  const double T = 0.4;
  full_t a, b;
  ltcp__sockaddr_t addrs[2];
  ltcp_t *c;
  double t0, elapsed;
  int rc;
  make_full(&a);
  make_full(&b);
  resolve_one(a.port, &addrs[0]);
  resolve_one(b.port, &addrs[1]);
  c = lt_master(LTCP_FAMILY_INET);
  lt_assert_rc(ltcp_settimeout(c, T, mode), 0);
  t0 = lt_now();
  c->tm.start = ltcp__sys_monotonic();
  rc = ltcp__inet_connect_addrs(c, 0, addrs, 2);
  elapsed = lt_now() - t0;
  lt_assert_rc(rc, LTCP_ETIMEOUT);
  ck_assert_msg(elapsed >= T - 1e-3, "returned early: %.3f s for timeout %.3f s", elapsed, T);
  ck_assert_msg(elapsed < 1.5 * T,
                "two addresses took %.3f s with a %c timeout of %.3f s: a fresh timeout per "
                "address instead of one deadline for the call",
                elapsed, mode, T);
  lt_dispose(c);
  free_full(&a);
  free_full(&b);
}

START_TEST(block_timeout_is_one_deadline) {
  one_deadline('b');
}
END_TEST

START_TEST(total_timeout_is_one_deadline) {
  one_deadline('t');
}
END_TEST

/* The wait for a pending connection goes through the object's transport, the seam every other
 * wait uses (a test or a TLS layer plugs in there): a transport that answers "timeout" at once
 * ends the connect at once, after being asked for writability with the call's time left. */
static int waits_seen, wait_events;
static double wait_seconds;
static int timeout_wait(void *ctx, int events, double seconds) {
  (void)ctx;
  waits_seen++;
  wait_events = events;
  wait_seconds = seconds;
  return LTCP_ETIMEOUT;
}

START_TEST(connect_waits_through_the_transport) {
  full_t a;
  ltcp__sockaddr_t addr;
  ltcp_t *c;
  double t0;
  make_full(&a);
  resolve_one(a.port, &addr);
  c = lt_master(LTCP_FAMILY_INET);
  lt_assert_rc(ltcp_settimeout(c, 30.0, 't'), 0);
  c->tr.wait = timeout_wait;
  waits_seen = 0;
  t0 = lt_now();
  c->tm.start = ltcp__sys_monotonic();
  lt_assert_rc(ltcp__inet_connect_addrs(c, 0, &addr, 1), LTCP_ETIMEOUT);
  ck_assert_msg(lt_now() - t0 < 10.0, "the connect did not wait through the transport");
  ck_assert_int_eq(waits_seen, 1);
  ck_assert_int_eq(wait_events, LTCP_POLLOUT);
  ck_assert_msg(wait_seconds > 20.0 && wait_seconds <= 30.0, "wait got %g s", wait_seconds);
  /* Timed out in progress: the connection goes on, and a later connect reports its outcome. */
  ck_assert_int_eq(c->connecting, 1);
  lt_dispose(c);
  free_full(&a);
}
END_TEST

/* settimeouts' connect timeout alone bounds connect (the block timeout stays forever), and is
 * one deadline across addresses too. */
START_TEST(connect_timeout_is_one_deadline) {
  const double T = 0.4;
  full_t a, b;
  ltcp__sockaddr_t addrs[2];
  ltcp_t *c;
  double t0, elapsed;
  make_full(&a);
  make_full(&b);
  resolve_one(a.port, &addrs[0]);
  resolve_one(b.port, &addrs[1]);
  c = lt_master(LTCP_FAMILY_INET);
  lt_assert_rc(ltcp_settimeout(c, -1.0, 't'), 0); /* no safety total: the connect timeout only */
  lt_assert_rc(ltcp_settimeout_op(c, LTCP_TIMEOUT_CONNECT, T), 0);
  t0 = lt_now();
  c->tm.start = ltcp__sys_monotonic();
  lt_assert_rc(ltcp__inet_connect_addrs(c, 0, addrs, 2), LTCP_ETIMEOUT);
  elapsed = lt_now() - t0;
  ck_assert_msg(elapsed >= T - 1e-3 && elapsed < 1.5 * T + LT_LATE_SLACK,
                "%.3f s for a connect timeout of %.3f s over two addresses", elapsed, T);
  lt_dispose(c);
  free_full(&a);
  free_full(&b);
}
END_TEST
#endif

/* The address of a port nobody listens on, held by a bound socket so no one else can take it. */
static ltcp_t *closed_port(ltcp__sockaddr_t *addr) {
  int port = 0;
  ltcp_t *holder = lt_master(LTCP_FAMILY_INET);
  lt_assert_rc(ltcp_bind(holder, HOST, 0), 0);
  port = lt_port_of(holder);
  resolve_one(port, addr);
  return holder;
}

START_TEST(refused_then_next_address) {
  ltcp__sockaddr_t addrs[2];
  ltcp_t *holder = closed_port(&addrs[0]), *c, *peer;
  int port = 0;
  ltcp_t *server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  resolve_one(port, &addrs[1]);
  c = lt_master(LTCP_FAMILY_INET);
  lt_assert_rc(ltcp_settimeout(c, 10.0, 't'), 0);
  c->tm.start = ltcp__sys_monotonic();
  lt_assert_rc(ltcp__inet_connect_addrs(c, 0, addrs, 2), 0);
  ck_assert_int_eq(ltcp_state(c), LTCP_STATE_CLIENT);
  lt_assert_rc(ltcp_settimeout(server, 5.0, 't'), 0);
  peer = lt_accept(server);
  lt_dispose(peer);
  lt_dispose(c);
  lt_dispose(server);
  lt_dispose(holder);
}
END_TEST

/* With the race off (delay 0), timeout 0 tries the first address only, as before the race. */
START_TEST(zero_timeout_tries_only_first) {
  ltcp__sockaddr_t addrs[2];
  ltcp_t *holder = closed_port(&addrs[0]), *c, *peer = lt_alloc();
  int port = 0, rc;
  ltcp_t *server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  resolve_one(port, &addrs[1]);
  c = lt_master(LTCP_FAMILY_INET);
  lt_assert_rc(ltcp_setconnectdelay(c, 0.0), 0);
  lt_assert_rc(ltcp_settimeout(c, 0.0, 'b'), 0);
  c->tm.start = ltcp__sys_monotonic();
  rc = ltcp__inet_connect_addrs(c, 0, addrs, 2);
  ck_assert_msg(rc == LTCP_ETIMEOUT || rc == LTCP_EREFUSED, "timeout 0 on a closed port: %d (%s)",
                rc, ltcp_strerror(rc));
  /* The second address must not have been tried: nothing waits to be accepted. */
  lt_assert_rc(ltcp_settimeout(server, 0.3, 't'), 0);
  lt_assert_rc(ltcp_accept(server, peer), LTCP_ETIMEOUT);
  lt_dispose(peer);
  lt_dispose(c);
  lt_dispose(server);
  lt_dispose(holder);
}
END_TEST

static Suite *connect_suite(void) {
  Suite *s = suite_create("connect");
  TCase *tc = tcase_create("addresses");
  tcase_set_timeout(tc, LT_NET_TIMEOUT);
#ifndef _WIN32
  tcase_add_test(tc, block_timeout_is_one_deadline);
  tcase_add_test(tc, total_timeout_is_one_deadline);
  tcase_add_test(tc, connect_waits_through_the_transport);
  tcase_add_test(tc, connect_timeout_is_one_deadline);
#endif
  tcase_add_test(tc, refused_then_next_address);
  tcase_add_test(tc, zero_timeout_tries_only_first);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(connect_suite());
}
