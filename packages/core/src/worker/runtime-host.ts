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

/** Loads the wasm loader for this host from `wasmBase` (the assets base's `wasm` folder, no trailing slash). */
export async function loadVisionRuntime(wasmBase: string): Promise<VisionRuntime> {
  const host = runtimeHost();
  const scope = self as HostScope;
  if (host === 'module-worker') {
    const fileset = await FilesetResolver.forVisionTasks(wasmBase, true);
    // A module is evaluated once: take its factory now, it is put back before each creation.
    const loader = (await import(/* @vite-ignore */ fileset.wasmLoaderPath)) as { default?: ModuleFactory };
    return { host, fileset, factory: loader.default ?? scope.ModuleFactory ?? null };
  }
  const fileset = await FilesetResolver.forVisionTasks(wasmBase, false);
  if (host === 'classic-worker') scope.importScripts!(fileset.wasmLoaderPath);
  else await loadScript(scope, fileset.wasmLoaderPath);
  const factory = scope.ModuleFactory ?? null;
  if (!factory) throw new Error(`${fileset.wasmLoaderPath} did not define ModuleFactory`);
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
