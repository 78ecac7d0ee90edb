/* The resolver call Winsock spells differently from POSIX: the host-entry lookup behind
 * LuaSocket's dns.toip / dns.tohostname. LuaSocket uses gethostbyname / gethostbyaddr, whose
 * answer (the official name, every alias, every address) differs from getaddrinfo's; Winsock
 * keeps their result per thread, so the plain calls are thread-safe here and have no _r form.
 * Everything else about names is shared with POSIX, in src/berkeley/names.c. */
#include <string.h>

#include "berkeley.h"

/* A dotted IPv4 address in the forms inet_aton takes (inet_addr reads the same ones, but
 * answers INADDR_NONE both for a bad string and for the broadcast address). */
static int parse_ipv4(const char *name, struct in_addr *a) {
  a->s_addr = inet_addr(name);
  return a->s_addr != INADDR_NONE || strcmp(name, "255.255.255.255") == 0;
}

int ltcp__host_lookup(const char *name, ltcp__hostent_fn take, void *ctx, int *native) {
  struct in_addr a;
  struct hostent *res = parse_ipv4(name, &a)
                          ? gethostbyaddr((const char *)&a, (int)sizeof a, AF_INET)
                          : gethostbyname(name);
  if (!res) return ltcp__sock_fail(native); /* WSAHOST_NOT_FOUND, WSANO_DATA, ... */
  return take(res, ctx);
}
