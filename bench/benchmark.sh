#!/bin/bash
# benchmark.sh: bedrock_fdw against the AWS SDK for JavaScript v3 and against the lower bound,
# on one emulator with a fixed per-request latency; prints tables (see bench/benchmark.py for
# what is measured and how; BENCHMARKS.md for results).
#
#   make -s && make -s install        # first: this script builds nothing
#   bench/benchmark.sh [--latency MS] [--jitter MS] [--fixtures large:N] [benchmark.py options]
#
# Defaults: --latency 25, no jitter, --fixtures large:2000 (1,000 jobs in each of us-east-1
# and us-west-2), max_concurrency 16, page sizes 100 and 1000, 3 runs after a warm-up.
# benchmark.py options: --runs N, --page-sizes 100,1000, --cases list,star,star_tags_api,
# warm_get,warm_get_terminal,status,point,top10,point_star, --skip-memory,
# --memory-jobs 1000,10000,100000, --memory-get-page-sizes 100,1000, --skip-cpu, --json FILE.
# Takes about 10 minutes on 2 cores (the memory query with a Get per job at 100,000 jobs:
# over a minute per page size).
# The SDK side needs test/sdk/node_modules (test/sdk/run.sh installs it).  Exits 0 whether or
# not the targets are met; 1 if the benchmark could not run.  KEEP_WORK=1 keeps the scratch
# directory.
set -uo pipefail
source "$(dirname "$0")/../test/lib.sh"
cd "$REPO"

LATENCY=25
JITTER=0
FIXTURES=large:2000
PASS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --latency) LATENCY="$2"; shift 2;;
        --jitter) JITTER="$2"; shift 2;;
        --fixtures) FIXTURES="$2"; shift 2;;
        *) PASS+=("$1"); shift;;
    esac
done

if [ ! -f "$(pg_config --sharedir)/extension/bedrock_fdw.control" ]; then
    echo "benchmark: bedrock_fdw is not installed; run: make -s && make -s install" >&2
    exit 1
fi
if [ ! -d test/sdk/node_modules/@aws-sdk/client-bedrock ]; then
    (cd test/sdk && npm ci --no-audit --no-fund >/dev/null) || {
        echo "benchmark: cannot install the pinned SDK in test/sdk (npm ci)" >&2; exit 1; }
fi

start_env --fixtures "$FIXTURES" --latency "$LATENCY" --jitter "$JITTER" || exit 1
trap stop_env EXIT

EMU_PID="$EMU_PID" python3 "$REPO/bench/benchmark.py" --latency "$LATENCY" --jitter "$JITTER" "${PASS[@]}"
status=$?

if grep -E "PANIC|server process .* was terminated|TRAP:" "$WORK/postgres.log"; then
    echo "benchmark: the server log shows a crash"
    status=1
fi
exit $status
