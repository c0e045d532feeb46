/**
 * The skin mock's "analysis": simple image maths on the uploaded photo that gives every metric
 * of the document a plausible value and draws its 21 result pictures from real pixels, so that a
 * report viewer is exercised with real pictures. It measures pixels, not skin:
 *
 * - The photo is shrunk to at most 512 px. The face is the central square of 60 % of the shorter
 *   side (as in image.ts); skin is an ellipse in it. Zones (forehead, eyes, cheeks, nose, mouth
 *   corners…) are fixed boxes relative to that square.
 * - Redness is CIE a*: the red map and the heat map show it, the blood map shows a* above its
 *   local mean, the sensitive area is a* well above the face's mean, acne spots are small local
 *   a* peaks.
 * - Pigment: brown areas are pixels darker than their surroundings (radius 8) with low
 *   saturation; surface spots are smaller, darker dots (radius 3); pores are faint dark dots on
 *   cheeks and nose, blackheads strong dark dots on the nose.
 * - Wrinkles are strong luma gradients (Sobel) of the smoothed photo inside the skin.
 * - Dark circles compare the under-eye band with the cheeks.
 * Scores are 1 − a scaled area share, clamped to 0.3…0.99; synScore is their mean.
 */
import { blankImage, boxBlur, clamp, encodeJpeg, encodePng, fitWithin, rgbToLab, type RgbaImage } from './raster.js';

export const SKIN_IMAGE_FILES = {
  imgBlackHead: 'BlackHead.png',
  imgBlackHeadMerge: 'BlackHead_merge.jpg',
  imgBloodmap: 'Bloodmap.jpg',
  imgBrownPigmentation: 'BrownPigmentation.png',
  imgDarkEye: 'DarkEye.png',
  imgDarkEyeMerge: 'DarkEye_merge.jpg',
  imgHyperPigmentationMerge: 'HyperPigmentation_merge.jpg',
  imgPigmentation: 'Pigmentation.png',
  imgPigmentationAging: 'PigmentationAging.jpg',
  imgPigmentationMerge: 'Pigmentation_merge.jpg',
  imgPigmentationSpecial: 'PigmentationSpecial.jpg',
  imgPore: 'Pore.png',
  imgPoreMerge: 'Pore_merge.jpg',
  imgRedAcne: 'RedAcne.png',
  imgRedAcneMerge: 'RedAcne_merge.jpg',
  imgRedSpotSpecialEffect: 'RedSpotSpecialEffect.png',
  imgRedmap: 'Redmap.jpg',
  imgSensitiveArea: 'SensitiveArea.png',
  imgSensitiveAreaMerge: 'SensitiveArea_merge.jpg',
  imgWrinkle: 'Wrinkle.png',
  imgWrinkleMerge: 'Wrinkle_merge.jpg',
} as const;

export type SkinImageFile = (typeof SKIN_IMAGE_FILES)[keyof typeof SKIN_IMAGE_FILES];

const MAX_SIDE = 512;
const FACE_FRACTION = 0.6;

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface SkinAnalysis {
  photo: RgbaImage;
  width: number;
  height: number;
  skin: Uint8Array;
  a: Float32Array;
  redExcess: Float32Array;
  /** Darkness against the surroundings, radius 8 (brown) and radius 3 (spots). */
  darkWide: Float32Array;
  masks: Record<'brown' | 'surface' | 'wrinkle' | 'pore' | 'blackHead' | 'sensitive' | 'darkEye' | 'acne', Uint8Array>;
  acneSpots: Array<{ x: number; y: number; r: number }>;
  metrics: Record<string, number>;
}

