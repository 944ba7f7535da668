--
-- bedrock_fdw_stats: this backend's calls per server, region and operation,
-- against the emulator's own request log; retries, throttles and errors;
-- cache hits; bedrock_fdw_stats_reset().
--
-- these tests count every Get: no detail cache (detail_cache.sql tests it)
SET bedrock_fdw.detail_cache_size = 0;
\getenv emu_url EMU_URL
CREATE SERVER st_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,eu-west-1', endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER st_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE st_jobs (region text, job_name text, role_arn text, tags text[])
  SERVER st_server;
SELECT bedrock_fdw_stats_reset();
SELECT count(*) FROM bedrock_fdw_stats;

-- every request the emulator logged is counted once, under its operation
\! "$EMUCTL" reset
SELECT region, count(*), count(role_arn), count(tags) FROM st_jobs GROUP BY 1 ORDER BY 1;
\! "$EMUCTL" requests --summary | awk '{print $1, $2}' | sort | uniq -c
SELECT server, region, operation, calls, retries, throttles, errors,
       bytes > 0 AS has_bytes, cache_hits, mean_ms >= 0 AND max_ms >= mean_ms AS latency_ok
  FROM bedrock_fdw_stats ORDER BY 1, 2, 3;

-- a throttled List and a failing Get: retries, throttles and errors
SELECT bedrock_fdw_stats_reset();
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "region": "eu-west-1", "status": 429, "error_type": "ThrottlingException", "times": 2}, {"operation": "GetModelCustomizationJob", "region": "eu-west-1", "status": 503, "times": 1}]'
SELECT count(role_arn) FROM st_jobs WHERE region = 'eu-west-1';
\! "$EMUCTL" requests --summary | awk '{print $1, $2, $NF}' | sort | uniq -c
SELECT region, operation, calls, retries, throttles, errors
  FROM bedrock_fdw_stats ORDER BY 1, 2;
\! "$EMUCTL" faults '[]'

-- answers from the cache (cache_ttl) are counted as hits, not calls
ALTER SERVER st_server OPTIONS (ADD cache_ttl '60');
SELECT bedrock_fdw_clear_cache() >= 0 AS cleared;
SELECT bedrock_fdw_stats_reset();
SELECT count(*) FROM st_jobs WHERE region = 'us-east-1';
SELECT count(*) FROM st_jobs WHERE region = 'us-east-1';
SELECT region, operation, calls, cache_hits FROM bedrock_fdw_stats ORDER BY 1, 2;

-- resetting the counters is granted: PUBLIC may read them, not reset them
CREATE ROLE regress_bedrock_stats_reader;
SET ROLE regress_bedrock_stats_reader;
SELECT count(*) >= 0 AS may_read FROM bedrock_fdw_stats;
SELECT bedrock_fdw_stats_reset();
RESET ROLE;
GRANT EXECUTE ON FUNCTION bedrock_fdw_stats_reset() TO regress_bedrock_stats_reader;
SET ROLE regress_bedrock_stats_reader;
SELECT bedrock_fdw_stats_reset();
RESET ROLE;
SELECT count(*) FROM bedrock_fdw_stats;
REVOKE EXECUTE ON FUNCTION bedrock_fdw_stats_reset() FROM regress_bedrock_stats_reader;
DROP ROLE regress_bedrock_stats_reader;

DROP SERVER st_server CASCADE;
