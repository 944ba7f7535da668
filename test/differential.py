#!/usr/bin/env python3
"""differential.py: generated queries proving that pushdown never changes a result.

The rule of bedrock_fdw: a query returns exactly the rows of a full scan filtered by PostgreSQL;
pushdown only decides which API calls fetch them.  This harness generates random queries on
bedrock_jobs (region, status, job_arn, job_name, LIKE, creation_time ranges, ORDER BY
creation_time, LIMIT/OFFSET, ANDs, ORs and NOTs of them, with values as constants, parameters of a
generic plan and stable expressions, NULLs, empty arrays, duplicates, wrong case and values outside
the API's enums and patterns) and runs each one twice, in two psql sessions: one with
bedrock_fdw.pushdown on, one with it off (every scan lists every job of every region).  For each
query it checks that
  * the rows are the same: as lists when the ORDER BY fully determines the order (creation times,
    ARNs and (job_name, region) are unique, checked at start), else as multisets; with LIMIT or
    OFFSET but no total order, each run's rows must be a sub-multiset, of the size LIMIT and
    OFFSET ask for, of the unlimited result of the same WHERE (computed with pushdown off);
  * the pushdown run makes no more Bedrock API requests (ListModelCustomizationJobs,
    GetModelCustomizationJob, ListTagsForResource, counted from the emulator's request log) than
    the run with pushdown off, plus its fan-out: a run with S List sequences and lookups (first
    List pages, and Gets by name or before any List) may make S - R more, R being the regions
    the full scan lists.  That bound holds for every account: splitting a region's listing into
    k filtered sequences adds at most one partial page each (sum of ceil(n_i/P) <= ceil(n/P) +
    k - 1), a lookup Get costs one request, and listed jobs that cannot match get no per-job
    call.  So a single value (status = x, job_name = x) never costs more than the full scan,
    while IN lists of k values, one call per value and region, may on a small account.  With
    a LIMIT, PostgreSQL may stop reading at any row while pages and per-row calls are in
    flight (the scan prefetches), so there the full scan is that of the same WHERE without
    the LIMIT;
  * the run with pushdown off is a full scan: its List calls send no filter, and a scan without
    LIMIT lists every configured region.

Then every other table of the catalog (test/catalog_dump, one descriptor per resource), with no
per-table code: DIFF_TABLE_QUERIES queries each, drawn from the table's roles and the fixtures
of its resource (the emulator's "resources"): region; the status filter's column (fixture
values, the descriptor's enum, values outside it and of the wrong case); the ARN and id columns
(real values, well-formed unknown ones, other tables' ARNs, malformed ones, NULL); each equals
filter's column; LIKE on the contains column; ranges on the time column; equalities on text
columns no filter pushes; filters only PostgreSQL applies (tags, Get columns, ...); ANDs, ORs
and NOTs of them, as constants, parameters and stable expressions; a random subset of columns,
sometimes Get columns (per-row Gets) and tags; ORDER BY the sort (or time) column, the ARN or
(id, region), with LIMIT/OFFSET.  The orders called total are checked against the full scan at
start.  The checks are the jobs' above, counted on that table's List and Get operations and
ListTagsForResource; a full scan of an unpaginated List (ListFoundationModels) sends no
parameter at all.  The tables' columns must be the catalog's (IMPORT FOREIGN SCHEMA made them).

Run by test/differential.sh, which starts the emulator and PostgreSQL, creates the tables and
builds test/catalog_dump.
Environment: PGHOST, PGPORT, PGUSER (for psql), EMU_PORT (the emulator's control API);
    DIFF_SEED     seed (default DEFAULT_SEED); bedrock_jobs query i draws from
                  Random("SEED:i"), query i of another table from Random("SEED:TABLE:i")
    DIFF_QUERIES  number of bedrock_jobs queries (default 500)
    DIFF_TABLE_QUERIES  number of queries for each other table (default DEFAULT_TABLE_QUERIES)
    DIFF_TABLES   comma-separated tables to run (default: all)
    DIFF_ONLY     comma-separated queries to run alone (to reproduce a failure): N for
                  bedrock_jobs query N, TABLE:N for another table's
    DIFF_VERBOSE  1: print every query with its row and request counts
Exit status 0 when every query passed, 1 when some failed, 2 when the harness could not start.
"""

import collections
import datetime as dt
import http.client
import json
import os
import random
import subprocess
import sys
import time

DEFAULT_SEED = 20250611
DEFAULT_QUERIES = 500
HERE = os.path.dirname(os.path.abspath(__file__))

REGIONS = ["us-east-1", "us-west-2", "eu-west-1"]          # the server's regions option
API_OPS = ("ListModelCustomizationJobs", "GetModelCustomizationJob", "ListTagsForResource")
OP_ABBREV = {"ListModelCustomizationJobs": "List", "GetModelCustomizationJob": "Get",
             "ListTagsForResource": "Tags"}
FULL_SCAN_PARAMS = {"maxResults", "nextToken"}              # all a List without pushdown sends
SPECIAL_NAMES = ["ho-5", "queued-ft-pending", "legacy_ft_7"]  # jobs beyond the service model

# psql's unaligned output: fields, records, NULLs, and the end-of-statement marker
FS, RS, NULL_OUT = "\x1f", "\x1e", "\x02NULL"
MARK, END = "\x1d", "\x1c"


