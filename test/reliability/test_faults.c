/* Fault matrix over real loopback sockets, for 127.0.0.1 and ::1 (loop tests: _i = 0 IPv4,
 * 1 IPv6): refused connections (blocking, and non-blocking through select + connect), a connect
 * that times out against a listener whose backlog is full, resets in the middle of a stream (for
 * the receiver and for a sender: LTCP_ECLOSED, no SIGPIPE), half-close, writing to a half-open
 * connection, signals during waits (EINTR), EMFILE on accept, close twice and every operation
 * after close, bind conflicts, and dual-stack sockets.
 * Expected results are LuaSocket 3.1's (checked against Debian's lua-socket on Linux).
 * SIGPIPE keeps its default action in this process on purpose: if the library ever let one
 * through, the test would die of it instead of passing.
 * Invariants: loopback and port 0 only; every object has a total timeout; loops are bounded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h" /* the transport seam, for the deadline tests */
#include "rel_util.h"

#ifndef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#else
#include <windows.h>

/* Wine (where the Windows tests run in CI) reads a peer's reset as an orderly end of stream:
 * recv returns 0 where Windows fails with WSAECONNRESET. Reset tests relax only there, so that
 * real Windows is still held to LuaSocket's answer. */
static int under_wine(void) {
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}
#endif

static int wait_ready(ltcp_t *t, int events, double timeout) {
  ltcp_pollfd_t p;
  size_t n = 0;
  p.sock = ltcp_getfd(t);
  p.events = events;
  p.revents = 0;
  return ltcp_select(&p, 1, timeout, &n);
}

/* Receive and compare: status and bytes. */
static void expect_receive(ltcp_t *t, ltcp_pattern_t pat, size_t count, int want_rc,
                           const char *want) {
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  int rc;
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);
  rc = ltcp_receive(t, pat, count, NULL, 0, &sink);
  ck_assert_msg(rc == want_rc, "receive(pattern %d): %d (%s), expected %d (%s)", (int)pat, rc,
                ltcp_strerror(rc), want_rc, ltcp_strerror(want_rc));
  ck_assert_msg(b.len == strlen(want) && (b.len == 0 || memcmp(b.data, want, b.len) == 0),
                "receive(pattern %d) gave %zu bytes '%.*s', expected '%s'", (int)pat, b.len,
                (int)b.len, b.data ? b.data : "", want);
  ltcp_bytes_free(&b);
}

/* ---- refused ---- */

START_TEST(refused_blocking) {
  int port;
  ltcp_t *t;
  REL_SKIP_NO_IPV6(_i);
  port = rel_dead_port(_i);
  t = rel_alloc();
  rel_assert_rc(ltcp_open(t, rel_family(_i)), 0);
  rel_assert_rc(ltcp_settimeout(t, 5.0, 't'), 0);
  rel_assert_rc(ltcp_connect(t, rel_host(_i), port), LTCP_EREFUSED);
  /* as LuaSocket: a client after any attempt; its socket calls report errors, never crash */
  ck_assert_int_eq(ltcp_state(t), LTCP_STATE_CLIENT);
  ck_assert_int_lt(ltcp_send(t, "x", 1, 1, -1, NULL), 0);
  rel_dispose(t);
  /* the shortcut cleans up after itself */
  t = rel_alloc();
  rel_assert_rc(ltcp_connect_to(t, rel_host(_i), port, NULL, 0, rel_family(_i)), LTCP_EREFUSED);
  ck_assert_int_eq(ltcp_state(t), LTCP_STATE_CLOSED);
  ck_assert(ltcp_getfd(t) == LTCP_INVALID_SOCKET);
  rel_dispose(t);
}
END_TEST

START_TEST(refused_nonblocking) {
  int port, rc, tries;
  ltcp_t *t;
  REL_SKIP_NO_IPV6(_i);
  port = rel_dead_port(_i);
  t = rel_alloc();
  rel_assert_rc(ltcp_open(t, rel_family(_i)), 0);
  rel_assert_rc(ltcp_settimeout(t, 0.0, 'b'), 0);
  rc = ltcp_connect(t, rel_host(_i), port);
  ck_assert_msg(rc == LTCP_ETIMEOUT || rc == LTCP_EREFUSED, "first connect: %s",
                ltcp_strerror(rc));
  if (rc == LTCP_ETIMEOUT) { /* in progress: select says when it is done */
    rel_assert_rc(wait_ready(t, LTCP_POLLOUT, 5.0), 0);
    rc = ltcp_connect(t, rel_host(_i), port);
  }
  rel_assert_rc(rc, LTCP_EREFUSED);
  /* the failure is reported once, then the object stays usable for errors only */
  for (tries = 0; tries < 3; tries++) ck_assert_int_lt(ltcp_send(t, "x", 1, 1, -1, NULL), 0);
  rel_dispose(t);
}
END_TEST

/* ---- connect timeout against a full backlog (POSIX: Windows answers a full backlog with a
 * reset, i.e. "connection refused", so there is no timeout to see there) ---- */
#ifndef _WIN32
/* Valgrind, which ci/valgrind.sh runs these under, changes two things the tests can see: it
 * emulates the descriptor limit (see the EMFILE test), and under CPU load a signal can land in
 * every attempt of a slow syscall (it checks a large send buffer's bytes first), so non-blocking
 * sends come back with EINTR over and over and a deadline overruns. Natively neither happens. */
static int under_valgrind(void) {
  const char *p = getenv("LD_PRELOAD");
  return p && (strstr(p, "vgpreload") || strstr(p, "valgrind"));
}

static volatile sig_atomic_t alarms;
static struct sigaction old_alrm;

static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

