/* The bench scenarios through ltcp's public C API (include/ltcp.h), shaped like raw.c so the two
 * compare directly. Received data goes to an ltcp_bytes_t sink that is emptied (len = 0) between
 * calls, as a C caller consuming one line or piece at a time would do; lines are parsed in place
 * (ltcp_peek/ltcp_skip) unless a fifth argument "call" asks for one call per line.
 *
 *   capi SCENARIO PORT [ARGS]   scenarios and arguments as in docs/performance.md */
#include <ltcp.h>

#include "bench.h"

static void check(int rc, const char *what) {
  if (rc) bench_die("%s: %s", what, ltcp_strerror(rc));
}

static ltcp_t *dial(int port) {
  ltcp_t *t;
  check(ltcp_new(&t, LTCP_FAMILY_INET), "new");
  check(ltcp_connect(t, "127.0.0.1", port), "connect");
  return t;
}

/* Lines two ways. "inplace" (the default, what the targets use): the technique raw.c uses, on
 * ltcp's buffer: a 1 MiB buffer (ltcp_setbufsize, raw.c's size), every whole line found with
 * memchr in ltcp_peek's view, ltcp_skip once per view, and ltcp_receive for the one line that
 * straddles the end of the buffer (it refills). "call": one ltcp_receive_buffered per line, at
 * the default buffer size, as a caller wanting one line per call would write it. */
