/**
 * The on-device ID photo: face → person mask → framing → refined edges over the spec's background
 * → JPEG at the spec's pixel size, DPI and file-size range. And print sheets of it.
 *
 * Runs in the vision worker; the models come in through `IdPhotoEngine`, so this file holds the
 * pipeline only. Order of work:
 *  1. Photos longer than MAX_SOURCE_SIDE are scaled down (the vendor refuses > 2500 px; nothing
 *     an ID photo needs is lost at 2000).
 *  2. Faces (the worker's short + full range detectors); the largest is used.
 *  3. A first framing from the face box alone gives the region to segment: the crop and a margin,
 *     so the model sees the person at ID-photo framing, the framing the selfie model is made for.
 *  4. The mask gives the head top (for topEmpty) and where the person ends (the no-floating rule);
 *     then the final framing (shared/id-photo-framing.ts). When the final crop leaves the
 *     segmented region, the region is segmented again.
 *  5. At output size: photo and coarse mask, edge refinement, composite (worker/matting.ts).
 *  6. JPEG: quality search into the KB range, DPI in JFIF, padding to a minimum.
 */
import { FacekitError } from '../shared/errors.js';
import { containment, type Size } from '../shared/framing.js';
import { backgroundRows, cssRgb } from '../shared/id-photo-background.js';
import {
  defaultFaceRatio,
  frameIdPhoto,
  headTopFromMask,
  HEAD_TOP_ABOVE_FACE,
  IdPhotoParamError,
  idPhotoWarnings,
  personBottomFromMask,
  type EyeOpenness,
  type IdPhotoFraming,
  type MaskImage,
} from '../shared/id-photo-framing.js';
import { findSpec, ID_PHOTO_COLORS, type IdPhotoSpec } from '../shared/id-photo-specs.js';
import type { IdPhotoOutput, IdPhotoRequest, PrintPaper, PrintSheetOutput } from '../shared/id-photo-types.js';
import { setJpegDpi } from '../shared/jpeg-dpi.js';
import { FileSizeError, fileSizeBounds, fitJpegSize } from '../shared/jpeg-file-size.js';
import { CUT_MARK_WIDTH_PX, layoutPrintSheet } from '../shared/print-sheet.js';
import { mainFace, type LumaImage } from '../shared/quality.js';
import type { Box, DetectedFace, KitCode } from '../shared/types.js';
import { compositeOver, refineAlpha, splitRgba } from './matting.js';
import { SEGMENTER_INPUT_SIDE } from './segmentation.js';

/** Longest side a photo is worked on at. */
export const MAX_SOURCE_SIDE = 2000;
/** Guided filter radius as a share of the output height (5 px at 413 px, 17 px at 1400 px). */
const REFINE_RADIUS_SHARE = 0.012;
/** The filter's coefficients are computed on at most about this many rows (fast guided filter). */
const REFINE_ROWS = 600;
/** Margin of the segmented region around the first crop: more above (hair), less elsewhere. */
const REGION_MARGIN = { top: 0.2, side: 0.1, bottom: 0.1 };
/** Print sheets are photos for a lab: high quality, no size limit. */
const SHEET_QUALITY = 0.92;

/** What the pipeline needs from the worker's models. */
export interface IdPhotoEngine {
  /** Faces (both detector models merged) and every model's raw detections, for the pose check. */
  detectFaces(image: ImageBitmap): Promise<{ faces: DetectedFace[]; detections: DetectedFace[] }>;
  /** Person confidence 0…1 at the canvas's size. */
  segmentPerson(image: OffscreenCanvas): Promise<MaskImage>;
  /** Luma of a face box drawn small (the quality sampler). */
  faceLuma(image: ImageBitmap, box: Box): LumaImage;
  /**
   * Eye openness (eyelid gap / eye width) of both eyes from face landmarks, or null. An engine
   * without it (or null) reports the 'eyes-closed' check in `skippedChecks` instead of guessing.
   */
  eyeOpenness?(image: ImageBitmap, face: DetectedFace): Promise<EyeOpenness | null>;
}

