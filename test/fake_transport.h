/* An in-memory transport for unit tests (src/common/transport.h): a script of receive steps
 * (data chunks, would-block, EINTR, errors), a script of wait results, and a send side that
 * records every byte, with short writes, would-blocks and an error at a chosen byte.
 * Invariants: nothing sleeps unless a test asks for real time (step_delay, wait_real); every
 * call is counted; a runaway loop in the code under test hits a call budget and gets
 * LTCP_EUNKNOWN instead of hanging the test. */
#ifndef LTCP_FAKE_TRANSPORT_H
#define LTCP_FAKE_TRANSPORT_H

#include <stddef.h>

#include "core.h"

/* What recv does when the script is used up. */
typedef enum ft_end {
  FT_END_CLOSED = 0, /* LTCP_ECLOSED: the peer closed (default) */
  FT_END_BLOCK = 1   /* would-block forever; wait() answers LTCP_ETIMEOUT */
} ft_end_t;

typedef enum ft_kind {
  FT_DATA = 0,  /* bytes, served over as many recv calls as needed */
  FT_BLOCK = 1, /* one recv returns LTCP__WOULDBLOCK */
  FT_EINTR = 2, /* one recv returns LTCP__EINTR */
  FT_ERROR = 3  /* one recv returns `code`: LTCP_ECLOSED = orderly end, LTCP__ERESET = reset */
} ft_kind_t;

typedef struct ft_step {
  ft_kind_t kind;
  char *data; /* owned copy */
  size_t len;
  int code;
} ft_step_t;

#define FT_MAX_STEPS 1024
#define FT_MAX_WAITS 64
#define FT_CALL_BUDGET 4000000u

typedef struct fake_transport {
  /* ---- receive side ---- */
  ft_step_t steps[FT_MAX_STEPS];
  size_t nsteps, cur, off; /* current step and offset inside a data step */
  size_t recv_max;         /* most bytes one recv returns (0 = no cap) */
  ft_end_t end;
  size_t recv_calls;
  size_t recv_bytes;       /* bytes handed out by recv */
  size_t recv_largest_ask; /* largest len a recv was called with */
  size_t recv_last_ask;    /* len of the latest recv call */

  /* ---- wait side ---- */
  int waits[FT_MAX_WAITS]; /* scripted results, consumed in order: 0, LTCP_ETIMEOUT, LTCP__EINTR */
  size_t nwaits, wcur;
  int wait_default; /* result once the wait script is used up (0 = ready) */
  size_t wait_calls;
  double wait_seconds[FT_MAX_WAITS]; /* the `seconds` of the first waits */
  int wait_events[FT_MAX_WAITS];

  /* ---- send side ---- */
  char *sent; /* every byte accepted so far */
  size_t sent_len, sent_cap;
  size_t send_max;         /* most bytes one send accepts (0 = no cap): short writes */
  size_t send_fail_at;     /* after this many bytes in total, send fails ... */
  int send_fail_code;      /* ... with this code (0 = never fail) */
  size_t send_block_every; /* every Nth send call would-blocks first (0 = never) */
  size_t send_calls;
  size_t send_zero_len_calls; /* sends asked to send 0 bytes (a wasted call) */

  /* ---- real time, for deadline tests (a loaded machine, a slow peer) ---- */
  double step_delay;     /* every recv or send that moves bytes first sleeps this long */
  int wait_real;         /* wait sleeps the time it is given (forever: 5 s), answers timeout */
  double first_block_at; /* lt_now() of the first would-block recv or send answered (0: none) */
} fake_transport_t;

void ft_init(fake_transport_t *ft);
void ft_free(fake_transport_t *ft);

void ft_add_data(fake_transport_t *ft, const char *data, size_t len);
void ft_add_str(fake_transport_t *ft, const char *s);
/* `data` split into chunks of `chunk` bytes, one step each. */
void ft_add_chunks(fake_transport_t *ft, const char *data, size_t len, size_t chunk);
/* `data` cut into steps after every byte i (0-based) whose bit i is set in `cuts`: for len <= 13
 * the cuts 0 .. (1 << (len - 1)) - 1 go through every way the bytes can arrive in pieces
 * (ft_splits(len) of them); longer data uses only the low cut bits. */
void ft_add_split(fake_transport_t *ft, const char *data, size_t len, unsigned long cuts);
/* The same, and always cut after byte `stall_at` (1-based; 0: nowhere), where one would-block is
 * followed by a wait that times out: a receive stalls there with the bytes before it. */
void ft_add_split_stall(fake_transport_t *ft, const char *data, size_t len, unsigned long cuts,
                        size_t stall_at);
/* A whole scripted stream: ft_add_split_stall, then its end: FT_END_CLOSED, FT_END_BLOCK, or an
 * error code (< 0) returned once after the data, followed by the peer's close. */
void ft_script_split(fake_transport_t *ft, const char *data, size_t len, unsigned long cuts,
                     size_t stall_at, int end);
/* How many distinct splits ft_add_split can make of `len` bytes: 2^(len - 1), capped at 2^12. */
unsigned long ft_splits(size_t len);
void ft_add_block(fake_transport_t *ft);
void ft_add_eintr(fake_transport_t *ft);
void ft_add_error(fake_transport_t *ft, int code);
/* `data`, but the transport fails with `code` once `at` bytes of it were delivered. */
void ft_add_fail_at(fake_transport_t *ft, const char *data, size_t len, size_t at, int code);

void ft_add_wait(fake_transport_t *ft, int result);

/* The transport seam for ltcp__set_transport. */
ltcp__transport_t ft_transport(fake_transport_t *ft);

/* A client object (ltcp_sizeof() bytes, malloc'd) opened with LTCP_FAMILY_UNSPEC and running
 * over `ft`. Free with ft_object_free. */
ltcp_t *ft_object(fake_transport_t *ft);
void ft_object_free(ltcp_t *t);

/* Bytes not yet handed out by recv (data steps only). */
size_t ft_unread(const fake_transport_t *ft);

#endif
