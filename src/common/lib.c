/* Library-wide calls: socket layer start/stop, the wall clock, and sleep. sleep is a wait on no
 * socket under io.c's deadline, so a signal that cuts one backend sleep short does not shorten
 * the total. ltcp_ignore_sigpipe is the one process-wide change, and only on request. */
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
  ltcp__timeout_t tm;
  size_t none;
  int native = 0;
  if (!(seconds > 0.0)) return;
  ltcp__timeout_init(&tm);
  tm.block = seconds;
  (void)ltcp__io_poll(NULL, 0, &tm, -1.0, &none, &native);
}

int ltcp_ignore_sigpipe(void) {
  return ltcp__sys_ignore_sigpipe();
}

int ltcp_maxsockets(void) {
  return ltcp__sys_maxsockets();
}
