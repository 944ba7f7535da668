// SDK conformance test of the emulator's credential endpoints (test/emulator.py):
// STS (AssumeRole, AssumeRoleWithWebIdentity), EC2 instance metadata (IMDSv2),
// the ECS/container credentials endpoint, the credential "mint" control call
// (credential_process) and the expiry of issued credentials.
//
// The emulator is held to the official AWS SDK for JavaScript v3
// (@aws-sdk/client-sts and @aws-sdk/credential-providers, pinned in
// package.json at the version of @aws-sdk/client-bedrock): every credential
// provider must get credentials from the emulator, and those credentials must
// then sign a Bedrock call the emulator accepts.
//
// Run through ./run.sh (after conformance.test.mjs, never concurrently with
// it: this file expires issued credentials and resets the emulator), which
// starts the emulator and exports EMULATOR_ENDPOINT, EMULATOR_PORT and
// EMULATOR_ROOT.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  BedrockClient,
  BedrockServiceException,
  ListModelCustomizationJobsCommand,
} from '@aws-sdk/client-bedrock';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  InvalidIdentityTokenException,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import {
  fromContainerMetadata,
  fromHttp,
  fromIni,
  fromInstanceMetadata,
  fromNodeProviderChain,
  fromProcess,
  fromTemporaryCredentials,
  fromTokenFile,
} from '@aws-sdk/credential-providers';

import { ENDPOINT, LONG_TERM, PORT, ROOT, TEMPORARY, captureRawExchanges, control, lastSeq, logSince } from './helpers.mjs';

delete process.env.AWS_BEARER_TOKEN_BEDROCK;

// The emulator's test account (see the docstring of test/emulator.py).
const ACCOUNT = '123456789012';

// The emulator's STS roles, web identity, instance profile and ECS token.
const ROLE_LOCAL = `arn:aws:iam::${ACCOUNT}:role/bedrock-local`;
const CROSS_ACCOUNT = '210987654321';
const ROLE_CROSS = `arn:aws:iam::${CROSS_ACCOUNT}:role/bedrock-cross-account`;
const EXTERNAL_ID = 'emulator-external-id';
const ROLE_WEB = `arn:aws:iam::${ACCOUNT}:role/bedrock-web-identity`;
const WEB_TOKEN = 'emulator-web-identity-token.EXAMPLE';
const INSTANCE_ROLE = 'bedrock-instance-role';
const ECS_AUTH_TOKEN = 'emulator-ecs-auth-token';

// Access key id prefixes of issued credentials: they show which source issued them.
const PREFIX = {
  sts: 'ASIASTS',
  web: 'ASIAWEB',
  imds: 'ASIAIMDS',
  ecs: 'ASIAECS',
  proc: 'ASIAPROC',
};

// ---------------------------------------------------------------------------
// A private shared config file, written before any SDK code reads one (the
// SDK caches the files it has parsed).

const WORK = mkdtempSync(path.join(os.tmpdir(), 'bedrock-sdk-credentials-'));
const shq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const EMUCTL_MINT = `python3 ${shq(path.join(ROOT, 'test', 'emuctl'))} --port ${PORT} mint`;
const CONFIG_FILE = path.join(WORK, 'config');
const CREDENTIALS_FILE = path.join(WORK, 'credentials');
writeFileSync(CONFIG_FILE, `\
[profile emulator-base]
aws_access_key_id = ${LONG_TERM.accessKeyId}
aws_secret_access_key = ${LONG_TERM.secretAccessKey}

[profile emulator-role]
role_arn = ${ROLE_LOCAL}
source_profile = emulator-base
role_session_name = conformance-ini
region = eu-west-1

[profile emulator-cross-account]
role_arn = ${ROLE_CROSS}
external_id = ${EXTERNAL_ID}
source_profile = emulator-base
role_session_name = conformance-ini-cross

[profile emulator-cross-account-no-external-id]
role_arn = ${ROLE_CROSS}
source_profile = emulator-base

[profile emulator-role-too-long]
role_arn = ${ROLE_LOCAL}
source_profile = emulator-base
duration_seconds = 7200

[profile emulator-process]
credential_process = ${EMUCTL_MINT}
`);
writeFileSync(CREDENTIALS_FILE, '');
process.env.AWS_CONFIG_FILE = CONFIG_FILE;
process.env.AWS_SHARED_CREDENTIALS_FILE = CREDENTIALS_FILE;
for (const k of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS',
  'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT', 'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
  'AWS_EC2_METADATA_DISABLED', 'AWS_EC2_METADATA_V1_DISABLED',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']) {
  delete process.env[k];
}

