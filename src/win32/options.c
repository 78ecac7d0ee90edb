/* Socket options by id (ltcp_option_t) -> Winsock level/name. An option Windows lacks returns
 * LTCP_ENOTSUP, as the common table promises.
 * Booleans read back as 0/1: Winsock may write fewer bytes than an int (Wine writes one byte for
 * TCP_NODELAY and SO_KEEPALIVE), so every value is zeroed before getsockopt and normalised after.
 *
 * Keepalive tuning (tcp-keepidle, tcp-keepintvl: seconds; tcp-keepcnt: probes) uses the
 * IPPROTO_TCP options where the system has them (TCP_KEEPCNT since Windows 10 1703, the other two
 * since 1709). Older systems, and Wine 8, answer WSAENOPROTOOPT; then idle and interval go
 * through SIO_KEEPALIVE_VALS, which sets both at once and cannot be read back, so the values are
 * remembered in the object's option memory (sys.h):
 * - setting one sends the other as remembered, or at Windows' documented default (7200 s idle,
 *   1 s interval) before either was set;
 * - SIO_KEEPALIVE_VALS also switches keepalive on or off, so it is sent only while keepalive is
 *   on, with the state it has; turning keepalive on sends the remembered values again;
 * - getoption reads the remembered values back; before either was set it says "not supported"
 *   (the system's own default lives in the registry, not in the socket);
 * - the probe count has no fallback (Windows before 1703 always sends 10): "not supported". */
#include "win32.h"

#include <mstcpip.h> /* SIO_KEEPALIVE_VALS, struct tcp_keepalive */

/* ws2ipdef.h of newer SDKs has these; MinGW-w64 10's headers do not. The values are Windows'
 * documented constants, so a build with old headers still uses them on a system that has them. */
#ifndef TCP_KEEPIDLE
#define TCP_KEEPIDLE 3 /* also named TCP_KEEPALIVE */
#endif
#ifndef TCP_KEEPCNT
#define TCP_KEEPCNT 16
#endif
#ifndef TCP_KEEPINTVL
#define TCP_KEEPINTVL 17
#endif

#define KEEP_DEFAULT_IDLE 7200   /* seconds: Windows' KeepAliveTime default */
#define KEEP_DEFAULT_INTVL 1     /* seconds: Windows' KeepAliveInterval default */
#define KEEP_MAX_SECONDS 4294967 /* SIO_KEEPALIVE_VALS takes milliseconds in a ULONG */
#define KEEP_MAX_COUNT 255       /* TCP_KEEPCNT's documented maximum */

enum { KIND_BOOL, KIND_INT, KIND_LINGER, KIND_KEEP };

static int option_of(int opt, int *level, int *name, int *kind) {
  *kind = KIND_BOOL;
  switch (opt) {
  case LTCP_OPT_KEEPALIVE:
    *level = SOL_SOCKET;
    *name = SO_KEEPALIVE;
    return 0;
  case LTCP_OPT_LINGER:
    *level = SOL_SOCKET;
    *name = SO_LINGER;
    *kind = KIND_LINGER;
    return 0;
  case LTCP_OPT_REUSEADDR:
    *level = SOL_SOCKET;
    *name = SO_REUSEADDR;
    return 0;
  case LTCP_OPT_TCP_NODELAY:
    *level = IPPROTO_TCP;
    *name = TCP_NODELAY;
    return 0;
  case LTCP_OPT_IPV6_V6ONLY:
    *level = IPPROTO_IPV6;
    *name = IPV6_V6ONLY;
    return 0;
  case LTCP_OPT_RECV_BUFFER_SIZE:
    *level = SOL_SOCKET;
    *name = SO_RCVBUF;
    break;
  case LTCP_OPT_SEND_BUFFER_SIZE:
    *level = SOL_SOCKET;
    *name = SO_SNDBUF;
    break;
  case LTCP_OPT_TCP_KEEPIDLE:
    *level = IPPROTO_TCP;
    *name = TCP_KEEPIDLE;
    break;
  case LTCP_OPT_TCP_KEEPCNT:
    *level = IPPROTO_TCP;
    *name = TCP_KEEPCNT;
    break;
  case LTCP_OPT_TCP_KEEPINTVL:
    *level = IPPROTO_TCP;
    *name = TCP_KEEPINTVL;
    break;
  case LTCP_OPT_ERROR:
    *level = SOL_SOCKET;
    *name = SO_ERROR;
    break;
  case LTCP_OPT_REUSEPORT: /* Windows has no SO_REUSEPORT */
  /* Linux-only: Windows' TCP_FASTOPEN is a client-side boolean with other semantics, and it has
   * no TCP_DEFER_ACCEPT or TCP_FASTOPEN_CONNECT. */
  case LTCP_OPT_TCP_DEFER_ACCEPT:
  case LTCP_OPT_TCP_FASTOPEN:
  case LTCP_OPT_TCP_FASTOPEN_CONNECT:
  default: return LTCP_ENOTSUP;
  }
  /* The cases that break out take an int: a buffer size, or keepalive tuning (IPPROTO_TCP). */
  *kind = *level == IPPROTO_TCP ? KIND_KEEP : KIND_INT;
  return 0;
}

