/* The one run-time seam under the receive buffer: {ctx, send, recv, wait}. The default transport
 * is the object's OS socket (tcp.c); tests plug in an in-memory fake, and a TLS layer could plug in
 * here later. Functions are single attempts with the sys.h result conventions. */
#ifndef LTCP_TRANSPORT_H
#define LTCP_TRANSPORT_H

#include <stddef.h>

typedef struct ltcp__transport {
  void *ctx;
  int (*send)(void *ctx, const char *data, size_t len, size_t *sent);
  int (*recv)(void *ctx, char *data, size_t len, size_t *got);
  /* events: LTCP_POLLIN / LTCP_POLLOUT; seconds > 0, or negative (forever) when no timeout is
   * set. 0 ready, LTCP_ETIMEOUT, LTCP__EINTR (back early with nothing ready: io.c waits again
   * with the time left), or an error. */
  int (*wait)(void *ctx, int events, double seconds);
} ltcp__transport_t;

#endif
