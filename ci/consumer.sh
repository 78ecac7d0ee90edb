#!/usr/bin/env bash
# Consumer tests: install ltcp (shared and static) to a temporary prefix, then build a small C
# program against it with find_package(ltcp) and with pkg-config, and run it; load the installed
# Lua module from the prefix with a plain interpreter; and, when the MinGW leg's deps exist (or
# with LTCP_CONSUMER_MINGW=1), do the same for Windows: install, build against it, run under Wine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh core lua
root=$PWD/build/consumer
rm -rf "$root"
for kind in shared static; do
  shared=OFF; [ $kind = shared ] && shared=ON
  prefix=$root/prefix-$kind
  cmake -S . -B "$root/build-$kind" -DBUILD_SHARED_LIBS=$shared -DBUILD_TESTING=OFF \
    -DLTCP_BUILD_EXAMPLES=OFF -DCMAKE_INSTALL_PREFIX="$prefix" -DLTCP_WERROR=ON \
    -DLTCP_BUILD_LUA=ON -DLTCP_LUA_PC=lua5.4 >/dev/null
  cmake --build "$root/build-$kind" -j"$(nproc)" >/dev/null
  cmake --install "$root/build-$kind" >/dev/null

  echo "== $kind: find_package(ltcp)"
  cmake -S test/consumer -B "$root/cm-$kind" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
  cmake --build "$root/cm-$kind" >/dev/null
  LD_LIBRARY_PATH="$prefix/lib" "$root/cm-$kind/consumer"

  echo "== $kind: pkg-config"
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  if [ $kind = shared ]; then
    cc -std=c99 -Wall -Werror test/consumer/consumer.c $(pkg-config --cflags --libs ltcp) -o "$root/pc-$kind"
    LD_LIBRARY_PATH="$prefix/lib" "$root/pc-$kind"
  else
    cc -std=c99 -Wall -Werror test/consumer/consumer.c $(pkg-config --cflags ltcp) \
      $(pkg-config --libs --static ltcp) -o "$root/pc-$kind"
    "$root/pc-$kind"
  fi
  if [ $kind = shared ]; then
    bad=$(nm -D --defined-only "$prefix"/lib/libltcp.so | awk '{print $3}' | grep -v '^ltcp_' || true)
    [ -z "$bad" ] || { echo "exported symbols outside ltcp_: $bad"; exit 1; }
    echo "exported symbols: $(nm -D --defined-only "$prefix"/lib/libltcp.so | grep -c ' T ltcp_') (all ltcp_*)"
  fi
  echo "== $kind: installed Lua module"
  mod=$(find "$prefix/lib/lua/5.4" -name 'ltcp.so')
  [ -n "$mod" ] || { echo "no ltcp.so under $prefix/lib/lua/5.4"; exit 1; }
  ldd "$mod" | grep -q liblua && { echo "ltcp.so links liblua (it must not on ELF)"; exit 1; }
  LUA_CPATH="$prefix/lib/lua/5.4/?.so" lua5.4 -e 'local l = require "ltcp"
    local s = assert(l.bind("127.0.0.1", 0)); print(l._VERSION .. " loaded from the prefix: " .. tostring(s))'
done

# ---- Windows: the MinGW leg's toolchain and deps (Lua for Windows) -----------------------------
mw=build/mingw-x86_64
if [ -d "$mw/deps" ] || [ "${LTCP_CONSUMER_MINGW:-0}" = 1 ]; then
  [ -d "$mw/deps" ] || bash ci/mingw.sh x86_64 >/dev/null
  tc=$PWD/cmake/mingw-w64-x86_64.cmake
  wprefix=$root/prefix-win
  echo "== mingw: install"
  cmake -S . -B "$root/build-win" -DCMAKE_TOOLCHAIN_FILE="$tc" -DCMAKE_FIND_ROOT_PATH="$PWD/$mw/deps" \
    -DBUILD_SHARED_LIBS=ON -DBUILD_TESTING=OFF -DLTCP_BUILD_EXAMPLES=OFF -DLTCP_WERROR=ON \
    -DLTCP_BUILD_LUA=ON -DCMAKE_INSTALL_PREFIX="$wprefix" >/dev/null
  cmake --build "$root/build-win" -j"$(nproc)" >/dev/null
  cmake --install "$root/build-win" >/dev/null
  ls "$wprefix/bin/libltcp.dll" "$wprefix/lib/libltcp.dll.a" "$wprefix/lib/lua/5.4/ltcp.dll" >/dev/null
  echo "== mingw: find_package(ltcp), run under Wine"
  cmake -S test/consumer -B "$root/cm-win" -DCMAKE_TOOLCHAIN_FILE="$tc" \
    -DCMAKE_FIND_ROOT_PATH="$wprefix" >/dev/null
  cmake --build "$root/cm-win" >/dev/null
  export WINEPREFIX=$PWD/$mw/wineprefix WINEDEBUG=-all,err+module WINEDLLOVERRIDES="winemenubuilder.exe=d"
  mkdir -p "$WINEPREFIX"
  WINEPATH="$wprefix/bin" timeout 120 wine "$root/cm-win/consumer.exe" </dev/null
  echo "== mingw: pkg-config, run under Wine"
  x86_64-w64-mingw32-gcc -std=c99 -Wall -Werror test/consumer/consumer.c \
    $(PKG_CONFIG_PATH="$wprefix/lib/pkgconfig" PKG_CONFIG_LIBDIR=/nonexistent pkg-config --cflags --libs ltcp) \
    -o "$root/pc-win.exe"
  WINEPATH="$wprefix/bin" timeout 120 wine "$root/pc-win.exe" </dev/null
  bad=$(x86_64-w64-mingw32-objdump -p "$wprefix/bin/libltcp.dll" |
        awk '/\[Ordinal\/Name Pointer\] Table/ {t=1; next} t && NF==0 {t=0} t {print $NF}' | grep -v '^ltcp_' || true)
  [ -z "$bad" ] || { echo "libltcp.dll exports names outside ltcp_: $bad"; exit 1; }
  echo "== mingw: installed Lua module under Wine"
  WINEPATH="$wprefix/bin;$PWD/$mw/deps/bin" LUA_CPATH="$wprefix/lib/lua/5.4/?.dll" timeout 120 \
    wine "$PWD/$mw/deps/bin/lua.exe" -e 'local l = require "ltcp"; print(l._VERSION .. " loaded under Wine")' </dev/null
fi
echo "consumer: OK"
