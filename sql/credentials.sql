--
-- Credentials: user mapping keys; a role assumed through STS, same-account
-- and cross-account; caching, refresh before expiry and after ExpiredToken;
-- profiles from the shared AWS files (keys, role chains, credential_process);
-- who may use what; superuser-only options; TLS with a custom CA; a proxy.
-- Which identity signed each call is read from the emulator's request log:
-- issued key ids name their source (ASIASTS..., ASIAPROC...).
--
\getenv emu_url EMU_URL
\getenv emu_https_url EMU_HTTPS_URL
\getenv tls_dir TLS_DIR
\set ca :tls_dir '/ca.pem'
\set other_ca :tls_dir '/other-ca.pem'
\set VERBOSITY default
\set SHOW_CONTEXT never
CREATE SERVER cred_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', endpoint :'emu_url', sts_endpoint :'emu_url',
           max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER cred_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE SCHEMA cred;
IMPORT FOREIGN SCHEMA bedrock FROM SERVER cred_server INTO cred;
SET search_path = cred, public;
\getenv repo REPO
\set explain_lines :repo '/sql/explain_lines.inc'
\set ECHO none
\i :explain_lines
\set ECHO all

-- the user mapping's keys sign every call
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs;
\! "$EMUCTL" requests --keys | uniq -c

-- a role on the user mapping: one AssumeRole signed with the keys, then the
-- role's credentials; the next query reuses them
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server
  OPTIONS (ADD role_arn 'arn:aws:iam::123456789012:role/bedrock-local',
           ADD role_session_name 'regress-session');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs;
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --keys | uniq -c
\! "$EMUCTL" requests --summary | grep AssumeRole
SELECT * FROM pg_temp.explain_lines(
  $$SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed'$$,
  'ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF');

-- without role_session_name the session is named after the PostgreSQL user
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server
  OPTIONS (DROP role_session_name);
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --summary | grep AssumeRole

-- cross-account: the role on the server, with the external ID it requires
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (DROP role_arn);
ALTER SERVER cred_server
  OPTIONS (ADD role_arn 'arn:aws:iam::210987654321:role/bedrock-cross-account');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER SERVER cred_server OPTIONS (ADD external_id 'emulator-external-id');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --summary | grep AssumeRole
-- a duration the role does not allow
ALTER SERVER cred_server OPTIONS (ADD duration_seconds '7200');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER SERVER cred_server OPTIONS (DROP duration_seconds);

-- refresh: credentials that live 2 s are renewed once past half their life
\! "$EMUCTL" config '{"credential_lifetime_s": 2}' >/dev/null
ALTER SERVER cred_server OPTIONS (SET external_id 'emulator-external-id');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
SELECT pg_sleep(1.5);
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --keys | uniq -c
\! "$EMUCTL" config '{"credential_lifetime_s": null}' >/dev/null

-- ExpiredToken: credentials revoked before their time are fetched anew
-- once, and the call retried (the 2 s ones above are forgotten first, so
-- that no refresh comes before the revocation is seen)
SELECT bedrock_fdw_clear_cache();
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" reset
\! "$EMUCTL" expire-credentials
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --keys | uniq -c
\! "$EMUCTL" requests --summary | grep -c ' 403$'
-- a refresh that fails while the credentials still work: they are used
-- until they expire, with a WARNING
\! "$EMUCTL" config '{"credential_lifetime_s": 4}' >/dev/null
ALTER SERVER cred_server OPTIONS (SET external_id 'emulator-external-id');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" faults '[{"operation": "AssumeRole", "status": 503, "request_id": "regress-refresh"}]'
SELECT pg_sleep(2.1);
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "AssumeRole", "status": 503, "request_id": "regress-refresh"}]'
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --summary | sed 's/ASIASTS[0-9]*/ASIASTS#/'
-- but a cancel during that refresh is a cancel, not a failed refresh
\! "$EMUCTL" faults '[]'
SELECT pg_sleep(2);
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" faults '[{"operation": "AssumeRole", "action": "stall_headers", "delay": 5}]'
SELECT pg_sleep(2.1);
SET statement_timeout = '500ms';
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
RESET statement_timeout;
\! "$EMUCTL" faults '[]'
\! "$EMUCTL" config '{"credential_lifetime_s": null}' >/dev/null
ALTER SERVER cred_server OPTIONS (DROP role_arn, DROP external_id);

