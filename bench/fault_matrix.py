#!/usr/bin/env python3
"""fault_matrix.py: every injected fault against every Bedrock operation, through the FDW.

Run it with bench/fault_matrix.sh, which starts a throwaway cluster and the emulator
(test/lib.sh) and sets PGHOST/PGPORT/PGUSER, EMU_PORT and WORK.  Python 3 standard library and
psql only.

For each fault (emulator fault rule, see test/emulator.py) and each operation
    List  ListModelCustomizationJobs   SELECT job_name, status, creation_time FROM bedrock_jobs
    Get   GetModelCustomizationJob     SELECT job_name, role_arn ... WHERE status = <one job>
    Tags  ListTagsForResource          SELECT job_name, tags ...     WHERE status = <one job>
it injects the fault on that operation, once ("x1": a transient fault, for the retryable ones)
and on every request ("always"), runs the query with psql and records the outcome (rows, or
ERROR + SQLSTATE + the first line of the message), the attempts (the requests of that operation
in the emulator's request log) and the wall time, and compares them with EXPECTED below.

Cases run three at a time, one per fixture region (us-east-1, us-west-2, eu-west-1), each
region behind its own foreign server: the fault rules name the region, so the cases do not
see each other's faults.  The expected attempts of a successful case are those of a clean run
of the same query in the same region (measured first) plus the injected failures.  Then the
partial-failure cases run alone on servers with regions 'us-east-1,us-west-2'.

Prints one table row per case and "N passed, M failed"; exits 1 on any mismatch.
Options: --only SUBSTRING (run the cases whose name contains it), --jobs 1 (no parallelism).
"""

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time

EMU_PORT = int(os.environ.get("EMU_PORT", "0"))
KEY = "AKIDEMULATOREXAMPLE1"
SECRET = "emulator/Secret+Key/EXAMPLE1234567890abcdef"

CONNECT_TIMEOUT = "2"
REQUEST_TIMEOUT = "3"
STALL = 10                 # seconds a stall lasts: longer than request_timeout
MAX_RETRIES = 3            # the FDW's default: a persistent retryable fault makes 1 + 3 attempts
STATEMENT_TIMEOUT_MS = 90000

REGIONS = ["us-east-1", "us-west-2", "eu-west-1"]
# a status with exactly one job in the region, so Get and Tags are called exactly once
ONE_JOB_STATUS = {"us-east-1": "Stopping", "us-west-2": "Stopping", "eu-west-1": "Failed"}

OPS = {
    "List": ("ListModelCustomizationJobs", "SELECT job_name, status, creation_time FROM {s}.bedrock_jobs"),
    "Get": ("GetModelCustomizationJob", "SELECT job_name, role_arn FROM {s}.bedrock_jobs WHERE status = '{one}'"),
    "Tags": ("ListTagsForResource", "SELECT job_name, tags FROM {s}.bedrock_jobs WHERE status = '{one}'"),
}

HTML_502 = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")

