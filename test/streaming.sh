#!/bin/bash
# streaming.sh: pages larger than a slice (fetch.c describes a page's
# resources 100 at a time and hands each out once its own answers are in).
# The emulator's pages are not cut short here (regress.sh cuts them to 5),
# and its answers come back out of order (latency jitter).  Every way of
# fetching must give the same rows as the simplest one, and the request
# counts the slices imply: one Get per job, one ListTagsForResource per job,
# or one GetResources per slice of 100.
# Expects the extension to be installed (make install).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"

start_env --fixtures large:901
trap stop_env EXIT
"$EMUCTL" config '{"latency_ms": 2, "jitter_ms": 4, "seed": 7}' >/dev/null

psql -X -q -v ON_ERROR_STOP=1 -v emu_url="$EMU_URL" -d postgres <<'SQL'
CREATE EXTENSION bedrock_fdw;
CREATE SERVER s FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2', endpoint :'emu_url', tagging_endpoint :'emu_url',
           max_concurrency '16');
CREATE USER MAPPING FOR CURRENT_USER SERVER s
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
IMPORT FOREIGN SCHEMA bedrock LIMIT TO (bedrock_jobs) FROM SERVER s INTO public;
SQL

# every row, every column, in one digest; and whether the rows of each
# region came in the List's order (newest first, the API's default)
QUERY="SELECT count(*) || ' ' || md5(string_agg(t::text, E'\n' ORDER BY job_arn))
         || ' in order ' || bool_and(in_order) FROM (
         SELECT t, job_arn, creation_time <= coalesce(lag(creation_time) OVER
                  (PARTITION BY region ORDER BY n), 'infinity') AS in_order
           FROM (SELECT t, job_arn, region, creation_time,
                        row_number() OVER () AS n FROM bedrock_jobs t) s) t"

status=0
reference=""
# name | server options | expected requests (operation counts, sorted) |
# "warm": the query a second time in the same session (the detail cache is
# the backend's own), counting the second one's requests
check() {
    local name="$1" options="$2" want="$3" warm="${4:-}" got requests
    local again=()
    [ -n "$warm" ] && again=(-c "\\! \"$EMUCTL\" reset" -c "$QUERY")
    "$EMUCTL" reset
    got="$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d postgres \
            -c "ALTER SERVER s OPTIONS ($options)" -c "$QUERY" "${again[@]}" | tail -1)" ||
        { echo "not ok - $name: query failed"; status=1; return; }
    requests="$("$EMUCTL" requests --summary | awk '{print $1}' | sort | uniq -c | awk '{printf "%s %s; ", $2, $1}')"
    [ -z "$reference" ] && reference="$got"
    if [ "$got" != "$reference" ]; then
        echo "not ok - $name: rows $got, expected $reference"; status=1
    elif [ "$requests" != "$want" ]; then
        echo "not ok - $name: requests $requests expected $want"; status=1
    else
        echo "ok - $name: $got; $requests"
    fi
}

# 451 jobs in us-east-1 and 450 in us-west-2: slices of 100, 100, 100, 100,
# 51 and 50; the List answers in one page each
check "page_size 1000, ListTagsForResource, no detail cache" \
    "ADD page_size '1000', ADD detail_cache 'false'" \
    "GetModelCustomizationJob 901; ListModelCustomizationJobs 2; ListTagsForResource 901; "
check "page_size 1000, Tagging API: one GetResources per slice" \
    "ADD tags_source 'tagging_api'" \
    "GetModelCustomizationJob 901; GetResources 10; ListModelCustomizationJobs 2; "
check "page_size 7, max_concurrency 3, Tagging API: a slice per page" \
    "SET page_size '7', SET max_concurrency '3'" \
    "GetModelCustomizationJob 901; GetResources 130; ListModelCustomizationJobs 130; "
# the jobs still changing (InProgress, Stopping) are asked again; the
# others come from the cache, so whole slices need no call at all
changing="$("$EMUCTL" fixtures | python3 -c '
import json, sys
f = json.load(sys.stdin)
print(sum(n for r in f["regions"].values() for s, n in r["statuses"].items()
          if s in ("InProgress", "Stopping")))' 2>/dev/null || echo "?")"
check "page_size 250, ListTagsForResource, detail cache warm" \
    "SET page_size '250', SET max_concurrency '16', DROP tags_source, SET detail_cache 'true'" \
    "GetModelCustomizationJob $changing; ListModelCustomizationJobs 4; ListTagsForResource 901; " warm
check "page_size 1000, Tagging API, detail cache warm" \
    "SET page_size '1000', ADD tags_source 'tagging_api'" \
    "GetModelCustomizationJob $changing; GetResources 10; ListModelCustomizationJobs 2; " warm

check_log_and_outputs streaming /dev/null || status=1
[ $status -eq 0 ] && echo "streaming: ok"
exit $status
