/**
 * Loopback mock of the ID-photo API (vendor document `id-photo-api.txt`) behind a Huawei Cloud
 * APIG app-authentication check.
 *
 * - Every call must carry a valid SDK-HMAC-SHA256 signature (`verifyHuaweiApig`); a bad one gets
 *   HTTP 401 `{ error_msg, error_code: 'APIG.0303', request_id }`, as APIG answers.
 * - `POST <path>` takes the document's parameters as a form (or JSON) body and answers HTTP 200
 *   `{ code, msg, taskNo, data: { result, size: ["w", "h"] } }`; failures are HTTP 200 with the
 *   document's codes.
 * - The picture is real: the uploaded photo decoded, cut to the spec's aspect and pixel size,
 *   the background painted, encoded as a JPEG with the DPI in its header and within `fileSize`
 *   (see id-photo-image.ts). `data.result` is a link on the mock's object-storage path, signed
 *   like an OSS link; `hooks.resultAs = 'base64'` puts the picture itself there instead.
 *
 * Codes reached without a hook: 200; 400 (neither base64 nor url, a malformed size, fileSize,
 * topEmpty, bgColor, or size without spec "12"); 201 (bytes that are not a picture); 203 (a url
 * that cannot be fetched: the mock fetches loopback URLs only); 204 (a side over 2500 px); 205 (a
 * flat centre, as image.ts decides); 207 (a spec not in the document's table); 210 (a picture
 * under 64 px). `hooks.failWith(code)` answers any code of the document, e.g. 206, 208, 209, 500,
 * 501 and 999. `beautyDegree` out of 1.0–5.0 is ignored, as the document says.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOOPBACK_HOSTS, listenMock } from './mock-listener.js';
import { ID_PHOTO_COLORS, ID_PHOTO_SPECS } from '../../../core/src/shared/index.js';
import { verifyHuaweiApig } from '../signing/huawei.js';
import { ID_PHOTO_CODES } from '../vendors/id-photo/errors.js';
import { FaultInjector, readBody, sendJson, sendNginxError, sendPlainTooLarge, type FaultAnswers, type FaultController } from './faults.js';
import { makeIdPhoto } from './id-photo-image.js';
import { hasFace } from './image.js';
import { decodeRgba, toGray } from './raster.js';

export interface IdPhotoMockOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Only loopback addresses are accepted. */
  host?: string;
  /** AppKey/AppSecret the gateway knows; random when omitted. */
  appKey?: string;
  appSecret?: string;
  /** Path of the API (the document leaves it to the market page); default `/idphoto/make`. */
  path?: string;
}

export interface IdPhotoMockHooks {
  /** Answer the next `times` (default 1) calls with this document code and its message (or `msg`). */
  failWith(code: number, options?: { times?: number; msg?: string }): void;
  /** How `data.result` carries the picture: a link (documented, default) or base64. */
  resultAs: 'url' | 'base64';
  clear(): void;
}

export interface IdPhotoMockRequest {
  method: string;
  path: string;
  signatureOk: boolean;
  /** The parameters received; base64 is shown as its length. */
  params: Record<string, string>;
  /** The `code` answered, when the call reached the API. */
  code?: number;
}

export interface IdPhotoMock {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Full URL of the API, the adapter's `url`. */
  apiUrl: string;
  port: number;
  appKey: string;
  appSecret: string;
  faults: FaultController;
  hooks: IdPhotoMockHooks;
  /** The last 100 requests, for tests. */
  requests: IdPhotoMockRequest[];
  close(): Promise<void>;
}

interface Made {
  bytes: Buffer;
  signature: string;
  expires: number;
}

type Params = Record<string, string>;

/** APIG refuses bodies over 12 MB, in plain text from its fronting proxy. */
const MAX_BODY_BYTES = 12 * 1024 * 1024;
const MAX_SIDE_PX = 2500;
const MIN_SIDE_PX = 64;
const MAX_KEPT_PICTURES = 50;
const URL_FETCH_TIMEOUT_MS = 3000;
/** Without a spec the vendor picks its default; the mock makes a one-inch photo (25×35 mm at 300 dpi). */
const DEFAULT_SIZE = { width: 295, height: 413, dpi: 300 };

class CodeAnswer extends Error {
  constructor(
    readonly code: number,
    message?: string,
  ) {
    super(message ?? ID_PHOTO_CODES[String(code)]?.message ?? '其他');
  }
}

