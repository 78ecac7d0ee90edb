/* Windows specifics of the backend (src/win32), run on Windows or under Wine:
 * - the WSA -> LTCP error table, entry by entry, and unknown codes;
 * - SOCKET is a full pointer-sized handle: getfd/setfd must carry every bit;
 * - select has no 64-socket limit (Winsock's FD_SETSIZE): 1000+ loopback sockets at once;
 * - a refused non-blocking connect (it shows in the except set, not the write set) reads as
 *   "connection refused" through ltcp_connect and through ltcp_select + ltcp_connect;
 * - WSAStartup/WSACleanup reference counting in ltcp_init/ltcp_cleanup.
 * Nothing here pins a value only Wine produces (see the shared toolchain notes for where Wine
 * differs): a refused connect may take 1-2 s on Windows, so those waits allow 10 s.
 * Check cannot fork on Windows: every test closes what it opens, even on the success path only,
 * and ctest's TIMEOUT is the watchdog. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sys.h"
#include "test_util.h"

/* ---- error translation ---- */


static const struct {
  int wsa;
  int ltcp;
} error_table[] = {
  {0, 0},
  {WSAEWOULDBLOCK, LTCP__WOULDBLOCK},
  {WSAEINPROGRESS, LTCP__INPROGRESS},
  {WSAEINTR, LTCP__EINTR},
  {WSAETIMEDOUT, LTCP_ETIMEOUT},
  /* resets: internal, reported as LTCP_ECLOSED, but '*a' must tell them from an orderly end */
  {WSAECONNRESET, LTCP__ERESET},
  {WSAECONNABORTED, LTCP__ERESET},
  {WSAENETRESET, LTCP__ERESET},
  {WSAESHUTDOWN, LTCP_ECLOSED},
  {WSAEDISCON, LTCP_ECLOSED},
  {WSAECONNREFUSED, LTCP_EREFUSED},
  {WSAEADDRINUSE, LTCP_EADDRINUSE},
  {WSAEISCONN, LTCP_EISCONN},
  {WSAEACCES, LTCP_EACCESS},
  {WSAHOST_NOT_FOUND, LTCP_ENONAME},
  {WSANO_DATA, LTCP_ENONAME},
  {WSATRY_AGAIN, LTCP_EAGAIN},
  {WSANO_RECOVERY, LTCP_EFAIL},
  {WSATYPE_NOT_FOUND, LTCP_ESERVICE},
  {WSA_NOT_ENOUGH_MEMORY, LTCP_ENOMEM},
  {WSAEADDRNOTAVAIL, LTCP_EADDRNOTAVAIL},
  {WSAEAFNOSUPPORT, LTCP_EAFNOSUPPORT},
  {WSAEPFNOSUPPORT, LTCP_EAFNOSUPPORT},
  {WSAENETUNREACH, LTCP_ENETUNREACH},
  {WSAEHOSTUNREACH, LTCP_EHOSTUNREACH},
  {WSAEHOSTDOWN, LTCP_EHOSTUNREACH},
  {WSAEINVAL, LTCP_EINVAL},
  {WSAEFAULT, LTCP_EINVAL},
  {WSAEMFILE, LTCP_EMFILE},
  {WSAENOBUFS, LTCP_ENOBUFS},
  {WSAENOTCONN, LTCP_ENOTCONN},
  {WSAENOTSOCK, LTCP_EBADF},
  {WSAEBADF, LTCP_EBADF},
  {WSA_INVALID_HANDLE, LTCP_EBADF},
  {WSAEALREADY, LTCP_EALREADY},
  {WSAENOPROTOOPT, LTCP_ENOTSUP},
  {WSAEOPNOTSUPP, LTCP_ENOTSUP},
  {WSAEPROTONOSUPPORT, LTCP_ENOTSUP},
  {WSAESOCKTNOSUPPORT, LTCP_ENOTSUP},
  {WSAVERNOTSUPPORTED, LTCP_ENOTSUP},
  {WSANOTINITIALISED, LTCP_ENOTINIT},
  {WSAENETDOWN, LTCP_ENETDOWN},
  {WSASYSNOTREADY, LTCP_ENETDOWN},
};

