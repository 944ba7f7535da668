#!/bin/bash
# run.sh: build the libFuzzer harnesses (fuzz_json, fuzz_sigv4, fuzz_xml) with
# AddressSanitizer and UndefinedBehaviorSanitizer, and run each one.
#
#   test/fuzz/run.sh [SECONDS]      default 20 seconds per harness
#
# Everything is built and run in a scratch directory, never in the repository.
# The seed corpora are made at run time: responses from the emulator's
# fixtures (test/emulator.py --dump-fixtures) for fuzz_json, the raw requests
# of the SigV4 test suite (SUITE_DIR, default ../shared/aws/sigv4-testsuite)
# for fuzz_sigv4, STS answers and errors as AWS sends them for fuzz_xml.
# Prints executions and coverage (libFuzzer's cov/ft) per
# harness; exits non-zero on any crash, leak, timeout or sanitizer report,
# keeping the scratch directory with the reproducer.
#
# Environment: CC (default clang), SUITE_DIR, FUZZ_WORK (scratch directory
# to use and keep: its corpora grow from run to run), KEEP_WORK=1 (keep the
# scratch directory).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
SECONDS_EACH="${1:-20}"
CC="${CC:-clang}"
SUITE_DIR="${SUITE_DIR:-$REPO/../shared/aws/sigv4-testsuite}"

case "$SECONDS_EACH" in
    ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
command -v "$CC" >/dev/null || { echo "fuzz: $CC not found (apt-get install clang)" >&2; exit 1; }
# without ../shared (a public mirror's clone) the signer's fuzzer starts from no seeds
[ -d "$SUITE_DIR" ] || echo "fuzz: no SigV4 test suite at $SUITE_DIR (it comes with ../shared): fuzz_sigv4 starts without seeds"

if [ -n "${FUZZ_WORK:-}" ]; then
    WORK="$FUZZ_WORK"
    mkdir -p "$WORK"
    KEEP_WORK=1
else
    WORK="$(mktemp -d /tmp/bedrock_fuzz.XXXXXX)"
fi
status=1                        # until every harness has run clean
cleanup() {
    if [ $status -ne 0 ] || [ -n "${KEEP_WORK:-}" ]; then
        echo "fuzz: kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# --- build -----------------------------------------------------------------
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
        -fno-omit-frame-pointer -Wall -Werror -I$REPO/src"
# shellcheck disable=SC2086
"$CC" $CFLAGS -o "$WORK/fuzz_json" "$REPO/test/fuzz/fuzz_json.c" \
    "$REPO/src/json.c" "$REPO/src/awstime.c"
# shellcheck disable=SC2086
"$CC" $CFLAGS -I"$REPO/test" -o "$WORK/fuzz_sigv4" "$REPO/test/fuzz/fuzz_sigv4.c" \
    "$REPO/test/sigv4_request.c" "$REPO/src/sigv4.c" -lcrypto
# shellcheck disable=SC2086
"$CC" $CFLAGS $(pkg-config --cflags libxml-2.0) -o "$WORK/fuzz_xml" \
    "$REPO/test/fuzz/fuzz_xml.c" "$REPO/src/xml.c" $(pkg-config --libs libxml-2.0)

# --- seeds -----------------------------------------------------------------
mkdir -p "$WORK/seed_json" "$WORK/seed_sigv4" "$WORK/corpus_json" "$WORK/corpus_sigv4" \
    "$WORK/seed_xml" "$WORK/corpus_xml"
for set in default demo; do
    python3 "$REPO/test/emulator.py" --dump-fixtures --fixtures "$set" >"$WORK/fixtures-$set.json"
done
python3 - "$WORK" <<'EOF'
import json, os, sys
work = sys.argv[1]
seeds, keys = [], set()

def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            keys.add(k)
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)

for name in ("default", "demo"):
    with open(os.path.join(work, "fixtures-%s.json" % name)) as f:
        jobs = json.load(f)["jobs"]
    for j in jobs:
        walk(j)
        seeds.append(j["job"])                       # GetModelCustomizationJob
        seeds.append({"tags": j["tags"]})            # ListTagsForResource
    for i in range(0, len(jobs), 3):                 # ListModelCustomizationJobs pages
        page = {"modelCustomizationJobSummaries": [j["summary"] for j in jobs[i:i + 3]]}
        if i + 3 < len(jobs):
            page["nextToken"] = "+/+/eyJvIjogM30=="
        seeds.append(page)
seeds += [
    {"message": "The security token included in the request is invalid."},
    {"__type": "com.amazonaws#ValidationException", "message": "1 validation error detected"},
    {"Code": "ThrottlingException", "Message": "Rate exceeded"},
    {"modelCustomizationJobSummaries": []},
    {"a": "\u0000", "b": "caf\u00e9 \U0001F600", "c": [1.5e-3, -0, True, False, None]},
    ["2024-03-18T21:26:11.406Z", "2019-12-16T22:48:18+0530", "2016-12-31 23:59:60"],
]
for i, s in enumerate(seeds):
    with open(os.path.join(work, "seed_json", "seed%03d.json" % i), "w") as f:
        json.dump(s, f, ensure_ascii=(i % 2 == 0), indent=(2 if i % 3 == 0 else None))

