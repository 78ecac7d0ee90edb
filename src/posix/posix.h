/* Helpers private to the POSIX backend. */
#ifndef LTCP_POSIX_BACKEND_H
#define LTCP_POSIX_BACKEND_H

#include "sys.h"

/* Translate the current errno into an LTCP code, storing errno in *native. */
int ltcp__posix_fail(int *native);
/* Seconds (negative = forever) to poll's milliseconds, rounded up so a wait never ends early. */
int ltcp__posix_ms(double seconds);

#endif
