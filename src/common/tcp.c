/* The TCP object: lifecycle and the state machine master -> client | server -> closed, the
 * default transport over the OS socket, and the accessors that work in every state.
 * Invariant: every socket operation checks the state first (ltcp__check), so a call in the wrong
 * state returns a code and never touches the socket. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* ---- the OS socket as a transport ---- */

static int sock_send(void *ctx, const char *data, size_t len, size_t *sent) {
  ltcp_t *t = ctx;
  if (t->sock == LTCP_INVALID_SOCKET) return LTCP_ECLOSED;
  return ltcp__sys_send(t->sock, data, len, sent, &t->native);
}

static int sock_recv(void *ctx, char *data, size_t len, size_t *got) {
  ltcp_t *t = ctx;
  if (t->sock == LTCP_INVALID_SOCKET) return LTCP_ECLOSED;
  return ltcp__sys_recv(t->sock, data, len, got, &t->native);
}

static int sock_wait(void *ctx, int events, double seconds) {
  ltcp_t *t = ctx;
  if (t->sock == LTCP_INVALID_SOCKET) return LTCP_ECLOSED;
  return ltcp__sys_wait(t->sock, events, seconds, &t->native);
}

void ltcp__socket_transport(ltcp_t *t) {
  t->tr.ctx = t;
  t->tr.send = sock_send;
  t->tr.recv = sock_recv;
  t->tr.wait = sock_wait;
}

int ltcp__uses_socket_transport(const ltcp_t *t) {
  return t->tr.wait == sock_wait;
}

void ltcp__set_transport(ltcp_t *t, const ltcp__transport_t *tr) {
  t->tr = *tr;
  t->state = LTCP_STATE_CLIENT;
}

/* ---- lifecycle ---- */

void ltcp__init_object(ltcp_t *t, int state, int family, ltcp_os_sock_t sock) {
  t->sock = sock;
  t->state = state;
  t->family = family;
  t->native = 0;
  ltcp__timeout_init(&t->tm);
  t->birthday = ltcp__sys_monotonic();
  t->received = 0.0;
  t->sent = 0.0;
  t->limit = 0;
  t->buf = NULL;
  t->bufsize = 0;
  t->bufwant = LTCP__BUFSIZE;
  t->buffixed = 0;
  t->bufsmall = 0;
  t->connecting = 0;
  t->stale = 0;
  t->bound = 0;
  t->eyeballs = LTCP__EYEBALLS_DEFAULT;
  t->race = NULL;
  t->opts = NULL;
  t->first = t->last = 0;
  t->has_cr = 0;
  ltcp__socket_transport(t);
}

size_t ltcp_sizeof(void) {
  return sizeof(ltcp_t);
}

int ltcp_open(ltcp_t *t, ltcp_family_t family) {
  ltcp_os_sock_t s = LTCP_INVALID_SOCKET;
  int rc;
  if (!t) return LTCP_EINVAL;
  ltcp__init_object(t, LTCP_STATE_CLOSED, LTCP_FAMILY_UNSPEC, LTCP_INVALID_SOCKET);
  if (family != LTCP_FAMILY_UNSPEC && family != LTCP_FAMILY_INET && family != LTCP_FAMILY_INET6)
    return LTCP_EINVAL;
  if (family != LTCP_FAMILY_UNSPEC && (rc = ltcp__inet_socket(family, &s, &t->native)) != 0)
    return rc;
  t->sock = s;
  t->family = family;
  t->state = LTCP_STATE_MASTER;
  return 0;
}

int ltcp_new(ltcp_t **out, ltcp_family_t family) {
  ltcp_t *t;
  int rc;
  if (!out) return LTCP_EINVAL;
  *out = NULL;
  t = malloc(sizeof *t);
  if (!t) return LTCP_ENOMEM;
  rc = ltcp_open(t, family);
  if (rc) {
    free(t);
    return rc;
  }
  *out = t;
  return 0;
}

void ltcp_free(ltcp_t *t) {
  if (!t) return;
  ltcp_close(t);
  free(t);
}

int ltcp_close(ltcp_t *t) {
  if (!t) return LTCP_EINVAL;
  ltcp__race_free(t);
  ltcp__forget_options(t);
  if (t->sock != LTCP_INVALID_SOCKET) ltcp__sys_close(t->sock);
  t->sock = LTCP_INVALID_SOCKET;
  t->state = LTCP_STATE_CLOSED;
  ltcp__buffer_release(t);
  return 0;
}

ltcp_state_t ltcp_state(const ltcp_t *t) {
  return t ? (ltcp_state_t)t->state : LTCP_STATE_CLOSED;
}

const char *ltcp_state_name(ltcp_state_t state) {
  switch (state) {
  case LTCP_STATE_MASTER: return "master";
  case LTCP_STATE_CLIENT: return "client";
  case LTCP_STATE_SERVER: return "server";
  default: return "closed";
  }
}

