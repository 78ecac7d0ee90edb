/* ltcp_bytes (bytes.c): the growable byte string C callers receive into, used as a sink. */
#include <stdint.h>
#include <string.h>

#include "test_util.h"

START_TEST(init_is_empty) {
  ltcp_bytes_t b;
  memset(&b, 0x5a, sizeof b);
  ltcp_bytes_init(&b);
  ck_assert_ptr_null(b.data);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_uint_eq(b.cap, 0);
  ltcp_bytes_free(&b);
  ltcp_bytes_free(&b); /* free twice is harmless: it re-inits */
}
END_TEST

START_TEST(sink_appends) {
  ltcp_bytes_t b;
  ltcp_sink_t s;
  char *p;
  ltcp_bytes_init(&b);
  s = ltcp_bytes_sink(&b);
  ck_assert_ptr_eq(s.ctx, &b);
  p = s.prepare(s.ctx, 10);
  ck_assert_ptr_nonnull(p);
  memcpy(p, "hello", 5);
  s.commit(s.ctx, 5); /* commit fewer than prepared */
  ck_assert_uint_eq(b.len, 5);
  p = s.prepare(s.ctx, 3);
  ck_assert_ptr_nonnull(p);
  memcpy(p, "\0ab", 3);
  s.commit(s.ctx, 3);
  lt_assert_bytes(b.data, b.len, "hello\0ab", 8);
  ck_assert_uint_ge(b.cap, b.len);
  s.commit(s.ctx, 0);
  ck_assert_uint_eq(b.len, 8);
  ltcp_bytes_free(&b);
  ck_assert_ptr_null(b.data);
  ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(grows_large_and_keeps_content) {
  ltcp_bytes_t b;
  ltcp_sink_t s;
  size_t i, total = 0;
  ltcp_bytes_init(&b);
  s = ltcp_bytes_sink(&b);
  for (i = 0; i < 2000; i++) {
    size_t n = (i * 37) % 1500 + 1, k;
    char *p = s.prepare(s.ctx, n);
    ck_assert_ptr_nonnull(p);
    for (k = 0; k < n; k++) p[k] = (char)((total + k) % 251);
    s.commit(s.ctx, n);
    total += n;
  }
  ck_assert_uint_eq(b.len, total);
  for (i = 0; i < total; i++)
    if (b.data[i] != (char)(i % 251)) ck_abort_msg("byte %zu corrupted", i);
  ltcp_bytes_free(&b);
}
END_TEST

START_TEST(impossible_size_fails_cleanly) {
  ltcp_bytes_t b;
  ltcp_sink_t s;
  char *p;
  ltcp_bytes_init(&b);
  s = ltcp_bytes_sink(&b);
  p = s.prepare(s.ctx, 4);
  ck_assert_ptr_nonnull(p);
  memcpy(p, "keep", 4);
  s.commit(s.ctx, 4);
  ck_assert_ptr_null(s.prepare(s.ctx, SIZE_MAX));
  ck_assert_ptr_null(s.prepare(s.ctx, SIZE_MAX - 2));
  lt_assert_bytes(b.data, b.len, "keep", 4); /* a failed prepare loses nothing */
  ltcp_bytes_free(&b);
}
END_TEST

static Suite *bytes_suite(void) {
  Suite *s = suite_create("bytes");
  TCase *tc = tcase_create("bytes");
  tcase_add_test(tc, init_is_empty);
  tcase_add_test(tc, sink_appends);
  tcase_add_test(tc, grows_large_and_keeps_content);
  tcase_add_test(tc, impossible_size_fails_cleanly);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(bytes_suite());
}
