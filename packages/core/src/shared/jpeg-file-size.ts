/**
 * Bringing a JPEG into a file-size range without changing its pixel size: a search on the encoder
 * quality, then padding (jpeg-dpi.ts `padJpeg`) when even the best quality is too small. The
 * encoder is passed in, so the search runs in Node tests as well as in the worker.
 */
import { padJpeg } from './jpeg-dpi.js';

export interface FileSizeBounds {
  minBytes: number;
  maxBytes: number;
}

/**
 * Bytes for a KB range. Upload systems read "KB" as 1024 bytes or as 1000 bytes; the bounds take
 * the stricter reading on each side (min × 1024, max × 1000), so the file passes under both. When a
 * range is too narrow for that (max/min < 1.024, no real spec), it falls back to 1024 on both.
 * A missing, zero or infinite bound means none.
 */
export function fileSizeBounds(minKb?: number, maxKb?: number): FileSizeBounds {
  const min = minKb !== undefined && Number.isFinite(minKb) && minKb > 0 ? minKb : 0;
  const max = maxKb !== undefined && Number.isFinite(maxKb) && maxKb > 0 ? maxKb : Number.POSITIVE_INFINITY;
  if (min > max) throw new RangeError(`file size range ${min}…${max} KB is empty`);
  let minBytes = Math.ceil(min * 1024);
  let maxBytes = max === Number.POSITIVE_INFINITY ? max : Math.floor(max * 1000);
  if (minBytes > maxBytes) {
    minBytes = Math.ceil(min * 1024);
    maxBytes = Math.floor(max * 1024);
  }
  return { minBytes, maxBytes };
}

/** Encodes the image at a quality 0…1 and returns the finished file (DPI already written). */
export type JpegEncoder = (quality: number) => Promise<Uint8Array>;

export interface FittedJpeg {
  bytes: Uint8Array;
  /** The quality of the encode that was kept, 0…1. */
  quality: number;
  /** Padding bytes added to reach the minimum. */
  paddedBytes: number;
  /** Encoder runs spent. */
  encodes: number;
}

/** The file cannot be made small enough at this pixel size, even at the lowest quality. */
export class FileSizeError extends Error {
  readonly code = 'FILE_SIZE_ABOVE_MAX';
  constructor(
    readonly smallestBytes: number,
    readonly maxBytes: number,
  ) {
    super(`FILE_SIZE_ABOVE_MAX: ${smallestBytes} bytes at the lowest quality, the maximum is ${maxBytes}`);
    this.name = 'FileSizeError';
  }
}

/** Qualities are searched in whole percent: Chromium's encoder works in whole percent. */
export const LOWEST_PERCENT = 1;
/** Quality of a file with no upper bound, and the search's ceiling while the minimum is met. */
export const PREFERRED_PERCENT = 95;
const HIGHEST_PERCENT = 100;

/**
 * The best-quality file within the bounds: the highest quality (up to 95 %, or 100 % when 95 % is
 * below the minimum) whose size is at most maxBytes, found by bisection; padded up to minBytes when
 * it is smaller. Throws FileSizeError when even quality 1 % is above maxBytes.
 */
export async function fitJpegSize(encode: JpegEncoder, bounds: FileSizeBounds): Promise<FittedJpeg> {
  let encodes = 0;
  const cache = new Map<number, Uint8Array>();
  const at = async (percent: number): Promise<Uint8Array> => {
    let bytes = cache.get(percent);
    if (!bytes) {
      bytes = await encode(percent / 100);
      encodes++;
      cache.set(percent, bytes);
    }
    return bytes;
  };
  const fits = (bytes: Uint8Array) => bytes.length <= bounds.maxBytes;

  /** Highest percent in (low, high) that fits, given that `low` fits and `high` does not. */
  const bisect = async (low: number, high: number): Promise<number> => {
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (fits(await at(middle))) low = middle;
      else high = middle;
    }
    return low;
  };

  let percent: number;
  const preferred = await at(PREFERRED_PERCENT);
  if (fits(preferred)) {
    percent = PREFERRED_PERCENT;
    if (preferred.length < bounds.minBytes) {
      const best = await at(HIGHEST_PERCENT);
      percent = fits(best) ? HIGHEST_PERCENT : await bisect(PREFERRED_PERCENT, HIGHEST_PERCENT);
    }
  } else {
    const lowest = await at(LOWEST_PERCENT);
    if (!fits(lowest)) throw new FileSizeError(lowest.length, bounds.maxBytes);
    percent = await bisect(LOWEST_PERCENT, PREFERRED_PERCENT);
  }
  const chosen = await at(percent);
  const bytes = chosen.length < bounds.minBytes ? padJpeg(chosen, bounds.minBytes) : chosen;
  return { bytes, quality: percent / 100, paddedBytes: bytes.length - chosen.length, encodes };
}
