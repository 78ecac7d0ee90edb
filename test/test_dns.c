/* The resolver calls of ltcp.h (ltcp_dns_*) against what the system resolver itself answers for
 * the same question, asked here directly (gethostbyname, getaddrinfo, getnameinfo, gethostname),
 * so the tests hold whatever the machine's hosts file says (with or without the Debian line
 * "::1 localhost ip6-localhost ip6-loopback"). Only loopback names and numeric addresses. */
#if !defined(_WIN32) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE 1 /* gethostbyname, gethostbyaddr */
#endif
#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* The system's own answer, copied before the next call can overwrite the static entry. */
typedef struct sys_entry {
  int found;
  char name[256];
  char aliases[16][256];
  char addrs[16][16];
  size_t naliases, naddrs;
} sys_entry_t;

static void sys_lookup(const char *name, sys_entry_t *e) {
  struct in_addr a;
  struct hostent *h;
  size_t i;
  memset(e, 0, sizeof *e);
#if defined(_WIN32)
  a.s_addr = inet_addr(name);
  h = a.s_addr != INADDR_NONE ? gethostbyaddr((const char *)&a, (int)sizeof a, AF_INET)
                              : gethostbyname(name);
#else
  h = inet_aton(name, &a) ? gethostbyaddr(&a, sizeof a, AF_INET) : gethostbyname(name);
#endif
  if (!h) return;
  e->found = 1;
  snprintf(e->name, sizeof e->name, "%s", h->h_name);
  for (i = 0; h->h_aliases && i < 16 && h->h_aliases[i]; i++)
    snprintf(e->aliases[e->naliases++], sizeof e->aliases[0], "%s", h->h_aliases[i]);
  for (i = 0; i < 16 && h->h_addr_list[i]; i++) {
    const unsigned char *b = (const unsigned char *)h->h_addr_list[i];
    snprintf(e->addrs[e->naddrs++], sizeof e->addrs[0], "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
  }
}

static void same_entry(const char *name) {
  static char buf[8192];
  ltcp_hostent_t h;
  sys_entry_t e;
  size_t i;
  int rc = ltcp_dns_gethostbyname(name, &h, buf, sizeof buf);
  sys_lookup(name, &e);
  if (!e.found) {
    ck_assert_msg(rc < 0, "%s: the system knows no entry, ltcp returned %d", name, rc);
    return;
  }
  lt_assert_rc(rc, 0);
  ck_assert_str_eq(h.name, e.name);
  ck_assert_msg(h.naliases == e.naliases, "%s: %zu aliases, the system has %zu", name, h.naliases,
                e.naliases);
  for (i = 0; i < e.naliases; i++) ck_assert_str_eq(h.aliases[i], e.aliases[i]);
  ck_assert_ptr_null(h.aliases[h.naliases]);
  ck_assert_msg(h.naddrs == e.naddrs, "%s: %zu addresses, the system has %zu", name, h.naddrs,
                e.naddrs);
  for (i = 0; i < e.naddrs; i++) ck_assert_str_eq(h.addrs[i], e.addrs[i]);
  ck_assert_ptr_null(h.addrs[h.naddrs]);
}

START_TEST(hostent_localhost_as_the_system_says) {
  same_entry("localhost");
  same_entry("LOCALHOST");
  same_entry("ip6-localhost"); /* found (aliases of the ::1 line) or not, as the system says */
}
END_TEST

START_TEST(hostent_numeric_by_address) {
  same_entry("127.0.0.1");
  same_entry("127.1"); /* inet_aton's short form, as LuaSocket reads it */
}
END_TEST

START_TEST(hostent_unknown_is_enoname) {
  static char buf[4096];
  ltcp_hostent_t h;
  int rc = ltcp_dns_gethostbyname("no.such.host.invalid", &h, buf, sizeof buf);
  /* Offline resolvers may answer "try again" instead of "no such name". */
  ck_assert_msg(rc == LTCP_ENONAME || rc == LTCP_EAGAIN, "got %d (%s)", rc, ltcp_strerror(rc));
}
END_TEST

/* Every buffer size from 1 up: ENOBUFS until the entry fits, then the same entry as with a
 * large buffer, and nothing written past the size given. */
START_TEST(hostent_small_buffers) {
  static char big[8192], small[8192];
  ltcp_hostent_t ref, h;
  size_t len, i;
  int rc = ltcp_dns_gethostbyname("localhost", &ref, big, sizeof big);
  if (rc != 0) return; /* no localhost entry on this machine: nothing to lay out */
  for (len = 1; len < sizeof small; len++) {
    memset(small, 0x5a, sizeof small);
    rc = ltcp_dns_gethostbyname("localhost", &h, small, len);
    ck_assert_msg(small[len] == 0x5a, "wrote past %zu bytes", len);
    if (rc == LTCP_ENOBUFS) continue;
    lt_assert_rc(rc, 0);
    ck_assert_str_eq(h.name, ref.name);
    ck_assert_uint_eq(h.naliases, ref.naliases);
    ck_assert_uint_eq(h.naddrs, ref.naddrs);
    for (i = 0; i < h.naddrs; i++) ck_assert_str_eq(h.addrs[i], ref.addrs[i]);
    for (i = 0; i < h.naliases; i++) ck_assert_str_eq(h.aliases[i], ref.aliases[i]);
    break;
  }
  ck_assert_msg(len < sizeof small, "never fitted");
}
END_TEST

START_TEST(getaddrinfo_numeric) {
  ltcp_addr_t a[4];
  size_t n = 0;
  lt_assert_rc(ltcp_dns_getaddrinfo("127.0.0.1", "8080", LTCP_FAMILY_UNSPEC, a, 4, &n), 0);
  ck_assert_uint_eq(n, 1);
  ck_assert_str_eq(a[0].host, "127.0.0.1");
  ck_assert_int_eq(a[0].port, 8080);
  ck_assert_int_eq(a[0].family, LTCP_FAMILY_INET);
  lt_assert_rc(ltcp_dns_getaddrinfo("::1", NULL, LTCP_FAMILY_UNSPEC, a, 4, &n), 0);
  ck_assert_uint_eq(n, 1);
  ck_assert_str_eq(a[0].host, "::1");
  ck_assert_int_eq(a[0].port, 0);
  ck_assert_int_eq(a[0].family, LTCP_FAMILY_INET6);
  lt_assert_rc(ltcp_dns_getaddrinfo("127.0.0.1", NULL, LTCP_FAMILY_INET6, a, 4, &n) < 0, 1);
}
END_TEST

/* localhost through ltcp and through getaddrinfo itself: the same addresses in the same order. */
START_TEST(getaddrinfo_localhost_as_the_system_says) {
  struct addrinfo hints, *res = NULL, *ai;
  ltcp_addr_t a[16];
  size_t n = 0, k = 0;
  int rc;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  rc = getaddrinfo("localhost", "80", &hints, &res);
  lt_assert_rc(ltcp_dns_getaddrinfo("localhost", "80", LTCP_FAMILY_UNSPEC, a, 16, &n) == 0,
               rc == 0);
  for (ai = res; ai; ai = ai->ai_next) {
    char host[64];
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
    ck_assert_int_eq(getnameinfo(ai->ai_addr, (socklen_t)ai->ai_addrlen, host, sizeof host, NULL, 0,
                                 NI_NUMERICHOST),
                     0);
    ck_assert_msg(k < n, "ltcp gave %zu addresses, the system more", n);
    ck_assert_str_eq(a[k].host, host);
    ck_assert_int_eq(a[k].port, 80);
    ck_assert_int_eq(a[k].family, ai->ai_family == AF_INET6 ? LTCP_FAMILY_INET6 : LTCP_FAMILY_INET);
    k++;
  }
  ck_assert_uint_eq(k, n);
  if (res) freeaddrinfo(res);
  /* max 1: only the first */
  if (n > 1) {
    ltcp_addr_t first;
    lt_assert_rc(ltcp_dns_getaddrinfo("localhost", "80", LTCP_FAMILY_UNSPEC, &first, 1, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(first.host, a[0].host);
  }
}
END_TEST

START_TEST(getnameinfo_as_the_system_says) {
  struct sockaddr_in sin;
  char want_host[LTCP_DNS_HOSTLEN], want_serv[LTCP_DNS_SERVLEN];
  char host[LTCP_DNS_HOSTLEN], serv[LTCP_DNS_SERVLEN];
  ltcp_addr_t a;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_port = htons(80);
  sin.sin_addr.s_addr = htonl(0x7f000001);
  ck_assert_int_eq(getnameinfo((struct sockaddr *)&sin, sizeof sin, want_host, sizeof want_host,
                               want_serv, sizeof want_serv, 0),
                   0);
  memset(&a, 0, sizeof a);
  strcpy(a.host, "127.0.0.1");
  a.port = 80;
  a.family = LTCP_FAMILY_INET;
  lt_assert_rc(ltcp_dns_getnameinfo(&a, host, sizeof host, serv, sizeof serv), 0);
  ck_assert_str_eq(host, want_host);
  ck_assert_str_eq(serv, want_serv);
  /* one half only */
  serv[0] = 'x';
  lt_assert_rc(ltcp_dns_getnameinfo(&a, host, sizeof host, NULL, 0), 0);
  ck_assert_str_eq(host, want_host);
  ck_assert_int_eq(serv[0], 'x');
  lt_assert_rc(ltcp_dns_getnameinfo(&a, NULL, 0, serv, sizeof serv), 0);
  ck_assert_str_eq(serv, want_serv);
}
END_TEST

START_TEST(canonname_as_the_system_says) {
  struct addrinfo hints, *res = NULL;
  char name[LTCP_DNS_HOSTLEN];
  int rc;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_CANONNAME;
  rc = getaddrinfo("localhost", NULL, &hints, &res);
  lt_assert_rc(ltcp_dns_canonname("localhost", name, sizeof name) == 0, rc == 0);
  if (rc == 0) {
    ck_assert_str_eq(name, res->ai_canonname ? res->ai_canonname : "localhost");
    freeaddrinfo(res);
  }
}
END_TEST

START_TEST(hostname_as_the_system_says) {
  char want[LTCP_DNS_HOSTLEN], got[LTCP_DNS_HOSTLEN];
  size_t len;
  ck_assert_int_eq(gethostname(want, (int)sizeof want - 1), 0);
  want[sizeof want - 1] = '\0';
  lt_assert_rc(ltcp_dns_gethostname(got, sizeof got), 0);
  ck_assert_str_eq(got, want);
  len = strlen(want);
  lt_assert_rc(ltcp_dns_gethostname(got, len + 1), 0); /* exactly enough */
  ck_assert_str_eq(got, want);
  lt_assert_rc(ltcp_dns_gethostname(got, len), LTCP_ENOBUFS);
}
END_TEST

static Suite *dns_suite(void) {
  Suite *s = suite_create("dns");
  TCase *tc = tcase_create("resolver");
  tcase_set_timeout(tc, LT_NET_TIMEOUT);
  tcase_add_test(tc, hostent_localhost_as_the_system_says);
  tcase_add_test(tc, hostent_numeric_by_address);
  tcase_add_test(tc, hostent_unknown_is_enoname);
  tcase_add_test(tc, hostent_small_buffers);
  tcase_add_test(tc, getaddrinfo_numeric);
  tcase_add_test(tc, getaddrinfo_localhost_as_the_system_says);
  tcase_add_test(tc, getnameinfo_as_the_system_says);
  tcase_add_test(tc, canonname_as_the_system_says);
  tcase_add_test(tc, hostname_as_the_system_says);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(dns_suite());
}
