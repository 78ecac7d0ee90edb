/* ltcp_select: the entries go to the backend's poll as they are (no copy), under one deadline
 * kept by io.c, so a signal never restarts the full timeout.
 * ltcp_select_objects: the same, where an entry's object may be racing several addresses
 * (race.c): its entry stands for every socket of the race, and the select moves the race on
 * (next attempts when due) between waits. Invariant: each round waits once through
 * ltcp__io_poll, at most until the earliest due attempt or the caller's deadline, so the
 * caller's timeout is one deadline for the whole call however many rounds it takes. */
#include <stdlib.h>

#include "core.h"

static int select_plain(ltcp_pollfd_t *fds, size_t n, double timeout, size_t *nready) {
  ltcp__timeout_t tm;
  int native = 0;
  ltcp__timeout_init(&tm);
  tm.block = timeout; /* negative: forever */
  return ltcp__io_poll(fds, n, &tm, -1.0, nready, &native);
}

int ltcp_select(ltcp_pollfd_t *fds, size_t n, double timeout, size_t *nready) {
  if (nready) *nready = 0;
  if ((!fds && n) || !nready || timeout != timeout) return LTCP_EINVAL;
  return select_plain(fds, n, timeout, nready);
}

static int racing(const ltcp_pollfd_t *p, ltcp_t *const *objs, size_t i) {
  return objs && objs[i] && (p->events & LTCP_POLLOUT) && ltcp__race_active(objs[i]);
}

/* One round's poll entries: plain entries as they are, a racing entry (race[i] = 1) as its
 * race's sockets. map[k] is the entry behind tmp[k]. Returns the count; *due the earliest
 * due attempt (negative: none). */
static size_t build(const ltcp_pollfd_t *fds, ltcp_t *const *objs, size_t n, ltcp_pollfd_t *tmp,
                    size_t *map, unsigned char *race, double *due) {
  size_t i, k, m = 0;
  *due = -1.0;
  for (i = 0; i < n; i++) {
    race[i] = (unsigned char)racing(&fds[i], objs, i);
    if (race[i]) {
      double d = ltcp__race_due(objs[i]);
      size_t got = ltcp__race_fds(objs[i], tmp + m);
      for (k = 0; k < got; k++) map[m + k] = i;
      m += got;
      if (d >= 0.0 && (*due < 0.0 || d < *due)) *due = d;
    } else {
      tmp[m] = fds[i];
      tmp[m].revents = 0;
      map[m++] = i;
    }
  }
  return m;
}

int ltcp_select_objects(ltcp_pollfd_t *fds, ltcp_t *const *objs, size_t n, double timeout,
                        size_t *nready) {
  ltcp__timeout_t call;
  ltcp_pollfd_t *tmp;
  size_t *map, i, nrace = 0, room;
  unsigned char *race;
  double start;
  int rc;
  if (nready) *nready = 0;
  if ((!fds && n) || !nready || timeout != timeout) return LTCP_EINVAL;
  for (i = 0; i < n; i++) nrace += (size_t)racing(&fds[i], objs, i);
  if (nrace == 0) return select_plain(fds, n, timeout, nready);
  /* Room for every entry plus every socket a race may hold; a flag per entry. */
  room = n + nrace * LTCP__MAXADDRS;
  map = malloc(room * (sizeof *map + sizeof *tmp) + n); /* map first: the strictest alignment */
  if (!map) return LTCP_ENOMEM;
  tmp = (ltcp_pollfd_t *)(map + room);
  race = (unsigned char *)(tmp + room);
  ltcp__timeout_init(&call);
  call.block = timeout; /* negative: forever */
  start = ltcp__sys_monotonic();
  for (;;) {
    ltcp__timeout_t wait;
    double due, now = ltcp__sys_monotonic(), left = ltcp__timeout_left(&call, start, now);
    size_t m = build(fds, objs, n, tmp, map, race, &due), k, ready = 0, got = 0;
    int native = 0;
    if (due >= 0.0) {
      double until_due = due > now ? due - now : 0.0;
      if (left < 0.0 || until_due < left) left = until_due;
    }
    ltcp__timeout_init(&wait);
    wait.block = left;
    rc = ltcp__io_poll(tmp, m, &wait, now, &got, &native);
    if (rc != 0 && rc != LTCP_ETIMEOUT) break;
    for (i = 0; i < n; i++) fds[i].revents = 0;
    /* Plain entries take their result; a racing entry notes that one of its sockets is ready
     * (race[i] = 2), and moves on below. */
    for (k = 0; k < m; k++) {
      i = map[k];
      if (!race[i]) fds[i].revents = tmp[k].revents;
      else if (tmp[k].revents) race[i] = 2;
    }
    now = ltcp__sys_monotonic();
    for (i = 0; i < n; i++) {
      double d;
      int failed = 0;
      if (!race[i]) continue;
      d = ltcp__race_due(objs[i]);
      if (race[i] == 2 || (d >= 0.0 && now >= d)) {
        if (ltcp__race_progress(objs[i], &failed))
          fds[i].revents = fds[i].events & (LTCP_POLLOUT | (failed ? LTCP_POLLIN : 0));
      }
    }
    for (i = 0; i < n; i++) ready += fds[i].revents != 0;
    if (ready) {
      *nready = ready;
      rc = 0;
      break;
    }
    if (ltcp__timeout_left(&call, start, now) == 0.0) {
      rc = LTCP_ETIMEOUT;
      break;
    }
  }
  free(map);
  return rc;
}
