--
-- Ambient credentials, env: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in
-- the server's environment, with web identity, ECS and IMDS configured too
-- (test/ambient.sh).  The keys come first: no STS, ECS or IMDS request.
--
\getenv repo REPO
\set setup :repo '/sql/ambient_setup.inc'
\i :setup

-- us-east-1's 24 jobs in 5 pages, every one signed with the keys
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs;
\! "$EMUCTL" requests --keys | sort | uniq -c
SELECT * FROM credentials_line('SELECT count(*) FROM bedrock_jobs', :'emu_url');