/* SIGALRM every `period` seconds, handler without SA_RESTART, so blocking calls see EINTR. */
static void alarm_start(double period) {
  struct sigaction sa;
  struct itimerval it;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART */
  ck_assert_int_eq(sigaction(SIGALRM, &sa, &old_alrm), 0);
  alarms = 0;
  it.it_interval.tv_sec = 0;
  it.it_interval.tv_usec = (suseconds_t)(period * 1e6);
  it.it_value = it.it_interval;
  ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
}

static void alarm_stop(void) {
  struct itimerval it;
  memset(&it, 0, sizeof it);
  setitimer(ITIMER_REAL, &it, NULL);
  sigaction(SIGALRM, &old_alrm, NULL);
}

#define FILL_MAX 64

START_TEST(connect_timeout_backlog_full) {
  ltcp_t *srv, *c[FILL_MAX], *late;
  int port, n = 0, full = 0, k, rc;
  double t0, el;
  REL_SKIP_NO_IPV6(_i);
  srv = rel_listener(_i, 1, &port); /* never accepts */
  for (n = 0; n < FILL_MAX && !full; n++) {
    c[n] = rel_alloc();
    rel_assert_rc(ltcp_open(c[n], rel_family(_i)), 0);
    rel_assert_rc(ltcp_settimeout(c[n], 0.3, 't'), 0);
    rc = ltcp_connect(c[n], rel_host(_i), port);
    ck_assert_msg(rc == 0 || rc == LTCP_ETIMEOUT, "filling: %s", ltcp_strerror(rc));
    full = rc == LTCP_ETIMEOUT;
  }
  ck_assert_msg(full, "backlog never filled with %d clients", FILL_MAX);
  for (k = 0; k < 2; k++) { /* total timeout, then block timeout, with signals during the wait */
    late = rel_alloc();
    rel_assert_rc(ltcp_open(late, rel_family(_i)), 0);
    rel_assert_rc(ltcp_settimeout(late, 0.5, k ? 'b' : 't'), 0);
    alarm_start(0.05);
    t0 = rel_now();
    rc = ltcp_connect(late, rel_host(_i), port);
    el = rel_now() - t0;
    alarm_stop();
    rel_assert_rc(rc, LTCP_ETIMEOUT);
    ck_assert_msg(el >= 0.5 - 1e-3 && el < 0.5 + REL_SLACK, "connect took %.3f s, timeout 0.5",
                  el);
    ck_assert_int_ge(alarms, 3);
    rel_dispose(late);
  }
  for (k = 0; k < n; k++) rel_dispose(c[k]);
  rel_dispose(srv);
}
END_TEST
#endif

/* ---- reset in the middle of a stream ---- */

/* The peer writes `data`, we see it arrive, then the peer resets (linger {on, 0} + close). */
static void reset_after(int i, const char *data, ltcp_t **cli) {
  ltcp_t *acc;
  rel_pair(i, cli, &acc);
  rel_send_all(acc, data, strlen(data));
  rel_assert_rc(wait_ready(*cli, LTCP_POLLIN, 5.0), 0);
  rel_assert_rc(ltcp_setoption(acc, LTCP_OPT_LINGER, 1, 0), 0);
  rel_dispose(acc); /* RST */
}

START_TEST(reset_receive_count) {
  ltcp_t *cli;
  REL_SKIP_NO_IPV6(_i);
  reset_after(_i, "partial", &cli);
  expect_receive(cli, LTCP_RECV_COUNT, 100, LTCP_ECLOSED, "partial");
  expect_receive(cli, LTCP_RECV_COUNT, 100, LTCP_ECLOSED, "");
  rel_dispose(cli);
}
END_TEST

START_TEST(reset_receive_line) {
  ltcp_t *cli;
  REL_SKIP_NO_IPV6(_i);
  reset_after(_i, "one\npartial", &cli);
  expect_receive(cli, LTCP_RECV_LINE, 0, 0, "one");
  expect_receive(cli, LTCP_RECV_LINE, 0, LTCP_ECLOSED, "partial");
  expect_receive(cli, LTCP_RECV_LINE, 0, LTCP_ECLOSED, "");
  rel_dispose(cli);
}
END_TEST

/* LuaSocket: receive('*a') after a reset is nil, "closed", partial: a reset is not an orderly
 * end of the stream, so '*a' must not report success for a truncated stream. */
START_TEST(reset_receive_all) {
  ltcp_t *cli;
  REL_SKIP_NO_IPV6(_i);
  reset_after(_i, "partial", &cli);
#ifdef _WIN32
  if (under_wine()) { /* success (Wine: an orderly end) or "closed": the bytes must be there */
    ltcp_bytes_t b;
    ltcp_sink_t sink;
    int rc;
    ltcp_bytes_init(&b);
    sink = ltcp_bytes_sink(&b);
    rc = ltcp_receive(cli, LTCP_RECV_ALL, 0, NULL, 0, &sink);
    ck_assert_msg(rc == 0 || rc == LTCP_ECLOSED, "receive('*a'): %d (%s)", rc, ltcp_strerror(rc));
    ck_assert(b.len == 7 && memcmp(b.data, "partial", 7) == 0);
    ltcp_bytes_free(&b);
    rel_dispose(cli);
    return;
  }
#endif
  expect_receive(cli, LTCP_RECV_ALL, 0, LTCP_ECLOSED, "partial");
  expect_receive(cli, LTCP_RECV_ALL, 0, LTCP_ECLOSED, "");
  rel_dispose(cli);
}
END_TEST

