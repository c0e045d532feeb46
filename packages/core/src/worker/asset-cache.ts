/**
 * Keeps the vision runtime's wasm and the models in the browser, so that a second start (a new
 * page or a new worker) reads them from the device instead of the network. Cache Storage first;
 * IndexedDB where Cache Storage is missing (it needs a secure context); plain fetch when neither
 * works. Only the assets base is ever fetched (the worker's egress guard sees every fetch made here).
 *
 * The wasm is compiled with `WebAssembly.compileStreaming`, from the network Response as it
 * downloads (while a copy is stored) or from the stored one. Only the bytes are kept: Chromium
 * writes no compiled-code cache for this module in a worker (none under `Code Cache/wasm`, no side
 * data in Cache Storage, from a stored or an HTTP-cache Response), so a warm start still compiles,
 * lazily, the functions it runs.
 *
 * Entries are never revalidated. The cache is named by the build id: the content hash of the
 * runtime and models that the kit's build puts in the bundle (`VITE_FACEKIT_ASSETS_VERSION`, the
 * `version` of assets/facekit-assets.json), else the URL of the vision bundle (hashed by the
 * bundler). A build with other assets uses a new cache, and the caches of other builds are deleted.
 */

import { VISION_BUNDLE_URL_KEY } from '../shared/vision-host.js';

/** Bump when the stored format changes. */
const ASSET_REVISION = 2;
const NAME_PREFIX = 'facekit-assets-';
const IDB_STORE = 'assets';
/** Cache Storage and IndexedDB have been seen to hang (private modes, WKWebView): never wait longer. */
const STORAGE_TIMEOUT_MS = 3000;

/** The assets' content hash that the kit's build writes into the bundle; undefined in other builds. */
const BUILT_ASSETS_VERSION: string | undefined = (import.meta as ImportMeta & { env?: Record<string, string | undefined> }).env
  ?.VITE_FACEKIT_ASSETS_VERSION;

/** The URL the vision bundle was loaded from: the worker's script, or the page script the ladder added. */
function visionBundleUrl(): string {
  const scope = self as typeof globalThis & { [key: symbol]: unknown; WorkerGlobalScope?: new () => unknown };
  const inWorker = typeof scope.WorkerGlobalScope === 'function' && scope instanceof scope.WorkerGlobalScope;
  const fromLadder = scope[Symbol.for(VISION_BUNDLE_URL_KEY)];
  return !inWorker && typeof fromLadder === 'string' ? fromLadder : self.location.href;
}

/** What identifies the assets of this kit build (see the module comment). */
export function assetsBuildId(): string {
  return BUILT_ASSETS_VERSION || shortHash(visionBundleUrl());
}

/** Where an asset came from, for the start-up figures. */
export type AssetSource = 'cache-storage' | 'indexeddb' | 'network';

export interface CachedAsset {
  bytes: Uint8Array;
  source: AssetSource;
}

export interface CompiledWasm {
  module: WebAssembly.Module;
  source: AssetSource;
}

interface AssetStore {
  readonly kind: Exclude<AssetSource, 'network'>;
  get(url: string): Promise<Response | undefined>;
  put(url: string, response: Response): Promise<void>;
}

/** Settles with the promise, or rejects after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer in ${ms} ms`)), ms);
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

/** A short, stable name for a text (FNV-1a, 32 bit). */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

class CacheStorageStore implements AssetStore {
  readonly kind = 'cache-storage' as const;
  constructor(private readonly cache: Cache) {}

  async get(url: string): Promise<Response | undefined> {
    return within(this.cache.match(url), STORAGE_TIMEOUT_MS, 'Cache Storage');
  }

  async put(url: string, response: Response): Promise<void> {
    await within(this.cache.put(url, response), STORAGE_TIMEOUT_MS * 10, 'Cache Storage');
  }
}

class IndexedDbStore implements AssetStore {
  readonly kind = 'indexeddb' as const;
  constructor(private readonly db: IDBDatabase) {}

  private request<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    return within(
      new Promise<T>((resolve, reject) => {
        const request = run(this.db.transaction(IDB_STORE, mode).objectStore(IDB_STORE));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      }),
      STORAGE_TIMEOUT_MS * (mode === 'readwrite' ? 10 : 1),
      'IndexedDB',
    );
  }

  async get(url: string): Promise<Response | undefined> {
    const stored = await this.request<{ bytes: ArrayBuffer; type: string } | undefined>('readonly', (store) => store.get(url));
    return stored ? new Response(stored.bytes, { headers: { 'Content-Type': stored.type } }) : undefined;
  }

  async put(url: string, response: Response): Promise<void> {
    const type = response.headers.get('Content-Type') ?? 'application/octet-stream';
    const bytes = await response.arrayBuffer();
    await this.request('readwrite', (store) => store.put({ bytes, type }, url));
  }
}

