r"""The Resource Groups Tagging API's GetResources for the Bedrock emulator (test/emulator.py).

For "the tags of every Bedrock resource of an account and region in a few calls": GetResources
answers from the same resources ListTagsForResource serves, with the same tags.  test/emulator.py
only hooks this module in (routing, SigV4, the request log, latency, the rate limit and fault
rules are its own); the answer variants below are config members like the others.

Protocol (service model resourcegroupstaggingapi 2017-01-26, awsJson1_1)
------------------------------------------------------------------------
POST / with X-Amz-Target ResourceGroupsTaggingAPI_20170126.GetResources (another operation of
that prefix: 400 UnknownOperationException), a JSON body, SigV4 for service "tagging" (a request
signed for another service: 403 InvalidSignatureException "Credential should be scoped to correct
service: 'tagging'.").  The region is the credential scope's, and refused like Bedrock's when it
is DISABLED for the keys' account (403 UnrecognizedClientException).  Answers are
application/x-amz-json-1.1.

Which resources
---------------
Those of the keys' account (its Bedrock view: a session of bedrock-cross-account sees the
management's, as for Bedrock) in the request's region that ListTagsForResource answers with at
least one tag: the model customization jobs of the region (those beyond the model too: ho-5,
legacy_ft_7) and the other resources whose records are taggable (test/emulator_resources.py,
"ListTagsForResource"; the versions of a guardrail are one resource).  The model documents
GetResources as returning "all the tagged or previously tagged resources" and "does not return
untagged resources"; the emulator keeps no tag history, so a resource that has no tag is never
in the answer (no "Tags": [] entries): a resource absent from the answer has no tags.  Each entry
is {"ResourceARN", "Tags": [{"Key", "Value"}...]}, the tags those of ListTagsForResource.

Request members (a member of the wrong JSON type, or a body that is no JSON object: 400
SerializationException; members the model does not know are ignored)
    ResourceTypeFilters  up to 100 strings "service" or "service:resourceType", the resource type
                         being the ARN's resource part before its first '/' (or ':'):
                         "bedrock" matches every resource, "bedrock:model-customization-job" the
                         jobs, "bedrock:guardrail", "bedrock:custom-model", ...; a well-formed
                         filter of another service matches nothing; a malformed one (not
                         [a-z0-9-]+ optionally followed by ':' and [A-Za-z0-9-]+) is refused
    TagFilters           up to 50 {"Key", "Values"}: a resource matches every filter; a filter
                         matches a tag with its Key (case-sensitive) and, when Values (up to 20)
                         is given and not empty, one of those values; a filter without Key is
                         refused
    ResourceARNList      1 to 100 ARNs: the entries of those that are resources as above (any
                         other ARN, of another region or account, untagged or unknown, is left
                         out without an error), each once, in the order asked; no pages.  Not
                         with ResourceTypeFilters or TagFilters (non-empty), nor with
                         ResourcesPerPage, TagsPerPage or a non-empty PaginationToken.  An ARN
                         that is no ARN of the aws partition is refused
    ResourcesPerPage     1 to 100 (the model gives no default: 100); a page holds at most
                         min(ResourcesPerPage or 100, --max-page-size) entries
    TagsPerPage          100 to 500: a page also holds at most this many tags (a resource
                         counts as max(1, its tags)), never splitting a resource (the first of a
                         page always goes in)
    PaginationToken      "" or absent: the first page; else a token of an earlier page of the
                         same listing (account, region, filters, tagging_order), valid 15
                         minutes (older: 400 PaginationTokenExpiredException "The pagination
                         token has expired."); any other: 400 InvalidParameterException
    IncludeComplianceDetails  true: each entry has "ComplianceDetails" {"NoncompliantKeys": [],
                         "KeysWithNoncompliantValues": [], "ComplianceStatus": true} (no account
                         has a tag policy: every resource complies)
    ExcludeCompliantResources  true needs IncludeComplianceDetails true (else refused), and then
                         leaves every resource out
Output {"ResourceTagMappingList": [...], "PaginationToken": "..."}: a page ends the listing when
no further resource matches, and then PaginationToken is "" (AWS's empty string; the JS SDK's
paginateGetResources stops on it).
Refusals are 400 InvalidParameterException: the model's limits (list lengths, Key 1-128 and
Value 0-256 characters, ARN 1-1011, resource type up to 256, PaginationToken up to 2048) as "1
validation error detected: Value '...' at 'resourceARNList' failed to satisfy constraint: Member
must have length less than or equal to 100", the rules above in their own words.

Errors
------
{"__type": "<Name>", "Message": ...}, as JSON 1.1 services send them: InvalidParameterException,
PaginationTokenExpiredException, SerializationException, UnknownOperationException (400), the
SigV4 failures (403, as for Bedrock), and under --rate-limit (its own bucket per region,
"tagging:<region>") 400 ThrottledException "Rate exceeded".  error_statuses "odd" maps them as
Bedrock's (ThrottledException 400 -> 500, ...); error_format "type" sends {"__type":
"com.amazonaws.resourcegroupstaggingapi#<Name>", "message"}, "code" {"code", "message"}.
A denied tag:GetResources is a fault rule: {"operation": "GetResources", "account":
"210987654321", "status": 400, "error_type": "AccessDeniedException", "message": "User: ... is
not authorized to perform: tag:GetResources"} (AWS JSON 1.1 services send AccessDeniedException
with 400; the SDKs read the type from the rule's X-Amzn-ErrorType).

Log, fault rules, variants
--------------------------
Logged like every operation: "operation" GetResources, "region", "account", "body" (the request
JSON).  Fault rules apply to "GetResources" and "*" matches it (it is no credential operation,
as ListAccounts).  The fault actions: repeat_token (PaginationToken: the first page with the
request's token, or emulator.REPEAT_TOKEN when it has none), deep ("ResourceTagMappingList"),
non_utf8 (the first entry's first tag Value); unknown_status and bad_timestamp change nothing
(no status, no timestamp).  Config members (POST /_emulator/config; the first choice is the
default, and reset keeps them) for what the API leaves open:
    tagging_order  "natural"  entries by ARN, each entry's tags in ListTagsForResource's order
                   "shuffled" entries in a hash-drawn order (the same on every page of a
                              listing), each entry's tags in a hash-drawn order
    tagging_pages  "full"     each page as full as ResourcesPerPage and TagsPerPage allow
                   "short"    pages hold fewer ("A query can return fewer than this maximum, even
                              if there are more results still to return"): the 2nd, 5th, 8th...
                              page is empty with a PaginationToken, the others hold a hash-drawn
                              1 to max(1, size / 2) entries; a page that fills up does not look
                              past its last entry, so it carries a token even when no further
                              resource matches (the next page is then empty and ends the listing)
    tagging_end    "empty"    the last page has "PaginationToken": ""
                   "absent"   the last page has no PaginationToken (nulls "null": null)
"""

