/* The raw-C reference client: the best simple technique with plain sockets, no library. A
 * non-blocking socket, recv into a 1 MiB buffer, memchr for lines, poll(2) when the socket would
 * block. Lines and counted pieces are handed out as pointers into that buffer (no copy): this is
 * the ceiling a library that must copy into its caller's string can approach.
 *
 *   raw SCENARIO PORT [ARGS]   scenarios and arguments as in docs/performance.md */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include "bench.h"

#define BUF (1u << 20)

static void set_nonblock(int fd) {
  int fl = fcntl(fd, F_GETFL, 0);
  if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) bench_die("fcntl: %s", strerror(errno));
}

/* A blocking connect to 127.0.0.1:port. */
static int dial(int port) {
  struct sockaddr_in sa;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) bench_die("socket: %s", strerror(errno));
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons((unsigned short)port);
  while (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
    if (errno != EINTR) bench_die("connect: %s", strerror(errno));
  return fd;
}

static void wait_for(int fd, short ev) {
  struct pollfd p = {fd, ev, 0};
  int rc;
  do rc = poll(&p, 1, BENCH_IO_TIMEOUT_MS);
  while (rc < 0 && errno == EINTR);
  if (rc <= 0) bench_die("poll: %s", rc ? strerror(errno) : "timed out");
}

/* One successful recv (waiting with poll as needed); 0 at EOF. */
static size_t rd(int fd, char *p, size_t n) {
  for (;;) {
    ssize_t k = recv(fd, p, n, 0);
    if (k >= 0) return (size_t)k;
    if (errno == EAGAIN || errno == EWOULDBLOCK) wait_for(fd, POLLIN);
    else if (errno != EINTR) bench_die("recv: %s", strerror(errno));
  }
}

static void wr(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
    if (k >= 0) {
      p += k;
      n -= (size_t)k;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      wait_for(fd, POLLOUT);
    } else if (errno != EINTR) {
      bench_die("send: %s", strerror(errno));
    }
  }
}

static char *xmalloc(size_t n) {
  char *p = malloc(n);
  if (!p) bench_die("out of memory");
  return p;
}

