// SDK conformance test of the emulator's accounts (test/emulator_accounts.py):
// Organizations ListAccounts (awsJson1_1) through @aws-sdk/client-organizations'
// paginator, Account ListRegions (restJson1) through @aws-sdk/client-account,
// AssumeRole into each member's BedrockFdwReader role with @aws-sdk/client-sts
// and ListModelCustomizationJobs with those credentials (each account sees its
// own jobs; a disabled opt-in region refuses its keys), and the denials as the
// SDKs' typed exceptions.
//
// Run through ./run.sh (after the other files; it resets the emulator), which
// starts the emulator with --max-page-size 5 and the default organization.

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import {
  BedrockClient,
  BedrockServiceException,
  ListModelCustomizationJobsCommand,
  paginateListModelCustomizationJobs,
} from '@aws-sdk/client-bedrock';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import {
  AccessDeniedException as OrgAccessDenied,
  ListAccountsCommand,
  OrganizationsClient,
  OrganizationsServiceException,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import {
  AccessDeniedException as AccountAccessDenied,
  AccountClient,
  ListRegionsCommand,
  ValidationException as AccountValidation,
  paginateListRegions,
} from '@aws-sdk/client-account';

import { ENDPOINT, LONG_TERM, PORT, ROOT, control, requestLog } from './helpers.mjs';

delete process.env.AWS_BEARER_TOKEN_BEDROCK;

const MANAGEMENT = '123456789012';
const EXTERNAL_ID = 'emulator-org-external-id';
const reader = (id) => `arn:aws:iam::${id}:role/BedrockFdwReader`;
const cfg = (credentials, region = 'us-east-1') => ({ region, endpoint: ENDPOINT, credentials, maxAttempts: 1 });

/** The fixtures' accounts table (python3 test/emulator.py --dump-fixtures). */
function dumpAccounts() {
  const out = execFileSync('python3', [path.join(ROOT, 'test', 'emulator.py'), '--dump-fixtures'],
    { maxBuffer: 64 << 20 });
  return JSON.parse(out).accounts;
}

async function assume(id, externalId) {
  const sts = new STSClient(cfg(LONG_TERM));
  const out = await sts.send(new AssumeRoleCommand({
    RoleArn: reader(id), RoleSessionName: `accounts-${id}`, ExternalId: externalId ?? undefined,
  }));
  const c = out.Credentials;
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

async function allJobArns(credentials, region) {
  const client = new BedrockClient(cfg(credentials, region));
  const arns = [];
  for await (const page of paginateListModelCustomizationJobs({ client }, {})) {
    for (const j of page.modelCustomizationJobSummaries ?? []) arns.push(j.jobArn);
  }
  return arns;
}

let accounts;

before(async () => {
  assert.ok(ENDPOINT && PORT, 'EMULATOR_ENDPOINT/EMULATOR_PORT are not set: run this test through test/sdk/run.sh');
  await control('POST', '/_emulator/reset');
  await control('POST', '/_emulator/faults', []);
  accounts = dumpAccounts();
});

describe('Organizations ListAccounts', () => {
  test('the paginator returns every account, SUSPENDED too', async () => {
    const client = new OrganizationsClient(cfg(LONG_TERM));
    const got = [];
    let pages = 0;
    for await (const page of paginateListAccounts({ client, pageSize: 2 }, {})) {
      pages += 1;
      got.push(...page.Accounts);
    }
    assert.deepEqual(got.map((a) => a.Id), accounts.map((a) => a.id));
    assert.equal(pages, Math.ceil(accounts.length / 2));
    const suspended = got.find((a) => a.Id === '333333333333');
    assert.equal(suspended.Status, 'SUSPENDED');
    assert.equal(suspended.State, 'SUSPENDED');
    for (const a of got) {
      assert.match(a.Arn, /^arn:aws:organizations::123456789012:account\/o-[a-z0-9]{10,32}\/\d{12}$/);
      assert.ok(a.JoinedTimestamp instanceof Date && !Number.isNaN(a.JoinedTimestamp.getTime()), 'JoinedTimestamp');
      assert.ok(['INVITED', 'CREATED'].includes(a.JoinedMethod));
      assert.match(a.Email, /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
    }
    const log = (await requestLog()).filter((e) => e.operation === 'ListAccounts');
    assert.equal(log.length, pages);
    assert.ok(log.every((e) => e.account === MANAGEMENT && e.status === 200 && e.region === 'us-east-1'));
  });

  test('a member account gets AccessDeniedException', async () => {
    const creds = await assume('210987654321');
    const client = new OrganizationsClient(cfg(creds));
    await assert.rejects(client.send(new ListAccountsCommand({})), (e) => {
      assert.ok(e instanceof OrgAccessDenied, `${e.name}: ${e.message}`);
      assert.ok(e instanceof OrganizationsServiceException);
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.message, "You don't have permissions to access this resource.");
      return true;
    });
  });

  test('MaxResults above the model: InvalidInputException with its Reason', async () => {
    const client = new OrganizationsClient(cfg(LONG_TERM));
    await assert.rejects(client.send(new ListAccountsCommand({ MaxResults: 21 })), (e) => {
      assert.equal(e.name, 'InvalidInputException');
      assert.equal(e.Reason, 'MAX_VALUE_EXCEEDED');
      return true;
    });
  });
});

describe('Account ListRegions', () => {
  test('the paginator: the caller\'s regions, and a member\'s from the management', async () => {
    const client = new AccountClient(cfg(LONG_TERM));
    for (const a of accounts.filter((x) => x.status === 'ACTIVE' && x.list_regions === 'allowed')) {
      const input = a.management ? {} : { AccountId: a.id };
      const got = {};
      for await (const page of paginateListRegions({ client, pageSize: 7 }, input)) {
        for (const r of page.Regions) got[r.RegionName] = r.RegionOptStatus;
      }
      assert.deepEqual(got, a.regions, a.id);
    }
    const enabled = [];
    for await (const page of paginateListRegions({ client }, { RegionOptStatusContains: ['ENABLED'] })) {
      enabled.push(...page.Regions.map((r) => r.RegionName));
    }
    assert.deepEqual(enabled, ['ap-south-2', 'eu-central-2']);
  });

  test('denied: the SCP account, another member\'s id, the management\'s own id', async () => {
    const c111 = await assume('111111111111');
    await assert.rejects(new AccountClient(cfg(c111)).send(new ListRegionsCommand({})), (e) => {
      assert.ok(e instanceof AccountAccessDenied, `${e.name}: ${e.message}`);
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.match(e.message, /explicit deny in a service control policy/);
      return true;
    });
    const mgmt = new AccountClient(cfg(LONG_TERM));
    await assert.rejects(mgmt.send(new ListRegionsCommand({ AccountId: '111111111111' })), AccountAccessDenied);
    const c210 = await assume('210987654321');
    await assert.rejects(new AccountClient(cfg(c210)).send(new ListRegionsCommand({ AccountId: '222222222222' })),
      AccountAccessDenied);
    await assert.rejects(mgmt.send(new ListRegionsCommand({ AccountId: MANAGEMENT })), (e) => {
      assert.ok(e instanceof AccountValidation, `${e.name}: ${e.message}`);
      assert.equal(e.reason, 'fieldValidationFailed');
      assert.equal(e.fieldList[0].name, 'AccountId');
      return true;
    });
  });
});

describe('AssumeRole into each member, then Bedrock with its keys', () => {
  test('every assumable role: the account\'s own jobs in each region; disabled regions refused', async () => {
    for (const a of accounts) {
      if (!a.assumable) continue;
      const creds = await assume(a.id, a.external_id);
      for (const region of ['us-east-1', 'us-west-2', 'ap-southeast-3', 'me-central-1']) {
        const status = a.regions[region];
        if (status === 'DISABLED') {
          const client = new BedrockClient(cfg(creds, region));
          await assert.rejects(client.send(new ListModelCustomizationJobsCommand({})), (e) => {
            assert.ok(e instanceof BedrockServiceException);
            assert.equal(e.name, 'UnrecognizedClientException', `${a.id} ${region}`);
            assert.equal(e.$metadata.httpStatusCode, 403);
            return true;
          });
          continue;
        }
        const arns = await allJobArns(creds, region);
        assert.deepEqual(arns.slice().sort(), (a.jobs[region] ?? []).slice().sort(), `${a.id} ${region}`);
        for (const arn of arns) assert.ok(arn.includes(`:${a.id}:`), arn);
      }
    }
    const log = (await requestLog()).filter((e) => e.operation === 'ListModelCustomizationJobs');
    assert.ok(log.length > 0 && log.every((e) => typeof e.account === 'string'));
  });

  test('denied roles are STS AccessDenied', async () => {
    const sts = new STSClient(cfg(LONG_TERM));
    const denied = [['333333333333', undefined], ['444444444444', undefined], ['222222222222', undefined],
      ['222222222222', 'wrong-external-id']];
    for (const [id, ext] of denied) {
      await assert.rejects(sts.send(new AssumeRoleCommand({
        RoleArn: reader(id), RoleSessionName: 'accounts-denied', ExternalId: ext,
      })), (e) => {
        assert.ok(e instanceof STSServiceException, `${e.name}`);
        assert.equal(e.name, 'AccessDenied');
        assert.equal(e.$metadata.httpStatusCode, 403);
        assert.equal(e.message, `User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: `
          + `sts:AssumeRole on resource: ${reader(id)}`);
        return true;
      });
    }
  });
});
