/* Happy Eyeballs (RFC 8305): a connect to a name with several addresses races them. Addresses
 * go in interleaved family order; each attempt gets the Connection Attempt Delay (t->eyeballs)
 * before the next starts beside it, or less if it fails (a refused attempt moves on at once);
 * every pending attempt is waited on at once, the first to connect wins and the others are
 * closed. One deadline, the call's, bounds the whole race.
 * Invariants:
 * - The race record (t->race, from malloc) owns every socket of the race: the pending attempts,
 *   the object's own unconnected socket until an attempt uses it, and the socket of the failed
 *   attempt for the last address so far. While the race goes on, t->sock is only an alias of
 *   one of them (the oldest pending attempt), so getfd, options and select see a real socket.
 * - When the race ends exactly one socket is left, in t->sock: the winner, or the failed
 *   attempt for the last address (stale, as after any failed connect). The record then holds
 *   no socket, only the result, until the next connect reports it.
 * - A race still going when the call's time is up stays on the object (the connect returns
 *   LTCP_ETIMEOUT): ltcp_select_objects waits on all its sockets and starts its next attempts
 *   on time; the next connect reports the outcome. ltcp_close and ltcp_setfd drop it.
 * - Waits go through io.c (ltcp__io_poll), never through a loop of their own. */
#include <stdlib.h>

#include "core.h"

typedef struct ltcp__race ltcp__race_t;

typedef struct attempt {
  ltcp_os_sock_t sock;
  size_t idx; /* into addrs */
} attempt_t;

struct ltcp__race {
  ltcp__sockaddr_t addrs[LTCP__MAXADDRS]; /* in attempt order */
  size_t n, next;                         /* addresses; the next one to start */
  attempt_t pending[LTCP__MAXADDRS];      /* oldest first */
  ltcp_pollfd_t pfd[LTCP__MAXADDRS];      /* pfd[i] waits on pending[i] */
  size_t npending;
  double due;         /* monotonic time the next attempt may start */
  ltcp_os_sock_t own; /* the object's socket, for the first address of its family */
  int own_family;
  ltcp_os_sock_t lost; /* the failed attempt for the last address so far */
  int lost_family, lost_rc, lost_native;
  size_t lost_idx;
  int done, result; /* ended: what the next connect reports */
};

/* ---- the order (pure) ---- */

void ltcp__race_order(const ltcp__sockaddr_t *in, size_t n, ltcp__sockaddr_t *out) {
  size_t i = 0, j = 0, k = 0;
  int first;
  if (n == 0) return;
  first = in[0].family;
  /* i walks the preferred family, j the others: one of each in turn, then what is left. */
  while (k < n) {
    while (i < n && in[i].family != first) i++;
    if (i < n) out[k++] = in[i++];
    while (j < n && in[j].family == first) j++;
    if (j < n) out[k++] = in[j++];
  }
}

/* ---- the record ---- */

static void close_sock(ltcp_os_sock_t *s) {
  if (*s != LTCP_INVALID_SOCKET) ltcp__sys_close(*s);
  *s = LTCP_INVALID_SOCKET;
}

/* t->sock follows the race: the oldest pending attempt, else a socket the race still holds. */
static void alias(ltcp_t *t, ltcp__race_t *r) {
  if (r->npending) {
    t->sock = r->pending[0].sock;
    t->family = r->addrs[r->pending[0].idx].family;
  } else if (r->lost != LTCP_INVALID_SOCKET) {
    t->sock = r->lost;
    t->family = r->lost_family;
  } else {
    t->sock = r->own;
    if (r->own != LTCP_INVALID_SOCKET) t->family = r->own_family;
  }
}

static void drop_pending(ltcp__race_t *r, size_t i) {
  for (; i + 1 < r->npending; i++) {
    r->pending[i] = r->pending[i + 1];
    r->pfd[i] = r->pfd[i + 1];
  }
  r->npending--;
}

/* The race is over: `keep` is the socket the object goes on with (the others are closed). */
static void settle(ltcp_t *t, ltcp__race_t *r, ltcp_os_sock_t keep, int family, int result) {
  size_t i;
  for (i = 0; i < r->npending; i++)
    if (r->pending[i].sock != keep) ltcp__sys_close(r->pending[i].sock);
  r->npending = 0;
  if (r->own != keep) close_sock(&r->own);
  if (r->lost != keep) close_sock(&r->lost);
  r->own = r->lost = LTCP_INVALID_SOCKET;
  t->sock = keep;
  if (keep != LTCP_INVALID_SOCKET) t->family = family;
  r->done = 1;
  r->result = result;
}

static void won(ltcp_t *t, ltcp__race_t *r, ltcp_os_sock_t s, size_t idx) {
  /* Options set while the race went on reached only the socket t->sock was then; what the
   * backend remembers is now the winner's. */
  if (t->opts) ltcp__replay_options(t, s, &t->opts->sys);
  settle(t, r, s, r->addrs[idx].family, 0);
  t->stale = 0;
}

