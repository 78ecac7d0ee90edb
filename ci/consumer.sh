#!/usr/bin/env bash
# Consumer tests: install ltcp (shared and static) to a temporary prefix, then build a small C
# program against it with find_package(ltcp) and with pkg-config, and run it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh core
root=$PWD/build/consumer
rm -rf "$root"
for kind in shared static; do
  shared=OFF; [ $kind = shared ] && shared=ON
  prefix=$root/prefix-$kind
  cmake -S . -B "$root/build-$kind" -DBUILD_SHARED_LIBS=$shared -DBUILD_TESTING=OFF \
    -DLTCP_BUILD_EXAMPLES=OFF -DCMAKE_INSTALL_PREFIX="$prefix" -DLTCP_WERROR=ON >/dev/null
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
done
echo "consumer: OK"
