--
-- Resources: every table of the catalog against the emulator's fixtures.
-- Each table's rows and every column, compared with the emulator's own
-- fixture dump by one generic check; then each table's filters, proven
-- pushed from the request log, and its lookups.
--
\getenv emu_url EMU_URL
\getenv work WORK
CREATE SERVER res_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2,eu-west-1', endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER res_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE SCHEMA res;
IMPORT FOREIGN SCHEMA bedrock FROM SERVER res_server INTO res;
SET search_path = res, public;
SET timezone = 'UTC';
\getenv repo REPO
\set explain_lines :repo '/sql/explain_lines.inc'
\set ECHO none
\i :explain_lines
\set ECHO all

-- the tables IMPORT made, with their resource and column count
SELECT c.relname, ft.ftoptions, count(a.attnum) AS columns
  FROM pg_class c JOIN pg_foreign_table ft ON ft.ftrelid = c.oid
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
 WHERE c.relnamespace = 'res'::regnamespace
 GROUP BY 1, 2 ORDER BY 1;

-- the emulator's fixture data, independent of the extension
\! python3 "$REPO/test/emulator.py" --dump-fixtures > "$WORK/resource_fixtures.json"
\set fixtures_file :work '/resource_fixtures.json'
CREATE TEMP TABLE fixture AS
  SELECT r.key AS resource, f->>'region' AS region, f->'summary' AS summary,
         -- two Get answers hold the resource in a member
         coalesce(f->'get'->'modelDetails', f->'get'->'marketplaceModelEndpoint',
                  f->'get') AS got,
         f->'tags' AS tags
    FROM jsonb_each(pg_read_file(:'fixtures_file')::jsonb->'resources') r,
         jsonb_array_elements(r.value) f
   -- ListGuardrails without an identifier lists each guardrail's DRAFT
   WHERE r.key <> 'guardrails' OR f->'summary'->>'version' = 'DRAFT';

-- each table, its resource and the summary member of its ARN column
CREATE TEMP TABLE tbl (name text, resource text, arn_col text, arn_member text);
INSERT INTO tbl VALUES
  ('bedrock_custom_models', 'custom_models', 'model_arn', 'modelArn'),
  ('bedrock_provisioned_model_throughputs', 'provisioned_model_throughputs',
   'provisioned_model_arn', 'provisionedModelArn'),
  ('bedrock_model_invocation_jobs', 'model_invocation_jobs', 'job_arn', 'jobArn'),
  ('bedrock_evaluation_jobs', 'evaluation_jobs', 'job_arn', 'jobArn'),
  ('bedrock_imported_models', 'imported_models', 'model_arn', 'modelArn'),
  ('bedrock_model_import_jobs', 'model_import_jobs', 'job_arn', 'jobArn'),
  ('bedrock_model_copy_jobs', 'model_copy_jobs', 'job_arn', 'jobArn'),
  ('bedrock_custom_model_deployments', 'custom_model_deployments',
   'custom_model_deployment_arn', 'customModelDeploymentArn'),
  ('bedrock_foundation_models', 'foundation_models', 'model_arn', 'modelArn'),
  ('bedrock_inference_profiles', 'inference_profiles', 'inference_profile_arn',
   'inferenceProfileArn'),
  ('bedrock_guardrails', 'guardrails', 'guardrail_arn', 'arn'),
  ('bedrock_prompt_routers', 'prompt_routers', 'prompt_router_arn', 'promptRouterArn'),
  ('bedrock_marketplace_model_endpoints', 'marketplace_model_endpoints',
   'endpoint_arn', 'endpointArn');

