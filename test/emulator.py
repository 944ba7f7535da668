#!/usr/bin/env python3
r"""Local Amazon Bedrock control-plane emulator for bedrock_fdw's tests and demo.

A test double held to the real API (restJson1, service model 2023-04-20), written with the
Python 3 standard library only.  It serves ListModelCustomizationJobs, GetModelCustomizationJob
and ListTagsForResource from deterministic fixtures, and the List and Get operations of 13 other
Bedrock resources (custom models, provisioned throughputs, batch and evaluation jobs, imported
models and import jobs, copy jobs, custom model deployments, foundation models, inference
profiles, guardrails, prompt routers, marketplace endpoints): one table of descriptors in
test/emulator_resources.py, whose docstring describes those operations, their fixtures and how
the fixtures link to each other and to the jobs.  It verifies AWS Signature Version 4 on every
request with its own verifier (and answers 403 like AWS when it fails), records every request it
served, and lets tests inject faults.  On the same port it also serves the credential sources an
AWS client may use: STS (AssumeRole, AssumeRoleWithWebIdentity), IMDSv2 and the ECS container
endpoint, and it can serve everything over TLS as well (--https-port).

Every access key belongs to an account, and the accounts form an organization (management
account 123456789012, the fixtures below; members 210987654321, 111111111111, 222222222222,
333333333333 SUSPENDED, 444444444444, and --org-accounts N generated ones), each with its own
jobs in its own enabled regions, its role BedrockFdwReader to assume, and the two calls that
discover them: Organizations ListAccounts and Account ListRegions.  test/emulator_accounts.py
holds all of that; its docstring has the table of accounts, roles (which are denied), regions
per account (which are DISABLED, and answer Bedrock with 403 UnrecognizedClientException), the
jobs of each member, the two operations and their errors, and the flags.

The Resource Groups Tagging API's GetResources (awsJson1_1, SigV4 service "tagging") answers the
tags of every tagged resource of the keys' account and region, those ListTagsForResource
answers: test/emulator_tagging.py, whose docstring has its filters, pages, errors and the answer
variants tagging_order, tagging_pages and tagging_end.

Command line
------------
    python3 test/emulator.py [--host 127.0.0.1] [--port 0] [--port-file FILE] [--log FILE]
                             [--fixtures default|demo|large:N] [--max-page-size N]
                             [--latency MS] [--jitter MS] [--rate-limit N] [--seed N]
                             [--error-statuses aws|odd] [--error-format header|type|code]
                             [--nulls absent|null]
                             [--https-port N --tls-cert PEM --tls-key PEM [--https-port-file F]]
                             [--org-accounts N] [--org-jobs-per-region M]
                             [--watch-pid PID] [--dump-fixtures]

    --port 0          pick a free port; the chosen one is written to --port-file (tmp + rename)
                      and printed to stderr as "bedrock emulator listening on http://HOST:PORT".
    --max-page-size N List pages hold at most min(maxResults, N) items (default 1000).
    --log FILE        append one JSON line per served Bedrock API request (not control calls).
    --fixtures        default (37 jobs: 24 in us-east-1, 8 in us-west-2, 5 in eu-west-1, three of
                      them beyond the service model, see "Default fixtures" below), demo (~40
                      jobs in us-east-1 and us-west-2) or large:N (see "Large accounts" below).
    --latency MS      every Bedrock API answer goes out MS milliseconds after its request was
                      read (0: at once).  The answer is produced in the meantime, so the
                      emulator's own work is hidden unless it takes longer than MS.
    --jitter MS       add a uniform draw from [-MS, +MS] to each request's latency (a total
                      below 0 is 0), from a generator seeded with --seed (default 1).
    --rate-limit N    per region (the credential scope's; ListAccounts and ListRegions: per service
                      and region, see test/emulator_accounts.py), at most N requests a second: a token
                      bucket holding at most N tokens (at least 1), refilled at N a second,
                      starting full.
                      A request that finds no token is answered 429 like AWS's throttling
                      (X-Amzn-ErrorType ThrottlingException:<bedrock namespace>, body
                      {"message": "Rate exceeded"}; or as error_statuses and error_format say)
                      after the usual latency, and is logged with "throttled": true.  It is
                      checked after SigV4 verification and before fault rules (a throttled
                      request is not counted by any rule).
    --error-statuses, --error-format, --nulls
                      the initial answer variants (default aws, header, absent): see "Answer
                      variants" below.
    --https-port N    also serve the same handler (same state, log, faults, credentials) over
                      TLS 1.2+ on port N (0: pick one), written to --https-port-file and printed
                      to stderr as a second line "bedrock emulator listening on https://HOST:PORT"
                      (after the http one).  --tls-cert: the server certificate (PEM, chain),
                      --tls-key: its key.  test/make_tls.sh DIR makes a CA (DIR/ca.pem), a
                      certificate for localhost and 127.0.0.1 (DIR/server.pem, DIR/server.key)
                      and an unrelated CA (DIR/other-ca.pem).  The handshake runs in the
                      connection's handler thread; a failed one just closes the connection.
    --org-accounts N, --org-jobs-per-region M
                      N more member accounts (100000000001...), M jobs in each of their enabled
                      regions (default 2), built on an account's first request: see
                      test/emulator_accounts.py.
    --watch-pid PID   stop once process PID has ended (checked twice a second): `make
                      installcheck` starts the emulator for the run of make that needs it.
    --dump-fixtures   print the fixtures as JSON to stdout and exit (no server).  The output is
                      {"fixtures": NAME, "account": ACCOUNT, "jobs": [{"region": R, "job": <full
                      GetModelCustomizationJob response>, "summary": <ListModelCustomizationJobs
                      summary>, "tags": [{"key", "value"}...]}...], "resources": {KEY: [{"region",
                      "summary": <List summary>, "get": <Get response>, "tags": [{"key", "value"}...]
                      or null (untaggable)}...]}}, jobs and resources ordered by region (as listed
                      in the fixture) and then by creation time, oldest first (foundation models:
                      catalogue order).  KEY: each resource of test/emulator_resources.py
                      (custom_models, ..., marketplace_model_endpoints); the lists are empty
                      for large:N (the default and demo sets have resources).  Last, "accounts":
                      [{"id", "name", "status", "management", "role_arn" (BedrockFdwReader, or
                      null), "external_id", "assumable" (by the management's keys),
                      "list_regions" ("allowed" or "denied"), "regions": {REGION: opt status},
                      "enabled_regions", "jobs": {REGION: [job ARN...]} (every enabled Bedrock
                      region, [] when none)}...]; the keys before it are as they were before
                      accounts existed.

Credentials (built in)
----------------------
    long-term : access key AKIDEMULATOREXAMPLE1
                secret     emulator/Secret+Key/EXAMPLE1234567890abcdef
                account    123456789012
    temporary : access key ASIAEMULATOREXAMPLE2
                secret     emulator/Temp+Secret/EXAMPLE0987654321fedcba
                token      emulator-session-token/EXAMPLE+token=   (header X-Amz-Security-Token)
                account    123456789012
The region of a request is the region of its credential scope (any syntactically valid region,
except one that is DISABLED for the keys' account: test/emulator_accounts.py).  A Bedrock request
is answered from the jobs of the keys' account (the management's: the --fixtures set).
Besides these, credentials the emulator issued (below) sign Bedrock and STS calls until they
expire: with their secret and their session token only; once expired the answer is 403
ExpiredTokenException "The security token included in the request is expired" (STS: ExpiredToken).

Issued credentials
------------------
Access key ids are "ASIA" + a tag + a zero-padded per-tag counter, 20 characters in all:
    STS AssumeRole              ASIASTS0000000000001, ASIASTS0000000000002, ...
    AssumeRoleWithWebIdentity   ASIAWEB0000000000001
    IMDS                        ASIAIMDS000000000001
    ECS                         ASIAECS0000000000001
    POST /_emulator/credentials ASIAPROC000000000001   (emuctl mint: credential_process)
The counters only go up during the emulator process (reset keeps them and the credentials);
each IMDS and ECS credentials fetch issues new ones.  The secret is 40 characters of base64 and the
session token about 340 (both random, may hold + / =).  Lifetime: DurationSeconds for STS (default
3600), 3600 otherwise (or the mint request's lifetime_s), capped by the config's
credential_lifetime_s when set; Expiration is in whole seconds (YYYY-MM-DDTHH:MM:SSZ).

STS (query protocol, version 2011-06-15): POST / with a form body
------------------------------------------------------------------
Content-Type application/x-www-form-urlencoded (parameters allowed; the body is read only with it),
Action and Version=2011-06-15 in the body.  Missing Action: 400 MissingAction; missing Version: 400
MissingParameter; another Version or Action: 400 InvalidAction "Could not find operation A for
version V".  Answers are text/xml with x-amzn-RequestId; errors are
<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender|Receiver</Type>
<Code/><Message/></Error><RequestId/></ErrorResponse> (indented, as AWS sends them).
    AssumeRole: SigV4 for service "sts" (region: the scope's), signed by any credentials above
        (auth failures: MissingAuthenticationToken 403, IncompleteSignature 400,
        SignatureDoesNotMatch 403, InvalidClientTokenId 403, ExpiredToken 403).  RoleArn,
        RoleSessionName ([\w+=,.@-]{2,64}), ExternalId ([\w+=,.@:/-], 2-1224), DurationSeconds
        (900-43200): model violations are 400 ValidationError "N validation error(s) detected: Value
        ... at 'roleSessionName' failed to satisfy constraint: Member must ..." (a missing one:
        "Value null ... Member must not be null"); a RoleArn that is no IAM role ARN: "Request ARN
        is invalid".  Roles:
            arn:aws:iam::123456789012:role/bedrock-local          no ExternalId needed
            arn:aws:iam::210987654321:role/bedrock-cross-account  ExternalId=emulator-external-id
            arn:aws:iam::123456789012:role/bedrock-web-identity   AssumeRoleWithWebIdentity only
        and arn:aws:iam::<account>:role/BedrockFdwReader of the organization's accounts
        (test/emulator_accounts.py; 222222222222's needs ExternalId=emulator-org-external-id,
        333333333333's and 444444444444's are denied).  Every role trusts account 123456789012
        only: keys of a member account assume nothing.  The credentials are of the role's
        account (bedrock-cross-account's sessions read the management's fixtures, as before).
        Any other role, a caller of another account, or a missing or wrong ExternalId: 403
        AccessDenied "User: <caller> is not
        authorized to perform: sts:AssumeRole on resource: <RoleArn>" (caller: arn:aws:iam::
        123456789012:user/emulator for the built-in keys, the assumed-role ARN for issued ones).
        DurationSeconds above 3600: 400 ValidationError "The requested DurationSeconds exceeds the
        MaxSessionDuration set for this role."  Success: <AssumeRoleResponse><AssumeRoleResult>
        <Credentials>AccessKeyId, SecretAccessKey, SessionToken, Expiration</Credentials>
        <AssumedRoleUser><AssumedRoleId>AROA...:SESSION</AssumedRoleId><Arn>arn:aws:sts::ACCOUNT:
        assumed-role/NAME/SESSION</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata>
        <RequestId/></ResponseMetadata></AssumeRoleResponse>.
    AssumeRoleWithWebIdentity: unsigned (an Authorization header is ignored).  RoleArn,
        RoleSessionName, WebIdentityToken (4-20000), DurationSeconds.  The token must be
        emulator-web-identity-token.EXAMPLE (else 400 InvalidIdentityToken), the role
        bedrock-web-identity (else 403 AccessDenied "Not authorized to perform
        sts:AssumeRoleWithWebIdentity").  The result holds Credentials,
        SubjectFromWebIdentityToken (system:serviceaccount:bedrock:emulator), AssumedRoleUser,
        Provider (arn:aws:iam::123456789012:oidc-provider/oidc.emulator.example) and Audience
        (sts.amazonaws.com).

IMDSv2
------
    PUT /latest/api/token  header X-aws-ec2-metadata-token-ttl-seconds 1-21600 (else 400), no
        X-Forwarded-For (else 403); 200 text/plain token, the TTL header echoed.  Other methods: 405.
    GET /latest/meta-data/iam/security-credentials/  -> text/plain "bedrock-instance-role"
    GET /latest/meta-data/iam/security-credentials/bedrock-instance-role  -> text/plain JSON
        {"Code" : "Success", "LastUpdated", "Type" : "AWS-HMAC", "AccessKeyId", "SecretAccessKey",
        "Token", "Expiration"}; another role name: 404.
    Both GETs need X-aws-ec2-metadata-token holding an unexpired token (IMDSv1 is off): else 401.
    Errors are IMDS's small text/html pages ("401 - Unauthorized").  Other /latest/ paths: 404.

ECS container credentials
-------------------------
    GET /v2/credentials/<id> (id: [A-Za-z0-9-]+, else 400) with header Authorization:
        emulator-ecs-auth-token (missing: 401, other: 403; errors are {"code", "message"}) ->
        {"AccessKeyId", "SecretAccessKey", "Token", "Expiration",
         "RoleArn": "arn:aws:iam::123456789012:role/bedrock-task-role"}.  Other methods: 405.
The credential endpoints are neither delayed (--latency) nor rate limited.

Control API (no auth, same port)
--------------------------------
    GET  /_emulator/health    200 {"ok": true, "threads": N} (N: live threads, stalled handlers too)
    GET  /_emulator/requests  200 [log entry, ...] oldest first
    POST /_emulator/reset     204; clears the request log and all fault rules, restarts request ids;
                              a request that arrived before it and is answered after it (a delay
                              or stall of an earlier test) is left out of the new log
    POST /_emulator/faults    204; body = JSON array of rules, replacing the current ones
    GET  /_emulator/config    200 {"latency_ms", "jitter_ms", "rate_limit" (null: none), "seed",
                              "credential_lifetime_s", "error_statuses", "error_format", "nulls",
                              "tagging_order", "tagging_pages", "tagging_end"}
    POST /_emulator/config    200 and the new config; body = a JSON object with any of those
                              members (the others stay): latency and jitter 0-600000 ms,
                              rate_limit null or 0 (none) or requests a second, seed an integer
                              (restarts the jitter generator), error_statuses "aws" or "odd",
                              error_format "header", "type" or "code", nulls "absent" or "null"
                              (see "Answer variants"), tagging_order "natural" or "shuffled",
                              tagging_pages "full" or "short", tagging_end "empty" or "absent"
                              (GetResources: test/emulator_tagging.py).  A new rate_limit
                              refills the buckets.
                              Control calls are never delayed nor rate limited.
    GET  /_emulator/fixtures  200 {"fixtures": NAME, "account", "regions": {REGION: {"jobs": n,
                              "statuses": {STATUS: n, ...}}}} (statuses with jobs only, those
                              outside the model's enum too, e.g. "Pending"), and "resources":
                              {KEY: {REGION: n}} (the other resources' counts)
    POST /_emulator/jobs/update  body {"jobArn": ARN, "set": {MEMBER: VALUE, ...}}: change one
                              model customization job in place (see "Updating a job" below);
                              200 {"job": <its Get answer after>, "summary": <its List summary
                              after>}, 404 {"message"} for an ARN no job has, 400 {"message"}
                              for a bad body
    POST /_emulator/credentials  body optional {"lifetime_s": N >= 1}: issue ASIAPROC...
                              credentials; 200 {"Version": 1, "AccessKeyId", "SecretAccessKey",
                              "SessionToken", "Expiration"} (the credential_process format)
    GET  /_emulator/credentials  200 [{"AccessKeyId", "source", "arn", "Expiration", "expired"}]
    POST /_emulator/credentials/expire  200 {"expired": n}: every issued credential expires now
    GET  /_emulator/credentials/secrets 200 [string, ...]: every secret key, session token, IMDS
                              token, the web identity and ECS tokens: what test logs must not hold
The config also holds "credential_lifetime_s": null (no cap) or seconds >= 1, the most any
credentials issued from then on live.
Reset keeps the config and updated jobs (below), but refills the rate-limit buckets and restarts
the jitter generator.
Handler threads: one per TCP connection, so requests on other connections (keep-alive or new;
the listen backlog is 1024) go on while one waits out its latency, a fault delay or a stall.

A log entry is {"seq", "method", "path" (raw), "operation", "region", "params" (decoded query),
"body" (parsed JSON or null), "status", "access_key", "account" (the account of the keys that
signed it; null when unsigned or the key is unknown), "time" (when the request was read, Unix
seconds), "conn" (the number of the TCP connection it came on, from 1)} plus a few extras for
debugging:
"job_identifier" (the decoded identifier label of any Get, the other resources' too), "request_id", "error_type" (on errors), "aws_status" (AWS's
status of an error the emulator sent with another, under error_statuses "odd"), "latency_ms" (the
wait drawn for it, when not 0), "throttled" (true when the rate limit answered it) and, when the
signature did not match, "canonical_request" and "string_to_sign" as the emulator computed them.
The credential endpoints are logged too, with "operation" AssumeRole, AssumeRoleWithWebIdentity,
IMDSGetToken, IMDSGetRoleName, IMDSGetCredentials, ECSGetCredentials (or Unknown), "region" the
scope's for AssumeRole (else null), "access_key" the signer's for AssumeRole (else null), "params"
the RoleArn, RoleSessionName, ExternalId, DurationSeconds sent (STS; never the token), {"ttl"}
(IMDSGetToken), {"role"} (IMDSGetCredentials) or {"id"} (ECS), "body" null, "error_type" the
STS <Code> or the IMDS/ECS error, and "issued": the access key id it handed out.
Entries are logged when the answer is ready, which with a latency is before it is sent.

Updating a job (POST /_emulator/jobs/update; emuctl update-job ARN 'JSON')
--------------------------------------------------------------------------
So that a test can prove that a cache of Get answers never serves a stale row, a job's
members change in place until the emulator stops.  The job is found by its jobArn in every
fixture set (default, demo, large:N) and every account the emulator serves (the ARN names the
account: the management's --fixtures set, or a member's jobs of test/emulator_accounts.py).
Each member of "set" is set (in its place; a new one comes last), as the JSON value given, in
the job's GetModelCustomizationJob answer if GetModelCustomizationJobResponse has it (or the
answer already holds it), and in its ListModelCustomizationJobs summary if
ModelCustomizationJobSummary has it (or the summary already holds it): "lastModifiedTime",
"status", "jobName" change both, "roleArn" and "outputModelName" only the Get answer,
"customModelName" only the summary (the custom model's name has another name in each shape: set
both to change both).  A value null removes the member (to restore a job; required members
cannot be removed).  Timestamps are strings in the emulator's wire form,
"2025-01-02T03:04:05.678Z" (any ISO-8601 date-time is sent as given).  ListTagsForResource,
GetResources and the other resources (custom models, ...) stay as they were.
The answer is the job's Get answer and summary after the change, without the nulls variant.
400 when the body is not a JSON object of exactly "jobArn" (a string) and "set" (an object),
when a member is in neither shape nor the job, for "jobArn" itself, for null on a required
member, for a creationTime, lastModifiedTime or endTime that is no ISO-8601 string, for a
jobName or status that is no non-empty string, and for a jobName another job of the region
has; 404 when no job has the ARN.  A new status, creationTime or jobName re-indexes the job:
statusEquals, the time filters, the order of List pages and Get by name follow it (pagination
tokens issued before point into the old order).  POST /_emulator/reset does NOT undo an update,
as it keeps the config: tests reset to clear the log between changing a job and the requests
they count.  To undo one, set the old values back (null for a member the job lacked), or
restart the emulator.

Answer variants (config members; the defaults are AWS's own behaviour)
----------------------------------------------------------------------
What the service model leaves open, AWS-compatible endpoints do differently; these members make
the emulator do it too.  error_statuses and error_format apply to every error the emulator
itself answers a Bedrock API request with (List, Get, ListTagsForResource, unknown operations:
validation, not found, SerializationException, every SigV4 failure including
ExpiredTokenException, the rate limiter's throttling); the error type (header or body) and the
message stay the same.  STS, IMDS and ECS answers never change.
    error_statuses "aws"   AWS's statuses.
                   "odd"   another status for every error (table ODD_STATUSES):
                           ResourceNotFoundException 404 -> 400, ThrottlingException 429 -> 400,
                           AccessDeniedException 403 -> 500, the other 403s (UnrecognizedClient,
                           InvalidSignature, IncompleteSignature, MissingAuthenticationToken,
                           ExpiredToken) -> 400, ValidationException and SerializationException
                           400 -> 500, any other error 400 if AWS's status is 5xx, else 500
                           (UnknownOperationException 404 -> 500).  The log entry's "status" is
                           the status sent, and "aws_status" AWS's.
    error_format   "header" X-Amzn-ErrorType "Name:<namespace URI>" and body {"message": ...}.
                   "type"   no X-Amzn-ErrorType; body {"__type": "<namespace>#Name", "message": ...}
                            with the namespace's short form, e.g. com.amazon.bedrock or
                            com.amazon.coral.service (the SDKs keep what is before the first ':',
                            then what is after '#', so a URI there would lose the name).
                   "code"   no X-Amzn-ErrorType; body {"code": "Name", "message": ...}.
                   The AWS SDKs (JS v3, botocore) read the header first, then body "code", then
                   "__type", and clean the value as above.
    nulls          "absent" optional members a job lacks are left out.
                   "null"   they are sent as JSON null: in List summaries the optional members
                            of ModelCustomizationJobSummary (statusDetails, lastModifiedTime,
                            endTime, customModelArn, customModelName, customizationType), in Get
                            answers those of GetModelCustomizationJobResponse (outputModelArn,
                            clientRequestToken, status, statusDetails, failureMessage,
                            lastModifiedTime, endTime, hyperParameters, customizationType,
                            outputModelKmsKeyArn, trainingMetrics, validationMetrics, vpcConfig,
                            customizationConfig); top level only (table NULLABLE_MEMBERS).
                            The other resources: the optional members of their summaries and
                            Get answers (see test/emulator_resources.py).
                            --dump-fixtures and the fixture jobs themselves never hold nulls.
    tagging_order, tagging_pages, tagging_end
                   GetResources' order of entries and tags, short pages, and its last page's
                   PaginationToken ("" or absent): test/emulator_tagging.py.
Fault rules are explicit: their "status" is sent as given under either error_statuses.  A rule's
"error_type" without "body" comes in the error_format (at the rule's status); with "body", the
body is sent verbatim and the error_type as X-Amzn-ErrorType whatever the format.

Default fixtures
----------------
34 jobs held to the service model's shapes, patterns and enums, and three that AWS-compatible
endpoints hand out beyond them (creation times distinct from every other job's):
    us-west-2  ho-5  Completed, FINE_TUNING, 2 tags, created 2025-02-11T07:42:19.318Z,
               arn:aws:bedrock:us-west-2:123456789012:model-customization-job/ho-5 (no
               "<model>/<12-character id>" tail: outside the ModelCustomizationJobArn and
               TaggableResourcesArn patterns)
    eu-west-1  queued-ft-pending  Pending (outside the ModelCustomizationJobStatus enum),
               FINE_TUNING, 2 tags, created 2025-06-02T18:26:53.771Z, a model-form ARN
    us-east-1  legacy_ft_7  Failed with a failureMessage, FINE_TUNING, 2 tags, created
               2024-05-28T03:14:15.926Z ('_' is outside the JobName pattern),
               arn:aws:bedrock:us-east-1:123456789012:model-customization-job/legacy_ft_7
They are served like the others: List finds them (statusEquals of an enum status, the time
filters, nameContains), and an endpoint takes back the identifiers it hands out, so
GetModelCustomizationJob and ListTagsForResource look an identifier up among the jobs first and
hold it to the model's patterns only when no job (of any region) has it: in its region each is
found by its own ARN and by its name ("legacy_ft_7" too), from another region it is 404
ResourceNotFoundException, while an unknown "other_job" is still 400 ValidationException.
statusEquals=Pending is refused like any value outside the enum (400 ValidationException).

Large accounts (--fixtures large:N, 1 <= N <= 1,000,000)
--------------------------------------------------------
N generated jobs, job i (0 <= i < N) in us-east-1 when i is even and us-west-2 when i is odd
(ceil(N/2) and floor(N/2) jobs), named "<project>-<kind>-<i, 6 digits>" (unique per account),
created 5 minutes apart from 2023-01-01T00:00:00Z (plus a hash-drawn 0-240 s and milliseconds,
so creation times are distinct), with every other field drawn from SHA-256 of i by the same
make_job() as the other fixtures: about 70% Completed, 15% Failed, 8% Stopped, 5% InProgress,
2% Stopping, every customization type, tags, VPC and KMS on some.  Deterministic: the same N
gives the same account, and job i is the same job whatever N (when it exists).  Start-up
computes only what List paging needs (about 1 s per 100,000 jobs); a job's summary is built on
first use and kept, its Get shape and tags are built on use (the last 4096 built are kept).
GET /_emulator/fixtures gives the counts per region and status.

List paging
-----------
Per region and per (region, status) the jobs are kept sorted by (creation time, ARN); the time
filters bisect them and a page is a slice, so a page costs its own size whatever the account's.
nameContains scans the candidates once per distinct filter (kept for the next pages).

Fault rules
-----------
A fault rule is a JSON object.  Rules are checked in order after SigV4 verification (a request
that fails verification is answered 403, or as error_statuses says, and never reaches them).
Every rule whose "operation", "region" and "account" match a request counts it; the first rule
that is past its "after" count and wins its "probability" draw answers the request, and a rule
with "times" is dropped once it has answered that many requests.  Unknown members, and members
that do not go with the rule's "action", are rejected with 400.

The credential operations (AssumeRole, AssumeRoleWithWebIdentity, IMDSGetToken, IMDSGetRoleName,
IMDSGetCredentials, ECSGetCredentials) take rules too, after their own authentication (SigV4 for
AssumeRole, the IMDS token, the ECS Authorization header), but only rules that name them: "*"
means any Bedrock operation, and ListAccounts, ListRegions and GetResources, which are no
credential operations ("*" matches them, as a rule naming them does).  A rule answer without
"body" for an STS operation is an XML <ErrorResponse> with <Code> the rule's "error_type"
(default ServiceUnavailable for 503, InternalFailure for 500, else InjectedFault; Type Receiver
for 5xx) and text/xml.  A credential
request answered by a rule issues no credentials (except under stall_body/truncate without
"status", non_utf8 and the other answer-changing actions, which send the normal answer).

Members of every rule:
    "operation"    an operation name or "*" (default "*": any operation but the credential ones)
    "region"       only requests signed for this region (default: any)
    "account"      only requests signed with keys of this account (12 digits; default: any): the
                   account the log entry's "account" names.  Keys issued by AssumeRole are of the
                   role's account (a bedrock-cross-account session is 210987654321's, though it
                   reads the management's fixtures); IMDS, ECS, AssumeRoleWithWebIdentity and
                   unsigned requests are of no account and never match a rule that names one
    "times"        answer this many requests, then drop the rule (>= 1; default: forever)
    "after"        let this many matching requests through first (>= 0; default 0)
    "probability"  0..1: answer each matching request with this probability (default 1), drawn
                   from a per-rule random generator seeded with "seed", so that the same
                   sequence of requests gets the same faults (for load tests)
    "seed"         integer seed of that generator, and of "garbage" bytes (default 1)
    "delay"        seconds (0-600) to wait before answering; for "stall_headers" and
                   "stall_body" it is how long the stall lasts (default 30)
    "request_id"   the x-amzn-RequestId to send instead of the generated one
    "retry_after"  the value of a Retry-After header to send (a string, e.g. "1")
    "action"       what to do instead of a plain answer; see below (default: none)

Without "action" the rule answers with an error or an arbitrary body:
    "status"       HTTP status, 100-599 (required; sent as given, whatever error_statuses says)
    "error_type"   sent as X-Amzn-ErrorType ("Name" becomes "Name:<bedrock namespace>"), or
                   without "body" where the config's error_format puts it (see "Answer variants")
    "message"      body {"message": ...} (default "Injected fault (status N)")
    "body"         raw body sent verbatim instead (a string)
    "content_type" Content-Type to send (default application/json), e.g. "text/html"

Actions ("status"/"error_type"/"message"/"body"/"content_type" only where listed):
    "reset"          read the request, then close the TCP connection with SO_LINGER 0 so the
                     client sees a connection reset, without sending any byte.
    "stall_headers"  send nothing for "delay" seconds (default 30), then close the connection.
    "stall_body"     send the status line and the headers, with the Content-Length of the full
                     answer, then the first half of the body, then nothing for "delay" seconds
                     (default 30), then close.  The answer is the normal one, or the rule's own
                     when it has "status" (with "error_type", "message", "body", "content_type"
                     as above).
    "truncate"       send the headers with the full Content-Length but only the first half of
                     the body, then close the connection.  Same answer choice as "stall_body".
    "huge"           a syntactically valid JSON object of "size" bytes (default 80 MiB, at most
                     4 GiB; never fewer than the normal answer's): the normal answer's JSON
                     object (or {} if the normal answer is an error) with a last member
                     "padding" holding a long string of "x", streamed without building it in
                     memory.  "status" overrides the status (default 200).
    "garbage"        "size" bytes (default 1024, at most 4 GiB) from a generator seeded with
                     "seed", starting with FF FE so that they are never UTF-8 nor JSON.
                     "status" as for "huge".
    "deep"           a JSON object holding "depth" nested arrays (default 10000, at most 10^7):
                     {"modelCustomizationJobSummaries":[[[...]]]} ("validationMetrics" for Get,
                     "tags" for ListTagsForResource).  "status" as for "huge".
    "non_utf8"       the normal answer with the bytes FF FE (invalid UTF-8) appended to the first
                     job's jobName (List), to jobName and roleArn (Get), or to the first tag's
                     value (ListTagsForResource; a tag is added when there is none).
    "repeat_token"   List only: the normal first page (whatever nextToken the request carries)
                     with nextToken set to the request's nextToken, or to REPEAT_TOKEN
                     ("emulator+repeat/token==") on a first page, so that a client that does not
                     notice would page forever.  A request whose other parameters are invalid
                     gets its normal error; other operations get their normal answer.
    "unknown_status" the normal answer with the first job's status (List) or the job's status
                     (Get) set to "Exploding".
    "bad_timestamp"  the normal answer with the first job's creationTime (List) or the job's
                     creationTime (Get) set to "2024-13-45T99:99:99Z".
The other resources' operations take every action too: "repeat_token" on every paginated List,
"deep" on the List's result member (Get: the wrapper or ARN member), and "non_utf8",
"unknown_status", "bad_timestamp" on the first summary's (Get: the resource's) name, status and
creation time (test/emulator_resources.py, mutate).
"non_utf8", "unknown_status" and "bad_timestamp" change only a successful answer of the
operations named; any other answer (an error, a List page without jobs, ListTagsForResource for
the last two) is sent unchanged.
Stalls end early when the client closes the connection or the emulator stops, and each stalled
request holds only its own handler thread: the emulator keeps serving other connections.

A request answered by a rule is logged with "fault": true, plus "action" when the rule has one;
its "status" is the status sent, or null when no status line was sent ("reset",
"stall_headers").  The entry is logged before the answer goes out; for "huge", "garbage" and
"deep" the in-memory log (GET /_emulator/requests, not the --log file) then also holds "sent",
the body bytes written so far, and "hung_up": true if the client closed the connection early.
"""

