/**
 * Client of the face platform's micro-service API (vendor document, section 7): JSON POSTs under
 * `/aicp/face/…`, authorised by a `token` header. Without a token it speaks the same API as
 * section 3. Every failure leaves this class as an EndpointError with a kit code.
 */
import { EndpointError } from '../../endpoint-error.js';
import { DEFAULT_VENDOR_TIMEOUT_MS, VendorTransportError, vendorFetch, vendorJson, type FetchFunction } from '../http.js';
import { FACE_PLATFORM, facePlatformError } from './errors.js';

export interface FacePlatformConfig {
  /** Service root, e.g. `http://10.0.0.5:9012`; paths such as `/aicp/face/add` are appended. */
  url: string;
  /** Value of the `token` header (section 7). */
  token?: string;
  /** Bound on each vendor call, including reading the answer (default 10 s). */
  timeoutMs?: number;
  fetch?: FetchFunction;
}

export const FACE_PLATFORM_PATHS = {
  addBase: '/aicp/face/addBase',
  deleteBase: '/aicp/face/deleteBase',
  queryBaseAll: '/aicp/face/queryBaseAll',
  add: '/aicp/face/add',
  recognition: '/aicp/face/recognition',
  couple: '/aicp/face/couple',
  remove: '/aicp/face/remove',
  query: '/aicp/face/query',
  quality: '/aicp/face/quality',
  detect: '/aicp/face/detect',
  recognitionMany: '/aicp/face/recognitionmn',
} as const;

/** Largest enrolled photo the endpoint relays to the browser. */
const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

export class FacePlatformClient {
  readonly name = FACE_PLATFORM;
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly config: FacePlatformConfig) {
    this.base = new URL(config.url).href.replace(/\/+$/, '');
    this.timeoutMs = config.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS;
  }

  /** Calls one route and returns its `data` (which may be null) when `flag` is true. */
  async call(path: string, body: Record<string, unknown>): Promise<unknown> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' };
    if (this.config.token) headers.token = this.config.token;
    let answer;
    try {
      answer = await vendorJson(this.base + path, { method: 'POST', headers, body: JSON.stringify(body), timeoutMs: this.timeoutMs, fetch: this.config.fetch });
    } catch (error) {
      throw this.transportError(error);
    }
    const json = isRecord(answer.json) ? answer.json : undefined;
    const message = typeof json?.message === 'string' ? json.message : undefined;
    const resultCode = json?.resultCode === undefined || json.resultCode === null ? undefined : String(json.resultCode);
    if (answer.status < 200 || answer.status >= 300) {
      throw facePlatformError({ kind: 'http', status: answer.status, message, resultCode, body: answer.text, retryAfterMs: answer.retryAfterMs });
    }
    if (!json || (json.flag !== true && json.flag !== false && json.flag !== 'true' && json.flag !== 'false')) {
      throw facePlatformError({ kind: 'malformed', status: answer.status, body: answer.text });
    }
    if (json.flag === false || json.flag === 'false') {
      throw facePlatformError({ kind: 'business', message: message ?? '', resultCode });
    }
    return json.data ?? null;
  }

  /** True when `url` is on the platform's own origin, so that it may receive the token. */
  ownsUrl(url: string): boolean {
    try {
      return new URL(url).origin === new URL(this.base).origin;
    } catch {
      return false;
    }
  }

  /** Downloads an image the platform stores (enrolled photos), for the endpoint's media route. */
  async fetchImage(url: string): Promise<{ bytes: Uint8Array; contentType: string }> {
    const headers: Record<string, string> = { accept: 'image/*' };
    if (this.config.token && this.ownsUrl(url)) headers.token = this.config.token;
    let result;
    try {
      result = await vendorFetch(url, { headers, timeoutMs: this.timeoutMs, fetch: this.config.fetch, maxBytes: MAX_IMAGE_BYTES });
    } catch (error) {
      throw this.transportError(error);
    }
    const { response, body } = result;
    if (!response.ok) {
      const text = new TextDecoder().decode(body.subarray(0, 2048));
      let message: string | undefined;
      try {
        const parsed: unknown = JSON.parse(text);
        if (isRecord(parsed) && typeof parsed.message === 'string') message = parsed.message;
      } catch {
        // Not JSON: the status decides.
      }
      throw facePlatformError({ kind: 'http', status: response.status, message, body: text });
    }
    const contentType = imageTypeOf(body) ?? '';
    if (!contentType) throw facePlatformError({ kind: 'malformed', status: response.status, body: 'the stored image is not a JPEG or PNG' });
    return { bytes: body, contentType };
  }

  private transportError(error: unknown): EndpointError {
    if (error instanceof VendorTransportError) return facePlatformError({ kind: error.kind, detail: error.message });
    return facePlatformError({ kind: 'network', detail: error instanceof Error ? error.message : String(error) });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Content type from the magic bytes; the endpoint never trusts the upstream's header for this. */
export function imageTypeOf(bytes: Uint8Array): 'image/jpeg' | 'image/png' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  return undefined;
}
