--
-- Pushdown: which Bedrock calls a query makes, proven from the emulator's
-- request log; pagination; EXPLAIN.  The emulator serves at most 5 jobs a
-- page here, so us-east-1's 24 jobs take 5 pages.
--
\getenv emu_url EMU_URL
CREATE SERVER pd_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2,eu-west-1', endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER pd_server
  OPTIONS (access_key_id 'ASIAEMULATOREXAMPLE2',
           secret_access_key 'emulator/Temp+Secret/EXAMPLE0987654321fedcba',
           session_token 'emulator-session-token/EXAMPLE+token=');
CREATE SCHEMA pd;
IMPORT FOREIGN SCHEMA bedrock FROM SERVER pd_server INTO pd;
SET search_path = pd, public;
\getenv repo REPO
\set explain_lines :repo '/sql/explain_lines.inc'
\set ECHO none
\i :explain_lines
\set ECHO all

-- a full list: every region, every page, List calls only
\! "$EMUCTL" reset
SELECT region, count(*) FROM bedrock_jobs GROUP BY region ORDER BY region;
\! "$EMUCTL" requests --summary

-- the same rows in the same order as the API pages them
SELECT job_name FROM bedrock_jobs WHERE region = 'us-west-2';

-- status = x: one List with statusEquals per region
\! "$EMUCTL" reset
SELECT region, job_name FROM bedrock_jobs WHERE status = 'Failed' ORDER BY 1, 2;
\! "$EMUCTL" requests --summary

-- region and status IN (...): only the matching List calls
\! "$EMUCTL" reset
SELECT region, job_name, status FROM bedrock_jobs
  WHERE region = 'us-west-2' AND status IN ('Failed', 'Stopped') ORDER BY 2;
\! "$EMUCTL" requests --summary

-- = ANY(array) with a value outside the API enum: statusEquals would be
-- refused, so it is not sent; each region is listed and PostgreSQL filters
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs
  WHERE status = ANY (ARRAY['Stopping', 'Running']) AND region IN ('eu-west-1', 'us-west-2');
\! "$EMUCTL" requests --summary

-- a status the API would refuse is not sent, and never taken for "no rows":
-- every region is listed, and PostgreSQL filters
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Running';
SELECT count(*) FROM bedrock_jobs WHERE status = 'inprogress';
\! "$EMUCTL" requests --summary
-- nothing can match: no call at all, no rows
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE region = 'ap-southeast-2';
SELECT count(*) FROM bedrock_jobs WHERE region = 'us-east-1' AND region = 'us-west-2';
SELECT count(*) FROM bedrock_jobs WHERE status = 'Failed' AND status = 'Stopped';
SELECT count(*) FROM bedrock_jobs WHERE status = NULL;
\! "$EMUCTL" requests --summary

-- predicates that are not pushed down are still applied
\! "$EMUCTL" reset
SELECT job_name FROM bedrock_jobs WHERE region = 'eu-west-1' AND status <> 'Failed' ORDER BY 1;
SELECT job_name FROM bedrock_jobs
  WHERE (status = 'Failed' OR region = 'eu-west-1') AND job_name LIKE 'titan%' ORDER BY 1;
SELECT count(*) FROM bedrock_jobs WHERE upper(status) = 'FAILED';
\! "$EMUCTL" requests --summary

-- a Get column makes one Get per listed job; a tag column one Tags call;
-- per-job calls go only to the jobs the List returned
\! "$EMUCTL" reset
SELECT job_name, role_arn FROM bedrock_jobs WHERE region = 'eu-west-1' ORDER BY 1;
\! "$EMUCTL" requests --summary
\! "$EMUCTL" reset
SELECT job_name FROM bedrock_jobs WHERE region = 'eu-west-1' AND 'env:prod' = ANY (tags) ORDER BY 1;
\! "$EMUCTL" requests --summary

-- EXPLAIN shows the planned calls
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs;
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs WHERE status = 'InProgress';
EXPLAIN (COSTS OFF) SELECT * FROM bedrock_jobs
  WHERE region = 'us-west-2' AND status IN ('Failed', 'Stopped');
