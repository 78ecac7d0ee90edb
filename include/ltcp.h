/* ltcp: LuaSocket's TCP API as a portable C library (POSIX and Windows).
 *
 * Conventions, true of every function here:
 * - Every call returns 0 (LTCP_OK) or a negative LTCP_E* code from <ltcp/errno.h>; the values are
 *   the same on every platform. Results come back through out-parameters.
 * - Objects are opaque. Either let the library allocate (ltcp_new / ltcp_free) or embed: reserve
 *   ltcp_sizeof() bytes, aligned like a double or a pointer, and call ltcp_open on them; an
 *   embedded object holds memory once it has received (its buffer), so ltcp_close it before
 *   releasing those bytes.
 * - A TCP object is a master (new), a client (after connect or accept), a server (after listen)
 *   or closed (after close). A socket operation in the wrong state returns LTCP_ESTATE; on a closed
 *   object it returns LTCP_ECLOSED. Accessors (timeouts, stats, getfd/setfd, dirty, getfamily)
 *   work in every state.
 * - Timeouts: by default every call blocks. The block timeout bounds each single wait for the
 *   socket; the total timeout bounds the whole call. A call that runs out of time returns
 *   LTCP_ETIMEOUT with whatever partial result the function describes.
 * - Every socket is non-blocking inside, close-on-exec (not inherited on Windows), and never
 *   raises SIGPIPE. The library has no process-wide side effects.
 */
#ifndef LTCP_H
#define LTCP_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#include "ltcp/win32.h"
#else
#include "ltcp/posix.h"
#endif
#include "ltcp/errno.h"

/* LTCP_EXPORT makes a symbol visible outside the binary that defines it (the library's API, and
 * the Lua module's luaopen_* functions); LTCP_API is what every declaration below carries: an
 * export while building the library, an import for a user of the Windows DLL, nothing for a
 * static Windows library. */
#if defined(_WIN32)
#define LTCP_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define LTCP_EXPORT __attribute__((visibility("default")))
#else
#define LTCP_EXPORT
#endif
#if defined(_WIN32) && defined(LTCP_STATIC)
#define LTCP_API
#elif defined(_WIN32) && !defined(LTCP_BUILDING)
#define LTCP_API __declspec(dllimport)
#else
#define LTCP_API LTCP_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define LTCP_VERSION_MAJOR 0
#define LTCP_VERSION_MINOR 1
#define LTCP_VERSION_PATCH 0
#define LTCP_VERSION_STRING "0.1.0"

typedef struct ltcp ltcp_t;

/** Object states. */
typedef enum ltcp_state {
  LTCP_STATE_CLOSED = 0,
  LTCP_STATE_MASTER = 1,
  LTCP_STATE_CLIENT = 2,
  LTCP_STATE_SERVER = 3
} ltcp_state_t;

/** Address families. UNSPEC: no OS socket until bind/connect picks one from the resolver. */
typedef enum ltcp_family {
  LTCP_FAMILY_UNSPEC = 0,
  LTCP_FAMILY_INET = 4,
  LTCP_FAMILY_INET6 = 6
} ltcp_family_t;

/** Receive patterns: '*a', '*l', and a byte count. */
typedef enum ltcp_pattern {
  LTCP_RECV_ALL = 0,
  LTCP_RECV_LINE = 1,
  LTCP_RECV_COUNT = 2
} ltcp_pattern_t;

/** Timeout modes of ltcp_settimeout. The values are LuaSocket's mode letters, so 'b' and 't'
 *  work too (a C++ caller casts them). */
typedef enum ltcp_timeout_mode {
  LTCP_TIMEOUT_BLOCK = 'b', /* each single wait */
  LTCP_TIMEOUT_TOTAL = 't', /* the whole call */
  LTCP_TIMEOUT_RETURN = 'r' /* LuaSocket's alias of 't' */
} ltcp_timeout_mode_t;

