/**
 * Retries of vendor calls that are safe to repeat (reads: an op declares `safeToRetry`; billable
 * ops never can). A call is tried again only when it failed in a way that may pass on its own:
 * the vendor was unreachable (VENDOR_UNAVAILABLE), did not answer in time (VENDOR_TIMEOUT) or
 * asked us to slow down (RATE_LIMITED). Waits grow exponentially with jitter, a vendor's
 * Retry-After is honoured when it fits the bound (and ends the retries when it does not), and no
 * new try starts once the time budget is spent, so the browser (30 s) still gets an answer.
 */
import type { KitCode } from '../../../core/src/shared/index.js';
import { EndpointError } from '../endpoint-error.js';

export interface RetryPolicy {
  /** Tries after the first; 0 turns retries off. */
  retries: number;
  /** First wait; each next one doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A vendor's Retry-After longer than this is not waited for: the error goes to the caller. */
  maxRetryAfterMs: number;
  /** No try starts later than this after the first one began. */
  budgetMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  retries: 2,
  baseDelayMs: 200,
  maxDelayMs: 2000,
  maxRetryAfterMs: 5000,
  budgetMs: 15_000,
};

/** Kit codes of failures that may pass if the same call is made again. */
export const RETRY_ON_CODES: ReadonlySet<KitCode> = new Set<KitCode>(['VENDOR_UNAVAILABLE', 'VENDOR_TIMEOUT', 'RATE_LIMITED']);

export interface RetryHooks {
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Told before each new try, with the try number (1 = first retry) and the wait. */
  onRetry?: (retry: number, delayMs: number, error: EndpointError) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether an error may go away on its own. An error built with `retryable: false` (e.g. "not configured") never does. */
export function isTransientVendorError(error: unknown): error is EndpointError {
  return error instanceof EndpointError && error.retryable && RETRY_ON_CODES.has(error.code);
}

/** Equal jitter: half the exponential step fixed, half random, so waits still grow. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export async function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy, hooks: RetryHooks = {}): Promise<T> {
  const now = hooks.now ?? Date.now;
  const sleep = hooks.sleep ?? defaultSleep;
  const started = now();
  for (let retry = 1; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (retry > policy.retries || !isTransientVendorError(error)) throw error;
      let delay = backoffDelay(retry, policy, hooks.random);
      if (error.retryAfterMs !== undefined) {
        if (error.retryAfterMs > policy.maxRetryAfterMs) throw error;
        delay = Math.max(delay, error.retryAfterMs);
      }
      if (now() - started + delay > policy.budgetMs) throw error;
      hooks.onRetry?.(retry, delay, error);
      await sleep(delay);
    }
  }
}

/** Milliseconds from a Retry-After header (delta seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
