#!/usr/bin/env bash
# Consumer tests: install ltcp (shared and static) with `cmake --install --prefix` somewhere
# other than the configured prefix, then MOVE the installed tree, and build a small C program
# against the moved tree with find_package(ltcp) and with pkg-config, and run it (so both must be
# relocatable); load the installed Lua module from it with a plain interpreter; run the README's
# "Install and use" commands as written, in a copy of the tree; and, when the MinGW leg's deps
# exist (or with LTCP_CONSUMER_MINGW=1), do the same for Windows: install, move, build against
# it with find_package and pkg-config, run under Wine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh core lua
root=$PWD/build/consumer
rm -rf "$root"
mkdir -p "$root"

# install_moved BUILD_DIR PREFIX: cmake --install to PREFIX.staged, then move it to PREFIX; check
# that ltcp.pc names no absolute directory (it derives them from ${pcfiledir}).
install_moved() {
  cmake --install "$1" --prefix "$2.staged" >/dev/null
  mv "$2.staged" "$2"
  local pc="$2/lib/pkgconfig/ltcp.pc"
  grep -q '^prefix=${pcfiledir}/' "$pc" || { echo "$pc is not relocatable:"; cat "$pc"; exit 1; }
  if grep -E '^(libdir|includedir)=/' "$pc"; then echo "$pc holds an absolute path"; exit 1; fi
}

for kind in shared static; do
  shared=OFF; [ $kind = shared ] && shared=ON
  prefix=$root/prefix-$kind
  cmake -S . -B "$root/build-$kind" -DBUILD_SHARED_LIBS=$shared -DBUILD_TESTING=OFF \
    -DLTCP_BUILD_EXAMPLES=OFF -DLTCP_WERROR=ON \
    -DLTCP_BUILD_LUA=ON -DLTCP_LUA_PC=lua5.4 >/dev/null
  cmake --build "$root/build-$kind" -j"$(nproc)" >/dev/null
  install_moved "$root/build-$kind" "$prefix"

  echo "== $kind: find_package(ltcp)"
  cmake -S test/consumer -B "$root/cm-$kind" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
  cmake --build "$root/cm-$kind" >/dev/null
  LD_LIBRARY_PATH="$prefix/lib" "$root/cm-$kind/app"

  echo "== $kind: pkg-config (--cflags --libs, and --static)"
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  cc -std=c99 -Wall -Werror test/consumer/consumer.c $(pkg-config --cflags --libs ltcp) -o "$root/pc-$kind"
  cc -std=c99 -Wall -Werror test/consumer/consumer.c $(pkg-config --cflags --libs --static ltcp) \
    -o "$root/pcs-$kind"
  LD_LIBRARY_PATH="$prefix/lib" "$root/pc-$kind"
  LD_LIBRARY_PATH="$prefix/lib" "$root/pcs-$kind"
  unset PKG_CONFIG_PATH
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

# ---- the README's "Install and use" lines, as written, in a copy of the tree -------------------
echo "== README: Install and use"
copy=$root/readme-tree
mkdir -p "$copy" "$root/home"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$copy"
bash ci/readme-block.sh "Install and use" 1 >"$root/readme-install.sh"
bash ci/readme-block.sh "Install and use" 2 >"$root/readme-pkgconfig.sh"
bash ci/readme-block.sh "Install and use" 1 cmake | while IFS= read -r line; do
  grep -qxF "$line" test/consumer/CMakeLists.txt ||
    { echo "README's CMake line '$line' is not in test/consumer/CMakeLists.txt"; exit 1; }
done
(cd "$copy" && HOME=$root/home bash -euo pipefail "$root/readme-install.sh" >"$root/readme.log" 2>&1 &&
  HOME=$root/home bash -euo pipefail "$root/readme-pkgconfig.sh" >>"$root/readme.log" 2>&1) ||
  { cat "$root/readme.log"; echo "README's Install and use lines failed"; exit 1; }
echo "README lines: installed into \$HOME/.local and built readme_client with pkg-config"
out=$(cd "$copy" && bash ci/examples.sh --run-pair build/release/examples/echo_server build/readme_client)
echo "$out"
echo "$out" | grep -qx 'received "ping"' || { echo "readme_client (pkg-config build) failed"; exit 1; }

# ---- Windows: the MinGW leg's toolchain and deps (Lua for Windows) -----------------------------
mw=build/mingw-x86_64
if [ -d "$mw/deps" ] || [ "${LTCP_CONSUMER_MINGW:-0}" = 1 ]; then
  [ -d "$mw/deps" ] || bash ci/mingw.sh x86_64 >/dev/null
  tc=$PWD/cmake/mingw-w64-x86_64.cmake
  wprefix=$root/prefix-win
  echo "== mingw: install"
  cmake -S . -B "$root/build-win" -DCMAKE_TOOLCHAIN_FILE="$tc" -DCMAKE_FIND_ROOT_PATH="$PWD/$mw/deps" \
    -DBUILD_SHARED_LIBS=ON -DBUILD_TESTING=OFF -DLTCP_BUILD_EXAMPLES=OFF -DLTCP_WERROR=ON \
    -DLTCP_BUILD_LUA=ON >/dev/null
  cmake --build "$root/build-win" -j"$(nproc)" >/dev/null
  install_moved "$root/build-win" "$wprefix"
  ls "$wprefix/bin/libltcp.dll" "$wprefix/lib/libltcp.dll.a" "$wprefix/lib/lua/5.4/ltcp.dll" >/dev/null
  echo "== mingw: find_package(ltcp), run under Wine"
  cmake -S test/consumer -B "$root/cm-win" -DCMAKE_TOOLCHAIN_FILE="$tc" \
    -DCMAKE_FIND_ROOT_PATH="$wprefix" >/dev/null
  cmake --build "$root/cm-win" >/dev/null
  export WINEPREFIX=$PWD/$mw/wineprefix WINEDEBUG=-all,err+module WINEDLLOVERRIDES="winemenubuilder.exe=d"
  bash ci/wineprefix.sh "$WINEPREFIX" # anew when the installed Wine changed
  WINEPATH="$wprefix/bin" timeout 120 wine "$root/cm-win/app.exe" </dev/null
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
