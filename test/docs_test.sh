#!/bin/bash
# The per-table docs (docs/tables/*.md, docs/README.md) are generated from the
# resource catalog: regenerate them into a temporary directory and compare
# with the committed ones, so that they can never drift from src/resources.c.
# Also checks that README.md links every table's page.  Needs nothing from
# ../shared.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "docs_test: FAIL: $*" >&2; exit 1; }

make -s test/catalog_dump || fail "cannot build test/catalog_dump"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

test/catalog_dump > "$tmp/catalog.json" || fail "test/catalog_dump failed"
python3 docs/generate.py "$tmp/catalog.json" --out "$tmp/docs" \
    || fail "docs/generate.py failed"

if ! diff -ru docs/tables "$tmp/docs/tables" > "$tmp/diff" ||
   ! diff -u docs/README.md "$tmp/docs/README.md" >> "$tmp/diff"; then
    cat "$tmp/diff" >&2
    fail "docs/ differs from what the catalog generates; run: make -s test/catalog_dump && test/catalog_dump | python3 docs/generate.py"
fi

# the top README's table list links every page
missing=$(python3 - "$tmp/catalog.json" <<'PY'
import json, sys
readme = open("README.md", encoding="utf-8").read()
print(" ".join(r["table"] for r in json.load(open(sys.argv[1]))
               if "(docs/tables/%s.md)" % r["table"] not in readme))
PY
)
[ -z "$missing" ] || fail "README.md does not link docs/tables/ for: $missing"

echo "docs_test: docs/ matches the catalog ($(ls docs/tables | wc -l) tables)"
