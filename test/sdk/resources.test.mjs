// SDK conformance test of the emulator's other Bedrock resources
// (test/emulator_resources.py): for every List and Get operation the official
// AWS SDK for JavaScript v3 (@aws-sdk/client-bedrock, pinned) signs requests
// the emulator accepts, parses every field of every answer, sends every filter
// under the wire name the emulator reads, pages with its paginators, and turns
// the emulator's errors into its typed exceptions.
//
// Run through ./run.sh (the emulator runs with --max-page-size 5).

import { test, describe, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import * as sdk from '@aws-sdk/client-bedrock';
import { BedrockClient, ListTagsForResourceCommand, ResourceNotFoundException, ValidationException } from '@aws-sdk/client-bedrock';

import { ENDPOINT, LONG_TERM, ROOT, captureRawExchanges, control, lastSeq, logSince } from './helpers.mjs';

delete process.env.AWS_BEARER_TOKEN_BEDROCK;

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const PAGE = 5;
const A = '123456789012';

// key -> how the SDK calls it: List/Get command names, result member, Get input from a record,
// the members to order by, and each filter (SDK member, wire name, value from the region's
// records, predicate on a record).
const has = (f) => (r, v) => (r.all[f] ?? null) === v;
const contains = (f) => (r, v) => typeof r.all[f] === 'string' && r.all[f].includes(v);
const isAfter = (f) => (r, v) => Date.parse(r.all[f]) > Date.parse(v);
const isBefore = (f) => (r, v) => Date.parse(r.all[f]) < Date.parse(v);
const firstOf = (f) => (recs) => recs.map((r) => r.all[f]).find((x) => x !== undefined);
const midTime = (f) => (recs) => recs.map((r) => r.all[f]).sort()[Math.floor(recs.length / 2)];
const part = (f) => (recs) => recs[0].all[f].slice(1, 4);
const timeFilters = (a, b, f) => [[a, a, midTime(f), isAfter(f)], [b, b, midTime(f), isBefore(f)]];

const RESOURCES = {
  custom_models: {
    list: 'ListCustomModels', get: 'GetCustomModel', result: 'modelSummaries', time: 'creationTime', arn: 'modelArn',
    getInput: (r) => ({ modelIdentifier: r.summary.modelName }),
    filters: [...timeFilters('creationTimeAfter', 'creationTimeBefore', 'creationTime'),
      ['nameContains', 'nameContains', part('modelName'), contains('modelName')],
      ['baseModelArnEquals', 'baseModelArnEquals', firstOf('baseModelArn'), has('baseModelArn')],
      ['isOwned', 'isOwned', () => false, (r, v) => (r.all.ownerAccountId === A) === v],
      ['modelStatus', 'modelStatus', () => 'Active', has('modelStatus')]],
  },
  provisioned_model_throughputs: {
    list: 'ListProvisionedModelThroughputs', get: 'GetProvisionedModelThroughput', result: 'provisionedModelSummaries',
    time: 'creationTime', arn: 'provisionedModelArn',
    getInput: (r) => ({ provisionedModelId: r.summary.provisionedModelName }),
    filters: [...timeFilters('creationTimeAfter', 'creationTimeBefore', 'creationTime'),
      ['statusEquals', 'statusEquals', () => 'InService', has('status')],
      ['modelArnEquals', 'modelArnEquals', firstOf('modelArn'), has('modelArn')],
      ['nameContains', 'nameContains', part('provisionedModelName'), contains('provisionedModelName')]],
  },
  model_invocation_jobs: {
    list: 'ListModelInvocationJobs', get: 'GetModelInvocationJob', result: 'invocationJobSummaries', time: 'submitTime',
    arn: 'jobArn', getInput: (r) => ({ jobIdentifier: r.summary.jobArn.split('/').pop() }),
    filters: [...timeFilters('submitTimeAfter', 'submitTimeBefore', 'submitTime'),
      ['statusEquals', 'statusEquals', () => 'Completed', has('status')],
      ['nameContains', 'nameContains', part('jobName'), contains('jobName')]],
  },
  evaluation_jobs: {
    list: 'ListEvaluationJobs', get: 'GetEvaluationJob', result: 'jobSummaries', time: 'creationTime', arn: 'jobArn',
    getInput: (r) => ({ jobIdentifier: r.summary.jobArn }),
    filters: [...timeFilters('creationTimeAfter', 'creationTimeBefore', 'creationTime'),
      ['statusEquals', 'statusEquals', () => 'Completed', has('status')],
      ['applicationTypeEquals', 'applicationTypeEquals', () => 'RagEvaluation', has('applicationType')],
      ['nameContains', 'nameContains', part('jobName'), contains('jobName')]],
  },
  imported_models: {
    list: 'ListImportedModels', get: 'GetImportedModel', result: 'modelSummaries', time: 'creationTime', arn: 'modelArn',
    getInput: (r) => ({ modelIdentifier: r.summary.modelName }),
    filters: [...timeFilters('creationTimeAfter', 'creationTimeBefore', 'creationTime'),
      ['nameContains', 'nameContains', part('modelName'), contains('modelName')]],
  },
  model_import_jobs: {
    list: 'ListModelImportJobs', get: 'GetModelImportJob', result: 'modelImportJobSummaries', time: 'creationTime',
    arn: 'jobArn', getInput: (r) => ({ jobIdentifier: r.summary.jobName }),
    filters: [...timeFilters('creationTimeAfter', 'creationTimeBefore', 'creationTime'),
      ['statusEquals', 'statusEquals', () => 'Completed', has('status')],
      ['nameContains', 'nameContains', part('jobName'), contains('jobName')]],
  },
  model_copy_jobs: {
    list: 'ListModelCopyJobs', get: 'GetModelCopyJob', result: 'modelCopyJobSummaries', time: 'creationTime',
    arn: 'jobArn', getInput: (r) => ({ jobArn: r.summary.jobArn }),
    filters: [...timeFilters('creationTimeAfter', 'creationTimeBefore', 'creationTime'),
      ['statusEquals', 'statusEquals', () => 'Completed', has('status')],
      ['sourceAccountEquals', 'sourceAccountEquals', firstOf('sourceAccountId'), has('sourceAccountId')],
      ['sourceModelArnEquals', 'sourceModelArnEquals', firstOf('sourceModelArn'), has('sourceModelArn')],
      ['targetModelNameContains', 'outputModelNameContains', part('targetModelName'), contains('targetModelName')]],
  },
  custom_model_deployments: {
    list: 'ListCustomModelDeployments', get: 'GetCustomModelDeployment', result: 'modelDeploymentSummaries',
    time: 'createdAt', arn: 'customModelDeploymentArn',
    getInput: (r) => ({ customModelDeploymentIdentifier: r.summary.customModelDeploymentName }),
    filters: [...timeFilters('createdAfter', 'createdBefore', 'createdAt'),
      ['nameContains', 'nameContains', part('customModelDeploymentName'), contains('customModelDeploymentName')],
      ['statusEquals', 'statusEquals', () => 'Active', has('status')],
      ['modelArnEquals', 'modelArnEquals', firstOf('modelArn'), has('modelArn')]],
  },
  foundation_models: {
    list: 'ListFoundationModels', get: 'GetFoundationModel', result: 'modelSummaries', time: null, arn: 'modelArn',
    getInput: (r) => ({ modelIdentifier: r.summary.modelId }), wrap: 'modelDetails',
    filters: [['byProvider', 'byProvider', () => 'anthropic', (r, v) => r.all.providerName.toLowerCase() === v],
      ['byCustomizationType', 'byCustomizationType', () => 'FINE_TUNING', (r, v) => r.all.customizationsSupported.includes(v)],
      ['byOutputModality', 'byOutputModality', () => 'TEXT', (r, v) => r.all.outputModalities.includes(v)],
      ['byInferenceType', 'byInferenceType', () => 'ON_DEMAND', (r, v) => r.all.inferenceTypesSupported.includes(v)]],
  },
  inference_profiles: {
    list: 'ListInferenceProfiles', get: 'GetInferenceProfile', result: 'inferenceProfileSummaries', time: 'createdAt',
    arn: 'inferenceProfileArn', getInput: (r) => ({ inferenceProfileIdentifier: r.summary.inferenceProfileId }),
    filters: [['typeEquals', 'type', () => 'APPLICATION', has('type')]],
  },
  guardrails: {
    list: 'ListGuardrails', get: 'GetGuardrail', result: 'guardrails', time: 'createdAt', arn: 'arn',
    getInput: (r) => ({ guardrailIdentifier: r.summary.id, guardrailVersion: r.summary.version }),
    drafts: true,
    filters: [['guardrailIdentifier', 'guardrailIdentifier', firstOf('id'), (r, v) => r.all.id === v]],
  },
  prompt_routers: {
    list: 'ListPromptRouters', get: 'GetPromptRouter', result: 'promptRouterSummaries', time: 'createdAt',
    arn: 'promptRouterArn', getInput: (r) => ({ promptRouterArn: r.summary.promptRouterArn }),
    filters: [['type', 'type', () => 'custom', has('type')]],
  },
  marketplace_model_endpoints: {
    list: 'ListMarketplaceModelEndpoints', get: 'GetMarketplaceModelEndpoint', result: 'marketplaceModelEndpoints',
    time: 'createdAt', arn: 'endpointArn', getInput: (r) => ({ endpointArn: r.summary.endpointArn }),
    wrap: 'marketplaceModelEndpoint',
    filters: [['modelSourceEquals', 'modelSourceIdentifier', firstOf('modelSourceIdentifier'), has('modelSourceIdentifier')]],
  },
};

// ---------------------------------------------------------------------------
// helpers

function client(region) {
  const c = new BedrockClient({ region, endpoint: ENDPOINT, credentials: LONG_TERM, maxAttempts: 1 });
  return { c, raw: captureRawExchanges(c) };
}

/** The SDK's parsed value must equal the JSON (Dates for timestamps), and hold every raw key. */
function same(parsed, json, where, errs) {
  if (parsed instanceof Date) {
    if (typeof json !== 'string' || parsed.getTime() !== Date.parse(json)) errs.push(`${where}: ${parsed.toISOString()} != ${json}`);
  } else if (Array.isArray(json)) {
    if (!Array.isArray(parsed) || parsed.length !== json.length) errs.push(`${where}: list ${JSON.stringify(parsed)}`);
    else json.forEach((v, i) => same(parsed[i], v, `${where}[${i}]`, errs));
  } else if (json !== null && typeof json === 'object') {
    if (parsed === null || typeof parsed !== 'object') {
      errs.push(`${where}: not an object`);
      return;
    }
    if ('$unknown' in parsed) errs.push(`${where}: unknown union member ${parsed.$unknown?.[0]}`);
    for (const k of new Set([...Object.keys(json), ...Object.keys(parsed)])) {
      if (k === '$metadata' || k === '$unknown' || (parsed[k] === undefined && json[k] === undefined)) continue;
      if (parsed[k] === undefined) errs.push(`${where}.${k}: sent but not parsed by the SDK`);
      else if (json[k] === undefined) errs.push(`${where}.${k}: parsed but not expected`);
      else same(parsed[k], json[k], `${where}.${k}`, errs);
    }
  } else if (!Object.is(parsed, json)) {
    errs.push(`${where}: ${JSON.stringify(parsed)} != ${JSON.stringify(json)}`);
  }
}

function assertSame(parsed, json, what) {
  const errs = [];
  same(parsed, json, what, errs);
  assert.deepEqual(errs, [], `${what}:\n  ${errs.join('\n  ')}`);
}

let FX;

function records(key, region) {
  const spec = RESOURCES[key];
  return FX[key].filter((r) => r.region === region).map((r) => {
    const get = spec.wrap ? r.get[spec.wrap] : r.get;
    return { ...r, all: { ...get, ...r.summary } };
  });
}

/** What the List answers: newest first (then ARN descending), as the emulator's jobs. */
function expected(key, region, keep = () => true) {
  const spec = RESOURCES[key];
  let recs = records(key, region).filter(keep);
  if (spec.time) {
    recs = recs.map((r, i) => ({ r, i })).sort((x, y) => {
      const d = Date.parse(y.r.all[spec.time]) - Date.parse(x.r.all[spec.time]);
      if (d) return d;
      const a = x.r.summary[spec.arn], b = y.r.summary[spec.arn];
      return a === b ? x.i - y.i : (a < b ? 1 : -1);
    }).map((x) => x.r);
  }
  return recs.map((r) => r.summary);
}

async function listAll(key, c, input = {}) {
  const spec = RESOURCES[key];
  const paginate = sdk[`paginate${spec.list}`];
  const items = [];
  if (!paginate) {
    const out = await c.send(new sdk[`${spec.list}Command`](input));
    return { items: out[spec.result] ?? [], pages: 1 };
  }
  let pages = 0;
  for await (const page of paginate({ client: c, pageSize: 2 }, input)) {
    pages += 1;
    assert.ok((page[spec.result] ?? []).length <= 2);
    items.push(...(page[spec.result] ?? []));
  }
  return { items, pages };
}

// ---------------------------------------------------------------------------

before(async () => {
  const out = execFileSync('python3', [path.join(ROOT, 'test', 'emulator.py'), '--dump-fixtures'], { maxBuffer: 64 << 20 });
  FX = JSON.parse(out).resources;
  assert.deepEqual(Object.keys(FX).sort(), Object.keys(RESOURCES).sort());
});

beforeEach(async () => {
  await control('POST', '/_emulator/reset');
  await control('POST', '/_emulator/config', { nulls: 'absent', error_statuses: 'aws', error_format: 'header' });
});

for (const [key, spec] of Object.entries(RESOURCES)) {
  describe(key, () => {
    test(`${spec.list}: every page, every field, in every region`, async () => {
      for (const region of REGIONS) {
        const { c, raw } = client(region);
        const seq = await lastSeq();
        const { items, pages } = await listAll(key, c);
        const keep = spec.drafts ? (r) => r.summary.version === 'DRAFT' : undefined;
        const want = expected(key, region, keep);
        assertSame(items, want, `${spec.list} ${region}`);
        const log = await logSince(seq);
        assert.equal(log.length, pages);
        for (const e of log) {
          assert.equal(e.operation, spec.list);
          assert.equal(e.region, region);
          assert.equal(e.status, 200);
        }
        if (sdk[`paginate${spec.list}`]) {
          assert.equal(pages, Math.max(1, Math.ceil(want.length / 2)));
          if (pages > 1) assert.match(log[1].params.nextToken, /[+/=]/);
          assert.equal(log[0].params.maxResults, '2');
        } else {
          assert.equal(pages, 1);
          assert.equal(JSON.parse(raw[0].text).nextToken, undefined);
        }
      }
    });

    test(`${spec.get}: every record, every field`, async () => {
      for (const region of REGIONS) {
        const { c, raw } = client(region);
        for (const r of records(key, region)) {
          const out = await c.send(new sdk[`${spec.get}Command`](spec.getInput(r)));
          const { $metadata, ...parsed } = out;
          assert.equal($metadata.httpStatusCode, 200);
          assertSame(parsed, r.get, `${spec.get} ${r.summary[spec.arn]}`);
          assert.deepEqual(JSON.parse(raw[raw.length - 1].text), r.get);
        }
      }
    });

    test(`${spec.list}: every filter, under its wire name`, async () => {
      for (const region of REGIONS) {
        const { c } = client(region);
        const recs = records(key, region);
        for (const [member, wire, pick, pred] of spec.filters) {
          const value = pick(recs);
          if (value === undefined) continue;
          const seq = await lastSeq();
          const { items } = await listAll(key, c, { [member]: value });
          const keep = spec.drafts && member !== 'guardrailIdentifier'
            ? (r) => r.summary.version === 'DRAFT' && pred(r, value) : (r) => pred(r, value);
          assertSame(items, expected(key, region, keep), `${spec.list} ${region} ${member}=${value}`);
          const [first] = await logSince(seq);
          const sent = first.params[wire];
          assert.ok(sent !== undefined, `${member} not sent as ${wire}: ${JSON.stringify(first.params)}`);
          if (typeof value === 'string' && !member.endsWith('After') && !member.endsWith('Before')
            && !member.startsWith('created')) assert.equal(sent, value);
        }
      }
    });

    test(`${spec.list} and ${spec.get}: typed errors`, async () => {
      const { c } = client('us-east-1');
      const [member, , pick] = spec.filters.find(([m]) => /Equals$|^modelStatus$|^type$|^by(Customization|Output|Inference)/.test(m))
        ?? [null];
      if (member) {
        await assert.rejects(c.send(new sdk[`${spec.list}Command`]({ [member]: pick([]) === undefined ? 'x' : 'NotAValue!' })),
          (e) => e instanceof ValidationException && e.$metadata.httpStatusCode === 400);
      }
      if (sdk[`paginate${spec.list}`]) {
        await assert.rejects(c.send(new sdk[`${spec.list}Command`]({ maxResults: 1001 })),
          (e) => e instanceof ValidationException && /less than or equal to 1000/.test(e.message));
      }
      // a record of another region: 404
      const other = records(key, 'us-west-2')[0];
      const here = records(key, 'us-east-1').map((r) => r.summary[spec.arn]);
      if (!here.includes(other.summary[spec.arn])) {
        const input = spec.getInput(other);
        const arnInput = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, k === 'guardrailVersion' ? v : other.summary[spec.arn]]));
        await assert.rejects(c.send(new sdk[`${spec.get}Command`](arnInput)),
          (e) => e instanceof ResourceNotFoundException && e.$metadata.httpStatusCode === 404);
      }
    });

    test('ListTagsForResource', async () => {
      for (const region of REGIONS) {
        const { c } = client(region);
        for (const r of records(key, region)) {
          const arn = r.summary[spec.arn];
          if (r.tags === null) {
            await assert.rejects(c.send(new ListTagsForResourceCommand({ resourceARN: arn })),
              (e) => e instanceof ValidationException && e.$metadata.httpStatusCode === 400);
          } else {
            const out = await c.send(new ListTagsForResourceCommand({ resourceARN: arn }));
            assert.deepEqual(out.tags, r.tags);
          }
        }
      }
    });
  });
}