EXPLAIN (COSTS OFF) SELECT job_name, tags FROM bedrock_jobs WHERE region IN ('eu-west-1', 'mars-north-1');
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs WHERE status = 'Running';
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs WHERE region = 'ap-southeast-2';
-- VERBOSE adds the page size and the endpoint (a server with a fixed one here)
CREATE SERVER pd_verbose FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', endpoint 'https://bedrock.{region}.example.com', page_size '250');
CREATE FOREIGN TABLE pd_verbose_jobs (job_name text, region text) SERVER pd_verbose;
EXPLAIN (VERBOSE, COSTS OFF) SELECT job_name FROM pd_verbose_jobs WHERE region = 'us-east-1';
DROP SERVER pd_verbose CASCADE;
SELECT * FROM pg_temp.explain_lines(
  $$SELECT job_name FROM bedrock_jobs WHERE status = 'Completed'$$, 'COSTS OFF, FORMAT JSON');
-- EXPLAIN alone sends nothing
\! "$EMUCTL" reset
EXPLAIN (COSTS OFF) SELECT * FROM bedrock_jobs;
\! "$EMUCTL" requests --summary

-- a rescan (inner side of a nested loop) repeats the calls correctly
\! "$EMUCTL" reset
SET enable_hashjoin = off; SET enable_mergejoin = off; SET enable_material = off;
SELECT s.status, count(j.job_name)
  FROM (VALUES ('Stopping'), ('Stopped')) s(status)
  LEFT JOIN bedrock_jobs j ON j.status = s.status AND j.region = 'us-west-2'
  GROUP BY s.status ORDER BY 1;
RESET enable_hashjoin; RESET enable_mergejoin; RESET enable_material;
\! "$EMUCTL" requests --summary

-- a join with a local cost table on the job ARN
CREATE TEMP TABLE job_cost (job_arn text, usd numeric);
INSERT INTO job_cost SELECT job_arn, 10 * row_number() OVER (ORDER BY job_arn)
  FROM bedrock_jobs WHERE region = 'eu-west-1';
SELECT j.job_name, c.usd FROM bedrock_jobs j JOIN job_cost c USING (job_arn) ORDER BY 2;

-- job_arn = x: one Get in the ARN's region, no List
\! "$EMUCTL" reset
SELECT region, job_name, status, output_model_name FROM bedrock_jobs
  WHERE job_arn = 'arn:aws:bedrock:us-east-1:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k/yb0fzcezaazd';
\! "$EMUCTL" requests --summary
-- an ARN of a region outside the server's list: no call; a value that is
-- no job ARN the API accepts: not sent, every region listed instead; an ARN
-- of no job: a Get answered 404, and no row
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs
  WHERE job_arn = 'arn:aws:bedrock:ap-south-1:123456789012:model-customization-job/m/abcdefabcdef';
SELECT count(*) FROM bedrock_jobs WHERE job_arn = 'not-an-arn';
SELECT count(*) FROM bedrock_jobs
  WHERE job_arn = 'arn:aws:bedrock:us-west-2:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k/zzzzzzzzzzzz';
\! "$EMUCTL" requests --summary

-- job_name = x and IN: a Get by name in each region, then Tags for the jobs
-- found; a name the API would refuse ('no such job!') makes it a List, and
-- only the listed jobs with one of the names get Tags calls
\! "$EMUCTL" reset
SELECT region, job_name, status, tags FROM bedrock_jobs
  WHERE job_name IN ('nova-micro-ft-classify', 'llama3.1-ft+v2', 'no such job!') ORDER BY 1, 2;
\! "$EMUCTL" requests --summary

-- creation_time ranges: creationTimeAfter/Before, a second wider than asked
\! "$EMUCTL" reset
SELECT region, job_name, creation_time FROM bedrock_jobs
  WHERE creation_time >= '2025-01-13 06:25:50.802+00' AND creation_time < '2025-04-01'
  ORDER BY creation_time;
\! "$EMUCTL" requests --summary

-- LIKE: nameContains with the longest literal part
\! "$EMUCTL" reset
SELECT job_name FROM bedrock_jobs WHERE job_name LIKE '%distill%' ORDER BY 1;
SELECT job_name FROM bedrock_jobs WHERE job_name LIKE 'llama3.1-ft+v_' AND region = 'us-east-1' ORDER BY 1;
SELECT count(*) FROM bedrock_jobs WHERE job_name LIKE '%' AND region = 'eu-west-1';
\! "$EMUCTL" requests --summary

