/**
 * The live framing preview of `<id-photo-maker>`: where the spec's photo would be cut from the
 * camera frame, by the same framing maths as the device engine (core's `frameIdPhoto`) on the face
 * found in the frame. Without the person mask the head top is estimated from the face box, as the
 * engine does when its mask gives none.
 */
import {
  DEFAULT_FACE_CENTER_RANGE,
  DEFAULT_THRESHOLDS,
  ID_PHOTO_WARNING_LIMITS,
  frameIdPhoto,
  type Box,
  type Hint,
  type IdPhotoSpec,
  type QualityReport,
} from '@facekit/core';
import type { GuideGeometry } from '../shared/camera-view.js';

export interface LiveOutline {
  /** The photo's rectangle in frame pixels (it may leave the frame). */
  crop: Box;
  /** Where the head top and the chin should sit, in frame pixels (the spec's face band). */
  faceTop: number;
  faceBottom: number;
  /** The rectangle lies within the frame (a 2 % margin of tolerance): the photo needs no filling. */
  fits: boolean;
}

/** Share of the frame the outline may leave and still count as fitting. */
const FIT_TOLERANCE = 0.02;

export function liveOutline(
  frame: { width: number; height: number },
  face: Box,
  spec: Pick<IdPhotoSpec, 'widthPx' | 'heightPx'>,
  options: { faceRatio?: number; faceCenterRange?: number; topEmpty?: readonly [number, number] } = {},
): LiveOutline | null {
  let framing;
  try {
    framing = frameIdPhoto({ source: frame, face, output: { width: spec.widthPx, height: spec.heightPx }, ...options });
  } catch {
    return null;
  }
  const { crop, scale } = framing;
  const slackX = FIT_TOLERANCE * frame.width;
  const slackY = FIT_TOLERANCE * frame.height;
  const fits =
    crop.x >= -slackX && crop.y >= -slackY && crop.x + crop.width <= frame.width + slackX && crop.y + crop.height <= frame.height + slackY;
  return { crop, faceTop: crop.y + framing.faceTop / scale, faceBottom: crop.y + (framing.faceTop + framing.faceHeight) / scale, fits };
}

/**
 * The oval to aim for: the head (crown to chin) where the spec puts it, in the largest spec-shaped
 * rectangle centred in the frame. A face in this oval gives an outline that fits the frame.
 */
export function idealGuide(
  frame: { width: number; height: number },
  spec: Pick<IdPhotoSpec, 'widthPx' | 'heightPx'>,
  faceRatio: number,
  faceCenterRange = DEFAULT_FACE_CENTER_RANGE,
): GuideGeometry {
  const height = (1 - 2 * FIT_TOLERANCE) * Math.min(frame.height, (frame.width * spec.heightPx) / spec.widthPx);
  const top = (frame.height - height) / 2;
  const ry = (faceRatio * height) / 2;
  return { cx: frame.width / 2, cy: top + faceCenterRange * height, rx: 0.75 * ry, ry };
}

/**
 * The live hint for an ID photo: the quality gate's checks that a crop cannot fix (one face, turned
 * to the camera, light, sharpness, stillness), then the spec's framing instead of the selfie oval's
 * size and centring: the outline must fit the frame, and the face must have the pixels the spec
 * needs (the engine's `face-too-small` limit).
 */
export function framingHint(
  quality: QualityReport | null,
  frame: { width: number; height: number },
  outline: LiveOutline | null,
  spec: Pick<IdPhotoSpec, 'heightPx'>,
  thresholds = DEFAULT_THRESHOLDS,
): Hint {
  if (!quality || quality.faceCount === 0) return 'no-face';
  if (quality.faceCount > 1) return 'many-faces';
  if (!quality.frontal) return 'look-at-camera';
  if (quality.brightness < thresholds.minBrightness) return 'too-dark';
  if (quality.brightness > thresholds.maxBrightness) return 'too-bright';
  if (quality.sharpness < thresholds.minSharpness) return 'blurry';
  if (outline && !outline.fits) {
    const small = outline.crop.width <= frame.width * (1 + FIT_TOLERANCE) && outline.crop.height <= frame.height * (1 + FIT_TOLERANCE);
    return small ? 'center-face' : 'move-back';
  }
  if (outline && spec.heightPx / outline.crop.height > ID_PHOTO_WARNING_LIMITS.faceUpscale) return 'move-closer';
  if (quality.motion > thresholds.maxMotion) return 'hold-still';
  return 'ok';
}
