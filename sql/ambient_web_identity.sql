--
-- Ambient credentials, web_identity: AWS_WEB_IDENTITY_TOKEN_FILE and
-- AWS_ROLE_ARN (as on EKS), with ECS and IMDS configured too
-- (test/ambient.sh).  One unsigned AssumeRoleWithWebIdentity at the server's
-- sts_endpoint, then its ASIAWEB... keys sign every call; the next query
-- uses them again from the cache.
--
\getenv repo REPO
\set setup :repo '/sql/ambient_setup.inc'
\i :setup

-- one AssumeRoleWithWebIdentity for the role, with the session name from
-- AWS_ROLE_SESSION_NAME, then us-east-1's 24 jobs in 5 pages signed with
-- what it gave
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs;
\! "$EMUCTL" requests --keys | sort | uniq -c | sed 's/ASIA\([A-Z]*\)0*[0-9]*/ASIA\1#/'
\! "$EMUCTL" requests --summary | grep '^AssumeRole'

-- the next query (12 Completed jobs, 3 pages): the cached keys, no second
-- AssumeRoleWithWebIdentity
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --keys | sort | uniq -c | sed 's/ASIA\([A-Z]*\)0*[0-9]*/ASIA\1#/'
SELECT * FROM credentials_line('SELECT count(*) FROM bedrock_jobs', :'emu_url');