EXPLAIN (COSTS OFF) SELECT * FROM bedrock_jobs
  WHERE job_arn = 'arn:aws:bedrock:us-east-1:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k/yb0fzcezaazd';
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs WHERE job_name = 'titan-support-ft-001';
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs WHERE job_arn = 'not-an-arn';
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs
  WHERE status = 'Completed' AND creation_time > '2024-06-01' AND job_name LIKE 'titan-%';

-- pushdown never changes a result: each predicate gives what a full scan
-- filtered by PostgreSQL gives (the second form cannot be pushed down)
CREATE TEMP TABLE full_scan AS SELECT * FROM bedrock_jobs;
SELECT 'job_arn =' AS predicate,
       (SELECT count(*) FROM bedrock_jobs WHERE job_arn = 'arn:aws:bedrock:us-west-2:123456789012:model-customization-job/amazon.nova-micro-v1:0:128k/2ec0sxejce2c') AS pushed,
       (SELECT count(*) FROM full_scan WHERE job_arn || '' = 'arn:aws:bedrock:us-west-2:123456789012:model-customization-job/amazon.nova-micro-v1:0:128k/2ec0sxejce2c') AS full
UNION ALL
SELECT 'job_name =',
       (SELECT count(*) FROM bedrock_jobs WHERE job_name = 'nova-micro-ft-classify'),
       (SELECT count(*) FROM full_scan WHERE job_name || '' = 'nova-micro-ft-classify')
UNION ALL
SELECT 'job_name = (continued model)',
       (SELECT count(*) FROM bedrock_jobs WHERE job_name = 'titan-support-ft-003-continued' AND status = 'Completed'),
       (SELECT count(*) FROM full_scan WHERE job_name || '' = 'titan-support-ft-003-continued' AND status || '' = 'Completed')
UNION ALL
SELECT 'creation_time >',
       (SELECT count(*) FROM bedrock_jobs WHERE creation_time > '2024-12-04 18:44:12.456+00'),
       (SELECT count(*) FROM full_scan WHERE creation_time + '0s' > '2024-12-04 18:44:12.456+00')
UNION ALL
SELECT 'creation_time >=',
       (SELECT count(*) FROM bedrock_jobs WHERE creation_time >= '2024-12-04 18:44:12.456+00'),
       (SELECT count(*) FROM full_scan WHERE creation_time + '0s' >= '2024-12-04 18:44:12.456+00')
UNION ALL
SELECT 'creation_time <=',
       (SELECT count(*) FROM bedrock_jobs WHERE '2024-03-18 21:26:11.406+00' >= creation_time),
       (SELECT count(*) FROM full_scan WHERE creation_time + '0s' <= '2024-03-18 21:26:11.406+00')
UNION ALL
SELECT 'creation_time <',
       (SELECT count(*) FROM bedrock_jobs WHERE creation_time < '2024-03-18 21:26:11.406+00'),
       (SELECT count(*) FROM full_scan WHERE creation_time + '0s' < '2024-03-18 21:26:11.406+00')
UNION ALL
SELECT 'LIKE',
       (SELECT count(*) FROM bedrock_jobs WHERE job_name LIKE '%-ft-00_'),
       (SELECT count(*) FROM full_scan WHERE job_name || '' LIKE '%-ft-00_')
UNION ALL
SELECT 'LIKE with escapes',
       (SELECT count(*) FROM bedrock_jobs WHERE job_name LIKE 'llama3.1\-ft+v%'),
       (SELECT count(*) FROM full_scan WHERE job_name || '' LIKE 'llama3.1\-ft+v%');

-- and row by row: every job looked up by ARN and by name (Get) reads exactly
-- as in the full scan, in every column.  base_model_arn, which Get reports
-- differently for continued models, is Get's when the scan gets every job
-- (full_scan is a SELECT *), and List's when it does not: then a lookup lists
-- the job by name for its summary
CREATE FUNCTION pg_temp.lookup_differences() RETURNS TABLE (lookup text, differing bigint)
LANGUAGE plpgsql AS $$
DECLARE
  f record;
  n_arn bigint := 0;
  n_name bigint := 0;
  d bigint;
  cols text := 'account_id, region, job_arn, job_name, status, base_model_arn, customization_type, creation_time, last_modified_time, end_time, status_details, output_model_arn, output_model_name, client_request_token, failure_message, role_arn, output_model_kms_key_arn, customization_config::text, hyper_parameters::text, output_data_config::text, training_data_config::text, training_metrics::text, validation_data_config::text, validation_metrics::text, vpc_config::text, tags, security_group_ids, subnet_ids, validators';
