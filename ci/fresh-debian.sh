#!/usr/bin/env bash
# The newcomer's check: build a fresh Debian 12 (bookworm) minbase root filesystem with
# debootstrap, from Debian's archive, plus gcc, cmake, git, make and ca-certificates, with the
# /etc/hosts every Debian system and container image has; copy in a clean clone of the committed
# HEAD; and run the README's two commands in it, as root, in a chroot:
#   bash ci/examples.sh && bash ci/test.sh
# They must install everything else they need themselves (through ci/deps.sh), as on a bare CI
# machine. Needs root (debootstrap, chroot, mounts) and Debian's archive on the network.
#   ci/fresh-debian.sh              # the README's two commands
#   ci/fresh-debian.sh CMD...       # another command in the chroot (e.g. bash ci/test.sh lua)
# The root filesystem is build/fresh-debian/rootfs (made anew each run; left for inspection
# afterwards, its mounts undone). Prints the time of each step.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "fresh-debian.sh: needs root (debootstrap, chroot, mount)" >&2; exit 2; }
top=$PWD
work=$top/build/fresh-debian
rootfs=$work/rootfs
MIRROR=${LTCP_DEBIAN_MIRROR:-http://deb.debian.org/debian}

mounted() { # the mount points under $rootfs, deepest first
  awk -v r="$rootfs" '$2 == r || index($2, r "/") == 1 {print $2}' /proc/mounts | sort -r
}
unmount_all() {
  local m
  for m in $(mounted); do umount -l "$m" 2>/dev/null || true; done
}
trap unmount_all EXIT

# A root filesystem must never be deleted while the host's /dev or /proc is mounted in it.
unmount_all
if [ -n "$(mounted)" ]; then echo "fresh-debian.sh: cannot unmount under $rootfs" >&2; exit 1; fi
rm -rf "$rootfs"
mkdir -p "$work"

bash ci/deps.sh debootstrap
t0=$SECONDS
echo "== debootstrap: Debian 12 minbase + gcc cmake git make ca-certificates ($MIRROR)"
debootstrap --variant=minbase --include=gcc,cmake,git,make,ca-certificates \
  bookworm "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
  { tail -30 "$work/debootstrap.log"; exit 1; }
t_boot=$((SECONDS - t0))

# What every Debian system has, and what apt in the chroot needs to reach Debian's archive.
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$rootfs/etc/hosts"
echo fresh-debian >"$rootfs/etc/hostname"
cp -L /etc/resolv.conf "$rootfs/etc/resolv.conf"
cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES

# A clean clone of the committed tree (nothing uncommitted, no build output).
git clone -q "$top" "$rootfs/root/ltcp"
echo "== chroot: $rootfs, tree: $(git -C "$rootfs/root/ltcp" log -1 --format='%h %s' | cut -c1-80)"

mount -t proc proc "$rootfs/proc"
mount -t sysfs sysfs "$rootfs/sys"
mount --bind /dev "$rootfs/dev"
mount -t tmpfs tmpfs "$rootfs/tmp"

cmd=("$@")
[ ${#cmd[@]} -gt 0 ] || cmd=(bash -c 'bash ci/examples.sh && bash ci/test.sh')
t1=$SECONDS
rc=0
env -i HOME=/root TERM=dumb LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  chroot "$rootfs" /bin/sh -c 'cd /root/ltcp && exec "$@"' sh "${cmd[@]}" </dev/null || rc=$?
t_run=$((SECONDS - t1))
unmount_all
echo "fresh-debian.sh: debootstrap ${t_boot} s; '${cmd[*]}' exited $rc after ${t_run} s"
exit $rc