ltcp_family_t ltcp_getfamily(const ltcp_t *t) {
  return t ? (ltcp_family_t)t->family : LTCP_FAMILY_UNSPEC;
}

/* ---- master ---- */

int ltcp_bind(ltcp_t *t, const char *host, int port) {
  int rc = ltcp__check(t, LTCP__M_MASTER);
  if (rc) return rc;
  if (!host || port < 0 || port > 65535) return LTCP_EINVAL;
  return ltcp__inet_bind(t, host, port);
}

int ltcp_listen(ltcp_t *t, int backlog) {
  int rc = ltcp__check(t, LTCP__M_MASTER);
  if (rc) return rc;
  if (t->sock == LTCP_INVALID_SOCKET) return LTCP_EBADF;
  if (backlog < 0) backlog = 0;
  rc = ltcp__sys_listen(t->sock, backlog, &t->native);
  if (rc) return rc;
  t->state = LTCP_STATE_SERVER;
  return 0;
}

int ltcp_connect(ltcp_t *t, const char *host, int port) {
  int rc = ltcp__check(t, LTCP__M_MASTER | LTCP__M_CLIENT);
  if (rc) return rc;
  if (!host || port < 1 || port > 65535) return LTCP_EINVAL;
  ltcp__timeout_markstart(&t->tm, ltcp__sys_monotonic());
  return ltcp__inet_connect(t, host, port);
}

/* ---- server ---- */

/* One accept. A connection reset before we took it (ECONNABORTED) is not the server's failure:
 * try for the next one at once, as after a signal (and as LuaSocket does). */
static int accept_once(ltcp_t *server, ltcp_os_sock_t *s) {
  int rc = ltcp__sys_accept(server->sock, s, &server->native);
  return rc == LTCP__ERESET ? LTCP__EINTR : rc;
}

int ltcp_accept(ltcp_t *server, ltcp_t *client) {
  ltcp_os_sock_t s;
  int rc;
  if (client) ltcp__init_object(client, LTCP_STATE_CLOSED, 0, LTCP_INVALID_SOCKET);
  if (!client) return LTCP_EINVAL;
  if ((rc = ltcp__check(server, LTCP__M_SERVER)) != 0) return rc;
  ltcp__timeout_callstart(&server->tm);
  do rc = accept_once(server, &s);
  while (rc != 0 && ltcp__io_again(server, &rc, LTCP_POLLIN));
  if (rc) return rc;
  ltcp__init_object(client, LTCP_STATE_CLIENT, server->family, s);
  return 0;
}

/* ---- client ---- */

/* Send data[0..len) under the call's timeouts; *sent bytes went out, also on error. Inline:
 * ltcp_send (the Lua binding's) and ltcp_write each run it with no extra call. */
static inline int write_all(ltcp_t *t, const char *data, size_t len, size_t *sent) {
  size_t total = 0;
  int rc = 0;
  ltcp__timeout_callstart(&t->tm);
  while (total < len) {
    size_t done = 0;
    rc = ltcp__io_send(t, data + total, len - total, &done);
    total += done;
    if (rc) break;
  }
  t->sent += (double)total;
  *sent = total;
  return ltcp__public_rc(rc);
}

int ltcp_write(ltcp_t *t, const char *data, size_t len, size_t *sent) {
  size_t none;
  int rc;
  if (!sent) sent = &none;
  *sent = 0;
  if ((rc = ltcp__check(t, LTCP__M_CLIENT)) != 0) return rc;
  if (!data && len) return LTCP_EINVAL;
  return write_all(t, data, len, sent);
}

int ltcp_send(ltcp_t *t, const char *data, size_t len, long long i, long long j, long long *last) {
  long long size = (long long)len;
  size_t sent = 0;
  int rc;
  if (i < 0) i = size + i + 1;
  if (j < 0) j = size + j + 1;
  if (i < 1) i = 1;
  if (j > size) j = size;
  /* *last is "the last index sent" even when nothing could be: i - 1. */
  if (last) *last = i - 1;
  if ((rc = ltcp__check(t, LTCP__M_CLIENT)) != 0) return rc;
  if (!data && len) return LTCP_EINVAL;
  if (i > j) return write_all(t, data, 0, &sent);
  rc = write_all(t, data + (i - 1), (size_t)(j - i + 1), &sent);
  if (last) *last = (long long)sent + i - 1;
  return rc;
}

int ltcp_receive(ltcp_t *t, ltcp_pattern_t pattern, size_t count, const char *prefix,
                 size_t prefix_len, const ltcp_sink_t *sink) {
  return ltcp_receive_max(t, pattern, count, prefix, prefix_len, 0, sink);
}

