/**
 * The worker ladder: where the vision code runs, best first.
 *
 * 1. a module worker (iOS 15+, Chrome 80+), with the module runtime, which needs WASM SIMD;
 * 2. a classic worker running the same bundle (the build emits it as a classic script), with the
 *    SIMD or no-SIMD runtime that tasks-vision picks;
 * 3. the page itself (main thread): the same bundle loaded as a script and served on a
 *    MessagePort, so the bridge talks to it as to a worker. Slower frames, but it works without
 *    workers, OffscreenCanvas or WebGL in workers (iOS before 16.4 / 17).
 * Without WebAssembly, or without WebGL 2 anywhere (tasks-vision feeds images through it even on
 * its CPU path), nothing can run: UNSUPPORTED, with its own message.
 *
 * `createLadderWorker()` returns one Worker-like object. It moves down a rung when the current
 * one fails before it has said hello (constructor throws, script does not load or parse), and
 * replays the messages sent so far, so the bridge above never notices.
 */
import { FacekitError } from '../shared/errors.js';
import type { MessageKey } from '../shared/messages.js';
import { PAGE_CONNECTOR_KEY, VISION_BUNDLE_URL_KEY, type VisionHelloMessage, type VisionHostKind, type VisionProgressMessage } from '../shared/vision-host.js';
import { currentEnvironment, type Environment } from './environment.js';
import { publishLoadProgress } from './load-progress.js';

export type WorkerRung = 'module' | 'classic' | 'main-thread';

/** A FacekitError whose user message is a kit message key (elements show `t(messageKey)`). */
export class KeyedFacekitError extends FacekitError {
  readonly messageKey: MessageKey;
  constructor(code: FacekitError['code'], messageKey: MessageKey, detail: string) {
    super(code, detail);
    this.messageKey = messageKey;
  }
}

/** The rungs this environment can climb, best first; empty without WebAssembly. */
export function planWorkerRungs(
  environment: Pick<Environment, 'wasm' | 'wasmSimd' | 'workers' | 'moduleWorkers' | 'offscreenCanvas' | 'webgl2InWorker' | 'webgl2'>,
): WorkerRung[] {
  if (!environment.wasm) return [];
  const rungs: WorkerRung[] = [];
  // tasks-vision feeds every image through WebGL 2, even on its CPU path. A worker has no
  // document: it needs OffscreenCanvas with WebGL 2 (iOS 17+).
  const workerCanDraw = environment.offscreenCanvas && environment.webgl2InWorker !== false;
  if (environment.workers && workerCanDraw) {
    // tasks-vision has no module runtime without SIMD.
    if (environment.moduleWorkers && environment.wasmSimd) rungs.push('module');
    rungs.push('classic');
  }
  // The page draws on a canvas element when OffscreenCanvas cannot (vision-host.ts).
  if (environment.webgl2 !== false || workerCanDraw) rungs.push('main-thread');
  return rungs;
}

/** What a rung gives the ladder: a worker, or anything that talks like one. */
export interface WorkerEndpoint extends EventTarget {
  postMessage(message: unknown, transfer: Transferable[]): void;
  terminate(): void;
}

export interface LadderOptions {
  /** Default: the page's environment. */
  environment?: Environment;
  /** Default: planWorkerRungs(environment). */
  rungs?: WorkerRung[];
  /** Replaces how a rung is started (tests). */
  factories?: Partial<Record<WorkerRung, () => WorkerEndpoint>>;
}

/**
 * The bridge's default `createWorker`. Throws UNSUPPORTED (message key `error.no-wasm` or
 * `error.no-webgl`) when no rung can run here.
 */
export function createLadderWorker(options: LadderOptions = {}): Worker {
  const environment = options.environment ?? currentEnvironment();
  const rungs = options.rungs ?? planWorkerRungs(environment);
  if (rungs.length === 0) {
    throw environment.wasm
      ? new KeyedFacekitError('UNSUPPORTED', 'error.no-webgl', 'This browser has no WebGL 2, which the face model needs')
      : new KeyedFacekitError('UNSUPPORTED', 'error.no-wasm', 'This browser has no WebAssembly, which the face model needs');
  }
  return new LadderWorker(rungs, { ...DEFAULT_FACTORIES, ...options.factories }) as unknown as Worker;
}

