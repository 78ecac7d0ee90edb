/* Waiting with poll(2): no descriptor limit. Error conditions (POLLERR, POLLHUP, POLLNVAL) count
 * as ready for whatever was asked, so the next operation reports the error itself. */
#include <poll.h>
#include <stdlib.h>

#include "posix.h"

int ltcp__sys_wait(ltcp_os_sock_t s, int events, double seconds, int *native) {
  struct pollfd p;
  int rc;
  p.fd = s;
  p.events =
    (short)(((events & LTCP_POLLIN) ? POLLIN : 0) | ((events & LTCP_POLLOUT) ? POLLOUT : 0));
  p.revents = 0;
  rc = poll(&p, 1, (int)ltcp__wait_units(seconds, 1000));
  if (rc > 0) return 0;
  if (rc == 0) return ltcp__wait_capped(seconds) ? LTCP__EINTR : LTCP_ETIMEOUT;
  return ltcp__sock_fail(native);
}

#define LTCP__POLL_STACK 64

int ltcp__sys_poll(ltcp_pollfd_t *fds, size_t n, double seconds, size_t *nready, int *native) {
  struct pollfd stack[LTCP__POLL_STACK], *p = stack;
  size_t i, ready = 0;
  int rc;
  *nready = 0;
  if (n > LTCP__POLL_STACK) {
    p = malloc(n * sizeof *p);
    if (!p) return LTCP_ENOMEM;
  }
  for (i = 0; i < n; i++) {
    p[i].fd = fds[i].sock == LTCP_INVALID_SOCKET ? -1 : fds[i].sock; /* poll skips fd -1 */
    p[i].events = (short)(((fds[i].events & LTCP_POLLIN) ? POLLIN : 0) |
                          ((fds[i].events & LTCP_POLLOUT) ? POLLOUT : 0));
    p[i].revents = 0;
    fds[i].revents = 0;
  }
  rc = poll(p, (nfds_t)n, (int)ltcp__wait_units(seconds, 1000));
  if (rc < 0) {
    rc = ltcp__sock_fail(native);
  } else {
    for (i = 0; rc > 0 && i < n; i++) {
      short r = p[i].revents;
      int out = 0;
      if (!r) continue;
      if (r & (POLLIN | POLLERR | POLLHUP | POLLNVAL)) out |= fds[i].events & LTCP_POLLIN;
      if (r & (POLLOUT | POLLERR | POLLHUP | POLLNVAL)) out |= fds[i].events & LTCP_POLLOUT;
      fds[i].revents = out;
      if (out) ready++;
    }
    rc = 0;
  }
  if (p != stack) free(p);
  *nready = ready;
  return rc;
}
