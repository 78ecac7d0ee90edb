/* libFuzzer target: ltcp_receive's patterns over a scripted fake transport, checked against a
 * small reference model of LuaSocket's patterns. Any difference aborts.
 *
 * The input is read as: a script of transport items (data runs generated from a few bytes, so a
 * short input can make a long stream; would-block; timeout; a one-shot error; EINTR), then a
 * sequence of receive operations (line / all / count, with prefixes, counts, byte limits, an
 * explicit maxsize and a zero timeout). Chunking is random (a PRNG seeded from the input), so the
 * same stream arrives in different pieces: the result must not depend on how the bytes were cut.
 *
 * The model sees the stream as bytes with events at positions; an event fires only when an
 * operation needs a byte at that position. The model is deliberately naive (byte at a time).
 * Invariants checked besides the results: the sink holds exactly prefix + model bytes, the
 * object's received counter equals the bytes the transport handed out, nothing is duplicated.
 * A one-shot LTCP_ECLOSED from the transport stands for an orderly end that later data follows
 * (unrealistic, but it exercises the "end" paths in the middle of a stream); LTCP__ERESET is a
 * reset: never an orderly end, so '*a' reports "closed" with the partial data. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define MAX_ITEMS 48
#define MAX_STREAM (1u << 20)

enum { IT_DATA, IT_WOULDBLOCK, IT_TIMEOUT, IT_ERROR, IT_EINTR };

typedef struct item {
  int type;
  size_t start, len; /* IT_DATA: bytes stream[start, start+len) */
  int code;          /* IT_ERROR */
} item_t;

typedef struct script {
  unsigned char *stream; /* every data byte, in order */
  size_t stream_len;
  item_t items[MAX_ITEMS];
  size_t nitems;
} script_t;

/* ---- fake transport ---- */
typedef struct fake {
  const script_t *s;
  size_t item; /* current item */
  size_t off;  /* bytes of the current data item already handed out */
  int pending_timeout;
  int wait_eintr; /* next wait returns EINTR first */
  uint64_t rng;
  size_t delivered;
} fake_t;

static int fake_recv(void *ctx, char *data, size_t len, size_t *got) {
  fake_t *f = ctx;
  const item_t *it;
  *got = 0;
  f->pending_timeout = 0;
  CHECK(len != 0); /* the library never asks for zero bytes */
  for (;;) {
    if (f->item >= f->s->nitems) return LTCP_ECLOSED; /* end of stream, for good */
    it = &f->s->items[f->item];
    if (it->type == IT_DATA && f->off == it->len) {
      f->item++;
      f->off = 0;
      continue;
    }
    break;
  }
  switch (it->type) {
  case IT_DATA: {
    size_t left = it->len - f->off, n = len < left ? len : left;
    size_t cut = 1 + (size_t)(next_rand(&f->rng) % (n < 3000 ? n : 3000));
    if (next_rand(&f->rng) % 4 == 0 && cut < n) n = cut; /* a short read */
    memcpy(data, f->s->stream + it->start + f->off, n);
    f->off += n;
    *got = n;
    f->delivered += n;
    return 0;
  }
  case IT_WOULDBLOCK:
    f->item++;
    f->wait_eintr = (int)(next_rand(&f->rng) % 3 == 0);
    return LTCP__WOULDBLOCK;
  case IT_TIMEOUT:
    f->item++;
    f->pending_timeout = 1;
    return LTCP__WOULDBLOCK;
  case IT_EINTR: f->item++; return LTCP__EINTR;
  default: /* IT_ERROR */ f->item++; return it->code;
  }
}

static int fake_send(void *ctx, const char *data, size_t len, size_t *sent) {
  (void)ctx;
  (void)data;
  *sent = len;
  return 0;
}

static int fake_wait(void *ctx, int events, double seconds) {
  fake_t *f = ctx;
  (void)seconds;
  CHECK(events == LTCP_POLLIN); /* a receive only ever waits for input */
  if (f->wait_eintr) {
    f->wait_eintr = 0;
    return LTCP__EINTR;
  }
  if (f->pending_timeout) {
    f->pending_timeout = 0;
    return LTCP_ETIMEOUT;
  }
  return 0;
}

/* ---- reference model ---- */
typedef struct model {
  const script_t *s;
  size_t item, off; /* next unread position: item and offset inside a data item */
  size_t consumed;  /* bytes handed to the caller (LF and dropped CRs included) */
} model_t;

