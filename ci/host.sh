#!/usr/bin/env bash
# One entry point for the jobs of .github/workflows/ci.yml on real hosts, so the workflow stays
# thin (every step is "bash ci/host.sh ..."). Runs here too, on Debian (the Linux branch).
#
#   ci/host.sh sources DIR   Debian's source of check and lua5.4 into DIR/src (ci/debsrc.sh; a
#                            Debian host). The Windows jobs build them, so every host tests with
#                            the same Check and Lua sources as the Wine legs here.
#   ci/host.sh test          install or build the dependencies, configure with warnings as
#                            errors, build, run ctest.
#
# Environment:
#   LTCP_CC    gcc | clang (Linux), clang (macOS), msvc | mingw (Windows). Default: gcc on Linux,
#              clang on macOS, mingw on Windows.
#   LTCP_LUA   lua5.1 lua5.2 lua5.3 lua5.4 luajit (Linux); lua5.4 luajit (macOS); lua5.4 (Windows).
#              Default lua5.4.
#   LTCP_HOST_SRC  Windows: the folder 'sources' filled (holding check-*/ and lua5.4-*/).
#   JOBS       parallel jobs (default: the number of processors).
# Build folders: build/host-<cc>-<lua> (and build/host-deps-<cc> for the Windows dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."

case "$(uname -s)" in
  Linux) OS=linux; CC_KIND=${LTCP_CC:-gcc} ;;
  Darwin) OS=macos; CC_KIND=${LTCP_CC:-clang} ;;
  MINGW* | MSYS* | UCRT64* | CLANG64* | CYGWIN*) OS=windows; CC_KIND=${LTCP_CC:-mingw} ;;
  *) echo "ci/host.sh: unknown host $(uname -s)" >&2; exit 2 ;;
esac
# Paths handed to CMake must be native ones: on Windows (Git Bash, MSYS2) pwd -W gives D:/a/...
abspath() { (cd "$1" && if [ "$OS" = windows ]; then pwd -W; else pwd; fi); }
ROOT=$(abspath .)
LUA=${LTCP_LUA:-lua5.4}
JOBS=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || echo 2)}
log() { printf '== host.sh (%s %s %s): %s\n' "$OS" "$CC_KIND" "$LUA" "$*"; }

case "$OS/$CC_KIND" in
  linux/gcc | linux/clang | macos/clang | windows/msvc | windows/mingw) ;;
  *) echo "ci/host.sh: compiler '$CC_KIND' is not one of this host's ($OS)" >&2; exit 2 ;;
esac

if [ "${1:-}" = sources ]; then
  [ $# -eq 2 ] || { echo "usage: ci/host.sh sources DIR" >&2; exit 2; }
  bash ci/debsrc.sh "$2" check lua5.4
  ls -d "$2"/src/check-[0-9]* "$2"/src/lua5.4-[0-9]*
  exit 0
fi
[ "${1:-}" = test ] || { echo "usage: ci/host.sh sources DIR | ci/host.sh test" >&2; exit 2; }

B="$ROOT/build/host-$CC_KIND-$LUA"
CONF=RelWithDebInfo
ARGS=(-DCMAKE_BUILD_TYPE=$CONF -DLTCP_WERROR=ON -DLTCP_BUILD_LUA=ON)

# ---- dependencies -------------------------------------------------------------------------------
case "$OS" in
  linux)
    bash ci/deps.sh core lua
    if [ "$CC_KIND" = clang ]; then bash ci/deps.sh clang; fi
    export CC=$CC_KIND
    ARGS+=(-DLTCP_LUA_PC="$LUA")
    ;;
  macos)
    # Homebrew's names; its Lua has no pkg-config name the module's CMake knows, so the headers
    # and the interpreter are given explicitly.
    brew install check pkg-config lua luajit >/dev/null
    case "$LUA" in
      lua5.4) p=$(brew --prefix lua); ARGS+=(-DLTCP_LUA_INCLUDE_DIR="$p/include/lua"
                -DLTCP_LUA_VERSION=5.4 -DLTCP_LUA_INTERPRETER="$p/bin/lua") ;;
      luajit) p=$(brew --prefix luajit); ARGS+=(-DLTCP_LUA_INCLUDE_DIR="$p/include/luajit-2.1"
                -DLTCP_LUA_VERSION=5.1 -DLTCP_LUA_INTERPRETER="$p/bin/luajit") ;;
      *) echo "ci/host.sh: macOS jobs take lua5.4 or luajit" >&2; exit 2 ;;
    esac
    ;;
  windows)
    [ "$LUA" = lua5.4 ] || { echo "ci/host.sh: Windows jobs take lua5.4" >&2; exit 2; }
    SRC=$(abspath "${LTCP_HOST_SRC:?LTCP_HOST_SRC: the folder ci/host.sh sources filled}")
    CHECK_SRC=$(ls -d "$SRC"/check-[0-9]* | head -n1)
    LUA_SRC_DIR=$(ls -d "$SRC"/lua5.4-[0-9]* | head -n1)
    D="$ROOT/build/host-deps-$CC_KIND"
    GEN=()
    if [ "$CC_KIND" = mingw ]; then GEN=(-G Ninja); fi # MSVC: CMake's default, Visual Studio
    if [ ! -f "$D/lib/cmake/check/check-config.cmake" ]; then
      log "building Check from $CHECK_SRC"
      cmake -S "$CHECK_SRC" -B "$D/b-check" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX="$D" -DBUILD_TESTING=OFF
      cmake --build "$D/b-check" --config Release -j "$JOBS"
      cmake --install "$D/b-check" --config Release
    fi
    if [ ! -f "$D/bin/lua54.dll" ]; then
      log "building Lua from $LUA_SRC_DIR"
      cmake -S cmake/lua-win -B "$D/b-lua" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
        -DLUA_SRC="$LUA_SRC_DIR/src" -DCMAKE_INSTALL_PREFIX="$D"
      cmake --build "$D/b-lua" --config Release -j "$JOBS"
      cmake --install "$D/b-lua" --config Release
    fi
    if [ "$CC_KIND" = msvc ]; then lib="$D/lib/lua54.lib"; else lib="$D/lib/liblua54.dll.a"; fi
    ARGS+=("${GEN[@]}" -DCMAKE_PREFIX_PATH="$D" -DLTCP_LUA_INCLUDE_DIR="$D/include"
           -DLTCP_LUA_LIBRARY="$lib" -DLTCP_LUA_INTERPRETER="$D/bin/lua.exe")
    # MSVC warnings are not errors until a run has shown the build clean (it has never run).
    if [ "$CC_KIND" = msvc ]; then ARGS+=(-DLTCP_WERROR=OFF); fi
    ;;
esac

# ---- ltcp -----------------------------------------------------------------------------------------
log "configuring $B"
cmake -S . -B "$B" "${ARGS[@]}"
log "building"
cmake --build "$B" --config $CONF -j "$JOBS"
log "testing"
cd "$B"
ctest -C $CONF --output-on-failure -j "$JOBS"
