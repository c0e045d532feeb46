/**
 * JPEG header edits on bytes: the DPI in the JFIF APP0 segment, and padding with COM segments to
 * reach a minimum file size. Pure byte work (no DOM), so Node tests run it on real JPEG files.
 *
 * A JPEG is SOI (FFD8), then marker segments `FF xx <length:2> <payload>` (the length counts its own
 * two bytes), then SOS and the entropy-coded data up to EOI (FFD9). JFIF APP0 (`FFE0`, "JFIF\0")
 * must directly follow SOI; it carries the density: units (0 = aspect ratio only, 1 = dots per
 * inch, 2 = dots per cm), Xdensity, Ydensity. Browsers' encoders write units 0, density 1:1, so the
 * DPI has to be written afterwards.
 */

export interface JpegSegment {
  /** Marker byte (0xE0 for APP0, 0xDA for SOS, …). */
  marker: number;
  /** Offset of the segment's 0xFF. */
  offset: number;
  /** Whole segment length in bytes, marker included (2 for markers without a payload). */
  length: number;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const COM = 0xfe;
/** Largest payload of one segment (the 16-bit length counts itself). */
const MAX_SEGMENT_PAYLOAD = 0xffff - 2;

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === SOI;
}

/**
 * The marker segments from SOI up to and including SOS (the header), then EOI if the file ends with
 * it. Throws on a malformed header.
 */
export function jpegSegments(bytes: Uint8Array): JpegSegment[] {
  if (!isJpeg(bytes)) throw new Error('not a JPEG (no SOI marker)');
  const segments: JpegSegment[] = [{ marker: SOI, offset: 0, length: 2 }];
  let at = 2;
  for (;;) {
    if (at + 4 > bytes.length) throw new Error('JPEG header ends before SOS');
    if (bytes[at] !== 0xff) throw new Error(`JPEG marker expected at byte ${at}`);
    // Fill bytes (FF FF …) may precede a marker.
    let markerAt = at;
    while (bytes[markerAt + 1] === 0xff) markerAt++;
    const marker = bytes[markerAt + 1]!;
    const length = 2 + ((bytes[markerAt + 2]! << 8) | bytes[markerAt + 3]!);
    if (length < 4 || markerAt + length > bytes.length) throw new Error(`JPEG segment ${marker.toString(16)} has a bad length`);
    segments.push({ marker, offset: markerAt, length });
    at = markerAt + length;
    if (marker === SOS) break;
  }
  if (bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === EOI) {
    segments.push({ marker: EOI, offset: bytes.length - 2, length: 2 });
  }
  return segments;
}

function isJfif(bytes: Uint8Array, segment: JpegSegment): boolean {
  const p = segment.offset + 4;
  return (
    segment.marker === APP0 &&
    segment.length >= 16 &&
    bytes[p] === 0x4a && // J
    bytes[p + 1] === 0x46 && // F
    bytes[p + 2] === 0x49 && // I
    bytes[p + 3] === 0x46 && // F
    bytes[p + 4] === 0x00
  );
}

export interface JpegDensity {
  /** 0 = no unit (aspect ratio only), 1 = dots per inch, 2 = dots per cm. */
  units: number;
  x: number;
  y: number;
}

/** The JFIF density, or null when the file has no JFIF APP0. */
export function readJpegDensity(bytes: Uint8Array): JpegDensity | null {
  const jfif = jpegSegments(bytes).find((segment) => isJfif(bytes, segment));
  if (!jfif) return null;
  const p = jfif.offset + 4 + 7; // after "JFIF\0" and the version
  return { units: bytes[p]!, x: (bytes[p + 1]! << 8) | bytes[p + 2]!, y: (bytes[p + 3]! << 8) | bytes[p + 4]! };
}

/** The DPI written in the file (dots per cm converted), or null when it states none. */
export function readJpegDpi(bytes: Uint8Array): { x: number; y: number } | null {
  const density = readJpegDensity(bytes);
  if (!density || density.units === 0) return null;
  const factor = density.units === 2 ? 2.54 : 1;
  return { x: Math.round(density.x * factor), y: Math.round(density.y * factor) };
}

/**
 * A copy of the JPEG with its JFIF density set to `dpi` dots per inch. The existing JFIF APP0 is
 * edited in place (same length); a file without one gets a standard 16-byte JFIF 1.01 APP0 right
 * after SOI (18 bytes more).
 */
export function setJpegDpi(bytes: Uint8Array, dpi: number | { x: number; y: number }): Uint8Array {
  const { x, y } = typeof dpi === 'number' ? { x: dpi, y: dpi } : dpi;
  for (const value of [x, y]) {
    if (!Number.isInteger(value) || value < 1 || value > 0xffff) throw new RangeError('dpi must be an integer in 1…65535');
  }
  const segments = jpegSegments(bytes);
  const jfif = segments.find((segment) => isJfif(bytes, segment));
  if (jfif) {
    const out = bytes.slice();
    const p = jfif.offset + 4 + 7;
    out[p] = 1;
    out[p + 1] = x >> 8;
    out[p + 2] = x & 0xff;
    out[p + 3] = y >> 8;
    out[p + 4] = y & 0xff;
    return out;
  }
  const app0 = Uint8Array.of(
    0xff, APP0, 0x00, 0x10,
    0x4a, 0x46, 0x49, 0x46, 0x00, // "JFIF\0"
    0x01, 0x01, // version 1.01
    0x01, // units: dots per inch
    x >> 8, x & 0xff, y >> 8, y & 0xff,
    0x00, 0x00, // no thumbnail
  );
  const out = new Uint8Array(bytes.length + app0.length);
  out.set(bytes.subarray(0, 2), 0);
  out.set(app0, 2);
  out.set(bytes.subarray(2), 2 + app0.length);
  return out;
}

/**
 * A copy of the JPEG grown to at least `minLength` bytes (exactly, when it needs 4 bytes or more)
 * by COM (comment) segments inserted just before SOS. Decoders skip COM segments, so the image
 * decodes the same. A file already that large is returned as is.
 */
export function padJpeg(bytes: Uint8Array, minLength: number): Uint8Array {
  const missing = Math.ceil(minLength) - bytes.length;
  if (missing <= 0) return bytes;
  const sos = jpegSegments(bytes).find((segment) => segment.marker === SOS);
  if (!sos) throw new Error('JPEG has no SOS segment');
  // Every COM segment is 4 bytes of marker and length plus up to 65533 bytes of payload.
  const total = Math.max(4, missing);
  const count = Math.ceil(total / (MAX_SEGMENT_PAYLOAD + 4));
  const out = new Uint8Array(bytes.length + total);
  out.set(bytes.subarray(0, sos.offset), 0);
  let at = sos.offset;
  let left = total;
  for (let i = 0; i < count; i++) {
    // Spread evenly so that no segment falls below the 4-byte minimum.
    const size = Math.ceil(left / (count - i));
    const length = size - 2;
    out[at] = 0xff;
    out[at + 1] = COM;
    out[at + 2] = length >> 8;
    out[at + 3] = length & 0xff;
    // The payload stays zero-filled.
    at += size;
    left -= size;
  }
  out.set(bytes.subarray(sos.offset), at);
  return out;
}
