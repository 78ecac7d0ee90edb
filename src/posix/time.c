/* Clocks and sleep on POSIX: CLOCK_MONOTONIC for every deadline, the wall clock only for gettime. */
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
  long long sec;
  long ns;
  if (!(seconds > 0.0) || ltcp__wait_split(seconds, 1000000000L, &sec, &ns) != 0) return;
  ts.tv_sec = (time_t)sec;
  ts.tv_nsec = ns;
  nanosleep(&ts, NULL); /* a signal may cut it short: io.c sleeps again for the time left */
}
