/* libFuzzer target: receiveuntil's matcher (ltcp_receive_until) over a scripted fake transport,
 * checked against a naive reference model. Any difference aborts.
 *
 * The input gives: two patterns over a small alphabet (so partial matches abound) with their
 * inclusive flags, the object's buffer size (down to 1 byte: the held bytes must make it grow), a
 * script of transport items (data runs, would-block, timeout, EINTR, one-shot errors, resets), and
 * a sequence of operations: iterator() / iterator(size) on either matcher, COUNT receives and
 * receive_any in between, with or without a zero timeout. Chunking is random (a PRNG seeded from
 * the input): the results must not depend on how the bytes were cut.
 *
 * The model knows only the stream, the events at their positions and `pos`, the first byte not yet
 * handed out; it searches every record from pos byte by byte (memcmp at each end position), so it
 * shares nothing with KMP. An event fires when a scan needs the byte at its position. What the
 * core holds back (bytes that may begin the pattern) is, in the model, simply not yet handed out:
 * a timeout's partial is the scanned bytes minus the longest suffix that is a proper prefix of the
 * pattern. Checked besides statuses and bytes: *end, received == pos, the object stays a client. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define MAX_ITEMS 48
#define MAX_STREAM (1u << 18)
#define MAX_PAT 64

enum { IT_DATA, IT_WOULDBLOCK, IT_TIMEOUT, IT_ERROR, IT_EINTR };

typedef struct item {
  int type;
  size_t start, len;
  int code;
} item_t;

typedef struct script {
  unsigned char *stream;
  size_t stream_len;
  item_t items[MAX_ITEMS];
  size_t nitems;
} script_t;

typedef struct reader {
  const uint8_t *p;
  size_t n;
} reader_t;

static unsigned rd8(reader_t *r) {
  if (!r->n) return 0;
  r->n--;
  return *r->p++;
}
static unsigned rd16(reader_t *r) {
  unsigned a = rd8(r);
  return a | (rd8(r) << 8);
}

static uint64_t next_rand(uint64_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

/* ---- fake transport: items in order, data cut at random ---- */
typedef struct fake {
  const script_t *s;
  size_t item, off;
  int pending_timeout;
  uint64_t rng;
} fake_t;

static int fake_recv(void *ctx, char *data, size_t len, size_t *got) {
  fake_t *f = ctx;
  const item_t *it;
  *got = 0;
  f->pending_timeout = 0;
  if (len == 0) abort();
  for (;;) {
    if (f->item >= f->s->nitems) return LTCP_ECLOSED;
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
    size_t n = it->len - f->off < len ? it->len - f->off : len;
    if (next_rand(&f->rng) % 3 == 0) n = 1 + (size_t)(next_rand(&f->rng) % n);
    memcpy(data, f->s->stream + it->start + f->off, n);
    f->off += n;
    *got = n;
    return 0;
  }
  case IT_WOULDBLOCK: f->item++; return LTCP__WOULDBLOCK;
  case IT_TIMEOUT:
    f->item++;
    f->pending_timeout = 1;
    return LTCP__WOULDBLOCK;
  case IT_EINTR: f->item++; return LTCP__EINTR;
  default: f->item++; return it->code;
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
  if (events != LTCP_POLLIN) abort();
  if (f->pending_timeout) {
    f->pending_timeout = 0;
    return LTCP_ETIMEOUT;
  }
  return 0;
}

/* ---- the model ---- */
typedef struct model {
  const script_t *s;
  size_t item, off; /* the item holding stream byte `scan` */
} model_t;

/* What a scan meets next (the model only walks forward): 1 = a byte (*c, consumed), 0 = the
 * end, <0 = an event (consumed). zt: would-block is a timeout. */
static int model_next(model_t *m, int zt, unsigned char *c) {
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
      *c = m->s->stream[it->start + m->off++];
      return 1;
    case IT_EINTR: m->item++; continue;
    case IT_WOULDBLOCK:
      m->item++;
      if (zt) return LTCP_ETIMEOUT;
      continue;
    case IT_TIMEOUT: m->item++; return LTCP_ETIMEOUT;
    default: m->item++; return it->code;
    }
  }
}

