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

/* The type of SOCKET and of the public handle must be the same, bit for bit: getfd/setfd carry a
 * full 64-bit SOCKET on Win64 and must never narrow it. (C99 static assertions, checked in every
 * file of the backend: each converts between the two.) */
typedef char ltcp__assert_socket_size[sizeof(SOCKET) == sizeof(ltcp_os_sock_t) ? 1 : -1];
typedef char
  ltcp__assert_socket_invalid[(ltcp_os_sock_t)INVALID_SOCKET == LTCP_INVALID_SOCKET ? 1 : -1];
typedef char ltcp__assert_socket_unsigned[(SOCKET)-1 > 0 ? 1 : -1];

/* Translate WSAGetLastError() into an LTCP code, storing the native value in *native. */
int ltcp__sock_fail(int *native);
/* Record `err` (a WSA code) in *native and translate it. */
int ltcp__win32_code(int err, int *native);

#endif
