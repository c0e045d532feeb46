/**
 * Short-lived HMAC-SHA256 tickets that the site's backend mints and the elements present as
 * `Authorization: Bearer <ticket>`. Web Crypto only, so the same code runs on Node 20 and on
 * serverless runtimes.
 *
 * Format: `fk1.<base64url(JSON claims)>.<base64url(HMAC-SHA256("fk1." + payload))>`.
 */
import type { KitCode } from '../../core/src/shared/index.js';
import { base64UrlToBytes, bytesToBase64Url, fromUtf8, randomHex, utf8 } from './encoding.js';
import { MemoryStateStore, type StateStore } from './state.js';

const PREFIX = 'fk1';
/** Longest lifetime a ticket may ask for: tickets are meant to be minted per page or per call. */
export const MAX_TICKET_TTL_SECONDS = 24 * 60 * 60;
const MIN_SECRET_LENGTH = 16;

/** Ops that cost money at the vendor: their ticket nonce is accepted once only. */
export const BILLABLE_OPS: ReadonlySet<string> = new Set(['face.enroll', 'face.register', 'liveness.verify', 'idPhoto.make', 'skin.analyze']);
/** Op families that manage vendor-side data and need a ticket with the `admin` scope. */
export const ADMIN_OP_PREFIXES: readonly string[] = ['library.', 'group.', 'user.', 'stats.', 'grant.'];
export const ADMIN_SCOPE = 'admin';

export interface TicketClaims {
  /** Scopes: op names (`face.search`), prefixes (`face.*`), `*` for every non-admin op, `admin`. */
  scp: string[];
  /** Origin the ticket is bound to, e.g. `https://shop.example`. */
  org?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Issue time, seconds since the epoch. */
  iat: number;
  /** Nonce: billable ops accept it once. */
  jti: string;
  /** Free text the site may use to tie a ticket to its own user. */
  sub?: string;
}

export interface MintTicketOptions {
  secret: string;
  scopes: string[];
  origin?: string;
  ttlSeconds: number;
  nonce?: string;
  subject?: string;
  /** Milliseconds since the epoch; defaults to the clock. */
  now?: number;
}

export type TicketFailureCode = Extract<
  KitCode,
  'TICKET_MISSING' | 'TICKET_INVALID' | 'TICKET_EXPIRED' | 'TICKET_SCOPE' | 'ORIGIN_DENIED' | 'TICKET_REPLAYED'
>;

export type TicketVerdict = { ok: true; claims: TicketClaims } | { ok: false; code: TicketFailureCode };

export interface VerifyTicketOptions {
  secret: string;
  /** The op being called. */
  op: string;
  /** The request's `Origin` header (null or undefined when absent). */
  origin?: string | null;
  /** Milliseconds since the epoch; defaults to the clock. */
  now?: number;
  /** Where nonces of billable ops are recorded; defaults to one in-memory store per process. */
  store?: StateStore;
  /** Defaults to membership of BILLABLE_OPS. */
  billable?: boolean;
  /** Defaults to the op starting with one of ADMIN_OP_PREFIXES. */
  admin?: boolean;
  /**
   * For billable ops: true (default) records the nonce now; false only checks that it is unused,
   * so the caller can validate the request first and call consumeTicketNonce() afterwards.
   */
  consume?: boolean;
}

const processStore = new MemoryStateStore();
const hmacKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    // A handful of secrets at most (rotation); the cap only guards against misuse.
    if (hmacKeys.size > 16) hmacKeys.clear();
    hmacKeys.set(secret, key);
  }
  return key;
}

export function normaliseOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

export function isAdminOp(op: string): boolean {
  return ADMIN_OP_PREFIXES.some((prefix) => op.startsWith(prefix));
}

/** Whether `scopes` allow `op`. Admin ops need the `admin` scope; wildcards never grant them. */
export function scopeAllows(scopes: readonly string[], op: string, admin = isAdminOp(op)): boolean {
  if (admin) return scopes.includes(ADMIN_SCOPE);
  return scopes.some((scope) => scope === op || scope === '*' || (scope.endsWith('.*') && op.startsWith(scope.slice(0, -1))));
}

function assertSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`the ticket secret must be a string of at least ${MIN_SECRET_LENGTH} characters`);
  }
}

