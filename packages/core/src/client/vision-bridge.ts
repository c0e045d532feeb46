import { releaseProxy, transfer, wrap, type Remote } from 'comlink';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FacekitError, isKitCode } from '../shared/errors.js';
import type {
  Capture,
  DetectedFace,
  DetectorModel,
  EncodeOptions,
  FrameAnalysis,
  KitCode,
  QualityThresholds,
  VisionApi,
  VisionInfo,
} from '../shared/types.js';
import type { IdPhotoSpec } from '../shared/id-photo-specs.js';
import type { IdPhotoOutput, IdPhotoRequest, PrintPaper, PrintSheetOutput } from '../shared/id-photo-types.js';
import type { LandmarkAnalysis } from '../shared/face-geometry.js';
import { createLadderWorker } from './worker-ladder.js';
import { schedulePrefetch } from './asset-prefetch.js';
import { onLoadProgress } from './load-progress.js';

export interface VisionBridgeOptions {
  /** Absolute URL of the folder with `wasm/` and `models/`. */
  assetsBase: string;
  /** The worker is shut down after this long without calls (default 30 s). */
  idleMs?: number;
  /** Longest wait for the worker's init() (default 30 s; model start has hung on iOS). */
  initTimeoutMs?: number;
  createWorker?: () => Worker;
  thresholds?: Partial<QualityThresholds>;
  preload?: DetectorModel[];
}

interface Job {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  /** Frees what the job owns (a frame to transfer) when it never reaches the worker. */
  discard: (() => void) | undefined;
  /** Set once the caller has been answered (an abort can answer before the worker does). */
  settled: boolean;
  cleanup: () => void;
}

/** One running worker. `failure` rejects when the worker dies, so that no call hangs on it. */
interface Session {
  worker: Worker;
  remote: Remote<VisionApi>;
  info: VisionInfo;
  failure: Promise<never>;
}

const DISPOSE_TIMEOUT_MS = 2000;

/**
 * The page's side of the vision worker. The worker starts on the first call and is shut down
 * after `idleMs` without calls (the models hold tens of MB); the next call starts it again.
 * Calls run one at a time in order; each takes an AbortSignal, and a call aborted while queued
 * never reaches the worker. Worker deaths and start failures become MODEL_LOAD (retryable), and
 * the next call starts a fresh worker.
 */
export class VisionBridge {
  readonly assetsBase: string;
  readonly idleMs: number;
  readonly initTimeoutMs: number;

  private readonly createWorker: () => Worker;
  private readonly thresholds: Partial<QualityThresholds> | undefined;
  private readonly preload: DetectorModel[] | undefined;
  private readonly queue: Job[] = [];
  private running = false;
  private session: Session | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private references = 0;

  private static readonly bridges = new Map<string, VisionBridge>();

  /** One bridge (hence one worker) per assets base, shared by every element of the page. */
  static shared(assetsBase: string): VisionBridge {
    const key = normaliseBase(assetsBase);
    let bridge = VisionBridge.bridges.get(key);
    if (!bridge) {
      bridge = new VisionBridge({ assetsBase: key });
      VisionBridge.bridges.set(key, bridge);
    }
    return bridge;
  }

  constructor(options: VisionBridgeOptions) {
    this.assetsBase = options.assetsBase;
    this.idleMs = options.idleMs ?? 30_000;
    this.initTimeoutMs = options.initTimeoutMs ?? 30_000;
    // Module worker, else classic worker, else the page (worker-ladder.ts).
    this.createWorker = options.createWorker ?? (() => createLadderWorker());
    this.thresholds = options.thresholds;
    this.preload = options.preload;
  }

  /** Whether a worker is running now. */
  get alive(): boolean {
    return this.session !== null;
  }

  /** Counts a user of a shared bridge; pair with release(). */
  acquire(): this {
    this.references++;
    return this;
  }

  /** When the last user lets go, the worker is shut down (after the current task, so a DOM move keeps it). */
  release(): void {
    this.references = Math.max(0, this.references - 1);
    if (this.references > 0) return;
    setTimeout(() => {
      if (this.references === 0 && this.session) void this.shutdown();
    }, 0);
  }

  /** Starts the worker and its models if needed. */
  ready(signal?: AbortSignal): Promise<VisionInfo> {
    return this.call(async (session) => session.info, signal);
  }

  /** Analyses a video frame. The bridge owns `frame` from here: it is transferred, or closed. */
  analyzeFrame(frame: ImageBitmap, timestampMs: number, signal?: AbortSignal): Promise<FrameAnalysis> {
    return this.call(
      (session) => session.remote.analyzeFrame(transfer(frame, [frame]), timestampMs),
      signal,
      () => frame.close(),
    );
  }

