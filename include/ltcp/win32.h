/* ltcp OS socket type on Windows: a Winsock SOCKET (UINT_PTR, 64-bit on Win64). Included by ltcp.h
 * only. Declared without <winsock2.h> so that including ltcp.h stays cheap; the static assert in
 * src/win32 checks that the type matches SOCKET exactly. Compare with LTCP_INVALID_SOCKET, never
 * with < 0. */
#ifndef LTCP_WIN32_H
#define LTCP_WIN32_H

#include <stdint.h>

typedef uintptr_t ltcp_os_sock_t;
#define LTCP_INVALID_SOCKET (~(ltcp_os_sock_t)0)

#endif
