/**
 * Face geometry from the 468 face-mesh landmarks: eye and mouth openness, head pose, and a signature
 * that tells one face from another. Pure maths, shared by the vision worker and the liveness engine.
 *
 * Landmarks are in pixels of the analysed frame: x to the right, y down, and z (depth) in the same
 * pixel scale as x, smaller = nearer the camera (MediaPipe's z times the frame width). "Right" and
 * "left" are the subject's own: the subject's right eye appears on the image's left in an
 * unmirrored camera frame. Landmarks 468…477 of the landmark model are copies of eyelid points (the
 * model has no iris) and are never used: only 0…467 are read or returned.
 */
import type { Box } from './types.js';

export interface Point3 {
  x: number;
  y: number;
  z: number;
}

/** Number of real face-mesh landmarks. */
export const MESH_POINTS = 468;

/** Face-mesh indices used here (MediaPipe's canonical face mesh numbering). */
export const MESH = {
  /** Subject's right eye: outer and inner corner, upper-lid and lower-lid points (paired). */
  rightEye: { outer: 33, inner: 133, upper: [160, 159, 158], lower: [144, 145, 153] },
  /** Subject's left eye, likewise. */
  leftEye: { outer: 263, inner: 362, upper: [387, 386, 385], lower: [373, 374, 380] },
  /** Inner lips: upper and lower midpoints, inner corners (subject's right, left). */
  mouth: { upper: 13, lower: 14, right: 78, left: 308 },
  noseTip: 1,
  noseBridge: 168,
  noseBase: 2,
  forehead: 10,
  chin: 152,
  /** Face outline at the cheekbones (subject's right, left). */
  rightCheek: 234,
  leftCheek: 454,
} as const;

/**
 * Symmetric pairs (subject's right, left) whose direction is the face's horizontal axis, and
 * top-to-bottom pairs on the midline for the vertical axis. Several pairs average out the noise of
 * single points; none of them moves when the eyes or the mouth do.
 */
const HORIZONTAL_PAIRS: readonly (readonly [number, number])[] = [
  [33, 263],
  [133, 362],
  [234, 454],
  [127, 356],
  [98, 327],
];
const VERTICAL_PAIRS: readonly (readonly [number, number])[] = [
  [10, 168],
  [151, 6],
  [168, 2],
  [9, 164],
];

/**
 * Rigid points of the face (eye corners, nose, brow ridge, cheekbones, temples, forehead): not moved
 * by blinking, by the mouth or by the jaw. The pairwise 3-D distances between them, divided by their
 * mean, form the shape part of the signature; 3-D distances do not change with head pose.
 */
export const SIGNATURE_POINTS: readonly number[] = [33, 133, 362, 263, 1, 6, 168, 2, 98, 327, 10, 151, 234, 454, 127, 356];

/**
 * Skin patches sampled for the colour part of the signature, each as a landmark (centre) and a size
 * in inter-ocular distances: forehead, right cheek, left cheek, nose bridge.
 */
export const COLOUR_PATCHES: readonly { point: number; size: number }[] = [
  { point: 151, size: 0.45 },
  { point: 50, size: 0.3 },
  { point: 280, size: 0.3 },
  { point: 6, size: 0.2 },
];

export interface FaceSignature {
  /** Pairwise 3-D distances between SIGNATURE_POINTS, each divided by their mean. */
  shape: number[];
  /**
   * Per COLOUR_PATCHES entry: red and green chromaticity (r / (r+g+b), g / (r+g+b)) and the patch's
   * luma relative to the mean of all patches. Empty when no pixels were sampled.
   */
  colour: number[];
}

export interface FaceGeometry {
  /**
   * Eyelid gap over eye width, per eye (subject's right, left), from three lid pairs and the eye
   * corners in 3-D: open eyes read about 0.25–0.35, closed ones below half of their open value.
   */
  rightEyeOpenness: number;
  leftEyeOpenness: number;
  /** Mean of both eyes. */
  eyeOpenness: number;
  /** Inner-lip gap over inner-lip width: near 0 closed, 0.3 and more when open. */
  mouthOpenness: number;
  /**
   * Head pose in degrees, from the face's axes in 3-D (HORIZONTAL_PAIRS, VERTICAL_PAIRS):
   * - yaw > 0: the subject turns to their own left (in an unmirrored frame the nose moves towards
   *   the image's right; in a mirrored preview towards the screen's left);
   * - pitch > 0: chin down (nodding down);
   * - roll > 0: clockwise in the unmirrored frame, the head tilting towards the subject's left shoulder.
   * A frontal face reads near 0 but not exactly: the liveness engine works from each user's own
   * baseline.
   */
  yaw: number;
  pitch: number;
  roll: number;
  /**
   * Nose length (bridge 168 to base 2) over the outer eye corners' distance, in 3-D: about 0.54.
   * A blink leaves it alone (−3 %), while a photo tilted back or bent to fake one changes it as much
   * as it changes eye openness (squeezed to 0.7 of its height: −25 %).
   */
  aspect: number;
  /** Bounding box of the landmarks, in pixels. */
  box: Box;
  /** Distance between the outer eye corners, in pixels (the face's scale). */
  interocular: number;
  signature: FaceSignature;
}

