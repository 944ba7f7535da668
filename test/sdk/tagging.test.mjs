// SDK conformance test of the emulator's Resource Groups Tagging API
// (test/emulator_tagging.py): GetResources (awsJson1_1, SigV4 service
// "tagging") through @aws-sdk/client-resource-groups-tagging-api and its
// paginator, with ResourceTypeFilters, TagFilters and ResourceARNList; its
// tags against ListTagsForResource through @aws-sdk/client-bedrock; a member
// account's resources through AssumeRole; the answer variants (short pages, no
// final PaginationToken) under the paginator; and the errors as the SDK's
// typed exceptions (InvalidParameterException, ThrottledException, a denied
// tag:GetResources from a fault rule).
//
// Run through ./run.sh (after the other files; it resets the emulator), which
// starts the emulator with --max-page-size 5 and the default fixtures.

import { test, describe, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import {
  BedrockClient,
  ListTagsForResourceCommand,
  paginateListModelCustomizationJobs,
} from '@aws-sdk/client-bedrock';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  GetResourcesCommand,
  InvalidParameterException,
  ResourceGroupsTaggingAPIClient,
  ResourceGroupsTaggingAPIServiceException,
  ThrottledException,
  paginateGetResources,
} from '@aws-sdk/client-resource-groups-tagging-api';

import { ENDPOINT, LONG_TERM, PORT, ROOT, captureRawExchanges, control, requestLog } from './helpers.mjs';

delete process.env.AWS_BEARER_TOKEN_BEDROCK;

const MANAGEMENT = '123456789012';
const MEMBER = '210987654321';
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const DEFAULT_VARIANTS = {
  tagging_order: 'natural', tagging_pages: 'full', tagging_end: 'empty', nulls: 'absent', rate_limit: null,
};
const cfg = (credentials = LONG_TERM, region = 'us-east-1') => ({
  region, endpoint: ENDPOINT, credentials, maxAttempts: 1,
});
const tagging = (credentials, region) => new ResourceGroupsTaggingAPIClient(cfg(credentials, region));

/** The default fixtures' jobs (python3 test/emulator.py --dump-fixtures). */
function dumpJobs() {
  const out = execFileSync('python3', [path.join(ROOT, 'test', 'emulator.py'), '--dump-fixtures'],
    { maxBuffer: 64 << 20 });
  return JSON.parse(out).jobs;
}

/** Every entry of a listing through paginateGetResources, and the number of pages. */
async function allEntries(client, input = {}, pageSize = undefined) {
  const entries = [];
  let pages = 0;
  for await (const page of paginateGetResources({ client, pageSize }, input)) {
    pages += 1;
    entries.push(...(page.ResourceTagMappingList ?? []));
    assert.ok(pages < 500, 'the paginator does not stop');
  }
  return { entries, pages };
}

const tagMap = (entries) => Object.fromEntries(
  entries.map((e) => [e.ResourceARN, e.Tags.map((t) => [t.Key, t.Value])]));

async function listTags(credentials, region, arn) {
  const client = new BedrockClient(cfg(credentials, region));
  const out = await client.send(new ListTagsForResourceCommand({ resourceARN: arn }));
  return (out.tags ?? []).map((t) => [t.key, t.value]);
}

