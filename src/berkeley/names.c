/* Names and addresses over the Berkeley sockets calls, once for both backends: getaddrinfo
 * results copied into ltcp__sockaddr_t, addresses to numeric text, reverse lookups, canonical
 * and local host names, socket names, and host entries laid out in the caller's buffer.
 * Invariants: nothing here allocates or keeps state (results go to the caller's memory); the
 * resolver's error values are translated by the backend (ltcp__gai_code), host entries are
 * looked up by the backend (ltcp__host_lookup), so nothing here depends on the platform. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "berkeley.h"

#define LTCP__NAMEBUF 1025 /* NI_MAXHOST: a host name and its NUL */
#define NUMERIC_SERV 0x100 /* lookup(): the service is a port number (never the services list) */

int ltcp__bsd_af(int family) {
  return family == LTCP_FAMILY_INET6 ? AF_INET6 : AF_INET;
}

static int family_of(int af) {
  return af == AF_INET6 ? LTCP_FAMILY_INET6 : LTCP_FAMILY_INET;
}

/* Copy `s` into out[0..len), or LTCP_ENOBUFS when it does not fit. */
static int copy_text(const char *s, char *out, size_t len) {
  size_t n = strlen(s);
  if (n >= len) return LTCP_ENOBUFS;
  memcpy(out, s, n + 1);
  return 0;
}

/* getaddrinfo for stream sockets. Windows resolves "" to the local machine's addresses; POSIX
 * (and LuaSocket there) say the name is unknown: answer that everywhere. */
static int lookup(const char *host, const char *service, int family, int flags,
                  struct addrinfo **res, int *native) {
  struct addrinfo hints;
  int rc;
  *res = NULL;
  if (host && !*host) return LTCP_ENONAME;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_family = family == LTCP_FAMILY_INET    ? AF_INET
                    : family == LTCP_FAMILY_INET6 ? AF_INET6
                                                  : AF_UNSPEC;
  if (flags & LTCP__RESOLVE_PASSIVE) hints.ai_flags |= AI_PASSIVE;
  if (flags & LTCP__RESOLVE_NUMERIC) hints.ai_flags |= AI_NUMERICHOST;
  if (flags & NUMERIC_SERV) hints.ai_flags |= AI_NUMERICSERV;
  rc = getaddrinfo(host, service, &hints, res);
  if (rc != 0) {
    *res = NULL;
    return ltcp__gai_code(rc, native);
  }
  return 0;
}

/* The inet and inet6 addresses of a getaddrinfo result, in its order, up to max. */
static int copy_addrs(struct addrinfo *res, ltcp__sockaddr_t *out, size_t max, size_t *n) {
  struct addrinfo *ai;
  for (ai = res; ai && *n < max; ai = ai->ai_next) {
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
    if ((size_t)ai->ai_addrlen > sizeof out[*n].u.raw) continue;
    memcpy(out[*n].u.raw, ai->ai_addr, (size_t)ai->ai_addrlen);
    out[*n].len = (unsigned)ai->ai_addrlen;
    out[*n].family = family_of(ai->ai_family);
    (*n)++;
  }
  freeaddrinfo(res);
  return *n ? 0 : LTCP_ENONAME;
}

int ltcp__sys_resolve(const char *host, int port, int family, int flags, ltcp__sockaddr_t *out,
                      size_t max, size_t *n, int *native) {
  struct addrinfo *res;
  char serv[16];
  int rc;
  *n = 0;
  snprintf(serv, sizeof serv, "%d", port);
  if ((rc = lookup(host, serv, family, flags | NUMERIC_SERV, &res, native)) != 0) return rc;
  return copy_addrs(res, out, max, n);
}

int ltcp__sys_resolve_service(const char *host, const char *service, int family,
                              ltcp__sockaddr_t *out, size_t max, size_t *n, int *native) {
  struct addrinfo *res;
  int rc;
  *n = 0;
  if ((rc = lookup(host, service, family, 0, &res, native)) != 0) return rc;
  return copy_addrs(res, out, max, n);
}

static int nameinfo(const ltcp__sockaddr_t *addr, char *host, size_t hostlen, char *serv,
                    size_t servlen, int flags, int *native) {
  int rc =
    getnameinfo((const struct sockaddr *)(const void *)addr->u.raw, (socklen_t)addr->len, host,
                host ? (socklen_t)hostlen : 0, serv, serv ? (socklen_t)servlen : 0, flags);
  return rc == 0 ? 0 : ltcp__gai_code(rc, native);
}

int ltcp__sys_addr_to_text(const ltcp__sockaddr_t *addr, ltcp_addr_t *out) {
  char serv[16];
  int rc = nameinfo(addr, out->host, sizeof out->host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV, NULL);
  if (rc) return rc;
  out->port = 0;
  sscanf(serv, "%d", &out->port);
  out->family = (ltcp_family_t)addr->family;
  return 0;
}

