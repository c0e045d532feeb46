/**
 * Waiting for a running analysis: ask again after a growing delay, within a time limit.
 *
 * The endpoint answers IN_PROGRESS with `retryAfterMs`; the first wait follows it, each later
 * one is 1.5 times longer, capped at 8 s and never past the time limit. Pure logic with an
 * injectable clock; the element supplies the request.
 */

export interface PollLimits {
  /** Wait before the first poll when the endpoint suggests none. */
  initialMs: number;
  /** No wait is shorter than this, whatever the endpoint suggests. */
  minMs: number;
  maxMs: number;
  factor: number;
}

export const POLL_LIMITS: PollLimits = { initialMs: 2000, minMs: 250, maxMs: 8000, factor: 1.5 };

/** The wait before poll number `attempt` (0 = the first). */
export function pollDelay(attempt: number, suggestedMs?: number | null, limits: PollLimits = POLL_LIMITS): number {
  const base = typeof suggestedMs === 'number' && Number.isFinite(suggestedMs) && suggestedMs > 0 ? suggestedMs : limits.initialMs;
  return Math.round(Math.min(limits.maxMs, Math.max(limits.minMs, base) * limits.factor ** Math.max(0, attempt)));
}

/** One poll's outcome: the value, or "still running" with the endpoint's suggested wait. */
export type PollStep<T> = { done: true; value: T } | { done: false; retryAfterMs?: number | null };

export interface PollProgress {
  /** Polls made so far. */
  attempt: number;
  elapsedMs: number;
  /** The wait before the next poll. */
  nextDelayMs: number;
  timeoutMs: number;
}

export interface PollOptions {
  signal: AbortSignal;
  /** Time limit from the start of polling. */
  timeoutMs: number;
  /** The endpoint's first suggested wait (from the answer that said "in progress"). */
  retryAfterMs?: number | null;
  limits?: PollLimits;
  onWait?: (progress: PollProgress) => void;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Thrown when the time limit passes with the analysis still running. */
export class PollTimeoutError extends Error {
  constructor(
    readonly attempts: number,
    readonly elapsedMs: number,
  ) {
    super(`the analysis was still running after ${attempts} checks (${elapsedMs} ms)`);
    this.name = 'PollTimeoutError';
  }
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Calls `step` after each wait until it is done, the signal aborts, or the time limit passes. */
export async function pollUntilDone<T>(step: (attempt: number) => Promise<PollStep<T>>, options: PollOptions): Promise<T> {
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? abortableSleep;
  const started = now();
  let suggested = options.retryAfterMs;
  for (let attempt = 0; ; attempt++) {
    const elapsed = now() - started;
    const remaining = options.timeoutMs - elapsed;
    if (remaining <= 0) throw new PollTimeoutError(attempt, elapsed);
    const delay = Math.min(pollDelay(attempt, suggested, options.limits), remaining);
    options.onWait?.({ attempt, elapsedMs: elapsed, nextDelayMs: delay, timeoutMs: options.timeoutMs });
    await sleep(delay, options.signal);
    const outcome = await step(attempt);
    if (outcome.done) return outcome.value;
    if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs !== null) suggested = outcome.retryAfterMs;
  }
}