async function assume(id) {
  const sts = new STSClient(cfg(LONG_TERM));
  const out = await sts.send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${id}:role/BedrockFdwReader`, RoleSessionName: `tagging-${id}`,
  }));
  const c = out.Credentials;
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

let jobs;

before(async () => {
  assert.ok(ENDPOINT && PORT, 'EMULATOR_ENDPOINT/EMULATOR_PORT are not set: run this test through test/sdk/run.sh');
  await control('POST', '/_emulator/reset');
  await control('POST', '/_emulator/faults', []);
  await control('POST', '/_emulator/config', DEFAULT_VARIANTS);
  jobs = dumpJobs();
});

afterEach(async () => {
  await control('POST', '/_emulator/faults', []);
  await control('POST', '/_emulator/config', DEFAULT_VARIANTS);
});

describe('GetResources through the paginator', () => {
  test('every tagged resource of each region, with the tags ListTagsForResource answers', async () => {
    await control('POST', '/_emulator/reset');
    let totalPages = 0;
    for (const region of REGIONS) {
      const client = tagging(LONG_TERM, region);
      const raw = captureRawExchanges(client);
      const { entries, pages } = await allEntries(client, {}, 7);
      totalPages += pages;
      const got = tagMap(entries);
      assert.equal(Object.keys(got).length, entries.length, `${region}: an ARN twice`);
      assert.equal(pages, Math.ceil(entries.length / 5), region);          // --max-page-size 5
      assert.deepEqual(Object.keys(got), Object.keys(got).slice().sort(), region);
      for (const [arn, tags] of Object.entries(got)) {
        assert.ok(tags.length > 0, arn);
        assert.deepEqual(tags, await listTags(LONG_TERM, region, arn), arn);
      }
      // the jobs: exactly the fixture jobs of the region that have tags
      const want = jobs.filter((j) => j.region === region && j.tags.length > 0).map((j) => j.job.jobArn).sort();
      assert.deepEqual(Object.keys(got).filter((a) => a.includes(':model-customization-job/')).sort(), want);
      // the wire: awsJson1_1 with the target header, "" ends the listing
      assert.equal(raw[0].requestHeaders['x-amz-target'], 'ResourceGroupsTaggingAPI_20170126.GetResources');
      assert.match(raw[0].requestHeaders['content-type'], /^application\/x-amz-json-1\.1/);
      assert.match(raw[0].requestHeaders.authorization, new RegExp(`/${region}/tagging/aws4_request`));
      assert.equal(JSON.parse(raw.at(-1).text).PaginationToken, '');
    }
    const log = (await requestLog()).filter((e) => e.operation === 'GetResources');
    assert.equal(log.length, totalPages);
    assert.ok(log.every((e) => e.account === MANAGEMENT && e.status === 200 && REGIONS.includes(e.region)));
    assert.deepEqual(log[0].body, { ResourcesPerPage: 7 });            // the paginator's pageSize
    assert.ok(log.slice(1).some((e) => typeof e.body.PaginationToken === 'string'));
  });

  test('ResourceTypeFilters', async () => {
    const client = tagging(LONG_TERM, 'us-east-1');
    const only = await allEntries(client, { ResourceTypeFilters: ['bedrock:model-customization-job'] });
    const want = jobs.filter((j) => j.region === 'us-east-1' && j.tags.length > 0).map((j) => j.job.jobArn).sort();
    assert.deepEqual(only.entries.map((e) => e.ResourceARN).sort(), want);
    const guardrails = await allEntries(client,
      { ResourceTypeFilters: ['bedrock:guardrail', 'bedrock:prompt-router'] });
    assert.ok(guardrails.entries.length > 0);
    assert.ok(guardrails.entries.every((e) => /:(guardrail|prompt-router)\//.test(e.ResourceARN)));
    const all = await allEntries(client, {});
    const service = await allEntries(client, { ResourceTypeFilters: ['bedrock'] });
    assert.deepEqual(tagMap(service.entries), tagMap(all.entries));
    const none = await client.send(new GetResourcesCommand({ ResourceTypeFilters: ['ec2:instance'] }));
    assert.deepEqual(none.ResourceTagMappingList, []);
    assert.equal(none.PaginationToken, '');
  });

  test('TagFilters: every filter, any of its values', async () => {
    const client = tagging(LONG_TERM, 'us-east-1');
    const all = tagMap((await allEntries(client, {})).entries);
    const teams = [...new Set(Object.values(all).flatMap((t) => t.filter(([k]) => k === 'team').map(([, v]) => v)))];
    const filters = [{ Key: 'team', Values: teams.slice(0, 2) }, { Key: 'project' }];
    const got = tagMap((await allEntries(client, { TagFilters: filters })).entries);
    const want = Object.fromEntries(Object.entries(all).filter(([, t]) =>
      t.some(([k, v]) => k === 'team' && teams.slice(0, 2).includes(v)) && t.some(([k]) => k === 'project')));
    assert.ok(Object.keys(want).length > 0);
    assert.deepEqual(got, want);
  });

  test('ResourceARNList: the tagged ones of those asked, in order, one page', async () => {
    const client = tagging(LONG_TERM, 'us-east-1');
    const all = (await allEntries(client, {})).entries.map((e) => e.ResourceARN);
    const untagged = jobs.find((j) => j.region === 'us-east-1' && j.tags.length === 0).job.jobArn;
    const ask = [all[3], all[0], untagged, 'arn:aws:s3:::no-such-bucket', all[9]];
    const out = await client.send(new GetResourcesCommand({ ResourceARNList: ask }));
    assert.deepEqual(out.ResourceTagMappingList.map((e) => e.ResourceARN), [all[3], all[0], all[9]]);
    assert.equal(out.PaginationToken, '');
  });

  test('a member account sees its own resources (AssumeRole)', async () => {
    const creds = await assume(MEMBER);
    const { entries } = await allEntries(tagging(creds, 'us-east-1'), {});
    const arns = [];
    const bedrock = new BedrockClient(cfg(creds, 'us-east-1'));
    for await (const page of paginateListModelCustomizationJobs({ client: bedrock }, {})) {
      arns.push(...page.modelCustomizationJobSummaries.map((j) => j.jobArn));
    }
    const want = {};
    for (const arn of arns) {
      const tags = await listTags(creds, 'us-east-1', arn);
      if (tags.length) want[arn] = tags;
    }
    assert.ok(Object.keys(want).length > 0);
    assert.deepEqual(tagMap(entries), want);
    assert.ok(entries.every((e) => e.ResourceARN.includes(`:${MEMBER}:`)));
    const log = (await requestLog()).filter((e) => e.operation === 'GetResources');
    assert.equal(log.at(-1).account, MEMBER);
  });
});

describe('answer variants under the paginator', () => {
  test('short pages, shuffled order and no final PaginationToken give the same resources', async () => {
    const client = tagging(LONG_TERM, 'us-east-1');
    const plain = await allEntries(client, {}, 5);
    await control('POST', '/_emulator/config',
      { tagging_order: 'shuffled', tagging_pages: 'short', tagging_end: 'absent' });
    const raw = captureRawExchanges(client);
    const varied = await allEntries(client, {}, 5);
    assert.ok(varied.pages > plain.pages, `${varied.pages} pages`);
    assert.ok(raw.some((x) => JSON.parse(x.text).ResourceTagMappingList.length === 0), 'an empty page');
    assert.ok(!('PaginationToken' in JSON.parse(raw.at(-1).text)));
    const sorted = (m) => Object.fromEntries(Object.entries(m).map(([a, t]) => [a, t.slice().sort()]).sort());
    assert.deepEqual(sorted(tagMap(varied.entries)), sorted(tagMap(plain.entries)));
    assert.notDeepEqual(varied.entries.map((e) => e.ResourceARN), plain.entries.map((e) => e.ResourceARN));
  });
});

describe('errors as the SDK decodes them', () => {
  test('InvalidParameterException', async () => {
    const client = tagging(LONG_TERM, 'us-east-1');
    const cases = [
      [{ ResourcesPerPage: 101 }, 'ResourcesPerPage must be between 1 and 100.'],
      [{ ResourceARNList: ['arn:aws:bedrock:us-east-1:123456789012:guardrail/abc'], ResourceTypeFilters: ['bedrock'] },
        "You can't specify both ResourceARNList and ResourceTypeFilters in the same request."],
      [{ PaginationToken: 'not-a-token' }, 'The specified pagination token is not valid for this request.'],
      [{ TagFilters: [{ Values: ['x'] }] }, 'Each TagFilter must contain a Key.'],
    ];
    for (const [input, message] of cases) {
      await assert.rejects(client.send(new GetResourcesCommand(input)), (e) => {
        assert.ok(e instanceof InvalidParameterException, `${e.name}: ${e.message}`);
        assert.ok(e instanceof ResourceGroupsTaggingAPIServiceException);
        assert.equal(e.$metadata.httpStatusCode, 400);
        assert.equal(e.message, message);
        assert.match(e.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
        return true;
      });
    }
  });

  test('ThrottledException under the rate limit', async () => {
    await control('POST', '/_emulator/config', { rate_limit: 1 });
    const client = tagging(LONG_TERM, 'eu-west-1');
    await client.send(new GetResourcesCommand({}));
    await assert.rejects(client.send(new GetResourcesCommand({})), (e) => {
      assert.ok(e instanceof ThrottledException, `${e.name}: ${e.message}`);
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.message, 'Rate exceeded');
      return true;
    });
  });

  test('a denied tag:GetResources (fault rule scoped to the account)', async () => {
    const creds = await assume(MEMBER);
    const message = `User: arn:aws:sts::${MEMBER}:assumed-role/BedrockFdwReader/tagging-${MEMBER} `
      + 'is not authorized to perform: tag:GetResources';
    await control('POST', '/_emulator/faults', [{
      operation: 'GetResources', account: MEMBER, status: 400, error_type: 'AccessDeniedException', message,
    }]);
    await assert.rejects(tagging(creds, 'us-east-1').send(new GetResourcesCommand({})), (e) => {
      assert.ok(e instanceof ResourceGroupsTaggingAPIServiceException, `${e.name}`);
      assert.equal(e.name, 'AccessDeniedException');
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.message, message);
      return true;
    });
    const mine = await tagging(LONG_TERM, 'us-east-1').send(new GetResourcesCommand({ ResourcesPerPage: 1 }));
    assert.equal(mine.ResourceTagMappingList.length, 1);
  });
});
