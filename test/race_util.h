/* Helpers of the connect race suites (test_connect_race.c, test_connect_refused.c): loopback
 * addresses for the address seam (ltcp__inet_connect_addrs), black-holed listeners (a full accept
 * queue: the kernel drops further SYNs), ports nobody listens on, and descriptor counts.
 * Invariants: loopback only, port 0 only; where the system answers a full accept queue with a
 * reset (Windows) lt_make_hole says so and returns 0; where descriptors cannot be counted
 * (Windows) lt_fd_count returns -1 and lt_assert_fds checks nothing. */
#ifndef LTCP_RACE_UTIL_H
#define LTCP_RACE_UTIL_H

#include "core.h"
#include "net_helpers.h"
#include "test_util.h"

#define V4 "127.0.0.1"
#define V6 "::1"

/* Open descriptors of this process, or -1 where they cannot be counted (said once). */
int lt_fd_count(void);

#define lt_assert_fds(want)                                                                        \
  do {                                                                                             \
    int fds_now_ = lt_fd_count(), fds_want_ = (want);                                              \
    if (fds_now_ >= 0)                                                                             \
      ck_assert_msg(fds_now_ == fds_want_, "%d descriptors open, expected %d", fds_now_,           \
                    fds_want_);                                                                    \
  } while (0)

/* The numeric address host:port. */
void lt_addr_of(const char *host, int port, ltcp__sockaddr_t *out);
/* LTCP_FAMILY_INET6 for "::1", else LTCP_FAMILY_INET. */
int lt_family_of(const char *host);

/* A listener on host:port (0: any) whose accept queue is full: connects to it hang. */
typedef struct lt_hole {
  ltcp_t *server;
  ltcp_t *fill[64];
  int nfill, port;
} lt_hole_t;
/* 1 when the black hole works; 0 when the system refuses instead (the reason is printed). The
 * caller frees it with lt_free_hole either way. */
int lt_make_hole(lt_hole_t *h, const char *host, int port);
void lt_free_hole(lt_hole_t *h);

/* A port nobody listens on at host, held by the bound socket returned (dispose it after). */
ltcp_t *lt_closed_port(const char *host, ltcp__sockaddr_t *addr);

/* Mark the call's start as ltcp_connect does, then go through the address seam. */
int lt_connect_addrs(ltcp_t *c, const ltcp__sockaddr_t *addrs, size_t n);
/* The peer port of a connected client. */
int lt_peer_port(ltcp_t *c);

#endif