# ------------------------------------------------------------------------------------------
# EXPECTED: the behaviour the retry design asks for (not what the FDW happens to do).
#   name: (fault rule without operation/region/times, retryable?, outcome)
#   outcome: a SQLSTATE (the ERROR of the persistent fault; for a retryable fault its
#            transient variant must return the rows), or "rows"; a dict gives it per operation.
# Retryable faults: "x1" (times 1) -> the rows after one more request than a clean run;
#                   "always"        -> ERROR with that SQLSTATE after 1 + MAX_RETRIES attempts,
#                                      and the message or detail says "4 attempts".
# Other faults (run "always"): never retried -> 1 attempt.
# ------------------------------------------------------------------------------------------
NA = "rows (n/a)"          # the fault changes nothing this query reads: the rows, as clean
EXPECTED = [
    ("429", {"status": 429, "error_type": "ThrottlingException", "message": "Rate exceeded"}, True, "53400"),
    ("429+RetryAfter1", {"status": 429, "error_type": "ThrottlingException", "message": "Rate exceeded",
                         "retry_after": "1"}, True, "53400"),
    ("500", {"status": 500, "error_type": "InternalServerException", "message": "Internal failure"}, True, "HV000"),
    ("502", {"status": 502, "message": "Bad Gateway"}, True, "HV000"),
    ("503", {"status": 503, "error_type": "ServiceUnavailableException", "message": "Service unavailable"},
     True, "HV000"),
    ("504", {"status": 504, "message": "Gateway Timeout"}, True, "HV000"),
    ("400", {"status": 400, "error_type": "ValidationException", "message": "1 validation error detected"},
     False, "22023"),
    ("403", {"status": 403, "error_type": "AccessDeniedException",
             "message": "User is not authorized to perform this action"}, False, "42501"),
    ("404", {"status": 404, "error_type": "ResourceNotFoundException", "message": "Could not find it"},
     False, "42704"),
    ("reset", {"action": "reset"}, True, "08001"),
    ("stall_headers", {"action": "stall_headers", "delay": STALL}, True, "08001"),
    ("stall_body", {"action": "stall_body", "delay": STALL}, True, "08001"),
    ("truncate", {"action": "truncate"}, True, "08001"),
    ("huge", {"action": "huge"}, False, "54000"),
    ("garbage", {"action": "garbage"}, False, "22032"),
    ("non_utf8", {"action": "non_utf8"}, False, "22032"),
    ("deep", {"action": "deep"}, False, "22032"),
    # ListTagsForResource and Get have no nextToken: the emulator answers them normally
    ("repeat_token", {"action": "repeat_token"}, False, {"List": "HV000", "Get": NA, "Tags": NA}),
    # an unknown status is passed through as text (List shows "Exploding"); Get's status and
    # Tags are not read by these queries (List values win)
    ("unknown_status", {"action": "unknown_status"}, False, {"List": "rows", "Get": NA, "Tags": NA}),
    # Get's creationTime is never converted (List values win); Tags has no timestamp
    ("bad_timestamp", {"action": "bad_timestamp"}, False, {"List": "22007", "Get": NA, "Tags": NA}),
    ("html_502", {"status": 502, "body": HTML_502, "content_type": "text/html"}, True, "HV000"),
]
MIN_TIME = {("429+RetryAfter1", "x1"): 1.0, ("429+RetryAfter1", "always"): 3.0}


class Case:
    def __init__(self, name, op, variant, rule, expect, attempts, note="", region=None, server=None,
                 query=None, msg_re=None, warn_re=None, contains=None, min_time=0.0, rows=None):
        self.name, self.op, self.variant, self.rule = name, op, variant, rule
        self.expect = expect            # "rows" or a SQLSTATE
        self.attempts = attempts        # callable(base attempts) -> expected, or an int
        self.note = note
        self.region, self.server, self.query = region, server, query
        self.msg_re, self.warn_re, self.contains = msg_re, warn_re, contains
        self.min_time = min_time
        self.rows = rows                # expected row count, or None for the clean run's
        self.result = None

    @property
    def label(self):
        return "%s %s" % (self.name, self.variant)


def build_cases():
    cases = []
    for name, rule, retryable, outcome in EXPECTED:
        for op in OPS:
            out = outcome[op] if isinstance(outcome, dict) else outcome
            if retryable:
                cases.append(Case(name, op, "x1", dict(rule, times=1), "rows", lambda b: b + 1,
                                  min_time=MIN_TIME.get((name, "x1"), 0.0)))
                cases.append(Case(name, op, "always", dict(rule), out, 1 + MAX_RETRIES,
                                  msg_re=r"\b%d attempts\b" % (1 + MAX_RETRIES),
                                  min_time=MIN_TIME.get((name, "always"), 0.0)))
            elif out == NA:
                cases.append(Case(name, op, "always", dict(rule), "rows", lambda b: b, note="n/a"))
            elif out == "rows":
                cases.append(Case(name, op, "always", dict(rule), "rows", lambda b: b,
                                  contains="Exploding" if name == "unknown_status" else None))
            else:
                cases.append(Case(name, op, "always", dict(rule), out,
                                  2 if name == "repeat_token" else 1))
    return cases


