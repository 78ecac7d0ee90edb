#!/usr/bin/env bash
# Install the Debian packages a CI leg needs, only those missing (so repeated runs cost nothing).
# Usage: ci/deps.sh GROUP...   (run as root on Debian 12, or with sudo); groups below.
# Every leg installs through here, so a package list lives in one place.
set -euo pipefail

pkgs=()
for group in "$@"; do
  case "$group" in
    core) pkgs+=(build-essential cmake pkg-config check) ;;
    # lua-sec, lua-xmlrpc, lua-logging, openssl, python3: the real-program tests (test/lua/real)
    # run LuaSec over ltcp against openssl s_server/s_client, and socket.http/smtp, xmlrpc and
    # logging's appenders against servers in python3
    lua) pkgs+=(lua5.1 lua5.2 lua5.3 lua5.4 luajit liblua5.1-0-dev liblua5.2-dev liblua5.3-dev
                liblua5.4-dev libluajit-5.1-dev lua-socket lua-copas lua-coxpcall lua-sec
                lua-xmlrpc lua-logging openssl python3) ;;
    mingw) pkgs+=(gcc-mingw-w64-x86-64-win32 gcc-mingw-w64-i686-win32 wine wine64 dpkg-dev iproute2) ;;
    sanitize) pkgs+=(clang libclang-rt-14-dev valgrind) ;;
    clang) pkgs+=(clang) ;;
    yaml) pkgs+=(python3 python3-yaml) ;;
    deb) pkgs+=(debhelper dpkg-dev lintian fakeroot cmake pkg-config check liblua5.1-0-dev
                liblua5.2-dev liblua5.3-dev liblua5.4-dev lua5.1 lua5.2 lua5.3 lua5.4 luajit) ;;
    fuzz) pkgs+=(clang-14 libclang-rt-14-dev) ;;
    valgrind) pkgs+=(valgrind) ;;
    debsrc) pkgs+=(dpkg-dev ca-certificates debian-archive-keyring) ;;
    musl) pkgs+=(musl-tools musl-dev) ;;
    luarocks) pkgs+=(luarocks) ;;
    # ci/thirdparty.sh: lua-redis's own suite runs against a redis-server on loopback
    thirdparty) pkgs+=(redis-server python3) ;;
    lint) pkgs+=(clang-format-14 cppcheck git) ;;
    debootstrap) pkgs+=(debootstrap debian-archive-keyring ca-certificates) ;;
    *) echo "ci/deps.sh: unknown group '$group'" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "ci/deps.sh: installing ${missing[*]}"
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