START_TEST(translate_table) {
  size_t i;
  for (i = 0; i < sizeof error_table / sizeof error_table[0]; i++) {
    int got = ltcp__sys_translate(error_table[i].wsa);
    ck_assert_msg(got == error_table[i].ltcp, "WSA code %d -> %d (%s), expected %d (%s)",
                  error_table[i].wsa, got, ltcp_strerror(got), error_table[i].ltcp,
                  ltcp_strerror(error_table[i].ltcp));
  }
}
END_TEST

START_TEST(translate_unknown) {
  /* Codes no table entry names, including ones next to mapped codes. */
  static const int unknown[] = {1, 12345, -7, WSAEPROCLIM, WSAEMSGSIZE, WSAELOOP, 99999};
  size_t i;
  for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
    lt_assert_rc(ltcp__sys_translate(unknown[i]), LTCP_EUNKNOWN);
  ck_assert_str_eq(ltcp_strerror(LTCP_EUNKNOWN), "unknown error");
}
END_TEST

START_TEST(translate_messages_are_fixed_text) {
  /* LuaSocket's words, never FormatMessage's localised text. */
  ck_assert_str_eq(ltcp_strerror(ltcp__sys_translate(WSAECONNREFUSED)), "connection refused");
  ck_assert_str_eq(ltcp_strerror(ltcp__sys_translate(WSAETIMEDOUT)), "timeout");
  ck_assert_str_eq(ltcp_strerror(ltcp__sys_translate(WSAESHUTDOWN)), "closed");
  ck_assert_str_eq(ltcp_strerror(ltcp__sys_translate(WSAEADDRINUSE)), "address already in use");
}
END_TEST

/* ---- the SOCKET type ---- */

START_TEST(socket_type_matches) {
  ck_assert_uint_eq(sizeof(ltcp_os_sock_t), sizeof(SOCKET));
  ck_assert(LTCP_INVALID_SOCKET == (ltcp_os_sock_t)INVALID_SOCKET);
  ck_assert((ltcp_os_sock_t)-1 > 0); /* unsigned: never compare with < 0 */
}
END_TEST

START_TEST(fd_roundtrip_all_bits) {
  ltcp_t *t = NULL;
  ltcp_os_sock_t real, fake;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  real = ltcp_getfd(t);
  ck_assert(real != LTCP_INVALID_SOCKET);
  /* A value with bits set in both halves on Win64 (and all over on Win32): any narrowing to int
   * or double-rounding would show. */
  fake = (ltcp_os_sock_t)(sizeof(ltcp_os_sock_t) > 4 ? (ltcp_os_sock_t)0x8123456789ABCDEFULL
                                                     : (ltcp_os_sock_t)0x89ABCDEFUL);
  lt_assert_rc(ltcp_setfd(t, fake), 0);
  ck_assert(ltcp_getfd(t) == fake);
  lt_assert_rc(ltcp_setfd(t, LTCP_INVALID_SOCKET), 0);
  ck_assert(ltcp_getfd(t) == LTCP_INVALID_SOCKET);
  lt_assert_rc(ltcp_setfd(t, real), 0);
  ck_assert(ltcp_getfd(t) == real);
  ltcp_free(t);
}
END_TEST

