--
-- Parameters and stable expressions are pushed down like constants: a
-- generic plan's Params, now() - interval, current_setting(), an initplan's
-- array.  They are evaluated when the scan starts (and on rescan); plain
-- EXPLAIN shows the expressions, EXPLAIN ANALYZE the values sent.  Values
-- the API would refuse, as Params too, are not sent: the scan lists and
-- PostgreSQL filters.  And the jobs that AWS-compatible endpoints return
-- (an ARN without the model part, a status outside the enum, a name outside
-- the pattern) are found by each of their identifying columns.
--
-- these tests count every Get: no detail cache (detail_cache.sql tests it)
SET bedrock_fdw.detail_cache_size = 0;
\getenv emu_url EMU_URL
CREATE SERVER pm_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2,eu-west-1', endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER pm_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE SCHEMA pm;
IMPORT FOREIGN SCHEMA bedrock FROM SERVER pm_server INTO pm;
SET search_path = pm, public;
SET timezone = 'UTC';
SET plan_cache_mode = force_generic_plan;
\getenv repo REPO
\set explain_lines :repo '/sql/explain_lines.inc'
\set ECHO none
\i :explain_lines
\set ECHO all

-- status = $1: one statusEquals List per region, not every job
PREPARE by_status(text) AS
  SELECT region, job_name FROM bedrock_jobs WHERE status = $1 ORDER BY 1, 2;
EXPLAIN (COSTS OFF) EXECUTE by_status('Failed');
\! "$EMUCTL" reset
EXECUTE by_status('Failed');
\! "$EMUCTL" requests --summary
SELECT * FROM pg_temp.explain_lines($$EXECUTE by_status('Stopped')$$,
  'ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF');
-- a status the API would refuse, as a Param: listed without statusEquals
\! "$EMUCTL" reset
EXECUTE by_status('Pending');
\! "$EMUCTL" requests --summary
SELECT * FROM pg_temp.explain_lines($$EXECUTE by_status('Pending')$$,
  'ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF');
-- NULL: no call, no row
\! "$EMUCTL" reset
EXECUTE by_status(NULL);
\! "$EMUCTL" requests --summary

-- job_arn = $1: one Get in the ARN's region
PREPARE by_arn(text) AS
  SELECT region, job_name, status FROM bedrock_jobs WHERE job_arn = $1;
EXPLAIN (COSTS OFF) EXECUTE by_arn('x');
\! "$EMUCTL" reset
EXECUTE by_arn('arn:aws:bedrock:us-east-1:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k/yb0fzcezaazd');
\! "$EMUCTL" requests --summary
-- an ARN the API itself returned, outside its own pattern: listed in its region
\! "$EMUCTL" reset
EXECUTE by_arn('arn:aws:bedrock:us-west-2:123456789012:model-customization-job/ho-5');
\! "$EMUCTL" requests --summary
SELECT * FROM pg_temp.explain_lines(
  $$EXECUTE by_arn('arn:aws:bedrock:us-west-2:123456789012:model-customization-job/ho-5')$$,
  'ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF');

-- job_name = $1, and LIKE $1
PREPARE by_name(text) AS
  SELECT region, job_name, status, tags FROM bedrock_jobs WHERE job_name = $1
  ORDER BY region;
\! "$EMUCTL" reset
EXECUTE by_name('nova-micro-ft-classify');
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}'
PREPARE by_like(text) AS
  SELECT job_name FROM bedrock_jobs WHERE job_name LIKE $1 ORDER BY 1;
EXPLAIN (COSTS OFF) EXECUTE by_like('%distill%');
\! "$EMUCTL" reset
EXECUTE by_like('%distill%');
\! "$EMUCTL" requests --summary

-- region = ANY ($1), with duplicates, NULLs, other case and an empty array
PREPARE by_regions(text[]) AS
  SELECT region, count(*) FROM bedrock_jobs WHERE region = ANY ($1) GROUP BY 1 ORDER BY 1;
EXPLAIN (COSTS OFF) EXECUTE by_regions('{eu-west-1}');
\! "$EMUCTL" reset
EXECUTE by_regions('{eu-west-1,eu-west-1,NULL,US-WEST-2}');
EXECUTE by_regions('{}');
\! "$EMUCTL" requests --summary

-- creation_time ranges from Params and from stable expressions
PREPARE by_time(timestamptz, timestamptz) AS
  SELECT job_name FROM bedrock_jobs
  WHERE creation_time >= $1 AND creation_time < $2 AND region = 'us-west-2' ORDER BY 1;
EXPLAIN (COSTS OFF) EXECUTE by_time('2025-01-01', '2025-04-01');
\! "$EMUCTL" reset
EXECUTE by_time('2025-01-01', '2025-04-01');
\! "$EMUCTL" requests --summary
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs
  WHERE creation_time > now() - interval '7 days';
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs
  WHERE creation_time > '2025-02-01'::timestamptz - interval '3 days' AND region = 'us-west-2';
\! "$EMUCTL" requests --summary

-- current_setting() and an initplan's array
SET pm.wanted_status = 'Stopped';
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs
  WHERE status = current_setting('pm.wanted_status');
\! "$EMUCTL" reset
SELECT region, job_name FROM bedrock_jobs
  WHERE status = current_setting('pm.wanted_status') ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
