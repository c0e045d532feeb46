/** Pixel work of the vision worker on OffscreenCanvas: face luma samples and size-bounded JPEGs. */
import { clipBox, type Size } from '../shared/framing.js';
import { rgbaToLuma, type LumaImage } from '../shared/quality.js';
import type { Box } from '../shared/types.js';

/** Longest side of the face sample that brightness and sharpness are measured on. */
export const LUMA_SIDE = 96;

/** Draws face regions small on one reused canvas and reads their luma back. */
export class LumaSampler {
  private readonly canvas = new OffscreenCanvas(LUMA_SIDE, LUMA_SIDE);
  // CPU-backed, since every sample is read back.
  private readonly context = this.canvas.getContext('2d', { willReadFrequently: true });

  sample(source: CanvasImageSource, frame: Size, box: Box): LumaImage {
    const region = clipBox(box, frame);
    if (!this.context || region.width < 1 || region.height < 1) return { data: new Uint8ClampedArray(0), width: 0, height: 0 };
    const scale = LUMA_SIDE / Math.max(region.width, region.height);
    const width = Math.max(3, Math.round(region.width * scale));
    const height = Math.max(3, Math.round(region.height * scale));
    this.context.imageSmoothingQuality = 'high';
    this.context.drawImage(source, region.x, region.y, region.width, region.height, 0, 0, width, height);
    return rgbaToLuma(this.context.getImageData(0, 0, width, height).data, width, height);
  }
}

/** Length of the base64 text of `bytes` bytes. */
export const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

/** Largest byte count whose base64 text fits in `maxBase64` characters. */
export const maxBytesForBase64 = (maxBase64: number) => Math.floor(maxBase64 / 4) * 3;

export interface JpegResult {
  blob: Blob;
  /** 0…1, as passed to convertToBlob. */
  quality: number;
}

// Chromium's encoder works in whole percent, so the search runs over integers.
const BEST_QUALITY = 95;
const LOWEST_QUALITY = 40;

/**
 * The best JPEG quality whose file is at most `targetBytes`, found by bisection (about 7 encodes).
 * When even the lowest quality is larger than the target, that file is returned if it stays within
 * `maxBytes`, otherwise null (the caller then draws the image smaller).
 */
export async function encodeJpegNear(canvas: OffscreenCanvas, targetBytes: number, maxBytes: number): Promise<JpegResult | null> {
  const target = Math.min(targetBytes, maxBytes);
  const encode = async (percent: number): Promise<JpegResult> => {
    const quality = percent / 100;
    return { blob: await canvas.convertToBlob({ type: 'image/jpeg', quality }), quality };
  };

  const best = await encode(BEST_QUALITY);
  if (best.blob.size <= target) return best;
  const lowest = await encode(LOWEST_QUALITY);
  if (lowest.blob.size > target) return lowest.blob.size <= maxBytes ? lowest : null;

  let fitting = lowest;
  let low = LOWEST_QUALITY;
  let high = BEST_QUALITY - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const candidate = await encode(middle);
    if (candidate.blob.size <= target) {
      fitting = candidate;
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return fitting;
}
