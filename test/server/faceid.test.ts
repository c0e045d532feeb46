/// <reference types="node" />
/**
 * FaceID liveness through the endpoint against its mock behind the mock Alibaba gateway, with the
 * gateway signature checked on every call: start → verify → result, the scenarios, the threshold
 * of each security level, AppCode mode, a wrong AppSecret, and faults.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { KIT_CODES, type KitCode } from '../../packages/core/src/shared/index.js';
import {
  FACEID_CODE_TABLE,
  FACEID_MOCK_THRESHOLDS,
  normaliseFaceIdResult,
  startFaceIdMock,
  type FaceIdErrorRule,
  type FaceIdMock,
  type FaceIdResultRule,
  type FaultSettings,
} from '../../packages/server/src/index.js';
import { ASTRONAUT_FACE, ASTRONAUT_FACE_SHIFTED, CAMERAMAN_FACE, b64, callOp, cropJpeg, flatJpeg, samplePhoto, startStack, type OpAnswer, type Stack } from './helpers.js';

/** A valid-looking 18-digit number (the mock checks the format, not the checksum). */
let idCounter = 0;
const newIdNumber = () => `1101051990${String(++idCounter).padStart(7, '0')}X`;
/** The hardening rate limit would count this file's many calls from 127.0.0.1. */
const NO_IP_LIMIT = { rateLimitIpPerMinute: 0 };

interface StartData {
  bizToken: string;
  actions: string[];
  securityLevel: number;
  thresholdKey: string;
}

