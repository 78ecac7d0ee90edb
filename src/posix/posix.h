/* Helpers private to the POSIX backend, and the platform's socket headers for the code both
 * backends share (src/berkeley includes them only through here). A file that needs a feature
 * macro (_GNU_SOURCE, _DEFAULT_SOURCE) defines it before including this header. */
#ifndef LTCP_POSIX_BACKEND_H
#define LTCP_POSIX_BACKEND_H

#include <sys/types.h>
#include <sys/socket.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include "sys.h"

/* Translate the current errno into an LTCP code, storing errno in *native. */
int ltcp__sock_fail(int *native);
/* A host-lookup failure (h_errno: HOST_NOT_FOUND, TRY_AGAIN, ...) -> LTCP_E*. */
int ltcp__h_code(int h, int *native);

#endif