import base64
import hashlib
import hmac
import json
import re
import threading
import time

E = None        # test/emulator.py (bind)

SERVICE = "tagging"
TARGET_PREFIX = "ResourceGroupsTaggingAPI_20170126."
CONTENT_TYPE = "application/x-amz-json-1.1"
OPERATIONS = ("GetResources",)
TOKEN_MEMBER = "PaginationToken"
RESULT_KEY = "ResourceTagMappingList"
ERROR_NS = "com.amazonaws.resourcegroupstaggingapi"

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 100
TAGS_PER_PAGE = (100, 500)
MAX_ARNS = 100
MAX_TYPE_FILTERS = 100
MAX_TAG_FILTERS = 50
MAX_TAG_VALUES = 20
MAX_TOKEN = 2048
TOKEN_TTL_S = 15 * 60

# the answer variants (config members): the first choice is the default
CONFIG_CHOICES = {
    "tagging_order": ("natural", "shuffled"),
    "tagging_pages": ("full", "short"),
    "tagging_end": ("empty", "absent"),
}

_TYPE_FILTER_RE = re.compile(r"\A[a-z0-9-]+(:[A-Za-z0-9-]+)?\Z")
_ARN_RE = re.compile(r"\Aarn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)\Z", re.S)
_TOKEN_KEY = b"bedrock-emulator-tagging-v1"
_COMPLIANT = {"NoncompliantKeys": [], "KeysWithNoncompliantValues": [], "ComplianceStatus": True}


