#!/usr/bin/env bash
# The whole CI matrix, one command: compilers (gcc, clang) x build types (Release, Debug with
# ASan+UBSan) x POSIX waits (poll, select), musl, Windows x86_64 (gcc, clang) and i686 under
# Wine (i686 installs wine32:i386: see docs/platform-notes.md), Lua 5.1-5.4 and LuaJIT, the
# consumer tests, third-party test suites (ci/thirdparty.sh: LuaSocket's own, lua-redis's),
# valgrind, fuzzing, the load test, the examples, lint, and the README's two commands in a fresh
# Debian 12 chroot (ci/fresh-debian.sh, root only). Takes about an hour and a quarter on 2 cores;
# ci/test.sh runs the part that fits in 15 minutes.
# Usage: ci/matrix.sh [name-filter]
set -uo pipefail
cd "$(dirname "$0")/.."
filter=${1:-}
bash ci/deps.sh core sanitize
failed=()

cell() { # cell NAME COMMAND...
  local name=$1; shift
  [ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && return 0
  local t0=$SECONDS
  echo "==== $name"
  if "$@"; then echo "==== $name: ok ($((SECONDS - t0)) s)"
  else echo "==== $name: FAILED"; failed+=("$name"); fi
}

c_build() { # c_build CC TYPE WAIT
  local cc=$1 type=$2 wait=$3 b="build/matrix-$1-$2-$3" san=""
  [ "$type" = Debug ] && san="address,undefined"
  CC=$cc cmake -S . -B "$b" -DCMAKE_BUILD_TYPE="$type" -DLTCP_WERROR=ON -DLTCP_POSIX_WAIT="$wait" \
    -DLTCP_SANITIZE="$san" >/dev/null &&
    cmake --build "$b" -j"$(nproc)" >/dev/null &&
    (cd "$b" && ctest --output-on-failure -j"$(nproc)" -LE lua)
}

for cc in gcc clang; do
  for type in Release Debug; do
    for wait in poll select; do
      cell "c-$cc-$type-$wait" c_build $cc $type $wait
    done
  done
done
cell musl bash ci/musl.sh
cell lua bash ci/lua.sh
cell mingw-x86_64 bash ci/mingw.sh x86_64
cell mingw-i686 env LTCP_MINGW_I386=1 bash ci/mingw.sh i686
cell mingw-x86_64-clang bash ci/mingw.sh x86_64 clang
cell consumer bash ci/consumer.sh
cell thirdparty bash ci/thirdparty.sh lua5.1 lua5.4 luajit
for s in valgrind fuzz load examples lint; do
  [ -f "ci/$s.sh" ] && cell "$s" bash "ci/$s.sh"
done
# The README's two commands in a fresh Debian 12 minbase chroot (root only): the longest cell.
if [ "$(id -u)" -eq 0 ]; then cell fresh-debian bash ci/fresh-debian.sh; fi

if [ ${#failed[@]} -gt 0 ]; then echo "matrix FAILED: ${failed[*]}"; exit 1; fi
echo "matrix: all cells passed"