START_TEST(reset_sender) {
  ltcp_t *cli, *acc;
  static char big[65536];
  int k, rc = 0;
  REL_SKIP_NO_IPV6(_i);
  memset(big, 'x', sizeof big);
  rel_pair(_i, &cli, &acc);
  rel_assert_rc(ltcp_setoption(acc, LTCP_OPT_LINGER, 1, 0), 0);
  rel_dispose(acc);
  rel_assert_rc(wait_ready(cli, LTCP_POLLIN, 5.0), 0); /* the RST has arrived */
  for (k = 0; k < 8 && rc == 0; k++) rc = ltcp_send(cli, big, sizeof big, 1, -1, NULL);
  rel_assert_rc(rc, LTCP_ECLOSED);
  rel_assert_rc(ltcp_send(cli, "x", 1, 1, -1, NULL), LTCP_ECLOSED);
  rel_dispose(cli);
}
END_TEST

/* The peer closed normally (FIN): the first write is accepted locally, the peer answers it with
 * a reset, and from then on writes fail with LTCP_ECLOSED (never SIGPIPE). */
START_TEST(write_half_open) {
  ltcp_t *cli, *acc;
  int k, rc = 0;
  long long last = -1;
  REL_SKIP_NO_IPV6(_i);
  rel_pair(_i, &cli, &acc);
  rel_dispose(acc);
  rel_assert_rc(wait_ready(cli, LTCP_POLLIN, 5.0), 0);
  for (k = 0; k < 100 && rc == 0; k++) {
    rc = ltcp_send(cli, "ping\n", 5, 1, -1, &last);
    if (rc == 0) (void)wait_ready(cli, LTCP_POLLIN, 0.02); /* give the reset time to come */
  }
  rel_assert_rc(rc, LTCP_ECLOSED);
  ck_assert_int_eq(last, 0); /* nothing of a failed send counted as sent */
  expect_receive(cli, LTCP_RECV_LINE, 0, LTCP_ECLOSED, "");
  rel_dispose(cli);
}
END_TEST

/* ---- half-close: the peer shuts down its sending side ---- */

static void half_closed_pair(int i, const char *data, ltcp_t **cli, ltcp_t **acc) {
  rel_pair(i, cli, acc);
  rel_send_all(*acc, data, strlen(data));
  rel_assert_rc(ltcp_shutdown(*acc, LTCP_SHUT_SEND), 0);
}

static void still_can_send(ltcp_t *cli, ltcp_t *acc) {
  rel_send_all(cli, "reply\n", 6);
  expect_receive(acc, LTCP_RECV_LINE, 0, 0, "reply");
}

START_TEST(half_close_line) {
  ltcp_t *cli, *acc;
  REL_SKIP_NO_IPV6(_i);
  half_closed_pair(_i, "line1\r\nrest", &cli, &acc);
  expect_receive(cli, LTCP_RECV_LINE, 0, 0, "line1");
  expect_receive(cli, LTCP_RECV_LINE, 0, LTCP_ECLOSED, "rest");
  expect_receive(cli, LTCP_RECV_LINE, 0, LTCP_ECLOSED, "");
  still_can_send(cli, acc);
  rel_dispose(cli);
  rel_dispose(acc);
}
END_TEST

START_TEST(half_close_all) {
  ltcp_t *cli, *acc;
  REL_SKIP_NO_IPV6(_i);
  half_closed_pair(_i, "all of\nthe data", &cli, &acc);
  expect_receive(cli, LTCP_RECV_ALL, 0, 0, "all of\nthe data");
  expect_receive(cli, LTCP_RECV_ALL, 0, LTCP_ECLOSED, "");
  still_can_send(cli, acc);
  rel_dispose(cli);
  rel_dispose(acc);
}
END_TEST

START_TEST(half_close_count) {
  ltcp_t *cli, *acc;
  REL_SKIP_NO_IPV6(_i);
  half_closed_pair(_i, "12345", &cli, &acc);
  expect_receive(cli, LTCP_RECV_COUNT, 3, 0, "123");
  expect_receive(cli, LTCP_RECV_COUNT, 10, LTCP_ECLOSED, "45");
  expect_receive(cli, LTCP_RECV_COUNT, 1, LTCP_ECLOSED, "");
  still_can_send(cli, acc);
  rel_dispose(cli);
  rel_dispose(acc);
}
END_TEST

/* ---- our own shutdown: then every call reports "closed", and a send after shutting down the
 * sending side raises no SIGPIPE ---- */

START_TEST(own_shutdown) {
  ltcp_t *cli, *acc;
  int rc;
  REL_SKIP_NO_IPV6(_i);
  rel_pair(_i, &cli, &acc);
  rel_assert_rc(ltcp_shutdown(cli, LTCP_SHUT_SEND), 0);
  rel_assert_rc(ltcp_send(cli, "x", 1, 1, -1, NULL), LTCP_ECLOSED);
  expect_receive(acc, LTCP_RECV_ALL, 0, LTCP_ECLOSED, ""); /* the peer sees the end */
  rel_send_all(acc, "still\n", 6);                       /* the other way still works */
  expect_receive(cli, LTCP_RECV_LINE, 0, 0, "still");
  rel_assert_rc(ltcp_shutdown(cli, LTCP_SHUT_RECEIVE), 0);
  expect_receive(cli, LTCP_RECV_LINE, 0, LTCP_ECLOSED, "");
  rc = ltcp_shutdown(cli, LTCP_SHUT_BOTH); /* again: fine, or an error code, never a crash */
  ck_assert_msg(rc == 0 || rc == LTCP_ENOTCONN, "second shutdown: %s", ltcp_strerror(rc));
  ck_assert_int_eq(ltcp_state(cli), LTCP_STATE_CLIENT);
  rel_dispose(cli);
  rel_dispose(acc);
}
END_TEST

