/* ltcp_receive_max (upstream LuaSocket's receive(pattern, prefix, maxsize)) and ltcp_setlimit, its
 * per-object default, over the fake transport. Every scenario runs once for every way its input
 * can arrive in pieces (all 2^(n-1) splits of short inputs): results must not depend on it.
 * Rules under test: the cap counts prefix + data; past it '*l' and '*a' return LTCP_ELIMIT with
 * exactly the cap's worth and the rest stays buffered (the drain gives the stream back byte for
 * byte); a stall or end at a full cap is oversized too, so a timeout's partial is always shorter
 * than the cap; '*a' ending at exactly the cap succeeds; argument errors consume nothing. */
#include <stdlib.h>
#include <string.h>

#include "fake_transport.h"
#include "test_util.h"

typedef struct op {
  int pattern;
  size_t count;
  const char *prefix; /* NULL: none */
  size_t maxsize;     /* 0: the object's default */
  int rc;
  const char *want; /* prefix + data in the sink */
} op_t;

typedef struct scenario {
  const char *name;
  const char *in;
  size_t stall_at; /* > 0: after this many bytes one wait times out (then the data goes on) */
  int end;         /* after the data: FT_END_CLOSED, FT_END_BLOCK, or an error code (< 0) */
  size_t limit;    /* ltcp_setlimit */
  op_t ops[8];
} scenario_t;

#define L LTCP_RECV_LINE
#define A LTCP_RECV_ALL
#define C LTCP_RECV_COUNT
#define OVER LTCP_ELIMIT
#define END                                                                                        \
  { 0, 0, NULL, 0, 1, NULL }

static const scenario_t scenarios[] = {
  {"line exactly the cap",
   "abcde\nxy\n",
   0,
   FT_END_CLOSED,
   0,
   {{L, 0, NULL, 5, 0, "abcde"}, {L, 0, NULL, 2, 0, "xy"}, {L, 0, NULL, 2, LTCP_ECLOSED, ""}, END}},
  {"line one past the cap",
   "abcdef\nz\n",
   0,
   FT_END_CLOSED,
   0,
   {{L, 0, NULL, 5, OVER, "abcde"}, {L, 0, NULL, 5, 0, "f"}, {L, 0, NULL, 0, 0, "z"}, END}},
  {"line: the prefix counts",
   "cde\ncdef\n",
   0,
   FT_END_CLOSED,
   0,
   {{L, 0, "ab", 5, 0, "abcde"}, {L, 0, "ab", 5, OVER, "abcde"}, {L, 0, NULL, 5, 0, "f"}, END}},
  {"line drain idiom",
   "0123456789abc\nok\n",
   0,
   FT_END_CLOSED,
   0,
   {{L, 0, NULL, 4, OVER, "0123"},
    {L, 0, NULL, 4, OVER, "4567"},
    {L, 0, NULL, 4, OVER, "89ab"},
    {L, 0, NULL, 4, 0, "c"},
    {L, 0, NULL, 4, 0, "ok"},
    END}},
  {"line closed below the cap",
   "abc",
   0,
   FT_END_CLOSED,
   0,
   {{L, 0, NULL, 5, LTCP_ECLOSED, "abc"}, END}},
  {"line closed at the cap",
   "abcde",
   0,
   FT_END_CLOSED,
   0,
   {{L, 0, NULL, 5, OVER, "abcde"}, {L, 0, NULL, 5, LTCP_ECLOSED, ""}, END}},
  {"line timeout below the cap, retried with the partial",
   "abcde\n",
   3,
   FT_END_CLOSED,
   0,
   {{L, 0, NULL, 5, LTCP_ETIMEOUT, "abc"}, {L, 0, "abc", 5, 0, "abcde"}, END}},
  {"line timeout at the cap is oversized",
   "abcdef\n",
   5,
   FT_END_CLOSED,
   0,
   {{L, 0, NULL, 5, OVER, "abcde"}, {L, 0, NULL, 5, 0, "f"}, END}},
  {"line timeout at the cap, the LF next",
   "abcde\nx\n",
   5,
   FT_END_CLOSED,
   0,
   {{L, 0, NULL, 5, OVER, "abcde"}, {L, 0, NULL, 5, 0, ""}, {L, 0, NULL, 5, 0, "x"}, END}},
  {"line: CRs are not payload",
   "ab\r\ncd\r\r\na\rb\n",
   0,
   FT_END_CLOSED,
   0,
   {{L, 0, NULL, 2, 0, "ab"}, {L, 0, NULL, 2, 0, "cd"}, {L, 0, NULL, 2, 0, "ab"}, END}},
  {"line: CRs at a full cap go with it",
   "ab\r\rc\n",
   0,
   FT_END_CLOSED,
   0,
   {{L, 0, NULL, 2, OVER, "ab"}, {L, 0, NULL, 2, 0, "c"}, END}},
  {"line: a reset below the cap is closed",
   "abc",
   0,
   LTCP__ERESET,
   0,
   {{L, 0, NULL, 5, LTCP_ECLOSED, "abc"}, END}},
  {"all ending at exactly the cap",
   "abcde",
   0,
   FT_END_CLOSED,
   0,
   {{A, 0, NULL, 5, 0, "abcde"}, {A, 0, NULL, 5, LTCP_ECLOSED, ""}, END}},
  {"all past the cap",
   "abcdefgh",
   0,
   FT_END_CLOSED,
   0,
   {{A, 0, NULL, 5, OVER, "abcde"}, {A, 0, NULL, 5, 0, "fgh"}, END}},
  {"all: the prefix counts",
   "cdefg",
   0,
   FT_END_CLOSED,
   0,
   {{A, 0, "ab", 5, OVER, "abcde"}, {A, 0, NULL, 5, 0, "fg"}, END}},
  {"all: an open stream at the cap",
   "abcde",
   0,
   FT_END_BLOCK,
   0,
   {{A, 0, NULL, 5, OVER, "abcde"}, {A, 0, NULL, 5, LTCP_ETIMEOUT, ""}, END}},
  {"all: timeout below the cap",
   "abcdefg",
   3,
   FT_END_CLOSED,
   0,
   {{A, 0, NULL, 5, LTCP_ETIMEOUT, "abc"},
    {A, 0, "abc", 5, OVER, "abcde"},
    {A, 0, NULL, 5, 0, "fg"},
    END}},
  {"all drain gives the stream byte for byte",
   "0123456789",
   0,
   FT_END_CLOSED,
   0,
   {{A, 0, NULL, 3, OVER, "012"},
    {A, 0, NULL, 3, OVER, "345"},
    {A, 0, NULL, 3, OVER, "678"},
    {A, 0, NULL, 3, 0, "9"},
    END}},
  {"all: a reset at the cap is oversized, below it closed",
   "abcdefg",
   0,
   LTCP__ERESET,
   0,
   {{A, 0, NULL, 5, OVER, "abcde"}, {A, 0, NULL, 5, LTCP_ECLOSED, "fg"}, END}},
  {"count within the cap",
   "abcdef",
   0,
   FT_END_CLOSED,
   0,
   {{C, 3, NULL, 3, 0, "abc"}, {C, 3, "x", 3, 0, "xde"}, {C, 3, NULL, 3, LTCP_ECLOSED, "f"}, END}},
  {"argument errors touch nothing",
   "abc\n",
   0,
   FT_END_CLOSED,
   0,
   {{L, 0, "abcde", 5, LTCP_EINVAL, ""},
    {A, 0, "abcde", 5, LTCP_EINVAL, ""},
    {C, 6, NULL, 5, LTCP_EINVAL, ""},
    {C, 2, "ab", 2, LTCP_EINVAL, ""},
    {L, 0, NULL, 0, 0, "abc"},
    END}},
  {"setlimit is the default maxsize",
   "abcd\nabcd\nab\n",
   0,
   FT_END_CLOSED,
   3,
   {{L, 0, NULL, 0, OVER, "abc"},
    {L, 0, NULL, 0, 0, "d"},
    {L, 0, NULL, 10, 0, "abcd"},
    {L, 0, "abc", 0, LTCP_EINVAL, ""},
    {L, 0, NULL, 0, 0, "ab"},
    END}},
  {"setlimit does not cap counts",
   "abcdef",
   0,
   FT_END_CLOSED,
   2,
   {{C, 4, "xy", 0, 0, "xyab"}, {A, 0, NULL, 0, OVER, "cd"}, END}},
};
#define NSCENARIOS ((int)(sizeof scenarios / sizeof scenarios[0]))

