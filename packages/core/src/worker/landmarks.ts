/**
 * Face landmarks in the vision worker: FaceLandmarker (VIDEO mode) on the `.task` bundle that
 * scripts/prepare-models.mjs builds from @mediapipe/face_mesh, and the geometry of each face.
 *
 * The bundle's model gives 478 points, of which 468…477 are copies of eyelid points (the legacy
 * model has no iris): they are dropped here and never reach the caller.
 */
import type { FaceLandmarker, FaceLandmarkerOptions, NormalizedLandmark } from '@mediapipe/tasks-vision';
import type { EyeOpenness } from '../shared/id-photo-framing.js';
import type { Box } from '../shared/types.js';
import {
  boxIou,
  faceGeometry,
  landmarkBox,
  MESH_POINTS,
  type LandmarkAnalysis,
  type LandmarkFace,
  type PixelSample,
  type Point3,
} from '../shared/face-geometry.js';

export const LANDMARKER_MODEL = 'models/face_landmarker.task';

/**
 * Two faces, so that a second person in view is reported (the liveness check fails on it). The
 * confidences are tasks-vision's defaults.
 */
export function landmarkerOptions(assetsBase: string): FaceLandmarkerOptions {
  return {
    baseOptions: { modelAssetPath: `${assetsBase}${LANDMARKER_MODEL}`, delegate: 'CPU' },
    runningMode: 'VIDEO',
    numFaces: 2,
    minFaceDetectionConfidence: 0.5,
    minFacePresenceConfidence: 0.5,
    minTrackingConfidence: 0.5,
    outputFaceBlendshapes: false,
    outputFacialTransformationMatrixes: false,
  };
}

/**
 * In VIDEO mode a face that jumps between frames can be reported twice for a frame or two: once on
 * the region tracked from the previous frame and once from a fresh detection. Two faces whose
 * landmark boxes overlap this much are one.
 */
const DUPLICATE_IOU = 0.3;

/** Longest side of the face sample that the colour signature is read from. */
const SAMPLE_SIDE = 64;

/** Runs FaceLandmarker on video frames and turns its output into LandmarkAnalysis. */
export class LandmarkTracker {
  private lastTimestamp = Number.NEGATIVE_INFINITY;
  private readonly canvas = new OffscreenCanvas(SAMPLE_SIDE, SAMPLE_SIDE);
  // CPU-backed: every sample is read back.
  private readonly context = this.canvas.getContext('2d', { willReadFrequently: true });

  analyze(landmarker: FaceLandmarker, frame: ImageBitmap, timestampMs: number): LandmarkAnalysis {
    const started = performance.now();
    // VIDEO mode refuses timestamps that do not increase.
    const timestamp = Math.max(timestampMs, this.lastTimestamp + 1);
    this.lastTimestamp = timestamp;
    const { width, height } = frame;
    const result = landmarker.detectForVideo(frame, timestamp);
    const faces: LandmarkFace[] = [];
    for (const normalised of result.faceLandmarks) {
      if (normalised.length < MESH_POINTS) continue;
      const landmarks = toPixels(normalised, width, height);
      const box = landmarkBox(landmarks);
      if (faces.some((face) => boxIou(face.geometry.box, box) > DUPLICATE_IOU)) continue;
      faces.push({ landmarks, geometry: faceGeometry(landmarks, this.sample(frame, box)) });
    }
    return { width, height, faces, workerMs: performance.now() - started };
  }

  /** A new landmarker starts its own timeline. */
  reset(): void {
    this.lastTimestamp = Number.NEGATIVE_INFINITY;
  }

  /** The face's box drawn small, for the colour signature. */
  private sample(frame: ImageBitmap, box: { x: number; y: number; width: number; height: number }): PixelSample | undefined {
    const x0 = Math.max(0, Math.floor(box.x));
    const y0 = Math.max(0, Math.floor(box.y));
    const x1 = Math.min(frame.width, Math.ceil(box.x + box.width));
    const y1 = Math.min(frame.height, Math.ceil(box.y + box.height));
    if (!this.context || x1 - x0 < 2 || y1 - y0 < 2) return undefined;
    const scale = Math.max(1, Math.max(x1 - x0, y1 - y0) / SAMPLE_SIDE);
    const width = Math.max(1, Math.round((x1 - x0) / scale));
    const height = Math.max(1, Math.round((y1 - y0) / scale));
    this.context.imageSmoothingQuality = 'medium';
    this.context.drawImage(frame, x0, y0, x1 - x0, y1 - y0, 0, 0, width, height);
    const { data } = this.context.getImageData(0, 0, width, height);
    return { data, width, height, origin: { x: x0, y: y0 }, scale: (x1 - x0) / width };
  }
}

/** The 468 real points in pixels; z uses the x scale, as MediaPipe's z does. */
function toPixels(points: readonly NormalizedLandmark[], width: number, height: number): Point3[] {
  const pixels: Point3[] = new Array(MESH_POINTS);
  for (let i = 0; i < MESH_POINTS; i++) {
    const point = points[i];
    pixels[i] = { x: point.x * width, y: point.y * height, z: point.z * width };
  }
  return pixels;
}

/** FaceLandmarker options for stills: IMAGE mode, so that nothing is tracked across calls. */
export function stillLandmarkerOptions(assetsBase: string): FaceLandmarkerOptions {
  return { ...landmarkerOptions(assetsBase), runningMode: 'IMAGE' };
}

/** The face box grown by this share of its size on each side is what the landmarker sees of a still. */
const STILL_MARGIN = 0.6;
/** Longest side of that cut-out: the landmark model reads 192 px, its face detector 128 px. */
const STILL_SIDE = 320;

/**
 * Eye openness of one detected face of a still (the ID photo's closed-eyes check): the face box with
 * a margin is cut out, drawn at most STILL_SIDE px, and run through an IMAGE-mode landmarker; of the
 * faces it finds, the one nearest the cut-out's centre is the detected face. Null when none is found.
 */
export async function stillEyeOpenness(landmarker: FaceLandmarker, image: ImageBitmap, face: Box): Promise<EyeOpenness | null> {
  const side = Math.max(face.width, face.height) * (1 + 2 * STILL_MARGIN);
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height / 2;
  const sx = Math.round(cx - side / 2);
  const sy = Math.round(cy - side / 2);
  const size = Math.max(1, Math.round(side));
  const out = Math.max(1, Math.min(STILL_SIDE, size));
  // Parts outside the photo come out transparent (black to the model): harmless around a face.
  const cut = await createImageBitmap(image, sx, sy, size, size, { resizeWidth: out, resizeHeight: out, resizeQuality: 'high' });
  try {
    let best: { distance: number; openness: EyeOpenness } | null = null;
    for (const normalised of landmarker.detect(cut).faceLandmarks) {
      if (normalised.length < MESH_POINTS) continue;
      const geometry = faceGeometry(toPixels(normalised, out, out));
      const distance = Math.hypot(geometry.box.x + geometry.box.width / 2 - out / 2, geometry.box.y + geometry.box.height / 2 - out / 2);
      if (!best || distance < best.distance) best = { distance, openness: { left: geometry.leftEyeOpenness, right: geometry.rightEyeOpenness } };
    }
    return best?.openness ?? null;
  } finally {
    cut.close();
  }
}
