/// <reference types="node" />
/**
 * skin.analyze and skin.result end to end: the endpoint on 127.0.0.1, the skin mock with its
 * OAuth2 client-credentials token, real photos in, the documented result shape and 21 real
 * result pictures out through the media proxy.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { KIT_CODES, type KitCode } from '../../packages/core/src/shared/index.js';
import {
  SKIN_CODES,
  SKIN_IMAGE_FIELDS,
  type FaultSettings,
  type SkinMock,
  type SkinMockRoute,
  type SkinPending,
  type SkinReport,
} from '../../packages/server/src/index.js';
import { ASTRONAUT_FACE, b64, callOp, cropJpeg, flatJpeg, repoRoot, samplePhoto, startStack, type OpAnswer, type Stack } from './helpers.js';

const TIMEOUT_MS = 1200; // far above an ordinary call, even on a loaded machine
/** Stands for the test photo in tables built before it is loaded. */
const ASTRONAUT_JPEG_PLACEHOLDER = '<astronaut>';

/** Field names and types of the document's `response` table (`| name | Double | 是 | … |`). */
function documentedResponseFields(): Array<{ name: string; type: string }> {
  const path = [resolve(repoRoot, '../shared/seeds'), '/work/shared/seeds'].map((dir) => join(dir, 'skin-analysis-api.md')).find((p) => existsSync(p));
  if (!path) assert.fail('skin-analysis-api.md not found');
  const fields: Array<{ name: string; type: string }> = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const cells = line.trim().split('|').map((cell) => cell.trim());
    if (cells.length >= 4 && /^[a-zA-Z]+$/.test(cells[1] ?? '') && /^(String|Double|Integer)$/.test(cells[2] ?? '')) fields.push({ name: cells[1]!, type: cells[2]! });
  }
  return fields;
}

function decodePicture(bytes: Buffer, type: string | null): { width: number; height: number; data: Uint8Array } {
  if (type === 'image/png') return PNG.sync.read(bytes);
  assert.equal(type, 'image/jpeg');
  return decodeJpeg(bytes, { useTArray: true });
}

