// DPI and padding on real JPEG files: the fixture photo (opencv-doc's face_swapped.jpg, made by
// scripts/fixtures.mjs) and JPEGs ffmpeg encodes from astronaut.png. ffmpeg also decodes the
// results, to prove they stay valid and decode to the same pixels.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { ensureFixtures } from '../../../../scripts/fixtures.mjs';
import { jpegSegments, padJpeg, readJpegDensity, readJpegDpi, setJpegDpi } from './jpeg-dpi.js';

const COM = 0xfe;
const SOS = 0xda;
const APP0 = 0xe0;

/** Decoded RGB pixels of a JPEG, by ffmpeg (which also fails on a broken file). */
function decode(bytes: Uint8Array): Buffer {
  const result = spawnSync('ffmpeg', ['-loglevel', 'error', '-f', 'jpeg_pipe', '-i', '-', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    input: bytes,
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(result.status, 0, `ffmpeg could not decode: ${result.stderr?.toString()}`);
  assert.equal(result.stderr.toString(), '', 'ffmpeg complained while decoding');
  return result.stdout;
}

/** A JPEG encoded by ffmpeg from a photo. */
function encode(path: string, quality = 3): Uint8Array {
  const result = spawnSync('ffmpeg', ['-loglevel', 'error', '-i', path, '-q:v', String(quality), '-f', 'image2pipe', '-vcodec', 'mjpeg', '-'], { maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr?.toString());
  return new Uint8Array(result.stdout);
}

/** The same JPEG without its JFIF APP0 segment (as many camera files are). */
function withoutApp0(bytes: Uint8Array): Uint8Array {
  const app0 = jpegSegments(bytes).find((segment) => segment.marker === APP0);
  assert.ok(app0, 'the test file has an APP0');
  return new Uint8Array([...bytes.subarray(0, app0.offset), ...bytes.subarray(app0.offset + app0.length)]);
}

describe('JPEG DPI (JFIF APP0)', () => {
  let photo: Uint8Array;
  let astronaut: string;

  before(async () => {
    const fixtures = await ensureFixtures();
    photo = new Uint8Array(readFileSync(fixtures.photos.face_swapped));
    astronaut = fixtures.photos.astronaut;
  });

  it('reads the density of a real file (face_swapped.jpg: JFIF, aspect ratio only)', () => {
    assert.deepEqual(readJpegDensity(photo), { units: 0, x: 1, y: 1 });
    assert.equal(readJpegDpi(photo), null);
    const markers = jpegSegments(photo).map((segment) => segment.marker);
    assert.equal(markers[0], 0xd8);
    assert.equal(markers[1], APP0);
    assert.ok(markers.includes(SOS));
  });

  it('writes the DPI in place: same length, same pixels, reads back', () => {
    for (const dpi of [300, 350, 72]) {
      const stamped = setJpegDpi(photo, dpi);
      assert.equal(stamped.length, photo.length);
      assert.deepEqual(readJpegDpi(stamped), { x: dpi, y: dpi });
      assert.deepEqual(readJpegDensity(stamped), { units: 1, x: dpi, y: dpi });
      assert.ok(decode(stamped).equals(decode(photo)));
    }
    assert.equal(readJpegDensity(photo)!.units, 0, 'the input is not modified');
  });

  it('inserts a JFIF APP0 after SOI when the encoder left it out', () => {
    const bare = withoutApp0(encode(astronaut));
    assert.equal(readJpegDensity(bare), null);
    const stamped = setJpegDpi(bare, 350);
    assert.equal(stamped.length, bare.length + 18);
    assert.equal(jpegSegments(stamped)[1]!.marker, APP0);
    assert.deepEqual(readJpegDpi(stamped), { x: 350, y: 350 });
    assert.ok(decode(stamped).equals(decode(bare)));
  });

  it('reads dots per cm as DPI and refuses impossible values', () => {
    const perCm = setJpegDpi(photo, 118);
    perCm[jpegSegments(perCm)[1]!.offset + 11] = 2;
    assert.deepEqual(readJpegDpi(perCm), { x: 300, y: 300 });
    assert.throws(() => setJpegDpi(photo, 0), RangeError);
    assert.throws(() => setJpegDpi(photo, 70000), RangeError);
    assert.throws(() => setJpegDpi(photo, 299.5), RangeError);
    assert.throws(() => jpegSegments(new Uint8Array([1, 2, 3, 4])), /not a JPEG/);
  });
});

describe('padJpeg', () => {
  let jpeg: Uint8Array;

  before(async () => {
    const fixtures = await ensureFixtures();
    jpeg = setJpegDpi(encode(fixtures.photos.astronaut, 12), 300);
  });

  it('grows the file to exactly the target with COM segments before SOS; it decodes the same', () => {
    const pixels = decode(jpeg);
    // ffmpeg writes a comment of its own ("Lavc…"): count what the padding adds.
    const commentBytes = (bytes: Uint8Array) =>
      jpegSegments(bytes)
        .filter((segment) => segment.marker === COM)
        .reduce((sum, segment) => sum + segment.length, 0);
    for (const extra of [4, 5, 1000, 65_537, 65_538, 200_000]) {
      const padded = padJpeg(jpeg, jpeg.length + extra);
      assert.equal(padded.length, jpeg.length + extra, `+${extra}`);
      const segments = jpegSegments(padded);
      const sos = segments.findIndex((segment) => segment.marker === SOS);
      assert.equal(segments[sos - 1]!.marker, COM, 'the padding sits right before SOS');
      assert.equal(commentBytes(padded) - commentBytes(jpeg), extra);
      assert.deepEqual(readJpegDpi(padded), { x: 300, y: 300 }, 'the DPI survives');
      assert.ok(decode(padded).equals(pixels), `+${extra} decodes to the same pixels`);
    }
  });

  it('pads by the 4-byte minimum when 1 to 3 bytes are missing, and leaves large enough files alone', () => {
    assert.equal(padJpeg(jpeg, jpeg.length + 1).length, jpeg.length + 4);
    assert.equal(padJpeg(jpeg, jpeg.length), jpeg);
    assert.equal(padJpeg(jpeg, 10), jpeg);
  });
});
