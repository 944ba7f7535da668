// SDK conformance test for the local Bedrock emulator (test/emulator.py).
//
// The emulator is held to the official AWS SDK for JavaScript v3
// (@aws-sdk/client-bedrock, pinned in package.json): whatever the SDK rejects
// or cannot parse, the emulator is wrong.
//
// Run through ./run.sh, which installs the SDK, starts the emulator
// (--max-page-size 5) and exports:
//   EMULATOR_ENDPOINT  http://127.0.0.1:PORT
//   EMULATOR_ROOT      repository root (for `test/emulator.py --dump-fixtures`)
// Optional: EMULATOR_FIXTURES_FILE, a file holding the --dump-fixtures output.

import { test, describe, before, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  BedrockClient,
  BedrockServiceException,
  CustomizationType,
  GetModelCustomizationJobCommand,
  ListModelCustomizationJobsCommand,
  ListTagsForResourceCommand,
  ModelCustomizationJobStatus,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
  paginateListModelCustomizationJobs,
} from '@aws-sdk/client-bedrock';

import { ENDPOINT, LONG_TERM, ROOT, TEMPORARY, captureRawExchanges, control, lastSeq, logSince } from './helpers.mjs';

// The SDK for Bedrock also supports bearer-token auth; make sure nothing in
// the environment switches it away from SigV4.
delete process.env.AWS_BEARER_TOKEN_BEDROCK;

const EXPECTED_REGION_COUNTS = { 'us-east-1': 24, 'us-west-2': 8, 'eu-west-1': 5 };
const REGIONS = Object.keys(EXPECTED_REGION_COUNTS);
const PAGE = 5; // run.sh starts the emulator with --max-page-size 5
const STATUSES = Object.values(ModelCustomizationJobStatus);
// Keys that loadFixtures() puts beside the GetModelCustomizationJob shape of a job.
const DUMP_ONLY_KEYS = new Set(['tags', 'region']);

// ---------------------------------------------------------------------------
// helpers

/** A BedrockClient for the emulator that records every raw HTTP response. */
function makeClient(region, credentials = LONG_TERM) {
  const client = new BedrockClient({
    region,
    endpoint: ENDPOINT,
    credentials,
    maxAttempts: 1, // one request per call: keeps the request log exact
  });
  const raw = captureRawExchanges(client);
  return {
    client,
    raw,
    lastRaw() {
      assert.ok(raw.length > 0, 'raw-body middleware captured nothing');
      return raw[raw.length - 1];
    },
    lastJson() {
      const r = this.lastRaw();
      try {
        return JSON.parse(r.text);
      } catch (e) {
        assert.fail(`raw body is not JSON (${e.message}): ${r.text.slice(0, 200)}`);
      }
    },
  };
}

function stripMetadata(out) {
  const { $metadata, ...rest } = out;
  return rest;
}

/** Instant (ms since epoch) of a fixture timestamp, plus whether it has sub-ms digits. */
function fixtureInstant(v) {
  if (typeof v === 'number') return { ms: v * 1000, subMs: !Number.isInteger(v * 1000) };
  if (typeof v === 'string') {
    const m = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d:?\d\d)$/.exec(v);
    if (!m) return { ms: Date.parse(v), subMs: false };
    const [, y, mo, d, h, mi, s, frac = '', off] = m;
    let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + Number(`0.${frac || '0'}`) * 1000;
    if (!/^[Zz]$/.test(off)) {
      const sign = off[0] === '-' ? -1 : 1;
      const digits = off.slice(1).replace(':', '');
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
    }
    return { ms, subMs: frac.length > 3 };
  }
  return { ms: NaN, subMs: false };
}

/** Deep-compare an SDK-parsed value with the JSON value it should represent. */
function compareParsed(parsed, expected, where, errs) {
  if (parsed instanceof Date) {
    const { ms, subMs } = fixtureInstant(expected);
    if (Number.isNaN(ms)) {
      errs.push(`${where}: SDK gave a Date (${parsed.toISOString()}) but the expected value is ${JSON.stringify(expected)}`);
    } else if (subMs ? Math.abs(parsed.getTime() - ms) >= 1 : parsed.getTime() !== ms) {
      errs.push(`${where}: Date ${parsed.toISOString()} != fixture instant ${JSON.stringify(expected)}`);
    }
    return;
  }
  if (Array.isArray(parsed)) {
    if (!Array.isArray(expected)) {
      errs.push(`${where}: SDK gave a list, expected ${JSON.stringify(expected)}`);
      return;
    }
    if (parsed.length !== expected.length) {
      errs.push(`${where}: list length ${parsed.length} != ${expected.length}`);
    }
    for (let i = 0; i < Math.min(parsed.length, expected.length); i++) {
      compareParsed(parsed[i], expected[i], `${where}[${i}]`, errs);
    }
    return;
  }
  if (parsed !== null && typeof parsed === 'object') {
    if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) {
      errs.push(`${where}: SDK gave an object, expected ${JSON.stringify(expected)}`);
      return;
    }
    if ('$unknown' in parsed) {
      errs.push(`${where}: the SDK does not know union member ${JSON.stringify(parsed.$unknown?.[0])}`);
    }
    const keys = new Set([...Object.keys(parsed), ...Object.keys(expected)]);
    keys.delete('$unknown');
    for (const k of keys) {
      const p = parsed[k];
      const e = expected[k];
      if (p === undefined && e === undefined) continue;
      if (p === undefined) {
        errs.push(`${where}.${k}: expected ${JSON.stringify(e)} but the SDK output has no such field`);
      } else if (e === undefined) {
        errs.push(`${where}.${k}: SDK output has ${JSON.stringify(p)} but it is not expected`);
      } else {
        compareParsed(p, e, `${where}.${k}`, errs);
      }
    }
    return;
  }
  if (typeof parsed !== typeof expected) {
    errs.push(`${where}: ${typeof parsed} ${JSON.stringify(parsed)} != ${typeof expected} ${JSON.stringify(expected)}`);
  } else if (!Object.is(parsed, expected)) {
    errs.push(`${where}: ${JSON.stringify(parsed)} != ${JSON.stringify(expected)}`);
  }
}

