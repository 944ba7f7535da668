--
-- Retries: what is retried and how often, proven from the emulator's request
-- log; skip_unavailable_regions.
--
-- these tests count every Get: no detail cache (detail_cache.sql tests it)
SET bedrock_fdw.detail_cache_size = 0;
\getenv emu_url EMU_URL
CREATE SERVER rt_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-west-2,eu-west-1', endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER rt_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE rt_jobs (region text, job_name text, status text, role_arn text, tags text[])
  SERVER rt_server;
\set SHOW_CONTEXT never

-- one throttled List and one 503 on a Get: both retried, the query succeeds
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "region": "eu-west-1", "status": 429, "error_type": "ThrottlingException", "times": 1}, {"operation": "GetModelCustomizationJob", "status": 503, "error_type": "ServiceUnavailableException", "times": 1}]'
SELECT region, count(*), count(role_arn) FROM rt_jobs GROUP BY region ORDER BY region;
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c

-- a 504 that persists: the first attempt and max_retries (3) more, then an ERROR
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "*", "region": "us-west-2", "status": 504, "request_id": "regress-504"}]'
SELECT count(*) FROM rt_jobs WHERE region = 'us-west-2';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c

-- max_retries 0: one attempt
ALTER SERVER rt_server OPTIONS (ADD max_retries '0');
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "*", "region": "us-west-2", "status": 500, "request_id": "regress-500"}]'
SELECT count(*) FROM rt_jobs WHERE region = 'us-west-2';
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c
ALTER SERVER rt_server OPTIONS (SET max_retries '2');
ALTER SERVER rt_server OPTIONS (SET max_retries '11');

-- EXPLAIN ANALYZE's Bedrock Idle Wait: the time the scan waited with none of
-- its calls in flight.  A throttled List with Retry-After 1 leaves nothing in
-- flight for a second; without faults the calls overlap and it is about 0.
CREATE FUNCTION pg_temp.idle_wait(q text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
  plan json;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || q INTO plan;
  RETURN (plan->0->'Plan'->'Plans'->0->>'Bedrock Idle Wait')::float8;
END $$;
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "region": "us-west-2", "status": 429, "error_type": "ThrottlingException", "retry_after": "1", "times": 1}]'
SELECT pg_temp.idle_wait('SELECT count(*) FROM rt_jobs WHERE region = ''us-west-2''') BETWEEN 900 AND 5000 AS waited_out_retry_after;
\! "$EMUCTL" faults '[]'
SELECT pg_temp.idle_wait('SELECT count(*) FROM rt_jobs WHERE region = ''us-west-2''') < 100 AS nothing_to_wait_for;

-- client errors are never retried: 400, 403, 404
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "status": 400, "error_type": "ValidationException", "times": 1, "request_id": "regress-400"}, {"operation": "ListModelCustomizationJobs", "status": 403, "error_type": "AccessDeniedException", "times": 1, "request_id": "regress-403"}, {"operation": "ListTagsForResource", "status": 404, "error_type": "ResourceNotFoundException", "times": 1, "request_id": "regress-404"}]'
SELECT count(*) FROM rt_jobs WHERE region = 'eu-west-1';
SELECT count(*) FROM rt_jobs WHERE region = 'eu-west-1';
SELECT count(tags) FROM rt_jobs WHERE region = 'eu-west-1';
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c

