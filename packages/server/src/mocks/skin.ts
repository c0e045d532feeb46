/**
 * Loopback mock of the skin-analysis service (vendor document `skin-analysis-api.md`).
 *
 * The document gives the result shape and the error table; the routes and the token exchange
 * are this kit's reading of it (see vendors/skin/client.ts): OAuth2 client credentials at
 * `POST /oauth/token`, then Bearer calls to `POST /api/skin/analyze` and
 * `GET /api/skin/result?calcId=`. Every answer is the service's envelope
 * `{ code, datas, message, status: "S" | "F" }` with HTTP 200, failures included.
 *
 * - The result is the document's full shape: `datas: { backurl, calcId, clientId, extra,
 *   response }` with every one of the ≈80 `response` fields, computed from the uploaded photo
 *   (skin-analysis.ts), and 21 picture paths `<calcId>/<Name>.png|jpg` served under `/images/`
 *   (Bearer token required) as real PNG/JPEG pictures drawn from the photo.
 * - The first `pendingPolls` result queries of a job answer 200026 "分析进行中" (default 1).
 * - Codes reached without a hook: token 100021 (missing fields), 100103 (grant_type), 100100
 *   (unknown client id), 100011 (wrong secret); API 100001 (no token), 200001 (unknown or
 *   expired token), 200004 (no image), 200027 (not a picture), 50003 (picture under 128 px),
 *   50004 (flat centre: no face), 200020 (unknown calcId), 200026 (running).
 *   `hooks.failWith(code, { route })` answers any code of the document on the token, analyze or
 *   result route; 50003/50004/50005 on the result route come as `response.errorType`, as the
 *   algorithm reports them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenMock } from './mock-listener.js';
import { SKIN_CODES } from '../vendors/skin/errors.js';
import { FaultInjector, readBody, sendJson, sendNginxError, sendPlainTooLarge, type FaultAnswers, type FaultController } from './faults.js';
import { hasFace } from './image.js';
import { decodeRgba, toGray } from './raster.js';
import { analyseSkin, renderSkinImage, SKIN_IMAGE_FILES, type SkinAnalysis, type SkinImageFile } from './skin-analysis.js';

export type SkinMockRoute = 'token' | 'analyze' | 'result';

export interface SkinMockOptions {
  port?: number;
  /** Only loopback addresses are accepted. */
  host?: string;
  clientId?: string;
  clientSecret?: string;
  /** Result queries answered 200026 before the result (default 1). */
  pendingPolls?: number;
  /** `expires_in` of issued tokens, seconds (default 7200). */
  tokenTtlSeconds?: number;
}

export interface SkinMockHooks {
  /** Answer the next `times` (default 1) calls of `route` (default analyze) with this document code. */
  failWith(code: number, options?: { route?: SkinMockRoute; times?: number; message?: string }): void;
  /** Result queries answered 200026 before the result, for jobs made from now on. */
  pendingPolls: number;
  /** Makes every issued token invalid, as if they had expired ("token失效" next). */
  expireTokens(): void;
  clear(): void;
}

export interface SkinMockRequest {
  method: string;
  path: string;
  route?: SkinMockRoute | 'image';
  /** The `code` answered (or the HTTP status for pictures). */
  code?: number;
}

export interface SkinMock {
  url: string;
  port: number;
  clientId: string;
  clientSecret: string;
  /** Base of the result pictures' relative paths, the adapter's `imageBaseUrl`. */
  imageBaseUrl: string;
  faults: FaultController;
  hooks: SkinMockHooks;
  /** The last 100 requests, for tests. */
  requests: SkinMockRequest[];
  /** Tokens issued so far, to check the adapter's caching. */
  readonly tokensIssued: number;
  close(): Promise<void>;
}

interface Job {
  calcId: string;
  analysis: SkinAnalysis;
  extra: string | null;
  pollsLeft: number;
  pictures: Map<SkinImageFile, { bytes: Buffer; contentType: string }>;
}

type Json = Record<string, unknown>;

const MAX_BODY_BYTES = 12 * 1024 * 1024;
const MIN_SIDE_PX = 128;
const MAX_JOBS = 30;
const FILE_NAMES = new Set<string>(Object.values(SKIN_IMAGE_FILES));
/** Algorithm failures: reported inside a finished result as `response.errorType`. */
const ALGORITHM_CODES = new Set([50003, 50004, 50005]);

class CodeAnswer extends Error {
  constructor(
    readonly code: number,
    message?: string,
  ) {
    super(message ?? SKIN_CODES[String(code)]?.message ?? '服务繁忙请稍后重试');
  }
}