/** One face found by the landmark model. */
export interface LandmarkFace {
  /** The 468 real landmarks in pixels (see the module comment for axes). */
  landmarks: Point3[];
  geometry: FaceGeometry;
}

export interface LandmarkAnalysis {
  width: number;
  height: number;
  faces: LandmarkFace[];
  /** Milliseconds spent in the worker on this frame. */
  workerMs: number;
}

/** RGBA pixels (as ImageData) of a region of the frame and where that region sits. */
export interface PixelSample {
  data: Uint8ClampedArray;
  width: number;
  height: number;
  /** Frame pixel of the sample's (0, 0) and frame pixels per sample pixel. */
  origin: { x: number; y: number };
  scale: number;
}

const DEGREES = 180 / Math.PI;

const sub = (a: Point3, b: Point3): Point3 => ({ x: a.x - b.x, y: a.y - b.y, z: a.z - b.z });
const dot = (a: Point3, b: Point3): number => a.x * b.x + a.y * b.y + a.z * b.z;
const scaleBy = (a: Point3, s: number): Point3 => ({ x: a.x * s, y: a.y * s, z: a.z * s });
const length = (a: Point3): number => Math.sqrt(dot(a, a));
const unit = (a: Point3): Point3 => {
  const size = length(a);
  return size > 0 ? scaleBy(a, 1 / size) : { x: 0, y: 0, z: 0 };
};
export const distance3 = (a: Point3, b: Point3): number => length(sub(a, b));

function eyeOpenness(points: readonly Point3[], eye: { outer: number; inner: number; upper: readonly number[]; lower: readonly number[] }): number {
  const width = distance3(points[eye.outer], points[eye.inner]);
  if (width <= 0) return 0;
  let gap = 0;
  for (let i = 0; i < eye.upper.length; i++) gap += distance3(points[eye.upper[i]], points[eye.lower[i]]);
  return gap / eye.upper.length / width;
}

/** Sum of the unit directions of point pairs (each pair weighs the same whatever its length). */
function meanDirection(points: readonly Point3[], pairs: readonly (readonly [number, number])[]): Point3 {
  let sum: Point3 = { x: 0, y: 0, z: 0 };
  for (const [from, to] of pairs) {
    const direction = unit(sub(points[to], points[from]));
    sum = { x: sum.x + direction.x, y: sum.y + direction.y, z: sum.z + direction.z };
  }
  return unit(sum);
}

/**
 * Yaw, pitch and roll in degrees (signs in FaceGeometry). The horizontal axis X (subject's right to
 * left) and the vertical axis Y (top to bottom, made orthogonal to X) of the face give the angles:
 * yaw is X's elevation out of the image plane, pitch Y's, and roll X's direction within the image.
 */
export function headPose(points: readonly Point3[]): { yaw: number; pitch: number; roll: number } {
  const x = meanDirection(points, HORIZONTAL_PAIRS);
  const down = meanDirection(points, VERTICAL_PAIRS);
  const y = unit(sub(down, scaleBy(x, dot(down, x))));
  return {
    yaw: Math.atan2(x.z, Math.hypot(x.x, x.y)) * DEGREES,
    pitch: Math.atan2(y.z, Math.hypot(y.x, y.y)) * DEGREES,
    roll: Math.atan2(x.y, x.x) * DEGREES,
  };
}

export function shapeSignature(points: readonly Point3[]): number[] {
  const distances: number[] = [];
  for (let i = 0; i < SIGNATURE_POINTS.length; i++) {
    for (let j = i + 1; j < SIGNATURE_POINTS.length; j++) {
      distances.push(distance3(points[SIGNATURE_POINTS[i]], points[SIGNATURE_POINTS[j]]));
    }
  }
  const mean = distances.reduce((sum, value) => sum + value, 0) / distances.length;
  return mean > 0 ? distances.map((value) => value / mean) : distances.map(() => 0);
}

