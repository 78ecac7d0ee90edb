/* Bounded memory: ltcp_setlimit(t, n), the default maxsize. LINE and ALL receives stop at n bytes
 * with LTCP_ELIMIT ("oversized");
 * the data so far is in the sink and the excess stays buffered for the next call. COUNT is not
 * limited (the caller already bounds it). First over an in-memory transport (every chunking),
 * then over real loopback sockets with a peer that never sends a newline.
 * Invariant checked everywhere: nothing is lost or duplicated across calls that hit the limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_transport.h"
#include "net_helpers.h"
#include "test_util.h"

typedef struct got {
  int rc;
  size_t len;
  char data[256];
} got_t;

#if LT_FAMILY == 4 /* fake transport, no family: in the IPv4 program only */
static got_t recv1(ltcp_t *t, ltcp_pattern_t pat, size_t count) {
  ltcp_bytes_t b;
  ltcp_sink_t s;
  got_t g;
  ltcp_bytes_init(&b);
  s = ltcp_bytes_sink(&b);
  g.rc = ltcp_receive(t, pat, count, NULL, 0, &s);
  g.len = b.len;
  memcpy(g.data, b.data ? b.data : "", b.len < sizeof g.data ? b.len : sizeof g.data);
  g.data[b.len < sizeof g.data ? b.len : sizeof g.data - 1] = '\0';
  ltcp_bytes_free(&b);
  return g;
}

#define expect(g, want_rc, want)                                                                   \
  do {                                                                                             \
    got_t g_ = (g);                                                                                \
    ck_assert_msg(g_.rc == (want_rc), "rc %d (%s), expected %d (%s); data '%s'", g_.rc,            \
                  ltcp_strerror(g_.rc), (want_rc), ltcp_strerror(want_rc), g_.data);               \
    ck_assert_msg(g_.len == strlen(want) && memcmp(g_.data, want, g_.len) == 0,                    \
                  "data '%s' (%zu bytes), expected '%s'", g_.data, g_.len, want);                  \
  } while (0)

/* The client under test reads `len` bytes of `data` over the fake transport, at most `chunk`
 * bytes per recv (0: as much as asked), then the end: closed, or would-block forever. One per
 * test (Check runs each in its own process, or one after another without fork). */
static fake_transport_t fk;

static ltcp_t *fake_client(const char *data, size_t len, size_t chunk, int end_closed) {
  ft_init(&fk);
  ft_add_data(&fk, data, len);
  fk.recv_max = chunk;
  fk.end = end_closed ? FT_END_CLOSED : FT_END_BLOCK;
  return ft_object(&fk);
}

static void fake_done(ltcp_t *t) {
  ft_object_free(t);
  ft_free(&fk);
}

/* _i = chunk size for the fake transport: 1, 2, 3, 5, 7, 64 bytes, and 0 = all at once. */
static const size_t chunks[] = {1, 2, 3, 5, 7, 64, 0};
#define NCHUNKS 7

START_TEST(line_over_limit) {
  static const char in[] = "0123456789abcdef\nshort\nxy";
  ltcp_t *t = fake_client(in, sizeof in - 1, chunks[_i], 1);
  lt_assert_rc(ltcp_setlimit(t, 10), 0);
  expect(recv1(t, LTCP_RECV_LINE, 0), LTCP_ELIMIT, "0123456789");
  expect(recv1(t, LTCP_RECV_LINE, 0), 0, "abcdef"); /* the excess stayed buffered */
  expect(recv1(t, LTCP_RECV_LINE, 0), 0, "short");
  expect(recv1(t, LTCP_RECV_LINE, 0), LTCP_ECLOSED, "xy");
  fake_done(t);
}
END_TEST

/* A line of exactly `limit` bytes is within the limit, however its LF arrives. */
START_TEST(line_exactly_limit) {
  static const char in[] = "0123456789\nnext\n";
  ltcp_t *t = fake_client(in, sizeof in - 1, chunks[_i], 1);
  lt_assert_rc(ltcp_setlimit(t, 10), 0);
  expect(recv1(t, LTCP_RECV_LINE, 0), 0, "0123456789");
  expect(recv1(t, LTCP_RECV_LINE, 0), 0, "next");
  fake_done(t);
}
END_TEST

/* CRs are not payload: they do not count toward the limit (the line drops them), and the CRs
 * right after a full limit go with the line; the first payload byte past it stays buffered. */
START_TEST(line_limit_crs_not_payload) {
  static const char in[] = "a\r\rb\r\nab\r\rc\r\n";
  ltcp_t *t = fake_client(in, sizeof in - 1, chunks[_i], 1);
  lt_assert_rc(ltcp_setlimit(t, 2), 0);
  expect(recv1(t, LTCP_RECV_LINE, 0), 0, "ab");
  expect(recv1(t, LTCP_RECV_LINE, 0), LTCP_ELIMIT, "ab");
  expect(recv1(t, LTCP_RECV_LINE, 0), 0, "c");
  fake_done(t);
}
END_TEST

