/**
 * Where the wrinkle zones of the report lie on the user's photo.
 *
 * Zones are placed from face anchors (eye centres, nose tip, mouth, and where known the mouth
 * corners, the brow centre and the top of the forehead), in a face frame that follows the eye
 * line: `u` along it (image right when upright), `v` across it (down the face), both in units of
 * the eye distance `d`, so the placement follows the face's size and roll.
 *
 * The anchors come from, in order of preference:
 * 1. dense face landmarks (MediaPipe's 468-point mesh, from the worker's `landmarks()`),
 *    `anchorsFromLandmarks()`;
 * 2. the detector's six keypoints, `anchorsFromKeypoints()` (what the worker gives today);
 * 3. the face box alone, `anchorsFromBox()`, with average face proportions.
 * Pure functions, no DOM.
 */
import type { Box, Point } from '@facekit/core';
import { SKIN_WRINKLE_ZONE_KEYS, type SkinWrinkleZone } from './fields.js';

/** Face anchors in image pixels. "Right" is the subject's right (the image's left). */
export interface FaceAnchors {
  rightEye: Point;
  leftEye: Point;
  noseTip: Point;
  mouth: Point;
  mouthRight?: Point;
  mouthLeft?: Point;
  /** Between the eyebrows. */
  browCentre?: Point;
  /** Top of the forehead, at the hairline. */
  foreheadTop?: Point;
  /** Where the anchors came from. */
  source: 'landmarks' | 'keypoints' | 'box';
}

/** An ellipse in image pixels; `rotation` in degrees, clockwise. */
export interface RegionEllipse {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  rotation: number;
}

export interface WrinkleRegion {
  zone: SkinWrinkleZone;
  /** One shape for the centre zones, two (the subject's right, then left) for the paired ones. */
  shapes: RegionEllipse[];
  /** Where the zone's label goes. */
  label: Point;
}

/** Detector keypoint order: right eye, left eye, nose tip, mouth centre, right ear, left ear. */
export function anchorsFromKeypoints(keypoints: readonly Point[]): FaceAnchors | null {
  const [rightEye, leftEye, noseTip, mouth] = keypoints;
  if (!rightEye || !leftEye || !noseTip || !mouth) return null;
  if (Math.hypot(leftEye.x - rightEye.x, leftEye.y - rightEye.y) < 1) return null;
  return { rightEye, leftEye, noseTip, mouth, source: 'keypoints' };
}

/**
 * Indices of MediaPipe's face mesh (468 points; the 478-point variant adds irises after them):
 * eye corners 33/133 (subject's right) and 362/263 (left), nose tip 1, inner lips 13/14, mouth
 * corners 61/291, between the brows 9, forehead top 10.
 */
export const MESH = {
  rightEyeOuter: 33,
  rightEyeInner: 133,
  leftEyeInner: 362,
  leftEyeOuter: 263,
  noseTip: 1,
  upperLip: 13,
  lowerLip: 14,
  mouthRight: 61,
  mouthLeft: 291,
  browCentre: 9,
  foreheadTop: 10,
} as const;

export function anchorsFromLandmarks(landmarks: readonly Point[]): FaceAnchors | null {
  if (landmarks.length < 468) return null;
  const at = (index: number): Point => landmarks[index]!;
  const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  return {
    rightEye: mid(at(MESH.rightEyeOuter), at(MESH.rightEyeInner)),
    leftEye: mid(at(MESH.leftEyeInner), at(MESH.leftEyeOuter)),
    noseTip: at(MESH.noseTip),
    mouth: mid(at(MESH.upperLip), at(MESH.lowerLip)),
    mouthRight: at(MESH.mouthRight),
    mouthLeft: at(MESH.mouthLeft),
    browCentre: at(MESH.browCentre),
    foreheadTop: at(MESH.foreheadTop),
    source: 'landmarks',
  };
}

