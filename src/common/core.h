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
  double block; /* seconds; negative = no limit (what settimeout('b') set: gettimeout's value) */
  double total; /* seconds; negative = no limit */
  double start; /* monotonic time the current call started; negative = not yet marked */
  double op[3]; /* the block timeout of each operation (ltcp_timeout_op_t: connect, send, read):
                 * settimeout('b') sets all three, settimeouts each one */
} ltcp__timeout_t;

/* The options a program set through ltcp_setoption: the sockets a connect race makes get them
 * too. Kept off the object, since most objects never set one (select walks many objects, and
 * the Lua binding embeds them in userdata): allocated by the first setoption, freed by close. */
typedef struct ltcp__opts {
  unsigned set;            /* bit per option id */
  int val[LTCP_OPT_COUNT]; /* the value of each option in `set` */
  int linger;              /* the seconds of LTCP_OPT_LINGER */
  ltcp__optmem_t sys;      /* what the backend remembers for the object's socket (sys.h) */
} ltcp__opts_t;

struct ltcp {
  /* Read by select and the receive fast path: kept together at the front. */
  ltcp_os_sock_t sock;
  int state;
  char *buf; /* bufsize bytes from malloc, or NULL */
  size_t first, last;
  int has_cr;     /* buf[first..last) may hold a CR: 1, 0, or -1 = not scanned since the fill */
  size_t limit;   /* default cap of LINE/ALL receives (their maxsize), 0 = none */
  size_t bufsize; /* size of buf when allocated */
  size_t bufwant; /* size the next fill uses (adapted, or fixed by ltcp_setbufsize) */
  int buffixed;   /* ltcp_setbufsize was called: no adapting */
  int bufsmall;   /* fills in a row that came back under an eighth full */
  /* The rest. */
  int family;
  int native; /* native error behind the last failure */
  ltcp__timeout_t tm;
  double birthday; /* monotonic */
  double received; /* bytes the kernel delivered; consumed = received - (last - first) */
  double sent;
  int connecting;          /* a connect is going on in the background (timed out in progress) */
  int stale;               /* the last connect failed: the socket cannot connect again (Linux) */
  int bound;               /* bind succeeded: a fresh socket would lose the local address */
  double eyeballs;         /* Happy Eyeballs Connection Attempt Delay (s); 0 = no race (race.c) */
  struct ltcp__race *race; /* a connect racing several addresses, or NULL (race.c) */
  struct ltcp__opts *opts; /* options set through ltcp_setoption, or NULL (options.c) */
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

/* The code a public function returns for an internal result: a reset or aborted connection
 * (LTCP__ERESET, kept apart inside so '*a' can tell it from an orderly end) is LuaSocket's
 * "closed". Every public function that can meet a reset returns through here. */
static inline int ltcp__public_rc(int rc) {
  return rc == LTCP__ERESET ? LTCP_ECLOSED : rc;
}

/* timeout.c: pure arithmetic, unit-testable without sleeping. */
void ltcp__timeout_init(ltcp__timeout_t *tm);
void ltcp__timeout_markstart(ltcp__timeout_t *tm, double now);
/* Start a call. Only a total timeout needs the call's start time, so without one the clock is
 * not read (the hot receive path serves most calls from the buffer without ever waiting). */
void ltcp__timeout_callstart(ltcp__timeout_t *tm);
/* Seconds the wait that began at wait_start may still take at `now`: -1 = forever, else >= 0. */
double ltcp__timeout_left(const ltcp__timeout_t *tm, double wait_start, double now);
/* The same, with the block timeout of one operation (ltcp_timeout_op_t) in place of `block`. */
double ltcp__timeout_left_op(const ltcp__timeout_t *tm, int op, double wait_start, double now);
/* True when the timeout allows no waiting at all (block 0 or total 0). */
int ltcp__timeout_iszero(const ltcp__timeout_t *tm);
/* The same for one operation. */
int ltcp__timeout_iszero_op(const ltcp__timeout_t *tm, int op);

/* io.c: the one retry loop and the waits under it (see io.c for the rules).
 * ltcp__io_again decides what follows a single attempt of an object's call that returned *rc
 * (non-zero): 1 = attempt again (after a signal, or once the socket is ready for `events` when
 * it would have blocked), 0 = *rc is the call's result (the attempt's error, or the wait's:
 * LTCP_ETIMEOUT, ...). A caller's loop is `do rc = attempt; while (rc && ltcp__io_again(...))`:
 * the attempt is called directly, so a receive served at once costs no extra call. */
int ltcp__io_again(ltcp_t *t, int *rc, int events);
/* Wait until the object's transport is ready for `events` under the object's timeouts: the
 * block timeout of operation `op` (ltcp_timeout_op_t: settimeouts' connect, send or read, all
 * the block timeout unless set apart) counting from wait_start (negative: from now; connect
 * passes the call's start, so one deadline covers every address), and the total. 0,
 * LTCP_ETIMEOUT or an error. */
int ltcp__io_wait_from(ltcp_t *t, int op, int events, double wait_start);
/* Wait until one of fds[0..n) is ready, under *tm with the block timeout counting from
 * wait_start (negative: from now): 0 with *nready > 0, LTCP_ETIMEOUT, or an error. Many sockets
 * under one deadline, over ltcp__sys_poll; n == 0 sleeps until the deadline. */
int ltcp__io_poll(ltcp_pollfd_t *fds, size_t n, const ltcp__timeout_t *tm, double wait_start,
                  size_t *nready, int *native);
/* The transport's send/recv, retried through ltcp__io_again. */
int ltcp__io_send(ltcp_t *t, const char *data, size_t len, size_t *sent);
int ltcp__io_recv(ltcp_t *t, char *data, size_t len, size_t *got);

/* buffer.c: receive patterns over the object's buffer. */
int ltcp__sink_append(const ltcp_sink_t *sink, const char *data, size_t n);
/* budget: bytes the call may append after the prefix ('*l': payload, CRs not counted); 0: no
 * cap. */
int ltcp__buffer_receive(ltcp_t *t, int pattern, size_t count, const char *prefix,
                         size_t prefix_len, size_t budget, const ltcp_sink_t *sink);
/* Receive more after the buffered bytes, keeping them (moved to the front; the buffer grows when
 * they fill it). 0 or the receive's error; the buffered bytes stay either way. */
int ltcp__buffer_more(ltcp_t *t);
/* Drop the buffer (close): its bytes were never consumed, so they leave the stats too. */
void ltcp__buffer_release(ltcp_t *t);

/* inet.c: bind, and the making of OS sockets. */
/* A new OS socket of `family` (INET or INET6), inet6 with ipv6-v6only on. */
int ltcp__inet_socket(int family, ltcp_os_sock_t *out, int *native);
/* Make sure t->sock is a socket of `family`, replacing one of another family (or one whose
 * connect failed, unless the user bound it). */
int ltcp__inet_ensure_socket(ltcp_t *t, int family);
int ltcp__inet_bind(ltcp_t *t, const char *host, int port);
/* connect.c: connect under one deadline for the call (its start must be marked). */
int ltcp__inet_connect(ltcp_t *t, const char *host, int port);
/* The connect loop over resolved addresses (rc: the resolver's result). Separate so tests can
 * give it several addresses without a resolver that returns them. */
int ltcp__inet_connect_addrs(ltcp_t *t, int rc, const ltcp__sockaddr_t *addrs, size_t n);

/* race.c: Happy Eyeballs (RFC 8305), connects racing several addresses (see race.c). */
#define LTCP__EYEBALLS_DEFAULT 0.25 /* RFC 8305's recommended Connection Attempt Delay */
#define LTCP__EYEBALLS_MIN 0.01     /* its lower bound */
/* Order addresses for a race: families interleaved, the family of in[0] first (RFC 8305 §4,
 * First Address Family Count 1); within a family, resolver order. out holds n entries. */
void ltcp__race_order(const ltcp__sockaddr_t *in, size_t n, ltcp__sockaddr_t *out);
/* Connect by racing addrs[0..n) (n >= 2, the object's socket not bound), under the call's
 * deadline (its start marked). A race still going at the deadline stays on the object.
 * LTCP__NORACE: no memory for the race, nothing touched (connect goes one address at a time). */
#define LTCP__NORACE (-1100)
int ltcp__race_connect(ltcp_t *t, const ltcp__sockaddr_t *addrs, size_t n);
/* The connect that follows a race left on the object: reports how it ended (0 once it won),
 * or moves it on without waiting and says LTCP_EALREADY while it goes on. */
int ltcp__race_resume(ltcp_t *t);
/* 1 while a race on the object has not ended. */
int ltcp__race_active(const ltcp_t *t);
/* The sockets an active race waits on, for writing, into out[0..LTCP__MAXADDRS); the count. */
size_t ltcp__race_fds(const ltcp_t *t, ltcp_pollfd_t *out);
/* Monotonic time the race's next attempt is due, or a negative value when none is. */
double ltcp__race_due(const ltcp_t *t);
/* Move an active race on without waiting: 1 when it has ended (ltcp__race_resume reports it),
 * with *failed set when every attempt failed; 0 while it goes on. */
int ltcp__race_progress(ltcp_t *t, int *failed);
/* Drop the race (close, setfd): close every socket it holds except t->sock, free it. */
void ltcp__race_free(ltcp_t *t);
/* Give socket s every option set on the object through ltcp_setoption (errors ignored: an
 * option of the other family does not apply). */
void ltcp__replay_options(const ltcp_t *t, ltcp_os_sock_t s, ltcp__optmem_t *mem);
/* Free the remembered options (close). */
void ltcp__forget_options(ltcp_t *t);

/* tcp.c */
void ltcp__init_object(ltcp_t *t, int state, int family, ltcp_os_sock_t sock);
void ltcp__socket_transport(ltcp_t *t);
/* 1 while the object's transport is its own OS socket (no test or TLS transport plugged in). */
int ltcp__uses_socket_transport(const ltcp_t *t);
/* Replace the transport (tests, TLS): the object becomes a client using it. */
void ltcp__set_transport(ltcp_t *t, const ltcp__transport_t *tr);

#endif
