#!/usr/bin/env bash
# ci/thirdparty.sh: third-party test suites, unchanged in substance, run under Debian's LuaSocket
# and under ltcp.compat (LuaSocket mode), and compared: every case that passes on LuaSocket must
# pass on ltcp.
#   1. LuaSocket 3.1.0's own test/ directory (Debian's source): the stand-alone scripts, and its
#      regression pair testsrvr.lua/testclnt.lua (server and client both on the candidate).
#   2. lua-redis's own suite (test/test_client.lua, Debian's source) against a redis-server on
#      loopback, through a telescope test double (test/lua/suites/telescope.lua).
# Sources come from Debian through ci/debsrc.sh (private apt state under build/thirdparty). Part of
# ci/matrix.sh, not of ci/test.sh: it takes about 3 minutes per Lua version (testclnt's own
# timeout tests sleep for about 45 s).
# usage: ci/thirdparty.sh [lua5.1 lua5.3 lua5.4 luajit]   (default: lua5.4 luajit)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VERSIONS=${*:-"lua5.4 luajit"}
B=$ROOT/build/thirdparty
mkdir -p "$B"
bash ci/deps.sh core lua debsrc thirdparty

# Debian's sources: the mirror may lack a package's debian.tar, so unpack the orig tarball.
bash ci/debsrc.sh "$B" luasocket lua-redis >/dev/null 2>&1 || true
for p in luasocket lua-redis; do
  t=$(ls "$B"/src/${p}_*.orig.tar.gz 2>/dev/null | head -n1 || true)
  [ -n "$t" ] || { echo "thirdparty: no source for $p (apt-get source failed)"; exit 1; }
  [ -f "$B/src/.$p.unpacked" ] || { (cd "$B/src" && tar xzf "$t") && touch "$B/src/.$p.unpacked"; }
done
LS_TEST=$(ls -d "$B"/src/luasocket-[0-9]*/test | head -n1)
REDIS_SRC=$B/src/redis-lua
[ -f "$REDIS_SRC/test/test_client.lua" ] || { echo "thirdparty: redis-lua suite not found"; exit 1; }

# LuaSocket's stand-alone scripts that need loopback only, or no network at all.
SCRIPTS=(hello.lua test_bind.lua test_getaddrinfo.lua test_socket_error.lua tcp-getoptions
         stufftest.lua excepttest.lua ltn12test.lua mimetest.lua urltest.lua
         udp-zero-length-send udp-zero-length-send-recv)
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Output that may differ: addresses in tostring(), run times; plus the two measured differences
# of testclnt (see docs/lua-differences.md): how many bytes went out before a write saw
# 'closed', and the _SETSIZE + 1 select probe (ltcp's _SETSIZE is the descriptor limit, so the
# probe cannot create that many sockets and says so).
normalize() {
  sed -E -e 's/0x[0-9a-f]+/ADDR/g' -e 's/done in [0-9.]+s/done in Ns/' \
    -e "s/^trying write detection: (graceful 'closed' received after [0-9]+ bytes were sent|failed: output buffer is at least [0-9]+ bytes long!)$/trying write detection: WRITE-DETECTION/" \
    -e 's/^(too many sockets \([0-9]+\): ok|unable to create enough sockets \(max was [0-9]+\))$/SELECT-PROBE/' \
    -e '/^try using ulimit$/d' "$1"
}

