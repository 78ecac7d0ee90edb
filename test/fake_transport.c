/* The fake transport of fake_transport.h. Receive steps are consumed in order; a data step may
 * take several recv calls (recv_max, or a small destination). wait() never sleeps: it returns
 * the next scripted result, and records the time budget it was given so tests can check the
 * timeout arithmetic of the io loop. */
#include "fake_transport.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

void ft_init(fake_transport_t *ft) {
  memset(ft, 0, sizeof *ft);
  ft->end = FT_END_CLOSED;
  ft->wait_default = 0;
}

void ft_free(fake_transport_t *ft) {
  size_t i;
  for (i = 0; i < ft->nsteps; i++) free(ft->steps[i].data);
  free(ft->sent);
  memset(ft, 0, sizeof *ft);
}

static ft_step_t *add_step(fake_transport_t *ft, ft_kind_t kind) {
  ft_step_t *st;
  lt_check(ft->nsteps < FT_MAX_STEPS, "fake transport: script longer than %d steps", FT_MAX_STEPS);
  st = &ft->steps[ft->nsteps++];
  memset(st, 0, sizeof *st);
  st->kind = kind;
  return st;
}

void ft_add_data(fake_transport_t *ft, const char *data, size_t len) {
  ft_step_t *st;
  if (len == 0) return;
  st = add_step(ft, FT_DATA);
  st->data = malloc(len);
  lt_check(st->data != NULL, "fake transport: out of memory");
  memcpy(st->data, data, len);
  st->len = len;
}

void ft_add_str(fake_transport_t *ft, const char *s) {
  ft_add_data(ft, s, strlen(s));
}

void ft_add_chunks(fake_transport_t *ft, const char *data, size_t len, size_t chunk) {
  size_t off = 0;
  lt_check(chunk > 0, "fake transport: chunk of 0 bytes");
  while (off < len) {
    size_t n = len - off < chunk ? len - off : chunk;
    ft_add_data(ft, data + off, n);
    off += n;
  }
}

void ft_add_split_stall(fake_transport_t *ft, const char *data, size_t len, unsigned long cuts,
                        size_t stall_at) {
  size_t start = 0, i;
  for (i = 0; i < len; i++) {
    int stall = stall_at && i + 1 == stall_at;
    int cut = stall || i + 1 == len || (i < 8 * sizeof cuts && ((cuts >> i) & 1ul));
    if (cut) {
      ft_add_data(ft, data + start, i + 1 - start);
      start = i + 1;
    }
    if (stall) { /* one would-block, then a wait that times out */
      ft_add_block(ft);
      ft_add_wait(ft, LTCP_ETIMEOUT);
    }
  }
}

void ft_add_split(fake_transport_t *ft, const char *data, size_t len, unsigned long cuts) {
  ft_add_split_stall(ft, data, len, cuts, 0);
}

void ft_script_split(fake_transport_t *ft, const char *data, size_t len, unsigned long cuts,
                     size_t stall_at, int end) {
  ft_add_split_stall(ft, data, len, cuts, stall_at);
  if (end < 0) ft_add_error(ft, end);
  ft->end = end == FT_END_BLOCK ? FT_END_BLOCK : FT_END_CLOSED;
}

unsigned long ft_splits(size_t len) {
  if (len <= 1) return 1;
  return len - 1 >= 12 ? 1ul << 12 : 1ul << (len - 1);
}

void ft_add_block(fake_transport_t *ft) {
  add_step(ft, FT_BLOCK);
}

void ft_add_eintr(fake_transport_t *ft) {
  add_step(ft, FT_EINTR);
}

void ft_add_error(fake_transport_t *ft, int code) {
  add_step(ft, FT_ERROR)->code = code;
}

void ft_add_fail_at(fake_transport_t *ft, const char *data, size_t len, size_t at, int code) {
  lt_check(at <= len, "fake transport: failure at %zu of %zu bytes", at, len);
  ft_add_data(ft, data, at);
  ft_add_error(ft, code);
}

void ft_add_wait(fake_transport_t *ft, int result) {
  lt_check(ft->nwaits < FT_MAX_WAITS, "fake transport: too many scripted waits");
  ft->waits[ft->nwaits++] = result;
}

size_t ft_unread(const fake_transport_t *ft) {
  size_t i, n = 0;
  for (i = ft->cur; i < ft->nsteps; i++)
    if (ft->steps[i].kind == FT_DATA) n += ft->steps[i].len - (i == ft->cur ? ft->off : 0);
  return n;
}

static int over_budget(fake_transport_t *ft) {
  return ft->recv_calls + ft->send_calls + ft->wait_calls > FT_CALL_BUDGET;
}

static int would_block(fake_transport_t *ft) {
  if (ft->first_block_at == 0.0) ft->first_block_at = lt_now();
  return LTCP__WOULDBLOCK;
}

