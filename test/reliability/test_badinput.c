/* Bad input table: every public function of ltcp.h with NULL, a closed object, an object in the
 * wrong state, and out-of-range values (ports, NaN/inf timeouts, modes, patterns, option ids,
 * huge indices, negative backlogs). Each row must return its expected code and never crash.
 *
 * ADD A ROW HERE FOR EVERY NEW PUBLIC FUNCTION (and for every new bad argument you think of).
 * Each row is one Check loop iteration: in fork mode (POSIX) a crashing row fails alone and the
 * others still run; on Windows (no fork) the rows run in one process.
 * Functions without a status (ltcp_state, ltcp_getfd, ...) are wrapped to return 0 when they
 * behaved and ODD (a value outside the error table) when not. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_helpers.h"
#include "test_util.h"

/* Expectations beyond a single code. */
#define WANT_ANY_ERR 1000 /* any public error code (< 0) */
#define WANT_OK_OR_INVAL 1001
#define WANT_NO_CRASH 1002 /* 0 or any public error code */
#define ODD (-9999)

typedef enum objkind {
  O_NULL,    /* NULL */
  O_RAW,     /* ltcp_sizeof() zeroed bytes, never opened */
  O_CLOSED,  /* opened (INET) then closed */
  O_MASTER0, /* master, family UNSPEC: no OS socket yet */
  O_MASTER,  /* master with an INET socket */
  O_BOUND,   /* master bound to 127.0.0.1:0 */
  O_SERVER,  /* listening on 127.0.0.1:0 */
  O_CLIENT   /* connected; the peer has sent "data\n" */
} objkind_t;

typedef struct fx {
  ltcp_t *t;     /* the object under test, of the row's kind */
  ltcp_t *peer;  /* O_CLIENT: the accepted side */
  ltcp_t *spare; /* a raw object (accept target, ...) */
} fx_t;

typedef int (*call_fn)(fx_t *f);

typedef struct row {
  const char *fn;   /* the public function */
  const char *what; /* the bad input */
  objkind_t obj;
  call_fn call;
  int want;
} row_t;

#define T (f->t)
#define CALL(name, expr)                                                                           \
  static int name(fx_t *f) {                                                                       \
    (void)f;                                                                                       \
    return (expr);                                                                                 \
  }

static char *null_prepare(void *ctx, size_t want) {
  (void)ctx;
  (void)want;
  return NULL; /* out of memory */
}
static void noop_commit(void *ctx, size_t n) {
  (void)ctx;
  (void)n;
}
static const ltcp_sink_t oom_sink = {null_prepare, noop_commit, NULL};
static const ltcp_sink_t half_sink = {NULL, noop_commit, NULL};

static int recv_with(fx_t *f, int pattern, size_t count, const char *prefix, size_t plen,
                     const ltcp_sink_t *sink) {
  ltcp_bytes_t b;
  ltcp_sink_t s;
  int rc;
  ltcp_bytes_init(&b);
  s = ltcp_bytes_sink(&b);
  rc = ltcp_receive(T, (ltcp_pattern_t)pattern, count, prefix, plen, sink ? sink : &s);
  ltcp_bytes_free(&b);
  return rc;
}

static int recvmax_with(fx_t *f, int pattern, size_t count, const char *prefix, size_t plen,
                        size_t maxsize, const ltcp_sink_t *sink) {
  ltcp_bytes_t b;
  ltcp_sink_t s;
  int rc;
  ltcp_bytes_init(&b);
  s = ltcp_bytes_sink(&b);
  rc = ltcp_receive_max(T, (ltcp_pattern_t)pattern, count, prefix, plen, maxsize, sink ? sink : &s);
  /* an argument error must leave the sink untouched */
  if (rc == LTCP_EINVAL && b.len != 0) rc = ODD;
  ltcp_bytes_free(&b);
  return rc;
}

static int getopt_error_is(fx_t *f, int want) {
  int v = 12345, rc = ltcp_getoption(T, LTCP_OPT_ERROR, &v, NULL);
  return rc ? rc : v == want ? 0 : ODD;
}

static int maxsockets_ok(void) {
  int n = ltcp_maxsockets();
  return n > 0 && n < INT_MAX ? 0 : ODD;
}

static int any_with(fx_t *f, size_t max, const ltcp_sink_t *sink) {
  ltcp_bytes_t b;
  ltcp_sink_t s;
  int rc;
  ltcp_bytes_init(&b);
  s = ltcp_bytes_sink(&b);
  rc = ltcp_receive_any(T, max, sink ? sink : &s);
  if (rc != 0 && b.len != 0) rc = ODD; /* an error puts nothing in the sink */
  if (rc == 0 && (b.len == 0 || b.len > max)) rc = ODD;
  ltcp_bytes_free(&b);
  return rc;
}

/* receive_until over the row's object with a fresh matcher; pattern NULL: the matcher is NULL. */
static int until_with(fx_t *f, const char *pattern, size_t size, int null_sink, int null_end) {
  ltcp_until_t *u = NULL;
  ltcp_bytes_t b;
  ltcp_sink_t s;
  int rc, end = 0;
  if (pattern && ltcp_until_new(&u, pattern, strlen(pattern), 0) != 0) return ODD;
  ltcp_bytes_init(&b);
  s = ltcp_bytes_sink(&b);
  rc = ltcp_receive_until(T, u, size, null_sink ? NULL : &s, null_end ? NULL : &end);
  if (rc == 0 && size && b.len > size) rc = ODD;
  ltcp_bytes_free(&b);
  ltcp_until_free(u);
  return rc;
}

static int until_new_bad(const char *pattern, size_t len, int flags) {
  ltcp_until_t *u = (ltcp_until_t *)&u; /* not NULL: must be reset */
  int rc = ltcp_until_new(&u, pattern, len, flags);
  if (rc != 0 && u != NULL) return ODD;
  ltcp_until_free(u);
  return rc;
}

static int until_init_bad(const char *pattern, size_t len, int flags) {
  union {
    char c[256];
    void *p;
    double d;
  } mem;
  return ltcp_until_init((ltcp_until_t *)(void *)mem.c, pattern, len, flags);
}

static int send_idx(fx_t *f, size_t len, long long i, long long j, long long want_last) {
  long long last = -12345;
  int rc = ltcp_send(T, "abcdefgh", len, i, j, &last);
  if (rc == 0 && last != want_last) return ODD;
  return rc;
}

static int quick_sleep(double s) {
  double t0 = lt_now();
  ltcp_sleep(s);
  return lt_now() - t0 < 2 * LT_AT_ONCE ? 0 : ODD;
}

static int select_one(ltcp_os_sock_t s, int events, double timeout, int null_nready) {
  ltcp_pollfd_t p;
  size_t n = 0;
  p.sock = s;
  p.events = events;
  p.revents = 0;
  return ltcp_select(&p, 1, timeout, null_nready ? NULL : &n);
}

static int open_then_state(fx_t *f, int family) {
  int rc = ltcp_open(T, family);
  if (rc != 0 && ltcp_state(T) != LTCP_STATE_CLOSED) return ODD; /* "left closed" */
  return rc;
}

static int new_bad(int family) {
  ltcp_t *t = (ltcp_t *)&t; /* not NULL: must be reset */
  int rc = ltcp_new(&t, family);
  if (rc != 0 && t != NULL) return ODD;
  if (rc == 0) ltcp_free(t);
  return rc;
}

static int connect_to_closed(fx_t *f, const char *host, int port, const char *lh, int lp, int fam) {
  int rc = ltcp_connect_to(T, host, port, lh, lp, fam);
  if (rc != 0 && T && ltcp_getfd(T) != LTCP_INVALID_SOCKET) return ODD; /* leaked a socket */
  return rc;
}

static int bind_to_closed(fx_t *f, const char *host, int port, int backlog) {
  int rc = ltcp_bind_to(T, host, port, backlog);
  if (rc != 0 && T && ltcp_getfd(T) != LTCP_INVALID_SOCKET) return ODD;
  return rc;
}

static int accept_into_spare(fx_t *f) {
  int rc = ltcp_accept(T, f->spare);
  if (rc != 0 && ltcp_state(f->spare) != LTCP_STATE_CLOSED) return ODD;
  return rc;
}

static int bytes_null_sink(void) {
  ltcp_sink_t s = ltcp_bytes_sink(NULL);
  char *p;
  if (!s.prepare || !s.commit) return 0; /* refusing to make one is fine too */
  p = s.prepare(s.ctx, 10);              /* a sink over nothing: out of memory, no crash */
  if (p) return ODD;
  return 0;
}

/* ---- library ---- */
CALL(c_init_again, (ltcp_init() == 0 ? (ltcp_cleanup(), 0) : ODD))
CALL(c_strerror_ok, strcmp(ltcp_strerror(LTCP_OK), "success") == 0 ? 0 : ODD)
CALL(c_strerror_pos, strcmp(ltcp_strerror(1), "unknown error") == 0 ? 0 : ODD)
CALL(c_strerror_min, strcmp(ltcp_strerror(INT_MIN), "unknown error") == 0 ? 0 : ODD)
CALL(c_strerror_internal, strcmp(ltcp_strerror(-1001), "unknown error") == 0 ? 0 : ODD)
CALL(c_native_null, ltcp_native_error(NULL) == 0 ? 0 : ODD)
CALL(c_gettime, ltcp_gettime() > 1e9 ? 0 : ODD)
CALL(c_sleep_nan, quick_sleep(NAN))
CALL(c_sleep_neg, quick_sleep(-1.0))
CALL(c_sleep_neginf, quick_sleep(-INFINITY))
CALL(c_sleep_zero, quick_sleep(0.0))
CALL(c_sizeof, ltcp_sizeof() > 0 ? 0 : ODD)
/* Twice in a row: the second call finds SIGPIPE already ignored and must still succeed. */
CALL(c_sigpipe_twice, ltcp_ignore_sigpipe() == 0 ? ltcp_ignore_sigpipe() : ODD)
CALL(c_maxsockets, maxsockets_ok())
/* ---- objects ---- */
CALL(c_open_null, ltcp_open(NULL, LTCP_FAMILY_INET))
CALL(c_open_fam5, open_then_state(f, 5))
CALL(c_open_famneg, open_then_state(f, -1))
CALL(c_open_famint, open_then_state(f, INT_MAX))
CALL(c_new_null, ltcp_new(NULL, LTCP_FAMILY_INET))
CALL(c_new_bad, new_bad(99))
CALL(c_free_null, (ltcp_free(NULL), 0))
CALL(c_close, ltcp_close(T))
CALL(c_state_null, ltcp_state(NULL) == LTCP_STATE_CLOSED ? 0 : ODD)
CALL(c_state_name_bad, strcmp(ltcp_state_name((ltcp_state_t)99), "closed") == 0 &&
                           strcmp(ltcp_state_name((ltcp_state_t)-1), "closed") == 0
                         ? 0
                         : ODD)
