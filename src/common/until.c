/* receiveuntil: records that end with a literal byte pattern (OpenResty's receiveuntil), found
 * with Knuth-Morris-Pratt, so every input byte is looked at a bounded number of times however the
 * input is split across reads: no rescanning.
 * Invariants: the bytes that may still begin the pattern (at most len - 1 of them, always equal to
 * pattern[0..q) for the matcher state q) stay in the object's buffer, at its front, until they are
 * known to be data or pattern; so nothing is held inside the matcher, another receive method may
 * read them, and an error loses nothing. The matcher keeps only a hint (`held`, checked against
 * the buffer before use) and, between the calls of iterator(size), where a record ended. Every
 * byte before the buffer's front is known not to start a match, so a scan from the front with
 * state 0 is always right; the hint only saves rescanning the held bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct ltcp_until {
  size_t len;  /* the pattern's length, >= 1 */
  size_t held; /* hint: the buffer's front matched pattern[0..held) when the last call returned */
  size_t rest; /* inclusive, size mode: pattern bytes of the ended record not yet returned */
  int flags;
  int ended; /* size mode: the record's last piece is out; the next call reports its end */
  /* followed by uint32_t fail[len] and char pattern[len] */
};

static uint32_t *fail_of(ltcp_until_t *u) {
  return (uint32_t *)(void *)(u + 1);
}

static const char *pattern_of(ltcp_until_t *u) {
  return (const char *)(fail_of(u) + u->len);
}

size_t ltcp_until_sizeof(size_t len) {
  if (len == 0 || len > LTCP_UNTIL_MAX) return 0;
  return sizeof(struct ltcp_until) + len * sizeof(uint32_t) + len;
}

int ltcp_until_init(ltcp_until_t *u, const char *pattern, size_t len, int flags) {
  uint32_t *fail;
  char *pat;
  size_t i, k = 0;
  if (!u || !pattern || len == 0 || len > LTCP_UNTIL_MAX || (flags & ~LTCP_UNTIL_INCLUSIVE))
    return LTCP_EINVAL;
  u->len = len;
  u->held = u->rest = 0;
  u->flags = flags;
  u->ended = 0;
  fail = fail_of(u);
  pat = (char *)(fail + len);
  memcpy(pat, pattern, len);
  /* fail[i]: the longest proper prefix of pattern[0..i] that is also its suffix */
  fail[0] = 0;
  for (i = 1; i < len; i++) {
    while (k > 0 && pat[i] != pat[k]) k = fail[k - 1];
    if (pat[i] == pat[k]) k++;
    fail[i] = (uint32_t)k;
  }
  return 0;
}

int ltcp_until_new(ltcp_until_t **out, const char *pattern, size_t len, int flags) {
  size_t size = ltcp_until_sizeof(len);
  ltcp_until_t *u;
  int rc;
  if (!out) return LTCP_EINVAL;
  *out = NULL;
  if (!size) return LTCP_EINVAL;
  if (!(u = malloc(size))) return LTCP_ENOMEM;
  if ((rc = ltcp_until_init(u, pattern, len, flags)) != 0) {
    free(u);
    return rc;
  }
  *out = u;
  return 0;
}

void ltcp_until_free(ltcp_until_t *u) {
  free(u);
}

/* The matcher state after byte c in state q (< len). */
static size_t step(const char *pat, const uint32_t *fail, size_t q, char c) {
  while (q > 0 && pat[q] != c) q = fail[q - 1];
  return pat[q] == c ? q + 1 : 0;
}

/* Hand n bytes at the buffer's front to the sink and consume them. */
static int take(ltcp_t *t, const ltcp_sink_t *sink, size_t n) {
  int rc = n ? ltcp__sink_append(sink, t->buf + t->first, n) : 0;
  if (rc == 0) t->first += n; /* consumed: they count as received */
  return rc;
}