# ------------------------------------------------------------------------------------------
# Fixtures: the emulator's jobs, and the values the generators draw from
# ------------------------------------------------------------------------------------------
def parse_time(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def dump_fixtures():
    out = subprocess.run([sys.executable, os.path.join(HERE, "emulator.py"), "--dump-fixtures"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def load_fixtures(data=None):
    data = data if data is not None else dump_fixtures()
    jobs = []
    for j in data["jobs"]:
        s = j["summary"]
        jobs.append({"region": j["region"], "name": s["jobName"], "status": s["status"],
                     "arn": s["jobArn"], "ctime": parse_time(s["creationTime"]),
                     "tags": ["%s:%s" % (t["key"], t["value"]) for t in j["tags"]]})
    return data["account"], jobs


class Pools:
    """Realistic values (from the fixtures) and edge values, the three special jobs often."""

    def __init__(self, account, jobs):
        self.jobs = jobs
        self.special = [j for j in jobs if j["name"] in SPECIAL_NAMES]
        if len(self.special) != len(SPECIAL_NAMES):
            raise SystemExit("differential: the fixtures lack some of %s" % SPECIAL_NAMES)
        names = collections.Counter(j["name"] for j in jobs)
        self.names = sorted(names)
        self.dup_names = [n for n, c in names.items() if c > 1]   # one name in two regions
        self.arns = [j["arn"] for j in jobs]
        self.statuses = ["InProgress", "Completed", "Failed", "Stopping", "Stopped"]
        self.tags = sorted({t for j in jobs for t in j["tags"]})
        self.account = account

    def job(self, r):
        return r.choice(self.special) if r.random() < 0.35 else r.choice(self.jobs)

    def region(self, r):
        return pick(r, REGIONS, odd=["US-EAST-1", "Us-West-2", "ap-southeast-2", "us-east-2",
                                     "eu-west-1 ", "", None, "mars-north-1"])

    def status(self, r):
        return pick(r, self.statuses, special=["Pending", "Failed", "Completed"],
                    odd=["Pending", "Running", "failed", "COMPLETED", "inprogress", "", None,
                         "Failed "])

    def name(self, r):
        return pick(r, self.names, special=SPECIAL_NAMES + self.dup_names,
                    odd=["no such job!", "other_job", "legacy ft 7", "LEGACY_FT_7", "Ho-5",
                         "ho_5", "legacy_ft_8", "queued ft pending", "", None, "x" * 64,
                         "o'brien", "caf\u00e9", "ho-5 ", "%", "legacy_ft_%", "ho-6"])

    def arn(self, r):
        return pick(r, self.arns, special=[j["arn"] for j in self.special],
                    odd=[self._odd_arn] * 4 + ["not-an-arn", "not-an-arn", "", None], p_odd=0.35)

    def _odd_arn(self, r):
        """An ARN-like value no job has, or one no configured region serves."""
        j = self.job(r)
        prefix = "arn:aws:bedrock:%s:%s:model-customization-job/"
        forms = [
            j["arn"].replace(j["region"], r.choice([x for x in REGIONS if x != j["region"]])),
            j["arn"].replace(j["region"], r.choice(["ap-south-1", "eu-central-1"])),
            j["arn"].replace(self.account, "210987654321"),
            j["arn"].upper(),
            j["arn"] + "/",
            j["arn"] + " ",
            (prefix % ("us-west-2", self.account)) + "ho-6",
            (prefix % ("us-east-1", self.account)) + "ho-5",
            (prefix % ("us-west-2", self.account)) + "legacy_ft_7",
            (prefix % ("us-east-1", self.account)) + "legacy ft 7",
            (prefix % ("us-west-2", self.account)) + "amazon.titan-text-express-v1:0:8k/zzzzzzzzzzzz",
            (prefix % ("ap-south-1", self.account)) + "m/abcdefabcdef",
            (prefix % ("us-east-1", self.account)) + "FOO/bar",
            "arn:aws:bedrock:us-east-1:%s:custom-model/amazon.titan-text-express-v1:0:8k/k2j9qt6srmmd"
            % self.account,
        ]
        return r.choice(forms)

    def time(self, r):
        """A creation_time bound: a datetime (often a job's exact time, or just beside it), an
        infinity ('infinity', '-infinity') or None."""
        x = r.random()
        if x < 0.05:
            return None
        if x < 0.09:
            return r.choice(["infinity", "-infinity", dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc),
                             dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc)])
        if x < 0.25:
            lo = dt.datetime(2023, 12, 1, tzinfo=dt.timezone.utc)
            return lo + dt.timedelta(seconds=r.randint(0, 86400 * 620), milliseconds=r.randint(0, 999))
        t = self.job(r)["ctime"]
        return t + r.choice([dt.timedelta(0)] * 6 + [
            dt.timedelta(milliseconds=1), dt.timedelta(milliseconds=-1),
            dt.timedelta(microseconds=1), dt.timedelta(microseconds=-1),
            dt.timedelta(microseconds=500), dt.timedelta(seconds=1), dt.timedelta(seconds=-1),
            dt.timedelta(milliseconds=500), dt.timedelta(milliseconds=-500),
            dt.timedelta(days=r.randint(-40, 40))])

    def like(self, r):
        """A LIKE pattern, mostly built from a job's name."""
        name = self.job(r)["name"]
        i = r.randint(0, len(name) - 1)
        k = r.randint(1, len(name) - i)
        forms = [
            name[:k] + "%", "%" + name[-k:], "%" + name[i:i + k] + "%", name,
            name[:i] + "_" + name[i + 1:],                        # a '_' wildcard
            name.replace("-", "\\-").replace("_", "\\_") + "%",   # escapes
            name.upper() + "%", name[:k] + "%" + name[-1:],
        ]
        return r.choice(forms) if r.random() < 0.8 else r.choice(
            ["%", "", "%%", "_%", "ho-%", "%-5", "legacy_ft_%", "legacy\\_ft\\_7", "%pending",
             "queued%", "%-ft-00_", "%distill%", "llama3.1-ft+v_", "caf\u00e9%", "%_%", "o''%"])


def pick(r, common, special=(), odd=(), p_special=0.3, p_odd=0.25):
    x = r.random()
    if special and x < p_special:
        v = r.choice(special)
    elif odd and x < p_special + p_odd:
        v = r.choice(odd)
    else:
        v = r.choice(common)
    return v(r) if callable(v) else v


# ------------------------------------------------------------------------------------------
# Values in SQL: a constant, a parameter ($n of a prepared statement) or a stable expression
# ------------------------------------------------------------------------------------------
def q(s):
    return "'" + s.replace("'", "''") + "'"


def text_const(v):
    return "NULL" if v is None else q(v)


def array_text(vals):
    """The text form of a text[] ('{"a",NULL}')."""
    def elem(x):
        return "NULL" if x is None else '"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "{" + ",".join(elem(x) for x in vals) + "}"


def ts_text(t, r):
    """A timestamptz literal's text, in one of several spellings of the same instant."""
    if isinstance(t, str):
        return t
    spelled = r.choice([
        lambda: t.strftime("%Y-%m-%d %H:%M:%S.%f+00"),
        lambda: t.isoformat().replace("+00:00", "Z"),
        lambda: t.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30))).isoformat(),
        lambda: t.astimezone(dt.timezone(dt.timedelta(hours=-8))).strftime("%Y-%m-%d %H:%M:%S.%f-08"),
    ])
    return spelled()


class Binder:
    """Puts the values of one query into its SQL, each as a constant, a parameter or a stable
    expression (weights per query), and collects what that takes: parameter types and values,
    SET statements and rows of the temp table diff_names."""

    MODES = ("const", "param", "stable")

    def __init__(self, r, weights):
        self.r = r
        self.weights = weights
        self.ptypes, self.pvalues = [], []
        self.settings = []        # SET diff.vN = ...
        self.names = []           # (k, n) rows of diff_names
        self.used = collections.Counter()
        self.counter = 0

    def _mode(self):
        m = self.r.choices(self.MODES, self.weights)[0]
        self.used[m] += 1
        return m

    def _param(self, typ, literal):
        self.ptypes.append(typ)
        self.pvalues.append(literal)
        return "$%d" % len(self.ptypes)

    def _setting(self, value):
        self.counter += 1
        name = "diff.v%d" % self.counter
        self.settings.append("SET %s = %s" % (name, q(value)))
        return "current_setting('%s')" % name

    def text(self, v):
        mode, r = self._mode(), self.r
        if mode == "const":
            return text_const(v)
        if mode == "param":
            return self._param("text", text_const(v))
        forms = ["subselect"]
        if v is None:
            forms += ["unset"]
        else:
            forms += ["setting", "setting"]
            if v:
                forms += ["concat"]
            if v and v == v.lower() != v.upper():
                forms += ["lower", "lower"]
        form = r.choice(forms)
        if form == "unset":
            return "current_setting('diff.unset', true)"
        if form == "subselect":
            return "(SELECT %s::text)" % text_const(v)
        if form == "setting":
            return self._setting(v)
        if form == "concat":
            i = r.randint(0, len(v))
            return "concat(%s, %s)" % (q(v[:i]), q(v[i:]))
        return "lower(%s)" % q(v.upper())

    def ts(self, t):
        mode, r = self._mode(), self.r
        if mode == "const":
            if t is None:
                return r.choice(["NULL", "NULL::timestamptz"])
            return r.choice(["%s", "%s::timestamptz", "TIMESTAMPTZ %s"]) % q(ts_text(t, r))
        if mode == "param":
            return self._param("timestamptz", "NULL" if t is None else q(ts_text(t, r)))
        if t is None:
            return "(SELECT NULL::timestamptz)"
        if isinstance(t, dt.datetime) and r.random() < 0.6:
            days = r.choice([1, 30, 365])
            if r.random() < 0.5:
                return "(%s::timestamptz - interval '%d days')" % (
                    q(ts_text(t + dt.timedelta(days=days), r)), days)
            return "(%s::timestamptz + interval '%d days')" % (
                q(ts_text(t - dt.timedelta(days=days), r)), days)
        if r.random() < 0.5:
            return "%s::timestamptz" % self._setting(ts_text(t, r))
        return "(SELECT %s::timestamptz)" % q(ts_text(t, r))

    def text_array(self, vals):
        mode, r = self._mode(), self.r
        if mode == "const":
            if vals and r.random() < 0.5:
                return "ARRAY[%s]" % ", ".join(text_const(v) for v in vals)
            return r.choice(["%s::text[]", "CAST(%s AS text[])"]) % q(array_text(vals))
        if mode == "param":
            return self._param("text[]", q(array_text(vals)))
        form = r.choice(["names", "names", "split"] + (["elements"] if vals else []))
        if form == "names":        # an InitPlan: array_agg of no rows is NULL, ARRAY() is '{}'
            self.counter += 1
            self.names += [(self.counter, v) for v in vals]
            if r.random() < 0.5:
                return "(SELECT array_agg(n) FROM diff_names WHERE k = %d)::text[]" % self.counter
            return "ARRAY(SELECT n FROM diff_names WHERE k = %d)" % self.counter
        if form == "split" and all(v is None or ("," not in v and v != "<null>") for v in vals):
            joined = ",".join("<null>" if v is None else v for v in vals)
            return "string_to_array(%s, ',', '<null>')" % self._setting(joined)
        return "ARRAY[%s]" % ", ".join(self.text(v) for v in vals)

    def bigint(self, n):
        mode, r = self._mode(), self.r
        if mode == "const":
            return "NULL" if n is None else str(n)
        if mode == "param":
            return self._param("bigint", "NULL" if n is None else str(n))
        if n is None:
            return "(SELECT NULL::bigint)"
        if r.random() < 0.5:
            return "%s::bigint" % self._setting(str(n))
        return "(SELECT %d)" % n

    def setup(self):
        """The statements to run before the query (in both sessions)."""
        stmts = list(self.settings)
        if self.names:
            stmts.append("TRUNCATE diff_names")
            stmts.append("INSERT INTO diff_names VALUES " + ", ".join(
                "(%d, %s)" % (k, text_const(n)) for k, n in self.names))
        return stmts


