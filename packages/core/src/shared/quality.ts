/** Quality of a face in a frame, the hint shown to the user, and the gate that decides "ready". */
import { boxCentre, guideEllipse, type Size } from './framing.js';
import type { Box, DetectedFace, Hint, Point, QualityReport, QualityThresholds } from './types.js';

/**
 * Defaults for a selfie camera (640×480 and similar).
 * - Size is face box height / frame height. The detector's box spans brows to chin, so 0.25 is
 *   roughly a face at 1 m from a laptop camera and 0.75 a face filling the frame.
 * - Centring is measured in guide half-sizes (see `guideEllipse`): at 0.35 a face box of the usual
 *   size still lies within the oval.
 * - Brightness is the face's mean luma. The floor is low (50) so that dark skin in ordinary indoor
 *   light passes; above 215 skin is washed out. astronaut.png measures 165.
 * - Sharpness is the Laplacian variance of the face drawn at 96 px. A 640×480 selfie with the face
 *   at 40 % of the height measured 240 sharp, 130 / 48 / 21 after a Gaussian blur of 1 / 2 / 3 px:
 *   40 sits between 2 and 3 px.
 * - Motion is the face centre's movement between frames in face widths: 0.06 is 11 px at 640×480
 *   with the face at 40 % of the height, a small fraction of the oval.
 */
export const DEFAULT_THRESHOLDS: QualityThresholds = {
  minFaceSize: 0.25,
  maxFaceSize: 0.75,
  maxCenterOffset: 0.35,
  maxYaw: 20,
  maxPitch: 20,
  minBrightness: 50,
  maxBrightness: 215,
  minSharpness: 40,
  maxMotion: 0.06,
  stableFrames: 5,
};

export function withThresholds(overrides?: Partial<QualityThresholds>): QualityThresholds {
  const merged = { ...DEFAULT_THRESHOLDS };
  for (const [key, value] of Object.entries(overrides ?? {}) as [keyof QualityThresholds, number | undefined][]) {
    if (typeof value === 'number' && Number.isFinite(value)) merged[key] = value;
  }
  return merged;
}

/** Keypoint order of MediaPipe's face detector (the subject's right eye appears on the image's left). */
export const KEYPOINT = { rightEye: 0, leftEye: 1, noseTip: 2, mouth: 3, rightEar: 4, leftEar: 5 } as const;

/**
 * Head pose from the six detector keypoints, with the head as a rigid body of average adult
 * proportions and an orthographic camera (fair for a face at arm's length). Coordinates in cm, from
 * the eye centres: `drop` downwards along the face, `depth` towards the camera.
 *
 *   nose tip  drop 3.64, depth 3      mouth  drop 7, depth 1.5
 *   tragions  drop 1.7,  depth −8, ±7.2 cm to the sides; eyes 6.3 cm apart
 *
 * Pitch t = tan(pitch) moves a point at (drop, depth) to drop·cos − depth·sin, so its position
 * between the eyes and the mouth, ratio = (drop − depth·t) / (7 − 1.5·t), gives
 * t = (drop − 7·ratio) / (depth − 1.5·ratio). It is solved for the nose and for the ear midpoint and
 * the two angles are averaged (per degree the ears move about four times as much as the nose).
 * Yaw likewise, from the nose's offset along the eye line, two estimates averaged: in eye distances
 * the offset is (3 / 6.3)·tan(yaw); as a share of the span between the ears, measured from the right
 * ear, it is 0.5 + (11 / 14.4)·tan(yaw) (the nose is 11 cm in front of the tragions).
 *
 * The drops of the nose and the ears are BlazeFace's, not anatomy's: they are the medians of the
 * short-range model on near-frontal photos here (nose ratio 0.49–0.60, median 0.52; ear ratio
 * 0.13–0.31, median 0.24; on astronaut.png, face_swapped.jpg and facereg.jpg at 4 scales, and a
 * selfie framing at 5 zooms). Between such detections of frontal faces the estimate still varies by
 * ±10° in pitch and ±5° in yaw, so the default limits are 20°.
 */
const HEAD = {
  eyeDistance: 6.3,
  mouth: { drop: 7, depth: 1.5 },
  nose: { drop: 3.64, depth: 3 },
  ears: { drop: 1.7, depth: -8, halfWidth: 7.2 },
} as const;

const DEG = 180 / Math.PI;

export interface HeadPose {
  /** Degrees; positive when the face turns towards the image's right (the subject's left). */
  yaw: number;
  /** Degrees; positive when the chin goes up. */
  pitch: number;
}

/** tan(pitch) from where a point sits between the eyes (0) and the mouth (1). */
function pitchTangent(ratio: number, point: { drop: number; depth: number }): number {
  return (point.drop - HEAD.mouth.drop * ratio) / (point.depth - HEAD.mouth.depth * ratio);
}

