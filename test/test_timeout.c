/* Timeout arithmetic (timeout.c) as pure functions of (settings, start, now), the public
 * settimeout/gettimeout modes, and the budget the io loop hands to wait() (over the fake
 * transport, which records it). No sleeping. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "unit_fixture.h"
#include "test_util.h"

static ltcp__timeout_t mk(double block, double total, double start) {
  ltcp__timeout_t tm;
  ltcp__timeout_init(&tm);
  tm.block = block;
  tm.total = total;
  ltcp__timeout_markstart(&tm, start);
  return tm;
}

#define LEFT_EQ(tm, wait_start, now, want)                                                         \
  do {                                                                                             \
    double got_ = ltcp__timeout_left(&(tm), (wait_start), (now));                                  \
    ck_assert_msg(fabs(got_ - (want)) < 1e-9,                                                      \
                  "timeout_left(block %g, total %g, start %g, "                                    \
                  "wait_start %g, now %g) = %.9f, expected %.9f",                                  \
                  (tm).block, (tm).total, (tm).start, (double)(wait_start), (double)(now), got_,   \
                  (double)(want));                                                                 \
  } while (0)

START_TEST(init_is_forever) {
  ltcp__timeout_t tm;
  ltcp__timeout_init(&tm);
  ck_assert(tm.block < 0.0);
  ck_assert(tm.total < 0.0);
  LEFT_EQ(tm, 0.0, 0.0, -1.0);
  LEFT_EQ(tm, 5.0, 1e6, -1.0);
  ck_assert_int_eq(ltcp__timeout_iszero(&tm), 0);
}
END_TEST

START_TEST(block_only) {
  ltcp__timeout_t tm = mk(1.0, -1.0, 100.0);
  LEFT_EQ(tm, 100.0, 100.0, 1.0);
  LEFT_EQ(tm, 100.0, 100.25, 0.75);
  /* Block counts from the start of this wait, not of the call. */
  LEFT_EQ(tm, 150.0, 150.5, 0.5);
  LEFT_EQ(tm, 100.0, 101.0, 0.0);
  LEFT_EQ(tm, 100.0, 250.0, 0.0); /* never negative */
}
END_TEST

START_TEST(total_only) {
  ltcp__timeout_t tm = mk(-1.0, 2.0, 10.0);
  LEFT_EQ(tm, 10.0, 10.0, 2.0);
  /* Total counts from the start of the call, whatever the wait's start. */
  LEFT_EQ(tm, 11.0, 11.5, 0.5);
  LEFT_EQ(tm, 11.9, 12.0, 0.0);
  LEFT_EQ(tm, 10.0, 99.0, 0.0);
}
END_TEST

START_TEST(block_and_total_smaller_wins) {
  ltcp__timeout_t tm = mk(1.0, 3.0, 0.0);
  LEFT_EQ(tm, 0.0, 0.0, 1.0); /* block is smaller */
  LEFT_EQ(tm, 2.5, 2.5, 0.5); /* total is smaller now */
  LEFT_EQ(tm, 2.5, 2.75, 0.25);
  LEFT_EQ(tm, 1.0, 1.5, 0.5); /* block: 0.5 left; total: 1.5 left */
  LEFT_EQ(tm, 2.9, 3.5, 0.0);
  tm = mk(5.0, 0.5, 0.0);
  LEFT_EQ(tm, 0.0, 0.1, 0.4);
}
END_TEST

START_TEST(zero_timeouts) {
  ltcp__timeout_t tm = mk(0.0, -1.0, 0.0);
  LEFT_EQ(tm, 0.0, 0.0, 0.0);
  ck_assert_int_ne(ltcp__timeout_iszero(&tm), 0);
  tm = mk(-1.0, 0.0, 0.0);
  LEFT_EQ(tm, 0.0, 0.0, 0.0);
  ck_assert_int_ne(ltcp__timeout_iszero(&tm), 0);
  tm = mk(0.0, 10.0, 0.0);
  LEFT_EQ(tm, 0.0, 0.0, 0.0);
  ck_assert_int_ne(ltcp__timeout_iszero(&tm), 0);
  tm = mk(0.001, 10.0, 0.0);
  ck_assert_int_eq(ltcp__timeout_iszero(&tm), 0);
}
END_TEST

