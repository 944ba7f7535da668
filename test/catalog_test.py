#!/usr/bin/env python3
"""catalog_test.py: the resource catalog (src/resources.c) held to AWS's service model.

Reads ../shared/aws/bedrock/2023-04-20/service-2.json (botocore's copy of the official model; it
stays out of the repository) and the catalog as test/catalog_dump prints it, and checks for every
descriptor that
  * its List and Get operations exist, with the descriptor's HTTP paths, result member, Get wrapper
    and identifier parameter, and that paginated is true exactly when the List takes nextToken;
  * every member of the Get answer (of its wrapper) and of the List summary has a column that reads
    it, and every column reads a member the model has, with a SQL type that fits the member's shape
    (string, timestamp, integer, boolean, number, structure, map, list of strings, list of structs);
  * every List parameter other than maxResults, nextToken, sortBy and sortOrder is pushed down (the
    status, equals, time and contains filters) or listed as not pushed, with a reason, and every
    name the descriptor sends is a parameter of the List, as sent on the wire (its locationName);
  * the enums, patterns and lengths the engine checks values against before sending them are the
    model's own: a parameter's for the filters, the Get identifier's for lookups;
  * sortBy is one of the model's values, and every column a role names exists.
When AWS adds a member, a parameter or an enum value, this test says so.

Usage: python3 test/catalog_test.py [catalog.json]   (default: runs test/catalog_dump)
Skips, with a one-line reason and exit status 0, when ../shared is absent.
"""

import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "..", "shared", "aws", "bedrock", "2023-04-20", "service-2.json")
PAGING = {"maxResults", "nextToken", "sortBy", "sortOrder"}

# SQL types that hold each shape of the model
TYPES = {"string": "text", "timestamp": "timestamp with time zone", "integer": "bigint",
         "long": "bigint", "boolean": "boolean", "float": "double precision",
         "double": "double precision", "structure": "jsonb", "map": "jsonb"}


def snake(name):
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()