START_TEST(fd_is_a_real_winsock_handle) {
  /* A socket made by ltcp works with raw Winsock calls, and is not inheritable. */
  ltcp_t *t = NULL;
  ltcp_addr_t a;
  struct sockaddr_storage ss;
  int len = (int)sizeof ss;
  DWORD flags = 0xFFFFFFFF;
  SOCKET s, c;
  int err;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_bind(t, "127.0.0.1", 0), 0);
  s = (SOCKET)ltcp_getfd(t);
  ck_assert_int_eq(getsockname(s, (struct sockaddr *)&ss, &len), 0);
  lt_assert_rc(ltcp_getsockname(t, &a), 0);
  ck_assert_int_eq(ntohs(((struct sockaddr_in *)&ss)->sin_port), a.port);
  ck_assert(GetHandleInformation((HANDLE)s, &flags));
  ck_assert_msg((flags & HANDLE_FLAG_INHERIT) == 0, "socket handle is inheritable");
  /* Non-blocking: with nothing to accept, a raw accept fails at once instead of hanging. */
  lt_assert_rc(ltcp_listen(t, 4), 0);
  c = accept(s, NULL, NULL);
  err = WSAGetLastError(); /* before any Check call, which may reset the thread's last error */
  ck_assert(c == INVALID_SOCKET);
  ck_assert_int_eq(err, WSAEWOULDBLOCK);
  {
    /* Accepted sockets come from another call: not inheritable and non-blocking either. */
    ltcp_t *cl = NULL, *acc = malloc(ltcp_sizeof());
    char byte;
    ck_assert(acc != NULL);
    lt_assert_rc(ltcp_new(&cl, LTCP_FAMILY_INET), 0);
    lt_assert_rc(ltcp_settimeout(cl, 10.0, 'b'), 0);
    lt_assert_rc(ltcp_connect(cl, "127.0.0.1", a.port), 0);
    lt_assert_rc(ltcp_settimeout(t, 10.0, 'b'), 0);
    lt_assert_rc(ltcp_accept(t, acc), 0);
    flags = 0xFFFFFFFF;
    ck_assert(GetHandleInformation((HANDLE)ltcp_getfd(acc), &flags));
    ck_assert_msg((flags & HANDLE_FLAG_INHERIT) == 0, "accepted handle is inheritable");
    err = recv((SOCKET)ltcp_getfd(acc), &byte, 1, 0) == SOCKET_ERROR ? WSAGetLastError() : 0;
    ck_assert_int_eq(err, WSAEWOULDBLOCK); /* nothing sent yet: would block, not wait */
    ltcp_free(cl);
    ltcp_close(acc);
    free(acc);
  }
  ltcp_free(t);
}
END_TEST

/* ---- helpers for the network tests ---- */

/* A loopback port with nothing listening: bound (so it is ours), then released. */
static int closed_port(void) {
  ltcp_t *t = NULL;
  ltcp_addr_t a;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_bind(t, "127.0.0.1", 0), 0);
  lt_assert_rc(ltcp_getsockname(t, &a), 0);
  ltcp_free(t);
  return a.port;
}

/* ---- refused connections ---- */

START_TEST(refused_connect_blocking_call) {
  ltcp_t *t = NULL;
  int port = closed_port();
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_settimeout(t, 10.0, 'b'), 0); /* Windows retries SYNs for ~1-2 s */
  lt_assert_rc(ltcp_connect(t, "127.0.0.1", port), LTCP_EREFUSED);
  ck_assert_str_eq(ltcp_strerror(LTCP_EREFUSED), "connection refused");
  ck_assert_int_eq(ltcp_native_error(t), WSAECONNREFUSED);
  ltcp_free(t);
}
END_TEST

START_TEST(refused_connect_through_select) {
  ltcp_t *t = NULL;
  ltcp_pollfd_t p;
  size_t nready = 0;
  int port = closed_port(), rc;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_settimeout(t, 0.0, 'b'), 0);
  rc = ltcp_connect(t, "127.0.0.1", port);
  /* In progress, or (on a fast stack) already known to be refused. */
  ck_assert_msg(rc == LTCP_ETIMEOUT || rc == LTCP_EREFUSED, "connect: %d (%s)", rc,
                ltcp_strerror(rc));
  if (rc == LTCP_ETIMEOUT) {
    /* The failure shows in Winsock's except set only; select must report it as ready. */
    p.sock = ltcp_getfd(t);
    p.events = LTCP_POLLOUT;
    p.revents = 0;
    lt_assert_rc(ltcp_select(&p, 1, 10.0, &nready), 0);
    ck_assert_uint_eq(nready, 1);
    ck_assert_int_eq(p.revents, LTCP_POLLOUT);
    /* The next connect reports the outcome instead of starting a new attempt. */
    lt_assert_rc(ltcp_connect(t, "127.0.0.1", port), LTCP_EREFUSED);
  }
  ck_assert_int_eq(ltcp_native_error(t), WSAECONNREFUSED);
  ltcp_free(t);
}
END_TEST

