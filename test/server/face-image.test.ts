/// <reference types="node" />
/**
 * `face.image` through the endpoint against the face-image mock behind the mock Alibaba gateway:
 * URL answers through the media proxy, BASE64 answers as data URLs, every business code of the
 * document, the HTTP rows, the gateway refusals, AppCode mode and faults.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { KIT_CODES, type KitCode } from '../../packages/core/src/shared/index.js';
import {
  FACE_IMAGE_CODE_TABLE,
  FACE_IMAGE_MOCK_MESSAGES,
  FACE_IMAGE_MOCK_PATH,
  faceImageRule,
  signAliyunGateway,
  startFaceImageMock,
  type FaceImageMock,
  type FaultSettings,
} from '../../packages/server/src/index.js';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { ASTRONAUT_FACE, CAMERAMAN_FACE, callOp, cropJpeg, samplePhoto, startStack, type Stack } from './helpers.js';

const NO_IP_LIMIT = { rateLimitIpPerMinute: 0 };

describe('face.image', { timeout: 60_000 }, () => {
  let stack: Stack;
  let mock: FaceImageMock;
  let jpeg: Buffer;
  let png: Buffer;
  const lookup = async (body: Record<string, unknown>, base = stack.base, mint = () => stack.ticket(['face.*'])) => callOp(base, 'face.image', body, { ticket: await mint() });

  before(async () => {
    stack = await startStack(NO_IP_LIMIT);
    mock = stack.server.mocks.faceImage!;
    jpeg = cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE);
    png = pngOf(cropJpeg(samplePhoto('camera.png'), CAMERAMAN_FACE));
    mock.addUser({ userType: 'PHONE', userId: '13800000000', image: jpeg, userName: '张三' });
    mock.addUser({ userType: 'IDENTITY', userId: 'id-7f3a', image: png });
    mock.addUser({ userType: 'OPEN', userId: 'open_42', image: jpeg });
    mock.addUser({ userType: 'YUNDUN', userId: 'yd-1', image: jpeg });
  });
  beforeEach(() => {
    mock.faults.clear();
    mock.clearScenario();
  });
  after(() => stack.close());

  it('URL: answers a link on the endpoint that relays the photo; never the vendor host', async () => {
    const answer = await lookup({ userType: 'PHONE', userId: '13800000000' });
    assert.equal(answer.body.code, 'OK', JSON.stringify(answer.body));
    const data = answer.body.data as Record<string, string>;
    assert.equal(data.imageFormat, 'URL');
    assert.ok(data.imageUrl.startsWith(`${stack.base}/v1/media/`), data.imageUrl);
    assert.ok(!JSON.stringify(answer.body).includes(mock.url), 'the vendor host is not in the answer');
    assert.deepEqual(
      { userId: data.userId, userType: data.userType, userName: data.userName, policy: data.policy },
      { userId: '13800000000', userType: 'PHONE', userName: '张三', policy: 'PERMISSION' },
    );
    assert.match(data.faceId!, /^\d+$/);
    assert.match(data.expireTime!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const image = await fetch(data.imageUrl);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual(Buffer.from(await image.arrayBuffer()), jpeg);
    const last = mock.requests.at(-1)!;
    assert.equal(last.auth, 'none', 'the pre-signed image link is fetched without credentials');
    assert.match(last.path, /^\/face\/paas\/image\/file\//);
    assert.equal(mock.requests.at(-2)?.auth, 'signature');
  });

  it('BASE64: answers a data URL of the type the bytes show', async () => {
    const asJpeg = await lookup({ userType: 'PHONE', userId: '13800000000', imageFormat: 'BASE64' });
    assert.equal((asJpeg.body.data as any).imageUrl, `data:image/jpeg;base64,${jpeg.toString('base64')}`);
    const asPng = await lookup({ userType: 'IDENTITY', userId: 'id-7f3a', imageFormat: 'base64' });
    assert.equal((asPng.body.data as any).imageUrl, `data:image/png;base64,${png.toString('base64')}`);
    assert.equal((asPng.body.data as any).imageFormat, 'BASE64');
  });

  it('answers each user type', async () => {
    for (const [userType, userId] of [['IDENTITY', 'id-7f3a'], ['OPEN', 'open_42'], ['YUNDUN', 'yd-1'], ['PHONE', '13800000000']]) {
      const answer = await lookup({ userType, userId });
      assert.equal(answer.body.code, 'OK', `${userType}: ${JSON.stringify(answer.body)}`);
      assert.equal((answer.body.data as any).userType, userType);
    }
  });

  it('an unknown user → NOT_FOUND, with the vendor code of its user type', async () => {
    const cases: Array<[string, string]> = [['IDENTITY', '2405'], ['PHONE', '2405'], ['OPEN', '2407'], ['YUNDUN', '3002']];
    for (const [userType, vendorCode] of cases) {
      const answer = await lookup({ userType, userId: 'nobody' });
      assert.equal(answer.body.code, 'NOT_FOUND', userType);
      assert.equal(answer.body.vendor?.code, vendorCode);
    }
  });

  it('refuses bad parameters before calling the vendor', async () => {
    const lastCall = mock.requests.at(-1);
    for (const body of [{ userType: 'EMAIL', userId: 'a' }, { userType: 'PHONE' }, { userType: 'PHONE', userId: 'a', imageFormat: 'GIF' }, { userId: 'a' }]) {
      assert.equal((await lookup(body)).body.code, 'BAD_REQUEST', JSON.stringify(body));
    }
    assert.equal(mock.requests.at(-1), lastCall);
  });

  describe('every business code of the document (HTTP 200)', () => {
    for (const rule of FACE_IMAGE_CODE_TABLE.filter((candidate) => candidate.where === 'business')) {
      const message = rule.message ?? FACE_IMAGE_MOCK_MESSAGES[rule.code]![0];
      it(`${rule.code} "${message}" → ${rule.kitCode}`, async () => {
        // Enough times for the endpoint's retries of a transient code to see it too.
        mock.setScenario({ code: rule.code, message }, 5);
        const answer = await lookup({ userType: 'PHONE', userId: '13800000000' });
        assert.equal(answer.body.code, rule.kitCode, JSON.stringify(answer.body));
        assert.equal(answer.status, KIT_CODES[rule.kitCode].status);
        assert.equal(answer.body.vendor?.name, 'face-image');
        assert.equal(answer.body.vendor?.code, String(rule.code));
        assert.ok(answer.body.vendor?.message.startsWith(message));
      });
    }

    it('reaches a code by the magic userId mock-error-<code> too', async () => {
      const answer = await lookup({ userType: 'PHONE', userId: 'mock-error-20056' });
      assert.equal(answer.body.code, 'VENDOR_TIMEOUT');
      assert.equal(answer.body.vendor?.message, 'Hsf Invoke Timeout / Hsf Invoke Timeout');
    });

    it('reaches a code over HTTP at POST /__scenario', async () => {
      const control = await fetch(`${mock.url}/__scenario`, { method: 'POST', body: JSON.stringify({ code: 2453, message: 'app not exist' }) });
      assert.equal(control.status, 200);
      assert.equal((await lookup({ userType: 'PHONE', userId: '13800000000' })).body.code, 'VENDOR_AUTH');
    });
  });

  describe('the HTTP rows and the gateway', () => {
    const send = (headers: Record<string, string>, body: string) => fetch(mock.url + FACE_IMAGE_MOCK_PATH, { method: 'POST', headers, body });
    const envelope = JSON.stringify({ id: '1509086454180', version: '1.0', request: { apiVer: '1.2.0' }, params: { userType: 'PHONE', userId: '13800000000', imageFormat: 'URL' } });
    const signed = (body: string, appSecret = mock.appSecret) => {
      const headers = { 'content-type': 'application/json; charset=UTF-8', accept: 'application/json' };
      return { ...headers, ...signAliyunGateway({ method: 'POST', url: mock.url + FACE_IMAGE_MOCK_PATH, headers, body }, { appKey: mock.appKey, appSecret }) };
    };

    it('the document envelope, signed, answers code 200 with the data', async () => {
      const answer = await send(signed(envelope), envelope);
      assert.equal(answer.status, 200);
      const json = (await answer.json()) as Record<string, any>;
      assert.deepEqual([json.code, json.message, json.localizedMsg], [200, null, null]);
      assert.match(json.data.imageUrl, /\/face\/paas\/image\/file\/\d+\.jpg\?Expires=\d+&Signature=[0-9a-f]+$/);
    });

    it('401 Empty Signature and 400 Request Format Error, in the envelope', async () => {
      const empty = await send({ 'content-type': 'application/json', 'x-ca-key': mock.appKey }, envelope);
      assert.equal(empty.status, 401);
      assert.equal(empty.headers.get('x-ca-error-message'), 'Empty Signature');
      assert.deepEqual(((await empty.json()) as any).code, 401);
      const notEnvelope = JSON.stringify({ userType: 'PHONE', userId: '1' });
      const format = await send(signed(notEnvelope), notEnvelope);
      assert.equal(format.status, 400);
      assert.deepEqual(((await format.json()) as any).message, 'Request Format Error');
      for (const [status, message, code] of [[401, 'Empty Signature', 'VENDOR_AUTH'], [400, 'Request Format Error', 'VENDOR_ERROR'], [403, 'Request Limited', 'RATE_LIMITED']] as const) {
        assert.equal(faceImageRule('http', status, message)?.kitCode, code);
      }
    });

    it('a wrong AppSecret: the gateway refuses and the endpoint answers VENDOR_AUTH', async () => {
      const direct = await send(signed(envelope, 'wrong-secret'), envelope);
      assert.equal(direct.status, 400);
      assert.match(direct.headers.get('x-ca-error-message') ?? '', /^Invalid Signature, Server StringToSign:/);
      const wrong = await startStack({ ...NO_IP_LIMIT, faceImage: { url: mock.url, appKey: mock.appKey, appSecret: 'wrong-secret' } });
      try {
        const answer = await lookup({ userType: 'PHONE', userId: '13800000000' }, wrong.base, () => wrong.ticket(['face.*']));
        assert.equal(answer.body.code, 'VENDOR_AUTH');
        assert.match(answer.body.vendor?.message ?? '', /^Invalid Signature/);
      } finally {
        await wrong.close();
      }
    });

    it('APPCODE mode', async () => {
      const appCode = await startStack({ ...NO_IP_LIMIT, faceImage: { url: mock.url, appCode: mock.appCode } });
      try {
        const answer = await lookup({ userType: 'PHONE', userId: '13800000000', imageFormat: 'BASE64' }, appCode.base, () => appCode.ticket(['face.*']));
        assert.equal(answer.body.code, 'OK');
        assert.equal(mock.requests.at(-1)?.auth, 'appcode');
      } finally {
        await appCode.close();
      }
    });
  });

  describe('faults', () => {
    const TIMEOUT_MS = 1200; // far above an ordinary call, even on a loaded machine
    let timed: Stack;
    let faulty: FaceImageMock;
    const lookupTimed = () => lookup({ userType: 'PHONE', userId: '13800000000' }, timed.base, () => timed.ticket(['face.*']));
    before(async () => {
      faulty = await startFaceImageMock();
      faulty.addUser({ userType: 'PHONE', userId: '13800000000', image: jpeg });
      // No retries here: each case sees its fault once.
      timed = await startStack({ ...NO_IP_LIMIT, vendorTimeoutMs: TIMEOUT_MS, vendorRetries: 0, faceImage: { url: faulty.url, appKey: faulty.appKey, appSecret: faulty.appSecret } });
    });
    beforeEach(() => faulty.faults.clear());
    after(async () => {
      await timed.close();
      await faulty.close();
    });

    const cases: Array<[string, FaultSettings, KitCode]> = [
      ['HTTP 500 Internal Error', { status: 500 }, 'VENDOR_UNAVAILABLE'],
      ['HTTP 503 Service Unavailable', { status: 503 }, 'VENDOR_UNAVAILABLE'],
      ['HTTP 502 from a proxy', { status: 502 }, 'VENDOR_UNAVAILABLE'],
      ['HTTP 504 from a proxy', { status: 504 }, 'VENDOR_TIMEOUT'],
      ['throttling (HTTP 403 Request Limited)', { status: 429 }, 'RATE_LIMITED'],
      ['HTTP 413 in plain text', { status: 413 }, 'IMAGE_TOO_LARGE'],
      ['JSON cut in the middle', { malformedJson: true }, 'VENDOR_ERROR'],
      ['an answer slower than the timeout', { latencyMs: TIMEOUT_MS * 4 }, 'VENDOR_TIMEOUT'],
      ['a dropped connection', { resetConnection: true }, 'VENDOR_UNAVAILABLE'],
    ];
    for (const [name, fault, code] of cases) {
      it(`maps ${name} to ${code}`, async () => {
        faulty.faults.set(fault);
        const answer = await lookupTimed();
        assert.equal(answer.body.code, code, JSON.stringify(answer.body));
        assert.equal(answer.status, KIT_CODES[code].status);
        assert.equal(answer.body.vendor?.name, 'face-image');
      });
    }

    it('retries a read once the fault passes (face.image is safe to retry)', async () => {
      const retrying = await startStack({ ...NO_IP_LIMIT, faceImage: { url: faulty.url, appKey: faulty.appKey, appSecret: faulty.appSecret } });
      try {
        faulty.faults.set({ status: 503, times: 1 });
        const answer = await lookup({ userType: 'PHONE', userId: '13800000000' }, retrying.base, () => retrying.ticket(['face.*']));
        assert.equal(answer.body.code, 'OK');
      } finally {
        await retrying.close();
      }
    });

    it('a photo gone from the vendor → the media link answers NOT_FOUND', async () => {
      const answer = await lookupTimed();
      faulty.reset();
      const image = await fetch((answer.body.data as any).imageUrl);
      assert.equal(image.status, 404);
      assert.equal(((await image.json()) as any).code, 'NOT_FOUND');
      faulty.addUser({ userType: 'PHONE', userId: '13800000000', image: jpeg });
    });
  });
});

/** JPEG bytes → PNG bytes, for a user whose photo is stored as PNG. */
function pngOf(jpegBytes: Buffer): Buffer {
  const raw = decodeJpeg(jpegBytes, { useTArray: true, formatAsRGBA: true });
  const out = new PNG({ width: raw.width, height: raw.height });
  Buffer.from(raw.data).copy(out.data);
  return PNG.sync.write(out);
}