BEGIN
  FOR f IN SELECT * FROM full_scan LOOP
    EXECUTE format('SELECT count(*) FROM (SELECT %s FROM pd.bedrock_jobs WHERE job_arn = %L
                      EXCEPT SELECT %s FROM full_scan WHERE job_arn = %L) x', cols, f.job_arn, cols, f.job_arn) INTO d;
    n_arn := n_arn + d;
    EXECUTE format('SELECT count(*) FROM (SELECT %s FROM pd.bedrock_jobs WHERE job_name = %L
                      EXCEPT SELECT %s FROM full_scan WHERE job_name = %L) x', cols, f.job_name, cols, f.job_name) INTO d;
    n_name := n_name + d;
  END LOOP;
  RETURN QUERY VALUES ('by job_arn', n_arn), ('by job_name', n_name);
END $$;
SELECT * FROM pg_temp.lookup_differences();
SELECT job_name, base_model_arn FROM bedrock_jobs WHERE job_name = 'titan-support-ft-003-continued';
SELECT job_name, base_model_arn FROM bedrock_jobs WHERE job_name || '' = 'titan-support-ft-003-continued';
EXPLAIN (COSTS OFF) SELECT job_name, base_model_arn FROM bedrock_jobs WHERE job_name = 'titan-support-ft-003-continued';
SELECT job_name, base_model_arn, role_arn FROM bedrock_jobs WHERE job_name = 'titan-support-ft-003-continued';
SELECT job_name, base_model_arn, role_arn FROM full_scan WHERE job_name = 'titan-support-ft-003-continued';
EXPLAIN (COSTS OFF) SELECT job_name, base_model_arn, role_arn FROM bedrock_jobs WHERE job_name = 'titan-support-ft-003-continued';

-- ORDER BY creation_time [DESC] LIMIT n on one region and status: the API
-- sorts (sortBy/sortOrder), maxResults is n and paging stops early
\! "$EMUCTL" reset
SELECT job_name, creation_time FROM bedrock_jobs
  WHERE region = 'us-east-1' ORDER BY creation_time DESC LIMIT 3;
SELECT job_name, creation_time FROM bedrock_jobs
  WHERE region = 'us-east-1' AND status = 'Completed' ORDER BY creation_time LIMIT 7;
\! "$EMUCTL" requests --summary
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs
  WHERE region = 'us-east-1' ORDER BY creation_time DESC LIMIT 3;
-- the same orders as sorting a full scan locally
SELECT array(SELECT job_arn FROM bedrock_jobs WHERE region = 'us-east-1' ORDER BY creation_time DESC LIMIT 6)
     = array(SELECT job_arn FROM full_scan WHERE region = 'us-east-1' ORDER BY creation_time DESC LIMIT 6) AS desc_same,
       array(SELECT job_arn FROM bedrock_jobs WHERE region = 'us-east-1' ORDER BY creation_time LIMIT 6)
     = array(SELECT job_arn FROM full_scan WHERE region = 'us-east-1' ORDER BY creation_time LIMIT 6) AS asc_same;
-- several regions: each sends its own first 3 in that order, and
-- PostgreSQL sorts those few rows
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs ORDER BY creation_time DESC LIMIT 3;
\! "$EMUCTL" reset
SELECT array(SELECT job_arn FROM bedrock_jobs ORDER BY creation_time DESC LIMIT 3)
     = array(SELECT job_arn FROM full_scan ORDER BY creation_time DESC LIMIT 3) AS same_as_full_scan;
\! "$EMUCTL" requests --summary
-- LIMIT without ORDER BY: paging stops once enough rows came
\! "$EMUCTL" reset
SELECT count(*) FROM (SELECT job_name FROM bedrock_jobs WHERE region = 'us-east-1' LIMIT 7) s;
\! "$EMUCTL" requests --summary
-- a filter PostgreSQL applies alone: the LIMIT says nothing about the calls
EXPLAIN (COSTS OFF) SELECT job_name FROM bedrock_jobs
  WHERE region = 'us-east-1' AND job_name LIKE '%ft%' LIMIT 2;
SELECT count(*) FROM (SELECT job_name FROM bedrock_jobs
  WHERE region = 'us-east-1' AND job_name LIKE '%-ft-%' LIMIT 6) s;

