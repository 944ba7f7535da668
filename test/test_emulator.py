#!/usr/bin/env python3
"""Self-test of the local Bedrock emulator (test/emulator.py) and test/emuctl.

Run:  python3 -m unittest test/test_emulator.py      or      python3 test/test_emulator.py
(both also run test/test_emulator_resources.py, the other Bedrock resources,
test/test_emulator_accounts.py, the accounts and the organization, and
test/test_emulator_tagging.py, the Resource Groups Tagging API's GetResources, through load_tests)

The SigV4 verifier is checked against AWS's vectors in ../shared/aws/sigv4-testsuite (relative to
the repository root; override with BEDROCK_SHARED_DIR=/path/to/shared).  Requests to the running
emulator are signed by the small independent signer below, which is checked against the same
vectors.
"""

import base64
import collections
import datetime as dt
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import warnings
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True          # keep test/ free of __pycache__
import emulator  # noqa: E402

EMULATOR = os.path.join(HERE, "emulator.py")
EMUCTL = os.path.join(HERE, "emuctl")


def shared_dir():
    """../shared, or a skip: a clone from a public mirror has no ../shared."""
    cands = [os.environ.get("BEDROCK_SHARED_DIR"), os.path.join(REPO, "..", "shared")]
    for c in cands:
        if c and os.path.isdir(os.path.join(c, "aws", "sigv4-testsuite")):
            return os.path.abspath(c)
    raise unittest.SkipTest("no shared/aws/sigv4-testsuite beside the repository "
                            "(set BEDROCK_SHARED_DIR): the vectors come with ../shared")


# ------------------------------------------------------------------------------------------
# A small independent SigV4 signer (client side): urllib.parse.quote, not the emulator's code
# ------------------------------------------------------------------------------------------
def q(s):
    return urllib.parse.quote(s, safe="-._~")


def build_query(pairs):
    return "&".join("%s=%s" % (q(k), q(v)) for k, v in pairs)


def client_sign(method, wire_path, pairs, headers, body, key, secret, region, amz_date,
                service="bedrock", token=None):
    """headers: dict of headers already on the request (must include Host).  Returns the
    headers to add.  wire_path is the path as sent (labels already encoded once)."""
    h = {k.lower(): " ".join(str(v).split()) for k, v in headers.items()}
    h["x-amz-date"] = amz_date
    if token is not None:
        h["x-amz-security-token"] = token
    names = sorted(h)
    creq = "\n".join([
        method,
        urllib.parse.quote(wire_path, safe="/-._~"),
        "&".join("%s=%s" % kv for kv in sorted((q(k), q(v)) for k, v in pairs)),
        "".join("%s:%s\n" % (n, h[n]) for n in names),
        ";".join(names),
        hashlib.sha256(body).hexdigest(),
    ])
    scope = "%s/%s/%s/aws4_request" % (amz_date[:8], region, service)
    sts = "AWS4-HMAC-SHA256\n%s\n%s\n%s" % (amz_date, scope, hashlib.sha256(creq.encode()).hexdigest())
    k = ("AWS4" + secret).encode()
    for part in (amz_date[:8], region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    out = {"X-Amz-Date": amz_date,
           "Authorization": "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s"
                            % (key, scope, ";".join(names), sig)}
    if token is not None:
        out["X-Amz-Security-Token"] = token
    return out, creq


# ------------------------------------------------------------------------------------------
# Test vectors
# ------------------------------------------------------------------------------------------
def parse_raw_request(data):
    """request.txt / header-signed-request.txt -> (method, target, [(name, value)], body)."""
    text = data.decode("latin-1")
    head, sep, body = text.partition("\n\n")
    lines = head.split("\n")
    first = lines[0]
    method, rest = first.split(" ", 1)
    target = rest.rsplit(" ", 1)[0]
    headers = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            n, v = headers[-1]
            headers[-1] = (n, v + "\n" + line)
        else:
            n, _, v = line.partition(":")
            headers.append((n, v))
    return method, target, headers, body.encode("latin-1")


def read(path):
    with open(path, "rb") as f:
        return f.read()


class SigV4VectorTest(unittest.TestCase):
    NOW = dt.datetime(2015, 8, 30, 12, 36, 0, tzinfo=dt.timezone.utc)

    def _case(self, folder, strict_verify=True):
        ctx = json.loads(read(os.path.join(folder, "context.json")))
        cred = ctx["credentials"]
        method, target, headers, body = parse_raw_request(read(os.path.join(folder, "header-signed-request.txt")))
        authz = [v for n, v in headers if n.lower() == "authorization"][0]
        fields = emulator.parse_authorization(authz)
        signed = fields["SignedHeaders"].split(";")
        path, _, query = target.partition("?")
        sign_body = ctx.get("sign_body", True)
        phash = hashlib.sha256(body if sign_body else b"").hexdigest()
        normalize = ctx.get("normalize", True)
        creq = emulator.canonical_request(method, path, query, headers, signed, phash, normalize)
        self.assertEqual(creq, read(os.path.join(folder, "header-canonical-request.txt")).decode("utf-8"), folder)
        scope = "/".join(fields["Credential"].split("/")[1:])
        sts = emulator.string_to_sign("20150830T123600Z", scope, creq)
        self.assertEqual(sts, read(os.path.join(folder, "header-string-to-sign.txt")).decode("utf-8"), folder)
        sig = emulator.signature(cred["secret_access_key"], "20150830", ctx["region"], ctx["service"], sts)
        self.assertEqual(sig, read(os.path.join(folder, "header-signature.txt")).decode().strip(), folder)
        self.assertEqual(fields["Signature"], sig)
        if strict_verify and normalize and sign_body:
            creds = {cred["access_key_id"]: (cred["secret_access_key"], cred.get("token"), "123456789012")}
            info = emulator.verify_request(method, target, headers, body, creds, self.NOW, ctx["service"])
            self.assertEqual(info.region, ctx["region"])
            # one flipped signature digit must fail
            bad = [(n, v[:-1] + ("0" if v[-1] != "0" else "1")) if n.lower() == "authorization" else (n, v)
                   for n, v in headers]
            with self.assertRaises(emulator.ApiError) as cm:
                emulator.verify_request(method, target, bad, body, creds, self.NOW, ctx["service"])
            self.assertEqual(cm.exception.error_type, "InvalidSignatureException")
        return ctx, method, target, headers, body

    def test_bedrock_examples(self):
        base = os.path.join(shared_dir(), "aws", "sigv4-testsuite", "bedrock-examples")
        cases = sorted(os.listdir(base))
        self.assertGreaterEqual(len(cases), 4)
        for case in cases:
            with self.subTest(case=case):
                folder = os.path.join(base, case)
                ctx, method, target, headers, body = self._case(folder)
                # the test's own signer agrees with the vector too
                cred = ctx["credentials"]
                path, _, query = target.partition("?")
                pairs = [(urllib.parse.unquote(k), urllib.parse.unquote(v))
                         for k, _, v in (p.partition("=") for p in query.split("&") if p)]
                plain = {n: v for n, v in parse_raw_request(read(os.path.join(folder, "request.txt")))[2]
                         if n.lower() not in ("content-length",)}
                out, creq = client_sign(method, path, pairs, plain, body, cred["access_key_id"],
                                        cred["secret_access_key"], ctx["region"], "20150830T123600Z",
                                        token=cred.get("token"))
                self.assertEqual(creq, read(os.path.join(folder, "header-canonical-request.txt")).decode())
                self.assertEqual(out["Authorization"],
                                 [v for n, v in headers if n.lower() == "authorization"][0])

    def test_aws_c_auth_v4_suite(self):
        base = os.path.join(shared_dir(), "aws", "sigv4-testsuite", "v4")
        for case in sorted(os.listdir(base)):
            with self.subTest(case=case):
                self._case(os.path.join(base, case))

    def test_original_2015_suite(self):
        base = os.path.join(shared_dir(), "aws", "sigv4-testsuite", "aws4_testsuite")
        n = 0
        for root, _dirs, files in os.walk(base):
            for f in files:
                if not f.endswith(".sreq"):
                    continue
                stem = os.path.join(root, f[:-5])
                with self.subTest(case=os.path.relpath(stem, base)):
                    method, target, headers, body = parse_raw_request(read(stem + ".sreq").replace(b"\r\n", b"\n"))
                    authz = [v for k, v in headers if k.lower() == "authorization"][0]
                    signed = emulator.parse_authorization(authz)["SignedHeaders"].split(";")
                    path, _, query = target.partition("?")
                    creq = emulator.canonical_request(method, path, query, headers, signed,
                                                      hashlib.sha256(body).hexdigest())
                    self.assertEqual(creq, read(stem + ".creq").decode("utf-8").replace("\r\n", "\n"))
                    n += 1
        self.assertGreater(n, 20)


# ------------------------------------------------------------------------------------------
# Fixtures
# ------------------------------------------------------------------------------------------
class FixtureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dump = emulator.dump_fixtures("default")
        cls.jobs = cls.dump["jobs"]

    def by_region(self, region):
        return [j for j in self.jobs if j["region"] == region]

    def test_counts_and_coverage(self):
        counts = collections.Counter(j["region"] for j in self.jobs)
        self.assertEqual(dict(counts), DEFAULT_COUNTS)
        self.assertEqual({j["job"]["status"] for j in self.jobs}, set(emulator.STATUS_ENUM) | {"Pending"})
        self.assertEqual({j["job"]["status"] for j in self.by_region("us-west-2")}, set(emulator.STATUS_ENUM))
        self.assertEqual({j["job"]["customizationType"] for j in self.jobs}, set(emulator.CUSTOMIZATION_TYPES))
        times = [emulator.ts_micros(j["job"]["creationTime"]) for j in self.jobs]
        self.assertEqual(len(set(times)), len(times))           # distinct across all regions
        for region in counts:
            times = [j["job"]["creationTime"] for j in self.by_region(region)]
            self.assertTrue(all("2024-01" <= t[:7] <= "2025-06" for t in times))
        demo = emulator.dump_fixtures("demo")["jobs"]
        self.assertTrue(35 <= len(demo) <= 45)
        self.assertEqual({j["region"] for j in demo}, {"us-east-1", "us-west-2"})
        self.assertEqual({j["job"]["status"] for j in demo}, set(emulator.STATUS_ENUM))
        self.assertEqual({j["job"]["customizationType"] for j in demo}, set(emulator.CUSTOMIZATION_TYPES))

    def test_rich_job(self):
        first = self.by_region("us-east-1")[0]
        g = first["job"]
        self.assertEqual(g["jobName"], "titan-support-ft-001")
        self.assertEqual((g["customizationType"], g["status"]), ("FINE_TUNING", "Completed"))
        for k in ("outputModelArn", "outputModelKmsKeyArn", "vpcConfig", "trainingMetrics", "validationMetrics",
                  "hyperParameters", "clientRequestToken", "endTime", "statusDetails"):
            self.assertIn(k, g)
        self.assertEqual(len(g["validationDataConfig"]["validators"]), 2)
        self.assertEqual(len(first["tags"]), 3)
        self.assertEqual(g["hyperParameters"], {"epochCount": "2", "batchSize": "8", "learningRate": "0.00001"})
        self.assertEqual(g["trainingMetrics"], {"trainingLoss": 0.123})

    def test_special_cases(self):
        names = {j["job"]["jobName"] for j in self.jobs}
        self.assertIn("llama3.1-ft+v2", names)
        values = [t["value"] for j in self.jobs for t in j["tags"]]
        self.assertTrue(any(":" in v and "=" in v for v in values))
        self.assertTrue(any(not j["tags"] for j in self.jobs))
        self.assertTrue(all(len(j["tags"]) <= 4 for j in self.jobs))
        self.assertTrue(any(":custom-model/" in j["summary"]["baseModelArn"] for j in self.jobs))
        nvals = {len(j["job"]["validationDataConfig"]["validators"]) for j in self.jobs}
        self.assertTrue({0, 1, 2} <= nvals)
        distill = [j["job"] for j in self.jobs if j["job"].get("trainingDataConfig", {}).get("invocationLogsConfig")]
        self.assertEqual(distill[0]["customizationConfig"]["distillationConfig"]["teacherModelConfig"]
                         ["maxResponseLengthForInference"], 1000)
        self.assertEqual(distill[0]["trainingDataConfig"]["invocationLogsConfig"]["requestMetadataFilters"],
                         {"andAll": [{"equals": {"project": "alpha"}}, {"notEquals": {"env": "dev"}}]})
        rft = [j["job"] for j in self.jobs if "rftConfig" in j["job"].get("customizationConfig", {})]
        self.assertTrue(rft)
        self.assertEqual(rft[0]["customizationConfig"]["rftConfig"]["hyperParameters"],
                         {"epochCount": 3, "batchSize": 32, "learningRate": 0.0001, "reasoningEffort": "medium"})
        for j in self.jobs:
            g = j["job"]
            if g["status"] == "Completed":
                self.assertIn("outputModelArn", g)
                self.assertEqual(g["outputModelArn"], j["summary"]["customModelArn"])
            if g["status"] == "Failed":
                self.assertIn("failureMessage", g)
                self.assertIn("endTime", g)
            if g["status"] in ("InProgress", "Stopping", "Pending"):
                self.assertNotIn("endTime", g)
            self.assertNotIn(None, g.values())
            self.assertNotIn(None, j["summary"].values())

    def test_fixtures_match_model_patterns(self):
        for fx in ("default", "demo", "large:400"):
            check_jobs_against_model(self, emulator.dump_fixtures(fx)["jobs"])

    def test_dump_fixtures_cli_is_deterministic(self):
        out1 = subprocess.run([sys.executable, EMULATOR, "--dump-fixtures"], capture_output=True, check=True).stdout
        out2 = subprocess.run([sys.executable, EMULATOR, "--dump-fixtures"], capture_output=True, check=True).stdout
        self.assertEqual(out1, out2)
        self.assertEqual(json.loads(out1), json.loads(json.dumps(self.dump)))


# The default fixtures' jobs that AWS-compatible endpoints hand out beyond the service model:
# (region, jobName) -> the members outside it
OFF_MODEL = {
    ("us-west-2", "ho-5"): {"jobArn"},
    ("eu-west-1", "queued-ft-pending"): {"status"},
    ("us-east-1", "legacy_ft_7"): {"jobArn", "jobName"},
}
DEFAULT_COUNTS = {"us-east-1": 24, "us-west-2": 8, "eu-west-1": 5}


def check_jobs_against_model(self, jobs):
    """Every job of a --dump-fixtures output is valid per the service model's shapes, except
    the OFF_MODEL members, which must be outside it."""
    model = json.loads(read(os.path.join(shared_dir(), "aws", "bedrock", "2023-04-20", "service-2.json")))
    shapes = model["shapes"]
    patterns = {}

    def fits(shape, value):
        s = shapes[shape]
        if "pattern" in s:
            rx = patterns.get(shape)
            if rx is None:
                rx = patterns[shape] = re.compile("(?:%s)" % s["pattern"], re.S)
            if not rx.fullmatch(value):
                return False
        return s.get("min", 0) <= len(value) <= s.get("max", len(value))

    def check(shape, value, what):
        self.assertTrue(fits(shape, value), "%s %r !~ %s" % (what, value, shape))

    seen = set()
    for j in jobs:
        g, s = j["job"], j["summary"]
        off = OFF_MODEL.get((j["region"], g["jobName"]), set())
        if off:
            seen.add((j["region"], g["jobName"]))
        self.assertIn(":%s:%s:" % (j["region"], emulator.ACCOUNT_ID), g["jobArn"])
        if "jobArn" in off:
            self.assertFalse(fits("ModelCustomizationJobArn", g["jobArn"]), g["jobArn"])
            self.assertFalse(fits("TaggableResourcesArn", g["jobArn"]), g["jobArn"])
        else:
            check("ModelCustomizationJobArn", g["jobArn"], "jobArn")
            check("TaggableResourcesArn", g["jobArn"], "jobArn taggable")
            self.assertTrue(re.search(r"/[a-z0-9]{12}\Z", g["jobArn"]))
        if "jobName" in off:
            self.assertFalse(fits("JobName", g["jobName"]), g["jobName"])
        else:
            check("JobName", g["jobName"], "jobName")
        if "status" in off:
            self.assertNotIn(g["status"], shapes["ModelCustomizationJobStatus"]["enum"])
        else:
            self.assertIn(g["status"], shapes["ModelCustomizationJobStatus"]["enum"])
        check("CustomModelName", g["outputModelName"], "outputModelName")
        check("RoleArn", g["roleArn"], "roleArn")
        check("FoundationModelArn", g["baseModelArn"], "baseModelArn")
        check("ModelArn", s["baseModelArn"], "summary baseModelArn")
        for k, shape in (("outputModelArn", "CustomModelArn"), ("clientRequestToken", "IdempotencyToken"),
                         ("outputModelKmsKeyArn", "KmsKeyArn"), ("failureMessage", "ErrorMessage")):
            if k in g:
                check(shape, g[k], k)
        self.assertIn(g["customizationType"], shapes["CustomizationType"]["enum"])
        if "s3Uri" in g["trainingDataConfig"]:
            check("S3Uri", g["trainingDataConfig"]["s3Uri"], "training s3Uri")
        check("S3Uri", g["outputDataConfig"]["s3Uri"], "output s3Uri")
        for v in g["validationDataConfig"]["validators"]:
            check("S3Uri", v["s3Uri"], "validator")
        if "vpcConfig" in g:
            for sn in g["vpcConfig"]["subnetIds"]:
                check("SubnetId", sn, "subnet")
            for sg in g["vpcConfig"]["securityGroupIds"]:
                check("SecurityGroupId", sg, "sg")
        rft = g.get("customizationConfig", {}).get("rftConfig")
        if rft:
            check("LambdaArn", rft["graderConfig"]["lambdaGrader"]["lambdaArn"], "lambda")
        for t in j["tags"]:
            check("TagKey", t["key"], "tag key")
            check("TagValue", t["value"], "tag value")
        for k in ("creationTime", "lastModifiedTime", "endTime"):
            if k in g:
                self.assertRegex(g[k], r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z\Z")
                self.assertIsNotNone(emulator.parse_iso8601(g[k]))
        members = set(shapes["GetModelCustomizationJobResponse"]["members"])
        self.assertLessEqual(set(g), members)
        self.assertTrue(set(shapes["GetModelCustomizationJobResponse"]["required"]) <= set(g))
        self.assertLessEqual(set(s), set(shapes["ModelCustomizationJobSummary"]["members"]))
        self.assertTrue(set(shapes["ModelCustomizationJobSummary"]["required"]) <= set(s))
    # with nulls "null" the optional members a job lacks are sent: they are exactly these
    for op, shape in (("GetModelCustomizationJob", "GetModelCustomizationJobResponse"),
                      ("ListModelCustomizationJobs", "ModelCustomizationJobSummary")):
        optional = set(shapes[shape]["members"]) - set(shapes[shape].get("required", []))
        self.assertEqual(set(emulator.NULLABLE_MEMBERS[op][1]), optional, shape)
    if jobs and jobs[0]["job"]["jobName"] == "titan-support-ft-001":        # the default fixtures
        self.assertEqual(seen, set(OFF_MODEL))


# ------------------------------------------------------------------------------------------
# The running emulator
# ------------------------------------------------------------------------------------------
KEY = emulator.LONG_TERM_ACCESS_KEY_ID
SECRET = emulator.LONG_TERM_SECRET_ACCESS_KEY
TKEY = emulator.TEMP_ACCESS_KEY_ID
TSECRET = emulator.TEMP_SECRET_ACCESS_KEY
TOKEN = emulator.TEMP_SESSION_TOKEN

SERVER = {}


def setUpModule():
    tmp = tempfile.mkdtemp(prefix="bedrock-emu-test-")
    port_file = os.path.join(tmp, "port")
    log = os.path.join(tmp, "requests.jsonl")
    proc = subprocess.Popen([sys.executable, EMULATOR, "--port", "0", "--port-file", port_file,
                             "--max-page-size", "5", "--log", log],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not os.path.exists(port_file):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("emulator did not start: %s" % proc.stderr.read().decode())
        time.sleep(0.02)
    with open(port_file) as f:
        text = f.read()
    SERVER.update(proc=proc, port=int(text), port_text=text, tmp=tmp, log=log)


def tearDownModule():
    proc = SERVER.get("proc")
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            SERVER["rc"] = proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        if proc.stderr:
            proc.stderr.close()
        if SERVER["rc"] != 0:
            raise AssertionError("emulator exited with %r on SIGTERM" % SERVER["rc"])
    if SERVER.get("tmp"):
        shutil.rmtree(SERVER["tmp"], ignore_errors=True)


def amz_now(delta=0):
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=delta)).strftime("%Y%m%dT%H%M%SZ")


class Resp:
    def __init__(self, r):
        self.status = r.status
        self.headers = r.headers
        self.raw = r.read()
        try:
            self.json = json.loads(self.raw) if self.raw else None
        except (ValueError, RecursionError):
            self.json = None

    @property
    def error_type(self):
        v = self.headers.get("X-Amzn-ErrorType")
        return v.split(":")[0] if v else None

    @property
    def message(self):
        return (self.json or {}).get("message")


def api(method, path, pairs=(), body=b"", region="us-east-1", key=KEY, secret=SECRET, token=None,
        amz_date=None, service="bedrock", conn=None, sign=True, extra_headers=None, raw_query=None,
        mutate=None):
    port = SERVER["port"]
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": "127.0.0.1:%d" % port}
    if method == "POST":
        headers["Content-Type"] = "application/json"
    headers.update(extra_headers or {})
    if sign:
        add, _ = client_sign(method, path, list(pairs), headers, body, key, secret, region,
                             amz_date or amz_now(), service, token)
        headers.update(add)
    if mutate:
        mutate(headers)
    query = raw_query if raw_query is not None else build_query(pairs)
    target = path + ("?" + query if query else "")
    conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
    for k, v in headers.items():
        conn.putheader(k, v)
    if method == "POST" or body:
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body or None)
    r = Resp(conn.getresponse())
    if own:
        conn.close()
    return r