CALL(c_family_null, ltcp_getfamily(NULL) == LTCP_FAMILY_UNSPEC ? 0 : ODD)
/* ---- master ---- */
CALL(c_bind_ok, ltcp_bind(T, "127.0.0.1", 0))
CALL(c_bind_nullhost, ltcp_bind(T, NULL, 0))
CALL(c_bind_portneg, ltcp_bind(T, "127.0.0.1", -1))
CALL(c_bind_port65536, ltcp_bind(T, "127.0.0.1", 65536))
CALL(c_bind_portmin, ltcp_bind(T, "127.0.0.1", INT_MIN))
CALL(c_bind_portmax, ltcp_bind(T, "127.0.0.1", INT_MAX))
CALL(c_bind_empty, ltcp_bind(T, "", 0))
CALL(c_bind_wrongfam, ltcp_bind(T, "::1", 0))
CALL(c_listen_5, ltcp_listen(T, 5))
CALL(c_listen_neg, ltcp_listen(T, -1))
CALL(c_listen_min, ltcp_listen(T, INT_MIN))
CALL(c_listen_max, ltcp_listen(T, INT_MAX))
CALL(c_connect_ok, ltcp_connect(T, "127.0.0.1", 9))
CALL(c_connect_nullhost, ltcp_connect(T, NULL, 80))
CALL(c_connect_port0, ltcp_connect(T, "127.0.0.1", 0))
CALL(c_connect_portneg, ltcp_connect(T, "127.0.0.1", -1))
CALL(c_connect_port65536, ltcp_connect(T, "127.0.0.1", 65536))
/* ---- server ---- */
CALL(c_accept, accept_into_spare(f))
CALL(c_accept_nullclient, ltcp_accept(T, NULL))
/* ---- client ---- */
CALL(c_send, ltcp_send(T, "x", 1, 1, -1, NULL))
CALL(c_send_nulldata, ltcp_send(T, NULL, 5, 1, -1, NULL))
CALL(c_send_nulldata0, send_idx(f, 0, 1, -1, 0))
CALL(c_send_imax, send_idx(f, 8, LLONG_MAX, -1, LLONG_MAX - 1))
CALL(c_send_imin_jmax, send_idx(f, 3, LLONG_MIN, LLONG_MAX, 3))
CALL(c_send_jmin, send_idx(f, 3, 1, LLONG_MIN, 0))
CALL(c_send_zero_zero, send_idx(f, 3, 0, 0, 0))
CALL(c_send_i_gt_j, send_idx(f, 8, 5, 2, 4))
CALL(c_send_neg_both, send_idx(f, 8, -2, -1, 8))
CALL(c_recv_line, recv_with(f, LTCP_RECV_LINE, 0, NULL, 0, NULL))
CALL(c_recv_nullsink, ltcp_receive(T, LTCP_RECV_LINE, 0, NULL, 0, NULL))
CALL(c_recv_halfsink, recv_with(f, LTCP_RECV_LINE, 0, NULL, 0, &half_sink))
CALL(c_recv_oomsink, recv_with(f, LTCP_RECV_LINE, 0, NULL, 0, &oom_sink))
CALL(c_recv_nullprefix, recv_with(f, LTCP_RECV_LINE, 0, NULL, 3, NULL))
CALL(c_recv_pat3, recv_with(f, 3, 0, NULL, 0, NULL))
CALL(c_recv_patneg, recv_with(f, -1, 0, NULL, 0, NULL))
CALL(c_recv_patmax, recv_with(f, INT_MAX, 0, NULL, 0, NULL))
CALL(c_recv_count_huge,
     (ltcp_settimeout(T, 0.0, 'b'), recv_with(f, LTCP_RECV_COUNT, SIZE_MAX, NULL, 0, NULL)))
CALL(c_recv_count_prefix_longer, recv_with(f, LTCP_RECV_COUNT, 2, "prefix", 6, NULL))
CALL(c_recv_count_huge_prefix,
     (ltcp_settimeout(T, 0.0, 'b'), recv_with(f, LTCP_RECV_COUNT, SIZE_MAX, "p", 1, NULL)))
CALL(c_rmax_line, recvmax_with(f, LTCP_RECV_LINE, 0, NULL, 0, 64, NULL))
CALL(c_rmax_nullsink, ltcp_receive_max(T, LTCP_RECV_LINE, 0, NULL, 0, 64, NULL))
CALL(c_rmax_oomsink, recvmax_with(f, LTCP_RECV_LINE, 0, NULL, 0, 64, &oom_sink))
CALL(c_rmax_nullprefix, recvmax_with(f, LTCP_RECV_LINE, 0, NULL, 3, 64, NULL))
CALL(c_rmax_pat3, recvmax_with(f, 3, 0, NULL, 0, 64, NULL))
CALL(c_rmax_prefix_eq, recvmax_with(f, LTCP_RECV_LINE, 0, "abc", 3, 3, NULL))
CALL(c_rmax_prefix_over, recvmax_with(f, LTCP_RECV_ALL, 0, "abcd", 4, 3, NULL))
CALL(c_rmax_count_over, recvmax_with(f, LTCP_RECV_COUNT, 65, NULL, 0, 64, NULL))
CALL(c_rmax_count_prefix_eq, recvmax_with(f, LTCP_RECV_COUNT, 3, "ab", 2, 2, NULL))
CALL(c_rmax_one, recvmax_with(f, LTCP_RECV_LINE, 0, NULL, 0, 1, NULL))
CALL(c_rmax_all_one, recvmax_with(f, LTCP_RECV_ALL, 0, NULL, 0, 1, NULL))
CALL(c_rmax_max, (ltcp_settimeout(T, 0.0, 'b'),
                  recvmax_with(f, LTCP_RECV_COUNT, SIZE_MAX, NULL, 0, SIZE_MAX, NULL)))
CALL(c_rmax_limit_prefix,
     (ltcp_setlimit(T, 2), recvmax_with(f, LTCP_RECV_LINE, 0, "ab", 2, 0, NULL)))
