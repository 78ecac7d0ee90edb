/* Socket options by id: the POSIX level/name for each, LTCP_ENOTSUP where this system lacks one
 * (the feature #ifdefs live here and nowhere else). "error" is SO_ERROR, read-only. Every value
 * reads back from the kernel, so the option memory of sys.h is not needed here.
 * Keepalive tuning: Linux, FreeBSD, NetBSD and DragonFly name it TCP_KEEPIDLE,
 * TCP_KEEPINTVL, TCP_KEEPCNT; macOS names the idle time TCP_KEEPALIVE (and has the other two
 * since 10.8); OpenBSD has only system-wide sysctls, so there all three are "not supported". The
 * BSD and macOS names are hidden under _POSIX_C_SOURCE: CMakeLists.txt asks for them back
 * (_DARWIN_C_SOURCE, __BSD_VISIBLE, _NETBSD_SOURCE). */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1 /* glibc hides SO_REUSEPORT under strict C99/POSIX */
#endif
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include "posix.h"

static int lookup(int opt, int *level, int *name) {
  switch (opt) {
  case LTCP_OPT_KEEPALIVE:
    *level = SOL_SOCKET;
    *name = SO_KEEPALIVE;
    return 0;
  case LTCP_OPT_LINGER:
    *level = SOL_SOCKET;
    *name = SO_LINGER;
    return 0;
  case LTCP_OPT_REUSEADDR:
    *level = SOL_SOCKET;
    *name = SO_REUSEADDR;
    return 0;
#ifdef SO_REUSEPORT
  case LTCP_OPT_REUSEPORT:
    *level = SOL_SOCKET;
    *name = SO_REUSEPORT;
    return 0;
#endif
  case LTCP_OPT_TCP_NODELAY:
    *level = IPPROTO_TCP;
    *name = TCP_NODELAY;
    return 0;
#ifdef TCP_KEEPIDLE
  case LTCP_OPT_TCP_KEEPIDLE:
    *level = IPPROTO_TCP;
    *name = TCP_KEEPIDLE;
    return 0;
#elif defined(TCP_KEEPALIVE)
  case LTCP_OPT_TCP_KEEPIDLE:
    *level = IPPROTO_TCP;
    *name = TCP_KEEPALIVE;
    return 0;
#endif
#ifdef TCP_KEEPCNT
  case LTCP_OPT_TCP_KEEPCNT:
    *level = IPPROTO_TCP;
    *name = TCP_KEEPCNT;
    return 0;
#endif
#ifdef TCP_KEEPINTVL
  case LTCP_OPT_TCP_KEEPINTVL:
    *level = IPPROTO_TCP;
    *name = TCP_KEEPINTVL;
    return 0;
#endif
  case LTCP_OPT_IPV6_V6ONLY:
    *level = IPPROTO_IPV6;
    *name = IPV6_V6ONLY;
    return 0;
  case LTCP_OPT_RECV_BUFFER_SIZE:
    *level = SOL_SOCKET;
    *name = SO_RCVBUF;
    return 0;
  case LTCP_OPT_SEND_BUFFER_SIZE:
    *level = SOL_SOCKET;
    *name = SO_SNDBUF;
    return 0;
#ifdef TCP_DEFER_ACCEPT
  case LTCP_OPT_TCP_DEFER_ACCEPT:
    *level = IPPROTO_TCP;
    *name = TCP_DEFER_ACCEPT;
    return 0;
#endif
#if defined(TCP_FASTOPEN) && defined(__linux__) /* macOS has a boolean of the same name */
  case LTCP_OPT_TCP_FASTOPEN:
    *level = IPPROTO_TCP;
    *name = TCP_FASTOPEN;
    return 0;
#endif
#ifdef TCP_FASTOPEN_CONNECT
  case LTCP_OPT_TCP_FASTOPEN_CONNECT:
    *level = IPPROTO_TCP;
    *name = TCP_FASTOPEN_CONNECT;
    return 0;
#endif
  case LTCP_OPT_ERROR:
    *level = SOL_SOCKET;
    *name = SO_ERROR;
    return 0;
  default: return LTCP_ENOTSUP;
  }
}

int ltcp__sys_setopt(ltcp_os_sock_t s, int opt, int value, int linger, ltcp__optmem_t *mem,
                     int *native) {
  int level, name, rc = lookup(opt, &level, &name);
  (void)mem;
  if (rc) return rc;
  if (opt == LTCP_OPT_ERROR) return LTCP_ENOTSUP;
  if (opt == LTCP_OPT_LINGER) {
    struct linger li;
    li.l_onoff = value != 0;
    li.l_linger = linger;
    rc = setsockopt(s, level, name, &li, sizeof li);
  } else {
    rc = setsockopt(s, level, name, &value, sizeof value);
  }
  return rc == 0 ? 0 : ltcp__sock_fail(native);
}

int ltcp__sys_getopt(ltcp_os_sock_t s, int opt, int *value, int *linger, ltcp__optmem_t *mem,
                     int *native) {
  int level, name, rc = lookup(opt, &level, &name);
  (void)mem;
  if (rc) return rc;
  if (opt == LTCP_OPT_LINGER) {
    struct linger li;
    socklen_t len = sizeof li;
    memset(&li, 0, sizeof li);
    if (getsockopt(s, level, name, &li, &len) < 0) return ltcp__sock_fail(native);
    *value = li.l_onoff != 0;
    *linger = li.l_linger;
    return 0;
  } else {
    int v = 0;
    socklen_t len = sizeof v;
    if (getsockopt(s, level, name, &v, &len) < 0) return ltcp__sock_fail(native);
    /* Booleans read back as 0/1 whatever non-zero value the kernel keeps. */
    if (opt == LTCP_OPT_KEEPALIVE || opt == LTCP_OPT_REUSEADDR || opt == LTCP_OPT_REUSEPORT ||
        opt == LTCP_OPT_TCP_NODELAY || opt == LTCP_OPT_IPV6_V6ONLY ||
        opt == LTCP_OPT_TCP_FASTOPEN_CONNECT)
      v = v != 0;
    if (opt == LTCP_OPT_ERROR) v = ltcp__sys_translate(v); /* the errno it holds */
    *value = v;
    return 0;
  }
}
