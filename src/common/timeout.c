/* Block and total timeouts as pure arithmetic over monotonic times, so they are testable without
 * sleeping. Block bounds each single wait; total bounds the whole call. Negative = no limit.
 * Per-operation block timeouts (settimeouts: connect, send, read) take the block's place for
 * waits of their kind; settimeout('b') sets all of them, so alone it behaves as LuaSocket's. */
#include "core.h"

void ltcp__timeout_init(ltcp__timeout_t *tm) {
  tm->block = -1.0;
  tm->total = -1.0;
  tm->start = -1.0;
  tm->op[0] = tm->op[1] = tm->op[2] = -1.0;
}

void ltcp__timeout_markstart(ltcp__timeout_t *tm, double now) {
  tm->start = now;
}

static double left_with(double block, const ltcp__timeout_t *tm, double wait_start, double now) {
  double left = 0.0;
  int bounded = 0;
  if (block >= 0.0) {
    left = block - (now - wait_start);
    bounded = 1;
  }
  if (tm->total >= 0.0) {
    double t = tm->total - (now - tm->start);
    if (!bounded || t < left) left = t;
    bounded = 1;
  }
  if (!bounded) return -1.0;
  return left > 0.0 ? left : 0.0;
}

double ltcp__timeout_left(const ltcp__timeout_t *tm, double wait_start, double now) {
  return left_with(tm->block, tm, wait_start, now);
}

double ltcp__timeout_left_op(const ltcp__timeout_t *tm, int op, double wait_start, double now) {
  return left_with(op >= 0 && op < 3 ? tm->op[op] : tm->block, tm, wait_start, now);
}

void ltcp__timeout_callstart(ltcp__timeout_t *tm) {
  tm->start = tm->total >= 0.0 ? ltcp__sys_monotonic() : -1.0;
}

int ltcp__timeout_iszero(const ltcp__timeout_t *tm) {
  return tm->block == 0.0 || tm->total == 0.0;
}

int ltcp__timeout_iszero_op(const ltcp__timeout_t *tm, int op) {
  return (op >= 0 && op < 3 ? tm->op[op] : tm->block) == 0.0 || tm->total == 0.0;
}
