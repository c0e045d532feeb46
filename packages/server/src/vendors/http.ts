/**
 * Vendor HTTP calls on web-standard fetch, with a bounded time and classified transport failures.
 * Retries are not made here but around whole ops that declare `safeToRetry` (hardening/retry.ts),
 * so that every adapter gets them; adapters pass a vendor's Retry-After on (`retryAfterMs`).
 */
import { readWithin } from '../bounded-read.js';
import { parseRetryAfter } from '../hardening/retry.js';

export type FetchFunction = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** Bound of one vendor call, answer included; with retries an op stays within the browser's 30 s. */
export const DEFAULT_VENDOR_TIMEOUT_MS = 10_000;
/** Vendor JSON answers are small; anything larger is a misbehaving upstream. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export type TransportFailureKind = 'timeout' | 'network';

/** The vendor could not be reached or did not answer in time. */
export class VendorTransportError extends Error {
  constructor(
    readonly kind: TransportFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VendorTransportError';
  }
}

export interface VendorResponse {
  status: number;
  contentType: string;
  text: string;
  /** Parsed body; undefined when the body is not JSON. */
  json: unknown;
  /** The answer's Retry-After in ms (429, 503), for EndpointError's `retryAfterMs`. */
  retryAfterMs?: number;
}

export interface VendorRequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  fetch?: FetchFunction;
  /** Largest body accepted; defaults to 4 MB. */
  maxBytes?: number;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** Sends the request and reads the whole body within one deadline. */
export async function vendorFetch(url: string, options: VendorRequestOptions = {}): Promise<{ response: Response; body: Uint8Array }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const fetchImpl = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await fetchImpl(url, { method: options.method ?? 'GET', headers: options.headers, body: options.body, signal, redirect: 'manual' });
  } catch (error) {
    if (isTimeout(error)) throw new VendorTransportError('timeout', `no answer within ${timeoutMs} ms`, { cause: error });
    throw new VendorTransportError('network', describeNetworkError(error), { cause: error });
  }
  try {
    const body = await readLimited(response, options.maxBytes ?? MAX_RESPONSE_BYTES);
    return { response, body };
  } catch (error) {
    if (isTimeout(error)) throw new VendorTransportError('timeout', `answer not complete within ${timeoutMs} ms`, { cause: error });
    throw new VendorTransportError('network', describeNetworkError(error), { cause: error });
  }
}

export async function vendorJson(url: string, options: VendorRequestOptions = {}): Promise<VendorResponse> {
  const { response, body } = await vendorFetch(url, options);
  const text = new TextDecoder().decode(body);
  let json: unknown;
  try {
    json = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text,
    json,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  };
}

async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  const tooLarge = () => new VendorTransportError('network', `answer larger than ${limit} bytes`);
  if (Number(response.headers.get('content-length')) > limit) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  return readWithin(response.body, limit, tooLarge);
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return 'network error';
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${error.message} (${cause.code})` : error.message;
}

/** Short excerpt of a vendor body for the envelope's `vendor.message`. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
