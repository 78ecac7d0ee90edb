/* WSAGetLastError() codes -> LTCP_E* codes: the only place Winsock error numbers are interpreted.
 * The table gives the same LTCP code as the POSIX backend for the matching errno; messages come
 * from the common table, never from FormatMessage (whose text depends on the system language).
 * Winsock's getaddrinfo errors (EAI_* are WSA codes there) and its host-lookup errors share this
 * table, except the few that mean something else for the resolver (ltcp__gai_code). */
#include "berkeley.h"

int ltcp__sys_translate(int e) {
  switch (e) {
  case 0: return 0;
  case WSAEWOULDBLOCK: return LTCP__WOULDBLOCK;
  case WSAEINPROGRESS: return LTCP__INPROGRESS;
  case WSAEINTR: return LTCP__EINTR;
  case WSAETIMEDOUT: return LTCP_ETIMEOUT;
  case WSAECONNRESET:
  case WSAECONNABORTED:
  case WSAENETRESET: return LTCP__ERESET;
  case WSAESHUTDOWN:
  case WSAEDISCON: return LTCP_ECLOSED;
  case WSAECONNREFUSED: return LTCP_EREFUSED;
  case WSAEADDRINUSE: return LTCP_EADDRINUSE;
  case WSAEISCONN: return LTCP_EISCONN;
  case WSAEACCES: return LTCP_EACCESS;
  case WSAHOST_NOT_FOUND:
  case WSANO_DATA: return LTCP_ENONAME;
  case WSATRY_AGAIN: return LTCP_EAGAIN;
  case WSANO_RECOVERY: return LTCP_EFAIL;
  case WSATYPE_NOT_FOUND: return LTCP_ESERVICE;
  case WSA_NOT_ENOUGH_MEMORY: return LTCP_ENOMEM;
  case WSAEADDRNOTAVAIL: return LTCP_EADDRNOTAVAIL;
  case WSAEAFNOSUPPORT:
  case WSAEPFNOSUPPORT: return LTCP_EAFNOSUPPORT;
  case WSAENETUNREACH: return LTCP_ENETUNREACH;
  case WSAEHOSTUNREACH:
  case WSAEHOSTDOWN: return LTCP_EHOSTUNREACH;
  case WSAEINVAL:
  case WSAEFAULT: return LTCP_EINVAL;
  case WSAEMFILE: return LTCP_EMFILE;
  case WSAENOBUFS: return LTCP_ENOBUFS;
  case WSAENOTCONN: return LTCP_ENOTCONN;
  case WSAENOTSOCK:
  case WSAEBADF:
  case WSA_INVALID_HANDLE: return LTCP_EBADF;
  case WSAEALREADY: return LTCP_EALREADY;
  case WSAENOPROTOOPT:
  case WSAEOPNOTSUPP:
  case WSAEPROTONOSUPPORT:
  case WSAESOCKTNOSUPPORT:
  case WSAVERNOTSUPPORTED: return LTCP_ENOTSUP;
  case WSANOTINITIALISED: return LTCP_ENOTINIT;
  case WSAENETDOWN:
  case WSASYSNOTREADY: return LTCP_ENETDOWN;
  default: return LTCP_EUNKNOWN;
  }
}

int ltcp__win32_code(int err, int *native) {
  if (native) *native = err;
  return ltcp__sys_translate(err);
}

int ltcp__sock_fail(int *native) {
  return ltcp__win32_code(WSAGetLastError(), native);
}

/* The resolver's EAI_* values are WSA codes: most translate through the table above; the ones
 * whose meaning differs for the resolver (family, bad flags) give the same LuaSocket words as
 * the POSIX backend. */
int ltcp__gai_code(int rc, int *native) {
  if (native) *native = rc;
  switch (rc) {
  case EAI_FAMILY: return LTCP_EFAMILY;   /* WSAEAFNOSUPPORT */
  case EAI_SERVICE: return LTCP_ESERVICE; /* WSATYPE_NOT_FOUND */
  case EAI_MEMORY: return LTCP_ENOMEM;    /* WSA_NOT_ENOUGH_MEMORY */
  case EAI_NONAME: return LTCP_ENONAME;   /* WSAHOST_NOT_FOUND */
  default: return ltcp__sys_translate(rc);
  }
}
