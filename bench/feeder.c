/* The server side of every bench scenario, in plain C, so each candidate client is fed (or
 * drained) by the same fast peer. Listens on 127.0.0.1 port 0 and prints "PORT <n>" first; the
 * runner passes that port to the client. Blocking sockets, 1 MiB writes from a prebuilt buffer.
 *
 *   feeder lines SIZE COUNT   COUNT lines of SIZE bytes each (SIZE-1 'x' then LF), then close
 *   feeder stream BYTES       BYTES bytes, then close
 *   feeder records SIZE COUNT PATLEN  COUNT records of SIZE bytes: SIZE-PATLEN 'x', then the
 *                             first PATLEN bytes of BENCH_BOUNDARY (receiveuntil), then close
 *   feeder sink               read to EOF, answer one byte "k", close (the client's send test)
 *   feeder echo               echo every byte back until EOF (ping-pong)
 *   feeder churn COUNT        accept and close COUNT connections
 *   feeder select N           accept N connections, write one byte to the last, wait for EOF
 *   feeder idle               accept one connection, send nothing, wait for EOF (timeouts)
 *   feeder eyeballs COUNT     as churn, with [::1] at the same port black-holed (a listener
 *                             whose accept queue is full), set up before PORT is printed
 *
 * Every wait is bounded (BENCH_IO_TIMEOUT_MS) and a watchdog alarm ends the process regardless. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include "bench.h"

#define CHUNK (1u << 20)

static void wait_in(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  int rc;
  do rc = poll(&p, 1, BENCH_IO_TIMEOUT_MS);
  while (rc < 0 && errno == EINTR);
  if (rc == 0) bench_die("feeder: no activity for %d ms", BENCH_IO_TIMEOUT_MS);
  if (rc < 0) bench_die("feeder: poll: %s", strerror(errno));
}

static int take(int lfd) {
  int fd, one = 1;
  for (;;) {
    wait_in(lfd);
    fd = accept(lfd, NULL, NULL);
    if (fd >= 0) break;
    if (errno != EINTR && errno != ECONNABORTED) bench_die("feeder: accept: %s", strerror(errno));
  }
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
    if (k < 0) {
      if (errno == EINTR) continue;
      bench_die("feeder: send: %s", strerror(errno));
    }
    p += k;
    n -= (size_t)k;
  }
}

/* Read until EOF (or reset); returns the byte count. */
static long long drain(int fd, char *buf, int echo) {
  long long total = 0;
  for (;;) {
    ssize_t k;
    wait_in(fd);
    k = recv(fd, buf, CHUNK, 0);
    if (k == 0) return total;
    if (k < 0) {
      if (errno == EINTR) continue;
      if (errno == ECONNRESET) return total;
      bench_die("feeder: recv: %s", strerror(errno));
    }
    total += k;
    if (echo) write_all(fd, buf, (size_t)k);
  }
}

static void feed_lines(int fd, long long size, long long count) {
  long long per = CHUNK / size, i;
  char *buf;
  if (size < 1 || size > CHUNK) bench_die("feeder: line size out of range");
  buf = malloc((size_t)(per * size));
  if (!buf) bench_die("feeder: out of memory");
  memset(buf, 'x', (size_t)(per * size));
  for (i = 0; i < per; i++) buf[i * size + size - 1] = '\n';
  for (i = 0; i + per <= count; i += per) write_all(fd, buf, (size_t)(per * size));
  if (i < count) write_all(fd, buf, (size_t)((count - i) * size));
  free(buf);
}

static void feed_records(int fd, long long size, long long count, long long patlen) {
  long long per, i;
  char *buf;
  if (patlen < 1 || patlen > (long long)strlen(BENCH_BOUNDARY) || size <= patlen || size > CHUNK)
    bench_die("feeder: record size or boundary length out of range");
  per = CHUNK / size;
  buf = malloc((size_t)(per * size));
  if (!buf) bench_die("feeder: out of memory");
  memset(buf, 'x', (size_t)(per * size));
  for (i = 0; i < per; i++) memcpy(buf + i * size + size - patlen, BENCH_BOUNDARY, (size_t)patlen);
  for (i = 0; i + per <= count; i += per) write_all(fd, buf, (size_t)(per * size));
  if (i < count) write_all(fd, buf, (size_t)((count - i) * size));
  free(buf);
}

static void feed_stream(int fd, long long bytes) {
  char *buf = malloc(CHUNK);
  if (!buf) bench_die("feeder: out of memory");
  memset(buf, 'y', CHUNK);
  while (bytes > 0) {
    size_t n = bytes < (long long)CHUNK ? (size_t)bytes : CHUNK;
    write_all(fd, buf, n);
    bytes -= (long long)n;
  }
  free(buf);
}

