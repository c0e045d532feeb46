/**
 * Loopback mock of the FaceID liveness API (vendor document `faceid-liveness-api.md`) behind a
 * mock Alibaba Cloud API Gateway (aliyun-gateway.ts), with the document's answers and quirks:
 * `{ request_id, time_used, biz_token }` from get_biz_token; HTTP 400/403/404/429/500 with
 * `{ error: "NAME:detail" }`; a plain-text 413 "Request Entity Too Large" (over 20 MB, or a
 * photo over 2 MB); get_result with result_code/result_message, and with verbose=1 the
 * `verification.{idcard,ref1,ref2}.{confidence,thresholds{1e-3…1e-6}}` and `images.image_best`.
 *
 * The verify route (`POST /face/v1.2/sdk/verify`): the document's flow has the SDK upload the
 * capture ("SDK内部会调用FaceID服务器进行云端攻击检测") without naming the call, so this route is the
 * mock's design. It takes `biz_token`, `image_best` (base64) and `action_log` (a JSON array of
 * `{ action, passed, duration_ms? }`); the reference photos `image_ref1`/`image_ref2` were given
 * to get_biz_token (第1步) and come back compared in get_result (第3步). It answers HTTP 200 with
 * the SDK codes of "2.5 SDK 错误码说明": `{ request_id, time_used, biz_token, result_code: 51000,
 * result_message: "SUCCESS" }`, 50400 "MISSING_ARGUMENTS:image_best", 54200 "BIZ_TOKEN_DENIED" ….
 *
 * How it decides (unless a scenario says otherwise):
 * - the authority photo of an ID number is the one added with `addIdentity`; an unknown number
 *   adopts the first verified live photo (`adoptUnknownIdentities`, default true) so that a demo
 *   passes, and a later different face does not; with adoption off: NO_ID_CARD_NUMBER;
 * - a name that differs from the registered one: ID_NUMBER_NAME_NOT_MATCH;
 * - confidence = 58 + (similarity − 0.75) × 220, clamped to 0–100, with the perceptual-hash
 *   similarity of image.ts (same still face ≈ 0.85–1 → ≥ 80; unrelated ≤ 0.75 → ≤ 58);
 * - SUCCESS when the confidence reaches the threshold of `security_level` (1→1e-3 … 4→1e-6),
 *   else PASS_LIVING_NOT_THE_SAME; the thresholds are the document example's;
 * - a live photo without a face: UNDETECTED_FACE; fewer passed actions than
 *   `liveness_action_count`: ACTION_ERROR; action durations over `liveness_timeout`: USER_TIMEOUT;
 * - get_result before verify: 9000 LIVING_NOT_START; an unknown biz_token: 400 BAD_ARGUMENTS:biz_token;
 *   an expired one: 4200 BIZ_TOKEN_DENIED.
 *
 * Scenarios, chosen per session: a `biz_no` of `mock:<scenario>[:anything]`, or the next
 * get_biz_token calls after `setScenario()` / `POST /__scenario {"scenario","times"?}`:
 * `success`, `not-same`, `attack`, `replaced-face`, `expired`, `user-timeout`, `in-progress`,
 * `code=<RESULT_MESSAGE>` (any row of the result table, e.g. `code=BALANCE_NOT_ENOUGH`),
 * `confidence=<0–100>`, `slow=<ms>` (verify and get_result wait), and
 * `error=<status>:<ERROR>` (get_biz_token answers that HTTP error, e.g. `error=403:AUTHORIZATION_ERROR:quota`).
 * Faults (faults.ts) as in the other mocks, at `mock.faults` or `/__faults`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { listenMock } from './mock-listener.js';
import { FaultInjector, MAX_FAULT_LATENCY_MS, readBody, sendJson, sendNginxError, type FaultAnswers, type FaultController, type FaultStatus } from './faults.js';
import { MockGateway, mockCredentials, sendGatewayRefusal, type MockAuth, type MockGatewayCredentials } from './aliyun-gateway.js';
import { decodeImage, faceFeature, hasFace, probeFeatures, similarity, type Feature } from './image.js';

export interface FaceIdMockOptions extends Partial<MockGatewayCredentials> {
  /** 0 picks a free port. */
  port?: number;
  /** Loopback only. */
  host?: string;
  /** An unknown ID number adopts the first live photo as its authority photo (default true). */
  adoptUnknownIdentities?: boolean;
  /** Lifetime of a biz_token (default 1 hour). */
  tokenTtlMs?: number;
}

