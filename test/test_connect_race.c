/* Happy Eyeballs (race.c) against black-holed addresses: connects that race several loopback
 * addresses, fed through the address seam (ltcp__inet_connect_addrs). A black-holed address is a
 * loopback listener whose accept queue is full, so the kernel drops further SYNs; where the
 * system answers a full queue with a reset instead (Windows), each case says so and checks
 * nothing else. Descriptors are counted before and after every case (POSIX). Times are checked
 * as "never before the delay" and "well under the timeout" with test_util.h's slack, never
 * against a tight timer. The cases without a black hole are in test_connect_refused.c. */
#include <stdio.h>

#include "race_util.h"

/* ---- races with a black-holed first address ---- */

/* [black hole, listener]: connected after about the delay, to the listener; the losing attempt
 * is closed. hole_host/ok_host pick the loopbacks (the same port on both when they differ). */
static void hole_first(const char *hole_host, const char *ok_host, double delay, int own) {
  lt_hole_t h;
  ltcp__sockaddr_t addrs[2];
  ltcp_t *server, *c, *peer;
  int port = 0, fds0, rc, same_port;
  double t0, elapsed;
  if (!lt_make_hole(&h, hole_host, 0)) {
    lt_free_hole(&h);
    return;
  }
  /* The listener on the same port as the black hole when the families differ. */
  server = lt_master(lt_family_of(ok_host));
  same_port = lt_family_of(ok_host) != lt_family_of(hole_host);
  lt_assert_rc(ltcp_bind(server, ok_host, same_port ? h.port : 0), 0);
  lt_assert_rc(ltcp_listen(server, 4), 0);
  port = lt_port_of(server);
  lt_addr_of(hole_host, h.port, &addrs[0]);
  lt_addr_of(ok_host, port, &addrs[1]);
  fds0 = lt_fd_count();
  c = lt_master(own ? lt_family_of(hole_host) : LTCP_FAMILY_UNSPEC);
  if (delay >= 0) lt_assert_rc(ltcp_setconnectdelay(c, delay), 0);
  else delay = 0.25;
  lt_assert_rc(ltcp_settimeout(c, 8.0, 't'), 0);
  t0 = lt_now();
  rc = lt_connect_addrs(c, addrs, 2);
  elapsed = lt_now() - t0;
  lt_assert_rc(rc, 0);
  ck_assert_msg(elapsed >= delay - 1e-3, "connected after %.3f s: before the delay %.3f s", elapsed,
                delay);
  ck_assert_msg(elapsed < delay + LT_LATE_SLACK,
                "connected after %.3f s with a delay of %.3f s: the black hole held it", elapsed,
                delay);
  ck_assert_int_eq(ltcp_state(c), LTCP_STATE_CLIENT);
  ck_assert_int_eq(ltcp_getfamily(c), lt_family_of(ok_host));
  ck_assert_int_eq(lt_peer_port(c), port);
  ck_assert_ptr_null(c->race);
  lt_assert_fds(fds0 >= 0 ? fds0 + 1 : -1); /* the winner only: the black-holed attempt is closed */
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
  lt_assert_fds(fds0); /* the accepted peer and the client closed: back to the start */
  lt_dispose(server);
  lt_free_hole(&h);
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
  lt_hole_t h1, h2;
  ltcp__sockaddr_t addrs[3];
  ltcp_t *server, *c;
  int port = 0;
  double t0, elapsed, delay = 1.0;
  char why[256];
  if (!lt_ipv6_available(why, sizeof why)) {
    fprintf(stderr, "IPv6 case skipped: %s\n", why);
    return;
  }
  if (!lt_make_hole(&h1, V6, 0)) {
    lt_free_hole(&h1);
    return;
  }
  if (!lt_make_hole(&h2, V6, 0)) {
    lt_free_hole(&h2);
    lt_free_hole(&h1);
    return;
  }
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  lt_addr_of(V6, h1.port, &addrs[0]);
  lt_addr_of(V6, h2.port, &addrs[1]);
  lt_addr_of(V4, port, &addrs[2]);
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_setconnectdelay(c, delay), 0);
  lt_assert_rc(ltcp_settimeout(c, 8.0, 't'), 0);
  t0 = lt_now();
  lt_assert_rc(lt_connect_addrs(c, addrs, 3), 0);
  elapsed = lt_now() - t0;
  ck_assert_msg(elapsed >= delay - 1e-3 && elapsed < 2 * delay,
                "%.3f s with a delay of %.3f s: the IPv4 address was not second", elapsed, delay);
  ck_assert_int_eq(lt_peer_port(c), port);
  lt_dispose(c);
  lt_dispose(server);
  lt_free_hole(&h2);
  lt_free_hole(&h1);
}
END_TEST

