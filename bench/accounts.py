#!/usr/bin/env python3
"""accounts.py: bedrock_fdw over many accounts and regions in one scan, against the AWS SDK for
JavaScript v3 and against a lower bound.

Run it with bench/accounts.sh, which starts a throwaway cluster and one emulator (test/lib.sh;
--org-accounts 50 --org-jobs-per-region 100 --latency 25) and sets PGHOST/PGPORT/PGUSER,
EMU_PORT, EMU_PID and WORK.  Python 3 standard library, psql and node only.  A benchmark, not a
test: it exits 0 whether the targets are met or not (1 only when it could not run).

Scenario
--------
The emulator's generated member accounts 100000000001 ... 1000000000NN (NN = --accounts), each
with the role BedrockFdwReader trusting the management account 123456789012, whose built-in keys
the user mapping holds; JOBS model customization jobs in each of the member's enabled regions
(the 17 enabled by default).  One foreign server lists the NN accounts in `accounts`
(role_name BedrockFdwReader), `regions` = REGIONS (4 regions enabled by default), max_concurrency
C (64), page_size 100 (so each (account, region) is one List page of JOBS = 100 jobs: the
emulator sends a nextToken only when more jobs remain, and its default --max-page-size is 1000),
every endpoint (Bedrock, STS) at the emulator.  The query is list-only (summary columns, so no
per-job Get or Tags):
    SELECT count(*), max(job_arn), max(job_name), max(creation_time), count(status)
      FROM <server>.jobs
The warm-up also checks, with a GROUP BY account_id, region, that every (account, region) pair
returned JOBS rows.

What is measured
----------------
  - FDW, cold credential cache: one psql session (one backend, keep-alive connections kept);
    one warm-up run, then RUNS runs, each `SELECT bedrock_fdw_clear_cache();` first in that
    session (credentials are cached per backend, so this drops every account's assumed-role
    credentials: each run makes the AssumeRole calls again), then the query; wall time from
    psql's \\timing (query sent -> result in); the median is reported.
  - FDW, warm credential cache: the same session, RUNS more runs without clearing it (no
    AssumeRole: only the List calls).
  - SDK: bench/sdk_accounts.mjs in one node process: a warm-up, RUNS cold runs (every role
    assumed anew, new clients), RUNS warm runs (the last run's credentials and clients); wall
    time around the SDK calls (performance.now()); the median is reported.
  - Requests: the emulator's log is reset before and read after every run; AssumeRole and
    ListModelCustomizationJobs are counted (and anything else), every one must be answered 200,
    and the List calls must cover every (account, region) pair, signed with that account's keys.
  - Lower bound, as request waves of C requests in flight, each wave one latency L:
        Lb = ( ceil(A / C) + ceil(P / C) ) x L
    with A the AssumeRole calls and P the List calls of the run (cold: A = NN, P = NN x regions
    x pages per pair; warm: A = 0).  A List needs its account's credentials, so the AssumeRole
    wave comes first whatever the pooling.  It ignores every cost but the latency (CPU, HTTP,
    the emulator's own work), so no real client reaches it exactly.
  - STS latency: the emulator's --latency delays Bedrock (and Organizations, Account) calls
    only; STS answers at once.  So that every request takes L, as in the scenario, a fault rule
    {"operation": "AssumeRole", "action": "unknown_status", "delay": L/1000} is installed
    after each reset of the emulator's log (an answer-changing action that leaves an STS answer
    unchanged: test/emulator.py, "Fault rules"; the rule's delay comes on top of the (zero)
    latency).  --sts-latency 0 leaves STS undelayed.
  - CPU: of the client (the backend, from /proc/PID/schedstat; node, from /proc/PID/stat, every
    thread, 10 ms ticks) and of the emulator (also /proc/PID/stat) during each run.
Targets: FDW cold <= 1.25 x Lb (cold), FDW cold <= SDK cold (median wall times).

Memory: peak resident set (VmHWM) of a fresh backend per measurement, read by this script from
/proc/<backend pid>/status (the pid from pg_backend_pid()): before the scan (after
`SELECT bedrock_fdw_clear_cache()`, which loads the extension) and after it, for a server over
the NN accounts and one over 1 account (100000000001; same regions, jobs, page size,
concurrency), MEM_RUNS fresh backends each (cold credentials: a new backend has none), the
median reported.  Target: VmHWM(NN accounts) <= 1.5 x VmHWM(1 account).  A diagnostic row (no
target) measures the NN-account scan again at --diag-page-size (10): the same jobs in 10 times the
pages, each round of the fetch holding one page per (account, region) as before, but of 10 jobs,
which shows how much of the growth is the pages a round holds.

Usage: accounts.py [--accounts 50] [--regions us-east-1,us-west-2,eu-west-1,ap-northeast-1]
                   [--jobs 100] [--concurrency 64] [--sts-latency MS] [--page-size 100] [--runs 3]
                   [--mem-runs 3] [--skip-memory] [--diag-page-size 10] [--json FILE]
"""

