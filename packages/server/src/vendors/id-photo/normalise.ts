/**
 * Turns the ID-photo answer (`{ code: 200, msg, taskNo, data: { result, size: ["600", "800"] } }`)
 * into the endpoint's `data` for `<id-photo-maker>`.
 */
import { DEFAULT_DPI, readJpegDpi } from '../../../../core/src/shared/index.js';
import { base64ToBytes } from '../../encoding.js';
import { imageTypeOf } from '../face-platform/client.js';
import type { IdPhotoAnswer } from './client.js';
import { idPhotoError } from './errors.js';

export interface IdPhotoImage {
  /** The background colour asked for (`blue`, `#438EDB`), or null when the vendor's default was used. */
  color: string | null;
  /** Endpoint URL of the picture (`/v1/media/…`), never the vendor's host. */
  url?: string;
  /** The picture itself, when the vendor answered with it inline instead of a link. */
  dataUrl?: string;
  width: number;
  height: number;
}

export interface IdPhotoResult {
  /** The vendor's request number, for support. */
  taskNo: string;
  /** The made photos; the API makes one per call. */
  images: IdPhotoImage[];
  /** Catalogue id of the spec (`one-inch`), `"12"` for a custom `size`, or null for the vendor's default. */
  spec: string | null;
  /** The spec's title from the catalogue (`一寸`), when known. */
  specTitle?: string;
  /** Pixel size of the made photo, as the vendor reports it in `data.size`. */
  size: { width: number; height: number };
  /** The DPI asked for, else the one the picture states, else the spec's, else 300. */
  dpi: number;
  /** File size in KB, when the picture came inline (links are not fetched to measure them). */
  fileSizeKb?: number;
}

export interface IdPhotoRequestFacts {
  specId: string | null;
  specTitle?: string;
  specDpi?: number;
  color: string | null;
  dpi?: number;
  /** The size asked for (spec "12") or the spec's, used when the answer lacks `size`. */
  expectedSize?: { width: number; height: number };
}

const BASE64_PICTURE = /^[A-Za-z0-9+/\r\n]+={0,2}$/;

export async function normaliseIdPhoto(
  answer: IdPhotoAnswer,
  facts: IdPhotoRequestFacts,
  link: (vendorUrl: string) => Promise<string>,
  resolveUrl: (result: string) => string | undefined,
): Promise<IdPhotoResult> {
  const size = parseSize(answer.size) ?? facts.expectedSize;
  if (!size) throw malformed('data.size is missing or not [width, height]');
  const image: IdPhotoImage = { color: facts.color, width: size.width, height: size.height };
  let fileSizeKb: number | undefined;
  let pictureDpi: number | undefined;

  const inline = inlinePicture(answer.result);
  if (inline) {
    image.dataUrl = `data:${inline.type};base64,${inline.base64}`;
    fileSizeKb = Math.round((inline.bytes.length / 1024) * 10) / 10;
    pictureDpi = inline.type === 'image/jpeg' ? readDpi(inline.bytes) : undefined;
  } else {
    const vendorUrl = resolveUrl(answer.result);
    if (!vendorUrl) throw malformed('data.result is neither a picture URL nor a base64 picture');
    image.url = await link(vendorUrl);
  }

  const result: IdPhotoResult = {
    taskNo: answer.taskNo,
    images: [image],
    spec: facts.specId,
    size,
    dpi: facts.dpi ?? pictureDpi ?? facts.specDpi ?? DEFAULT_DPI,
  };
  if (facts.specTitle) result.specTitle = facts.specTitle;
  if (fileSizeKb !== undefined) result.fileSizeKb = fileSizeKb;
  return result;
}

/** `["600", "800"]` (as documented), `[600, 800]` or `"600x800"`. */
function parseSize(value: unknown): { width: number; height: number } | undefined {
  let parts: unknown[] | undefined;
  if (Array.isArray(value)) parts = value;
  else if (typeof value === 'string') parts = value.split(/[x×*,]/i);
  if (!parts || parts.length !== 2) return undefined;
  const [width, height] = parts.map((part) => Number(typeof part === 'string' ? part.trim() : part));
  if (!Number.isInteger(width) || !Number.isInteger(height) || width! <= 0 || height! <= 0) return undefined;
  return { width: width!, height: height! };
}

/** The picture when `result` carries it (a data URL or bare base64 of a JPEG/PNG) instead of a link. */
function inlinePicture(result: string): { type: 'image/jpeg' | 'image/png'; base64: string; bytes: Uint8Array } | undefined {
  const trimmed = result.trim();
  const dataUrl = /^data:image\/(?:jpeg|jpg|png);base64,/i.exec(trimmed);
  const base64 = (dataUrl ? trimmed.slice(dataUrl[0].length) : trimmed).replace(/\s+/g, '');
  // A URL path such as "xxx.jpg" has a dot; base64 never does.
  if (!dataUrl && (base64.length < 64 || !BASE64_PICTURE.test(base64))) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(base64);
  } catch {
    return undefined;
  }
  const type = imageTypeOf(bytes);
  return type ? { type, base64, bytes } : undefined;
}

/** The JFIF DPI of an inline JPEG; a header that cannot be read states none. */
function readDpi(bytes: Uint8Array): number | undefined {
  try {
    return readJpegDpi(bytes)?.x;
  } catch {
    return undefined;
  }
}

function malformed(reason: string) {
  return idPhotoError({ kind: 'malformed', status: 200, body: reason });
}