START_TEST(never_negative_sweep) {
  /* Every combination of settings and elapsed times: -1 only when both are unbounded. */
  static const double settings[] = {-1.0, 0.0, 0.001, 0.5, 1.0, 3600.0};
  static const double elapsed[] = {0.0, 0.0005, 0.25, 0.999, 1.0, 2.0, 1e7};
  size_t a, b, c, d;
  for (a = 0; a < sizeof settings / sizeof *settings; a++)
    for (b = 0; b < sizeof settings / sizeof *settings; b++)
      for (c = 0; c < sizeof elapsed / sizeof *elapsed; c++)
        for (d = 0; d < sizeof elapsed / sizeof *elapsed; d++) {
          ltcp__timeout_t tm = mk(settings[a], settings[b], 1000.0);
          double wait_start = 1000.0 + elapsed[c], now = wait_start + elapsed[d];
          double left = ltcp__timeout_left(&tm, wait_start, now);
          if (settings[a] < 0 && settings[b] < 0) {
            ck_assert_msg(left == -1.0, "both unbounded must give -1, got %g", left);
          } else {
            ck_assert_msg(left >= 0.0, "left %g < 0 (block %g total %g)", left, settings[a],
                          settings[b]);
            if (settings[a] >= 0) ck_assert(left <= settings[a]);
            if (settings[b] >= 0) ck_assert(left <= settings[b]);
          }
        }
}
END_TEST

/* ---- seconds -> OS timer units (timeconv.c) ---- */

START_TEST(roundup_rounds_up) {
  ck_assert_int_eq(ltcp__wait_units(0.5, 1000), 500);
  ck_assert_int_eq(ltcp__wait_units(0.0015, 1000), 2);
  ck_assert_int_eq(ltcp__wait_units(1.0000001, 1000), 1001);
  ck_assert_int_eq(ltcp__wait_units(2.0, 1000000L), 2000000);
  ck_assert_int_eq(ltcp__wait_units(2.0000000001, 1000000L), 2000001);
  ck_assert_int_eq(ltcp__wait_units(1.5e-9, 1000000000L), 2);
  ck_assert_int_eq(ltcp__wait_units(3.0, 1), 3);
  ck_assert_int_eq(ltcp__wait_units(3.01, 1), 4);
}
END_TEST

START_TEST(roundup_never_early_sweep) {
  /* Whatever the time, the units given cover it: units / per_second >= seconds. */
  static const long scales[] = {1, 1000, 1000000L, 1000000000L};
  size_t k;
  for (k = 0; k < sizeof scales / sizeof *scales; k++) {
    double s;
    for (s = 1e-9; s < 1e5; s *= 1.37) {
      long long u = ltcp__wait_units(s, scales[k]);
      ck_assert_msg((double)u / (double)scales[k] >= s, "%g s -> %lld units of 1/%ld: early", s, u,
                    scales[k]);
      ck_assert_msg((double)(u - 1) / (double)scales[k] < s,
                    "%g s -> %lld units of 1/%ld: "
                    "more than one unit late",
                    s, u, scales[k]);
    }
  }
}
END_TEST

START_TEST(roundup_negative_is_forever) {
  ck_assert_int_eq(ltcp__wait_units(-1.0, 1000), -1);
  ck_assert_int_eq(ltcp__wait_units(-1e-300, 1000), -1);
  ck_assert_int_eq(ltcp__wait_units(-INFINITY, 1000000L), -1);
  ck_assert_int_eq(ltcp__wait_units(0.0, 1000), 0);
  ck_assert_int_eq(ltcp__wait_units(-0.0, 1000), 0);
  ck_assert_int_eq(ltcp__wait_units(NAN, 1000), 0); /* no time, never forever */
}
END_TEST

