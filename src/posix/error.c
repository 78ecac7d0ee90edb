/* errno, resolver (EAI_*) and host-lookup (h_errno) values -> LTCP_E* codes. The only place
 * POSIX error numbers are interpreted; messages come from the common table, never from the
 * locale's strerror or gai_strerror. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* glibc declares EAI_ADDRFAMILY and EAI_NODATA only for GNU sources */
#endif
#include <errno.h>

#include "berkeley.h"

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
int ltcp__sock_fail(int *native) {
  int e = errno;
  if (native) *native = e;
  return ltcp__sys_translate(e);
}

int ltcp__gai_code(int rc, int *native) {
  if (native) *native = rc;
  switch (rc) {
  case EAI_AGAIN: return LTCP_EAGAIN;
  case EAI_FAIL: return LTCP_EFAIL;
  case EAI_FAMILY: return LTCP_EFAMILY;
  case EAI_MEMORY: return LTCP_ENOMEM;
  case EAI_NONAME: return LTCP_ENONAME;
#if defined(EAI_NODATA) && EAI_NODATA != EAI_NONAME
  case EAI_NODATA: return LTCP_ENONAME;
#endif
#ifdef EAI_ADDRFAMILY
  case EAI_ADDRFAMILY: return LTCP_EADDRFAMILY;
#endif
#ifdef EAI_OVERFLOW
  case EAI_OVERFLOW: return LTCP_ENOBUFS;
#endif
  case EAI_SERVICE: return LTCP_ESERVICE;
  case EAI_SYSTEM: return ltcp__sock_fail(native);
  default: return LTCP_EUNKNOWN;
  }
}

int ltcp__h_code(int h, int *native) {
  if (native) *native = h;
  switch (h) {
  case HOST_NOT_FOUND:
  case NO_DATA: return LTCP_ENONAME;
  case TRY_AGAIN: return LTCP_EAGAIN;
  case NO_RECOVERY: return LTCP_EFAIL;
  default: return LTCP_EUNKNOWN;
  }
}