function kitError(code: KitCode, detail: string, cause?: unknown): FacekitError {
  return new FacekitError(code, `${code}: ${detail}`, cause === undefined ? undefined : { cause });
}

export function resolveSpec(spec: IdPhotoSpec | string): IdPhotoSpec {
  const found = typeof spec === 'string' ? findSpec(spec) : spec;
  if (!found || !(found.widthPx > 0 && found.heightPx > 0 && found.dpi > 0)) {
    throw kitError('BAD_REQUEST', `spec: unknown ID photo spec ${typeof spec === 'string' ? spec : JSON.stringify(spec?.id)}`);
  }
  return found;
}

interface RegionMask {
  /** Integer source rectangle that was segmented. */
  region: Box;
  mask: MaskImage;
}

const now = () => performance.now();

function intersect(a: Box, b: Box): Box {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/** The integer region to segment for a crop: the crop with margins, inside the source. */
function regionFor(crop: Box, source: Size): Box {
  const grown = {
    x: crop.x - REGION_MARGIN.side * crop.width,
    y: crop.y - REGION_MARGIN.top * crop.height,
    width: crop.width * (1 + 2 * REGION_MARGIN.side),
    height: crop.height * (1 + REGION_MARGIN.top + REGION_MARGIN.bottom),
  };
  const inside = intersect(grown, { x: 0, y: 0, ...source });
  const x0 = Math.floor(inside.x);
  const y0 = Math.floor(inside.y);
  return { x: x0, y: y0, width: Math.max(1, Math.ceil(inside.x + inside.width) - x0), height: Math.max(1, Math.ceil(inside.y + inside.height) - y0) };
}

function contains(outer: Box, inner: Box): boolean {
  const slack = 0.5;
  return (
    inner.x >= outer.x - slack &&
    inner.y >= outer.y - slack &&
    inner.x + inner.width <= outer.x + outer.width + slack &&
    inner.y + inner.height <= outer.y + outer.height + slack
  );
}

async function segmentRegion(engine: IdPhotoEngine, source: ImageBitmap, region: Box): Promise<RegionMask> {
  const k = Math.min(1, SEGMENTER_INPUT_SIDE / Math.max(region.width, region.height));
  const canvas = new OffscreenCanvas(Math.max(1, Math.round(region.width * k)), Math.max(1, Math.round(region.height * k)));
  const context = canvas.getContext('2d');
  if (!context) throw kitError('UNSUPPORTED', 'OffscreenCanvas 2D is not available');
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, region.x, region.y, region.width, region.height, 0, 0, canvas.width, canvas.height);
  return { region, mask: await engine.segmentPerson(canvas) };
}

/** Source → mask coordinates of a region mask. */
const maskScale = (rm: RegionMask) => ({ x: rm.mask.width / rm.region.width, y: rm.mask.height / rm.region.height });

/** Head top and person bottom in source pixels, from a region mask. */
function readMask(rm: RegionMask, face: Box, source: Size): { headTop?: number; headCut: boolean; personBottom: number } {
  const k = maskScale(rm);
  const faceInMask = { x: (face.x - rm.region.x) * k.x, y: (face.y - rm.region.y) * k.y, width: face.width * k.x, height: face.height * k.y };
  const top = headTopFromMask(rm.mask, faceInMask);
  const estimate = face.y - HEAD_TOP_ABOVE_FACE * face.height;
  let headTop: number | undefined;
  let headCut = false;
  if (top) {
    headTop = rm.region.y + top.y / k.y;
    if (top.touchesTop) {
      // The person runs out of the region's top: at the photo's edge the head is cut (take the
      // higher of the edge and the face-box estimate); inside the photo the mask is not trusted.
      headCut = rm.region.y <= 0;
      headTop = headCut ? Math.min(headTop, estimate) : undefined;
    }
  }
  const bottomRow = personBottomFromMask(rm.mask);
  // A person reaching the region's bottom is taken to continue to the photo's bottom; an empty
  // mask (segmentation failed) says nothing, so the no-floating rule then does not move anything.
  const personBottom = bottomRow === 0 || bottomRow >= rm.mask.height - 1 ? source.height : rm.region.y + bottomRow / k.y;
  return { headTop, headCut, personBottom };
}