/** Shutdown modes. */
typedef enum ltcp_shutdown {
  LTCP_SHUT_RECEIVE = 0,
  LTCP_SHUT_SEND = 1,
  LTCP_SHUT_BOTH = 2
} ltcp_shutdown_t;

/** Socket options. The table is the same on every platform; an option the platform lacks returns
 *  LTCP_ENOTSUP. Boolean options take 0/1; linger takes {on, seconds}; tcp-keep* take an int.
 *  Values are ABI: new options are appended. tcp-defer-accept (seconds), tcp-fastopen (queue
 *  length) and tcp-fastopen-connect (0/1) exist on Linux only. "error" is read-only: getoption
 *  gives the socket's pending error (SO_ERROR) as an LTCP_E* code, 0 when there is none, and
 *  clears it; setoption gives LTCP_ENOTSUP. */
typedef enum ltcp_option {
  LTCP_OPT_KEEPALIVE = 0,        /* "keepalive" */
  LTCP_OPT_LINGER,               /* "linger" */
  LTCP_OPT_REUSEADDR,            /* "reuseaddr" */
  LTCP_OPT_REUSEPORT,            /* "reuseport" */
  LTCP_OPT_TCP_NODELAY,          /* "tcp-nodelay" */
  LTCP_OPT_TCP_KEEPIDLE,         /* "tcp-keepidle" */
  LTCP_OPT_TCP_KEEPCNT,          /* "tcp-keepcnt" */
  LTCP_OPT_TCP_KEEPINTVL,        /* "tcp-keepintvl" */
  LTCP_OPT_IPV6_V6ONLY,          /* "ipv6-v6only" */
  LTCP_OPT_RECV_BUFFER_SIZE,     /* "recv-buffer-size" */
  LTCP_OPT_SEND_BUFFER_SIZE,     /* "send-buffer-size" */
  LTCP_OPT_TCP_DEFER_ACCEPT,     /* "tcp-defer-accept" */
  LTCP_OPT_TCP_FASTOPEN,         /* "tcp-fastopen" */
  LTCP_OPT_TCP_FASTOPEN_CONNECT, /* "tcp-fastopen-connect" */
  LTCP_OPT_ERROR,                /* "error" (read-only) */
  LTCP_OPT_COUNT
} ltcp_option_t;

/** The operations of ltcp_settimeout_op: each has its own block timeout (the most one wait of that
 *  kind may take). ltcp_settimeout(t, v, 'b') sets all three. */
typedef enum ltcp_timeout_op {
  LTCP_TIMEOUT_CONNECT = 0, /* connect: counted from the call's start, across every address */
  LTCP_TIMEOUT_SEND = 1,    /* each wait for room to send */
  LTCP_TIMEOUT_READ = 2     /* each wait for input: the receive calls, and accept on a server */
} ltcp_timeout_op_t;

/** Readiness flags for ltcp_select and ltcp_pollfd_t. */
#define LTCP_POLLIN 1
#define LTCP_POLLOUT 2

/** An address as text: host is numeric ("127.0.0.1", "::1"), family LTCP_FAMILY_INET(6). */
typedef struct ltcp_addr {
  char host[64];
  int port;
  ltcp_family_t family;
} ltcp_addr_t;

/** A destination for received bytes. prepare returns room for at least `want` bytes (or NULL when
 *  out of memory); commit says how many of them were filled. Bytes are written straight into the
 *  prepared room, so a large receive copies once, from the kernel to the destination. prepare may
 *  longjmp (a Lua error): the library keeps no state on the C stack that such a jump would leak. */
typedef struct ltcp_sink {
  char *(*prepare)(void *ctx, size_t want);
  void (*commit)(void *ctx, size_t n);
  void *ctx;
} ltcp_sink_t;

/** A growable byte string for C callers, usable as a sink through ltcp_bytes_sink. */
typedef struct ltcp_bytes {
  char *data;
  size_t len;
  size_t cap;
} ltcp_bytes_t;

