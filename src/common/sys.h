/* The backend contract: every function a platform backend (src/posix or src/win32) provides,
 * declared once so the two cannot drift apart. Exactly one backend is compiled in.
 *
 * Rules for every function here:
 * - Single attempts: nothing here retries or loops; the one retry loop is io.c's. Results are 0,
 *   LTCP__WOULDBLOCK, LTCP__INPROGRESS, LTCP__EINTR, or a public LTCP_E* code.
 * - The native error (errno / WSAGetLastError) is translated exactly once, inside the backend, and
 *   stored in *native when non-NULL. Common code never sees errno or WSAE* values.
 * - No system headers leak out: addresses cross this boundary as ltcp__sockaddr_t. */
#ifndef LTCP_SYS_H
#define LTCP_SYS_H

#include "ltcp.h"

/* Internal codes: never returned by a public function. */
#define LTCP__WOULDBLOCK (-1001)
#define LTCP__INPROGRESS (-1002)
#define LTCP__EINTR (-1003)
/* The connection was reset or aborted. Public functions report it as LTCP_ECLOSED (LuaSocket's
 * word), but inside it differs from LTCP_ECLOSED, the orderly end of the stream: '*a' succeeds at
 * an orderly end, not after a reset. */
#define LTCP__ERESET (-1004)

/* An opaque socket address, big enough for struct sockaddr_storage. */
typedef struct ltcp__sockaddr {
  int family; /* LTCP_FAMILY_INET or LTCP_FAMILY_INET6 */
  unsigned len;
  union {
    unsigned char raw[128];
    double align_d;
    void *align_p;
    long long align_ll;
  } u;
} ltcp__sockaddr_t;

#define LTCP__MAXADDRS 16

/* ---- provided by common code to the backends (timeconv.c: pure arithmetic) ---- */
/* The longest single OS wait, in seconds (11.6 days: fits poll's int milliseconds, Sleep's
 * DWORD and every timeval/timespec); io.c resumes a longer wait with the time left. */
#define LTCP__WAIT_CAP 1e6
/* `seconds` in whole units of 1/per_second (1000: ms, 1000000: us, 1000000000: ns), rounded
 * up: -1 for negative (forever), 0 for zero or NaN, at least 1 for any positive time, at most
 * LTCP__WAIT_CAP seconds' worth. */
long long ltcp__wait_units(double seconds, long per_second);
/* The same as whole seconds plus the rest in units of 1/per_second (a timeval or timespec).
 * 0, or -1 (nothing stored) for forever. */
int ltcp__wait_split(double seconds, long per_second, long long *sec, long *frac);
/* 1 when a wait of `seconds` is longer than one OS wait (LTCP__WAIT_CAP): a backend that timed
 * out on such a wait reports it as back early (LTCP__EINTR), not as LTCP_ETIMEOUT. */
int ltcp__wait_capped(double seconds);

/* ---- library, time ---- */
int ltcp__sys_init(void);
void ltcp__sys_cleanup(void);
double ltcp__sys_monotonic(void); /* seconds, arbitrary origin, never goes back */
double ltcp__sys_walltime(void);  /* seconds since the Unix epoch */
/* One sleep of up to `seconds`; may return early (a signal, the backend's cap): io.c loops. */
void ltcp__sys_sleep(double seconds);
/* Map a native error value (errno / WSA code) to an LTCP_E* code. */
int ltcp__sys_translate(int native);

/* ---- sockets ---- */
/* A new non-blocking, close-on-exec, no-SIGPIPE stream socket of `family`. */
int ltcp__sys_socket(int family, ltcp_os_sock_t *out, int *native);
int ltcp__sys_close(ltcp_os_sock_t s);
int ltcp__sys_bind(ltcp_os_sock_t s, const ltcp__sockaddr_t *addr, int *native);
int ltcp__sys_listen(ltcp_os_sock_t s, int backlog, int *native);
/* The accepted socket is non-blocking, close-on-exec, no-SIGPIPE. */
int ltcp__sys_accept(ltcp_os_sock_t s, ltcp_os_sock_t *out, int *native);
/* 0 (connected), LTCP__INPROGRESS, or an error. */
int ltcp__sys_connect_start(ltcp_os_sock_t s, const ltcp__sockaddr_t *addr, int *native);
/* After the socket became writable (or showed an error): 0 or the connect error (SO_ERROR). */
int ltcp__sys_connect_finish(ltcp_os_sock_t s, int *native);
/* One send: 0 with *sent > 0, LTCP__WOULDBLOCK, LTCP__EINTR, or an error (a gone peer is
 * LTCP_ECLOSED). Lengths above the platform's limit are clamped; the caller loops. */
int ltcp__sys_send(ltcp_os_sock_t s, const char *data, size_t len, size_t *sent, int *native);
/* One recv: 0 with *got > 0, LTCP_ECLOSED at the end of the stream, LTCP__ERESET after a reset,
 * LTCP__WOULDBLOCK, LTCP__EINTR, or an error. */
