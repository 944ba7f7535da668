#!/usr/bin/env python3
"""Self-test of the emulator's Resource Groups Tagging API GetResources (test/emulator_tagging.py).

Run:  python3 test/test_emulator_tagging.py     (python3 test/test_emulator.py runs it too)

The protocol and answers are checked against the service model in ../shared/aws (skipped without
it), then a running emulator (--org-accounts 1 --org-jobs-per-region 150: a member with 150 jobs
in each region, for pages beyond 100) is checked: every tagged resource of each region with the
tags ListTagsForResource answers and no untagged one, the filters, ResourceARNList, paging,
account scoping after AssumeRole, SigV4's service name, the errors, the request log and emuctl,
fault rules (a denied tag:GetResources), the rate limit, the answer variants and the fault
actions.  The module is also called directly for what a server cannot show in a test's time
(token expiry) and for --max-page-size.
"""

import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import emulator  # noqa: E402
import emulator_resources as res  # noqa: E402
import emulator_tagging as tagging  # noqa: E402
import test_emulator as te  # noqa: E402  (the independent signer and the shared-dir lookup)
import test_emulator_accounts as ta  # noqa: E402  (starting an emulator, AssumeRole helpers)

EMUCTL = os.path.join(HERE, "emuctl")
M = "123456789012"
MEMBER = "210987654321"
BIG = "100000000001"            # --org-jobs-per-region 150: 150 jobs in each of its regions
TARGET = "ResourceGroupsTaggingAPI_20170126.GetResources"
REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
DEFAULT_VARIANTS = {"latency_ms": 0, "tagging_order": "natural", "tagging_pages": "full", "tagging_end": "empty",
                    "nulls": "absent", "error_statuses": "aws", "error_format": "header", "rate_limit": None}
CONFIG = {"tagging_order": "natural", "tagging_pages": "full", "tagging_end": "empty", "nulls": "absent"}

SERVER = {}


def setUpModule():
    proc, port, tmp = ta.start("--org-accounts", "1", "--org-jobs-per-region", "150")
    SERVER.update(proc=proc, port=port, tmp=tmp)


def tearDownModule():
    if SERVER.get("proc"):
        if ta.stop(SERVER["proc"], SERVER["tmp"]) != 0:
            raise AssertionError("emulator did not exit 0 on SIGTERM")


def use_server():
    te.SERVER["port"] = SERVER["port"]


