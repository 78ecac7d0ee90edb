#!/bin/sh
# ci/lua.sh: build the Lua module and run its tests (label "lua": unit tests, the differential
# suite against Debian's LuaSocket, and real programs - socket.http/smtp/ftp, LuaSec, Copas,
# UDP beside TCP - run under LuaSocket and under ltcp.compat) on Lua 5.1, 5.2, 5.3, 5.4, LuaJIT.
# Starts from bare Debian 12 (gcc, cmake, git): installs what is missing. Build dirs: build/lua-<pc>.
# usage: ci/lua.sh [lua5.1 lua5.2 lua5.3 lua5.4 luajit]
set -eu
cd "$(dirname "$0")/.."

VERSIONS=${*:-"lua5.1 lua5.2 lua5.3 lua5.4 luajit"}
bash ci/deps.sh core lua

JOBS=$(nproc 2>/dev/null || echo 2)
status=0
for v in $VERSIONS; do
  dir=build/lua-$v
  echo "=== $v ($dir)"
  cmake -S . -B "$dir" -DLTCP_BUILD_LUA=ON -DLTCP_LUA_PC="$v" -DLTCP_WERROR=ON \
    -DLTCP_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$dir" -j"$JOBS" --target ltcp_lua
  if ! (cd "$dir" && ctest -L lua --output-on-failure -j"$JOBS"); then
    echo "*** $v: Lua tests failed"
    status=1
  fi
done
exit $status
