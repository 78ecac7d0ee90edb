/* ltcp_receive_until (receiveuntil's matcher) and ltcp_receive_any over the fake transport. Every
 * scenario runs for every way its input can arrive in pieces (all splits of short inputs), and a
 * long random stream is checked against a naive matcher at many chunk sizes: the records must not
 * depend on how the bytes were cut, bytes that may begin the pattern are never lost (other
 * receive calls and errors see them), and the iterator(size) protocol is OpenResty's. */
#include <stdlib.h>
#include <string.h>

#include "fake_transport.h"
#include "test_util.h"

enum { U, ANY, CNT, ALL };
#define ENDREC 2 /* want: the record's end (*end set) */

typedef struct op {
  int kind; /* U: ltcp_receive_until(size = n); ANY: receive_any(n); CNT/ALL: ltcp_receive */
  size_t n;
  int rc;
  const char *want;
  int end; /* U: 1 = *end must be set */
} op_t;

typedef struct scenario {
  const char *name;
  const char *pattern;
  int flags;
  const char *in;
  size_t stall_at; /* > 0: after this many bytes one wait times out */
  int end;         /* FT_END_CLOSED, FT_END_BLOCK, or an error code (< 0) */
  op_t ops[12];
} scenario_t;

#define END                                                                                        \
  { 0, 0, 0, NULL, 0 }
#define INC LTCP_UNTIL_INCLUSIVE

