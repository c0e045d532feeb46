/**
 * Colour raster helpers of the mock vendors (the ID-photo maker and the skin analyser make real
 * pictures from the uploaded photo): decode to RGBA, crop and scale, JPEG/PNG encoding with a
 * DPI stamp and size padding, and a few per-pixel maps. Plain loops over typed arrays, no
 * native code; pictures are kept small (≤ 1000 px a side in the skin mock) so they stay fast.
 */
import { decode as decodeJpeg, encode as encodeJpegRaw } from 'jpeg-js';
import { PNG } from 'pngjs';
import { padJpeg, setJpegDpi } from '../../../core/src/shared/index.js';
import type { GrayImage } from './image.js';


export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel, row-major. */
  data: Uint8Array;
}

export type Rgb = readonly [number, number, number];

/** Decodes a JPEG or PNG by its magic bytes; null for anything else or corrupt data. */
export function decodeRgba(bytes: Uint8Array): RgbaImage | null {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const raw = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 40, maxMemoryUsageInMB: 512 });
      return { width: raw.width, height: raw.height, data: raw.data };
    }
    if (bytes[0] === 0x89 && bytes[1] === 0x50) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
  } catch {
    // Corrupt data: the caller answers in the vendor's words.
  }
  return null;
}

/**
 * Encodes RGBA as a baseline JPEG. `dpi` is written into the JFIF header (jpeg-js writes "no
 * units"); `padToBytes` adds comment segments until the file is that large, the way ID-photo
 * tools meet a minimum file size without changing the picture (both from core's jpeg-dpi.ts).
 */
export function encodeJpeg(image: RgbaImage, quality: number, options: { dpi?: number; padToBytes?: number } = {}): Buffer {
  let encoded: Uint8Array = encodeJpegRaw({ width: image.width, height: image.height, data: image.data }, Math.round(quality)).data;
  if (options.dpi !== undefined) encoded = setJpegDpi(encoded, Math.max(1, Math.min(65_535, Math.round(options.dpi))));
  if (options.padToBytes !== undefined) encoded = padJpeg(encoded, options.padToBytes);
  return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}

export function encodePng(image: RgbaImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png);
}

export function blankImage(width: number, height: number, fill: readonly [number, number, number, number] = [0, 0, 0, 0]): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(fill, i);
  return { width, height, data };
}

/**
 * Scales the rectangle `crop` of `source` to `width`×`height` by bilinear sampling (area
 * averaging over the source footprint when shrinking a lot, so small outputs do not alias).
 * Pixels outside the source repeat the edge.
 */
export function resample(source: RgbaImage, crop: { x: number; y: number; width: number; height: number }, width: number, height: number): RgbaImage {
  const out = new Uint8Array(width * height * 4);
  const scaleX = crop.width / width;
  const scaleY = crop.height / height;
  const stepsX = Math.max(1, Math.min(8, Math.round(scaleX)));
  const stepsY = Math.max(1, Math.min(8, Math.round(scaleY)));
  const sample = new Float64Array(4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      sample.fill(0);
      for (let sy = 0; sy < stepsY; sy++) {
        const fy = crop.y + (y + (sy + 0.5) / stepsY) * scaleY - 0.5;
        for (let sx = 0; sx < stepsX; sx++) {
          const fx = crop.x + (x + (sx + 0.5) / stepsX) * scaleX - 0.5;
          bilinear(source, fx, fy, sample);
        }
      }
      const n = stepsX * stepsY;
      const o = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) out[o + c] = Math.round(sample[c]! / n);
    }
  }
  return { width, height, data: out };
}

function bilinear(image: RgbaImage, fx: number, fy: number, into: Float64Array): void {
  const x0 = clamp(Math.floor(fx), 0, image.width - 1);
  const y0 = clamp(Math.floor(fy), 0, image.height - 1);
  const x1 = Math.min(x0 + 1, image.width - 1);
  const y1 = Math.min(y0 + 1, image.height - 1);
  const ax = clamp(fx - x0, 0, 1);
  const ay = clamp(fy - y0, 0, 1);
  const d = image.data;
  const i00 = (y0 * image.width + x0) * 4;
  const i10 = (y0 * image.width + x1) * 4;
  const i01 = (y1 * image.width + x0) * 4;
  const i11 = (y1 * image.width + x1) * 4;
  for (let c = 0; c < 4; c++) {
    const top = d[i00 + c]! * (1 - ax) + d[i10 + c]! * ax;
    const bottom = d[i01 + c]! * (1 - ax) + d[i11 + c]! * ax;
    into[c]! += top * (1 - ay) + bottom * ay;
  }
}

/** Shrinks so that the longer side is at most `maxSide` (no-op when already smaller). */
export function fitWithin(image: RgbaImage, maxSide: number): RgbaImage {
  const scale = maxSide / Math.max(image.width, image.height);
  if (scale >= 1) return image;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  return resample(image, { x: 0, y: 0, width: image.width, height: image.height }, width, height);
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** `#RRGGBB` to RGB. */
export function parseHexColor(text: string): Rgb | undefined {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(text);
  return match ? [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)] : undefined;
}

/** CIE L*a*b* (D65) of an sRGB pixel: L 0…100, a* and b* about −128…127. */
export function rgbToLab(r: number, g: number, b: number): [number, number, number] {
  const linear = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const lr = linear(r);
  const lg = linear(g);
  const lb = linear(b);
  const x = (0.4124 * lr + 0.3576 * lg + 0.1805 * lb) / 0.95047;
  const y = 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
  const z = (0.0193 * lr + 0.1192 * lg + 0.9505 * lb) / 1.08883;
  const f = (t: number) => (t > 216 / 24_389 ? Math.cbrt(t) : (24_389 / 27 * t + 16) / 116);
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** Box blur of a single-channel map with radius `r` (separable running sums, O(n)). */
export function boxBlur(values: Float32Array, width: number, height: number, r: number): Float32Array {
  const temp = new Float32Array(values.length);
  const out = new Float32Array(values.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    let count = 0;
    for (let x = -r; x < width; x++) {
      const add = x + r;
      if (add < width) {
        sum += values[row + add]!;
        count++;
      }
      const drop = x - r - 1;
      if (drop >= 0) {
        sum -= values[row + drop]!;
        count--;
      }
      if (x >= 0) temp[row + x] = sum / count;
    }
  }
  for (let x = 0; x < width; x++) {
    let sum = 0;
    let count = 0;
    for (let y = -r; y < height; y++) {
      const add = y + r;
      if (add < height) {
        sum += temp[add * width + x]!;
        count++;
      }
      const drop = y - r - 1;
      if (drop >= 0) {
        sum -= temp[drop * width + x]!;
        count--;
      }
      if (y >= 0) out[y * width + x] = sum / count;
    }
  }
  return out;
}

/** Luma (BT.601) of an RGBA picture, for image.ts's checks. */
export function toGray(image: RgbaImage): GrayImage {
  const luma = new Float32Array(image.width * image.height);
  for (let i = 0, p = 0; i < luma.length; i++, p += 4) luma[i] = 0.299 * image.data[p]! + 0.587 * image.data[p + 1]! + 0.114 * image.data[p + 2]!;
  return { width: image.width, height: image.height, luma };
}
