#!/usr/bin/env bash
# Make sure the Wine prefix PREFIX (a folder) was made by the Wine installed now: a prefix made
# while only wine64 was installed cannot start anything once wine32:i386 is added (the i686 leg
# installs it; "could not load kernel32.dll"), so a prefix made by another Wine setup is
# removed, and the next wine run makes it anew (about 10 s). Usage: ci/wineprefix.sh PREFIX
set -euo pipefail
prefix=$1
setup=$(dpkg-query -W -f='${Package}:${Architecture}=${Version} ' wine wine64 wine32:i386 2>/dev/null || true)
stamp=$prefix/.ltcp-wine-setup
if [ -d "$prefix" ] && [ "$(cat "$stamp" 2>/dev/null || true)" != "$setup" ]; then
  if [ -e "$prefix/system.reg" ] || [ -e "$stamp" ]; then
    echo "ci/wineprefix.sh: $prefix was made by another Wine setup: making it anew"
    WINEPREFIX=$prefix wineserver -k 2>/dev/null || true
  fi
  rm -rf "$prefix"
fi
mkdir -p "$prefix"
printf '%s' "$setup" >"$stamp"
