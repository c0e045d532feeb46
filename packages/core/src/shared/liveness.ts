/**
 * On-device action liveness: a state machine over the face geometry of successive video frames
 * (shared/face-geometry.ts, from the vision worker's `landmarks()`). Pure: no DOM, no clock of its
 * own; the caller passes each frame's timestamp.
 *
 *   const session = new LivenessSession({ actions: 3 });
 *   for each frame: state = session.update(analysis.faces[0]?.geometry ?? null, analysis.faces.length, t);
 *   state.phase: 'waiting-face' → 'action' → 'passed' | 'failed'
 *
 * Frames must be unmirrored, as the camera delivers them (a mirrored preview is CSS only); pass
 * `mirrored: true` otherwise. "Left" and "right" are the user's own: turn-left passes when the
 * user turns towards their own left, which a mirrored preview shows as a turn to the screen's left.
 *
 * Anti-spoofing on the device, so that an attack fails before any billable call:
 * - a blink must be seen at least once in every session, drawn as an action or not: a still photo
 *   never blinks. A session that runs out of time without one fails with NO_BLINK, and one whose
 *   actions are done without one asks for a blink as an extra step;
 * - exactly one face throughout (short dropouts tolerated: `thresholds.dropoutFrames`,
 *   `thresholds.extraFaceFrames`), else NO_FACE / MANY_FACES;
 * - the same face throughout: each frame's signature is compared with the session's reference (the
 *   baseline frames), else FACE_CHANGED.
 */
import { meanSignature, signatureDistance, type FaceGeometry, type FaceSignature } from './face-geometry.js';
import type { MessageKey } from './messages.js';

export const LIVENESS_ACTIONS = ['blink', 'open-mouth', 'nod', 'shake', 'turn-left', 'turn-right'] as const;
export type LivenessAction = (typeof LIVENESS_ACTIONS)[number];

export type LivenessPhase = 'waiting-face' | 'action' | 'passed' | 'failed';

export type LivenessFailureCode = 'TIMEOUT' | 'ACTION_TIMEOUT' | 'NO_FACE' | 'MANY_FACES' | 'FACE_CHANGED' | 'NO_BLINK';

export interface LivenessThresholds {
  /** Single-face frames, frontal within `baselineMaxPose`, whose medians are the user's neutral baseline. */
  baselineFrames: number;
  baselineMaxPose: number;
  /** Blink: eye openness at most this share of the open-eye reference… */
  blinkClosedRatio: number;
  /** …then back to at least this share… */
  blinkOpenRatio: number;
  /** …within this many ms (longer is eyes held shut, not a blink)… */
  blinkMaxClosedMs: number;
  /** …with yaw and pitch within this many degrees of the open frames (a nod changes openness too)… */
  blinkMaxPoseChange: number;
  /** …and the face's aspect (FaceGeometry.aspect) within this share of theirs (a photo tilted back squeezes the eyes). */
  blinkMaxAspectChange: number;
  /** Open mouth: mouth openness at least this much above the baseline. */
  mouthOpenDelta: number;
  /** Nod: pitch (chin down) this many degrees past the baseline, then back within `nodReturnDeg`. */
  nodDownDeg: number;
  nodReturnDeg: number;
  /** Shake: yaw this many degrees past the baseline to each side (either order). */
  shakeDeg: number;
  /** Turn left / right: yaw this many degrees past the baseline towards that side… */
  turnDeg: number;
  /** …held for this many frames in a row (mouth likewise). */
  holdFrames: number;
  /** Frames in a row without a face that are tolerated (blinks of the detector, motion blur). */
  dropoutFrames: number;
  /** Frames in a row with two faces that are tolerated (a passer-by at the edge, a tracking echo). */
  extraFaceFrames: number;
  /** Same-face bounds on the signature distance (shared/face-geometry.ts `signatureDistance`). */
  maxShapeDistance: number;
  maxChromaDistance: number;
  maxLumaDistance: number;
  /** Frames in a row beyond a bound before FACE_CHANGED. */
  faceChangeFrames: number;
}

