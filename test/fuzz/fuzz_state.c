/* libFuzzer target: random sequences of public calls on a few objects, through every state
 * (master with and without a socket, bound, server, client over an in-memory transport, closed),
 * with arguments good and bad. No traffic: servers listen on loopback port 0 and accept with a
 * zero timeout (nobody connects); clients run over a fake transport; connect is only called
 * where it must fail before sending anything.
 * Checked after every call: the status is 0 or a public code, the state is one of the four, a
 * closed object has no descriptor, and the documented codes for closed objects and wrong
 * states. Checked after every input: once every object is closed, the process holds exactly the
 * descriptors it held before (no call leaks one, whatever failed).
 * The contract's own rules are kept: ltcp_open, ltcp_accept's client, ltcp_connect_to and
 * ltcp_bind_to only ever get objects that are closed (they take uninitialised memory), and
 * ltcp_setfd is only given LTCP_INVALID_SOCKET (a borrowed descriptor would be closed twice). */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"

#define NOBJ 3

static int rdint(reader_t *r) {
  static const int vals[] = {0,   1,  -1, 2, 5, 65535, 65536, -65536, 2147483647, -2147483647 - 1,
                             100, 128};
  unsigned k = rd8(r);
  return k < 200 ? vals[k % 12] : (int)(k - 200);
}
static double rddouble(reader_t *r) {
  static const double vals[] = {0.0, -1.0, 0.001, 1e300, -1e300, 5e-324};
  unsigned k = rd8(r);
  if (k == 250) return NAN;
  if (k == 251) return INFINITY;
  if (k == 252) return -INFINITY;
  return vals[k % 6];
}

static int count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  int n = 0;
  if (!d) return -1;
  while ((e = readdir(d)) != NULL) n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

/* ---- a fake transport for clients: a few bytes with LFs and CRs, then would-block ---- */
typedef struct fake {
  char data[64];
  size_t len, off;
  int closed_end;
} fake_t;

static int fk_recv(void *ctx, char *data, size_t len, size_t *got) {
  fake_t *f = ctx;
  size_t n = f->len - f->off;
  *got = 0;
  if (!n) return f->closed_end ? LTCP_ECLOSED : LTCP__WOULDBLOCK;
  if (n > len) n = len;
  if (n > 7) n = 7;
  memcpy(data, f->data + f->off, n);
  f->off += n;
  *got = n;
  return 0;
}
static int fk_send(void *ctx, const char *data, size_t len, size_t *sent) {
  (void)ctx, (void)data;
  *sent = len > 5 ? 5 : len;
  return 0;
}
static int fk_wait(void *ctx, int events, double seconds) {
  (void)ctx, (void)events, (void)seconds;
  return LTCP_ETIMEOUT; /* never ready: only a zero or finite timeout gets here */
}

