/* The TCP object (tcp.c): lifecycle, the state machine master -> client | server -> closed,
 * send's string.sub index rules and partial sends (over the fake transport), stats and the
 * accessors that work in every state. Only UNSPEC masters and fake clients: no OS sockets, so
 * the state checks are shown to happen before any socket is touched. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "unit_fixture.h"
#include "test_util.h"


/* ---- lifecycle ---- */

START_TEST(open_unspec_has_no_socket) {
  ltcp_t *t = malloc(ltcp_sizeof());
  ck_assert_ptr_nonnull(t);
  ck_assert_uint_ge(ltcp_sizeof(), sizeof(ltcp_os_sock_t));
  /* Small by design (the receive buffer lives apart): select over 10,000 objects touches this
   * much of each, and an idle connection costs only this. */
  ck_assert_uint_le(ltcp_sizeof(), 256);
  memset(t, 0xA5, ltcp_sizeof()); /* embedded objects start as garbage */
  lt_assert_rc(ltcp_open(t, LTCP_FAMILY_UNSPEC), 0);
  ck_assert_int_eq(ltcp_state(t), LTCP_STATE_MASTER);
  ck_assert_str_eq(ltcp_state_name(ltcp_state(t)), "master");
  ck_assert(ltcp_getfd(t) == LTCP_INVALID_SOCKET);
  ck_assert_int_eq(ltcp_getfamily(t), LTCP_FAMILY_UNSPEC);
  ck_assert_int_eq(ltcp_dirty(t), 0);
  {
    double b = 0, tt = 0, rx = -1, tx = -1;
    lt_assert_rc(ltcp_gettimeout(t, &b, &tt), 0);
    ck_assert(b < 0.0 && tt < 0.0); /* blocking by default */
    lt_assert_rc(ltcp_getstats(t, &rx, &tx, NULL), 0);
    ck_assert(rx == 0.0 && tx == 0.0);
  }
  lt_assert_rc(ltcp_close(t), 0);
  free(t);
}
END_TEST

START_TEST(init_cleanup_counted) {
  lt_assert_rc(ltcp_init(), 0); /* lt_run_suite holds one reference already */
  lt_assert_rc(ltcp_init(), 0);
  ltcp_cleanup();
  ltcp_cleanup();
  {
    ltcp_t *t = NULL;
    lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_UNSPEC), 0); /* still usable */
    ltcp_free(t);
  }
}
END_TEST

START_TEST(open_bad_family) {
  ltcp_t *t = malloc(ltcp_sizeof());
  ck_assert_ptr_nonnull(t);
  lt_assert_rc(ltcp_open(t, 5), LTCP_EINVAL);
  /* "On failure the object is left closed (ltcp_close is safe)." */
  ck_assert_int_eq(ltcp_state(t), LTCP_STATE_CLOSED);
  ck_assert(ltcp_getfd(t) == LTCP_INVALID_SOCKET);
  lt_assert_rc(ltcp_close(t), 0);
  free(t);
}
END_TEST

START_TEST(new_and_free) {
  ltcp_t *t = NULL;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_UNSPEC), 0);
  ck_assert_ptr_nonnull(t);
  ck_assert_int_eq(ltcp_state(t), LTCP_STATE_MASTER);
  ltcp_free(t);
  t = (ltcp_t *)&t; /* must be overwritten */
  lt_assert_rc(ltcp_new(&t, 99), LTCP_EINVAL);
  ck_assert_ptr_null(t);
  ltcp_free(NULL); /* harmless */
}
END_TEST

START_TEST(state_names) {
  ck_assert_str_eq(ltcp_state_name(LTCP_STATE_MASTER), "master");
  ck_assert_str_eq(ltcp_state_name(LTCP_STATE_CLIENT), "client");
  ck_assert_str_eq(ltcp_state_name(LTCP_STATE_SERVER), "server");
  ck_assert_str_eq(ltcp_state_name(LTCP_STATE_CLOSED), "closed");
}
END_TEST

/* ---- state machine ---- */