/**
 * Defaults, calibrated on real photos in the vision worker (test/worker/landmarks.test.ts prints the
 * numbers). Unless said otherwise: astronaut.png framed as a 640×480 selfie, changes from its own
 * neutral frame; "warps" are the landmark-guided 3-D head rotations of test/worker/landmark-scenes.ts.
 *
 * - Eye openness of open eyes differs by person: astronaut 0.336, facereg faces 0.25–0.32,
 *   face_swapped 0.21, camera.png 0.21, LFW crops p10/median/p90 0.19/0.26/0.32. So a blink is a dip
 *   below the user's own recent open level. Image rotations ±15–30°, scale 0.7–1.3, shifts,
 *   darkening and mirroring: ×0.97–1.04. Eyes painted shut: ×0.67; half-shut lids ×0.82 (the model
 *   leans towards open eyes; real blinks dip further). Hence closed ≤ ×0.75, open again ≥ ×0.9.
 *   Pose alone lowers it too (look-up warp −24°: ×0.82, turn −40°: ×0.84), hence the pose guard of 6°
 *   (pose noise between jittered frames: yaw ±0.4°, pitch ±1°). A photo tilted back (squeezed to 0.7
 *   of its height) reads ×0.69 with under 2° of pitch change, but its aspect drops 25 % (0.538 →
 *   0.404) while a painted blink moves it 3 %: aspect guard 8 %.
 * - Mouth openness at rest: astronaut 0.22 (smiling), facereg faces up to 0.37, LFW p90 0.22; so the
 *   rise over the user's baseline counts. Transforms and warps move it by −0.08…+0.03; the jaw
 *   dropped by 0.2 / 0.35 / 0.5 mouth widths reads +0.15 / +0.20 / +0.20. Threshold +0.12.
 * - Pose agrees with MediaPipe's own Procrustes pose within 2° (camera.png, turned 50°: 50.6°,
 *   mirrored −52.3°). Rotating the image by ±15° / ±30° changes roll by ±15° / ±30° within 0.8°. Turn
 *   warps of ±20° read ±10.5°, of ±40° +15.8° / −11.6° (a warped frontal photo cannot hide its far
 *   cheek; real turns read more); nod warps of +12° / +24° / −24° read +10° / +17° / −20°. A photo
 *   turned in the hand (squeezed to 0.6 of its width) reads under 2° of yaw. Frontal poses vary by
 *   person (LFW yaw p10/p90 −16°/+8°), so every angle is taken from the user's own baseline: turn 10°
 *   held 3 frames, shake 8° each way, nod 10° down and back within 4°.
 * - Signature distance, same face (transforms, eyes, mouth, turn and nod warps): shape ≤ 0.054
 *   (nod +24°; a photo squeezed to 0.8 reads 0.06), chroma ≤ 0.015, luma ≤ 0.20 (both from the mirror
 *   image, whose light swaps sides; turns ≤ 0.09). Different people: astronaut / camera.png 0.085 /
 *   0.064 / 0.45; 18 of the 21 pairs of the seven photo faces pass a bound (the other 3 stay within
 *   all three); in grey (LFW crops, no chroma) a quarter of the pairs. Bounds 0.075 /
 *   0.03 / 0.30, three frames in a row. A coarse guard against a swap to a clearly different face;
 *   the vendor's FaceID verification is the identity check.
 * - Presence: 5 frames without a face (a third of a second at 15 fps) and 2 with two faces are
 *   tolerated, for detector misses and a passer-by's edge of a face.
 */
export const DEFAULT_LIVENESS_THRESHOLDS: LivenessThresholds = {
  baselineFrames: 5,
  baselineMaxPose: 25,
  blinkClosedRatio: 0.75,
  blinkOpenRatio: 0.9,
  blinkMaxClosedMs: 800,
  blinkMaxPoseChange: 6,
  blinkMaxAspectChange: 0.08,
  mouthOpenDelta: 0.12,
  nodDownDeg: 10,
  nodReturnDeg: 4,
  shakeDeg: 8,
  turnDeg: 10,
  holdFrames: 3,
  dropoutFrames: 5,
  extraFaceFrames: 2,
  maxShapeDistance: 0.075,
  maxChromaDistance: 0.03,
  maxLumaDistance: 0.3,
  faceChangeFrames: 3,
};

export interface LivenessOptions {
  /** The actions in order, or how many to draw at random (1–3, default 3). */
  actions?: readonly LivenessAction[] | number;
  /** The whole session, from the first frame (default 60 s). */
  timeoutMs?: number;
  /** Each action, from its start (default 10 s). */
  perActionMs?: number;
  /** Random source for the draw (default Math.random). */
  random?: () => number;
  thresholds?: Partial<LivenessThresholds>;
  /** Set when the frames are mirrored (yaw is then read with the opposite sign). */
  mirrored?: boolean;
}

