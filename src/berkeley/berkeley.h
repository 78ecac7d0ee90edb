/* Code both backends share: the Berkeley sockets calls that POSIX and Winsock spell the same way
 * (getaddrinfo and getnameinfo, address copies and text, socket names, host entries). Compiled
 * by whichever backend is built, never by common code.
 * Invariants: the platform's socket headers come in only through the backend's private header
 * (posix.h / win32.h), chosen here and nowhere else in this folder; what differs between the
 * platforms (the native error behind a failure, the resolver's error values, the thread-safe
 * host-entry call) is a function each backend provides under the same name, declared below. */
#ifndef LTCP_BERKELEY_H
#define LTCP_BERKELEY_H

#if defined(_WIN32)
#include "win32.h"
#else
#include "posix.h"
#endif

/* ---- provided by src/berkeley for the backends ---- */

/* LTCP_FAMILY_* -> AF_INET / AF_INET6 (UNSPEC is not a socket family: it gives AF_INET). */
int ltcp__bsd_af(int family);

/* ---- provided by each backend for src/berkeley ---- */
/* (and ltcp__sock_fail, from the private header: the last socket call's error, translated) */

/* A getaddrinfo/getnameinfo result (EAI_* on POSIX, WSA codes on Windows) -> LTCP_E*. */
int ltcp__gai_code(int rc, int *native);
/* Called with the host entry while it is valid (IPv4, as gethostbyname gives it). */
typedef int (*ltcp__hostent_fn)(const struct hostent *h, void *ctx);
/* LuaSocket's host lookup: a dotted IPv4 address (the forms inet_aton takes) by address, as
 * gethostbyaddr does, anything else by name, as gethostbyname does; the thread-safe variant
 * where the platform has one. Calls take(h, ctx) and returns its result, or the lookup's error
 * (LTCP_ENONAME when the host is not known). */
int ltcp__host_lookup(const char *name, ltcp__hostent_fn take, void *ctx, int *native);

#endif
