import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { live } from 'lit/directives/live.js';
import {
  CameraController,
  COMMON_MESSAGES,
  EndpointError,
  FacekitError,
  LocalizeController,
  blobToBase64,
  mainFace,
  phaseKey,
  type Capture,
  type EncodeOptions,
  type EndpointClient,
  type Envelope,
  type FrameAnalysis,
  type ImageSource,
  type MessageKey,
  type Phase,
  type Point,
  SKIN_MESSAGES,
} from '@facekit/core';
import { emit, type SkinReportResultDetail } from '../events.js';
import { filePicker, hintRegion, toneForHint, type GuideTone } from '../shared/camera-view.js';
import { CaptureController } from '../shared/capture-controller.js';
import { asFacekitError, isLocalError, localError } from '../shared/errors.js';
import { cameraViewStyles } from '../shared/camera-view.styles.js';
import { barList, radarChart, scoreRing } from '../shared/charts.js';
import { chartStyles } from '../shared/charts.styles.js';
import { randomId } from '../shared/mask.js';
import { baseStyles, tokens } from '../shared/tokens.styles.js';
import { FacekitElement } from '../shared/facekit-element.js';
import { LightMeter, SkinGate, skinHintFor } from './capture-gate.js';
import { renderReportPng } from './export.js';
import {
  SKIN_CONCERN_KEYS,
  SKIN_FIELDS,
  SKIN_FIELD_GROUPS,
  SKIN_IMAGE_FIELDS,
  SKIN_WRINKLE_ZONE_KEYS,
  skinImageKind,
  type SkinConcern,
  type SkinFieldGroup,
  type SkinImageField,
  type SkinImageKind,
} from './fields.js';
import { SkinHistory } from './history.js';
import { POLL_LIMITS, PollTimeoutError, pollUntilDone, type PollProgress } from './poll.js';
import {
  anchorsFromBox,
  anchorsFromKeypoints,
  anchorsFromLandmarks,
  ellipseTransform,
  placeWrinkleRegions,
  toCaptureSpace,
  wrinkleMapView,
  type FaceAnchors,
  type MapView,
} from './regions.js';
import {
  SkinReportShapeError,
  historyEntryOf,
  normaliseSkinReport,
  presentFields,
  rankConcerns,
  scoreBand,
  scorePoints,
  trendOf,
  type SkinHistoryEntry,
  type SkinReportData,
  type SkinTrend,
} from './report-model.js';
import { skinReportStyles } from './skin-report.styles.js';
import { cssProps } from '../shared/css-props.js';
import type { CaptureSource } from '../shared/capture-source.js';


/** A skin photo wants detail: larger and finer than the kit's default capture (endpoint limit 6 MB of base64). */
const SKIN_ENCODE: EncodeOptions = { targetBytes: 700_000, maxBase64Bytes: 6 * 1024 * 1024, margin: 0.45, maxSide: 1600 };
/** A chosen photo may be turned a little more than a live one before it is refused. */
const FILE_MAX_YAW = 20;
/** Polls that may fail on the network in a row before the wait is given up. */
const MAX_NETWORK_MISSES = 3;
/** Kit codes with a skin-specific message (`skin.error.<code>`). */
const SKIN_ERROR_KEYS = new Set(['NOT_FOUND', 'LOW_QUALITY']);
/** The endpoint client's own wordings of a network failure (common catalogue). */
const NETWORK_MESSAGE_KEYS = ['error.network', 'error.timeout', 'error.network-kept-in-memory'] as const;
const IMAGE_KINDS: SkinImageKind[] = ['overlay', 'merged', 'map'];

/**
 * Guided capture of a frontal face photo, skin analysis through the site's signing endpoint, and a
 * report that reads at a glance and opens up for experts.
 *
 * The element opens the front camera and guides the user to the photo the analysis needs: a
 * frontal face, large in the frame, sharp and still, in bright and even light (it measures the
 * balance between the two halves of the face). Once the quality holds for a few frames it takes
 * the photo by itself; a file can be chosen instead. `submit()` sends it with `skin.analyze`; while
 * the endpoint answers IN_PROGRESS it polls `skin.result` with a growing delay, showing progress,
 * and gives up after `poll-timeout` with a message and a "try again" that goes on waiting.
 *
 * The report shows the overall score and skin age, a radar of the eight main concerns, a wrinkle
 * map drawn on the user's own photo (zones placed from the face's keypoints), the counts by size,
 * the dark-circle grade, a viewer for the service's result images (each toggled over the photo,
 * with a before/after slider), and every field in a details table. Reports are kept on the device
 * (IndexedDB; numbers only) to show the change since the previous one, and the summary can be
 * saved as a PNG image.
 *
 * @summary Guided skin photo, analysis through the endpoint, and a rich, readable skin report.
 *
 * @event {CustomEvent<FacekitStatusDetail>} facekit-status - `{ phase, hint?, progress? }` at each phase (idle, loading, starting-camera, guiding, captured, uploading, queued, done, error); while guiding, whenever the hint changes (the kit's hints plus `uneven-light`); while the analysis runs (`uploading`), before each poll with `progress` = the share of `poll-timeout` used.
 * @event {CustomEvent<SkinReportResultDetail>} facekit-result - `{ mode: 'skin', report, trend }`: the report model (`SkinReportData`) and the change since the previous report on this device, or null.
 * @event {CustomEvent<FacekitErrorDetail>} facekit-error - `{ code, message, retryable }` for every failure; `message` is in the element's language.
 *
 * @slot - A header or introduction shown above the camera.
 *
 * @csspart camera - The camera view (video, shade and oval).
 * @csspart video - The live `<video>`.
 * @csspart guide - The SVG overlay with the oval guide.
 * @csspart hint - The live region with the current hint or status.
 * @csspart preview - The captured photo before it is sent.
 * @csspart progress - The analysis progress box.
 * @csspart actions - The row of action buttons.
 * @csspart button - Every button.
 * @csspart error - The error message box.
 * @csspart file-input - The `<input type="file">` (visually hidden; its label is styled as a button).
 * @csspart report - The report panel.
 * @csspart summary - Score, skin age and trend.
 * @csspart notice - The note shown when the analysis saw a face turned to one side.
 * @csspart score-ring - The overall score ring.
 * @csspart chart - Every chart figure.
 * @csspart radar - The radar of the main concerns.
 * @csspart wrinkle-map - The photo with the wrinkle zones.
 * @csspart counts - The counts section.
 * @csspart bar-list - Each table of counts with bars.
 * @csspart viewer - The result-image viewer.
 * @csspart viewer-stage - The photo with the selected result images.
 * @csspart layer-toggle - Each result-image toggle button.
 * @csspart compare-slider - The before/after range input.
 * @csspart details - The table of every field.
 * @csspart history - The history section.
 * @csspart download - The link to the exported PNG.
 *
 * @cssproperty --facekit-font-family - Font stack.
 * @cssproperty --facekit-font-size - Base font size (default 1rem).
 * @cssproperty --facekit-color-fg - Text colour.
 * @cssproperty --facekit-color-muted - Secondary text colour.
 * @cssproperty --facekit-color-bg - Background colour.
 * @cssproperty --facekit-color-surface - Background of panels.
 * @cssproperty --facekit-color-border - Borders, chart grid, empty bars.
 * @cssproperty --facekit-color-accent - Buttons, focus ring, chart lines and bars.
 * @cssproperty --facekit-color-accent-fg - Text on accent buttons.
 * @cssproperty --facekit-color-good - Good scores; the oval when the face is well placed.
 * @cssproperty --facekit-color-warn - Fair scores; the oval and hint when the face needs a correction.
 * @cssproperty --facekit-color-error - Scores that need care; errors.
 * @cssproperty --facekit-guide-dim - Shade outside the oval.
 * @cssproperty --facekit-guide-idle - Oval colour while no face is found.
 * @cssproperty --facekit-radius - Corner radius.
 * @cssproperty --facekit-gap - Spacing between blocks.
 * @cssproperty --facekit-max-width - Largest width of the element (default 480px).
 * @cssproperty --facekit-duration - Transition length (0 with prefers-reduced-motion).
 */