START_TEST(master_rejects_client_and_server_ops) {
  ltcp_t *t, *c = malloc(ltcp_sizeof());
  ltcp_bytes_t b;
  ltcp_addr_t a;
  long long last = -1;
  ck_assert_ptr_nonnull(c);
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_UNSPEC), 0);
  lt_assert_rc(lt_receive(t, LTCP_RECV_LINE, 0, NULL, &b), LTCP_ESTATE);
  ltcp_bytes_free(&b);
  lt_assert_rc(lt_send_str(t, "x", &last), LTCP_ESTATE);
  ck_assert_int_eq(last, 0);
  lt_assert_rc(ltcp_accept(t, c), LTCP_ESTATE);
  ck_assert_int_eq(ltcp_state(c), LTCP_STATE_CLOSED); /* "On failure client is closed" */
  lt_assert_rc(ltcp_close(c), 0);
  lt_assert_rc(ltcp_shutdown(t, LTCP_SHUT_BOTH), LTCP_ESTATE);
  lt_assert_rc(ltcp_getpeername(t, &a), LTCP_ESTATE);
  ck_assert_int_eq(ltcp_state(t), LTCP_STATE_MASTER);
  ltcp_free(t);
  free(c);
}
END_TEST

START_TEST(listen_on_unbound_unspec_master_fails) {
  /* tcp() before bind has no OS socket: listen cannot succeed and the object stays a master. */
  ltcp_t *t;
  int rc;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_UNSPEC), 0);
  rc = ltcp_listen(t, 5);
  ck_assert_msg(rc < 0, "listen on a master without a socket returned %d", rc);
  ck_assert_int_eq(ltcp_state(t), LTCP_STATE_MASTER);
  ltcp_free(t);
}
END_TEST

START_TEST(client_rejects_master_and_server_ops) {
  ltcp_t *c = malloc(ltcp_sizeof());
  ck_assert_ptr_nonnull(c);
  lt_assert_rc(ltcp_accept(T, c), LTCP_ESTATE);
  ck_assert_int_eq(ltcp_state(c), LTCP_STATE_CLOSED);
  lt_assert_rc(ltcp_close(c), 0);
  free(c);
  lt_assert_rc(ltcp_listen(T, 5), LTCP_ESTATE);
  lt_assert_rc(ltcp_bind(T, "127.0.0.1", 0), LTCP_ESTATE);
  ck_assert_int_eq(ltcp_state(T), LTCP_STATE_CLIENT);
  ck_assert_uint_eq(ft.recv_calls + ft.send_calls + ft.wait_calls, 0);
}
END_TEST

START_TEST(closed_rejects_every_op) {
  ltcp_t *c = malloc(ltcp_sizeof());
  ltcp_bytes_t b;
  ltcp_addr_t a;
  long long last = -1;
  int v = 0, l = 0;
  ck_assert_ptr_nonnull(c);
  lt_assert_rc(ltcp_close(T), 0);
  ck_assert_int_eq(ltcp_state(T), LTCP_STATE_CLOSED);
  lt_assert_rc(lt_receive(T, LTCP_RECV_ALL, 0, NULL, &b), LTCP_ECLOSED);
  ltcp_bytes_free(&b);
  lt_assert_rc(lt_send_str(T, "x", &last), LTCP_ECLOSED);
  ck_assert_int_eq(last, 0);
  lt_assert_rc(ltcp_bind(T, "127.0.0.1", 0), LTCP_ECLOSED);
  lt_assert_rc(ltcp_listen(T, 5), LTCP_ECLOSED);
  lt_assert_rc(ltcp_connect(T, "127.0.0.1", 9), LTCP_ECLOSED);
  lt_assert_rc(ltcp_accept(T, c), LTCP_ECLOSED);
  lt_assert_rc(ltcp_shutdown(T, LTCP_SHUT_BOTH), LTCP_ECLOSED);
  lt_assert_rc(ltcp_getpeername(T, &a), LTCP_ECLOSED);
  lt_assert_rc(ltcp_getsockname(T, &a), LTCP_ECLOSED);
  lt_assert_rc(ltcp_setoption(T, LTCP_OPT_KEEPALIVE, 1, 0), LTCP_ECLOSED);
  lt_assert_rc(ltcp_getoption(T, LTCP_OPT_KEEPALIVE, &v, &l), LTCP_ECLOSED);
  ck_assert_uint_eq(ft.recv_calls + ft.send_calls + ft.wait_calls, 0);
  lt_assert_rc(ltcp_close(c), 0);
  free(c);
}
END_TEST

