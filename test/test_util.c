/* Runner and clock for the Check suites (see test_util.h). The clock is the test's own so that a
 * library whose clock is wrong cannot make its own timeout checks pass. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
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