static int ft_recv(void *ctx, char *data, size_t len, size_t *got) {
  fake_transport_t *ft = ctx;
  ft_step_t *st;
  *got = 0;
  ft->recv_calls++;
  if (len > ft->recv_largest_ask) ft->recv_largest_ask = len;
  ft->recv_last_ask = len;
  if (over_budget(ft)) return LTCP_EUNKNOWN;
  if (ft->cur >= ft->nsteps) return ft->end == FT_END_CLOSED ? LTCP_ECLOSED : would_block(ft);
  st = &ft->steps[ft->cur];
  switch (st->kind) {
  case FT_DATA: {
    size_t n = st->len - ft->off;
    if (len == 0) return 0; /* nothing asked: nothing given (not a close) */
    if (n > len) n = len;
    if (ft->recv_max && n > ft->recv_max) n = ft->recv_max;
    if (ft->step_delay > 0.0) ltcp_sleep(ft->step_delay);
    memcpy(data, st->data + ft->off, n);
    ft->off += n;
    ft->recv_bytes += n;
    if (ft->off == st->len) {
      ft->cur++;
      ft->off = 0;
    }
    *got = n;
    return 0;
  }
  case FT_BLOCK: ft->cur++; return would_block(ft);
  case FT_EINTR: ft->cur++; return LTCP__EINTR;
  default: ft->cur++; return st->code;
  }
}

static int ft_send(void *ctx, const char *data, size_t len, size_t *sent) {
  fake_transport_t *ft = ctx;
  size_t n = len;
  *sent = 0;
  ft->send_calls++;
  if (over_budget(ft)) return LTCP_EUNKNOWN;
  if (len == 0) ft->send_zero_len_calls++;
  if (ft->send_block_every && ft->send_calls % ft->send_block_every == 0) return would_block(ft);
  if (ft->send_fail_code) {
    if (ft->sent_len >= ft->send_fail_at)
      return ft->send_fail_code == LTCP__WOULDBLOCK ? would_block(ft) : ft->send_fail_code;
    if (n > ft->send_fail_at - ft->sent_len) n = ft->send_fail_at - ft->sent_len;
  }
  if (ft->send_max && n > ft->send_max) n = ft->send_max;
  if (ft->sent_len + n > ft->sent_cap) {
    size_t cap = ft->sent_cap ? ft->sent_cap : 64;
    while (cap < ft->sent_len + n) cap *= 2;
    ft->sent = realloc(ft->sent, cap);
    lt_check(ft->sent != NULL, "fake transport: out of memory");
    ft->sent_cap = cap;
  }
  if (n && ft->step_delay > 0.0) ltcp_sleep(ft->step_delay);
  if (n) memcpy(ft->sent + ft->sent_len, data, n);
  ft->sent_len += n;
  *sent = n;
  return 0;
}

static int ft_wait(void *ctx, int events, double seconds) {
  fake_transport_t *ft = ctx;
  size_t k = ft->wait_calls++;
  if (k < FT_MAX_WAITS) {
    ft->wait_seconds[k] = seconds;
    ft->wait_events[k] = events;
  }
  if (over_budget(ft)) return LTCP_EUNKNOWN;
  if (ft->wait_real) {
    ltcp_sleep(seconds < 0.0 ? 5.0 : seconds); /* "forever" would be a test bug: bound it */
    return LTCP_ETIMEOUT;
  }
  if (ft->wcur < ft->nwaits) return ft->waits[ft->wcur++];
  /* Script used up: a receive that would block forever must not spin. */
  if ((events & LTCP_POLLIN) && ft->cur >= ft->nsteps && ft->end == FT_END_BLOCK)
    return LTCP_ETIMEOUT;
  return ft->wait_default;
}

ltcp__transport_t ft_transport(fake_transport_t *ft) {
  ltcp__transport_t tr;
  tr.ctx = ft;
  tr.send = ft_send;
  tr.recv = ft_recv;
  tr.wait = ft_wait;
  return tr;
}

ltcp_t *ft_object(fake_transport_t *ft) {
  ltcp__transport_t tr = ft_transport(ft);
  ltcp_t *t = malloc(ltcp_sizeof());
  int rc;
  lt_check(t != NULL, "fake transport: out of memory");
  rc = ltcp_open(t, LTCP_FAMILY_UNSPEC);
  lt_check(rc == 0, "ltcp_open(UNSPEC) failed: %d (%s)", rc, ltcp_strerror(rc));
  ltcp__set_transport(t, &tr);
  lt_check(ltcp_state(t) == LTCP_STATE_CLIENT, "fake transport: object in state %d",
           (int)ltcp_state(t));
  return t;
}

void ft_object_free(ltcp_t *t) {
  if (!t) return;
  ltcp_close(t);
  free(t);
}