status=0
for v in $VERSIONS; do
  echo "=== $v"
  dir=build/lua-$v
  cmake -S . -B "$dir" -DLTCP_BUILD_LUA=ON -DLTCP_LUA_PC="$v" -DLTCP_WERROR=ON \
    -DLTCP_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$dir" -j"$(nproc)" --target ltcp_lua >/dev/null
  CP="$ROOT/$dir/src/lua/?.so;;"
  out=$B/out-$v
  rm -rf "$out"; mkdir -p "$out"
  run() { # run MODE OUTFILE ARGS...: MODE ls = LuaSocket, lt = ltcp.compat
    local mode=$1 o=$2 rc=0; shift 2
    if [ "$mode" = lt ]; then LUA_CPATH="$CP" timeout 300 "$v" -l ltcp.compat "$@" >"$o" 2>&1 || rc=$?
    else timeout 300 "$v" "$@" >"$o" 2>&1 || rc=$?; fi
    echo "exit $rc" >>"$o"
  }
  same() { # same NAME: compare the normalized outputs
    if diff <(normalize "$out/$1.ls") <(normalize "$out/$1.lt") >"$out/$1.diff"; then
      echo "  same: $1"
    else
      echo "  DIFFERENT: $1"; sed 's/^/    /' "$out/$1.diff" | head -40; status=1
    fi
  }

  # 1a. LuaSocket's stand-alone scripts (SCRIPTS). udp-zero-length-send*
  # and test_bind.lua bind fixed ports (5432, 5088): they are LuaSocket's own and run one at a time.
  (cd "$LS_TEST"
   for s in "${SCRIPTS[@]}"; do
     # tcp-getoptions calls the global unpack, which Lua 5.2+ moved to table.unpack
     for m in ls lt; do run $m "$out/$s.$m" -e 'unpack = unpack or table.unpack' "$s"; done
   done)
  for s in "${SCRIPTS[@]}"; do
    grep -q '^exit 0$' "$out/$s.ls" || echo "  (fails on LuaSocket too: $s)"
    same "$s"
  done

  # 1b. The regression pair. Changes to a copy of testclnt.lua, none to what it checks:
  #  - socket._DEBUG is set: Debian builds LuaSocket without LUASOCKET_DEBUG, which the client
  #    insists on; the 4th "elapsed" value that debug builds return from send/receive is
  #    measured around the call instead;
  #  - connect_timeout() is left out: it connects to 10.0.0.1, off loopback.
  # host and port are the scripts' own globals: a free loopback port per run.
  (cd "$LS_TEST"
   sed -e '1i local function timed(f, o, a) local g = require("socket").gettime; local t0 = g(); local r1, r2, r3 = f(o, a); return r1, r2, r3, g() - t0 end' \
       -e '1i require("socket")._DEBUG = true' \
       -e 's/partial, elapsed = data:receive(2\*len)/partial, elapsed = timed(data.receive, data, 2*len)/' \
       -e 's/partial, elapsed = data:send(str)/partial, elapsed = timed(data.send, data, str)/' \
       -e 's/^connect_timeout()$/-- connect_timeout(): off loopback/' testclnt.lua >"$B/testclnt-ltcp.lua"
   [ "$(grep -c 'timed(data' "$B/testclnt-ltcp.lua")" -eq 4 ] || { echo "testclnt.lua changed: update ci/thirdparty.sh"; exit 1; }
   for m in ls lt; do
     port=$(freeport)
     if [ $m = lt ]; then LUA_CPATH="$CP" timeout 300 "$v" -l ltcp.compat -e "host='127.0.0.1' port=$port" testsrvr.lua >"$out/testsrvr.$m" 2>&1 &
     else timeout 300 "$v" -e "host='127.0.0.1' port=$port" testsrvr.lua >"$out/testsrvr.$m" 2>&1 & fi
     spid=$!
     for i in $(seq 50); do grep -q "server: waiting" "$out/testsrvr.$m" 2>/dev/null && break; sleep 0.1; done
     run $m "$out/testclnt.$m" -e "host='127.0.0.1' port=$port" "$B/testclnt-ltcp.lua"
     kill $spid 2>/dev/null || true; wait $spid 2>/dev/null || true
   done) || status=1
  grep -q '^exit 0$' "$out/testclnt.ls" || { echo "  testclnt fails on LuaSocket: see $out/testclnt.ls"; status=1; }
  same testclnt

  # 2. lua-redis's suite (Debian packages lua-redis for 5.1-5.3 and LuaJIT; the suite is plain
  # Lua and runs on 5.4 too). A fresh server per candidate.
  for m in ls lt; do
    port=$(freeport)
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
      >"$out/redis-server.$m" 2>&1 &
    rpid=$!
    for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
    run $m "$out/redis.$m" "$ROOT/test/lua/suites/redis_suite.lua" "$REDIS_SRC" "$port"
    kill $rpid 2>/dev/null || true; wait $rpid 2>/dev/null || true
  done
  echo "  redis suite: LuaSocket $(grep '^total' "$out/redis.ls" || echo none) | ltcp $(grep '^total' "$out/redis.lt" || echo none)"
  grep -q '^total' "$out/redis.lt" || { echo "  redis suite did not finish under ltcp"; sed 's/^/    /' "$out/redis.lt" | tail -20; status=1; }
  # Every test that passes on LuaSocket passes on ltcp. PEXPIRE is left out of the comparison:
  # it sleeps exactly its key's 1 s ttl and then expects the key gone, a race with Redis's
  # millisecond clock that LuaSocket loses too (0-14 of 40 tries here; ltcp 15-17).
  while IFS= read -r line; do
    case "$line" in *"PEXPIRE (client:pexpire)"*) continue ;; esac
    grep -qxF "$line" "$out/redis.lt" || { echo "  passes on LuaSocket, not on ltcp: ${line#PASS }";
      grep -F "FAIL${line#PASS}" "$out/redis.lt" | sed 's/^/    /'; status=1; }
  done < <(grep '^PASS' "$out/redis.ls")
done
[ $status -eq 0 ] && echo "thirdparty: every case that passes on LuaSocket passes on ltcp" || echo "thirdparty: FAILED"
exit $status