/* What is at the read position: 1 = a byte (*c), 0 = end of stream, <0 = an event's code (the
 * event is consumed). zero_timeout: would-block counts as a timeout. Transparent items are
 * skipped. */
static int model_next(model_t *m, int zero_timeout, int consume, unsigned char *c) {
  for (;;) {
    const item_t *it;
    if (m->item >= m->s->nitems) return 0;
    it = &m->s->items[m->item];
    switch (it->type) {
    case IT_DATA:
      if (m->off == it->len) {
        m->item++;
        m->off = 0;
        continue;
      }
      *c = m->s->stream[it->start + m->off];
      if (consume) {
        m->off++;
        m->consumed++;
      }
      return 1;
    case IT_EINTR: m->item++; continue;
    case IT_WOULDBLOCK:
      m->item++;
      if (zero_timeout) return LTCP_ETIMEOUT;
      continue;
    case IT_TIMEOUT: m->item++; return LTCP_ETIMEOUT;
    default: m->item++; return it->code;
    }
  }
}

typedef struct out {
  unsigned char *d;
  size_t n;
} out_t;

static void out_add(out_t *o, unsigned char c) {
  o->d[o->n++] = c;
}

/* Returns the public status; appends the bytes to o. budget: bytes the call may append after the
 * prefix (0 = no cap); CRs of a line are not counted. Once the budget is full, every way the call
 * can end other than success is "oversized" (LTCP_ELIMIT). */
static int model_receive(model_t *m, int pattern, size_t count, size_t prefix_len, size_t budget,
                         int zt, out_t *o) {
  unsigned char c;
  int k;
  size_t total = 0;
  switch (pattern) {
  case LTCP_RECV_LINE:
    for (;;) {
      if (budget && total == budget) {
        /* The line so far fills the cap: CRs next go with it (dropped), a LF next ends it in
         * time, a payload byte is over the cap and stays, and a stall or end is oversized. */
        k = model_next(m, zt, 0, &c);
        if (k == 1 && (c == '\n' || c == '\r')) {
          m->off++;
          m->consumed++;
          if (c == '\n') return 0;
          continue;
        }
        return LTCP_ELIMIT;
      }
      k = model_next(m, zt, 1, &c);
      if (k == 0 || k == LTCP__ERESET) return LTCP_ECLOSED;
      if (k < 0) return k;
      if (c == '\n') return 0;
      if (c == '\r') continue;
      total++;
      out_add(o, c);
    }
  case LTCP_RECV_ALL:
    for (;;) {
      if (budget && total == budget) {
        /* At the cap the call looks ahead once: the end of the stream means "done". */
        k = model_next(m, zt, 0, &c);
        if (k == 0 || k == LTCP_ECLOSED) return 0;
        return LTCP_ELIMIT;
      }
      k = model_next(m, zt, 1, &c);
      if (k == 0 || k == LTCP_ECLOSED) return total > 0 ? 0 : LTCP_ECLOSED;
      if (k == LTCP__ERESET) return LTCP_ECLOSED; /* a reset is no orderly end */
      if (k < 0) return k;
      total++;
      out_add(o, c);
    }
  default: /* COUNT */
    if (prefix_len > 0 && count <= prefix_len) return 0;
    count -= prefix_len;
    if (count == 0) { /* waits for readability, consumes nothing */
      k = model_next(m, zt, 0, &c);
      if (k == 1) return 0;
      return k == 0 || k == LTCP__ERESET ? LTCP_ECLOSED : k;
    }
    while (total < count) {
      k = model_next(m, zt, 1, &c);
      if (k == 0 || k == LTCP__ERESET) return LTCP_ECLOSED;
      if (k < 0) return k;
      out_add(o, c);
      total++;
    }
    return 0;
  }
}

/* ---- building the script ---- */
static const int error_codes[] = {LTCP_ECLOSED,  LTCP__ERESET, LTCP_ENOTCONN,
                                  LTCP_EUNKNOWN, LTCP_ENOBUFS, LTCP__ERESET};

static void gen_bytes(unsigned char *dst, size_t n, unsigned seed, unsigned style) {
  uint64_t x = 0x9e3779b97f4a7c15ull ^ ((uint64_t)seed << 8 | style);
  unsigned lf = 1 + (style & 0x3f); /* one LF in about lf*8 bytes */
  size_t i;
  for (i = 0; i < n; i++) {
    uint64_t r = next_rand(&x);
    if (r % (lf * 8) == 0) dst[i] = '\n';
    else if ((style & 0x40) && r % 7 == 1) dst[i] = '\r';
    else dst[i] = (unsigned char)('a' + (r >> 8) % 26);
  }
}

