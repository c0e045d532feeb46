import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  CameraController,
  EndpointError,
  FacekitError,
  LocalizeController,
  COMMON_MESSAGES,
  blobToBase64,
  hintKey,
  phaseKey,
  type Capture,
  type EndpointClient,
  type ImageSource,
  type CommonMessageKey,
  type MessageKey,
  type Phase,
  FACE_ENROLL_MESSAGES,
} from '@facekit/core';
import {
  emit,
  type FaceEnrollResultDetail,
  type FacePerson,
  type FaceSearchResult,
} from '../events.js';
import { filePicker, hintRegion, toneForHint } from '../shared/camera-view.js';
import { CaptureController } from '../shared/capture-controller.js';
import { asFacekitError, isLocalError, localError } from '../shared/errors.js';
import { cameraViewStyles } from '../shared/camera-view.styles.js';
import { maskIdNumber, randomId } from '../shared/mask.js';
import { RESUMABLE_OPS, resendKept, toRatio } from './resume.js';
import { baseStyles, tokens } from '../shared/tokens.styles.js';
import { FacekitElement } from '../shared/facekit-element.js';
import { EMPTY_FIELDS, birthdayToNumber, buildEnrollBody, todayIso, type EnrollFields } from './enroll-form.js';
import { faceEnrollStyles } from './face-enroll.styles.js';
import type { CaptureSource } from '../shared/capture-source.js';

export type FaceEnrollMode = 'enroll' | 'search' | 'verify';
export type { CaptureSource } from '../shared/capture-source.js';

/** The endpoint client's own wordings of a NETWORK failure. */
const NETWORK_MESSAGE_KEYS: readonly CommonMessageKey[] = ['error.network', 'error.timeout', 'error.network-kept-in-memory'];

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
export class FaceEnroll extends FacekitElement {
  static override styles = [tokens, baseStyles, cameraViewStyles, faceEnrollStyles];

  // ── controllers ──────────────────────────────────────────────────────────
  private readonly localize = new LocalizeController(this, FACE_ENROLL_MESSAGES);
  private readonly camera = new CameraController(this, { facingMode: 'user', width: 640, height: 480 });
  /** The capture flow: phases, errors, the camera loop, photo files, retry and the endpoint client. */
  protected readonly flow = new CaptureController(this, {
    camera: this.camera,
    localize: this.localize,
    messageOf: (error) => this.messageOf(error),
    guide: (run) => this.guide(run),
    loadProgress: true,
    resend: () => (this._capture ? this.submit() : this.resumeKept()),
    hasCapture: () => !!this._capture,
  });
  private readonly vision = this.flow.vision;

  // ── queries ──────────────────────────────────────────────────────────────
  @query('.result') private resultPanel?: HTMLElement | null;

  // ── private state ────────────────────────────────────────────────────────
  @state() private _capture: Capture | null = null;
  @state() private previewUrl = '';
  @state() private result: FaceEnrollResultDetail | null = null;
  @state() private fields: EnrollFields = { ...EMPTY_FIELDS };
  @state() private idRevealed = false;
  @state() private idEditing = false;
  /** IndexedDB failed: captures taken offline live only as long as the page. */
  @state() private storageWarning = false;

  /** Idempotency key of the current capture, so a retried upload is recognised by the endpoint. */
  private captureKey = '';
  /** The focus was on a button of the row that the next render moves. */
  private refocusActions = false;
  /** Captures kept by an earlier page are being sent (resumeKept). */
  private resuming = false;
  private readonly uid = randomId().slice(0, 8);

  // ── properties ───────────────────────────────────────────────────────────
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

  // ── public API ───────────────────────────────────────────────────────────
  /** The current capture (JPEG and face box), or null. */
  get capture(): Capture | null {
    return this._capture;
  }

  /**
   * Opens the source and guides the user: loads the face model, opens the camera and analyses
   * the frames until a good photo is taken. With `source="file"` (or when the camera cannot be
   * used with `source="auto"`) it offers the file chooser instead.
   */
  async start(): Promise<void> {
    this.clearCapture();
    this.result = null;
    await this.flow.open();
  }

  /**
   * Sends the current capture. Resolves with the result (also sent as `facekit-result`), or null
   * after a failure (sent as `facekit-error`). A network failure keeps the capture queued; it is
   * sent again when back online, or by itself after a wait.
   */
  async submit(): Promise<FaceEnrollResultDetail | null> {
    const capture = this.flow.submittable(this._capture, () => {
      if (this.mode !== 'verify' && !this.groupId) throw localError('BAD_REQUEST', this.t('error.no-group'));
      if (this.mode === 'enroll' && this.birthdayInFuture) {
        throw localError('BAD_REQUEST', this.t('error.birthday-future'));
      }
    });
    if (!capture) return null;

    const upload = this.flow.beginUpload();
    const { signal } = upload;
    this.flow.retryAction = () => this.submit();
    this.flow.error = null;
    this.result = null;
    this.setPhase('uploading');

    try {
      const client = this.flow.client;
      const image = await blobToBase64(capture.blob);
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
      // A network failure stays queued: "try again" resends it with the same idempotency key.
      if (!signal.aborted) this.flow.failUpload(error);
      return null;
    } finally {
      this.flow.endUpload(upload);
    }
  }

