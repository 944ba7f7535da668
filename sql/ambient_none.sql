--
-- Ambient credentials, none: no keys, no web identity, no container, and
-- instance metadata enabled but at a closed loopback port
-- (AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9; test/ambient.sh).
-- A clear ERROR at once, whose DETAIL says why IMDS gave nothing (in
-- words of our own for the refused connection, whatever libcurl's are).
--
\getenv repo REPO
\set setup :repo '/sql/ambient_setup.inc'
\i :setup
\x on

\! "$EMUCTL" reset
SELECT * FROM query_error('SELECT count(*) FROM bedrock_jobs');
-- nothing reached the emulator
\! "$EMUCTL" requests --keys | wc -l