  /** Analyses a still photo. `image` is copied, so the caller keeps it. */
  analyzeImage(image: ImageBitmap, signal?: AbortSignal): Promise<FrameAnalysis> {
    return this.call((session) => session.remote.analyzeImage(image), signal);
  }

  /** Raw detection with one model; `image` is copied. */
  detect(image: ImageBitmap, model: DetectorModel, signal?: AbortSignal): Promise<DetectedFace[]> {
    return this.call((session) => session.remote.detect(image, model), signal);
  }

  /** Landmarks and geometry of a video frame. The bridge owns `frame` from here: it is transferred, or closed. */
  landmarks(frame: ImageBitmap, timestampMs: number, signal?: AbortSignal): Promise<LandmarkAnalysis> {
    return this.call(
      (session) => session.remote.landmarks(transfer(frame, [frame]), timestampMs),
      signal,
      () => frame.close(),
    );
  }

  /** Makes an ID photo on the device (see VisionApi.makeIdPhoto); `image` is copied, so the caller keeps it. */
  makeIdPhoto(image: ImageBitmap, request: IdPhotoRequest, signal?: AbortSignal): Promise<IdPhotoOutput> {
    return this.call((session) => session.remote.makeIdPhoto(image, request), signal);
  }

  /** A print sheet of an ID photo with cut marks. */
  makePrintSheet(photo: Blob, spec: IdPhotoSpec | string, paper: PrintPaper, signal?: AbortSignal): Promise<PrintSheetOutput> {
    return this.call((session) => session.remote.makePrintSheet(photo, spec, paper), signal);
  }

  encodeBest(options?: EncodeOptions, signal?: AbortSignal): Promise<Capture | null> {
    return this.call((session) => session.remote.encodeBest(options), signal);
  }

  resetSession(signal?: AbortSignal): Promise<void> {
    return this.call((session) => session.remote.resetSession(), signal);
  }

  blockedRequests(signal?: AbortSignal): Promise<string[]> {
    return this.call((session) => session.remote.blockedRequests(), signal);
  }

  /** Shuts the worker down once the calls queued before are done; a later call restarts it. */
  shutdown(signal?: AbortSignal): Promise<void> {
    return this.enqueue(() => this.stopSession(), signal);
  }

  /** Queues a call to the worker, starting it first when needed. */
  private call<T>(
    fn: (session: Session) => Promise<T>,
    signal: AbortSignal | undefined,
    discard?: () => void,
  ): Promise<T> {
    return this.enqueue(
      async () => {
        const session = await this.startSession();
        return Promise.race([fn(session), session.failure]);
      },
      signal,
      discard,
    );
  }

  private enqueue<T>(run: () => Promise<T>, signal: AbortSignal | undefined, discard?: () => void): Promise<T> {
    if (signal?.aborted) {
      discard?.();
      return Promise.reject(abortedError(signal.reason));
    }
    clearTimeout(this.idleTimer);
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.queue.indexOf(job);
        if (index >= 0) {
          // Still queued: it never reaches the worker.
          this.queue.splice(index, 1);
          job.discard?.();
        }
        // Running: the worker finishes it, but the caller need not wait.
        settle(job, () => reject(abortedError(signal?.reason)));
        if (index >= 0) this.scheduleIdle();
      };
      const job: Job = {
        run,
        resolve: (value) => resolve(value as T),
        reject,
        discard,
        settled: false,
        // Elements pass one signal for a whole session of frames: do not pile listeners on it.
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        await this.runJob(job);
      }
    } finally {
      this.running = false;
    }
    this.scheduleIdle();
  }

  private async runJob(job: Job): Promise<void> {
    try {
      const value = await job.run();
      settle(job, () => job.resolve(value));
    } catch (error) {
      job.discard?.();
      const failure = toFacekitError(error, 'INTERNAL');
      if (fatalErrors.has(failure)) {
        // The worker is gone or never started: fail the calls waiting on it too, so that a broken
        // set-up is reported once instead of being retried for every queued frame.
        await this.stopSession(true);
        for (const waiting of this.queue.splice(0)) {
          waiting.discard?.();
          settle(waiting, () => waiting.reject(failure));
        }
      }
      settle(job, () => job.reject(failure));
    }
  }

  private async startSession(): Promise<Session> {
    if (this.session) return this.session;

    let worker: Worker;
    try {
      worker = this.createWorker();
    } catch (cause) {
      // UNSUPPORTED (no WebAssembly) keeps its code and message; anything else is MODEL_LOAD.
      throw fatal(cause instanceof FacekitError ? cause : new FacekitError('MODEL_LOAD', 'The vision worker could not be created', { cause }));
    }
    const remote = wrap<VisionApi>(worker);
    let fail!: (error: FacekitError) => void;
    const failure = new Promise<never>((_, reject) => {
      fail = reject;
    });
    failure.catch(() => {}); // observed by whoever races it
    const onError = (event: Event): void => {
      // Handled here, as MODEL_LOAD; keep it from also surfacing as an uncaught page error.
      event.preventDefault();
      const message = event instanceof ErrorEvent && event.message ? event.message : 'The vision worker failed';
      fail(fatal(new FacekitError('MODEL_LOAD', message)));
      if (this.session?.worker === worker) void this.stopSession(true);
    };
    worker.addEventListener('error', onError);
    worker.addEventListener('messageerror', onError);

    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopWatchingDownload = (): void => {};
    const timeout = new Promise<never>((_, reject) => {
      const arm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          reject(new FacekitError('MODEL_LOAD', `The face model did not start in ${this.initTimeoutMs} ms`));
        }, this.initTimeoutMs);
      };
      arm();
      // A slow first download is not a hang: the wait restarts while bytes keep arriving.
      stopWatchingDownload = onLoadProgress(arm);
    });
    try {
      const info = await Promise.race([
        remote.init({ assetsBase: this.assetsBase, thresholds: this.thresholds, preload: this.preload }),
        failure,
        timeout,
      ]);
      this.session = { worker, remote, info, failure };
      return this.session;
    } catch (error) {
      remote[releaseProxy]();
      worker.terminate();
      // A worker that names its reason (say UNSUPPORTED) keeps it; anything else is MODEL_LOAD.
      throw fatal(toFacekitError(error, 'MODEL_LOAD'));
    } finally {
      stopWatchingDownload();
      clearTimeout(timer);
    }
  }

  /** Disposes the worker politely (bounded wait, as it may hang), unless it is already dead. */
  private async stopSession(dead = false): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    clearTimeout(this.idleTimer);
    if (!dead) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        session.remote.dispose().catch(() => {}),
        session.failure.catch(() => {}),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, DISPOSE_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
    }
    session.remote[releaseProxy]();
    session.worker.terminate();
  }

  private scheduleIdle(): void {
    clearTimeout(this.idleTimer);
    if (!this.session || this.running || this.queue.length > 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.session && !this.running && this.queue.length === 0) void this.shutdown();
    }, this.idleMs);
  }
}

