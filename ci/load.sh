#!/usr/bin/env bash
# Load leg: build ltcp (Release) and test/load/load.c through CMake (LTCP_BUILD_LOAD=ON), then
# run the load test.
#
#   ci/load.sh            # small mode (CI, ~10 s): 2,000 connections held at once (past FD_SETSIZE),
#                         # 200,000 echoed messages, 20,000 connect/close cycles
#   ci/load.sh full       # full mode: 10,000 connections held by one process, 1,000,000 echoed
#                         # messages, 100,000 connect/close cycles (a few minutes on 2 cores)
#   ci/load.sh small --conns 2000 --messages 500000   # any mode with overrides
#   (LTCP_LOAD_MODE=full works too)
#   LTCP_POSIX_WAIT=select ci/load.sh full   # the same over the select(2) wait backend (fds far
#                                            # above FD_SETSIZE); default poll
#
# The full mode needs RLIMIT_NOFILE hard >= ~10,100 (the program raises soft to hard and says so
# when it has to use fewer connections) and ~28k free ephemeral ports; TIME_WAIT is avoided by
# closing the server side first. Linux only (/proc/self/fd, fork).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh core
WAIT="${LTCP_POSIX_WAIT:-poll}"
B=build/load-$WAIT
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DLTCP_BUILD_EXAMPLES=OFF \
  -DBUILD_SHARED_LIBS=OFF -DLTCP_POSIX_WAIT="$WAIT" -DLTCP_BUILD_LOAD=ON -DLTCP_WERROR=ON >/dev/null
cmake --build "$B" -j"$(nproc)" --target ltcp_load >/dev/null
mode="${1:-${LTCP_LOAD_MODE:-small}}"
[ $# -gt 0 ] && shift
limit=120; [ "$mode" = full ] && limit=900
start=$SECONDS
timeout "$limit" "$B/test/load/load" "$mode" "$@"
echo "load ($mode, $WAIT wait): $((SECONDS - start)) s"
