/**
 * The one image check of every op: an image field is base64 (or a data URL) of a JPEG or PNG
 * no larger than the vendor's limit, whose header says at most 4096 px a side.
 *
 * Failures name the field: bad base64 is a BAD_REQUEST (the client encoded it wrong), a picture
 * of another format is BAD_IMAGE, too many characters or pixels is IMAGE_TOO_LARGE. Only the
 * few header bytes are decoded (random access into the base64 text), never the whole picture,
 * so the check costs the same for 20 KB and 2 MB.
 */
import type { KitCode } from '../../../core/src/shared/index.js';
import { EndpointError } from '../endpoint-error.js';

/** Longest side the endpoint passes on: vendors refuse or shrink larger pictures anyway. */
export const MAX_IMAGE_SIDE_PX = 4096;

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp';

export interface ImageCheckOptions {
  /** Most base64 characters (after a data URL prefix and line breaks are removed). */
  maxChars?: number;
  /** Most pixels on either side; default MAX_IMAGE_SIDE_PX. */
  maxSidePx?: number;
  /** Formats the vendor accepts; default JPEG and PNG. */
  formats?: readonly ImageFormat[];
}

export interface CheckedImage {
  /** Canonical base64 (standard alphabet, padded), as vendors expect it. */
  base64: string;
  format: ImageFormat;
  width: number;
  height: number;
}

const DEFAULT_FORMATS: readonly ImageFormat[] = ['jpeg', 'png'];
const FORMAT_NAMES: Record<ImageFormat, string> = { jpeg: 'JPEG', png: 'PNG', gif: 'GIF', webp: 'WebP', bmp: 'BMP' };
const MIME_FORMATS: Record<string, ImageFormat> = {
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/pjpeg': 'jpeg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
};
const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A JPEG has a handful of segments before its frame header; thousands means a crafted file. */
const MAX_JPEG_SEGMENTS = 512;

function imageError(field: string, reason: string, code: KitCode): EndpointError {
  return new EndpointError(code, { message: `${field}: ${reason}`, data: { field, reason } });
}

/** Validates one image value (already known to be present) and returns it with its format and size. */
export function checkImage(value: unknown, field: string, options: ImageCheckOptions = {}): CheckedImage {
  const formats = options.formats ?? DEFAULT_FORMATS;
  const allowed = formats.map((format) => FORMAT_NAMES[format]).join(' or ');
  if (typeof value !== 'string') throw imageError(field, 'must be base64 text or a data URL', 'BAD_REQUEST');
  let text = value;
  const dataUrl = DATA_URL.exec(text.slice(0, 256));
  if (dataUrl) {
    if (!/;base64/i.test(dataUrl[2])) throw imageError(field, 'data URL must be base64', 'BAD_REQUEST');
    const mime = dataUrl[1].trim().toLowerCase();
    if (mime && !formats.includes(MIME_FORMATS[mime] as ImageFormat)) throw imageError(field, `must be ${allowed}`, 'BAD_IMAGE');
    text = text.slice(dataUrl[0].length);
  }
  // Line breaks come from some encoders (MIME style); base64url from others. Tested first: each
  // replace copies megabytes, and most images need none.
  if (/[\s_-]/.test(text)) text = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (options.maxChars !== undefined && text.length > options.maxChars) {
    throw imageError(field, `base64 longer than ${options.maxChars} characters`, 'IMAGE_TOO_LARGE');
  }
  if (text.length === 0 || text.length % 4 === 1 || !BASE64.test(text)) throw imageError(field, 'not valid base64', 'BAD_REQUEST');
  if (text.length % 4 !== 0) text += '='.repeat(4 - (text.length % 4));

  const bytes = new Base64Bytes(text, field);
  const format = sniffFormat(bytes.slice(0, 16));
  if (!format || !formats.includes(format)) {
    const found = format ? ` (it is ${FORMAT_NAMES[format]})` : '';
    throw imageError(field, `must be ${allowed}${found}`, 'BAD_IMAGE');
  }
  const size = imageSize(format, bytes);
  if (!size || size.width < 1 || size.height < 1) throw imageError(field, `the ${FORMAT_NAMES[format]} header is unreadable`, 'BAD_IMAGE');
  const maxSide = options.maxSidePx ?? MAX_IMAGE_SIDE_PX;
  if (size.width > maxSide || size.height > maxSide) {
    throw imageError(field, `${size.width}×${size.height} px is larger than ${maxSide} px a side`, 'IMAGE_TOO_LARGE');
  }
  return { base64: text, format, width: size.width, height: size.height };
}

