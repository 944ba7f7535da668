--
-- Asynchronous execution: under an Append (a UNION ALL, a partitioned
-- table) the scans of bedrock foreign tables run at once, each server's
-- calls beside the others', as postgres_fdw's do with async_capable.  The
-- rows are the same either way; the overlap is proven from the emulator's
-- request log, not by timing.
--
\getenv emu_url EMU_URL
\getenv repo REPO
\set explain_lines :repo '/sql/explain_lines.inc'
\set ECHO none
\i :explain_lines
\set ECHO all
CREATE SERVER as_east FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', endpoint :'emu_url');
CREATE SERVER as_west FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-west-2', endpoint :'emu_url');
CREATE SERVER as_eu FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'eu-west-1', endpoint :'emu_url', max_retries '1');
CREATE USER MAPPING FOR CURRENT_USER SERVER as_east
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE USER MAPPING FOR CURRENT_USER SERVER as_west
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE USER MAPPING FOR CURRENT_USER SERVER as_eu
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE as_east_jobs (region text, job_name text, status text,
                                   creation_time timestamptz, role_arn text, tags text[])
  SERVER as_east;
CREATE FOREIGN TABLE as_west_jobs (region text, job_name text, status text,
                                   creation_time timestamptz, role_arn text, tags text[])
  SERVER as_west;
CREATE FOREIGN TABLE as_eu_jobs (region text, job_name text, status text,
                                 creation_time timestamptz, role_arn text, tags text[])
  SERVER as_eu;
CREATE VIEW as_all AS
  SELECT * FROM as_east_jobs UNION ALL
  SELECT * FROM as_west_jobs UNION ALL
  SELECT * FROM as_eu_jobs;

-- the option is a Boolean, on servers and foreign tables
ALTER SERVER as_east OPTIONS (ADD async_capable 'maybe');
ALTER FOREIGN TABLE as_east_jobs OPTIONS (ADD async_capable 'maybe');
CREATE USER MAPPING FOR PUBLIC SERVER as_east OPTIONS (async_capable 'true');

-- whether the request log shows every server's first List received before
-- the first answer was due (latency_ms after it): the calls overlapped
CREATE FUNCTION pg_temp.lists_overlapped(log jsonb) RETURNS TABLE (servers bigint, overlapped boolean)
LANGUAGE sql AS $$
  SELECT count(*), max(first_at) < min(first_at + latency)
  FROM (SELECT e->>'region' AS region, min((e->>'time')::float8) AS first_at,
               min(coalesce((e->>'latency_ms')::float8, 0)) / 1000 AS latency
        FROM jsonb_array_elements(log) e
        WHERE e->>'operation' = 'ListModelCustomizationJobs'
        GROUP BY 1) f
$$;

-- by default, each scan is an Async Foreign Scan
EXPLAIN (COSTS OFF) SELECT job_name FROM as_all;

-- the same rows either way, with per-row calls and a filter PostgreSQL
-- applies (a scan may have a row ready, or not yet, between the two)
CREATE TEMP TABLE async_rows AS
  SELECT * FROM as_all WHERE length(job_name) % 2 = 0 OR status = 'Completed';
SELECT region, count(*), count(role_arn) AS with_get, count(tags) AS with_tags
  FROM async_rows GROUP BY region ORDER BY region;

-- a foreign table's option wins over its server's; a synchronous scan
-- runs beside the asynchronous ones
ALTER FOREIGN TABLE as_eu_jobs OPTIONS (ADD async_capable 'false');
EXPLAIN (COSTS OFF) SELECT job_name FROM as_all;
SELECT region, count(*) FROM as_all GROUP BY region ORDER BY region;
ALTER FOREIGN TABLE as_eu_jobs OPTIONS (DROP async_capable);
ALTER SERVER as_east OPTIONS (ADD async_capable 'false');
ALTER SERVER as_west OPTIONS (ADD async_capable 'false');
ALTER SERVER as_eu OPTIONS (ADD async_capable 'false');
EXPLAIN (COSTS OFF) SELECT job_name FROM as_all;
CREATE TEMP TABLE sync_rows AS
  SELECT * FROM as_all WHERE length(job_name) % 2 = 0 OR status = 'Completed';
