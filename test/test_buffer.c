/* Receive patterns over the fake transport (buffer.c + io.c): line, count and all, prefixes,
 * partial results on errors and timeouts, data left buffered between calls, ltcp_dirty and the
 * receive limit. Deterministic: no sockets, no sleeping. */
#include <stdlib.h>
#include <string.h>

#include "unit_fixture.h"
#include "test_util.h"


/* Receive and compare rc and bytes (want may hold NULs: give its length). */
#define EXPECT_N(pattern, count, prefix, want_rc, want, want_len)                                  \
  do {                                                                                             \
    ltcp_bytes_t b_;                                                                               \
    int rc_ = lt_receive(T, (pattern), (count), (prefix), &b_);                                    \
    lt_assert_rc(rc_, (want_rc));                                                                  \
    lt_assert_bytes(b_.data, b_.len, (want), (want_len));                                          \
    ltcp_bytes_free(&b_);                                                                          \
  } while (0)
#define EXPECT(pattern, count, prefix, want_rc, want)                                              \
  EXPECT_N(pattern, count, prefix, want_rc, want, strlen(want))

/* A deterministic, non-repeating-looking byte pattern without '\n' or '\r'. */
static char *make_text(size_t n) {
  char *p = malloc(n + 1);
  size_t i;
  ck_assert_ptr_nonnull(p);
  for (i = 0; i < n; i++) p[i] = (char)('a' + (i * 7 + i / 26) % 26);
  p[n] = '\0';
  return p;
}

/* ---- line ---- */

START_TEST(line_lf_ends) {
  ft_add_str(&ft, "hello\nworld\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "hello");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "world");
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ECLOSED, "");
}
END_TEST

START_TEST(line_every_cr_dropped) {
  ft_add_str(&ft, "a\rb\r\r\nc\r\n\rd\re\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "ab");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "c");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "de");
}
END_TEST

START_TEST(line_empty_lines) {
  ft_add_str(&ft, "\n\r\n\r\r\nx\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "x");
}
END_TEST

START_TEST(line_nul_bytes_pass) {
  static const char in[] = "a\0b\0\nc\0\n";
  ft_add_data(&ft, in, sizeof in - 1);
  EXPECT_N(LTCP_RECV_LINE, 0, NULL, 0, "a\0b\0", 4);
  EXPECT_N(LTCP_RECV_LINE, 0, NULL, 0, "c\0", 2);
}
END_TEST

START_TEST(line_split_one_byte_steps) {
  static const char in[] = "first line\r\nsecond\nthird\r\n";
  ft_add_chunks(&ft, in, sizeof in - 1, 1);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "first line");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "second");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "third");
  ck_assert_uint_eq(ft_unread(&ft), 0);
}
END_TEST

START_TEST(line_split_one_byte_recv_max) {
  /* One data step, but every recv hands out a single byte. */
  ft.recv_max = 1;
  ft_add_str(&ft, "ab\r\ncd\nrest");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "ab");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "cd");
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ECLOSED, "rest");
}
END_TEST

START_TEST(line_cr_lf_across_steps) {
  ft_add_str(&ft, "ab\r");
  ft_add_str(&ft, "\ncd");
  ft_add_str(&ft, "\r");
  ft_add_str(&ft, "\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "ab");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "cd");
}
END_TEST

START_TEST(line_longer_than_buffer) {
  size_t n = 40000; /* > LTCP__BUFSIZE (16 KiB) */
  char *text = make_text(n);
  ck_assert_uint_gt(n, LTCP__BUFSIZE);
  ft_add_chunks(&ft, text, n, 5000);
  ft_add_str(&ft, "\ntail\n");
  EXPECT_N(LTCP_RECV_LINE, 0, NULL, 0, text, n);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "tail");
  free(text);
}
END_TEST

START_TEST(line_longer_than_buffer_one_step) {
  size_t n = 3 * LTCP__BUFSIZE + 123;
  char *text = make_text(n);
  text[100] = '\r'; /* a CR deep inside is dropped too */
  ft_add_data(&ft, text, n);
  ft_add_str(&ft, "\n");
  {
    ltcp_bytes_t b;
    lt_assert_rc(lt_receive(T, LTCP_RECV_LINE, 0, NULL, &b), 0);
    ck_assert_uint_eq(b.len, n - 1);
    ck_assert_mem_eq(b.data, text, 100);
    ck_assert_mem_eq(b.data + 100, text + 101, n - 101);
    ltcp_bytes_free(&b);
  }
  free(text);
}
END_TEST

START_TEST(line_partial_then_closed) {
  ft_add_str(&ft, "no newline");
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ECLOSED, "no newline");
  /* Nothing is left for a later call. */
  ck_assert_int_eq(ltcp_dirty(T), 0);
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ECLOSED, "");
}
END_TEST

START_TEST(line_partial_then_closed_mid_stream) {
  ft_add_fail_at(&ft, "abc\ndef\n", 6, 6, LTCP_ECLOSED); /* closed after "abc\nde" */
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "abc");
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ECLOSED, "de");
}
END_TEST

