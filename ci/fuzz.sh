#!/usr/bin/env bash
# Fuzzing leg: build the libFuzzer targets in test/fuzz/ through CMake (LTCP_BUILD_FUZZ=ON: clang,
# the whole library instrumented for libFuzzer with ASan + UBSan, so a new library source is
# fuzzed without touching this script) and run each for FUZZ_SECONDS (default 30, the CI
# budget), starting from the committed seed corpus.
#
#   ci/fuzz.sh                      # CI: 30 s per target
#   FUZZ_SECONDS=600 ci/fuzz.sh     # a real session: 10 minutes per target
#   FUZZ_SECONDS=300 FUZZ_JOBS=2 ci/fuzz.sh fuzz_patterns   # one target, two workers
#
# The working corpus grows under build/fuzz/corpus-<target>/ (the committed seeds stay as they
# are); a crash leaves its input in build/fuzz/artifacts/ and the script exits non-zero. Replay
# one input with: build/fuzz/<target> <file>. Every file in test/fuzz/regress/<target>/ (inputs
# that once found a bug) is replayed first.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECS="${FUZZ_SECONDS:-30}"
JOBS="${FUZZ_JOBS:-1}"
B="$ROOT/build/fuzz"

bash "$ROOT/ci/deps.sh" fuzz
CC=clang-14
command -v "$CC" >/dev/null || CC=clang

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_patterns fuzz_until fuzz_parse fuzz_state)

mkdir -p "$B/artifacts"
echo "== fuzz.sh: building ${targets[*]} ($CC)"
cmake -S . -B "$B/cmake" -DCMAKE_C_COMPILER="$CC" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLTCP_BUILD_FUZZ=ON -DBUILD_TESTING=OFF -DLTCP_BUILD_EXAMPLES=OFF -DLTCP_WERROR=ON >/dev/null
cmake --build "$B/cmake" -j"$(nproc)" --target "${targets[@]}" >/dev/null
for t in "${targets[@]}"; do cp "$B/cmake/test/fuzz/$t" "$B/$t"; done

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
for t in "${targets[@]}"; do
  if [ -d "test/fuzz/regress/$t" ] && [ -n "$(ls -A "test/fuzz/regress/$t")" ]; then
    echo "== fuzz.sh: replaying test/fuzz/regress/$t"
    "$B/$t" -runs=0 "test/fuzz/regress/$t"/* >"$B/$t.regress.log" 2>&1 ||
      { echo "fuzz.sh: $t fails on a regression input:"; tail -30 "$B/$t.regress.log"; status=1; }
  fi
  mkdir -p "$B/corpus-$t"
  echo "== fuzz.sh: running $t for ${SECS}s (jobs $JOBS)"
  extra=()
  [ "$JOBS" -gt 1 ] && extra=(-jobs="$JOBS" -workers="$JOBS")
  if "$B/$t" -max_total_time="$SECS" -timeout=20 -rss_limit_mb=2048 -max_len=4096 \
      -print_final_stats=1 -artifact_prefix="$B/artifacts/$t-" "${extra[@]}" \
      "$B/corpus-$t" "test/fuzz/corpus/$t" >"$B/$t.log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$B/$t.log" | sed "s/^/$t: /" || true
  else
    echo "fuzz.sh: $t FOUND A PROBLEM:"; grep -E 'MISMATCH|check failed|ERROR|runtime error' "$B/$t.log" | head -5
    tail -40 "$B/$t.log"; ls "$B/artifacts" | sed 's/^/artifact: /'
    status=1
  fi
done
[ $status -eq 0 ] && echo "fuzz: OK" || echo "fuzz: FAILED"
exit $status
