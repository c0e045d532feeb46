import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  CameraController,
  EndpointClient,
  EndpointError,
  FacekitError,
  LocalizeController,
  MESSAGES,
  VisionController,
  blobToBase64,
  currentEnvironment,
  planCapture,
  hintKey,
  phaseKey,
  readImageFile,
  resolveAssetsBase,
  type Capture,
  type FrameAnalysis,
  type Hint,
  type ImageSource,
  type MessageKey,
  type MessageOverrides,
  type Phase,
} from '@facekit/core';
import {
  emit,
  type FaceEnrollResultDetail,
  type FacePerson,
  type FaceSearchResult,
  type FacekitErrorDetail,
} from '../events.js';
import { HintSmoother, cameraView, filePicker, hintRegion, toneForHint } from '../shared/camera-view.js';
import { LoadProgressController } from '../shared/load-progress-controller.js';
import { cameraViewStyles } from '../shared/camera-view.styles.js';
import { maskIdNumber, randomId } from '../shared/mask.js';
import { RESUMABLE_OPS, resendKept, toRatio } from './resume.js';
import { baseStyles, tokens } from '../shared/tokens.styles.js';
import { EMPTY_FIELDS, birthdayToNumber, buildEnrollBody, todayIso, type EnrollFields } from './enroll-form.js';
import { faceEnrollStyles } from './face-enroll.styles.js';
import { CAMERA_PHASES, FILE_FALLBACK_CODES, type CaptureSource } from '../shared/capture-source.js';

export type FaceEnrollMode = 'enroll' | 'search' | 'verify';
export type { CaptureSource } from '../shared/capture-source.js';


/** Errors whose message the element wrote itself, in the element's language. */
const localized = new WeakSet<FacekitError>();
/** The endpoint client's own wordings of a NETWORK failure. */
const NETWORK_MESSAGE_KEYS: readonly MessageKey[] = ['error.network', 'error.timeout', 'error.network-kept-in-memory'];

/**
 * Face capture with on-device guidance, then enrolment, 1:N search or 1:1 verification through
 * the site's signing endpoint.
 *
 * The element opens the front camera, analyses each frame in a Web Worker and guides the user
 * with a live hint and an oval that turns green when the face is well placed; once the quality
 * holds for a few frames it takes the photo by itself (a manual "take photo" button is offered
 * too). When the camera cannot be used, or with `source="file"`, the user chooses or takes a photo
 * file instead. `submit()` then sends the photo:
 * - `mode="enroll"`: `face.enroll` with the person fields of the form, then `face.get` to show the
 *   person ID and the enrolled photo;
 * - `mode="search"`: `face.search` in `group-id`; the best match, or "no match" (not an error);
 * - `mode="verify"`: `face.compare` with the `reference` photo.
 *
 * @summary Face capture with live guidance, then enrol / search / verify through the endpoint.
 *
 * @event {CustomEvent<FacekitStatusDetail>} facekit-status - `{ phase, hint?, progress? }`: at each phase (idle, loading, starting-camera, guiding, captured, uploading, queued, done, error), while guiding whenever the hint changes, and while loading with the download's `progress` (0…1) on a first load.
 * @event {CustomEvent<FaceEnrollResultDetail>} facekit-result - `{ mode: 'enroll', personId, faceId?, imageUrl? }`, `{ mode: 'search', matched, personId?, similarity?, person? }` or `{ mode: 'verify', samePerson, similarity }`.
 * @event {CustomEvent<FacekitErrorDetail>} facekit-error - `{ code, message, retryable }` for every failure; `message` is in the element's language.
 *
 * @slot - A header or introduction shown above the camera.
 * @slot result - Replaces the built-in result view (listen to `facekit-result` to fill it).
 *
 * @csspart camera - The camera view (video, shade and oval).
 * @csspart video - The live `<video>`.
 * @csspart guide - The SVG overlay with the oval guide.
 * @csspart hint - The live region with the current hint or status.
 * @csspart preview - The captured photo.
 * @csspart form - The person form (enroll mode).
 * @csspart actions - The row of action buttons.
 * @csspart button - Every button.
 * @csspart result - The result panel.
 * @csspart error - The error message box.
 * @csspart file-input - The `<input type="file">` (visually hidden; its label is styled as a button).
 *
 * @cssproperty --facekit-font-family - Font stack.
 * @cssproperty --facekit-font-size - Base font size (default 1rem).
 * @cssproperty --facekit-color-fg - Text colour.
 * @cssproperty --facekit-color-muted - Secondary text colour.
 * @cssproperty --facekit-color-bg - Background colour.
 * @cssproperty --facekit-color-surface - Background of panels (hint, result, placeholders).
 * @cssproperty --facekit-color-border - Borders of panels and the placeholder.
 * @cssproperty --facekit-color-field-border - Borders of text fields and selects (3:1 on the background).
 * @cssproperty --facekit-color-accent - Buttons and focus ring.
 * @cssproperty --facekit-color-accent-fg - Text on accent buttons.
 * @cssproperty --facekit-color-good - Oval and text when the face is well placed; positive results.
 * @cssproperty --facekit-color-warn - Oval and hint when the face needs a correction.
 * @cssproperty --facekit-color-error - Errors and negative results.
 * @cssproperty --facekit-guide-dim - Shade outside the oval.
 * @cssproperty --facekit-guide-idle - Oval colour while no face is found.
 * @cssproperty --facekit-radius - Corner radius.
 * @cssproperty --facekit-gap - Spacing between blocks.
 * @cssproperty --facekit-max-width - Largest width of the element (default 480px).
 * @cssproperty --facekit-duration - Transition length (0 with prefers-reduced-motion).
 */
export class FaceEnroll extends LitElement {
  static override styles = [tokens, baseStyles, cameraViewStyles, faceEnrollStyles];

