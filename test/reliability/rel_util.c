/* Helpers for the reliability suites; see rel_util.h. */
#include "rel_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

const char *rel_host(int i) {
  return i ? "::1" : "127.0.0.1";
}

int rel_family(int i) {
  return i ? LTCP_FAMILY_INET6 : LTCP_FAMILY_INET;
}

int rel_have_ipv6(void) {
  static int known = -1;
  if (known < 0) { /* no ck_assert here: rel_main probes before any test runs */
    ltcp_t *t = calloc(1, ltcp_sizeof());
    known = t && ltcp_open(t, LTCP_FAMILY_INET6) == 0 && ltcp_bind(t, "::1", 0) == 0 &&
            ltcp_listen(t, 1) == 0;
    if (t) ltcp_close(t);
    free(t);
  }
  return known;
}

int rel_main(Suite *s) {
#if defined(REL_FAMILY) && REL_FAMILY == 6
  int ok;
  if (ltcp_init() != 0) return EXIT_FAILURE;
  ok = rel_have_ipv6();
  ltcp_cleanup();
  if (!ok) {
    const char *req = getenv("LTCP_TEST_REQUIRE_IPV6");
    fprintf(stderr, "IPv6 loopback ::1 is NOT usable on this machine: the IPv6 runs of this "
                    "suite did NOT run.\n");
    srunner_free(srunner_create(s)); /* the suite is not run; free it */
    if (req && *req && strcmp(req, "0") != 0) {
      fprintf(stderr, "LTCP_TEST_REQUIRE_IPV6 is set: failing.\n");
      return EXIT_FAILURE;
    }
    fprintf(stderr, "Reported to ctest as SKIPPED (exit %d); set LTCP_TEST_REQUIRE_IPV6=1 to "
                    "make this a failure.\n", REL_SKIP_CODE);
    return REL_SKIP_CODE;
  }
#endif
  return lt_run_suite(s);
}

ltcp_t *rel_alloc(void) {
  ltcp_t *t = calloc(1, ltcp_sizeof());
  ck_assert_ptr_nonnull(t);
  return t;
}

void rel_dispose(ltcp_t *t) {
  if (!t) return;
  ltcp_close(t);
  free(t);
}

ltcp_t *rel_listener(int i, int backlog, int *port) {
  ltcp_t *t = rel_alloc();
  ltcp_addr_t a;
  rel_assert_rc(ltcp_open(t, rel_family(i)), 0);
  rel_assert_rc(ltcp_settimeout(t, REL_SAFETY, 't'), 0);
  rel_assert_rc(ltcp_bind(t, rel_host(i), 0), 0);
  rel_assert_rc(ltcp_listen(t, backlog), 0);
  rel_assert_rc(ltcp_getsockname(t, &a), 0);
  ck_assert_int_gt(a.port, 0);
  if (port) *port = a.port;
  return t;
}

ltcp_t *rel_client(int i, int port) {
  ltcp_t *t = rel_alloc();
  rel_assert_rc(ltcp_open(t, rel_family(i)), 0);
  rel_assert_rc(ltcp_settimeout(t, REL_SAFETY, 't'), 0);
  rel_assert_rc(ltcp_connect(t, rel_host(i), port), 0);
  return t;
}

ltcp_t *rel_accept(ltcp_t *server) {
  ltcp_t *t = rel_alloc();
  rel_assert_rc(ltcp_accept(server, t), 0);
  rel_assert_rc(ltcp_settimeout(t, REL_SAFETY, 't'), 0);
  return t;
}

void rel_pair(int i, ltcp_t **client, ltcp_t **accepted) {
  int port;
  ltcp_t *srv = rel_listener(i, 4, &port);
  *client = rel_client(i, port);
  *accepted = rel_accept(srv);
  rel_dispose(srv);
}

int rel_dead_port(int i) {
  int port;
  ltcp_t *srv = rel_listener(i, 1, &port);
  rel_dispose(srv);
  return port;
}

void rel_send_all(ltcp_t *t, const char *data, size_t len) {
  long long last = -1;
  rel_assert_rc(ltcp_send(t, data, len, 1, -1, &last), 0);
  ck_assert_int_eq(last, (long long)len);
}

/* ---- fake transport ---- */
static int fake_recv(void *ctx, char *data, size_t len, size_t *got) {
  rel_fake_t *f = ctx;
  size_t n = f->len - f->off;
  f->calls++;
  *got = 0;
  if (n == 0) return f->end_closed ? LTCP_ECLOSED : LTCP__WOULDBLOCK;
  if (f->chunk && n > f->chunk) n = f->chunk;
  if (n > len) n = len;
  memcpy(data, f->data + f->off, n);
  f->off += n;
  *got = n;
  return 0;
}

static int fake_send(void *ctx, const char *data, size_t len, size_t *sent) {
  (void)ctx;
  (void)data;
  *sent = len;
  return 0;
}

static int fake_wait(void *ctx, int events, double seconds) {
  rel_fake_t *f = ctx;
  (void)events;
  (void)seconds;
  return f->off < f->len ? 0 : LTCP_ETIMEOUT;
}

void rel_fake_attach(ltcp_t *t, rel_fake_t *f, const char *data, size_t len, size_t chunk,
                     int end_closed) {
  ltcp__transport_t tr;
  f->data = data;
  f->len = len;
  f->off = 0;
  f->chunk = chunk;
  f->calls = 0;
  f->end_closed = end_closed;
  rel_assert_rc(ltcp_open(t, LTCP_FAMILY_UNSPEC), 0);
  tr.ctx = f;
  tr.recv = fake_recv;
  tr.send = fake_send;
  tr.wait = fake_wait;
  ltcp__set_transport(t, &tr);
}
