/* Process-wide signal settings, on request only: the library itself never changes them (its own
 * sockets avoid SIGPIPE per call with MSG_NOSIGNAL / SO_NOSIGPIPE). A program that lets another
 * library write to sockets (OpenSSL through LuaSec writes to the descriptor itself) asks for
 * SIGPIPE to be ignored, as LuaSocket does when it loads. A handler the program installed itself
 * is left in place: only the default action (which kills the process) is replaced. */
#include <signal.h>
#include <stddef.h>

#include "posix.h"

int ltcp__sys_ignore_sigpipe(void) {
  struct sigaction old, ign;
  int native = 0;
  if (sigaction(SIGPIPE, NULL, &old) != 0) return ltcp__sock_fail(&native);
  /* Already ignored, or the program's own handler (sa_handler or sa_sigaction): keep it. */
  if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) return 0;
  sigemptyset(&ign.sa_mask);
  ign.sa_flags = 0;
  ign.sa_handler = SIG_IGN;
  if (sigaction(SIGPIPE, &ign, NULL) != 0) return ltcp__sock_fail(&native);
  return 0;
}
