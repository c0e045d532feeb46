/** Types shared by the client side, the vision worker and the server. */
import type { LandmarkAnalysis } from './face-geometry.js';
import type { IdPhotoSpec } from './id-photo-specs.js';
import type { IdPhotoOutput, IdPhotoRequest, PrintPaper, PrintSheetOutput } from './id-photo-types.js';

export interface Point {
  x: number;
  y: number;
}

/** A rectangle in pixels of the analysed frame. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * One detected face. Keypoints follow MediaPipe's face detector order:
 * right eye, left eye, nose tip, mouth centre, right ear tragion, left ear tragion
 * ("right" is the subject's right, so it appears on the image's left).
 */
export interface DetectedFace {
  box: Box;
  keypoints: Point[];
  score: number;
}

export type Hint =
  | 'no-face'
  | 'many-faces'
  | 'move-closer'
  | 'move-back'
  | 'center-face'
  | 'look-at-camera'
  | 'too-dark'
  | 'too-bright'
  | 'blurry'
  /** One side of the face much darker than the other (skin analysis asks for even light). */
  | 'uneven-light'
  | 'hold-still'
  | 'ok';

/** Quality of the main face of one frame. All ratios are relative to the frame. */
export interface QualityReport {
  faceCount: number;
  /** Face box height divided by frame height (0…1+). */
  faceSize: number;
  /** Face centre offset from the guide centre, in guide half-sizes (0 = centred). */
  centerOffset: Point;
  centred: boolean;
  /** Estimated head yaw and pitch in degrees, from the keypoints (0 = frontal). */
  yaw: number;
  pitch: number;
  frontal: boolean;
  /** Mean luma of the face region, 0…255. */
  brightness: number;
  /** Variance of the Laplacian of the face region scaled to 96 px (higher = sharper). */
  sharpness: number;
  /** Face centre movement since the previous frame, in face widths. */
  motion: number;
  /** One score 0…1 used to pick the best frame. */
  score: number;
}

export interface FrameAnalysis {
  width: number;
  height: number;
  faces: DetectedFace[];
  quality: QualityReport | null;
  hint: Hint;
  /** Consecutive frames that passed the gate. */
  stableFrames: number;
  /** True once quality held for the configured number of frames. */
  ready: boolean;
  /** Milliseconds spent in the worker on this frame. */
  workerMs: number;
}

export interface QualityThresholds {
  minFaceSize: number;
  maxFaceSize: number;
  maxCenterOffset: number;
  maxYaw: number;
  maxPitch: number;
  minBrightness: number;
  maxBrightness: number;
  minSharpness: number;
  maxMotion: number;
  /** Frames in a row that must pass before `ready`. */
  stableFrames: number;
}

export type DetectorModel = 'short' | 'full';

export interface VisionConfig {
  /** Absolute URL of the folder holding `wasm/` and `models/`. Ends with a slash. */
  assetsBase: string;
  /** Models to load at start; others load on first use. */
  preload?: DetectorModel[];
  thresholds?: Partial<QualityThresholds>;
}

export interface VisionInfo {
  /** Milliseconds from init() to the models being ready. */
  startMs: number;
  /**
   * Of startMs, the milliseconds until the runtime was ready (its wasm compiled, its loader script
   * loaded); the rest went to creating the detectors. 0 when this init() reused a running runtime.
   */
  runtimeMs?: number;
  /** Milliseconds from the worker's start (its time origin) to the end of this init(). */
  sinceWorkerStartMs?: number;
  delegate: 'CPU' | 'GPU';
}

export interface EncodeOptions {
  /** Target size of the JPEG in bytes (default 200 kB). */
  targetBytes?: number;
  /** Hard limit of the base64 text (default 2 MB, the face platform's limit). */
  maxBase64Bytes?: number;
  /** Margin around the face box, in face sizes (default 0.6). */
  margin?: number;
  /** Longest side of the output in pixels (default 1024). */
  maxSide?: number;
}

export interface Capture {
  blob: Blob;
  width: number;
  height: number;
  quality: number;
  /** The face box within the encoded image. */
  face: Box;
}