import argparse
import base64
import bisect
import collections
import datetime as _dt
import hashlib
import hmac
import json
import os
import random
import re
import secrets
import select
import signal
import socket
import ssl
import struct
import sys
import time
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emulator_resources as resources  # noqa: E402  (the other Bedrock resources: see its docstring)

resources.bind(sys.modules[__name__])
import emulator_accounts as accounts  # noqa: E402  (accounts, the organization, ListAccounts, ListRegions)

accounts.bind(sys.modules[__name__])
import emulator_tagging as tagging  # noqa: E402  (Resource Groups Tagging API GetResources)

tagging.bind(sys.modules[__name__])

# --------------------------------------------------------------------------------------------
# Built-in credentials
# --------------------------------------------------------------------------------------------
ACCOUNT_ID = "123456789012"

LONG_TERM_ACCESS_KEY_ID = "AKIDEMULATOREXAMPLE1"
LONG_TERM_SECRET_ACCESS_KEY = "emulator/Secret+Key/EXAMPLE1234567890abcdef"

TEMP_ACCESS_KEY_ID = "ASIAEMULATOREXAMPLE2"
TEMP_SECRET_ACCESS_KEY = "emulator/Temp+Secret/EXAMPLE0987654321fedcba"
TEMP_SESSION_TOKEN = "emulator-session-token/EXAMPLE+token="

# access key id -> (secret, required session token or None, account)
CREDENTIALS = {
    LONG_TERM_ACCESS_KEY_ID: (LONG_TERM_SECRET_ACCESS_KEY, None, ACCOUNT_ID),
    TEMP_ACCESS_KEY_ID: (TEMP_SECRET_ACCESS_KEY, TEMP_SESSION_TOKEN, ACCOUNT_ID),
}

SERVICE = "bedrock"
MAX_CLOCK_SKEW = _dt.timedelta(minutes=15)
DEFAULT_MAX_RESULTS = 100          # used when a List request has no maxResults (model gives none)
MAX_BODY = 10 * 1024 * 1024

BEDROCK_ERROR_NS = "http://internal.amazon.com/coral/com.amazon.bedrock/"
CORAL_ERROR_NS = "http://internal.amazon.com/coral/com.amazon.coral.service/"

REGION_RE = re.compile(r"\A[a-z]{2}(-[a-z]+)+-\d+\Z")


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------
class ApiError(Exception):
    """An error answered with status, X-Amzn-ErrorType and {"message": ...}."""

    def __init__(self, status, error_type, message, namespace=BEDROCK_ERROR_NS, debug=None):
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.namespace = namespace
        self.debug = debug or {}


def auth_error(error_type, message, debug=None):
    return ApiError(403, error_type, message, CORAL_ERROR_NS, debug)


def short_namespace(namespace):
    """'http://internal.amazon.com/coral/com.amazon.bedrock/' -> 'com.amazon.bedrock': a __type
    value holds no ':', since the SDKs keep only what comes before the first ':'."""
    return namespace.rstrip("/").rsplit("/", 1)[-1]


# config error_format -> (error type, namespace, message) -> (headers, body document)
ERROR_FORMATS = {
    "header": lambda name, ns, msg: ([("X-Amzn-ErrorType", "%s:%s" % (name, ns))], {"message": msg}),
    "type": lambda name, ns, msg: ([], {"__type": "%s#%s" % (short_namespace(ns), name), "message": msg}),
    "code": lambda name, ns, msg: ([], {"code": name, "message": msg}),
}

# config error_statuses "odd": the status sent instead of AWS's, by error type, else by AWS's
# status; any other error: 400 when AWS's status is 5xx, else 500
ODD_STATUSES = {
    "ResourceNotFoundException": 400,       # AWS: 404
    "ThrottlingException": 400,             # 429
    "AccessDeniedException": 500,           # 403
    "ValidationException": 500,             # 400
    "SerializationException": 500,          # 400
    403: 400,                               # the other 403s: UnrecognizedClient, InvalidSignature,
}                                           # IncompleteSignature, MissingAuthenticationToken, ExpiredToken


def odd_status(error_type, status):
    return ODD_STATUSES.get(error_type, ODD_STATUSES.get(status, 400 if status >= 500 else 500))


# config error_statuses -> (error type, AWS's status) -> the status sent
ERROR_STATUSES = {
    "aws": lambda error_type, status: status,
    "odd": odd_status,
}


# --------------------------------------------------------------------------------------------
# SigV4 (independent implementation, verifier side)
# --------------------------------------------------------------------------------------------
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_HEX = b"0123456789abcdefABCDEF"
_WS_RUN = re.compile(r"[ \t\r\n]+")
AMZ_DATE_RE = re.compile(r"\A(\d{8})T(\d{6})Z\Z")


def to_bytes(s):
    """Request-line text (http.server decodes it as ISO-8859-1) back to the bytes received."""
    if isinstance(s, bytes):
        return s
    try:
        return s.encode("latin-1")
    except UnicodeEncodeError:
        return s.encode("utf-8")


def uri_encode(data, keep_slash=False):
    """AWS URI encoding: keep A-Z a-z 0-9 - . _ ~ (and '/' if asked), %XX uppercase otherwise."""
    out = []
    for b in to_bytes(data):
        if b in _UNRESERVED or (keep_slash and b == 0x2F):
            out.append(chr(b))
        else:
            out.append("%%%02X" % b)
    return "".join(out)


def percent_decode(data, plus_as_space=False):
    """Decode %XX escapes into bytes.  A '%' not followed by two hex digits stays literal.
    In query strings '+' means a space (form decoding, as AWS's servers read queries)."""
    data = to_bytes(data)
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b == 0x25 and i + 2 < n and data[i + 1] in _HEX and data[i + 2] in _HEX:
            out.append(int(data[i + 1:i + 3], 16))
            i += 3
            continue
        if b == 0x2B and plus_as_space:
            out.append(0x20)
        else:
            out.append(b)
        i += 1
    return bytes(out)


def normalize_path(path):
    """Remove '.' and '..' segments and empty segments (duplicate slashes), keep a trailing '/'."""
    if not path:
        return "/"
    segs = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if segs:
                segs.pop()
            continue
        segs.append(seg)
    out = "/" + "/".join(segs)
    if segs and (path.endswith("/") or path.endswith("/.") or path.endswith("/..")):
        out += "/"
    return out


def canonical_uri(raw_path, normalize=True):
    """The canonical URI of a non-S3 request: the path as received, normalized, encoded again."""
    path = raw_path or "/"
    if normalize:
        path = normalize_path(path)
    return uri_encode(path, keep_slash=True)


def split_query(raw_query):
    """[(decoded key bytes, decoded value bytes)] of a raw query, in order."""
    pairs = []
    if not raw_query:
        return pairs
    for part in raw_query.split("&"):
        if part == "":
            continue
        k, _, v = part.partition("=")
        pairs.append((percent_decode(k, True), percent_decode(v, True)))
    return pairs


def canonical_query(raw_query):
    """Decode then re-encode every key and value, sort by key then value (byte order)."""
    enc = sorted((uri_encode(k), uri_encode(v)) for k, v in split_query(raw_query))
    return "&".join("%s=%s" % kv for kv in enc)


def canonical_header_value(value):
    return _WS_RUN.sub(" ", value).strip(" ")


def canonical_headers(headers, signed_names):
    """headers: [(name, value)] as received (order kept).  Repeated names join with ','."""
    by_name = {}
    for name, value in headers:
        by_name.setdefault(name.lower(), []).append(canonical_header_value(value))
    lines = []
    for name in signed_names:
        lines.append("%s:%s\n" % (name, ",".join(by_name.get(name, []))))
    return "".join(lines)


def sha256_hex(data):
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def canonical_request(method, raw_path, raw_query, headers, signed_names, payload_hash, normalize=True):
    return "\n".join([
        method,
        canonical_uri(raw_path, normalize),
        canonical_query(raw_query),
        canonical_headers(headers, signed_names),
        ";".join(signed_names),
        payload_hash,
    ])


def string_to_sign(amz_date, scope, creq):
    return "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(creq.encode("utf-8")).hexdigest()])


def signing_key(secret, date, region, service):
    k = hmac.new(("AWS4" + secret).encode("utf-8"), date.encode("utf-8"), hashlib.sha256).digest()
    for part in (region, service, "aws4_request"):
        k = hmac.new(k, part.encode("utf-8"), hashlib.sha256).digest()
    return k


def signature(secret, date, region, service, sts):
    return hmac.new(signing_key(secret, date, region, service), sts.encode("utf-8"), hashlib.sha256).hexdigest()


def sign_request(method, raw_path, raw_query, headers, body, access_key, secret, region, amz_date,
                 service=SERVICE, token=None, signed=None):
    """Client-side helper (tests, emuctl): returns the headers to add (X-Amz-Date, optional token,
    Authorization).  headers: [(name, value)] already on the request, including Host."""
    extra = [("X-Amz-Date", amz_date)]
    if token is not None:
        extra.append(("X-Amz-Security-Token", token))
    allh = list(headers) + extra
    names = signed if signed is not None else sorted({n.lower() for n, _ in allh})
    creq = canonical_request(method, raw_path, raw_query, allh, names, sha256_hex(body or b""))
    scope = "%s/%s/%s/aws4_request" % (amz_date[:8], region, service)
    sts = string_to_sign(amz_date, scope, creq)
    sig = signature(secret, amz_date[:8], region, service, sts)
    auth = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        access_key, scope, ";".join(names), sig)
    return extra + [("Authorization", auth)]


class AuthInfo:
    def __init__(self, access_key, region, account):
        self.access_key = access_key
        self.region = region
        self.account = account


def parse_authorization(value):
    """Parse 'AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...'.
    Returns a dict or raises ApiError (IncompleteSignatureException)."""
    v = value.strip()
    algorithm, _, rest = v.partition(" ")
    fields = {}
    for item in rest.split(","):
        k, sep, val = item.strip().partition("=")
        if sep:
            fields[k.strip()] = val.strip()
    if algorithm != "AWS4-HMAC-SHA256" and "Credential" in fields:
        raise auth_error("IncompleteSignatureException",
                         "Unsupported AWS 'algorithm': '%s'." % algorithm)
    missing = [k for k in ("Credential", "Signature", "SignedHeaders") if not fields.get(k)]
    if algorithm != "AWS4-HMAC-SHA256" or missing:
        msg = "".join("Authorization header requires '%s' parameter. " % k for k in (missing or ["Credential", "Signature", "SignedHeaders"]))
        raise auth_error("IncompleteSignatureException", msg + "Authorization=" + value)
    return fields


def parse_credential_scope(credential):
    """'KEY/DATE/REGION/SERVICE/aws4_request' -> (key, date, region, service, terminator) or None."""
    parts = credential.split("/")
    if len(parts) != 5:
        return None
    return tuple(parts)


def scope_region(headers):
    """Best-effort (access key, region) from the Authorization header, for the request log."""
    value = None
    for n, v in headers:
        if n.lower() == "authorization":
            value = v
            break
    if value is None:
        return None, None
    m = re.search(r"Credential=([^,\s]*)", value)
    if not m:
        return None, None
    parts = m.group(1).split("/")
    key = parts[0] or None
    region = parts[2] if len(parts) == 5 and parts[2] else None
    return key, region


def _amz(ts):
    return ts.strftime("%Y%m%dT%H%M%SZ")


