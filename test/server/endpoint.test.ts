/// <reference types="node" />
/** The endpoint's contract over real HTTP: envelopes, tickets, origins, limits, language, demo tickets. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KIT_CODES, type KitCode } from '../../packages/core/src/shared/index.js';
import { createApp, mintTicket } from '../../packages/server/src/index.js';
import { ASTRONAUT_FACE, SECRET, b64, callOp, cropJpeg, samplePhoto, startStack, type OpAnswer, type Stack } from './helpers.js';

function assertEnvelope(answer: OpAnswer, code: KitCode): void {
  assert.equal(answer.body.code, code, JSON.stringify(answer.body));
  assert.equal(answer.status, KIT_CODES[code].status);
  assert.equal(answer.body.ok, code === 'OK');
  assert.equal(typeof answer.body.message, 'string');
  assert.ok(answer.body.message.length > 0);
  assert.match(answer.body.requestId, /\S/);
  assert.equal(answer.headers.get('x-request-id'), answer.body.requestId);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
}

describe('signing endpoint', { timeout: 60_000 }, () => {
  let stack: Stack;
  let face: string;

  before(async () => {
    stack = await startStack();
    face = b64(cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE));
  });
  after(() => stack.close());

  it('answers GET /healthz with {"ok":true}', async () => {
    const response = await fetch(`${stack.base}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
  });

  it('answers every error path with the JSON envelope and the catalogue status', async () => {
    const search = await stack.ticket(['face.search']);
    const expired = await mintTicket({ secret: SECRET, scopes: ['face.search'], ttlSeconds: 10, now: Date.now() - 60_000 });
    const forged = search.slice(0, -4) + (search.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const boundElsewhere = await stack.ticket(['face.search'], { origin: 'http://127.0.0.1:1' });
    const cases: Array<[string, KitCode, () => Promise<OpAnswer>]> = [
      ['no ticket', 'TICKET_MISSING', () => callOp(stack.base, 'face.search', { groupId: 'g', image: face })],
      ['not a bearer header', 'TICKET_MISSING', () => callOp(stack.base, 'face.search', {}, { headers: { authorization: `Basic ${search}` } })],
      ['forged ticket', 'TICKET_INVALID', () => callOp(stack.base, 'face.search', { groupId: 'g', image: face }, { ticket: forged })],
      ['expired ticket', 'TICKET_EXPIRED', () => callOp(stack.base, 'face.search', { groupId: 'g', image: face }, { ticket: expired })],
      ['op outside the scopes', 'TICKET_SCOPE', () => callOp(stack.base, 'face.remove', { groupId: 'g', userId: 'u' }, { ticket: search })],
      ['ticket bound to another origin', 'ORIGIN_DENIED', () => callOp(stack.base, 'face.search', { groupId: 'g', image: face }, { ticket: boundElsewhere, origin: 'http://localhost:5173' })],
      ['origin not allowed', 'ORIGIN_DENIED', () => callOp(stack.base, 'face.search', { groupId: 'g', image: face }, { ticket: search, origin: 'https://evil.example' })],
      ['unknown op', 'UNKNOWN_OP', () => callOp(stack.base, 'face.teleport', {}, { ticket: search })],
      ['body not JSON', 'BAD_REQUEST', () => callOp(stack.base, 'face.search', null, { ticket: search, rawBody: '{"groupId":' })],
      ['body not an object', 'BAD_REQUEST', () => callOp(stack.base, 'face.search', [1, 2], { ticket: search })],
      ['missing groupId', 'BAD_REQUEST', () => callOp(stack.base, 'face.search', { image: face }, { ticket: search })],
      ['image not base64', 'BAD_REQUEST', () => callOp(stack.base, 'face.search', { groupId: 'g', image: 'this is #not# base64!' }, { ticket: search })],
      ['image not JPEG or PNG', 'BAD_IMAGE', () => callOp(stack.base, 'face.search', { groupId: 'g', image: b64(Buffer.from('GIF89a-not-supported')) }, { ticket: search })],
      ['data URL of another type', 'BAD_IMAGE', () => callOp(stack.base, 'face.search', { groupId: 'g', image: `data:image/gif;base64,${face}` }, { ticket: search })],
      ['image over 2M base64', 'IMAGE_TOO_LARGE', () => callOp(stack.base, 'face.search', { groupId: 'g', image: face + 'A'.repeat(2 * 1024 * 1024) }, { ticket: search })],
    ];
    for (const [name, code, run] of cases) {
      const answer = await run();
      assert.equal(answer.body.code, code, `${name}: ${JSON.stringify(answer.body)}`);
      assertEnvelope(answer, code);
    }
  });

  it('names the failing field of a bad request', async () => {
    const ticket = await stack.ticket(['face.*']);
    const checks: Array<[Record<string, unknown>, string]> = [
      [{ image: face }, 'groupId'],
      [{ groupId: 'g', image: face, sex: 3 }, 'sex'],
      [{ groupId: 'g', image: face, birthday: 20190231 }, 'birthday'],
      [{ groupId: 'g', image: face, type: 5 }, 'type'],
      [{ groupId: 'g', image: face, remark: 'x'.repeat(300) }, 'remark'],
      [{ groupId: 'g' }, 'image'],
    ];
    for (const [body, field] of checks) {
      const answer = await callOp(stack.base, 'face.enroll', body, { ticket });
      assertEnvelope(answer, 'BAD_REQUEST');
      assert.equal((answer.body.data as { field: string }).field, field);
    }
  });

  it('answers IMAGE_TOO_LARGE for a body over the limit', async () => {
    const ticket = await stack.ticket(['face.*']);
    const answer = await callOp(stack.base, 'face.detect', null, { ticket, rawBody: JSON.stringify({ image: 'A'.repeat(9 * 1024 * 1024) }) });
    assertEnvelope(answer, 'IMAGE_TOO_LARGE');
  });

  it('answers other routes and methods with envelopes too', async () => {
    const get = await fetch(`${stack.base}/v1/ops/face.search`);
    assert.equal(get.status, 400);
    assert.equal((await get.json()).code, 'BAD_REQUEST');
    const missing = await fetch(`${stack.base}/nothing-here`);
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).code, 'NOT_FOUND');
    const media = await fetch(`${stack.base}/v1/media/not-a-sealed-id`);
    assert.equal(media.status, 404);
    assert.equal((await media.json()).code, 'NOT_FOUND');
  });

  it('accepts a billable ticket once, and only spends it on a valid request', async () => {
    const ticket = await stack.ticket(['face.enroll']);
    const invalid = await callOp(stack.base, 'face.enroll', { groupId: 'replay' }, { ticket });
    assertEnvelope(invalid, 'BAD_REQUEST');
    const first = await callOp(stack.base, 'face.enroll', { groupId: 'replay', image: face }, { ticket });
    assertEnvelope(first, 'OK');
    const again = await callOp(stack.base, 'face.enroll', { groupId: 'replay', image: face }, { ticket });
    assertEnvelope(again, 'TICKET_REPLAYED');
    assert.equal(KIT_CODES.TICKET_REPLAYED.retryable, true);
  });

  it('localises the message by ?lang and Accept-Language, zh-CN by default', async () => {
    const body = { image: face };
    const zh = await callOp(stack.base, 'face.detect', body);
    assert.equal(zh.body.message, KIT_CODES.TICKET_MISSING.message['zh-CN']);
    const en = await callOp(stack.base, 'face.detect', body, { lang: 'fr;q=0.9, en-GB;q=0.8' });
    assert.equal(en.body.message, KIT_CODES.TICKET_MISSING.message.en);
    const response = await fetch(`${stack.base}/v1/ops/face.detect?lang=en`, { method: 'POST', body: '{}', headers: { 'accept-language': 'zh-CN' } });
    assert.equal((await response.json()).message, KIT_CODES.TICKET_MISSING.message.en);
  });

  it('echoes a sane X-Request-Id and makes one otherwise', async () => {
    const echoed = await callOp(stack.base, 'face.detect', {}, { headers: { 'x-request-id': 'trace-42.a' } });
    assert.equal(echoed.body.requestId, 'trace-42.a');
    const replaced = await callOp(stack.base, 'face.detect', {}, { headers: { 'x-request-id': 'bad id <script>' } });
    assert.match(replaced.body.requestId, /^[0-9a-f-]{36}$/);
  });

  it('allows CORS for its own origin and loopback only, error answers included', async () => {
    const loopback = 'http://localhost:5173';
    const preflight = await fetch(`${stack.base}/v1/ops/face.search`, {
      method: 'OPTIONS',
      headers: { origin: loopback, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), loopback);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/i);
    const evil = await fetch(`${stack.base}/v1/ops/face.search`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
    const error = await callOp(stack.base, 'face.search', {}, { origin: loopback });
    assertEnvelope(error, 'TICKET_MISSING');
    assert.equal(error.headers.get('access-control-allow-origin'), loopback);
    assert.match(error.headers.get('access-control-expose-headers') ?? '', /x-request-id/i);
  });

  it('uses the configured origins instead of the defaults', async () => {
    const shop = await startStack({ allowedOrigins: ['https://*.shop.example'] });
    try {
      const ticket = await shop.ticket(['face.detect']);
      const allowed = await callOp(shop.base, 'face.detect', { image: face }, { ticket, origin: 'https://www.shop.example' });
      assertEnvelope(allowed, 'OK');
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://www.shop.example');
      const loopback = await callOp(shop.base, 'face.detect', { image: face }, { ticket, origin: 'http://localhost:5173' });
      assertEnvelope(loopback, 'ORIGIN_DENIED');
    } finally {
      await shop.close();
    }
  });

  it('mints demo tickets bound to the calling origin, never with the admin scope', async () => {
    const origin = 'http://localhost:5173';
    const response = await fetch(`${stack.base}/v1/demo/ticket?scopes=face.*`, { headers: { origin } });
    assert.equal(response.status, 200);
    const envelope = await response.json();
    assert.equal(envelope.code, 'OK');
    assert.equal(envelope.data.origin, origin);
    assert.deepEqual(envelope.data.scopes, ['face.*']);
    assert.ok(Date.parse(envelope.data.expiresAt) > Date.now());
    assertEnvelope(await callOp(stack.base, 'face.detect', { image: face }, { ticket: envelope.data.ticket, origin }), 'OK');
    assertEnvelope(await callOp(stack.base, 'face.detect', { image: face }, { ticket: envelope.data.ticket, origin: 'http://127.0.0.1:9' }), 'ORIGIN_DENIED');

    const sameOrigin = await (await fetch(`${stack.base}/v1/demo/ticket`)).json();
    assert.equal(sameOrigin.data.origin, stack.base);
    const admin = await fetch(`${stack.base}/v1/demo/ticket?scopes=admin`, { headers: { origin } });
    assert.equal((await admin.json()).code, 'TICKET_SCOPE');
    const evil = await fetch(`${stack.base}/v1/demo/ticket`, { headers: { origin: 'https://evil.example' } });
    assert.equal((await evil.json()).code, 'ORIGIN_DENIED');
  });

  it('has no demo ticket route outside demo mode', async () => {
    const production = await startStack({ demo: false });
    try {
      const response = await fetch(`${production.base}/v1/demo/ticket`);
      assert.equal(response.status, 404);
      assert.equal((await response.json()).code, 'NOT_FOUND');
      // Loopback pages are trusted by default in demo mode only.
      const ticket = await production.ticket(['face.detect']);
      assertEnvelope(await callOp(production.base, 'face.detect', { image: face }, { ticket, origin: 'http://localhost:5173' }), 'ORIGIN_DENIED');
      assertEnvelope(await callOp(production.base, 'face.detect', { image: face }, { ticket, origin: production.base }), 'OK');
    } finally {
      await production.close();
    }
  });

  it('runs as a bare fetch handler, as on a serverless runtime', async () => {
    const app = createApp({ ticketSecret: SECRET });
    const health = await app.fetch(new Request('https://edge.example/healthz'));
    assert.deepEqual(await health.json(), { ok: true });
    const ticket = await mintTicket({ secret: SECRET, scopes: ['face.detect'], ttlSeconds: 60 });
    // No face platform configured: the op answers, but the vendor is unavailable.
    const answer = await app.fetch(
      new Request('https://edge.example/v1/ops/face.detect', { method: 'POST', headers: { authorization: `Bearer ${ticket}` }, body: JSON.stringify({ image: face }) }),
    );
    assert.equal(answer.status, 503);
    assert.equal((await answer.json()).code, 'VENDOR_UNAVAILABLE');
  });
});
