/// <reference types="node" />
/**
 * idPhoto.make end to end: the endpoint on 127.0.0.1, the ID-photo mock behind a real APIG
 * signature check, real photos in and real pictures out.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decode as decodeJpeg, encode as encodeJpeg } from 'jpeg-js';
import { KIT_CODES, findSpec, readJpegDpi, type KitCode } from '../../packages/core/src/shared/index.js';
import { ID_PHOTO_CODES, type FaultSettings, type IdPhotoMock, type IdPhotoResult } from '../../packages/server/src/index.js';
import { ASTRONAUT_FACE, b64, callOp, cropJpeg, flatJpeg, samplePhoto, startStack, type Stack } from './helpers.js';

const TIMEOUT_MS = 1200; // far above an ordinary call, even on a loaded machine

async function fetchPicture(url: string): Promise<{ bytes: Buffer; type: string | null; status: number }> {
  const response = await fetch(url);
  return { bytes: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type'), status: response.status };
}

describe('idPhoto.make', { timeout: 120_000 }, () => {
  let stack: Stack;
  let mock: IdPhotoMock;
  let face: Buffer;
  let faceBase64: string;
  const make = async (body: Record<string, unknown>, base = stack.base) =>
    callOp(base, 'idPhoto.make', body, { ticket: await stack.ticket(['idPhoto.make']) });

  before(async () => {
    stack = await startStack();
    mock = stack.server.mocks.idPhoto!;
    assert.ok(mock, 'startServer started the ID-photo mock');
    face = cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE);
    faceBase64 = b64(face);
  });
  beforeEach(() => {
    mock.faults.clear();
    mock.hooks.clear();
  });
  after(() => stack.close());

  it('makes a photo of the spec, signed and verified, and serves it through the media proxy', async () => {
    const spec = findSpec('small-one-inch')!;
    const answer = await make({ base64: faceBase64, spec: spec.id, bgColor: 'blue' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'OK');
    const data = answer.body.data as IdPhotoResult;
    assert.match(data.taskNo, /^\d{24}$/);
    assert.equal(data.spec, spec.id);
    assert.equal(data.specTitle, '小一寸');
    assert.deepEqual(data.size, { width: spec.widthPx, height: spec.heightPx });
    assert.equal(data.dpi, 300);
    assert.equal(data.images.length, 1);
    const image = data.images[0]!;
    assert.equal(image.color, 'blue');
    assert.ok(image.url?.startsWith(`${stack.base}/v1/media/`), image.url);
    assert.ok(!image.url!.includes(String(mock.port)), 'the vendor host never reaches the browser');

    const last = mock.requests.at(-1)!;
    assert.equal(last.signatureOk, true);
    assert.equal(last.params.spec, spec.vendorSpec, 'the vendor receives the spec text of its table');

    const picture = await fetchPicture(image.url!);
    assert.equal(picture.status, 200);
    assert.equal(picture.type, 'image/jpeg');
    const decoded = decodeJpeg(picture.bytes, { useTArray: true });
    assert.equal(decoded.width, spec.widthPx);
    assert.equal(decoded.height, spec.heightPx);
    assert.deepEqual(readJpegDpi(picture.bytes), { x: 300, y: 300 });
    // The top corner is background: blue.
    const [r, g, b] = decoded.data.subarray(0, 3);
    assert.ok(b! > 180 && r! < 120 && g! > 100 && g! < 180, `corner colour ${r},${g},${b}`);
    // The centre is the photo, not background.
    const centre = ((decoded.height >> 1) * decoded.width + (decoded.width >> 1)) * 4;
    assert.ok(Math.abs(decoded.data[centre]! - 67) + Math.abs(decoded.data[centre + 2]! - 219) > 60, 'the face is kept');
  });

  it('makes a custom size (spec "12") within the file size, at the asked DPI, with every parameter', async () => {
    const answer = await make({
      base64: faceBase64,
      spec: '12',
      size: '480x640',
      bgColor: '#ff0000',
      beautyDegree: '2.5',
      fileSize: '20,35',
      dpi: 350,
      faceRatio: 0.45,
      faceCenterRange: '0.42',
      topEmpty: '10,60',
    });
    assert.equal(answer.body.code, 'OK', JSON.stringify(answer.body));
    const data = answer.body.data as IdPhotoResult;
    assert.equal(data.spec, '12');
    assert.deepEqual(data.size, { width: 480, height: 640 });
    assert.equal(data.dpi, 350);
    assert.equal(data.images[0]!.color, '#FF0000');
    assert.deepEqual(mock.requests.at(-1)!.params, {
      base64: `<${faceBase64.length} chars>`,
      spec: '12',
      size: '480x640',
      bgColor: '#FF0000',
      beautyDegree: '2.5',
      fileSize: '20,35',
      dpi: '350',
      faceRatio: '0.45',
      faceCenterRange: '0.42',
      topEmpty: '10,60',
    });
    const picture = await fetchPicture(data.images[0]!.url!);
    const decoded = decodeJpeg(picture.bytes, { useTArray: true });
    assert.deepEqual([decoded.width, decoded.height], [480, 640]);
    assert.deepEqual(readJpegDpi(picture.bytes), { x: 350, y: 350 });
    assert.ok(picture.bytes.length >= 20 * 1024 && picture.bytes.length <= 35 * 1024, `${picture.bytes.length} bytes`);
    const [r, g, b] = decoded.data.subarray(0, 3);
    assert.ok(r! > 200 && g! < 60 && b! < 60, `corner colour ${r},${g},${b}`);
  });

  it('pads a small photo up to the minimum file size', async () => {
    const answer = await make({ base64: faceBase64, spec: 'one-inch', bgColor: 'white', fileSize: '200,300' });
    assert.equal(answer.body.code, 'OK', JSON.stringify(answer.body));
    const picture = await fetchPicture((answer.body.data as IdPhotoResult).images[0]!.url!);
    assert.ok(picture.bytes.length >= 200 * 1024 && picture.bytes.length <= 300 * 1024, `${picture.bytes.length} bytes`);
    assert.equal(decodeJpeg(picture.bytes).width, findSpec('one-inch')!.widthPx);
  });

  it('returns an inline picture as a data URL with its file size', async () => {
    mock.hooks.resultAs = 'base64';
    const answer = await make({ base64: faceBase64, spec: 'one-inch', bgColor: 'white' });
    assert.equal(answer.body.code, 'OK', JSON.stringify(answer.body));
    const data = answer.body.data as IdPhotoResult;
    const image = data.images[0]!;
    assert.equal(image.url, undefined);
    assert.match(image.dataUrl!, /^data:image\/jpeg;base64,/);
    const bytes = Buffer.from(image.dataUrl!.split(',')[1]!, 'base64');
    assert.equal(data.fileSizeKb, Math.round((bytes.length / 1024) * 10) / 10);
    assert.equal(decodeJpeg(bytes).height, findSpec('one-inch')!.heightPx);
  });

  describe('base64 and url', () => {
    let photoServer: Server;
    let photoUrl: string;
    before(async () => {
      photoServer = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'image/jpeg' });
        response.end(face);
      });
      await new Promise<void>((resolve) => photoServer.listen(0, '127.0.0.1', resolve));
      photoUrl = `http://127.0.0.1:${(photoServer.address() as AddressInfo).port}/me.jpg`;
    });
    after(() => new Promise<void>((resolve) => photoServer.close(() => resolve())));

    it('sends only base64 when both are given ("优先级：base64 > url")', async () => {
      const answer = await make({ base64: faceBase64, url: 'http://127.0.0.1:9/never.jpg', spec: 'one-inch' });
      assert.equal(answer.body.code, 'OK', JSON.stringify(answer.body));
      const sent = mock.requests.at(-1)!.params;
      assert.ok(sent.base64);
      assert.equal(sent.url, undefined);
    });

    it('makes a photo from a url alone', async () => {
      const answer = await make({ url: photoUrl, spec: 'one-inch', bgColor: 'white' });
      assert.equal(answer.body.code, 'OK', JSON.stringify(answer.body));
      assert.equal(mock.requests.at(-1)!.params.url, photoUrl);
      assert.equal(mock.requests.at(-1)!.params.base64, undefined);
    });

    it('reads an unreachable url (203) as IMAGE_UNREACHABLE', async () => {
      const answer = await make({ url: 'http://127.0.0.1:9/gone.jpg', spec: 'one-inch' });
      assert.equal(answer.body.code, 'IMAGE_UNREACHABLE');
      assert.equal(answer.body.vendor?.code, '203');
      assert.equal(answer.status, 422);
    });
  });

  describe('parameter checks name the field, before any vendor call', () => {
    const wide = () => b64(encodeJpeg({ width: 2600, height: 40, data: Buffer.alloc(2600 * 40 * 4, 90) }, 80).data);
    const cases: Array<[string, () => Record<string, unknown>, string, KitCode]> = [
      ['neither base64 nor url', () => ({ spec: 'one-inch' }), 'base64', 'BAD_REQUEST'],
      ['base64 that is not a picture', () => ({ base64: b64(Buffer.from('GIF89a not a jpeg at all')) }), 'base64', 'BAD_IMAGE'],
      ['a picture over 2500 px', () => ({ base64: wide() }), 'base64', 'IMAGE_TOO_LARGE'],
      ['a url that is not http(s)', () => ({ url: 'ftp://127.0.0.1/me.jpg' }), 'url', 'BAD_REQUEST'],
      ['an unknown spec', () => ({ base64: faceBase64, spec: 'no-such-spec' }), 'spec', 'BAD_REQUEST'],
      ['size without spec "12"', () => ({ base64: faceBase64, size: '480x640' }), 'size', 'BAD_REQUEST'],
      ['size with another spec', () => ({ base64: faceBase64, spec: 'one-inch', size: '480x640' }), 'size', 'BAD_REQUEST'],
      ['spec "12" without size', () => ({ base64: faceBase64, spec: '12' }), 'size', 'BAD_REQUEST'],
      ['size with an upper-case X', () => ({ base64: faceBase64, spec: '12', size: '480X640' }), 'size', 'BAD_REQUEST'],
      ['size out of range', () => ({ base64: faceBase64, spec: '12', size: '4800x6400' }), 'size', 'BAD_REQUEST'],
      ['an unknown colour', () => ({ base64: faceBase64, bgColor: 'green' }), 'bgColor', 'BAD_REQUEST'],
      ['a colour the spec does not offer', () => ({ base64: faceBase64, spec: 'us-visa', bgColor: 'red' }), 'bgColor', 'BAD_REQUEST'],
      ['a short hex colour', () => ({ base64: faceBase64, bgColor: '#f00' }), 'bgColor', 'BAD_REQUEST'],
      ['beautyDegree above 5.0', () => ({ base64: faceBase64, beautyDegree: 5.5 }), 'beautyDegree', 'BAD_REQUEST'],
      ['beautyDegree below 1.0', () => ({ base64: faceBase64, beautyDegree: '0.5' }), 'beautyDegree', 'BAD_REQUEST'],
      ['beautyDegree not a number', () => ({ base64: faceBase64, beautyDegree: 'high' }), 'beautyDegree', 'BAD_REQUEST'],
      ['fileSize with max below min', () => ({ base64: faceBase64, fileSize: '100,10' }), 'fileSize', 'BAD_REQUEST'],
      ['fileSize not "min,max"', () => ({ base64: faceBase64, fileSize: '10-100' }), 'fileSize', 'BAD_REQUEST'],
      ['a fractional dpi', () => ({ base64: faceBase64, dpi: 300.5 }), 'dpi', 'BAD_REQUEST'],
      ['a dpi out of range', () => ({ base64: faceBase64, dpi: 10 }), 'dpi', 'BAD_REQUEST'],
      ['faceRatio 0', () => ({ base64: faceBase64, faceRatio: 0 }), 'faceRatio', 'BAD_REQUEST'],
      ['faceRatio 1.2', () => ({ base64: faceBase64, faceRatio: '1.2' }), 'faceRatio', 'BAD_REQUEST'],
      ['faceCenterRange 1', () => ({ base64: faceBase64, faceCenterRange: 1 }), 'faceCenterRange', 'BAD_REQUEST'],
      ['topEmpty "0,0"', () => ({ base64: faceBase64, topEmpty: '0,0' }), 'topEmpty', 'BAD_REQUEST'],
      ['topEmpty with max below min', () => ({ base64: faceBase64, topEmpty: '30,10' }), 'topEmpty', 'BAD_REQUEST'],
      ['topEmpty max at the photo height', () => ({ base64: faceBase64, spec: 'small-one-inch', topEmpty: '10,378' }), 'topEmpty', 'BAD_REQUEST'],
    ];
    for (const [name, body, field, code] of cases) {
      it(`${name} → ${code} on ${field}`, async () => {
        const before = mock.requests.length;
        const answer = await make(body());
        assert.equal(answer.body.code, code, JSON.stringify(answer.body));
        assert.equal(answer.status, KIT_CODES[code].status);
        assert.equal((answer.body.data as { field?: string }).field, field);
        assert.equal(mock.requests.length, before, 'the vendor was not called');
      });
    }
  });

  it('reads a wrong AppSecret as VENDOR_AUTH from APIG\'s 401 APIG.0303', async () => {
    const wrong = await startStack({ idPhoto: { url: mock.apiUrl, appKey: mock.appKey, appSecret: 'not-the-secret' } });
    try {
      const answer = await callOp(wrong.base, 'idPhoto.make', { base64: faceBase64, spec: 'one-inch' }, { ticket: await wrong.ticket(['idPhoto.make']) });
      assert.equal(answer.body.code, 'VENDOR_AUTH', JSON.stringify(answer.body));
      assert.equal(answer.status, KIT_CODES.VENDOR_AUTH.status);
      assert.equal(answer.body.vendor?.name, 'id-photo');
      assert.equal(answer.body.vendor?.code, 'APIG.0303');
      assert.match(answer.body.vendor?.message ?? '', /verify signature fail/);
      assert.equal(mock.requests.at(-1)!.signatureOk, false);
    } finally {
      await wrong.close();
    }
  });

  it('reads an unknown AppKey as VENDOR_AUTH too', async () => {
    const wrong = await startStack({ idPhoto: { url: mock.apiUrl, appKey: 'nobody', appSecret: mock.appSecret } });
    try {
      const answer = await callOp(wrong.base, 'idPhoto.make', { base64: faceBase64 }, { ticket: await wrong.ticket(['idPhoto.make']) });
      assert.equal(answer.body.code, 'VENDOR_AUTH');
      assert.match(answer.body.vendor?.message ?? '', /app not found/);
    } finally {
      await wrong.close();
    }
  });

  describe('return codes', () => {
    for (const [code, row] of Object.entries(ID_PHOTO_CODES)) {
      if (code === '200') continue;
      it(`maps ${code} (${row.message}) to ${row.kit}`, async () => {
        mock.hooks.failWith(Number(code));
        const answer = await make({ base64: faceBase64, spec: 'one-inch' });
        assert.equal(answer.body.code, row.kit, JSON.stringify(answer.body));
        assert.equal(answer.status, KIT_CODES[row.kit].status);
        assert.equal(answer.body.vendor?.name, 'id-photo');
        assert.equal(answer.body.vendor?.code, code);
        assert.ok(answer.body.vendor?.message);
      });
    }

    it('reaches 205 with a picture without a face, and 210 with a tiny one', async () => {
      const flat = await make({ base64: b64(flatJpeg(300)), spec: 'one-inch' });
      assert.equal(flat.body.code, 'NO_FACE');
      assert.equal(flat.body.vendor?.code, '205');
      const tiny = await make({ base64: b64(cropJpeg(samplePhoto('astronaut.png'), { x: 180, y: 80, size: 40 })), spec: 'one-inch' });
      assert.equal(tiny.body.code, 'LOW_QUALITY');
      assert.equal(tiny.body.vendor?.code, '210');
    });
  });

  describe('faults', () => {
    // A second endpoint on the same mock, with a short vendor timeout.
    let short: Stack;
    before(async () => {
      short = await startStack({ vendorTimeoutMs: TIMEOUT_MS, idPhoto: { url: mock.apiUrl, appKey: mock.appKey, appSecret: mock.appSecret } });
    });
    after(() => short.close());
    const makeShort = async () => callOp(short.base, 'idPhoto.make', { base64: faceBase64, spec: 'one-inch' }, { ticket: await short.ticket(['idPhoto.make']) });
    const cases: Array<[string, FaultSettings, KitCode]> = [
      ['HTTP 500 page', { status: 500 }, 'VENDOR_UNAVAILABLE'],
      ['APIG.0202 backend unavailable (502)', { status: 502 }, 'VENDOR_UNAVAILABLE'],
      ['HTTP 503 page', { status: 503 }, 'VENDOR_UNAVAILABLE'],
      ['APIG.0203 backend timeout (504)', { status: 504 }, 'VENDOR_TIMEOUT'],
      ['APIG.0308 throttling (429)', { status: 429 }, 'RATE_LIMITED'],
      ['a plain-text 413', { status: 413 }, 'IMAGE_TOO_LARGE'],
      ['JSON cut in the middle', { malformedJson: true }, 'VENDOR_ERROR'],
      ['an answer slower than the timeout', { latencyMs: TIMEOUT_MS * 4 }, 'VENDOR_TIMEOUT'],
      ['a dropped connection', { resetConnection: true }, 'VENDOR_UNAVAILABLE'],
    ];
    for (const [name, fault, code] of cases) {
      it(`maps ${name} to ${code}`, async () => {
        mock.faults.set(fault);
        const answer = await makeShort();
        assert.equal(answer.body.code, code, JSON.stringify(answer.body));
        assert.equal(answer.status, KIT_CODES[code].status);
        assert.equal(answer.body.vendor?.name, 'id-photo');
        assert.ok(answer.body.vendor?.message);
      });
    }

    it('is driven over HTTP at /__faults as well', async () => {
      const set = await fetch(`${mock.url}/__faults`, { method: 'POST', body: JSON.stringify({ status: 429, times: 1 }) });
      assert.deepEqual(await set.json(), { ok: true, faults: { status: 429, times: 1 } });
      assert.equal((await make({ base64: faceBase64, spec: 'one-inch' })).body.code, 'RATE_LIMITED');
      assert.equal((await make({ base64: faceBase64, spec: 'one-inch' })).body.code, 'OK');
    });
  });
});
