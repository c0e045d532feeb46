/// <reference types="node" />
/**
 * Face-platform admin and account ops end to end (endpoint → adapter → loopback mock): register
 * and face login (section 10), user groups and users (section 9), usage statistics (section 8),
 * grants (section 6); admin scope, parameter checks, and a password that never comes back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFacePlatformMock, type FacePlatformMock } from '../../packages/server/src/index.js';
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
  type OpAnswer,
  type Stack,
} from './helpers.js';

const PASSWORD = 'Pässw0rd-never-echo-7Q';
const DAY_MS = 24 * 60 * 60 * 1000;
/** The platform writes dates in its local time, UTC+8. */
const platformDate = (ms = Date.now()) => new Date(ms + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);

const ADMIN_OPS = [
  'group.create',
  'group.remove',
  'group.list',
  'group.count',
  'group.stats',
  'user.copy',
  'user.get',
  'user.list',
  'stats.total',
  'stats.byDay',
  'stats.byWeek',
  'stats.byMonth',
  'stats.chartByDay',
  'stats.chartByMonth',
  'stats.duration',
  'grant.create',
  'grant.update',
  'grant.remove',
];

interface MethodUsage {
  method: string;
  name?: string;
  source?: string;
  calls: number;
  costMs?: number;
  lastCallAt?: string;
}

interface PeriodUsage extends Omit<MethodUsage, 'lastCallAt'> {
  from: string;
  to: string;
}