export async function startSkinMock(options: SkinMockOptions = {}): Promise<SkinMock> {
  const clientId = options.clientId ?? randomBytes(16).toString('hex');
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 7200;
  const faults = new FaultInjector();
  const requests: SkinMockRequest[] = [];
  const tokens = new Map<string, number>();
  const jobs = new Map<string, Job>();
  const forced = new Map<SkinMockRoute, { code: number; times: number; message?: string }>();
  let tokensIssued = 0;

  const hooks: SkinMockHooks = {
    failWith(code, hookOptions = {}) {
      if (!SKIN_CODES[String(code)]) throw new RangeError(`code ${code} is not in the document's table`);
      forced.set(hookOptions.route ?? 'analyze', { code, times: hookOptions.times ?? 1, message: hookOptions.message });
    },
    pendingPolls: options.pendingPolls ?? 1,
    expireTokens() {
      tokens.clear();
    },
    clear() {
      forced.clear();
      hooks.pendingPolls = options.pendingPolls ?? 1;
    },
  };

  const takeForced = (route: SkinMockRoute) => {
    const hook = forced.get(route);
    if (!hook) return undefined;
    if (--hook.times <= 0) forced.delete(route);
    return hook;
  };

  const issueToken = (form: URLSearchParams): Json => {
    const hook = takeForced('token');
    if (hook) throw new CodeAnswer(hook.code, hook.message);
    const grantType = form.get('grant_type');
    const id = form.get('client_id');
    const secret = form.get('client_secret');
    if (!grantType || !id || !secret) throw new CodeAnswer(100021);
    if (grantType !== 'client_credentials') throw new CodeAnswer(100103);
    if (id !== clientId) throw new CodeAnswer(100100);
    if (secret !== clientSecret) throw new CodeAnswer(100011);
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, Date.now() + tokenTtlSeconds * 1000);
    while (tokens.size > 1000) tokens.delete(tokens.keys().next().value!);
    tokensIssued++;
    return { access_token: token, token_type: 'bearer', expires_in: tokenTtlSeconds, scope: 'all' };
  };

  /** 100001 without a token, 200001 with one the mock does not know or that expired. */
  const checkToken = (request: IncomingMessage) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new CodeAnswer(100001);
    const expiresAt = tokens.get(match[1]!);
    if (expiresAt === undefined || expiresAt < Date.now()) throw new CodeAnswer(200001);
  };

  const analyze = (body: Json): Json => {
    const hook = takeForced('analyze');
    if (hook) throw new CodeAnswer(hook.code, hook.message);
    const image = body.image;
    if (typeof image !== 'string' || image === '') throw new CodeAnswer(200004);
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(image) ? decodeRgba(Buffer.from(image, 'base64')) : null;
    if (!decoded) throw new CodeAnswer(200027);
    if (Math.min(decoded.width, decoded.height) < MIN_SIDE_PX) throw new CodeAnswer(50003);
    const analysis = analyseSkin(decoded);
    if (!hasFace(toGray(analysis.photo))) throw new CodeAnswer(50004);
    const calcId = randomUUID();
    const extra = typeof body.extra === 'string' ? body.extra : null;
    jobs.set(calcId, { calcId, analysis, extra, pollsLeft: hooks.pendingPolls, pictures: new Map() });
    while (jobs.size > MAX_JOBS) jobs.delete(jobs.keys().next().value!);
    return { backurl: null, calcId, clientId, extra };
  };

  const result = (calcId: string | null): Json => {
    const job = calcId ? jobs.get(calcId) : undefined;
    // An algorithm failure comes in the finished result: a poll still in progress leaves it for later.
    const waiting = forced.get('result');
    const hook = waiting && ALGORITHM_CODES.has(waiting.code) && job && job.pollsLeft > 0 ? undefined : takeForced('result');
    if (hook && !(ALGORITHM_CODES.has(hook.code) && job)) throw new CodeAnswer(hook.code, hook.message);
    if (!calcId) throw new CodeAnswer(200004);
    if (!job) throw new CodeAnswer(200020);
    if (job.pollsLeft > 0) {
      job.pollsLeft--;
      throw new CodeAnswer(200026);
    }
    const response: Json = {};
    for (const [field, file] of Object.entries(SKIN_IMAGE_FILES)) response[field] = `${job.calcId}/${file}`;
    Object.assign(response, job.analysis.metrics);
    if (hook) response.errorType = hook.code;
    // The document lists the fields alphabetically; keep that order.
    const sorted = Object.fromEntries(Object.entries(response).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)));
    return { backurl: null, calcId: job.calcId, clientId, extra: job.extra, response: sorted };
  };

  const servePicture = (request: IncomingMessage, response: ServerResponse, path: string, record: SkinMockRequest) => {
    const match = /^\/images\/([0-9a-f-]{36})\/([A-Za-z_]+\.(?:png|jpg))$/.exec(path);
    try {
      checkToken(request);
    } catch (error) {
      record.code = 401;
      return sendJson(response, 401, envelope((error as CodeAnswer).code, (error as CodeAnswer).message));
    }
    const job = match ? jobs.get(match[1]!) : undefined;
    if (!job || !FILE_NAMES.has(match![2]!)) {
      record.code = 404;
      return sendJson(response, 404, envelope(200020, SKIN_CODES['200020']!.message));
    }
    const file = match![2] as SkinImageFile;
    let picture = job.pictures.get(file);
    if (!picture) {
      picture = renderSkinImage(job.analysis, file);
      job.pictures.set(file, picture);
    }
    record.code = 200;
    response.writeHead(200, { 'content-type': picture.contentType, 'content-length': picture.bytes.length });
    response.end(picture.bytes);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://mock.invalid');
    const method = request.method ?? 'GET';
    if (url.pathname === '/__faults') return faults.control(request, response);
    const record: SkinMockRequest = { method, path: url.pathname };
    requests.push(record);
    if (requests.length > 100) requests.shift();
    const body = await readBody(request, MAX_BODY_BYTES);
    if (await faults.apply(url.pathname, request, response, SKIN_FAULTS)) return;
    if (body === null) return sendPlainTooLarge(response);
    if (method === 'GET' && url.pathname.startsWith('/images/')) {
      record.route = 'image';
      return servePicture(request, response, url.pathname, record);
    }
    const answer = (run: () => Json) => {
      try {
        const datas = run();
        record.code = 200;
        sendJson(response, 200, { code: 200, datas, message: 'SUCCESS', status: 'S' });
      } catch (error) {
        if (!(error instanceof CodeAnswer)) throw error;
        record.code = error.code;
        sendJson(response, 200, envelope(error.code, error.message));
      }
    };
    if (method === 'POST' && url.pathname === '/oauth/token') {
      record.route = 'token';
      return answer(() => issueToken(new URLSearchParams(body.toString('utf8'))));
    }
    if (method === 'POST' && url.pathname === '/api/skin/analyze') {
      record.route = 'analyze';
      return answer(() => {
        checkToken(request);
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          throw new CodeAnswer(100106);
        }
        if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CodeAnswer(100106);
        return analyze(json as Json);
      });
    }
    if ((method === 'GET' || method === 'POST') && url.pathname === '/api/skin/result') {
      record.route = 'result';
      return answer(() => {
        checkToken(request);
        let calcId = url.searchParams.get('calcId');
        if (!calcId && method === 'POST') {
          try {
            const json = JSON.parse(body.toString('utf8')) as Json;
            calcId = typeof json.calcId === 'string' ? json.calcId : null;
          } catch {
            calcId = null;
          }
        }
        return result(calcId);
      });
    }
    record.code = 404;
    sendJson(response, 404, { timestamp: Date.now(), status: 404, error: 'Not Found', path: url.pathname });
  };

  const listener = await listenMock(handle, {
    host: options.host,
    port: options.port,
    internalError: (response, error) => sendJson(response, 500, envelope(999999, String(error))),
  });
  const baseUrl = listener.url;

  return {
    url: baseUrl,
    port: listener.port,
    clientId,
    clientSecret,
    imageBaseUrl: `${baseUrl}/images/`,
    faults,
    hooks,
    requests,
    get tokensIssued() {
      return tokensIssued;
    },
    close: async () => {
      faults.close();
      await listener.close();
    },
  };
}

function envelope(code: number, message: string): Json {
  return { code, datas: null, message, status: 'F' };
}

/** The service's busy answer for 429/500, proxy pages for 502–504, plain text for 413. */
const SKIN_FAULTS: FaultAnswers = {
  status(response, status) {
    if (status === 413) return sendPlainTooLarge(response);
    if (status === 429) return sendJson(response, 429, envelope(100018, SKIN_CODES['100018']!.message));
    if (status === 500) return sendJson(response, 500, envelope(999999, SKIN_CODES['999999']!.message));
    sendNginxError(response, status);
  },
  malformedJson: '{"code":200,"datas":{"backurl":null,"calcId":"879f952d-e34f-4d24-9333-2b41280fe49a","response":{"betweeneyeArea":0,',
};
