#!/usr/bin/env bash
# luarocks leg: `luarocks make` with Debian's luarocks, for Lua 5.1 and 5.4, into a temporary
# tree; then load the installed module with a plain interpreter and run a loopback echo. Then the
# README's luarocks lines ("Install and use"), as written, with HOME in a temporary folder
# (they install with --local, into $HOME/.luarocks).
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
echo "== README: luarocks lines"
home=$PWD/build/luarocks-home
rm -rf "$home"
mkdir -p "$home"
bash ci/readme-block.sh "Install and use" 3 >build/luarocks-readme.sh
[ "$(id -u)" -eq 0 ] || sed -i '/^apt-get /d' build/luarocks-readme.sh # root only; deps.sh did it
out=$(HOME=$home bash -euo pipefail build/luarocks-readme.sh 2>build/luarocks-readme.log) ||
  { cat build/luarocks-readme.log; echo "README's luarocks lines failed"; exit 1; }
rm -rf build.luarocks
echo "$out"
[ "$(echo "$out" | tail -1)" = "ltcp $(sed -n 's/^project(ltcp VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)" ] ||
  { echo "README's luarocks lines did not print ltcp's version"; exit 1; }
[ -f "$home/.luarocks/lib/lua/5.4/ltcp.so" ] || { echo "no ltcp.so under $home/.luarocks (5.4)"; exit 1; }
echo "luarocks: OK"
