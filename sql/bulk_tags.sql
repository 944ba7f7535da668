--
-- tags_source 'tagging_api': tags from the Resource Groups Tagging API's
-- GetResources, 100 ARNs a call, instead of one ListTagsForResource per
-- resource; the same tags; AccessDenied falls back with one WARNING.
--
\getenv emu_url EMU_URL
SET bedrock_fdw.detail_cache_size = 0;
CREATE SERVER bt_per FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2,eu-west-1', endpoint :'emu_url');
CREATE SERVER bt_bulk FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2,eu-west-1', endpoint :'emu_url',
           tags_source 'tagging_api', tagging_endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER bt_per
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE USER MAPPING FOR CURRENT_USER SERVER bt_bulk
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE per_jobs (region text, job_arn text, tags text[], tag_map jsonb)
  SERVER bt_per OPTIONS (resource 'model_customization_jobs');
CREATE FOREIGN TABLE bulk_jobs (region text, job_arn text, tags text[], tag_map jsonb)
  SERVER bt_bulk OPTIONS (resource 'model_customization_jobs');
CREATE FOREIGN TABLE per_profiles (region text, inference_profile_arn text, type text, tags text[])
  SERVER bt_per OPTIONS (resource 'inference_profiles');
CREATE FOREIGN TABLE bulk_profiles (region text, inference_profile_arn text, type text, tags text[])
  SERVER bt_bulk OPTIONS (resource 'inference_profiles');

EXPLAIN (COSTS OFF) SELECT tags FROM bulk_jobs;

-- one GetResources per region (each region's jobs fit in 100), no
-- ListTagsForResource at all
\! "$EMUCTL" reset
CREATE TEMP TABLE bulk AS SELECT * FROM bulk_jobs;
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c
CREATE TEMP TABLE per AS SELECT * FROM per_jobs;
-- the same tags as ListTagsForResource gives, for every job; untagged jobs,
-- which GetResources leaves out, have none (not NULL)
SELECT (SELECT count(*) FROM (SELECT * FROM per EXCEPT ALL SELECT * FROM bulk) a) +
       (SELECT count(*) FROM (SELECT * FROM bulk EXCEPT ALL SELECT * FROM per) b)
       AS differing_rows,
       (SELECT count(*) FROM bulk) AS jobs,
       (SELECT count(*) FROM bulk WHERE tags = '{}') AS untagged,
       (SELECT count(*) FROM bulk WHERE tags IS NULL) AS null_tags;

-- AWS's own rows (system inference profiles) have no tags of the account:
-- not asked for, NULL either way
\! "$EMUCTL" reset
SELECT type, count(*), count(tags) AS with_tags FROM bulk_profiles GROUP BY 1 ORDER BY 1;
\! "$EMUCTL" requests --summary | awk '{print $1, $NF}' | sort | uniq -c
SELECT count(*) AS differing_rows FROM (
  (SELECT * FROM per_profiles EXCEPT ALL SELECT * FROM bulk_profiles)
  UNION ALL
  (SELECT * FROM bulk_profiles EXCEPT ALL SELECT * FROM per_profiles)) d;

-- a filtered scan asks only for the tags of what it lists
\! "$EMUCTL" reset
SELECT count(*) FROM bulk_jobs WHERE region = 'us-west-2' AND tags IS NOT NULL;
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c

-- no tag:GetResources: one WARNING, and ListTagsForResource per job
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "GetResources", "status": 400, "error_type": "AccessDeniedException", "message": "User is not authorized to perform: tag:GetResources"}]'
\set VERBOSITY terse
SELECT count(*) AS differing_rows FROM (
  SELECT * FROM bulk_jobs WHERE region = 'us-west-2'
  EXCEPT ALL SELECT * FROM per WHERE region = 'us-west-2') d;
\set VERBOSITY default
-- (a GetResources for each page described before the refusal came back: n)
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c | awk '$2 == "GetResources" {$1 = "n"} {print}'
-- other failures are errors, with the Tagging API named
\! "$EMUCTL" faults '[{"operation": "GetResources", "status": 400, "error_type": "InvalidParameterException", "message": "bad ARN list", "request_id": "bt-400"}]'
SELECT count(tags) FROM bulk_jobs WHERE region = 'eu-west-1';
\! "$EMUCTL" faults '[]'

-- the options, checked
ALTER SERVER bt_bulk OPTIONS (SET tags_source 'bulk');
ALTER SERVER bt_bulk OPTIONS (SET tagging_endpoint 'ftp://example.com');
ALTER SERVER bt_bulk OPTIONS (SET tags_source 'per_resource');
\! "$EMUCTL" reset
SELECT count(tags) FROM bulk_jobs WHERE region = 'eu-west-1';
\! "$EMUCTL" requests --summary | awk '{print $1, $NF}' | sort | uniq -c
