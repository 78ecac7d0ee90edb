#!/usr/bin/env bash
# musl leg: build ltcp and its Check suites with musl-gcc and run them. Check has no musl
# package, so it is built from Debian's source into build/musl/deps (reused when present).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh core musl
B=$PWD/build/musl
if [ ! -f "$B/deps/lib/pkgconfig/check.pc" ]; then
  bash ci/debsrc.sh "$B" check
  src=$(ls -d "$B"/src/check-[0-9]* | head -1)
  CC=musl-gcc cmake -S "$src" -B "$B/b-check" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$B/deps" -DBUILD_TESTING=OFF -DCHECK_ENABLE_SUBUNIT=OFF >"$B/check.log" 2>&1 ||
    { cat "$B/check.log"; exit 1; }
  { cmake --build "$B/b-check" -j"$(nproc)" && cmake --install "$B/b-check"; } >>"$B/check.log" 2>&1 ||
    { cat "$B/check.log"; exit 1; }
fi
export PKG_CONFIG_PATH="$B/deps/lib/pkgconfig"
CC=musl-gcc cmake -S . -B "$B/ltcp" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLTCP_WERROR=ON \
  -DCMAKE_PREFIX_PATH="$B/deps" >/dev/null
cmake --build "$B/ltcp" -j"$(nproc)" >/dev/null
(cd "$B/ltcp" && ctest --output-on-failure -j"$(nproc)" -LE lua)