describe('skin analysis', { timeout: 120_000 }, () => {
  let stack: Stack;
  let mock: SkinMock;
  let face: string;
  const analyze = async (body: Record<string, unknown>, options: { sub?: string } = {}) =>
    callOp(stack.base, 'skin.analyze', body, { ticket: await stack.ticket(['skin.*'], { subject: options.sub }) });
  const result = async (calcId: string, options: { sub?: string } = {}) =>
    callOp(stack.base, 'skin.result', { calcId }, { ticket: await stack.ticket(['skin.result'], { subject: options.sub }) });
  /** Polls skin.result until it is no longer IN_PROGRESS (bounded). */
  const poll = async (calcId: string): Promise<{ answer: OpAnswer; pending: number }> => {
    for (let pending = 0; pending < 10; pending++) {
      const answer = await result(calcId);
      if (answer.body.code !== 'IN_PROGRESS') return { answer, pending };
    }
    assert.fail('still in progress after 10 polls');
  };

  before(async () => {
    stack = await startStack();
    mock = stack.server.mocks.skin!;
    assert.ok(mock, 'startServer started the skin mock');
    face = b64(cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE));
  });
  beforeEach(() => {
    mock.faults.clear();
    mock.hooks.clear();
  });
  after(() => stack.close());

  it('analyzes → in progress → result through the endpoint, with the full shape and 21 real pictures', async () => {
    mock.hooks.pendingPolls = 2;
    const started = await analyze({ image: face, extra: 'order-42' });
    assert.equal(started.body.code, 'IN_PROGRESS', JSON.stringify(started.body));
    assert.equal(started.status, 202);
    assert.equal(started.body.ok, false);
    const { calcId, retryAfterMs } = started.body.data as SkinPending;
    assert.match(calcId, /^[0-9a-f-]{36}$/);
    assert.ok(retryAfterMs > 0);

    const first = await result(calcId);
    assert.equal(first.body.code, 'IN_PROGRESS');
    assert.equal(first.status, 202);
    assert.equal(first.body.vendor?.code, '200026');
    assert.deepEqual(first.body.data, { calcId, retryAfterMs });

    const { answer, pending } = await poll(calcId);
    assert.equal(pending, 1, 'the second poll was still running, the third done');
    assert.equal(answer.body.code, 'OK', JSON.stringify(answer.body).slice(0, 500));
    const report = answer.body.data as SkinReport;
    assert.equal(report.calcId, calcId);
    assert.equal(report.clientId, mock.clientId);
    assert.equal(report.extra, 'order-42');

    // Every documented field is there: numbers in metrics, pictures in images.
    const fields = documentedResponseFields();
    assert.ok(fields.length >= 80, `the document lists ${fields.length} response fields`);
    const numeric = fields.filter((field) => field.type !== 'String').map((field) => field.name);
    const pictures = fields.filter((field) => field.type === 'String').map((field) => field.name);
    assert.deepEqual(pictures.sort(), [...SKIN_IMAGE_FIELDS].sort());
    for (const name of numeric) assert.equal(typeof report.metrics[name], 'number', `metrics.${name}`);
    for (const field of fields.filter((f) => f.type === 'Integer')) assert.ok(Number.isInteger(report.metrics[field.name]), `${field.name} is an integer`);

    const { summary } = report;
    assert.equal(summary.synScore, report.metrics.synScore);
    assert.ok(summary.synScore > 0 && summary.synScore < 1);
    assert.ok(summary.synAge > 10 && summary.synAge < 80);
    assert.ok([0, 1, 2, 3].includes(summary.darkCircleGrade!));
    assert.ok([-1, 0, 1].includes(summary.faceDirection!));
    assert.deepEqual(Object.keys(summary.concerns).sort(), ['blackHead', 'brownSpot', 'darkEye', 'pore', 'redAcne', 'sensitiveArea', 'surfaceSpot', 'wrinkle']);
    for (const [name, concern] of Object.entries(summary.concerns)) {
      assert.ok(concern.score! >= 0 && concern.score! <= 1, `${name} score`);
      assert.ok(concern.area! >= 0 && concern.area! <= 1, `${name} area`);
    }
    assert.equal(summary.counts.pores.total, report.metrics.smallPores! + report.metrics.mediumPores! + report.metrics.largePores!);
    assert.equal(summary.counts.wrinkles.total, report.metrics.wrkCount);
    assert.equal(summary.counts.wrinkles.forehead, report.metrics.foreHeadWrinkleCnt);
    assert.equal(summary.counts.redAcne, report.metrics.redAcneCount);

    assert.equal(Object.keys(report.images).length, 21);
    const sizes = new Set<string>();
    for (const field of SKIN_IMAGE_FIELDS) {
      const url = report.images[field]!;
      assert.ok(url.startsWith(`${stack.base}/v1/media/`), `${field}: ${url}`);
      assert.ok(!url.includes(String(mock.port)));
      const response = await fetch(url);
      assert.equal(response.status, 200, field);
      const type = response.headers.get('content-type');
      // The document's paths end in .png or .jpg (merge pictures are JPEG).
      assert.equal(type, field.endsWith('Merge') || ['imgBloodmap', 'imgRedmap', 'imgPigmentationAging', 'imgPigmentationSpecial'].includes(field) ? 'image/jpeg' : 'image/png', field);
      const picture = decodePicture(Buffer.from(await response.arrayBuffer()), type);
      sizes.add(`${picture.width}x${picture.height}`);
      // Real pictures: not one flat colour.
      const first = picture.data.subarray(0, 4).join();
      let varied = false;
      for (let i = 4; i < picture.data.length && !varied; i += 4 * 97) varied = picture.data.subarray(i, i + 4).join() !== first;
      assert.ok(varied, `${field} is not a flat picture`);
    }
    assert.deepEqual([...sizes], ['260x260'], 'every picture has the analysed photo\'s size');
  });

  it('answers OK at once when the analysis is done by the first poll, and caches the token', async () => {
    mock.hooks.pendingPolls = 0;
    const before = mock.tokensIssued;
    const started = await analyze({ image: face });
    const { answer, pending } = await poll((started.body.data as SkinPending).calcId);
    assert.equal(pending, 0);
    assert.equal(answer.body.code, 'OK');
    assert.ok(mock.tokensIssued - before <= 1, 'one token serves many calls');
  });

  it('fetches a new token when the service says "token失效" (200001)', async () => {
    await analyze({ image: face });
    const before = mock.tokensIssued;
    mock.hooks.expireTokens();
    const started = await analyze({ image: face });
    assert.equal(started.body.code, 'IN_PROGRESS', JSON.stringify(started.body));
    assert.equal(mock.tokensIssued, before + 1);
    const calls = mock.requests.slice(-3).map((request) => `${request.route}:${request.code}`);
    assert.deepEqual(calls, ['analyze:200001', 'token:200', 'analyze:200']);
  });

  it('serves the pictures after the token was renewed', async () => {
    mock.hooks.pendingPolls = 0;
    const started = await analyze({ image: face });
    const report = (await poll((started.body.data as SkinPending).calcId)).answer.body.data as SkinReport;
    mock.hooks.expireTokens();
    const response = await fetch(report.images.imgRedmap!);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/jpeg');
  });

  it('lets only the holder who started a job read it', async () => {
    const started = await analyze({ image: face }, { sub: 'user-1' });
    const calcId = (started.body.data as SkinPending).calcId;
    const other = await result(calcId, { sub: 'user-2' });
    assert.equal(other.body.code, 'NOT_FOUND');
    assert.equal((other.body.data as { field?: string }).field, 'calcId');
    const own = await callOp(stack.base, 'skin.result', { calcId }, { ticket: await stack.ticket(['skin.result'], { subject: 'user-1' }) });
    assert.ok(['OK', 'IN_PROGRESS'].includes(own.body.code), own.body.code);
    const unknown = await result('00000000-0000-4000-8000-000000000000');
    assert.equal(unknown.body.code, 'NOT_FOUND');
  });

  describe('parameter checks', () => {
    const cases: Array<[string, string, Record<string, unknown>, string, KitCode]> = [
      ['analyze without an image', 'skin.analyze', {}, 'image', 'BAD_REQUEST'],
      ['analyze with a non-picture', 'skin.analyze', { image: b64(Buffer.from('not a picture at all')) }, 'image', 'BAD_IMAGE'],
      ['analyze with an extra over 1024 characters', 'skin.analyze', { image: ASTRONAUT_JPEG_PLACEHOLDER, extra: 'x'.repeat(2000) }, 'extra', 'BAD_REQUEST'],
      ['result without calcId', 'skin.result', {}, 'calcId', 'BAD_REQUEST'],
      ['result with a malformed calcId', 'skin.result', { calcId: '../../etc' }, 'calcId', 'BAD_REQUEST'],
    ];
    for (const [name, op, body, field, code] of cases) {
      it(`${name} → ${code} on ${field}`, async () => {
        if (body.image === ASTRONAUT_JPEG_PLACEHOLDER) body.image = face;
        const answer = await callOp(stack.base, op, body, { ticket: await stack.ticket(['skin.*']) });
        assert.equal(answer.body.code, code, JSON.stringify(answer.body));
        assert.equal((answer.body.data as { field?: string }).field, field);
      });
    }
  });

  describe('error codes', () => {
    /** Where each code comes from: the token route for the OAuth2 codes, the result route for job and algorithm codes. */
    const routeOf = (code: string): SkinMockRoute => {
      if (['200020', '200026', '50003', '50004', '50005'].includes(code)) return 'result';
      if (/^1001\d\d$/.test(code) || ['100002', '100003', '100009', '100010', '100011', '100013', '100014', '100015'].includes(code)) return 'token';
      return 'analyze';
    };
    for (const [code, row] of Object.entries(SKIN_CODES)) {
      const route = routeOf(code);
      it(`maps ${code} (${row.message}) on the ${route} route to ${row.kit}`, async () => {
        let answer: OpAnswer;
        // "未授权" and "token失效" are retried once with a new token: fail both tries.
        const times = code === '100001' || code === '200001' ? 2 : 1;
        if (route === 'result') {
          const started = await analyze({ image: face });
          const calcId = (started.body.data as SkinPending).calcId;
          mock.hooks.pendingPolls = 0;
          await result(calcId); // may be the one pending poll the job was made with
          mock.hooks.failWith(Number(code), { route, times });
          answer = await result(calcId);
        } else if (route === 'token') {
          // The endpoint holds a token; make the service forget it, so that a new one is asked for.
          await analyze({ image: face });
          mock.hooks.expireTokens();
          mock.hooks.failWith(Number(code), { route, times });
          answer = await analyze({ image: face });
        } else {
          mock.hooks.failWith(Number(code), { route, times });
          answer = await analyze({ image: face });
        }
        assert.equal(answer.body.code, row.kit, JSON.stringify(answer.body));
        assert.equal(answer.status, KIT_CODES[row.kit].status);
        assert.equal(answer.body.vendor?.name, 'skin');
        assert.equal(answer.body.vendor?.code, code);
      });
    }

    it('reaches 50004 with a picture without a face and 50003 with a tiny one', async () => {
      const flat = await analyze({ image: b64(flatJpeg(300)) });
      assert.equal(flat.body.code, 'NO_FACE');
      assert.equal(flat.body.vendor?.code, '50004');
      const tiny = await analyze({ image: b64(cropJpeg(samplePhoto('astronaut.png'), { x: 150, y: 60, size: 100 })) });
      assert.equal(tiny.body.code, 'LOW_QUALITY');
      assert.equal(tiny.body.vendor?.code, '50003');
    });

    it('reads wrong client credentials as VENDOR_AUTH (100100, 100011)', async () => {
      for (const [skin, code] of [
        [{ url: mock.url, clientId: 'nobody', clientSecret: mock.clientSecret }, '100100'],
        [{ url: mock.url, clientId: mock.clientId, clientSecret: 'wrong' }, '100011'],
      ] as const) {
        const wrong = await startStack({ skin: { ...skin, imageBaseUrl: mock.imageBaseUrl } });
        try {
          const answer = await callOp(wrong.base, 'skin.analyze', { image: face }, { ticket: await wrong.ticket(['skin.analyze']) });
          assert.equal(answer.body.code, 'VENDOR_AUTH');
          assert.equal(answer.body.vendor?.code, code);
        } finally {
          await wrong.close();
        }
      }
    });
  });

  describe('faults', () => {
    let short: Stack;
    before(async () => {
      short = await startStack({ vendorTimeoutMs: TIMEOUT_MS, skin: { url: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret, imageBaseUrl: mock.imageBaseUrl } });
    });
    after(() => short.close());
    const cases: Array<[string, FaultSettings, KitCode]> = [
      ['HTTP 500 "服务繁忙" (999999)', { status: 500 }, 'VENDOR_UNAVAILABLE'],
      ['HTTP 502 page', { status: 502 }, 'VENDOR_UNAVAILABLE'],
      ['HTTP 503 page', { status: 503 }, 'VENDOR_UNAVAILABLE'],
      ['HTTP 504 page', { status: 504 }, 'VENDOR_TIMEOUT'],
      ['HTTP 429 "访问受限制" (100018)', { status: 429 }, 'RATE_LIMITED'],
      ['a plain-text 413', { status: 413 }, 'IMAGE_TOO_LARGE'],
      ['JSON cut in the middle', { malformedJson: true }, 'VENDOR_ERROR'],
      ['an answer slower than the timeout', { latencyMs: TIMEOUT_MS * 4 }, 'VENDOR_TIMEOUT'],
      ['a dropped connection', { resetConnection: true }, 'VENDOR_UNAVAILABLE'],
    ];
    for (const [name, fault, code] of cases) {
      it(`maps ${name} on analyze to ${code}`, async () => {
        mock.faults.set({ ...fault, path: '/api/skin/analyze' });
        const answer = await callOp(short.base, 'skin.analyze', { image: face }, { ticket: await short.ticket(['skin.analyze']) });
        assert.equal(answer.body.code, code, JSON.stringify(answer.body));
        assert.equal(answer.status, KIT_CODES[code].status);
        assert.equal(answer.body.vendor?.name, 'skin');
        assert.ok(answer.body.vendor?.message);
      });
    }

    it('maps a failing token endpoint and a failing poll the same way', async () => {
      const fresh = await startStack({ skin: { url: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret, imageBaseUrl: mock.imageBaseUrl } });
      try {
        mock.faults.set({ status: 503, path: '/oauth/token' });
        const answer = await callOp(fresh.base, 'skin.analyze', { image: face }, { ticket: await fresh.ticket(['skin.analyze']) });
        assert.equal(answer.body.code, 'VENDOR_UNAVAILABLE');
      } finally {
        await fresh.close();
      }
      mock.faults.clear();
      const started = await callOp(short.base, 'skin.analyze', { image: face }, { ticket: await short.ticket(['skin.analyze']) });
      mock.faults.set({ malformedJson: true, path: '/api/skin/result' });
      const polled = await callOp(short.base, 'skin.result', { calcId: (started.body.data as SkinPending).calcId }, { ticket: await short.ticket(['skin.result']) });
      assert.equal(polled.body.code, 'VENDOR_ERROR');
    });
  });
});