CALL(c_any, any_with(f, 64, NULL))
CALL(c_any_zero, any_with(f, 0, NULL))
CALL(c_any_nullsink, ltcp_receive_any(T, 4, NULL))
CALL(c_any_halfsink, any_with(f, 4, &half_sink))
CALL(c_any_oomsink, any_with(f, 4, &oom_sink))
CALL(c_any_max, any_with(f, SIZE_MAX, NULL))
CALL(c_any_one, any_with(f, 1, NULL))
CALL(c_until, until_with(f, "\n", 0, 0, 0))
CALL(c_until_nullu, until_with(f, NULL, 0, 0, 0))
CALL(c_until_nullsink, until_with(f, "\n", 0, 1, 0))
CALL(c_until_nullend, until_with(f, "\n", 0, 0, 1))
CALL(c_until_size1, until_with(f, "\n", 1, 0, 0))
CALL(c_until_sizemax, until_with(f, "\n", SIZE_MAX, 0, 0))
CALL(c_until_nomatch, (ltcp_settimeout(T, 0.0, 'b'), until_with(f, "zz", 0, 0, 0)))
CALL(c_usizeof_zero, ltcp_until_sizeof(0) == 0 ? 0 : ODD)
CALL(c_usizeof_over, ltcp_until_sizeof((size_t)LTCP_UNTIL_MAX + 1) == 0 ? 0 : ODD)
CALL(c_usizeof_huge, ltcp_until_sizeof(SIZE_MAX) == 0 ? 0 : ODD)
CALL(c_usizeof_one, ltcp_until_sizeof(1) > 0 ? 0 : ODD)
CALL(c_uinit_null, ltcp_until_init(NULL, "a", 1, 0))
CALL(c_uinit_nullpat, until_init_bad(NULL, 1, 0))
CALL(c_uinit_empty, until_init_bad("", 0, 0))
CALL(c_uinit_flags, until_init_bad("ab", 2, 0x100))
CALL(c_uinit_ok, until_init_bad("ab", 2, LTCP_UNTIL_INCLUSIVE))
CALL(c_unew_null, ltcp_until_new(NULL, "a", 1, 0))
CALL(c_unew_empty, until_new_bad("", 0, 0))
CALL(c_unew_nullpat, until_new_bad(NULL, 2, 0))
CALL(c_unew_over, until_new_bad("a", (size_t)LTCP_UNTIL_MAX + 1, 0))
CALL(c_unew_flags, until_new_bad("a", 1, -1))
CALL(c_ufree_null, (ltcp_until_free(NULL), 0))
static const char *rb_data;
static size_t rb_len;
CALL(c_rbuf_line, ltcp_receive_buffered(T, LTCP_RECV_LINE, 0, &rb_data, &rb_len))
CALL(c_rbuf_nulldata, ltcp_receive_buffered(T, LTCP_RECV_LINE, 0, NULL, &rb_len))
CALL(c_rbuf_nulllen, ltcp_receive_buffered(T, LTCP_RECV_LINE, 0, &rb_data, NULL))
CALL(c_rbuf_patbad, ltcp_receive_buffered(T, (ltcp_pattern_t)99, 0, &rb_data, &rb_len))
CALL(c_rbuf_all, ltcp_receive_buffered(T, LTCP_RECV_ALL, 0, &rb_data, &rb_len))
CALL(c_peek, ltcp_peek(T, &rb_data, &rb_len))
CALL(c_peek_nulldata, ltcp_peek(T, NULL, &rb_len))
CALL(c_peek_nulllen, ltcp_peek(T, &rb_data, NULL))
CALL(c_skip_one, ltcp_skip(T, 1))
CALL(c_skip_huge, ltcp_skip(T, SIZE_MAX))
CALL(c_skip_zero, ltcp_skip(T, 0))
CALL(c_rbuf_count_huge, ltcp_receive_buffered(T, LTCP_RECV_COUNT, SIZE_MAX, &rb_data, &rb_len))
CALL(c_setlimit_null, ltcp_setlimit(NULL, 10))
CALL(c_bufsize_null, ltcp_setbufsize(NULL, 4096))
CALL(c_bufsize_zero, ltcp_setbufsize(T, 0))
CALL(c_bufsize_over, ltcp_setbufsize(T, ((size_t)64 << 20) + 1))
CALL(c_bufsize_max, ltcp_setbufsize(T, SIZE_MAX))
CALL(c_bufsize_one, ltcp_setbufsize(T, 1))
CALL(c_setlimit_max, ltcp_setlimit(T, SIZE_MAX))
CALL(c_shutdown, ltcp_shutdown(T, LTCP_SHUT_BOTH))
CALL(c_shutdown_mode3, ltcp_shutdown(T, (ltcp_shutdown_t)3))
CALL(c_shutdown_modeneg, ltcp_shutdown(T, (ltcp_shutdown_t)-1))
CALL(c_peername, ltcp_getpeername(T, &(ltcp_addr_t){{0}, 0, 0}))
CALL(c_peername_null, ltcp_getpeername(T, NULL))
/* ---- every state ---- */
CALL(c_sockname, ltcp_getsockname(T, &(ltcp_addr_t){{0}, 0, 0}))
CALL(c_sockname_null, ltcp_getsockname(T, NULL))
CALL(c_dirty_null, ltcp_dirty(NULL) == 0 ? 0 : ODD)
CALL(c_getfd_null, ltcp_getfd(NULL) == LTCP_INVALID_SOCKET ? 0 : ODD)
CALL(c_setfd_null, ltcp_setfd(NULL, LTCP_INVALID_SOCKET))
CALL(c_getstats_null, ltcp_getstats(NULL, NULL, NULL, NULL))
CALL(c_getstats_nullouts, ltcp_getstats(T, NULL, NULL, NULL))
CALL(c_setstats_null, ltcp_setstats(NULL, 0, 0, 0))
CALL(c_setstats_nan1, ltcp_setstats(T, NAN, 0, 0))
CALL(c_setstats_nan2, ltcp_setstats(T, 0, NAN, 0))
CALL(c_setstats_nan3, ltcp_setstats(T, 0, 0, NAN))
CALL(c_settimeout_null, ltcp_settimeout(NULL, 1.0, 'b'))
CALL(c_settimeout_nan, ltcp_settimeout(T, NAN, 'b'))
CALL(c_settimeout_nan_t, ltcp_settimeout(T, NAN, 't'))
CALL(c_settimeout_modex, ltcp_settimeout(T, 1.0, 'x'))
CALL(c_settimeout_mode0, ltcp_settimeout(T, 1.0, 0))
CALL(c_settimeout_modeneg, ltcp_settimeout(T, 1.0, -1))
CALL(c_settimeout_modeB, ltcp_settimeout(T, 1.0, 'B'))
CALL(c_settimeout_inf, ltcp_settimeout(T, INFINITY, 'b'))
CALL(c_settimeout_neginf, ltcp_settimeout(T, -INFINITY, 't'))
CALL(c_settimeout_huge, ltcp_settimeout(T, 1e300, 'r'))
CALL(c_setop_null, ltcp_settimeout_op(NULL, LTCP_TIMEOUT_READ, 1.0))
CALL(c_setop_nan, ltcp_settimeout_op(T, LTCP_TIMEOUT_SEND, NAN))
CALL(c_setop_bad, ltcp_settimeout_op(T, (ltcp_timeout_op_t)3, 1.0))
CALL(c_setop_neg, ltcp_settimeout_op(T, (ltcp_timeout_op_t)-1, 1.0))
CALL(c_setop_inf, ltcp_settimeout_op(T, LTCP_TIMEOUT_CONNECT, -INFINITY))
CALL(c_setop_huge, ltcp_settimeout_op(T, LTCP_TIMEOUT_READ, 1e300))
CALL(c_getop_null, ltcp_gettimeout_op(NULL, LTCP_TIMEOUT_READ, &(double){0}))
CALL(c_getop_nullout, ltcp_gettimeout_op(T, LTCP_TIMEOUT_READ, NULL))
CALL(c_getop_bad, ltcp_gettimeout_op(T, (ltcp_timeout_op_t)INT_MAX, &(double){0}))
CALL(c_getop_ok, ltcp_gettimeout_op(T, LTCP_TIMEOUT_SEND, &(double){0}))
CALL(c_gettimeout_null, ltcp_gettimeout(NULL, NULL, NULL))
CALL(c_gettimeout_nullouts, ltcp_gettimeout(T, NULL, NULL))
CALL(c_setopt, ltcp_setoption(T, LTCP_OPT_TCP_NODELAY, 1, 0))
CALL(c_setopt_idneg, ltcp_setoption(T, (ltcp_option_t)-1, 1, 0))
CALL(c_setopt_idcount, ltcp_setoption(T, LTCP_OPT_COUNT, 1, 0))
CALL(c_setopt_idhuge, ltcp_setoption(T, (ltcp_option_t)100000, 1, 0))
CALL(c_setopt_linger_neg, ltcp_setoption(T, LTCP_OPT_LINGER, 1, -1))
CALL(c_setopt_rcvbuf_neg, ltcp_setoption(T, LTCP_OPT_RECV_BUFFER_SIZE, -1, 0))
CALL(c_setopt_keepidle_neg, ltcp_setoption(T, LTCP_OPT_TCP_KEEPIDLE, -5, 0))
CALL(c_setopt_bool_big, ltcp_setoption(T, LTCP_OPT_KEEPALIVE, INT_MIN, 0))
CALL(c_setopt_error, ltcp_setoption(T, LTCP_OPT_ERROR, 1, 0))
CALL(c_getopt_error, ltcp_getoption(T, LTCP_OPT_ERROR, &(int){7}, NULL))
CALL(c_getopt_error_value, getopt_error_is(f, 0))
CALL(c_setopt_defer_neg, ltcp_setoption(T, LTCP_OPT_TCP_DEFER_ACCEPT, INT_MIN, 0))
CALL(c_setopt_fastopen_neg, ltcp_setoption(T, LTCP_OPT_TCP_FASTOPEN, -1, 0))
CALL(c_setopt_foc_5, ltcp_setoption(T, LTCP_OPT_TCP_FASTOPEN_CONNECT, 5, 0))
CALL(c_getopt_foc_nullvalue, ltcp_getoption(T, LTCP_OPT_TCP_FASTOPEN_CONNECT, NULL, NULL))
CALL(c_getopt, ltcp_getoption(T, LTCP_OPT_TCP_NODELAY, &(int){0}, NULL))
CALL(c_getopt_nullvalue, ltcp_getoption(T, LTCP_OPT_TCP_NODELAY, NULL, NULL))
CALL(c_getopt_idneg, ltcp_getoption(T, (ltcp_option_t)-1, &(int){0}, NULL))
CALL(c_getopt_idcount, ltcp_getoption(T, LTCP_OPT_COUNT, &(int){0}, NULL))
CALL(c_byname_null, ltcp_option_byname(NULL))
CALL(c_byname_empty, ltcp_option_byname(""))
CALL(c_byname_case, ltcp_option_byname("LINGER"))
CALL(c_byname_space, ltcp_option_byname("linger "))
CALL(c_optname_neg, ltcp_option_name((ltcp_option_t)-1) == NULL ? 0 : ODD)
CALL(c_optname_count, ltcp_option_name(LTCP_OPT_COUNT) == NULL ? 0 : ODD)
/* ---- shortcuts ---- */
CALL(c_connect_to_null, ltcp_connect_to(NULL, "127.0.0.1", 9, NULL, 0, 0))
CALL(c_connect_to_nullhost, connect_to_closed(f, NULL, 80, NULL, 0, 0))
CALL(c_connect_to_port0, connect_to_closed(f, "127.0.0.1", 0, NULL, 0, 0))
CALL(c_connect_to_port65536, connect_to_closed(f, "127.0.0.1", 65536, NULL, 0, 0))
CALL(c_connect_to_fam, connect_to_closed(f, "127.0.0.1", 9, NULL, 0, 5))
CALL(c_connect_to_lport, connect_to_closed(f, "127.0.0.1", 9, "127.0.0.1", -1, 0))
CALL(c_bind_to_null, ltcp_bind_to(NULL, "127.0.0.1", 0, 5))
CALL(c_bind_to_nullhost, bind_to_closed(f, NULL, 0, 5))
CALL(c_bind_to_portneg, bind_to_closed(f, "127.0.0.1", -1, 5))
CALL(c_bind_to_port65536, bind_to_closed(f, "127.0.0.1", 65536, 5))
CALL(c_bind_to_backlogneg, bind_to_closed(f, "127.0.0.1", 0, -1))
/* ---- select ---- */
CALL(c_select_nullfds, ltcp_select(NULL, 1, 0.0, &(size_t){0}))
CALL(c_select_nullnready, select_one(LTCP_INVALID_SOCKET, LTCP_POLLIN, 0.0, 1))
CALL(c_select_nan, select_one(LTCP_INVALID_SOCKET, LTCP_POLLIN, NAN, 0))
CALL(c_select_none, ltcp_select(NULL, 0, 0.0, &(size_t){0}))
CALL(c_select_invalid, select_one(LTCP_INVALID_SOCKET, LTCP_POLLIN, 0.01, 0))
CALL(c_select_noevents, select_one(ltcp_getfd(T), 0, 0.01, 0))
CALL(c_select_badevents, select_one(ltcp_getfd(T), 0x7ff0, 0.01, 0))
/* ---- connect delay, select_objects ---- */
static int delay_is(fx_t *f, double set, double want) {
  double got = -1.0;
  int rc = ltcp_setconnectdelay(T, set);
  if (rc) return rc;
  if (ltcp_getconnectdelay(T, &got) != 0) return ODD;
  return got == want || (want != want && got != got) ? 0 : ODD;
}
static int select_obj(fx_t *f, int null_fds, int null_nready, double timeout, ltcp_t *obj) {
  ltcp_pollfd_t p;
  ltcp_t *objs[1];
  size_t n = 9;
  p.sock = T ? ltcp_getfd(T) : LTCP_INVALID_SOCKET;
  p.events = LTCP_POLLOUT | LTCP_POLLIN;
  p.revents = 0;
  objs[0] = obj;
  return ltcp_select_objects(null_fds ? NULL : &p, objs, 1, timeout, null_nready ? NULL : &n);
}
CALL(c_delay_null, ltcp_setconnectdelay(NULL, 0.25))
CALL(c_delay_nan, delay_is(f, NAN, 0))
CALL(c_delay_neg, delay_is(f, -1.0, 0))
CALL(c_delay_neginf, delay_is(f, -INFINITY, 0))
CALL(c_delay_tiny, delay_is(f, 1e-300, 0.01))
CALL(c_delay_zero, delay_is(f, 0.0, 0.0))
CALL(c_delay_inf, delay_is(f, INFINITY, INFINITY))
CALL(c_delay_huge, delay_is(f, 1e300, 1e300))
CALL(c_getdelay_null, ltcp_getconnectdelay(NULL, &(double){0}))
CALL(c_getdelay_nullout, ltcp_getconnectdelay(T, NULL))
CALL(c_selobj_nullfds, select_obj(f, 1, 0, 0.0, NULL))
CALL(c_selobj_nullnready, select_obj(f, 0, 1, 0.0, NULL))
CALL(c_selobj_nan, select_obj(f, 0, 0, NAN, T))
CALL(c_selobj_none, ltcp_select_objects(NULL, NULL, 0, 0.0, &(size_t){0}))
CALL(c_selobj_self, select_obj(f, 0, 0, 0.01, T))
CALL(c_selobj_other, select_obj(f, 0, 0, 0.01, f->spare))

