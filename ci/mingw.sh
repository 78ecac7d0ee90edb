#!/usr/bin/env bash
# Windows leg: cross-build ltcp with MinGW-w64 and run its tests under Wine.
#
#   ci/mingw.sh [x86_64|i686] [gcc|clang]   (default x86_64 gcc; clang: x86_64 only, with
#                                            cmake/mingw-w64-x86_64-clang.cmake)
#
# Steps (each skipped when already done, so a second run reuses the build folder):
#   1. ci/deps.sh: apt-get install the cross compilers, Wine, dpkg-dev (--no-install-recommends).
#   2. ci/debsrc.sh: Debian's source of check and lua5.4, fetched with a PRIVATE apt state under
#      the build folder (nothing under /etc/apt changes); cross-built into <build>/deps. Then
#      Debian's luasocket (when its source can be fetched), for ltcp.compat's LuaSocket mode.
#   3. Configure ltcp with cmake/mingw-w64-<arch>.cmake, -DLTCP_WERROR=ON, build it.
#   4. Run ctest under Wine with a private WINEPREFIX under the build folder.
#
# Environment: LTCP_MINGW_BUILD_DIR (default ./build/mingw-<arch>), LTCP_MINGW_LUA (ON/OFF/auto,
# default auto: ON when src/lua/CMakeLists.txt exists), JOBS (default nproc).
# i686: the build always runs; the tests need a Wine that runs 32-bit programs (wine32:i386,
# which needs the i386 dpkg architecture). Without it the script stops with exit code 3 and says
# so; LTCP_MINGW_I386=1 lets it add the i386 architecture and install wine32:i386 itself.
# That changes the machine for everyone: Wine prefixes made before wine32 was installed stop
# working, also for 64-bit programs. This script remakes its own (step 4); on a machine others
# share, run the i686 leg when nobody else uses Wine, or on a fresh CI machine.
set -euo pipefail

ARCH="${1:-x86_64}"
CC_KIND="${2:-gcc}"
case "$ARCH/$CC_KIND" in
  x86_64/gcc|i686/gcc|x86_64/clang) ;;
  *) echo "usage: $0 [x86_64|i686] [gcc|clang]   (clang: x86_64 only)" >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUFFIX=""; [ "$CC_KIND" = gcc ] || SUFFIX="-$CC_KIND"
B="${LTCP_MINGW_BUILD_DIR:-$ROOT/build/mingw-$ARCH$SUFFIX}"
mkdir -p "$B"
B="$(cd "$B" && pwd)"
DEPS="$B/deps"
TC="$ROOT/cmake/mingw-w64-$ARCH$SUFFIX.cmake"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
log() { printf '== mingw.sh (%s): %s\n' "$ARCH$SUFFIX" "$*"; }

# ---- 1. packages (ci/deps.sh installs only what is missing) ----------------------------------
bash "$ROOT/ci/deps.sh" core mingw
if [ "$CC_KIND" = clang ]; then bash "$ROOT/ci/deps.sh" clang; fi

# ---- 2. Check and Lua 5.4 for Windows from Debian's source packages ----------------------------
bash "$ROOT/ci/debsrc.sh" "$B" check lua5.4   # private apt state under $B; skips unpacked ones
CHECK_SRC="$(ls -d "$B"/src/check-[0-9]* | head -n1)"
LUA_SRC_DIR="$(ls -d "$B"/src/lua5.4-[0-9]* | head -n1)"

if [ ! -f "$DEPS/lib/cmake/check/check-config.cmake" ]; then
  log "building Check for Windows"
  cmake -S "$CHECK_SRC" -B "$B/b-check" -DCMAKE_TOOLCHAIN_FILE="$TC" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX="$DEPS" -DBUILD_TESTING=OFF >"$B/b-check.log" 2>&1 ||
    { cat "$B/b-check.log"; exit 1; }
  cmake --build "$B/b-check" -j"$JOBS" >>"$B/b-check.log" 2>&1 || { cat "$B/b-check.log"; exit 1; }
  cmake --install "$B/b-check" >>"$B/b-check.log" 2>&1 || { cat "$B/b-check.log"; exit 1; }
fi