const WEB_TOKEN_FILE = path.join(WORK, 'web-identity-token');
const BAD_WEB_TOKEN_FILE = path.join(WORK, 'bad-web-identity-token');
writeFileSync(WEB_TOKEN_FILE, WEB_TOKEN); // no newline, like a projected service-account token
writeFileSync(BAD_WEB_TOKEN_FILE, 'not-the-emulator-token.EXAMPLE');

after(() => rmSync(WORK, { recursive: true, force: true }));

// ---------------------------------------------------------------------------
// helpers

/** Set environment variables (undefined: unset) around fn, then restore them. */
async function withEnv(vars, fn) {
  const saved = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** An STSClient for the emulator that records the raw HTTP exchanges. */
function makeSts(region = 'us-east-1', credentials = LONG_TERM) {
  const client = new STSClient({
    region,
    endpoint: ENDPOINT,
    ...(credentials === null ? {} : { credentials }),
    maxAttempts: 1,
  });
  const raw = captureRawExchanges(client);
  return { client, raw, lastRaw: () => raw[raw.length - 1] };
}

/** Await a promise that must reject with an SDK service error; check name, status and class. */
async function expectError(promise, { name, status, base, klass, code }) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${name} (HTTP ${status}), but the call succeeded`);
  if (base) {
    assert.ok(err instanceof base,
      `expected a ${base.name}, got ${err?.constructor?.name}: ${err?.name}: ${err?.message}`);
  }
  assert.equal(err.name, name, `error name (message: ${err.message})`);
  assert.equal(err.$metadata?.httpStatusCode, status, `HTTP status of ${err.name} (${err.message})`);
  assert.equal(err.$fault, status < 500 ? 'client' : 'server', `$fault of ${err.name}`);
  if (klass) assert.ok(err instanceof klass, `${err.name} is not the SDK's modeled ${klass.name} class`);
  if (code !== undefined) {
    // awsQuery: <ErrorResponse><Error><Type>Sender</Type><Code>...</Code>
    assert.equal(err.Error?.Code, code, `<Error><Code> of ${err.name}`);
    assert.equal(err.Error?.Type, 'Sender', `<Error><Type> of ${err.name}`);
  }
  assert.equal(typeof err.message, 'string');
  assert.ok(err.message.length > 0 && !['Unknown', 'UnknownError'].includes(err.message),
    `error message should come from the emulator, got ${JSON.stringify(err.message)}`);
  return err;
}

function assertIssuedKey(accessKeyId, prefix, what) {
  assert.equal(typeof accessKeyId, 'string', `${what}: access key id`);
  assert.match(accessKeyId, new RegExp(`^${prefix}[A-Z0-9]+$`),
    `${what}: access key id ${accessKeyId} should start with ${prefix}`);
  assert.equal(accessKeyId.length, 20, `${what}: access key id ${accessKeyId} should be 20 characters`);
}

/** Credentials as a credential provider yields them: key, secret, token, future expiration. */
function assertIssuedIdentity(creds, prefix, what) {
  assertIssuedKey(creds?.accessKeyId, prefix, what);
  assert.equal(typeof creds.secretAccessKey, 'string', `${what}: secretAccessKey`);
  assert.ok(creds.secretAccessKey.length > 0, `${what}: empty secretAccessKey`);
  assert.equal(typeof creds.sessionToken, 'string', `${what}: sessionToken`);
  assert.ok(creds.sessionToken.length > 0, `${what}: empty sessionToken`);
  assert.ok(creds.expiration instanceof Date && !Number.isNaN(creds.expiration.getTime()),
    `${what}: expiration ${creds.expiration} is not a valid Date`);
  assert.ok(creds.expiration.getTime() > Date.now() + 60_000,
    `${what}: expiration ${creds.expiration.toISOString()} is not in the future`);
}

/** STS Credentials as the SDK parsed them from an AssumeRole* answer. */
function assertStsCredentials(c, prefix, durationSeconds, what) {
  assert.ok(c && typeof c === 'object', `${what}: no Credentials`);
  assertIssuedKey(c.AccessKeyId, prefix, what);
  for (const k of ['SecretAccessKey', 'SessionToken']) {
    assert.equal(typeof c[k], 'string', `${what}: Credentials.${k}`);
    assert.ok(c[k].length > 0, `${what}: empty Credentials.${k}`);
  }
  assert.ok(c.Expiration instanceof Date && !Number.isNaN(c.Expiration.getTime()),
    `${what}: Credentials.Expiration ${c.Expiration} is not a valid Date`);
  const expected = Date.now() + durationSeconds * 1000;
  assert.ok(Math.abs(c.Expiration.getTime() - expected) <= 120_000,
    `${what}: Credentials.Expiration ${c.Expiration.toISOString()} is not now + ${durationSeconds} s`);
}