/* The end of a record in size mode, or the inclusive pattern's bytes still to return. */
static int record_tail(ltcp_until_t *u, size_t size, const ltcp_sink_t *sink, int *end) {
  size_t n;
  int rc;
  if (size && u->ended) {
    u->ended = 0;
    *end = 1;
    return 0;
  }
  n = size && size < u->rest ? size : u->rest;
  if ((rc = ltcp__sink_append(sink, pattern_of(u) + u->len - u->rest, n)) != 0) return rc;
  u->rest -= n;
  if (u->rest == 0) {
    if (size) u->ended = 1;
    else *end = 1;
  }
  return 0;
}

/* The pattern ends at pos (buffer offset from first); e data bytes come before it. */
static int matched(ltcp_t *t, ltcp_until_t *u, size_t size, size_t room, size_t e, size_t emitted,
                   const ltcp_sink_t *sink, int *end) {
  size_t m = u->len, n;
  int rc;
  if (!(u->flags & LTCP_UNTIL_INCLUSIVE)) {
    if ((rc = take(t, sink, e)) != 0) return rc;
    t->first += m; /* the pattern is consumed, not returned */
    if (!size || emitted + e == 0) *end = 1;
    else u->ended = 1; /* this piece ends the record: the next call says so */
    return 0;
  }
  n = !size || e + m <= room ? m : room - e; /* e < room here: at least one pattern byte fits */
  if ((rc = take(t, sink, e + n)) != 0) return rc;
  t->first += m - n;
  u->rest = m - n;
  if (!size) *end = 1;
  else if (u->rest == 0) u->ended = 1;
  return 0;
}

int ltcp_receive_until(ltcp_t *t, ltcp_until_t *u, size_t size, const ltcp_sink_t *sink, int *end) {
  const char *pat;
  const uint32_t *fail;
  size_t m, q, room, emitted = 0;
  int rc;
  if (!t || !u || !sink || !sink->prepare || !sink->commit || !end) return LTCP_EINVAL;
  *end = 0;
  if ((rc = ltcp__check(t, LTCP__M_CLIENT)) != 0) return rc;
  if ((size && u->ended) || u->rest) return record_tail(u, size, sink, end);
  u->ended = 0; /* iterator() after a finished record of iterator(size): the next record */
  pat = pattern_of(u);
  fail = fail_of(u);
  m = u->len;
  room = size ? size : (size_t)-1;
  q = u->held;
  u->held = 0;
  if (q >= m || q > t->last - t->first || (q && memcmp(t->buf + t->first, pat, q) != 0)) q = 0;
  ltcp__timeout_callstart(&t->tm);
  for (;;) {
    const char *p = t->buf ? t->buf + t->first : NULL;
    size_t avail = t->last - t->first, pos = q, e = 0;
    /* buffer bytes: p[0..e) data, p[e..e+q) held (= pat[0..q)), p[pos..avail) not seen yet */
    while (pos < avail) {
      if (q == 0) { /* skip to the next byte that can start the pattern */
        const char *hit = memchr(p + pos, pat[0], avail - pos);
        pos = hit ? (size_t)(hit - p) : avail;
        e = pos;
        if (e >= room) break;
        if (!hit) break;
      }
      q = step(pat, fail, q, p[pos++]);
      if (q == m) return matched(t, u, size, room, pos - m, emitted, sink, end);
      e = pos - q;
      if (e >= room) break;
    }
    if (e >= room) { /* a full piece (size mode); what follows stays buffered */
      if ((rc = take(t, sink, room)) != 0) return rc;
      u->held = e == room ? q : 0;
      return 0;
    }
    if ((rc = take(t, sink, e)) != 0) return rc;
    emitted += e;
    room -= e;
    /* the buffer now holds the q held bytes only: read more after them */
    rc = ltcp__buffer_more(t);
    if (rc) {
      if (rc == LTCP_ECLOSED || rc == LTCP__ERESET) {
        /* the record can never end: the held bytes are data, and part of the partial */
        size_t n = q < room ? q : room;
        int rc2 = take(t, sink, n);
        if (rc2) return rc2;
      } else {
        u->held = q; /* still maybe the pattern's start: they stay buffered for the next call */
      }
      return ltcp__public_rc(rc);
    }
  }
}