if [ ! -f "$DEPS/bin/lua54.dll" ]; then
  log "building Lua 5.4 for Windows"
  cmake -S "$ROOT/cmake/lua-win" -B "$B/b-lua" -DCMAKE_TOOLCHAIN_FILE="$TC" \
        -DCMAKE_BUILD_TYPE=Release -DLUA_SRC="$LUA_SRC_DIR/src" -DCMAKE_INSTALL_PREFIX="$DEPS" \
        >"$B/b-lua.log" 2>&1 || { cat "$B/b-lua.log"; exit 1; }
  cmake --build "$B/b-lua" -j"$JOBS" >>"$B/b-lua.log" 2>&1 || { cat "$B/b-lua.log"; exit 1; }
  cmake --install "$B/b-lua" >>"$B/b-lua.log" 2>&1 || { cat "$B/b-lua.log"; exit 1; }
fi

LUA_OPT="${LTCP_MINGW_LUA:-auto}"
if [ "$LUA_OPT" = auto ]; then
  if [ -f "$ROOT/src/lua/CMakeLists.txt" ]; then LUA_OPT=ON; else LUA_OPT=OFF; fi
fi

# ---- 2b. LuaSocket for Windows (ltcp.compat's LuaSocket mode under Wine), when its source is ---
# to be had: Debian's source package, or failing that its upstream tarball from the same pool
# (some mirrors lack the Debian patch tarball; the patches do not touch the Windows build).
# Without it the LuaSocket-mode tests are not registered and this says so.
LUASOCKET_DIR=""
if [ "$LUA_OPT" != OFF ]; then
  bash "$ROOT/ci/debsrc.sh" "$B" luasocket || true
  LS_SRC="$(ls -d "$B"/src/luasocket-[0-9]* 2>/dev/null | head -n1 || true)"
  if [ -z "$LS_SRC" ] && ls "$B"/src/luasocket_*.orig.tar.gz >/dev/null 2>&1; then
    (cd "$B/src" && tar xzf "$(ls luasocket_*.orig.tar.gz | head -n1)")
    LS_SRC="$(ls -d "$B"/src/luasocket-[0-9]* 2>/dev/null | head -n1 || true)"
  fi
  if [ -n "$LS_SRC" ] && [ -f "$LS_SRC/src/luasocket.c" ]; then
    if [ ! -f "$DEPS/luasocket/lib/socket/core.dll" ]; then
      log "building LuaSocket for Windows"
      cmake -S "$ROOT/cmake/luasocket-win" -B "$B/b-luasocket" -DCMAKE_TOOLCHAIN_FILE="$TC" \
            -DCMAKE_BUILD_TYPE=Release -DLUASOCKET_SRC="$LS_SRC/src" -DCMAKE_FIND_ROOT_PATH="$DEPS" \
            -DCMAKE_INSTALL_PREFIX="$DEPS/luasocket" >"$B/b-luasocket.log" 2>&1 &&
        cmake --build "$B/b-luasocket" -j"$JOBS" >>"$B/b-luasocket.log" 2>&1 &&
        cmake --install "$B/b-luasocket" >>"$B/b-luasocket.log" 2>&1 ||
        { cat "$B/b-luasocket.log"; exit 1; }
    fi
    LUASOCKET_DIR="$DEPS/luasocket"
  else
    log "no LuaSocket source (apt-get source luasocket failed): LuaSocket-mode tests left out"
  fi
fi

# ---- 3. ltcp ----------------------------------------------------------------------------------
log "configuring ltcp (LTCP_BUILD_LUA=$LUA_OPT)"
cmake -S "$ROOT" -B "$B/ltcp" -DCMAKE_TOOLCHAIN_FILE="$TC" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_FIND_ROOT_PATH="$DEPS" -DCMAKE_CROSSCOMPILING_EMULATOR=wine \
      -DLTCP_WERROR=ON -DLTCP_BUILD_LUA="$LUA_OPT" -DLTCP_TEST_SLOWDOWN=3 \
      -DLTCP_WIN_LUASOCKET_DIR="$LUASOCKET_DIR"
log "building ltcp"
cmake --build "$B/ltcp" -j"$JOBS"

