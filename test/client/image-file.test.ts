import { expect } from '@open-wc/testing';
import {
  blobToBase64,
  exifOrientation,
  orientBitmap,
  readImageFile,
  sniffImageFormat,
} from '../../packages/core/src/client/index.js';
import { kitFailure } from './kit-failure.js';

/** A width×height canvas: left half red, right half blue (so rotations can be told apart). */
function halves(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#f00';
  context.fillRect(0, 0, width / 2, height);
  context.fillStyle = '#00f';
  context.fillRect(width / 2, 0, width / 2, height);
  return canvas;
}

function encode(canvas: HTMLCanvasElement, type: string): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`no ${type}`))), type, 0.95),
  );
}

/**
 * Inserts an APP1 EXIF segment holding only an Orientation tag right after the SOI marker, as
 * phone cameras write it. `littleEndian` picks the "II" byte order instead of "MM".
 */
function tagOrientation(jpeg: ArrayBuffer, orientation: number, littleEndian = false): Uint8Array<ArrayBuffer> {
  const tiff = new DataView(new ArrayBuffer(26));
  tiff.setUint16(0, littleEndian ? 0x4949 : 0x4d4d);
  tiff.setUint16(2, 42, littleEndian);
  tiff.setUint32(4, 8, littleEndian); // IFD0 right after the header
  tiff.setUint16(8, 1, littleEndian); // one entry
  tiff.setUint16(10, 0x0112, littleEndian); // Orientation
  tiff.setUint16(12, 3, littleEndian); // SHORT
  tiff.setUint32(14, 1, littleEndian); // count
  tiff.setUint16(18, orientation, littleEndian);
  tiff.setUint32(22, 0, littleEndian); // no next IFD
  const payload = [...new TextEncoder().encode('Exif'), 0, 0, ...new Uint8Array(tiff.buffer)];
  const length = payload.length + 2;
  const segment = [0xff, 0xe1, length >> 8, length & 0xff, ...payload];
  const source = new Uint8Array(jpeg);
  return new Uint8Array([...source.subarray(0, 2), ...segment, ...source.subarray(2)]);
}

/** A width×height canvas, blue with a red top-left quadrant: each of the 8 EXIF transforms moves it differently. */
function corner(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#00f';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#f00';
  context.fillRect(0, 0, width / 2, height / 2);
  return canvas;
}

/** RGB of a bitmap pixel. */
function pixel(bitmap: ImageBitmap, x: number, y: number): [number, number, number] {
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const [r, g, b] = context.getImageData(x, y, 1, 1).data;
  return [r, g, b];
}

const isRed = ([r, , b]: [number, number, number]) => r > 200 && b < 60;
const isBlue = ([r, , b]: [number, number, number]) => b > 200 && r < 60;


const bytes = (...values: number[]) => new Uint8Array(values);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

