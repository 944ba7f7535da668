--
-- Accounts: one scan over several accounts and regions, each account reached
-- through role_name assumed in it, proven from the emulator's request log
-- (each request's signer account); account_id pushdown; regions 'all'; the
-- failure policy (a denied role, a region down, a suspended account, a
-- denied ListRegions); bedrock_fdw_regions().
--
\getenv emu_url EMU_URL
\getenv repo REPO
\set explain_lines :repo '/sql/explain_lines.inc'
\set ECHO none
\i :explain_lines
\set ECHO all
SET timezone = 'UTC';
CREATE SERVER org FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2,eu-west-1', endpoint :'emu_url',
           sts_endpoint :'emu_url', organizations_endpoint :'emu_url',
           account_endpoint :'emu_url',
           accounts '123456789012,210987654321,111111111111',
           role_name 'BedrockFdwReader');
CREATE USER MAPPING FOR CURRENT_USER SERVER org
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE org_jobs (account_id text, region text, job_name text,
                               status text, job_arn text)
  SERVER org OPTIONS (resource 'model_customization_jobs');

-- every account's jobs in every region, one scan: an AssumeRole per account
-- (together), then every (account, region) List
SELECT bedrock_fdw_clear_cache() >= 0 AS cleared;
\! "$EMUCTL" reset
SELECT account_id, region, count(*) FROM org_jobs GROUP BY 1, 2 ORDER BY 1, 2;
\! "$EMUCTL" requests --accounts | awk '{print $1, $2, $3, $NF}' | sort | uniq -c
-- each job's account_id is its ARN's, and the account that listed it
SELECT count(*) FILTER (WHERE account_id = split_part(job_arn, ':', 5)) AS consistent,
       count(*) AS total FROM org_jobs;
-- the credentials are cached per account: a second scan assumes nothing
\! "$EMUCTL" reset
SELECT count(*) FROM org_jobs;
\! "$EMUCTL" requests --accounts | awk '{print $2}' | sort | uniq -c

-- account_id pushdown: only that account is called
\! "$EMUCTL" reset
EXPLAIN (COSTS OFF) SELECT job_name FROM org_jobs WHERE account_id = '210987654321';
SELECT region, job_name FROM org_jobs WHERE account_id = '210987654321' ORDER BY 1, 2;
\! "$EMUCTL" requests --accounts | awk '{print $1, $2, $3, $NF}' | sort | uniq -c
SELECT count(*) FROM org_jobs WHERE account_id IN ('111111111111', '999999999999');
SELECT count(*) FROM org_jobs WHERE account_id = '999999999999';
EXPLAIN (COSTS OFF) SELECT * FROM org_jobs WHERE account_id = '999999999999';
-- as a parameter of a generic plan
SET plan_cache_mode = force_generic_plan;
PREPARE by_account(text) AS SELECT count(*) FROM org_jobs WHERE account_id = $1;
EXPLAIN (COSTS OFF) EXECUTE by_account('111111111111');
\! "$EMUCTL" reset
EXECUTE by_account('111111111111');
\! "$EMUCTL" requests --accounts | awk '{print $1, $2}' | sort | uniq -c
RESET plan_cache_mode;
DEALLOCATE by_account;

-- a denied role fails the query, naming the account and the role
ALTER SERVER org OPTIONS (SET accounts '123456789012,444444444444');
SELECT count(*) FROM org_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- with on_unavailable 'warn': one WARNING, the other account's rows, and
-- EXPLAIN ANALYZE lists what was unavailable
ALTER SERVER org OPTIONS (ADD on_unavailable 'warn');
SELECT account_id, count(*) FROM org_jobs GROUP BY 1 ORDER BY 1;
\set VERBOSITY terse
SELECT * FROM pg_temp.explain_lines(
  $$SELECT count(*) FROM org_jobs WHERE region = 'us-west-2'$$,
  'ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF');
\set VERBOSITY default
-- a region down in every account: one WARNING per (account, region), in the
-- order they fail, and EXPLAIN ANALYZE lists them sorted
ALTER SERVER org OPTIONS (SET accounts '123456789012,210987654321');
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "region": "us-west-2", "status": 503}]'
SET client_min_messages = error;
SELECT account_id, region, count(*) FROM org_jobs GROUP BY 1, 2 ORDER BY 1, 2;
SELECT * FROM pg_temp.explain_lines(
  $$SELECT count(*) FROM org_jobs$$,
  'ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF');