/** The coarse mask at output size: bilinear from the region mask, 0 outside the region. */
function coarseMaskAtOutput(rm: RegionMask, framing: IdPhotoFraming, output: Size): Float32Array {
  const { crop, scale } = framing;
  const { mask, region } = rm;
  const k = maskScale(rm);
  const out = new Float32Array(output.width * output.height);
  for (let oy = 0; oy < output.height; oy++) {
    const sy = crop.y + (oy + 0.5) / scale;
    if (sy < region.y || sy > region.y + region.height) continue;
    const my = Math.min(mask.height - 1, Math.max(0, (sy - region.y) * k.y - 0.5));
    const y0 = Math.floor(my);
    const y1 = Math.min(mask.height - 1, y0 + 1);
    const fy = my - y0;
    for (let ox = 0; ox < output.width; ox++) {
      const sx = crop.x + (ox + 0.5) / scale;
      if (sx < region.x || sx > region.x + region.width) continue;
      const mx = Math.min(mask.width - 1, Math.max(0, (sx - region.x) * k.x - 0.5));
      const x0 = Math.floor(mx);
      const x1 = Math.min(mask.width - 1, x0 + 1);
      const fx = mx - x0;
      const top = mask.data[y0 * mask.width + x0]! * (1 - fx) + mask.data[y0 * mask.width + x1]! * fx;
      const bottom = mask.data[y1 * mask.width + x0]! * (1 - fx) + mask.data[y1 * mask.width + x1]! * fx;
      out[oy * output.width + ox] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

function context2d(canvas: OffscreenCanvas, options?: { willReadFrequently?: boolean }): OffscreenCanvasRenderingContext2D {
  const context = canvas.getContext('2d', options);
  if (!context) throw kitError('UNSUPPORTED', 'OffscreenCanvas 2D is not available');
  return context;
}

async function jpegBytes(canvas: OffscreenCanvas, quality: number): Promise<Uint8Array> {
  return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality })).arrayBuffer());
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The whole pipeline. `image` stays owned by the caller. */
export async function makeIdPhoto(engine: IdPhotoEngine, image: ImageBitmap, request: IdPhotoRequest): Promise<IdPhotoOutput> {
  const started = now();
  const spec = resolveSpec(request.spec);
  if (!(ID_PHOTO_COLORS as readonly string[]).includes(request.color) || !spec.colors.includes(request.color)) {
    throw kitError('BAD_REQUEST', `color: ${String(request.color)} is not offered by ${spec.id} (${spec.colors.join(', ')})`);
  }
  const output: Size = { width: spec.widthPx, height: spec.heightPx };
  let bounds;
  try {
    const [minKb, maxKb] = request.fileSizeKb ?? [spec.minKb ?? 0, spec.maxKb ?? Number.POSITIVE_INFINITY];
    bounds = fileSizeBounds(minKb, maxKb);
  } catch (error) {
    throw kitError('BAD_REQUEST', `fileSizeKb: ${(error as Error).message}`, error);
  }

  // 1–2. Scale down and find the face.
  const sourceScale = Math.min(1, MAX_SOURCE_SIDE / Math.max(image.width, image.height));
  const working =
    sourceScale < 1
      ? await createImageBitmap(image, {
          resizeWidth: Math.max(1, Math.round(image.width * sourceScale)),
          resizeHeight: Math.max(1, Math.round(image.height * sourceScale)),
          resizeQuality: 'high',
        })
      : image;
  try {
    const source: Size = { width: working.width, height: working.height };
    const { faces, detections } = await engine.detectFaces(working);
    const face = mainFace(faces);
    if (!face) throw kitError('NO_FACE', 'no face in the photo');
    const detectMs = now() - started;

    const params = {
      source,
      face: face.box,
      output,
      faceRatio: request.faceRatio ?? defaultFaceRatio(spec),
      faceCenterRange: request.faceCenterRange,
      topEmpty: request.topEmpty,
    };
    const frame = (extra: { headTop?: number; personBottom?: number }) => {
      try {
        return frameIdPhoto({ ...params, ...extra });
      } catch (error) {
        if (error instanceof IdPhotoParamError) throw kitError('BAD_REQUEST', error.message, error);
        throw error;
      }
    };

    // 3–4. Segment around the first framing, read the mask, frame again.
    let segmentMs = 0;
    let framingMs = 0;
    let mark = now();
    const first = frame({});
    framingMs += now() - mark;
    mark = now();
    let regionMask = await segmentRegion(engine, working, regionFor(first.crop, source));
    segmentMs += now() - mark;
    mark = now();
    const measured = readMask(regionMask, face.box, source);
    const framing = frame({ headTop: measured.headTop, personBottom: measured.personBottom });
    const visible = intersect(framing.crop, { x: 0, y: 0, ...source });
    framingMs += now() - mark;
    if (visible.width > 0 && visible.height > 0 && !contains(regionMask.region, visible)) {
      mark = now();
      regionMask = await segmentRegion(engine, working, regionFor(framing.crop, source));
      segmentMs += now() - mark;
    }

    // 5. Photo and mask at output size, refined edges, composite.
    mark = now();
    const canvas = new OffscreenCanvas(output.width, output.height);
    const context = context2d(canvas, { willReadFrequently: true });
    context.imageSmoothingQuality = 'high';
    const { crop } = framing;
    context.drawImage(working, crop.x, crop.y, crop.width, crop.height, 0, 0, output.width, output.height);
    const pixels = context.getImageData(0, 0, output.width, output.height);
    const { image: photo, coverage } = splitRgba(pixels.data, output.width, output.height);
    const coarse = coarseMaskAtOutput(regionMask, framing, output);
    const radius = Math.max(2, Math.round(REFINE_RADIUS_SHARE * output.height));
    const refine = request.refineEdges !== false;
    let alpha: Float32Array;
    if (refine) {
      alpha = refineAlpha(photo, coarse, { radius, subsample: Math.max(1, Math.floor(output.height / REFINE_ROWS)) }, coverage);
    } else {
      alpha = coarse;
      for (let i = 0; i < alpha.length; i++) alpha[i] = alpha[i]! * coverage[i]!;
    }
    compositeOver(photo, alpha, backgroundRows(request.color, output.height), pixels.data, { decontaminate: refine, radius: 2 * radius });
    context.putImageData(pixels, 0, 0);
    const compositeMs = now() - mark;

    // 6. Encode into the range.
    mark = now();
    let fitted;
    try {
      fitted = await fitJpegSize(async (quality) => setJpegDpi(await jpegBytes(canvas, quality), spec.dpi), bounds);
    } catch (error) {
      if (error instanceof FileSizeError) {
        throw kitError('IMAGE_TOO_LARGE', `${error.message} (${spec.id} at ${output.width}×${output.height} px; the pixel size is fixed)`, error);
      }
      throw error;
    }
    const encodeMs = now() - mark;

    const eyeOpenness = engine.eyeOpenness ? await engine.eyeOpenness(working, face) : null;
    const checks = idPhotoWarnings({
      faceCount: faces.length,
      face,
      sameFace: detections.filter((other) => other !== face && containment(other.box, face.box) > 0.5),
      sourceFaceHeight: face.box.height / sourceScale,
      outputFaceHeight: framing.faceBoxHeight,
      faceLuma: engine.faceLuma(working, face.box),
      eyeOpenness,
      headCut: measured.headCut,
    });

    const result: IdPhotoOutput = {
      blob: new Blob([toArrayBuffer(fitted.bytes)], { type: 'image/jpeg' }),
      width: output.width,
      height: output.height,
      dpi: spec.dpi,
      bytes: fitted.bytes.length,
      quality: fitted.quality,
      paddedBytes: fitted.paddedBytes,
      specId: spec.id,
      color: request.color,
      warnings: checks.warnings,
      skippedChecks: checks.skippedChecks,
      framing: {
        cropX: crop.x,
        cropY: crop.y,
        cropWidth: crop.width,
        cropHeight: crop.height,
        scale: framing.scale,
        sourceScale,
        faceRatio: framing.faceRatio,
        faceCenterRange: framing.faceCenterRange,
        faceTop: framing.faceTop,
        faceHeight: framing.faceHeight,
        faceCenterX: framing.faceCenterX,
        faceCenterY: framing.faceCenterY,
        faceBoxTop: framing.faceBoxTop,
        faceBoxHeight: framing.faceBoxHeight,
        headTop: framing.headTop,
        topEmpty: framing.topEmpty,
        headTopFromMask: measured.headTop !== undefined && !measured.headCut ? 1 : 0,
        topEmptyShift: framing.topEmptyShift,
        floatShift: framing.floatShift,
        personBottom: framing.personBottom,
        padTop: framing.pad.top,
        padBottom: framing.pad.bottom,
        padLeft: framing.pad.left,
        padRight: framing.pad.right,
      },
      timings: { detectMs, segmentMs, framingMs, compositeMs, encodeMs, totalMs: now() - started },
    };
    if (request.returnMask) {
      const mask = new Uint8ClampedArray(alpha.length);
      for (let i = 0; i < alpha.length; i++) mask[i] = Math.round(alpha[i]! * 255);
      result.mask = mask;
    }
    return result;
  } finally {
    if (working !== image) working.close();
  }
}