static const scenario_t scenarios[] = {
  {"OpenResty's example",
   "\r\n--abcedhb",
   0,
   "hello, world! -agentzh\r\n--abcedhb blah blah",
   0,
   FT_END_CLOSED,
   {{U, 0, 0, "hello, world! -agentzh", 1}, {ALL, 0, 0, " blah blah", 0}, END}},
  {"OpenResty's size example",
   "\r\n--abcedhb",
   0,
   "hello, world! -agentzh\r\n--abcedhb blah blah",
   0,
   FT_END_CLOSED,
   {{U, 4, 0, "hell", 0},
    {U, 4, 0, "o, w", 0},
    {U, 4, 0, "orld", 0},
    {U, 4, 0, "! -a", 0},
    {U, 4, 0, "gent", 0},
    {U, 4, 0, "zh", 0},
    {U, 4, 0, "", 1},
    {U, 4, 0, " bla", 0},
    {U, 4, 0, "h bl", 0},
    {U, 4, LTCP_ECLOSED, "ah", 0},
    END}},
  {"overlapping prefix",
   "aab",
   0,
   "aaabx",
   0,
   FT_END_CLOSED,
   {{U, 0, 0, "a", 1}, {U, 0, LTCP_ECLOSED, "x", 0}, END}},
  {"self-overlapping pattern",
   "abab",
   0,
   "abababx ababab",
   0,
   FT_END_CLOSED,
   {{U, 0, 0, "", 1}, {U, 0, 0, "abx ", 1}, {U, 0, LTCP_ECLOSED, "ab", 0}, END}},
  {"near misses",
   "abcabd",
   0,
   "abcabcabdabcab",
   0,
   FT_END_CLOSED,
   {{U, 0, 0, "abc", 1}, {U, 0, LTCP_ECLOSED, "abcab", 0}, END}},
  {"one-byte pattern, empty records",
   "\n",
   0,
   "\n\nx\n",
   0,
   FT_END_CLOSED,
   {{U, 0, 0, "", 1}, {U, 0, 0, "", 1}, {U, 0, 0, "x", 1}, {U, 0, LTCP_ECLOSED, "", 0}, END}},
  {"inclusive",
   "\r\n",
   INC,
   "a\r\nb\r\n",
   0,
   FT_END_CLOSED,
   {{U, 0, 0, "a\r\n", 1}, {U, 0, 0, "b\r\n", 1}, {U, 0, LTCP_ECLOSED, "", 0}, END}},
  {"inclusive in pieces",
   "XYZ",
   INC,
   "abXYZc",
   0,
   FT_END_CLOSED,
   {{U, 2, 0, "ab", 0},
    {U, 2, 0, "XY", 0},
    {U, 2, 0, "Z", 0},
    {U, 2, 0, "", 1},
    {U, 2, LTCP_ECLOSED, "c", 0},
    END}},
  {"inclusive: the rest of the pattern by iterator()",
   "XYZ",
   INC,
   "abXYZ",
   0,
   FT_END_CLOSED,
   {{U, 3, 0, "abX", 0}, {U, 0, 0, "YZ", 1}, {U, 0, LTCP_ECLOSED, "", 0}, END}},
  {"size mode: the pattern first",
   "--",
   0,
   "--ab--",
   0,
   FT_END_CLOSED,
   {{U, 3, 0, "", 1}, {U, 3, 0, "ab", 0}, {U, 3, 0, "", 1}, {U, 3, LTCP_ECLOSED, "", 0}, END}},
  {"size mode: a piece that fills up right before the pattern",
   "--",
   0,
   "abcd--e",
   0,
   FT_END_CLOSED,
   {{U, 2, 0, "ab", 0}, {U, 2, 0, "cd", 0}, {U, 2, 0, "", 1}, {U, 0, LTCP_ECLOSED, "e", 0}, END}},
  {"size mode: a held byte that turns out to be data",
   "-X",
   0,
   "ab-cd-X",
   0,
   FT_END_CLOSED,
   {{U, 3, 0, "ab-", 0}, {U, 3, 0, "cd", 0}, {U, 3, 0, "", 1}, END}},
  {"a timeout keeps the held bytes buffered",
   "--X",
   0,
   "ab--Xcd",
   3,
   FT_END_CLOSED,
   {{U, 0, LTCP_ETIMEOUT, "ab", 0}, {U, 0, 0, "", 1}, {U, 0, LTCP_ECLOSED, "cd", 0}, END}},
  {"held bytes are there for other receives",
   "--X",
   0,
   "ab-cd",
   3,
   FT_END_CLOSED,
   {{U, 0, LTCP_ETIMEOUT, "ab", 0}, {CNT, 3, 0, "-cd", 0}, END}},
  {"the end of the stream: held bytes are data",
   "abc",
   0,
   "xxab",
   0,
   FT_END_CLOSED,
   {{U, 0, LTCP_ECLOSED, "xxab", 0}, END}},
  {"a reset is closed", "abc", 0, "xxa", 0, LTCP__ERESET, {{U, 0, LTCP_ECLOSED, "xxa", 0}, END}},
  {"an open stream times out with the partial",
   "END",
   0,
   "abcEN",
   0,
   FT_END_BLOCK,
   {{U, 0, LTCP_ETIMEOUT, "abc", 0}, {ANY, 10, 0, "EN", 0}, END}},
  {"mixed with receive",
   "|",
   0,
   "ab|cd|ef|",
   0,
   FT_END_CLOSED,
   {{U, 0, 0, "ab", 1},
    {CNT, 1, 0, "c", 0},
    {U, 0, 0, "d", 1},
    {CNT, 2, 0, "ef", 0},
    {U, 0, 0, "", 1},
    END}},
  {"receive_any: what has arrived, up to max",
   "x",
   0,
   "hello world",
   0,
   FT_END_CLOSED,
   {{ANY, 11, 0, NULL, 0}, END}},
  {"receive_any: nothing yet", "x", 0, "", 0, FT_END_BLOCK, {{ANY, 5, LTCP_ETIMEOUT, "", 0}, END}},
  {"receive_any: the end, a reset",
   "x",
   0,
   "ab",
   0,
   LTCP__ERESET,
   {{ANY, 2, 0, NULL, 0}, {ANY, 2, LTCP_ECLOSED, "", 0}, END}},
};
#define NSCENARIOS ((int)(sizeof scenarios / sizeof scenarios[0]))

