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
