/* Clocks and sleep on POSIX: CLOCK_MONOTONIC for every deadline, the wall clock only for gettime. */
#include <limits.h>
#include <math.h>
#include <time.h>

#include "posix.h"

double ltcp__sys_monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double ltcp__sys_walltime(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void ltcp__sys_sleep(double seconds) {
  struct timespec ts;
  if (!(seconds > 0.0)) return;
  if (seconds > 1e9) seconds = 1e9;
  ts.tv_sec = (time_t)seconds;
  ts.tv_nsec = (long)ceil((seconds - (double)ts.tv_sec) * 1e9);
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  nanosleep(&ts, NULL); /* a signal may cut it short: the caller loops on the monotonic clock */
}

int ltcp__posix_ms(double seconds) {
  double ms;
  if (seconds < 0.0) return -1;
  ms = ceil(seconds * 1000.0);
  return ms > (double)INT_MAX ? INT_MAX : (int)ms;
}

int ltcp__sys_init(void) {
  return 0;
}

void ltcp__sys_cleanup(void) {
}
