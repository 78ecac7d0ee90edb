/* LuaSocket's socket.connect and socket.bind as C shortcuts. They sit above the public API and
 * are written only against it (ltcp.h, no internal header), so the core below them never calls
 * back up: tcp.c -> connect.c / inet.c -> io.c -> the backend, and nothing the other way. */
#include <stdio.h>
#include <string.h>

#include "ltcp.h"

#define LTCP__BIND_ADDRS 16 /* addresses socket.bind tries */

int ltcp_connect_to(ltcp_t *t, const char *host, int port, const char *localhost, int localport,
                    ltcp_family_t family) {
  int rc;
  if (!t) return LTCP_EINVAL;
  if ((rc = ltcp_open(t, family)) != 0) return rc;
  if (localhost && (rc = ltcp_bind(t, localhost, localport)) != 0) {
    ltcp_close(t);
    return rc;
  }
  if ((rc = ltcp_connect(t, host, port)) != 0) ltcp_close(t);
  return rc;
}

/* As LuaSocket's socket.bind: "*" means any IPv4 address; each resolved address gets a fresh
 * socket of its family with reuseaddr on, until one binds and listens. */
int ltcp_bind_to(ltcp_t *t, const char *host, int port, int backlog) {
  ltcp_addr_t addrs[LTCP__BIND_ADDRS];
  char service[16];
  size_t n = 0, i;
  int rc;
  if (!t) return LTCP_EINVAL;
  /* A closed object whatever happens next (an unspec master holds no socket yet). */
  if ((rc = ltcp_open(t, LTCP_FAMILY_UNSPEC)) != 0) return rc;
  ltcp_close(t);
  if (!host || port < 0 || port > 65535) return LTCP_EINVAL;
  if (strcmp(host, "*") == 0) host = "0.0.0.0";
  snprintf(service, sizeof service, "%d", port);
  rc = ltcp_dns_getaddrinfo(host, service, LTCP_FAMILY_UNSPEC, addrs, LTCP__BIND_ADDRS, &n);
  if (rc) return rc;
  rc = LTCP_ENONAME;
  for (i = 0; i < n; i++) {
    if ((rc = ltcp_open(t, addrs[i].family)) != 0) return rc;
    (void)ltcp_setoption(t, LTCP_OPT_REUSEADDR, 1, 0);
    if ((rc = ltcp_bind(t, addrs[i].host, addrs[i].port)) == 0 &&
        (rc = ltcp_listen(t, backlog)) == 0)
      return 0;
    ltcp_close(t);
  }
  return rc;
}