-- profiles from the shared files of the server's OS user
\! printf '[static]\naws_access_key_id = AKIDEMULATOREXAMPLE1\naws_secret_access_key = emulator/Secret+Key/EXAMPLE1234567890abcdef\n\n[nokeys]\nregion = us-east-1\n' > "$WORK/aws/credentials"
\! printf '[default]\nregion = us-east-1\n[profile chained]\nrole_arn = arn:aws:iam::123456789012:role/bedrock-local\nsource_profile = static\nrole_session_name = regress-profile\n[profile cross]\nrole_arn = arn:aws:iam::210987654321:role/bedrock-cross-account\nsource_profile = chained\nexternal_id = emulator-external-id\n[profile sso]\nsso_session = corp\n[profile loop1]\nrole_arn = arn:aws:iam::123456789012:role/bedrock-local\nsource_profile = loop2\n[profile loop2]\nrole_arn = arn:aws:iam::123456789012:role/bedrock-local\nsource_profile = loop1\n[profile failing]\ncredential_process = sh -c "echo oops >&2; exit 3"\n[profile badjson]\ncredential_process = echo not-json\n[profile noversion]\ncredential_process = echo {\\"AccessKeyId\\": \\"x\\", \\"SecretAccessKey\\": \\"y\\"}\n' > "$WORK/aws/config"
\! printf '[profile colon]\naws_access_key_id: AKIDEMULATOREXAMPLE1\naws_secret_access_key: emulator/Secret+Key/EXAMPLE1234567890abcdef\n' >> "$WORK/aws/config"
\! printf '[profile proc]\ncredential_process = python3 %s/test/emuctl --port %s mint\n[profile proc_short]\ncredential_process = python3 %s/test/emuctl --port %s mint 2\n' "$REPO" "$EMU_PORT" "$REPO" "$EMU_PORT" >> "$WORK/aws/config"
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server
  OPTIONS (DROP access_key_id, DROP secret_access_key, ADD profile 'static');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --keys | uniq -c
-- keys from a profile are read once per backend: rotated in the file, they
-- are seen after bedrock_fdw_clear_cache()
\! sed -i 's/^aws_secret_access_key = .*/aws_secret_access_key = profile-secret-rotated/' "$WORK/aws/credentials"
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
SELECT bedrock_fdw_clear_cache() >= 0 AS cleared;
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! sed -i 's/^aws_secret_access_key = .*/aws_secret_access_key = emulator\/Secret+Key\/EXAMPLE1234567890abcdef/' "$WORK/aws/credentials"
SELECT bedrock_fdw_clear_cache() >= 0 AS cleared;
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
-- "key: value" lines, as the SDKs' INI readers take them too
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'colon');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
-- role_arn + source_profile, and a chain of two roles
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'chained');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --summary | grep AssumeRole
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'cross');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --keys | uniq -c
SELECT * FROM pg_temp.explain_lines(
  $$SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed'$$,
  'ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF');
-- credential_process; its Expiration is honoured: credentials that live
-- 2 s are fetched again by a query 1.1 s later
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'proc');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --keys | uniq -c | sed 's/ASIAPROC0*/ASIAPROC#/'
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'proc_short');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
SELECT pg_sleep(1.1);
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --keys | uniq -c | sed 's/ASIAPROC0*[0-9]/ASIAPROC#/' 
-- profiles that yield no credentials
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'sso');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'loop1');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'nokeys');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'failing');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'badjson');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'noversion');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
-- a credential_process that hangs is killed, with what it started, at
-- request_timeout or when the statement is cancelled
\! printf '[profile hang]\ncredential_process = sh -c "sleep 31; echo late"\n' >> "$WORK/aws/config"
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'hang');
ALTER SERVER cred_server OPTIONS (ADD request_timeout '1');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! sleep 0.2; pgrep -f 'slee[p] 31' | wc -l
-- the same when it prints its answer and closes its output, but does not exit
\! printf '[profile linger]\ncredential_process = sh -c "echo answer; exec >&-; sleep 32"\n' >> "$WORK/aws/config"
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'linger');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! sleep 0.2; pgrep -f 'slee[p] 32' | wc -l
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'hang');
ALTER SERVER cred_server OPTIONS (DROP request_timeout);
SET statement_timeout = '500ms';
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
RESET statement_timeout;
\! sleep 0.2; pgrep -f 'slee[p] 31' | wc -l
\set VERBOSITY terse
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (SET profile 'nosuch');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\set VERBOSITY default