describe('FaceID liveness', { timeout: 120_000 }, () => {
  let stack: Stack;
  let mock: FaceIdMock;
  let astronaut: string;
  let astronautShifted: string;
  let cameraman: string;

  const ticket = () => stack.ticket(['liveness.*']);
  const start = async (body: Record<string, unknown>, base = stack.base, mint = ticket): Promise<OpAnswer> =>
    callOp(base, 'liveness.start', { idcard_name: '张三', idcard_number: newIdNumber(), ...body }, { ticket: await mint() });
  const verify = async (data: StartData, image = astronautShifted, base = stack.base, mint = ticket) =>
    callOp(base, 'liveness.verify', { biz_token: data.bizToken, image_best: image, action_log: data.actions.map((action) => ({ action, passed: true, durationMs: 1200 })) }, { ticket: await mint() });
  const result = async (bizToken: string, extra: Record<string, unknown> = {}, base = stack.base, mint = ticket) =>
    callOp(base, 'liveness.result', { biz_token: bizToken, ...extra }, { ticket: await mint() });
  /** start → verify → result on one stack; returns the three answers. */
  const flow = async (startBody: Record<string, unknown>, image = astronautShifted) => {
    const started = await start(startBody);
    assert.equal(started.body.code, 'OK', JSON.stringify(started.body));
    const data = started.body.data as StartData;
    const verified = await verify(data, image);
    const final = await result(data.bizToken);
    return { started: data, verified, final };
  };

  before(async () => {
    stack = await startStack(NO_IP_LIMIT);
    mock = stack.server.mocks.faceid!;
    astronaut = b64(cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE));
    astronautShifted = b64(cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE_SHIFTED));
    cameraman = b64(cropJpeg(samplePhoto('camera.png'), CAMERAMAN_FACE));
  });
  beforeEach(() => {
    mock.faults.clear();
    mock.clearScenario();
  });
  after(() => stack.close());

  it('runs start → verify → result with the gateway signature checked on every call', async () => {
    mock.addIdentity({ idcardName: '李四', idcardNumber: '110105199001010011', image: Buffer.from(astronaut, 'base64') });
    const started = await start({ idcard_name: '李四', idcard_number: '110105199001010011', biz_no: 'order-42', liveness_action_count: 2, image_ref1: astronaut });
    assert.equal(started.body.code, 'OK', JSON.stringify(started.body));
    const data = started.body.data as StartData & { bizNo: string; livenessTimeout: number };
    assert.match(data.bizToken, /^\d+,[0-9a-f-]{36}$/);
    assert.equal(data.bizNo, 'order-42');
    assert.equal(data.actions.length, 2);
    assert.equal(new Set(data.actions).size, 2);
    assert.equal(data.securityLevel, 2);
    assert.equal(data.thresholdKey, '1e-4');
    assert.equal(data.livenessTimeout, 60);

    const early = await result(data.bizToken);
    assert.equal(early.body.code, 'IN_PROGRESS');
    assert.equal(early.status, 202);
    assert.deepEqual(early.body.data, { bizToken: data.bizToken, bizNo: 'order-42', resultCode: 9000, resultMessage: 'LIVING_NOT_START' });

    const verified = await verify(data);
    assert.equal(verified.body.code, 'OK', JSON.stringify(verified.body));
    assert.deepEqual(
      { ...(verified.body.data as object), vendorRequestId: undefined },
      { bizToken: data.bizToken, passed: true, sdkCode: 51000, resultMessage: 'SUCCESS', verdict: 'same-person', reasonCode: 'OK', vendorRequestId: undefined },
    );

    const final = await result(data.bizToken);
    assert.equal(final.body.code, 'OK');
    const verdict = final.body.data as Record<string, any>;
    assert.equal(verdict.passed, true);
    assert.equal(verdict.verdict, 'same-person');
    assert.equal(verdict.reasonCode, 'OK');
    assert.equal(verdict.resultCode, 1000);
    assert.equal(verdict.resultMessage, 'SUCCESS');
    assert.equal(verdict.bizNo, 'order-42');
    assert.deepEqual(verdict.thresholds, FACEID_MOCK_THRESHOLDS);
    assert.equal(verdict.threshold, FACEID_MOCK_THRESHOLDS['1e-4']);
    assert.ok(verdict.confidence >= 80 && verdict.confidence <= 100, `confidence ${verdict.confidence}`);
    assert.ok(verdict.comparisons.idcard && verdict.comparisons.ref1, 'the authority photo and image_ref1 were compared');
    assert.equal(verdict.comparisons.ref1.passed, true);
    assert.equal(verdict.attacks, undefined);
    assert.ok(!JSON.stringify(final.body).includes(astronautShifted.slice(0, 200)), 'image_best never reaches the browser');
    assert.deepEqual(final.body.vendor, { name: 'faceid', code: '1000', message: 'SUCCESS' });

    // The mock keeps its last 100 requests: these four are the newest.
    const calls = mock.requests.slice(-4);
    assert.deepEqual(
      calls.map((call) => [call.method, call.path, call.auth, call.status]),
      [
        ['POST', '/face/v1.2/sdk/get_biz_token', 'signature', 200],
        ['GET', '/face/v1.2/sdk/get_result', 'signature', 200],
        ['POST', '/face/v1.2/sdk/verify', 'signature', 200],
        ['GET', '/face/v1.2/sdk/get_result', 'signature', 200],
      ],
    );
  });

  it('says not-same-person when the live face is not the authority photo', async () => {
    mock.addIdentity({ idcardName: '王五', idcardNumber: '110105199001010022', image: Buffer.from(cameraman, 'base64') });
    const { verified, final } = await flow({ idcard_name: '王五', idcard_number: '110105199001010022' });
    assert.equal(verified.body.code, 'OK');
    assert.equal((verified.body.data as any).verdict, 'not-same-person');
    assert.equal((verified.body.data as any).reasonCode, 'NOT_SAME_PERSON');
    const data = final.body.data as any;
    assert.equal(final.body.code, 'OK');
    assert.equal(data.passed, false);
    assert.equal(data.verdict, 'not-same-person');
    assert.equal(data.reasonCode, 'NOT_SAME_PERSON');
    assert.equal(data.resultCode, 2000);
    assert.ok(data.confidence < data.threshold, `${data.confidence} < ${data.threshold}`);
  });

  it('reports a name that does not match the ID number', async () => {
    mock.addIdentity({ idcardName: '赵六', idcardNumber: '110105199001010033', image: Buffer.from(astronaut, 'base64') });
    const { final } = await flow({ idcard_name: '钱七', idcard_number: '110105199001010033' });
    assert.equal((final.body.data as any).verdict, 'failed');
    assert.equal((final.body.data as any).reasonCode, 'IDENTITY_MISMATCH');
    assert.equal((final.body.data as any).resultMessage, 'ID_NUMBER_NAME_NOT_MATCH');
  });

  const scenarios: Array<[string, { verdict?: string; reasonCode?: KitCode; attacks?: string[]; code?: KitCode }]> = [
    ['success', { verdict: 'same-person', reasonCode: 'OK' }],
    ['not-same', { verdict: 'not-same-person', reasonCode: 'NOT_SAME_PERSON' }],
    ['attack', { verdict: 'attack', reasonCode: 'LIVENESS_ATTACK', attacks: ['fake-face'] }],
    ['replaced-face', { verdict: 'attack', reasonCode: 'LIVENESS_ATTACK', attacks: ['replaced-face'] }],
    ['user-timeout', { verdict: 'failed', reasonCode: 'LIVENESS_TIMEOUT' }],
    ['expired', { code: 'LIVENESS_EXPIRED' }],
    ['in-progress', { code: 'IN_PROGRESS' }],
  ];
  for (const [scenario, want] of scenarios) {
    it(`scenario ${scenario} (biz_no mock:${scenario}) → ${want.code ?? `${want.verdict} / ${want.reasonCode}`}`, async () => {
      const { verified, final } = await flow({ biz_no: `mock:${scenario}:case` }, cameraman);
      for (const answer of [verified, final]) {
        if (want.code) {
          assert.equal(answer.body.code, want.code, JSON.stringify(answer.body));
          assert.equal(answer.status, KIT_CODES[want.code].status);
          continue;
        }
        assert.equal(answer.body.code, 'OK', JSON.stringify(answer.body));
        const data = answer.body.data as any;
        assert.equal(data.verdict, want.verdict);
        assert.equal(data.reasonCode, want.reasonCode);
        assert.equal(data.passed, want.verdict === 'same-person');
        assert.deepEqual(data.attacks, want.attacks);
      }
    });
  }

  it('takes the scenario of the next session from POST /__scenario', async () => {
    const control = await fetch(`${mock.url}/__scenario`, { method: 'POST', body: JSON.stringify({ scenario: 'replaced-face' }) });
    assert.equal(control.status, 200);
    const { final } = await flow({});
    assert.deepEqual((final.body.data as any).attacks, ['replaced-face']);
    // Used once: the next session is decided by the images again.
    const next = await flow({});
    assert.equal((next.final.body.data as any).verdict, 'same-person');
  });

  it('compares an attack only with force_compare=1', async () => {
    const plain = await flow({ biz_no: 'mock:attack' });
    assert.equal((plain.final.body.data as any).confidence, null);
    const forced = await flow({ biz_no: 'mock:attack', force_compare: 1 });
    assert.equal(typeof (forced.final.body.data as any).confidence, 'number');
    assert.equal((forced.final.body.data as any).passed, false);
  });

  describe('every result_code of the document reaches its kit code', () => {
    const rules = FACEID_CODE_TABLE.filter((rule): rule is FaceIdResultRule => rule.source === 'result' && !rule.sdkOnly);
    for (const rule of rules) {
      it(`${rule.resultCode} ${rule.resultMessage} → ${rule.outcome} ${rule.kitCode}`, async () => {
        const started = await start({ biz_no: `mock:code=${rule.resultMessage}` });
        const data = started.body.data as StartData;
        for (const answer of [await verify(data), await result(data.bizToken)]) {
          if (rule.outcome === 'error') {
            assert.equal(answer.body.code, rule.kitCode, JSON.stringify(answer.body));
            assert.equal(answer.body.vendor?.name, 'faceid');
          } else if (rule.outcome === 'pending') {
            assert.equal(answer.body.code, 'IN_PROGRESS');
          } else {
            assert.equal(answer.body.code, 'OK', JSON.stringify(answer.body));
            assert.equal((answer.body.data as any).verdict, rule.outcome);
            assert.equal((answer.body.data as any).reasonCode, rule.kitCode);
          }
        }
      });
    }
  });

  describe('every ERROR field of the document reaches its kit code', () => {
    const rules = FACEID_CODE_TABLE.filter((rule): rule is FaceIdErrorRule => rule.source === 'error');
    for (const rule of rules) {
      const detail = rule.detail ? (rule.detail.test('biz_token') ? 'biz_token' : 'call limit exceeded') : 'some_field';
      const errorText = rule.error === 'Request Entity Too Large' ? rule.error : `${rule.error}:${detail}`;
      it(`HTTP ${rule.httpStatuses[0]} ${errorText} → ${rule.kitCode}`, async () => {
        const answer = await start({ biz_no: `mock:error=${rule.httpStatuses[0]}:${errorText}` });
        assert.equal(answer.body.code, rule.kitCode, JSON.stringify(answer.body));
        assert.equal(answer.body.vendor?.name, 'faceid');
        assert.equal(answer.body.vendor?.code, `HTTP ${rule.httpStatuses[0]}`);
      });
    }
  });

  describe('threshold of each security level', () => {
    // confidence 72: above 1e-3 (62.17) and 1e-4 (69.32), below 1e-5 (74.40) and 1e-6 (78.04).
    const levels: Array<[number, string, boolean]> = [
      [1, '1e-3', true],
      [2, '1e-4', true],
      [3, '1e-5', false],
      [4, '1e-6', false],
    ];
    for (const [level, key, passes] of levels) {
      it(`security_level ${level} compares with ${key}: confidence 72 ${passes ? 'passes' : 'fails'}`, async () => {
        const { started, final } = await flow({ security_level: level, biz_no: 'mock:confidence=72' });
        assert.equal(started.thresholdKey, key);
        const data = final.body.data as any;
        assert.equal(data.securityLevel, level);
        assert.equal(data.thresholdKey, key);
        assert.equal(data.threshold, FACEID_MOCK_THRESHOLDS[key as keyof typeof FACEID_MOCK_THRESHOLDS]);
        assert.equal(data.confidence, 72);
        assert.equal(data.passed, passes);
        assert.equal(data.verdict, passes ? 'same-person' : 'not-same-person');
      });
    }

    it('keeps the level chosen at start: a looser security_level at result time is ignored', async () => {
      const { started } = await flow({ security_level: 4, biz_no: 'mock:confidence=72' });
      const loosened = await result(started.bizToken, { security_level: 1 });
      assert.equal((loosened.body.data as any).securityLevel, 4);
      assert.equal((loosened.body.data as any).passed, false);
    });

    it('lets the stricter word win: a SUCCESS below the level threshold is not-same-person', () => {
      const answer = {
        request_id: 'r',
        time_used: 1,
        biz_token: 't',
        result_code: 1000,
        result_message: 'SUCCESS',
        verification: { idcard: { confidence: 75, thresholds: FACEID_MOCK_THRESHOLDS } },
      };
      const strict = normaliseFaceIdResult(answer, 4);
      assert.ok('result' in strict);
      assert.equal(strict.result.passed, false);
      assert.equal(strict.result.verdict, 'not-same-person');
      assert.equal(strict.result.reasonCode, 'NOT_SAME_PERSON');
      const standard = normaliseFaceIdResult(answer, 2);
      assert.ok('result' in standard && standard.result.passed);
    });

    it("reads the document example's ref1 beside verification, and thresholds given as text", () => {
      const example = {
        biz_token: '1532485677,fb241f74-e4e0-4396-ad74-eb8c1764aa1b',
        images: { image_best: 'xxxx' },
        verification: { idcard: { confidence: 83.23666, thresholds: { '1e-3': 62.168713, '1e-5': 74.39926, '1e-4': 69.31534, '1e-6': 78.038055 } } },
        ref1: { confidence: '82.93322', thresholds: { '1e-3': '62.168713', '1e-5': '74.39926', '1e-4': '69.31534', '1e-6': '78.038055' } },
        request_id: '1532487162,7fb9b4af-4c6e-47a0-bb53-9de273368bc9',
        time_used: 108,
        biz_no: '1234567890',
        result_message: 'SUCCESS',
        result_code: 1000,
      };
      const read = normaliseFaceIdResult(example, 2);
      assert.ok('result' in read);
      assert.equal(read.result.confidence, 83.23666);
      assert.equal(read.result.comparisons.ref1?.confidence, 82.93322);
      assert.equal(read.result.comparisons.ref1?.threshold, 69.31534);
      assert.equal(read.result.bizNo, '1234567890');
      assert.ok(!JSON.stringify(read).includes('xxxx'), 'image_best is dropped');
    });
  });

  describe('checks before the vendor is called', () => {
    it('refuses a malformed ID number, a fourth action and an unknown liveness type', async () => {
      const lastCall = mock.requests.at(-1);
      for (const body of [{ idcard_number: '12345' }, { liveness_action_count: 4 }, { liveness_type: 'flash' }, { security_level: 5 }, { biz_no: 'x'.repeat(129) }]) {
        const answer = await start(body);
        assert.equal(answer.body.code, 'BAD_REQUEST', JSON.stringify(body));
      }
      assert.equal(mock.requests.at(-1), lastCall, 'the vendor was not called');
    });

    it('accepts the camelCase names too', async () => {
      const answer = await callOp(stack.base, 'liveness.start', { idcardName: '张三', idcardNumber: newIdNumber(), securityLevel: 3 }, { ticket: await ticket() });
      assert.equal(answer.body.code, 'OK');
      assert.equal((answer.body.data as any).thresholdKey, '1e-5');
    });

    it('refuses an action log that does not follow the session, without an upload', async () => {
      const data = (await start({})).body.data as StartData;
      const lastCall = mock.requests.at(-1);
      const reversed = await callOp(
        stack.base,
        'liveness.verify',
        { biz_token: data.bizToken, image_best: astronaut, action_log: [...data.actions].reverse().map((action) => ({ action, passed: true })) },
        { ticket: await ticket() },
      );
      assert.equal(reversed.body.code, 'OK');
      assert.equal((reversed.body.data as any).reasonCode, 'WRONG_ACTION');
      assert.equal((reversed.body.data as any).sdkCode, null);
      assert.equal(mock.requests.at(-1), lastCall, 'the vendor was not called');
    });

    it('spends a liveness.verify ticket once', async () => {
      const data = (await start({})).body.data as StartData;
      const once = await ticket();
      const first = await verify(data, astronaut, stack.base, async () => once);
      assert.equal(first.body.code, 'OK');
      const again = await verify(data, astronaut, stack.base, async () => once);
      assert.equal(again.body.code, 'TICKET_REPLAYED');
    });
  });

  describe('answers of the vendor to bad input', () => {
    it('a reference photo without a face → NO_FACE (400 NO_FACE_FOUND:image_ref1)', async () => {
      const answer = await start({ image_ref1: b64(flatJpeg()) });
      assert.equal(answer.body.code, 'NO_FACE');
      assert.equal(answer.body.vendor?.message, 'NO_FACE_FOUND:image_ref1');
    });

    it('a live photo without a face → failed / NO_FACE (54200 UNDETECTED_FACE)', async () => {
      const data = (await start({})).body.data as StartData;
      const verified = await verify(data, b64(flatJpeg()));
      assert.equal((verified.body.data as any).reasonCode, 'NO_FACE');
      assert.equal(verified.body.vendor?.code, '54200');
    });

    it('an unknown biz_token → LIVENESS_EXPIRED (400 BAD_ARGUMENTS:biz_token, 54200 BIZ_TOKEN_DENIED)', async () => {
      const unknown = '1700000000,00000000-0000-0000-0000-000000000000';
      const fetched = await result(unknown);
      assert.equal(fetched.body.code, 'LIVENESS_EXPIRED');
      assert.equal(fetched.body.vendor?.message, 'BAD_ARGUMENTS:biz_token');
      const verified = await verify({ bizToken: unknown, actions: ['blink'], securityLevel: 2, thresholdKey: '1e-4' });
      assert.equal(verified.body.code, 'LIVENESS_EXPIRED');
    });

    it('action durations over liveness_timeout → failed / LIVENESS_TIMEOUT', async () => {
      const data = (await start({ liveness_timeout: 2, liveness_action_count: 1 })).body.data as StartData;
      const slow = await callOp(stack.base, 'liveness.verify', { biz_token: data.bizToken, image_best: astronaut, action_log: [{ action: data.actions[0], passed: true, durationMs: 2500 }] }, { ticket: await ticket() });
      assert.equal((slow.body.data as any).reasonCode, 'LIVENESS_TIMEOUT');
    });
  });

  describe('the gateway signature', () => {
    it('a wrong AppSecret: the gateway refuses with X-Ca-Error-Message and the endpoint answers VENDOR_AUTH', async () => {
      const wrong = await startStack({ ...NO_IP_LIMIT, faceid: { url: mock.url, appKey: mock.appKey, appSecret: `${mock.appSecret}x` } });
      try {
        const answer = await start({}, wrong.base, () => wrong.ticket(['liveness.*']));
        assert.equal(answer.body.code, 'VENDOR_AUTH');
        assert.equal(answer.status, KIT_CODES.VENDOR_AUTH.status);
        assert.match(answer.body.vendor?.message ?? '', /^Invalid Signature, Server StringToSign:/);
        assert.equal(answer.body.vendor?.code, 'gateway HTTP 400');
        const last = mock.requests.at(-1)!;
        assert.deepEqual([last.auth, last.status], ['refused', 400]);
      } finally {
        await wrong.close();
      }
    });

    it('answers as the gateway does: status, X-Ca-Error-Message, empty body', async () => {
      const unsigned = await fetch(`${mock.url}/face/v1.2/sdk/get_result?biz_token=x`);
      assert.equal(unsigned.status, 400);
      assert.equal(unsigned.headers.get('x-ca-error-message'), 'Invalid AppKey');
      assert.equal(await unsigned.text(), '');
      const noSignature = await fetch(`${mock.url}/face/v1.2/sdk/get_result?biz_token=x`, { headers: { 'x-ca-key': mock.appKey } });
      assert.equal(noSignature.status, 401);
      assert.equal(noSignature.headers.get('x-ca-error-message'), 'Empty Signature');
      const badCode = await fetch(`${mock.url}/face/v1.2/sdk/get_result?biz_token=x`, { headers: { authorization: 'APPCODE nope' } });
      assert.equal(badCode.status, 400);
      assert.equal(badCode.headers.get('x-ca-error-message'), 'Invalid AppCode `not exists`');
    });

    it('APPCODE mode: the whole flow with Authorization: APPCODE', async () => {
      const appCode = await startStack({ ...NO_IP_LIMIT, faceid: { url: mock.url, appCode: mock.appCode } });
      try {
        const mint = () => appCode.ticket(['liveness.*']);
        const started = await start({}, appCode.base, mint);
        assert.equal(started.body.code, 'OK', JSON.stringify(started.body));
        const data = started.body.data as StartData;
        assert.equal((await verify(data, astronaut, appCode.base, mint)).body.code, 'OK');
        const final = await result(data.bizToken, {}, appCode.base, mint);
        assert.equal((final.body.data as any).passed, true);
        assert.deepEqual(
          mock.requests.slice(-3).map((call) => [call.path, call.auth]),
          [
            ['/face/v1.2/sdk/get_biz_token', 'appcode'],
            ['/face/v1.2/sdk/verify', 'appcode'],
            ['/face/v1.2/sdk/get_result', 'appcode'],
          ],
        );
      } finally {
        await appCode.close();
      }
    });

    it('APPCODE mode with a wrong code → VENDOR_AUTH', async () => {
      const wrong = await startStack({ ...NO_IP_LIMIT, faceid: { url: mock.url, appCode: 'not-the-code' } });
      try {
        const answer = await start({}, wrong.base, () => wrong.ticket(['liveness.*']));
        assert.equal(answer.body.code, 'VENDOR_AUTH');
        assert.equal(answer.body.vendor?.message, 'Invalid AppCode `not exists`');
      } finally {
        await wrong.close();
      }
    });
  });

  describe('faults', () => {
    const TIMEOUT_MS = 1200; // far above an ordinary call, even on a loaded machine
    let timed: Stack;
    let slowMock: FaceIdMock;
    before(async () => {
      slowMock = await startFaceIdMock();
      timed = await startStack({ ...NO_IP_LIMIT, vendorTimeoutMs: TIMEOUT_MS, faceid: { url: slowMock.url, appKey: slowMock.appKey, appSecret: slowMock.appSecret } });
    });
    beforeEach(() => slowMock.faults.clear());
    after(async () => {
      await timed.close();
      await slowMock.close();
    });
    const startTimed = () => start({}, timed.base, () => timed.ticket(['liveness.*']));

    const cases: Array<[string, FaultSettings, KitCode]> = [
      ['HTTP 500 INTERNAL_ERROR', { status: 500 }, 'VENDOR_UNAVAILABLE'],
      ['HTTP 502 from the proxy', { status: 502 }, 'VENDOR_UNAVAILABLE'],
      ['HTTP 503 from the proxy', { status: 503 }, 'VENDOR_UNAVAILABLE'],
      ['HTTP 504 from the proxy', { status: 504 }, 'VENDOR_TIMEOUT'],
      ['HTTP 429 CONCURRENCY_LIMIT_EXCEEDED', { status: 429 }, 'RATE_LIMITED'],
      ['HTTP 413 in plain text', { status: 413 }, 'IMAGE_TOO_LARGE'],
      ['JSON cut in the middle', { malformedJson: true }, 'VENDOR_ERROR'],
      ['an answer slower than the timeout', { latencyMs: TIMEOUT_MS * 4 }, 'VENDOR_TIMEOUT'],
      ['a dropped connection', { resetConnection: true }, 'VENDOR_UNAVAILABLE'],
    ];
    for (const [name, fault, code] of cases) {
      it(`maps ${name} to ${code}`, async () => {
        slowMock.faults.set(fault);
        const answer = await startTimed();
        assert.equal(answer.body.code, code, JSON.stringify(answer.body));
        assert.equal(answer.status, KIT_CODES[code].status);
        assert.equal(answer.body.vendor?.name, 'faceid');
      });
    }

    it('a slow verify (scenario slow=<ms>) → VENDOR_TIMEOUT within the bound', async () => {
      const data = (await start({ biz_no: 'mock:slow=3000' }, timed.base, () => timed.ticket(['liveness.*']))).body.data as StartData;
      const began = Date.now();
      const answer = await verify(data, astronaut, timed.base, () => timed.ticket(['liveness.*']));
      assert.equal(answer.body.code, 'VENDOR_TIMEOUT');
      assert.ok(Date.now() - began < 2500, `took ${Date.now() - began} ms`);
    });

    it('an unconfigured FaceID answers VENDOR_UNAVAILABLE (not-configured) when demo mode is off', async () => {
      const production = await startStack({ ...NO_IP_LIMIT, demo: false });
      try {
        assert.equal(production.server.mocks.faceid, undefined, 'no mock outside demo mode');
        const answer = await start({}, production.base, () => production.ticket(['liveness.*']));
        assert.equal(answer.body.code, 'VENDOR_UNAVAILABLE');
        assert.equal(answer.body.vendor?.code, 'not-configured');
      } finally {
        await production.close();
      }
    });
  });
});

