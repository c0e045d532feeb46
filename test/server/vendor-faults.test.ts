/// <reference types="node" />
/** Vendor failures → kit codes: transport faults injected in the mock, and the message table. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { KIT_CODES, type KitCode } from '../../packages/core/src/shared/index.js';
import { mapFacePlatformFailure, startFacePlatformMock, type FacePlatformMock, type FaultSettings } from '../../packages/server/src/index.js';
import { ASTRONAUT_FACE, b64, callOp, cropJpeg, samplePhoto, startStack, type Stack } from './helpers.js';

// Generous, so that ordinary calls on a loaded 2-core machine never reach it.
const TIMEOUT_MS = 1500;

describe('vendor failures', { timeout: 60_000 }, () => {
  let stack: Stack;
  let mock: FacePlatformMock;
  let ticket: string;
  let face: string;
  const detect = () => callOp(stack.base, 'face.detect', { image: face }, { ticket });

  before(async () => {
    // Retries are tested in hardening.test.ts; here each fault must reach the caller as it is.
    stack = await startStack({ vendorTimeoutMs: TIMEOUT_MS, vendorRetries: 0 });
    mock = stack.server.mocks.facePlatform!;
    ticket = await stack.ticket(['face.*']);
    face = b64(cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE));
  });
  beforeEach(() => mock.faults.clear());
  after(() => stack.close());

  const cases: Array<[string, FaultSettings, KitCode]> = [
    ['HTTP 500 with the Spring error page', { status: 500 }, 'VENDOR_UNAVAILABLE'],
    ['HTTP 502 from the gateway', { status: 502 }, 'VENDOR_UNAVAILABLE'],
    ['HTTP 503 from the gateway', { status: 503 }, 'VENDOR_UNAVAILABLE'],
    ['HTTP 504 from the gateway', { status: 504 }, 'VENDOR_TIMEOUT'],
    ['HTTP 429', { status: 429 }, 'RATE_LIMITED'],
    ['HTTP 413 in plain text', { status: 413 }, 'IMAGE_TOO_LARGE'],
    ['JSON cut in the middle', { malformedJson: true }, 'VENDOR_ERROR'],
    ['an answer slower than the timeout', { latencyMs: TIMEOUT_MS * 4 }, 'VENDOR_TIMEOUT'],
    ['a dropped connection', { resetConnection: true }, 'VENDOR_UNAVAILABLE'],
  ];
  for (const [name, fault, code] of cases) {
    it(`maps ${name} to ${code}`, async () => {
      mock.faults.set(fault);
      const answer = await detect();
      assert.equal(answer.body.code, code, JSON.stringify(answer.body));
      assert.equal(answer.status, KIT_CODES[code].status);
      assert.equal(answer.body.ok, false);
      assert.equal(answer.body.vendor?.name, 'face-platform');
      assert.ok(answer.body.vendor?.message, 'the vendor message is passed on');
    });
  }

  it('bounds the wait on a slow vendor by the configured timeout', async () => {
    const latencyMs = TIMEOUT_MS * 4;
    mock.faults.set({ latencyMs });
    const started = Date.now();
    const answer = await detect();
    assert.equal(answer.body.code, 'VENDOR_TIMEOUT');
    assert.ok(KIT_CODES.VENDOR_TIMEOUT.retryable);
    // Answered at the timeout, long before the vendor would have.
    assert.ok(Date.now() - started < latencyMs - TIMEOUT_MS, `took ${Date.now() - started} ms`);
  });

  it('applies the general vendor timeout when the adapter sets none', async () => {
    const configured = await startStack({ facePlatform: { url: mock.url, token: mock.token, timeoutMs: undefined }, vendorTimeoutMs: 300, vendorRetries: 0 });
    try {
      mock.faults.set({ latencyMs: 3000 });
      const started = Date.now();
      const answer = await callOp(configured.base, 'face.detect', { image: face }, { ticket: await configured.ticket(['face.detect']) });
      assert.equal(answer.body.code, 'VENDOR_TIMEOUT');
      assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms, the vendor would take 3000`);
    } finally {
      await configured.close();
    }
  });

  it('clears a fault after its count, and is driven over HTTP too', async () => {
    mock.faults.set({ status: 503, times: 1 });
    assert.equal((await detect()).body.code, 'VENDOR_UNAVAILABLE');
    assert.equal((await detect()).body.code, 'OK');
    const set = await fetch(`${mock.url}/__faults`, { method: 'POST', body: JSON.stringify({ status: 429, path: '/aicp/face/detect' }) });
    assert.deepEqual(await set.json(), { ok: true, faults: { status: 429, path: '/aicp/face/detect' } });
    assert.equal((await detect()).body.code, 'RATE_LIMITED');
    assert.equal((await callOp(stack.base, 'face.quality', { image: face }, { ticket })).body.code, 'OK');
    const refused = await fetch(`${mock.url}/__faults`, { method: 'POST', body: JSON.stringify({ latencyMs: 10 ** 9 }) });
    assert.equal(refused.status, 400);
    await fetch(`${mock.url}/__faults`, { method: 'DELETE' });
    assert.equal((await detect()).body.code, 'OK');
  });

  it('maps a wrong or missing token to VENDOR_AUTH', async () => {
    for (const token of ['wrong-token', '']) {
      const misconfigured = await startStack({ facePlatform: { url: mock.url, token } });
      try {
        const answer = await callOp(misconfigured.base, 'face.detect', { image: face }, { ticket: await misconfigured.ticket(['face.detect']) });
        assert.equal(answer.body.code, 'VENDOR_AUTH');
        assert.equal(answer.status, 502);
        assert.match(answer.body.vendor?.message ?? '', /token/);
        assert.equal(misconfigured.server.mocks.facePlatform, undefined, 'no mock of its own when a vendor URL is given');
      } finally {
        await misconfigured.close();
      }
    }
    assert.equal(mock.requests.at(-1)?.tokenOk, false);
  });

  it('answers VENDOR_UNAVAILABLE (retryable) when the vendor is down', async () => {
    const doomed = await startFacePlatformMock({ port: 0, token: 't0ken' });
    const orphan = await startStack({ facePlatform: { url: doomed.url, token: 't0ken' }, vendorRetries: 0 });
    try {
      const ticketForOrphan = await orphan.ticket(['face.detect']);
      assert.equal((await callOp(orphan.base, 'face.detect', { image: face }, { ticket: ticketForOrphan })).body.code, 'OK');
      await doomed.close();
      const answer = await callOp(orphan.base, 'face.detect', { image: face }, { ticket: ticketForOrphan });
      assert.equal(answer.body.code, 'VENDOR_UNAVAILABLE');
      assert.equal(answer.status, 503);
      assert.equal(KIT_CODES.VENDOR_UNAVAILABLE.retryable, true);
      assert.equal(answer.body.vendor?.code, 'unreachable');
    } finally {
      await orphan.close();
    }
  });
});

describe('face-platform message table', () => {
  const business = (message: string) => mapFacePlatformFailure({ kind: 'business', message }).code;
  it('maps every documented vendor message to one kit code', () => {
    const table: Array<[string, KitCode]> = [
      ['80018,extract feature decode pictrue! get feature failed', 'NO_FACE'],
      ['Base64编码错误或图片原始数据错误或特征图片都为空', 'BAD_IMAGE'],
      ['查询人脸错误,错误信息[record not found]', 'NOT_FOUND'],
      ['人脸库[200000]删除人脸[7885743058546360320]错误,错误信息[人脸不存在]', 'NOT_FOUND'],
      ['该用户不存在', 'NOT_FOUND'],
      ['当前授权用户已存在', 'ALREADY_EXISTS'],
      ['人脸识别未通过', 'NO_MATCH'],
      ['服务端报错', 'VENDOR_ERROR'],
      ['运行时出错!', 'VENDOR_ERROR'],
      ['token校验失败,token无效或已过期', 'VENDOR_AUTH'],
      ['图片大小不能超过2M', 'IMAGE_TOO_LARGE'],
      ['something nobody documented', 'VENDOR_ERROR'],
    ];
    for (const [message, code] of table) assert.equal(business(message), code, message);
    assert.equal(mapFacePlatformFailure({ kind: 'business', message: '80018,extract feature decode pictrue! get feature failed' }).vendor.code, '80018');
  });

  it('lets a specific message win over the HTTP status, and the status win over a generic one', () => {
    assert.equal(mapFacePlatformFailure({ kind: 'http', status: 500, message: '当前授权用户已存在' }).code, 'ALREADY_EXISTS');
    assert.equal(mapFacePlatformFailure({ kind: 'http', status: 500, message: '人脸识别未通过' }).code, 'NO_MATCH');
    assert.equal(mapFacePlatformFailure({ kind: 'http', status: 500, message: '运行时出错!' }).code, 'VENDOR_UNAVAILABLE');
    assert.equal(mapFacePlatformFailure({ kind: 'http', status: 401, body: 'Unauthorized' }).code, 'VENDOR_AUTH');
    assert.equal(mapFacePlatformFailure({ kind: 'http', status: 404, body: '' }).code, 'VENDOR_ERROR');
    assert.equal(mapFacePlatformFailure({ kind: 'timeout', detail: 'no answer' }).code, 'VENDOR_TIMEOUT');
    assert.equal(mapFacePlatformFailure({ kind: 'network', detail: 'ECONNREFUSED' }).code, 'VENDOR_UNAVAILABLE');
    assert.equal(mapFacePlatformFailure({ kind: 'malformed', status: 200, body: '<html>' }).code, 'VENDOR_ERROR');
  });
});
