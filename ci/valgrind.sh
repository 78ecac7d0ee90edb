#!/usr/bin/env bash
# Valgrind leg: build the Check suites without sanitizers (Debug) into build/valgrind and run
# every ctest test under valgrind memcheck (through CMAKE_CROSSCOMPILING_EMULATOR, which ctest
# puts in front of each test program). Any memcheck error, and any definite or indirect leak,
# makes valgrind exit with 99, which fails the test: Check's fork mode reports a child that
# exits 99 as an error, and the parent's own exit code is 99 too.
#   ci/valgrind.sh                 # every suite
#   ci/valgrind.sh -R reliability  # extra arguments go to ctest
# Timing checks in the suites allow LT_LATE_SLACK (1 s); valgrind slows CPU-bound code
# but not the waits themselves. LTCP_TEST_SLOWDOWN=10 scales every watchdog (Check per test case
# through CK_TIMEOUT_MULTIPLIER, the suites' lateness slack, ctest's TIMEOUT) for this leg.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh core valgrind
b=build/valgrind
VG="$(command -v valgrind);--tool=memcheck;--error-exitcode=99;--leak-check=full"
VG="$VG;--errors-for-leak-kinds=definite,indirect;--show-leak-kinds=definite,indirect"
VG="$VG;--track-fds=no;--child-silent-after-fork=no;--track-origins=yes;--num-callers=30"
cmake -S . -B "$b" -DCMAKE_BUILD_TYPE=Debug -DLTCP_BUILD_EXAMPLES=OFF -DLTCP_TEST_SLOWDOWN=10 \
  "-DCMAKE_CROSSCOMPILING_EMULATOR=$VG" >/dev/null
cmake --build "$b" -j"$(nproc)" >/dev/null
log="$b/ctest-valgrind.log"
status=0
(cd "$b" && ctest --output-on-failure -j"$(nproc)" "$@") >"$log" 2>&1 || status=$?
grep -E '^ *[0-9]+/[0-9]+ Test|tests passed|tests failed' "$log" || true
if grep -nE '^==[0-9]+== (Invalid|Conditional|Syscall param|Mismatched|Source and destination)|definitely lost: [1-9]|indirectly lost: [1-9]' "$log" >&2; then
  echo "valgrind: memcheck findings above (full log: $log)" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  grep -nE ':[FE]:' "$log" >&2 || true
  echo "valgrind: FAILED (full log: $log)" >&2
  exit 1
fi
echo "valgrind: clean"