/* The memory holds values for s (see the file comment). */
static int remembered(const ltcp__optmem_t *mem, SOCKET s) {
  return mem && mem->keepidle > 0 && (SOCKET)mem->sock == s;
}

/* SIO_KEEPALIVE_VALS: keepalive on or off, idle time and probe interval in seconds. Internal
 * rather than static so the Windows tests can drive the fallback on systems that have
 * TCP_KEEPIDLE too. */
int ltcp__win32_keepalive_vals(SOCKET s, int on, int idle, int intvl, int *native);
int ltcp__win32_keepalive_vals(SOCKET s, int on, int idle, int intvl, int *native) {
  struct tcp_keepalive ka;
  DWORD got = 0;
  if (idle < 1 || idle > KEEP_MAX_SECONDS || intvl < 1 || intvl > KEEP_MAX_SECONDS)
    return LTCP_EINVAL;
  ka.onoff = on ? 1u : 0u;
  ka.keepalivetime = (ULONG)idle * 1000u;
  ka.keepaliveinterval = (ULONG)intvl * 1000u;
  if (WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, (DWORD)sizeof ka, NULL, 0, &got, NULL, NULL) != 0)
    return ltcp__sock_fail(native);
  return 0;
}

static int keepalive_is_on(SOCKET s, int *on, int *native) {
  int v = 0, len = (int)sizeof v;
  if (getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&v, &len) != 0)
    return ltcp__sock_fail(native);
  *on = v != 0; /* v was zeroed: Wine fills one byte */
  return 0;
}

/* tcp-keepidle / tcp-keepintvl without the TCP options: remember, and send while keepalive is
 * on. The memory changes only when the system took the values (or will when keepalive is on). */
static int keep_fallback(SOCKET s, int opt, int value, ltcp__optmem_t *mem, int *native) {
  int idle, intvl, on = 0, rc;
  if (!remembered(mem, s)) {
    mem->sock = (ltcp_os_sock_t)s;
    mem->keepidle = mem->keepintvl = 0;
  }
  idle = opt == LTCP_OPT_TCP_KEEPIDLE ? value : mem->keepidle ? mem->keepidle : KEEP_DEFAULT_IDLE;
  intvl = opt == LTCP_OPT_TCP_KEEPINTVL ? value
          : mem->keepintvl              ? mem->keepintvl
                                        : KEEP_DEFAULT_INTVL;
  if ((rc = keepalive_is_on(s, &on, native)) != 0) return rc;
  if (on && (rc = ltcp__win32_keepalive_vals(s, 1, idle, intvl, native)) != 0) return rc;
  mem->keepidle = idle;
  mem->keepintvl = intvl;
  return 0;
}

