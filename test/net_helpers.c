/* Loopback helpers (see net_helpers.h). Failures assert with the library's message so a broken
 * setup step says what broke instead of failing later in a confusing way. */
#include "net_helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

const char *lt_loopback(int family) {
  return family == LTCP_FAMILY_INET6 ? "::1" : "127.0.0.1";
}

const char *lt_family_name(int family) {
  return family == LTCP_FAMILY_INET6 ? "IPv6" : "IPv4";
}

ltcp_t *lt_alloc(void) {
  ltcp_t *t = calloc(1, ltcp_sizeof());
  ck_assert_ptr_nonnull(t);
  return t;
}

void lt_dispose(ltcp_t *t) {
  if (!t) return;
  ltcp_close(t);
  free(t);
}

#define LT_CHECK(call)                                                                             \
  do {                                                                                             \
    int lt_rc_ = (call);                                                                           \
    ck_assert_msg(lt_rc_ == 0, "%s failed: %d (%s)", #call, lt_rc_, ltcp_strerror(lt_rc_));        \
  } while (0)

ltcp_t *lt_master(int family) {
  ltcp_t *t = lt_alloc();
  LT_CHECK(ltcp_open(t, family));
  LT_CHECK(ltcp_settimeout(t, LT_SAFETY_TIMEOUT, 't'));
  return t;
}

int lt_port_of(ltcp_t *t) {
  ltcp_addr_t a;
  LT_CHECK(ltcp_getsockname(t, &a));
  ck_assert_msg(a.port > 0 && a.port < 65536, "getsockname port %d", a.port);
  return a.port;
}

ltcp_t *lt_listener(int family, int backlog, int *port) {
  ltcp_t *t = lt_master(family);
  LT_CHECK(ltcp_bind(t, lt_loopback(family), 0));
  LT_CHECK(ltcp_listen(t, backlog));
  if (port) *port = lt_port_of(t);
  return t;
}

ltcp_t *lt_client(int family, int port) {
  ltcp_t *t = lt_master(family);
  LT_CHECK(ltcp_connect(t, lt_loopback(family), port));
  ck_assert_int_eq(ltcp_state(t), LTCP_STATE_CLIENT);
  return t;
}

ltcp_t *lt_accept(ltcp_t *server) {
  ltcp_t *c = lt_alloc();
  LT_CHECK(ltcp_accept(server, c));
  ck_assert_int_eq(ltcp_state(c), LTCP_STATE_CLIENT);
  LT_CHECK(ltcp_settimeout(c, LT_SAFETY_TIMEOUT, 't'));
  return c;
}

ltcp_t *lt_blocker(int family, const char *host, int port) {
  ltcp_t *t = lt_alloc();
  if (ltcp_open(t, family) != 0 || ltcp_bind(t, host, port) != 0) {
    lt_dispose(t);
    return NULL;
  }
  return t;
}

void lt_pair(int family, ltcp_t **a, ltcp_t **b) {
  int port = 0;
  ltcp_t *server = lt_listener(family, 4, &port);
  *a = lt_client(family, port);
  *b = lt_accept(server);
  lt_dispose(server);
}

ltcp_t *lt_refuser(int family, int *port) {
  ltcp_t *blocker = NULL;
  int tries;
  for (tries = 0; tries < 10 && !blocker; tries++) {
    lt_dispose(lt_listener(family, 1, port));
    blocker = lt_blocker(family, lt_loopback(family), *port);
  }
  ck_assert_msg(blocker != NULL, "no %s loopback port could be held for a refused connect",
                lt_family_name(family));
  return blocker;
}

int lt_wait_ready(ltcp_t *t, int events, double timeout) {
  ltcp_pollfd_t p;
  size_t n = 0;
  p.sock = ltcp_getfd(t);
  p.events = events;
  p.revents = 0;
  return ltcp_select(&p, 1, timeout, &n);
}

void lt_send_all(ltcp_t *t, const char *data, size_t len) {
  long long last = -1;
  int rc = ltcp_send(t, data, len, 1, -1, &last);
  ck_assert_msg(rc == 0, "send of %zu bytes failed: %d (%s) after %lld", len, rc, ltcp_strerror(rc),
                last);
  ck_assert_int_eq(last, (long long)len);
}

int lt_ipv6_available(char *why, size_t why_len) {
  ltcp_t *server = NULL, *client = NULL;
  int rc, port = 0, ok = 0;
  ltcp_addr_t a;
  server = malloc(ltcp_sizeof());
  client = malloc(ltcp_sizeof());
  if (!server || !client) {
    snprintf(why, why_len, "out of memory");
    free(server);
    free(client);
    return 0;
  }
  ltcp_open(client, LTCP_FAMILY_UNSPEC);
  if ((rc = ltcp_open(server, LTCP_FAMILY_INET6)) != 0) {
    snprintf(why, why_len, "cannot create an IPv6 socket: %s", ltcp_strerror(rc));
    goto done;
  }
  if ((rc = ltcp_bind(server, "::1", 0)) != 0) {
    snprintf(why, why_len, "cannot bind ::1: %s", ltcp_strerror(rc));
    goto done;
  }
  if ((rc = ltcp_listen(server, 1)) != 0 || (rc = ltcp_getsockname(server, &a)) != 0) {
    snprintf(why, why_len, "cannot listen on ::1: %s", ltcp_strerror(rc));
    goto done;
  }
  port = a.port;
  ltcp_close(client);
  ltcp_open(client, LTCP_FAMILY_INET6);
  ltcp_settimeout(client, 2.0, 't');
  if ((rc = ltcp_connect(client, "::1", port)) != 0) {
    snprintf(why, why_len, "cannot connect to [::1]:%d: %s", port, ltcp_strerror(rc));
    goto done;
  }
  ok = 1;
done:
  if (server) {
    ltcp_close(server);
    free(server);
  }
  if (client) {
    ltcp_close(client);
    free(client);
  }
  return ok;
}

int lt_main_family(Suite *s, int family) {
  if (family == LTCP_FAMILY_INET6) {
    char why[256] = "";
    int ok;
    if (ltcp_init() != 0) return EXIT_FAILURE;
    ok = lt_ipv6_available(why, sizeof why);
    ltcp_cleanup();
    if (!ok) {
      const char *req = getenv("LTCP_TEST_REQUIRE_IPV6");
      fprintf(stderr,
              "IPv6 loopback ::1 is NOT available on this machine (%s): the IPv6 tests "
              "of this program did NOT run.\n",
              why);
      srunner_free(srunner_create(s)); /* the suite is not run; free it */
      if (req && *req && strcmp(req, "0") != 0) {
        fprintf(stderr, "LTCP_TEST_REQUIRE_IPV6 is set: failing.\n");
        return EXIT_FAILURE;
      }
      fprintf(stderr,
              "Reported to ctest as SKIPPED (exit %d); set LTCP_TEST_REQUIRE_IPV6=1 to "
              "make this a failure.\n",
              LT_SKIP_CODE);
      return LT_SKIP_CODE;
    }
  }
  return lt_run_suite(s);
}
