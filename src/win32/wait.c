/* Waiting with Winsock's select(). Invariants:
 * - No socket-count limit: Winsock's select ignores nfds and reads a counted array
 *   {fd_count, fd_array[]}, so the sets are allocated for each call with room for every entry;
 *   FD_SETSIZE (64) only sizes the stack sets used for small calls.
 * - Error conditions count as ready for whatever was asked, as with poll's POLLERR on POSIX: a
 *   failed non-blocking connect shows only in the except set (never in the write set), so every
 *   socket waited for also goes in the except set and the next operation reports the error itself
 *   (connect_finish reads SO_ERROR).
 * - TCP urgent data also shows in the except set, and would stay there (recv without MSG_OOB
 *   never takes it): a waiter would spin. It is dropped instead, which is what POSIX does with it
 *   when SO_OOBINLINE is off and nobody reads MSG_OOB: it never joins the normal stream.
 * - Single attempts, as the contract says: one select per call. Timeouts round up to
 *   microseconds; select may still come back a timer tick early, and waits longer than
 *   LTCP__WAIT_CAP are cut there, so a select that returns with nothing ready is reported as
 *   such (LTCP__EINTR from wait, *nready 0 from poll) and io.c waits again with the time left
 *   by the monotonic clock.
 * - Winsock fails select with WSAEINVAL when all three sets are empty: nothing to wait for is a
 *   single sleep instead. */
#include <stddef.h>
#include <stdlib.h>

#include "win32.h"

/* `seconds` (negative = forever) as a select timeout, rounded up to whole microseconds. */
static struct timeval *to_timeval(double seconds, struct timeval *tv) {
  long long sec;
  long us;
  if (ltcp__wait_split(seconds, 1000000L, &sec, &us) != 0) return NULL;
  tv->tv_sec = (long)sec;
  tv->tv_usec = us;
  return tv;
}

/* Nothing to wait for: one sleep (forever is one capped slice; io.c loops). */
static void sleep_once(double seconds) {
  ltcp__sys_sleep(seconds < 0.0 ? LTCP__WAIT_CAP : seconds);
}

/* `s` showed in the except set. If that was TCP urgent data, drop it and return 1 (the waiter
 * keeps waiting); otherwise it is an error condition (a failed connect): 0, ready. */
static int drop_urgent(SOCKET s) {
  u_long at_mark = 1; /* TRUE when no urgent data is pending */
  char byte;
  if (ioctlsocket(s, SIOCATMARK, &at_mark) != 0 || at_mark) return 0;
  return recv(s, &byte, 1, MSG_OOB) == 1;
}

/* Drop urgent data from every socket of a sorted except set, and remove those sockets from it:
 * what stays are error conditions. */
static void drop_urgent_all(fd_set *e) {
  u_int i, k = 0;
  for (i = 0; i < e->fd_count; i++)
    if (!drop_urgent(e->fd_array[i])) e->fd_array[k++] = e->fd_array[i];
  e->fd_count = k;
}

int ltcp__sys_wait(ltcp_os_sock_t s, int events, double seconds, int *native) {
  fd_set r, w, e;
  struct timeval tv;
  int rc;
  if (!(events & (LTCP_POLLIN | LTCP_POLLOUT))) {
    sleep_once(seconds);
    return LTCP__EINTR;
  }
  FD_ZERO(&r);
  FD_ZERO(&w);
  FD_ZERO(&e);
  if (events & LTCP_POLLIN) FD_SET((SOCKET)s, &r);
  if (events & LTCP_POLLOUT) FD_SET((SOCKET)s, &w);
  FD_SET((SOCKET)s, &e);
  rc = select(0, &r, &w, &e, to_timeval(seconds, &tv));
  if (rc == SOCKET_ERROR) return ltcp__sock_fail(native);
  if (rc > 0 && (r.fd_count || w.fd_count || !drop_urgent((SOCKET)s))) return 0;
  return LTCP__EINTR; /* timed out (maybe a tick early, or at the cap), or urgent data only */
}

/* ---- many sockets ---- */

/* Bytes for a counted set of `n` sockets (never less than a whole fd_set, which the macros and
 * some providers assume). */
static size_t set_bytes(size_t n) {
  size_t b = offsetof(fd_set, fd_array) + n * sizeof(SOCKET);
  return b < sizeof(fd_set) ? sizeof(fd_set) : b;
}

static int cmp_socket(const void *a, const void *b) {
  SOCKET x = *(const SOCKET *)a, y = *(const SOCKET *)b;
  return x < y ? -1 : x > y;
}

