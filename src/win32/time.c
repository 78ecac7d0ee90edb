/* Clocks, sleep and Winsock start-up on Windows. Every deadline uses QueryPerformanceCounter
 * (monotonic, never goes back); the wall clock only serves gettime. Sleeps round up to whole
 * milliseconds so that a sleep never ends before the time asked for.
 * Winsock start-up is reference counted here as well as inside Winsock: each successful
 * ltcp__sys_init takes one WSAStartup reference, each ltcp__sys_cleanup gives one back, and a
 * cleanup without a matching init is ignored instead of releasing someone else's reference. */
#include "win32.h"

/* FILETIME of 1970-01-01 00:00:00 UTC, in 100 ns units since 1601-01-01. */
#define LTCP__EPOCH_100NS 116444736000000000ULL

static volatile LONG ltcp__wsa_refs = 0;

int ltcp__sys_init(void) {
  WSADATA data;
  int rc = WSAStartup(MAKEWORD(2, 2), &data);
  if (rc != 0) return ltcp__win32_code(rc, NULL); /* WSAStartup returns its error directly */
  if (LOBYTE(data.wVersion) != 2 || HIBYTE(data.wVersion) != 2) {
    WSACleanup();
    return LTCP_ENOTSUP;
  }
  InterlockedIncrement(&ltcp__wsa_refs);
  return 0;
}

void ltcp__sys_cleanup(void) {
  LONG n;
  do {
    n = ltcp__wsa_refs;
    if (n <= 0) return;
  } while (InterlockedCompareExchange(&ltcp__wsa_refs, n - 1, n) != n);
  WSACleanup();
}

double ltcp__sys_monotonic(void) {
  LARGE_INTEGER f, c;
  QueryPerformanceFrequency(&f); /* fixed at boot; cheap to read */
  QueryPerformanceCounter(&c);
  /* Split to keep full precision: counts can exceed 2^53 after long uptimes at high rates. */
  return (double)(c.QuadPart / f.QuadPart) + (double)(c.QuadPart % f.QuadPart) / (double)f.QuadPart;
}

/* GetSystemTimePreciseAsFileTime (Windows 8+) has sub-microsecond resolution; Vista/7 only have
 * GetSystemTimeAsFileTime (one timer tick). Looked up once at run time: one binary serves both. */
typedef VOID(WINAPI *ltcp__filetime_fn)(LPFILETIME);
static ltcp__filetime_fn ltcp__walltime_fn(void) {
  static ltcp__filetime_fn fn = NULL;
  static volatile LONG looked = 0;
  if (!looked) { /* a race only repeats the same look-up */
    HMODULE k = GetModuleHandleW(L"kernel32.dll");
    FARPROC p = k ? GetProcAddress(k, "GetSystemTimePreciseAsFileTime") : NULL;
    fn = p ? (ltcp__filetime_fn)(void (*)(void))p : GetSystemTimeAsFileTime;
    InterlockedExchange(&looked, 1);
  }
  return fn;
}

double ltcp__sys_walltime(void) {
  FILETIME ft;
  ULARGE_INTEGER t;
  ltcp__walltime_fn()(&ft);
  t.LowPart = ft.dwLowDateTime;
  t.HighPart = ft.dwHighDateTime;
  t.QuadPart -= LTCP__EPOCH_100NS;
  return (double)(t.QuadPart / 10000000ULL) + (double)(t.QuadPart % 10000000ULL) * 1e-7;
}

void ltcp__sys_sleep(double seconds) {
  if (!(seconds > 0.0)) return;
  Sleep((DWORD)ltcp__wait_units(seconds, 1000)); /* at most the cap: far below INFINITE */
}
