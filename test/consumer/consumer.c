/* Installed-package smoke test: exchange one line over loopback through the installed library,
 * and check the error table and version macros are visible. Exit 0 on success. */
#include <stdio.h>
#include <string.h>

#include <ltcp.h>

int main(void) {
  ltcp_t *srv = NULL, *cli = NULL, *acc = NULL;
  ltcp_addr_t a;
  ltcp_bytes_t got;
  ltcp_sink_t sink = ltcp_bytes_sink(&got);
  long long last = 0;
  int rc;
  if (ltcp_init() != 0) return 1;
  if (strcmp(ltcp_strerror(LTCP_ETIMEOUT), "timeout") != 0) return 2;
  if (ltcp_new(&srv, LTCP_FAMILY_INET) || ltcp_bind_to(srv, "127.0.0.1", 0, 4)) return 3;
  ltcp_getsockname(srv, &a);
  if (ltcp_new(&cli, LTCP_FAMILY_INET) || ltcp_new(&acc, LTCP_FAMILY_UNSPEC)) return 4;
  ltcp_settimeout(cli, 5, 't');
  ltcp_settimeout(srv, 5, 't');
  if ((rc = ltcp_connect(cli, "127.0.0.1", a.port)) != 0) return 5;
  if ((rc = ltcp_accept(srv, acc)) != 0) return 6;
  ltcp_settimeout(acc, 5, 't');
  if (ltcp_send(cli, "consumer ok\n", 12, 1, -1, &last) || last != 12) return 7;
  ltcp_bytes_init(&got);
  if (ltcp_receive(acc, LTCP_RECV_LINE, 0, NULL, 0, &sink) != 0) return 8;
  printf("%s (ltcp %s)\n", got.data, LTCP_VERSION_STRING);
  rc = strcmp(got.data, "consumer ok") != 0;
  ltcp_bytes_free(&got);
  ltcp_free(acc);
  ltcp_free(cli);
  ltcp_free(srv);
  ltcp_cleanup();
  return rc ? 9 : 0;
}
