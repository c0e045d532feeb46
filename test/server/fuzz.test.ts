/// <reference types="node" />
/**
 * Fuzzing the signing endpoint over real HTTP on 127.0.0.1: at least 5,000 bounded random and
 * malformed requests (bad JSON, huge strings, wrong types, broken base64, non-images, unicode,
 * forged and missing tickets, odd methods, paths and headers) from a seeded generator.
 *
 * Half of the time the face-platform mock also misbehaves (503, cut JSON, dropped connections,
 * 429, latency), so that vendor faults meet the fuzzed requests.
 *
 * Expected: every answer is a JSON envelope; no 5xx except the codes a vendor causes; no request
 * hangs (each has a 15 s bound, the whole run a time budget); the server still answers after; and
 * memory does not grow: the heap after a full GC may grow by at most HEAP_GROWTH_BOUND_MB between
 * the first checkpoint (after the warm-up third) and the end.
 *
 * The seed is printed; `FUZZ_SEED=<n>` replays a run, `FUZZ_REQUESTS=<n>` changes its length.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { KIT_CODES, isKitCode, type KitCode } from '../../packages/core/src/shared/index.js';
import type { FaultSettings } from '../../packages/server/src/index.js';
import { ASTRONAUT_FACE, b64, callOp, cropJpeg, flatJpeg, samplePhoto, startStack, type Stack } from './helpers.js';

const REQUESTS = Math.max(5000, Number(process.env.FUZZ_REQUESTS ?? 5000));
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 15_000;
const RUN_BUDGET_MS = 240_000;
/** The fuzz server's body limit: small, so that bodies over it cost little to send. */
const MAX_BODY_BYTES = 1024 * 1024;
const HEAP_GROWTH_BOUND_MB = 16;
const FRESH_TICKETS = 2000;
/** 5xx codes that only a vendor (or its mock) can cause. */
const UPSTREAM_CODES: ReadonlySet<KitCode> = new Set<KitCode>(['VENDOR_UNAVAILABLE', 'VENDOR_TIMEOUT', 'VENDOR_ERROR', 'VENDOR_AUTH']);

const OPS = [
  'face.enroll', 'face.search', 'face.searchMany', 'face.compare', 'face.remove', 'face.get', 'face.quality', 'face.detect',
  'face.image', 'face.register', 'face.login', 'idPhoto.make', 'skin.analyze', 'skin.result', 'liveness.start',
  'liveness.verify', 'liveness.result', 'library.list', 'group.create', 'group.list', 'user.get', 'stats.chartByDay', 'grant.create',
];
const FIELDS = [
  'image', 'imageA', 'imageB', 'images', 'groupId', 'userId', 'personId', 'faceId', 'name', 'sex', 'birthday', 'type', 'idIccid',
  'custId', 'remark', 'spec', 'bgColor', 'size', 'fileSize', 'dpi', 'beautyDegree', 'bizToken', 'calcId', 'pageNo', 'pageSize',
  'threshold', 'maxResults', 'userType', 'lang', '__proto__', 'constructor', 'prototype', '',
];
const UNICODE = ['人脸', '😀', '\u202e', '\u0000', '\ud800', '\ufeff', 'Ω≈ç√', 'ﷺ', '\u200b', 'é', '𝕏', '\\', '"', '</script>', '%00', '../'];

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A URL cannot carry lone surrogates (encodeURIComponent throws): they become U+FFFD there. */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

interface Material {
  tickets: string[];
  /** Unused tickets of scope `*`: billable ops spend a ticket's nonce, so deep fuzzing needs fresh ones. */
  fresh: string[];
  faceBase64: string;
  flatBase64: string;
}

class Generator {
  constructor(
    private readonly random: () => number,
    private readonly material: Material,
  ) {}

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  text(maxLength: number): string {
    const length = this.int(maxLength + 1);
    let out = '';
    while (out.length < length) {
      const roll = this.random();
      if (roll < 0.6) out += String.fromCharCode(32 + this.int(95));
      else if (roll < 0.8) out += this.pick(UNICODE);
      else out += String.fromCharCode(this.int(0x3000));
    }
    return out.slice(0, length);
  }

