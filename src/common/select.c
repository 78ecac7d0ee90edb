/* ltcp_select: the entries go to the backend's poll as they are (no copy), under one deadline
 * kept by io.c, so a signal never restarts the full timeout. */
#include "core.h"

int ltcp_select(ltcp_pollfd_t *fds, size_t n, double timeout, size_t *nready) {
  ltcp__timeout_t tm;
  int native = 0;
  if (nready) *nready = 0;
  if ((!fds && n) || !nready || timeout != timeout) return LTCP_EINVAL;
  ltcp__timeout_init(&tm);
  tm.block = timeout; /* negative: forever */
  return ltcp__io_poll(fds, n, &tm, -1.0, nready, &native);
}