START_TEST(close_is_idempotent) {
  lt_assert_rc(ltcp_close(T), 0);
  lt_assert_rc(ltcp_close(T), 0);
  lt_assert_rc(ltcp_close(T), 0);
  ck_assert_int_eq(ltcp_state(T), LTCP_STATE_CLOSED);
}
END_TEST

START_TEST(accessors_work_when_closed) {
  double rx, tx, age, b, tt;
  ltcp_bytes_t bytes;
  ft_add_str(&ft, "ab\r\n");
  lt_assert_rc(lt_receive(T, LTCP_RECV_LINE, 0, NULL, &bytes), 0);
  ltcp_bytes_free(&bytes);
  lt_assert_rc(ltcp_close(T), 0);
  lt_assert_rc(ltcp_getstats(T, &rx, &tx, &age), 0);
  ck_assert_double_eq(rx, 4.0);
  lt_assert_rc(ltcp_setstats(T, 1.0, 2.0, 3.0), 0);
  lt_assert_rc(ltcp_getstats(T, &rx, &tx, &age), 0);
  ck_assert_double_eq(rx, 1.0);
  ck_assert_double_eq(tx, 2.0);
  ck_assert(age >= 3.0);
  lt_assert_rc(ltcp_settimeout(T, 0.5, 't'), 0);
  lt_assert_rc(ltcp_gettimeout(T, &b, &tt), 0);
  ck_assert_double_eq(tt, 0.5);
  ck_assert(ltcp_getfd(T) == LTCP_INVALID_SOCKET);
  ck_assert_int_eq(ltcp_dirty(T), 0);
  (void)ltcp_getfamily(T);
  ck_assert_int_eq(ltcp_state(T), LTCP_STATE_CLOSED);
  ck_assert_str_eq(ltcp_state_name(ltcp_state(T)), "closed");
  /* setfd works on a closed object and changes nothing else (the handle is never used here). */
  lt_assert_rc(ltcp_setfd(T, LTCP_INVALID_SOCKET), 0);
  ck_assert_int_eq(ltcp_state(T), LTCP_STATE_CLOSED);
}
END_TEST

START_TEST(options_without_socket_fail) {
  /* LuaSocket: before the family is chosen the socket is invalid and setoption fails. */
  ltcp_t *t;
  int v = 0, l = 0, rc;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_UNSPEC), 0);
  rc = ltcp_setoption(t, LTCP_OPT_KEEPALIVE, 1, 0);
  ck_assert_msg(rc < 0, "setoption without a socket returned %d", rc);
  rc = ltcp_getoption(t, LTCP_OPT_KEEPALIVE, &v, &l);
  ck_assert_msg(rc < 0, "getoption without a socket returned %d", rc);
  ltcp_free(t);
}
END_TEST

/* ---- send: string.sub index rules ---- */

#define SEND(i, j, want_rc, want_last, want_sent)                                                  \
  do {                                                                                             \
    long long last_ = -12345;                                                                      \
    size_t before_ = ft.sent_len;                                                                  \
    lt_assert_rc(ltcp_send(T, "abcdef", 6, (i), (j), &last_), (want_rc));                          \
    ck_assert_msg(last_ == (want_last), "send(i=%lld, j=%lld): last %lld, expected %lld",          \
                  (long long)(i), (long long)(j), last_, (long long)(want_last));                  \
    lt_assert_bytes(ft.sent ? ft.sent + before_ : "", ft.sent_len - before_, (want_sent),          \
                    strlen(want_sent));                                                            \
  } while (0)

START_TEST(send_defaults_whole_string) {
  SEND(1, -1, 0, 6, "abcdef");
}
END_TEST

