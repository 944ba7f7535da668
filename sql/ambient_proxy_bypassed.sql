--
-- Ambient credentials, proxy_bypassed: as ambient_proxy, with no_proxy
-- naming the emulator's address (test/ambient.sh).  The standard NO_PROXY
-- rule applies: everything goes direct, and the query works.
--
\getenv repo REPO
\set setup :repo '/sql/ambient_setup.inc'
\i :setup

\! "$EMUCTL" reset
SELECT count(*) FROM bedrock_jobs;
\! "$EMUCTL" requests --keys | sort | uniq -c | sed 's/ASIA\([A-Z]*\)0*[0-9]*/ASIA\1#/'
