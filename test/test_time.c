/* Clocks and signals (lib.c, the backend's time and wait): gettime is wall-clock seconds since
 * the epoch, sleep never returns early, and on POSIX a signal that interrupts a wait (SIGALRM
 * from setitimer, handler installed WITHOUT SA_RESTART so system calls really fail with EINTR)
 * neither cuts a timeout short nor restarts it from scratch. */
#ifndef _WIN32
#define _XOPEN_SOURCE 700 /* setitimer */
#endif
#include <math.h>
#include <string.h>
#include <time.h>

#ifndef _WIN32
#include <signal.h>
#include <sys/time.h>
#endif

#include "net_helpers.h"
#include "test_util.h"

START_TEST(gettime_is_wall_clock) {
  double before = (double)time(NULL), g = ltcp_gettime(), after = (double)time(NULL);
  ck_assert_msg(g >= before - 1.0 && g <= after + 1.0, "gettime %.3f, time() %.0f..%.0f", g,
                before, after);
  ck_assert_msg(g > 1.6e9, "gettime %.3f is not seconds since 1970", g);
}
END_TEST

START_TEST(gettime_has_subsecond_resolution) {
  /* Two readings 30 ms apart (on the test's clock) differ by about 30 ms. */
  double g0 = ltcp_gettime(), t0 = lt_now(), g1; /* t0 after g0: the spin lies between them */
  while (lt_now() - t0 < 0.03) {
  }
  g1 = ltcp_gettime();
  ck_assert_msg(g1 - g0 > 0.02 && g1 - g0 < 1.0, "gettime moved %.6f s over 30 ms", g1 - g0);
  ck_assert_msg(g0 != floor(g0) || g1 != floor(g1), "gettime has whole seconds only");
}
END_TEST

START_TEST(sleep_not_early) {
  double t0 = lt_now();
  ltcp_sleep(0.05);
  lt_assert_elapsed(lt_now() - t0, 0.05);
  t0 = lt_now();
  ltcp_sleep(0.0012);
  lt_assert_elapsed(lt_now() - t0, 0.0012);
}
END_TEST

START_TEST(sleep_zero_and_negative_return_at_once) {
  double t0 = lt_now();
  ltcp_sleep(0.0);
  ltcp_sleep(-5.0);
  ltcp_sleep((double)NAN);
  ck_assert(lt_now() - t0 < 0.05);
}
END_TEST

#ifndef _WIN32
/* POSIX only: signals and setitimer do not exist on Windows. */

static volatile sig_atomic_t alarms;
static struct sigaction old_alarm;

static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

/* SIGALRM every `interval` seconds, with a handler installed without SA_RESTART. */
static void start_alarms(double interval) {
  struct sigaction sa;
  struct itimerval it;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = 0; /* no SA_RESTART: blocking calls fail with EINTR */
  sigemptyset(&sa.sa_mask);
  ck_assert_int_eq(sigaction(SIGALRM, &sa, &old_alarm), 0);
  alarms = 0;
  memset(&it, 0, sizeof it);
  it.it_interval.tv_sec = 0;
  it.it_interval.tv_usec = (long)(interval * 1e6);
  it.it_value = it.it_interval;
  ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
}

static void stop_alarms(void) {
  struct itimerval it;
  memset(&it, 0, sizeof it);
  setitimer(ITIMER_REAL, &it, NULL);
  sigaction(SIGALRM, &old_alarm, NULL);
}

START_TEST(sleep_survives_signals) {
  double t0, e;
  start_alarms(0.01);
  t0 = lt_now();
  ltcp_sleep(0.1);
  e = lt_now() - t0;
  stop_alarms();
  ck_assert_msg(alarms > 0, "no SIGALRM arrived during the sleep: the test proves nothing");
  lt_assert_elapsed(e, 0.1);
}
END_TEST

