/**
 * Fixed-window rate limits in the StateStore (one INCR per request and scope), so that every
 * instance sharing a Redis store counts together. Two scopes: the ticket subject (`sub`, else the
 * ticket's nonce, i.e. per ticket) and the client address. A window is one minute; a client may
 * burst up to twice the limit across a window boundary, which is acceptable for abuse control
 * and costs one round trip instead of a sliding log.
 */
import { EndpointError } from '../endpoint-error.js';
import type { StateStore } from '../state.js';
import type { TicketClaims } from '../tickets.js';

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 120;
export const DEFAULT_RATE_LIMIT_IP_PER_MINUTE = 600;
const WINDOW_MS = 60_000;
/** Keys stay bounded whatever a subject claim holds. */
const MAX_ID_LENGTH = 200;

export type RateScope = 'subject' | 'ip';

export interface RateLimitOptions {
  /** Calls per minute per ticket subject; 0 turns the limit off. */
  perSubjectPerMinute?: number;
  /** Calls per minute per client address; 0 turns the limit off. */
  perIpPerMinute?: number;
  now?: () => number;
  /** Told when the store fails; the limit then lets the call through (fail open). */
  onStoreError?: (error: unknown) => void;
}

export class RateLimiter {
  private readonly limits: Record<RateScope, number>;
  private readonly now: () => number;

  constructor(
    private readonly store: StateStore,
    private readonly options: RateLimitOptions = {},
  ) {
    this.limits = {
      subject: options.perSubjectPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
      ip: options.perIpPerMinute ?? DEFAULT_RATE_LIMIT_IP_PER_MINUTE,
    };
    this.now = options.now ?? Date.now;
  }

  /** Counts a call of the ticket's subject; throws RATE_LIMITED over the limit. */
  checkSubject(claims: TicketClaims): Promise<void> {
    return this.check('subject', claims.sub !== undefined ? `s:${claims.sub}` : `t:${claims.jti}`);
  }

  /** Counts a call from `address`; an unknown address is not limited (it would throttle everyone at once). */
  async checkAddress(address: string | undefined): Promise<void> {
    if (address) await this.check('ip', address);
  }

  private async check(scope: RateScope, id: string): Promise<void> {
    const limit = this.limits[scope];
    if (!(limit > 0)) return;
    const now = this.now();
    const window = Math.floor(now / WINDOW_MS);
    const windowEnd = (window + 1) * WINDOW_MS;
    let count: number;
    try {
      // The key outlives its window by a second so that late increments never restart it.
      count = await this.store.incr(`rate:${scope}:${id.slice(0, MAX_ID_LENGTH)}:${window}`, windowEnd - now + 1000);
    } catch (error) {
      // A limit is a guard, not a gate: a store outage must not take the endpoint down.
      this.options.onStoreError?.(error);
      return;
    }
    if (count > limit) {
      const retryAfterMs = windowEnd - now;
      throw new EndpointError('RATE_LIMITED', {
        message: `more than ${limit} calls a minute for this ${scope === 'ip' ? 'address' : 'ticket subject'}`,
        data: { scope, limit, windowSeconds: WINDOW_MS / 1000, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) },
        retryAfterMs,
      });
    }
  }
}

/**
 * The client address of a request. Behind a trusted proxy, the last X-Forwarded-For entry (the
 * one the proxy added; earlier ones are whatever the client sent). Otherwise what the runtime
 * says (`clientAddress`), e.g. the socket's remote address on Node.
 */
export function clientAddressOf(
  request: Request,
  env: unknown,
  options: { trustProxy?: boolean; clientAddress?: (request: Request, env: unknown) => string | undefined },
): string | undefined {
  if (options.trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for');
    const last = forwarded?.split(',').map((part) => part.trim()).filter(Boolean).at(-1);
    if (last) return last;
  }
  return options.clientAddress?.(request, env) ?? undefined;
}
