/**
 * Client of the skin-analysis service (vendor document `skin-analysis-api.md`).
 *
 * The document gives the result's shape and the error codes, not the routes or the token
 * exchange; its 1000xx codes (clientId无效, grant_type无效, scope无效) are those of an OAuth2
 * authorisation server. So this client speaks OAuth2 client credentials (RFC 6749 §4.4):
 * `POST <url>/oauth/token` with `grant_type=client_credentials`, `client_id`, `client_secret`
 * as a form, then `Authorization: Bearer <access_token>` on the API calls. The token is cached
 * until shortly before `expires_in` runs out and fetched once for concurrent callers; a
 * "token失效" (200001) or "未授权" (100001) answer drops it and the call is made once more.
 *
 * Routes (configurable through `paths`): `POST /api/skin/analyze` with JSON `{ image, extra? }`
 * answers `datas: { calcId, … }`; `GET /api/skin/result?calcId=` answers the documented
 * `datas: { backurl, calcId, clientId, extra, response }` or code 200026 while it runs. Result
 * pictures are paths relative to `imageBaseUrl` (`<calcId>/BlackHead.png`).
 */
import { EndpointError } from '../../endpoint-error.js';
import { imageTypeOf, isRecord } from '../face-platform/client.js';
import { DEFAULT_VENDOR_TIMEOUT_MS, VendorTransportError, vendorFetch, vendorJson, type FetchFunction, type VendorResponse } from '../http.js';
import { SKIN, SKIN_IN_PROGRESS, SKIN_TOKEN_EXPIRED, SKIN_UNAUTHORISED, skinError } from './errors.js';

export interface SkinConfig {
  /** Service root, e.g. `https://skin.example`; the paths are appended. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Base of the relative picture paths of a result; default `<url>/images/`. */
  imageBaseUrl?: string;
  paths?: Partial<typeof SKIN_PATHS>;
  /** Bound on each vendor call, including reading the answer (default 15 s). */
  timeoutMs?: number;
  fetch?: FetchFunction;
}

export const SKIN_PATHS = {
  token: '/oauth/token',
  analyze: '/api/skin/analyze',
  result: '/api/skin/result',
} as const;

/** What a result query gives: still running, or the documented `datas`. */
export type SkinResultAnswer = { state: 'running'; message?: string } | { state: 'done'; datas: Record<string, unknown> };