-- a join from a small cost table on job_arn: a nested loop of lookups, one
-- Get per outer row in the ARN's region (none for NULL or a non-ARN)
CREATE TEMP TABLE few_costs (job_arn text, usd numeric);
INSERT INTO few_costs VALUES
  ('arn:aws:bedrock:us-east-1:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k/yb0fzcezaazd', 12.5),
  ('arn:aws:bedrock:us-west-2:123456789012:model-customization-job/amazon.nova-micro-v1:0:128k/2ec0sxejce2c', 3),
  ('not-an-arn', 1), (NULL, 0);
ANALYZE few_costs;
SELECT * FROM pg_temp.explain_lines(
  'SELECT j.region, j.job_name, c.usd FROM few_costs c JOIN bedrock_jobs j ON j.job_arn = c.job_arn');
\! "$EMUCTL" reset
SELECT j.region, j.job_name, c.usd, j.tags FROM few_costs c JOIN bedrock_jobs j ON j.job_arn = c.job_arn
  ORDER BY 1;
\! "$EMUCTL" requests --summary
SELECT count(*) AS same_as_full_scan_join FROM (
  SELECT j.job_name, c.usd FROM few_costs c JOIN bedrock_jobs j ON j.job_arn = c.job_arn
  INTERSECT
  SELECT f.job_name, c.usd FROM few_costs c JOIN full_scan f ON f.job_arn = c.job_arn) x;

-- edge cases that must still give the full scan's answer
SELECT count(*) FROM bedrock_jobs WHERE region = 'us-east-1'
  ORDER BY count(*) FETCH FIRST 1 ROW WITH TIES;
SELECT count(*) FROM (SELECT job_name FROM bedrock_jobs WHERE region = 'us-east-1'
  ORDER BY region FETCH FIRST 1 ROW WITH TIES) s;
SELECT count(*) FROM bedrock_jobs WHERE job_name IN ('nova-micro-ft-classify', 'nova-micro-ft-classify');
SELECT count(*) FROM (SELECT job_name, base_model_arn FROM bedrock_jobs
  WHERE job_arn IN ('arn:aws:bedrock:us-east-1:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k/yb0fzcezaazd',
                    'arn:aws:bedrock:us-west-2:123456789012:model-customization-job/amazon.nova-micro-v1:0:128k/2ec0sxejce2c')
  LIMIT 1) s;
\! "$EMUCTL" reset
-- an ARN-like value outside the API's pattern is not sent: its region is
-- listed, and PostgreSQL finds no row; likewise a name outside the pattern
SELECT count(*) FROM bedrock_jobs
  WHERE job_arn = 'arn:aws:bedrock:us-east-1:123456789012:model-customization-job/FOO/bar';
SELECT count(*) FROM bedrock_jobs WHERE job_name = 'caf' || chr(233);
SELECT count(*) FROM bedrock_jobs WHERE creation_time < '10000-01-01' AND region = 'eu-west-1';
\! "$EMUCTL" requests --summary
-- a join that uses base_model_arn lists each job found for its summary
SELECT * FROM pg_temp.explain_lines(
  'SELECT j.base_model_arn FROM few_costs c JOIN bedrock_jobs j ON j.job_arn = c.job_arn');

-- the page size option sets maxResults
ALTER SERVER pd_server OPTIONS (ADD page_size '2');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1';
\! "$EMUCTL" requests --summary

-- cache_ttl: an identical call within the TTL is answered from the cache;
-- other parameters, or another access key, are sent
ALTER SERVER pd_server OPTIONS (ADD cache_ttl '300');
SELECT bedrock_fdw_clear_cache() >= 0 AS cleared;
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1';
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1';
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1' AND status = 'Failed';
\! "$EMUCTL" requests --summary
\! "$EMUCTL" reset
ALTER USER MAPPING FOR CURRENT_USER SERVER pd_server
  OPTIONS (SET access_key_id 'AKIDEMULATOREXAMPLE1',
           SET secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef',
           DROP session_token);
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1' AND status = 'Failed';
SELECT bedrock_fdw_clear_cache();
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1' AND status = 'Failed';
\! "$EMUCTL" requests --summary
ALTER SERVER pd_server OPTIONS (DROP cache_ttl);

-- cached connections can be closed, as with postgres_fdw_disconnect_all()
SELECT bedrock_fdw_disconnect_all();
SELECT bedrock_fdw_disconnect_all();
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1';

RESET search_path;
DROP SCHEMA pd CASCADE;
DROP SERVER pd_server CASCADE;
