/* libFuzzer target: the argument-parsing paths that need no network traffic.
 *   - numeric addresses through ltcp__sys_resolve and back through ltcp__sys_addr_to_text
 *     (the host is first checked with getaddrinfo(AI_NUMERICHOST), so no name is ever looked up);
 *   - ltcp_bind with port 0 or out-of-range ports, NULL hosts, any family (bind sends nothing);
 *   - ltcp_connect argument checks (only calls that must fail before any traffic);
 *   - ltcp_option_byname / ltcp_option_name against our own copy of LuaSocket's names;
 *   - ltcp_settimeout / ltcp_gettimeout with any double (NaN, inf, denormals) and any mode;
 *   - ltcp_send's string.sub index rules with any 64-bit i and j, over a fake transport;
 *   - ltcp_strerror for any int.
 * Every public result must be 0 or a code of the public table (never an internal -100x code). */
#include <math.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz_common.h"

static const char *const names[LTCP_OPT_COUNT] = {"keepalive",
                                                  "linger",
                                                  "reuseaddr",
                                                  "reuseport",
                                                  "tcp-nodelay",
                                                  "tcp-keepidle",
                                                  "tcp-keepcnt",
                                                  "tcp-keepintvl",
                                                  "ipv6-v6only",
                                                  "recv-buffer-size",
                                                  "send-buffer-size",
                                                  "tcp-defer-accept",
                                                  "tcp-fastopen",
                                                  "tcp-fastopen-connect",
                                                  "error"};

/* A host text that getaddrinfo takes as a numeric address (so resolve does no lookup). */
static int numeric_host(const char *h) {
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  if (getaddrinfo(h, "1", &hints, &res) != 0) return 0;
  freeaddrinfo(res);
  return 1;
}

static void do_resolve(reader_t *r) {
  char host[80];
  ltcp__sockaddr_t out[LTCP__MAXADDRS];
  size_t n = 99, i;
  int port = (int)(rd64(r) % 70000) - 2000, fam = (int)rd8(r) % 8, passive = rd8(r) & 1, rc;
  int native = 0;
  rdstr(r, host, 64);
  if (!numeric_host(host)) return;
  if (fam == 1 || fam == 2 || fam == 3) fam = LTCP_FAMILY_INET + (fam & 2); /* 4 or 6 */
  rc = ltcp__sys_resolve(host, port, fam, passive, out, LTCP__MAXADDRS, &n, &native);
  CHECK(public_code(rc));
  if (rc) return;
  CHECK(n >= 1 && n <= LTCP__MAXADDRS);
  for (i = 0; i < n; i++) {
    ltcp_addr_t a;
    CHECK(out[i].family == LTCP_FAMILY_INET || out[i].family == LTCP_FAMILY_INET6);
    CHECK(out[i].len > 0 && out[i].len <= sizeof out[i].u.raw);
    rc = ltcp__sys_addr_to_text(&out[i], &a);
    CHECK(public_code(rc));
    if (rc) continue;
    CHECK(memchr(a.host, '\0', sizeof a.host) != NULL);
    CHECK((int)a.family == out[i].family);
    if (port >= 0 && port <= 65535) CHECK(a.port == port);
    CHECK(numeric_host(a.host)); /* the text we give back parses again */
  }
}

static void do_bind(reader_t *r) {
  char host[80];
  ltcp_t *t;
  unsigned k = rd8(r);
  int fam = (int)(k % 4), port, rc;
  static const int ports[] = {0, -1, 65536, -2147483647 - 1, 2147483647, 100000};
  fam = fam == 3 ? 5 : fam == 1 ? LTCP_FAMILY_INET : fam == 2 ? LTCP_FAMILY_INET6 : 0;
  port = ports[(k >> 2) % 6];
  rdstr(r, host, 64);
  if (host[0] && strcmp(host, "*") != 0 && !numeric_host(host)) return;
  rc = ltcp_new(&t, fam);
  if (fam == 5) {
    CHECK(rc == LTCP_EINVAL && t == NULL);
    return;
  }
  if (rc) return; /* e.g. no IPv6 here */
  rc = ltcp_bind(t, (k & 0x80) ? NULL : host, port);
  CHECK(public_code(rc));
  if (port != 0 || (k & 0x80)) CHECK(rc == LTCP_EINVAL);
  CHECK(ltcp_state(t) == LTCP_STATE_MASTER);
  /* connect's own checks: all of these fail before anything is sent */
  CHECK(ltcp_connect(t, host, (k & 1) ? 0 : 65536) == LTCP_EINVAL);
  CHECK(ltcp_connect(t, NULL, 80) == LTCP_EINVAL);
  CHECK(ltcp_close(t) == 0);
  CHECK(ltcp_bind(t, host, 0) == LTCP_ECLOSED);
  CHECK(ltcp_connect(t, host, 80) == LTCP_ECLOSED);
  ltcp_free(t);
}

static void do_options(reader_t *r) {
  char s[40];
  int i, want = LTCP_ENOTSUP, id;
  unsigned k = rd8(r);
  if (k < 128) {
    rdstr(r, s, 24);
  } else { /* a real name, maybe cut or with a byte changed */
    strcpy(s, names[k % LTCP_OPT_COUNT]);
    if (k & 0x20) s[rd8(r) % (strlen(s) + 1)] = (char)rd8(r);
  }
  for (i = 0; i < LTCP_OPT_COUNT; i++)
    if (strcmp(s, names[i]) == 0) want = i;
  id = ltcp_option_byname(s);
  CHECK(id == want);
  if (id >= 0) CHECK(strcmp(ltcp_option_name((ltcp_option_t)id), s) == 0);
  i = (int)(int32_t)rd64(r);
  if (i >= 0 && i < LTCP_OPT_COUNT) CHECK(ltcp_option_name((ltcp_option_t)i) != NULL);
  else CHECK(ltcp_option_name((ltcp_option_t)i) == NULL);
}