/* A client connects and resets before the server accepts: accept either skips it (and waits
 * for the next) or hands out a connection that reports "closed"; the server goes on working. */
START_TEST(accept_after_client_reset) {
  ltcp_t *srv, *c, *a;
  int port, rc;
  REL_SKIP_NO_IPV6(_i);
  srv = rel_listener(_i, 4, &port);
  c = rel_client(_i, port);
  rel_assert_rc(ltcp_setoption(c, LTCP_OPT_LINGER, 1, 0), 0);
  rel_dispose(c); /* RST while still in the accept queue */
  rel_assert_rc(ltcp_settimeout(srv, 0.5, 't'), 0);
  a = rel_alloc();
  rc = ltcp_accept(srv, a);
  ck_assert_msg(rc == 0 || rc == LTCP_ETIMEOUT, "accept: %s", ltcp_strerror(rc));
  if (rc == 0) {
    rel_assert_rc(ltcp_settimeout(a, 5.0, 't'), 0);
    expect_receive(a, LTCP_RECV_LINE, 0, LTCP_ECLOSED, "");
  }
  rel_dispose(a);
  /* the next client is served */
  c = rel_client(_i, port);
  rel_assert_rc(ltcp_settimeout(srv, 5.0, 't'), 0);
  a = rel_accept(srv);
  rel_send_all(c, "ok\n", 3);
  expect_receive(a, LTCP_RECV_LINE, 0, 0, "ok");
  rel_dispose(a);
  rel_dispose(c);
  rel_dispose(srv);
}
END_TEST

/* ---- signals during waits (POSIX: Windows has no signals that interrupt socket waits) ---- */
#ifndef _WIN32
/* A call interrupted every 50 ms must still end at its original deadline: not early (EINTR
 * taken as the end), not late (each EINTR restarting the full timeout would never end). */
static void check_deadline(double el, double timeout, const char *what) {
  double slack = under_valgrind() ? 30.0 : REL_SLACK;
  ck_assert_msg(el >= timeout - 1e-3, "%s returned early: %.3f s, timeout %.3f", what, el, timeout);
  ck_assert_msg(el < timeout + slack, "%s returned late: %.3f s, timeout %.3f", what, el, timeout);
  ck_assert_msg(alarms >= 5, "%s: only %d signals arrived during the call", what, (int)alarms);
}

START_TEST(eintr_receive) {
  ltcp_t *cli, *acc;
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  double t0, el;
  int k, rc;
  REL_SKIP_NO_IPV6(_i);
  rel_pair(_i, &cli, &acc);
  rel_send_all(acc, "abc", 3); /* a partial line: it must survive the interruptions */
  for (k = 0; k < 2; k++) {
    ltcp_bytes_init(&b);
    sink = ltcp_bytes_sink(&b);
    rel_assert_rc(ltcp_settimeout(cli, k ? -1.0 : 0.6, 't'), 0);
    rel_assert_rc(ltcp_settimeout(cli, k ? 0.6 : -1.0, 'b'), 0);
    alarm_start(0.05);
    t0 = rel_now();
    rc = ltcp_receive(cli, LTCP_RECV_LINE, 0, NULL, 0, &sink);
    el = rel_now() - t0;
    alarm_stop();
    rel_assert_rc(rc, LTCP_ETIMEOUT);
    check_deadline(el, 0.6, k ? "receive ('b')" : "receive ('t')");
    ck_assert_msg(b.len == (k ? 0u : 3u), "partial data: %zu bytes", b.len);
    ltcp_bytes_free(&b);
  }
  /* as LuaSocket: the partial result was handed out (the caller passes it back as a prefix), so
   * the rest of the line is all that is left; the connection still works after the signals */
  rel_send_all(acc, "def\n", 4);
  expect_receive(cli, LTCP_RECV_LINE, 0, 0, "def");
  rel_dispose(cli);
  rel_dispose(acc);
}
END_TEST

START_TEST(eintr_select) {
  ltcp_t *cli, *acc;
  double t0, el;
  int rc;
  REL_SKIP_NO_IPV6(_i);
  rel_pair(_i, &cli, &acc);
  alarm_start(0.05);
  t0 = rel_now();
  rc = wait_ready(cli, LTCP_POLLIN, 0.6);
  el = rel_now() - t0;
  alarm_stop();
  rel_assert_rc(rc, LTCP_ETIMEOUT);
  check_deadline(el, 0.6, "select");
  rel_dispose(cli);
  rel_dispose(acc);
}
END_TEST

START_TEST(eintr_accept) {
  ltcp_t *srv, *a;
  double t0, el;
  int rc, port;
  REL_SKIP_NO_IPV6(_i);
  srv = rel_listener(_i, 4, &port);
  rel_assert_rc(ltcp_settimeout(srv, 0.6, 't'), 0);
  a = rel_alloc();
  alarm_start(0.05);
  t0 = rel_now();
  rc = ltcp_accept(srv, a);
  el = rel_now() - t0;
  alarm_stop();
  rel_assert_rc(rc, LTCP_ETIMEOUT);
  check_deadline(el, 0.6, "accept");
  rel_dispose(a);
  rel_dispose(srv);
}
END_TEST

/* ---- EMFILE on accept, in a forked child with a low RLIMIT_NOFILE ---- */

/* Valgrind emulates the descriptor limit itself: it lets the kernel accept, then closes the new
 * descriptor and reports EMFILE, so the pending connections are gone and there is nothing left
 * to recover. Under valgrind the child stops after the EMFILE checks. */
#define EMFILE_VALGRIND 100

/* The child's steps; its exit status names the first that failed (0 = all passed). Only the
 * soft limit is lowered (valgrind, for one, refuses to change the hard limit). */
