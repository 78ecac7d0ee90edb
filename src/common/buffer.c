/* Receive patterns over the object's input buffer: line ('*l'), all ('*a'), a byte count, and
 * "whatever has arrived" (receive_any). The buffer never knows about Lua: results go to a
 * caller's sink, written once. Lines are found with memchr; large counts and '*a' receive from
 * the kernel straight into the sink's room.
 * Invariant: bytes leave buf[first..last) only by being appended to the sink (or dropped CRs),
 * so an error never loses data: what was consumed is in the sink, the rest stays buffered.
 * The cap (maxsize, or the object's limit): `budget` = bytes the call may still append after the
 * prefix (0 = no cap). Once the sink holds the whole cap, every way the call can end other than
 * success is "oversized" (LTCP_ELIMIT), so any other error's partial is shorter than the cap. */
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define LTCP__DIRECT_MAX (1u << 20) /* largest single receive straight into the sink */

int ltcp__sink_append(const ltcp_sink_t *sink, const char *data, size_t n) {
  char *dst;
  if (n == 0) return 0;
  dst = sink->prepare(sink->ctx, n);
  if (!dst) return LTCP_ENOMEM;
  memcpy(dst, data, n);
  sink->commit(sink->ctx, n);
  return 0;
}

/* Append dropping every CR. One prepare for the whole run (CRs only make it shorter), so a
 * failing sink (NULL, or a Lua error that longjmps) gets nothing and nothing is consumed. */
static int sink_append_nocr(const ltcp_sink_t *sink, const char *p, size_t n) {
  char *dst, *out;
  if (n == 0) return 0;
  out = dst = sink->prepare(sink->ctx, n);
  if (!dst) return LTCP_ENOMEM;
  while (n > 0) {
    const char *cr = memchr(p, '\r', n);
    size_t k = cr ? (size_t)(cr - p) : n;
    memcpy(out, p, k);
    out += k;
    if (cr) k++;
    p += k;
    n -= k;
  }
  sink->commit(sink->ctx, (size_t)(out - dst));
  return 0;
}

/* Bytes leave the buffer only through here. The stats count what the caller consumed (as
 * LuaSocket does): t->received counts what the kernel delivered, and getstats subtracts what is
 * still buffered, so consuming is one addition. */
static void consume(ltcp_t *t, size_t n) {
  t->first += n;
}

/* The size of the next fill, from how full this one came back (unless ltcp_setbufsize fixed
 * it): a fill that filled the whole buffer means the kernel holds more, so the next one is twice
 * as large, up to LTCP__BUFSIZE_GROWN; two fills in a row under an eighth full (one is not enough:
 * a stream that is read as fast as it arrives comes in uneven pieces) go back to the default. A
 * busy stream of small lines or pieces thus makes few system calls, and a connection holds a
 * large buffer only while the kernel keeps at least as much queued for it. */
static void adapt(ltcp_t *t, size_t got) {
  if (t->buffixed) return;
  if (got == t->bufsize && t->bufsize < LTCP__BUFSIZE_GROWN) {
    t->bufwant = t->bufsize * 2 < LTCP__BUFSIZE_GROWN ? t->bufsize * 2 : LTCP__BUFSIZE_GROWN;
    t->bufsmall = 0;
  } else if (got < t->bufsize / 8 && t->bufsize > LTCP__BUFSIZE) {
    if (++t->bufsmall >= 2) {
      t->bufwant = LTCP__BUFSIZE;
      t->bufsmall = 0;
    }
  } else {
    t->bufsmall = 0;
  }
}

/* One receive into the (empty) buffer. The buffer is allocated here, at the size wanted now,
 * so objects that never receive (masters, servers, idle sockets in a select) stay small. */
static int fill(ltcp_t *t) {
  size_t got = 0;
  int rc;
  t->first = t->last = 0;
  if (t->buf && t->bufsize != t->bufwant) {
    free(t->buf);
    t->buf = NULL;
  }
  if (!t->buf) {
    if (!(t->buf = malloc(t->bufwant))) return LTCP_ENOMEM;
    t->bufsize = t->bufwant;
  }
  rc = ltcp__io_recv(t, t->buf, t->bufsize, &got);
  adapt(t, got);
  t->last = got;
  t->received += (double)got;
  t->has_cr = -1; /* not known yet: the first zero-copy line of this fill looks */
  return rc;
}