static void do_timeout(reader_t *r) {
  ltcp_t *t;
  uint64_t bits = rd64(r);
  double v, b0, t0, b1, t1;
  int mode = (int)(int8_t)rd8(r), rc;
  static const int modes[] = {'b', 't', 'r', 'B', 0, -1, 'x', 256 + 'b'};
  memcpy(&v, &bits, sizeof v);
  if (rd8(r) & 1) mode = modes[bits % 8];
  if (ltcp_new(&t, LTCP_FAMILY_UNSPEC) != 0) abort();
  ltcp_gettimeout(t, &b0, &t0);
  rc = ltcp_settimeout(t, v, mode);
  ltcp_gettimeout(t, &b1, &t1);
  if (isnan(v) || (mode != 'b' && mode != 't' && mode != 'r')) {
    CHECK(rc == LTCP_EINVAL);
    CHECK(b1 == b0 && t1 == t0);
  } else {
    double want = isinf(v) ? -1.0 : v;
    CHECK(rc == 0);
    CHECK(!isnan(b1) && !isnan(t1));
    if (mode == 'b') CHECK(b1 == want && t1 == t0);
    else CHECK(t1 == want && b1 == b0);
  }
  ltcp_free(t);
}

/* ---- send over a fake transport ---- */
typedef struct sendfake {
  char got[300];
  size_t n;
  unsigned rnd;
  int wb_pending;
} sendfake_t;

static int sf_send(void *ctx, const char *data, size_t len, size_t *sent) {
  sendfake_t *f = ctx;
  size_t k;
  *sent = 0;
  f->rnd = f->rnd * 1103515245u + 12345u;
  CHECK(len != 0); /* nothing to send: the library must not call */
  if ((f->rnd >> 16) % 5 == 0 && !f->wb_pending) {
    f->wb_pending = 1;
    return LTCP__WOULDBLOCK;
  }
  f->wb_pending = 0;
  k = 1 + (f->rnd >> 8) % len;
  if (f->n + k > sizeof f->got) abort();
  memcpy(f->got + f->n, data, k);
  f->n += k;
  *sent = k;
  return 0;
}
static int sf_recv(void *ctx, char *data, size_t len, size_t *got) {
  (void)ctx, (void)data, (void)len;
  *got = 0;
  return LTCP_ECLOSED;
}
static int sf_wait(void *ctx, int events, double seconds) {
  (void)ctx, (void)seconds;
  CHECK(events == LTCP_POLLOUT);
  return 0;
}

static void do_send(reader_t *r) {
  char data[256];
  sendfake_t f;
  ltcp__transport_t tr = {0, sf_send, sf_recv, sf_wait};
  ltcp_t *t;
  long long i = (long long)rd64(r), j = (long long)rd64(r), last = -7, start, end;
  long long size;
  size_t len = rd8(r) % 200, k;
  unsigned sel = rd8(r);
  int rc;
  for (k = 0; k < len; k++) data[k] = (char)k;
  if (sel & 1) i = (long long)(int8_t)i; /* small values, where the interesting cases are */
  if (sel & 2) j = (long long)(int8_t)j;
  memset(&f, 0, sizeof f);
  f.rnd = sel;
  tr.ctx = &f;
  if (ltcp_new(&t, LTCP_FAMILY_UNSPEC) != 0) abort();
  ltcp__set_transport(t, &tr);
  rc = ltcp_send(t, (sel & 4) && len == 0 ? NULL : data, len, i, j, &last);
  CHECK(rc == 0);
  /* string.sub rules, as LuaSocket's send */
  size = (long long)len;
  start = i < 0 ? (i < -size ? 1 : size + i + 1) : i;
  end = j < 0 ? (j < -size - 1 ? 0 : size + j + 1) : j;
  if (start < 1) start = 1;
  if (end > size) end = size;
  if (start <= end) {
    CHECK(f.n == (size_t)(end - start + 1));
    CHECK(memcmp(f.got, data + start - 1, f.n) == 0);
    CHECK(last == end);
  } else {
    CHECK(f.n == 0);
    CHECK(last == start - 1);
  }
  ltcp_free(t);
}

static void do_strerror(reader_t *r) {
  int code = (int)(int32_t)rd64(r);
  const char *m = ltcp_strerror(code);
  CHECK(m != NULL && m[0] != '\0');
  /* every code of the table has its own message; anything else is "unknown error" */
  if (public_code(code) && code != LTCP_EUNKNOWN) CHECK(strcmp(m, "unknown error") != 0);
  if (!public_code(code)) CHECK(strcmp(m, "unknown error") == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  reader_t r = {data, size};
  int ops = 0;
  while (r.n && ops++ < 16) {
    fuzz_op = rd8(&r) % 6;
    switch (fuzz_op) {
    case 0: do_resolve(&r); break;
    case 1: do_bind(&r); break;
    case 2: do_options(&r); break;
    case 3: do_timeout(&r); break;
    case 4: do_send(&r); break;
    default: do_strerror(&r); break;
    }
  }
  return 0;
}