START_TEST(all_over_limit) {
  static char in[251]; /* 250 bytes and a NUL, so in + 200 is a string */
  char want[101];
  size_t k;
  ltcp_t *t;
  for (k = 0; k < 250; k++) in[k] = (char)('a' + k % 26);
  t = fake_client(in, 250, chunks[_i], 1);
  lt_assert_rc(ltcp_setlimit(t, 100), 0);
  for (k = 0; k < 2; k++) {
    memcpy(want, in + 100 * k, 100);
    want[100] = '\0';
    expect(recv1(t, LTCP_RECV_ALL, 0), LTCP_ELIMIT, want);
  }
  expect(recv1(t, LTCP_RECV_ALL, 0), 0, in + 200); /* the last 50, then the end */
  expect(recv1(t, LTCP_RECV_ALL, 0), LTCP_ECLOSED, "");
  fake_done(t);
}
END_TEST

START_TEST(all_exactly_limit) {
  static const char in[] = "0123456789";
  ltcp_t *t = fake_client(in, 10, chunks[_i], 1);
  lt_assert_rc(ltcp_setlimit(t, 10), 0);
  expect(recv1(t, LTCP_RECV_ALL, 0), 0, "0123456789"); /* the stream ended within the limit */
  fake_done(t);
}
END_TEST

/* The peer has not closed: ALL at the limit reports the limit, not a timeout. */
START_TEST(all_limit_open_stream) {
  static const char in[] = "0123456789ABCDEF";
  ltcp_t *t = fake_client(in, 16, chunks[_i], 0);
  lt_assert_rc(ltcp_setlimit(t, 10), 0);
  expect(recv1(t, LTCP_RECV_ALL, 0), LTCP_ELIMIT, "0123456789");
  expect(recv1(t, LTCP_RECV_ALL, 0), LTCP_ETIMEOUT, "ABCDEF");
  fake_done(t);
}
END_TEST

START_TEST(count_not_limited) {
  static char in[300];
  got_t g;
  ltcp_t *t;
  memset(in, 'z', sizeof in);
  t = fake_client(in, sizeof in, chunks[_i], 1);
  lt_assert_rc(ltcp_setlimit(t, 10), 0);
  g = recv1(t, LTCP_RECV_COUNT, 200);
  lt_assert_rc(g.rc, 0);
  ck_assert_uint_eq(g.len, 200);
  lt_assert_rc(ltcp_setlimit(t, 0), 0); /* 0 = unlimited again */
  g = recv1(t, LTCP_RECV_ALL, 0);
  lt_assert_rc(g.rc, 0);
  ck_assert_uint_eq(g.len, 100);
  fake_done(t);
}
END_TEST

/* ---- a sink that runs out of memory part-way ---- */

/* A byte-string sink whose prepare fails (out of memory) on call number `fail_at`. */
typedef struct failing {
  ltcp_bytes_t b;
  ltcp_sink_t inner;
  int calls, fail_at;
} failing_t;

static char *failing_prepare(void *ctx, size_t want) {
  failing_t *f = ctx;
  if (++f->calls == f->fail_at) return NULL;
  return f->inner.prepare(f->inner.ctx, want);
}

static void failing_commit(void *ctx, size_t n) {
  failing_t *f = ctx;
  f->inner.commit(f->inner.ctx, n);
}

/* "On error the sink holds the prefix plus the partial data": whatever an LTCP_ENOMEM left in
 * the sink was consumed, so sink + the next receive = the line, each byte exactly once. CRs make
 * the line go to the sink in several pieces, so the failure can come between two of them. */
START_TEST(oom_midway_line) {
  static const char in[] = "ab\rcd\ref\nrest\n";
  failing_t f;
  ltcp_sink_t s;
  got_t g;
  char joined[320];
  int rc;
  ltcp_t *t = fake_client(in, sizeof in - 1, chunks[_i], 1);
  ltcp_bytes_init(&f.b);
  f.inner = ltcp_bytes_sink(&f.b);
  f.calls = 0;
  f.fail_at = 2; /* "ab" goes in, "cd" does not */
  s.prepare = failing_prepare;
  s.commit = failing_commit;
  s.ctx = &f;
  rc = ltcp_receive(t, LTCP_RECV_LINE, 0, NULL, 0, &s);
  if (rc == 0) {
    /* The line reached the sink in fewer prepares than fail_at (the core asks once per
     * buffered run): nothing failed, so the line must simply be whole. */
    ck_assert_msg(f.calls < f.fail_at, "success although prepare #%d failed", f.fail_at);
    ck_assert_str_eq(f.b.data, "abcdef");
    expect(recv1(t, LTCP_RECV_LINE, 0), 0, "rest");
    ltcp_bytes_free(&f.b);
    fake_done(t);
    return;
  }
  lt_assert_rc(rc, LTCP_ENOMEM);
  g = recv1(t, LTCP_RECV_LINE, 0);
  lt_assert_rc(g.rc, 0);
  snprintf(joined, sizeof joined, "%.*s%s", (int)f.b.len, f.b.data ? f.b.data : "", g.data);
  ck_assert_msg(strcmp(joined, "abcdef") == 0,
                "after ENOMEM the sink held '%.*s' and the next line was '%s': '%s', expected "
                "'abcdef' (bytes lost or duplicated)",
                (int)f.b.len, f.b.data ? f.b.data : "", g.data, joined);
  expect(recv1(t, LTCP_RECV_LINE, 0), 0, "rest");
  ltcp_bytes_free(&f.b);
  fake_done(t);
}
END_TEST
#endif /* the fake-transport cases */

