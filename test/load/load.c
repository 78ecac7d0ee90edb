/* Load test (POSIX): many concurrent loopback connections through ltcp_select + ltcp_receive /
 * ltcp_send, with every message checked; then many connect/close cycles with the process's
 * descriptor count back where it started.
 *
 *   load [full|small] [--conns N] [--messages N] [--cycles N] [--window N]
 *   (or LTCP_LOAD_MODE=full|small; default small)
 *   full:  10,000 connections, 1,000,000 messages, 100,000 connect/close cycles
 *   small:  2,000 connections,   200,000 messages,  20,000 connect/close cycles (past FD_SETSIZE)
 *
 * Echo phase: this process (the server) listens on 127.0.0.1:0 and holds every accepted
 * connection at once; a forked child holds the client ends (both ends in one process would need
 * twice the descriptors; RLIMIT_NOFILE is raised from soft to hard in both, and when the hard
 * limit is too low the connection count is lowered to fit, and the output says so).
 * Each message is a line "id:seq:payload:checksum" (FNV-1a of "id:seq:payload"). The server
 * checks every checksum and echoes the line; the client checks that each connection's echoes
 * come back complete and in order (seq = the next expected one: nothing lost, nothing
 * duplicated) with the payload it sent. At the end both sides' counts and checksum sums must
 * agree. Both sides are non-blocking (timeout 0): partial lines are carried as receive prefixes,
 * and ltcp_dirty drives the extra lines a select cannot see.
 * Cycle phase: connect, accept, close both; /proc/self/fd is counted before and after.
 * Every wait is bounded (select 10 s = a stall is an error) and alarm() is a hard watchdog. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltcp.h"

typedef struct conn {
  ltcp_t *t;
  char *partial; /* an incomplete line carried to the next receive */
  size_t plen, pcap;
  uint32_t id, next_send, next_recv, quota;
} conn_t;

typedef struct report {
  uint64_t count, sum;
  int failed;
} report_t;

static const char *me = "load";

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define DIE(...)                                                                                   \
  do {                                                                                             \
    fprintf(stderr, "%s: ", me);                                                                   \
    fprintf(stderr, __VA_ARGS__);                                                                  \
    fprintf(stderr, "\n");                                                                         \
    exit(1);                                                                                       \
  } while (0)

static int count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  int n = 0;
  if (!d) return -1;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.') n++;
  closedir(d);
  return n - 1; /* the directory's own descriptor */
}

static uint32_t fnv1a(const char *p, size_t n) {
  uint32_t h = 2166136261u;
  while (n--) {
    h ^= (unsigned char)*p++;
    h *= 16777619u;
  }
  return h;
}

/* The message for (id, seq), with its newline; returns its length. */
static size_t make_msg(char *buf, uint32_t id, uint32_t seq) {
  int n = sprintf(buf, "%u:%u:", id, seq);
  uint32_t k, plen = (id * 7u + seq * 13u) % 48u;
  for (k = 0; k < plen; k++) buf[n++] = (char)('a' + (id + seq + k) % 26u);
  n += sprintf(buf + n, ":%08x\n", fnv1a(buf, (size_t)n));
  return (size_t)n;
}

/* Checks the checksum field of a line (without its LF); returns the checksum or sets *bad. */
static uint32_t check_line(const char *line, size_t len, int *bad) {
  uint32_t ck;
  const char *colon;
  *bad = 1;
  if (len < 10) return 0;
  colon = line + len - 9;
  if (*colon != ':' || sscanf(colon + 1, "%8x", &ck) != 1) return 0;
  if (fnv1a(line, (size_t)(colon - line)) != ck) return 0;
  *bad = 0;
  return ck;
}

static void keep_partial(conn_t *c, const char *data, size_t n) {
  if (n > c->pcap) {
    c->pcap = n < 128 ? 128 : n;
    c->partial = realloc(c->partial, c->pcap);
    if (!c->partial) DIE("out of memory");
  }
  memcpy(c->partial, data, n);
  c->plen = n;
}

/* Send all of a (small) message; a full socket buffer falls back to a bounded blocking send. */
static int send_msg(ltcp_t *t, const char *m, size_t n) {
  long long last = 0;
  int rc = ltcp_send(t, m, n, 1, -1, &last);
  if (rc == LTCP_ETIMEOUT) {
    ltcp_settimeout(t, 10.0, 'b');
    rc = ltcp_send(t, m, n, last + 1, -1, &last);
    ltcp_settimeout(t, 0.0, 'b');
  }
  return rc;
}

/* One receive of a line on a non-blocking object: 1 = a full line in b (prefix included),
 * 0 = nothing complete yet (the partial is kept), <0 = an error code. */