export class SkinReport extends FacekitElement {
  static override styles = [tokens, baseStyles, cameraViewStyles, chartStyles, skinReportStyles];

  // ── controllers ──────────────────────────────────────────────────────────
  private readonly localize = new LocalizeController(this, SKIN_MESSAGES);
  private readonly camera = new CameraController(this, { facingMode: 'user', width: 1280, height: 960 });
  /** The capture flow: phases, errors, the camera loop, photo files, retry and the endpoint client. */
  protected readonly flow = new CaptureController(this, {
    camera: this.camera,
    localize: this.localize,
    messageOf: (error) => this.messageOf(error),
    guide: (run) => this.guide(run),
    resend: () => this.submit(),
    hasCapture: () => !!this._capture,
  });
  private readonly vision = this.flow.vision;

  // ── queries ──────────────────────────────────────────────────────────────
  @query('.report') private reportPanel?: HTMLElement | null;
  @query('[part~="download"]') private downloadLink?: HTMLAnchorElement | null;

  // ── private state ────────────────────────────────────────────────────────
  @state() private _capture: Capture | null = null;
  @state() private previewUrl = '';
  /** Face anchors in the capture's pixels, for the wrinkle map. */
  @state() private anchors: FaceAnchors | null = null;
  @state() private trend: SkinTrend | null = null;
  @state() private historyEntries: SkinHistoryEntry[] = [];
  @state() private historyNote = '';
  /** Polling skin.result (after the upload was accepted). */
  @state() private analysing = false;
  @state() private progress: PollProgress | null = null;
  @state() private activeLayers: SkinImageField[] = [];
  /** Position of the before/after divider, 0…100 (results are shown right of it). */
  @state() private comparePosition = 50;
  @state() private downloadUrl = '';
  @state() private exporting = false;

  private captureKey = '';
  /** The analysis job being waited for, so that "try again" after a time-out goes on waiting. */
  private pendingCalcId = '';
  /** When the shown report was made (ms since the epoch). */
  private reportAt = 0;
  /** The report this element produced itself (a report set by the page is not added to history). */
  private ownReport: SkinReportData | null = null;
  /** The keypoints of the last good frame and the face box they belong to. */
  private lastFace: { box: Capture['face']; keypoints: Point[] } | null = null;
  private readonly gate = new SkinGate();
  private readonly lightMeter = new LightMeter();
  private readonly uid = randomId().slice(0, 8);

  // ── properties ───────────────────────────────────────────────────────────
  /** Where the photo comes from: `camera`, `file`, or `auto` (camera, file chooser if it fails). */
  @property({ attribute: 'source', reflect: true }) source: CaptureSource = 'auto';

  /** Send the capture as soon as it passes the quality gate. */
  @property({ attribute: 'auto-submit', type: Boolean, reflect: true }) autoSubmit = false;

  /**
   * A photo picker of the host page, offered with the file chooser when the camera cannot be used,
   * e.g. `createWeChatImageSource(window.wx)` from `@facekit/core`. Property only.
   */
  @property({ attribute: false }) imageSource: ImageSource | null = null;

  /** Longest wait for a running analysis, in milliseconds (default 120000), before it is given up. */
  @property({ attribute: 'poll-timeout', type: Number }) pollTimeout = 120_000;

  /** Which history on this device the reports go to, e.g. a user id (default `default`). */
  @property({ attribute: 'history-key', reflect: true }) historyKey = 'default';

  /** Keep no history on this device (no trend is shown). */
  @property({ attribute: 'no-history', type: Boolean, reflect: true }) noHistory = false;

  /**
   * The report shown: set by the element after an analysis, or by the page (for example
   * `normaliseSkinReport(envelope.data)`) to show a report made elsewhere.
   */
  @property({ attribute: false }) report: SkinReportData | null = null;

  // ── public API ───────────────────────────────────────────────────────────
  /** The current capture (JPEG and face box), or null. */
  get capture(): Capture | null {
    return this._capture;
  }

  /**
   * Opens the source and guides the user: loads the face model, opens the camera and analyses
   * the frames until a good skin photo is taken. With `source="file"` (or when the camera cannot
   * be used with `source="auto"`) it offers the file chooser instead.
   */
  async start(): Promise<void> {
    this.clearCapture();
    this.report = null;
    await this.flow.open();
  }

  /**
   * Sends the current capture with `skin.analyze` and waits for the report (polling
   * `skin.result`). Resolves with the result (also sent as `facekit-result`), or null after a
   * failure (sent as `facekit-error`). A network failure before the vendor has the photo keeps it
   * queued; it is sent again when back online, or by itself after a wait.
   */
  async submit(): Promise<SkinReportResultDetail | null> {
    const capture = this.flow.submittable(this._capture);
    if (!capture) return null;
    const { upload, client } = this.beginUpload();
    const { signal } = upload;
    this.flow.retryAction = () => this.submit();
    this.pendingCalcId = '';
    try {
      const image = await blobToBase64(capture.blob);
      let envelope: Envelope<unknown>;
      try {
        envelope = await client.submit<unknown>('skin.analyze', { image }, { signal, idempotencyKey: `${this.captureKey}:skin` });
      } catch (error) {
        if (!(error instanceof EndpointError && error.code === 'IN_PROGRESS')) throw error;
        envelope = error.envelope;
      }
      const data = envelope.code === 'IN_PROGRESS' ? await this.waitForResult(client, envelope, signal) : envelope.data;
      return await this.finish(data, signal);
    } catch (error) {
      return this.uploadFailed(error, signal);
    } finally {
      this.endUpload(upload);
    }
  }

  /** Releases the camera and ends the frame loop. A capture, a report or an analysis in flight stay. */
  stop(): void {
    this.flow.stop();
  }

  /** Back to idle: stops everything and clears the capture, the report and the error. History stays. */
  reset(): void {
    this.flow.reset();
    this.clearCapture();
    this.report = null;
    this.trend = null;
    this.pendingCalcId = '';
    this.analysing = false;
    this.progress = null;
    this.clearDownload();
    this.setPhase('idle');
  }

