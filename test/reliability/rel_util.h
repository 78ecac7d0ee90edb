/* Helpers for the reliability suites (fault matrix, bad input table, receive limits): loopback
 * listeners and pairs on port 0, and a small in-memory transport. The clock and the runner are
 * the shared ones of test/test_util.
 * Invariants: loopback only, port 0 only, every helper-made object carries a safety total
 * timeout so a broken library fails a test instead of hanging it. */
#ifndef LTCP_REL_UTIL_H
#define LTCP_REL_UTIL_H

#include <check.h>
#include <stddef.h>

#include "ltcp.h"

#define REL_SAFETY 10.0 /* seconds: total timeout on helper-made objects */
#define REL_TCASE_TIMEOUT 30

#include "test_util.h"
#define rel_now lt_now     /* monotonic seconds, independent of the library */
#define rel_run lt_run_suite
#define REL_SLACK LT_LATE_SLACK /* seconds: "not absurdly late", scaled in slow legs */

/* Index 0 = IPv4, 1 = IPv6 (loop tests use _i). */
const char *rel_host(int i);
int rel_family(int i);
/* 1 if ::1 works here; the IPv6 loop iterations return early (and say so) when it does not. */
int rel_have_ipv6(void);

/* REL_FAMILY (a compile definition) picks which runs of the family loop tests a program holds:
 * 4 the IPv4 runs, 6 the IPv6 runs (built as a separate ctest entry that reports Skipped, never
 * Passed, when ::1 is unusable); unset, both. */
#if defined(REL_FAMILY) && REL_FAMILY == 4
#define REL_I_FIRST 0
#define REL_I_END 1
#elif defined(REL_FAMILY) && REL_FAMILY == 6
#define REL_I_FIRST 1
#define REL_I_END 2
#else
#define REL_I_FIRST 0
#define REL_I_END 2
#endif
#define REL_LOOP(tc, fn) tcase_add_loop_test((tc), (fn), REL_I_FIRST, REL_I_END)
#define REL_SKIP_CODE 77 /* ctest SKIP_RETURN_CODE */

/* Run the suite. An IPv6 program (REL_FAMILY 6) first checks ::1: when it is unusable it says
 * so and exits REL_SKIP_CODE, or fails when LTCP_TEST_REQUIRE_IPV6 is set (as test_net6). */
int rel_main(Suite *s);
#define REL_SKIP_NO_IPV6(i)                                                                       \
  do {                                                                                            \
    if ((i) == 1 && !rel_have_ipv6()) {                                                           \
      fprintf(stderr, "%s: IPv6 loopback unavailable, skipped\n", __func__);                     \
      return;                                                                                     \
    }                                                                                             \
  } while (0)

ltcp_t *rel_alloc(void);         /* ltcp_sizeof() bytes, not opened */
void rel_dispose(ltcp_t *t);     /* close + free; NULL ok */
ltcp_t *rel_listener(int i, int backlog, int *port);
ltcp_t *rel_client(int i, int port);
ltcp_t *rel_accept(ltcp_t *server);
void rel_pair(int i, ltcp_t **client, ltcp_t **accepted);
/* A port on which nothing listens (bound then closed: nobody else uses port 0 ports here). */
int rel_dead_port(int i);
void rel_send_all(ltcp_t *t, const char *data, size_t len);

#define rel_assert_rc(rc, want)                                                                   \
  do {                                                                                            \
    int rel_rc_ = (rc), rel_want_ = (want);                                                       \
    ck_assert_msg(rel_rc_ == rel_want_, "%s returned %d (%s), expected %d (%s)", #rc, rel_rc_,    \
                  ltcp_strerror(rel_rc_), rel_want_, ltcp_strerror(rel_want_));                   \
  } while (0)

/* ---- an in-memory transport: one byte string served in chunks of at most `chunk` bytes (0 =
 * as much as asked), then the end: closed or would-block forever (wait answers timeout). ---- */
typedef struct rel_fake {
  const char *data;
  size_t len, off, chunk, calls;
  int end_closed;
} rel_fake_t;
/* Make `t` (ltcp_sizeof bytes) a client reading from `f`. */
void rel_fake_attach(ltcp_t *t, rel_fake_t *f, const char *data, size_t len, size_t chunk,
                     int end_closed);

#endif