/** Every key (at any depth) of the raw JSON must be present in the parsed output. */
function rawKeysMissing(rawVal, parsed, where, errs) {
  if (Array.isArray(rawVal)) {
    if (!Array.isArray(parsed)) {
      errs.push(`${where}: raw list not parsed as a list`);
      return;
    }
    rawVal.forEach((v, i) => rawKeysMissing(v, parsed[i], `${where}[${i}]`, errs));
    return;
  }
  if (rawVal !== null && typeof rawVal === 'object') {
    if (parsed === null || typeof parsed !== 'object' || parsed instanceof Date) {
      errs.push(`${where}: raw object not parsed as an object`);
      return;
    }
    for (const k of Object.keys(rawVal)) {
      if (parsed[k] === undefined) {
        const why = rawVal[k] === null
          ? 'raw value is null, which the SDK drops'
          : (parsed.$unknown?.[0] === k ? 'the SDK does not know this union member' : 'the SDK does not model this field');
        errs.push(`${where}.${k}: sent by the emulator (${JSON.stringify(rawVal[k])?.slice(0, 80)}) but missing from the SDK output (${why})`);
      } else {
        rawKeysMissing(rawVal[k], parsed[k], `${where}.${k}`, errs);
      }
    }
  }
}

function assertNoErrs(errs, what) {
  assert.deepEqual(errs, [], `${what}:\n  ${errs.join('\n  ')}`);
}

async function expectServiceError(promise, { name, status, klass }) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${name ?? 'an error'} (HTTP ${status}), but the call succeeded`);
  assert.ok(err instanceof BedrockServiceException,
    `expected a BedrockServiceException, got ${err?.constructor?.name}: ${err?.name}: ${err?.message}`);
  assert.equal(err.$metadata?.httpStatusCode, status,
    `HTTP status of ${err.name} (${err.message})`);
  if (name !== undefined) {
    if (Array.isArray(name)) assert.ok(name.includes(err.name), `error name ${err.name} not in ${name.join(', ')}`);
    else assert.equal(err.name, name, `error name (message: ${err.message})`);
  }
  if (klass) assert.ok(err instanceof klass, `${err.name} is not the SDK's modeled ${klass.name} class`);
  assert.equal(typeof err.message, 'string');
  assert.ok(err.message.length > 0 && err.message !== 'UnknownError',
    `error message should come from the emulator's {"message"}, got ${JSON.stringify(err.message)}`);
  return err;
}

async function listAll(client, input, pageSize = PAGE) {
  const pages = [];
  const paginator = paginateListModelCustomizationJobs(
    pageSize === undefined ? { client } : { client, pageSize }, input);
  for await (const page of paginator) {
    pages.push(page);
    assert.ok(pages.length <= 100, 'paginator did not stop after 100 pages');
  }
  const items = pages.flatMap((p) => p.modelCustomizationJobSummaries ?? []);
  return { pages, items };
}

const names = (arr) => arr.map((j) => j.jobName);
const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------
// fixtures

let FIXTURES = [];
const fixturesByRegion = {};

