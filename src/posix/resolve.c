/* The resolver call POSIX systems spell differently from Winsock: the host-entry lookup behind
 * LuaSocket's dns.toip / dns.tohostname. LuaSocket uses gethostbyname / gethostbyaddr, whose
 * answer (the official name, every alias, every address, merged as /etc/host.conf says) differs
 * from getaddrinfo's; ltcp asks the same calls, in their thread-safe _r form where the system has
 * one (glibc, musl, FreeBSD), growing a private buffer until the entry fits.
 * Everything else about names is shared with Winsock, in src/berkeley/names.c. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* gethostbyname_r, gethostbyaddr_r, inet_aton, h_errno values */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "berkeley.h"

#if defined(__linux__) || defined(__GLIBC__) || defined(__FreeBSD__)
#define LTCP__HOSTENT_R 1
#endif

#define LTCP__HOSTBUF_FIRST 1024
#define LTCP__HOSTBUF_MAX (1u << 20)

int ltcp__host_lookup(const char *name, ltcp__hostent_fn take, void *ctx, int *native) {
  struct in_addr a;
  int numeric = inet_aton(name, &a) != 0;
#ifdef LTCP__HOSTENT_R
  struct hostent he, *res = NULL;
  size_t len = LTCP__HOSTBUF_FIRST;
  char *buf = NULL;
  int rc, herr = 0;
  for (;;) {
    char *nb = realloc(buf, len);
    if (!nb) {
      free(buf);
      return LTCP_ENOMEM;
    }
    buf = nb;
    rc = numeric ? gethostbyaddr_r(&a, sizeof a, AF_INET, &he, buf, len, &res, &herr)
                 : gethostbyname_r(name, &he, buf, len, &res, &herr);
    if (rc != ERANGE || len >= LTCP__HOSTBUF_MAX) break;
    len *= 2;
  }
  if (res) {
    rc = take(res, ctx);
  } else if (herr > 0) {
    rc = ltcp__h_code(herr, native); /* HOST_NOT_FOUND, TRY_AGAIN, NO_RECOVERY, NO_DATA */
  } else if (rc == 0 || rc == ENOENT) {
    rc = LTCP_ENONAME;
  } else {
    /* NETDB_INTERNAL: the call failed itself, and its error number says why (an entry larger
     * than LTCP__HOSTBUF_MAX is ERANGE: out of memory, as far as the caller is concerned). */
    if (native) *native = rc;
    rc = rc == ERANGE ? LTCP_ENOMEM : rc == EAGAIN ? LTCP_EAGAIN : ltcp__sys_translate(rc);
    if (rc == LTCP__EINTR || rc == LTCP__INPROGRESS || rc == LTCP__WOULDBLOCK) rc = LTCP_EUNKNOWN;
  }
  free(buf);
  return rc;
#else
  /* No reentrant variant here (macOS, OpenBSD): the static entry, as LuaSocket reads it. */
  struct hostent *res =
    numeric ? gethostbyaddr((const char *)&a, sizeof a, AF_INET) : gethostbyname(name);
  if (!res) return ltcp__h_code(h_errno, native);
  return take(res, ctx);
#endif
}
