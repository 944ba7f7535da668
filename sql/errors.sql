--
-- Errors: AWS errors (403, 404, 429, 500) and malformed answers become
-- clear ERRORs with fitting SQLSTATEs, naming the operation, region, status,
-- AWS error type, message and request id, and never a secret.
--
\getenv emu_url EMU_URL
\set VERBOSITY default
CREATE SERVER err_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-west-2', endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER err_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE SCHEMA err;
IMPORT FOREIGN SCHEMA bedrock FROM SERVER err_server INTO err;
SET search_path = err, public;
\! "$EMUCTL" reset

-- each error is followed by its SQLSTATE
\set SHOW_CONTEXT never

-- 403: a wrong secret (the signature does not match)
ALTER USER MAPPING FOR CURRENT_USER SERVER err_server
  OPTIONS (SET secret_access_key 'not-the-secret-key');
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- 403: an unknown access key
ALTER USER MAPPING FOR CURRENT_USER SERVER err_server
  OPTIONS (SET access_key_id 'AKIDUNKNOWNEXAMPLE00');
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- 403: a temporary key with a wrong session token
ALTER USER MAPPING FOR CURRENT_USER SERVER err_server
  OPTIONS (SET access_key_id 'ASIAEMULATOREXAMPLE2',
           SET secret_access_key 'emulator/Temp+Secret/EXAMPLE0987654321fedcba',
           ADD session_token 'wrong-token');
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER USER MAPPING FOR CURRENT_USER SERVER err_server
  OPTIONS (SET session_token 'emulator-session-token/EXAMPLE+token=');
SELECT count(*) FROM bedrock_jobs;

-- 403 AccessDeniedException from IAM
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "status": 403, "error_type": "AccessDeniedException", "message": "User: arn:aws:iam::123456789012:user/regress is not authorized to perform: bedrock:ListModelCustomizationJobs", "request_id": "regress-01"}]'
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- 404 on one per-job Get (the third to arrive; one failure keeps the request id stable)
\! "$EMUCTL" faults '[{"operation": "GetModelCustomizationJob", "status": 404, "error_type": "ResourceNotFoundException", "message": "Could not find model customization job", "after": 2, "times": 1, "request_id": "regress-02"}]'
SELECT job_name, role_arn FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- 429 throttling on every Tags call: retried, then reported with the attempts
\! "$EMUCTL" faults '[{"operation": "ListTagsForResource", "status": 429, "error_type": "ThrottlingException", "message": "Rate exceeded", "request_id": "regress-03"}]'
SELECT job_name, tags FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- 500 internal error (retried), with the type only in the body's __type
\! "$EMUCTL" faults '[{"operation": "*", "status": 500, "body": "{\"__type\": \"com.amazon.coral.service#InternalServerException\", \"message\": \"Internal failure\"}", "request_id": "regress-04"}]'
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- 400 validation error, type from the body's code
\! "$EMUCTL" faults '[{"operation": "*", "status": 400, "body": "{\"code\": \"ValidationException\", \"Message\": \"1 validation error detected\"}", "request_id": "regress-05"}]'
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- a proxy's HTML error page (a 502, so retried)
\! "$EMUCTL" faults '[{"operation": "*", "status": 502, "body": "<html><body><h1>502 Bad Gateway</h1></body></html>", "request_id": "regress-06"}]'
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- malformed 200 answers (request ids restart at 1 after a reset)
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "*", "status": 200, "body": "{\"modelCustomizationJobSummaries\": [{\"jobArn\": \"x\""}]'
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "*", "status": 200, "body": "[1, 2, 3]"}]'
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "*", "status": 200, "body": "{\"modelCustomizationJobSummaries\": {\"jobArn\": \"x\"}}"}]'
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "*", "status": 200, "body": "{\"modelCustomizationJobSummaries\": [], \"nextToken\": 42}"}]'
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "*", "status": 200, "body": ""}]'
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- wrong JSON types and bad values name the column
\set SHOW_CONTEXT always
\! "$EMUCTL" faults '[{"operation": "*", "status": 200, "body": "{\"modelCustomizationJobSummaries\": [{\"jobArn\": \"arn:aws:bedrock:us-west-2:123456789012:model-customization-job/m/abc\", \"jobName\": 17, \"status\": \"Completed\", \"creationTime\": \"2024-01-01T00:00:00Z\", \"baseModelArn\": \"b\"}]}"}]'
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- only the columns a query uses are converted
SELECT status FROM bedrock_jobs;
\! "$EMUCTL" faults '[{"operation": "*", "status": 200, "body": "{\"modelCustomizationJobSummaries\": [{\"jobArn\": \"arn:aws:bedrock:us-west-2:123456789012:model-customization-job/m/abc\", \"jobName\": \"j\", \"status\": \"Completed\", \"creationTime\": \"yesterday\", \"baseModelArn\": \"b\"}]}"}]'
SELECT creation_time FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[{"operation": "*", "status": 200, "body": "{\"modelCustomizationJobSummaries\": [{\"jobArn\": \"arn:aws:bedrock:us-west-2:123456789012:model-customization-job/m/abc\", \"jobName\": \"j\", \"status\": \"Completed\", \"creationTime\": \"2024-01-01T00:00:00Z\", \"statusDetails\": \"oops\", \"baseModelArn\": \"b\"}]}"}]'
SELECT status_details FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- absent and JSON-null fields are SQL NULL; unknown members are kept
\! "$EMUCTL" faults '[{"operation": "*", "status": 200, "body": "{\"modelCustomizationJobSummaries\": [{\"jobArn\": \"arn:aws:bedrock:us-west-2:123456789012:model-customization-job/m/abc\", \"jobName\": \"j\", \"status\": \"Completed\", \"creationTime\": \"2024-01-01 00:00:00\", \"endTime\": null, \"statusDetails\": {\"trainingDetails\": {\"status\": \"Completed\", \"newMemberX\": {\"deepValue\": null}}}, \"baseModelArn\": \"b\", \"someFutureField\": 1}]}"}]'
SELECT job_name, creation_time, end_time, end_time IS NULL AS end_null,
       status_details, output_model_arn IS NULL AS output_null
  FROM bedrock_jobs;
-- a repeated nextToken would page forever
\! "$EMUCTL" faults '[{"operation": "*", "status": 200, "body": "{\"modelCustomizationJobSummaries\": [], \"nextToken\": \"same+token/=\"}"}]'
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set SHOW_CONTEXT never

-- nothing answers at the endpoint
\! "$EMUCTL" faults '[]'
CREATE SERVER dead_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1', endpoint 'http://127.0.0.1:1', connect_timeout '2');
CREATE USER MAPPING FOR CURRENT_USER SERVER dead_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1', secret_access_key 'dead-secret');
CREATE FOREIGN TABLE dead_jobs (job_name text) SERVER dead_server;
SELECT * FROM dead_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- a statement_timeout ends a request in flight with PostgreSQL's own error
\! "$EMUCTL" faults '[{"operation": "*", "status": 200, "delay": 5, "body": "{\"modelCustomizationJobSummaries\": []}"}]'
SET statement_timeout = '300ms';
SELECT job_name FROM bedrock_jobs;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET statement_timeout;
\! "$EMUCTL" faults '[]'
-- and the session works afterwards
SELECT count(*) FROM bedrock_jobs;

RESET search_path;
DROP SCHEMA err CASCADE;
DROP SERVER err_server, dead_server CASCADE;
