/* POSIX sockets: start-up (none needed), then single attempts on sockets that are non-blocking,
 * close-on-exec, with SIGPIPE suppressed per socket (MSG_NOSIGNAL on send, or SO_NOSIGPIPE where
 * that exists), never by signal(). */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE 1 /* accept4 */
#endif
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <limits.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "berkeley.h"

#ifdef MSG_NOSIGNAL
#define LTCP__SEND_FLAGS MSG_NOSIGNAL
#else
#define LTCP__SEND_FLAGS 0
#endif

/* Non-blocking, close-on-exec and no-SIGPIPE for a socket made without SOCK_* flags. */
static int prepare(int fd, int *native) {
  int fl = fcntl(fd, F_GETFL, 0);
  if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return ltcp__sock_fail(native);
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) return ltcp__sock_fail(native);
#ifdef SO_NOSIGPIPE
  {
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
  }
#endif
  return 0;
}

/* Nothing to start on POSIX: sockets need no library initialisation. */
int ltcp__sys_init(void) {
  return 0;
}

void ltcp__sys_cleanup(void) {
}

int ltcp__sys_socket(int family, ltcp_os_sock_t *out, int *native) {
  int fd, rc;
#if defined(SOCK_NONBLOCK) && defined(SOCK_CLOEXEC)
  fd = socket(ltcp__bsd_af(family), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd >= 0) {
#ifdef SO_NOSIGPIPE
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
    *out = fd;
    return 0;
  }
  if (errno != EINVAL) return ltcp__sock_fail(native);
#endif
  fd = socket(ltcp__bsd_af(family), SOCK_STREAM, 0);
  if (fd < 0) return ltcp__sock_fail(native);
  if ((rc = prepare(fd, native)) != 0) {
    close(fd);
    return rc;
  }
  *out = fd;
  return 0;
}

int ltcp__sys_close(ltcp_os_sock_t s) {
  /* Not retried on EINTR: on Linux the descriptor is released either way. */
  return close(s) == 0 ? 0 : LTCP_EBADF;
}

int ltcp__sys_bind(ltcp_os_sock_t s, const ltcp__sockaddr_t *addr, int *native) {
  if (bind(s, (const struct sockaddr *)addr->u.raw, (socklen_t)addr->len) == 0) return 0;
  return ltcp__sock_fail(native);
}

int ltcp__sys_listen(ltcp_os_sock_t s, int backlog, int *native) {
  if (listen(s, backlog) == 0) return 0;
  return ltcp__sock_fail(native);
}

int ltcp__sys_accept(ltcp_os_sock_t s, ltcp_os_sock_t *out, int *native) {
  int fd, rc;
#if defined(__linux__) && defined(SOCK_NONBLOCK)
  fd = accept4(s, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd >= 0) {
    *out = fd;
    return 0;
  }
  if (errno != ENOSYS && errno != EINVAL) return ltcp__sock_fail(native);
#endif
  fd = accept(s, NULL, NULL);
  if (fd < 0) return ltcp__sock_fail(native);
  if ((rc = prepare(fd, native)) != 0) {
    close(fd);
    return rc;
  }
  *out = fd;
  return 0;
}

int ltcp__sys_connect_start(ltcp_os_sock_t s, const ltcp__sockaddr_t *addr, int *native) {
  if (connect(s, (const struct sockaddr *)addr->u.raw, (socklen_t)addr->len) == 0) return 0;
  return ltcp__sock_fail(native);
}

int ltcp__sys_connect_finish(ltcp_os_sock_t s, int *native) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return ltcp__sock_fail(native);
  if (err == 0) return 0;
  if (native) *native = err;
  return ltcp__sys_translate(err);
}

int ltcp__sys_send(ltcp_os_sock_t s, const char *data, size_t len, size_t *sent, int *native) {
  ssize_t n = send(s, data, len, LTCP__SEND_FLAGS);
  if (n >= 0) {
    *sent = (size_t)n;
    return 0;
  }
  *sent = 0;
  return ltcp__sock_fail(native);
}

int ltcp__sys_recv(ltcp_os_sock_t s, char *data, size_t len, size_t *got, int *native) {
  ssize_t n = recv(s, data, len, 0);
  if (n > 0) {
    *got = (size_t)n;
    return 0;
  }
  *got = 0;
  if (n == 0) return LTCP_ECLOSED;
  return ltcp__sock_fail(native);
}

int ltcp__sys_shutdown(ltcp_os_sock_t s, int how, int *native) {
  int h = how == LTCP_SHUT_RECEIVE ? SHUT_RD : how == LTCP_SHUT_SEND ? SHUT_WR : SHUT_RDWR;
  if (shutdown(s, h) == 0) return 0;
  return ltcp__sock_fail(native);
}

/* Every socket is a descriptor: the soft descriptor limit is the truthful answer. Unlimited (or
 * beyond an int) falls back to the system's figure, then to a fixed, documented bound. */
int ltcp__sys_maxsockets(void) {
  struct rlimit rl;
  long n;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > 0 &&
      rl.rlim_cur <= (rlim_t)INT_MAX)
    return (int)rl.rlim_cur;
  n = sysconf(_SC_OPEN_MAX);
  return n > 0 && n <= INT_MAX ? (int)n : 1 << 20;
}
