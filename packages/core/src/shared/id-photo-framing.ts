/**
 * Framing of an ID photo: where the person sits in the spec's pixel size. Pure maths, no DOM.
 *
 * THE RULE, from the vendor document's `faceRatio`, `faceCenterRange` and `topEmpty` parameters
 * (seeds/id-photo-api.txt), in its order:
 *
 * 1. Scale: the face's height is `faceRatio` × the photo's height. "Face" is the head as an ID
 *    photo shows it: from the head top (crown, hair included; from the person mask) to the chin
 *    (the face detector box's bottom edge, which sits on the chin: measured on face_swapped.jpg).
 *    Why not the detector box alone: BlazeFace's box spans brows to chin, and the crown lies a
 *    further 0.6–0.7 box heights above it (0.69 astronaut.png, 0.59 face_swapped.jpg, 0.65
 *    camera.png). A 0.5 box centred at 0.45 would put the crown above the photo's top edge, so
 *    the document's defaults only make sense for the whole head.
 *    Default 0.5. The document says "一般为0.5，个别证件照规格为0.4" without naming the specs;
 *    `defaultFaceRatio` gives 0.4 to the photos that show more of the body: half-body (半身)
 *    and "life" (生活照) photos.
 * 2. Height: the face's centre (midway crown–chin) sits `faceCenterRange` × height from the top
 *    (default 0.45), so the defaults leave (0.45 − 0.5 / 2) = 20 % of the height above the head.
 *    Horizontally the face box is centred.
 * 3. topEmpty [min, max] (output px; only when given): the space above the head top must be within
 *    it; the person is moved down (too little space) or up (too much), the scale unchanged.
 * 4. No floating body: where the person ends above the photo's bottom edge (the source is too short
 *    below the person), the person is moved down until the body reaches the edge. This runs last
 *    and wins over 2 and 3, as in the document.
 *
 * The crop may leave the source (a small photo, a face near an edge): the background is replaced,
 * so those parts are filled with the background colour.
 */
import type { Box, DetectedFace, Point } from './types.js';
import type { IdPhotoSpec } from './id-photo-specs.js';
import type { IdPhotoWarning, IdPhotoWarningCode } from './id-photo-types.js';
import type { Size } from './framing.js';
import { estimateHeadPose, KEYPOINT, type HeadPose, type LumaImage } from './quality.js';

export const DEFAULT_FACE_RATIO = 0.5;
export const SMALL_FACE_RATIO = 0.4;
export const DEFAULT_FACE_CENTER_RANGE = 0.45;
/**
 * Head top above the face box's top, in face-box heights, when the person mask gives none: the
 * low end of the measured 0.59–0.69 (short hair), so that the estimate errs towards a smaller head
 * and more space above it rather than a cut crown.
 */
export const HEAD_TOP_ABOVE_FACE = 0.6;

/** The document's default faceRatio for a spec (see THE RULE, step 1). */
export function defaultFaceRatio(spec: Pick<IdPhotoSpec, 'title'>): number {
  return /半身|生活照/.test(spec.title) ? SMALL_FACE_RATIO : DEFAULT_FACE_RATIO;
}

export interface IdPhotoFramingInput {
  /** Size of the (scaled-down) source photo. */
  source: Size;
  /** Face detector box in source pixels; its bottom edge is the chin. */
  face: Box;
  /** Source y of the head top; default: estimated from the face box (HEAD_TOP_ABOVE_FACE). */
  headTop?: number;
  /** Source y where the person region ends; default: the source's bottom edge. */
  personBottom?: number;
  /** The spec's pixel size. */
  output: Size;
  faceRatio?: number;
  faceCenterRange?: number;
  /** [min, max] output pixels above the head top. */
  topEmpty?: readonly [number, number];
}

export interface IdPhotoFraming {
  /** Source rectangle drawn onto the whole output; may extend beyond the source. */
  crop: Box;
  /** Output pixels per source pixel. */
  scale: number;
  faceRatio: number;
  faceCenterRange: number;
  /** The face (crown to chin) in output pixels: top, height, centre. */
  faceTop: number;
  faceHeight: number;
  faceCenterX: number;
  faceCenterY: number;
  /** The detector's face box in output pixels. */
  faceBoxTop: number;
  faceBoxHeight: number;
  headTop: number;
  /** Output pixels above the head top (= headTop; negative when the head is cut). */
  topEmpty: number;
  /** Person moved down (+) or up (−) by step 3, and down by step 4, in output pixels. */
  topEmptyShift: number;
  floatShift: number;
  /** Where the person ends in the output (≥ output height: at or beyond the bottom edge). */
  personBottom: number;
  /** Output pixels outside the source on each side (filled with the background). */
  pad: { top: number; right: number; bottom: number; left: number };
}

