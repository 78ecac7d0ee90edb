#!/usr/bin/env bash
# Lint leg: clang-format (14, the style in .clang-format) in check mode over every C file of the
# tree, cppcheck with the checks below, and two rules of the design notes that a grep can check.
#   ci/lint.sh          # check: exits non-zero and says what to run when anything is off
#   ci/lint.sh --fix    # format every C file in place (then review and commit the result)
# Files: every *.c / *.h that git knows of or would add (tracked, or untracked and not ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh lint
CF=clang-format-14
command -v "$CF" >/dev/null || CF=clang-format
mapfile -d '' files < <(git ls-files -z --cached --others --exclude-standard -- '*.c' '*.h')
[ ${#files[@]} -gt 0 ] || { echo "lint: no C files found"; exit 1; }

if [ "${1:-}" = --fix ]; then
  "$CF" -i --style=file "${files[@]}"
  echo "lint: formatted ${#files[@]} files with $("$CF" --version | sed 's/.*version //')"
  exit 0
fi

status=0
echo "== clang-format ($("$CF" --version | sed 's/.*version //')), ${#files[@]} files"
bad=()
for f in "${files[@]}"; do
  "$CF" --style=file --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  for f in "${bad[@]}"; do echo "not formatted: $f"; done
  { "$CF" --style=file --dry-run "${bad[0]}" 2>&1 || true; } | head -20 || true
  echo "lint: ${#bad[@]} of ${#files[@]} files differ from .clang-format; 'bash ci/lint.sh --fix' formats them"
  status=1
fi

# cppcheck: the categories, and why each is on.
#   error        (always on) undefined behaviour, leaks, out-of-bounds access, use after free:
#                what the sanitizer and valgrind legs catch only on the paths a test runs.
#   warning      suspicious code that is most likely a bug: wrong printf arguments, assignments
#                in conditions, a missing return, uninitialised use along one branch.
#   portability  code whose meaning changes with the platform: pointer/integer casts and sizes
#                that differ on 64-bit Windows (SOCKET is 64-bit there), shifts of signed values;
#                ltcp must behave the same on every platform it builds for.
# Left out: style and performance (opinion; clang-format owns the layout), information (noise
# about headers cppcheck does not need). Each backend is checked with its own platform macros.
echo "== cppcheck ($(cppcheck --version | sed 's/Cppcheck //'))"
CPPCHECK=(cppcheck -q --std=c99 --enable=warning,portability --error-exitcode=1 --inline-suppr
          --suppress=missingIncludeSystem -j"$(nproc)" -Iinclude -Isrc/common)
mapfile -d '' posix < <(git ls-files -z --cached --others --exclude-standard -- '*.c' |
                         grep -zv -e '^src/win32/' -e '^test/test_win32\.c$' -e '^cmake/')
mapfile -d '' win32 < <(git ls-files -z --cached --others --exclude-standard -- 'src/win32/*.c' \
                         'test/test_win32.c')
"${CPPCHECK[@]}" -U_WIN32 -D__linux__ -Isrc/posix "${posix[@]}" || status=1
"${CPPCHECK[@]}" -D_WIN32 -Isrc/win32 "${win32[@]}" || status=1

# The design notes' rules (shared/design.md): no platform #if in src/common (the platform split
# lives in the backends and include/ltcp.h), and no Lua header outside src/lua and bench/.
echo "== design rules"
if git grep -nE '^\s*#\s*(if|ifdef|ifndef|elif).*(_WIN32|__linux__|__APPLE__|_MSC_VER|__unix__)' \
    -- src/common; then
  echo "lint: platform #if in src/common (above)"; status=1
fi
if git grep -nE '#\s*include\s*[<"](lua|lauxlib|lualib|luajit)\.h[>"]' -- '*.c' '*.h' \
    ':!src/lua' ':!bench'; then
  echo "lint: a Lua header outside src/lua (above)"; status=1
fi

[ $status -eq 0 ] && echo "lint: OK" || echo "lint: FAILED"
exit $status
