// sdk_accounts.mjs: the SDK side of bench/accounts.sh (bench/accounts.py drives it).
//
// The same work as the FDW's list-only scan over many accounts, written with the AWS SDK for
// JavaScript v3 the way a good engineer would, with no dependency beyond the pinned
// @aws-sdk/client-sts and @aws-sdk/client-bedrock (reused from test/sdk/node_modules: run
// test/sdk/run.sh once, or `npm ci` there):
//   - one keep-alive http.Agent with maxSockets = C, shared by every client;
//   - one pool (p-limit style, written by hand) holding at most C requests in flight, across
//     AssumeRole and List alike;
//   - every account's AssumeRole (role arn:aws:iam::<id>:role/<role>, signed with the base keys)
//     submitted to the pool at once; as soon as an account's credentials arrive, one
//     BedrockClient per (account, region) and the List chain of each region starts: page after
//     page (maxResults = the FDW's page_size, nextToken), each page one pool task.
//
//   node bench/sdk_accounts.mjs --endpoint http://127.0.0.1:PORT --accounts ID,ID,...
//        [--role BedrockFdwReader] [--regions us-east-1,us-west-2] [--page-size 100]
//        [--concurrency 64] [--sts-region us-east-1]
//
// Protocol (the driver resets and reads the emulator's request log between runs): prints
// {"ready": true}; then for each line on stdin:
//   "run"   assume every role anew (cold: new credentials, new clients), then list everything
//   "warm"  list everything with the previous run's credentials and clients (no AssumeRole)
// it prints {"ms": wall ms, "assume_ms": ms until the last role was assumed (run only),
// "rows": jobs listed, "pairs": (account, region) pairs that returned jobs,
// "per_pair": {"min", "max"} jobs per pair, "requests": {"AssumeRole": n, "List": n}};
// "quit" or end of input exits.  Any failed call fails the run (and ends the process).

import { createRequire } from 'node:module';
import http from 'node:http';
import readline from 'node:readline';
import { performance } from 'node:perf_hooks';

const require = createRequire(new URL('../test/sdk/package.json', import.meta.url));
const { BedrockClient, ListModelCustomizationJobsCommand } = require('@aws-sdk/client-bedrock');
const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const { NodeHttpHandler } = require('@smithy/node-http-handler');

function args() {
  const a = {
    endpoint: '', accounts: '', role: 'BedrockFdwReader', regions: 'us-east-1,us-west-2',
    'page-size': '100', concurrency: '64', 'sts-region': 'us-east-1',
  };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i += 2) {
    const k = v[i].replace(/^--/, '');
    if (!(k in a) || i + 1 >= v.length) throw new Error(`bad argument ${v[i]}`);
    a[k] = v[i + 1];
  }
  if (!a.endpoint || !a.accounts) throw new Error('--endpoint and --accounts are required');
  return a;
}

const A = args();
const ACCOUNTS = A.accounts.split(',');
const REGIONS = A.regions.split(',');
const PAGE = Number(A['page-size']);
const C = Number(A.concurrency);
delete process.env.AWS_BEARER_TOKEN_BEDROCK;

const agent = new http.Agent({ keepAlive: true, maxSockets: C });
const requestHandler = new NodeHttpHandler({ httpAgent: agent });
const base = {
  accessKeyId: 'AKIDEMULATOREXAMPLE1',
  secretAccessKey: 'emulator/Secret+Key/EXAMPLE1234567890abcdef',
};
const sts = new STSClient({
  region: A['sts-region'], endpoint: A.endpoint, credentials: base, requestHandler,
});

/** A pool running at most `limit` tasks at once, in submission order (p-limit style). */
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
  return (fn) => new Promise((resolve, reject) => { queue.push({ fn, resolve, reject }); next(); });
}

let clients = null;     // account -> region -> BedrockClient (the last cold run's)

/** Every page of one (account, region), each page a pool task. */
async function listChain(pool, client, counts) {
  let rows = 0;
  let nextToken;
  do {
    const page = await pool(() => client.send(new ListModelCustomizationJobsCommand({
      maxResults: PAGE, nextToken,
    })));
    counts.List++;
    rows += (page.modelCustomizationJobSummaries ?? []).length;
    nextToken = page.nextToken;
  } while (nextToken);
  return rows;
}

async function runOnce(cold) {
  const pool = makePool(C);
  const counts = { AssumeRole: 0, List: 0 };
  let assumeDone = 0;
  const t0 = performance.now();
  const fresh = {};
  const perAccount = ACCOUNTS.map(async (id) => {
    let byRegion;
    if (cold) {
      const out = await pool(() => sts.send(new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${id}:role/${A.role}`, RoleSessionName: 'bedrock-fdw-bench',
      })));
      counts.AssumeRole++;
      assumeDone = performance.now();
      const c = out.Credentials;
      const credentials = {
        accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken,
        expiration: c.Expiration,
      };
      byRegion = Object.fromEntries(REGIONS.map((region) => [region, new BedrockClient({
        region, endpoint: A.endpoint, credentials, requestHandler,
      })]));
      fresh[id] = byRegion;
    } else {
      byRegion = clients[id];
    }
    return Promise.all(REGIONS.map((region) => listChain(pool, byRegion[region], counts)));
  });
  const perPair = (await Promise.all(perAccount)).flat();
  const ms = performance.now() - t0;
  if (cold) clients = fresh;
  const nonEmpty = perPair.filter((n) => n > 0);
  return {
    ms,
    assume_ms: cold ? assumeDone - t0 : null,
    rows: perPair.reduce((s, n) => s + n, 0),
    pairs: nonEmpty.length,
    per_pair: { min: Math.min(...perPair), max: Math.max(...perPair) },
    requests: counts,
  };
}

process.stdout.write(JSON.stringify({ ready: true }) + '\n');
const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  const cmd = line.trim();
  if (cmd === 'quit') break;
  if (cmd !== 'run' && cmd !== 'warm') continue;
  if (cmd === 'warm' && !clients) throw new Error('"warm" needs a "run" first');
  const r = await runOnce(cmd === 'run');
  process.stdout.write(JSON.stringify(r) + '\n');
}
rl.close();
agent.destroy();
