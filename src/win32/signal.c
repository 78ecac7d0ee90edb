/* Windows has no SIGPIPE: a send to a closed peer fails with WSAECONNRESET/WSAESHUTDOWN and
 * never ends the process, so the opt-in that POSIX needs is a successful no-op here. */
#include "win32.h"

int ltcp__sys_ignore_sigpipe(void) {
  return 0;
}
