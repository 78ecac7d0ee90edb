/* Helpers of the connect race suites: see race_util.h. */
#include <stdio.h>

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#endif

#include "race_util.h"

int lt_fd_count(void) {
#ifndef _WIN32
  int fd, n = 0;
  for (fd = 0; fd < 4096; fd++) n += fcntl(fd, F_GETFD) != -1;
  return n;
#else
  static int said;
  if (!said++) fprintf(stderr, "descriptor counts skipped on Windows (no cheap socket count)\n");
  return -1;
#endif
}

void lt_addr_of(const char *host, int port, ltcp__sockaddr_t *out) {
  size_t n = 0;
  int native = 0;
  lt_assert_rc(
    ltcp__sys_resolve(host, port, LTCP_FAMILY_UNSPEC, LTCP__RESOLVE_NUMERIC, out, 1, &n, &native),
    0);
  ck_assert_uint_eq(n, 1);
}

int lt_family_of(const char *host) {
  return host[0] == ':' ? LTCP_FAMILY_INET6 : LTCP_FAMILY_INET;
}

/* 1 when the black hole works; 0 when the system refuses instead (the reason is printed). */
int lt_make_hole(lt_hole_t *h, const char *host, int port) {
  int i, rc = 0;
  h->server = lt_master(lt_family_of(host));
  lt_assert_rc(ltcp_bind(h->server, host, port), 0);
  lt_assert_rc(ltcp_listen(h->server, 0), 0);
  h->port = lt_port_of(h->server);
  h->nfill = 0;
  for (i = 0; i < 64; i++) {
    ltcp_t *c = lt_master(lt_family_of(host));
    h->fill[h->nfill++] = c;
    lt_assert_rc(ltcp_settimeout(c, 0.1, 't'), 0);
    if ((rc = ltcp_connect(c, host, h->port)) != 0) break;
  }
  if (rc == LTCP_ETIMEOUT) return 1;
  fprintf(stderr,
          "no loopback black hole here (a connect to a full accept queue gave %s): "
          "black-hole case skipped\n",
          ltcp_strerror(rc));
  return 0;
}

void lt_free_hole(lt_hole_t *h) {
  int i;
  for (i = 0; i < h->nfill; i++) lt_dispose(h->fill[i]);
  lt_dispose(h->server);
}

/* Mark the call's start as ltcp_connect does, then go through the seam. */
int lt_connect_addrs(ltcp_t *c, const ltcp__sockaddr_t *addrs, size_t n) {
  ltcp__timeout_markstart(&c->tm, ltcp__sys_monotonic());
  return ltcp__inet_connect_addrs(c, 0, addrs, n);
}

/* The peer port of a connected client. */
int lt_peer_port(ltcp_t *c) {
  ltcp_addr_t a;
  lt_assert_rc(ltcp_getpeername(c, &a), 0);
  return a.port;
}

/* A port nobody listens on, held by a bound socket so that nobody else takes it. */
ltcp_t *lt_closed_port(const char *host, ltcp__sockaddr_t *addr) {
  ltcp_t *holder = lt_master(lt_family_of(host));
  lt_assert_rc(ltcp_bind(holder, host, 0), 0);
  lt_addr_of(host, lt_port_of(holder), addr);
  return holder;
}
