/* bedrock_fdw--0.3.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION bedrock_fdw" to load this file. \quit

CREATE FUNCTION bedrock_fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FUNCTION bedrock_fdw_validator(text[], oid)
RETURNS void
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER bedrock_fdw
  HANDLER bedrock_fdw_handler
  VALIDATOR bedrock_fdw_validator;

-- close this backend's cached connections (keep-alive) to Bedrock endpoints
CREATE FUNCTION bedrock_fdw_disconnect_all()
RETURNS bool
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT PARALLEL RESTRICTED;

-- forget this backend's cached Bedrock answers (server option cache_ttl),
-- returning how many there were, and its cached AWS credentials
CREATE FUNCTION bedrock_fdw_clear_cache()
RETURNS bigint
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT PARALLEL RESTRICTED;

-- the accounts and regions a scan of the server reaches, with accounts
-- 'organization' and regions 'all' expanded, and those unavailable
CREATE FUNCTION bedrock_fdw_regions(server name,
                                    OUT account_id text, OUT region text,
                                    OUT unavailable text)
RETURNS SETOF record
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT PARALLEL RESTRICTED;

-- what this backend asked of AWS, per foreign server, region and operation:
-- what a user checks against the account's API quotas
CREATE FUNCTION bedrock_fdw_stats(OUT server text, OUT region text,
                                  OUT operation text, OUT calls bigint,
                                  OUT retries bigint, OUT throttles bigint,
                                  OUT errors bigint, OUT bytes bigint,
                                  OUT cache_hits bigint, OUT mean_ms float8,
                                  OUT max_ms float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;

CREATE VIEW bedrock_fdw_stats AS SELECT * FROM bedrock_fdw_stats();
GRANT SELECT ON bedrock_fdw_stats TO PUBLIC;

-- forget the counters of bedrock_fdw_stats (every backend's when preloaded):
-- granted, like pg_stat_statements_reset(), not everyone's
CREATE FUNCTION bedrock_fdw_stats_reset()
RETURNS void
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT PARALLEL RESTRICTED;

REVOKE EXECUTE ON FUNCTION bedrock_fdw_stats_reset() FROM PUBLIC;
