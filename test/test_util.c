/* Runner, clock and helpers for the Check suites (see test_util.h). The clock is the test's own
 * so that a library whose clock is wrong cannot make its own timeout checks pass. */
#ifndef _WIN32
#define _XOPEN_SOURCE 700 /* setitimer */
#endif
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <sys/time.h>
#include <time.h>
#endif

double lt_now(void) {
#ifdef _WIN32
  static LARGE_INTEGER freq;
  LARGE_INTEGER c;
  if (!freq.QuadPart) QueryPerformanceFrequency(&freq);
  QueryPerformanceCounter(&c);
  return (double)c.QuadPart / (double)freq.QuadPart;
#else
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
#endif
}

double lt_slowdown(void) {
  const char *v = getenv("CK_TIMEOUT_MULTIPLIER");
  double m = v ? strtod(v, NULL) : 1.0;
  return m >= 1.0 && m <= 1000.0 ? m : 1.0;
}

int lt_run_suite(Suite *s) {
  SRunner *sr;
  int failed, rc;
  rc = ltcp_init();
  if (rc != 0) {
    fprintf(stderr, "ltcp_init failed: %d (%s)\n", rc, ltcp_strerror(rc));
    return EXIT_FAILURE;
  }
  sr = srunner_create(s);
#ifdef _WIN32
  /* Check cannot fork on Windows: tests run in one process, ctest's TIMEOUT is the watchdog. */
  srunner_set_fork_status(sr, CK_NOFORK);
#endif
  srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY=verbose lists every test */
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  ltcp_cleanup();
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int lt_receive(ltcp_t *t, ltcp_pattern_t pattern, size_t count, const char *prefix,
               ltcp_bytes_t *out) {
  ltcp_sink_t sink;
  ltcp_bytes_init(out);
  sink = ltcp_bytes_sink(out);
  return ltcp_receive(t, pattern, count, prefix, prefix ? strlen(prefix) : 0, &sink);
}

int lt_send_str(ltcp_t *t, const char *s, long long *last) {
  return ltcp_send(t, s, strlen(s), 1, -1, last);
}

void lt_expect_receive(ltcp_t *t, ltcp_pattern_t pattern, size_t count, int want_rc,
                       const char *want) {
  ltcp_bytes_t b;
  int rc = lt_receive(t, pattern, count, NULL, &b);
  ck_assert_msg(rc == want_rc, "receive(pattern %d): %d (%s), expected %d (%s)", (int)pattern, rc,
                ltcp_strerror(rc), want_rc, ltcp_strerror(want_rc));
  ck_assert_msg(b.len == strlen(want) && (b.len == 0 || memcmp(b.data, want, b.len) == 0),
                "receive(pattern %d) gave %zu bytes '%.*s', expected '%s'", (int)pattern, b.len,
                (int)b.len, b.data ? b.data : "", want);
  ltcp_bytes_free(&b);
}

int lt_under_wine(void) {
#ifdef _WIN32
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
#else
  return 0;
#endif
}

int lt_under_valgrind(void) {
  const char *p = getenv("LD_PRELOAD");
  return p && (strstr(p, "vgpreload") || strstr(p, "valgrind"));
}

#ifndef _WIN32
volatile sig_atomic_t lt_alarms;
static struct sigaction old_alarm;

static void on_alarm(int sig) {
  (void)sig;
  lt_alarms++;
}

void lt_alarm_start(double period) {
  struct sigaction sa;
  struct itimerval it;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART: blocking calls fail with EINTR */
  ck_assert_int_eq(sigaction(SIGALRM, &sa, &old_alarm), 0);
  lt_alarms = 0;
  memset(&it, 0, sizeof it);
  it.it_interval.tv_sec = (time_t)period;
  it.it_interval.tv_usec = (suseconds_t)((period - (double)(time_t)period) * 1e6);
  it.it_value = it.it_interval;
  ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
}

void lt_alarm_stop(void) {
  struct itimerval it;
  memset(&it, 0, sizeof it);
  setitimer(ITIMER_REAL, &it, NULL);
  sigaction(SIGALRM, &old_alarm, NULL);
}
#endif