CREATE TEMP TABLE wanted (name text);
INSERT INTO wanted VALUES ('titan-support-ft-001'), ('legacy_ft_7');
SELECT * FROM pg_temp.explain_lines('SELECT region, job_name FROM bedrock_jobs
  WHERE job_name = ANY ((SELECT array_agg(name) FROM wanted)::text[])');
\! "$EMUCTL" reset
SELECT region, job_name FROM bedrock_jobs
  WHERE job_name = ANY ((SELECT array_agg(name) FROM wanted)::text[]) ORDER BY 1, 2;
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c

-- ORDER BY creation_time LIMIT $1: sorted by the API, paging stops early
PREPARE newest(int) AS
  SELECT job_name FROM bedrock_jobs WHERE region = 'us-east-1'
  ORDER BY creation_time DESC LIMIT $1;
EXPLAIN (COSTS OFF) EXECUTE newest(3);
\! "$EMUCTL" reset
EXECUTE newest(3);
\! "$EMUCTL" requests --summary
PREPARE any_n(int, int) AS
  SELECT count(*) FROM (SELECT job_name FROM bedrock_jobs WHERE region = 'us-east-1'
                         LIMIT $1 OFFSET $2) s;
\! "$EMUCTL" reset
EXECUTE any_n(2, 4);
\! "$EMUCTL" requests --summary
-- a status list that may keep several values at run time: no sorted path,
-- a Sort, and the full scan's row
SET pm.sts = 'Completed,Failed';
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs
  WHERE region = 'eu-west-1' AND status IN ('Completed', 'Failed', 'Pending')
    AND status = ANY (string_to_array(current_setting('pm.sts'), ','))
  ORDER BY creation_time LIMIT 1;
SELECT job_name FROM bedrock_jobs
  WHERE region = 'eu-west-1' AND status IN ('Completed', 'Failed', 'Pending')
    AND status = ANY (string_to_array(current_setting('pm.sts'), ','))
  ORDER BY creation_time LIMIT 1;
SET bedrock_fdw.pushdown = off;
SELECT job_name FROM bedrock_jobs
  WHERE region = 'eu-west-1' AND status IN ('Completed', 'Failed', 'Pending')
    AND status = ANY (string_to_array(current_setting('pm.sts'), ','))
  ORDER BY creation_time LIMIT 1;
RESET bedrock_fdw.pushdown;
-- a rescan with new values: a Param of the outer query
SET enable_hashjoin = off; SET enable_mergejoin = off; SET enable_material = off;
SELECT s.status, (SELECT count(*) FROM bedrock_jobs j
                   WHERE j.status = s.status AND j.region = 'us-west-2')
  FROM (VALUES ('Completed'), ('Failed'), ('Pending')) s(status) ORDER BY 1;
RESET enable_hashjoin; RESET enable_mergejoin; RESET enable_material;

-- the jobs of AWS-compatible endpoints, found by each identifying column
-- (as constants, so as custom plans: the same rules)
CREATE TEMP TABLE full_scan AS SELECT * FROM bedrock_jobs;
\! "$EMUCTL" reset
SELECT region, job_name, status FROM bedrock_jobs
  WHERE job_arn = 'arn:aws:bedrock:us-west-2:123456789012:model-customization-job/ho-5';
SELECT region, job_name, status FROM bedrock_jobs
  WHERE job_arn = 'arn:aws:bedrock:us-east-1:123456789012:model-customization-job/legacy_ft_7';
SELECT region, job_name, status FROM bedrock_jobs WHERE job_name = 'ho-5';
SELECT region, job_name, status, failure_message FROM bedrock_jobs WHERE job_name = 'legacy_ft_7';
SELECT region, job_name, status, tags FROM bedrock_jobs WHERE status = 'Pending';
SELECT region, job_name, status FROM bedrock_jobs WHERE status IN ('Pending', 'Failed') AND region = 'eu-west-1';
SELECT j.job_name FROM bedrock_jobs j JOIN full_scan f USING (job_arn)
  WHERE f.job_name IN ('ho-5', 'legacy_ft_7', 'queued-ft-pending') ORDER BY 1;
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs WHERE job_name = 'legacy_ft_7';
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs
  WHERE job_arn IN ('arn:aws:bedrock:us-west-2:123456789012:model-customization-job/ho-5',
                    'arn:aws:bedrock:us-east-1:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k/yb0fzcezaazd');
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs WHERE status IN ('Pending', 'Failed');

-- SET bedrock_fdw.pushdown = off: the same rows from full listings
SET bedrock_fdw.pushdown = off;
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs
  WHERE status = 'Failed' AND region = 'eu-west-1' ORDER BY creation_time LIMIT 1;
\! "$EMUCTL" reset
SELECT job_name FROM bedrock_jobs
  WHERE status = 'Failed' AND region = 'eu-west-1' ORDER BY creation_time LIMIT 1;
\! "$EMUCTL" requests --summary
RESET bedrock_fdw.pushdown;

DEALLOCATE ALL;
RESET plan_cache_mode;
RESET search_path;
DROP SCHEMA pm CASCADE;
DROP SERVER pm_server CASCADE;