/* Options set before connect reach the socket that wins, though it is not the one they were
 * set on (the black hole took the object's own socket). */
START_TEST(options_set_before_connect_reach_the_winner) {
  lt_hole_t h;
  ltcp__sockaddr_t addrs[2];
  ltcp_t *server, *c;
  int port = 0, v = 0;
  if (!lt_make_hole(&h, V4, 0)) {
    lt_free_hole(&h);
    return;
  }
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  lt_addr_of(V4, h.port, &addrs[0]);
  lt_addr_of(V4, port, &addrs[1]);
  c = lt_master(LTCP_FAMILY_INET);
  lt_assert_rc(ltcp_setoption(c, LTCP_OPT_TCP_NODELAY, 1, 0), 0);
  lt_assert_rc(ltcp_setoption(c, LTCP_OPT_KEEPALIVE, 1, 0), 0);
  lt_assert_rc(ltcp_setconnectdelay(c, 0.05), 0);
  lt_assert_rc(lt_connect_addrs(c, addrs, 2), 0);
  ck_assert_int_eq(lt_peer_port(c), port);
  lt_assert_rc(ltcp_getoption(c, LTCP_OPT_TCP_NODELAY, &v, NULL), 0);
  ck_assert_int_eq(v != 0, 1);
  lt_assert_rc(ltcp_getoption(c, LTCP_OPT_KEEPALIVE, &v, NULL), 0);
  ck_assert_int_eq(v != 0, 1);
  lt_dispose(c);
  lt_dispose(server);
  lt_free_hole(&h);
}
END_TEST

/* The call's deadline hit mid-race: LTCP_ETIMEOUT at the deadline with the attempts started so
 * far still pending on the object; a later connect moves the race on (the third attempt starts
 * once due) and says "already in progress"; close releases every socket. */
