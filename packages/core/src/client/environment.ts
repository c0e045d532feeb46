/**
 * What the browser (or webview) can do, for the capture and worker ladders.
 *
 * Capabilities come from feature tests on the globals passed in. The user agent is read only where
 * no feature test exists: WeChat and mini-program detection, the platform (iOS, Android) and its
 * version, for diagnostics and for the WeChat-specific advice in WECHAT.md.
 */

export interface Environment {
  /** Inside WeChat's built-in browser (UA `MicroMessenger/`). */
  wechat: boolean;
  /** Inside a WeChat mini-program `<web-view>`. */
  wechatMiniProgram: boolean;
  ios: boolean;
  android: boolean;
  /** e.g. 16.5; only on iOS. */
  iosVersion?: number;
  /** Major Chrome version (Android webviews, XWeb); absent outside Chromium. */
  chromeVersion?: number;
  /** getUserMedia is there (iOS WeChat has it from 14.3; plain http pages never do). */
  camera: boolean;
  /** `new Worker(url, { type: 'module' })` is understood (iOS 15+, Chrome 80+). */
  moduleWorkers: boolean;
  /** Dedicated workers at all. */
  workers: boolean;
  /** OffscreenCanvas with a 2D context (iOS 16.4+); the worker needs it for pixels and JPEGs. */
  offscreenCanvas: boolean;
  /** WebGL 2 on an OffscreenCanvas (iOS 17+); only known when probed (see DetectOptions). */
  webgl2InWorker?: boolean;
  /** WebGL 2 on a canvas element (the page host needs it); only known when probed. */
  webgl2?: boolean;
  wasm: boolean;
  /** WASM SIMD (Safari 16.4+, Chrome 91+): the module-worker runtime variant needs it. */
  wasmSimd: boolean;
  indexedDB: boolean;
}

/** The globals read by detectEnvironment; `globalThis` in a page, a stub in tests. */
export interface EnvironmentGlobals {
  navigator?: { maxTouchPoints?: number; mediaDevices?: { getUserMedia?: unknown } };
  Worker?: unknown;
  OffscreenCanvas?: unknown;
  WebAssembly?: { validate?: (bytes: BufferSource) => boolean };
  indexedDB?: { open?: unknown } | null;
  __wxjs_environment?: unknown;
  document?: { createElement?(tag: 'canvas'): { getContext(kind: string): unknown } };
}

export interface DetectOptions {
  /**
   * Creates WebGL 2 contexts (OffscreenCanvas, canvas element) to fill `webgl2InWorker` and
   * `webgl2`: tasks-vision needs WebGL 2 even on its CPU path. Off by default: a GL context is not
   * free, and browsers cap how many a page may hold.
   */
  probeWebGL?: boolean;
}

/** The smallest module using a SIMD instruction (the one tasks-vision probes with). */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

export function detectEnvironment(userAgent: string, globals: EnvironmentGlobals, options: DetectOptions = {}): Environment {
  const wechat = /MicroMessenger\//i.test(userAgent);
  const wechatMiniProgram = /miniProgram/i.test(userAgent) || globals.__wxjs_environment === 'miniprogram';
  const iosDevice = /\b(iPhone|iPad|iPod)\b/.test(userAgent);
  // iPadOS asks for desktop pages with a Mac UA; only its touch screen gives it away.
  const iPadAsMac = /\bMacintosh\b/.test(userAgent) && (globals.navigator?.maxTouchPoints ?? 0) > 1;
  const ios = iosDevice || iPadAsMac;
  const android = /\bAndroid\b/i.test(userAgent);

  const environment: Environment = {
    wechat,
    wechatMiniProgram,
    ios,
    android,
    camera: typeof globals.navigator?.mediaDevices?.getUserMedia === 'function',
    workers: typeof globals.Worker === 'function',
    moduleWorkers: supportsModuleWorkers(globals.Worker),
    offscreenCanvas: supportsOffscreen2d(globals.OffscreenCanvas),
    wasm: typeof globals.WebAssembly === 'object' && globals.WebAssembly !== null,
    wasmSimd: supportsSimd(globals.WebAssembly),
    indexedDB: supportsIndexedDb(globals),
  };
  const iosVersion = /\bOS (\d+)[_.](\d+)/.exec(userAgent);
  if (iosDevice && iosVersion) environment.iosVersion = Number(`${iosVersion[1]}.${iosVersion[2]}`);
  else if (iPadAsMac) {
    // The Mac UA of iPadOS carries the Safari version, which follows the iOS version.
    const safari = /Version\/(\d+)\.(\d+)/.exec(userAgent);
    if (safari) environment.iosVersion = Number(`${safari[1]}.${safari[2]}`);
  }
  const chrome = /\b(?:Chrome|CriOS)\/(\d+)/.exec(userAgent);
  if (chrome) environment.chromeVersion = Number(chrome[1]);
  if (options.probeWebGL) {
    environment.webgl2InWorker = environment.offscreenCanvas && probeWebGL2(() => new (globals.OffscreenCanvas as new (width: number, height: number) => CanvasLike)(1, 1));
    const document = globals.document;
    environment.webgl2 = typeof document?.createElement === 'function' && probeWebGL2(() => document.createElement!('canvas'));
  }
  return environment;
}

/** The page's own environment, detected once (the WebGL probe included). */
let current: Environment | null = null;
export function currentEnvironment(): Environment {
  current ??= detectEnvironment(globalThis.navigator?.userAgent ?? '', globalThis as unknown as EnvironmentGlobals, { probeWebGL: true });
  return current;
}

/**
 * A browser that knows module workers reads the `type` option; one that does not never looks at
 * it. The URL is invalid, so the constructor throws before fetching anything (and before a CSP
 * check could report a violation).
 */
function supportsModuleWorkers(WorkerClass: unknown): boolean {
  if (typeof WorkerClass !== 'function') return false;
  let read = false;
  const options = {
    get type(): 'module' {
      read = true;
      return 'module';
    },
  };
  try {
    new (WorkerClass as new (url: string, options: WorkerOptions) => { terminate(): void })('http://[', options).terminate();
  } catch {
    // Expected: the URL does not parse.
  }
  return read;
}

function supportsOffscreen2d(OffscreenCanvasClass: unknown): boolean {
  if (typeof OffscreenCanvasClass !== 'function') return false;
  try {
    const canvas = new (OffscreenCanvasClass as new (width: number, height: number) => { getContext(kind: string): unknown })(1, 1);
    return canvas.getContext('2d') !== null;
  } catch {
    return false;
  }
}

interface CanvasLike {
  getContext(kind: string): unknown;
}

function probeWebGL2(create: () => CanvasLike): boolean {
  try {
    const canvas = create();
    const context = canvas.getContext('webgl2') as { getExtension(name: string): { loseContext(): void } | null } | null;
    // Give the context back at once: pages may only hold a few.
    context?.getExtension('WEBGL_lose_context')?.loseContext();
    return context !== null;
  } catch {
    return false;
  }
}

function supportsSimd(wasm: EnvironmentGlobals['WebAssembly']): boolean {
  try {
    return typeof wasm?.validate === 'function' && wasm.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

function supportsIndexedDb(globals: EnvironmentGlobals): boolean {
  try {
    // Reading the property itself throws in some sandboxed frames.
    return typeof globals.indexedDB?.open === 'function';
  } catch {
    return false;
  }
}