-- without keys or a profile a superuser gets the server's own identity:
-- here there is none (no environment keys, instance metadata disabled)
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (DROP profile);
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server
  OPTIONS (ADD session_token 'opt-token');
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server
  OPTIONS (DROP session_token, ADD access_key_id 'AKIDEMULATOREXAMPLE1',
           ADD secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');

-- non-superusers
CREATE ROLE regress_cred_user;
CREATE ROLE regress_cred_other;
GRANT USAGE ON FOREIGN DATA WRAPPER bedrock_fdw TO regress_cred_user;
GRANT USAGE ON FOREIGN SERVER cred_server TO regress_cred_user;
GRANT USAGE ON SCHEMA cred TO regress_cred_user;
GRANT SELECT ON cred.bedrock_jobs TO regress_cred_user;
CREATE USER MAPPING FOR regress_cred_user SERVER cred_server;
SET ROLE regress_cred_user;
-- no keys of their own: the server's identity is not theirs to use
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- nor can they pick a profile, or options that steer requests or trust
ALTER USER MAPPING FOR regress_cred_user SERVER cred_server
  OPTIONS (ADD profile 'static');
CREATE SERVER regress_user_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', sts_endpoint 'http://127.0.0.1:1');
CREATE SERVER regress_user_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', ca_file '/tmp/ca.pem');
CREATE SERVER regress_user_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', proxy 'http://127.0.0.1:3128');
CREATE SERVER regress_user_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', allow_ambient_credentials 'true');
CREATE SERVER regress_user_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', profile 'static');
-- with keys of their own, and a role on top, they can
ALTER USER MAPPING FOR regress_cred_user SERVER cred_server
  OPTIONS (ADD access_key_id 'AKIDEMULATOREXAMPLE1',
           ADD secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef',
           ADD role_arn 'arn:aws:iam::123456789012:role/bedrock-local');
\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" requests --summary | grep AssumeRole
RESET ROLE;
-- other users do not see the keys
SET ROLE regress_cred_other;
SELECT usename, umoptions FROM pg_user_mappings
  WHERE srvname = 'cred_server' ORDER BY usename;
RESET ROLE;
-- a profile a superuser put on their mapping is theirs to use ...
ALTER USER MAPPING FOR regress_cred_user SERVER cred_server
  OPTIONS (DROP access_key_id, DROP secret_access_key, DROP role_arn,
           ADD profile 'chained');
SET ROLE regress_cred_user;
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
-- ... but not theirs to change
ALTER USER MAPPING FOR regress_cred_user SERVER cred_server
  OPTIONS (ADD role_arn 'arn:aws:iam::210987654321:role/bedrock-cross-account');
RESET ROLE;
-- allow_ambient_credentials opens the server's identity to them: the chain
-- then runs, and finds nothing here
ALTER USER MAPPING FOR regress_cred_user SERVER cred_server OPTIONS (DROP profile);
ALTER SERVER cred_server OPTIONS (ADD allow_ambient_credentials 'true');
SET ROLE regress_cred_user;
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
ALTER SERVER cred_server OPTIONS (DROP allow_ambient_credentials);

-- a role of their own choosing on top of the server's identity is not
-- lent with it
ALTER SERVER cred_server OPTIONS (ADD allow_ambient_credentials 'true');
ALTER USER MAPPING FOR regress_cred_user SERVER cred_server
  OPTIONS (ADD role_arn 'arn:aws:iam::210987654321:role/bedrock-cross-account');
SET ROLE regress_cred_user;
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
ALTER USER MAPPING FOR regress_cred_user SERVER cred_server OPTIONS (DROP role_arn);
ALTER SERVER cred_server OPTIONS (DROP allow_ambient_credentials);

-- option values are checked; keys and tokens go into HTTP headers
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server
  OPTIONS (ADD session_token E'x\r\nHost: elsewhere');
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server
  OPTIONS (SET access_key_id 'AKID EXAMPLE');
ALTER SERVER cred_server OPTIONS (ADD role_arn 'arn:aws:iam::1234:role/x');
ALTER SERVER cred_server OPTIONS (ADD role_arn 'arn:aws:s3:::bucket');
ALTER SERVER cred_server OPTIONS (ADD external_id 'has space');
ALTER SERVER cred_server OPTIONS (ADD role_session_name 'x');
ALTER SERVER cred_server OPTIONS (ADD duration_seconds '600');
ALTER SERVER cred_server OPTIONS (ADD ca_file 'relative/ca.pem');
ALTER SERVER cred_server OPTIONS (ADD proxy 'ftp://127.0.0.1:21');
ALTER SERVER cred_server OPTIONS (SET sts_endpoint 'sts.amazonaws.com');
ALTER SERVER cred_server OPTIONS (ADD allow_ambient_credentials 'sometimes');
ALTER USER MAPPING FOR CURRENT_USER SERVER cred_server OPTIONS (ADD profile 'bad]name');

-- TLS: the emulator's https listener has a certificate from a throwaway CA
CREATE SERVER tls_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', endpoint :'emu_https_url',
           sts_endpoint :'emu_https_url', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER tls_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE FOREIGN TABLE tls_jobs (job_name text, status text) SERVER tls_server;
\set VERBOSITY terse
-- not trusted by the system's CAs, nor by another CA: never retried
SELECT count(*) FROM tls_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER SERVER tls_server OPTIONS (ADD ca_file :'other_ca');
SELECT count(*) FROM tls_jobs;
\set VERBOSITY default
-- trusted with the CA option, for Bedrock and STS alike
ALTER SERVER tls_server OPTIONS (SET ca_file :'ca');
SELECT count(*) FROM tls_jobs;
ALTER USER MAPPING FOR CURRENT_USER SERVER tls_server
  OPTIONS (ADD role_arn 'arn:aws:iam::123456789012:role/bedrock-local');
\! "$EMUCTL" reset
SELECT count(*) FROM tls_jobs;
\! "$EMUCTL" requests --keys | uniq -c

-- a proxy option sends requests through that proxy (none listens here)
\set VERBOSITY terse
ALTER SERVER cred_server OPTIONS (ADD proxy 'http://127.0.0.1:9');
SELECT count(*) FROM bedrock_jobs;
\set VERBOSITY default
ALTER SERVER cred_server OPTIONS (DROP proxy);
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';

-- hostile or broken STS answers are refused, never half-read: a DTD (no
-- entity is ever expanded or fetched), missing credentials, a bad
-- Expiration, a body that is not XML, an error with a long message
ALTER SERVER cred_server
  OPTIONS (ADD role_arn 'arn:aws:iam::123456789012:role/bedrock-local');
\! "$EMUCTL" faults '[{"operation": "AssumeRole", "status": 200, "content_type": "text/xml", "times": 1, "body": "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>&c;</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"}]'
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" faults '[{"operation": "AssumeRole", "status": 200, "content_type": "text/xml", "times": 1, "body": "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>&x;</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>"}]'
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" faults '[{"operation": "AssumeRole", "status": 200, "content_type": "text/xml", "times": 1, "body": "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>s</SecretAccessKey><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"}]'
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" faults '[{"operation": "AssumeRole", "status": 200, "content_type": "text/xml", "times": 1, "body": "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>tomorrow</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"}]'
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" faults '[{"operation": "AssumeRole", "status": 200, "action": "garbage", "times": 1}]'
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" faults '[{"operation": "AssumeRole", "status": 403, "error_type": "AccessDenied", "request_id": "regress-sts", "message": "'"$(printf 'x%.0s' $(seq 1 400))"'", "times": 1}]'
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
\! "$EMUCTL" faults '[]'
SELECT count(*) FROM bedrock_jobs WHERE status = 'Completed';
ALTER SERVER cred_server OPTIONS (DROP role_arn);

DROP USER MAPPING FOR regress_cred_user SERVER cred_server;
REVOKE ALL ON cred.bedrock_jobs FROM regress_cred_user;
REVOKE ALL ON SCHEMA cred FROM regress_cred_user;
REVOKE ALL ON FOREIGN SERVER cred_server FROM regress_cred_user;
REVOKE ALL ON FOREIGN DATA WRAPPER bedrock_fdw FROM regress_cred_user;
DROP ROLE regress_cred_user;
DROP ROLE regress_cred_other;