/** Holds the page's shared bridge for the host's assets base while the host is connected. */
export class VisionController implements ReactiveController {
  private readonly host: ReactiveControllerHost & HTMLElement;
  private readonly getAssetsBase: () => string;
  private current: VisionBridge | null = null;
  private cancelPrefetch: (() => void) | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, getAssetsBase: () => string) {
    this.host = host;
    this.getAssetsBase = getAssetsBase;
    host.addController(this);
  }

  /** The shared bridge for the current assets base; follows a changed `assets-base`. */
  get bridge(): VisionBridge {
    const wanted = VisionBridge.shared(this.getAssetsBase());
    // Count a user only while connected, so that a late call after removal leaks no reference.
    if (this.current !== wanted && this.host.isConnected) {
      this.current?.release();
      this.current = wanted.acquire();
    }
    return wanted;
  }

  hostConnected(): void {
    void this.bridge;
    // Loads the wasm and model when the element shows or the page idles (asset-prefetch.ts).
    this.cancelPrefetch ??= schedulePrefetch(this.host, () => this.bridge.ready());
  }

  hostDisconnected(): void {
    this.cancelPrefetch?.();
    this.cancelPrefetch = null;
    this.current?.release();
    this.current = null;
  }
}

/** Errors after which the worker is not usable: the bridge drops it and fails what waits on it. */
const fatalErrors = new WeakSet<FacekitError>();

function fatal(error: FacekitError): FacekitError {
  fatalErrors.add(error);
  return error;
}

function settle(job: Job, answer: () => void): void {
  if (job.settled) return;
  job.settled = true;
  job.cleanup();
  answer();
}

function abortedError(reason: unknown): FacekitError {
  return new FacekitError('ABORTED', undefined, { cause: reason });
}

/**
 * Errors from the worker arrive through comlink as plain Errors (name, message, stack only). The
 * vision worker names them `FacekitError` with the code leading the message ("MODEL_LOAD: …");
 * a `code` property is honoured too. Anything else gets the fallback code.
 */
function toFacekitError(error: unknown, fallback: KitCode): FacekitError {
  if (error instanceof FacekitError) return error;
  const message = error instanceof Error && error.message ? error.message : undefined;
  const property = (error as { code?: unknown } | null)?.code;
  const prefix = message && (error as Error).name === 'FacekitError' ? /^([A-Z_]+):\s*/.exec(message) : null;
  const code = isKitCode(property) ? property : prefix && isKitCode(prefix[1]) ? prefix[1] : fallback;
  return new FacekitError(code, message, { cause: error });
}

function normaliseBase(assetsBase: string): string {
  const base = globalThis.document?.baseURI;
  const url = base ? new URL(assetsBase, base) : new URL(assetsBase);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}