export function analyseSkin(source: RgbaImage): SkinAnalysis {
  const photo = fitWithin(source, MAX_SIDE);
  const { width, height, data } = photo;
  const n = width * height;
  const face = Math.min(width, height) * FACE_FRACTION;
  const cx = width / 2;
  const cy = height / 2;
  const box = (x0: number, y0: number, x1: number, y1: number): Box => ({
    x0: Math.round(cx + x0 * face),
    y0: Math.round(cy + y0 * face),
    x1: Math.round(cx + x1 * face),
    y1: Math.round(cy + y1 * face),
  });

  const L = new Float32Array(n);
  const a = new Float32Array(n);
  const saturation = new Float32Array(n);
  const skin = new Uint8Array(n);
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    const [l, aStar, bStar] = rgbToLab(data[p]!, data[p + 1]!, data[p + 2]!);
    L[i] = l;
    a[i] = aStar;
    saturation[i] = Math.hypot(aStar, bStar);
    const x = i % width;
    const y = (i - x) / width;
    if (((x - cx) / (face * 0.45)) ** 2 + ((y - cy) / (face * 0.62)) ** 2 <= 1) skin[i] = 1;
  }
  const lWide = boxBlur(L, width, height, 8);
  const lNear = boxBlur(L, width, height, 3);
  const lSmooth = boxBlur(L, width, height, 1);
  const aWide = boxBlur(a, width, height, 8);

  const skinStats = (values: Float32Array) => {
    let sum = 0;
    let squares = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (!skin[i]) continue;
      sum += values[i]!;
      squares += values[i]! ** 2;
      count++;
    }
    const mean = count ? sum / count : 0;
    return { mean, std: count ? Math.sqrt(Math.max(0, squares / count - mean * mean)) : 0, count };
  };
  const aStats = skinStats(a);
  const skinCount = Math.max(1, aStats.count);

  const redExcess = new Float32Array(n);
  const darkWide = new Float32Array(n);
  const masks: SkinAnalysis['masks'] = {
    brown: new Uint8Array(n),
    surface: new Uint8Array(n),
    wrinkle: new Uint8Array(n),
    pore: new Uint8Array(n),
    blackHead: new Uint8Array(n),
    sensitive: new Uint8Array(n),
    darkEye: new Uint8Array(n),
    acne: new Uint8Array(n),
  };

  const nose = box(-0.1, -0.1, 0.1, 0.22);
  const cheeks = [box(-0.4, 0.02, -0.14, 0.3), box(0.14, 0.02, 0.4, 0.3)];
  const inBox = (b: Box, x: number, y: number) => x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1;

  // Gradient magnitudes of the smoothed luma, for the wrinkle threshold (a high percentile in the skin).
  const gradient = new Float32Array(n);
  const gradients: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const gx = lSmooth[i - width + 1]! + 2 * lSmooth[i + 1]! + lSmooth[i + width + 1]! - lSmooth[i - width - 1]! - 2 * lSmooth[i - 1]! - lSmooth[i + width - 1]!;
      const gy = lSmooth[i + width - 1]! + 2 * lSmooth[i + width]! + lSmooth[i + width + 1]! - lSmooth[i - width - 1]! - 2 * lSmooth[i - width]! - lSmooth[i - width + 1]!;
      gradient[i] = Math.hypot(gx, gy);
      if (skin[i]) gradients.push(gradient[i]!);
    }
  }
  gradients.sort((p, q) => p - q);
  const wrinkleThreshold = Math.max(12, gradients[Math.floor(gradients.length * 0.9)] ?? 12);

  for (let i = 0; i < n; i++) {
    if (!skin[i]) continue;
    const x = i % width;
    const y = (i - x) / width;
    redExcess[i] = Math.max(0, a[i]! - aWide[i]!);
    darkWide[i] = Math.max(0, lWide[i]! - L[i]!);
    const darkNear = lNear[i]! - L[i]!;
    if (darkWide[i]! > 5 && saturation[i]! < 30) masks.brown[i] = 1;
    if (darkNear > 6) masks.surface[i] = 1;
    if (gradient[i]! > wrinkleThreshold) masks.wrinkle[i] = 1;
    const poreZone = inBox(nose, x, y) || cheeks.some((c) => inBox(c, x, y));
    if (poreZone && darkNear > 2.5) masks.pore[i] = 1;
    if (inBox(nose, x, y) && darkNear > 8) masks.blackHead[i] = 1;
    if (a[i]! > aStats.mean + 1.2 * aStats.std) masks.sensitive[i] = 1;
  }

  // Acne: local peaks of a* over its surroundings, at least 5 px apart.
  const acneSpots: SkinAnalysis['acneSpots'] = [];
  const acneThreshold = Math.max(4, aStats.std * 1.5);
  for (let y = 3; y < height - 3 && acneSpots.length < 60; y += 2) {
    for (let x = 3; x < width - 3 && acneSpots.length < 60; x += 2) {
      const i = y * width + x;
      if (!skin[i] || redExcess[i]! < acneThreshold) continue;
      let peak = true;
      for (let dy = -2; dy <= 2 && peak; dy++) for (let dx = -2; dx <= 2; dx++) if (redExcess[i + dy * width + dx]! > redExcess[i]!) peak = false;
      if (peak && acneSpots.every((spot) => Math.hypot(spot.x - x, spot.y - y) >= 5)) acneSpots.push({ x, y, r: 2 + Math.min(3, Math.round(redExcess[i]! / acneThreshold)) });
    }
  }
  for (const spot of acneSpots) paintDisc(masks.acne, width, height, spot.x, spot.y, spot.r);

  // Dark circles: the band under each eye against the cheeks below it.
  const underEyes = [box(-0.32, -0.06, -0.08, 0.04), box(0.08, -0.06, 0.32, 0.04)];
  const meanIn = (boxes: Box[]) => {
    let sum = 0;
    let count = 0;
    for (const b of boxes) for (let y = Math.max(0, b.y0); y < Math.min(height, b.y1); y++) for (let x = Math.max(0, b.x0); x < Math.min(width, b.x1); x++) {
      sum += L[y * width + x]!;
      count++;
    }
    return count ? sum / count : 0;
  };
  const darkEyeDiff = Math.max(0, meanIn(cheeks) - meanIn(underEyes));
  const cheekMean = meanIn(cheeks);
  let undereyeArea = 0;
  for (const b of underEyes) for (let y = Math.max(0, b.y0); y < Math.min(height, b.y1); y++) for (let x = Math.max(0, b.x0); x < Math.min(width, b.x1); x++) {
    undereyeArea++;
    if (L[y * width + x]! < cheekMean - 4) masks.darkEye[y * width + x] = 1;
  }

  const count = (mask: Uint8Array) => mask.reduce((total, v) => total + v, 0);
  const share = (mask: Uint8Array) => count(mask) / skinCount;
  const score = (value: number, scale: number) => round(clamp(1 - value * scale, 0.3, 0.99), 4);

  // Wrinkle zones: area (px) of the zone, wrinkle share in it, line count, score.
  const zones: Record<string, Box[]> = {
    foreHead: [box(-0.32, -0.58, 0.32, -0.3)],
    glabellar: [box(-0.08, -0.3, 0.08, -0.14)],
    betweeneye: [box(-0.06, -0.14, 0.06, -0.02)],
    undereye: underEyes,
    side: [box(-0.46, -0.2, -0.33, 0.02), box(0.33, -0.2, 0.46, 0.02)],
    nasofolds: [box(-0.26, 0.12, -0.1, 0.36), box(0.1, 0.12, 0.26, 0.36)],
    cormouth: [box(-0.24, 0.34, -0.12, 0.48), box(0.12, 0.34, 0.24, 0.48)],
  };
  const metrics: Record<string, number> = {};
  let wrinklePixels = 0;
  let wrinkleLines = 0;
  for (const [zone, boxes] of Object.entries(zones)) {
    const zoneMask = new Uint8Array(n);
    let zoneArea = 0;
    for (const b of boxes) for (let y = Math.max(0, b.y0); y < Math.min(height, b.y1); y++) for (let x = Math.max(0, b.x0); x < Math.min(width, b.x1); x++) {
      const i = y * width + x;
      zoneArea++;
      if (masks.wrinkle[i]) zoneMask[i] = 1;
    }
    const pixels = count(zoneMask);
    const lines = components(zoneMask, width, 6).length;
    const ratio = zoneArea ? pixels / zoneArea : 0;
    wrinklePixels += pixels;
    wrinkleLines += lines;
    metrics[zone === 'undereye' ? 'undereyeArea' : `${zone}Area`] = zone === 'undereye' ? undereyeArea / 2 : zoneArea;
    metrics[`${zone}WrinkleArea`] = round(ratio, 8);
    metrics[`${zone}WrinkleCnt`] = lines;
    metrics[`${zone}WrinkleScore`] = score(ratio, 3);
  }

  const poreBlobs = components(masks.pore, width, 1);
  const blackBlobs = components(masks.blackHead, width, 1);
  const sizeClass = (blobs: number[], small: number, large: number) => ({
    small: blobs.filter((size) => size < small).length,
    medium: blobs.filter((size) => size >= small && size < large).length,
    large: blobs.filter((size) => size >= large).length,
  });
  // Radii 3 / 5 / 7 px in the document: areas below ≈ 28 and 79 px at full size, scaled here to the shrunk photo.
  const pores = sizeClass(poreBlobs, 6, 18);
  const blackHeads = sizeClass(blackBlobs, 4, 12);
  const wrinkleShare = share(masks.wrinkle);
  const brownShare = share(masks.brown);
  const surfaceShare = share(masks.surface);
  const poreShare = share(masks.pore);
  const blackShare = share(masks.blackHead);
  const acneShare = share(masks.acne);
  const sensitiveShare = share(masks.sensitive);
  const darkEyeShare = undereyeArea ? count(masks.darkEye) / undereyeArea : 0;
  const darkeyeGrade = darkEyeDiff < 4 ? 0 : darkEyeDiff < 8 ? 1 : darkEyeDiff < 14 ? 2 : 3;

  Object.assign(metrics, {
    blackHeadArea: round(blackShare, 8),
    blackHeadScore: score(blackShare, 20),
    brownSpotArea: round(brownShare, 8),
    brownSpotCount: components(masks.brown, width, 4).length,
    brownSpotScore: score(brownShare, 3),
    darkEyeArea: round(darkEyeShare, 8),
    darkEyeDiffColor: round(darkEyeDiff, 4),
    darkEyeScore: score(darkEyeDiff / 20, 1),
    darkeyeGrade,
    errorType: 200,
    faceDirection: faceDirection(L, width, height, cx, cy, face),
    largeBlackHeads: blackHeads.large,
    largePores: pores.large,
    mediumBlackHeads: blackHeads.medium,
    mediumPores: pores.medium,
    poreArea: round(poreShare, 8),
    poreScore: score(poreShare, 4),
    redAcneArea: round(acneShare, 8),
    redAcneCount: acneSpots.length,
    redAcneScore: score(acneShare, 10),
    sensitiveAreaArea: round(sensitiveShare, 8),
    sensitiveAreaCount: components(masks.sensitive, width, 4).length,
    sensitiveAreaScore: score(sensitiveShare, 4),
    smallBlackHeads: blackHeads.small,
    smallPores: pores.small,
    surfaceSpotArea: round(surfaceShare, 8),
    surfaceSpotCount: components(masks.surface, width, 2).length,
    surfaceSpotScore: score(surfaceShare, 3),
    wrinkleArea: round(wrinkleShare, 8),
    wrinkleScore: score(wrinkleShare, 2),
    wrkArea: wrinklePixels,
    wrkCount: wrinkleLines,
  });
  const mainScores = ['wrinkleScore', 'poreScore', 'blackHeadScore', 'brownSpotScore', 'surfaceSpotScore', 'redAcneScore', 'sensitiveAreaScore', 'darkEyeScore'].map((field) => metrics[field]!);
  metrics.synScore = round(mainScores.reduce((total, v) => total + v, 0) / mainScores.length, 6);
  metrics.synAge = round(16 + (1 - metrics.synScore) * 60, 4);

  return { photo, width, height, skin, a, redExcess, darkWide, masks, acneSpots, metrics };
}