describe('readImageFile', () => {
  it('decodes a JPEG and a PNG made on a canvas', async () => {
    for (const type of ['image/jpeg', 'image/png', 'image/webp']) {
      const blob = await encode(halves(64, 32), type);
      const bitmap = await readImageFile(blob);
      expect([bitmap.width, bitmap.height], type).to.deep.equal([64, 32]);
      expect(isRed(pixel(bitmap, 4, 16)), type).to.equal(true);
      bitmap.close();
    }
  });

  it('decodes GIF and BMP', async () => {
    const gif = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'), (c) => c.charCodeAt(0));
    // 2×1 24-bit BMP: 14-byte file header, 40-byte info header, one padded row (blue, red).
    const bmp = new Uint8Array(62);
    const view = new DataView(bmp.buffer);
    bmp.set(ascii('BM'));
    view.setUint32(2, 62, true);
    view.setUint32(10, 54, true);
    view.setUint32(14, 40, true);
    view.setInt32(18, 2, true);
    view.setInt32(22, 1, true);
    view.setUint16(26, 1, true);
    view.setUint16(28, 24, true);
    view.setUint32(34, 8, true);
    bmp.set([255, 0, 0, 0, 0, 255], 54);
    const gifBitmap = await readImageFile(new Blob([gif]));
    expect([gifBitmap.width, gifBitmap.height]).to.deep.equal([1, 1]);
    const bmpBitmap = await readImageFile(new Blob([bmp]));
    expect([bmpBitmap.width, bmpBitmap.height]).to.deep.equal([2, 1]);
    expect(isBlue(pixel(bmpBitmap, 0, 0))).to.equal(true);
  });

  it('sniffs formats from magic bytes, not from the MIME type', async () => {
    expect(sniffImageFormat(bytes(0xff, 0xd8, 0xff, 0xe0))).to.equal('jpeg');
    expect(sniffImageFormat(bytes(0x89, ...ascii('PNG'), 0x0d, 0x0a, 0x1a, 0x0a))).to.equal('png');
    expect(sniffImageFormat(bytes(...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBP')))).to.equal('webp');
    expect(sniffImageFormat(bytes(...ascii('GIF89a')))).to.equal('gif');
    expect(sniffImageFormat(bytes(0, 0, 0, 0x18, ...ascii('ftypheic'), 0, 0, 0, 0, ...ascii('mif1heic')))).to.equal('heic');
    expect(sniffImageFormat(bytes(0, 0, 0, 0x18, ...ascii('ftypmif1'), 0, 0, 0, 0, ...ascii('mif1avif')))).to.equal('avif');
    expect(sniffImageFormat(bytes(0, 0, 0, 0x18, ...ascii('ftypisom'), 0, 0, 0, 0, ...ascii('isommp41')))).to.equal(null);
    expect(sniffImageFormat(bytes(...ascii('%PDF-1.7')))).to.equal(null);
    // A JPEG named .png with a PNG MIME type is still read as the JPEG it is.
    const jpeg = await encode(halves(8, 8), 'image/jpeg');
    const bitmap = await readImageFile(new File([jpeg], 'photo.png', { type: 'image/png' }));
    expect(bitmap.width).to.equal(8);
  });

  it('refuses HEIC it cannot decode with FILE_FORMAT', async () => {
    const heic = new Blob([bytes(0, 0, 0, 0x18, ...ascii('ftypheic'), 0, 0, 0, 0, ...ascii('mif1heic')), crypto.getRandomValues(new Uint8Array(2048))], {
      type: 'image/heic',
    });
    expect((await kitFailure(readImageFile(heic))).code).to.equal('FILE_FORMAT');
    const avif = new Blob([bytes(0, 0, 0, 0x18, ...ascii('ftypavif'), 0, 0, 0, 0, ...ascii('mif1avif')), new Uint8Array(512)]);
    expect((await kitFailure(readImageFile(avif))).code).to.equal('FILE_FORMAT');
  });

  it('refuses unknown bytes with FILE_FORMAT and a broken JPEG with FILE_UNREADABLE', async () => {
    const random = crypto.getRandomValues(new Uint8Array(4096));
    random[0] = 0x00; // not a magic number of any accepted format
    expect((await kitFailure(readImageFile(new Blob([random], { type: 'image/jpeg' })))).code).to.equal('FILE_FORMAT');
    const brokenJpeg = new Blob([bytes(0xff, 0xd8, 0xff, 0xe0), crypto.getRandomValues(new Uint8Array(4096))]);
    expect((await kitFailure(readImageFile(brokenJpeg))).code).to.equal('FILE_UNREADABLE');
    expect((await kitFailure(readImageFile(new Blob([])))).code).to.equal('FILE_UNREADABLE');
  });

  it('refuses files over the size limit with FILE_TOO_LARGE before reading them', async () => {
    const big = new Blob([new Uint8Array(20 * 1024 * 1024 + 1)]);
    expect((await kitFailure(readImageFile(big))).code).to.equal('FILE_TOO_LARGE');
    const jpeg = await encode(halves(64, 32), 'image/jpeg');
    expect((await kitFailure(readImageFile(jpeg, { maxBytes: jpeg.size - 1 }))).code).to.equal('FILE_TOO_LARGE');
    expect((await readImageFile(jpeg, { maxBytes: jpeg.size })).width).to.equal(64);
  });

  it('turns an EXIF Orientation-6 photo upright exactly once', async () => {
    const jpeg = await (await encode(halves(64, 32), 'image/jpeg')).arrayBuffer();
    const tagged = tagOrientation(jpeg, 6);
    expect(exifOrientation(tagged.buffer)).to.equal(6);
    const bitmap = await readImageFile(new Blob([tagged], { type: 'image/jpeg' }));
    // Stored 64×32 with red on the left; shown rotated 90° clockwise: 32×64, red on top.
    expect([bitmap.width, bitmap.height]).to.deep.equal([32, 64]);
    expect(isRed(pixel(bitmap, 16, 4))).to.equal(true);
    expect(isBlue(pixel(bitmap, 16, 60))).to.equal(true);
  });

  it('rotates by hand like the browser does, for engines that ignore EXIF', async () => {
    const jpeg = await (await encode(corner(64, 32), 'image/jpeg')).arrayBuffer();
    const probes: Array<[number, number]> = [
      [0.1, 0.1],
      [0.9, 0.1],
      [0.1, 0.9],
      [0.9, 0.9],
    ];
    for (let orientation = 1; orientation <= 8; orientation++) {
      const tagged = new Blob([tagOrientation(jpeg, orientation)]);
      const native = await createImageBitmap(tagged, { imageOrientation: 'from-image' });
      const raw = await createImageBitmap(new Blob([jpeg]));
      const manual = await orientBitmap(raw, orientation);
      expect([manual.width, manual.height], `orientation ${orientation}`).to.deep.equal([native.width, native.height]);
      const redCorners = probes.filter(([fx, fy]) => isRed(pixel(native, Math.floor(fx * native.width), Math.floor(fy * native.height))));
      expect(redCorners, `orientation ${orientation}`).to.have.length(1);
      for (const [fx, fy] of probes) {
        const x = Math.floor(fx * native.width);
        const y = Math.floor(fy * native.height);
        expect(isRed(pixel(manual, x, y)), `orientation ${orientation} at ${x},${y}`).to.equal(isRed(pixel(native, x, y)));
      }
    }
  });
});

describe('exifOrientation', () => {
  it('reads big- and little-endian tags and defaults to 1', async () => {
    const jpeg = await (await encode(halves(16, 8), 'image/jpeg')).arrayBuffer();
    expect(exifOrientation(jpeg)).to.equal(1);
    for (const orientation of [3, 6, 8]) {
      expect(exifOrientation(tagOrientation(jpeg, orientation).buffer)).to.equal(orientation);
      expect(exifOrientation(tagOrientation(jpeg, orientation, true).buffer)).to.equal(orientation);
    }
    const png = await (await encode(halves(16, 8), 'image/png')).arrayBuffer();
    expect(exifOrientation(png)).to.equal(1);
    expect(exifOrientation(new ArrayBuffer(0))).to.equal(1);
    // Truncated right inside the EXIF segment: no throw.
    expect(exifOrientation(tagOrientation(jpeg, 6).buffer.slice(0, 20))).to.equal(1);
  });
});

describe('blobToBase64', () => {
  it('returns plain base64 without a data: prefix', async () => {
    const data = crypto.getRandomValues(new Uint8Array(1000));
    const base64 = await blobToBase64(new Blob([data], { type: 'image/jpeg' }));
    expect(base64.startsWith('data:')).to.equal(false);
    expect(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))).to.deep.equal(data);
    expect(await blobToBase64(new Blob([]))).to.equal('');
  });
});
