--
-- Ambient credentials, shared_profile: AWS_PROFILE names a profile of the
-- shared AWS files whose credential_process mints credentials at the
-- emulator; a default profile, web identity, ECS and IMDS are configured too
-- (test/ambient.sh).  AWS_PROFILE wins over the default profile.  Then
-- profiles on the user mapping whose role is assumed with another source:
-- credential_source EcsContainer and Ec2InstanceMetadata, and a
-- web_identity_token_file.
--
\getenv repo REPO
\set setup :repo '/sql/ambient_setup.inc'
\i :setup

-- us-east-1's 24 jobs in 5 pages, signed with the process's ASIAPROC keys
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs;
\! "$EMUCTL" requests --keys | sort | uniq -c | sed 's/ASIAPROC0*/ASIAPROC#/'
SELECT * FROM credentials_line('SELECT count(*) FROM bedrock_jobs', :'emu_url');

-- credential_source EcsContainer: the container's keys sign AssumeRole
ALTER USER MAPPING FOR CURRENT_USER SERVER amb_server OPTIONS (ADD profile 'via_container');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --keys | uniq -c | sed 's/ASIA\([A-Z]*\)0*[0-9]*/ASIA\1#/'
-- credential_source Ec2InstanceMetadata
ALTER USER MAPPING FOR CURRENT_USER SERVER amb_server OPTIONS (SET profile 'via_instance');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --keys | uniq -c | sed 's/ASIA\([A-Z]*\)0*[0-9]*/ASIA\1#/'
-- web_identity_token_file in the profile
ALTER USER MAPPING FOR CURRENT_USER SERVER amb_server OPTIONS (SET profile 'via_web_identity');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --summary | grep AssumeRole
\! "$EMUCTL" requests --keys | uniq -c | sed 's/ASIA\([A-Z]*\)0*[0-9]*/ASIA\1#/'
SELECT * FROM credentials_line('SELECT count(*) FROM bedrock_jobs', :'emu_url');
