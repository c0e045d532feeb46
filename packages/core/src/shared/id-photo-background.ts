/**
 * The background colours of ID photos, by the vendor's `bgColor` names. Pure data and maths.
 *
 * Plain colours are the values Chinese ID-photo services and print shops use: white #FFFFFF,
 * "证件照蓝" #438EDB, "证件照红" #FF0000. blue_grey is a greyed blue (#6F8FAF) for the specs that
 * offer it next to blue.
 *
 * `*_gradual` (渐变) is a vertical gradient, as photo studios shoot it: the base colour at the top,
 * fading linearly to a light tint at the bottom (the base mixed 60 % towards white). Most of the
 * lower part is covered by the shoulders, so the visible change is around the head.
 */
import type { IdPhotoColor } from './id-photo-specs.js';

export type Rgb = readonly [number, number, number];

/** Share of white in the tint at the bottom of a `*_gradual` background. */
export const GRADUAL_TINT = 0.6;

const WHITE: Rgb = [255, 255, 255];

/** Base colour of each name (the top colour of a gradient). */
export const ID_PHOTO_RGB: Record<IdPhotoColor, Rgb> = {
  white: WHITE,
  blue: [0x43, 0x8e, 0xdb],
  red: [0xff, 0x00, 0x00],
  blue_grey: [0x6f, 0x8f, 0xaf],
  blue_gradual: [0x43, 0x8e, 0xdb],
  gray_gradual: [0x80, 0x80, 0x80],
  red_gradual: [0xff, 0x00, 0x00],
};

export function isGradual(color: IdPhotoColor): boolean {
  return color.endsWith('_gradual');
}

/** The background colour of row `y` (0 = top) of a photo `height` rows tall. */
export function backgroundAt(color: IdPhotoColor, y: number, height: number): Rgb {
  const base = ID_PHOTO_RGB[color];
  if (!isGradual(color) || height <= 1) return base;
  const t = GRADUAL_TINT * Math.min(1, Math.max(0, y / (height - 1)));
  return [base[0] + (WHITE[0] - base[0]) * t, base[1] + (WHITE[1] - base[1]) * t, base[2] + (WHITE[2] - base[2]) * t];
}

/** The background of every row, as 0…255 floats: rows × [r, g, b]. */
export function backgroundRows(color: IdPhotoColor, height: number): Float32Array {
  const rows = new Float32Array(height * 3);
  for (let y = 0; y < height; y++) rows.set(backgroundAt(color, y, height), y * 3);
  return rows;
}

/** A CSS colour string, for canvas fills. */
export function cssRgb(rgb: Rgb): string {
  return `rgb(${rgb.map((channel) => Math.round(channel)).join(',')})`;
}