/** The object the vision worker exposes through comlink. */
export interface VisionApi {
  init(config: VisionConfig): Promise<VisionInfo>;
  /** Video frame (VIDEO mode, short-range model). Feeds the quality gate and keeps the best frame. */
  analyzeFrame(frame: ImageBitmap, timestampMs: number): Promise<FrameAnalysis>;
  /** Still photo (IMAGE mode, short- and full-range merged). Keeps it as the best frame. */
  analyzeImage(image: ImageBitmap): Promise<FrameAnalysis>;
  /** Raw detection with one model, for tests and benchmarks. */
  detect(image: ImageBitmap, model: DetectorModel): Promise<DetectedFace[]>;
  /**
   * Face landmarks (VIDEO mode, up to two faces) with eye and mouth openness, head pose and the
   * same-face signature of each face (shared/face-geometry.ts). The landmark model loads on first use.
   */
  landmarks(frame: ImageBitmap, timestampMs: number): Promise<LandmarkAnalysis>;
  /** Crop and encode the best frame of the session, or null when none passed. */
  encodeBest(options?: EncodeOptions): Promise<Capture | null>;
  /** Forget the gate state and the best frame. */
  resetSession(): Promise<void>;
  /**
   * An ID photo of the spec made on the device (worker/id-photo.ts): framing, background, JPEG at
   * the spec's pixel size, DPI and KB range. The person segmentation model loads on first use.
   */
  makeIdPhoto(image: ImageBitmap, request: IdPhotoRequest): Promise<IdPhotoOutput>;
  /** A 300 dpi print sheet of an ID photo (from makeIdPhoto) with cut marks. */
  makePrintSheet(photo: Blob, spec: IdPhotoSpec | string, paper: PrintPaper): Promise<PrintSheetOutput>;
  /** URLs the egress guard refused, for tests and diagnostics. */
  blockedRequests(): Promise<string[]>;
  dispose(): Promise<void>;
}

export type Phase =
  | 'idle'
  | 'loading'
  | 'starting-camera'
  | 'guiding'
  | 'captured'
  | 'uploading'
  /** The vendor is still working on an accepted job (skin analysis polling). */
  | 'processing'
  | 'queued'
  | 'done'
  | 'error';

export interface StatusDetail {
  phase: Phase;
  hint?: Hint;
  /** Loading progress 0…1 when phase is 'loading'. */
  progress?: number;
}

/** Answer of the signing endpoint, on success and on error alike. */
export interface Envelope<T = unknown> {
  ok: boolean;
  code: KitCode;
  message: string;
  data?: T;
  vendor?: { name: string; code: string; message: string };
  requestId: string;
}

export interface ErrorDetail {
  code: KitCode;
  message: string;
  retryable: boolean;
}

export type Lang = 'zh-CN' | 'en';

export type KitCode =
  | 'OK'
  | 'BAD_REQUEST'
  | 'UNKNOWN_OP'
  | 'BAD_IMAGE'
  | 'IMAGE_TOO_LARGE'
  | 'NO_FACE'
  | 'MANY_FACES'
  | 'LOW_QUALITY'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'NO_MATCH'
  | 'IN_PROGRESS'
  | 'IMAGE_UNREACHABLE'
  | 'HEAD_NOT_FOUND'
  | 'CONTENT_REJECTED'
  | 'NOT_SAME_PERSON'
  | 'IDENTITY_MISMATCH'
  | 'REFERENCE_PHOTO_UNUSABLE'
  | 'LIVENESS_ATTACK'
  | 'LIVENESS_FAILED'
  | 'LIVENESS_TIMEOUT'
  | 'WRONG_ACTION'
  | 'LIVENESS_EXPIRED'
  | 'TICKET_MISSING'
  | 'TICKET_INVALID'
  | 'TICKET_EXPIRED'
  | 'TICKET_REPLAYED'
  | 'TICKET_SCOPE'
  | 'ORIGIN_DENIED'
  | 'RATE_LIMITED'
  | 'DUPLICATE_REQUEST'
  | 'VENDOR_AUTH'
  | 'VENDOR_ERROR'
  | 'VENDOR_UNAVAILABLE'
  | 'VENDOR_TIMEOUT'
  | 'VENDOR_QUOTA'
  | 'NETWORK'
  | 'CAMERA_DENIED'
  | 'CAMERA_NOT_FOUND'
  | 'CAMERA_BUSY'
  | 'UNSUPPORTED'
  | 'MODEL_LOAD'
  | 'FILE_TOO_LARGE'
  | 'FILE_UNREADABLE'
  | 'FILE_FORMAT'
  | 'ABORTED'
  | 'INTERNAL';