/** One entry of ltcp_select: set sock and events (LTCP_POLLIN | LTCP_POLLOUT); revents comes back.
 *  Entries whose sock is LTCP_INVALID_SOCKET are ignored. */
typedef struct ltcp_pollfd {
  ltcp_os_sock_t sock;
  int events;
  int revents;
} ltcp_pollfd_t;

/* ---- library ---- */

/** Initialise the socket layer (WSAStartup on Windows; nothing on POSIX). Reference counted: call
 *  ltcp_cleanup once per successful ltcp_init. */
LTCP_API int ltcp_init(void);
LTCP_API void ltcp_cleanup(void);

/** Message for a code: LuaSocket's words where it has them; "unknown error" for unknown codes. */
LTCP_API const char *ltcp_strerror(int code);

/** Name of a code, as in the table without the LTCP_ prefix ("ETIMEOUT", "ECLOSED", ...; "OK"
 *  for 0), for logs and bindings (like libuv's uv_err_name). "EUNKNOWN" for codes not in the
 *  table, as ltcp_strerror answers "unknown error" for them. Never NULL; static storage. */
LTCP_API const char *ltcp_errname(int code);

/** The native error (errno, or WSAGetLastError()) behind the last failure of this object. */
LTCP_API int ltcp_native_error(const ltcp_t *t);

/** How many sockets this process may hold open, for programs that size work by it (LuaSocket's
 *  _SETSIZE): on POSIX the soft RLIMIT_NOFILE at the time of the call (if that is unlimited or
 *  above INT_MAX, sysconf(_SC_OPEN_MAX), else 1048576); on Windows, which has no per-process
 *  socket limit short of its handle table, ltcp's documented bound 16384. ltcp_select itself has
 *  no limit. */
LTCP_API int ltcp_maxsockets(void);

/** Seconds since the Unix epoch from the wall clock, with sub-millisecond resolution. */
LTCP_API double ltcp_gettime(void);

/** Sleep for `seconds` (<= 0 returns at once); signals do not cut it short. */
LTCP_API void ltcp_sleep(double seconds);

/** Opt-in, process-wide: make SIGPIPE ignored, so that a write to a closed peer by *another*
 *  library (OpenSSL writing to a descriptor it was given, a plain write()) fails with EPIPE
 *  instead of killing the process. ltcp never needs it for its own sockets (MSG_NOSIGNAL /
 *  SO_NOSIGPIPE per call) and never calls it by itself. A handler the program installed, or an
 *  existing SIG_IGN, is left as it is. Safe to call more than once. Windows has no SIGPIPE: a
 *  no-op returning 0. Returns 0, or a negative LTCP_E* code if the signal action could not be
 *  read or set. */
LTCP_API int ltcp_ignore_sigpipe(void);

/* ---- objects ---- */

/** Bytes to reserve for an embedded object. */
LTCP_API size_t ltcp_sizeof(void);

/** Make a master object in `t` (ltcp_sizeof() bytes). UNSPEC creates no OS socket yet (getfd gives
 *  LTCP_INVALID_SOCKET); INET and INET6 create one now, INET6 with ipv6-v6only on. On failure the
 *  object is left closed (ltcp_close is safe). */
LTCP_API int ltcp_open(ltcp_t *t, ltcp_family_t family);

/** Heap variants of ltcp_open / (ltcp_close + free). */
LTCP_API int ltcp_new(ltcp_t **out, ltcp_family_t family);
LTCP_API void ltcp_free(ltcp_t *t);

/** Close the OS socket and free what the object holds: the receive buffer (bytes still in it
 *  are dropped and do not count as received), the options it remembers, a connect race.
 *  Idempotent; the object becomes closed. */
LTCP_API int ltcp_close(ltcp_t *t);

LTCP_API ltcp_state_t ltcp_state(const ltcp_t *t);
/** "master", "client", "server" or "closed". */
LTCP_API const char *ltcp_state_name(ltcp_state_t state);
/** LTCP_FAMILY_INET, LTCP_FAMILY_INET6 or LTCP_FAMILY_UNSPEC (no socket chosen yet). */
LTCP_API ltcp_family_t ltcp_getfamily(const ltcp_t *t);

