--
-- Ambient credentials, instance: EC2 instance metadata only
-- (AWS_EC2_METADATA_DISABLED=false, AWS_EC2_METADATA_SERVICE_ENDPOINT at the
-- emulator; test/ambient.sh).  IMDSv2: a session token, the role's name, its
-- credentials; then the ASIAIMDS... keys sign every call.
--
\getenv repo REPO
\set setup :repo '/sql/ambient_setup.inc'
\i :setup

-- in order: the IMDSv2 token, the role's name, its credentials, then
-- us-east-1's 24 jobs in 5 pages signed with them
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs;
\! "$EMUCTL" requests --keys | sed 's/ASIA\([A-Z]*\)0*[0-9]*/ASIA\1#/'
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
