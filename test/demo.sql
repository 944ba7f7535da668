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

\echo
\echo '== FinOps: monthly Bedrock cost per project, across jobs, custom models and provisioned throughput'
\set ECHO queries
-- provisioned throughput bills while InService: that filter is sent to the API as statusEquals
EXPLAIN (COSTS OFF)
SELECT provisioned_model_name FROM bedrock_provisioned_model_throughputs WHERE status = 'InService';
SELECT region, provisioned_model_name, model_units, commitment_duration, creation_time::date AS created,
       tag_map->>'project' AS project
  FROM bedrock_provisioned_model_throughputs WHERE status = 'InService' ORDER BY region, created;
SET TIME ZONE 'UTC';
-- a sample AWS Cost and Usage Report 2.0 export (monthly granularity) for Q1 2025,
-- derived from the live resources: each job's training hours, $1.95 a month of
-- storage per custom model, and each InService throughput's model-unit hours
CREATE TEMP TABLE cur2 (
  line_item_product_code     text,
  line_item_usage_type       text,
  line_item_resource_id      text,
  line_item_usage_start_date timestamptz,
  line_item_unblended_cost   numeric(12,2),
  resource_tags              jsonb);
INSERT INTO cur2
SELECT 'AmazonBedrock',
       upper(regexp_replace(region, '^(\w\w)-(\w)\w*-(\d)$', '\1\2\3')) || '-' || usage_type,
       arn, month, round(cost, 2),
       jsonb_strip_nulls(jsonb_build_object('user_project', tag_map->>'project'))
  FROM (SELECT region, 'Customization-TrainingHours' AS usage_type, job_arn AS arn,
               date_trunc('month', creation_time) AS month, tag_map,
               extract(epoch FROM coalesce(end_time, last_modified_time) - creation_time) / 3600 * 32.50 AS cost
          FROM bedrock_jobs WHERE creation_time >= '2025-01-01' AND creation_time < '2025-04-01'
        UNION ALL
        SELECT region, 'CustomModel-Storage', model_arn, m, tag_map, 1.95
          FROM bedrock_custom_models,
               generate_series(timestamptz '2025-01-01', '2025-03-01', '1 month') m
         WHERE creation_time < m + interval '1 month'
        UNION ALL
        SELECT region, 'ProvisionedThroughput-ModelUnitHours', provisioned_model_arn, m, tag_map,
               extract(epoch FROM m + interval '1 month' - greatest(m, creation_time)) / 3600 * model_units
               * CASE commitment_duration WHEN 'SixMonths' THEN 14.80 WHEN 'OneMonth' THEN 18.40 ELSE 20.50 END
          FROM bedrock_provisioned_model_throughputs,
               generate_series(timestamptz '2025-01-01', '2025-03-01', '1 month') m
         WHERE status = 'InService' AND creation_time < m + interval '1 month') usage
 WHERE month >= '2025-01-01' AND month < '2025-04-01';
SELECT line_item_usage_type, count(*) AS line_items, sum(line_item_unblended_cost) AS cost_usd
  FROM cur2 GROUP BY 1 ORDER BY 1;
-- the headline: the project comes from each resource's live tags (tag_map->>'project'
-- is lossless, unlike split_part on tags), joined to the export by resource ARN
SELECT coalesce(r.project, '(untagged)') AS project,
       string_agg(DISTINCT r.kind, ', ' ORDER BY r.kind) AS billed_for,
       sum(c.line_item_unblended_cost) FILTER (WHERE c.line_item_usage_start_date = '2025-01-01') AS "2025-01",
       sum(c.line_item_unblended_cost) FILTER (WHERE c.line_item_usage_start_date = '2025-02-01') AS "2025-02",
       sum(c.line_item_unblended_cost) FILTER (WHERE c.line_item_usage_start_date = '2025-03-01') AS "2025-03",
       sum(c.line_item_unblended_cost) AS q1_total
  FROM cur2 c
  JOIN (SELECT job_arn, tag_map->>'project', 'training' FROM bedrock_jobs
        UNION ALL
        SELECT model_arn, tag_map->>'project', 'storage' FROM bedrock_custom_models
        UNION ALL
        SELECT provisioned_model_arn, tag_map->>'project', 'throughput'
          FROM bedrock_provisioned_model_throughputs) r (arn, project, kind)
    ON r.arn = c.line_item_resource_id
 WHERE c.line_item_product_code = 'AmazonBedrock'
 GROUP BY 1 ORDER BY q1_total DESC, project;
\set ECHO none
