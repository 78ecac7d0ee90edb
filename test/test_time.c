/* Clocks and signals (lib.c, the backend's time and wait): gettime is wall-clock seconds since
 * the epoch, sleep never returns early, and on POSIX a signal that interrupts a sleep (SIGALRM
 * from lt_alarm_start, so system calls really fail with EINTR) neither cuts it short nor
 * restarts it from scratch. The same for socket waits (receive, select, accept, connect) is in
 * the fault matrix, test/reliability/test_faults.c. */
#include <math.h>
#include <time.h>

#include "test_util.h"

START_TEST(gettime_is_wall_clock) {
  double before = (double)time(NULL), g = ltcp_gettime(), after = (double)time(NULL);
  ck_assert_msg(g >= before - 1.0 && g <= after + 1.0, "gettime %.3f, time() %.0f..%.0f", g, before,
                after);
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
  ck_assert(lt_now() - t0 < LT_AT_ONCE);
}
END_TEST

#ifndef _WIN32
/* POSIX only: signals and setitimer do not exist on Windows. */

START_TEST(sleep_survives_signals) {
  double t0, e;
  lt_alarm_start(0.01);
  t0 = lt_now();
  ltcp_sleep(0.1);
  e = lt_now() - t0;
  lt_alarm_stop();
  ck_assert_msg(lt_alarms > 0, "no SIGALRM arrived during the sleep: the test proves nothing");
  lt_assert_elapsed(e, 0.1);
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
  suite_add_tcase(s, tc);
#endif
  return s;
}

int main(void) {
  return lt_run_suite(time_suite());
}
