/* The README's C example, whole: connect to 127.0.0.1 at PORT, where examples/echo_server
 * listens (it prints its port), send one line and print the answer. */
#include <stdio.h>
#include <stdlib.h>

#include <ltcp.h>

int main(int argc, char **argv) {
  ltcp_t *c;
  ltcp_bytes_t line;
  ltcp_sink_t sink = ltcp_bytes_sink(&line);
  long long last;
  int rc, port = argc > 1 ? atoi(argv[1]) : 0;

  if (port <= 0 || port > 65535) {
    fprintf(stderr, "usage: %s PORT  (the port examples/echo_server printed)\n", argv[0]);
    return 2;
  }
  if ((rc = ltcp_init()) != 0) {
    fprintf(stderr, "ltcp_init: %s\n", ltcp_strerror(rc));
    return 1;
  }
  rc = ltcp_new(&c, LTCP_FAMILY_UNSPEC); /* socket.tcp() */
  if (rc == 0) {
    ltcp_settimeout(c, 5.0, LTCP_TIMEOUT_TOTAL); /* each call below may take 5 s in all */
    rc = ltcp_connect(c, "127.0.0.1", port);
    if (rc == 0) rc = ltcp_send(c, "ping\n", 5, 1, -1, &last);
    if (rc == 0) {
      ltcp_bytes_init(&line);
      rc = ltcp_receive(c, LTCP_RECV_LINE, 0, NULL, 0, &sink);
      /* rc is 0, or LTCP_ETIMEOUT / LTCP_ECLOSED with the partial line in `line` */
      printf("received \"%.*s\"\n", (int)line.len, line.data ? line.data : "");
      ltcp_bytes_free(&line);
    }
    ltcp_free(c);
  }
  if (rc != 0) fprintf(stderr, "readme_client: %s\n", ltcp_strerror(rc));
  ltcp_cleanup();
  return rc == 0 ? 0 : 1;
}
