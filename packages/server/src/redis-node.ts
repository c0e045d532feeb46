/**
 * Node side of the Redis state: builds an ioredis client for `FACEKIT_REDIS_URL` and wraps it in
 * a RedisStateStore. Kept out of app.ts so that the app stays importable where ioredis is not.
 */
import { RedisStateStore, type RedisStateStoreOptions } from './state-redis.js';

export interface NodeRedisStore {
  store: RedisStateStore;
  /** Ends the connection; the store must not be used afterwards. */
  close(): Promise<void>;
}

/**
 * Connects and checks the connection with a PING, so that a wrong URL fails at start-up and not
 * on the first ticket. Commands fail fast (one reconnect try) rather than queue while Redis is down.
 */
export async function connectRedisStore(url: string, options: RedisStateStoreOptions = {}): Promise<NodeRedisStore> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5000, lazyConnect: true });
  // ioredis reports connection errors as events; the failed commands carry them to the callers.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    store: new RedisStateStore(client, options),
    async close() {
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'the configured URL';
  }
}