START_TEST(line_error_keeps_partial) {
  ft_add_str(&ft, "par");
  ft_add_str(&ft, "tial\r");
  ft_add_error(&ft, LTCP_ENETDOWN);
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ENETDOWN, "partial");
}
END_TEST

START_TEST(line_prefix) {
  ft_add_str(&ft, "x\ny");
  EXPECT(LTCP_RECV_LINE, 0, "pre:", 0, "pre:x");
  EXPECT(LTCP_RECV_LINE, 0, "pre\r:", LTCP_ECLOSED, "pre\r:y"); /* the prefix is not filtered */
}
END_TEST

/* ---- count ---- */

START_TEST(count_exact) {
  ft_add_str(&ft, "hello world");
  EXPECT(LTCP_RECV_COUNT, 5, NULL, 0, "hello");
  EXPECT(LTCP_RECV_COUNT, 6, NULL, 0, " world");
  EXPECT(LTCP_RECV_COUNT, 1, NULL, LTCP_ECLOSED, "");
}
END_TEST

START_TEST(count_keeps_cr_and_lf) {
  ft_add_str(&ft, "a\r\nb\n");
  EXPECT(LTCP_RECV_COUNT, 5, NULL, 0, "a\r\nb\n");
}
END_TEST

START_TEST(count_across_steps) {
  ft_add_chunks(&ft, "abcdefghij", 10, 3);
  EXPECT(LTCP_RECV_COUNT, 4, NULL, 0, "abcd");
  EXPECT(LTCP_RECV_COUNT, 6, NULL, 0, "efghij");
}
END_TEST

START_TEST(count_one_byte_recvs) {
  ft.recv_max = 1;
  ft_add_str(&ft, "abcdefghij");
  EXPECT(LTCP_RECV_COUNT, 10, NULL, 0, "abcdefghij");
  ck_assert_uint_ge(ft.recv_calls, 10);
}
END_TEST

START_TEST(count_larger_than_buffer) {
  size_t n = 100000;
  char *text = make_text(n);
  ft_add_chunks(&ft, text, n, 7000);
  ft_add_str(&ft, "tail");
  EXPECT_N(LTCP_RECV_COUNT, n, NULL, 0, text, n);
  EXPECT(LTCP_RECV_COUNT, 4, NULL, 0, "tail");
  free(text);
}
END_TEST

START_TEST(count_larger_than_buffer_after_buffered_bytes) {
  /* A few bytes already buffered, then a large count: order must be kept. */
  size_t n = 3 * LTCP__BUFSIZE;
  char *text = make_text(n + 3);
  memcpy(text, "L\n", 2);
  ft_add_data(&ft, text, 10); /* "L\n" + 8 bytes, those 8 stay buffered after the line */
  ft_add_chunks(&ft, text + 10, n + 3 - 10, 4096);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "L");
  ck_assert_int_eq(ltcp_dirty(T), 1);
  EXPECT_N(LTCP_RECV_COUNT, n, NULL, 0, text + 2, n);
  EXPECT_N(LTCP_RECV_COUNT, 1, NULL, 0, text + 2 + n, 1);
  free(text);
}
END_TEST

START_TEST(count_large_partial_then_closed) {
  size_t n = 50000;
  char *text = make_text(n);
  ft_add_chunks(&ft, text, n, 9999);
  EXPECT_N(LTCP_RECV_COUNT, n + 500, NULL, LTCP_ECLOSED, text, n);
  free(text);
}
END_TEST

START_TEST(count_prefix_counts_toward_count) {
  ft_add_str(&ft, "cdefg");
  EXPECT(LTCP_RECV_COUNT, 5, "ab", 0, "abcde");
  ck_assert_int_eq(ltcp_dirty(T), 1);
  EXPECT(LTCP_RECV_COUNT, 2, NULL, 0, "fg");
}
END_TEST

START_TEST(count_prefix_longer_than_count) {
  ft_add_str(&ft, "data");
  EXPECT(LTCP_RECV_COUNT, 3, "abcdef", 0, "abcdef");
  ck_assert_uint_eq(ft.recv_calls, 0);         /* nothing was read */
  EXPECT(LTCP_RECV_COUNT, 3, "abc", 0, "abc"); /* prefix exactly as long: nothing read either */
  ck_assert_uint_eq(ft.recv_calls, 0);
  EXPECT(LTCP_RECV_COUNT, 4, NULL, 0, "data");
}
END_TEST

START_TEST(count_zero) {
  ft_add_str(&ft, "xyz");
  EXPECT(LTCP_RECV_COUNT, 0, NULL, 0, "");
  EXPECT(LTCP_RECV_COUNT, 0, NULL, 0, "");
  EXPECT(LTCP_RECV_COUNT, 3, NULL, 0, "xyz"); /* nothing was consumed */
}
END_TEST

START_TEST(count_zero_at_end_of_stream) {
  /* As LuaSocket: receive(0) on a closed stream reports "closed". */
  EXPECT(LTCP_RECV_COUNT, 0, NULL, LTCP_ECLOSED, "");
}
END_TEST

START_TEST(count_partial_then_closed) {
  ft_add_str(&ft, "abc");
  EXPECT(LTCP_RECV_COUNT, 10, NULL, LTCP_ECLOSED, "abc");
}
END_TEST

