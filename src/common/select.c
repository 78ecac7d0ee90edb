/* ltcp_select: one pass to hand the entries to the backend's poll, one poll call per attempt,
 * and a deadline on the monotonic clock so a signal never restarts the full timeout. */
#include "core.h"

int ltcp_select(ltcp_pollfd_t *fds, size_t n, double timeout, size_t *nready) {
  double start, now;
  int native = 0;
  if (nready) *nready = 0;
  if ((!fds && n) || !nready || timeout != timeout) return LTCP_EINVAL;
  start = now = ltcp__sys_monotonic();
  for (;;) {
    double left = -1.0;
    size_t ready = 0;
    int rc;
    if (timeout >= 0.0) {
      left = timeout - (now - start);
      if (left < 0.0) left = 0.0;
    }
    rc = ltcp__sys_poll(fds, n, left, &ready, &native);
    if (rc == 0) {
      *nready = ready;
      return ready ? 0 : LTCP_ETIMEOUT;
    }
    if (rc != LTCP__EINTR) return rc;
    now = ltcp__sys_monotonic();
  }
}