START_TEST(receive_total_deadline_survives_signals) {
  ltcp_t *a, *b;
  ltcp_bytes_t r;
  double t0, e;
  int rc;
  lt_pair(LTCP_FAMILY_INET, &a, &b);
  lt_assert_rc(ltcp_settimeout(b, 0.2, 't'), 0);
  start_alarms(0.015);
  t0 = lt_now();
  rc = lt_receive(b, LTCP_RECV_LINE, 0, NULL, &r);
  e = lt_now() - t0;
  stop_alarms();
  ltcp_bytes_free(&r);
  ck_assert_msg(alarms > 0, "no SIGALRM arrived during the receive: the test proves nothing");
  lt_assert_rc(rc, LTCP_ETIMEOUT);
  lt_assert_elapsed(e, 0.2); /* not early (EINTR is not a timeout) ... */
  ck_assert_msg(e < 0.2 + 0.5, "EINTR restarted the timeout: %.3f s for 0.2 s", e); /* ... */
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

START_TEST(receive_block_deadline_survives_signals) {
  /* Block timeout 0.1 s, a signal every 30 ms: if EINTR restarted the wait with the full block
   * budget, the call would never end before the total (0.6 s) or the watchdog. */
  ltcp_t *a, *b;
  ltcp_bytes_t r;
  double t0, e;
  int rc;
  lt_pair(LTCP_FAMILY_INET, &a, &b);
  lt_assert_rc(ltcp_settimeout(b, 0.1, 'b'), 0);
  lt_assert_rc(ltcp_settimeout(b, 0.6, 't'), 0);
  start_alarms(0.03);
  t0 = lt_now();
  rc = lt_receive(b, LTCP_RECV_COUNT, 5, NULL, &r);
  e = lt_now() - t0;
  stop_alarms();
  ltcp_bytes_free(&r);
  ck_assert_msg(alarms > 0, "no SIGALRM arrived during the receive");
  lt_assert_rc(rc, LTCP_ETIMEOUT);
  ck_assert_msg(e >= 0.1 - 1e-6, "returned early: %.3f s for a 0.1 s block timeout", e);
  ck_assert_msg(e < 0.5, "EINTR restarted the block timeout: %.3f s for 0.1 s", e);
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

START_TEST(select_survives_signals) {
  ltcp_t *a, *b;
  ltcp_pollfd_t p;
  size_t nready = 9;
  double t0, e;
  int rc;
  lt_pair(LTCP_FAMILY_INET, &a, &b);
  p.sock = ltcp_getfd(b);
  p.events = LTCP_POLLIN;
  p.revents = 0;
  start_alarms(0.015);
  t0 = lt_now();
  rc = ltcp_select(&p, 1, 0.15, &nready);
  e = lt_now() - t0;
  stop_alarms();
  ck_assert_msg(alarms > 0, "no SIGALRM arrived during select");
  lt_assert_rc(rc, LTCP_ETIMEOUT);
  ck_assert_uint_eq(nready, 0);
  lt_assert_elapsed(e, 0.15);
  ck_assert_msg(e < 0.15 + 0.5, "EINTR restarted the select timeout: %.3f s", e);
  lt_dispose(a);
  lt_dispose(b);
}
END_TEST

START_TEST(accept_deadline_survives_signals) {
  int port;
  ltcp_t *server = lt_listener(LTCP_FAMILY_INET, 4, &port), *c = lt_alloc();
  double t0, e;
  int rc;
  lt_assert_rc(ltcp_settimeout(server, 0.15, 't'), 0);
  start_alarms(0.015);
  t0 = lt_now();
  rc = ltcp_accept(server, c);
  e = lt_now() - t0;
  stop_alarms();
  ck_assert_msg(alarms > 0, "no SIGALRM arrived during accept");
  lt_assert_rc(rc, LTCP_ETIMEOUT);
  lt_assert_elapsed(e, 0.15);
  lt_dispose(c);
  lt_dispose(server);
}
END_TEST

START_TEST(connect_deadline_survives_signals) {
  /* A connect that can only time out (the listener's accept queue is full, so the kernel drops
   * the SYN), interrupted by signals: the total deadline still holds. */
  enum { MAXC = 64 };
  ltcp_t *clients[MAXC];
  int port, i, n = 0, rc = 0;
  double t0, e = 0;
  ltcp_t *server = lt_listener(LTCP_FAMILY_INET, 1, &port);
  for (i = 0; i < MAXC; i++) {
    clients[n++] = lt_master(LTCP_FAMILY_INET);
    lt_assert_rc(ltcp_settimeout(clients[i], 0.2, 't'), 0);
    start_alarms(0.015);
    t0 = lt_now();
    rc = ltcp_connect(clients[i], "127.0.0.1", port);
    e = lt_now() - t0;
    stop_alarms();
    if (rc != 0) break;
  }
  lt_assert_rc(rc, LTCP_ETIMEOUT);
  ck_assert_msg(alarms > 0, "no SIGALRM arrived during the connect");
  lt_assert_elapsed(e, 0.2);
  ck_assert_msg(e < 0.2 + 0.5, "EINTR restarted the connect timeout: %.3f s", e);
  for (i = 0; i < n; i++) lt_dispose(clients[i]);
  lt_dispose(server);
}
END_TEST
#endif /* !_WIN32 */

static Suite *time_suite(void) {
  Suite *s = suite_create("time");
  TCase *tc;

  tc = tcase_create("clock");
  tcase_set_timeout(tc, LT_NET_TIMEOUT);
  tcase_add_test(tc, gettime_is_wall_clock);
  tcase_add_test(tc, gettime_has_subsecond_resolution);
  tcase_add_test(tc, sleep_not_early);
  tcase_add_test(tc, sleep_zero_and_negative_return_at_once);
  suite_add_tcase(s, tc);

#ifndef _WIN32
  tc = tcase_create("signals");
  tcase_set_timeout(tc, LT_NET_TIMEOUT);
  tcase_add_test(tc, sleep_survives_signals);
  tcase_add_test(tc, receive_total_deadline_survives_signals);
  tcase_add_test(tc, receive_block_deadline_survives_signals);
  tcase_add_test(tc, select_survives_signals);
  tcase_add_test(tc, accept_deadline_survives_signals);
  tcase_add_test(tc, connect_deadline_survives_signals);
  suite_add_tcase(s, tc);
#endif
  return s;
}

int main(void) {
  return lt_run_suite(time_suite());
}