  // ── controllers ──────────────────────────────────────────────────────────
  private readonly localize = new LocalizeController(this);
  private readonly camera = new CameraController(this, { facingMode: 'user', width: 640, height: 480 });
  private readonly vision = new VisionController(this, () => resolveAssetsBase(this.assetsBase));
  /** The first load's download, shown as a bar and sent as `facekit-status` progress. */
  private readonly loading = new LoadProgressController(this, ({ loaded, total }) =>
    emit(this, 'facekit-status', { phase: 'loading', progress: total > 0 ? Math.min(loaded / total, 1) : 0 }),
  );

  // ── queries ──────────────────────────────────────────────────────────────
  @query('input[type="file"]') private fileInput?: HTMLInputElement | null;
  @query('.result') private resultPanel?: HTMLElement | null;

  // ── private state ────────────────────────────────────────────────────────
  @state() private phase: Phase = 'idle';
  @state() private hint: Hint | null = null;
  @state() private faceCount = 0;
  @state() private _capture: Capture | null = null;
  @state() private previewUrl = '';
  @state() private result: FaceEnrollResultDetail | null = null;
  @state() private error: FacekitErrorDetail | null = null;
  /** The file chooser is offered (source="file", or the camera failed with source="auto"). */
  @state() private fileFallback = false;
  @state() private busy = false;
  @state() private fields: EnrollFields = { ...EMPTY_FIELDS };
  @state() private idRevealed = false;
  @state() private idEditing = false;
  /** IndexedDB failed: captures taken offline live only as long as the page. */
  @state() private storageWarning = false;

  /** Aborted by start(), stop(), reset() and disconnection: the camera flow and the frame loop. */
  private run: AbortController | null = null;
  /** Aborted by reset() and disconnection: the upload in flight. */
  private upload: AbortController | null = null;
  /** Idempotency key of the current capture, so a retried upload is recognised by the endpoint. */
  private captureKey = '';
  private capturing = false;
  private retryAction: (() => Promise<unknown>) | null = null;
  /** The focus was on a button of the row that the next render moves. */
  private refocusActions = false;
  /** Captures kept by an earlier page are being sent (resumeKept). */
  private resuming = false;
  private readonly smoother = new HintSmoother();
  private readonly uid = randomId().slice(0, 8);

  // ── properties ───────────────────────────────────────────────────────────
  /** Base URL of the signing endpoint (`POST <endpoint>/v1/ops/<op>`). */
  @property({ attribute: 'endpoint' }) endpoint = '';

  /** A ticket minted by the site's backend. Prefer `ticketProvider` when tickets are single-use. */
  @property({ attribute: 'ticket' }) ticket = '';

  /** Called for a fresh ticket before each endpoint call; wins over `ticket`. Property only. */
  @property({ attribute: false }) ticketProvider?: () => Promise<string>;

  /** Language of the text: `zh-CN` (default) or `en`. Unset, the closest `lang` ancestor decides. */
  @property({ attribute: 'lang', reflect: true }) override lang!: string;

  /** Where the wasm and models are served (default: `assets/` next to the script). */
  @property({ attribute: 'assets-base' }) assetsBase = '';

  /** Where the photo comes from: `camera`, `file`, or `auto` (camera, file chooser if it fails). */
  @property({ attribute: 'source', reflect: true }) source: CaptureSource = 'auto';

  /** Send the capture as soon as it passes the quality gate. */
  @property({ attribute: 'auto-submit', type: Boolean, reflect: true }) autoSubmit = false;

  /** What `submit()` does: `enroll` (default), `search` (1:N) or `verify` (1:1 with `reference`). */
  @property({ attribute: 'mode', reflect: true }) mode: FaceEnrollMode = 'enroll';

  /** The person group for enroll and search. */
  @property({ attribute: 'group-id', reflect: true }) groupId = '';

  /**
   * Reference photo for verify mode: a `data:` URL, or a URL served by the endpoint's origin (the
   * element requests nothing but its assets and its endpoint). See also `referenceImage`.
   */
  @property({ attribute: 'reference' }) reference = '';

  /** Reference photo for verify mode as a Blob or base64 text; wins over `reference`. Property only. */
  @property({ attribute: false }) referenceImage: Blob | string | null = null;

  /**
   * A photo picker of the host page, offered with the file chooser when the camera cannot be used,
   * e.g. `createWeChatImageSource(window.wx)` from `@facekit/core`. Property only.
   */
  @property({ attribute: false }) imageSource: ImageSource | null = null;

  /** When to download the face model before `start()`: `auto` (visible or idle), `visible`, `idle` or `none`. */
  @property({ attribute: 'prefetch' }) prefetch: 'auto' | 'visible' | 'idle' | 'none' = 'auto';

  /**
   * Text overrides, in any language: by message key (`{ 'action.submit': 'Register' }`) or, for the
   * message of a kit code, as `code.<CODE>` (`{ 'code.NO_FACE': '…' }`). Property only.
   */
  @property({ attribute: false }) messages?: MessageOverrides;

  // ── public API ───────────────────────────────────────────────────────────
  /** The current capture (JPEG and face box), or null. */
  get capture(): Capture | null {
    return this._capture;
  }

  /** The current phase. */
  get currentPhase(): Phase {
    return this.phase;
  }

