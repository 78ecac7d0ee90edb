/* Echo server over loopback: listens on 127.0.0.1 (port from argv[1], default 0 = ephemeral),
 * prints "listening on HOST PORT", serves one client line by line, and exits when it closes.
 * Every wait is bounded (10 s), so a lost client cannot hang it. */
#include <stdio.h>
#include <stdlib.h>

#include <ltcp.h>

static int fail(const char *what, int rc) {
  fprintf(stderr, "echo_server: %s: %s\n", what, ltcp_strerror(rc));
  return 1;
}

/* Everything but the client object, which main allocates and frees on every path. */
static int serve(ltcp_t *client, int port) {
  ltcp_t *server = NULL;
  ltcp_addr_t addr;
  ltcp_bytes_t line;
  ltcp_sink_t sink = ltcp_bytes_sink(&line);
  int rc, lines = 0;

  if ((rc = ltcp_init()) != 0) return fail("init", rc);
  if ((rc = ltcp_new(&server, LTCP_FAMILY_INET)) != 0) return fail("tcp", rc);
  if ((rc = ltcp_bind_to(server, "127.0.0.1", port, 8)) != 0) return fail("bind", rc);
  ltcp_getsockname(server, &addr);
  printf("listening on %s %d\n", addr.host, addr.port);
  fflush(stdout);

  ltcp_settimeout(server, 10.0, LTCP_TIMEOUT_BLOCK);
  if ((rc = ltcp_accept(server, client)) != 0) return fail("accept", rc);
  ltcp_settimeout(client, 10.0, LTCP_TIMEOUT_BLOCK);
  ltcp_bytes_init(&line);
  for (;;) {
    line.len = 0;
    rc = ltcp_receive(client, LTCP_RECV_LINE, 0, NULL, 0, &sink);
    if (rc == LTCP_ECLOSED) break;
    if (rc) return fail("receive", rc);
    printf("server got: %.*s\n", (int)line.len, line.data ? line.data : "");
    sink.commit(sink.ctx, 0);
    if (!sink.prepare(sink.ctx, 1)) return fail("echo", LTCP_ENOMEM);
    line.data[line.len++] = '\n';
    if ((rc = ltcp_write(client, line.data, line.len, NULL)) != 0) return fail("send", rc);
    lines++;
  }
  printf("server: client closed after %d lines\n", lines);
  ltcp_bytes_free(&line);
  ltcp_close(client);
  ltcp_free(server);
  ltcp_cleanup();
  return 0;
}

int main(int argc, char **argv) {
  ltcp_t *client = malloc(ltcp_sizeof()); /* ltcp_accept fills it in */
  int rc = client ? serve(client, argc > 1 ? atoi(argv[1]) : 0) : fail("init", LTCP_ENOMEM);
  free(client);
  return rc;
}