START_TEST(roundup_huge_is_capped) {
  long long cap_ms = (long long)(LTCP__WAIT_CAP * 1000.0);
  ck_assert_int_eq(ltcp__wait_units(1e300, 1000), cap_ms);
  ck_assert_int_eq(ltcp__wait_units(INFINITY, 1000), cap_ms);
  ck_assert_int_eq(ltcp__wait_units(LTCP__WAIT_CAP, 1000), cap_ms);
  ck_assert_int_eq(ltcp__wait_units(1e300, 1000000000L), (long long)(LTCP__WAIT_CAP * 1e9));
  /* Every cap fits the timers' types: poll's int milliseconds, Sleep's 32-bit DWORD. */
  ck_assert(cap_ms <= 2147483647LL);
  ck_assert_int_eq(ltcp__wait_capped(LTCP__WAIT_CAP), 0);
  ck_assert_int_eq(ltcp__wait_capped(LTCP__WAIT_CAP * 2), 1);
  ck_assert_int_eq(ltcp__wait_capped(INFINITY), 1);
  ck_assert_int_eq(ltcp__wait_capped(-1.0), 0);
}
END_TEST

START_TEST(roundup_tiny_positive_is_one_unit) {
  ck_assert_int_eq(ltcp__wait_units(1e-300, 1000), 1);
  ck_assert_int_eq(ltcp__wait_units(DBL_MIN, 1000), 1);
  ck_assert_int_eq(ltcp__wait_units(4.9e-324, 1), 1); /* the smallest denormal */
  ck_assert_int_eq(ltcp__wait_units(1e-12, 1000000000L), 1);
}
END_TEST

START_TEST(roundup_split) {
  long long sec = -7;
  long frac = -7;
  ck_assert_int_eq(ltcp__wait_split(1.5, 1000000L, &sec, &frac), 0);
  ck_assert_int_eq(sec, 1);
  ck_assert_int_eq(frac, 500000);
  ck_assert_int_eq(ltcp__wait_split(0.9999999999, 1000000L, &sec, &frac), 0);
  ck_assert_int_eq(sec, 1); /* rounded up into the next second */
  ck_assert_int_eq(frac, 0);
  ck_assert_int_eq(ltcp__wait_split(2.000000000001, 1000000000L, &sec, &frac), 0);
  ck_assert_int_eq(sec, 2);
  ck_assert_int_eq(frac, 1);
  ck_assert_int_eq(ltcp__wait_split(1e-300, 1000000L, &sec, &frac), 0);
  ck_assert_int_eq(sec, 0);
  ck_assert_int_eq(frac, 1);
  ck_assert_int_eq(ltcp__wait_split(1e300, 1000000L, &sec, &frac), 0);
  ck_assert_int_eq(sec, (long long)LTCP__WAIT_CAP);
  ck_assert_int_eq(frac, 0);
  sec = frac = 42;
  ck_assert_int_eq(ltcp__wait_split(-2.0, 1000000L, &sec, &frac), -1);
  ck_assert_int_eq(sec, 42); /* nothing stored */
  ck_assert_int_eq(frac, 42);
}
END_TEST

/* ---- settimeout / gettimeout ---- */

static ltcp_t *open_unspec(void) {
  ltcp_t *t;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_UNSPEC), 0);
  return t;
}

START_TEST(default_blocks_forever) {
  ltcp_t *t = open_unspec();
  double b = 0, tt = 0;
  lt_assert_rc(ltcp_gettimeout(t, &b, &tt), 0);
  ck_assert(b < 0.0);
  ck_assert(tt < 0.0);
  ltcp_free(t);
}
END_TEST