  /** Releases the camera and ends the frame loop. A capture, a result or an upload in flight stay. */
  stop(): void {
    this.flow.stop();
  }

  /** Back to idle: stops everything and clears the capture, the result, the error and the form. */
  reset(): void {
    this.flow.reset();
    this.clearCapture();
    this.result = null;
    this.fields = { ...EMPTY_FIELDS };
    this.idRevealed = false;
    this.setPhase('idle');
  }

  /**
   * Uses a photo file (or any image Blob, e.g. from a WeChat JS-SDK adapter) as the capture: it is
   * read (EXIF-aware), checked for exactly one face on the device, and cropped around it.
   */
  async loadFile(file: Blob): Promise<void> {
    this.clearCapture();
    this.result = null;
    await this.flow.loadFile(
      () => this.loadFile(file),
      async (signal) => {
        await this.flow.analyseFile(file, signal);
        const capture = await this.vision.bridge.encodeBest(undefined, signal);
        if (!capture) throw new FacekitError('LOW_QUALITY');
        if (!signal.aborted) this.setCapture(capture);
      },
    );
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

  private onRetakeClick = (): void => {
    this.clearCapture();
    this.result = null;
    this.flow.error = null;
    if (this.flow.fileFallback) {
      void this.flow.offerFile();
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

  private onFileChange = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    // The chooser is disabled while the photo is read, then replaced by the preview: keep the focus near.
    // (Some browsers have already moved the focus to the body when `change` fires.)
    const active = this.shadowRoot?.activeElement;
    if (input.files?.[0] && (!active || active === input)) this.refocusActions = true;
    this.flow.onFileChange(event);
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

  /**
   * Sends the captures that an earlier page kept in the upload queue (it went offline, or was
   * closed, during the upload) with their own idempotency keys, so that the endpoint runs each
   * one once, and shows their result. Runs once the endpoint is set, when back online, and at
   * the automatic resends while queued.
   */
  private async resumeKept(): Promise<void> {
    if (this.resuming || !this.endpoint || this._capture || (this.flow.phase !== 'idle' && this.flow.phase !== 'queued')) return;
    this.resuming = true;
    try {
      const client = this.flow.client;
      const kept = (await client.pending()).filter((item) => RESUMABLE_OPS.has(item.op) && !client.isSending(item.id));
      if (kept.length === 0 || (this.flow.phase !== 'idle' && this.flow.phase !== 'queued')) return;
      // Offline: say that it waits; the `online` event comes back here.
      if (!navigator.onLine) return this.setPhase('queued');
      for (const item of kept) {
        const upload = this.flow.beginUpload();
        this.flow.error = null;
        this.setPhase('uploading');
        try {
          const result = await resendKept(client, item, upload.signal);
          if (!result || upload.signal.aborted) continue;
          this.result = result;
          this.setPhase('done');
          emit(this, 'facekit-result', result);
        } catch (error) {
          // Offline again: the rest waits in the queue too; any other failure moves on to the next.
          if (upload.signal.aborted || this.flow.failUpload(error)) return;
        } finally {
          this.flow.endUpload(upload);
        }
      }
    } catch (error) {
      // The queue itself failed (storage): nothing can be resumed; say so without blocking the element.
      this.flow.report(error);
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

  /** Runs the frame loop: each frame is analysed in the worker; a ready frame is captured. */
  private async guide(run: AbortController): Promise<void> {
    if (!(await this.flow.beginGuiding(run))) return;
    this.flow.analyseFrames(run, (analysis) => {
      this.flow.faceCount = analysis.faces.length;
      this.flow.showHint(analysis.hint);
      if (analysis.ready) void this.takePhoto('auto');
    });
  }

  /** Takes the photo: the best frame of the session, or (manual, none passed yet) the current frame. */
  private takePhoto(trigger: 'auto' | 'manual'): Promise<void> {
    return this.flow.snap(
      async (signal) => {
        const capture =
          (await this.vision.bridge.encodeBest(undefined, signal)) ??
          (trigger === 'manual' ? ((await this.flow.captureCurrentFrame(signal))?.capture ?? null) : null);
        // None: keep guiding; the loop goes on.
        if (!capture && trigger === 'manual' && !signal.aborted) {
          this.flow.report(new FacekitError(this.flow.hint === 'many-faces' ? 'MANY_FACES' : 'NO_FACE'));
        }
        return capture;
      },
      (capture) => this.setCapture(capture),
    );
  }

  private setCapture(capture: Capture): void {
    this.clearCapture();
    this._capture = capture;
    this.previewUrl = URL.createObjectURL(capture.blob);
    this.captureKey = randomId();
    this.flow.hint = null;
    this.flow.error = null;
    this.flow.retryAction = null;
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
      if (!options.signal.aborted) this.flow.report(asFacekitError(error));
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
    this.flow.setPhase(phase);
  }

  /** The message to show: the element's own text, the endpoint's (localised) text, or the kit's. */
  private messageOf(error: FacekitError): string {
    if (isLocalError(error)) return error.message;
    // Errors that name their own message (e.g. UNSUPPORTED without WebAssembly: 'error.no-wasm').
    const messageKey = (error as FacekitError & { messageKey?: MessageKey }).messageKey;
    if (messageKey) return this.t(messageKey);
    // The endpoint client words network failures itself (timed out, kept in memory only): find its
    // message's key, so that the page's overrides apply too. Anything else gets the kit code's text.
    if (error.code === 'NETWORK' && !(error instanceof EndpointError)) {
      const key = NETWORK_MESSAGE_KEYS.find((candidate) => Object.values(COMMON_MESSAGES).some((catalogue) => catalogue[candidate] === error.message));
      if (key) return this.t(key);
    }
    return this.localize.error(error.code);
  }

  // ── lifecycle ────────────────────────────────────────────────────────────
  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the DOM with a capture: show it again (its URL was released on disconnection).
    if (this._capture && !this.previewUrl) this.previewUrl = URL.createObjectURL(this._capture.blob);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // The capture flow ends itself (and the upload); the preview's URL is released here.
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // The row of buttons moves when a capture is taken or dropped (see render()), its buttons
    // change or get disabled with the phase, and a capture replaces the file chooser: when the
    // focus was there and gets lost, updated() puts it back on the row.
    this.refocusActions ||= !!this.shadowRoot?.activeElement?.closest('[part~="actions"], .file-picker');
    if (changed.has('source')) this.flow.sourceChanged(changed.get('source'));
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
    if (this.flow.cameraShown) {
      const tone = this.flow.phase === 'guiding' ? toneForHint(this.flow.hint) : 'idle';
      return this.flow.renderCamera({ tone, label: this.t('camera.label') }, this.t('action.tap-to-start'));
    }
    if (this.flow.fileFallback) {
      return html`
        <div class="file-stage">
          ${this.renderLoadProgress()}
          ${this.flow.renderImageSourceButton(this.t('action.image-source'), this.flow.busy || this.flow.phase === 'uploading', 'image-source')}
          ${filePicker({
            id: `fk-file-${this.uid}`,
            label: this.t('file.label'),
            note: this.t('file.note'),
            disabled: this.flow.busy || this.flow.phase === 'uploading',
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
    if (this.flow.phase !== 'loading') return nothing;
    return this.flow.loading.render(this.t('loading.label'), (amount) => this.t('loading.bytes', amount), this.localize.lang);
  }

  /** The live region's text: the hint while guiding, else the phase. */
  private get statusText(): string {
    if (this.flow.phase === 'guiding' && this.flow.hint) return this.t(hintKey(this.flow.hint));
    if (this.flow.phase === 'guiding' && this.flow.fileFallback) return this.t('file.label');
    if (this.flow.phase === 'loading' && this.flow.busy) return this.t('file.reading');
    if (this.flow.phase === 'error' || this.flow.phase === 'idle') return '';
    return this.t(phaseKey(this.flow.phase));
  }

  private renderError(): TemplateResult | typeof nothing {
    const warning = this.storageWarning
      ? html`<p part="warning" class="note warning" role="status">${this.t('warning.queue-in-memory')}</p>`
      : nothing;
    return html`${warning}${this.flow.renderError(this.t('action.retry'))}`;
  }

  private renderForm(): TemplateResult {
    const f = this.fields;
    const id = (name: string): string => `fk-${name}-${this.uid}`;
    const disabled = this.flow.phase === 'uploading';
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
    const phase = this.flow.phase;
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
    } else if (phase === 'guiding' && !this.flow.fileFallback) {
      buttons.push(button(this.t('action.capture'), this.onCaptureClick, { disabled: this.flow.faceCount !== 1 || this.flow.busy }));
      buttons.push(button(this.t('action.stop'), this.onStopClick, { secondary: true }));
    } else if (phase === 'starting-camera' || (phase === 'loading' && !this.flow.busy)) {
      buttons.push(button(this.t('action.stop'), this.onStopClick, { secondary: true }));
    } else if (!this.flow.fileFallback && (phase === 'idle' || (phase === 'error' && !this.flow.error?.retryable))) {
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
    const tone = this.flow.phase === 'guiding' && !this.flow.fileFallback ? toneForHint(this.flow.hint) : 'idle';
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