static int get_line(conn_t *c, ltcp_bytes_t *b, const ltcp_sink_t *sink) {
  int rc;
  b->len = 0;
  rc = ltcp_receive(c->t, LTCP_RECV_LINE, 0, c->partial, c->plen, sink);
  if (rc == 0) {
    c->plen = 0;
    return 1;
  }
  if (rc == LTCP_ETIMEOUT) {
    keep_partial(c, b->data ? b->data : "", b->len);
    return 0;
  }
  return rc;
}

static void raise_nofile(int need, int *conns) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) DIE("getrlimit: %s", strerror(errno));
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) DIE("setrlimit: %s", strerror(errno));
  }
  printf("RLIMIT_NOFILE: soft raised to the hard limit, %llu\n", (unsigned long long)rl.rlim_cur);
  if ((unsigned long long)rl.rlim_cur < (unsigned long long)need + 64) {
    int fit = (int)rl.rlim_cur - 64;
    printf("NOTE: the hard limit %llu is below the %d descriptors needed per process; using "
           "%d connections instead of %d\n",
           (unsigned long long)rl.rlim_cur, need + 64, fit, *conns);
    *conns = fit;
  }
}

/* ---- client side (the forked child) ---- */
static report_t run_client(int port, int nconns, uint64_t messages, int window) {
  conn_t *cs = calloc((size_t)nconns, sizeof *cs);
  ltcp_pollfd_t *fds = calloc((size_t)nconns, sizeof *fds);
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  report_t r = {0, 0, 0};
  char msg[128];
  int i, w;
  me = "load(client)";
  if (!cs || !fds) DIE("out of memory");
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);
  for (i = 0; i < nconns; i++) {
    conn_t *c = &cs[i];
    int rc;
    c->id = (uint32_t)i;
    c->quota =
      (uint32_t)(messages / (uint64_t)nconns + ((uint64_t)i < messages % (uint64_t)nconns));
    if ((rc = ltcp_new(&c->t, LTCP_FAMILY_INET)) != 0) DIE("new #%d: %s", i, ltcp_strerror(rc));
    ltcp_settimeout(c->t, 10.0, 't');
    if ((rc = ltcp_connect(c->t, "127.0.0.1", port)) != 0)
      DIE("connect #%d: %s", i, ltcp_strerror(rc));
    ltcp_settimeout(c->t, -1.0, 't');
    ltcp_settimeout(c->t, 0.0, 'b');
    fds[i].sock = ltcp_getfd(c->t);
    fds[i].events = LTCP_POLLIN;
  }
  for (i = 0; i < nconns; i++) /* the first window of every connection */
    for (w = 0; w < window && cs[i].next_send < cs[i].quota; w++) {
      size_t n = make_msg(msg, cs[i].id, cs[i].next_send++);
      if (send_msg(cs[i].t, msg, n) != 0) DIE("send #%d failed", i);
    }
  while (r.count < messages) {
    size_t nready = 0;
    int rc = ltcp_select(fds, (size_t)nconns, 10.0, &nready);
    if (rc) DIE("select: %s after %llu messages", ltcp_strerror(rc), (unsigned long long)r.count);
    for (i = 0; i < nconns; i++) {
      conn_t *c = &cs[i];
      if (!fds[i].revents) continue;
      do {
        int bad;
        char want[128];
        size_t wn;
        uint32_t ck;
        rc = get_line(c, &b, &sink);
        if (rc < 0) DIE("receive on #%d: %s", i, ltcp_strerror(rc));
        if (rc == 0) break;
        ck = check_line(b.data, b.len, &bad);
        if (bad) DIE("#%d: bad checksum in echo '%.*s'", i, (int)b.len, b.data);
        if (c->next_recv >= c->quota) DIE("#%d: an echo more than was sent (duplicate)", i);
        wn = make_msg(want, c->id, c->next_recv);
        if (wn - 1 != b.len || memcmp(want, b.data, b.len) != 0)
          DIE("#%d: echo '%.*s', expected '%.*s' (lost, reordered or changed)", i, (int)b.len,
              b.data, (int)wn - 1, want);
        c->next_recv++;
        r.count++;
        r.sum += ck;
        if (c->next_send < c->quota) {
          size_t n = make_msg(msg, c->id, c->next_send++);
          if (send_msg(c->t, msg, n) != 0) DIE("send #%d failed", i);
        }
      } while (ltcp_dirty(c->t));
      if (c->next_recv == c->quota) fds[i].sock = LTCP_INVALID_SOCKET; /* done */
    }
  }
  for (i = 0; i < nconns; i++) {
    ltcp_free(cs[i].t);
    free(cs[i].partial);
  }
  ltcp_bytes_free(&b);
  free(cs);
  free(fds);
  return r;
}