interface Pending {
  message: unknown;
  transfer: Transferable[];
}

/** One Worker-like object over the rungs; see the module comment. */
export class LadderWorker extends EventTarget implements WorkerEndpoint {
  /** The rung in use (or being tried); null once every rung failed. */
  rung: WorkerRung | null = null;
  /** Where the bundle runs, from its hello; null until then. */
  host: VisionHostKind | null = null;
  readonly failures: string[] = [];

  private readonly remaining: WorkerRung[];
  private readonly factories: Partial<Record<WorkerRung, () => WorkerEndpoint>>;
  private endpoint: WorkerEndpoint | null = null;
  private pending: Pending[] = [];
  private terminated = false;

  constructor(rungs: WorkerRung[], factories: Partial<Record<WorkerRung, () => WorkerEndpoint>>) {
    super();
    this.remaining = [...rungs];
    this.factories = factories;
    if (!this.climb()) {
      throw new FacekitError('MODEL_LOAD', `No vision worker could be created: ${this.failures.join('; ')}`);
    }
  }

  postMessage(message: unknown, transfer: Transferable[] | StructuredSerializeOptions = []): void {
    const list = Array.isArray(transfer) ? transfer : (transfer.transfer ?? []);
    // Kept until a rung says hello, to be replayed on the next rung if this one fails.
    if (this.host === null) this.pending.push({ message, transfer: list });
    this.endpoint?.postMessage(message, list);
  }

  terminate(): void {
    this.terminated = true;
    this.pending = [];
    this.drop();
  }

  /** Starts the next rung that can be created; false when none is left. */
  private climb(): boolean {
    for (let rung = this.remaining.shift(); rung; rung = this.remaining.shift()) {
      const factory = this.factories[rung];
      if (!factory) continue;
      let endpoint: WorkerEndpoint;
      try {
        endpoint = factory();
      } catch (error) {
        this.failures.push(`${rung}: ${describe(error)}`);
        continue;
      }
      this.rung = rung;
      this.endpoint = endpoint;
      endpoint.addEventListener('message', this.onMessage);
      endpoint.addEventListener('error', this.onError);
      endpoint.addEventListener('messageerror', this.onMessageError);
      for (const { message, transfer } of this.pending) endpoint.postMessage(message, transfer);
      return true;
    }
    this.rung = null;
    return false;
  }

  private drop(): void {
    const endpoint = this.endpoint;
    this.endpoint = null;
    if (!endpoint) return;
    endpoint.removeEventListener('message', this.onMessage);
    endpoint.removeEventListener('error', this.onError);
    endpoint.removeEventListener('messageerror', this.onMessageError);
    endpoint.terminate();
  }

  private readonly onMessage = (event: Event): void => {
    const data = (event as MessageEvent).data as Partial<VisionHelloMessage & VisionProgressMessage> | null;
    if (data?.facekitHello) {
      this.host = data.facekitHello.host;
      this.pending = [];
      return;
    }
    if (data?.facekitProgress) {
      publishLoadProgress(data.facekitProgress);
      return;
    }
    this.dispatchEvent(new MessageEvent('message', { data, ports: [...((event as MessageEvent).ports ?? [])] }));
  };

  private readonly onMessageError = (event: Event): void => {
    this.dispatchEvent(new MessageEvent('messageerror', { data: (event as MessageEvent).data }));
  };