def bind(emulator_module):
    global E
    E = emulator_module


# --------------------------------------------------------------------------------------------
# Routing and errors
# --------------------------------------------------------------------------------------------
def route(method, raw_path, headers):
    """(SERVICE, operation) of a Resource Groups Tagging API request, or None."""
    if raw_path == "/" and method == "POST":
        target = headers.get("X-Amz-Target") or ""
        if target.startswith(TARGET_PREFIX):
            return SERVICE, ("GetResources" if target[len(TARGET_PREFIX):] == "GetResources" else "Unknown")
    return None


def _error(error_type, message):
    return E.accounts.ServiceError(400, error_type, message)


def _invalid(message):
    return _error("InvalidParameterException", message)


def error_answer(e, error_format):
    """(headers, body document) of an error in the config's error_format ("header": JSON 1.1's
    own {"__type", "Message"})."""
    if error_format == "header":
        return [], {"__type": e.error_type, "Message": e.message}
    if error_format == "type":
        return [], {"__type": "%s#%s" % (ERROR_NS, e.error_type), "message": e.message}
    return [], {"code": e.error_type, "message": e.message}


def throttled():
    return _error("ThrottledException", "Rate exceeded")


# --------------------------------------------------------------------------------------------
# The resources of a store and region
# --------------------------------------------------------------------------------------------
_index_lock = threading.Lock()


def resource_type(arn):
    """'bedrock:model-customization-job' of an ARN (service, and its resource part up to the
    first '/' or ':'), or None if it is no ARN."""
    m = _ARN_RE.match(arn)
    if m is None:
        return None
    return "%s:%s" % (m.group(2), re.split(r"[/:]", m.group(5), 1)[0])


def _shuffle_key(*parts):
    return hashlib.sha256(("tagging|" + "|".join(parts)).encode()).digest()


class _Index:
    """The candidates of one store and region: (ARN, its resource type, the object whose .tags
    ListTagsForResource answers), by ARN and in each tagging_order."""

    def __init__(self, store, region):
        items = {}
        for j in store.by_region.get(region, ()):
            items.setdefault(j.arn, j)
        res = getattr(store, "resources", None)
        if res is not None:
            for recs in res.records.values():
                for rec in recs:
                    if rec.region != region or rec.arn in items:
                        continue
                    if all(r.tags is not None for r in res.by_arn.get(rec.arn, ())):
                        items[rec.arn] = rec
        self.by_arn = {arn: (arn, resource_type(arn) or "", obj) for arn, obj in items.items()}
        natural = sorted(self.by_arn)
        self.orders = {
            "natural": [self.by_arn[a] for a in natural],
            "shuffled": [self.by_arn[a] for a in sorted(natural, key=lambda a: _shuffle_key(a))],
        }


def index(store, region):
    """The store's _Index of a region, built on first use and kept with the store."""
    with _index_lock:
        cache = store.__dict__.setdefault("_tagging_index", {})
        ix = cache.get(region)
        if ix is None:
            ix = cache[region] = _Index(store, region)
    return ix


def _tags(arn, obj, order):
    """The entry's Tags ([] when it has none), in the tagging_order."""
    tags = [{"Key": t["key"], "Value": t["value"]} for t in (obj.tags or ())]
    if order == "shuffled":
        tags.sort(key=lambda t: _shuffle_key(arn, t["Key"], t["Value"]))
    return tags