static void deadline_mid_race(int mode) {
  lt_hole_t h[3];
  ltcp__sockaddr_t addrs[3];
  ltcp_t *c;
  const double T = 0.4, delay = 0.3;
  int i, fds0;
  double t0, elapsed;
  for (i = 0; i < 3; i++) {
    if (!lt_make_hole(&h[i], V4, 0)) {
      while (i >= 0) lt_free_hole(&h[i--]);
      return;
    }
    lt_addr_of(V4, h[i].port, &addrs[i]);
  }
  fds0 = lt_fd_count();
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_setconnectdelay(c, delay), 0);
  lt_assert_rc(ltcp_settimeout(c, -1, 't'), 0);
  lt_assert_rc(ltcp_settimeout(c, T, mode), 0);
  t0 = lt_now();
  lt_assert_rc(lt_connect_addrs(c, addrs, 3), LTCP_ETIMEOUT);
  elapsed = lt_now() - t0;
  ck_assert_msg(elapsed >= T - 1e-3, "returned early: %.3f s for a timeout of %.3f s", elapsed, T);
  ck_assert_msg(elapsed < T + LT_LATE_SLACK, "%.3f s for a timeout of %.3f s", elapsed, T);
  ck_assert_int_eq(ltcp_state(c), LTCP_STATE_CLIENT);
  ck_assert(ltcp__race_active(c));
  ck_assert(ltcp_getfd(c) != LTCP_INVALID_SOCKET);
  lt_assert_fds(fds0 >= 0 ? fds0 + 2 : -1); /* two attempts started (at 0 and at the delay) */
  ltcp_sleep(2 * delay);
  lt_assert_rc(ltcp_connect(c, V4, h[0].port), LTCP_EALREADY);
  lt_assert_fds(fds0 >= 0 ? fds0 + 3 : -1); /* the third was due: started without waiting */
  lt_assert_rc(ltcp_close(c), 0);
  lt_assert_fds(fds0);
  lt_dispose(c);
  for (i = 2; i >= 0; i--) lt_free_hole(&h[i]);
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
  lt_hole_t h;
  ltcp__sockaddr_t addrs[2];
  ltcp_t *server, *c, *peer;
  ltcp_pollfd_t p;
  size_t nready = 0;
  int port = 0, fds0;
  double t0;
  if (!lt_make_hole(&h, V4, 0)) {
    lt_free_hole(&h);
    return;
  }
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  lt_addr_of(V4, h.port, &addrs[0]);
  lt_addr_of(V4, port, &addrs[1]);
  fds0 = lt_fd_count();
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_settimeout(c, 0.0, 'b'), 0);
  t0 = lt_now();
  lt_assert_rc(lt_connect_addrs(c, addrs, 2), LTCP_ETIMEOUT);
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
  lt_assert_fds(fds0 >= 0 ? fds0 + 1 : -1); /* the winner only */
  lt_assert_rc(ltcp_connect(c, V4, port), 0);
  ck_assert_ptr_null(c->race);
  lt_assert_rc(ltcp_connect(c, V4, port), LTCP_EISCONN);
  ck_assert_int_eq(lt_peer_port(c), port);
  lt_assert_rc(ltcp_settimeout(server, 5.0, 't'), 0);
  peer = lt_accept(server);
  lt_dispose(peer);
  lt_dispose(c);
  lt_assert_fds(fds0);
  lt_dispose(server);
  lt_free_hole(&h);
}
END_TEST

/* Timeout 0 driven by connect calls alone (a program that polls connect): each call moves the
 * race on without waiting; "already in progress" until it has won. */
START_TEST(zero_timeout_race_through_connect_calls) {
  lt_hole_t h;
  ltcp__sockaddr_t addrs[2];
  ltcp_t *server, *c;
  int port = 0, rc = LTCP_ETIMEOUT, i;
  if (!lt_make_hole(&h, V4, 0)) {
    lt_free_hole(&h);
    return;
  }
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  lt_addr_of(V4, h.port, &addrs[0]);
  lt_addr_of(V4, port, &addrs[1]);
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_settimeout(c, 0.0, 'b'), 0);
  lt_assert_rc(lt_connect_addrs(c, addrs, 2), LTCP_ETIMEOUT);
  for (i = 0; i < 400 && (rc = lt_connect_addrs(c, addrs, 2)) == LTCP_EALREADY; i++)
    ltcp_sleep(0.02);
  lt_assert_rc(rc, 0);
  ck_assert_int_eq(lt_peer_port(c), port);
  lt_dispose(c);
  lt_dispose(server);
  lt_free_hole(&h);
}
END_TEST

/* [black hole, refused, listener]: the refusal of the second attempt starts the third at once,
 * though the first is still pending and the delay has not passed again. */
