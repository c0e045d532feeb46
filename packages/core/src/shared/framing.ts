/** Geometry of faces in a frame: the guide oval, crops around a face, box overlap. Pure maths. */
import type { Box, DetectedFace } from './types.js';

export interface Size {
  width: number;
  height: number;
}

/** An axis-aligned ellipse: centre and radii in pixels. */
export interface Ellipse {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
}

/**
 * The oval the user is asked to put the face in, centred in the frame. Its height is 80 % of the
 * shorter side and its width three quarters of that (a face is about 3:4), so it fits portrait
 * and landscape frames alike. Elements draw the same oval from this function.
 */
export function guideEllipse(frame: Size): Ellipse {
  const shortSide = Math.min(frame.width, frame.height);
  const ry = 0.4 * shortSide;
  return { cx: frame.width / 2, cy: frame.height / 2, rx: 0.75 * ry, ry };
}

export interface CropOptions {
  /** Margin added on every side of the face box, in face widths (sides) and heights (top, bottom). */
  margin?: number;
  /** Longest side of the output in pixels; the crop is scaled down to fit, never up. */
  maxSide?: number;
}

export interface CropPlan {
  /** Integer rectangle of the frame to read. */
  crop: Box;
  /** Size to draw it at. */
  output: Size;
  /** Output pixels per frame pixel (≤ 1). */
  scale: number;
  /** The face box in output pixels, clipped to the output. */
  face: Box;
}

export const DEFAULT_CROP_MARGIN = 0.6;
export const DEFAULT_MAX_SIDE = 1024;

/**
 * The crop around a face: the face box grown by `margin` face sizes on each side, then moved (not
 * shrunk) to stay inside the frame where it fits, and cut to the frame where it does not.
 */
export function cropAroundFace(face: Box, frame: Size, options: CropOptions = {}): CropPlan {
  const margin = Math.max(0, options.margin ?? DEFAULT_CROP_MARGIN);
  const maxSide = Math.max(1, Math.floor(options.maxSide ?? DEFAULT_MAX_SIDE));
  if (frame.width < 1 || frame.height < 1) throw new RangeError('frame must be at least 1×1');

  const horizontal = placeSpan(face.x - margin * face.width, face.width * (1 + 2 * margin), frame.width);
  const vertical = placeSpan(face.y - margin * face.height, face.height * (1 + 2 * margin), frame.height);
  const crop: Box = { x: horizontal.start, y: vertical.start, width: horizontal.length, height: vertical.length };

  const scale = Math.min(1, maxSide / Math.max(crop.width, crop.height));
  const output: Size = {
    width: Math.max(1, Math.min(maxSide, Math.round(crop.width * scale))),
    height: Math.max(1, Math.min(maxSide, Math.round(crop.height * scale))),
  };
  const faceInOutput = clipBox(
    {
      x: (face.x - crop.x) * scale,
      y: (face.y - crop.y) * scale,
      width: face.width * scale,
      height: face.height * scale,
    },
    output,
  );
  return { crop, output, scale, face: faceInOutput };
}

/** Integer span of `length` starting near `start`, kept within 0…limit. */
function placeSpan(start: number, length: number, limit: number): { start: number; length: number } {
  const wanted = Math.min(limit, Math.max(1, Math.round(length)));
  const first = Math.min(limit - wanted, Math.max(0, Math.round(start)));
  return { start: first, length: wanted };
}

/** The part of a box inside a frame of the given size (zero-sized when outside). */
export function clipBox(box: Box, frame: Size): Box {
  const x0 = Math.min(frame.width, Math.max(0, box.x));
  const y0 = Math.min(frame.height, Math.max(0, box.y));
  const x1 = Math.min(frame.width, Math.max(0, box.x + box.width));
  const y1 = Math.min(frame.height, Math.max(0, box.y + box.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function intersectionArea(a: Box, b: Box): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

/** Intersection over union of two boxes, 0…1. */
export function iou(a: Box, b: Box): number {
  const intersection = intersectionArea(a, b);
  const union = a.width * a.height + b.width * b.height - intersection;
  return union > 0 ? intersection / union : 0;
}

/** Share of the smaller box that lies inside the other one, 0…1. */
export function containment(a: Box, b: Box): number {
  const smaller = Math.min(a.width * a.height, b.width * b.height);
  return smaller > 0 ? intersectionArea(a, b) / smaller : 0;
}

export interface SuppressionOptions {
  /** Boxes overlapping more than this (IoU) are the same face. */
  maxIou?: number;
  /**
   * A box lying this much inside another is the same face too: two models can frame one face at
   * different scales, with a low IoU.
   */
  maxContainment?: number;
}

function isDuplicate(a: Box, b: Box, options: SuppressionOptions): boolean {
  return iou(a, b) > (options.maxIou ?? 0.3) || containment(a, b) > (options.maxContainment ?? 0.7);
}

/** Non-maximum suppression: keeps the highest-scoring face of every group of duplicates. */
export function suppressOverlaps(faces: readonly DetectedFace[], options: SuppressionOptions = {}): DetectedFace[] {
  const kept: DetectedFace[] = [];
  for (const face of [...faces].sort((a, b) => b.score - a.score)) {
    if (!kept.some((other) => isDuplicate(face.box, other.box, options))) kept.push(face);
  }
  return kept;
}

/**
 * Faces from two detectors: all of the preferred one's, plus the other's that are not duplicates of
 * them (whatever their scores), so each face keeps the preferred detector's box and keypoints.
 */
export function mergeDetections(
  preferred: readonly DetectedFace[],
  others: readonly DetectedFace[],
  options: SuppressionOptions = {},
): DetectedFace[] {
  const kept = suppressOverlaps(preferred, options);
  const firstCount = kept.length;
  for (const face of suppressOverlaps(others, options)) {
    if (!kept.slice(0, firstCount).some((other) => isDuplicate(face.box, other.box, options))) kept.push(face);
  }
  return kept;
}

export function boxCentre(box: Box): { x: number; y: number } {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}
