/* Helpers shared by the bench programs (feeder, raw, capi): a monotonic clock, a watchdog, the
 * descriptor limit, and the one-line result protocol the runner parses:
 *   RESULT <number>        the scenario's figure (unit fixed per scenario, see docs/performance.md)
 *   INFO <key>=<value>     extra facts (counts, min/max lateness)
 *   FAIL <reason>          the candidate cannot run this scenario (exit status 2)
 *   INFO wall=<s> cpu=<s>  wall and CPU seconds of the timed loop (client CPU efficiency)
 * Every program arms alarm() so no run can outlive its budget, whatever the peer does. */
#ifndef LTCP_BENCH_H
#define LTCP_BENCH_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define BENCH_WATCHDOG_S 300 /* hard ceiling for any one process */
#define BENCH_IO_TIMEOUT_MS 60000

/* The record boundaries of the receiveuntil scenarios: the first PATLEN bytes of this (2: CRLF,
 * 40: a multipart-style boundary). bench/lua/common.lua holds the same string. */
#define BENCH_BOUNDARY "\r\n--ltcp-bench-boundary-0123456789abcdefghijklmnopqrstuvwxyz"

static inline double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this process (user + system): on a shared machine, time spent preempted shows in
 * the wall clock but not here, so units per CPU-second compare candidates more steadily. */
static inline double bench_cpu(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double bench_cpu0;

/* Start of a timed loop: returns the wall clock and remembers the CPU clock. */
static inline double bench_mark(void) {
  bench_cpu0 = bench_cpu();
  return bench_now();
}

/* End of a timed loop: wall seconds and the CPU seconds since bench_mark, for the runner. */
static inline void bench_cpu_info(double wall) {
  printf("INFO wall=%.6g cpu=%.6g\n", wall, bench_cpu() - bench_cpu0);
}

static inline void bench_die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static inline void bench_fail(const char *reason) {
  printf("FAIL %s\n", reason);
  fflush(stdout);
  exit(2);
}

/* The default action of SIGALRM ends the process: a stuck peer can never hang a run. */
static inline void bench_watchdog(void) {
  alarm(BENCH_WATCHDOG_S);
}

/* Lift the soft descriptor limit to the hard one (the select scenarios open 10,000 sockets). */
static inline void bench_raise_nofile(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

static inline long long bench_arg(int argc, char **argv, int i, const char *name) {
  char *end;
  long long v;
  if (i >= argc) bench_die("missing argument %s", name);
  v = strtoll(argv[i], &end, 10);
  if (*end || v < 0) bench_die("bad %s: %s", name, argv[i]);
  return v;
}

#endif
