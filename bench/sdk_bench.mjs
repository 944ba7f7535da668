// sdk_bench.mjs: the benchmark's SDK side (bench/benchmark.py drives it).
//
// The same work as each FDW case, written with the AWS SDK for JavaScript v3 the way a good
// engineer would: @aws-sdk/client-bedrock as pinned in test/sdk/package-lock.json (reused from
// test/sdk/node_modules: run test/sdk/run.sh once, or `npm ci` there), one keep-alive
// http.Agent with maxSockets = C shared by the clients of every region, the SDK's paginator for
// List (pageSize = the FDW's page_size), every region in parallel, and a pool of C concurrent
// Get/Tags calls fed as soon as each page arrives.
//
//   node bench/sdk_bench.mjs --endpoint http://127.0.0.1:PORT --case CASE
//        [--page-size 100] [--concurrency 16] [--regions us-east-1,us-west-2]
//        [--status Failed] [--arn ARN] [--limit 10]
//
// Cases:
//   list        List every page of every region (summaries only)
//   star        list + GetModelCustomizationJob and ListTagsForResource for every job
//   status      list with statusEquals=STATUS
//   point       one GetModelCustomizationJob by ARN (in the ARN's region)
//   point_star  GetModelCustomizationJob and ListTagsForResource by ARN, in parallel
//   top10       per region the first page of List sortBy=CreationTime sortOrder=Descending
//               maxResults=LIMIT, merged, newest LIMIT
// (benchmark.py's star_tags_api runs star here: the SDK reads tags per job; its warm_get cases
// have no SDK side, as the SDK keeps no answers between runs.)
//
// Protocol (so that the driver can reset and read the emulator's request log between runs):
// prints {"ready": true}, then for each line "run" on stdin runs the case once and prints
// {"ms": wall milliseconds, "rows": n, "arns": [...first 20 job ARNs in result order]};
// "quit" or end of input exits.

import { createRequire } from 'node:module';
import http from 'node:http';
import readline from 'node:readline';
import { performance } from 'node:perf_hooks';

const require = createRequire(new URL('../test/sdk/package.json', import.meta.url));
const {
  BedrockClient,
  GetModelCustomizationJobCommand,
  ListModelCustomizationJobsCommand,
  ListTagsForResourceCommand,
  paginateListModelCustomizationJobs,
} = require('@aws-sdk/client-bedrock');
const { NodeHttpHandler } = require('@smithy/node-http-handler');

function args() {
  const a = {
    endpoint: '', case: '', 'page-size': '100', concurrency: '16',
    regions: 'us-east-1,us-west-2', status: 'Failed', arn: '', limit: '10',
  };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i += 2) {
    const k = v[i].replace(/^--/, '');
    if (!(k in a) || i + 1 >= v.length) throw new Error(`bad argument ${v[i]}`);
    a[k] = v[i + 1];
  }
  if (!a.endpoint || !a.case) throw new Error('--endpoint and --case are required');
  return a;
}

const A = args();
const PAGE = Number(A['page-size']);
const C = Number(A.concurrency);
const LIMIT = Number(A.limit);
const REGIONS = A.regions.split(',');
delete process.env.AWS_BEARER_TOKEN_BEDROCK;

const agent = new http.Agent({ keepAlive: true, maxSockets: C });
const requestHandler = new NodeHttpHandler({ httpAgent: agent });
const credentials = {
  accessKeyId: 'AKIDEMULATOREXAMPLE1',
  secretAccessKey: 'emulator/Secret+Key/EXAMPLE1234567890abcdef',
};
const clients = Object.fromEntries(REGIONS.map((region) => [region, new BedrockClient({
  region, endpoint: A.endpoint, credentials, requestHandler,
})]));

/** A pool running at most `limit` tasks at once, in submission order. */
function makePool(limit) {
  let active = 0;
  const queue = [];
  const next = () => {
    while (active < limit && queue.length > 0) {
      const { fn, resolve, reject } = queue.shift();
      active++;
      fn().then(resolve, reject).finally(() => { active--; next(); });
    }
  };
  return (fn) => {
    const p = new Promise((resolve, reject) => { queue.push({ fn, resolve, reject }); next(); });
    p.catch(() => {});        // awaited later with Promise.all; no unhandled-rejection crash
    return p;
  };
}

/** List every page of every region in parallel; onJob(region, summary) for each job. */
async function listAll(input, onJob) {
  const rows = [];
  await Promise.all(REGIONS.map(async (region) => {
    const client = clients[region];
    for await (const page of paginateListModelCustomizationJobs({ client, pageSize: PAGE }, { ...input })) {
      for (const s of page.modelCustomizationJobSummaries ?? []) {
        const row = { region, summary: s };
        rows.push(row);
        if (onJob) onJob(row);
      }
    }
  }));
  return rows;
}

function arnRegion(arn) {
  return arn.split(':')[3];
}

const CASES = {
  async list() {
    return listAll({});
  },
  async status() {
    return listAll({ statusEquals: A.status });
  },
  async star() {
    const pool = makePool(C);
    const tasks = [];
    const rows = await listAll({}, (row) => {
      const client = clients[row.region];
      const arn = row.summary.jobArn;
      tasks.push(pool(() => client.send(new GetModelCustomizationJobCommand({ jobIdentifier: arn }))
        .then((g) => { row.job = g; })));
      tasks.push(pool(() => client.send(new ListTagsForResourceCommand({ resourceARN: arn }))
        .then((t) => { row.tags = t.tags; })));
    });
    await Promise.all(tasks);
    return rows;
  },
  async point() {
    const client = clients[arnRegion(A.arn)];
    const job = await client.send(new GetModelCustomizationJobCommand({ jobIdentifier: A.arn }));
    return [{ summary: { jobArn: job.jobArn }, job }];
  },
  async point_star() {
    const client = clients[arnRegion(A.arn)];
    const [job, tags] = await Promise.all([
      client.send(new GetModelCustomizationJobCommand({ jobIdentifier: A.arn })),
      client.send(new ListTagsForResourceCommand({ resourceARN: A.arn })),
    ]);
    return [{ summary: { jobArn: job.jobArn }, job, tags: tags.tags }];
  },
  async top10() {
    const pages = await Promise.all(REGIONS.map((region) => clients[region].send(
      new ListModelCustomizationJobsCommand({
        sortBy: 'CreationTime', sortOrder: 'Descending', maxResults: LIMIT,
      }))));
    const all = pages.flatMap((p) => p.modelCustomizationJobSummaries ?? []);
    all.sort((a, b) => b.creationTime - a.creationTime);
    return all.slice(0, LIMIT).map((s) => ({ summary: s }));
  },
};

const run = CASES[A.case];
if (!run) throw new Error(`unknown case ${A.case}`);

process.stdout.write(JSON.stringify({ ready: true }) + '\n');
const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  const cmd = line.trim();
  if (cmd === 'quit') break;
  if (cmd !== 'run') continue;
  const t0 = performance.now();
  const rows = await run();
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({
    ms, rows: rows.length, arns: rows.slice(0, 20).map((r) => r.summary.jobArn),
  }) + '\n');
}
rl.close();
agent.destroy();
