/**
 * Client of the ID-photo API (vendor document `id-photo-api.txt`), sold through the Huawei Cloud
 * market and reached through APIG: every call is signed with `signHuaweiApig` (AppKey/AppSecret,
 * SDK-HMAC-SHA256). The document gives the method (POST) and the parameters but leaves the address
 * to the market page, so `url` is the full request URL. Parameters go as an
 * `application/x-www-form-urlencoded` body, the market's usual form for these APIs; the signature
 * covers the body's hash. Every failure leaves this class as an EndpointError with a kit code.
 */
import { EndpointError } from '../../endpoint-error.js';
import { formatSdkDate, signHuaweiApig } from '../../signing/huawei.js';
import { imageTypeOf, isRecord } from '../face-platform/client.js';
import { DEFAULT_VENDOR_TIMEOUT_MS, VendorTransportError, vendorFetch, vendorJson, type FetchFunction } from '../http.js';
import { ID_PHOTO, idPhotoError } from './errors.js';

export interface IdPhotoConfig {
  /** Full request URL of the API, e.g. `https://<market host>/<path>` (from the market's API page). */
  url: string;
  appKey: string;
  appSecret: string;
  /** Bound on each vendor call, including reading the answer (default 15 s). */
  timeoutMs?: number;
  fetch?: FetchFunction;
}

/** The document's success answer: `{ code: 200, msg, taskNo, data: { result, size: [w, h] } }`. */
export interface IdPhotoAnswer {
  taskNo: string;
  /** Picture URL (as documented) or, from some deployments, the picture itself in base64. */
  result: string;
  size: unknown;
  raw: Record<string, unknown>;
}

/** Largest made picture the endpoint relays to the browser. */
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** A base64 picture is a few MB of text, well over the default JSON limit. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export class IdPhotoClient {
  readonly name = ID_PHOTO;
  private readonly url: string;
  private readonly timeoutMs: number;

  constructor(private readonly config: IdPhotoConfig) {
    this.url = new URL(config.url).href;
    if (!config.appKey || !config.appSecret) throw new TypeError('the ID-photo API needs an AppKey and an AppSecret');
    this.timeoutMs = config.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS;
  }

  /** Makes one ID photo; `params` are the document's parameter names with text values. */
  async make(params: Record<string, string>, now = Date.now()): Promise<IdPhotoAnswer> {
    const body = new URLSearchParams(params).toString();
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' };
    const signed = signHuaweiApig({ method: 'POST', url: this.url, headers, body }, { appKey: this.config.appKey, appSecret: this.config.appSecret }, { date: formatSdkDate(now) });
    // fetch sets Host from the URL itself, to the value that was signed.
    delete signed.host;
    let answer;
    try {
      answer = await vendorJson(this.url, { method: 'POST', headers: { ...headers, ...signed }, body, timeoutMs: this.timeoutMs, fetch: this.config.fetch, maxBytes: MAX_ANSWER_BYTES });
    } catch (error) {
      throw transportError(error);
    }
    const json = isRecord(answer.json) ? answer.json : undefined;
    const code = json?.code === undefined || json.code === null ? undefined : String(json.code);
    const message = typeof json?.msg === 'string' ? json.msg : typeof json?.error_msg === 'string' ? json.error_msg : undefined;
    if (answer.status < 200 || answer.status >= 300) {
      const apigCode = typeof json?.error_code === 'string' ? json.error_code : undefined;
      throw idPhotoError({ kind: 'http', status: answer.status, apigCode, code, message, body: answer.text });
    }
    if (!json || code === undefined) throw idPhotoError({ kind: 'malformed', status: answer.status, body: answer.text });
    if (code !== '200') throw idPhotoError({ kind: 'business', code, message });
    const data = isRecord(json.data) ? json.data : undefined;
    if (!data || typeof data.result !== 'string' || data.result === '') throw idPhotoError({ kind: 'malformed', status: answer.status, body: answer.text });
    return { taskNo: json.taskNo === undefined || json.taskNo === null ? '' : String(json.taskNo), result: data.result, size: data.size, raw: json };
  }

  /** An absolute URL for the picture the API returned (a relative one is read against the API URL). */
  resolveResultUrl(result: string): string | undefined {
    try {
      const resolved = new URL(result, this.url);
      return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.href : undefined;
    } catch {
      return undefined;
    }
  }

  /** Downloads a made picture for the endpoint's media route (object storage links need no signature). */
  async fetchImage(url: string): Promise<{ bytes: Uint8Array; contentType: string }> {
    let result;
    try {
      result = await vendorFetch(url, { headers: { accept: 'image/*' }, timeoutMs: this.timeoutMs, fetch: this.config.fetch, maxBytes: MAX_IMAGE_BYTES });
    } catch (error) {
      throw transportError(error);
    }
    const { response, body } = result;
    if (!response.ok) {
      const text = new TextDecoder().decode(body.subarray(0, 2048));
      throw idPhotoError({ kind: 'http', status: response.status, body: text });
    }
    const contentType = imageTypeOf(body);
    if (!contentType) throw idPhotoError({ kind: 'malformed', status: response.status, body: 'the made picture is not a JPEG or PNG' });
    return { bytes: body, contentType };
  }
}

function transportError(error: unknown): EndpointError {
  if (error instanceof VendorTransportError) return idPhotoError({ kind: error.kind, detail: error.message });
  return idPhotoError({ kind: 'network', detail: error instanceof Error ? error.message : String(error) });
}