/* ---- server side: echo every line, until every connection came and went ---- */
static report_t run_server(ltcp_t *srv, int nconns, int *peak_held) {
  conn_t *cs = calloc((size_t)nconns, sizeof *cs);
  ltcp_pollfd_t *fds = calloc((size_t)nconns + 1, sizeof *fds);
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  report_t r = {0, 0, 0};
  int accepted = 0, closed = 0, held = 0, i;
  if (!cs || !fds) DIE("out of memory");
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);
  ltcp_settimeout(srv, 0.0, 'b');
  fds[0].sock = ltcp_getfd(srv);
  fds[0].events = LTCP_POLLIN;
  for (i = 0; i < nconns; i++) fds[i + 1].sock = LTCP_INVALID_SOCKET;
  *peak_held = 0;
  while (closed < nconns) {
    size_t nready = 0;
    int rc = ltcp_select(fds, (size_t)nconns + 1, 10.0, &nready);
    if (rc)
      DIE("select: %s (accepted %d, closed %d, echoed %llu)", ltcp_strerror(rc), accepted, closed,
          (unsigned long long)r.count);
    if (fds[0].revents) {
      while (accepted < nconns) {
        conn_t *c = &cs[accepted];
        if (ltcp_new(&c->t, LTCP_FAMILY_UNSPEC) != 0) DIE("out of memory");
        rc = ltcp_accept(srv, c->t);
        if (rc == LTCP_ETIMEOUT) {
          ltcp_free(c->t);
          c->t = NULL;
          break;
        }
        if (rc) DIE("accept #%d: %s", accepted, ltcp_strerror(rc));
        ltcp_settimeout(c->t, 0.0, 'b');
        fds[accepted + 1].sock = ltcp_getfd(c->t);
        fds[accepted + 1].events = LTCP_POLLIN;
        accepted++;
        if (++held > *peak_held) *peak_held = held;
      }
      if (accepted == nconns) fds[0].sock = LTCP_INVALID_SOCKET;
    }
    for (i = 0; i < accepted; i++) {
      conn_t *c = &cs[i];
      if (!fds[i + 1].revents) continue;
      do {
        int bad;
        uint32_t ck;
        rc = get_line(c, &b, &sink);
        if (rc == LTCP_ECLOSED && c->plen == 0 && b.len == 0) {
          ltcp_free(c->t);
          c->t = NULL;
          fds[i + 1].sock = LTCP_INVALID_SOCKET;
          closed++;
          held--;
          break;
        }
        if (rc < 0) DIE("receive on #%d: %s", i, ltcp_strerror(rc));
        if (rc == 0) break;
        ck = check_line(b.data, b.len, &bad);
        if (bad) DIE("#%d: bad checksum in '%.*s'", i, (int)b.len, b.data);
        r.count++;
        r.sum += ck;
        {
          char *lf = sink.prepare(sink.ctx, 1); /* echo the line with its LF */
          if (!lf) DIE("out of memory");
          *lf = '\n';
          sink.commit(sink.ctx, 1);
        }
        if (send_msg(c->t, b.data, b.len) != 0) DIE("echo on #%d failed", i);
      } while (c->t && ltcp_dirty(c->t));
    }
  }
  for (i = 0; i < nconns; i++) free(cs[i].partial);
  ltcp_bytes_free(&b);
  free(cs);
  free(fds);
  return r;
}

