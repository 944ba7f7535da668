--
-- Ambient credentials, instance: EC2 instance metadata only
-- (AWS_EC2_METADATA_DISABLED=false, AWS_EC2_METADATA_SERVICE_ENDPOINT at the
-- emulator; test/ambient.sh).  IMDSv2: a session token, the role's name, its
-- credentials; then the ASIAIMDS... keys sign every call.
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
-- the line of EXPLAIN ANALYZE that names where the credentials came from
-- (the emulator's URL, whose port changes per run, shows as <emulator>)
CREATE FUNCTION credentials_line(query text, url text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  l text;
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || query LOOP
    IF l LIKE '%Bedrock Credentials:%' THEN
      RETURN NEXT replace(btrim(l), url, '<emulator>');
    END IF;
  END LOOP;
END $$;

-- in order: the IMDSv2 token, the role's name, its credentials, then
-- us-east-1's 23 jobs in 5 pages signed with them
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs;
\! "$EMUCTL" requests --keys
\! "$EMUCTL" requests --summary | grep '^IMDS'
SELECT * FROM credentials_line('SELECT count(*) FROM bedrock_jobs', :'emu_url');


-- an IMDS that refuses the token request (as when the hop limit or an
-- instance setting blocks it) means no instance metadata: the chain ends
-- with its clear error instead of an HTTP error.  A new session starts
-- with no cached credentials.
\c
SET search_path = amb, public;
\set VERBOSITY terse
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "IMDSGetToken", "status": 403, "times": 1}]'
SELECT count(*) FROM bedrock_jobs;
\! "$EMUCTL" requests --summary
