--
-- Options: validation of server, user mapping and table options, and who
-- may set what.
--
\getenv emu_url EMU_URL

-- unknown options name the valid ones
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (region 'us-east-1');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (secret_access_key 'x');
CREATE FOREIGN DATA WRAPPER bedrock_fdw2 HANDLER bedrock_fdw_handler
  VALIDATOR bedrock_fdw_validator OPTIONS (regions 'us-east-1');

-- bad values
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions '');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions 'us-east-1,US-WEST-2');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions 'us-east-1,,us-west-2');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions 'us-east-1,us-east-1');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions 'useast1');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions 'us-east-1', endpoint 'ftp://example.com');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions 'us-east-1', endpoint 'https://');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions 'us-east-1', endpoint 'https://example.com/?x=1');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions 'us-east-1', endpoint 'https://user:pw@example.com');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (connect_timeout '0');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (request_timeout '10s');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (max_concurrency '1000');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (page_size '1001');
CREATE SERVER bad FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions 'us-east-1', regions 'us-west-2');

-- good ones: a list with spaces, a {region} endpoint template
CREATE SERVER opt_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1, us-west-2', endpoint 'https://bedrock.{region}.example.com',
           connect_timeout '5', request_timeout '30', max_concurrency '8', page_size '50');
ALTER SERVER opt_server OPTIONS (SET regions 'eu-west-1');
ALTER SERVER opt_server OPTIONS (ADD bogus 'x');
ALTER SERVER opt_server OPTIONS (SET page_size '0');
SELECT srvoptions FROM pg_foreign_server WHERE srvname = 'opt_server';

-- user mappings hold the secrets and nothing else
CREATE USER MAPPING FOR CURRENT_USER SERVER opt_server OPTIONS (regions 'us-east-1');
CREATE USER MAPPING FOR CURRENT_USER SERVER opt_server OPTIONS (access_key_id '');
CREATE USER MAPPING FOR CURRENT_USER SERVER opt_server
  OPTIONS (access_key_id 'AKIDEXAMPLE', secret_access_key 'opt-secret', session_token 'opt-token');
ALTER USER MAPPING FOR CURRENT_USER SERVER opt_server OPTIONS (DROP session_token);

-- foreign tables and columns take no options
CREATE FOREIGN TABLE opt_table (job_name text OPTIONS (column_name 'jobName'))
  SERVER opt_server;
CREATE FOREIGN TABLE opt_table (job_name text) SERVER opt_server OPTIONS (regions 'us-east-1');

-- endpoint decides where signed requests go: superuser only
CREATE ROLE regress_bedrock_user;
GRANT USAGE ON FOREIGN DATA WRAPPER bedrock_fdw TO regress_bedrock_user;
SET ROLE regress_bedrock_user;
CREATE SERVER user_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', endpoint 'http://127.0.0.1:1');
CREATE SERVER user_server FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (regions 'us-east-1');
ALTER SERVER user_server OPTIONS (ADD endpoint 'http://127.0.0.1:1');
CREATE USER MAPPING FOR CURRENT_USER SERVER user_server
  OPTIONS (access_key_id 'AKIDEXAMPLE', secret_access_key 'user-secret');
-- another user's mapping options stay hidden
RESET ROLE;
SELECT srvname, usename, umoptions FROM pg_user_mappings WHERE srvname = 'user_server';
SET ROLE regress_bedrock_user;
SELECT srvname, usename, umoptions FROM pg_user_mappings WHERE srvname = 'opt_server';
RESET ROLE;

-- a server without regions, a table without a user mapping, a mapping without keys
CREATE SERVER noregion_server FOREIGN DATA WRAPPER bedrock_fdw OPTIONS (endpoint :'emu_url');
CREATE FOREIGN TABLE noregion_jobs (job_name text) SERVER noregion_server;
SELECT * FROM noregion_jobs;
CREATE SERVER nomap_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', endpoint :'emu_url');
CREATE FOREIGN TABLE nomap_jobs (job_name text) SERVER nomap_server;
SELECT * FROM nomap_jobs;
CREATE USER MAPPING FOR CURRENT_USER SERVER nomap_server OPTIONS (access_key_id 'AKIDEXAMPLE');
SELECT * FROM nomap_jobs;

-- column names and types are checked when a query is planned
CREATE FOREIGN TABLE badcol_jobs (job_name text, jobname text) SERVER nomap_server;
SELECT * FROM badcol_jobs;
CREATE FOREIGN TABLE badtype_jobs (creation_time integer) SERVER nomap_server;
SELECT * FROM badtype_jobs;
-- text can hold any column, in its text form
CREATE FOREIGN TABLE texttags_jobs (tags text) SERVER nomap_server;
EXPLAIN (COSTS OFF) SELECT * FROM texttags_jobs;
CREATE FOREIGN TABLE badtype3_jobs (vpc_config integer[]) SERVER nomap_server;
EXPLAIN (COSTS OFF) SELECT * FROM badtype3_jobs;

DROP SERVER opt_server, user_server, noregion_server, nomap_server CASCADE;
REVOKE USAGE ON FOREIGN DATA WRAPPER bedrock_fdw FROM regress_bedrock_user;
DROP ROLE regress_bedrock_user;