/* ---- errname, write ---- */
static int errname_is(int code, const char *want) {
  const char *n = ltcp_errname(code);
  return n && strcmp(n, want) == 0 ? 0 : ODD;
}
static int write_sent(fx_t *f, const char *data, size_t len, int null_sent) {
  size_t sent = 12345;
  int rc = ltcp_write(T, data, len, null_sent ? NULL : &sent);
  if (!null_sent && rc != 0 && sent != 0) return ODD; /* nothing went: *sent says 0 */
  return rc;
}
CALL(c_errname_ok, errname_is(LTCP_OK, "OK"))
CALL(c_errname_pos, errname_is(1, "EUNKNOWN"))
CALL(c_errname_min, errname_is(INT_MIN, "EUNKNOWN"))
CALL(c_errname_internal, errname_is(-1001, "EUNKNOWN"))
CALL(c_write_null, ltcp_write(NULL, "x", 1, NULL))
CALL(c_write_closed, write_sent(f, "x", 1, 0))
CALL(c_write_nulldata, write_sent(f, NULL, 5, 0))
CALL(c_write_nulldata_empty, write_sent(f, NULL, 0, 0))
CALL(c_write_nullsent, write_sent(f, "x", 1, 1))
/* ---- names ---- */
static int dns_addrinfo(const char *host, const char *service, int family, size_t max, int null_out,
                        int null_n) {
  ltcp_addr_t out[4];
  size_t n = 99;
  int rc = ltcp_dns_getaddrinfo(host, service, (ltcp_family_t)family, null_out ? NULL : out, max,
                                null_n ? NULL : &n);
  if (rc != 0 && !null_n && n != 0) return ODD; /* *n must say 0 on failure */
  return rc;
}

static int dns_nameinfo(const char *host, int port, int family, size_t hostlen, int null_addr,
                        int null_host, int null_serv) {
  ltcp_addr_t a;
  char h[LTCP_DNS_HOSTLEN], sv[LTCP_DNS_SERVLEN];
  memset(&a, 0, sizeof a);
  strncpy(a.host, host, sizeof a.host - 1);
  a.port = port;
  a.family = (ltcp_family_t)family;
  return ltcp_dns_getnameinfo(null_addr ? NULL : &a, null_host ? NULL : h, hostlen,
                              null_serv ? NULL : sv, sizeof sv);
}

static int dns_hostent(const char *name, size_t len, int null_h, int null_buf) {
  static char buf[8192];
  ltcp_hostent_t h;
  return ltcp_dns_gethostbyname(name, null_h ? NULL : &h, null_buf ? NULL : buf, len);
}

static char long_name[300];
static const char *longname(void) {
  memset(long_name, 'a', sizeof long_name - 1);
  return long_name;
}

CALL(c_gai_nothing, dns_addrinfo(NULL, NULL, 0, 4, 0, 0))
CALL(c_gai_nullout, dns_addrinfo("127.0.0.1", NULL, 0, 4, 1, 0))
CALL(c_gai_max0, dns_addrinfo("127.0.0.1", NULL, 0, 0, 0, 0))
CALL(c_gai_nulln, dns_addrinfo("127.0.0.1", NULL, 0, 4, 0, 1))
CALL(c_gai_family, dns_addrinfo("127.0.0.1", NULL, 5, 4, 0, 0))
CALL(c_gai_empty, dns_addrinfo("", NULL, 0, 4, 0, 0))
CALL(c_gai_unknown, dns_addrinfo("no.such.host.invalid", NULL, 0, 4, 0, 0))
CALL(c_gai_badservice, dns_addrinfo("127.0.0.1", "no-such-service", 0, 4, 0, 0))
CALL(c_gai_v6_as_v4, dns_addrinfo("::1", NULL, LTCP_FAMILY_INET, 4, 0, 0))
CALL(c_gai_long, dns_addrinfo(longname(), NULL, 0, 4, 0, 0))
CALL(c_gni_null, dns_nameinfo("127.0.0.1", 80, 0, LTCP_DNS_HOSTLEN, 1, 0, 0))
CALL(c_gni_nobuf, dns_nameinfo("127.0.0.1", 80, 0, LTCP_DNS_HOSTLEN, 0, 1, 1))
CALL(c_gni_hostlen0, dns_nameinfo("127.0.0.1", 80, 0, 0, 0, 0, 0))
CALL(c_gni_hostlen1, dns_nameinfo("127.0.0.1", 80, 0, 1, 0, 0, 1))
CALL(c_gni_portneg, dns_nameinfo("127.0.0.1", -1, 0, LTCP_DNS_HOSTLEN, 0, 0, 0))
CALL(c_gni_port65536, dns_nameinfo("127.0.0.1", 65536, 0, LTCP_DNS_HOSTLEN, 0, 0, 0))
CALL(c_gni_family, dns_nameinfo("127.0.0.1", 80, 5, LTCP_DNS_HOSTLEN, 0, 0, 0))
CALL(c_gni_name, dns_nameinfo("localhost", 80, 0, LTCP_DNS_HOSTLEN, 0, 0, 0))
CALL(c_gni_empty, dns_nameinfo("", 80, 0, LTCP_DNS_HOSTLEN, 0, 0, 0))
CALL(c_canon_nullhost, ltcp_dns_canonname(NULL, (char[8]){0}, 8))
CALL(c_canon_nullbuf, ltcp_dns_canonname("localhost", NULL, 8))
CALL(c_canon_len0, ltcp_dns_canonname("localhost", (char[8]){0}, 0))
CALL(c_canon_len1, ltcp_dns_canonname("localhost", (char[8]){0}, 1))
CALL(c_canon_empty, ltcp_dns_canonname("", (char[8]){0}, 8))
CALL(c_hostname_null, ltcp_dns_gethostname(NULL, 8))
CALL(c_hostname_len0, ltcp_dns_gethostname((char[8]){0}, 0))
CALL(c_hostname_len1, ltcp_dns_gethostname((char[8]){0}, 1))
CALL(c_hostent_nullname, dns_hostent(NULL, 8192, 0, 0))
CALL(c_hostent_nullh, dns_hostent("localhost", 8192, 1, 0))
CALL(c_hostent_nullbuf, dns_hostent("localhost", 8192, 0, 1))
CALL(c_hostent_len0, dns_hostent("localhost", 0, 0, 0))
CALL(c_hostent_len1, dns_hostent("127.0.0.1", 1, 0, 0))
CALL(c_hostent_empty, dns_hostent("", 8192, 0, 0))
CALL(c_hostent_v6, dns_hostent("::1", 8192, 0, 0))
CALL(c_hostent_long, dns_hostent(longname(), 8192, 0, 0))
/* ---- byte strings ---- */
CALL(c_bytes_init_null, (ltcp_bytes_init(NULL), 0))
CALL(c_bytes_free_null, (ltcp_bytes_free(NULL), 0))
CALL(c_bytes_sink_null, bytes_null_sink())

#define R(fn, what, obj, call, want)                                                               \
  { fn, what, obj, call, want }
