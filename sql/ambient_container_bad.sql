--
-- Ambient credentials, container_bad: AWS_CONTAINER_CREDENTIALS_FULL_URI is
-- http to a host that is not loopback nor an ECS or EKS agent, dressed up as
-- loopback with user information (http://127.0.0.1:80@example.com/creds: the
-- host is example.com), with IMDS configured at the emulator
-- (test/ambient.sh).  An ERROR before any request: no fetch, and no falling
-- through to IMDS.
--
\getenv emu_url EMU_URL
CREATE SERVER amb_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', endpoint :'emu_url', sts_endpoint :'emu_url');
-- no keys and no profile: the server's own identity (pg_regress connects
-- as a superuser, who may use it)
CREATE USER MAPPING FOR CURRENT_USER SERVER amb_server;
CREATE SCHEMA amb;
IMPORT FOREIGN SCHEMA bedrock FROM SERVER amb_server INTO amb;
SET search_path = amb, public;
-- a query's error (its SQLSTATE, message, detail and hint), and whether it
-- came within 2 seconds
CREATE FUNCTION query_error(query text,
  OUT state text, OUT message text, OUT detail text, OUT hint text,
  OUT fast boolean)
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE query;
  message := 'no error';
  fast := clock_timestamp() - t0 < interval '2 s';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE,
    message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL,
    hint = PG_EXCEPTION_HINT;
  fast := clock_timestamp() - t0 < interval '2 s';
END $$;
\x on

\! "$EMUCTL" reset
SELECT * FROM query_error('SELECT count(*) FROM bedrock_jobs');
-- nothing reached the emulator
\! "$EMUCTL" requests --keys | wc -l
