--
-- Pushdown: which Bedrock calls a query makes, proven from the emulator's
-- request log; pagination; EXPLAIN.  The emulator serves at most 5 jobs a
-- page here, so us-east-1's 23 jobs take 5 pages.
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

-- = ANY(array), with a value outside the API enum dropped from the calls
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs
  WHERE status = ANY (ARRAY['Stopping', 'Running']) AND region IN ('eu-west-1', 'us-west-2');
\! "$EMUCTL" requests --summary

-- nothing can match: no call at all, no rows
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Running';
SELECT count(*) FROM bedrock_jobs WHERE status = 'inprogress';
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
EXPLAIN (COSTS OFF, FORMAT JSON) SELECT job_name FROM bedrock_jobs WHERE status = 'Completed';
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

-- the page size option sets maxResults
ALTER SERVER pd_server OPTIONS (ADD page_size '2');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1';
\! "$EMUCTL" requests --summary

RESET search_path;
DROP SCHEMA pd CASCADE;
DROP SERVER pd_server CASCADE;