START_TEST(count_error_keeps_partial) {
  ft_add_fail_at(&ft, "abcdef", 6, 4, LTCP_ENETDOWN);
  ft_add_str(&ft, "after");
  EXPECT(LTCP_RECV_COUNT, 6, "p", LTCP_ENETDOWN, "pabcd");
  /* The stream goes on after the error: the next call sees what follows. */
  EXPECT(LTCP_RECV_COUNT, 5, NULL, 0, "after");
}
END_TEST

/* ---- all ---- */

START_TEST(all_until_close) {
  ft_add_str(&ft, "one\n");
  ft_add_str(&ft, "two\r\n");
  ft_add_str(&ft, "three");
  EXPECT(LTCP_RECV_ALL, 0, NULL, 0, "one\ntwo\r\nthree"); /* no end-of-line translation */
}
END_TEST

START_TEST(all_large) {
  size_t n = 300000;
  char *text = make_text(n);
  ft_add_chunks(&ft, text, n, 1000);
  EXPECT_N(LTCP_RECV_ALL, 0, NULL, 0, text, n);
  free(text);
}
END_TEST

START_TEST(all_huge_single_step) {
  /* More than any single direct receive (1 MiB) in one step: the loop must keep going. */
  size_t n = (3u << 20) + 17;
  char *text = make_text(n);
  ft_add_data(&ft, text, n);
  EXPECT_N(LTCP_RECV_ALL, 0, NULL, 0, text, n);
  free(text);
}
END_TEST

START_TEST(count_huge_single_step) {
  size_t n = (3u << 20) + 5;
  char *text = make_text(n + 4);
  memcpy(text + n, "tail", 4);
  ft_add_data(&ft, text, n + 4);
  EXPECT_N(LTCP_RECV_COUNT, n, NULL, 0, text, n);
  EXPECT(LTCP_RECV_COUNT, 4, NULL, 0, "tail");
  free(text);
}
END_TEST

START_TEST(all_closed_with_nothing) {
  EXPECT(LTCP_RECV_ALL, 0, NULL, LTCP_ECLOSED, "");
}
END_TEST

START_TEST(all_closed_with_nothing_keeps_prefix) {
  EXPECT(LTCP_RECV_ALL, 0, "pre", LTCP_ECLOSED, "pre");
}
END_TEST

START_TEST(all_end_of_stream_after_data_is_success) {
  /* LTCP_ECLOSED from the transport is its end-of-stream answer (transport.h / sys.h): after
   * data, '*a' succeeds. A reset (LTCP__ERESET) does not: see reset_after_data_fails_all. */
  ft_add_str(&ft, "abc");
  ft_add_error(&ft, LTCP_ECLOSED);
  EXPECT(LTCP_RECV_ALL, 0, NULL, 0, "abc");
}
END_TEST

/* A reset (LTCP__ERESET from the transport) is not an orderly end: every pattern fails with
 * LTCP_ECLOSED (LuaSocket's "closed") and keeps the partial data; the internal code never leaks
 * out of the public API. */
START_TEST(reset_after_data_fails_all) {
  ft_add_str(&ft, "abc");
  ft_add_error(&ft, LTCP__ERESET);
  EXPECT(LTCP_RECV_ALL, 0, NULL, LTCP_ECLOSED, "abc");
}
END_TEST

START_TEST(reset_after_buffered_data_fails_all) {
  ft_add_str(&ft, "l1\nrest");
  ft_add_error(&ft, LTCP__ERESET);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "l1");
  EXPECT(LTCP_RECV_ALL, 0, "p", LTCP_ECLOSED, "prest");
}
END_TEST

START_TEST(reset_fails_line_and_count) {
  ft_add_str(&ft, "ab\r");
  ft_add_error(&ft, LTCP__ERESET);
  ft_add_str(&ft, "xyz");
  ft_add_error(&ft, LTCP__ERESET);
  ft_add_error(&ft, LTCP__ERESET);
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ECLOSED, "ab");
  EXPECT(LTCP_RECV_COUNT, 5, NULL, LTCP_ECLOSED, "xyz");
  EXPECT(LTCP_RECV_ALL, 0, NULL, LTCP_ECLOSED, "");
}
END_TEST

START_TEST(all_error_mid_stream_keeps_partial) {
  ft_add_str(&ft, "abc");
  ft_add_str(&ft, "def");
  ft_add_error(&ft, LTCP_ENETDOWN);
  EXPECT(LTCP_RECV_ALL, 0, NULL, LTCP_ENETDOWN, "abcdef");
}
END_TEST

START_TEST(all_after_line_serves_buffered) {
  ft_add_str(&ft, "l1\nrest");
  ft_add_str(&ft, "+more");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "l1");
  EXPECT(LTCP_RECV_ALL, 0, NULL, 0, "rest+more");
}
END_TEST

START_TEST(all_only_buffered_then_closed) {
  /* Data served from the buffer counts as "bytes came": success, not "closed". */
  ft_add_str(&ft, "l1\nrest");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "l1");
  EXPECT(LTCP_RECV_ALL, 0, NULL, 0, "rest");
}
END_TEST

