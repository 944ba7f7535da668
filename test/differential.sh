#!/bin/bash
# differential.sh: generated queries, each run with bedrock_fdw.pushdown on and off against the
# emulator; the results must be the same, and pushdown may make no more API requests than the
# full scan beyond its IN lists' fan-out (see test/differential.py).  Every table of the catalog:
# IMPORT FOREIGN SCHEMA creates them all, and test/catalog_dump (built here) describes their
# roles to the generator.  Expects the extension to be installed (make install).
# DIFF_SEED, DIFF_QUERIES, DIFF_TABLE_QUERIES, DIFF_TABLES, DIFF_ONLY and DIFF_VERBOSE pass
# through to differential.py.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"

make -s test/catalog_dump

start_env --max-page-size 5
trap stop_env EXIT

psql -X -q -v ON_ERROR_STOP=1 -v emu_url="$EMU_URL" -d postgres <<'SQL'
CREATE EXTENSION bedrock_fdw;
CREATE SERVER s FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2,eu-west-1', endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER s
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
IMPORT FOREIGN SCHEMA bedrock FROM SERVER s INTO public;
SQL

status=0
python3 test/differential.py || status=$?

if [ $status -ne 0 ]; then
    echo "--- psql stderr (tail) ---"; tail -20 "$WORK/differential-psql.stderr" 2>/dev/null || true
    echo "--- server log (tail) ---"; tail -30 "$WORK/postgres.log"
fi
check_log_and_outputs differential /dev/null || status=1
exit $status
