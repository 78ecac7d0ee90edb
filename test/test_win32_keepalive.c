/* Keepalive tuning on Windows (src/win32/options.c), run on Windows or under Wine. Two paths, and
 * the suite checks the one the system takes, asking Winsock directly which one that is:
 * - native: TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT (Windows 10 1709+): values read back
 *   from the system;
 * - fallback (older Windows, Wine 8): SIO_KEEPALIVE_VALS, write-only, so ltcp remembers idle and
 *   interval on the object; the count is "not supported".
 * Both: out-of-range values fail with LTCP_EINVAL and change nothing; setting one value keeps
 * the other; tuning never switches keepalive on or off by itself; remembered values belong to
 * one socket of one object. That the fallback's values reach the kernel is checked from outside
 * by keepalive_kernel.sh (ss on the Linux host under Wine). */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdio.h>

#include "net_helpers.h"
#include "sys.h"
#include "test_util.h"

/* src/win32/options.c (internal). */
int ltcp__win32_keepalive_vals(SOCKET s, int on, int idle, int intvl, int *native);

#define WIN_TCP_KEEPIDLE 3 /* Windows' value, whatever the headers of this build say */

static int native_tuning = -1;

/* Does this system answer TCP_KEEPIDLE itself? Asked with a raw socket, not through ltcp. */
static int system_has_keepidle(void) {
  if (native_tuning < 0) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int v = 0, len = (int)sizeof v;
    native_tuning =
      s != INVALID_SOCKET && getsockopt(s, IPPROTO_TCP, WIN_TCP_KEEPIDLE, (char *)&v, &len) == 0;
    if (s != INVALID_SOCKET) closesocket(s);
  }
  return native_tuning;
}

static int get(ltcp_t *t, ltcp_option_t opt, int *v) {
  *v = -12345;
  return ltcp_getoption(t, opt, v, NULL);
}

static int raw_keepalive(SOCKET s) {
  int v = 0, len = (int)sizeof v;
  ck_assert(getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&v, &len) == 0);
  return v != 0;
}