/* ---- would-block, timeouts, EINTR ---- */

START_TEST(zero_timeout_line_keeps_partial) {
  lt_assert_rc(ltcp_settimeout(T, 0.0, 'b'), 0);
  ft_add_str(&ft, "ab");
  ft_add_block(&ft);
  ft_add_str(&ft, "cd\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ETIMEOUT, "ab");
  ck_assert_uint_eq(ft.wait_calls, 0); /* timeout 0 never waits */
  EXPECT(LTCP_RECV_LINE, 0, "ab", 0, "abcd");
}
END_TEST

START_TEST(zero_timeout_count_keeps_partial) {
  lt_assert_rc(ltcp_settimeout(T, 0.0, 'b'), 0);
  ft_add_str(&ft, "abc");
  ft_add_block(&ft);
  ft_add_str(&ft, "de");
  EXPECT(LTCP_RECV_COUNT, 5, NULL, LTCP_ETIMEOUT, "abc");
  EXPECT(LTCP_RECV_COUNT, 2, NULL, 0, "de");
}
END_TEST

START_TEST(zero_timeout_all_keeps_partial) {
  lt_assert_rc(ltcp_settimeout(T, 0.0, 't'), 0);
  ft_add_str(&ft, "abc");
  ft_add_block(&ft);
  ft_add_str(&ft, "def");
  EXPECT(LTCP_RECV_ALL, 0, NULL, LTCP_ETIMEOUT, "abc");
  EXPECT(LTCP_RECV_ALL, 0, NULL, 0, "def");
  ck_assert_uint_eq(ft.wait_calls, 0);
}
END_TEST

START_TEST(zero_timeout_nothing_available) {
  lt_assert_rc(ltcp_settimeout(T, 0.0, 'b'), 0);
  ft.end = FT_END_BLOCK;
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ETIMEOUT, "");
  EXPECT(LTCP_RECV_COUNT, 2, "p", LTCP_ETIMEOUT, "p");
  EXPECT(LTCP_RECV_ALL, 0, NULL, LTCP_ETIMEOUT, "");
}
END_TEST

START_TEST(wait_timeout_keeps_partial) {
  lt_assert_rc(ltcp_settimeout(T, 1.0, 'b'), 0);
  ft_add_str(&ft, "ab");
  ft_add_block(&ft);
  ft_add_wait(&ft, LTCP_ETIMEOUT);
  ft_add_str(&ft, "c\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ETIMEOUT, "ab");
  ck_assert_uint_eq(ft.wait_calls, 1);
  ck_assert_int_eq(ft.wait_events[0] & LTCP_POLLIN, LTCP_POLLIN);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "c");
}
END_TEST

START_TEST(would_block_then_ready_continues) {
  ft_add_str(&ft, "ab");
  ft_add_block(&ft);
  ft_add_block(&ft);
  ft_add_str(&ft, "c\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "abc");
  ck_assert_uint_eq(ft.wait_calls, 2);
}
END_TEST

START_TEST(eintr_is_retried) {
  lt_assert_rc(ltcp_settimeout(T, 0.0, 'b'), 0); /* retrying EINTR is not waiting */
  ft_add_str(&ft, "ab");
  ft_add_eintr(&ft);
  ft_add_str(&ft, "c\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "abc");
}
END_TEST

/* Signals that keep interrupting the attempt itself cannot stretch the call past its total
 * deadline (here 0: already passed when the first attempt is interrupted). */
START_TEST(eintr_storm_honours_total_deadline) {
  int i;
  lt_assert_rc(ltcp_settimeout(T, 0.0, 't'), 0);
  ft_add_str(&ft, "ab");
  for (i = 0; i < 100; i++) ft_add_eintr(&ft);
  ft_add_str(&ft, "c\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ETIMEOUT, "ab");
}
END_TEST

START_TEST(wait_eintr_is_resumed) {
  ft_add_block(&ft);
  ft_add_wait(&ft, LTCP__EINTR);
  ft_add_wait(&ft, LTCP__EINTR);
  ft_add_wait(&ft, 0);
  ft_add_str(&ft, "x\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "x");
  ck_assert_uint_eq(ft.wait_calls, 3);
}
END_TEST

/* ---- buffered data, dirty, limit, stats ---- */

START_TEST(buffered_line_served_without_recv) {
  ft_add_str(&ft, "l1\nl2\nrest");
  ft.end = FT_END_BLOCK;
  ck_assert_int_eq(ltcp_dirty(T), 0);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "l1");
  ck_assert_uint_eq(ft.recv_calls, 1);
  ck_assert_int_eq(ltcp_dirty(T), 1);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "l2");
  ck_assert_uint_eq(ft.recv_calls, 1);
  ck_assert_int_eq(ltcp_dirty(T), 1);
  EXPECT(LTCP_RECV_COUNT, 4, NULL, 0, "rest");
  ck_assert_uint_eq(ft.recv_calls, 1);
  ck_assert_int_eq(ltcp_dirty(T), 0);
}
END_TEST

START_TEST(dirty_cleared_by_close) {
  ft_add_str(&ft, "a\nb");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "a");
  ck_assert_int_eq(ltcp_dirty(T), 1);
  lt_assert_rc(ltcp_close(T), 0);
  ck_assert_int_eq(ltcp_dirty(T), 0);
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ECLOSED, "");
}
END_TEST

