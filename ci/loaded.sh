#!/usr/bin/env bash
# Run a command while one busy loop per core burns CPU for the whole run, as on a shared CI
# machine, and print how it ended: CI must pass on a machine that other work keeps busy.
#   ci/loaded.sh                          # `bash .ci/run` in a fresh clone of the committed HEAD
#   ci/loaded.sh --clone CMD ARG...       # CMD in a fresh clone of HEAD
#   ci/loaded.sh CMD ARG...               # CMD here, in this tree (e.g. bash ci/linux.sh poll)
# LTCP_LOADED_LOOPS sets the number of busy loops (default: nproc). The loops are this script's
# own children and end with it, whatever the command does.
set -uo pipefail
cd "$(dirname "$0")/.."
clone=0
if [ $# -eq 0 ]; then
  clone=1
  set -- bash .ci/run
elif [ "$1" = --clone ]; then
  clone=1
  shift
fi
if [ $clone = 1 ]; then
  dir=$(mktemp -d "${TMPDIR:-/tmp}/ltcp-loaded.XXXXXX")
  git clone -q "$PWD" "$dir/ltcp" || exit 1
  echo "loaded.sh: fresh clone of $(git rev-parse --short HEAD) in $dir/ltcp"
  cd "$dir/ltcp"
fi
loops=${LTCP_LOADED_LOOPS:-$(nproc)}
burners=()
stop() {
  [ ${#burners[@]} -gt 0 ] && kill "${burners[@]}" 2>/dev/null
  burners=()
}
trap stop EXIT
trap 'stop; exit 130' INT TERM
for _ in $(seq "$loops"); do
  (trap - INT TERM; while :; do :; done) &
  burners+=($!)
done
echo "loaded.sh: $loops busy loops (pids ${burners[*]}) while running: $*"
start=$SECONDS
"$@"
rc=$?
stop
echo "loaded.sh: '$*' exited $rc after $((SECONDS - start)) s with $loops busy loops beside it"
exit $rc
