import { FacekitError } from '../shared/errors.js';

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'heic' | 'avif';

export interface ReadImageOptions {
  /** Largest accepted file in bytes (default 20 MB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** ISO-BMFF brands of HEIF/HEIC and AVIF, which many browsers cannot decode. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** Identifies an image by its first bytes; the file name and MIME type are not trusted. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  const ascii = (start: number, end: number): string => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(1, 4) === 'PNG' && bytes[4] === 0x0d && bytes[5] === 0x0a) {
    return 'png';
  }
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'gif';
  if (bytes.length >= 14 && ascii(0, 2) === 'BM') return 'bmp';
  if (bytes.length >= 12 && ascii(4, 8) === 'ftyp') {
    // Major brand at 8, then the compatible brands up to the end of the ftyp box.
    const boxSize = Math.min(new DataView(bytes.buffer, bytes.byteOffset).getUint32(0), bytes.length);
    const brands = [ascii(8, 12)];
    for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(ascii(offset, offset + 4));
    if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
    if (brands.some((brand) => HEIF_BRANDS.has(brand))) return 'heic';
  }
  return null;
}

/**
 * Reads a photo file into an upright ImageBitmap.
 *
 * The format is sniffed from the magic bytes: JPEG, PNG, WebP, GIF and BMP are decoded; HEIC and
 * AVIF are tried (some browsers decode them) and give FILE_FORMAT when that fails. EXIF
 * orientation is applied exactly once: by the browser when its createImageBitmap honours
 * `imageOrientation: 'from-image'` (Chromium, Firefox), by a canvas rotation otherwise (Safari).
 */
export async function readImageFile(file: Blob, options: ReadImageOptions = {}): Promise<ImageBitmap> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  if (file.size > maxBytes) throw new FacekitError('FILE_TOO_LARGE');
  if (file.size === 0) throw new FacekitError('FILE_UNREADABLE', 'The file is empty');
  if (typeof createImageBitmap !== 'function') throw new FacekitError('UNSUPPORTED');

  let head: ArrayBuffer;
  try {
    head = await file.slice(0, 64 * 1024).arrayBuffer();
  } catch (cause) {
    // A file removed or changed after it was picked.
    throw new FacekitError('FILE_UNREADABLE', undefined, { cause });
  }
  const format = sniffImageFormat(new Uint8Array(head));
  if (!format) throw new FacekitError('FILE_FORMAT');

  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (cause) {
    const code = format === 'heic' || format === 'avif' ? 'FILE_FORMAT' : 'FILE_UNREADABLE';
    throw new FacekitError(code, undefined, { cause });
  }

  if (format !== 'jpeg') return bitmap;
  const orientation = exifOrientation(head);
  if (orientation <= 1 || (await browserAppliesExif())) return bitmap;
  return orientBitmap(bitmap, orientation);
}

/**
 * The EXIF Orientation (1…8) of a JPEG, read from its APP1 segment; 1 when absent or unreadable.
 * The segment sits at the start of the file, so the first 64 kB are enough.
 */
export function exifOrientation(bytes: ArrayBuffer): number {
  const view = new DataView(bytes);
  if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return 1;
  let offset = 2;
  while (offset + 4 <= view.byteLength) {
    if (view.getUint8(offset) !== 0xff) return 1;
    const marker = view.getUint8(offset + 1);
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    // Start of scan or end of image: no metadata beyond this point.
    if (marker === 0xda || marker === 0xd9) return 1;
    const length = view.getUint16(offset + 2);
    if (length < 2) return 1;
    if (marker === 0xe1) {
      const orientation = readTiffOrientation(view, offset + 4, Math.min(offset + 2 + length, view.byteLength));
      if (orientation !== null) return orientation;
    }
    offset += 2 + length;
  }
  return 1;
}