int ltcp__sys_nameinfo(const ltcp__sockaddr_t *addr, char *host, size_t hostlen, char *serv,
                       size_t servlen, int *native) {
  return nameinfo(addr, host, hostlen, serv, servlen, 0, native);
}

int ltcp__sys_canonname(const char *host, char *out, size_t len, int *native) {
  struct addrinfo hints, *res = NULL;
  int rc;
  if (!*host) return LTCP_ENONAME; /* as lookup() */
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_CANONNAME;
  rc = getaddrinfo(host, NULL, &hints, &res);
  if (rc != 0) return ltcp__gai_code(rc, native);
  rc = copy_text(res && res->ai_canonname ? res->ai_canonname : host, out, len);
  freeaddrinfo(res);
  return rc;
}

int ltcp__sys_hostname(char *out, size_t len, int *native) {
  char name[LTCP__NAMEBUF];
  if (gethostname(name, (int)sizeof name - 1) != 0) return ltcp__sock_fail(native);
  name[sizeof name - 1] = '\0';
  return copy_text(name, out, len);
}

/* ---- socket names ---- */

static int name_of(ltcp_os_sock_t s, ltcp__sockaddr_t *addr, int peer, int *native) {
  socklen_t len = (socklen_t)sizeof addr->u.raw;
  struct sockaddr *sa = (struct sockaddr *)(void *)addr->u.raw;
  int rc = peer ? getpeername(s, sa, &len) : getsockname(s, sa, &len);
  if (rc != 0) return ltcp__sock_fail(native);
  addr->len = (unsigned)len;
  addr->family = family_of(sa->sa_family);
  return 0;
}

int ltcp__sys_getsockname(ltcp_os_sock_t s, ltcp__sockaddr_t *addr, int *native) {
  return name_of(s, addr, 0, native);
}

int ltcp__sys_getpeername(ltcp_os_sock_t s, ltcp__sockaddr_t *addr, int *native) {
  return name_of(s, addr, 1, native);
}

/* ---- host entries ---- */

typedef struct layout {
  ltcp_hostent_t *h;
  char *buf;
  size_t len;
} layout_t;

static size_t count(char *const *list) {
  size_t n = 0;
  while (list && list[n]) n++;
  return n;
}

/* The entry's name, aliases and IPv4 addresses (as dotted text, as inet_ntoa gives them) in
 * buf: first the two NULL-terminated pointer arrays, aligned, then the strings. */
static int lay_out(const struct hostent *he, void *ctx) {
  layout_t *lo = ctx;
  size_t nalias = count(he->h_aliases), naddr = 0, need, i, k;
  size_t pad = (sizeof(char *) - (uintptr_t)lo->buf % sizeof(char *)) % sizeof(char *);
  char **ptrs, *p;
  if (he->h_addrtype == AF_INET && he->h_length == 4) naddr = count(he->h_addr_list);
  if (!he->h_name) return LTCP_ENONAME;
  need = pad + (nalias + naddr + 2) * sizeof(char *) + strlen(he->h_name) + 1 + naddr * 16;
  for (i = 0; i < nalias; i++) need += strlen(he->h_aliases[i]) + 1;
  if (need > lo->len) return LTCP_ENOBUFS;
  ptrs = (char **)(void *)(lo->buf + pad);
  p = (char *)(ptrs + nalias + naddr + 2);
  lo->h->aliases = ptrs;
  lo->h->addrs = ptrs + nalias + 1;
  lo->h->naliases = nalias;
  lo->h->naddrs = naddr;
  lo->h->name = p;
  p += strlen(strcpy(p, he->h_name)) + 1;
  for (i = 0; i < nalias; i++) {
    ptrs[i] = p;
    p += strlen(strcpy(p, he->h_aliases[i])) + 1;
  }
  ptrs[nalias] = NULL;
  for (k = 0; k < naddr; k++) {
    const unsigned char *a = (const unsigned char *)he->h_addr_list[k];
    lo->h->addrs[k] = p;
    p += sprintf(p, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]) + 1;
  }
  lo->h->addrs[naddr] = NULL;
  return 0;
}

int ltcp__sys_hostent(const char *name, ltcp_hostent_t *h, char *buf, size_t len, int *native) {
  layout_t lo;
  /* An empty name has no entry: glibc fails it as unrecoverable (LuaSocket's "Unknown server
   * error"); Winsock would answer with this machine's entry. Say what glibc says everywhere. */
  if (!*name) return LTCP_EFAIL;
  lo.h = h;
  lo.buf = buf;
  lo.len = len;
  return ltcp__host_lookup(name, lay_out, &lo, native);
}