/* receive_any with want NULL: drain with max n until the end; the pieces must be the input. */
static void any_drain(ltcp_t *t, const scenario_t *sc, size_t max, unsigned long cuts) {
  ltcp_bytes_t all, b;
  ltcp_sink_t sink;
  int rc, calls = 0;
  ltcp_bytes_init(&all);
  for (;;) {
    ltcp_bytes_init(&b);
    sink = ltcp_bytes_sink(&b);
    rc = ltcp_receive_any(t, max, &sink);
    if (rc) {
      lt_check(rc == LTCP_ECLOSED && b.len == 0, "%s split %lu: rc %d with %zu bytes", sc->name,
               cuts, rc, b.len);
      ltcp_bytes_free(&b);
      break;
    }
    lt_check(b.len >= 1 && b.len <= max, "%s: a piece of %zu bytes", sc->name, b.len);
    sink = ltcp_bytes_sink(&all);
    lt_check(ltcp__sink_append(&sink, b.data, b.len) == 0, "%s: append failed", sc->name);
    ltcp_bytes_free(&b);
    lt_check(++calls < 1000, "%s: receive_any never ends", sc->name);
  }
  lt_assert_bytes(all.data, all.len, sc->in, strlen(sc->in));
  ltcp_bytes_free(&all);
}

START_TEST(scenario_every_split) {
  const scenario_t *sc = &scenarios[_i];
  unsigned long cuts, n = ft_splits(strlen(sc->in));
  for (cuts = 0; cuts < n; cuts++) {
    fake_transport_t *f = malloc(sizeof *f);
    ltcp_until_t *u = NULL;
    ltcp_t *t;
    const op_t *op;
    lt_check(f != NULL, "out of memory");
    ft_init(f);
    ft_script_split(f, sc->in, strlen(sc->in), cuts, sc->stall_at, sc->end);
    t = ft_object(f);
    lt_assert_rc(ltcp_until_new(&u, sc->pattern, strlen(sc->pattern), sc->flags), 0);
    for (op = sc->ops; op->kind || op->want || op->n; op++) {
      ltcp_bytes_t b;
      ltcp_sink_t sink;
      int rc, end = -1;
      if (op->kind == ANY && !op->want) {
        any_drain(t, sc, op->n, cuts);
        continue;
      }
      ltcp_bytes_init(&b);
      sink = ltcp_bytes_sink(&b);
      switch (op->kind) {
      case U: rc = ltcp_receive_until(t, u, op->n, &sink, &end); break;
      case ANY: rc = ltcp_receive_any(t, op->n, &sink); break;
      case CNT: rc = ltcp_receive(t, LTCP_RECV_COUNT, op->n, NULL, 0, &sink); break;
      default: rc = ltcp_receive(t, LTCP_RECV_ALL, 0, NULL, 0, &sink); break;
      }
      lt_check(rc == op->rc && b.len == strlen(op->want) &&
                 (b.len == 0 || memcmp(b.data, op->want, b.len) == 0),
               "%s, split %lu, op %d: rc %d (%s) '%.*s', expected %d '%s'", sc->name, cuts,
               (int)(op - sc->ops), rc, ltcp_strerror(rc), (int)b.len, b.data ? b.data : "", op->rc,
               op->want);
      if (op->kind == U)
        lt_check(end == (rc == 0 ? op->end : 0), "%s, split %lu, op %d: end %d", sc->name, cuts,
                 (int)(op - sc->ops), end);
      ltcp_bytes_free(&b);
    }
    ltcp_until_free(u);
    ft_object_free(t);
    ft_free(f);
    free(f);
  }
}
END_TEST

/* ---- a long stream against a naive matcher ---- */

/* Records of `in` split at `pat` (searched from each record's start, byte by byte). */
static size_t naive_next(const char *in, size_t len, size_t from, const char *pat, size_t m,
                         size_t *rec_len) {
  size_t i;
  for (i = from; i + m <= len; i++)
    if (memcmp(in + i, pat, m) == 0) {
      *rec_len = i - from;
      return i + m;
    }
  *rec_len = len - from;
  return (size_t)-1;
}