export interface FaceIdMockRequest {
  method: string;
  path: string;
  auth: MockAuth | 'none';
  status: number;
}

export interface FaceIdMock extends MockGatewayCredentials {
  url: string;
  port: number;
  faults: FaultController;
  /** The last 100 requests. */
  requests: FaceIdMockRequest[];
  /** The scenario of the next `times` get_biz_token calls (default 1). */
  setScenario(scenario: string, times?: number): void;
  clearScenario(): void;
  /** Registers the authority record of an ID number (name and photo). */
  addIdentity(identity: { idcardName: string; idcardNumber: string; image: Uint8Array }): void;
  reset(): void;
  close(): Promise<void>;
}

/** The document example's thresholds. */
export const FACEID_MOCK_THRESHOLDS = { '1e-3': 62.168713, '1e-4': 69.31534, '1e-5': 74.39926, '1e-6': 78.038055 } as const;
const LEVEL_KEYS = ['1e-3', '1e-4', '1e-5', '1e-6'] as const;

export const FACEID_MOCK_PATHS = {
  getBizToken: '/face/v1.2/sdk/get_biz_token',
  verify: '/face/v1.2/sdk/verify',
  getResult: '/face/v1.2/sdk/get_result',
} as const;

/** result_message → result_code of the document's table (the scenario `code=` uses it). */
const RESULT_FAMILIES: Readonly<Record<string, number>> = {
  SUCCESS: 1000,
  PASS_LIVING_NOT_THE_SAME: 2000,
  ...Object.fromEntries(['NO_ID_CARD_NUMBER', 'ID_NUMBER_NAME_NOT_MATCH', 'NO_FACE_FOUND', 'NO_ID_PHOTO', 'PHOTO_FORMAT_ERROR', 'DATA_SOURCE_ERROR'].map((m) => [m, 3000])),
  FAIL_LIVING_FACE_ATTACK: 4100,
  REPLACED_FACE_ATTACK: 4100,
  ...Object.fromEntries(
    ['BIZ_TOKEN_DENIED', 'AUTHENTICATION_FAIL', 'MOBILE_PHONE_NOT_SUPPORT', 'SDK_TOO_OLD', 'MOBILE_PHONE_NO_AUTHORITY', 'USER_CANCELLATION', 'USER_TIMEOUT', 'VERIFICATION_FAILURE', 'UNDETECTED_FACE', 'ACTION_ERROR'].map((m) => [m, 4200]),
  ),
  ...Object.fromEntries(['IP_NOT_ALLOWED', 'NON_ENTERPRISE_CERTIFICATION', 'BALANCE_NOT_ENOUGH', 'MORE_RETRY_TIMES', 'ACCOUNT_DISCONTINUED', 'EXPIRED_SIGN', 'INVALID_SIGN', 'REPLAY_ATTACK'].map((m) => [m, 5000])),
  ...Object.fromEntries(
    ['USER_CANCEL', 'NO_CAMERA_PERMISSION', 'ILLEGAL_PARAMETER', 'DEVICE_NOT_SUPPORT', 'INVALID_BUNDLE_ID', 'NETWORK_ERROR', 'FACE_INIT_FAIL', 'LIVENESS_DETECT_FAILED', 'NO_SENSOR_PERMISSION', 'INIT_FAILED'].map((m) => [m, 6000]),
  ),
  ...Object.fromEntries(['LIVING_NOT_START', 'LIVING_IN_PROGRESS', 'LIVING_OVERTIME'].map((m) => [m, 9000])),
};

type Scenario =
  | { kind: 'auto' }
  | { kind: 'result'; message: string; confidence?: number }
  | { kind: 'confidence'; confidence: number }
  | { kind: 'expired' }
  | { kind: 'slow'; ms: number }
  | { kind: 'error'; status: number; error: string };

