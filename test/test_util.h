/* Shared glue for every Check suite: the runner (fork mode on POSIX, no-fork plus ltcp_init on
 * Windows where Check cannot fork), a monotonic clock that does not come from the library under
 * test, assertion and receive helpers, what the run is under (Wine, valgrind), and on POSIX a
 * SIGALRM source for the EINTR tests. Invariant: nothing here sleeps or touches the network. */
#ifndef LTCP_TEST_UTIL_H
#define LTCP_TEST_UTIL_H

#include <check.h>
#include <string.h>
#include <stddef.h>

#include "ltcp.h"

/* How much slower than native this run is: CK_TIMEOUT_MULTIPLIER, the variable Check itself
 * scales every test case's timeout by (ctest sets it from LTCP_TEST_SLOWDOWN in slow legs:
 * valgrind, sanitizers, Wine); 1 when unset or invalid. */
double lt_slowdown(void);

/* Slack for "not absurdly late" checks on a loaded 2-core CI machine (seconds), scaled for slow
 * legs. Early returns are never excused: only lateness is slack. */
#define LT_LATE_SLACK (1.0 * lt_slowdown())

/* "Returned at once": no wait happened. Far below every timeout the tests wait for (0.5 s and
 * up, or forever), but not so tight that a busy machine's scheduling delay fails it; scaled. */
#define LT_AT_ONCE (0.25 * lt_slowdown())

/* Watchdog for one network test case in fork mode (seconds); ctest's TIMEOUT covers no-fork.
 * LT_SLOW_TIMEOUT: for cases that hold several timed waits (the fault matrix). Check scales
 * both by CK_TIMEOUT_MULTIPLIER. */
#define LT_NET_TIMEOUT 20
#define LT_SLOW_TIMEOUT 30

/* ctest's SKIP_RETURN_CODE: a program whose precondition is missing (no ::1) exits with it. */
#define LT_SKIP_CODE 77

/* 1 when the test runs under Wine (Windows builds in CI), which reads a peer's reset as an
 * orderly end of stream: reset tests relax only there, so real Windows is still held to
 * LuaSocket's answer. Always 0 elsewhere. */
int lt_under_wine(void);

/* 1 under valgrind, which emulates the descriptor limit and can make a slow syscall see EINTR
 * again and again under load; the few checks that depend on either say so. */
int lt_under_valgrind(void);

/* Seconds on a monotonic clock (clock_gettime(CLOCK_MONOTONIC) / QueryPerformanceCounter),
 * independent of the library so timeout checks do not trust the code they test. */
double lt_now(void);

/* Run a suite and return the process exit status (0 when every test passed). Calls ltcp_init
 * first and ltcp_cleanup after; on Windows forces CK_NOFORK. */
int lt_run_suite(Suite *s);

/* ltcp_receive into a fresh byte string `out` (caller frees it with ltcp_bytes_free). prefix may
 * be NULL; its length is strlen(prefix). */
int lt_receive(ltcp_t *t, ltcp_pattern_t pattern, size_t count, const char *prefix,
               ltcp_bytes_t *out);

/* ltcp_send of a whole C string (i = 1, j = -1); *last as ltcp_send gives it. */
int lt_send_str(ltcp_t *t, const char *s, long long *last);

/* ltcp_receive and assert both its status and the C string it returned (which may be ""). */
void lt_expect_receive(ltcp_t *t, ltcp_pattern_t pattern, size_t count, int want_rc,
                       const char *want);

#ifndef _WIN32
#include <signal.h>
/* SIGALRM every `period` seconds through setitimer, its handler installed WITHOUT SA_RESTART so
 * that blocking system calls really fail with EINTR; lt_alarms counts the signals since
 * lt_alarm_start. POSIX only: Windows has no signals that interrupt socket waits. */
extern volatile sig_atomic_t lt_alarms;
void lt_alarm_start(double period);
void lt_alarm_stop(void);
#endif

/* ck_assert_msg that calls into Check only when `expr` is false. Check records the place of
 * every assertion that passes (one write(2) each), so the every-split loops, which pass about a
 * million of them, spent most of their time in the kernel and minutes under valgrind. The
 * failure message and its file:line are the same; only a crash after it names an earlier
 * passing place. For the helpers below and for assertions inside large loops. */
#define lt_check(expr, ...)                                                                        \
  do {                                                                                             \
    if (!(expr)) ck_abort_msg(__VA_ARGS__);                                                        \
  } while (0)

/* Assert that [data, data+len) equals the `n` bytes at `want`, with a readable message (Check's
 * own dump of both, reached only when they differ). */
#define lt_assert_bytes(data, len, want, n)                                                        \
  do {                                                                                             \
    size_t lt_len_ = (len), lt_n_ = (n);                                                           \
    lt_check(lt_len_ == lt_n_, "length %zu, expected %zu", lt_len_, lt_n_);                        \
    if (lt_n_ && memcmp((data), (want), lt_n_) != 0) ck_assert_mem_eq((data), (want), lt_n_);      \
  } while (0)

/* Assert an ltcp status, printing both codes' messages on failure. */
#define lt_assert_rc(rc, want)                                                                     \
  do {                                                                                             \
    int lt_rc_ = (rc), lt_want_ = (want);                                                          \
    lt_check(lt_rc_ == lt_want_, "%s returned %d (%s), expected %d (%s)", #rc, lt_rc_,             \
             ltcp_strerror(lt_rc_), lt_want_, ltcp_strerror(lt_want_));                            \
  } while (0)

/* Assert that an elapsed time is at least `min` (never early) and below min + slack. */
#define lt_assert_elapsed(elapsed, min)                                                            \
  do {                                                                                             \
    double lt_e_ = (elapsed), lt_m_ = (min);                                                       \
    ck_assert_msg(lt_e_ >= lt_m_ - 1e-6, "returned early: %.6f s elapsed, timeout %.6f s", lt_e_,  \
                  lt_m_);                                                                          \
    ck_assert_msg(lt_e_ < lt_m_ + LT_LATE_SLACK, "returned late: %.6f s elapsed, timeout %.6f s",  \
                  lt_e_, lt_m_);                                                                   \
  } while (0)

#endif
