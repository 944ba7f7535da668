#!/bin/bash
# checkout.sh: the README's commands work from any checkout, even one the
# "postgres" user cannot read, as root's home (mode 700) or a mktemp -d
# directory: the demo and a pg_regress file run from such a copy.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"

outer="$(mktemp -d)"
trap 'rm -rf "$outer"' EXIT
chmod 700 "$outer"
copy="$outer/bedrock_fdw"
mkdir "$copy"
tar -C "$REPO" --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
    --exclude=node_modules -cf - . | tar -C "$copy" -xf -

status=0
if bash "$copy/test/demo.sh" >"$outer/demo.log" 2>&1 &&
    grep -q "^Demo done" "$outer/demo.log"; then
    echo "ok - make demo from a checkout in a mode-700 directory"
else
    echo "not ok - make demo from a checkout in a mode-700 directory"
    tail -20 "$outer/demo.log"
    status=1
fi
if REGRESS_TESTS="options columns" bash "$copy/test/regress.sh" >"$outer/regress.log" 2>&1; then
    echo "ok - pg_regress from a checkout in a mode-700 directory"
else
    echo "not ok - pg_regress from a checkout in a mode-700 directory"
    tail -30 "$outer/regress.log"
    status=1
fi
exit $status