START_TEST(refused_connect_wakes_a_reader_too) {
  /* As POLLERR on POSIX: a waiter for reading also wakes up when the connect fails. */
  ltcp_t *t = NULL;
  ltcp_pollfd_t p;
  size_t nready = 0;
  int port = closed_port(), rc;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_settimeout(t, 0.0, 'b'), 0);
  rc = ltcp_connect(t, "127.0.0.1", port);
  if (rc == LTCP_ETIMEOUT) {
    p.sock = ltcp_getfd(t);
    p.events = LTCP_POLLIN;
    p.revents = 0;
    lt_assert_rc(ltcp_select(&p, 1, 10.0, &nready), 0);
    ck_assert_uint_eq(nready, 1);
    ck_assert_int_eq(p.revents, LTCP_POLLIN);
  }
  ltcp_free(t);
}
END_TEST

/* ---- select over many sockets ---- */

#define MANY 1030 /* past Winsock's FD_SETSIZE (64) and the usual redefinition (1024) */

START_TEST(select_over_many_sockets) {
  ltcp_t *server = NULL;
  ltcp_t **cli = calloc(MANY, sizeof *cli), **acc = calloc(MANY, sizeof *acc);
  ltcp_pollfd_t *p = calloc(MANY, sizeof *p);
  static const size_t marked[] = {0, 63, 64, 700, MANY - 1};
  ltcp_addr_t a;
  size_t i, k, nready = 0;
  long long last = 0;
  double t0;
  ck_assert(cli && acc && p);
  lt_assert_rc(ltcp_new(&server, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_bind_to(server, "127.0.0.1", 0, 64), 0);
  lt_assert_rc(ltcp_getsockname(server, &a), 0);
  lt_assert_rc(ltcp_settimeout(server, 10.0, 'b'), 0);
  for (i = 0; i < MANY; i++) {
    lt_assert_rc(ltcp_new(&cli[i], LTCP_FAMILY_INET), 0);
    lt_assert_rc(ltcp_settimeout(cli[i], 10.0, 'b'), 0);
    lt_assert_rc(ltcp_connect(cli[i], "127.0.0.1", a.port), 0);
    acc[i] = malloc(ltcp_sizeof());
    ck_assert(acc[i] != NULL);
    lt_assert_rc(ltcp_accept(server, acc[i]), 0);
    p[i].sock = ltcp_getfd(cli[i]);
    p[i].events = LTCP_POLLIN;
  }
  /* Nothing to read anywhere: a timeout, never early. */
  t0 = lt_now();
  lt_assert_rc(ltcp_select(p, MANY, 0.05, &nready), LTCP_ETIMEOUT);
  lt_assert_elapsed(lt_now() - t0, 0.05);
  ck_assert_uint_eq(nready, 0);
  /* Data on a few, spread over the array (first, around 64, last). */
  for (k = 0; k < sizeof marked / sizeof marked[0]; k++)
    lt_assert_rc(lt_send_str(acc[marked[k]], "x", &last), 0);
  /* Loopback delivery is asynchronous: wait until all have arrived, under one deadline. */
  t0 = lt_now();
  do {
    lt_assert_rc(ltcp_select(p, MANY, 10.0, &nready), 0);
  } while (nready < sizeof marked / sizeof marked[0] && lt_now() - t0 < 10.0);
  ck_assert_uint_eq(nready, sizeof marked / sizeof marked[0]);
  for (i = 0, k = 0; i < MANY; i++) {
    int want = (k < sizeof marked / sizeof marked[0] && marked[k] == i) ? LTCP_POLLIN : 0;
    ck_assert_msg(p[i].revents == want, "entry %zu: revents %d, expected %d", i, p[i].revents,
                  want);
    if (want) k++;
  }
  /* Every client is writable; ask for both on every entry. */
  for (i = 0; i < MANY; i++) p[i].events = LTCP_POLLIN | LTCP_POLLOUT;
  lt_assert_rc(ltcp_select(p, MANY, 10.0, &nready), 0);
  ck_assert_uint_eq(nready, MANY);
  for (i = 0; i < MANY; i++) ck_assert(p[i].revents & LTCP_POLLOUT);
  for (i = 0; i < MANY; i++) {
    ltcp_free(cli[i]);
    ltcp_close(acc[i]);
    free(acc[i]);
  }
  ltcp_free(server);
  free(cli);
  free(acc);
  free(p);
}
END_TEST

START_TEST(select_duplicates_and_invalid_entries) {
  /* The same socket in several entries, and LTCP_INVALID_SOCKET entries, which are ignored. */
  ltcp_t *server = NULL, *c = NULL, *s = malloc(ltcp_sizeof());
  ltcp_pollfd_t p[4];
  ltcp_addr_t a;
  size_t nready = 0;
  long long last = 0;
  ck_assert(s != NULL);
  lt_assert_rc(ltcp_new(&server, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_bind_to(server, "127.0.0.1", 0, 8), 0);
  lt_assert_rc(ltcp_getsockname(server, &a), 0);
  lt_assert_rc(ltcp_new(&c, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_settimeout(c, 10.0, 'b'), 0);
  lt_assert_rc(ltcp_connect(c, "127.0.0.1", a.port), 0);
  lt_assert_rc(ltcp_settimeout(server, 10.0, 'b'), 0);
  lt_assert_rc(ltcp_accept(server, s), 0);
  lt_assert_rc(lt_send_str(s, "hi", &last), 0);
  p[0].sock = ltcp_getfd(c);
  p[0].events = LTCP_POLLIN;
  p[1].sock = LTCP_INVALID_SOCKET;
  p[1].events = LTCP_POLLIN;
  p[2].sock = ltcp_getfd(c);
  p[2].events = LTCP_POLLIN | LTCP_POLLOUT;
  p[3].sock = ltcp_getfd(c);
  p[3].events = 0;
  lt_assert_rc(ltcp_select(p, 4, 10.0, &nready), 0);
  if (p[0].revents == 0) lt_assert_rc(ltcp_select(p, 4, 10.0, &nready), 0); /* data in flight */
  ck_assert_int_eq(p[0].revents, LTCP_POLLIN);
  ck_assert_int_eq(p[1].revents, 0);
  ck_assert_int_eq(p[2].revents, LTCP_POLLIN | LTCP_POLLOUT);
  ck_assert_int_eq(p[3].revents, 0);
  ck_assert_uint_eq(nready, 2);
  ltcp_free(c);
  ltcp_close(s);
  free(s);
  ltcp_free(server);
}
END_TEST

START_TEST(select_nothing_still_sleeps) {
  /* Winsock rejects select with three empty sets (WSAEINVAL); ltcp sleeps the timeout instead. */
  ltcp_pollfd_t p;
  size_t nready = 1;
  double t0 = lt_now();
  lt_assert_rc(ltcp_select(NULL, 0, 0.05, &nready), LTCP_ETIMEOUT);
  lt_assert_elapsed(lt_now() - t0, 0.05);
  ck_assert_uint_eq(nready, 0);
  p.sock = LTCP_INVALID_SOCKET;
  p.events = LTCP_POLLIN;
  p.revents = 7;
  t0 = lt_now();
  lt_assert_rc(ltcp_select(&p, 1, 0.0301, &nready), LTCP_ETIMEOUT);
  lt_assert_elapsed(lt_now() - t0, 0.0301);
  ck_assert_int_eq(p.revents, 0);
}
END_TEST

START_TEST(select_closed_handle_is_ready) {
  /* A handle that is no longer a socket makes Winsock fail the whole select (WSAENOTSOCK);
   * like POLLNVAL on POSIX, ltcp reports that entry as ready so the next call says why. */
  ltcp_pollfd_t p;
  size_t nready = 0;
  SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  ck_assert(s != INVALID_SOCKET);
  ck_assert_int_eq(closesocket(s), 0);
  p.sock = (ltcp_os_sock_t)s;
  p.events = LTCP_POLLIN;
  p.revents = 0;
  lt_assert_rc(ltcp_select(&p, 1, 1.0, &nready), 0);
  ck_assert_uint_eq(nready, 1);
  ck_assert_int_eq(p.revents, LTCP_POLLIN);
}
END_TEST

/* CPU seconds this process has used (user + kernel). */
static double cpu_seconds(void) {
  FILETIME c, x, k, u;
  ULARGE_INTEGER kk, uu;
  GetProcessTimes(GetCurrentProcess(), &c, &x, &k, &u);
  kk.LowPart = k.dwLowDateTime;
  kk.HighPart = k.dwHighDateTime;
  uu.LowPart = u.dwLowDateTime;
  uu.HighPart = u.dwHighDateTime;
  return (double)(kk.QuadPart + uu.QuadPart) * 1e-7;
}

START_TEST(urgent_data_neither_spins_nor_joins_the_stream) {
  /* TCP urgent data shows in Winsock's except set, where ltcp also looks for failed connects;
   * it must not make a reader wake up for ever (a busy loop), and, as on POSIX without
   * SO_OOBINLINE, the urgent byte is not part of what receive returns. */
  ltcp_t *server = NULL, *c = NULL, *s = malloc(ltcp_sizeof());
  ltcp_addr_t a;
  ltcp_bytes_t got;
  ltcp_pollfd_t p;
  size_t nready = 9;
  double t0, cpu0;
  ck_assert(s != NULL);
  lt_assert_rc(ltcp_new(&server, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_bind_to(server, "127.0.0.1", 0, 4), 0);
  lt_assert_rc(ltcp_getsockname(server, &a), 0);
  lt_assert_rc(ltcp_new(&c, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_settimeout(c, 10.0, 'b'), 0);
  lt_assert_rc(ltcp_connect(c, "127.0.0.1", a.port), 0);
  lt_assert_rc(ltcp_settimeout(server, 10.0, 'b'), 0);
  lt_assert_rc(ltcp_accept(server, s), 0);
  ck_assert_int_eq(send((SOCKET)ltcp_getfd(s), "!", 1, MSG_OOB), 1);
  p.sock = ltcp_getfd(c);
  p.events = LTCP_POLLIN;
  p.revents = 0;
  t0 = lt_now();
  cpu0 = cpu_seconds();
  lt_assert_rc(ltcp_select(&p, 1, 0.3, &nready), LTCP_ETIMEOUT);
  lt_assert_rc(ltcp_settimeout(c, 0.3, 'b'), 0);
  lt_assert_rc(lt_receive(c, LTCP_RECV_LINE, 0, NULL, &got), LTCP_ETIMEOUT);
  ck_assert_uint_eq(got.len, 0);
  ltcp_bytes_free(&got);
  lt_assert_elapsed(lt_now() - t0, 0.6);
  ck_assert_msg(cpu_seconds() - cpu0 < 0.3, "waiting 0.6 s used %.3f s of CPU: a busy loop",
                cpu_seconds() - cpu0);
  ck_assert_int_eq(send((SOCKET)ltcp_getfd(s), "abc\n", 4, 0), 4);
  lt_assert_rc(ltcp_settimeout(c, 10.0, 'b'), 0);
  lt_assert_rc(lt_receive(c, LTCP_RECV_LINE, 0, NULL, &got), 0);
  lt_assert_bytes(got.data, got.len, "abc", 3);
  ltcp_bytes_free(&got);
  ltcp_free(c);
  ltcp_close(s);
  free(s);
  ltcp_free(server);
}
END_TEST

/* ---- names ---- */

START_TEST(empty_host_is_unknown) {
  /* Windows' getaddrinfo resolves "" to this machine's addresses; POSIX says "not known". */
  ltcp_t *t = NULL;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_bind(t, "", 0), LTCP_ENONAME);
  ck_assert_int_eq(ltcp_state(t), LTCP_STATE_MASTER);
  lt_assert_rc(ltcp_settimeout(t, 2.0, 'b'), 0);
  lt_assert_rc(ltcp_connect(t, "", 80), LTCP_ENONAME);
  ltcp_free(t);
}
END_TEST

START_TEST(wildcard_and_numeric_names) {
  ltcp_t *t = NULL;
  ltcp_addr_t a;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_bind(t, "*", 0), 0);
  lt_assert_rc(ltcp_getsockname(t, &a), 0);
  ck_assert_str_eq(a.host, "0.0.0.0");
  ck_assert_int_eq(a.family, LTCP_FAMILY_INET);
  ck_assert(a.port > 0 && a.port < 65536);
  ltcp_free(t);
  t = NULL;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_bind(t, "127.0.0.1", 0), 0);
  lt_assert_rc(ltcp_getsockname(t, &a), 0);
  ck_assert_str_eq(a.host, "127.0.0.1");
  ltcp_free(t);
}
END_TEST

/* ---- options with Windows quirks ---- */

START_TEST(options_windows) {
  ltcp_t *t = NULL;
  int v = -1, li = -1, rc;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  /* getsockopt(TCP_NODELAY) may fill a single byte: the value must still read as 0/1. */
  lt_assert_rc(ltcp_setoption(t, LTCP_OPT_TCP_NODELAY, 1, 0), 0);
  lt_assert_rc(ltcp_getoption(t, LTCP_OPT_TCP_NODELAY, &v, NULL), 0);
  ck_assert_int_eq(v, 1);
  lt_assert_rc(ltcp_setoption(t, LTCP_OPT_TCP_NODELAY, 0, 0), 0);
  lt_assert_rc(ltcp_getoption(t, LTCP_OPT_TCP_NODELAY, &v, NULL), 0);
  ck_assert_int_eq(v, 0);
  lt_assert_rc(ltcp_setoption(t, LTCP_OPT_KEEPALIVE, 1, 0), 0);
  lt_assert_rc(ltcp_getoption(t, LTCP_OPT_KEEPALIVE, &v, NULL), 0);
  ck_assert_int_eq(v, 1);
  lt_assert_rc(ltcp_setoption(t, LTCP_OPT_LINGER, 1, 7), 0);
  lt_assert_rc(ltcp_getoption(t, LTCP_OPT_LINGER, &v, &li), 0);
  ck_assert_int_eq(v, 1);
  ck_assert_int_eq(li, 7);
  lt_assert_rc(ltcp_setoption(t, LTCP_OPT_LINGER, 1, 70000), LTCP_EINVAL); /* u_short */
  lt_assert_rc(ltcp_setoption(t, LTCP_OPT_REUSEPORT, 1, 0), LTCP_ENOTSUP);
  lt_assert_rc(ltcp_getoption(t, LTCP_OPT_REUSEPORT, &v, NULL), LTCP_ENOTSUP);
  /* Windows 10 1709+ has these; older systems and older headers say "not supported". */
  rc = ltcp_setoption(t, LTCP_OPT_TCP_KEEPIDLE, 60, 0);
  ck_assert_msg(rc == 0 || rc == LTCP_ENOTSUP, "tcp-keepidle: %d (%s)", rc, ltcp_strerror(rc));
  ltcp_free(t);
}
END_TEST

START_TEST(close_with_linger_releases_the_handle) {
  /* Winsock: closesocket on a non-blocking socket with linger {1, n > 0} and unsent data fails
   * with WSAEWOULDBLOCK and keeps the handle (Wine instead blocks for the linger time); either
   * way ltcp_close must release the handle, lingering at most the time set. */
  ltcp_t *server = NULL, *c = NULL, *s = malloc(ltcp_sizeof());
  ltcp_addr_t a;
  SOCKET raw;
  int type = 0, len = (int)sizeof type, err, i, rc = 0;
  long long last = 0;
  double t0;
  static char chunk[65536];
  ck_assert(s != NULL);
  lt_assert_rc(ltcp_new(&server, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_bind_to(server, "127.0.0.1", 0, 4), 0);
  lt_assert_rc(ltcp_getsockname(server, &a), 0);
  lt_assert_rc(ltcp_new(&c, LTCP_FAMILY_INET), 0);
  lt_assert_rc(ltcp_settimeout(c, 10.0, 'b'), 0);
  lt_assert_rc(ltcp_connect(c, "127.0.0.1", a.port), 0);
  lt_assert_rc(ltcp_settimeout(server, 10.0, 'b'), 0);
  lt_assert_rc(ltcp_accept(server, s), 0);
  lt_assert_rc(ltcp_setoption(c, LTCP_OPT_LINGER, 1, 1), 0);
  /* Fill the send path: the peer never reads, so data stays queued at close. */
  memset(chunk, 'q', sizeof chunk);
  lt_assert_rc(ltcp_settimeout(c, 0.0, 'b'), 0);
  for (i = 0; i < 4096 && rc == 0; i++) rc = ltcp_send(c, chunk, sizeof chunk, 1, -1, &last);
  lt_assert_rc(rc, LTCP_ETIMEOUT);
  raw = (SOCKET)ltcp_getfd(c);
  t0 = lt_now();
  lt_assert_rc(ltcp_close(c), 0);
  ck_assert_msg(lt_now() - t0 < 1.0 + LT_LATE_SLACK, "close lingered %.3f s, linger is 1 s",
                lt_now() - t0);
  ck_assert(ltcp_getfd(c) == LTCP_INVALID_SOCKET);
  err = getsockopt(raw, SOL_SOCKET, SO_TYPE, (char *)&type, &len) == 0 ? 0 : WSAGetLastError();
  ck_assert_msg(err == WSAENOTSOCK, "handle still open after ltcp_close (error %d)", err);
  ltcp_free(c);
  ltcp_close(s);
  free(s);
  ltcp_free(server);
}
END_TEST

/* ---- library start-up ---- */

START_TEST(init_cleanup_refcount) {
  /* The runner holds one ltcp_init. A raw WSAStartup here stands for another Winsock user in
   * the process: ltcp must never release a reference it did not take. */
  WSADATA d;
  ltcp_t *t = NULL;
  SOCKET raw;
  lt_assert_rc(ltcp_init(), 0);
  lt_assert_rc(ltcp_init(), 0);
  ltcp_cleanup();
  ltcp_cleanup(); /* back to the runner's one reference */
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  ltcp_free(t);

  ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &d), 0);
  ltcp_cleanup(); /* the runner's reference: ltcp now holds none */
  ltcp_cleanup(); /* extra calls are ignored ... */
  ltcp_cleanup();
  raw = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP); /* ... so the other user's Winsock still works */
  ck_assert_msg(raw != INVALID_SOCKET, "extra ltcp_cleanup released Winsock: %d",
                WSAGetLastError());
  closesocket(raw);
  ck_assert_int_eq(WSACleanup(), 0);

  /* Nobody holds Winsock now. */
  t = NULL;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), LTCP_ENOTINIT);
  if (t) ltcp_free(t);
  t = NULL;
  lt_assert_rc(ltcp_init(), 0); /* restores the runner's reference */
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  ltcp_free(t);
}
END_TEST

