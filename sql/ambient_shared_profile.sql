--
-- Ambient credentials, shared_profile: AWS_PROFILE names a profile of the
-- shared AWS files whose credential_process mints credentials at the
-- emulator; a default profile, web identity, ECS and IMDS are configured too
-- (test/ambient.sh).  AWS_PROFILE wins over the default profile.
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

-- us-east-1's 23 jobs in 5 pages, signed with the process's ASIAPROC keys
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs;
\! "$EMUCTL" requests --keys | sort | uniq -c | sed 's/ASIAPROC0*/ASIAPROC#/'
SELECT * FROM credentials_line('SELECT count(*) FROM bedrock_jobs', :'emu_url');