static const char *const hosts[] = {"127.0.0.1", "::1",     "*",  "",
                                    "::",        "0.0.0.0", NULL, "::ffff:127.0.0.1"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static ltcp_t *obj[NOBJ];
  static fake_t fakes[NOBJ];
  int baseline;
  reader_t r = {data, size};
  ltcp_bytes_t b;
  ltcp_sink_t sink;
  int i, ops = 0;
  if (!obj[0]) {
    for (i = 0; i < NOBJ; i++) {
      obj[i] = calloc(1, ltcp_sizeof());
      if (!obj[i]) abort();
    }
  }
  for (i = 0; i < NOBJ; i++) ltcp__init_object(obj[i], LTCP_STATE_CLOSED, 0, LTCP_INVALID_SOCKET);
  baseline = count_fds();     /* per input: libFuzzer's own descriptors come and go */
  if (baseline <= 0) abort(); /* /proc/self/fd must be readable for the leak check */
  ltcp_bytes_init(&b);
  sink = ltcp_bytes_sink(&b);

  while (r.n && ops++ < 40) {
    unsigned k = rd8(&r);
    ltcp_t *t = obj[k % NOBJ], *u = obj[(k / NOBJ) % NOBJ];
    int st = ltcp_state(t), rc = 0;
    long long last;
    ltcp_addr_t addr;
    int v, l;
    fuzz_op = rd8(&r) % 20;
    switch (fuzz_op) {
    case 0: /* open: only a closed object (the contract takes uninitialised memory) */
      if (st != LTCP_STATE_CLOSED) break;
      rc = ltcp_open(t, (int)(rd8(&r) % 8));
      break;
    case 1:
      rc = ltcp_close(t);
      CHECK(rc == 0);
      break;
    case 2: {
      const char *h = hosts[rd8(&r) % 8];
      int port = rdint(&r);
      if (port != 0 && port >= 0 && port <= 65535) port = 0; /* never a fixed port */
      rc = ltcp_bind(t, h, port);
      if (st == LTCP_STATE_CLOSED) CHECK(rc == LTCP_ECLOSED);
      else if (st != LTCP_STATE_MASTER) CHECK(rc == LTCP_ESTATE);
      else if (!h || port != 0) CHECK(rc == LTCP_EINVAL);
      break;
    }
    case 3:
      rc = ltcp_listen(t, rdint(&r));
      if (st == LTCP_STATE_CLOSED) CHECK(rc == LTCP_ECLOSED);
      else if (st != LTCP_STATE_MASTER) CHECK(rc == LTCP_ESTATE);
      break;
    case 4: /* accept into a closed object, never itself; nobody connects: timeout */
      if (u == t || ltcp_state(u) != LTCP_STATE_CLOSED) break;
      ltcp_settimeout(t, 0.0, 'b');
      rc = ltcp_accept(t, u);
      CHECK(rc != 0);
      CHECK(ltcp_state(u) == LTCP_STATE_CLOSED);
      if (st == LTCP_STATE_SERVER && ltcp_getfd(t) != LTCP_INVALID_SOCKET)
        CHECK(rc == LTCP_ETIMEOUT);
      else if (st == LTCP_STATE_SERVER) /* its socket was taken away with setfd */ CHECK(rc < 0);
      else if (st == LTCP_STATE_CLOSED) CHECK(rc == LTCP_ECLOSED);
      else CHECK(rc == LTCP_ESTATE);
      break;
    case 5: { /* a client over the fake transport (a master without a socket only) */
      fake_t *f = &fakes[k % NOBJ];
      ltcp__transport_t tr = {0, fk_send, fk_recv, fk_wait};
      size_t n = rd8(&r) % sizeof f->data, j;
      if (st != LTCP_STATE_MASTER || ltcp_getfd(t) != LTCP_INVALID_SOCKET) break;
      for (j = 0; j < n; j++) {
        unsigned c = rd8(&r);
        f->data[j] = c < 40 ? '\n' : c < 60 ? '\r' : (char)c;
      }
      f->len = n;
      f->off = 0;
      f->closed_end = (int)(rd8(&r) & 1);
      tr.ctx = f;
      ltcp__set_transport(t, &tr);
      break;
    }
    case 6: {
      unsigned p = rd8(&r);
      size_t count = (size_t)rdint(&r);
      const char *prefix = (p & 8) ? "pre" : NULL;
      b.len = 0;
      ltcp_settimeout(t, (p & 16) ? 0.0 : 0.001, 'b');
      rc =
        ltcp_receive(t, (ltcp_pattern_t)(p % 5), count, prefix, prefix ? (p >> 5) % 4 : 0, &sink);
      if (st == LTCP_STATE_CLOSED) CHECK(rc == LTCP_ECLOSED);
      else if (st != LTCP_STATE_CLIENT) CHECK(rc == LTCP_ESTATE);
      else if (p % 5 > 2) CHECK(rc == LTCP_EINVAL);
      break;
    }
    case 7:
      last = -5;
      rc =
        ltcp_send(t, "0123456789", rd8(&r) % 11, (long long)rdint(&r), (long long)rdint(&r), &last);
      if (st == LTCP_STATE_CLOSED) CHECK(rc == LTCP_ECLOSED);
      else if (st != LTCP_STATE_CLIENT) CHECK(rc == LTCP_ESTATE);
      CHECK(last != -5);
      break;
    case 8:
      rc = ltcp_shutdown(t, (ltcp_shutdown_t)rdint(&r));
      if (st == LTCP_STATE_CLOSED) CHECK(rc == LTCP_ECLOSED);
      else if (st != LTCP_STATE_CLIENT) CHECK(rc == LTCP_ESTATE);
      break;
    case 9:
      rc = ltcp_setoption(t, (ltcp_option_t)rdint(&r), rdint(&r), rdint(&r));
      if (st == LTCP_STATE_CLOSED) CHECK(rc == LTCP_ECLOSED || rc == LTCP_EINVAL);
      break;
    case 10:
      v = l = 0;
      rc = ltcp_getoption(t, (ltcp_option_t)rdint(&r), &v, (rd8(&r) & 1) ? &l : NULL);
      break;
    case 11: rc = ltcp_settimeout(t, rddouble(&r), (int)"btrx"[rd8(&r) % 4]); break;
    case 12:
      rc = ltcp_setlimit(t, (size_t)rdint(&r));
      CHECK(rc == 0);
      break;
    case 13: rc = ltcp_getsockname(t, &addr); break;
    case 14: rc = ltcp_getpeername(t, &addr); break;
    case 15: { /* detach the socket: it is the caller's now, and the caller closes it */
      ltcp_os_sock_t old = ltcp_getfd(t);
      rc = ltcp_setfd(t, LTCP_INVALID_SOCKET);
      CHECK(rc == 0 && ltcp_getfd(t) == LTCP_INVALID_SOCKET);
      if (old != LTCP_INVALID_SOCKET) close(old);
      break;
    }
    case 16: /* connect: only calls that must fail before any traffic */
      rc = ltcp_connect(t, (rd8(&r) & 1) ? NULL : "127.0.0.1", (rd8(&r) & 1) ? 0 : 65536);
      if (st == LTCP_STATE_CLOSED) CHECK(rc == LTCP_ECLOSED);
      else if (st == LTCP_STATE_SERVER) CHECK(rc == LTCP_ESTATE);
      else CHECK(rc == LTCP_EINVAL);
      break;
    case 17: /* bind_to on a closed object, port 0 or bad */
      if (st != LTCP_STATE_CLOSED) break;
      rc = ltcp_bind_to(t, hosts[rd8(&r) % 8], (rd8(&r) & 1) ? 0 : -1, rdint(&r));
      break;
    case 18: /* connect_to on a closed object: bad arguments only */
      if (st != LTCP_STATE_CLOSED) break;
      rc = ltcp_connect_to(t, (rd8(&r) & 1) ? NULL : "127.0.0.1", (rd8(&r) & 1) ? 0 : 70000,
                           (rd8(&r) & 1) ? "127.0.0.1" : NULL, (rd8(&r) & 1) ? 0 : -1,
                           (int)(rd8(&r) % 8));
      CHECK(rc != 0);
      CHECK(ltcp_state(t) == LTCP_STATE_CLOSED && ltcp_getfd(t) == LTCP_INVALID_SOCKET);
      break;
    default: {
      double a, s2, g;
      rc = ltcp_getstats(t, &a, &s2, &g);
      CHECK(rc == 0 && a >= 0.0 && s2 >= 0.0 && g >= 0.0);
      rc = ltcp_dirty(t);
      CHECK(rc == 0 || rc == 1);
      rc = 0;
      break;
    }
    }
    CHECK(public_code(rc));
    st = ltcp_state(t);
    CHECK(st >= LTCP_STATE_CLOSED && st <= LTCP_STATE_SERVER);
    if (fuzz_op == 1) CHECK(st == LTCP_STATE_CLOSED && ltcp_getfd(t) == LTCP_INVALID_SOCKET);
  }
  /* close everything and count the descriptors */
  for (i = 0; i < NOBJ; i++) ltcp_close(obj[i]);
  ltcp_bytes_free(&b);
  {
    int now = count_fds();
    if (now != baseline) {
      fprintf(stderr, "descriptor leak: %d open, %d before the input\n", now, baseline);
      abort();
    }
  }
  return 0;
}