export interface LivenessFailure {
  code: LivenessFailureCode;
  /** Timestamp of the frame that failed the session. */
  at: number;
}

export interface LivenessLogEntry {
  action: LivenessAction;
  /** True for the blink asked for after the drawn actions because none had been seen. */
  extra: boolean;
  startedAt: number;
  endedAt: number | null;
  result: 'running' | 'passed' | 'failed';
}

export interface LivenessState {
  phase: LivenessPhase;
  /** The current action (the last one once passed or failed); null before the first. */
  action: LivenessAction | null;
  /** 0-based; equals actionCount during the extra blink step. */
  actionIndex: number;
  actionCount: number;
  /** Progress of the current action, 0…1 (while waiting: of the baseline frames). */
  progress: number;
  /** Message key of the hint to show (shared/messages.ts, `liveness.*`). */
  hintKey: MessageKey;
  /** Time left for the whole session and for the current action, in ms. */
  remainingMs: number;
  actionRemainingMs: number;
  /** Blinks seen since the baseline. */
  blinks: number;
  failure?: LivenessFailure;
  log: readonly LivenessLogEntry[];
}

const DEFAULT_ACTION_COUNT = 3;
const MAX_ACTION_COUNT = 3;

/** Draws `count` distinct actions (clamped to 1…3) in random order. */
export function drawActions(count: number = DEFAULT_ACTION_COUNT, random: () => number = Math.random): LivenessAction[] {
  const wanted = Math.min(MAX_ACTION_COUNT, Math.max(1, Math.round(Number.isFinite(count) ? count : DEFAULT_ACTION_COUNT)));
  const pool = [...LIVENESS_ACTIONS];
  // Partial Fisher–Yates: the first `wanted` places.
  for (let i = 0; i < wanted; i++) {
    const j = i + Math.min(pool.length - i - 1, Math.floor(random() * (pool.length - i)));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, wanted);
}

export const livenessHintKey = (action: LivenessAction): MessageKey => `liveness.${action}` as MessageKey;
export const livenessFailureKey = (code: LivenessFailureCode): MessageKey => `liveness.failed.${code}` as MessageKey;

interface Baseline {
  eye: number;
  aspect: number;
  mouth: number;
  yaw: number;
  pitch: number;
  signature: FaceSignature;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));

/**
 * Open-eyed frames the blink detector compares with: the last four (a quarter of a second at
 * 15 fps), so that the reference follows the head through turns and nods.
 */
const BLINK_REFERENCE_FRAMES = 4;

/** What the blink detector compares a frame with: the recent open-eyed frames. */
interface EyeFrame {
  eye: number;
  yaw: number;
  pitch: number;
  aspect: number;
}

/** Blinks over the whole session: a dip of eye openness below the recent open level, and back. */
class BlinkDetector {
  private readonly recent: EyeFrame[] = [];
  private closed: (EyeFrame & { at: number }) | null = null;
  /** 0 open … 0.5 closed, for the blink action's progress. */
  progress = 0;

  constructor(
    private readonly thresholds: LivenessThresholds,
    baseline: Baseline,
  ) {
    this.recent.push({ eye: baseline.eye, yaw: baseline.yaw, pitch: baseline.pitch, aspect: baseline.aspect });
  }

  /** Returns true on the frame that completes a blink. */
  update(geometry: FaceGeometry, yaw: number, timestamp: number): boolean {
    const t = this.thresholds;
    const reference = this.closed ?? this.reference();
    const ratio = reference.eye > 0 ? geometry.eyeOpenness / reference.eye : 1;
    // Eyes that read closed only count while the head and the face's proportions hold still: a nod
    // or a photo tilted back squeezes the eyes too.
    const steady =
      Math.abs(yaw - reference.yaw) <= t.blinkMaxPoseChange &&
      Math.abs(geometry.pitch - reference.pitch) <= t.blinkMaxPoseChange &&
      Math.abs(geometry.aspect / reference.aspect - 1) <= t.blinkMaxAspectChange;
    if (this.closed) {
      if (!steady) {
        this.closed = null;
        this.progress = 0;
        return false;
      }
      if (ratio >= t.blinkOpenRatio) {
        const blink = timestamp - this.closed.at <= t.blinkMaxClosedMs;
        this.closed = null;
        this.progress = 0;
        this.remember(geometry, yaw);
        return blink;
      }
      return false;
    }
    if (ratio <= t.blinkClosedRatio && steady) {
      this.closed = { at: timestamp, ...reference };
      this.progress = 0.5;
      return false;
    }
    this.progress = 0.49 * clamp01((1 - ratio) / (1 - t.blinkClosedRatio));
    // Only open-eyed frames feed the reference.
    if (ratio >= t.blinkOpenRatio) this.remember(geometry, yaw);
    return false;
  }

