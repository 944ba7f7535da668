--
-- Ambient credentials, container: AWS_CONTAINER_CREDENTIALS_FULL_URI at the
-- emulator's ECS endpoint with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (and a
-- wrong AWS_CONTAINER_AUTHORIZATION_TOKEN, which the file overrides), with
-- IMDS configured too (test/ambient.sh).  One ECS fetch, then its ASIAECS...
-- keys sign every call.
--
\getenv repo REPO
\set setup :repo '/sql/ambient_setup.inc'
\i :setup

-- one fetch, with the file's token (the variable's would be refused: 403),
-- then us-east-1's 24 jobs in 5 pages, signed with what it gave
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs;
\! "$EMUCTL" requests --keys | sort | uniq -c | sed 's/ASIA\([A-Z]*\)0*[0-9]*/ASIA\1#/'
\! "$EMUCTL" requests --summary | grep '^ECS'
SELECT * FROM credentials_line('SELECT count(*) FROM bedrock_jobs', :'emu_url');
