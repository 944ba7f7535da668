#!/bin/bash
# leaks.sh: after any ERROR, no curl handle, socket, json object or memory
# survives.  One backend runs 10 failing queries, then 1,000 more, of every
# kind (HTTP errors, malformed JSON, conversion errors, refused connections,
# statement_timeout mid-request, STS refusals and bad XML, a failing
# credential_process, and errors and statement_timeout in an async Append,
# whose wait descriptors are open); its open file descriptors, memory-context
# total and resident size must not grow between the two checkpoints.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"
N="${1:-1000}"

start_env
trap stop_env EXIT

sql="$WORK/leaks.sql"
python3 - "$N" "$EMU_URL" "$EMU_PORT" > "$sql" <<'PY'
import json, sys
n, url, port = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctl = 'python3 "$EMUCTL" --port %s' % port
print(r"""\set QUIET on
\set VERBOSITY terse
CREATE EXTENSION IF NOT EXISTS bedrock_fdw;
CREATE SERVER leak_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-west-2', endpoint '%s', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER leak_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1', secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE leak_jobs (job_name text, role_arn text, tags text[]) SERVER leak_server;
CREATE SERVER leak_server2 FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'eu-west-1', endpoint '%s', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER leak_server2
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1', secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE leak_jobs2 (job_name text, role_arn text, tags text[]) SERVER leak_server2;
CREATE VIEW leak_both AS SELECT * FROM leak_jobs UNION ALL SELECT * FROM leak_jobs2;
CREATE SERVER dead_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', endpoint 'http://127.0.0.1:1', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER dead_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1', secret_access_key 'x');
CREATE FOREIGN TABLE dead_jobs (job_name text) SERVER dead_server;
CREATE SERVER role_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-west-2', endpoint '%s', sts_endpoint '%s', max_retries '0',
           role_arn 'arn:aws:iam::123456789012:role/bedrock-local');
CREATE USER MAPPING FOR CURRENT_USER SERVER role_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1', secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE role_jobs (job_name text) SERVER role_server;
CREATE SERVER proc_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-west-2', endpoint '%s', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER proc_server OPTIONS (profile 'leaky');
CREATE FOREIGN TABLE proc_jobs (job_name text) SERVER proc_server;
CREATE FUNCTION pg_temp.snapshot(label text) RETURNS text LANGUAGE sql AS $$
  SELECT format('%%s fds=%%s context_bytes=%%s rss_kb=%%s', label,
    (SELECT count(*) FROM pg_ls_dir('/proc/self/fd')),
    (SELECT sum(total_bytes) FROM pg_backend_memory_contexts),
    (SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmRSS:\s+(\d+)'))[1]))
$$;
-- warm up every path once, so caches and the connection pool exist
SELECT count(*) FROM leak_jobs;
SELECT count(tags), count(role_arn) FROM leak_jobs;
SELECT count(*) FROM leak_both;
""" % (url, url, url, url, url))
faults = [
    [{"operation": "*", "status": 500}],
    [{"operation": "ListModelCustomizationJobs", "status": 200, "body": "{\"modelCustomizationJobSummaries\": [{\"jobArn\""}],
    [{"operation": "ListModelCustomizationJobs", "status": 200, "body": "{\"modelCustomizationJobSummaries\": [{\"jobArn\": \"arn:aws:bedrock:us-west-2:1:model-customization-job/m/a\", \"jobName\": 7}]}"}],
    [{"operation": "ListTagsForResource", "status": 403, "error_type": "AccessDeniedException", "after": 3}],
    [{"operation": "GetModelCustomizationJob", "status": 200, "body": "[1,2"}],
]
queries = ["SELECT job_name FROM leak_jobs;", "SELECT job_name FROM leak_jobs;",
           "SELECT job_name FROM leak_jobs;", "SELECT tags FROM leak_jobs;",
           "SELECT role_arn FROM leak_jobs;"]
