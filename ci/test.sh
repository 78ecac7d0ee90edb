#!/usr/bin/env bash
# Every test: the Linux C suites (poll and select waits), sanitizers, valgrind, musl, the Lua
# suites on Lua 5.1-5.4 and LuaJIT (with the differential tests against LuaSocket), the Windows
# leg (MinGW-w64 cross build, tests under Wine), install/consumer tests, luarocks, a short fuzz
# run over the committed corpus, the small load test, the examples (with the README's C example),
# the lint leg (clang-format, cppcheck), the real-host workflow checks and the Debian packages.
# Each leg installs what it needs. Exits non-zero if any leg fails, after running them all.
set -uo pipefail
cd "$(dirname "$0")/.."
legs=(lint linux sanitize valgrind musl lua mingw consumer luarocks fuzz load examples workflow deb)
[ $# -gt 0 ] && legs=("$@")
failed=()
start=$SECONDS
for leg in "${legs[@]}"; do
  t0=$SECONDS
  echo "==== leg: $leg"
  case "$leg" in
    linux) bash ci/linux.sh ;;
    sanitize) bash ci/sanitize.sh ;;
    lua) bash ci/lua.sh ;;
    mingw) bash ci/mingw.sh x86_64 ;;
    consumer) bash ci/consumer.sh ;;
    musl) bash ci/musl.sh ;;
    luarocks) bash ci/luarocks.sh ;;
    valgrind) bash ci/valgrind.sh ;;
    fuzz) bash ci/fuzz.sh ;;     # 30 s per target over the committed corpus
    load) bash ci/load.sh ;;     # the small load run; ci/load.sh full for 10,000 connections
    examples) bash ci/examples.sh ;;
    lint) bash ci/lint.sh ;;     # check only; ci/lint.sh --fix formats
    workflow) bash ci/workflow.sh ;; # .github/workflows parse + MSVC check + ci/host.sh on Linux
    deb) bash ci/deb.sh ;;       # dpkg-buildpackage, lintian, apt install, consumers, purge
    *) echo "unknown leg $leg"; false ;;
  esac || failed+=("$leg")
  echo "==== leg $leg: $((SECONDS - t0)) s"
done
echo "==== all legs: $((SECONDS - start)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED legs: ${failed[*]}"
  echo "legs: $((${#legs[@]} - ${#failed[@]})) passed, ${#failed[@]} failed"
  exit 1
fi
echo "all legs passed"
echo "legs: ${#legs[@]} passed, 0 failed"