START_TEST(limit_line_and_all) {
  lt_assert_rc(ltcp_setlimit(T, 5), 0);
  ft_add_str(&ft, "abcde\nabcdefgh\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "abcde"); /* exactly at the limit is fine */
  {
    ltcp_bytes_t b;
    lt_assert_rc(lt_receive(T, LTCP_RECV_LINE, 0, NULL, &b), LTCP_ELIMIT);
    lt_assert_bytes(b.data, b.len, "abcde", 5);
    ltcp_bytes_free(&b);
  }
}
END_TEST

START_TEST(limit_all) {
  lt_assert_rc(ltcp_setlimit(T, 4), 0);
  ft_add_str(&ft, "abcdefgh");
  ft.end = FT_END_BLOCK;
  {
    ltcp_bytes_t b;
    lt_assert_rc(lt_receive(T, LTCP_RECV_ALL, 0, NULL, &b), LTCP_ELIMIT);
    lt_assert_bytes(b.data, b.len, "abcd", 4);
    ltcp_bytes_free(&b);
  }
  /* Count receives are not limited. */
  lt_assert_rc(ltcp_setlimit(T, 1), 0);
  EXPECT(LTCP_RECV_COUNT, 4, NULL, 0, "efgh");
}
END_TEST

START_TEST(received_stats_count_transport_bytes) {
  double rx = -1, tx = -1;
  ft_add_str(&ft, "hello\nworld");
  EXPECT(LTCP_RECV_LINE, 0, "prefix-not-counted", 0, "prefix-not-countedhello");
  EXPECT(LTCP_RECV_ALL, 0, NULL, 0, "world");
  lt_assert_rc(ltcp_getstats(T, &rx, &tx, NULL), 0);
  ck_assert_double_eq(rx, 11.0);
  ck_assert_double_eq(tx, 0.0);
}
END_TEST

START_TEST(bad_arguments) {
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);
  ft_add_str(&ft, "x\n");
  lt_assert_rc(ltcp_receive(T, (ltcp_pattern_t)42, 0, NULL, 0, &sink), LTCP_EINVAL);
  lt_assert_rc(ltcp_receive(T, LTCP_RECV_LINE, 0, NULL, 0, NULL), LTCP_EINVAL);
  lt_assert_rc(ltcp_receive(T, LTCP_RECV_LINE, 0, NULL, 3, &sink), LTCP_EINVAL);
  ltcp_bytes_free(&b);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "x"); /* nothing was consumed by the bad calls */
}
END_TEST

/* ---- zero-copy views (ltcp_receive_buffered) ---- */

/* ltcp_receive_buffered must return want_rc and the view `want` (NULL: no view). */
static void view(int pattern, size_t count, int want_rc, const char *want) {
  const char *d = (const char *)&ft; /* not NULL: the call must clear it */
  size_t n = 99;
  lt_assert_rc(ltcp_receive_buffered(T, (ltcp_pattern_t)pattern, count, &d, &n), want_rc);
  if (!want) {
    ck_assert_ptr_null(d);
    ck_assert_uint_eq(n, 0);
  } else {
    ck_assert_ptr_nonnull(d);
    lt_assert_bytes(d, n, want, strlen(want));
  }
}
#define VIEW(pattern, count, want_rc, want) view((pattern), (count), (want_rc), (want))

START_TEST(view_serves_only_what_is_buffered) {
  double rx = -1;
  ft_add_str(&ft, "l1\nl2\r\nl3\nabcdef");
  ft.end = FT_END_BLOCK;
  VIEW(LTCP_RECV_LINE, 0, 0, NULL); /* nothing buffered yet: no recv either */
  ck_assert_uint_eq(ft.recv_calls, 0);
  EXPECT(LTCP_RECV_COUNT, 1, NULL, 0, "l"); /* fills the buffer */
  VIEW(LTCP_RECV_LINE, 0, 0, "1");
  VIEW(LTCP_RECV_LINE, 0, 0, NULL); /* "l2\r": a CR must be dropped, so no view */
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "l2");
  VIEW(LTCP_RECV_LINE, 0, 0, "l3");
  VIEW(LTCP_RECV_LINE, 0, 0, NULL);  /* "abcdef" has no LF yet */
  VIEW(LTCP_RECV_COUNT, 7, 0, NULL); /* more than is buffered */
  VIEW(LTCP_RECV_COUNT, 0, 0, NULL);
  VIEW(LTCP_RECV_ALL, 0, 0, NULL); /* never served as a view */
  VIEW(LTCP_RECV_COUNT, 4, 0, "abcd");
  ck_assert_uint_eq(ft.recv_calls, 1);
  lt_assert_rc(ltcp_getstats(T, &rx, NULL, NULL), 0);
  ck_assert_double_eq(rx, 14.0); /* consumed, not delivered (16) */
  EXPECT(LTCP_RECV_COUNT, 2, NULL, 0, "ef");
}
END_TEST

