/* A growable byte string for C callers, and its sink. Growth doubles, so appends are amortised
 * O(1); prepare returns NULL (-> LTCP_ENOMEM) when memory runs out or sizes would overflow. */
#include <stdlib.h>

#include "core.h"

void ltcp_bytes_init(ltcp_bytes_t *b) {
  if (!b) return;
  b->data = NULL;
  b->len = b->cap = 0;
}

void ltcp_bytes_free(ltcp_bytes_t *b) {
  if (!b) return;
  free(b->data);
  ltcp_bytes_init(b);
}

static char *bytes_prepare(void *ctx, size_t want) {
  ltcp_bytes_t *b = ctx;
  if (!b) return NULL;
  if (want > (size_t)-1 - b->len - 1) return NULL;
  if (b->len + want + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    char *p;
    while (cap < b->len + want + 1) {
      if (cap > (size_t)-1 / 2) {
        cap = b->len + want + 1;
        break;
      }
      cap *= 2;
    }
    p = realloc(b->data, cap);
    if (!p) return NULL;
    b->data = p;
    b->cap = cap;
  }
  return b->data + b->len;
}

static void bytes_commit(void *ctx, size_t n) {
  ltcp_bytes_t *b = ctx;
  if (!b) return;
  b->len += n;
  if (b->data) b->data[b->len] = '\0'; /* handy for printing text */
}

ltcp_sink_t ltcp_bytes_sink(ltcp_bytes_t *b) {
  ltcp_sink_t s;
  s.prepare = bytes_prepare;
  s.commit = bytes_commit;
  s.ctx = b;
  return s;
}
