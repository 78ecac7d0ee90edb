#!/usr/bin/env bash
# Fetch Debian source packages into DEST with a private apt state under DEST (nothing under
# /etc/apt changes, the system's package lists are untouched). Skips packages already unpacked.
# Usage: ci/debsrc.sh DEST PACKAGE...    (prints nothing on success but apt's own lines)
set -euo pipefail
dest=$1; shift
mkdir -p "$dest/apt/lists/partial" "$dest/apt/cache/archives/partial" "$dest/src"
want=()
for p in "$@"; do
  ls -d "$dest/src/$p"-[0-9]* >/dev/null 2>&1 || want+=("$p")
done
[ ${#want[@]} -eq 0 ] && exit 0
bash "$(dirname "$0")/deps.sh" debsrc
cat > "$dest/apt/deb-src.sources" <<'SOURCES'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
APT=(apt-get -q -o Dir::Etc::SourceList="$dest/apt/deb-src.sources" -o Dir::Etc::SourceParts=/dev/null
     -o Dir::State::Lists="$dest/apt/lists" -o Dir::Cache="$dest/apt/cache")
[ "$(id -u)" -ne 0 ] || APT+=(-o APT::Sandbox::User=root)
ls "$dest/apt/lists" | grep -q Sources || "${APT[@]}" update >/dev/null
(cd "$dest/src" && "${APT[@]}" source "${want[@]}" >/dev/null 2>&1)