/* More input after the bytes still buffered, which move to the front (receiveuntil keeps the
 * bytes that may begin its pattern buffered while it reads on). A full buffer grows: it only
 * ever holds less than one pattern's worth here, and the next fill of an empty buffer goes back
 * to the size wanted. */
int ltcp__buffer_more(ltcp_t *t) {
  size_t keep = t->last - t->first, got = 0;
  int rc;
  if (keep == 0) return fill(t);
  if (t->first > 0) {
    memmove(t->buf, t->buf + t->first, keep);
    t->first = 0;
    t->last = keep;
  }
  if (keep == t->bufsize) {
    char *nb = realloc(t->buf, t->bufsize * 2);
    if (!nb) return LTCP_ENOMEM;
    t->buf = nb;
    t->bufsize *= 2;
  }
  rc = ltcp__io_recv(t, t->buf + keep, t->bufsize - keep, &got);
  t->last = keep + got;
  t->received += (double)got;
  t->has_cr = -1;
  return rc;
}

/* Receive straight into the sink: at most `want` bytes, one successful recv. */
static int direct(ltcp_t *t, const ltcp_sink_t *sink, size_t want, size_t *got) {
  char *dst;
  int rc;
  *got = 0;
  if (want > LTCP__DIRECT_MAX) want = LTCP__DIRECT_MAX;
  dst = sink->prepare(sink->ctx, want);
  if (!dst) return LTCP_ENOMEM;
  rc = ltcp__io_recv(t, dst, want, got);
  sink->commit(sink->ctx, *got);
  t->received += (double)*got;
  return rc;
}

/* Raw bytes of p[0..n) that hold at most `room` payload bytes ('*l' drops CRs: they are not
 * payload): the span ends right before the first payload byte past room, so the CRs before that
 * byte go with it (the line drops them either way). *payload: payload bytes in the span. */
static size_t payload_span(const char *p, size_t n, size_t room, size_t *payload) {
  size_t raw = 0, got = 0;
  while (raw < n) {
    const char *cr = memchr(p + raw, '\r', n - raw);
    size_t run = cr ? (size_t)(cr - (p + raw)) : n - raw;
    if (run > room - got) {
      raw += room - got;
      got = room;
      break;
    }
    raw += run;
    got += run;
    if (cr) raw++;
  }
  *payload = got;
  return raw;
}

/* budget: payload bytes the line may still have (0 = no cap). A line of exactly the budget
 * succeeds wherever its LF arrives; one more payload byte is "oversized" and stays buffered. */
static int recv_line(ltcp_t *t, const ltcp_sink_t *sink, size_t budget) {
  size_t total = 0;
  for (;;) {
    const char *p, *nl;
    size_t n, seg, take, payload;
    int rc;
    if (t->first == t->last && (rc = fill(t)) != 0)
      return budget && total == budget ? LTCP_ELIMIT : rc;
    p = t->buf + t->first;
    n = t->last - t->first;
    nl = memchr(p, '\n', n);
    seg = nl ? (size_t)(nl - p) : n;
    take = seg;
    if (budget) {
      if (t->has_cr == 0) {
        if (take > budget - total) take = budget - total;
        payload = take;
      } else {
        take = payload_span(p, seg, budget - total, &payload);
      }
      total += payload;
    }
    rc = t->has_cr == 0 ? ltcp__sink_append(sink, p, take) : sink_append_nocr(sink, p, take);
    if (rc) return rc;
    consume(t, take);
    if (take < seg) return LTCP_ELIMIT; /* a payload byte past the cap: it stays buffered */
    if (nl) {
      consume(t, 1); /* the LF */
      return 0;
    }
  }
}

/* budget: bytes the call may still append (0 = no cap). The end of the stream right at the cap
 * is success (completion beats the cap); anything else there is "oversized". */