async function openCacheStorage(name: string): Promise<AssetStore> {
  if (typeof caches === 'undefined') throw new Error('no Cache Storage');
  const cache = await within(caches.open(name), STORAGE_TIMEOUT_MS, 'Cache Storage');
  // Older kits' caches: their assets are not used again.
  void caches
    .keys()
    .then((names) => Promise.all(names.filter((other) => other.startsWith(NAME_PREFIX) && other !== name).map((other) => caches.delete(other))))
    .catch(() => undefined);
  return new CacheStorageStore(cache);
}

async function openIndexedDb(name: string): Promise<AssetStore> {
  if (typeof indexedDB === 'undefined') throw new Error('no IndexedDB');
  const db = await within(
    new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(IDB_STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('IndexedDB open blocked'));
    }),
    STORAGE_TIMEOUT_MS,
    'IndexedDB',
  );
  void within(indexedDB.databases?.() ?? Promise.resolve([]), STORAGE_TIMEOUT_MS, 'IndexedDB')
    .then((databases) => {
      for (const database of databases) {
        if (database.name?.startsWith(NAME_PREFIX) && database.name !== name) indexedDB.deleteDatabase(database.name);
      }
    })
    .catch(() => undefined);
  return new IndexedDbStore(db);
}

export interface AssetCacheOptions {
  /** Identifies the assets of the kit build; defaults to assetsBuildId(). */
  buildId?: string;
  /** The (guarded) fetch of the worker scope. */
  fetch?: typeof fetch;
  /** Turns caching off: every asset comes from the network (for tests and measurements). */
  disabled?: boolean;
}

/** The wasm and model bytes of one kit build, kept in the browser after the first download. */
export class AssetCache {
  readonly buildId: string;
  readonly name: string;
  private readonly fetchImpl: typeof fetch;
  private readonly disabled: boolean;
  private store: Promise<AssetStore | null> | null = null;

  constructor(options: AssetCacheOptions = {}) {
    this.buildId = options.buildId ?? assetsBuildId();
    this.name = `${NAME_PREFIX}${ASSET_REVISION}-${/^[\w.-]{1,64}$/.test(this.buildId) ? this.buildId : shortHash(this.buildId)}`;
    this.fetchImpl = options.fetch ?? ((input, init) => self.fetch(input, init));
    this.disabled = options.disabled === true;
  }

  /** The store to use, opened once: Cache Storage, else IndexedDB, else none. */
  private open(): Promise<AssetStore | null> {
    if (this.disabled) return Promise.resolve(null);
    this.store ??= openCacheStorage(this.name).catch(() => openIndexedDb(this.name).catch(() => null));
    return this.store;
  }

  /** The asset as a Response: from the store, or fetched and stored (a failed store is not an error). */
  private async response(url: string): Promise<{ response: Response; source: AssetSource; stored: Promise<void> }> {
    const store = await this.open();
    if (store) {
      try {
        const cached = await store.get(url);
        if (cached?.ok) return { response: cached, source: store.kind, stored: Promise.resolve() };
      } catch {
        // Unreadable: fetch it again below.
      }
    }
    const response = await this.fetchImpl(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
    // Stored while the caller reads the network copy: the wasm compiles as it downloads. Quota or
    // a storage failure is not an error (the next start downloads again).
    const stored = store ? store.put(url, response.clone()).catch(() => undefined) : Promise.resolve();
    return { response, source: 'network', stored };
  }

  /** The bytes of a model file. */
  async bytes(url: string): Promise<CachedAsset> {
    const { response, source, stored } = await this.response(url);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // Settled before the asset is used, so that a page closed right after its first start is warm the next time.
    await stored;
    return { bytes, source };
  }

  /** The wasm compiled, streaming from the cached Response when it has the wasm MIME type. */
  async compileWasm(url: string): Promise<CompiledWasm> {
    const { response, source, stored } = await this.response(url);
    const streamable = (response.headers.get('Content-Type') ?? '').split(';')[0]?.trim() === 'application/wasm';
    const module = streamable ? await WebAssembly.compileStreaming(response) : await WebAssembly.compile(await response.arrayBuffer());
    await stored;
    return { module, source };
  }
}

/** An Emscripten module factory: called with the module's settings, resolves with the module. */
export type EmscriptenModuleFactory = (...args: unknown[]) => Promise<unknown>;
type ReceiveInstance = (instance: WebAssembly.Instance) => void;

/**
 * Wraps an Emscripten module factory so that it instantiates an already compiled module instead of
 * fetching and compiling the wasm itself. An instantiation failure rejects the factory's promise
 * (Emscripten would otherwise wait for ever).
 */
export function withCompiledWasm(factory: EmscriptenModuleFactory, module: WebAssembly.Module): EmscriptenModuleFactory {
  return (...args: unknown[]) =>
    new Promise((resolve, reject) => {
      const settings = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as Record<string, unknown>;
      const instantiateWasm = (imports: WebAssembly.Imports, receive: ReceiveInstance): Record<string, never> => {
        WebAssembly.instantiate(module, imports).then(receive, reject);
        return {};
      };
      factory({ ...settings, instantiateWasm }, ...args.slice(1)).then(resolve, reject);
    });
}