import argparse
import collections
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
from benchmark import KEY, SECRET, Psql, ctl, cpu_ns, fmt_ms, print_table, so_mtime  # noqa: E402

ROLE = "BedrockFdwReader"
FIRST_MEMBER = 100000000001
LIST_OP = "ListModelCustomizationJobs"
QUERY = ("SELECT count(*), max(job_arn), max(job_name), max(creation_time), count(status) "
         "FROM {s}.jobs")
CHECK = "SELECT account_id, region, count(*) FROM {s}.jobs GROUP BY 1, 2"


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def accounts_of(n):
    return ["%012d" % (FIRST_MEMBER + i) for i in range(n)]


# ------------------------------------------------------------------------------------------
# The emulator's log
# ------------------------------------------------------------------------------------------
def analyze(entries, w0=None, w1=None, sts_latency=0.0):
    """Counts by operation, failures, (account, region) pairs listed, and a timeline; w0/w1: when
    the driver sent the run and had its answer (time.time(), the emulator's clock too)."""
    ops = collections.Counter("List" if e["operation"] == LIST_OP else e["operation"] for e in entries)
    out = {"ops": dict(ops), "total": len(entries), "failed": sum(1 for e in entries if e.get("status") != 200)}
    lists = [e for e in entries if e["operation"] == LIST_OP]
    out["pairs"] = sorted({(e.get("account"), e["region"]) for e in lists})
    if not entries:
        return out
    t0 = min(e["time"] for e in entries)

    def due(e):
        extra = sts_latency if e["operation"] == "AssumeRole" and e.get("fault") else 0.0
        return e["time"] + (e.get("latency_ms", 0) + extra) / 1000.0

    sts = [e for e in entries if e["operation"] == "AssumeRole"]
    if sts:
        out["sts_first_ms"] = (min(e["time"] for e in sts) - t0) * 1000.0
        out["sts_last_ms"] = (max(e["time"] for e in sts) - t0) * 1000.0
        out["sts_last_due_ms"] = (max(due(e) for e in sts) - t0) * 1000.0
    if lists:
        out["list_first_ms"] = (min(e["time"] for e in lists) - t0) * 1000.0
        out["list_last_start_ms"] = (max(e["time"] for e in lists) - t0) * 1000.0
        out["list_last_due_ms"] = (max(due(e) for e in lists) - t0) * 1000.0
        events = sorted([(e["time"], 1) for e in lists] + [(due(e), -1) for e in lists])
        cur = peak = 0
        for _, d in events:
            cur += d
            peak = max(peak, cur)
        out["list_max_in_flight"] = peak
    out["span_ms"] = (max(due(e) for e in entries) - t0) * 1000.0
    if w0 is not None:
        out["lead_ms"] = (t0 - w0) * 1000.0
        out["tail_ms"] = (w1 - max(due(e) for e in entries)) * 1000.0
    out["conns"] = len({e["conn"] for e in entries})
    return out


