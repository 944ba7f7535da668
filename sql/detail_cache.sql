--
-- The validated detail cache: Get answers of jobs in a terminal state are
-- kept, and used only while the List summary shows the status and
-- lastModifiedTime they were kept with; tags never are.  Proven from the
-- emulator's request log, and by comparing every column with a cold scan.
--
\getenv emu_url EMU_URL
\getenv repo REPO
\set explain_lines :repo '/sql/explain_lines.inc'
\set ECHO none
\i :explain_lines
\set ECHO all
CREATE SERVER dc_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2', endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER dc_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE dc_jobs (region text, job_arn text, job_name text, status text,
                              last_modified_time timestamptz, role_arn text,
                              hyper_parameters jsonb, training_metrics jsonb, tags text[])
  SERVER dc_server;
SHOW bedrock_fdw.detail_cache_size;

-- cold: a Get (and a ListTagsForResource) per job
\! "$EMUCTL" reset
CREATE TEMP TABLE cold AS SELECT * FROM dc_jobs;
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c
SELECT status IN ('Completed', 'Failed', 'Stopped') AS terminal, count(*)
  FROM cold GROUP BY 1 ORDER BY 1;

-- warm: Gets only for the jobs that may still change; every job's tags
\! "$EMUCTL" reset
CREATE TEMP TABLE warm AS SELECT * FROM dc_jobs;
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c
-- the very same rows, in every column
SELECT (SELECT count(*) FROM (SELECT * FROM cold EXCEPT ALL SELECT * FROM warm) a) +
       (SELECT count(*) FROM (SELECT * FROM warm EXCEPT ALL SELECT * FROM cold) b)
       AS differing_rows;
-- EXPLAIN ANALYZE shows hits and misses
SELECT * FROM pg_temp.explain_lines(
  $$SELECT job_name, role_arn FROM dc_jobs WHERE region = 'us-west-2'$$,
  'ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF');

-- a job that changed is fetched again: its summary's lastModifiedTime moved,
-- so what was kept is dropped, and the row shows the change.  (The emulator
-- keeps the change across resets: the job is put back below.)
\getenv work WORK
\set fixtures_file :work '/dc_fixtures.json'
\set old_file :work '/dc_old.json'
\! python3 "$REPO/test/emulator.py" --dump-fixtures > "$WORK/dc_fixtures.json"
SELECT f->'job'->>'jobArn' AS changed_arn
  FROM jsonb_array_elements(pg_read_file(:'fixtures_file')::jsonb->'jobs') f
 WHERE f->>'region' = 'us-west-2' AND f->'summary'->>'status' = 'Completed'
 ORDER BY 1 LIMIT 1 \gset
-- (written by psql, not the server: the scratch directory may be the test's)
\pset format unaligned
\pset tuples_only on
\o :old_file
SELECT jsonb_build_object('lastModifiedTime', f->'job'->'lastModifiedTime',
                          'roleArn', f->'job'->'roleArn')
  FROM jsonb_array_elements(pg_read_file(:'fixtures_file')::jsonb->'jobs') f
 WHERE f->'job'->>'jobArn' = :'changed_arn';
\o
\pset format aligned
\pset tuples_only off
\setenv DC_ARN :changed_arn
\! "$EMUCTL" update-job "$DC_ARN" '{"lastModifiedTime": "2026-01-02T03:04:05.678Z", "roleArn": "arn:aws:iam::123456789012:role/ChangedRole"}' > /dev/null
\! "$EMUCTL" reset
SELECT job_name, role_arn, last_modified_time FROM dc_jobs
  WHERE region = 'us-west-2' AND job_arn || '' = :'changed_arn';
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c
\! "$EMUCTL" update-job "$DC_ARN" - < "$WORK/dc_old.json" > /dev/null
\! "$EMUCTL" reset
SELECT (SELECT count(*) FROM (SELECT * FROM dc_jobs EXCEPT ALL SELECT * FROM cold) a) +
       (SELECT count(*) FROM (SELECT * FROM cold EXCEPT ALL SELECT * FROM dc_jobs) b)
       AS differing_rows_after_restore;
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c

-- a lookup by ARN has no summary to check an answer against: always Get
\! "$EMUCTL" reset
SELECT job_name, role_arn FROM dc_jobs
  WHERE job_arn = (SELECT job_arn FROM cold WHERE status = 'Completed' ORDER BY job_arn LIMIT 1);
\! "$EMUCTL" requests --summary | awk '{print $1, $NF}' | sort | uniq -c

-- another server is another identity: nothing of dc_server's is read
CREATE SERVER dc_other FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-west-2', endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER dc_other
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE dc_other_jobs (job_name text, role_arn text) SERVER dc_other;
\! "$EMUCTL" reset
SELECT count(role_arn) FROM dc_other_jobs;
\! "$EMUCTL" requests --summary | awk '{print $1, $NF}' | sort | uniq -c

-- the server option detail_cache 'false': a Get per job, nothing read
ALTER SERVER dc_server OPTIONS (ADD detail_cache 'false');
\! "$EMUCTL" reset
SELECT count(role_arn) FROM dc_jobs;
\! "$EMUCTL" requests --summary | awk '{print $1, $NF}' | sort | uniq -c
ALTER SERVER dc_server OPTIONS (SET detail_cache 'maybe');
ALTER SERVER dc_server OPTIONS (DROP detail_cache);

-- bedrock_fdw_clear_cache() empties it: cold again
SELECT bedrock_fdw_clear_cache() > 0 AS had_answers;
\! "$EMUCTL" reset
SELECT count(role_arn) FROM dc_jobs;
\! "$EMUCTL" requests --summary | awk '{print $1, $NF}' | sort | uniq -c

-- bedrock_fdw.detail_cache_size 0 turns it off
SET bedrock_fdw.detail_cache_size = 0;
\! "$EMUCTL" reset
SELECT count(role_arn) FROM dc_jobs;
\! "$EMUCTL" requests --summary | awk '{print $1, $NF}' | sort | uniq -c
RESET bedrock_fdw.detail_cache_size;