static size_t build_script(script_t *s, reader_t *r) {
  size_t nitems = 1 + rd8(r) % MAX_ITEMS, i;
  s->stream_len = 0;
  s->nitems = 0;
  for (i = 0; i < nitems && r->n; i++) {
    item_t *it = &s->items[s->nitems];
    unsigned t = rd8(r);
    memset(it, 0, sizeof *it);
    if (t < 160) {
      size_t len = rd16(r);
      unsigned seed = rd8(r);
      if (t < 40) len %= 64;            /* mostly short runs, */
      else if (t % 8 != 0) len %= 4096; /* some medium, a few up to 64 KiB */
      if (len == 0) len = 1;
      if (len > MAX_STREAM - s->stream_len) break;
      it->type = IT_DATA;
      it->start = s->stream_len;
      it->len = len;
      if (t >= 150) { /* literal bytes from the input: CR/LF placements a generator misses */
        size_t k;
        for (k = 0; k < len; k++) s->stream[s->stream_len + k] = (unsigned char)rd8(r);
      } else {
        gen_bytes(s->stream + s->stream_len, len, seed, t);
      }
      s->stream_len += len;
    } else if (t < 190) {
      it->type = IT_WOULDBLOCK;
    } else if (t < 215) {
      it->type = IT_TIMEOUT;
    } else if (t < 235) {
      it->type = IT_EINTR;
    } else {
      it->type = IT_ERROR;
      it->code = error_codes[t % (sizeof error_codes / sizeof error_codes[0])];
    }
    s->nitems++;
  }
  return s->nitems;
}

static void fail(const char *what, int op, int pattern, size_t count, size_t limit, int got_rc,
                 int want_rc, size_t got_n, size_t want_n) {
  fprintf(stderr,
          "MISMATCH (%s) at op %d: pattern %d count %zu limit %zu: rc %d (want %d), %zu bytes "
          "(want %zu)\n",
          what, op, pattern, count, limit, got_rc, want_rc, got_n, want_n);
  abort();
}

/* A sink that runs out of memory at its fail_at-th prepare (0 = never). */
typedef struct oom_sink {
  ltcp_sink_t inner;
  int calls, fail_at;
} oom_sink_t;

static char *oom_prepare(void *ctx, size_t want) {
  oom_sink_t *o = ctx;
  if (o->fail_at && ++o->calls == o->fail_at) return NULL;
  return o->inner.prepare(o->inner.ctx, want);
}

