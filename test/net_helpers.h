/* Loopback helpers for the integration suites, over the public API only: listeners on port 0,
 * connected pairs, and IPv6 availability. Invariants: loopback addresses only (127.0.0.1, ::1),
 * never a fixed port, and every object made here carries a safety total timeout so that a
 * broken library fails a test instead of hanging it (ctest's TIMEOUT is the last resort). */
#ifndef LTCP_NET_HELPERS_H
#define LTCP_NET_HELPERS_H

#include <stddef.h>

#include "ltcp.h"

/* Safety total timeout on helper-made objects (seconds). */
#define LT_SAFETY_TIMEOUT 10.0

/* "127.0.0.1" or "::1". */
const char *lt_loopback(int family);
/* "IPv4" or "IPv6", for messages. */
const char *lt_family_name(int family);

/* 1 if an IPv6 socket can bind ::1 and take a connection on it; else 0 with the reason. */
int lt_ipv6_available(char *why, size_t why_len);

/* ltcp_sizeof() bytes from malloc (not opened). */
ltcp_t *lt_alloc(void);
/* ltcp_close and free; NULL is fine. */
void lt_dispose(ltcp_t *t);

/* A master of `family` (ltcp_open), with the safety timeout. */
ltcp_t *lt_master(int family);
/* A server on the loopback of `family`, port 0; *port receives the port chosen. */
ltcp_t *lt_listener(int family, int backlog, int *port);
/* A client connected to the loopback of `family` at `port`. */
ltcp_t *lt_client(int family, int port);
/* Accept one connection from `server` (which must have one pending). */
ltcp_t *lt_accept(ltcp_t *server);
/* A connected pair: *a is the connecting side, *b the accepted one (listener already closed). */
void lt_pair(int family, ltcp_t **a, ltcp_t **b);

/* A bound, NOT listening socket on host:port, so that connects there are refused and nobody
 * else can listen there meanwhile; NULL if that address cannot be bound (caller decides). */
ltcp_t *lt_blocker(int family, const char *host, int port);

/* Local port of an object (asserts getsockname works). */
int lt_port_of(ltcp_t *t);

/* Send all of s (asserts success). */
void lt_send_all(ltcp_t *t, const char *data, size_t len);

#endif