static const row_t rows[] = {
  R("ltcp_init", "called twice", O_NULL, c_init_again, 0),
  R("ltcp_cleanup", "balanced with an extra ltcp_init", O_NULL, c_init_again, 0),
  R("ltcp_strerror", "LTCP_OK", O_NULL, c_strerror_ok, 0),
  R("ltcp_strerror", "positive code", O_NULL, c_strerror_pos, 0),
  R("ltcp_strerror", "INT_MIN", O_NULL, c_strerror_min, 0),
  R("ltcp_strerror", "internal code -1001", O_NULL, c_strerror_internal, 0),
  R("ltcp_native_error", "NULL", O_NULL, c_native_null, 0),
  R("ltcp_gettime", "-", O_NULL, c_gettime, 0),
  R("ltcp_sleep", "NaN", O_NULL, c_sleep_nan, 0),
  R("ltcp_sleep", "-1", O_NULL, c_sleep_neg, 0),
  R("ltcp_sleep", "-inf", O_NULL, c_sleep_neginf, 0),
  R("ltcp_sleep", "0", O_NULL, c_sleep_zero, 0),
  R("ltcp_sizeof", "-", O_NULL, c_sizeof, 0),
  R("ltcp_ignore_sigpipe", "called twice", O_NULL, c_sigpipe_twice, 0),
  R("ltcp_maxsockets", "finite and positive", O_NULL, c_maxsockets, 0),
  R("ltcp_open", "NULL", O_NULL, c_open_null, LTCP_EINVAL),
  R("ltcp_open", "family 5", O_RAW, c_open_fam5, LTCP_EINVAL),
  R("ltcp_open", "family -1", O_RAW, c_open_famneg, LTCP_EINVAL),
  R("ltcp_open", "family INT_MAX", O_RAW, c_open_famint, LTCP_EINVAL),
  R("ltcp_new", "NULL out", O_NULL, c_new_null, LTCP_EINVAL),
  R("ltcp_new", "family 99", O_NULL, c_new_bad, LTCP_EINVAL),
  R("ltcp_free", "NULL", O_NULL, c_free_null, 0),
  R("ltcp_close", "NULL", O_NULL, c_close, LTCP_EINVAL),
  R("ltcp_close", "closed", O_CLOSED, c_close, 0),
  R("ltcp_close", "never-socketed master", O_MASTER0, c_close, 0),
  R("ltcp_state", "NULL", O_NULL, c_state_null, 0),
  R("ltcp_state_name", "out of range", O_NULL, c_state_name_bad, 0),
  R("ltcp_getfamily", "NULL", O_NULL, c_family_null, 0),
  R("ltcp_bind", "NULL object", O_NULL, c_bind_ok, LTCP_EINVAL),
  R("ltcp_bind", "closed", O_CLOSED, c_bind_ok, LTCP_ECLOSED),
  R("ltcp_bind", "server", O_SERVER, c_bind_ok, LTCP_ESTATE),
  R("ltcp_bind", "client", O_CLIENT, c_bind_ok, LTCP_ESTATE),
  R("ltcp_bind", "NULL host", O_MASTER, c_bind_nullhost, LTCP_EINVAL),
  R("ltcp_bind", "port -1", O_MASTER, c_bind_portneg, LTCP_EINVAL),
  R("ltcp_bind", "port 65536", O_MASTER, c_bind_port65536, LTCP_EINVAL),
  R("ltcp_bind", "port INT_MIN", O_MASTER, c_bind_portmin, LTCP_EINVAL),
  R("ltcp_bind", "port INT_MAX", O_MASTER, c_bind_portmax, LTCP_EINVAL),
  R("ltcp_bind", "empty host", O_MASTER, c_bind_empty, WANT_ANY_ERR),
  R("ltcp_bind", "IPv6 host on an IPv4 master", O_MASTER, c_bind_wrongfam, WANT_ANY_ERR),
  R("ltcp_listen", "NULL", O_NULL, c_listen_5, LTCP_EINVAL),
  R("ltcp_listen", "closed", O_CLOSED, c_listen_5, LTCP_ECLOSED),
  R("ltcp_listen", "client", O_CLIENT, c_listen_5, LTCP_ESTATE),
  R("ltcp_listen", "server", O_SERVER, c_listen_5, LTCP_ESTATE),
  R("ltcp_listen", "master without socket", O_MASTER0, c_listen_5, WANT_ANY_ERR),
  R("ltcp_listen", "backlog -1", O_BOUND, c_listen_neg, WANT_OK_OR_INVAL),
  R("ltcp_listen", "backlog INT_MIN", O_BOUND, c_listen_min, WANT_OK_OR_INVAL),
  R("ltcp_listen", "backlog INT_MAX", O_BOUND, c_listen_max, 0),
  R("ltcp_connect", "NULL", O_NULL, c_connect_ok, LTCP_EINVAL),
  R("ltcp_connect", "closed", O_CLOSED, c_connect_ok, LTCP_ECLOSED),
  R("ltcp_connect", "server", O_SERVER, c_connect_ok, LTCP_ESTATE),
  R("ltcp_connect", "NULL host", O_MASTER, c_connect_nullhost, LTCP_EINVAL),
  R("ltcp_connect", "port 0", O_MASTER, c_connect_port0, LTCP_EINVAL),
  R("ltcp_connect", "port -1", O_MASTER, c_connect_portneg, LTCP_EINVAL),
  R("ltcp_connect", "port 65536", O_MASTER, c_connect_port65536, LTCP_EINVAL),
  R("ltcp_accept", "NULL server", O_NULL, c_accept, LTCP_EINVAL),
  R("ltcp_accept", "NULL client", O_SERVER, c_accept_nullclient, LTCP_EINVAL),
  R("ltcp_accept", "closed", O_CLOSED, c_accept, LTCP_ECLOSED),
  R("ltcp_accept", "master", O_MASTER, c_accept, LTCP_ESTATE),
  R("ltcp_accept", "client", O_CLIENT, c_accept, LTCP_ESTATE),
  R("ltcp_send", "NULL", O_NULL, c_send, LTCP_EINVAL),
  R("ltcp_send", "closed", O_CLOSED, c_send, LTCP_ECLOSED),
  R("ltcp_send", "master", O_MASTER, c_send, LTCP_ESTATE),
  R("ltcp_send", "server", O_SERVER, c_send, LTCP_ESTATE),
  R("ltcp_send", "NULL data, len 5", O_CLIENT, c_send_nulldata, LTCP_EINVAL),
  R("ltcp_send", "len 0", O_CLIENT, c_send_nulldata0, 0),
  R("ltcp_send", "i LLONG_MAX", O_CLIENT, c_send_imax, 0),
  R("ltcp_send", "i LLONG_MIN, j LLONG_MAX", O_CLIENT, c_send_imin_jmax, 0),
  R("ltcp_send", "j LLONG_MIN", O_CLIENT, c_send_jmin, 0),
  R("ltcp_send", "i 0, j 0", O_CLIENT, c_send_zero_zero, 0),
  R("ltcp_send", "i > j", O_CLIENT, c_send_i_gt_j, 0),
  R("ltcp_send", "i -2, j -1", O_CLIENT, c_send_neg_both, 0),
  R("ltcp_receive_buffered", "NULL", O_NULL, c_rbuf_line, LTCP_EINVAL),
  R("ltcp_receive_buffered", "closed", O_CLOSED, c_rbuf_line, LTCP_ECLOSED),
  R("ltcp_receive_buffered", "master", O_MASTER, c_rbuf_line, LTCP_ESTATE),
  R("ltcp_receive_buffered", "NULL data", O_CLIENT, c_rbuf_nulldata, LTCP_EINVAL),
  R("ltcp_receive_buffered", "NULL len", O_CLIENT, c_rbuf_nulllen, LTCP_EINVAL),
  R("ltcp_receive_buffered", "bad pattern", O_CLIENT, c_rbuf_patbad, 0),
  R("ltcp_receive_buffered", "'*a' (never served)", O_CLIENT, c_rbuf_all, 0),
  R("ltcp_receive_buffered", "count SIZE_MAX", O_CLIENT, c_rbuf_count_huge, 0),
  R("ltcp_peek", "NULL", O_NULL, c_peek, LTCP_EINVAL),
  R("ltcp_peek", "closed", O_CLOSED, c_peek, LTCP_ECLOSED),
  R("ltcp_peek", "master", O_MASTER, c_peek, LTCP_ESTATE),
  R("ltcp_peek", "server", O_SERVER, c_peek, LTCP_ESTATE),
  R("ltcp_peek", "NULL data", O_CLIENT, c_peek_nulldata, LTCP_EINVAL),
  R("ltcp_peek", "NULL len", O_CLIENT, c_peek_nulllen, LTCP_EINVAL),
  R("ltcp_skip", "NULL", O_NULL, c_skip_one, LTCP_EINVAL),
  R("ltcp_skip", "closed", O_CLOSED, c_skip_one, LTCP_ECLOSED),
  R("ltcp_skip", "master", O_MASTER, c_skip_one, LTCP_ESTATE),
  R("ltcp_skip", "server", O_SERVER, c_skip_zero, LTCP_ESTATE),
  R("ltcp_skip", "SIZE_MAX", O_CLIENT, c_skip_huge, LTCP_EINVAL),
  R("ltcp_skip", "more than buffered", O_CLIENT, c_skip_one, LTCP_EINVAL),
  R("ltcp_skip", "0", O_CLIENT, c_skip_zero, 0),
  R("ltcp_receive", "NULL", O_NULL, c_recv_line, LTCP_EINVAL),
  R("ltcp_receive", "closed", O_CLOSED, c_recv_line, LTCP_ECLOSED),
  R("ltcp_receive", "master", O_MASTER, c_recv_line, LTCP_ESTATE),
  R("ltcp_receive", "server", O_SERVER, c_recv_line, LTCP_ESTATE),
  R("ltcp_receive", "NULL sink", O_CLIENT, c_recv_nullsink, LTCP_EINVAL),
  R("ltcp_receive", "sink without prepare", O_CLIENT, c_recv_halfsink, LTCP_EINVAL),
  R("ltcp_receive", "sink out of memory", O_CLIENT, c_recv_oomsink, LTCP_ENOMEM),
  R("ltcp_receive", "NULL prefix, length 3", O_CLIENT, c_recv_nullprefix, LTCP_EINVAL),
  R("ltcp_receive", "pattern 3", O_CLIENT, c_recv_pat3, LTCP_EINVAL),
  R("ltcp_receive", "pattern -1", O_CLIENT, c_recv_patneg, LTCP_EINVAL),
  R("ltcp_receive", "pattern INT_MAX", O_CLIENT, c_recv_patmax, LTCP_EINVAL),
  R("ltcp_receive", "count SIZE_MAX, timeout 0", O_CLIENT, c_recv_count_huge, LTCP_ETIMEOUT),
  R("ltcp_receive", "count below the prefix", O_CLIENT, c_recv_count_prefix_longer, 0),
  R("ltcp_receive", "count SIZE_MAX with prefix", O_CLIENT, c_recv_count_huge_prefix,
    LTCP_ETIMEOUT),
  R("ltcp_receive_max", "NULL", O_NULL, c_rmax_line, LTCP_EINVAL),
  R("ltcp_receive_max", "closed", O_CLOSED, c_rmax_line, LTCP_ECLOSED),
  R("ltcp_receive_max", "master", O_MASTER, c_rmax_line, LTCP_ESTATE),
  R("ltcp_receive_max", "server", O_SERVER, c_rmax_line, LTCP_ESTATE),
  R("ltcp_receive_max", "NULL sink", O_CLIENT, c_rmax_nullsink, LTCP_EINVAL),
  R("ltcp_receive_max", "sink out of memory", O_CLIENT, c_rmax_oomsink, LTCP_ENOMEM),
  R("ltcp_receive_max", "NULL prefix, length 3", O_CLIENT, c_rmax_nullprefix, LTCP_EINVAL),
  R("ltcp_receive_max", "pattern 3", O_CLIENT, c_rmax_pat3, LTCP_EINVAL),
  R("ltcp_receive_max", "prefix as long as maxsize", O_CLIENT, c_rmax_prefix_eq, LTCP_EINVAL),
  R("ltcp_receive_max", "prefix longer, closed object", O_CLOSED, c_rmax_prefix_over, LTCP_ECLOSED),
  R("ltcp_receive_max", "prefix longer than maxsize", O_CLIENT, c_rmax_prefix_over, LTCP_EINVAL),
  R("ltcp_receive_max", "count above maxsize", O_CLIENT, c_rmax_count_over, LTCP_EINVAL),
  R("ltcp_receive_max", "count prefix as long as maxsize", O_CLIENT, c_rmax_count_prefix_eq,
    LTCP_EINVAL),
  R("ltcp_receive_max", "maxsize 1, line \"data\"", O_CLIENT, c_rmax_one, LTCP_ELIMIT),
  R("ltcp_receive_max", "maxsize 1, '*a' on an open stream", O_CLIENT, c_rmax_all_one, LTCP_ELIMIT),
  R("ltcp_receive_max", "count and maxsize SIZE_MAX, timeout 0", O_CLIENT, c_rmax_max,
    LTCP_ETIMEOUT),
  R("ltcp_receive_max", "prefix as long as setlimit", O_CLIENT, c_rmax_limit_prefix, LTCP_EINVAL),
  R("ltcp_receive_any", "NULL", O_NULL, c_any, LTCP_EINVAL),
  R("ltcp_receive_any", "closed", O_CLOSED, c_any, LTCP_ECLOSED),
  R("ltcp_receive_any", "master", O_MASTER, c_any, LTCP_ESTATE),
  R("ltcp_receive_any", "server", O_SERVER, c_any, LTCP_ESTATE),
  R("ltcp_receive_any", "max 0", O_CLIENT, c_any_zero, LTCP_EINVAL),
  R("ltcp_receive_any", "NULL sink", O_CLIENT, c_any_nullsink, LTCP_EINVAL),
  R("ltcp_receive_any", "sink without prepare", O_CLIENT, c_any_halfsink, LTCP_EINVAL),
  R("ltcp_receive_any", "sink out of memory", O_CLIENT, c_any_oomsink, LTCP_ENOMEM),
  R("ltcp_receive_any", "max SIZE_MAX", O_CLIENT, c_any_max, 0),
  R("ltcp_receive_any", "max 1", O_CLIENT, c_any_one, 0),
  R("ltcp_receive_until", "NULL object", O_NULL, c_until, LTCP_EINVAL),
  R("ltcp_receive_until", "closed", O_CLOSED, c_until, LTCP_ECLOSED),
  R("ltcp_receive_until", "master", O_MASTER, c_until, LTCP_ESTATE),
  R("ltcp_receive_until", "server", O_SERVER, c_until, LTCP_ESTATE),
  R("ltcp_receive_until", "NULL matcher", O_CLIENT, c_until_nullu, LTCP_EINVAL),
  R("ltcp_receive_until", "NULL sink", O_CLIENT, c_until_nullsink, LTCP_EINVAL),
  R("ltcp_receive_until", "NULL end", O_CLIENT, c_until_nullend, LTCP_EINVAL),
  R("ltcp_receive_until", "record \"data\"", O_CLIENT, c_until, 0),
  R("ltcp_receive_until", "size 1", O_CLIENT, c_until_size1, 0),
  R("ltcp_receive_until", "size SIZE_MAX", O_CLIENT, c_until_sizemax, 0),
  R("ltcp_receive_until", "no match, timeout 0", O_CLIENT, c_until_nomatch, LTCP_ETIMEOUT),
  R("ltcp_until_sizeof", "0", O_NULL, c_usizeof_zero, 0),
  R("ltcp_until_sizeof", "LTCP_UNTIL_MAX + 1", O_NULL, c_usizeof_over, 0),
  R("ltcp_until_sizeof", "SIZE_MAX", O_NULL, c_usizeof_huge, 0),
  R("ltcp_until_sizeof", "1", O_NULL, c_usizeof_one, 0),
  R("ltcp_until_init", "NULL matcher", O_NULL, c_uinit_null, LTCP_EINVAL),
  R("ltcp_until_init", "NULL pattern", O_NULL, c_uinit_nullpat, LTCP_EINVAL),
  R("ltcp_until_init", "empty pattern", O_NULL, c_uinit_empty, LTCP_EINVAL),
  R("ltcp_until_init", "unknown flags", O_NULL, c_uinit_flags, LTCP_EINVAL),
  R("ltcp_until_init", "inclusive", O_NULL, c_uinit_ok, 0),
  R("ltcp_until_new", "NULL out", O_NULL, c_unew_null, LTCP_EINVAL),
  R("ltcp_until_new", "empty pattern", O_NULL, c_unew_empty, LTCP_EINVAL),
  R("ltcp_until_new", "NULL pattern", O_NULL, c_unew_nullpat, LTCP_EINVAL),
  R("ltcp_until_new", "too long", O_NULL, c_unew_over, LTCP_EINVAL),
  R("ltcp_until_new", "flags -1", O_NULL, c_unew_flags, LTCP_EINVAL),
  R("ltcp_until_free", "NULL", O_NULL, c_ufree_null, 0),
  R("ltcp_setlimit", "NULL", O_NULL, c_setlimit_null, LTCP_EINVAL),
  R("ltcp_setlimit", "SIZE_MAX", O_CLIENT, c_setlimit_max, 0),
  R("ltcp_setbufsize", "NULL", O_NULL, c_bufsize_null, LTCP_EINVAL),
  R("ltcp_setbufsize", "0", O_CLIENT, c_bufsize_zero, LTCP_EINVAL),
  R("ltcp_setbufsize", "64 MiB + 1", O_CLIENT, c_bufsize_over, LTCP_EINVAL),
  R("ltcp_setbufsize", "SIZE_MAX", O_MASTER, c_bufsize_max, LTCP_EINVAL),
  R("ltcp_setbufsize", "1 (smallest)", O_CLOSED, c_bufsize_one, 0),
  R("ltcp_shutdown", "NULL", O_NULL, c_shutdown, LTCP_EINVAL),
  R("ltcp_shutdown", "closed", O_CLOSED, c_shutdown, LTCP_ECLOSED),
  R("ltcp_shutdown", "master", O_MASTER, c_shutdown, LTCP_ESTATE),
  R("ltcp_shutdown", "server", O_SERVER, c_shutdown, LTCP_ESTATE),
  R("ltcp_shutdown", "mode 3", O_CLIENT, c_shutdown_mode3, LTCP_EINVAL),
  R("ltcp_shutdown", "mode -1", O_CLIENT, c_shutdown_modeneg, LTCP_EINVAL),
  R("ltcp_getpeername", "NULL", O_NULL, c_peername, LTCP_EINVAL),
  R("ltcp_getpeername", "closed", O_CLOSED, c_peername, LTCP_ECLOSED),
  R("ltcp_getpeername", "master", O_MASTER, c_peername, LTCP_ESTATE),
  R("ltcp_getpeername", "server", O_SERVER, c_peername, LTCP_ESTATE),
  R("ltcp_getpeername", "NULL addr", O_CLIENT, c_peername_null, LTCP_EINVAL),
  R("ltcp_getsockname", "NULL", O_NULL, c_sockname, LTCP_EINVAL),
  R("ltcp_getsockname", "closed", O_CLOSED, c_sockname, LTCP_ECLOSED),
  R("ltcp_getsockname", "master without socket", O_MASTER0, c_sockname, WANT_ANY_ERR),
  R("ltcp_getsockname", "NULL addr", O_CLIENT, c_sockname_null, LTCP_EINVAL),
  R("ltcp_dirty", "NULL", O_NULL, c_dirty_null, 0),
  R("ltcp_getfd", "NULL", O_NULL, c_getfd_null, 0),
  R("ltcp_setfd", "NULL", O_NULL, c_setfd_null, LTCP_EINVAL),
  R("ltcp_getstats", "NULL", O_NULL, c_getstats_null, LTCP_EINVAL),
  R("ltcp_getstats", "NULL outputs, closed", O_CLOSED, c_getstats_nullouts, 0),
  R("ltcp_setstats", "NULL", O_NULL, c_setstats_null, LTCP_EINVAL),
  R("ltcp_setstats", "NaN received", O_MASTER, c_setstats_nan1, LTCP_EINVAL),
  R("ltcp_setstats", "NaN sent", O_MASTER, c_setstats_nan2, LTCP_EINVAL),
  R("ltcp_setstats", "NaN age", O_MASTER, c_setstats_nan3, LTCP_EINVAL),
  R("ltcp_settimeout", "NULL", O_NULL, c_settimeout_null, LTCP_EINVAL),
  R("ltcp_settimeout", "NaN block", O_MASTER, c_settimeout_nan, LTCP_EINVAL),
  R("ltcp_settimeout", "NaN total", O_CLIENT, c_settimeout_nan_t, LTCP_EINVAL),
  R("ltcp_settimeout", "mode 'x'", O_MASTER, c_settimeout_modex, LTCP_EINVAL),
  R("ltcp_settimeout", "mode 0", O_MASTER, c_settimeout_mode0, LTCP_EINVAL),
  R("ltcp_settimeout", "mode -1", O_MASTER, c_settimeout_modeneg, LTCP_EINVAL),
  R("ltcp_settimeout", "mode 'B'", O_MASTER, c_settimeout_modeB, LTCP_EINVAL),
  R("ltcp_settimeout", "+inf", O_MASTER, c_settimeout_inf, 0),
  R("ltcp_settimeout", "-inf", O_MASTER, c_settimeout_neginf, 0),
  R("ltcp_settimeout", "1e300", O_CLOSED, c_settimeout_huge, 0),
  R("ltcp_settimeout_op", "NULL", O_NULL, c_setop_null, LTCP_EINVAL),
  R("ltcp_settimeout_op", "NaN", O_CLIENT, c_setop_nan, LTCP_EINVAL),
  R("ltcp_settimeout_op", "operation 3", O_MASTER, c_setop_bad, LTCP_EINVAL),
  R("ltcp_settimeout_op", "operation -1", O_MASTER, c_setop_neg, LTCP_EINVAL),
  R("ltcp_settimeout_op", "-inf", O_CLOSED, c_setop_inf, 0),
  R("ltcp_settimeout_op", "1e300", O_SERVER, c_setop_huge, 0),
  R("ltcp_gettimeout_op", "NULL", O_NULL, c_getop_null, LTCP_EINVAL),
  R("ltcp_gettimeout_op", "NULL output", O_CLIENT, c_getop_nullout, LTCP_EINVAL),
  R("ltcp_gettimeout_op", "operation INT_MAX", O_CLIENT, c_getop_bad, LTCP_EINVAL),
  R("ltcp_gettimeout_op", "closed", O_CLOSED, c_getop_ok, 0),
  R("ltcp_gettimeout", "NULL", O_NULL, c_gettimeout_null, LTCP_EINVAL),
  R("ltcp_gettimeout", "NULL outputs", O_CLOSED, c_gettimeout_nullouts, 0),
  R("ltcp_setoption", "NULL", O_NULL, c_setopt, LTCP_EINVAL),
  R("ltcp_setoption", "closed", O_CLOSED, c_setopt, LTCP_ECLOSED),
  R("ltcp_setoption", "master without socket", O_MASTER0, c_setopt, WANT_ANY_ERR),
  R("ltcp_setoption", "option -1", O_CLIENT, c_setopt_idneg, LTCP_EINVAL),
  R("ltcp_setoption", "option LTCP_OPT_COUNT", O_CLIENT, c_setopt_idcount, LTCP_EINVAL),
  R("ltcp_setoption", "option 100000", O_CLIENT, c_setopt_idhuge, LTCP_EINVAL),
  R("ltcp_setoption", "linger -1 s", O_CLIENT, c_setopt_linger_neg, LTCP_EINVAL),
  R("ltcp_setoption", "recv-buffer-size -1", O_CLIENT, c_setopt_rcvbuf_neg, WANT_NO_CRASH),
  R("ltcp_setoption", "tcp-keepidle -5", O_CLIENT, c_setopt_keepidle_neg, WANT_NO_CRASH),
  R("ltcp_setoption", "keepalive INT_MIN", O_CLIENT, c_setopt_bool_big, 0),
  R("ltcp_setoption", "error (read-only)", O_CLIENT, c_setopt_error, LTCP_ENOTSUP),
  R("ltcp_setoption", "error on a closed object", O_CLOSED, c_setopt_error, LTCP_ECLOSED),
  R("ltcp_setoption", "tcp-defer-accept INT_MIN", O_SERVER, c_setopt_defer_neg, WANT_NO_CRASH),
  R("ltcp_setoption", "tcp-fastopen -1", O_SERVER, c_setopt_fastopen_neg, WANT_ANY_ERR),
  R("ltcp_setoption", "tcp-fastopen-connect 5", O_MASTER, c_setopt_foc_5, WANT_ANY_ERR),
  R("ltcp_getoption", "error, none pending", O_CLIENT, c_getopt_error_value, 0),
  R("ltcp_getoption", "error, no socket yet", O_MASTER0, c_getopt_error, LTCP_EBADF),
  R("ltcp_getoption", "error, closed", O_CLOSED, c_getopt_error, LTCP_ECLOSED),
  R("ltcp_getoption", "tcp-fastopen-connect, NULL value", O_MASTER, c_getopt_foc_nullvalue,
    LTCP_EINVAL),
  R("ltcp_getoption", "NULL", O_NULL, c_getopt, LTCP_EINVAL),
  R("ltcp_getoption", "closed", O_CLOSED, c_getopt, LTCP_ECLOSED),
  R("ltcp_getoption", "NULL value", O_CLIENT, c_getopt_nullvalue, LTCP_EINVAL),
  R("ltcp_getoption", "option -1", O_CLIENT, c_getopt_idneg, LTCP_EINVAL),
  R("ltcp_getoption", "option LTCP_OPT_COUNT", O_CLIENT, c_getopt_idcount, LTCP_EINVAL),
  R("ltcp_option_byname", "NULL", O_NULL, c_byname_null, LTCP_EINVAL),
  R("ltcp_option_byname", "\"\"", O_NULL, c_byname_empty, LTCP_ENOTSUP),
  R("ltcp_option_byname", "\"LINGER\"", O_NULL, c_byname_case, LTCP_ENOTSUP),
  R("ltcp_option_byname", "\"linger \"", O_NULL, c_byname_space, LTCP_ENOTSUP),
  R("ltcp_option_name", "-1", O_NULL, c_optname_neg, 0),
  R("ltcp_option_name", "LTCP_OPT_COUNT", O_NULL, c_optname_count, 0),
  R("ltcp_connect_to", "NULL", O_NULL, c_connect_to_null, LTCP_EINVAL),
  R("ltcp_connect_to", "NULL host", O_RAW, c_connect_to_nullhost, LTCP_EINVAL),
  R("ltcp_connect_to", "port 0", O_RAW, c_connect_to_port0, LTCP_EINVAL),
  R("ltcp_connect_to", "port 65536", O_RAW, c_connect_to_port65536, LTCP_EINVAL),
  R("ltcp_connect_to", "family 5", O_RAW, c_connect_to_fam, LTCP_EINVAL),
  R("ltcp_connect_to", "local port -1", O_RAW, c_connect_to_lport, LTCP_EINVAL),
  R("ltcp_bind_to", "NULL", O_NULL, c_bind_to_null, LTCP_EINVAL),
  R("ltcp_bind_to", "NULL host", O_RAW, c_bind_to_nullhost, LTCP_EINVAL),
  R("ltcp_bind_to", "port -1", O_RAW, c_bind_to_portneg, LTCP_EINVAL),
  R("ltcp_bind_to", "port 65536", O_RAW, c_bind_to_port65536, LTCP_EINVAL),
  R("ltcp_bind_to", "backlog -1", O_RAW, c_bind_to_backlogneg, WANT_OK_OR_INVAL),
  R("ltcp_select", "NULL fds, n 1", O_NULL, c_select_nullfds, LTCP_EINVAL),
  R("ltcp_select", "NULL nready", O_NULL, c_select_nullnready, LTCP_EINVAL),
  R("ltcp_select", "NaN timeout", O_NULL, c_select_nan, LTCP_EINVAL),
  R("ltcp_select", "no entries, timeout 0", O_NULL, c_select_none, LTCP_ETIMEOUT),
  R("ltcp_select", "invalid socket entry", O_NULL, c_select_invalid, LTCP_ETIMEOUT),
  R("ltcp_select", "no events asked", O_SERVER, c_select_noevents, LTCP_ETIMEOUT),
  R("ltcp_select", "unknown event bits", O_SERVER, c_select_badevents, LTCP_ETIMEOUT),
  R("ltcp_setconnectdelay", "NULL", O_NULL, c_delay_null, LTCP_EINVAL),
  R("ltcp_setconnectdelay", "NaN", O_MASTER0, c_delay_nan, LTCP_EINVAL),
  R("ltcp_setconnectdelay", "-1", O_MASTER0, c_delay_neg, LTCP_EINVAL),
  R("ltcp_setconnectdelay", "-inf", O_MASTER, c_delay_neginf, LTCP_EINVAL),
  R("ltcp_setconnectdelay", "1e-300 (raised to 0.01)", O_MASTER0, c_delay_tiny, 0),
  R("ltcp_setconnectdelay", "0 (race off)", O_CLIENT, c_delay_zero, 0),
  R("ltcp_setconnectdelay", "+inf", O_MASTER0, c_delay_inf, 0),
  R("ltcp_setconnectdelay", "1e300", O_RAW, c_delay_huge, 0),
  R("ltcp_setconnectdelay", "closed", O_CLOSED, c_delay_zero, 0),
  R("ltcp_getconnectdelay", "NULL", O_NULL, c_getdelay_null, LTCP_EINVAL),
  R("ltcp_getconnectdelay", "NULL out", O_MASTER0, c_getdelay_nullout, LTCP_EINVAL),
  R("ltcp_select_objects", "NULL fds, n 1", O_NULL, c_selobj_nullfds, LTCP_EINVAL),
  R("ltcp_select_objects", "NULL nready", O_NULL, c_selobj_nullnready, LTCP_EINVAL),
  R("ltcp_select_objects", "NaN timeout", O_SERVER, c_selobj_nan, LTCP_EINVAL),
  R("ltcp_select_objects", "no entries, timeout 0", O_NULL, c_selobj_none, LTCP_ETIMEOUT),
  R("ltcp_select_objects", "invalid socket, NULL object", O_NULL, c_selobj_self, LTCP_ETIMEOUT),
  R("ltcp_select_objects", "a server's own entry", O_SERVER, c_selobj_self, LTCP_ETIMEOUT),
  R("ltcp_select_objects", "a closed object's entry", O_CLOSED, c_selobj_self, LTCP_ETIMEOUT),
  R("ltcp_select_objects", "an unconnected master", O_MASTER, c_selobj_self, WANT_NO_CRASH),
  R("ltcp_select_objects", "a raw object behind it", O_SERVER, c_selobj_other, LTCP_ETIMEOUT),
  R("ltcp_bytes_init", "NULL", O_NULL, c_bytes_init_null, 0),
  R("ltcp_bytes_free", "NULL", O_NULL, c_bytes_free_null, 0),
  R("ltcp_bytes_sink", "NULL", O_NULL, c_bytes_sink_null, 0),
  R("ltcp_errname", "LTCP_OK", O_NULL, c_errname_ok, 0),
  R("ltcp_errname", "positive code", O_NULL, c_errname_pos, 0),
  R("ltcp_errname", "INT_MIN", O_NULL, c_errname_min, 0),
  R("ltcp_errname", "internal code -1001", O_NULL, c_errname_internal, 0),
  R("ltcp_write", "NULL", O_NULL, c_write_null, LTCP_EINVAL),
  R("ltcp_write", "closed", O_CLOSED, c_write_closed, LTCP_ECLOSED),
  R("ltcp_write", "raw object", O_RAW, c_write_closed, LTCP_ECLOSED),
  R("ltcp_write", "master", O_MASTER, c_write_closed, LTCP_ESTATE),
  R("ltcp_write", "server", O_SERVER, c_write_closed, LTCP_ESTATE),
  R("ltcp_write", "NULL data, len 5", O_CLIENT, c_write_nulldata, LTCP_EINVAL),
  R("ltcp_write", "NULL data, len 0", O_CLIENT, c_write_nulldata_empty, 0),
  R("ltcp_write", "NULL sent", O_CLIENT, c_write_nullsent, 0),
  R("ltcp_dns_getaddrinfo", "NULL host and service", O_NULL, c_gai_nothing, LTCP_EINVAL),
  R("ltcp_dns_getaddrinfo", "NULL out", O_NULL, c_gai_nullout, LTCP_EINVAL),
  R("ltcp_dns_getaddrinfo", "max 0", O_NULL, c_gai_max0, LTCP_EINVAL),
  R("ltcp_dns_getaddrinfo", "NULL n", O_NULL, c_gai_nulln, LTCP_EINVAL),
  R("ltcp_dns_getaddrinfo", "family 5", O_NULL, c_gai_family, LTCP_EINVAL),
  R("ltcp_dns_getaddrinfo", "empty host", O_NULL, c_gai_empty, LTCP_ENONAME),
  R("ltcp_dns_getaddrinfo", "unknown host", O_NULL, c_gai_unknown, WANT_ANY_ERR),
  R("ltcp_dns_getaddrinfo", "unknown service", O_NULL, c_gai_badservice, WANT_ANY_ERR),
  R("ltcp_dns_getaddrinfo", "::1 asked as inet", O_NULL, c_gai_v6_as_v4, WANT_ANY_ERR),
  R("ltcp_dns_getaddrinfo", "299-byte name", O_NULL, c_gai_long, WANT_ANY_ERR),
  R("ltcp_dns_getnameinfo", "NULL addr", O_NULL, c_gni_null, LTCP_EINVAL),
  R("ltcp_dns_getnameinfo", "no buffer", O_NULL, c_gni_nobuf, LTCP_EINVAL),
  R("ltcp_dns_getnameinfo", "hostlen 0", O_NULL, c_gni_hostlen0, LTCP_EINVAL),
  R("ltcp_dns_getnameinfo", "hostlen 1", O_NULL, c_gni_hostlen1, WANT_ANY_ERR),
  R("ltcp_dns_getnameinfo", "port -1", O_NULL, c_gni_portneg, LTCP_EINVAL),
  R("ltcp_dns_getnameinfo", "port 65536", O_NULL, c_gni_port65536, LTCP_EINVAL),
  R("ltcp_dns_getnameinfo", "family 5", O_NULL, c_gni_family, LTCP_EINVAL),
  R("ltcp_dns_getnameinfo", "a name, not a number", O_NULL, c_gni_name, LTCP_ENONAME),
  R("ltcp_dns_getnameinfo", "empty host", O_NULL, c_gni_empty, LTCP_ENONAME),
  R("ltcp_dns_canonname", "NULL host", O_NULL, c_canon_nullhost, LTCP_EINVAL),
  R("ltcp_dns_canonname", "NULL buffer", O_NULL, c_canon_nullbuf, LTCP_EINVAL),
  R("ltcp_dns_canonname", "len 0", O_NULL, c_canon_len0, LTCP_EINVAL),
  R("ltcp_dns_canonname", "len 1", O_NULL, c_canon_len1, WANT_ANY_ERR),
  R("ltcp_dns_canonname", "empty host", O_NULL, c_canon_empty, LTCP_ENONAME),
  R("ltcp_dns_gethostname", "NULL", O_NULL, c_hostname_null, LTCP_EINVAL),
  R("ltcp_dns_gethostname", "len 0", O_NULL, c_hostname_len0, LTCP_EINVAL),
  R("ltcp_dns_gethostname", "len 1", O_NULL, c_hostname_len1, LTCP_ENOBUFS),
  R("ltcp_dns_gethostbyname", "NULL name", O_NULL, c_hostent_nullname, LTCP_EINVAL),
  R("ltcp_dns_gethostbyname", "NULL entry", O_NULL, c_hostent_nullh, LTCP_EINVAL),
  R("ltcp_dns_gethostbyname", "NULL buffer", O_NULL, c_hostent_nullbuf, LTCP_EINVAL),
  R("ltcp_dns_gethostbyname", "len 0", O_NULL, c_hostent_len0, LTCP_EINVAL),
  R("ltcp_dns_gethostbyname", "len 1", O_NULL, c_hostent_len1, WANT_ANY_ERR),
  R("ltcp_dns_gethostbyname", "empty name", O_NULL, c_hostent_empty, LTCP_EFAIL),
  R("ltcp_dns_gethostbyname", "::1 (not IPv4)", O_NULL, c_hostent_v6, WANT_ANY_ERR),
  R("ltcp_dns_gethostbyname", "299-byte name", O_NULL, c_hostent_long, WANT_ANY_ERR),
};
#define NROWS ((int)(sizeof rows / sizeof rows[0]))