  /**
   * Opens the source and guides the user: loads the face model, opens the camera and analyses
   * the frames until a good photo is taken. With `source="file"` (or when the camera cannot be
   * used with `source="auto"`) it offers the file chooser instead.
   */
  async start(): Promise<void> {
    const run = this.beginRun();
    this.clearCapture();
    this.result = null;
    this.error = null;
    this.retryAction = () => this.start();
    // The capture ladder: camera, else the host's image source and the file chooser.
    const firstRung = planCapture({ source: this.source, environment: currentEnvironment(), imageSource: this.imageSource })[0];
    this.fileFallback = firstRung !== 'camera';

    this.setPhase('loading');
    const stopProgress = this.loading.track();
    try {
      await this.vision.bridge.ready(run.signal);
    } catch (error) {
      if (!run.signal.aborted) this.fail(error);
      return;
    } finally {
      stopProgress();
    }
    if (run.signal.aborted) return;

    if (this.fileFallback) {
      // Waiting for a photo is this source's "guiding".
      this.setPhase('guiding');
      await this.updateComplete;
      this.fileInput?.focus();
      return;
    }

    this.setPhase('starting-camera');
    await this.updateComplete; // the video is in the document before it plays
    try {
      await this.camera.start();
    } catch (error) {
      if (run.signal.aborted) return;
      const failure = asFacekitError(error);
      if (this.source === 'auto' && FILE_FALLBACK_CODES.has(failure.code)) this.fileFallback = true;
      this.fail(failure);
      return;
    }
    if (run.signal.aborted) return;
    // 'needs-tap': the tap button calls onTapToStart(), which goes on from here.
    if (this.camera.state === 'live') await this.guide(run);
  }

  /**
   * Sends the current capture. Resolves with the result (also sent as `facekit-result`), or null
   * after a failure (sent as `facekit-error`). A network failure keeps the capture queued.
   */
  async submit(): Promise<FaceEnrollResultDetail | null> {
    if (this.phase === 'uploading') return null;
    const capture = this._capture;
    try {
      if (!capture) throw localError('BAD_REQUEST', this.t('error.no-capture'));
      if (!this.endpoint) throw localError('BAD_REQUEST', this.t('error.no-endpoint'));
      if (this.mode !== 'verify' && !this.groupId) throw localError('BAD_REQUEST', this.t('error.no-group'));
      if (this.mode === 'enroll' && this.birthdayInFuture) {
        throw localError('BAD_REQUEST', this.t('error.birthday-future'));
      }
    } catch (error) {
      // Nothing was sent: say why, stay in the current phase.
      this.report(error);
      return null;
    }

    this.upload?.abort();
    const upload = (this.upload = new AbortController());
    const { signal } = upload;
    this.retryAction = () => this.submit();
    this.error = null;
    this.result = null;
    this.setPhase('uploading');

    try {
      const client = new EndpointClient({
        endpoint: this.endpoint,
        ticket: this.ticket || undefined,
        ticketProvider: this.ticketProvider,
        lang: this.localize.lang,
      });
      const image = await blobToBase64(capture!.blob);
      const options = { signal, idempotencyKey: `${this.captureKey}:${this.mode}` };
      let result: FaceEnrollResultDetail;
      if (this.mode === 'search') {
        result = await this.search(client, image, options);
      } else if (this.mode === 'verify') {
        const reference = await this.referenceBase64(signal);
        const answer = await client.submit<{ samePerson: boolean; similarity: number }>(
          'face.compare',
          { imageA: image, imageB: reference },
          options,
        );
        result = {
          mode: 'verify',
          samePerson: !!answer.data?.samePerson,
          similarity: toRatio(answer.data?.similarity),
        };
      } else {
        result = await this.enroll(client, image, options);
      }
      if (signal.aborted) return null;
      // IndexedDB failed (or is missing): say that offline captures would not survive the page.
      if (client.degraded) this.storageWarning = true;
      this.result = result;
      this.setPhase('done');
      emit(this, 'facekit-result', result);
      return result;
    } catch (error) {
      if (signal.aborted) return null;
      const failure = asFacekitError(error);
      if (failure.code === 'NETWORK') {
        // Kept in the queue; "try again" resends it with the same idempotency key.
        this.report(failure);
        this.setPhase('queued');
      } else {
        this.fail(failure);
      }
      return null;
    } finally {
      if (this.upload === upload) this.upload = null;
    }
  }

  /** Releases the camera and ends the frame loop. A capture, a result or an upload in flight stay. */
  stop(): void {
    this.run?.abort();
    this.run = null;
    this.camera.stop();
    if (CAMERA_PHASES.has(this.phase) || this.phase === 'loading') {
      this.hint = null;
      this.setPhase('idle');
    }
  }

  /** Back to idle: stops everything and clears the capture, the result, the error and the form. */
  reset(): void {
    this.run?.abort();
    this.run = null;
    this.upload?.abort();
    this.upload = null;
    this.camera.stop();
    this.clearCapture();
    this.result = null;
    this.error = null;
    this.retryAction = null;
    this.fields = { ...EMPTY_FIELDS };
    this.idRevealed = false;
    this.fileFallback = this.source === 'file';
    const bridge = this.vision.bridge;
    if (bridge.alive) bridge.resetSession().catch(() => {});
    this.setPhase('idle');
  }

  /**
   * Uses a photo file (or any image Blob, e.g. from a WeChat JS-SDK adapter) as the capture: it is
   * read (EXIF-aware), checked for exactly one face on the device, and cropped around it.
   */
  async loadFile(file: Blob): Promise<void> {
    const run = this.beginRun();
    this.camera.stop();
    this.clearCapture();
    this.result = null;
    this.error = null;
    this.retryAction = () => this.loadFile(file);
    this.busy = true;
    this.setPhase('loading');
    try {
      const bitmap = await readImageFile(file);
      let analysis: FrameAnalysis;
      try {
        if (run.signal.aborted) return;
        const bridge = this.vision.bridge;
        await bridge.resetSession(run.signal);
        analysis = await bridge.analyzeImage(bitmap, run.signal);
      } finally {
        bitmap.close();
      }
      if (analysis.faces.length === 0) throw new FacekitError('NO_FACE');
      if (analysis.faces.length > 1) throw new FacekitError('MANY_FACES');
      const capture = await this.vision.bridge.encodeBest(undefined, run.signal);
      if (!capture) throw new FacekitError('LOW_QUALITY');
      if (run.signal.aborted) return;
      this.setCapture(capture);
    } catch (error) {
      if (!run.signal.aborted) this.fail(error);
    } finally {
      if (this.run === run) this.busy = false;
    }
  }