START_TEST(send_sub_ranges) {
  SEND(2, 4, 0, 4, "bcd");
  SEND(1, 1, 0, 1, "a");
  SEND(6, 6, 0, 6, "f");
  SEND(3, -1, 0, 6, "cdef");
}
END_TEST

START_TEST(send_negative_indices) {
  SEND(-3, -1, 0, 6, "def");
  SEND(-6, -6, 0, 1, "a");
  SEND(-2, -2, 0, 5, "e");
  SEND(2, -2, 0, 5, "bcde");
}
END_TEST

START_TEST(send_out_of_range_clamped) {
  SEND(0, -1, 0, 6, "abcdef"); /* i 0 -> 1 */
  SEND(-100, 3, 0, 3, "abc");  /* i before the start -> 1 */
  SEND(4, 100, 0, 6, "def");   /* j past the end -> len */
  SEND(-100, 100, 0, 6, "abcdef");
}
END_TEST

START_TEST(send_empty_ranges_return_i_minus_1) {
  SEND(4, 2, 0, 3, "");   /* i > j */
  SEND(10, -1, 0, 9, ""); /* i past the end */
  SEND(7, 6, 0, 6, "");
  SEND(1, 0, 0, 0, "");
  SEND(3, -10, 0, 2, ""); /* j before the start */
  ck_assert_uint_eq(ft.send_calls - ft.send_zero_len_calls, 0);
}
END_TEST

START_TEST(send_empty_string) {
  long long last = -1;
  lt_assert_rc(ltcp_send(T, "", 0, 1, -1, &last), 0);
  ck_assert_int_eq(last, 0);
  ck_assert_uint_eq(ft.sent_len, 0);
}
END_TEST

START_TEST(send_short_writes_looped) {
  size_t n = 1000, i;
  char *data = malloc(n);
  long long last = 0;
  ck_assert_ptr_nonnull(data);
  for (i = 0; i < n; i++) data[i] = (char)(i * 31);
  ft.send_max = 1;
  lt_assert_rc(ltcp_send(T, data, n, 1, -1, &last), 0);
  ck_assert_int_eq(last, (long long)n);
  lt_assert_bytes(ft.sent, ft.sent_len, data, n);
  ck_assert_uint_ge(ft.send_calls, n);
  free(data);
}
END_TEST

START_TEST(send_short_writes_with_would_block) {
  size_t n = 5000, i;
  char *data = malloc(n);
  long long last = 0;
  ck_assert_ptr_nonnull(data);
  for (i = 0; i < n; i++) data[i] = (char)(i * 17 + 3);
  ft.send_max = 333;
  ft.send_block_every = 3;
  lt_assert_rc(ltcp_send(T, data, n, 101, 4100, &last), 0);
  ck_assert_int_eq(last, 4100);
  lt_assert_bytes(ft.sent, ft.sent_len, data + 100, 4000);
  ck_assert_uint_gt(ft.wait_calls, 0);
  free(data);
}
END_TEST

START_TEST(send_error_reports_last_index_sent) {
  ft.send_fail_at = 3;
  ft.send_fail_code = LTCP_ECLOSED;
  SEND(1, -1, LTCP_ECLOSED, 3, "abc");
}
END_TEST

START_TEST(send_error_from_offset) {
  ft.send_fail_at = 2;
  ft.send_fail_code = LTCP_ENETDOWN;
  ft.send_max = 1;
  SEND(2, 5, LTCP_ENETDOWN, 3, "bc"); /* bytes 2..3 went: last index 3 */
}
END_TEST

START_TEST(send_reset_is_closed) {
  ft.send_fail_at = 4;
  ft.send_fail_code = LTCP__ERESET; /* internal code: must come out as LTCP_ECLOSED */
  SEND(2, -1, LTCP_ECLOSED, 5, "bcde");
}
END_TEST

START_TEST(send_error_before_any_byte) {
  ft.send_fail_at = 0;
  ft.send_fail_code = LTCP_ECLOSED;
  SEND(3, -1, LTCP_ECLOSED, 2, ""); /* nothing sent: i - 1 */
}
END_TEST