/* Lines: count them and sum their lengths (the LF excluded) so the scan cannot be elided. */
static void lines(int fd, long long count, long long size) {
  char *buf = xmalloc(BUF);
  size_t first = 0, last = 0;
  long long n = 0, bytes = 0;
  double t0 = bench_mark(), dt;
  for (;;) {
    char *nl = first < last ? memchr(buf + first, '\n', last - first) : NULL;
    if (nl) {
      bytes += (long long)((size_t)(nl - buf) - first);
      first = (size_t)(nl - buf) + 1;
      n++;
      continue;
    }
    if (first > 0) { /* keep the partial line, make room behind it */
      memmove(buf, buf + first, last - first);
      last -= first;
      first = 0;
    }
    if (last == BUF) bench_die("line longer than the buffer");
    {
      size_t k = rd(fd, buf + last, BUF - last);
      if (k == 0) break;
      last += k;
    }
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  if (n != count || bytes != count * (size - 1)) bench_die("lines: got %lld lines", n);
  printf("RESULT %.6g\n", (double)n / dt);
  free(buf);
}

/* receiveuntil: records up to a boundary, found with memmem in the 1 MiB buffer (no copy). */
static void until(int fd, long long count, long long size, long long patlen) {
  char *buf = xmalloc(BUF);
  size_t first = 0, last = 0, m = (size_t)patlen;
  long long n = 0, bytes = 0;
  double t0 = bench_mark(), dt;
  for (;;) {
    char *hit = last - first >= m ? memmem(buf + first, last - first, BENCH_BOUNDARY, m) : NULL;
    if (hit) {
      bytes += (long long)((size_t)(hit - buf) - first);
      first = (size_t)(hit - buf) + m;
      n++;
      continue;
    }
    if (first > 0) { /* keep the partial record, make room behind it */
      memmove(buf, buf + first, last - first);
      last -= first;
      first = 0;
    }
    if (last == BUF) bench_die("record longer than the buffer");
    {
      size_t k = rd(fd, buf + last, BUF - last);
      if (k == 0) break;
      last += k;
    }
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  if (n != count || bytes != count * (size - patlen)) bench_die("until: got %lld records", n);
  printf("RESULT %.6g\n", (double)n / dt);
  free(buf);
}

/* receiveany(MAX): one recv of at most MAX bytes per call, into a fixed buffer. */
static void any(int fd, long long expect, long long max) {
  char *buf = xmalloc((size_t)max);
  long long total = 0, calls = 0;
  double t0 = bench_mark(), dt;
  for (;;) {
    size_t k = rd(fd, buf, (size_t)max);
    if (k == 0) break;
    total += (long long)k;
    calls++;
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  if (total != expect) bench_die("any: got %lld bytes", total);
  printf("RESULT %.6g\nINFO calls=%lld\n", (double)total / dt / 1e6, calls);
  free(buf);
}

/* '*a': one growing result, received straight into it (1 MiB per recv), doubling as it fills. */
static void all(int fd, long long expect) {
  size_t cap = BUF, len = 0;
  char *buf = xmalloc(cap);
  double t0 = bench_mark(), dt;
  for (;;) {
    size_t k;
    if (cap - len < BUF / 4) {
      char *p = realloc(buf, cap * 2);
      if (!p) bench_die("out of memory");
      buf = p;
      cap *= 2;
    }
    k = rd(fd, buf + len, cap - len < BUF ? cap - len : BUF); /* 1 MiB at most per recv */
    if (k == 0) break;
    len += k;
  }
  if (getenv("BENCH_RAW_COPY")) {
    /* "raw C plus one copy": what a library must do at the least when its caller's result has
     * to be a new object of its own (a Lua string): the bytes copied once more, into fresh
     * memory of the final size. One byte per page is read back so the copy cannot be elided. */
    char *out = xmalloc(len + 1);
    volatile unsigned char sum = 0;
    size_t i;
    memcpy(out, buf, len);
    free(buf);
    for (i = 0; i < len; i += 4096) sum = (unsigned char)(sum + (unsigned char)out[i]);
    buf = out;
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  if ((long long)len != expect) bench_die("all: got %zu bytes", len);
  printf("RESULT %.6g\n", (double)len / dt / 1e6);
  free(buf);
}

/* receive(CHUNK) repeatedly: pieces of at least the buffer size are filled in place; smaller
 * pieces are served from the 1 MiB buffer as pointers. */
static void count(int fd, long long expect, long long chunk) {
  char *buf = xmalloc(BUF > (size_t)chunk ? BUF : (size_t)chunk);
  size_t first = 0, last = 0;
  long long total = 0, pieces = 0;
  volatile char sink = 0;
  double t0 = bench_mark(), dt;
  if (chunk < 1) bench_die("bad chunk");
  for (;;) {
    if ((size_t)chunk >= BUF) {
      size_t got = 0, k = 1;
      while (got < (size_t)chunk && (k = rd(fd, buf + got, (size_t)chunk - got)) > 0) got += k;
      total += (long long)got;
      if (got < (size_t)chunk) break;
    } else {
      if (last - first < (size_t)chunk) {
        size_t k;
        memmove(buf, buf + first, last - first);
        last -= first;
        first = 0;
        k = rd(fd, buf + last, BUF - last);
        if (k == 0) break;
        last += k;
        continue;
      }
      sink ^= buf[first]; /* the piece is buf[first .. first+chunk) */
      first += (size_t)chunk;
      total += chunk;
    }
    pieces++;
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  total += (long long)(last - first);
  if (total != expect) bench_die("count: got %lld bytes", total);
  printf("RESULT %.6g\nINFO pieces=%lld\n", (double)total / dt / 1e6, pieces);
  free(buf);
}

static void sendn(int fd, long long count, long long size) {
  char *msg = xmalloc((size_t)size), ack;
  long long i;
  double t0 = bench_mark(), dt;
  memset(msg, 's', (size_t)size);
  msg[size - 1] = '\n';
  for (i = 0; i < count; i++) wr(fd, msg, (size_t)size);
  shutdown(fd, SHUT_WR);
  if (rd(fd, &ack, 1) != 1) bench_die("send: no ack");
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  printf("RESULT %.6g\n", (double)count / dt);
  free(msg);
}

static void pingpong(int fd, long long count, long long size) {
  char *msg = xmalloc((size_t)size), buf[4096];
  long long i;
  int one = 1;
  double t0, dt;
  if (size < 1 || size > (long long)sizeof buf) bench_die("bad size");
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  memset(msg, 'p', (size_t)size);
  msg[size - 1] = '\n';
  t0 = bench_mark();
  for (i = 0; i < count; i++) {
    size_t have = 0;
    wr(fd, msg, (size_t)size);
    do {
      size_t k = rd(fd, buf + have, sizeof buf - have);
      if (k == 0) bench_die("pingpong: closed");
      have += k;
    } while (!memchr(buf, '\n', have));
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  printf("RESULT %.6g\n", (double)count / dt);
  free(msg);
}

/* connect, see the server's close (recv gives 0), close. Blocking sockets: nothing to wait for. */
static void churn(int port, long long count) {
  long long i;
  double t0 = bench_mark(), dt;
  for (i = 0; i < count; i++) {
    char c;
    int fd = dial(port);
    ssize_t k;
    do k = recv(fd, &c, 1, 0);
    while (k < 0 && errno == EINTR);
    if (k != 0 && !(k < 0 && errno == ECONNRESET)) bench_die("churn: expected close");
    close(fd);
  }
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  printf("RESULT %.6g\n", (double)count / dt);
}

/* poll over N sockets of which one is readable; microseconds per call. */
static void selectn(int port, long long n, long long calls) {
  struct pollfd *p = calloc((size_t)n, sizeof *p);
  long long i;
  double t0, dt;
  if (!p) bench_die("out of memory");
  for (i = 0; i < n; i++) {
    p[i].fd = dial(port);
    p[i].events = POLLIN;
  }
  if (poll(p, (nfds_t)n, BENCH_IO_TIMEOUT_MS) != 1) bench_die("select: expected one ready");
  t0 = bench_mark();
  for (i = 0; i < calls; i++)
    if (poll(p, (nfds_t)n, 1000) != 1) bench_die("select: expected one ready");
  dt = bench_now() - t0;
  bench_cpu_info(dt);
  printf("RESULT %.6g\n", dt / (double)calls * 1e6);
  for (i = 0; i < n; i++) close(p[i].fd);
  free(p);
}

/* poll with a 50 ms timeout on a silent socket; lateness in ms (mean as RESULT). */
static void timeouts(int fd, long long count) {
  double sum = 0, lo = 1e9, hi = -1e9;
  long long i;
  for (i = 0; i < count; i++) {
    struct pollfd p = {fd, POLLIN, 0};
    double t0 = bench_now(), late;
    if (poll(&p, 1, 50) != 0) bench_die("timeout: unexpected data");
    late = (bench_now() - t0 - 0.05) * 1e3;
    sum += late;
    if (late < lo) lo = late;
    if (late > hi) hi = late;
  }
  printf("RESULT %.6g\nINFO min=%.6g max=%.6g\n", sum / (double)count, lo, hi);
}

int main(int argc, char **argv) {
  const char *sc;
  int port, fd = -1;
  bench_watchdog();
  bench_raise_nofile();
  if (argc < 3) bench_die("usage: raw SCENARIO PORT [ARGS]");
  sc = argv[1];
  port = (int)bench_arg(argc, argv, 2, "PORT");
  if (strcmp(sc, "churn") && strcmp(sc, "select")) {
    fd = dial(port);
    set_nonblock(fd);
  }
  if (!strcmp(sc, "lines"))
    lines(fd, bench_arg(argc, argv, 3, "COUNT"), bench_arg(argc, argv, 4, "SIZE"));
  else if (!strcmp(sc, "all")) all(fd, bench_arg(argc, argv, 3, "BYTES"));
  else if (!strcmp(sc, "until"))
    until(fd, bench_arg(argc, argv, 3, "COUNT"), bench_arg(argc, argv, 4, "SIZE"),
          bench_arg(argc, argv, 5, "PATLEN"));
  else if (!strcmp(sc, "any"))
    any(fd, bench_arg(argc, argv, 3, "BYTES"), bench_arg(argc, argv, 4, "MAX"));
  else if (!strcmp(sc, "count"))
    count(fd, bench_arg(argc, argv, 3, "BYTES"), bench_arg(argc, argv, 4, "CHUNK"));
  else if (!strcmp(sc, "send"))
    sendn(fd, bench_arg(argc, argv, 3, "COUNT"), bench_arg(argc, argv, 4, "SIZE"));
  else if (!strcmp(sc, "pingpong"))
    pingpong(fd, bench_arg(argc, argv, 3, "COUNT"), bench_arg(argc, argv, 4, "SIZE"));
  else if (!strcmp(sc, "churn")) churn(port, bench_arg(argc, argv, 3, "COUNT"));
  else if (!strcmp(sc, "select"))
    selectn(port, bench_arg(argc, argv, 3, "N"), bench_arg(argc, argv, 4, "CALLS"));
  else if (!strcmp(sc, "timeout")) timeouts(fd, bench_arg(argc, argv, 3, "COUNT"));
  else bench_die("unknown scenario %s", sc);
  if (fd >= 0) close(fd);
  fflush(stdout);
  return 0;
}
