/* Keepalive probe for keepalive_kernel.sh: three loopback connections whose keepalive is tuned in
 * three orders, then it prints "<name> <local port> <idle seconds wanted>" for each and waits
 * for its standard input to close, so the script can read the kernel's keepalive timers (ss)
 * while the connections are up. Public API only; exit status 0 only when every call worked.
 *   A: keepalive on, then tcp-keepidle 300
 *   B: tcp-keepidle 420 while keepalive is off, then keepalive on (the value must survive)
 *   C: keepalive on, tcp-keepidle 540, then tcp-keepintvl 8 (setting one must keep the other) */
#include <stdio.h>
#include <stdlib.h>

#include "ltcp.h"

static int failed;

static void check(int rc, const char *what) {
  if (rc != 0) {
    fprintf(stderr, "keepalive probe: %s: %s\n", what, ltcp_strerror(rc));
    failed = 1;
  }
}

int main(void) {
  ltcp_t *server = NULL, *c[3] = {NULL, NULL, NULL}, *s[3] = {NULL, NULL, NULL};
  static const char names[3] = {'A', 'B', 'C'};
  static const int idle[3] = {300, 420, 540}; /* under 10 min: ss shows seconds */
  ltcp_addr_t a;
  int i, ch;
  if (ltcp_init() != 0) return 2;
  check(ltcp_new(&server, LTCP_FAMILY_INET), "new server");
  check(ltcp_bind_to(server, "127.0.0.1", 0, 8), "bind");
  check(ltcp_getsockname(server, &a), "getsockname");
  check(ltcp_settimeout(server, 10.0, 'b'), "settimeout");
  for (i = 0; i < 3 && !failed; i++) {
    check(ltcp_new(&c[i], LTCP_FAMILY_INET), "new client");
    check(ltcp_settimeout(c[i], 10.0, 'b'), "settimeout");
    check(ltcp_connect(c[i], "127.0.0.1", a.port), "connect");
    s[i] = malloc(ltcp_sizeof());
    if (!s[i]) return 2;
    check(ltcp_accept(server, s[i]), "accept");
  }
  if (!failed) {
    check(ltcp_setoption(c[0], LTCP_OPT_KEEPALIVE, 1, 0), "A keepalive");
    check(ltcp_setoption(c[0], LTCP_OPT_TCP_KEEPIDLE, idle[0], 0), "A keepidle");
    check(ltcp_setoption(c[1], LTCP_OPT_TCP_KEEPIDLE, idle[1], 0), "B keepidle");
    check(ltcp_setoption(c[1], LTCP_OPT_KEEPALIVE, 1, 0), "B keepalive");
    check(ltcp_setoption(c[2], LTCP_OPT_KEEPALIVE, 1, 0), "C keepalive");
    check(ltcp_setoption(c[2], LTCP_OPT_TCP_KEEPIDLE, idle[2], 0), "C keepidle");
    check(ltcp_setoption(c[2], LTCP_OPT_TCP_KEEPINTVL, 8, 0), "C keepintvl");
  }
  for (i = 0; i < 3 && !failed; i++) {
    check(ltcp_getsockname(c[i], &a), "client getsockname");
    printf("%c %d %d\n", names[i], a.port, idle[i]);
  }
  fflush(stdout);
  while ((ch = getchar()) != EOF) {
  }
  for (i = 0; i < 3; i++) {
    if (c[i]) ltcp_free(c[i]);
    if (s[i]) {
      ltcp_close(s[i]);
      free(s[i]);
    }
  }
  if (server) ltcp_free(server);
  ltcp_cleanup();
  return failed;
}
