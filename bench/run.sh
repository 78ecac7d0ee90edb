#!/bin/sh
# Bench runner entry point: installs what is missing (Debian 12), then runs bench/run.py, which
# builds ltcp (Release) into build/bench and runs every scenario. See docs/performance.md.
#   bench/run.sh              full run, 5 rounds
#   QUICK=1 bench/run.sh      1 round, small counts (under a minute once built)
#   CALLGRIND=1 bench/run.sh  client instructions per 60-byte line and per ping-pong round trip
set -eu
cd "$(dirname "$0")/.."

need=""
for pkg in cmake gcc make libc6-dev lua5.4 liblua5.4-dev luajit libluajit-5.1-dev lua-socket \
           pkg-config python3 python3-matplotlib util-linux valgrind; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need="$need $pkg"
done
if [ -n "$need" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing:$need" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
  else
    echo "warning: missing packages (need root to install):$need" >&2
  fi
fi

# Debian's interpreter: python3-matplotlib is installed for it, not for any other python3.
exec /usr/bin/python3 bench/run.py "$@"
