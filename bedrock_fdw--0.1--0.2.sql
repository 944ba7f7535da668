/* bedrock_fdw--0.1--0.2.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION bedrock_fdw UPDATE TO '0.2'" to load this file. \quit

-- the accounts and regions a scan of the server reaches, with accounts
-- 'organization' and regions 'all' expanded, and those unavailable
CREATE FUNCTION bedrock_fdw_regions(server name,
                                    OUT account_id text, OUT region text,
                                    OUT unavailable text)
RETURNS SETOF record
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT PARALLEL RESTRICTED;