# ------------------------------------------------------------------------------------------
# Predicate generators: one small function each, picked by weight
# ------------------------------------------------------------------------------------------
def membership(r, b, col, draw):
    """col = x, x = col, col IN (...) (duplicates, NULLs) or col = ANY (array, maybe empty)."""
    form = r.choice(["eq", "eq", "rev", "in", "in", "any", "any"])
    if form == "eq":
        return "%s = %s" % (col, b.text(draw(r)))
    if form == "rev":
        return "%s = %s" % (b.text(draw(r)), col)
    vals = [draw(r) for _ in range(r.randint(1 if form == "in" else 0, 4))]
    if vals and r.random() < 0.25:
        vals.append(vals[0])                                 # a duplicate
    if form == "in":
        return "%s IN (%s)" % (col, ", ".join(b.text(v) for v in vals))
    return "%s = ANY (%s)" % (col, b.text_array(vals))


def p_region(r, b, pools):
    return membership(r, b, "region", pools.region)


def p_status(r, b, pools):
    return membership(r, b, "status", pools.status)


def p_job_arn(r, b, pools):
    return membership(r, b, "job_arn", pools.arn)


def p_job_name(r, b, pools):
    return membership(r, b, "job_name", pools.name)


def p_name_like(r, b, pools):
    op = r.choices(["LIKE", "~~", "NOT LIKE", "ILIKE"], [7, 1, 1, 1])[0]
    return "job_name %s %s" % (op, b.text(pools.like(r)))


def p_creation_time(r, b, pools):
    op = r.choice(["<", "<=", ">", ">="])
    if r.random() < 0.3:
        return "%s %s creation_time" % (b.ts(pools.time(r)), op)
    return "creation_time %s %s" % (op, b.ts(pools.time(r)))


def p_time_range(r, b, pools):
    lo, hi = pools.time(r), pools.time(r)
    if r.random() < 0.5:
        return "creation_time BETWEEN %s AND %s" % (b.ts(lo), b.ts(hi))
    return "creation_time %s %s AND creation_time %s %s" % (
        r.choice([">", ">="]), b.ts(lo), r.choice(["<", "<="]), b.ts(hi))


def p_unpushable(r, b, pools):
    """A filter only PostgreSQL can apply (some need Get or Tags columns)."""
    forms = [
        lambda: "status <> %s" % b.text(pools.status(r)),
        lambda: "upper(status) = 'FAILED'",
        lambda: "%s = ANY (tags)" % b.text(r.choice(pools.tags)),
        lambda: "tags @> ARRAY[%s]" % q(r.choice(pools.tags)),
        lambda: "failure_message IS NOT NULL",
        lambda: "customization_type = 'FINE_TUNING'",
        lambda: "job_arn LIKE '%/ho-5'",
        lambda: "region <> %s" % b.text(pools.region(r)),
        lambda: "job_name ~ '_'",
        lambda: "coalesce(end_time, creation_time) > %s" % b.ts(pools.time(r)),
        lambda: "status IS NULL",
        lambda: "job_name IS NOT NULL",
        lambda: "base_model_arn LIKE '%titan%'",
        lambda: "role_arn LIKE '%Support%'",
        lambda: "creation_time::date = %s" % q(pools.job(r)["ctime"].strftime("%Y-%m-%d")),
        lambda: "job_name <> region",
    ]
    return r.choice(forms)()


PREDICATES = [      # (weight, generator)
    (6, p_region),
    (7, p_status),
    (5, p_job_arn),
    (6, p_job_name),
    (4, p_name_like),
    (7, p_creation_time),
    (2, p_time_range),
    (3, p_unpushable),
]


def leaf(r, b, pools):
    gen = r.choices([g for _, g in PREDICATES], [w for w, _ in PREDICATES])[0]
    return gen(r, b, pools)


def term(r, b, pools):
    """A leaf, an OR of leaves or of ANDs, or a NOT."""
    x = r.random()
    if x < 0.16:
        parts = []
        for _ in range(r.randint(2, 3)):
            if r.random() < 0.3:
                parts.append("(%s AND %s)" % (leaf(r, b, pools), leaf(r, b, pools)))
            else:
                parts.append(leaf(r, b, pools))
        return "(%s)" % " OR ".join(parts)
    if x < 0.20:
        return "NOT (%s)" % leaf(r, b, pools)
    return leaf(r, b, pools)


def where_clause(r, b, pools):
    n = r.choices([0, 1, 2, 3, 4], [1, 5, 6, 3, 1])[0]
    terms = [term(r, b, pools) for _ in range(n)]
    return (" WHERE " + " AND ".join(terms)) if terms else ""


# ------------------------------------------------------------------------------------------
# Queries
# ------------------------------------------------------------------------------------------
SUMMARY_COLS = ["job_name", "status", "region", "job_arn", "creation_time", "base_model_arn"]
OTHER_LIST_COLS = ["account_id", "customization_type", "last_modified_time", "end_time",
                   "output_model_name", "status_details"]
GET_COLS = ["role_arn", "hyper_parameters", "failure_message", "output_model_kms_key_arn",
            "vpc_config", "validators", "client_request_token"]

SELECTS = [         # (weight, kind)
    (38, "summary"), (16, "get"), (10, "tags"), (5, "get+tags"), (3, "star"),
    (14, "count"), (6, "count-limit"), (4, "group"), (2, "constant"),
]

ORDERS = [          # (weight, ORDER BY, whether it fully determines the order)
    (40, None, False),
    (16, "creation_time", True), (16, "creation_time DESC", True),
    (2, "creation_time ASC NULLS FIRST", True), (2, "creation_time DESC NULLS LAST", True),
    (3, "creation_time, job_arn", True),
    (4, "job_name, region", True), (3, "job_arn DESC", True),
    (3, "status", False), (3, "region DESC", False),
]

VALUE_MODES = [     # (weight, weights of const/param/stable for each value)
    (35, (1, 0, 0)), (30, (1, 3, 0)), (25, (1, 0, 3)), (10, (1, 1, 1)),
]


class Query:
    """One generated query: what to run in each session, and how to compare the results."""

    def __init__(self, index, r, pools):
        self.index = index
        mode_weights = r.choices([m for _, m in VALUE_MODES], [w for w, _ in VALUE_MODES])[0]
        b = Binder(r, mode_weights)
        kind = r.choices([k for _, k in SELECTS], [w for w, _ in SELECTS])[0]
        cols = self._columns(r, kind)
        where = where_clause(r, b, pools)
        n_where_params = len(b.ptypes)
        order, total = (None, False)
        limit = offset = None        # the Python values
        limit_sql = ""
        if kind in ("summary", "get", "tags", "get+tags", "star", "constant", "count-limit"):
            _, order, total = r.choices(ORDERS, [w for w, _, _ in ORDERS])[0]
            with_limit = r.random() < (0.5 if order and order.startswith("creation_time") else 0.3)
            if kind == "count-limit":
                with_limit = True
            if with_limit:
                limit = r.choice([0, 1, 1, 2, 3, 3, 5, 7, 10, 40, None])
                if r.random() < 0.05:
                    limit_sql += " LIMIT ALL"
                    limit = None
                elif r.random() < 0.1 and limit is not None:
                    limit_sql += " FETCH FIRST (%s) ROWS ONLY" % b.bigint(limit)
                else:
                    limit_sql += " LIMIT %s" % b.bigint(limit)
            if r.random() < (0.3 if with_limit else 0.05):
                offset = r.choice([0, 1, 3, 6, 30])
                limit_sql += " OFFSET %s" % b.bigint(offset)
        order_sql = (" ORDER BY " + order) if order else ""

        base = "FROM bedrock_jobs" + where
        if kind == "count":
            body = "SELECT count(*) " + base
        elif kind == "count-limit":
            body = "SELECT count(*) FROM (SELECT 1 %s%s%s) s" % (base, order_sql, limit_sql)
        elif kind == "group":
            body = "SELECT region, status, count(*) %s GROUP BY region, status" % base
        else:
            body = "SELECT %s %s%s%s" % (cols, base, order_sql, limit_sql)

        self.limited = bool(limit_sql) and kind != "count-limit"
        self.limit, self.offset = limit, offset or 0
        if kind in ("count", "count-limit", "group"):
            self.compare = "multiset"
        elif total:
            self.compare = "ordered"
        elif self.limited:
            self.compare = "limited"
        else:
            self.compare = "multiset"
        self.kind = kind
        self.setup = b.setup()
        self.prepare, self.run = self._statement("p", body, b.ptypes, b.pvalues)
        # the same WHERE without ORDER BY, LIMIT and OFFSET (its parameters come first)
        self.ref_prepare, self.ref_run = self._statement(
            "p_ref", "SELECT %s %s" % (cols, base), b.ptypes[:n_where_params],
            b.pvalues[:n_where_params])
        self.uses_params = bool(b.ptypes)
        self.uses_stable = b.used["stable"] > 0

    @staticmethod
    def _columns(r, kind):
        if kind == "star":
            return "*"
        if kind == "constant":
            return "1 AS one"
        cols = r.sample(SUMMARY_COLS, r.randint(1, 4))
        if r.random() < 0.2:
            cols.append(r.choice(OTHER_LIST_COLS))
        if "get" in kind:
            cols += r.sample(GET_COLS, r.randint(1, 3))
        if "tags" in kind:
            cols.append("tags")
        r.shuffle(cols)
        return ", ".join(cols)

    @staticmethod
    def _statement(name, body, ptypes, pvalues):
        if not ptypes:
            return None, body
        return ("PREPARE %s(%s) AS %s" % (name, ", ".join(ptypes), body),
                "EXECUTE %s(%s)" % (name, ", ".join(pvalues)))

    def text(self):
        lines = ["setup:   " + s for s in self.setup]
        if self.prepare:
            lines.append("prepare: " + self.prepare)
        lines.append("query:   " + self.run)
        return lines


