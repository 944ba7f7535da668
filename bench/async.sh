#!/bin/bash
# async.sh: a UNION ALL of three bedrock foreign tables, one per server, each
# request answered after a fixed latency: the wall time with async_capable on
# (every server's scan at once) and off (one after the other), and the ratio.
# A figure, not a test: it prints, and exits 0 whatever the times.
#
#   make -s && make -s install        # first: this script builds nothing
#   bench/async.sh [--latency MS] [--runs N] [--page-size N]
#
# Defaults: latency 25 ms, 7 runs of each after a warm-up (the median is
# printed), the emulator's whole fixture pages (one List call per server:
# us-east-1's 24 jobs, us-west-2's 8, eu-west-1's 5); --page-size 5 makes
# them 5, 2 and 1 pages.  Times are taken in the server (clock_timestamp
# around the query), so psql's start is not in them.  KEEP_WORK=1 keeps the
# scratch directory.
set -uo pipefail
source "$(dirname "$0")/../test/lib.sh"
cd "$REPO"

LATENCY=25
RUNS=7
PAGE=()
while [ $# -gt 0 ]; do
    case "$1" in
        --latency) LATENCY="$2"; shift 2;;
        --runs) RUNS="$2"; shift 2;;
        --page-size) PAGE=(--max-page-size "$2"); shift 2;;
        *) echo "usage: bench/async.sh [--latency MS] [--runs N] [--page-size N]" >&2; exit 1;;
    esac
done

if [ ! -f "$(pg_config --sharedir)/extension/bedrock_fdw.control" ]; then
    echo "async benchmark: bedrock_fdw is not installed; run: make -s && make -s install" >&2
    exit 1
fi

start_env "${PAGE[@]}" || exit 1
trap stop_env EXIT
"$EMUCTL" config "{\"latency_ms\": $LATENCY, \"jitter_ms\": 0}" >/dev/null

as_pg "$PGBIN/psql" -X -q -At -d postgres -v ON_ERROR_STOP=1 <<SQL || exit 1
CREATE EXTENSION bedrock_fdw;
DO \$\$
DECLARE
  r text;
  i int := 0;
BEGIN
  FOREACH r IN ARRAY ARRAY['us-east-1', 'us-west-2', 'eu-west-1'] LOOP
    i := i + 1;
    EXECUTE format('CREATE SERVER b%s FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions %L, endpoint %L)',
                   i, r, '$EMU_URL');
    EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER b%s OPTIONS (access_key_id %L, secret_access_key %L)',
                   i, 'AKIDEMULATOREXAMPLE1', 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
    EXECUTE format('CREATE FOREIGN TABLE j%s (region text, job_name text, status text) SERVER b%s', i, i);
  END LOOP;
END
\$\$;
CREATE VIEW all_jobs AS
  SELECT * FROM j1 UNION ALL SELECT * FROM j2 UNION ALL SELECT * FROM j3;
-- milliseconds a query takes in the server
CREATE FUNCTION time_ms(query text) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE
  t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE query;
  RETURN extract(epoch FROM clock_timestamp() - t0) * 1000;
END
\$\$;
-- the median of runs of a query, after one warm-up run
CREATE FUNCTION median_ms(query text, runs int) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE
  times float8[] := '{}';
BEGIN
  PERFORM time_ms(query);
  FOR i IN 1..runs LOOP
    times := times || time_ms(query);
  END LOOP;
  RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(times) t);
END
\$\$;
SQL

query="SELECT region, count(*) FROM all_jobs GROUP BY region"
run() {
    as_pg "$PGBIN/psql" -X -q -At -d postgres -v ON_ERROR_STOP=1 \
        -c "SELECT round(median_ms('$query', $RUNS)::numeric, 1)"
}
async_ms=$(run) || exit 1
as_pg "$PGBIN/psql" -X -q -At -d postgres -v ON_ERROR_STOP=1 \
    -c "ALTER SERVER b1 OPTIONS (ADD async_capable 'false')" \
    -c "ALTER SERVER b2 OPTIONS (ADD async_capable 'false')" \
    -c "ALTER SERVER b3 OPTIONS (ADD async_capable 'false')" || exit 1
sync_ms=$(run) || exit 1

lists=$("$EMUCTL" requests --summary | grep -c '^ListModelCustomizationJobs' || true)
echo "bedrock_fdw async Append: UNION ALL of 3 servers (us-east-1, us-west-2, eu-west-1), list-only;"
echo "emulator latency ${LATENCY} ms a request, jitter 0${PAGE[*]:+, ${PAGE[*]}}; median of $RUNS runs after a warm-up"
echo "($lists List calls in all $((2 * (RUNS + 1))) runs)"
printf '%-28s %10s ms\n' "async_capable true" "$async_ms" "async_capable false" "$sync_ms"
awk -v a="$async_ms" -v s="$sync_ms" 'BEGIN { printf "%-28s %10.2f\n", "ratio (false / true)", s / a }'
