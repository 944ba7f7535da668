#!/bin/bash
# load_test.sh: pgbench with many clients running FDW queries against the emulator while it
# injects faults (2% each: 500, 503, connection reset, 429 ThrottlingException).
#
#   make -s && make -s install        # first: this script builds nothing
#   bench/load_test.sh [seconds=120] [clients=16]
#
# Each pgbench transaction calls run_fdw_query(random(1, 5)), a plpgsql function that runs one
# of five FDW queries (list only, status filter, region filter, a Get column, tags) inside an
# exception block and records the outcome (rows or SQLSTATE + message) in load_results, so an
# ERROR does not end the client (PG15's pgbench has no --continue-on-error).
#
# Reports transactions, tps, latency, errors by SQLSTATE and message, the emulator's request log
# (requests, injected faults, retries), backend memory and file descriptors; exits non-zero if
# the server log shows a crash or an ERROR/WARNING, if a query failed with a SQLSTATE outside
# the set expected of injected faults, if a query returned a wrong row count, or if a pgbench
# client aborted.  Loopback only; bounded by `timeout`.  KEEP_WORK=1 keeps the scratch directory.
set -uo pipefail
SECS="${1:-120}"
CLIENTS="${2:-16}"
THREADS=$(( CLIENTS < 4 ? CLIENTS : 4 ))
FAULT_P="${FAULT_P:-0.02}"
ALLOWED_SQLSTATES="${ALLOWED_SQLSTATES:-53400 HV000 08001}"
case "$SECS$CLIENTS" in *[!0-9]*) echo "usage: $0 [seconds] [clients]" >&2; exit 2;; esac

source "$(dirname "$0")/../test/lib.sh"
cd "$REPO"
if [ ! -f "$(pg_config --sharedir)/extension/bedrock_fdw.control" ]; then
    echo "load_test: bedrock_fdw is not installed; run: make -s && make -s install" >&2
    exit 2
fi

start_env --max-page-size 10 || exit 1
SAMPLER_PID=""
cleanup() {
    [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null
    stop_env
}
trap cleanup EXIT

PSQL=(psql -X -q -v ON_ERROR_STOP=1)
# caught errors are not logged; anything that is logged should not be there, so log SQLSTATEs
"${PSQL[@]}" -c "ALTER SYSTEM SET log_error_verbosity = 'verbose'" -c "SELECT pg_reload_conf()" >/dev/null

"${PSQL[@]}" <<SQL || exit 1
CREATE EXTENSION bedrock_fdw;
CREATE SERVER load FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2,eu-west-1', endpoint '$EMU_URL',
           connect_timeout '2', request_timeout '10');
CREATE USER MAPPING FOR CURRENT_USER SERVER load
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
IMPORT FOREIGN SCHEMA bedrock FROM SERVER load INTO public;

CREATE TABLE load_results (kind int, ok bool, n int, sqlstate text, message text,
                           ms float8, backend int, at timestamptz DEFAULT clock_timestamp());
CREATE TABLE load_expected (kind int PRIMARY KEY, n int);

CREATE FUNCTION fdw_query(kind int) RETURNS int LANGUAGE plpgsql AS \$\$
DECLARE n int;
BEGIN
  CASE kind
    WHEN 1 THEN   -- List only
      SELECT count(*) INTO n FROM bedrock_jobs WHERE job_name IS NOT NULL AND creation_time IS NOT NULL;
    WHEN 2 THEN   -- status pushdown: one List per status
      SELECT count(*) INTO n FROM bedrock_jobs WHERE status IN ('Failed', 'Stopped');
    WHEN 3 THEN   -- region pushdown
      SELECT count(*) INTO n FROM bedrock_jobs WHERE region = 'us-west-2';
    WHEN 4 THEN   -- a Get column: List + one Get per job
      SELECT count(role_arn) INTO n FROM bedrock_jobs WHERE status = 'InProgress';
    ELSE          -- tags: List + one ListTagsForResource per job
      SELECT count(tags) INTO n FROM bedrock_jobs WHERE region = 'eu-west-1';
  END CASE;
  RETURN n;
