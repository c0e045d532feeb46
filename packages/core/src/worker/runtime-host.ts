/**
 * Where the vision code runs, and how the tasks-vision wasm loader is brought in there.
 *
 * The same bundle runs in three hosts (the worker ladder on the page picks one):
 * - a module worker: `FilesetResolver.forVisionTasks(base, true)` gives the `module` runtime
 *   (SIMD only), loaded with `import()`;
 * - a classic worker: `forVisionTasks(base, false)` picks the SIMD or the no-SIMD runtime itself,
 *   and `importScripts` loads it (it sets the global `ModuleFactory`);
 * - the page (main thread): the same classic runtime, loaded with a `<script>` element.
 * Only the runtime the host uses is ever fetched.
 */
import { FilesetResolver } from '@mediapipe/tasks-vision';
import type { VisionHostKind } from '../shared/vision-host.js';
import { assetsBuildId } from './asset-cache.js';

export type RuntimeHost = VisionHostKind;

type ModuleFactory = (...args: unknown[]) => Promise<unknown>;
type Fileset = Awaited<ReturnType<typeof FilesetResolver.forVisionTasks>>;
type HostScope = typeof globalThis & {
  ModuleFactory?: ModuleFactory;
  importScripts?: (...urls: string[]) => void;
  WorkerGlobalScope?: new () => unknown;
  document?: {
    createElement(tag: 'script'): { src: string; crossOrigin: string | null; async: boolean; onload: (() => void) | null; onerror: ((event: unknown) => void) | null };
    head: { append(node: unknown): void };
  };
};

let detected: RuntimeHost | null = null;

export function runtimeHost(): RuntimeHost {
  if (detected) return detected;
  const scope = self as HostScope;
  if (typeof scope.WorkerGlobalScope !== 'function' || !(scope instanceof scope.WorkerGlobalScope)) {
    detected = 'page';
  } else {
    try {
      // No-op in a classic worker; a module worker throws a TypeError.
      scope.importScripts?.();
      detected = typeof scope.importScripts === 'function' ? 'classic-worker' : 'module-worker';
    } catch {
      detected = 'module-worker';
    }
  }
  return detected;
}

export interface VisionRuntime {
  host: RuntimeHost;
  /** What the task creators take. In the classic hosts its loader path is empty (see below). */
  fileset: Fileset;
  /** The Emscripten factory of the loader, kept because tasks-vision clears the global after each use. */
  factory: ModuleFactory | null;
}

/**
 * The loader's URL with the build id in its query: a URL that names one build's file, which the
 * server may cache as immutable (packages/server/src/static-precompressed.ts), so that a warm start
 * loads it from the HTTP cache without a request.
 */
export function versionedUrl(url: string, buildId: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}v=${encodeURIComponent(buildId)}`;
}

/**
 * The runtime files this host uses (no request: tasks-vision only checks for WASM SIMD). The
 * module worker needs the `module` runtime; the classic hosts get the SIMD or no-SIMD one.
 */
export function runtimeFileset(wasmBase: string): Promise<Fileset> {
  return FilesetResolver.forVisionTasks(wasmBase, runtimeHost() === 'module-worker');
}

/**
 * Loads the wasm loader for this host from `wasmBase` (the assets base's `wasm` folder, no trailing
 * slash); `buildId` identifies the assets (asset-cache.ts); `resolved`: runtimeFileset(wasmBase), when
 * the caller has it.
 */
export async function loadVisionRuntime(wasmBase: string, buildId: string = assetsBuildId(), resolved?: Fileset): Promise<VisionRuntime> {
  const host = runtimeHost();
  const scope = self as HostScope;
  resolved ??= await runtimeFileset(wasmBase);
  if (host === 'module-worker') {
    const fileset = { ...resolved, wasmLoaderPath: versionedUrl(resolved.wasmLoaderPath, buildId) };
    // A module is evaluated once: take its factory now, it is put back before each creation.
    const loader = (await import(/* @vite-ignore */ fileset.wasmLoaderPath)) as { default?: ModuleFactory };
    return { host, fileset, factory: loader.default ?? scope.ModuleFactory ?? null };
  }
  const fileset = resolved;
  const loaderUrl = versionedUrl(fileset.wasmLoaderPath, buildId);
  if (host === 'classic-worker') scope.importScripts!(loaderUrl);
  else await loadScript(scope, loaderUrl);
  const factory = scope.ModuleFactory ?? null;
  if (!factory) throw new Error(`${loaderUrl} did not define ModuleFactory`);
  // tasks-vision loads the loader again for every task it creates unless the path is empty; the
  // factory is put back before each creation instead, so the loader is fetched once.
  return { host, fileset: { ...fileset, wasmLoaderPath: '' }, factory };
}

function loadScript(scope: HostScope, url: string): Promise<void> {
  const document = scope.document;
  if (!document) return Promise.reject(new Error('no document to load the vision runtime into'));
  return new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    // Same CORS mode as tasks-vision's own loader, so a CDN with CORS works alike.
    script.crossOrigin = 'anonymous';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`the vision runtime ${url} did not load`));
    document.head.append(script);
  });
}