  /** Up to 1.2 MB of one repeated piece: big to send and parse, cheap to make. */
  hugeString(): string {
    return this.pick(['A', '人', '😀', '\\u0000', 'ab']).repeat(50_000 + this.int(600_000));
  }

  brokenBase64(): string {
    const valid = this.pick([this.material.faceBase64, this.material.flatBase64]);
    switch (this.int(7)) {
      case 0:
        return valid.slice(0, this.int(valid.length));
      case 1:
        return `${valid.slice(0, 100)}!!!*${valid.slice(100)}`;
      case 2:
        return `data:image/jpeg;base64,${valid}`;
      case 3:
        return `${valid}====`;
      case 4:
        return valid.replace(/[A-M]/g, '-');
      case 5:
        return ' '.repeat(this.int(10)) + valid.slice(0, 2000) + '\n';
      default:
        return '=';
    }
  }

  /** Base64 that decodes fine but is not an image: text, random bytes, a truncated PNG. */
  nonImageBase64(): string {
    switch (this.int(4)) {
      case 0:
        return Buffer.from(this.text(300)).toString('base64');
      case 1:
        return Buffer.from(Array.from({ length: 1 + this.int(4000) }, () => this.int(256))).toString('base64');
      case 2:
        return Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64');
      default:
        return Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 200 }, () => this.int(256))]).toString('base64');
    }
  }

  value(depth = 0): unknown {
    const roll = this.int(depth > 3 ? 9 : 12);
    switch (roll) {
      case 0:
        return this.text(40);
      case 1:
        return this.pick([0, -1, 1e308, -1e-308, 2 ** 53 + 1, 3.14159, Number.MAX_SAFE_INTEGER]);
      case 2:
        return this.pick([true, false, null]);
      case 3:
        return this.brokenBase64();
      case 4:
        return this.nonImageBase64();
      case 5:
        return this.material.faceBase64;
      case 6:
        return this.pick(UNICODE).repeat(1 + this.int(50));
      case 7:
        return String(this.int(1e6));
      case 8:
        return '';
      case 9:
        return Array.from({ length: this.int(5) }, () => this.value(depth + 1));
      case 10:
        return this.object(depth + 1);
      default:
        return { [this.pick(FIELDS)]: this.value(depth + 1) };
    }
  }

  object(depth = 0): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    const count = this.int(6);
    for (let i = 0; i < count; i++) {
      // defineProperty, so that "__proto__" becomes a real key of the JSON, as an attacker sends it.
      Object.defineProperty(object, this.chance(0.85) ? this.pick(FIELDS) : this.text(20), { value: this.value(depth), enumerable: true, configurable: true, writable: true });
    }
    return object;
  }

  /** A body shaped like a real call of `op`, with one field gone wrong. */
  plausible(op: string): Record<string, unknown> {
    const body: Record<string, unknown> = { groupId: 'fuzz', image: this.material.faceBase64 };
    if (op === 'face.compare') Object.assign(body, { imageA: this.material.faceBase64, imageB: this.material.flatBase64 });
    if (op === 'face.get' || op === 'face.remove') body.userId = this.text(20);
    if (op === 'idPhoto.make') Object.assign(body, { spec: this.pick(['1', '2', 'x', '']), bgColor: this.pick(['blue', 'white', '#fff', 'rgb(']) });
    const field = this.pick(['image', 'groupId', 'imageA', 'spec', 'userId', 'pageSize']);
    body[field] = this.chance(0.5) ? this.value() : this.pick([this.brokenBase64(), this.nonImageBase64(), 42, [], {}, null]);
    return body;
  }

  nestedJson(depth: number): string {
    return '['.repeat(depth) + ']'.repeat(depth);
  }

  ticketHeader(): Record<string, string> {
    const roll = this.int(10);
    if (roll < 4 && this.material.fresh.length > 0) return { authorization: `Bearer ${this.material.fresh.pop()!}` };
    if (roll < 5) return { authorization: `Bearer ${this.pick(this.material.tickets)}` };
    if (roll === 5) return {};
    if (roll === 6) return { authorization: `Bearer ${this.pick(this.material.tickets).slice(0, -3)}abc` };
    if (roll === 7) return { authorization: `Bearer fk1.${Buffer.from(JSON.stringify({ scp: ['*'], exp: 9e9, iat: 0, jti: 'x' })).toString('base64url')}.forged` };
    if (roll === 8) return { authorization: this.pick(['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer  ', `Bearer ${this.text(200)}`]) };
    return { authorization: `Bearer ${'x'.repeat(this.int(6000))}` };
  }

  request(): FuzzRequest {
    const op = this.chance(0.9) ? this.pick(OPS) : this.pick([this.text(30), '%2e%2e%2f', 'face.', 'FACE.ENROLL', `${'a'.repeat(300)}`, '%00', '😀']);
    const path = `/v1/ops/${this.chance(0.95) ? encodeURIComponent(wellFormed(op)) : wellFormed(op)}`;
    const headers: Record<string, string> = { 'content-type': 'application/json', ...this.ticketHeader() };
    if (this.chance(0.2)) headers['idempotency-key'] = this.pick([this.text(20), 'short', 'k'.repeat(200), `fuzz-${this.int(50)}-key`]).replace(/[^\x20-\x7e]/g, '?');
    if (this.chance(0.1)) headers['accept-language'] = this.pick(['en', 'zh-CN', 'xx', '*', 'en;q=abc', 'x'.repeat(500)]);
    if (this.chance(0.1)) headers.origin = this.pick(['null', 'http://127.0.0.1', 'https://evil.invalid', 'x']);
    if (this.chance(0.05)) headers['content-type'] = this.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16']);

    const roll = this.int(100);
    if (roll < 30) return { kind: 'random object', method: 'POST', path, headers, body: JSON.stringify(this.object()) };
    if (roll < 50) return { kind: 'plausible, one field wrong', method: 'POST', path, headers, body: JSON.stringify(this.plausible(op)) };
    if (roll < 58) return { kind: 'not JSON', method: 'POST', path, headers, body: this.pick([this.text(200), '{', '{"image":', '\u0000\u0001', 'null', '"text"', '[]', '123', '{"a":1,}', "{'a':1}"]) };
    if (roll < 62) return { kind: 'binary body', method: 'POST', path, headers, body: Uint8Array.from({ length: this.int(5000) }, () => this.int(256)) };
    if (roll < 64) return { kind: 'deep nesting', method: 'POST', path, headers, body: `{"image":${this.nestedJson(100 + this.int(5000))}}` };
    if (roll < 66) return { kind: 'huge string', method: 'POST', path, headers, body: JSON.stringify({ image: this.hugeString(), name: this.hugeString().slice(0, 100_000) }) };
    if (roll < 67) return { kind: 'body over the limit', method: 'POST', path, headers, body: JSON.stringify({ image: 'A'.repeat(MAX_BODY_BYTES + this.int(200_000)) }) };
    if (roll < 70) return { kind: 'many keys', method: 'POST', path, headers, body: JSON.stringify(Object.fromEntries(Array.from({ length: 2000 + this.int(8000) }, (_, i) => [`k${i}`, i]))) };
    if (roll < 75) return { kind: 'empty body', method: 'POST', path, headers, body: '' };
    if (roll < 82) return { kind: 'other method', method: this.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']), path, headers };
    if (roll < 90) {
      const odd = this.pick([
        '/v1/ops/', '/v1/ops', '/v1/', `/v1/media/${this.text(40).replace(/[^\w-]/g, 'x')}`, '/v1/media/', `/v1/demo/ticket?scopes=${encodeURIComponent(wellFormed(this.text(30)))}`,
        `/v1/demo/ticket?ttl=${this.pick(['-1', '1e9', 'abc', '86400000'])}`, '/healthz?x=1', '/../etc/passwd', '/%2e%2e/%2e%2e/', `/${this.text(50).replace(/[^\w]/g, '')}`,
        `/v1/demo/ticket?scopes=admin`, `/v1/demo/ticket?sub=${encodeURIComponent(wellFormed(this.text(20)))}`,
      ]);
      return { kind: 'odd path', method: this.pick(['GET', 'POST']), path: odd, headers, body: undefined };
    }
    return { kind: 'unicode values', method: 'POST', path, headers, body: JSON.stringify({ groupId: this.pick(UNICODE).repeat(this.int(300)), userId: this.text(80), name: this.text(500), image: this.material.faceBase64 }) };
  }
}

