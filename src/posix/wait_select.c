/* Waiting with select(2), for systems whose poll(2) is unreliable (LTCP_POSIX_WAIT=select).
 * The descriptor sets are sized for each call, so descriptors above FD_SETSIZE work: bits are set
 * by hand in arrays of unsigned long, the layout fd_set has on Linux and the BSDs (little-endian
 * or long-sized masks), instead of FD_SET, which aborts past FD_SETSIZE under _FORTIFY_SOURCE. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>

#include "posix.h"

#define WORD_BITS (sizeof(unsigned long) * CHAR_BIT)

typedef char ltcp__fdset_layout_check[(sizeof(fd_set) % sizeof(unsigned long)) == 0 ? 1 : -1];

static void bit_set(unsigned long *w, int fd) {
  w[(size_t)fd / WORD_BITS] |= 1UL << ((size_t)fd % WORD_BITS);
}

static int bit_isset(const unsigned long *w, int fd) {
  return (w[(size_t)fd / WORD_BITS] >> ((size_t)fd % WORD_BITS)) & 1UL;
}

/* `seconds` (negative = forever) as a select timeout, rounded up to microseconds. */
static struct timeval *to_timeval(double seconds, struct timeval *tv) {
  long long sec;
  long us;
  if (ltcp__wait_split(seconds, 1000000L, &sec, &us) != 0) return NULL;
  tv->tv_sec = (time_t)sec;
  tv->tv_usec = (suseconds_t)us;
  return tv;
}

int ltcp__sys_poll(ltcp_pollfd_t *fds, size_t n, double seconds, size_t *nready, int *native) {
  struct timeval tv;
  unsigned long *sets;
  size_t i, words, ready = 0;
  int maxfd = -1, rc;
  *nready = 0;
  for (i = 0; i < n; i++) {
    fds[i].revents = 0;
    if (fds[i].sock != LTCP_INVALID_SOCKET && fds[i].sock > maxfd) maxfd = fds[i].sock;
  }
  words = (size_t)(maxfd + 1 + (int)WORD_BITS - 1) / WORD_BITS;
  if (words * sizeof(unsigned long) < sizeof(fd_set))
    words = sizeof(fd_set) / sizeof(unsigned long);
  /* Read and write sets only: on POSIX a failed connect shows as writable, and the except set
   * would only report urgent data, which no receive here takes (a waiter would spin). */
  sets = calloc(2 * words, sizeof *sets);
  if (!sets) return LTCP_ENOMEM;
  for (i = 0; i < n; i++) {
    if (fds[i].sock == LTCP_INVALID_SOCKET) continue;
    if (fds[i].events & LTCP_POLLIN) bit_set(sets, fds[i].sock);
    if (fds[i].events & LTCP_POLLOUT) bit_set(sets + words, fds[i].sock);
  }
  rc = select(maxfd + 1, (fd_set *)(void *)sets, (fd_set *)(void *)(sets + words), NULL,
              to_timeval(seconds, &tv));
  if (rc < 0) {
    rc = ltcp__sock_fail(native);
  } else {
    for (i = 0; rc > 0 && i < n; i++) {
      int fd = fds[i].sock, out = 0;
      if (fd == LTCP_INVALID_SOCKET) continue;
      if (bit_isset(sets, fd)) out |= fds[i].events & LTCP_POLLIN;
      if (bit_isset(sets + words, fd)) out |= fds[i].events & LTCP_POLLOUT;
      fds[i].revents = out;
      if (out) ready++;
    }
    rc = 0;
  }
  free(sets);
  *nready = ready;
  return rc;
}

int ltcp__sys_wait(ltcp_os_sock_t s, int events, double seconds, int *native) {
  ltcp_pollfd_t p;
  size_t ready = 0;
  int rc;
  p.sock = s;
  p.events = events;
  p.revents = 0;
  rc = ltcp__sys_poll(&p, 1, seconds, &ready, native);
  if (rc) return rc;
  if (ready) return 0;
  return ltcp__wait_capped(seconds) ? LTCP__EINTR : LTCP_ETIMEOUT;
}