START_TEST(scenario_every_split) {
  const scenario_t *sc = &scenarios[_i];
  unsigned long cuts, n = ft_splits(strlen(sc->in));
  for (cuts = 0; cuts < n; cuts++) {
    fake_transport_t *f = malloc(sizeof *f);
    ltcp_t *t;
    const op_t *op;
    lt_check(f != NULL, "out of memory");
    ft_init(f);
    ft_script_split(f, sc->in, strlen(sc->in), cuts, sc->stall_at, sc->end);
    t = ft_object(f);
    lt_assert_rc(ltcp_setlimit(t, sc->limit), 0);
    for (op = sc->ops; op->want; op++) {
      ltcp_bytes_t b;
      ltcp_sink_t sink;
      int rc;
      size_t plen = op->prefix ? strlen(op->prefix) : 0;
      ltcp_bytes_init(&b);
      sink = ltcp_bytes_sink(&b);
      rc = ltcp_receive_max(t, (ltcp_pattern_t)op->pattern, op->count, op->prefix, plen,
                            op->maxsize, &sink);
      lt_check(rc == op->rc && b.len == strlen(op->want) &&
                 (b.len == 0 || memcmp(b.data, op->want, b.len) == 0),
               "%s, split %lu, op %d: rc %d (%s) '%.*s', expected %d (%s) '%s'", sc->name, cuts,
               (int)(op - sc->ops), rc, ltcp_strerror(rc), (int)b.len, b.data ? b.data : "", op->rc,
               ltcp_strerror(op->rc), op->want);
      ltcp_bytes_free(&b);
    }
    ft_object_free(t);
    ft_free(f);
    free(f);
  }
}
END_TEST

