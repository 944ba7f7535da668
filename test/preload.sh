#!/bin/bash
# preload.sh: bedrock_fdw in shared_preload_libraries.  The detail cache is
# then in shared memory: Get answers one backend kept are read by another,
# within bedrock_fdw.detail_cache_size (set at server start), and
# bedrock_fdw_clear_cache() in any backend empties it for all.  Each check is
# proven from the emulator's request log.
#
#   make -s && make -s install; bash test/preload.sh
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"

start_env --fixtures large:100 || exit 1   # 50 jobs in each of us-east-1 and us-west-2
trap stop_env EXIT
stop_pg
cat >>"$WORK/data/postgresql.conf" <<EOF
shared_preload_libraries = 'bedrock_fdw'
bedrock_fdw.detail_cache_size = '256kB'
EOF
start_pg

failures=0
psql_q() { as_pg "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d postgres "$@"; }
check() {   # check WHAT GOT WANT
    if [ "$2" = "$3" ]; then
        echo "ok: $1 ($2)"
    else
        echo "FAIL: $1: got '$2', want '$3'"
        failures=$((failures + 1))
    fi
}
gets() { "$EMUCTL" requests --summary | grep -c '^GetModelCustomizationJob '; }

psql_q <<EOF || exit 1
CREATE EXTENSION bedrock_fdw;
CREATE SERVER emu FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-west-2', endpoint '$EMU_URL');
CREATE USER MAPPING FOR CURRENT_USER SERVER emu
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE jobs (job_name text, status text, role_arn text) SERVER emu;
EOF

check "the size is the server's, set at start" \
    "$(psql_q -c 'SHOW bedrock_fdw.detail_cache_size')" "256kB"
check "a session cannot change it" \
    "$(psql_q -c 'SET bedrock_fdw.detail_cache_size = 0' 2>&1 | grep -c 'cannot be changed')" "1"

terminal="$(psql_q -c "SELECT count(*) FROM jobs WHERE status IN ('Completed', 'Failed', 'Stopped')")"
all="$(psql_q -c "SELECT count(*) FROM jobs")"

# one backend fills it ...
"$EMUCTL" reset
first="$(psql_q -c 'SELECT count(role_arn) FROM jobs')"
check "a cold scan gets every job" "$(gets)" "$all"
# ... and another one, a new connection, reads it
"$EMUCTL" reset
second="$(psql_q -c 'SELECT count(role_arn) FROM jobs')"
check "another backend gets only the jobs that may change" "$(gets)" "$((all - terminal))"
check "with the same rows" "$second" "$first"
check "and EXPLAIN ANALYZE counts the hits" \
    "$(psql_q -c 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT role_arn FROM jobs' | grep -o 'Detail Cache: [0-9]* hits')" \
    "Detail Cache: $terminal hits"

# bedrock_fdw_clear_cache() in one backend empties it for every backend
check "bedrock_fdw_clear_cache() empties it" \
    "$(psql_q -c 'SELECT bedrock_fdw_clear_cache() >= '"$terminal")" "t"
"$EMUCTL" reset
psql_q -c 'SELECT count(role_arn) FROM jobs' >/dev/null
check "for every backend" "$(gets)" "$all"

# 256 kB holds 64 answers of up to 4 kB: both regions' terminal jobs do not
# fit, so they evict each other (least recently used first), and the rows
# stay those of a cold scan
psql_q <<EOF || exit 1
CREATE SERVER big FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2', endpoint '$EMU_URL');
CREATE USER MAPPING FOR CURRENT_USER SERVER big
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE big_jobs (job_name text, status text, role_arn text,
                               last_modified_time timestamptz) SERVER big;
EOF
big_all="$(psql_q -c "SELECT count(*) FROM big_jobs")"
big_terminal="$(psql_q -c "SELECT count(*) FROM big_jobs WHERE status IN ('Completed', 'Failed', 'Stopped')")"
check "more terminal jobs than the cache holds" "$(( big_terminal > 64 ))" "1"
psql_q -c 'CREATE TABLE snap AS SELECT * FROM big_jobs' >/dev/null
"$EMUCTL" reset
for _ in 1 2 3; do
    check "rows after evictions are the cold scan's" \
        "$(psql_q -c 'SELECT count(*) FROM (SELECT * FROM big_jobs EXCEPT ALL SELECT * FROM snap) d')" "0"
done
check "and Gets beyond the changing jobs were needed" \
    "$(( $(gets) > 3 * (big_all - big_terminal) ))" "1"

# bedrock_fdw_stats is every backend's: a new backend sees the calls of the
# ones before it, and bedrock_fdw_stats_reset() in any backend empties it
psql_q -c 'SELECT bedrock_fdw_stats_reset()' >/dev/null
"$EMUCTL" reset
psql_q -c 'SELECT count(role_arn) FROM jobs' >/dev/null
psql_q -c 'SELECT count(role_arn) FROM jobs' >/dev/null
logged="$("$EMUCTL" requests --summary | grep -c ' us-west-2 ')"
check "another backend's bedrock_fdw_stats counts both backends' requests" \
    "$(psql_q -c "SELECT sum(calls) FROM bedrock_fdw_stats WHERE server = 'emu'")" "$logged"
check "and their detail cache hits are not calls" \
    "$(psql_q -c "SELECT sum(calls) FILTER (WHERE operation = 'GetModelCustomizationJob') < 2 * $all FROM bedrock_fdw_stats")" "t"
psql_q -c 'CREATE DATABASE other' >/dev/null
check "a database sees its own servers' rows only (the other database has them)" \
    "$(as_pg "$PGBIN/psql" -X -q -At -d other -c 'CREATE EXTENSION bedrock_fdw' -c 'SELECT count(*) FROM bedrock_fdw_stats')" "0"
psql_q -c 'SELECT bedrock_fdw_stats_reset()' >/dev/null
check "bedrock_fdw_stats_reset() empties it for every backend" \
    "$(psql_q -c 'SELECT count(*) FROM bedrock_fdw_stats')" "0"

if grep -E "PANIC|server process .* was terminated|TRAP:" "$WORK/postgres.log"; then
    echo "FAIL: the server log shows a crash"
    failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] && echo "preload: all checks passed" || echo "preload: $failures failed"
exit $(( failures > 0 ))
