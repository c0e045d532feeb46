// Alibaba Cloud API Gateway request signing (HmacSHA256, X-Ca-* headers) and the gateway-side check
// the mock vendors run. Follows the official Node SDK (aliyun/api-gateway-nodejs-sdk, lib/client.js)
// and the gateway's published signing rules; see README.md beside this file.

import { constantTimeEqual, hmacSha256, md5, toBase64, toBytes, utf8Text } from './hash.js';
import {
  lowerCaseHeaders,
  parsePairs,
  splitUrl,
  type NonceStore,
  type SignableRequest,
} from './http.js';

/** A request to sign; a record body holds form fields (application/x-www-form-urlencoded). */
export interface AliyunRequest extends SignableRequest {
  body?: string | Uint8Array | Record<string, string>;
}

export interface AliyunCredentials {
  appKey: string;
  appSecret: string;
}

export interface AliyunSignOptions {
  /** X-Ca-Timestamp in milliseconds; defaults to now. */
  timestamp?: number | string;
  /** X-Ca-Nonce; defaults to a random UUID. */
  nonce?: string;
  /**
   * Add Content-MD5 for a non-form body. Defaults to true when there is a non-empty non-form body, as
   * the Node SDK does for POST: without it the gateway cannot tell a changed body.
   */
  contentMd5?: boolean;
}

export const ALIYUN_SIGNATURE_METHOD = 'HmacSHA256';

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Headers that have their own line in the StringToSign, or are the signature: never in the Headers part. */
const UNSIGNABLE_HEADERS = new Set([
  'x-ca-signature',
  'x-ca-signature-headers',
  'accept',
  'content-md5',
  'content-type',
  'date',
]);

/** X-Ca-Error-Message values of the gateway's public error table (client errors). */
export const ALIYUN_ERRORS = {
  invalidAppKey: 'Invalid AppKey',
  invalidAppCode: 'Invalid AppCode `not exists`',
  emptySignature: 'Empty Signature',
  invalidTimestamp: 'Invalid Timestamp',
  timestampExpired: 'Timestamp Expired',
  nonceUsed: 'Nonce Used',
  invalidContentMd5: 'Invalid Content-MD5',
  invalidSignature: 'Invalid Signature',
} as const;

function isFormContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().startsWith(FORM_CONTENT_TYPE);
}

function isFormFields(body: AliyunRequest['body']): body is Record<string, string> {
  return body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array);
}

/** Form fields of a form body, whichever shape the body has. */
function formFields(body: AliyunRequest['body']): Array<[string, string]> {
  if (body === undefined) return [];
  if (isFormFields(body)) return Object.entries(body);
  return parsePairs(typeof body === 'string' ? body : utf8Text(body), true);
}

function bodyBytes(body: AliyunRequest['body']): Uint8Array {
  if (body === undefined || isFormFields(body)) return new Uint8Array(0);
  return toBytes(body);
}

/**
 * Path + '?' + sorted `key=value` of the query and (for a form body) the form fields, decoded.
 * A key without a value is signed alone; of repeated keys only the first value counts.
 */
function pathAndParameters(url: string, form: Array<[string, string]>): string {
  const { path, query } = splitUrl(url);
  const parameters = new Map<string, string>();
  for (const [key, value] of [...parsePairs(query, true), ...form]) {
    if (!parameters.has(key)) parameters.set(key, value);
  }
  if (parameters.size === 0) return path;
  const keys = [...parameters.keys()].sort();
  return path + '?' + keys.map((key) => (parameters.get(key) ? `${key}=${parameters.get(key)}` : key)).join('&');
}

/**
 * The StringToSign: METHOD, Accept, Content-MD5, Content-Type and Date lines (empty when absent),
 * then `name:value` lines of the signed headers in sorted order, then the path and parameters.
 * `request.headers` must already hold every header that is sent, X-Ca-* included.
 */
export function aliyunStringToSign(request: AliyunRequest, signedHeaderNames: readonly string[]): string {
  const headers = lowerCaseHeaders(request.headers);
  const contentType = headers['content-type'] ?? '';
  let text = request.method.toUpperCase() + '\n';
  for (const name of ['accept', 'content-md5', 'content-type', 'date']) text += (headers[name] ?? '') + '\n';
  for (const name of [...signedHeaderNames].sort()) text += `${name}:${headers[name] ?? ''}\n`;
  const form = isFormContentType(contentType) ? formFields(request.body) : [];
  return text + pathAndParameters(request.url, form);
}