/** Refresh this long before the token's stated expiry, so that no call carries a dying token. */
const TOKEN_MARGIN_MS = 60_000;
/** When `expires_in` is missing, the token is used for this long. */
const DEFAULT_TOKEN_TTL_MS = 30 * 60_000;
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export class SkinClient {
  readonly name = SKIN;
  private readonly base: string;
  private readonly imageBase: string;
  private readonly paths: typeof SKIN_PATHS;
  private readonly timeoutMs: number;
  private token: { value: string; expiresAt: number } | null = null;
  private tokenRequest: Promise<string> | null = null;

  constructor(
    private readonly config: SkinConfig,
    private readonly now: () => number = Date.now,
  ) {
    if (!config.clientId || !config.clientSecret) throw new TypeError('the skin API needs a client id and a client secret');
    this.base = new URL(config.url).href.replace(/\/+$/, '');
    this.imageBase = new URL(config.imageBaseUrl ?? `${this.base}/images/`).href;
    this.paths = { ...SKIN_PATHS, ...config.paths };
    this.timeoutMs = config.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS;
  }

  /** Uploads a photo for analysis; returns the answer's `datas` (with `calcId`, maybe the whole result). */
  async analyze(image: string, extra?: string): Promise<Record<string, unknown>> {
    const body: Record<string, unknown> = { image };
    if (extra !== undefined) body.extra = extra;
    const datas = await this.authorised((token) => this.post(this.base + this.paths.analyze, body, token));
    if (!isRecord(datas)) throw skinError({ kind: 'malformed', status: 200, body: 'datas is missing from the analyze answer' });
    return datas;
  }

  async result(calcId: string): Promise<SkinResultAnswer> {
    const url = `${this.base}${this.paths.result}?calcId=${encodeURIComponent(calcId)}`;
    try {
      const datas = await this.authorised((token) => this.get(url, token));
      if (!isRecord(datas)) throw skinError({ kind: 'malformed', status: 200, body: 'datas is missing from the result answer' });
      return { state: 'done', datas };
    } catch (error) {
      if (error instanceof EndpointError && error.vendor?.code === SKIN_IN_PROGRESS) return { state: 'running', message: error.vendor.message };
      throw error;
    }
  }

  /** The absolute URL of a result picture (a relative path is read against `imageBaseUrl`). */
  resolveImageUrl(path: string): string | undefined {
    try {
      const resolved = new URL(path, this.imageBase);
      return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.href : undefined;
    } catch {
      return undefined;
    }
  }

  /** Downloads a result picture for the endpoint's media route; the token goes to the service's own hosts only. */
  async fetchImage(url: string): Promise<{ bytes: Uint8Array; contentType: string }> {
    if (!this.ownsUrl(url)) return this.download(url, undefined);
    return this.authorised((token) => this.download(url, token));
  }

  private async download(url: string, token: string | undefined): Promise<{ bytes: Uint8Array; contentType: string }> {
    const headers: Record<string, string> = { accept: 'image/*' };
    if (token) headers.authorization = `Bearer ${token}`;
    let result;
    try {
      result = await vendorFetch(url, { headers, timeoutMs: this.timeoutMs, fetch: this.config.fetch, maxBytes: MAX_IMAGE_BYTES });
    } catch (error) {
      throw transportError(error);
    }
    const { response, body } = result;
    if (!response.ok) {
      const text = new TextDecoder().decode(body.subarray(0, 2048));
      let code: string | undefined;
      try {
        const parsed: unknown = JSON.parse(text);
        if (isRecord(parsed) && parsed.code !== undefined) code = String(parsed.code);
      } catch {
        // Not JSON: the status decides.
      }
      throw skinError({ kind: 'http', status: response.status, code, body: text });
    }
    const contentType = imageTypeOf(body);
    if (!contentType) throw skinError({ kind: 'malformed', status: response.status, body: 'the result picture is not a JPEG or PNG' });
    return { bytes: body, contentType };
  }

  /** Forgets the cached token (tests, credential rotation). */
  dropToken(): void {
    this.token = null;
  }

  private ownsUrl(url: string): boolean {
    try {
      const origin = new URL(url).origin;
      return origin === new URL(this.base).origin || origin === new URL(this.imageBase).origin;
    } catch {
      return false;
    }
  }

  /** Runs a call with the cached token; on an expired or unknown token, once more with a new one. */
  private async authorised<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    try {
      return await call(token);
    } catch (error) {
      const code = error instanceof EndpointError ? error.vendor?.code : undefined;
      if (code !== SKIN_TOKEN_EXPIRED && code !== SKIN_UNAUTHORISED) throw error;
      if (this.token?.value === token) this.token = null;
      return call(await this.accessToken());
    }
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return this.token.value;
    // One request for every caller waiting on an expired token.
    this.tokenRequest ??= this.requestToken().finally(() => {
      this.tokenRequest = null;
    });
    return this.tokenRequest;
  }

  private async requestToken(): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.config.clientId, client_secret: this.config.clientSecret }).toString();
    const answer = await this.send(this.base + this.paths.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
    const json = isRecord(answer.json) ? answer.json : undefined;
    // The standard OAuth2 answer at the top level, or the service's envelope around it.
    const grant = json && typeof json.access_token === 'string' ? json : this.unwrap(answer);
    if (!isRecord(grant) || typeof grant.access_token !== 'string' || grant.access_token === '') {
      throw skinError({ kind: 'malformed', status: answer.status, body: 'the token answer has no access_token' });
    }
    const expiresIn = Number(grant.expires_in);
    const ttl = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : DEFAULT_TOKEN_TTL_MS;
    // Short-lived tokens are kept for half their life instead of a fixed margin.
    const keep = ttl > 2 * TOKEN_MARGIN_MS ? ttl - TOKEN_MARGIN_MS : ttl / 2;
    this.token = { value: grant.access_token, expiresAt: this.now() + keep };
    return grant.access_token;
  }

  private async post(url: string, body: Record<string, unknown>, token: string): Promise<unknown> {
    const answer = await this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return this.unwrap(answer);
  }

  private async get(url: string, token: string): Promise<unknown> {
    const answer = await this.send(url, { method: 'GET', headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
    return this.unwrap(answer);
  }

  private async send(url: string, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Promise<VendorResponse> {
    try {
      return await vendorJson(url, { ...init, timeoutMs: this.timeoutMs, fetch: this.config.fetch });
    } catch (error) {
      throw transportError(error);
    }
  }

  /** `datas` of a success answer; every other answer becomes an EndpointError. */
  private unwrap(answer: VendorResponse): unknown {
    const json = isRecord(answer.json) ? answer.json : undefined;
    const code = json?.code === undefined || json.code === null ? undefined : String(json.code);
    const message = typeof json?.message === 'string' ? json.message : typeof json?.error_description === 'string' ? json.error_description : undefined;
    if (answer.status < 200 || answer.status >= 300) {
      // A standard OAuth2 error (`{ error: "invalid_client" }`) says the credentials were refused.
      if (typeof json?.error === 'string' && code === undefined) {
        throw skinError({ kind: 'http', status: answer.status === 400 ? 401 : answer.status, message: `${json.error}${message ? `: ${message}` : ''}`, body: answer.text });
      }
      throw skinError({ kind: 'http', status: answer.status, code, message, body: answer.text });
    }
    if (!json || code === undefined) throw skinError({ kind: 'malformed', status: answer.status, body: answer.text });
    if (code !== '200') throw skinError({ kind: 'business', code, message });
    return json.datas;
  }
}

function transportError(error: unknown): EndpointError {
  if (error instanceof VendorTransportError) return skinError({ kind: error.kind, detail: error.message });
  return skinError({ kind: 'network', detail: error instanceof Error ? error.message : String(error) });
}