/** -1 right side of the face shown, 1 left, 0 frontal: from the brightness balance of the halves. */
function faceDirection(L: Float32Array, width: number, height: number, cx: number, cy: number, face: number): number {
  let left = 0;
  let right = 0;
  let count = 0;
  for (let y = Math.max(0, Math.round(cy - face / 2)); y < Math.min(height, Math.round(cy + face / 2)); y++) {
    for (let dx = 1; dx < face / 2; dx++) {
      const xl = Math.round(cx - dx);
      const xr = Math.round(cx + dx);
      if (xl < 0 || xr >= width) break;
      left += L[y * width + xl]!;
      right += L[y * width + xr]!;
      count++;
    }
  }
  if (!count) return 0;
  const balance = (left - right) / count;
  return balance > 12 ? -1 : balance < -12 ? 1 : 0;
}

/** Sizes of the 4-connected regions of a mask with at least `minSize` pixels (explicit stack, bounded by n). */
function components(mask: Uint8Array, width: number, minSize: number): number[] {
  const seen = new Uint8Array(mask.length);
  const sizes: number[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    seen[start] = 1;
    stack.push(start);
    let size = 0;
    while (stack.length) {
      const i = stack.pop()!;
      size++;
      const x = i % width;
      const neighbours = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i >= width ? i - width : -1, i < mask.length - width ? i + width : -1];
      for (const j of neighbours) {
        if (j >= 0 && mask[j] && !seen[j]) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    if (size >= minSize) sizes.push(size);
  }
  return sizes;
}

function paintDisc(mask: Uint8Array, width: number, height: number, cx: number, cy: number, r: number): void {
  for (let y = Math.max(0, cy - r); y <= Math.min(height - 1, cy + r); y++) {
    for (let x = Math.max(0, cx - r); x <= Math.min(width - 1, cx + r); x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) mask[y * width + x] = 1;
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

type Colour = readonly [number, number, number];

/** Transparent picture with the mask drawn in one colour (the "result png" pictures). */
function maskPng(analysis: SkinAnalysis, mask: Uint8Array, colour: Colour, alpha = 230): RgbaImage {
  const image = blankImage(analysis.width, analysis.height);
  for (let i = 0; i < mask.length; i++) if (mask[i]) image.data.set([...colour, alpha], i * 4);
  return image;
}

/** The photo with masks blended in (the "_merge" pictures). */
function merged(analysis: SkinAnalysis, layers: Array<[Uint8Array, Colour, number]>): RgbaImage {
  const image = { width: analysis.width, height: analysis.height, data: Uint8Array.from(analysis.photo.data) };
  for (const [mask, colour, opacity] of layers) {
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      for (let c = 0; c < 3; c++) image.data[i * 4 + c] = Math.round(image.data[i * 4 + c]! * (1 - opacity) + colour[c]! * opacity);
    }
  }
  return image;
}

/** A picture computed pixel by pixel; outside the skin it is `outside`. */
function mapped(analysis: SkinAnalysis, pixel: (i: number) => Colour, outside: Colour = [235, 235, 235]): RgbaImage {
  const image = blankImage(analysis.width, analysis.height, [...outside, 255]);
  for (let i = 0; i < analysis.skin.length; i++) if (analysis.skin[i]) image.data.set([...pixel(i), 255], i * 4);
  return image;
}

/** Blue → cyan → yellow → red, for t in 0…1. */
function heat(t: number): Colour {
  const v = clamp(t, 0, 1) * 3;
  if (v < 1) return [0, Math.round(255 * v), 255];
  if (v < 2) return [Math.round(255 * (v - 1)), 255, Math.round(255 * (2 - v))];
  return [255, Math.round(255 * (3 - v)), 0];
}

/** Renders one of the 21 result pictures as the document names it (PNG or JPEG by its extension). */
export function renderSkinImage(analysis: SkinAnalysis, file: SkinImageFile): { bytes: Buffer; contentType: 'image/png' | 'image/jpeg' } {
  const { masks } = analysis;
  const BROWN: Colour = [150, 90, 40];
  const DARK: Colour = [60, 40, 30];
  const RED: Colour = [230, 30, 40];
  const PURPLE: Colour = [120, 50, 160];
  const CYAN: Colour = [0, 200, 220];
  const YELLOW: Colour = [255, 210, 0];
  const redness = (i: number) => clamp((analysis.a[i]! - 2) / 28, 0, 1);
  const images: Record<SkinImageFile, () => RgbaImage> = {
    'BlackHead.png': () => maskPng(analysis, masks.blackHead, [20, 20, 20]),
    'BlackHead_merge.jpg': () => merged(analysis, [[masks.blackHead, YELLOW, 0.8]]),
    'Bloodmap.jpg': () => mapped(analysis, (i) => {
      const t = clamp(analysis.redExcess[i]! / 10, 0, 1);
      return [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))];
    }, [255, 255, 255]),
    'BrownPigmentation.png': () => maskPng(analysis, masks.brown, BROWN, 200),
    'DarkEye.png': () => maskPng(analysis, masks.darkEye, PURPLE, 170),
    'DarkEye_merge.jpg': () => merged(analysis, [[masks.darkEye, PURPLE, 0.45]]),
    'HyperPigmentation_merge.jpg': () => merged(analysis, [[masks.brown, BROWN, 0.5], [masks.surface, DARK, 0.7]]),
    'Pigmentation.png': () => maskPng(analysis, masks.surface, DARK),
    'PigmentationAging.jpg': () => mapped(analysis, (i) => {
      const v = Math.round(255 - clamp(analysis.darkWide[i]! * 12, 0, 255));
      return [v, v, v];
    }),
    'Pigmentation_merge.jpg': () => merged(analysis, [[masks.surface, DARK, 0.7]]),
    'PigmentationSpecial.jpg': () => mapped(analysis, (i) => {
      const t = clamp(analysis.darkWide[i]! / 15, 0, 1);
      return [Math.round(245 - 110 * t), Math.round(225 - 150 * t), Math.round(200 - 170 * t)];
    }),
    'Pore.png': () => maskPng(analysis, masks.pore, CYAN, 200),
    'Pore_merge.jpg': () => merged(analysis, [[masks.pore, CYAN, 0.6]]),
    'RedAcne.png': () => maskPng(analysis, masks.acne, RED),
    'RedAcne_merge.jpg': () => merged(analysis, [[masks.acne, RED, 0.7]]),
    'RedSpotSpecialEffect.png': () => mapped(analysis, (i) => heat(redness(i)), [0, 0, 0]),
    'Redmap.jpg': () => mapped(analysis, (i) => {
      const t = redness(i);
      return [255, Math.round(240 - 200 * t), Math.round(240 - 200 * t)];
    }, [255, 255, 255]),
    'SensitiveArea.png': () => maskPng(analysis, masks.sensitive, RED, 140),
    'SensitiveArea_merge.jpg': () => merged(analysis, [[masks.sensitive, RED, 0.4]]),
    'Wrinkle.png': () => maskPng(analysis, masks.wrinkle, YELLOW),
    'Wrinkle_merge.jpg': () => merged(analysis, [[masks.wrinkle, YELLOW, 0.75]]),
  };
  const image = images[file]();
  return file.endsWith('.png') ? { bytes: encodePng(image), contentType: 'image/png' } : { bytes: encodeJpeg(image, 88), contentType: 'image/jpeg' };
}