function assertAssumedRoleUser(u, account, role, session, what) {
  assert.ok(u && typeof u === 'object', `${what}: no AssumedRoleUser`);
  assert.equal(u.Arn, `arn:aws:sts::${account}:assumed-role/${role}/${session}`, `${what}: AssumedRoleUser.Arn`);
  assert.match(u.AssumedRoleId ?? '', new RegExp(`^AROA[A-Z0-9]+:${session}$`), `${what}: AssumedRoleUser.AssumedRoleId`);
}

/** The raw XML of an STS answer: the root element and RequestId are AWS's. */
function assertStsXml(raw, action, requestId) {
  assert.ok(raw, 'raw-body middleware captured nothing');
  assert.match(String(raw.headers['content-type'] ?? raw.headers['Content-Type'] ?? ''), /^text\/xml\b/,
    `${action}: Content-Type`);
  assert.match(raw.text, new RegExp(`<${action}Response xmlns="https://sts\\.amazonaws\\.com/doc/2011-06-15/">`),
    `${action}: root element: ${raw.text.slice(0, 200)}`);
  assert.match(raw.text, new RegExp(`<${action}Result>`), `${action}: no <${action}Result>`);
  assert.match(raw.text, new RegExp(`<ResponseMetadata>\\s*<RequestId>${requestId}</RequestId>`),
    `${action}: <ResponseMetadata><RequestId> should be the x-amzn-RequestId ${requestId}`);
}