export async function mintTicket(options: MintTicketOptions): Promise<string> {
  assertSecret(options.secret);
  const scopes = options.scopes.map((scope) => scope.trim()).filter(Boolean);
  if (scopes.length === 0) throw new TypeError('a ticket needs at least one scope');
  if (!Number.isFinite(options.ttlSeconds) || options.ttlSeconds <= 0 || options.ttlSeconds > MAX_TICKET_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be between 1 and ${MAX_TICKET_TTL_SECONDS}`);
  }
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: TicketClaims = {
    scp: scopes,
    exp: nowSeconds + Math.ceil(options.ttlSeconds),
    iat: nowSeconds,
    jti: options.nonce ?? randomHex(16),
  };
  if (options.origin) claims.org = normaliseOrigin(options.origin);
  if (options.subject) claims.sub = options.subject;
  const signedPart = `${PREFIX}.${bytesToBase64Url(utf8(JSON.stringify(claims)))}`;
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(options.secret), utf8(signedPart)));
  return `${signedPart}.${bytesToBase64Url(signature)}`;
}

/** Checks signature and claims only; returns null when the ticket is malformed or forged. */
export async function readTicket(ticket: string, secret: string): Promise<TicketClaims | null> {
  assertSecret(secret);
  const parts = ticket.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX || ticket.length > 4096) return null;
  let signature: Uint8Array<ArrayBuffer>;
  let payload: unknown;
  try {
    signature = base64UrlToBytes(parts[2]);
    // Verify before parsing so that forged payloads are never interpreted.
    const valid = await crypto.subtle.verify('HMAC', await hmacKey(secret), signature, utf8(`${parts[0]}.${parts[1]}`));
    if (!valid) return null;
    payload = JSON.parse(fromUtf8(base64UrlToBytes(parts[1])));
  } catch {
    return null;
  }
  return isClaims(payload) ? payload : null;
}

function isClaims(value: unknown): value is TicketClaims {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Record<string, unknown>;
  return (
    Array.isArray(claims.scp) &&
    claims.scp.every((scope) => typeof scope === 'string') &&
    typeof claims.exp === 'number' &&
    typeof claims.iat === 'number' &&
    typeof claims.jti === 'string' &&
    claims.jti.length > 0 &&
    (claims.org === undefined || typeof claims.org === 'string') &&
    (claims.sub === undefined || typeof claims.sub === 'string')
  );
}

function nonceKey(claims: TicketClaims): string {
  return `ticket-nonce:${claims.jti}`;
}

/** Records the nonce of a ticket; false when it had been used already. */
export async function consumeTicketNonce(claims: TicketClaims, store: StateStore = processStore, now = Date.now()): Promise<boolean> {
  // Keep the mark a minute past expiry; after that the ticket is refused as expired anyway.
  const ttlMs = Math.max(1000, claims.exp * 1000 - now + 60_000);
  return store.setIfAbsent(nonceKey(claims), ttlMs);
}

/**
 * Verifies a ticket for one call. Checks run in this order, each with its own code:
 * missing, invalid (malformed or forged), expired, scope, origin, replayed.
 */
export async function verifyTicket(ticket: string | null | undefined, options: VerifyTicketOptions): Promise<TicketVerdict> {
  if (!ticket) return { ok: false, code: 'TICKET_MISSING' };
  const claims = await readTicket(ticket, options.secret);
  if (!claims) return { ok: false, code: 'TICKET_INVALID' };
  const now = options.now ?? Date.now();
  if (now >= claims.exp * 1000) return { ok: false, code: 'TICKET_EXPIRED' };
  if (!scopeAllows(claims.scp, options.op, options.admin ?? isAdminOp(options.op))) return { ok: false, code: 'TICKET_SCOPE' };
  if (claims.org !== undefined && (!options.origin || normaliseOrigin(options.origin) !== claims.org)) {
    return { ok: false, code: 'ORIGIN_DENIED' };
  }
  if (options.billable ?? BILLABLE_OPS.has(options.op)) {
    const store = options.store ?? processStore;
    if (options.consume === false) {
      if ((await store.get(nonceKey(claims))) !== null) return { ok: false, code: 'TICKET_REPLAYED' };
    } else if (!(await consumeTicketNonce(claims, store, now))) {
      return { ok: false, code: 'TICKET_REPLAYED' };
    }
  }
  return { ok: true, claims };
}

/** Reads the ticket from an `Authorization: Bearer <ticket>` header value. */
export function ticketFromAuthorization(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : null;
}