/* ---- clocks ---- */

START_TEST(clocks) {
  double m0 = ltcp__sys_monotonic(), w = ltcp_gettime(), t0, m1;
  time_t now = time(NULL);
  ck_assert_msg(w > (double)now - 2.0 && w < (double)now + 2.0, "gettime %.3f vs time() %lld", w,
                (long long)now);
  t0 = lt_now();
  ltcp_sleep(0.0151); /* Sleep takes whole ms: rounded up, never early */
  lt_assert_elapsed(lt_now() - t0, 0.0151);
  m1 = ltcp__sys_monotonic();
  ck_assert(m1 - m0 >= 0.0151 - 1e-6);
}
END_TEST

static Suite *win32_suite(void) {
  Suite *s = suite_create("win32");
  TCase *tc = tcase_create("errors");
  tcase_add_test(tc, translate_table);
  tcase_add_test(tc, translate_unknown);
  tcase_add_test(tc, translate_messages_are_fixed_text);
  suite_add_tcase(s, tc);

  tc = tcase_create("socket_type");
  tcase_add_test(tc, socket_type_matches);
  tcase_add_test(tc, fd_roundtrip_all_bits);
  tcase_add_test(tc, fd_is_a_real_winsock_handle);
  suite_add_tcase(s, tc);

  tc = tcase_create("refused");
  tcase_add_test(tc, refused_connect_blocking_call);
  tcase_add_test(tc, refused_connect_through_select);
  tcase_add_test(tc, refused_connect_wakes_a_reader_too);
  suite_add_tcase(s, tc);

  tc = tcase_create("select");
  tcase_add_test(tc, select_over_many_sockets);
  tcase_add_test(tc, select_duplicates_and_invalid_entries);
  tcase_add_test(tc, select_nothing_still_sleeps);
  tcase_add_test(tc, select_closed_handle_is_ready);
  tcase_add_test(tc, urgent_data_neither_spins_nor_joins_the_stream);
  suite_add_tcase(s, tc);

  tc = tcase_create("names");
  tcase_add_test(tc, empty_host_is_unknown);
  tcase_add_test(tc, wildcard_and_numeric_names);
  suite_add_tcase(s, tc);

  tc = tcase_create("options");
  tcase_add_test(tc, options_windows);
  tcase_add_test(tc, close_with_linger_releases_the_handle);
  suite_add_tcase(s, tc);

  tc = tcase_create("library");
  tcase_add_test(tc, init_cleanup_refcount);
  tcase_add_test(tc, clocks);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(win32_suite());
}