export async function startIdPhotoMock(options: IdPhotoMockOptions = {}): Promise<IdPhotoMock> {
  const appKey = options.appKey ?? randomBytes(16).toString('hex');
  const appSecret = options.appSecret ?? randomBytes(16).toString('hex');
  const apiPath = options.path ?? '/idphoto/make';
  const storageKey = randomBytes(16);
  const faults = new FaultInjector();
  const requests: IdPhotoMockRequest[] = [];
  const made = new Map<string, Made>();
  let forced: { code: number; times: number; msg?: string } | null = null;
  let baseUrl = '';

  const hooks: IdPhotoMockHooks = {
    failWith(code, hookOptions = {}) {
      if (!ID_PHOTO_CODES[String(code)] || code === 200) throw new RangeError(`code ${code} is not a failure code of the document`);
      forced = { code, times: hookOptions.times ?? 1, msg: hookOptions.msg };
    },
    resultAs: 'url',
    clear() {
      forced = null;
      hooks.resultAs = 'url';
    },
  };

  const sign = (taskNo: string, expires: number) => createHmac('sha256', storageKey).update(`${taskNo}:${expires}`).digest('base64url');

  const store = (taskNo: string, bytes: Buffer): string => {
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const signature = sign(taskNo, expires);
    made.set(taskNo, { bytes, signature, expires });
    // Oldest first: Map keeps insertion order.
    while (made.size > MAX_KEPT_PICTURES) made.delete(made.keys().next().value!);
    return `${baseUrl}/oss/idphoto/${taskNo}.jpg?Expires=${expires}&OSSAccessKeyId=mock&Signature=${signature}`;
  };

  const serveStored = (url: URL, response: ServerResponse) => {
    const taskNo = /^\/oss\/idphoto\/(\d+)\.jpg$/.exec(url.pathname)?.[1];
    const picture = taskNo ? made.get(taskNo) : undefined;
    const expires = Number(url.searchParams.get('Expires'));
    if (!picture || url.searchParams.get('Signature') !== picture.signature || expires !== picture.expires || expires * 1000 < Date.now()) {
      response.writeHead(403, { 'content-type': 'application/xml' });
      return void response.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired or the signature does not match.</Message></Error>');
    }
    response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': picture.bytes.length });
    response.end(picture.bytes);
  };

  const makePhoto = async (params: Params): Promise<{ taskNo: string; result: string; size: [string, string] }> => {
    if (forced) {
      const { code, msg } = forced;
      if (--forced.times <= 0) forced = null;
      throw new CodeAnswer(code, msg);
    }
    if (!params.base64 && !params.url) throw new CodeAnswer(400, '参数错误: base64、url 必须提供一个');
    const target = resolveTarget(params);
    const bgColor = params.bgColor ?? target.colors[0] ?? 'white';
    if (!/^#[0-9a-f]{6}$/i.test(bgColor) && !(ID_PHOTO_COLORS as readonly string[]).includes(bgColor)) throw new CodeAnswer(400, `参数错误: bgColor ${bgColor}`);
    const fileSizeKb = pair(params, 'fileSize', (min, max) => max > min);
    const topEmpty = pair(params, 'topEmpty', (min, max) => max > min && max < target.height);
    const dpi = params.dpi === undefined ? target.dpi : Number(params.dpi);
    if (!Number.isInteger(dpi) || dpi <= 0) throw new CodeAnswer(400, '参数错误: dpi');
    const beauty = Number(params.beautyDegree);
    const unit = (name: string) => {
      const value = params[name] === undefined ? undefined : Number(params[name]);
      if (value !== undefined && !(value > 0 && value < 1)) throw new CodeAnswer(400, `参数错误: ${name}`);
      return value;
    };

    // base64 wins over url, as the document says.
    const bytes = params.base64 ? Buffer.from(params.base64, 'base64') : await fetchLoopback(params.url!);
    const image = decodeRgba(bytes);
    if (!image) throw new CodeAnswer(201, '照片处理失败: 无法解码图片');
    if (Math.max(image.width, image.height) > MAX_SIDE_PX) throw new CodeAnswer(204);
    if (Math.min(image.width, image.height) < MIN_SIDE_PX) throw new CodeAnswer(210);
    if (!hasFace(toGray(image))) throw new CodeAnswer(205);

    const picture = makeIdPhoto(image, {
      width: target.width,
      height: target.height,
      bgColor,
      dpi,
      beautyDegree: beauty >= 1 && beauty <= 5 ? beauty : undefined,
      faceRatio: unit('faceRatio'),
      faceCenterRange: unit('faceCenterRange'),
      topEmpty,
      fileSizeKb,
    });
    const taskNo = newTaskNo();
    const result = hooks.resultAs === 'base64' ? picture.toString('base64') : store(taskNo, picture);
    return { taskNo, result, size: [String(target.width), String(target.height)] };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://mock.invalid');
    const method = request.method ?? 'GET';
    if (url.pathname === '/__faults') return faults.control(request, response);
    const body = await readBody(request, MAX_BODY_BYTES);
    if (await faults.apply(url.pathname, request, response, ID_PHOTO_FAULTS)) return;
    if (body === null) return sendPlainTooLarge(response);
    if (method === 'GET' && url.pathname.startsWith('/oss/')) return serveStored(url, response);

    const verdict = verifyHuaweiApig(
      { method, url: request.url ?? '/', headers: flatHeaders(request), body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) },
      (key) => (key === appKey ? appSecret : undefined),
      { now: Date.now() },
    );
    const params = parseParams(request.headers['content-type'], body);
    const record: IdPhotoMockRequest = { method, path: url.pathname, signatureOk: verdict.ok, params: describe(params) };
    requests.push(record);
    if (requests.length > 100) requests.shift();
    if (!verdict.ok) return sendJson(response, verdict.status, verdict.body);
    if (url.pathname !== apiPath || method !== 'POST') {
      return sendJson(response, 404, { error_msg: 'The API does not exist or has not been published in the environment', error_code: 'APIG.0101', request_id: randomBytes(16).toString('hex') });
    }
    try {
      const photo = await makePhoto(params);
      record.code = 200;
      sendJson(response, 200, { code: 200, msg: '成功', taskNo: photo.taskNo, data: { result: photo.result, size: photo.size } });
    } catch (error) {
      if (!(error instanceof CodeAnswer)) throw error;
      record.code = error.code;
      sendJson(response, 200, { code: error.code, msg: error.message, taskNo: newTaskNo(), data: null });
    }
  };

  const listener = await listenMock(handle, {
    host: options.host,
    port: options.port,
    internalError: (response, error) => sendJson(response, 500, { code: 999, msg: String(error), data: null }),
  });
  baseUrl = listener.url;

  return {
    url: baseUrl,
    apiUrl: baseUrl + apiPath,
    port: listener.port,
    appKey,
    appSecret,
    faults,
    hooks,
    requests,
    close: async () => {
      faults.close();
      await listener.close();
    },
  };
}

