/// <reference types="node" />
/**
 * The endpoint's hardening: CORS allowlist, body limit, image checks, vendor retries,
 * idempotency keys, rate limits, the request log and request ids. Over real HTTP against the
 * face-platform mock where the transport matters, through app.fetch where it does not.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { KIT_CODES, type KitCode } from '../../packages/core/src/shared/index.js';
import {
  EndpointError,
  MemoryStateStore,
  checkImage,
  createApp,
  defineOp,
  maskIdNumber,
  mintTicket,
  redact,
  type AppConfig,
  type FacePlatformMock,
  type RegisteredOp,
  type StateStore,
} from '../../packages/server/src/index.js';
import { backoffDelay, parseRetryAfter, withRetry, DEFAULT_RETRY_POLICY } from '../../packages/server/src/hardening/retry.js';
import { vendorJson } from '../../packages/server/src/vendors/http.js';
import { ASTRONAUT_FACE, CAMERAMAN_FACE, SECRET, b64, callOp, cropJpeg, samplePhoto, startStack, type OpAnswer, type Stack } from './helpers.js';

const LOOPBACK_PAGE = 'http://localhost:5173';

function assertCode(answer: OpAnswer, code: KitCode): void {
  assert.equal(answer.body.code, code, JSON.stringify(answer.body).slice(0, 400));
  assert.equal(answer.status, KIT_CODES[code].status);
}

function corsHeadersOf(headers: Headers): string[] {
  return [...headers.keys()].filter((name) => name.startsWith('access-control-'));
}

/** Requests the mock saw on one route since `from`. */
function vendorCalls(mock: FacePlatformMock, path: string): number {
  return mock.requests.filter((request) => request.path === path).length;
}

function jpegOf(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data[i] = data[i + 1] = data[i + 2] = (i / 4) % 251;
  return encodeJpeg({ width, height, data }, 80).data;
}

function pngOf(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(200);
  return PNG.sync.write(png);
}