/* ---- master ---- */

/** Bind to `host` ("*" = every local interface of the family) and `port` (0..65535, 0 = ephemeral).
 *  Addresses are tried in resolver order until one binds. */
LTCP_API int ltcp_bind(ltcp_t *t, const char *host, int port);

/** Turn a bound master into a server. */
LTCP_API int ltcp_listen(ltcp_t *t, int backlog);

/** Connect a master to host:port (1..65535) and make it a client, under ONE deadline for the
 *  whole call however many addresses the host has.
 *  Several addresses race (Happy Eyeballs, RFC 8305): families interleaved, the resolver's first
 *  family first; the next attempt starts beside the pending ones after the connect delay
 *  (ltcp_setconnectdelay, default 0.25 s) or at once when one fails; the first to connect wins
 *  and becomes the object's socket, the others are closed. New sockets of the race get every
 *  option set before through ltcp_setoption; the object's own socket (ltcp_open with a family)
 *  takes the first attempt of its family. A socket bound with ltcp_bind is never replaced: it
 *  tries the addresses of its family one after another. Delay 0: one after another in resolver
 *  order. When every attempt fails the code is that of the last address.
 *  LTCP_ETIMEOUT: the time ran out with the connection in progress (with timeout 0, at once). A
 *  race goes on in the background: ltcp_select_objects waits on all of its sockets and starts
 *  its next attempts on time. With a single address (or no race) select for writing on
 *  ltcp_getfd tells when it is done. The next ltcp_connect reports the outcome without waiting
 *  (whatever host and port it is given while a race goes on): 0 once it succeeded, on every
 *  platform, then LTCP_EISCONN; LTCP_EALREADY while still pending; the error if it failed.
 *  After any attempt that reached the network the object is a client, as in LuaSocket; connect is
 *  allowed on a client so that a pending connection can be completed. */
LTCP_API int ltcp_connect(ltcp_t *t, const char *host, int port);

/** The Happy Eyeballs Connection Attempt Delay of the object's connects, in seconds (default
 *  0.25). 0 turns the race off; a positive value below 0.01 (RFC 8305's minimum) is raised to
 *  0.01; RFC 8305 recommends 0.1 to 2; +infinity tries the next address only once the one
 *  before failed. Negative or NaN: LTCP_EINVAL. ltcp_open resets it to the default. */
LTCP_API int ltcp_setconnectdelay(ltcp_t *t, double seconds);
LTCP_API int ltcp_getconnectdelay(const ltcp_t *t, double *seconds);

/* ---- server ---- */

/** Wait for a connection and make `client` (ltcp_sizeof() bytes, uninitialised) a client object
 *  for it, with default (blocking) timeouts. On failure `client` is a closed object. */
LTCP_API int ltcp_accept(ltcp_t *server, ltcp_t *client);

/* ---- client ---- */

/** Send all of data[0..len) (the C-shaped send): returns once every byte is sent, or on timeout
 *  or error. *sent (may be NULL) is the number of bytes sent, also on timeout or error, so a
 *  caller may retry from data + *sent. */
LTCP_API int ltcp_write(ltcp_t *t, const char *data, size_t len, size_t *sent);

/** Send bytes i..j of data[0..len) with string.sub's index rules (1-based, negative counts from
 *  the end, i defaults to 1, j to -1): LuaSocket's send. *last is the index of the last byte
 *  sent, also on error (you may retry from *last + 1). On timeout or error, *last says how far
 *  it got. */
LTCP_API int ltcp_send(ltcp_t *t, const char *data, size_t len, long long i, long long j,
                       long long *last);

