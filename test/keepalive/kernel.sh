#!/bin/sh
# Checks from outside that keepalive tuning reaches the kernel: runs keepalive/probe.c's program
# (under Wine for the Windows build: the arguments are the command line), then reads each of its
# connections' keepalive timer with ss on this Linux host and wants it within 60 s below the idle
# time the probe set. On Wine the tuning goes through SIO_KEEPALIVE_VALS, which nothing inside
# Windows can read back, so this is the only check that the values were sent, in every order.
#   keepalive/kernel.sh wine probe.exe
set -eu
command -v ss >/dev/null || { echo "keepalive kernel check: ss (iproute2) not found" >&2; exit 1; }
dir=$(mktemp -d)
pid=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
mkfifo "$dir/in"
"$@" <"$dir/in" >"$dir/out" 2>"$dir/err" &
pid=$!
exec 3>"$dir/in"
i=0
while [ "$(grep -c '^[A-Z] ' "$dir/out" || true)" -lt 3 ]; do
  i=$((i + 1))
  if [ "$i" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
    echo "keepalive kernel check: the probe gave no ports" >&2
    cat "$dir/out" "$dir/err" >&2
    exit 1
  fi
  sleep 0.1
done
fail=0
while read -r name port want; do
  line=$(ss -tnoH state established "( sport = :$port )")
  timer=$(printf '%s\n' "$line" | sed -n 's/.*timer:(keepalive,\([^,]*\),.*/\1/p')
  # ss prints the time left as e.g. 9min59sec, 59sec or 999ms
  secs=$(printf '%s\n' "$timer" | awk '{
    t = 0; s = $0
    if (match(s, /[0-9]+min/)) t += 60 * substr(s, RSTART, RLENGTH - 3)
    if (match(s, /[0-9]+sec/)) t += substr(s, RSTART, RLENGTH - 3)
    print (s == "") ? -1 : t }')
  if [ "$secs" -le "$want" ] && [ "$secs" -gt $((want - 60)) ]; then
    echo "$name: port $port keepalive timer $timer (idle set: $want s): ok"
  else
    echo "$name: port $port keepalive timer '${timer}' (idle set: $want s): WRONG; ss said: $line"
    fail=1
  fi
done <"$dir/out"
exec 3>&-
rc=0
wait "$pid" || rc=$?
pid=""
if [ "$rc" -ne 0 ]; then
  echo "keepalive kernel check: the probe failed ($rc)" >&2
  cat "$dir/err" >&2
  fail=1
fi
exit "$fail"