/** A JPEG with a large APP1 (EXIF-like) segment before its frame header, as phone photos have. */
function jpegWithBigExif(jpeg: Buffer, exifBytes: number): Buffer {
  const payload = Buffer.alloc(exifBytes, 0x41);
  const segment = Buffer.concat([Buffer.from([0xff, 0xe1, (exifBytes + 2) >> 8, (exifBytes + 2) & 0xff]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** Rate windows are whole minutes: start a counting test well inside one, so none rolls over midway. */
async function insideRateWindow(needMs = 5000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('hardening', { timeout: 120_000 }, () => {
  let face: string;
  let otherFace: string;

  before(() => {
    face = b64(cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE));
    otherFace = b64(cropJpeg(samplePhoto('camera.png'), CAMERAMAN_FACE));
  });

  describe('CORS allowlist', () => {
    const app = createApp({ ticketSecret: SECRET, allowedOrigins: ['https://shop.example'] });
    const url = 'https://edge.example/v1/ops/face.detect';

    it('answers an allowed preflight with the CORS headers, Idempotency-Key included', async () => {
      const response = await app.fetch(
        new Request(url, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,idempotency-key' } }),
      );
      assert.equal(response.status, 204);
      assert.equal(response.headers.get('access-control-allow-origin'), 'https://shop.example');
      assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.match(response.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/i);
      assert.equal(response.headers.get('access-control-max-age'), '600');
      assert.match(response.headers.get('vary') ?? '', /Origin/);
      assert.ok(response.headers.get('x-request-id'));
    });

    it('gives a denied origin no CORS header at all, a 403 preflight and ORIGIN_DENIED on ops', async () => {
      const preflight = await app.fetch(new Request(url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }));
      assert.equal(preflight.status, 403);
      assert.deepEqual(corsHeadersOf(preflight.headers), []);
      const envelope = (await preflight.json()) as { code: string; requestId: string };
      assert.equal(envelope.code, 'ORIGIN_DENIED');
      assert.equal(preflight.headers.get('x-request-id'), envelope.requestId);

      const ticket = await mintTicket({ secret: SECRET, scopes: ['face.detect'], ttlSeconds: 60 });
      const call = await app.fetch(
        new Request(url, { method: 'POST', headers: { origin: 'https://evil.example', authorization: `Bearer ${ticket}` }, body: JSON.stringify({ image: face }) }),
      );
      assert.equal(call.status, 403);
      assert.equal(((await call.json()) as { code: string }).code, 'ORIGIN_DENIED');
      assert.deepEqual(corsHeadersOf(call.headers), []);
      const health = await app.fetch(new Request('https://edge.example/healthz', { headers: { origin: 'https://evil.example' } }));
      assert.deepEqual(corsHeadersOf(health.headers), []);
    });

    it('exposes the request id, Retry-After and Idempotent-Replay to allowed pages, errors included', async () => {
      const response = await app.fetch(new Request(url, { method: 'POST', headers: { origin: 'https://shop.example' }, body: '{}' }));
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('access-control-allow-origin'), 'https://shop.example');
      const exposed = response.headers.get('access-control-expose-headers') ?? '';
      for (const header of ['X-Request-Id', 'Retry-After', 'Idempotent-Replay']) assert.match(exposed, new RegExp(header, 'i'));
    });

    it('answers a plain OPTIONS (no Origin) with the allowed methods', async () => {
      const response = await app.fetch(new Request(url, { method: 'OPTIONS' }));
      assert.equal(response.status, 204);
      assert.match(response.headers.get('allow') ?? '', /POST/);
      assert.deepEqual(corsHeadersOf(response.headers), []);
    });
  });

  describe('body limit', () => {
    const LIMIT = 64 * 1024;
    let stack: Stack;
    let ticket: string;
    before(async () => {
      stack = await startStack({ maxBodyBytes: LIMIT, rateLimitPerMinute: 0, rateLimitIpPerMinute: 0 });
      ticket = await stack.ticket(['face.*']);
    });
    after(() => stack.close());

    const assertTooLarge = async (response: Response) => {
      assert.equal(response.status, 413);
      const envelope = (await response.json()) as { code: string; data: { reason: string; limitBytes: number }; requestId: string };
      assert.equal(envelope.code, 'IMAGE_TOO_LARGE');
      assert.deepEqual(envelope.data, { reason: 'body too large', limitBytes: LIMIT });
      assert.equal(response.headers.get('x-request-id'), envelope.requestId);
    };

    it('refuses a declared Content-Length over the limit with a JSON 413', async () => {
      const answer = await callOp(stack.base, 'face.detect', null, { ticket, rawBody: JSON.stringify({ image: 'A'.repeat(LIMIT) }) });
      assertCode(answer, 'IMAGE_TOO_LARGE');
      assert.equal((answer.body.data as { reason: string }).reason, 'body too large');
    });

    it('refuses a streamed body without Content-Length once it passes the limit', async () => {
      let sent = 0;
      const chunk = new TextEncoder().encode('A'.repeat(16 * 1024));
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          // Bounded: 20 chunks at most, 320 KB.
          if (sent++ >= 20) return controller.close();
          controller.enqueue(sent === 1 ? new TextEncoder().encode('{"image":"') : chunk);
        },
      });
      const response = await fetch(`${stack.base}/v1/ops/face.detect`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ticket}`, 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      await assertTooLarge(response);
    });

    it('counts the bytes received when Content-Length lies (fetch handler)', async () => {
      const app = createApp({ ticketSecret: SECRET, maxBodyBytes: LIMIT });
      const big = new TextEncoder().encode(JSON.stringify({ image: 'A'.repeat(LIMIT * 2) }));
      const request = new Request('https://edge.example/v1/ops/face.detect', {
        method: 'POST',
        headers: { authorization: `Bearer ${ticket}`, 'content-length': '100' },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(big);
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      assert.equal(request.headers.get('content-length'), '100', 'the lie reaches the app');
      await assertTooLarge(await app.fetch(request));
    });

    it('lets a body under the limit through', async () => {
      assertCode(await callOp(stack.base, 'face.detect', { image: face }, { ticket }), 'OK');
    });
  });

  describe('image checks', () => {
    let stack: Stack;
    let ticket: string;
    before(async () => {
      stack = await startStack({ rateLimitPerMinute: 0, rateLimitIpPerMinute: 0 });
      ticket = await stack.ticket(['face.*']);
    });
    after(() => stack.close());

    // Every image field of every face-platform op, with the rest of a valid body.
    const fields: Array<[op: string, field: string, body: (image: string) => Record<string, unknown>]> = [
      ['face.enroll', 'image', (image) => ({ groupId: 'g', image })],
      ['face.search', 'image', (image) => ({ groupId: 'g', image })],
      ['face.searchMany', 'image', (image) => ({ image })],
      ['face.compare', 'imageA', (image) => ({ imageA: image, imageB: face })],
      ['face.compare', 'imageB', (image) => ({ imageA: face, imageB: image })],
      ['face.quality', 'image', (image) => ({ image })],
      ['face.detect', 'image', (image) => ({ image })],
    ];
    const bad: Array<[name: string, image: () => string, code: KitCode, reason: RegExp]> = [
      ['bad base64', () => 'this is #not# base64!', 'BAD_REQUEST', /base64/],
      ['a GIF', () => b64(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')), 'BAD_IMAGE', /JPEG or PNG \(it is GIF\)/],
      ['text bytes', () => b64(Buffer.from('hello, this is not a picture at all')), 'BAD_IMAGE', /JPEG or PNG/],
      ['a JPEG of 4097 px', () => b64(jpegOf(4097, 8)), 'IMAGE_TOO_LARGE', /4097×8 px/],
      ['a PNG of 4100 px', () => b64(pngOf(16, 4100)), 'IMAGE_TOO_LARGE', /16×4100 px/],
    ];

    for (const [name, image, code, reason] of bad) {
      it(`answers ${code} naming the field for ${name}, on every image field`, async () => {
        const value = image();
        for (const [op, field, body] of fields) {
          const answer = await callOp(stack.base, op, body(value), { ticket, lang: 'en' });
          assertCode(answer, code);
          const data = answer.body.data as { field: string; reason: string };
          assert.equal(data.field, field, `${op}.${field}`);
          assert.match(data.reason, reason);
          assert.ok(answer.body.message.includes(field), `the message names ${field}: ${answer.body.message}`);
        }
      });
    }

    it('reads the size from the header only: limits at 4096 px, EXIF before the frame, PNG IHDR', () => {
      assert.deepEqual(
        { ...checkImage(b64(jpegOf(4096, 8)), 'image'), base64: '' },
        { base64: '', format: 'jpeg', width: 4096, height: 8 },
      );
      const exif = checkImage(b64(jpegWithBigExif(jpegOf(40, 30), 60_000)), 'image');
      assert.deepEqual([exif.width, exif.height], [40, 30]);
      const png = checkImage(`data:image/png;base64,${b64(pngOf(33, 17))}`, 'photo');
      assert.deepEqual([png.format, png.width, png.height], ['png', 33, 17]);
      assert.deepEqual([checkImage(b64(Buffer.from('GIF89a\x10\x00\x20\x00', 'latin1')), 'x', { formats: ['gif'] }).width], [16]);
      // A JPEG cut before its frame header cannot be measured.
      assert.throws(() => checkImage(b64(jpegWithBigExif(jpegOf(40, 30), 2000).subarray(0, 1500)), 'image'), (error: EndpointError) => error.code === 'BAD_IMAGE');
      assert.throws(() => checkImage('A=', 'image'), (error: EndpointError) => error.code === 'BAD_REQUEST');
      assert.throws(() => checkImage(`data:image/png,${face}`, 'image'), (error: EndpointError) => error.code === 'BAD_REQUEST');
    });

    it('passes valid JPEG and PNG images and base64url to the vendor', async () => {
      assertCode(await callOp(stack.base, 'face.detect', { image: face }, { ticket }), 'OK');
      assertCode(await callOp(stack.base, 'face.detect', { image: face.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') }, { ticket }), 'OK');
      assert.notEqual((await callOp(stack.base, 'face.detect', { image: b64(pngOf(64, 64)) }, { ticket })).body.code, 'BAD_IMAGE');
    });
  });

  describe('vendor retries', () => {
    let stack: Stack;
    let mock: FacePlatformMock;
    let ticket: string;
    before(async () => {
      // The timeout sits far above an ordinary call, even on a loaded machine.
      stack = await startStack({ vendorTimeoutMs: 1200, rateLimitPerMinute: 0, rateLimitIpPerMinute: 0, retryPolicy: { baseDelayMs: 20, maxDelayMs: 100 } });
      mock = stack.server.mocks.facePlatform!;
      ticket = await stack.ticket(['face.*']);
    });
    beforeEach(() => mock.faults.clear());
    after(() => stack.close());

    it('retries a safe read on VENDOR_UNAVAILABLE, twice at most', async () => {
      let before = vendorCalls(mock, '/aicp/face/detect');
      mock.faults.set({ status: 503, times: 2, path: '/aicp/face/detect' });
      assertCode(await callOp(stack.base, 'face.detect', { image: face }, { ticket }), 'OK');
      assert.equal(vendorCalls(mock, '/aicp/face/detect') - before, 3);

      before = vendorCalls(mock, '/aicp/face/detect');
      mock.faults.set({ status: 502, times: 5, path: '/aicp/face/detect' });
      assertCode(await callOp(stack.base, 'face.detect', { image: face }, { ticket }), 'VENDOR_UNAVAILABLE');
      assert.equal(vendorCalls(mock, '/aicp/face/detect') - before, 3, 'one try and two retries');
    });

    it('retries a read that timed out or was rate limited', async () => {
      mock.faults.set({ latencyMs: 4000, times: 1, path: '/aicp/face/quality' });
      assertCode(await callOp(stack.base, 'face.quality', { image: face }, { ticket }), 'OK');
      const before = vendorCalls(mock, '/aicp/face/couple');
      mock.faults.set({ status: 429, times: 1, path: '/aicp/face/couple' });
      assertCode(await callOp(stack.base, 'face.compare', { imageA: face, imageB: otherFace }, { ticket }), 'OK');
      assert.equal(vendorCalls(mock, '/aicp/face/couple') - before, 2);
    });

    it('never retries a billable op or one that changes vendor data', async () => {
      for (const [op, path, body] of [
        ['face.enroll', '/aicp/face/add', { groupId: 'retry', image: face }],
        ['face.remove', '/aicp/face/remove', { groupId: 'retry', userId: 'nobody' }],
      ] as const) {
        const before = vendorCalls(mock, path);
        mock.faults.set({ status: 503, times: 1, path });
        const answer = await callOp(stack.base, op, body, { ticket: op === 'face.enroll' ? await stack.ticket(['face.enroll']) : ticket });
        assertCode(answer, 'VENDOR_UNAVAILABLE');
        assert.equal(vendorCalls(mock, path) - before, 1, op);
      }
    });

    it('does not retry what cannot pass (not configured, bad image)', async () => {
      const bare = createApp({ ticketSecret: SECRET });
      const started = Date.now();
      const response = await bare.fetch(
        new Request('https://edge.example/v1/ops/face.detect', { method: 'POST', headers: { authorization: `Bearer ${ticket}` }, body: JSON.stringify({ image: face }) }),
      );
      assert.equal(response.status, 503);
      // Two retries with the default backoff would wait at least 600 ms.
      assert.ok(Date.now() - started < 500, 'no backoff waits');
    });

    it('refuses to declare a billable op safeToRetry', () => {
      assert.throws(
        () => defineOp({ name: 'x.pay', vendor: 'x', billable: true, safeToRetry: true, validate: () => ({}), run: async () => ({}) }),
        /billable/,
      );
    });
  });

  describe('retry policy', () => {
    it('backs off exponentially with jitter, within the bounds', () => {
      const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
      assert.deepEqual([1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, policy, () => 0)), [50, 100, 200, 400, 500]);
      assert.deepEqual([1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, policy, () => 1)), [100, 200, 400, 800, 1000]);
    });

    it('honours a vendor Retry-After within the bound, and gives up beyond it or the budget', async () => {
      const waits: number[] = [];
      const sleep = async (ms: number) => void waits.push(ms);
      const limited = (retryAfterMs: number) => new EndpointError('RATE_LIMITED', { vendor: { name: 'v', code: '429', message: 'slow down' }, retryAfterMs });
      let tries = 0;
      const result = await withRetry(
        async () => {
          if (++tries < 2) throw limited(1200);
          return 'done';
        },
        DEFAULT_RETRY_POLICY,
        { sleep },
      );
      assert.deepEqual([result, tries, waits], ['done', 2, [1200]]);

      tries = 0;
      await assert.rejects(
        withRetry(async () => {
          tries++;
          throw limited(60_000);
        }, DEFAULT_RETRY_POLICY, { sleep }),
        (error: EndpointError) => error.code === 'RATE_LIMITED',
      );
      assert.equal(tries, 1, 'a Retry-After past the bound is not waited for');

      let clock = 0;
      tries = 0;
      await assert.rejects(
        withRetry(async () => {
          tries++;
          clock += 9000;
          throw new EndpointError('VENDOR_TIMEOUT');
        }, DEFAULT_RETRY_POLICY, { sleep, now: () => clock }),
      );
      assert.equal(tries, 2, 'no try starts past the 15 s budget');
      assert.equal(parseRetryAfter('3'), 3000);
      assert.equal(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString(), Date.now()) !== undefined, true);
      assert.equal(parseRetryAfter('soon'), undefined);
    });

    it('passes a vendor Retry-After from vendorJson through a retried op to the answer', async () => {
      let hits = 0;
      const vendor: Server = createServer((request, response) => {
        hits++;
        const retryAfter = request.url === '/long' ? '120' : '1';
        if (request.url === '/long' || hits === 1) {
          response.writeHead(429, { 'retry-after': retryAfter, 'content-type': 'application/json' });
          return void response.end('{"error":"slow down"}');
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"ok":1}');
      });
      await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
      const vendorUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
      const probe = (name: string, path: string): RegisteredOp =>
        defineOp({
          name,
          vendor: 'probe',
          safeToRetry: true,
          validate: () => ({}),
          async run() {
            const answer = await vendorJson(vendorUrl + path, { method: 'GET' });
            if (answer.status === 429) {
              throw new EndpointError('RATE_LIMITED', { vendor: { name: 'probe', code: 'HTTP 429', message: 'slow down' }, retryAfterMs: answer.retryAfterMs });
            }
            return { data: answer.json };
          },
        });
      const app = createApp({ ticketSecret: SECRET, ops: [probe('probe.read', '/short'), probe('probe.long', '/long')] });
      const ticket = await mintTicket({ secret: SECRET, scopes: ['probe.*'], ttlSeconds: 60 });
      const call = (op: string) =>
        app.fetch(new Request(`https://edge.example/v1/ops/${op}`, { method: 'POST', headers: { authorization: `Bearer ${ticket}` }, body: '{}' }));
      try {
        const started = Date.now();
        const ok = await call('probe.read');
        assert.equal(ok.status, 200);
        assert.equal(hits, 2);
        assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms for Retry-After: 1`);
        const refused = await call('probe.long');
        assert.equal(refused.status, 429);
        assert.equal(refused.headers.get('retry-after'), '120');
        assert.equal(hits, 3, 'a 120 s Retry-After is not waited for');
      } finally {
        await new Promise((resolve) => vendor.close(resolve));
      }
    });

    it('stops reading a vendor answer past its size limit, declared or streamed', async () => {
      const LIMIT = 64 * 1024;
      let streamedWritten = 0;
      let streamedCut!: (written: number) => void;
      const streamedClosed = new Promise<number>((resolve) => {
        streamedCut = resolve;
      });
      const vendor: Server = createServer(async (request, response) => {
        if (request.url === '/small') {
          response.writeHead(200, { 'content-type': 'application/json' });
          return void response.end(JSON.stringify({ pad: 'x'.repeat(LIMIT - 100) }));
        }
        if (request.url === '/declared') {
          // Says 5 MB up front; refused on the header alone.
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024) });
          return void response.write('{"pad":"');
        }
        // No Content-Length: 8 MB in 64 kB chunks, unless the reader goes away first.
        response.writeHead(200, { 'content-type': 'application/json' });
        response.on('close', () => streamedCut(streamedWritten));
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        while (streamedWritten < 8 * 1024 * 1024 && !response.destroyed) {
          streamedWritten += chunk.length;
          if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
        }
        response.end();
      });
      await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
      const vendorUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
      try {
        const small = await vendorJson(`${vendorUrl}/small`, { maxBytes: LIMIT });
        assert.equal(small.status, 200);
        assert.equal((small.json as { pad: string }).pad.length, LIMIT - 100);
        for (const path of ['/declared', '/streamed']) {
          await assert.rejects(vendorJson(`${vendorUrl}${path}`, { maxBytes: LIMIT }), (error: Error & { kind?: string }) => {
            assert.equal(error.kind, 'network', path);
            assert.match(error.message, new RegExp(`answer larger than ${LIMIT} bytes`), path);
            return true;
          });
        }
        // The reader cancelled: the vendor's 8 MB was never all sent.
        assert.ok((await streamedClosed) < 8 * 1024 * 1024, `the vendor wrote ${streamedWritten} bytes`);
      } finally {
        vendor.closeAllConnections();
        await new Promise((resolve) => vendor.close(resolve));
      }
    });
  });

  describe('idempotency keys', () => {
    let stack: Stack;
    let mock: FacePlatformMock;
    const add = () => vendorCalls(mock, '/aicp/face/add');
    const enroll = (body: Record<string, unknown>, ticket: string, key?: string, extra: Record<string, string> = {}) =>
      callOp(stack.base, 'face.enroll', body, { ticket, headers: { ...(key ? { 'idempotency-key': key } : {}), ...extra } });
    const keyOf = (name: string) => `${name}-${crypto.randomUUID()}`;

    before(async () => {
      stack = await startStack({ rateLimitPerMinute: 0, rateLimitIpPerMinute: 0, idempotency: { waitMs: 3000, pollMs: 20 } });
      mock = stack.server.mocks.facePlatform!;
    });
    beforeEach(() => mock.faults.clear());
    after(() => stack.close());

    it('replays the first answer to a retry whose ticket nonce the first call spent', async () => {
      const ticket = await stack.ticket(['face.enroll'], { subject: 'user-1' });
      const key = keyOf('first');
      const body = { groupId: 'idem', image: face };
      const before = add();
      const first = await enroll(body, ticket, key);
      assertCode(first, 'OK');
      assert.equal(first.headers.get('idempotent-replay'), null);
      const again = await enroll(body, ticket, key);
      assertCode(again, 'OK');
      assert.equal(again.headers.get('idempotent-replay'), 'true');
      assert.deepEqual(again.body, first.body, 'the same envelope, requestId included');
      assert.notEqual(again.headers.get('x-request-id'), first.body.requestId, 'the header names this request');
      assert.equal(add() - before, 1, 'one vendor call');
      // Without the key, the spent nonce is refused as before.
      assertCode(await enroll(body, ticket), 'TICKET_REPLAYED');
    });

    it('replays across fresh tickets of the same subject, without spending them', async () => {
      const key = keyOf('subject');
      const body = { groupId: 'idem', image: face };
      const first = await enroll(body, await stack.ticket(['face.enroll'], { subject: 'user-2' }), key);
      assertCode(first, 'OK');
      const fresh = await stack.ticket(['face.enroll'], { subject: 'user-2' });
      const replayed = await enroll(body, fresh, key);
      assert.equal(replayed.headers.get('idempotent-replay'), 'true');
      assert.equal(replayed.body.requestId, first.body.requestId);
      // The fresh ticket is still good for a new call.
      assertCode(await enroll({ groupId: 'idem', image: otherFace }, fresh, keyOf('next')), 'OK');
      // Another subject with the same key is another call, not a replay.
      const before = add();
      const stranger = await enroll(body, await stack.ticket(['face.enroll'], { subject: 'user-3' }), key);
      assertCode(stranger, 'OK');
      assert.equal(stranger.headers.get('idempotent-replay'), null);
      assert.notEqual(stranger.body.requestId, first.body.requestId);
      assert.equal(add() - before, 1);
    });

    it('refuses the same key with another body, and a malformed key', async () => {
      const ticket = await stack.ticket(['face.enroll'], { subject: 'user-4' });
      const key = keyOf('body');
      assertCode(await enroll({ groupId: 'idem', image: face }, ticket, key), 'OK');
      const other = await enroll({ groupId: 'idem', image: otherFace }, ticket, key);
      assertCode(other, 'BAD_REQUEST');
      assert.equal((other.body.data as { field: string }).field, 'Idempotency-Key');
      const malformed = await enroll({ groupId: 'idem', image: face }, await stack.ticket(['face.enroll']), 'bad key!');
      assertCode(malformed, 'BAD_REQUEST');
    });

    it('stores nothing and spends nothing when the call did not start', async () => {
      const ticket = await stack.ticket(['face.enroll'], { subject: 'user-5' });
      const key = keyOf('invalid');
      assertCode(await enroll({ groupId: 'idem' }, ticket, key), 'BAD_REQUEST');
      assertCode(await enroll({ groupId: 'idem', image: face }, ticket, key), 'OK');
      // A spent ticket with a new key is refused, and leaves that key free.
      const next = keyOf('spent');
      assertCode(await enroll({ groupId: 'idem', image: face }, ticket, next), 'TICKET_REPLAYED');
      const retried = await enroll({ groupId: 'idem', image: face }, await stack.ticket(['face.enroll'], { subject: 'user-5' }), next);
      assertCode(retried, 'OK');
      assert.equal(retried.headers.get('idempotent-replay'), null);
    });

    it('keeps one execution per key, but runs again after a vendor refusal that did no work', async () => {
      const ticket = await stack.ticket(['face.enroll'], { subject: 'user-6' });
      const key = keyOf('failure');
      const before = add();
      mock.faults.set({ status: 503, times: 1, path: '/aicp/face/add' });
      assertCode(await enroll({ groupId: 'idem', image: face }, ticket, key), 'VENDOR_UNAVAILABLE');
      // "Try again" after the outage: a fresh ticket of the same subject, the same key.
      const retried = await enroll({ groupId: 'idem', image: face }, await stack.ticket(['face.enroll'], { subject: 'user-6' }), key);
      assertCode(retried, 'OK');
      assert.equal(retried.headers.get('idempotent-replay'), null, 'executed, not replayed');
      assert.equal(add() - before, 2);
      // From then on the success is the key's one answer.
      const replayed = await enroll({ groupId: 'idem', image: face }, await stack.ticket(['face.enroll'], { subject: 'user-6' }), key);
      assert.equal(replayed.headers.get('idempotent-replay'), 'true');
      assert.equal(replayed.body.requestId, retried.body.requestId);
      assert.equal(add() - before, 2);
    });

    it('makes concurrent duplicates wait for the first answer (one vendor call)', async () => {
      const ticket = await stack.ticket(['face.enroll'], { subject: 'user-7' });
      const key = keyOf('concurrent');
      const before = add();
      mock.faults.set({ latencyMs: 500, times: 1, path: '/aicp/face/add' });
      const answers = await Promise.all([0, 1, 2].map(() => enroll({ groupId: 'idem', image: face }, ticket, key)));
      for (const answer of answers) assertCode(answer, 'OK');
      assert.equal(new Set(answers.map((answer) => answer.body.requestId)).size, 1);
      assert.equal(answers.filter((answer) => answer.headers.get('idempotent-replay') === 'true').length, 2);
      assert.equal(add() - before, 1);
    });

    it('answers 409 DUPLICATE_REQUEST when the first call outlasts the wait', async () => {
      const impatient = await startStack({ rateLimitPerMinute: 0, rateLimitIpPerMinute: 0, idempotency: { waitMs: 200, pollMs: 20 } });
      try {
        const ticket = await impatient.ticket(['face.enroll'], { subject: 'user-8' });
        const key = keyOf('slow');
        impatient.server.mocks.facePlatform!.faults.set({ latencyMs: 1200, times: 1, path: '/aicp/face/add' });
        const first = callOp(impatient.base, 'face.enroll', { groupId: 'idem', image: face }, { ticket, headers: { 'idempotency-key': key } });
        await new Promise((resolve) => setTimeout(resolve, 100));
        const duplicate = await callOp(impatient.base, 'face.enroll', { groupId: 'idem', image: face }, { ticket, headers: { 'idempotency-key': key } });
        assertCode(duplicate, 'DUPLICATE_REQUEST');
        assert.equal(duplicate.headers.get('retry-after'), '1');
        assertCode(await first, 'OK');
      } finally {
        await impatient.close();
      }
    });

    it('ignores the key on ops that are not billable, and never replays an expired ticket', async () => {
      const ticket = await stack.ticket(['face.detect']);
      const key = keyOf('detect');
      const before = vendorCalls(mock, '/aicp/face/detect');
      for (let i = 0; i < 2; i++) {
        const answer = await callOp(stack.base, 'face.detect', { image: face }, { ticket, headers: { 'idempotency-key': key } });
        assert.equal(answer.headers.get('idempotent-replay'), null);
      }
      assert.equal(vendorCalls(mock, '/aicp/face/detect') - before, 2);

      const enrolKey = keyOf('expired');
      assertCode(await enroll({ groupId: 'idem', image: face }, await stack.ticket(['face.enroll'], { subject: 'user-9' }), enrolKey), 'OK');
      const expired = await mintTicket({ secret: SECRET, scopes: ['face.enroll'], ttlSeconds: 10, subject: 'user-9', now: Date.now() - 60_000 });
      assertCode(await enroll({ groupId: 'idem', image: face }, expired, enrolKey), 'TICKET_EXPIRED');
    });
  });

  describe('rate limits', () => {
    it('limits calls per ticket subject, with Retry-After', async () => {
      await insideRateWindow();
      const app = createApp({ ticketSecret: SECRET, rateLimitPerMinute: 3 });
      const call = async (ticket: string) => {
        const response = await app.fetch(
          new Request('https://edge.example/v1/ops/face.detect', { method: 'POST', headers: { authorization: `Bearer ${ticket}` }, body: JSON.stringify({ image: face }) }),
        );
        return { response, body: (await response.json()) as { code: string; data?: { scope: string; limit: number } } };
      };
      const alice = () => mintTicket({ secret: SECRET, scopes: ['face.detect'], ttlSeconds: 60, subject: 'alice' });
      // No vendor is configured: allowed calls answer VENDOR_UNAVAILABLE, limited ones RATE_LIMITED.
      for (let i = 0; i < 3; i++) assert.equal((await call(await alice())).body.code, 'VENDOR_UNAVAILABLE');
      const limited = await call(await alice());
      assert.equal(limited.response.status, 429);
      assert.equal(limited.body.code, 'RATE_LIMITED');
      assert.deepEqual([limited.body.data?.scope, limited.body.data?.limit], ['subject', 3]);
      const retryAfter = Number(limited.response.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.equal((await call(await mintTicket({ secret: SECRET, scopes: ['face.detect'], ttlSeconds: 60, subject: 'bob' }))).body.code, 'VENDOR_UNAVAILABLE');
      // Without a subject, each ticket has its own budget.
      const anonymous = await mintTicket({ secret: SECRET, scopes: ['face.detect'], ttlSeconds: 60 });
      for (let i = 0; i < 3; i++) assert.equal((await call(anonymous)).body.code, 'VENDOR_UNAVAILABLE');
      assert.equal((await call(anonymous)).body.code, 'RATE_LIMITED');
    });

    it('limits calls per client address over HTTP, whatever the ticket', async () => {
      await insideRateWindow();
      const stack = await startStack({ rateLimitIpPerMinute: 4, rateLimitPerMinute: 0 });
      try {
        for (let i = 0; i < 4; i++) assertCode(await callOp(stack.base, 'face.detect', { image: face }, { ticket: await stack.ticket(['face.detect']) }), 'OK');
        const refused = await callOp(stack.base, 'face.detect', { image: face }, { ticket: await stack.ticket(['face.detect']) });
        assertCode(refused, 'RATE_LIMITED');
        assert.equal((refused.body.data as { scope: string }).scope, 'ip');
        assert.ok(refused.headers.get('retry-after'));
        // Even an unknown op or a bad ticket counts: floods are cut before any work.
        assertCode(await callOp(stack.base, 'face.detect', { image: face }), 'RATE_LIMITED');
      } finally {
        await stack.close();
      }
    });

    it('takes the address from X-Forwarded-For only behind a trusted proxy', async () => {
      const config: AppConfig = { ticketSecret: SECRET, rateLimitIpPerMinute: 1, rateLimitPerMinute: 0 };
      const call = async (app: ReturnType<typeof createApp>, forwardedFor: string) =>
        (await app.fetch(new Request('https://edge.example/v1/ops/face.detect', { method: 'POST', headers: { 'x-forwarded-for': forwardedFor }, body: '{}' }))).status;
      await insideRateWindow();
      const proxied = createApp({ ...config, trustProxy: true });
      assert.equal(await call(proxied, '10.0.0.1'), 401);
      assert.equal(await call(proxied, '6.6.6.6, 10.0.0.1'), 429, 'the entry the proxy added counts, not the spoofable ones');
      assert.equal(await call(proxied, '10.0.0.2'), 401);
      const direct = createApp(config);
      for (let i = 0; i < 3; i++) assert.equal(await call(direct, '10.0.0.1'), 401, 'no address known: not limited');
    });

    it('lets calls through when the store fails, and says so in the log', async () => {
      const broken: StateStore = Object.assign(new MemoryStateStore(), {
        incr: async () => {
          throw new Error('store down');
        },
      });
      const lines: string[] = [];
      const app = createApp({ ticketSecret: SECRET, store: broken, rateLimitPerMinute: 1, log: (line) => lines.push(line) });
      const ticket = await mintTicket({ secret: SECRET, scopes: ['face.detect'], ttlSeconds: 60, subject: 'x' });
      for (let i = 0; i < 3; i++) {
        const response = await app.fetch(new Request('https://edge.example/v1/ops/face.detect', { method: 'POST', headers: { authorization: `Bearer ${ticket}` }, body: '{}' }));
        assert.notEqual(response.status, 429);
      }
      assert.ok(lines.some((line) => /rate limit store failed/.test(line)));
    });
  });

  describe('request log', () => {
    const ID_NUMBER = '110101199003071234';
    let stack: Stack;
    const lines: string[] = [];
    const leakyOp = defineOp({
      name: 'probe.leak',
      vendor: 'probe',
      validate: (body) => body,
      async run(params) {
        if (params.crash) throw new Error(`crashed on ${String(params.image)} for ${ID_NUMBER}`);
        throw new EndpointError('VENDOR_ERROR', {
          vendor: { name: 'probe', code: '40001', message: `身份证号${ID_NUMBER}与照片${String(params.image).slice(0, 120)}不符` },
          data: { idcard_number: ID_NUMBER, idIccid: ID_NUMBER, photo: params.image },
        });
      },
    });

    before(async () => {
      stack = await startStack({ rateLimitPerMinute: 0, rateLimitIpPerMinute: 0, ops: [leakyOp], log: (line) => lines.push(line) });
    });
    after(() => stack.close());

    it('writes one JSON line per request, without images, with ID numbers masked', async () => {
      lines.length = 0;
      const enrolled = await callOp(stack.base, 'face.enroll', { groupId: 'log', image: face, idIccid: ID_NUMBER }, { ticket: await stack.ticket(['face.enroll']) });
      assertCode(enrolled, 'OK');
      const probeTicket = await stack.ticket(['probe.*']);
      const leaked = await callOp(stack.base, 'probe.leak', { image: face }, { ticket: probeTicket });
      assertCode(leaked, 'VENDOR_ERROR');
      const crashed = await callOp(stack.base, 'probe.leak', { image: face, crash: true }, { ticket: probeTicket });
      assertCode(crashed, 'INTERNAL');
      await fetch(`${stack.base}/healthz`);
      const bad = await callOp(stack.base, 'face.detect', { image: 'not base64 at all!' }, { ticket: await stack.ticket(['face.detect']) });
      assertCode(bad, 'BAD_REQUEST');

      assert.equal(lines.length, 4, 'one line per request, health probes left out');
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(
        parsed.map((line) => [line.requestId, line.op, line.code, line.status]),
        [
          [enrolled.body.requestId, 'face.enroll', 'OK', 200],
          [leaked.body.requestId, 'probe.leak', 'VENDOR_ERROR', 502],
          [crashed.body.requestId, 'probe.leak', 'INTERNAL', 500],
          [bad.body.requestId, 'face.detect', 'BAD_REQUEST', 400],
        ],
      );
      for (const line of parsed) assert.equal(typeof line.ms, 'number');
      assert.deepEqual(parsed[1].vendor, { name: 'probe', code: '40001', message: `身份证号${maskIdNumber(ID_NUMBER)}与照片[120 chars dropped]不符` });
      assert.equal((parsed[1].detail as Record<string, string>).idcard_number, '110***********1234');
      assert.equal((parsed[1].detail as Record<string, string>).idIccid, '110***********1234');
      assert.match(String((parsed[1].detail as Record<string, string>).photo), /^\[\d+ chars dropped\]$/);
      assert.equal(parsed[2].level, 'error');
      assert.match(String(parsed[2].error), /crashed on \[\d+ chars dropped\] for 110\*+1234/);
      assert.deepEqual(parsed[3].detail, { field: 'image', reason: 'not valid base64' });

      const all = lines.join('\n');
      assert.ok(!all.includes(ID_NUMBER), 'no ID number in clear');
      assert.ok(!all.includes(face.slice(0, 64)), 'no image data');
      assert.ok(!all.includes(face.slice(1000, 1064)), 'no image data');
    });

    it('masks by field name and by pattern', () => {
      assert.equal(maskIdNumber('11010119900307123X'), '110***********123X');
      assert.deepEqual(redact({ user: { idcard_number: 'A1234567890', note: `id ${ID_NUMBER}.`, blob: 'x'.repeat(64) } }), {
        user: { idcard_number: 'A12****7890', note: 'id 110***********1234.', blob: '[64 chars dropped]' },
      });
    });
  });

  describe('request ids', () => {
    it('puts X-Request-Id on every answer', async () => {
      const app = createApp({ ticketSecret: SECRET, maxBodyBytes: 1024 });
      const requests = [
        new Request('https://edge.example/healthz'),
        new Request('https://edge.example/nothing'),
        new Request('https://edge.example/v1/ops/face.detect', { method: 'OPTIONS', headers: { origin: 'https://edge.example', 'access-control-request-method': 'POST' } }),
        new Request('https://edge.example/v1/ops/face.detect', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }),
        new Request('https://edge.example/v1/ops/face.detect', { method: 'POST', body: 'x'.repeat(4096) }),
        new Request('https://edge.example/v1/ops/face.detect', { method: 'GET' }),
        new Request('https://edge.example/v1/media/abc'),
      ];
      for (const request of requests) {
        const response = await app.fetch(request);
        assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, `${request.method} ${request.url} → ${response.status}`);
      }
    });
  });
});