/** Colour part of the signature from a pixel sample of the face (empty when a patch has no pixels). */
export function colourSignature(points: readonly Point3[], sample: PixelSample, interocular: number): number[] {
  const patches: { r: number; g: number; luma: number }[] = [];
  for (const { point, size } of COLOUR_PATCHES) {
    const centre = points[point];
    const half = (size * interocular) / 2 / sample.scale;
    const cx = (centre.x - sample.origin.x) / sample.scale;
    const cy = (centre.y - sample.origin.y) / sample.scale;
    const x0 = Math.max(0, Math.floor(cx - half));
    const x1 = Math.min(sample.width, Math.ceil(cx + half));
    const y0 = Math.max(0, Math.floor(cy - half));
    const y1 = Math.min(sample.height, Math.ceil(cy + half));
    let red = 0;
    let green = 0;
    let blue = 0;
    let count = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const at = 4 * (y * sample.width + x);
        red += sample.data[at];
        green += sample.data[at + 1];
        blue += sample.data[at + 2];
        count++;
      }
    }
    const total = red + green + blue;
    if (count === 0 || total === 0) return [];
    patches.push({ r: red / total, g: green / total, luma: (0.299 * red + 0.587 * green + 0.114 * blue) / count });
  }
  const meanLuma = patches.reduce((sum, patch) => sum + patch.luma, 0) / patches.length;
  return patches.flatMap((patch) => [patch.r, patch.g, meanLuma > 0 ? patch.luma / meanLuma : 1]);
}

export function landmarkBox(points: readonly Point3[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < MESH_POINTS && i < points.length; i++) {
    const { x, y } = points[i];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Everything the liveness engine reads from one face. `sample`: pixels for the colour signature. */
export function faceGeometry(points: readonly Point3[], sample?: PixelSample): FaceGeometry {
  if (points.length < MESH_POINTS) throw new RangeError(`expected ${MESH_POINTS} landmarks, got ${points.length}`);
  const rightEyeOpenness = eyeOpenness(points, MESH.rightEye);
  const leftEyeOpenness = eyeOpenness(points, MESH.leftEye);
  const mouthWidth = distance3(points[MESH.mouth.right], points[MESH.mouth.left]);
  const interocular = distance3(points[MESH.rightEye.outer], points[MESH.leftEye.outer]);
  return {
    rightEyeOpenness,
    leftEyeOpenness,
    eyeOpenness: (rightEyeOpenness + leftEyeOpenness) / 2,
    mouthOpenness: mouthWidth > 0 ? distance3(points[MESH.mouth.upper], points[MESH.mouth.lower]) / mouthWidth : 0,
    ...headPose(points),
    aspect: interocular > 0 ? distance3(points[MESH.noseBridge], points[MESH.noseBase]) / interocular : 0,
    box: landmarkBox(points),
    interocular,
    signature: {
      shape: shapeSignature(points),
      colour: sample ? colourSignature(points, sample, interocular) : [],
    },
  };
}

export interface SignatureDistance {
  /** RMS of the differences of the shape ratios. */
  shape: number;
  /** Largest chromaticity difference (Euclidean, r and g) over the patches; NaN when a side has no colour. */
  chroma: number;
  /** Largest difference of relative patch luma; NaN when a side has no colour. */
  luma: number;
}

export function signatureDistance(a: FaceSignature, b: FaceSignature): SignatureDistance {
  let squares = 0;
  const count = Math.min(a.shape.length, b.shape.length);
  for (let i = 0; i < count; i++) squares += (a.shape[i] - b.shape[i]) ** 2;
  const shape = count ? Math.sqrt(squares / count) : Number.NaN;
  if (!a.colour.length || a.colour.length !== b.colour.length) return { shape, chroma: Number.NaN, luma: Number.NaN };
  let chroma = 0;
  let luma = 0;
  for (let i = 0; i < a.colour.length; i += 3) {
    chroma = Math.max(chroma, Math.hypot(a.colour[i] - b.colour[i], a.colour[i + 1] - b.colour[i + 1]));
    luma = Math.max(luma, Math.abs(a.colour[i + 2] - b.colour[i + 2]));
  }
  return { shape, chroma, luma };
}

/** Element-wise mean of signatures (a session's reference from its first frames). */
export function meanSignature(signatures: readonly FaceSignature[]): FaceSignature {
  const mean = (pick: (signature: FaceSignature) => number[]): number[] => {
    const vectors = signatures.map(pick).filter((vector) => vector.length > 0);
    if (!vectors.length) return [];
    const size = Math.min(...vectors.map((vector) => vector.length));
    return Array.from({ length: size }, (_, i) => vectors.reduce((sum, vector) => sum + vector[i], 0) / vectors.length);
  };
  return { shape: mean((signature) => signature.shape), colour: mean((signature) => signature.colour) };
}

/** Intersection over union of two boxes. */
export function boxIou(a: Box, b: Box): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (width <= 0 || height <= 0) return 0;
  const overlap = width * height;
  return overlap / (a.width * a.height + b.width * b.height - overlap);
}
