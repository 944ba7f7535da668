#!/usr/bin/env python3
"""load_report.py: the report of bench/load_test.sh (which calls it; not meant to run alone).

Reads the scratch directory of the run (pgbench.out/.err, emulator.log, backends.log,
postgres.log) and the load_results table, prints the figures and exits 1 on any problem:
a crash or any ERROR/WARNING/FATAL in the server log, a failed query whose SQLSTATE is not in
--allowed, a successful query with a wrong row count, an aborted pgbench client, a session
that no longer answers right after the run.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys

REGION_RE = re.compile(r"\b[a-z]{2}(?:-[a-z]+)+-\d\b")


def psql(sql):
    p = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\t", "-c", sql], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("psql failed: %s\n%s" % (sql, p.stderr))
    return [line.split("\t") for line in p.stdout.splitlines() if line]


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--pgbench-rc", type=int, required=True)
    ap.add_argument("--allowed", required=True)
    ap.add_argument("--after", default="")
    ap.add_argument("--emu-port", default="")
    a = ap.parse_args()
    allowed = set(a.allowed.split())
    problems = []

    # -- pgbench ---------------------------------------------------------------------------
    out = read(os.path.join(a.work, "pgbench.out"))
    err = read(os.path.join(a.work, "pgbench.err"))
    print("== pgbench")
    for line in out.splitlines():
        if re.match(r"(number of (clients|threads|transactions)|duration|latency|tps|initial connection"
                    r"|number of failed)", line):
            print("  " + line)
    aborted = [l for l in err.splitlines() if "aborted" in l or "error" in l.lower()]
    progress = [l for l in err.splitlines() if l.startswith("progress:")]
    if progress:
        print("  progress: " + " | ".join(re.sub(r"progress: ([\d.]+) s, ([\d.]+) tps.*", r"\1s \2 tps", l)
                                          for l in progress))
    if a.pgbench_rc != 0 or aborted:
        problems.append("pgbench exited %d%s" % (a.pgbench_rc, "; " + "; ".join(aborted[:5]) if aborted else ""))

    # -- outcomes --------------------------------------------------------------------------
    print("== queries (load_results)")
    kinds = {1: "list only", 2: "status IN (2)", 3: "region = us-west-2", 4: "Get column", 5: "tags"}
    rows = psql("SELECT r.kind, count(*), count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok),"
                " count(*) FILTER (WHERE ok AND r.n IS DISTINCT FROM e.n),"
                " round(avg(ms)::numeric, 1), round((percentile_cont(0.95) WITHIN GROUP (ORDER BY ms))::numeric, 1),"
                " round(max(ms)::numeric, 1), max(e.n)"
                " FROM load_results r JOIN load_expected e USING (kind) GROUP BY r.kind ORDER BY r.kind")
    total = ok = failed = wrong = 0
    print("  %-30s %7s %7s %7s %6s %9s %9s %9s" % ("kind", "runs", "ok", "errors", "wrong", "avg ms", "p95 ms", "max ms"))
    for k, n, o, f, w, avg, p95, mx, exp in rows:
        print("  %-30s %7s %7s %7s %6s %9s %9s %9s" % ("%s %s (%s rows)" % (k, kinds.get(int(k), "?"), exp),
                                                     n, o, f, w, avg, p95, mx))
        total += int(n)
        ok += int(o)
        failed += int(f)
        wrong += int(w)
    print("  total %d, ok %d, errors %d (%.2f%%), wrong row counts %d"
          % (total, ok, failed, 100.0 * failed / max(total, 1), wrong))
    if wrong:
        problems.append("%d successful queries returned a wrong row count" % wrong)
        for r in psql("SELECT r.kind, r.n, e.n, r.backend FROM load_results r JOIN load_expected e USING (kind)"
                      " WHERE ok AND r.n IS DISTINCT FROM e.n LIMIT 5"):
            print("    wrong: kind %s got %s rows, expected %s (backend %s)" % tuple(r))
    print("== errors by SQLSTATE and message")
    errs = collections.Counter()
    for st, msg, n in psql("SELECT sqlstate, message, count(*) FROM load_results WHERE NOT ok GROUP BY 1, 2"):
        errs[(st, REGION_RE.sub("<region>", msg)[:100])] += int(n)
    for (st, msg), n in sorted(errs.items(), key=lambda x: (-x[1], x[0])):
        flag = "" if st in allowed else "   <-- UNEXPECTED"
        print("  %6d  %s  %s%s" % (n, st, msg, flag))
    if not errs:
        print("  (none)")
    bad = {st for st, _ in errs if st not in allowed}
    if bad:
        problems.append("unexpected SQLSTATEs: %s" % ", ".join(sorted(bad)))

    # -- emulator --------------------------------------------------------------------------
    print("== emulator request log")
    log = []
    for line in read(os.path.join(a.work, "emulator.log")).splitlines():
        try:
            log.append(json.loads(line))
        except ValueError:
            pass
    api = [e for e in log if e.get("operation") not in (None, "Unknown")]
    by_op = collections.Counter(e["operation"] for e in api)
    by_status = collections.Counter(e.get("status") for e in api)
    faults = collections.Counter(e.get("action") or e.get("status") for e in api if e.get("fault"))
    if api:
        span = max(e["time"] for e in api) - min(e["time"] for e in api)
        print("  %d API requests in %.0f s (%.0f/s): %s" % (len(api), span, len(api) / max(span, 1e-9),
              ", ".join("%s %d" % kv for kv in sorted(by_op.items()))))
    print("  by status: " + ", ".join("%s: %d" % (k if k is not None else "none (reset)", v)
                                     for k, v in sorted(by_status.items(), key=lambda kv: str(kv[0]))))
    nf = sum(faults.values())
    print("  injected faults: %d (%.2f%% of requests): %s" % (
        nf, 100.0 * nf / max(len(api), 1), ", ".join("%s %d" % (k, v) for k, v in sorted(faults.items(), key=str))))
    # a retry is a request that follows a fault of the same operation, region, params and body
    # from the same client; approximate it by the next identical request in the log
    pending = collections.Counter()
    retries = 0
    for e in api:
        key = (e["operation"], e.get("region"), e.get("path"), json.dumps(e.get("body"), sort_keys=True))
        if pending[key]:
            pending[key] -= 1
            retries += 1
        if e.get("fault"):
            pending[key] += 1
    print("  requests that repeat a faulted request (retries, approx.): %d of %d faults" % (retries, nf))
    non_fault_errors = [e for e in api if not e.get("fault") and (e.get("status") or 0) >= 400]
    if non_fault_errors:
        c = collections.Counter((e["status"], e.get("error_type")) for e in non_fault_errors)
        problems.append("the emulator answered %d requests with errors it did not inject: %s"
                        % (len(non_fault_errors), dict(c)))

    # -- backends --------------------------------------------------------------------------
    print("== backends (private memory RssAnon kB, open fds; sampled every 2 s)")
    samples = collections.defaultdict(list)
    for line in read(os.path.join(a.work, "backends.log")).splitlines():
        parts = line.split()
        if len(parts) == 4:
            t, pid, rss, fds = map(int, parts)
            samples[pid].append((t, rss, fds))
    long_lived = {p: s for p, s in samples.items() if len(s) >= 3}
    if long_lived:
        first = [s[0][1] for s in long_lived.values()]
        last = [s[-1][1] for s in long_lived.values()]
        peak = [max(x[1] for x in s) for s in long_lived.values()]
        growth = [s[-1][1] - s[1][1] for s in long_lived.values()]   # from the 2nd sample: warmed up
        fd_first = [s[0][2] for s in long_lived.values()]
        fd_last = [s[-1][2] for s in long_lived.values()]
        fd_peak = [max(x[2] for x in s) for s in long_lived.values()]
        print("  %d client backends sampled %d-%d times" % (len(long_lived), min(map(len, long_lived.values())),
                                                           max(map(len, long_lived.values()))))
        print("  RssAnon first avg %d, last avg %d, peak max %d; growth from the 2nd sample min %d avg %d max %d"
              % (sum(first) / len(first), sum(last) / len(last), max(peak), min(growth),
                 sum(growth) / len(growth), max(growth)))
        half = [s[-1][1] - s[len(s) // 2][1] for s in long_lived.values()]
        print("  RssAnon growth over the second half of the run: min %d avg %d max %d"
              % (min(half), sum(half) / len(half), max(half)))
        print("  open fds first %d-%d, last %d-%d, peak %d" % (min(fd_first), max(fd_first), min(fd_last),
                                                            max(fd_last), max(fd_peak)))
    else:
        print("  (no samples)")

    # -- server log ------------------------------------------------------------------------
    print("== server log")
    plog = read(os.path.join(a.work, "postgres.log"))
    crash = [l for l in plog.splitlines()
             if re.search(r"PANIC|TRAP:|terminated by signal|was terminated|server process .* exited", l)]
    logged = [l for l in plog.splitlines() if re.search(r"\b(ERROR|WARNING|FATAL):", l)]
    print("  crash lines: %d; ERROR/WARNING/FATAL lines: %d" % (len(crash), len(logged)))
    for l in (crash + logged)[:15]:
        print("    " + l[:200])
    if crash:
        problems.append("the server log shows a crash")
    if logged:
        problems.append("the server log has %d ERROR/WARNING/FATAL lines" % len(logged))

    # -- after -----------------------------------------------------------------------------
    print("== after the run, a fresh session, no faults: %s" % a.after)
    if not re.fullmatch(r"1=true 2=true 3=true 4=true 5=true", a.after.strip()):
        problems.append("after the run the queries do not answer right: %s" % a.after)

    print()
    if problems:
        for p in problems:
            print("PROBLEM: " + p)
        print("load test: FAILED")
        return 1
    print("load test: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