# --------------------------------------------------------------------------------------------
# Pagination tokens: opaque, bound to the listing, valid TOKEN_TTL_S
# --------------------------------------------------------------------------------------------
def _mac(pos, page, issued, fkey):
    msg = ("%d|%d|%d|%s" % (pos, page, issued, fkey)).encode()
    return hmac.new(_TOKEN_KEY, msg, hashlib.sha256).hexdigest()[:16]


def encode_token(pos, page, fkey, now):
    """Like the other operations' tokens (emulator.Paginator): base64 holding '+' and '/',
    ending in '=='."""
    issued = int(now)
    doc = json.dumps({"p": pos, "n": page, "t": issued, "f": fkey, "m": _mac(pos, page, issued, fkey)},
                     separators=(",", ":"), sort_keys=True).encode()
    raw = E._TOKEN_MAGIC + doc
    while len(raw) % 3 != 1:
        raw += b" "
    return base64.b64encode(raw).decode()


def decode_token(token, fkey, now):
    """(position, page number) of a token of this listing; raises InvalidParameterException or
    PaginationTokenExpiredException."""
    try:
        raw = base64.b64decode(token.encode("ascii"), validate=True)
        if not raw.startswith(E._TOKEN_MAGIC):
            raise ValueError(token)
        doc = json.loads(raw[len(E._TOKEN_MAGIC):].decode())
        pos, page, issued = doc["p"], doc["n"], doc["t"]
        ok = (all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (pos, page, issued))
              and doc["f"] == fkey and hmac.compare_digest(doc["m"], _mac(pos, page, issued, fkey)))
    except Exception:
        ok = False
    if not ok:
        raise _invalid("The specified pagination token is not valid for this request.")
    if now - issued > TOKEN_TTL_S:
        raise _error("PaginationTokenExpiredException", "The pagination token has expired.")
    return pos, page


# --------------------------------------------------------------------------------------------
# Request checks
# --------------------------------------------------------------------------------------------
def _body(raw):
    if not raw.strip():
        return {}
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise _error("SerializationException", "Could not parse the request body as JSON")
    if not isinstance(doc, dict):
        raise _error("SerializationException", "Expected a JSON object as the request body")
    return doc


def _typed(doc, member, kind):
    """The member (None when absent or null), or SerializationException when of another type."""
    v = doc.get(member)
    if v is None:
        return None
    ok = {"string": lambda x: isinstance(x, str),
          "integer": lambda x: isinstance(x, int) and not isinstance(x, bool),
          "boolean": lambda x: isinstance(x, bool),
          "strings": lambda x: isinstance(x, list) and all(isinstance(s, str) for s in x),
          "tag filters": lambda x: isinstance(x, list) and all(
              isinstance(f, dict) and isinstance(f.get("Key", ""), (str, type(None)))
              and (f.get("Values") is None or (isinstance(f["Values"], list)
                                               and all(isinstance(s, str) for s in f["Values"])))
              for f in x)}[kind]
    if not ok(v):
        raise _error("SerializationException", "Value of '%s' must be %s" % (
            member, {"string": "a string", "integer": "an integer", "boolean": "a boolean",
                     "strings": "a list of strings",
                     "tag filters": "a list of {\"Key\": string, \"Values\": [string]}"}[kind]))
    return v


def _model(value, member, constraint):
    return _invalid("1 validation error detected: " + E._c(value, member, constraint))


def _length(value, member, lo, hi):
    if len(value) < lo:
        raise _model(value, member, "have length greater than or equal to %d" % lo)
    if len(value) > hi:
        raise _model(value, member, "have length less than or equal to %d" % hi)


