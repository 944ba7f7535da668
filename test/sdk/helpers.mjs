// Helpers shared by the SDK conformance tests (conformance.test.mjs and
// credentials.test.mjs): where the emulator is, its documented test
// credentials, its control and request-log endpoints (/_emulator/...), and a
// middleware that keeps the raw HTTP exchanges of an SDK client so that a test
// can check the bytes on the wire beside what the SDK parsed from them.
//
// Only node built-ins are imported here: credentials.test.mjs must write its
// shared config file before any SDK code reads one.

import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------
// where the emulator is (run.sh exports EMULATOR_ENDPOINT, EMULATOR_PORT and
// EMULATOR_ROOT)

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root (for test/emulator.py and test/emuctl). */
export const ROOT = process.env.EMULATOR_ROOT || path.resolve(here, '..', '..');
export const PORT = process.env.EMULATOR_PORT
  || (process.env.EMULATOR_ENDPOINT ? new URL(process.env.EMULATOR_ENDPOINT).port : '');
export const ENDPOINT = process.env.EMULATOR_ENDPOINT || (PORT ? `http://127.0.0.1:${PORT}` : '');

// The emulator's documented test credentials (see the docstring of test/emulator.py).
export const LONG_TERM = {
  accessKeyId: 'AKIDEMULATOREXAMPLE1',
  secretAccessKey: 'emulator/Secret+Key/EXAMPLE1234567890abcdef',
};
export const TEMPORARY = {
  accessKeyId: 'ASIAEMULATOREXAMPLE2',
  secretAccessKey: 'emulator/Temp+Secret/EXAMPLE0987654321fedcba',
  sessionToken: 'emulator-session-token/EXAMPLE+token=',
};

// ---------------------------------------------------------------------------
// the emulator's control endpoints and request log

/** Call an emulator control endpoint; it must answer 2xx. Returns the parsed JSON (or null). */
export async function control(method, p, body) {
  const res = await fetch(`${ENDPOINT}${p}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${p} -> ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The emulator's log of the requests it has served. */
export async function requestLog() {
  const log = await control('GET', '/_emulator/requests');
  assert.ok(Array.isArray(log), 'GET /_emulator/requests must return a JSON array');
  return log;
}

/** The sequence number of the latest logged request (0 when the log is empty). */
export async function lastSeq() {
  return (await requestLog()).reduce((m, e) => Math.max(m, Number(e.seq) || 0), 0);
}

/** The logged requests after sequence number `seq`, oldest first. */
export async function logSince(seq) {
  return (await requestLog()).filter((e) => Number(e.seq) > seq).sort((a, b) => a.seq - b.seq);
}

// ---------------------------------------------------------------------------
// raw HTTP exchanges of an SDK client

/**
 * Record every raw HTTP exchange of an SDK `client`; returns the array the
 * records are pushed to, one per response:
 *   { statusCode, headers, text,                  (the response)
 *     path, query, requestHeaders, requestBody }  (the request; requestBody
 *                                                  only when it is a string)
 */
export function captureRawExchanges(client) {
  const raw = [];
  // Innermost middleware of the deserialize step (priority low): it sees the
  // HttpResponse before the SDK's deserializer consumes the body, buffers
  // the body and hands the bytes on to the deserializer.
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const res = result.response;
      const chunks = [];
      if (res.body != null) {
        if (res.body instanceof Uint8Array) chunks.push(res.body);
        else for await (const c of res.body) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
      }
      const bytes = new Uint8Array(Buffer.concat(chunks));
      res.body = bytes;
      raw.push({
        statusCode: res.statusCode,
        headers: res.headers,
        text: Buffer.from(bytes).toString('utf8'),
        path: args.request?.path,
        query: args.request?.query,
        requestHeaders: { ...args.request?.headers },
        requestBody: typeof args.request?.body === 'string' ? args.request.body : undefined,
      });
      return result;
    },
    { step: 'deserialize', name: 'conformanceCaptureRawBody', priority: 'low' },
  );
  return raw;
}
