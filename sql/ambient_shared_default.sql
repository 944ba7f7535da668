--
-- Ambient credentials, shared_default: the shared AWS files of the server's
-- OS user (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE) have a default
-- profile with keys; web identity, ECS and IMDS are configured too
-- (test/ambient.sh).  As in the SDKs, the default profile comes after the
-- environment's keys and before web identity: no STS, ECS or IMDS request.
--
\getenv repo REPO
\set setup :repo '/sql/ambient_setup.inc'
\i :setup

-- us-east-1's 24 jobs in 5 pages, every one signed with the profile's keys
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs;
\! "$EMUCTL" requests --keys | sort | uniq -c
SELECT * FROM credentials_line('SELECT count(*) FROM bedrock_jobs', :'emu_url');
