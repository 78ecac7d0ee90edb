/* ltcp OS socket type on POSIX: a plain file descriptor. Included by ltcp.h only. */
#ifndef LTCP_POSIX_H
#define LTCP_POSIX_H

typedef int ltcp_os_sock_t;
#define LTCP_INVALID_SOCKET (-1)

#endif