/** Random access to the bytes of canonical base64 text, decoding only the 4-character groups asked for. */
class Base64Bytes {
  readonly length: number;

  constructor(
    private readonly text: string,
    private readonly field: string,
  ) {
    const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    this.length = (text.length / 4) * 3 - padding;
  }

  /** Bytes [start, end), clipped to the data; shorter than asked near the end. */
  slice(start: number, end: number): Uint8Array {
    const from = Math.max(0, start);
    const to = Math.min(this.length, end);
    if (to <= from) return new Uint8Array(0);
    const firstGroup = Math.floor(from / 3);
    const lastGroup = Math.ceil(to / 3);
    let binary: string;
    try {
      binary = atob(this.text.slice(firstGroup * 4, lastGroup * 4));
    } catch {
      throw imageError(this.field, 'not valid base64', 'BAD_REQUEST');
    }
    const skip = from - firstGroup * 3;
    const out = new Uint8Array(to - from);
    for (let i = 0; i < out.length; i++) out[i] = binary.charCodeAt(skip + i);
    return out;
  }
}

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return signature.every((byte, index) => bytes[at + index] === byte);
}

const ascii = (text: string): number[] => Array.from(text, (char) => char.charCodeAt(0));

export function sniffFormat(head: Uint8Array): ImageFormat | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(head, ascii('BM'))) return 'bmp';
  return undefined;
}

interface Size {
  width: number;
  height: number;
}

const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u24le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const i32le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);

function imageSize(format: ImageFormat, bytes: Base64Bytes): Size | null {
  switch (format) {
    case 'jpeg':
      return jpegSize(bytes);
    case 'png': {
      // Signature, then the IHDR chunk: length, "IHDR", width, height (big-endian).
      const head = bytes.slice(0, 24);
      if (head.length < 24 || !startsWith(head, ascii('IHDR'), 12)) return null;
      return { width: u32be(head, 16), height: u32be(head, 20) };
    }
    case 'gif': {
      const head = bytes.slice(0, 10);
      return head.length < 10 ? null : { width: u16le(head, 6), height: u16le(head, 8) };
    }
    case 'bmp': {
      const head = bytes.slice(0, 26);
      // Negative heights mark top-down rows.
      return head.length < 26 ? null : { width: Math.abs(i32le(head, 18)), height: Math.abs(i32le(head, 22)) };
    }
    case 'webp':
      return webpSize(bytes.slice(0, 30));
  }
}

/** Walks the JPEG segments to the first frame header (SOFn) and reads its height and width. */
function jpegSize(bytes: Base64Bytes): Size | null {
  let offset = 2;
  for (let segments = 0; segments < MAX_JPEG_SEGMENTS && offset + 4 <= bytes.length; segments++) {
    const header = bytes.slice(offset, offset + 11);
    if (header[0] !== 0xff) return null;
    if (header.length < 2) return null;
    let at = 1;
    // Any number of 0xFF fill bytes may precede a marker.
    while (at < header.length && header[at] === 0xff) at++;
    if (at >= header.length) {
      offset += header.length - 1;
      continue;
    }
    const marker = header[at];
    offset += at + 1;
    // Markers without a length: TEM and RSTn.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    // End of image or start of scan before any frame header: not a readable JPEG.
    if (marker === 0xd9 || marker === 0xda || marker === 0xd8) return null;
    const segment = bytes.slice(offset, offset + 7);
    if (segment.length < 2) return null;
    const length = u16be(segment, 0);
    if (length < 2) return null;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return segment.length < 7 ? null : { height: u16be(segment, 3), width: u16be(segment, 5) };
    offset += length;
  }
  return null;
}

function webpSize(head: Uint8Array): Size | null {
  if (head.length < 30) return null;
  const chunk = String.fromCharCode(head[12], head[13], head[14], head[15]);
  if (chunk === 'VP8 ') return { width: u16le(head, 26) & 0x3fff, height: u16le(head, 28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = (head[21] | (head[22] << 8) | (head[23] << 16) | (head[24] << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: u24le(head, 24) + 1, height: u24le(head, 27) + 1 };
  return null;
}
