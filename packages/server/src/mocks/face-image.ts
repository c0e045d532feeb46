/**
 * Loopback mock of the face-image lookup (vendor document `face-image-query-api.txt`) behind a
 * mock Alibaba Cloud API Gateway (aliyun-gateway.ts): `POST /face/paas/image/get` with the
 * IoT-style envelope `{ id, version, request: { apiVer }, params: { userType, userId, imageFormat } }`,
 * answered by `{ id, code, message, localizedMsg, data }` — HTTP 200 also for business errors.
 *
 * Choices where the document is silent:
 * - a gateway refusal (signature, AppCode) carries X-Ca-Error-Message and the envelope as its
 *   body, `code` = the HTTP status (the document's 异常返回示例 shape);
 * - a body that is not the envelope, or an `apiVer` other than 1.2.0: HTTP 400 "Request Format Error";
 * - a missing or unknown userType/imageFormat, or a missing userId: 460 "request parameter error.";
 * - an unknown user: IDENTITY and PHONE 2405 "identity is not existed", OPEN 2407 "openId
 *   invalid", YUNDUN 3002 "resource not exist";
 * - URL answers point at `/face/paas/image/file/<faceId>.jpg?Expires=…&Signature=…` on the mock
 *   (a pre-signed link valid for one hour, 403 otherwise); BASE64 answers are bare base64;
 *   `expireTime` is that hour's end, in China time, `yyyy-MM-dd HH:mm:ss`;
 * - injected faults: 500 and 503 as the document's HTTP rows, 429 as its HTTP 403 "Request
 *   Limited", 502/504 as a proxy's HTML, 413 as plain text.
 *
 * Every business code is reachable: `setScenario({ code, message? })` / `POST /__scenario` for the
 * next call(s), or a userId of `mock-error-<code>` (with the code's first documented message).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { listenMock } from './mock-listener.js';
import { FaultInjector, readBody, sendJson, sendNginxError, sendPlainTooLarge, type FaultAnswers, type FaultController, type FaultStatus } from './faults.js';
import { MockGateway, mockCredentials, sendGatewayRefusal, type MockAuth, type MockGatewayCredentials } from './aliyun-gateway.js';
import { decodeImage } from './image.js';

export interface FaceImageMockOptions extends Partial<MockGatewayCredentials> {
  port?: number;
  host?: string;
}

export interface FaceImageUser {
  userType: 'IDENTITY' | 'OPEN' | 'YUNDUN' | 'PHONE';
  userId: string;
  image: Uint8Array;
  userName?: string;
  policy?: string;
}

export interface FaceImageScenario {
  code: number;
  message?: string;
  localizedMsg?: string;
}

export interface FaceImageMockRequest {
  method: string;
  path: string;
  auth: MockAuth | 'none';
  status: number;
}

export interface FaceImageMock extends MockGatewayCredentials {
  url: string;
  port: number;
  faults: FaultController;
  requests: FaceImageMockRequest[];
  /** Adds (or replaces) a user's face photo; returns its faceId. */
  addUser(user: FaceImageUser): string;
  /** The business error of the next `times` lookups (default 1). */
  setScenario(scenario: FaceImageScenario, times?: number): void;
  clearScenario(): void;
  reset(): void;
  close(): Promise<void>;
}

export const FACE_IMAGE_MOCK_PATH = '/face/paas/image/get';
const IMAGE_PATH = /^\/face\/paas\/image\/file\/(\d+)\.(jpg|png)$/;
const USER_TYPES = new Set(['IDENTITY', 'OPEN', 'YUNDUN', 'PHONE']);
const MAX_BODY_BYTES = 1024 * 1024;
const LINK_TTL_MS = 60 * 60 * 1000;

/** The first documented message of each business code, and its 描述 (the localizedMsg). */
export const FACE_IMAGE_MOCK_MESSAGES: Readonly<Record<number, [string, string]>> = {
  20003: ['Find Backend Error', 'Find Backend Error'],
  20004: ['Backend Service Error', 'Backend Service Error'],
  20055: ['Backend Service Invalid', 'Request Format Error'],
  20056: ['Hsf Invoke Timeout', 'Hsf Invoke Timeout'],
  401: ['Request Authorized Error', 'Request Authorized Error'],
  403: ['request forbidden.', '请求被禁止'],
  500: ['server error.', '服务端异常'],
  2459: ['oa error message', '会话Id不存在'],
  460: ['request parameter error.', '请求参数异常'],
  2402: ['iottoken invalid', 'iottoken已经失效'],
  2453: ['app not exist', 'appkey不存在'],
  2405: ['identity is not existed', '统一身份id不存在'],
  2407: ['openId invalid', 'openId invalid'],
  2442: ['employee is not exist', '未找到绑定的员工信息'],
  20008: ['token invalid', 'token已失效'],
  3001: ['role not exist', '角色不存在'],
  3000: ['permission not exist', '权限不存在'],
  3002: ['resource not exist', '资源不存在'],
};