  /**
   * Uses a photo file (or any image Blob) as the capture: it is read (EXIF-aware), checked on the
   * device for exactly one, roughly frontal face, and cropped around it.
   */
  async loadFile(file: Blob): Promise<void> {
    this.clearCapture();
    this.report = null;
    await this.flow.loadFile(
      () => this.loadFile(file),
      async (signal) => {
        const analysis = await this.flow.analyseFile(file, signal);
        const quality = analysis.quality;
        if (quality && (Math.abs(quality.yaw) > FILE_MAX_YAW || Math.abs(quality.pitch) > FILE_MAX_YAW)) {
          throw localError('LOW_QUALITY', this.t('skin.error.not-frontal'));
        }
        const capture = await this.vision.bridge.encodeBest(SKIN_ENCODE, signal);
        if (!capture) throw new FacekitError('LOW_QUALITY');
        if (signal.aborted) return;
        const face = analysis.faces[0]!;
        await this.setCapture(capture, { box: face.box, keypoints: face.keypoints }, { dense: true, signal });
      },
    );
  }

  /** The report summary as a PNG (score, skin age, radar, the photo with the wrinkle map); null without a report. */
  async exportImage(): Promise<Blob | null> {
    const report = this.report;
    if (!report) return null;
    const photo = this._capture ? await createImageBitmap(this._capture.blob).catch(() => null) : null;
    try {
      const zones = {} as Record<(typeof SKIN_WRINKLE_ZONE_KEYS)[number], string>;
      for (const zone of SKIN_WRINKLE_ZONE_KEYS) zones[zone] = this.t(`skin.zone.${zone}` as MessageKey);
      return await renderReportPng({
        report,
        photo,
        regions: photo && this.anchors ? placeWrinkleRegions(this.anchors) : null,
        previous: this.trend?.previous.scores ?? null,
        text: {
          title: this.t('skin.report.title'),
          date: this.formatDate(this.reportAt || Date.now()),
          scoreLabel: this.t('skin.score.label'),
          ageLabel: this.t('skin.age.label'),
          age: this.t('skin.age.value', { age: Math.round(report.synAge) }),
          trend: this.trendText(),
          radarTitle: this.t('skin.radar.title'),
          mapTitle: this.t('skin.wrinkles.title'),
          concerns: this.concernLabels(),
          zones,
          notMeasured: this.t('skin.wrinkles.not-measured'),
        },
      });
    } finally {
      photo?.close();
    }
  }

  /** The reports kept on this device for `history-key`, oldest first. */
  async getHistory(): Promise<SkinHistoryEntry[]> {
    if (this.noHistory) return [];
    return this.history().list();
  }