def verify_request(method, raw_target, headers, body, credentials=None, now=None, service=SERVICE):
    """Verify the SigV4 Authorization header of a request exactly as received.

    raw_target: request target from the request line ("/path?query", undecoded);
    headers: [(name, value)] in received order; body: exact body bytes.
    credentials: anything with .get(access key) -> (secret, required token or None, account[,
    expiry as Unix time]) or None (default CREDENTIALS).
    Returns AuthInfo or raises ApiError with status 403 like AWS."""
    credentials = CREDENTIALS if credentials is None else credentials
    now = now or _dt.datetime.now(_dt.timezone.utc)
    raw_path, _, raw_query = raw_target.partition("?")

    def header(name):
        vals = [v for n, v in headers if n.lower() == name]
        return ",".join(v.strip() for v in vals) if vals else None

    authz = header("authorization")
    if authz is None:
        raise auth_error("MissingAuthenticationTokenException", "Missing Authentication Token")
    fields = parse_authorization(authz)
    amz_date = header("x-amz-date")
    if amz_date is None:
        raise auth_error("IncompleteSignatureException",
                         "Authorization header requires existence of either a 'X-Amz-Date' or a "
                         "'Date' header. Authorization=" + authz)
    m = AMZ_DATE_RE.match(amz_date)
    req_time = None
    if m:
        try:
            req_time = _dt.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=_dt.timezone.utc)
        except ValueError:
            req_time = None
    if req_time is None:
        raise auth_error("IncompleteSignatureException",
                         "Date must be in ISO-8601 'basic format'. Got '%s'. See "
                         "http://en.wikipedia.org/wiki/ISO_8601" % amz_date)

    scope = parse_credential_scope(fields["Credential"])
    if scope is None:
        raise auth_error("IncompleteSignatureException",
                         "Credential must have exactly 5 slash-delimited elements, e.g. "
                         "keyid/date/region/service/term, got '%s'" % fields["Credential"])
    key, sdate, region, svc, term = scope
    if term != "aws4_request":
        raise auth_error("InvalidSignatureException",
                         "Credential should be scoped with a valid terminator: 'aws4_request', not '%s'." % term)
    if svc != service:
        raise auth_error("InvalidSignatureException",
                         "Credential should be scoped to correct service: '%s'." % service)
    if not REGION_RE.match(region):
        raise auth_error("InvalidSignatureException",
                         "Credential should be scoped to a valid region, not '%s'." % region)
    if sdate != amz_date[:8]:
        raise auth_error("InvalidSignatureException",
                         "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                         "date from HTTP: '%s' != '%s', from '%s'." % (sdate, amz_date[:8], amz_date))

    cred = credentials.get(key)
    if cred is None:
        raise auth_error("UnrecognizedClientException", "The security token included in the request is invalid.")
    secret, required_token, account = cred[:3]
    expires = cred[3] if len(cred) > 3 else None       # issued credentials: Unix time
    token = header("x-amz-security-token")
    if required_token is not None and token != required_token:
        raise auth_error("UnrecognizedClientException", "The security token included in the request is invalid.")
    if required_token is None and token is not None:
        # A session token with a long-term key does not belong to it.
        raise auth_error("UnrecognizedClientException", "The security token included in the request is invalid.")
    if expires is not None and now.timestamp() >= expires:
        raise auth_error("ExpiredTokenException", "The security token included in the request is expired")

    signed_names = fields["SignedHeaders"].split(";")
    if "host" not in signed_names:
        raise auth_error("IncompleteSignatureException",
                         "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")

    if req_time < now - MAX_CLOCK_SKEW:
        raise auth_error("InvalidSignatureException",
                         "Signature expired: %s is now earlier than %s (%s - 15 min.)"
                         % (amz_date, _amz(now - MAX_CLOCK_SKEW), _amz(now)))
    if req_time > now + MAX_CLOCK_SKEW:
        raise auth_error("InvalidSignatureException",
                         "Signature not yet current: %s is still later than %s (%s + 15 min.)"
                         % (amz_date, _amz(now + MAX_CLOCK_SKEW), _amz(now)))

    payload_hash = hashlib.sha256(body or b"").hexdigest()
    declared = header("x-amz-content-sha256")
    if declared is not None and declared != payload_hash:
        raise auth_error("InvalidSignatureException",
                         "The provided 'x-amz-content-sha256' header does not match what was computed.")
    creq = canonical_request(method, raw_path, raw_query, headers, signed_names, payload_hash)
    sts = string_to_sign(amz_date, "/".join(scope[1:]), creq)
    expected = signature(secret, sdate, region, svc, sts)
    if not hmac.compare_digest(expected, fields["Signature"]):
        raise auth_error("InvalidSignatureException",
                         "The request signature we calculated does not match the signature you "
                         "provided. Check your AWS Secret Access Key and signing method. Consult "
                         "the service documentation for details.",
                         debug={"canonical_request": creq, "string_to_sign": sts})
    return AuthInfo(key, region, account)


# --------------------------------------------------------------------------------------------
# Timestamps
# --------------------------------------------------------------------------------------------
UTC = _dt.timezone.utc
_ISO_RE = re.compile(
    r"\A(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})\Z")


def parse_iso8601(s):
    """ISO-8601 / RFC 3339 date-time with Z or an offset, optional fraction -> aware datetime."""
    m = _ISO_RE.match(s)
    if not m:
        return None
    y, mo, d, h, mi, se, frac, zone = m.groups()
    try:
        micro = int((frac or "0").ljust(6, "0")[:6])
        t = _dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(se), micro, tzinfo=UTC)
    except ValueError:
        return None
    if zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        z = zone[1:].replace(":", "")
        hh, mm = int(z[:2]), int(z[2:])
        if hh > 23 or mm > 59:
            return None
        t -= sign * _dt.timedelta(hours=hh, minutes=mm)
    return t


