#!/bin/bash
# json_parse.sh: instructions of the JSON parser (src/json.c) per byte of
# Bedrock answers, and of a member lookup, counted by callgrind; the working
# tree's json.c and, to compare, that of each REV given.  A figure, not a
# test: it prints, and exits 0 whatever the counts.
#
#   bench/json_parse.sh [REV...]       e.g. bench/json_parse.sh 73f08bb
#
# Bodies are the emulator's large:2000 fixture as it sends them (compact
# json.dumps): one List page of 1,000 summaries, and the 2,000 Get answers
# parsed one by one.  Counts are callgrind's inclusive ones of
# bedrock_json_parse_doc and bedrock_json_member (bench/json_parse.c looks up
# the members convert.c reads), built with PostgreSQL's own CFLAGS.
# Needs valgrind.  Takes about 10 s a revision.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
CC="${CC:-cc}"
command -v valgrind >/dev/null || { echo "json_parse: valgrind not found" >&2; exit 1; }

WORK="$(mktemp -d /tmp/bedrock_json_parse.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

python3 "$REPO/test/emulator.py" --dump-fixtures --fixtures large:2000 >"$WORK/fixtures.json"
python3 - "$WORK" <<'PY'
import json, os, sys
work = sys.argv[1]
jobs = json.load(open(os.path.join(work, "fixtures.json")))["jobs"]
dump = lambda doc: json.dumps(doc, separators=(",", ":")).encode()
page = {"modelCustomizationJobSummaries": [j["summary"] for j in jobs[:1000]],
        "nextToken": "eyJmIjoiMDEyMzQ1Njc4OWFiY2RlZiIsIm0iOiIwMTIzNDU2Nzg5YWJjZGVmIiwibyI6MTAwMH0="}
open(os.path.join(work, "list.json"), "wb").write(dump(page))
open(os.path.join(work, "gets.jsonl"), "wb").write(b"\n".join(dump(j["job"]) for j in jobs))
PY

CFLAGS="$(pg_config --cflags) -I$REPO/src"
printf '%-12s %-6s %10s %12s %8s %8s %12s %8s\n' \
    json.c body bytes parse "a byte" lookups lookup "a lookup"
measure() {
    local name="$1" src="$2" mode bodyfile out counts
    # shellcheck disable=SC2086
    $CC $CFLAGS -o "$WORK/json_parse" "$REPO/bench/json_parse.c" "$src"
    for mode in list gets; do
        bodyfile="$WORK/list.json"
        [ $mode = gets ] && bodyfile="$WORK/gets.jsonl"
        out="$WORK/callgrind.$mode.out"
        read -r _ _ bytes _ lookups _ < <(valgrind --tool=callgrind --callgrind-out-file="$out" \
            "$WORK/json_parse" $mode "$bodyfile" 2>/dev/null | tr -d ,)
        counts="$(callgrind_annotate --inclusive=yes "$out" 2>/dev/null | tr -d , |
            awk '/:bedrock_json_parse_doc \[/ { p = $1 } /:bedrock_json_member \[/ { m = $1 }
                 END { print p + 0, m + 0 }')"
        read -r parse member <<<"$counts"
        awk -v n="$name" -v m=$mode -v b="$bytes" -v p="$parse" -v l="$lookups" -v k="$member" \
            'BEGIN { printf "%-12s %-6s %10d %12d %8.2f %8d %12d %8.1f\n", n, m, b, p, p / b, l, k, k / l }' 
    done
}
measure "working tree" "$REPO/src/json.c"
for rev in "$@"; do
    git -C "$REPO" show "$rev:src/json.c" >"$WORK/json_$rev.c"
    measure "$rev" "$WORK/json_$rev.c"
done
