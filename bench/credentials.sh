#!/bin/bash
# credentials.sh: what credentials cost.  With a role_arn on the server,
# each backend calls STS AssumeRole once and reuses the role's credentials
# until they near expiry; a new connection per query pays one STS call.
#
#   make -s && make -s install        # first: this script builds nothing
#   bench/credentials.sh [seconds=20] [clients=8] [latency_ms=25]
#
# Runs pgbench four ways against the emulator (every request, STS included,
# delayed by latency_ms): user mapping keys or a role, with persistent
# connections or a new connection per transaction (-C).  Prints tps, mean
# latency, and the AssumeRole and Bedrock calls the emulator logged.
set -euo pipefail
SECS="${1:-20}"
CLIENTS="${2:-8}"
LATENCY="${3:-25}"
case "$SECS$CLIENTS$LATENCY" in *[!0-9]*) echo "usage: $0 [seconds] [clients] [latency_ms]" >&2; exit 2;; esac

source "$(dirname "$0")/../test/lib.sh"
cd "$REPO"
start_env
trap stop_env EXIT
"$EMUCTL" config "{\"latency_ms\": $LATENCY}" >/dev/null

psql -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION bedrock_fdw;
CREATE SERVER keys FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', endpoint '$EMU_URL');
CREATE SERVER role FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', endpoint '$EMU_URL', sts_endpoint '$EMU_URL',
           role_arn 'arn:aws:iam::123456789012:role/bedrock-local');
CREATE USER MAPPING FOR CURRENT_USER SERVER keys
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE USER MAPPING FOR CURRENT_USER SERVER role
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE keys_jobs (job_name text, status text) SERVER keys;
CREATE FOREIGN TABLE role_jobs (job_name text, status text) SERVER role;
SQL

printf '%-6s %-12s %8s %10s %12s %13s\n' server connections tps "lat ms" AssumeRole "Bedrock calls"
for server in keys role; do
    echo "SELECT count(*) FROM ${server}_jobs WHERE status = 'Failed';" >"$WORK/$server.sql"
    for mode in persistent per-query; do
        flag=""
        [ "$mode" = per-query ] && flag="-C"
        "$EMUCTL" reset
        # shellcheck disable=SC2086
        out="$("$PGBIN/pgbench" -n $flag -c "$CLIENTS" -j "$CLIENTS" -T "$SECS" -f "$WORK/$server.sql" postgres 2>&1)"
        tps="$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)"
        lat="$(echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')"
        log="$("$EMUCTL" requests --keys)"
        sts="$(echo "$log" | grep -c '^AssumeRole ' || true)"
        calls="$(echo "$log" | grep -c '^ListModelCustomizationJobs ' || true)"
        printf '%-6s %-12s %8.1f %10s %12s %13s\n' "$server" "$mode" "$tps" "$lat" "$sts" "$calls"
    done
done
