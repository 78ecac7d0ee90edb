/* Echo client: connects to 127.0.0.1:PORT (argv[1]), sends a few lines, prints each echo, and
 * checks it came back unchanged. Exit status 0 only if every echo matched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ltcp.h>

static int fail(const char *what, int rc) {
  fprintf(stderr, "echo_client: %s: %s\n", what, ltcp_strerror(rc));
  return 1;
}

int main(int argc, char **argv) {
  static const char *const msgs[] = {"hello, ltcp", "line two\r", "", "the last line"};
  ltcp_t *c = NULL;
  ltcp_bytes_t echo;
  ltcp_sink_t sink = ltcp_bytes_sink(&echo);
  size_t i;
  int rc, bad = 0;

  if (argc < 2) {
    fprintf(stderr, "usage: echo_client PORT\n");
    return 2;
  }
  if ((rc = ltcp_init()) != 0) return fail("init", rc);
  if ((rc = ltcp_new(&c, LTCP_FAMILY_INET)) != 0) return fail("tcp", rc);
  ltcp_settimeout(c, 10.0, LTCP_TIMEOUT_TOTAL);
  if ((rc = ltcp_connect(c, "127.0.0.1", atoi(argv[1]))) != 0) return fail("connect", rc);
  ltcp_bytes_init(&echo);
  for (i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
    char out[64];
    size_t expect_len = strcspn(msgs[i], "\r"); /* the line pattern drops CRs */
    int n = snprintf(out, sizeof out, "%s\n", msgs[i]);
    if ((rc = ltcp_write(c, out, (size_t)n, NULL)) != 0) return fail("send", rc);
    echo.len = 0;
    if ((rc = ltcp_receive(c, LTCP_RECV_LINE, 0, NULL, 0, &sink)) != 0) return fail("receive", rc);
    printf("client sent %-16s got back \"%.*s\"\n", msgs[i][0] ? msgs[i] : "(empty line)",
           (int)echo.len, echo.len ? echo.data : "");
    if (echo.len != expect_len || memcmp(echo.data, msgs[i], expect_len) != 0) bad++;
  }
  ltcp_bytes_free(&echo);
  ltcp_free(c);
  ltcp_cleanup();
  printf("client: %s\n", bad ? "MISMATCH" : "all echoes matched");
  return bad ? 1 : 0;
}