/** Receive by pattern into `sink`, after first appending `prefix` (may be NULL). For
 *  LTCP_RECV_COUNT the prefix counts toward `count` (nothing is read when the prefix is already as
 *  long). LINE: up to LF; every CR is dropped; the LF is consumed. ALL: until the peer closes
 *  (success if any byte came). On error (LTCP_ECLOSED, LTCP_ETIMEOUT, ...) the sink holds the
 *  prefix plus the partial data. */
LTCP_API int ltcp_receive(ltcp_t *t, ltcp_pattern_t pattern, size_t count, const char *prefix,
                          size_t prefix_len, const ltcp_sink_t *sink);

/** ltcp_receive with a cap: `maxsize` (>= 1) bounds the bytes one call may accumulate in the
 *  sink, prefix included; 0 takes the object's default (ltcp_setlimit; 0 there too: no cap).
 *  Argument errors return LTCP_EINVAL before any I/O, with the object and the sink untouched:
 *  prefix_len >= the cap, and a COUNT larger than an explicit maxsize (the state is checked
 *  first, as for ltcp_receive: a closed object gives LTCP_ECLOSED with the prefix in the sink).
 *  LINE and ALL: a result that would pass the cap returns LTCP_ELIMIT ("oversized") with exactly
 *  the cap's worth (prefix + data) in the sink; the bytes past it stay buffered, so the partial
 *  followed by the next receives gives the stream byte for byte (LINE: CRs dropped as always).
 *  A call that stops for any other reason (timeout, closed) once the sink holds the whole cap
 *  also returns LTCP_ELIMIT: every other error's partial is shorter than the cap, so it is safe
 *  to pass back as the prefix. ALL: the end of the stream at exactly the cap is success. LINE: a
 *  line of exactly the cap succeeds wherever its LF arrives; CRs are not payload and do not
 *  count (the CRs right after a full cap are consumed with the line). COUNT: never oversized. */
LTCP_API int ltcp_receive_max(ltcp_t *t, ltcp_pattern_t pattern, size_t count, const char *prefix,
                              size_t prefix_len, size_t maxsize, const ltcp_sink_t *sink);

/** Up to `max` (>= 1) bytes of whatever has arrived (OpenResty's receiveany): the bytes already
 *  buffered, else what one receive brings; it waits (under the timeouts) only while nothing has
 *  arrived. max 0: LTCP_EINVAL. On error (LTCP_ETIMEOUT, LTCP_ECLOSED at the end of the stream or
 *  after a reset, ...) the sink is empty and nothing was consumed. */
LTCP_API int ltcp_receive_any(ltcp_t *t, size_t max, const ltcp_sink_t *sink);

/** A matcher for ltcp_receive_until: a literal byte pattern (1 to LTCP_UNTIL_MAX bytes) and where
 *  the current record stands. Opaque: embed ltcp_until_sizeof(len) bytes (aligned like a pointer)
 *  and ltcp_until_init them, or ltcp_until_new / ltcp_until_free. Use one per stream. */
typedef struct ltcp_until ltcp_until_t;
#define LTCP_UNTIL_MAX (1u << 20) /* longest pattern */
#define LTCP_UNTIL_INCLUSIVE 1    /* flag: the pattern is returned as the record's last bytes */
/** Bytes for a matcher of a len-byte pattern; 0 when len is 0 or above LTCP_UNTIL_MAX. */
LTCP_API size_t ltcp_until_sizeof(size_t len);
/** The pattern is copied. LTCP_EINVAL: NULL, an empty or too long pattern, unknown flags. */
LTCP_API int ltcp_until_init(ltcp_until_t *u, const char *pattern, size_t len, int flags);
LTCP_API int ltcp_until_new(ltcp_until_t **out, const char *pattern, size_t len, int flags);
LTCP_API void ltcp_until_free(ltcp_until_t *u);

