#!/bin/bash
# installcheck.sh: `make installcheck` as PGXS users and Debian's
# pg_buildext run it, against a running server (a throwaway cluster here),
# from a copy of the checkout in a mode-700 directory, without ../shared.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"

start_env
trap 'stop_env; rm -rf "$outer"' EXIT
outer="$(mktemp -d)"
copy="$outer/bedrock_fdw"
mkdir "$copy"
tar -C "$REPO" --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
    --exclude=node_modules -cf - . | tar -C "$copy" -xf -

if make -s -C "$copy" installcheck PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER=postgres \
    >"$outer/installcheck.log" 2>&1; then
    grep -E "tests passed|^ok |^# All" "$outer/installcheck.log" | tail -2
    echo "ok - make installcheck against a running server, without ../shared"
    exit 0
fi
cat "$outer/installcheck.log" | tail -40
[ -f "$copy/regression.diffs" ] && head -80 "$copy/regression.diffs"
echo "not ok - make installcheck against a running server, without ../shared"
exit 1
