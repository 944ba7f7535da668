-- The bedrock_fdw demo: live Bedrock model customization jobs in SQL, from
-- the bundled emulator's sample account.  Run by test/demo.sh (make demo).
\set ON_ERROR_STOP on
\pset footer off
\getenv emu_url EMU_URL
\echo
\echo '== Set-up: one extension, one server for two regions, your keys in a user mapping'
\echo
\set ECHO queries
CREATE EXTENSION bedrock_fdw;
CREATE SERVER bedrock FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2', endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER bedrock
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
IMPORT FOREIGN SCHEMA bedrock FROM SERVER bedrock INTO public;
\set ECHO none

\echo
\echo '== Every job, live from the API (List calls only)'
\set ECHO queries
SELECT region, job_name, status, customization_type, creation_time::date AS created
  FROM bedrock_jobs ORDER BY creation_time DESC LIMIT 12;
\set ECHO none

\echo
\echo '== Status and region are pushed down into the API calls'
\set ECHO queries
EXPLAIN (COSTS OFF)
SELECT job_name FROM bedrock_jobs WHERE region = 'us-west-2' AND status IN ('Failed', 'Stopped');
SELECT region, job_name, status, failure_message
  FROM bedrock_jobs WHERE status IN ('Failed', 'Stopped') ORDER BY region, job_name;
\set ECHO none

\echo
\echo '== Details and tags come from per-job Get and ListTagsForResource calls, run concurrently'
\set ECHO queries
SELECT job_name, hyper_parameters, training_metrics->>'training_loss' AS training_loss, tags
  FROM bedrock_jobs WHERE status = 'Completed' AND region = 'us-east-1'
  ORDER BY creation_time DESC LIMIT 5;
\set ECHO none

\echo
\echo '== FinOps: join live jobs with a local cost table'
\set ECHO queries
CREATE TEMP TABLE aws_cost (resource_id text, usage_date date, cost numeric(12,2));
-- a sample cost export: a few days of training cost per job
INSERT INTO aws_cost
SELECT job_arn, d::date, round((20 + length(job_name) * 3.7 + extract(day FROM d) * 1.3)::numeric, 2)
  FROM bedrock_jobs, generate_series(date '2025-06-01', date '2025-06-03', interval '1 day') d
 WHERE status <> 'InProgress';
SELECT j.job_name, j.status, sum(c.cost) AS cost_usd
  FROM bedrock_jobs j JOIN aws_cost c ON c.resource_id = j.job_arn
 GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 8;
-- cost per cost-allocation tag
SELECT split_part(t, ':', 2) AS cost_center, count(DISTINCT j.job_arn) AS jobs,
       sum(c.cost) AS cost_usd
  FROM bedrock_jobs j
  CROSS JOIN LATERAL unnest(j.tags) t
  JOIN aws_cost c ON c.resource_id = j.job_arn
 WHERE t LIKE 'cost-center:%'
 GROUP BY 1 ORDER BY 3 DESC;
\set ECHO none