START_TEST(modes_b_t_r) {
  ltcp_t *t = open_unspec();
  double b = 0, tt = 0;
  lt_assert_rc(ltcp_settimeout(t, 1.5, 'b'), 0);
  lt_assert_rc(ltcp_gettimeout(t, &b, &tt), 0);
  ck_assert_double_eq(b, 1.5);
  ck_assert(tt < 0.0);
  lt_assert_rc(ltcp_settimeout(t, 2.25, 't'), 0);
  lt_assert_rc(ltcp_gettimeout(t, &b, &tt), 0);
  ck_assert_double_eq(b, 1.5);
  ck_assert_double_eq(tt, 2.25);
  lt_assert_rc(ltcp_settimeout(t, 0.125, 'r'), 0); /* 'r' is an alias of 't' */
  lt_assert_rc(ltcp_gettimeout(t, &b, &tt), 0);
  ck_assert_double_eq(b, 1.5);
  ck_assert_double_eq(tt, 0.125);
  lt_assert_rc(ltcp_settimeout(t, 0.0, 'b'), 0);
  lt_assert_rc(ltcp_gettimeout(t, &b, &tt), 0);
  ck_assert_double_eq(b, 0.0);
  ltcp_free(t);
}
END_TEST

START_TEST(negative_and_infinity_mean_forever) {
  ltcp_t *t = open_unspec();
  double b = 0, tt = 0;
  lt_assert_rc(ltcp_settimeout(t, 1.0, 'b'), 0);
  lt_assert_rc(ltcp_settimeout(t, 1.0, 't'), 0);
  lt_assert_rc(ltcp_settimeout(t, -3.0, 'b'), 0);
  lt_assert_rc(ltcp_settimeout(t, (double)INFINITY, 't'), 0);
  lt_assert_rc(ltcp_gettimeout(t, &b, &tt), 0);
  ck_assert_msg(b < 0.0, "negative block should mean forever, got %g", b);
  ck_assert_msg(tt < 0.0, "+infinity total should mean forever (negative), got %g", tt);
  ltcp_free(t);
}
END_TEST

START_TEST(bad_mode_and_nan_rejected) {
  ltcp_t *t = open_unspec();
  double b = 0, tt = 0;
  lt_assert_rc(ltcp_settimeout(t, 1.0, 'b'), 0);
  lt_assert_rc(ltcp_settimeout(t, 2.0, 't'), 0);
  lt_assert_rc(ltcp_settimeout(t, 5.0, 'x'), LTCP_EINVAL);
  lt_assert_rc(ltcp_settimeout(t, 5.0, 0), LTCP_EINVAL);
  lt_assert_rc(ltcp_settimeout(t, 5.0, 'B'), LTCP_EINVAL);
  lt_assert_rc(ltcp_settimeout(t, (double)NAN, 'b'), LTCP_EINVAL);
  lt_assert_rc(ltcp_settimeout(t, (double)NAN, 't'), LTCP_EINVAL);
  lt_assert_rc(ltcp_gettimeout(t, &b, &tt), 0);
  ck_assert_double_eq(b, 1.0); /* rejected calls changed nothing */
  ck_assert_double_eq(tt, 2.0);
  ltcp_free(t);
}
END_TEST

START_TEST(settimeout_in_every_state) {
  ltcp_t *t = open_unspec();
  double b = 0;
  lt_assert_rc(ltcp_close(t), 0);
  lt_assert_rc(ltcp_settimeout(t, 0.5, 'b'), 0);
  lt_assert_rc(ltcp_gettimeout(t, &b, NULL), 0);
  ck_assert_double_eq(b, 0.5);
  ltcp_free(t);
}
END_TEST

/* ---- the io loop's wait budget, over the fake transport ---- */


static int recv_line(void) {
  ltcp_bytes_t b;
  int rc = lt_receive(T, LTCP_RECV_LINE, 0, NULL, &b);
  ltcp_bytes_free(&b);
  return rc;
}

START_TEST(wait_gets_forever_without_timeouts) {
  ft_add_block(&ft);
  ft_add_str(&ft, "x\n");
  lt_assert_rc(recv_line(), 0);
  ck_assert_uint_eq(ft.wait_calls, 1);
  ck_assert_msg(ft.wait_seconds[0] < 0.0,
                "no timeout set: wait should get a negative budget "
                "(forever), got %g",
                ft.wait_seconds[0]);
}
END_TEST