# a dictionary of the tokens responses are made of
toks = {"{", "}", "[", "]", ":", ",", '"', "true", "false", "null", "-0", "1e+5",
        "\\u0000", "\\ud83d\\ude00", "\\\"", "\\n", "2024-03-18T21:26:11.406Z", "+05:30"}
toks |= {'"%s"' % k for k in keys}
with open(os.path.join(work, "json.dict"), "w") as f:
    for t in sorted(toks):
        f.write('"%s"\n' % "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "\\x%02x" % ord(c)
                                  for c in t))
EOF
# STS answers: success (both actions) and errors, shaped as AWS sends them
python3 - "$WORK/seed_xml" <<'EOF'
import os, sys
d = sys.argv[1]
ns = 'xmlns="https://sts.amazonaws.com/doc/2011-06-15/"'
creds = ("<Credentials><AccessKeyId>ASIASTS0000000000001</AccessKeyId>"
         "<SecretAccessKey>s3cr3t+/=</SecretAccessKey><SessionToken>IQoJb3JpZ2luX2Vj&amp;x</SessionToken>"
         "<Expiration>2026-11-27T16:32:00Z</Expiration></Credentials>")
seeds = [
    '<AssumeRoleResponse %s>\n  <AssumeRoleResult>\n    %s\n    <AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId>'
    '<Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>\n  </AssumeRoleResult>\n'
    '  <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>\n</AssumeRoleResponse>\n' % (ns, creds),
    '<?xml version="1.0" encoding="UTF-8"?><AssumeRoleWithWebIdentityResponse %s><AssumeRoleWithWebIdentityResult>%s'
    '<SubjectFromWebIdentityToken>system:serviceaccount:a:b</SubjectFromWebIdentityToken>'
    '</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>' % (ns, creds),
    '<ErrorResponse %s>\n  <Error>\n    <Type>Sender</Type>\n    <Code>AccessDenied</Code>\n'
    '    <Message>User: arn:aws:iam::1:user/x is not authorized &#x263A;</Message>\n  </Error>\n'
    '  <RequestId>2</RequestId>\n</ErrorResponse>\n' % ns,
    '<ErrorResponse><Error><Code><![CDATA[Throttling]]></Code><!-- c --><Message/></Error></ErrorResponse>',
]
for i, s in enumerate(seeds):
    with open(os.path.join(d, "seed%02d.xml" % i), "w") as f:
        f.write(s)
toks = ["<", ">", "</", "/>", "<?xml", "?>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;",
        "&#x263A;", "&#65;", 'xmlns="', "AssumeRoleResponse", "AssumeRoleResult",
        "AssumeRoleWithWebIdentityResponse", "AssumeRoleWithWebIdentityResult", "Credentials",
        "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "ErrorResponse",
        "Error", "Code", "Message", "<!DOCTYPE", "<!ENTITY"]
with open(os.path.join(os.path.dirname(d), "xml.dict"), "w") as f:
    for t in toks:
        f.write('"%s"\n' % t.replace('"', '\\x22'))
EOF

n=0
while IFS= read -r -d '' f; do
    n=$((n + 1))
    cp "$f" "$WORK/seed_sigv4/$(printf 'req%03d' "$n")"
done < <([ -d "$SUITE_DIR" ] && find "$SUITE_DIR" \( -name request.txt -o -name '*.req' \) -print0 | sort -z)

# --- run -------------------------------------------------------------------
# run_fuzzer NAME [extra libFuzzer flags...]
run_fuzzer() {
    local name="$1"; shift
    local log="$WORK/$name.log"
    local rc=0
    local start=$SECONDS
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:symbolize=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        "$WORK/$name" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$WORK/$name-" "$@" \
        "$WORK/corpus_${name#fuzz_}" "$WORK/seed_${name#fuzz_}" >"$log" 2>&1 || rc=$?

    local execs cov ft corp
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    [ -n "$execs" ] || execs="$( (grep -oE '^#[0-9]+' "$log" || true) | tail -1 | tr -d '#')"
    cov="$( (grep -oE 'cov: [0-9]+' "$log" || true) | tail -1 | awk '{print $2}')"
    ft="$( (grep -oE 'ft: [0-9]+' "$log" || true) | tail -1 | awk '{print $2}')"
    corp="$( (grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" || true) | tail -1 | awk '{print $2}')"
    printf '%-12s %4ss  execs %-10s cov %-6s ft %-6s corpus %s' \
        "$name" "$((SECONDS - start))" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}"
    if [ $rc -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' "$log"; then
        echo "  FAILED (exit $rc)"
        grep -E 'ERROR:|runtime error:|SUMMARY:|^fuzz_|Test unit written' "$log" | head -20 || true
        echo "--- log: $log"
        status=1
    else
        echo "  ok"
    fi
}

echo "fuzz: $SECONDS_EACH s per harness in $WORK"
status=0
run_fuzzer fuzz_json -dict="$WORK/json.dict" -max_len=16384
run_fuzzer fuzz_sigv4 -max_len=4096
run_fuzzer fuzz_xml -dict="$WORK/xml.dict" -max_len=8192
exit $status