START_TEST(view_respects_limit_and_state) {
  ft_add_str(&ft, "toolong\nok\n");
  EXPECT(LTCP_RECV_COUNT, 0, NULL, 0, ""); /* waits for data: fills the buffer */
  lt_assert_rc(ltcp_setlimit(T, 3), 0);
  VIEW(LTCP_RECV_LINE, 0, 0, NULL); /* over the limit: ltcp_receive reports it */
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ELIMIT, "too");
  lt_assert_rc(ltcp_setlimit(T, 0), 0);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "long");
  lt_assert_rc(ltcp_close(T), 0);
  VIEW(LTCP_RECV_LINE, 0, LTCP_ECLOSED, NULL);
  VIEW(LTCP_RECV_COUNT, 1, LTCP_ECLOSED, NULL);
}
END_TEST

START_TEST(peek_and_skip_parse_in_place) {
  const char *d = NULL;
  size_t n = 99;
  double rx = -1;
  ft_add_str(&ft, "a\r\nbb\ncc");
  ft.end = FT_END_BLOCK;
  lt_assert_rc(ltcp_peek(T, &d, &n), 0); /* nothing buffered yet, and peek never reads */
  ck_assert_ptr_null(d);
  ck_assert_uint_eq(n, 0);
  ck_assert_uint_eq(ft.recv_calls, 0);
  EXPECT(LTCP_RECV_COUNT, 0, NULL, 0, ""); /* fills the buffer, consumes nothing */
  lt_assert_rc(ltcp_peek(T, &d, &n), 0);
  lt_assert_bytes(d, n, "a\r\nbb\ncc", 8);    /* as received: the CR is still there */
  lt_assert_rc(ltcp_skip(T, 9), LTCP_EINVAL); /* more than buffered: nothing consumed */
  lt_assert_rc(ltcp_peek(T, &d, &n), 0);
  ck_assert_uint_eq(n, 8);
  lt_assert_rc(ltcp_skip(T, 3), 0);
  lt_assert_rc(ltcp_getstats(T, &rx, NULL, NULL), 0);
  ck_assert_double_eq(rx, 3.0);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "bb"); /* the patterns go on from there */
  lt_assert_rc(ltcp_skip(T, 2), 0);
  ck_assert_int_eq(ltcp_dirty(T), 0);
  lt_assert_rc(ltcp_peek(T, &d, &n), 0);
  ck_assert_ptr_null(d);
  ck_assert_uint_eq(n, 0);
  lt_assert_rc(ltcp_skip(T, 0), 0);
  ck_assert_uint_eq(ft.recv_calls, 1);
  lt_assert_rc(ltcp_close(T), 0);
  lt_assert_rc(ltcp_peek(T, &d, &n), LTCP_ECLOSED);
  lt_assert_rc(ltcp_skip(T, 0), LTCP_ECLOSED);
}
END_TEST

/* ---- buffer size ---- */

START_TEST(bufsize_one_byte_serves_every_pattern) {
  ft_add_str(&ft, "ab\r\ncd\nefgh");
  lt_assert_rc(ltcp_setbufsize(T, 1), 0);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "ab");
  EXPECT(LTCP_RECV_LINE, 0, "p:", 0, "p:cd");
  ck_assert_uint_eq(ft.recv_largest_ask, 1); /* every fill asked for one byte */
  EXPECT(LTCP_RECV_COUNT, 2, NULL, 0, "ef");
  EXPECT(LTCP_RECV_ALL, 0, NULL, 0, "gh");
  EXPECT(LTCP_RECV_LINE, 0, NULL, LTCP_ECLOSED, "");
}
END_TEST

START_TEST(bufsize_change_applies_once_the_buffer_is_empty) {
  ft_add_str(&ft, "one\ntwo\nthree\n");
  ft_add_block(&ft);
  ft_add_str(&ft, "four-four\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "one");
  ck_assert_uint_eq(ft.recv_largest_ask, 16384); /* the default */
  lt_assert_rc(ltcp_setbufsize(T, 4), 0);
  ft.recv_largest_ask = 0;
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "two"); /* still buffered: nothing moved or dropped */
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "three");
  ck_assert_uint_eq(ft.recv_largest_ask, 0);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "four-four");
  ck_assert_uint_eq(ft.recv_largest_ask, 4);
  lt_assert_rc(ltcp_setbufsize(T, 1000), 0);
  ft_add_str(&ft, "5\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "5");
  ck_assert_uint_eq(ft.recv_largest_ask, 1000);
}
END_TEST

/* 40-byte lines (39 'a' + LF), n of them. */
static char *make_lines(size_t n) {
  char *p = malloc(n * 40);
  size_t i;
  ck_assert_ptr_nonnull(p);
  for (i = 0; i < n; i++) {
    memset(p + i * 40, 'a', 39);
    p[i * 40 + 39] = '\n';
  }
  return p;
}

