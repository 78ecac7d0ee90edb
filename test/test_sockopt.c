/* Options added for LuaSocket 3.1 parity on real loopback sockets: "error" (the pending socket
 * error, read and cleared; read-only), tcp-defer-accept, tcp-fastopen and tcp-fastopen-connect
 * (Linux; LTCP_ENOTSUP elsewhere, Windows included), and ltcp_maxsockets (LuaSocket's
 * _SETSIZE): the process's descriptor limit on POSIX, the documented 16384 on Windows. */
#include <limits.h>
#include <string.h>

#ifndef _WIN32
#include <sys/resource.h>
#endif

#include "net_helpers.h"
#include "test_util.h"

#define LOOP "127.0.0.1"

START_TEST(error_none_pending) {
  ltcp_t *a, *b, *m = lt_master(LTCP_FAMILY_INET), *u = lt_master(LTCP_FAMILY_UNSPEC);
  int v = 12345;
  lt_pair(LTCP_FAMILY_INET, &a, &b);
  lt_assert_rc(ltcp_getoption(m, LTCP_OPT_ERROR, &v, NULL), 0);
  ck_assert_int_eq(v, 0);
  v = 12345;
  lt_assert_rc(ltcp_getoption(a, LTCP_OPT_ERROR, &v, NULL), 0);
  ck_assert_int_eq(v, 0);
  lt_assert_rc(ltcp_getoption(b, LTCP_OPT_ERROR, &v, NULL), 0);
  ck_assert_int_eq(v, 0);
  /* read-only; no socket yet; closed */
  lt_assert_rc(ltcp_setoption(a, LTCP_OPT_ERROR, 0, 0), LTCP_ENOTSUP);
  lt_assert_rc(ltcp_getoption(u, LTCP_OPT_ERROR, &v, NULL), LTCP_EBADF);
  lt_assert_rc(ltcp_close(m), 0);
  lt_assert_rc(ltcp_getoption(m, LTCP_OPT_ERROR, &v, NULL), LTCP_ECLOSED);
  ck_assert_int_eq(ltcp_option_byname("error"), LTCP_OPT_ERROR);
  lt_dispose(a);
  lt_dispose(b);
  lt_dispose(m);
  lt_dispose(u);
}
END_TEST

/* The use LuaSocket programs make of it: after a non-blocking connect, select says writable (or
 * failed) and getoption("error") tells which. */
START_TEST(error_after_refused_nonblocking_connect) {
  int port, v = 0, rc;
  ltcp_t *server = lt_listener(LTCP_FAMILY_INET, 4, &port), *c, *blocker;
  ltcp_pollfd_t p;
  size_t nready = 0;
  lt_dispose(server);
  blocker = lt_blocker(LTCP_FAMILY_INET, LOOP, port); /* holds the port, not listening */
  c = lt_master(LTCP_FAMILY_INET);
  lt_assert_rc(ltcp_settimeout(c, 0.0, 'b'), 0);
  rc = ltcp_connect(c, LOOP, port);
  if (rc == LTCP_ETIMEOUT) { /* in progress: wait for the outcome */
    p.sock = ltcp_getfd(c);
    p.events = LTCP_POLLOUT;
    p.revents = 0;
    /* Windows reports a refused SYN only after its retries (about 2 s) */
    lt_assert_rc(ltcp_select(&p, 1, 10.0, &nready), 0);
    lt_assert_rc(ltcp_getoption(c, LTCP_OPT_ERROR, &v, NULL), 0);
    lt_assert_rc(v, LTCP_EREFUSED);
#ifndef _WIN32
    /* SO_ERROR is cleared by reading it */
    lt_assert_rc(ltcp_getoption(c, LTCP_OPT_ERROR, &v, NULL), 0);
    ck_assert_int_eq(v, 0);
#endif
  } else {
    lt_assert_rc(rc, LTCP_EREFUSED); /* refused at once: nothing left pending */
  }
  lt_dispose(c);
  lt_dispose(blocker);
}
END_TEST

