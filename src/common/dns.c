/* The public resolver calls (ltcp_dns_*): argument checks and the conversion between the public
 * address text (ltcp_addr_t) and the backend's opaque addresses; the lookups themselves are the
 * backend's (sys.h). Invariant: every result goes to the caller's memory, except the scratch
 * array of ltcp_dns_getaddrinfo, which is freed before it returns. */
#include <stdlib.h>

#include "core.h"

#define LTCP__DNS_MAX 1024 /* most addresses one ltcp_dns_getaddrinfo gathers */

static int valid_family(ltcp_family_t family) {
  return family == LTCP_FAMILY_UNSPEC || family == LTCP_FAMILY_INET || family == LTCP_FAMILY_INET6;
}

int ltcp_dns_getaddrinfo(const char *host, const char *service, ltcp_family_t family,
                         ltcp_addr_t *out, size_t max, size_t *n) {
  ltcp__sockaddr_t one, *addrs = &one;
  size_t got = 0, i;
  int native = 0, rc;
  if (n) *n = 0;
  if ((!host && !service) || !out || !max || !n || !valid_family(family)) return LTCP_EINVAL;
  if (max > LTCP__DNS_MAX) max = LTCP__DNS_MAX;
  if (max > 1 && !(addrs = malloc(max * sizeof *addrs))) return LTCP_ENOMEM;
  rc = ltcp__sys_resolve_service(host, service, (int)family, addrs, max, &got, &native);
  for (i = 0; rc == 0 && i < got; i++) rc = ltcp__sys_addr_to_text(&addrs[i], &out[i]);
  if (rc == 0) *n = got;
  if (addrs != &one) free(addrs);
  return rc;
}

int ltcp_dns_getnameinfo(const ltcp_addr_t *addr, char *host, size_t hostlen, char *service,
                         size_t servlen) {
  ltcp__sockaddr_t sa;
  size_t n = 0;
  int native = 0, rc;
  if (!addr || (!host && !service) || (host && !hostlen) || (service && !servlen) ||
      addr->port < 0 || addr->port > 65535 || !valid_family(addr->family))
    return LTCP_EINVAL;
  rc = ltcp__sys_resolve(addr->host, addr->port, addr->family, LTCP__RESOLVE_NUMERIC, &sa, 1, &n,
                         &native);
  if (rc) return rc;
  return ltcp__sys_nameinfo(&sa, host, hostlen, service, servlen, &native);
}

int ltcp_dns_canonname(const char *host, char *name, size_t len) {
  int native = 0;
  if (!host || !name || !len) return LTCP_EINVAL;
  return ltcp__sys_canonname(host, name, len, &native);
}

int ltcp_dns_gethostname(char *name, size_t len) {
  int native = 0;
  if (!name || !len) return LTCP_EINVAL;
  return ltcp__sys_hostname(name, len, &native);
}

int ltcp_dns_gethostbyname(const char *name, ltcp_hostent_t *h, char *buf, size_t len) {
  int native = 0;
  if (!name || !h || !buf || !len) return LTCP_EINVAL;
  return ltcp__sys_hostent(name, h, buf, len, &native);
}