static void fx_make(fx_t *f, objkind_t kind) {
  int port;
  ltcp_t *srv;
  memset(f, 0, sizeof *f);
  f->spare = lt_alloc();
  switch (kind) {
  case O_NULL: break;
  case O_RAW: f->t = lt_alloc(); break;
  case O_CLOSED:
    f->t = lt_alloc();
    lt_assert_rc(ltcp_open(f->t, LTCP_FAMILY_INET), 0);
    lt_assert_rc(ltcp_close(f->t), 0);
    break;
  case O_MASTER0:
  case O_MASTER:
  case O_BOUND:
    f->t = lt_alloc();
    lt_assert_rc(ltcp_open(f->t, kind == O_MASTER0 ? LTCP_FAMILY_UNSPEC : LTCP_FAMILY_INET), 0);
    if (kind == O_BOUND) lt_assert_rc(ltcp_bind(f->t, "127.0.0.1", 0), 0);
    break;
  case O_SERVER:
    f->t = lt_listener(LTCP_FAMILY_INET, 4, &port);
    lt_assert_rc(ltcp_settimeout(f->t, 0.5, 't'), 0);
    break;
  case O_CLIENT:
    srv = lt_listener(LTCP_FAMILY_INET, 4, &port);
    f->t = lt_client(LTCP_FAMILY_INET, port);
    f->peer = lt_accept(srv);
    lt_dispose(srv);
    lt_send_all(f->peer, "data\n", 5);
    lt_assert_rc(ltcp_settimeout(f->t, 0.5, 't'), 0);
    break;
  }
}

