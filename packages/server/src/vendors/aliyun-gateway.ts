/**
 * Calls through Alibaba Cloud API Gateway, shared by the FaceID and face-image adapters: signs each
 * request with AppKey/AppSecret (HmacSHA256, X-Ca-* headers) or sends `Authorization: APPCODE …`,
 * and tells the gateway's own refusals (an `X-Ca-Error-Message` header) from the backend's answers.
 */
import type { KitCode } from '../../../core/src/shared/index.js';
import { EndpointError, type VendorInfo } from '../endpoint-error.js';
import { aliyunAppCodeHeaders, signAliyunGateway } from '../signing/aliyun.js';
import { DEFAULT_VENDOR_TIMEOUT_MS, VendorTransportError, excerpt, vendorFetch, type FetchFunction } from './http.js';

/** Credentials of an Alibaba Cloud Market API: AppKey + AppSecret (signature) or an AppCode. */
export interface AliyunGatewayCredentials {
  appKey?: string;
  appSecret?: string;
  appCode?: string;
}

export interface AliyunGatewayVendorConfig extends AliyunGatewayCredentials {
  /** Service root, e.g. `https://api.example`; the documented paths are appended. */
  url: string;
  /** Bound on each call, answer included; the app's vendor timeout otherwise. */
  timeoutMs?: number;
  fetch?: FetchFunction;
}

export type AliyunAuthMode = 'signature' | 'appcode';

/** The signature when AppKey and AppSecret are both set (it also protects the body), else the AppCode. */
export function aliyunAuthMode(credentials: AliyunGatewayCredentials): AliyunAuthMode {
  if (credentials.appKey && credentials.appSecret) return 'signature';
  if (credentials.appCode) return 'appcode';
  throw new TypeError('an Alibaba gateway vendor needs an AppKey and AppSecret, or an AppCode');
}

export interface GatewayRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  /** application/x-www-form-urlencoded fields; they are part of the signature. */
  form?: Record<string, string>;
  /** A JSON body; Content-MD5 covers it. */
  json?: unknown;
}

export interface GatewayAnswer {
  status: number;
  text: string;
  /** Parsed body, undefined when it is not JSON. */
  json: unknown;
  /** The gateway's refusal (`X-Ca-Error-Message`); absent when the backend answered. */
  gatewayError?: string;
  /** The gateway's X-Ca-Request-Id, for support requests. */
  gatewayRequestId?: string;
  retryAfterMs?: number;
}

/** Vendor answers are small JSON, except FaceID's image_best (base64, ≤ 2 MB) in get_result. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export class AliyunGatewayCaller {
  readonly base: string;
  readonly mode: AliyunAuthMode;
  readonly timeoutMs: number;

  constructor(private readonly config: AliyunGatewayVendorConfig) {
    this.base = new URL(config.url).href.replace(/\/+$/, '');
    this.mode = aliyunAuthMode(config);
    this.timeoutMs = config.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS;
  }

  /** Sends one request; transport failures throw VendorTransportError, every HTTP answer returns. */
  async send(request: GatewayRequest): Promise<GatewayAnswer> {
    const query = request.query ? new URLSearchParams(request.query).toString() : '';
    const url = this.base + request.path + (query ? `?${query}` : '');
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
      body = new URLSearchParams(request.form).toString();
    } else if (request.json !== undefined) {
      headers['content-type'] = 'application/json; charset=UTF-8';
      body = JSON.stringify(request.json);
    }
    if (this.mode === 'signature') {
      // The form fields are signed as fields (decoded), exactly as the gateway reads them back.
      const signed = signAliyunGateway(
        { method: request.method, url, headers, body: request.form ?? body },
        { appKey: this.config.appKey!, appSecret: this.config.appSecret! },
      );
      Object.assign(headers, signed);
    } else {
      Object.assign(headers, aliyunAppCodeHeaders(this.config.appCode!));
    }
    const { response, body: bytes } = await vendorFetch(url, {
      method: request.method,
      headers,
      body,
      timeoutMs: this.timeoutMs,
      fetch: this.config.fetch,
      maxBytes: MAX_ANSWER_BYTES,
    });
    const text = new TextDecoder().decode(bytes);
    let json: unknown;
    try {
      json = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const gatewayError = response.headers.get('x-ca-error-message') ?? undefined;
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      status: response.status,
      text,
      json,
      gatewayError: gatewayError || undefined,
      gatewayRequestId: response.headers.get('x-ca-request-id') ?? undefined,
      retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
    };
  }

  /** Downloads an image by a URL the vendor handed out (pre-signed): no credentials are sent. */
  async fetchImage(url: string, onFailure: (status: number, body: string) => EndpointError): Promise<{ bytes: Uint8Array; contentType: string }> {
    if (!/^https?:\/\//i.test(url)) throw onFailure(0, 'the image URL is not http(s)');
    const { response, body } = await vendorFetch(url, { headers: { accept: 'image/*' }, timeoutMs: this.timeoutMs, fetch: this.config.fetch, maxBytes: MAX_ANSWER_BYTES });
    if (!response.ok) throw onFailure(response.status, new TextDecoder().decode(body.subarray(0, 2048)));
    const contentType = sniffImageType(body);
    if (!contentType) throw onFailure(response.status, 'the stored image is not a JPEG or PNG');
    return { bytes: body, contentType };
  }
}

