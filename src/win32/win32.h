/* Helpers private to the Windows backend, and the platform's socket headers for the code both
 * backends share (src/berkeley includes them only through here). Every file of src/win32
 * includes this header first so that winsock2.h always comes before windows.h (the other order
 * pulls in the old winsock.h). */
#ifndef LTCP_WIN32_BACKEND_H
#define LTCP_WIN32_BACKEND_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "sys.h"

/* Translate WSAGetLastError() into an LTCP code, storing the native value in *native. */
int ltcp__sock_fail(int *native);
/* Record `err` (a WSA code) in *native and translate it. */
int ltcp__win32_code(int err, int *native);

#endif