END \$\$;

CREATE FUNCTION run_fdw_query(kind int) RETURNS int LANGUAGE plpgsql AS \$\$
DECLARE n int; t0 timestamptz := clock_timestamp(); st text; msg text;
BEGIN
  BEGIN
    n := fdw_query(kind);
    INSERT INTO load_results (kind, ok, n, ms, backend)
      VALUES (kind, true, n, extract(epoch FROM clock_timestamp() - t0) * 1000, pg_backend_pid());
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    INSERT INTO load_results (kind, ok, sqlstate, message, ms, backend)
      VALUES (kind, false, st, msg, extract(epoch FROM clock_timestamp() - t0) * 1000, pg_backend_pid());
  END;
  RETURN n;
END \$\$;

-- the right answers, without faults
INSERT INTO load_expected SELECT k, fdw_query(k) FROM generate_series(1, 5) k;
SQL
echo "expected rows per kind: $("${PSQL[@]}" -At -c "SELECT string_agg(kind || '=' || n, ' ' ORDER BY kind) FROM load_expected")"

"$EMUCTL" reset
"$EMUCTL" faults "[
 {\"operation\": \"*\", \"status\": 500, \"error_type\": \"InternalServerException\", \"message\": \"Injected 500\", \"probability\": $FAULT_P, \"seed\": 11},
 {\"operation\": \"*\", \"status\": 503, \"error_type\": \"ServiceUnavailableException\", \"message\": \"Injected 503\", \"probability\": $FAULT_P, \"seed\": 12},
 {\"operation\": \"*\", \"action\": \"reset\", \"probability\": $FAULT_P, \"seed\": 13},
 {\"operation\": \"*\", \"status\": 429, \"error_type\": \"ThrottlingException\", \"message\": \"Rate exceeded\", \"probability\": $FAULT_P, \"seed\": 14}
]" || exit 1

# backend private memory (RssAnon: RSS without the shared buffers it touched) and open files, every 2 s
POSTMASTER="$(head -1 "$WORK/data/postmaster.pid")"
python3 - "$POSTMASTER" > "$WORK/backends.log" 2>/dev/null <<'PY' &
import os, sys, time
pm = sys.argv[1]
while True:
    now = int(time.time())
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                if f.read().rsplit(")", 1)[1].split()[1] != pm:
                    continue
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if b"[local]" not in f.read():
                    continue
            with open("/proc/%s/status" % pid) as f:
                rss = [l.split()[1] for l in f if l.startswith("RssAnon:")][0]
            fds = len(os.listdir("/proc/%s/fd" % pid))
        except (OSError, IndexError):
            continue
        print(now, pid, rss, fds, flush=True)
    time.sleep(2)
PY
SAMPLER_PID=$!

printf '\\set kind random(1, 5)\nSELECT run_fdw_query(:kind);\n' > "$WORK/load.pgbench"
echo "pgbench: $CLIENTS clients, $THREADS threads, ${SECS}s, faults at $FAULT_P each (500, 503, reset, 429)"
PGOPTIONS="-c statement_timeout=120s" timeout $(( SECS + 180 )) \
    pgbench -n -c "$CLIENTS" -j "$THREADS" -T "$SECS" -P 10 -f "$WORK/load.pgbench" \
    > "$WORK/pgbench.out" 2> "$WORK/pgbench.err"
PGBENCH_RC=$?
kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=""
"$EMUCTL" faults '[]'

# after the run: every kind still answers right in a fresh session
AFTER="$("${PSQL[@]}" -At -c "SELECT string_agg(kind || '=' || (fdw_query(kind) = n)::text, ' ' ORDER BY kind) FROM load_expected" 2>&1)"

python3 "$REPO/bench/load_report.py" --work "$WORK" --pgbench-rc "$PGBENCH_RC" \
    --allowed "$ALLOWED_SQLSTATES" --after "$AFTER" --emu-port "$EMU_PORT"
