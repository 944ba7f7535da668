--
-- Hostile and broken answers: each is a clear ERROR with a SQLSTATE, a
-- recovered result after a retry, or a documented value; never a crash.
--
\getenv emu_url EMU_URL
CREATE SERVER ft_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'eu-west-1', endpoint :'emu_url', max_retries '1',
           connect_timeout '2', request_timeout '2');
CREATE USER MAPPING FOR CURRENT_USER SERVER ft_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE ft_jobs (job_name text, status text, creation_time timestamptz,
                              role_arn text, tags text[])
  SERVER ft_server;
\set SHOW_CONTEXT never

-- transport failures are retried: one of each, then the rows
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "action": "reset", "times": 1}, {"operation": "GetModelCustomizationJob", "action": "truncate", "times": 1}, {"operation": "ListTagsForResource", "action": "stall_body", "delay": 5, "times": 1}]'
SELECT count(*), count(role_arn), count(tags) FROM ft_jobs;
-- a 429 with Retry-After, once
\! "$EMUCTL" faults '[{"operation": "*", "status": 429, "error_type": "ThrottlingException", "retry_after": "1", "times": 1}]'
SELECT count(*) FROM ft_jobs;

-- ... and when they persist, an ERROR after the attempts allowed (terse:
-- the DETAIL names the emulator's URL, whose port changes from run to run)
\set VERBOSITY terse
\! "$EMUCTL" faults '[{"operation": "*", "action": "reset"}]'
SELECT count(*) FROM ft_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "*", "action": "stall_headers", "delay": 5}]'
SELECT count(*) FROM ft_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "*", "action": "stall_body", "delay": 5}]'
SELECT count(*) FROM ft_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "*", "action": "truncate"}]'
SELECT count(*) FROM ft_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- bodies that are not what they should be
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "*", "action": "huge", "size": 70000000}]'
SELECT count(*) FROM ft_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set VERBOSITY default
\! "$EMUCTL" faults '[{"operation": "*", "action": "garbage"}]'
SELECT count(*) FROM ft_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "*", "action": "deep", "depth": 100000}]'
SELECT count(*) FROM ft_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "action": "non_utf8"}]'
SELECT count(*) FROM ft_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "*", "action": "repeat_token"}]'
SELECT count(*) FROM ft_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "*", "action": "bad_timestamp"}]'
SELECT creation_time FROM ft_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- an error body with NUL and control bytes: shown as '?', never past its end
\! "$EMUCTL" faults '[{"operation": "*", "status": 400, "body": "\u0000\u0001oops\u0000", "request_id": "regress-nul"}]'
SELECT count(*) FROM ft_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- an unknown status is passed through as the API wrote it
\! "$EMUCTL" faults '[{"operation": "*", "action": "unknown_status"}]'
SELECT status, count(*) FROM ft_jobs GROUP BY status ORDER BY status;

-- a huge Get or Tags answer while listing, and the session afterwards
\set VERBOSITY terse
\! "$EMUCTL" faults '[{"operation": "ListTagsForResource", "action": "huge", "size": 70000000, "times": 1}]'
SELECT count(tags) FROM ft_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set VERBOSITY default
\! "$EMUCTL" faults '[]'
SELECT count(*), count(tags) FROM ft_jobs;

DROP SERVER ft_server CASCADE;
