/* Winsock sockets: start-up, then single attempts on non-blocking sockets that child processes
 * do not inherit.
 * Invariants: Winsock start-up is reference counted here as well as inside Winsock: each
 * successful ltcp__sys_init takes one WSAStartup reference, each ltcp__sys_cleanup gives one
 * back, and a cleanup without a matching init is ignored instead of releasing someone else's
 * reference. A SOCKET is an unsigned handle (64-bit on Win64), compared with INVALID_SOCKET and
 * never narrowed; send/recv take int lengths, so each attempt is clamped to INT_MAX and the common
 * io loop sends/receives the rest. Windows has no SIGPIPE, so nothing is needed for it. */
#include <limits.h>
#include <string.h>

#include "berkeley.h"

static volatile LONG ltcp__wsa_refs = 0;

int ltcp__sys_init(void) {
  WSADATA data;
  int rc = WSAStartup(MAKEWORD(2, 2), &data);
  if (rc != 0) return ltcp__win32_code(rc, NULL); /* WSAStartup returns its error directly */
  if (LOBYTE(data.wVersion) != 2 || HIBYTE(data.wVersion) != 2) {
    WSACleanup();
    return LTCP_ENOTSUP;
  }
  InterlockedIncrement(&ltcp__wsa_refs);
  return 0;
}

void ltcp__sys_cleanup(void) {
  LONG n;
  do {
    n = ltcp__wsa_refs;
    if (n <= 0) return;
  } while (InterlockedCompareExchange(&ltcp__wsa_refs, n - 1, n) != n);
  WSACleanup();
}

static int set_nonblocking(SOCKET s, int *native) {
  u_long on = 1;
  if (ioctlsocket(s, FIONBIO, &on) != 0) return ltcp__sock_fail(native);
  return 0;
}

int ltcp__sys_socket(int family, ltcp_os_sock_t *out, int *native) {
  int af = ltcp__bsd_af(family);
  /* WSA_FLAG_NO_HANDLE_INHERIT makes the handle non-inheritable atomically (no window in which a
   * CreateProcess on another thread could inherit it). Windows before 7 SP1 rejects the flag
   * with WSAEINVAL: fall back to SetHandleInformation there. WSA_FLAG_OVERLAPPED keeps the
   * sockets like those of socket(). */
  SOCKET s = WSASocketW(af, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                        WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
  int rc;
  if (s == INVALID_SOCKET) {
    if (WSAGetLastError() != WSAEINVAL) return ltcp__sock_fail(native);
    s = WSASocketW(af, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET) return ltcp__sock_fail(native);
    if (!SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0)) {
      if (native) *native = (int)GetLastError(); /* a Win32 error, not a WSA one */
      closesocket(s);
      return LTCP_EBADF;
    }
  }
  if ((rc = set_nonblocking(s, native)) != 0) {
    closesocket(s);
    return rc;
  }
  *out = (ltcp_os_sock_t)s;
  return 0;
}

int ltcp__sys_close(ltcp_os_sock_t s) {
  u_long off = 0;
  if (closesocket((SOCKET)s) == 0) return 0;
  /* With linger on (a non-zero timeout), closesocket on a non-blocking socket fails with
   * WSAEWOULDBLOCK and the handle stays open. Close it in blocking mode, which lingers as
   * asked (as close does on POSIX), instead of leaking it. */
  if (WSAGetLastError() != WSAEWOULDBLOCK) return LTCP_EBADF;
  ioctlsocket((SOCKET)s, FIONBIO, &off);
  return closesocket((SOCKET)s) == 0 ? 0 : LTCP_EBADF;
}

int ltcp__sys_bind(ltcp_os_sock_t s, const ltcp__sockaddr_t *addr, int *native) {
  if (bind((SOCKET)s, (const struct sockaddr *)addr->u.raw, (int)addr->len) == 0) return 0;
  return ltcp__sock_fail(native);
}

int ltcp__sys_listen(ltcp_os_sock_t s, int backlog, int *native) {
  if (listen((SOCKET)s, backlog) == 0) return 0;
  return ltcp__sock_fail(native);
}