/** A problem with the request itself; `field` names the parameter. */
export class IdPhotoParamError extends Error {
  constructor(
    readonly field: 'faceRatio' | 'faceCenterRange' | 'topEmpty' | 'fileSizeKb' | 'color' | 'spec',
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'IdPhotoParamError';
  }
}

/** Checks faceRatio, faceCenterRange and topEmpty as the document states their ranges. */
export function validateFramingParams(input: Pick<IdPhotoFramingInput, 'faceRatio' | 'faceCenterRange' | 'topEmpty' | 'output'>): void {
  for (const field of ['faceRatio', 'faceCenterRange'] as const) {
    const value = input[field];
    if (value !== undefined && !(value > 0 && value < 1)) throw new IdPhotoParamError(field, 'must be within (0, 1)');
  }
  const topEmpty = input.topEmpty;
  if (topEmpty) {
    const [min, max] = topEmpty;
    if (!Number.isFinite(min) || !Number.isFinite(max) || min < 0) throw new IdPhotoParamError('topEmpty', 'must be two non-negative numbers');
    if (min === 0 && max === 0) throw new IdPhotoParamError('topEmpty', 'min and max cannot both be 0');
    if (max <= min) throw new IdPhotoParamError('topEmpty', 'max must be greater than min');
    if (max >= input.output.height) throw new IdPhotoParamError('topEmpty', `max must be less than the photo height (${input.output.height} px)`);
  }
}

