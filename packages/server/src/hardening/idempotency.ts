/**
 * Idempotency keys of billable ops. The browser client sends `Idempotency-Key` and reuses it when
 * it sends the same capture again (its upload queue after a lost answer). The first answer of a
 * key is stored for 24 h; a retry with the same key, the same ticket subject and the same body
 * gets that answer again (header `Idempotent-Replay: true`) and the vendor is not called again.
 *
 * - One key, one vendor execution: every answer given after the op started is stored, errors
 *   included, except the refusals that mean the vendor did no work (unavailable, rate limited,
 *   out of quota, credentials refused): a retry with the same key then runs again, so "Try again"
 *   after an outage is not answered with the outage for 24 h. A timeout is stored, because the
 *   vendor may have done the work. A failure before the op started stores nothing.
 * - The principal is the ticket's `sub`, so a retry may carry a fresh ticket of the same subject;
 *   a ticket without `sub` can only replay with itself (its nonce).
 * - A replay is accepted although its ticket nonce was spent by the first call: the nonce
 *   prevents a second execution, and a replay executes nothing. Its ticket must still be
 *   genuine, unexpired, in scope and of the right origin.
 * - The same key with another body is refused (BAD_REQUEST): it is a client bug, not a retry.
 * - A duplicate that arrives while the first is still running waits for its answer (polling the
 *   store, so it works across instances) for up to `waitMs`, then gets 409 DUPLICATE_REQUEST.
 */
import type { KitCode } from '../../../core/src/shared/index.js';
import { bytesToBase64Url, utf8 } from '../encoding.js';
import { EndpointError, type VendorInfo } from '../endpoint-error.js';
import type { StateStore } from '../state.js';
import type { TicketClaims } from '../tickets.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAY_HEADER = 'Idempotent-Replay';
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;
/** Vendor refusals that did no work: not stored, so a retry with the same key runs again. */
const NOT_EXECUTED: ReadonlySet<KitCode> = new Set<KitCode>(['VENDOR_UNAVAILABLE', 'RATE_LIMITED', 'VENDOR_QUOTA', 'VENDOR_AUTH']);

/** The in-flight marker of the store; a stored answer is JSON and never equals it. */
const IN_FLIGHT = '1';

export interface IdempotencyOptions {
  /** How long an answer is kept; 24 h. */
  ttlMs?: number;
  /** How long a duplicate waits for the first call to finish; 20 s (the browser gives up at 30 s). */
  waitMs?: number;
  /** How long a call may hold its key before another may take it over (a crashed instance); 2 min. */
  inFlightMs?: number;
  /** Pause between two looks at the store while waiting. */
  pollMs?: number;
}

/** What is kept of an answer: enough to render the same envelope in the caller's language. */
export interface StoredAnswer {
  fingerprint: string;
  code: KitCode;
  requestId: string;
  data?: unknown;
  vendor?: VendorInfo;
  retryAfterMs?: number;
}

export type Outcome = Omit<StoredAnswer, 'fingerprint'>;

export interface IdempotencyClaim {
  /** Stores the answer of the call (best effort: the answer itself is sent either way). */
  settle(outcome: Outcome): Promise<void>;
  /** Gives the key back: the call did not start. */
  abandon(): Promise<void>;
}

export type BeginResult = { kind: 'claimed'; claim: IdempotencyClaim } | { kind: 'replay'; answer: StoredAnswer };

/** The header's value, or undefined when absent; BAD_REQUEST when malformed. */
export function readIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const key = value.trim();
  if (!KEY_PATTERN.test(key)) {
    throw new EndpointError('BAD_REQUEST', {
      message: `${IDEMPOTENCY_HEADER}: 8 to 128 letters, digits or . _ : -`,
      data: { field: IDEMPOTENCY_HEADER, reason: 'must be 8 to 128 letters, digits or . _ : -' },
    });
  }
  return key;
}

export class IdempotencyKeeper {
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly inFlightMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly store: StateStore,
    options: IdempotencyOptions = {},
    private readonly onStoreError: (error: unknown) => void = () => {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    this.waitMs = options.waitMs ?? 20_000;
    this.inFlightMs = options.inFlightMs ?? 120_000;
    this.pollMs = options.pollMs ?? 100;
  }

  /** Claims the key for this call, or finds the answer a previous call with it got. */
  async begin(op: string, claims: TicketClaims, key: string, fingerprint: string): Promise<BeginResult> {
    const principal = claims.sub !== undefined ? `s:${claims.sub}` : `t:${claims.jti}`;
    const recordKey = `idem:${op}:${await digest(principal)}:${key}`;
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if (await this.store.setIfAbsent(recordKey, this.inFlightMs)) return { kind: 'claimed', claim: this.claim(recordKey, fingerprint) };
      const value = await this.store.get(recordKey);
      // Gone meanwhile (expired): the next setIfAbsent takes it.
      if (value === null) continue;
      const answer = value === IN_FLIGHT ? undefined : parseAnswer(value);
      if (answer) {
        if (answer.fingerprint !== fingerprint) {
          throw new EndpointError('BAD_REQUEST', {
            message: `${IDEMPOTENCY_HEADER} was used with another request`,
            data: { field: IDEMPOTENCY_HEADER, reason: 'already used with another request body' },
          });
        }
        return { kind: 'replay', answer };
      }
      // Still running, here or on another instance.
      if (Date.now() + this.pollMs > deadline) {
        throw new EndpointError('DUPLICATE_REQUEST', {
          message: `a request with this ${IDEMPOTENCY_HEADER} is still being processed`,
          data: { field: IDEMPOTENCY_HEADER },
          retryAfterMs: 1000,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  private claim(recordKey: string, fingerprint: string): IdempotencyClaim {
    const claim: IdempotencyClaim = {
      settle: async (outcome) => {
        if (NOT_EXECUTED.has(outcome.code)) return claim.abandon();
        try {
          await this.store.set(recordKey, JSON.stringify({ ...outcome, fingerprint } satisfies StoredAnswer), this.ttlMs);
        } catch (error) {
          this.onStoreError(error);
        }
      },
      abandon: async () => {
        try {
          await this.store.delete(recordKey);
        } catch (error) {
          // The marker then expires after inFlightMs.
          this.onStoreError(error);
        }
      },
    };
    return claim;
  }
}

function parseAnswer(value: string): StoredAnswer | undefined {
  try {
    const parsed = JSON.parse(value) as Partial<StoredAnswer>;
    if (typeof parsed.fingerprint === 'string' && typeof parsed.code === 'string' && typeof parsed.requestId === 'string') return parsed as StoredAnswer;
  } catch {
    // Not ours: treated as absent, and overwritten by the next claim once it expires.
  }
  return undefined;
}

/** What makes two requests "the same" for a key: the op and the exact body text. */
export function requestFingerprint(op: string, body: string): Promise<string> {
  return digest(`${op}\n${body}`);
}

/** SHA-256, base64url: bodies of megabytes become short keys, and subjects never appear in keys. */
async function digest(text: string): Promise<string> {
  return bytesToBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(text))));
}
