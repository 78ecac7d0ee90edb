/* Seconds to the units an OS timer takes (poll's milliseconds, a timeval's microseconds, a
 * timespec's nanoseconds, Sleep's milliseconds), written once for every backend. Pure
 * arithmetic, unit-tested without sleeping.
 * Invariants: always rounded up, so a wait never ends before its deadline; any positive time,
 * however small, is at least one unit (a tiny wait never turns into a non-blocking poll);
 * negative means forever; one OS wait is at most LTCP__WAIT_CAP seconds, which fits every
 * timer's type, and io.c resumes a longer wait with the time left. */
#include <math.h>

#include "sys.h"

long long ltcp__wait_units(double seconds, long per_second) {
  double units;
  if (seconds < 0.0) return -1;
  if (!(seconds > 0.0)) return 0; /* zero, or NaN: no time at all */
  if (seconds > LTCP__WAIT_CAP) seconds = LTCP__WAIT_CAP;
  units = ceil(seconds * (double)per_second);
  return units < 1.0 ? 1 : (long long)units;
}

int ltcp__wait_split(double seconds, long per_second, long long *sec, long *frac) {
  long long units = ltcp__wait_units(seconds, per_second);
  if (units < 0) return -1;
  *sec = units / per_second;
  *frac = (long)(units % per_second);
  return 0;
}

int ltcp__wait_capped(double seconds) {
  return seconds > LTCP__WAIT_CAP;
}