  /** Forgets the reports kept on this device for `history-key`. */
  async clearHistory(): Promise<void> {
    await this.history().clear();
    this.historyEntries = [];
    this.trend = null;
    this.historyNote = this.t('skin.history.cleared');
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

  private onRetakeClick = (): void => {
    this.clearCapture();
    this.flow.error = null;
    void (this.flow.fileFallback ? this.flow.offerFile() : this.start());
  };

  private onAgainClick = (): void => {
    this.reset();
    void (this.source !== 'file' ? this.start() : this.flow.offerFile());
  };

  private onCaptureClick = (): void => {
    void this.takePhoto('manual');
  };

  private onLayerToggle = (event: Event): void => {
    const field = (event.currentTarget as HTMLElement).dataset.field as SkinImageField;
    this.activeLayers = this.activeLayers.includes(field)
      ? this.activeLayers.filter((item) => item !== field)
      : SKIN_IMAGE_FIELDS.filter((item) => item === field || this.activeLayers.includes(item));
  };

  private onCompareInput = (event: Event): void => {
    this.comparePosition = Number((event.target as HTMLInputElement).value);
  };

  private onExportClick = async (): Promise<void> => {
    if (this.exporting) return;
    this.exporting = true;
    try {
      const blob = await this.exportImage();
      if (!blob) return;
      this.clearDownload();
      this.downloadUrl = URL.createObjectURL(blob);
      await this.updateComplete;
      this.downloadLink?.focus();
    } catch (error) {
      this.flow.report(error);
    } finally {
      this.exporting = false;
    }
  };

  private onClearHistoryClick = (): void => {
    void this.clearHistory();
  };

  // ── flow ─────────────────────────────────────────────────────────────────
  private t(key: MessageKey, params?: Record<string, string | number>): string {
    return this.localize.t(key, params);
  }

  private history(): SkinHistory {
    return new SkinHistory(this.historyKey || 'default');
  }

  /** A new upload (the analysis, or waiting for it): the phase, a fresh abort and the endpoint client. */
  private beginUpload(): { upload: AbortController; client: EndpointClient } {
    const upload = this.flow.beginUpload();
    this.flow.error = null;
    this.report = null;
    this.analysing = false;
    this.progress = null;
    this.setPhase('uploading');
    return { upload, client: this.flow.client };
  }

  private endUpload(upload: AbortController): void {
    this.flow.endUpload(upload);
    this.analysing = false;
    this.progress = null;
  }

  private uploadFailed(error: unknown, signal: AbortSignal): null {
    if (signal.aborted) return null;
    let failure = asFacekitError(error);
    if (error instanceof PollTimeoutError) {
      failure = localError('VENDOR_TIMEOUT', this.t('skin.error.timeout'));
      // Going on waiting for the same job costs nothing; a new upload would be billed again.
      const calcId = this.pendingCalcId;
      this.flow.retryAction = () => this.resumeWaiting(calcId);
    } else if (error instanceof SkinReportShapeError) {
      failure = localError('VENDOR_ERROR', this.t('skin.error.bad-report'));
    }
    if (failure.code === 'NETWORK' && this.pendingCalcId) {
      // Uploaded already: "try again" goes on waiting instead of sending it again.
      const calcId = this.pendingCalcId;
      this.flow.retryAction = () => this.resumeWaiting(calcId);
    }
    this.flow.failUpload(failure, !this.pendingCalcId);
    return null;
  }

  /** Goes on waiting for an analysis already uploaded (after a time-out or a lost connection). */
  private async resumeWaiting(calcId: string): Promise<SkinReportResultDetail | null> {
    if (!calcId || this.flow.phase === 'uploading') return null;
    const { upload, client } = this.beginUpload();
    const { signal } = upload;
    try {
      const pending: Envelope<unknown> = { ok: false, code: 'IN_PROGRESS', message: '', requestId: '', data: { calcId } };
      const data = await this.waitForResult(client, pending, signal, POLL_LIMITS.minMs);
      return await this.finish(data, signal);
    } catch (error) {
      return this.uploadFailed(error, signal);
    } finally {
      this.endUpload(upload);
    }
  }

  /** Polls skin.result until the report comes, with a growing delay, within `poll-timeout`. */
  private async waitForResult(
    client: EndpointClient,
    pending: Envelope<unknown>,
    signal: AbortSignal,
    firstDelayMs?: number,
  ): Promise<unknown> {
    const info = (pending.data ?? {}) as { calcId?: unknown; retryAfterMs?: unknown };
    const calcId = typeof info.calcId === 'string' ? info.calcId : '';
    if (!calcId) throw new FacekitError('VENDOR_ERROR', 'IN_PROGRESS without a calcId');
    this.pendingCalcId = calcId;
    this.analysing = true;
    let misses = 0;
    return pollUntilDone<unknown>(
      async () => {
        try {
          const envelope = await client.call<unknown>('skin.result', { calcId }, { signal });
          if (envelope.code === 'IN_PROGRESS') return { done: false, retryAfterMs: retryAfterOf(envelope) };
          return { done: true, value: envelope.data };
        } catch (error) {
          if (error instanceof EndpointError && error.code === 'IN_PROGRESS') {
            misses = 0;
            return { done: false, retryAfterMs: retryAfterOf(error.envelope) };
          }
          // A poll lost on the network is asked again, a few times in a row at most.
          if (error instanceof FacekitError && error.code === 'NETWORK' && !signal.aborted && ++misses < MAX_NETWORK_MISSES) {
            return { done: false };
          }
          throw error;
        }
      },
      {
        signal,
        timeoutMs: Math.max(0, this.pollTimeout),
        retryAfterMs: firstDelayMs ?? retryAfterOf(pending),
        onWait: (progress) => {
          if (signal.aborted) return;
          this.progress = progress;
          emit(this, 'facekit-status', {
            phase: 'processing',
            progress: Math.min(1, progress.elapsedMs / Math.max(1, progress.timeoutMs)),
          });
        },
      },
    ).catch((error: unknown) => {
      if (signal.aborted) throw new FacekitError('ABORTED');
      throw error;
    });
  }

  /** Reads the report, keeps it in the history, shows it and sends `facekit-result`. */
  private async finish(data: unknown, signal: AbortSignal): Promise<SkinReportResultDetail | null> {
    const report = normaliseSkinReport(data);
    const at = Date.now();
    const trend = await this.keep(report, at);
    if (signal.aborted) return null;
    this.pendingCalcId = '';
    this.flow.retryAction = null;
    this.ownReport = report;
    this.reportAt = at;
    this.report = report;
    this.trend = trend;
    this.activeLayers = defaultLayers(report);
    this.comparePosition = 50;
    this.setPhase('done');
    const result: SkinReportResultDetail = { mode: 'skin', report, trend };
    emit(this, 'facekit-result', result);
    return result;
  }

  /** Adds the report to the device's history; returns the change since the previous one. */
  private async keep(report: SkinReportData, at: number): Promise<SkinTrend | null> {
    if (this.noHistory) return null;
    const history = this.history();
    const entry = historyEntryOf(report, at, report.calcId || `local-${randomId()}`);
    try {
      const previous = await history.previous(entry);
      this.historyEntries = await history.add(entry);
      this.historyNote = history.degraded ? this.t('skin.history.memory') : '';
      return trendOf(report, previous);
    } catch {
      return null;
    }
  }

  /** For a report set by the page: the change since the latest kept report, without adding it. */
  private async refreshHistory(): Promise<void> {
    // Called from updated(): change state only after this update.
    await null;
    if (this.noHistory) {
      this.historyEntries = [];
      return;
    }
    const report = this.report;
    const history = this.history();
    const entries = await history.list();
    this.historyEntries = entries;
    if (report && report !== this.ownReport) {
      const previous = entries.filter((entry) => entry.id !== report.calcId).at(-1) ?? null;
      if (this.report === report) this.trend = trendOf(report, previous);
    }
  }

  /** Runs the frame loop: each frame is analysed in the worker, then checked against the skin gate. */
  private async guide(run: AbortController): Promise<void> {
    if (!(await this.flow.beginGuiding(run))) return;
    this.gate.reset();
    this.lastFace = null;
    this.flow.analyseFrames(run, (analysis) => this.onAnalysis(analysis, run));
  }

  private async onAnalysis(analysis: FrameAnalysis, run: AbortController): Promise<void> {
    this.flow.faceCount = analysis.faces.length;
    const face = mainFace(analysis.faces);
    const light = face ? this.lightMeter.measure(this.camera.video, analysis, face.box) : null;
    const hint = skinHintFor(analysis.quality, light);
    this.flow.showHint(hint);
    const streak = this.gate.count;
    const ready = this.gate.update(hint);
    if (hint !== 'ok' || !face) return;
    this.lastFace = { box: face.box, keypoints: face.keypoints };
    // A new streak of good frames: the best frame is picked from this streak only.
    if (streak === 0 && !ready) {
      await this.vision.bridge.resetSession(run.signal).catch(() => {});
      return;
    }
    if (ready) void this.takePhoto('auto');
  }

  /** Takes the photo: the best frame of the good streak, or (manual, none passed) the current frame. */
  private takePhoto(trigger: 'auto' | 'manual'): Promise<void> {
    return this.flow.snap(
      async (signal) => {
        let capture = trigger === 'auto' || this.lastFace ? await this.vision.bridge.encodeBest(SKIN_ENCODE, signal) : null;
        let face = this.lastFace;
        if (!capture) {
          const current = await this.flow.captureCurrentFrame(signal, SKIN_ENCODE);
          if (current) {
            const { box, keypoints } = current.analysis.faces[0]!;
            capture = current.capture;
            face = { box, keypoints };
          }
        }
        if (!capture) {
          if (trigger === 'manual' && !signal.aborted) this.flow.report(new FacekitError(this.flow.hint === 'many-faces' ? 'MANY_FACES' : 'NO_FACE'));
          return null;
        }
        return { capture, face };
      },
      ({ capture, face }) => this.setCapture(capture, face, { dense: true }),
    );
  }

  /**
   * Keeps the capture and places the face anchors in its pixels: from dense landmarks when the
   * vision bridge offers them, else from the detector keypoints of the analysed frame, else from
   * the face box.
   */
  private async setCapture(
    capture: Capture,
    face: { box: Capture['face']; keypoints: Point[] } | null = null,
    options: { dense?: boolean; signal?: AbortSignal } = {},
  ): Promise<void> {
    this.clearCapture();
    this._capture = capture;
    this.previewUrl = URL.createObjectURL(capture.blob);
    this.captureKey = randomId();
    const keypoints = face ? toCaptureSpace(face.keypoints, face.box, capture.face) : [];
    this.anchors = anchorsFromKeypoints(keypoints) ?? anchorsFromBox(capture.face);
    this.flow.hint = null;
    this.flow.error = null;
    this.flow.retryAction = null;
    this.setPhase('captured');
    if (this.autoSubmit) void this.submit();
    if (options.dense) {
      const dense = await this.denseAnchors(capture, options.signal);
      if (dense && this._capture === capture) this.anchors = dense;
    }
  }

  /**
   * Anchors from the 468 dense landmarks of the capture itself (so already in its pixels), when
   * the vision bridge offers `landmarks()`; null when it does not or finds no face. The landmark
   * model loads on first use; until then (or if it fails) the keypoint anchors stay.
   */
  private async denseAnchors(capture: Capture, signal?: AbortSignal): Promise<FaceAnchors | null> {
    const bridge = this.vision.bridge;
    if (typeof bridge.landmarks !== 'function') return null;
    try {
      // The bridge owns the bitmap from here (transferred to the worker, or closed).
      const bitmap = await createImageBitmap(capture.blob);
      const analysis = await bridge.landmarks(bitmap, performance.now(), signal);
      const face = analysis.faces.length === 1 ? analysis.faces[0] : undefined;
      return face ? anchorsFromLandmarks(face.landmarks) : null;
    } catch {
      return null;
    }
  }

  private clearCapture(): void {
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = '';
    this._capture = null;
    this.captureKey = '';
    this.anchors = null;
  }

  private clearDownload(): void {
    if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
    this.downloadUrl = '';
  }

  private setPhase(phase: Phase): void {
    this.flow.setPhase(phase);
  }

  /** The message to show: the element's own text, a skin-specific text, or the kit's. */
  private messageOf(error: FacekitError): string {
    if (isLocalError(error)) return error.message;
    // The endpoint client words a network failure in the language the element had when the call
    // began; the same wording is given in the element's language now. Else the code's message.
    if (error.code === 'NETWORK' && !(error instanceof EndpointError)) {
      const key = NETWORK_MESSAGE_KEYS.find((candidate) =>
        Object.values(COMMON_MESSAGES).some((catalogue) => catalogue[candidate] === error.message),
      );
      if (key) return this.t(key);
    }
    // A skin-specific text, unless the page overrides the code's message.
    if (SKIN_ERROR_KEYS.has(error.code) && !this.messages?.[`code.${error.code}`]) {
      return this.t(`skin.error.${error.code}` as MessageKey);
    }
    return this.localize.error(error.code);
  }

  // ── formatting ───────────────────────────────────────────────────────────
  private formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
    return new Intl.NumberFormat(this.localize.lang, options).format(value);
  }

