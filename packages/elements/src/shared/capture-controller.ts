import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import {
  EndpointClient,
  FacekitError,
  VisionController,
  currentEnvironment,
  planCapture,
  readImageFile,
  resolveAssetsBase,
  type CameraController,
  type Capture,
  type EncodeOptions,
  type FrameAnalysis,
  type Hint,
  type ImageSource,
  type LocalizeController,
  type Phase,
} from '@facekit/core';
import { emit, type FacekitErrorDetail } from '../events.js';
import { HintSmoother, cameraView, type CameraViewOptions } from './camera-view.js';
import { CAMERA_PHASES, FILE_FALLBACK_CODES, type CaptureSource } from './capture-source.js';
import { asFacekitError, localError } from './errors.js';
import { LoadProgressController } from './load-progress-controller.js';

/**
 * What the capture flow reads of its element: the endpoint settings, where photos come from (no
 * `source`: the camera only) and its own `start()` (the retry).
 */
export interface CaptureHost extends ReactiveControllerHost, HTMLElement {
  endpoint: string;
  /** Where the vision worker's wasm and models are served (default: next to the script). */
  assetsBase: string;
  ticket: string;
  ticketProvider?: () => Promise<string>;
  source?: CaptureSource;
  /** A photo picker of the host page, offered with the file chooser. */
  imageSource?: ImageSource | null;
  readonly renderRoot: HTMLElement | DocumentFragment;
  start(): Promise<void>;
  /** Uses a photo file (elements with a file path). */
  loadFile?(file: Blob): Promise<void>;
}

export interface CaptureControllerOptions {
  camera: CameraController;
  localize: LocalizeController;
  /** The element's text of a failure (its own wording, then the kit's). */
  messageOf: (error: FacekitError) => string;
  /** The element's frame loop, run once the camera is live (after open(), or after a tap). */
  guide: (run: AbortController) => Promise<void>;
  /** Sends the first load's download as `facekit-status` progress and keeps it for a bar. */
  loadProgress?: boolean;
  /**
   * Sends a queued upload again: back online, and by itself while queued (after
   * `resendDelaysMs`, while the page shows and the browser is online).
   */
  resend?: () => unknown;
  /** The waits before each automatic resend of a queued upload; the last one repeats. */
  resendDelaysMs?: readonly number[];
  /** Whether the element holds a photo (a disconnection in mid-flow then returns to `captured`). */
  hasCapture?: () => boolean;
  /** Called at every change of phase, before `facekit-status` is sent. */
  onPhase?: (phase: Phase) => void;
}

/**
 * A queued upload is tried again by itself after these waits (the last repeats), up to
 * MAX_AUTOMATIC_RESENDS times: the endpoint may come back while the browser never went offline
 * (a restart, a proxy, a network that dropped without telling), when no `online` event comes.
 */
const RESEND_DELAYS_MS: readonly number[] = [5_000, 10_000, 20_000, 40_000, 60_000];
const MAX_AUTOMATIC_RESENDS = 10;

/** Phases of work in flight that a disconnection ends. */
const BUSY_PHASES: ReadonlySet<Phase> = new Set<Phase>(['loading', 'starting-camera', 'guiding', 'processing', 'uploading']);

/**
 * The capture flow the elements share: the phases and their `facekit-status`, failures and their
 * `facekit-error`, the source ladder (camera, else the file chooser), the camera frame loop
 * through the vision worker with smoothed hints, photo files, retry, and the endpoint client.
 * Elements say what differs: how a frame is judged, what a good frame becomes, what they clear.
 */
export class CaptureController implements ReactiveController {
  readonly camera: CameraController;
  /** The vision worker of the element's `assets-base`. */
  readonly vision: VisionController;
  /** The first load's download (a bar while `loading`). */
  readonly loading: LoadProgressController;

