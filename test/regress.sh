#!/bin/bash
# regress.sh: run the pg_regress suite (REGRESS and REGRESS_OWN_CLUSTER in
# the Makefile) against a throwaway cluster and the Bedrock emulator.
# Expects the extension to be installed (make install).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"

start_env --max-page-size 5
trap stop_env EXIT

# credentials first: it shows the key ids the emulator issues, numbered from
# its start, and accounts (in REGRESS) has STS issue keys too
tests="${REGRESS_TESTS:-$(sed -n 's/^REGRESS_OWN_CLUSTER = //p' Makefile) $(sed -n 's/^REGRESS = //p' Makefile)}"

status=0
# shellcheck disable=SC2086
run_regress "$WORK/out" $tests || status=$?

if [ $status -ne 0 ]; then
    [ -f "$WORK/out/regression.diffs" ] && cat "$WORK/out/regression.diffs"
    cp "$WORK/out/regression.diffs" "$REPO/regression.diffs" 2>/dev/null || true
    echo "--- server log (tail) ---"; tail -50 "$WORK/postgres.log"
fi
check_log_and_outputs regress "$WORK"/out/results/*.out || status=1
exit $status
