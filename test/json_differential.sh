#!/bin/bash
# json_differential.sh: the JSON parser (src/json.c) against the json.c of
# another git revision, over bodies made from the emulator's fixtures and
# random mutations of them (test/json_differential.c says what is compared).
#
#   test/json_differential.sh REV [-n MUTANTS] [-s SEED] [DIR...]
#
# REV is the reference, e.g. 73f08bb (the last two-pass parser).  Seeds are
# Get, tags and List answers of the default, demo and large:300 fixtures,
# shaped as run.sh's fuzzer seeds, plus every file in each DIR (a fuzzer
# corpus kept with FUZZ_WORK, say).  Both parsers are built with ASan and
# UBSan.  Exits 1 on any difference.  Needs a checkout with REV's history.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
CC="${CC:-cc}"

[ $# -ge 1 ] || { echo "usage: $0 REV [-n MUTANTS] [-s SEED] [DIR...]" >&2; exit 2; }
REV="$1"; shift
OPTS=()
while [ $# -gt 0 ]; do
    case "$1" in
        -n|-s) OPTS+=("$1" "$2"); shift 2;;
        *) break;;
    esac
done

WORK="$(mktemp -d /tmp/bedrock_json_diff.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

git -C "$REPO" show "$REV:src/json.c" >"$WORK/ref_json.c"
CFLAGS="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Werror -I$REPO/src"
# every function the reference defines, so that the two link side by side
RENAME=()
for f in $(grep -oE '^bedrock_json_[a-z_0-9]+\(' "$WORK/ref_json.c" | tr -d '(' | sort -u); do
    RENAME+=("-D$f=ref_$f")
done
# shellcheck disable=SC2086
"$CC" $CFLAGS "${RENAME[@]}" -c -o "$WORK/ref_json.o" "$WORK/ref_json.c"
# shellcheck disable=SC2086
"$CC" $CFLAGS -o "$WORK/json_differential" "$REPO/test/json_differential.c" \
    "$REPO/src/json.c" "$WORK/ref_json.o"

mkdir -p "$WORK/seeds"
for set in default demo large:300; do
    python3 "$REPO/test/emulator.py" --dump-fixtures --fixtures "$set" >"$WORK/fixtures-${set%%:*}.json"
done
python3 - "$WORK" <<'EOF'
import json, os, sys
work = sys.argv[1]
seeds = []
for name in ("default", "demo", "large"):
    with open(os.path.join(work, "fixtures-%s.json" % name)) as f:
        jobs = json.load(f)["jobs"]
    for j in jobs[:40]:
        seeds.append(j["job"])
        seeds.append({"tags": j["tags"]})
    for size in (3, 50):
        for i in range(0, min(len(jobs), 2 * size), size):
            page = {"modelCustomizationJobSummaries": [j["summary"] for j in jobs[i:i + size]]}
            if i + size < len(jobs):
                page["nextToken"] = "+/+/eyJvIjogM30=="
            seeds.append(page)
seeds += [
    {"message": "The security token included in the request is invalid."},
    {"__type": "com.amazonaws#ValidationException", "message": "1 validation error detected"},
    {"a": "\u0000", "b": "caf\u00e9 \U0001F600", "c": [1.5e-3, -0, True, False, None]},
    ["2024-03-18T21:26:11.406Z", "2019-12-16T22:48:18+0530", 123456789012345678901234567890],
    None, 0, -1.5e300, "s", True, [], {},
]
deep = 64
for i in range(2):
    seeds.append(json.loads("[" * deep + "]" * deep))
    seeds.append(json.loads('{"k":' * (deep - 1) + "0" + "}" * (deep - 1)))
for i, s in enumerate(seeds):
    with open(os.path.join(work, "seeds", "seed%03d.json" % i), "w") as f:
        json.dump(s, f, ensure_ascii=(i % 2 == 0), indent=(2 if i % 3 == 0 else None),
                  separators=((",", ":") if i % 4 else None))
EOF
files=("$WORK"/seeds/*)
for d in "$@"; do
    files+=("$d"/*)
done
"$WORK/json_differential" "${OPTS[@]}" "${files[@]}"