def fmt_ts(t, whole=False):
    t = t.astimezone(UTC)
    if whole:
        return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (t.year, t.month, t.day, t.hour, t.minute, t.second)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (t.year, t.month, t.day, t.hour, t.minute, t.second,
                                                   t.microsecond // 1000)


def ts_micros(s):
    t = parse_iso8601(s)
    return int((t - _dt.datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()) * 1000000 + t.microsecond


# --------------------------------------------------------------------------------------------
# Patterns from the service model (anchored)
# --------------------------------------------------------------------------------------------
JOB_NAME_PATTERN = r"[a-zA-Z0-9](-*[a-zA-Z0-9\+\-\.])*"
# Equivalent to JOB_NAME_PATTERN ('-' is in the class too) without its catastrophic backtracking.
_JOB_NAME_RE = re.compile(r"\A[a-zA-Z0-9][a-zA-Z0-9+\-.]*\Z")
JOB_ARN_PATTERN = (r"arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-customization-job/"
                   r"[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}"
                   r"([:][a-z0-9-]{1,63}){0,2}/[a-z0-9]{12}")
_JOB_ARN_RE = re.compile(r"\A(?:" + JOB_ARN_PATTERN + r")\Z")
JOB_IDENTIFIER_PATTERN = "(" + JOB_ARN_PATTERN + ")|(" + JOB_NAME_PATTERN + ")"
TAGGABLE_ARN_PATTERN = (
    r".*(^[a-zA-Z0-9][a-zA-Z0-9\-]*$)|(^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:custom-model/"
    r"(imported)/[a-z0-9]{12}$)|(^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:([0-9]{12}|)((:(fine-tuning-job|"
    r"model-customization-job|custom-model)/[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([a-z0-9-]{1,63}[.]){0,2}"
    r"[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}(/[a-z0-9]{12})$)|(:guardrail/[a-z0-9]+$)|"
    r"(:automated-reasoning-policy/[a-zA-Z0-9]+(:[a-zA-Z0-9]+)?$)|(:(inference-profile|"
    r"application-inference-profile)/[a-zA-Z0-9-:.]+$)|(:(provisioned-model|model-invocation-job|"
    r"model-evaluation-job|evaluation-job|model-import-job|imported-model|async-invoke|"
    r"provisioned-model-v2|provisioned-model-reservation|prompt-router|custom-model-deployment)/"
    r"[a-z0-9]{12}$))).*")
_TAGGABLE_ARN_RE = re.compile(r"\A(?:" + TAGGABLE_ARN_PATTERN + r")\Z", re.S)
PAGINATION_TOKEN_PATTERN = r"\S*"
STATUS_ENUM = ["InProgress", "Completed", "Failed", "Stopping", "Stopped"]
SORT_BY_ENUM = ["CreationTime"]
SORT_ORDER_ENUM = ["Ascending", "Descending"]
CUSTOMIZATION_TYPES = ["FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION",
                       "REINFORCEMENT_FINE_TUNING", "IMPORTED"]


def is_job_name(s):
    return bool(_JOB_NAME_RE.match(s))


def is_job_arn(s):
    return bool(_JOB_ARN_RE.match(s))


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def hid(*parts, n=12):
    """Deterministic lowercase alphanumeric id from a hash."""
    # the n low base-36 digits of the hash, least significant first (reduced first: faster)
    v = int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest(), "big") % (36 ** n)
    out = []
    for _ in range(n):
        v, r = divmod(v, 36)
        out.append(_B36[r])
    return "".join(out)


def huuid(*parts):
    h = hashlib.sha256(("uuid|" + "|".join(parts)).encode()).hexdigest()
    return "%s-%s-4%s-a%s-%s" % (h[:8], h[8:12], h[13:16], h[17:20], h[20:32])


def hfrac(*parts, lo=0.05, hi=0.95):
    v = int(hashlib.sha256(("f|" + "|".join(parts)).encode()).hexdigest()[:8], 16) % 1000
    return round(lo + (hi - lo) * v / 1000.0, 3)


def safe_slug(name):
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return s


def model_name_from(name):
    s = re.sub(r"[^0-9a-zA-Z]+", "-", name).strip("-")
    s = (s + "-model")[:63].rstrip("-_")
    return s


def fm_arn(region, model_id):
    return "arn:aws:bedrock:%s::foundation-model/%s" % (region, model_id)


class Job:
    """One fixture job: region, full Get shape, List summary, tags.

    Every job (this class and LargeJob) offers: region, arn, name, status, created_us, get,
    summary and tags."""

    def __init__(self, region, get, tags, summary_base_arn=None):
        self.region = region
        self.get = get
        self.tags = tags
        self.arn = get["jobArn"]
        self.name = get["jobName"]
        self.status = get["status"]
        self.created_us = ts_micros(get["creationTime"])
        s = {}
        s["jobArn"] = get["jobArn"]
        s["baseModelArn"] = summary_base_arn or get["baseModelArn"]
        s["jobName"] = get["jobName"]
        s["status"] = get["status"]
        for k in ("statusDetails", "lastModifiedTime", "creationTime", "endTime"):
            if k in get:
                s[k] = get[k]
        if "outputModelArn" in get:
            s["customModelArn"] = get["outputModelArn"]
        if "outputModelName" in get:
            s["customModelName"] = get["outputModelName"]
        if "customizationType" in get:
            s["customizationType"] = get["customizationType"]
        self.summary = s


def _details(spec, created):
    """statusDetails from {"validation": (status, start_min, end_min|None), ...}."""
    out = {}
    for key, name in (("validation", "validationDetails"), ("dataProcessing", "dataProcessingDetails"),
                      ("training", "trainingDetails")):
        if key not in spec:
            continue
        st, a, b = spec[key]
        d = {"status": st}
        if a is not None:
            d["creationTime"] = fmt_ts(created + _dt.timedelta(minutes=a))
            d["lastModifiedTime"] = fmt_ts(created + _dt.timedelta(minutes=b if b is not None else a))
        out[name] = d
    return out


def make_job(region, name, ctype, status, base, created, minutes, *, account=ACCOUNT_ID, tags=(),
             whole=False, vpc=None, kms=None, validators=1, hyper="default", details=None,
             crt=True, failure=None, custom_base=None, role="BedrockModelCustomizationRole",
             bucket="acme-bedrock", model_name=None, training=None, customization=None,
             training_loss=None, validation_losses=None, arn=None):
    """Build one job deterministically.  created: ISO string; minutes: how long it ran (or has
    been running, for InProgress/Stopping/Pending); arn: a jobArn other than the model's form."""
    c = parse_iso8601(created)
    slug = safe_slug(name)
    g = {}
    g["jobArn"] = arn or "arn:aws:bedrock:%s:%s:model-customization-job/%s/%s" % (
        region, account, base, hid("job", region, name, created))
    g["jobName"] = name
    g["outputModelName"] = model_name or model_name_from(name)
    if status == "Completed":
        if ctype == "IMPORTED":
            g["outputModelArn"] = "arn:aws:bedrock:%s:%s:custom-model/imported/%s" % (region, account, hid("model", region, name))
        else:
            g["outputModelArn"] = "arn:aws:bedrock:%s:%s:custom-model/%s/%s" % (region, account, base, hid("model", region, name))
    if crt is True:
        g["clientRequestToken"] = huuid(region, name)
    elif crt:
        g["clientRequestToken"] = crt
    g["roleArn"] = "arn:aws:iam::%s:role/%s" % (account, role)
    g["status"] = status
    if details:
        g["statusDetails"] = _details(details, c)
    if failure:
        g["failureMessage"] = failure
    g["creationTime"] = fmt_ts(c, whole)
    run = _dt.timedelta(minutes=minutes)
    if status in ("Completed", "Stopped", "Failed"):
        end = c + run
        g["lastModifiedTime"] = fmt_ts(end + _dt.timedelta(seconds=3, milliseconds=178), whole)
        g["endTime"] = fmt_ts(end, whole)
    else:
        g["lastModifiedTime"] = fmt_ts(c + run, whole)
    g["baseModelArn"] = fm_arn(region, base)
    if hyper == "default":
        epochs = str(1 + int(hid("e", region, name, n=2), 36) % 5)
        hyper = {"epochCount": epochs, "batchSize": "8", "learningRate": "0.00001"}
    if hyper:
        g["hyperParameters"] = dict(hyper)
    if training is not None:
        g["trainingDataConfig"] = training
    else:
        g["trainingDataConfig"] = {"s3Uri": "s3://%s-training-%s/%s/train.jsonl" % (bucket, region, slug)}
    g["validationDataConfig"] = {"validators": [
        {"s3Uri": "s3://%s-training-%s/%s/validation-%d.jsonl" % (bucket, region, slug, i + 1)}
        for i in range(validators)]}
    g["outputDataConfig"] = {"s3Uri": "s3://%s-output-%s/%s/" % (bucket, region, slug)}
    g["customizationType"] = ctype
    if kms:
        g["outputModelKmsKeyArn"] = "arn:aws:kms:%s:%s:key/%s" % (region, account, kms)
    if status == "Completed" and ctype != "IMPORTED":
        g["trainingMetrics"] = {"trainingLoss": training_loss if training_loss is not None
                                else hfrac("tl", region, name)}
        if validators:
            losses = validation_losses or [hfrac("vl", region, name, str(i)) for i in range(validators)]
            g["validationMetrics"] = [{"validationLoss": v} for v in losses]
    if vpc:
        subnets, sgs = vpc
        g["vpcConfig"] = {"subnetIds": list(subnets), "securityGroupIds": list(sgs)}
    if customization:
        g["customizationConfig"] = customization
    tag_list = [{"key": k, "value": v} for k, v in tags]
    return Job(region, g, tag_list, summary_base_arn=custom_base)


def _default_jobs():
    A = ACCOUNT_ID
    E1, W2, EU = "us-east-1", "us-west-2", "eu-west-1"
    TITAN = "amazon.titan-text-express-v1:0:8k"
    TITAN_LITE = "amazon.titan-text-lite-v1:0:4k"
    LLAMA8 = "meta.llama3-1-8b-instruct-v1:0"
    LLAMA70 = "meta.llama3-1-70b-instruct-v1:0"
    LLAMA3B = "meta.llama3-2-3b-instruct-v1:0"
    HAIKU = "anthropic.claude-3-haiku-20240307-v1:0:200k"
    NOVA_MICRO = "amazon.nova-micro-v1:0:128k"
    NOVA_LITE = "amazon.nova-lite-v1:0:300k"
    NOVA_PRO = "amazon.nova-pro-v1:0:300k"
    COHERE = "cohere.command-light-text-v14:7:4k"
    MISTRAL = "mistral.mistral-7b-instruct-v0:2"
    VPC1 = (["subnet-0a1b2c3d4e5f60718", "subnet-0f9e8d7c6b5a40312"], ["sg-0123456789abcdef0"])
    VPC2 = (["subnet-0c4d5e6f7a8b9c0d1", "subnet-0d5e6f7a8b9c0d1e2"], ["sg-0fedcba9876543210", "sg-0a1a2b3b4c5c6d7d8"])
    VPC3 = (["subnet-05a6b7c8d9e0f1a2b", "subnet-06b7c8d9e0f1a2b3c"], ["sg-0b1c2d3e4f5a6b7c8"])
    KMS1 = "1234abcd-12ab-34cd-56ef-1234567890ab"
    KMS2 = "0987dcba-09fe-87dc-65ba-ab0987654321"
    HP = lambda e, b, lr: {"epochCount": e, "batchSize": b, "learningRate": lr}  # noqa: E731

    jobs = []
    add = jobs.append

    # ---- us-east-1: 23 jobs, oldest first (and legacy_ft_7 below) --------------------------
    rich = make_job(
        E1, "titan-support-ft-001", "FINE_TUNING", "Completed", TITAN, "2024-01-08T14:03:27.512Z", 344.5,
        tags=[("team", "support-ml"), ("cost-center", "CC-1042"), ("env", "prod")],
        vpc=VPC1, kms=KMS1, validators=2, hyper=HP("2", "8", "0.00001"),
        crt="c0a8f3d2-5b1e-4f6a-9d7c-3e2b1a0f9e8d", role="BedrockSupportFineTuning",
        model_name="titan-support-v1", training_loss=0.123, validation_losses=[0.1412, 0.1587],
        details={"validation": ("Completed", 0.75, 4.25), "dataProcessing": ("Completed", 4.25, 38.5),
                 "training": ("Completed", 38.5, 344.5)})
    add(rich)
    rich_model_arn = rich.get["outputModelArn"]
    add(make_job(E1, "titan-docs-cpt-2024q1", "CONTINUED_PRE_TRAINING", "Completed", TITAN_LITE,
                 "2024-01-29T09:41:05.207Z", 1210, tags=[("team", "docs"), ("env", "prod")], validators=0,
                 hyper=HP("1", "16", "0.000005")))
    add(make_job(E1, "llama3.1-ft+v2", "FINE_TUNING", "Failed", LLAMA8, "2024-02-14T17:22:48.930Z", 17.25,
                 tags=[("team", "search"), ("project", "query-rewrite")],
                 failure="The training data contains 3 rows that exceed the maximum token length of 8192 for this model.",
                 details={"validation": ("Failed", 0.5, 17.25), "dataProcessing": ("NotStarted", None, None),
                          "training": ("NotStarted", None, None)}))
    add(make_job(E1, "claude-haiku-legal-ft", "FINE_TUNING", "Completed", HAIKU, "2024-03-05T11:10:00Z", 512,
                 whole=True, tags=[("team", "legal-ai"), ("cost-center", "CC-3307"), ("project", "contract-review")],
                 vpc=VPC2, validators=1, hyper=HP("3", "4", "0.00002")))
    add(make_job(E1, "titan-support-ft-002", "FINE_TUNING", "Stopped", TITAN, "2024-03-18T21:26:11.406Z", 48.75,
                 tags=[], validators=1, hyper=HP("4", "8", "0.00001")))
    add(make_job(E1, "titan-support-ft-003-continued", "FINE_TUNING", "Completed", TITAN,
                 "2024-04-02T08:15:44.019Z", 201.5, custom_base=rich_model_arn,
                 tags=[("team", "support-ml"), ("cost-center", "CC-1042"), ("env", "staging")],
                 kms=KMS1, validators=1, hyper=HP("1", "8", "0.000005"), role="BedrockSupportFineTuning",
                 model_name="titan-support-v2"))
    add(make_job(E1, "llama3-70b-sql-ft", "FINE_TUNING", "Completed", LLAMA70, "2024-04-23T16:52:30.660Z", 1440,
                 tags=[("team", "data-platform"), ("project", "sql-assistant"), ("cost-center", "CC-2210")],
                 validators=2, hyper=HP("2", "1", "0.0001")))
    add(make_job(E1, "titan-finance-cpt-01", "CONTINUED_PRE_TRAINING", "Failed", TITAN, "2024-05-10T07:05:19.004Z", 93,
                 tags=[("team", "finance-ai")], validators=0,
                 failure="Access denied when reading s3://acme-bedrock-training-us-east-1/titan-finance-cpt-01/train.jsonl. Check the service role permissions."))
    add(make_job(E1, "cohere-command-light-ft", "FINE_TUNING", "Completed", COHERE, "2024-06-01T12:00:00Z", 305,
                 whole=True, tags=[("team", "marketing"), ("cost-center", "CC-4410")], validators=1,
                 hyper=HP("2", "8", "0.000001"), crt=None))
    add(make_job(
        E1, "nova-micro-distill-support", "DISTILLATION", "Completed", NOVA_MICRO, "2024-06-27T19:34:02.871Z", 930,
        tags=[("team", "support-ml"), ("cost-center", "CC-1042"), ("project", "helpdesk-bot")],
        validators=0, hyper=None, role="BedrockDistillationRole",
        details={"validation": ("Completed", 0.25, 3.5), "dataProcessing": ("Completed", 3.5, 212.0),
                 "training": ("Completed", 212.0, 930.0)},
        training={"invocationLogsConfig": {
            "usePromptResponse": True,
            "invocationLogSource": {"s3Uri": "s3://acme-bedrock-invocation-logs/us-east-1/support/"},
            "requestMetadataFilters": {"andAll": [{"equals": {"project": "alpha"}},
                                                  {"notEquals": {"env": "dev"}}]}}},
        customization={"distillationConfig": {"teacherModelConfig": {
            "teacherModelIdentifier": fm_arn(E1, "amazon.nova-pro-v1:0"),
            "maxResponseLengthForInference": 1000}}}))
    add(make_job(E1, "llama3.1-ft+v3", "FINE_TUNING", "Completed", LLAMA8, "2024-07-15T10:20:33.333Z", 260,
                 tags=[("team", "search"), ("project", "query-rewrite"), ("env", "prod")], validators=1,
                 hyper=HP("3", "8", "0.00001")))
    add(make_job(E1, "nova-lite-ft-chat", "FINE_TUNING", "Stopped", NOVA_LITE, "2024-08-06T03:47:58.120Z", 75.5,
                 tags=[("team", "support-ml"), ("env", "dev")], validators=1, hyper=HP("2", "8", "0.00001")))
    add(make_job(E1, "titan-cpt-medical", "CONTINUED_PRE_TRAINING", "Completed", TITAN, "2024-08-29T22:13:41.598Z", 2016,
                 tags=[("team", "health-ai"), ("cost-center", "CC-5120"), ("billing", "cc=5120:ml-platform"),
                       ("env", "prod")], vpc=VPC3, kms=KMS2, validators=1, hyper=HP("1", "32", "0.000003")))
    add(make_job(E1, "claude-haiku-support-ft", "FINE_TUNING", "Failed", HAIKU, "2024-09-19T13:58:07.745Z", 41,
                 tags=[("team", "support-ml"), ("cost-center", "CC-1042")], validators=1,
                 failure="Internal error. Retry the job; if the problem persists, contact AWS Support.",
                 details={"validation": ("Completed", 0.2, 2.4), "dataProcessing": ("Failed", 2.4, 41.0),
                          "training": ("NotStarted", None, None)}))
    add(make_job(E1, "nova-pro-ft-agents", "FINE_TUNING", "Completed", NOVA_PRO, "2024-10-11T09:30:00Z", 720,
                 whole=True, tags=[("team", "agents"), ("project", "tool-use")], validators=2,
                 hyper=HP("2", "8", "0.000005")))
    add(make_job(E1, "imported-mistral-7b", "IMPORTED", "Completed", MISTRAL, "2024-11-02T15:06:27.090Z", 38,
                 tags=[("team", "research")], validators=0, hyper=None))
    add(make_job(E1, "nova-micro-distill-search", "DISTILLATION", "InProgress", NOVA_MICRO,
                 "2024-12-04T18:44:12.456Z", 95, tags=[("team", "search"), ("cost-center", "CC-2210")],
                 validators=1, hyper=None, role="BedrockDistillationRole",
                 details={"validation": ("Completed", 0.3, 4.1), "dataProcessing": ("InProgress", 4.1, 95.0),
                          "training": ("NotStarted", None, None)},
                 customization={"distillationConfig": {"teacherModelConfig": {
                     "teacherModelIdentifier": fm_arn(E1, "amazon.nova-premier-v1:0")}}}))
    add(make_job(
        E1, "nova-lite-rft-math", "REINFORCEMENT_FINE_TUNING", "Completed", NOVA_LITE, "2025-01-13T06:25:50.802Z", 1385,
        tags=[("team", "research"), ("project", "math-reasoning"), ("cost-center", "CC-7001")],
        validators=1, hyper=None, role="BedrockRftRole",
        customization={"rftConfig": {
            "graderConfig": {"lambdaGrader": {"lambdaArn": "arn:aws:lambda:us-east-1:%s:function:rft-math-grader" % A}},
            "hyperParameters": {"epochCount": 3, "batchSize": 32, "learningRate": 0.0001, "reasoningEffort": "medium"}}}))
    add(make_job(E1, "llama3-2-3b-ft-intent", "FINE_TUNING", "Stopping", LLAMA3B, "2025-02-20T20:02:02.202Z", 66,
                 tags=[("team", "support-ml"), ("project", "intent-router")], validators=1,
                 hyper=HP("5", "16", "0.0001")))
    add(make_job(E1, "titan-support-ft-004", "FINE_TUNING", "InProgress", TITAN, "2025-03-27T11:11:11.111Z", 150,
                 tags=[("team", "support-ml"), ("cost-center", "CC-1042"), ("env", "staging")], vpc=VPC1,
                 validators=2, hyper=HP("2", "8", "0.00001"), role="BedrockSupportFineTuning",
                 details={"validation": ("Completed", 0.4, 2.9), "dataProcessing": ("Completed", 2.9, 31.0),
                          "training": ("InProgress", 31.0, 150.0)}))
    add(make_job(E1, "nova-micro-ft-classify", "FINE_TUNING", "InProgress", NOVA_MICRO, "2025-04-30T23:59:59.999Z", 12,
                 tags=[], validators=0, hyper=HP("1", "8", "0.00001")))
    add(make_job(E1, "nova-pro-cpt-legal", "CONTINUED_PRE_TRAINING", "InProgress", NOVA_PRO,
                 "2025-05-22T04:40:04.404Z", 600, tags=[("team", "legal-ai"), ("cost-center", "CC-3307")],
                 kms=KMS2, validators=0, hyper=HP("1", "16", "0.000002")))
    add(make_job(E1, "claude-haiku-ft-nightly", "FINE_TUNING", "Failed", HAIKU, "2025-06-17T01:15:30.500Z", 9.5,
                 tags=[("team", "qa"), ("env", "dev")], validators=1,
                 failure="Service quota exceeded: the account has reached the maximum number of concurrent model customization jobs."))

    # ---- us-west-2: 7 jobs, every status (and ho-5 below) ----------------------------------
    add(make_job(W2, "titan-ads-ft-001", "FINE_TUNING", "Completed", TITAN, "2024-02-02T18:30:45.250Z", 415,
                 tags=[("team", "marketing"), ("cost-center", "CC-4410"), ("project", "ad-copy")], validators=1,
                 hyper=HP("2", "8", "0.00001"), vpc=VPC2))
    add(make_job(W2, "llama3-1-8b-ft-translate", "FINE_TUNING", "Failed", LLAMA8, "2024-05-21T08:08:08.808Z", 22,
                 tags=[("team", "localization")], validators=1,
                 failure="Validation dataset s3://acme-bedrock-training-us-west-2/llama3-1-8b-ft-translate/validation-1.jsonl is not valid JSON Lines (line 17)."))
    add(make_job(W2, "nova-micro-ft-classify", "FINE_TUNING", "Stopped", NOVA_MICRO, "2024-09-09T09:09:09.090Z", 33,
                 tags=[("team", "support-ml"), ("env", "dev")], validators=0, hyper=HP("1", "8", "0.00001")))
    add(make_job(W2, "mistral-import-7b", "IMPORTED", "Completed", MISTRAL, "2024-12-12T12:12:12.120Z", 27,
                 tags=[], validators=0, hyper=None, crt=None))
    add(make_job(W2, "titan-cpt-retail", "CONTINUED_PRE_TRAINING", "Stopping", TITAN, "2025-03-03T14:45:00.000Z", 240,
                 tags=[("team", "retail-ai"), ("cost-center", "CC-6060")], validators=0, hyper=HP("1", "16", "0.000005")))
    add(make_job(W2, "nova-lite-distill-qa", "DISTILLATION", "InProgress", NOVA_LITE, "2025-05-05T05:05:05.505Z", 180,
                 tags=[("team", "support-ml"), ("project", "helpdesk-bot")], validators=1, hyper=None,
                 role="BedrockDistillationRole",
                 details={"validation": ("Completed", 0.2, 1.9), "dataProcessing": ("Completed", 1.9, 60.0),
                          "training": ("InProgress", 60.0, 180.0)},
                 customization={"distillationConfig": {"teacherModelConfig": {
                     "teacherModelIdentifier": fm_arn(W2, "amazon.nova-pro-v1:0"),
                     "maxResponseLengthForInference": 2048}}}))
    add(make_job(W2, "nova-lite-rft-code", "REINFORCEMENT_FINE_TUNING", "InProgress", NOVA_LITE,
                 "2025-06-10T16:20:00.000Z", 300, tags=[("team", "research"), ("project", "code-reasoning")],
                 validators=1, hyper=None, role="BedrockRftRole",
                 customization={"rftConfig": {
                     "graderConfig": {"lambdaGrader": {"lambdaArn": "arn:aws:lambda:us-west-2:%s:function:rft-code-grader:live" % A}},
                     "hyperParameters": {"epochCount": 2, "batchSize": 64, "learningRate": 0.00005,
                                         "reasoningEffort": "high"}}}))

    # ---- eu-west-1: 4 jobs (and queued-ft-pending below) -----------------------------------
    add(make_job(EU, "titan-gdpr-ft-001", "FINE_TUNING", "Completed", TITAN, "2024-03-12T10:00:01.001Z", 380,
                 tags=[("team", "privacy"), ("cost-center", "CC-8800"), ("data-residency", "eu")], kms=KMS2,
                 validators=1, hyper=HP("2", "8", "0.00001")))
    add(make_job(EU, "titan-gdpr-cpt-001", "CONTINUED_PRE_TRAINING", "Failed", TITAN_LITE, "2024-07-07T07:07:07.707Z", 14,
                 tags=[("team", "privacy")], validators=0,
                 failure="The training data location is in a different Region (us-east-1) than the job."))
    add(make_job(EU, "claude-haiku-eu-ft", "FINE_TUNING", "InProgress", HAIKU, "2025-01-20T15:30:30.030Z", 95,
                 tags=[("team", "support-ml"), ("data-residency", "eu")], validators=1, hyper=HP("2", "4", "0.00001")))
    add(make_job(EU, "eu-import-llama", "IMPORTED", "Stopped", LLAMA8, "2025-04-04T04:04:04.404Z", 6,
                 tags=[], validators=0, hyper=None))

    # ---- what AWS-compatible endpoints hand out beyond the service model -----------------------
    # (and take back: Get by its ARN, and by its name, and ListTagsForResource by its ARN work)
    add(make_job(W2, "ho-5", "FINE_TUNING", "Completed", TITAN, "2025-02-11T07:42:19.318Z", 133.25,
                 arn="arn:aws:bedrock:%s:%s:model-customization-job/ho-5" % (W2, A),     # no <model>/<id> tail
                 tags=[("team", "hosted-ml"), ("cost-center", "CC-9050")], validators=1,
                 hyper=HP("2", "8", "0.00001")))
    add(make_job(EU, "queued-ft-pending", "FINE_TUNING", "Pending", TITAN, "2025-06-02T18:26:53.771Z", 0.75,
                 tags=[("team", "privacy"), ("data-residency", "eu")], validators=1,     # status outside the enum
                 hyper=HP("2", "8", "0.00001"),
                 details={"validation": ("NotStarted", None, None), "dataProcessing": ("NotStarted", None, None),
                          "training": ("NotStarted", None, None)}))
    add(make_job(E1, "legacy_ft_7", "FINE_TUNING", "Failed", TITAN_LITE, "2024-05-28T03:14:15.926Z", 7.5,
                 arn="arn:aws:bedrock:%s:%s:model-customization-job/legacy_ft_7" % (E1, A),  # '_': no JobName
                 tags=[("team", "legacy-ml"), ("env", "dev")], validators=1, hyper=HP("3", "8", "0.00002"),
                 failure="The job was created before the current job name rules and can no longer be resumed.",
                 details={"validation": ("Failed", 0.4, 7.5), "dataProcessing": ("NotStarted", None, None),
                          "training": ("NotStarted", None, None)}))
    return jobs


# Sample projects of the demo and large fixtures: (project, team, cost-center, base model,
# customization type, role), and the short name of each customization type in job names.
SAMPLE_PROJECTS = [
    ("helpdesk-bot", "support", "CC-1042", "amazon.titan-text-express-v1:0:8k", "FINE_TUNING", "BedrockSupportFineTuning"),
    ("semantic-search", "search", "CC-2210", "meta.llama3-1-8b-instruct-v1:0", "FINE_TUNING", "BedrockSearchRole"),
    ("fraud-narratives", "fraud", "CC-3300", "anthropic.claude-3-haiku-20240307-v1:0:200k", "FINE_TUNING", "BedrockFraudRole"),
    ("ad-copy", "marketing", "CC-4410", "amazon.nova-lite-v1:0:300k", "FINE_TUNING", "BedrockMarketingRole"),
    ("contract-review", "legal", "CC-3307", "amazon.titan-text-express-v1:0:8k", "CONTINUED_PRE_TRAINING", "BedrockLegalRole"),
    ("sql-assistant", "data-platform", "CC-2210", "meta.llama3-1-70b-instruct-v1:0", "FINE_TUNING", "BedrockDataPlatformRole"),
    ("ticket-triage", "support", "CC-1042", "amazon.nova-micro-v1:0:128k", "DISTILLATION", "BedrockDistillationRole"),
    ("math-tutor", "research", "CC-7001", "amazon.nova-lite-v1:0:300k", "REINFORCEMENT_FINE_TUNING", "BedrockRftRole"),
    ("open-weights", "research", "CC-7001", "mistral.mistral-7b-instruct-v0:2", "IMPORTED", "BedrockImportRole"),
]
KIND_ABBREV = {"FINE_TUNING": "ft", "CONTINUED_PRE_TRAINING": "cpt", "DISTILLATION": "distill",
               "REINFORCEMENT_FINE_TUNING": "rft", "IMPORTED": "import"}


def _sample_job_extras(i, region, proj, team, cc, env, ctype, tags_roll, vpc_roll, kms_roll, validators_roll,
                       account=ACCOUNT_ID):
    """Tags, optional Get members and validator count of a generated job (demo and large
    fixtures): the rolls pick which jobs have fewer tags, a VPC, a KMS key, two validators."""
    tags = [("team", team), ("project", proj), ("cost-center", cc), ("env", env)]
    if tags_roll % 11 == 5:
        tags = []
    elif tags_roll % 7 == 3:
        tags = tags[:2]
    kw = {}
    if ctype == "DISTILLATION":
        kw["customization"] = {"distillationConfig": {"teacherModelConfig": {
            "teacherModelIdentifier": fm_arn(region, "amazon.nova-pro-v1:0"), "maxResponseLengthForInference": 1000}}}
        kw["training"] = {"invocationLogsConfig": {
            "usePromptResponse": True,
            "invocationLogSource": {"s3Uri": "s3://acme-bedrock-invocation-logs/%s/%s/" % (region, proj)},
            "requestMetadataFilters": {"equals": {"project": proj}}}}
        kw["hyper"] = None
    elif ctype == "REINFORCEMENT_FINE_TUNING":
        kw["customization"] = {"rftConfig": {
            "graderConfig": {"lambdaGrader": {"lambdaArn": "arn:aws:lambda:%s:%s:function:%s-grader" % (region, account, proj)}},
            "hyperParameters": {"epochCount": 3, "batchSize": 32, "learningRate": 0.0001, "reasoningEffort": "medium"}}}
        kw["hyper"] = None
    elif ctype == "IMPORTED":
        kw["hyper"] = None
    if vpc_roll % 4 == 1:
        kw["vpc"] = (["subnet-0%s" % hid("sn1", str(i), n=16), "subnet-0%s" % hid("sn2", str(i), n=16)],
                     ["sg-0%s" % hid("sg", str(i), n=16)])
    if kms_roll % 5 == 2:
        kw["kms"] = "%s-%s-%s-%s-%s" % (hid("k1", str(i), n=8), hid("k2", str(i), n=4), hid("k3", str(i), n=4),
                                        hid("k4", str(i), n=4), hid("k5", str(i), n=12))
    validators = 0 if ctype in ("IMPORTED", "CONTINUED_PRE_TRAINING") else 1 + validators_roll % 2
    return tags, kw, validators


def _demo_jobs():
    """~40 jobs for the demo in us-east-1 and us-west-2, deterministic (hash-driven)."""
    envs = ["prod", "staging", "dev"]
    jobs = []
    start = _dt.datetime(2024, 1, 3, 8, 0, 0, tzinfo=UTC)
    counters = {}
    for i in range(40):
        region = "us-east-1" if i % 3 != 2 else "us-west-2"
        proj, team, cc, base, ctype, role = SAMPLE_PROJECTS[int(hid("p", str(i), n=6), 36) % len(SAMPLE_PROJECTS)]
        roll = int(hid("s", str(i), n=4), 36) % 100
        if i >= 36:     # the newest jobs are still running
            status = ["InProgress", "Stopping", "InProgress", "InProgress"][i - 36]
        else:
            status = "Completed" if roll < 72 else "Failed" if roll < 88 else "Stopped"
        counters[(region, proj)] = counters.get((region, proj), 0) + 1
        name = "%s-%s-%03d" % (proj, KIND_ABBREV[ctype], counters[(region, proj)])
        offset_s = int(hid("t", str(i), n=6), 36) % (5 * 86400)
        created = start + _dt.timedelta(days=13 * i, seconds=offset_s, milliseconds=int(hid("ms", str(i), n=3), 36) % 1000)
        minutes = 30 + int(hid("d", str(i), n=4), 36) % 1400
        env = envs[int(hid("env", str(i), n=2), 36) % 3]
        tags, kw, validators = _sample_job_extras(i, region, proj, team, cc, env, ctype, i, i, i, i)
        if status == "Failed":
            kw["failure"] = ["The training data contains rows that exceed the maximum token length for this model.",
                             "Access denied when reading the training data. Check the service role permissions.",
                             "Internal error. Retry the job; if the problem persists, contact AWS Support."][i % 3]
        jobs.append(make_job(region, name, ctype, status, base, fmt_ts(created), minutes, tags=tags,
                             validators=validators, role=role, bucket="acme-ml", **kw))
    return jobs


FIXTURE_SETS = {"default": _default_jobs, "demo": _demo_jobs}

# --------------------------------------------------------------------------------------------
# Large generated accounts: --fixtures large:N
# --------------------------------------------------------------------------------------------
LARGE_REGIONS = ("us-east-1", "us-west-2")
LARGE_MAX = 1000000
LARGE_START = _dt.datetime(2023, 1, 1, tzinfo=UTC)
LARGE_STEP_S = 300          # job i is created in [start + i*300 s, start + i*300 s + 240 s)
LARGE_CACHE = 4096          # full jobs (Get shape, tags) kept built; the rest are rebuilt on use
_LARGE_FAILURES = [
    "The training data contains rows that exceed the maximum token length for this model.",
    "Access denied when reading the training data. Check the service role permissions.",
    "Internal error. Retry the job; if the problem persists, contact AWS Support.",
]


def _large_draw(i, salt=None, start=LARGE_START, step=LARGE_STEP_S):
    """(project index, status, created datetime, minutes, extra bits) of large job i.  salt:
    another account's (test/emulator_accounts.py), drawing other jobs from the same code."""
    d = hashlib.sha256(b"large|%d" % i if salt is None else b"large|%s|%d" % (salt.encode(), i)).digest()
    roll = int.from_bytes(d[12:14], "big") % 100
    status = ("Completed" if roll < 70 else "Failed" if roll < 85 else "Stopped" if roll < 93
              else "InProgress" if roll < 98 else "Stopping")
    created = start + _dt.timedelta(seconds=i * step + d[2] % min(240, step), milliseconds=d[3] * 3 % 1000)
    minutes = 10 + int.from_bytes(d[4:6], "big") % 1400
    return d[0] % len(SAMPLE_PROJECTS), status, created, minutes, d


class LargeJob:
    """A job of a large generated account: the few fields List paging needs are computed at
    start; the full job (make_job) is built when a summary, a Get or tags need it.  The summary
    is kept; the full job is kept in its store's LRU."""

    __slots__ = ("store", "i", "region", "arn", "name", "status", "created_us", "created", "_summary")

    def __init__(self, store, i):
        self.store = store
        self.i = i
        self.region = store.region_of(i)
        p, self.status, c, _, _ = store.draw(i)
        proj, _, _, base, ctype, _ = SAMPLE_PROJECTS[p]
        self.name = "%s-%s-%06d" % (proj, KIND_ABBREV[ctype], i)
        self.created = fmt_ts(c)
        self.created_us = _to_us(c)
        # make_job's id: the same hash of the same inputs
        self.arn = "arn:aws:bedrock:%s:%s:model-customization-job/%s/%s" % (
            self.region, store.account, base, hid("job", self.region, self.name, self.created))
        self._summary = None

    def build(self):
        return self.store.build(self.i)

    @property
    def get(self):
        return self.build().get

    @property
    def summary(self):
        # kept once built (List pages are the bulk of the work); about 1.5 kB a job
        s = self._summary
        if s is None:
            gen = self.store.generation
            s = self.build().summary
            with self.store._lru_lock:
                if gen == self.store.generation:    # not built across an update of the fixtures
                    self._summary = s
        return s

    @property
    def tags(self):
        return self.build().tags


def _build_large_job(i, region, name, created, draw=_large_draw, account=ACCOUNT_ID):
    p, status, c, minutes, d = draw(i)
    proj, team, cc, base, ctype, role = SAMPLE_PROJECTS[p]
    env = ("prod", "staging", "dev")[d[6] % 3]
    tags, kw, validators = _sample_job_extras(i, region, proj, team, cc, env, ctype, d[7], d[9], d[10], d[11],
                                              account=account)
    if status == "Failed":
        kw["failure"] = _LARGE_FAILURES[d[8] % 3]
        kw["details"] = {"validation": ("Completed", 0.5, 3.0), "dataProcessing": ("Failed", 3.0, minutes),
                         "training": ("NotStarted", None, None)}
    job = make_job(region, name, ctype, status, base, created, minutes, tags=tags, validators=validators,
                   role=role, bucket="acme-ml", account=account, **kw)
    return job


class Store:
    """The jobs of a fixture set, indexed for the operations.  List paging works on per-region
    and per-(region, status) lists sorted by (creation time, ARN), with bisect for the time
    filters, so a page costs its own size (nameContains scans once per filter, then is cached)."""

    def __init__(self, jobs, name="default"):
        self.name = name
        self.jobs = jobs
        self.by_region = {}
        self.by_arn = {}
        self.by_name = {}
        for j in jobs:
            self.by_region.setdefault(j.region, []).append(j)
            self.by_arn[j.arn] = j
            self.by_name[(j.region, j.name)] = j
        for lst in self.by_region.values():
            lst.sort(key=lambda j: (j.created_us, j.arn))
        self._index()

    def _index(self):
        lists = {}                      # (region, status or None) -> (jobs, their created_us)
        for region, lst in self.by_region.items():
            lists[(region, None)] = (lst, [j.created_us for j in lst])
            by_status = {}
            for j in lst:
                by_status.setdefault(j.status, []).append(j)
            for st, sl in by_status.items():
                lists[(region, st)] = (sl, [j.created_us for j in sl])
        # built aside and swapped in: a List in another thread sees the old index or the new one
        self._name_cache = {}
        self._name_lock = threading.Lock()
        self.lists = lists

    def regions(self):
        return list(dict.fromkeys(j.region for j in self.jobs))

    def find(self, region, ident):
        """The job of this region that ident (a jobArn or a jobName) names, or None."""
        job = self.by_arn.get(ident) if ident.startswith("arn:") else self.by_name.get((region, ident))
        return job if job is not None and job.region == region else None

    def hands_out(self, ident):
        """True if some job of any region has ident as its jobArn or jobName: an endpoint takes
        back the identifiers it hands out, even those outside the model's patterns."""
        return ident in self.by_arn or any((r, ident) in self.by_name for r in self.by_region)

    def listing(self, region, status, after_us, before_us, name):
        """The matching jobs, oldest first, as a (sequence, lo, hi) slice."""
        jobs, created = self.lists.get((region, status), ((), ()))
        lo, hi = 0, len(jobs)
        if after_us is not None:
            lo = bisect.bisect_right(created, after_us)
        if before_us is not None:
            hi = max(lo, bisect.bisect_left(created, before_us))
        if name is None:
            return jobs, lo, hi
        key = (region, status, after_us, before_us, name)
        with self._name_lock:
            hit = self._name_cache.get(key)
        if hit is None:
            hit = [j for j in jobs[lo:hi] if name in j.name]
            with self._name_lock:
                if len(self._name_cache) >= 64:
                    self._name_cache.pop(next(iter(self._name_cache)))
                self._name_cache[key] = hit
        return hit, 0, len(hit)

    def update(self, job, get_set, summary_set):
        """POST /_emulator/jobs/update: set (None: remove) members of job's Get answer and List
        summary, validated by update_job; re-index when its name, status or creation time moved.
        The answers are replaced, never changed in place, as other threads may be sending them.
        Returns (Get answer, summary) after."""
        with _UPDATE_LOCK:
            self._change(job, get_set, summary_set)
            s = job.summary
            moved = (s["jobName"], s["status"], ts_micros(s["creationTime"]))
            if moved != (job.name, job.status, job.created_us):
                job.name, job.status, job.created_us = moved
                by_region = {r: sorted(lst, key=lambda j: (j.created_us, j.arn))
                             for r, lst in self.by_region.items()}
                self.by_name = {(j.region, j.name): j for j in self.jobs}
                self.by_region = by_region
                self._index()
            return job.get, job.summary

    def _change(self, job, get_set, summary_set):
        job.get = _with_changes(job.get, get_set)
        job.summary = _with_changes(job.summary, summary_set)

    def counts(self):
        """{region: {"jobs": n, "statuses": {status: n}}} in fixture region order; statuses in
        the model's enum order, then those outside it (e.g. Pending) by name."""
        out = {}
        rank = {s: i for i, s in enumerate(STATUS_ENUM)}
        for region in self.regions():
            present = sorted((s for r, s in self.lists if r == region and s is not None),
                             key=lambda s: (rank.get(s, len(rank)), s))
            st = {s: len(self.lists[(region, s)][0]) for s in present}
            out[region] = {"jobs": len(self.by_region[region]), "statuses": st}
        return out


class LargeStore(Store):
    """--fixtures large:N: N jobs, job i in LARGE_REGIONS[i % 2] (us-east-1 gets the extra one
    when N is odd), created 5 minutes apart from 2023-01-01, every field drawn from a hash of i.
    Built in about 1 s per 100,000 jobs; full jobs are built on use (LRU of LARGE_CACHE).

    The accounts of the organization (test/emulator_accounts.py) use the same machinery with
    their own account, region layout (region_of: job number -> region), hash salt, start and
    step; the defaults are large:N's."""

    def __init__(self, n, account=ACCOUNT_ID, region_of=None, salt=None, start=LARGE_START,
                 step=LARGE_STEP_S, name=None):
        self.name = name or "large:%d" % n
        self.n = n
        self.account = account
        self.region_of = region_of or (lambda i: LARGE_REGIONS[i % len(LARGE_REGIONS)])
        self.draw = lambda i: _large_draw(i, salt, start, step)
        self._lru = collections.OrderedDict()
        self._lru_lock = threading.Lock()
        self.jobs = [LargeJob(self, i) for i in range(n)]
        self.updates = {}               # job number -> (Get changes, summary changes, first name)
        self.generation = 0             # updates so far: a job built across one is not kept
        self.by_region = {}
        self.by_arn = {}
        self.by_name = {}
        for j in self.jobs:             # already in creation order within a region
            self.by_region.setdefault(j.region, []).append(j)
            self.by_arn[j.arn] = j
            self.by_name[(j.region, j.name)] = j
        self._index()

    def build(self, i):
        with self._lru_lock:
            job = self._lru.get(i)
            if job is not None:
                self._lru.move_to_end(i)
                return job
            gen = self.generation
        lj = self.jobs[i]
        upd = self.updates.get(i)
        job = _build_large_job(i, lj.region, upd[2] if upd else lj.name, lj.created, self.draw, self.account)
        if upd:
            job.get, job.summary = _with_changes(job.get, upd[0]), _with_changes(job.summary, upd[1])
        with self._lru_lock:
            if gen != self.generation:
                return job
            self._lru[i] = job
            if len(self._lru) > LARGE_CACHE:
                self._lru.popitem(last=False)
        return job

    def _change(self, job, get_set, summary_set):
        # a large job is rebuilt on use (its ARN is drawn from its first name): keep the changes
        g, sm, name = self.updates.get(job.i) or ({}, {}, job.name)
        with self._lru_lock:
            self.updates[job.i] = (dict(g, **get_set), dict(sm, **summary_set), name)
            self.generation += 1
            self._lru.pop(job.i, None)
            job._summary = None


_UPDATE_LOCK = threading.Lock()         # one POST /_emulator/jobs/update at a time


def _with_changes(doc, changes):
    """A copy of doc with changes applied: a member set to None is removed."""
    out = dict(doc)
    for k, v in changes.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def fixture_name(text):
    """argparse type of --fixtures: default, demo or large:N (1 <= N <= LARGE_MAX)."""
    if text in FIXTURE_SETS:
        return text
    m = re.match(r"\Alarge:([0-9]{1,7})\Z", text)
    if m and 1 <= int(m.group(1)) <= LARGE_MAX:
        return "large:%d" % int(m.group(1))
    raise argparse.ArgumentTypeError("fixtures must be one of %s or large:N with 1 <= N <= %d, not %r"
                                     % (", ".join(sorted(FIXTURE_SETS)), LARGE_MAX, text))


def load_fixtures(name):
    if name.startswith("large:"):
        store = LargeStore(int(name.split(":", 1)[1]))
    else:
        store = Store(FIXTURE_SETS[name](), name)
    store.resources = resources.build(store)        # the other resources (default and demo sets)
    return store


def dump_fixtures(name, org=None):
    store = load_fixtures(name)
    out = {"fixtures": name, "account": ACCOUNT_ID, "jobs": []}
    for region in store.regions():
        for j in store.by_region[region]:
            out["jobs"].append({"region": j.region, "job": j.get, "summary": j.summary, "tags": j.tags})
    out["resources"] = store.resources.dump()
    out["accounts"] = (org or accounts.Organization()).dump(store)
    return out


# --------------------------------------------------------------------------------------------
# Operations
# --------------------------------------------------------------------------------------------
def validation_error(errors):
    n = len(errors)
    return ApiError(400, "ValidationException", "%d validation error%s detected: %s"
                    % (n, "" if n == 1 else "s", "; ".join(errors)))


def _c(value, member, constraint):
    return "Value %s at '%s' failed to satisfy constraint: Member must %s" % (
        "null" if value is None else "'%s'" % value, member, constraint)


_TOKEN_MAGIC = b"\xfb\xff\xbf"      # base64 "+/+/": every token holds '+' and '/'
_TOKEN_KEY = b"bedrock-emulator-pagination-v1"


class Paginator:
    """Opaque nextToken values: base64 of MAGIC + JSON, padded so the base64 ends in '=='."""

    @staticmethod
    def _mac(region, fkey, offset):
        return hmac.new(_TOKEN_KEY, ("%s|%s|%d" % (region, fkey, offset)).encode(), hashlib.sha256).hexdigest()[:16]

    @classmethod
    def encode(cls, region, fkey, offset):
        doc = json.dumps({"o": offset, "r": region, "f": fkey, "m": cls._mac(region, fkey, offset)},
                         separators=(",", ":"), sort_keys=True).encode()
        raw = _TOKEN_MAGIC + doc
        while len(raw) % 3 != 1:
            raw += b" "
        return base64.b64encode(raw).decode()

    @classmethod
    def decode(cls, token, region, fkey):
        try:
            raw = base64.b64decode(token.encode("ascii"), validate=True)
            if not raw.startswith(_TOKEN_MAGIC):
                return None
            doc = json.loads(raw[len(_TOKEN_MAGIC):].decode())
            off = doc["o"]
            if (isinstance(off, int) and off >= 0 and doc["r"] == region and doc["f"] == fkey
                    and hmac.compare_digest(doc["m"], cls._mac(region, fkey, off))):
                return off
        except Exception:
            return None
        return None


def list_jobs(store, region, params, max_page_size):
    errors = []
    serr = []
    after = before = None
    for member in ("creationTimeAfter", "creationTimeBefore"):
        if member in params:
            t = parse_iso8601(params[member])
            if t is None:
                serr.append("Value '%s' at '%s' could not be parsed as an ISO-8601 timestamp" % (params[member], member))
            elif member == "creationTimeAfter":
                after = t
            else:
                before = t
    status = params.get("statusEquals")
    if status is not None and status not in STATUS_ENUM:
        errors.append(_c(status, "statusEquals", "satisfy enum value set: [%s]" % ", ".join(STATUS_ENUM)))
    name = params.get("nameContains")
    if name is not None:
        if len(name) < 1:
            errors.append(_c(name, "nameContains", "have length greater than or equal to 1"))
        if len(name) > 63:
            errors.append(_c(name, "nameContains", "have length less than or equal to 63"))
        if not is_job_name(name):
            errors.append(_c(name, "nameContains", "satisfy regular expression pattern: " + JOB_NAME_PATTERN))
    max_results = None
    if "maxResults" in params:
        raw = params["maxResults"]
        if not re.match(r"\A[+-]?\d{1,18}\Z", raw):
            serr.append("Value '%s' at 'maxResults' could not be parsed as an integer" % raw)
        else:
            max_results = int(raw)
            if max_results < 1:
                errors.append(_c(max_results, "maxResults", "have value greater than or equal to 1"))
            elif max_results > 1000:
                errors.append(_c(max_results, "maxResults", "have value less than or equal to 1000"))
    token = params.get("nextToken")
    if token is not None:
        if len(token) < 1:
            errors.append(_c(token, "nextToken", "have length greater than or equal to 1"))
        if len(token) > 2048:
            errors.append(_c(token, "nextToken", "have length less than or equal to 2048"))
        if re.search(r"\s", token):
            errors.append(_c(token, "nextToken", "satisfy regular expression pattern: " + PAGINATION_TOKEN_PATTERN))
    sort_by = params.get("sortBy")
    if sort_by is not None and sort_by not in SORT_BY_ENUM:
        errors.append(_c(sort_by, "sortBy", "satisfy enum value set: [%s]" % ", ".join(SORT_BY_ENUM)))
    sort_order = params.get("sortOrder")
    if sort_order is not None and sort_order not in SORT_ORDER_ENUM:
        errors.append(_c(sort_order, "sortOrder", "satisfy enum value set: [%s]" % ", ".join(SORT_ORDER_ENUM)))
    if serr:
        raise ApiError(400, "SerializationException", serr[0])
    if errors:
        raise validation_error(errors)

    descending = sort_order != "Ascending"
    after_us = None if after is None else _to_us(after)
    before_us = None if before is None else _to_us(before)
    fkey = hashlib.sha256(json.dumps([after_us, before_us, status, name, sort_by or "CreationTime",
                                      "Descending" if descending else "Ascending"]).encode()).hexdigest()[:16]
    offset = 0
    if token is not None:
        offset = Paginator.decode(token, region, fkey)
        if offset is None:
            raise ApiError(400, "ValidationException", "Invalid pagination token")

    seq, lo, hi = store.listing(region, status, after_us, before_us, name)
    total = hi - lo
    size = min(max_results or DEFAULT_MAX_RESULTS, max_page_size)
    end = min(offset + size, total)
    if offset >= end:
        page = []
    elif descending:            # newest first: the k-th is seq[hi - 1 - k]
        page = [seq[hi - 1 - k] for k in range(offset, end)]
    else:
        page = seq[lo + offset:lo + end]
    out = {"modelCustomizationJobSummaries": [j.summary for j in page]}
    if offset + size < total:
        out["nextToken"] = Paginator.encode(region, fkey, offset + size)
    return out


def _to_us(t):
    d = t - _dt.datetime(1970, 1, 1, tzinfo=UTC)
    return (d.days * 86400 + d.seconds) * 1000000 + d.microseconds


# The optional members of the job shapes (service model), sent as null when a job lacks them
# under the config's nulls "null": operation -> (member holding the list of jobs, or None for
# the answer itself, the optional members)
NULLABLE_MEMBERS = {
    "ListModelCustomizationJobs": ("modelCustomizationJobSummaries", (
        "statusDetails", "lastModifiedTime", "endTime", "customModelArn", "customModelName",
        "customizationType")),
    "GetModelCustomizationJob": (None, (
        "outputModelArn", "clientRequestToken", "status", "statusDetails", "failureMessage",
        "lastModifiedTime", "endTime", "hyperParameters", "customizationType", "outputModelKmsKeyArn",
        "trainingMetrics", "validationMetrics", "vpcConfig", "customizationConfig")),
}


def with_nulls(op, doc):
    """A copy of a successful answer of op with null for every optional job member it lacks."""
    if op not in NULLABLE_MEMBERS:
        return resources.with_nulls(op, doc)
    key, members = NULLABLE_MEMBERS[op]

    def fill(job):
        return dict(job, **{m: None for m in members if m not in job})

    return fill(doc) if key is None else dict(doc, **{key: [fill(j) for j in doc[key]]})


def get_job(store, region, ident):
    job = store.find(region, ident)
    if job is not None:
        return job.get
    if not store.hands_out(ident):
        errors = []
        if len(ident) > 1011:
            errors.append(_c(ident, "jobIdentifier", "have length less than or equal to 1011"))
        if not (is_job_arn(ident) or is_job_name(ident)):
            errors.append(_c(ident, "jobIdentifier", "satisfy regular expression pattern: " + JOB_IDENTIFIER_PATTERN))
        if errors:
            raise validation_error(errors)
    raise ApiError(404, "ResourceNotFoundException",
                   "Could not find model customization job with identifier %s" % ident)


# The members of the two job shapes (service model 2023-04-20) and those either shape requires:
# what POST /_emulator/jobs/update may set
SUMMARY_MEMBERS = ("jobArn", "baseModelArn", "jobName", "status", "statusDetails", "lastModifiedTime",
                   "creationTime", "endTime", "customModelArn", "customModelName", "customizationType")
GET_MEMBERS = ("jobArn", "jobName", "outputModelName", "outputModelArn", "clientRequestToken", "roleArn",
               "status", "statusDetails", "failureMessage", "creationTime", "lastModifiedTime", "endTime",
               "baseModelArn", "hyperParameters", "trainingDataConfig", "validationDataConfig",
               "outputDataConfig", "customizationType", "outputModelKmsKeyArn", "trainingMetrics",
               "validationMetrics", "vpcConfig", "customizationConfig")
REQUIRED_MEMBERS = frozenset(["jobArn", "baseModelArn", "jobName", "status", "creationTime",
                              "outputModelName", "roleArn", "trainingDataConfig", "validationDataConfig",
                              "outputDataConfig"])
TIME_MEMBERS = ("creationTime", "lastModifiedTime", "endTime")


def update_job(srv, body):
    """POST /_emulator/jobs/update: (status, answer document).  The job is looked up by its ARN
    in the store of the account the ARN names (the management's fixtures or a member's)."""
    try:
        doc = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        return 400, {"message": "the request is not valid JSON: %s" % e}
    if not isinstance(doc, dict) or set(doc) != {"jobArn", "set"}:
        return 400, {"message": "the body must be a JSON object with 'jobArn' and 'set'"}
    arn, changes = doc["jobArn"], doc["set"]
    if not isinstance(arn, str):
        return 400, {"message": "'jobArn' must be a string"}
    if not isinstance(changes, dict):
        return 400, {"message": "'set' must be a JSON object of members and their new values"}
    parts = arn.split(":", 5)
    account = parts[4] if len(parts) == 6 else None
    job = None
    if account == ACCOUNT_ID or account in srv.org.by_id:
        store = srv.org.store_for(account, srv.store)
        job = store.by_arn.get(arn)
    if job is None:
        return 404, {"message": "no model customization job has the ARN %s" % arn}
    get, summary = job.get, job.summary
    get_set, summary_set = {}, {}
    for k, v in changes.items():
        in_get = k in GET_MEMBERS or k in get
        in_summary = k in SUMMARY_MEMBERS or k in summary
        if not (in_get or in_summary):
            return 400, {"message": "'%s' is a member of neither GetModelCustomizationJobResponse nor "
                                    "ModelCustomizationJobSummary" % k}
        if k == "jobArn":
            return 400, {"message": "'jobArn' names the job: it cannot be set"}
        if v is None and k in REQUIRED_MEMBERS:
            return 400, {"message": "'%s' is required: it cannot be removed" % k}
        if v is not None and k in TIME_MEMBERS and not (isinstance(v, str) and parse_iso8601(v)):
            return 400, {"message": "'%s' must be a timestamp string such as \"2025-01-02T03:04:05.678Z\", "
                                    "not %s" % (k, json.dumps(v))}
        if k in ("jobName", "status") and not (isinstance(v, str) and v):
            return 400, {"message": "'%s' must be a non-empty string" % k}
        if k == "jobName" and store.by_name.get((job.region, v), job) is not job:
            return 400, {"message": "another job of %s is named %s" % (job.region, v)}
        if in_get:
            get_set[k] = v
        if in_summary:
            summary_set[k] = v
    get, summary = store.update(job, get_set, summary_set)
    return 200, {"job": get, "summary": summary}


def list_tags(store, region, body):
    if not body.strip():
        doc = {}
    else:
        try:
            doc = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "SerializationException", "Could not parse the request body as JSON")
    if not isinstance(doc, dict):
        raise ApiError(400, "SerializationException", "Expected a JSON object as the request body")
    arn = doc.get("resourceARN")
    if arn is not None and not isinstance(arn, str):
        raise ApiError(400, "SerializationException",
                       "Value of 'resourceARN' must be a string, not %s" % type(arn).__name__)
    errors = []
    if arn is None:
        errors.append(_c(None, "resourceARN", "not be null"))
    elif arn not in store.by_arn and not resources.tag_owner(store, arn):   # handed out: taken back
        if len(arn) < 20:
            errors.append(_c(arn, "resourceARN", "have length greater than or equal to 20"))
        if len(arn) > 1011:
            errors.append(_c(arn, "resourceARN", "have length less than or equal to 1011"))
        if len(arn) <= 1011 and not _TAGGABLE_ARN_RE.match(arn):
            errors.append(_c(arn, "resourceARN", "satisfy regular expression pattern: " + TAGGABLE_ARN_PATTERN))
    if errors:
        raise validation_error(errors)
    doc = resources.list_tags(store, region, arn)
    if doc is not None:
        return doc
    job = store.by_arn.get(arn)
    if job is None or job.region != region:
        raise ApiError(404, "ResourceNotFoundException", "Could not find resource with ARN %s" % arn)
    return {"tags": job.tags}