static void lines(ltcp_t *t, long long count, long long size, int per_call) {
  ltcp_bytes_t b;
  ltcp_sink_t sink = ltcp_bytes_sink(&b);
  long long n = 0, bytes = 0;
  double t0, dt;
  int rc;
  ltcp_bytes_init(&b);
  if (!per_call) check(ltcp_setbufsize(t, 1u << 20), "setbufsize");
  t0 = bench_mark();
  for (;;) {
    const char *line;
    size_t len;
    if (per_call) {
      rc = ltcp_receive_buffered(t, LTCP_RECV_LINE, 0, &line, &len);
      if (rc) break;
      if (line) {
        bytes += (long long)len;
        n++;
        continue;
      }
    } else {
      const char *p, *nl;
      size_t avail, at = 0;
      if ((rc = ltcp_peek(t, &p, &avail)) != 0) break;
      while (at < avail && (nl = memchr(p + at, '\n', avail - at)) != NULL) {
        bytes += (long long)((size_t)(nl - p) - at);
        at = (size_t)(nl - p) + 1;
        n++;
      }
      if (at > 0) {
        if ((rc = ltcp_skip(t, at)) != 0) break;
        continue;
      }
    }
    b.len = 0; /* no whole line buffered: one through the sink, which refills */
    rc = ltcp_receive(t, LTCP_RECV_LINE, 0, NULL, 0, &sink);
    if (rc) break;
    bytes += (long long)b.len;
    n++;
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  if (rc != LTCP_ECLOSED) check(rc, "receive");
  if (n != count || bytes != count * (size - 1)) bench_die("lines: got %lld lines", n);
  printf("RESULT %.6g\n", (double)n / dt);
  ltcp_bytes_free(&b);
}

static void all(ltcp_t *t, long long expect) {
  ltcp_bytes_t b;
  ltcp_sink_t sink = ltcp_bytes_sink(&b);
  double t0, dt;
  ltcp_bytes_init(&b);
  t0 = bench_mark();
  check(ltcp_receive(t, LTCP_RECV_ALL, 0, NULL, 0, &sink), "receive");
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  if ((long long)b.len != expect) bench_die("all: got %zu bytes", b.len);
  printf("RESULT %.6g\n", (double)b.len / dt / 1e6);
  ltcp_bytes_free(&b);
}

/* receiveuntil: one ltcp_receive_until per record, the sink emptied between records. */
static void until(ltcp_t *t, long long count, long long size, long long patlen) {
  ltcp_bytes_t b;
  ltcp_sink_t sink = ltcp_bytes_sink(&b);
  ltcp_until_t *u;
  long long n = 0, bytes = 0;
  double t0, dt;
  int rc, end = 0;
  ltcp_bytes_init(&b);
  check(ltcp_until_new(&u, BENCH_BOUNDARY, (size_t)patlen, 0), "until_new");
  t0 = bench_mark();
  for (;;) {
    b.len = 0;
    rc = ltcp_receive_until(t, u, 0, &sink, &end);
    if (rc) break;
    bytes += (long long)b.len;
    n++;
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  if (rc != LTCP_ECLOSED) check(rc, "receive_until");
  if (n != count || bytes != count * (size - patlen)) bench_die("until: got %lld records", n);
  printf("RESULT %.6g\n", (double)n / dt);
  ltcp_until_free(u);
  ltcp_bytes_free(&b);
}

/* receiveany(MAX): one ltcp_receive_any per call, the sink emptied between calls. */
static void any(ltcp_t *t, long long expect, long long max) {
  ltcp_bytes_t b;
  ltcp_sink_t sink = ltcp_bytes_sink(&b);
  long long total = 0, calls = 0;
  double t0, dt;
  int rc;
  ltcp_bytes_init(&b);
  t0 = bench_mark();
  for (;;) {
    b.len = 0;
    rc = ltcp_receive_any(t, (size_t)max, &sink);
    if (rc) break;
    total += (long long)b.len;
    calls++;
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  if (rc != LTCP_ECLOSED) check(rc, "receive_any");
  if (total != expect) bench_die("any: got %lld bytes", total);
  printf("RESULT %.6g\nINFO calls=%lld\n", (double)total / dt / 1e6, calls);
  ltcp_bytes_free(&b);
}

static void count(ltcp_t *t, long long expect, long long chunk) {
  ltcp_bytes_t b;
  ltcp_sink_t sink = ltcp_bytes_sink(&b);
  long long total = 0, pieces = 0;
  double t0, dt;
  int rc;
  ltcp_bytes_init(&b);
  t0 = bench_mark();
  for (;;) {
    b.len = 0;
    rc = ltcp_receive(t, LTCP_RECV_COUNT, (size_t)chunk, NULL, 0, &sink);
    total += (long long)b.len;
    if (rc) break;
    pieces++;
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  if (rc != LTCP_ECLOSED) check(rc, "receive");
  if (total != expect) bench_die("count: got %lld bytes", total);
  printf("RESULT %.6g\nINFO pieces=%lld\n", (double)total / dt / 1e6, pieces);
  ltcp_bytes_free(&b);
}

static void sendn(ltcp_t *t, long long count, long long size) {
  char *msg = malloc((size_t)size);
  ltcp_bytes_t b;
  ltcp_sink_t sink = ltcp_bytes_sink(&b);
  long long i, last;
  double t0 = bench_mark(), dt;
  if (!msg) bench_die("out of memory");
  ltcp_bytes_init(&b);
  memset(msg, 's', (size_t)size);
  msg[size - 1] = '\n';
  for (i = 0; i < count; i++) check(ltcp_send(t, msg, (size_t)size, 1, -1, &last), "send");
  check(ltcp_shutdown(t, LTCP_SHUT_SEND), "shutdown");
  check(ltcp_receive(t, LTCP_RECV_COUNT, 1, NULL, 0, &sink), "ack");
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  printf("RESULT %.6g\n", (double)count / dt);
  ltcp_bytes_free(&b);
  free(msg);
}

static void pingpong(ltcp_t *t, long long count, long long size) {
  char *msg = malloc((size_t)size);
  ltcp_bytes_t b;
  ltcp_sink_t sink = ltcp_bytes_sink(&b);
  long long i, last;
  double t0, dt;
  if (!msg) bench_die("out of memory");
  ltcp_bytes_init(&b);
  check(ltcp_setoption(t, LTCP_OPT_TCP_NODELAY, 1, 0), "setoption");
  memset(msg, 'p', (size_t)size);
  msg[size - 1] = '\n';
  t0 = bench_mark();
  for (i = 0; i < count; i++) {
    check(ltcp_send(t, msg, (size_t)size, 1, -1, &last), "send");
    b.len = 0;
    check(ltcp_receive(t, LTCP_RECV_LINE, 0, NULL, 0, &sink), "receive");
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  printf("RESULT %.6g\n", (double)count / dt);
  ltcp_bytes_free(&b);
  free(msg);
}

static void churn(int port, long long count) {
  ltcp_bytes_t b;
  ltcp_sink_t sink = ltcp_bytes_sink(&b);
  long long i;
  double t0 = bench_mark(), dt;
  ltcp_bytes_init(&b);
  for (i = 0; i < count; i++) {
    ltcp_t *t = dial(port);
    int rc = ltcp_receive(t, LTCP_RECV_COUNT, 1, NULL, 0, &sink);
    if (rc != LTCP_ECLOSED) bench_die("churn: expected closed, got %s", ltcp_strerror(rc));
    ltcp_free(t);
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  printf("RESULT %.6g\n", (double)count / dt);
  ltcp_bytes_free(&b);
}

static void selectn(int port, long long n, long long calls) {
  ltcp_t **ts = calloc((size_t)n, sizeof *ts);
  ltcp_pollfd_t *p = calloc((size_t)n, sizeof *p);
  long long i;
  size_t ready;
  double t0, dt;
  if (!ts || !p) bench_die("out of memory");
  for (i = 0; i < n; i++) {
    ts[i] = dial(port);
    p[i].sock = ltcp_getfd(ts[i]);
    p[i].events = LTCP_POLLIN;
  }
  check(ltcp_select(p, (size_t)n, BENCH_IO_TIMEOUT_MS / 1000.0, &ready), "select");
  t0 = bench_mark();
  for (i = 0; i < calls; i++) {
    check(ltcp_select(p, (size_t)n, 1.0, &ready), "select");
    if (ready != 1) bench_die("select: expected one ready");
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  printf("RESULT %.6g\n", dt / (double)calls * 1e6);
  for (i = 0; i < n; i++) ltcp_free(ts[i]);
  free(ts);
  free(p);
}

static void timeouts(ltcp_t *t, long long count) {
  ltcp_bytes_t b;
  ltcp_sink_t sink = ltcp_bytes_sink(&b);
  double sum = 0, lo = 1e9, hi = -1e9;
  long long i;
  ltcp_bytes_init(&b);
  check(ltcp_settimeout(t, 0.05, LTCP_TIMEOUT_BLOCK), "settimeout");
  for (i = 0; i < count; i++) {
    double t0 = bench_now(), late;
    int rc = ltcp_receive(t, LTCP_RECV_COUNT, 1, NULL, 0, &sink);
    late = (bench_now() - t0 - 0.05) * 1e3;
    if (rc != LTCP_ETIMEOUT) bench_die("timeout: got %s", ltcp_strerror(rc));
    sum += late;
    if (late < lo) lo = late;
    if (late > hi) hi = late;
  }
  printf("RESULT %.6g\nINFO min=%.6g max=%.6g\n", sum / (double)count, lo, hi);
  ltcp_bytes_free(&b);
}

/* COUNT connects to "localhost" with settimeout(TIMEOUT), [::1] black-holed by the feeder:
 * milliseconds per connect. The name must resolve to ::1 first. */
static void eyeballs(int port, long long count, long long timeout) {
  ltcp_addr_t a[4];
  size_t n = 0;
  double sum = 0, lo = 1e9, hi = -1e9;
  long long i;
  if (ltcp_dns_getaddrinfo("localhost", NULL, LTCP_FAMILY_UNSPEC, a, 4, &n) != 0 || n < 2 ||
      strcmp(a[0].host, "::1") != 0) {
    bench_fail("localhost does not resolve to ::1 first, then another address");
  }
  for (i = 0; i < count; i++) {
    ltcp_t *t;
    double t0, ms;
    check(ltcp_new(&t, LTCP_FAMILY_UNSPEC), "new");
    check(ltcp_settimeout(t, (double)timeout, LTCP_TIMEOUT_BLOCK), "settimeout");
    t0 = bench_now();
    check(ltcp_connect(t, "localhost", port), "connect");
    ms = (bench_now() - t0) * 1e3;
    sum += ms;
    if (ms < lo) lo = ms;
    if (ms > hi) hi = ms;
    ltcp_free(t);
  }
  printf("RESULT %.6g\nINFO min=%.6g max=%.6g\n", sum / (double)count, lo, hi);
}

int main(int argc, char **argv) {
  const char *sc;
  int port;
  ltcp_t *t = NULL;
  bench_watchdog();
  bench_raise_nofile();
  if (argc < 3) bench_die("usage: capi SCENARIO PORT [ARGS]");
  check(ltcp_init(), "init");
  sc = argv[1];
  port = (int)bench_arg(argc, argv, 2, "PORT");
  if (strcmp(sc, "churn") && strcmp(sc, "select") && strcmp(sc, "eyeballs")) t = dial(port);
  if (!strcmp(sc, "lines"))
    lines(t, bench_arg(argc, argv, 3, "COUNT"), bench_arg(argc, argv, 4, "SIZE"),
          argc > 5 && !strcmp(argv[5], "call"));
  else if (!strcmp(sc, "all")) all(t, bench_arg(argc, argv, 3, "BYTES"));
  else if (!strcmp(sc, "until"))
    until(t, bench_arg(argc, argv, 3, "COUNT"), bench_arg(argc, argv, 4, "SIZE"),
          bench_arg(argc, argv, 5, "PATLEN"));
  else if (!strcmp(sc, "any"))
    any(t, bench_arg(argc, argv, 3, "BYTES"), bench_arg(argc, argv, 4, "MAX"));
  else if (!strcmp(sc, "count"))
    count(t, bench_arg(argc, argv, 3, "BYTES"), bench_arg(argc, argv, 4, "CHUNK"));
  else if (!strcmp(sc, "send"))
    sendn(t, bench_arg(argc, argv, 3, "COUNT"), bench_arg(argc, argv, 4, "SIZE"));
  else if (!strcmp(sc, "pingpong"))
    pingpong(t, bench_arg(argc, argv, 3, "COUNT"), bench_arg(argc, argv, 4, "SIZE"));
  else if (!strcmp(sc, "churn")) churn(port, bench_arg(argc, argv, 3, "COUNT"));
  else if (!strcmp(sc, "select"))
    selectn(port, bench_arg(argc, argv, 3, "N"), bench_arg(argc, argv, 4, "CALLS"));
  else if (!strcmp(sc, "timeout")) timeouts(t, bench_arg(argc, argv, 3, "COUNT"));
  else if (!strcmp(sc, "eyeballs"))
    eyeballs(port, bench_arg(argc, argv, 3, "COUNT"), bench_arg(argc, argv, 4, "TIMEOUT"));
  else bench_die("unknown scenario %s", sc);
  if (t) ltcp_free(t);
  ltcp_cleanup();
  fflush(stdout);
  return 0;
}