static int emfile_steps(ltcp_t *srv, ltcp_t *a) {
  struct rlimit rl;
  int fds[300], nfds = 0, fd, rc;
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  double t0, el;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 2;
  rl.rlim_cur = 128;
  if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return 2;
  while (nfds < 300 && (fd = open("/dev/null", O_RDONLY)) >= 0) fds[nfds++] = fd;
  if (nfds == 0 || nfds == 300 || errno != EMFILE) return 3;
  /* no descriptor left: a clean error, at once (the deadline is 2 s away: no busy loop) */
  ltcp_settimeout(srv, 2.0, 't');
  t0 = rel_now();
  rc = ltcp_accept(srv, a);
  el = rel_now() - t0;
  if (rc != LTCP_EMFILE) return 10;
  if (el > 0.5) return 11;
  if (ltcp_state(a) != LTCP_STATE_CLOSED || ltcp_state(srv) != LTCP_STATE_SERVER) return 12;
  if (ltcp_accept(srv, a) != LTCP_EMFILE) return 13; /* still so, and still no crash */
  if (under_valgrind()) return EMFILE_VALGRIND;
  /* free descriptors: the server recovers and the pending connections come through */
  for (fd = 0; fd < 4; fd++) close(fds[--nfds]); /* a few: a tool (valgrind) may take one */
  if ((rc = ltcp_accept(srv, a)) != 0) {
    fprintf(stderr, "emfile: accept after freeing descriptors: %s\n", ltcp_strerror(rc));
    return 20;
  }
  ltcp_settimeout(a, 5.0, 't');
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);
  rc = ltcp_receive(a, LTCP_RECV_LINE, 0, NULL, 0, &sink);
  fd = rc != 0 ? 21 : (b.len != 5 || memcmp(b.data, "hello", 5) != 0) ? 22 : 0;
  ltcp_bytes_free(&b);
  if (fd) return fd;
  if (ltcp_send(a, "back\n", 5, 1, -1, NULL) != 0) return 23;
  ltcp_close(a);
  if (ltcp_accept(srv, a) != 0) return 24; /* the second pending one */
  ltcp_close(a);
  while (nfds > 0) close(fds[--nfds]);
  return 0;
}

static int emfile_child(ltcp_t *srv) {
  ltcp_t *a = calloc(1, ltcp_sizeof());
  int rc = a ? emfile_steps(srv, a) : 1;
  if (a) ltcp_close(a);
  free(a);
  return rc;
}

START_TEST(emfile_accept) {
  ltcp_t *srv, *c1, *c2;
  int port, status = -1;
  pid_t pid;
  REL_SKIP_NO_IPV6(_i);
  srv = rel_listener(_i, 8, &port);
  c1 = rel_client(_i, port);
  c2 = rel_client(_i, port);
  rel_send_all(c1, "hello\n", 6);
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) _exit(emfile_child(srv));
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert_msg(WIFEXITED(status), "child died (signal %d)", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  ck_assert_msg(WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == EMFILE_VALGRIND,
                "EMFILE child failed at step %d", WEXITSTATUS(status));
  if (WEXITSTATUS(status) == 0) expect_receive(c1, LTCP_RECV_LINE, 0, 0, "back");
  else fprintf(stderr, "emfile_accept: under valgrind, recovery steps skipped\n");
  rel_dispose(c1);
  rel_dispose(c2);
  rel_dispose(srv);
}
END_TEST
#endif

#ifndef _WIN32
/* ---- a peer that resets while we wait (POSIX: the peer is a forked child that holds the only
 * other reference to the accepted socket, so its close is the one that sends the RST) ---- */

static pid_t reset_later(ltcp_t *acc, double delay) {
  pid_t pid;
  rel_assert_rc(ltcp_setoption(acc, LTCP_OPT_LINGER, 1, 0), 0);
  pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    ltcp_sleep(delay);
    ltcp_close(acc); /* the last reference: RST */
    _exit(0);
  }
  ltcp_close(acc); /* ours is not the last reference: nothing is sent */
  return pid;
}

static void reap(pid_t pid) {
  int status = -1;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(reset_wakes_receiver) {
  ltcp_t *cli, *acc;
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  double t0, el;
  pid_t pid;
  int rc;
  REL_SKIP_NO_IPV6(_i);
  rel_pair(_i, &cli, &acc);
  rel_send_all(acc, "part", 4);
  pid = reset_later(acc, 0.2);
  rel_assert_rc(ltcp_settimeout(cli, 5.0, 't'), 0);
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);
  t0 = rel_now();
  rc = ltcp_receive(cli, LTCP_RECV_LINE, 0, NULL, 0, &sink);
  el = rel_now() - t0;
  rel_assert_rc(rc, LTCP_ECLOSED);
  ck_assert_msg(el < 2.0, "the reset did not end the wait: %.3f s", el);
  ck_assert_msg(b.len == 4 && memcmp(b.data, "part", 4) == 0, "partial: %zu bytes", b.len);
  ltcp_bytes_free(&b);
  reap(pid);
  rel_dispose(cli);
  rel_dispose(acc);
}
END_TEST

/* The peer never reads, our send blocks on a full buffer, then the peer resets: the send ends
 * with LTCP_ECLOSED well before its timeout, *last tells how far it got, and no SIGPIPE. */
