// The on-device ID photo engine in a real browser, on real photos (node scripts/fixtures.mjs) and
// the prepared models (node scripts/prepare-models.mjs): framing, background, file size, DPI,
// print sheets, warnings and timings.
import { expect } from '@open-wc/testing';
import { releaseProxy, transfer, wrap, type Remote } from 'comlink';
import { VisionBridge } from '../../packages/core/src/client/vision-bridge.js';
import { FacekitError } from '../../packages/core/src/shared/errors.js';
import { backgroundAt } from '../../packages/core/src/shared/id-photo-background.js';
import { headTopFromMask } from '../../packages/core/src/shared/id-photo-framing.js';
import { findSpec, ID_PHOTO_SPECS, type IdPhotoColor, type IdPhotoSpec } from '../../packages/core/src/shared/id-photo-specs.js';
import type { IdPhotoOutput } from '../../packages/core/src/shared/id-photo-types.js';
import { readJpegDpi } from '../../packages/core/src/shared/jpeg-dpi.js';
import { fileSizeBounds } from '../../packages/core/src/shared/jpeg-file-size.js';
import { layoutPrintSheet } from '../../packages/core/src/shared/print-sheet.js';
import type { VisionApi } from '../../packages/core/src/shared/types.js';

const assetsBase = new URL('/build/assets/', location.href).href;
const fixtures = '/.cache/fixtures/';

