/* The one retry loop, and the waits under it. Every blocking call of the library is made of
 * single attempts (the transport's send/recv, the backend's accept, connect and poll) driven by
 * the three primitives here:
 * - ltcp__io_again: what follows one attempt of an object's call (try again, wait, or stop);
 * - ltcp__io_wait_from: wait for an object's socket, through its transport, under its timeouts;
 * - ltcp__io_poll: wait for many sockets (or none: a sleep) under one deadline.
 * Invariants: a deadline is a timeout record (block and total, pure arithmetic in timeout.c)
 * plus the moment its block timeout counts from; a signal, or a backend wait that came back
 * with nothing ready before its time (LTCP__EINTR), resumes with the time that is left, never
 * with a fresh timeout; a zero timeout makes one attempt and never waits. */
#include "core.h"

#define LTCP__FOREVER_SLICE 86400.0 /* a sleep with no deadline goes on one day at a time */

int ltcp__io_wait_from(ltcp_t *t, int op, int events, double wait_start) {
  double now = ltcp__sys_monotonic();
  if (wait_start < 0.0) wait_start = now;
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

int ltcp__io_again(ltcp_t *t, int *rc, int events) {
  double now;
  switch (*rc) {
  case LTCP__EINTR:
    /* A signal cut the attempt short: again at once, unless the call's total time is up. */
    if (t->tm.total < 0.0 || t->tm.start < 0.0) return 1;
    now = ltcp__sys_monotonic();
    if (ltcp__timeout_left(&t->tm, now, now) > 0.0) return 1;
    *rc = LTCP_ETIMEOUT;
    return 0;
  case LTCP__WOULDBLOCK:
    /* The block timeout of the operation: send for writes, read for reads and accept. */
    *rc = ltcp__io_wait_from(t, events & LTCP_POLLOUT ? LTCP_TIMEOUT_SEND : LTCP_TIMEOUT_READ,
                             events, -1.0);
    return *rc == 0;
  default: return 0;
  }
}

int ltcp__io_poll(ltcp_pollfd_t *fds, size_t n, const ltcp__timeout_t *tm, double wait_start,
                  size_t *nready, int *native) {
  double now = ltcp__sys_monotonic(), left;
  if (wait_start < 0.0) wait_start = now;
  left = ltcp__timeout_left(tm, wait_start, now);
  *nready = 0;
  for (;;) {
    size_t ready = 0;
    int rc = 0;
    if (n) rc = ltcp__sys_poll(fds, n, left, &ready, native);
    else ltcp__sys_sleep(left < 0.0 ? LTCP__FOREVER_SLICE : left);
    if (rc == 0 && ready) {
      *nready = ready;
      return 0;
    }
    if (rc != 0 && rc != LTCP__EINTR) return rc;
    if (left == 0.0) return LTCP_ETIMEOUT;
    /* Nothing ready yet: by the clock, not by the backend's word, is the time up? */
    now = ltcp__sys_monotonic();
    left = ltcp__timeout_left(tm, wait_start, now);
    if (left == 0.0) return LTCP_ETIMEOUT;
  }
}

int ltcp__io_send(ltcp_t *t, const char *data, size_t len, size_t *sent) {
  int rc;
  *sent = 0;
  do rc = t->tr.send(t->tr.ctx, data, len, sent);
  while (rc != 0 && ltcp__io_again(t, &rc, LTCP_POLLOUT));
  return rc;
}

int ltcp__io_recv(ltcp_t *t, char *data, size_t len, size_t *got) {
  int rc;
  *got = 0;
  do rc = t->tr.recv(t->tr.ctx, data, len, got);
  while (rc != 0 && ltcp__io_again(t, &rc, LTCP_POLLIN));
  return rc;
}
