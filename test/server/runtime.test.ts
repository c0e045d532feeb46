/// <reference types="node" />
/**
 * The app as an edge runtime runs it: only `app.fetch(new Request(...))`, no server, no socket
 * of its own. The vendor is the face-platform mock on loopback, reached through the injected
 * `fetch` (as a runtime's outbound fetch or service binding would be).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { KIT_CODES, type Envelope, type KitCode } from '../../packages/core/src/shared/index.js';
import { createApp, mintTicket, startFacePlatformMock, type FacePlatformMock } from '../../packages/server/src/index.js';
import { ASTRONAUT_FACE, SECRET, b64, cropJpeg, repoRoot, samplePhoto } from './helpers.js';

const BASE = 'https://facekit.edge.example';

describe('edge runtime (app.fetch only)', { timeout: 60_000 }, () => {
  let mock: FacePlatformMock;
  let app: ReturnType<typeof createApp>;
  let face: string;
  let vendorFetches = 0;

  const call = async (op: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await app.fetch(
      new Request(`${BASE}/v1/ops/${op}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    );
    const envelope = (await response.json()) as Envelope;
    assert.equal(response.headers.get('x-request-id'), envelope.requestId);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    return { response, envelope };
  };
  const bearer = (ticket: string) => ({ authorization: `Bearer ${ticket}` });
  const ticketFor = (scopes: string[], extra: { subject?: string; origin?: string } = {}) => mintTicket({ secret: SECRET, scopes, ttlSeconds: 120, ...extra });

  before(async () => {
    mock = await startFacePlatformMock({ port: 0 });
    face = b64(cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE));
    app = createApp({
      ticketSecret: SECRET,
      facePlatform: { url: mock.url, token: mock.token },
      allowedOrigins: ['https://shop.example'],
      maxBodyBytes: 1024 * 1024,
      fetch: (input, init) => {
        vendorFetches++;
        return fetch(input, init);
      },
    });
  });
  after(() => mock.close());

  it('answers /healthz', async () => {
    const response = await app.fetch(new Request(`${BASE}/healthz`));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
    assert.ok(response.headers.get('x-request-id'));
  });

  it('runs an op with a minted ticket against the vendor mock', async () => {
    const before = vendorFetches;
    const { response, envelope } = await call('face.detect', { image: face }, bearer(await ticketFor(['face.detect'])));
    assert.equal(response.status, 200, JSON.stringify(envelope));
    assert.equal(envelope.code, 'OK');
    assert.ok((envelope.data as { faces: unknown[] }).faces.length > 0);
    assert.equal(vendorFetches - before, 1, 'the injected fetch reached the vendor');
  });

  it('enrols, then serves the enrolled photo through a media link', async () => {
    const enrolled = await call('face.enroll', { groupId: 'edge', image: face, name: 'Edge' }, bearer(await ticketFor(['face.enroll'])));
    assert.equal(enrolled.envelope.code, 'OK', JSON.stringify(enrolled.envelope));
    const personId = (enrolled.envelope.data as { personId: string }).personId;
    const got = await call('face.get', { groupId: 'edge', personId }, bearer(await ticketFor(['face.get'])));
    assert.equal(got.envelope.code, 'OK', JSON.stringify(got.envelope));
    const imageUrl = (got.envelope.data as { imageUrl?: string }).imageUrl;
    assert.ok(imageUrl?.startsWith(`${BASE}/v1/media/`), imageUrl);
    const image = await app.fetch(new Request(imageUrl!));
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/jpeg');
    const bytes = new Uint8Array(await image.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8]);
  });

  it('replays an idempotent billable call', async () => {
    const ticket = await ticketFor(['face.enroll'], { subject: 'edge-user' });
    const headers = { ...bearer(ticket), 'idempotency-key': `edge-${crypto.randomUUID()}` };
    const first = await call('face.enroll', { groupId: 'edge', image: face }, headers);
    assert.equal(first.envelope.code, 'OK');
    const before = vendorFetches;
    const replayed = await app.fetch(new Request(`${BASE}/v1/ops/face.enroll`, { method: 'POST', headers, body: JSON.stringify({ groupId: 'edge', image: face }) }));
    assert.equal(replayed.headers.get('idempotent-replay'), 'true');
    assert.deepEqual(await replayed.json(), first.envelope);
    assert.equal(vendorFetches, before);
  });

  it('answers every error as a JSON envelope with its catalogue status', async () => {
    const detect = await ticketFor(['face.detect']);
    const enroll = await ticketFor(['face.enroll']);
    await call('face.enroll', { groupId: 'edge', image: face }, bearer(enroll));
    const cases: Array<[string, KitCode, () => Promise<{ response: Response; envelope: Envelope }>]> = [
      ['no ticket', 'TICKET_MISSING', () => call('face.detect', { image: face })],
      ['forged ticket', 'TICKET_INVALID', () => call('face.detect', { image: face }, bearer(`${detect.slice(0, -3)}AAA`))],
      ['out of scope', 'TICKET_SCOPE', () => call('face.search', { groupId: 'g', image: face }, bearer(detect))],
      ['spent billable ticket', 'TICKET_REPLAYED', () => call('face.enroll', { groupId: 'edge', image: face }, bearer(enroll))],
      ['origin not allowed', 'ORIGIN_DENIED', () => call('face.detect', { image: face }, { ...bearer(detect), origin: 'https://evil.example' })],
      ['unknown op', 'UNKNOWN_OP', () => call('face.levitate', {}, bearer(detect))],
      ['not JSON', 'BAD_REQUEST', () => call('face.detect', '{"image":', bearer(detect))],
      ['bad base64', 'BAD_REQUEST', () => call('face.detect', { image: '***' }, bearer(detect))],
      ['not an image', 'BAD_IMAGE', () => call('face.detect', { image: b64(Buffer.from('plain text, not a picture')) }, bearer(detect))],
      ['body over the limit', 'IMAGE_TOO_LARGE', () => call('face.detect', { image: 'A'.repeat(2 * 1024 * 1024) }, { ...bearer(detect), 'content-length': String(2 * 1024 * 1024 + 12) })],
    ];
    for (const [name, code, run] of cases) {
      const { response, envelope } = await run();
      assert.equal(envelope.code, code, `${name}: ${JSON.stringify(envelope).slice(0, 300)}`);
      assert.equal(response.status, KIT_CODES[code].status, name);
      assert.equal(envelope.ok, false);
    }
    const missing = await app.fetch(new Request(`${BASE}/nowhere`));
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as Envelope).code, 'NOT_FOUND');
    const wrongMethod = await app.fetch(new Request(`${BASE}/v1/ops/face.detect`));
    assert.equal(wrongMethod.status, 400);
  });

  it('limits by address when the runtime names it (clientAddress), e.g. from its own header', async () => {
    const limited = createApp({ ticketSecret: SECRET, rateLimitIpPerMinute: 2, clientAddress: (request) => request.headers.get('cf-connecting-ip') ?? undefined });
    // Whole-minute windows: stay well inside one.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 3000) await new Promise((resolve) => setTimeout(resolve, left + 50));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await limited.fetch(new Request(`${BASE}/v1/ops/face.detect`, { method: 'POST', headers: { 'cf-connecting-ip': '203.0.113.9' }, body: '{}' }))).status);
    }
    assert.deepEqual(statuses, [401, 401, 429]);
  });

  it('keeps the app and the Redis store free of Node built-ins (bundled for a browser-like runtime)', async () => {
    const result = await build({
      entryPoints: [join(repoRoot, 'packages/server/src/app.ts'), join(repoRoot, 'packages/server/src/state-redis.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      outdir: 'out',
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((input) => input.includes('hardening/')));
    assert.ok(!inputs.some((input) => input.startsWith('node:') || input.includes('ioredis') || input.includes('redis-node') || input.includes('/mocks/')), inputs.join('\n'));
  });
});