/* Sort a set and drop duplicates (one socket may appear in several entries). */
static void set_normalize(fd_set *set) {
  u_int i, k = 0;
  if (set->fd_count < 2) return;
  qsort(set->fd_array, set->fd_count, sizeof(SOCKET), cmp_socket);
  for (i = 1; i < set->fd_count; i++)
    if (set->fd_array[i] != set->fd_array[k]) set->fd_array[++k] = set->fd_array[i];
  set->fd_count = k + 1;
}

/* Membership in a set that set_normalize sorted (select only removes entries, keeping order
 * unspecified, so results are sorted again before searching). */
static int set_has(const fd_set *set, SOCKET s) {
  return set->fd_count &&
         bsearch(&s, set->fd_array, set->fd_count, sizeof(SOCKET), cmp_socket) != NULL;
}

/* Fill the three sets from the entries; returns how many sockets were added in all. */
static size_t fill_sets(const ltcp_pollfd_t *fds, size_t n, fd_set *r, fd_set *w, fd_set *e) {
  size_t i;
  r->fd_count = w->fd_count = e->fd_count = 0;
  for (i = 0; i < n; i++) {
    SOCKET s = (SOCKET)fds[i].sock;
    if (fds[i].sock == LTCP_INVALID_SOCKET || !(fds[i].events & (LTCP_POLLIN | LTCP_POLLOUT)))
      continue;
    if (fds[i].events & LTCP_POLLIN) r->fd_array[r->fd_count++] = s;
    if (fds[i].events & LTCP_POLLOUT) w->fd_array[w->fd_count++] = s;
    e->fd_array[e->fd_count++] = s;
  }
  set_normalize(r);
  set_normalize(w);
  set_normalize(e);
  return e->fd_count;
}

/* select failed with WSAENOTSOCK: one of the entries is not (or no longer) a socket. Report
 * those as ready, like POLLNVAL on POSIX, so the caller's next operation on them fails. */
static size_t mark_invalid(ltcp_pollfd_t *fds, size_t n) {
  size_t i, ready = 0;
  for (i = 0; i < n; i++) {
    int type = 0, len = (int)sizeof type;
    int ev = fds[i].events & (LTCP_POLLIN | LTCP_POLLOUT);
    if (fds[i].sock == LTCP_INVALID_SOCKET || !ev) continue;
    if (getsockopt((SOCKET)fds[i].sock, SOL_SOCKET, SO_TYPE, (char *)&type, &len) != 0 &&
        WSAGetLastError() == WSAENOTSOCK) {
      fds[i].revents = ev;
      ready++;
    }
  }
  return ready;
}

int ltcp__sys_poll(ltcp_pollfd_t *fds, size_t n, double seconds, size_t *nready, int *native) {
  fd_set stack[3];
  fd_set *r = &stack[0], *w = &stack[1], *e = &stack[2];
  char *block = NULL;
  struct timeval tv;
  size_t i, ready = 0;
  int rc = 0;
  *nready = 0;
  for (i = 0; i < n; i++) fds[i].revents = 0;
  if (n > FD_SETSIZE) {
    size_t one = set_bytes(n);
    if (n > ((size_t)-1 - offsetof(fd_set, fd_array)) / sizeof(SOCKET) / 3) return LTCP_ENOMEM;
    block = malloc(3 * one);
    if (!block) return LTCP_ENOMEM;
    r = (fd_set *)(void *)block;
    w = (fd_set *)(void *)(block + one);
    e = (fd_set *)(void *)(block + 2 * one);
  }
  if (fill_sets(fds, n, r, w, e) == 0) {
    sleep_once(seconds); /* nothing to wait for: nothing ready */
  } else if ((rc = select(0, r, w, e, to_timeval(seconds, &tv))) == SOCKET_ERROR) {
    int err = WSAGetLastError();
    rc = 0;
    if (err != WSAENOTSOCK || (ready = mark_invalid(fds, n)) == 0)
      rc = ltcp__win32_code(err, native);
  } else if (rc > 0) {
    set_normalize(r);
    set_normalize(w);
    set_normalize(e);
    drop_urgent_all(e); /* urgent data alone leaves nothing ready: io.c waits again */
    for (i = 0; i < n; i++) {
      SOCKET s = (SOCKET)fds[i].sock;
      int out = 0, err;
      if (fds[i].sock == LTCP_INVALID_SOCKET) continue;
      err = set_has(e, s);
      if (err || set_has(r, s)) out |= fds[i].events & LTCP_POLLIN;
      if (err || set_has(w, s)) out |= fds[i].events & LTCP_POLLOUT;
      fds[i].revents = out;
      if (out) ready++;
    }
    rc = 0;
  }
  free(block);
  *nready = ready;
  return rc;
}
