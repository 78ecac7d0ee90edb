/* ltcp error table: the single list of error codes and their messages.
 * Invariant: every code is negative and has the same value on every platform. Messages use
 * LuaSocket's words where LuaSocket has one, and fixed English text (glibc's wording, C locale)
 * otherwise, so scripts that compare strings behave the same everywhere. Append new codes at the
 * end: values are part of the ABI. */
#ifndef LTCP_ERRNO_H
#define LTCP_ERRNO_H

/* X(name, value, message) */
#define LTCP_ERRNO_MAP(X)                                                                          \
  X(TIMEOUT, -1, "timeout")                                                                        \
  X(CLOSED, -2, "closed")                                                                          \
  X(REFUSED, -3, "connection refused")                                                             \
  X(ADDRINUSE, -4, "address already in use")                                                       \
  X(ISCONN, -5, "already connected")                                                               \
  X(ACCESS, -6, "permission denied")                                                               \
  X(NONAME, -7, "host or service not provided, or not known")                                      \
  X(AGAIN, -8, "temporary failure in name resolution")                                             \
  X(FAIL, -9, "non-recoverable failure in name resolution")                                        \
  X(FAMILY, -10, "ai_family not supported")                                                        \
  X(SERVICE, -11, "service not supported for socket type")                                         \
  X(NOMEM, -12, "memory allocation failure")                                                       \
  X(ADDRNOTAVAIL, -13, "Cannot assign requested address")                                          \
  X(AFNOSUPPORT, -14, "Address family not supported by protocol")                                  \
  X(NETUNREACH, -15, "Network is unreachable")                                                     \
  X(HOSTUNREACH, -16, "No route to host")                                                          \
  X(INVAL, -17, "Invalid argument")                                                                \
  X(MFILE, -18, "Too many open files")                                                             \
  X(NFILE, -19, "Too many open files in system")                                                   \
  X(NOBUFS, -20, "No buffer space available")                                                      \
  X(NOTCONN, -21, "Transport endpoint is not connected")                                           \
  X(BADF, -22, "Bad file descriptor")                                                              \
  X(ALREADY, -23, "Operation already in progress")                                                 \
  X(NOTSUP, -24, "not supported")                                                                  \
  X(STATE, -25, "operation not allowed in this state")                                             \
  X(PERM, -26, "Operation not permitted")                                                          \
  X(NETDOWN, -27, "Network is down")                                                               \
  X(PROTO, -28, "Protocol error")                                                                  \
  X(LIMIT, -29, "oversized")                                                                       \
  X(NOTINIT, -30, "socket library not initialized")                                                \
  X(UNKNOWN, -31, "unknown error")                                                                 \
  X(ADDRFAMILY, -32, "Address family for hostname not supported")

/* LTCP_OK comes last only so that the list ends without a trailing comma (C89/C++98 headers). */
#define LTCP__ERRNO_ENUM(name, value, msg) LTCP_E##name = value,
enum ltcp_errno { LTCP_ERRNO_MAP(LTCP__ERRNO_ENUM) LTCP_OK = 0 };
#undef LTCP__ERRNO_ENUM

#endif