  /** The current phase; setPhase() also tells the page. */
  get phase(): Phase {
    return this.shown.phase;
  }
  set phase(phase: Phase) {
    this.change('phase', phase);
    if (phase !== 'queued') this.endResends(phase);
  }
  /** The failure shown, or null. */
  get error(): FacekitErrorDetail | null {
    return this.shown.error;
  }
  set error(error: FacekitErrorDetail | null) {
    if (!error) this.shownFailure = null;
    this.change('error', error);
  }
  /** The hint shown while guiding. */
  get hint(): Hint | null {
    return this.shown.hint;
  }
  set hint(hint: Hint | null) {
    this.change('hint', hint);
  }
  /** Faces in the last analysed frame. */
  get faceCount(): number {
    return this.shown.faceCount;
  }
  set faceCount(count: number) {
    this.change('faceCount', count);
  }
  /** The file chooser is offered (source="file", or the camera failed with source="auto"). */
  get fileFallback(): boolean {
    return this.shown.fileFallback;
  }
  set fileFallback(offered: boolean) {
    this.change('fileFallback', offered);
  }
  /** A photo is being read or taken. */
  get busy(): boolean {
    return this.shown.busy;
  }
  set busy(busy: boolean) {
    this.change('busy', busy);
  }
  /** What "try again" does; null: start again. */
  retryAction: (() => Promise<unknown>) | null = null;
  /** Aborted by a new start, stop(), reset() and disconnection: the camera flow and the frame loop. */
  run: AbortController | null = null;
  /** Aborted by a new upload, reset() and disconnection: the upload in flight. */
  upload: AbortController | null = null;
  /** A photo is being taken from the camera; the frame loop waits. */
  capturing = false;

  private readonly host: CaptureHost;
  private readonly options: CaptureControllerOptions;
  /** The failure behind the error shown, to word it again in another language. */
  private shownFailure: FacekitError | null = null;
  /** What the element renders of the flow; a change re-renders it. */
  private readonly shown = {
    phase: 'idle' as Phase,
    error: null as FacekitErrorDetail | null,
    hint: null as Hint | null,
    faceCount: 0,
    fileFallback: false,
    busy: false,
  };
  private readonly smoother = new HintSmoother();
  private endpointClient: EndpointClient | null = null;
  private resendTimer: ReturnType<typeof setTimeout> | undefined;
  /** Automatic resends of the upload queued now (a new upload starts again from 0). */
  private automaticResends = 0;
  /** An automatic resend is under way: from its timer to its outcome, "try again" or a new phase. */
  private automaticAttempt = false;

  constructor(host: CaptureHost, options: CaptureControllerOptions) {
    this.host = host;
    this.options = options;
    this.camera = options.camera;
    this.vision = new VisionController(host, () => resolveAssetsBase(host.assetsBase));
    this.loading = new LoadProgressController(host, ({ loaded, total }) =>
      emit(host, 'facekit-status', { phase: 'loading', progress: total > 0 ? Math.min(loaded / total, 1) : 0 }),
    );
    host.addController(this);
  }