int ltcp__sys_recv(ltcp_os_sock_t s, char *data, size_t len, size_t *got, int *native);
int ltcp__sys_shutdown(ltcp_os_sock_t s, int how, int *native);
int ltcp__sys_getsockname(ltcp_os_sock_t s, ltcp__sockaddr_t *addr, int *native);
int ltcp__sys_getpeername(ltcp_os_sock_t s, ltcp__sockaddr_t *addr, int *native);
/* Option values a backend must remember itself because the system cannot report them back
 * (Windows without TCP_KEEPIDLE tunes keepalive through the write-only SIO_KEEPALIVE_VALS). It
 * lives with the object's remembered options (core.h); all zero = nothing remembered; only the
 * backend reads it, and only for the socket `sock` it was filled for. */
typedef struct ltcp__optmem {
  ltcp_os_sock_t sock;
  int keepidle, keepintvl; /* seconds; 0 = nothing remembered */
} ltcp__optmem_t;

/* Options by id (ltcp_option_t). linger is used by LTCP_OPT_LINGER only. LTCP_OPT_ERROR reads
 * and clears SO_ERROR as a public LTCP_E* code (0: none). mem may be NULL (a socket with no
 * memory yet); a backend that needs no memory ignores it. */
int ltcp__sys_setopt(ltcp_os_sock_t s, int opt, int value, int linger, ltcp__optmem_t *mem,
                     int *native);
int ltcp__sys_getopt(ltcp_os_sock_t s, int opt, int *value, int *linger, ltcp__optmem_t *mem,
                     int *native);

/* The most sockets this process may hold open (see ltcp_maxsockets): > 0, <= INT_MAX. */
int ltcp__sys_maxsockets(void);

/* ---- waiting: single attempts too; io.c loops ---- */
/* Wait until `s` is ready for `events` (LTCP_POLLIN / LTCP_POLLOUT) or `seconds` pass (negative:
 * forever; rounded up, never early). 0 = ready (error conditions count as ready), LTCP_ETIMEOUT
 * = the whole time passed, LTCP__EINTR = back with nothing ready before the time asked (a
 * signal, a coarse timer, a wait cut at the backend's cap: the caller waits again with the time
 * left by its clock), or an error. */
int ltcp__sys_wait(ltcp_os_sock_t s, int events, double seconds, int *native);
/* One poll over many sockets, no descriptor limit: fills revents, *nready = entries ready.
 * 0 (with *nready == 0 when nothing became ready, whether or not the time passed: the caller
 * decides by its clock), LTCP__EINTR, or an error. Entries with nothing to wait for make it a
 * single sleep. */
int ltcp__sys_poll(ltcp_pollfd_t *fds, size_t n, double seconds, size_t *nready, int *native);

/* ---- names (src/berkeley: the calls both backends spell alike) ---- */
/* Flags of ltcp__sys_resolve. */
#define LTCP__RESOLVE_PASSIVE 1 /* host NULL = the wildcard address, for bind */
#define LTCP__RESOLVE_NUMERIC 2 /* host must be a numeric address: no name lookup */
/* getaddrinfo for a stream socket. family: LTCP_FAMILY_UNSPEC, _INET or _INET6. Fills up to
 * `max` addresses in resolver order; success means at least one (else LTCP_ENONAME). */
int ltcp__sys_resolve(const char *host, int port, int family, int flags, ltcp__sockaddr_t *out,
                      size_t max, size_t *n, int *native);
/* The same with a service name or number ("http", "80"; NULL = none) instead of a port. */
int ltcp__sys_resolve_service(const char *host, const char *service, int family,
                              ltcp__sockaddr_t *out, size_t max, size_t *n, int *native);
/* Numeric host text and port of an address. */
int ltcp__sys_addr_to_text(const ltcp__sockaddr_t *addr, ltcp_addr_t *out);
/* Reverse lookup (getnameinfo): the host name of addr (its numeric text when it has none) and
 * the service name of its port (the number when none). A NULL buffer is not asked for. */
int ltcp__sys_nameinfo(const ltcp__sockaddr_t *addr, char *host, size_t hostlen, char *serv,
                       size_t servlen, int *native);
/* The canonical name of host (getaddrinfo's AI_CANONNAME). LTCP_ENOBUFS when len is short. */
int ltcp__sys_canonname(const char *host, char *out, size_t len, int *native);
/* This machine's host name. LTCP_ENOBUFS when len is short. */
int ltcp__sys_hostname(char *out, size_t len, int *native);
/* The host entry of `name` as ltcp_dns_gethostbyname describes it, laid out in buf[0..len).
 * LTCP_ENOBUFS when len is too small for it. */
int ltcp__sys_hostent(const char *name, ltcp_hostent_t *h, char *buf, size_t len, int *native);

/* ---- process-wide settings, only on explicit request (ltcp_ignore_sigpipe) ---- */
/* Ignore SIGPIPE unless the program already ignores or handles it; no-op success where the
 * platform has no SIGPIPE. 0 or an error. */
int ltcp__sys_ignore_sigpipe(void);

#endif
