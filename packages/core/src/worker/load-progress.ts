/**
 * Bytes of the wasm and models downloaded so far, for the progress bar of the first load.
 *
 * Wraps the scope's `fetch` (after the egress guard, so refused requests never count): each
 * response of a runtime or model file gets a counting stream, and the totals go to `report`,
 * at most every PROGRESS_INTERVAL_MS and once more when a file ends. Nothing is reported for
 * assets read from a local cache, so a warm start shows no bar.
 *
 * Units are transferred bytes. A precompressed response (brotli, gzip) has a Content-Length in
 * compressed bytes while the stream yields decoded ones, so the decoded share of each file is
 * scaled onto its Content-Length with the decoded sizes listed in the assets manifest
 * (`facekit-assets.json`, written by the build). Without the manifest the decoded bytes are shown,
 * capped at the Content-Length.
 */
import type { AssetFileProgress, AssetLoadProgress } from '../shared/vision-host.js';

/** The manifest the build writes beside `wasm/` and `models/`. */
export interface AssetsManifest {
  version: string;
  files: Record<string, { bytes: number; br?: number; gzip?: number }>;
}

export const MANIFEST_FILE = 'facekit-assets.json';
const TRACKED = /\/(wasm|models)\/[^/?#]+\.(wasm|tflite|task|binarypb|data)(?:[?#].*)?$/i;
const PROGRESS_INTERVAL_MS = 150;

interface Tracked {
  url: string;
  /** Asset path relative to the assets base, e.g. `wasm/vision_wasm_internal.wasm`. */
  path: string;
  base: string;
  contentLength: number | null;
  decoded: number;
  done: boolean;
}

export function installLoadProgress(scope: { fetch?: typeof fetch }, report: (progress: AssetLoadProgress) => void): void {
  const original = scope.fetch;
  if (!original) return;
  const files: Tracked[] = [];
  const manifests = new Map<string, Promise<AssetsManifest | null>>();
  const sizes = new Map<string, AssetsManifest>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const manifestFor = (base: string): void => {
    if (manifests.has(base)) return;
    const loading = original
      .call(scope, `${base}${MANIFEST_FILE}`, { credentials: 'same-origin' })
      .then((response) => (response.ok ? (response.json() as Promise<AssetsManifest>) : null))
      .catch(() => null);
    manifests.set(base, loading);
    void loading.then((manifest) => {
      if (manifest?.files) sizes.set(base, manifest);
      schedule();
    });
  };

  const snapshot = (): AssetLoadProgress => {
    const list = files.map((file): AssetFileProgress => {
      const decodedSize = sizes.get(file.base)?.files[file.path]?.bytes;
      const total = file.contentLength ?? decodedSize ?? 0;
      const share = decodedSize ? Math.min(file.decoded / decodedSize, 1) : null;
      const loaded = file.done ? total || file.decoded : share !== null ? Math.round(total * share) : total ? Math.min(file.decoded, total) : file.decoded;
      return { url: file.url, loaded, total: file.done && !total ? loaded : total, done: file.done };
    });
    return {
      loaded: list.reduce((sum, file) => sum + file.loaded, 0),
      total: list.reduce((sum, file) => sum + file.total, 0),
      files: list,
    };
  };

  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    report(snapshot());
  };
  const schedule = (): void => {
    timer ??= setTimeout(flush, PROGRESS_INTERVAL_MS);
  };

  scope.fetch = async function progressFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const response = await original.call(scope, input, init);
    const url = typeof input === 'object' && 'url' in input ? input.url : String(input);
    const match = TRACKED.exec(url);
    if (!match || !response.ok || !response.body) return response;
    const pathStart = url.lastIndexOf(`/${match[1]}/`) + 1;
    const file: Tracked = {
      url,
      path: url.slice(pathStart).replace(/[?#].*$/, ''),
      base: url.slice(0, pathStart),
      contentLength: Number(response.headers.get('Content-Length')) || null,
      decoded: 0,
      done: false,
    };
    files.push(file);
    manifestFor(file.base);
    schedule();
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        file.decoded += chunk.byteLength;
        schedule();
        controller.enqueue(chunk);
      },
      flush() {
        file.done = true;
        flush();
      },
    });
    // Same status and headers (the wasm MIME type matters to streaming compilation).
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  } as typeof fetch;
}
