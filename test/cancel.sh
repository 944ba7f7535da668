#!/bin/bash
# cancel.sh: pg_cancel_backend and pg_terminate_backend end a query at once,
# both while a request is in flight and while waiting between retries, with
# PostgreSQL's own errors; the next query in a session works.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"

start_env
trap stop_env EXIT
PSQL=("$PGBIN/psql" -X -At -d postgres -v ON_ERROR_STOP=0)

as_pg "${PSQL[@]}" -q <<SQL
CREATE EXTENSION bedrock_fdw;
CREATE SERVER c_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-west-2', endpoint '$EMU_URL', request_timeout '60');
CREATE USER MAPPING FOR CURRENT_USER SERVER c_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1', secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE c_jobs (job_name text) SERVER c_server;
-- a second server: the UNION ALL waits in the async Append, not in a scan
CREATE SERVER c_server2 FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'eu-west-1', endpoint '$EMU_URL', request_timeout '60');
CREATE USER MAPPING FOR CURRENT_USER SERVER c_server2
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1', secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE c_jobs2 (job_name text) SERVER c_server2;
CREATE VIEW c_both AS SELECT * FROM c_jobs UNION ALL SELECT * FROM c_jobs2;
SQL

status=0
# case name, fault rules, signal function, expected SQLSTATE; the query and
# the wait it is signalled in: QUERY and WAITING (a pg_stat_activity
# condition), by default a scan waiting inside the extension
run_case() {
    local name="$1" faults="$2" fn="$3" want="$4"
    local query="${QUERY:-SELECT count(*) FROM c_jobs}"
    local waiting="${WAITING:-wait_event_type = 'Extension'}"
    "$EMUCTL" faults "$faults"
    local start end got
    start=$(date +%s%N)
    as_pg "${PSQL[@]}" -c "SET application_name = 'cancel_victim'" \
        -c "\\set VERBOSITY verbose" -c "$query" \
        >"$WORK/victim.out" 2>&1 &
    local victim=$!
    # wait until the backend is waiting inside the extension (request or backoff)
    for _ in $(seq 1 100); do
        [ "$(as_pg "${PSQL[@]}" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cancel_victim' AND $waiting")" = "1" ] && break
        sleep 0.05
    done
    sleep 0.2
    local signalled
    signalled=$(as_pg "${PSQL[@]}" -c "SELECT $fn(pid) FROM pg_stat_activity WHERE application_name = 'cancel_victim'")
    : "$signalled"
    wait $victim || true
    end=$(date +%s%N)
    got=$(sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\):.*/\1/p; s/^FATAL:  \([0-9A-Z]\{5\}\):.*/\1/p' "$WORK/victim.out" | head -1)
    local ms=$(( (end - start) / 1000000 ))
    if [ "$got" = "$want" ] && [ $ms -lt 5000 ]; then
        echo "ok - $name: $got after ${ms} ms"
    else
        echo "not ok - $name: got '${got}' after ${ms} ms, want $want promptly"; cat "$WORK/victim.out"
        status=1
    fi
    "$EMUCTL" reset
}

stall='[{"operation": "*", "status": 200, "delay": 30, "body": "{}"}]'
backoff='[{"operation": "*", "status": 503, "retry_after": "30"}]'
run_case "cancel mid-request" "$stall" pg_cancel_backend 57014
run_case "cancel mid-backoff" "$backoff" pg_cancel_backend 57014
run_case "terminate mid-request" "$stall" pg_terminate_backend 57P01
run_case "terminate mid-backoff" "$backoff" pg_terminate_backend 57P01
# the same while an async Append waits on both servers' scans
QUERY="SELECT count(*) FROM c_both" WAITING="wait_event = 'AppendReady'" \
    run_case "cancel mid-request, async" "$stall" pg_cancel_backend 57014
QUERY="SELECT count(*) FROM c_both" WAITING="wait_event = 'AppendReady'" \
    run_case "cancel mid-backoff, async" "$backoff" pg_cancel_backend 57014
QUERY="SELECT count(*) FROM c_both" WAITING="wait_event = 'AppendReady'" \
    run_case "terminate mid-request, async" "$stall" pg_terminate_backend 57P01

# the session after a cancel still works, and the server did not crash
out=$(as_pg "${PSQL[@]}" -c "SELECT 1" -c "SELECT count(*) FROM c_jobs" -c "SELECT count(*) FROM c_both")
if [ "$(echo "$out" | tail -2 | tr '\n' ' ')" = "8 13 " ]; then echo "ok - queries work afterwards"; else echo "not ok - afterwards: $out"; status=1; fi
if grep -E "PANIC|terminated by signal|TRAP:" "$WORK/postgres.log"; then echo "not ok - crash"; status=1; fi
exit $status
