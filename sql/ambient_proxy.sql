--
-- Ambient credentials, proxy: the server's environment names a proxy
-- (http_proxy, as curl reads it for http URLs) at a closed port, and
-- instance metadata at the emulator (test/ambient.sh).  Requests to Bedrock
-- go to the proxy and fail; the metadata service is never proxied, since its
-- answers are credentials, so IMDS still hands them out.
--
\getenv repo REPO
\set setup :repo '/sql/ambient_setup.inc'
\i :setup

\! "$EMUCTL" reset
\x on
SELECT state, message, fast FROM query_error('SELECT count(*) FROM bedrock_jobs');
\x off
-- IMDS was reached directly; no Bedrock call arrived
\! "$EMUCTL" requests --keys | sed 's/ASIA\([A-Z]*\)0*[0-9]*/ASIA\1#/'