static char *gen_stream(const char *pat, size_t m, size_t len, unsigned seed) {
  char *s = malloc(len);
  unsigned x = seed * 2654435761u + 1;
  size_t i = 0;
  ck_assert_ptr_nonnull(s);
  while (i < len) {
    x = x * 1103515245u + 12345u;
    if ((x >> 16) % 7 == 0 && i + m <= len) { /* the pattern, or most of it (near misses) */
      size_t k = (x >> 8) % 3 == 0 ? m : 1 + (x >> 4) % m;
      memcpy(s + i, pat, k);
      i += k;
    } else {
      s[i++] = pat[(x >> 20) % m]; /* bytes of the pattern's alphabet */
    }
  }
  return s;
}

/* _i: pattern (2-byte, 40-byte, periodic) x chunk size; iterator() and iterator(7) both. */
START_TEST(long_stream_matches_naive) {
  static const char *const pats[] = {"\r\n", "--boundary-0123456789-abcdefghij-KLMNOPQ", "abaabab"};
  static const size_t chunks[] = {1, 2, 3, 5, 39, 40, 41, 1000};
  const char *pat = pats[_i % 3];
  size_t m = strlen(pat), chunk = chunks[(_i / 3) % 8], len = 20000, pos = 0;
  int sized = _i >= 24;
  char *in = gen_stream(pat, m, len, (unsigned)_i);
  fake_transport_t *f = malloc(sizeof *f);
  ltcp_until_t *u;
  ltcp_t *t;
  int records = 0;
  ck_assert_ptr_nonnull(f);
  ft_init(f);
  if (chunk * FT_MAX_STEPS < len) {
    f->recv_max = chunk;
    ft_add_data(f, in, len);
  } else {
    ft_add_chunks(f, in, len, chunk);
  }
  t = ft_object(f);
  /* small buffers: patterns straddle refills too, and a 1-byte buffer must grow to hold them */
  lt_assert_rc(ltcp_setbufsize(t, _i % 2 ? 1 : 64), 0);
  lt_assert_rc(ltcp_until_new(&u, pat, m, 0), 0);
  for (;;) {
    size_t rec_len, next = naive_next(in, len, pos, pat, m, &rec_len);
    ltcp_bytes_t b;
    ltcp_sink_t sink;
    int rc, end = 0;
    ltcp_bytes_init(&b);
    sink = ltcp_bytes_sink(&b);
    if (!sized) {
      rc = ltcp_receive_until(t, u, 0, &sink, &end);
    } else {
      do { /* pieces of at most 7 until the end */
        ltcp_bytes_t piece;
        ltcp_sink_t ps;
        ltcp_bytes_init(&piece);
        ps = ltcp_bytes_sink(&piece);
        rc = ltcp_receive_until(t, u, 7, &ps, &end);
        lt_check(piece.len <= 7, "piece of %zu", piece.len);
        lt_check(rc != 0 || end || piece.len > 0, "empty piece without the end");
        lt_check(ltcp__sink_append(&sink, piece.data ? piece.data : "", piece.len) == 0,
                 "append failed");
        ltcp_bytes_free(&piece);
      } while (rc == 0 && !end);
    }
    lt_check(b.len == rec_len && (rec_len == 0 || memcmp(b.data, in + pos, rec_len) == 0),
             "pattern %zu bytes, chunk %zu, record %d at %zu: %zu bytes, expected %zu", m, chunk,
             records, pos, b.len, rec_len);
    ltcp_bytes_free(&b);
    if (next == (size_t)-1) {
      lt_assert_rc(rc, LTCP_ECLOSED);
      break;
    }
    lt_assert_rc(rc, 0);
    lt_check(end == 1, "record %d: end %d", records, end);
    pos = next;
    records++;
  }
  ck_assert_msg(records > 10, "only %d records", records);
  ck_assert_uint_eq(f->recv_bytes, len); /* every byte came from the transport once */
  ltcp_until_free(u);
  ft_object_free(t);
  ft_free(f);
  free(f);
  free(in);
}
END_TEST

