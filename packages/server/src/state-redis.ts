/**
 * StateStore on Redis, so that several endpoint instances share ticket nonces, rate-limit
 * counters, idempotency records and async job status.
 *
 * It talks to Redis through a one-method client (`call(command, ...args)`, which an ioredis
 * instance has), so this file imports no Redis library and no Node API: a serverless entry can
 * pass any client with that shape. The Node entry builds an ioredis client (redis-node.ts).
 */
import type { StateStore } from './state.js';

/** The part of a Redis client the store uses; `new Redis(url)` from ioredis fits. */
export interface RedisCommandClient {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/**
 * INCR with a TTL set only by the call that created the key, atomically: a crash between INCR
 * and PEXPIRE must not leave a counter that never expires.
 */
const INCR_WITH_TTL = `local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

export interface RedisStateStoreOptions {
  /** Prepended to every key, so that one Redis can serve several sites; default `facekit:`. */
  prefix?: string;
}

export class RedisStateStore implements StateStore {
  private readonly prefix: string;

  constructor(
    private readonly client: RedisCommandClient,
    options: RedisStateStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'facekit:';
  }

  async setIfAbsent(key: string, ttlMs: number): Promise<boolean> {
    return (await this.client.call('SET', this.prefix + key, '1', 'PX', wholeMs(ttlMs), 'NX')) === 'OK';
  }

  async get(key: string): Promise<string | null> {
    const value = await this.client.call('GET', this.prefix + key);
    if (value === null || value === undefined) return null;
    return typeof value === 'string' ? value : String(value);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.call('SET', this.prefix + key, value, 'PX', wholeMs(ttlMs));
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    return Number(await this.client.call('EVAL', INCR_WITH_TTL, 1, this.prefix + key, wholeMs(ttlMs)));
  }

  async delete(key: string): Promise<void> {
    await this.client.call('DEL', this.prefix + key);
  }
}

/** Redis wants a positive integer; the in-memory store refuses non-positive TTLs alike. */
function wholeMs(ttlMs: number): number {
  if (!(ttlMs > 0)) throw new RangeError('ttlMs must be positive');
  return Math.max(1, Math.ceil(ttlMs));
}
