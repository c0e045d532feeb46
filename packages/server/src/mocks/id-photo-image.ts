/**
 * How the ID-photo mock makes a real picture from the uploaded photo. Plausible, not clever:
 *
 * - The kit sends a face-centred crop with a margin of 0.6 face sizes on each side, so the face
 *   is taken as the central square of 45 % of the shorter side, the head (with hair) as an
 *   ellipse 1.5 face widths wide and 1.45 face heights tall.
 * - The crop is cut to the spec's aspect so that the face height is `faceRatio` (default 0.5) of
 *   the photo height and the face centre sits at `faceCenterRange` (default 0.45) from the top;
 *   `topEmpty` then moves it so that the head top lies in the asked range.
 * - Everything outside a head ellipse and a shoulders ellipse becomes the background colour
 *   (core's id-photo-background.ts, so the mock and the element agree), with a feathered edge.
 * - `beautyDegree` lifts the mid-tones inside the head ellipse.
 * - The JPEG is encoded at a quality found by bisection to land in `fileSize` (padded with
 *   comment segments up to the minimum), and carries the DPI in its JFIF header.
 */
import { backgroundAt, ID_PHOTO_COLORS, type IdPhotoColor } from '../../../core/src/shared/index.js';
import { clamp, encodeJpeg, parseHexColor, resample, type Rgb, type RgbaImage } from './raster.js';

export interface IdPhotoMakeOptions {
  width: number;
  height: number;
  /** A document colour name or `#RRGGBB`. */
  bgColor: string;
  dpi: number;
  beautyDegree?: number;
  faceRatio?: number;
  faceCenterRange?: number;
  topEmpty?: { min: number; max: number };
  fileSizeKb?: { min: number; max: number };
}

const FACE_FRACTION = 0.45;
const HEAD_TO_FACE = 1.45;
/** The hair makes the head's centre higher than the face's, by this share of the face height. */
const HEAD_RAISE = 0.1;
const DEFAULT_FACE_RATIO = 0.5;
const DEFAULT_FACE_CENTER = 0.45;
const FEATHER_PX = 4;
const DEFAULT_QUALITY = 92;

/** The background colour of row `y`: a document colour name (core's table, gradients included) or `#RRGGBB`. */
export function backgroundRow(bgColor: string, y: number, height: number): Rgb {
  const hex = parseHexColor(bgColor);
  if (hex) return hex;
  const named = (ID_PHOTO_COLORS as readonly string[]).includes(bgColor) ? (bgColor as IdPhotoColor) : 'white';
  return backgroundAt(named, y, height);
}

export function makeIdPhoto(source: RgbaImage, options: IdPhotoMakeOptions): Buffer {
  const { width, height } = options;
  const faceSource = Math.min(source.width, source.height) * FACE_FRACTION;
  const faceRatio = options.faceRatio ?? DEFAULT_FACE_RATIO;
  // Crop of the source, in source pixels, that becomes the whole photo.
  const cropHeight = faceSource / faceRatio;
  const cropWidth = (cropHeight * width) / height;
  const scale = height / cropHeight;
  const faceOut = faceSource * scale;
  let faceCenterY = (options.faceCenterRange ?? DEFAULT_FACE_CENTER) * height;
  if (options.topEmpty) {
    const headTop = faceCenterY - faceOut * HEAD_RAISE - (faceOut * HEAD_TO_FACE) / 2;
    if (headTop < options.topEmpty.min || headTop > options.topEmpty.max) {
      faceCenterY += (options.topEmpty.min + options.topEmpty.max) / 2 - headTop;
    }
  }
  const crop = {
    x: source.width / 2 - cropWidth / 2,
    y: source.height / 2 - faceCenterY / scale,
    width: cropWidth,
    height: cropHeight,
  };
  const photo = resample(source, crop, width, height);

  const centreX = width / 2;
  const head = { cy: faceCenterY - faceOut * HEAD_RAISE, rx: faceOut * 0.75, ry: (faceOut * HEAD_TO_FACE) / 2 };
  const shoulders = { cy: faceCenterY + faceOut * 1.5, rx: faceOut * 1.6, ry: faceOut * 0.95 };
  const lift = options.beautyDegree ? 1 / (1 + 0.06 * (options.beautyDegree - 1)) : 1;
  const d = photo.data;
  for (let y = 0; y < height; y++) {
    const bg = backgroundRow(options.bgColor, y, height);
    const sourceY = crop.y + (y + 0.5) / scale;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      // Signed distance (in px, roughly) inside the person: > 0 inside, < 0 outside.
      const inHead = ellipseDepth(x - centreX, y - head.cy, head.rx, head.ry);
      const inShoulders = y > faceCenterY ? ellipseDepth(x - centreX, y - shoulders.cy, shoulders.rx, shoulders.ry) : -Infinity;
      let alpha = clamp(Math.max(inHead, inShoulders) / FEATHER_PX + 0.5, 0, 1);
      // Beside or above the uploaded photo there is nothing but background; below it the
      // last rows repeat, as the body goes on.
      const sourceX = crop.x + (x + 0.5) / scale;
      if (sourceX < 0 || sourceY < 0 || sourceX >= source.width) alpha = 0;
      for (let c = 0; c < 3; c++) {
        let value = d[o + c]!;
        if (inHead > 0 && lift !== 1) value = 255 * (value / 255) ** lift;
        d[o + c] = Math.round(value * alpha + bg[c]! * (1 - alpha));
      }
      d[o + 3] = 255;
    }
  }
  return encodeWithin(photo, options.dpi, options.fileSizeKb);
}

/** How far inside an ellipse a point is, in pixels along the smaller radius (negative outside). */
function ellipseDepth(dx: number, dy: number, rx: number, ry: number): number {
  const r = Math.sqrt((dx / rx) ** 2 + (dy / ry) ** 2);
  return (1 - r) * Math.min(rx, ry);
}

/** JPEG within `fileSizeKb` when it can be: bisection on the quality (7 steps), then padding. */
export function encodeWithin(image: RgbaImage, dpi: number, fileSizeKb?: { min: number; max: number }): Buffer {
  let best = encodeJpeg(image, DEFAULT_QUALITY, { dpi });
  if (fileSizeKb) {
    const maxBytes = fileSizeKb.max * 1024;
    const minBytes = fileSizeKb.min * 1024;
    if (best.length > maxBytes) {
      let low = 5;
      let high = DEFAULT_QUALITY;
      // The lowest quality is the best effort when nothing fits; the document allows a miss.
      best = encodeJpeg(image, low, { dpi });
      for (let step = 0; step < 7 && high - low > 1; step++) {
        const middle = Math.round((low + high) / 2);
        const candidate = encodeJpeg(image, middle, { dpi });
        if (candidate.length <= maxBytes) {
          best = candidate;
          low = middle;
        } else high = middle;
      }
    } else if (best.length < minBytes) {
      const finest = encodeJpeg(image, 100, { dpi });
      best = finest.length >= minBytes ? finest : encodeJpeg(image, 100, { dpi, padToBytes: Math.min(minBytes, maxBytes) });
    }
  }
  return best;
}
