import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import {
  CameraController,
  EndpointError,
  FacekitError,
  LivenessSession,
  LocalizeController,
  blobToBase64,
  livenessFailureKey,
  livenessHintKey,
  meanSignature,
  phaseKey,
  signatureDistance,
  type Capture,
  type EndpointClient,
  type FaceGeometry,
  type FaceSignature,
  type LivenessAction,
  type LivenessState,
  type MessageKey,
  type Phase,
  LIVENESS_MESSAGES,
} from '@facekit/core';
import { emit } from '../events.js';
import { hintRegion, type GuideTone } from '../shared/camera-view.js';
import { CaptureController } from '../shared/capture-controller.js';
import { isLocalError, localError } from '../shared/errors.js';
import { cameraViewStyles } from '../shared/camera-view.styles.js';
import { maskIdNumber, randomId } from '../shared/mask.js';
import { baseStyles, tokens } from '../shared/tokens.styles.js';
import { FacekitElement } from '../shared/facekit-element.js';
import { livenessCheckStyles } from './liveness-check.styles.js';
import {
  THRESHOLD_OF_LEVEL,
  actionLogOf,
  deviceVerdict,
  grantActions,
  imageBase64,
  maskName,
  securityLevelOf,
  vendorResult,
  type LivenessCheckResult,
  type LivenessGrant,
  type LivenessResultData,
  type LivenessVerifyData,
  type SecurityLevel,
} from './liveness-result.js';

/**
 * FaceID's limit on a photo: "单张照片大小超过了2MB" answers 413, so the best frame's base64 text stays
 * within that of 2 MB (the endpoint checks the same bound).
 */
const FACEID_MAX_IMAGE_BASE64_CHARS = 4 * Math.ceil((2 * 1024 * 1024) / 3);
/** The best frame aims at this JPEG size: a sharp 1024 px face crop, well within the limit. */
const BEST_FRAME_TARGET_BYTES = 200_000;
/**
 * At most one best-frame candidate is offered to the worker per this many ms: its detector costs
 * ~12 ms there, and the copy of the frame a little here; a session of a few seconds still offers a
 * dozen or more.
 */
const BEST_FRAME_INTERVAL_MS = 400;
/** Eyes count as open at this share of the user's recent open level (the engine closes at 0.75). */
const EYES_OPEN_RATIO = 0.9;
/** Recent single-face frames whose median eye openness is the open level. */
const EYE_HISTORY = 15;
/** Frames after the baseline whose mean signature is the face a best frame must match. */
const REFERENCE_FRAMES = 5;
/**
 * Passing hints (no face, hold still …) are shown only after they held this long: a one-frame miss
 * of the detector does not flicker the text, and "keep your face in the frame" still shows before
 * the engine gives up on a face that left (after 5 frames, a third of a second).
 */
const HINT_HOLD_MS = 200;
/** liveness.result is polled while FaceID answers "in progress" (9000), for at most this long. */
const RESULT_POLL_MS = 30_000;
const RESULT_POLL_FIRST_MS = 600;
const RESULT_POLL_MAX_MS = 3000;

/** Phases in which the camera is (being) used. */
const CAMERA_PHASES = new Set<Phase>(['loading', 'starting-camera', 'guiding']);

/** What the prompt shows; replaced only when something visible changes. */
interface PromptView {
  action: LivenessAction | null;
  /** 1-based; `steps + 1` during the extra blink. */
  step: number;
  steps: number;
  extra: boolean;
  /** 0…100, in steps of 5. */
  progress: number;
  /** Whole seconds left for the session. */
  seconds: number;
  /** Share of the current action's time left, 0…1 in twentieths. */
  actionLeft: number;
  hintKey: MessageKey;
}

/** `auto-submit` defaults to true: the attribute is on unless it reads "false". */
const autoSubmitConverter = {
  fromAttribute: (value: string | null): boolean => value === null || value.trim().toLowerCase() !== 'false',
  toAttribute: (value: boolean): string | null => (value ? '' : 'false'),
};

