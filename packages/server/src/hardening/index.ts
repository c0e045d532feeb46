/**
 * The endpoint's hardening, gathered for app.ts: rate limits, idempotency of billable ops,
 * retries of safe ops, the request log, and how errors become stored answers. Runtime-neutral.
 */
import { FacekitError } from '../../../core/src/shared/index.js';
import { EndpointError } from '../endpoint-error.js';
import type { OpResult, RegisteredOp } from '../ops/types.js';
import type { StateStore } from '../state.js';
import { IdempotencyKeeper, type IdempotencyOptions, type Outcome } from './idempotency.js';
import { formatLogLine, scrubText, type LogSink, type RequestFacts, type RequestLogLine } from './logger.js';
import { RateLimiter, clientAddressOf } from './rate-limit.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.js';

/** Options of createApp() that belong to the hardening (see the package README, "Hardening"). */
export interface HardeningConfig {
  /** Retries of ops that are safeToRetry (2); 0 turns retries off. */
  vendorRetries?: number;
  /** Finer retry settings (waits, budget); `vendorRetries` wins for the count. */
  retryPolicy?: Partial<RetryPolicy>;
  /** Calls a minute per ticket subject (`sub`, else per ticket); 120 by default, 0 turns it off. */
  rateLimitPerMinute?: number;
  /** Calls a minute per client address; 600 by default, 0 turns it off. */
  rateLimitIpPerMinute?: number;
  /** Take the client address from the last X-Forwarded-For entry (behind a proxy you run). */
  trustProxy?: boolean;
  /** The client address as the runtime knows it (node.ts passes the socket's). */
  clientAddress?: (request: Request, env: unknown) => string | undefined;
  idempotency?: IdempotencyOptions;
  /** Receives one JSON line per request; nothing is logged without it. */
  log?: LogSink;
}

export interface Hardening {
  limits: RateLimiter;
  idempotency: IdempotencyKeeper;
  retryPolicy: RetryPolicy;
  clientAddress(request: Request, env: unknown): string | undefined;
  /** Runs an op's call, retried when the op is safeToRetry; counts the retries in `facts`. */
  run(op: RegisteredOp, call: () => Promise<OpResult>, facts: RequestFacts): Promise<OpResult>;
  log(line: RequestLogLine): void;
  /** A store failure that was tolerated (rate limit) or could not be recorded (idempotency). */
  warn(message: string, error: unknown): void;
}

export function createHardening(config: HardeningConfig, store: StateStore): Hardening {
  const retryPolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...config.retryPolicy };
  if (config.vendorRetries !== undefined) retryPolicy.retries = config.vendorRetries;
  const sink = config.log;
  const warn = (message: string, error: unknown) => {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (sink) sink(JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg: message, error: scrubText(detail) }));
  };
  return {
    limits: new RateLimiter(store, {
      perSubjectPerMinute: config.rateLimitPerMinute,
      perIpPerMinute: config.rateLimitIpPerMinute,
      onStoreError: (error) => warn('rate limit store failed; call let through', error),
    }),
    idempotency: new IdempotencyKeeper(store, config.idempotency, (error) => warn('idempotency store failed', error)),
    retryPolicy,
    clientAddress: (request, env) => clientAddressOf(request, env, config),
    async run(op, call, facts) {
      // Billable ops never repeat: defineOp refuses the combination, this guards hand-made ops.
      if (!op.safeToRetry || op.billable || retryPolicy.retries <= 0) return call();
      return withRetry(call, retryPolicy, { onRetry: (retry) => (facts.retries = retry) });
    },
    log(line) {
      if (sink) sink(formatLogLine(line));
    },
    warn,
  };
}

/** The answer an error turns into, as onError renders it; stored for idempotent replays. */
export function outcomeOf(error: unknown, requestId: string): Outcome {
  if (error instanceof EndpointError) return { code: error.code, data: error.data, vendor: error.vendor, retryAfterMs: error.retryAfterMs, requestId };
  if (error instanceof FacekitError) return { code: error.code, requestId };
  return { code: 'INTERNAL', requestId };
}

export { readBodyText, readJsonObject, refuseDeclaredOversize } from './body.js';
export { corsAllowlist } from './cors.js';
export { readIdempotencyKey, requestFingerprint, REPLAY_HEADER, IDEMPOTENCY_HEADER, type StoredAnswer } from './idempotency.js';
export { levelOf, type LogSink, type RequestFacts } from './logger.js';
