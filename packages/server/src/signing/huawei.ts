// Huawei Cloud APIG app authentication (SDK-HMAC-SHA256) and the gateway-side check the mock vendors
// run. Follows the APIG signing SDK's signers (signer.js / signer.py): every header on the request is
// signed, plus host and X-Sdk-Date; see README.md beside this file.

import { constantTimeEqual, hmacSha256, sha256, toBytes, toHex } from './hash.js';
import { lowerCaseHeaders, parsePairs, randomHex, rfc3986Encode, safeDecode, splitUrl, type SignableRequest } from './http.js';

export interface HuaweiRequest extends SignableRequest {
  body?: string | Uint8Array;
}

export interface HuaweiCredentials {
  appKey: string;
  appSecret: string;
}

export interface HuaweiSignOptions {
  /** X-Sdk-Date, `YYYYMMDDTHHMMSSZ` in UTC (e.g. 20200608T023900Z); defaults to the request's or now. */
  date?: string;
}

export const HUAWEI_ALGORITHM = 'SDK-HMAC-SHA256';

const SDK_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Formats a time as X-Sdk-Date. */
export function formatSdkDate(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Milliseconds of an X-Sdk-Date, or undefined when it is not one. */
export function parseSdkDate(sdkDate: string): number | undefined {
  const match = SDK_DATE_PATTERN.exec(sdkDate);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const milliseconds = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  return formatSdkDate(milliseconds) === sdkDate ? milliseconds : undefined;
}

/** Each path segment decoded then RFC 3986-encoded, with a trailing slash added. */
function canonicalUri(path: string): string {
  const encoded = path
    .split('/')
    .map((segment) => rfc3986Encode(safeDecode(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : encoded + '/';
}

/** Keys sorted, each key's values sorted, both RFC 3986-encoded; '+' is a literal plus, as in the signers. */
function canonicalQueryString(query: string): string {
  const valuesByKey = new Map<string, string[]>();
  for (const [key, value] of parsePairs(query, false)) {
    if (key === '') continue;
    valuesByKey.set(key, [...(valuesByKey.get(key) ?? []), value]);
  }
  const pairs: string[] = [];
  for (const key of [...valuesByKey.keys()].sort()) {
    for (const value of valuesByKey.get(key)!.sort()) pairs.push(`${rfc3986Encode(key)}=${rfc3986Encode(value)}`);
  }
  return pairs.join('&');
}

/** The signers hash no body for methods other than PUT, PATCH and POST. */
function payloadHash(method: string, headers: Record<string, string>, body: HuaweiRequest['body']): string {
  const declared = headers['x-sdk-content-sha256'];
  if (declared !== undefined) return declared;
  const hasBody = ['PUT', 'PATCH', 'POST'].includes(method);
  return toHex(sha256(hasBody && body !== undefined ? toBytes(body) : new Uint8Array(0)));
}

/**
 * The canonical request: METHOD, canonical URI, canonical query, `name:value` lines of the signed
 * headers (lower-case names, trimmed values) and an empty line, the signed header list, hex SHA-256
 * of the body. The names are used in the order given (the signers sort them; a verifier keeps the
 * client's order). `request.headers` must hold every signed header.
 */
export function huaweiCanonicalRequest(request: HuaweiRequest, signedHeaderNames: readonly string[]): string {
  const method = request.method.toUpperCase();
  const headers = lowerCaseHeaders(request.headers);
  const { path, query } = splitUrl(request.url);
  const canonicalHeaders = signedHeaderNames.map((name) => `${name}:${(headers[name] ?? '').trim()}`).join('\n') + '\n';
  return [
    method,
    canonicalUri(path),
    canonicalQueryString(query),
    canonicalHeaders,
    signedHeaderNames.join(';'),
    payloadHash(method, headers, request.body),
  ].join('\n');
}

export function huaweiStringToSign(canonicalRequest: string, sdkDate: string): string {
  return `${HUAWEI_ALGORITHM}\n${sdkDate}\n${toHex(sha256(canonicalRequest))}`;
}

/**
 * Signs a request for Huawei Cloud APIG app authentication and returns the headers to add:
 * X-Sdk-Date, Authorization and, when the request has none, host (taken from the URL). Every
 * header on the request is signed, plus host and x-sdk-date, lower-cased; a stale Authorization
 * header is left out because the returned one replaces it.
 */
export function signHuaweiApig(
  request: HuaweiRequest,
  credentials: HuaweiCredentials,
  options: HuaweiSignOptions = {},
): Record<string, string> {
  const headers = lowerCaseHeaders(request.headers);
  delete headers['authorization'];
  const sdkDate = options.date ?? headers['x-sdk-date'] ?? formatSdkDate(Date.now());
  if (parseSdkDate(sdkDate) === undefined) throw new RangeError(`signHuaweiApig: X-Sdk-Date must be YYYYMMDDTHHMMSSZ, got ${sdkDate}`);
  headers['x-sdk-date'] = sdkDate;

  const added: Record<string, string> = { 'X-Sdk-Date': sdkDate };
  if (headers['host'] === undefined) {
    const { host } = splitUrl(request.url);
    if (host === '') throw new TypeError('signHuaweiApig: give an absolute URL or a Host header');
    headers['host'] = host;
    added['host'] = host;
  }

  const signedHeaderNames = Object.keys(headers).sort();
  const canonicalRequest = huaweiCanonicalRequest({ ...request, headers }, signedHeaderNames);
  const signature = toHex(hmacSha256(credentials.appSecret, huaweiStringToSign(canonicalRequest, sdkDate)));
  added['Authorization'] =
    `${HUAWEI_ALGORITHM} Access=${credentials.appKey}, SignedHeaders=${signedHeaderNames.join(';')}, Signature=${signature}`;
  return added;
}

/** APIG's JSON error body. */
export interface HuaweiApigError {
  error_msg: string;
  error_code: string;
  request_id: string;
}

export type HuaweiVerifyResult =
  | { ok: true; appKey: string }
  | {
      ok: false;
      /** HTTP status APIG answers with. */
      status: number;
      body: HuaweiApigError;
      /** The server's canonical request (real line feeds) when the signature did not match. */
      canonicalRequest?: string;
    };

export interface HuaweiVerifyOptions {
  /** The gateway's clock, in milliseconds. */
  now: number;
  /** Allowed distance between X-Sdk-Date and now; APIG allows 15 minutes. */
  maxSkewMs?: number;
  /** request_id of the error body; defaults to 32 random hex digits, as APIG's look. */
  requestId?: string;
}

/** App authentication failures are APIG.0303 with HTTP 401 (APIG.0301 is the IAM AK/SK variant). */
export const HUAWEI_APP_AUTH_ERROR_CODE = 'APIG.0303';
const APP_AUTH_PREFIX = 'Incorrect app authentication information: ';
const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;

const AUTHORIZATION_PATTERN = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/;

/**
 * Verifies an app-authenticated request the way APIG does, answering with APIG's error body on
 * failure: Authorization present and well formed, app known, X-Sdk-Date within the allowed skew,
 * then the signature over the headers the client listed in SignedHeaders.
 */
export function verifyHuaweiApig(
  request: HuaweiRequest,
  lookupSecret: (appKey: string) => string | undefined,
  options: HuaweiVerifyOptions,
): HuaweiVerifyResult {
  const refuse = (detail: string, canonicalRequest?: string): HuaweiVerifyResult => {
    const body = { error_msg: APP_AUTH_PREFIX + detail, error_code: HUAWEI_APP_AUTH_ERROR_CODE, request_id: options.requestId ?? randomHex(16) };
    return canonicalRequest === undefined ? { ok: false, status: 401, body } : { ok: false, status: 401, body, canonicalRequest };
  };
  const headers = lowerCaseHeaders(request.headers);

  const match = AUTHORIZATION_PATTERN.exec(headers['authorization'] ?? '');
  if (!match) return refuse('Access or Credential is empty in Authorization');
  const appKey = match[1]!;
  const signedHeaderList = match[2]!;
  const signature = match[3]!;

  const appSecret = lookupSecret(appKey);
  if (appSecret === undefined) return refuse(`app not found, appkey ${appKey}`);

  const sdkDate = headers['x-sdk-date'] ?? '';
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined || Math.abs(options.now - signedAt) > (options.maxSkewMs ?? FIFTEEN_MINUTES_MS)) {
    return refuse(`signature expired, signature time:${sdkDate},server time:${formatSdkDate(options.now)}`);
  }

  const signedHeaderNames = signedHeaderList.toLowerCase().split(';');
  const canonicalRequest = huaweiCanonicalRequest({ ...request, headers }, signedHeaderNames);
  const expected = toHex(hmacSha256(appSecret, huaweiStringToSign(canonicalRequest, sdkDate)));
  if (!constantTimeEqual(expected, signature.toLowerCase())) {
    // APIG shows the canonical request on one line, line feeds written as '|'.
    return refuse(`verify signature fail, canonicalRequest:${canonicalRequest.replace(/\n/g, '|')}`, canonicalRequest);
  }
  return { ok: true, appKey };
}