const NAMED_SCENARIOS: Readonly<Record<string, Scenario>> = {
  auto: { kind: 'auto' },
  success: { kind: 'result', message: 'SUCCESS', confidence: 92.51273 },
  'not-same': { kind: 'result', message: 'PASS_LIVING_NOT_THE_SAME', confidence: 41.03215 },
  attack: { kind: 'result', message: 'FAIL_LIVING_FACE_ATTACK' },
  'replaced-face': { kind: 'result', message: 'REPLACED_FACE_ATTACK' },
  expired: { kind: 'expired' },
  'user-timeout': { kind: 'result', message: 'USER_TIMEOUT' },
  'in-progress': { kind: 'result', message: 'LIVING_IN_PROGRESS' },
};

/** Parses `success`, `code=USER_TIMEOUT`, `confidence=72`, `slow=800`, `error=403:AUTHORIZATION_ERROR:x`. */
export function parseFaceIdScenario(text: string): Scenario {
  const trimmed = text.trim();
  const named = NAMED_SCENARIOS[trimmed];
  if (named) return named;
  const [key, ...rest] = trimmed.split('=');
  const value = rest.join('=');
  if (key === 'code') {
    const message = value.toUpperCase();
    if (!(message in RESULT_FAMILIES)) throw new RangeError(`unknown result_message ${value}`);
    return { kind: 'result', message };
  }
  if (key === 'confidence') {
    const confidence = Number(value);
    if (!(confidence >= 0 && confidence <= 100)) throw new RangeError('confidence must be 0…100');
    return { kind: 'confidence', confidence };
  }
  if (key === 'slow') {
    const ms = Number(value);
    if (!(Number.isInteger(ms) && ms >= 0 && ms <= MAX_FAULT_LATENCY_MS)) throw new RangeError(`slow must be 0…${MAX_FAULT_LATENCY_MS} ms`);
    return { kind: 'slow', ms };
  }
  if (key === 'error') {
    const match = /^(\d{3}):(.+)$/.exec(value);
    if (!match) throw new RangeError('error must be <status>:<ERROR>');
    return { kind: 'error', status: Number(match[1]), error: match[2]! };
  }
  throw new RangeError(`unknown scenario ${text}`);
}

interface Comparison {
  confidence: number;
  thresholds: typeof FACEID_MOCK_THRESHOLDS;
}

interface Session {
  bizToken: string;
  bizNo?: string;
  idcardName: string;
  idcardNumber: string;
  securityLevel: number;
  actionCount: number;
  livenessTimeout: number;
  forceCompare: boolean;
  refs: { ref1?: Feature; ref2?: Feature };
  scenario: Scenario;
  expiresAt: number;
  outcome?: { resultCode: number; resultMessage: string; verification?: Record<string, Comparison>; imageBest?: string };
}

type Json = Record<string, unknown>;

/** "客户发送的请求大小超过了20MB限制". */
const MAX_BODY_BYTES = 20 * 1024 * 1024;
/** "单张照片大小超过了2MB". */
const MAX_PHOTO_BASE64_CHARS = 4 * Math.ceil((2 * 1024 * 1024) / 3);
const MAX_SIDE_PX = 4096;
const ID_NUMBER = /^(\d{17}[\dXx]|\d{15})$/;

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
  ) {
    super(error);
  }
}

class SdkFailure extends Error {
  constructor(
    readonly sdkCode: number,
    readonly resultMessage: string,
  ) {
    super(resultMessage);
  }
}

export function confidenceOf(similarityScore: number): number {
  return Math.round(Math.min(100, Math.max(0, 58 + (similarityScore - 0.75) * 220)) * 100_000) / 100_000;
}