int ltcp_setbufsize(ltcp_t *t, size_t size) {
  if (!t || size == 0 || size > LTCP__BUFSIZE_MAX) return LTCP_EINVAL;
  t->bufwant = size; /* taken by the next fill: the buffer is only refilled once empty */
  t->buffixed = 1;
  return 0;
}

int ltcp_setlimit(ltcp_t *t, size_t max_bytes) {
  if (!t) return LTCP_EINVAL;
  t->limit = max_bytes;
  return 0;
}

int ltcp_shutdown(ltcp_t *t, ltcp_shutdown_t how) {
  int rc = ltcp__check(t, LTCP__M_CLIENT);
  if (rc) return rc;
  if (how != LTCP_SHUT_RECEIVE && how != LTCP_SHUT_SEND && how != LTCP_SHUT_BOTH)
    return LTCP_EINVAL;
  if (t->sock == LTCP_INVALID_SOCKET) return LTCP_ECLOSED;
  rc = ltcp__sys_shutdown(t->sock, (int)how, &t->native);
  return ltcp__public_rc(rc);
}

static int name_of(ltcp_t *t, ltcp_addr_t *addr, int peer) {
  ltcp__sockaddr_t sa;
  int rc;
  if (!addr) return LTCP_EINVAL;
  if (t->sock == LTCP_INVALID_SOCKET) return LTCP_EBADF;
  rc = peer ? ltcp__sys_getpeername(t->sock, &sa, &t->native)
            : ltcp__sys_getsockname(t->sock, &sa, &t->native);
  return rc ? rc : ltcp__sys_addr_to_text(&sa, addr);
}

int ltcp_getpeername(ltcp_t *t, ltcp_addr_t *addr) {
  int rc = ltcp__check(t, LTCP__M_CLIENT);
  return rc ? rc : name_of(t, addr, 1);
}

int ltcp_getsockname(ltcp_t *t, ltcp_addr_t *addr) {
  int rc = ltcp__check(t, LTCP__M_MASTER | LTCP__M_CLIENT | LTCP__M_SERVER);
  return rc ? rc : name_of(t, addr, 0);
}

/* ---- accessors: every state ---- */

ltcp_os_sock_t ltcp_getfd(const ltcp_t *t) {
  return t ? t->sock : LTCP_INVALID_SOCKET;
}

int ltcp_setfd(ltcp_t *t, ltcp_os_sock_t sock) {
  if (!t) return LTCP_EINVAL;
  ltcp__race_free(t); /* a race in progress ends here; its current socket is left open */
  t->sock = sock;
  return 0;
}

int ltcp_getstats(const ltcp_t *t, double *received, double *sent, double *age) {
  if (!t) return LTCP_EINVAL;
  if (received) *received = t->received - (double)(t->last - t->first);
  if (sent) *sent = t->sent;
  if (age) *age = ltcp__sys_monotonic() - t->birthday;
  return 0;
}

int ltcp_setstats(ltcp_t *t, double received, double sent, double age) {
  if (!t || received != received || sent != sent || age != age) return LTCP_EINVAL;
  t->received = received + (double)(t->last - t->first);
  t->sent = sent;
  t->birthday = ltcp__sys_monotonic() - age;
  return 0;
}

int ltcp_settimeout(ltcp_t *t, double value, ltcp_timeout_mode_t mode) {
  if (!t || value != value) return LTCP_EINVAL;
  if (isinf(value)) value = -1.0;
  switch ((int)mode) {     /* any int may come in: the values are the letters */
  case LTCP_TIMEOUT_BLOCK: /* the block timeout of every operation */
    t->tm.block = value;
    t->tm.op[LTCP_TIMEOUT_CONNECT] = value;
    t->tm.op[LTCP_TIMEOUT_SEND] = value;
    t->tm.op[LTCP_TIMEOUT_READ] = value;
    return 0;
  case LTCP_TIMEOUT_TOTAL:
  case LTCP_TIMEOUT_RETURN: t->tm.total = value; return 0;
  default: return LTCP_EINVAL;
  }
}

int ltcp_gettimeout(const ltcp_t *t, double *block, double *total) {
  if (!t) return LTCP_EINVAL;
  if (block) *block = t->tm.block;
  if (total) *total = t->tm.total;
  return 0;
}

int ltcp_settimeout_op(ltcp_t *t, ltcp_timeout_op_t op, double value) {
  if (!t || value != value || (unsigned)op > LTCP_TIMEOUT_READ) return LTCP_EINVAL;
  t->tm.op[op] = isinf(value) ? -1.0 : value;
  return 0;
}

int ltcp_gettimeout_op(const ltcp_t *t, ltcp_timeout_op_t op, double *value) {
  if (!t || !value || (unsigned)op > LTCP_TIMEOUT_READ) return LTCP_EINVAL;
  *value = t->tm.op[op];
  return 0;
}