# --------------------------------------------------------------------------------------------
# Credential endpoints: STS, IMDSv2, ECS container credentials, issued credentials
# --------------------------------------------------------------------------------------------
STS_VERSION = "2011-06-15"
STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
STS_SERVICE = "sts"
STS_OPERATIONS = ("AssumeRole", "AssumeRoleWithWebIdentity")
CREDENTIAL_OPERATIONS = STS_OPERATIONS + ("IMDSGetToken", "IMDSGetRoleName", "IMDSGetCredentials",
                                          "ECSGetCredentials")
CALLER_ARN = "arn:aws:iam::%s:user/emulator" % ACCOUNT_ID      # the built-in credentials' identity
ROLE_MAX_SESSION_S = 3600
DEFAULT_LIFETIME_S = 3600

LOCAL_ROLE_ARN = "arn:aws:iam::123456789012:role/bedrock-local"
CROSS_ACCOUNT_ROLE_ARN = "arn:aws:iam::210987654321:role/bedrock-cross-account"
WEB_IDENTITY_ROLE_ARN = "arn:aws:iam::123456789012:role/bedrock-web-identity"
EXTERNAL_ID = "emulator-external-id"
WEB_IDENTITY_TOKEN = "emulator-web-identity-token.EXAMPLE"
WEB_IDENTITY_SUBJECT = "system:serviceaccount:bedrock:emulator"
WEB_IDENTITY_AUDIENCE = "sts.amazonaws.com"
WEB_IDENTITY_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/oidc.emulator.example"
# role ARN -> (ExternalId it requires or None, assumable by AssumeRoleWithWebIdentity only)
ROLES = {
    LOCAL_ROLE_ARN: (None, False),
    CROSS_ACCOUNT_ROLE_ARN: (EXTERNAL_ID, False),
    WEB_IDENTITY_ROLE_ARN: (None, True),
}
IMDS_ROLE = "bedrock-instance-role"
IMDS_MAX_TTL = 21600
ECS_AUTH_TOKEN = "emulator-ecs-auth-token"
ECS_ROLE_ARN = "arn:aws:iam::123456789012:role/bedrock-task-role"
# source -> (access key tag, identity ARN of what it issues)
ISSUERS = {
    "sts": ("STS", None),
    "web": ("WEB", None),
    "imds": ("IMDS", "arn:aws:sts::%s:assumed-role/%s/i-0emulator0000000" % (ACCOUNT_ID, IMDS_ROLE)),
    "ecs": ("ECS", "arn:aws:sts::%s:assumed-role/bedrock-task-role/emulator-task" % ACCOUNT_ID),
    "process": ("PROC", "arn:aws:sts::%s:assumed-role/bedrock-process-role/emulator" % ACCOUNT_ID),
}
_ROLE_ARN_RE = re.compile(r"\Aarn:aws[a-z-]*:iam::(\d{12}):role/(?:[\x21-\x7e]*/)?([\w+=,.@-]{1,64})\Z", re.ASCII)
_SESSION_NAME_RE = re.compile(r"\A[\w+=,.@-]*\Z", re.ASCII)
_EXTERNAL_ID_RE = re.compile(r"\A[\w+=,.@:/-]*\Z", re.ASCII)
_ARN_CHARS_RE = re.compile("\\A[\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]+\\Z")
_ECS_ID_RE = re.compile(r"\A[A-Za-z0-9-]+\Z")


