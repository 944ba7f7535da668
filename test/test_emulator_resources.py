#!/usr/bin/env python3
"""Self-test of the emulator's other Bedrock resources (test/emulator_resources.py).

Run:  python3 test/test_emulator_resources.py     (python3 test/test_emulator.py runs it too)

The descriptors and fixtures are held to the service model in ../shared/aws/bedrock (skipped
without it), and a running emulator (--max-page-size 5) is checked for every resource: List
with each filter and pagination, validation errors, Get by every identifier form, 404 versus
400, tags, the request log, a fault rule, the off-model values and the nulls variant.
"""

import http.client
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
import emulator_resources as res  # noqa: E402
import test_emulator as te  # noqa: E402  (the independent signer and the shared-dir lookup)

EMULATOR = os.path.join(HERE, "emulator.py")
REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
PAGE = 5                    # the emulator below runs with --max-page-size 5
A = emulator.ACCOUNT_ID

# What each resource's fixtures hold per region (us-east-1, us-west-2, eu-west-1).
COUNTS = {
    "custom_models": (15, 5, 3), "provisioned_model_throughputs": (4, 2, 2), "model_invocation_jobs": (5, 3, 2),
    "evaluation_jobs": (3, 2, 2), "imported_models": (2, 2, 2), "model_import_jobs": (3, 3, 2),
    "model_copy_jobs": (2, 2, 2), "custom_model_deployments": (3, 2, 2), "foundation_models": (17, 8, 6),
    "inference_profiles": (4, 2, 3), "guardrails": (4, 2, 2), "prompt_routers": (3, 2, 2),
    "marketplace_model_endpoints": (3, 2, 2),
}
# The deliberate values outside the model: (resource key, ARN or name) -> {JSON path: why}
OFF_MODEL = {
    ("provisioned_model_throughputs", "gdpr-pt-old"): {"status", "get.status"},         # Deleting: no enum
    ("custom_models", "ho-5-model"): {"get.jobArn"},                # the ho-5 job's ARN (no <model>/<id> tail)
    ("prompt_routers", "support-router"): {"promptRouterArn", "get.promptRouterArn"},   # custom routers'
    ("prompt_routers", "ads-router"): {"promptRouterArn", "get.promptRouterArn"},       # ARNs: prompt-router/,
    ("prompt_routers", "privacy-router"): {"promptRouterArn", "get.promptRouterArn"},   # outside PromptRouterArn
}


def load_model():
    path = os.path.join(te.shared_dir(), "aws", "bedrock", "2023-04-20", "service-2.json")
    with open(path) as f:
        return json.load(f)


