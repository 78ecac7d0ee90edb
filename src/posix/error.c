/* errno -> LTCP_E* codes. The only place POSIX error numbers are interpreted; messages come from
 * the common table, never from the locale's strerror. */
#include <errno.h>

#include "posix.h"

int ltcp__sys_translate(int e) {
  switch (e) {
  case 0: return 0;
#if defined(EWOULDBLOCK) && EWOULDBLOCK != EAGAIN
  case EWOULDBLOCK:
#endif
  case EAGAIN: return LTCP__WOULDBLOCK;
  case EINPROGRESS: return LTCP__INPROGRESS;
  case EINTR: return LTCP__EINTR;
  case ETIMEDOUT: return LTCP_ETIMEOUT;
  case ECONNRESET:
  case ECONNABORTED: return LTCP__ERESET;
  case EPIPE: return LTCP_ECLOSED;
  case ECONNREFUSED: return LTCP_EREFUSED;
  case EADDRINUSE: return LTCP_EADDRINUSE;
  case EISCONN: return LTCP_EISCONN;
  case EACCES: return LTCP_EACCESS;
  case EADDRNOTAVAIL: return LTCP_EADDRNOTAVAIL;
  case EAFNOSUPPORT: return LTCP_EAFNOSUPPORT;
  case ENETUNREACH: return LTCP_ENETUNREACH;
  case EHOSTUNREACH: return LTCP_EHOSTUNREACH;
  case EINVAL: return LTCP_EINVAL;
  case EMFILE: return LTCP_EMFILE;
  case ENFILE: return LTCP_ENFILE;
  case ENOBUFS: return LTCP_ENOBUFS;
  case ENOMEM: return LTCP_ENOMEM;
  case ENOTCONN: return LTCP_ENOTCONN;
  case EBADF:
  case ENOTSOCK: return LTCP_EBADF;
  case EALREADY: return LTCP_EALREADY;
  case ENOPROTOOPT:
#if defined(EOPNOTSUPP)
  case EOPNOTSUPP:
#endif
  case EPROTONOSUPPORT: return LTCP_ENOTSUP;
  case EPERM: return LTCP_EPERM;
  case ENETDOWN: return LTCP_ENETDOWN;
  case EPROTO: return LTCP_EPROTO;
  default: return LTCP_EUNKNOWN;
  }
}

/* Translate the current errno and record it. */
int ltcp__posix_fail(int *native) {
  int e = errno;
  if (native) *native = e;
  return ltcp__sys_translate(e);
}