/* The model walks the stream with two cursors: pos (handed out) and scan (looked at). Bytes in
 * [pos, scan) are in the core's buffer. */
typedef struct state {
  model_t m;
  size_t pos, scan;
} state_t;

typedef struct matcher {
  unsigned char pat[MAX_PAT];
  size_t len;
  int inclusive;
  int ended;
  size_t rest;
  ltcp_until_t *u;
} matcher_t;

typedef struct out {
  unsigned char *d;
  size_t n;
} out_t;

static void out_add(out_t *o, const unsigned char *p, size_t n) {
  memcpy(o->d + o->n, p, n);
  o->n += n;
}

/* The byte at stream position x, scanning forward (x == st->scan means a new byte). */
static int byte_at(state_t *st, size_t x, int zt) {
  unsigned char c;
  int k;
  if (x < st->scan) return 1;
  k = model_next(&st->m, zt, &c);
  if (k == 1) st->scan++;
  return k;
}

/* Longest suffix of stream[from..x) that is a proper prefix of the pattern. */
static size_t held_of(const state_t *st, const matcher_t *mt, size_t from, size_t x) {
  size_t k = mt->len - 1 < x - from ? mt->len - 1 : x - from;
  for (; k > 0; k--)
    if (memcmp(st->m.s->stream + x - k, mt->pat, k) == 0) return k;
  return 0;
}

static int model_until(state_t *st, matcher_t *mt, size_t size, int zt, out_t *o, int *end) {
  const unsigned char *s = st->m.s->stream;
  size_t m = mt->len, room = size ? size : (size_t)-1, x = st->pos;
  *end = 0;
  if (size && mt->ended) {
    mt->ended = 0;
    *end = 1;
    return 0;
  }
  if (mt->rest) {
    size_t n = size && size < mt->rest ? size : mt->rest;
    out_add(o, mt->pat + m - mt->rest, n);
    mt->rest -= n;
    if (mt->rest == 0) {
      if (size) mt->ended = 1;
      else *end = 1;
    }
    return 0;
  }
  mt->ended = 0;
  for (;;) {
    int k;
    if (x - st->pos >= m && memcmp(s + x - m, mt->pat, m) == 0) { /* the first match ends at x */
      size_t rec = x - m - st->pos;
      out_add(o, s + st->pos, rec);
      if (!mt->inclusive) {
        if (!size || rec == 0) *end = 1;
        else mt->ended = 1;
      } else if (!size) {
        out_add(o, mt->pat, m);
        *end = 1;
      } else {
        size_t n = rec + m <= room ? m : room - rec;
        out_add(o, mt->pat, n);
        mt->rest = m - n;
        if (mt->rest == 0) mt->ended = 1;
      }
      st->pos = x;
      return 0;
    }
    if (x - held_of(st, mt, st->pos, x) - st->pos >= room) { /* a full piece */
      out_add(o, s + st->pos, room);
      st->pos += room;
      return 0;
    }
    k = byte_at(st, x, zt);
    if (k == 1) {
      x++;
      continue;
    }
    if (k == 0 || k == LTCP_ECLOSED || k == LTCP__ERESET) { /* never ends: all of it is data */
      size_t n = x - st->pos < room ? x - st->pos : room;
      out_add(o, s + st->pos, n);
      st->pos += n;
      return LTCP_ECLOSED;
    }
    {
      size_t d = x - held_of(st, mt, st->pos, x) - st->pos;
      out_add(o, s + st->pos, d);
      st->pos += d;
      return k;
    }
  }
}

static int model_count(state_t *st, size_t count, int zt, out_t *o) {
  size_t x = st->pos;
  int k;
  if (count == 0) { /* waits for readability, consumes nothing */
    k = byte_at(st, x, zt);
    if (k == 1) return 0;
    return k == 0 || k == LTCP__ERESET ? LTCP_ECLOSED : k;
  }
  while (x - st->pos < count) {
    k = byte_at(st, x, zt);
    if (k != 1) {
      out_add(o, st->m.s->stream + st->pos, x - st->pos);
      st->pos = x;
      return k == 0 || k == LTCP__ERESET ? LTCP_ECLOSED : k;
    }
    x++;
  }
  out_add(o, st->m.s->stream + st->pos, count);
  st->pos += count;
  return 0;
}