  // ── handlers ─────────────────────────────────────────────────────────────
  private onStartClick = (): void => {
    void this.start();
  };

  private onStopClick = (): void => {
    this.stop();
  };

  private onSubmitClick = (): void => {
    void this.submit();
  };

  private onFormSubmit = (event: Event): void => {
    event.preventDefault();
    if (this._capture) void this.submit();
  };

  private onRetryClick = (): void => {
    const action = this.retryAction ?? (() => this.start());
    void action();
  };

  private onRetakeClick = (): void => {
    this.clearCapture();
    this.result = null;
    this.error = null;
    if (this.fileFallback) {
      this.setPhase('guiding');
      void this.updateComplete.then(() => this.fileInput?.focus());
    } else {
      void this.start();
    }
  };

  private onAgainClick = (): void => {
    this.reset();
    if (this.source !== 'file') void this.start();
  };

  private onCaptureClick = (): void => {
    void this.takePhoto('manual');
  };

  private onTapToStart = async (): Promise<void> => {
    const run = this.run;
    if (!run) return;
    await this.camera.resume();
    if (!run.signal.aborted && this.camera.state === 'live') await this.guide(run);
  };

  /** The host's image source (e.g. the WeChat JS-SDK); a cancelled pick changes nothing. */
  private onPickImageSource = async (): Promise<void> => {
    const source = this.imageSource;
    if (!source) return;
    try {
      const photo = await source.pick();
      if (photo) await this.loadFile(photo);
    } catch (error) {
      this.report(error);
    }
  };