/** Receive up to the matcher's pattern (OpenResty's receiveuntil), for any split of the input
 *  across reads; the pattern is matched in linear time (KMP), never rescanned.
 *  size 0: the rest of the record (the data before the pattern, and with LTCP_UNTIL_INCLUSIVE the
 *  pattern too) goes to the sink, the pattern is consumed, and *end is 1.
 *  size > 0: the next piece of the record, 1 to `size` bytes, with *end 0; once the record's
 *  last piece is out, the next call puts nothing in the sink and sets *end to 1 (the pattern has
 *  been consumed), and the call after that starts the next record. A piece waits until it has
 *  `size` bytes or the record ends.
 *  Bytes that may begin the pattern stay in the object's buffer until they are known to be data
 *  or pattern, so other receive calls see them and nothing is lost. On error (LTCP_ETIMEOUT, ...)
 *  the sink holds this call's part of the record (held bytes stay buffered and come next); at
 *  the end of the stream (LTCP_ECLOSED) it holds everything left. */
LTCP_API int ltcp_receive_until(ltcp_t *t, ltcp_until_t *u, size_t size, const ltcp_sink_t *sink,
                                int *end);

/** Zero-copy fast path for LINE and COUNT receives without a prefix: when the whole result is
 *  already in the object's buffer (a line with its LF and no CR, or `count` bytes), *data points
 *  at it, *len is its length, and it counts as received; the bytes stay valid until the next call
 *  on the object. Otherwise *data is NULL and nothing changes: call ltcp_receive. Never waits. */
LTCP_API int ltcp_receive_buffered(ltcp_t *t, ltcp_pattern_t pattern, size_t count,
                                   const char **data, size_t *len);

/** The bytes already received into the object's buffer and not yet returned, as they came (CRs
 *  kept): *data points at them, *len counts them (NULL and 0 when none). Never waits, consumes
 *  nothing; valid until the next call on the object. With ltcp_skip, a C caller can parse in
 *  place (many lines per call) and fall back to ltcp_receive when the buffer holds no whole unit:
 *  that call refills it. */
LTCP_API int ltcp_peek(ltcp_t *t, const char **data, size_t *len);

/** Consume the first n bytes that ltcp_peek showed: they count as received. n larger than what
 *  is buffered: LTCP_EINVAL, nothing consumed. */
LTCP_API int ltcp_skip(ltcp_t *t, size_t n);

/** Fix the size in bytes of the object's receive buffer, 1 to 64 MiB. By default the size
 *  adapts: 16 KiB, doubled after every receive that filled the whole buffer (the kernel holds
 *  more) up to 256 KiB, and back to 16 KiB after one that came back under an eighth full. After
 *  this call the size stays as given. The buffer is allocated by the first receive and replaced
 *  at the new size the next time it runs empty, so a change never moves or drops buffered bytes;
 *  ltcp_close frees it. */
LTCP_API int ltcp_setbufsize(ltcp_t *t, size_t size);

/** The object's default cap of LINE and ALL receives: what ltcp_receive_max does with maxsize 0
 *  (0 = no cap, the default). The same rules apply, prefix included: past the cap a receive
 *  returns LTCP_ELIMIT ("oversized") with the cap's worth in the sink and the rest buffered; a
 *  prefix as long as the cap is LTCP_EINVAL. COUNT receives are not capped by it. */
LTCP_API int ltcp_setlimit(ltcp_t *t, size_t max_bytes);

LTCP_API int ltcp_shutdown(ltcp_t *t, ltcp_shutdown_t how);
LTCP_API int ltcp_getpeername(ltcp_t *t, ltcp_addr_t *addr);

/* ---- every state ---- */

LTCP_API int ltcp_getsockname(ltcp_t *t, ltcp_addr_t *addr);

/** 1 if received bytes are buffered in the object (a select would not see them), else 0. */
LTCP_API int ltcp_dirty(const ltcp_t *t);

/** The OS handle, or LTCP_INVALID_SOCKET. */
LTCP_API ltcp_os_sock_t ltcp_getfd(const ltcp_t *t);
/** Replace the OS handle; the old one is not closed and nothing else changes. */
LTCP_API int ltcp_setfd(ltcp_t *t, ltcp_os_sock_t sock);