def block(count):
    """count failing queries, in runs of one kind (a fault is set once per run)"""
    out = []
    kinds = 12
    for k in range(kinds):
        runs = count // kinds + (1 if k < count % kinds else 0)
        if runs == 0:
            continue
        if k < 5:
            out.append("\\! %s faults '%s'" % (ctl, json.dumps(faults[k])))
            out += [queries[k]] * runs
        elif k == 5:
            out += ["SELECT * FROM dead_jobs;"] * runs
        elif k == 6:
            out.append("\\! %s faults '%s'" % (ctl, json.dumps([{"operation": "*", "status": 200, "delay": 0.3, "body": "{}"}])))
            out += ["SET statement_timeout = '20ms'; SELECT job_name FROM leak_jobs; RESET statement_timeout;"] * runs
        elif k == 7:
            # STS refuses the role
            out.append("\\! %s faults '%s'" % (ctl, json.dumps([{"operation": "AssumeRole", "status": 403, "error_type": "AccessDenied"}])))
            out += ["SELECT job_name FROM role_jobs;"] * runs
        elif k == 8:
            # STS answers XML without credentials (libxml2 parses it)
            out.append("\\! %s faults '%s'" % (ctl, json.dumps([{"operation": "AssumeRole", "status": 200, "content_type": "text/xml", "body": "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>x</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>"}])))
            out += ["SELECT job_name FROM role_jobs;"] * runs
        elif k == 9:
            # a credential_process that fails (a fork, a pipe, a reap each time)
            out += ["SELECT job_name FROM proc_jobs;"] * runs
        elif k == 10:
            # an async Append's scans fail: one ERRORs, the other is abandoned
            out.append("\\! %s faults '%s'" % (ctl, json.dumps([{"operation": "*", "status": 500, "region": "eu-west-1"}])))
            out += ["SELECT tags FROM leak_both;"] * runs
        else:
            # statement_timeout while the async Append waits on both scans
            out.append("\\! %s faults '%s'" % (ctl, json.dumps([{"operation": "*", "status": 200, "delay": 0.3, "body": "{}"}])))
            out += ["SET statement_timeout = '20ms'; SELECT job_name FROM leak_both; RESET statement_timeout;"] * runs
    out.append("\\! %s faults '[]'" % ctl)
    # the same calls before each checkpoint, so the connection cache is alike
    out.append("SELECT count(tags), count(role_arn) FROM leak_jobs;")
    out.append("SELECT count(*) FROM leak_jobs;")
    out.append("SELECT count(*) FROM leak_both;")
    # cached keep-alive connections vary in number: close them to compare
    out.append("SELECT bedrock_fdw_disconnect_all();")
    return "\n".join(out)
print(block(10))
print("SELECT pg_temp.snapshot('after-10');")
print(block(n))
print("SELECT pg_temp.snapshot('after-%d');" % (n + 10))
PY

# the profile of proc_server, in the server's shared AWS files (test/lib.sh)
printf '[profile leaky]\ncredential_process = sh -c "echo broken; exit 3"\n' >"$WORK/aws/config"
[ "$(id -u)" -eq 0 ] && chown postgres: "$WORK/aws/config"

out="$WORK/leaks.out"
as_pg env EMUCTL="$PG_TREE/test/emuctl" PGHOST="$PGHOST" PGPORT="$PGPORT" \
    "$PGBIN/psql" -X -At -d postgres -f "$sql" >"$out" 2>"$WORK/leaks.err" || true
errors=$(grep -c "ERROR" "$WORK/leaks.err" || true)
a=$(grep "^after-10 " "$out")
b=$(grep "^after-$((N + 10)) " "$out")
echo "failing queries run: $errors"
echo "$a"
echo "$b"

field() { echo "$1" | sed -n "s/.*$2=\([0-9]*\).*/\1/p"; }
status=0
[ "$errors" -ge "$N" ] || { echo "leaks: expected at least $N errors"; status=1; }
[ "$(field "$a" fds)" = "$(field "$b" fds)" ] || { echo "leaks: file descriptors grew"; status=1; }
[ "$(field "$a" context_bytes)" = "$(field "$b" context_bytes)" ] || { echo "leaks: memory contexts grew"; status=1; }
rss_growth=$(( $(field "$b" rss_kb) - $(field "$a" rss_kb) ))
echo "rss growth over $N failing queries: ${rss_growth} kB"
[ "$rss_growth" -lt 1024 ] || { echo "leaks: resident memory grew by ${rss_growth} kB"; status=1; }
if grep -E "PANIC|terminated by signal|TRAP:" "$WORK/postgres.log"; then
    echo "leaks: the server crashed"; status=1
fi
[ $status -eq 0 ] && echo "leaks: ok"
exit $status
