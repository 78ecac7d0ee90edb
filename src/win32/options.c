/* Socket options by id (ltcp_option_t) -> Winsock level/name. An option Windows (or the headers
 * this was built with) lacks returns LTCP_ENOTSUP, as the common table promises.
 * Booleans read back as 0/1: Winsock may write fewer bytes than an int (Wine writes one byte for
 * TCP_NODELAY), so every value is zeroed before getsockopt and normalised after. */
#include "win32.h"

enum { KIND_BOOL, KIND_INT, KIND_LINGER };

static int option_of(int opt, int *level, int *name, int *kind) {
  *kind = KIND_BOOL;
  switch (opt) {
  case LTCP_OPT_KEEPALIVE: *level = SOL_SOCKET; *name = SO_KEEPALIVE; return 0;
  case LTCP_OPT_LINGER: *level = SOL_SOCKET; *name = SO_LINGER; *kind = KIND_LINGER; return 0;
  case LTCP_OPT_REUSEADDR: *level = SOL_SOCKET; *name = SO_REUSEADDR; return 0;
  case LTCP_OPT_TCP_NODELAY: *level = IPPROTO_TCP; *name = TCP_NODELAY; return 0;
  case LTCP_OPT_IPV6_V6ONLY: *level = IPPROTO_IPV6; *name = IPV6_V6ONLY; return 0;
  case LTCP_OPT_RECV_BUFFER_SIZE: *level = SOL_SOCKET; *name = SO_RCVBUF; break;
  case LTCP_OPT_SEND_BUFFER_SIZE: *level = SOL_SOCKET; *name = SO_SNDBUF; break;
  /* Per-socket keepalive tuning (seconds / probe count) is Windows 10 1709+ and only in newer
   * SDK headers; older systems answer WSAENOPROTOOPT, which is LTCP_ENOTSUP too. */
#ifdef TCP_KEEPIDLE
  case LTCP_OPT_TCP_KEEPIDLE: *level = IPPROTO_TCP; *name = TCP_KEEPIDLE; break;
#endif
#ifdef TCP_KEEPCNT
  case LTCP_OPT_TCP_KEEPCNT: *level = IPPROTO_TCP; *name = TCP_KEEPCNT; break;
#endif
#ifdef TCP_KEEPINTVL
  case LTCP_OPT_TCP_KEEPINTVL: *level = IPPROTO_TCP; *name = TCP_KEEPINTVL; break;
#endif
  case LTCP_OPT_ERROR: *level = SOL_SOCKET; *name = SO_ERROR; break;
  case LTCP_OPT_REUSEPORT: /* Windows has no SO_REUSEPORT */
  /* Linux-only: Windows' TCP_FASTOPEN is a client-side boolean with other semantics, and it has
   * no TCP_DEFER_ACCEPT or TCP_FASTOPEN_CONNECT. */
  case LTCP_OPT_TCP_DEFER_ACCEPT:
  case LTCP_OPT_TCP_FASTOPEN:
  case LTCP_OPT_TCP_FASTOPEN_CONNECT:
  default: return LTCP_ENOTSUP;
  }
  *kind = KIND_INT; /* the cases that break out take a count or a size */
  return 0;
}

int ltcp__sys_setopt(ltcp_os_sock_t s, int opt, int value, int linger, int *native) {
  int level, name, kind, rc = option_of(opt, &level, &name, &kind);
  if (rc) return rc;
  if (opt == LTCP_OPT_ERROR) return LTCP_ENOTSUP;
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
  return rc == 0 ? 0 : ltcp__sock_fail(native);
}

int ltcp__sys_getopt(ltcp_os_sock_t s, int opt, int *value, int *linger, int *native) {
  int level, name, kind, rc = option_of(opt, &level, &name, &kind);
  if (rc) return rc;
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