START_TEST(reset_wakes_sender) {
  ltcp_t *cli, *acc;
  size_t len = 64u << 20;
  char *data = malloc(len);
  long long last = -1;
  double t0, el;
  pid_t pid;
  int rc;
  REL_SKIP_NO_IPV6(_i);
  ck_assert_ptr_nonnull(data);
  memset(data, 'y', len);
  rel_pair(_i, &cli, &acc);
  pid = reset_later(acc, 0.3);
  rel_assert_rc(ltcp_settimeout(cli, 5.0, 't'), 0);
  t0 = rel_now();
  rc = ltcp_send(cli, data, len, 1, -1, &last);
  el = rel_now() - t0;
  rel_assert_rc(rc, LTCP_ECLOSED);
  ck_assert_msg(el < 2.5, "the reset did not end the send: %.3f s", el);
  ck_assert_msg(last >= 0 && last < (long long)len, "last %lld of %zu", last, len);
  reap(pid);
  free(data);
  rel_dispose(cli);
  rel_dispose(acc);
}
END_TEST

/* A send interrupted by signals while the peer does not read: it ends at its original deadline
 * with *last = the bytes sent; resuming from *last + 1 delivers every byte exactly once. */
START_TEST(eintr_send_resume) {
  ltcp_t *cli, *acc;
  size_t len = 32u << 20, k, got = 0;
  unsigned char *data = malloc(len);
  long long last = -1, from;
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  double t0, el;
  int rc, rounds;
  REL_SKIP_NO_IPV6(_i);
  ck_assert_ptr_nonnull(data);
  for (k = 0; k < len; k++) data[k] = (unsigned char)(k * 31u % 251u);
  rel_pair(_i, &cli, &acc);
  /* Time is stretched in slow legs: valgrind checks the bytes a send is given before the system
   * call starts, and restarts that check when a signal lands in it, so with a 50 ms period it
   * would never reach the system call (a livelock of the tool, not of the library). */
  rel_assert_rc(ltcp_settimeout(cli, 0.6 * lt_slowdown(), 't'), 0);
  alarm_start(0.05 * lt_slowdown());
  t0 = rel_now();
  rc = ltcp_send(cli, (const char *)data, len, 1, -1, &last);
  el = rel_now() - t0;
  alarm_stop();
  rel_assert_rc(rc, LTCP_ETIMEOUT);
  check_deadline(el, 0.6 * lt_slowdown(), "send");
  ck_assert_msg(last > 0 && last < (long long)len, "last %lld of %zu", last, len);
  /* drain and resume, alternating, until everything arrived; check every byte */
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);
  rel_assert_rc(ltcp_settimeout(cli, 0.0, 'b'), 0);
  rel_assert_rc(ltcp_settimeout(acc, 0.0, 'b'), 0);
  from = last + 1;
  for (rounds = 0; rounds < 100000 && got < len; rounds++) {
    b.len = 0;
    rc = ltcp_receive(acc, LTCP_RECV_COUNT, len - got, NULL, 0, &sink);
    ck_assert_msg(rc == 0 || rc == LTCP_ETIMEOUT, "receive: %s", ltcp_strerror(rc));
    for (k = 0; k < b.len; k++)
      if ((unsigned char)b.data[k] != data[got + k])
        ck_abort_msg("byte %zu differs (lost or duplicated data)", got + k);
    got += b.len;
    if (from <= (long long)len) {
      rc = ltcp_send(cli, (const char *)data, len, from, -1, &last);
      ck_assert_msg(rc == 0 || rc == LTCP_ETIMEOUT, "send: %s", ltcp_strerror(rc));
      ck_assert_int_ge(last, from - 1);
      from = last + 1;
    }
  }
  ck_assert_uint_eq(got, len);
  ltcp_bytes_free(&b);
  free(data);
  rel_dispose(cli);
  rel_dispose(acc);
}
END_TEST
#endif

/* ---- a call that makes progress before its first wait (a slow machine, a fast peer): the
 * total timeout still counts from the start of the call, as LuaSocket's does (it marks the
 * start on entry), so the call ends about max(start + total, first would-block), not a full
 * total timeout after the first would-block. Over an in-memory transport that takes 50 ms per
 * successful step (as a loaded machine would), then would-block forever. ---- */

typedef struct slow {
  int steps;      /* successful steps before would-block */
  double t_block; /* when it first said would-block */
} slow_t;

static int slow_send(void *ctx, const char *data, size_t len, size_t *sent) {
  slow_t *s = ctx;
  (void)data;
  *sent = 0;
  if (s->steps > 0) {
    s->steps--;
    ltcp_sleep(0.05);
    *sent = len < 1000 ? len : 1000;
    return 0;
  }
  if (s->t_block == 0.0) s->t_block = rel_now();
  return LTCP__WOULDBLOCK;
}

static int slow_recv(void *ctx, char *data, size_t len, size_t *got) {
  slow_t *s = ctx;
  *got = 0;
  if (s->steps > 0) {
    s->steps--;
    ltcp_sleep(0.05);
    memset(data, 'r', len < 1000 ? len : 1000);
    *got = len < 1000 ? len : 1000;
    return 0;
  }
  if (s->t_block == 0.0) s->t_block = rel_now();
  return LTCP__WOULDBLOCK;
}

static int slow_wait(void *ctx, int events, double seconds) {
  (void)ctx;
  (void)events;
  if (seconds < 0.0) seconds = 5.0; /* "forever" would be a test bug: bound it */
  ltcp_sleep(seconds);
  return LTCP_ETIMEOUT;
}