class Checker:
    def __init__(self, model):
        self.shapes = model["shapes"]
        self.ops = model["operations"]
        self.passed = 0
        self.failed = 0

    def ok(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("not ok - " + what)
        return cond

    def members(self, shape):
        return self.shapes[shape]["members"]

    def sql_type(self, shape):
        s = self.shapes[shape]
        if s["type"] == "list":
            inner = self.shapes[s["member"]["shape"]]["type"]
            return "text[]" if inner == "string" else "jsonb"
        return TYPES[s["type"]]

    def check_value(self, res, what, check, member_shape):
        s = self.shapes[member_shape]
        self.ok(check["enum"] == s.get("enum"),
                "%s: %s enum %s, the model's %s" % (res, what, check["enum"], s.get("enum")))
        self.ok(check["pattern"] == s.get("pattern"),
                "%s: %s pattern %r, the model's %r" % (res, what, check["pattern"], s.get("pattern")))
        self.ok(check["min"] == s.get("min", 0) and check["max"] == s.get("max", 0),
                "%s: %s lengths %s..%s, the model's %s..%s"
                % (res, what, check["min"], check["max"], s.get("min", 0), s.get("max", 0)))

    def resource(self, r):
        name = r["name"]
        cols = {c["name"]: c for c in r["columns"]}
        if not self.ok(r["list_op"] in self.ops, "%s: no operation %s" % (name, r["list_op"])):
            return
        lop = self.ops[r["list_op"]]
        self.ok(lop["http"]["method"] == "GET" and lop["http"]["requestUri"] == r["list_path"],
                "%s: %s is %s %s, the descriptor says GET %s"
                % (name, r["list_op"], lop["http"]["method"], lop["http"]["requestUri"], r["list_path"]))
        lin = self.members(lop["input"]["shape"])
        lout = self.members(lop["output"]["shape"])
        self.ok(r["paginated"] == ("nextToken" in lin),
                "%s: paginated is %s, the List %s nextToken" % (name, r["paginated"],
                                                                "takes" if "nextToken" in lin else "has no"))
        if not self.ok(r["list_member"] in lout, "%s: the List answer has no %s" % (name, r["list_member"])):
            return
        summary = self.members(self.shapes[lout[r["list_member"]]["shape"]]["member"]["shape"])

        gop = self.ops.get(r["get_op"])
        got = {}
        if self.ok(gop is not None, "%s: no operation %s" % (name, r["get_op"])):
            uri = gop["http"]["requestUri"]
            gin = self.members(gop["input"]["shape"])
            ident = [k for k, v in gin.items() if v.get("location") == "uri"]
            self.ok(len(ident) == 1 and uri == r["get_path"] + "{%s}" % ident[0],
                    "%s: %s is %s, the descriptor says %s{%s}" % (name, r["get_op"], uri, r["get_path"],
                                                                 r["get_param"]))
            self.ok(ident == [r["get_param"]],
                    "%s: the Get identifier is %s, the descriptor says %s" % (name, ident, r["get_param"]))
            got = self.members(gop["output"]["shape"])
            if r["get_wrapper"]:
                if self.ok(r["get_wrapper"] in got, "%s: the Get answer has no %s" % (name, r["get_wrapper"])):
                    got = self.members(got[r["get_wrapper"]]["shape"])
            else:
                self.ok(not (len(got) == 1 and self.shapes[next(iter(got.values()))["shape"]]["type"]
                             == "structure"), "%s: the Get answer wraps its resource" % name)
            for role in ("arn", "id"):
                if r[role] is not None and ident:
                    self.check_value(name, "%s identifier" % role, r[role], gin[ident[0]]["shape"])

        # every member has a column, every column a member
        for m, v in got.items():
            c = [c for c in r["columns"] if c["get_member"] == m]
            if self.ok(c, "%s: no column reads the Get member %s" % (name, m)):
                want = self.sql_type(v["shape"])
                self.ok(c[0]["type"] == want or c[0]["shape"] == "flatten",
                        "%s: column %s is %s, the member %s wants %s" % (name, c[0]["name"], c[0]["type"], m, want))
        for m, v in summary.items():
            c = [c for c in r["columns"] if c["summary_member"] == m]
            if self.ok(c, "%s: no column reads the summary member %s" % (name, m)):
                want = self.sql_type(v["shape"])
                self.ok(c[0]["type"] == want,
                        "%s: column %s is %s, the member %s wants %s" % (name, c[0]["name"], c[0]["type"], m, want))
        for c in r["columns"]:
            if c["summary_member"]:
                self.ok(c["summary_member"] in summary,
                        "%s: column %s reads %s, which the summary does not have" % (name, c["name"], c["summary_member"]))
            if c["get_member"]:
                self.ok(c["get_member"] in got,
                        "%s: column %s reads %s, which the Get answer does not have" % (name, c["name"], c["get_member"]))
            if c["shape"] == "plain" and c["summary_member"] is None and c["get_member"]:
                self.ok(c["name"] == snake(c["get_member"]),
                        "%s: column %s is not the snake_case of %s" % (name, c["name"], c["get_member"]))
            if c["source"] == "tags":
                self.ok(r["taggable"], "%s: tag column %s on a resource that is not taggable" % (name, c["name"]))
        for special in ("account_id", "region"):
            self.ok(special in cols, "%s: no %s column" % (name, special))
        if r["taggable"]:
            self.ok("tags" in cols and "tag_map" in cols, "%s: taggable, without tags and tag_map" % name)

        # every List parameter is pushed or said not to be; every one sent exists
        wire = {v.get("locationName", k): k for k, v in lin.items()}
        sent = {}
        if r["status"]:
            sent[r["status"]["param"]] = ("status filter", r["status"])
        for e in r["equals"]:
            sent[e["param"]] = ("equals filter", e)
        for p in (r["time_after"], r["time_before"]):
            if p:
                sent[p] = ("time filter", None)
        if r["contains_param"]:
            sent[r["contains_param"]] = ("contains filter", r["contains_check"])
        unpushed = {u["param"]: u["reason"] for u in r["unpushed"]}
        for p, (what, check) in sent.items():
            if not self.ok(p in wire, "%s: the %s %s is no parameter of %s" % (name, what, p, r["list_op"])):
                continue
            shape = lin[wire[p]]["shape"]
            if check is not None:
                self.check_value(name, "%s %s" % (what, p), check, shape)
            if what == "time filter":
                self.ok(self.shapes[shape]["type"] == "timestamp", "%s: %s is no timestamp" % (name, p))
        for p, member in wire.items():
            if member in PAGING:
                continue
            self.ok(p in sent or member in unpushed or p in unpushed,
                    "%s: the List parameter %s is neither pushed down nor listed as not pushed" % (name, p))
        for p, reason in unpushed.items():
            self.ok(reason and (p in wire or p in lin), "%s: unpushed %s is no parameter, or has no reason" % (name, p))

        # sort, and the columns roles name
        if r["sort_by"]:
            self.ok("sortBy" in lin and r["sort_by"] in self.shapes[lin["sortBy"]["shape"]].get("enum", []),
                    "%s: sortBy=%s is not one of the model's" % (name, r["sort_by"]))
        else:
            self.ok("sortBy" not in lin or "sortBy" in unpushed,
                    "%s: the List sorts, and the descriptor neither sorts nor says why" % name)
        roles = [r["arn_column"], r["time_column"], r["contains_column"], r["sort_column"]]
        roles += [r[k]["column"] for k in ("arn", "id", "status") if r[k]]
        roles += [e["column"] for e in r["equals"]]
        for c in roles:
            if c is not None:
                self.ok(c in cols, "%s: a role names %s, which is no column" % (name, c))


def main():
    if not os.path.exists(MODEL):
        print("catalog_test: skipped: ../shared/aws (the service model) is absent")
        return 0
    model = json.load(open(MODEL, encoding="utf-8"))
    if len(sys.argv) > 1:
        catalog = json.load(open(sys.argv[1], encoding="utf-8"))
    else:
        out = subprocess.run([os.path.join(HERE, "catalog_dump")], check=True,
                             capture_output=True, text=True).stdout
        catalog = json.loads(out)
    checker = Checker(model)
    for r in catalog:
        before = checker.failed
        checker.resource(r)
        print("%s %s (%s)" % ("ok" if checker.failed == before else "not ok", r["table"], r["name"]))
    print("catalog: %d passed, %d failed" % (checker.passed, checker.failed))
    return 1 if checker.failed else 0


if __name__ == "__main__":
    sys.exit(main())