def fmt_expiration(t):
    return _dt.datetime.fromtimestamp(int(t), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def role_id(arn):
    """A role's deterministic unique id, AROA + 17 upper-case alphanumerics, as IAM's look."""
    return "AROA" + hid("role-id", arn, n=17).upper()


class StsError(Exception):
    """An STS (query protocol) error: status, <Code>, <Message>, <Type>."""

    def __init__(self, status, code, message, sender=True):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.type = "Sender" if sender else "Receiver"


# the Bedrock (JSON) auth error types and their STS (query) codes and statuses
_STS_AUTH_CODES = {
    "MissingAuthenticationTokenException": (403, "MissingAuthenticationToken"),
    "IncompleteSignatureException": (400, "IncompleteSignature"),
    "InvalidSignatureException": (403, "SignatureDoesNotMatch"),
    "UnrecognizedClientException": (403, "InvalidClientTokenId"),
    "ExpiredTokenException": (403, "ExpiredToken"),
}


def sts_auth_error(e):
    status, code = _STS_AUTH_CODES.get(e.error_type, (403, e.error_type))
    msg = "Request is missing Authentication Token" if code == "MissingAuthenticationToken" else e.message
    err = StsError(status, code, msg)
    err.debug = e.debug
    return err


def _x(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def sts_error_xml(status_or_err, code=None, message=None, request_id="", sender=True):
    if isinstance(status_or_err, StsError):
        code, message, sender = status_or_err.code, status_or_err.message, status_or_err.type == "Sender"
    return ('<ErrorResponse xmlns="%s">\n  <Error>\n    <Type>%s</Type>\n    <Code>%s</Code>\n'
            '    <Message>%s</Message>\n  </Error>\n  <RequestId>%s</RequestId>\n</ErrorResponse>\n'
            % (STS_NS, "Sender" if sender else "Receiver", _x(code), _x(message), _x(request_id))).encode("utf-8")


def sts_success_xml(action, cred, role_arn, session, request_id):
    account, name = _ROLE_ARN_RE.match(role_arn).groups()
    creds = ("    <Credentials>\n      <AccessKeyId>%s</AccessKeyId>\n      <SecretAccessKey>%s</SecretAccessKey>\n"
             "      <SessionToken>%s</SessionToken>\n      <Expiration>%s</Expiration>\n    </Credentials>\n"
             % (cred["access_key"], _x(cred["secret"]), _x(cred["token"]), fmt_expiration(cred["expires"])))
    user = ("    <AssumedRoleUser>\n      <AssumedRoleId>%s:%s</AssumedRoleId>\n"
            "      <Arn>arn:aws:sts::%s:assumed-role/%s/%s</Arn>\n    </AssumedRoleUser>\n"
            % (role_id(role_arn), _x(session), account, _x(name), _x(session)))
    if action == "AssumeRole":
        result = creds + user
    else:
        result = (creds + "    <SubjectFromWebIdentityToken>%s</SubjectFromWebIdentityToken>\n" % WEB_IDENTITY_SUBJECT
                  + user + "    <Provider>%s</Provider>\n    <Audience>%s</Audience>\n"
                  % (WEB_IDENTITY_PROVIDER, WEB_IDENTITY_AUDIENCE))
    return ('<%sResponse xmlns="%s">\n  <%sResult>\n%s  </%sResult>\n  <ResponseMetadata>\n'
            '    <RequestId>%s</RequestId>\n  </ResponseMetadata>\n</%sResponse>\n'
            % (action, STS_NS, action, result, action, request_id, action)).encode("utf-8")


def _sts_validation(errors):
    n = len(errors)
    return StsError(400, "ValidationError", "%d validation error%s detected: %s"
                    % (n, "" if n == 1 else "s", "; ".join(errors)))


def _sts_string(errors, params, name, member, lo, hi, regex=None, pattern=None,
                required=True, secret=False):
    """Check one string parameter against STS's model (presence, length, pattern), adding
    AWS's messages to errors; a secret's value is never quoted.  Returns the value."""
    value = params.get(name)
    if value is None:
        if required:
            errors.append(_c(None, member, "not be null"))
        return None
    for bad, constraint in ((len(value) < lo, "have length greater than or equal to %d" % lo),
                            (len(value) > hi, "have length less than or equal to %d" % hi),
                            (regex is not None and not regex.match(value),
                             "satisfy regular expression pattern: %s" % pattern)):
        if bad:
            errors.append("Value at '%s' failed to satisfy constraint: Member must %s"
                          % (member, constraint) if secret else _c(value, member, constraint))
    return value


def sts_check_params(action, params):
    """Validate AssumeRole / AssumeRoleWithWebIdentity parameters like STS's model; returns
    DurationSeconds (int or None) or raises StsError."""
    errors = []
    arn = _sts_string(errors, params, "RoleArn", "roleArn", 20, 2048, _ARN_CHARS_RE,
                      "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD"
                      "\\u10000-\\u10FFFF]+")
    _sts_string(errors, params, "RoleSessionName", "roleSessionName", 2, 64, _SESSION_NAME_RE,
                "[\\w+=,.@-]*")
    if action == "AssumeRole":
        _sts_string(errors, params, "ExternalId", "externalId", 2, 1224, _EXTERNAL_ID_RE,
                    "[\\w+=,.@:\\/-]*", required=False)
    else:
        _sts_string(errors, params, "WebIdentityToken", "webIdentityToken", 4, 20000, secret=True)
    duration = None
    raw = params.get("DurationSeconds")
    if raw is not None:
        if not re.match(r"\A[+-]?\d{1,10}\Z", raw):
            raise StsError(400, "ValidationError", "Value '%s' at 'durationSeconds' failed to satisfy "
                           "constraint: Member must be an integer" % raw)
        duration = int(raw)
        if duration < 900:
            errors.append(_c(duration, "durationSeconds", "have value greater than or equal to 900"))
        if duration > 43200:
            errors.append(_c(duration, "durationSeconds", "have value less than or equal to 43200"))
    if errors:
        raise _sts_validation(errors)
    if not _ROLE_ARN_RE.match(arn):
        raise StsError(400, "ValidationError", "Request ARN is invalid")
    return duration


class Issued:
    """Credentials the emulator issued (STS, IMDS, ECS, /_emulator/credentials), kept for the
    life of the process (not cleared by reset); access key ids are ASIA + tag + a per-tag counter."""

    def __init__(self, state):
        self.state = state
        self.lock = threading.Lock()
        self.creds = {}             # access key id -> dict
        self.counters = {}          # tag -> last number issued
        self.imds_tokens = {}       # IMDSv2 token -> expiry (Unix time)

    def issue(self, source, lifetime_s, arn=None, account=ACCOUNT_ID, view=None):
        tag, default_arn = ISSUERS[source]
        cap = self.state.get_config().get("credential_lifetime_s")
        if cap:
            lifetime_s = min(lifetime_s, cap)
        now = time.time()
        with self.lock:
            n = self.counters[tag] = self.counters.get(tag, 0) + 1
            key = "ASIA" + tag + str(n).zfill(16 - len(tag))
            cred = {"access_key": key,
                    # as AWS's: a 40-character base64 secret; a long base64 session token
                    "secret": base64.b64encode(secrets.token_bytes(30)).decode(),
                    "token": base64.b64encode(secrets.token_bytes(254)).decode(),
                    "issued": int(now), "expires": int(now) + lifetime_s, "source": source,
                    "arn": arn or default_arn, "account": account, "view": view or account}
            self.creds[key] = cred
        return dict(cred)

    def get(self, key):
        """The verifier's view: (secret, token, account, expiry) or a built-in credential."""
        builtin = CREDENTIALS.get(key)
        if builtin is not None:
            return builtin
        with self.lock:
            c = self.creds.get(key)
            return None if c is None else (c["secret"], c["token"], c["account"], c["expires"])

    def account_of(self, key):
        """The account of an access key (built-in or issued), or None."""
        c = self.get(key) if key else None
        return None if c is None else c[2]

    def view_of(self, key):
        """The account whose Bedrock fixtures the key reads: its own, except for sessions of
        bedrock-cross-account (test/emulator_accounts.py)."""
        with self.lock:
            c = self.creds.get(key)
            if c is not None:
                return c["view"]
        builtin = CREDENTIALS.get(key)
        return None if builtin is None else builtin[2]

    def caller_arn(self, key):
        with self.lock:
            c = self.creds.get(key)
            return CALLER_ARN if c is None else c["arn"]

    def expire_all(self):
        now = time.time()
        with self.lock:
            for c in self.creds.values():
                c["expires"] = min(c["expires"], now)
            return len(self.creds)

    def listing(self):
        now = time.time()
        with self.lock:
            return [{"AccessKeyId": c["access_key"], "source": c["source"], "arn": c["arn"],
                     "Expiration": fmt_expiration(c["expires"]), "expired": now >= c["expires"]}
                    for c in self.creds.values()]

    def secrets(self):
        """Every secret the emulator knows or issued, for leak searches in test logs."""
        with self.lock:
            out = [v for c in self.creds.values() for v in (c["secret"], c["token"])]
            out += list(self.imds_tokens)
        out += [c[0] for c in CREDENTIALS.values()] + [c[1] for c in CREDENTIALS.values() if c[1]]
        return out + [WEB_IDENTITY_TOKEN, ECS_AUTH_TOKEN]

    def new_imds_token(self, ttl):
        tok = "AQAEA" + secrets.token_urlsafe(42)
        with self.lock:
            now = time.time()
            for t in [t for t, exp in self.imds_tokens.items() if exp <= now]:
                del self.imds_tokens[t]
            self.imds_tokens[tok] = now + ttl
        return tok

    def imds_token_ok(self, tok):
        with self.lock:
            exp = self.imds_tokens.get(tok)
        return exp is not None and time.time() < exp


def credential_process_doc(cred):
    return collections.OrderedDict([("Version", 1), ("AccessKeyId", cred["access_key"]),
                                    ("SecretAccessKey", cred["secret"]), ("SessionToken", cred["token"]),
                                    ("Expiration", fmt_expiration(cred["expires"]))])


# --------------------------------------------------------------------------------------------
# State: request log and fault rules
# --------------------------------------------------------------------------------------------
class State:
    def __init__(self, log_path=None, latency_ms=0, jitter_ms=0, rate_limit=None, seed=1,
                 error_statuses="aws", error_format="header", nulls="absent"):
        self.lock = threading.Lock()
        self.requests = []
        self.epoch = 0                          # reset count: a request logs into its own epoch
        self.seq = 0
        self.request_counter = 0
        self.conn_counter = 0
        self.faults = []
        self.stopping = threading.Event()       # set at shutdown: stalled requests end at once
        self.log_file = open(log_path, "a", encoding="utf-8") if log_path else None
        self.config = {"latency_ms": latency_ms, "jitter_ms": jitter_ms, "rate_limit": rate_limit or None,
                       "seed": seed, "credential_lifetime_s": None, "error_statuses": error_statuses,
                       "error_format": error_format, "nulls": nulls}
        self.config.update((k, choices[0]) for k, choices in tagging.CONFIG_CHOICES.items())
        self.issued = Issued(self)              # issued credentials: never cleared by reset
        self.latency_rng = random.Random(seed)
        self.buckets = {}                       # region -> [tokens, monotonic time of last update]

    # -- latency and rate limit ------------------------------------------------------------
    def set_config(self, changes):
        """Apply a validated partial config; a new seed restarts the latency generator."""
        with self.lock:
            self.config.update(changes)
            if "rate_limit" in changes:
                self.config["rate_limit"] = changes["rate_limit"] or None
                self.buckets = {}
            if "seed" in changes:
                self.latency_rng = random.Random(self.config["seed"])
            return dict(self.config)

    def get_config(self):
        with self.lock:
            return dict(self.config)

    def option(self, key):
        """One config member (the answer variants: error_statuses, error_format, nulls)."""
        with self.lock:
            return self.config[key]

    def draw_latency(self):
        """Seconds this request waits: latency_ms +- uniform jitter_ms, never below 0."""
        with self.lock:
            lat, jit = self.config["latency_ms"], self.config["jitter_ms"]
            if jit:
                lat += self.latency_rng.uniform(-jit, jit)
        return max(0.0, lat) / 1000.0

    def take_token(self, region, now):
        """Token bucket per region (rate_limit tokens a second, burst max(rate_limit, 1)): True
        if the request may go on, False if it is throttled."""
        with self.lock:
            rate = self.config["rate_limit"]
            if not rate:
                return True
            burst = max(float(rate), 1.0)
            b = self.buckets.get(region)
            if b is None:
                b = self.buckets[region] = [burst, now]
            b[0] = min(burst, b[0] + (now - b[1]) * rate)
            b[1] = now
            if b[0] >= 1.0:
                b[0] -= 1.0
                return True
            return False

    def next_conn_id(self):
        with self.lock:
            self.conn_counter += 1
            return self.conn_counter

    def next_request_id(self):
        with self.lock:
            self.request_counter += 1
            n = self.request_counter
        return "%08x-0000-4000-8000-%012x" % (0xbed70c00, n)

    def record(self, entry, epoch=None):
        """Log a request answered now.  One that arrived before the last reset (a stalled or
        delayed answer of an earlier test) goes to the log file only, marked "stale", never
        into the log that a test reads after its own reset."""
        with self.lock:
            self.seq += 1
            entry["seq"] = self.seq
            if epoch is not None and epoch != self.epoch:
                entry["stale"] = True
            else:
                self.requests.append(entry)
            if self.log_file:
                self.log_file.write(json.dumps(entry, sort_keys=True) + "\n")
                self.log_file.flush()

    def reset(self):
        """Clear the log and the faults, restart request ids at 1, refill the rate-limit buckets
        and restart the latency generator from its seed (the config itself stays)."""
        with self.lock:
            self.requests = []
            self.epoch += 1
            self.faults = []
            self.request_counter = 0
            self.buckets = {}
            self.latency_rng = random.Random(self.config["seed"])

    def set_faults(self, rules):
        with self.lock:
            self.faults = [dict(r, _seen=0, _used=0, _rng=random.Random(r.get("seed", 1))) for r in rules]

    def match_fault(self, operation, region, account=None):
        """The rule that answers this request (see "Fault rules"), or None; account: that of the
        keys that signed it (None: unsigned, or keys of no account)."""
        with self.lock:
            for rule in list(self.faults):
                rop = rule.get("operation", "*")
                if rop != operation and (rop != "*" or operation in CREDENTIAL_OPERATIONS):
                    continue        # "*": any Bedrock operation; credential ones by name only
                if rule.get("region") is not None and rule["region"] != region:
                    continue
                if rule.get("account") is not None and rule["account"] != account:
                    continue
                rule["_seen"] += 1
                if rule["_seen"] <= int(rule.get("after") or 0):
                    continue
                p = rule.get("probability")
                if p is not None and not rule["_rng"].random() < p:
                    continue
                rule["_used"] += 1
                if rule.get("times") is not None and rule["_used"] >= int(rule["times"]):
                    self.faults.remove(rule)
                return {k: v for k, v in rule.items() if not k.startswith("_")}
        return None


REPEAT_TOKEN = "emulator+repeat/token=="     # the nextToken of a first page under "repeat_token"
BAD_TIMESTAMP = "2024-13-45T99:99:99Z"
UNKNOWN_STATUS = "Exploding"
NON_UTF8 = b"\xff\xfe"
HUGE_DEFAULT = 80 * 1024 * 1024
STALL_DEFAULT = 30

_RULE_COMMON = frozenset(["operation", "region", "account", "times", "after", "probability", "seed", "delay",
                          "request_id", "retry_after", "action"])
_ANSWER_KEYS = frozenset(["status", "error_type", "message", "body", "content_type"])
# action -> the members it takes besides the common ones
FAULT_ACTIONS = {
    None: _ANSWER_KEYS,
    "reset": frozenset(),
    "stall_headers": frozenset(),
    "stall_body": _ANSWER_KEYS,
    "truncate": _ANSWER_KEYS,
    "huge": frozenset(["status", "size"]),
    "garbage": frozenset(["status", "size"]),
    "deep": frozenset(["status", "depth"]),
    "non_utf8": frozenset(),
    "repeat_token": frozenset(),
    "unknown_status": frozenset(),
    "bad_timestamp": frozenset(),
}


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and v not in (float("inf"), float("-inf"))


# the config members that pick a variant of what the service model leaves open -> the choices
# (the first is the default: AWS's own behaviour)
CONFIG_CHOICES = {
    "error_statuses": tuple(ERROR_STATUSES),
    "error_format": tuple(ERROR_FORMATS),
    "nulls": ("absent", "null"),
    **tagging.CONFIG_CHOICES,
}
CONFIG_KEYS = ("latency_ms", "jitter_ms", "rate_limit", "seed", "credential_lifetime_s") + tuple(CONFIG_CHOICES)
MAX_LATENCY_MS = 600000


def validate_config(doc):
    """None if doc is a valid partial emulator config, else the reason."""
    if not isinstance(doc, dict):
        return "the config must be a JSON object"
    unknown = sorted(k for k in doc if k not in CONFIG_KEYS)
    if unknown:
        return "unknown config member%s %s (allowed: %s)" % (
            "s" if len(unknown) > 1 else "", ", ".join("'%s'" % k for k in unknown), ", ".join(CONFIG_KEYS))
    for k in ("latency_ms", "jitter_ms"):
        if k in doc and (not _is_num(doc[k]) or not 0 <= doc[k] <= MAX_LATENCY_MS):
            return "'%s' must be a number of milliseconds from 0 to %d" % (k, MAX_LATENCY_MS)
    if "rate_limit" in doc and doc["rate_limit"] is not None and (not _is_num(doc["rate_limit"])
                                                                  or not 0 <= doc["rate_limit"] <= 1e9):
        return "'rate_limit' must be null, 0 (no limit) or a positive number of requests a second"
    if "seed" in doc and not _is_int(doc["seed"]):
        return "'seed' must be an integer"
    c = doc.get("credential_lifetime_s")
    if c is not None and (not _is_int(c) or not 1 <= c <= 10 ** 9):
        return "'credential_lifetime_s' must be null (no cap) or an integer number of seconds, at least 1"
    for k, choices in CONFIG_CHOICES.items():
        if k in doc and doc[k] not in choices:
            return "'%s' must be one of %s" % (k, ", ".join('"%s"' % c for c in choices))
    return None


def validate_fault_rules(doc):
    """None if doc is a valid list of fault rules, else the reason."""
    if not isinstance(doc, list):
        return "fault rules must be a JSON array"
    for r in doc:
        if not isinstance(r, dict):
            return "each fault rule must be a JSON object"
        action = r.get("action")
        if action is not None and (not isinstance(action, str) or action not in FAULT_ACTIONS):
            return "'action' must be one of %s" % ", ".join(sorted(a for a in FAULT_ACTIONS if a))
        allowed = _RULE_COMMON | FAULT_ACTIONS[action]
        unknown = sorted(k for k in r if k not in allowed)
        if unknown:
            return "fault rule member%s %s not allowed%s (allowed: %s)" % (
                "s" if len(unknown) > 1 else "", ", ".join("'%s'" % k for k in unknown),
                " with action '%s'" % action if action else "", ", ".join(sorted(allowed)))
        if action is None or "status" in r:
            st = r.get("status")
            if not _is_int(st) or not 100 <= st <= 599:
                return "each fault rule needs an integer 'status' (100-599)"
        if action in ("stall_body", "truncate") and "status" not in r:
            extra = sorted(k for k in r if k in _ANSWER_KEYS)
            if extra:
                return "'%s' needs 'status' with action '%s'" % (extra[0], action)
        if not isinstance(r.get("operation", "*"), str):
            return "'operation' must be a string"
        if r.get("account") is not None and (not isinstance(r["account"], str)
                                             or not re.match(r"\A[0-9]{12}\Z", r["account"])):
            return "'account' must be an account id of 12 digits"
        for k in ("times", "after"):
            if k in r and r[k] is not None and (not _is_int(r[k]) or r[k] < 0):
                return "'%s' must be a non-negative integer" % k
        for k in ("region", "error_type", "message", "body", "request_id", "retry_after", "content_type"):
            if k in r and r[k] is not None and not isinstance(r[k], str):
                return "'%s' must be a string" % k
        for k in ("retry_after", "content_type", "request_id"):
            if isinstance(r.get(k), str) and (not r[k] or re.search(r"[\x00-\x1f\x7f]", r[k])):
                return "'%s' must be a non-empty string without control characters" % k
        if r.get("times") == 0:
            return "'times' must be at least 1"
        if "delay" in r and (not isinstance(r["delay"], (int, float)) or isinstance(r["delay"], bool)
                             or not 0 <= r["delay"] <= 600):
            return "'delay' must be a number of seconds from 0 to 600"
        if "probability" in r and (not isinstance(r["probability"], (int, float))
                                   or isinstance(r["probability"], bool) or not 0 <= r["probability"] <= 1):
            return "'probability' must be a number from 0 to 1"
        if "seed" in r and not _is_int(r["seed"]):
            return "'seed' must be an integer"
        if "size" in r and (not _is_int(r["size"]) or not 1 <= r["size"] <= 1 << 32):
            return "'size' must be an integer number of bytes from 1 to 4294967296"
        if "depth" in r and (not _is_int(r["depth"]) or not 1 <= r["depth"] <= 10 ** 7):
            return "'depth' must be an integer from 1 to 10000000"
    return None


# --------------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------------
def route(method, raw_path):
    """-> (operation, raw jobIdentifier label or None)."""
    hit = resources.route(method, raw_path)
    if hit is not None:
        return hit
    if raw_path == "/model-customization-jobs":
        return ("ListModelCustomizationJobs", None) if method == "GET" else ("Unknown", None)
    prefix = "/model-customization-jobs/"
    if raw_path.startswith(prefix):
        rest = raw_path[len(prefix):]
        if "/" not in rest and method == "GET":
            return "GetModelCustomizationJob", rest
        return "Unknown", None
    if raw_path == "/listTagsForResource" and method == "POST":
        return "ListTagsForResource", None
    return "Unknown", None


def decode_params(raw_query):
    params = {}
    for k, v in split_query(raw_query):
        ks = k.decode("utf-8", "replace")
        if ks not in params:
            params[ks] = v.decode("utf-8", "replace")
    return params


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out in separate writes: without TCP_NODELAY every
    # keep-alive response waits ~40 ms for the client's delayed ACK
    disable_nagle_algorithm = True
    server_version = "BedrockEmulator/1.0"
    sys_version = ""
    timeout = 120

    def log_message(self, fmt, *args):  # quiet
        pass

    def setup(self):
        super().setup()
        self.conn_id = self.server.state.next_conn_id()
        self._deadline = None

    def version_string(self):
        return self.server_version

    # -- plumbing -----------------------------------------------------------------------------
    def _read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            data = bytearray()
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                data += self.rfile.read(size)
                self.rfile.readline(65537)
                if len(data) > MAX_BODY:
                    self.close_connection = True
                    break
            return bytes(data)
        n = int(self.headers.get("Content-Length") or 0)
        if n > MAX_BODY:
            self.close_connection = True
            return self.rfile.read(MAX_BODY)
        return self.rfile.read(n) if n > 0 else b""

    def _await_latency(self):
        """Wait until this request's answer is due (see --latency); once per request."""
        deadline, self._deadline = self._deadline, None
        if deadline is not None:
            left = deadline - time.monotonic()
            if left > 0:
                time.sleep(left)

    def _send(self, status, body=b"", headers=(), content_type="application/json"):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self._await_latency()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if status != 204:       # RFC 9110: no Content-Length/Content-Type on 204
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _json(self, status, doc, headers=()):
        self._send(status, json.dumps(doc, separators=(",", ":")), headers)

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _dispatch(self):
        self._deadline = None
        self._service = None
        self._epoch = self.server.state.epoch
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        raw_path, _, raw_query = self.path.partition("?")
        if raw_path.startswith("/_emulator/") or raw_path == "/_emulator":
            return self._control(raw_path, body)
        svc = (accounts.route(self.command, raw_path, self.headers)
               or tagging.route(self.command, raw_path, self.headers))
        if svc is not None:
            return self._api(raw_path, raw_query, body, service=svc)
        try:
            if raw_path == "/" and self.command == "POST":
                return self._sts(body)
            if raw_path.startswith("/latest/"):
                return self._imds(raw_path)
            if raw_path.startswith("/v2/credentials/"):
                return self._ecs(raw_path)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return None
        return self._api(raw_path, raw_query, body)

    # -- control API --------------------------------------------------------------------------
    def _control(self, raw_path, body):
        st = self.server.state
        m = self.command
        if raw_path == "/_emulator/health" and m == "GET":
            return self._json(200, {"ok": True, "threads": threading.active_count()})
        if raw_path == "/_emulator/requests" and m == "GET":
            with st.lock:
                doc = list(st.requests)
            return self._json(200, doc)
        if raw_path == "/_emulator/reset" and m == "POST":
            st.reset()
            return self._send(204)
        if raw_path == "/_emulator/config" and m == "GET":
            return self._json(200, st.get_config())
        if raw_path == "/_emulator/config" and m == "POST":
            try:
                doc = json.loads(body.decode("utf-8") or "{}")
            except (ValueError, UnicodeDecodeError) as e:
                return self._json(400, {"message": "the config is not valid JSON: %s" % e})
            err = validate_config(doc)
            if err:
                return self._json(400, {"message": err})
            return self._json(200, st.set_config(doc))
        if raw_path == "/_emulator/fixtures" and m == "GET":
            store = self.server.store
            return self._json(200, {"fixtures": store.name, "account": ACCOUNT_ID, "regions": store.counts(),
                                    "resources": store.resources.counts()})
        if raw_path == "/_emulator/credentials" and m == "POST":
            try:
                doc = json.loads(body.decode("utf-8") or "{}")
            except (ValueError, UnicodeDecodeError) as e:
                return self._json(400, {"message": "the request is not valid JSON: %s" % e})
            if not isinstance(doc, dict) or any(k != "lifetime_s" for k in doc):
                return self._json(400, {"message": "the body must be a JSON object with at most 'lifetime_s'"})
            life = doc.get("lifetime_s")
            if life is not None and (not _is_int(life) or not 1 <= life <= 10 ** 9):
                return self._json(400, {"message": "'lifetime_s' must be an integer number of seconds, at least 1"})
            cred = st.issued.issue("process", life or DEFAULT_LIFETIME_S)
            return self._send(200, json.dumps(credential_process_doc(cred)))
        if raw_path == "/_emulator/credentials" and m == "GET":
            return self._json(200, st.issued.listing())
        if raw_path == "/_emulator/credentials/secrets" and m == "GET":
            return self._json(200, st.issued.secrets())
        if raw_path == "/_emulator/credentials/expire" and m == "POST":
            return self._json(200, {"expired": st.issued.expire_all()})
        if raw_path == "/_emulator/jobs/update" and m == "POST":
            return self._json(*update_job(self.server, body))
        if raw_path == "/_emulator/faults" and m == "POST":
            try:
                doc = json.loads(body.decode("utf-8") or "[]")
            except (ValueError, UnicodeDecodeError) as e:
                return self._json(400, {"message": "fault rules are not valid JSON: %s" % e})
            err = validate_fault_rules(doc)
            if err:
                return self._json(400, {"message": err})
            st.set_faults(doc)
            return self._send(204)
        return self._json(404, {"message": "unknown control call %s %s" % (m, raw_path)})

    # -- credential endpoints: STS, IMDSv2, ECS ----------------------------------------------
    def _cred_entry(self, op, params=None, key=None, region=None):
        st = self.server.state
        return {"seq": None, "method": self.command, "path": self.path, "operation": op, "region": region,
                "params": params or {}, "body": None, "status": None, "access_key": key, "account": None,
                "request_id": st.next_request_id(), "time": round(time.time(), 6), "conn": self.conn_id}

    def _cred_reply(self, entry, status, payload, hdrs, ctype, error_type=None):
        entry["status"] = status
        if error_type:
            entry["error_type"] = error_type
        self.server.state.record(entry, self._epoch)
        return self._send(status, payload, hdrs, content_type=ctype)

    def _cred_serve(self, entry, region, base, ctype, normal_fn):
        """After the endpoint's own authentication: a fault rule naming the operation, else the
        normal answer normal_fn() -> (status, body bytes, headers, error type or None)."""
        st = self.server.state
        fault = st.match_fault(entry["operation"], region, entry["account"])
        if fault is not None and fault.get("action") is None:
            return self._fault(fault, entry, base)
        if fault is not None:
            action = fault["action"]
            # issue nothing the client never sees (keeps the access key counters dense)
            needs = (action in ("non_utf8", "repeat_token", "unknown_status", "bad_timestamp")
                     or (action in ("stall_body", "truncate") and "status" not in fault))
            normal = normal_fn() if needs else (200, b"", [], None)
            return self._action(fault, entry["operation"], region, entry["params"], normal, entry, base,
                                normal_ctype=ctype)
        status, payload, hdrs, error_type = normal_fn()
        return self._cred_reply(entry, status, payload, base + hdrs, ctype, error_type)

    def _sts(self, body):
        st = self.server.state
        headers = [(n, to_bytes(v).decode("utf-8", "replace")) for n, v in self.headers.items()]
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        form = decode_params(body.decode("latin-1")) if ctype == "application/x-www-form-urlencoded" else {}
        action, version = form.get("Action"), form.get("Version")
        key, region = scope_region(headers)
        op = action if action in STS_OPERATIONS else "Unknown"
        if op == "Unknown":
            params = {k: form[k] for k in ("Action", "Version") if k in form}
        else:
            params = {k: form[k] for k in ("RoleArn", "RoleSessionName", "ExternalId", "DurationSeconds")
                      if k in form}
        entry = self._cred_entry(op, params, key, region)
        rid = entry["request_id"]
        base = [("x-amzn-RequestId", rid)]

        def fail(err):
            entry.update(getattr(err, "debug", None) or {})
            return self._cred_reply(entry, err.status, sts_error_xml(err, request_id=rid), base, "text/xml",
                                    err.code)

        if not action:
            return fail(StsError(400, "MissingAction", "Missing Action"))
        if not version:
            return fail(StsError(400, "MissingParameter", "The request must contain the parameter Version"))
        if op == "Unknown" or version != STS_VERSION:
            return fail(StsError(400, "InvalidAction", "Could not find operation %s for version %s"
                                 % (action, version)))
        caller = caller_account = None
        if op == "AssumeRole":
            try:
                auth = verify_request(self.command, self.path, headers, body, credentials=st.issued,
                                      service=STS_SERVICE)
            except ApiError as e:
                return fail(sts_auth_error(e))
            region = auth.region
            caller = st.issued.caller_arn(auth.access_key)
            caller_account = entry["account"] = auth.account

        def normal():
            try:
                duration = sts_check_params(op, form)
                arn, session = form["RoleArn"], form["RoleSessionName"]
                role = self.server.org.role(arn)
                view = None
                if op == "AssumeRole":
                    granted = self.server.org.may_assume(caller_account, arn, form.get("ExternalId"))
                    if granted is None:
                        raise StsError(403, "AccessDenied", "User: %s is not authorized to perform: "
                                       "sts:AssumeRole on resource: %s" % (caller, arn))
                    view = granted[1]
                else:
                    if form["WebIdentityToken"] != WEB_IDENTITY_TOKEN:
                        raise StsError(400, "InvalidIdentityToken", "The ID Token provided is not a valid JWT. "
                                       "(You may see this error if you sent an Access Token)")
                    if role is None or not role[2]:
                        raise StsError(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
                if duration is not None and duration > ROLE_MAX_SESSION_S:
                    raise StsError(400, "ValidationError", "The requested DurationSeconds exceeds the "
                                   "MaxSessionDuration set for this role.")
            except StsError as err:
                return err.status, sts_error_xml(err, request_id=rid), [], err.code
            account, name = _ROLE_ARN_RE.match(arn).groups()
            cred = st.issued.issue("sts" if op == "AssumeRole" else "web", duration or DEFAULT_LIFETIME_S,
                                   arn="arn:aws:sts::%s:assumed-role/%s/%s" % (account, name, session),
                                   account=account, view=view)
            entry["issued"] = cred["access_key"]
            return 200, sts_success_xml(op, cred, arn, session, rid), [], None

        return self._cred_serve(entry, region, base, "text/xml", normal)

    def _imds_error(self, entry, status, reason):
        html = ('<?xml version="1.0" encoding="iso-8859-1"?>\n'
                '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n'
                '\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
                '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n'
                ' <head>\n  <title>%d - %s</title>\n </head>\n <body>\n  <h1>%d - %s</h1>\n </body>\n</html>\n'
                % (status, reason, status, reason))
        return self._cred_reply(entry, status, html, [], "text/html", reason.replace(" ", ""))

    def _imds(self, raw_path):
        st = self.server.state
        h = self.headers
        creds_prefix = "/latest/meta-data/iam/security-credentials/"
        if raw_path == "/latest/api/token":
            ttl = h.get("X-aws-ec2-metadata-token-ttl-seconds")
            entry = self._cred_entry("IMDSGetToken", {} if ttl is None else {"ttl": ttl})
            if self.command != "PUT":
                return self._imds_error(entry, 405, "Method Not Allowed")
            if h.get("X-Forwarded-For") is not None:
                return self._imds_error(entry, 403, "Forbidden")
            if ttl is None or not re.match(r"\A\d{1,6}\Z", ttl.strip()) or not 1 <= int(ttl) <= IMDS_MAX_TTL:
                return self._imds_error(entry, 400, "Bad Request")
            n = int(ttl)
            return self._cred_serve(entry, None, [], "text/plain", lambda: (
                200, st.issued.new_imds_token(n).encode(), [("X-aws-ec2-metadata-token-ttl-seconds", str(n))], None))
        if raw_path.startswith(creds_prefix):
            role = raw_path[len(creds_prefix):]
            op = "IMDSGetCredentials" if role else "IMDSGetRoleName"
            entry = self._cred_entry(op, {"role": role} if role else {})
            if self.command != "GET":
                return self._imds_error(entry, 405, "Method Not Allowed")
            if not st.issued.imds_token_ok(h.get("X-aws-ec2-metadata-token") or ""):
                return self._imds_error(entry, 401, "Unauthorized")
            if role and role != IMDS_ROLE:
                return self._imds_error(entry, 404, "Not Found")

            def normal():
                if not role:
                    return 200, IMDS_ROLE.encode(), [], None
                cred = st.issued.issue("imds", DEFAULT_LIFETIME_S)
                entry["issued"] = cred["access_key"]
                doc = collections.OrderedDict([
                    ("Code", "Success"), ("LastUpdated", fmt_expiration(cred["issued"])), ("Type", "AWS-HMAC"),
                    ("AccessKeyId", cred["access_key"]), ("SecretAccessKey", cred["secret"]),
                    ("Token", cred["token"]), ("Expiration", fmt_expiration(cred["expires"]))])
                return 200, json.dumps(doc, indent=2, separators=(",", " : ")).encode(), [], None

            return self._cred_serve(entry, None, [], "text/plain", normal)
        entry = self._cred_entry("Unknown")
        return self._imds_error(entry, 404, "Not Found")

    def _ecs(self, raw_path):
        st = self.server.state
        cid = raw_path[len("/v2/credentials/"):]
        entry = self._cred_entry("ECSGetCredentials", {"id": cid})

        def err(status, code, message):
            return self._cred_reply(entry, status, json.dumps({"code": code, "message": message}), [],
                                    "application/json", code)

        if self.command != "GET":
            return err(405, "MethodNotAllowed", "Only GET is allowed")
        authz = self.headers.get("Authorization")
        if authz is None:
            return err(401, "NoAuthorization", "Authorization header is missing")
        if authz != ECS_AUTH_TOKEN:
            return err(403, "AccessDenied", "Authorization token is not valid")
        if not _ECS_ID_RE.match(cid):
            return err(400, "InvalidIdFormat", "Invalid credentials id: %s" % cid)

        def normal():
            cred = st.issued.issue("ecs", DEFAULT_LIFETIME_S)
            entry["issued"] = cred["access_key"]
            doc = collections.OrderedDict([
                ("AccessKeyId", cred["access_key"]), ("SecretAccessKey", cred["secret"]), ("Token", cred["token"]),
                ("Expiration", fmt_expiration(cred["expires"])), ("RoleArn", ECS_ROLE_ARN)])
            return 200, json.dumps(doc).encode(), [], None

        return self._cred_serve(entry, None, [], "application/json", normal)

    # -- Bedrock API --------------------------------------------------------------------------
    def _api(self, raw_path, raw_query, body, service=None):
        """A Bedrock request, or (service: (name, operation) from emulator_accounts.route or
        emulator_tagging.route) an Organizations, Account or Resource Groups Tagging API one."""
        received = time.time()
        received_mono = time.monotonic()
        srv = self.server
        st = srv.state
        self._service = service[0] if service else None
        self._body = body
        self._store = srv.store
        self._caller = (None, None)
        # http.server decodes header bytes as ISO-8859-1; signers hash header values as UTF-8.
        headers = [(n, to_bytes(v).decode("utf-8", "replace")) for n, v in self.headers.items()]
        op, label = service[1:] + (None,) if service else route(self.command, raw_path)
        params = decode_params(raw_query)
        try:
            body_doc = json.loads(body.decode("utf-8")) if body else None
        except (ValueError, UnicodeDecodeError):
            body_doc = None
        key, region = scope_region(headers)
        ident = None
        if label is not None:
            ident = percent_decode(label).decode("utf-8", "replace")
        request_id = st.next_request_id()
        entry = {"seq": None, "method": self.command, "path": self.path, "operation": op,
                 "region": region, "params": params, "body": body_doc, "status": None,
                 "access_key": key, "account": st.issued.account_of(key), "job_identifier": ident,
                 "request_id": request_id, "time": round(received, 6), "conn": self.conn_id}
        delay = st.draw_latency()
        if delay > 0:
            self._deadline = received_mono + delay
            entry["latency_ms"] = round(delay * 1000.0, 3)
        base_headers = [("x-amzn-RequestId", request_id)]
        try:
            try:
                auth = verify_request(self.command, self.path, headers, body, credentials=st.issued,
                                      service=self._service or SERVICE)
                regional = self._service in (None, tagging.SERVICE)    # the keys' account's store and regions
                if not regional and not accounts.region_ok(auth.region):
                    raise auth_error("InvalidSignatureException",
                                     "Credential should be scoped to a valid region, not '%s'." % auth.region)
                if regional:
                    view = st.issued.view_of(auth.access_key) or auth.account
                    if srv.org.disabled(view, auth.region):     # an opt-in region not enabled
                        raise auth_error("UnrecognizedClientException",
                                         "The security token included in the request is invalid.")
                    self._store = srv.org.store_for(view, srv.store)
            except ApiError as e:
                return self._api_error(e, entry, base_headers)
            self._caller = (auth.account, st.issued.caller_arn(auth.access_key))
            bucket = auth.region if not self._service else "%s:%s" % (self._service, auth.region)
            if not st.take_token(bucket, received_mono):
                entry["throttled"] = True
                err = (tagging.throttled() if self._service == tagging.SERVICE
                       else accounts.throttled(self._service) if self._service
                       else ApiError(429, "ThrottlingException", "Rate exceeded"))
                return self._api_error(err, entry, base_headers)
            fault = st.match_fault(op, auth.region, auth.account)
            if fault is not None and fault.get("action") is None:
                return self._fault(fault, entry, base_headers)
            status, doc, hdrs, error_type = self._operation(op, auth.region, params, ident, body, entry)
            if fault is not None:
                return self._action(fault, op, auth.region, params, (status, doc, hdrs, error_type),
                                    entry, base_headers)
            entry["status"] = status
            if error_type:
                entry["error_type"] = error_type
            st.record(entry, self._epoch)
            return self._send(status, json.dumps(doc, separators=(",", ":")), base_headers + hdrs,
                              content_type=self._content_type())
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # pragma: no cover - a bug in the emulator
            return self._api_error(ApiError(500, "InternalServerException", "emulator bug: %r" % (e,)),
                                   entry, base_headers)

    def _error_answer(self, e, entry):
        """One of the emulator's own Bedrock errors as the config's error_statuses and
        error_format want it: (status, JSON document, extra headers, error type).  The entry
        gets "aws_status" when the status is not AWS's."""
        st = self.server.state
        status = ERROR_STATUSES[st.option("error_statuses")](e.error_type, e.status)
        if getattr(self, "_service", None) == tagging.SERVICE:
            hdrs, doc = tagging.error_answer(e, st.option("error_format"))
        elif getattr(self, "_service", None):
            hdrs, doc = accounts.error_answer(self._service, e, st.option("error_format"))
        else:
            hdrs, doc = ERROR_FORMATS[st.option("error_format")](e.error_type, e.namespace, e.message)
        if status != e.status:
            entry["aws_status"] = e.status
        return status, doc, hdrs, e.error_type

    def _api_error(self, e, entry, base_headers):
        status, doc, hdrs, _ = self._error_answer(e, entry)
        entry["status"] = status
        entry["error_type"] = e.error_type
        entry.update(e.debug)
        self.server.state.record(entry, self._epoch)
        return self._send(status, json.dumps(doc), base_headers + hdrs, content_type=self._content_type())

    def _content_type(self):
        if getattr(self, "_service", None) == tagging.SERVICE:
            return tagging.CONTENT_TYPE
        return accounts.ORG_CONTENT_TYPE if getattr(self, "_service", None) == accounts.ORG_SERVICE else "application/json"

    def _operation(self, op, region, params, ident, body, entry):
        """The normal answer: (status, JSON document, extra headers, error type or None)."""
        srv = self.server
        store = getattr(self, "_store", None) or srv.store      # the signer's account's
        try:
            if getattr(self, "_service", None) == tagging.SERVICE:
                doc = tagging.operate(op, store, region, body, srv.state.get_config(), srv.max_page_size)
            elif getattr(self, "_service", None):
                doc = accounts.operate(self._service, op, srv.org, self._caller[0], self._caller[1], body,
                                       srv.max_page_size)
            elif op == "ListModelCustomizationJobs":
                doc = list_jobs(store, region, params, srv.max_page_size)
            elif op == "GetModelCustomizationJob":
                doc = get_job(store, region, ident)
            elif op == "ListTagsForResource":
                doc = list_tags(store, region, body)
            elif op in resources.BY_OP:
                doc = resources.operate(op, store, region, params, ident, srv.max_page_size)
            else:
                raise ApiError(404, "UnknownOperationException", None, CORAL_ERROR_NS)
        except (ApiError, accounts.ServiceError) as e:
            return self._error_answer(e, entry)
        if srv.state.option("nulls") == "null":
            doc = accounts.with_nulls(op, doc) if op in accounts.OPERATIONS else with_nulls(op, doc)
        return 200, doc, [], None

    def _fault_headers(self, rule, entry, base_headers):
        hdrs = list(base_headers)
        if rule.get("request_id"):
            hdrs = [h for h in hdrs if h[0].lower() != "x-amzn-requestid"]
            hdrs.append(("x-amzn-RequestId", rule["request_id"]))
            entry["request_id"] = rule["request_id"]
        if rule.get("retry_after") is not None:
            hdrs.append(("Retry-After", rule["retry_after"]))
        return hdrs

    def _fault_answer(self, rule, entry, hdrs):
        """A rule's own answer: (status, body bytes, headers, content type)."""
        status = rule["status"]
        hdrs = list(hdrs)
        et = rule.get("error_type")
        if entry.get("operation") in STS_OPERATIONS and rule.get("body") is None:
            # STS speaks XML: an <ErrorResponse> with the rule's error_type as its <Code>
            code = et or {500: "InternalFailure", 503: "ServiceUnavailable"}.get(status, "InjectedFault")
            entry["error_type"] = code
            payload = sts_error_xml(status, code, rule.get("message", "Injected fault (status %d)" % status),
                                    entry.get("request_id") or "", sender=status < 500)
            return status, payload, hdrs, rule.get("content_type") or "text/xml"
        if et:
            entry["error_type"] = et
        if rule.get("body") is not None:            # verbatim, error_type as X-Amzn-ErrorType
            if et:
                hdrs.append(("X-Amzn-ErrorType", et if ":" in et else "%s:%s" % (et, BEDROCK_ERROR_NS)))
            payload = rule["body"]
        else:
            message = rule.get("message", "Injected fault (status %d)" % status)
            doc = {"message": message}
            if et:              # at the rule's status, in the error_format (Bedrock operations only)
                name, _, ns = et.partition(":")
                fmt = ("header" if entry.get("operation") in CREDENTIAL_OPERATIONS
                       else self.server.state.option("error_format"))
                extra, doc = ERROR_FORMATS[fmt](name, ns or BEDROCK_ERROR_NS, message)
                hdrs += extra
            payload = json.dumps(doc)
        return status, payload.encode("utf-8"), hdrs, rule.get("content_type") or "application/json"

    def _fault(self, rule, entry, base_headers):
        self._await_latency()           # a rule's delay comes on top of the latency
        if rule.get("delay"):
            time.sleep(rule["delay"])
        hdrs = self._fault_headers(rule, entry, base_headers)
        status, payload, hdrs, ctype = self._fault_answer(rule, entry, hdrs)
        entry["status"] = status
        entry["fault"] = True
        self.server.state.record(entry, self._epoch)
        return self._send(status, payload, hdrs, content_type=ctype)

    # -- fault actions ------------------------------------------------------------------------
    def _wait(self, seconds):
        """Wait up to `seconds` without reading from the client.  False if it ended early: the
        client closed the connection (or reset it) or the emulator is stopping."""
        deadline = time.monotonic() + seconds
        stop = self.server.state.stopping
        sock = self.connection
        if isinstance(sock, ssl.SSLSocket):
            # no MSG_PEEK through TLS: watch the TCP connection for the peer's FIN instead
            poller = select.poll()
            poller.register(sock.fileno(), select.POLLRDHUP | select.POLLHUP | select.POLLERR)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return True
                if stop.is_set():
                    return False
                try:
                    if poller.poll(min(left, 0.1) * 1000):
                        return False
                except (OSError, ValueError):
                    return False
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            if stop.is_set():
                return False
            try:
                readable, _, _ = select.select([sock], [], [], min(left, 0.1))
                if readable:
                    if not sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT):
                        return False            # EOF: the client gave up
                    time.sleep(min(left, 0.1))  # it sent more (pipelining): keep ignoring it
            except BlockingIOError:
                continue
            except (OSError, ValueError):
                return False

    def _reset(self):
        """Close the connection with a TCP reset (SO_LINGER 0) and nothing sent."""
        self.close_connection = True
        self._await_latency()
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            os.close(self.connection.detach())
        except OSError:
            pass

    def _send_head(self, status, length, hdrs, content_type):
        self._await_latency()
        self.send_response(status)
        for k, v in hdrs:
            self.send_header(k, v)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def _stream(self, status, hdrs, content_type, length, chunks, entry):
        """Send a body of `length` bytes produced by the iterable `chunks`; entry["sent"]
        counts the bytes the client took before it hung up (if it did)."""
        self._send_head(status, length, hdrs, content_type)
        entry["sent"] = 0
        try:
            for c in chunks:
                self.wfile.write(c)
                entry["sent"] += len(c)
        except OSError:
            self.close_connection = True
            entry["hung_up"] = True
            return
        assert entry["sent"] == length, (entry["sent"], length)

    def _action(self, rule, op, region, params, normal, entry, base_headers, normal_ctype="application/json"):
        """normal: (status, JSON document or body bytes, headers, error type); bytes go out
        as they are with normal_ctype (the credential endpoints' XML, text and JSON answers)."""
        self._await_latency()           # a rule's delay or stall comes on top of the latency
        action = rule["action"]
        st = self.server.state
        hdrs = self._fault_headers(rule, entry, base_headers)
        entry["fault"] = True
        entry["action"] = action
        delay = rule.get("delay")

        if action in ("reset", "stall_headers"):
            st.record(entry, self._epoch)
            if action == "reset":
                if delay and not self._wait(delay):
                    self.close_connection = True
                    return None
                return self._reset()
            self._wait(STALL_DEFAULT if delay is None else delay)
            self.close_connection = True
            return None

        if action != "stall_body" and delay and not self._wait(delay):
            st.record(entry, self._epoch)
            self.close_connection = True
            return None

        status, doc, nhdrs, error_type = normal
        ctype = self._content_type()
        if action in ("stall_body", "truncate") and "status" in rule:
            entry.pop("aws_status", None)       # the normal answer is not sent
            status, payload, hdrs, ctype = self._fault_answer(rule, entry, hdrs)
        elif action in ("huge", "garbage", "deep"):
            entry.pop("aws_status", None)
            status = rule.get("status", 200)
            payload = None
        else:
            if action == "repeat_token" and op in accounts.OPERATIONS + tagging.OPERATIONS:
                svc = tagging if op in tagging.OPERATIONS else accounts
                entry.pop("aws_status", None)
                status, doc, nhdrs, error_type = self._operation(op, region, params, None,
                                                                 svc.first_page_body(self._body), entry)
                if status == 200:
                    doc[svc.TOKEN_MEMBER] = svc.request_token(self._body) or REPEAT_TOKEN
            elif action == "repeat_token" and (op == "ListModelCustomizationJobs" or op in resources.PAGINATED_LISTS):
                # the first page, whatever the token; the request's token (or a fixed one) as next
                first = {k: v for k, v in params.items() if k != "nextToken"}
                entry.pop("aws_status", None)
                status, doc, nhdrs, error_type = self._operation(op, region, first, None, b"", entry)
                if status == 200:
                    doc["nextToken"] = params.get("nextToken") or REPEAT_TOKEN
            elif status == 200 and action in ("non_utf8", "unknown_status", "bad_timestamp") and isinstance(doc, dict):
                doc = _mutate(action, op, doc)
            hdrs = hdrs + nhdrs
            if error_type:
                entry["error_type"] = error_type
            if isinstance(doc, bytes):
                payload, ctype = doc, normal_ctype
            else:
                payload = json.dumps(doc, separators=(",", ":")).encode("utf-8")
            if action == "non_utf8":
                payload = payload.replace(_NON_UTF8_MARK.encode(), NON_UTF8)
        entry["status"] = status
        st.record(entry, self._epoch)

        if action in ("stall_body", "truncate"):
            self.close_connection = True
            self._send_head(status, len(payload), hdrs, ctype)
            self.wfile.write(payload[:len(payload) // 2])
            if action == "stall_body":
                self._wait(STALL_DEFAULT if delay is None else delay)
            return None
        if action == "huge":
            ok = doc if normal[0] == 200 and isinstance(doc, dict) else {}
            head = json.dumps(ok, separators=(",", ":"))[:-1] + ("," if ok else "") + '"padding":"'
            head = head.encode("utf-8")
            tail = b'"}'
            pad = max(0, rule.get("size", HUGE_DEFAULT) - len(head) - len(tail))
            return self._stream(status, hdrs, ctype, len(head) + pad + len(tail),
                                _chain([head], _repeat_bytes(b"x", pad), [tail]), entry)
        if action == "garbage":
            size = rule.get("size", 1024)
            return self._stream(status, hdrs, "application/octet-stream", size,
                                _garbage(random.Random(rule.get("seed", 1)), size), entry)
        if action == "deep":
            depth = rule.get("depth", 10000)
            key = {"GetModelCustomizationJob": "validationMetrics", "ListTagsForResource": "tags",
                   "GetResources": tagging.RESULT_KEY}.get(
                op, resources.deep_key(op) if op in resources.BY_OP else accounts.deep_key(op)
                if op in accounts.OPERATIONS else "modelCustomizationJobSummaries")
            head = ('{"%s":' % key).encode()
            return self._stream(status, hdrs, ctype, len(head) + 2 * depth + 1,
                                _chain([head], _repeat_bytes(b"[", depth), _repeat_bytes(b"]", depth), [b"}"]), entry)
        return self._send(status, payload, hdrs, content_type=ctype)


_NON_UTF8_MARK = "@@emulator-non-utf8@@"     # json.dumps keeps it verbatim; replaced by NON_UTF8 after


def _mutate(action, op, doc):
    """A copy of a successful answer changed for non_utf8, unknown_status or bad_timestamp."""
    doc = json.loads(json.dumps(doc))
    mark = _NON_UTF8_MARK
    if op in accounts.OPERATIONS:
        return accounts.mutate(action, op, doc, mark, UNKNOWN_STATUS, BAD_TIMESTAMP)
    if op in tagging.OPERATIONS:
        return tagging.mutate(action, doc, mark)
    if op in resources.BY_OP:
        return resources.mutate(action, op, doc, mark, UNKNOWN_STATUS, BAD_TIMESTAMP)
    if op == "ListModelCustomizationJobs":
        jobs = doc.get("modelCustomizationJobSummaries") or []
        if not jobs:
            return doc
        job = jobs[0]
        if action == "non_utf8":
            job["jobName"] = job.get("jobName", "") + mark
        elif action == "unknown_status":
            job["status"] = UNKNOWN_STATUS
        else:
            job["creationTime"] = BAD_TIMESTAMP
    elif op == "GetModelCustomizationJob":
        if action == "non_utf8":
            doc["jobName"] = doc.get("jobName", "") + mark
            doc["roleArn"] = doc.get("roleArn", "") + mark
        elif action == "unknown_status":
            doc["status"] = UNKNOWN_STATUS
        else:
            doc["creationTime"] = BAD_TIMESTAMP
    elif op == "ListTagsForResource" and action == "non_utf8":
        tags = doc.setdefault("tags", [])
        if tags:
            tags[0]["value"] = tags[0].get("value", "") + mark
        else:
            tags.append({"key": "emulator", "value": mark})
    return doc


def _chain(*iterables):
    for it in iterables:
        yield from it


def _repeat_bytes(b, n, chunk=1 << 20):
    block = b * min(n, chunk)
    while n > 0:
        k = min(n, chunk)
        yield block if k == len(block) else block[:k]
        n -= k


def _garbage(rng, n, chunk=1 << 16):
    first = True
    while n > 0:
        k = min(n, chunk)
        data = bytearray(rng.getrandbits(8 * k).to_bytes(k, "little"))
        if first:
            data[:2] = b"\xff\xfe"[:k]
            first = False
        yield bytes(data)
        n -= k


class EmulatorServer(ThreadingHTTPServer):
    # one handler thread per connection (keep-alive connections keep theirs); waits and stalls
    # hold only their own thread.  The listen backlog takes bursts of hundreds of connects.
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def __init__(self, addr, store, state, max_page_size, org=None):
        self.store = store
        self.state = state
        self.max_page_size = max_page_size
        self.org = org or accounts.Organization()       # the accounts (test/emulator_accounts.py)
        super().__init__(addr, Handler)


class TLSEmulatorServer(EmulatorServer):
    """The same emulator over TLS (--https-port): the handshake runs in the connection's own
    handler thread, so a slow or failing client holds up nobody else."""

    def __init__(self, addr, store, state, max_page_size, ssl_context, org=None):
        self.ssl_context = ssl_context
        super().__init__(addr, store, state, max_page_size, org)

    def finish_request(self, request, client_address):
        try:
            request.settimeout(10)
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return          # e.g. the client did not trust the certificate
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            try:
                tls.close()
            except OSError:
                pass


def tls_context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    return ctx


def write_port_file(path, port):
    d = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(d, ".%s.tmp.%d" % (os.path.basename(path), os.getpid()))
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(argv=None):
    # A thread building a large answer holds the GIL for the switch interval (5 ms by default);
    # a request arriving on another connection meanwhile was read that much later, and its
    # latency started late.  A finer interval lets concurrent requests be read as they come.
    sys.setswitchinterval(0.0005)
    ap = argparse.ArgumentParser(description="Local Amazon Bedrock control-plane emulator")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--fixtures", type=fixture_name, default="default",
                    help="default, demo or large:N (N generated jobs, 1 <= N <= %d)" % LARGE_MAX)
    ap.add_argument("--max-page-size", type=int, default=1000)
    ap.add_argument("--latency", type=float, default=0.0, metavar="MS",
                    help="every Bedrock API answer goes out MS milliseconds after the request was read")
    ap.add_argument("--jitter", type=float, default=0.0, metavar="MS",
                    help="plus a uniform draw from [-MS, +MS] (seeded; the total never goes below 0)")
    ap.add_argument("--rate-limit", type=float, default=None, metavar="N",
                    help="per region at most N requests a second (token bucket, burst N); 429 beyond")
    ap.add_argument("--seed", type=int, default=1, help="seed of the jitter generator")
    ap.add_argument("--error-statuses", choices=CONFIG_CHOICES["error_statuses"], default="aws",
                    help="HTTP statuses of the emulator's own Bedrock errors: AWS's or odd ones")
    ap.add_argument("--error-format", choices=CONFIG_CHOICES["error_format"], default="header",
                    help="where the error type goes: X-Amzn-ErrorType, body __type or body code")
    ap.add_argument("--nulls", choices=CONFIG_CHOICES["nulls"], default="absent",
                    help="optional job members a job lacks: left out or sent as null")
    ap.add_argument("--https-port", type=int, default=None, metavar="N",
                    help="also serve over TLS on port N (0: pick one); needs --tls-cert and --tls-key")
    ap.add_argument("--https-port-file", metavar="FILE")
    ap.add_argument("--tls-cert", metavar="PEM", help="server certificate chain (PEM)")
    ap.add_argument("--tls-key", metavar="PEM", help="its private key (PEM)")
    ap.add_argument("--org-accounts", type=int, default=0, metavar="N",
                    help="N more ACTIVE member accounts (100000000001...) with the BedrockFdwReader role")
    ap.add_argument("--org-jobs-per-region", type=int, default=accounts.DEFAULT_JOBS_PER_REGION, metavar="M",
                    help="jobs of each generated member in each of its enabled regions (default %d)"
                    % accounts.DEFAULT_JOBS_PER_REGION)
    ap.add_argument("--dump-fixtures", action="store_true")
    ap.add_argument("--watch-pid", type=int, default=None, metavar="PID",
                    help="stop once process PID has ended (make installcheck)")
    a = ap.parse_args(argv)
    if not 0 <= a.org_accounts <= accounts.MAX_GENERATED:
        ap.error("--org-accounts must be from 0 to %d" % accounts.MAX_GENERATED)
    if not 0 <= a.org_jobs_per_region <= 100000:
        ap.error("--org-jobs-per-region must be from 0 to 100000")
    org = accounts.Organization(a.org_accounts, a.org_jobs_per_region)
    if a.dump_fixtures:
        json.dump(dump_fixtures(a.fixtures, org), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if a.host != "localhost" and not re.match(r"\A127\.\d{1,3}\.\d{1,3}\.\d{1,3}\Z", a.host):
        ap.error("the emulator binds loopback only (127.0.0.1)")
    if a.max_page_size < 1:
        ap.error("--max-page-size must be at least 1")
    err = validate_config({"latency_ms": a.latency, "jitter_ms": a.jitter, "rate_limit": a.rate_limit})
    if err:
        ap.error(err.replace("'latency_ms'", "--latency").replace("'jitter_ms'", "--jitter")
                 .replace("'rate_limit'", "--rate-limit"))
    ctx = None
    if a.https_port is not None:
        if not a.tls_cert or not a.tls_key:
            ap.error("--https-port needs --tls-cert and --tls-key")
        try:
            ctx = tls_context(a.tls_cert, a.tls_key)
        except (OSError, ssl.SSLError) as e:
            ap.error("cannot load --tls-cert/--tls-key: %s" % e)
    elif a.tls_cert or a.tls_key or a.https_port_file:
        ap.error("--tls-cert, --tls-key and --https-port-file go with --https-port")
    store = load_fixtures(a.fixtures)
    state = State(a.log, a.latency, a.jitter, a.rate_limit, a.seed, a.error_statuses, a.error_format, a.nulls)
    host = "127.0.0.1" if a.host == "localhost" else a.host
    srv = EmulatorServer((host, a.port), store, state, a.max_page_size, org)
    port = srv.server_address[1]
    tsrv = TLSEmulatorServer((host, a.https_port), store, state, a.max_page_size, ctx, org) if ctx else None
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    t.start()
    if tsrv is not None:
        threading.Thread(target=tsrv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
        if a.https_port_file:
            write_port_file(a.https_port_file, tsrv.server_address[1])
    if a.port_file:
        write_port_file(a.port_file, port)
    sys.stderr.write("bedrock emulator listening on http://%s:%d\n" % (srv.server_address[0], port))
    if tsrv is not None:
        sys.stderr.write("bedrock emulator listening on https://%s:%d\n" % tsrv.server_address[:2])
    sys.stderr.flush()
    while not stop.wait(0.5):
        if a.watch_pid and not pid_alive(a.watch_pid):
            break
    state.stopping.set()
    srv.shutdown()
    srv.server_close()
    if tsrv is not None:
        tsrv.shutdown()
        tsrv.server_close()
    if state.log_file:
        state.log_file.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