START_TEST(bufsize_adapts_to_a_busy_stream_and_back) {
  size_t n = 40000, i; /* 1.6 MB of lines, all available at once */
  char *data = make_lines(n);
  ft_add_data(&ft, data, n * 40);
  ft_add_block(&ft);      /* then the stream goes quiet ... */
  ft_add_str(&ft, "x\n"); /* ... and trickles */
  ft_add_block(&ft);
  ft_add_str(&ft, "y\n");
  ft_add_block(&ft);
  ft_add_str(&ft, "z\n");
  for (i = 0; i < n; i++)
    EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  /* Every fill came back full, so each asked twice as much, up to 256 KiB and no further. */
  ck_assert_uint_eq(ft.recv_largest_ask, 262144);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "x"); /* this fill asks 256 KiB and gets 2 bytes ... */
  ck_assert_uint_eq(ft.recv_last_ask, 262144);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "y"); /* ... so does this one: two in a row ... */
  ck_assert_uint_eq(ft.recv_last_ask, 262144);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "z"); /* ... so the next one is back at 16 KiB */
  ck_assert_uint_eq(ft.recv_last_ask, 16384);
  free(data);
}
END_TEST

START_TEST(large_count_skips_a_grown_buffer) {
  size_t n = 20000, i, k = 200000;
  char *data = make_lines(n), *tail = malloc(k);
  ltcp_bytes_t b;
  ck_assert_ptr_nonnull(tail);
  memset(tail, 'b', k);
  ft_add_data(&ft, data, n * 40);
  ft_add_data(&ft, tail, k);
  for (i = 0; i < n; i++)
    EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  ck_assert_uint_eq(ft.recv_largest_ask, 262144); /* the buffer grew */
  /* 150,000 bytes: whatever is buffered, then the rest straight into the result (one copy),
   * not through a 256 KiB fill of the buffer. */
  lt_assert_rc(lt_receive(T, LTCP_RECV_COUNT, 150000, NULL, &b), 0);
  ck_assert_uint_eq(b.len, 150000);
  for (i = 0; i < b.len; i++)
    if (b.data[i] != 'b') ck_abort_msg("byte %zu is not 'b'", i);
  ck_assert_uint_le(ft.recv_last_ask, 150000);
  ck_assert_int_eq(ltcp_dirty(T), 0); /* nothing read ahead into the buffer */
  ltcp_bytes_free(&b);
  /* A large count whose tail is small: the tail is received straight too, not through a fill. */
  ft.recv_largest_ask = 0;
  lt_assert_rc(lt_receive(T, LTCP_RECV_COUNT, 50000 - 1, NULL, &b), 0);
  ck_assert_uint_eq(b.len, 49999);
  ck_assert_uint_le(ft.recv_largest_ask, 49999);
  ck_assert_int_eq(ltcp_dirty(T), 0);
  ltcp_bytes_free(&b);
  EXPECT(LTCP_RECV_COUNT, 1, NULL, 0, "b");
  free(data);
  free(tail);
}
END_TEST

START_TEST(bufsize_fixed_by_setbufsize_does_not_adapt) {
  size_t n = 5000, i;
  char *data = make_lines(n);
  ft_add_data(&ft, data, n * 40);
  lt_assert_rc(ltcp_setbufsize(T, 4096), 0);
  for (i = 0; i < n; i++)
    EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  ck_assert_uint_eq(ft.recv_largest_ask, 4096);
  free(data);
}
END_TEST

START_TEST(stats_count_consumed_bytes_only) {
  double rx = -1;
  ft_add_str(&ft, "hello\nworld\n");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "hello");
  lt_assert_rc(ltcp_getstats(T, &rx, NULL, NULL), 0);
  ck_assert_double_eq(rx, 6.0);
  lt_assert_rc(ltcp_setstats(T, 100.0, 0.0, 0.0), 0); /* with 6 bytes still buffered */
  lt_assert_rc(ltcp_getstats(T, &rx, NULL, NULL), 0);
  ck_assert_double_eq(rx, 100.0);
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "world");
  lt_assert_rc(ltcp_getstats(T, &rx, NULL, NULL), 0);
  ck_assert_double_eq(rx, 106.0);
}
END_TEST

START_TEST(close_drops_buffered_bytes_from_stats) {
  double rx = -1;
  ft_add_str(&ft, "a\nbcd");
  EXPECT(LTCP_RECV_LINE, 0, NULL, 0, "a");
  lt_assert_rc(ltcp_close(T), 0);
  lt_assert_rc(ltcp_getstats(T, &rx, NULL, NULL), 0);
  ck_assert_double_eq(rx, 2.0);
  lt_assert_rc(ltcp_close(T), 0); /* twice: still the same */
  lt_assert_rc(ltcp_getstats(T, &rx, NULL, NULL), 0);
  ck_assert_double_eq(rx, 2.0);
}
END_TEST

static char *null_prepare(void *ctx, size_t want) {
  (void)ctx;
  (void)want;
  return NULL;
}

static void null_commit(void *ctx, size_t n) {
  (void)ctx;
  ck_abort_msg("commit(%zu) called after prepare failed", n);
}