START_TEST(send_timeout_zero_reports_partial) {
  lt_assert_rc(ltcp_settimeout(T, 0.0, 'b'), 0);
  ft.send_max = 4;
  ft.send_block_every = 2; /* the second call would-block: no waiting allowed */
  SEND(1, -1, LTCP_ETIMEOUT, 4, "abcd");
  ck_assert_uint_eq(ft.wait_calls, 0);
}
END_TEST

START_TEST(send_null_last_allowed) {
  lt_assert_rc(ltcp_send(T, "xy", 2, 1, -1, NULL), 0);
  lt_assert_bytes(ft.sent, ft.sent_len, "xy", 2);
}
END_TEST

/* ---- write: the C-shaped send ---- */

START_TEST(write_whole_buffer_in_short_writes) {
  size_t n = 5000, i, sent = 0;
  char *data = malloc(n);
  double tx = -1;
  ck_assert_ptr_nonnull(data);
  for (i = 0; i < n; i++) data[i] = (char)(i * 13 + 7);
  ft.send_max = 333;
  ft.send_block_every = 3;
  lt_assert_rc(ltcp_write(T, data, n, &sent), 0);
  ck_assert_uint_eq(sent, n);
  lt_assert_bytes(ft.sent, ft.sent_len, data, n);
  ck_assert_uint_gt(ft.wait_calls, 0);
  lt_assert_rc(ltcp_getstats(T, NULL, &tx, NULL), 0);
  ck_assert_double_eq(tx, (double)n);
  free(data);
}
END_TEST

START_TEST(write_error_reports_bytes_sent) {
  static const char data[] = "abcdef";
  size_t sent = 99, done;
  ft.send_fail_at = 4;
  ft.send_fail_code = LTCP__ERESET; /* a reset comes out as LTCP_ECLOSED */
  ft.send_max = 3;
  lt_assert_rc(ltcp_write(T, data, 6, &sent), LTCP_ECLOSED);
  ck_assert_uint_eq(sent, 4);
  lt_assert_bytes(ft.sent, ft.sent_len, "abcd", 4);
  /* and the rest, from data + sent, once the transport works again */
  ft.send_fail_code = 0;
  done = sent;
  lt_assert_rc(ltcp_write(T, data + done, 6 - done, &sent), 0);
  ck_assert_uint_eq(sent, 2);
  lt_assert_bytes(ft.sent, ft.sent_len, "abcdef", 6);
}
END_TEST

START_TEST(write_timeout_zero_reports_partial) {
  size_t sent = 0;
  lt_assert_rc(ltcp_settimeout(T, 0.0, LTCP_TIMEOUT_BLOCK), 0);
  ft.send_max = 4;
  ft.send_block_every = 2;
  lt_assert_rc(ltcp_write(T, "abcdef", 6, &sent), LTCP_ETIMEOUT);
  ck_assert_uint_eq(sent, 4);
  ck_assert_uint_eq(ft.wait_calls, 0);
}
END_TEST

START_TEST(write_empty_and_null_sent) {
  size_t sent = 7;
  lt_assert_rc(ltcp_write(T, NULL, 0, &sent), 0);
  ck_assert_uint_eq(sent, 0);
  ck_assert_uint_eq(ft.send_calls, 0);
  lt_assert_rc(ltcp_write(T, "xy", 2, NULL), 0);
  lt_assert_bytes(ft.sent, ft.sent_len, "xy", 2);
  lt_assert_rc(ltcp_write(T, NULL, 3, &sent), LTCP_EINVAL);
  ck_assert_uint_eq(sent, 0);
}
END_TEST

START_TEST(write_needs_a_client) {
  ltcp_t *m;
  size_t sent = 5;
  lt_assert_rc(ltcp_new(&m, LTCP_FAMILY_UNSPEC), 0);
  lt_assert_rc(ltcp_write(m, "x", 1, &sent), LTCP_ESTATE);
  ck_assert_uint_eq(sent, 0);
  ltcp_close(m);
  lt_assert_rc(ltcp_write(m, "x", 1, &sent), LTCP_ECLOSED);
  ltcp_free(m);
  lt_assert_rc(ltcp_write(NULL, "x", 1, &sent), LTCP_EINVAL);
}
END_TEST

