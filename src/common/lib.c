/* Library-wide calls: socket layer start/stop, the wall clock, and sleep. sleep loops on the
 * monotonic clock, so a signal that cuts one backend sleep short does not shorten the total. */
#include "core.h"

int ltcp_init(void) {
  return ltcp__sys_init();
}

void ltcp_cleanup(void) {
  ltcp__sys_cleanup();
}

double ltcp_gettime(void) {
  return ltcp__sys_walltime();
}

void ltcp_sleep(double seconds) {
  double end, now;
  if (!(seconds > 0.0)) return;
  now = ltcp__sys_monotonic();
  end = now + seconds;
  while (now < end) {
    ltcp__sys_sleep(end - now);
    now = ltcp__sys_monotonic();
  }
}

int ltcp_maxsockets(void) {
  return ltcp__sys_maxsockets();
}