/**
 * Action liveness on the device, then identity verification by FaceID through the site's signing
 * endpoint.
 *
 * `start()` asks the endpoint for a session (`liveness.start`, FaceID's get_biz_token with the
 * identity, the reference photos, `security-level` and `biz-no`) while the landmark model loads and
 * the camera opens. The endpoint picks the actions (1–3 of blink, nod, shake); the element draws
 * them itself only when the endpoint sends none. The user then performs them in front of the
 * camera, each with a prompt, a progress bar and its own time limit, under the session's overall
 * countdown. Everything about the actions is judged on the device (`LivenessSession` of
 * @facekit/core): exactly one face, the same face throughout, and at least one blink, so that a
 * still photo held to the camera fails before anything billable is called.
 *
 * Meanwhile the vision worker keeps the session's best frame: frames with open eyes (measured by the
 * landmarks) and the same face as the session's start are offered to its quality scoring (frontal,
 * sharp, well lit), and the best one is encoded as a JPEG within FaceID's 2 MB limit. When the
 * actions pass, `submit()` (at once with `auto-submit`, the default) uploads it with the action log
 * (`liveness.verify`, billable), then reads the verdict (`liveness.result`): the confidence against
 * the threshold of the security level (1e-3…1e-6) and every result code of the document, shown with
 * a localised reason.
 *
 * Why `liveness.start` comes first: the endpoint picks the actions and refuses a log that did not
 * follow them, so the session must exist before the user acts. get_biz_token is not billed (FaceID
 * bills a completed verification only); an attempt that fails on the device leaves its token unused.
 *
 * The live camera is the only source (there is no `source` attribute): actions cannot be performed
 * in a photo file. Each `start()` is a new session with new actions; "Try again" does the same.
 *
 * @summary On-device action liveness with live prompts, then FaceID identity verification.
 *
 * @event {CustomEvent<FacekitStatusDetail>} facekit-status - `{ phase, liveness? }` at each phase (idle, loading, starting-camera, guiding, captured, uploading, queued, done, error); while guiding, also whenever the action or the hint changes, with `liveness: { action, step, steps, hint }`.
 * @event {CustomEvent<LivenessCheckResult>} facekit-result - `{ mode: 'liveness', passed, verdict, reasonCode, reason, stage, actions, … }` (see `LivenessCheckResult`): for a verdict on the device (`stage: 'device'`, e.g. a still photo: `deviceFailure: 'NO_BLINK'`) and for FaceID's (`stage: 'faceid'`, with `resultCode`, `confidence`, `threshold`). Never holds the ID number, the name or an image.
 * @event {CustomEvent<FacekitErrorDetail>} facekit-error - `{ code, message, retryable }` for failures of the flow (camera, model, network, endpoint); `message` is in the element's language.
 *
 * @slot - A header or introduction shown above the camera.
 * @slot result - Replaces the built-in result view (listen to `facekit-result` to fill it).
 *
 * @csspart identity - The line naming the identity being verified (masked).
 * @csspart camera - The camera view (video, shade and oval).
 * @csspart video - The live `<video>`.
 * @csspart guide - The SVG overlay with the oval guide.
 * @csspart hint - The live region with the current prompt or status.
 * @csspart prompt - The action panel: icon, step, progress and countdown.
 * @csspart progress - The `<progress>` of the current action.
 * @csspart countdown - The time left for the whole check.
 * @csspart actions - The row of action buttons.
 * @csspart button - Every button.
 * @csspart result - The result panel (verdict and reason).
 * @csspart error - The error message box.
 *
 * @cssproperty --facekit-font-family - Font stack.
 * @cssproperty --facekit-font-size - Base font size (default 1rem).
 * @cssproperty --facekit-color-fg - Text colour.
 * @cssproperty --facekit-color-muted - Secondary text colour.
 * @cssproperty --facekit-color-bg - Background colour.
 * @cssproperty --facekit-color-surface - Background of panels (hint, prompt, result).
 * @cssproperty --facekit-color-border - Borders of panels.
 * @cssproperty --facekit-color-accent - Buttons, progress and focus ring.
 * @cssproperty --facekit-color-accent-fg - Text on accent buttons.
 * @cssproperty --facekit-color-good - Oval while acting; a passed verdict.
 * @cssproperty --facekit-color-warn - Oval and hint when the face is missing or not alone; the time bar near its end.
 * @cssproperty --facekit-color-error - Errors and failed verdicts.
 * @cssproperty --facekit-guide-dim - Shade outside the oval.
 * @cssproperty --facekit-guide-idle - Oval colour while no face is found.
 * @cssproperty --facekit-radius - Corner radius.
 * @cssproperty --facekit-gap - Spacing between blocks.
 * @cssproperty --facekit-max-width - Largest width of the element (default 480px).
 * @cssproperty --facekit-duration - Transition length (0 with prefers-reduced-motion).
 */
export class LivenessCheck extends FacekitElement {
  static override styles = [tokens, baseStyles, cameraViewStyles, livenessCheckStyles];

  // ── controllers ──────────────────────────────────────────────────────────
  private readonly localize = new LocalizeController(this, LIVENESS_MESSAGES);
  private readonly camera = new CameraController(this, { facingMode: 'user', width: 640, height: 480 });
  /** The capture flow: phases, errors, the camera loop, retry and the endpoint client. */
  protected readonly flow = new CaptureController(this, {
    camera: this.camera,
    localize: this.localize,
    messageOf: (error) => this.messageOf(error),
    guide: (run) => this.guide(run),
    resend: () => this.submit(),
    // The prompt stays on the verdict's way (captured), and goes with any other phase.
    onPhase: (phase) => {
      if (phase !== 'guiding' && phase !== 'captured') this.view = null;
    },
  });
  private readonly vision = this.flow.vision;

  // ── queries ──────────────────────────────────────────────────────────────
  @query('.result') private resultPanel?: HTMLElement | null;

  // ── private state ────────────────────────────────────────────────────────
  @state() private view: PromptView | null = null;
  @state() private result: LivenessCheckResult | null = null;

  private session: LivenessSession | null = null;
  private grant: LivenessGrant | null = null;
  private bestFrame: Capture | null = null;
  /** Idempotency key of this attempt's upload, so that a resent verify is recognised by the endpoint. */
  private captureKey = '';
  /** liveness.verify's answer, once given: a retry then only reads the result. */
  private verified: LivenessVerifyData | null = null;
  // Best-frame selection.
  private eyeHistory: number[] = [];
  private referenceFrames: FaceSignature[] = [];
  private referenceSignature: FaceSignature | null = null;
  private lastOfferAt = Number.NEGATIVE_INFINITY;
  private offering = false;
  // Hint smoothing.
  private shownHint: MessageKey | null = null;
  private candidateHint: MessageKey | null = null;
  private candidateSince = 0;
  private lastStatus = '';
  private readonly uid = randomId().slice(0, 8);

