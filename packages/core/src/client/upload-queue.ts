import { createStore, del, set, values, type UseStore } from 'idb-keyval';

/** A call to the endpoint kept until the endpoint has answered it. */
export interface QueuedUpload {
  id: string;
  op: string;
  body: Record<string, unknown>;
  idempotencyKey: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** The endpoint it is meant for, so clients of other endpoints leave it alone. */
  endpoint?: string;
}

export interface UploadQueue {
  put(item: QueuedUpload): Promise<void>;
  delete(id: string): Promise<void>;
  /** Every kept item, oldest first. */
  list(): Promise<QueuedUpload[]>;
  /** True when items live only in memory and are lost with the page. */
  readonly degraded?: boolean;
}

/** Keeps items in memory only; the fallback of IdbUploadQueue and a queue for tests. */
export class MemoryUploadQueue implements UploadQueue {
  readonly degraded: boolean = true;
  private readonly items = new Map<string, QueuedUpload>();

  async put(item: QueuedUpload): Promise<void> {
    this.items.set(item.id, item);
  }

  async delete(id: string): Promise<void> {
    this.items.delete(id);
  }

  async list(): Promise<QueuedUpload[]> {
    return sortByAge([...this.items.values()]);
  }
}

export interface IdbUploadQueueOptions {
  dbName?: string;
  storeName?: string;
  /** Longest wait for IndexedDB before falling back to memory (default 3 s). */
  timeoutMs?: number;
}

/**
 * Keeps items in IndexedDB (database `facekit`, store `uploads`) so that a capture survives a
 * reload while offline. IndexedDB can be missing, throw, run out of quota or never answer
 * (reported in WKWebView); the queue then falls back to memory for the rest of the page's life
 * and sets `degraded`, so that the element can warn that an offline capture is not kept.
 */
export class IdbUploadQueue implements UploadQueue {
  private readonly dbName: string;
  private readonly storeName: string;
  private readonly timeoutMs: number;
  private store: UseStore | null = null;
  private fallback: MemoryUploadQueue | null = null;

  constructor(options: IdbUploadQueueOptions = {}) {
    this.dbName = options.dbName ?? 'facekit';
    this.storeName = options.storeName ?? 'uploads';
    this.timeoutMs = options.timeoutMs ?? 3000;
  }

  get degraded(): boolean {
    return this.fallback !== null;
  }

  async put(item: QueuedUpload): Promise<void> {
    await this.run(
      (store) => set(item.id, item, store),
      (memory) => memory.put(item),
    );
  }

  async delete(id: string): Promise<void> {
    await this.run(
      (store) => del(id, store),
      (memory) => memory.delete(id),
    );
  }

  async list(): Promise<QueuedUpload[]> {
    return this.run(
      async (store) => sortByAge(await values<QueuedUpload>(store)),
      (memory) => memory.list(),
    );
  }

  private async run<T>(
    withStore: (store: UseStore) => Promise<T>,
    withMemory: (memory: MemoryUploadQueue) => Promise<T>,
  ): Promise<T> {
    if (!this.fallback) {
      try {
        this.store ??= createStore(this.dbName, this.storeName);
        return await withTimeout(withStore(this.store), this.timeoutMs);
      } catch (error) {
        console.warn('facekit: IndexedDB is unavailable; offline captures are kept in memory only', error);
        this.fallback = new MemoryUploadQueue();
      }
    }
    return withMemory(this.fallback);
  }
}

function sortByAge(items: QueuedUpload[]): QueuedUpload[] {
  return items.sort((a, b) => a.createdAt - b.createdAt);
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`IndexedDB did not answer in ${timeoutMs} ms`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
