#!/usr/bin/env bash
# Build and run the examples: the C echo server and client over loopback, the README's C example
# (examples/readme_client.c, which README.md must show verbatim) against the echo server, then
# the Lua ones when the Lua module is built. Prints what they exchanged; exits non-zero if an
# echo did not match or the README's copy differs from the file.
# Build trees: build/ci-examples and build/ci-examples-lua (never the README's own build/ trees).
#   ci/examples.sh --run-pair SERVER CLIENT   # only run one pair (ci/consumer.sh uses it)
set -euo pipefail
cd "$(dirname "$0")/.."

run_pair() { # run_pair "server command" "client command prefix": the client gets the port
  local out; out=$(mktemp)
  timeout 30 $1 >"$out" &
  local pid=$! port="" i
  for i in $(seq 1 100); do
    port=$(awk '/^listening on/ {print $4; exit}' "$out")
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "server did not start"; cat "$out"; kill $pid 2>/dev/null; return 1; }
  local rc=0
  timeout 30 $2 "$port" || rc=$?
  wait $pid || rc=$?
  cat "$out"; rm -f "$out"
  return $rc
}

if [ "${1:-}" = --run-pair ]; then
  run_pair "$2" "$3"
  exit
fi

bash ci/deps.sh core
b=build/ci-examples
cmake -S . -B "$b" -DBUILD_TESTING=OFF -DLTCP_BUILD_EXAMPLES=ON -DLTCP_WERROR=ON >/dev/null
cmake --build "$b" -j"$(nproc)" >/dev/null

echo "== C echo server and client"
run_pair "$b/examples/echo_server" "$b/examples/echo_client"

echo "== the README's C example against the echo server"
# The block after the line '<!-- verbatim: examples/readme_client.c -->' must be the file.
awk '/^<!-- verbatim: examples\/readme_client.c -->$/ {f = 1; next}
     f && /^```c$/ {g = 1; next}  g && /^```$/ {exit}  g {print}' README.md >"$b/readme_block.c"
if ! diff -u examples/readme_client.c "$b/readme_block.c"; then
  echo "README.md's C example is not examples/readme_client.c (diff above: - file, + README)"
  exit 1
fi
out=$(run_pair "$b/examples/echo_server" "$b/examples/readme_client")
echo "$out"
echo "$out" | grep -qx 'received "ping"' || { echo "readme_client did not get its echo"; exit 1; }

if [ -f examples/echo_client.lua ] && [ -f src/lua/CMakeLists.txt ]; then
  bash ci/deps.sh lua
  lb=build/ci-examples-lua
  cmake -S . -B "$lb" -DBUILD_TESTING=OFF -DLTCP_BUILD_EXAMPLES=OFF -DLTCP_BUILD_LUA=ON \
    -DLTCP_LUA_PC=lua5.4 >/dev/null
  cmake --build "$lb" -j"$(nproc)" >/dev/null
  so=$(dirname "$(find "$lb" -name 'ltcp.so' | head -1)")
  # Without a port the client starts echo_server.lua itself and stops it with "quit".
  echo "== Lua echo server and client (lua5.4)"
  LUA_CPATH="$so/?.so;;" timeout 60 lua5.4 examples/echo_client.lua
fi
echo "examples: OK"