/** Yaw and pitch from the six detector keypoints, measured along the eye line (so roll cancels). */
export function estimateHeadPose(keypoints: readonly Point[]): HeadPose | null {
  const rightEye = keypoints[KEYPOINT.rightEye];
  const leftEye = keypoints[KEYPOINT.leftEye];
  const nose = keypoints[KEYPOINT.noseTip];
  const mouth = keypoints[KEYPOINT.mouth];
  if (!rightEye || !leftEye || !nose || !mouth) return null;
  const eyeDistance = Math.hypot(leftEye.x - rightEye.x, leftEye.y - rightEye.y);
  if (eyeDistance < 1e-6) return null;

  const origin = { x: (rightEye.x + leftEye.x) / 2, y: (rightEye.y + leftEye.y) / 2 };
  const across = { x: (leftEye.x - rightEye.x) / eyeDistance, y: (leftEye.y - rightEye.y) / eyeDistance };
  // Along the eye line (u, image right when upright) and across it (v, image down when upright).
  const u = (p: Point) => (p.x - origin.x) * across.x + (p.y - origin.y) * across.y;
  const v = (p: Point) => -(p.x - origin.x) * across.y + (p.y - origin.y) * across.x;

  const yaws = [Math.atan((u(nose) / eyeDistance) * (HEAD.eyeDistance / HEAD.nose.depth))];
  const mouthDrop = v(mouth);
  const pitches = mouthDrop > 1e-6 ? [Math.atan(pitchTangent(v(nose) / mouthDrop, HEAD.nose))] : [];

  const rightEar = keypoints[KEYPOINT.rightEar];
  const leftEar = keypoints[KEYPOINT.leftEar];
  const earSpan = rightEar && leftEar ? u(leftEar) - u(rightEar) : 0;
  // Ears closer together than the eyes are misplaced (a profile face): the nose alone then.
  if (rightEar && leftEar && earSpan > eyeDistance) {
    const ratio = (u(nose) - u(rightEar)) / earSpan;
    const noseToEars = HEAD.nose.depth - HEAD.ears.depth;
    yaws.push(Math.atan((ratio - 0.5) * ((2 * HEAD.ears.halfWidth) / noseToEars)));
    if (mouthDrop > 1e-6) pitches.push(Math.atan(pitchTangent((v(rightEar) + v(leftEar)) / 2 / mouthDrop, HEAD.ears)));
  }
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
  return { yaw: mean(yaws) * DEG, pitch: mean(pitches) * DEG };
}

/** A single-channel image, row by row. */
export interface LumaImage {
  data: ArrayLike<number>;
  width: number;
  height: number;
}

/** BT.601 luma of RGBA pixels (as from `getImageData`). */
export function rgbaToLuma(rgba: ArrayLike<number>, width: number, height: number): LumaImage {
  const data = new Uint8ClampedArray(width * height);
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    data[i] = 0.299 * rgba[p]! + 0.587 * rgba[p + 1]! + 0.114 * rgba[p + 2]!;
  }
  return { data, width, height };
}

export function meanLuma(image: LumaImage): number {
  let sum = 0;
  for (let i = 0; i < image.data.length; i++) sum += image.data[i]!;
  return image.data.length ? sum / image.data.length : 0;
}

/**
 * Variance of the 4-neighbour Laplacian over the inner pixels: high for sharp edges, low for blur.
 * Only comparable between images of the same size, hence the fixed 96 px face crop.
 */
export function laplacianVariance(image: LumaImage): number {
  const { data, width, height } = image;
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumOfSquares = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const laplacian = data[i - width]! + data[i + width]! + data[i - 1]! + data[i + 1]! - 4 * data[i]!;
      sum += laplacian;
      sumOfSquares += laplacian * laplacian;
    }
  }
  const count = (width - 2) * (height - 2);
  const mean = sum / count;
  return sumOfSquares / count - mean * mean;
}

/** The face the kit works with when there are several: the largest. */
export function mainFace(faces: readonly DetectedFace[]): DetectedFace | null {
  let best: DetectedFace | null = null;
  for (const face of faces) {
    if (!best || face.box.width * face.box.height > best.box.width * best.box.height) best = face;
  }
  return best;
}

/** Face centre movement between two boxes, in face widths. */
export function faceMotion(current: Box, previous: Box | null | undefined): number {
  if (!previous) return 0;
  const a = boxCentre(current);
  const b = boxCentre(previous);
  const width = Math.max(1e-6, (current.width + previous.width) / 2);
  return Math.hypot(a.x - b.x, a.y - b.y) / width;
}

export interface QualityInput {
  faces: readonly DetectedFace[];
  frame: Size;
  /** Luma of the main face's box, drawn at about 96 px. */
  faceLuma: LumaImage;
  /** The main face's box in the previous frame, for motion. */
  previousFace?: Box | null;
}