static int recv_all(ltcp_t *t, const ltcp_sink_t *sink, size_t budget) {
  size_t total = t->last - t->first, want = 4 * LTCP__BUFSIZE;
  int rc = 0;
  if (budget && total > budget) total = budget;
  if (total > 0) { /* (buf may be NULL when nothing is buffered) */
    if ((rc = ltcp__sink_append(sink, t->buf + t->first, total)) != 0) return rc;
    consume(t, total);
  }
  for (;;) {
    size_t got, room = want;
    if (budget) {
      if (total == budget) {
        /* At the cap: done if the peer has closed, else the excess stays buffered. */
        if (t->first == t->last) rc = fill(t);
        return rc == LTCP_ECLOSED ? 0 : LTCP_ELIMIT;
      }
      if (room > budget - total) room = budget - total;
    }
    rc = direct(t, sink, room, &got);
    total += got;
    if (rc == LTCP_ECLOSED) return total > 0 ? 0 : LTCP_ECLOSED;
    if (rc) return budget && total == budget ? LTCP_ELIMIT : rc;
    if (want < LTCP__DIRECT_MAX && got == room) want *= 2;
  }
}

static int recv_count(ltcp_t *t, const ltcp_sink_t *sink, size_t wanted) {
  size_t total = 0;
  int rc;
  if (wanted == 0) {
    /* As LuaSocket: a zero count still waits for the stream to be readable (data stays
     * buffered), so receive(0) reports "closed" and "timeout". */
    return t->first == t->last ? fill(t) : 0;
  }
  while (total < wanted) {
    size_t avail = t->last - t->first, rest = wanted - total, got;
    if (avail > 0) {
      size_t n = avail < rest ? avail : rest;
      if ((rc = ltcp__sink_append(sink, t->buf + t->first, n)) != 0) return rc;
      consume(t, n);
      total += n;
    } else if (wanted >= LTCP__BUFSIZE) {
      /* A large count takes everything past what was buffered straight into the result, its
       * tail too: its bytes are copied once, and it never fills (or grows) the buffer. */
      rc = direct(t, sink, rest, &got);
      total += got;
      if (rc) return rc;
    } else if ((rc = fill(t)) != 0) {
      return rc;
    }
  }
  return 0;
}

int ltcp__buffer_receive(ltcp_t *t, int pattern, size_t count, const char *prefix,
                         size_t prefix_len, size_t budget, const ltcp_sink_t *sink) {
  int rc = prefix && prefix_len ? ltcp__sink_append(sink, prefix, prefix_len) : 0;
  if (rc) return rc;
  switch (pattern) {
  case LTCP_RECV_LINE: return recv_line(t, sink, budget);
  case LTCP_RECV_ALL: return recv_all(t, sink, budget);
  case LTCP_RECV_COUNT:
    if (prefix_len == 0 || count > prefix_len) return recv_count(t, sink, count - prefix_len);
    return 0;
  default: return LTCP_EINVAL;
  }
}

/* The cap's argument errors touch nothing (no I/O, nothing in the sink), as upstream LuaSocket
 * checks maxsize before it starts the call. They come after the state checks, as the pattern's
 * always did: a closed object reports "closed" with the prefix as its partial. */
int ltcp_receive_max(ltcp_t *t, ltcp_pattern_t pattern, size_t count, const char *prefix,
                     size_t prefix_len, size_t maxsize, const ltcp_sink_t *sink) {
  size_t cap;
  int rc = ltcp__check(t, LTCP__M_CLIENT);
  if (!sink || !sink->prepare || !sink->commit || (!prefix && prefix_len)) return LTCP_EINVAL;
  if (rc == LTCP_ECLOSED) {
    /* The partial result of a failed receive always starts with the prefix. */
    (void)ltcp__sink_append(sink, prefix, prefix_len);
    return rc;
  }
  if (rc) return rc;
  if (pattern != LTCP_RECV_LINE && pattern != LTCP_RECV_ALL && pattern != LTCP_RECV_COUNT)
    return LTCP_EINVAL;
  /* The object's limit is the default cap of '*l' and '*a' (counts are bounded by the caller) */
  cap = maxsize ? maxsize : pattern == LTCP_RECV_COUNT ? 0 : t->limit;
  if (cap && prefix_len >= cap) return LTCP_EINVAL;
  if (maxsize && pattern == LTCP_RECV_COUNT && count > maxsize) return LTCP_EINVAL;
  ltcp__timeout_callstart(&t->tm);
  rc =
    ltcp__buffer_receive(t, pattern, count, prefix, prefix_len, cap ? cap - prefix_len : 0, sink);
  return ltcp__public_rc(rc);
}