START_TEST(bad_arguments) {
  fake_transport_t *f = malloc(sizeof *f);
  ltcp_until_t *u = NULL;
  ltcp_t *t;
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  int end = 0;
  union {
    char c[256];
    void *p;
    double d;
  } mem;
  ck_assert_ptr_nonnull(f);
  ft_init(f);
  ft_add_str(f, "abc");
  t = ft_object(f);
  ck_assert_uint_eq(ltcp_until_sizeof(0), 0);
  ck_assert_uint_eq(ltcp_until_sizeof(LTCP_UNTIL_MAX + 1), 0);
  ck_assert_uint_gt(ltcp_until_sizeof(1), 0);
  lt_assert_rc(ltcp_until_new(&u, "", 0, 0), LTCP_EINVAL);
  ck_assert_ptr_null(u);
  lt_assert_rc(ltcp_until_new(&u, NULL, 3, 0), LTCP_EINVAL);
  lt_assert_rc(ltcp_until_new(&u, "ab", 2, 4), LTCP_EINVAL);
  lt_assert_rc(ltcp_until_new(NULL, "ab", 2, 0), LTCP_EINVAL);
  lt_assert_rc(ltcp_until_init((ltcp_until_t *)(void *)mem.c, "ab", 0, 0), LTCP_EINVAL);
  lt_assert_rc(ltcp_until_init((ltcp_until_t *)(void *)mem.c, "ab", 2, 0), 0);
  lt_assert_rc(ltcp_until_new(&u, "b", 1, 0), 0);
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);
  lt_assert_rc(ltcp_receive_until(NULL, u, 0, &sink, &end), LTCP_EINVAL);
  lt_assert_rc(ltcp_receive_until(t, NULL, 0, &sink, &end), LTCP_EINVAL);
  lt_assert_rc(ltcp_receive_until(t, u, 0, NULL, &end), LTCP_EINVAL);
  lt_assert_rc(ltcp_receive_until(t, u, 0, &sink, NULL), LTCP_EINVAL);
  lt_assert_rc(ltcp_receive_any(t, 0, &sink), LTCP_EINVAL);
  lt_assert_rc(ltcp_receive_any(t, 1, NULL), LTCP_EINVAL);
  ck_assert_uint_eq(b.len, 0);
  lt_assert_rc(ltcp_receive_until(t, u, 0, &sink, &end), 0); /* nothing was consumed */
  lt_assert_bytes(b.data, b.len, "a", 1);
  lt_assert_rc(ltcp_close(t), 0);
  lt_assert_rc(ltcp_receive_until(t, u, 0, &sink, &end), LTCP_ECLOSED);
  lt_assert_rc(ltcp_receive_any(t, 1, &sink), LTCP_ECLOSED);
  ltcp_bytes_free(&b);
  ltcp_until_free(u);
  ltcp_until_free(NULL);
  ft_object_free(t);
  ft_free(f);
  free(f);
}
END_TEST

/* A large max on an empty buffer receives straight into the sink, 64 KiB at most per call. */
START_TEST(any_large_max_direct) {
  static char in[100000];
  fake_transport_t *f = malloc(sizeof *f);
  ltcp_t *t;
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  size_t i;
  for (i = 0; i < sizeof in; i++) in[i] = (char)(i * 31 + 7);
  ck_assert_ptr_nonnull(f);
  ft_init(f);
  ft_add_data(f, in, sizeof in);
  t = ft_object(f);
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);
  lt_assert_rc(ltcp_receive_any(t, (size_t)1 << 30, &sink), 0);
  ck_assert_uint_eq(b.len, 65536);
  ck_assert_msg(b.cap < 2 * 65536 + 64, "sink of %zu bytes", b.cap);
  lt_assert_rc(ltcp_receive_any(t, (size_t)1 << 30, &sink), 0);
  lt_assert_bytes(b.data, b.len, in, sizeof in);
  ck_assert_int_eq(ltcp_dirty(t), 0); /* nothing went through the object's buffer */
  ltcp_bytes_free(&b);
  ft_object_free(t);
  ft_free(f);
  free(f);
}
END_TEST

static Suite *until_suite(void) {
  Suite *s = suite_create("until");
  TCase *tc = tcase_create("matcher");
  tcase_add_loop_test(tc, scenario_every_split, 0, NSCENARIOS);
  tcase_add_loop_test(tc, long_stream_matches_naive, 0, 48);
  tcase_add_test(tc, bad_arguments);
  tcase_add_test(tc, any_large_max_direct);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(until_suite());
}