START_TEST(total_counts_from_call_start) {
  static char big[1 << 20];
  ltcp_t *t = rel_alloc();
  ltcp__transport_t tr;
  slow_t s;
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  double t0, end, due;
  int rc;
  rel_assert_rc(ltcp_open(t, LTCP_FAMILY_UNSPEC), 0);
  s.steps = 10; /* 0.5 s of progress */
  s.t_block = 0.0;
  tr.ctx = &s;
  tr.send = slow_send;
  tr.recv = slow_recv;
  tr.wait = slow_wait;
  ltcp__set_transport(t, &tr);
  rel_assert_rc(ltcp_settimeout(t, 0.5, 't'), 0);
  t0 = rel_now();
  if (_i == 0) {
    rc = ltcp_send(t, big, sizeof big, 1, -1, NULL);
  } else {
    ltcp_bytes_init(&b);
    sink = ltcp_bytes_sink(&b);
    rc = ltcp_receive(t, LTCP_RECV_ALL, 0, NULL, 0, &sink);
    ck_assert_uint_eq(b.len, 10000);
    ltcp_bytes_free(&b);
  }
  end = rel_now();
  rel_assert_rc(rc, LTCP_ETIMEOUT);
  ck_assert(s.t_block > 0.0);
  due = t0 + 0.5 > s.t_block ? t0 + 0.5 : s.t_block;
  ck_assert_msg(end - due < 0.25,
                "%s with total timeout 0.5 s: %.3f s of progress, then %.3f s more (the deadline "
                "was %.3f s after the call began)",
                _i ? "receive('*a')" : "send", s.t_block - t0, end - s.t_block, 0.5);
  rel_dispose(t);
}
END_TEST

/* ---- close twice; every operation after close ---- */

static void check_all_closed(ltcp_t *t, int i) {
  ltcp_t *other = rel_alloc();
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  ltcp_addr_t a;
  int v = 0, l = 0;
  long long last = -1;
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);
  ck_assert_int_eq(ltcp_state(t), LTCP_STATE_CLOSED);
  ck_assert_str_eq(ltcp_state_name(ltcp_state(t)), "closed");
  ck_assert(ltcp_getfd(t) == LTCP_INVALID_SOCKET);
  ck_assert_int_eq(ltcp_dirty(t), 0);
  rel_assert_rc(ltcp_bind(t, rel_host(i), 0), LTCP_ECLOSED);
  rel_assert_rc(ltcp_listen(t, 5), LTCP_ECLOSED);
  rel_assert_rc(ltcp_connect(t, rel_host(i), 9), LTCP_ECLOSED);
  rel_assert_rc(ltcp_accept(t, other), LTCP_ECLOSED);
  rel_assert_rc(ltcp_send(t, "x", 1, 1, -1, &last), LTCP_ECLOSED);
  ck_assert_int_eq(last, 0);
  rel_assert_rc(ltcp_receive(t, LTCP_RECV_LINE, 0, NULL, 0, &sink), LTCP_ECLOSED);
  rel_assert_rc(ltcp_receive(t, LTCP_RECV_ALL, 0, NULL, 0, &sink), LTCP_ECLOSED);
  rel_assert_rc(ltcp_receive(t, LTCP_RECV_COUNT, 5, NULL, 0, &sink), LTCP_ECLOSED);
  ck_assert_uint_eq(b.len, 0);
  rel_assert_rc(ltcp_shutdown(t, LTCP_SHUT_BOTH), LTCP_ECLOSED);
  rel_assert_rc(ltcp_getpeername(t, &a), LTCP_ECLOSED);
  rel_assert_rc(ltcp_getsockname(t, &a), LTCP_ECLOSED);
  rel_assert_rc(ltcp_setoption(t, LTCP_OPT_TCP_NODELAY, 1, 0), LTCP_ECLOSED);
  rel_assert_rc(ltcp_getoption(t, LTCP_OPT_TCP_NODELAY, &v, &l), LTCP_ECLOSED);
  /* accessors still work */
  rel_assert_rc(ltcp_settimeout(t, 1.0, 'b'), 0);
  rel_assert_rc(ltcp_getstats(t, NULL, NULL, NULL), 0);
  rel_assert_rc(ltcp_close(t), 0);
  rel_dispose(other);
  ltcp_bytes_free(&b);
}

START_TEST(close_twice_every_state) {
  ltcp_t *srv, *cli, *acc, *m;
  int port;
  REL_SKIP_NO_IPV6(_i);
  srv = rel_listener(_i, 4, &port);
  cli = rel_client(_i, port);
  acc = rel_accept(srv);
  m = rel_alloc();
  rel_assert_rc(ltcp_open(m, rel_family(_i)), 0);
  rel_assert_rc(ltcp_close(m), 0);
  rel_assert_rc(ltcp_close(m), 0);
  check_all_closed(m, _i);
  rel_assert_rc(ltcp_close(srv), 0);
  rel_assert_rc(ltcp_close(srv), 0);
  check_all_closed(srv, _i);
  rel_send_all(acc, "buffered\n", 9);
  expect_receive(cli, LTCP_RECV_COUNT, 3, 0, "buf"); /* leave bytes in the object's buffer */
  rel_assert_rc(ltcp_close(cli), 0);
  rel_assert_rc(ltcp_close(cli), 0);
  check_all_closed(cli, _i);
  /* the peer sees the close */
  expect_receive(acc, LTCP_RECV_ALL, 0, LTCP_ECLOSED, "");
  rel_dispose(acc);
  rel_dispose(cli);
  rel_dispose(srv);
  rel_dispose(m);
}
END_TEST

/* ---- bind conflict ---- */

