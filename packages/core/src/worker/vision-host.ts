/**
 * Connects the vision API to the page, in whichever host the bundle runs (see runtime-host.ts):
 *
 * - in a worker, it is exposed on the worker scope with comlink; the worker first posts a
 *   `facekitHello` message (the page's worker ladder then knows this rung loaded) and later
 *   `facekitProgress` messages with the bytes of the first load;
 * - in the page (the last rung, loaded as a script), it registers a connector that the ladder
 *   calls with a MessagePort, so the page talks to it exactly as to a worker.
 *
 * comlink ignores messages without an `id`, so the extra messages do not disturb it.
 */
import { expose } from 'comlink';
import type { VisionApi } from '../shared/types.js';
import { PAGE_CONNECTOR_KEY, type VisionHelloMessage, type VisionProgressMessage } from '../shared/vision-host.js';
import { installLoadProgress } from './load-progress.js';
import { runtimeHost } from './runtime-host.js';

const PAGE_CONNECTOR = Symbol.for(PAGE_CONNECTOR_KEY);
type PageConnector = (port: MessagePort) => void;
type PageScope = typeof globalThis & { [PAGE_CONNECTOR]?: PageConnector; document?: unknown };

const host = runtimeHost();

if (host !== 'page') {
  installLoadProgress(self, (progress) => self.postMessage({ facekitProgress: progress } satisfies VisionProgressMessage));
  self.postMessage({ facekitHello: { host } } satisfies VisionHelloMessage);
} else {
  installCanvasShim(self as PageScope);
}

/** Serves `create()`'s API to the page: on the worker scope, or on each port the ladder connects. */
export function exposeVision(create: () => VisionApi): void {
  if (host !== 'page') {
    expose(create(), self);
    return;
  }
  (self as PageScope)[PAGE_CONNECTOR] = (port: MessagePort) => {
    expose(create(), port);
    port.postMessage({ facekitHello: { host } } satisfies VisionHelloMessage);
  };
}

/**
 * Browsers without OffscreenCanvas (iOS before 16.4), or without WebGL 2 on it (before iOS 17),
 * reach the page host. The vision code draws on OffscreenCanvas, so there a canvas element with
 * `convertToBlob` stands in for it (the page's global is replaced: only in that fallback).
 */
function installCanvasShim(scope: PageScope): void {
  const document = scope.document as { createElement(tag: 'canvas'): HTMLCanvasLike } | undefined;
  if (!document) return;
  if (typeof scope.OffscreenCanvas === 'function' && (hasWebGL2(() => new OffscreenCanvas(1, 1)) || !hasWebGL2(() => document.createElement('canvas')))) {
    return;
  }
  function CanvasBackedOffscreenCanvas(width: number, height: number): HTMLCanvasLike {
    const canvas = document!.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    canvas.convertToBlob = (options?: { type?: string; quality?: number }) =>
      new Promise<Blob>((resolve, reject) => {
        canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded'))), options?.type, options?.quality);
      });
    return canvas;
  }
  Object.defineProperty(scope, 'OffscreenCanvas', { value: CanvasBackedOffscreenCanvas, configurable: true, writable: true });
}

function hasWebGL2(create: () => { getContext(kind: string): unknown }): boolean {
  try {
    const context = create().getContext('webgl2') as { getExtension(name: string): { loseContext(): void } | null } | null;
    context?.getExtension('WEBGL_lose_context')?.loseContext();
    return context !== null;
  } catch {
    return false;
  }
}

interface HTMLCanvasLike {
  getContext(kind: string): unknown;
  width: number;
  height: number;
  toBlob(callback: (blob: Blob | null) => void, type?: string, quality?: number): void;
  convertToBlob?: (options?: { type?: string; quality?: number }) => Promise<Blob>;
}