async function loadBitmap(path: string): Promise<ImageBitmap> {
  const response = await fetch(fixtures + path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} (run node scripts/fixtures.mjs)`);
  return createImageBitmap(await response.blob());
}

const handOver = (bitmap: ImageBitmap) => transfer(bitmap, [bitmap]);
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const spec = (id: string): IdPhotoSpec => {
  const found = findSpec(id);
  if (!found) throw new Error(`no spec ${id}`);
  return found;
};

async function decodePixels(blob: Blob): Promise<ImageData> {
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/** Mean colour of a square patch. */
function patchMean(image: ImageData, x0: number, y0: number, size: number): [number, number, number] {
  const sum = [0, 0, 0];
  for (let y = y0; y < y0 + size; y++) {
    for (let x = x0; x < x0 + size; x++) for (let c = 0; c < 3; c++) sum[c]! += image.data[4 * (y * image.width + x) + c]!;
  }
  return sum.map((value) => value / (size * size)) as [number, number, number];
}

const colourDistance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

/** Chessboard distance of every pixel to the nearest mask pixel ≥ 128 (0 inside). */
function distanceOutside(mask: Uint8ClampedArray, width: number, height: number): Float32Array {
  const distance = new Float32Array(width * height).fill(1e9);
  for (let i = 0; i < distance.length; i++) if (mask[i]! >= 128) distance[i] = 0;
  const pass = (forward: boolean) => {
    const steps = forward ? [[-1, 0], [-1, -1], [0, -1], [1, -1]] : [[1, 0], [1, 1], [0, 1], [-1, 1]];
    for (let k = 0; k < width * height; k++) {
      const i = forward ? k : width * height - 1 - k;
      const x = i % width;
      const y = (i - x) / width;
      for (const [dx, dy] of steps) {
        const xx = x + dx!;
        const yy = y + dy!;
        if (xx >= 0 && xx < width && yy >= 0 && yy < height) distance[i] = Math.min(distance[i]!, distance[yy * width + xx]! + 1);
      }
    }
  };
  pass(true);
  pass(false);
  return distance;
}

/** The face in an output photo, measured anew: the detector's box and the crown from the mask. */
async function measureFace(vision: Remote<VisionApi>, output: IdPhotoOutput) {
  const faces = await vision.detect(handOver(await createImageBitmap(output.blob)), 'short');
  if (faces.length !== 1) return null;
  const box = faces[0]!.box;
  const crown = headTopFromMask({ data: Array.from(output.mask!, (value) => value / 255), width: output.width, height: output.height }, box);
  if (!crown) return null;
  const chin = box.y + box.height;
  return {
    ratio: (chin - crown.y) / output.height,
    centre: (crown.y + chin) / 2 / output.height,
    centreX: (box.x + box.width / 2) / output.width,
    topEmpty: crown.y,
  };
}

/**
 * Edge figures of an output, on the band of background pixels 2–4 px outside its mask's edge
 * (mask ≥ 0.5), where a halo shows:
 * - deviation: mean RGB distance of the output from the target colour there;
 * - leak: how much of the OLD background is left there, as the projection of (output − target)
 *   on (source − target), 0 = none, 1 = the source pixel unchanged. Only pixels whose source differs
 *   from the target by more than 40 count (elsewhere a leak cannot be seen or measured).
 */
async function edgeFigures(output: IdPhotoOutput, source: ImageBitmap, color: IdPhotoColor, bandMask: Uint8ClampedArray = output.mask!) {
  const pixels = await decodePixels(output.blob);
  const { width, height } = output;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  context.imageSmoothingQuality = 'high';
  const f = output.framing;
  context.drawImage(source, f.cropX, f.cropY, f.cropWidth, f.cropHeight, 0, 0, width, height);
  const original = context.getImageData(0, 0, width, height).data;
  const distance = distanceOutside(bandMask, width, height);
  let deviation = 0;
  let count = 0;
  let leak = 0;
  let leakCount = 0;
  for (let i = 0; i < width * height; i++) {
    if (distance[i]! < 2 || distance[i]! > 4) continue;
    const y = Math.floor(i / width);
    const target = backgroundAt(color, y, height);
    const out = [pixels.data[4 * i]!, pixels.data[4 * i + 1]!, pixels.data[4 * i + 2]!];
    const old = [original[4 * i]!, original[4 * i + 1]!, original[4 * i + 2]!];
    deviation += colourDistance(out, target);
    count++;
    const direction = old.map((value, c) => value - target[c]!);
    const length2 = direction.reduce((sum, value) => sum + value * value, 0);
    if (length2 < 40 * 40 || original[4 * i + 3]! < 255) continue;
    const projection = out.reduce((sum, value, c) => sum + (value - target[c]!) * direction[c]!, 0) / length2;
    leak += Math.min(1, Math.max(0, projection));
    leakCount++;
  }
  return { deviation: round(deviation / Math.max(1, count)), leak: round(leak / Math.max(1, leakCount), 3), pixels: count };
}

const PHOTOS = ['astronaut.png', 'face_swapped.jpg', 'camera.png'] as const;
/** camera.png shows a man in profile looking into a camera, lit by the sun from the side. */
const PROFILE_PHOTO = 'camera.png';
/** 一寸, 二寸, a passport photo, a pixel spec. */
const SPECS: [string, IdPhotoColor][] = [
  ['one-inch', 'blue'],
  ['two-inch', 'red'],
  ['e-passport', 'white'],
  ['tour-guide-card', 'blue_gradual'],
];

/**
 * Tolerances of the framing as measured anew in the output: the face (crown to chin) within ±0.03
 * of faceRatio and its centre within ±0.02 of faceCenterRange, as shares of the height. They cover
 * the detector's box moving between the source and the rescaled output (about ±3 % of the face).
 */
const RATIO_TOLERANCE = 0.03;
const CENTRE_TOLERANCE = 0.02;
/**
 * Halo limits on the band 2–4 px outside the edge, for the portraits: mean deviation from the
 * target ≤ 16 (RGB distance, of 441) and old background ≤ 10 %. camera.png (an outdoor scene with
 * a camera and tripod against the sky) must only leave less old background than the plain mask.
 */
const MAX_BAND_DEVIATION = 16;
const MAX_LEAK = 0.1;

describe('ID photo on the device', function () {
  this.timeout(600_000);
  let worker: Worker;
  let vision: Remote<VisionApi>;
  const photos = new Map<string, ImageBitmap>();

  before(async () => {
    worker = new Worker(new URL('../../packages/core/src/worker/vision.worker.ts', import.meta.url), { type: 'module' });
    vision = wrap<VisionApi>(worker);
    await vision.init({ assetsBase });
    for (const photo of [...PHOTOS, 'coffee.png']) photos.set(photo, await loadBitmap(`photos/${photo}`));
  });

  after(async () => {
    for (const bitmap of photos.values()) bitmap.close();
    vision?.[releaseProxy]();
    worker?.terminate();
  });

  it('makes photos of the exact pixel size and DPI, framed by the rule, on the spec colour', async () => {
    const measurements: { label: string; output: IdPhotoOutput; measured: Awaited<ReturnType<typeof measureFace>> }[] = [];
    for (const photo of PHOTOS) {
      for (const [id, color] of SPECS) {
        const target = spec(id);
        const output = await vision.makeIdPhoto(photos.get(photo)!, { spec: id, color, returnMask: true });
        const label = `${photo} ${id}`;
        expect([output.width, output.height], label).to.deep.equal([target.widthPx, target.heightPx]);
        const decoded = await decodePixels(output.blob);
        expect([decoded.width, decoded.height], `${label} decoded`).to.deep.equal([target.widthPx, target.heightPx]);
        const bytes = new Uint8Array(await output.blob.arrayBuffer());
        expect(output.blob.type).to.equal('image/jpeg');
        expect(bytes.length).to.equal(output.bytes);
        expect(readJpegDpi(bytes), `${label} DPI`).to.deep.equal({ x: target.dpi, y: target.dpi });

        // The top corners show the background (the bottom ones the shoulders).
        for (const x of [2, output.width - 8]) {
          const corner = patchMean(decoded, x, 2, 6);
          expect(colourDistance(corner, backgroundAt(color, 5, output.height)), `${label} corner at x ${x}`).to.be.below(6);
        }

        // The closed-eyes check runs (the still landmarker; see id-photo-eyes.test.ts).
        expect(output.skippedChecks).to.deep.equal([]);
        measurements.push({ label, output, measured: await measureFace(vision, output) });
      }
    }
    console.log(
      `framing measured in the outputs (tolerance ±${RATIO_TOLERANCE} ratio, ±${CENTRE_TOLERANCE} centre):\n  ` +
        measurements
          .map(
            ({ label, output, measured }) =>
              `${label}: ${output.bytes} B q${output.quality}; face ratio ${measured ? round(measured.ratio, 3) : '—'} (rule ${output.framing.faceRatio}), ` +
              `centre ${measured ? round(measured.centre, 3) : '—'} (rule ${output.framing.faceCenterRange}), x ${measured ? round(measured.centreX, 3) : '—'}; ` +
              `warnings ${output.warnings.map((w) => `${w.code} ${round(w.value)}`).join(', ') || '—'}`,
          )
          .join('\n  '),
    );
    for (const { label, output, measured } of measurements) {
      if (label.startsWith(PROFILE_PHOTO)) {
        // A profile: no frontal framing rule can hold, and the detector's box wanders on it
        // (measured 0.43–0.45 against 0.5). The kit says so instead.
        expect(output.warnings.map((warning) => warning.code), label).to.include('not-frontal');
        continue;
      }
      expect(measured, `${label}: the detector finds the face in the output`).to.not.equal(null);
      expect(Math.abs(measured!.ratio - output.framing.faceRatio), `${label} face ratio ${measured!.ratio}`).to.be.at.most(RATIO_TOLERANCE);
      expect(Math.abs(measured!.centre - output.framing.faceCenterRange), `${label} face centre ${measured!.centre}`).to.be.at.most(CENTRE_TOLERANCE);
      expect(Math.abs(measured!.centreX - 0.5), `${label} horizontal centre`).to.be.at.most(0.05);
    }
  });

  it('replaces the background with refined edges and no halo of the old one', async () => {
    const rows: string[] = [];
    const results: { label: string; deviation: number; leak: number; pixels: number; plainLeak: number }[] = [];
    for (const photo of PHOTOS) {
      for (const color of ['blue', 'red', 'white'] as const) {
        const source = photos.get(photo)!;
        const refined = await vision.makeIdPhoto(source, { spec: 'two-inch', color, returnMask: true });
        const plain = await vision.makeIdPhoto(source, { spec: 'two-inch', color, returnMask: true, refineEdges: false });
        const figures = await edgeFigures(refined, source, color);
        // The plain composite on the same band (the refined edge) and on its own edge.
        const plainSameBand = await edgeFigures(plain, source, color, refined.mask);
        const plainOwnBand = await edgeFigures(plain, source, color);
        rows.push(
          `${photo} ${color}: refined deviation ${figures.deviation}, leak ${figures.leak} | plain mask: ` +
            `${plainSameBand.deviation} / ${plainSameBand.leak} (same band), ${plainOwnBand.deviation} / ${plainOwnBand.leak} (own edge)`,
        );
        results.push({ label: `${photo} ${color}`, ...figures, plainLeak: plainSameBand.leak });
      }
    }
    console.log(`edges, band 2–4 px outside the mask edge (limits: deviation ≤ ${MAX_BAND_DEVIATION}, leak ≤ ${MAX_LEAK}):\n  ${rows.join('\n  ')}`);
    for (const figures of results) {
      expect(figures.pixels, `${figures.label} band`).to.be.greaterThan(500);
      expect(figures.leak, `${figures.label}: less old background than the plain mask`).to.be.below(figures.plainLeak);
      if (figures.label.startsWith(PROFILE_PHOTO)) continue;
      expect(figures.deviation, `${figures.label} band deviation`).to.be.at.most(MAX_BAND_DEVIATION);
      expect(figures.leak, `${figures.label} old background left`).to.be.at.most(MAX_LEAK);
    }
  });

  it('honours topEmpty, and moves a floating body down to the bottom edge', async () => {
    const astronaut = photos.get('astronaut.png')!;
    for (const topEmpty of [[10, 30], [120, 160]] as [number, number][]) {
      const output = await vision.makeIdPhoto(astronaut, { spec: 'one-inch', color: 'blue', topEmpty, returnMask: true });
      const measured = (await measureFace(vision, output))!;
      console.log(`topEmpty ${topEmpty}: framing ${round(output.framing.topEmpty)} px, measured ${measured.topEmpty} px, shift ${round(output.framing.topEmptyShift)} px`);
      expect(output.framing.topEmpty).to.be.within(topEmpty[0] - 1e-6, topEmpty[1] + 1e-6);
      expect(measured.topEmpty).to.be.within(topEmpty[0] - 2, topEmpty[1] + 2);
    }

    // face_swapped.jpg cut just below the chin: at 0.5 / 0.45 the body would end mid-photo.
    const faceSwapped = photos.get('face_swapped.jpg')!;
    const canvas = new OffscreenCanvas(320, 230);
    canvas.getContext('2d')!.drawImage(faceSwapped, 0, 0);
    const short = await createImageBitmap(canvas);
    const output = await vision.makeIdPhoto(short, { spec: 'two-inch', color: 'blue', returnMask: true });
    short.close();
    console.log(`short source: moved down ${round(output.framing.floatShift)} px, face centre at ${round(output.framing.faceCenterY / output.height, 3)} of the height`);
    expect(output.framing.floatShift).to.be.greaterThan(20);
    expect(output.framing.personBottom).to.be.closeTo(output.height, 0.5);
    // The person fills the bottom row's middle: no band of background under the body.
    const bottom = output.mask!.subarray((output.height - 1) * output.width, output.height * output.width);
    const person = bottom.filter((value) => value >= 128).length;
    expect(person / output.width, 'person share of the bottom row').to.be.greaterThan(0.4);
  });

  it('hits the KB range of every spec that has one', async () => {
    const astronaut = photos.get('astronaut.png')!;
    const ranged = ID_PHOTO_SPECS.filter((each) => each.minKb !== undefined || each.maxKb !== undefined);
    const misses: string[] = [];
    const rows: string[] = [];
    for (const each of ranged) {
      const bounds = fileSizeBounds(each.minKb, each.maxKb);
      const output = await vision.makeIdPhoto(astronaut, { spec: each, color: each.colors[0]! });
      const bytes = new Uint8Array(await output.blob.arrayBuffer());
      const hit = bytes.length >= bounds.minBytes && bytes.length <= bounds.maxBytes;
      if (!hit) misses.push(each.id);
      expect(readJpegDpi(bytes), `${each.id} DPI`).to.deep.equal({ x: each.dpi, y: each.dpi });
      const decoded = await createImageBitmap(output.blob);
      expect([decoded.width, decoded.height], each.id).to.deep.equal([each.widthPx, each.heightPx]);
      decoded.close();
      rows.push(`${each.id} ${each.widthPx}×${each.heightPx} [${each.minKb ?? 0}, ${each.maxKb ?? '∞'}] KB → ${bytes.length} B q${output.quality}${output.paddedBytes ? ` +${output.paddedBytes} B padding` : ''}`);
    }
    const rate = (ranged.length - misses.length) / ranged.length;
    console.log(`KB ranges (min × 1024, max × 1000 bytes): ${ranged.length - misses.length}/${ranged.length} hit (${round(rate * 100)} %)\n  ${rows.join('\n  ')}`);
    expect(ranged.length).to.equal(14);
    expect(misses).to.deep.equal([]);
  });

  it('warns about small, tilted, side-lit and turned faces', async () => {
    const astronaut = photos.get('astronaut.png')!;
    const codes = async (image: ImageBitmap) => {
      const output = await vision.makeIdPhoto(image, { spec: 'two-inch', color: 'blue' });
      return output.warnings.map((warning) => `${warning.code} ${round(warning.value)}`);
    };
    const named = (list: string[]) => list.map((entry) => entry.split(' ')[0]);

    const draw = async (width: number, height: number, paint: (context: OffscreenCanvasRenderingContext2D) => void) => {
      const canvas = new OffscreenCanvas(width, height);
      paint(canvas.getContext('2d')!);
      return createImageBitmap(canvas);
    };
    // 2× the photo: the face is large enough for a 二寸, lit from the front, level.
    const large = await draw(1024, 1024, (context) => context.drawImage(astronaut, 0, 0, 1024, 1024));
    const good = await codes(large);
    const small = await codes(astronaut);
    const tilted = await codes(
      await draw(1024, 1024, (context) => {
        context.translate(512, 512);
        context.rotate((15 * Math.PI) / 180);
        context.drawImage(astronaut, -512, -512, 1024, 1024);
      }),
    );
    const sideLit = await codes(
      await draw(1024, 1024, (context) => {
        context.drawImage(astronaut, 0, 0, 1024, 1024);
        // The face spans x 354…544: its left half in shadow.
        const shade = context.createLinearGradient(430, 0, 470, 0);
        shade.addColorStop(0, 'rgba(0,0,0,0.7)');
        shade.addColorStop(1, 'rgba(0,0,0,0)');
        context.fillStyle = shade;
        context.fillRect(0, 0, 1024, 1024);
      }),
    );
    const camera = await codes(photos.get('camera.png')!);
    const group = await loadBitmap('photos/facereg.jpg');
    const crowd = await codes(group);
    group.close();
    console.log(`warnings: 2× astronaut ${good}; astronaut ${small}; tilted 15° ${tilted}; side-lit ${sideLit}; camera.png ${camera}; facereg.jpg ${crowd}`);
    expect(named(good)).to.deep.equal([]);
    expect(named(small)).to.include('face-too-small');
    expect(named(tilted)).to.include('tilted');
    expect(named(sideLit)).to.include('uneven-light');
    expect(named(camera)).to.include.members(['not-frontal', 'uneven-light']);
    expect(named(crowd)).to.include('many-faces');
    large.close();
  });

  it('refuses what it cannot make', async () => {
    const astronaut = photos.get('astronaut.png')!;
    const failure = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(await failure(() => vision.makeIdPhoto(photos.get('coffee.png')!, { spec: 'one-inch', color: 'blue' }))).to.match(/^NO_FACE:/);
    expect(await failure(() => vision.makeIdPhoto(astronaut, { spec: 'e-passport', color: 'blue' }))).to.match(/^BAD_REQUEST: color/);
    expect(await failure(() => vision.makeIdPhoto(astronaut, { spec: 'no-such-spec', color: 'blue' }))).to.match(/^BAD_REQUEST: spec/);
    expect(await failure(() => vision.makeIdPhoto(astronaut, { spec: 'one-inch', color: 'blue', topEmpty: [30, 10] }))).to.match(/^BAD_REQUEST: topEmpty/);
    // A maximum no JPEG of 295×413 px can meet: the pixel size is fixed, so it is an error.
    expect(await failure(() => vision.makeIdPhoto(astronaut, { spec: 'one-inch', color: 'blue', fileSizeKb: [0, 1] }))).to.match(/^IMAGE_TOO_LARGE: FILE_SIZE_ABOVE_MAX/);
  });

  it('runs through the VisionBridge of the page, errors keeping their kit code', async () => {
    const bridge = new VisionBridge({ assetsBase });
    try {
      const image = photos.get('face_swapped.jpg')!;
      const output = await bridge.makeIdPhoto(image, { spec: 'us-visa', color: 'white' });
      expect([output.width, output.height, output.dpi]).to.deep.equal([602, 602, 300]);
      expect(image.width, 'the caller keeps its bitmap').to.equal(320);
      const sheet = await bridge.makePrintSheet(output.blob, 'us-visa', '6in');
      expect(sheet.copies).to.equal(2);
      const error = await bridge.makeIdPhoto(image, { spec: 'us-visa', color: 'red' }).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(FacekitError);
      expect((error as FacekitError).code).to.equal('BAD_REQUEST');
    } finally {
      await bridge.shutdown();
    }
  });

  it('makes print sheets with copies, cut marks and the DPI', async () => {
    const photo = await vision.makeIdPhoto(photos.get('astronaut.png')!, { spec: 'one-inch', color: 'blue' });
    for (const paper of ['6in', '5in', 'a4'] as const) {
      const layout = layoutPrintSheet(spec('one-inch'), paper);
      const sheet = await vision.makePrintSheet(photo.blob, 'one-inch', paper);
      const bytes = new Uint8Array(await sheet.blob.arrayBuffer());
      expect(readJpegDpi(bytes)).to.deep.equal({ x: 300, y: 300 });
      expect([sheet.width, sheet.height, sheet.copies]).to.deep.equal([layout.width, layout.height, layout.copies]);
      const pixels = await decodePixels(sheet.blob);
      expect([pixels.width, pixels.height]).to.deep.equal([layout.width, layout.height]);
      // Every copy's top-left corner shows the photo's blue; each cut mark is dark on white paper.
      for (const cell of layout.cells) {
        expect(colourDistance(patchMean(pixels, cell.x + 3, cell.y + 3, 4), backgroundAt('blue', 0, 413)), `${paper} copy at ${cell.x},${cell.y}`).to.be.below(12);
      }
      const mark = layout.cutMarks[0]!;
      const markColour = patchMean(pixels, Math.round((mark.x1 + mark.x2) / 2) - 1, Math.round((mark.y1 + mark.y2) / 2) - 1, 2);
      expect(markColour[0], `${paper} cut mark`).to.be.below(140);
      expect(patchMean(pixels, 2, 2, 4)[0], `${paper} paper`).to.be.above(245);
      console.log(`print sheet ${paper}: ${sheet.width}×${sheet.height} px, ${sheet.copies} copies (${sheet.columns}×${sheet.rows}), ${bytes.length} B`);
    }
  });

  it('scales large photos down and times a 1280×960 input', async () => {
    const astronaut = photos.get('astronaut.png')!;
    const frame = async (width: number, height: number) => {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#8a8d90';
      context.fillRect(0, 0, width, height);
      // The astronaut's head and shoulders as a camera would frame them, the face at a third of the height.
      const side = height * 1.6;
      context.drawImage(astronaut, (width - side) / 2, -0.05 * side, side, side);
      return createImageBitmap(canvas);
    };
    // 4000×3000 is worked on at 2000×1500; the 高清证件照 (1000×1400) takes the fast guided filter.
    const huge = await frame(4000, 3000);
    const big = await vision.makeIdPhoto(huge, { spec: 'hd-id-photo', color: 'white' });
    huge.close();
    expect(big.framing.sourceScale).to.be.closeTo(0.5, 1e-9);
    expect([big.width, big.height]).to.deep.equal([1000, 1400]);
    console.log(`4000×3000 → 高清证件照 1000×1400: ${round(big.timings.totalMs)} ms (segmentation ${round(big.timings.segmentMs)}, edges + composite ${round(big.timings.compositeMs)}, encoding ${round(big.timings.encodeMs)})`);

    const input = await frame(1280, 960);
    const runs: IdPhotoOutput['timings'][] = [];
    for (let i = 0; i < 6; i++) runs.push((await vision.makeIdPhoto(input, { spec: 'two-inch', color: 'blue' })).timings);
    input.close();
    const warm = runs.slice(1);
    const figure = (key: keyof IdPhotoOutput['timings']) => round(median(warm.map((run) => run[key])));
    console.log(
      `1280×960 → 二寸 413×579, median of ${warm.length} warm runs in the worker: detect ${figure('detectMs')} ms, segmentation ${figure('segmentMs')} ms, ` +
        `framing ${figure('framingMs')} ms, edges + composite ${figure('compositeMs')} ms, encoding ${figure('encodeMs')} ms, total ${figure('totalMs')} ms ` +
        `(first run ${round(runs[0]!.totalMs)} ms with the segmentation model load)`,
    );
    expect(figure('totalMs')).to.be.below(3000);
  });
});