/* [::1]:port black-holed: a listener with backlog 0 whose accept queue a filler connection has
 * filled, so the kernel drops further SYNs. A client connecting to "localhost" (::1 first, then
 * 127.0.0.1) meets the silence first. The sockets stay open until the feeder exits. */
static void black_hole_v6(int port) {
  struct sockaddr_in6 a;
  int one = 1, i, h = socket(AF_INET6, SOCK_STREAM, 0);
  if (h < 0) bench_die("feeder: eyeballs needs IPv6: %s", strerror(errno));
  setsockopt(h, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  memset(&a, 0, sizeof a);
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  a.sin6_port = htons((unsigned short)port);
  if (bind(h, (struct sockaddr *)&a, sizeof a) < 0)
    bench_die("feeder: bind [::1]:%d: %s", port, strerror(errno));
  if (listen(h, 0) < 0) bench_die("feeder: listen [::1]: %s", strerror(errno));
  for (i = 0; i < 64; i++) {
    struct pollfd p;
    int rc, c = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c < 0) bench_die("feeder: socket: %s", strerror(errno));
    if (connect(c, (struct sockaddr *)&a, sizeof a) == 0) continue;
    if (errno != EINPROGRESS) bench_die("feeder: filler connect: %s", strerror(errno));
    p.fd = c;
    p.events = POLLOUT;
    p.revents = 0;
    do rc = poll(&p, 1, 200);
    while (rc < 0 && errno == EINTR);
    if (rc == 0) return; /* this SYN went unanswered: the queue is full */
  }
  bench_die("feeder: could not fill the accept queue of [::1]:%d", port);
}

int main(int argc, char **argv) {
  struct sockaddr_in sa;
  socklen_t len = sizeof sa;
  const char *mode;
  int lfd, one = 1;
  char *buf;

  bench_watchdog();
  bench_raise_nofile();
  if (argc < 2) bench_die("usage: feeder MODE [ARGS]");
  mode = argv[1];

  lfd = socket(AF_INET, SOCK_STREAM, 0);
  if (lfd < 0) bench_die("feeder: socket: %s", strerror(errno));
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = 0;
  if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0)
    bench_die("feeder: bind: %s", strerror(errno));
  if (listen(lfd, 4096) < 0) bench_die("feeder: listen: %s", strerror(errno));
  if (getsockname(lfd, (struct sockaddr *)&sa, &len) < 0) bench_die("feeder: getsockname");
  if (!strcmp(mode, "eyeballs")) black_hole_v6(ntohs(sa.sin_port));
  printf("PORT %d\n", ntohs(sa.sin_port));
  fflush(stdout);

  buf = malloc(CHUNK);
  if (!buf) bench_die("feeder: out of memory");

  if (!strcmp(mode, "lines")) {
    int fd = take(lfd);
    feed_lines(fd, bench_arg(argc, argv, 2, "SIZE"), bench_arg(argc, argv, 3, "COUNT"));
    close(fd);
  } else if (!strcmp(mode, "stream")) {
    int fd = take(lfd);
    feed_stream(fd, bench_arg(argc, argv, 2, "BYTES"));
    close(fd);
  } else if (!strcmp(mode, "records")) {
    int fd = take(lfd);
    feed_records(fd, bench_arg(argc, argv, 2, "SIZE"), bench_arg(argc, argv, 3, "COUNT"),
                 bench_arg(argc, argv, 4, "PATLEN"));
    close(fd);
  } else if (!strcmp(mode, "sink")) {
    int fd = take(lfd);
    long long got = drain(fd, buf, 0);
    write_all(fd, "k", 1);
    close(fd);
    printf("DONE %lld\n", got);
  } else if (!strcmp(mode, "echo")) {
    int fd = take(lfd);
    printf("DONE %lld\n", drain(fd, buf, 1));
    close(fd);
  } else if (!strcmp(mode, "churn")) {
    long long n = bench_arg(argc, argv, 2, "COUNT"), i;
    for (i = 0; i < n; i++) close(take(lfd));
  } else if (!strcmp(mode, "eyeballs")) {
    long long n = bench_arg(argc, argv, 2, "COUNT"), i;
    for (i = 0; i < n; i++) close(take(lfd));
  } else if (!strcmp(mode, "select")) {
    long long n = bench_arg(argc, argv, 2, "N"), i;
    int *fds = malloc((size_t)n * sizeof *fds);
    if (!fds || n < 1) bench_die("feeder: bad N");
    for (i = 0; i < n; i++) fds[i] = take(lfd);
    write_all(fds[n - 1], "r", 1);
    drain(fds[n - 1], buf, 0);
    for (i = 0; i < n; i++) close(fds[i]);
    free(fds);
  } else if (!strcmp(mode, "idle")) {
    int fd = take(lfd);
    drain(fd, buf, 0);
    close(fd);
  } else {
    bench_die("feeder: unknown mode %s", mode);
  }
  free(buf);
  close(lfd);
  fflush(stdout);
  return 0;
}