/* Whatever has arrived, up to max: the buffered bytes, else one receive (which waits only while
 * nothing has arrived). A large max on an empty buffer receives straight into the sink, at most
 * 64 KiB at a time so a huge max does not make a huge sink; a small one fills the buffer, whose
 * rest serves the next calls. */
int ltcp_receive_any(ltcp_t *t, size_t max, const ltcp_sink_t *sink) {
  size_t n;
  int rc;
  if (!t || !sink || !sink->prepare || !sink->commit || max == 0) return LTCP_EINVAL;
  if ((rc = ltcp__check(t, LTCP__M_CLIENT)) != 0) return rc;
  if (t->first == t->last) {
    ltcp__timeout_callstart(&t->tm);
    if (max >= LTCP__BUFSIZE) {
      rc = direct(t, sink, max < 4 * LTCP__BUFSIZE ? max : 4 * LTCP__BUFSIZE, &n);
      return ltcp__public_rc(rc);
    }
    if ((rc = fill(t)) != 0) return ltcp__public_rc(rc);
  }
  n = t->last - t->first;
  if (n > max) n = max;
  if ((rc = ltcp__sink_append(sink, t->buf + t->first, n)) != 0) return rc;
  consume(t, n);
  return 0;
}

/* The zero-copy path: one call per line for C callers and the Lua binding, so it is kept lean
 * (state test inline, one memchr for a CR-free line, few values live across it). */
int ltcp_receive_buffered(ltcp_t *t, ltcp_pattern_t pattern, size_t count, const char **data,
                          size_t *len) {
  size_t avail, n;
  int rc;
  if (!data || !len) return LTCP_EINVAL;
  if ((rc = ltcp__check(t, LTCP__M_CLIENT)) != 0) {
    *data = NULL;
    *len = 0;
    return rc;
  }
  avail = t->last - t->first;
  if (pattern == LTCP_RECV_LINE && avail > 0) {
    const char *p = t->buf + t->first, *nl = memchr(p, '\n', avail);
    /* One CR scan per fill, at its first zero-copy line, spares every later line its own;
     * C callers that parse in place (ltcp_peek) never pay it. */
    if (t->has_cr < 0) t->has_cr = memchr(p, '\r', avail) != NULL;
    if (nl && !(t->limit && (size_t)(nl - p) > t->limit) &&
        !(t->has_cr && memchr(p, '\r', (size_t)(nl - p)))) {
      n = (size_t)(nl - p);
      t->first += n + 1;
      *data = p;
      *len = n;
      return 0;
    }
  } else if (pattern == LTCP_RECV_COUNT && count > 0 && count <= avail) {
    *data = t->buf + t->first;
    *len = count;
    t->first += count;
    return 0;
  }
  *data = NULL;
  *len = 0;
  return 0;
}

/* The raw bytes buffered (no pattern, CRs kept): for C callers that parse in place. */
int ltcp_peek(ltcp_t *t, const char **data, size_t *len) {
  int rc;
  if (!data || !len) return LTCP_EINVAL;
  *data = NULL;
  *len = 0;
  if ((rc = ltcp__check(t, LTCP__M_CLIENT)) != 0) return rc;
  if (t->last > t->first) {
    *data = t->buf + t->first;
    *len = t->last - t->first;
  }
  return 0;
}

int ltcp_skip(ltcp_t *t, size_t n) {
  int rc = ltcp__check(t, LTCP__M_CLIENT);
  if (rc) return rc;
  if (n > t->last - t->first) return LTCP_EINVAL;
  consume(t, n);
  return 0;
}

void ltcp__buffer_release(ltcp_t *t) {
  t->received -= (double)(t->last - t->first);
  t->first = t->last = 0;
  free(t->buf);
  t->buf = NULL;
  t->bufsize = 0;
}

int ltcp_dirty(const ltcp_t *t) {
  return t && t->first < t->last;
}
