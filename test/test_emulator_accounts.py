#!/usr/bin/env python3
"""Self-test of the emulator's accounts, organization and regions (test/emulator_accounts.py).

Run:  python3 test/test_emulator_accounts.py     (python3 test/test_emulator.py runs it too)

The fixtures are checked on their own (accounts, roles, regions, jobs only in enabled regions,
the dump) and against the service models in ../shared/aws (skipped without them), then a running
emulator (--max-page-size 5 --org-accounts 3) is checked: AssumeRole into every member role and
the denied ones, each account's Bedrock jobs and its disabled regions, ListAccounts and
ListRegions with their paging and errors, the request log's "account" and emuctl --accounts,
fault rules (and their "account" member), latency, the rate limit and the answer variants on the
new operations, and the --org-accounts / --org-jobs-per-region flags.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import emulator  # noqa: E402
import emulator_accounts as acc  # noqa: E402
import test_emulator as te  # noqa: E402  (the independent signer and the shared-dir lookup)

EMULATOR = os.path.join(HERE, "emulator.py")
EMUCTL = os.path.join(HERE, "emuctl")
M = "123456789012"
READER = "arn:aws:iam::%s:role/BedrockFdwReader"
ORG_TARGET = "AWSOrganizationsV20161128.ListAccounts"
DENIED = "User: %s is not authorized to perform: sts:AssumeRole on resource: %s"
CALLER = "arn:aws:iam::123456789012:user/emulator"
SMALL = {"210987654321": {"us-east-1": 4, "us-west-2": 2, "ap-southeast-3": 3},
         "111111111111": {"us-east-1": 3, "eu-central-1": 2, "me-central-1": 2},
         "222222222222": {"us-east-1": 2, "us-west-2": 5, "eu-west-1": 6},
         "444444444444": {"us-east-1": 2}, "333333333333": {}}


def start(*args):
    tmp = tempfile.mkdtemp(prefix="bedrock-emu-accounts-")
    pf = os.path.join(tmp, "port")
    proc = subprocess.Popen([sys.executable, EMULATOR, "--port", "0", "--port-file", pf] + list(args),
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not os.path.exists(pf):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("emulator did not start: %s" % proc.stderr.read().decode())
        time.sleep(0.02)
    with open(pf) as f:
        return proc, int(f.read()), tmp


def stop(proc, tmp):
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return rc


SERVER = {}


def setUpModule():
    proc, port, tmp = start("--max-page-size", "5", "--org-accounts", "3")
    SERVER.update(proc=proc, port=port, tmp=tmp)


def tearDownModule():
    if SERVER.get("proc"):
        if stop(SERVER["proc"], SERVER["tmp"]) != 0:
            raise AssertionError("emulator did not exit 0 on SIGTERM")


def use_server():
    """test_emulator's helpers (api, sts, ctl) talk to te.SERVER: point them at ours."""
    te.SERVER["port"] = SERVER["port"]


def creds_of(r):
    c = te.sts_creds(r)
    return {"key": c["AccessKeyId"], "secret": c["SecretAccessKey"], "token": c["SessionToken"]}