static int cycles_phase(long cycles) {
  ltcp_t *srv, *c, *a;
  ltcp_addr_t addr;
  int fds0, fds1, rc;
  long k;
  double t0 = now();
  fds0 = count_fds();
  if (ltcp_new(&srv, LTCP_FAMILY_INET) || ltcp_new(&c, LTCP_FAMILY_UNSPEC) ||
      ltcp_new(&a, LTCP_FAMILY_UNSPEC))
    DIE("new failed");
  if (ltcp_bind(srv, "127.0.0.1", 0) || ltcp_listen(srv, 64) || ltcp_getsockname(srv, &addr))
    DIE("listener failed");
  ltcp_settimeout(srv, 10.0, 't');
  for (k = 0; k < cycles; k++) {
    ltcp_close(c);
    if ((rc = ltcp_open(c, LTCP_FAMILY_INET)) != 0)
      DIE("cycle %ld: open: %s", k, ltcp_strerror(rc));
    ltcp_settimeout(c, 10.0, 't');
    if ((rc = ltcp_connect(c, "127.0.0.1", addr.port)) != 0)
      DIE("cycle %ld: connect: %s", k, ltcp_strerror(rc));
    if ((rc = ltcp_accept(srv, a)) != 0) DIE("cycle %ld: accept: %s", k, ltcp_strerror(rc));
    /* the server side closes first: its TIME_WAIT does not hold the client's port */
    ltcp_close(a);
    ltcp_close(c);
    if (ltcp_close(c) != 0) DIE("cycle %ld: second close failed", k);
  }
  ltcp_free(a);
  ltcp_free(c);
  ltcp_free(srv);
  fds1 = count_fds();
  printf("connect/close: %ld cycles in %.2f s (%.0f/s); descriptors before %d, after %d\n", cycles,
         now() - t0, (double)cycles / (now() - t0), fds0, fds1);
  if (fds0 != fds1) {
    printf("FAIL: descriptor count changed (%d -> %d): a leak\n", fds0, fds1);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = getenv("LTCP_LOAD_MODE");
  int conns, window = 2, i, port, status = 0, pipefd[2], peak = 0, fds0, fds1;
  long cycles;
  uint64_t messages;
  double t0, t1;
  ltcp_t *srv;
  ltcp_addr_t addr;
  report_t sr, cr;
  pid_t pid;
  if (argc > 1 && argv[1][0] != '-') mode = argv[1];
  if (!mode) mode = "small";
  if (strcmp(mode, "full") == 0) {
    conns = 10000, messages = 1000000, cycles = 100000;
  } else if (strcmp(mode, "small") == 0) {
    conns = 2000, messages = 200000, cycles = 20000;
  } else {
    fprintf(stderr, "usage: %s [full|small] [--conns N] [--messages N] [--cycles N] [--window N]\n",
            argv[0]);
    return 2;
  }
  for (i = 1; i < argc; i++) {
    if (i + 1 < argc && strcmp(argv[i], "--conns") == 0) conns = atoi(argv[++i]);
    else if (i + 1 < argc && strcmp(argv[i], "--messages") == 0)
      messages = strtoull(argv[++i], NULL, 10);
    else if (i + 1 < argc && strcmp(argv[i], "--cycles") == 0) cycles = atol(argv[++i]);
    else if (i + 1 < argc && strcmp(argv[i], "--window") == 0) window = atoi(argv[++i]);
  }
  if (conns < 1 || window < 1 || messages < (uint64_t)conns) {
    fprintf(stderr, "need conns >= 1, window >= 1, messages >= conns\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  alarm(strcmp(mode, "full") == 0 ? 900 : 150); /* hard watchdog: SIGALRM ends the process */
  if (ltcp_init() != 0) DIE("ltcp_init failed");
  printf("mode %s: %d connections, %llu messages (window %d), %ld connect/close cycles\n", mode,
         conns, (unsigned long long)messages, window, cycles);
  raise_nofile(conns, &conns);
  if (messages < (uint64_t)conns) messages = (uint64_t)conns;

  fds0 = count_fds();
  if (ltcp_new(&srv, LTCP_FAMILY_INET) || ltcp_bind(srv, "127.0.0.1", 0) ||
      ltcp_listen(srv, 4096) || ltcp_getsockname(srv, &addr))
    DIE("listener failed");
  port = addr.port;
  if (pipe(pipefd) != 0) DIE("pipe: %s", strerror(errno));
  t0 = now();
  pid = fork();
  if (pid < 0) DIE("fork: %s", strerror(errno));
  if (pid == 0) {
    close(pipefd[0]);
    ltcp_close(srv); /* the child's copy of the listener */
    cr = run_client(port, conns, messages, window);
    if (write(pipefd[1], &cr, sizeof cr) != (ssize_t)sizeof cr) _exit(3);
    _exit(0);
  }
  close(pipefd[1]);
  sr = run_server(srv, conns, &peak);
  t1 = now();
  if (read(pipefd[0], &cr, sizeof cr) != (ssize_t)sizeof cr) DIE("no report from the client");
  close(pipefd[0]);
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    DIE("client failed (status %d)", status);
  ltcp_free(srv);
  fds1 = count_fds();
  printf("echo: %d connections held at once by the server process; %llu messages echoed in "
         "%.2f s (%.0f msg/s)\n",
         peak, (unsigned long long)sr.count, t1 - t0, (double)sr.count / (t1 - t0));
  printf("checksums: server count %llu sum %llu, client count %llu sum %llu; descriptors "
         "%d -> %d\n",
         (unsigned long long)sr.count, (unsigned long long)sr.sum, (unsigned long long)cr.count,
         (unsigned long long)cr.sum, fds0, fds1);
  if (sr.count != messages || cr.count != messages || sr.sum != cr.sum || peak != conns ||
      fds0 != fds1) {
    printf("FAIL: echo phase mismatch\n");
    return 1;
  }
  if (cycles_phase(cycles) != 0) return 1;
  ltcp_cleanup();
  printf("load (%s): OK\n", mode);
  return 0;
}
