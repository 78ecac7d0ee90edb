#!/usr/bin/env bash
# luarocks leg: `luarocks make` with Debian's luarocks, for Lua 5.1 and 5.4, into a temporary
# tree; then load the installed module with a plain interpreter and run a loopback echo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh core lua luarocks
tree=$PWD/build/luarocks-tree
rm -rf "$tree" build.luarocks
for v in 5.1 5.4; do
  echo "== luarocks make (Lua $v)"
  rm -rf build.luarocks
  luarocks --lua-version "$v" --tree "$tree" make ltcp-scm-1.rockspec >"build/luarocks-$v.log" 2>&1 ||
    { cat "build/luarocks-$v.log"; exit 1; }
  LUA_CPATH="$tree/lib/lua/$v/?.so" "lua$v" -e '
    local ltcp = require "ltcp"
    local srv = assert(ltcp.bind("127.0.0.1", 0))
    local _, port = srv:getsockname()
    local c = assert(ltcp.connect("127.0.0.1", port))
    local s = assert(srv:accept())
    c:settimeout(5); s:settimeout(5)
    assert(c:send("rock\n"))
    local line = assert(s:receive())
    assert(line == "rock", line)
    print(ltcp._VERSION .. " from luarocks on " .. _VERSION .. ": ok")'
done
rm -rf build.luarocks