/* An attempt failed (s may be LTCP_INVALID_SOCKET: its socket could not be made). */
static void failed(ltcp__race_t *r, ltcp_os_sock_t s, size_t idx, int rc, int native) {
  if (r->lost == LTCP_INVALID_SOCKET || idx >= r->lost_idx) {
    close_sock(&r->lost);
    r->lost = s;
    r->lost_family = r->addrs[idx].family;
    r->lost_idx = idx;
    r->lost_rc = rc;
    r->lost_native = native;
  } else if (s != LTCP_INVALID_SOCKET) {
    ltcp__sys_close(s);
  }
  r->due = ltcp__sys_monotonic(); /* the next address need not wait out the delay */
}

/* Every attempt failed: the object keeps the socket of the last address, stale. */
static void lost(ltcp_t *t, ltcp__race_t *r) {
  ltcp_os_sock_t keep = r->lost != LTCP_INVALID_SOCKET ? r->lost : r->own;
  int family = r->lost != LTCP_INVALID_SOCKET ? r->lost_family : r->own_family;
  t->native = r->lost_native;
  settle(t, r, keep, family, r->lost_rc);
  t->stale = 1;
}

/* ---- one attempt ---- */

/* Start the attempt for address r->next. 1 when it connected at once (the race is won). */
static int start(ltcp_t *t, ltcp__race_t *r) {
  size_t idx = r->next++;
  const ltcp__sockaddr_t *a = &r->addrs[idx];
  ltcp_os_sock_t s = LTCP_INVALID_SOCKET;
  int native = 0, rc = 0;
  if (r->own != LTCP_INVALID_SOCKET && r->own_family == a->family) {
    s = r->own; /* the object's socket, with the options set on it */
    r->own = LTCP_INVALID_SOCKET;
  } else if ((rc = ltcp__inet_socket(a->family, &s, &native)) == 0) {
    ltcp__optmem_t mem; /* for this attempt only: the winner's is made again in won() */
    ltcp__replay_options(t, s, &mem);
  } else {
    s = LTCP_INVALID_SOCKET; /* no socket: the attempt failed before it started */
  }
  if (rc == 0) rc = ltcp__sys_connect_start(s, a, &native);
  if (rc == LTCP__EINTR) rc = LTCP__INPROGRESS; /* the connection goes on in the background */
  if (rc == 0) {
    won(t, r, s, idx);
    return 1;
  }
  if (rc == LTCP__INPROGRESS) {
    attempt_t *p = &r->pending[r->npending];
    p->sock = s;
    p->idx = idx;
    r->pfd[r->npending].sock = s;
    r->pfd[r->npending].events = LTCP_POLLOUT;
    r->pfd[r->npending].revents = 0;
    r->npending++;
    r->due = ltcp__sys_monotonic() + t->eyeballs;
  } else {
    failed(r, s, idx, rc, native);
  }
  return 0;
}

/* The attempts a poll found ready: connected (the race is won, 1) or failed (dropped). */
static int collect(ltcp_t *t, ltcp__race_t *r) {
  size_t i = 0;
  while (i < r->npending) {
    int native = 0, rc;
    if (!r->pfd[i].revents) {
      i++;
      continue;
    }
    rc = ltcp__sys_connect_finish(r->pending[i].sock, &native);
    if (rc == 0) {
      /* Linux answers the first connect after a background connect completed with 0, the
       * others with EISCONN: take that answer here, so after the connect that reports the
       * race, the next says "already connected" on every platform. */
      (void)ltcp__sys_connect_start(r->pending[i].sock, &r->addrs[r->pending[i].idx], &native);
      won(t, r, r->pending[i].sock, r->pending[i].idx);
      return 1;
    }
    failed(r, r->pending[i].sock, r->pending[i].idx, rc, native);
    drop_pending(r, i);
  }
  return 0;
}

/* Start what is due: the next address when nothing is pending or the delay has passed. 1 when
 * the race has ended (won at once, or every address failed). */
static int start_due(ltcp_t *t, ltcp__race_t *r) {
  while (r->next < r->n && (r->npending == 0 || ltcp__sys_monotonic() >= r->due))
    if (start(t, r)) return 1;
  if (r->npending == 0) {
    lost(t, r);
    return 1;
  }
  return 0;
}

/* Run the race until it ends or the call's time is up (zero: one look, no waiting). 0 when it
 * has ended, LTCP_ETIMEOUT while it goes on, or the error of a failed wait. */
static int run(ltcp_t *t, ltcp__race_t *r, int zero) {
  for (;;) {
    ltcp__timeout_t wait;
    double now, left;
    size_t i, nready = 0;
    int rc, native = 0;
    if (start_due(t, r)) return 0;
    now = ltcp__sys_monotonic();
    left = zero ? 0.0 : ltcp__timeout_left_op(&t->tm, LTCP_TIMEOUT_CONNECT, t->tm.start, now);
    /* Wait for an attempt, at most until the next one is due or the call's time is up. */
    if (r->next < r->n) {
      double until_due = r->due > now ? r->due - now : 0.0;
      if (left < 0.0 || until_due < left) left = until_due;
    }
    ltcp__timeout_init(&wait);
    wait.block = left;
    for (i = 0; i < r->npending; i++) r->pfd[i].revents = 0;
    rc = ltcp__io_poll(r->pfd, r->npending, &wait, now, &nready, &native);
    if (rc == 0) {
      if (collect(t, r)) return 0;
      continue;
    }
    if (rc != LTCP_ETIMEOUT) {
      t->native = native;
      return rc;
    }
    now = ltcp__sys_monotonic();
    if (zero || ltcp__timeout_left_op(&t->tm, LTCP_TIMEOUT_CONNECT, t->tm.start, now) == 0.0) {
      if (r->next < r->n && now >= r->due) continue; /* one more start costs no waiting */
      return LTCP_ETIMEOUT;
    }
  }
}