/* Linux: set, then read back; elsewhere every access is LTCP_ENOTSUP. */
START_TEST(linux_only_options) {
  ltcp_t *server = lt_listener(LTCP_FAMILY_INET, 4, NULL), *m = lt_master(LTCP_FAMILY_INET);
  int v = -7, rc;
  rc = ltcp_setoption(server, LTCP_OPT_TCP_DEFER_ACCEPT, 5, 0);
#ifdef __linux__
  lt_assert_rc(rc, 0);
  lt_assert_rc(ltcp_getoption(server, LTCP_OPT_TCP_DEFER_ACCEPT, &v, NULL), 0);
  ck_assert_msg(v > 0, "tcp-defer-accept reads back %d after 5 s", v); /* kernel rounds it */
  lt_assert_rc(ltcp_setoption(server, LTCP_OPT_TCP_DEFER_ACCEPT, 0, 0), 0);
  lt_assert_rc(ltcp_getoption(server, LTCP_OPT_TCP_DEFER_ACCEPT, &v, NULL), 0);
  ck_assert_int_eq(v, 0);
  lt_assert_rc(ltcp_setoption(server, LTCP_OPT_TCP_FASTOPEN, 5, 0), 0);
  lt_assert_rc(ltcp_getoption(server, LTCP_OPT_TCP_FASTOPEN, &v, NULL), 0);
  ck_assert_int_eq(v, 5);
  lt_assert_rc(ltcp_setoption(server, LTCP_OPT_TCP_FASTOPEN, -1, 0), LTCP_EINVAL);
  lt_assert_rc(ltcp_setoption(m, LTCP_OPT_TCP_FASTOPEN_CONNECT, 1, 0), 0);
  lt_assert_rc(ltcp_getoption(m, LTCP_OPT_TCP_FASTOPEN_CONNECT, &v, NULL), 0);
  ck_assert_int_eq(v, 1);
  lt_assert_rc(ltcp_setoption(m, LTCP_OPT_TCP_FASTOPEN_CONNECT, 0, 0), 0);
  lt_assert_rc(ltcp_getoption(m, LTCP_OPT_TCP_FASTOPEN_CONNECT, &v, NULL), 0);
  ck_assert_int_eq(v, 0);
  lt_assert_rc(ltcp_setoption(m, LTCP_OPT_TCP_FASTOPEN_CONNECT, 2, 0), LTCP_EINVAL);
#else
  lt_assert_rc(rc, LTCP_ENOTSUP);
  lt_assert_rc(ltcp_getoption(server, LTCP_OPT_TCP_DEFER_ACCEPT, &v, NULL), LTCP_ENOTSUP);
#ifdef _WIN32
  lt_assert_rc(ltcp_setoption(server, LTCP_OPT_TCP_FASTOPEN, 5, 0), LTCP_ENOTSUP);
  lt_assert_rc(ltcp_getoption(server, LTCP_OPT_TCP_FASTOPEN, &v, NULL), LTCP_ENOTSUP);
  lt_assert_rc(ltcp_setoption(m, LTCP_OPT_TCP_FASTOPEN_CONNECT, 1, 0), LTCP_ENOTSUP);
  lt_assert_rc(ltcp_getoption(m, LTCP_OPT_TCP_FASTOPEN_CONNECT, &v, NULL), LTCP_ENOTSUP);
#endif
#endif
  ck_assert_str_eq(ltcp_option_name(LTCP_OPT_TCP_DEFER_ACCEPT), "tcp-defer-accept");
  ck_assert_str_eq(ltcp_option_name(LTCP_OPT_TCP_FASTOPEN), "tcp-fastopen");
  ck_assert_str_eq(ltcp_option_name(LTCP_OPT_TCP_FASTOPEN_CONNECT), "tcp-fastopen-connect");
  lt_dispose(server);
  lt_dispose(m);
}
END_TEST

START_TEST(maxsockets_is_the_descriptor_limit) {
  int n = ltcp_maxsockets();
#ifdef _WIN32
  ck_assert_int_eq(n, 16384);
#else
  struct rlimit rl;
  ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur <= (rlim_t)INT_MAX)
    ck_assert_int_eq(n, (int)rl.rlim_cur);
  /* it follows the limit as it is now (the Lua module reads it once, when it is loaded) */
  if (rl.rlim_cur > 64 && rl.rlim_cur != RLIM_INFINITY) {
    struct rlimit lower = rl;
    lower.rlim_cur = 64;
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &lower), 0);
    ck_assert_int_eq(ltcp_maxsockets(), 64);
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
  }
#endif
  ck_assert_int_gt(n, 0);
  ck_assert_int_lt(n, INT_MAX);
}
END_TEST

static Suite *sockopt_suite(void) {
  Suite *s = suite_create("sockopt");
  TCase *tc = tcase_create("loopback");
  tcase_set_timeout(tc, LT_NET_TIMEOUT);
  tcase_add_test(tc, error_none_pending);
  tcase_add_test(tc, error_after_refused_nonblocking_connect);
  tcase_add_test(tc, linux_only_options);
  tcase_add_test(tc, maxsockets_is_the_descriptor_limit);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(sockopt_suite());
}
