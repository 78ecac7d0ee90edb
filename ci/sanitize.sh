#!/usr/bin/env bash
# Sanitizer leg: build everything with AddressSanitizer + UndefinedBehaviorSanitizer (clang if
# installed, else gcc; CC overrides) into build/asan and run every ctest test. Exits non-zero on a
# failed test or on ANY sanitizer report, even one printed by a test that still passed (the
# whole ctest log is scanned). Usage: ci/sanitize.sh [sanitizers]   (default address,undefined)
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh core sanitize

sanitizers="${1:-address,undefined}"
if [ -z "${CC:-}" ]; then
  if command -v clang >/dev/null 2>&1; then CC=clang; else CC=gcc; fi
fi
export CC
b=build/asan
log="$b/ctest-sanitize.log"
echo "== sanitize ($sanitizers, $CC): $b"

cmake -S . -B "$b" -DCMAKE_BUILD_TYPE=Debug -DLTCP_WERROR=ON -DLTCP_SANITIZE="$sanitizers" \
  -DCMAKE_C_COMPILER="$CC" -DLTCP_TEST_SLOWDOWN=3 >/dev/null
cmake --build "$b" -j"$(nproc)" >/dev/null

# Stop at the first finding, with a stack; leaks count as findings. Check's fork mode reports a
# child killed by a sanitizer as a failed test, and the log scan below catches the rest.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-}"

status=0
(cd "$b" && ctest --output-on-failure -V -j"$(nproc)") >"$log" 2>&1 || status=$?
grep -E '^ *[0-9]+/[0-9]+ Test|tests passed|tests failed|Skipped' "$log" || true

if grep -nE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)Sanitizer' "$log"; then
  echo "sanitize: sanitizer findings above (full log: $log)" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  grep -nE ':[FE]:' "$log" >&2 || true
  echo "sanitize: FAILED (full log: $log)" >&2
  exit 1
fi
echo "sanitize: clean"