# ------------------------------------------------------------------------------------------
# Sessions
# ------------------------------------------------------------------------------------------
class Node:
    """bench/sdk_accounts.mjs, driven line by line."""

    def __init__(self, args):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k.lower() not in
               ("http_proxy", "https_proxy")}
        env.update(AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED="true", NO_PROXY="127.0.0.1,localhost",
                   AWS_CONFIG_FILE="/nonexistent", AWS_SHARED_CREDENTIALS_FILE="/nonexistent")
        self.p = subprocess.Popen(["node", os.path.join(HERE, "sdk_accounts.mjs")] + args, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True, bufsize=1, env=env)
        first = json.loads(self.p.stdout.readline() or "{}")
        if not first.get("ready"):
            raise RuntimeError("sdk_accounts.mjs did not start")

    def run(self, cmd):
        self.p.stdin.write(cmd + "\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError("sdk_accounts.mjs ended")
        return json.loads(line)

    def close(self):
        try:
            self.p.stdin.write("quit\n")
            self.p.stdin.flush()
        except OSError:
            pass
        self.p.wait(30)


def proc_status_kb(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError("no %s in /proc/%d/status" % (field, pid))


def reset(a):
    """Clear the emulator's log (which drops the fault rules too) and delay AssumeRole again."""
    ctl(a.emu_port, "POST", "/_emulator/reset")
    if a.sts_latency:
        ctl(a.emu_port, "POST", "/_emulator/faults", [{"operation": "AssumeRole", "action": "unknown_status",
                                                        "delay": a.sts_latency / 1000.0}])


def median_run(runs):
    order = sorted(runs, key=lambda r: r["ms"])
    return order[len(order) // 2]


def create_server(a, name, accounts, page_size=None):
    ps = Psql(a.workdir, "setup-" + name)
    try:
        ps.run("CREATE EXTENSION IF NOT EXISTS bedrock_fdw;\n"
               "DROP SERVER IF EXISTS %(s)s CASCADE;\n"
               "CREATE SERVER %(s)s FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (accounts '%(acc)s', role_name '%(role)s', "
               "regions '%(reg)s', endpoint '%(url)s', sts_endpoint '%(url)s', max_concurrency '%(c)d', "
               "page_size '%(ps)d');\n"
               "CREATE USER MAPPING FOR CURRENT_USER SERVER %(s)s OPTIONS (access_key_id '%(key)s', "
               "secret_access_key '%(secret)s');\n"
               "DROP SCHEMA IF EXISTS %(s)s CASCADE; CREATE SCHEMA %(s)s;\n"
               "CREATE FOREIGN TABLE %(s)s.jobs (account_id text, region text, job_arn text, job_name text, "
               "status text, creation_time timestamptz) SERVER %(s)s OPTIONS (resource 'model_customization_jobs');"
               % {"s": name, "acc": ",".join(accounts), "role": ROLE, "reg": ",".join(a.regions),
                  "url": "http://127.0.0.1:%d" % a.emu_port, "c": a.concurrency, "ps": page_size or a.page_size,
                  "key": KEY, "secret": SECRET})
    finally:
        ps.close()


def read_result(path):
    with open(path) as f:
        return f.read().strip()


def measure_fdw(a, server, expect):
    """Cold runs (bedrock_fdw_clear_cache() first), then warm runs, in one backend."""
    ps = Psql(a.workdir, "fdw-" + server)
    out = os.path.join(a.workdir, "fdw-%s.out" % server)
    sql = QUERY.format(s=server)
    res = {"cold": [], "warm": [], "backend": ps.backend}
    try:
        ps.run("SELECT bedrock_fdw_clear_cache();")
        t0 = time.monotonic()
        ps.timed(CHECK.format(s=server), out)                   # warm-up (and the emulator builds its stores)
        log("  FDW warm-up (GROUP BY account_id, region): %.1f s" % (time.monotonic() - t0))
        with open(out) as f:
            groups = [line.rstrip("\n").split("|") for line in f if line.strip()]
        want = {(acc, reg) for acc in a.account_ids for reg in a.regions}
        got = {(g[0], g[1]): int(g[2]) for g in groups}
        if set(got) != want or any(n != a.jobs for n in got.values()):
            bad = sorted(set(got) ^ want)[:5] or [(k, v) for k, v in got.items() if v != a.jobs][:5]
            raise RuntimeError("the FDW's rows per (account, region) are not %d each (%d groups; e.g. %s)"
                               % (a.jobs, len(got), bad))
        for mode in ("cold", "warm"):
            for _ in range(a.runs):
                if mode == "cold":
                    ps.run("SELECT bedrock_fdw_clear_cache();")
                reset(a)
                c0, e0 = cpu_ns(ps.backend, False), cpu_ns(a.emu_pid) if a.emu_pid else None
                w0 = time.time()
                ms = ps.timed(sql, out)
                w1 = time.time()
                c1, e1 = cpu_ns(ps.backend, False), cpu_ns(a.emu_pid) if a.emu_pid else None
                lg = analyze(ctl(a.emu_port, "GET", "/_emulator/requests"), w0, w1, a.sts_latency)
                rows = int(read_result(out).split("|", 1)[0])
                res[mode].append({"ms": ms, "rows": rows, "log": lg,
                                  "cpu_ms": (c1 - c0) / 1e6 if c0 is not None else None,
                                  "emu_cpu_ms": (e1 - e0) / 1e6 if e0 is not None else None,
                                  "ok": check_run(lg, rows, expect[mode], a)})
    finally:
        ps.close()
    return res


def measure_sdk(a, expect):
    args = ["--endpoint", "http://127.0.0.1:%d" % a.emu_port, "--accounts", ",".join(a.account_ids),
            "--role", ROLE, "--regions", ",".join(a.regions), "--page-size", str(a.page_size),
            "--concurrency", str(a.concurrency), "--sts-region", a.regions[0]]
    node = Node(args)
    res = {"cold": [], "warm": []}
    try:
        node.run("run")                                         # warm-up
        for mode, cmd in (("cold", "run"), ("warm", "warm")):
            for _ in range(a.runs):
                reset(a)
                c0, e0 = cpu_ns(node.p.pid), cpu_ns(a.emu_pid) if a.emu_pid else None
                w0 = time.time()
                r = node.run(cmd)
                w1 = time.time()
                c1, e1 = cpu_ns(node.p.pid), cpu_ns(a.emu_pid) if a.emu_pid else None
                r["log"] = analyze(ctl(a.emu_port, "GET", "/_emulator/requests"), w0, w1, a.sts_latency)
                r["cpu_ms"] = (c1 - c0) / 1e6 if c0 is not None else None
                r["emu_cpu_ms"] = (e1 - e0) / 1e6 if e0 is not None else None
                r["ok"] = (check_run(r["log"], r["rows"], expect[mode], a) and r["pairs"] == len(a.account_ids) *
                           len(a.regions) and r["per_pair"]["min"] == a.jobs and r["per_pair"]["max"] == a.jobs)
                res[mode].append(r)
    finally:
        node.close()
    return res


def check_run(lg, rows, expect_ops, a):
    want_pairs = sorted((acc, reg) for acc in a.account_ids for reg in a.regions)
    return (lg["ops"] == expect_ops and lg["failed"] == 0 and lg["pairs"] == want_pairs
            and rows == a.jobs * len(want_pairs))


def measure_memory(a, server, accounts):
    """VmHWM of fresh backends, before and after one scan (read from /proc/<pid>/status)."""
    out = []
    path = os.path.join(a.workdir, "mem-%s.out" % server)
    for _ in range(a.mem_runs):
        ps = Psql(a.workdir, "mem-" + server)
        try:
            ps.run("SELECT bedrock_fdw_clear_cache();")         # loads the extension
            base = proc_status_kb(ps.backend, "VmHWM")
            reset(a)
            ms = ps.timed(QUERY.format(s=server), path)
            hwm = proc_status_kb(ps.backend, "VmHWM")
            rss = proc_status_kb(ps.backend, "VmRSS")
            lg = analyze(ctl(a.emu_port, "GET", "/_emulator/requests"), sts_latency=a.sts_latency)
            rows = int(read_result(path).split("|", 1)[0])
        finally:
            ps.close()
        out.append({"base_hwm_kb": base, "hwm_kb": hwm, "rss_kb": rss, "ms": ms, "rows": rows, "ops": lg["ops"],
                     "ok": rows == a.jobs * len(a.regions) * accounts and lg["failed"] == 0})
    return out


# ------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------
def fmt_ops(ops):
    order = ["AssumeRole", "List"]
    keys = order + sorted(k for k in ops if k not in order)
    return " + ".join("%d %s" % (ops[k], k) for k in keys if ops.get(k)) or "0"


def fmt_mb(kb):
    return "%.1f MB" % (kb / 1024.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--accounts", type=int, default=50)
    ap.add_argument("--regions", default="us-east-1,us-west-2,eu-west-1,ap-northeast-1")
    ap.add_argument("--jobs", type=int, default=100, help="jobs per (account, region): the emulator's "
                    "--org-jobs-per-region")
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--sts-latency", type=float, default=None,
                    help="ms each AssumeRole is delayed by (a fault rule; default: the emulator's latency)")
    ap.add_argument("--page-size", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mem-runs", type=int, default=3)
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--diag-page-size", type=int, default=10,
                    help="also measure the memory of the same scan at this page size (0: not)")
    ap.add_argument("--json", help="write every measurement to this file")
    a = ap.parse_args()
    a.emu_port = int(os.environ["EMU_PORT"])
    a.emu_pid = int(os.environ["EMU_PID"]) if os.environ.get("EMU_PID") else None
    a.regions = a.regions.split(",")
    a.account_ids = accounts_of(a.accounts)
    a.workdir = tempfile.mkdtemp(prefix="bench-accounts-", dir=os.environ.get("WORK") or None)
    os.chmod(a.workdir, 0o777)
    cfg = ctl(a.emu_port, "GET", "/_emulator/config")
    L = cfg["latency_ms"]
    if a.sts_latency is None:
        a.sts_latency = L
    C = a.concurrency
    pages = max(1, math.ceil(a.jobs / a.page_size))     # no nextToken after a full last page
    n_pairs = a.accounts * len(a.regions)
    n_lists = n_pairs * pages
    expect = {"cold": {"AssumeRole": a.accounts, "List": n_lists}, "warm": {"List": n_lists}}
    so_before = so_mtime()

    create_server(a, "org%d" % a.accounts, a.account_ids)
    create_server(a, "org1", a.account_ids[:1])
    if a.diag_page_size:
        create_server(a, "org%d_p%d" % (a.accounts, a.diag_page_size), a.account_ids, a.diag_page_size)

    print("bedrock_fdw across accounts: %d member accounts (%s ... %s, role %s) x %d regions (%s) x %d jobs, "
          "list-only; emulator latency %g ms (Bedrock calls), AssumeRole delayed %g ms (a fault rule), jitter %g ms; "
          "max_concurrency %d, page_size %d; %d runs after a warm-up (median); %d cores"
          % (a.accounts, a.account_ids[0], a.account_ids[-1], ROLE, len(a.regions), ",".join(a.regions), a.jobs,
             L, a.sts_latency, cfg["jitter_ms"], C, a.page_size, a.runs, os.cpu_count()))
    print("query: " + QUERY.format(s="org%d" % a.accounts))

    log("FDW, %d accounts" % a.accounts)
    fdw = measure_fdw(a, "org%d" % a.accounts, expect)
    log("SDK, %d accounts" % a.accounts)
    sdk = measure_sdk(a, expect)
    mem = {}
    diag = None
    if not a.skip_memory:
        for n, srv in ((1, "org1"), (a.accounts, "org%d" % a.accounts)):
            log("memory, %d account(s)" % n)
            mem[n] = measure_memory(a, srv, n)
        if a.diag_page_size:
            log("memory, %d accounts, page_size %d" % (a.accounts, a.diag_page_size))
            diag = measure_memory(a, "org%d_p%d" % (a.accounts, a.diag_page_size), a.accounts)
    so_after = so_mtime()

    def bound_waves(ops):
        return math.ceil(ops.get("AssumeRole", 0) / C) + math.ceil(ops.get("List", 0) / C)

    rows = []
    summary = {}
    for mode in ("cold", "warm"):
        f, s = median_run(fdw[mode]), median_run(sdk[mode])
        waves = bound_waves(expect[mode])
        bound = waves * L
        tight = math.ceil(expect[mode]["List"] / C) * L
        summary[mode] = {"fdw_ms": f["ms"], "sdk_ms": s["ms"], "bound_ms": bound, "waves": waves,
                         "fdw_bound": f["ms"] / bound, "fdw_sdk": f["ms"] / s["ms"], "list_only_bound_ms": tight,
                         "fdw_ok": all(r["ok"] for r in fdw[mode]), "sdk_ok": all(r["ok"] for r in sdk[mode])}
        label = ("cold (clear_cache, %d AssumeRole)" % a.accounts) if mode == "cold" else "warm (cached roles)"
        for who, m, r in (("FDW", fdw, f), ("SDK", sdk, s)):
            ok = all(x["ok"] for x in m[mode])
            rows.append((label if who == "FDW" else "", who, fmt_ms(r["ms"]),
                         "  ".join(fmt_ms(x["ms"]) for x in m[mode]),
                         fmt_ops(r["log"]["ops"]) + ("" if ok else " !"),
                         "%d x %g = %s" % (waves, L, fmt_ms(bound)) if who == "FDW" else "",
                         "%.2f" % (r["ms"] / bound),
                         "%.2f" % summary[mode]["fdw_sdk"] if who == "FDW" else ""))
    print()
    print("wall time (median of %d runs after a warm-up; each run's requests from the emulator's log, reset "
          "before it; '!' = a run whose requests, answers or rows were not as expected):" % a.runs)
    print_table(("credentials", "who", "wall", "runs", "requests (median run)", "bound (waves x L)", "x bound",
                 "FDW/SDK"), rows, indent="  ")
    print("  bound Lb = (ceil(AssumeRole / %d) + ceil(List / %d)) x %g ms: cold (ceil(%d/%d) + ceil(%d/%d)) x %g = "
          "%s, warm ceil(%d/%d) x %g = %s%s."
          % (C, C, L, a.accounts, C, n_lists, C, L, fmt_ms(summary["cold"]["bound_ms"]), n_lists, C, L,
             fmt_ms(summary["warm"]["bound_ms"]),
             "" if a.sts_latency == L else " (AssumeRole took %g ms here, not %g: the cold bound assumes %g)"
             % (a.sts_latency, L, L)))

    print()
    print("  where the time goes (median run; from the emulator's log, ms after its first request: AssumeRole "
          "first..last read, last answer due; List first read..last read; last List answer due; max Lists in flight; TCP "
          "connections; from the query sent to the first request read, and from the last List answer due to the result in (the driver's clock, so psql's or the pipe's own ms too); CPU of the client (backend or node) and of the "
          "emulator during the run):")
    dt = []
    for mode in ("cold", "warm"):
        for who, m in (("FDW", fdw), ("SDK", sdk)):
            r = median_run(m[mode])
            lg = r["log"]
            sts = ("%.0f..%.0f, %.0f" % (lg["sts_first_ms"], lg["sts_last_ms"], lg["sts_last_due_ms"])
                   if "sts_first_ms" in lg else "-")
            lst = ("%.0f..%.0f" % (lg["list_first_ms"], lg["list_last_start_ms"])) if "list_first_ms" in lg else "-"
            dt.append((mode if who == "FDW" else "", who, sts, lst, "%.0f" % lg.get("list_last_due_ms", 0),
                       str(lg.get("list_max_in_flight", 0)), str(lg.get("conns", 0)),
                       fmt_ms(lg["lead_ms"]) if "lead_ms" in lg else "?",
                       fmt_ms(lg["tail_ms"]) if "tail_ms" in lg else "?",
                       fmt_ms(r["cpu_ms"]) if r.get("cpu_ms") is not None else "?",
                       fmt_ms(r["emu_cpu_ms"]) if r.get("emu_cpu_ms") is not None else "?"))
    print_table(("cache", "who", "AssumeRole ms", "List starts ms", "last List due", "max in flight", "conns",
                 "before 1st request", "after last due", "client CPU", "emulator CPU"), dt, indent="  ")
    s_cold = median_run(sdk["cold"])
    if s_cold.get("assume_ms") is not None:
        print("  SDK cold: the last role was assumed %.0f ms after the start (its own clock)" % s_cold["assume_ms"])

    mem_ratio = None
    if mem:
        print()
        print("memory: peak RSS (VmHWM) of a fresh backend, read from /proc/<backend pid>/status before the scan "
              "(after SELECT bedrock_fdw_clear_cache(), which loads the extension) and after it; %d fresh "
              "backends each, median:" % a.mem_runs)
        mt = []
        med = {}
        for n, runs in sorted(mem.items()) + ([("%d, page_size %d" % (a.accounts, a.diag_page_size), diag)]
                                              if diag else []):
            hwm = statistics.median(r["hwm_kb"] for r in runs)
            base = statistics.median(r["base_hwm_kb"] for r in runs)
            med[n] = hwm
            ok = all(r["ok"] for r in runs)
            nacc = n if isinstance(n, int) else a.accounts
            mt.append(("%s" % n, "%d x %d x %d = %d%s" % (nacc, len(a.regions), a.jobs, runs[0]["rows"],
                                                          "" if ok else " !"),
                       fmt_ops(runs[0]["ops"]), fmt_mb(base), fmt_mb(hwm), fmt_mb(hwm - base),
                       "  ".join(fmt_mb(r["hwm_kb"]) for r in runs),
                       fmt_ms(statistics.median(r["ms"] for r in runs))))
        print_table(("accounts", "rows", "requests", "VmHWM before", "VmHWM after", "growth", "runs (after)",
                     "time"), mt, indent="  ")
        mem_ratio = med[a.accounts] / med[1]
        print("  VmHWM %d accounts / 1 account = %s / %s = %.2f (page_size %d)" % (
            a.accounts, fmt_mb(med[a.accounts]), fmt_mb(med[1]), mem_ratio, a.page_size))
        if diag:
            print("  (diagnostic row, not a target: the same %d accounts at page_size %d, so each round of the "
                  "fetch holds %d pages of %d jobs instead of %d pages of %d)"
                  % (a.accounts, a.diag_page_size, n_pairs, min(a.jobs, a.diag_page_size), n_pairs,
                     min(a.jobs, a.page_size)))

    print()
    c = summary["cold"]
    t_bound = c["fdw_bound"] <= 1.25
    t_sdk = c["fdw_sdk"] <= 1.0
    t_mem = mem_ratio is not None and mem_ratio <= 1.5
    print("targets (cold credential cache):")
    print("  FDW within 1.25x of the bound:      %s (%s / %s = %.2f)" % ("met" if t_bound else "missed",
                                                                        fmt_ms(c["fdw_ms"]), fmt_ms(c["bound_ms"]),
                                                                        c["fdw_bound"]))
    print("  FDW no slower than the SDK script:  %s (%s / %s = %.2f)" % ("met" if t_sdk else "missed",
                                                                        fmt_ms(c["fdw_ms"]), fmt_ms(c["sdk_ms"]),
                                                                        c["fdw_sdk"]))
    if mem_ratio is not None:
        print("  peak memory %d accounts <= 1.5 x 1: %s (%.2f)" % (a.accounts, "met" if t_mem else "missed",
                                                                  mem_ratio))
    if not all(summary[m]["fdw_ok"] and summary[m]["sdk_ok"] for m in summary):
        print("  WARNING: some run's requests or rows were not as expected (marked '!')")
    if so_before != so_after:
        print("WARNING: bedrock_fdw.so changed during the benchmark; rerun for one build")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"config": cfg, "args": {k: v for k, v in vars(a).items()}, "fdw": fdw, "sdk": sdk,
                       "memory": {str(k): v for k, v in mem.items()}, "memory_diag": diag, "summary": summary, "mem_ratio": mem_ratio},
                      f, indent=1, default=str)
    shutil.rmtree(a.workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, OSError, subprocess.CalledProcessError, ValueError, KeyError) as e:
        log("accounts benchmark: %s" % e)
        sys.exit(1)
