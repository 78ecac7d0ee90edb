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
#define REL_SLACK 1.0   /* seconds: "not absurdly late" on a loaded 2-core CI machine */
#define REL_TCASE_TIMEOUT 30

#include "test_util.h"
#define rel_now lt_now     /* monotonic seconds, independent of the library */
#define rel_run lt_run_suite

/* Index 0 = IPv4, 1 = IPv6 (loop tests use _i). */
const char *rel_host(int i);
int rel_family(int i);
/* 1 if ::1 works here; the IPv6 loop iterations return early (and say so) when it does not. */
int rel_have_ipv6(void);
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