  private onFileChange = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // The chooser is disabled while the photo is read, then replaced by the preview: keep the focus near.
    // (Some browsers have already moved the focus to the body when `change` fires.)
    const active = this.shadowRoot?.activeElement;
    if (file && (!active || active === input)) this.refocusActions = true;
    // Cleared so that choosing the same file again still fires `change`.
    input.value = '';
    if (file) void this.loadFile(file);
  };

  private onFieldInput = (event: Event): void => {
    const target = event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    const name = target.name as keyof EnrollFields;
    if (!(name in EMPTY_FIELDS)) return;
    // The ID field shows a masked text while not edited; only real edits reach the model.
    if (name === 'idIccid' && !this.idEditing && !this.idRevealed && target.value === maskIdNumber(this.fields.idIccid)) {
      return;
    }
    this.fields = { ...this.fields, [name]: target.value };
  };

  /** Back online: a queued capture is sent again (same idempotency key). */
  private onOnline = (): void => {
    if (this.phase === 'queued') void (this._capture ? this.submit() : this.resumeKept());
  };

  /**
   * Sends the captures that an earlier page kept in the upload queue (it went offline, or was
   * closed, during the upload) with their own idempotency keys, so that the endpoint runs each
   * one once, and shows their result. Runs once the endpoint is set and when back online.
   */
  private async resumeKept(): Promise<void> {
    if (this.resuming || !this.endpoint || this._capture || (this.phase !== 'idle' && this.phase !== 'queued')) return;
    this.resuming = true;
    try {
      const client = new EndpointClient({
        endpoint: this.endpoint,
        ticket: this.ticket || undefined,
        ticketProvider: this.ticketProvider,
        lang: this.localize.lang,
      });
      const kept = (await client.pending()).filter((item) => RESUMABLE_OPS.has(item.op) && !client.isSending(item.id));
      if (kept.length === 0 || (this.phase !== 'idle' && this.phase !== 'queued')) return;
      // Offline: say that it waits; the `online` event comes back here.
      if (!navigator.onLine) return this.setPhase('queued');
      for (const item of kept) {
        const upload = (this.upload = new AbortController());
        this.error = null;
        this.setPhase('uploading');
        try {
          const result = await resendKept(client, item, upload.signal);
          if (!result || upload.signal.aborted) continue;
          this.result = result;
          this.setPhase('done');
          emit(this, 'facekit-result', result);
        } catch (error) {
          if (upload.signal.aborted) return;
          const failure = asFacekitError(error);
          if (failure.code !== 'NETWORK') {
            this.fail(failure);
            continue;
          }
          this.report(failure);
          return this.setPhase('queued');
        } finally {
          if (this.upload === upload) this.upload = null;
        }
      }
    } catch (error) {
      // The queue itself failed (storage): nothing can be resumed; say so without blocking the element.
      this.report(error);
    } finally {
      this.resuming = false;
    }
  }

  private onIdFocus = (): void => {
    this.idEditing = true;
  };

  private onIdBlur = (): void => {
    this.idEditing = false;
  };

  private onToggleId = (): void => {
    this.idRevealed = !this.idRevealed;
  };

  // ── flow ─────────────────────────────────────────────────────────────────
  private t(key: MessageKey, params?: Record<string, string | number>): string {
    return this.localize.t(key, params);
  }

  private beginRun(): AbortController {
    this.run?.abort();
    this.capturing = false;
    const run = new AbortController();
    this.run = run;
    return run;
  }

  /** Runs the frame loop: each frame is analysed in the worker; a ready frame is captured. */
  private async guide(run: AbortController): Promise<void> {
    try {
      await this.vision.bridge.resetSession(run.signal);
    } catch (error) {
      if (!run.signal.aborted) this.fail(error);
      return;
    }
    if (run.signal.aborted) return;
    this.smoother.reset();
    this.hint = null;
    this.faceCount = 0;
    this.setPhase('guiding');

    const bridge = this.vision.bridge;
    this.camera.frames(async (timestampMs) => {
      if (this.capturing) return;
      const frame = await this.camera.grabFrame();
      if (!frame) return;
      if (run.signal.aborted) {
        frame.close();
        return;
      }
      let analysis: FrameAnalysis;
      try {
        analysis = await bridge.analyzeFrame(frame, timestampMs, run.signal);
      } catch (error) {
        if (run.signal.aborted) return;
        run.abort();
        this.camera.stop();
        this.fail(error);
        return;
      }
      if (run.signal.aborted || this.capturing) return;
      this.onAnalysis(analysis);
    }, run.signal);
  }

  private onAnalysis(analysis: FrameAnalysis): void {
    this.faceCount = analysis.faces.length;
    const shown = this.smoother.push(analysis.hint);
    if (shown !== this.hint) {
      this.hint = shown;
      this.error = null;
      emit(this, 'facekit-status', shown ? { phase: 'guiding', hint: shown } : { phase: 'guiding' });
    }
    if (analysis.ready) void this.takePhoto('auto');
  }

  /** Takes the photo: the best frame of the session, or (manual, none passed yet) the current frame. */
  private async takePhoto(trigger: 'auto' | 'manual'): Promise<void> {
    const run = this.run;
    if (!run || this.capturing || this.phase !== 'guiding') return;
    this.capturing = true;
    this.busy = true;
    const bridge = this.vision.bridge;
    try {
      let capture = await bridge.encodeBest(undefined, run.signal);
      if (!capture && trigger === 'manual') {
        const frame = await this.camera.grabFrame();
        if (frame) {
          let analysis: FrameAnalysis;
          try {
            await bridge.resetSession(run.signal);
            analysis = await bridge.analyzeImage(frame, run.signal);
          } finally {
            frame.close();
          }
          if (analysis.faces.length === 1) capture = await bridge.encodeBest(undefined, run.signal);
          else this.hint = analysis.faces.length === 0 ? 'no-face' : 'many-faces';
        }
      }
      if (run.signal.aborted) return;
      if (!capture) {
        // Keep guiding; the loop goes on.
        if (trigger === 'manual') this.report(new FacekitError(this.hint === 'many-faces' ? 'MANY_FACES' : 'NO_FACE'));
        return;
      }
      run.abort();
      this.run = null;
      this.camera.stop();
      this.setCapture(capture);
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

  private setCapture(capture: Capture): void {
    this.clearCapture();
    this._capture = capture;
    this.previewUrl = URL.createObjectURL(capture.blob);
    this.captureKey = randomId();
    this.hint = null;
    this.error = null;
    this.retryAction = null;
    this.setPhase('captured');
    if (this.autoSubmit) void this.submit();
  }

  private clearCapture(): void {
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = '';
    this._capture = null;
    this.captureKey = '';
  }

  private async enroll(
    client: EndpointClient,
    image: string,
    options: { signal: AbortSignal; idempotencyKey: string },
  ): Promise<FaceEnrollResultDetail> {
    const body = buildEnrollBody(this.groupId, image, this.fields);
    const answer = await client.submit<{ personId: string; imageUrl?: string }>(
      'face.enroll',
      body as unknown as Record<string, unknown>,
      options,
    );
    const personId = String(answer.data?.personId ?? '');
    const result: FaceEnrollResultDetail = { mode: 'enroll', personId };
    if (answer.data?.imageUrl) result.imageUrl = answer.data.imageUrl;
    try {
      const record = await client.call<{ personId: string; faceId?: string; imageUrl?: string }>(
        'face.get',
        { groupId: this.groupId, userId: personId },
        { signal: options.signal },
      );
      if (record.data?.faceId !== undefined) result.faceId = String(record.data.faceId);
      if (record.data?.imageUrl) result.imageUrl = record.data.imageUrl;
    } catch (error) {
      // The person is enrolled; only the confirmation photo is missing. Say so, keep the result.
      if (!options.signal.aborted) this.report(asFacekitError(error));
    }
    return result;
  }

  private async search(
    client: EndpointClient,
    image: string,
    options: { signal: AbortSignal; idempotencyKey: string },
  ): Promise<FaceSearchResult> {
    try {
      const answer = await client.submit<{ personId?: string; similarity?: number | string; person?: FacePerson }>(
        'face.search',
        { groupId: this.groupId, image },
        options,
      );
      if (answer.code === 'NO_MATCH' || !answer.data?.personId) return { mode: 'search', matched: false };
      const result: FaceSearchResult = {
        mode: 'search',
        matched: true,
        personId: String(answer.data.personId),
        similarity: toRatio(answer.data.similarity),
      };
      if (answer.data.person) result.person = answer.data.person;
      return result;
    } catch (error) {
      if (error instanceof FacekitError && error.code === 'NO_MATCH') return { mode: 'search', matched: false };
      throw error;
    }
  }

  /** The reference photo as base64, from `referenceImage` or `reference` (data: URL or the endpoint's origin). */
  private async referenceBase64(signal: AbortSignal): Promise<string> {
    const image = this.referenceImage;
    if (image instanceof Blob) return blobToBase64(image);
    if (typeof image === 'string' && image.trim()) return stripDataUrl(image.trim());
    const reference = this.reference.trim();
    if (!reference) throw localError('BAD_REQUEST', this.t('error.no-reference'));
    if (/^data:/i.test(reference)) {
      if (!/^data:image\//i.test(reference)) throw localError('BAD_REQUEST', this.t('error.reference-type'));
      return stripDataUrl(reference);
    }
    const url = new URL(reference, document.baseURI);
    const endpoint = new URL(this.endpoint, document.baseURI);
    if (url.origin !== endpoint.origin || !/^https?:$/.test(url.protocol)) {
      throw localError('BAD_REQUEST', this.t('error.reference-origin'));
    }
    let response: Response;
    try {
      response = await fetch(url, { signal, credentials: 'same-origin', cache: 'no-store' });
    } catch (cause) {
      if (signal.aborted) throw new FacekitError('ABORTED');
      throw new FacekitError('NETWORK', this.localize.error('NETWORK'), { cause });
    }
    if (!response.ok) throw localError(response.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', this.t('error.no-reference'));
    const blob = await response.blob();
    if (blob.type && !blob.type.startsWith('image/')) throw localError('BAD_REQUEST', this.t('error.reference-type'));
    return blobToBase64(blob);
  }

  private get birthdayInFuture(): boolean {
    const birthday = birthdayToNumber(this.fields.birthday);
    return birthday !== undefined && birthday > Number(todayIso().replace(/-/g, ''));
  }

  private setPhase(phase: Phase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    emit(this, 'facekit-status', { phase });
  }

  /** Sends `facekit-error` without changing the phase. */
  private report(error: unknown): FacekitErrorDetail | null {
    const failure = asFacekitError(error);
    if (failure.code === 'ABORTED') return null;
    const detail: FacekitErrorDetail = {
      code: failure.code,
      message: this.messageOf(failure),
      retryable: failure.retryable,
    };
    this.error = detail;
    emit(this, 'facekit-error', detail);
    return detail;
  }

  /** Reports the error and moves to the 'error' phase. */
  private fail(error: unknown): void {
    if (!this.report(error)) return;
    this.hint = null;
    this.setPhase('error');
  }

  /** The message to show: the element's own text, the endpoint's (localised) text, or the kit's. */
  private messageOf(error: FacekitError): string {
    if (localized.has(error)) return error.message;
    // Errors that name their own message (e.g. UNSUPPORTED without WebAssembly: 'error.no-wasm').
    const messageKey = (error as FacekitError & { messageKey?: MessageKey }).messageKey;
    if (messageKey) return this.t(messageKey);
    // The endpoint client words network failures itself (timed out, kept in memory only): find its
    // message's key, so that the page's overrides apply too. Anything else gets the kit code's text.
    if (error.code === 'NETWORK' && !(error instanceof EndpointError)) {
      const key = NETWORK_MESSAGE_KEYS.find((candidate) => Object.values(MESSAGES).some((catalogue) => catalogue[candidate] === error.message));
      if (key) return this.t(key);
    }
    return this.localize.error(error.code);
  }

  // ── lifecycle ────────────────────────────────────────────────────────────
  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.onOnline);
    // Moved in the DOM with a capture: show it again (its URL was released on disconnection).
    if (this._capture && !this.previewUrl) this.previewUrl = URL.createObjectURL(this._capture.blob);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onOnline);
    // The camera controller releases the camera itself; end the flow and the upload here.
    this.run?.abort();
    this.run = null;
    this.upload?.abort();
    this.upload = null;
    this.capturing = false;
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = '';
    if (CAMERA_PHASES.has(this.phase) || this.phase === 'loading' || this.phase === 'uploading') {
      this.phase = this._capture ? 'captured' : 'idle';
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The row of buttons moves when a capture is taken or dropped (see render()), its buttons
    // change or get disabled with the phase, and a capture replaces the file chooser: when the
    // focus was there and gets lost, updated() puts it back on the row.
    this.refocusActions ||= !!this.shadowRoot?.activeElement?.closest('[part~="actions"], .file-picker');
    // Reflect `lang` before render(): the localize controller reads the attribute.
    if (changed.has('lang')) {
      if (this.lang) this.setAttribute('lang', this.lang);
      else if (changed.get('lang')) this.removeAttribute('lang');
    }
    if (changed.has('source')) {
      if (this.source === 'file') this.fileFallback = true;
      else if (changed.get('source') === 'file' && !CAMERA_PHASES.has(this.phase)) this.fileFallback = false;
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (this.refocusActions) {
      // Only while the focus is lost (on a control just disabled, or nowhere else on the page);
      // wait for a button to appear.
      const inner = this.shadowRoot?.activeElement as HTMLInputElement | null | undefined;
      const outer = document.activeElement;
      const lost = inner ? inner.disabled === true : !outer || outer === document.body || outer === this;
      const target = this.shadowRoot?.querySelector<HTMLElement>('[part~="actions"] button:not(:disabled)');
      if (!lost) this.refocusActions = false;
      else if (target) {
        this.refocusActions = false;
        target.focus();
      }
    }
    if (changed.has('endpoint') && this.endpoint) void this.resumeKept();
    // A new result: move focus to it when focus was in the element (the submit button is gone) or nowhere.
    if (changed.has('result') && this.result) {
      const active = document.activeElement;
      if (!active || active === document.body || active === this) this.resultPanel?.focus();
    }
  }

  // ── render ───────────────────────────────────────────────────────────────
  private renderStage(): TemplateResult {
    if (this._capture && this.previewUrl) {
      return html`<figure class="preview"><img part="preview" src=${this.previewUrl} alt=${this.t('preview.alt')} /></figure>`;
    }
    const cameraActive =
      !this.fileFallback && (CAMERA_PHASES.has(this.phase) || this.camera.state === 'live' || this.camera.state === 'needs-tap');
    if (cameraActive) {
      const needsTap = this.camera.state === 'needs-tap';
      return cameraView({
        video: this.camera.video,
        size: this.camera.size.width ? this.camera.size : null,
        tone: this.phase === 'guiding' ? toneForHint(this.hint) : 'idle',
        label: this.t('camera.label'),
        busy: this.phase === 'starting-camera' && !needsTap,
        overlay: needsTap
          ? html`<button part="button" type="button" @click=${this.onTapToStart}>${this.t('action.tap-to-start')}</button>`
          : nothing,
      });
    }
    if (this.fileFallback) {
      return html`
        <div class="file-stage">
          ${this.renderLoadProgress()}
          ${this.imageSource
            ? html`<button part="button" type="button" class="image-source" ?disabled=${this.busy || this.phase === 'uploading'} @click=${this.onPickImageSource}>
                ${this.imageSource.label?.[this.localize.lang] ?? this.t('action.image-source')}
              </button>`
            : nothing}
          ${filePicker({
            id: `fk-file-${this.uid}`,
            label: this.t('file.label'),
            note: this.t('file.note'),
            disabled: this.busy || this.phase === 'uploading',
            onChange: this.onFileChange,
          })}
        </div>
      `;
    }
    return html`
      <div class="placeholder">
        <svg viewBox="0 0 64 64" focusable="false" aria-hidden="true">
          <ellipse cx="32" cy="30" rx="16" ry="21" fill="none" stroke="currentColor" stroke-width="3" stroke-dasharray="6 5" />
          <path d="M12 62c2-10 10-16 20-16s18 6 20 16" fill="none" stroke="currentColor" stroke-width="3" />
        </svg>
        ${this.renderLoadProgress()}
      </div>
    `;
  }

  /** The first load's bar ("1.2 / 4.1 MB") while the model downloads. */
  private renderLoadProgress(): TemplateResult | typeof nothing {
    if (this.phase !== 'loading') return nothing;
    return this.loading.render(this.t('loading.label'), (amount) => this.t('loading.bytes', amount), this.localize.lang);
  }

  /** The live region's text: the hint while guiding, else the phase. */
  private get statusText(): string {
    if (this.phase === 'guiding' && this.hint) return this.t(hintKey(this.hint));
    if (this.phase === 'guiding' && this.fileFallback) return this.t('file.label');
    if (this.phase === 'loading' && this.busy) return this.t('file.reading');
    if (this.phase === 'error' || this.phase === 'idle') return '';
    return this.t(phaseKey(this.phase));
  }

  private renderError(): TemplateResult | typeof nothing {
    const warning = this.storageWarning
      ? html`<p part="warning" class="note warning" role="status">${this.t('warning.queue-in-memory')}</p>`
      : nothing;
    if (!this.error) return warning;
    return html`${warning}
      <div part="error" class="error" role="alert">
        <p>${this.error.message}</p>
        ${this.error.retryable
          ? html`<button part="button" type="button" class="secondary" @click=${this.onRetryClick}>${this.t('action.retry')}</button>`
          : nothing}
      </div>
    `;
  }

  private renderForm(): TemplateResult {
    const f = this.fields;
    const id = (name: string): string => `fk-${name}-${this.uid}`;
    const disabled = this.phase === 'uploading';
    const idShown = this.idRevealed || this.idEditing ? f.idIccid : maskIdNumber(f.idIccid);
    return html`
      <form part="form" class="form" novalidate @submit=${this.onFormSubmit} @input=${this.onFieldInput} @change=${this.onFieldInput}>
        <fieldset ?disabled=${disabled}>
          <legend>${this.t('form.legend')}</legend>
          <p class="note">${this.t('form.optional')}</p>
          <div class="grid">
            <div class="field">
              <label for=${id('name')}>${this.t('field.name')}</label>
              <input id=${id('name')} name="name" type="text" autocomplete="off" maxlength="64" .value=${live(f.name)} />
            </div>
            <div class="field">
              <label for=${id('sex')}>${this.t('field.sex')}</label>
              <select id=${id('sex')} name="sex" .value=${live(f.sex)}>
                <option value="" ?selected=${f.sex === ''}>${this.t('field.sex.unset')}</option>
                <option value="1" ?selected=${f.sex === '1'}>${this.t('field.sex.1')}</option>
                <option value="2" ?selected=${f.sex === '2'}>${this.t('field.sex.2')}</option>
              </select>
            </div>
            <div class="field">
              <label for=${id('birthday')}>${this.t('field.birthday')}</label>
              <input
                id=${id('birthday')}
                name="birthday"
                type="date"
                min="1900-01-01"
                max=${todayIso()}
                aria-invalid=${this.birthdayInFuture ? 'true' : 'false'}
                .value=${live(f.birthday)}
              />
            </div>
            <div class="field">
              <label for=${id('type')}>${this.t('field.type')}</label>
              <select id=${id('type')} name="type" .value=${live(f.type)}>
                <option value="" ?selected=${f.type === ''}>${this.t('field.type.unset')}</option>
                ${(['1', '2', '3', '4'] as const).map(
                  (value) =>
                    html`<option value=${value} ?selected=${f.type === value}>${this.t(`field.type.${value}`)}</option>`,
                )}
              </select>
            </div>
            <div class="field wide">
              <label for=${id('idIccid')}>${this.t('field.idIccid')}</label>
              <div class="with-toggle">
                <input
                  id=${id('idIccid')}
                  name="idIccid"
                  type="text"
                  autocomplete="off"
                  autocapitalize="characters"
                  spellcheck="false"
                  maxlength="32"
                  aria-describedby=${id('idIccid-note')}
                  .value=${live(idShown)}
                  @focus=${this.onIdFocus}
                  @blur=${this.onIdBlur}
                />
                <button
                  part="button"
                  type="button"
                  class="secondary"
                  aria-pressed=${this.idRevealed ? 'true' : 'false'}
                  aria-controls=${id('idIccid')}
                  @click=${this.onToggleId}
                >
                  ${this.t('action.show-id')}
                </button>
              </div>
              <p id=${id('idIccid-note')} class="note">${this.t('field.idIccid.note')}</p>
            </div>
            <div class="field">
              <label for=${id('custId')}>${this.t('field.custId')}</label>
              <input id=${id('custId')} name="custId" type="text" autocomplete="off" maxlength="64" .value=${live(f.custId)} />
            </div>
            <div class="field wide">
              <label for=${id('remark')}>${this.t('field.remark')}</label>
              <textarea id=${id('remark')} name="remark" rows="2" maxlength="256" .value=${live(f.remark)}></textarea>
            </div>
          </div>
        </fieldset>
      </form>
    `;
  }

  private renderActions(): TemplateResult {
    const phase = this.phase;
    const button = (
      label: string,
      onClick: () => void,
      options: { secondary?: boolean; disabled?: boolean } = {},
    ): TemplateResult =>
      html`<button part="button" type="button" class=${options.secondary ? 'secondary' : ''} ?disabled=${!!options.disabled} @click=${onClick}>${label}</button>`;

    const buttons: TemplateResult[] = [];
    if (this._capture) {
      if (phase === 'done') {
        buttons.push(button(this.t('action.again'), this.onAgainClick));
      } else {
        const uploading = phase === 'uploading';
        buttons.push(button(this.t('action.retake'), this.onRetakeClick, { secondary: true, disabled: uploading }));
        // Queued: "try again" in the error box resends it.
        if (phase !== 'queued') buttons.push(button(this.t('action.submit'), this.onSubmitClick, { disabled: uploading }));
      }
    } else if (phase === 'guiding' && !this.fileFallback) {
      buttons.push(button(this.t('action.capture'), this.onCaptureClick, { disabled: this.faceCount !== 1 || this.busy }));
      buttons.push(button(this.t('action.stop'), this.onStopClick, { secondary: true }));
    } else if (phase === 'starting-camera' || (phase === 'loading' && !this.busy)) {
      buttons.push(button(this.t('action.stop'), this.onStopClick, { secondary: true }));
    } else if (!this.fileFallback && (phase === 'idle' || (phase === 'error' && !this.error?.retryable))) {
      buttons.push(button(this.t('action.start'), this.onStartClick));
    }
    return html`<div part="actions" class="actions" ?hidden=${buttons.length === 0}>${buttons}</div>`;
  }

  private renderResult(): TemplateResult | typeof nothing {
    const result = this.result;
    if (!result) return nothing;
    return html`
      <section part="result" class="result" tabindex="-1" aria-label=${this.t('result.label')}>
        <slot name="result">${this.renderResultBody(result)}</slot>
      </section>
    `;
  }

  private renderResultBody(result: FaceEnrollResultDetail): TemplateResult {
    const percent = (ratio: number | undefined): string =>
      ratio === undefined
        ? '—'
        : new Intl.NumberFormat(this.localize.lang, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
    if (result.mode === 'enroll') {
      const photo = this.safeEndpointUrl(result.imageUrl);
      return html`
        <p class="title good">${this.t('result.enrolled')}</p>
        <dl>
          <dt>${this.t('result.personId')}</dt>
          <dd>${result.personId}</dd>
          ${result.faceId ? html`<dt>${this.t('result.faceId')}</dt><dd>${result.faceId}</dd>` : nothing}
        </dl>
        ${photo ? html`<img src=${photo} alt=${this.t('result.photoAlt')} />` : nothing}
      `;
    }
    if (result.mode === 'search') {
      if (!result.matched) return html`<p class="title neutral">${this.t('result.noMatch')}</p>`;
      return html`
        <p class="title good">${this.t('result.match')}</p>
        <dl>
          ${result.person?.name ? html`<dt>${this.t('result.name')}</dt><dd>${result.person.name}</dd>` : nothing}
          <dt>${this.t('result.personId')}</dt>
          <dd>${result.personId}</dd>
          <dt>${this.t('result.similarity')}</dt>
          <dd>${percent(result.similarity)}</dd>
        </dl>
      `;
    }
    return html`
      <p class="title ${result.samePerson ? 'good' : 'bad'}">
        ${this.t(result.samePerson ? 'result.samePerson' : 'result.differentPerson')}
      </p>
      <dl>
        <dt>${this.t('result.similarity')}</dt>
        <dd>${percent(result.similarity)}</dd>
      </dl>
    `;
  }

  /** A result image URL, only when it is served by the endpoint (the element requests nothing else). */
  private safeEndpointUrl(value: string | undefined): string | undefined {
    if (!value || !this.endpoint) return undefined;
    try {
      const endpoint = new URL(this.endpoint, document.baseURI);
      const url = new URL(value, endpoint.href.endsWith('/') ? endpoint.href : `${endpoint.href}/`);
      return url.origin === endpoint.origin ? url.href : undefined;
    } catch {
      return undefined;
    }
  }

  override render(): TemplateResult {
    const tone = this.phase === 'guiding' && !this.fileFallback ? toneForHint(this.hint) : 'idle';
    // The camera's buttons (start, take photo, stop) stay right under the camera, which on a phone
    // is a screen above the end of the form; retake and submit come after the form they send.
    const actions = this.renderActions();
    const actionsFirst = !this._capture;
    return html`
      <div class="root">
        <slot></slot>
        <div class="stage">${this.renderStage()}</div>
        ${hintRegion(this.statusText, tone)} ${this.renderError()} ${actionsFirst ? actions : nothing}
        ${this.mode === 'enroll' ? this.renderForm() : nothing} ${actionsFirst ? nothing : actions} ${this.renderResult()}
      </div>
    `;
  }
}

function asFacekitError(error: unknown): FacekitError {
  if (error instanceof FacekitError) return error;
  if ((error as { name?: string } | null)?.name === 'AbortError') return new FacekitError('ABORTED');
  return new FacekitError('INTERNAL', error instanceof Error ? error.message : undefined, { cause: error });
}

function localError(code: FacekitError['code'], message: string): FacekitError {
  const error = new FacekitError(code, message);
  localized.add(error);
  return error;
}

function stripDataUrl(value: string): string {
  const comma = value.indexOf(',');
  if (!/^data:/i.test(value) || comma < 0) return value;
  const header = value.slice(0, comma);
  const payload = value.slice(comma + 1);
  if (/;base64$/i.test(header)) return payload;
  let binary = '';
  for (const byte of new TextEncoder().encode(decodeURIComponent(payload))) binary += String.fromCharCode(byte);
  return btoa(binary);
}