/**
 * Signs a request for Alibaba Cloud API Gateway and returns the headers to add: x-ca-key,
 * x-ca-timestamp, x-ca-nonce, x-ca-signature-method, x-ca-signature-headers, x-ca-signature, and
 * content-md5 / content-type / accept (application/json, the Node SDK's default) when they are
 * computed here. The signed headers are exactly the X-Ca-* headers already on the request plus the
 * x-ca-key, x-ca-timestamp and x-ca-nonce added here, lower-cased, as the official Node SDK signs
 * them; x-ca-signature-method is sent but not signed unless the caller put it on the request.
 */
export function signAliyunGateway(
  request: AliyunRequest,
  credentials: AliyunCredentials,
  options: AliyunSignOptions = {},
): Record<string, string> {
  const requestHeaders = lowerCaseHeaders(request.headers);
  const added: Record<string, string> = {};

  if (isFormFields(request.body)) {
    if (requestHeaders['content-type'] === undefined) {
      added['content-type'] = `${FORM_CONTENT_TYPE}; charset=UTF-8`;
    } else if (!isFormContentType(requestHeaders['content-type'])) {
      throw new TypeError('signAliyunGateway: form fields need an application/x-www-form-urlencoded content type');
    }
  }
  const contentType = added['content-type'] ?? requestHeaders['content-type'];
  const body = bodyBytes(request.body);
  // fetch adds `content-type: text/plain` to a string body and `accept: */*` when they are absent;
  // the gateway would then sign values this side never saw.
  if (body.length > 0 && contentType === undefined) {
    throw new TypeError('signAliyunGateway: a request with a body needs a Content-Type header');
  }
  if (requestHeaders['accept'] === undefined) added['accept'] = 'application/json';
  const wantsMd5 = options.contentMd5 ?? body.length > 0;
  if (wantsMd5 && !isFormContentType(contentType) && requestHeaders['content-md5'] === undefined) {
    added['content-md5'] = toBase64(md5(body));
  }

  const timestamp = String(options.timestamp ?? Date.now());
  if (!/^\d+$/.test(timestamp)) throw new RangeError(`signAliyunGateway: timestamp must be milliseconds, got ${timestamp}`);
  added['x-ca-key'] = credentials.appKey;
  added['x-ca-timestamp'] = timestamp;
  added['x-ca-nonce'] = options.nonce ?? globalThis.crypto.randomUUID();
  // Set before signing: a method header already on the request is signed with the value sent.
  added['x-ca-signature-method'] = ALIYUN_SIGNATURE_METHOD;

  const signedHeaderNames = new Set(['x-ca-key', 'x-ca-timestamp', 'x-ca-nonce']);
  for (const name of Object.keys(requestHeaders)) {
    if (name.startsWith('x-ca-') && !UNSIGNABLE_HEADERS.has(name)) signedHeaderNames.add(name);
  }
  const sortedNames = [...signedHeaderNames].sort();
  const sentHeaders = { ...requestHeaders, ...added };
  const stringToSign = aliyunStringToSign({ ...request, headers: sentHeaders }, sortedNames);

  return {
    ...added,
    'x-ca-signature-headers': sortedNames.join(','),
    'x-ca-signature': toBase64(hmacSha256(credentials.appSecret, stringToSign)),
  };
}

/** The header for the gateway's simple (AppCode) authentication. */
export function aliyunAppCodeHeaders(appCode: string): { Authorization: string } {
  return { Authorization: 'APPCODE ' + appCode };
}

export type AliyunVerifyResult =
  | { ok: true; appKey?: string; appCode?: string }
  | {
      ok: false;
      /** HTTP status the gateway answers with. */
      status: number;
      /** The X-Ca-Error-Message response header. */
      errorMessage: string;
      /** The server's StringToSign (with real line feeds) when the signature did not match. */
      stringToSign?: string;
    };

export interface AliyunVerifyOptions {
  /** The gateway's clock, in milliseconds. */
  now: number;
  /** Allowed distance between X-Ca-Timestamp and now; the gateway allows 15 minutes. */
  maxSkewMs?: number;
  /** Records X-Ca-Nonce values; a nonce seen again within its lifetime is refused. */
  useNonce?: NonceStore;
  /** Checks an `Authorization: APPCODE …` value; without it AppCode requests are refused. */
  isKnownAppCode?: (appCode: string) => boolean;
}