function readTiffOrientation(view: DataView, start: number, end: number): number | null {
  // "Exif\0\0", then a TIFF header: byte order, 42, offset of IFD0.
  if (start + 14 > end || view.getUint32(start) !== 0x45786966 || view.getUint16(start + 4) !== 0) return null;
  const tiff = start + 6;
  const byteOrder = view.getUint16(tiff);
  if (byteOrder !== 0x4949 && byteOrder !== 0x4d4d) return null;
  const little = byteOrder === 0x4949;
  if (view.getUint16(tiff + 2, little) !== 42) return null;
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (ifd + 2 > end) return null;
  const count = view.getUint16(ifd, little);
  for (let index = 0; index < count; index++) {
    const entry = ifd + 2 + index * 12;
    if (entry + 12 > end) return null;
    if (view.getUint16(entry, little) === 0x0112) {
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

let exifProbe: Promise<boolean> | null = null;

/**
 * Whether createImageBitmap applies EXIF orientation itself. Answered once by decoding a 2×1
 * JPEG tagged Orientation 6: an engine that honours the tag returns it 1×2.
 */
export function browserAppliesExif(): Promise<boolean> {
  exifProbe ??= (async () => {
    try {
      const canvas = document.createElement('canvas');
      canvas.width = 2;
      canvas.height = 1;
      canvas.getContext('2d')?.fillRect(0, 0, 2, 1);
      const jpeg = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg'));
      if (!jpeg) return true;
      const tagged = withExifOrientation(await jpeg.arrayBuffer(), 6);
      const bitmap = await createImageBitmap(new Blob([tagged], { type: 'image/jpeg' }), {
        imageOrientation: 'from-image',
      });
      const applied = bitmap.width === 1 && bitmap.height === 2;
      bitmap.close();
      return applied;
    } catch {
      // Without a probe, trust the standard: modern engines apply it.
      return true;
    }
  })();
  return exifProbe;
}

/**
 * Returns a copy of a JPEG with an APP1 segment carrying the given EXIF Orientation, inserted
 * right after the SOI marker. Used by the orientation probe and by tests.
 */
export function withExifOrientation(jpeg: ArrayBuffer, orientation: number): Uint8Array<ArrayBuffer> {
  const source = new Uint8Array(jpeg);
  // APP1: marker, length, "Exif\0\0", big-endian TIFF header, IFD0 with one SHORT entry.
  const segment = new Uint8Array([
    0xff, 0xe1, 0x00, 0x22,
    0x45, 0x78, 0x69, 0x66, 0x00, 0x00,
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x01,
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation & 0xff, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
  ]);
  const out = new Uint8Array(source.length + segment.length);
  out.set(source.subarray(0, 2), 0);
  out.set(segment, 2);
  out.set(source.subarray(2), 2 + segment.length);
  return out;
}

/** Draws a bitmap upright for an EXIF orientation (1…8), for engines that ignore the tag. Takes ownership of `bitmap`. */
export async function orientBitmap(bitmap: ImageBitmap, orientation: number): Promise<ImageBitmap> {
  const { width, height } = bitmap;
  const swap = orientation >= 5;
  const canvas = document.createElement('canvas');
  canvas.width = swap ? height : width;
  canvas.height = swap ? width : height;
  const context = canvas.getContext('2d');
  if (!context) return bitmap;
  // The inverse of each EXIF transform, as a canvas matrix (a, b, c, d, e, f).
  const transforms: Record<number, [number, number, number, number, number, number]> = {
    2: [-1, 0, 0, 1, width, 0],
    3: [-1, 0, 0, -1, width, height],
    4: [1, 0, 0, -1, 0, height],
    5: [0, 1, 1, 0, 0, 0],
    6: [0, 1, -1, 0, height, 0],
    7: [0, -1, -1, 0, height, width],
    8: [0, -1, 1, 0, 0, width],
  };
  const matrix = transforms[orientation];
  if (!matrix) return bitmap;
  context.setTransform(...matrix);
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  try {
    return await createImageBitmap(canvas);
  } catch (cause) {
    throw new FacekitError('FILE_UNREADABLE', undefined, { cause });
  }
}

/** Base64 of a blob's bytes, without a `data:` prefix (what the endpoint's image fields take). */
export async function blobToBase64(blob: Blob): Promise<string> {
  const dataUrl = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('FileReader failed'));
    reader.readAsDataURL(blob);
  });
  return dataUrl.slice(dataUrl.indexOf(',') + 1);
}