function loadFixtures() {
  const text = process.env.EMULATOR_FIXTURES_FILE
    ? readFileSync(process.env.EMULATOR_FIXTURES_FILE, 'utf8')
    : execFileSync('python3', [path.join(ROOT, 'test', 'emulator.py'), '--dump-fixtures'],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  // {"fixtures", "account", "jobs": [{"region", "job": <Get response>, "summary": <List
  // summary>, "tags": [{key, value}]}]}, by region, then by creation time, oldest first.
  const data = JSON.parse(text);
  assert.ok(Array.isArray(data?.jobs), '--dump-fixtures output has no "jobs" array');
  return data.jobs.map((e) => {
    assert.ok(e.job && typeof e.job === 'object', `dump entry without "job": ${JSON.stringify(e).slice(0, 200)}`);
    const job = { ...e.job, region: e.region, tags: e.tags ?? [] };
    // kept off the Get shape (see getShape) and out of for..in
    assert.ok(e.summary && typeof e.summary === 'object', `dump entry ${job.jobName} without "summary"`);
    Object.defineProperty(job, 'summary', { value: e.summary, enumerable: false });
    return job;
  });
}

/** The GetModelCustomizationJob shape of a fixture job (dump-only keys removed). */
function getShape(job) {
  const out = {};
  for (const [k, v] of Object.entries(job)) if (!DUMP_ONLY_KEYS.has(k)) out[k] = v;
  return out;
}

/** Fixture tags as a sorted [{key, value}] list (the dump may use a list or a map). */
function fixtureTags(job) {
  const t = job.tags ?? [];
  const list = Array.isArray(t)
    ? t.map((x) => ({ key: x.key ?? x.Key, value: x.value ?? x.Value }))
    : Object.entries(t).map(([key, value]) => ({ key, value }));
  return list.sort((a, b) => byName(a.key, b.key));
}

const ms = (v) => fixtureInstant(v).ms;

// Loaded synchronously at import time so that one test is registered per job.
let FIXTURE_ERROR = null;
try {
  FIXTURES = loadFixtures();
} catch (e) {
  FIXTURE_ERROR = e;
}
for (const r of REGIONS) fixturesByRegion[r] = [];
for (const j of FIXTURES) (fixturesByRegion[j.region] ??= []).push(j);

before(async () => {
  assert.ok(ENDPOINT, 'EMULATOR_ENDPOINT is not set: run this test through test/sdk/run.sh');
  await control('GET', '/_emulator/health');
  await control('POST', '/_emulator/reset');
});

// ---------------------------------------------------------------------------

describe('fixture dump', () => {
  test('--dump-fixtures has the documented regions, counts and coverage', () => {
    assert.ifError(FIXTURE_ERROR);
    for (const [r, n] of Object.entries(EXPECTED_REGION_COUNTS)) {
      assert.equal(fixturesByRegion[r]?.length, n, `fixture jobs in ${r}`);
    }
    assert.equal(FIXTURES.length, Object.values(EXPECTED_REGION_COUNTS).reduce((a, b) => a + b, 0));
    assert.equal(fixturesByRegion['us-east-1'][0].jobName, 'titan-support-ft-001');
    const statuses = new Set(FIXTURES.map((j) => j.status));
    for (const s of STATUSES) assert.ok(statuses.has(s), `no fixture job with status ${s}`);
    const types = new Set(FIXTURES.map((j) => j.customizationType));
    for (const t of Object.values(CustomizationType)) assert.ok(types.has(t), `no fixture job with customizationType ${t}`);
    for (const j of FIXTURES) {
      for (const k of ['jobArn', 'jobName', 'status', 'creationTime', 'region']) {
        assert.ok(j[k] !== undefined, `fixture job ${j.jobName ?? '?'} lacks ${k}`);
      }
    }
  });
});

describe('1. SigV4 authentication', () => {
  for (const region of REGIONS) {
    describe(region, () => {
      test('long-term credentials are accepted', async () => {
        const seq = await lastSeq();
        const c = makeClient(region, LONG_TERM);
        const out = await c.client.send(new ListModelCustomizationJobsCommand({ maxResults: 1 }));
        assert.equal(out.$metadata.httpStatusCode, 200);
        assert.ok(Array.isArray(out.modelCustomizationJobSummaries));
        const [e] = await logSince(seq);
        assert.equal(e?.access_key, LONG_TERM.accessKeyId);
        assert.equal(e?.region, region);
      });

      test('temporary credentials (with session token) are accepted', async () => {
        const seq = await lastSeq();
        const c = makeClient(region, TEMPORARY);
        const out = await c.client.send(new ListModelCustomizationJobsCommand({ maxResults: 1 }));
        assert.equal(out.$metadata.httpStatusCode, 200);
        const [e] = await logSince(seq);
        assert.equal(e?.access_key, TEMPORARY.accessKeyId);
        assert.equal(e?.region, region);
      });

      test('wrong secret key -> InvalidSignatureException 403', async () => {
        const c = makeClient(region, { ...LONG_TERM, secretAccessKey: `${LONG_TERM.secretAccessKey}x` });
        const err = await expectServiceError(
          c.client.send(new ListModelCustomizationJobsCommand({})),
          { name: 'InvalidSignatureException', status: 403 });
        assert.equal(err.$fault, 'client');
        assert.equal(err.message, c.lastJson().message, 'SDK error message = emulator {"message"}');
      });

      test('wrong secret of temporary credentials -> InvalidSignatureException 403', async () => {
        const c = makeClient(region, { ...TEMPORARY, secretAccessKey: 'not/the/right/secret' });
        await expectServiceError(
          c.client.send(new GetModelCustomizationJobCommand({ jobIdentifier: 'titan-support-ft-001' })),
          { name: 'InvalidSignatureException', status: 403 });
      });

      test('unknown access key -> UnrecognizedClientException 403', async () => {
        const c = makeClient(region, { accessKeyId: 'AKIDNOTKNOWNEXAMPLE9', secretAccessKey: LONG_TERM.secretAccessKey });
        const err = await expectServiceError(
          c.client.send(new ListModelCustomizationJobsCommand({})),
          { name: 'UnrecognizedClientException', status: 403 });
        assert.equal(err.message, c.lastJson().message, 'SDK error message = emulator {"message"}');
      });

      test('wrong session token -> 403', async () => {
        const c = makeClient(region, { ...TEMPORARY, sessionToken: `${TEMPORARY.sessionToken}wrong` });
        await expectServiceError(
          c.client.send(new ListModelCustomizationJobsCommand({})),
          { name: ['UnrecognizedClientException', 'InvalidSignatureException'], status: 403 });
      });

      test('temporary access key without its session token -> 403', async () => {
        const { sessionToken, ...noToken } = TEMPORARY;
        const c = makeClient(region, noToken);
        await expectServiceError(
          c.client.send(new ListModelCustomizationJobsCommand({})),
          { name: ['UnrecognizedClientException', 'InvalidSignatureException'], status: 403 });
      });
    });
  }
});

describe('2. ListModelCustomizationJobs through the SDK paginator', () => {
  for (const region of REGIONS) {
    describe(region, () => {
      const expectedFor = (pred) => fixturesByRegion[region].filter(pred);

      /** List with the paginator and check the set (and optionally order) of jobs. */
      async function check(input, pred, { order } = {}) {
        const c = makeClient(region);
        const { pages, items } = await listAll(c.client, input);
        // every summary field the emulator sends is parsed by the SDK
        const errs = [];
        for (const [i, r] of c.raw.entries()) {
          rawKeysMissing(JSON.parse(r.text), stripMetadata(pages[i]), `page${i}`, errs);
        }
        assertNoErrs(errs, 'raw list response fields lost by the SDK');
        for (const p of pages) assert.ok((p.modelCustomizationJobSummaries ?? []).length <= PAGE, 'page larger than maxResults');
        const got = names(items);
        assert.equal(new Set(got).size, got.length, `duplicate jobs across pages: ${got}`);
        const exp = expectedFor(pred);
        if (order) {
          const sorted = [...exp].sort((a, b) => (ms(a.creationTime) - ms(b.creationTime)) * (order === 'Ascending' ? 1 : -1));
          const times = items.map((j) => j.creationTime.getTime());
          for (let i = 1; i < times.length; i++) {
            assert.ok(order === 'Ascending' ? times[i - 1] <= times[i] : times[i - 1] >= times[i],
              `not ${order} by creationTime at position ${i}: ${got}`);
          }
          const ties = new Set(exp.map((j) => ms(j.creationTime))).size !== exp.length;
          if (ties) assert.deepEqual([...got].sort(byName), names(sorted).sort(byName));
          else assert.deepEqual(got, names(sorted), `${order} order`);
        } else {
          assert.deepEqual([...got].sort(byName), names(exp).sort(byName));
        }
        return { pages, items, exp };
      }

      test(`all jobs, maxResults ${PAGE}: count equals the fixture dump and nextToken is used`, async () => {
        const seq = await lastSeq();
        const { pages, items } = await check({}, () => true);
        const n = EXPECTED_REGION_COUNTS[region];
        assert.equal(items.length, n);
        assert.equal(pages.length, Math.max(1, Math.ceil(n / PAGE)), 'number of pages');
        if (n > PAGE) assert.ok(pages.length > 1, 'more than one page');
        assert.equal(pages.at(-1).nextToken, undefined, 'last page must have no nextToken');
        // the paginator passed each page's token on to the next request
        const log = (await logSince(seq)).filter((e) => e.operation === 'ListModelCustomizationJobs');
        assert.equal(log.length, pages.length, 'one logged request per page');
        for (let i = 1; i < pages.length; i++) {
          const tok = pages[i - 1].nextToken;
          assert.ok(tok, `page ${i - 1} must carry a nextToken`);
          assert.ok(JSON.stringify(log[i].params ?? {}).includes(JSON.stringify(tok).slice(1, -1))
            || (log[i].path ?? '').includes(encodeURIComponent(tok)),
          `request ${i} should carry nextToken ${tok}: ${JSON.stringify(log[i])}`);
        }
        // the summaries agree with the fixture jobs
        const fx = Object.fromEntries(fixturesByRegion[region].map((j) => [j.jobName, j]));
        const errs = [];
        for (const s of items) {
          const j = fx[s.jobName];
          if (!j) { errs.push(`unknown job ${s.jobName}`); continue; }
          // the SDK's parsed summary equals the dumped one, field for field
          compareParsed(s, j.summary, `summary(${s.jobName})`, errs);
        }
        assertNoErrs(errs, 'summaries vs fixture');
      });

      test('paginator without maxResults still gets every job (server page cap)', async () => {
        const c = makeClient(region);
        const { pages, items } = await listAll(c.client, {}, undefined);
        assert.equal(items.length, EXPECTED_REGION_COUNTS[region]);
        for (const p of pages) assert.ok((p.modelCustomizationJobSummaries ?? []).length <= PAGE);
      });

      for (const status of STATUSES) {
        test(`statusEquals ${status}`, async () => {
          await check({ statusEquals: status }, (j) => j.status === status);
        });
      }

      test('nameContains', async () => {
        // Pick substrings whose match set is the same case-sensitively and
        // case-insensitively, so the test does not depend on that choice.
        const jobs = fixturesByRegion[region];
        const tokens = jobs.flatMap((j) => j.jobName.split(/[-_.]/)).filter((x) => x.length >= 2);
        // nameContains is held to the JobName pattern (legacy_ft_7 is a job name outside it)
        const candidates = [...new Set([...tokens, ...jobs.map((j) => j.jobName.slice(2, 9)),
          ...jobs.map((j) => j.jobName)])].filter((x) => /^[a-zA-Z0-9][a-zA-Z0-9+\-.]*$/.test(x));
        let used = 0;
        for (const sub of candidates) {
          const cs = jobs.filter((j) => j.jobName.includes(sub));
          const ci = jobs.filter((j) => j.jobName.toLowerCase().includes(sub.toLowerCase()));
          if (cs.length === 0 || cs.length === jobs.length || cs.length !== ci.length) continue;
          await check({ nameContains: sub }, (j) => j.jobName.includes(sub));
          if (++used === 2) break;
        }
        // a substring nothing matches
        await check({ nameContains: 'zz-no-such-job-zz' }, () => false);
        assert.ok(used > 0, 'no usable nameContains substring in the fixtures');
      });

      /** A whole-second instant strictly between two distinct fixture creation times. */
      function splitTime(frac) {
        const t = [...new Set(fixturesByRegion[region].map((j) => ms(j.creationTime)))].sort((a, b) => a - b);
        const i = Math.min(t.length - 2, Math.max(0, Math.floor((t.length - 1) * frac)));
        let mid = Math.floor((t[i] + t[i + 1]) / 2000) * 1000;
        if (!(mid > t[i] && mid < t[i + 1])) mid = (t[i] + t[i + 1]) / 2;
        return new Date(mid);
      }

      test('creationTimeAfter', async () => {
        const after = splitTime(0.5);
        await check({ creationTimeAfter: after }, (j) => ms(j.creationTime) > after.getTime());
      });

      test('creationTimeBefore', async () => {
        const beforeT = splitTime(0.5);
        await check({ creationTimeBefore: beforeT }, (j) => ms(j.creationTime) < beforeT.getTime());
      });

      test('creationTimeAfter + creationTimeBefore window', async () => {
        const a = splitTime(0.2);
        const b = splitTime(0.8);
        await check({ creationTimeAfter: a, creationTimeBefore: b },
          (j) => ms(j.creationTime) > a.getTime() && ms(j.creationTime) < b.getTime());
      });

      test('creationTimeAfter/Before with millisecond precision around one job', async () => {
        const jobs = fixturesByRegion[region];
        const job = jobs[Math.floor(jobs.length / 2)];
        const t = ms(job.creationTime);
        const a = new Date(t - 1);
        const b = new Date(t + 1);
        assert.ok(a.getUTCMilliseconds() !== 0 || b.getUTCMilliseconds() !== 0, 'want a sub-second boundary');
        const { items } = await check({ creationTimeAfter: a, creationTimeBefore: b },
          (j) => ms(j.creationTime) > a.getTime() && ms(j.creationTime) < b.getTime());
        assert.ok(names(items).includes(job.jobName));
      });

      for (const order of ['Ascending', 'Descending']) {
        test(`sortBy CreationTime, sortOrder ${order}`, async () => {
          await check({ sortBy: 'CreationTime', sortOrder: order }, () => true, { order });
        });
      }

      test('statusEquals + sortOrder Ascending combined', async () => {
        const counts = {};
        for (const j of fixturesByRegion[region]) counts[j.status] = (counts[j.status] ?? 0) + 1;
        const status = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
        await check({ statusEquals: status, sortBy: 'CreationTime', sortOrder: 'Ascending' },
          (j) => j.status === status, { order: 'Ascending' });
      });
    });
  }
});

describe('3. GetModelCustomizationJob for every fixture job', () => {
  for (const region of REGIONS) {
    describe(region, () => {
      let cl;
      for (const job of fixturesByRegion[region]) {
        for (const by of ['name', 'ARN']) {
          test(`${job.jobName} by ${by}`, async () => {
            cl ??= makeClient(region);
            const out = await cl.client.send(new GetModelCustomizationJobCommand({
              jobIdentifier: by === 'name' ? job.jobName : job.jobArn,
            }));
            assert.equal(out.$metadata.httpStatusCode, 200);
            const parsed = stripMetadata(out);
            const rawJson = cl.lastJson();
            const errs = [];
            // the SDK's parsed output equals the fixture (timestamps as Dates, ...)
            compareParsed(parsed, getShape(job), job.jobName, errs);
            // every key the emulator sent survived the SDK's parser
            rawKeysMissing(rawJson, parsed, `raw(${job.jobName})`, errs);
            assertNoErrs(errs, `GetModelCustomizationJob ${job.jobName} by ${by}`);
          });
        }
      }
    });
  }
});

describe('4. ListTagsForResource for every fixture job', () => {
  for (const region of REGIONS) {
    test(`${region}: tags equal the fixture's`, async () => {
      const c = makeClient(region);
      const errs = [];
      for (const job of fixturesByRegion[region]) {
        const out = await c.client.send(new ListTagsForResourceCommand({ resourceARN: job.jobArn }));
        assert.equal(out.$metadata.httpStatusCode, 200);
        rawKeysMissing(c.lastJson(), stripMetadata(out), `raw(${job.jobName})`, errs);
        const got = (out.tags ?? []).map(({ key, value }) => ({ key, value })).sort((a, b) => byName(a.key, b.key));
        try {
          assert.deepEqual(got, fixtureTags(job));
        } catch {
          errs.push(`${job.jobName}: tags ${JSON.stringify(got)} != fixture ${JSON.stringify(fixtureTags(job))}`);
        }
      }
      assertNoErrs(errs, 'ListTagsForResource');
    });
  }
});

describe('5. validation errors', () => {
  for (const region of REGIONS) {
    describe(region, () => {
      const cases = [
        ['maxResults 0', { maxResults: 0 }],
        ['unknown statusEquals value', { statusEquals: 'Exploded' }],
        ['unknown sortOrder value', { sortOrder: 'Sideways' }],
        ['unknown sortBy value', { sortBy: 'JobName' }],
        ['garbage nextToken', { nextToken: 'not-a-token-%%%' }],
      ];
      for (const [label, input] of cases) {
        test(`${label} -> ValidationException 400`, async () => {
          const c = makeClient(region);
          const err = await expectServiceError(
            c.client.send(new ListModelCustomizationJobsCommand(input)),
            { name: 'ValidationException', status: 400, klass: ValidationException });
          assert.equal(err.message, c.lastJson().message, 'SDK error message = emulator {"message"}');
        });
      }
    });
  }
});

describe('6. unknown job -> ResourceNotFoundException 404', () => {
  for (const region of REGIONS) {
    describe(region, () => {
      test('Get by unknown name', async () => {
        const c = makeClient(region);
        await expectServiceError(
          c.client.send(new GetModelCustomizationJobCommand({ jobIdentifier: 'no-such-job-anywhere' })),
          { name: 'ResourceNotFoundException', status: 404, klass: ResourceNotFoundException });
      });

      test('Get by unknown ARN', async () => {
        const c = makeClient(region);
        await expectServiceError(
          c.client.send(new GetModelCustomizationJobCommand({
            // well-formed (the service's jobIdentifier pattern) but unknown
            jobIdentifier: `arn:aws:bedrock:${region}:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k/zzzzzzzzzzzz`,
          })),
          { name: 'ResourceNotFoundException', status: 404, klass: ResourceNotFoundException });
      });

      test("Get of another region's job by name", async () => {
        const other = fixturesByRegion[REGIONS.find((r) => r !== region)];
        const names = new Set(fixturesByRegion[region].map((j) => j.jobName));
        const foreign = other.find((j) => !names.has(j.jobName));
        assert.ok(foreign, 'no job name unique to another region');
        const c = makeClient(region);
        await expectServiceError(
          c.client.send(new GetModelCustomizationJobCommand({ jobIdentifier: foreign.jobName })),
          { name: 'ResourceNotFoundException', status: 404, klass: ResourceNotFoundException });
      });
    });
  }
});

describe('7. the emulator request log shows the SDK calls', () => {
  test('operations, regions, methods, paths, statuses and access keys', async () => {
    const seq = await lastSeq();
    const expected = [];
    for (const region of REGIONS) {
      const job = fixturesByRegion[region][0];
      const c = makeClient(region, region === 'us-west-2' ? TEMPORARY : LONG_TERM);
      const ak = region === 'us-west-2' ? TEMPORARY.accessKeyId : LONG_TERM.accessKeyId;
      const ids = [];
      const rec = (p) => p.then((o) => ids.push(o.$metadata.requestId), (e) => ids.push(e.$metadata?.requestId));
      await rec(c.client.send(new ListModelCustomizationJobsCommand({ maxResults: 2, statusEquals: job.status })));
      expected.push({ operation: 'ListModelCustomizationJobs', region, method: 'GET', status: 200, access_key: ak,
        pathPrefix: '/model-customization-jobs', params: { maxResults: '2', statusEquals: job.status } });
      await rec(c.client.send(new GetModelCustomizationJobCommand({ jobIdentifier: job.jobName })));
      expected.push({ operation: 'GetModelCustomizationJob', region, method: 'GET', status: 200, access_key: ak,
        pathPrefix: `/model-customization-jobs/${job.jobName}` });
      await rec(c.client.send(new GetModelCustomizationJobCommand({ jobIdentifier: job.jobArn })));
      expected.push({ operation: 'GetModelCustomizationJob', region, method: 'GET', status: 200, access_key: ak,
        pathPrefix: '/model-customization-jobs/' });
      await rec(c.client.send(new ListTagsForResourceCommand({ resourceARN: job.jobArn })));
      expected.push({ operation: 'ListTagsForResource', region, method: 'POST', status: 200, access_key: ak,
        pathPrefix: '/listTagsForResource' });
      await rec(c.client.send(new GetModelCustomizationJobCommand({ jobIdentifier: 'no-such-job-anywhere' })));
      expected.push({ operation: 'GetModelCustomizationJob', region, method: 'GET', status: 404, access_key: ak,
        pathPrefix: '/model-customization-jobs/no-such-job-anywhere' });
      // the SDK read each x-amzn-requestid into $metadata.requestId
      const from = expected.length - ids.length;
      ids.forEach((id, k) => { expected[from + k].requestId = id; });
    }
    const log = await logSince(seq);
    assert.equal(log.length, expected.length,
      `expected ${expected.length} new log entries, got ${log.length}: ${JSON.stringify(log.map((e) => e.operation))}`);
    const errs = [];
    log.forEach((e, i) => {
      const x = expected[i];
      for (const k of ['operation', 'region', 'method', 'access_key']) {
        if (e[k] !== x[k]) errs.push(`entry ${i} (${x.operation} ${x.region}): ${k} ${JSON.stringify(e[k])} != ${JSON.stringify(x[k])}`);
      }
      if (typeof x.requestId !== 'string' || x.requestId === '') {
        errs.push(`entry ${i} (${x.operation} ${x.region}): SDK $metadata.requestId is ${JSON.stringify(x.requestId)}`);
      } else if (e.request_id !== undefined && e.request_id !== x.requestId) {
        errs.push(`entry ${i} (${x.operation} ${x.region}): SDK requestId ${x.requestId} != logged request_id ${e.request_id}`);
      }
      if (Number(e.status) !== x.status) errs.push(`entry ${i} (${x.operation} ${x.region}): status ${e.status} != ${x.status}`);
      if (typeof e.path !== 'string' || !e.path.startsWith(x.pathPrefix)) {
        errs.push(`entry ${i} (${x.operation} ${x.region}): path ${JSON.stringify(e.path)} does not start with ${x.pathPrefix}`);
      }
      for (const [pk, pv] of Object.entries(x.params ?? {})) {
        const got = e.params?.[pk];
        const v = Array.isArray(got) ? got[0] : got;
        if (String(v) !== pv) errs.push(`entry ${i} (${x.operation} ${x.region}): params.${pk} ${JSON.stringify(got)} != ${pv}`);
      }
    });
    assertNoErrs(errs, 'request log');
  });
});

// ---------------------------------------------------------------------------
// answer variants (POST /_emulator/config) and the fixture jobs beyond the model

/** The emulator's defaults of the config members the tests below change. */
const DEFAULT_VARIANTS = { error_statuses: 'aws', error_format: 'header', nulls: 'absent', rate_limit: null };
const ERROR_FORMATS = ['header', 'type', 'code'];

/** The jobs that AWS-compatible endpoints hand out beyond the service model. */
const OFF_MODEL = {
  'ho-5': { region: 'us-west-2', jobArn: 'arn:aws:bedrock:us-west-2:123456789012:model-customization-job/ho-5', status: 'Completed' },
  'queued-ft-pending': { region: 'eu-west-1', status: 'Pending' },
  legacy_ft_7: { region: 'us-east-1', jobArn: 'arn:aws:bedrock:us-east-1:123456789012:model-customization-job/legacy_ft_7', status: 'Failed' },
};

/** A copy of a raw JSON value without its null members (the SDK drops them). */
function withoutNulls(v) {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
}

const UNKNOWN_ARN = 'arn:aws:bedrock:us-east-1:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k/zzzzzzzzzzzz';

// [label, credentials, call(client) -> promise, error name, AWS status, status under "odd",
// modeled class or undefined]
const ERROR_CASES = [
  ['Get of an unknown job', LONG_TERM,
    (cl) => cl.send(new GetModelCustomizationJobCommand({ jobIdentifier: 'no-such-job-anywhere' })),
    'ResourceNotFoundException', 404, 400, ResourceNotFoundException],
  ['tags of an unknown job', LONG_TERM, (cl) => cl.send(new ListTagsForResourceCommand({ resourceARN: UNKNOWN_ARN })),
    'ResourceNotFoundException', 404, 400, ResourceNotFoundException],
  ['unknown statusEquals', LONG_TERM, (cl) => cl.send(new ListModelCustomizationJobsCommand({ statusEquals: 'Exploded' })),
    'ValidationException', 400, 500, ValidationException],
  ['statusEquals Pending (outside the enum)', LONG_TERM,
    (cl) => cl.send(new ListModelCustomizationJobsCommand({ statusEquals: 'Pending' })),
    'ValidationException', 400, 500, ValidationException],
  ['wrong secret key', { ...LONG_TERM, secretAccessKey: 'wrong' }, (cl) => cl.send(new ListModelCustomizationJobsCommand({})),
    'InvalidSignatureException', 403, 400],
  ['unknown access key', { accessKeyId: 'AKIDNOTKNOWNEXAMPLE9', secretAccessKey: 'x' },
    (cl) => cl.send(new ListModelCustomizationJobsCommand({})), 'UnrecognizedClientException', 403, 400],
  ['rate limit', LONG_TERM, async (cl) => {
    await control('POST', '/_emulator/config', { rate_limit: 1 });    // a full bucket of 1
    await cl.send(new ListModelCustomizationJobsCommand({ maxResults: 1 }));
    return cl.send(new ListModelCustomizationJobsCommand({ maxResults: 1 }));
  }, 'ThrottlingException', 429, 400, ThrottlingException],
];

describe('8. error variants: every error_format, AWS and odd statuses', () => {
  afterEach(async () => { await control('POST', '/_emulator/config', DEFAULT_VARIANTS); });

  for (const format of ERROR_FORMATS) {
    for (const statuses of ['aws', 'odd']) {
      describe(`error_format ${format}, error_statuses ${statuses}`, () => {
        beforeEach(async () => {
          await control('POST', '/_emulator/config', { ...DEFAULT_VARIANTS, error_format: format, error_statuses: statuses });
        });

        for (const [label, credentials, call, name, aws, odd, klass] of ERROR_CASES) {
          const status = statuses === 'odd' ? odd : aws;
          test(`${label} -> ${name} ${status}`, async () => {
            const c = makeClient('us-east-1', credentials);
            const seq = await lastSeq();
            const err = await expectServiceError(call(c.client), { name, status, klass });
            // the error type reached the SDK from the one place the format puts it
            const r = c.lastRaw();
            const body = JSON.parse(r.text);
            assert.equal(r.statusCode, status);
            assert.equal(r.headers['x-amzn-errortype'] !== undefined, format === 'header', 'X-Amzn-ErrorType header');
            assert.equal(body.__type !== undefined, format === 'type', 'body __type');
            assert.equal(body.code !== undefined, format === 'code', 'body code');
            assert.equal(err.message, body.message);
            const entry = (await logSince(seq)).at(-1);
            assert.equal(entry.error_type, name);
            assert.equal(entry.status, status);
            assert.equal(entry.aws_status, statuses === 'odd' ? aws : undefined);
          });
        }
      });
    }
  }

  test('a fault rule keeps its status under odd statuses and its error_type comes in the format', async () => {
    await control('POST', '/_emulator/config', { error_statuses: 'odd', error_format: 'type' });
    await control('POST', '/_emulator/faults', [{ operation: '*', status: 429, error_type: 'ThrottlingException', times: 1 }]);
    const c = makeClient('us-east-1');
    try {
      await expectServiceError(c.client.send(new ListModelCustomizationJobsCommand({})),
        { name: 'ThrottlingException', status: 429, klass: ThrottlingException });
      assert.equal(JSON.parse(c.lastRaw().text).__type, 'com.amazon.bedrock#ThrottlingException');
    } finally {
      await control('POST', '/_emulator/faults', []);
    }
  });
});

describe('9. the fixture jobs beyond the service model', () => {
  for (const [jobName, x] of Object.entries(OFF_MODEL)) {
    describe(jobName, () => {
      const job = () => {
        const j = (fixturesByRegion[x.region] ?? []).find((f) => f.jobName === jobName);
        assert.ok(j, `${jobName} is not in the ${x.region} fixtures`);
        assert.equal(j.status, x.status);
        if (x.jobArn) assert.equal(j.jobArn, x.jobArn);
        return j;
      };

      test('ListModelCustomizationJobs returns it, unfiltered and filtered', async () => {
        const j = job();
        const c = makeClient(x.region);
        const t = ms(j.creationTime);
        const inputs = [{}, { sortOrder: 'Ascending' },
          { creationTimeAfter: new Date(t - 1), creationTimeBefore: new Date(t + 1) },
          { nameContains: jobName.split(/[_-]/)[0] }];
        if (STATUSES.includes(j.status)) inputs.push({ statusEquals: j.status });
        for (const input of inputs) {
          const { items } = await listAll(c.client, input);
          const got = items.filter((s) => s.jobArn === j.jobArn);
          assert.equal(got.length, 1, `${jobName} with ${JSON.stringify(input)}`);
          const errs = [];
          compareParsed(got[0], j.summary, `summary(${jobName})`, errs);
          assertNoErrs(errs, `List ${JSON.stringify(input)}`);
        }
      });

      test('GetModelCustomizationJob by its ARN and by its name, ListTagsForResource by its ARN', async () => {
        const j = job();
        const c = makeClient(x.region);
        for (const jobIdentifier of [j.jobArn, jobName]) {
          const out = await c.client.send(new GetModelCustomizationJobCommand({ jobIdentifier }));
          assert.equal(out.$metadata.httpStatusCode, 200);
          const errs = [];
          compareParsed(stripMetadata(out), getShape(j), jobName, errs);
          rawKeysMissing(c.lastJson(), stripMetadata(out), `raw(${jobName})`, errs);
          assertNoErrs(errs, `Get ${jobIdentifier}`);
        }
        const tags = await c.client.send(new ListTagsForResourceCommand({ resourceARN: j.jobArn }));
        assert.deepEqual((tags.tags ?? []).map(({ key, value }) => ({ key, value })).sort((a, b) => byName(a.key, b.key)),
          fixtureTags(j));
      });
    });
  }

  test('statusEquals Pending is refused with ValidationException 400', async () => {
    const c = makeClient('eu-west-1');
    await expectServiceError(c.client.send(new ListModelCustomizationJobsCommand({ statusEquals: 'Pending' })),
      { name: 'ValidationException', status: 400, klass: ValidationException });
  });
});

describe('10. nulls: optional members a job lacks sent as null', () => {
  beforeEach(async () => { await control('POST', '/_emulator/config', { ...DEFAULT_VARIANTS, nulls: 'null' }); });
  afterEach(async () => { await control('POST', '/_emulator/config', DEFAULT_VARIANTS); });

  for (const region of REGIONS) {
    test(`${region}: List and Get parse as without the nulls`, async () => {
      const c = makeClient(region);
      const { pages, items } = await listAll(c.client, {});
      assert.equal(items.length, EXPECTED_REGION_COUNTS[region]);
      assert.ok(c.raw.some((r) => r.text.includes('null')), 'the emulator sent no null');
      const errs = [];
      for (const [i, r] of c.raw.entries()) {
        rawKeysMissing(withoutNulls(JSON.parse(r.text)), stripMetadata(pages[i]), `page${i}`, errs);
      }
      const fx = Object.fromEntries(fixturesByRegion[region].map((j) => [j.jobArn, j]));
      for (const s of items) compareParsed(s, fx[s.jobArn].summary, `summary(${s.jobName})`, errs);
      for (const j of fixturesByRegion[region]) {
        const out = await c.client.send(new GetModelCustomizationJobCommand({ jobIdentifier: j.jobArn }));
        assert.ok(c.lastRaw().text.includes(':null'), `Get ${j.jobName}: no null sent`);
        compareParsed(stripMetadata(out), getShape(j), j.jobName, errs);
        rawKeysMissing(withoutNulls(c.lastJson()), stripMetadata(out), `raw(${j.jobName})`, errs);
      }
      assertNoErrs(errs, `nulls in ${region}`);
    });
  }
});