/** Content type from the magic bytes; the upstream's header is never trusted for this. */
export function sniffImageType(bytes: Uint8Array): 'image/jpeg' | 'image/png' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  return undefined;
}

/**
 * The gateway's refusals (X-Ca-Error-Message), most specific first. Signing and credential
 * problems are ours to fix (VENDOR_AUTH); flow control and quotas are the caller's to wait out.
 * Messages of the public error table of the gateway (classic and VPC instances).
 */
export const ALIYUN_GATEWAY_ERROR_RULES: ReadonlyArray<{ pattern: RegExp; code: KitCode }> = [
  { pattern: /throttled|flow control/i, code: 'RATE_LIMITED' },
  { pattern: /quota/i, code: 'VENDOR_QUOTA' },
  { pattern: /body too large|url too large|entity too large/i, code: 'IMAGE_TOO_LARGE' },
  { pattern: /signature|appkey|appcode|appsecret|timestamp|nonce|content-md5|unauthori[sz]ed|forbidden|expired/i, code: 'VENDOR_AUTH' },
  { pattern: /timeout|timed out/i, code: 'VENDOR_TIMEOUT' },
];

/** Kit code of a gateway refusal: its message, else its status. */
export function gatewayRefusalCode(status: number, message: string): KitCode {
  return ALIYUN_GATEWAY_ERROR_RULES.find((rule) => rule.pattern.test(message))?.code ?? codeForGatewayStatus(status);
}

/** The fallback of every table: what an HTTP status alone says. */
export function codeForGatewayStatus(status: number): KitCode {
  if (status === 401 || status === 403) return 'VENDOR_AUTH';
  if (status === 408 || status === 504) return 'VENDOR_TIMEOUT';
  if (status === 413) return 'IMAGE_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'VENDOR_UNAVAILABLE';
  return 'VENDOR_ERROR';
}

/** A gateway refusal as an EndpointError, with the gateway's words passed on. */
export function gatewayRefusal(vendor: string, answer: GatewayAnswer): EndpointError {
  const message = answer.gatewayError ?? '';
  const info: VendorInfo = { name: vendor, code: `gateway HTTP ${answer.status}`, message };
  return new EndpointError(gatewayRefusalCode(answer.status, message), { vendor: info, retryAfterMs: answer.retryAfterMs });
}

/** Timeouts and unreachable hosts, in one vendor's name. */
export function transportFailure(vendor: string, error: unknown): EndpointError {
  if (error instanceof EndpointError) return error;
  if (error instanceof VendorTransportError) {
    return new EndpointError(error.kind === 'timeout' ? 'VENDOR_TIMEOUT' : 'VENDOR_UNAVAILABLE', {
      vendor: { name: vendor, code: error.kind === 'timeout' ? 'timeout' : 'unreachable', message: error.message },
    });
  }
  return new EndpointError('VENDOR_UNAVAILABLE', {
    vendor: { name: vendor, code: 'unreachable', message: error instanceof Error ? error.message : String(error) },
  });
}

/** An answer that is not the documented JSON. */
export function malformedAnswer(vendor: string, answer: { status: number; text: string }): EndpointError {
  return new EndpointError('VENDOR_ERROR', {
    vendor: { name: vendor, code: 'malformed', message: excerpt(answer.text) || `empty HTTP ${answer.status} answer` },
  });
}