-- an unavailable region fails the query, naming the region ...
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "*", "region": "us-west-2", "status": 503, "error_type": "ServiceUnavailableException", "request_id": "regress-503"}]'
SELECT region, count(*) FROM rt_jobs GROUP BY region ORDER BY region;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- ... unless skip_unavailable_regions asks for a WARNING and the other regions' rows
ALTER SERVER rt_server OPTIONS (ADD skip_unavailable_regions 'true');
SELECT region, count(*) FROM rt_jobs GROUP BY region ORDER BY region;
-- per-job calls failing in a region skip that region's rows too
\! "$EMUCTL" faults '[{"operation": "ListTagsForResource", "region": "eu-west-1", "status": 502, "request_id": "regress-502"}]'
SELECT region, count(*) FROM rt_jobs WHERE tags IS NOT NULL GROUP BY region ORDER BY region;
-- a LIMIT met by counting the rows of a region skipped later: those rows do
-- not count, so LIMIT 9 waits for the skip and gives all 8 of us-west-2's
\! "$EMUCTL" faults '[{"operation": "GetModelCustomizationJob", "region": "eu-west-1", "status": 503, "request_id": "regress-503c"}]'
SELECT count(role_arn) FROM (SELECT role_arn FROM rt_jobs LIMIT 9) s;
-- client errors are never skipped
\! "$EMUCTL" faults '[{"operation": "*", "region": "us-west-2", "status": 403, "error_type": "AccessDeniedException", "request_id": "regress-403b"}]'
SELECT region, count(*) FROM rt_jobs GROUP BY region ORDER BY region;
ALTER SERVER rt_server OPTIONS (SET skip_unavailable_regions 'maybe');
\! "$EMUCTL" faults '[]'

-- max_requests_per_second: a token bucket per region (a second's worth of
-- burst), so no second of the emulator's log holds more than twice the rate,
-- and the calls of a region are spread over (requests - rate) / rate seconds
ALTER SERVER rt_server OPTIONS (ADD max_requests_per_second '4');
ALTER SERVER rt_server OPTIONS (DROP skip_unavailable_regions);
\getenv work WORK
\set rl_file :work '/ratelimit.json'
\! "$EMUCTL" reset
SELECT region, count(*), count(role_arn) FROM rt_jobs GROUP BY region ORDER BY region;
\! "$EMUCTL" requests > "$WORK/ratelimit.json"
WITH r AS (
  SELECT e->>'region' AS region, (e->>'time')::float8 AS t
    FROM jsonb_array_elements(pg_read_file(:'rl_file')::jsonb) e
)
SELECT region, count(*) >= 5 AS several_requests,
       (SELECT max(n) FROM (SELECT count(*) AS n FROM r r2, r r3
                             WHERE r2.region = r.region AND r3.region = r.region
                               AND r3.t >= r2.t AND r3.t < r2.t + 1 GROUP BY r2.t) w) <= 8 AS within_rate,
       max(t) - min(t) >= (count(*) - 4) / 4.0 - 0.05 AS spread_out
  FROM r GROUP BY region ORDER BY region;
ALTER SERVER rt_server OPTIONS (SET max_requests_per_second '-1');

-- a resource is handed out as soon as its own answers are in: a LIMIT met by
-- a page's first rows does not wait for a Get stalled later in that page
-- (pages of 5 jobs; one call at a time, so the third Get is the third job's;
-- role_arn IS NOT NULL keeps the LIMIT off the List call).  Waiting for the
-- whole page would run into the statement timeout.
ALTER SERVER rt_server OPTIONS (ADD max_concurrency '1');
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "GetModelCustomizationJob", "after": 2, "times": 1, "action": "stall_headers", "delay": 120}]'
SET statement_timeout = '20s';
SELECT count(*) FROM (SELECT job_name FROM rt_jobs
                       WHERE region = 'us-west-2' AND role_arn IS NOT NULL LIMIT 2) s;
RESET statement_timeout;
\! "$EMUCTL" requests --summary | awk '$1 == "GetModelCustomizationJob" {n++} END {print (n == 2 || n == 3) ? "2 or 3 Gets: none after the stalled third" : n " Gets"}'
-- and in the List's order (newest first), though a token of the rate limit
-- came in between: the first two jobs' Gets, the first two sent
\set lim_file :work '/limit.json'
\! "$EMUCTL" requests > "$WORK/limit.json"
SELECT (array_agg(right(e->>'job_identifier', 12) ORDER BY (e->>'seq')::int))[1:2] AS first_gets
  FROM jsonb_array_elements(pg_read_file(:'lim_file')::jsonb) e
 WHERE e->>'operation' = 'GetModelCustomizationJob';
\! "$EMUCTL" faults '[]'

DROP SERVER rt_server CASCADE;