/** Bytes received, bytes sent, age in seconds. */
LTCP_API int ltcp_getstats(const ltcp_t *t, double *received, double *sent, double *age);
LTCP_API int ltcp_setstats(ltcp_t *t, double received, double sent, double age);

/** mode LTCP_TIMEOUT_BLOCK ('b', each wait) or LTCP_TIMEOUT_TOTAL ('t', the whole call;
 *  LTCP_TIMEOUT_RETURN, 'r', is an alias, as in LuaSocket); value in seconds, negative = block
 *  forever. NaN or another mode gives LTCP_EINVAL; +infinity means forever. */
LTCP_API int ltcp_settimeout(ltcp_t *t, double value, ltcp_timeout_mode_t mode);
LTCP_API int ltcp_gettimeout(const ltcp_t *t, double *block, double *total);
/** One operation's block timeout (OpenResty's and Copas's settimeouts), in seconds, negative =
 *  forever, +infinity = forever, NaN: LTCP_EINVAL. It replaces the block timeout for waits of
 *  that kind; the total timeout ('t') still bounds the whole call. ltcp_gettimeout keeps
 *  reporting what ltcp_settimeout set. */
LTCP_API int ltcp_settimeout_op(ltcp_t *t, ltcp_timeout_op_t op, double value);
LTCP_API int ltcp_gettimeout_op(const ltcp_t *t, ltcp_timeout_op_t op, double *value);

/** Set or read an option. `value` is 0/1 for booleans, the count or seconds for tcp-keep* and the
 *  buffer sizes, and `on` for linger, whose seconds go in `linger` (NULL elsewhere). The object
 *  remembers what was set (a connect race gives it to every socket it makes): the first
 *  setoption of an object allocates that memory, so it may return LTCP_ENOMEM, and then the
 *  option is not applied either. */
LTCP_API int ltcp_setoption(ltcp_t *t, ltcp_option_t opt, int value, int linger);
LTCP_API int ltcp_getoption(ltcp_t *t, ltcp_option_t opt, int *value, int *linger);
/** Option id by LuaSocket name ("tcp-nodelay"), or LTCP_ENOTSUP for an unknown name. */
LTCP_API int ltcp_option_byname(const char *name);
LTCP_API const char *ltcp_option_name(ltcp_option_t opt);

/* ---- shortcuts ---- */

/** LuaSocket's socket.connect: a client connected to host:port, optionally bound first to
 *  localhost:localport (localhost NULL = no bind). family: UNSPEC, INET or INET6. */
LTCP_API int ltcp_connect_to(ltcp_t *t, const char *host, int port, const char *localhost,
                             int localport, ltcp_family_t family);
/** LuaSocket's socket.bind: a server on host:port ("*" = any IPv4), with reuseaddr on. */
LTCP_API int ltcp_bind_to(ltcp_t *t, const char *host, int port, int backlog);

/* ---- select ---- */

/** Wait until one of the entries is ready or `timeout` seconds pass (negative = forever). No
 *  descriptor limit. *nready counts entries with revents != 0. Nothing ready: LTCP_ETIMEOUT. A
 *  signal does not cut the wait short. Error conditions (reset, refused connect) are reported as
 *  ready for whatever the entry asked, so the next call on the socket reports the error. */
LTCP_API int ltcp_select(ltcp_pollfd_t *fds, size_t n, double timeout, size_t *nready);

/** ltcp_select where objs[i] (objs may be NULL, and so may any objs[i]) is the object behind
 *  fds[i]. For an object whose connect is racing several addresses (it returned LTCP_ETIMEOUT),
 *  LTCP_POLLOUT waits for the race: on every socket of it at once, starting its next attempts
 *  when they are due, and is reported once the race has ended (connected, or every attempt
 *  failed: then LTCP_POLLIN too if asked); the next ltcp_connect says which. Other entries are
 *  as in ltcp_select. LTCP_ENOMEM when the scratch space cannot be allocated. */
