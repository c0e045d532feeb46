// Small request helpers shared by the two gateway signers and verifiers.

/** A request as the signers and verifiers see it; `url` may be absolute or start at the path. */
export interface SignableRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

export interface UrlParts {
  /** host[:port] of an absolute URL, '' for a path-only URL. */
  host: string;
  /** The raw, still percent-encoded path; '/' when empty. */
  path: string;
  /** The raw query string without '?', '' when absent. */
  query: string;
}

/**
 * Splits a URL by hand instead of with `new URL()`, which would normalise the path (dot segments,
 * percent-encoding) and so sign a different path from the one sent.
 */
export function splitUrl(url: string): UrlParts {
  let rest = url.split('#', 1)[0]!;
  let host = '';
  const schemeEnd = rest.indexOf('://');
  if (schemeEnd > 0 && /^[a-zA-Z][a-zA-Z0-9+.-]*$/.test(rest.slice(0, schemeEnd))) {
    rest = rest.slice(schemeEnd + 3);
    const authorityEnd = rest.search(/[/?]/);
    const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
    host = authority.slice(authority.lastIndexOf('@') + 1);
    rest = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  }
  const queryStart = rest.indexOf('?');
  const path = queryStart === -1 ? rest : rest.slice(0, queryStart);
  return { host, path: path === '' ? '/' : path, query: queryStart === -1 ? '' : rest.slice(queryStart + 1) };
}

/** Header names lower-cased; HTTP header names are case-insensitive and both gateways sign them so. */
export function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = value;
  return lowered;
}

/** Percent-decoding that leaves a malformed sequence as it is, as Node's querystring does. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ is escaped, as the APIG signers do. */
export function rfc3986Encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => '%' + char.charCodeAt(0).toString(16).toUpperCase());
}

/** `key=value` pairs of a query or form string, in order, percent-decoded (and '+' as a space if asked). */
export function parsePairs(text: string, plusIsSpace: boolean): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const rawKey = equals === -1 ? part : part.slice(0, equals);
    const rawValue = equals === -1 ? '' : part.slice(equals + 1);
    const decode = (raw: string) => safeDecode(plusIsSpace ? raw.replace(/\+/g, ' ') : raw);
    pairs.push([decode(rawKey), decode(rawValue)]);
  }
  return pairs;
}

/** Random identifiers come from Web Crypto, present on Node 20 and on web-standard runtimes. */
export function randomHex(byteCount: number): string {
  const bytes = new Uint8Array(byteCount);
  globalThis.crypto.getRandomValues(bytes);
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Remembers used nonces for a limited time. The verifiers call `use(key, ttlMs)`, which answers
 * true the first time a key is seen and false while it is remembered. A shared store (Redis SET NX PX)
 * can stand behind the same signature.
 */
export type NonceStore = (key: string, ttlMs: number) => boolean;

/** An in-memory NonceStore with expiry, for one process (the mock gateways, tests). */
export function createMemoryNonceStore(clock: () => number = Date.now): NonceStore {
  const expiries = new Map<string, number>();
  return (key, ttlMs) => {
    const now = clock();
    for (const [storedKey, expiresAt] of expiries) {
      if (expiresAt <= now) expiries.delete(storedKey);
    }
    if (expiries.has(key)) return false;
    expiries.set(key, now + ttlMs);
    return true;
  };
}