# ------------------------------------------------------------------------------------------
# Every other table of the catalog: queries generated from its roles (test/catalog_dump) and
# its fixtures (the emulator's "resources"), with no per-table code
# ------------------------------------------------------------------------------------------
DEFAULT_TABLE_QUERIES = 100
JOBS_TABLE = "bedrock_jobs"


class Spec:
    """The operations one table's queries are counted by, and what its full scan may send."""

    def __init__(self, list_op, get_op, paginated=True):
        self.list_op, self.get_op = list_op, get_op
        self.ops = (list_op, get_op, "ListTagsForResource")
        self.abbrev = {list_op: "List", get_op: "Get", "ListTagsForResource": "Tags"}
        # an unpaginated List (ListFoundationModels) sends no parameter at all without pushdown
        self.full_scan_params = FULL_SCAN_PARAMS if paginated else set()


JOBS_SPEC = Spec("ListModelCustomizationJobs", "GetModelCustomizationJob")


def load_catalog():
    path = os.path.join(HERE, "catalog_dump")
    try:
        out = subprocess.run([path], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit("differential: cannot run %s (make -s test/catalog_dump): %s" % (path, e))
    return json.loads(out)


def member(d, path):
    """The value at a (dotted) member path of a JSON object, or None."""
    for part in (path or "").split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(part)
    return d


def try_time(s):
    try:
        return parse_time(s) if isinstance(s, str) else None
    except ValueError:
        return None


def variants(v):
    """Values near v that no resource has (or only by chance): case, spaces, an edited end."""
    if not v:
        return ["x"]
    last = "z" if v[-1] != "z" else "y"
    return [v.upper(), v.lower(), v.swapcase(), v + " ", " " + v, v[:-1], v + "x",
            v[:-1] + last, v + "%"]


class Table:
    """One table of the catalog: its roles, columns and the values its generators draw from."""

    def __init__(self, res, records, account, all_arns):
        self.res = res
        self.name = res["table"]
        self.spec = Spec(res["list_op"], res["get_op"], res["paginated"])
        self.account = account
        self.columns = res["columns"]
        self.cols = {c["name"]: c for c in self.columns}
        self.records = []
        for rec in records:
            got = rec.get("get") or {}
            if res["get_wrapper"] and isinstance(got, dict):
                got = got.get(res["get_wrapper"]) or {}
            self.records.append({"region": rec["region"], "summary": rec.get("summary") or {},
                                 "get": got, "tags": rec.get("tags")})
        if not self.records:
            raise SystemExit("differential: the fixtures have no %s" % res["name"])
        # roles
        self.arn_col = (res["arn"] or {}).get("column") or res["arn_column"]
        self.id_col = (res["id"] or {}).get("column")
        self.status = res["status"]
        self.equals = list(res["equals"] or [])
        self.time_col = res["time_column"]
        self.contains_col = res["contains_column"]
        self.sort_col = res["sort_column"]
        self.order_col = self.sort_col or self.time_col     # the column ORDER BY favours
        self.taggable = bool(res["taggable"])
        for c in [self.arn_col, self.id_col, self.time_col, self.contains_col, self.sort_col] + \
                [(self.status or {}).get("column")] + [f["column"] for f in self.equals]:
            if c and c not in self.cols:
                raise SystemExit("differential: %s: role column %s is not a column" % (self.name, c))
        # columns by source
        self.list_cols = [c["name"] for c in self.columns if c["source"] == "list"]
        self.get_cols = [c["name"] for c in self.columns if c["source"] == "get"]
        self.tag_cols = [c["name"] for c in self.columns if c["source"] == "tags"]
        self.tag_list = next((c["name"] for c in self.columns if c["shape"] == "tag_list"), None)
        self.tag_map = next((c["name"] for c in self.columns if c["shape"] == "tag_map"), None)
        self.role_cols = [c for c in dict.fromkeys(
            ["region", self.arn_col, self.id_col, (self.status or {}).get("column"),
             self.time_col, self.contains_col] + [f["column"] for f in self.equals]) if c]
        # values
        self.arns = self.values(self.arn_col)
        self.all_arns = [a for a in all_arns if a not in self.arns]   # other tables' ARNs
        self.ids = self.values(self.id_col) if self.id_col else []
        self.statuses = self.values(self.status["column"]) if self.status else []
        self.times = sorted({try_time(self.value(r, self.time_col)) for r in self.records} - {None}) \
            if self.time_col else []
        self.names = self.values(self.contains_col) if self.contains_col else []
        self.tags = sorted({"%s:%s" % (t["key"], t["value"]) for r in self.records for t in (r["tags"] or [])})
        self.tag_keys = sorted({t["key"] for r in self.records for t in (r["tags"] or [])})
        # other text list columns with values (pushed down by no one: PostgreSQL filters)
        self.text_cols = [c["name"] for c in self.columns
                          if c["source"] == "list" and c["type"] == "text" and c["shape"] == "plain"
                          and c["name"] not in self.role_cols and self.values(c["name"])]
        self.array_cols = [c["name"] for c in self.columns if c["source"] == "list"
                           and c["type"] == "text[]" and self.array_values(c["name"])]
        self.bool_cols = [c["name"] for c in self.columns if c["type"] == "boolean"]
        self.bigint_cols = [c["name"] for c in self.columns if c["type"] == "bigint"]
        self.ts_cols = [c["name"] for c in self.columns
                        if c["type"] == "timestamp with time zone" and c["name"] != self.time_col]
        self.orders = []          # set by Table.settle, from the full scan

    # -- fixture values
    def value(self, rec, col):
        c = self.cols[col]
        if c["shape"] == "region":
            return rec["region"]
        if c["shape"] == "account":
            arn = self.value(rec, self.arn_col) or ""
            parts = arn.split(":")
            return parts[4] if len(parts) > 4 else None
        if c["source"] == "tags":
            return None
        v = member(rec["summary"], c["summary_member"]) if c["summary_member"] else None
        if v is None and c["get_member"]:
            v = member(rec["get"], c["get_member"])
        return v

    def values(self, col):
        return sorted({v for v in (self.value(r, col) for r in self.records) if isinstance(v, str)})

    def array_values(self, col):
        c = self.cols[col]
        out = set()
        for rec in self.records:
            v = member(rec["summary"], c["summary_member"]) if c["summary_member"] else None
            if isinstance(v, list):
                out |= {x for x in v if isinstance(x, str)}
        return sorted(out)

    def settle(self, session):
        """The ORDER BYs to draw from, each with whether it is a total order of the full scan's
        rows (NULL counts as one value: at most one row has it), checked with pushdown off."""
        res = session.query("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum" % q(self.name))
        if res.error:
            raise SystemExit("differential: table %s: %s (IMPORT FOREIGN SCHEMA should create "
                             "every table of the catalog)" % (self.name, res.error))
        have = [row[0] for row in res.rows]
        if have != [c["name"] for c in self.columns]:
            raise SystemExit("differential: the columns of %s, %s, are not the catalog's, %s (is the "
                             "installed extension older than src/resources.c?)"
                             % (self.name, have, [c["name"] for c in self.columns]))
        keys = [c for c in dict.fromkeys([self.order_col, self.arn_col, self.id_col, "region"]) if c]
        res = session.query("SELECT %s FROM %s" % (", ".join(keys), self.name))
        if res.error:
            raise SystemExit("differential: the full scan of %s: %s" % (self.name, res.error))
        if not res.rows:
            raise SystemExit("differential: the full scan of %s has no rows" % self.name)
        rows = [dict(zip(keys, row)) for row in res.rows]

        def total(*cols):
            return len({tuple(row[c] for c in cols) for row in rows}) == len(rows)

        orders = [(40, None, False)]
        o, a = self.order_col, self.arn_col
        if o:
            orders += [(16, o, total(o)), (16, o + " DESC", total(o)),
                       (2, o + " ASC NULLS FIRST", total(o)), (2, o + " DESC NULLS LAST", total(o)),
                       (3, "%s, %s" % (o, a), total(o, a))]
        orders += [(3, a + " DESC", total(a)), (2, a, total(a))]
        if self.id_col:
            orders.append((4, "%s, region" % self.id_col, total(self.id_col, "region")))
        orders.append((3, "region DESC", total("region")))
        if self.status:
            orders.append((3, self.status["column"], total(self.status["column"])
                           if self.status["column"] in keys else False))
        self.orders = orders
        self.n_rows = len(rows)
        return rows

    # -- generators
    def rec(self, r):
        return r.choice(self.records)

    def region(self, r):
        return pick(r, REGIONS, odd=["US-EAST-1", "Us-West-2", "ap-southeast-2", "us-east-2",
                                     "eu-west-1 ", "", None, "mars-north-1"])

    def arn(self, r):
        return pick(r, self.arns, special=[self._odd_arn] * 3, p_special=0.25,
                    odd=[self._bad_arn] * 3 + ["not-an-arn", "", None], p_odd=0.3)

    def _odd_arn(self, r):
        """A well-formed ARN no resource of this table has here."""
        a = r.choice(self.arns)
        region = next((x for x in REGIONS + ["ap-south-1"] if (":%s:" % x) in a), None)
        forms = [
            lambda: a.replace(region, r.choice([x for x in REGIONS if x != region])) if region else a + "x",
            lambda: a.replace(region, r.choice(["ap-south-1", "eu-central-1"])) if region else a,
            lambda: a.replace(self.account, "210987654321"),
            lambda: a[:-4] + "zzzz",
            lambda: a[:-1] + ("0" if a[-1] != "0" else "1"),
            lambda: r.choice(self.all_arns) if self.all_arns else a,
            lambda: r.choice(self.ids) if self.ids else a,       # a name or id where an ARN goes
        ]
        return r.choice(forms)()

    def _bad_arn(self, r):
        """An ARN-like value the API would refuse, or one of another case or spacing."""
        a = r.choice(self.arns)
        return r.choice([a.upper(), a + "/", a + " ", " " + a, a.replace(":", "::", 1),
                         a.replace("arn:aws:", "arn:aws-cn:"), a + "%", a[:len(a) // 2]])

    def ident(self, r):
        return pick(r, self.ids, special=[lambda r: r.choice(variants(r.choice(self.ids)))] * 3,
                    odd=["no such thing!", "", None, "x" * 64, "o'brien", "caf\u00e9", "%", "_",
                         lambda r: r.choice(self.arns), lambda r: r.choice(self.arns),
                         lambda r: r.choice(self.all_arns) if self.all_arns else None])

    def status_value(self, r):
        enum = self.status["enum"] or []
        odd = ["Pending", "Running", "Deleting", "", None, "DRAFT"]
        for e in enum:
            odd += [e.lower(), e.upper(), e + " "]
        return pick(r, self.statuses, special=enum, odd=odd)

    def equals_value(self, f):
        vals = self.values(f["column"])
        enum = f["enum"] or []
        odd = ["", None, "not-a-value", "x" * 70]
        for v in (vals + enum)[:6]:
            odd += variants(v)[:4]
        if f["case_insensitive"]:
            odd += [v.lower() for v in vals] + [v.upper() for v in vals]

        def draw(r):
            return pick(r, vals or enum or ["x"], special=enum + vals, odd=odd)
        return draw

    def column_value(self, col):
        vals = self.values(col)

        def draw(r):
            return pick(r, vals, odd=["", None] + variants(r.choice(vals))[:3])
        return draw

    def time(self, r):
        x = r.random()
        if x < 0.05 or not self.times:
            return None
        if x < 0.09:
            return r.choice(["infinity", "-infinity", dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc),
                             dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc)])
        if x < 0.25:
            lo, hi = self.times[0], self.times[-1]
            span = max(1, int((hi - lo).total_seconds()))
            return lo - dt.timedelta(days=30) + dt.timedelta(
                seconds=r.randint(0, span + 86400 * 60), milliseconds=r.randint(0, 999))
        t = r.choice(self.times)
        return t + r.choice([dt.timedelta(0)] * 6 + [
            dt.timedelta(milliseconds=1), dt.timedelta(milliseconds=-1),
            dt.timedelta(microseconds=1), dt.timedelta(microseconds=-1),
            dt.timedelta(microseconds=500), dt.timedelta(seconds=1), dt.timedelta(seconds=-1),
            dt.timedelta(milliseconds=500), dt.timedelta(milliseconds=-500),
            dt.timedelta(days=r.randint(-40, 40))])

    def like(self, r):
        name = r.choice(self.names)
        i = r.randint(0, len(name) - 1)
        k = r.randint(1, len(name) - i)
        forms = [
            name[:k] + "%", "%" + name[-k:], "%" + name[i:i + k] + "%", name,
            name[:i] + "_" + name[i + 1:],
            name.replace("-", "\\-").replace("_", "\\_") + "%",
            name.upper() + "%", name[:k] + "%" + name[-1:], "%" + name[i:i + k].upper() + "%",
        ]
        return r.choice(forms) if r.random() < 0.8 else r.choice(
            ["%", "", "%%", "_%", "%-%", "%_%", "%.%", "%:%", "o''%", "caf\u00e9%", "%\\%%", "% %"])


# -- predicates: each takes (r, binder, table)
def tp_region(r, b, t):
    return membership(r, b, "region", t.region)


def tp_status(r, b, t):
    return membership(r, b, t.status["column"], t.status_value)


def tp_arn(r, b, t):
    return membership(r, b, t.arn_col, t.arn)


def tp_id(r, b, t):
    return membership(r, b, t.id_col, t.ident)


def tp_equals(r, b, t):
    f = r.choice(t.equals)
    return membership(r, b, f["column"], t.equals_value(f))


def tp_like(r, b, t):
    op = r.choices(["LIKE", "~~", "NOT LIKE", "ILIKE"], [7, 1, 1, 1])[0]
    return "%s %s %s" % (t.contains_col, op, b.text(t.like(r)))


def tp_time(r, b, t):
    op = r.choice(["<", "<=", ">", ">="])
    if r.random() < 0.3:
        return "%s %s %s" % (b.ts(t.time(r)), op, t.time_col)
    return "%s %s %s" % (t.time_col, op, b.ts(t.time(r)))


def tp_time_range(r, b, t):
    lo, hi = t.time(r), t.time(r)
    if r.random() < 0.5:
        return "%s BETWEEN %s AND %s" % (t.time_col, b.ts(lo), b.ts(hi))
    return "%s %s %s AND %s %s %s" % (t.time_col, r.choice([">", ">="]), b.ts(lo),
                                      t.time_col, r.choice(["<", "<="]), b.ts(hi))


def tp_other(r, b, t):
    """Equality on a text column no filter pushes (status where the List has no filter, ...)."""
    col = r.choice(t.text_cols)
    return membership(r, b, col, t.column_value(col))


def tp_unpushable(r, b, t):
    """A filter only PostgreSQL can apply (some need Get or Tags columns)."""
    a = r.choice(t.arns)
    forms = [
        lambda: "region <> %s" % b.text(t.region(r)),
        lambda: "%s LIKE %s" % (t.arn_col, q("%" + a[-5:])),
        lambda: "%s IS NOT NULL" % t.arn_col,
        lambda: "upper(%s) = %s" % (t.arn_col, q(a.upper())),
    ]
    if t.status:
        sc = t.status["column"]
        forms += [lambda: "%s <> %s" % (sc, b.text(t.status_value(r))),
                  lambda: "upper(%s) = %s" % (sc, q(r.choice(t.statuses).upper())),
                  lambda: "%s IS NULL" % sc]
    if t.id_col:
        forms += [lambda: "%s ~ '-'" % t.id_col, lambda: "%s <> region" % t.id_col]
    if t.text_cols:
        tc = r.choice(t.text_cols)
        forms += [lambda: "%s <> %s" % (tc, b.text(t.column_value(tc)(r))),
                  lambda: "%s IS NULL" % tc]
    if t.get_cols:
        g = r.choice(t.get_cols)
        forms += [lambda: "%s IS NOT NULL" % g, lambda: "%s IS NULL" % g]
    if t.tag_list and t.tags:
        forms += [lambda: "%s = ANY (%s)" % (b.text(r.choice(t.tags)), t.tag_list),
                  lambda: "%s @> ARRAY[%s]" % (t.tag_list, q(r.choice(t.tags)))]
    if t.tag_map and t.tags:
        forms += [lambda: "%s ? %s" % (t.tag_map, q(r.choice(t.tag_keys))),
                  lambda: "%s ->> %s = %s" % (t.tag_map, q(r.choice(t.tags).split(":")[0]),
                                              q(r.choice(t.tags).split(":", 1)[1]))]
    if t.array_cols:
        ac = r.choice(t.array_cols)
        forms.append(lambda: "%s = ANY (%s)" % (b.text(r.choice(t.array_values(ac))), ac))
    if t.bool_cols:
        forms.append(lambda: "%s%s" % (r.choice(["", "NOT "]), r.choice(t.bool_cols)))
    if t.bigint_cols:
        forms.append(lambda: "%s > %s" % (r.choice(t.bigint_cols), b.bigint(r.randint(0, 3))))
    if t.time_col and t.times:
        forms += [lambda: "%s::date = %s" % (t.time_col, q(r.choice(t.times).strftime("%Y-%m-%d"))),
                  lambda: "coalesce(%s, %s) > %s" % (
                      r.choice(t.ts_cols) if t.ts_cols else t.time_col, t.time_col, b.ts(t.time(r)))]
    return r.choice(forms)()


def table_predicates(t):
    preds = [(6, tp_region), (5, tp_arn), (3, tp_unpushable)]
    if t.status:
        preds.append((7, tp_status))
    if t.id_col:
        preds.append((6, tp_id))
    if t.equals:
        preds.append((4 * len(t.equals), tp_equals))
    if t.contains_col and t.names:
        preds.append((4, tp_like))
    if t.time_col and t.times:
        preds += [(6, tp_time), (2, tp_time_range)]
    if t.text_cols:
        preds.append((2, tp_other))
    return preds


def t_leaf(r, b, t):
    preds = table_predicates(t)
    gen = r.choices([g for _, g in preds], [w for w, _ in preds])[0]
    return gen(r, b, t)


def t_term(r, b, t):
    x = r.random()
    if x < 0.16:
        parts = []
        for _ in range(r.randint(2, 3)):
            if r.random() < 0.3:
                parts.append("(%s AND %s)" % (t_leaf(r, b, t), t_leaf(r, b, t)))
            else:
                parts.append(t_leaf(r, b, t))
        return "(%s)" % " OR ".join(parts)
    if x < 0.20:
        return "NOT (%s)" % t_leaf(r, b, t)
    return t_leaf(r, b, t)


class TableQuery(Query):
    """One generated query on a table other than bedrock_jobs, as Query does for the jobs."""

    def __init__(self, index, r, t):
        self.index = index
        self.table = t.name
        mode_weights = r.choices([m for _, m in VALUE_MODES], [w for w, _ in VALUE_MODES])[0]
        b = Binder(r, mode_weights)
        selects = [(38, "summary"), (14, "count"), (6, "count-limit"), (4, "group"),
                   (3, "star"), (2, "constant")]
        if t.get_cols:
            selects.append((16, "get"))
        if t.tag_cols:
            selects.append((10, "tags"))
        if t.get_cols and t.tag_cols:
            selects.append((5, "get+tags"))
        kind = r.choices([k for _, k in selects], [w for w, _ in selects])[0]
        cols = self._table_columns(r, kind, t)
        n = r.choices([0, 1, 2, 3, 4], [1, 5, 6, 3, 1])[0]
        terms = [t_term(r, b, t) for _ in range(n)]
        where = (" WHERE " + " AND ".join(terms)) if terms else ""
        n_where_params = len(b.ptypes)
        order, total = (None, False)
        limit = offset = None
        limit_sql = ""
        if kind in ("summary", "get", "tags", "get+tags", "star", "constant", "count-limit"):
            _, order, total = r.choices(t.orders, [w for w, _, _ in t.orders])[0]
            with_limit = r.random() < (0.5 if order and t.order_col and order.startswith(t.order_col) else 0.3)
            if kind == "count-limit":
                with_limit = True
            if with_limit:
                limit = r.choice([0, 1, 1, 2, 3, 3, 5, 7, 10, 40, None])
                if r.random() < 0.05:
                    limit_sql += " LIMIT ALL"
                    limit = None
                elif r.random() < 0.1 and limit is not None:
                    limit_sql += " FETCH FIRST (%s) ROWS ONLY" % b.bigint(limit)
                else:
                    limit_sql += " LIMIT %s" % b.bigint(limit)
            if r.random() < (0.3 if with_limit else 0.05):
                offset = r.choice([0, 1, 2, 3, 6])
                limit_sql += " OFFSET %s" % b.bigint(offset)
        order_sql = (" ORDER BY " + order) if order else ""

        base = "FROM %s%s" % (t.name, where)
        group_col = t.status["column"] if t.status else (t.text_cols[0] if t.text_cols else "region")
        if kind == "count":
            body = "SELECT count(*) " + base
        elif kind == "count-limit":
            body = "SELECT count(*) FROM (SELECT 1 %s%s%s) s" % (base, order_sql, limit_sql)
        elif kind == "group":
            body = "SELECT region, %s, count(*) %s GROUP BY region, %s" % (group_col, base, group_col)
        else:
            body = "SELECT %s %s%s%s" % (cols, base, order_sql, limit_sql)

        self.limited = bool(limit_sql) and kind != "count-limit"
        self.limit, self.offset = limit, offset or 0
        if kind in ("count", "count-limit", "group"):
            self.compare = "multiset"
        elif total:
            self.compare = "ordered"
        elif self.limited:
            self.compare = "limited"
        else:
            self.compare = "multiset"
        self.kind = kind
        self.setup = b.setup()
        self.prepare, self.run = self._statement("p", body, b.ptypes, b.pvalues)
        self.ref_prepare, self.ref_run = self._statement(
            "p_ref", "SELECT %s %s" % (cols, base), b.ptypes[:n_where_params],
            b.pvalues[:n_where_params])
        self.uses_params = bool(b.ptypes)
        self.uses_stable = b.used["stable"] > 0

    @staticmethod
    def _table_columns(r, kind, t):
        if kind == "star":
            return "*"
        if kind == "constant":
            return "1 AS one"
        # the role columns often, any other List column sometimes
        pool = t.role_cols if r.random() < 0.7 else t.list_cols
        cols = r.sample(pool, r.randint(1, min(4, len(pool))))
        if r.random() < 0.3:
            cols.append(r.choice(t.list_cols))
        if "get" in kind:
            cols += r.sample(t.get_cols, r.randint(1, min(3, len(t.get_cols))))
        if "tags" in kind:
            cols.append(r.choice(t.tag_cols))
        cols = list(dict.fromkeys(cols))
        r.shuffle(cols)
        return ", ".join(cols)


# ------------------------------------------------------------------------------------------
# psql sessions and the emulator's log
# ------------------------------------------------------------------------------------------
class Result:
    def __init__(self, rows=None, error=None, spec=None):
        self.rows = rows
        self.error = error
        self.spec = spec or JOBS_SPEC               # the operations counted
        self.requests = collections.Counter()   # operation -> count
        self.list_params = []                   # the params of each List call
        self.list_regions = set()
        self.sequences = 0                      # first List pages, and lookup Gets

    @property
    def n_requests(self):
        return sum(self.requests.values())

    def describe(self):
        calls = ", ".join("%s %d" % (self.spec.abbrev[o], self.requests[o]) for o in self.spec.ops
                          if self.requests[o]) or "none"
        if self.error:
            return "ERROR %s; %d requests (%s)" % (self.error, self.n_requests, calls)
        return "%d rows, %d requests (%s)" % (len(self.rows), self.n_requests, calls)


class SessionEnded(Exception):
    pass


class Session:
    """A long-lived psql reading statements from a pipe; each statement is followed by an \\echo
    of a marker with :ERROR, :SQLSTATE and :LAST_ERROR_MESSAGE."""

    def __init__(self, label, pushdown, errlog):
        self.label, self.pushdown, self.errlog = label, pushdown, errlog
        self.proc = None
        self.start()

    def start(self):
        for attempt in range(20):
            self.proc = subprocess.Popen(
                ["psql", "-X", "-q", "-A", "-t", "-F", FS, "-R", RS, "-P", "null=" + NULL_OUT,
                 "-v", "ON_ERROR_STOP=0", "-d", os.environ.get("PGDATABASE", "postgres")],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errlog)
            try:
                for stmt in ["LOAD 'bedrock_fdw'", "SET TimeZone = 'UTC'",
                             "SET statement_timeout = '60s'",
                             "SET plan_cache_mode = force_generic_plan",
                             "SET bedrock_fdw.pushdown = " + ("on" if self.pushdown else "off"),
                             # the requests are compared: no answers kept from earlier queries
                             "SET bedrock_fdw.detail_cache_size = 0",
                             "CREATE TEMP TABLE diff_names (k int, n text)"]:
                    res = self.query(stmt)
                    if res.error:
                        raise SystemExit("differential: %s session: %s: %s" % (self.label, stmt, res.error))
                shown = self.query("SHOW bedrock_fdw.pushdown").rows
                if shown != [("on" if self.pushdown else "off",)]:
                    raise SystemExit("differential: %s session shows bedrock_fdw.pushdown %s" % (self.label, shown))
                return
            except SessionEnded:
                self.close()
                time.sleep(0.5)                 # the server may be restarting after a crash
        raise SystemExit("differential: could not start the %s psql session" % self.label)

    def close(self):
        if self.proc:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            self.proc.wait()
            self.proc = None

    def query(self, sql):
        """Run one statement; its rows as tuples of strings (NULL as None), or its error."""
        script = "%s;\n\\echo '\\x1d' :ERROR :SQLSTATE :'LAST_ERROR_MESSAGE' '\\x1c'\n" % sql
        try:
            self.proc.stdin.write(script.encode())
            self.proc.stdin.flush()
        except OSError:
            raise SessionEnded()
        buf = b""
        while not buf.endswith((END + "\n").encode()):
            chunk = self.proc.stdout.read1(1 << 16)
            if not chunk:
                raise SessionEnded()
            buf += chunk
        out = buf.decode()
        data, _, status = out.rpartition(MARK)
        failed, sqlstate, message = status.strip().rstrip(END).strip().split(" ", 2)
        if failed == "true":
            return Result(error="%s %s" % (sqlstate, message.strip()))
        if not data:
            return Result(rows=[])
        return Result(rows=[tuple(None if f == NULL_OUT else f for f in rec.split(FS))
                            for rec in data[:-1].split(RS)])


class Emulator:
    def __init__(self, port):
        self.port = port

    def _call(self, method, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status >= 300:
                raise SystemExit("differential: emulator %s %s: %d" % (method, path, resp.status))
            return body
        finally:
            conn.close()

    def reset(self):
        self._call("POST", "/_emulator/reset")

    def requests(self):
        return json.loads(self._call("GET", "/_emulator/requests"))


def run_counted(session, emu, q, spec=None):
    """Run q's setup and statement in session; the result with the API requests it made (the
    List, Get and ListTagsForResource calls of spec, the jobs' by default)."""
    spec = spec or JOBS_SPEC
    for stmt in q.setup + ([q.prepare] if q.prepare else []):
        res = session.query(stmt)
        if res.error:
            return Result(error="setup %r: %s" % (stmt, res.error), spec=spec)
    t0 = time.time()
    emu.reset()
    res = session.query(q.run)
    count_requests(emu, res, spec, t0)
    if q.prepare:
        session.query("DEALLOCATE ALL")
    return res


def count_requests(emu, res, spec, t0):
    """Add to res the API requests of spec that the emulator logged since t0."""
    res.spec = spec
    listed = False
    for e in sorted(emu.requests(), key=lambda e: e.get("seq") or 0):
        if e.get("operation") in spec.ops and e.get("time", t0) >= t0 - 0.001:
            res.requests[e["operation"]] += 1
            if e["operation"] == spec.list_op:
                res.list_params.append(e.get("params") or {})
                res.list_regions.add(e.get("region"))
                if "nextToken" not in (e.get("params") or {}):
                    res.sequences += 1
                    listed = True
            elif e["operation"] == spec.get_op:
                ident = e.get("job_identifier") or ""
                if not ident.startswith("arn:") or not listed:
                    res.sequences += 1


def reference(session, q, emu, spec):
    """The rows of q's WHERE without ORDER BY, LIMIT and OFFSET (session: pushdown off), and
    the requests they took."""
    if q.ref_prepare:
        session.query(q.ref_prepare)
    t0 = time.time()
    emu.reset()
    res = session.query(q.ref_run)
    count_requests(emu, res, spec or JOBS_SPEC, t0)
    if q.ref_prepare:
        session.query("DEALLOCATE ALL")
    return res


# ------------------------------------------------------------------------------------------
# Comparison
# ------------------------------------------------------------------------------------------
def sub_multiset_problem(rows, full, limit, offset):
    """Why rows is not a LIMIT/OFFSET slice of full (as multisets), or None."""
    want = max(0, len(full) - offset)
    if limit is not None:
        want = min(want, limit)
    if len(rows) != want:
        return "%d rows, LIMIT %s OFFSET %d of %d rows gives %d" % (len(rows), limit, offset, len(full), want)
    extra = collections.Counter(rows) - collections.Counter(full)
    if extra:
        return "rows not in the unlimited result: %s" % trim(list(extra.elements()))
    return None


def check(q, on, off, ref, spec=None):
    """The problems with one query's two runs (an empty list when it passed)."""
    spec = spec or JOBS_SPEC
    problems = []
    if off.error or on.error:
        if off.error:
            problems.append("pushdown off: " + off.error)
        if on.error:
            problems.append("pushdown on: " + on.error)
        return problems
    if q.compare == "ordered":
        if on.rows != off.rows:
            problems.append("rows differ (compared in order)")
    elif q.compare == "multiset":
        if collections.Counter(on.rows) != collections.Counter(off.rows):
            problems.append("rows differ (compared as multisets)")
    else:
        if ref.error:
            problems.append("unlimited reference query: " + ref.error)
        else:
            for label, res in (("pushdown on", on), ("pushdown off", off)):
                why = sub_multiset_problem(res.rows, ref.rows, q.limit, q.offset)
                if why:
                    problems.append("%s: %s" % (label, why))
    fan_out = max(0, on.sequences - len(off.list_regions))
    baseline = off.n_requests
    if (q.limited or q.kind == "count-limit") and ref is not None and not ref.error:
        # PostgreSQL may stop reading a limited scan at any row, and the pages and per-row
        # calls already in flight then are made anyway, in either run: the bound is the
        # full scan of the same WHERE without the LIMIT
        baseline = max(baseline, ref.n_requests)
    if on.n_requests > baseline + fan_out:
        problems.append("pushdown made more requests (%d) than the full scan (%d) plus its "
                        "fan-out (%d sequences over %d regions)"
                        % (on.n_requests, baseline, on.sequences, len(off.list_regions)))
    filtered = [p for p in off.list_params if set(p) - spec.full_scan_params]
    if filtered:
        problems.append("pushdown off sent List filters: %s" % trim(filtered, 3))
    if off.list_regions and not q.limited and q.kind != "count-limit" \
            and off.list_regions != set(REGIONS):
        problems.append("pushdown off listed only %s" % sorted(off.list_regions))
    return problems


def trim(rows, n=8):
    shown = [list(r) if isinstance(r, tuple) else r for r in rows[:n]]
    text = json.dumps(shown, ensure_ascii=False)
    if len(text) > 1500:
        text = text[:1500] + "..."
    return text + (" ... (%d more)" % (len(rows) - n) if len(rows) > n else "")


def report_failure(seed, q, on, off, ref, problems):
    table = getattr(q, "table", None)
    if table:
        print("FAIL %s query %d (seed %d; DIFF_SEED=%d DIFF_ONLY=%s:%d reproduces it)"
              % (table, q.index, seed, seed, table, q.index))
    else:
        print("FAIL query %d (seed %d; DIFF_SEED=%d DIFF_ONLY=%d reproduces it)" % (q.index, seed, seed, q.index))
    for p in problems:
        print("  problem: " + p)
    for line in q.text():
        print("  " + line)
    for label, res in (("on ", on), ("off", off)):
        print("  pushdown %s: %s" % (label, res.describe()))
        if res.rows is not None:
            print("      rows: " + trim(res.rows))
    if on.rows is not None and off.rows is not None:
        only_on = collections.Counter(on.rows) - collections.Counter(off.rows)
        only_off = collections.Counter(off.rows) - collections.Counter(on.rows)
        if only_on:
            print("  only with pushdown on:  " + trim(list(only_on.elements())))
        if only_off:
            print("  only with pushdown off: " + trim(list(only_off.elements())))
    if ref is not None:
        print("  unlimited (pushdown off): " + (ref.describe() if ref.error else "%d rows" % len(ref.rows)))
    sys.stdout.flush()


# ------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------
def sanity(off, account, jobs):
    """The fixtures are what the table shows, and the orders called total are total."""
    for key in ("ctime", "arn"):
        if len({j[key] for j in jobs}) != len(jobs):
            raise SystemExit("differential: fixture %s values are not unique" % key)
    if len({(j["name"], j["region"]) for j in jobs}) != len(jobs):
        raise SystemExit("differential: fixture (job_name, region) values are not unique")
    res = off.query("SELECT count(*), count(DISTINCT creation_time), count(DISTINCT job_arn), "
                    "count(DISTINCT (job_name, region)), count(creation_time) FROM bedrock_jobs")
    want = [tuple([str(len(jobs))] * 5)]
    if res.error or res.rows != want:
        raise SystemExit("differential: full scan gives %s, expected %s (unique creation_time, "
                         "job_arn, (job_name, region), no NULL creation_time)"
                         % (res.error or res.rows, want))


def run_one(q, on_s, off_s, emu, spec=None):
    """Run q with pushdown on and off (and its unlimited reference when needed); the results
    and the problems found."""
    results = {}
    for label, session in (("on", on_s), ("off", off_s)):
        try:
            results[label] = run_counted(session, emu, q, spec)
        except SessionEnded:
            results[label] = Result(error="the psql session ended (server crash?)", spec=spec)
            session.close()
            session.start()
    on, off = results["on"], results["off"]
    ref = None
    if (q.compare == "limited" or q.limited or q.kind == "count-limit") and not off.error:
        try:
            ref = reference(off_s, q, emu, spec)
        except SessionEnded:
            ref = Result(error="the psql session ended (server crash?)")
            off_s.close()
            off_s.start()
    return on, off, ref, check(q, on, off, ref, spec)


def parse_only(text):
    """DIFF_ONLY: "N" (a bedrock_jobs query) or "TABLE:N"; None when unset."""
    if not text.strip():
        return None
    only = collections.defaultdict(list)
    for x in text.split(","):
        x = x.strip()
        if not x:
            continue
        table, _, n = x.rpartition(":")
        only[table or JOBS_TABLE].append(int(n))
    return only


def load_tables(catalog, data):
    """The catalog's tables but bedrock_jobs, with their fixtures."""
    resources = data.get("resources") or {}
    all_arns = []
    for res in catalog:
        if res["table"] == JOBS_TABLE:
            continue
        col = (res["arn"] or {}).get("column") or res["arn_column"]
        c = next(c for c in res["columns"] if c["name"] == col)
        for rec in resources.get(res["name"], []):
            v = member(rec.get("summary") or {}, c["summary_member"]) if c["summary_member"] else None
            if isinstance(v, str):
                all_arns.append(v)
    tables = []
    for res in catalog:
        if res["table"] == JOBS_TABLE:
            continue
        if res["name"] not in resources:
            raise SystemExit("differential: the fixtures lack resource %s" % res["name"])
        tables.append(Table(res, resources[res["name"]], data["account"], sorted(set(all_arns))))
    return tables


def main():
    seed = int(os.environ.get("DIFF_SEED") or DEFAULT_SEED)
    count = int(os.environ.get("DIFF_QUERIES") or DEFAULT_QUERIES)
    table_count = int(os.environ.get("DIFF_TABLE_QUERIES") or DEFAULT_TABLE_QUERIES)
    only = parse_only(os.environ.get("DIFF_ONLY", ""))
    only_tables = [x.strip() for x in os.environ.get("DIFF_TABLES", "").split(",") if x.strip()]
    verbose = os.environ.get("DIFF_VERBOSE", "") not in ("", "0")
    emu = Emulator(int(os.environ["EMU_PORT"]))
    data = dump_fixtures()
    account, jobs = load_fixtures(data)
    pools = Pools(account, jobs)
    catalog = load_catalog()
    if not any(res["table"] == JOBS_TABLE for res in catalog):
        raise SystemExit("differential: the catalog has no %s" % JOBS_TABLE)
    tables = load_tables(catalog, data)
    if only_tables:
        unknown = set(only_tables) - {t.name for t in tables} - {JOBS_TABLE}
        if unknown:
            raise SystemExit("differential: DIFF_TABLES names no table of the catalog: %s" % sorted(unknown))
    print("differential: seed %d, %d queries (DIFF_SEED, DIFF_QUERIES override)" % (seed, count))
    sys.stdout.flush()

    errlog = open(os.path.join(os.environ.get("WORK", "/tmp"), "differential-psql.stderr"), "ab")
    on_s = Session("pushdown on", True, errlog)
    off_s = Session("pushdown off", False, errlog)
    sanity(off_s, account, jobs)
    for t in tables:
        t.settle(off_s)

    stats = collections.Counter()
    started = time.time()
    if only is not None:
        indexes = only.get(JOBS_TABLE, [])
    elif only_tables and JOBS_TABLE not in only_tables:
        indexes = []
    else:
        indexes = range(count)
    for i in indexes:
        q = Query(i, random.Random("%d:%d" % (seed, i)), pools)
        on, off, ref, problems = run_one(q, on_s, off_s, emu)
        stats["failed" if problems else "passed"] += 1
        stats["params"] += q.uses_params
        stats["stable"] += q.uses_stable
        stats["limit"] += q.limited or q.kind == "count-limit"
        stats[q.compare] += 1
        stats["requests on"] += on.n_requests
        stats["requests off"] += off.n_requests
        if on.n_requests < off.n_requests:
            stats["fewer"] += 1
        if on.n_requests > off.n_requests:
            stats["fan-out"] += 1
        if verbose:
            print("query %d: %s | on: %s | off: %s" % (i, q.run, on.describe(), off.describe()))
        if problems:
            report_failure(seed, q, on, off, ref, problems)

    n = len(indexes)
    print("queries: %d with parameters, %d with stable expressions, %d with LIMIT/OFFSET; "
          "compared %d in order, %d as multisets, %d as LIMIT slices"
          % (stats["params"], stats["stable"], stats["limit"], stats["ordered"],
             stats["multiset"], stats["limited"]))
    print("fan-out: %d queries made more requests than the full scan, within their IN lists' "
          "fan-out" % stats["fan-out"])
    print("requests: %d with pushdown, %d without; %d of %d queries made fewer with pushdown "
          "(%.1f s)" % (stats["requests on"], stats["requests off"], stats["fewer"], n,
                        time.time() - started))
    print("seed %d, %d queries" % (seed, n))
    sys.stdout.flush()

    # every other table of the catalog: DIFF_TABLE_QUERIES queries each, from the same seed
    total = collections.Counter(passed=stats["passed"], failed=stats["failed"])
    per_table = [(JOBS_TABLE, stats)] if n else []
    t_started = time.time()
    t_stats_all = collections.Counter()
    for t in tables:
        if only is not None:
            t_indexes = only.get(t.name, [])
        elif only_tables and t.name not in only_tables:
            t_indexes = []
        else:
            t_indexes = range(table_count)
        if not t_indexes:
            continue
        ts = collections.Counter()
        for i in t_indexes:
            q = TableQuery(i, random.Random("%d:%s:%d" % (seed, t.name, i)), t)
            on, off, ref, problems = run_one(q, on_s, off_s, emu, t.spec)
            ts["failed" if problems else "passed"] += 1
            ts["requests on"] += on.n_requests
            ts["requests off"] += off.n_requests
            for params in on.list_params:
                ts.update("sent " + k for k in params if k not in FULL_SCAN_PARAMS)
            ts["lookups"] += on.requests[t.spec.get_op] > 0 and not on.requests[t.spec.list_op]
            t_stats_all["params"] += q.uses_params
            t_stats_all["stable"] += q.uses_stable
            t_stats_all["limit"] += q.limited or q.kind == "count-limit"
            t_stats_all[q.compare] += 1
            t_stats_all["get"] += "get" in q.kind or q.kind == "star"
            t_stats_all["tags"] += "tags" in q.kind
            if on.n_requests < off.n_requests:
                t_stats_all["fewer"] += 1
            if on.n_requests > off.n_requests:
                t_stats_all["fan-out"] += 1
            t_stats_all["queries"] += 1
            if verbose:
                print("%s query %d: %s | on: %s | off: %s" % (t.name, i, q.run, on.describe(), off.describe()))
            if problems:
                report_failure(seed, q, on, off, ref, problems)
        per_table.append((t.name, ts))
        total["passed"] += ts["passed"]
        total["failed"] += ts["failed"]
    if t_stats_all["queries"]:
        print("other tables: %d queries, %d with parameters, %d with stable expressions, %d with "
              "LIMIT/OFFSET, %d with Get columns, %d with tags; compared %d in order, %d as "
              "multisets, %d as LIMIT slices; %d made fewer requests with pushdown, %d more "
              "(within their fan-out) (%.1f s)"
              % (t_stats_all["queries"], t_stats_all["params"], t_stats_all["stable"],
                 t_stats_all["limit"], t_stats_all["get"], t_stats_all["tags"],
                 t_stats_all["ordered"], t_stats_all["multiset"], t_stats_all["limited"],
                 t_stats_all["fewer"], t_stats_all["fan-out"], time.time() - t_started))
    for name, ts in per_table:
        print("%s: %d passed, %d failed (requests: %d with pushdown, %d without)"
              % (name, ts["passed"], ts["failed"], ts["requests on"], ts["requests off"]))
        if verbose and name != JOBS_TABLE:
            print("    pushed down: %d queries by Gets alone; List parameters sent: %s"
                  % (ts["lookups"], ", ".join("%s %d" % (k[5:], v) for k, v in sorted(ts.items())
                                               if k.startswith("sent ")) or "none"))
    on_s.close()
    off_s.close()

    print("differential: %d passed, %d failed" % (total["passed"], total["failed"]))
    return 1 if total["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