static void fail(const char *what, int op, int kind, size_t n, int got_rc, int want_rc,
                 size_t got_n, size_t want_n) {
  fprintf(stderr,
          "MISMATCH (%s) at op %d: kind %d arg %zu: rc %d (want %d), %zu bytes (want %zu)\n", what,
          op, kind, n, got_rc, want_rc, got_n, want_n);
  abort();
}

static size_t build_script(script_t *s, reader_t *r, const matcher_t *mt) {
  size_t nitems = 1 + rd8(r) % MAX_ITEMS, i;
  s->stream_len = 0;
  s->nitems = 0;
  for (i = 0; i < nitems && r->n; i++) {
    item_t *it = &s->items[s->nitems];
    unsigned t = rd8(r);
    memset(it, 0, sizeof *it);
    if (t < 170) {
      size_t len = 1 + rd16(r) % (t < 60 ? 16 : t % 8 == 0 ? 8192 : 512), k;
      uint64_t x = 0x9e3779b97f4a7c15ull ^ ((uint64_t)rd8(r) << 8 | t);
      if (len > MAX_STREAM - s->stream_len) break;
      it->type = IT_DATA;
      it->start = s->stream_len;
      it->len = len;
      for (k = 0; k < len; k++) {
        uint64_t v = next_rand(&x);
        const matcher_t *p = &mt[v & 1];
        if (t >= 160) s->stream[s->stream_len + k] = (unsigned char)rd8(r);
        else if (v % 11 == 0 && len - k >= p->len) { /* a whole or most of a pattern */
          size_t n = (v >> 8) % 2 ? p->len : 1 + (v >> 16) % p->len;
          memcpy(s->stream + s->stream_len + k, p->pat, n);
          k += n - 1;
        } else {
          s->stream[s->stream_len + k] = p->pat[(v >> 24) % p->len];
        }
      }
      s->stream_len += len;
    } else if (t < 195) {
      it->type = IT_WOULDBLOCK;
    } else if (t < 215) {
      it->type = IT_TIMEOUT;
    } else if (t < 235) {
      it->type = IT_EINTR;
    } else {
      static const int codes[] = {LTCP_ECLOSED, LTCP__ERESET, LTCP_ENOTCONN, LTCP_EUNKNOWN};
      it->type = IT_ERROR;
      it->code = codes[t % 4];
    }
    s->nitems++;
  }
  return s->nitems;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static script_t s;
  static unsigned char *want_buf;
  static ltcp_bytes_t b;
  reader_t r = {data, size};
  matcher_t mt[2];
  state_t st;
  fake_t f;
  ltcp__transport_t tr;
  ltcp_t *t;
  ltcp_sink_t sink;
  int op, i;
  if (!s.stream) {
    s.stream = malloc(MAX_STREAM);
    want_buf = malloc(MAX_STREAM + 2 * MAX_PAT);
    if (!s.stream || !want_buf) abort();
  }
  if (size < 4) return 0;
  for (i = 0; i < 2; i++) { /* patterns over 'a', 'b' (and 'c'): many partial matches */
    unsigned spec = rd8(&r), k;
    mt[i].len = 1 + (spec & 0x3f) % (i ? MAX_PAT : 8);
    mt[i].inclusive = (spec & 0x40) != 0;
    mt[i].ended = 0;
    mt[i].rest = 0;
    for (k = 0; k < mt[i].len; k++)
      mt[i].pat[k] = (unsigned char)('a' + rd8(&r) % ((spec & 0x80) ? 3 : 2));
    if (ltcp_until_new(&mt[i].u, (const char *)mt[i].pat, mt[i].len,
                       mt[i].inclusive ? LTCP_UNTIL_INCLUSIVE : 0) != 0)
      abort();
  }
  if (!build_script(&s, &r, mt)) {
    ltcp_until_free(mt[0].u);
    ltcp_until_free(mt[1].u);
    return 0;
  }
  memset(&f, 0, sizeof f);
  f.s = &s;
  f.rng = 0x2545F4914F6CDD1Dull ^ (uint64_t)size ^ ((uint64_t)data[0] << 32);
  memset(&st, 0, sizeof st);
  st.m.s = &s;
  if (ltcp_new(&t, LTCP_FAMILY_UNSPEC) != 0) abort();
  tr.ctx = &f;
  tr.send = fake_send;
  tr.recv = fake_recv;
  tr.wait = fake_wait;
  ltcp__set_transport(t, &tr);
  if (rd8(&r) & 1) ltcp_setbufsize(t, 1 + rd8(&r) % 64);
  sink = ltcp_bytes_sink(&b);

  for (op = 0; op < 96 && r.n; op++) {
    unsigned o = rd8(&r), flags = rd8(&r);
    int kind = (int)(o % 6), zt = (flags & 1) != 0, rc, want_rc, end = -1, want_end = 0;
    size_t n = 0;
    out_t want;
    want.d = want_buf;
    want.n = 0;
    b.len = 0;
    ltcp_settimeout(t, zt ? 0.0 : -1.0, 'b');
    if (kind <= 3) { /* receive_until on matcher kind & 1, size 0 or 1.. */
      matcher_t *m = &mt[kind & 1];
      n = kind >= 2 ? 1 + rd8(&r) % ((flags & 2) ? 4 : 200) : 0;
      want_rc = model_until(&st, m, n, zt, &want, &want_end);
      rc = ltcp_receive_until(t, m->u, n, &sink, &end);
      if (rc == 0 && end != want_end) fail("end", op, kind, n, rc, want_rc, end, want_end);
      if (rc != 0 && end != 0) fail("end on error", op, kind, n, rc, want_rc, end, 0);
      if (n && b.len > n) fail("piece size", op, kind, n, rc, want_rc, b.len, n);
    } else if (kind == 4) {
      n = rd8(&r) % 40;
      want_rc = model_count(&st, n, zt, &want);
      rc = ltcp_receive(t, LTCP_RECV_COUNT, n, NULL, 0, &sink);
    } else { /* receive_any: a prefix of what is there, or the event at pos */
      n = 1 + rd16(&r) % ((flags & 2) ? 8 : 40000);
      rc = ltcp_receive_any(t, n, &sink);
      if (rc == 0) {
        size_t k;
        if (b.len == 0 || b.len > n) fail("any length", op, kind, n, rc, 0, b.len, n);
        for (k = 0; k < b.len; k++)
          if (byte_at(&st, st.pos + k, zt) != 1)
            fail("any past an event", op, kind, n, rc, 0, k, 0);
        out_add(&want, s.stream + st.pos, b.len);
        st.pos += b.len;
        want_rc = 0;
      } else {
        int k = byte_at(&st, st.pos, zt);
        if (k == 1) fail("any failed with data there", op, kind, n, rc, 0, 0, 1);
        want_rc = k == 0 || k == LTCP__ERESET ? LTCP_ECLOSED : k;
      }
    }
    if (rc != want_rc) fail("status", op, kind, n, rc, want_rc, b.len, want.n);
    if (b.len != want.n || (want.n && memcmp(b.data, want.d, want.n) != 0))
      fail("bytes", op, kind, n, rc, want_rc, b.len, want.n);
    {
      double received = -1;
      ltcp_getstats(t, &received, NULL, NULL);
      if (received != (double)st.pos)
        fail("received counter", op, kind, n, rc, want_rc, (size_t)received, st.pos);
    }
    if (ltcp_state(t) != LTCP_STATE_CLIENT) fail("state", op, kind, n, rc, 0, 0, 0);
  }
  ltcp_free(t);
  ltcp_until_free(mt[0].u);
  ltcp_until_free(mt[1].u);
  return 0;
}
