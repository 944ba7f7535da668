/* bedrock_fdw--0.2--0.3.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION bedrock_fdw UPDATE TO '0.3'" to load this file. \quit

-- with bedrock_fdw in shared_preload_libraries the counters are every
-- backend's, what an administrator checks against the API quotas: like
-- pg_stat_statements_reset(), resetting them is granted, not everyone's
REVOKE EXECUTE ON FUNCTION bedrock_fdw_stats_reset() FROM PUBLIC;

-- the counters themselves are everyone's to read, as the function was: the
-- view made by CREATE EXTENSION had no grant, so only its owner could
GRANT SELECT ON bedrock_fdw_stats TO PUBLIC;