/** Average proportions within a detector box (brows to chin), for when no keypoints are known. */
export function anchorsFromBox(box: Box): FaceAnchors {
  const x = (fx: number) => box.x + fx * box.width;
  const y = (fy: number) => box.y + fy * box.height;
  return {
    rightEye: { x: x(0.32), y: y(0.36) },
    leftEye: { x: x(0.68), y: y(0.36) },
    noseTip: { x: x(0.5), y: y(0.58) },
    mouth: { x: x(0.5), y: y(0.77) },
    source: 'box',
  };
}

/** The best anchors available: dense landmarks, else keypoints, else the box. */
export function faceAnchors(face: { box: Box; keypoints?: readonly Point[]; landmarks?: readonly Point[] | null }): FaceAnchors {
  return (
    (face.landmarks ? anchorsFromLandmarks(face.landmarks) : null) ??
    (face.keypoints ? anchorsFromKeypoints(face.keypoints) : null) ??
    anchorsFromBox(face.box)
  );
}

/**
 * The seven wrinkle zones placed on the face. Offsets are in eye distances from the point between
 * the eyes; where the anchors know a feature (mouth corners, brow centre, forehead top) it is used
 * instead of the average.
 */
export function placeWrinkleRegions(anchors: FaceAnchors): WrinkleRegion[] {
  const { rightEye, leftEye } = anchors;
  const d = Math.hypot(leftEye.x - rightEye.x, leftEye.y - rightEye.y);
  const ux = (leftEye.x - rightEye.x) / d;
  const uy = (leftEye.y - rightEye.y) / d;
  // v is u turned a quarter clockwise in image coordinates: down the face when upright.
  const vx = -uy;
  const vy = ux;
  const roll = (Math.atan2(uy, ux) * 180) / Math.PI;
  const origin = { x: (rightEye.x + leftEye.x) / 2, y: (rightEye.y + leftEye.y) / 2 };

  /** Image point of face coordinates (in eye distances). */
  const at = (u: number, v: number): Point => ({ x: origin.x + d * (u * ux + v * vx), y: origin.y + d * (u * uy + v * vy) });
  /** Face coordinates of an image point. */
  const local = (p: Point): { u: number; v: number } => {
    const dx = p.x - origin.x;
    const dy = p.y - origin.y;
    return { u: (dx * ux + dy * uy) / d, v: (dx * vx + dy * vy) / d };
  };
  const ellipse = (u: number, v: number, ru: number, rv: number, tilt = 0): RegionEllipse => {
    const centre = at(u, v);
    return { cx: centre.x, cy: centre.y, rx: ru * d, ry: rv * d, rotation: roll + tilt };
  };

  const nose = local(anchors.noseTip);
  const mouth = local(anchors.mouth);
  // Face height scale: the mouth sits about 1.1 eye distances below the eyes on average.
  const mouthV = mouth.v > 0.3 ? mouth.v : 1.1;
  const noseV = nose.v > 0.1 && nose.v < mouthV ? nose.v : 0.55 * mouthV;
  const brow = anchors.browCentre ? local(anchors.browCentre) : { u: 0, v: -0.38 };
  const foreheadTopV = anchors.foreheadTop ? local(anchors.foreheadTop).v : -1.45;
  const cornerU = (side: -1 | 1): number => {
    const corner = side < 0 ? anchors.mouthRight : anchors.mouthLeft;
    return corner ? local(corner).u : side * 0.42;
  };
  const rightCorner = cornerU(-1);
  const leftCorner = cornerU(1);
  const cornerV = (side: -1 | 1): number => {
    const corner = side < 0 ? anchors.mouthRight : anchors.mouthLeft;
    return corner ? local(corner).v : mouthV;
  };

  // Forehead: the band between the brows and the hairline.
  const browV = Math.min(brow.v, -0.2);
  const foreheadV = (browV - 0.15 + foreheadTopV) / 2;
  const foreheadR = Math.max(0.18, (browV - 0.15 - foreheadTopV) / 2);
  const regions: Record<SkinWrinkleZone, RegionEllipse[]> = {
    forehead: [ellipse(brow.u, foreheadV, 0.95, foreheadR)],
    glabellar: [ellipse(brow.u, browV, 0.2, 0.17)],
    betweenEyes: [ellipse(0, 0.06, 0.15, 0.14)],
    underEyes: [ellipse(-0.5, 0.3, 0.3, 0.11), ellipse(0.5, 0.3, 0.3, 0.11)],
    crowFeet: [ellipse(-1.0, 0.05, 0.14, 0.24), ellipse(1.0, 0.05, 0.14, 0.24)],
    // From beside the nose wing down to beside the mouth corner, tilted outwards at the bottom.
    nasolabial: ([-1, 1] as const).map((side) => {
      const top = { u: side * 0.36, v: noseV + 0.05 };
      const bottom = { u: (side < 0 ? rightCorner : leftCorner) + side * 0.1, v: cornerV(side) + 0.05 };
      const length = Math.hypot(bottom.u - top.u, bottom.v - top.v);
      const tilt = (Math.atan2(bottom.u - top.u, bottom.v - top.v) * 180) / Math.PI;
      return ellipse((top.u + bottom.u) / 2, (top.v + bottom.v) / 2, 0.09, Math.max(0.15, length / 2 + 0.05), -tilt);
    }),
    mouthCorners: ([-1, 1] as const).map((side) =>
      ellipse((side < 0 ? rightCorner : leftCorner) + side * 0.06, cornerV(side) + 0.14, 0.13, 0.12),
    ),
  };

  return SKIN_WRINKLE_ZONE_KEYS.map((zone) => {
    const shapes = regions[zone];
    // Paired zones alternate the side of their label, so that neighbouring labels do not collide:
    // under the eyes and nasolabial on the subject's right (image left), the others on the left.
    const anchor = shapes.length > 1 && LABEL_ON_RIGHT.has(zone) ? shapes[0]! : shapes[shapes.length - 1]!;
    return { zone, shapes, label: { x: anchor.cx, y: anchor.cy } };
  });
}