static void oom_commit(void *ctx, size_t n) {
  oom_sink_t *o = ctx;
  o->inner.commit(o->inner.ctx, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static script_t s;
  static unsigned char *want_buf;
  static unsigned char prefix[256];
  reader_t r = {data, size};
  ltcp_t *t;
  fake_t f;
  model_t m;
  ltcp__transport_t tr;
  static ltcp_bytes_t b; /* kept across inputs: large sinks are costly to map again */
  ltcp_sink_t sink, oomsink;
  oom_sink_t oom;
  int op;
  if (!s.stream) {
    s.stream = malloc(MAX_STREAM);
    want_buf = malloc(MAX_STREAM + 512);
    if (!s.stream || !want_buf) abort();
  }
  if (size < 2) return 0;
  if (!build_script(&s, &r)) return 0;

  memset(&f, 0, sizeof f);
  f.s = &s;
  f.rng = 0x2545F4914F6CDD1Dull ^ (uint64_t)size ^ ((uint64_t)data[0] << 32);
  m.s = &s;
  m.item = m.off = m.consumed = 0;
  if (ltcp_new(&t, LTCP_FAMILY_UNSPEC) != 0) abort();
  tr.ctx = &f;
  tr.send = fake_send;
  tr.recv = fake_recv;
  tr.wait = fake_wait;
  ltcp__set_transport(t, &tr);
  b.len = 0;
  sink = ltcp_bytes_sink(&b);
  oom.inner = sink;
  oomsink.prepare = oom_prepare;
  oomsink.commit = oom_commit;
  oomsink.ctx = &oom;

  for (op = 0; op < 64 && r.n; op++) {
    fuzz_op = (unsigned)op;
    unsigned o = rd8(&r), flags = rd8(&r);
    int pattern = (int)(o % 3), zt = (flags & 1) != 0, rc, want_rc;
    size_t count = 0, limit = 0, maxsize = 0, cap, prefix_len = 0, k;
    out_t want;
    if (pattern == LTCP_RECV_COUNT) {
      count = rd16(&r);
      if (flags & 2) count *= 4; /* reach the direct path (>= 16 KiB) */
    }
    if (flags & 4) {
      limit = rd16(&r) % 20000;
      if (flags & 32) limit %= 64;
    }
    if (flags & 128) { /* an explicit maxsize (0 = the object's limit) */
      maxsize = rd16(&r) % 20000;
      if (flags & 32) maxsize %= 64;
    }
    if (flags & 8) {
      prefix_len = rd8(&r) % 200;
      for (k = 0; k < prefix_len; k++) prefix[k] = (unsigned char)('A' + k % 26);
      if (flags & 64) prefix_len = 0; /* a non-NULL prefix of length 0 */
    }
    ltcp_setlimit(t, limit);
    ltcp_settimeout(t, zt ? 0.0 : -1.0, 'b');

    want.d = want_buf;
    want.n = 0;
    memcpy(want.d, prefix, prefix_len);
    want.n = prefix_len;
    /* The cap: maxsize, else the limit for '*l' and '*a'. Argument errors touch nothing. */
    cap = maxsize ? maxsize : pattern == LTCP_RECV_COUNT ? 0 : limit;
    if ((cap && prefix_len >= cap) || (maxsize && pattern == LTCP_RECV_COUNT && count > maxsize)) {
      want.n = 0;
      want_rc = LTCP_EINVAL;
    } else {
      want_rc =
        model_receive(&m, pattern, count, prefix_len, cap ? cap - prefix_len : 0, zt, &want);
    }
    b.len = 0;
    oom.calls = 0;
    /* out of memory part-way through the call */
    oom.fail_at = (flags & 16) ? 1 + (int)(rd8(&r) % 6) : 0;
    rc =
      ltcp_receive_max(t, (ltcp_pattern_t)pattern, count, (flags & 8) ? (const char *)prefix : NULL,
                       prefix_len, maxsize, oom.fail_at ? &oomsink : &sink);
    if (rc == LTCP_ENOMEM && oom.fail_at) {
      /* the sink holds a prefix of what the call would have returned (nothing lost or made up
       * so far), and the rest of the call's bytes come next, each exactly once */
      size_t had = b.len, rest;
      if (had > want.n || (had && memcmp(b.data, want.d, had) != 0))
        fail("bytes before out of memory", op, pattern, count, limit, rc, want_rc, had, want.n);
      if (had < prefix_len) had = prefix_len; /* the prefix itself did not fit */
      rest = want.n - had;
      b.len = 0;
      if (pattern != LTCP_RECV_LINE && rest > 0) {
        /* COUNT and ALL return raw bytes: a COUNT fetches exactly the rest */
        rc = ltcp_receive(t, LTCP_RECV_COUNT, rest, NULL, 0, &sink);
        if (rc != 0 || b.len != rest || memcmp(b.data, want.d + had, rest) != 0)
          fail("bytes after out of memory", op, pattern, rest, limit, rc, 0, b.len, rest);
      } else if (pattern == LTCP_RECV_LINE && want_rc == 0) {
        /* a complete line: the next LINE returns the rest of it */
        ltcp_setlimit(t, 0);
        rc = ltcp_receive(t, LTCP_RECV_LINE, 0, NULL, 0, &sink);
        if (rc != 0 || b.len != rest || (rest && memcmp(b.data, want.d + had, rest) != 0))
          fail("line after out of memory", op, pattern, rest, limit, rc, 0, b.len, rest);
      }
      break; /* the object and the model may now disagree on look-ahead: stop here */
    }
    if (rc != want_rc) fail("status", op, pattern, count, limit, rc, want_rc, b.len, want.n);
    if (b.len != want.n || (want.n && memcmp(b.data, want.d, want.n) != 0))
      fail("bytes", op, pattern, count, limit, rc, want_rc, b.len, want.n);
    {
      /* received counts what the caller consumed, as LuaSocket's buffer does */
      double received = -1;
      ltcp_getstats(t, &received, NULL, NULL);
      if (received != (double)m.consumed)
        fail("received counter", op, pattern, count, limit, rc, want_rc, (size_t)received,
             m.consumed);
      if (m.consumed > f.delivered)
        fail("consumed more than delivered", op, pattern, count, limit, rc, want_rc, m.consumed,
             f.delivered);
    }
    if (ltcp_state(t) != LTCP_STATE_CLIENT) fail("state", op, pattern, count, limit, rc, 0, 0, 0);
  }
  ltcp_free(t);
  return 0;
}
