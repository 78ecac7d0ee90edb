#!/usr/bin/python3
"""The bench runner (issue 5): builds ltcp, runs every scenario for every candidate, interleaved
round by round, and reports medians, spreads and ratios.

Run it through bench/run.sh, which installs what is missing first. Environment:
  QUICK=1      1 round, smaller counts (well under a minute)
  ROUNDS=N     rounds for the full run (default 5)
  CALLGRIND=1  instructions per 60-byte line and per ping-pong round trip, client side, instead
  ONLY=a,b     only these scenario ids (e.g. ONLY=lines60,pingpong32)
  CANDIDATES=  only these candidates (e.g. CANDIDATES=raw,capi)
  NOBUILD=1    skip the CMake step (use what build/bench holds)
  BENCH_LUA_BUILD=DIR  take the ltcp Lua modules from DIR/lua5.4 and DIR/luajit, built there
               beforehand (compare a patched binding against the same references)

Each run is one feeder process (bench/feeder.c, the server side) and one client process: the
client is pinned to CPU 0 and the feeder to CPU 1 (taskset), except ping-pong, where both share
CPU 0. The client prints "RESULT <n>" (and INFO/FAIL lines); every process runs under a timeout
and is killed if it overruns. Results go to bench/results/latest.{md,json,png}.
"""
import glob
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
BUILD = os.path.join(ROOT, "build", "bench")
RESULTS = os.path.join(BENCH, "results")
QUICK = os.environ.get("QUICK") == "1"
CALLGRIND = os.environ.get("CALLGRIND") == "1"
ROUNDS = 1 if QUICK else int(os.environ.get("ROUNDS", "5"))
MiB = 1 << 20