START_TEST(tuning_reads_back_on_a_connection) {
  ltcp_t *a = NULL, *b = NULL;
  int v;
  lt_pair(LTCP_FAMILY_INET, &a, &b);
  lt_assert_rc(ltcp_setoption(a, LTCP_OPT_KEEPALIVE, 1, 0), 0);
  lt_assert_rc(ltcp_setoption(a, LTCP_OPT_TCP_KEEPIDLE, 61, 0), 0);
  lt_assert_rc(ltcp_setoption(a, LTCP_OPT_TCP_KEEPINTVL, 7, 0), 0);
  lt_assert_rc(get(a, LTCP_OPT_TCP_KEEPIDLE, &v), 0);
  ck_assert_int_eq(v, 61);
  lt_assert_rc(get(a, LTCP_OPT_TCP_KEEPINTVL, &v), 0);
  ck_assert_int_eq(v, 7);
  /* SIO_KEEPALIVE_VALS sets both: changing one must send the other as it was. */
  lt_assert_rc(ltcp_setoption(a, LTCP_OPT_TCP_KEEPIDLE, 62, 0), 0);
  lt_assert_rc(get(a, LTCP_OPT_TCP_KEEPINTVL, &v), 0);
  ck_assert_int_eq(v, 7);
  lt_assert_rc(get(a, LTCP_OPT_TCP_KEEPIDLE, &v), 0);
  ck_assert_int_eq(v, 62);
  lt_assert_rc(get(a, LTCP_OPT_KEEPALIVE, &v), 0);
  ck_assert_int_eq(v, 1);
  if (system_has_keepidle()) {
    lt_assert_rc(ltcp_setoption(a, LTCP_OPT_TCP_KEEPCNT, 5, 0), 0);
    lt_assert_rc(get(a, LTCP_OPT_TCP_KEEPCNT, &v), 0);
    ck_assert_int_eq(v, 5);
  } else {
    lt_assert_rc(ltcp_setoption(a, LTCP_OPT_TCP_KEEPCNT, 5, 0), LTCP_ENOTSUP);
    lt_assert_rc(get(a, LTCP_OPT_TCP_KEEPCNT, &v), LTCP_ENOTSUP);
  }
  /* The accepted side was never tuned: it has its own (empty) memory. */
  if (!system_has_keepidle()) lt_assert_rc(get(b, LTCP_OPT_TCP_KEEPIDLE, &v), LTCP_ENOTSUP);
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

START_TEST(tuning_leaves_keepalive_as_it_is) {
  static const int families[] = {LTCP_FAMILY_INET, LTCP_FAMILY_INET6};
  size_t i;
  char why[200];
  for (i = 0; i < 2; i++) {
    ltcp_t *t;
    int v;
    if (families[i] == LTCP_FAMILY_INET6 && !lt_ipv6_available(why, sizeof why)) continue;
    t = lt_master(families[i]);
    lt_assert_rc(get(t, LTCP_OPT_KEEPALIVE, &v), 0);
    ck_assert_int_eq(v, 0);
    lt_assert_rc(ltcp_setoption(t, LTCP_OPT_TCP_KEEPIDLE, 30, 0), 0);
    /* SIO_KEEPALIVE_VALS would switch keepalive on: tuning alone must not. */
    lt_assert_rc(get(t, LTCP_OPT_KEEPALIVE, &v), 0);
    ck_assert_msg(v == 0, "%s: tcp-keepidle switched keepalive on", lt_family_name(families[i]));
    ck_assert_int_eq(raw_keepalive((SOCKET)ltcp_getfd(t)), 0);
    lt_assert_rc(get(t, LTCP_OPT_TCP_KEEPIDLE, &v), 0);
    ck_assert_int_eq(v, 30);
    lt_assert_rc(get(t, LTCP_OPT_TCP_KEEPINTVL, &v), 0);
    if (!system_has_keepidle()) ck_assert_int_eq(v, 1); /* Windows' default, sent with idle */
    else ck_assert_int_gt(v, 0);
    /* Switched on later, the tuning holds (the fallback sends it again at this point). */
    lt_assert_rc(ltcp_setoption(t, LTCP_OPT_KEEPALIVE, 1, 0), 0);
    lt_assert_rc(get(t, LTCP_OPT_KEEPALIVE, &v), 0);
    ck_assert_int_eq(v, 1);
    lt_assert_rc(get(t, LTCP_OPT_TCP_KEEPIDLE, &v), 0);
    ck_assert_int_eq(v, 30);
    lt_assert_rc(ltcp_setoption(t, LTCP_OPT_KEEPALIVE, 0, 0), 0);
    lt_assert_rc(get(t, LTCP_OPT_KEEPALIVE, &v), 0);
    ck_assert_int_eq(v, 0);
    lt_assert_rc(get(t, LTCP_OPT_TCP_KEEPIDLE, &v), 0);
    ck_assert_int_eq(v, 30);
    lt_dispose(t);
  }
}
END_TEST

START_TEST(tuning_rejects_out_of_range_values) {
  static const struct {
    ltcp_option_t opt;
    int bad;
  } cases[] = {
    {LTCP_OPT_TCP_KEEPIDLE, 0},        {LTCP_OPT_TCP_KEEPIDLE, -1},
    {LTCP_OPT_TCP_KEEPIDLE, 4294968},  {LTCP_OPT_TCP_KEEPIDLE, -2147483647 - 1},
    {LTCP_OPT_TCP_KEEPINTVL, 0},       {LTCP_OPT_TCP_KEEPINTVL, -5},
    {LTCP_OPT_TCP_KEEPINTVL, 4294968}, {LTCP_OPT_TCP_KEEPINTVL, 2147483647},
    {LTCP_OPT_TCP_KEEPCNT, 0},         {LTCP_OPT_TCP_KEEPCNT, 256},
    {LTCP_OPT_TCP_KEEPCNT, -1},
  };
  ltcp_t *t = lt_master(LTCP_FAMILY_INET);
  size_t i;
  int v;
  lt_assert_rc(ltcp_setoption(t, LTCP_OPT_KEEPALIVE, 1, 0), 0);
  lt_assert_rc(ltcp_setoption(t, LTCP_OPT_TCP_KEEPIDLE, 40, 0), 0);
  lt_assert_rc(ltcp_setoption(t, LTCP_OPT_TCP_KEEPINTVL, 4, 0), 0);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int rc = ltcp_setoption(t, cases[i].opt, cases[i].bad, 0);
    ck_assert_msg(rc == LTCP_EINVAL, "%s %d: %d (%s)", ltcp_option_name(cases[i].opt), cases[i].bad,
                  rc, ltcp_strerror(rc));
  }
  lt_assert_rc(get(t, LTCP_OPT_TCP_KEEPIDLE, &v), 0);
  ck_assert_int_eq(v, 40);
  lt_assert_rc(get(t, LTCP_OPT_TCP_KEEPINTVL, &v), 0);
  ck_assert_int_eq(v, 4);
  /* The largest values still fit (milliseconds in a ULONG on the fallback). */
  lt_assert_rc(ltcp_setoption(t, LTCP_OPT_TCP_KEEPIDLE, 4294967, 0), 0);
  lt_assert_rc(get(t, LTCP_OPT_TCP_KEEPIDLE, &v), 0);
  ck_assert_int_eq(v, 4294967);
  lt_dispose(t);
}
END_TEST

START_TEST(nothing_set_reads_as_the_system_answers) {
  ltcp_t *t = lt_master(LTCP_FAMILY_INET);
  int v;
  if (system_has_keepidle()) {
    lt_assert_rc(get(t, LTCP_OPT_TCP_KEEPIDLE, &v), 0);
    ck_assert_int_gt(v, 0);
    lt_assert_rc(get(t, LTCP_OPT_TCP_KEEPINTVL, &v), 0);
    ck_assert_int_gt(v, 0);
  } else {
    /* The default is the registry's, not the socket's: ltcp cannot know it. */
    lt_assert_rc(get(t, LTCP_OPT_TCP_KEEPIDLE, &v), LTCP_ENOTSUP);
    lt_assert_rc(get(t, LTCP_OPT_TCP_KEEPINTVL, &v), LTCP_ENOTSUP);
    lt_assert_rc(get(t, LTCP_OPT_TCP_KEEPCNT, &v), LTCP_ENOTSUP);
  }
  lt_dispose(t);
}
END_TEST

