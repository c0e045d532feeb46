/**
 * Past skin reports on this device, in IndexedDB (idb-keyval), one list per history key.
 *
 * Only numbers are kept (scores, skin age, counts, the date): no photo and no picture links,
 * which expire anyway. When IndexedDB cannot be used (some private modes), the list lives in
 * memory for the page's life and `degraded` says so.
 */
import { createStore, del, get, update, type UseStore } from 'idb-keyval';
import type { SkinHistoryEntry } from './report-model.js';

export const SKIN_HISTORY_DB = 'facekit-skin-report';
export const SKIN_HISTORY_STORE = 'history';
/** Reports kept per key; the oldest go first. */
export const SKIN_HISTORY_LIMIT = 50;

let sharedStore: UseStore | null = null;
const memory = new Map<string, SkinHistoryEntry[]>();

function store(): UseStore {
  sharedStore ??= createStore(SKIN_HISTORY_DB, SKIN_HISTORY_STORE);
  return sharedStore;
}

function sorted(entries: SkinHistoryEntry[]): SkinHistoryEntry[] {
  return [...entries].sort((a, b) => a.at - b.at);
}

function isEntry(value: unknown): value is SkinHistoryEntry {
  const entry = value as Partial<SkinHistoryEntry> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.id === 'string' &&
    typeof entry.at === 'number' &&
    typeof entry.synScore === 'number' &&
    typeof entry.synAge === 'number'
  );
}

export class SkinHistory {
  /** True once IndexedDB failed and the list is kept in memory only. */
  degraded = false;

  constructor(
    readonly key = 'default',
    readonly limit = SKIN_HISTORY_LIMIT,
  ) {}

  private get storageKey(): string {
    return `reports:${this.key}`;
  }

  /** Every kept report of this key, oldest first. */
  async list(): Promise<SkinHistoryEntry[]> {
    try {
      const value = await get<unknown>(this.storageKey, store());
      return Array.isArray(value) ? sorted(value.filter(isEntry)) : [];
    } catch {
      this.degraded = true;
      return sorted(memory.get(this.storageKey) ?? []);
    }
  }

  /** Keeps a report (replacing one with the same id); returns the list after it. */
  async add(entry: SkinHistoryEntry): Promise<SkinHistoryEntry[]> {
    const merge = (current: unknown): SkinHistoryEntry[] => {
      const kept = (Array.isArray(current) ? current.filter(isEntry) : []).filter((item) => item.id !== entry.id);
      return sorted([...kept, entry]).slice(-this.limit);
    };
    try {
      let result: SkinHistoryEntry[] = [];
      await update<SkinHistoryEntry[]>(
        this.storageKey,
        (current) => {
          result = merge(current);
          return result;
        },
        store(),
      );
      return result;
    } catch {
      this.degraded = true;
      const result = merge(memory.get(this.storageKey));
      memory.set(this.storageKey, result);
      return result;
    }
  }

  /** The latest report kept before `entry` (by date, another id), or null. */
  async previous(before: { id: string; at: number }): Promise<SkinHistoryEntry | null> {
    const entries = await this.list();
    const earlier = entries.filter((item) => item.id !== before.id && item.at <= before.at);
    return earlier[earlier.length - 1] ?? null;
  }

  async clear(): Promise<void> {
    memory.delete(this.storageKey);
    try {
      await del(this.storageKey, store());
    } catch {
      this.degraded = true;
    }
  }
}