class ModelChecker:
    """Every value against its shape: structures (members known, required present, unions
    with one member), lists and maps (lengths), strings (length, pattern, enum), numbers
    (range), timestamps (the fixtures' ISO-8601 with milliseconds).  problems() lists where
    a value is outside the model, as "path: reason"."""

    TS = re.compile(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\Z")

    def __init__(self, model):
        self.shapes = model["shapes"]

    def problems(self, shape, value, path=""):
        s = self.shapes[shape]
        t = s["type"]
        out = []
        if t == "structure":
            if s.get("document"):
                return out
            if not isinstance(value, dict):
                return ["%s: not an object" % path]
            for k in value:
                if k not in s["members"]:
                    out.append("%s.%s: not a member of %s" % (path, k, shape))
            for k in s.get("required", []):
                if k not in value:
                    out.append("%s.%s: required by %s" % (path, k, shape))
            if s.get("union") and len(value) != 1:
                out.append("%s: union %s with %d members" % (path, shape, len(value)))
            for k, v in value.items():
                if k in s["members"]:
                    out += self.problems(s["members"][k]["shape"], v, "%s.%s" % (path, k) if path else k)
        elif t == "list":
            if not isinstance(value, list):
                return ["%s: not a list" % path]
            if not s.get("min", 0) <= len(value) <= s.get("max", len(value)):
                out.append("%s: %d items outside %s" % (path, len(value), shape))
            for i, v in enumerate(value):
                out += self.problems(s["member"]["shape"], v, "%s[%d]" % (path, i))
        elif t == "map":
            if not isinstance(value, dict):
                return ["%s: not a map" % path]
            for k, v in value.items():
                out += self.problems(s["key"]["shape"], k, "%s{%s}" % (path, k))
                out += self.problems(s["value"]["shape"], v, "%s[%s]" % (path, k))
        elif t == "string":
            if not isinstance(value, str):
                return ["%s: not a string" % path]
            if "enum" in s and value not in s["enum"]:
                out.append("%s: %r outside the enum %s" % (path, value, shape))
            if not s.get("min", 0) <= len(value) <= s.get("max", len(value)):
                out.append("%s: length %d outside %s" % (path, len(value), shape))
            if "pattern" in s and not res.matcher(s["pattern"])(value):
                out.append("%s: %r does not match %s" % (path, value, shape))
        elif t in ("integer", "long", "double", "float"):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                return ["%s: not a number" % path]
            if not s.get("min", value) <= value <= s.get("max", value):
                out.append("%s: %r outside %s" % (path, value, shape))
        elif t == "boolean":
            if not isinstance(value, bool):
                out.append("%s: not a boolean" % path)
        elif t == "timestamp":
            if not isinstance(value, str) or not self.TS.match(value):
                out.append("%s: %r is not an ISO-8601 timestamp with milliseconds" % (path, value))
        return out


def record_key(key, entry):
    desc = res.BY_KEY[key]
    return entry["summary"].get(desc.name) if desc.name else entry["summary"][desc.arn]


class ResourceFixtureTest(unittest.TestCase):
    """The fixtures and descriptors, without a server."""

    @classmethod
    def setUpClass(cls):
        cls.dump = emulator.dump_fixtures("default")
        cls.fx = cls.dump["resources"]

    def recs(self, key, region=None):
        return [r for r in self.fx[key] if region is None or r["region"] == region]

    def test_counts(self):
        self.assertEqual(set(self.fx), set(COUNTS))
        for key, counts in COUNTS.items():
            self.assertEqual(tuple(len(self.recs(key, r)) for r in REGIONS), counts, key)
        self.assertEqual(emulator.dump_fixtures("large:3")["resources"], {k: [] for k in COUNTS})
        self.assertEqual(emulator.load_fixtures("default").resources.counts()["guardrails"],
                         dict(zip(REGIONS, COUNTS["guardrails"])))

    def test_custom_models_come_from_the_completed_jobs(self):
        models = {r["get"]["modelArn"]: r for r in self.recs("custom_models")}
        done = [j for j in self.dump["jobs"] if j["job"]["status"] == "Completed"]
        self.assertEqual(len(done), 16)
        for j in done:
            g = j["job"]
            cm = models[g["outputModelArn"]]
            self.assertEqual(cm["region"], j["region"])
            self.assertEqual((cm["get"]["modelName"], cm["get"]["jobArn"], cm["get"]["jobName"]),
                             (g["outputModelName"], g["jobArn"], g["jobName"]))
            self.assertEqual(cm["get"]["baseModelArn"], j["summary"]["baseModelArn"])
            self.assertEqual(cm["get"]["customizationType"], g["customizationType"])
            self.assertEqual(emulator.ts_micros(cm["get"]["creationTime"]), emulator.ts_micros(g["endTime"]))
            self.assertEqual(cm["tags"], j["tags"])
            self.assertEqual((cm["summary"]["modelStatus"], cm["summary"]["ownerAccountId"]), ("Active", A))
        v2 = next(r for r in self.recs("custom_models") if r["summary"]["modelName"] == "titan-support-v2")
        self.assertEqual(v2["summary"]["baseModelArn"], next(
            r["get"]["modelArn"] for r in self.recs("custom_models") if r["summary"]["modelName"] == "titan-support-v1"))
        statuses = {r["summary"]["modelStatus"] for r in self.recs("custom_models")}
        self.assertEqual(statuses, {"Active", "Creating", "Failed"})
        owners = {r["summary"]["ownerAccountId"] for r in self.recs("custom_models")}
        self.assertEqual(owners, {A, res.OTHER_ACCOUNT})

    def test_links(self):
        fms = {(r["region"], r["summary"]["modelArn"]) for r in self.recs("foundation_models")}
        fm_ids = {(r["region"], r["summary"]["modelId"]) for r in self.recs("foundation_models")}
        models = {r["get"]["modelArn"]: r for r in self.recs("custom_models")}
        for j in self.dump["jobs"]:                 # every base model of every job
            self.assertIn((j["region"], j["job"]["baseModelArn"]), fms)
            teacher = (j["job"].get("customizationConfig", {}).get("distillationConfig", {})
                       .get("teacherModelConfig", {}).get("teacherModelIdentifier"))
            if teacher:
                self.assertIn((j["region"], teacher), fms)
        for r in self.recs("custom_models"):
            b = r["get"]["baseModelArn"]
            self.assertTrue((r["region"], b) in fms or b in models, b)
        for r in self.recs("provisioned_model_throughputs"):
            g = r["get"]
            self.assertIn((r["region"], g["foundationModelArn"]), fms)
            for k in ("modelArn", "desiredModelArn"):
                self.assertTrue(g[k] in models or (r["region"], g[k]) in fms, g[k])
                if g[k] in models:
                    self.assertEqual(models[g[k]]["region"], r["region"])
        self.assertTrue(any(":foundation-model/" in r["get"]["modelArn"] for r in self.recs("provisioned_model_throughputs")))
        for r in self.recs("model_copy_jobs"):
            g = r["get"]
            self.assertIn(g["sourceModelArn"], models)
            # into another region, or (the shared model) into this account
            self.assertTrue(models[g["sourceModelArn"]]["region"] != r["region"] or g["sourceAccountId"] != A)
            target = models[g["targetModelArn"]]
            self.assertEqual(target["region"], r["region"])
            self.assertEqual(target["summary"]["modelStatus"],
                             {"Completed": "Active", "InProgress": "Creating", "Failed": "Failed"}[g["status"]])
            self.assertEqual(g["sourceAccountId"], g["sourceModelArn"].split(":")[4])
        for r in self.recs("custom_model_deployments"):
            self.assertEqual(models[r["get"]["modelArn"]]["region"], r["region"])
        imported = {r["get"]["modelArn"]: r for r in self.recs("imported_models")}
        for r in self.recs("model_import_jobs"):
            g = r["get"]
            if g["status"] == "Completed":
                im = imported.pop(g["importedModelArn"])
                self.assertEqual((im["region"], im["get"]["jobArn"], im["get"]["modelName"]),
                                 (r["region"], g["jobArn"], g["importedModelName"]))
            else:
                self.assertNotIn("importedModelArn", g)
        self.assertEqual(imported, {})
        profiles = {r["summary"]["inferenceProfileArn"] for r in self.recs("inference_profiles")}
        for r in self.recs("model_invocation_jobs"):
            mid = r["get"]["modelId"]
            if mid.startswith("arn:"):
                self.assertIn((r["region"], mid), fms)
            elif mid[:3] in ("us.", "eu."):
                self.assertTrue(any(p.endswith("/" + mid) and (":%s:" % r["region"]) in p for p in profiles), mid)
            else:
                self.assertIn((r["region"], mid), fm_ids)
        for r in self.recs("inference_profiles"):
            for mm in r["summary"]["models"]:
                region = mm["modelArn"].split(":")[3]
                if region in REGIONS:
                    self.assertIn((region, mm["modelArn"]), fms)
        for r in self.recs("prompt_routers"):
            for t in r["summary"]["models"] + [r["summary"]["fallbackModel"]]:
                self.assertTrue(t["modelArn"] in profiles or (r["region"], t["modelArn"]) in fms, t)
        for r in self.recs("evaluation_jobs"):
            for mid in r["summary"].get("modelIdentifiers", []) + r["summary"].get("evaluatorModelIdentifiers", []):
                self.assertIn((r["region"], mid), fm_ids)

    def test_variety(self):
        self.assertEqual({r["summary"]["type"] for r in self.recs("inference_profiles")}, {"SYSTEM_DEFINED", "APPLICATION"})
        self.assertEqual({r["summary"]["type"] for r in self.recs("prompt_routers")}, {"default", "custom"})
        self.assertEqual({r["summary"].get("applicationType") for r in self.recs("evaluation_jobs")},
                         {"ModelEvaluation", "RagEvaluation", None})
        self.assertEqual({r["summary"]["jobType"] for r in self.recs("evaluation_jobs")}, {"Automated", "Human"})
        versions = [r["summary"]["version"] for r in self.recs("guardrails", "us-east-1")]
        self.assertEqual(sorted(versions), ["1", "2", "DRAFT", "DRAFT"])
        keys = {t["key"] for k in COUNTS for r in self.fx[k] for t in (r["tags"] or [])}
        self.assertIn("aws:cloudformation:stack-name", keys)
        # untaggable: foundation models, system-defined profiles, default routers, copy jobs, endpoints
        for key in ("foundation_models", "model_copy_jobs", "marketplace_model_endpoints"):
            self.assertTrue(all(r["tags"] is None for r in self.fx[key]), key)
        for r in self.recs("inference_profiles"):
            self.assertEqual(r["tags"] is None, r["summary"]["type"] == "SYSTEM_DEFINED")
        for r in self.recs("prompt_routers"):
            self.assertEqual(r["tags"] is None, r["summary"]["type"] == "default")
        for key in COUNTS:
            for r in self.fx[key]:
                for doc in (r["summary"], r["get"]):
                    self.assertNotIn(None, doc.values())

    def test_fixtures_match_model(self):
        model = load_model()
        chk = ModelChecker(model)
        seen = set()
        for key in COUNTS:
            desc = res.BY_KEY[key]
            for r in self.fx[key]:
                ident = (key, record_key(key, r))
                off = OFF_MODEL.get(ident, set())
                if off:
                    seen.add(ident)
                found = set()
                for where, shape, doc in (("", desc.summary_shape, r["summary"]),
                                          ("get.", desc.get_shape, r["get"][desc.get_wrap] if desc.get_wrap else r["get"])):
                    for p in chk.problems(shape, doc):
                        found.add(where + p.split(":")[0])
                for p in chk.problems("TagList", r["tags"] or []):
                    found.add("tags" + p)
                self.assertEqual(found, off, "%s %s" % ident)
                self.assertIn(":%s:" % r["region"], r["summary"][desc.arn])
        self.assertEqual(seen, set(OFF_MODEL))

    def test_descriptors_match_model(self):
        model = load_model()
        ops, shapes = model["operations"], model["shapes"]
        for desc in res.RESOURCES:
            with self.subTest(resource=desc.key):
                lo, go = ops[desc.list_op], ops[desc.get_op]
                self.assertEqual(lo["http"]["requestUri"], desc.list_path)
                self.assertEqual(go["http"]["requestUri"], desc.get_prefix + "{%s}" % desc.label[0])
                lin = shapes[lo["input"]["shape"]]["members"]
                wires = {m: v.get("locationName", m) for m, v in lin.items() if v.get("location") == "querystring"}
                self.assertEqual({p.member: p.wire for p in desc.params}, wires)
                for p in desc.params:
                    s = shapes[lin[p.member]["shape"]]
                    self.assertEqual(p.enum, s.get("enum"), p.member)
                    if p.kind not in ("max_results", "owned", "after", "before") and not p.enum:
                        self.assertEqual((p.pattern, p.min, p.max), (s.get("pattern"), s.get("min"), s.get("max")),
                                         p.member)
                gin = shapes[go["input"]["shape"]]["members"]
                label = shapes[gin[desc.label[0]]["shape"]]
                self.assertEqual(desc.label[1:], (label.get("min"), label.get("max"), label.get("pattern")))
                gq = {m: v.get("locationName", m) for m, v in gin.items() if v.get("location") == "querystring"}
                self.assertEqual({p.member: p.wire for p in desc.get_params}, gq)
                out = shapes[lo["output"]["shape"]]["members"]
                self.assertIn(desc.result, out)
                self.assertEqual(shapes[out[desc.result]["shape"]]["member"]["shape"], desc.summary_shape)
                self.assertEqual("nextToken" in out, desc.paginated)
                gout = shapes[go["output"]["shape"]]
                get_shape = shapes[gout["members"][desc.get_wrap]["shape"]] if desc.get_wrap else gout
                self.assertEqual(desc.get_shape, gout["members"][desc.get_wrap]["shape"] if desc.get_wrap
                                 else go["output"]["shape"])
                for shape, nullable in ((shapes[desc.summary_shape], desc.null_summary), (get_shape, desc.null_get)):
                    self.assertEqual(set(nullable), set(shape["members"]) - set(shape.get("required", [])))

    def test_dump_cli_keeps_jobs(self):
        out = subprocess.run([sys.executable, EMULATOR, "--dump-fixtures"], capture_output=True, check=True).stdout
        doc = json.loads(out)
        self.assertEqual(list(doc), ["fixtures", "account", "jobs", "resources", "accounts"])
        self.assertEqual(doc["resources"], json.loads(json.dumps(self.fx)))
        for key, lst in doc["resources"].items():
            for r in lst:
                self.assertEqual(set(r), {"region", "summary", "get", "tags"})


def project_of(tags):
    return {t["key"]: t["value"] for t in tags or []}.get("project")


class DemoFixtureTest(unittest.TestCase):
    """The demo set's resources link to its jobs (test/demo.sql joins them by ARN and project)."""

    @classmethod
    def setUpClass(cls):
        cls.dump = emulator.dump_fixtures("demo")
        cls.fx = cls.dump["resources"]

    def test_resources_link_to_the_demo_jobs(self):
        jobs = {j["job"]["jobArn"]: j for j in self.dump["jobs"]}
        done = [j for j in jobs.values() if j["job"]["status"] == "Completed"]
        models = {r["get"]["modelArn"]: r for r in self.fx["custom_models"]}
        self.assertEqual(len(models), len(done))
        self.assertEqual(set(models), {j["job"]["outputModelArn"] for j in done})
        for cm in models.values():
            g, s = cm["get"], cm["summary"]
            job = jobs[g["jobArn"]]                 # a Completed demo job
            self.assertEqual(job["job"]["status"], "Completed")
            self.assertEqual((cm["region"], g["modelName"], g["jobName"], g["baseModelArn"], g["customizationType"]),
                             (job["region"], job["job"]["outputModelName"], job["job"]["jobName"],
                              job["job"]["baseModelArn"], job["job"]["customizationType"]))
            self.assertEqual((s["modelStatus"], s["ownerAccountId"]), ("Active", A))
            self.assertEqual(project_of(cm["tags"]), project_of(job["tags"]))
        self.assertGreaterEqual(sum(project_of(cm["tags"]) is not None for cm in models.values()), 20)

        pts = self.fx["provisioned_model_throughputs"]
        self.assertTrue(len(models) // 4 <= len(pts) <= len(models) // 2, len(pts))
        for r in pts:
            g = r["get"]
            cm = models[g["modelArn"]]              # a demo custom model
            self.assertEqual((r["region"], g["desiredModelArn"], g["foundationModelArn"]),
                             (cm["region"], g["modelArn"], cm["get"]["baseModelArn"]))
            self.assertIsNotNone(project_of(r["tags"]))
            self.assertEqual(project_of(r["tags"]), project_of(cm["tags"]))
            self.assertIn(g["modelUnits"], range(1, 5))
            self.assertIn(g.get("commitmentDuration"), (None, "OneMonth", "SixMonths"))
            self.assertGreater(emulator.ts_micros(g["creationTime"]), emulator.ts_micros(cm["get"]["creationTime"]))
        statuses = [r["summary"]["status"] for r in pts]
        self.assertGreater(statuses.count("InService"), len(pts) // 2)
        self.assertEqual(len({r["get"]["modelArn"] for r in pts}), len(pts))       # one per model

        fms = [(r["region"], r["summary"]["modelArn"]) for r in self.fx["foundation_models"]]
        self.assertEqual(len(fms), len(set(fms)))
        self.assertEqual(set(fms), {(cm["region"], cm["get"]["baseModelArn"]) for cm in models.values()})
        others = [k for k, v in self.fx.items() if v and k not in
                  ("custom_models", "provisioned_model_throughputs", "foundation_models")]
        self.assertEqual(others, [])
        self.assertEqual(self.dump, emulator.dump_fixtures("demo"))        # deterministic

    def test_demo_matches_model_and_default_is_unchanged(self):
        counts = emulator.load_fixtures("default").resources.counts()
        self.assertEqual({k: tuple(v[r] for r in REGIONS) for k, v in counts.items()}, COUNTS)
        self.assertEqual(sum(len(v) for v in emulator.dump_fixtures("default")["resources"].values()),
                         sum(sum(c) for c in COUNTS.values()))
        chk = ModelChecker(load_model())
        for key, lst in self.fx.items():
            desc = res.BY_KEY[key]
            for r in lst:
                doc = r["get"][desc.get_wrap] if desc.get_wrap else r["get"]
                self.assertEqual(chk.problems(desc.summary_shape, r["summary"]) + chk.problems(desc.get_shape, doc)
                                 + chk.problems("TagList", r["tags"] or []), [], record_key(key, r))


# ------------------------------------------------------------------------------------------
# A running emulator
# ------------------------------------------------------------------------------------------
SRV = {}


def setUpModule():
    tmp = tempfile.mkdtemp(prefix="bedrock-emu-res-test-")
    port_file = os.path.join(tmp, "port")
    proc = subprocess.Popen([sys.executable, EMULATOR, "--port", "0", "--port-file", port_file,
                             "--max-page-size", str(PAGE)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not os.path.exists(port_file):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("emulator did not start: %s" % proc.stderr.read().decode())
        time.sleep(0.02)
    with open(port_file) as f:
        SRV.update(proc=proc, port=int(f.read()), tmp=tmp)


def tearDownModule():
    proc = SRV.get("proc")
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        proc.stderr.close()
        if rc != 0:
            raise AssertionError("emulator exited with %r on SIGTERM" % rc)
    if SRV.get("tmp"):
        shutil.rmtree(SRV["tmp"], ignore_errors=True)


def call(method, path, pairs=(), body=b"", region="us-east-1"):
    """A request signed by the tests' own signer (test_emulator.client_sign)."""
    port = SRV["port"]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": "127.0.0.1:%d" % port}
    if method == "POST":
        headers["Content-Type"] = "application/json"
    add, _ = te.client_sign(method, path, list(pairs), headers, body, emulator.LONG_TERM_ACCESS_KEY_ID,
                            emulator.LONG_TERM_SECRET_ACCESS_KEY, region, te.amz_now())
    headers.update(add)
    query = te.build_query(pairs)
    conn.putrequest(method, path + ("?" + query if query else ""), skip_host=True, skip_accept_encoding=True)
    for k, v in headers.items():
        conn.putheader(k, v)
    conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body or None)
    r = te.Resp(conn.getresponse())
    conn.close()
    return r


def ctl(method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", SRV["port"], timeout=10)
    conn.request(method, path, body=None if body is None else json.dumps(body))
    r = te.Resp(conn.getresponse())
    conn.close()
    return r


def get_path(desc, ident):
    return desc.get_prefix + te.q(ident)


def tags_of(arn, region):
    return call("POST", "/listTagsForResource", body=json.dumps({"resourceARN": arn}).encode(), region=region)


class ResourceServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fx = emulator.dump_fixtures("default")["resources"]

    def setUp(self):
        self.assertEqual(ctl("POST", "/_emulator/reset").status, 204)
        ctl("POST", "/_emulator/config", {"nulls": "absent", "error_statuses": "aws", "error_format": "header"})

    def recs(self, key, region):
        return [r for r in self.fx[key] if r["region"] == region]

    def expected(self, desc, region, filters=(), ascending=False):
        """The summaries List should return, by brute force over the dump."""
        recs = self.recs(desc.key, region)
        ident = [v for p, v in filters if p.kind == "ident"]
        if desc.default_filter and not ident:
            recs = [r for r in recs if r["summary"].get(desc.default_filter[0]) == desc.default_filter[1]]
        out = []
        for r in recs:
            attrs = dict(r["get"][desc.get_wrap] if desc.get_wrap else r["get"], **r["summary"])
            if desc.key == "custom_models":
                attrs["foundationModelArn"] = next(
                    f for f in [attrs["baseModelArn"]] + [x["get"]["baseModelArn"] for x in self.fx["custom_models"]
                                                          if x["get"]["modelArn"] == attrs["baseModelArn"]]
                    if ":foundation-model/" in f)
            ok = True
            for p, v in filters:
                a = attrs.get(p.field) if p.field else None
                t = emulator.ts_micros(attrs[desc.time]) if desc.time else None
                ok = ok and {
                    "after": lambda: t > emulator.ts_micros(v), "before": lambda: t < emulator.ts_micros(v),
                    "contains": lambda: a is not None and v in a, "equals": lambda: a == v, "enum": lambda: a == v,
                    "iequals": lambda: a is not None and a.lower() == v.lower(), "has": lambda: v in (a or []),
                    "owned": lambda: (a == A) == (v == "true"),
                    "ident": lambda: v in (attrs[desc.arn], attrs.get("id")),
                }[p.kind]()
            if ok:
                out.append(r)
        if desc.time:
            out.sort(key=lambda r: (emulator.ts_micros(r["summary"][desc.time]), r["summary"][desc.arn]),
                     reverse=not ascending)
        return [r["summary"] for r in out]

    def list_all(self, desc, region, pairs=(), max_results=None):
        items, pages, token = [], 0, None
        while True:
            p = list(pairs) + ([("maxResults", str(max_results))] if max_results else []) + \
                ([("nextToken", token)] if token else [])
            r = call("GET", desc.list_path, p, region=region)
            self.assertEqual(r.status, 200, (desc.list_op, p, r.raw))
            items += r.json.get(desc.result, [])
            pages += 1
            if desc.paginated:
                self.assertLessEqual(len(r.json.get(desc.result, [])), min(max_results or 100, PAGE, desc.page_max or PAGE))
            token = r.json.get("nextToken")
            if not token:
                return items, pages
            self.assertTrue(desc.paginated)

    def sample_values(self, desc, p, region):
        """Values of parameter p to try: from the region's records, and one that finds none."""
        recs = self.recs(desc.key, region)
        attrs = [dict(r["get"][desc.get_wrap] if desc.get_wrap else r["get"], **r["summary"]) for r in recs]
        if p.kind in ("after", "before"):
            times = sorted(a[desc.time] for a in attrs)
            return [times[len(times) // 2], times[0], "2030-01-01T00:00:00Z"]
        if p.kind == "contains":
            names = [a[p.field] for a in attrs if p.field in a]
            return [names[0][1:4], names[-1], "zz9"]
        if p.kind == "equals":
            field = "baseModelArn" if p.field == "foundationModelArn" else p.field      # (not in the dump)
            vals = [a[field] for a in attrs if field in a and (field == p.field or ":foundation-model/" in a[field])]
            return sorted(set(vals))[:2] or ["x"]
        if p.kind in ("enum", "has"):
            return list(p.enum)
        if p.kind == "iequals":
            return ["amazon", "ANTHROPIC", "Meta", "nobody"]
        if p.kind == "owned":
            return ["true", "false"]
        if p.kind == "ident":
            return sorted({a["id"] for a in attrs}) + [attrs[0]["arn"]]
        return []

    def test_list_every_filter_and_page(self):
        for desc in res.RESOURCES:
            for region in REGIONS:
                with self.subTest(resource=desc.key, region=region):
                    items, pages = self.list_all(desc, region)
                    want = self.expected(desc, region)
                    self.assertEqual(items, want)
                    if desc.paginated:
                        self.assertEqual(pages, max(1, -(-len(want) // min(PAGE, desc.page_max or PAGE))))
                        items2, pages2 = self.list_all(desc, region, max_results=2)
                        self.assertEqual((items2, pages2), (want, max(1, -(-len(want) // 2))))
                    else:
                        self.assertEqual(pages, 1)
                    if any(p.kind == "sort_order" for p in desc.params):
                        asc, _ = self.list_all(desc, region, [("sortBy", "CreationTime"), ("sortOrder", "Ascending")])
                        self.assertEqual(asc, self.expected(desc, region, ascending=True))
                        desc_, _ = self.list_all(desc, region, [("sortOrder", "Descending")])
                        self.assertEqual(desc_, want)
                    for p in desc.params:
                        for v in self.sample_values(desc, p, region):
                            got, _ = self.list_all(desc, region, [(p.wire, v)])
                            self.assertEqual(got, self.expected(desc, region, [(p, v)]), (p.wire, v))
        # the filters find something, and not everything
        e1 = res.BY_KEY["custom_models"]
        shared, _ = self.list_all(e1, "us-east-1", [("isOwned", "false")])
        self.assertEqual([s["modelName"] for s in shared], ["partner-titan-lite-ft"])
        fm_filter, _ = self.list_all(e1, "us-east-1", [("foundationModelArnEquals", emulator.fm_arn(
            "us-east-1", "amazon.titan-text-express-v1:0:8k"))])
        base_filter, _ = self.list_all(e1, "us-east-1", [("baseModelArnEquals", emulator.fm_arn(
            "us-east-1", "amazon.titan-text-express-v1:0:8k"))])
        self.assertIn("titan-support-v2", [s["modelName"] for s in fm_filter])
        self.assertNotIn("titan-support-v2", [s["modelName"] for s in base_filter])
        copies, _ = self.list_all(res.BY_KEY["model_copy_jobs"], "us-east-1", [("outputModelNameContains", "ads")])
        self.assertEqual([c["targetModelName"] for c in copies], ["titan-ads-v1-use1"])
        fms, _ = self.list_all(res.BY_KEY["foundation_models"], "us-east-1", [("byProvider", "mistral ai")])
        self.assertEqual([f["modelId"] for f in fms], ["mistral.mistral-7b-instruct-v0:2"])
        gr = res.BY_KEY["guardrails"]
        drafts, _ = self.list_all(gr, "us-east-1")
        self.assertEqual({g["version"] for g in drafts}, {"DRAFT"})
        versions, _ = self.list_all(gr, "us-east-1", [("guardrailIdentifier", drafts[-1]["arn"])])
        self.assertEqual(len(versions), 3)

    def test_tokens_are_opaque_and_bound(self):
        desc = res.BY_KEY["custom_models"]
        r = call("GET", desc.list_path, [("maxResults", "2")])
        token = r.json["nextToken"]
        self.assertTrue(set("+/=") <= set(token), token)
        for path, pairs in ((res.BY_KEY["imported_models"].list_path, [("nextToken", token)]),
                            (desc.list_path, [("nextToken", token), ("modelStatus", "Active")]),
                            (desc.list_path, [("nextToken", "bm9wZQ==")])):
            r = call("GET", path, pairs)
            self.assertEqual((r.status, r.error_type, r.message), (400, "ValidationException", "Invalid pagination token"))
        r = call("GET", desc.list_path, [("nextToken", token)], region="us-west-2")
        self.assertEqual(r.status, 400)

    def test_validation_errors(self):
        for desc in res.RESOURCES:
            with self.subTest(resource=desc.key):
                for p in desc.params:
                    if p.kind in ("after", "before"):
                        r = call("GET", desc.list_path, [(p.wire, "yesterday")])
                        self.assertEqual((r.status, r.error_type), (400, "SerializationException"))
                        self.assertEqual(r.message, "Value 'yesterday' at '%s' could not be parsed as an ISO-8601 "
                                                    "timestamp" % p.member)
                    elif p.kind == "max_results":
                        for v, c in (("0", "have value greater than or equal to 1"),
                                     ("1001", "have value less than or equal to 1000")):
                            r = call("GET", desc.list_path, [(p.wire, v)])
                            self.assertEqual((r.status, r.error_type), (400, "ValidationException"))
                            self.assertEqual(r.message, "1 validation error detected: Value '%s' at 'maxResults' failed "
                                                        "to satisfy constraint: Member must %s" % (v, c))
                        r = call("GET", desc.list_path, [(p.wire, "ten")])
                        self.assertEqual((r.status, r.error_type), (400, "SerializationException"))
                    elif p.kind == "owned":
                        r = call("GET", desc.list_path, [(p.wire, "yes")])
                        self.assertEqual((r.status, r.error_type), (400, "SerializationException"))
                    elif p.enum:
                        r = call("GET", desc.list_path, [(p.wire, "Bogus")])
                        self.assertEqual((r.status, r.error_type), (400, "ValidationException"))
                        self.assertEqual(r.message, "1 validation error detected: Value 'Bogus' at '%s' failed to "
                                                    "satisfy constraint: Member must satisfy enum value set: [%s]"
                                         % (p.member, ", ".join(p.enum)))
                    elif p.pattern and p.kind != "token":
                        bad = "bad value!" * (1 + (p.max or 0) // 10)
                        r = call("GET", desc.list_path, [(p.wire, bad)])
                        self.assertEqual((r.status, r.error_type), (400, "ValidationException"), p.member)
                        self.assertIn("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular "
                                      "expression pattern: %s" % (bad, p.member, p.pattern), r.message)
                        if p.max:
                            self.assertIn("Member must have length less than or equal to %d" % p.max, r.message)
                            self.assertTrue(r.message.startswith("2 validation errors detected: "))
        # several at once, in the parameters' order
        r = call("GET", "/provisioned-model-throughputs", [("statusEquals", "Deleting"), ("sortOrder", "Up")])
        self.assertTrue(r.message.startswith("2 validation errors detected: Value 'Deleting' at 'statusEquals'"), r.message)

    def test_get_every_form(self):
        for desc in res.RESOURCES:
            for region in REGIONS:
                for rec in self.recs(desc.key, region):
                    with self.subTest(resource=desc.key, region=region, arn=rec["summary"][desc.arn]):
                        forms = {"arn": rec["summary"][desc.arn]}
                        if "name" in desc.forms:
                            forms["name"] = rec["summary"][desc.name]
                        if "id" in desc.forms:
                            inner = rec["get"][desc.get_wrap] if desc.get_wrap else rec["get"]
                            forms["id"] = {"foundation_models": inner.get("modelId"),
                                           "inference_profiles": inner.get("inferenceProfileId"),
                                           "guardrails": inner.get("guardrailId"),
                                           "model_invocation_jobs": forms["arn"].rsplit("/", 1)[-1]}[desc.key]
                        pairs = []
                        if desc.key == "guardrails":
                            pairs = [("guardrailVersion", rec["summary"]["version"])]
                        for form, ident in forms.items():
                            r = call("GET", get_path(desc, ident), pairs, region=region)
                            self.assertEqual(r.status, 200, (form, ident, r.raw))
                            self.assertEqual(r.json, rec["get"])
                        other = next(x for x in REGIONS if x != region)
                        r = call("GET", get_path(desc, forms["arn"]), pairs, region=other)
                        if not any(x["summary"][desc.arn] == forms["arn"] for x in self.recs(desc.key, other)):
                            self.assertEqual((r.status, r.error_type), (404, "ResourceNotFoundException"))
        log = ctl("GET", "/_emulator/requests").json
        self.assertEqual({e["operation"] for e in log}, {d.get_op for d in res.RESOURCES})
        self.assertTrue(all(e["job_identifier"] for e in log))

    def test_get_404_and_400(self):
        cases = {  # resource -> (well-formed unknown identifier, malformed identifier)
            "custom_models": ("no-such-model", "bad name!"),
            "provisioned_model_throughputs": ("no-such-pt", "bad name!"),
            "model_invocation_jobs": ("abcdefghijkl", "my-batch-job"),
            "evaluation_jobs": ("arn:aws:bedrock:us-east-1:%s:evaluation-job/abcdefghijkl" % A, "my-eval-job"),
            "imported_models": ("no-such-model", "bad name!"),
            "model_import_jobs": ("no-such-job", "bad name!"),
            "model_copy_jobs": ("arn:aws:bedrock:us-east-1:%s:model-copy-job/abcdefghijkl" % A, "my-copy-job"),
            "custom_model_deployments": ("no-such-deployment", "x" * 94),
            "foundation_models": ("acme.nonexistent-v1:0", "Titan"),
            "inference_profiles": ("us.acme.nonexistent-v1:0", "bad id!"),
            "guardrails": ("abcdef123456", "BAD"),
            "prompt_routers": ("arn:aws:bedrock:us-east-1:%s:default-prompt-router/acme.none:1" % A,
                               "arn:aws:bedrock:us-east-1:%s:prompt-router/abcdefghijkl" % A),
            "marketplace_model_endpoints": ("arn:aws:sagemaker:us-east-1:%s:endpoint/none" % A, "x" * 2049),
        }
        self.assertEqual(set(cases), set(COUNTS))
        for key, (unknown, bad) in cases.items():
            desc = res.BY_KEY[key]
            with self.subTest(resource=key):
                r = call("GET", get_path(desc, unknown))
                self.assertEqual((r.status, r.error_type), (404, "ResourceNotFoundException"), r.raw)
                self.assertEqual(r.message, desc.not_found % unknown)
                r = call("GET", get_path(desc, bad))
                self.assertEqual((r.status, r.error_type), (400, "ValidationException"), r.raw)
                self.assertIn("at '%s' failed to satisfy constraint" % desc.label[0], r.message)
        gid = next(r for r in self.fx["guardrails"] if r["region"] == "us-east-1")["summary"]["id"]
        r = call("GET", get_path(res.BY_KEY["guardrails"], gid), [("guardrailVersion", "9")])
        self.assertEqual(r.status, 404)
        r = call("GET", get_path(res.BY_KEY["guardrails"], gid), [("guardrailVersion", "0")])
        self.assertEqual((r.status, r.error_type), (400, "ValidationException"))
        r = call("GET", "/guardrails", [("guardrailIdentifier", "abcdef123456")])
        self.assertEqual((r.status, r.error_type), (404, "ResourceNotFoundException"))
        r = call("DELETE", "/custom-models/x")
        self.assertEqual((r.status, r.error_type), (404, "UnknownOperationException"))

    def test_tags(self):
        n = 0
        for key in COUNTS:
            for rec in self.fx[key]:
                arn = rec["summary"][res.BY_KEY[key].arn]
                r = tags_of(arn, rec["region"])
                with self.subTest(resource=key, arn=arn):
                    if rec["tags"] is None:
                        self.assertEqual((r.status, r.error_type), (400, "ValidationException"))
                        if ":inference-profile/" not in arn:
                            self.assertIn("satisfy regular expression pattern", r.message)
                        else:
                            self.assertEqual(r.message, "The resource %s does not support tagging" % arn)
                    else:
                        self.assertEqual((r.status, r.json), (200, {"tags": rec["tags"]}))
                        n += 1
                        other = next(x for x in REGIONS if x != rec["region"])
                        r = tags_of(arn, other)
                        self.assertEqual(r.status, 404)
        self.assertGreater(n, 50)
        r = tags_of("arn:aws:bedrock:us-east-1:%s:guardrail/zzzzzzzzzzzz" % A, "us-east-1")
        self.assertEqual(r.status, 404)

    def test_log_and_fault_rule(self):
        for desc in res.RESOURCES:
            with self.subTest(resource=desc.key):
                ctl("POST", "/_emulator/reset")
                p = next((p for p in desc.params if p.kind not in ("max_results", "token", "sort_by")), None)
                pairs = [(p.wire, self.sample_values(desc, p, "us-west-2")[0])] if p else []
                r = call("GET", desc.list_path, pairs, region="us-west-2")
                self.assertEqual(r.status, 200)
                ctl("POST", "/_emulator/faults", [{"operation": desc.list_op, "status": 503, "times": 1,
                                                   "error_type": "ServiceUnavailableException"}])
                r = call("GET", desc.list_path, region="eu-west-1")
                self.assertEqual((r.status, r.error_type), (503, "ServiceUnavailableException"))
                self.assertEqual(call("GET", desc.list_path, region="eu-west-1").status, 200)
                ctl("POST", "/_emulator/faults", [{"operation": desc.get_op, "status": 500, "times": 1}])
                ident = self.recs(desc.key, "eu-west-1")[0]["summary"][desc.arn]
                self.assertEqual(call("GET", get_path(desc, ident), region="eu-west-1").status, 500)
                self.assertEqual(call("GET", desc.list_path, region="eu-west-1").status, 200)
                log = ctl("GET", "/_emulator/requests").json
                self.assertEqual([(e["operation"], e["region"], e["status"]) for e in log], [
                    (desc.list_op, "us-west-2", 200), (desc.list_op, "eu-west-1", 503), (desc.list_op, "eu-west-1", 200),
                    (desc.get_op, "eu-west-1", 500), (desc.list_op, "eu-west-1", 200)])
                self.assertEqual(log[0]["params"], dict(pairs))
                self.assertTrue(log[1].get("fault"))
                self.assertEqual(log[3]["job_identifier"], ident)

    def test_fault_actions(self):
        desc = res.BY_KEY["model_invocation_jobs"]
        ctl("POST", "/_emulator/faults", [{"operation": desc.list_op, "action": "repeat_token", "times": 1}])
        r = call("GET", desc.list_path)
        self.assertEqual(r.json["nextToken"], emulator.REPEAT_TOKEN)
        for action, member, value in (("unknown_status", "status", emulator.UNKNOWN_STATUS),
                                      ("bad_timestamp", "submitTime", emulator.BAD_TIMESTAMP)):
            ctl("POST", "/_emulator/faults", [{"operation": desc.list_op, "action": action, "times": 1}])
            r = call("GET", desc.list_path)
            self.assertEqual(r.json[desc.result][0][member], value)
        ctl("POST", "/_emulator/faults", [{"operation": "GetFoundationModel", "action": "non_utf8", "times": 1}])
        r = call("GET", get_path(res.BY_KEY["foundation_models"], "amazon.nova-pro-v1:0"))
        self.assertIn(b"amazon.nova-pro-v1:0\xff\xfe", r.raw)

    def test_off_model_status(self):
        desc = res.BY_KEY["provisioned_model_throughputs"]
        items, _ = self.list_all(desc, "eu-west-1")
        self.assertIn("Deleting", [s["status"] for s in items])
        r = call("GET", desc.list_path, [("statusEquals", "Deleting")], region="eu-west-1")
        self.assertEqual((r.status, r.error_type), (400, "ValidationException"))
        self.assertEqual(call("GET", get_path(desc, "gdpr-pt-old"), region="eu-west-1").json["status"], "Deleting")
        items, _ = self.list_all(desc, "eu-west-1", [("statusEquals", "InService")])
        self.assertEqual([s["provisionedModelName"] for s in items], ["gdpr-pt"])
        # the custom prompt router's ARN is outside the Get pattern, but taken back
        router = next(r for r in self.fx["prompt_routers"] if r["summary"]["type"] == "custom")
        r = call("GET", get_path(res.BY_KEY["prompt_routers"], router["summary"]["promptRouterArn"]),
                 region=router["region"])
        self.assertEqual((r.status, r.json), (200, router["get"]))

    def test_nulls_variant(self):
        ctl("POST", "/_emulator/config", {"nulls": "null"})
        try:
            for desc in res.RESOURCES:
                with self.subTest(resource=desc.key):
                    r = call("GET", desc.list_path, region="us-east-1")
                    for s in r.json[desc.result]:
                        self.assertTrue(set(desc.null_summary) <= set(s))
                        want = next(x["summary"] for x in self.fx[desc.key] if x["summary"][desc.arn] == s[desc.arn]
                                    and x["region"] == "us-east-1")
                        self.assertEqual({k: v for k, v in s.items() if v is not None}, want)
                    rec = self.recs(desc.key, "us-east-1")[0]
                    g = call("GET", get_path(desc, rec["summary"][desc.arn])).json
                    inner = g[desc.get_wrap] if desc.get_wrap else g
                    self.assertTrue(set(desc.null_get) <= set(inner))
                    want = rec["get"][desc.get_wrap] if desc.get_wrap else rec["get"]
                    self.assertEqual({k: v for k, v in inner.items() if v is not None}, want)
            self.assertTrue(any(v is None for v in inner.values()) or True)
        finally:
            ctl("POST", "/_emulator/config", {"nulls": "absent"})

    def test_error_variants(self):
        ctl("POST", "/_emulator/config", {"error_statuses": "odd", "error_format": "code"})
        try:
            r = call("GET", "/custom-models/no-such-model")
            self.assertEqual((r.status, r.json["code"]), (400, "ResourceNotFoundException"))
            r = call("GET", "/custom-models", [("modelStatus", "Gone")])
            self.assertEqual((r.status, r.json["code"]), (500, "ValidationException"))
        finally:
            ctl("POST", "/_emulator/config", {"error_statuses": "aws", "error_format": "header"})

    def test_fixture_counts_control(self):
        doc = ctl("GET", "/_emulator/fixtures").json
        self.assertEqual({k: tuple(v[r] for r in REGIONS) for k, v in doc["resources"].items()}, COUNTS)


if __name__ == "__main__":
    unittest.main()
