--
-- Ambient credentials, container_bad: AWS_CONTAINER_CREDENTIALS_FULL_URI is
-- http to a host that is not loopback nor an ECS or EKS agent, dressed up as
-- loopback with user information (http://127.0.0.1:80@example.com/creds: the
-- host is example.com), with IMDS configured at the emulator
-- (test/ambient.sh).  An ERROR before any request: no fetch, and no falling
-- through to IMDS.
--
\getenv repo REPO
\set setup :repo '/sql/ambient_setup.inc'
\i :setup
\x on

\! "$EMUCTL" reset
SELECT * FROM query_error('SELECT count(*) FROM bedrock_jobs');
-- nothing reached the emulator
\! "$EMUCTL" requests --keys | wc -l