  private readonly onError = (event: Event): void => {
    if (this.terminated) return;
    const message = event instanceof ErrorEvent && event.message ? event.message : 'the vision worker failed';
    if (this.host === null) {
      // This rung never loaded: quietly try the next one, with what was sent so far.
      event.preventDefault();
      this.failures.push(`${this.rung}: ${message}`);
      console.info(`facekit: the ${this.rung} vision host failed (${message}); trying the next one`);
      this.drop();
      const replayable = this.pending.every(({ transfer }) => transfer.length === 0);
      if (replayable && this.climb()) return;
      this.dispatchEvent(new ErrorEvent('error', { message: `No vision host could start: ${this.failures.join('; ')}`, cancelable: true }));
      return;
    }
    const forwarded = new ErrorEvent('error', {
      message,
      cancelable: true,
      filename: event instanceof ErrorEvent ? event.filename : undefined,
      lineno: event instanceof ErrorEvent ? event.lineno : undefined,
      colno: event instanceof ErrorEvent ? event.colno : undefined,
      error: event instanceof ErrorEvent ? (event.error as unknown) : undefined,
    });
    this.dispatchEvent(forwarded);
    if (forwarded.defaultPrevented) event.preventDefault();
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

// ── the rungs ─────────────────────────────────────────────────────────────
// The Worker constructions are written out literally: bundlers (Vite, webpack 5) find
// `new Worker(new URL(…, import.meta.url))` and emit the worker bundle. The build emits it as a
// classic script (IIFE), which also runs as a module worker and as a page script.

function createModuleWorker(): WorkerEndpoint {
  return new Worker(new URL('../worker/vision.worker.ts', import.meta.url), { type: 'module' });
}

function createClassicWorker(): WorkerEndpoint {
  return new Worker(new URL('../worker/vision.worker.ts', import.meta.url));
}

/**
 * The URL the bundler gave the vision worker bundle. The bundler rewrites the URL inside the
 * `new Worker(…)` pattern below; this local `Worker` only records it, nothing is started.
 */
function visionBundleUrl(): string {
  let url = '';
  const Worker = class {
    constructor(scriptUrl: string | URL, _options?: WorkerOptions) {
      url = String(scriptUrl);
    }
  };
  new Worker(new URL('../worker/vision.worker.ts', import.meta.url), { type: 'module' });
  return url;
}

/** The page rung: the bundle as a page script, served on a MessagePort. */
function createPageEndpoint(): WorkerEndpoint {
  const channel = new MessageChannel();
  const port = channel.port2;
  const errors = new EventTarget();
  let started = false;
  const endpoint: WorkerEndpoint = Object.assign(errors, {
    postMessage: (message: unknown, transfer: Transferable[]) => port.postMessage(message, transfer),
    terminate: () => port.close(),
  });
  // Messages go through the port; errors (the script failing to load) through the target.
  const addListener = errors.addEventListener.bind(errors);
  const removeListener = errors.removeEventListener.bind(errors);
  endpoint.addEventListener = (type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean) => {
    if (type !== 'message' && type !== 'messageerror') return addListener(type, listener, options);
    if (!listener) return;
    port.addEventListener(type, listener, options);
    if (!started) port.start();
    started = true;
  };
  endpoint.removeEventListener = (type: string, listener: EventListenerOrEventListenerObject | null, options?: EventListenerOptions | boolean) => {
    if (type !== 'message' && type !== 'messageerror') return removeListener(type, listener, options);
    if (listener) port.removeEventListener(type, listener, options);
  };
  connectPageBundle(channel.port1).catch((error: unknown) => {
    errors.dispatchEvent(new ErrorEvent('error', { message: describe(error), cancelable: true }));
  });
  return endpoint;
}

type PageConnector = (port: MessagePort) => void;
let pageBundle: Promise<PageConnector> | null = null;

async function connectPageBundle(port: MessagePort): Promise<void> {
  pageBundle ??= loadPageBundle().catch((error: unknown) => {
    pageBundle = null;
    throw error;
  });
  (await pageBundle)(port);
}

async function loadPageBundle(): Promise<PageConnector> {
  const key = Symbol.for(PAGE_CONNECTOR_KEY);
  const scope = globalThis as unknown as Record<symbol, PageConnector | undefined>;
  if (!scope[key]) {
    const url = visionBundleUrl();
    // On the page, `location` is the page's: the bundle reads its own URL here (asset-cache.ts).
    (globalThis as unknown as Record<symbol, string>)[Symbol.for(VISION_BUNDLE_URL_KEY)] = url;
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      // A module script runs the IIFE build and, in development, the ES module source alike.
      script.type = 'module';
      script.src = url;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`the vision bundle ${url} did not load`));
      document.head.append(script);
    });
  }
  const connector = scope[key];
  if (!connector) throw new Error('the vision bundle did not register on the page');
  return connector;
}

const DEFAULT_FACTORIES: Record<WorkerRung, () => WorkerEndpoint> = {
  module: createModuleWorker,
  classic: createClassicWorker,
  'main-thread': createPageEndpoint,
};