static void fx_free(fx_t *f) {
  lt_dispose(f->t);
  lt_dispose(f->peer);
  lt_dispose(f->spare);
}

/* 0 or a code of the public table (codes are appended over time: the table itself says). */
static int is_public(int rc) {
  switch (rc) {
  case 0:
#define PUBLIC_CASE(name, value, msg) case value:
    LTCP_ERRNO_MAP(PUBLIC_CASE)
#undef PUBLIC_CASE
    return 1;
  default: return 0;
  }
}

START_TEST(bad_input_row) {
  const row_t *r = &rows[_i];
  fx_t f;
  int rc, ok;
  fx_make(&f, r->obj);
  rc = r->call(&f);
  switch (r->want) {
  case WANT_ANY_ERR: ok = rc < 0 && is_public(rc); break;
  case WANT_OK_OR_INVAL: ok = rc == 0 || rc == LTCP_EINVAL; break;
  case WANT_NO_CRASH: ok = is_public(rc); break;
  default: ok = rc == r->want;
  }
  ck_assert_msg(ok, "row %d: %s(%s) returned %d (%s), expected %d (%s)", _i, r->fn, r->what, rc,
                rc == ODD ? "wrong result" : ltcp_strerror(rc), r->want,
                r->want >= 1000 ? "see table" : ltcp_strerror(r->want));
  fx_free(&f);
}
END_TEST

