#!/bin/bash
# fault_matrix.sh: run every injected fault against every Bedrock operation through the FDW
# and print a table (fault | operation | region | expected | outcome | attempts | time | result)
# and "N passed, M failed".  Exits non-zero on any mismatch or if the server log shows a crash.
#
#   make -s && make -s install        # first: this script builds nothing
#   bench/fault_matrix.sh [--only SUBSTRING] [--jobs 1|2|3]
#
# Starts a throwaway cluster and the emulator (test/lib.sh, default fixtures, 5 jobs a page);
# KEEP_WORK=1 keeps the scratch directory (server log, emulator log).  The cases and the
# expected outcomes are in bench/fault_matrix.py.
set -uo pipefail
source "$(dirname "$0")/../test/lib.sh"
cd "$REPO"

if [ ! -f "$(pg_config --sharedir)/extension/bedrock_fdw.control" ]; then
    echo "fault_matrix: bedrock_fdw is not installed; run: make -s && make -s install" >&2
    exit 2
fi

start_env --max-page-size 5 || exit 1
trap stop_env EXIT

python3 "$REPO/bench/fault_matrix.py" "$@"
status=$?

if grep -E "PANIC|server process .* was terminated|TRAP:" "$WORK/postgres.log"; then
    echo "fault_matrix: the server log shows a crash"
    status=1
fi
exit $status