  private formatDate(at: number): string {
    return new Intl.DateTimeFormat(this.localize.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
  }

  private signed(value: number, digits = 0): string {
    if (value === 0) return this.t('skin.trend.same');
    return this.formatNumber(value, { signDisplay: 'always', maximumFractionDigits: digits });
  }

  private concernLabels(): Record<SkinConcern, string> {
    const labels = {} as Record<SkinConcern, string>;
    for (const key of SKIN_CONCERN_KEYS) labels[key] = this.t(`skin.concern.${key}` as MessageKey);
    return labels;
  }

  private trendText(): string {
    const trend = this.trend;
    if (!trend) return '';
    return this.t('skin.trend.since', {
      date: this.formatDate(trend.previous.at),
      score: this.signed(trend.score),
      age: this.signed(trend.age, 1),
    });
  }

  /** A field's value as the details table shows it. */
  private formatField(field: string, report: SkinReportData): TemplateResult | string {
    const kind = SKIN_FIELDS[field]?.kind ?? 'number';
    if (kind === 'image') {
      const url = this.safeUrl(report.images[field as SkinImageField]);
      return url
        ? html`<a href=${url} target="_blank" rel="noopener noreferrer">${this.t('skin.details.image')}</a>`
        : (report.images[field as SkinImageField] ?? '—');
    }
    if (kind === 'text') return report.texts[field] ?? '—';
    const value = report.metrics[field];
    if (value === undefined) return '—';
    switch (kind) {
      case 'score':
        return `${this.formatNumber(Math.round(value * 100))} / 100`;
      case 'ratio':
        return this.formatNumber(value, { style: 'percent', maximumFractionDigits: 2 });
      case 'count':
        return this.formatNumber(value, { maximumFractionDigits: 0 });
      case 'pixels':
        return this.t('skin.unit.pixels', { value: this.formatNumber(value, { maximumFractionDigits: 1 }) });
      case 'age':
        return this.t('skin.age.value', { age: this.formatNumber(value, { maximumFractionDigits: 1 }) });
      case 'grade':
        return [0, 1, 2, 3].includes(value) ? this.t(`skin.grade.${value}` as MessageKey) : String(value);
      case 'direction':
        return [-1, 0, 1].includes(value) ? this.t(`skin.direction.${value}` as MessageKey) : String(value);
      case 'code':
        return String(value);
      default:
        return this.formatNumber(value, { maximumFractionDigits: 2 });
    }
  }

  /**
   * A result image URL the element may load: `data:`/`blob:` images, or a URL on the endpoint's
   * origin (relative paths resolve against the endpoint). The element requests nothing else.
   */
  private safeUrl(value: string | undefined): string | undefined {
    if (!value) return undefined;
    if (/^data:image\//i.test(value) || /^blob:/i.test(value)) return value;
    if (!this.endpoint) return undefined;
    try {
      const endpoint = new URL(this.endpoint, document.baseURI);
      const url = new URL(value, endpoint.href.endsWith('/') ? endpoint.href : `${endpoint.href}/`);
      return url.origin === endpoint.origin && /^https?:$/.test(url.protocol) ? url.href : undefined;
    } catch {
      return undefined;
    }
  }

  // ── lifecycle ────────────────────────────────────────────────────────────
  override connectedCallback(): void {
    super.connectedCallback();
    if (this._capture && !this.previewUrl) this.previewUrl = URL.createObjectURL(this._capture.blob);
    void this.refreshHistory().catch(() => {});
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // The capture flow ends itself (and the upload).
    this.analysing = false;
    this.progress = null;
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = '';
    this.clearDownload();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('source')) this.flow.sourceChanged(changed.get('source'));
    if (changed.has('report')) {
      this.clearDownload();
      if (this.report && this.report !== this.ownReport) {
        // A report set by the page: no trend until the history is read, the default layers.
        this.trend = null;
        this.reportAt = Date.now();
        this.activeLayers = defaultLayers(this.report);
      }
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const historyChanged =
      (changed.has('historyKey') && changed.get('historyKey') !== undefined) ||
      (changed.has('noHistory') && changed.get('noHistory') !== undefined);
    const pageReport = changed.has('report') && !!this.report && this.report !== this.ownReport;
    if (historyChanged || pageReport) void this.refreshHistory().catch(() => {});
    // A new report: move focus to it when focus was in the element or nowhere.
    if (changed.has('report') && this.report) {
      const active = document.activeElement;
      if (!active || active === document.body || active === this) this.reportPanel?.focus();
    }
  }

  // ── render ───────────────────────────────────────────────────────────────
  private renderStage(): TemplateResult | typeof nothing {
    if (this.report) return nothing;
    if (this._capture && this.previewUrl) {
      return html`<figure class="preview"><img part="preview" src=${this.previewUrl} alt=${this.t('preview.alt')} /></figure>`;
    }
    if (this.flow.cameraShown) {
      const tone = this.flow.phase === 'guiding' ? this.tone : 'idle';
      return this.flow.renderCamera({ tone, label: this.t('camera.label') }, this.t('action.tap-to-start'));
    }
    if (this.flow.fileFallback) {
      return html`
        <div class="file-stage">
          ${this.flow.renderImageSourceButton(this.t('action.image-source'), this.flow.busy || this.flow.phase === 'uploading')}
          ${filePicker({
            id: `fk-file-${this.uid}`,
            label: this.t('file.label'),
            note: this.t('skin.file.note'),
            disabled: this.flow.busy || this.flow.phase === 'uploading',
            onChange: this.flow.onFileChange,
          })}
        </div>
      `;
    }
    return html`
      <div class="placeholder" aria-hidden="true">
        <svg viewBox="0 0 64 64" focusable="false">
          <ellipse cx="32" cy="30" rx="16" ry="21" fill="none" stroke="currentColor" stroke-width="3" stroke-dasharray="6 5" />
          <path d="M24 22c3-2 5-2 8 0M32 22c3-2 5-2 8 0M26 40c4 3 8 3 12 0" fill="none" stroke="currentColor" stroke-width="2" />
        </svg>
      </div>
    `;
  }

  private get tone(): GuideTone {
    if (this.flow.hint === 'uneven-light') return 'warn';
    return toneForHint(this.flow.hint);
  }

  /** The live region's text: the hint while guiding, else the phase. */
  private get statusText(): string {
    if (this.flow.phase === 'guiding' && this.flow.hint) return this.t(`hint.${this.flow.hint}` as MessageKey);
    if (this.flow.phase === 'guiding' && this.flow.fileFallback) return this.t('file.label');
    if (this.flow.phase === 'guiding') return this.t('skin.phase.guiding');
    if (this.flow.phase === 'loading' && this.flow.busy) return this.t('file.reading');
    if (this.flow.phase === 'uploading') return this.t(this.analysing ? 'skin.phase.analysing' : 'skin.phase.uploading');
    if (this.flow.phase === 'error' || this.flow.phase === 'idle' || (this.flow.phase === 'done' && this.report)) return '';
    return this.t(phaseKey(this.flow.phase));
  }

  private renderProgress(): TemplateResult | typeof nothing {
    if (this.flow.phase !== 'uploading') return nothing;
    const id = `fk-progress-${this.uid}`;
    const seconds = this.progress ? Math.round(this.progress.elapsedMs / 1000) : 0;
    return html`
      <div part="progress" class="progress">
        <span id=${id} class="visually-hidden">${this.t('skin.progress.label')}</span>
        <progress aria-labelledby=${id}></progress>
        ${this.analysing && this.progress && this.progress.attempt > 0
          ? html`<p class="note">${this.t('skin.progress.waiting', { seconds })}</p>`
          : nothing}
      </div>
    `;
  }

  private renderError(): TemplateResult | typeof nothing {
    // While the analysis runs, "try again" would upload (and bill) it a second time.
    return this.flow.renderError(this.t('action.retry'), this.flow.phase !== 'uploading');
  }

  private renderActions(): TemplateResult {
    const phase = this.flow.phase;
    const button = (label: string, onClick: () => void, options: { secondary?: boolean; disabled?: boolean } = {}): TemplateResult =>
      html`<button part="button" type="button" class=${options.secondary ? 'secondary' : ''} ?disabled=${!!options.disabled} @click=${onClick}>${label}</button>`;

    const buttons: TemplateResult[] = [];
    if (this.report) {
      buttons.push(button(this.t('action.again'), this.onAgainClick));
      buttons.push(button(this.t('skin.action.export'), this.onExportClick, { secondary: true, disabled: this.exporting }));
    } else if (this._capture) {
      const uploading = phase === 'uploading';
      buttons.push(button(this.t('action.retake'), this.onRetakeClick, { secondary: true, disabled: uploading }));
      if (phase !== 'queued' && !(phase === 'error' && this.flow.error?.retryable)) {
        buttons.push(button(this.t('skin.action.analyze'), this.onSubmitClick, { disabled: uploading }));
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

  private renderSummary(report: SkinReportData): TemplateResult {
    const score = scorePoints(report.synScore) ?? 0;
    const band = scoreBand(report.synScore);
    const bandText = band ? this.t(`skin.band.${band}` as MessageKey) : '';
    const labels = this.concernLabels();
    const ranked = rankConcerns(report);
    const separator = this.t('skin.summary.separator');
    const weakest = ranked.slice(0, 2).map((key) => labels[key]);
    const strongest = ranked.slice(-2).reverse().map((key) => labels[key]);
    const trend = this.trend;
    return html`
      <div part="summary" class="summary">
        <div class="ring">
          ${scoreRing({
            value: report.synScore,
            display: String(score),
            unit: this.t('skin.score.unit'),
            label: this.t('skin.score.aria', { score, band: bandText }),
            tone: band,
          })}
        </div>
        <dl class="headline">
          <div>
            <dt>${this.t('skin.score.label')}</dt>
            <dd class="score-value" data-value=${score}>${score} <span class="band band-${band}">${bandText}</span></dd>
          </div>
          <div>
            <dt>${this.t('skin.age.label')}</dt>
            <dd class="age-value" data-value=${Math.round(report.synAge)}>${this.t('skin.age.value', { age: Math.round(report.synAge) })}</dd>
          </div>
        </dl>
        <div class="plain">
          ${weakest.length ? html`<p class="focus">${this.t('skin.summary.focus', { list: weakest.join(separator) })}</p>` : nothing}
          ${strongest.length ? html`<p class="strength">${this.t('skin.summary.strength', { list: strongest.join(separator) })}</p>` : nothing}
          ${report.faceDirection !== null && report.faceDirection !== 0
            ? html`<p class="turned" part="notice">${this.t('skin.summary.turned')}</p>`
            : nothing}
          ${this.noHistory
            ? nothing
            : html`<p class="trend" part="trend">${trend ? this.trendText() : this.t('skin.trend.first')}</p>`}
        </div>
      </div>
    `;
  }

  private renderRadar(report: SkinReportData): TemplateResult {
    const labels = this.concernLabels();
    const ranked = rankConcerns(report);
    const separator = this.t('skin.summary.separator');
    const trend = this.trend;
    return radarChart({
      id: `fk-radar-${this.uid}`,
      title: this.t('skin.radar.title'),
      description: this.t('skin.radar.desc', {
        count: SKIN_CONCERN_KEYS.length,
        weakest: ranked.slice(0, 2).map((key) => labels[key]).join(separator),
        strongest: ranked.slice(-2).reverse().map((key) => labels[key]).join(separator),
      }),
      axes: SKIN_CONCERN_KEYS.map((key) => {
        const value = report.concerns[key].score;
        const change = trend?.concerns[key];
        return {
          label: labels[key],
          value,
          previous: trend ? (trend.previous.scores?.[key] ?? null) : undefined,
          display: value === null ? '—' : String(scorePoints(value)),
          change: change === null || change === undefined ? undefined : this.signed(change),
        };
      }),
      columns: { label: this.t('skin.radar.concern'), value: this.t('skin.radar.score'), change: this.t('skin.trend.column') },
      currentLabel: this.t('skin.radar.current'),
      previousLabel: this.t('skin.radar.previous'),
    });
  }

  private renderWrinkles(report: SkinReportData): TemplateResult {
    const capture = this._capture;
    const regions = capture && this.previewUrl && this.anchors ? placeWrinkleRegions(this.anchors) : null;
    const view = regions && capture ? wrinkleMapView(regions, capture.width, capture.height) : null;
    /** The photo placed so that the view fills the figure (the SVG shows the same view). */
    const photoPlacement = (whole: { width: number; height: number }, part: MapView): Record<string, string> => ({
      left: `${(-part.x / part.width) * 100}%`,
      top: `${(-part.y / part.height) * 100}%`,
      width: `${(whole.width / part.width) * 100}%`,
      height: `${(whole.height / part.height) * 100}%`,
    });
    const titleId = `fk-wrinkles-${this.uid}`;
    const descId = `fk-wrinkles-desc-${this.uid}`;
    const zoneText = (zone: (typeof SKIN_WRINKLE_ZONE_KEYS)[number]): { score: string; count: string } => {
      const value = report.wrinkleZones[zone];
      if (!value.measured) return { score: this.t('skin.wrinkles.not-measured'), count: '—' };
      return {
        score: value.score === null ? '—' : String(scorePoints(value.score)),
        count: value.count === null ? '—' : this.formatNumber(value.count),
      };
    };
    return html`
      <section class="section wrinkles" aria-labelledby=${titleId}>
        <h3 id=${titleId}>${this.t('skin.wrinkles.title')}</h3>
        ${regions && capture && view
          ? html`
              <figure part="chart wrinkle-map" class="chart wrinkle-map" ${cssProps({ 'aspect-ratio': `${view.width} / ${view.height}` })}>
                <img src=${this.previewUrl} alt="" ${cssProps(photoPlacement(capture, view))} />
                <svg
                  viewBox="${view.x} ${view.y} ${view.width} ${view.height}"
                  role="img"
                  aria-labelledby="${titleId}-svg ${descId}"
                  focusable="false"
                  ${cssProps({ '--fk-stroke': `${Math.max(1.5, view.width / 200)}px` })}
                >
                  <title id="${titleId}-svg">${this.t('skin.wrinkles.title')}</title>
                  <desc id=${descId}>${this.t('skin.wrinkles.desc')}</desc>
                  ${regions.map((region) => {
                    const value = report.wrinkleZones[region.zone];
                    const band = value.measured ? scoreBand(value.score) : null;
                    const text = zoneText(region.zone);
                    const fontSize = view.width / 22;
                    return svg`<g class=${`zone zone-${region.zone} band-${band ?? 'none'}`} data-zone=${region.zone}>
                      ${region.shapes.map(
                        (shape) =>
                          svg`<ellipse rx=${shape.rx.toFixed(1)} ry=${shape.ry.toFixed(1)} transform=${ellipseTransform(shape)}></ellipse>`,
                      )}
                      <text x=${region.label.x.toFixed(1)} y=${region.label.y.toFixed(1)} font-size=${fontSize.toFixed(0)} text-anchor="middle" dy="0.35em">${value.measured ? `${text.score} · ${text.count}` : '—'}</text>
                    </g>`;
                  })}
                </svg>
              </figure>
            `
          : nothing}
        <table class="zones">
          <caption class="visually-hidden">${this.t('skin.wrinkles.title')}</caption>
          <thead>
            <tr>
              <th scope="col">${this.t('skin.wrinkles.zone')}</th>
              <th scope="col">${this.t('skin.wrinkles.score')}</th>
              <th scope="col">${this.t('skin.wrinkles.count')}</th>
            </tr>
          </thead>
          <tbody>
            ${SKIN_WRINKLE_ZONE_KEYS.map((zone) => {
              const text = zoneText(zone);
              const value = report.wrinkleZones[zone];
              const band = value.measured ? scoreBand(value.score) : null;
              return html`<tr data-zone=${zone}>
                <th scope="row"><span class="swatch band-${band ?? 'none'}" aria-hidden="true"></span>${this.t(`skin.zone.${zone}` as MessageKey)}</th>
                <td>${text.score}</td>
                <td>${text.count}</td>
              </tr>`;
            })}
          </tbody>
        </table>
        ${report.counts.wrinkles !== null
          ? html`<p class="note">${this.t('skin.wrinkles.total', { count: this.formatNumber(report.counts.wrinkles) })}</p>`
          : nothing}
      </section>
    `;
  }

  private renderCounts(report: SkinReportData): TemplateResult {
    const titleId = `fk-counts-${this.uid}`;
    const count = (value: number | null): string => (value === null ? '—' : this.formatNumber(value));
    const sized = (caption: string, counts: SkinReportData['counts']['pores']): TemplateResult =>
      barList({
        caption,
        columns: { label: this.t('skin.counts.item'), value: this.t('skin.counts.value') },
        max: Math.max(counts.small ?? 0, counts.medium ?? 0, counts.large ?? 0),
        rows: [
          { label: this.t('skin.size.small'), value: counts.small, display: count(counts.small) },
          { label: this.t('skin.size.medium'), value: counts.medium, display: count(counts.medium) },
          { label: this.t('skin.size.large'), value: counts.large, display: count(counts.large) },
          { label: this.t('skin.size.total'), value: null, display: count(counts.total) },
        ],
      });
    const labels = this.concernLabels();
    const grade = report.darkCircleGrade;
    return html`
      <section part="counts" class="section counts" aria-labelledby=${titleId}>
        <h3 id=${titleId}>${this.t('skin.counts.title')}</h3>
        <div class="count-grid">
          ${sized(this.t('skin.counts.pores'), report.counts.pores)}
          ${sized(this.t('skin.counts.blackHeads'), report.counts.blackHeads)}
          ${barList({
            caption: this.t('skin.counts.spots'),
            columns: { label: this.t('skin.counts.item'), value: this.t('skin.counts.value') },
            rows: [
              { label: labels.surfaceSpot, value: report.counts.surfaceSpots, display: count(report.counts.surfaceSpots) },
              { label: labels.brownSpot, value: report.counts.brownSpots, display: count(report.counts.brownSpots) },
              { label: labels.redAcne, value: report.counts.acne, display: count(report.counts.acne) },
              { label: this.t('skin.counts.sensitiveAreas'), value: report.counts.sensitiveAreas, display: count(report.counts.sensitiveAreas) },
            ],
          })}
          <div class="dark-circles">
            <p class="label">${this.t('skin.darkCircles.title')}</p>
            <p class="grade" data-grade=${grade ?? ''}>
              ${this.t('skin.darkCircles.grade', { grade: grade === null ? '—' : this.t(`skin.grade.${grade}` as MessageKey) })}
            </p>
            <div class="grade-scale" aria-hidden="true">
              ${[0, 1, 2, 3].map((step) => html`<span class=${classMap({ step: true, on: grade !== null && step <= grade })}></span>`)}
            </div>
          </div>
        </div>
      </section>
    `;
  }

  private renderViewer(report: SkinReportData): TemplateResult {
    const titleId = `fk-viewer-${this.uid}`;
    const sliderId = `fk-compare-${this.uid}`;
    const available = SKIN_IMAGE_FIELDS.filter((field) => this.safeUrl(report.images[field]));
    const capture = this._capture;
    const photo = capture && this.previewUrl ? this.previewUrl : '';
    const position = this.comparePosition;
    const active = this.activeLayers.filter((field) => available.includes(field));
    return html`
      <section part="viewer" class="section viewer" aria-labelledby=${titleId}>
        <h3 id=${titleId}>${this.t('skin.viewer.title')}</h3>
        ${available.length === 0
          ? html`<p class="note">${this.t('skin.viewer.none')}</p>`
          : html`
              <div
                part="viewer-stage"
                class="viewer-stage"
                role="group"
                aria-label=${this.t('skin.viewer.stage')}
                ${cssProps({ 'aspect-ratio': capture ? `${capture.width} / ${capture.height}` : '3 / 4' })}
              >
                ${photo ? html`<img class="base" src=${photo} alt=${this.t('skin.photo.alt')} />` : nothing}
                <div class="layers" ${cssProps({ 'clip-path': `inset(0 0 0 ${position}%)` })}>
                  ${active.map(
                    (field) =>
                      html`<img class="layer layer-${skinImageKind(field)}" data-field=${field} src=${this.safeUrl(report.images[field])!} alt=${this.t(`skin.field.${field}` as MessageKey)} />`,
                  )}
                </div>
                <div class="divider" ${cssProps({ 'inset-inline-start': `${position}%` })} aria-hidden="true"></div>
              </div>
              ${photo ? nothing : html`<p class="note">${this.t('skin.viewer.no-photo')}</p>`}
              <div class="field compare">
                <label for=${sliderId}>${this.t('skin.viewer.slider')}</label>
                <input
                  id=${sliderId}
                  part="compare-slider"
                  type="range"
                  min="0"
                  max="100"
                  step="1"
                  .value=${live(String(position))}
                  aria-valuetext=${this.t('skin.viewer.slider-value', { after: 100 - position })}
                  @input=${this.onCompareInput}
                />
              </div>
              ${IMAGE_KINDS.map((kind) => {
                const fields = available.filter((field) => skinImageKind(field) === kind);
                if (fields.length === 0) return nothing;
                const legendId = `fk-layers-${kind}-${this.uid}`;
                return html`
                  <div class="layer-group" role="group" aria-labelledby=${legendId}>
                    <p class="label" id=${legendId}>${this.t(`skin.viewer.kind.${kind}` as MessageKey)}</p>
                    <div class="toggles">
                      ${fields.map(
                        (field) =>
                          html`<button
                            part="button layer-toggle"
                            type="button"
                            class="toggle"
                            data-field=${field}
                            aria-pressed=${active.includes(field) ? 'true' : 'false'}
                            @click=${this.onLayerToggle}
                          >
                            ${this.t(`skin.field.${field}` as MessageKey)}
                          </button>`,
                      )}
                    </div>
                  </div>
                `;
              })}
            `}
      </section>
    `;
  }

  private renderDetails(report: SkinReportData): TemplateResult {
    const fields = presentFields(report);
    const byGroup = (group: SkinFieldGroup): string[] => fields.filter((field) => (SKIN_FIELDS[field]?.group ?? 'overall') === group);
    return html`
      <details part="details" class="section details">
        <summary>${this.t('skin.details.title')}</summary>
        <table>
          <caption class="visually-hidden">${this.t('skin.details.title')}</caption>
          <thead>
            <tr>
              <th scope="col">${this.t('skin.details.field')}</th>
              <th scope="col">${this.t('skin.details.value')}</th>
              <th scope="col">${this.t('skin.details.name')}</th>
            </tr>
          </thead>
          ${SKIN_FIELD_GROUPS.map((group) => {
            const rows = byGroup(group);
            if (rows.length === 0) return nothing;
            return html`<tbody>
              <tr class="group"><th scope="colgroup" colspan="3">${this.t(`skin.group.${group}` as MessageKey)}</th></tr>
              ${rows.map(
                (field) => html`<tr data-field=${field}>
                  <th scope="row">${field in SKIN_FIELDS ? this.t(`skin.field.${field}` as MessageKey) : field}</th>
                  <td>${this.formatField(field, report)}</td>
                  <td><code>${field}</code></td>
                </tr>`,
              )}
            </tbody>`;
          })}
        </table>
      </details>
    `;
  }

  private renderHistory(): TemplateResult | typeof nothing {
    if (this.noHistory) return nothing;
    const titleId = `fk-history-${this.uid}`;
    const entries = this.historyEntries;
    const recent = entries.slice(-5).reverse();
    return html`
      <section part="history" class="section history" aria-labelledby=${titleId}>
        <h3 id=${titleId}>${this.t('skin.history.title')}</h3>
        <p class="note history-count" role="status">
          ${this.historyNote ? html`${this.historyNote} ` : nothing}${entries.length
            ? this.t('skin.history.count', { count: entries.length })
            : this.t('skin.history.empty')}
        </p>
        ${recent.length
          ? html`<table class="history-table">
              <caption class="visually-hidden">${this.t('skin.history.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">${this.t('skin.history.date')}</th>
                  <th scope="col">${this.t('skin.score.label')}</th>
                  <th scope="col">${this.t('skin.age.label')}</th>
                </tr>
              </thead>
              <tbody>
                ${recent.map(
                  (entry) => html`<tr>
                    <th scope="row">${this.formatDate(entry.at)}</th>
                    <td>${scorePoints(entry.synScore)}</td>
                    <td>${this.formatNumber(entry.synAge, { maximumFractionDigits: 1 })}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
          : nothing}
        <div class="actions">
          <button part="button" type="button" class="secondary" ?disabled=${entries.length === 0} @click=${this.onClearHistoryClick}>
            ${this.t('skin.action.clear-history')}
          </button>
        </div>
      </section>
    `;
  }

  private renderReport(): TemplateResult | typeof nothing {
    const report = this.report;
    if (!report) return nothing;
    const titleId = `fk-report-${this.uid}`;
    return html`
      <section part="report" class="report" tabindex="-1" aria-labelledby=${titleId}>
        <header class="report-head">
          <h2 id=${titleId}>${this.t('skin.report.title')}</h2>
          <p class="note">${this.t('skin.report.date', { date: this.formatDate(this.reportAt || Date.now()) })}</p>
        </header>
        ${this.renderSummary(report)}
        <section class="section" aria-labelledby="fk-radar-${this.uid}-heading">
          <h3 id="fk-radar-${this.uid}-heading">${this.t('skin.radar.title')}</h3>
          ${this.renderRadar(report)}
        </section>
        ${this.renderWrinkles(report)} ${this.renderCounts(report)} ${this.renderViewer(report)} ${this.renderDetails(report)}
        ${this.downloadUrl
          ? html`<p class="download"><a part="download" href=${this.downloadUrl} download=${`skin-report-${isoDate(this.reportAt)}.png`}>${this.t('skin.action.download')}</a></p>`
          : nothing}
        ${this.renderHistory()}
      </section>
    `;
  }

  override render(): TemplateResult {
    const tone = this.flow.phase === 'guiding' && !this.flow.fileFallback ? this.tone : 'idle';
    return html`
      <div class="root">
        <slot></slot>
        <div class="stage">${this.renderStage()}</div>
        ${hintRegion(this.statusText, tone)} ${this.renderProgress()} ${this.renderError()} ${this.renderActions()}
        ${this.renderReport()}
      </div>
    `;
  }
}

function retryAfterOf(envelope: Envelope<unknown>): number | null {
  const value = (envelope.data as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The wrinkle findings are shown first; else the first overlay the report has. */
function defaultLayers(report: SkinReportData): SkinImageField[] {
  if (report.images.imgWrinkle) return ['imgWrinkle'];
  const first = SKIN_IMAGE_FIELDS.find((field) => report.images[field] && skinImageKind(field) === 'overlay');
  return first ? [first] : [];
}

function isoDate(at: number): string {
  const date = new Date(at || Date.now());
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