def ctl(method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", SERVER["port"], timeout=10)
    conn.request(method, path, body=body)
    r = Resp(conn.getresponse())
    conn.close()
    return r


def list_all(pairs=(), region="us-east-1"):
    pages, items = [], []
    token = None
    while True:
        p = list(pairs) + ([("nextToken", token)] if token else [])
        r = api("GET", "/model-customization-jobs", p, region=region)
        assert r.status == 200, (r.status, r.raw)
        pages.append(r.json)
        items += r.json["modelCustomizationJobSummaries"]
        token = r.json.get("nextToken")
        if not token:
            return items, pages


def jobpath(ident):
    return "/model-customization-jobs/" + q(ident)


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fx = emulator.dump_fixtures("default")["jobs"]
        cls.e1 = [j for j in cls.fx if j["region"] == "us-east-1"]
        cls.rich = cls.e1[0]

    def setUp(self):
        self.assertEqual(ctl("POST", "/_emulator/reset", b"").status, 204)

    def assertError(self, r, status, error_type, message=None):
        self.assertEqual(r.status, status, r.raw)
        self.assertEqual(r.error_type, error_type, r.raw)
        self.assertIn("x-amzn-RequestId", r.headers)
        if message is not None:
            self.assertEqual(r.message, message)

    # -- startup ---------------------------------------------------------------------------
    def test_port_file_and_health(self):
        self.assertRegex(SERVER["port_text"], r"\A\d+\n\Z")
        r = ctl("GET", "/_emulator/health")
        self.assertEqual((r.status, r.json["ok"]), (200, True))
        self.assertIsInstance(r.json["threads"], int)

    # -- List ------------------------------------------------------------------------------
    def test_pagination_all_us_east_1(self):
        items, pages = list_all([("maxResults", "100")])
        self.assertEqual(len(items), 24)
        self.assertEqual([len(p["modelCustomizationJobSummaries"]) for p in pages], [5, 5, 5, 5, 4])
        tokens = [p["nextToken"] for p in pages[:-1]]
        self.assertNotIn("nextToken", pages[-1])
        for t in tokens:
            for ch in "+/=":
                self.assertIn(ch, t)
        self.assertEqual(len(set(tokens)), 4)
        times = [emulator.ts_micros(i["creationTime"]) for i in items]
        self.assertEqual(times, sorted(times, reverse=True))          # default Descending
        self.assertEqual({i["jobArn"] for i in items}, {j["job"]["jobArn"] for j in self.e1})
        self.assertEqual(items[-1]["jobName"], "titan-support-ft-001")
        fx = {j["job"]["jobArn"]: j["summary"] for j in self.e1}
        for i in items:
            self.assertEqual(i, fx[i["jobArn"]])
        asc, _ = list_all([("sortOrder", "Ascending"), ("sortBy", "CreationTime"), ("maxResults", "3")])
        self.assertEqual([i["jobArn"] for i in asc], [i["jobArn"] for i in reversed(items)])
        r = api("GET", "/model-customization-jobs", [("maxResults", "2")])
        self.assertEqual(len(r.json["modelCustomizationJobSummaries"]), 2)

    def test_regions(self):
        for region, n in (("us-west-2", 8), ("eu-west-1", 5), ("ap-southeast-2", 0)):
            items, _ = list_all([("maxResults", "1000")], region=region)
            self.assertEqual(len(items), n, region)
            self.assertTrue(all(":%s:" % region in i["jobArn"] for i in items))
        r = api("GET", "/model-customization-jobs", region="ap-southeast-2")
        self.assertEqual(r.json, {"modelCustomizationJobSummaries": []})

    def test_filters(self):
        items, _ = list_all([("statusEquals", "Failed"), ("maxResults", "100")])
        self.assertEqual(sorted(i["jobName"] for i in items),
                         sorted(j["job"]["jobName"] for j in self.e1 if j["job"]["status"] == "Failed"))
        self.assertTrue(items)
        items, _ = list_all([("nameContains", "ft+v")])
        self.assertEqual(sorted(i["jobName"] for i in items), ["llama3.1-ft+v2", "llama3.1-ft+v3"])
        items, _ = list_all([("nameContains", "titan-support")])
        self.assertEqual(len(items), 4)
        items, _ = list_all([("nameContains", "TITAN")])      # case-sensitive substring match
        self.assertEqual(items, [])
        # creation time window (strict bounds), Z and offset forms, with and without fraction
        t_rich = self.rich["job"]["creationTime"]                   # 2024-01-08T14:03:27.512Z
        items, _ = list_all([("creationTimeBefore", "2024-01-08T14:03:27.513Z")])
        self.assertEqual([i["jobName"] for i in items], ["titan-support-ft-001"])
        items, _ = list_all([("creationTimeBefore", t_rich)])
        self.assertEqual(items, [])
        items, _ = list_all([("creationTimeAfter", t_rich)])
        self.assertEqual(len(items), 23)
        items, _ = list_all([("creationTimeBefore", "2024-01-08T15:03:28+01:00")])
        self.assertEqual(len(items), 1)
        items, _ = list_all([("creationTimeAfter", "2025-01-01T00:00:00Z"),
                             ("creationTimeBefore", "2025-04-01T00:00:00.000000Z")])
        expect = [j for j in self.e1 if "2025-01-01" <= j["job"]["creationTime"] < "2025-04-01"]
        self.assertEqual(len(items), len(expect))
        self.assertTrue(expect)
        # filters combine; unknown parameters are ignored
        items, _ = list_all([("statusEquals", "Completed"), ("nameContains", "titan"),
                             ("creationTimeAfter", "2024-02-01T00:00:00-05:00"), ("bogusParam", "x")])
        self.assertTrue(items)
        for i in items:
            self.assertEqual(i["status"], "Completed")
            self.assertIn("titan", i["jobName"])
            self.assertGreater(i["creationTime"], "2024-02-01T05:00:00Z")
        # unsorted query on the wire is fine (canonical query is sorted by the verifier)
        pairs = [("statusEquals", "Completed"), ("maxResults", "10"), ("creationTimeAfter", "2024-01-01T00:00:00Z")]
        r = api("GET", "/model-customization-jobs", pairs, raw_query=build_query(pairs))
        self.assertEqual(r.status, 200)

    def test_validation_errors(self):
        def lst(*pairs):
            return api("GET", "/model-customization-jobs", list(pairs))
        r = lst(("statusEquals", "Bogus"))
        self.assertError(r, 400, "ValidationException",
                         "1 validation error detected: Value 'Bogus' at 'statusEquals' failed to satisfy "
                         "constraint: Member must satisfy enum value set: [InProgress, Completed, Failed, "
                         "Stopping, Stopped]")
        self.assertEqual(r.headers["X-Amzn-ErrorType"],
                         "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/")
        self.assertError(lst(("maxResults", "0")), 400, "ValidationException",
                         "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
                         "Member must have value greater than or equal to 1")
        self.assertError(lst(("maxResults", "1001")), 400, "ValidationException",
                         "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: "
                         "Member must have value less than or equal to 1000")
        r = lst(("nameContains", "bad_name"))
        self.assertError(r, 400, "ValidationException")
        self.assertIn("Value 'bad_name' at 'nameContains' failed to satisfy constraint: Member must satisfy "
                      "regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9\\+\\-\\.])*", r.message)
        self.assertError(lst(("nameContains", "-abc")), 400, "ValidationException")
        r = lst(("nameContains", "a" * 64))
        self.assertIn("Member must have length less than or equal to 63", r.message)
        r = lst(("statusEquals", "done"), ("maxResults", "0"), ("sortOrder", "Up"))
        self.assertError(r, 400, "ValidationException")
        self.assertTrue(r.message.startswith("3 validation errors detected: Value 'done' at 'statusEquals'"), r.message)
        self.assertEqual(r.message.count("; "), 2)
        self.assertError(lst(("sortBy", "Name")), 400, "ValidationException")
        self.assertError(lst(("maxResults", "ten")), 400, "SerializationException")
        self.assertError(lst(("creationTimeAfter", "yesterday")), 400, "SerializationException")

    def test_pagination_token_checks(self):
        r = api("GET", "/model-customization-jobs", [("maxResults", "5")])
        token = r.json["nextToken"]
        for pairs, region in (([("nextToken", "garbage")], "us-east-1"),
                              ([("nextToken", token[:-4] + "AAA=")], "us-east-1"),
                              ([("nextToken", token)], "us-west-2"),                      # other region
                              ([("nextToken", token), ("statusEquals", "Completed")], "us-east-1"),
                              ([("nextToken", token), ("sortOrder", "Ascending")], "us-east-1")):
            r = api("GET", "/model-customization-jobs", pairs, region=region)
            self.assertError(r, 400, "ValidationException", "Invalid pagination token")
        r = api("GET", "/model-customization-jobs", [("nextToken", token), ("maxResults", "7")])
        self.assertEqual(r.status, 200)                                 # page size may change
        self.assertError(api("GET", "/model-customization-jobs", [("nextToken", "")]), 400, "ValidationException")
        self.assertError(api("GET", "/model-customization-jobs", [("nextToken", "x" * 2049)]), 400,
                         "ValidationException")

    # -- Get -------------------------------------------------------------------------------
    def test_get_by_name_and_arn(self):
        g = self.rich["job"]
        r = api("GET", jobpath("titan-support-ft-001"))
        self.assertEqual((r.status, r.json), (200, g))
        self.assertEqual(r.headers["Content-Type"], "application/json")
        self.assertRegex(r.headers["x-amzn-RequestId"], r"\A[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
        path = jobpath(g["jobArn"])
        self.assertIn("arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Amodel-customization-job%2F", path)
        r = api("GET", path)
        self.assertEqual((r.status, r.json), (200, g))
        r = api("GET", jobpath("llama3.1-ft+v2"))                      # '+' sent as %2B
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json["jobName"], "llama3.1-ft+v2")
        # per-region: same name in two regions
        a = api("GET", jobpath("nova-micro-ft-classify"), region="us-east-1").json
        b = api("GET", jobpath("nova-micro-ft-classify"), region="us-west-2").json
        self.assertNotEqual(a["jobArn"], b["jobArn"])

    def test_get_errors(self):
        r = api("GET", jobpath("no-such-job"))
        self.assertError(r, 404, "ResourceNotFoundException",
                         "Could not find model customization job with identifier no-such-job")
        r = api("GET", jobpath(self.rich["job"]["jobArn"]), region="us-west-2")   # ARN of another region
        self.assertError(r, 404, "ResourceNotFoundException")
        r = api("GET", jobpath("titan-support-ft-001"), region="eu-west-1")
        self.assertError(r, 404, "ResourceNotFoundException")
        self.assertError(api("GET", jobpath("bad name!")), 400, "ValidationException")
        r = api("GET", jobpath("a" * 1012))
        self.assertError(r, 400, "ValidationException")
        self.assertIn("Member must have length less than or equal to 1011", r.message)
        r = api("GET", jobpath("arn:aws:bedrock:us-east-1:123456789012:model-customization-job/x/abc"))
        self.assertError(r, 400, "ValidationException")
        self.assertError(api("GET", "/model-customization-jobs/a/b"), 404, "UnknownOperationException")
        self.assertError(api("DELETE", "/model-customization-jobs"), 404, "UnknownOperationException")
        self.assertError(api("GET", "/nothing-here"), 404, "UnknownOperationException")

    # -- ListTagsForResource ---------------------------------------------------------------
    def test_list_tags(self):
        arn = self.rich["job"]["jobArn"]
        r = api("POST", "/listTagsForResource", body=json.dumps({"resourceARN": arn}).encode())
        self.assertEqual((r.status, r.json), (200, {"tags": self.rich["tags"]}))
        untagged = [j for j in self.e1 if not j["tags"]][0]
        r = api("POST", "/listTagsForResource", body=json.dumps({"resourceARN": untagged["job"]["jobArn"]}).encode())
        self.assertEqual((r.status, r.json), (200, {"tags": []}))
        special = [j for j in self.fx if any(":" in t["value"] and "=" in t["value"] for t in j["tags"])][0]
        r = api("POST", "/listTagsForResource", body=json.dumps({"resourceARN": special["job"]["jobArn"]}).encode(),
                region=special["region"])
        self.assertEqual(r.json["tags"], special["tags"])

    def test_list_tags_errors(self):
        def lt(body, region="us-east-1"):
            return api("POST", "/listTagsForResource", body=body, region=region)
        self.assertError(lt(b"{}"), 400, "ValidationException",
                         "1 validation error detected: Value null at 'resourceARN' failed to satisfy constraint: "
                         "Member must not be null")
        self.assertError(lt(b""), 400, "ValidationException")
        r = lt(b'{"resourceARN": "arn:aws:x"}')
        self.assertError(r, 400, "ValidationException")
        self.assertIn("Member must have length greater than or equal to 20", r.message)
        r = lt(json.dumps({"resourceARN": "arn:" + "a" * 1011}).encode())
        self.assertError(r, 400, "ValidationException")
        self.assertIn("Member must have length less than or equal to 1011", r.message)
        self.assertError(lt(b"not json"), 400, "SerializationException")
        self.assertError(lt(b'["x"]'), 400, "SerializationException")
        self.assertError(lt(b'{"resourceARN": 12345678901234567890123}'), 400, "SerializationException")
        unknown = "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k/zzzzzzzzzzzz"
        self.assertError(lt(json.dumps({"resourceARN": unknown}).encode()), 404, "ResourceNotFoundException")
        self.assertError(lt(json.dumps({"resourceARN": self.rich["job"]["jobArn"]}).encode(), "us-west-2"),
                         404, "ResourceNotFoundException")

    # -- SigV4 -----------------------------------------------------------------------------
    def test_auth_failures(self):
        L = "/model-customization-jobs"
        r = api("GET", L, sign=False)
        self.assertError(r, 403, "MissingAuthenticationTokenException", "Missing Authentication Token")
        invalid_token = "The security token included in the request is invalid."
        self.assertError(api("GET", L, key="AKIDUNKNOWNKEY000000"), 403, "UnrecognizedClientException", invalid_token)
        self.assertError(api("GET", L, key=TKEY, secret=TSECRET), 403, "UnrecognizedClientException", invalid_token)
        self.assertError(api("GET", L, key=TKEY, secret=TSECRET, token="emulator-session-token/WRONG"), 403,
                         "UnrecognizedClientException", invalid_token)
        self.assertEqual(api("GET", L, key=TKEY, secret=TSECRET, token=TOKEN).status, 200)
        self.assertEqual(api("GET", L, key=TKEY, secret=TSECRET, token=TOKEN,
                             mutate=lambda h: h.update({"X-Amz-Security-Token": "x"})).status, 403)
        mismatch = ("The request signature we calculated does not match the signature you provided. Check your "
                    "AWS Secret Access Key and signing method. Consult the service documentation for details.")
        self.assertError(api("GET", L, secret="wrong"), 403, "InvalidSignatureException", mismatch)
        # the signature covers the query, the path and the body
        r = api("GET", L, [("maxResults", "5")], raw_query="maxResults=6")
        self.assertError(r, 403, "InvalidSignatureException", mismatch)
        ent = ctl("GET", "/_emulator/requests").json[-1]
        self.assertIn("maxResults=6", ent["canonical_request"])
        body = json.dumps({"resourceARN": self.rich["job"]["jobArn"]}).encode()
        good = api("POST", "/listTagsForResource", body=body)
        self.assertEqual(good.status, 200)
        r = api("POST", "/listTagsForResource", body=body,
                mutate=lambda h: h.update({"Authorization": api_auth_for(body + b" ")}))
        self.assertError(r, 403, "InvalidSignatureException", mismatch)
        r = api("GET", L, amz_date="20150830T123600Z")
        self.assertError(r, 403, "InvalidSignatureException")
        self.assertRegex(r.message, r"\ASignature expired: 20150830T123600Z is now earlier than \d{8}T\d{6}Z "
                                    r"\(\d{8}T\d{6}Z - 15 min\.\)\Z")
        self.assertEqual(api("GET", L, amz_date=amz_now(-600)).status, 200)     # 10 minutes skew is fine
        r = api("GET", L, amz_date=amz_now(3600))
        self.assertError(r, 403, "InvalidSignatureException")
        self.assertIn("Signature not yet current", r.message)
        r = api("GET", L, service="s3")
        self.assertError(r, 403, "InvalidSignatureException", "Credential should be scoped to correct service: 'bedrock'.")
        for bad_region in ("US-EAST-1", "useast1", "us-east", "us-east-1x"):
            r = api("GET", L, region=bad_region)
            self.assertError(r, 403, "InvalidSignatureException")
            self.assertIn("valid region", r.message)
        r = api("GET", L, mutate=lambda h: h.update(
            {"Authorization": h["Authorization"].replace("/aws4_request", "/aws5_request")}))
        self.assertError(r, 403, "InvalidSignatureException")
        r = api("GET", L, mutate=lambda h: h.update(
            {"Authorization": h["Authorization"].replace("SignedHeaders=host;", "SignedHeaders=")}))
        self.assertEqual(r.status, 403)
        r = api("GET", L, mutate=lambda h: h.pop("X-Amz-Date"))
        self.assertError(r, 403, "IncompleteSignatureException")
        r = api("GET", L, mutate=lambda h: h.update({"Authorization": "Bearer abc"}))
        self.assertError(r, 403, "IncompleteSignatureException")
        # any valid region works and is taken from the scope
        self.assertEqual(api("GET", L, region="ap-southeast-2").status, 200)
        # failed requests are logged with their status, region and key from the scope
        log = ctl("GET", "/_emulator/requests").json
        self.assertEqual(log[0]["status"], 403)
        self.assertEqual(log[0]["access_key"], None)
        self.assertEqual(log[1]["access_key"], "AKIDUNKNOWNKEY000000")
        self.assertEqual(log[1]["region"], "us-east-1")
        self.assertEqual(log[-1]["region"], "ap-southeast-2")

    def test_unsigned_extra_headers_and_duplicate_query_order(self):
        # unsigned headers (User-Agent, Accept) do not matter; signed ones do
        r = api("GET", "/model-customization-jobs", extra_headers={"User-Agent": "x"},
                mutate=lambda h: h.update({"Accept": "*/*"}))
        self.assertEqual(r.status, 200)

    # -- faults ----------------------------------------------------------------------------
    def test_faults(self):
        rules = [{"operation": "ListModelCustomizationJobs", "region": "us-west-2", "status": 429,
                  "error_type": "ThrottlingException", "message": "Rate exceeded", "times": 2, "after": 1},
                 {"operation": "GetModelCustomizationJob", "status": 200, "body": "{not json", "times": 1},
                 {"operation": "ListTagsForResource", "status": 500}]
        self.assertEqual(ctl("POST", "/_emulator/faults", json.dumps(rules).encode()).status, 204)
        L = "/model-customization-jobs"
        statuses = [api("GET", L, region="us-west-2").status for _ in range(4)]
        self.assertEqual(statuses, [200, 429, 429, 200])
        self.assertEqual(api("GET", L, region="us-east-1").status, 200)
        r = api("GET", L, region="us-west-2")
        self.assertEqual(r.status, 200)
        ctl("POST", "/_emulator/faults", json.dumps(rules[:1]).encode())
        api("GET", L, region="us-west-2")
        r = api("GET", L, region="us-west-2")
        self.assertError(r, 429, "ThrottlingException", "Rate exceeded")
        # unauthenticated requests are answered 403 before faults apply
        self.assertEqual(api("GET", L, region="us-west-2", sign=False).status, 403)
        ctl("POST", "/_emulator/faults", json.dumps(rules[1:]).encode())
        r = api("GET", jobpath("titan-support-ft-001"))
        self.assertEqual((r.status, r.raw), (200, b"{not json"))
        self.assertEqual(api("GET", jobpath("titan-support-ft-001")).status, 200)   # times=1 used up
        r = api("POST", "/listTagsForResource", body=json.dumps({"resourceARN": self.rich["job"]["jobArn"]}).encode())
        self.assertEqual(r.status, 500)
        self.assertIsNone(r.error_type)
        self.assertIn("message", r.json)
        ctl("POST", "/_emulator/faults", json.dumps([{"operation": "*", "status": 503,
                                                      "error_type": "ServiceUnavailableException"}]).encode())
        self.assertError(api("GET", L), 503, "ServiceUnavailableException")
        log = ctl("GET", "/_emulator/requests").json
        self.assertEqual(log[-1]["status"], 503)
        self.assertEqual(ctl("POST", "/_emulator/reset", b"").status, 204)          # reset clears faults
        self.assertEqual(api("GET", L).status, 200)
        self.assertEqual(ctl("POST", "/_emulator/faults", b"{").status, 400)
        self.assertEqual(ctl("POST", "/_emulator/faults", b'[{"operation": "*"}]').status, 400)

    # -- request log and emuctl ------------------------------------------------------------
    def test_request_log_and_emuctl(self):
        port = str(SERVER["port"])
        env = dict(os.environ, EMU_PORT=port)
        r = subprocess.run([sys.executable, EMUCTL, "wait"], env=env, capture_output=True, timeout=15)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = subprocess.run([sys.executable, EMUCTL, "reset"], env=env, capture_output=True, timeout=15)
        self.assertEqual(r.returncode, 0, r.stderr)
        list_all([("maxResults", "100"), ("statusEquals", "Failed")], region="us-west-2")
        list_all([("maxResults", "100")], region="eu-west-1")
        list_all([("maxResults", "10")], region="us-east-1")
        api("GET", jobpath(self.rich["job"]["jobArn"]))
        api("GET", jobpath("llama3.1-ft+v2"))
        api("POST", "/listTagsForResource", body=json.dumps({"resourceARN": self.rich["job"]["jobArn"]}).encode())
        api("GET", "/model-customization-jobs", [("statusEquals", "Bogus")])
        api("GET", "/model-customization-jobs", sign=False)
        log = ctl("GET", "/_emulator/requests").json
        self.assertEqual([e["seq"] for e in log], sorted(e["seq"] for e in log))
        first = log[0]
        self.assertEqual(first["method"], "GET")
        self.assertEqual(first["operation"], "ListModelCustomizationJobs")
        self.assertEqual(first["region"], "us-west-2")
        self.assertEqual(first["params"], {"maxResults": "100", "statusEquals": "Failed"})
        self.assertIsNone(first["body"])
        self.assertEqual(first["status"], 200)
        self.assertEqual(first["access_key"], KEY)
        self.assertTrue(first["path"].startswith("/model-customization-jobs?"))
        tags = [e for e in log if e["operation"] == "ListTagsForResource"][0]
        self.assertEqual(tags["body"], {"resourceARN": self.rich["job"]["jobArn"]})
        get = [e for e in log if e["operation"] == "GetModelCustomizationJob"][0]
        self.assertIn("%3A", get["path"])
        self.assertEqual(log[-1]["region"], None)
        self.assertEqual(log[-1]["access_key"], None)
        self.assertEqual(log[-1]["status"], 403)
        r = subprocess.run([sys.executable, EMUCTL, "--port", port, "requests", "--summary"],
                           capture_output=True, timeout=15, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        arn = self.rich["job"]["jobArn"]
        expected = sorted([
            "ListModelCustomizationJobs us-west-2 maxResults=100&statusEquals=Failed 200",
            "ListModelCustomizationJobs eu-west-1 maxResults=100 200",
            "ListModelCustomizationJobs us-east-1 maxResults=10 200",
            "ListModelCustomizationJobs us-east-1 maxResults=10&nextToken=* 200",
            "ListModelCustomizationJobs us-east-1 maxResults=10&nextToken=* 200",
            "ListModelCustomizationJobs us-east-1 maxResults=10&nextToken=* 200",
            "ListModelCustomizationJobs us-east-1 maxResults=10&nextToken=* 200",
            "GetModelCustomizationJob us-east-1 jobIdentifier=%s 200" % arn,
            "GetModelCustomizationJob us-east-1 jobIdentifier=llama3.1-ft+v2 200",
            "ListTagsForResource us-east-1 resourceARN=%s 200" % arn,
            "ListModelCustomizationJobs us-east-1 statusEquals=Bogus 400",
            "ListModelCustomizationJobs - - 403",
        ])
        self.assertEqual(r.stdout.splitlines(), expected)
        r = subprocess.run([sys.executable, EMUCTL, "--port", port, "requests"], capture_output=True,
                           timeout=15, text=True)
        self.assertEqual(len(json.loads(r.stdout)), len(log))
        r = subprocess.run([sys.executable, EMUCTL, "--port", port, "faults",
                            '[{"operation":"*","status":500,"times":1}]'], capture_output=True, timeout=15)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(api("GET", "/model-customization-jobs").status, 500)
        r = subprocess.run([sys.executable, EMUCTL, "--port", port, "faults", "{bad"], capture_output=True, timeout=15)
        self.assertNotEqual(r.returncode, 0)
        self.assertTrue(r.stderr)
        r = subprocess.run([sys.executable, EMUCTL, "requests"], capture_output=True, timeout=15,
                           env={k: v for k, v in os.environ.items() if k != "EMU_PORT"})
        self.assertNotEqual(r.returncode, 0)
        # the --log file has one JSON line per Bedrock request, none for control calls
        with open(SERVER["log"]) as f:
            lines = [json.loads(x) for x in f]
        self.assertTrue(lines)
        self.assertTrue(all(not e["path"].startswith("/_emulator") for e in lines))
        self.assertEqual(lines[-1]["status"], 500)

    # -- connection handling ---------------------------------------------------------------
    def test_keep_alive_and_concurrency(self):
        conn = http.client.HTTPConnection("127.0.0.1", SERVER["port"], timeout=10)
        r1 = api("GET", "/model-customization-jobs", [("maxResults", "1")], conn=conn)
        sock = conn.sock
        self.assertIsNotNone(sock)
        r2 = api("GET", jobpath("titan-support-ft-001"), conn=conn)
        r3 = api("GET", "/model-customization-jobs", [("statusEquals", "nope")], conn=conn)   # error keeps it too
        r4 = api("POST", "/listTagsForResource", body=b"{}", conn=conn)
        r5 = api("GET", "/model-customization-jobs", conn=conn)
        self.assertIs(conn.sock, sock)
        self.assertEqual([r.status for r in (r1, r2, r3, r4, r5)], [200, 200, 400, 400, 200])
        conn.close()
        # the log tells connections apart, and when each request came
        log = ctl("GET", "/_emulator/requests").json
        self.assertEqual(len({e["conn"] for e in log}), 1)
        times = [e["time"] for e in log]
        self.assertEqual(times, sorted(times))
        self.assertLess(abs(times[-1] - time.time()), 5)
        api("GET", "/model-customization-jobs")
        self.assertNotEqual(ctl("GET", "/_emulator/requests").json[-1]["conn"], log[0]["conn"])
        ctl("POST", "/_emulator/reset", b"")
        results = []

        def worker(i):
            c = http.client.HTTPConnection("127.0.0.1", SERVER["port"], timeout=10)
            for k in range(4):
                region = ("us-east-1", "us-west-2", "eu-west-1")[(i + k) % 3]
                results.append(api("GET", "/model-customization-jobs", [("maxResults", "3")], region=region,
                                   conn=c).status)
            c.close()
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        self.assertEqual(results, [200] * 64)
        self.assertEqual(len(ctl("GET", "/_emulator/requests").json), 64)


def raw_api(method, path, pairs=(), body=b"", region="us-east-1", timeout=10, stop_after_head=False):
    """Send a signed request on a fresh socket and read until the server closes it.
    Returns (head bytes, body bytes, end, seconds) with end 'eof', 'reset' or 'timeout';
    stop_after_head closes the socket as soon as the headers arrived (end 'head')."""
    port = SERVER["port"]
    headers = {"Host": "127.0.0.1:%d" % port}
    if method == "POST":
        headers["Content-Type"] = "application/json"
    add, _ = client_sign(method, path, list(pairs), headers, body, KEY, SECRET, region, amz_now())
    headers.update(add)
    headers["Connection"] = "close"             # unsigned: a normal answer ends with EOF too
    if method == "POST" or body:
        headers["Content-Length"] = str(len(body))
    query = build_query(pairs)
    req = "%s %s%s HTTP/1.1\r\n" % (method, path, "?" + query if query else "")
    req += "".join("%s: %s\r\n" % kv for kv in headers.items()) + "\r\n"
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    t0 = time.monotonic()
    s.sendall(req.encode() + body)
    data = b""
    end = None
    try:
        while True:
            chunk = s.recv(1 << 16)
            if not chunk:
                end = "eof"
                break
            data += chunk
            if stop_after_head and b"\r\n\r\n" in data:
                end = "head"
                break
    except ConnectionResetError:
        end = "reset"
    except socket.timeout:
        end = "timeout"
    finally:
        s.close()
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest, end, time.monotonic() - t0


def head_fields(head):
    lines = head.decode("latin-1").split("\r\n")
    fields = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        fields[k.strip().lower()] = v.strip()
    return int(lines[0].split()[1]), fields


def emulator_threads():
    return ctl("GET", "/_emulator/health").json["threads"]


def wait_threads(n, within=3.0):
    """The emulator's thread count once it is at most n, or after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        k = emulator_threads()
        if k <= n or time.monotonic() > deadline:
            return k
        time.sleep(0.05)


L = "/model-customization-jobs"


class FaultActionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        fx = emulator.dump_fixtures("default")["jobs"]
        cls.e1 = [j for j in fx if j["region"] == "us-east-1"]
        cls.rich = cls.e1[0]
        cls.tags_body = json.dumps({"resourceARN": cls.rich["job"]["jobArn"]}).encode()

    def setUp(self):
        self.assertEqual(ctl("POST", "/_emulator/reset", b"").status, 204)
        # live handler threads when idle (the handler of the previous control call may linger)
        self.threads = min(emulator_threads() for _ in range(3))

    def tearDown(self):
        ctl("POST", "/_emulator/reset", b"")

    def faults(self, *rules):
        r = ctl("POST", "/_emulator/faults", json.dumps(list(rules)).encode())
        self.assertEqual(r.status, 204, r.raw)

    def last_log(self):
        return ctl("GET", "/_emulator/requests").json[-1]

    def normal(self, method, path, pairs=(), body=b""):
        ctl("POST", "/_emulator/faults", b"[]")
        r = api(method, path, pairs, body=body)
        self.assertEqual(r.status, 200)
        return r

    # -- validation ----------------------------------------------------------------------
    def test_validation(self):
        bad = [
            {"operation": "*", "action": "explode"},
            {"operation": "*", "action": 3},
            {"operation": "*", "status": 500, "retry-after": "1"},                 # unknown member
            {"operation": "*", "action": "reset", "status": 500},                   # status with reset
            {"operation": "*", "action": "stall_headers", "body": "x"},
            {"operation": "*", "action": "truncate", "message": "m"},               # needs status
            {"operation": "*", "action": "huge", "depth": 3},
            {"operation": "*", "action": "deep", "size": 3},
            {"operation": "*", "action": "non_utf8", "status": 200},
            {"operation": "*", "action": "huge", "size": 0},
            {"operation": "*", "action": "huge", "size": (1 << 32) + 1},
            {"operation": "*", "action": "garbage", "size": "10"},
            {"operation": "*", "action": "deep", "depth": 0},
            {"operation": "*", "action": "deep", "depth": True},
            {"operation": "*", "status": 500, "probability": 1.5},
            {"operation": "*", "status": 500, "probability": -0.1},
            {"operation": "*", "status": 500, "probability": "0.5"},
            {"operation": "*", "status": 500, "probability": True},
            {"operation": "*", "status": 500, "seed": 1.5},
            {"operation": "*", "status": 500, "retry_after": 1},
            {"operation": "*", "status": 500, "retry_after": ""},
            {"operation": "*", "status": 500, "retry_after": "1\r\nX-Evil: 1"},
            {"operation": "*", "status": 500, "content_type": 7},
            {"operation": "*", "action": "stall_body", "delay": 601},
            {"operation": "*", "action": "reset", "times": 0},
            {"operation": "*", "action": "huge", "status": 99},
        ]
        for rule in bad:
            r = ctl("POST", "/_emulator/faults", json.dumps([rule]).encode())
            self.assertEqual(r.status, 400, rule)
            self.assertTrue(r.message, rule)
        good = [
            {"operation": "*", "action": "reset", "probability": 0.5, "seed": 3, "times": 2, "after": 1,
             "region": "us-east-1", "request_id": "x", "retry_after": "2", "delay": 0.1},
            {"operation": "*", "action": "stall_headers"},
            {"operation": "*", "action": "stall_body", "status": 502, "body": "<html></html>",
             "content_type": "text/html", "error_type": "BadGateway", "message": "m"},
            {"operation": "*", "action": "truncate"},
            {"operation": "*", "action": "huge", "size": 10, "status": 200},
            {"operation": "*", "action": "garbage", "size": 10, "seed": -4},
            {"operation": "*", "action": "deep", "depth": 10},
            {"operation": "*", "action": None, "status": 429, "retry_after": "1", "probability": 0},
            {"operation": "*", "action": "repeat_token"},
            {"operation": "*", "action": "unknown_status"},
            {"operation": "*", "action": "bad_timestamp"},
            {"operation": "*", "action": "non_utf8"},
        ]
        self.faults(*good)
        r = ctl("POST", "/_emulator/faults", json.dumps([{"operation": "*", "action": "nope"}]).encode())
        self.assertIn("reset", r.message)           # lists the valid actions

    # -- Retry-After and Content-Type ----------------------------------------------------
    def test_retry_after_and_content_type(self):
        self.faults({"operation": "ListModelCustomizationJobs", "status": 429, "error_type": "ThrottlingException",
                     "retry_after": "1", "times": 1},
                    {"operation": "ListModelCustomizationJobs", "status": 502, "times": 1,
                     "body": "<html><body><h1>502 Bad Gateway</h1></body></html>", "content_type": "text/html"})
        r = api("GET", L)
        self.assertEqual((r.status, r.error_type, r.headers.get("Retry-After")), (429, "ThrottlingException", "1"))
        r = api("GET", L)
        self.assertEqual((r.status, r.headers.get("Content-Type"), r.headers.get("Retry-After")),
                         (502, "text/html", None))
        self.assertTrue(r.raw.startswith(b"<html>"))
        self.assertEqual(api("GET", L).status, 200)

    # -- connection faults ---------------------------------------------------------------
    def test_reset(self):
        self.faults({"operation": "ListModelCustomizationJobs", "action": "reset", "times": 1})
        head, body, end, _ = raw_api("GET", L)
        self.assertEqual((head, body, end), (b"", b"", "reset"))
        e = self.last_log()
        self.assertEqual((e["operation"], e["status"], e["fault"], e["action"]),
                         ("ListModelCustomizationJobs", None, True, "reset"))
        self.assertEqual(api("GET", L).status, 200)       # times=1: used up
        # http.client sees it as a reset too
        self.faults({"operation": "*", "action": "reset"})
        conn = http.client.HTTPConnection("127.0.0.1", SERVER["port"], timeout=10)
        with self.assertRaises((ConnectionResetError, http.client.RemoteDisconnected)):
            api("GET", L, conn=conn)
        conn.close()
        r = subprocess.run([sys.executable, EMUCTL, "--port", str(SERVER["port"]), "requests", "--summary"],
                           capture_output=True, timeout=15, text=True)
        self.assertIn("ListModelCustomizationJobs us-east-1 - -/reset", r.stdout.splitlines())

    def test_answer_delayed_past_a_reset_stays_out_of_the_new_log(self):
        # an earlier test's delayed answer must not show up in the next test's log
        self.faults({"operation": "ListModelCustomizationJobs", "status": 200, "delay": 0.5,
                     "body": "{\"modelCustomizationJobSummaries\": []}"})
        done = []
        t = threading.Thread(target=lambda: done.append(api("GET", L).status))
        t.start()
        time.sleep(0.2)
        self.assertEqual(ctl("POST", "/_emulator/reset", b"").status, 204)
        t.join(10)
        self.assertEqual(done, [200])
        self.assertEqual(ctl("GET", "/_emulator/requests").json, [])
        self.assertEqual(api("GET", L).status, 200)     # a request after the reset is logged
        self.assertEqual([e["operation"] for e in ctl("GET", "/_emulator/requests").json],
                         ["ListModelCustomizationJobs"])

    def test_stall_headers(self):
        self.faults({"operation": "GetModelCustomizationJob", "action": "stall_headers", "delay": 0.3, "times": 1})
        head, body, end, secs = raw_api("GET", jobpath("titan-support-ft-001"))
        self.assertEqual((head, body, end), (b"", b"", "eof"))
        self.assertGreaterEqual(secs, 0.28)
        self.assertLess(secs, 3)
        self.assertEqual((self.last_log()["status"], self.last_log()["action"]), (None, "stall_headers"))

    def test_stall_ends_when_client_leaves_and_others_are_served(self):
        self.faults({"operation": "ListModelCustomizationJobs", "action": "stall_headers", "delay": 60},
                    {"operation": "GetModelCustomizationJob", "action": "stall_body", "delay": 60})
        socks = []
        for path in (L, jobpath("titan-support-ft-001")):
            t = threading.Thread(target=lambda p=path: socks.append(raw_api("GET", p, timeout=0.3)))
            t.start()
            socks.append(t)
        # while both are stalled, other requests are answered at once
        t0 = time.monotonic()
        r = api("POST", "/listTagsForResource", body=self.tags_body)
        self.assertEqual(r.status, 200)
        self.assertLess(time.monotonic() - t0, 1.0)
        for t in [x for x in socks if isinstance(x, threading.Thread)]:
            t.join(5)
        results = [x for x in socks if isinstance(x, tuple)]
        self.assertEqual(sorted(x[2] for x in results), ["timeout", "timeout"])
        # the clients gave up after 0.3 s: the stalled handler threads end soon after
        self.assertLessEqual(wait_threads(self.threads), self.threads)

    def test_stall_body(self):
        normal = self.normal("GET", L).raw
        self.faults({"operation": "ListModelCustomizationJobs", "action": "stall_body", "delay": 0.3,
                     "retry_after": "3"})
        head, body, end, secs = raw_api("GET", L)
        status, fields = head_fields(head)
        self.assertEqual((status, int(fields["content-length"]), fields["retry-after"]), (200, len(normal), "3"))
        self.assertEqual(body, normal[:len(normal) // 2])
        self.assertEqual(end, "eof")
        self.assertGreaterEqual(secs, 0.28)
        self.assertEqual((self.last_log()["status"], self.last_log()["action"]), (200, "stall_body"))
        # with a status of its own, the rule's answer is stalled
        self.faults({"operation": "*", "action": "stall_body", "delay": 0.1, "status": 503,
                     "error_type": "ServiceUnavailableException", "message": "slow down"})
        head, body, end, _ = raw_api("GET", L)
        status, fields = head_fields(head)
        full = json.dumps({"message": "slow down"}).encode()
        self.assertEqual((status, int(fields["content-length"]), body), (503, len(full), full[:len(full) // 2]))
        self.assertTrue(fields["x-amzn-errortype"].startswith("ServiceUnavailableException:"))

    def test_truncate(self):
        normal = self.normal("GET", jobpath("titan-support-ft-001")).raw
        self.faults({"operation": "GetModelCustomizationJob", "action": "truncate"})
        head, body, end, secs = raw_api("GET", jobpath("titan-support-ft-001"))
        status, fields = head_fields(head)
        self.assertEqual((status, int(fields["content-length"])), (200, len(normal)))
        self.assertEqual((body, end), (normal[:len(normal) // 2], "eof"))
        self.assertLess(secs, 2)
        conn = http.client.HTTPConnection("127.0.0.1", SERVER["port"], timeout=10)
        with self.assertRaises(http.client.IncompleteRead):
            api("GET", jobpath("titan-support-ft-001"), conn=conn)
        conn.close()
        # a 404 answer is truncated just as well
        head, body, end, _ = raw_api("GET", jobpath("no-such-job"))
        self.assertEqual(head_fields(head)[0], 404)
        self.assertEqual(self.last_log()["error_type"], "ResourceNotFoundException")

    # -- hostile bodies ------------------------------------------------------------------
    def test_huge(self):
        page = self.normal("GET", L).json
        size = 3 * 1024 * 1024 + 7
        self.faults({"operation": "ListModelCustomizationJobs", "action": "huge", "size": size, "times": 1})
        r = api("GET", L)
        self.assertEqual((r.status, len(r.raw)), (200, size))
        self.assertEqual(r.json["modelCustomizationJobSummaries"], page["modelCustomizationJobSummaries"])
        self.assertEqual(r.json["nextToken"], page["nextToken"])
        self.assertEqual(set(r.json["padding"]), {"x"})
        self.assertEqual(self.last_log()["sent"], size)
        # default: 80 MiB; a client that hangs up after the headers does not upset the emulator
        self.faults({"operation": "*", "action": "huge"})
        head, _, end, _ = raw_api("POST", "/listTagsForResource", body=self.tags_body, stop_after_head=True)
        self.assertEqual(head_fields(head)[1]["content-length"], str(80 * 1024 * 1024))
        self.assertEqual(end, "head")
        deadline = time.monotonic() + 5
        while not self.last_log().get("hung_up") and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(self.last_log().get("hung_up"))
        self.assertLess(self.last_log()["sent"], 80 * 1024 * 1024)
        ctl("POST", "/_emulator/faults", b"[]")
        self.assertEqual(api("GET", L).status, 200)
        self.assertLessEqual(wait_threads(self.threads), self.threads)
        # never shorter than the normal answer; status override
        self.faults({"operation": "*", "action": "huge", "size": 1, "status": 500})
        r = api("GET", jobpath("titan-support-ft-001"))
        self.assertEqual(r.status, 500)
        self.assertEqual(r.json["jobName"], "titan-support-ft-001")
        self.assertEqual(r.json["padding"], "")

    def test_garbage(self):
        self.faults({"operation": "*", "action": "garbage", "size": 3000, "seed": 7})
        a = api("GET", L)
        b = api("GET", jobpath("titan-support-ft-001"))
        self.assertEqual((a.status, len(a.raw)), (200, 3000))
        self.assertEqual(a.raw, b.raw)                                   # seeded: deterministic
        self.assertTrue(a.raw.startswith(b"\xff\xfe"))
        self.assertIsNone(a.json)
        with self.assertRaises(UnicodeDecodeError):
            a.raw.decode("utf-8")
        self.faults({"operation": "*", "action": "garbage", "size": 3000, "seed": 8})
        self.assertNotEqual(api("GET", L).raw, a.raw)
        self.faults({"operation": "*", "action": "garbage"})
        self.assertEqual(len(api("GET", L).raw), 1024)
        self.assertEqual(self.last_log()["action"], "garbage")

    def test_deep(self):
        self.faults({"operation": "*", "action": "deep", "depth": 40})
        r = api("GET", L)
        self.assertEqual(r.status, 200)
        v, n = r.json["modelCustomizationJobSummaries"], 1
        while v:
            v, n = v[0], n + 1
        self.assertEqual((v, n), ([], 40))
        self.assertIn("validationMetrics", api("GET", jobpath("titan-support-ft-001")).json)
        self.assertIn("tags", api("POST", "/listTagsForResource", body=self.tags_body).json)
        self.faults({"operation": "*", "action": "deep"})
        r = api("GET", L)
        prefix = b'{"modelCustomizationJobSummaries":'
        self.assertEqual(r.raw, prefix + b"[" * 10000 + b"]" * 10000 + b"}")

    def test_non_utf8(self):
        page = self.normal("GET", L).json
        job = self.normal("GET", jobpath("titan-support-ft-001")).json
        tags = self.normal("POST", "/listTagsForResource", body=self.tags_body).json
        self.faults({"operation": "*", "action": "non_utf8"})
        r = api("GET", L)
        self.assertEqual(r.status, 200)
        self.assertIsNone(r.json)
        with self.assertRaises(UnicodeDecodeError):
            r.raw.decode("utf-8")
        doc = json.loads(r.raw.decode("latin-1"))
        first = page["modelCustomizationJobSummaries"][0]
        self.assertEqual(doc["modelCustomizationJobSummaries"][0]["jobName"], first["jobName"] + "\xff\xfe")
        self.assertEqual(doc["modelCustomizationJobSummaries"][1:], page["modelCustomizationJobSummaries"][1:])
        doc = json.loads(api("GET", jobpath("titan-support-ft-001")).raw.decode("latin-1"))
        self.assertEqual((doc["jobName"], doc["roleArn"]), (job["jobName"] + "\xff\xfe", job["roleArn"] + "\xff\xfe"))
        doc = json.loads(api("POST", "/listTagsForResource", body=self.tags_body).raw.decode("latin-1"))
        self.assertEqual(doc["tags"][0]["value"], tags["tags"][0]["value"] + "\xff\xfe")
        self.assertEqual(doc["tags"][1:], tags["tags"][1:])
        # errors are sent unchanged
        self.assertEqual(api("GET", jobpath("no-such-job")).status, 404)

    def test_repeat_token(self):
        page = self.normal("GET", L).json
        self.faults({"operation": "*", "action": "repeat_token"})
        r = api("GET", L)
        self.assertEqual(r.json["modelCustomizationJobSummaries"], page["modelCustomizationJobSummaries"])
        self.assertEqual(r.json["nextToken"], emulator.REPEAT_TOKEN)
        r2 = api("GET", L, [("nextToken", r.json["nextToken"])])
        self.assertEqual(r2.status, 200)
        self.assertEqual(r2.json, r.json)                                    # the same page forever
        r3 = api("GET", L, [("nextToken", page["nextToken"])])
        self.assertEqual(r3.json["nextToken"], page["nextToken"])            # echoes any token
        self.assertEqual(r3.json["modelCustomizationJobSummaries"], page["modelCustomizationJobSummaries"])
        # other parameters still apply; invalid ones still fail
        r = api("GET", L, [("statusEquals", "Stopping")])
        self.assertEqual([j["jobName"] for j in r.json["modelCustomizationJobSummaries"]], ["llama3-2-3b-ft-intent"])
        self.assertEqual(r.json["nextToken"], emulator.REPEAT_TOKEN)
        self.assertEqual(api("GET", L, [("statusEquals", "Bogus")]).status, 400)
        # other operations are answered normally
        self.assertEqual(api("GET", jobpath("titan-support-ft-001")).json["jobName"], "titan-support-ft-001")
        self.assertEqual(self.last_log()["action"], "repeat_token")

    def test_unknown_status_and_bad_timestamp(self):
        page = self.normal("GET", L).json
        job = self.normal("GET", jobpath("titan-support-ft-001")).json
        tags = self.normal("POST", "/listTagsForResource", body=self.tags_body).json
        for action, member, value in (("unknown_status", "status", "Exploding"),
                                      ("bad_timestamp", "creationTime", "2024-13-45T99:99:99Z")):
            self.faults({"operation": "*", "action": action})
            r = api("GET", L)
            want = json.loads(json.dumps(page))
            want["modelCustomizationJobSummaries"][0][member] = value
            self.assertEqual(r.json, want)
            want = dict(job, **{member: value})
            self.assertEqual(api("GET", jobpath("titan-support-ft-001")).json, want)
            self.assertEqual(api("POST", "/listTagsForResource", body=self.tags_body).json, tags)
            self.assertEqual(self.last_log()["action"], action)

    # -- probability ---------------------------------------------------------------------
    def test_probability(self):
        def run(rule, n):
            self.faults(rule)
            return [api("GET", L, [("maxResults", "1")]).status for _ in range(n)]
        rule = {"operation": "ListModelCustomizationJobs", "status": 503, "probability": 0.3, "seed": 5}
        got = run(rule, 40)
        rng = __import__("random").Random(5)
        self.assertEqual(got, [503 if rng.random() < 0.3 else 200 for _ in range(40)])
        self.assertEqual(run(rule, 40), got)                     # reproducible: same seed, same faults
        self.assertNotEqual(run(dict(rule, seed=6), 40), got)
        self.assertEqual(set(run(dict(rule, probability=0), 10)), {200})
        self.assertEqual(set(run(dict(rule, probability=1), 10)), {503})
        # with "after" and "times": draws start after the skipped requests; misses do not count
        got = run({"operation": "*", "status": 500, "probability": 0.5, "after": 2, "times": 3}, 30)
        self.assertEqual(got[:2], [200, 200])
        self.assertEqual(got.count(500), 3)
        # default seed 1, with an action
        self.faults({"operation": "*", "action": "reset", "probability": 0.5})
        rng = __import__("random").Random(1)
        for _ in range(12):
            want = rng.random() < 0.5
            head, body, end, _ = raw_api("GET", L)
            self.assertEqual(end == "reset", want)


def api_auth_for(body):
    """An Authorization header signed over a different body (for the payload-hash test)."""
    port = SERVER["port"]
    headers = {"Host": "127.0.0.1:%d" % port, "Content-Type": "application/json"}
    add, _ = client_sign("POST", "/listTagsForResource", [], headers, body, KEY, SECRET, "us-east-1", amz_now())
    return add["Authorization"]


# ------------------------------------------------------------------------------------------
# Latency, jitter and rate limit (on the module's emulator, changed through /_emulator/config)
# ------------------------------------------------------------------------------------------
DEFAULT_CONFIG = {"latency_ms": 0, "jitter_ms": 0, "rate_limit": None, "seed": 1, "credential_lifetime_s": None,
                  "error_statuses": "aws", "error_format": "header", "nulls": "absent",
                  "tagging_order": "natural", "tagging_pages": "full", "tagging_end": "empty"}
THROTTLE_TYPE = "ThrottlingException:" + emulator.BEDROCK_ERROR_NS


def timed(fn, *args, **kw):
    t0 = time.monotonic()
    r = fn(*args, **kw)
    return r, time.monotonic() - t0


class LatencyRateLimitTest(unittest.TestCase):
    def setUp(self):
        self.assertEqual(ctl("POST", "/_emulator/reset", b"").status, 204)

    def tearDown(self):
        self.config(**DEFAULT_CONFIG)
        ctl("POST", "/_emulator/reset", b"")

    def config(self, **kw):
        r = ctl("POST", "/_emulator/config", json.dumps(kw).encode())
        self.assertEqual(r.status, 200, r.raw)
        return r.json

    def log(self):
        return ctl("GET", "/_emulator/requests").json

    def test_config_calls(self):
        self.assertEqual(ctl("GET", "/_emulator/config").json, DEFAULT_CONFIG)
        for bad in (b"[]", b"{", b'{"latency": 5}', b'{"latency_ms": -1}', b'{"latency_ms": "5"}',
                    b'{"latency_ms": true}', b'{"jitter_ms": 600001}', b'{"rate_limit": -1}',
                    b'{"rate_limit": "x"}', b'{"seed": 1.5}', b'{"latency_ms": NaN}'):
            r = ctl("POST", "/_emulator/config", bad)
            self.assertEqual(r.status, 400, bad)
            self.assertTrue(r.message, bad)
        self.assertEqual(ctl("GET", "/_emulator/config").json, DEFAULT_CONFIG)
        # partial changes keep the other members; reset keeps the config
        self.assertEqual(self.config(latency_ms=7), dict(DEFAULT_CONFIG, latency_ms=7))
        self.assertEqual(self.config(rate_limit=0, jitter_ms=2.5),
                         dict(DEFAULT_CONFIG, latency_ms=7, jitter_ms=2.5))
        ctl("POST", "/_emulator/reset", b"")
        self.assertEqual(ctl("GET", "/_emulator/config").json["latency_ms"], 7)
        # emuctl config / fixtures
        port = str(SERVER["port"])
        r = subprocess.run([sys.executable, EMUCTL, "--port", port, "config", '{"latency_ms": 3}'],
                           capture_output=True, timeout=15)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["latency_ms"], 3)
        r = subprocess.run([sys.executable, EMUCTL, "--port", port, "config", '{"latency_ms": -3}'],
                           capture_output=True, timeout=15)
        self.assertNotEqual(r.returncode, 0)
        r = subprocess.run([sys.executable, EMUCTL, "--port", port, "fixtures"], capture_output=True, timeout=15)
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["fixtures"], "default")
        self.assertEqual({k: v["jobs"] for k, v in doc["regions"].items()}, DEFAULT_COUNTS)
        for region, n in DEFAULT_COUNTS.items():
            self.assertEqual(sum(doc["regions"][region]["statuses"].values()), n)
        self.assertEqual(doc["regions"]["eu-west-1"]["statuses"],
                         {"InProgress": 1, "Completed": 1, "Failed": 1, "Stopped": 1, "Pending": 1})

    def test_latency(self):
        self.config(latency_ms=150)
        r, t = timed(api, "GET", L, [("maxResults", "2")])
        self.assertEqual(r.status, 200)
        self.assertGreaterEqual(t, 0.15)
        self.assertLess(t, 1.5)
        r, t = timed(api, "GET", L, key="AKIDNOTAKNOWNKEY0000")       # errors wait too
        self.assertEqual(r.status, 403)
        self.assertGreaterEqual(t, 0.15)
        _, t = timed(ctl, "GET", "/_emulator/health")                  # control calls do not
        self.assertLess(t, 0.15)
        self.assertEqual([e["latency_ms"] for e in self.log()], [150, 150])
        self.config(latency_ms=0)
        api("GET", L)
        self.assertNotIn("latency_ms", self.log()[-1])

    def test_waits_do_not_block_other_requests(self):
        # 64 keep-alive connections, 2 requests each, 300 ms apiece: about 0.6 s in all when
        # the waits overlap, 38 s if they did not
        self.config(latency_ms=300)
        n = 64
        barrier = threading.Barrier(n)
        statuses = []

        def worker(i):
            c = http.client.HTTPConnection("127.0.0.1", SERVER["port"], timeout=20)
            barrier.wait(10)
            for k in range(2):
                statuses.append(api("GET", L, [("maxResults", "1")], region=("us-east-1", "us-west-2")[i % 2],
                                    conn=c).status)
            c.close()
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        elapsed = time.monotonic() - t0
        self.assertEqual(statuses, [200] * (2 * n))
        self.assertGreaterEqual(elapsed, 0.6)
        self.assertLess(elapsed, 4.0)
        log = self.log()
        self.assertEqual(len(log), 2 * n)
        self.assertEqual(len({e["conn"] for e in log}), n)

    def test_jitter_bounds_and_seed(self):
        st = emulator.State(latency_ms=50, jitter_ms=20, seed=7)
        draws = [st.draw_latency() for _ in range(3000)]
        self.assertTrue(all(0.030 <= d <= 0.070 for d in draws))
        self.assertLess(min(draws), 0.0305)
        self.assertGreater(max(draws), 0.0695)
        self.assertAlmostEqual(sum(draws) / len(draws), 0.050, delta=0.0015)
        again = emulator.State(latency_ms=50, jitter_ms=20, seed=7)
        self.assertEqual([again.draw_latency() for _ in range(50)], draws[:50])
        st.reset()
        self.assertEqual([st.draw_latency() for _ in range(50)], draws[:50])
        self.assertNotEqual([emulator.State(latency_ms=50, jitter_ms=20, seed=8).draw_latency()
                             for _ in range(50)], draws[:50])
        low = emulator.State(latency_ms=5, jitter_ms=20)            # never below 0
        lows = [low.draw_latency() for _ in range(500)]
        self.assertTrue(all(0 <= d <= 0.025 for d in lows))
        self.assertIn(0.0, lows)
        self.assertEqual(emulator.State().draw_latency(), 0.0)

        # on the server: the waits drawn are logged, within bounds, and observed by the client
        self.config(latency_ms=40, jitter_ms=30, seed=3)
        results = []

        def one():
            r, t = timed(api, "GET", L, [("maxResults", "1")])
            results.append((r.status, t))
        threads = [threading.Thread(target=one) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        lat = sorted(e["latency_ms"] for e in self.log())
        self.assertEqual(len(lat), 16)
        self.assertTrue(all(10 <= v <= 70 for v in lat), lat)
        self.assertGreater(len(set(lat)), 8)
        self.assertGreaterEqual(min(t for _, t in results), lat[0] / 1000.0 - 0.002)
        self.assertGreaterEqual(max(t for _, t in results), lat[-1] / 1000.0 - 0.002)
        # after a reset the same seed draws the same waits (in whatever order threads come)
        ctl("POST", "/_emulator/reset", b"")
        threads = [threading.Thread(target=one) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        self.assertEqual(sorted(e["latency_ms"] for e in self.log()), lat)

    def test_token_bucket(self):
        st = emulator.State(rate_limit=5)
        self.assertEqual([st.take_token("us-east-1", 100.0) for _ in range(6)], [True] * 5 + [False])
        self.assertTrue(st.take_token("us-west-2", 100.0))          # per region
        self.assertFalse(st.take_token("us-east-1", 100.1))         # 0.5 token
        self.assertTrue(st.take_token("us-east-1", 100.2))          # 1 token
        self.assertFalse(st.take_token("us-east-1", 100.2))
        self.assertEqual([st.take_token("us-east-1", 200.0) for _ in range(6)], [True] * 5 + [False])  # burst 5
        st.reset()
        self.assertTrue(st.take_token("us-east-1", 200.0))
        self.assertTrue(all(emulator.State().take_token("r", 0.0) for _ in range(1000)))
        half = emulator.State(rate_limit=0.5)                        # below 1/s: one every 2 s
        self.assertEqual([half.take_token("r", t) for t in (0.0, 0.5, 1.5, 2.1, 100.0, 100.0)],
                         [True, False, False, True, True, False])

    def test_rate_limit(self):
        # the answer a fault rule gives for throttling, to compare with
        ctl("POST", "/_emulator/faults", json.dumps([{"status": 429, "error_type": "ThrottlingException",
                                                      "message": "Rate exceeded", "times": 1}]).encode())
        fault = api("GET", L)
        ctl("POST", "/_emulator/reset", b"")
        self.config(rate_limit=3)
        rs = [api("GET", L, [("maxResults", "1")]) for _ in range(5)]
        self.assertEqual([r.status for r in rs], [200, 200, 200, 429, 429])
        t = rs[3]
        self.assertError(t, 429, "ThrottlingException", "Rate exceeded")
        self.assertEqual(t.headers["X-Amzn-ErrorType"], THROTTLE_TYPE)
        self.assertEqual(t.headers["X-Amzn-ErrorType"], fault.headers["X-Amzn-ErrorType"])
        self.assertEqual(t.raw, fault.raw)
        self.assertEqual(t.headers["Content-Type"], fault.headers["Content-Type"])
        self.assertEqual(api("GET", L, region="us-west-2").status, 200)              # per region
        self.assertEqual(api("GET", jobpath("titan-support-ft-001")).status, 429)    # every operation
        log = self.log()
        self.assertEqual([e["status"] for e in log], [200, 200, 200, 429, 429, 200, 429])
        for e in log:
            self.assertEqual(e.get("throttled", False), e["status"] == 429)
            if e["status"] == 429:
                self.assertEqual(e["error_type"], "ThrottlingException")
                self.assertNotIn("fault", e)
        r = subprocess.run([sys.executable, EMUCTL, "--port", str(SERVER["port"]), "requests", "--summary"],
                           capture_output=True, timeout=15, text=True)
        self.assertEqual(sum(line.endswith(" 429") for line in r.stdout.splitlines()), 3)
        # a throttled request does not reach the fault rules
        ctl("POST", "/_emulator/faults", json.dumps([{"status": 500, "times": 1}]).encode())
        self.assertEqual(api("GET", L).status, 429)
        ctl("POST", "/_emulator/reset", b"")                     # refills the buckets
        self.assertEqual(api("GET", L).status, 200)
        time.sleep(0.4)                                          # 3/s: at least one more token
        self.assertEqual(api("GET", L).status, 200)
        self.config(rate_limit=None)
        self.assertEqual([api("GET", L).status for _ in range(6)], [200] * 6)

    assertError = ServerTest.assertError


# ------------------------------------------------------------------------------------------
# Answer variants (error_statuses, error_format, nulls) and the off-model fixture jobs
# ------------------------------------------------------------------------------------------
def sdk_error_code(r):
    """The error type as the AWS SDKs read a restJson1 error: X-Amzn-ErrorType, else body
    "code", else body "__type"; then what comes before ',' and ':', and after '#'."""
    body = r.json if isinstance(r.json, dict) else {}
    for raw in (r.headers.get("X-Amzn-ErrorType"), body.get("code"), body.get("__type")):
        if raw is not None:
            return raw.split(",")[0].split(":")[0].split("#")[-1]
    return None


BEDROCK_NS = emulator.BEDROCK_ERROR_NS
CORAL_NS = emulator.CORAL_ERROR_NS


def odd_requests():
    """(label, request thunk, error type, namespace, AWS status) of every kind of error the
    emulator itself answers a Bedrock request with (throttling aside)."""
    tags = lambda arn: api("POST", "/listTagsForResource", body=json.dumps({"resourceARN": arn}).encode())  # noqa: E731
    unknown_arn = ("arn:aws:bedrock:us-east-1:123456789012:model-customization-job/"
                   "amazon.titan-text-express-v1:0:8k/zzzzzzzzzzzz")
    return [
        ("Get unknown", lambda: api("GET", jobpath("no-such-job")), "ResourceNotFoundException", BEDROCK_NS, 404),
        ("Tags unknown", lambda: tags(unknown_arn), "ResourceNotFoundException", BEDROCK_NS, 404),
        ("enum", lambda: api("GET", L, [("statusEquals", "Bogus")]), "ValidationException", BEDROCK_NS, 400),
        ("Pending", lambda: api("GET", L, [("statusEquals", "Pending")]), "ValidationException", BEDROCK_NS, 400),
        ("token", lambda: api("GET", L, [("nextToken", "garbage")]), "ValidationException", BEDROCK_NS, 400),
        ("Get pattern", lambda: api("GET", jobpath("bad name!")), "ValidationException", BEDROCK_NS, 400),
        ("integer", lambda: api("GET", L, [("maxResults", "ten")]), "SerializationException", BEDROCK_NS, 400),
        ("body", lambda: api("POST", "/listTagsForResource", body=b"not json"), "SerializationException",
         BEDROCK_NS, 400),
        ("unsigned", lambda: api("GET", L, sign=False), "MissingAuthenticationTokenException", CORAL_NS, 403),
        ("secret", lambda: api("GET", L, secret="wrong"), "InvalidSignatureException", CORAL_NS, 403),
        ("key", lambda: api("GET", L, key="AKIDUNKNOWNKEY000000"), "UnrecognizedClientException", CORAL_NS, 403),
        ("date", lambda: api("GET", L, mutate=lambda h: h.pop("X-Amz-Date")), "IncompleteSignatureException",
         CORAL_NS, 403),
        ("expired", lambda: expired_call(), "ExpiredTokenException", CORAL_NS, 403),
        ("operation", lambda: api("GET", "/nothing-here"), "UnknownOperationException", CORAL_NS, 404),
    ]


def expired_call():
    c = ctl("POST", "/_emulator/credentials", b'{"lifetime_s": 3600}').json
    ctl("POST", "/_emulator/credentials/expire", b"")
    return api("GET", L, key=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"])


class VariantTest(unittest.TestCase):
    def setUp(self):
        self.assertEqual(ctl("POST", "/_emulator/reset", b"").status, 204)

    def tearDown(self):
        self.config(**DEFAULT_CONFIG)
        ctl("POST", "/_emulator/reset", b"")

    config = LatencyRateLimitTest.config

    def last_log(self):
        return ctl("GET", "/_emulator/requests").json[-1]

    def assertFormat(self, r, fmt, name, ns, status, message=None):
        """r is error `name` (namespace ns) at `status` in error_format fmt."""
        self.assertEqual(r.status, status, r.raw)
        self.assertEqual(r.headers["Content-Type"], "application/json")
        self.assertIn("x-amzn-RequestId", r.headers)
        self.assertEqual(sdk_error_code(r), name)
        want = {"header": {"message": r.json.get("message")},
                "type": {"__type": "%s#%s" % (ns.rstrip("/").rsplit("/", 1)[-1], name),
                         "message": r.json.get("message")},
                "code": {"code": name, "message": r.json.get("message")}}[fmt]
        self.assertEqual(r.json, want, r.raw)
        self.assertEqual(r.headers.get("X-Amzn-ErrorType"), "%s:%s" % (name, ns) if fmt == "header" else None)
        if message is not None:
            self.assertEqual(r.json["message"], message)

    # -- config --------------------------------------------------------------------------
    def test_config_members_and_flags(self):
        self.assertEqual(ctl("GET", "/_emulator/config").json, DEFAULT_CONFIG)
        for bad in ({"error_statuses": "weird"}, {"error_statuses": None}, {"error_format": "xml"},
                    {"error_format": 1}, {"nulls": True}, {"nulls": "none"}, {"nulls": ["null"]}):
            r = ctl("POST", "/_emulator/config", json.dumps(bad).encode())
            self.assertEqual(r.status, 400, bad)
            self.assertIn(list(bad)[0], r.message)
        self.assertEqual(ctl("GET", "/_emulator/config").json, DEFAULT_CONFIG)
        out = json.loads(emuctl("config", '{"error_statuses": "odd"}'))
        self.assertEqual(out, dict(DEFAULT_CONFIG, error_statuses="odd"))
        ctl("POST", "/_emulator/reset", b"")                        # reset keeps the config
        self.assertEqual(self.config(error_format="code", nulls="null"),
                         dict(DEFAULT_CONFIG, error_statuses="odd", error_format="code", nulls="null"))
        # the command-line flags
        with tempfile.TemporaryDirectory() as tmp:
            pf = os.path.join(tmp, "p")
            proc = subprocess.Popen([sys.executable, EMULATOR, "--port-file", pf, "--error-statuses", "odd",
                                     "--error-format", "type", "--nulls", "null"], stderr=subprocess.DEVNULL)
            try:
                deadline = time.monotonic() + 10
                while not os.path.exists(pf) and time.monotonic() < deadline:
                    time.sleep(0.02)
                with open(pf) as f:
                    port = int(f.read())
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/_emulator/config")
                self.assertEqual(json.loads(c.getresponse().read()),
                                 dict(DEFAULT_CONFIG, error_statuses="odd", error_format="type", nulls="null"))
                c.request("GET", L)                                   # unsigned
                r = Resp(c.getresponse())
                c.close()
                self.assertFormat(r, "type", "MissingAuthenticationTokenException", CORAL_NS, 400)
            finally:
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(10), 0)
        for flag, value in (("--error-statuses", "AWS"), ("--error-format", "xml"), ("--nulls", "none")):
            r = subprocess.run([sys.executable, EMULATOR, flag, value, "--dump-fixtures"], capture_output=True,
                               timeout=15)
            self.assertEqual(r.returncode, 2, (flag, value))

    # -- error_statuses ------------------------------------------------------------------
    def test_odd_status_table(self):
        cases = {("ResourceNotFoundException", 404): 400, ("ThrottlingException", 429): 400,
                 ("AccessDeniedException", 403): 500, ("ValidationException", 400): 500,
                 ("SerializationException", 400): 500, ("UnrecognizedClientException", 403): 400,
                 ("InvalidSignatureException", 403): 400, ("IncompleteSignatureException", 403): 400,
                 ("MissingAuthenticationTokenException", 403): 400, ("ExpiredTokenException", 403): 400,
                 ("UnknownOperationException", 404): 500, ("InternalServerException", 500): 400,
                 ("ServiceUnavailableException", 503): 400, ("ConflictException", 400): 500,
                 ("ServiceQuotaExceededException", 400): 500}
        for (name, aws), odd in cases.items():
            self.assertEqual(emulator.odd_status(name, aws), odd, name)
            self.assertEqual(emulator.ERROR_STATUSES["odd"](name, aws), odd, name)
            self.assertEqual(emulator.ERROR_STATUSES["aws"](name, aws), aws, name)

    def test_odd_statuses(self):
        aws = {label: fn() for label, fn, _, _, _ in odd_requests()}
        self.config(error_statuses="odd")
        for label, fn, name, ns, status in odd_requests():
            with self.subTest(label):
                r = fn()
                odd = emulator.odd_status(name, status)
                self.assertNotEqual(odd, status)
                self.assertEqual(aws[label].status, status)
                self.assertFormat(r, "header", name, ns, odd, aws[label].message)
                e = self.last_log()
                self.assertEqual((e["status"], e["aws_status"], e["error_type"]), (odd, status, name))
        # throttling by the rate limiter
        self.config(rate_limit=1)
        self.assertEqual(api("GET", L).status, 200)
        self.assertNotIn("aws_status", self.last_log())
        r = api("GET", L)
        self.assertFormat(r, "header", "ThrottlingException", BEDROCK_NS, 400, "Rate exceeded")
        e = self.last_log()
        self.assertEqual((e["status"], e["aws_status"], e["throttled"]), (400, 429, True))
        self.config(rate_limit=None)
        # fault rules keep their status; an action that drops the normal answer drops aws_status
        rules = [{"operation": "GetModelCustomizationJob", "status": 404, "error_type": "ResourceNotFoundException",
                  "times": 1},
                 {"operation": "ListModelCustomizationJobs", "status": 429, "error_type": "ThrottlingException",
                  "times": 1}]
        ctl("POST", "/_emulator/faults", json.dumps(rules).encode())
        self.assertFormat(api("GET", jobpath("titan-support-ft-001")), "header", "ResourceNotFoundException",
                          BEDROCK_NS, 404)
        self.assertNotIn("aws_status", self.last_log())
        self.assertFormat(api("GET", L), "header", "ThrottlingException", BEDROCK_NS, 429)
        ctl("POST", "/_emulator/faults", json.dumps([{"action": "huge", "size": 1000, "times": 1}]).encode())
        r = api("GET", jobpath("no-such-job"))
        self.assertEqual(r.status, 200)
        self.assertEqual((self.last_log()["status"], "aws_status" in self.last_log()), (200, False))
        ctl("POST", "/_emulator/faults", json.dumps([{"action": "repeat_token", "times": 1}]).encode())
        self.assertFormat(api("GET", L, [("statusEquals", "Bogus")]), "header", "ValidationException",
                          BEDROCK_NS, 500)
        self.assertEqual(self.last_log()["aws_status"], 400)
        ctl("POST", "/_emulator/faults", json.dumps([{"action": "truncate", "times": 1}]).encode())
        head, _, _, _ = raw_api("GET", jobpath("no-such-job"))
        self.assertEqual(head_fields(head)[0], 400)
        self.assertEqual(self.last_log()["aws_status"], 404)
        # successes, STS, IMDS and ECS are as ever
        self.assertEqual(api("GET", jobpath("titan-support-ft-001")).status, 200)
        self.assertEqual(assume(secret="wrong").status, 403)
        self.assertEqual(imds("GET", "/latest/meta-data/iam/security-credentials/").status, 401)
        self.assertEqual(imds("GET", "/v2/credentials/abc").status, 401)

    # -- error_format --------------------------------------------------------------------
    def test_error_formats(self):
        for fmt in ("header", "type", "code"):
            with self.subTest(fmt):
                ctl("POST", "/_emulator/reset", b"")
                self.config(error_format=fmt, error_statuses="aws", rate_limit=None)
                for label, fn, name, ns, status in odd_requests():
                    self.assertFormat(fn(), fmt, name, ns, status)
                    self.assertEqual(self.last_log()["error_type"], name, label)
                self.config(rate_limit=1)
                api("GET", L, region="eu-west-1")
                self.assertFormat(api("GET", L, region="eu-west-1"), fmt, "ThrottlingException", BEDROCK_NS, 429,
                                  "Rate exceeded")
                self.config(rate_limit=None, error_statuses="odd")
                self.assertFormat(api("GET", jobpath("no-such-job")), fmt, "ResourceNotFoundException", BEDROCK_NS,
                                  400, "Could not find model customization job with identifier no-such-job")
                self.assertFormat(api("GET", L, key="AKIDUNKNOWNKEY000000"), fmt, "UnrecognizedClientException",
                                  CORAL_NS, 400)
                # a rule's error_type without "body" comes in the format (at the rule's status),
                # with "body" as X-Amzn-ErrorType beside the body sent verbatim
                rules = [{"status": 503, "error_type": "ServiceUnavailableException", "message": "busy", "times": 1},
                         {"status": 500, "error_type": "InternalServerException", "body": '{"oops":1}', "times": 1},
                         {"status": 500, "error_type": "Custom:aws.example#ns", "times": 1}]
                ctl("POST", "/_emulator/faults", json.dumps(rules).encode())
                self.assertFormat(api("GET", L), fmt, "ServiceUnavailableException", BEDROCK_NS, 503, "busy")
                r = api("GET", L)
                self.assertEqual((r.status, r.raw, r.error_type), (500, b'{"oops":1}', "InternalServerException"))
                self.assertEqual(sdk_error_code(api("GET", L)), "Custom")
                self.assertEqual(api("GET", L).status, 200)
                # the credential endpoints' answers, and rules on them, are as ever
                self.assertEqual(assume(secret="wrong").headers["Content-Type"], "text/xml")
                ctl("POST", "/_emulator/faults", json.dumps([{"operation": "IMDSGetToken", "status": 500,
                                                              "error_type": "Oops", "times": 1}]).encode())
                r = imds("PUT", "/latest/api/token", {"X-aws-ec2-metadata-token-ttl-seconds": "60"})
                self.assertEqual((r.status, r.error_type, r.json),
                                 (500, "Oops", {"message": "Injected fault (status 500)"}))
                self.assertEqual(imds("GET", "/v2/credentials/abc").json["code"], "NoAuthorization")

    # -- nulls ---------------------------------------------------------------------------
    def test_nulls(self):
        dump = emulator.dump_fixtures("default")["jobs"]
        _, get_opt = emulator.NULLABLE_MEMBERS["GetModelCustomizationJob"]
        _, sum_opt = emulator.NULLABLE_MEMBERS["ListModelCustomizationJobs"]
        strip = lambda d: {k: v for k, v in d.items() if v is not None}  # noqa: E731
        r = api("GET", jobpath("titan-support-ft-004"))
        self.assertNotIn(b"null", r.raw)
        self.config(nulls="null")
        for region in DEFAULT_COUNTS:
            fx = [j for j in dump if j["region"] == region]
            items, _ = list_all([("maxResults", "100")], region=region)
            self.assertEqual(len(items), len(fx))
            by_arn = {j["job"]["jobArn"]: j for j in fx}
            for s in items:
                want = by_arn[s["jobArn"]]["summary"]
                self.assertEqual(strip(s), want)
                self.assertEqual({k for k, v in s.items() if v is None}, set(sum_opt) - set(want))
            for j in fx:
                r = api("GET", jobpath(j["job"]["jobArn"]), region=region)
                self.assertEqual(strip(r.json), j["job"])
                self.assertEqual({k for k, v in r.json.items() if v is None}, set(get_opt) - set(j["job"]))
        ho5 = api("GET", jobpath("ho-5"), region="us-west-2")
        for k in ("failureMessage", "outputModelKmsKeyArn", "vpcConfig", "statusDetails", "customizationConfig"):
            self.assertIn(b'"%s":null' % k.encode(), ho5.raw)
        pending = api("GET", L, [("nameContains", "queued")], region="eu-west-1")
        self.assertIn(b'"endTime":null', pending.raw)
        self.assertIn(b'"customModelArn":null', pending.raw)
        # errors and tags have no job members
        self.assertEqual(api("GET", jobpath("no-such-job")).json,
                         {"message": "Could not find model customization job with identifier no-such-job"})
        tags = api("POST", "/listTagsForResource", body=json.dumps({"resourceARN": dump[0]["job"]["jobArn"]}).encode())
        self.assertEqual(tags.json, {"tags": dump[0]["tags"]})
        self.config(nulls="absent")
        self.assertNotIn(b"null", api("GET", jobpath("titan-support-ft-004")).raw)


class OffModelFixtureTest(unittest.TestCase):
    """The default fixtures' jobs outside the service model (OFF_MODEL) are served like any other."""
    SUBSTRINGS = {"ho-5": "ho-", "queued-ft-pending": "queued", "legacy_ft_7": "legacy"}
    EXPECTED = {     # name -> (region, jobArn or None for the model's form, status, creationTime)
        "ho-5": ("us-west-2", "arn:aws:bedrock:us-west-2:123456789012:model-customization-job/ho-5",
                 "Completed", "2025-02-11T07:42:19.318Z"),
        "queued-ft-pending": ("eu-west-1", None, "Pending", "2025-06-02T18:26:53.771Z"),
        "legacy_ft_7": ("us-east-1", "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/legacy_ft_7",
                        "Failed", "2024-05-28T03:14:15.926Z"),
    }

    @classmethod
    def setUpClass(cls):
        cls.dump = emulator.dump_fixtures("default")["jobs"]
        cls.jobs = {j["job"]["jobName"]: j for j in cls.dump if (j["region"], j["job"]["jobName"]) in OFF_MODEL}

    def setUp(self):
        self.assertEqual(ctl("POST", "/_emulator/reset", b"").status, 204)

    assertError = ServerTest.assertError

    def test_the_jobs(self):
        self.assertEqual(set(self.jobs), set(self.EXPECTED))
        for name, (region, arn, status, created) in self.EXPECTED.items():
            g = self.jobs[name]["job"]
            self.assertEqual((self.jobs[name]["region"], g["status"], g["creationTime"]), (region, status, created))
            if arn:
                self.assertEqual(g["jobArn"], arn)
            else:
                self.assertTrue(emulator.is_job_arn(g["jobArn"]))
            self.assertTrue(self.jobs[name]["tags"])
            self.assertEqual(set(self.jobs[name]["summary"]) - {"endTime", "customModelArn", "statusDetails"},
                             {"jobArn", "baseModelArn", "jobName", "status", "lastModifiedTime", "creationTime",
                              "customModelName", "customizationType"})
        self.assertIn("failureMessage", self.jobs["legacy_ft_7"]["job"])
        self.assertEqual(self.jobs["ho-5"]["job"]["customizationType"], "FINE_TUNING")
        r = ctl("GET", "/_emulator/fixtures")
        self.assertEqual(r.json["regions"]["eu-west-1"]["statuses"].get("Pending"), 1)

    def test_list(self):
        for name, j in self.jobs.items():
            region, g = j["region"], j["job"]
            with self.subTest(name):
                t = emulator.parse_iso8601(g["creationTime"])
                ms = dt.timedelta(milliseconds=1)
                filters = [[], [("sortOrder", "Ascending")], [("nameContains", self.SUBSTRINGS[name])],
                           [("creationTimeAfter", emulator.fmt_ts(t - ms))],
                           [("creationTimeBefore", emulator.fmt_ts(t + ms))],
                           [("creationTimeAfter", emulator.fmt_ts(t - ms)),
                            ("creationTimeBefore", emulator.fmt_ts(t + ms))]]
                if g["status"] in emulator.STATUS_ENUM:
                    filters.append([("statusEquals", g["status"])])
                for pairs in filters:
                    items, _ = list_all(pairs + [("maxResults", "100")], region=region)
                    got = [i for i in items if i["jobArn"] == g["jobArn"]]
                    self.assertEqual(got, [j["summary"]], pairs)
                items, _ = list_all([("creationTimeAfter", emulator.fmt_ts(t - ms)),
                                     ("creationTimeBefore", emulator.fmt_ts(t + ms))], region=region)
                self.assertEqual([i["jobName"] for i in items], [name])
                items, _ = list_all([("nameContains", self.SUBSTRINGS[name])], region=region)
                self.assertEqual([i["jobName"] for i in items], [name])
                items, _ = list_all([("creationTimeAfter", g["creationTime"])], region=region)
                self.assertNotIn(name, [i["jobName"] for i in items])       # strict bounds

    def test_pending_is_refused_as_a_filter(self):
        r = api("GET", L, [("statusEquals", "Pending")], region="eu-west-1")
        self.assertError(r, 400, "ValidationException",
                         "1 validation error detected: Value 'Pending' at 'statusEquals' failed to satisfy "
                         "constraint: Member must satisfy enum value set: [InProgress, Completed, Failed, "
                         "Stopping, Stopped]")

    def test_get_and_tags_by_their_own_identifiers(self):
        for name, j in self.jobs.items():
            region, g = j["region"], j["job"]
            with self.subTest(name):
                for ident in (g["jobArn"], name):
                    r = api("GET", jobpath(ident), region=region)
                    self.assertEqual((r.status, r.json), (200, g), ident)
                r = api("POST", "/listTagsForResource", body=json.dumps({"resourceARN": g["jobArn"]}).encode(),
                        region=region)
                self.assertEqual((r.status, r.json), (200, {"tags": j["tags"]}))
                # from another region: not found (not a validation error)
                other = "ap-southeast-2"
                for ident in (g["jobArn"], name):
                    self.assertError(api("GET", jobpath(ident), region=other), 404, "ResourceNotFoundException")
                r = api("POST", "/listTagsForResource", body=json.dumps({"resourceARN": g["jobArn"]}).encode(),
                        region=other)
                self.assertError(r, 404, "ResourceNotFoundException")
        # identifiers of the same forms that nobody handed out are still held to the model
        for ident in ("legacy_ft_8", "arn:aws:bedrock:us-west-2:123456789012:model-customization-job/ho-6"):
            self.assertError(api("GET", jobpath(ident), region="us-west-2"), 400, "ValidationException")
        r = api("POST", "/listTagsForResource", region="us-west-2", body=json.dumps(
            {"resourceARN": "arn:aws:bedrock:us-west-2:123456789012:model-customization-job/ho-6"}).encode())
        self.assertError(r, 400, "ValidationException")


# ------------------------------------------------------------------------------------------
# POST /_emulator/jobs/update and emuctl update-job (on an emulator of their own: the changes
# outlive a reset, and the other tests count the module emulator's fixtures)
# ------------------------------------------------------------------------------------------
UPDATE = "/_emulator/jobs/update"
MEMBER = "210987654321"
MEMBER_ROLE = "arn:aws:iam::%s:role/BedrockFdwReader" % MEMBER


def update(arn, changes):
    body = changes if isinstance(changes, bytes) else json.dumps({"jobArn": arn, "set": changes}).encode()
    return ctl("POST", UPDATE, body)


class JobUpdateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="bedrock-emu-update-")
        pf = os.path.join(cls.tmp, "port")
        cls.proc = subprocess.Popen([sys.executable, EMULATOR, "--port", "0", "--port-file", pf],
                                    stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not os.path.exists(pf):
            if cls.proc.poll() is not None or time.monotonic() > deadline:
                cls.proc.kill()
                raise RuntimeError("emulator did not start")
            time.sleep(0.02)
        with open(pf) as f:
            cls.port = int(f.read())
        cls.saved_port = SERVER["port"]
        SERVER["port"] = cls.port
        cls.fx = emulator.dump_fixtures("default")["jobs"]

    @classmethod
    def tearDownClass(cls):
        SERVER["port"] = cls.saved_port
        cls.proc.send_signal(signal.SIGTERM)
        try:
            rc = cls.proc.wait(10)
        finally:
            if cls.proc.poll() is None:
                cls.proc.kill()
                cls.proc.wait()
            shutil.rmtree(cls.tmp, ignore_errors=True)
        if rc != 0:
            raise AssertionError("emulator exited with %r on SIGTERM" % rc)

    def setUp(self):
        self.assertEqual(ctl("POST", "/_emulator/reset", b"").status, 204)

    assertError = ServerTest.assertError

    def job(self, region, status=None, skip=0):
        return [j for j in self.fx if j["region"] == region and status in (None, j["job"]["status"])][skip]

    def listed(self, region, pairs=()):
        items, _ = list_all(list(pairs) + [("maxResults", "100")], region=region)
        return items

    def restore(self, j, members):
        """Set members of fixture job j back (null: the fixture lacks it)."""
        old = {k: j["job"].get(k, j["summary"].get(k)) for k in members}
        r = update(j["job"]["jobArn"], old)
        self.assertEqual((r.status, r.json), (200, {"job": j["job"], "summary": j["summary"]}))

    def test_update_shows_in_list_and_get(self):
        j = self.job("us-east-1", "Completed")
        arn, name = j["job"]["jobArn"], j["job"]["jobName"]
        before = self.listed("us-east-1")
        self.assertIn(j["summary"], before)
        self.assertEqual(api("GET", jobpath(arn)).json, j["job"])
        new = {"lastModifiedTime": "2026-03-04T05:06:07.890Z",
               "roleArn": "arn:aws:iam::123456789012:role/RotatedBedrockRole"}
        self.assertNotEqual(j["job"]["lastModifiedTime"], new["lastModifiedTime"])
        r = update(arn, new)
        self.assertEqual(r.status, 200, r.raw)
        want_job = dict(j["job"], **new)
        want_summary = dict(j["summary"], lastModifiedTime=new["lastModifiedTime"])   # no roleArn there
        self.assertEqual(r.json, {"job": want_job, "summary": want_summary})
        self.assertEqual(list(r.json["job"]), list(j["job"]))       # members keep their places
        try:
            for ident in (arn, name):
                g = api("GET", jobpath(ident))
                self.assertEqual((g.status, g.json), (200, want_job), ident)
            self.assertEqual(self.listed("us-east-1"), [want_summary if s["jobArn"] == arn else s for s in before])
            got = [s for s in self.listed("us-east-1", [("statusEquals", "Completed")]) if s["jobArn"] == arn]
            self.assertEqual(got, [want_summary])
            # reset clears the log, not the change; control calls are not logged
            self.assertEqual(ctl("POST", "/_emulator/reset", b"").status, 204)
            self.assertEqual(api("GET", jobpath(arn)).json, want_job)
            self.assertEqual([e["operation"] for e in ctl("GET", "/_emulator/requests").json],
                             ["GetModelCustomizationJob"])
            # a second update keeps the first one's changes
            r = update(arn, {"lastModifiedTime": "2026-03-04T05:06:08.000Z"})
            self.assertEqual(r.json["job"]["roleArn"], new["roleArn"])
            self.assertEqual(api("GET", jobpath(arn)).json["lastModifiedTime"], "2026-03-04T05:06:08.000Z")
        finally:
            self.restore(j, new)
        self.assertEqual(api("GET", jobpath(arn)).json, j["job"])
        self.assertEqual(self.listed("us-east-1"), before)

    def test_status_name_and_members_of_one_shape(self):
        j = self.job("us-west-2", "Completed")
        arn = j["job"]["jobArn"]
        counts = ctl("GET", "/_emulator/fixtures").json["regions"]["us-west-2"]["statuses"]
        new = {"status": "Failed", "jobName": "renamed-job-1", "customModelName": "summary-only-name",
               "outputModelName": "get-only-name", "endTime": None, "failureMessage": "quota exceeded"}
        r = update(arn, new)
        self.assertEqual(r.status, 200, r.raw)
        try:
            g, s = r.json["job"], r.json["summary"]
            self.assertEqual((g["status"], g["jobName"], g["outputModelName"], g["failureMessage"]),
                             ("Failed", "renamed-job-1", "get-only-name", "quota exceeded"))
            self.assertEqual((s["status"], s["jobName"], s["customModelName"]),
                             ("Failed", "renamed-job-1", "summary-only-name"))
            self.assertNotIn("customModelName", g)
            self.assertNotIn("outputModelName", s)
            self.assertNotIn("failureMessage", s)
            self.assertNotIn("endTime", g)
            self.assertNotIn("endTime", s)
            # the List filters, Get by name and the fixture counts follow the new status and name
            self.assertIn(s, self.listed("us-west-2", [("statusEquals", "Failed")]))
            self.assertNotIn(arn, [x["jobArn"] for x in self.listed("us-west-2", [("statusEquals", "Completed")])])
            self.assertEqual([x["jobArn"] for x in self.listed("us-west-2", [("nameContains", "renamed-job")])],
                             [arn])
            self.assertEqual(api("GET", jobpath("renamed-job-1"), region="us-west-2").json, g)
            self.assertError(api("GET", jobpath(j["job"]["jobName"]), region="us-west-2"), 404,
                             "ResourceNotFoundException")
            now = ctl("GET", "/_emulator/fixtures").json["regions"]["us-west-2"]["statuses"]
            self.assertEqual((now["Completed"], now.get("Failed", 0)),
                             (counts["Completed"] - 1, counts.get("Failed", 0) + 1))
        finally:
            self.restore(j, new)
        self.assertEqual(ctl("GET", "/_emulator/fixtures").json["regions"]["us-west-2"]["statuses"], counts)
        self.assertIn(j["summary"], self.listed("us-west-2", [("statusEquals", "Completed")]))

    def test_creation_time_moves_the_job_in_list_order(self):
        j = self.job("eu-west-1")
        arn = j["job"]["jobArn"]
        r = update(arn, {"creationTime": "2030-01-01T00:00:00.000Z"})
        self.assertEqual(r.status, 200, r.raw)
        try:
            newest = api("GET", L, [("maxResults", "1")], region="eu-west-1").json
            self.assertEqual(newest["modelCustomizationJobSummaries"], [r.json["summary"]])
            after = self.listed("eu-west-1", [("creationTimeAfter", "2029-12-31T23:59:59Z")])
            self.assertEqual([x["jobArn"] for x in after], [arn])
        finally:
            self.restore(j, ["creationTime"])

    def test_member_account_job(self):
        store = emulator.accounts.Organization().store_for(MEMBER, None)
        job = store.by_region["us-east-1"][0]
        arn, before_get, before_summary = job.arn, job.get, job.summary
        r = update(arn, {"lastModifiedTime": "2026-01-02T03:04:05.006Z"})
        self.assertEqual(r.status, 200, r.raw)
        r = update(arn, {"roleArn": "arn:aws:iam::%s:role/Rotated" % MEMBER})
        want = dict(before_get, lastModifiedTime="2026-01-02T03:04:05.006Z",
                    roleArn="arn:aws:iam::%s:role/Rotated" % MEMBER)
        self.assertEqual(r.json, {"job": want, "summary": dict(before_summary,
                                                                lastModifiedTime="2026-01-02T03:04:05.006Z")})
        c = sts_creds(assume(role=MEMBER_ROLE))
        keys = dict(key=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"])
        self.assertEqual(api("GET", jobpath(arn), **keys).json, want)
        page = api("GET", L, [("maxResults", "100")], **keys).json["modelCustomizationJobSummaries"]
        self.assertEqual([s for s in page if s["jobArn"] == arn], [r.json["summary"]])
        # the management's keys do not see it
        self.assertError(api("GET", jobpath(arn)), 404, "ResourceNotFoundException")
        r = update(arn, {"lastModifiedTime": before_get["lastModifiedTime"], "roleArn": before_get["roleArn"]})
        self.assertEqual(r.json, {"job": before_get, "summary": before_summary})

    def test_not_found(self):
        j = self.job("us-east-1")
        arn = j["job"]["jobArn"]
        for other in (arn.replace("us-east-1", "us-west-2"), arn.replace("123456789012", "999999999999"),
                      arn[:-1] + ("x" if arn[-1] != "x" else "y"), "legacy_ft_7", "nope", ""):
            with self.subTest(other):
                r = update(other, {"status": "Failed"})
                self.assertEqual(r.status, 404, r.raw)
                self.assertIn("no model customization job has the ARN", r.json["message"])
        self.assertEqual(api("GET", jobpath(arn)).json, j["job"])

    def test_bad_bodies(self):
        j = self.job("us-east-1")
        arn = j["job"]["jobArn"]
        other = self.job("us-east-1", skip=1)["job"]["jobName"]
        bodies = [b"", b"{bad", b"[]", b'"x"', json.dumps({"jobArn": arn}).encode(),
                  json.dumps({"set": {}}).encode(), json.dumps({"jobArn": arn, "set": [], }).encode(),
                  json.dumps({"jobArn": arn, "set": {"status": "Failed"}, "extra": 1}).encode(),
                  json.dumps({"jobArn": 7, "set": {}}).encode()]
        for body in bodies:
            with self.subTest(body):
                r = update(None, body)
                self.assertEqual(r.status, 400, r.raw)
                self.assertTrue(r.json["message"])
        for changes, words in (({"bogus": 1}, "neither"), ({"status": "Failed", "modelArn": "x"}, "neither"),
                               ({"jobArn": arn}, "cannot be set"), ({"roleArn": None}, "required"),
                               ({"lastModifiedTime": 1700000000}, "timestamp"),
                               ({"endTime": "yesterday"}, "timestamp"), ({"status": ""}, "non-empty"),
                               ({"jobName": 3}, "non-empty"), ({"jobName": other}, "another job")):
            with self.subTest(changes):
                r = update(arn, changes)
                self.assertEqual(r.status, 400, r.raw)
                self.assertIn(words, r.json["message"])
        # nothing was changed by a refused update, not even its valid members
        self.assertEqual(api("GET", jobpath(arn)).json, j["job"])
        self.assertIn(j["summary"], self.listed("us-east-1"))

    def test_emuctl(self):
        j = self.job("us-east-1", "Failed")
        arn = j["job"]["jobArn"]
        port = str(self.port)
        out = emuctl("update-job", arn, '{"lastModifiedTime": "2026-05-06T07:08:09.010Z"}')
        try:
            lines = out.splitlines()
            self.assertEqual([x.split(" ", 1)[0] for x in lines], ["summary", "job"])
            summary, job = (json.loads(x.split(" ", 1)[1]) for x in lines)
            self.assertEqual(summary, dict(j["summary"], lastModifiedTime="2026-05-06T07:08:09.010Z"))
            self.assertEqual(job, dict(j["job"], lastModifiedTime="2026-05-06T07:08:09.010Z"))
            self.assertNotIn(", ", lines[0])        # compact
            self.assertEqual(api("GET", jobpath(arn)).json, job)
            r = subprocess.run([sys.executable, EMUCTL, "update-job", arn, "-"], env=dict(os.environ, EMU_PORT=port),
                               input='{"roleArn": "arn:aws:iam::123456789012:role/FromStdin"}',
                               capture_output=True, timeout=15, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn('"roleArn":"arn:aws:iam::123456789012:role/FromStdin"', r.stdout.splitlines()[1])
            for args, code in (([arn, "{bad"], 2), ([arn, '{"bogus": 1}'], 1), (["arn:aws:nope", "{}"], 1),
                               ([arn, "[]"], 1)):
                with self.subTest(args):
                    r = subprocess.run([sys.executable, EMUCTL, "--port", port, "update-job"] + args,
                                       capture_output=True, timeout=15, text=True)
                    self.assertEqual((r.returncode, r.stdout), (code, ""), r.stderr)
                    self.assertTrue(r.stderr.startswith("emuctl: "), r.stderr)
        finally:
            self.restore(j, ["lastModifiedTime", "roleArn"])


# ------------------------------------------------------------------------------------------
# Large generated accounts
# ------------------------------------------------------------------------------------------
def naive_list(jobs, region, params):
    """What ListModelCustomizationJobs returns, by brute force over --dump-fixtures jobs."""
    out = [j for j in jobs if j["region"] == region]
    out.sort(key=lambda j: (emulator.ts_micros(j["job"]["creationTime"]), j["job"]["jobArn"]))
    if "creationTimeAfter" in params:
        a = emulator.ts_micros(params["creationTimeAfter"])
        out = [j for j in out if emulator.ts_micros(j["job"]["creationTime"]) > a]
    if "creationTimeBefore" in params:
        b = emulator.ts_micros(params["creationTimeBefore"])
        out = [j for j in out if emulator.ts_micros(j["job"]["creationTime"]) < b]
    if "statusEquals" in params:
        out = [j for j in out if j["job"]["status"] == params["statusEquals"]]
    if "nameContains" in params:
        out = [j for j in out if params["nameContains"] in j["job"]["jobName"]]
    if params.get("sortOrder") != "Ascending":
        out.reverse()
    return [j["summary"] for j in out]


def store_list_all(store, region, params, max_page_size=1000):
    items, pages, p = [], 0, dict(params)
    while True:
        doc = emulator.list_jobs(store, region, p, max_page_size)
        pages += 1
        items += doc["modelCustomizationJobSummaries"]
        if "nextToken" not in doc:
            return items, pages
        p["nextToken"] = doc["nextToken"]


class LargeFixtureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.store = emulator.load_fixtures("large:1001")
        cls.dump = emulator.dump_fixtures("large:1001")["jobs"]

    def test_split_and_determinism(self):
        st = self.store
        self.assertEqual(st.name, "large:1001")
        self.assertEqual(st.regions(), ["us-east-1", "us-west-2"])
        self.assertEqual({r: v["jobs"] for r, v in st.counts().items()}, {"us-east-1": 501, "us-west-2": 500})
        for region, v in st.counts().items():
            self.assertEqual(sum(v["statuses"].values()), v["jobs"])
        self.assertEqual({j["job"]["status"] for j in self.dump}, set(emulator.STATUS_ENUM))
        self.assertEqual({j["job"]["customizationType"] for j in self.dump}, set(emulator.CUSTOMIZATION_TYPES))
        self.assertEqual(len({j["job"]["jobArn"] for j in self.dump}), 1001)
        self.assertEqual(len({j["job"]["jobName"] for j in self.dump}), 1001)
        for region in LARGE_REGIONS:
            t = [emulator.ts_micros(j["job"]["creationTime"]) for j in self.dump if j["region"] == region]
            self.assertEqual(t, sorted(set(t)))
        failed = sum(j["job"]["status"] == "Failed" for j in self.dump)
        self.assertTrue(100 <= failed <= 200, failed)
        # job i is the same job whatever N, and the same on every load
        small = emulator.dump_fixtures("large:10")["jobs"]
        self.assertEqual(small, [j for j in self.dump if int(j["job"]["jobName"][-6:]) < 10])
        self.assertEqual(emulator.dump_fixtures("large:1001")["jobs"], self.dump)
        self.assertEqual({r: v["jobs"] for r, v in emulator.load_fixtures("large:1").counts().items()},
                         {"us-east-1": 1})
        for bad in ("large:0", "large:1000001", "large:x", "large:", "big:5"):
            with self.assertRaises(Exception):
                emulator.fixture_name(bad)
        self.assertEqual(emulator.fixture_name("large:0100"), "large:100")

    def test_every_job_get_tags_and_list(self):
        st = self.store
        by_arn = {}
        for j in self.dump:
            region, g = j["region"], j["job"]
            self.assertEqual(emulator.get_job(st, region, g["jobArn"]), g)
            self.assertEqual(emulator.get_job(st, region, g["jobName"]), g)
            body = json.dumps({"resourceARN": g["jobArn"]}).encode()
            self.assertEqual(emulator.list_tags(st, region, body), {"tags": j["tags"]})
            other = "us-west-2" if region == "us-east-1" else "us-east-1"
            with self.assertRaises(emulator.ApiError):
                emulator.get_job(st, other, g["jobArn"])
            by_arn[g["jobArn"]] = j["summary"]
        for region in LARGE_REGIONS:
            items, pages = store_list_all(st, region, {"maxResults": "100"})
            self.assertEqual(items, naive_list(self.dump, region, {}))
            self.assertEqual(pages, 6 if region == "us-east-1" else 5)
            self.assertTrue(all(by_arn[s["jobArn"]] == s for s in items))

    def test_list_filters_match_brute_force(self):
        times = sorted(j["job"]["creationTime"] for j in self.dump)
        t1, t2 = times[200], times[800]
        cases = [
            {}, {"statusEquals": "Failed"}, {"statusEquals": "Stopping", "sortOrder": "Ascending"},
            {"creationTimeAfter": t1}, {"creationTimeBefore": t2, "sortOrder": "Ascending"},
            {"creationTimeAfter": t1, "creationTimeBefore": t2, "maxResults": "7"},
            {"creationTimeAfter": t2, "creationTimeBefore": t1},
            {"nameContains": "helpdesk", "statusEquals": "Completed"},
            {"nameContains": "00", "creationTimeAfter": t1, "sortOrder": "Ascending", "maxResults": "13"},
            {"sortBy": "CreationTime", "sortOrder": "Descending", "maxResults": "10"},
        ]
        for params in cases:
            for region in LARGE_REGIONS:
                items, pages = store_list_all(self.store, region, params, max_page_size=50)
                want = naive_list(self.dump, region, params)
                self.assertEqual(items, want, params)
                size = min(int(params.get("maxResults", 100)), 50)
                self.assertEqual(pages, max(1, -(-len(want) // size)), params)

    def test_served_large_accounts(self):
        with tempfile.TemporaryDirectory() as tmp:
            pf = os.path.join(tmp, "p")
            t0 = time.monotonic()
            proc = subprocess.Popen([sys.executable, EMULATOR, "--port-file", pf, "--fixtures", "large:100000"],
                                    stderr=subprocess.DEVNULL)
            try:
                while not os.path.exists(pf) and time.monotonic() < t0 + 20:
                    time.sleep(0.02)
                started = time.monotonic() - t0
                self.assertLess(started, 10.0)
                with open(pf) as f:
                    port = int(f.read())
                saved = SERVER["port"]
                SERVER["port"] = port
                try:
                    doc = ctl("GET", "/_emulator/fixtures").json
                    self.assertEqual(doc["fixtures"], "large:100000")
                    self.assertEqual({r: v["jobs"] for r, v in doc["regions"].items()},
                                     {"us-east-1": 50000, "us-west-2": 50000})
                    # pages deep in the account
                    r = api("GET", L, [("maxResults", "1000"), ("sortOrder", "Ascending"),
                                       ("creationTimeAfter", "2023-12-01T00:00:00Z")], region="us-west-2")
                    self.assertEqual(r.status, 200)
                    items = r.json["modelCustomizationJobSummaries"]
                    self.assertEqual(len(items), 1000)
                    self.assertTrue(all(s["creationTime"] > "2023-12-01" for s in items))
                    r2 = api("GET", L, [("maxResults", "1000"), ("sortOrder", "Ascending"),
                                        ("creationTimeAfter", "2023-12-01T00:00:00Z"),
                                        ("nextToken", r.json["nextToken"])], region="us-west-2")
                    self.assertGreater(r2.json["modelCustomizationJobSummaries"][0]["creationTime"],
                                       items[-1]["creationTime"])
                    newest = api("GET", L, [("maxResults", "1"), ("statusEquals", "Failed")]).json
                    job = newest["modelCustomizationJobSummaries"][0]
                    g = api("GET", jobpath(job["jobArn"])).json
                    self.assertEqual((g["jobName"], g["status"]), (job["jobName"], "Failed"))
                    self.assertIn("failureMessage", g)
                    self.assertEqual(api("GET", jobpath(job["jobName"])).json, g)
                    tags = api("POST", "/listTagsForResource",
                               body=json.dumps({"resourceARN": job["jobArn"]}).encode())
                    self.assertEqual(tags.status, 200)
                    self.assertIsInstance(tags.json["tags"], list)
                    # the newest job of the account is job 99999 (odd: us-west-2)
                    newest = api("GET", L, [("maxResults", "1")], region="us-west-2").json
                    lastname = newest["modelCustomizationJobSummaries"][0]["jobName"]
                    self.assertTrue(lastname.endswith("-099999"), lastname)
                finally:
                    SERVER["port"] = saved
            finally:
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(10), 0)


LARGE_REGIONS = ("us-east-1", "us-west-2")


# ------------------------------------------------------------------------------------------
# Credential endpoints: STS, IMDSv2, ECS, minted credentials
# ------------------------------------------------------------------------------------------
STS_NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"
LOCAL_ROLE = "arn:aws:iam::123456789012:role/bedrock-local"
CROSS_ROLE = "arn:aws:iam::210987654321:role/bedrock-cross-account"
WEB_ROLE = "arn:aws:iam::123456789012:role/bedrock-web-identity"
WEB_TOKEN = "emulator-web-identity-token.EXAMPLE"


def sts(pairs, key=KEY, secret=SECRET, token=None, region="us-east-1", sign=True, amz_date=None,
        content_type="application/x-www-form-urlencoded; charset=utf-8", extra_headers=None,
        service="sts", port=None, conn=None):
    """POST / with a form body (pairs), SigV4-signed for sts.  Returns Resp with .xml."""
    port = port or SERVER["port"]
    body = build_query(pairs).encode()
    headers = {"Host": "127.0.0.1:%d" % port, "Content-Type": content_type}
    headers.update(extra_headers or {})
    if sign:
        add, _ = client_sign("POST", "/", [], headers, body, key, secret, region, amz_date or amz_now(),
                             service, token)
        headers.update(add)
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/", body=body, headers=headers)
        r = Resp(conn.getresponse())
    finally:
        if own:
            conn.close()
    r.xml = ET.fromstring(r.raw) if r.raw.startswith(b"<") else None
    return r


def assume(role=LOCAL_ROLE, session="fdw-session", extra=(), **kw):
    return sts([("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", role),
                ("RoleSessionName", session)] + list(extra), **kw)


def web_identity(role=WEB_ROLE, session="fdw-web", token=WEB_TOKEN, extra=(), **kw):
    kw.setdefault("sign", False)
    return sts([("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", role),
                ("RoleSessionName", session), ("WebIdentityToken", token)] + list(extra), **kw)


def sts_creds(r):
    c = r.xml.find(".//%sCredentials" % STS_NS)
    return {t: c.find(STS_NS + t).text for t in ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")}


def parse_exp(text):
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc).timestamp()


def key_number(key, tag):
    m = re.match(r"\AASIA%s(\d+)\Z" % tag, key)
    assert m and len(key) == 20, key
    return int(m.group(1))


def imds(method, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", SERVER["port"], timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        return Resp(conn.getresponse())
    finally:
        conn.close()


def imds_token(ttl="21600"):
    r = imds("PUT", "/latest/api/token", {"X-aws-ec2-metadata-token-ttl-seconds": ttl})
    assert r.status == 200, (r.status, r.raw)
    return r.raw.decode()


def emuctl(*args):
    r = subprocess.run([sys.executable, EMUCTL, "--port", str(SERVER["port"])] + list(args),
                       capture_output=True, timeout=15, text=True)
    assert r.returncode == 0, (args, r.stderr)
    return r.stdout


class CredentialTest(unittest.TestCase):
    def setUp(self):
        self.assertEqual(ctl("POST", "/_emulator/reset", b"").status, 204)

    def tearDown(self):
        ctl("POST", "/_emulator/faults", b"[]")
        ctl("POST", "/_emulator/config", b'{"credential_lifetime_s": null}')

    def assertSts(self, r, status, code, message=None, sender=True):
        self.assertEqual(r.status, status, r.raw)
        self.assertEqual(r.headers.get("Content-Type"), "text/xml")
        self.assertEqual(r.xml.tag, STS_NS + "ErrorResponse", r.raw)
        err = r.xml.find(STS_NS + "Error")
        self.assertEqual([c.tag for c in err], [STS_NS + t for t in ("Type", "Code", "Message")])
        self.assertEqual(err.find(STS_NS + "Type").text, "Sender" if sender else "Receiver")
        self.assertEqual(err.find(STS_NS + "Code").text, code, r.raw)
        if message is not None:
            self.assertEqual(err.find(STS_NS + "Message").text, message)
        self.assertEqual(r.xml.find(STS_NS + "RequestId").text, r.headers["x-amzn-RequestId"])

    def bedrock_ok(self, c, token=True):
        return api("GET", "/model-customization-jobs", key=c["AccessKeyId"], secret=c["SecretAccessKey"],
                   token=c["SessionToken"] if token else None)

    # -- STS AssumeRole ----------------------------------------------------------------------
    def test_assume_role(self):
        before = time.time()
        r = assume(region="eu-central-1")
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.headers["Content-Type"], "text/xml")
        self.assertEqual(r.xml.tag, STS_NS + "AssumeRoleResponse")
        self.assertEqual([c.tag for c in r.xml], [STS_NS + "AssumeRoleResult", STS_NS + "ResponseMetadata"])
        res = r.xml.find(STS_NS + "AssumeRoleResult")
        self.assertEqual([c.tag for c in res], [STS_NS + "Credentials", STS_NS + "AssumedRoleUser"])
        self.assertEqual([c.tag for c in res.find(STS_NS + "Credentials")],
                         [STS_NS + t for t in ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")])
        self.assertEqual(r.xml.find(".//%sRequestId" % STS_NS).text, r.headers["x-amzn-RequestId"])
        user = res.find(STS_NS + "AssumedRoleUser")
        self.assertRegex(user.find(STS_NS + "AssumedRoleId").text, r"\AAROA[A-Z0-9]{17}:fdw-session\Z")
        self.assertEqual(user.find(STS_NS + "Arn").text,
                         "arn:aws:sts::123456789012:assumed-role/bedrock-local/fdw-session")
        c = sts_creds(r)
        n = key_number(c["AccessKeyId"], "STS")
        self.assertEqual(len(c["SecretAccessKey"]), 40)
        self.assertAlmostEqual(parse_exp(c["Expiration"]), before + 3600, delta=3)
        # the next one counts on; deterministic role id
        r2 = assume(session="other")
        self.assertEqual(key_number(sts_creds(r2)["AccessKeyId"], "STS"), n + 1)
        self.assertEqual(r2.xml.find(".//%sAssumedRoleId" % STS_NS).text.split(":")[0],
                         user.find(STS_NS + "AssumedRoleId").text.split(":")[0])
        # the issued credentials sign Bedrock calls, with their token only
        self.assertEqual(self.bedrock_ok(c).status, 200)
        r3 = self.bedrock_ok(c, token=False)
        self.assertEqual((r3.status, r3.error_type), (403, "UnrecognizedClientException"))
        r3 = api("GET", "/model-customization-jobs", key=c["AccessKeyId"], secret=c["SecretAccessKey"],
                 token=sts_creds(r2)["SessionToken"])
        self.assertEqual((r3.status, r3.error_type), (403, "UnrecognizedClientException"))
        # the temporary built-in credentials may call STS too; so may issued ones (role chaining)
        r4 = assume(key=emulator.TEMP_ACCESS_KEY_ID, secret=emulator.TEMP_SECRET_ACCESS_KEY, token=TOKEN)
        self.assertEqual(r4.status, 200, r4.raw)
        r5 = assume(key=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"],
                    extra=[("DurationSeconds", "900")])
        self.assertEqual(r5.status, 200, r5.raw)
        self.assertAlmostEqual(parse_exp(sts_creds(r5)["Expiration"]), time.time() + 900, delta=3)
        r6 = assume(role="arn:aws:iam::123456789012:role/nope", key=c["AccessKeyId"],
                    secret=c["SecretAccessKey"], token=c["SessionToken"])
        self.assertSts(r6, 403, "AccessDenied",
                       "User: arn:aws:sts::123456789012:assumed-role/bedrock-local/fdw-session is not "
                       "authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/nope")
        # the log
        log = ctl("GET", "/_emulator/requests").json
        e = log[0]
        self.assertEqual((e["operation"], e["region"], e["access_key"], e["status"], e["issued"], e["method"]),
                         ("AssumeRole", "eu-central-1", KEY, 200, c["AccessKeyId"], "POST"))
        self.assertEqual(e["params"], {"RoleArn": LOCAL_ROLE, "RoleSessionName": "fdw-session"})
        self.assertIsNone(e["body"])
        self.assertEqual(e["request_id"], r.headers["x-amzn-RequestId"])
        self.assertEqual(log[6]["params"]["DurationSeconds"], "900")
        out = emuctl("requests", "--keys").splitlines()
        self.assertEqual(out, [
            "AssumeRole " + KEY, "AssumeRole " + KEY,
            "ListModelCustomizationJobs " + c["AccessKeyId"], "ListModelCustomizationJobs " + c["AccessKeyId"],
            "ListModelCustomizationJobs " + c["AccessKeyId"], "AssumeRole " + emulator.TEMP_ACCESS_KEY_ID,
            "AssumeRole " + c["AccessKeyId"], "AssumeRole " + c["AccessKeyId"]])

    def test_cross_account_and_duration(self):
        denied = ("User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: "
                  "sts:AssumeRole on resource: %s")
        self.assertSts(assume(CROSS_ROLE), 403, "AccessDenied", denied % CROSS_ROLE)
        self.assertSts(assume(CROSS_ROLE, extra=[("ExternalId", "wrong-id")]), 403, "AccessDenied")
        for role in ("arn:aws:iam::123456789012:role/unknown", WEB_ROLE,
                     "arn:aws:iam::999999999999:role/bedrock-local"):
            self.assertSts(assume(role), 403, "AccessDenied", denied % role)
        r = assume(CROSS_ROLE, "x-acct", extra=[("ExternalId", "emulator-external-id"), ("DurationSeconds", "1800")])
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.xml.find(".//%sArn" % STS_NS).text,
                         "arn:aws:sts::210987654321:assumed-role/bedrock-cross-account/x-acct")
        self.assertAlmostEqual(parse_exp(sts_creds(r)["Expiration"]), time.time() + 1800, delta=3)
        self.assertEqual(self.bedrock_ok(sts_creds(r)).status, 200)
        # an ExternalId the role does not need is fine
        self.assertEqual(assume(extra=[("ExternalId", "any:thing/=,.@-")]).status, 200)
        msg = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        self.assertSts(assume(extra=[("DurationSeconds", "3601")]), 400, "ValidationError", msg)
        self.assertSts(assume(extra=[("DurationSeconds", "43200")]), 400, "ValidationError", msg)
        self.assertEqual(assume(extra=[("DurationSeconds", "3600")]).status, 200)
        e = ctl("GET", "/_emulator/requests").json[5]
        self.assertEqual(e["params"], {"RoleArn": CROSS_ROLE, "RoleSessionName": "x-acct",
                                       "ExternalId": "emulator-external-id", "DurationSeconds": "1800"})
        line = [x for x in emuctl("requests", "--summary").splitlines() if "x-acct" in x]
        self.assertEqual(line, ["AssumeRole us-east-1 DurationSeconds=1800&ExternalId=emulator-external-id&"
                                "RoleArn=%s&RoleSessionName=x-acct 200" % CROSS_ROLE])

    def test_sts_validation(self):
        V = "ValidationError"
        self.assertSts(sts([("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", LOCAL_ROLE)]), 400, V,
                       "1 validation error detected: Value null at 'roleSessionName' failed to satisfy "
                       "constraint: Member must not be null")
        self.assertSts(sts([("Action", "AssumeRole"), ("Version", "2011-06-15")]), 400, V,
                       "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: "
                       "Member must not be null; Value null at 'roleSessionName' failed to satisfy "
                       "constraint: Member must not be null")
        self.assertSts(assume(session="a"), 400, V, "1 validation error detected: Value 'a' at 'roleSessionName' "
                       "failed to satisfy constraint: Member must have length greater than or equal to 2")
        self.assertSts(assume(session="a b"), 400, V, "1 validation error detected: Value 'a b' at "
                       "'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression "
                       "pattern: [\\w+=,.@-]*")
        self.assertSts(assume(session="x" * 65), 400, V)
        self.assertEqual(assume(session="x" * 64).status, 200)
        self.assertSts(assume(extra=[("ExternalId", "a")]), 400, V)
        self.assertSts(assume(extra=[("ExternalId", "a b")]), 400, V)
        self.assertSts(assume(extra=[("DurationSeconds", "899")]), 400, V, "1 validation error detected: Value "
                       "'899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater "
                       "than or equal to 900")
        self.assertSts(assume(extra=[("DurationSeconds", "43201")]), 400, V)
        self.assertSts(assume(extra=[("DurationSeconds", "abc")]), 400, V)
        self.assertSts(assume(role="short"), 400, V)
        self.assertSts(assume(role="not-an-arn-but-long-enough"), 400, V, "Request ARN is invalid")
        # Action and Version
        self.assertSts(sts([("Version", "2011-06-15")]), 400, "MissingAction", "Missing Action")
        self.assertSts(sts([("Action", "AssumeRole")]), 400, "MissingParameter")
        self.assertSts(sts([("Action", "AssumeRole"), ("Version", "2011-06-16")]), 400, "InvalidAction",
                       "Could not find operation AssumeRole for version 2011-06-16")
        self.assertSts(sts([("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]), 400, "InvalidAction",
                       "Could not find operation GetCallerIdentity for version 2011-06-15")
        r = assume(content_type="application/json")
        self.assertSts(r, 400, "MissingAction")
        self.assertEqual(assume(content_type="application/x-www-form-urlencoded").status, 200)
        log = ctl("GET", "/_emulator/requests").json
        self.assertEqual(log[-3]["operation"], "Unknown")
        self.assertEqual(log[-3]["params"], {"Action": "GetCallerIdentity", "Version": "2011-06-15"})

    def test_sts_signature(self):
        self.assertSts(assume(sign=False), 403, "MissingAuthenticationToken", "Request is missing Authentication Token")
        self.assertSts(assume(service="bedrock"), 403, "SignatureDoesNotMatch",
                       "Credential should be scoped to correct service: 'sts'.")
        r = assume(secret="wrong")
        self.assertSts(r, 403, "SignatureDoesNotMatch")
        self.assertIn("canonical_request", ctl("GET", "/_emulator/requests").json[-1])
        self.assertSts(assume(key="AKIDUNKNOWNEXAMPLE00"), 403, "InvalidClientTokenId",
                       "The security token included in the request is invalid.")
        self.assertSts(assume(amz_date=amz_now(-3600)), 403, "SignatureDoesNotMatch")
        self.assertSts(assume(key=emulator.TEMP_ACCESS_KEY_ID, secret=emulator.TEMP_SECRET_ACCESS_KEY), 403,
                       "InvalidClientTokenId")
        # a Bedrock call signed for sts is refused
        r = api("GET", "/model-customization-jobs", service="sts")
        self.assertEqual((r.status, r.error_type), (403, "InvalidSignatureException"))

    # -- lifetimes and expiry ------------------------------------------------------------------
    def test_lifetime_cap_expiry_and_reset(self):
        for bad in (b'{"credential_lifetime_s": 0}', b'{"credential_lifetime_s": 1.5}',
                    b'{"credential_lifetime_s": "5"}', b'{"credential_lifetime_s": true}'):
            self.assertEqual(ctl("POST", "/_emulator/config", bad).status, 400, bad)
        self.assertEqual(ctl("POST", "/_emulator/config", b'{"credential_lifetime_s": 2}').json["credential_lifetime_s"], 2)
        r = assume(extra=[("DurationSeconds", "900")])
        c = sts_creds(r)
        self.assertAlmostEqual(parse_exp(c["Expiration"]), time.time() + 2, delta=1.5)
        self.assertEqual(self.bedrock_ok(c).status, 200)
        # reset clears the log, not the issued credentials
        ctl("POST", "/_emulator/reset", b"")
        self.assertEqual(self.bedrock_ok(c).status, 200)
        time.sleep(2.2)
        r = self.bedrock_ok(c)
        self.assertEqual((r.status, r.error_type, r.message),
                         (403, "ExpiredTokenException", "The security token included in the request is expired"))
        self.assertSts(assume(key=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"]), 403,
                       "ExpiredToken", "The security token included in the request is expired")
        # expire-credentials: every issued credential expires now; built-in ones stay
        ctl("POST", "/_emulator/config", b'{"credential_lifetime_s": null}')
        c2 = sts_creds(assume())
        self.assertAlmostEqual(parse_exp(c2["Expiration"]), time.time() + 3600, delta=3)
        minted = json.loads(emuctl("mint"))
        self.assertEqual(self.bedrock_ok(c2).status, 200)
        self.assertEqual(emuctl("expire-credentials"), "")
        self.assertEqual(self.bedrock_ok(c2).error_type, "ExpiredTokenException")
        r = api("GET", "/model-customization-jobs", key=minted["AccessKeyId"], secret=minted["SecretAccessKey"],
                token=minted["SessionToken"])
        self.assertEqual(r.error_type, "ExpiredTokenException")
        self.assertEqual(api("GET", "/model-customization-jobs").status, 200)
        lst = ctl("GET", "/_emulator/credentials").json
        self.assertTrue(lst and all(x["expired"] for x in lst))
        self.assertNotIn("SecretAccessKey", lst[0])
        # new ones are fine again
        self.assertEqual(self.bedrock_ok(sts_creds(assume())).status, 200)

    # -- web identity --------------------------------------------------------------------------
    def test_web_identity(self):
        r = web_identity()
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.xml.tag, STS_NS + "AssumeRoleWithWebIdentityResponse")
        res = r.xml.find(STS_NS + "AssumeRoleWithWebIdentityResult")
        self.assertEqual([c.tag[len(STS_NS):] for c in res],
                         ["Credentials", "SubjectFromWebIdentityToken", "AssumedRoleUser", "Provider", "Audience"])
        self.assertEqual(res.find(STS_NS + "Audience").text, "sts.amazonaws.com")
        self.assertEqual(res.find(".//%sArn" % STS_NS).text,
                         "arn:aws:sts::123456789012:assumed-role/bedrock-web-identity/fdw-web")
        c = sts_creds(r)
        n = key_number(c["AccessKeyId"], "WEB")
        self.assertEqual(self.bedrock_ok(c).status, 200)
        # an Authorization header is ignored
        r = web_identity(sign=True, key="AKIDUNKNOWNEXAMPLE00", extra=[("DurationSeconds", "900")])
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(key_number(sts_creds(r)["AccessKeyId"], "WEB"), n + 1)
        self.assertSts(web_identity(token="eyJhbGciOi.bogus.token"), 400, "InvalidIdentityToken")
        self.assertSts(web_identity(role=LOCAL_ROLE), 403, "AccessDenied",
                       "Not authorized to perform sts:AssumeRoleWithWebIdentity")
        self.assertSts(web_identity(extra=[("DurationSeconds", "7200")]), 400, "ValidationError")
        self.assertSts(sts([("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"),
                            ("RoleArn", WEB_ROLE), ("RoleSessionName", "s1")], sign=False), 400, "ValidationError",
                       "1 validation error detected: Value null at 'webIdentityToken' failed to satisfy "
                       "constraint: Member must not be null")
        log = ctl("GET", "/_emulator/requests").json
        self.assertEqual((log[0]["operation"], log[0]["access_key"], log[0]["region"]),
                         ("AssumeRoleWithWebIdentity", None, None))
        self.assertEqual(log[0]["params"], {"RoleArn": WEB_ROLE, "RoleSessionName": "fdw-web"})
        self.assertNotIn(WEB_TOKEN, json.dumps(log))
        self.assertIn("AssumeRoleWithWebIdentity - RoleArn=%s&RoleSessionName=fdw-web 200" % WEB_ROLE,
                      emuctl("requests", "--summary").splitlines())

    # -- IMDSv2 --------------------------------------------------------------------------------
    def test_imds(self):
        T = "X-aws-ec2-metadata-token-ttl-seconds"
        self.assertEqual(imds("PUT", "/latest/api/token").status, 400)
        for bad in ("0", "21601", "abc", "-5", ""):
            self.assertEqual(imds("PUT", "/latest/api/token", {T: bad}).status, 400, bad)
        self.assertEqual(imds("PUT", "/latest/api/token", {T: "60", "X-Forwarded-For": "10.0.0.1"}).status, 403)
        self.assertEqual(imds("GET", "/latest/api/token", {T: "60"}).status, 405)
        r = imds("PUT", "/latest/api/token", {T: "21600"})
        self.assertEqual((r.status, r.headers[T], r.headers["Content-Type"]), (200, "21600", "text/plain"))
        tok = r.raw.decode()
        self.assertTrue(len(tok) > 20)
        P = "/latest/meta-data/iam/security-credentials/"
        r = imds("GET", P)
        self.assertEqual(r.status, 401)               # IMDSv1 is off
        self.assertIn(b"401 - Unauthorized", r.raw)
        self.assertEqual(imds("GET", P, {"X-aws-ec2-metadata-token": "bogus"}).status, 401)
        r = imds("GET", P, {"X-aws-ec2-metadata-token": tok})
        self.assertEqual((r.status, r.raw), (200, b"bedrock-instance-role"))
        self.assertEqual(imds("GET", P + "other-role", {"X-aws-ec2-metadata-token": tok}).status, 404)
        self.assertEqual(imds("GET", P + "bedrock-instance-role").status, 401)
        r = imds("GET", P + "bedrock-instance-role", {"X-aws-ec2-metadata-token": tok})
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(list(r.json), ["Code", "LastUpdated", "Type", "AccessKeyId", "SecretAccessKey", "Token",
                                        "Expiration"])
        self.assertEqual((r.json["Code"], r.json["Type"]), ("Success", "AWS-HMAC"))
        n = key_number(r.json["AccessKeyId"], "IMDS")
        self.assertAlmostEqual(parse_exp(r.json["Expiration"]), time.time() + 3600, delta=3)
        self.assertEqual(self.bedrock_ok({"AccessKeyId": r.json["AccessKeyId"], "SessionToken": r.json["Token"],
                                          "SecretAccessKey": r.json["SecretAccessKey"]}).status, 200)
        r = imds("GET", P + "bedrock-instance-role", {"X-aws-ec2-metadata-token": tok})
        self.assertEqual(key_number(r.json["AccessKeyId"], "IMDS"), n + 1)
        # tokens expire
        short = imds_token("1")
        self.assertEqual(imds("GET", P, {"X-aws-ec2-metadata-token": short}).status, 200)
        time.sleep(1.1)
        self.assertEqual(imds("GET", P, {"X-aws-ec2-metadata-token": short}).status, 401)
        self.assertEqual(imds("GET", "/latest/meta-data/ami-id", {"X-aws-ec2-metadata-token": tok}).status, 404)
        ops = [(e["operation"], e["status"]) for e in ctl("GET", "/_emulator/requests").json]
        self.assertEqual(ops[:12], [("IMDSGetToken", 400)] * 6 + [("IMDSGetToken", 403), ("IMDSGetToken", 405),
                                    ("IMDSGetToken", 200), ("IMDSGetRoleName", 401), ("IMDSGetRoleName", 401),
                                    ("IMDSGetRoleName", 200)])
        summary = emuctl("requests", "--summary").splitlines()
        for line in ("IMDSGetToken - ttl=21600 200", "IMDSGetRoleName - - 200",
                     "IMDSGetCredentials - role=bedrock-instance-role 200",
                     "IMDSGetCredentials - role=other-role 404"):
            self.assertIn(line, summary)
        keys = emuctl("requests", "--keys").splitlines()
        self.assertIn("IMDSGetCredentials -", keys)
        self.assertIn("ListModelCustomizationJobs ASIAIMDS%012d" % n, keys)

    # -- ECS -----------------------------------------------------------------------------------
    def test_ecs(self):
        P = "/v2/credentials/4c6f2d1e-emulator"
        r = imds("GET", P)
        self.assertEqual((r.status, r.json["code"]), (401, "NoAuthorization"))
        r = imds("GET", P, {"Authorization": "wrong"})
        self.assertEqual((r.status, r.json["code"]), (403, "AccessDenied"))
        self.assertEqual(imds("GET", "/v2/credentials/bad_id", {"Authorization": "emulator-ecs-auth-token"}).status, 400)
        self.assertEqual(imds("POST", P, {"Authorization": "emulator-ecs-auth-token"}).status, 405)
        r = imds("GET", P, {"Authorization": "emulator-ecs-auth-token"})
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.headers["Content-Type"], "application/json")
        self.assertEqual(list(r.json), ["AccessKeyId", "SecretAccessKey", "Token", "Expiration", "RoleArn"])
        self.assertEqual(r.json["RoleArn"], "arn:aws:iam::123456789012:role/bedrock-task-role")
        n = key_number(r.json["AccessKeyId"], "ECS")
        c = {"AccessKeyId": r.json["AccessKeyId"], "SecretAccessKey": r.json["SecretAccessKey"],
             "SessionToken": r.json["Token"]}
        self.assertEqual(self.bedrock_ok(c).status, 200)
        self.assertEqual(key_number(imds("GET", "/v2/credentials/x", {"Authorization": "emulator-ecs-auth-token"})
                                    .json["AccessKeyId"], "ECS"), n + 1)
        self.assertIn("ECSGetCredentials - id=4c6f2d1e-emulator 200", emuctl("requests", "--summary").splitlines())

    # -- minted credentials (credential_process) --------------------------------------------
    def test_mint(self):
        out = emuctl("mint", "120")
        self.assertEqual(out.count("\n"), 1)
        doc = json.loads(out)
        self.assertEqual(list(doc), ["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"])
        self.assertEqual(doc["Version"], 1)
        n = key_number(doc["AccessKeyId"], "PROC")
        self.assertAlmostEqual(parse_exp(doc["Expiration"]), time.time() + 120, delta=3)
        r = api("GET", "/model-customization-jobs", key=doc["AccessKeyId"], secret=doc["SecretAccessKey"],
                token=doc["SessionToken"])
        self.assertEqual(r.status, 200)
        self.assertEqual(emuctl("requests", "--keys"), "ListModelCustomizationJobs %s\n" % doc["AccessKeyId"])
        doc2 = ctl("POST", "/_emulator/credentials").json
        self.assertEqual(key_number(doc2["AccessKeyId"], "PROC"), n + 1)
        self.assertAlmostEqual(parse_exp(doc2["Expiration"]), time.time() + 3600, delta=3)
        for bad in (b"[]", b"{", b'{"lifetime_s": 0}', b'{"lifetime_s": "5"}', b'{"ttl": 5}'):
            self.assertEqual(ctl("POST", "/_emulator/credentials", bad).status, 400, bad)
        ctl("POST", "/_emulator/config", b'{"credential_lifetime_s": 30}')
        self.assertAlmostEqual(parse_exp(json.loads(emuctl("mint", "600"))["Expiration"]), time.time() + 30, delta=3)
        r = subprocess.run([sys.executable, EMUCTL, "--port", str(SERVER["port"]), "mint", "0"],
                           capture_output=True, timeout=15)
        self.assertNotEqual(r.returncode, 0)

    # -- faults --------------------------------------------------------------------------------
    def test_faults_on_credential_operations(self):
        def faults(*rules):
            self.assertEqual(ctl("POST", "/_emulator/faults", json.dumps(list(rules)).encode()).status, 204)

        n = key_number(sts_creds(assume())["AccessKeyId"], "STS")
        ctl("POST", "/_emulator/reset", b"")
        faults({"operation": "AssumeRole", "status": 503, "times": 1})
        self.assertSts(assume(), 503, "ServiceUnavailable", "Injected fault (status 503)", sender=False)
        faults({"operation": "AssumeRole", "status": 400, "error_type": "Throttling", "message": "Rate exceeded"})
        self.assertSts(assume(), 400, "Throttling", "Rate exceeded")
        faults({"operation": "AssumeRole", "action": "reset", "times": 1})
        with self.assertRaises((ConnectionResetError, http.client.RemoteDisconnected)):
            assume()
        faults({"operation": "AssumeRole", "action": "truncate", "times": 1})
        with self.assertRaises(http.client.IncompleteRead):
            assume()
        # a fault answers after SigV4: a bad signature is still 403; "*" leaves credential calls alone
        faults({"operation": "AssumeRole", "status": 500})
        self.assertSts(assume(secret="wrong"), 403, "SignatureDoesNotMatch")
        faults({"operation": "*", "status": 500})
        r = assume()
        self.assertEqual(r.status, 200)
        # the reset fault issued nothing: numbers stay dense (the truncated answer issued one)
        self.assertEqual(key_number(sts_creds(r)["AccessKeyId"], "STS"), n + 2)
        self.assertEqual(imds("GET", "/v2/credentials/x", {"Authorization": "emulator-ecs-auth-token"}).status, 200)
        faults({"operation": "AssumeRoleWithWebIdentity", "status": 503, "times": 1},
               {"operation": "IMDSGetCredentials", "status": 500, "times": 1},
               {"operation": "ECSGetCredentials", "action": "reset", "times": 1},
               {"operation": "IMDSGetToken", "action": "stall_headers", "delay": 0.3, "times": 1})
        self.assertSts(web_identity(), 503, "ServiceUnavailable", sender=False)
        self.assertEqual(web_identity().status, 200)
        t0 = time.monotonic()
        with self.assertRaises(http.client.RemoteDisconnected):
            imds_token()
        self.assertGreaterEqual(time.monotonic() - t0, 0.25)
        tok = imds_token()
        P = "/latest/meta-data/iam/security-credentials/bedrock-instance-role"
        self.assertEqual(imds("GET", P, {"X-aws-ec2-metadata-token": tok}).status, 500)
        self.assertEqual(imds("GET", P, {"X-aws-ec2-metadata-token": tok}).status, 200)
        with self.assertRaises((ConnectionResetError, http.client.RemoteDisconnected)):
            imds("GET", "/v2/credentials/x", {"Authorization": "emulator-ecs-auth-token"})
        log = ctl("GET", "/_emulator/requests").json
        self.assertEqual(log[0]["fault"], True)
        self.assertEqual(log[0]["error_type"], "ServiceUnavailable")
        self.assertEqual(log[2].get("action"), "reset")
        self.assertIn("AssumeRole us-east-1 RoleArn=%s&RoleSessionName=fdw-session -/reset" % LOCAL_ROLE,
                      emuctl("requests", "--summary").splitlines())


# ------------------------------------------------------------------------------------------
# TLS: test/make_tls.sh and --https-port
# ------------------------------------------------------------------------------------------
MAKE_TLS = os.path.join(HERE, "make_tls.sh")


class TLSTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="bedrock-emu-tls-")
        cls.dir = os.path.join(cls.tmp, "tls")
        r = subprocess.run(["sh", MAKE_TLS, cls.dir], capture_output=True, timeout=60)
        assert r.returncode == 0 and not r.stdout and not r.stderr, r
        pf, hpf = os.path.join(cls.tmp, "port"), os.path.join(cls.tmp, "https-port")
        cls.proc = subprocess.Popen([sys.executable, EMULATOR, "--port-file", pf, "--https-port", "0",
                                     "--https-port-file", hpf, "--tls-cert", os.path.join(cls.dir, "server.pem"),
                                     "--tls-key", os.path.join(cls.dir, "server.key")], stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while not os.path.exists(pf):
            if cls.proc.poll() is not None or time.monotonic() > deadline:
                cls.proc.kill()
                raise RuntimeError("emulator did not start: %s" % cls.proc.stderr.read().decode())
            time.sleep(0.02)
        with open(pf) as f:
            cls.port = int(f.read())
        with open(hpf) as f:
            cls.https_port = int(f.read())
        cls.lines = [cls.proc.stderr.readline().decode() for _ in range(2)]

    @classmethod
    def tearDownClass(cls):
        cls.proc.send_signal(signal.SIGTERM)
        rc = cls.proc.wait(10)
        cls.proc.stderr.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        assert rc == 0, rc

    def ctx(self, ca="ca.pem"):
        return ssl.create_default_context(cafile=os.path.join(self.dir, ca))

    def https(self, method, path, host="localhost", ca="ca.pem", headers=None, body=None, ctx=None):
        conn = http.client.HTTPSConnection(host, self.https_port, timeout=10, context=ctx or self.ctx(ca))
        try:
            conn.request(method, path, body=body, headers=headers or {})
            return Resp(conn.getresponse())
        finally:
            conn.close()

    def test_files_and_idempotence(self):
        names = sorted(os.listdir(self.dir))
        self.assertEqual(names, ["ca.key", "ca.pem", "other-ca.key", "other-ca.pem", "server.key", "server.pem"])
        before = {n: read(os.path.join(self.dir, n)) for n in names}
        r = subprocess.run(["sh", MAKE_TLS, self.dir], capture_output=True, timeout=60)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, b"", b""))
        self.assertEqual({n: read(os.path.join(self.dir, n)) for n in names}, before)
        self.assertEqual(subprocess.run(["sh", MAKE_TLS], capture_output=True).returncode, 2)
        self.assertEqual(self.lines, ["bedrock emulator listening on http://127.0.0.1:%d\n" % self.port,
                                      "bedrock emulator listening on https://127.0.0.1:%d\n" % self.https_port])

    def test_trusted_and_untrusted(self):
        for host in ("localhost", "127.0.0.1"):
            r = self.https("GET", "/_emulator/health", host=host)
            self.assertEqual((r.status, r.json["ok"]), (200, True))
        with self.assertRaises(ssl.SSLCertVerificationError):
            self.https("GET", "/_emulator/health", ca="other-ca.pem")
        ctx = self.ctx()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        with self.assertRaises(ssl.SSLError):
            self.https("GET", "/_emulator/health", ctx=ctx)
        # the server still serves after failed handshakes; the plain port too
        self.assertEqual(self.https("GET", "/_emulator/health").status, 200)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", "/_emulator/health")
        self.assertEqual(conn.getresponse().status, 200)
        conn.close()

    def test_signed_calls_share_state(self):
        self.https("POST", "/_emulator/reset", body=b"")
        host = "localhost:%d" % self.https_port
        headers = {"Host": host}
        add, _ = client_sign("GET", "/model-customization-jobs", [("maxResults", "2")], headers, b"", KEY, SECRET,
                             "us-west-2", amz_now())
        headers.update(add)
        r = self.https("GET", "/model-customization-jobs?maxResults=2", headers=headers)
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(len(r.json["modelCustomizationJobSummaries"]), 2)
        body = build_query([("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", LOCAL_ROLE),
                            ("RoleSessionName", "tls")]).encode()
        headers = {"Host": host, "Content-Type": "application/x-www-form-urlencoded"}
        add, _ = client_sign("POST", "/", [], headers, body, KEY, SECRET, "us-east-1", amz_now(), "sts")
        headers.update(add)
        r = self.https("POST", "/", headers=headers, body=body)
        self.assertEqual(r.status, 200, r.raw)
        self.assertIn(b"<AccessKeyId>ASIASTS0000000000001</AccessKeyId>", r.raw)   # a fresh emulator
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", "/_emulator/requests")
        log = json.loads(conn.getresponse().read())
        conn.close()
        self.assertEqual([(e["operation"], e["status"]) for e in log],
                         [("ListModelCustomizationJobs", 200), ("AssumeRole", 200)])

    def test_stall_over_tls_ends_when_client_leaves(self):
        self.https("POST", "/_emulator/faults", body=json.dumps(
            [{"operation": "ListModelCustomizationJobs", "action": "stall_headers", "delay": 60}]).encode())
        base = min(self.https("GET", "/_emulator/health").json["threads"] for _ in range(3))
        host = "localhost:%d" % self.https_port
        headers = {"Host": host}
        add, _ = client_sign("GET", "/model-customization-jobs", [], headers, b"", KEY, SECRET, "us-east-1", amz_now())
        headers.update(add)
        conn = http.client.HTTPSConnection("localhost", self.https_port, timeout=0.5, context=self.ctx())
        conn.request("GET", "/model-customization-jobs", headers=headers)
        with self.assertRaises(socket.timeout):
            conn.getresponse()
        self.assertGreater(self.https("GET", "/_emulator/health").json["threads"], base)
        conn.close()
        deadline = time.monotonic() + 3
        while self.https("GET", "/_emulator/health").json["threads"] > base and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertLessEqual(self.https("GET", "/_emulator/health").json["threads"], base)
        self.https("POST", "/_emulator/faults", body=b"[]")

    def test_flag_checks(self):
        for args in (["--https-port", "0"], ["--tls-cert", os.path.join(self.dir, "server.pem")],
                     ["--https-port", "0", "--tls-cert", os.path.join(self.dir, "ca.pem"),
                      "--tls-key", os.path.join(self.dir, "server.key")]):
            r = subprocess.run([sys.executable, EMULATOR] + args, capture_output=True, timeout=15)
            self.assertEqual(r.returncode, 2, (args, r.stderr))


class LifecycleTest(unittest.TestCase):
    def test_sigterm_and_port_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            pf = os.path.join(tmp, "p")
            proc = subprocess.Popen([sys.executable, EMULATOR, "--port-file", pf, "--fixtures", "demo"],
                                    stderr=subprocess.PIPE)
            deadline = time.monotonic() + 10
            while not os.path.exists(pf) and time.monotonic() < deadline:
                time.sleep(0.02)
            with open(pf) as f:
                port = int(f.read())
            line = proc.stderr.readline().decode()
            self.assertEqual(line, "bedrock emulator listening on http://127.0.0.1:%d\n" % port)
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/_emulator/health")
            self.assertEqual(c.getresponse().status, 200)
            c.close()
            proc.send_signal(signal.SIGINT)
            self.assertEqual(proc.wait(10), 0)
            proc.stderr.close()
            self.assertEqual(os.listdir(tmp), ["p"])


def load_tests(loader, tests, pattern):
    """The other resources' self-test (test/test_emulator_resources.py), the accounts' one
    (test/test_emulator_accounts.py) and GetResources' (test/test_emulator_tagging.py) run with
    this suite, after it."""
    import test_emulator_resources
    import test_emulator_accounts
    import test_emulator_tagging
    tests.addTests(loader.loadTestsFromModule(test_emulator_resources))
    tests.addTests(loader.loadTestsFromModule(test_emulator_accounts))
    tests.addTests(loader.loadTestsFromModule(test_emulator_tagging))
    return tests


if __name__ == "__main__":
    unittest.main()