/** A print sheet of `photo` (an ID photo of `spec`) on `paper`: copies, gaps, corner cut marks, 300 dpi. */
export async function makePrintSheet(photo: Blob, specOrId: IdPhotoSpec | string, paper: PrintPaper): Promise<PrintSheetOutput> {
  const spec = resolveSpec(specOrId);
  let layout;
  try {
    layout = layoutPrintSheet(spec, paper);
  } catch (error) {
    throw kitError('BAD_REQUEST', `paper: ${(error as Error).message}`, error);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(photo);
  } catch (error) {
    throw kitError('BAD_IMAGE', 'the photo could not be decoded', error);
  }
  try {
    const canvas = new OffscreenCanvas(layout.width, layout.height);
    const context = context2d(canvas);
    context.fillStyle = cssRgb([255, 255, 255]);
    context.fillRect(0, 0, layout.width, layout.height);
    context.imageSmoothingQuality = 'high';
    for (const cell of layout.cells) context.drawImage(bitmap, cell.x, cell.y, cell.width, cell.height);
    context.strokeStyle = '#404040';
    context.lineWidth = CUT_MARK_WIDTH_PX;
    context.beginPath();
    for (const mark of layout.cutMarks) {
      context.moveTo(mark.x1, mark.y1);
      context.lineTo(mark.x2, mark.y2);
    }
    context.stroke();
    const bytes = setJpegDpi(await jpegBytes(canvas, SHEET_QUALITY), layout.dpi);
    return {
      blob: new Blob([toArrayBuffer(bytes)], { type: 'image/jpeg' }),
      paper,
      width: layout.width,
      height: layout.height,
      dpi: layout.dpi,
      copies: layout.copies,
      columns: layout.columns,
      rows: layout.rows,
      photoWidth: layout.photoWidth,
      photoHeight: layout.photoHeight,
    };
  } finally {
    bitmap.close();
  }
}