# ---- scenarios: id, label, feeder args, client args, unit, higher is better, CPU layout ----
def scenarios(quick):
    q = (lambda full, small: small if quick else full)
    L8, L60, L1k = q(4000000, 400000), q(3000000, 300000), q(500000, 50000)
    ALL, C1M, C8K = q(256 * MiB, 32 * MiB), q(512 * MiB, 64 * MiB), q(512 * MiB, 64 * MiB)
    SEND, PP, CH = q(500000, 50000), q(50000, 5000), q(5000, 1000)
    S1, S5, S10, TO = q(2000, 200), q(400, 40), q(200, 20), q(20, 4)
    EB = q(5, 2)  # LuaSocket spends its whole timeout (3 s) on ::1 per connect
    return [
        ("lines8", "receive('*l'), 8-byte lines", ["lines", 8, L8], ["lines", L8, 8], "lines/s", True, "split"),
        ("lines60", "receive('*l'), 60-byte lines", ["lines", 60, L60], ["lines", L60, 60], "lines/s", True, "split"),
        ("lines1000", "receive('*l'), 1000-byte lines", ["lines", 1000, L1k], ["lines", L1k, 1000], "lines/s", True, "split"),
        ("all", "receive('*a') of %d MiB" % (ALL // MiB), ["stream", ALL], ["all", ALL], "MB/s", True, "split"),
        ("until2", "receiveuntil('\\r\\n'), 60-byte records", ["records", 60, L60, 2], ["until", L60, 60, 2], "records/s", True, "split"),
        ("until40", "receiveuntil(40-byte boundary), 1000-byte records", ["records", 1000, L1k, 40], ["until", L1k, 1000, 40], "records/s", True, "split"),
        ("any64k", "receiveany(65536) of %d MiB" % (ALL // MiB), ["stream", ALL], ["any", ALL, 65536], "MB/s", True, "split"),
        ("count1m", "receive(1048576), %d MiB" % (C1M // MiB), ["stream", C1M], ["count", C1M, 1048576], "MB/s", True, "split"),
        ("count8k", "receive(8192), %d MiB" % (C8K // MiB), ["stream", C8K], ["count", C8K, 8192], "MB/s", True, "split"),
        ("send100", "send() of 100-byte strings", ["sink"], ["send", SEND, 100], "sends/s", True, "split"),
        ("pingpong32", "ping-pong, 32-byte lines, one CPU", ["echo"], ["pingpong", PP, 32], "rt/s", True, "one"),
        ("churn", "connect+accept+close", ["churn", CH], ["churn", CH], "conn/s", True, "split"),
        ("select1000", "select, 1000 sockets, 1 ready", ["select", 1000], ["select", 1000, S1], "us/call", False, "split"),
        ("select5000", "select, 5000 sockets, 1 ready", ["select", 5000], ["select", 5000, S5], "us/call", False, "split"),
        ("select10000", "select, 10000 sockets, 1 ready", ["select", 10000], ["select", 10000, S10], "us/call", False, "split"),
        ("timeout", "settimeout(0.05), receive: mean lateness", ["idle"], ["timeout", TO], "ms late", False, "split"),
        ("eyeballs", "connect localhost, ::1 black-holed, settimeout(3)", ["eyeballs", EB], ["eyeballs", EB, 3], "ms/connect", False, "split"),
    ]


# Candidates a scenario does not run, and why: raw C has no resolver race to compare with.
SKIP = {"eyeballs": {"raw"}}
# Candidates that only make sense for some scenarios.
ONLY_FOR = {"rawcopy": {"all"}}


def skipped(sid, cand):
    return cand in SKIP.get(sid, ()) or (cand in ONLY_FOR and sid not in ONLY_FOR[cand])


# The C candidates run the line scenarios with this many times the lines: they are 10-20x faster
# than the Lua clients, and a run of a few tens of milliseconds is mostly noise. Rates compare
# across counts.
C_LINES_SCALE = 10


def args_for(sc, cand):
    """Feeder and client arguments of scenario sc for candidate cand."""
    fargs, cargs = list(sc[2]), list(sc[3])
    if cand in ("raw", "capi") and sc[0].startswith(("lines", "until")):
        fargs[2] *= C_LINES_SCALE  # ["lines", SIZE, COUNT] / ["records", SIZE, COUNT, PATLEN]
        cargs[1] *= C_LINES_SCALE  # ["lines", COUNT, SIZE] / ["until", COUNT, SIZE, PATLEN]
    return fargs, cargs


CANDIDATES = ["ltcp-lua5.4", "luasocket-lua5.4", "ltcp-luajit", "luasocket-luajit", "raw", "capi",
              "rawcopy"]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    log("+ " + " ".join(cmd))
    subprocess.run(cmd, check=True, **kw)


# ---- build ----
def lua_module_dir(build_dir):
    """Where the built ltcp Lua module lives: the directory to put in LUA_CPATH as <dir>/?.so."""
    hits = [p for p in glob.glob(os.path.join(build_dir, "**", "ltcp*.so"), recursive=True)
            if "libltcp" not in os.path.basename(p)]
    hits += glob.glob(os.path.join(build_dir, "**", "ltcp", "*.so"), recursive=True)
    if not hits:
        return None
    p = sorted(hits, key=len)[0]
    if os.path.basename(os.path.dirname(p)) == "ltcp":  # ltcp/core.so layout
        return os.path.dirname(os.path.dirname(p))
    return os.path.dirname(p)


LUA_FLAVOURS = {"lua5.4": ["-DLTCP_LUA_PC=lua5.4"],
                "luajit": ["-DLTCP_LUA_PC=luajit"]}


def build():
    """Release builds: the C programs, and the Lua module once per interpreter. Returns a dict
    flavour -> directory of the Lua module (missing when src/lua is not there yet)."""
    common = ["-DCMAKE_BUILD_TYPE=Release", "-DBUILD_TESTING=OFF", "-DLTCP_BUILD_EXAMPLES=OFF"]
    mods = {}
    c_dir = os.path.join(BUILD, "c")
    if os.environ.get("NOBUILD") != "1":
        sh(["cmake", "-S", ROOT, "-B", c_dir, "-DLTCP_BUILD_BENCH=ON"] + common,
           stdout=subprocess.DEVNULL)
        sh(["cmake", "--build", c_dir, "-j2"], stdout=subprocess.DEVNULL)
    have_lua = os.path.exists(os.path.join(ROOT, "src", "lua", "CMakeLists.txt"))
    lua_root = os.environ.get("BENCH_LUA_BUILD", BUILD)  # another tree, e.g. a patched binding
    for flavour, flags in LUA_FLAVOURS.items():
        d = os.path.join(os.path.abspath(lua_root), flavour)
        if have_lua and os.environ.get("NOBUILD") != "1" and "BENCH_LUA_BUILD" not in os.environ:
            try:
                sh(["cmake", "-S", ROOT, "-B", d, "-DLTCP_BUILD_LUA=ON", "-DLTCP_BUILD_BENCH=ON"]
                   + flags + common,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                sh(["cmake", "--build", d, "-j2"], stdout=subprocess.DEVNULL)
            except subprocess.CalledProcessError as e:
                log("warning: Lua module build for %s failed: %s" % (flavour, e))
        m = lua_module_dir(d) if os.path.isdir(d) else None
        if m:
            mods[flavour] = m
        bp = os.path.join(d, "bench")
        if os.path.exists(os.path.join(bp, "benchpoll.so")):
            mods[flavour + ":benchpoll"] = bp  # the paired raw poll of select.lua
    return c_dir, mods


def candidate_commands(c_dir, mods):
    prog = lambda name: os.path.join(c_dir, "bench", name)
    client = os.path.join(BENCH, "lua", "client.lua")
    cmds = {}
    for flavour, exe in (("lua5.4", "lua5.4"), ("luajit", "luajit")):
        if shutil.which(exe):
            bp = mods.get(flavour + ":benchpoll")
            bp_path = os.path.join(bp, "?.so") + ";" if bp else ""
            cmds["luasocket-" + flavour] = ([exe, client, "luasocket"],
                                            {"LUA_CPATH": bp_path + ";"} if bp else {})
            if flavour in mods:
                cpath = bp_path + os.path.join(mods[flavour], "?.so") + ";;"
                cmds["ltcp-" + flavour] = ([exe, client, "ltcp"], {"LUA_CPATH": cpath})
    if os.path.exists(prog("ltcp_bench_raw")):
        cmds["raw"] = ([prog("ltcp_bench_raw")], {})
        # '*a' only: raw C plus the one copy into fresh memory a Lua string costs (raw.c).
        cmds["rawcopy"] = ([prog("ltcp_bench_raw")], {"BENCH_RAW_COPY": "1"})
    if os.path.exists(prog("ltcp_bench_capi")):
        cmds["capi"] = ([prog("ltcp_bench_capi")], {})
    return cmds


# ---- one run ----
def pin_prefixes(layout):
    cpus = sorted(os.sched_getaffinity(0))
    if not shutil.which("taskset") or not cpus:
        return [], []
    client_cpu = cpus[0]
    feeder_cpu = cpus[1] if len(cpus) > 1 and layout == "split" else cpus[0]
    return (["taskset", "-c", str(client_cpu)], ["taskset", "-c", str(feeder_cpu)])


def run_pair(feeder, client_cmd, env_extra, fargs, cargs, layout, wrap=None, timeout=240):
    """Start the feeder, read its port, run the client; returns (value or None, info, note)."""
    cpin, fpin = pin_prefixes(layout)
    env = dict(os.environ, **env_extra)
    fproc = subprocess.Popen(fpin + [feeder] + [str(a) for a in fargs], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        first = fproc.stdout.readline()  # the feeder prints its port at once (or dies)
        m = re.match(r"PORT (\d+)", first)
        if not m:
            return None, {}, "feeder: " + (fproc.stderr.read() or first).strip()[:200]
        cmd = cpin + (wrap or []) + client_cmd + [str(cargs[0]), m.group(1)] + [str(a) for a in cargs[1:]]
        try:
            cp = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, {}, "client timed out after %ds" % timeout
        info, value, note = {}, None, ""
        for line in cp.stdout.splitlines():
            if line.startswith("RESULT "):
                value = float(line.split()[1])
            elif line.startswith("INFO "):
                for tok in line[5:].split():
                    k, _, v = tok.partition("=")
                    info[k] = v
            elif line.startswith("FAIL "):
                note = "FAIL: " + line[5:]
        if cp.returncode != 0 and not note:
            note = "exit %d: %s" % (cp.returncode, cp.stderr.strip().splitlines()[-1:] or "")
        if cp.returncode != 0:
            value = None
        return value, info, note
    finally:
        try:
            fproc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            fproc.kill()
            fproc.wait()
        fproc.stdout.close()
        fproc.stderr.close()


# ---- reporting ----
def fmt(v):
    if v is None:
        return "-"
    a = abs(v)
    if a >= 1e6:
        return "%.2fM" % (v / 1e6)
    if a >= 1e4:
        return "%.1fk" % (v / 1e3)
    if a >= 100:
        return "%.0f" % v
    if a >= 1:
        return "%.2f" % v
    return "%.3f" % v


def median(xs):
    return statistics.median(xs) if xs else None


# Ratios shown for every scenario: (column, numerator, denominator). For lower-is-better
# scenarios the ratio is inverted so that > 1 always means "ltcp is faster".
RATIOS = [("ltcp/LuaSocket 5.4", "ltcp-lua5.4", "luasocket-lua5.4"),
          ("ltcp/LuaSocket JIT", "ltcp-luajit", "luasocket-luajit"),
          ("ltcp 5.4/raw C", "ltcp-lua5.4", "raw"),
          ("ltcp JIT/raw C", "ltcp-luajit", "raw"),
          ("C API/raw C", "capi", "raw"),
          ("ltcp 5.4/raw C+copy", "ltcp-lua5.4", "rawcopy")]


def ratio(med, sc, num, den):
    a, b = med.get((sc[0], num)), med.get((sc[0], den))
    if a is None or b is None or a == 0 or b == 0 or sc[0] == "timeout":
        return None
    return a / b if sc[5] else b / a


def paired(data, sid, cand):
    """Median over rounds of rawpoll/select, both timed in the same process on the same sockets
    (bench/lua/select.lua with benchpoll): > 1 would mean select beats a bare poll."""
    rs = [float(i["rawpoll"]) / v for v, i in zip(data.get((sid, cand), []),
                                                  data.get((sid, cand, "info"), []))
          if "rawpoll" in i and v > 0]
    return median(rs)


def targets(med, data, scs, cg, best=None, cpu=None):
    """(target text, measured text, verdict) rows; verdict PASS, MISS or n/a, on the medians."""
    by = {s[0]: s for s in scs}
    rows = []

    def add(text, sc, num, den, need):
        r = ratio(med, by[sc], num, den) if sc in by else None
        b = ratio(best, by[sc], num, den) if sc in by and best and ROUNDS > 1 else None
        u = ratio(cpu, by[sc], num, den) if sc in by and cpu else None
        shown = "-" if r is None else "%.2fx" % r
        extra = ([] if b is None else ["best %.2fx" % b]) + ([] if u is None else ["per CPU %.2fx" % u])
        if r is not None and extra:
            shown += " (%s)" % ", ".join(extra)
        rows.append((text, shown, "n/a" if r is None else ("PASS" if r >= need else "MISS")))

    for s in ("lines8", "lines60", "lines1000"):
        add("%s: ltcp >= 3x LuaSocket (5.4)" % s, s, "ltcp-lua5.4", "luasocket-lua5.4", 3.0)
    add("'*a': ltcp >= 2x LuaSocket (5.4)", "all", "ltcp-lua5.4", "luasocket-lua5.4", 2.0)
    add("'*a': ltcp >= 10x LuaSocket (LuaJIT)", "all", "ltcp-luajit", "luasocket-luajit", 10.0)
    add("'*a': ltcp >= 0.8x raw C plus one copy (5.4)", "all", "ltcp-lua5.4", "rawcopy", 0.8)
    add("receive(1048576): ltcp >= 0.9x raw C (5.4)", "count1m", "ltcp-lua5.4", "raw", 0.9)
    add("receive(1048576): ltcp >= 0.9x raw C (LuaJIT)", "count1m", "ltcp-luajit", "raw", 0.9)
    add("receive(8192): ltcp >= 1.2x LuaSocket (5.4)", "count8k", "ltcp-lua5.4", "luasocket-lua5.4", 1.2)
    add("send 100 B: ltcp >= 1.2x LuaSocket (5.4)", "send100", "ltcp-lua5.4", "luasocket-lua5.4", 1.2)
    add("ping-pong: ltcp >= 0.95x raw C (5.4)", "pingpong32", "ltcp-lua5.4", "raw", 0.95)
    add("churn: ltcp >= 1x LuaSocket (5.4)", "churn", "ltcp-lua5.4", "luasocket-lua5.4", 1.0)
    add("select 1000: ltcp >= 3x LuaSocket (5.4)", "select1000", "ltcp-lua5.4", "luasocket-lua5.4", 3.0)
    for s in ("select5000", "select10000"):
        # Verdict on the paired figure (same process, same sockets) when there is one: across
        # processes the kernel's own poll cost varies by up to 2x on this machine kind.
        add("%s: ltcp works, time <= 1.5x raw C poll (5.4)" % s, s, "ltcp-lua5.4", "raw", 1 / 1.5)
        pr = paired(data, s, "ltcp-lua5.4")
        if pr is not None:
            text, shown, _ = rows.pop()
            rows.append((text, "paired %.2fx; across processes %s" % (pr, shown),
                         "PASS" if pr >= 1 / 1.5 else "MISS"))
    for c in ("ltcp-lua5.4", "ltcp-luajit", "capi"):
        vals = data.get(("timeout", c), [])
        mins = [float(i["min"]) for i in data.get(("timeout", c, "info"), []) if "min" in i]
        if vals:
            ok = min(mins) >= 0 and median(vals) <= 1.0 if mins else False
            rows.append(("timeouts (%s): never early, mean lateness <= 1 ms" % c,
                         "min %.3f ms, mean %.3f ms" % (min(mins) if mins else float("nan"), median(vals)),
                         "PASS" if ok else "MISS"))
    for s in ("count1m", "all", "lines8", "lines60", "lines1000"):
        add("C API >= 0.95x raw sockets: %s" % s, s, "capi", "raw", 0.95)
    for c in ("ltcp-lua5.4", "capi"):
        v = med.get(("eyeballs", c))
        if v is not None:
            rows.append(("connect, ::1 black-holed (%s): <= 500 ms (the 250 ms delay + slack)" % c,
                         "%.0f ms" % v, "PASS" if v <= 500 else "MISS"))
    if cg:
        v = cg.get(("lines60", "ltcp-lua5.4"))
        rows.append(("<= 750 instructions per 60-byte line (ltcp 5.4 client)",
                     "-" if v is None else "%.0f" % v,
                     "n/a" if v is None else ("PASS" if v <= 750 else "MISS")))
    return rows


def cpu_figure(sc, value, info):
    """The figure per client CPU-second instead of per wall second (rates: value * wall / cpu;
    times per call: value * cpu / wall). Time the client spent preempted by other jobs drops out."""
    try:
        wall, cpu = float(info["wall"]), float(info["cpu"])
    except (KeyError, ValueError):
        return None
    if wall <= 0 or cpu <= 0 or sc[0] == "timeout":
        return None
    return value * wall / cpu if sc[5] else value * cpu / wall


def best_of(sc, xs):
    """The least disturbed round: interference from other jobs only ever slows a run down."""
    if not xs:
        return None
    return max(xs) if sc[5] else min(xs)


def report(scs, cands, data, notes, cg, command, elapsed):
    med, best, cpu = {}, {}, {}
    for s in scs:
        for c in cands:
            med[(s[0], c)] = median(data.get((s[0], c), []))
            best[(s[0], c)] = best_of(s, data.get((s[0], c), []))
            cpu[(s[0], c)] = median(data.get((s[0], c, "cpu"), []))
    out = []
    out.append("# ltcp bench results\n")
    out.append("Command: `%s`  " % command)
    out.append("Date: %s UTC; host: %s, %d CPUs, %s; %s, %.0f s.  " % (
        time.strftime("%Y-%m-%d %H:%M", time.gmtime()), platform.node(), os.cpu_count() or 0,
        platform.release(), "callgrind" if cg else "%d round(s)" % ROUNDS, elapsed))
    if not cg:
        out.append("Loopback; client on CPU 0, feeder on CPU 1 (ping-pong: both on CPU 0). Medians "
                   "over rounds; spread = (max-min)/median. Ratios > 1 mean ltcp (or the C API) is "
                   "faster.\n")
    head = "| scenario | unit | " + " | ".join(cands) + " |"
    if not cg:
        out.append(head)
        out.append("|" + "---|" * (len(cands) + 2))
    for s in ([] if cg else scs):
        cells = []
        for c in cands:
            xs = data.get((s[0], c), [])
            m = med[(s[0], c)]
            if m is None:
                n = notes.get((s[0], c), "")
                cells.append("FAILS (see notes)" if n.startswith("FAIL") else ("error" if n else "-"))
            else:
                spread = (max(xs) - min(xs)) / abs(m) * 100 if len(xs) > 1 and m else 0
                cells.append("%s ±%.0f%%" % (fmt(m), spread) if len(xs) > 1 else fmt(m))
        out.append("| %s | %s | %s |" % (s[1], s[4], " | ".join(cells)))
    if not cg:
        out.append("\n## Ratios\n")
        out.append("| scenario | " + " | ".join(r[0] for r in RATIOS) + " |")
        out.append("|" + "---|" * (len(RATIOS) + 1))
    for s in ([] if cg else scs):
        rs = [(ratio(med, s, r[1], r[2]), ratio(best, s, r[1], r[2])) for r in RATIOS]
        out.append("| %s | %s |" % (s[1], " | ".join(
            "-" if r is None else ("%.2fx" % r if ROUNDS == 1 else "%.2fx (best %.2fx)" % (r, b))
            for r, b in rs)))
    if not cg and ROUNDS > 1:
        out.append("\nEach cell: ratio of medians, and in parentheses the ratio of each candidate's "
                   "best round (least disturbed by other load).")
    if not cg and any(v is not None for v in cpu.values()):
        out.append("\n## Per client CPU-second\n")
        out.append("The same runs rated by the client's own CPU time (user + system, from "
                   "CLOCK_PROCESS_CPUTIME_ID or os.clock) instead of the wall clock: rates per "
                   "CPU-second, select as CPU µs per call. Time the client spent preempted by "
                   "other jobs drops out; waiting for the peer drops out too, so ping-pong and "
                   "churn here show cost, not speed. Medians.\n")
        out.append("| scenario | " + " | ".join(cands) + " | " + " | ".join(r[0] for r in RATIOS) + " |")
        out.append("|" + "---|" * (len(cands) + len(RATIOS) + 1))
        for s in scs:
            if s[0] == "timeout":
                continue
            vals = [fmt(cpu[(s[0], c)]) for c in cands]
            rs = [ratio(cpu, s, r[1], r[2]) for r in RATIOS]
            out.append("| %s | %s | %s |" % (s[1], " | ".join(vals), " | ".join(
                "-" if r is None else "%.2fx" % r for r in rs)))
    if cg:
        out.append("\n## Callgrind: client instructions\n")
        cg_cands = [c for c in cands if any(k[1] == c for k in cg)]
        out.append("| measure | " + " | ".join(cg_cands) + " |")
        cg_cands = [c for c in cands if any(k[1] == c for k in cg)]
        out.append("|" + "---|" * (len(cg_cands) + 1))
        for key, label in (("lines60", "instructions per 60-byte line"),
                           ("lines60call", "the same, C API with one ltcp_receive_buffered per line"),
                           ("pingpong32", "instructions per ping-pong round trip"),
                           ("send100", "instructions per send() of 100 bytes"),
                           ("select1000", "instructions per select() over 1000 sockets")):
            out.append("| %s | %s |" % (label, " | ".join(
                "-" if cg.get((key, c)) is None else "%.0f" % cg[(key, c)] for c in cg_cands)))
        floors = ", ".join("%s %.0f" % (k[1], v) for k, v in sorted(cg.items()) if k[0] == "floor")
        if floors:
            out.append("\nFloor (bench/lua/floor.lua: one method call returning a fresh 59-byte "
                       "string per iteration, no socket), instructions per iteration: %s.  " % floors)
        floors = ", ".join("%s %.0f" % (k[1], v) for k, v in sorted(cg.items()) if k[0] == "floorsend")
        if floors:
            out.append("Send floor (bench/lua/floor_send.lua: one method call returning a number "
                       "per iteration, no socket), instructions per iteration: %s.  " % floors)
        out.append("Method: client instructions for N2 minus N1 units, divided by N2 - N1 "
                   "(start-up cancels out); whole client process, user space.")
    prs = [(s, c, paired(data, s[0], c)) for s in scs for c in cands]
    prs = [p for p in prs if p[2] is not None]
    if prs:
        out.append("\n## select against a bare poll on the same sockets (paired)\n")
        out.append("bench/lua/select.lua alternates ten batches of socket.select with ten batches "
                   "of a bare poll(2) over the same descriptors (bench/lua/benchpoll.c), in the "
                   "same process. Median over rounds of poll time / select time: 1.00x would be "
                   "select at bare-poll speed.\n")
        out.append("| scenario | candidate | select us/call | bare poll us/call | ratio |")
        out.append("|---|---|---|---|---|")
        for s, c, r in prs:
            polls = [float(i["rawpoll"]) for i in data.get((s[0], c, "info"), []) if "rawpoll" in i]
            out.append("| %s | %s | %s | %s | %.2fx |" % (s[1], c, fmt(median(data.get((s[0], c)))),
                                                       fmt(median(polls)), r))
    out.append("\n## Targets\n")
    out.append("Verdicts use the ratio of medians (wall clock).\n")
    out.append("| target | measured | verdict |")
    out.append("|---|---|---|")
    for t in targets(med, data, scs, cg, best, cpu):
        if t[2] != "n/a" or not cg:  # a callgrind run shows only what it measured
            out.append("| %s | %s | %s |" % t)
    failed = [(k, v) for k, v in notes.items() if v]
    if failed:
        out.append("\n## Notes (failures, as reported)\n")
        seen = set()
        for (s, c), v in sorted(failed):
            if (s, c, v) in seen:
                continue
            seen.add((s, c, v))
            out.append("- %s / %s: %s" % (s, c, v))
    return "\n".join(out) + "\n", med


def chart(scs, med, path):
    """Bars of the ratios of medians, one group per scenario (log scale)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        log("matplotlib missing: no chart")
        return False
    labels = [s[0] for s in scs if s[0] != "timeout"]
    series = [(r[0], [ratio(med, s, r[1], r[2]) for s in scs if s[0] != "timeout"]) for r in RATIOS]
    fig, ax = plt.subplots(figsize=(13, 5.5))
    width = 0.8 / len(series)
    for i, (name, vals) in enumerate(series):
        xs = [j + (i - len(series) / 2 + 0.5) * width for j in range(len(labels))]
        ax.bar(xs, [v if v else 0 for v in vals], width, label=name)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%gx"))
    ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_yticks([0.03, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10])
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30, ha="right")
    ax.set_ylabel("speed ratio (> 1: ltcp / C API faster)")
    ax.set_title("ltcp vs LuaSocket and raw C (medians)")
    ax.legend(fontsize=8, ncol=3)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    return True


# ---- callgrind ----
def callgrind_total(path):
    with open(path) as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    return None


def run_callgrind(feeder, cmds):
    """Instructions per unit for the client = (I(N2) - I(N1)) / (N2 - N1): start-up cancels."""
    out_dir = os.path.join(BUILD, "callgrind")
    os.makedirs(out_dir, exist_ok=True)
    res = {}
    # (id, feeder args, client args with None where the count goes, N1, N2, CPU layout)
    plans = [("lines60", ["lines", 60, None], ["lines", None, 60], 20000, 120000, "split"),
             # the C API with one ltcp_receive_buffered per line (capi only)
             ("lines60call", ["lines", 60, None], ["lines", None, 60, "call"], 20000, 120000, "split"),
             ("pingpong32", ["echo"], ["pingpong", None, 32], 2000, 12000, "one"),
             ("send100", ["sink"], ["send", None, 100], 20000, 120000, "split"),
             ("select1000", ["select", 1000], ["select", 1000, None], 20, 220, "split")]
    only = os.environ.get("ONLY")
    if only:
        plans = [p for p in plans if p[0] in only.split(",")]
    for sid, fbase, cbase, n1, n2, layout in plans:
        for cand, (cmd, env) in cmds.items():
            if sid == "lines60call" and cand != "capi":
                continue
            totals = []
            for n in (n1, n2):
                f = os.path.join(out_dir, "%s.%s.%d.out" % (sid, cand, n))
                wrap = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + f]
                fargs = [n if a is None else a for a in fbase]
                cargs = [n if a is None else a for a in cbase]
                v, _, note = run_pair(feeder, cmd, env, fargs, cargs, layout, wrap=wrap, timeout=600)
                totals.append(callgrind_total(f) if v is not None and os.path.exists(f) else None)
                if note:
                    log("callgrind %s %s: %s" % (sid, cand, note))
            if None not in totals:
                res[(sid, cand)] = (totals[1] - totals[0]) / (n2 - n1)
                log("callgrind %-10s %-18s %8.0f instructions per unit" % (sid, cand, res[(sid, cand)]))
    # The interpreter's own floors: for one line, a loop making one fresh 59-byte string per
    # iteration through a method call (bench/lua/floor.lua); for one send, a method call returning
    # a number (bench/lua/floor_send.lua). No socket in either.
    for key, script in (("floor", "floor.lua"), ("floorsend", "floor_send.lua")):
        for exe in ("lua5.4", "luajit"):
            if not shutil.which(exe):
                continue
            totals = []
            for n in (20000, 120000):
                f = os.path.join(out_dir, "%s.%s.%d.out" % (key, exe, n))
                cp = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + f,
                                     exe, os.path.join(BENCH, "lua", script), str(n)],
                                    capture_output=True, text=True, timeout=300)
                totals.append(callgrind_total(f) if cp.returncode == 0 else None)
            if None not in totals:
                res[(key, exe)] = (totals[1] - totals[0]) / 100000
                log("callgrind %-10s %-18s %8.0f instructions per unit" % (key, exe, res[(key, exe)]))
    return res


def render_chart(json_path, png_path):
    """bench/run.py --chart RESULTS.json OUT.png: redraw the chart of a saved run."""
    with open(json_path) as f:
        saved = json.load(f)
    data = {tuple(k.split("|")): v for k, v in saved["values"].items()}
    scs = [s for s in scenarios(False) if any(k[0] == s[0] for k in data)]
    med = {k: median(v) for k, v in data.items()}
    chart(scs, med, png_path)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--chart":
        render_chart(sys.argv[2], sys.argv[3])
        return
    t_start = time.time()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:  # the 10,000-socket select needs it; children inherit it
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    c_dir, mods = build()
    cmds = candidate_commands(c_dir, mods)
    only_c = os.environ.get("CANDIDATES")
    if only_c:
        cmds = {k: v for k, v in cmds.items() if k in only_c.split(",")}
    cands = [c for c in CANDIDATES if c in cmds]
    missing = [c for c in CANDIDATES if c not in cmds]
    if missing:
        log("not available (skipped): " + ", ".join(missing))
    feeder = os.path.join(c_dir, "bench", "ltcp_bench_feeder")
    scs = scenarios(QUICK)
    only = os.environ.get("ONLY")
    if only:
        scs = [s for s in scs if s[0] in only.split(",")]
    os.makedirs(RESULTS, exist_ok=True)
    command = " ".join(["%s=%s" % (k, os.environ[k]) for k in
                        ("QUICK", "ROUNDS", "CALLGRIND", "ONLY", "CANDIDATES", "NOBUILD",
                         "BENCH_LUA_BUILD") if k in os.environ]
                       + ["bench/run.sh"])
    data, notes, cg = {}, {}, {}
    if CALLGRIND:
        cg = run_callgrind(feeder, {c: cmds[c] for c in cands})
        scs = []
    else:
        for rnd in range(ROUNDS):
            for s in scs:
                order = cands[rnd % len(cands):] + cands[:rnd % len(cands)]  # rotate the order
                for c in order:
                    if skipped(s[0], c):
                        continue
                    cmd, env = cmds[c]
                    fargs, cargs = args_for(s, c)
                    v, info, note = run_pair(feeder, cmd, env, fargs, cargs, s[6])
                    if v is not None:
                        data.setdefault((s[0], c), []).append(v)
                        data.setdefault((s[0], c, "info"), []).append(info)
                        cpu = cpu_figure(s, v, info)
                        if cpu is not None:
                            data.setdefault((s[0], c, "cpu"), []).append(cpu)
                    if note:
                        notes[(s[0], c)] = note
                    log("round %d %-12s %-18s %s %s" % (rnd + 1, s[0], c, fmt(v), note))
    elapsed = time.time() - t_start
    md, med = report(scs, cands, data, notes, cg, command, elapsed)
    print(md)
    base = os.path.join(RESULTS, "latest-callgrind" if CALLGRIND else "latest")
    with open(base + ".md", "w") as f:
        f.write(md)
    with open(base + ".json", "w") as f:
        json.dump({"command": command, "rounds": ROUNDS,
                   "values": {"%s|%s" % k: v for k, v in data.items() if len(k) == 2},
                   "cpu": {"%s|%s" % k[:2]: v for k, v in data.items() if k[2:] == ("cpu",)},
                   "info": {"%s|%s" % k[:2]: v for k, v in data.items() if k[2:] == ("info",)},
                   "callgrind": {"%s|%s" % k: v for k, v in cg.items()},
                   "notes": {"%s|%s" % k: v for k, v in notes.items()}}, f, indent=1)
    if not CALLGRIND and chart(scs, med, os.path.join(RESULTS, "latest.png")):
        log("wrote bench/results/latest.md, latest.json, latest.png")


if __name__ == "__main__":
    main()