  hostConnected(): void {
    if (this.options.resend) window.addEventListener('online', this.onOnline);
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.resendTimer);
    this.resendTimer = undefined;
    // The camera controller releases the camera itself; end the flow and the upload here.
    this.endRun();
    this.upload?.abort();
    this.upload = null;
    if (BUSY_PHASES.has(this.phase)) this.phase = this.options.hasCapture?.() ? 'captured' : 'idle';
  }

  get source(): CaptureSource {
    return this.host.source ?? 'camera';
  }

  /**
   * The one endpoint client of the element, following its `endpoint`, ticket and language, so that
   * its upload queue and its network wording stay with the element.
   */
  get client(): EndpointClient {
    const { endpoint, ticket, ticketProvider } = this.host;
    const lang = this.options.localize.lang;
    const client = (this.endpointClient ??= new EndpointClient({ endpoint, lang }));
    client.endpoint = endpoint;
    client.ticket = ticket || undefined;
    client.ticketProvider = ticketProvider;
    client.lang = lang;
    return client;
  }

  // ── phases and failures ──────────────────────────────────────────────────
  setPhase(phase: Phase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.options.onPhase?.(phase);
    emit(this.host, 'facekit-status', { phase });
  }

  /**
   * Shows the failure and sends `facekit-error` (unless `announce` is false), without changing
   * the phase; null for an abort (nothing to say).
   */
  report(error: unknown, announce = true): FacekitErrorDetail | null {
    const failure = asFacekitError(error);
    if (failure.code === 'ABORTED') return null;
    const detail: FacekitErrorDetail = { code: failure.code, message: this.options.messageOf(failure), retryable: failure.retryable };
    this.error = detail;
    this.shownFailure = failure;
    if (announce) emit(this.host, 'facekit-error', detail);
    return detail;
  }

  /** Reports the error and moves to the 'error' phase. */
  fail(error: unknown): void {
    if (!this.report(error)) return;
    this.hint = null;
    this.setPhase('error');
  }

  /** Runs "try again": the failed step, or a new start. */
  retry(): Promise<unknown> {
    this.automaticAttempt = false;
    return (this.retryAction ?? (() => this.host.start()))();
  }

  /** The element's `source` changed: the file chooser follows `source="file"`. */
  sourceChanged(previous: CaptureSource | undefined): void {
    if (this.source === 'file') this.fileFallback = true;
    else if (previous === 'file' && !CAMERA_PHASES.has(this.phase)) this.fileFallback = false;
  }

  // ── runs and uploads ─────────────────────────────────────────────────────
  /** A new camera or file flow: the previous one ends. */
  beginRun(): AbortController {
    this.run?.abort();
    this.capturing = false;
    const run = new AbortController();
    this.run = run;
    return run;
  }

  endRun(): void {
    this.run?.abort();
    this.run = null;
    this.capturing = false;
  }

  /** A new upload: the previous one is abandoned. Pair with endUpload() in a `finally`. */
  beginUpload(): AbortController {
    this.upload?.abort();
    const upload = new AbortController();
    this.upload = upload;
    return upload;
  }

  endUpload(upload: AbortController): void {
    if (this.upload === upload) this.upload = null;
  }

  // ── submit()'s checks ────────────────────────────────────────────────────
  /**
   * What submit() may send: null while an upload is in flight (nothing said); otherwise `photo`
   * once there is one, the endpoint is set and the element's own `checks` pass (they throw a
   * localError). A failed check is reported and the phase stays: nothing was sent, null.
   */
  submittable<T>(photo: T | null, checks?: () => void): T | null {
    if (this.phase === 'uploading') return null;
    try {
      const held = this.requirePhoto(photo);
      this.requireEndpoint();
      checks?.();
      return held;
    } catch (error) {
      this.report(error);
      return null;
    }
  }

  /** The element's photo, or BAD_REQUEST `error.no-capture` (in the element's language) without one. */
  requirePhoto<T>(photo: T | null): T {
    if (!photo) throw localError('BAD_REQUEST', this.options.localize.t('error.no-capture'));
    return photo;
  }

  /** BAD_REQUEST `error.no-endpoint` (in the element's language) when the element has no endpoint. */
  requireEndpoint(): void {
    if (!this.host.endpoint) throw localError('BAD_REQUEST', this.options.localize.t('error.no-endpoint'));
  }

  /**
   * An upload failed: a network failure (when the upload is `queueable`: the client keeps it) is
   * reported and moves to `queued`, from where "try again", coming back online or the automatic
   * resends (RESEND_DELAYS_MS) send it again; anything else moves to `error`. True when queued.
   */
  failUpload(error: unknown, queueable = true): boolean {
    const failure = asFacekitError(error);
    if (failure.code !== 'NETWORK' || !queueable) {
      this.fail(failure);
      return false;
    }
    // An automatic resend that meets the same failure is told by `facekit-status` alone: the page
    // heard of it once, and would otherwise get an error for every wait.
    const automatic = this.automaticAttempt;
    this.automaticAttempt = false;
    this.report(failure, !automatic);
    this.setPhase('queued');
    this.planResend();
    return true;
  }

  // ── the camera flow ──────────────────────────────────────────────────────
  /**
   * Starts a new flow: `prepare` (default: the vision worker is ready) during `loading`, then the
   * file chooser (source="file", or no camera here) or the camera and, once it is live, the
   * element's frame loop. The camera is asked for at once, so its prompt and start-up overlap
   * `prepare`; its failure still shows after `loading`, in `starting-camera`. A failure is
   * reported; a camera waiting for a tap goes on after it.
   */
  async open(prepare: (signal: AbortSignal) => Promise<unknown> = (signal) => this.vision.bridge.ready(signal)): Promise<void> {
    const run = this.beginRun();
    this.error = null;
    this.retryAction = () => this.host.start();
    if (this.host.source) {
      // The capture ladder: camera, else the host's image source and the file chooser.
      const imageSource = this.host.imageSource ?? null;
      this.fileFallback = planCapture({ source: this.source, environment: currentEnvironment(), imageSource })[0] !== 'camera';
    }
    if (!this.fileFallback) this.camera.request();
    this.setPhase('loading');
    const stopProgress = this.options.loadProgress ? this.loading.track() : () => {};
    try {
      await prepare(run.signal);
    } catch (error) {
      if (!run.signal.aborted) {
        this.camera.stop();
        this.fail(error);
      }
      return;
    } finally {
      stopProgress();
    }
    if (run.signal.aborted) return;
    if (this.fileFallback) return this.offerFile();
    if (await this.openCamera(run)) await this.options.guide(run);
  }

  /** Opens the camera for `run`; true once it is live ('needs-tap' waits for resumeCamera()). */
  async openCamera(run: AbortController): Promise<boolean> {
    this.setPhase('starting-camera');
    await this.host.updateComplete; // the video is in the document before it plays
    try {
      await this.camera.start();
    } catch (error) {
      if (run.signal.aborted) return false;
      const failure = asFacekitError(error);
      if (this.source === 'auto' && FILE_FALLBACK_CODES.has(failure.code)) this.fileFallback = true;
      this.fail(failure);
      return false;
    }
    return !run.signal.aborted && this.camera.state === 'live';
  }

  /** The "tap to start" button: plays the camera within the gesture, then the frame loop goes on. */
  resumeCamera = async (): Promise<void> => {
    const run = this.run;
    if (!run) return;
    await this.camera.resume();
    if (!run.signal.aborted && this.camera.state === 'live') await this.options.guide(run);
  };

  /** Waiting for a photo file is this source's "guiding": the chooser gets the focus. */
  async offerFile(): Promise<void> {
    this.setPhase('guiding');
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('input[type="file"]')?.focus();
  }

  /**
   * Begins guiding: a fresh worker session (unless `resetWorker` is false: no worker to ask) and
   * hint; false when the run ended or the worker failed.
   */
  async beginGuiding(run: AbortController, resetWorker = true): Promise<boolean> {
    try {
      if (resetWorker) await this.vision.bridge.resetSession(run.signal);
    } catch (error) {
      if (!run.signal.aborted) this.fail(error);
      return false;
    }
    if (run.signal.aborted) return false;
    this.smoother.reset();
    this.hint = null;
    this.faceCount = 0;
    this.setPhase('guiding');
    return true;
  }

  /**
   * The frame loop of `run`: each camera frame goes to `onFrame` while guiding and no photo is
   * being taken. A failure of `onFrame` ends the run and is reported.
   */
  frames(run: AbortController, onFrame: (frame: ImageBitmap, timestampMs: number, signal: AbortSignal) => Promise<void>): void {
    const { signal } = run;
    this.camera.frames(async (timestampMs) => {
      if (this.capturing || this.phase !== 'guiding') return;
      const frame = await this.camera.grabFrame();
      if (!frame) return;
      if (signal.aborted) return frame.close();
      try {
        await onFrame(frame, timestampMs, signal);
      } catch (error) {
        if (signal.aborted) return;
        run.abort();
        this.camera.stop();
        this.fail(error);
      }
    }, signal);
  }

  /** The frame loop with the worker's analysis of each frame; `onAnalysis` runs unless a photo is being taken. */
  analyseFrames(run: AbortController, onAnalysis: (analysis: FrameAnalysis) => void | Promise<void>): void {
    const bridge = this.vision.bridge;
    this.frames(run, async (frame, timestampMs, signal) => {
      const analysis = await bridge.analyzeFrame(frame, timestampMs, signal);
      if (signal.aborted || this.capturing) return;
      await onAnalysis(analysis);
    });
  }

  /** Shows a frame's hint, smoothed; a new hint clears the error and is sent as `facekit-status`. */
  showHint(hint: Hint): void {
    const shown = this.smoother.push(hint);
    if (shown === this.hint) return;
    this.hint = shown;
    this.error = null;
    emit(this.host, 'facekit-status', shown ? { phase: 'guiding', hint: shown } : { phase: 'guiding' });
  }

  /**
   * Takes a photo from the camera: `take` makes it (null: none yet, keep guiding); then the camera
   * stops and `keep` takes it. At most one at a time, and only while guiding.
   */
  async snap<T>(take: (signal: AbortSignal) => Promise<T | null>, keep: (photo: T) => void | Promise<void>): Promise<void> {
    const run = this.run;
    if (!run || this.capturing || this.phase !== 'guiding') return;
    this.capturing = true;
    this.busy = true;
    try {
      const photo = await take(run.signal);
      if (run.signal.aborted || photo === null) return;
      run.abort();
      this.run = null;
      this.camera.stop();
      await keep(photo);
    } catch (error) {
      if (run.signal.aborted) return;
      run.abort();
      this.camera.stop();
      this.fail(error);
    } finally {
      this.busy = false;
      this.capturing = false;
    }
  }

  /**
   * The current camera frame as a capture when it holds exactly one face (for a photo taken by
   * hand before any frame passed); otherwise null, with the hint saying why.
   */
  async captureCurrentFrame(signal: AbortSignal, encode?: EncodeOptions): Promise<{ capture: Capture; analysis: FrameAnalysis } | null> {
    const frame = await this.camera.grabFrame();
    if (!frame) return null;
    const bridge = this.vision.bridge;
    let analysis: FrameAnalysis;
    try {
      await bridge.resetSession(signal);
      analysis = await bridge.analyzeImage(frame, signal);
    } finally {
      frame.close();
    }
    if (analysis.faces.length !== 1) {
      this.hint = analysis.faces.length === 0 ? 'no-face' : 'many-faces';
      return null;
    }
    const capture = await bridge.encodeBest(encode, signal);
    return capture ? { capture, analysis } : null;
  }

  // ── photo files ──────────────────────────────────────────────────────────
  /**
   * Uses a photo file: the camera stops, `loading` shows while `use` reads it; a failure is
   * reported (unless a newer flow began) and "try again" reads the file again.
   */
  async loadFile(retry: () => Promise<unknown>, use: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const run = this.beginRun();
    this.camera.stop();
    this.error = null;
    this.retryAction = retry;
    this.busy = true;
    this.setPhase('loading');
    try {
      await use(run.signal);
    } catch (error) {
      if (!run.signal.aborted) this.fail(error);
    } finally {
      if (this.run === run) this.busy = false;
    }
  }

  /** The file chooser's `change`: the chosen file is used, and the chooser cleared so that the same file fires again. */
  onFileChange = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.host.loadFile?.(file);
  };

  /** The host page's photo picker (e.g. the WeChat JS-SDK); a cancelled pick changes nothing. */
  pickImageSource = async (): Promise<void> => {
    const source = this.host.imageSource;
    if (!source) return;
    try {
      const photo = await source.pick();
      if (photo) await this.host.loadFile?.(photo);
    } catch (error) {
      this.report(error);
    }
  };

  /** Reads a photo file (EXIF-aware) and analyses it on the device; exactly one face, or NO_FACE / MANY_FACES. */
  async analyseFile(file: Blob, signal: AbortSignal): Promise<FrameAnalysis> {
    const bitmap = await readImageFile(file);
    let analysis: FrameAnalysis;
    try {
      if (signal.aborted) throw new FacekitError('ABORTED');
      const bridge = this.vision.bridge;
      await bridge.resetSession(signal);
      analysis = await bridge.analyzeImage(bitmap, signal);
    } finally {
      bitmap.close();
    }
    if (analysis.faces.length === 0) throw new FacekitError('NO_FACE');
    if (analysis.faces.length > 1) throw new FacekitError('MANY_FACES');
    return analysis;
  }

  // ── stop and reset ───────────────────────────────────────────────────────
  /** Releases the camera and ends the flow; from a camera or loading phase, back to `phase`. True if it went back. */
  stop(phase: Phase = 'idle'): boolean {
    this.endRun();
    this.camera.stop();
    if (!CAMERA_PHASES.has(this.phase) && this.phase !== 'loading') return false;
    this.hint = null;
    this.setPhase(phase);
    return true;
  }

  /** Ends the flow and the upload; no error, no retry; the file chooser as `source` says. The caller clears its own state, then setPhase('idle'). */
  reset(): void {
    this.endRun();
    this.upload?.abort();
    this.upload = null;
    this.camera.stop();
    this.error = null;
    this.hint = null;
    this.retryAction = null;
    this.fileFallback = this.source === 'file';
    const bridge = this.vision.bridge;
    if (bridge.alive) bridge.resetSession().catch(() => {});
  }

  // ── rendering ────────────────────────────────────────────────────────────
  /** The camera view is shown: the camera is (being) used, not the file chooser. */
  get cameraShown(): boolean {
    const state = this.camera.state;
    return !this.fileFallback && (CAMERA_PHASES.has(this.phase) || state === 'live' || state === 'needs-tap');
  }

  /** The camera view of the element's camera, with the "tap to start" button when playback waits for a gesture. */
  renderCamera(view: Omit<CameraViewOptions, 'video' | 'busy' | 'overlay'>, tapLabel: string): TemplateResult {
    const needsTap = this.camera.state === 'needs-tap';
    return cameraView({
      size: this.camera.size.width ? this.camera.size : null,
      ...view,
      video: this.camera.video,
      busy: this.phase === 'starting-camera' && !needsTap,
      overlay: needsTap ? html`<button part="button" type="button" @click=${this.resumeCamera}>${tapLabel}</button>` : nothing,
    });
  }

  /** The host page's photo picker as a button (its own label, else `fallbackLabel`), or nothing without one. */
  renderImageSourceButton(fallbackLabel: string, disabled: boolean, className = 'secondary'): TemplateResult | typeof nothing {
    const source = this.host.imageSource;
    if (!source) return nothing;
    return html`<button part="button" type="button" class=${className} ?disabled=${disabled} @click=${this.pickImageSource}>
      ${source.label?.[this.options.localize.lang] ?? fallbackLabel}
    </button>`;
  }

  /** The error box: the message and, for a retryable failure (and `offerRetry`), "try again". */
  renderError(retryLabel: string, offerRetry = true): TemplateResult | typeof nothing {
    const error = this.error;
    if (!error) return nothing;
    // Worded at render time, so that a failure on screen follows a change of `lang`.
    const message = this.shownFailure ? this.options.messageOf(this.shownFailure) : error.message;
    return html`
      <div part="error" class="error" role="alert">
        <p>${message}</p>
        ${error.retryable && offerRetry
          ? html`<button part="button" type="button" class="secondary" @click=${this.onRetryClick}>${retryLabel}</button>`
          : nothing}
      </div>
    `;
  }

  private onRetryClick = (): void => {
    void this.retry();
  };

  private change<K extends keyof CaptureController['shown']>(key: K, value: CaptureController['shown'][K]): void {
    if (this.shown[key] === value) return;
    this.shown[key] = value;
    this.host.requestUpdate();
  }

  private onOnline = (): void => {
    this.automaticAttempt = false;
    if (this.phase === 'queued') this.options.resend?.();
  };

  /** After a failed upload: one timer for the next automatic resend, while it stays queued. */
  private planResend(): void {
    if (this.phase !== 'queued' || this.resendTimer !== undefined || !this.options.resend || !this.host.isConnected) return;
    if (this.automaticResends >= MAX_AUTOMATIC_RESENDS) return;
    const delays = this.options.resendDelaysMs ?? RESEND_DELAYS_MS;
    this.resendTimer = setTimeout(this.onResendTimer, delays[Math.min(this.automaticResends, delays.length - 1)]);
  }

  /** Out of `queued`: no timer; the count starts again unless this is a resend under way. */
  private endResends(phase: Phase): void {
    clearTimeout(this.resendTimer);
    this.resendTimer = undefined;
    if (phase !== 'uploading') {
      this.automaticResends = 0;
      this.automaticAttempt = false;
    }
  }

  private onResendTimer = (): void => {
    this.resendTimer = undefined;
    if (this.phase !== 'queued') return;
    // Offline or out of sight: no attempt is spent; the `online` event or a later timer comes back.
    if (navigator.onLine === false || document.visibilityState === 'hidden') {
      this.planResend();
      return;
    }
    this.automaticResends++;
    this.automaticAttempt = true;
    this.options.resend?.();
  };
}