def solo_cases():
    """Cases that need particular regions: run alone, after the matrix."""
    two = "SELECT job_name, region FROM {s}.bedrock_jobs"
    out = [
        Case("500 on page 3", "List", "x1", {"status": 500, "after": 2, "times": 1}, "rows", lambda b: b + 1,
             region="us-east-1", server="fm_us_east_1"),
        Case("us-west-2 reset", "List", "always", {"action": "reset", "region": "us-west-2"}, "08001",
             1 + MAX_RETRIES, region="us-west-2", server="fm_two", query=two, msg_re=r"us-west-2",
             rows=None),
        Case("us-west-2 503", "List", "always", {"status": 503, "region": "us-west-2",
                                                  "error_type": "ServiceUnavailableException"},
             "HV000", 1 + MAX_RETRIES, region="us-west-2", server="fm_two", query=two, msg_re=r"us-west-2"),
        Case("us-west-2 reset, skip", "List", "always", {"action": "reset", "region": "us-west-2"}, "rows",
             1 + MAX_RETRIES, region="us-west-2", server="fm_two_skip", query=two, warn_re=r"us-west-2",
             rows="us-east-1"),
        Case("us-west-2 stall, skip", "List", "always",
             {"action": "stall_headers", "delay": STALL, "region": "us-west-2"}, "rows",
             1 + MAX_RETRIES, region="us-west-2", server="fm_two_skip", query=two, warn_re=r"us-west-2",
             rows="us-east-1"),
        Case("no fault, skip", "List", "always", None, "rows", None, region="us-west-2",
             server="fm_two_skip", query=two, rows="both"),
    ]
    return out


# ------------------------------------------------------------------------------------------
# emulator control and psql
# ------------------------------------------------------------------------------------------
def ctl(method, path, doc=None):
    conn = http.client.HTTPConnection("127.0.0.1", EMU_PORT, timeout=30)
    try:
        body = json.dumps(doc).encode() if doc is not None else (b"" if method == "POST" else None)
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        if r.status >= 300:
            raise RuntimeError("emulator %s %s: HTTP %d %s" % (method, path, r.status, data[:300]))
        return json.loads(data) if data else None
    finally:
        conn.close()


ERR_RE = re.compile(r"^(?:psql:[^\n]*?: )?(ERROR|WARNING|FATAL|PANIC):\s+(?:([0-9A-Z]{5}): )?(.*)$")


def psql(sql, timeout=STATEMENT_TIMEOUT_MS / 1000 + 30):
    env = dict(os.environ, PGOPTIONS="-c statement_timeout=%d" % STATEMENT_TIMEOUT_MS)
    t0 = time.monotonic()
    p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1",
                        "-c", r"\set VERBOSITY verbose", "-c", sql],
                       capture_output=True, timeout=timeout, env=env)
    secs = time.monotonic() - t0
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    res = {"secs": secs, "rc": p.returncode, "stdout": out, "stderr": err,
           "rows": [l for l in out.split("\n") if l != ""], "error": None, "warnings": []}
    for line in err.split("\n"):
        m = ERR_RE.match(line)
        if not m:
            continue
        if m.group(1) == "WARNING":
            res["warnings"].append((m.group(2), m.group(3)))
        elif res["error"] is None:
            res["error"] = (m.group(2) or "?????", m.group(3))
    if p.returncode != 0 and res["error"] is None:
        res["error"] = ("?????", (err.strip().split("\n") or ["psql failed"])[0])
    return res


def psql_ok(sql):
    r = psql(sql)
    if r["rc"] != 0:
        raise RuntimeError("setup failed: %s\n%s" % (sql, r["stderr"]))
    return r


def schema(server):
    return server


def setup():
    """Servers: one per region, two-region ones for the partial failures.  Returns notes."""
    notes = []
    endpoint = "http://127.0.0.1:%d" % EMU_PORT
    psql_ok("CREATE EXTENSION IF NOT EXISTS bedrock_fdw")

    def server(name, regions, extra=""):
        sql = ("CREATE SERVER {n} FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions '{r}', endpoint '{e}', "
               "connect_timeout '{ct}', request_timeout '{rt}'{x});"
               "CREATE USER MAPPING FOR CURRENT_USER SERVER {n} OPTIONS (access_key_id '{k}', "
               "secret_access_key '{sk}');"
               "CREATE SCHEMA {n}; IMPORT FOREIGN SCHEMA bedrock FROM SERVER {n} INTO {n};").format(
            n=name, r=regions, e=endpoint, ct=CONNECT_TIMEOUT, rt=REQUEST_TIMEOUT, x=extra, k=KEY, sk=SECRET)
        r = psql(sql)
        if r["rc"] != 0:
            return "server %s: %s" % (name, r["error"][1] if r["error"] else r["stderr"].strip())
        return None
    for region in REGIONS:
        e = server("fm_" + region.replace("-", "_"), region)
        if e:
            raise RuntimeError(e)
    e = server("fm_two", "us-east-1,us-west-2")
    if e:
        raise RuntimeError(e)
    e = server("fm_two_skip", "us-east-1,us-west-2", ", skip_unavailable_regions 'true'")
    if e:
        notes.append(e)
    return notes


