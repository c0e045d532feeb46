/**
 * Shared state of the endpoint: ticket nonces, rate-limit counters, idempotency records and async
 * job status. Kept to five operations so that the Redis implementation (state-redis.ts: SET NX PX,
 * GET, SET PX, INCR+PEXPIRE, DEL) replaces the in-memory one without touching callers.
 */
export interface StateStore {
  /** Stores `key` if it is absent; true when this call stored it (the first caller wins). */
  setIfAbsent(key: string, ttlMs: number): Promise<boolean>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Adds one and returns the new count; the TTL starts when the key is created. */
  incr(key: string, ttlMs: number): Promise<number>;
  /** Removes `key` (absent keys are fine). */
  delete(key: string): Promise<void>;
}

interface Entry {
  value: string;
  expiresAt: number;
}

/** Single-process store. Expired keys are dropped on read and by a sweep every few writes. */
export class MemoryStateStore implements StateStore {
  private readonly entries = new Map<string, Entry>();
  private writesSinceSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async setIfAbsent(key: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.write(key, '1', ttlMs);
    return true;
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.write(key, value, ttlMs);
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    const entry = this.live(key);
    if (!entry) {
      this.write(key, '1', ttlMs);
      return 1;
    }
    const next = (Number.parseInt(entry.value, 10) || 0) + 1;
    entry.value = String(next);
    return next;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  /** Number of live keys, for tests and diagnostics. */
  get size(): number {
    this.sweep();
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private write(key: string, value: string, ttlMs: number): void {
    if (!(ttlMs > 0)) throw new RangeError('ttlMs must be positive');
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    // Sweeping now and then keeps memory bounded by the live keys without a timer,
    // which serverless runtimes would not keep alive anyway.
    if (++this.writesSinceSweep >= 256) this.sweep();
  }

  private sweep(): void {
    this.writesSinceSweep = 0;
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}