START_TEST(refused_mid_race_moves_on_at_once) {
  lt_hole_t h;
  ltcp__sockaddr_t addrs[3];
  ltcp_t *holder, *server, *c;
  int port = 0;
  double t0, elapsed, delay = 1.0;
  if (!lt_make_hole(&h, V4, 0)) {
    lt_free_hole(&h);
    return;
  }
  lt_addr_of(V4, h.port, &addrs[0]);
  holder = lt_closed_port(V4, &addrs[1]);
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  lt_addr_of(V4, port, &addrs[2]);
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_setconnectdelay(c, delay), 0);
  lt_assert_rc(ltcp_settimeout(c, 8.0, 't'), 0);
  t0 = lt_now();
  lt_assert_rc(lt_connect_addrs(c, addrs, 3), 0);
  elapsed = lt_now() - t0;
  ck_assert_msg(elapsed >= delay - 1e-3 && elapsed < 2 * delay,
                "%.3f s with a delay of %.3f s: the refusal did not move on at once", elapsed,
                delay);
  ck_assert_int_eq(lt_peer_port(c), port);
  lt_dispose(c);
  lt_dispose(server);
  lt_dispose(holder);
  lt_free_hole(&h);
}
END_TEST

/* ltcp_close and ltcp_setfd in the middle of a race release what it holds. */
START_TEST(close_and_setfd_drop_a_race) {
  ltcp__sockaddr_t addrs[2];
  lt_hole_t h1, h2;
  ltcp_t *c;
  ltcp_os_sock_t s;
  int fds0;
  if (!lt_make_hole(&h1, V4, 0)) {
    lt_free_hole(&h1);
    return;
  }
  if (!lt_make_hole(&h2, V4, 0)) {
    lt_free_hole(&h2);
    lt_free_hole(&h1);
    return;
  }
  lt_addr_of(V4, h1.port, &addrs[0]);
  lt_addr_of(V4, h2.port, &addrs[1]);
  fds0 = lt_fd_count();
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_setconnectdelay(c, 0.01), 0);
  lt_assert_rc(ltcp_settimeout(c, 0.2, 't'), 0);
  lt_assert_rc(lt_connect_addrs(c, addrs, 2), LTCP_ETIMEOUT);
  lt_assert_fds(fds0 >= 0 ? fds0 + 2 : -1);
  s = ltcp_getfd(c);
  lt_assert_rc(ltcp_setfd(c, LTCP_INVALID_SOCKET), 0); /* the race ends; its socket stays open */
  ck_assert_ptr_null(c->race);
  lt_assert_fds(fds0 >= 0 ? fds0 + 1 : -1);
  lt_assert_rc(ltcp_setfd(c, s), 0);
  lt_dispose(c);
  lt_assert_fds(fds0);
  lt_free_hole(&h2);
  lt_free_hole(&h1);
}
END_TEST

/* Delay 0: no race, addresses one after another as before (the black hole holds the call). */
START_TEST(delay_zero_is_sequential) {
  lt_hole_t h;
  ltcp__sockaddr_t addrs[2];
  ltcp_t *server, *c;
  int port = 0;
  const double T = 0.5;
  double t0;
  if (!lt_make_hole(&h, V4, 0)) {
    lt_free_hole(&h);
    return;
  }
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  lt_addr_of(V4, h.port, &addrs[0]);
  lt_addr_of(V4, port, &addrs[1]);
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_setconnectdelay(c, 0.0), 0);
  lt_assert_rc(ltcp_settimeout(c, T, 't'), 0);
  t0 = lt_now();
  lt_assert_rc(lt_connect_addrs(c, addrs, 2), LTCP_ETIMEOUT);
  lt_assert_elapsed(lt_now() - t0, T);
  ck_assert_ptr_null(c->race);
  ck_assert_int_eq(c->connecting, 1);
  lt_dispose(c);
  lt_dispose(server);
  lt_free_hole(&h);
}
END_TEST

static Suite *race_suite(void) {
  Suite *s = suite_create("connect_race");
  TCase *tc = tcase_create("race");
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
  tcase_add_test(tc, refused_mid_race_moves_on_at_once);
  tcase_add_test(tc, close_and_setfd_drop_a_race);
  tcase_add_test(tc, delay_zero_is_sequential);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(race_suite());
}
