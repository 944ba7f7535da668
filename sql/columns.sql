--
-- Columns: every column and type, checked against the emulator's own
-- fixture data for every job, and a table declaring a subset of columns.
--
\getenv emu_url EMU_URL
\getenv work WORK
CREATE SERVER col_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2,eu-west-1', endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER col_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE SCHEMA col;
IMPORT FOREIGN SCHEMA bedrock FROM SERVER col_server INTO col;
SET search_path = col, public;
SET timezone = 'UTC';

-- the fully populated fixture job, every column
\x on
SELECT * FROM bedrock_jobs WHERE job_name = 'titan-support-ft-001';
-- a distillation job: union members, map keys verbatim inside equals/not_equals
SELECT job_name, customization_type, customization_config, training_data_config,
       hyper_parameters, vpc_config, validators, tags
  FROM bedrock_jobs WHERE customization_type = 'DISTILLATION' AND region = 'us-east-1'
  ORDER BY creation_time LIMIT 1;
-- reinforcement fine-tuning: a struct named hyperParameters is snake_cased
SELECT job_name, customization_config FROM bedrock_jobs
  WHERE customization_type = 'REINFORCEMENT_FINE_TUNING' ORDER BY creation_time LIMIT 1;
-- a failed job: failure message and end time; an in-progress one: no end time
SELECT job_name, status, failure_message, end_time, output_model_arn
  FROM bedrock_jobs WHERE job_name = 'llama3.1-ft+v2';
SELECT job_name, status, end_time IS NULL AS no_end_time, training_metrics
  FROM bedrock_jobs WHERE status = 'InProgress' ORDER BY creation_time LIMIT 1;
\x off

-- the emulator's fixture data, independent of the extension
\! python3 "$REPO/test/emulator.py" --dump-fixtures > "$WORK/fixtures.json"
\set fixtures_file :work '/fixtures.json'
CREATE TEMP TABLE fixture AS
  SELECT f->>'region' AS region, f->'job' AS job, f->'summary' AS summary, f->'tags' AS tags
    FROM jsonb_array_elements(pg_read_file(:'fixtures_file')::jsonb->'jobs') f;
SELECT region, count(*) FROM fixture GROUP BY region ORDER BY region;

