#!/usr/bin/env bash
# Debian packaging leg (debian/): build the binary packages, check them with lintian, install
# them with apt in this same run, build consumers against the installed packages (pkg-config and
# find_package), load the Lua module from the system path with every Lua Debian has, then purge
# the packages again, so no later test picks up a system-wide ltcp by accident.
#   ci/deb.sh            (root or sudo; Debian 12)
# The source tree is copied to build/deb/ltcp-<version>/ first (git's tracked and untracked,
# not ignored, files), because dpkg-buildpackage writes its results next to the tree it builds.
# Set DEB_BUILD_OPTIONS=nocheck to skip the Check suites during the package build.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
bash ci/deps.sh core deb
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
PKGS=(libltcp0 libltcp-dev lua-ltcp)
LUAS=(lua5.1 lua5.2 lua5.3 lua5.4 luajit)
installed() { { dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${PKGS[@]}" 2>/dev/null ||
                true; } | awk '$1 ~ /^.[ic]/ {print $2}'; }
purge() {
  local p
  p=$(installed | tr '\n' ' ')
  [ -z "$p" ] && return 0
  echo "== deb.sh: purging $p"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get purge -y -q $p >/dev/null
}

version=$(dpkg-parsechangelog -l debian/changelog -S Version)
D="$ROOT/build/deb"
T="$D/ltcp-${version%%-*}"
rm -rf "$D"
mkdir -p "$T"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -xf - -C "$T"

echo "== deb.sh: dpkg-buildpackage -us -uc -b ($version)"
t0=$SECONDS
(cd "$T" && dpkg-buildpackage -us -uc -b -j"$(nproc)") >"$D/build.log" 2>&1 ||
  { tail -n 60 "$D/build.log"; echo "deb.sh: dpkg-buildpackage failed (log: $D/build.log)"; exit 1; }
grep -E "tests passed|tests failed" "$D/build.log" || true
echo "   built in $((SECONDS - t0)) s"

echo "== deb.sh: lintian (fails on errors; warnings and info shown)"
changes=$(ls "$D"/ltcp_*.changes)
lintian --fail-on error --display-info --pedantic "$changes" | tee "$D/lintian.txt" || {
  echo "deb.sh: lintian found errors"; exit 1; }
[ -s "$D/lintian.txt" ] || echo "   (no tags)"

echo "== deb.sh: contents"
for p in "${PKGS[@]}"; do
  deb=$(ls "$D/${p}"_*.deb)
  echo "-- $(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"
  dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print "   " $6 ($1 ~ /^l/ ? " -> " $8 : "") }'
done

# ---- install, use, purge --------------------------------------------------------------------
if [ -n "$(installed)" ]; then
  echo "deb.sh: ltcp packages were installed before this run; purging them first"
  purge
fi
trap purge EXIT
echo "== deb.sh: apt-get install ./*.deb"
debs=()
for p in "${PKGS[@]}"; do debs+=("./$(basename "$(ls "$D/${p}"_*.deb)")"); done
(cd "$D" && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${debs[@]}" >/dev/null)
[ "$(installed | wc -l)" -eq ${#PKGS[@]} ] || { echo "deb.sh: not every package got installed"; exit 1; }

C="$D/consumer"
mkdir -p "$C"
echo "== deb.sh: consumer through pkg-config"
cc -std=c99 -Wall -Werror test/consumer/consumer.c $(pkg-config --cflags --libs ltcp) -o "$C/pc"
ldd "$C/pc" | grep -Eq "libltcp.so.0 => /(usr/)?lib/" ||
  { echo "deb.sh: the consumer does not use the system libltcp.so.0"; ldd "$C/pc"; exit 1; }
"$C/pc"
echo "== deb.sh: consumer through find_package(ltcp)"
cmake -S test/consumer -B "$C/cm" >/dev/null
grep -q "ltcp_DIR:PATH=/usr/lib/" "$C/cm/CMakeCache.txt" ||
  { echo "deb.sh: find_package(ltcp) did not find the system package"; exit 1; }
cmake --build "$C/cm" >/dev/null
"$C/cm/app"

echo "== deb.sh: the Lua module from the system path"
for lua in "${LUAS[@]}"; do
  env -u LUA_CPATH -u LUA_CPATH_5_2 -u LUA_CPATH_5_3 -u LUA_CPATH_5_4 -u LUA_INIT \
    "$lua" - <<'LUA'
local path -- package.searchpath is 5.2+
for t in package.cpath:gmatch("[^;]+") do
  local f = io.open((t:gsub("%?", "ltcp")), "rb")
  if f then f:close(); path = t:gsub("%?", "ltcp"); break end
end
assert(path, "ltcp.so is on no path of package.cpath")
assert(path:match("^/usr/lib/[^/]+/lua/5%.%d/ltcp%.so$"), "not the packaged module: " .. path)
local ltcp = require "ltcp"
local srv = assert(ltcp.bind("127.0.0.1", 0))
local _, port = srv:getsockname()
local c = assert(ltcp.connect("127.0.0.1", port))
local a = assert(srv:accept())
c:settimeout(5); a:settimeout(5)
assert(c:send("ping\n") == 5)
assert(a:receive("*l") == "ping")
assert(c:setoption("tcp-keepidle", 30) == 1 and c:getoption("tcp-keepidle") == 30)
local socket = require "ltcp.compat"
assert(type(socket.connect) == "function")
a:close(); c:close(); srv:close()
print(string.format("   %-9s %s from %s", _VERSION .. (jit and " (" .. jit.version .. ")" or ""),
  ltcp._VERSION, path))
LUA
done

trap - EXIT
purge
left=$(installed)
[ -z "$left" ] && [ ! -e /usr/include/ltcp.h ] ||
  { echo "deb.sh: packages left behind: $left"; exit 1; }
echo "== deb.sh: packages purged; all checks passed"
