// Camera-like frames made from real photos for the landmark and liveness tests: a selfie framing of
// a photo's face, and geometric and landmark-guided edits of it (rotation, mirror, shift, scale,
// head turns and nods as cylindrical warps, closed eyes, an open mouth). Used by landmarks.test.ts
// in web-test-runner and by scripts/liveness-geometry.mjs, which records the measurements for the
// Node tests of the liveness engine.
import { transfer, type Remote } from 'comlink';
import type { Box, VisionApi } from '../../packages/core/src/shared/types.js';
import type { LandmarkAnalysis, Point3 } from '../../packages/core/src/shared/face-geometry.js';

export const FRAME = { width: 640, height: 480 } as const;
/** Face box height over frame height in the selfie framing (the face video's 40 %). */
const FACE_SHARE = 0.4;

export type Canvas = OffscreenCanvas;
type Context = OffscreenCanvasRenderingContext2D;

export async function loadPhoto(url: string): Promise<ImageBitmap> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} (run node scripts/fixtures.mjs)`);
  return createImageBitmap(await response.blob());
}

function canvas(width: number = FRAME.width, height: number = FRAME.height): { canvas: Canvas; context: Context } {
  const made = new OffscreenCanvas(width, height);
  const context = made.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D context');
  return { canvas: made, context };
}

/** A neutral grey frame: no face, so that VIDEO mode drops what it tracked. */
export function blankFrame(): Canvas {
  const { canvas: blank, context } = canvas();
  context.fillStyle = '#808080';
  context.fillRect(0, 0, FRAME.width, FRAME.height);
  return blank;
}

/**
 * The photo scaled and cropped to 640×480 so that `face` (a box in photo pixels) sits in the middle at
 * 40 % of the frame height, with the frame's grey where the photo ends.
 */
export function selfieFrame(photo: CanvasImageSource & { width: number; height: number }, face: Box, share = FACE_SHARE): Canvas {
  const { canvas: frame, context } = canvas();
  const scale = (share * FRAME.height) / face.height;
  context.fillStyle = '#808080';
  context.fillRect(0, 0, FRAME.width, FRAME.height);
  context.imageSmoothingQuality = 'high';
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height / 2;
  context.drawImage(photo, FRAME.width / 2 - cx * scale, FRAME.height / 2 - cy * scale, photo.width * scale, photo.height * scale);
  return frame;
}

/** A copy drawn through a transform about (cx, cy). */
function transformed(source: Canvas, cx: number, cy: number, apply: (context: Context) => void): Canvas {
  const { canvas: out, context } = canvas(source.width, source.height);
  context.fillStyle = '#808080';
  context.fillRect(0, 0, out.width, out.height);
  context.translate(cx, cy);
  apply(context);
  context.translate(-cx, -cy);
  context.drawImage(source, 0, 0);
  return out;
}

/** Rotated by `degrees` clockwise (image y down) about a point. */
export const rotate = (source: Canvas, degrees: number, cx: number, cy: number) =>
  transformed(source, cx, cy, (context) => context.rotate((degrees * Math.PI) / 180));

export const mirror = (source: Canvas) => transformed(source, source.width / 2, 0, (context) => context.scale(-1, 1));

export const shift = (source: Canvas, dx: number, dy = 0) => transformed(source, 0, 0, (context) => context.translate(dx, dy));

export const scale = (source: Canvas, factor: number, cx: number, cy: number) =>
  transformed(source, cx, cy, (context) => context.scale(factor, factor));

/** Squeezed horizontally about x = cx (the brief's "perspective-like squeeze"). */
export const squeeze = (source: Canvas, factor: number, cx: number) => transformed(source, cx, 0, (context) => context.scale(factor, 1));

/** Squeezed vertically about y = cy: a photo tilted backwards, as an attacker would flick it. */
export const squeezeVertical = (source: Canvas, factor: number, cy: number) => transformed(source, 0, cy, (context) => context.scale(1, factor));

/**
 * The head turned by `degrees` about a vertical axis: the image is wrapped onto a cylinder of radius
 * `radius` around x = cx and the cylinder is turned. Positive degrees move the face's centre towards
 * the image's right (a turn to the subject's own left in an unmirrored frame).
 */
export function turnHead(source: Canvas, degrees: number, cx: number, radius: number): Canvas {
  return cylinderWarp(source, degrees, cx, radius, 'x');
}

/** The head nodded by `degrees` about a horizontal axis at y = cy; positive moves the face down. */
export function nodHead(source: Canvas, degrees: number, cy: number, radius: number): Canvas {
  return cylinderWarp(source, degrees, cy, radius, 'y');
}

function cylinderWarp(source: Canvas, degrees: number, centre: number, radius: number, axis: 'x' | 'y'): Canvas {
  const { width, height } = source;
  const input = source.getContext('2d')!.getImageData(0, 0, width, height);
  const { canvas: out, context } = canvas(width, height);
  const output = context.createImageData(width, height);
  const turn = (degrees * Math.PI) / 180;
  const along = axis === 'x' ? width : height;
  // Output coordinate along the axis -> source coordinate (or -1 where the cylinder's back shows).
  const map = new Float64Array(along);
  for (let t = 0; t < along; t++) {
    const u = (t + 0.5 - centre) / radius;
    if (Math.abs(u) >= 1) {
      map[t] = t;
      continue;
    }
    const angle = Math.asin(u) - turn;
    map[t] = Math.abs(angle) < Math.PI / 2 ? centre + radius * Math.sin(angle) - 0.5 : -1;
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = axis === 'x' ? map[x] : map[y];
      const at = 4 * (y * width + x);
      if (from < 0) {
        output.data.set([128, 128, 128, 255], at);
        continue;
      }
      // Linear interpolation along the warped axis.
      const base = Math.min(Math.max(Math.floor(from), 0), along - 2);
      const weight = Math.min(Math.max(from - base, 0), 1);
      const a = axis === 'x' ? 4 * (y * width + base) : 4 * (base * width + x);
      const b = axis === 'x' ? a + 4 : a + 4 * width;
      for (let c = 0; c < 4; c++) output.data[at + c] = input.data[a + c] * (1 - weight) + input.data[b + c] * weight;
    }
  }
  context.putImageData(output, 0, 0);
  return out;
}

/**
 * The mesh's depth is flatter than a head's: warped with it as it is, a 30° turn reads as about 15°.
 * Doubling it gives turns that read close to the angle asked for.
 */
const DEPTH_GAIN = 1.6;
/** Every n-th landmark steers the warp: fewer points keep it smooth where the far side folds. */
const CONTROL_STEP = 6;

/**
 * The head rotated in 3-D by `yaw` and `pitch` degrees (signs as in FaceGeometry: yaw > 0 turns to the
 * subject's left, pitch > 0 nods the chin down), guided by the frame's own landmarks. The landmarks
 * are rotated about an axis half a face width behind the face and projected straight onto the image;
 * the pixels follow them by a moving-least-squares affine warp (Schaefer et al. 2006), with a ring of
 * fixed points around the head so that the background stays put. The hidden side is not removed, so
 * it suits angles up to about 30°.
 */
export function rotateHead(source: Canvas, landmarks: readonly Point3[], yaw: number, pitch: number, depth = DEPTH_GAIN): Canvas {
  const xs = landmarks.map((p) => p.x);
  const ys = landmarks.map((p) => p.y);
  const left = Math.min(...xs);
  const right = Math.max(...xs);
  const top = Math.min(...ys);
  const bottom = Math.max(...ys);
  const faceWidth = right - left;
  const cx = (left + right) / 2;
  const cy = (top + bottom) / 2;
  const meanZ = landmarks.reduce((sum, p) => sum + p.z, 0) / landmarks.length;
  const cz = 0.5 * faceWidth;
  const a = (yaw * Math.PI) / 180;
  const b = (pitch * Math.PI) / 180;
  // Destination (q) and source (p) positions of the control points.
  const q: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < landmarks.length; i += CONTROL_STEP) {
    const { x, y } = landmarks[i];
    const z = (landmarks[i].z - meanZ) * depth;
    // Yaw about the vertical axis, then pitch about the horizontal one.
    const x1 = cx + (x - cx) * Math.cos(a) - (z - cz) * Math.sin(a);
    const z1 = cz + (x - cx) * Math.sin(a) + (z - cz) * Math.cos(a);
    const y2 = cy + (y - cy) * Math.cos(b) - (z1 - cz) * Math.sin(b);
    q.push(x1, y2);
    p.push(x, y);
  }
  const ringX = 0.95 * faceWidth;
  const ringY = 0.95 * (bottom - top);
  for (let k = 0; k < 32; k++) {
    const angle = (2 * Math.PI * k) / 32;
    const x = cx + ringX * Math.cos(angle);
    const y = cy + ringY * Math.sin(angle);
    q.push(x, y);
    p.push(x, y);
  }
  const count = q.length / 2;
  // Softened weights 1 / (d² + σ²): an approximating warp, without the rings an interpolating one
  // leaves where the far side's points crowd together.
  const softening = (0.12 * faceWidth) ** 2;
  /** Source position of output pixel (vx, vy). */
  const sourceOf = (vx: number, vy: number): [number, number] => {
    let sw = 0;
    let qx = 0;
    let qy = 0;
    let px = 0;
    let py = 0;
    const w = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const dx = q[2 * i] - vx;
      const dy = q[2 * i + 1] - vy;
      w[i] = 1 / (dx * dx + dy * dy + softening);
      sw += w[i];
      qx += w[i] * q[2 * i];
      qy += w[i] * q[2 * i + 1];
      px += w[i] * p[2 * i];
      py += w[i] * p[2 * i + 1];
    }
    qx /= sw;
    qy /= sw;
    px /= sw;
    py /= sw;
    let a11 = 0;
    let a12 = 0;
    let a22 = 0;
    let b11 = 0;
    let b12 = 0;
    let b21 = 0;
    let b22 = 0;
    for (let i = 0; i < count; i++) {
      const hx = q[2 * i] - qx;
      const hy = q[2 * i + 1] - qy;
      const gx = p[2 * i] - px;
      const gy = p[2 * i + 1] - py;
      a11 += w[i] * hx * hx;
      a12 += w[i] * hx * hy;
      a22 += w[i] * hy * hy;
      b11 += w[i] * hx * gx;
      b12 += w[i] * hx * gy;
      b21 += w[i] * hy * gx;
      b22 += w[i] * hy * gy;
    }
    const det = a11 * a22 - a12 * a12;
    const i11 = a22 / det;
    const i12 = -a12 / det;
    const i22 = a11 / det;
    const m11 = i11 * b11 + i12 * b21;
    const m12 = i11 * b12 + i12 * b22;
    const m21 = i12 * b11 + i22 * b21;
    const m22 = i12 * b12 + i22 * b22;
    const ux = vx - qx;
    const uy = vy - qy;
    return [ux * m11 + uy * m21 + px, ux * m12 + uy * m22 + py];
  };
  const { width, height } = source;
  const input = source.getContext('2d')!.getImageData(0, 0, width, height);
  const { canvas: out, context } = canvas(width, height);
  const output = new ImageData(new Uint8ClampedArray(input.data), width, height);
  // The warp is smooth: solve it on a 4 px grid inside the ring and interpolate.
  const step = 4;
  const x0 = Math.max(0, Math.floor((cx - ringX) / step) * step);
  const y0 = Math.max(0, Math.floor((cy - ringY) / step) * step);
  const x1 = Math.min(width - 1, Math.ceil(cx + ringX));
  const y1 = Math.min(height - 1, Math.ceil(cy + ringY));
  const columns = Math.ceil((x1 - x0) / step) + 2;
  const rows = Math.ceil((y1 - y0) / step) + 2;
  const grid = new Float64Array(columns * rows * 2);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const [sx, sy] = sourceOf(x0 + c * step, y0 + r * step);
      grid[2 * (r * columns + c)] = sx;
      grid[2 * (r * columns + c) + 1] = sy;
    }
  }
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const gx = (x - x0) / step;
      const gy = (y - y0) / step;
      const c = Math.min(Math.floor(gx), columns - 2);
      const r = Math.min(Math.floor(gy), rows - 2);
      const fx = gx - c;
      const fy = gy - r;
      const at = (rr: number, cc: number, k: number) => grid[2 * (rr * columns + cc) + k];
      const lerp = (k: number) =>
        (at(r, c, k) * (1 - fx) + at(r, c + 1, k) * fx) * (1 - fy) + (at(r + 1, c, k) * (1 - fx) + at(r + 1, c + 1, k) * fx) * fy;
      const sx = Math.min(Math.max(lerp(0), 0), width - 1.001);
      const sy = Math.min(Math.max(lerp(1), 0), height - 1.001);
      const ix = Math.floor(sx);
      const iy = Math.floor(sy);
      const wx = sx - ix;
      const wy = sy - iy;
      const base = 4 * (iy * width + ix);
      const to = 4 * (y * width + x);
      for (let k = 0; k < 3; k++) {
        const top = input.data[base + k] * (1 - wx) + input.data[base + 4 + k] * wx;
        const low = input.data[base + 4 * width + k] * (1 - wx) + input.data[base + 4 * width + 4 + k] * wx;
        output.data[to + k] = top * (1 - wy) + low * wy;
      }
    }
  }
  context.putImageData(output, 0, 0);
  return out;
}

function copy(source: Canvas): { canvas: Canvas; context: Context } {
  const made = canvas(source.width, source.height);
  made.context.drawImage(source, 0, 0);
  return made;
}

/** Draws the rows [sy0, sy1) of `source` stretched into [dy0, dy1), between x0 and x1. */
function stretchRows(context: Context, source: Canvas, x0: number, x1: number, sy0: number, sy1: number, dy0: number, dy1: number): void {
  if (sy1 - sy0 < 0.5 || dy1 - dy0 < 0.5) return;
  context.drawImage(source, x0, sy0, x1 - x0, sy1 - sy0, x0, dy0, x1 - x0, dy1 - dy0);
}

/**
 * Eyes closed by `amount` (0 open … 1 closed), guided by the landmarks of the same frame: each eye
 * is squashed vertically onto its lid line and the skin just above and below is stretched over the
 * rest, as lids would cover it.
 */
export function closeEyes(source: Canvas, landmarks: readonly Point3[], amount: number): Canvas {
  const { canvas: out, context } = copy(source);
  if (amount >= 1) return paintClosedEyes(out, context, landmarks);
  for (const eye of [
    { outer: 33, inner: 133, upper: 159, lower: 145 },
    { outer: 263, inner: 362, upper: 386, lower: 374 },
  ]) {
    const a = landmarks[eye.outer];
    const b = landmarks[eye.inner];
    const eyeWidth = Math.abs(a.x - b.x);
    const x0 = Math.min(a.x, b.x) - 0.25 * eyeWidth;
    const x1 = Math.max(a.x, b.x) + 0.25 * eyeWidth;
    const centre = (landmarks[eye.upper].y + landmarks[eye.lower].y) / 2;
    const half = 0.42 * eyeWidth;
    const top = centre - half;
    const bottom = centre + half;
    const squash = 1 - 0.88 * amount;
    const skin = 0.35 * half;
    // The eye, squashed onto its centre line.
    stretchRows(context, source, x0, x1, top, bottom, centre - squash * half, centre + squash * half);
    // Skin from above and below, stretched over what the eye left.
    stretchRows(context, source, x0, x1, top - skin, top, top - skin, centre - squash * half);
    stretchRows(context, source, x0, x1, bottom, bottom + skin, centre + squash * half, bottom + skin);
  }
  return out;
}

/**
 * Closed eyes painted over each eye: an ellipse of the skin colour found just under the brow, shaded
 * darker towards a curved lash line between the eye corners.
 */
function paintClosedEyes(out: Canvas, context: Context, landmarks: readonly Point3[]): Canvas {
  for (const eye of [
    { outer: 33, inner: 133, upper: 159, lower: 145, brow: 105 },
    { outer: 263, inner: 362, upper: 386, lower: 374, brow: 334 },
  ]) {
    const a = landmarks[eye.outer];
    const b = landmarks[eye.inner];
    const eyeWidth = Math.hypot(a.x - b.x, a.y - b.y);
    const cx = (a.x + b.x) / 2;
    const cy = (landmarks[eye.upper].y + landmarks[eye.lower].y) / 2;
    // Skin colour: the band between the upper lid and the brow.
    const skinTop = Math.round((landmarks[eye.brow].y + landmarks[eye.upper].y) / 2);
    const band = context.getImageData(Math.round(cx - eyeWidth / 4), skinTop, Math.max(1, Math.round(eyeWidth / 2)), 3).data;
    const mean = [0, 1, 2].map((k) => {
      let sum = 0;
      for (let i = k; i < band.length; i += 4) sum += band[i];
      return Math.round(sum / (band.length / 4));
    });
    const rx = 0.68 * eyeWidth;
    const ry = 0.42 * eyeWidth;
    const gradient = context.createLinearGradient(0, cy - ry, 0, cy + ry);
    gradient.addColorStop(0, `rgb(${mean.join(',')})`);
    gradient.addColorStop(0.55, `rgb(${mean.map((v) => Math.round(v * 0.88)).join(',')})`);
    gradient.addColorStop(1, `rgb(${mean.map((v) => Math.round(v * 0.95)).join(',')})`);
    context.save();
    context.filter = 'blur(1.5px)';
    context.fillStyle = gradient;
    context.beginPath();
    context.ellipse(cx, cy, rx, ry, Math.atan2(b.y - a.y, b.x - a.x), 0, 2 * Math.PI);
    context.fill();
    context.restore();
    // The lash line, sagging a little between the corners.
    context.save();
    context.strokeStyle = 'rgba(45, 30, 25, 0.9)';
    context.lineWidth = Math.max(1.5, eyeWidth / 18);
    context.lineCap = 'round';
    context.beginPath();
    context.moveTo(a.x, a.y);
    context.quadraticCurveTo(cx, cy + 0.22 * eyeWidth, b.x, b.y);
    context.stroke();
    context.restore();
  }
  return out;
}

/**
 * Mouth opened by `amount` (share of the mouth's width), guided by the landmarks: the face below the
 * lips moves down and a dark mouth cavity fills the gap between the lips.
 */
export function openMouth(source: Canvas, landmarks: readonly Point3[], amount: number): Canvas {
  const { canvas: out, context } = copy(source);
  const upper = landmarks[13];
  const lower = landmarks[14];
  const right = landmarks[61];
  const left = landmarks[291];
  const mouthWidth = Math.abs(left.x - right.x);
  const gap = amount * mouthWidth;
  const line = (upper.y + lower.y) / 2;
  const faceLeft = landmarks[234].x;
  const faceRight = landmarks[454].x;
  const chin = landmarks[152].y;
  const x0 = Math.min(faceLeft, faceRight);
  const x1 = Math.max(faceLeft, faceRight);
  const bottom = chin + 0.6 * mouthWidth;
  // The jaw drops: everything below the lip line, down to under the chin.
  context.drawImage(source, x0, line, x1 - x0, bottom - line, x0, line + gap, x1 - x0, bottom - line);
  // Lip-coloured rows stretched over the gap outside the mouth opening, then the dark opening.
  stretchRows(context, source, x0, x1, line - 2, line, line, line + gap);
  context.fillStyle = '#2a0d0d';
  context.beginPath();
  context.ellipse((right.x + left.x) / 2, line + gap / 2, 0.34 * mouthWidth, gap / 2, 0, 0, 2 * Math.PI);
  context.fill();
  return out;
}

/** Faces of a photo found by the short-range detector, else the full-range one, in photo pixels. */
export async function findFaces(vision: Remote<VisionApi>, photo: ImageBitmap): Promise<Box[]> {
  for (const model of ['short', 'full'] as const) {
    const copy = await createImageBitmap(photo);
    const faces = await vision.detect(transfer(copy, [copy]), model);
    if (faces.length) return faces.map((face) => face.box);
  }
  return [];
}

/** Runs the landmark model on a canvas (as a video frame). */
export async function landmarksOf(vision: Remote<VisionApi>, frame: Canvas, timestampMs: number): Promise<LandmarkAnalysis> {
  const bitmap = await createImageBitmap(frame);
  return vision.landmarks(transfer(bitmap, [bitmap]), timestampMs);
}

export const round = (value: number, digits = 3) => Number(value.toFixed(digits));