const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;

function refuse(status: number, errorMessage: string, stringToSign?: string): AliyunVerifyResult {
  return stringToSign === undefined ? { ok: false, status, errorMessage } : { ok: false, status, errorMessage, stringToSign };
}

/** Checks `Authorization: APPCODE <code>` as the gateway's simple authentication does. */
export function verifyAliyunAppCode(request: AliyunRequest, isKnownAppCode: (appCode: string) => boolean): AliyunVerifyResult {
  const authorization = lowerCaseHeaders(request.headers)['authorization'] ?? '';
  const match = /^APPCODE\s+(\S+)\s*$/.exec(authorization);
  if (!match || !isKnownAppCode(match[1]!)) return refuse(400, ALIYUN_ERRORS.invalidAppCode);
  return { ok: true, appCode: match[1]! };
}

/**
 * Verifies a signed request the way the gateway does and answers with the gateway's
 * X-Ca-Error-Message on failure. Checks, in order: AppKey, signature present, timestamp,
 * Content-MD5, signature, nonce (last, so a forged request does not use up a nonce).
 * Requests carrying `Authorization: APPCODE …` are checked with `isKnownAppCode` instead.
 */
export function verifyAliyunGateway(
  request: AliyunRequest,
  lookupSecret: (appKey: string) => string | undefined,
  options: AliyunVerifyOptions,
): AliyunVerifyResult {
  const headers = lowerCaseHeaders(request.headers);
  if (/^APPCODE\s/.test(headers['authorization'] ?? '')) {
    return verifyAliyunAppCode(request, options.isKnownAppCode ?? (() => false));
  }
  const maxSkewMs = options.maxSkewMs ?? FIFTEEN_MINUTES_MS;

  const appKey = headers['x-ca-key'];
  const appSecret = appKey === undefined ? undefined : lookupSecret(appKey);
  if (appKey === undefined || appSecret === undefined) return refuse(400, ALIYUN_ERRORS.invalidAppKey);

  const signature = headers['x-ca-signature'];
  // The seed document lists Empty Signature with HTTP 401.
  if (!signature) return refuse(401, ALIYUN_ERRORS.emptySignature);

  const timestamp = headers['x-ca-timestamp'];
  if (timestamp !== undefined) {
    if (!/^\d+$/.test(timestamp)) return refuse(400, ALIYUN_ERRORS.invalidTimestamp);
    if (Math.abs(options.now - Number(timestamp)) > maxSkewMs) return refuse(400, ALIYUN_ERRORS.timestampExpired);
  }

  const contentMd5 = headers['content-md5'];
  if (contentMd5 !== undefined && !isFormContentType(headers['content-type'])) {
    const body = bodyBytes(request.body);
    if (body.length === 0 || toBase64(md5(body)) !== contentMd5) return refuse(400, ALIYUN_ERRORS.invalidContentMd5);
  }

  const signedHeaderNames = [
    ...new Set(
      (headers['x-ca-signature-headers'] ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter((name) => name !== '' && !UNSIGNABLE_HEADERS.has(name)),
    ),
  ];
  const stringToSign = aliyunStringToSign({ ...request, headers }, signedHeaderNames);
  const method = headers['x-ca-signature-method'] ?? ALIYUN_SIGNATURE_METHOD;
  const expected = method === ALIYUN_SIGNATURE_METHOD ? toBase64(hmacSha256(appSecret, stringToSign)) : '';
  if (expected === '' || !constantTimeEqual(expected, signature)) {
    // Response headers cannot carry line feeds, so the gateway writes them as '#'.
    const shown = stringToSign.replace(/\n/g, '#');
    return refuse(400, `${ALIYUN_ERRORS.invalidSignature}, Server StringToSign:\`${shown}\``, stringToSign);
  }

  const nonce = headers['x-ca-nonce'];
  if (nonce !== undefined && options.useNonce && !options.useNonce(`aliyun:${appKey}:${nonce}`, 2 * maxSkewMs)) {
    return refuse(400, ALIYUN_ERRORS.nonceUsed);
  }
  return { ok: true, appKey };
}