/** Applies THE RULE. Throws IdPhotoParamError on out-of-range parameters. */
export function frameIdPhoto(input: IdPhotoFramingInput): IdPhotoFraming {
  validateFramingParams(input);
  const { source, face, output } = input;
  if (!(face.width > 0 && face.height > 0)) throw new RangeError('the face box must not be empty');
  const faceRatio = input.faceRatio ?? DEFAULT_FACE_RATIO;
  const faceCenterRange = input.faceCenterRange ?? DEFAULT_FACE_CENTER_RANGE;
  const headTopSource = input.headTop ?? face.y - HEAD_TOP_ABOVE_FACE * face.height;
  const personBottomSource = input.personBottom ?? source.height;

  // Steps 1 and 2: the face is crown to chin (the box's bottom).
  const chin = face.y + face.height;
  const faceHeightSource = chin - headTopSource;
  if (!(faceHeightSource > 0)) throw new RangeError('the head top must lie above the chin');
  const scale = (faceRatio * output.height) / faceHeightSource;
  const cropWidth = output.width / scale;
  const cropHeight = output.height / scale;
  const faceCentreX = face.x + face.width / 2;
  const faceCentreY = (headTopSource + chin) / 2;
  const cropX = faceCentreX - cropWidth / 2;
  let cropY = faceCentreY - faceCenterRange * cropHeight;

  // Step 3: moving the crop up by d source pixels moves the person down by d × scale.
  let topEmptyShift = 0;
  if (input.topEmpty) {
    const [min, max] = input.topEmpty;
    const space = (headTopSource - cropY) * scale;
    if (space < min) topEmptyShift = min - space;
    else if (space > max) topEmptyShift = max - space;
    cropY -= topEmptyShift / scale;
  }

  // Step 4: half a pixel of tolerance, so a body ending inside the last row counts as reaching it.
  let floatShift = 0;
  const bodyEnd = (personBottomSource - cropY) * scale;
  if (bodyEnd < output.height - 0.5) {
    floatShift = output.height - bodyEnd;
    cropY -= floatShift / scale;
  }

  const toOutputY = (y: number) => (y - cropY) * scale;
  const crop = { x: cropX, y: cropY, width: cropWidth, height: cropHeight };
  const headTop = toOutputY(headTopSource);
  return {
    crop,
    scale,
    faceRatio,
    faceCenterRange,
    faceTop: headTop,
    faceHeight: faceHeightSource * scale,
    faceBoxTop: toOutputY(face.y),
    faceBoxHeight: face.height * scale,
    faceCenterX: (faceCentreX - cropX) * scale,
    faceCenterY: toOutputY(faceCentreY),
    headTop,
    topEmpty: headTop,
    topEmptyShift,
    floatShift,
    personBottom: toOutputY(personBottomSource),
    pad: {
      top: Math.max(0, -cropY) * scale,
      right: Math.max(0, cropX + cropWidth - source.width) * scale,
      bottom: Math.max(0, cropY + cropHeight - source.height) * scale,
      left: Math.max(0, -cropX) * scale,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the person mask (confidence 0…1, row by row)
// ---------------------------------------------------------------------------------------------

export interface MaskImage {
  data: ArrayLike<number>;
  width: number;
  height: number;
}

/** Mask value counted as person. */
export const MASK_THRESHOLD = 0.5;

export interface HeadTopEstimate {
  /** Mask row of the head top. */
  y: number;
  /** The person reaches the mask's top row above the face: the head is cut off there. */
  touchesTop: boolean;
}

/**
 * The head top from the person mask, over the face box's central columns (its middle 40 %, where
 * the crown is): in each column, the person run that contains the face centre's row is followed
 * upwards to its end. The 20th-percentile row of those ends is the top (robust to a stray column
 * of hair or a hole). Undefined when the mask does not cover the face (segmentation failed).
 */
export function headTopFromMask(mask: MaskImage, face: Box): HeadTopEstimate | undefined {
  const { width, height, data } = mask;
  const startRow = Math.min(height - 1, Math.max(0, Math.round(face.y + face.height / 2)));
  const x0 = Math.max(0, Math.round(face.x + 0.3 * face.width));
  const x1 = Math.min(width - 1, Math.round(face.x + 0.7 * face.width));
  const tops: number[] = [];
  for (let x = x0; x <= x1; x++) {
    if (data[startRow * width + x]! < MASK_THRESHOLD) continue;
    let y = startRow;
    while (y > 0 && data[(y - 1) * width + x]! >= MASK_THRESHOLD) y--;
    tops.push(y);
  }
  // Fewer than half the columns inside the person: the mask missed the face.
  if (tops.length === 0 || tops.length < (x1 - x0 + 1) / 2) return undefined;
  tops.sort((a, b) => a - b);
  const y = tops[Math.floor(0.2 * (tops.length - 1))]!;
  return { y, touchesTop: y === 0 };
}

/**
 * The row after the person's last row in the mask: the lowest row where at least 2 % of the
 * columns are person. `height` when the person reaches the mask's bottom; 0 when there is none.
 */
export function personBottomFromMask(mask: MaskImage): number {
  const { width, height, data } = mask;
  const minimum = Math.max(1, Math.round(0.02 * width));
  for (let y = height - 1; y >= 0; y--) {
    let count = 0;
    for (let x = 0, i = y * width; x < width; x++, i++) if (data[i]! >= MASK_THRESHOLD) count++;
    if (count >= minimum) return y + 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Warnings
// ---------------------------------------------------------------------------------------------

/**
 * Limits of the warnings.
 * - faceUpscale: the face may be enlarged up to 1.5× from the original photo's pixels; beyond, the
 *   photo is visibly soft (a 640×480 selfie with the face at 40 % of the height fills a 二寸 at 1.5×).
 * - roll: degrees of the eye line from horizontal. BlazeFace's eye points wobble by about 2° on a
 *   still face; ID photo rules ask for a level head, 8° is a visible tilt.
 * - yaw/pitch: the quality gate's 20° (the keypoint pose estimate varies ±5° / ±10° on frontal
 *   faces, so a tighter limit would warn on good photos).
 * - eyeOpenness: eyelid gap / eye width (the landmark "eye aspect ratio") of the lower eye, read by
 *   the worker's still landmarker on the face (test/worker/id-photo-eyes.test.ts). Open eyes: the
 *   seven photo faces 0.18–0.34 (camera.png 0.18, face_swapped 0.20, astronaut 0.34), LFW crops
 *   p5 0.16 / median 0.25; the four LFW crops below 0.15 are broad-smile squints and narrowed eyes
 *   behind glasses (0.10–0.14). The mesh model leans towards open eyes: lids edited shut on the
 *   photo faces read 0.14–0.26 (×0.65–0.9 of their open value), so the check catches the eyes the
 *   model itself sees as narrow, not every closed eye. 0.15 flags no open photo face and 4 % of LFW.
 * - lightDifference: mean luma of the face's left and right halves, 0…255. Even light measures
 *   < 15; astronaut.png's studio key light from one side 30–32 (still a usable photo); the sun from
 *   the side in camera.png 53.
 */
export const ID_PHOTO_WARNING_LIMITS = {
  faceUpscale: 1.5,
  roll: 8,
  yaw: 20,
  pitch: 20,
  eyeOpenness: 0.15,
  lightDifference: 40,
} as const;

/** Head roll in degrees from the detector's eye keypoints (positive: clockwise in the image). */
export function rollDegrees(keypoints: readonly Point[]): number | null {
  const rightEye = keypoints[KEYPOINT.rightEye];
  const leftEye = keypoints[KEYPOINT.leftEye];
  if (!rightEye || !leftEye) return null;
  return (Math.atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x) * 180) / Math.PI;
}

/**
 * Mean luma difference of the left and right halves of a face sample (the face box drawn small).
 * The outer 10 % of each side and the top 20 % (hair, background) are left out.
 */
export function lightDifference(luma: LumaImage): number {
  const { data, width, height } = luma;
  if (width < 4 || height < 4) return 0;
  const x0 = Math.floor(0.1 * width);
  const x1 = Math.ceil(0.9 * width);
  const middle = width / 2;
  let left = 0;
  let right = 0;
  let leftCount = 0;
  let rightCount = 0;
  for (let y = Math.floor(0.2 * height); y < height; y++) {
    for (let x = x0; x < x1; x++) {
      const value = data[y * width + x]!;
      if (x < middle) {
        left += value;
        leftCount++;
      } else {
        right += value;
        rightCount++;
      }
    }
  }
  return Math.abs(left / Math.max(1, leftCount) - right / Math.max(1, rightCount));
}

export interface EyeOpenness {
  left: number;
  right: number;
}

export interface WarningInput {
  faceCount: number;
  face: DetectedFace;
  /**
   * Other detections of the same face (the other detector model). A profile fools the short-range
   * model into a frontal-looking box (camera.png: yaw 0° short range, 48° full range), so a turn
   * seen in any of them counts. Pitch is read from `face` only: the models' pitch differs by ~10°.
   */
  sameFace?: readonly DetectedFace[];
  /** Face box height in the ORIGINAL photo's pixels, and what the output needs. */
  sourceFaceHeight: number;
  outputFaceHeight: number;
  faceLuma: LumaImage;
  /** From face landmarks; null/undefined = not available (the check is skipped). */
  eyeOpenness?: EyeOpenness | null;
  headCut: boolean;
}

export interface WarningResult {
  warnings: IdPhotoWarning[];
  skippedChecks: IdPhotoWarningCode[];
  pose: HeadPose | null;
  roll: number | null;
}

export function idPhotoWarnings(input: WarningInput, limits = ID_PHOTO_WARNING_LIMITS): WarningResult {
  const warnings: IdPhotoWarning[] = [];
  const skippedChecks: IdPhotoWarningCode[] = [];
  const warn = (code: IdPhotoWarningCode, value: number, limit: number) => warnings.push({ code, value, limit });

  if (input.faceCount > 1) warn('many-faces', input.faceCount, 1);
  const upscale = input.outputFaceHeight / Math.max(1e-6, input.sourceFaceHeight);
  if (upscale > limits.faceUpscale) warn('face-too-small', upscale, limits.faceUpscale);
  const roll = rollDegrees(input.face.keypoints);
  if (roll !== null && Math.abs(roll) > limits.roll) warn('tilted', roll, limits.roll);
  const pose = estimateHeadPose(input.face.keypoints);
  if (pose) {
    const yaws = [pose.yaw, ...(input.sameFace ?? []).map((other) => estimateHeadPose(other.keypoints)?.yaw ?? 0)];
    const yaw = yaws.reduce((widest, value) => (Math.abs(value) > Math.abs(widest) ? value : widest), 0);
    if (Math.abs(yaw) > limits.yaw) warn('not-frontal', yaw, limits.yaw);
    else if (Math.abs(pose.pitch) > limits.pitch) warn('not-frontal', pose.pitch, limits.pitch);
  }
  if (input.eyeOpenness) {
    const openness = Math.min(input.eyeOpenness.left, input.eyeOpenness.right);
    if (openness < limits.eyeOpenness) warn('eyes-closed', openness, limits.eyeOpenness);
  } else {
    skippedChecks.push('eyes-closed');
  }
  const light = lightDifference(input.faceLuma);
  if (light > limits.lightDifference) warn('uneven-light', light, limits.lightDifference);
  if (input.headCut) warn('head-cut', 0, 0);
  return { warnings, skippedChecks, pose, roll };
}