int ltcp__sys_accept(ltcp_os_sock_t s, ltcp_os_sock_t *out, int *native) {
  SOCKET c = accept((SOCKET)s, NULL, NULL);
  int rc;
  if (c == INVALID_SOCKET) return ltcp__sock_fail(native);
  /* An accepted socket takes the listener's options, but set both properties explicitly. A
   * failing SetHandleInformation (some layered providers hand out non-handle sockets) leaves a
   * usable socket, so it is not an error. */
  (void)SetHandleInformation((HANDLE)c, HANDLE_FLAG_INHERIT, 0);
  if ((rc = set_nonblocking(c, native)) != 0) {
    closesocket(c);
    return rc;
  }
  *out = (ltcp_os_sock_t)c;
  return 0;
}

/* SO_ERROR of `s` (0 when none); reading it also clears it, on Winsock as on POSIX. */
static int pending_error(SOCKET s, int *err) {
  int len = (int)sizeof *err;
  *err = 0;
  return getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)err, &len);
}

int ltcp__sys_connect_start(ltcp_os_sock_t s, const ltcp__sockaddr_t *addr, int *native) {
  int err;
  /* A connect that failed in the background (after a connect with timeout 0) leaves its error in
   * SO_ERROR. POSIX's next connect reports that error; Winsock's would silently start a new
   * attempt, so a refused connection would read as "timeout" for ever. Report it here instead. */
  if (pending_error((SOCKET)s, &err) == 0 && err != 0) return ltcp__win32_code(err, native);
  if (connect((SOCKET)s, (const struct sockaddr *)addr->u.raw, (int)addr->len) == 0) return 0;
  err = WSAGetLastError();
  if (native) *native = err;
  /* A non-blocking connect that has started reports WSAEWOULDBLOCK on Winsock, where POSIX
   * says EINPROGRESS: both mean "in progress". */
  if (err == WSAEWOULDBLOCK || err == WSAEINPROGRESS) return LTCP__INPROGRESS;
  return ltcp__sys_translate(err);
}

int ltcp__sys_connect_finish(ltcp_os_sock_t s, int *native) {
  struct sockaddr_storage peer;
  int err, len = (int)sizeof peer, tries;
  if (pending_error((SOCKET)s, &err) != 0) return ltcp__sock_fail(native);
  if (err != 0) return ltcp__win32_code(err, native);
  /* SO_ERROR 0: connected, unless the failure was signalled (except set) before its error code
   * was posted, which older Windows versions are known to do. getpeername tells the two apart;
   * the code then follows within a few milliseconds. Bounded: the failure is reported anyway. */
  if (getpeername((SOCKET)s, (struct sockaddr *)&peer, &len) == 0) return 0;
  if (WSAGetLastError() != WSAENOTCONN) return ltcp__sock_fail(native);
  for (tries = 0; tries < 20 && err == 0; tries++) {
    Sleep(1);
    if (pending_error((SOCKET)s, &err) != 0) return ltcp__sock_fail(native);
  }
  return ltcp__win32_code(err != 0 ? err : WSAENOTCONN, native);
}

int ltcp__sys_send(ltcp_os_sock_t s, const char *data, size_t len, size_t *sent, int *native) {
  int n = send((SOCKET)s, data, len > (size_t)INT_MAX ? INT_MAX : (int)len, 0);
  if (n != SOCKET_ERROR) {
    *sent = (size_t)n;
    return 0;
  }
  *sent = 0;
  return ltcp__sock_fail(native);
}

int ltcp__sys_recv(ltcp_os_sock_t s, char *data, size_t len, size_t *got, int *native) {
  int n = recv((SOCKET)s, data, len > (size_t)INT_MAX ? INT_MAX : (int)len, 0);
  if (n > 0) {
    *got = (size_t)n;
    return 0;
  }
  *got = 0;
  if (n == 0) return LTCP_ECLOSED;
  return ltcp__sock_fail(native);
}

int ltcp__sys_shutdown(ltcp_os_sock_t s, int how, int *native) {
  int h = how == LTCP_SHUT_RECEIVE ? SD_RECEIVE : how == LTCP_SHUT_SEND ? SD_SEND : SD_BOTH;
  if (shutdown((SOCKET)s, h) == 0) return 0;
  return ltcp__sock_fail(native);
}

/* Windows has no per-process socket limit short of its handle table (2^24 handles), and select
 * is sized per call. Programs that size work by this number (LuaSocket's _SETSIZE) need a finite
 * one: 16384, ltcp's documented bound. */
int ltcp__sys_maxsockets(void) {
  return 16384;
}