START_TEST(sink_out_of_memory) {
  ltcp_sink_t sink;
  sink.prepare = null_prepare;
  sink.commit = null_commit;
  sink.ctx = NULL;
  ft_add_str(&ft, "line\n");
  lt_assert_rc(ltcp_receive(T, LTCP_RECV_LINE, 0, NULL, 0, &sink), LTCP_ENOMEM);
}
END_TEST

static Suite *buffer_suite(void) {
  Suite *s = suite_create("buffer");
  TCase *tc;

  tc = tcase_create("line");
  tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
  tcase_add_test(tc, line_lf_ends);
  tcase_add_test(tc, line_every_cr_dropped);
  tcase_add_test(tc, line_empty_lines);
  tcase_add_test(tc, line_nul_bytes_pass);
  tcase_add_test(tc, line_split_one_byte_steps);
  tcase_add_test(tc, line_split_one_byte_recv_max);
  tcase_add_test(tc, line_cr_lf_across_steps);
  tcase_add_test(tc, line_longer_than_buffer);
  tcase_add_test(tc, line_longer_than_buffer_one_step);
  tcase_add_test(tc, line_partial_then_closed);
  tcase_add_test(tc, line_partial_then_closed_mid_stream);
  tcase_add_test(tc, line_error_keeps_partial);
  tcase_add_test(tc, line_prefix);
  suite_add_tcase(s, tc);

  tc = tcase_create("count");
  tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
  tcase_add_test(tc, count_exact);
  tcase_add_test(tc, count_keeps_cr_and_lf);
  tcase_add_test(tc, count_across_steps);
  tcase_add_test(tc, count_one_byte_recvs);
  tcase_add_test(tc, count_larger_than_buffer);
  tcase_add_test(tc, count_larger_than_buffer_after_buffered_bytes);
  tcase_add_test(tc, count_large_partial_then_closed);
  tcase_add_test(tc, count_prefix_counts_toward_count);
  tcase_add_test(tc, count_prefix_longer_than_count);
  tcase_add_test(tc, count_zero);
  tcase_add_test(tc, count_zero_at_end_of_stream);
  tcase_add_test(tc, count_partial_then_closed);
  tcase_add_test(tc, count_error_keeps_partial);
  suite_add_tcase(s, tc);

  tc = tcase_create("all");
  tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
  tcase_add_test(tc, all_until_close);
  tcase_add_test(tc, all_large);
  tcase_add_test(tc, all_huge_single_step);
  tcase_add_test(tc, count_huge_single_step);
  tcase_add_test(tc, all_closed_with_nothing);
  tcase_add_test(tc, all_closed_with_nothing_keeps_prefix);
  tcase_add_test(tc, all_end_of_stream_after_data_is_success);
  tcase_add_test(tc, all_error_mid_stream_keeps_partial);
  tcase_add_test(tc, reset_after_data_fails_all);
  tcase_add_test(tc, reset_after_buffered_data_fails_all);
  tcase_add_test(tc, reset_fails_line_and_count);
  tcase_add_test(tc, all_after_line_serves_buffered);
  tcase_add_test(tc, all_only_buffered_then_closed);
  suite_add_tcase(s, tc);

  tc = tcase_create("blocking");
  tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
  tcase_add_test(tc, zero_timeout_line_keeps_partial);
  tcase_add_test(tc, zero_timeout_count_keeps_partial);
  tcase_add_test(tc, zero_timeout_all_keeps_partial);
  tcase_add_test(tc, zero_timeout_nothing_available);
  tcase_add_test(tc, wait_timeout_keeps_partial);
  tcase_add_test(tc, would_block_then_ready_continues);
  tcase_add_test(tc, eintr_is_retried);
  tcase_add_test(tc, eintr_storm_honours_total_deadline);
  tcase_add_test(tc, wait_eintr_is_resumed);
  suite_add_tcase(s, tc);

  tc = tcase_create("buffered");
  tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
  tcase_add_test(tc, buffered_line_served_without_recv);
  tcase_add_test(tc, dirty_cleared_by_close);
  tcase_add_test(tc, limit_line_and_all);
  tcase_add_test(tc, limit_all);
  tcase_add_test(tc, received_stats_count_transport_bytes);
  tcase_add_test(tc, bad_arguments);
  tcase_add_test(tc, sink_out_of_memory);
  suite_add_tcase(s, tc);

  tc = tcase_create("view");
  tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
  tcase_add_test(tc, view_serves_only_what_is_buffered);
  tcase_add_test(tc, view_respects_limit_and_state);
  tcase_add_test(tc, peek_and_skip_parse_in_place);
  suite_add_tcase(s, tc);

  tc = tcase_create("bufsize");
  tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
  tcase_add_test(tc, bufsize_one_byte_serves_every_pattern);
  tcase_add_test(tc, bufsize_change_applies_once_the_buffer_is_empty);
  tcase_add_test(tc, bufsize_adapts_to_a_busy_stream_and_back);
  tcase_add_test(tc, large_count_skips_a_grown_buffer);
  tcase_add_test(tc, bufsize_fixed_by_setbufsize_does_not_adapt);
  tcase_add_test(tc, stats_count_consumed_bytes_only);
  tcase_add_test(tc, close_drops_buffered_bytes_from_stats);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(buffer_suite());
}