START_TEST(bind_conflict) {
  ltcp_t *srv, *m;
  int port;
  REL_SKIP_NO_IPV6(_i);
  srv = rel_listener(_i, 4, &port);
  m = rel_alloc();
  rel_assert_rc(ltcp_open(m, rel_family(_i)), 0);
  rel_assert_rc(ltcp_bind(m, rel_host(_i), port), LTCP_EADDRINUSE);
  ck_assert_int_eq(ltcp_state(m), LTCP_STATE_MASTER); /* can try again */
  rel_assert_rc(ltcp_bind(m, rel_host(_i), 0), 0);
  rel_dispose(m);
#ifndef _WIN32
  /* reuseaddr does not allow sharing a listening port (Windows semantics differ, and Wine's
   * differ from Windows', so this part is POSIX only) */
  m = rel_alloc();
  rel_assert_rc(ltcp_open(m, rel_family(_i)), 0);
  rel_assert_rc(ltcp_setoption(m, LTCP_OPT_REUSEADDR, 1, 0), 0);
  rel_assert_rc(ltcp_bind(m, rel_host(_i), port), LTCP_EADDRINUSE);
  rel_dispose(m);
  m = rel_alloc();
  rel_assert_rc(ltcp_bind_to(m, rel_host(_i), port, 5), LTCP_EADDRINUSE);
  ck_assert_int_eq(ltcp_state(m), LTCP_STATE_CLOSED);
  ck_assert(ltcp_getfd(m) == LTCP_INVALID_SOCKET);
  rel_dispose(m);
#endif
  rel_dispose(srv);
}
END_TEST

/* ---- dual stack: "::" with ipv6-v6only off takes IPv4 clients; on (the default), not ---- */

#if !defined(REL_FAMILY) || REL_FAMILY != 4 /* needs IPv6: in the IPv6 program */
START_TEST(dual_stack) {
  ltcp_t *srv, *c, *a;
  ltcp_addr_t addr;
  int port, v = -1, on;
  if (!rel_have_ipv6()) {
    fprintf(stderr, "dual_stack: IPv6 unavailable, skipped\n");
    return;
  }
  for (on = 0; on <= 1; on++) {
    srv = rel_alloc();
    rel_assert_rc(ltcp_open(srv, LTCP_FAMILY_INET6), 0);
    rel_assert_rc(ltcp_getoption(srv, LTCP_OPT_IPV6_V6ONLY, &v, NULL), 0);
    ck_assert_int_eq(v, 1); /* the documented default */
    rel_assert_rc(ltcp_setoption(srv, LTCP_OPT_IPV6_V6ONLY, on, 0), 0);
    rel_assert_rc(ltcp_bind(srv, "::", 0), 0);
    rel_assert_rc(ltcp_listen(srv, 4), 0);
    rel_assert_rc(ltcp_settimeout(srv, 5.0, 't'), 0);
    rel_assert_rc(ltcp_getsockname(srv, &addr), 0);
    port = addr.port;
    c = rel_alloc();
    rel_assert_rc(ltcp_open(c, LTCP_FAMILY_INET), 0);
    rel_assert_rc(ltcp_settimeout(c, 5.0, 't'), 0);
    if (on) {
      rel_assert_rc(ltcp_connect(c, "127.0.0.1", port), LTCP_EREFUSED);
    } else {
      rel_assert_rc(ltcp_connect(c, "127.0.0.1", port), 0);
      a = rel_accept(srv);
      ck_assert_int_eq(ltcp_getfamily(a), LTCP_FAMILY_INET6);
      rel_assert_rc(ltcp_getpeername(a, &addr), 0);
      ck_assert_str_eq(addr.host, "::ffff:127.0.0.1");
      rel_send_all(c, "v4\n", 3);
      expect_receive(a, LTCP_RECV_LINE, 0, 0, "v4");
      rel_dispose(a);
    }
    rel_dispose(c);
    rel_dispose(srv);
  }
}
END_TEST
#endif

static Suite *faults_suite(void) {
  Suite *s = suite_create("reliability_faults");
  TCase *tc;
#define REL_TC(name, ...)                                                                         \
  tc = tcase_create(name);                                                                        \
  tcase_set_timeout(tc, REL_TCASE_TIMEOUT);                                                       \
  __VA_ARGS__                                                                                     \
  suite_add_tcase(s, tc);
  REL_TC("refused", REL_LOOP(tc, refused_blocking);
         REL_LOOP(tc, refused_nonblocking);)
#ifndef _WIN32
  REL_TC("connect_timeout", REL_LOOP(tc, connect_timeout_backlog_full);)
#endif
  REL_TC("reset", REL_LOOP(tc, reset_receive_count);
         REL_LOOP(tc, reset_receive_line);
         REL_LOOP(tc, reset_receive_all);
         REL_LOOP(tc, reset_sender);
         REL_LOOP(tc, write_half_open);)
  REL_TC("shutdown", REL_LOOP(tc, own_shutdown);
         REL_LOOP(tc, accept_after_client_reset);)
  REL_TC("half_close", REL_LOOP(tc, half_close_line);
         REL_LOOP(tc, half_close_all);
         REL_LOOP(tc, half_close_count);)
#ifndef _WIN32
  REL_TC("eintr", REL_LOOP(tc, eintr_receive);
         REL_LOOP(tc, eintr_select);
         REL_LOOP(tc, eintr_accept);)
  REL_TC("emfile", REL_LOOP(tc, emfile_accept);)
  REL_TC("reset_while_waiting", REL_LOOP(tc, reset_wakes_receiver);
         REL_LOOP(tc, reset_wakes_sender);
         REL_LOOP(tc, eintr_send_resume);)
#endif
  REL_TC("deadline", REL_LOOP(tc, total_counts_from_call_start);)
  REL_TC("close", REL_LOOP(tc, close_twice_every_state);)
  REL_TC("bind_conflict", REL_LOOP(tc, bind_conflict);)
#if !defined(REL_FAMILY) || REL_FAMILY != 4
  REL_TC("dual_stack", tcase_add_test(tc, dual_stack);)
#endif
#undef REL_TC
  return s;
}

int main(void) {
  return rel_main(faults_suite());
}