RESET client_min_messages;
-- throttling in one account only: its region's WARNING, every other row, and
-- the other account's calls never throttled
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "account": "210987654321", "region": "eu-west-1", "status": 400, "error_type": "ThrottlingException"}]'
\set VERBOSITY terse
SELECT account_id, region, count(*) FROM org_jobs GROUP BY 1, 2 ORDER BY 1, 2;
\set VERBOSITY default
\! "$EMUCTL" requests --accounts | awk '{print $1, $2, $3, $NF}' | sort | uniq -c
\! "$EMUCTL" faults '[]'
-- ... and without on_unavailable, a failing (account, region) fails the query
ALTER SERVER org OPTIONS (DROP on_unavailable);
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "account": "210987654321", "region": "us-west-2", "status": 503}]'
\set VERBOSITY terse
SELECT count(*) FROM org_jobs;
\set VERBOSITY default
\! "$EMUCTL" faults '[]'

-- max_concurrency holds across the whole fan-out (2 accounts x 3 regions,
-- Lists and per-job Gets): at 20 ms a request, the emulator's log never
-- has more than 3 Bedrock requests between their arrival and their answer,
-- and has 3 at some point
CREATE FUNCTION pg_temp.max_in_flight(log jsonb) RETURNS bigint LANGUAGE sql AS $$
  WITH r AS (
    SELECT (e->>'time')::float8 AS t0,
           (e->>'time')::float8 + coalesce((e->>'latency_ms')::float8, 0) / 1000 AS t1
      FROM jsonb_array_elements(log) e
     WHERE e->>'operation' IN ('ListModelCustomizationJobs', 'GetModelCustomizationJob'))
  SELECT max((SELECT count(*) FROM r r2 WHERE r2.t0 <= r1.t0 AND r2.t1 > r1.t0)) FROM r r1
$$;
CREATE FOREIGN TABLE org_detail (account_id text, region text, job_name text, role_arn text)
  SERVER org OPTIONS (resource 'model_customization_jobs');
ALTER SERVER org OPTIONS (ADD max_concurrency '3');
SET bedrock_fdw.detail_cache_size = 0;
\! "$EMUCTL" config '{"latency_ms": 20}' >/dev/null
\! "$EMUCTL" reset
SELECT account_id, count(*), count(role_arn) FROM org_detail GROUP BY 1 ORDER BY 1;
\set reqlog `"$EMUCTL" requests`
SELECT pg_temp.max_in_flight(:'reqlog') AS max_in_flight,
       (SELECT count(*) FROM jsonb_array_elements(:'reqlog') e
         WHERE e->>'operation' = 'GetModelCustomizationJob') AS gets;
\! "$EMUCTL" config '{"latency_ms": 0}' >/dev/null
RESET bedrock_fdw.detail_cache_size;
ALTER SERVER org OPTIONS (DROP max_concurrency);

-- accounts 'organization': ListAccounts with the user mapping's keys; the
-- SUSPENDED account is skipped, the ACTIVE one whose role is denied warns
ALTER SERVER org OPTIONS (SET accounts 'organization', ADD on_unavailable 'warn');
SELECT bedrock_fdw_clear_cache() >= 0 AS cleared;
\! "$EMUCTL" reset
SELECT account_id, count(*) FROM org_jobs GROUP BY 1 ORDER BY 1;
\! "$EMUCTL" requests --accounts | awk '{print $2, $3}' | grep -E '^(ListAccounts|AssumeRole)' | sort | uniq -c
EXPLAIN (COSTS OFF) SELECT count(*) FROM org_jobs;

-- regions 'all': each account's enabled regions where Bedrock runs
-- (Account ListRegions); 111111111111 denies ListRegions, so the regions
-- enabled by default stand in, with a WARNING
ALTER SERVER org OPTIONS (SET regions 'all', SET accounts '210987654321,111111111111');
SELECT bedrock_fdw_clear_cache() >= 0 AS cleared;
SELECT * FROM bedrock_fdw_regions('org') ORDER BY 1, 2;
EXPLAIN (COSTS OFF) SELECT count(*) FROM org_jobs;
\! "$EMUCTL" reset
SELECT account_id, region, count(*) FROM org_jobs GROUP BY 1, 2 ORDER BY 1, 2;
\! "$EMUCTL" requests --accounts | awk '{print $2}' | sort | uniq -c
-- the caches emptied while a scan runs: it keeps its own copies
SELECT count(*), max(bedrock_fdw_clear_cache()) >= 0 AS cleared FROM org_jobs;
-- a region condition narrows what is called, in each account
\! "$EMUCTL" reset
SELECT account_id, count(*) FROM org_jobs WHERE region = 'ap-southeast-3' GROUP BY 1;
\! "$EMUCTL" requests --accounts | awk '{print $1, $2, $3, $NF}' | sort | uniq -c

-- the options, checked
ALTER SERVER org OPTIONS (SET accounts '12345');
ALTER SERVER org OPTIONS (SET accounts '123456789012,123456789012');
ALTER SERVER org OPTIONS (SET on_unavailable 'maybe');
ALTER SERVER org OPTIONS (DROP role_name);
SELECT count(*) FROM org_jobs;
SELECT * FROM bedrock_fdw_regions('no_such_server');

DROP SERVER org CASCADE;