  // ── properties ───────────────────────────────────────────────────────────
  /** How many actions to ask for, 1–3 (default 3); sent as `liveness_action_count`. */
  @property({ attribute: 'action-count', type: Number }) actionCount = 3;

  /** The whole check's time limit in seconds (default 60); sent as `liveness_timeout`. */
  @property({ attribute: 'timeout', type: Number }) timeout = 60;

  /** Each action's own time limit in seconds (default 10). */
  @property({ attribute: 'action-timeout', type: Number }) actionTimeout = 10;

  /**
   * How strict the identity comparison is (`security_level`): 1 lenient (1e-3 false accepts), 2
   * standard (1e-4, default), 3 strict (1e-5), 4 very strict (1e-6).
   */
  @property({ attribute: 'security-level', type: Number }) securityLevel: SecurityLevel = 2;

  /** The name on the identity card (`idcard_name`). Shown masked; never in events. */
  @property({ attribute: 'idcard-name' }) idcardName = '';

  /**
   * The identity card number (`idcard_number`). Shown masked; never in events. Prefer setting the
   * property: an attribute is visible in the page's DOM.
   */
  @property({ attribute: 'idcard-number' }) idcardNumber = '';

  /** Up to two reference photos (`image_ref1`, `image_ref2`): Blobs, `data:` URLs or base64. Property only. */
  @property({ attribute: false }) reference: ReadonlyArray<Blob | string> = [];

  /** The site's business number (`biz_no`, at most 128 bytes), returned with the result. */
  @property({ attribute: 'biz-no' }) bizNo = '';

  /**
   * Verify as soon as the actions pass (default on). `auto-submit="false"` waits for `submit()` or
   * the Submit button instead.
   */
  @property({ attribute: 'auto-submit', converter: autoSubmitConverter }) autoSubmit = true;

  // ── public API ───────────────────────────────────────────────────────────
  /** The on-device check's latest state (actions, progress, log), or null before a session. */
  get livenessState(): LivenessState | null {
    return this.session?.current ?? null;
  }

  /** The best frame that is (or will be) sent as `image_best`, once the actions passed. */
  get capture(): Capture | null {
    return this.bestFrame;
  }

  /** The last result, or null. */
  get lastResult(): LivenessCheckResult | null {
    return this.result;
  }

  /**
   * Starts a new attempt: a new FaceID session from the endpoint, the landmark model, the camera, and
   * the actions. Each call is a fresh session with fresh actions.
   */
  async start(): Promise<void> {
    const run = this.flow.beginRun();
    this.flow.upload?.abort();
    this.flow.upload = null;
    this.clearAttempt();
    this.result = null;
    this.flow.error = null;
    this.flow.retryAction = () => this.start();
    try {
      this.flow.requireEndpoint();
      if (!this.hasIdentity) throw localError('BAD_REQUEST', this.t('liveness.error.no-identity'));
    } catch (error) {
      this.flow.fail(error);
      return;
    }

    this.setPhase('loading');
    // The session is asked for while the model loads and the camera opens.
    const granted = this.requestGrant(run.signal);
    granted.catch(() => {}); // observed below
    try {
      await this.vision.bridge.ready(run.signal);
      await this.warmLandmarks(run.signal);
    } catch (error) {
      if (!run.signal.aborted) this.flow.fail(error);
      return;
    }
    if (run.signal.aborted) return;

    this.setPhase('starting-camera');
    await this.updateComplete; // the video is in the document before it plays
    try {
      await this.camera.start();
      const grant = await granted;
      if (run.signal.aborted) return;
      this.grant = grant;
      this.session = this.createSession(grant);
    } catch (error) {
      if (run.signal.aborted) return;
      run.abort();
      this.camera.stop();
      this.flow.fail(error);
      return;
    }
    if (run.signal.aborted) return;
    // 'needs-tap': the tap button calls onTapToStart(), which goes on from here.
    if (this.camera.state === 'live') await this.guide(run);
  }