  private remember(geometry: FaceGeometry, yaw: number): void {
    this.recent.push({ eye: geometry.eyeOpenness, yaw, pitch: geometry.pitch, aspect: geometry.aspect });
    if (this.recent.length > BLINK_REFERENCE_FRAMES) this.recent.shift();
  }

  /** Open level: the median of the recent open frames; pose and aspect: the last one's (the head may just have moved). */
  private reference(): EyeFrame {
    const last = this.recent[this.recent.length - 1];
    return { ...last, eye: median(this.recent.map((frame) => frame.eye)) };
  }
}

/** Per-action progress from the geometry relative to the baseline. */
interface ActionTracker {
  /** Returns progress 0…1; 1 means passed. `blinked`: a blink completed on this frame. */
  update(geometry: FaceGeometry, yaw: number, blinked: boolean, blinkProgress: number): number;
}

function holdTracker(measure: (geometry: FaceGeometry, yaw: number) => number, needed: number, holdFrames: number): ActionTracker {
  let held = 0;
  return {
    update(geometry, yaw) {
      const value = measure(geometry, yaw);
      held = value >= needed ? held + 1 : 0;
      if (held >= holdFrames) return 1;
      return Math.min(0.99, 0.6 * clamp01(value / needed) + 0.4 * (held / holdFrames));
    },
  };
}

function makeTracker(action: LivenessAction, baseline: Baseline, t: LivenessThresholds): ActionTracker {
  switch (action) {
    case 'blink':
      return { update: (_geometry, _yaw, blinked, blinkProgress) => (blinked ? 1 : blinkProgress) };
    case 'open-mouth':
      return holdTracker((geometry) => geometry.mouthOpenness - baseline.mouth, t.mouthOpenDelta, t.holdFrames);
    case 'turn-left':
      return holdTracker((_geometry, yaw) => yaw - baseline.yaw, t.turnDeg, t.holdFrames);
    case 'turn-right':
      return holdTracker((_geometry, yaw) => baseline.yaw - yaw, t.turnDeg, t.holdFrames);
    case 'shake': {
      let left = false;
      let right = false;
      return {
        update(_geometry, yaw) {
          const turn = yaw - baseline.yaw;
          left ||= turn >= t.shakeDeg;
          right ||= turn <= -t.shakeDeg;
          if (left && right) return 1;
          // Half for the first side, half for the other one.
          if (left) return 0.5 + 0.49 * clamp01(-turn / t.shakeDeg);
          if (right) return 0.5 + 0.49 * clamp01(turn / t.shakeDeg);
          return 0.49 * clamp01(Math.abs(turn) / t.shakeDeg);
        },
      };
    }
    case 'nod': {
      let down = false;
      let deepest = 0;
      return {
        update(geometry) {
          const drop = geometry.pitch - baseline.pitch;
          if (!down) {
            if (drop >= t.nodDownDeg) {
              down = true;
              deepest = drop;
              return 0.5;
            }
            return 0.5 * clamp01(drop / t.nodDownDeg);
          }
          deepest = Math.max(deepest, drop);
          if (drop <= t.nodReturnDeg) return 1;
          return 0.5 + 0.49 * clamp01((deepest - drop) / Math.max(1e-6, deepest - t.nodReturnDeg));
        },
      };
    }
  }
}

export class LivenessSession {
  readonly actions: readonly LivenessAction[];
  readonly timeoutMs: number;
  readonly perActionMs: number;
  readonly thresholds: LivenessThresholds;
  private readonly yawSign: number;