/** A part of the photo, in image pixels. */
export interface MapView {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The part of the photo the wrinkle map shows: the zones with a margin of `margin` times their
 * size, inside the image. A small face in a large photo is shown large, so that the zones' labels,
 * sized to the view, stay apart.
 */
export function wrinkleMapView(regions: readonly WrinkleRegion[], width: number, height: number, margin = 0.18): MapView {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const region of regions) {
    for (const shape of region.shapes) {
      const reach = Math.max(shape.rx, shape.ry);
      left = Math.min(left, shape.cx - reach);
      right = Math.max(right, shape.cx + reach);
      top = Math.min(top, shape.cy - reach);
      bottom = Math.max(bottom, shape.cy + reach);
    }
  }
  if (!Number.isFinite(left)) return { x: 0, y: 0, width, height };
  const pad = margin * Math.max(right - left, bottom - top);
  const x = Math.max(0, Math.floor(left - pad));
  const y = Math.max(0, Math.floor(top - pad));
  const view = { x, y, width: Math.min(width, Math.ceil(right + pad)) - x, height: Math.min(height, Math.ceil(bottom + pad)) - y };
  return view.width > 0 && view.height > 0 ? view : { x: 0, y: 0, width, height };
}

/** Maps points from the analysed image into the encoded capture (a crop, maybe scaled). */
export function toCaptureSpace(points: readonly Point[], analysedFace: Box, captureFace: Box): Point[] {
  const sx = captureFace.width / Math.max(1e-6, analysedFace.width);
  const sy = captureFace.height / Math.max(1e-6, analysedFace.height);
  return points.map((p) => ({ x: (p.x - analysedFace.x) * sx + captureFace.x, y: (p.y - analysedFace.y) * sy + captureFace.y }));
}

const LABEL_ON_RIGHT = new Set<SkinWrinkleZone>(['underEyes', 'nasolabial']);

/** An SVG `transform` for a region ellipse drawn at the origin. */
export function ellipseTransform(shape: RegionEllipse): string {
  return `translate(${round(shape.cx)} ${round(shape.cy)}) rotate(${round(shape.rotation)})`;
}

const round = (value: number): number => Math.round(value * 10) / 10;