/* ---- real sockets: a peer that never sends a newline ---- */

/* Fill the peer->cli direction with up to `max` bytes of 'x' (never blocks: timeout 0). */
static size_t flood(ltcp_t *peer, size_t max) {
  static char buf[65536];
  size_t total = 0;
  memset(buf, 'x', sizeof buf);
  lt_assert_rc(ltcp_settimeout(peer, 0.0, 'b'), 0);
  while (total < max) {
    long long last = 0;
    size_t n = max - total < sizeof buf ? max - total : sizeof buf;
    int rc = ltcp_send(peer, buf, n, 1, -1, &last);
    total += (size_t)last;
    if (rc == LTCP_ETIMEOUT) break;
    lt_assert_rc(rc, 0);
  }
  return total;
}

START_TEST(socket_line_no_newline) {
  ltcp_t *cli, *peer;
  ltcp_bytes_t b;
  ltcp_sink_t s;
  size_t sent, k, seen = 0;
  int rc;
  double t0;
  lt_pair(LT_FAM, &cli, &peer);
  sent = flood(peer, 8u << 20);
  ck_assert_uint_gt(sent, 100000);
  lt_assert_rc(ltcp_setlimit(cli, 40000), 0);
  lt_assert_rc(ltcp_settimeout(cli, 5.0, 't'), 0);
  ltcp_bytes_init(&b);
  s = ltcp_bytes_sink(&b);
  t0 = lt_now();
  rc = ltcp_receive(cli, LTCP_RECV_LINE, 0, NULL, 0, &s);
  lt_assert_rc(rc, LTCP_ELIMIT);
  ck_assert_msg(lt_now() - t0 < 2.0, "the limit must end the call, not the timeout");
  ck_assert_uint_eq(b.len, 40000);
  ck_assert_msg(b.cap <= 2u * 40000 + 256, "sink grew to %zu bytes for a 40000 limit", b.cap);
  for (k = 0; k < b.len; k++) ck_assert(b.data[k] == 'x');
  seen += b.len;
  /* ALL, limited too: it stops at the limit even though the peer keeps the connection open */
  b.len = 0;
  rc = ltcp_receive(cli, LTCP_RECV_ALL, 0, NULL, 0, &s);
  lt_assert_rc(rc, LTCP_ELIMIT);
  ck_assert_uint_eq(b.len, 40000);
  seen += b.len;
  /* the rest is all there: count it with COUNT receives (not limited) */
  lt_assert_rc(ltcp_settimeout(cli, 0.5, 't'), 0);
  while (seen < sent) {
    size_t want = sent - seen < 65536 ? sent - seen : 65536;
    b.len = 0;
    rc = ltcp_receive(cli, LTCP_RECV_COUNT, want, NULL, 0, &s);
    seen += b.len;
    if (rc) break;
  }
  lt_assert_rc(rc, 0);
  ck_assert_uint_eq(seen, sent);
  ltcp_bytes_free(&b);
  lt_dispose(cli);
  lt_dispose(peer);
}
END_TEST

static Suite *limit_suite(void) {
  Suite *s = suite_create("reliability_limit");
  TCase *tc;
#if LT_FAMILY == 4 /* no family: once, in the IPv4 program */
  tc = tcase_create("fake_transport");
  tcase_set_timeout(tc, LT_SLOW_TIMEOUT);
  tcase_add_loop_test(tc, line_over_limit, 0, NCHUNKS);
  tcase_add_loop_test(tc, line_exactly_limit, 0, NCHUNKS);
  tcase_add_loop_test(tc, line_limit_crs_not_payload, 0, NCHUNKS);
  tcase_add_loop_test(tc, all_over_limit, 0, NCHUNKS);
  tcase_add_loop_test(tc, all_exactly_limit, 0, NCHUNKS);
  tcase_add_loop_test(tc, all_limit_open_stream, 0, NCHUNKS);
  tcase_add_loop_test(tc, count_not_limited, 0, NCHUNKS);
  tcase_add_loop_test(tc, oom_midway_line, 0, NCHUNKS);
  suite_add_tcase(s, tc);
#endif
  tc = tcase_create("sockets");
  tcase_set_timeout(tc, LT_SLOW_TIMEOUT);
  tcase_add_test(tc, socket_line_no_newline);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_main_family(limit_suite(), LT_FAM);
}