  /**
   * Sends the best frame and the action log (`liveness.verify`), then reads FaceID's verdict
   * (`liveness.result`). Resolves with the result (also sent as `facekit-result`), or null after a
   * failure (sent as `facekit-error`). A network failure keeps the upload queued; it is sent
   * again when back online, or by itself after a wait.
   */
  async submit(): Promise<LivenessCheckResult | null> {
    if (this.flow.phase === 'uploading') return null;
    const capture = this.bestFrame;
    const grant = this.grant;
    const session = this.session;
    try {
      this.flow.requireEndpoint();
      if (!capture || !grant || !session || session.current.phase !== 'passed') {
        throw localError('BAD_REQUEST', this.t('liveness.error.no-capture'));
      }
    } catch (error) {
      // Nothing was sent: say why, stay in the current phase.
      this.flow.report(error);
      return null;
    }

    const upload = this.flow.beginUpload();
    const { signal } = upload;
    this.flow.retryAction = () => this.submit();
    this.flow.error = null;
    this.result = null;
    this.setPhase('uploading');
    try {
      const client = this.flow.client;
      let verify = this.verified;
      if (!verify) {
        try {
          const answer = await client.submit<LivenessVerifyData>(
            'liveness.verify',
            { biz_token: grant.bizToken, image_best: await blobToBase64(capture.blob), action_log: actionLogOf(session.current.log) },
            { signal, idempotencyKey: `${this.captureKey}:verify` },
          );
          verify = answer.data ?? { passed: false, sdkCode: null, verdict: 'failed', reasonCode: 'VENDOR_ERROR' };
        } catch (error) {
          // Uploaded, but FaceID has not decided yet (9000): the result is polled below.
          if (!(error instanceof FacekitError && error.code === 'IN_PROGRESS')) throw error;
          verify = { passed: false, sdkCode: 59_000, verdict: 'failed', reasonCode: 'IN_PROGRESS' };
        }
        if (signal.aborted) return null;
        this.verified = verify;
      }
      // sdkCode null: the endpoint refused the log before any upload; there is no result to read.
      const data = verify.sdkCode === null ? null : await this.pollResult(client, grant.bizToken, signal);
      if (signal.aborted) return null;
      const level = securityLevelOf(grant.securityLevel ?? this.securityLevel);
      const result = vendorResult(verify, data, {
        actions: [...session.actions],
        securityLevel: level,
        bizToken: grant.bizToken,
        bizNo: grant.bizNo ?? (this.bizNo || undefined),
        reason: (code) => this.localize.error(code),
      });
      this.finish(result);
      return result;
    } catch (error) {
      // A network failure before FaceID's answer stays queued: "try again" resends it with the same idempotency key.
      if (!signal.aborted) this.flow.failUpload(error, !this.verified);
      return null;
    } finally {
      this.flow.endUpload(upload);
    }
  }

  /** Releases the camera and abandons the actions in progress. A result or an upload in flight stay. */
  stop(): void {
    if (CAMERA_PHASES.has(this.flow.phase)) {
      this.session = null;
      this.view = null;
    }
    this.flow.stop();
  }