  private startedAt: number | null = null;
  private lastTimestamp = Number.NEGATIVE_INFINITY;
  private baselineFrames: FaceGeometry[] = [];
  private baseline: Baseline | null = null;
  private blinkDetector: BlinkDetector | null = null;
  private blinks = 0;
  private index = 0;
  private extraBlink = false;
  private actionStartedAt = 0;
  private tracker: ActionTracker | null = null;
  private missingFrames = 0;
  private extraFaceFrames = 0;
  private changedFrames = 0;
  private readonly log: LivenessLogEntry[] = [];
  private state: LivenessState;

  constructor(options: LivenessOptions = {}) {
    const { actions = DEFAULT_ACTION_COUNT, random = Math.random } = options;
    if (typeof actions === 'number') {
      this.actions = drawActions(actions, random);
    } else {
      if (!actions.length || actions.some((action) => !LIVENESS_ACTIONS.includes(action))) {
        throw new RangeError(`actions must be some of ${LIVENESS_ACTIONS.join(', ')}`);
      }
      this.actions = [...actions];
    }
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.perActionMs = options.perActionMs ?? 10_000;
    this.thresholds = { ...DEFAULT_LIVENESS_THRESHOLDS };
    for (const [key, value] of Object.entries(options.thresholds ?? {}) as [keyof LivenessThresholds, number | undefined][]) {
      if (typeof value === 'number' && Number.isFinite(value)) this.thresholds[key] = value;
    }
    this.yawSign = options.mirrored ? -1 : 1;
    this.state = {
      phase: 'waiting-face',
      action: null,
      actionIndex: 0,
      actionCount: this.actions.length,
      progress: 0,
      hintKey: 'liveness.look-at-camera',
      remainingMs: this.timeoutMs,
      actionRemainingMs: this.perActionMs,
      blinks: 0,
      log: [],
    };
  }

  /** The latest state (as returned by the last update()). */
  get current(): LivenessState {
    return this.state;
  }

  /**
   * Feeds one frame: the main face's geometry (null without a face), the number of faces, and the
   * frame's timestamp in ms (any monotonic clock; frames that do not move forward are ignored).
   */
  update(geometry: FaceGeometry | null, faceCount: number, timestampMs: number): LivenessState {
    if (this.state.phase === 'passed' || this.state.phase === 'failed') return this.state;
    if (!(timestampMs > this.lastTimestamp)) return this.state;
    this.lastTimestamp = timestampMs;
    this.startedAt ??= timestampMs;
    const t = this.thresholds;
    const elapsed = timestampMs - this.startedAt;

    if (!this.baseline) {
      if (elapsed >= this.timeoutMs) return this.fail('TIMEOUT', timestampMs);
      return this.collectBaseline(geometry, faceCount, timestampMs);
    }
    if (elapsed >= this.timeoutMs) return this.fail(this.blinks ? 'TIMEOUT' : 'NO_BLINK', timestampMs);
    if (timestampMs - this.actionStartedAt >= this.perActionMs) {
      return this.fail(this.extraBlink || !this.blinks ? 'NO_BLINK' : 'ACTION_TIMEOUT', timestampMs);
    }

    // Exactly one face, the same one.
    if (faceCount === 0 || !geometry) {
      this.extraFaceFrames = 0;
      if (++this.missingFrames > t.dropoutFrames) return this.fail('NO_FACE', timestampMs);
      return this.publish(timestampMs, 'liveness.no-face');
    }
    this.missingFrames = 0;
    if (faceCount > 1) {
      if (++this.extraFaceFrames > t.extraFaceFrames) return this.fail('MANY_FACES', timestampMs);
      return this.publish(timestampMs, 'liveness.many-faces');
    }
    this.extraFaceFrames = 0;
    const distance = signatureDistance(this.baseline.signature, geometry.signature);
    const changed = distance.shape > t.maxShapeDistance || distance.chroma > t.maxChromaDistance || distance.luma > t.maxLumaDistance;
    this.changedFrames = changed ? this.changedFrames + 1 : 0;
    if (this.changedFrames >= t.faceChangeFrames) return this.fail('FACE_CHANGED', timestampMs);

    const yaw = this.yawSign * geometry.yaw;
    const blinked = this.blinkDetector!.update(geometry, yaw, timestampMs);
    if (blinked) this.blinks++;
    const progress = this.tracker!.update(geometry, yaw, blinked, this.blinkDetector!.progress);
    if (progress >= 1) return this.advance(timestampMs);
    return this.publish(timestampMs, undefined, progress);
  }