def call(body=None, region="us-east-1", target=TARGET, raw=None, **kw):
    data = raw if raw is not None else json.dumps(body or {}).encode()
    return te.api("POST", "/", (), data, region=region, service=kw.pop("service", "tagging"),
                  extra_headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"}, **kw)


def all_pages(body=None, **kw):
    """(entries, pages) of a whole listing, following PaginationToken until it is "" or absent."""
    out, pages, token = [], [], None
    while True:
        b = dict(body or {})
        if token:
            b["PaginationToken"] = token
        r = call(b, **kw)
        assert r.status == 200, (r.status, r.raw)
        pages.append(r.json)
        out += r.json["ResourceTagMappingList"]
        token = r.json.get("PaginationToken")
        if not token:
            return out, pages
        assert len(pages) < 500, "paging does not end"


def as_map(entries):
    """{ARN: [(Key, Value)...]}; an ARN twice is an error."""
    out = {}
    for e in entries:
        assert e["ResourceARN"] not in out, e["ResourceARN"]
        out[e["ResourceARN"]] = [(t["Key"], t["Value"]) for t in e["Tags"]]
    return out


def list_tags(arn, region, **kw):
    r = te.api("POST", "/listTagsForResource", (), json.dumps({"resourceARN": arn}).encode(), region=region, **kw)
    assert r.status == 200, (arn, r.status, r.raw)
    return [(t["key"], t["value"]) for t in r.json["tags"]]


def expected(dump, region):
    """{ARN: [(key, value)...]} of the tagged resources of a region, from --dump-fixtures."""
    out = {}
    for j in dump["jobs"]:
        if j["region"] == region and j["tags"]:
            out[j["job"]["jobArn"]] = [(t["key"], t["value"]) for t in j["tags"]]
    for key, recs in dump["resources"].items():
        for r in recs:
            if r["region"] == region and r["tags"]:
                out.setdefault(r["summary"][res.BY_KEY[key].arn], [(t["key"], t["value"]) for t in r["tags"]])
    return out


def error(r):
    return r.status, (r.json or {}).get("__type"), (r.json or {}).get("Message")


# ------------------------------------------------------------------------------------------
class ModelTest(unittest.TestCase):
    """The protocol and the answers against the Resource Groups Tagging API model."""

    check = ta.ModelTest.check

    @classmethod
    def setUpClass(cls):
        base = os.path.join(te.shared_dir(), "aws", "resourcegroupstaggingapi", "2017-01-26")
        with open(os.path.join(base, "service-2.json")) as f:
            cls.model = json.load(f)
        with open(os.path.join(base, "paginators-1.json")) as f:
            cls.paginators = json.load(f)
        use_server()

    def test_protocol_metadata(self):
        md = self.model["metadata"]
        self.assertEqual(md["targetPrefix"] + ".", tagging.TARGET_PREFIX)
        self.assertEqual((md["protocol"], md["jsonVersion"]), ("json", "1.1"))
        self.assertEqual(md.get("signingName", md["endpointPrefix"]), tagging.SERVICE)
        op = self.model["operations"]["GetResources"]
        self.assertEqual((op["http"]["method"], op["http"]["requestUri"]), ("POST", "/"))
        self.assertEqual({e["shape"] for e in op["errors"]},
                         {"InvalidParameterException", "ThrottledException", "InternalServiceException",
                          "PaginationTokenExpiredException"})
        shapes = self.model["shapes"]
        self.assertEqual(shapes["ResourceARNListForGet"]["max"], tagging.MAX_ARNS)
        self.assertEqual(shapes["TagFilterList"]["max"], tagging.MAX_TAG_FILTERS)
        self.assertEqual(shapes["TagValueList"]["max"], tagging.MAX_TAG_VALUES)
        self.assertEqual(shapes["PaginationToken"]["max"], tagging.MAX_TOKEN)
        self.assertEqual(self.paginators["pagination"]["GetResources"],
                         {"input_token": "PaginationToken", "limit_key": "ResourcesPerPage",
                          "output_token": "PaginationToken", "result_key": tagging.RESULT_KEY})
        doc = op["documentation"]
        self.assertIn("does not return untagged resources", doc)       # the choice of the docstring
        self.assertIn("minimum of 1 and a maximum value of 100",
                      shapes["GetResourcesInput"]["members"]["ResourcesPerPage"]["documentation"])

    def test_answers(self):
        for region in REGIONS:
            entries, pages = all_pages({"ResourcesPerPage": 9}, region=region)
            for p in pages:
                self.check(self.model, "GetResourcesOutput", p)
        r = call({"ResourceARNList": [entries[0]["ResourceARN"]], "IncludeComplianceDetails": True}, region=region)
        self.check(self.model, "GetResourcesOutput", r.json)
        self.assertEqual(r.json[tagging.RESULT_KEY][0]["ComplianceDetails"],
                         {"NoncompliantKeys": [], "KeysWithNoncompliantValues": [], "ComplianceStatus": True})


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dump = emulator.dump_fixtures("default")

    def setUp(self):
        use_server()
        te.ctl("POST", "/_emulator/reset")
        te.ctl("POST", "/_emulator/faults", b"[]")
        te.ctl("POST", "/_emulator/config", json.dumps(DEFAULT_VARIANTS).encode())

    # -- which resources, which tags -------------------------------------------------------
    def test_every_tagged_resource_with_its_tags(self):
        for region in REGIONS:
            r = call({}, region=region)
            self.assertEqual(r.status, 200, r.raw)
            self.assertEqual(r.headers["Content-Type"], "application/x-amz-json-1.1")
            self.assertEqual(r.json["PaginationToken"], "")             # AWS's end of the listing
            got = as_map(r.json["ResourceTagMappingList"])
            want = expected(self.dump, region)
            self.assertEqual(got, want, region)
            self.assertEqual(list(got), sorted(got))                    # tagging_order natural: by ARN
            for arn, tags in got.items():
                self.assertTrue(tags, arn)                              # no untagged resource
                self.assertEqual(tags, list_tags(arn, region), arn)
        # ho-5 and legacy_ft_7 (beyond the model's patterns) are served like the others
        west = as_map(call({}, region="us-west-2").json["ResourceTagMappingList"])
        self.assertIn("arn:aws:bedrock:us-west-2:123456789012:model-customization-job/ho-5", west)
        # untagged and untaggable resources are absent
        e1 = as_map(call({}, region="us-east-1").json["ResourceTagMappingList"])
        untagged = [j["job"]["jobArn"] for j in self.dump["jobs"] if j["region"] == "us-east-1" and not j["tags"]]
        self.assertTrue(untagged)
        for key in ("foundation_models", "model_copy_jobs", "marketplace_model_endpoints"):
            untagged += [x["summary"][res.BY_KEY[key].arn] for x in self.dump["resources"][key]]
        self.assertFalse(set(untagged) & set(e1))
        # the versions of a guardrail are one resource
        guardrails = [a for a in e1 if ":guardrail/" in a]
        self.assertEqual(len(guardrails), len(set(guardrails)))
        self.assertTrue(guardrails)

    def test_resource_type_filters(self):
        every = as_map(call({}).json["ResourceTagMappingList"])
        self.assertEqual(as_map(call({"ResourceTypeFilters": ["bedrock"]}).json["ResourceTagMappingList"]), every)
        jobs = as_map(call({"ResourceTypeFilters": ["bedrock:model-customization-job"]}).json["ResourceTagMappingList"])
        self.assertEqual(jobs, {a: t for a, t in every.items() if ":model-customization-job/" in a})
        self.assertEqual(len(jobs), 22)
        two = call({"ResourceTypeFilters": ["bedrock:guardrail", "bedrock:custom-model"]}).json
        self.assertEqual(set(as_map(two["ResourceTagMappingList"])),
                         {a for a in every if ":guardrail/" in a or ":custom-model/" in a})
        for nothing in (["ec2:instance"], ["s3"], ["bedrock:foundation-model"], ["bedrock:no-such-type"]):
            r = call({"ResourceTypeFilters": nothing})
            self.assertEqual((r.status, r.json), (200, {"PaginationToken": "", "ResourceTagMappingList": []}), nothing)
        for bad in (["Bedrock"], ["bedrock:"], [":guardrail"], ["bedrock:guardrail:x"], [""], ["bedrock guardrail"]):
            r = call({"ResourceTypeFilters": bad})
            self.assertEqual(error(r)[:2], (400, "InvalidParameterException"), bad)
        r = call({"ResourceTypeFilters": ["bedrock"] * 101})
        self.assertEqual(error(r)[:2], (400, "InvalidParameterException"))

    def test_tag_filters(self):
        every = as_map(call({}).json["ResourceTagMappingList"])

        def want(filters):
            return {a: t for a, t in every.items()
                    if all(any(k == f["Key"] and (not f.get("Values") or v in f["Values"]) for k, v in t)
                           for f in filters)}

        team = sorted({v for t in every.values() for k, v in t if k == "team"})
        self.assertGreater(len(team), 2)
        cases = [[{"Key": "team"}], [{"Key": "team", "Values": []}], [{"Key": "team", "Values": [team[0]]}],
                 [{"Key": "team", "Values": team[:2]}], [{"Key": "team", "Values": [team[0]]}, {"Key": "project"}],
                 [{"Key": "no-such-key"}], [{"Key": "Team"}], [{"Key": "team", "Values": ["no-such-value"]}]]
        for filters in cases:
            entries, _ = all_pages({"TagFilters": filters, "ResourcesPerPage": 4})
            got = as_map(entries)
            self.assertEqual(got, want(filters), filters)
        self.assertTrue(want(cases[2]) and want(cases[4]) and not want(cases[5]) and not want(cases[6]))
        self.assertLess(len(want(cases[3])), len(want(cases[0])))
        both = as_map(call({"TagFilters": [{"Key": "team"}],
                            "ResourceTypeFilters": ["bedrock:model-customization-job"]}).json[tagging.RESULT_KEY])
        self.assertEqual(both, {a: t for a, t in want(cases[0]).items() if ":model-customization-job/" in a})
        for bad in ([{"Values": ["x"]}], [{"Key": ""}], [{"Key": "k" * 129}], [{"Key": "k", "Values": ["v"] * 21}],
                    [{"Key": "k", "Values": ["v" * 257]}], [{"Key": "k"}] * 51):
            r = call({"TagFilters": bad})
            self.assertEqual(error(r)[:2], (400, "InvalidParameterException"), bad)

    def test_resource_arn_list(self):
        every = as_map(call({}).json["ResourceTagMappingList"])
        arns = list(every)
        pick = [arns[5], arns[0], arns[17], arns[5]]
        untagged = next(j["job"]["jobArn"] for j in self.dump["jobs"] if j["region"] == "us-east-1" and not j["tags"])
        west = next(j["job"]["jobArn"] for j in self.dump["jobs"] if j["region"] == "us-west-2" and j["tags"])
        other = arns[1].replace(":123456789012:", ":999999999999:")
        r = call({"ResourceARNList": pick + [untagged, west, other,
                                             "arn:aws:s3:::some-bucket", "arn:aws:bedrock:us-east-1::foundation-model/"
                                             "anthropic.claude-3-haiku-20240307-v1:0"]})
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.json["PaginationToken"], "")
        self.assertEqual([e["ResourceARN"] for e in r.json[tagging.RESULT_KEY]], [arns[5], arns[0], arns[17]])
        self.assertEqual(as_map(r.json[tagging.RESULT_KEY]), {a: every[a] for a in pick})
        self.assertEqual(call({"ResourceARNList": arns[:100]}).status, 200)
        refused = [{"ResourceARNList": arns[:1] * 101}, {"ResourceARNList": []},
                   {"ResourceARNList": arns[:1], "ResourceTypeFilters": ["bedrock"]},
                   {"ResourceARNList": arns[:1], "TagFilters": [{"Key": "team"}]},
                   {"ResourceARNList": arns[:1], "ResourcesPerPage": 10},
                   {"ResourceARNList": arns[:1], "TagsPerPage": 100},
                   {"ResourceARNList": arns[:1], "PaginationToken": "abc"},
                   {"ResourceARNList": ["not-an-arn"]}, {"ResourceARNList": [""]},
                   {"ResourceARNList": [arns[0].replace("arn:aws:", "arn:aws-cn:")]},
                   {"ResourceARNList": ["arn:aws:bedrock:us-east-1:123456789012:x/" + "y" * 1000]}]
        for body in refused:
            r = call(body)
            self.assertEqual(error(r)[:2], (400, "InvalidParameterException"), body)
        self.assertIn("You can't specify both ResourceARNList and TagFilters", error(call(refused[3]))[2])
        # empty filter lists and an empty token are "not given"
        r = call({"ResourceARNList": arns[:2], "TagFilters": [], "ResourceTypeFilters": [], "PaginationToken": ""})
        self.assertEqual(r.status, 200, r.raw)

    # -- pages -----------------------------------------------------------------------------
    def test_paging_beyond_100(self):
        c = ta.creds_of(ta.assume_reader(BIG))
        whole = None
        for per_page, n_pages in ((None, 2), (100, 2), (7, None), (1, None)):
            body = {} if per_page is None else {"ResourcesPerPage": per_page}
            entries, pages = all_pages(body, region="us-east-1", **c)
            got = as_map(entries)
            if whole is None:
                whole = got
                self.assertGreater(len(got), 100)
                self.assertLess(len(got), 150)                          # some of the 150 jobs have no tags
                self.assertTrue(all(":%s:model-customization-job/" % BIG in a for a in got))
                self.assertEqual(len(pages[0][tagging.RESULT_KEY]), 100)
            self.assertEqual(got, whole, per_page)
            self.assertEqual(list(got), sorted(got))
            size = per_page or 100
            self.assertTrue(all(len(p[tagging.RESULT_KEY]) == size for p in pages[:-1]), per_page)
            self.assertTrue(0 < len(pages[-1][tagging.RESULT_KEY]) <= size)
            self.assertEqual(len(pages), n_pages or -(-len(got) // size))
            self.assertEqual(pages[-1]["PaginationToken"], "")
            for p in pages[:-1]:
                self.assertTrue(p["PaginationToken"] and "+" in p["PaginationToken"] and "/" in p["PaginationToken"])
        jobs = ta.jobs_all("us-east-1", **c)
        self.assertEqual(len(jobs), 150)
        tagged = {j["jobArn"] for j in jobs if list_tags(j["jobArn"], "us-east-1", **c)}
        self.assertEqual(set(whole), tagged)
        # TagsPerPage: at most 100 tags a page, no resource split
        entries, pages = all_pages({"TagsPerPage": 100}, region="us-east-1", **c)
        self.assertEqual(as_map(entries), whole)
        self.assertTrue(all(sum(max(1, len(e["Tags"])) for e in p[tagging.RESULT_KEY]) <= 100 for p in pages))
        self.assertGreater(len(pages), 3)
        # filters page too
        entries, pages = all_pages({"TagFilters": [{"Key": "env", "Values": ["prod"]}], "ResourcesPerPage": 10},
                                   region="us-west-2", **c)
        self.assertTrue(entries and all(("env", "prod") in t for t in as_map(entries).values()))

    def test_pagination_token_errors(self):
        c = ta.creds_of(ta.assume_reader(BIG))
        first = call({"ResourcesPerPage": 10}, **c).json
        token = first["PaginationToken"]
        second = call({"ResourcesPerPage": 10, "PaginationToken": token}, **c)
        self.assertEqual(second.status, 200)
        self.assertEqual(call({"ResourcesPerPage": 25, "PaginationToken": token}, **c).status, 200)
        for body, kw in (({"PaginationToken": "bm90LWEtdG9rZW4="}, c), ({"PaginationToken": "x"}, c),
                         ({"PaginationToken": token, "TagFilters": [{"Key": "team"}]}, c),      # another listing
                         ({"PaginationToken": token, "ResourceTypeFilters": ["bedrock"]}, c),
                         ({"PaginationToken": token}, {}),                                   # another account
                         ({"PaginationToken": "x" * 2049}, c)):
            r = call(body, **kw)
            self.assertEqual(error(r)[:2], (400, "InvalidParameterException"), body)
        r = call({"PaginationToken": token}, region="us-west-2", **c)                    # another region
        self.assertEqual(error(r)[:2], (400, "InvalidParameterException"))
        for body in ({"ResourcesPerPage": 0}, {"ResourcesPerPage": 101}, {"TagsPerPage": 99}, {"TagsPerPage": 501},
                     {"ExcludeCompliantResources": True}, {"ExcludeCompliantResources": True,
                                                           "IncludeComplianceDetails": False}):
            r = call(body)
            self.assertEqual(error(r)[:2], (400, "InvalidParameterException"), body)
        self.assertEqual(error(call({"ResourcesPerPage": 101}))[2], "ResourcesPerPage must be between 1 and 100.")
        r = call({"ExcludeCompliantResources": True, "IncludeComplianceDetails": True})
        self.assertEqual(r.json, {"PaginationToken": "", "ResourceTagMappingList": []})

    # -- accounts, regions, signatures -----------------------------------------------------
    def test_account_scoping(self):
        c = ta.creds_of(ta.assume_reader(MEMBER))
        mine = as_map(call({}, **c).json[tagging.RESULT_KEY])
        jobs = ta.jobs_all("us-east-1", **c)
        self.assertEqual(len(jobs), 4)
        want = {j["jobArn"]: list_tags(j["jobArn"], "us-east-1", **c) for j in jobs}
        self.assertEqual(mine, {a: t for a, t in want.items() if t})
        self.assertTrue(mine and all(":%s:" % MEMBER in a for a in mine))
        management = as_map(call({}).json[tagging.RESULT_KEY])
        self.assertFalse(set(mine) & set(management))
        self.assertTrue(all(":%s:" % M in a for a in management))
        # the management's ARNs are not the member's, nor the reverse
        r = call({"ResourceARNList": list(management)[:3]}, **c)
        self.assertEqual(r.json[tagging.RESULT_KEY], [])
        r = call({"ResourceARNList": list(mine)})
        self.assertEqual(r.json[tagging.RESULT_KEY], [])
        # its other regions; eu-west-1 has no jobs, a DISABLED region refuses its keys
        self.assertEqual(len(as_map(call({}, region="ap-southeast-3", **c).json[tagging.RESULT_KEY])),
                         sum(1 for j in ta.jobs_all("ap-southeast-3", **c)
                             if list_tags(j["jobArn"], "ap-southeast-3", **c)))
        self.assertEqual(call({}, region="eu-west-1", **c).json[tagging.RESULT_KEY], [])
        r = call({}, region="me-central-1", **c)
        self.assertEqual(error(r), (403, "UnrecognizedClientException",
                                    "The security token included in the request is invalid."))
        # bedrock-cross-account: an identity of 210987654321 reading the management's fixtures
        x = ta.creds_of(te.assume(emulator.CROSS_ACCOUNT_ROLE_ARN, extra=[("ExternalId", "emulator-external-id")]))
        self.assertEqual(as_map(call({}, **x).json[tagging.RESULT_KEY]), management)
        log = [e for e in te.ctl("GET", "/_emulator/requests").json if e["operation"] == "GetResources"]
        self.assertEqual(log[0]["account"], MEMBER)
        self.assertEqual(log[-1]["account"], MEMBER)

    def test_signature_and_protocol_errors(self):
        r = call({}, service="bedrock")
        self.assertEqual(error(r), (403, "InvalidSignatureException",
                                    "Credential should be scoped to correct service: 'tagging'."))
        r = te.api("POST", "/", (), b"{}", service="tagging",
                   extra_headers={"X-Amz-Target": TARGET, "Content-Type": "application/x-amz-json-1.1"},
                   key="AKIDUNKNOWNEXAMPLE00")
        self.assertEqual(error(r)[:2], (403, "UnrecognizedClientException"))
        r = call({}, sign=False)
        self.assertEqual(error(r)[:2], (403, "MissingAuthenticationTokenException"))
        r = call({}, target="ResourceGroupsTaggingAPI_20170126.GetTagKeys")
        self.assertEqual(error(r)[:2], (400, "UnknownOperationException"))
        for raw in (b"not json", b"[]", b'"x"'):
            self.assertEqual(error(call(raw=raw))[:2], (400, "SerializationException"), raw)
        for body in ({"ResourcesPerPage": "5"}, {"ResourceTypeFilters": "bedrock"}, {"TagFilters": [{"Key": 1}]},
                     {"TagFilters": [{"Key": "k", "Values": "v"}]}, {"ResourceARNList": [1]},
                     {"PaginationToken": 5}, {"IncludeComplianceDetails": "true"}, {"TagsPerPage": 100.5}):
            self.assertEqual(error(call(body))[:2], (400, "SerializationException"), body)
        self.assertEqual(call(raw=b"").status, 200)                     # no body: no members
        self.assertEqual(call({"Unknown": 1, "ResourcesPerPage": None}).status, 200)
        # STS on the same POST / still answers (no X-Amz-Target)
        self.assertEqual(te.assume().status, 200)

    # -- log, emuctl, faults, rate limit ---------------------------------------------------
    def test_log_and_emuctl(self):
        c = ta.creds_of(ta.assume_reader(MEMBER))
        call({"TagFilters": [{"Key": "team", "Values": ["nlp"]}]})
        call({"ResourceTypeFilters": ["bedrock:guardrail"], "ResourcesPerPage": 1}, region="us-west-2")
        call({}, region="us-west-2", **c)
        log = [e for e in te.ctl("GET", "/_emulator/requests").json if e["operation"] == "GetResources"]
        self.assertEqual([(e["region"], e["account"], e["status"], e["path"], e["method"]) for e in log],
                         [("us-east-1", M, 200, "/", "POST"), ("us-west-2", M, 200, "/", "POST"),
                          ("us-west-2", MEMBER, 200, "/", "POST")])
        self.assertEqual(log[0]["body"], {"TagFilters": [{"Key": "team", "Values": ["nlp"]}]})
        out = subprocess.run([sys.executable, EMUCTL, "--port", str(SERVER["port"]), "requests", "--accounts"],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        self.assertIn('%s GetResources us-east-1 TagFilters={"Key":"team","Values":["nlp"]} 200' % M, out)
        self.assertIn("%s GetResources us-west-2 ResourceTypeFilters=bedrock:guardrail&ResourcesPerPage=1 200" % M, out)
        self.assertIn("%s GetResources us-west-2 - 200" % MEMBER, out)

    def test_denied_by_fault_rule(self):
        c = ta.creds_of(ta.assume_reader(MEMBER))
        msg = ("User: arn:aws:sts::%s:assumed-role/BedrockFdwReader/reader-%s is not authorized to perform: "
               "tag:GetResources" % (MEMBER, MEMBER))
        te.ctl("POST", "/_emulator/faults", json.dumps([
            {"operation": "GetResources", "account": MEMBER, "status": 400, "error_type": "AccessDeniedException",
             "message": msg}]).encode())
        r = call({}, **c)
        self.assertEqual((r.status, r.error_type, r.message), (400, "AccessDeniedException", msg))
        self.assertEqual(call({}).status, 200)                          # the management's keys
        self.assertEqual(ta.jobs_call("us-east-1", **c).status, 200)    # another operation
        log = te.ctl("GET", "/_emulator/requests").json
        self.assertEqual([(e["operation"], e["account"], e["status"], bool(e.get("fault"))) for e in log[-3:]],
                         [("GetResources", MEMBER, 400, True), ("GetResources", M, 200, False),
                          ("ListModelCustomizationJobs", MEMBER, 200, False)])
        # "*" matches GetResources (it is no credential operation), as a region-scoped rule does
        te.ctl("POST", "/_emulator/faults", json.dumps([{"status": 503, "times": 1},
                                                        {"region": "eu-west-1", "status": 500}]).encode())
        self.assertEqual(call({}).status, 503)
        self.assertEqual(call({}).status, 200)
        self.assertEqual(call({}, region="eu-west-1").status, 500)

    def test_rate_limit(self):
        te.ctl("POST", "/_emulator/config", b'{"rate_limit": 1}')
        self.assertEqual(call({}).status, 200)
        r = call({})
        self.assertEqual(error(r), (400, "ThrottledException", "Rate exceeded"))
        self.assertEqual(ta.jobs_call("us-east-1").status, 200)         # Bedrock's bucket is its own
        self.assertEqual(call({}, region="us-west-2").status, 200)      # a bucket per region
        log = [e for e in te.ctl("GET", "/_emulator/requests").json if e["operation"] == "GetResources"]
        self.assertEqual([bool(e.get("throttled")) for e in log], [False, True, False])
        te.ctl("POST", "/_emulator/config", b'{"rate_limit": null, "latency_ms": 200}')
        self.assertEqual(call({}).status, 200)
        self.assertEqual(te.ctl("GET", "/_emulator/requests").json[-1]["latency_ms"], 200)

    # -- answer variants -------------------------------------------------------------------
    def test_error_variants(self):
        te.ctl("POST", "/_emulator/config", b'{"error_statuses": "odd", "error_format": "type"}')
        r = call({"ResourcesPerPage": 0})
        self.assertEqual((r.status, r.json["__type"]), (500, "com.amazonaws.resourcegroupstaggingapi#"
                                                             "InvalidParameterException"))
        self.assertEqual(te.ctl("GET", "/_emulator/requests").json[-1]["aws_status"], 400)
        te.ctl("POST", "/_emulator/config", b'{"error_statuses": "aws", "error_format": "code"}')
        r = call({"ResourcesPerPage": 0})
        self.assertEqual((r.status, r.json["code"]), (400, "InvalidParameterException"))

    def test_order_variant(self):
        natural, _ = all_pages({"ResourcesPerPage": 7})
        te.ctl("POST", "/_emulator/config", b'{"tagging_order": "shuffled"}')
        shuffled, _ = all_pages({"ResourcesPerPage": 7})
        once = call({}).json[tagging.RESULT_KEY]
        self.assertEqual([e["ResourceARN"] for e in once], [e["ResourceARN"] for e in shuffled])
        self.assertNotEqual([e["ResourceARN"] for e in shuffled], [e["ResourceARN"] for e in natural])
        self.assertEqual({a: sorted(t) for a, t in as_map(shuffled).items()},
                         {a: sorted(t) for a, t in as_map(natural).items()})
        moved = [a for a, t in as_map(shuffled).items() if t != as_map(natural)[a]]
        self.assertTrue(moved)                                          # some entry's tags in another order
        arns = [e["ResourceARN"] for e in natural[:6]]
        r = call({"ResourceARNList": arns}).json[tagging.RESULT_KEY]
        self.assertEqual(sorted(e["ResourceARN"] for e in r), sorted(arns))
        self.assertNotEqual([e["ResourceARN"] for e in r], arns)
        # a token is bound to its order
        token = call({"ResourcesPerPage": 3}).json["PaginationToken"]
        te.ctl("POST", "/_emulator/config", b'{"tagging_order": "natural"}')
        self.assertEqual(error(call({"ResourcesPerPage": 3, "PaginationToken": token}))[:2],
                         (400, "InvalidParameterException"))

    def test_short_pages_variant(self):
        full = as_map(call({}).json[tagging.RESULT_KEY])
        te.ctl("POST", "/_emulator/config", b'{"tagging_pages": "short"}')
        for body in ({}, {"ResourcesPerPage": 5}, {"TagFilters": [{"Key": "team"}], "ResourcesPerPage": 3}):
            entries, pages = all_pages(body)
            want = full if not body.get("TagFilters") else {a: t for a, t in full.items()
                                                            if any(k == "team" for k, _ in t)}
            self.assertEqual(as_map(entries), want, body)
            self.assertEqual(pages[1][tagging.RESULT_KEY], [])         # the second page is empty ...
            self.assertTrue(pages[1]["PaginationToken"])                # ... and goes on
            size = body.get("ResourcesPerPage", 100)
            self.assertTrue(all(len(p[tagging.RESULT_KEY]) <= size for p in pages))
            self.assertGreater(len(pages), 2)
        c = ta.creds_of(ta.assume_reader(BIG))
        entries, pages = all_pages({}, **c)
        self.assertGreater(len(entries), 100)
        self.assertTrue(any(0 < len(p[tagging.RESULT_KEY]) < 100 for p in pages[:-1]))

    def test_end_variant(self):
        te.ctl("POST", "/_emulator/config", b'{"tagging_end": "absent"}')
        entries, pages = all_pages({"ResourcesPerPage": 20})
        self.assertNotIn("PaginationToken", pages[-1])
        self.assertTrue(all(p["PaginationToken"] for p in pages[:-1]))
        self.assertNotIn("PaginationToken", call({"ResourceARNList": [entries[0]["ResourceARN"]]}).json)
        te.ctl("POST", "/_emulator/config", b'{"nulls": "null"}')
        r = call({"ResourceTypeFilters": ["ec2"]})
        self.assertEqual(r.raw, b'{"ResourceTagMappingList":[],"PaginationToken":null}')
        te.ctl("POST", "/_emulator/config", b'{"tagging_end": "empty"}')
        self.assertEqual(call({"ResourceTypeFilters": ["ec2"]}).json["PaginationToken"], "")

    def test_config_members(self):
        cfg = te.ctl("GET", "/_emulator/config").json
        self.assertEqual({k: cfg[k] for k in tagging.CONFIG_CHOICES},
                         {"tagging_order": "natural", "tagging_pages": "full", "tagging_end": "empty"})
        for bad in ({"tagging_order": "random"}, {"tagging_pages": None}, {"tagging_end": ""}):
            r = te.ctl("POST", "/_emulator/config", json.dumps(bad).encode())
            self.assertEqual(r.status, 400, bad)
            self.assertIn(next(iter(bad)), r.json["message"])
        te.ctl("POST", "/_emulator/reset")
        te.ctl("POST", "/_emulator/config", b'{"tagging_pages": "short"}')
        te.ctl("POST", "/_emulator/reset")                              # reset keeps the config
        self.assertEqual(te.ctl("GET", "/_emulator/config").json["tagging_pages"], "short")

    # -- fault actions ---------------------------------------------------------------------
    def test_fault_actions(self):
        te.ctl("POST", "/_emulator/faults", json.dumps([
            {"operation": "GetResources", "action": "repeat_token", "times": 2},
            {"operation": "GetResources", "action": "deep", "depth": 4, "times": 1},
            {"operation": "GetResources", "action": "non_utf8", "times": 1},
            {"operation": "GetResources", "action": "unknown_status", "times": 1}]).encode())
        first = call({"ResourcesPerPage": 2})
        self.assertEqual(first.json["PaginationToken"], emulator.REPEAT_TOKEN)
        again = call({"ResourcesPerPage": 2, "PaginationToken": "whatever"})
        self.assertEqual(again.json, {"ResourceTagMappingList": first.json[tagging.RESULT_KEY],
                                      "PaginationToken": "whatever"})
        self.assertEqual(call({}).raw, b'{"ResourceTagMappingList":[[[[]]]]}')
        r = call({})
        self.assertIn(b"\xff\xfe", r.raw)
        plain = call({})                                                # unknown_status: no status to change
        self.assertEqual(plain.json, call({}).json)
        log = [e.get("action") for e in te.ctl("GET", "/_emulator/requests").json]
        self.assertEqual(log, ["repeat_token", "repeat_token", "deep", "non_utf8", "unknown_status", None])


class ModuleTest(unittest.TestCase):
    """emulator_tagging called directly: token expiry, --max-page-size, the candidates."""

    @classmethod
    def setUpClass(cls):
        cls.store = emulator.load_fixtures("default")

    def test_token_expiry(self):
        page = tagging.get_resources(self.store, "us-east-1", {"ResourcesPerPage": 5}, CONFIG, 1000, now=1000000)
        token = page["PaginationToken"]
        later = tagging.get_resources(self.store, "us-east-1", {"ResourcesPerPage": 5, "PaginationToken": token},
                                      CONFIG, 1000, now=1000000 + tagging.TOKEN_TTL_S)
        self.assertEqual(len(later[tagging.RESULT_KEY]), 5)
        with self.assertRaises(emulator.accounts.ServiceError) as cm:
            tagging.get_resources(self.store, "us-east-1", {"ResourcesPerPage": 5, "PaginationToken": token},
                                  CONFIG, 1000, now=1000001 + tagging.TOKEN_TTL_S)
        self.assertEqual((cm.exception.status, cm.exception.error_type, cm.exception.message),
                         (400, "PaginationTokenExpiredException", "The pagination token has expired."))

    def test_max_page_size(self):
        every = tagging.get_resources(self.store, "us-east-1", {}, CONFIG, 1000)[tagging.RESULT_KEY]
        got, token, pages = [], None, 0
        while True:
            body = {"ResourcesPerPage": 50}
            if token:
                body["PaginationToken"] = token
            page = tagging.get_resources(self.store, "us-east-1", body, CONFIG, 5)
            self.assertLessEqual(len(page[tagging.RESULT_KEY]), 5)
            got += page[tagging.RESULT_KEY]
            pages += 1
            token = page["PaginationToken"]
            if not token:
                break
        self.assertEqual(got, every)
        self.assertEqual(pages, -(-len(every) // 5))

    def test_resource_types(self):
        self.assertEqual(tagging.resource_type("arn:aws:bedrock:us-east-1:123456789012:model-customization-job/"
                                               "amazon.titan-text-express-v1:0:8k/abcdefghijkl"),
                         "bedrock:model-customization-job")
        self.assertEqual(tagging.resource_type("arn:aws:bedrock:us-east-1:123456789012:custom-model/imported/x1"),
                         "bedrock:custom-model")
        self.assertEqual(tagging.resource_type("arn:aws:ec2:us-east-1:123456789012:i-0825a83d29e870145"),
                         "ec2:i-0825a83d29e870145")
        self.assertIsNone(tagging.resource_type("not-an-arn"))
        ix = tagging.index(self.store, "us-east-1")
        self.assertIs(ix, tagging.index(self.store, "us-east-1"))       # kept with the store
        self.assertEqual(sorted(ix.orders["natural"]), sorted(ix.orders["shuffled"]))


if __name__ == "__main__":
    unittest.main()