-- leaf values of a JSON document, sorted: equal whatever the key spelling
CREATE FUNCTION pg_temp.leaves(j jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT coalesce(array_agg(v::text ORDER BY v::text), '{}')
    FROM jsonb_path_query(j, 'strict $.**') v
   WHERE jsonb_typeof(v) NOT IN ('object', 'array')
$$;

-- every job, every column, against the fixture: no row may differ
CREATE TEMP TABLE fdw_rows AS SELECT * FROM bedrock_jobs;
SELECT count(*) AS fdw_jobs, count(DISTINCT job_arn) AS distinct_arns FROM fdw_rows;
SELECT c.column_name, count(*) AS mismatches
  FROM fdw_rows r
  JOIN fixture f ON f.job->>'jobArn' = r.job_arn
  CROSS JOIN LATERAL (VALUES
    ('account_id', r.account_id IS DISTINCT FROM split_part(f.job->>'jobArn', ':', 5)),
    ('region', r.region IS DISTINCT FROM f.region),
    ('job_name', r.job_name IS DISTINCT FROM f.summary->>'jobName'),
    ('status', r.status IS DISTINCT FROM f.summary->>'status'),
    ('customization_type', r.customization_type IS DISTINCT FROM f.summary->>'customizationType'),
    -- SELECT * gets every job: Get's value, which differs from List's for a
    -- job that continues a custom model
    ('base_model_arn', r.base_model_arn IS DISTINCT FROM f.job->>'baseModelArn'),
    ('creation_time', r.creation_time IS DISTINCT FROM (f.summary->>'creationTime')::timestamptz),
    ('last_modified_time', r.last_modified_time IS DISTINCT FROM (f.summary->>'lastModifiedTime')::timestamptz),
    ('end_time', r.end_time IS DISTINCT FROM (f.summary->>'endTime')::timestamptz),
    ('status_details', pg_temp.leaves(r.status_details) IS DISTINCT FROM
                       CASE WHEN f.summary ? 'statusDetails' THEN pg_temp.leaves(f.summary->'statusDetails') END),
    ('output_model_arn', r.output_model_arn IS DISTINCT FROM f.summary->>'customModelArn'),
    ('output_model_name', r.output_model_name IS DISTINCT FROM f.summary->>'customModelName'),
    ('client_request_token', r.client_request_token IS DISTINCT FROM f.job->>'clientRequestToken'),
    ('failure_message', r.failure_message IS DISTINCT FROM f.job->>'failureMessage'),
    ('role_arn', r.role_arn IS DISTINCT FROM f.job->>'roleArn'),
    ('output_model_kms_key_arn', r.output_model_kms_key_arn IS DISTINCT FROM f.job->>'outputModelKmsKeyArn'),
    ('customization_config', pg_temp.leaves(r.customization_config) IS DISTINCT FROM
                             CASE WHEN f.job ? 'customizationConfig' THEN pg_temp.leaves(f.job->'customizationConfig') END),
    ('hyper_parameters', r.hyper_parameters IS DISTINCT FROM f.job->'hyperParameters'),
    ('output_data_config', pg_temp.leaves(r.output_data_config) IS DISTINCT FROM pg_temp.leaves(f.job->'outputDataConfig')),
    ('training_data_config', pg_temp.leaves(r.training_data_config) IS DISTINCT FROM pg_temp.leaves(f.job->'trainingDataConfig')),
    ('training_metrics', pg_temp.leaves(r.training_metrics) IS DISTINCT FROM
                         CASE WHEN f.job ? 'trainingMetrics' THEN pg_temp.leaves(f.job->'trainingMetrics') END),
    ('validation_data_config', pg_temp.leaves(r.validation_data_config) IS DISTINCT FROM pg_temp.leaves(f.job->'validationDataConfig')),
    ('validation_metrics', pg_temp.leaves(r.validation_metrics) IS DISTINCT FROM
                           CASE WHEN f.job ? 'validationMetrics' THEN pg_temp.leaves(f.job->'validationMetrics') END),
    ('vpc_config', pg_temp.leaves(r.vpc_config) IS DISTINCT FROM
                   CASE WHEN f.job ? 'vpcConfig' THEN pg_temp.leaves(f.job->'vpcConfig') END),
    ('tags', r.tags IS DISTINCT FROM
             ARRAY(SELECT t->>'key' || ':' || (t->>'value') FROM jsonb_array_elements(f.tags) t)),
    ('security_group_ids', r.security_group_ids IS DISTINCT FROM
                           CASE WHEN f.job ? 'vpcConfig' THEN
                           ARRAY(SELECT jsonb_array_elements_text(f.job->'vpcConfig'->'securityGroupIds')) END),
    ('subnet_ids', r.subnet_ids IS DISTINCT FROM
                   CASE WHEN f.job ? 'vpcConfig' THEN
                   ARRAY(SELECT jsonb_array_elements_text(f.job->'vpcConfig'->'subnetIds')) END),
    ('validators', r.validators IS DISTINCT FROM
                   ARRAY(SELECT v->>'s3Uri' FROM jsonb_array_elements(f.job->'validationDataConfig'->'validators') v))
  ) AS c(column_name, differs)
 WHERE c.differs
 GROUP BY c.column_name ORDER BY 1;
-- and no fixture job is missing from the scan
SELECT count(*) AS missing FROM fixture f
  WHERE NOT EXISTS (SELECT 1 FROM fdw_rows r WHERE r.job_arn = f.job->>'jobArn');

-- no JSON null ever becomes the string "null", and keys are snake_case
SELECT count(*) AS camel_case_keys FROM fdw_rows r,
  LATERAL jsonb_path_query(r.training_data_config || coalesce(r.customization_config, '{}')
                           || coalesce(r.status_details, '{}') || coalesce(r.vpc_config, '{}'),
                           'strict $.**') v
  WHERE jsonb_typeof(v) = 'object'
    AND EXISTS (SELECT 1 FROM jsonb_object_keys(v) k
                 WHERE k ~ '[A-Z]' AND k NOT IN (SELECT jsonb_object_keys(x) FROM
                   jsonb_path_query(r.training_data_config, 'strict $.**.equals') x
                   UNION SELECT jsonb_object_keys(x) FROM
                   jsonb_path_query(r.training_data_config, 'strict $.**.not_equals') x));
SELECT count(*) AS null_strings FROM fdw_rows
  WHERE 'null' IN (failure_message, output_model_arn, client_request_token, output_model_kms_key_arn);

-- a hand-written table: a subset of the columns, in another order, other types
CREATE FOREIGN TABLE jobs_subset (
  status varchar(20),
  created timestamp,              -- not a Bedrock column: rejected below
  job_name text
) SERVER col_server;
SELECT * FROM jobs_subset;
ALTER FOREIGN TABLE jobs_subset DROP COLUMN created;
ALTER FOREIGN TABLE jobs_subset ADD COLUMN creation_time date;
ALTER FOREIGN TABLE jobs_subset ADD COLUMN tags text;
ALTER FOREIGN TABLE jobs_subset ADD COLUMN hyper_parameters json;
SELECT * FROM jobs_subset WHERE job_name IN ('titan-support-ft-001', 'titan-ads-ft-001') ORDER BY job_name;
-- whole-row references need every column
SELECT j FROM jobs_subset j WHERE job_name = 'titan-gdpr-ft-001';

-- jsonb, text[] and text columns are built as Datums, other types from text
-- by their input functions: both ways give the same values, every job
CREATE FOREIGN TABLE jobs_as_text (
  job_arn varchar, region varchar, status_details json,
  customization_config json, hyper_parameters json, output_data_config json,
  training_data_config json, training_metrics json, validation_data_config json,
  validation_metrics json, vpc_config json, tags varchar[],
  security_group_ids varchar[], subnet_ids varchar[], validators varchar[],
  tag_map json
) SERVER col_server OPTIONS (resource 'model_customization_jobs');
SELECT count(*) AS rows_compared,
       count(*) FILTER (WHERE (r.region, r.status_details, r.customization_config,
                               r.hyper_parameters, r.output_data_config,
                               r.training_data_config, r.training_metrics,
                               r.validation_data_config, r.validation_metrics,
                               r.vpc_config, r.tags, r.security_group_ids,
                               r.subnet_ids, r.validators, r.tag_map)
                     IS DISTINCT FROM
                              (t.region::text, t.status_details::jsonb, t.customization_config::jsonb,
                               t.hyper_parameters::jsonb, t.output_data_config::jsonb,
                               t.training_data_config::jsonb, t.training_metrics::jsonb,
                               t.validation_data_config::jsonb, t.validation_metrics::jsonb,
                               t.vpc_config::jsonb, t.tags::text[], t.security_group_ids::text[],
                               t.subnet_ids::text[], t.validators::text[], t.tag_map::jsonb))
         AS differing,
       count(*) FILTER (WHERE r.tags <> '{}') AS with_tags,
       count(*) FILTER (WHERE r.validators IS NOT NULL) AS with_validators
  FROM (SELECT * FROM bedrock_jobs) r JOIN jobs_as_text t USING (job_arn);

RESET search_path;
DROP SCHEMA col CASCADE;
DROP SERVER col_server CASCADE;
