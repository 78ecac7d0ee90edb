/* ltcp_select over real loopback sockets (select.c + the backend's poll): read and write
 * readiness, timeouts, ignored entries, error conditions reported as ready, and more than 1024
 * descriptors with numbers above 1024 (where a plain fd_set would overflow). IPv4 loopback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <sys/resource.h>
#endif

#include "net_helpers.h"
#include "test_util.h"

#define FAM LTCP_FAMILY_INET

static ltcp_pollfd_t entry(ltcp_t *t, int events) {
  ltcp_pollfd_t p;
  p.sock = ltcp_getfd(t);
  p.events = events;
  p.revents = -1; /* must be overwritten */
  return p;
}

START_TEST(read_ready) {
  ltcp_t *a, *b;
  ltcp_pollfd_t p[2];
  size_t nready = 99;
  lt_pair(FAM, &a, &b);
  lt_send_all(a, "x", 1);
  p[0] = entry(b, LTCP_POLLIN);
  p[1] = entry(a, LTCP_POLLIN); /* nothing to read on a */
  lt_assert_rc(ltcp_select(p, 2, 5.0, &nready), 0);
  ck_assert_uint_eq(nready, 1);
  ck_assert_int_eq(p[0].revents, LTCP_POLLIN);
  ck_assert_int_eq(p[1].revents, 0);
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

START_TEST(write_ready) {
  ltcp_t *a, *b;
  ltcp_pollfd_t p[2];
  size_t nready = 0;
  lt_pair(FAM, &a, &b);
  p[0] = entry(a, LTCP_POLLOUT);
  p[1] = entry(b, LTCP_POLLIN | LTCP_POLLOUT); /* writable, not readable */
  lt_assert_rc(ltcp_select(p, 2, 5.0, &nready), 0);
  ck_assert_uint_eq(nready, 2);
  ck_assert_int_eq(p[0].revents, LTCP_POLLOUT);
  ck_assert_int_eq(p[1].revents, LTCP_POLLOUT);
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

START_TEST(timeout_when_nothing_ready) {
  ltcp_t *a, *b;
  ltcp_pollfd_t p[2];
  size_t nready = 99;
  double t0, e;
  lt_pair(FAM, &a, &b);
  p[0] = entry(a, LTCP_POLLIN);
  p[1] = entry(b, LTCP_POLLIN);
  t0 = lt_now();
  lt_assert_rc(ltcp_select(p, 2, 0.1, &nready), LTCP_ETIMEOUT);
  e = lt_now() - t0;
  ck_assert_uint_eq(nready, 0);
  ck_assert_int_eq(p[0].revents, 0);
  ck_assert_int_eq(p[1].revents, 0);
  lt_assert_elapsed(e, 0.1);
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

START_TEST(negative_timeout_waits_until_ready) {
  ltcp_t *a, *b;
  ltcp_pollfd_t p;
  size_t nready = 0;
  lt_pair(FAM, &a, &b);
  lt_send_all(a, "x", 1);
  p = entry(b, LTCP_POLLIN);
  lt_assert_rc(ltcp_select(&p, 1, -1.0, &nready), 0); /* forever, but data is there */
  ck_assert_uint_eq(nready, 1);
  ck_assert_int_eq(p.revents, LTCP_POLLIN);
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

START_TEST(zero_timeout_polls) {
  ltcp_t *a, *b;
  ltcp_pollfd_t p;
  size_t nready = 99;
  double t0;
  lt_pair(FAM, &a, &b);
  p = entry(b, LTCP_POLLIN);
  t0 = lt_now();
  lt_assert_rc(ltcp_select(&p, 1, 0.0, &nready), LTCP_ETIMEOUT);
  ck_assert(lt_now() - t0 < LT_AT_ONCE);
  ck_assert_uint_eq(nready, 0);
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

START_TEST(no_entries_waits_the_timeout) {
  size_t nready = 99;
  double t0 = lt_now();
  lt_assert_rc(ltcp_select(NULL, 0, 0.05, &nready), LTCP_ETIMEOUT);
  lt_assert_elapsed(lt_now() - t0, 0.05);
  ck_assert_uint_eq(nready, 0);
}
END_TEST

START_TEST(invalid_entries_ignored) {
  ltcp_t *a, *b;
  ltcp_pollfd_t p[3];
  size_t nready = 0;
  lt_pair(FAM, &a, &b);
  lt_send_all(a, "x", 1);
  p[0].sock = LTCP_INVALID_SOCKET;
  p[0].events = LTCP_POLLIN | LTCP_POLLOUT;
  p[0].revents = -1;
  p[1] = entry(b, LTCP_POLLIN);
  p[2].sock = LTCP_INVALID_SOCKET;
  p[2].events = LTCP_POLLIN;
  p[2].revents = -1;
  lt_assert_rc(ltcp_select(p, 3, 5.0, &nready), 0);
  ck_assert_uint_eq(nready, 1);
  ck_assert_int_eq(p[0].revents, 0);
  ck_assert_int_eq(p[1].revents, LTCP_POLLIN);
  ck_assert_int_eq(p[2].revents, 0);
  /* Only invalid entries: a plain timeout. */
  lt_assert_rc(ltcp_select(p, 1, 0.01, &nready), LTCP_ETIMEOUT);
  ck_assert_uint_eq(nready, 0);
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

START_TEST(events_zero_never_ready) {
  ltcp_t *a, *b;
  ltcp_pollfd_t p;
  size_t nready = 99;
  lt_pair(FAM, &a, &b);
  lt_send_all(a, "x", 1);
  p = entry(b, 0);
  lt_assert_rc(ltcp_select(&p, 1, 0.02, &nready), LTCP_ETIMEOUT);
  ck_assert_int_eq(p.revents, 0);
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

START_TEST(server_readable_when_connection_pending) {
  int port;
  ltcp_t *server = lt_listener(FAM, 4, &port), *c, *peer;
  ltcp_pollfd_t p;
  size_t nready = 0;
  p = entry(server, LTCP_POLLIN);
  lt_assert_rc(ltcp_select(&p, 1, 0.0, &nready), LTCP_ETIMEOUT);
  c = lt_client(FAM, port);
  p = entry(server, LTCP_POLLIN);
  lt_assert_rc(ltcp_select(&p, 1, 5.0, &nready), 0);
  ck_assert_int_eq(p.revents, LTCP_POLLIN);
  peer = lt_accept(server);
  lt_dispose(peer);
  lt_dispose(c);
  lt_dispose(server);
}
END_TEST

START_TEST(peer_close_is_readable) {
  ltcp_t *a, *b;
  ltcp_pollfd_t p;
  size_t nready = 0;
  ltcp_bytes_t r;
  lt_pair(FAM, &a, &b);
  lt_dispose(a);
  p = entry(b, LTCP_POLLIN);
  lt_assert_rc(ltcp_select(&p, 1, 5.0, &nready), 0);
  ck_assert_int_eq(p.revents, LTCP_POLLIN);
  lt_assert_rc(lt_receive(b, LTCP_RECV_ALL, 0, NULL, &r), LTCP_ECLOSED);
  ltcp_bytes_free(&r);
  lt_dispose(b);
}
END_TEST

START_TEST(bad_arguments) {
  ltcp_pollfd_t p;
  size_t nready;
  p.sock = LTCP_INVALID_SOCKET;
  p.events = LTCP_POLLIN;
  lt_assert_rc(ltcp_select(NULL, 3, 0.0, &nready), LTCP_EINVAL);
  lt_assert_rc(ltcp_select(&p, 1, 0.0, NULL), LTCP_EINVAL);
}
END_TEST

/* ---- many descriptors ---- */

#define MANY 1500

START_TEST(more_than_1024_descriptors) {
  /* 1500 listening sockets (not ready for reading until a client connects), so descriptor
   * numbers go well above 1024; then a client connects to the last one and select over all of
   * them must report exactly that one. A select()-based backend without sized fd_sets fails. */
  ltcp_t **ls = calloc(MANY, sizeof *ls);
  ltcp_pollfd_t *p = calloc(MANY + 1, sizeof *p);
  ltcp_t *c, *peer;
  size_t i, nready = 0;
  int port = 0;
  double t0;
  ck_assert_ptr_nonnull(ls);
  ck_assert_ptr_nonnull(p);
#ifndef _WIN32
  {
    /* POSIX only: descriptors are limited by RLIMIT_NOFILE (Windows has no such limit on
     * sockets). Raise the soft limit to the hard one; fail clearly if that is too low. */
    struct rlimit rl;
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < MANY + 64) {
      rl.rlim_cur = rl.rlim_max;
      ck_assert_msg(rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= MANY + 64,
                    "RLIMIT_NOFILE hard limit is %llu: this test needs %d descriptors; raise "
                    "it (ulimit -Hn) to run it",
                    (unsigned long long)rl.rlim_max, MANY + 64);
      ck_assert_msg(setrlimit(RLIMIT_NOFILE, &rl) == 0, "setrlimit(RLIMIT_NOFILE, %llu) failed",
                    (unsigned long long)rl.rlim_cur);
    }
  }
#endif
  for (i = 0; i < MANY; i++) {
    ls[i] = lt_listener(FAM, 2, i + 1 == MANY ? &port : NULL);
    p[i] = entry(ls[i], LTCP_POLLIN);
  }
#ifndef _WIN32
  ck_assert_msg(ltcp_getfd(ls[MANY - 1]) > 1024, "last descriptor is %d, not above 1024",
                ltcp_getfd(ls[MANY - 1]));
#endif
  /* Nothing ready yet. */
  t0 = lt_now();
  lt_assert_rc(ltcp_select(p, MANY, 0.05, &nready), LTCP_ETIMEOUT);
  lt_assert_elapsed(lt_now() - t0, 0.05);
  ck_assert_uint_eq(nready, 0);

  c = lt_client(FAM, port);
  /* The client (highest descriptor) is writable, the last listener readable. */
  p[MANY] = entry(c, LTCP_POLLOUT);
  for (i = 0; i < MANY; i++) p[i].revents = -1;
  lt_assert_rc(ltcp_select(p, MANY + 1, 5.0, &nready), 0);
  ck_assert_uint_eq(nready, 2);
  for (i = 0; i + 1 < MANY; i++)
    ck_assert_msg(p[i].revents == 0, "entry %zu (fd %d) reported ready", i, (int)p[i].sock);
  ck_assert_int_eq(p[MANY - 1].revents, LTCP_POLLIN);
  ck_assert_int_eq(p[MANY].revents, LTCP_POLLOUT);

  /* The library's own waits on a high descriptor work too. */
  peer = lt_accept(ls[MANY - 1]);
  lt_send_all(c, "hi\n", 3);
  {
    ltcp_bytes_t r;
    lt_assert_rc(ltcp_settimeout(peer, 5.0, 'b'), 0);
    lt_assert_rc(lt_receive(peer, LTCP_RECV_LINE, 0, NULL, &r), 0);
    lt_assert_bytes(r.data, r.len, "hi", 2);
    ltcp_bytes_free(&r);
    t0 = lt_now();
    lt_assert_rc(ltcp_settimeout(peer, 0.05, 'b'), 0);
    lt_assert_rc(lt_receive(peer, LTCP_RECV_LINE, 0, NULL, &r), LTCP_ETIMEOUT);
    lt_assert_elapsed(lt_now() - t0, 0.05);
    ltcp_bytes_free(&r);
  }
  lt_dispose(peer);
  lt_dispose(c);
  for (i = 0; i < MANY; i++) lt_dispose(ls[i]);
  free(ls);
  free(p);
}
END_TEST

static Suite *select_suite(void) {
  Suite *s = suite_create("select");
  TCase *tc;

  tc = tcase_create("readiness");
  tcase_set_timeout(tc, LT_NET_TIMEOUT);
  tcase_add_test(tc, read_ready);
  tcase_add_test(tc, write_ready);
  tcase_add_test(tc, timeout_when_nothing_ready);
  tcase_add_test(tc, negative_timeout_waits_until_ready);
  tcase_add_test(tc, zero_timeout_polls);
  tcase_add_test(tc, no_entries_waits_the_timeout);
  tcase_add_test(tc, invalid_entries_ignored);
  tcase_add_test(tc, events_zero_never_ready);
  tcase_add_test(tc, server_readable_when_connection_pending);
  tcase_add_test(tc, peer_close_is_readable);
  tcase_add_test(tc, bad_arguments);
  suite_add_tcase(s, tc);

  tc = tcase_create("many");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, more_than_1024_descriptors);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(select_suite());
}