type Json = Record<string, unknown>;

/** `yyyy-MM-dd HH:mm:ss` in China time (UTC+8), as the document writes times. */
function chinaTime(ms: number): string {
  return new Date(ms + 8 * 3600 * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

export async function startFaceImageMock(options: FaceImageMockOptions = {}): Promise<FaceImageMock> {
  const credentials = mockCredentials(options);
  const gateway = new MockGateway(credentials);
  const linkKey = randomBytes(16);
  const users = new Map<string, { user: FaceImageUser; faceId: string; mime: string }>();
  const byFaceId = new Map<string, { bytes: Uint8Array; mime: string }>();
  const requests: FaceImageMockRequest[] = [];
  const faults = new FaultInjector();
  let queued: { scenario: FaceImageScenario; times: number } | null = null;
  let faceCounter = 0;
  let baseUrl = '';

  const linkSignature = (faceId: string, expires: number) => createHmac('sha256', linkKey).update(`${faceId}\n${expires}`).digest('hex');

  const setScenario = (scenario: FaceImageScenario, times = 1) => {
    if (!Number.isInteger(scenario.code) || scenario.code === 200) throw new RangeError('a scenario needs a business code other than 200');
    if (!(Number.isInteger(times) && times >= 1 && times <= 1000)) throw new RangeError('times must be 1…1000');
    queued = { scenario, times };
  };

  const reply = (response: ServerResponse, status: number, code: number, message: string | null, localizedMsg: string | null, data: unknown = null) =>
    sendJson(response, status, { id: randomUUID(), code, message, localizedMsg, data });

  const businessError = (response: ServerResponse, scenario: FaceImageScenario) => {
    const [message, localized] = FACE_IMAGE_MOCK_MESSAGES[scenario.code] ?? ['unknown error', '未知错误'];
    reply(response, 200, scenario.code, scenario.message ?? message, scenario.localizedMsg ?? (scenario.message ? scenario.message : localized));
  };

  const lookup = (envelope: Json, response: ServerResponse) => {
    const params = envelope.params as Json;
    const userType = typeof params.userType === 'string' ? params.userType : '';
    const userId = typeof params.userId === 'string' ? params.userId : '';
    const imageFormat = params.imageFormat === undefined || params.imageFormat === '' ? 'URL' : params.imageFormat;
    const tagged = /^mock-error-(\d+)$/.exec(userId);
    if (tagged) return businessError(response, { code: Number(tagged[1]) });
    if (queued) {
      const { scenario } = queued;
      if (--queued.times <= 0) queued = null;
      return businessError(response, scenario);
    }
    if (!USER_TYPES.has(userType) || !userId || (imageFormat !== 'URL' && imageFormat !== 'BASE64')) return businessError(response, { code: 460 });
    const found = users.get(`${userType}:${userId}`);
    if (!found) {
      if (userType === 'OPEN') return businessError(response, { code: 2407 });
      if (userType === 'YUNDUN') return businessError(response, { code: 3002 });
      return businessError(response, { code: 2405 });
    }
    const expires = Date.now() + LINK_TTL_MS;
    const data: Json = {};
    if (imageFormat === 'URL') {
      const seconds = Math.floor(expires / 1000);
      const extension = found.mime === 'image/png' ? 'png' : 'jpg';
      data.imageUrl = `${baseUrl}/face/paas/image/file/${found.faceId}.${extension}?Expires=${seconds}&Signature=${linkSignature(found.faceId, seconds)}`;
    } else {
      data.imageBase64 = Buffer.from(found.user.image).toString('base64');
    }
    Object.assign(data, {
      faceId: found.faceId,
      userId,
      userType,
      userName: found.user.userName ?? userId,
      expireTime: chinaTime(expires),
      policy: found.user.policy ?? 'PERMISSION',
    });
    reply(response, 200, 200, null, null, data);
  };

  const serveImage = (url: URL, response: ServerResponse) => {
    const match = IMAGE_PATH.exec(url.pathname)!;
    const faceId = match[1]!;
    const expires = Number(url.searchParams.get('Expires'));
    const given = Buffer.from(url.searchParams.get('Signature') ?? '', 'hex');
    const expected = Buffer.from(linkSignature(faceId, expires), 'hex');
    const stored = byFaceId.get(faceId);
    const denied = !(expires * 1000 > Date.now()) || given.length !== expected.length || !timingSafeEqual(given, expected);
    if (denied || !stored) {
      const status = denied ? 403 : 404;
      response.writeHead(status, { 'content-type': 'application/xml' });
      return response.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${denied ? 'AccessDenied' : 'NoSuchKey'}</Code></Error>`);
    }
    response.writeHead(200, { 'content-type': stored.mime, 'content-length': String(stored.bytes.length) });
    response.end(stored.bytes);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://mock.invalid');
    const method = request.method ?? 'GET';
    const record: FaceImageMockRequest = { method, path: url.pathname, auth: 'none', status: 0 };
    requests.push(record);
    if (requests.length > 100) requests.shift();
    response.on('finish', () => (record.status = response.statusCode));

    if (url.pathname === '/__faults') return faults.control(request, response);
    if (url.pathname === '/__scenario') return scenarioControl(request, response);
    if (method === 'GET' && IMAGE_PATH.test(url.pathname)) return serveImage(url, response);

    const body = await readBody(request, MAX_BODY_BYTES);
    if (body === null) return sendPlainTooLarge(response);
    if (url.pathname !== FACE_IMAGE_MOCK_PATH || method !== 'POST') return reply(response, 404, 404, 'Not Found', '请求的API不存在');
    const { auth, verdict } = gateway.check(request, body);
    record.auth = auth;
    if (!verdict.ok) {
      return sendGatewayRefusal(response, verdict.status, verdict.errorMessage, {
        id: randomUUID(),
        code: verdict.status,
        message: verdict.status === 401 ? 'Empty Signature' : verdict.errorMessage.split(',')[0],
        localizedMsg: '请求签名校验失败',
        data: null,
      });
    }
    if (await faults.apply(url.pathname, request, response, FACE_IMAGE_FAULTS)) return;
    let envelope: unknown;
    try {
      envelope = JSON.parse(body.toString('utf8'));
    } catch {
      envelope = undefined;
    }
    const valid =
      isJson(envelope) &&
      (typeof envelope.id === 'string' || typeof envelope.id === 'number') &&
      typeof envelope.version === 'string' &&
      isJson(envelope.request) &&
      envelope.request.apiVer === '1.2.0' &&
      isJson(envelope.params);
    if (!valid) return reply(response, 400, 400, 'Request Format Error', 'Request Format Error');
    lookup(envelope as Json, response);
  };

  const scenarioControl = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'DELETE') {
      queued = null;
      return sendJson(response, 200, { ok: true });
    }
    const body = await readBody(request, 64 * 1024);
    try {
      const parsed = JSON.parse(body?.toString('utf8') || '{}') as FaceImageScenario & { times?: number };
      setScenario({ code: Number(parsed.code), message: parsed.message, localizedMsg: parsed.localizedMsg }, parsed.times ?? 1);
    } catch (error) {
      return sendJson(response, 400, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
    sendJson(response, 200, { ok: true });
  };

  const listener = await listenMock(handle, {
    host: options.host,
    port: options.port,
    internalError: (response, error) => reply(response, 500, 500, 'Internal Error', String(error)),
  });
  baseUrl = listener.url;

  return {
    ...credentials,
    url: baseUrl,
    port: listener.port,
    faults,
    requests,
    addUser(user) {
      if (!USER_TYPES.has(user.userType) || !user.userId) throw new RangeError('a user needs a userType and a userId');
      const decoded = decodeImage(user.image);
      if (!decoded) throw new RangeError('the user photo is not a JPEG or PNG');
      const key = `${user.userType}:${user.userId}`;
      const faceId = users.get(key)?.faceId ?? String(++faceCounter + 10_000);
      users.set(key, { user: { ...user }, faceId, mime: decoded.mime });
      byFaceId.set(faceId, { bytes: user.image, mime: decoded.mime });
      return faceId;
    },
    setScenario,
    clearScenario: () => {
      queued = null;
    },
    reset: () => {
      users.clear();
      byFaceId.clear();
      queued = null;
    },
    close: async () => {
      faults.close();
      await listener.close();
    },
  };
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The document's HTTP rows for injected faults. */
const FACE_IMAGE_FAULTS: FaultAnswers = {
  status(response: ServerResponse, status: FaultStatus): void {
    const envelope = (code: number, message: string) => ({ id: randomUUID(), code, message, localizedMsg: message, data: null });
    if (status === 413) return sendPlainTooLarge(response);
    if (status === 429) return sendJson(response, 403, envelope(403, 'Request Limited'));
    if (status === 500) return sendJson(response, 500, envelope(500, 'Internal Error'));
    if (status === 503) return sendJson(response, 503, envelope(503, 'Service Unavailable'));
    sendNginxError(response, status);
  },
  malformedJson: '{"id":"4de2c367-c1db-417c-aa15-8c585e595d92","code":200,"message":null,"localizedMsg":null,"data":{"imageUrl":"http://',
};