/* ---- stats ---- */

START_TEST(stats_count_bytes) {
  double rx = -1, tx = -1, age = -1;
  lt_assert_rc(ltcp_getstats(T, &rx, &tx, &age), 0);
  ck_assert_double_eq(rx, 0.0);
  ck_assert_double_eq(tx, 0.0);
  ck_assert(age >= 0.0 && age < 5.0);
  SEND(2, 4, 0, 4, "bcd");
  SEND(1, -1, 0, 6, "abcdef");
  lt_assert_rc(ltcp_getstats(T, &rx, &tx, NULL), 0);
  ck_assert_double_eq(rx, 0.0);
  ck_assert_double_eq(tx, 9.0);
}
END_TEST

/* As LuaSocket (buffer_skip counts what leaves the buffer): "received" counts the stream bytes
 * consumed by receive calls (dropped CRs and the LF included, the prefix not), not what sits
 * read-ahead in the buffer. */
START_TEST(stats_received_counts_consumed_bytes) {
  double rx = -1;
  ltcp_bytes_t b;
  ft_add_str(&ft, "0123\r\nrest"); /* one chunk: the first receive buffers all of it */
  lt_assert_rc(lt_receive(T, LTCP_RECV_COUNT, 2, NULL, &b), 0);
  ltcp_bytes_free(&b);
  lt_assert_rc(ltcp_getstats(T, &rx, NULL, NULL), 0);
  ck_assert_msg(rx == 2.0,
                "received %g after consuming 2 bytes of a 10-byte chunk (LuaSocket "
                "counts consumed bytes: 2)",
                rx);
  lt_assert_rc(lt_receive(T, LTCP_RECV_LINE, 0, NULL, &b), 0);
  lt_assert_bytes(b.data, b.len, "23", 2);
  ltcp_bytes_free(&b);
  lt_assert_rc(ltcp_getstats(T, &rx, NULL, NULL), 0);
  ck_assert_msg(rx == 6.0, "received %g after consuming \"0123\\r\\n\" (expected 6)", rx);
  lt_assert_rc(lt_receive(T, LTCP_RECV_ALL, 0, NULL, &b), 0);
  ltcp_bytes_free(&b);
  lt_assert_rc(ltcp_getstats(T, &rx, NULL, NULL), 0);
  ck_assert_double_eq(rx, 10.0);
}
END_TEST

START_TEST(stats_partial_send_counted) {
  double tx = -1;
  ft.send_fail_at = 2;
  ft.send_fail_code = LTCP_ECLOSED;
  SEND(1, -1, LTCP_ECLOSED, 2, "ab");
  lt_assert_rc(ltcp_getstats(T, NULL, &tx, NULL), 0);
  ck_assert_double_eq(tx, 2.0);
}
END_TEST

START_TEST(setstats_then_count_on) {
  double rx, tx, age;
  lt_assert_rc(ltcp_setstats(T, 100.0, 200.0, 30.0), 0);
  lt_assert_rc(ltcp_getstats(T, &rx, &tx, &age), 0);
  ck_assert_double_eq(rx, 100.0);
  ck_assert_double_eq(tx, 200.0);
  ck_assert_msg(age >= 30.0 && age < 31.0, "age %g after setstats(age=30)", age);
  SEND(1, 3, 0, 3, "abc");
  lt_assert_rc(ltcp_getstats(T, &rx, &tx, NULL), 0);
  ck_assert_double_eq(rx, 100.0);
  ck_assert_double_eq(tx, 203.0);
  lt_assert_rc(ltcp_setstats(T, 0.0, 0.0, 0.0), 0);
  lt_assert_rc(ltcp_getstats(T, &rx, &tx, &age), 0);
  ck_assert_double_eq(rx, 0.0);
  ck_assert_double_eq(tx, 0.0);
  ck_assert(age >= 0.0 && age < 1.0);
}
END_TEST