def org_call(body=None, target=ORG_TARGET, region="us-east-1", raw=None, **kw):
    data = raw if raw is not None else json.dumps(body or {}).encode()
    return te.api("POST", "/", (), data, region=region, service="organizations",
                  extra_headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"}, **kw)


def regions_call(body=None, region="us-east-1", **kw):
    return te.api("POST", "/listRegions", (), json.dumps(body or {}).encode(), region=region, service="account", **kw)


def jobs_call(region, **kw):
    return te.api("GET", "/model-customization-jobs", [("maxResults", "100")], region=region, **kw)


def jobs_all(region, **kw):
    out, token = [], None
    while True:
        r = te.api("GET", "/model-customization-jobs", [("nextToken", token)] if token else [], region=region, **kw)
        assert r.status == 200, (r.status, r.raw)
        out += r.json["modelCustomizationJobSummaries"]
        token = r.json.get("nextToken")
        if not token:
            return out


def all_accounts(**kw):
    out, token, pages = [], None, 0
    while True:
        body = {"MaxResults": 2}
        if token:
            body["NextToken"] = token
        r = org_call(body, **kw)
        assert r.status == 200, (r.status, r.raw)
        out += r.json["Accounts"]
        pages += 1
        token = r.json.get("NextToken")
        if not token:
            return out, pages


def all_regions(body=None, **kw):
    out, token = [], None
    while True:
        b = dict(body or {})
        if token:
            b["NextToken"] = token
        r = regions_call(b, **kw)
        assert r.status == 200, (r.status, r.raw)
        out += r.json["Regions"]
        token = r.json.get("NextToken")
        if not token:
            return out


def assume_reader(account, external_id=None, **kw):
    extra = [("ExternalId", external_id)] if external_id else []
    return te.assume(READER % account, "reader-%s" % account, extra=extra, **kw)


# ------------------------------------------------------------------------------------------
class FixtureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.org = acc.Organization(2, 3)
        cls.dump = emulator.dump_fixtures("default", cls.org)
        cls.by_id = {a["id"]: a for a in cls.dump["accounts"]}

    def test_table(self):
        self.assertEqual(list(self.by_id), [M, "210987654321", "111111111111", "222222222222", "333333333333",
                                            "444444444444", "100000000001", "100000000002"])
        self.assertEqual({i: a["status"] for i, a in self.by_id.items() if a["status"] != "ACTIVE"},
                         {"333333333333": "SUSPENDED"})
        self.assertEqual([i for i, a in self.by_id.items() if not a["assumable"]], ["333333333333", "444444444444"])
        self.assertIsNone(self.by_id["444444444444"]["role_arn"])
        self.assertEqual([i for i, a in self.by_id.items() if a["external_id"]], ["222222222222"])
        self.assertEqual(self.by_id["222222222222"]["external_id"], "emulator-org-external-id")
        self.assertEqual([i for i, a in self.by_id.items() if a["list_regions"] == "denied"], ["111111111111"])
        self.assertTrue(self.by_id[M]["management"])
        for i, a in self.by_id.items():
            if a["role_arn"]:
                self.assertEqual(a["role_arn"], READER % i)

    def test_regions(self):
        for i, a in self.by_id.items():
            regs = a["regions"]
            self.assertEqual(list(regs), sorted(regs))
            self.assertEqual(len(regs), 34)
            self.assertEqual([r for r, s in regs.items() if s == "ENABLED_BY_DEFAULT"], sorted(acc.DEFAULT_ENABLED))
            self.assertEqual(a["enabled_regions"], [r for r, s in regs.items() if s != "DISABLED"])
            # at least one opt-in region that Bedrock serves is DISABLED
            self.assertTrue([r for r, s in regs.items() if s == "DISABLED" and r in acc.BEDROCK_REGIONS], i)
        self.assertEqual(self.by_id["210987654321"]["regions"]["ap-southeast-3"], "ENABLED")
        self.assertEqual(self.by_id["210987654321"]["regions"]["me-central-1"], "DISABLED")
        self.assertEqual(self.by_id["111111111111"]["regions"]["me-central-1"], "ENABLED")
        self.assertEqual(self.by_id[M]["regions"]["ap-southeast-3"], "DISABLED")

    def test_bedrock_regions_match_shared(self):
        try:
            path = os.path.join(te.shared_dir(), "aws", "bedrock", "regions.json")
        except unittest.SkipTest:
            raise
        with open(path) as f:
            aws = json.load(f)["partitions"]["aws"]
        self.assertEqual(list(acc.BEDROCK_REGIONS), sorted(aws))
        self.assertEqual(set(acc.ALL_REGIONS) - set(aws), {"ap-east-1"})

    def test_jobs_per_account(self):
        self.assertEqual({r: len(v) for r, v in self.by_id[M]["jobs"].items() if v},
                         {"us-east-1": 24, "us-west-2": 8, "eu-west-1": 5})
        for i, want in SMALL.items():
            got = {r: len(v) for r, v in self.by_id[i]["jobs"].items() if v}
            self.assertEqual(got, want, i)
            for r, arns in self.by_id[i]["jobs"].items():
                self.assertIn(r, self.by_id[i]["enabled_regions"])
                for arn in arns:
                    self.assertTrue(arn.startswith("arn:aws:bedrock:%s:%s:model-customization-job/" % (r, i)), arn)
                    self.assertTrue(emulator.is_job_arn(arn), arn)
            self.assertTrue(all(2 <= n <= 6 for n in want.values()))
            self.assertTrue([r for r, v in self.by_id[i]["jobs"].items() if not v], i)     # some regions empty
        for i in ("100000000001", "100000000002"):
            jobs = self.by_id[i]["jobs"]
            self.assertEqual(set(jobs), set(acc.DEFAULT_ENABLED))
            self.assertEqual({len(v) for v in jobs.values()}, {3})
        all_arns = [a for x in self.by_id.values() for v in x["jobs"].values() for a in v]
        self.assertEqual(len(all_arns), len(set(all_arns)))

    def test_member_jobs_are_whole_jobs(self):
        store = self.org.store_for("222222222222", None)
        jobs = [j for r in store.regions() for j in store.by_region[r]]
        for j in jobs:
            self.assertTrue(emulator.is_job_arn(j.arn) and emulator.is_job_name(j.name), j.arn)
            self.assertIn(j.status, emulator.STATUS_ENUM)
            self.assertEqual(j.summary["jobArn"], j.arn)
            self.assertIn(":222222222222:", j.get["roleArn"])
            self.assertNotIn("123456789012", json.dumps(j.get))
        times = [j.created_us for j in jobs]
        self.assertEqual(len(set(times)), len(times))

    def test_deterministic_and_lazy(self):
        org = acc.Organization(1000, 1000)
        self.assertEqual(org._stores, {})                   # nothing built before use
        t = time.monotonic()
        s = org.store_for("100000000777", None)
        self.assertLess(time.monotonic() - t, 10)
        self.assertEqual(len(s.jobs), 17000)
        again = acc.Organization(1000, 1000).store_for("100000000777", None)
        self.assertEqual([j.arn for j in s.jobs[:50]], [j.arn for j in again.jobs[:50]])
        self.assertEqual(list(org._stores), ["100000000777"])

    def test_dump_cli(self):
        out = subprocess.run([sys.executable, EMULATOR, "--dump-fixtures", "--org-accounts", "1",
                              "--org-jobs-per-region", "1"], capture_output=True, check=True).stdout
        doc = json.loads(out)
        self.assertEqual(list(doc), ["fixtures", "account", "jobs", "resources", "accounts"])
        self.assertEqual([a["id"] for a in doc["accounts"]][-1], "100000000001")
        self.assertEqual({len(v) for v in doc["accounts"][-1]["jobs"].values()}, {1})
        # the rest is the default dump, byte for byte
        base = subprocess.run([sys.executable, EMULATOR, "--dump-fixtures"], capture_output=True, check=True).stdout
        b = json.loads(base)
        del b["accounts"], doc["accounts"]
        self.assertEqual(doc, b)
        head = json.dumps({k: b[k] for k in ("fixtures", "account", "jobs", "resources")}, indent=2)[:-2]
        self.assertTrue(base.decode().startswith(head + ",\n  \"accounts\": ["))

    def test_flag_checks(self):
        for args in (["--org-accounts", "-1"], ["--org-accounts", "100001"], ["--org-jobs-per-region", "-2"]):
            r = subprocess.run([sys.executable, EMULATOR, "--dump-fixtures"] + args, capture_output=True, timeout=30)
            self.assertEqual(r.returncode, 2, (args, r.stderr))


class ModelTest(unittest.TestCase):
    """ListAccounts and ListRegions answers against the Organizations and Account models."""

    @classmethod
    def setUpClass(cls):
        base = os.path.join(te.shared_dir(), "aws")
        with open(os.path.join(base, "organizations", "2016-11-28", "service-2.json")) as f:
            cls.orgs = json.load(f)
        with open(os.path.join(base, "account", "2021-02-01", "service-2.json")) as f:
            cls.account = json.load(f)
        use_server()

    def check(self, model, shape, value, path=""):
        s = model["shapes"][shape]
        t = s["type"]
        if t == "structure":
            self.assertIsInstance(value, dict, path)
            for k, v in value.items():
                self.assertIn(k, s["members"], path)
                self.check(model, s["members"][k]["shape"], v, path + "." + k)
            for k in s.get("required", []):
                self.assertIn(k, value, path)
        elif t == "list":
            self.assertIsInstance(value, list, path)
            for i, v in enumerate(value):
                self.check(model, s["member"]["shape"], v, "%s[%d]" % (path, i))
        elif t == "string":
            self.assertIsInstance(value, str, path)
            if "enum" in s:
                self.assertIn(value, s["enum"], path)
            if "pattern" in s:
                self.assertTrue(re.search(s["pattern"], value), (path, value, s["pattern"]))
            self.assertGreaterEqual(len(value), s.get("min", 0), path)
            self.assertLessEqual(len(value), s.get("max", 10 ** 9), path)
        elif t == "timestamp":
            self.assertIsInstance(value, (int, float), path)     # JSON 1.1: epoch seconds
        elif t == "integer":
            self.assertIsInstance(value, int, path)

    def test_protocol_metadata(self):
        self.assertEqual(self.orgs["metadata"]["targetPrefix"] + ".", acc.ORG_TARGET_PREFIX)
        self.assertEqual(self.orgs["metadata"]["jsonVersion"], "1.1")
        self.assertEqual(self.orgs["metadata"]["endpointPrefix"], acc.ORG_SERVICE)
        self.assertEqual(self.account["metadata"]["signingName"], acc.ACCOUNT_SERVICE)
        op = self.account["operations"]["ListRegions"]["http"]
        self.assertEqual((op["method"], op["requestUri"]), ("POST", "/listRegions"))
        shapes = self.orgs["shapes"]
        self.assertEqual((shapes["MaxResults"]["min"], shapes["MaxResults"]["max"]), (1, 20))
        self.assertEqual(shapes["AccountStatus"]["enum"][:2], ["ACTIVE", "SUSPENDED"])
        ash = self.account["shapes"]
        self.assertEqual(set(ash["RegionOptStatus"]["enum"]), set(acc.OPT_STATUSES))
        self.assertEqual(ash["ListRegionsRequestMaxResultsInteger"]["max"], 50)

    def test_list_accounts_answer(self):
        accounts, _ = all_accounts()
        self.check(self.orgs, "ListAccountsResponse", {"Accounts": accounts})
        for a in accounts:
            self.assertEqual(set(a), {"Id", "Arn", "Email", "Name", "Status", "State", "JoinedMethod",
                                      "JoinedTimestamp"})

    def test_list_regions_answer(self):
        r = regions_call({"MaxResults": 50})
        self.check(self.account, "ListRegionsResponse", r.json)
        r = regions_call({"AccountId": "210987654321", "MaxResults": 3})
        self.check(self.account, "ListRegionsResponse", r.json)


class ServerTest(unittest.TestCase):
    def setUp(self):
        use_server()
        te.ctl("POST", "/_emulator/reset")
        te.ctl("POST", "/_emulator/faults", b"[]")
        te.ctl("POST", "/_emulator/config", json.dumps({"latency_ms": 0, "jitter_ms": 0, "rate_limit": None,
                                                        "error_statuses": "aws", "error_format": "header",
                                                        "nulls": "absent"}).encode())

    def sts_error(self, r, code, message=None):
        self.assertEqual(r.status, 403 if code == "AccessDenied" else r.status, r.raw)
        self.assertEqual(r.xml.find(".//%sCode" % te.STS_NS).text, code)
        if message is not None:
            self.assertEqual(r.xml.find(".//%sMessage" % te.STS_NS).text, message)

    # -- STS ---------------------------------------------------------------------------------
    def test_assume_each_member_role(self):
        dump = {a["id"]: a for a in emulator.dump_fixtures("default", acc.Organization(3))["accounts"]}
        for aid, a in dump.items():
            ext = a["external_id"]
            r = assume_reader(aid, ext)
            if not a["assumable"]:
                self.sts_error(r, "AccessDenied", DENIED % (CALLER, READER % aid))
                continue
            self.assertEqual(r.status, 200, (aid, r.raw))
            self.assertEqual(r.xml.find(".//%sArn" % te.STS_NS).text,
                             "arn:aws:sts::%s:assumed-role/BedrockFdwReader/reader-%s" % (aid, aid))
            c = creds_of(r)
            for region in a["enabled_regions"]:
                if region == "ap-east-1" or region not in a["jobs"]:
                    continue
                arns = [j["jobArn"] for j in jobs_all(region, **c)]
                self.assertEqual(sorted(arns), sorted(a["jobs"][region]), (aid, region))
            for region, st in a["regions"].items():
                if st == "DISABLED" and region in ("me-central-1", "ap-southeast-3", "af-south-1"):
                    got = jobs_call(region, **c)
                    self.assertEqual((got.status, got.error_type, got.message),
                                     (403, "UnrecognizedClientException",
                                      "The security token included in the request is invalid."), (aid, region))
        log = te.ctl("GET", "/_emulator/requests").json
        self.assertTrue(all("account" in e for e in log))
        for e in log:
            if e["operation"] == "ListModelCustomizationJobs":
                self.assertIn(e["account"], dump)
                self.assertNotEqual(e["account"], None)

    def test_denied_roles(self):
        self.sts_error(assume_reader("222222222222"), "AccessDenied", DENIED % (CALLER, READER % "222222222222"))
        self.sts_error(assume_reader("222222222222", "wrong-id"), "AccessDenied")
        self.assertEqual(assume_reader("222222222222", acc.ORG_EXTERNAL_ID).status, 200)
        self.assertEqual(assume_reader("210987654321", "any-external-id").status, 200)    # not required: fine
        for role in (READER % "999999999999", READER % "333333333333", READER % "444444444444",
                     "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole"):
            self.sts_error(te.assume(role), "AccessDenied", DENIED % (CALLER, role))
        # a member's keys do not get into another member (or back into the management)
        c = creds_of(assume_reader("210987654321"))
        me = "arn:aws:sts::210987654321:assumed-role/BedrockFdwReader/reader-210987654321"
        for role in (READER % "111111111111", READER % M, emulator.LOCAL_ROLE_ARN):
            self.sts_error(te.assume(role, key=c["key"], secret=c["secret"], token=c["token"]), "AccessDenied",
                           DENIED % (me, role))
        # keys issued to a management role may assume a member role (the FDW's chains)
        lc = creds_of(te.assume(emulator.LOCAL_ROLE_ARN))
        r = assume_reader("111111111111", key=lc["key"], secret=lc["secret"], token=lc["token"])
        self.assertEqual(r.status, 200, r.raw)

    def test_legacy_roles_unchanged(self):
        r = te.assume(emulator.CROSS_ACCOUNT_ROLE_ARN, extra=[("ExternalId", "emulator-external-id")])
        self.assertEqual(r.status, 200)
        c = creds_of(r)
        mine = jobs_call("us-east-1")
        theirs = jobs_call("us-east-1", **c)
        self.assertEqual(theirs.json, mine.json)            # the management's fixtures, as before
        log = te.ctl("GET", "/_emulator/requests").json
        self.assertEqual([e["account"] for e in log], [M, M, "210987654321"])
        # ... but as an identity it is 210987654321's
        self.assertEqual(org_call({}, **c).json["__type"], "AccessDeniedException")

    # -- Bedrock per account -----------------------------------------------------------------
    def test_management_bedrock(self):
        r = jobs_call("us-east-1")
        self.assertEqual(len(r.json["modelCustomizationJobSummaries"]), 5)     # --max-page-size 5
        for region in ("ap-southeast-3", "me-central-1"):
            r = jobs_call(region)
            self.assertEqual((r.status, r.error_type), (403, "UnrecognizedClientException"))
        for region in ("eu-central-2", "us-east-2", "xx-test-1"):        # enabled, or unknown: as before
            r = jobs_call(region)
            self.assertEqual((r.status, r.json), (200, {"modelCustomizationJobSummaries": []}))

    def test_member_sees_only_its_own(self):
        c = creds_of(assume_reader("222222222222", acc.ORG_EXTERNAL_ID))
        mine = jobs_call("us-west-2", **c).json["modelCustomizationJobSummaries"]
        self.assertEqual(len(mine), 5)
        self.assertTrue(all(":222222222222:" in j["jobArn"] for j in mine))
        got = te.api("GET", te.jobpath(mine[0]["jobArn"]), region="us-west-2", **c)
        self.assertEqual(got.json["jobArn"], mine[0]["jobArn"])
        self.assertIn("arn:aws:iam::222222222222:role/", got.json["roleArn"])
        tags = te.api("POST", "/listTagsForResource", (), json.dumps({"resourceARN": mine[0]["jobArn"]}).encode(),
                      region="us-west-2", **c)
        self.assertEqual(tags.status, 200)
        # the management does not find the member's job, nor the member the management's
        self.assertEqual(te.api("GET", te.jobpath(mine[0]["jobArn"]), region="us-west-2").status, 404)
        self.assertEqual(te.api("GET", te.jobpath("titan-support-ft-001"), region="us-east-1", **c).status, 404)
        # the other resources are the management's only
        for path in ("/custom-models", "/foundation-models", "/guardrails"):
            r = te.api("GET", path, region="us-east-1", **c)
            self.assertEqual(r.status, 200, (path, r.raw))
            self.assertEqual([v for v in r.json.values() if isinstance(v, list)], [[]], path)

    # -- ListAccounts ------------------------------------------------------------------------
    def test_list_accounts(self):
        accounts, pages = all_accounts()
        ids = [a["Id"] for a in accounts]
        self.assertEqual(ids, [M, "210987654321", "111111111111", "222222222222", "333333333333", "444444444444",
                               "100000000001", "100000000002", "100000000003"])
        self.assertEqual(pages, 5)
        sus = accounts[4]
        self.assertEqual((sus["Status"], sus["State"]), ("SUSPENDED", "SUSPENDED"))
        self.assertEqual(accounts[1]["Arn"], "arn:aws:organizations::123456789012:account/o-bedrockfdw01/210987654321")
        r = org_call({})
        self.assertEqual(r.headers["Content-Type"], "application/x-amz-json-1.1")
        self.assertEqual(len(r.json["Accounts"]), 5)                    # min(20, --max-page-size)
        log = [e for e in te.ctl("GET", "/_emulator/requests").json if e["operation"] == "ListAccounts"]
        self.assertEqual({(e["region"], e["account"], e["status"]) for e in log}, {("us-east-1", M, 200)})

    def test_list_accounts_errors(self):
        c = creds_of(assume_reader("210987654321"))
        r = org_call({}, **c)
        self.assertEqual((r.status, r.json), (400, {"__type": "AccessDeniedException",
                                                    "Message": "You don't have permissions to access this resource."}))
        for n, reason in ((0, "MIN_VALUE_EXCEEDED"), (21, "MAX_VALUE_EXCEEDED")):
            r = org_call({"MaxResults": n})
            self.assertEqual((r.status, r.json["__type"], r.json["Reason"]), (400, "InvalidInputException", reason))
        r = org_call({"NextToken": "bm90LWEtdG9rZW4="})
        self.assertEqual((r.status, r.json["Reason"]), (400, "INVALID_NEXT_TOKEN"))
        r = org_call({"MaxResults": "5"})
        self.assertEqual((r.status, r.json["__type"]), (400, "SerializationException"))
        r = org_call(raw=b"not json")
        self.assertEqual((r.status, r.json["__type"]), (400, "SerializationException"))
        r = org_call({}, target="AWSOrganizationsV20161128.DescribeOrganization")
        self.assertEqual((r.status, r.json["__type"]), (400, "UnknownOperationException"))
        r = org_call({}, region="eu-west-1")
        self.assertEqual((r.status, r.json["__type"]), (403, "InvalidSignatureException"))
        r = te.api("POST", "/", (), b"{}", service="bedrock",
                   extra_headers={"X-Amz-Target": ORG_TARGET, "Content-Type": "application/x-amz-json-1.1"})
        self.assertEqual(r.status, 403)
        self.assertIn("organizations", r.json["Message"])
        r = org_call({}, key="AKIDUNKNOWNEXAMPLE00")
        self.assertEqual((r.status, r.json["__type"]), (403, "UnrecognizedClientException"))

    # -- ListRegions -------------------------------------------------------------------------
    def test_list_regions(self):
        mine = all_regions()
        self.assertEqual(len(mine), 34)
        st = {x["RegionName"]: x["RegionOptStatus"] for x in mine}
        self.assertEqual(st["eu-central-2"], "ENABLED")
        self.assertEqual(st["me-central-1"], "DISABLED")
        theirs = {x["RegionName"]: x["RegionOptStatus"] for x in all_regions({"AccountId": "210987654321"})}
        self.assertEqual((theirs["ap-southeast-3"], theirs["ap-east-1"]), ("ENABLED", "ENABLED"))
        only = all_regions({"AccountId": "222222222222", "RegionOptStatusContains": ["ENABLED"]})
        self.assertEqual(only, [{"RegionName": "ap-southeast-3", "RegionOptStatus": "ENABLED"},
                                {"RegionName": "il-central-1", "RegionOptStatus": "ENABLED"}])
        gen = all_regions({"AccountId": "100000000002", "RegionOptStatusContains": ["ENABLED", "ENABLED_BY_DEFAULT"]})
        self.assertEqual(len(gen), 17)
        # a member asks for itself (with or without its own id)
        c = creds_of(assume_reader("210987654321"))
        self.assertEqual(all_regions(**c), all_regions({"AccountId": "210987654321"}))
        self.assertEqual(all_regions({"AccountId": "210987654321"}, **c), all_regions(**c))
        r = regions_call({"NextToken": ""})                         # the model allows ""
        self.assertEqual(r.status, 200)

    def test_list_regions_denied(self):
        c111 = creds_of(assume_reader("111111111111"))
        r = regions_call({}, **c111)
        self.assertEqual((r.status, r.error_type), (403, "AccessDeniedException"))
        self.assertIn("explicit deny in a service control policy", r.message)
        for body in ({"AccountId": "111111111111"}, {"AccountId": "333333333333"}, {"AccountId": "999999999999"}):
            r = regions_call(body)
            self.assertEqual((r.status, r.error_type), (403, "AccessDeniedException"), body)
        c = creds_of(assume_reader("210987654321"))
        r = regions_call({"AccountId": "222222222222"}, **c)
        self.assertEqual((r.status, r.error_type), (403, "AccessDeniedException"))
        self.assertIn("arn:aws:sts::210987654321:assumed-role/BedrockFdwReader/", r.message)
        r = regions_call({"AccountId": M})
        self.assertEqual((r.status, r.error_type, r.json["reason"], r.json["fieldList"][0]["name"]),
                         (400, "ValidationException", "fieldValidationFailed", "AccountId"))
        for body in ({"MaxResults": 51}, {"MaxResults": 0}, {"AccountId": "12345"},
                     {"RegionOptStatusContains": ["enabled"]}, {"NextToken": "x" * 1001}, {"NextToken": "nope"}):
            r = regions_call(body)
            self.assertEqual((r.status, r.error_type), (400, "ValidationException"), body)
        r = te.api("GET", "/listRegions", service="account")
        self.assertEqual((r.status, r.error_type), (404, "UnknownOperationException"))
        r = regions_call({}, region="us-west-2")
        self.assertEqual(r.status, 403)

    # -- log, emuctl -------------------------------------------------------------------------
    def test_log_and_emuctl(self):
        c = creds_of(assume_reader("210987654321"))
        jobs_call("us-west-2", **c)
        org_call({"MaxResults": 2})
        regions_call({"AccountId": "210987654321", "RegionOptStatusContains": ["ENABLED", "DISABLED"]})
        tok = te.imds_token()
        self.assertTrue(tok)
        log = te.ctl("GET", "/_emulator/requests").json
        self.assertEqual([(e["operation"], e["account"]) for e in log],
                         [("AssumeRole", M), ("ListModelCustomizationJobs", "210987654321"), ("ListAccounts", M),
                          ("ListRegions", M), ("IMDSGetToken", None)])
        port = str(SERVER["port"])
        out = subprocess.run([sys.executable, EMUCTL, "--port", port, "requests", "--summary"],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        self.assertIn("ListModelCustomizationJobs us-west-2 maxResults=100 200", out)
        self.assertIn("ListAccounts us-east-1 MaxResults=2 200", out)
        self.assertIn("ListRegions us-east-1 AccountId=210987654321&RegionOptStatusContains=ENABLED,DISABLED 200", out)
        self.assertIn("IMDSGetToken - ttl=21600 200", out)
        accts = subprocess.run([sys.executable, EMUCTL, "--port", port, "requests", "--accounts"],
                               capture_output=True, text=True, check=True).stdout.splitlines()
        self.assertEqual(accts, sorted(accts))
        self.assertIn("210987654321 ListModelCustomizationJobs us-west-2 maxResults=100 200", accts)
        self.assertIn("- IMDSGetToken - ttl=21600 200", accts)
        self.assertEqual(sorted(x.split(" ", 1)[1] for x in accts), out)

    # -- faults, latency, rate limit, variants -----------------------------------------------
    def test_fault_rules(self):
        te.ctl("POST", "/_emulator/faults", json.dumps([
            {"operation": "ListAccounts", "status": 500, "error_type": "ServiceException", "times": 1},
            {"operation": "ListRegions", "action": "repeat_token", "times": 1},
            {"operation": "ListRegions", "action": "unknown_status", "times": 1},
            {"operation": "ListAccounts", "action": "non_utf8", "times": 1},
            {"operation": "ListAccounts", "action": "deep", "depth": 5, "times": 1}]).encode())
        r = org_call({})
        self.assertEqual((r.status, r.error_type), (500, "ServiceException"))
        self.assertEqual(regions_call({}).json["NextToken"], emulator.REPEAT_TOKEN)
        r = regions_call({})
        log = te.ctl("GET", "/_emulator/requests").json
        self.assertEqual([e.get("action") for e in log if e["operation"] == "ListRegions"],
                         ["repeat_token", "unknown_status"])
        self.assertEqual(r.json["Regions"][0]["RegionOptStatus"], "Exploding")
        r = org_call({})
        self.assertIn(b"\xff\xfe", r.raw)
        r = org_call({})
        self.assertTrue(r.raw.startswith(b'{"Accounts":[[[[[]]]]]}'), r.raw)
        te.ctl("POST", "/_emulator/faults", json.dumps([{"status": 503, "times": 2}]).encode())   # "*"
        self.assertEqual(org_call({}).status, 503)
        self.assertEqual(regions_call({}).status, 503)
        self.assertEqual(org_call({}).status, 200)
        te.ctl("POST", "/_emulator/faults", json.dumps([{"operation": "AssumeRole", "status": 503}]).encode())
        self.assertEqual(org_call({}).status, 200)

    def test_fault_rule_account(self):
        """A rule's "account": only requests signed with that account's keys."""
        c = creds_of(assume_reader("210987654321"))
        throttle = {"status": 429, "error_type": "ThrottlingException", "message": "Rate exceeded"}
        for rule_account, hit, miss in (("210987654321", c, {}), (M, {}, c)):
            te.ctl("POST", "/_emulator/reset")
            r = te.ctl("POST", "/_emulator/faults", json.dumps([dict(throttle, account=rule_account)]).encode())
            self.assertEqual(r.status, 204, r.raw)
            r = jobs_call("us-east-1", **hit)
            self.assertEqual((r.status, r.error_type, r.message), (429, "ThrottlingException", "Rate exceeded"),
                             rule_account)
            r = jobs_call("us-east-1", **miss)
            self.assertEqual(r.status, 200, (rule_account, r.raw))
            self.assertEqual(org_call({}, **hit).status, 429)           # "*": ListAccounts too
            log = te.ctl("GET", "/_emulator/requests").json
            self.assertEqual([(e["account"], e["status"], bool(e.get("fault"))) for e in log],
                             [(rule_account, 429, True), ("210987654321" if rule_account == M else M, 200, False),
                              (rule_account, 429, True)])
        # credential operations by name: AssumeRole is signed by the management's keys
        te.ctl("POST", "/_emulator/faults", json.dumps([
            {"operation": "AssumeRole", "account": "210987654321", "status": 503},
            {"operation": "AssumeRole", "account": M, "status": 500, "error_type": "InternalFailure", "times": 1},
        ]).encode())
        self.sts_error(assume_reader("210987654321"), "InternalFailure")
        self.assertEqual(assume_reader("210987654321").status, 200)
        # IMDS has no account: a rule naming one never matches it
        te.ctl("POST", "/_emulator/faults", json.dumps([{"operation": "IMDSGetToken", "account": M,
                                                         "status": 500}]).encode())
        self.assertTrue(te.imds_token())
        # checked like the other members
        for bad in ("21098765432", "2109876543210", "21098765432x", "", 210987654321, ["210987654321"], True):
            r = te.ctl("POST", "/_emulator/faults", json.dumps([dict(throttle, account=bad)]).encode())
            self.assertEqual((r.status, r.json["message"]), (400, "'account' must be an account id of 12 digits"),
                             bad)
        r = te.ctl("POST", "/_emulator/faults", json.dumps([dict(throttle, account=None)]).encode())
        self.assertEqual(r.status, 204)                                 # null: any account
        self.assertEqual(jobs_call("us-east-1", **c).status, 429)
        out = subprocess.run([sys.executable, EMUCTL, "--port", str(SERVER["port"]), "faults",
                              json.dumps([dict(throttle, account="1234")])], capture_output=True, text=True)
        self.assertEqual(out.returncode, 1)
        self.assertIn("'account' must be an account id of 12 digits", out.stderr)

    def test_repeat_token(self):
        te.ctl("POST", "/_emulator/faults", json.dumps([{"operation": "ListAccounts", "action": "repeat_token"}]).encode())
        r = org_call({"MaxResults": 2})
        self.assertEqual(r.json["NextToken"], emulator.REPEAT_TOKEN)
        r2 = org_call({"MaxResults": 2, "NextToken": "whatever"})
        self.assertEqual((r2.json["NextToken"], r2.json["Accounts"]), ("whatever", r.json["Accounts"]))

    def test_latency_and_rate_limit(self):
        te.ctl("POST", "/_emulator/config", b'{"latency_ms": 300}')
        t = time.monotonic()
        self.assertEqual(org_call({}).status, 200)
        self.assertEqual(regions_call({}).status, 200)
        self.assertGreaterEqual(time.monotonic() - t, 0.55)
        log = te.ctl("GET", "/_emulator/requests").json
        self.assertTrue(all(e.get("latency_ms") == 300 for e in log))
        te.ctl("POST", "/_emulator/config", b'{"latency_ms": 0, "rate_limit": 1}')
        self.assertEqual(org_call({}).status, 200)
        r = org_call({})
        self.assertEqual((r.status, r.json["__type"]), (400, "TooManyRequestsException"))
        self.assertEqual(regions_call({}).status, 200)          # a bucket per service
        r = regions_call({})
        self.assertEqual((r.status, r.error_type), (429, "TooManyRequestsException"))
        self.assertEqual(jobs_call("us-east-1").status, 200)    # Bedrock's us-east-1 bucket is its own
        log = te.ctl("GET", "/_emulator/requests").json[2:]
        self.assertEqual([bool(e.get("throttled")) for e in log], [False, True, False, True, False])

    def test_variants(self):
        c = creds_of(assume_reader("210987654321"))
        te.ctl("POST", "/_emulator/config", b'{"error_statuses": "odd", "error_format": "type", "nulls": "null"}')
        r = org_call({}, **c)
        self.assertEqual((r.status, r.json["__type"]), (500, "com.amazonaws.organizations#AccessDeniedException"))
        r = regions_call({"AccountId": M})
        self.assertEqual((r.status, r.json["__type"]), (500, "com.amazonaws.account#ValidationException"))
        r = org_call({"MaxResults": 20, "NextToken": org_call({"MaxResults": 5}).json["NextToken"]})
        self.assertIn('"NextToken":null', r.raw.decode())
        te.ctl("POST", "/_emulator/config", b'{"error_statuses": "aws", "error_format": "code"}')
        r = org_call({}, **c)
        self.assertEqual((r.status, r.json["code"]), (400, "AccessDeniedException"))


class FlagsTest(unittest.TestCase):
    def test_big_org_starts_fast(self):
        t = time.monotonic()
        proc, port, tmp = start("--org-accounts", "2000", "--org-jobs-per-region", "500")
        try:
            self.assertLess(time.monotonic() - t, 10)
            old = te.SERVER.get("port")
            te.SERVER["port"] = port
            try:
                accounts, pages = all_accounts()
                self.assertEqual(len(accounts), 2006)
                self.assertEqual(accounts[-1]["Id"], "100000002000")
                c = creds_of(assume_reader("100000001234"))
                r = te.api("GET", "/model-customization-jobs", [("maxResults", "1000")], region="sa-east-1", **c)
                self.assertEqual(len(r.json["modelCustomizationJobSummaries"]), 500)
                self.assertTrue(all(":100000001234:" in j["jobArn"]
                                    for j in r.json["modelCustomizationJobSummaries"]))
            finally:
                te.SERVER["port"] = old
        finally:
            self.assertEqual(stop(proc, tmp), 0)


if __name__ == "__main__":
    unittest.main()