/** Gateway failures in APIG's JSON; 413 in plain text and 5xx as proxy pages, as fronting proxies answer. */
const ID_PHOTO_FAULTS: FaultAnswers = {
  status(response, status) {
    const requestId = randomBytes(16).toString('hex');
    if (status === 413) return sendPlainTooLarge(response);
    if (status === 429) {
      return sendJson(response, 429, { error_msg: 'The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second', error_code: 'APIG.0308', request_id: requestId });
    }
    if (status === 502) return sendJson(response, 502, { error_msg: 'Backend unavailable', error_code: 'APIG.0202', request_id: requestId });
    if (status === 504) return sendJson(response, 504, { error_msg: 'Backend timeout', error_code: 'APIG.0203', request_id: requestId });
    sendNginxError(response, status);
  },
  malformedJson: '{"code":200,"msg":"成功","taskNo":"254900443205524179659164","data":{"result":"http',
};

/** The spec's pixel size, DPI and colours: the first row of the document's table with that spec text. */
function resolveTarget(params: Params): { width: number; height: number; dpi: number; colors: string[] } {
  if (params.size !== undefined) {
    if (params.spec !== '12') throw new CodeAnswer(400, '参数错误: 使用size参数时spec需设置为12');
    const match = /^(\d+)x(\d+)$/.exec(params.size);
    if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) throw new CodeAnswer(400, '参数错误: size');
    return { width: Number(match[1]), height: Number(match[2]), dpi: DEFAULT_SIZE.dpi, colors: [] };
  }
  if (params.spec === undefined) return { ...DEFAULT_SIZE, colors: [] };
  const spec = ID_PHOTO_SPECS.find((row) => row.vendorSpec === params.spec);
  if (!spec) throw new CodeAnswer(207);
  return { width: spec.widthPx, height: spec.heightPx, dpi: spec.dpi, colors: [...spec.colors] };
}

/** A 24-digit request number like the document's "254900443205524179659164". */
function newTaskNo(): string {
  return '2' + Array.from(randomBytes(23), (byte) => byte % 10).join('');
}

function pair(params: Params, name: string, valid: (min: number, max: number) => boolean): { min: number; max: number } | undefined {
  const text = params[name];
  if (text === undefined) return undefined;
  const match = /^(\d+),(\d+)$/.exec(text);
  if (!match || !valid(Number(match[1]), Number(match[2]))) throw new CodeAnswer(400, `参数错误: ${name}`);
  return { min: Number(match[1]), max: Number(match[2]) };
}

/** Fetches a photo by URL, from loopback only: the mock never reaches out to other hosts. */
async function fetchLoopback(url: string): Promise<Buffer> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CodeAnswer(203);
  }
  if (!LOOPBACK_HOSTS.has(parsed.hostname) || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw new CodeAnswer(203, '照片找不到: 无法访问图片地址');
  try {
    const response = await fetch(parsed, { signal: AbortSignal.timeout(URL_FETCH_TIMEOUT_MS), redirect: 'error' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_BODY_BYTES) throw new Error('too large');
    return bytes;
  } catch {
    throw new CodeAnswer(203, '照片找不到: 图片下载失败');
  }
}

function parseParams(contentType: string | undefined, body: Buffer): Params {
  const text = body.toString('utf8');
  const params: Params = {};
  if ((contentType ?? '').includes('application/json')) {
    try {
      const json: unknown = JSON.parse(text);
      if (typeof json === 'object' && json !== null) {
        for (const [key, value] of Object.entries(json)) if (value !== null && value !== undefined && value !== '') params[key] = String(value);
      }
    } catch {
      // Not JSON: no parameters, answered as 400.
    }
    return params;
  }
  for (const [key, value] of new URLSearchParams(text)) if (value !== '') params[key] = value;
  return params;
}

function describe(params: Params): Params {
  return params.base64 === undefined ? { ...params } : { ...params, base64: `<${params.base64.length} chars>` };
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
