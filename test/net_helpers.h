/* Loopback helpers for the integration suites, over the public API only: listeners on port 0,
 * connected pairs, IPv6 availability and the main of a per-family program. Invariants: loopback addresses only (127.0.0.1, ::1),
 * never a fixed port, and every object made here carries a safety total timeout so that a
 * broken library fails a test instead of hanging it (ctest's TIMEOUT is the last resort). */
#ifndef LTCP_NET_HELPERS_H
#define LTCP_NET_HELPERS_H

#include <stddef.h>

#include <check.h>

#include "ltcp.h"

/* A network suite is compiled once per family: LT_FAMILY=4 (127.0.0.1) or LT_FAMILY=6 (::1, a
 * separate ctest entry that reports Skipped, never Passed, when ::1 is unusable). LT_FAM is the
 * ltcp family, LT_LOOP its loopback address. */
#ifndef LT_FAMILY
#define LT_FAMILY 4
#endif
#define LT_FAM (LT_FAMILY == 6 ? LTCP_FAMILY_INET6 : LTCP_FAMILY_INET)
#define LT_LOOP (lt_loopback(LT_FAM))

/* Safety total timeout on helper-made objects (seconds). */
#define LT_SAFETY_TIMEOUT 10.0

/* "127.0.0.1" or "::1". */
const char *lt_loopback(int family);
/* "IPv4" or "IPv6", for messages. */
const char *lt_family_name(int family);

/* 1 if an IPv6 socket can bind ::1 and take a connection on it; else 0 with the reason. */
int lt_ipv6_available(char *why, size_t why_len);

/* The main of a per-family program (family = LT_FAM): for IPv6 it first checks ::1 and, when it is
 * unusable, says why and exits LT_SKIP_CODE (or fails when LTCP_TEST_REQUIRE_IPV6 is set to
 * anything but 0); then it runs the suite (lt_run_suite). */
int lt_main_family(Suite *s, int family);

/* ltcp_sizeof() zeroed bytes (not opened). */
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

/* A port of `family`'s loopback where a connect is refused for sure: a port-0 listener's port,
 * then held by a bound, NOT listening socket (the one returned: dispose it after), so nobody
 * else can listen there meanwhile. Asserts that one of ten tries worked. */
ltcp_t *lt_refuser(int family, int *port);

/* ltcp_select on one object for `events` (LTCP_POLLIN / LTCP_POLLOUT) up to `timeout` seconds. */
int lt_wait_ready(ltcp_t *t, int events, double timeout);

/* Local port of an object (asserts getsockname works). */
int lt_port_of(ltcp_t *t);

/* Send all of s (asserts success). */
void lt_send_all(ltcp_t *t, const char *data, size_t len);

#endif
