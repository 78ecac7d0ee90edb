/* The backend contract: every function a platform backend (src/posix or src/win32) provides,
 * declared once so the two cannot drift apart. Exactly one backend is compiled in.
 *
 * Rules for every function here:
 * - Single attempts: nothing retries or waits unless it says so. Results are 0, LTCP__WOULDBLOCK,
 *   LTCP__INPROGRESS, LTCP__EINTR, or a public LTCP_E* code.
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

/* ---- library, time ---- */
int ltcp__sys_init(void);
void ltcp__sys_cleanup(void);
double ltcp__sys_monotonic(void); /* seconds, arbitrary origin, never goes back */
double ltcp__sys_walltime(void);  /* seconds since the Unix epoch */
/* Sleep up to `seconds`; may return early on a signal (the caller loops on the monotonic clock). */
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
 * lives in the ltcp object; all zero = nothing remembered; only the backend reads it, and only
 * for the socket `sock` it was filled for. */
typedef struct ltcp__optmem {
  ltcp_os_sock_t sock;
  int keepidle, keepintvl; /* seconds; 0 = nothing remembered */
} ltcp__optmem_t;

/* Options by id (ltcp_option_t). linger is used by LTCP_OPT_LINGER only. mem may be NULL (a
 * socket that has no object yet); a backend that needs no memory ignores it. */
int ltcp__sys_setopt(ltcp_os_sock_t s, int opt, int value, int linger, ltcp__optmem_t *mem,
                     int *native);
int ltcp__sys_getopt(ltcp_os_sock_t s, int opt, int *value, int *linger, ltcp__optmem_t *mem,
                     int *native);

/* ---- waiting ---- */
/* Wait until `s` is ready for `events` (LTCP_POLLIN / LTCP_POLLOUT) or `seconds` pass (negative:
 * forever; the backend rounds up, so it never returns early). 0 = ready (error conditions count
 * as ready), LTCP_ETIMEOUT, LTCP__EINTR (the caller recomputes the time left), or an error. */
int ltcp__sys_wait(ltcp_os_sock_t s, int events, double seconds, int *native);
/* poll over many sockets, no descriptor limit: fills revents, *nready = entries ready.
 * 0, LTCP__EINTR or an error; a timeout is 0 with *nready == 0. */
int ltcp__sys_poll(ltcp_pollfd_t *fds, size_t n, double seconds, size_t *nready, int *native);

/* ---- names ---- */
/* getaddrinfo for a stream socket. host NULL with passive = the wildcard address. family:
 * LTCP_FAMILY_UNSPEC, _INET or _INET6. Fills up to `max` addresses in resolver order. */
int ltcp__sys_resolve(const char *host, int port, int family, int passive, ltcp__sockaddr_t *out,
                      size_t max, size_t *n, int *native);
/* Numeric host text and port of an address. */
int ltcp__sys_addr_to_text(const ltcp__sockaddr_t *addr, ltcp_addr_t *out);

#endif
