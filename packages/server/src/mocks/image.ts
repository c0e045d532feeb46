/**
 * Image handling of the mock vendors: decoding, a stand-in "face detector" and the perceptual
 * hash the mock uses as its face feature.
 *
 * How the mock scores similarity: the kit sends a crop with the face in the middle, so the mock
 * takes the central square (60 % of the shorter side) as "the face", shrinks its luma to 32×32,
 * and keeps the signs of the 63 lowest DCT frequencies against their median (a DCT pHash).
 * Similarity is 1 − HammingDistance / 63. The probe image is hashed at 27 small shifts and
 * scales (±4 % position, ±4 % size) and the best agreement counts, so two captures of the same
 * still face a few pixels apart score ≈ 0.85–1, while unrelated images score ≈ 0.4–0.75.
 * It recognises pictures, not people: it is a test double, not a face recogniser.
 */
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';

export interface GrayImage {
  width: number;
  height: number;
  /** Luma 0…255, row-major. */
  luma: Float32Array;
}

export interface Region {
  x: number;
  y: number;
  size: number;
}

export type Feature = Uint8Array;

const GRID = 32;
const FREQUENCIES = 8;
export const FEATURE_BITS = FREQUENCIES * FREQUENCIES - 1;
const FACE_FRACTION = 0.6;
/** Below this luma standard deviation the centre is "flat": no face. */
const FLAT_STD = 8;
const MIN_SIDE = 32;

export function decodeImage(bytes: Uint8Array): { image: GrayImage; mime: 'image/jpeg' | 'image/png' } | null {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const raw = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 40, maxMemoryUsageInMB: 512 });
      return { image: toGray(raw.width, raw.height, raw.data), mime: 'image/jpeg' };
    }
    if (bytes[0] === 0x89 && bytes[1] === 0x50) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { image: toGray(png.width, png.height, png.data), mime: 'image/png' };
    }
  } catch {
    // Corrupt data: the caller answers in the vendor's words.
  }
  return null;
}

function toGray(width: number, height: number, rgba: Uint8Array): GrayImage {
  if (!(width > 0 && height > 0) || rgba.length < width * height * 4) throw new Error('bad image');
  const luma = new Float32Array(width * height);
  for (let i = 0, p = 0; i < luma.length; i++, p += 4) {
    luma[i] = 0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2];
  }
  return { width, height, luma };
}

export function faceRegion(image: GrayImage, fraction = FACE_FRACTION, shiftX = 0, shiftY = 0): Region {
  const size = Math.min(image.width, image.height) * fraction;
  return { x: (image.width - size) / 2 + shiftX * size, y: (image.height - size) / 2 + shiftY * size, size };
}

/** Mean luma of GRID×GRID cells of a region (area average, clamped to the image). */
function shrink(image: GrayImage, region: Region, grid: number): Float64Array {
  const cells = new Float64Array(grid * grid);
  const step = region.size / grid;
  for (let gy = 0; gy < grid; gy++) {
    const y0 = clampInt(Math.floor(region.y + gy * step), 0, image.height - 1);
    const y1 = clampInt(Math.floor(region.y + (gy + 1) * step), y0 + 1, image.height);
    for (let gx = 0; gx < grid; gx++) {
      const x0 = clampInt(Math.floor(region.x + gx * step), 0, image.width - 1);
      const x1 = clampInt(Math.floor(region.x + (gx + 1) * step), x0 + 1, image.width);
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        const row = y * image.width;
        for (let x = x0; x < x1; x++) sum += image.luma[row + x];
      }
      cells[gy * grid + gx] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return cells;
}

function clampInt(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

const COSINES = (() => {
  const table = new Float64Array(FREQUENCIES * GRID);
  for (let k = 0; k < FREQUENCIES; k++) {
    for (let n = 0; n < GRID; n++) table[k * GRID + n] = Math.cos(((2 * n + 1) * k * Math.PI) / (2 * GRID));
  }
  return table;
})();

export function perceptualHash(image: GrayImage, region: Region): Feature {
  const cells = shrink(image, region, GRID);
  // Separable DCT: rows first, then columns, low frequencies only.
  const rows = new Float64Array(GRID * FREQUENCIES);
  for (let y = 0; y < GRID; y++) {
    for (let u = 0; u < FREQUENCIES; u++) {
      let sum = 0;
      for (let x = 0; x < GRID; x++) sum += cells[y * GRID + x] * COSINES[u * GRID + x];
      rows[y * FREQUENCIES + u] = sum;
    }
  }
  const coefficients: number[] = [];
  for (let v = 0; v < FREQUENCIES; v++) {
    for (let u = 0; u < FREQUENCIES; u++) {
      if (u === 0 && v === 0) continue; // The DC term is brightness, not shape.
      let sum = 0;
      for (let y = 0; y < GRID; y++) sum += rows[y * FREQUENCIES + u] * COSINES[v * GRID + y];
      coefficients.push(sum);
    }
  }
  const median = [...coefficients].sort((a, b) => a - b)[coefficients.length >> 1];
  return Uint8Array.from(coefficients, (value) => (value > median ? 1 : 0));
}

/** The stored feature of an enrolled face. */
export function faceFeature(image: GrayImage): Feature {
  return perceptualHash(image, faceRegion(image));
}

/** Hashes of a probe at small shifts and scales, to absorb framing jitter between captures. */
export function probeFeatures(image: GrayImage): Feature[] {
  const features: Feature[] = [];
  for (const scale of [0.94, 1, 1.06]) {
    for (const dy of [-0.04, 0, 0.04]) {
      for (const dx of [-0.04, 0, 0.04]) features.push(perceptualHash(image, faceRegion(image, FACE_FRACTION * scale, dx, dy)));
    }
  }
  return features;
}

/** 0…1: the best bit agreement between any probe hash and the stored feature. */
export function similarity(probes: Feature[], stored: Feature): number {
  let best = 0;
  for (const probe of probes) {
    let distance = 0;
    for (let i = 0; i < FEATURE_BITS; i++) if (probe[i] !== stored[i]) distance++;
    best = Math.max(best, 1 - distance / FEATURE_BITS);
  }
  return best;
}

export interface RegionStats {
  mean: number;
  std: number;
  /** Mean absolute Laplacian of the region shrunk to 64×64 (higher = sharper). */
  sharpness: number;
}

export function regionStats(image: GrayImage, region: Region = faceRegion(image)): RegionStats {
  const n = 64;
  const cells = shrink(image, region, n);
  let sum = 0;
  let squares = 0;
  for (const value of cells) {
    sum += value;
    squares += value * value;
  }
  const mean = sum / cells.length;
  const std = Math.sqrt(Math.max(0, squares / cells.length - mean * mean));
  let laplacian = 0;
  for (let y = 1; y < n - 1; y++) {
    for (let x = 1; x < n - 1; x++) {
      const i = y * n + x;
      laplacian += Math.abs(4 * cells[i] - cells[i - 1] - cells[i + 1] - cells[i - n] - cells[i + n]);
    }
  }
  return { mean, std, sharpness: laplacian / ((n - 2) * (n - 2)) };
}

/** The mock's "detector": a face is the central region of any image whose centre is not flat. */
export function hasFace(image: GrayImage): boolean {
  return Math.min(image.width, image.height) >= MIN_SIDE && regionStats(image).std >= FLAT_STD;
}