LTCP_API int ltcp_select_objects(ltcp_pollfd_t *fds, ltcp_t *const *objs, size_t n, double timeout,
                                 size_t *nready);

/* ---- names (the system resolver) ----
 * These ask the system resolver (the hosts file, DNS, ...) and block until it answers: no
 * timeout applies. On Windows call ltcp_init first. Resolver failures are LTCP_ENONAME (the name
 * or service is not known), LTCP_EAGAIN, LTCP_EFAIL, LTCP_EFAMILY, LTCP_ESERVICE, ... with
 * LuaSocket's words from ltcp_strerror. */

/** Room for any host name and for any service name, with the terminating NUL. */
#define LTCP_DNS_HOSTLEN 1025
#define LTCP_DNS_SERVLEN 32

/** A host entry as LuaSocket's dns.toip returns it (IPv4 only): the official name, its aliases
 *  and its addresses as dotted text, in the resolver's order. Every pointer points into the
 *  buffer given to ltcp_dns_gethostbyname. */
typedef struct ltcp_hostent {
  char *name;
  char **aliases; /* naliases entries, then NULL */
  char **addrs;   /* naddrs entries ("127.0.0.1"), then NULL */
  size_t naliases;
  size_t naddrs;
} ltcp_hostent_t;

/** getaddrinfo for stream sockets: the addresses of `host` (NULL = this machine's loopback
 *  addresses) with the port of `service` (a number or a name such as "http"; NULL = port 0),
 *  in resolver order. family UNSPEC gives both families. Writes at most `max` (>= 1) entries to
 *  `out`; *n says how many. A name with no address: LTCP_ENONAME. */
LTCP_API int ltcp_dns_getaddrinfo(const char *host, const char *service, ltcp_family_t family,
                                  ltcp_addr_t *out, size_t max, size_t *n);

/** Reverse lookup (getnameinfo) of a numeric address: the host name of addr->host (its numeric
 *  text when it has no name) into host[0..hostlen), and the service name of addr->port (the
 *  number when it has none) into service[0..servlen). Either buffer may be NULL, not both;
 *  LTCP_DNS_HOSTLEN / LTCP_DNS_SERVLEN bytes always suffice. */
LTCP_API int ltcp_dns_getnameinfo(const ltcp_addr_t *addr, char *host, size_t hostlen,
                                  char *service, size_t servlen);

/** The canonical name of `host` (getaddrinfo's AI_CANONNAME, either family) into
 *  name[0..len). A name that does not fit: LTCP_ENOBUFS. */
LTCP_API int ltcp_dns_canonname(const char *host, char *name, size_t len);

/** This machine's host name into name[0..len). A name that does not fit: LTCP_ENOBUFS. */
LTCP_API int ltcp_dns_gethostname(char *name, size_t len);

/** The host entry of `name`, from the calls LuaSocket's dns.toip uses: a dotted IPv4 address
 *  (any form inet_aton takes) by reverse lookup (gethostbyaddr), anything else by name
 *  (gethostbyname), the thread-safe variants where the system has them. So aliases and the
 *  hosts file's merging rules are those of the system. The strings and arrays are laid out in
 *  buf[0..len), which `h` then points into; too small a buffer gives LTCP_ENOBUFS (try again
 *  with a larger one: 4 KiB holds any usual entry). Not found: LTCP_ENONAME; an empty name:
 *  LTCP_EFAIL on every platform (glibc's answer; Winsock would give this machine's entry). */
LTCP_API int ltcp_dns_gethostbyname(const char *name, ltcp_hostent_t *h, char *buf, size_t len);

/* ---- byte strings for C callers ---- */

LTCP_API void ltcp_bytes_init(ltcp_bytes_t *b);
LTCP_API void ltcp_bytes_free(ltcp_bytes_t *b);
LTCP_API ltcp_sink_t ltcp_bytes_sink(ltcp_bytes_t *b);

#ifdef __cplusplus
}
#endif

#endif