START_TEST(wait_gets_block_budget) {
  lt_assert_rc(ltcp_settimeout(T, 0.5, 'b'), 0);
  ft_add_block(&ft);
  ft_add_block(&ft);
  ft_add_str(&ft, "x\n");
  lt_assert_rc(recv_line(), 0);
  ck_assert_uint_eq(ft.wait_calls, 2);
  /* Each wait gets the full block budget (minus the few microseconds the call took). */
  ck_assert_msg(ft.wait_seconds[0] <= 0.5 && ft.wait_seconds[0] > 0.45, "got %g",
                ft.wait_seconds[0]);
  ck_assert_msg(ft.wait_seconds[1] <= 0.5 && ft.wait_seconds[1] > 0.45, "got %g",
                ft.wait_seconds[1]);
}
END_TEST

START_TEST(wait_gets_total_budget_when_smaller) {
  lt_assert_rc(ltcp_settimeout(T, 10.0, 'b'), 0);
  lt_assert_rc(ltcp_settimeout(T, 0.25, 't'), 0);
  ft_add_block(&ft);
  ft_add_str(&ft, "x\n");
  lt_assert_rc(recv_line(), 0);
  ck_assert_uint_eq(ft.wait_calls, 1);
  ck_assert_msg(ft.wait_seconds[0] <= 0.25 && ft.wait_seconds[0] > 0.2, "got %g",
                ft.wait_seconds[0]);
}
END_TEST

START_TEST(wait_after_eintr_does_not_restart_budget) {
  lt_assert_rc(ltcp_settimeout(T, 0.5, 't'), 0);
  ft_add_block(&ft);
  ft_add_wait(&ft, LTCP__EINTR);
  ft_add_wait(&ft, 0);
  ft_add_str(&ft, "x\n");
  lt_assert_rc(recv_line(), 0);
  ck_assert_uint_eq(ft.wait_calls, 2);
  ck_assert(ft.wait_seconds[0] <= 0.5);
  ck_assert_msg(ft.wait_seconds[1] <= ft.wait_seconds[0],
                "after EINTR the wait got %g, more than the %g it had before", ft.wait_seconds[1],
                ft.wait_seconds[0]);
}
END_TEST

START_TEST(wait_timeout_is_reported) {
  lt_assert_rc(ltcp_settimeout(T, 0.5, 'b'), 0);
  ft_add_block(&ft);
  ft_add_wait(&ft, LTCP_ETIMEOUT);
  ft_add_str(&ft, "x\n");
  lt_assert_rc(recv_line(), LTCP_ETIMEOUT);
}
END_TEST

START_TEST(send_waits_for_pollout) {
  long long last = 0;
  lt_assert_rc(ltcp_settimeout(T, 0.5, 'b'), 0);
  ft.send_block_every = 1;         /* every send would-block first ... */
  ft_add_wait(&ft, LTCP_ETIMEOUT); /* ... and the wait times out */
  lt_assert_rc(lt_send_str(T, "abc", &last), LTCP_ETIMEOUT);
  ck_assert_int_eq(last, 0);
  ck_assert_uint_eq(ft.wait_calls, 1);
  ck_assert_int_eq(ft.wait_events[0] & LTCP_POLLOUT, LTCP_POLLOUT);
  ck_assert(ft.wait_seconds[0] <= 0.5 && ft.wait_seconds[0] > 0.45);
}
END_TEST

/* ---- per-operation timeouts (ltcp_settimeout_op, Lua's settimeouts) ---- */

