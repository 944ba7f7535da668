--
-- Ambient credentials, shared_profile: AWS_PROFILE names a profile of the
-- shared AWS files whose credential_process mints credentials at the
-- emulator; a default profile, web identity, ECS and IMDS are configured too
-- (test/ambient.sh).  AWS_PROFILE wins over the default profile.
--
\getenv repo REPO
\set setup :repo '/sql/ambient_setup.inc'
\i :setup

-- us-east-1's 23 jobs in 5 pages, signed with the process's ASIAPROC keys
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs;
\! "$EMUCTL" requests --keys | sort | uniq -c | sed 's/ASIAPROC0*/ASIAPROC#/'
SELECT * FROM credentials_line('SELECT count(*) FROM bedrock_jobs', :'emu_url');
