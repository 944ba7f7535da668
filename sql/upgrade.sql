--
-- Upgrade: the extension's SQL objects at 0.1, then ALTER EXTENSION UPDATE
-- to the default version: 0.2 adds bedrock_fdw_regions() and the
-- bedrock_fdw_stats view, 0.3 takes bedrock_fdw_stats_reset() from PUBLIC.
--
-- (whatever earlier tests left goes with it, unlisted)
SET client_min_messages = warning;
DROP EXTENSION bedrock_fdw CASCADE;
RESET client_min_messages;
CREATE EXTENSION bedrock_fdw VERSION '0.1';
SELECT extversion FROM pg_extension WHERE extname = 'bedrock_fdw';
SELECT p.proname FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'bedrock_fdw')
   AND d.classid = 'pg_proc'::regclass ORDER BY 1;
ALTER EXTENSION bedrock_fdw UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'bedrock_fdw';
SELECT p.proname, pg_get_function_result(p.oid) AS result
  FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'bedrock_fdw')
   AND d.classid = 'pg_proc'::regclass ORDER BY 1;
-- who may run what: every function PUBLIC's but the reset of the counters,
-- and the counters' view is PUBLIC's to read
SELECT p.proname, has_function_privilege('public', p.oid, 'EXECUTE') AS public_may_run
  FROM pg_proc p WHERE p.proname LIKE 'bedrock\_fdw\_%' ORDER BY 1;
SELECT has_table_privilege('public', 'bedrock_fdw_stats', 'SELECT') AS public_may_read;
-- what CREATE EXTENSION at the default version makes is what the update made,
-- privileges included
CREATE TEMP TABLE updated AS
  SELECT p.proname, pg_get_function_arguments(p.oid) AS args,
         pg_get_function_result(p.oid) AS result, p.provolatile, p.proparallel, p.proisstrict,
         coalesce(p.proacl::text, 'default') AS acl
    FROM pg_proc p WHERE p.proname LIKE 'bedrock\_fdw\_%';
DROP EXTENSION bedrock_fdw CASCADE;
CREATE EXTENSION bedrock_fdw;
SELECT has_table_privilege('public', 'bedrock_fdw_stats', 'SELECT') AS public_may_read;
SELECT count(*) AS functions,
       count(*) FILTER (WHERE (p.proname, pg_get_function_arguments(p.oid),
                               pg_get_function_result(p.oid), p.provolatile,
                               p.proparallel, p.proisstrict,
                               coalesce(p.proacl::text, 'default'))
                              IN (SELECT * FROM updated)) AS same
  FROM pg_proc p WHERE p.proname LIKE 'bedrock\_fdw\_%';