START_TEST(memory_belongs_to_one_socket) {
  ltcp_t *a = lt_master(LTCP_FAMILY_INET), *b = lt_master(LTCP_FAMILY_INET);
  ltcp_os_sock_t fa = ltcp_getfd(a), fb = ltcp_getfd(b);
  int v;
  lt_assert_rc(ltcp_setoption(a, LTCP_OPT_TCP_KEEPIDLE, 33, 0), 0);
  /* Another socket under the same object: what was remembered is not its value. */
  lt_assert_rc(ltcp_setfd(a, fb), 0);
  lt_assert_rc(ltcp_setfd(b, fa), 0);
  if (system_has_keepidle()) {
    lt_assert_rc(get(a, LTCP_OPT_TCP_KEEPIDLE, &v), 0);
    ck_assert_int_ne(v, 33);
    lt_assert_rc(get(b, LTCP_OPT_TCP_KEEPIDLE, &v), 0);
    ck_assert_int_eq(v, 33);
  } else {
    lt_assert_rc(get(a, LTCP_OPT_TCP_KEEPIDLE, &v), LTCP_ENOTSUP);
    lt_assert_rc(get(b, LTCP_OPT_TCP_KEEPIDLE, &v), LTCP_ENOTSUP); /* b has no memory of it */
  }
  lt_assert_rc(ltcp_setfd(a, fa), 0);
  lt_assert_rc(ltcp_setfd(b, fb), 0);
  lt_assert_rc(get(a, LTCP_OPT_TCP_KEEPIDLE, &v), 0);
  ck_assert_int_eq(v, 33);
  /* Closed and opened again: a new socket (Windows may hand out the same handle value). */
  lt_assert_rc(ltcp_close(a), 0);
  lt_assert_rc(ltcp_open(a, LTCP_FAMILY_INET), 0);
  if (system_has_keepidle()) {
    lt_assert_rc(get(a, LTCP_OPT_TCP_KEEPIDLE, &v), 0);
    ck_assert_int_ne(v, 33);
  } else {
    lt_assert_rc(get(a, LTCP_OPT_TCP_KEEPIDLE, &v), LTCP_ENOTSUP);
  }
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

START_TEST(sio_keepalive_vals_directly) {
  /* The fallback itself, on every system (it is the only path on older Windows). */
  SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  int native = 0;
  ck_assert(s != INVALID_SOCKET);
  lt_assert_rc(ltcp__win32_keepalive_vals(s, 1, 61, 5, &native), 0);
  ck_assert_int_eq(raw_keepalive(s), 1);
  lt_assert_rc(ltcp__win32_keepalive_vals(s, 0, 61, 5, &native), 0);
  ck_assert_int_eq(raw_keepalive(s), 0);
  lt_assert_rc(ltcp__win32_keepalive_vals(s, 1, 0, 5, &native), LTCP_EINVAL);
  lt_assert_rc(ltcp__win32_keepalive_vals(s, 1, 5, 0, &native), LTCP_EINVAL);
  lt_assert_rc(ltcp__win32_keepalive_vals(s, 1, 4294968, 1, &native), LTCP_EINVAL);
  lt_assert_rc(ltcp__win32_keepalive_vals(s, 1, 1, -1, &native), LTCP_EINVAL);
  ck_assert_int_eq(raw_keepalive(s), 0); /* the rejected calls changed nothing */
  lt_assert_rc(ltcp__win32_keepalive_vals(s, 1, 4294967, 4294967, &native), 0);
  closesocket(s);
  native = 0;
  ck_assert_int_ne(ltcp__win32_keepalive_vals(s, 1, 61, 5, &native), 0); /* closed handle */
  ck_assert_int_ne(native, 0);
}
END_TEST

static Suite *keepalive_suite(void) {
  Suite *s = suite_create("win32_keepalive");
  TCase *tc = tcase_create("keepalive");
  tcase_add_test(tc, tuning_reads_back_on_a_connection);
  tcase_add_test(tc, tuning_leaves_keepalive_as_it_is);
  tcase_add_test(tc, tuning_rejects_out_of_range_values);
  tcase_add_test(tc, nothing_set_reads_as_the_system_answers);
  tcase_add_test(tc, memory_belongs_to_one_socket);
  tcase_add_test(tc, sio_keepalive_vals_directly);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  if (ltcp_init() != 0) return 1;
  printf("keepalive tuning on this system: %s\n",
         system_has_keepidle() ? "TCP_KEEPIDLE (native)" : "SIO_KEEPALIVE_VALS (fallback)");
  ltcp_cleanup();
  return lt_run_suite(keepalive_suite());
}