  private collectBaseline(geometry: FaceGeometry | null, faceCount: number, timestampMs: number): LivenessState {
    const t = this.thresholds;
    if (faceCount !== 1 || !geometry) {
      this.baselineFrames = [];
      return this.publish(timestampMs, faceCount > 1 ? 'liveness.many-faces' : 'liveness.look-at-camera');
    }
    if (Math.abs(geometry.yaw) > t.baselineMaxPose || Math.abs(geometry.pitch) > t.baselineMaxPose) {
      this.baselineFrames = [];
      return this.publish(timestampMs, 'liveness.look-at-camera');
    }
    this.baselineFrames.push(geometry);
    if (this.baselineFrames.length < t.baselineFrames) {
      return this.publish(timestampMs, 'liveness.hold-still', this.baselineFrames.length / t.baselineFrames);
    }
    const frames = this.baselineFrames;
    this.baseline = {
      eye: median(frames.map((frame) => frame.eyeOpenness)),
      aspect: median(frames.map((frame) => frame.aspect)),
      mouth: median(frames.map((frame) => frame.mouthOpenness)),
      yaw: this.yawSign * median(frames.map((frame) => frame.yaw)),
      pitch: median(frames.map((frame) => frame.pitch)),
      signature: meanSignature(frames.map((frame) => frame.signature)),
    };
    this.baselineFrames = [];
    this.blinkDetector = new BlinkDetector(t, this.baseline);
    return this.startAction(0, timestampMs);
  }

  private startAction(index: number, timestampMs: number): LivenessState {
    this.index = index;
    this.actionStartedAt = timestampMs;
    const action = this.currentAction();
    this.tracker = makeTracker(action, this.baseline!, this.thresholds);
    this.log.push({ action, extra: this.extraBlink, startedAt: timestampMs, endedAt: null, result: 'running' });
    return this.publish(timestampMs, undefined, 0);
  }

  private advance(timestampMs: number): LivenessState {
    this.closeLog('passed', timestampMs);
    if (this.index + 1 < this.actions.length) return this.startAction(this.index + 1, timestampMs);
    if (!this.blinks && !this.extraBlink) {
      // No blink yet: one more step asks for it.
      this.extraBlink = true;
      return this.startAction(this.actions.length, timestampMs);
    }
    this.state = { ...this.snapshot(timestampMs), phase: 'passed', progress: 1, hintKey: 'liveness.passed' };
    return this.state;
  }

  private fail(code: LivenessFailureCode, timestampMs: number): LivenessState {
    if (this.baseline) this.closeLog('failed', timestampMs);
    this.state = { ...this.snapshot(timestampMs), phase: 'failed', hintKey: livenessFailureKey(code), failure: { code, at: timestampMs } };
    return this.state;
  }

  private closeLog(result: 'passed' | 'failed', timestampMs: number): void {
    const entry = this.log[this.log.length - 1];
    if (entry && entry.result === 'running') {
      entry.result = result;
      entry.endedAt = timestampMs;
    }
  }

  private currentAction(): LivenessAction {
    return this.extraBlink ? 'blink' : this.actions[this.index];
  }

  private snapshot(timestampMs: number): LivenessState {
    const elapsed = timestampMs - (this.startedAt ?? timestampMs);
    const inAction = this.baseline !== null;
    return {
      phase: inAction ? 'action' : 'waiting-face',
      action: inAction ? this.currentAction() : null,
      actionIndex: this.index,
      actionCount: this.actions.length,
      progress: this.state.progress,
      hintKey: this.state.hintKey,
      remainingMs: Math.max(0, this.timeoutMs - elapsed),
      actionRemainingMs: inAction ? Math.max(0, this.perActionMs - (timestampMs - this.actionStartedAt)) : this.perActionMs,
      blinks: this.blinks,
      // A copy: states already handed out do not change.
      log: this.log.map((entry) => ({ ...entry })),
    };
  }

  /** The running state; `hint` overrides the action's own hint (no face, two faces, …). */
  private publish(timestampMs: number, hint?: MessageKey, progress?: number): LivenessState {
    const snapshot = this.snapshot(timestampMs);
    const action = snapshot.action;
    this.state = {
      ...snapshot,
      progress: progress ?? (action ? this.state.progress : 0),
      hintKey: hint ?? (action ? livenessHintKey(action) : 'liveness.look-at-camera'),
    };
    return this.state;
  }
}
