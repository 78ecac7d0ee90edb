/* The one retry loop: try once; on would-block wait for readiness with the time left; repeat
 * until done, an error, or the deadline. EINTR resumes the wait with the time that is left (the
 * wait's own start stays put), never with a fresh timeout. Shared by every backend and transport. */
#include "core.h"

/* Wait for `events` under the object's timeouts, measured from this wait's start: the send or
 * the read timeout (settimeouts; both are the block timeout unless set apart) and the total. */
int ltcp__io_wait(ltcp_t *t, int events) {
  double wait_start = ltcp__sys_monotonic();
  double now = wait_start;
  int op = events & LTCP_POLLOUT ? LTCP_TIMEOUT_SEND : LTCP_TIMEOUT_READ;
  if (t->tm.start < 0.0) t->tm.start = wait_start; /* no total timeout: start unused */
  for (;;) {
    double left = ltcp__timeout_left_op(&t->tm, op, wait_start, now);
    int rc;
    if (left == 0.0) return LTCP_ETIMEOUT;
    rc = t->tr.wait(t->tr.ctx, events, left);
    if (rc != LTCP__EINTR) return rc;
    now = ltcp__sys_monotonic();
  }
}

/* A signal interrupted a single attempt: retry, unless the call's total deadline has passed. */
static int interrupted(ltcp_t *t) {
  double now;
  if (t->tm.total < 0.0 || t->tm.start < 0.0) return 0;
  now = ltcp__sys_monotonic();
  return ltcp__timeout_left(&t->tm, now, now) == 0.0 ? LTCP_ETIMEOUT : 0;
}

int ltcp__io_send(ltcp_t *t, const char *data, size_t len, size_t *sent) {
  *sent = 0;
  for (;;) {
    int rc = t->tr.send(t->tr.ctx, data, len, sent);
    if (rc == LTCP__EINTR) {
      if ((rc = interrupted(t)) != 0) return rc;
      continue;
    }
    if (rc != LTCP__WOULDBLOCK) return rc;
    rc = ltcp__io_wait(t, LTCP_POLLOUT);
    if (rc != 0) return rc;
  }
}

int ltcp__io_recv(ltcp_t *t, char *data, size_t len, size_t *got) {
  *got = 0;
  for (;;) {
    int rc = t->tr.recv(t->tr.ctx, data, len, got);
    if (rc == LTCP__EINTR) {
      if ((rc = interrupted(t)) != 0) return rc;
      continue;
    }
    if (rc != LTCP__WOULDBLOCK) return rc;
    rc = ltcp__io_wait(t, LTCP_POLLIN);
    if (rc != 0) return rc;
  }
}
