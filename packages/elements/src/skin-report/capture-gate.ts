/**
 * The stricter quality gate of a skin-analysis photo, on top of the worker's per-frame report.
 *
 * The service wants a frontal face (its `faceDirection` 0) that fills much of the frame, sharp,
 * still, and lit brightly and evenly: a shadow on one cheek reads as pigment. The worker's report
 * gives size, centring, pose, brightness, sharpness and motion; evenness is measured here, from
 * the two halves of the face in a small copy of the frame (`LightMeter`).
 */
import type { Box, Hint, QualityReport } from '@facekit/core';

/** The hints of a skin capture: the kit's, plus uneven light. */
/** The kit's hints; skin analysis is the one capture that also asks for even light. */
export type SkinHint = Hint;

export interface SkinThresholds {
  minFaceSize: number;
  maxFaceSize: number;
  maxCenterOffset: number;
  maxYaw: number;
  maxPitch: number;
  minBrightness: number;
  maxBrightness: number;
  /** Largest brightness difference between the face's halves, relative to the brighter half. */
  maxImbalance: number;
  minSharpness: number;
  maxMotion: number;
  /** Frames in a row that must pass before the photo is taken. */
  stableFrames: number;
}

/**
 * Stricter than the kit's defaults (quality.ts): face at 40 % of the frame height or more (pores
 * need pixels), within 12° of frontal, mid-range exposure, halves within 20 %, sharper and stiller.
 * Every limit lies within the kit's, so that a frame passing this gate passes the worker's too and
 * the worker keeps it as a candidate for `encodeBest()`.
 */
export const SKIN_THRESHOLDS: SkinThresholds = {
  minFaceSize: 0.4,
  maxFaceSize: 0.75,
  maxCenterOffset: 0.3,
  maxYaw: 12,
  maxPitch: 15,
  minBrightness: 75,
  maxBrightness: 200,
  maxImbalance: 0.2,
  minSharpness: 60,
  maxMotion: 0.04,
  stableFrames: 8,
};

/** Mean luma (0…255) of the face's two halves in image coordinates. */
export interface LightBalance {
  left: number;
  right: number;
}

/** |left − right| / brighter half: 0 is perfectly even, 1 is one half black. */
export function imbalanceOf(light: LightBalance | null | undefined): number {
  if (!light) return 0;
  const brighter = Math.max(light.left, light.right);
  return brighter <= 0 ? 0 : Math.abs(light.left - light.right) / brighter;
}

/**
 * The one hint for a skin photo, by priority like the kit's `hintFor()`: who is there, where the
 * face is, how it is turned, the light (amount, then evenness), the image, movement.
 */
export function skinHintFor(
  report: QualityReport | null,
  light: LightBalance | null,
  thresholds: SkinThresholds = SKIN_THRESHOLDS,
): SkinHint {
  if (!report || report.faceCount === 0) return 'no-face';
  if (report.faceCount > 1) return 'many-faces';
  if (report.faceSize < thresholds.minFaceSize) return 'move-closer';
  if (report.faceSize > thresholds.maxFaceSize) return 'move-back';
  if (Math.hypot(report.centerOffset.x, report.centerOffset.y) > thresholds.maxCenterOffset) return 'center-face';
  if (Math.abs(report.yaw) > thresholds.maxYaw || Math.abs(report.pitch) > thresholds.maxPitch) return 'look-at-camera';
  if (report.brightness < thresholds.minBrightness) return 'too-dark';
  if (report.brightness > thresholds.maxBrightness) return 'too-bright';
  if (imbalanceOf(light) > thresholds.maxImbalance) return 'uneven-light';
  if (report.sharpness < thresholds.minSharpness) return 'blurry';
  if (report.motion > thresholds.maxMotion) return 'hold-still';
  return 'ok';
}

/** Counts frames in a row whose skin hint is `ok`. */
export class SkinGate {
  private passed = 0;

  constructor(private readonly stableFrames = SKIN_THRESHOLDS.stableFrames) {}

  update(hint: SkinHint): boolean {
    this.passed = hint === 'ok' ? this.passed + 1 : 0;
    return this.passed >= this.stableFrames;
  }

  get count(): number {
    return this.passed;
  }

  reset(): void {
    this.passed = 0;
  }
}

/** Mean luma of the left and right halves of `box` in RGBA pixels of `width` × `height`. */
export function lightBalanceOf(rgba: ArrayLike<number>, width: number, height: number, box: Box): LightBalance | null {
  const x0 = Math.max(0, Math.floor(box.x));
  const x1 = Math.min(width, Math.ceil(box.x + box.width));
  // The middle band of the face (cheeks): brows and hair above, beard and neck below, skew the halves.
  const y0 = Math.max(0, Math.floor(box.y + box.height * 0.25));
  const y1 = Math.min(height, Math.ceil(box.y + box.height * 0.8));
  const mid = (x0 + x1) / 2;
  if (x1 - x0 < 2 || y1 - y0 < 1) return null;
  let left = 0;
  let right = 0;
  let leftCount = 0;
  let rightCount = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = (y * width + x) * 4;
      const luma = 0.299 * rgba[p]! + 0.587 * rgba[p + 1]! + 0.114 * rgba[p + 2]!;
      if (x < mid) {
        left += luma;
        leftCount++;
      } else {
        right += luma;
        rightCount++;
      }
    }
  }
  if (!leftCount || !rightCount) return null;
  return { left: left / leftCount, right: right / rightCount };
}

/**
 * Measures the light on the face from a small copy of the picture (64 px wide): a fraction of a
 * millisecond per frame on the main thread, next to the worker's analysis.
 */
export class LightMeter {
  private canvas: HTMLCanvasElement | OffscreenCanvas | null = null;
  private context: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null = null;

  constructor(private readonly width = 64) {}

  /** `source` is the video (or a frame) of `size`; `box` is the face in that size's pixels. */
  measure(source: CanvasImageSource, size: { width: number; height: number }, box: Box): LightBalance | null {
    if (!size.width || !size.height) return null;
    const scale = this.width / size.width;
    const width = this.width;
    const height = Math.max(1, Math.round(size.height * scale));
    const context = this.contextFor(width, height);
    if (!context) return null;
    try {
      context.drawImage(source, 0, 0, width, height);
      const pixels = context.getImageData(0, 0, width, height).data;
      return lightBalanceOf(pixels, width, height, {
        x: box.x * scale,
        y: box.y * scale,
        width: box.width * scale,
        height: box.height * scale,
      });
    } catch {
      return null;
    }
  }

  private contextFor(width: number, height: number): CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null {
    if (!this.canvas) {
      this.canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(width, height) : document.createElement('canvas');
      this.context = this.canvas.getContext('2d', { willReadFrequently: true }) as
        | CanvasRenderingContext2D
        | OffscreenCanvasRenderingContext2D
        | null;
    }
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    return this.context;
  }
}
