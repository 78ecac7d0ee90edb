#!/usr/bin/env bash
# Print the N-th fenced block of language LANG (default sh) in the README section titled
# SECTION ("## SECTION"), so that CI runs the README's commands exactly as written.
# Usage: ci/readme-block.sh SECTION N [LANG]     (exits 1 when there is no such block)
set -euo pipefail
cd "$(dirname "$0")/.."
section=$1 n=$2 lang=${3:-sh}
out=$(awk -v sec="## $section" -v n="$n" -v lang="$lang" '
  $0 == sec {in_sec = 1; next}
  in_sec && /^## / {exit}
  in_sec && !in_blk && $0 == "```" lang {k++; if (k == n) {in_blk = 1}; next}
  in_blk && /^```$/ {exit}
  in_blk {print}' README.md)
[ -n "$out" ] || { echo "ci/readme-block.sh: no block $n ($lang) in README section '$section'" >&2; exit 1; }
printf '%s\n' "$out"