describe('face platform admin and account ops', { timeout: 120_000 }, () => {
  let stack: Stack;
  let mock: FacePlatformMock;
  let astronaut: Buffer;
  let astronautAgain: Buffer;
  let cameraman: Buffer;
  const logLines: string[] = [];
  const answers: string[] = [];

  /** Every answer is kept, to check afterwards that the password is in none. */
  const call = async (op: string, body: unknown, scopes: string[]): Promise<OpAnswer> => {
    const answer = await callOp(stack.base, op, body, { ticket: await stack.ticket(scopes) });
    answers.push(JSON.stringify(answer.body));
    return answer;
  };
  const admin = (op: string, body: unknown = {}) => call(op, body, ['admin']);
  const ok = (answer: OpAnswer) => {
    assert.equal(answer.body.code, 'OK', JSON.stringify(answer.body));
    return answer.body.data as any;
  };

  before(async () => {
    stack = await startStack({ log: (line) => logLines.push(line) });
    mock = stack.server.mocks.facePlatform!;
    astronaut = cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE, 92);
    astronautAgain = cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE_SHIFTED, 70);
    cameraman = cropJpeg(samplePhoto('camera.png'), CAMERAMAN_FACE, 92);
  });
  after(() => stack.close());

  it('refuses every admin op to a ticket without the admin scope, before any vendor call', async () => {
    const calls = mock.requests.length;
    for (const op of ADMIN_OPS) {
      for (const scopes of [['*'], [op], [op.replace(/\..*/, '.*')]]) {
        const answer = await call(op, { groupId: 'g1' }, scopes);
        assert.equal(answer.status, 403, `${op} with ${scopes}`);
        assert.equal(answer.body.code, 'TICKET_SCOPE', `${op} with ${scopes}`);
      }
    }
    assert.equal(mock.requests.length, calls);
    // The account ops are not admin: their own scope or face.* allows them.
    const login = await call('face.login', { image: b64(cameraman) }, ['face.*']);
    assert.notEqual(login.body.code, 'TICKET_SCOPE');
  });

  it('checks parameters before the vendor, naming the field', async () => {
    const image = b64(astronaut);
    const register = { username: 'zhang_san', password: PASSWORD, telephone: '13940312121', mail: 'abc@126.com', deptId: '123', image };
    const cases: Array<[op: string, body: Record<string, unknown>, field: string]> = [
      ['group.create', {}, 'groupId'],
      ['group.create', { group_id: 'has-dash' }, 'group_id'],
      ['group.create', { groupId: 'x'.repeat(49) }, 'groupId'],
      ['group.remove', { groupId: '' }, 'groupId'],
      ['group.list', { length: 1001 }, 'length'],
      ['group.list', { start: -1 }, 'start'],
      ['group.count', { opAppIdList: 'ok,not ok' }, 'opAppIdList'],
      ['group.stats', {}, 'groupIdList'],
      ['group.stats', { groupIdList: Array.from({ length: 21 }, (_, i) => `g${i}`) }, 'groupIdList'],
      ['group.stats', { group_id_list: 'a,b c' }, 'group_id_list'],
      ['user.copy', { userId: 'u1', srcGroupId: 'a' }, 'dstGroupId'],
      ['user.copy', { user_id: 'u1', src_group_id: 'a', dst_group_id: 'b!' }, 'dst_group_id'],
      ['user.get', { groupId: 'g' }, 'userId'],
      ['user.get', { userId: 'u', groupId: '@SOME' }, 'groupId'],
      ['user.list', { start: 0 }, 'groupId'],
      ['stats.total', { timeBefore: '2020-13-01' }, 'timeBefore'],
      ['stats.byDay', { timeBefore: '2020-03-03', timeAfter: '2020-01-01' }, 'timeAfter'],
      ['stats.byWeek', { timeAfter: '2020-02-30' }, 'timeAfter'],
      ['stats.byMonth', { call_Name: 7.5 }, 'call_Name'],
      ['stats.duration', { callName: 'x'.repeat(65) }, 'callName'],
      ['stats.chartByDay', { time: '2020-1' }, 'time'],
      ['stats.chartByMonth', { year: '20' }, 'year'],
      ['grant.create', { dueTime: '2099-01-01 00:00:00', capabilityIdArray: ['C10000000001'] }, 'appId'],
      ['grant.create', { appId: 'app', dueTime: 'tomorrow', capabilityIdArray: ['C10000000001'] }, 'dueTime'],
      ['grant.create', { appId: 'app', dueTime: '2099-01-01 25:00:00', capabilityIdArray: ['C10000000001'] }, 'dueTime'],
      ['grant.create', { appId: 'app', dueTime: '2099-01-01 00:00:00' }, 'capabilityIdArray'],
      ['grant.update', { appId: 'app', dueTime: '2099-01-01', capabilityIdArray: [1, 2] }, 'capabilityIdArray'],
      ['grant.update', { appId: 'app', dueTime: '2099-01-01', capabilityIds: ['C1 C2'] }, 'capabilityIds'],
      ['grant.remove', {}, 'appId'],
      ['face.register', { ...register, password: '' }, 'password'],
      ['face.register', { ...register, password: 123456 }, 'password'],
      ['face.register', { ...register, username: undefined }, 'username'],
      ['face.register', { ...register, telephone: 'call me' }, 'telephone'],
      ['face.register', { ...register, mail: 'not-a-mail' }, 'mail'],
      ['face.register', { ...register, deptId: undefined }, 'deptId'],
      ['face.register', { ...register, image: undefined }, 'image'],
      ['face.login', {}, 'image'],
    ];
    const calls = mock.requests.length;
    for (const [op, body, field] of cases) {
      const scopes = op.startsWith('face.') ? [op] : ['admin'];
      const answer = await call(op, body, scopes);
      assert.equal(answer.status, 400, `${op} ${JSON.stringify(body).slice(0, 80)}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.code, 'BAD_REQUEST');
      assert.equal((answer.body.data as { field: string }).field, field, `${op}: ${JSON.stringify(answer.body.data)}`);
      assert.ok(answer.body.message.includes(field), answer.body.message);
    }
    assert.equal(mock.requests.length, calls, 'invalid requests never reach the vendor');
  });

  it('registers an account with a face, then logs in with the same face only', async () => {
    const body = { username: 'astronaut_1', password: PASSWORD, telephone: '13940312121', mail: 'abc@126.com', deptId: '123', image: `data:image/jpeg;base64,${b64(astronaut)}` };
    const ticket = await stack.ticket(['face.register']);
    const registered = await callOp(stack.base, 'face.register', body, { ticket });
    answers.push(JSON.stringify(registered.body));
    const data = ok(registered) as { username: string; personId: string; imageUrl: string };
    assert.deepEqual(Object.keys(data).sort(), ['imageUrl', 'personId', 'username']);
    assert.equal(data.username, 'astronaut_1');
    assert.match(data.personId, /^[0-9a-f]{32}$/);
    assert.ok(data.imageUrl.startsWith(`${stack.base}/v1/media/`), data.imageUrl);
    assert.ok(!JSON.stringify(registered.body).includes(mock.url), 'no vendor URL reaches the browser');
    const photo = await fetch(data.imageUrl);
    assert.equal(photo.status, 200);
    assert.deepEqual(Buffer.from(await photo.arrayBuffer()), astronaut);

    // Billable: the ticket's nonce is spent.
    const replayed = await callOp(stack.base, 'face.register', { ...body, username: 'astronaut_2' }, { ticket });
    assert.equal(replayed.body.code, 'TICKET_REPLAYED');

    const same = await call('face.login', { image: b64(astronautAgain) }, ['face.login']);
    assert.deepEqual(ok(same), { matched: true, redirectPath: '/pages/index.html' });

    const other = await call('face.login', { image: b64(cameraman) }, ['face.login']);
    assert.equal(other.status, 200);
    assert.deepEqual([other.body.ok, other.body.code, other.body.data], [false, 'NO_MATCH', undefined]);
    assert.deepEqual(other.body.vendor, { name: 'face-platform', code: 'HTTP 500', message: '人脸识别未通过' });

    const duplicate = await call('face.register', { ...body, image: b64(cameraman) }, ['face.register']);
    assert.deepEqual([duplicate.status, duplicate.body.code], [409, 'ALREADY_EXISTS']);
    const noFace = await call('face.register', { ...body, username: 'nobody', image: b64(flatJpeg()) }, ['face.*']);
    assert.equal(noFace.body.code, 'NO_FACE');
    const noFaceLogin = await call('face.login', { image: b64(flatJpeg()) }, ['face.login']);
    assert.equal(noFaceLogin.body.code, 'NO_FACE');
  });

  it('keeps groups and users consistent across create, copy, get, list, stats and remove', async () => {
    assert.deepEqual(ok(await admin('group.create', { groupId: 'koala_one' })), { groupId: 'koala_one', created: true });
    const again = await admin('group.create', { group_id: 'koala_one' });
    assert.deepEqual([again.status, again.body.code, again.body.vendor?.code], [409, 'ALREADY_EXISTS', '223101']);
    assert.equal(again.body.vendor?.message, 'group is already exist');
    ok(await admin('group.create', { groupId: 'koala_two' }));

    const enrolled = await call('face.enroll', { groupId: 'koala_one', image: b64(astronaut), name: '宇航员', remark: 'NASA' }, ['face.enroll']);
    const personId = (ok(enrolled) as { personId: string }).personId;

    assert.deepEqual(ok(await admin('user.copy', { userId: personId, srcGroupId: 'koala_one', dstGroupId: 'koala_two' })), {
      userId: personId,
      srcGroupId: 'koala_one',
      dstGroupId: 'koala_two',
      copied: true,
    });
    // The copy is a real member of the other group: a 1:N search there finds it.
    const found = await call('face.search', { groupId: 'koala_two', image: b64(astronautAgain) }, ['face.search']);
    assert.equal((ok(found) as { personId: string }).personId, personId);

    const everywhere = ok(await admin('user.get', { user_id: personId, group_id: '@ALL' })) as { users: Array<Record<string, unknown>> };
    assert.deepEqual(everywhere.users.map((user) => user.groupId).sort(), ['koala_one', 'koala_two']);
    for (const user of everywhere.users) {
      assert.equal(user.userId, personId);
      assert.equal(user.userName, '宇航员');
      assert.equal(user.userInfo, 'NASA');
      assert.match(String(user.id), /^\d+$/);
      assert.match(String(user.createdAt), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
    const listed = ok(await admin('user.list', { groupId: 'koala_two' })) as { users: unknown[]; groupId: string; start: number; length: number };
    assert.deepEqual([listed.users.length, listed.groupId, listed.start, listed.length], [1, 'koala_two', 0, 100]);
    // A second copy adds a second record, as the document's own list shows.
    ok(await admin('user.copy', { user_id: personId, src_group_id: 'koala_one', dst_group_id: 'koala_two' }));
    assert.equal((ok(await admin('user.list', { groupId: 'koala_two', start: '1', length: 5 })) as { users: unknown[] }).users.length, 1);

    const stats = ok(await admin('group.stats', { groupIdList: 'koala_one,koala_two,koala_none' })) as {
      groups: Array<{ groupId: string; userCount: number; faceCount: number; createdAt: string }>;
      unknownGroupIds: string[];
    };
    assert.deepEqual(
      stats.groups.map(({ groupId, userCount, faceCount }) => ({ groupId, userCount, faceCount })),
      [
        { groupId: 'koala_one', userCount: 1, faceCount: 1 },
        { groupId: 'koala_two', userCount: 1, faceCount: 1 },
      ],
    );
    assert.deepEqual(stats.unknownGroupIds, ['koala_none']);
    assert.equal(typeof stats.groups[0].createdAt, 'string');

    const groupIds = (ok(await admin('group.list', { start: 0, length: 1000 })) as { groupIds: string[] }).groupIds;
    assert.ok(groupIds.includes('koala_one') && groupIds.includes('koala_two'), String(groupIds));
    const count = ok(await admin('group.count')) as { apps: Array<{ appId: string; groupCount: number }> };
    assert.deepEqual(count.apps, [{ appId: 'system', groupCount: groupIds.length }]);
    assert.deepEqual(ok(await admin('group.count', { opAppIdList: ['someone_else'] })), { apps: [] });

    const missingUser = await admin('user.get', { userId: 'nobody_here', groupId: 'koala_one' });
    assert.deepEqual([missingUser.status, missingUser.body.code, missingUser.body.vendor?.code], [404, 'NOT_FOUND', '223103']);
    assert.deepEqual(ok(await admin('group.remove', { groupId: 'koala_two' })), { groupId: 'koala_two', removed: true });
    const removedAgain = await admin('group.remove', { groupId: 'koala_two' });
    assert.deepEqual([removedAgain.body.code, removedAgain.body.vendor?.message], ['NOT_FOUND', 'group is not exist']);
    assert.equal((await admin('user.copy', { userId: personId, srcGroupId: 'koala_one', dstGroupId: 'koala_two' })).body.code, 'NOT_FOUND');
    assert.equal((await admin('user.list', { groupId: 'koala_two' })).body.code, 'NOT_FOUND');
  });

  it('counts the calls made in the usage statistics', async () => {
    const today = platformDate();
    const detectCalls = async () => {
      const total = ok(await admin('stats.total', { callName: '人脸检测' })) as { methods: MethodUsage[]; calls: number };
      return total.calls;
    };
    const before = await detectCalls();
    for (let i = 0; i < 3; i++) ok(await call('face.detect', { image: b64(astronaut) }, ['face.detect']));
    assert.equal(await detectCalls(), before + 3);

    const total = ok(await admin('stats.total', { call_Name: 'faceDetect', timeBefore: today, timeAfter: `${today} 23:59:59` })) as { methods: MethodUsage[]; calls: number };
    assert.equal(total.methods.length, 1);
    const detect = total.methods[0];
    assert.deepEqual([detect.method, detect.name, detect.source, detect.calls], ['faceDetect', '人脸检测', '人脸识别(云从)', before + 3]);
    assert.equal(typeof detect.costMs, 'number');
    assert.ok(detect.lastCallAt?.startsWith(today), detect.lastCallAt);

    // Everything this test file did so far is in there, register and face login included.
    const all = ok(await admin('stats.total')) as { methods: MethodUsage[]; calls: number };
    const byMethod = new Map(all.methods.map((usage) => [usage.method, usage.calls]));
    assert.ok((byMethod.get('userRegister') ?? 0) >= 3, JSON.stringify(all.methods));
    assert.ok((byMethod.get('faceLogin') ?? 0) >= 3, JSON.stringify(all.methods));
    assert.equal(all.calls, all.methods.reduce((sum, usage) => sum + usage.calls, 0));
    const duration = ok(await admin('stats.duration', { callName: '人脸检测' })) as { methods: MethodUsage[] };
    assert.equal(duration.methods[0].calls, before + 3);
    assert.ok((duration.methods[0].costMs ?? 0) >= before + 3, 'at least 1 ms a call');

    const period = async (op: string) => {
      const data = ok(await admin(op, { callName: '人脸检测' })) as { period: string; periods: PeriodUsage[] };
      assert.equal(data.periods.length, 1, JSON.stringify(data));
      assert.equal(data.periods[0].calls, before + 3);
      return data.periods[0];
    };
    const day = await period('stats.byDay');
    assert.deepEqual([day.from, day.to], [today, today], 'by day, the vendor\'s next-day end is absorbed');
    const week = await period('stats.byWeek');
    assert.equal(new Date(`${week.from}T00:00:00Z`).getUTCDay(), 1, 'weeks start on Monday');
    assert.equal(Date.parse(`${week.to}T00:00:00Z`) - Date.parse(`${week.from}T00:00:00Z`), 6 * DAY_MS);
    assert.ok(week.from <= today && today <= week.to);
    const month = await period('stats.byMonth');
    assert.deepEqual([month.from, month.to.slice(0, 7)], [`${today.slice(0, 7)}-01`, today.slice(0, 7)]);

    const chartDay = ok(await admin('stats.chartByDay', { time: today.slice(0, 7) })) as {
      month: string;
      daysInMonth: number;
      series: Array<{ method: string; points: Array<{ date: string; calls: number; costMs: number }> }>;
    };
    assert.equal(chartDay.month, today.slice(0, 7));
    const [year, monthNumber] = today.split('-').map(Number);
    assert.equal(chartDay.daysInMonth, new Date(Date.UTC(year, monthNumber, 0)).getUTCDate());
    const detectDays = chartDay.series.find((series) => series.method === 'faceDetect');
    assert.deepEqual(detectDays?.points.map((point) => [point.date, point.calls]), [[today, before + 3]]);
    const chartMonth = ok(await admin('stats.chartByMonth', { year: String(year) })) as { year: string; series: Array<{ method: string; points: Array<{ month: string; calls: number }> }> };
    assert.equal(chartMonth.year, String(year));
    assert.deepEqual(
      chartMonth.series.find((series) => series.method === 'faceDetect')?.points.map((point) => [point.month, point.calls]),
      [[today.slice(0, 7), before + 3]],
    );

    // Another period holds no calls.
    assert.deepEqual(ok(await admin('stats.total', { timeBefore: '2020-01-01', timeAfter: '2020-03-03' })), { methods: [], calls: 0 });
    assert.deepEqual(ok(await admin('stats.chartByMonth', { year: '2020' })), { year: '2020', series: [] });
  });

  it('grants capabilities: create, duplicate, update, remove', async () => {
    const granted = ok(await admin('grant.create', { appId: 'testan', dueTime: '2020-11-11 00:00:00', capabilityIdArray: ['C10000000001,C10000000002'] })) as Record<string, unknown>;
    assert.deepEqual(Object.keys(granted).sort(), ['appId', 'capabilityIds', 'dueTime', 'token']);
    assert.deepEqual([granted.appId, granted.dueTime, granted.capabilityIds], ['testan', '2020-11-11 00:00:00', ['C10000000001', 'C10000000002']]);
    assert.match(String(granted.token), /^[A-Za-z0-9+/]{22}==$/);

    const duplicate = await admin('grant.create', { appId: 'testan', dueTime: '2021-01-01', capabilityIds: ['C10000000003'] });
    assert.deepEqual([duplicate.status, duplicate.body.code], [409, 'ALREADY_EXISTS']);
    assert.deepEqual(duplicate.body.vendor, { name: 'face-platform', code: 'HTTP 500', message: '当前授权用户已存在' });

    const updated = ok(await admin('grant.update', { appId: 'testan', dueTime: '2099-10-28', capabilityIdArray: ['C10000000001', 'C10000000002', 'C10000000003'] }));
    assert.deepEqual(updated, {
      appId: 'testan',
      dueTime: '2099-10-28 00:00:00',
      token: granted.token,
      existing: ['C10000000001', 'C10000000002'],
      added: ['C10000000003'],
    });
    assert.deepEqual(ok(await admin('grant.remove', { appId: 'testan' })), { appId: 'testan', removed: true });
    const gone = await admin('grant.remove', { appId: 'testan' });
    assert.deepEqual([gone.status, gone.body.code, gone.body.vendor?.message], [404, 'NOT_FOUND', '该用户不存在']);
    assert.equal((await admin('grant.update', { appId: 'testan', dueTime: '2099-10-28', capabilityIdArray: ['C1'] })).body.code, 'NOT_FOUND');
  });

  it('retries statistics reads on a 5xx; never retries a write', async () => {
    mock.faults.set({ status: 503, path: '/method/call', times: 1 });
    ok(await admin('stats.total'));
    assert.equal(mock.faults.current, null, 'the fault was hit once');

    mock.faults.set({ status: 502, path: '/face-api/v3/group/add', times: 1 });
    const failed = await admin('group.create', { groupId: 'koala_fault' });
    assert.deepEqual([failed.status, failed.body.code], [503, 'VENDOR_UNAVAILABLE']);
    ok(await admin('group.create', { groupId: 'koala_fault' }));

    mock.faults.set({ malformedJson: true, path: '/face-api/facehub/statgroup', times: 1 });
    assert.equal((await admin('group.stats', { groupIdList: ['koala_fault'] })).body.code, 'VENDOR_ERROR');

    mock.faults.set({ status: 500, path: '/user/facelogin.json', times: 1, latencyMs: 5 });
    const login = await call('face.login', { image: b64(astronaut) }, ['face.login']);
    assert.equal(login.body.code, 'OK', 'a 500 with "运行时出错!" is retried; "人脸识别未通过" is not');
    mock.faults.clear();
  });

  it('never lets the password out: not in answers, not in log lines', () => {
    assert.ok(answers.length > 50, `answers checked: ${answers.length}`);
    assert.ok(logLines.length > 50, `log lines checked: ${logLines.length}`);
    for (const text of [...answers, ...logLines]) assert.ok(!text.includes(PASSWORD), text.slice(0, 300));
    const registerLines = logLines.filter((line) => line.includes('"op":"face.register"'));
    assert.ok(registerLines.length >= 3, 'register calls were logged');
  });

  it('mock speaks the document: shapes, token rule, Spring pages, 华铭考拉 envelopes', async () => {
    const post = async (path: string, body: unknown, withToken = true) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (withToken) headers.token = mock.token;
      const response = await fetch(mock.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: response.status, json: (await response.json()) as Record<string, any> };
    };
    const total = await post('/method/call', {});
    assert.deepEqual(Object.keys(total.json), ['flag', 'resultCode', 'message', 'data']);
    assert.deepEqual(Object.keys(total.json.data[0]), [
      'traceId', 'username', 'visitIp', 'visitTime', 'visitDesc', 'visitUrl', 'costTime', 'visitResult', 'visitCode',
      'visitMsg', 'visitSource', 'methodName', 'callCount', 'end', 'day', 'begin', 'total', 'count',
    ]);
    assert.equal(typeof total.json.data[0].count, 'string');
    assert.equal(typeof total.json.data[0].costTime, 'number');
    const byDay = await post('/method/call/getMethodCountByDay', {});
    const row = byDay.json.data[0];
    assert.equal(row.day, `${row.begin}~~~${row.end}`);
    assert.equal(Date.parse(row.end) - Date.parse(row.begin), DAY_MS, 'by day the end is the next day');
    assert.deepEqual((await post('/method/call', {}, false)).json, { flag: false, resultCode: 1, message: 'token不能为空', data: null });
    assert.equal((await post('/method/call/all', {}, false)).json.flag, true, 'section 8.7 lists no token header');
    assert.deepEqual((await post('/method/call', { timeBefore: 'yesterday' })).json, { flag: false, message: '运行时出错!', data: null });

    await post('/authorize/grantAuthorize', { appId: 'raw_app', dueTime: '2099-01-01 00:00:00', capabilityIdArray: ['C10000000001'] });
    const duplicate = await post('/authorize/grantAuthorize', { appId: 'raw_app', dueTime: '2099-01-01 00:00:00', capabilityIdArray: ['C10000000001'] });
    assert.equal(duplicate.status, 500);
    assert.deepEqual(Object.keys(duplicate.json), ['timestamp', 'status', 'error', 'message', 'path']);
    assert.deepEqual([duplicate.json.status, duplicate.json.message, duplicate.json.path], [500, '当前授权用户已存在', '/authorize/grantAuthorize']);
    const update = await post('/authorize/updateAuthorize', { appId: 'raw_app', dueTime: '2099-01-01 00:00:00', capabilityIdArray: ['C10000000001,C10000000002'] });
    assert.deepEqual([update.json.data.existAuthorize, update.json.data.addAuthorize], ['[C10000000001]', '[C10000000002]']);

    const login = await post('/user/facelogin.json', { image: b64(cameraman) }, false);
    assert.equal(login.status, 500);
    assert.match(login.json.timestamp, /^\d{4}-\d{2}-\d{2}$/);
    assert.deepEqual([login.json.message, login.json.path], ['人脸识别未通过', '/user/facelogin.json']);

    const added = await post('/face-api/v3/group/add', { group_id: 'raw_group' }, false);
    assert.deepEqual(Object.keys(added.json), ['error_code', 'error_msg', 'log_id', 'timestamp', 'cached', 'result']);
    assert.deepEqual([added.json.error_code, added.json.error_msg, added.json.cached, added.json.result], [0, 'SUCCESS', 0, null]);
    assert.equal(typeof added.json.log_id, 'number');
    const users = await post('/face-api/v3/user/list', { group_id: 'raw_group' }, false);
    assert.deepEqual(users.json.result, { user_id_list: [] });
    const statApp = await post('/face-api/facehub/statapp', {}, false);
    assert.deepEqual(Object.keys(statApp.json), ['system']);
    assert.equal(typeof statApp.json.system.group_num, 'number');
    const statGroup = await post('/face-api/facehub/statgroup', { group_id_list: 'raw_group' }, false);
    assert.deepEqual(Object.keys(statGroup.json.raw_group), ['user_num', 'face_num', 'ctime']);
  });
});

describe('face.register when the platform quotes the request in an error', { timeout: 30_000 }, () => {
  it('masks the password in the vendor message and the log line', async () => {
    const lines: string[] = [];
    // A stand-in platform (no socket) that echoes the password the way a careless server might.
    const echoing = async (_input: Request | string | URL, init?: RequestInit) => {
      const sent = JSON.parse(String(init?.body)) as { password: string };
      const body = JSON.stringify({ flag: false, resultCode: 1, message: `密码[${sent.password}]不符合规则`, data: null });
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const stack = await startStack({ facePlatform: { url: 'http://127.0.0.1:9', token: 't', fetch: echoing }, log: (line) => lines.push(line) });
    try {
      const image = b64(cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE, 92));
      const body = { username: 'echo', password: PASSWORD, telephone: '13940312121', mail: 'abc@126.com', deptId: '123', image };
      const answer = await callOp(stack.base, 'face.register', body, { ticket: await stack.ticket(['face.register']) });
      assert.equal(answer.body.code, 'VENDOR_ERROR');
      assert.equal(answer.body.vendor?.message, '密码[***]不符合规则');
      const text = JSON.stringify(answer.body) + lines.join('\n');
      assert.ok(lines.some((line) => line.includes('密码[***]')), lines.join('\n'));
      assert.ok(!text.includes(PASSWORD), text);
    } finally {
      await stack.close();
    }
  });
});

describe('face platform with a second service root (commonUrl)', { timeout: 60_000 }, () => {
  let platform: FacePlatformMock;
  let common: FacePlatformMock;
  let stack: Stack;

  before(async () => {
    platform = await startFacePlatformMock({ port: 0, token: 'shared-token-for-both' });
    common = await startFacePlatformMock({ port: 0, token: 'shared-token-for-both' });
    stack = await startStack({ facePlatform: { url: platform.url, commonUrl: common.url, token: 'shared-token-for-both' } });
  });
  after(async () => {
    await stack.close();
    await platform.close();
    await common.close();
  });

  it('sends statistics, register and face login to commonUrl, the rest to url', async () => {
    const admin = await stack.ticket(['admin']);
    assert.equal((await callOp(stack.base, 'stats.total', {}, { ticket: admin })).body.code, 'OK');
    assert.equal((await callOp(stack.base, 'group.list', {}, { ticket: await stack.ticket(['admin']) })).body.code, 'OK');
    const image = b64(cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE, 92));
    const login = await callOp(stack.base, 'face.login', { image }, { ticket: await stack.ticket(['face.login']) });
    assert.equal(login.body.code, 'NO_MATCH');
    assert.deepEqual(
      common.requests.map((request) => request.path),
      ['/method/call', '/user/facelogin.json'],
    );
    assert.deepEqual(
      platform.requests.map((request) => request.path),
      ['/face-api/v3/group/list'],
    );
  });
});
