#!/usr/bin/env bash
# Real-host leg, run here: what can be checked of .github/workflows without GitHub's runners.
#   1. every workflow parses (python3-yaml) and stays thin (ci/workflow_check.py yaml);
#   2. every ci/*.sh script at least parses (bash -n);
#   3. no construct MSVC lacks outside a macro or a __GNUC__ branch (ci/workflow_check.py msvc;
#      VLAs and GNU statement expressions are compile errors in every build: -Werror=vla and
#      -pedantic in CMakeLists.txt);
#   4. each checker is first shown a bad sample and must reject it;
#   5. the Linux branch of ci/host.sh, which the workflow's Linux jobs run, builds and tests here
#      (LTCP_CC=clang LTCP_LUA=lua5.4 unless given).
# The macOS and Windows branches of ci/host.sh and the workflow itself have NOT run anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh yaml
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

echo "== workflow.sh: the checkers reject bad samples"
printf 'jobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make\n  b: [\n' > "$t/bad.yml"
printf 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cmake -S . -B b\n' \
  > "$t/fat.yml"
printf 'static int f(void) __attribute__((unused));\n#ifdef __GNUC__\n#define OK __attribute__((x))\nint g(void) __attribute__((pure));\n#endif\n' \
  > "$t/bad.c"
for sample in "yaml $t/bad.yml" "yaml $t/fat.yml" "msvc $t/bad.c"; do
  # shellcheck disable=SC2086
  if python3 ci/workflow_check.py $sample >"$t/out" 2>&1; then
    echo "workflow.sh: the checker accepted a bad sample ($sample)" >&2; exit 1
  fi
  sed 's/^/   rejected: /' "$t/out" | head -n 3
done
grep -q "bad.c:1:" "$t/out" && ! grep -q "bad.c:[34]:" "$t/out" ||
  { echo "workflow.sh: the msvc checker misread the #ifdef __GNUC__ branch" >&2; exit 1; }

echo "== workflow.sh: workflows"
shopt -s nullglob
wf=(.github/workflows/*.yml .github/workflows/*.yaml)
[ ${#wf[@]} -gt 0 ] || { echo "workflow.sh: no workflow under .github/workflows" >&2; exit 1; }
python3 ci/workflow_check.py yaml "${wf[@]}"
echo "   ${#wf[@]} workflow(s) parse and call only ci/ scripts; the matrix has every cell"

echo "== workflow.sh: ci scripts parse"
for s in ci/*.sh; do bash -n "$s"; done
sh -n test/keepalive/kernel.sh
echo "   $(ls ci/*.sh | wc -l) scripts"

echo "== workflow.sh: constructs MSVC lacks"
mapfile -t src < <(git ls-files -- '*.c' '*.h' | grep -v '^test/fuzz/corpus')
python3 ci/workflow_check.py msvc "${src[@]}"
echo "   ${#src[@]} C files clean"

echo "== workflow.sh: ci/host.sh test (the workflow's Linux branch)"
LTCP_CC=${LTCP_CC:-clang} LTCP_LUA=${LTCP_LUA:-lua5.4} bash ci/host.sh test