def parse_request(doc):
    """The checked request: a dict of its members (absent ones None)."""
    req = {
        "types": _typed(doc, "ResourceTypeFilters", "strings"),
        "tag_filters": _typed(doc, "TagFilters", "tag filters"),
        "arns": _typed(doc, "ResourceARNList", "strings"),
        "per_page": _typed(doc, "ResourcesPerPage", "integer"),
        "tags_per_page": _typed(doc, "TagsPerPage", "integer"),
        "token": _typed(doc, "PaginationToken", "string"),
        "compliance": _typed(doc, "IncludeComplianceDetails", "boolean"),
        "exclude_compliant": _typed(doc, "ExcludeCompliantResources", "boolean"),
    }
    if req["token"] is not None and len(req["token"]) > MAX_TOKEN:
        raise _model("...", "paginationToken", "have length less than or equal to %d" % MAX_TOKEN)
    if req["types"] is not None:
        if len(req["types"]) > MAX_TYPE_FILTERS:
            raise _invalid("ResourceTypeFilters can hold at most %d resource types." % MAX_TYPE_FILTERS)
        for t in req["types"]:
            _length(t, "resourceTypeFilters.member", 0, 256)
            if not _TYPE_FILTER_RE.match(t):
                raise _invalid("Unsupported resource type filter '%s': the format is service[:resourceType]." % t)
    if req["tag_filters"] is not None:
        _length(req["tag_filters"], "tagFilters", 0, MAX_TAG_FILTERS)
        for f in req["tag_filters"]:
            if f.get("Key") is None:
                raise _invalid("Each TagFilter must contain a Key.")
            _length(f["Key"], "tagFilters.member.key", 1, 128)
            _length(f.get("Values") or [], "tagFilters.member.values", 0, MAX_TAG_VALUES)
            for v in f.get("Values") or ():
                _length(v, "tagFilters.member.values.member", 0, 256)
    if req["arns"] is not None:
        _length(req["arns"], "resourceARNList", 1, MAX_ARNS)
        if req["types"]:
            raise _invalid("You can't specify both ResourceARNList and ResourceTypeFilters in the same request.")
        if req["tag_filters"]:
            raise _invalid("You can't specify both ResourceARNList and TagFilters in the same request.")
        if req["per_page"] is not None or req["tags_per_page"] is not None or req["token"]:
            raise _invalid("You can't specify both ResourceARNList and pagination parameters (ResourcesPerPage, "
                           "TagsPerPage, PaginationToken) in the same request.")
        for arn in req["arns"]:
            _length(arn, "resourceARNList.member", 1, 1011)
            m = _ARN_RE.match(arn)
            if m is None:
                raise _invalid("%s is not a valid AmazonResourceName (ARN)." % arn)
            if m.group(1) != "aws":
                raise _invalid("The partition of %s does not match the partition of the request (aws)." % arn)
    if req["per_page"] is not None and not 1 <= req["per_page"] <= MAX_PER_PAGE:
        raise _invalid("ResourcesPerPage must be between 1 and %d." % MAX_PER_PAGE)
    if req["tags_per_page"] is not None and not TAGS_PER_PAGE[0] <= req["tags_per_page"] <= TAGS_PER_PAGE[1]:
        raise _invalid("TagsPerPage must be between %d and %d." % TAGS_PER_PAGE)
    if req["exclude_compliant"] and not req["compliance"]:
        raise _invalid("ExcludeCompliantResources can be true only when IncludeComplianceDetails is true.")
    return req


# --------------------------------------------------------------------------------------------
# GetResources
# --------------------------------------------------------------------------------------------
def _type_ok(rtype, filters):
    return not filters or any(rtype == f or rtype.split(":", 1)[0] == f for f in filters)


def _tags_ok(tags, filters):
    for f in filters or ():
        values = f.get("Values")
        if not any(t["key"] == f["Key"] and (not values or t["value"] in values) for t in tags):
            return False
    return True