START_TEST(op_arithmetic) {
  ltcp__timeout_t tm = mk(5.0, -1.0, 100.0);
#define OP_LEFT_EQ(op, ws, now, want)                                                              \
  ck_assert_double_eq_tol(ltcp__timeout_left_op(&tm, (op), (ws), (now)), (want), 1e-9)
  tm.op[LTCP_TIMEOUT_READ] = 1.0;
  tm.op[LTCP_TIMEOUT_SEND] = -1.0;
  tm.op[LTCP_TIMEOUT_CONNECT] = 0.0;
  OP_LEFT_EQ(LTCP_TIMEOUT_READ, 100.0, 100.25, 0.75);
  OP_LEFT_EQ(LTCP_TIMEOUT_SEND, 100.0, 1e6, -1.0);
  OP_LEFT_EQ(LTCP_TIMEOUT_CONNECT, 100.0, 100.0, 0.0);
  ck_assert_int_ne(ltcp__timeout_iszero_op(&tm, LTCP_TIMEOUT_CONNECT), 0);
  ck_assert_int_eq(ltcp__timeout_iszero_op(&tm, LTCP_TIMEOUT_READ), 0);
  LEFT_EQ(tm, 100.0, 100.0, 5.0); /* the block timeout itself is untouched */
  tm.total = 0.5;                 /* the total still bounds the call */
  OP_LEFT_EQ(LTCP_TIMEOUT_SEND, 100.2, 100.2, 0.3);
  OP_LEFT_EQ(LTCP_TIMEOUT_READ, 100.0, 100.4, 0.1);
#undef OP_LEFT_EQ
}
END_TEST

START_TEST(settimeouts_public) {
  ltcp_t *t = open_unspec();
  double v = 0, b = 0, tt = 0;
  int op;
  for (op = 0; op < 3; op++) {
    lt_assert_rc(ltcp_gettimeout_op(t, (ltcp_timeout_op_t)op, &v), 0);
    ck_assert_msg(v < 0.0, "op %d starts at %g, not forever", op, v);
  }
  lt_assert_rc(ltcp_settimeout(t, 2.0, 'b'), 0); /* sets all three */
  for (op = 0; op < 3; op++) {
    lt_assert_rc(ltcp_gettimeout_op(t, (ltcp_timeout_op_t)op, &v), 0);
    ck_assert_double_eq(v, 2.0);
  }
  lt_assert_rc(ltcp_settimeout_op(t, LTCP_TIMEOUT_READ, 0.5), 0);
  lt_assert_rc(ltcp_settimeout_op(t, LTCP_TIMEOUT_SEND, (double)INFINITY), 0);
  lt_assert_rc(ltcp_gettimeout_op(t, LTCP_TIMEOUT_READ, &v), 0);
  ck_assert_double_eq(v, 0.5);
  lt_assert_rc(ltcp_gettimeout_op(t, LTCP_TIMEOUT_SEND, &v), 0);
  ck_assert_msg(v < 0.0, "infinity means forever, got %g", v);
  lt_assert_rc(ltcp_gettimeout_op(t, LTCP_TIMEOUT_CONNECT, &v), 0);
  ck_assert_double_eq(v, 2.0);
  lt_assert_rc(ltcp_gettimeout(t, &b, &tt), 0); /* gettimeout stays LuaSocket's */
  ck_assert_double_eq(b, 2.0);
  ck_assert(tt < 0.0);
  lt_assert_rc(ltcp_settimeout_op(t, LTCP_TIMEOUT_READ, (double)NAN), LTCP_EINVAL);
  lt_assert_rc(ltcp_settimeout_op(t, (ltcp_timeout_op_t)3, 1.0), LTCP_EINVAL);
  lt_assert_rc(ltcp_settimeout_op(t, (ltcp_timeout_op_t)-1, 1.0), LTCP_EINVAL);
  lt_assert_rc(ltcp_gettimeout_op(t, (ltcp_timeout_op_t)3, &v), LTCP_EINVAL);
  lt_assert_rc(ltcp_gettimeout_op(t, LTCP_TIMEOUT_READ, NULL), LTCP_EINVAL);
  lt_assert_rc(ltcp_settimeout_op(NULL, LTCP_TIMEOUT_READ, 1.0), LTCP_EINVAL);
  lt_assert_rc(ltcp_gettimeout_op(t, LTCP_TIMEOUT_READ, &v), 0);
  ck_assert_double_eq(v, 0.5); /* the rejected calls changed nothing */
  ltcp_free(t);
}
END_TEST

