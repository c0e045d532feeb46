/**
 * Messages between the vision bundle and the page's worker ladder, besides comlink's own (which
 * carry an `id`; these do not, so comlink ignores them).
 */

/** Where the vision bundle runs. */
export type VisionHostKind = 'module-worker' | 'classic-worker' | 'page';

/** Posted once the bundle has loaded: the ladder then stops trying other rungs. */
export interface VisionHelloMessage {
  facekitHello: { host: VisionHostKind };
}

export interface AssetFileProgress {
  url: string;
  /** Bytes received (transferred) so far. */
  loaded: number;
  /** Bytes to transfer; 0 while unknown. */
  total: number;
  done: boolean;
}

/** Bytes of the wasm and models downloaded so far (cached assets are not counted). */
export interface AssetLoadProgress {
  loaded: number;
  total: number;
  files: AssetFileProgress[];
}

export interface VisionProgressMessage {
  facekitProgress: AssetLoadProgress;
}

/**
 * `Symbol.for` key under which the bundle, loaded as a page script, leaves its connector
 * `(port: MessagePort) => void`: the API is then served on that port.
 */
export const PAGE_CONNECTOR_KEY = 'facekit.vision.pageConnector';

/**
 * `Symbol.for` key under which the worker ladder leaves the vision bundle's URL before it loads the
 * bundle as a page script (there `self.location` is the page's; the asset cache names itself by it).
 */
export const VISION_BUNDLE_URL_KEY = 'facekit.vision.bundleUrl';