interface Answer {
  status: number;
  code: string;
  json: boolean;
}

/**
 * Header values as bytes on the wire: text beyond Latin-1 is sent as its UTF-8 bytes, as a raw
 * client could; control characters, which HTTP forbids in a header, would not be sent by any.
 */
function headerBytes(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Buffer.from(value.replace(/[\x00-\x1f\x7f]/g, ' '), 'utf8').toString('latin1')]));
}

async function send(base: string, request: FuzzRequest): Promise<Answer> {
  const response = await fetch(`${base}${request.path}`, {
    method: request.method,
    headers: headerBytes(request.headers),
    body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    redirect: 'manual',
  });
  const text = await response.text();
  if (request.method === 'HEAD') return { status: response.status, code: '(head)', json: true };
  // A CORS preflight is answered without a body.
  if (request.method === 'OPTIONS' && response.status === 204 && text === '') return { status: 204, code: '(preflight)', json: true };
  try {
    const body = JSON.parse(text) as { code?: unknown; ok?: unknown };
    return { status: response.status, code: typeof body.code === 'string' ? body.code : '(no code)', json: typeof body.ok === 'boolean' };
  } catch {
    return { status: response.status, code: `(not JSON: ${text.slice(0, 40)})`, json: false };
  }
}

/** Heap in MB after a full collection (gc exposed for this process only). */
function settledHeapMb(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe('fuzzing the endpoint', { timeout: RUN_BUDGET_MS + 60_000 }, () => {
  let stack: Stack;
  let material: Material;

  before(async () => {
    stack = await startStack({ maxBodyBytes: MAX_BODY_BYTES, rateLimitPerMinute: 0, rateLimitIpPerMinute: 0 });
    const faceBase64 = b64(cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE, 70));
    const flatBase64 = b64(flatJpeg(64));
    const tickets = [
      await stack.ticket(['face.*']),
      await stack.ticket(['*']),
      await stack.ticket(['face.detect']),
      await stack.ticket(['admin', 'face.*']),
      await stack.ticket(['*'], { subject: 'fuzz-user' }),
      await stack.ticket(['*'], { ttlSeconds: 1 }),
      await stack.ticket(['*'], { origin: 'https://elsewhere.invalid' }),
    ];
    const fresh = await Promise.all(Array.from({ length: FRESH_TICKETS }, () => stack.ticket(['*'], { subject: 'fuzz-fresh', ttlSeconds: 600 })));
    material = { tickets, fresh, faceBase64, flatBase64 };
  });

  after(() => stack?.close());

  it(`answers ${REQUESTS} random and malformed requests without a crash, a hang, a 5xx of its own or memory growth`, async () => {
    const random = prng(SEED);
    const generator = new Generator(random, material);
    const counts = new Map<string, number>();
    const byKind = new Map<string, number>();
    const failures: string[] = [];
    const heap: number[] = [];
    // Heap after GC when a third, two thirds and all of the requests are answered.
    const checkpoints = [Math.floor(REQUESTS / 3), Math.floor((2 * REQUESTS) / 3), REQUESTS];
    const started = Date.now();
    let sent = 0;
    let answered = 0;
    console.log(`fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED}), ${REQUESTS} requests, ${CONCURRENCY} at a time`);

    // Requests are made in order from the seeded generator, in batches, so a seed replays the same run.
    // Part of the time the vendor misbehaves too, so that its faults meet the fuzzed requests.
    const vendorFaults: FaultSettings[] = [{ status: 503 }, { malformedJson: true }, { resetConnection: true }, { status: 429 }, { latencyMs: 300 }];
    const mock = stack.server.mocks.facePlatform!;
    while (sent < REQUESTS) {
      if (Date.now() - started > RUN_BUDGET_MS) throw new Error(`time budget spent after ${sent} requests`);
      const phase = Math.floor(sent / 250);
      if (phase % 2 === 1) mock.faults.set(vendorFaults[Math.floor(phase / 2) % vendorFaults.length]!);
      else mock.faults.clear();
      const batch = Array.from({ length: Math.min(CONCURRENCY, REQUESTS - sent) }, () => generator.request());
      sent += batch.length;
      const answers = await Promise.all(
        batch.map(async (request) => {
          try {
            return { request, answer: await send(stack.base, request) };
          } catch (error) {
            const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
            return { request, error: error instanceof Error ? `${error.name}: ${error.message}${cause}` : String(error) };
          }
        }),
      );
      for (const outcome of answers) {
        byKind.set(outcome.request.kind, (byKind.get(outcome.request.kind) ?? 0) + 1);
        const where = `${outcome.request.kind}: ${outcome.request.method} ${outcome.request.path.slice(0, 60)}`;
        if ('error' in outcome) {
          failures.push(`${where} → no answer (${outcome.error})`);
          continue;
        }
        answered++;
        const { status, code, json } = outcome.answer;
        counts.set(`${status} ${code}`, (counts.get(`${status} ${code}`) ?? 0) + 1);
        if (!json) failures.push(`${where} → HTTP ${status}, not an envelope: ${code}`);
        else if (status >= 500 && !(isKitCode(code) && UPSTREAM_CODES.has(code))) failures.push(`${where} → HTTP ${status} ${code}`);
        else if (isKitCode(code) && KIT_CODES[code].status !== status && status !== 200) failures.push(`${where} → HTTP ${status} for ${code}`);
      }
      if (heap.length < checkpoints.length && sent >= checkpoints[heap.length]!) heap.push(settledHeapMb());
    }

    mock.faults.clear();
    const table = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    console.log(`answered ${answered} of ${sent} in ${((Date.now() - started) / 1000).toFixed(1)} s; by status and code:`);
    for (const [key, count] of table) console.log(`  ${String(count).padStart(5)}  ${key}`);
    console.log(`by kind: ${[...byKind.entries()].map(([kind, count]) => `${kind} ${count}`).join(', ')}`);
    const growth = heap[2]! - heap[0]!;
    console.log(`heap after GC: ${heap.map((mb) => mb.toFixed(1)).join(' → ')} MB (growth ${growth.toFixed(1)} MB, bound ${HEAP_GROWTH_BOUND_MB} MB); rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);

    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} bad answers (seed ${SEED})`);
    assert.equal(answered, REQUESTS);
    assert.ok(growth <= HEAP_GROWTH_BOUND_MB, `heap grew ${growth.toFixed(1)} MB (seed ${SEED})`);

    // Still alive, and still right.
    const health = await fetch(`${stack.base}/healthz`, { signal: AbortSignal.timeout(5000) });
    assert.equal(health.status, 200);
    const detect = await callOp(stack.base, 'face.detect', { image: material.faceBase64 }, { ticket: await stack.ticket(['face.detect']) });
    assert.equal(detect.body.code, 'OK', JSON.stringify(detect.body));
  });
});
