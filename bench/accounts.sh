#!/bin/bash
# accounts.sh: bedrock_fdw over many accounts and regions in one scan (server options accounts,
# role_name, regions, max_concurrency), against the AWS SDK for JavaScript v3 with the same
# concurrency pool and against the lower bound, on one emulator with a fixed per-request
# latency; prints tables (see bench/accounts.py for what is measured and how; BENCHMARKS.md for
# results).
#
#   make -s && make -s install        # first: this script builds nothing
#   bench/accounts.sh [--accounts N] [--jobs M] [--latency MS] [accounts.py options]
#
# Defaults: 50 generated member accounts (emulator --org-accounts 50), each with 100 jobs in
# each of its enabled regions (--org-jobs-per-region 100), the server's regions
# us-east-1,us-west-2,eu-west-1,ap-northeast-1, latency 25 ms, max_concurrency 64, page_size 100
# (one List page per (account, region)), list-only, 3 runs after a warm-up.
# accounts.py options: --regions R1,R2,..., --concurrency N, --page-size N, --runs N,
# --mem-runs N, --skip-memory, --json FILE.  Takes about 2 minutes on 2 cores.
# The SDK side needs test/sdk/node_modules (test/sdk/run.sh installs it).  Exits 0 whether or
# not the targets are met; 1 if the benchmark could not run.  KEEP_WORK=1 keeps the scratch
# directory.
set -uo pipefail
source "$(dirname "$0")/../test/lib.sh"
cd "$REPO"

ACCOUNTS=50
JOBS=100
LATENCY=25
PASS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --accounts) ACCOUNTS="$2"; shift 2;;
        --jobs) JOBS="$2"; shift 2;;
        --latency) LATENCY="$2"; shift 2;;
        *) PASS+=("$1"); shift;;
    esac
done

if [ ! -f "$(pg_config --sharedir)/extension/bedrock_fdw.control" ]; then
    echo "accounts benchmark: bedrock_fdw is not installed; run: make -s && make -s install" >&2
    exit 1
fi
if [ ! -d test/sdk/node_modules/@aws-sdk/client-sts ]; then
    (cd test/sdk && npm ci --no-audit --no-fund >/dev/null) || {
        echo "accounts benchmark: cannot install the pinned SDK in test/sdk (npm ci)" >&2; exit 1; }
fi

start_env --org-accounts "$ACCOUNTS" --org-jobs-per-region "$JOBS" --latency "$LATENCY" || exit 1
trap stop_env EXIT

EMU_PID="$EMU_PID" python3 "$REPO/bench/accounts.py" --accounts "$ACCOUNTS" --jobs "$JOBS" "${PASS[@]}"
status=$?

if grep -E "PANIC|server process .* was terminated|TRAP:" "$WORK/postgres.log"; then
    echo "accounts benchmark: the server log shows a crash"
    status=1
fi
exit $status
