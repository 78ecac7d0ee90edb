#!/usr/bin/env bash
# Linux C leg: build with warnings as errors and run every Check suite, once with the poll wait
# (default) and once with the select wait. Usage: ci/linux.sh [poll|select ...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh core
waits=("$@")
[ ${#waits[@]} -gt 0 ] || waits=(poll select)
for w in "${waits[@]}"; do
  b="build/linux-$w"
  echo "== linux ($w): $b"
  cmake -S . -B "$b" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLTCP_WERROR=ON -DLTCP_POSIX_WAIT="$w" >/dev/null
  cmake --build "$b" -j"$(nproc)" >/dev/null
  (cd "$b" && ctest --output-on-failure --no-tests=error -j"$(nproc)")
done