/* ---- the calls ---- */

int ltcp__race_connect(ltcp_t *t, const ltcp__sockaddr_t *addrs, size_t n) {
  ltcp__race_t *r = malloc(sizeof *r);
  int rc;
  if (!r) return LTCP__NORACE;
  if (n > LTCP__MAXADDRS) n = LTCP__MAXADDRS;
  ltcp__race_order(addrs, n, r->addrs);
  r->n = n;
  r->next = r->npending = 0;
  r->due = 0.0;
  r->own = r->lost = LTCP_INVALID_SOCKET;
  r->own_family = t->family;
  r->lost_family = 0;
  r->lost_rc = LTCP_ENONAME;
  r->lost_native = 0;
  r->lost_idx = 0;
  r->done = r->result = 0;
  /* The object's socket takes the first attempt of its family, unless a failed connect left it
   * unusable (a fresh one is made, as for any connect after a failure). */
  if (t->sock != LTCP_INVALID_SOCKET) {
    if (t->stale) ltcp__sys_close(t->sock);
    else r->own = t->sock;
    t->sock = LTCP_INVALID_SOCKET;
  }
  t->stale = 0;
  t->connecting = 0;
  t->race = r;
  rc = run(t, r, ltcp__timeout_iszero_op(&t->tm, LTCP_TIMEOUT_CONNECT));
  if (rc == LTCP_ETIMEOUT) {
    alias(t, r); /* goes on: a later connect or select takes it up */
    return rc;
  }
  if (rc != 0) { /* the wait itself failed */
    settle(t, r, LTCP_INVALID_SOCKET, 0, rc);
    t->stale = 1;
  }
  rc = r->result;
  free(r);
  t->race = NULL;
  return rc;
}

int ltcp__race_resume(ltcp_t *t) {
  ltcp__race_t *r = t->race;
  int rc = 0;
  if (!r->done) {
    rc = run(t, r, 1);
    if (rc == LTCP_ETIMEOUT) {
      alias(t, r);
      return LTCP_EALREADY; /* as the OS says of a connect still in progress */
    }
    if (rc != 0) settle(t, r, LTCP_INVALID_SOCKET, 0, rc);
  }
  rc = r->result;
  free(r);
  t->race = NULL;
  return rc;
}

int ltcp__race_active(const ltcp_t *t) {
  return t->race && !t->race->done;
}

size_t ltcp__race_fds(const ltcp_t *t, ltcp_pollfd_t *out) {
  const ltcp__race_t *r = t->race;
  size_t i;
  if (!r || r->done) return 0;
  for (i = 0; i < r->npending; i++) {
    out[i].sock = r->pending[i].sock;
    out[i].events = LTCP_POLLOUT;
    out[i].revents = 0;
  }
  return r->npending;
}

double ltcp__race_due(const ltcp_t *t) {
  const ltcp__race_t *r = t->race;
  return r && !r->done && r->next < r->n ? r->due : -1.0;
}

int ltcp__race_progress(ltcp_t *t, int *fail) {
  ltcp__race_t *r = t->race;
  int rc;
  *fail = 0;
  if (!r) return 0;
  if (!r->done) {
    rc = run(t, r, 1);
    if (rc == LTCP_ETIMEOUT) {
      alias(t, r);
      return 0;
    }
    if (rc != 0) settle(t, r, LTCP_INVALID_SOCKET, 0, rc);
  }
  *fail = r->result != 0;
  return 1;
}

void ltcp__race_free(ltcp_t *t) {
  ltcp__race_t *r = t->race;
  if (!r) return;
  if (!r->done) {
    size_t i;
    for (i = 0; i < r->npending; i++)
      if (r->pending[i].sock != t->sock) ltcp__sys_close(r->pending[i].sock);
    if (r->own != t->sock) close_sock(&r->own);
    if (r->lost != t->sock) close_sock(&r->lost);
  }
  free(r);
  t->race = NULL;
}

/* ---- the delay ---- */

int ltcp_setconnectdelay(ltcp_t *t, double seconds) {
  if (!t || !(seconds >= 0.0)) return LTCP_EINVAL; /* NaN fails the comparison */
  if (seconds > 0.0 && seconds < LTCP__EYEBALLS_MIN) seconds = LTCP__EYEBALLS_MIN;
  t->eyeballs = seconds;
  return 0;
}

int ltcp_getconnectdelay(const ltcp_t *t, double *seconds) {
  if (!t || !seconds) return LTCP_EINVAL;
  *seconds = t->eyeballs;
  return 0;
}