/* A long line drained at a small cap comes back, pieces concatenated, exactly as one uncapped
 * '*l' returns it (CRs dropped), and the bytes after it are untouched; chunk sizes 1..64. */
START_TEST(line_drain_matches_uncapped) {
  static char in[600], want[600];
  size_t n = 0, w = 0, chunk = (size_t)_i + 1, i;
  for (i = 0; i < 500; i++) {
    char c = (char)(i % 17 == 3 ? '\r' : 'a' + i % 23);
    in[n++] = c;
    if (c != '\r') want[w++] = c;
  }
  memcpy(in + n, "\r\nnext\n", 7);
  n += 7;
  {
    fake_transport_t *f = malloc(sizeof *f);
    ltcp_t *t;
    ltcp_bytes_t all, b;
    ltcp_sink_t sink;
    int rc, pieces = 0;
    ck_assert_ptr_nonnull(f);
    ft_init(f);
    ft_add_chunks(f, in, n, chunk);
    t = ft_object(f);
    ltcp_bytes_init(&all);
    do {
      ltcp_bytes_init(&b);
      sink = ltcp_bytes_sink(&b);
      rc = ltcp_receive_max(t, LTCP_RECV_LINE, 0, NULL, 0, 7, &sink);
      ck_assert_msg(rc == 0 || rc == LTCP_ELIMIT, "rc %d", rc);
      ck_assert_msg(rc == 0 ? b.len <= 7 : b.len == 7, "piece of %zu bytes", b.len);
      sink = ltcp_bytes_sink(&all);
      ck_assert_int_eq(ltcp__sink_append(&sink, b.data ? b.data : "", b.len), 0);
      ltcp_bytes_free(&b);
      pieces++;
    } while (rc == LTCP_ELIMIT && pieces < 1000);
    lt_assert_bytes(all.data, all.len, want, w);
    ltcp_bytes_free(&all);
    ltcp_bytes_init(&b);
    sink = ltcp_bytes_sink(&b);
    lt_assert_rc(ltcp_receive_max(t, LTCP_RECV_LINE, 0, NULL, 0, 4, &sink), 0);
    lt_assert_bytes(b.data, b.len, "next", 4);
    ltcp_bytes_free(&b);
    ft_object_free(t);
    ft_free(f);
    free(f);
  }
}
END_TEST

/* The receive of a large '*a' stays on the direct path under a cap: the sink never grows past the
 * cap however much the peer sends. */
START_TEST(all_cap_bounds_memory) {
  static char in[200000];
  fake_transport_t *f = malloc(sizeof *f);
  ltcp_t *t;
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  memset(in, 'q', sizeof in);
  ck_assert_ptr_nonnull(f);
  ft_init(f);
  ft_add_data(f, in, sizeof in);
  f->end = FT_END_BLOCK;
  t = ft_object(f);
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);
  lt_assert_rc(ltcp_receive_max(t, LTCP_RECV_ALL, 0, NULL, 0, 70000, &sink), LTCP_ELIMIT);
  ck_assert_uint_eq(b.len, 70000);
  ck_assert_msg(b.cap <= 2 * 70000, "sink grew to %zu bytes for a 70000-byte cap", b.cap);
  ck_assert_msg(f->recv_largest_ask <= 70000, "asked the transport for %zu bytes",
                f->recv_largest_ask);
  ltcp_bytes_free(&b);
  ft_object_free(t);
  ft_free(f);
  free(f);
}
END_TEST

/* As ltcp_receive: the state comes first (a closed object reports "closed" with the prefix as
 * its partial, whatever the cap), then the arguments, which touch nothing. */
START_TEST(state_then_arguments) {
  fake_transport_t *f = malloc(sizeof *f);
  ltcp_t *t;
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  ck_assert_ptr_nonnull(f);
  ft_init(f);
  ft_add_str(f, "xyz\n");
  t = ft_object(f);
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);
  lt_assert_rc(ltcp_receive_max(t, (ltcp_pattern_t)7, 0, NULL, 0, 4, &sink), LTCP_EINVAL);
  lt_assert_rc(ltcp_receive_max(t, LTCP_RECV_LINE, 0, "abc", 3, 3, &sink), LTCP_EINVAL);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_uint_eq(f->recv_calls, 0); /* no I/O */
  lt_assert_rc(ltcp_close(t), 0);
  lt_assert_rc(ltcp_receive_max(t, LTCP_RECV_LINE, 0, "abc", 3, 3, &sink), LTCP_ECLOSED);
  lt_assert_bytes(b.data, b.len, "abc", 3);
  ltcp_bytes_free(&b);
  ft_object_free(t);
  ft_free(f);
  free(f);
}
END_TEST

static Suite *maxsize_suite(void) {
  Suite *s = suite_create("maxsize");
  TCase *tc = tcase_create("rules");
  tcase_add_loop_test(tc, scenario_every_split, 0, NSCENARIOS);
  tcase_add_loop_test(tc, line_drain_matches_uncapped, 0, 64);
  tcase_add_test(tc, all_cap_bounds_memory);
  tcase_add_test(tc, state_then_arguments);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(maxsize_suite());
}