def get_resources(store, region, doc, config, max_page_size, now=None):
    """The GetResources answer of the request document doc (raises ServiceError)."""
    now = time.time() if now is None else now
    req = parse_request(doc)
    order = config.get("tagging_order", "natural")
    ix = index(store, region)

    def entry(arn, obj):
        out = {"ResourceARN": arn, "Tags": _tags(arn, obj, order)}
        if req["compliance"]:
            out["ComplianceDetails"] = dict(_COMPLIANT)
        return out

    if req["exclude_compliant"]:
        return _finish({RESULT_KEY: []}, None, config)
    if req["arns"] is not None:
        found = [ix.by_arn[a] for a in dict.fromkeys(req["arns"]) if a in ix.by_arn]
        if order == "shuffled":
            found.sort(key=lambda c: _shuffle_key(c[0]))
        return _finish({RESULT_KEY: [entry(arn, obj) for arn, _, obj in found if obj.tags]}, None, config)

    types = req["types"] or ()
    tag_filters = req["tag_filters"] or ()
    fkey = hashlib.sha256(json.dumps([store.name, region, sorted(set(types)),
                                      sorted([f["Key"], sorted(f.get("Values") or [])] for f in tag_filters),
                                      order]).encode()).hexdigest()[:16]
    pos, page_no = decode_token(req["token"], fkey, now) if req["token"] else (0, 0)
    seq = ix.orders[order]

    def match(i):
        arn, rtype, obj = seq[i]
        if not _type_ok(rtype, types):
            return None
        tags = obj.tags
        return tags if tags and _tags_ok(tags, tag_filters) else None

    size = min(req["per_page"] or DEFAULT_PER_PAGE, max_page_size)
    short = config.get("tagging_pages") == "short"
    if short:       # the 2nd, 5th, ... page empty, the others a hash-drawn 1..max(1, size / 2)
        h = int.from_bytes(_shuffle_key(fkey, str(pos), str(page_no))[:4], "big")
        size = 0 if page_no % 3 == 1 else 1 + h % max(1, size // 2)
    cap = req["tags_per_page"]
    page, ntags, i = [], 0, pos
    while i < len(seq) and len(page) < size:
        tags = match(i)
        if tags is not None:
            if cap and page and ntags + len(tags) > cap:
                break
            page.append(seq[i])
            ntags += max(1, len(tags))
        i += 1
    if not short:   # a token only when another resource matches: it points at that one
        while i < len(seq) and match(i) is None:
            i += 1
    token = encode_token(i, page_no + 1, fkey, now) if i < len(seq) else None
    return _finish({RESULT_KEY: [entry(arn, obj) for arn, _, obj in page]}, token, config)


def _finish(doc, token, config):
    """The page with its PaginationToken: the token, or at the end as tagging_end and nulls say."""
    if token is not None:
        doc[TOKEN_MEMBER] = token
    elif config.get("tagging_end", "empty") == "empty":
        doc[TOKEN_MEMBER] = ""
    elif config.get("nulls") == "null":
        doc[TOKEN_MEMBER] = None
    return doc


def operate(op, store, region, body, config, max_page_size):
    if op == "GetResources":
        return get_resources(store, region, _body(body), config, max_page_size)
    raise _error("UnknownOperationException", None)


# --------------------------------------------------------------------------------------------
# Fault actions
# --------------------------------------------------------------------------------------------
def first_page_body(body):
    """The request body without its PaginationToken (repeat_token's first page)."""
    try:
        doc = json.loads(body.decode("utf-8")) if body.strip() else {}
    except (ValueError, UnicodeDecodeError):
        return body
    if isinstance(doc, dict):
        doc.pop(TOKEN_MEMBER, None)
        return json.dumps(doc).encode()
    return body


def request_token(body):
    try:
        doc = json.loads(body.decode("utf-8")) if body.strip() else {}
        token = doc.get(TOKEN_MEMBER) if isinstance(doc, dict) else None
        return token if isinstance(token, str) else None
    except (ValueError, UnicodeDecodeError):
        return None


def mutate(action, doc, mark):
    """non_utf8: the first entry's first tag Value; the other actions change nothing."""
    items = doc.get(RESULT_KEY) or []
    if action == "non_utf8" and items:
        tags = items[0].setdefault("Tags", [])
        if tags:
            tags[0]["Value"] = (tags[0].get("Value") or "") + mark
        else:
            tags.append({"Key": "emulator", "Value": mark})
    return doc