export async function startFaceIdMock(options: FaceIdMockOptions = {}): Promise<FaceIdMock> {
  const credentials = mockCredentials(options);
  const gateway = new MockGateway(credentials);
  const adopt = options.adoptUnknownIdentities ?? true;
  const tokenTtlMs = options.tokenTtlMs ?? 60 * 60 * 1000;
  const sessions = new Map<string, Session>();
  const identities = new Map<string, { name: string; feature: Feature }>();
  const requests: FaceIdMockRequest[] = [];
  const faults = new FaultInjector();
  const waits = new Map<NodeJS.Timeout, () => void>();
  let queued: { scenario: Scenario; times: number } | null = null;
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      const timer = setTimeout(() => {
        waits.delete(timer);
        resolve();
      }, ms);
      waits.set(timer, resolve);
    });

  const setScenario = (text: string, times = 1) => {
    if (!(Number.isInteger(times) && times >= 1 && times <= 1000)) throw new RangeError('times must be 1…1000');
    queued = { scenario: parseFaceIdScenario(text), times };
  };

  const takeScenario = (bizNo: string | undefined): Scenario => {
    const tagged = bizNo?.startsWith('mock:') ? bizNo.slice(5).split(':')[0] : undefined;
    // An `error=` scenario carries colons of its own: take the rest of biz_no.
    if (tagged?.startsWith('error=')) return parseFaceIdScenario(bizNo!.slice(5));
    if (tagged) return parseFaceIdScenario(tagged);
    if (!queued) return { kind: 'auto' };
    const { scenario } = queued;
    if (--queued.times <= 0) queued = null;
    return scenario;
  };

  const envelope = (started: number): Json => ({ request_id: `${Math.floor(Date.now() / 1000)},${randomUUID()}`, time_used: Math.max(1, Date.now() - started) });

  /** A photo field: base64 of a decodable picture with a face, within the document's limits. */
  const photo = (value: string, field: string, asSdk: boolean): { feature: Feature; probes: Feature[] } => {
    if (value.length > MAX_PHOTO_BASE64_CHARS) throw asSdk ? new SdkFailure(50413, 'Request Entity Too Large') : new HttpFailure(413, 'Request Entity Too Large');
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : Buffer.alloc(0);
    const decoded = bytes.length > 0 ? decodeImage(bytes) : null;
    if (!decoded) throw asSdk ? new SdkFailure(50400, `IMAGE_ERROR_UNSUPPORTED_FORMAT:${field}`) : new HttpFailure(400, `IMAGE_ERROR_UNSUPPORTED_FORMAT:${field}`);
    if (decoded.image.width > MAX_SIDE_PX || decoded.image.height > MAX_SIDE_PX) {
      throw asSdk ? new SdkFailure(50400, `INVALID_IMAGE_SIZE:${field}`) : new HttpFailure(400, `INVALID_IMAGE_SIZE:${field}`);
    }
    if (!hasFace(decoded.image)) throw asSdk ? new SdkFailure(54200, 'UNDETECTED_FACE') : new HttpFailure(400, `NO_FACE_FOUND:${field}`);
    return { feature: faceFeature(decoded.image), probes: probeFeatures(decoded.image) };
  };

  const integerField = (form: URLSearchParams, field: string, fallback: number, allowed: (v: number) => boolean): number => {
    const raw = form.get(field);
    if (raw === null || raw === '') return fallback;
    const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || !allowed(value)) throw new HttpFailure(400, `BAD_ARGUMENTS:${field}`);
    return value;
  };

  const required = (form: URLSearchParams, field: string): string => {
    const value = form.get(field);
    if (value === null || value === '') throw new HttpFailure(400, `MISSING_ARGUMENTS:${field}`);
    return value;
  };

  const getBizToken = (form: URLSearchParams, started: number): Json => {
    const bizNo = form.get('biz_no') || undefined;
    const scenario = takeScenario(bizNo);
    if (scenario.kind === 'error') throw new HttpFailure(scenario.status, scenario.error);
    const livenessType = required(form, 'liveness_type');
    if (livenessType !== 'meglive') throw new HttpFailure(400, 'BAD_ARGUMENTS:liveness_type');
    const idcardName = required(form, 'idcard_name');
    const idcardNumber = required(form, 'idcard_number');
    if (!ID_NUMBER.test(idcardNumber)) throw new HttpFailure(400, 'BAD_ARGUMENTS:idcard_number');
    if (bizNo !== undefined && Buffer.byteLength(bizNo) > 128) throw new HttpFailure(400, 'BAD_ARGUMENTS:biz_no');
    const livenessTimeout = integerField(form, 'liveness_timeout', 60, (v) => v > 0);
    const actionCount = integerField(form, 'liveness_action_count', 3, (v) => v >= 1 && v <= 3);
    const securityLevel = integerField(form, 'security_level', 2, (v) => v >= 1 && v <= 4);
    const forceCompare = integerField(form, 'force_compare', 0, (v) => v === 0 || v === 1) === 1;
    integerField(form, 'multi_oriented_detection', 1, (v) => v === 0 || v === 1);
    const refs: Session['refs'] = {};
    for (const field of ['image_ref1', 'image_ref2'] as const) {
      const value = form.get(field);
      if (value) refs[field === 'image_ref1' ? 'ref1' : 'ref2'] = photo(value, field, false).feature;
    }
    const bizToken = `${Math.floor(Date.now() / 1000)},${randomUUID()}`;
    const expiresAt = scenario.kind === 'expired' ? Date.now() - 1 : Date.now() + tokenTtlMs;
    sessions.set(bizToken, { bizToken, bizNo, idcardName, idcardNumber: idcardNumber.toUpperCase(), securityLevel, actionCount, livenessTimeout, forceCompare, refs, scenario, expiresAt });
    return { ...envelope(started), biz_token: bizToken };
  };

  const compare = (probes: Feature[], stored: Feature): Comparison => ({ confidence: confidenceOf(similarity(probes, stored)), thresholds: FACEID_MOCK_THRESHOLDS });

  const verify = async (form: URLSearchParams, started: number): Promise<Json> => {
    const bizToken = form.get('biz_token');
    if (!bizToken) throw new SdkFailure(50400, 'MISSING_ARGUMENTS:biz_token');
    const session = sessions.get(bizToken);
    if (session?.scenario.kind === 'slow') await sleep(session.scenario.ms);
    // One upload per token; an unknown or stale token is refused as the SDK reports it.
    if (!session || session.expiresAt <= Date.now() || session.outcome) throw new SdkFailure(54200, 'BIZ_TOKEN_DENIED');
    const imageBest = form.get('image_best');
    if (!imageBest) throw new SdkFailure(50400, 'MISSING_ARGUMENTS:image_best');
    const logText = form.get('action_log');
    if (!logText) throw new SdkFailure(50400, 'MISSING_ARGUMENTS:action_log');
    let log: unknown;
    try {
      log = JSON.parse(logText);
    } catch {
      log = undefined;
    }
    if (!Array.isArray(log)) throw new SdkFailure(50400, 'BAD_ARGUMENTS:action_log');
    const best = photo(imageBest, 'image_best', true);

    const finish = (resultCode: number, resultMessage: string, verification?: Record<string, Comparison>): Json => {
      session.outcome = { resultCode, resultMessage, imageBest, ...(verification ? { verification } : {}) };
      return { ...envelope(started), biz_token: bizToken, result_code: 50_000 + resultCode, result_message: resultMessage };
    };
    const refComparisons = (): Record<string, Comparison> => {
      const found: Record<string, Comparison> = {};
      if (session.refs.ref1) found.ref1 = compare(best.probes, session.refs.ref1);
      if (session.refs.ref2) found.ref2 = compare(best.probes, session.refs.ref2);
      return found;
    };

    const scenario = session.scenario;
    if (scenario.kind === 'result') {
      const family = RESULT_FAMILIES[scenario.message]!;
      // Compared only when the check got that far (an attack only with force_compare=1).
      const compared = family === 1000 || family === 2000 || (family === 4100 && session.forceCompare);
      const confidence = scenario.confidence ?? (family === 1000 ? 92.51273 : 41.03215);
      return finish(family, scenario.message, compared ? { idcard: { confidence, thresholds: FACEID_MOCK_THRESHOLDS }, ...refComparisons() } : undefined);
    }
    const entries = log.filter((entry): entry is Json => typeof entry === 'object' && entry !== null);
    const spentMs = entries.reduce((sum, entry) => sum + (typeof entry.duration_ms === 'number' ? entry.duration_ms : 0), 0);
    if (spentMs > session.livenessTimeout * 1000) return finish(4200, 'USER_TIMEOUT');
    if (entries.filter((entry) => entry.passed === true).length < session.actionCount) return finish(4200, 'ACTION_ERROR');

    let identity = identities.get(session.idcardNumber);
    if (!identity) {
      if (!adopt) return finish(3000, 'NO_ID_CARD_NUMBER');
      identity = { name: session.idcardName, feature: best.feature };
      identities.set(session.idcardNumber, identity);
    }
    if (identity.name !== session.idcardName) return finish(3000, 'ID_NUMBER_NAME_NOT_MATCH');
    const idcard = scenario.kind === 'confidence' ? { confidence: scenario.confidence, thresholds: FACEID_MOCK_THRESHOLDS } : compare(best.probes, identity.feature);
    const threshold = FACEID_MOCK_THRESHOLDS[LEVEL_KEYS[session.securityLevel - 1]!];
    const verification = { idcard, ...refComparisons() };
    return idcard.confidence >= threshold ? finish(1000, 'SUCCESS', verification) : finish(2000, 'PASS_LIVING_NOT_THE_SAME', verification);
  };

  const getResult = async (query: URLSearchParams, started: number): Promise<Json> => {
    const bizToken = required(query, 'biz_token');
    const verbose = integerField(query, 'verbose', 0, (v) => v === 0 || v === 1);
    const session = sessions.get(bizToken);
    if (!session) throw new HttpFailure(400, 'BAD_ARGUMENTS:biz_token');
    if (session.scenario.kind === 'slow') await sleep(session.scenario.ms);
    const answer: Json = { ...envelope(started), biz_token: bizToken, ...(session.bizNo ? { biz_no: session.bizNo } : {}) };
    if (session.expiresAt <= Date.now() && !session.outcome) return { ...answer, result_code: 4200, result_message: 'BIZ_TOKEN_DENIED' };
    const outcome = session.outcome;
    if (!outcome) return { ...answer, result_code: 9000, result_message: 'LIVING_NOT_START' };
    if (verbose === 1) {
      if (outcome.verification) answer.verification = outcome.verification;
      if (outcome.imageBest) answer.images = { image_best: outcome.imageBest };
    }
    // The document's example lists result_message before result_code, last.
    return { ...answer, result_message: outcome.resultMessage, result_code: outcome.resultCode };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const started = Date.now();
    const url = new URL(request.url ?? '/', 'http://mock.invalid');
    const method = request.method ?? 'GET';
    const record: FaceIdMockRequest = { method, path: url.pathname, auth: 'none', status: 0 };
    requests.push(record);
    if (requests.length > 100) requests.shift();
    response.on('finish', () => (record.status = response.statusCode));

    if (url.pathname === '/__faults') return faults.control(request, response);
    if (url.pathname === '/__scenario') return scenarioControl(request, response);
    if (url.pathname === '/__identities') return identityControl(request, response);

    const body = await readBody(request, MAX_BODY_BYTES);
    if (body === null) return sendPlain413(response);
    const route = Object.values(FACEID_MOCK_PATHS).find((path) => path === url.pathname);
    if (!route) return sendJson(response, 404, { ...envelope(started), error: 'API_NOT_FOUND' });
    const { auth, verdict } = gateway.check(request, body);
    record.auth = auth;
    if (!verdict.ok) return sendGatewayRefusal(response, verdict.status, verdict.errorMessage);
    if (await faults.apply(url.pathname, request, response, FACEID_FAULTS)) return;

    const wantMethod = route === FACEID_MOCK_PATHS.getResult ? 'GET' : 'POST';
    if (method !== wantMethod) return sendJson(response, 404, { ...envelope(started), error: 'API_NOT_FOUND' });
    try {
      if (route === FACEID_MOCK_PATHS.getResult) return sendJson(response, 200, await getResult(url.searchParams, started));
      const form = new URLSearchParams(body.toString('utf8'));
      if (route === FACEID_MOCK_PATHS.getBizToken) return sendJson(response, 200, getBizToken(form, started));
      try {
        return sendJson(response, 200, await verify(form, started));
      } catch (error) {
        if (!(error instanceof SdkFailure)) throw error;
        return sendJson(response, 200, { ...envelope(started), biz_token: form.get('biz_token') ?? '', result_code: error.sdkCode, result_message: error.resultMessage });
      }
    } catch (error) {
      if (!(error instanceof HttpFailure)) throw error;
      if (error.status === 413) return sendPlain413(response);
      sendJson(response, error.status, { ...envelope(started), error: error.error });
    }
  };

  const scenarioControl = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'DELETE') {
      queued = null;
      return sendJson(response, 200, { ok: true });
    }
    const body = await readBody(request, 64 * 1024);
    try {
      const parsed = JSON.parse(body?.toString('utf8') || '{}') as { scenario?: unknown; times?: unknown };
      setScenario(String(parsed.scenario ?? ''), parsed.times === undefined ? 1 : Number(parsed.times));
    } catch (error) {
      return sendJson(response, 400, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
    sendJson(response, 200, { ok: true });
  };

  const identityControl = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request, 8 * 1024 * 1024);
    try {
      const parsed = JSON.parse(body?.toString('utf8') || '{}') as { idcard_name?: unknown; idcard_number?: unknown; image?: unknown };
      addIdentity({ idcardName: String(parsed.idcard_name ?? ''), idcardNumber: String(parsed.idcard_number ?? ''), image: Buffer.from(String(parsed.image ?? ''), 'base64') });
    } catch (error) {
      return sendJson(response, 400, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
    sendJson(response, 200, { ok: true });
  };

  const addIdentity = ({ idcardName, idcardNumber, image }: { idcardName: string; idcardNumber: string; image: Uint8Array }) => {
    if (!idcardName || !ID_NUMBER.test(idcardNumber)) throw new RangeError('an identity needs a name and an ID number');
    const decoded = decodeImage(image);
    if (!decoded) throw new RangeError('the identity photo is not a JPEG or PNG');
    identities.set(idcardNumber.toUpperCase(), { name: idcardName, feature: faceFeature(decoded.image) });
  };

  const listener = await listenMock(handle, {
    host: options.host,
    port: options.port,
    internalError: (response, error) => sendJson(response, 500, { request_id: randomUUID(), time_used: 1, error: 'INTERNAL_ERROR', detail: String(error) }),
  });

  return {
    ...credentials,
    url: listener.url,
    port: listener.port,
    faults,
    requests,
    setScenario,
    clearScenario: () => {
      queued = null;
    },
    addIdentity,
    reset: () => {
      sessions.clear();
      identities.clear();
      queued = null;
    },
    close: async () => {
      closed = true;
      faults.close();
      for (const [timer, settle] of waits) {
        clearTimeout(timer);
        settle();
      }
      waits.clear();
      await listener.close();
    },
  };
}

/** "该错误的返回格式为纯文本，不是json格式". */
function sendPlain413(response: ServerResponse): void {
  response.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
  response.end('Request Entity Too Large');
}

/** The backend's failure bodies for injected faults (502–504 come from the proxy in front). */
const FACEID_FAULTS: FaultAnswers = {
  status(response: ServerResponse, status: FaultStatus): void {
    const base = { request_id: `${Math.floor(Date.now() / 1000)},${randomUUID()}`, time_used: 3 };
    if (status === 413) return sendPlain413(response);
    if (status === 429) return sendJson(response, 429, { ...base, error: 'CONCURRENCY_LIMIT_EXCEEDED' });
    if (status === 500) return sendJson(response, 500, { ...base, error: 'INTERNAL_ERROR' });
    sendNginxError(response, status);
  },
  malformedJson: '{"request_id":"1532487162,7fb9b4af-4c6e-47a0-bb53-9de273368bc9","time_used":108,"biz_to',
};