START_TEST(setstats_rejects_nan) {
  double rx;
  lt_assert_rc(ltcp_setstats(T, 5.0, 5.0, 5.0), 0);
  lt_assert_rc(ltcp_setstats(T, (double)NAN, 1.0, 1.0), LTCP_EINVAL);
  lt_assert_rc(ltcp_setstats(T, 1.0, (double)NAN, 1.0), LTCP_EINVAL);
  lt_assert_rc(ltcp_setstats(T, 1.0, 1.0, (double)NAN), LTCP_EINVAL);
  lt_assert_rc(ltcp_getstats(T, &rx, NULL, NULL), 0);
  ck_assert_double_eq(rx, 5.0);
}
END_TEST

START_TEST(age_grows) {
  double a1, a2, t0;
  lt_assert_rc(ltcp_getstats(T, NULL, NULL, &a1), 0);
  t0 = lt_now(); /* after a1, so the spin lies wholly between the two readings */
  while (lt_now() - t0 < 0.02) {
    /* spin briefly on the test's own clock: no sleeping in unit tests */
  }
  lt_assert_rc(ltcp_getstats(T, NULL, NULL, &a2), 0);
  ck_assert_msg(a2 - a1 >= 0.019, "age went from %g to %g over 20 ms", a1, a2);
}
END_TEST

static Suite *tcp_suite(void) {
  Suite *s = suite_create("tcp");
  TCase *tc;

  tc = tcase_create("lifecycle");
  tcase_add_test(tc, open_unspec_has_no_socket);
  tcase_add_test(tc, open_bad_family);
  tcase_add_test(tc, init_cleanup_counted);
  tcase_add_test(tc, new_and_free);
  tcase_add_test(tc, state_names);
  suite_add_tcase(s, tc);

  tc = tcase_create("state_machine");
  tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
  tcase_add_test(tc, master_rejects_client_and_server_ops);
  tcase_add_test(tc, listen_on_unbound_unspec_master_fails);
  tcase_add_test(tc, client_rejects_master_and_server_ops);
  tcase_add_test(tc, closed_rejects_every_op);
  tcase_add_test(tc, close_is_idempotent);
  tcase_add_test(tc, accessors_work_when_closed);
  tcase_add_test(tc, options_without_socket_fail);
  suite_add_tcase(s, tc);

  tc = tcase_create("send");
  tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
  tcase_add_test(tc, send_defaults_whole_string);
  tcase_add_test(tc, send_sub_ranges);
  tcase_add_test(tc, send_negative_indices);
  tcase_add_test(tc, send_out_of_range_clamped);
  tcase_add_test(tc, send_empty_ranges_return_i_minus_1);
  tcase_add_test(tc, send_empty_string);
  tcase_add_test(tc, send_short_writes_looped);
  tcase_add_test(tc, send_short_writes_with_would_block);
  tcase_add_test(tc, send_error_reports_last_index_sent);
  tcase_add_test(tc, send_error_from_offset);
  tcase_add_test(tc, send_reset_is_closed);
  tcase_add_test(tc, send_error_before_any_byte);
  tcase_add_test(tc, send_timeout_zero_reports_partial);
  tcase_add_test(tc, send_null_last_allowed);
  tcase_add_test(tc, write_whole_buffer_in_short_writes);
  tcase_add_test(tc, write_error_reports_bytes_sent);
  tcase_add_test(tc, write_timeout_zero_reports_partial);
  tcase_add_test(tc, write_empty_and_null_sent);
  tcase_add_test(tc, write_needs_a_client);
  suite_add_tcase(s, tc);

  tc = tcase_create("stats");
  tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
  tcase_add_test(tc, stats_count_bytes);
  tcase_add_test(tc, stats_received_counts_consumed_bytes);
  tcase_add_test(tc, stats_partial_send_counted);
  tcase_add_test(tc, setstats_then_count_on);
  tcase_add_test(tc, setstats_rejects_nan);
  tcase_add_test(tc, age_grows);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(tcp_suite());
}