def query_for(case):
    srv = case.server or "fm_" + case.region.replace("-", "_")
    q = case.query or OPS[case.op][1]
    return q.format(s=schema(srv), one=ONE_JOB_STATUS.get(case.region, "Stopping"))


def count_attempts(log, case):
    """(requests of the case's operation in its region, how many of them were libcurl's own
    silent re-sends, bytes of a streamed body the client read before hanging up or None).
    libcurl re-sends a request at once, on a new connection, when a reused keep-alive
    connection dies before any byte of the answer: the FDW does not see (nor count) that."""
    op = OPS[case.op][0]
    mine = [e for e in log if e.get("operation") == op and e.get("region") == case.region]
    first_seq = {}
    for e in log:
        first_seq.setdefault(e.get("conn"), e["seq"])
    hidden = 0
    for prev, e in zip(mine, mine[1:]):
        reused = first_seq.get(prev.get("conn")) != prev["seq"]
        if (prev.get("action") == "reset" and reused and e.get("conn") != prev.get("conn")
                and e["time"] - prev["time"] < 0.05):
            hidden += 1
    sent = [e["sent"] for e in mine if e.get("hung_up")]
    return len(mine), hidden, (max(sent) if sent else None)


# ------------------------------------------------------------------------------------------
def baseline():
    """Rows and requests per (region, operation) of a clean run."""
    base = {}
    ctl("POST", "/_emulator/reset")
    for region in REGIONS:
        for op in OPS:
            c = Case("clean", op, "", None, "rows", None, region=region)
            ctl("POST", "/_emulator/reset")
            r = psql(query_for(c))
            if r["rc"] != 0 or not r["rows"]:
                raise RuntimeError("clean run failed (%s, %s): %s" % (region, op, r["stderr"].strip()))
            base[(region, op)] = (len(r["rows"]), count_attempts(ctl("GET", "/_emulator/requests"), c)[0])
    two = "SELECT job_name, region FROM fm_two.bedrock_jobs"
    ctl("POST", "/_emulator/reset")
    r = psql(two)
    if r["rc"] != 0:
        raise RuntimeError("clean run failed (fm_two): %s" % r["stderr"].strip())
    base["both"] = len(r["rows"])
    return base


