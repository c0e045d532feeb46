/// <reference types="node" />
/** Face-platform ops end to end with real photos: endpoint → adapter → loopback mock. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Envelope } from '../../packages/core/src/shared/index.js';
import {
  ASTRONAUT_FACE,
  ASTRONAUT_FACE_SHIFTED,
  CAMERAMAN_FACE,
  b64,
  callOp,
  cropJpeg,
  flatJpeg,
  samplePhoto,
  startStack,
  type Stack,
} from './helpers.js';

interface SearchData {
  personId: string;
  similarity: number;
  person: { personId: string; faceId?: string; imageUrl?: string };
}

describe('face platform ops', { timeout: 60_000 }, () => {
  let stack: Stack;
  let ticket: string;
  let astronaut: Buffer;
  let astronautAgain: Buffer;
  let cameraman: Buffer;
  const enroll = async (groupId: string, image: Buffer, extra: Record<string, unknown> = {}) =>
    callOp(stack.base, 'face.enroll', { groupId, image: `data:image/jpeg;base64,${b64(image)}`, ...extra }, { ticket: await stack.ticket(['face.enroll']) });

  before(async () => {
    stack = await startStack();
    ticket = await stack.ticket(['face.*']);
    astronaut = cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE, 92);
    // Another capture of the same face: framed 4 px off and compressed harder.
    astronautAgain = cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE_SHIFTED, 70);
    cameraman = cropJpeg(samplePhoto('camera.png'), CAMERAMAN_FACE, 92);
  });
  after(() => stack.close());

  it('enrols a face and finds the same person by 1:N search', async () => {
    const enrolled = await enroll('members', astronaut, { name: '测试', sex: 2, birthday: 19560919, type: '3', province: '吉林', remark: 'demo' });
    assert.equal(enrolled.body.code, 'OK', JSON.stringify(enrolled.body));
    const { personId, imageUrl } = enrolled.body.data as { personId: string; imageUrl: string };
    assert.match(personId, /^[0-9a-f]{32}$/);
    assert.ok(imageUrl.startsWith(`${stack.base}/v1/media/`), imageUrl);

    const found = await callOp(stack.base, 'face.search', { groupId: 'members', image: b64(astronautAgain) }, { ticket });
    assert.equal(found.body.code, 'OK', JSON.stringify(found.body));
    const data = found.body.data as SearchData;
    assert.equal(data.personId, personId);
    assert.equal(typeof data.similarity, 'number');
    assert.ok(data.similarity >= 0.9, `similarity ${data.similarity}`);
    assert.equal(data.person.personId, personId);
    assert.ok(data.person.imageUrl?.startsWith(`${stack.base}/v1/media/`));
  });

  it('does not match a different person', async () => {
    await enroll('strangers', astronaut);
    const answer = await callOp(stack.base, 'face.search', { groupId: 'strangers', image: b64(cameraman) }, { ticket });
    assert.equal(answer.status, 200);
    assert.deepEqual([answer.body.ok, answer.body.code, answer.body.data], [false, 'NO_MATCH', undefined]);
    const emptyGroup = await callOp(stack.base, 'face.search', { groupId: 'nobody-here', image: b64(astronaut) }, { ticket });
    assert.equal(emptyGroup.body.code, 'NO_MATCH');
  });

  it('searches M:N across groups', async () => {
    const { body } = await enroll('many', cameraman);
    const cameramanId = (body.data as { personId: string }).personId;
    const answer = await callOp(stack.base, 'face.searchMany', { image: b64(cameraman) }, { ticket });
    assert.equal(answer.body.code, 'OK');
    const faces = (answer.body.data as { faces: Array<{ matches: Array<{ personId: string; similarity: number }> }> }).faces;
    assert.equal(faces.length, 1);
    assert.equal(faces[0].matches[0].personId, cameramanId);
    assert.equal(faces[0].matches[0].similarity, 1);
  });

  it('compares two faces 1:1', async () => {
    const same = await callOp(stack.base, 'face.compare', { imageA: b64(astronaut), imageB: b64(astronautAgain) }, { ticket });
    assert.equal(same.body.code, 'OK');
    const sameData = same.body.data as { samePerson: boolean; similarity: number };
    assert.equal(sameData.samePerson, true);
    assert.ok(sameData.similarity >= 0.85, String(sameData.similarity));
    const different = await callOp(stack.base, 'face.compare', { imageA: b64(astronaut), imageB: b64(cameraman) }, { ticket });
    const differentData = different.body.data as { samePerson: boolean; similarity: number };
    assert.equal(differentData.samePerson, false);
    assert.ok(differentData.similarity < 0.8, String(differentData.similarity));
  });

  it('gets the enrolled photo through the endpoint, never from the vendor host', async () => {
    const { body } = await enroll('photos', astronaut);
    const personId = (body.data as { personId: string }).personId;
    const answer = await callOp(stack.base, 'face.get', { groupId: 'photos', userId: personId }, { ticket });
    assert.equal(answer.body.code, 'OK');
    const data = answer.body.data as { personId: string; faceId: string; imageUrl: string };
    assert.equal(data.personId, personId);
    assert.match(data.faceId, /^\d+$/);
    const mockUrl = stack.server.mocks.facePlatform!.url;
    assert.ok(data.imageUrl.startsWith(`${stack.base}/v1/media/`));
    const text = JSON.stringify(answer.body);
    assert.ok(!text.includes(mockUrl) && !text.includes('app_secret'), text);

    const image = await fetch(data.imageUrl);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual(Buffer.from(await image.arrayBuffer()), astronaut);

    const tampered = data.imageUrl.slice(0, -3) + (data.imageUrl.endsWith('AAA') ? 'BBB' : 'AAA');
    const refused = await fetch(tampered);
    assert.equal(refused.status, 404);
    assert.equal(((await refused.json()) as Envelope).code, 'NOT_FOUND');
  });

  it('removes a person; get and remove then answer NOT_FOUND', async () => {
    const { body } = await enroll('leavers', astronaut);
    const personId = (body.data as { personId: string }).personId;
    const removed = await callOp(stack.base, 'face.remove', { groupId: 'leavers', userId: personId }, { ticket });
    assert.deepEqual([removed.body.code, removed.body.data], ['OK', { personId, removed: true }]);
    const gone = await callOp(stack.base, 'face.get', { groupId: 'leavers', personId }, { ticket });
    assert.equal(gone.status, 404);
    assert.equal(gone.body.code, 'NOT_FOUND');
    assert.deepEqual(gone.body.vendor, { name: 'face-platform', code: 'flag=false', message: '查询人脸错误,错误信息[record not found]' });
    const again = await callOp(stack.base, 'face.remove', { groupId: 'leavers', userId: personId }, { ticket });
    assert.equal(again.body.code, 'NOT_FOUND');
    assert.match(again.body.vendor?.message ?? '', /人脸不存在/);
  });

  it('answers quality and detect in stable shapes', async () => {
    const quality = await callOp(stack.base, 'face.quality', { image: b64(astronaut) }, { ticket });
    assert.equal(quality.body.code, 'OK');
    assert.deepEqual(quality.body.data, { passed: true, checks: [1, 1, 0, 0, 0] });
    const detect = await callOp(stack.base, 'face.detect', { image: b64(astronaut) }, { ticket });
    assert.equal(detect.body.code, 'OK');
    const faces = (detect.body.data as { faces: Array<Record<string, number>> }).faces;
    assert.equal(faces.length, 1);
    assert.deepEqual(Object.keys(faces[0]).sort(), ['height', 'width', 'x', 'y']);
    assert.ok(faces[0].width > 100 && faces[0].x > 0);
  });

  it('answers NO_FACE for a picture without a face', async () => {
    const flat = flatJpeg();
    const enrolled = await enroll('members', flat);
    assert.equal(enrolled.status, 422);
    assert.equal(enrolled.body.code, 'NO_FACE');
    assert.equal(enrolled.body.vendor?.code, '80018');
    const detect = await callOp(stack.base, 'face.detect', { image: b64(flat) }, { ticket });
    assert.deepEqual([detect.body.code, detect.body.data], ['NO_FACE', { faces: [] }]);
    const quality = await callOp(stack.base, 'face.quality', { image: b64(flat) }, { ticket });
    assert.equal(quality.body.code, 'NO_FACE');
  });

  it('answers BAD_IMAGE for corrupt images at the vendor, BAD_REQUEST for bad base64 before it', async () => {
    const truncated = astronaut.subarray(0, 400);
    const atVendor = await callOp(stack.base, 'face.detect', { image: b64(truncated) }, { ticket });
    assert.equal(atVendor.status, 422);
    assert.equal(atVendor.body.code, 'BAD_IMAGE');
    assert.equal(atVendor.body.vendor?.message, 'Base64编码错误或图片原始数据错误或特征图片都为空');
    const calls = stack.server.mocks.facePlatform!.requests.length;
    const local = await callOp(stack.base, 'face.detect', { image: `${b64(astronaut).slice(0, 1000)}%%%` }, { ticket });
    assert.equal(local.body.code, 'BAD_REQUEST');
    assert.equal(local.body.vendor, undefined);
    assert.equal(stack.server.mocks.facePlatform!.requests.length, calls, 'a corrupt image must not reach the vendor');
  });

  it('runs the face-library admin ops with an admin ticket only', async () => {
    const admin = await stack.ticket(['admin']);
    const created = await callOp(stack.base, 'library.create', { groupId: 'lib-1', dbName: 'front desk', dbDesc: 'visitors' }, { ticket: admin });
    assert.equal(created.body.code, 'OK');
    assert.match((created.body.data as { libraryId: string }).libraryId, /^[0-9a-f]{32}$/);
    const listed = await callOp(stack.base, 'library.list', {}, { ticket: admin });
    const libraries = (listed.body.data as { libraries: Array<{ name?: string }> }).libraries;
    assert.ok(libraries.some((library) => library.name === 'front desk'));
    assert.equal((await callOp(stack.base, 'library.list', {}, { ticket })).body.code, 'TICKET_SCOPE');
    const removed = await callOp(stack.base, 'library.remove', { groupId: 'lib-1' }, { ticket: admin });
    assert.equal(removed.body.code, 'OK');
    const missing = await callOp(stack.base, 'library.remove', { groupId: 'lib-1' }, { ticket: admin });
    assert.equal(missing.body.code, 'VENDOR_ERROR');
  });

  it('mock answers in the shapes and quirks of the vendor document', async () => {
    const mock = stack.server.mocks.facePlatform!;
    const post = async (path: string, body: unknown) => {
      const response = await fetch(mock.url + path, { method: 'POST', headers: { 'content-type': 'application/json', token: mock.token }, body: JSON.stringify(body) });
      assert.equal(response.status, 200);
      return (await response.json()) as Record<string, any>;
    };
    const added = await post('/aicp/face/add', { groupId: 'raw', image: b64(astronaut) });
    assert.deepEqual(Object.keys(added), ['flag', 'resultCode', 'message', 'data']);
    assert.equal(added.message, '系统处理正常');
    assert.match(added.data.personNo, /^[0-9a-f]{32}$/);
    assert.ok(added.data.url.startsWith(`${mock.url}/face/getimage?app_id=system&app_secret=`));
    const recognised = await post('/aicp/face/recognition', { groupId: 'raw', image: b64(astronaut) });
    assert.equal(recognised.data.records[0].score, 100);
    assert.equal(typeof recognised.data.records[0].id, 'string');
    const couple = await post('/aicp/face/couple', { imageA: b64(astronaut), imageB: b64(cameraman) });
    assert.equal(couple.data.msg, 'fail');
    assert.equal(typeof couple.data.score, 'string');
    const detect = await post('/aicp/face/detect', { image: b64(astronaut) });
    assert.ok(Array.isArray(detect.data.records[0]));
    const query = await post('/aicp/face/query', { groupId: 'raw', userId: added.data.personNo });
    assert.deepEqual(Object.keys(query), ['flag', 'message', 'data']);
    assert.deepEqual(Object.keys(query.data), ['faceDBURL', 'personID', 'faceId']);
    const removeMissing = await post('/aicp/face/remove', { groupId: 'raw', userId: 'nobody' });
    assert.deepEqual(removeMissing, { flag: false, message: '人脸库[raw]删除人脸[nobody]错误,错误信息[人脸不存在]', data: null });
    const noToken = await fetch(`${mock.url}/aicp/face/detect`, { method: 'POST', body: '{}' });
    assert.equal(noToken.status, 200);
    assert.deepEqual(await noToken.json(), { flag: false, resultCode: 1, message: 'token不能为空', data: null });
  });
});