# ---- 4. tests under Wine ----------------------------------------------------------------------
export WINEPREFIX="$B/wineprefix"
export WINEDEBUG="-all,err+module"
export WINEDLLOVERRIDES="winemenubuilder.exe=d"
bash "$ROOT/ci/wineprefix.sh" "$WINEPREFIX" # anew when the installed Wine changed

if [ "$ARCH" = i686 ]; then
  # Does this Wine run 32-bit programs? Debian's wine64 alone does not (no wine32 loader).
  probe_i686() {
    local exe="$B/probe32.exe"
    printf 'int main(void){return 42;}\n' > "$B/probe32.c"
    i686-w64-mingw32-gcc -o "$exe" "$B/probe32.c"
    local rc=0
    timeout 120 wine "$exe" >/dev/null 2>&1 </dev/null || rc=$?
    [ "$rc" -eq 42 ]
  }
  # Would `apt-get install wine32:i386` succeed? Asked with a private apt state that knows i386,
  # so the machine's dpkg architectures and package lists stay untouched when the answer is no.
  # (M-A: same libraries must match the installed amd64 versions exactly, which fails whenever
  # the mirror's i386 indexes lag behind the amd64 ones.)
  wine32_installable() {
    local A="$B/apt-i386"
    mkdir -p "$A/lists/partial" "$A/cache/archives/partial"
    cat > "$A/deb.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    local APT=(apt-get -q -o Dir::Etc::SourceList="$A/deb.sources"
               -o Dir::Etc::SourceParts=/dev/null
               -o Dir::State::Lists="$A/lists" -o Dir::Cache="$A/cache"
               -o APT::Architectures::=amd64 -o APT::Architectures::=i386)
    [ "$(id -u)" -ne 0 ] || APT+=(-o APT::Sandbox::User=root)
    "${APT[@]}" update >"$A/update.log" 2>&1 && ! grep -q '^E:' "$A/update.log" &&
      "${APT[@]}" -s install --no-install-recommends wine32:i386 >"$A/simulate.log" 2>&1
  }
  if ! probe_i686; then
    if [ "${LTCP_MINGW_I386:-0}" = 1 ]; then
      if ! wine32_installable; then
        cat >&2 <<EOF
mingw.sh: the i686 build is in $B/ltcp, but its tests cannot run: this Wine cannot start 32-bit
programs and wine32:i386 cannot be installed right now (a dry run with the i386 architecture
failed; see $B/apt-i386/update.log and simulate.log). Nothing on the system was changed.
EOF
        exit 3
      fi
      log "adding the i386 architecture and installing wine32:i386 (LTCP_MINGW_I386=1)"
      SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
      added=0
      if ! dpkg --print-foreign-architectures | grep -qx i386; then
        $SUDO dpkg --add-architecture i386
        added=1
      fi
      if ! { $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive \
               $SUDO apt-get install -y -q --no-install-recommends wine32:i386; }; then
        # Leave the machine as it was: a foreign architecture whose indexes fail would break
        # every later apt-get update on it.
        if [ "$added" = 1 ]; then
          $SUDO dpkg --remove-architecture i386 && $SUDO apt-get update -q || true
        fi
        echo "mingw.sh: installing wine32:i386 failed" >&2
        exit 3
      fi
      reset_prefix
      probe_i686 || { echo "mingw.sh: wine still cannot run 32-bit programs" >&2; exit 3; }
    else
      cat >&2 <<EOF
mingw.sh: the i686 build is in $B/ltcp, but its tests cannot run: this Wine cannot start
32-bit Windows programs (Debian's wine64 has no 32-bit loader; that is package wine32:i386, which
needs 'dpkg --add-architecture i386'). Re-run with LTCP_MINGW_I386=1 to let this script do that.
EOF
      exit 3
    fi
  fi
fi

# The probes leave a wineserver lingering; ctest's wine_start fixture wants to start its own.
[ "$ARCH" = i686 ] && { wineserver -k >/dev/null 2>&1 || true; }
log "running ctest under Wine (WINEPREFIX=$WINEPREFIX)"
cd "$B/ltcp"
ctest --output-on-failure -j"$JOBS"