  /** Back to idle: stops everything and forgets the session, the frame, the result and the error. */
  reset(): void {
    this.flow.reset();
    this.clearAttempt();
    this.result = null;
    this.setPhase('idle');
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

  // ── flow ─────────────────────────────────────────────────────────────────
  private t(key: MessageKey, params?: Record<string, string | number>): string {
    return this.localize.t(key, params);
  }

  private get hasIdentity(): boolean {
    return (!!this.idcardName.trim() && !!this.idcardNumber.trim()) || this.reference.length > 0;
  }

  private clearAttempt(): void {
    this.session = null;
    this.grant = null;
    this.bestFrame = null;
    this.captureKey = '';
    this.verified = null;
    this.view = null;
  }

  /** `liveness.start`: the FaceID session (biz_token) and the actions the endpoint picked. */
  private async requestGrant(signal: AbortSignal): Promise<LivenessGrant> {
    const body: Record<string, unknown> = {
      liveness_action_count: clampInteger(this.actionCount, 1, 3, 3),
      liveness_timeout: clampInteger(this.timeout, 1, 3600, 60),
      security_level: securityLevelOf(this.securityLevel),
    };
    if (this.idcardName.trim()) body.idcard_name = this.idcardName.trim();
    if (this.idcardNumber.trim()) body.idcard_number = this.idcardNumber.trim().toUpperCase();
    const references = this.reference.slice(0, 2);
    for (const [index, image] of references.entries()) {
      try {
        body[`image_ref${index + 1}`] = await imageBase64(image, blobToBase64);
      } catch (cause) {
        throw localError('BAD_REQUEST', this.t('error.reference-type'), { cause });
      }
    }
    if (this.bizNo) body.biz_no = this.bizNo;
    const answer = await this.flow.client.call<LivenessGrant>('liveness.start', body, { signal });
    if (!answer.data?.bizToken) throw new FacekitError('VENDOR_ERROR');
    return answer.data;
  }

  /** Loads the landmark model before the camera opens, so that the first frame is not a 1 s wait. */
  private async warmLandmarks(signal: AbortSignal): Promise<void> {
    const bitmap = await createImageBitmap(new ImageData(32, 32));
    await this.vision.bridge.landmarks(bitmap, performance.now(), signal);
  }

  private createSession(grant: LivenessGrant): LivenessSession {
    const timeout = clampInteger(grant.livenessTimeout ?? this.timeout, 1, 3600, 60);
    return new LivenessSession({
      actions: grantActions(grant) ?? clampInteger(this.actionCount, 1, 3, 3),
      timeoutMs: timeout * 1000,
      perActionMs: Math.min(timeout, clampInteger(this.actionTimeout, 2, 600, 10)) * 1000,
    });
  }

  /** The frame loop: landmarks of each frame in the worker, then the action state machine. */
  private async guide(run: AbortController): Promise<void> {
    if (!this.session) return;
    this.eyeHistory = [];
    this.referenceFrames = [];
    this.referenceSignature = null;
    this.lastOfferAt = Number.NEGATIVE_INFINITY;
    this.offering = false;
    this.shownHint = null;
    this.candidateHint = null;
    this.lastStatus = '';
    if (!(await this.flow.beginGuiding(run)) || !this.session) return;
    this.showState(this.session.current, performance.now());

    const bridge = this.vision.bridge;
    this.flow.frames(run, async (frame, timestampMs, signal) => {
      // A copy for the best frame; the original goes to the landmark model.
      const copy = this.wantsCandidate(timestampMs) ? await createImageBitmap(frame).catch(() => null) : null;
      let faces: { geometry: FaceGeometry }[];
      try {
        ({ faces } = await bridge.landmarks(frame, timestampMs, signal));
      } catch (error) {
        copy?.close();
        throw error;
      }
      if (signal.aborted || this.flow.phase !== 'guiding') {
        copy?.close();
        return;
      }
      const geometry = faces[0]?.geometry ?? null;
      this.offerCandidate(copy, geometry, faces.length, timestampMs, signal);
      this.feedFrame(geometry, faces.length, timestampMs);
    });
  }

  /**
   * One frame for the action state machine: the main face's geometry (unmirrored), the number of
   * faces and the frame's timestamp. The frame loop calls it; tests call it with recorded geometry.
   */
  protected feedFrame(geometry: FaceGeometry | null, faceCount: number, timestampMs: number): LivenessState | null {
    const session = this.session;
    if (!session || this.flow.phase !== 'guiding') return null;
    const state = session.update(geometry, faceCount, timestampMs);
    if (state.phase === 'passed') {
      this.showState(state, timestampMs);
      void this.onDevicePassed();
    } else if (state.phase === 'failed') {
      this.onDeviceFailed(state);
    } else {
      this.showState(state, timestampMs);
    }
    return state;
  }

  private wantsCandidate(timestampMs: number): boolean {
    return !this.offering && this.session?.current.phase === 'action' && timestampMs - this.lastOfferAt >= BEST_FRAME_INTERVAL_MS;
  }

  /**
   * Offers a frame to the worker's best-frame scoring when the eyes are open (against the user's
   * recent open level) and the face is the one the session started with; the worker keeps it if
   * its quality (frontal, sharp, centred, lit) beats the best so far.
   */
  private offerCandidate(copy: ImageBitmap | null, geometry: FaceGeometry | null, faceCount: number, timestampMs: number, signal: AbortSignal): void {
    const session = this.session;
    const usable = geometry !== null && faceCount === 1 && session?.current.phase === 'action';
    if (usable) {
      this.eyeHistory.push(geometry.eyeOpenness);
      if (this.eyeHistory.length > EYE_HISTORY) this.eyeHistory.shift();
      if (!this.referenceSignature) {
        this.referenceFrames.push(geometry.signature);
        if (this.referenceFrames.length >= REFERENCE_FRAMES) this.referenceSignature = meanSignature(this.referenceFrames);
      }
    }
    if (!copy) return;
    if (!usable || !this.referenceSignature || this.eyeHistory.length < 3) {
      copy.close();
      return;
    }
    const eyesOpen = geometry.eyeOpenness >= EYES_OPEN_RATIO * median(this.eyeHistory);
    const t = session!.thresholds;
    const distance = signatureDistance(this.referenceSignature, geometry.signature);
    const sameFace = distance.shape <= t.maxShapeDistance && distance.chroma <= t.maxChromaDistance && distance.luma <= t.maxLumaDistance;
    if (!eyesOpen || !sameFace) {
      copy.close();
      return;
    }
    this.offering = true;
    this.lastOfferAt = timestampMs;
    this.vision.bridge
      .analyzeFrame(copy, timestampMs, signal)
      .catch(() => {})
      .finally(() => {
        this.offering = false;
      });
  }

  /** Updates the prompt (only when something visible changed) and tells the page about new guidance. */
  private showState(state: LivenessState, timestampMs: number): void {
    const hintKey = this.smoothHint(state, timestampMs);
    const extra = state.phase === 'action' && state.actionIndex >= state.actionCount;
    const perActionMs = this.session?.perActionMs ?? 10_000;
    const view: PromptView = {
      action: state.action,
      step: Math.min(state.actionIndex, state.actionCount) + 1,
      steps: state.actionCount,
      extra,
      // In steps of 5 %: the bar follows the movement without a render at every frame.
      progress: Math.round(clamp01(state.progress) * 20) * 5,
      seconds: Math.ceil(state.remainingMs / 1000),
      // In twentieths: the bar moves every half second of a 10 s action, not at frame rate.
      actionLeft: state.phase === 'action' ? Math.ceil(clamp01(state.actionRemainingMs / perActionMs) * 20) / 20 : 1,
      hintKey,
    };
    const current = this.view;
    if (!current || (Object.keys(view) as (keyof PromptView)[]).some((key) => view[key] !== current[key])) this.view = view;

    const status = `${view.action}|${view.step}|${hintKey}`;
    if (status !== this.lastStatus) {
      this.lastStatus = status;
      emit(this, 'facekit-status', {
        phase: 'guiding',
        liveness: { action: view.action, step: extra ? view.steps + 1 : view.step, steps: view.steps, hint: hintKey },
      });
    }
  }

  /** The action's own prompt shows at once; passing hints (no face, hold still …) after they held a moment. */
  private smoothHint(state: LivenessState, timestampMs: number): MessageKey {
    const key = state.hintKey;
    const immediate = this.shownHint === null || state.phase === 'passed' || state.phase === 'failed' || (state.action !== null && key === livenessHintKey(state.action));
    if (key === this.shownHint || immediate) {
      this.shownHint = key;
      this.candidateHint = null;
      return key;
    }
    if (key !== this.candidateHint) {
      this.candidateHint = key;
      this.candidateSince = timestampMs;
    } else if (timestampMs - this.candidateSince >= HINT_HOLD_MS) {
      this.shownHint = key;
      this.candidateHint = null;
    }
    return this.shownHint ?? key;
  }

  /** The actions passed: the camera stops, the worker's best frame is encoded, then sent (auto-submit). */
  private async onDevicePassed(): Promise<void> {
    this.flow.endRun();
    this.setPhase('captured');
    const upload = this.flow.beginUpload();
    try {
      const options = { maxBase64Bytes: FACEID_MAX_IMAGE_BASE64_CHARS, targetBytes: BEST_FRAME_TARGET_BYTES };
      let capture = await this.vision.bridge.encodeBest(options, upload.signal);
      if (!capture && !upload.signal.aborted) {
        // No frame passed the quality scoring (a dim room, a small face): the current frame, as a still.
        capture = (await this.flow.captureCurrentFrame(upload.signal, options))?.capture ?? null;
      }
      this.camera.stop();
      if (upload.signal.aborted) return;
      if (!capture) throw new FacekitError('LOW_QUALITY');
      this.bestFrame = capture;
      this.captureKey = randomId();
    } catch (error) {
      this.camera.stop();
      if (!upload.signal.aborted) this.flow.fail(error);
      return;
    } finally {
      this.flow.endUpload(upload);
    }
    this.flow.retryAction = () => this.submit();
    if (this.autoSubmit) await this.submit();
  }

  /** The actions failed on the device: a verdict, with nothing billable called. */
  private onDeviceFailed(state: LivenessState): void {
    this.flow.endRun();
    this.camera.stop();
    const code = state.failure?.code ?? 'TIMEOUT';
    const { verdict, reasonCode, attacks } = deviceVerdict(code);
    const level = securityLevelOf(this.grant?.securityLevel ?? this.securityLevel);
    const result: LivenessCheckResult = {
      mode: 'liveness',
      passed: false,
      verdict,
      reasonCode,
      reason: this.t(livenessFailureKey(code)),
      stage: 'device',
      deviceFailure: code,
      actions: [...(this.session?.actions ?? [])],
      securityLevel: level,
      thresholdKey: THRESHOLD_OF_LEVEL[level],
    };
    if (attacks) result.attacks = attacks;
    if (this.grant?.bizToken) result.bizToken = this.grant.bizToken;
    const bizNo = this.grant?.bizNo ?? this.bizNo;
    if (bizNo) result.bizNo = bizNo;
    this.flow.retryAction = () => this.start();
    this.finish(result);
  }

  /** liveness.result until FaceID has decided (9000 answers IN_PROGRESS), for at most RESULT_POLL_MS. */
  private async pollResult(client: EndpointClient, bizToken: string, signal: AbortSignal): Promise<LivenessResultData> {
    const deadline = Date.now() + RESULT_POLL_MS;
    let delay = RESULT_POLL_FIRST_MS;
    for (;;) {
      try {
        const answer = await client.call<LivenessResultData>('liveness.result', { biz_token: bizToken, verbose: 1 }, { signal });
        if (!answer.data) throw new FacekitError('VENDOR_ERROR');
        return answer.data;
      } catch (error) {
        if (!(error instanceof FacekitError && error.code === 'IN_PROGRESS')) throw error;
        if (Date.now() + delay > deadline) throw localError('IN_PROGRESS', this.t('liveness.error.pending'));
      }
      await sleep(delay, signal);
      delay = Math.min(delay * 1.5, RESULT_POLL_MAX_MS);
    }
  }

  private finish(result: LivenessCheckResult): void {
    this.result = result;
    this.flow.error = null;
    this.setPhase('done');
    emit(this, 'facekit-result', result);
  }

  private setPhase(phase: Phase): void {
    this.flow.setPhase(phase);
  }

  /** The message to show: the element's own text, the endpoint's network text, or the kit's. */
  private messageOf(error: FacekitError): string {
    if (isLocalError(error)) return error.message;
    if (error.code === 'NETWORK' && !(error instanceof EndpointError) && error.message) return error.message;
    return this.localize.error(error.code);
  }

  // ── lifecycle ────────────────────────────────────────────────────────────
  override disconnectedCallback(): void {
    const attempt = CAMERA_PHASES.has(this.flow.phase) || this.flow.phase === 'captured' || this.flow.phase === 'uploading';
    // The capture flow ends itself (camera, frame loop, upload); the attempt is forgotten here.
    super.disconnectedCallback();
    if (attempt) {
      this.session = null;
      this.view = null;
      this.flow.phase = 'idle';
    }
  }

  protected override updated(changed: PropertyValues): void {
    // A new result: move focus to it when focus was in the element (its buttons are gone) or nowhere.
    if (changed.has('result') && this.result) {
      const active = document.activeElement;
      if (!active || active === document.body || active === this) this.resultPanel?.focus();
    }
  }

  // ── render ───────────────────────────────────────────────────────────────
  private renderIdentity(): TemplateResult | typeof nothing {
    const name = this.idcardName.trim();
    const number = this.idcardNumber.trim();
    if (name && number) {
      return html`<p part="identity" class="identity note">${this.t('liveness.identity', { name: maskName(name), number: maskIdNumber(number) })}</p>`;
    }
    if (this.reference.length) return html`<p part="identity" class="identity note">${this.t('liveness.identity.references')}</p>`;
    return nothing;
  }

  private renderStage(): TemplateResult {
    if (this.flow.cameraShown) return this.flow.renderCamera({ tone: this.tone, label: this.t('camera.label') }, this.t('action.tap-to-start'));
    return html`
      <div class="placeholder ${this.flow.phase === 'loading' || this.flow.phase === 'captured' || this.flow.phase === 'uploading' ? 'busy' : ''}" aria-hidden="true">
        <svg viewBox="0 0 64 64" focusable="false">
          <ellipse class="oval" cx="32" cy="30" rx="16" ry="21" fill="none" stroke="currentColor" stroke-width="3" stroke-dasharray="6 5" />
          <path d="M12 62c2-10 10-16 20-16s18 6 20 16" fill="none" stroke="currentColor" stroke-width="3" />
        </svg>
      </div>
    `;
  }

  private get tone(): GuideTone {
    const view = this.view;
    if (this.flow.phase !== 'guiding' || !view) return 'idle';
    if (view.hintKey === 'liveness.no-face' || view.hintKey === 'liveness.many-faces') return 'warn';
    return view.action ? 'good' : 'idle';
  }

  /** The live region's text: the prompt while guiding, else the phase or the verdict. */
  private get statusText(): string {
    switch (this.flow.phase) {
      case 'guiding':
        return this.view ? this.t(this.view.hintKey) : this.t('liveness.look-at-camera');
      case 'loading':
      case 'starting-camera':
        return this.t('liveness.preparing');
      case 'captured':
        return this.t('liveness.captured');
      case 'uploading':
        return this.t('liveness.verifying');
      case 'done':
        return this.result ? this.t(`liveness.verdict.${this.result.verdict}`) : '';
      case 'queued':
        return this.t(phaseKey('queued'));
      default:
        return '';
    }
  }

  private renderPrompt(): TemplateResult | typeof nothing {
    const view = this.view;
    if (this.flow.phase !== 'guiding' || !view) return nothing;
    const stepText = view.extra
      ? this.t('liveness.step.extra')
      : view.action
        ? this.t('liveness.step', { current: view.step, total: view.steps })
        : '';
    const late = view.actionLeft <= 0.3;
    return html`
      <div part="prompt" class="prompt">
        <span class="icon action-${view.action ?? 'none'}" aria-hidden="true">${actionIcon(view.action)}</span>
        <div class="prompt-body">
          <p class="step">${stepText}</p>
          <ol class="steps" aria-hidden="true">
            ${Array.from({ length: view.steps + (view.extra ? 1 : 0) }, (_, index) => {
              const current = view.action === null ? -1 : view.extra ? view.steps : view.step - 1;
              return html`<li class=${index < current ? 'done' : index === current ? 'current' : ''}></li>`;
            })}
          </ol>
          <progress
            part="progress"
            id="fk-progress-${this.uid}"
            max="100"
            .value=${view.progress}
            aria-label=${this.t('liveness.progress')}
          ></progress>
          <svg class="action-time ${late ? 'late' : ''}" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            ${svg`<rect class="track" x="0" y="0" width="100" height="4"></rect>
              <rect class="left" x="0" y="0" width=${(view.actionLeft * 100).toFixed(1)} height="4"></rect>`}
          </svg>
        </div>
        <p part="countdown" class="countdown" role="timer" aria-label=${this.t('liveness.time-left.label')}>
          ${this.t('liveness.time-left', { seconds: view.seconds })}
        </p>
      </div>
    `;
  }

  private renderError(): TemplateResult | typeof nothing {
    return this.flow.renderError(this.t('action.retry'));
  }

  private renderActions(): TemplateResult {
    const phase = this.flow.phase;
    const button = (label: string, onClick: () => void, secondary = false): TemplateResult =>
      html`<button part="button" type="button" class=${secondary ? 'secondary' : ''} @click=${onClick}>${label}</button>`;
    const buttons: TemplateResult[] = [];
    if (CAMERA_PHASES.has(phase)) {
      buttons.push(button(this.t('action.stop'), this.onStopClick, true));
    } else if (phase === 'captured' && this.bestFrame && !this.autoSubmit) {
      buttons.push(button(this.t('action.submit'), this.onSubmitClick));
      buttons.push(button(this.t('action.again'), this.onStartClick, true));
    } else if (phase === 'done') {
      buttons.push(this.result?.passed ? button(this.t('action.again'), this.onStartClick, true) : button(this.t('action.retry'), this.onStartClick));
    } else if (phase === 'idle' || (phase === 'error' && !this.flow.error?.retryable)) {
      buttons.push(button(this.t('action.start'), this.onStartClick));
    }
    return html`<div part="actions" class="actions" ?hidden=${buttons.length === 0}>${buttons}</div>`;
  }

  private renderResult(): TemplateResult | typeof nothing {
    const result = this.result;
    if (!result || this.flow.phase !== 'done') return nothing;
    const titleId = `fk-verdict-${this.uid}`;
    return html`
      <section part="result" class="result" tabindex="-1" aria-labelledby=${titleId}>
        <slot name="result">${this.renderResultBody(result, titleId)}</slot>
      </section>
    `;
  }

  private renderResultBody(result: LivenessCheckResult, titleId: string): TemplateResult {
    const number = (value: number): string => new Intl.NumberFormat(this.localize.lang, { maximumFractionDigits: 2 }).format(value);
    const confidence = typeof result.confidence === 'number' ? result.confidence : null;
    const threshold = typeof result.threshold === 'number' ? result.threshold : null;
    return html`
      <p class="title ${result.passed ? 'good' : 'bad'}" id=${titleId}>
        <span class="verdict-icon" aria-hidden="true">${verdictIcon(result.passed)}</span>
        <span>${this.t(`liveness.verdict.${result.verdict}`)}</span>
      </p>
      <dl>
        <dt>${this.t('liveness.result.reason')}</dt>
        <dd>${result.reason}</dd>
        ${confidence !== null ? html`<dt>${this.t('liveness.result.confidence')}</dt><dd>${number(confidence)}</dd>` : nothing}
        ${threshold !== null && result.thresholdKey
          ? html`<dt>${this.t('liveness.result.threshold', { rate: result.thresholdKey })}</dt><dd>${number(threshold)}</dd>`
          : nothing}
        ${result.stage === 'faceid' && result.securityLevel
          ? html`<dt>${this.t('liveness.result.level')}</dt><dd>${this.t(`liveness.level.${result.securityLevel}`)}</dd>`
          : nothing}
        ${result.resultCode !== undefined
          ? html`<dt>${this.t('liveness.result.code')}</dt><dd>${`${result.resultCode} ${result.resultMessage ?? ''}`.trim()}</dd>`
          : nothing}
      </dl>
      ${result.stage === 'device' ? html`<p class="note">${this.t('liveness.result.device')}</p>` : nothing}
    `;
  }

  override render(): TemplateResult {
    const tone = this.flow.phase === 'done' && this.result && !this.result.passed ? 'error' : this.tone;
    return html`
      <div class="root">
        <slot></slot>
        ${this.renderIdentity()}
        <div class="stage">${this.renderStage()}</div>
        ${hintRegion(this.statusText, tone)} ${this.renderPrompt()} ${this.renderError()} ${this.renderActions()}
        ${this.renderResult()}
      </div>
    `;
  }
}

/** A small pictogram of the action (decorative: the prompt's text says it). */
function actionIcon(action: LivenessAction | null): TemplateResult {
  const face = svg`<ellipse cx="24" cy="24" rx="13" ry="16" fill="none" stroke="currentColor" stroke-width="2.5"></ellipse>`;
  const eyes = svg`<circle cx="19" cy="21" r="1.8" fill="currentColor"></circle><circle cx="29" cy="21" r="1.8" fill="currentColor"></circle>`;
  let body: TemplateResult;
  switch (action) {
    case 'blink':
      body = svg`${face}<path d="M15.5 21q3.5 3 7 0M25.5 21q3.5 3 7 0" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"></path>
        <path d="M20 31h8" stroke="currentColor" stroke-width="2" stroke-linecap="round"></path>`;
      break;
    case 'open-mouth':
      body = svg`${face}${eyes}<ellipse cx="24" cy="31" rx="4" ry="4.5" fill="currentColor"></ellipse>`;
      break;
    case 'nod':
      body = svg`<g>${face}${eyes}<path d="M20 31h8" stroke="currentColor" stroke-width="2" stroke-linecap="round"></path></g>
        <path d="M44 14v20M40.5 18 44 14l3.5 4M40.5 30 44 34l3.5-4" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"></path>`;
      break;
    case 'shake':
      body = svg`<g>${face}${eyes}<path d="M20 31h8" stroke="currentColor" stroke-width="2" stroke-linecap="round"></path></g>
        <path d="M14 45h20M18 41.5 14 45l4 3.5M30 41.5 34 45l-4 3.5" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"></path>`;
      break;
    case 'turn-left':
    case 'turn-right': {
      // The preview is mirrored: the user's own left is the screen's left.
      const arrow = action === 'turn-left' ? 'M10 24H2M6 20l-4 4 4 4' : 'M38 24h8M42 20l4 4-4 4';
      body = svg`<g>${face}${eyes}<path d="M20 31h8" stroke="currentColor" stroke-width="2" stroke-linecap="round"></path></g>
        <path d=${arrow} fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"></path>`;
      break;
    }
    default:
      body = svg`${face}${eyes}<path d="M20 31h8" stroke="currentColor" stroke-width="2" stroke-linecap="round"></path>`;
  }
  return html`<svg viewBox="0 0 48 50" width="48" height="50" focusable="false">${body}</svg>`;
}

function verdictIcon(passed: boolean): TemplateResult {
  return passed
    ? html`<svg viewBox="0 0 24 24" width="22" height="22" focusable="false"><path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round" /></svg>`
    : html`<svg viewBox="0 0 24 24" width="22" height="22" focusable="false"><path d="M7 7l10 10M17 7 7 17" fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round" /></svg>`;
}

function clampInteger(value: unknown, min: number, max: number, fallback: number): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(number) ? Math.min(max, Math.max(min, Math.round(number))) : fallback;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new FacekitError('ABORTED'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new FacekitError('ABORTED'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