-- leaf values of a JSON document, sorted: equal whatever the key spelling
CREATE FUNCTION pg_temp.leaves(j jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT coalesce(array_agg(v::text ORDER BY v::text), '{}')
    FROM jsonb_path_query(j, 'strict $.**') v
   WHERE jsonb_typeof(v) NOT IN ('object', 'array')
$$;
CREATE FUNCTION pg_temp.snake(m text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT lower(regexp_replace(regexp_replace(m, '([A-Z]+)([A-Z][a-z])', '\1_\2', 'g'),
                              '([a-z0-9])([A-Z])', '\1_\2', 'g'))
$$;

-- every row of every table as jsonb, with the fixture it should be
CREATE TEMP TABLE fdw_row (tbl text, r jsonb);
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT name FROM tbl LOOP
    EXECUTE format('INSERT INTO fdw_row SELECT %L, to_jsonb(x) FROM %I x', t.name, t.name);
  END LOOP;
END $$;

-- rows per table and region: the fixture's, and no ARN twice
SELECT t.name,
       (SELECT count(*) FROM fdw_row w WHERE w.tbl = t.name) AS fdw_rows,
       (SELECT count(DISTINCT w.r->>t.arn_col) FROM fdw_row w WHERE w.tbl = t.name) AS arns,
       (SELECT count(*) FROM fixture f WHERE f.resource = t.resource) AS fixture_rows,
       (SELECT string_agg(region || '=' || n, ' ' ORDER BY region)
          FROM (SELECT w.r->>'region' AS region, count(*) AS n FROM fdw_row w
                 WHERE w.tbl = t.name GROUP BY 1) g) AS per_region
  FROM tbl t ORDER BY 1;

-- every column of every row against the fixture member it reads: the List
-- summary's value where it has one, else Get's; none may differ
CREATE TEMP TABLE cell AS
  SELECT t.name AS tbl, w.r->>t.arn_col AS arn, c.key AS col, c.value AS got_value,
         f.region, f.tags,
         (SELECT m.value FROM jsonb_each(coalesce(f.got, '{}') || f.summary) m
           WHERE pg_temp.snake(m.key) = c.key
              OR (t.name = 'bedrock_guardrails' AND c.key = 'guardrail_' || m.key)
           ORDER BY (m.key = ANY (SELECT jsonb_object_keys(f.summary))) DESC
           LIMIT 1) AS want
    FROM tbl t
    JOIN fdw_row w ON w.tbl = t.name
    JOIN fixture f ON f.resource = t.resource AND f.summary->>t.arn_member = w.r->>t.arn_col
                  AND f.region = w.r->>'region'
   CROSS JOIN LATERAL jsonb_each(w.r) c;
SELECT tbl, col, count(*) AS mismatches
  FROM cell
 WHERE CASE
   WHEN col = 'region' THEN got_value #>> '{}' IS DISTINCT FROM region
   WHEN col = 'account_id' THEN got_value #>> '{}' IS DISTINCT FROM nullif(split_part(arn, ':', 5), '')
   -- AWS's own resources (system inference profiles...): no tags call, NULL
   WHEN col IN ('tags', 'tag_map') AND jsonb_typeof(coalesce(tags, 'null')) <> 'array'
     THEN jsonb_typeof(got_value) <> 'null'
   WHEN col = 'tags' THEN got_value IS DISTINCT FROM
        (SELECT coalesce(jsonb_agg(to_jsonb(t->>'key' || ':' || (t->>'value'))), '[]')
           FROM jsonb_array_elements(tags) t)
   WHEN col = 'tag_map' THEN got_value IS DISTINCT FROM
        (SELECT coalesce(jsonb_object_agg(t->>'key', t->>'value'), '{}')
           FROM jsonb_array_elements(tags) t)
   WHEN want IS NULL THEN jsonb_typeof(got_value) <> 'null'
   WHEN jsonb_typeof(want) = 'string' AND want #>> '{}' ~ '^\d{4}-\d\d-\d\dT'
     THEN (got_value #>> '{}')::timestamptz IS DISTINCT FROM (want #>> '{}')::timestamptz
   WHEN jsonb_typeof(want) IN ('object', 'array')
     THEN pg_temp.leaves(got_value) IS DISTINCT FROM pg_temp.leaves(want)
   ELSE got_value IS DISTINCT FROM want
 END
 GROUP BY 1, 2 ORDER BY 1, 2;
-- and the cells compared: every column of every row
SELECT count(*) AS cells, count(DISTINCT tbl || col) AS columns,
       count(*) FILTER (WHERE want IS NOT NULL OR col IN ('tags', 'tag_map')) AS with_values
  FROM cell;

-- each table's filters, sent as the API's parameters (the request log) and
-- returning the rows a full scan filtered by PostgreSQL returns
CREATE FUNCTION pg_temp.same_as_full_scan(q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE pushed text[]; scanned text[];
BEGIN
  EXECUTE format('SELECT coalesce(array_agg(x::text ORDER BY x::text), ''{}'') FROM (%s) x', q)
    INTO pushed;
  SET LOCAL bedrock_fdw.pushdown = off;
  EXECUTE format('SELECT coalesce(array_agg(x::text ORDER BY x::text), ''{}'') FROM (%s) x', q)
    INTO scanned;
  RETURN pushed = scanned;
END $$;
\set q 'SELECT model_name, model_status FROM bedrock_custom_models WHERE model_status = ''Active'' AND region = ''us-east-1'' AND base_model_arn = ''arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k'' AND model_name LIKE ''%support%'' AND creation_time > ''2023-01-01'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT provisioned_model_name, status, model_units FROM bedrock_provisioned_model_throughputs WHERE status IN (''InService'', ''Updating'') AND model_arn = ''arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/k2j9qt6srmmd'' AND region = ''us-east-1'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT job_name, status FROM bedrock_model_invocation_jobs WHERE status = ''Completed'' AND submit_time >= ''2024-06-01'' AND submit_time < ''2024-07-01'' AND job_name LIKE ''support%'' AND region = ''us-east-1'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT job_name, application_type FROM bedrock_evaluation_jobs WHERE application_type = ''RagEvaluation'' AND status = ''Completed'' AND region = ''us-east-1'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT source_model_name, target_model_name, source_account_id FROM bedrock_model_copy_jobs WHERE source_account_id = ''210987654321'' AND target_model_name LIKE ''partner%'' AND region = ''us-east-1'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT custom_model_deployment_name, status FROM bedrock_custom_model_deployments WHERE status = ''Active'' AND created_at > ''2024-01-01'' AND region = ''us-east-1'' ORDER BY created_at DESC LIMIT 2'
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT model_id, provider_name FROM bedrock_foundation_models WHERE provider_name = ''Anthropic'' AND region = ''us-west-2'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT inference_profile_id, type, tag_map FROM bedrock_inference_profiles WHERE type = ''APPLICATION'' AND region = ''us-east-1'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT prompt_router_name, type, tags FROM bedrock_prompt_routers WHERE region = ''us-east-1'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT model_name, model_architecture FROM bedrock_imported_models WHERE model_name LIKE ''llama%'' AND creation_time < ''2030-01-01'' AND region = ''us-east-1'' ORDER BY creation_time LIMIT 1'
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT job_name, status, imported_model_name FROM bedrock_model_import_jobs WHERE status = ''Completed'' AND job_name LIKE ''import%'' AND region = ''us-west-2'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT source_model_name, target_model_name, status FROM bedrock_model_copy_jobs WHERE status = ''Completed'' AND source_model_arn = ''arn:aws:bedrock:us-east-1:210987654321:custom-model/amazon.titan-text-lite-v1:0:4k/zl38cvqj4nru'' AND creation_time >= ''2024-01-01'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT custom_model_deployment_name, status FROM bedrock_custom_model_deployments WHERE model_arn = ''arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/k2j9qt6srmmd'' AND custom_model_deployment_name LIKE ''titan%'' AND region = ''us-east-1'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
-- an ARN and the id of the same model: Get finds it twice, the scan gives one
-- row, as a full scan does
\set q 'SELECT model_id, region FROM bedrock_foundation_models WHERE model_id = ANY (ARRAY[''arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-2-3b-instruct-v1:0'', ''meta.llama3-2-3b-instruct-v1:0'']) AND region = ''us-east-1'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT prompt_router_name, type FROM bedrock_prompt_routers WHERE type = ''custom'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT endpoint_arn, status FROM bedrock_marketplace_model_endpoints WHERE model_source_identifier = ''arn:aws:sagemaker:us-east-1:aws:hub-content/SageMakerPublicHub/Model/huggingface-textgeneration1-gpt-j-6b/3.0.0'' AND region = ''us-east-1'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
-- a name no Get takes (batch jobs are looked up by ARN or id only): equality
-- sends the whole name as nameContains, and PostgreSQL keeps the equal ones
\set q 'SELECT job_name, status FROM bedrock_model_invocation_jobs WHERE job_name = ''support-tickets-summarize-2024-06'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
PREPARE by_name(text) AS SELECT count(*) FROM bedrock_model_invocation_jobs WHERE job_name = $1;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE by_name('x');
RESET plan_cache_mode;
DEALLOCATE by_name;
EXPLAIN (COSTS OFF) SELECT * FROM bedrock_model_invocation_jobs WHERE job_name = 'has space';
-- a value the API would refuse is not sent: the scan lists and filters
\set q 'SELECT provisioned_model_name, status FROM bedrock_provisioned_model_throughputs WHERE status = ''Deleting'''
EXPLAIN (COSTS OFF) :q;
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');

-- lookups: an ARN is one Get in its region, a name or id one per region;
-- Get-only columns come from the same Get
\set q 'SELECT model_name, job_name, hyper_parameters FROM bedrock_custom_models WHERE model_arn = ''arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/k2j9qt6srmmd'''
EXPLAIN (COSTS OFF) :q;
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
-- the same text as a job ARN: the job pattern refuses it (each pattern
-- has its own verdict), so no Get goes out and us-east-1 is listed
\set q 'SELECT job_name FROM bedrock_jobs WHERE job_arn = ''arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/k2j9qt6srmmd'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1;
\! "$EMUCTL" requests --summary
\set q 'SELECT guardrail_id, name, version, blocked_input_messaging FROM bedrock_guardrails WHERE guardrail_id = ''06cz84gvv3dn'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT model_id, model_name, model_lifecycle FROM bedrock_foundation_models WHERE model_arn = ''arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
-- an ARN of another service (a SageMaker endpoint) names its region too
\set q 'SELECT endpoint_arn, endpoint_status FROM bedrock_marketplace_model_endpoints WHERE endpoint_arn = ''arn:aws:sagemaker:us-east-1:123456789012:endpoint/legacy-gpt-j-endpoint'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
-- a column only the List summary has: a lookup lists instead, in the ARN's region
\set q 'SELECT model_name, owner_account_id FROM bedrock_custom_models WHERE model_arn = ''arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/k2j9qt6srmmd'''
EXPLAIN (COSTS OFF) :q;
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
-- a system inference profile by ARN: AWS's own, so no tags call (NULL tags)
\set q 'SELECT inference_profile_id, type, tags FROM bedrock_inference_profiles WHERE inference_profile_arn = ''arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0'''
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary

-- joins users write: a provisioned throughput's model, a custom model's job
SELECT p.provisioned_model_name, p.model_units, m.model_name, m.model_status, j.job_name, j.status
  FROM bedrock_provisioned_model_throughputs p
  JOIN bedrock_custom_models m ON m.model_arn = p.model_arn
  LEFT JOIN bedrock_jobs j ON j.output_model_arn = m.model_arn
 ORDER BY 1;

-- the joins users write through parameterized paths: one Get per outer row
-- (a job's output model, a custom model's base model, a throughput's model)
\set q 'SELECT j.job_name, m.model_name, m.model_status FROM bedrock_jobs j JOIN bedrock_custom_models m ON m.model_arn = j.output_model_arn WHERE j.job_name = ''titan-support-ft-001'''
SELECT * FROM pg_temp.explain_lines(:'q');
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT m.model_name, f.model_id, f.provider_name FROM bedrock_custom_models m JOIN bedrock_foundation_models f ON f.model_arn = m.base_model_arn WHERE m.model_name = ''titan-support-v1'''
SELECT * FROM pg_temp.explain_lines(:'q');
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');
\set q 'SELECT p.provisioned_model_name, p.model_units, m.model_name FROM bedrock_provisioned_model_throughputs p JOIN bedrock_custom_models m ON m.model_arn = p.model_arn WHERE p.provisioned_model_name = ''titan-support-pt'''
SELECT * FROM pg_temp.explain_lines(:'q');
\! "$EMUCTL" reset
SELECT * FROM (:q) s ORDER BY 1, 2;
\! "$EMUCTL" requests --summary
SELECT pg_temp.same_as_full_scan(:'q');

-- a table declaring a subset of columns, by resource option; a column of
-- another resource is refused, naming this one's
CREATE FOREIGN TABLE my_throughput (model_units bigint, status text, region text)
  SERVER res_server OPTIONS (resource 'provisioned_model_throughputs');
SELECT region, status, sum(model_units) FROM my_throughput GROUP BY 1, 2 ORDER BY 1, 2;
CREATE FOREIGN TABLE bad_throughput (job_name text)
  SERVER res_server OPTIONS (resource 'provisioned_model_throughputs');
SELECT * FROM bad_throughput;
CREATE FOREIGN TABLE worse (x text) SERVER res_server OPTIONS (resource 'widgets');
ALTER FOREIGN TABLE my_throughput ALTER COLUMN model_units TYPE boolean;
SELECT * FROM my_throughput;

RESET search_path;
DROP SCHEMA res CASCADE;
DROP SERVER res_server CASCADE;