SELECT (SELECT count(*) FROM async_rows) AS async_rows,
       (SELECT count(*) FROM sync_rows) AS sync_rows,
       (SELECT count(*) FROM (SELECT * FROM async_rows EXCEPT ALL SELECT * FROM sync_rows) a) +
       (SELECT count(*) FROM (SELECT * FROM sync_rows EXCEPT ALL SELECT * FROM async_rows) s)
         AS differing;

-- every server's first List before any answer came back when async; one
-- server after the other when not (25 ms a request)
\! "$EMUCTL" config '{"latency_ms": 25}' >/dev/null
\! "$EMUCTL" reset
SELECT region, count(*) FROM as_all GROUP BY region ORDER BY region;
\set reqlog `"$EMUCTL" requests`
SELECT * FROM pg_temp.lists_overlapped(:'reqlog');
ALTER SERVER as_east OPTIONS (DROP async_capable);
ALTER SERVER as_west OPTIONS (DROP async_capable);
ALTER SERVER as_eu OPTIONS (SET async_capable 'true');
\! "$EMUCTL" reset
SELECT region, count(*) FROM as_all GROUP BY region ORDER BY region;
\set reqlog `"$EMUCTL" requests`
SELECT * FROM pg_temp.lists_overlapped(:'reqlog');
\! "$EMUCTL" requests --summary
-- EXPLAIN ANALYZE counts each scan's rows
SELECT pg_temp.explain_lines('SELECT job_name FROM as_all',
  'ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF');

-- a partitioned table with one bedrock foreign table per partition
CREATE TABLE as_parted (region text, job_name text, status text) PARTITION BY LIST (region);
CREATE FOREIGN TABLE as_parted_east PARTITION OF as_parted FOR VALUES IN ('us-east-1')
  SERVER as_east;
CREATE FOREIGN TABLE as_parted_west PARTITION OF as_parted FOR VALUES IN ('us-west-2')
  SERVER as_west;
CREATE FOREIGN TABLE as_parted_eu PARTITION OF as_parted FOR VALUES IN ('eu-west-1')
  SERVER as_eu;
EXPLAIN (COSTS OFF) SELECT region, count(*) FROM as_parted GROUP BY region;
\! "$EMUCTL" reset
SELECT region, count(*) FROM as_parted GROUP BY region ORDER BY region;
\set reqlog `"$EMUCTL" requests`
SELECT * FROM pg_temp.lists_overlapped(:'reqlog');
-- pruned to one partition, and rescanned with each outer row's value
EXPLAIN (COSTS OFF) SELECT count(*) FROM as_parted WHERE region = 'us-west-2';
SELECT r, (SELECT count(*) FROM as_all a WHERE a.region = v.r)
  FROM (VALUES ('us-east-1'), ('eu-west-1'), ('ap-south-1'), ('us-west-2')) v(r);

-- a LIMIT ends the scans with calls in flight; the next query is whole
SELECT count(*) FROM (SELECT job_name FROM as_all LIMIT 3) l;
SELECT region, count(*) FROM as_all GROUP BY region ORDER BY region;

-- a retry waits out its backoff while the other servers' scans go on
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "region": "eu-west-1", "status": 503, "error_type": "ServiceUnavailableException", "times": 1}]'
SELECT region, count(*) FROM as_all GROUP BY region ORDER BY region;

-- an error in one server is that server's ERROR, with its SQLSTATE; the
-- other scans are abandoned, and the next query works
\set VERBOSITY terse
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "region": "us-west-2", "status": 403, "error_type": "AccessDeniedException", "request_id": "regress-async"}]'
SELECT count(*) FROM as_all;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "region": "eu-west-1", "status": 400, "error_type": "ValidationException", "request_id": "regress-async"}]'
SELECT count(*) FROM as_parted;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set VERBOSITY default
\! "$EMUCTL" faults '[]'
SELECT region, count(*) FROM as_all GROUP BY region ORDER BY region;
SELECT region, count(*) FROM as_parted GROUP BY region ORDER BY region;

-- a statement_timeout ends the Append's wait with PostgreSQL's own error,
-- and the next query works
\! "$EMUCTL" config '{"latency_ms": 2000}' >/dev/null
SET statement_timeout = '200ms';
SELECT count(*) FROM as_all;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET statement_timeout;
\! "$EMUCTL" config '{"latency_ms": 0}' >/dev/null
SELECT region, count(*) FROM as_all GROUP BY region ORDER BY region;

DROP VIEW as_all;
DROP TABLE as_parted;
DROP SERVER as_east, as_west, as_eu CASCADE;