START_TEST(read_wait_gets_read_timeout) {
  lt_assert_rc(ltcp_settimeout(T, 9.0, 'b'), 0);
  lt_assert_rc(ltcp_settimeout_op(T, LTCP_TIMEOUT_READ, 0.5), 0);
  lt_assert_rc(ltcp_settimeout_op(T, LTCP_TIMEOUT_SEND, 0.2), 0);
  ft_add_block(&ft);
  ft_add_str(&ft, "x\n");
  lt_assert_rc(recv_line(), 0);
  ck_assert_uint_eq(ft.wait_calls, 1);
  ck_assert_msg(ft.wait_seconds[0] <= 0.5 && ft.wait_seconds[0] > 0.45, "got %g",
                ft.wait_seconds[0]);
}
END_TEST

START_TEST(send_wait_gets_send_timeout) {
  long long last = 0;
  lt_assert_rc(ltcp_settimeout_op(T, LTCP_TIMEOUT_SEND, 0.3), 0);
  lt_assert_rc(ltcp_settimeout_op(T, LTCP_TIMEOUT_READ, 7.0), 0);
  ft.send_block_every = 1;
  ft_add_wait(&ft, LTCP_ETIMEOUT);
  lt_assert_rc(lt_send_str(T, "abc", &last), LTCP_ETIMEOUT);
  ck_assert_uint_eq(ft.wait_calls, 1);
  ck_assert_msg(ft.wait_seconds[0] <= 0.3 && ft.wait_seconds[0] > 0.25, "got %g",
                ft.wait_seconds[0]);
}
END_TEST

START_TEST(total_still_bounds_per_op) {
  lt_assert_rc(ltcp_settimeout_op(T, LTCP_TIMEOUT_READ, 10.0), 0);
  lt_assert_rc(ltcp_settimeout(T, 0.25, 't'), 0);
  ft_add_block(&ft);
  ft_add_str(&ft, "x\n");
  lt_assert_rc(recv_line(), 0);
  ck_assert_msg(ft.wait_seconds[0] <= 0.25 && ft.wait_seconds[0] > 0.2, "got %g",
                ft.wait_seconds[0]);
}
END_TEST

static Suite *timeout_suite(void) {
  Suite *s = suite_create("timeout");
  TCase *tc;

  tc = tcase_create("arithmetic");
  tcase_add_test(tc, init_is_forever);
  tcase_add_test(tc, block_only);
  tcase_add_test(tc, total_only);
  tcase_add_test(tc, block_and_total_smaller_wins);
  tcase_add_test(tc, zero_timeouts);
  tcase_add_test(tc, never_negative_sweep);
  suite_add_tcase(s, tc);

  tc = tcase_create("roundup");
  tcase_add_test(tc, roundup_rounds_up);
  tcase_add_test(tc, roundup_never_early_sweep);
  tcase_add_test(tc, roundup_negative_is_forever);
  tcase_add_test(tc, roundup_huge_is_capped);
  tcase_add_test(tc, roundup_tiny_positive_is_one_unit);
  tcase_add_test(tc, roundup_split);
  suite_add_tcase(s, tc);

  tc = tcase_create("settimeout");
  tcase_add_test(tc, default_blocks_forever);
  tcase_add_test(tc, modes_b_t_r);
  tcase_add_test(tc, negative_and_infinity_mean_forever);
  tcase_add_test(tc, bad_mode_and_nan_rejected);
  tcase_add_test(tc, settimeout_in_every_state);
  suite_add_tcase(s, tc);

  tc = tcase_create("io_loop");
  tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
  tcase_add_test(tc, wait_gets_forever_without_timeouts);
  tcase_add_test(tc, wait_gets_block_budget);
  tcase_add_test(tc, wait_gets_total_budget_when_smaller);
  tcase_add_test(tc, wait_after_eintr_does_not_restart_budget);
  tcase_add_test(tc, wait_timeout_is_reported);
  tcase_add_test(tc, send_waits_for_pollout);
  tcase_add_test(tc, read_wait_gets_read_timeout);
  tcase_add_test(tc, send_wait_gets_send_timeout);
  tcase_add_test(tc, total_still_bounds_per_op);
  suite_add_tcase(s, tc);

  tc = tcase_create("per_operation");
  tcase_add_test(tc, op_arithmetic);
  tcase_add_test(tc, settimeouts_public);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(timeout_suite());
}
