#!/usr/bin/env python3
"""Static checks for the real-host workflow and for MSVC-friendly code (ci/workflow.sh runs them).

  workflow_check.py yaml FILE...    each GitHub workflow parses (python3-yaml) and stays thin:
                                    every `run` step is `bash ci/<script>.sh ...` of a script that
                                    exists, every `uses` is one of the known actions, and the
                                    matrix has the cells issue 14 asks for.
  workflow_check.py msvc FILE...    `__attribute__`, `__typeof__`/`typeof` and `__builtin_*` only
                                    on a #define line or inside an #if/#elif that names __GNUC__
                                    or __clang__ (MSVC has none of them).
Exit status 1 with one line per problem; 0 when clean.
"""
import os
import re
import sys

KNOWN_ACTIONS = ("actions/checkout@", "actions/upload-artifact@", "actions/download-artifact@",
                 "msys2/setup-msys2@")
RUN_RE = re.compile(r"^bash (ci/[A-Za-z0-9_-]+\.sh)( .*)?$")
# (runner prefix, compiler) cells the matrix must hold, with the Lua versions each must cover.
REQUIRED = {
    ("windows", "msvc"): {"lua5.4"},
    ("windows", "mingw"): {"lua5.4"},
    ("macos", "clang"): {"lua5.4"},
    ("ubuntu", "gcc"): {"lua5.1", "lua5.4", "luajit"},
    ("ubuntu", "clang"): {"lua5.1", "lua5.4", "luajit"},
}


def check_yaml(paths, root):
    import yaml  # python3-yaml (ci/deps.sh yaml)

    problems = []
    cells = {}
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                doc = yaml.safe_load(f)
        except (OSError, yaml.YAMLError) as e:
            problems.append(f"{path}: does not parse: {e}")
            continue
        if not isinstance(doc, dict):
            problems.append(f"{path}: not a mapping")
            continue
        # YAML 1.1 reads the key `on` as the boolean true.
        if "on" not in doc and True not in doc:
            problems.append(f"{path}: no 'on' (triggers)")
        jobs = doc.get("jobs")
        if not isinstance(jobs, dict) or not jobs:
            problems.append(f"{path}: no jobs")
            continue
        for name, job in jobs.items():
            where = f"{path}: job {name}"
            if not isinstance(job, dict) or "runs-on" not in job:
                problems.append(f"{where}: no runs-on")
                continue
            needs = job.get("needs", [])
            for n in [needs] if isinstance(needs, str) else needs:
                if n not in jobs:
                    problems.append(f"{where}: needs unknown job {n}")
            steps = job.get("steps")
            if not isinstance(steps, list) or not steps:
                problems.append(f"{where}: no steps")
                continue
            for i, step in enumerate(steps):
                if not isinstance(step, dict):
                    problems.append(f"{where}: step {i} is not a mapping")
                elif "uses" in step:
                    if not str(step["uses"]).startswith(KNOWN_ACTIONS):
                        problems.append(f"{where}: step {i} uses unknown action {step['uses']}")
                elif "run" in step:
                    run = str(step["run"]).strip()
                    m = RUN_RE.match(run)
                    if not m or "\n" in run:
                        problems.append(f"{where}: step {i} runs '{run}': jobs must only call "
                                        "'bash ci/<script>.sh ...'")
                    elif not os.path.isfile(os.path.join(root, m.group(1))):
                        problems.append(f"{where}: step {i} calls missing {m.group(1)}")
                else:
                    problems.append(f"{where}: step {i} has neither run nor uses")
            runner = str(job["runs-on"]).split("-")[0]
            matrix = (job.get("strategy") or {}).get("matrix") or {}
            for cc in matrix.get("cc", []):
                cells.setdefault((runner, str(cc)), set()).update(map(str, matrix.get("lua", [])))
    for cell, luas in REQUIRED.items():
        missing = luas - cells.get(cell, set())
        if missing:
            problems.append(f"matrix: no {cell[0]} x {cell[1]} job for {', '.join(sorted(missing))}")
    return problems


GNU_WORDS = re.compile(r"\b(__attribute__|__typeof__|typeof|__builtin_\w+)\b")
COND = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$")


def check_msvc(paths):
    problems = []
    for path in paths:
        stack = []  # one entry per open #if: does its current branch name __GNUC__/__clang__?
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        # Comments and strings may name these words freely.
        text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        text = re.sub(r'"(\\.|[^"\\\n])*"', '""', text)
        for no, line in enumerate(text.split("\n"), 1):
            m = COND.match(line)
            if m:
                kind, rest = m.group(1), m.group(2)
                gnu = "__GNUC__" in rest or "__clang__" in rest
                if kind in ("if", "ifdef", "ifndef"):
                    stack.append(gnu)
                elif kind == "elif" and stack:
                    stack[-1] = gnu
                elif kind == "else" and stack:
                    stack[-1] = False
                elif kind == "endif" and stack:
                    stack.pop()
                continue
            w = GNU_WORDS.search(line)
            if not w:
                continue
            if re.match(r"^\s*#\s*define\b", line) or any(stack):
                continue
            problems.append(f"{path}:{no}: {w.group(1)} outside a macro or a __GNUC__ branch "
                            "(MSVC lacks it)")
    return problems


def main(argv):
    if len(argv) < 2 or argv[1] not in ("yaml", "msvc"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = argv[2:]
    problems = check_yaml(files, root) if argv[1] == "yaml" else check_msvc(files)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