/** The Credentials of an STS AssumeRole* answer as SDK credentials (for bedrockCall). */
function stsIdentity(c) {
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/**
 * One ListModelCustomizationJobs call signed with `credentials` (static or a
 * provider); checks the answer and the emulator's log entry of the call.
 * Returns the access key id the emulator saw.
 */
async function bedrockCall(credentials, region = 'us-east-1') {
  const client = new BedrockClient({ region, endpoint: ENDPOINT, credentials, maxAttempts: 1 });
  const seq = await lastSeq();
  const out = await client.send(new ListModelCustomizationJobsCommand({ maxResults: 1 }));
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.ok(Array.isArray(out.modelCustomizationJobSummaries), 'no modelCustomizationJobSummaries list');
  const entries = (await logSince(seq)).filter((e) => e.operation === 'ListModelCustomizationJobs');
  assert.equal(entries.length, 1, `one ListModelCustomizationJobs log entry expected, got ${entries.length}`);
  const [e] = entries;
  assert.equal(Number(e.status), 200);
  assert.equal(e.region, region);
  return { out, accessKey: e.access_key };
}

/** The same call, which must fail with Bedrock's ExpiredTokenException 403. */
async function bedrockExpired(credentials, region = 'us-east-1') {
  const client = new BedrockClient({ region, endpoint: ENDPOINT, credentials, maxAttempts: 1 });
  return expectError(client.send(new ListModelCustomizationJobsCommand({ maxResults: 1 })),
    { name: 'ExpiredTokenException', status: 403, base: BedrockServiceException });
}

/** Wrap a credential provider to record every identity it yields. */
function recording(provider) {
  const got = [];
  const wrapped = async (props) => {
    const c = await provider(props);
    got.push(c);
    return c;
  };
  return { provider: wrapped, got };
}

/**
 * Use a credential provider for a Bedrock call: the provider must yield
 * credentials of the expected source and the emulator must accept them.
 */
async function providerSignsBedrock(provider, prefix, what, region = 'us-east-1') {
  const rec = recording(provider);
  const { out, accessKey } = await bedrockCall(rec.provider, region);
  assert.ok(rec.got.length >= 1, `${what}: the BedrockClient never called the provider`);
  const creds = rec.got[rec.got.length - 1];
  assertIssuedIdentity(creds, prefix, what);
  assert.equal(accessKey, creds.accessKeyId, `${what}: the emulator saw another access key`);
  return { out, creds };
}

let firstJobName = null; // first us-east-1 job with the long-term credentials

const session = (s) => `conformance-${s}`;

before(async () => {
  assert.ok(ENDPOINT && PORT, 'EMULATOR_ENDPOINT/EMULATOR_PORT are not set: run this test through test/sdk/run.sh');
  await control('GET', '/_emulator/health');
  await control('POST', '/_emulator/reset');
  const { out } = await bedrockCall(LONG_TERM);
  firstJobName = out.modelCustomizationJobSummaries[0]?.jobName ?? null;
});

// ---------------------------------------------------------------------------

describe('8. STS AssumeRole', () => {
  test('bedrock-local: Credentials, Expiration and AssumedRoleUser parse; the credentials sign Bedrock', async () => {
    const sts = makeSts('us-east-1');
    const out = await sts.client.send(new AssumeRoleCommand({
      RoleArn: ROLE_LOCAL, RoleSessionName: session('local'), DurationSeconds: 900,
    }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(typeof out.$metadata.requestId, 'string', '$metadata.requestId (x-amzn-RequestId)');
    assert.ok(out.$metadata.requestId.length > 0);
    assertStsCredentials(out.Credentials, PREFIX.sts, 900, 'AssumeRole');
    assertAssumedRoleUser(out.AssumedRoleUser, ACCOUNT, 'bedrock-local', session('local'), 'AssumeRole');
    // The request was signed for the sts service.
    const raw = sts.lastRaw();
    assert.match(String(raw.requestHeaders.authorization ?? ''),
      /^AWS4-HMAC-SHA256 Credential=AKIDEMULATOREXAMPLE1\/\d{8}\/us-east-1\/sts\/aws4_request,/);
    assert.match(raw.requestBody ?? '', /^Action=AssumeRole&Version=2011-06-15&/);
    assertStsXml(raw, 'AssumeRole', out.$metadata.requestId);

    const creds = stsIdentity(out.Credentials);
    const { out: list, accessKey } = await bedrockCall(creds, 'us-east-1');
    assert.equal(accessKey, creds.accessKeyId);
    assert.equal(list.modelCustomizationJobSummaries[0]?.jobName ?? null, firstJobName,
      'the assumed role (same account) should see the same jobs as the long-term credentials');
  });

  test('default DurationSeconds (3600) and another signing region', async () => {
    const sts = makeSts('eu-west-1');
    const out = await sts.client.send(new AssumeRoleCommand({
      RoleArn: ROLE_LOCAL, RoleSessionName: session('default-duration'),
    }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assertStsCredentials(out.Credentials, PREFIX.sts, 3600, 'AssumeRole');
    assert.match(String(sts.lastRaw().requestHeaders.authorization ?? ''), /\/eu-west-1\/sts\/aws4_request,/);
    const { accessKey } = await bedrockCall(stsIdentity(out.Credentials), 'eu-west-1');
    assert.equal(accessKey, out.Credentials.AccessKeyId);
  });

  test('temporary credentials (with session token) may call AssumeRole', async () => {
    const sts = makeSts('us-west-2', TEMPORARY);
    const out = await sts.client.send(new AssumeRoleCommand({
      RoleArn: ROLE_LOCAL, RoleSessionName: session('from-temporary'), DurationSeconds: 1800,
    }));
    assertStsCredentials(out.Credentials, PREFIX.sts, 1800, 'AssumeRole');
    assert.equal(sts.lastRaw().requestHeaders['x-amz-security-token'], TEMPORARY.sessionToken);
  });

  test('issued credentials without their session token are rejected by Bedrock', async () => {
    const out = await makeSts().client.send(new AssumeRoleCommand({
      RoleArn: ROLE_LOCAL, RoleSessionName: session('no-token'), DurationSeconds: 900,
    }));
    const client = new BedrockClient({
      region: 'us-east-1',
      endpoint: ENDPOINT,
      credentials: { accessKeyId: out.Credentials.AccessKeyId, secretAccessKey: out.Credentials.SecretAccessKey },
      maxAttempts: 1,
    });
    let err;
    try {
      await client.send(new ListModelCustomizationJobsCommand({ maxResults: 1 }));
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof BedrockServiceException, `expected a 403 BedrockServiceException, got ${err}`);
    assert.equal(err.$metadata?.httpStatusCode, 403);
    assert.ok(['UnrecognizedClientException', 'InvalidSignatureException'].includes(err.name), err.name);
  });

  test('cross-account role with ExternalId', async () => {
    const sts = makeSts('us-east-1');
    const out = await sts.client.send(new AssumeRoleCommand({
      RoleArn: ROLE_CROSS, RoleSessionName: session('cross'), ExternalId: EXTERNAL_ID, DurationSeconds: 3600,
    }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assertStsCredentials(out.Credentials, PREFIX.sts, 3600, 'AssumeRole cross-account');
    assertAssumedRoleUser(out.AssumedRoleUser, CROSS_ACCOUNT, 'bedrock-cross-account', session('cross'),
      'AssumeRole cross-account');
    assert.match(sts.lastRaw().requestBody ?? '', /&ExternalId=emulator-external-id(&|$)/);
    const { accessKey } = await bedrockCall(stsIdentity(out.Credentials));
    assert.equal(accessKey, out.Credentials.AccessKeyId);
  });

  test('cross-account role without ExternalId -> AccessDenied 403', async () => {
    const sts = makeSts();
    const err = await expectError(sts.client.send(new AssumeRoleCommand({
      RoleArn: ROLE_CROSS, RoleSessionName: session('cross-no-external-id'),
    })), { name: 'AccessDenied', status: 403, base: STSServiceException, code: 'AccessDenied' });
    assert.equal(typeof err.$metadata.requestId, 'string', 'error $metadata.requestId');
    assert.match(sts.lastRaw().text, /<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/,
      'STS errors are <ErrorResponse> documents');
  });

  test('cross-account role with a wrong ExternalId -> AccessDenied 403', async () => {
    await expectError(makeSts().client.send(new AssumeRoleCommand({
      RoleArn: ROLE_CROSS, RoleSessionName: session('cross-bad-external-id'), ExternalId: 'not-the-external-id',
    })), { name: 'AccessDenied', status: 403, base: STSServiceException, code: 'AccessDenied' });
  });

  test('unknown role -> AccessDenied 403', async () => {
    await expectError(makeSts().client.send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/no-such-role`, RoleSessionName: session('unknown-role'),
    })), { name: 'AccessDenied', status: 403, base: STSServiceException, code: 'AccessDenied' });
  });

  test('DurationSeconds 7200 (above the role maximum 3600) -> ValidationError 400', async () => {
    await expectError(makeSts().client.send(new AssumeRoleCommand({
      RoleArn: ROLE_LOCAL, RoleSessionName: session('too-long'), DurationSeconds: 7200,
    })), { name: 'ValidationError', status: 400, base: STSServiceException, code: 'ValidationError' });
  });

  test('DurationSeconds 899 (below the API minimum 900) -> ValidationError 400', async () => {
    await expectError(makeSts().client.send(new AssumeRoleCommand({
      RoleArn: ROLE_LOCAL, RoleSessionName: session('too-short'), DurationSeconds: 899,
    })), { name: 'ValidationError', status: 400, base: STSServiceException, code: 'ValidationError' });
  });
});

describe('9. STS AssumeRoleWithWebIdentity', () => {
  test('valid token: unsigned request; Credentials and AssumedRoleUser parse; the credentials sign Bedrock', async () => {
    const sts = makeSts('us-east-1', null);
    const out = await sts.client.send(new AssumeRoleWithWebIdentityCommand({
      RoleArn: ROLE_WEB, RoleSessionName: session('web'), WebIdentityToken: WEB_TOKEN, DurationSeconds: 900,
    }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assertStsCredentials(out.Credentials, PREFIX.web, 900, 'AssumeRoleWithWebIdentity');
    assertAssumedRoleUser(out.AssumedRoleUser, ACCOUNT, 'bedrock-web-identity', session('web'),
      'AssumeRoleWithWebIdentity');
    const raw = sts.lastRaw();
    assert.equal(raw.requestHeaders.authorization, undefined, 'AssumeRoleWithWebIdentity must go unsigned');
    assertStsXml(raw, 'AssumeRoleWithWebIdentity', out.$metadata.requestId);
    const { accessKey } = await bedrockCall(stsIdentity(out.Credentials), 'us-west-2');
    assert.equal(accessKey, out.Credentials.AccessKeyId);
  });

  test('wrong token -> InvalidIdentityToken 400 (the SDK\'s InvalidIdentityTokenException)', async () => {
    const sts = makeSts('us-east-1', null);
    await expectError(sts.client.send(new AssumeRoleWithWebIdentityCommand({
      RoleArn: ROLE_WEB, RoleSessionName: session('web-bad'), WebIdentityToken: `${WEB_TOKEN}x`,
    })), {
      name: 'InvalidIdentityTokenException',
      status: 400,
      base: STSServiceException,
      klass: InvalidIdentityTokenException,
      code: 'InvalidIdentityToken',
    });
  });
});

describe('10. credential providers (@aws-sdk/credential-providers) sign Bedrock calls', () => {
  test('fromTemporaryCredentials (AssumeRole with master credentials)', async () => {
    const provider = fromTemporaryCredentials({
      masterCredentials: LONG_TERM,
      params: { RoleArn: ROLE_LOCAL, RoleSessionName: session('temporary'), DurationSeconds: 900 },
      clientConfig: { region: 'us-west-2', endpoint: ENDPOINT, maxAttempts: 1 },
    });
    const { out } = await providerSignsBedrock(provider, PREFIX.sts, 'fromTemporaryCredentials');
    assert.equal(out.modelCustomizationJobSummaries[0]?.jobName ?? null, firstJobName);
  });

  test('fromTemporaryCredentials with ExternalId (cross-account)', async () => {
    const provider = fromTemporaryCredentials({
      masterCredentials: LONG_TERM,
      params: { RoleArn: ROLE_CROSS, RoleSessionName: session('temporary-cross'), ExternalId: EXTERNAL_ID },
      clientConfig: { region: 'us-east-1', endpoint: ENDPOINT, maxAttempts: 1 },
    });
    await providerSignsBedrock(provider, PREFIX.sts, 'fromTemporaryCredentials cross-account');
  });

  test('fromTemporaryCredentials without ExternalId fails with AccessDenied', async () => {
    const provider = fromTemporaryCredentials({
      masterCredentials: LONG_TERM,
      params: { RoleArn: ROLE_CROSS, RoleSessionName: session('temporary-cross-denied') },
      clientConfig: { region: 'us-east-1', endpoint: ENDPOINT, maxAttempts: 1 },
    });
    // (the providers use the STS client of @aws-sdk/nested-clients, whose classes are its own)
    await expectError(provider(), { name: 'AccessDenied', status: 403, code: 'AccessDenied' });
  });

  test('fromTokenFile (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN; STS endpoint in clientConfig)', async () => {
    await withEnv({
      AWS_WEB_IDENTITY_TOKEN_FILE: WEB_TOKEN_FILE,
      AWS_ROLE_ARN: ROLE_WEB,
      AWS_ROLE_SESSION_NAME: session('token-file'),
    }, async () => {
      const provider = fromTokenFile({ clientConfig: { region: 'us-east-1', endpoint: ENDPOINT, maxAttempts: 1 } });
      const { creds } = await providerSignsBedrock(provider, PREFIX.web, 'fromTokenFile');
      assert.equal(creds.accountId, ACCOUNT, 'accountId (from AssumedRoleUser.Arn)');
    });
  });

  test('fromTokenFile with the STS endpoint from AWS_ENDPOINT_URL_STS', async () => {
    await withEnv({
      AWS_WEB_IDENTITY_TOKEN_FILE: WEB_TOKEN_FILE,
      AWS_ROLE_ARN: ROLE_WEB,
      AWS_ROLE_SESSION_NAME: session('token-file-env'),
      AWS_ENDPOINT_URL_STS: ENDPOINT,
    }, async () => {
      const provider = fromTokenFile({ clientConfig: { region: 'us-west-2', maxAttempts: 1 } });
      await providerSignsBedrock(provider, PREFIX.web, 'fromTokenFile (AWS_ENDPOINT_URL_STS)', 'us-west-2');
    });
  });

  test('fromTokenFile with a wrong token fails with InvalidIdentityTokenException', async () => {
    await withEnv({
      AWS_WEB_IDENTITY_TOKEN_FILE: BAD_WEB_TOKEN_FILE,
      AWS_ROLE_ARN: ROLE_WEB,
      AWS_ROLE_SESSION_NAME: session('token-file-bad'),
    }, async () => {
      const provider = fromTokenFile({ clientConfig: { region: 'us-east-1', endpoint: ENDPOINT, maxAttempts: 1 } });
      await expectError(provider(), {
        name: 'InvalidIdentityTokenException', status: 400, code: 'InvalidIdentityToken',
      });
    });
  });

  test('fromInstanceMetadata (IMDSv2 only, AWS_EC2_METADATA_SERVICE_ENDPOINT)', async () => {
    await withEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: ENDPOINT }, async () => {
      // ec2MetadataV1Disabled: no fallback to IMDSv1, so the token must work.
      const provider = fromInstanceMetadata({ ec2MetadataV1Disabled: true, timeout: 5000, maxRetries: 0 });
      await providerSignsBedrock(provider, PREFIX.imds, 'fromInstanceMetadata');
    });
  });

  test('fromContainerMetadata (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN)', async () => {
    await withEnv({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${PORT}/v2/credentials/conformance`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: ECS_AUTH_TOKEN,
    }, async () => {
      const provider = fromContainerMetadata({ timeout: 5000, maxRetries: 0 });
      await providerSignsBedrock(provider, PREFIX.ecs, 'fromContainerMetadata');
    });
  });

  test('fromContainerMetadata with a wrong authorization token fails', async () => {
    await withEnv({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${PORT}/v2/credentials/conformance`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'not-the-ecs-auth-token',
    }, async () => {
      const provider = fromContainerMetadata({ timeout: 5000, maxRetries: 0 });
      let err;
      try {
        await provider();
      } catch (e) {
        err = e;
      }
      assert.ok(err, 'a wrong authorization token must not yield credentials');
      assert.ok([401, 403].includes(err.statusCode), `HTTP status ${err.statusCode} (${err.message}), expected 401 or 403`);
    });
  });

  test('fromHttp (the container provider of the default chain; RFC 3339 Expiration)', async () => {
    await withEnv({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${PORT}/v2/credentials/conformance-http`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: ECS_AUTH_TOKEN,
    }, async () => {
      const provider = fromHttp({ timeout: 5000, maxRetries: 0 });
      await providerSignsBedrock(provider, PREFIX.ecs, 'fromHttp');
    });
  });

  test('fromProcess (credential_process = emuctl mint)', async () => {
    const provider = fromProcess({ profile: 'emulator-process' });
    await providerSignsBedrock(provider, PREFIX.proc, 'fromProcess');
  });

  test('fromIni: role_arn + source_profile (AssumeRole with the source profile\'s keys)', async () => {
    const provider = fromIni({
      profile: 'emulator-role',
      clientConfig: { endpoint: ENDPOINT, maxAttempts: 1 },
    });
    const { creds, out } = await providerSignsBedrock(provider, PREFIX.sts, 'fromIni role_arn');
    assert.equal(creds.accountId, ACCOUNT, 'accountId (from AssumedRoleUser.Arn)');
    assert.equal(out.modelCustomizationJobSummaries[0]?.jobName ?? null, firstJobName);
  });

  test('fromIni: role_arn + external_id (cross-account)', async () => {
    const provider = fromIni({
      profile: 'emulator-cross-account',
      clientConfig: { region: 'us-east-1', endpoint: ENDPOINT, maxAttempts: 1 },
    });
    const { creds } = await providerSignsBedrock(provider, PREFIX.sts, 'fromIni cross-account');
    assert.equal(creds.accountId, CROSS_ACCOUNT, 'accountId (from AssumedRoleUser.Arn)');
  });

  test('fromIni: cross-account role_arn without external_id fails with AccessDenied', async () => {
    const provider = fromIni({
      profile: 'emulator-cross-account-no-external-id',
      clientConfig: { region: 'us-east-1', endpoint: ENDPOINT, maxAttempts: 1 },
    });
    await expectError(provider(), { name: 'AccessDenied', status: 403 });
  });

  test('fromIni: duration_seconds = 7200 fails with ValidationError', async () => {
    const provider = fromIni({
      profile: 'emulator-role-too-long',
      clientConfig: { region: 'us-east-1', endpoint: ENDPOINT, maxAttempts: 1 },
    });
    await expectError(provider(), { name: 'ValidationError', status: 400 });
  });

  test('fromNodeProviderChain picks the container endpoint', async () => {
    await withEnv({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${PORT}/v2/credentials/conformance-chain`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: ECS_AUTH_TOKEN,
    }, async () => {
      await providerSignsBedrock(fromNodeProviderChain(), PREFIX.ecs, 'fromNodeProviderChain (container)');
    });
  });

  test('fromNodeProviderChain picks the web identity token file', async () => {
    await withEnv({
      AWS_WEB_IDENTITY_TOKEN_FILE: WEB_TOKEN_FILE,
      AWS_ROLE_ARN: ROLE_WEB,
      AWS_ROLE_SESSION_NAME: session('chain-web'),
      AWS_ENDPOINT_URL_STS: ENDPOINT,
      AWS_REGION: 'us-east-1',
    }, async () => {
      await providerSignsBedrock(fromNodeProviderChain(), PREFIX.web, 'fromNodeProviderChain (web identity)');
    });
  });

  test('fromNodeProviderChain falls back to instance metadata', async () => {
    await withEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: ENDPOINT, AWS_EC2_METADATA_V1_DISABLED: 'true' }, async () => {
      await providerSignsBedrock(fromNodeProviderChain(), PREFIX.imds, 'fromNodeProviderChain (IMDS)');
    });
  });
});

describe('11. the metadata endpoints as AWS serves them', () => {
  test('IMDSv2: token, role name, credentials document; no token -> 401', async () => {
    const tokenRes = await fetch(`${ENDPOINT}/latest/api/token`, {
      method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '300' },
    });
    assert.equal(tokenRes.status, 200, 'PUT /latest/api/token');
    const token = (await tokenRes.text()).trim();
    assert.ok(token.length > 0, 'empty IMDS token');
    const h = { 'X-aws-ec2-metadata-token': token };
    const base = `${ENDPOINT}/latest/meta-data/iam/security-credentials/`;

    const noToken = await fetch(base);
    await noToken.text();
    assert.equal(noToken.status, 401, 'IMDSv2: a metadata GET without a token is 401');

    const roles = await fetch(base, { headers: h });
    assert.equal(roles.status, 200);
    assert.equal((await roles.text()).trim(), INSTANCE_ROLE);

    const doc = await fetch(`${base}${INSTANCE_ROLE}`, { headers: h });
    assert.equal(doc.status, 200);
    const j = JSON.parse(await doc.text());
    // aws-sdk-go and botocore check Code == "Success"
    assert.equal(j.Code, 'Success');
    assert.equal(j.Type, 'AWS-HMAC');
    assertIssuedKey(j.AccessKeyId, PREFIX.imds, 'IMDS');
    for (const k of ['SecretAccessKey', 'Token', 'Expiration', 'LastUpdated']) {
      assert.equal(typeof j[k], 'string', `IMDS credentials document: ${k}`);
    }
    assert.match(j.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'IMDS Expiration (RFC 3339, UTC, seconds)');
  });

  test('mint: POST /_emulator/credentials answers credential_process JSON', async () => {
    const j = await control('POST', '/_emulator/credentials', { lifetime_s: 1200 });
    assert.equal(j.Version, 1);
    assertIssuedKey(j.AccessKeyId, PREFIX.proc, 'mint');
    assert.equal(typeof j.SecretAccessKey, 'string');
    assert.equal(typeof j.SessionToken, 'string');
    const exp = Date.parse(j.Expiration);
    assert.ok(Math.abs(exp - (Date.now() + 1200_000)) <= 120_000,
      `mint Expiration ${j.Expiration} is not now + lifetime_s (1200 s)`);
  });
});

describe('12. expired credentials', () => {
  test('minted credentials past their lifetime -> ExpiredTokenException 403', async () => {
    const j = await control('POST', '/_emulator/credentials', { lifetime_s: 1 });
    const creds = { accessKeyId: j.AccessKeyId, secretAccessKey: j.SecretAccessKey, sessionToken: j.SessionToken };
    const wait = Date.parse(j.Expiration) - Date.now() + 1100;
    assert.ok(wait <= 5000, `lifetime_s 1 gave Expiration ${j.Expiration}`);
    await new Promise((r) => setTimeout(r, Math.max(wait, 0)));
    await bedrockExpired(creds);
  });

  test('POST /_emulator/credentials/expire: issued credentials of every source fail', async () => {
    // One set of credentials from each source, all working before the expiry.
    const issued = {};
    const sts = await makeSts().client.send(new AssumeRoleCommand({
      RoleArn: ROLE_LOCAL, RoleSessionName: session('expire'), DurationSeconds: 900,
    }));
    issued.sts = {
      accessKeyId: sts.Credentials.AccessKeyId,
      secretAccessKey: sts.Credentials.SecretAccessKey,
      sessionToken: sts.Credentials.SessionToken,
    };
    const web = await makeSts('us-east-1', null).client.send(new AssumeRoleWithWebIdentityCommand({
      RoleArn: ROLE_WEB, RoleSessionName: session('expire-web'), WebIdentityToken: WEB_TOKEN,
    }));
    issued.web = {
      accessKeyId: web.Credentials.AccessKeyId,
      secretAccessKey: web.Credentials.SecretAccessKey,
      sessionToken: web.Credentials.SessionToken,
    };
    issued.imds = await withEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: ENDPOINT },
      () => fromInstanceMetadata({ ec2MetadataV1Disabled: true, timeout: 5000 })());
    issued.ecs = await withEnv({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${PORT}/v2/credentials/conformance-expire`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: ECS_AUTH_TOKEN,
    }, () => fromContainerMetadata({ timeout: 5000 })());
    issued.proc = await fromProcess({ profile: 'emulator-process' })();
    for (const [src, c] of Object.entries(issued)) {
      assertIssuedKey(c.accessKeyId, PREFIX[src], src);
      const { accessKey } = await bedrockCall({ ...c });
      assert.equal(accessKey, c.accessKeyId, `${src} before the expiry`);
    }

    await control('POST', '/_emulator/credentials/expire');

    for (const [src, c] of Object.entries(issued)) {
      const err = await bedrockExpired({ ...c });
      assert.ok(err.message.length > 0, `${src}: ExpiredTokenException without a message`);
    }
    // STS itself refuses the expired credentials as AWS does: ExpiredToken 403.
    await expectError(makeSts('us-east-1', issued.sts).client.send(new AssumeRoleCommand({
      RoleArn: ROLE_LOCAL, RoleSessionName: session('after-expire-chained'),
    })), { name: 'ExpiredToken', status: 403, base: STSServiceException, code: 'ExpiredToken' });

    // The documented fixed credentials do not expire.
    assert.equal((await bedrockCall(LONG_TERM)).accessKey, LONG_TERM.accessKeyId);
    assert.equal((await bedrockCall(TEMPORARY)).accessKey, TEMPORARY.accessKeyId);

    // Credentials issued after the expiry work.
    const fresh = await makeSts().client.send(new AssumeRoleCommand({
      RoleArn: ROLE_LOCAL, RoleSessionName: session('after-expire'), DurationSeconds: 900,
    }));
    assert.notEqual(fresh.Credentials.AccessKeyId, issued.sts.accessKeyId, 'a new AssumeRole issued the same key');
    const { accessKey } = await bedrockCall({
      accessKeyId: fresh.Credentials.AccessKeyId,
      secretAccessKey: fresh.Credentials.SecretAccessKey,
      sessionToken: fresh.Credentials.SessionToken,
    });
    assert.equal(accessKey, fresh.Credentials.AccessKeyId);
  });
});