describe('FaceID and face-image configuration', () => {
  it('reads FACEKIT_FACEID_* and FACEKIT_FACE_IMAGE_*: signature, AppCode, and the errors', async () => {
    const { configFromEnv, ConfigError } = await import('../../packages/server/src/index.js');
    const settings = configFromEnv({
      FACEKIT_FACEID_URL: 'https://faceid.example',
      FACEKIT_FACEID_APP_KEY: 'key',
      FACEKIT_FACEID_APP_SECRET: 'secret',
      FACEKIT_FACEID_TIMEOUT_MS: '5000',
      FACEKIT_FACE_IMAGE_URL: 'https://image.example',
      FACEKIT_FACE_IMAGE_APP_CODE: 'code',
    });
    assert.deepEqual(settings.faceid, { url: 'https://faceid.example', appKey: 'key', appSecret: 'secret', timeoutMs: 5000 });
    assert.deepEqual(settings.faceImage, { url: 'https://image.example', appCode: 'code' });
    assert.throws(() => configFromEnv({ FACEKIT_FACEID_URL: 'https://faceid.example' }), ConfigError);
    assert.throws(() => configFromEnv({ FACEKIT_FACEID_URL: 'https://faceid.example', FACEKIT_FACEID_APP_KEY: 'key' }), ConfigError);
    assert.throws(() => configFromEnv({ FACEKIT_FACE_IMAGE_URL: 'ftp://x', FACEKIT_FACE_IMAGE_APP_CODE: 'c' }), ConfigError);
    assert.equal(configFromEnv({}).faceid, undefined);
  });
});