test('nulls "null": the SDK takes null optional members of every List and Get', async () => {
  await control('POST', '/_emulator/config', { nulls: 'null' });
  try {
    let nulls = 0;
    for (const [key, spec] of Object.entries(RESOURCES)) {
      const { c, raw } = client('us-east-1');
      const { items } = await listAll(key, c);
      assert.ok(items.length > 0);
      nulls += raw.filter((x) => x.text.includes(':null')).length;
      const r = records(key, 'us-east-1')[0];
      const out = await c.send(new sdk[`${spec.get}Command`](spec.getInput(r)));
      const { $metadata, ...parsed } = out;
      assertSame(parsed, r.get, `${spec.get} with nulls`);
      nulls += raw.filter((x) => x.text.includes(':null')).length;
    }
    assert.ok(nulls >= 13, `only ${nulls} answers held a null`);
  } finally {
    await control('POST', '/_emulator/config', { nulls: 'absent' });
  }
});

test('odd error statuses and formats come back as the typed exceptions', async () => {
  await control('POST', '/_emulator/config', { error_statuses: 'odd', error_format: 'type' });
  try {
    const { c } = client('us-east-1');
    await assert.rejects(c.send(new sdk.GetCustomModelCommand({ modelIdentifier: 'no-such-model' })),
      (e) => e instanceof ResourceNotFoundException && e.$metadata.httpStatusCode === 400);
    await assert.rejects(c.send(new sdk.ListProvisionedModelThroughputsCommand({ statusEquals: 'Deleting' })),
      (e) => e instanceof ValidationException && e.$metadata.httpStatusCode === 500);
  } finally {
    await control('POST', '/_emulator/config', { error_statuses: 'aws', error_format: 'header' });
  }
});
