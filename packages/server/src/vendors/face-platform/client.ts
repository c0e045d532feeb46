/**
 * Client of the face platform's micro-service API (vendor document, section 7): JSON POSTs under
 * `/aicp/face/…`, authorised by a `token` header. Without a token it speaks the same API as
 * section 3. The same client speaks the admin services: grants (section 6, `flag` answers),
 * usage statistics and register / face login (sections 8 and 10, on the second service root
 * `commonUrl`), and the 华铭考拉 user groups (section 9, `error_code` answers or bare maps).
 * Every failure leaves this class as an EndpointError with a kit code.
 */
import { EndpointError } from '../../endpoint-error.js';
import { DEFAULT_VENDOR_TIMEOUT_MS, VendorTransportError, vendorFetch, vendorJson, type FetchFunction } from '../http.js';
import { FACE_PLATFORM, facePlatformError } from './errors.js';

export interface FacePlatformConfig {
  /** Service root, e.g. `http://10.0.0.5:9012`; paths such as `/aicp/face/add` are appended. */
  url: string;
  /**
   * Root of the second service of the document (sections 8 and 10: `/method/call…`, `/user/…`;
   * port 9013 there, 9012 for the rest). Defaults to `url`, as when one gateway fronts both.
   */
  commonUrl?: string;
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
  // Section 6 (grants).
  grantAuthorize: '/authorize/grantAuthorize',
  updateAuthorize: '/authorize/updateAuthorize',
  deleteAuthorizedUser: '/authorize/deleteAuthorizedUser',
  // Section 9 (华铭考拉 user groups and users).
  groupAdd: '/face-api/v3/group/add',
  groupDelete: '/face-api/v3/group/delete',
  groupList: '/face-api/v3/group/list',
  statApp: '/face-api/facehub/statapp',
  statGroup: '/face-api/facehub/statgroup',
  userCopy: '/face-api/v3/user/copy',
  userGet: '/face-api/v3/user/get',
  userList: '/face-api/v3/user/list',
} as const;

/** Routes of the second service root (`commonUrl`): sections 8 and 10. */
export const FACE_PLATFORM_COMMON_PATHS = {
  statsTotal: '/method/call',
  statsByDay: '/method/call/getMethodCountByDay',
  statsByWeek: '/method/call/getMethodCountByWeek',
  statsByMonth: '/method/call/getMethodCountByMonth',
  statsChartByDay: '/method/call/getChartByDay',
  statsChartByMonth: '/method/call/getChartByMonth',
  statsDuration: '/method/call/all',
  register: '/user/register',
  faceLogin: '/user/facelogin.json',
} as const;

const COMMON_PATHS: ReadonlySet<string> = new Set(Object.values(FACE_PLATFORM_COMMON_PATHS));

/** Largest enrolled photo the endpoint relays to the browser. */
const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

export class FacePlatformClient {
  readonly name = FACE_PLATFORM;
  private readonly base: string;
  private readonly commonBase: string;
  private readonly timeoutMs: number;

  constructor(private readonly config: FacePlatformConfig) {
    this.base = new URL(config.url).href.replace(/\/+$/, '');
    this.commonBase = config.commonUrl ? new URL(config.commonUrl).href.replace(/\/+$/, '') : this.base;
    this.timeoutMs = config.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS;
  }

  private async post(path: string, body: Record<string, unknown>) {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' };
    // Sections 9 and 10 list no token header; it goes to the platform's own hosts only, so it is sent everywhere.
    if (this.config.token) headers.token = this.config.token;
    const base = COMMON_PATHS.has(path) ? this.commonBase : this.base;
    try {
      return await vendorJson(base + path, { method: 'POST', headers, body: JSON.stringify(body), timeoutMs: this.timeoutMs, fetch: this.config.fetch });
    } catch (error) {
      throw this.transportError(error);
    }
  }

  /** Calls one route and returns its `data` (which may be null) when `flag` is true. */
  async call(path: string, body: Record<string, unknown>): Promise<unknown> {
    const answer = await this.post(path, body);
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

  /**
   * Calls a section-9 route. Most answer `{ error_code, error_msg, log_id, timestamp, cached,
   * result }` and give back `result`; the two statistics routes (`bare`) answer a bare map keyed
   * by app or group id, which is returned whole. The document's failure example is `{}`.
   */
  async callKoala(path: string, body: Record<string, unknown>, options: { bare?: boolean } = {}): Promise<unknown> {
    const answer = await this.post(path, body);
    const json = isRecord(answer.json) ? answer.json : undefined;
    const errorMessage = typeof json?.error_msg === 'string' ? json.error_msg : typeof json?.message === 'string' ? json.message : undefined;
    const errorCode = json?.error_code === undefined || json.error_code === null ? undefined : String(json.error_code);
    if (answer.status < 200 || answer.status >= 300) {
      throw facePlatformError({ kind: 'http', status: answer.status, message: errorMessage, resultCode: errorCode, body: answer.text, retryAfterMs: answer.retryAfterMs });
    }
    if (!json) throw facePlatformError({ kind: 'malformed', status: answer.status, body: answer.text });
    if (errorCode !== undefined && errorCode !== '0') {
      throw facePlatformError({ kind: 'business', message: errorMessage ?? '', resultCode: errorCode });
    }
    if (options.bare) return json;
    // `{}` is the document's failure example: no error code and no result.
    if (errorCode === undefined) throw facePlatformError({ kind: 'malformed', status: answer.status, body: answer.text });
    return json.result ?? null;
  }

  /** True when `url` is on the platform's own origins, so that it may receive the token. */
  ownsUrl(url: string): boolean {
    try {
      const origin = new URL(url).origin;
      return origin === new URL(this.base).origin || origin === new URL(this.commonBase).origin;
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
