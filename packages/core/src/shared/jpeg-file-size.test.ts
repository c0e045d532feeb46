// The quality search and padding of jpeg-file-size.ts, with real JPEG bytes from ffmpeg: each
// "encode" returns the file ffmpeg makes of astronaut.png at the matching qscale (larger at higher
// quality, as a browser's encoder), so padding and DPI work on genuine files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { ensureFixtures } from '../../../../scripts/fixtures.mjs';
import { jpegSegments, readJpegDpi, setJpegDpi } from './jpeg-dpi.js';
import { FileSizeError, fileSizeBounds, fitJpegSize, type JpegEncoder } from './jpeg-file-size.js';

describe('fileSizeBounds', () => {
  it('takes the stricter reading of KB on each side: min × 1024, max × 1000', () => {
    assert.deepEqual(fileSizeBounds(20, 45), { minBytes: 20_480, maxBytes: 45_000 });
    assert.deepEqual(fileSizeBounds(undefined, 20), { minBytes: 0, maxBytes: 20_000 });
    assert.deepEqual(fileSizeBounds(100, undefined), { minBytes: 102_400, maxBytes: Number.POSITIVE_INFINITY });
    assert.deepEqual(fileSizeBounds(0, Number.POSITIVE_INFINITY), { minBytes: 0, maxBytes: Number.POSITIVE_INFINITY });
    // Too narrow for both readings: 1024 on both sides.
    assert.deepEqual(fileSizeBounds(100, 101), { minBytes: 102_400, maxBytes: 103_424 });
    assert.throws(() => fileSizeBounds(50, 10), RangeError);
  });
});

describe('fitJpegSize', () => {
  let encoder: JpegEncoder;
  let sizes: Map<number, number>;

  before(async () => {
    const { photos } = await ensureFixtures();
    // ffmpeg's qscale 2 (best) … 31 (worst), mapped from the quality: 8 files, cached.
    const files = new Map<number, Uint8Array>();
    const qscale = (quality: number) => Math.round(31 - quality * 29);
    encoder = async (quality) => {
      const q = qscale(quality);
      let bytes = files.get(q);
      if (!bytes) {
        const result = spawnSync('ffmpeg', ['-loglevel', 'error', '-i', photos.astronaut, '-q:v', String(q), '-f', 'image2pipe', '-vcodec', 'mjpeg', '-']);
        assert.equal(result.status, 0, result.stderr?.toString());
        bytes = setJpegDpi(new Uint8Array(result.stdout), 300);
        files.set(q, bytes);
      }
      return bytes;
    };
    sizes = new Map();
    for (const quality of [0.01, 0.5, 0.95, 1]) sizes.set(quality, (await encoder(quality)).length);
  });

  it('keeps quality 0.95 when it is within the range', async () => {
    const size = sizes.get(0.95)!;
    const fitted = await fitJpegSize(encoder, { minBytes: size - 1000, maxBytes: size + 1000 });
    assert.equal(fitted.quality, 0.95);
    assert.equal(fitted.paddedBytes, 0);
    assert.equal(fitted.encodes, 1);
  });

  it('searches down to the best quality under the maximum', async () => {
    const maxBytes = sizes.get(0.5)!;
    const fitted = await fitJpegSize(encoder, { minBytes: 0, maxBytes });
    assert.ok(fitted.bytes.length <= maxBytes);
    assert.ok(fitted.quality >= 0.5 && fitted.quality < 0.95);
    // The next percent up no longer fits.
    assert.ok((await encoder(fitted.quality + 0.01)).length > maxBytes || fitted.quality === 0.94);
    assert.ok(fitted.encodes <= 9, `${fitted.encodes} encodes`);
  });

  it('pads a file that is too small even at quality 1.0, and the result stays a valid JPEG with its DPI', async () => {
    const minBytes = sizes.get(1)! + 10_000;
    const fitted = await fitJpegSize(encoder, { minBytes, maxBytes: minBytes + 5_000 });
    assert.equal(fitted.quality, 1);
    assert.equal(fitted.bytes.length, minBytes);
    assert.equal(fitted.paddedBytes, 10_000);
    assert.deepEqual(readJpegDpi(fitted.bytes), { x: 300, y: 300 });
    assert.equal(jpegSegments(fitted.bytes).at(-1)!.marker, 0xd9, 'ends with EOI');
  });

  it('fails with FILE_SIZE_ABOVE_MAX when even the lowest quality is too large (the pixel size is fixed)', async () => {
    const smallest = sizes.get(0.01)!;
    await assert.rejects(fitJpegSize(encoder, { minBytes: 0, maxBytes: smallest - 1 }), (error: unknown) => {
      assert.ok(error instanceof FileSizeError);
      assert.equal(error.code, 'FILE_SIZE_ABOVE_MAX');
      assert.equal(error.smallestBytes, smallest);
      return true;
    });
  });

  it('with a fake encoder: narrow windows between quality steps are met by padding', async () => {
    // 1000 bytes per percent: 40 % → 40 000 bytes, 41 % → 41 000 bytes; the window 40 200…40 800 lies between.
    const fake: JpegEncoder = async (quality) => {
      const base = setJpegDpi(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9]), 300);
      const bytes = new Uint8Array(Math.round(quality * 100) * 1000);
      bytes.set(base);
      return bytes;
    };
    const fitted = await fitJpegSize(fake, { minBytes: 40_200, maxBytes: 40_800 });
    assert.equal(fitted.quality, 0.4);
    assert.equal(fitted.bytes.length, 40_200);
    assert.equal(fitted.paddedBytes, 200);
  });
});
