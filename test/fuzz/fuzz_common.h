/* What the libFuzzer targets share: a reader over the input (every read past the end gives 0,
 * so any input is a valid program), CHECK (print the failed condition and the current
 * operation, then abort so libFuzzer keeps the input), the public-code test and a small PRNG.
 * Invariants: nothing here allocates or touches the network; every helper is static inline, so a
 * target that does not use one pays nothing and gets no warning. */
#ifndef LTCP_FUZZ_COMMON_H
#define LTCP_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core.h"

typedef struct reader {
  const uint8_t *p;
  size_t n;
} reader_t;

static inline unsigned rd8(reader_t *r) {
  if (!r->n) return 0;
  r->n--;
  return *r->p++;
}

static inline unsigned rd16(reader_t *r) {
  unsigned a = rd8(r);
  return a | (rd8(r) << 8);
}

static inline uint64_t rd64(reader_t *r) {
  uint64_t v = 0;
  int i;
  for (i = 0; i < 8; i++) v |= (uint64_t)rd8(r) << (8 * i);
  return v;
}

/* A string of up to cap - 1 bytes (its length from the input), NUL-terminated; returns it. */
static inline size_t rdstr(reader_t *r, char *dst, size_t cap) {
  size_t n = rd8(r) % cap, i;
  for (i = 0; i < n; i++) dst[i] = (char)rd8(r);
  dst[n] = '\0';
  return n;
}

/* The operation a target is running, printed by CHECK (targets set it as they go). */
static unsigned fuzz_op;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: check failed: %s (op %u)\n", __FILE__, __LINE__, #cond, fuzz_op);    \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

/* 0 or a code of the public table, whatever codes it gains later (never an internal -100x). */
static inline int public_code(int rc) {
  switch (rc) {
  case 0:
#define FUZZ_PUBLIC_CASE(name, value, msg) case value:
    LTCP_ERRNO_MAP(FUZZ_PUBLIC_CASE)
#undef FUZZ_PUBLIC_CASE
    return 1;
  default: return 0;
  }
}

/* xorshift64: the targets' deterministic randomness (seeded from the input). */
static inline uint64_t next_rand(uint64_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

#endif