static int set_keep(SOCKET s, int opt, int name, int value, ltcp__optmem_t *mem, int *native) {
  int err;
  if (value < 1 || value > (opt == LTCP_OPT_TCP_KEEPCNT ? KEEP_MAX_COUNT : KEEP_MAX_SECONDS))
    return LTCP_EINVAL;
  if (setsockopt(s, IPPROTO_TCP, name, (const char *)&value, (int)sizeof value) == 0) return 0;
  err = WSAGetLastError();
  if (err != WSAENOPROTOOPT || opt == LTCP_OPT_TCP_KEEPCNT || !mem)
    return ltcp__win32_code(err, native);
  return keep_fallback(s, opt, value, mem, native);
}

static int get_keep(SOCKET s, int opt, int name, int *value, const ltcp__optmem_t *mem,
                    int *native) {
  int v = 0, len = (int)sizeof v, err;
  if (getsockopt(s, IPPROTO_TCP, name, (char *)&v, &len) == 0) {
    *value = v;
    return 0;
  }
  err = WSAGetLastError();
  if (err == WSAENOPROTOOPT && opt != LTCP_OPT_TCP_KEEPCNT && remembered(mem, s)) {
    *value = opt == LTCP_OPT_TCP_KEEPIDLE ? mem->keepidle : mem->keepintvl;
    return 0;
  }
  return ltcp__win32_code(err, native);
}

int ltcp__sys_setopt(ltcp_os_sock_t s, int opt, int value, int linger, ltcp__optmem_t *mem,
                     int *native) {
  int level, name, kind, rc = option_of(opt, &level, &name, &kind);
  if (rc) return rc;
  if (opt == LTCP_OPT_ERROR) return LTCP_ENOTSUP;
  if (kind == KIND_KEEP) return set_keep((SOCKET)s, opt, name, value, mem, native);
  if (kind == KIND_LINGER) {
    struct linger li;
    if (linger < 0 || linger > 65535) return LTCP_EINVAL; /* l_linger is a u_short */
    li.l_onoff = (u_short)(value != 0);
    li.l_linger = (u_short)linger;
    rc = setsockopt((SOCKET)s, level, name, (const char *)&li, (int)sizeof li);
  } else {
    int v = kind == KIND_BOOL ? (value != 0) : value;
    rc = setsockopt((SOCKET)s, level, name, (const char *)&v, (int)sizeof v);
  }
  if (rc != 0) return ltcp__sock_fail(native);
  /* Keepalive switched on: the remembered tuning applies from now on. */
  if (opt == LTCP_OPT_KEEPALIVE && value && remembered(mem, (SOCKET)s))
    return ltcp__win32_keepalive_vals((SOCKET)s, 1, mem->keepidle, mem->keepintvl, native);
  return 0;
}

int ltcp__sys_getopt(ltcp_os_sock_t s, int opt, int *value, int *linger, ltcp__optmem_t *mem,
                     int *native) {
  int level, name, kind, rc = option_of(opt, &level, &name, &kind);
  if (rc) return rc;
  if (kind == KIND_KEEP) return get_keep((SOCKET)s, opt, name, value, mem, native);
  if (kind == KIND_LINGER) {
    struct linger li;
    int len = (int)sizeof li;
    li.l_onoff = 0;
    li.l_linger = 0;
    if (getsockopt((SOCKET)s, level, name, (char *)&li, &len) != 0) return ltcp__sock_fail(native);
    *value = li.l_onoff != 0;
    if (linger) *linger = li.l_linger;
  } else {
    int v = 0;
    int len = (int)sizeof v;
    if (getsockopt((SOCKET)s, level, name, (char *)&v, &len) != 0) return ltcp__sock_fail(native);
    *value = kind == KIND_BOOL ? (v != 0) : v;
    if (opt == LTCP_OPT_ERROR) *value = ltcp__sys_translate(v); /* the WSA code it holds */
  }
  return 0;
}