static int has_row(const char *fn) {
  int k;
  for (k = 0; k < NROWS; k++)
    if (strcmp(rows[k].fn, fn) == 0) return 1;
  return 0;
}

/* Every public function of ltcp.h must have rows: the names are read from the header itself
 * (every "LTCP_API ... ltcp_name(" declaration), so a new function without rows fails here.
 * Where the header cannot be read (a Windows build run elsewhere), a list kept by hand is used. */
START_TEST(table_covers_api) {
  static const char *const known[] = {"ltcp_init",
                                      "ltcp_cleanup",
                                      "ltcp_strerror",
                                      "ltcp_native_error",
                                      "ltcp_gettime",
                                      "ltcp_sleep",
                                      "ltcp_sizeof",
                                      "ltcp_maxsockets",
                                      "ltcp_open",
                                      "ltcp_new",
                                      "ltcp_free",
                                      "ltcp_close",
                                      "ltcp_state",
                                      "ltcp_state_name",
                                      "ltcp_getfamily",
                                      "ltcp_bind",
                                      "ltcp_listen",
                                      "ltcp_connect",
                                      "ltcp_accept",
                                      "ltcp_send",
                                      "ltcp_receive",
                                      "ltcp_receive_max",
                                      "ltcp_receive_any",
                                      "ltcp_until_sizeof",
                                      "ltcp_until_init",
                                      "ltcp_until_new",
                                      "ltcp_until_free",
                                      "ltcp_receive_until",
                                      "ltcp_setlimit",
                                      "ltcp_setbufsize",
                                      "ltcp_peek",
                                      "ltcp_skip",
                                      "ltcp_shutdown",
                                      "ltcp_getpeername",
                                      "ltcp_getsockname",
                                      "ltcp_dirty",
                                      "ltcp_getfd",
                                      "ltcp_setfd",
                                      "ltcp_getstats",
                                      "ltcp_setstats",
                                      "ltcp_settimeout",
                                      "ltcp_gettimeout",
                                      "ltcp_settimeout_op",
                                      "ltcp_gettimeout_op",
                                      "ltcp_setoption",
                                      "ltcp_getoption",
                                      "ltcp_option_byname",
                                      "ltcp_option_name",
                                      "ltcp_connect_to",
                                      "ltcp_bind_to",
                                      "ltcp_select",
                                      "ltcp_bytes_init",
                                      "ltcp_bytes_free",
                                      "ltcp_bytes_sink",
                                      "ltcp_errname",
                                      "ltcp_write",
                                      "ltcp_dns_getaddrinfo",
                                      "ltcp_dns_getnameinfo",
                                      "ltcp_dns_canonname",
                                      "ltcp_dns_gethostname",
                                      "ltcp_dns_gethostbyname",
                                      "ltcp_ignore_sigpipe"};
  size_t a;
  int found = 0;
#ifdef LTCP_PUBLIC_HEADER
  FILE *h = fopen(LTCP_PUBLIC_HEADER, "r");
  if (h) {
    static char text[1 << 17];
    size_t n = fread(text, 1, sizeof text - 1, h);
    const char *p = text;
    fclose(h);
    text[n] = '\0';
    while ((p = strstr(p, "LTCP_API ")) != NULL) {
      const char *paren = strchr(p, '('), *name;
      char fn[64];
      size_t len;
      p += 9;
      if (!paren) break;
      for (name = paren; name > p && (name[-1] == '_' || (name[-1] >= 'a' && name[-1] <= 'z') ||
                                      (name[-1] >= '0' && name[-1] <= '9'));
           name--) {
      }
      len = (size_t)(paren - name);
      if (len == 0 || len >= sizeof fn || strncmp(name, "ltcp_", 5) != 0) continue;
      memcpy(fn, name, len);
      fn[len] = '\0';
      ck_assert_msg(has_row(fn), "no bad-input row for %s (add rows to the table)", fn);
      found++;
    }
    ck_assert_msg(found >= 30, "read only %d declarations from %s", found, LTCP_PUBLIC_HEADER);
  }
#endif
  if (!found) fprintf(stderr, "table_covers_api: public header not readable, using the list\n");
  for (a = 0; a < sizeof known / sizeof known[0]; a++)
    ck_assert_msg(has_row(known[a]), "no bad-input row for %s", known[a]);
}
END_TEST

static Suite *badinput_suite(void) {
  Suite *s = suite_create("reliability_badinput");
  TCase *tc = tcase_create("table");
  tcase_set_timeout(tc, LT_SLOW_TIMEOUT);
  tcase_add_test(tc, table_covers_api);
  tcase_add_loop_test(tc, bad_input_row, 0, NROWS);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(badinput_suite());
}