/** The quality report of the main face, or null when there is no face. */
export function assessQuality(input: QualityInput, thresholds: QualityThresholds = DEFAULT_THRESHOLDS): QualityReport | null {
  const face = mainFace(input.faces);
  if (!face) return null;
  const { box } = face;
  const guide = guideEllipse(input.frame);
  const centre = boxCentre(box);
  const centerOffset = { x: (centre.x - guide.cx) / guide.rx, y: (centre.y - guide.cy) / guide.ry };
  const pose = estimateHeadPose(face.keypoints) ?? { yaw: 0, pitch: 0 };
  const report: QualityReport = {
    faceCount: input.faces.length,
    faceSize: box.height / input.frame.height,
    centerOffset,
    centred: Math.hypot(centerOffset.x, centerOffset.y) <= thresholds.maxCenterOffset,
    yaw: pose.yaw,
    pitch: pose.pitch,
    frontal: Math.abs(pose.yaw) <= thresholds.maxYaw && Math.abs(pose.pitch) <= thresholds.maxPitch,
    brightness: meanLuma(input.faceLuma),
    sharpness: laplacianVariance(input.faceLuma),
    motion: faceMotion(box, input.previousFace),
    score: 0,
  };
  report.score = qualityScore(report, thresholds, face.score);
  return report;
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

/**
 * One number for picking the best frame: a weighted mean of how well each check is met (1 = fully),
 * scaled by the detector's confidence. Pose and sharpness weigh most: they matter most to the
 * services that receive the capture.
 */
export function qualityScore(report: QualityReport, thresholds: QualityThresholds, confidence = 1): number {
  const size =
    report.faceSize < thresholds.minFaceSize
      ? report.faceSize / thresholds.minFaceSize
      : report.faceSize > thresholds.maxFaceSize
        ? thresholds.maxFaceSize / report.faceSize
        : 1;
  const centring = 1 - clamp01(Math.hypot(report.centerOffset.x, report.centerOffset.y) / (2 * thresholds.maxCenterOffset));
  const pose = 1 - clamp01(Math.hypot(report.yaw / thresholds.maxYaw, report.pitch / thresholds.maxPitch) / 2);
  const mid = (thresholds.minBrightness + thresholds.maxBrightness) / 2;
  const halfRange = Math.max(1, (thresholds.maxBrightness - thresholds.minBrightness) / 2);
  const exposure = clamp01(1 - (0.5 * Math.abs(report.brightness - mid)) / halfRange);
  const sharpness = report.sharpness / (report.sharpness + thresholds.minSharpness);
  const stillness = 1 - clamp01(report.motion / (2 * thresholds.maxMotion));
  const weighted =
    0.25 * pose + 0.2 * sharpness + 0.15 * centring + 0.1 * clamp01(size) + 0.15 * exposure + 0.15 * stillness;
  return clamp01(weighted * (0.5 + 0.5 * clamp01(confidence)));
}

/**
 * The one hint to show, by priority: who is in the frame, then where the face is, then how it is
 * turned, then the light, then the image, then movement. Fixing an earlier one often fixes later ones.
 */
export function hintFor(report: QualityReport | null, thresholds: QualityThresholds = DEFAULT_THRESHOLDS): Hint {
  if (!report || report.faceCount === 0) return 'no-face';
  if (report.faceCount > 1) return 'many-faces';
  if (report.faceSize < thresholds.minFaceSize) return 'move-closer';
  if (report.faceSize > thresholds.maxFaceSize) return 'move-back';
  if (!report.centred) return 'center-face';
  if (!report.frontal) return 'look-at-camera';
  if (report.brightness < thresholds.minBrightness) return 'too-dark';
  if (report.brightness > thresholds.maxBrightness) return 'too-bright';
  if (report.sharpness < thresholds.minSharpness) return 'blurry';
  if (report.motion > thresholds.maxMotion) return 'hold-still';
  return 'ok';
}

/** Counts consecutive frames whose hint is `ok`; ready once `stableFrames` in a row passed. */
export class QualityGate {
  private passed = 0;

  constructor(private readonly stableFrames: number = DEFAULT_THRESHOLDS.stableFrames) {
    if (!(stableFrames >= 1)) throw new RangeError('stableFrames must be at least 1');
  }

  update(hint: Hint): { stableFrames: number; ready: boolean } {
    this.passed = hint === 'ok' ? this.passed + 1 : 0;
    return { stableFrames: this.passed, ready: this.ready };
  }

  get count(): number {
    return this.passed;
  }

  get ready(): boolean {
    return this.passed >= this.stableFrames;
  }

  reset(): void {
    this.passed = 0;
  }
}
