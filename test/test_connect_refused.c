/* Happy Eyeballs (race.c) where no address hangs, so every platform runs all of it: the address
 * order (pure), the delay setting, refused addresses (moving on at once; every address failing,
 * also with timeout 0 through ltcp_select_objects), bound sockets and local addresses (no race,
 * their family only), and ltcp_select_objects with plain entries. Descriptors are counted
 * before and after (POSIX). The black-hole cases are in test_connect_race.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "race_util.h"

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

/* [refused, listener] with a long delay: the refusal moves on at once. */
START_TEST(refused_first_moves_on_at_once) {
  ltcp__sockaddr_t addrs[2];
  ltcp_t *holder = lt_closed_port(V4, &addrs[0]), *server, *c;
  int port = 0, fds0;
  double t0, elapsed, delay = 10.0;
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  lt_addr_of(V4, port, &addrs[1]);
  fds0 = lt_fd_count();
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_setconnectdelay(c, delay), 0);
  lt_assert_rc(ltcp_settimeout(c, 2 * delay, 't'), 0);
  t0 = lt_now();
  lt_assert_rc(lt_connect_addrs(c, addrs, 2), 0);
  elapsed = lt_now() - t0;
  ck_assert_msg(elapsed < delay, "%.3f s: the refused attempt waited out the delay", elapsed);
  ck_assert_int_eq(lt_peer_port(c), port);
  lt_assert_fds(fds0 >= 0 ? fds0 + 1 : -1);
  lt_dispose(c);
  lt_assert_fds(fds0);
  lt_dispose(server);
  lt_dispose(holder);
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
  h1 = lt_closed_port(V4, &addrs[0]);
  h2 = lt_closed_port(V4, &addrs[1]);
  if (v6) h3 = lt_closed_port(V6, &addrs[2]); /* attempt order: v4, v6, v4: the last is IPv4 */
  else fprintf(stderr, "IPv6 address of the case left out: %s\n", why);
  fds0 = lt_fd_count();
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_settimeout(c, 8.0, 't'), 0);
  lt_assert_rc(lt_connect_addrs(c, addrs, v6 ? 3 : 2), LTCP_EREFUSED);
  ck_assert_str_eq(ltcp_strerror(LTCP_EREFUSED), "connection refused");
  ck_assert_int_eq(ltcp_state(c), LTCP_STATE_CLIENT);
  ck_assert_int_eq(ltcp_getfamily(c), LTCP_FAMILY_INET);
  ck_assert(ltcp_getfd(c) != LTCP_INVALID_SOCKET);
  ck_assert_ptr_null(c->race);
  lt_assert_fds(fds0 >= 0 ? fds0 + 1 : -1);
  /* Again, now with a listener last: the failed object races afresh. */
  server = lt_listener(LTCP_FAMILY_INET, 4, &port);
  lt_addr_of(V4, port, &addrs[1]);
  lt_assert_rc(lt_connect_addrs(c, addrs, 2), 0);
  ck_assert_int_eq(lt_peer_port(c), port);
  lt_dispose(c);
  lt_dispose(server);
  lt_assert_fds(fds0);
  lt_dispose(h3);
  lt_dispose(h2);
  lt_dispose(h1);
}
END_TEST

/* Every address refused with timeout 0: connect reports it at once, or says timeout and select
 * reports the entry ready (writable, and readable if asked); the next connect says refused. */
START_TEST(zero_timeout_every_address_failing) {
  ltcp__sockaddr_t addrs[2];
  ltcp_t *h1 = lt_closed_port(V4, &addrs[0]), *h2 = lt_closed_port(V4, &addrs[1]), *c;
  ltcp_pollfd_t p;
  size_t nready = 0;
  int rc, fds0 = lt_fd_count();
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_settimeout(c, 0.0, 'b'), 0);
  rc = lt_connect_addrs(c, addrs, 2);
  ck_assert_msg(rc == LTCP_ETIMEOUT || rc == LTCP_EREFUSED, "%s", ltcp_strerror(rc));
  if (rc == LTCP_ETIMEOUT) {
    p.sock = ltcp_getfd(c);
    p.events = LTCP_POLLIN | LTCP_POLLOUT;
    p.revents = 0;
    lt_assert_rc(ltcp_select_objects(&p, &c, 1, 5.0, &nready), 0);
    ck_assert_int_eq(p.revents, LTCP_POLLIN | LTCP_POLLOUT);
    lt_assert_rc(lt_connect_addrs(c, addrs, 2), LTCP_EREFUSED);
  }
  ck_assert_ptr_null(c->race);
  lt_assert_fds(fds0 >= 0 ? fds0 + 1 : -1);
  lt_dispose(c);
  lt_assert_fds(fds0);
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
  lt_addr_of(V6, port, &addrs[0]);
  lt_addr_of(V4, port, &addrs[1]);
  c = lt_master(LTCP_FAMILY_UNSPEC);
  lt_assert_rc(ltcp_bind(c, V4, 0), 0);
  lt_assert_rc(ltcp_getsockname(c, &before), 0);
  lt_assert_rc(lt_connect_addrs(c, addrs, 2), 0);
  lt_assert_rc(ltcp_getsockname(c, &after), 0);
  ck_assert_int_eq(after.port, before.port);
  ck_assert_int_eq(ltcp_getfamily(c), LTCP_FAMILY_INET);
  ck_assert_int_eq(lt_peer_port(c), port);
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

static Suite *refused_suite(void) {
  Suite *s = suite_create("connect_refused");
  TCase *pure = tcase_create("pure"), *tc = tcase_create("refused");
  tcase_add_test(pure, order_interleaves_families);
  tcase_add_test(pure, delay_setting);
  suite_add_tcase(s, pure);
  tcase_set_timeout(tc, LT_NET_TIMEOUT);
  tcase_add_test(tc, refused_first_moves_on_at_once);
  tcase_add_test(tc, every_address_failing);
  tcase_add_test(tc, zero_timeout_every_address_failing);
  tcase_add_test(tc, bound_socket_keeps_its_family_and_address);
  tcase_add_test(tc, connect_to_with_local_address_keeps_its_family);
  tcase_add_test(tc, select_objects_plain_entries);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(refused_suite());
}
