/* Clocks and sleep on Windows. Every deadline uses QueryPerformanceCounter (monotonic, never
 * goes back); the wall clock only serves gettime. Sleeps round up to whole milliseconds so that
 * a sleep never ends before the time asked for. */
#include "win32.h"

/* FILETIME of 1970-01-01 00:00:00 UTC, in 100 ns units since 1601-01-01. */
#define LTCP__EPOCH_100NS 116444736000000000ULL

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
