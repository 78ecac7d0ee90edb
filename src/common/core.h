/* The ltcp object and the internal functions the common files share. Not installed.
 * Invariants: buf[first..last) holds received bytes not yet returned (first <= last <= bufsize);
 * buf is NULL until the first fill and again after close (objects stay small: select walks many);
 * state CLOSED implies sock == LTCP_INVALID_SOCKET unless setfd put one there afterwards. */
#ifndef LTCP_CORE_H
#define LTCP_CORE_H

#include "ltcp.h"
#include "sys.h"
#include "transport.h"

#define LTCP__BUFSIZE 16384            /* default receive buffer size, where adapting starts */
#define LTCP__BUFSIZE_GROWN (1u << 18) /* adapting stops here (256 KiB) */
#define LTCP__BUFSIZE_MAX (1u << 26)   /* largest ltcp_setbufsize */

typedef struct ltcp__timeout {
  double block; /* seconds; negative = no limit */
  double total; /* seconds; negative = no limit */
  double start; /* monotonic time the current call started; negative = not yet marked */
} ltcp__timeout_t;

struct ltcp {
  /* Read by select and the receive fast path: kept together at the front. */
  ltcp_os_sock_t sock;
  int state;
  char *buf;           /* bufsize bytes from malloc, or NULL */
  size_t first, last;
  int has_cr;          /* buf[first..last) may hold a CR: 1, 0, or -1 = not scanned since the fill */
  size_t limit;        /* max bytes for LINE/ALL receives, 0 = unlimited */
  size_t bufsize;      /* size of buf when allocated */
  size_t bufwant;      /* size the next fill uses (adapted, or fixed by ltcp_setbufsize) */
  int buffixed;        /* ltcp_setbufsize was called: no adapting */
  int bufsmall;        /* fills in a row that came back under an eighth full */
  /* The rest. */
  int family;
  int native;          /* native error behind the last failure */
  ltcp__timeout_t tm;
  double birthday;     /* monotonic */
  double received;     /* bytes the kernel delivered; consumed = received - (last - first) */
  double sent;
  int connecting;      /* a connect is going on in the background (timed out in progress) */
  int stale;           /* the last connect failed: the socket cannot connect again (Linux) */
  int bound;           /* bind succeeded: a fresh socket would lose the local address */
  ltcp__optmem_t optmem; /* option values the backend remembers for sock (zero: none) */
  ltcp__transport_t tr;
};

/* 0 if `t` is in one of the states of the mask (bit per state), else the code to return: every
 * socket operation starts here. Inline: the zero-copy receive paths run it once per line. */
#define LTCP__M_MASTER (1u << LTCP_STATE_MASTER)
#define LTCP__M_CLIENT (1u << LTCP_STATE_CLIENT)
#define LTCP__M_SERVER (1u << LTCP_STATE_SERVER)
static inline int ltcp__check(const ltcp_t *t, unsigned mask) {
  if (!t) return LTCP_EINVAL;
  if (t->state == LTCP_STATE_CLOSED) return LTCP_ECLOSED;
  return (mask & (1u << t->state)) ? 0 : LTCP_ESTATE;
}

/* timeout.c: pure arithmetic, unit-testable without sleeping. */
void ltcp__timeout_init(ltcp__timeout_t *tm);
void ltcp__timeout_markstart(ltcp__timeout_t *tm, double now);
/* Start a call. Only a total timeout needs the call's start time, so without one the clock is
 * not read (the hot receive path serves most calls from the buffer without ever waiting). */
void ltcp__timeout_callstart(ltcp__timeout_t *tm);
/* Seconds the wait that began at wait_start may still take at `now`: -1 = forever, else >= 0. */
double ltcp__timeout_left(const ltcp__timeout_t *tm, double wait_start, double now);
/* True when the timeout allows no waiting at all (block 0 or total 0). */
int ltcp__timeout_iszero(const ltcp__timeout_t *tm);

/* io.c: the one retry loop shared by every backend and transport. */
int ltcp__io_wait(ltcp_t *t, int events);
int ltcp__io_send(ltcp_t *t, const char *data, size_t len, size_t *sent);
int ltcp__io_recv(ltcp_t *t, char *data, size_t len, size_t *got);

/* buffer.c: receive patterns over the object's buffer. */
int ltcp__sink_append(const ltcp_sink_t *sink, const char *data, size_t n);
int ltcp__buffer_receive(ltcp_t *t, int pattern, size_t count, const char *prefix,
                         size_t prefix_len, const ltcp_sink_t *sink);
/* Drop the buffer (close): its bytes were never consumed, so they leave the stats too. */
void ltcp__buffer_release(ltcp_t *t);

/* inet.c: resolution and connection under one deadline. */
int ltcp__inet_bind(ltcp_t *t, const char *host, int port);
int ltcp__inet_connect(ltcp_t *t, const char *host, int port);
/* The connect loop over resolved addresses (rc: the resolver's result); the call's start must be
 * marked. Separate so tests can give it several addresses without a resolver that returns them. */
int ltcp__inet_connect_addrs(ltcp_t *t, int rc, const ltcp__sockaddr_t *addrs, size_t n);

/* tcp.c */
void ltcp__init_object(ltcp_t *t, int state, int family, ltcp_os_sock_t sock);
void ltcp__socket_transport(ltcp_t *t);
/* Replace the transport (tests, TLS): the object becomes a client using it. */
void ltcp__set_transport(ltcp_t *t, const ltcp__transport_t *tr);

#endif
