--
-- Error codes: an answer is read by its AWS error code first, as the SDKs
-- read it, and by its HTTP status only when it has no code.  AWS-compatible
-- endpoints do not always send AWS's status for an error, so the emulator
-- sends each of its errors with another status ("odd"), and with the code in
-- the header, in the body's __type, or in the body's code.  Lookups give the
-- same rows in every mode, and errors keep their SQLSTATE.
--
\getenv emu_url EMU_URL
\getenv repo REPO
\set lookups :repo '/sql/error_codes_lookups.inc'
CREATE SERVER ec_server FOREIGN DATA WRAPPER bedrock_fdw
  OPTIONS (regions 'us-east-1,us-west-2,eu-west-1', endpoint :'emu_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER ec_server
  OPTIONS (access_key_id 'AKIDEMULATOREXAMPLE1',
           secret_access_key 'emulator/Secret+Key/EXAMPLE1234567890abcdef');
CREATE SCHEMA ec;
IMPORT FOREIGN SCHEMA bedrock FROM SERVER ec_server INTO ec;
SET search_path = ec, public;
\set SHOW_CONTEXT never

-- AWS's statuses, the code in the header
\! "$EMUCTL" config '{"error_statuses": "aws", "error_format": "header"}' >/dev/null
\i :lookups
-- odd statuses (ResourceNotFoundException with 400), each place of the code
\! "$EMUCTL" config '{"error_statuses": "odd", "error_format": "header"}' >/dev/null
\i :lookups
\! "$EMUCTL" config '{"error_statuses": "odd", "error_format": "type"}' >/dev/null
\i :lookups
\! "$EMUCTL" config '{"error_statuses": "odd", "error_format": "code"}' >/dev/null
\i :lookups

-- the code decides, whatever the status
\set VERBOSITY default
\! "$EMUCTL" config '{"error_statuses": "aws", "error_format": "header"}' >/dev/null
-- ThrottlingException with 400: retried, then the answer
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "region": "eu-west-1", "status": 400, "error_type": "ThrottlingException", "message": "Rate exceeded", "times": 1}]'
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1';
\! "$EMUCTL" requests --summary
-- InternalServerException with 400, its code only in the body: retried
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "region": "eu-west-1", "status": 400, "body": "{\"__type\": \"com.amazon.bedrock#InternalServerException\", \"message\": \"Internal failure\"}", "times": 1}]'
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1';
\! "$EMUCTL" requests --summary
-- ExpiredTokenException with 400: the credentials are read again, and the call retried
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "region": "eu-west-1", "status": 400, "error_type": "ExpiredTokenException", "message": "The security token included in the request is expired", "times": 1}]'
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1';
\! "$EMUCTL" requests --summary
-- AccessDeniedException with 500: no retry, 42501, and the DETAIL names both statuses
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "status": 500, "error_type": "AccessDeniedException", "message": "User is not authorized to perform: bedrock:ListModelCustomizationJobs", "request_id": "ec-01"}]'
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" requests --summary
-- ValidationException with 503: no retry, 22023
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "status": 503, "body": "{\"code\": \"ValidationException\", \"message\": \"1 validation error detected\"}", "request_id": "ec-02"}]'
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" requests --summary
-- UnrecognizedClientException with 400: 28000
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "ListModelCustomizationJobs", "status": 400, "error_type": "UnrecognizedClientException", "message": "The security token included in the request is invalid.", "request_id": "ec-03"}]'
SELECT count(*) FROM bedrock_jobs WHERE region = 'eu-west-1';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- a 404 from a wrong endpoint (UnknownOperationException) is no "no such job"
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "GetModelCustomizationJob", "region": "us-east-1", "status": 404, "error_type": "UnknownOperationException", "message": "no such operation", "request_id": "ec-04"}]'
SELECT count(*) FROM bedrock_jobs WHERE job_name = 'titan-support-ft-001';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- ... while a 404 with no code at all still is
\! "$EMUCTL" faults '[{"operation": "GetModelCustomizationJob", "region": "eu-west-1", "status": 404, "body": "{}"}]'
SELECT count(*) FROM bedrock_jobs WHERE job_name = 'titan-support-ft-001';
-- ResourceNotFoundException with 400 where a row must exist (a per-job Get): an ERROR
\! "$EMUCTL" reset
\! "$EMUCTL" faults '[{"operation": "GetModelCustomizationJob", "status": 400, "error_type": "ResourceNotFoundException", "message": "Could not find model customization job", "request_id": "ec-05", "times": 1}]'
SELECT count(role_arn) FROM bedrock_jobs WHERE region = 'eu-west-1';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! "$EMUCTL" faults '[]'

RESET search_path;
DROP SCHEMA ec CASCADE;
DROP SERVER ec_server CASCADE;