def run_round(cases):
    """Run cases at once, each in its own region; fills case.result."""
    rules = []
    for c in cases:
        if c.rule is not None:
            rules.append(dict(c.rule, operation=OPS[c.op][0],
                              **({} if "region" in c.rule else {"region": c.region})))
    ctl("POST", "/_emulator/reset")
    ctl("POST", "/_emulator/faults", rules)
    results = {}

    def one(c):
        try:
            results[id(c)] = psql(query_for(c))
        except Exception as e:  # timeout of psql itself
            results[id(c)] = {"secs": 0, "rc": -1, "rows": [], "warnings": [], "stderr": str(e),
                              "error": ("?????", "psql: %s" % e)}
    threads = [threading.Thread(target=one, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log = ctl("GET", "/_emulator/requests")
    ctl("POST", "/_emulator/faults", [])
    for c in cases:
        c.result = results[id(c)]
        c.result["attempts"], c.result["hidden"], c.result["sent"] = count_attempts(log, c)


def judge(case, base):
    r = case.result
    if case.rows == "us-east-1":
        want_rows = base[("us-east-1", "List")][0]
    elif case.rows == "both":
        want_rows = base["both"]
    else:
        want_rows = base.get((case.region, case.op), (None, None))[0]
    base_att = base.get((case.region, case.op), (None, 0))[1]
    if callable(case.attempts):
        want_att = case.attempts(base_att)
    else:
        want_att = case.attempts
    problems = []
    if case.expect == "rows":
        exp = "%s rows" % want_rows
        if r["error"]:
            problems.append("error")
        elif len(r["rows"]) != want_rows:
            problems.append("row count")
        if case.contains and case.contains not in r["stdout"]:
            problems.append("no %r in the rows" % case.contains)
        if case.warn_re and not any(re.search(case.warn_re, w[1]) for w in r["warnings"]):
            problems.append("no WARNING naming it")
    else:
        exp = "ERROR %s" % case.expect
        if not r["error"]:
            problems.append("no error")
        elif r["error"][0] != case.expect:
            problems.append("SQLSTATE")
        elif case.msg_re and not re.search(case.msg_re, r["stderr"]):
            problems.append("message lacks /%s/" % case.msg_re)
    if want_att is not None:
        # the FDW's own attempts: libcurl's silent re-send on a dead reused
        # connection is shown beside the count, not held against the FDW
        exp += ", %d req" % want_att
        # (when curl's re-send got through, it stood in for the FDW's retry)
        if (r["attempts"] - r["hidden"] != want_att and
                not (r["hidden"] and r["attempts"] == want_att)):
            problems.append("attempts")
    if case.min_time:
        exp += ", >=%gs" % case.min_time
        if r["secs"] < case.min_time:
            problems.append("too fast")
    if case.note:
        exp += " (%s)" % case.note
    if r["error"]:
        outcome = "ERROR %s: %s" % (r["error"][0], r["error"][1])
    else:
        outcome = "%d rows" % len(r["rows"])
        if r["warnings"]:
            outcome += " + WARNING %s: %s" % r["warnings"][0]
    if r.get("sent") is not None:
        outcome = "[read %.1f MiB] %s" % (r["sent"] / 1048576.0, outcome)
    return exp, outcome, problems


def clip(s, n):
    s = "".join(ch if ch.isprintable() else "?" for ch in s)
    return s if len(s) <= n else s[:n - 3] + "..."


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default=None)
    ap.add_argument("--jobs", type=int, default=3, choices=[1, 2, 3])
    ap.add_argument("--width", type=int, default=110, help="outcome column width")
    a = ap.parse_args()
    if not EMU_PORT:
        sys.exit("fault_matrix.py: EMU_PORT is not set (run bench/fault_matrix.sh)")
    t_start = time.monotonic()
    notes = setup()
    base = baseline()
    cases = build_cases()
    solos = solo_cases()
    if a.only:
        cases = [c for c in cases if a.only in c.label or a.only == c.op]
        solos = [c for c in solos if a.only in c.label]

    # rounds of up to --jobs cases, one per region; slow cases together
    def cost(c):
        slow = c.rule and c.rule.get("action", "").startswith("stall")
        return (0 if slow and c.variant == "always" else 1 if slow or "RetryAfter" in c.name else 2)
    order = sorted(range(len(cases)), key=lambda i: (cost(cases[i]), i))
    rounds = [[cases[i] for i in order[k:k + a.jobs]] for k in range(0, len(order), a.jobs)]
    for n, rnd in enumerate(rounds):
        for c, region in zip(rnd, REGIONS):
            c.region = region
        if sys.stderr.isatty():
            sys.stderr.write("\rround %d/%d" % (n + 1, len(rounds)))
            sys.stderr.flush()
        run_round(rnd)
    for c in solos:
        run_round([c])
    if sys.stderr.isatty():
        sys.stderr.write("\r" + " " * 30 + "\r")

    rows = []
    passed = failed = 0
    for c in cases + solos:
        exp, outcome, problems = judge(c, base)
        ok = not problems
        passed += ok
        failed += not ok
        att = str(c.result["attempts"])
        if c.result["hidden"]:
            att += " (%d by curl)" % c.result["hidden"]
        rows.append((c.label, c.op, c.region, exp, clip(outcome, a.width), att,
                     "%.2fs" % c.result["secs"], "OK" if ok else "MISMATCH (%s)" % ", ".join(problems)))
    head = ("fault", "operation", "region", "expected", "outcome", "attempts", "time", "result")
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    fmt = " | ".join("%%-%ds" % w for w in widths[:-1]) + " | %s"
    print(fmt % head)
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(fmt % r)
    print()
    print("clean runs (rows, requests of the operation): " + ", ".join(
        "%s/%s %d/%d" % (k[0], k[1], v[0], v[1]) for k, v in sorted(i for i in base.items() if isinstance(i[0], tuple))))
    for n in notes:
        print("note: " + n)
    print("total time %.0fs" % (time.monotonic() - t_start))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
