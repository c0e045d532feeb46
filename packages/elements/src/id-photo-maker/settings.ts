/**
 * `<id-photo-maker>`'s settings: its attributes resolved into the spec, the colour and the
 * parameters of the vendor document (seeds/id-photo-api.txt), for the device engine
 * (`IdPhotoRequest`) and for the endpoint's `idPhoto.make` alike. Pure functions, no DOM.
 */
import {
  ID_PHOTO_COLORS,
  IdPhotoParamError,
  findSpec,
  validateFramingParams,
  type IdPhotoColor,
  type IdPhotoRequest,
  type IdPhotoSpec,
  type Lang,
  type PrintPaper,
} from '@facekit/core';

/** Where the photo is made: on the device, by the vendor through the endpoint, or device unless it cannot run. */
export type IdPhotoProcessing = 'device' | 'vendor' | 'auto';

/** The `spec` value the vendor document reserves for a custom `size`. */
export const CUSTOM_SPEC_ID = '12';
export const PAPERS: readonly PrintPaper[] = ['6in', '5in', 'a4'];
/** Bounds of the endpoint's checks (packages/server/src/ops/id-photo.ts), so a bad value costs no call. */
const SIZE_RANGE_PX = { min: 10, max: 2500 };
const DPI_RANGE = { min: 50, max: 1200 };
const MAX_FILE_SIZE_KB = 10 * 1024;

/** A setting that cannot be used: the attribute's name and the form it expects. */
export class SettingError extends Error {
  constructor(
    readonly attribute: string,
    readonly expected: string,
  ) {
    super(`${attribute}: expected ${expected}`);
    this.name = 'SettingError';
  }
}

export interface SettingsInput {
  spec: string;
  /** "480x640": a custom pixel size (spec "12"); wins over `spec`. */
  size: string;
  dpi: number | null | undefined;
  color: string;
  faceRatio: number | null | undefined;
  faceCenterRange: number | null | undefined;
  /** "min,max" px. */
  topEmpty: string;
  /** "min,max" KB. */
  fileSize: string;
  beautyDegree: number | null | undefined;
}

export interface ResolvedSettings {
  /** The spec as made: the catalogue's (its DPI replaced by `dpi`), or the custom size. */
  spec: IdPhotoSpec;
  /** The catalogue id, or "12" for a custom size. */
  specId: string;
  color: IdPhotoColor;
  dpi?: number;
  faceRatio?: number;
  faceCenterRange?: number;
  topEmpty?: [number, number];
  fileSizeKb?: [number, number];
  beautyDegree?: number;
}

const given = (value: number | null | undefined): value is number => value !== null && value !== undefined;

/** "min,max" of two non-negative integers, or null. */
export function parsePair(text: string): [number, number] | null {
  const match = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/** "480x640" (lower-case x, as the document writes it), or null. */
export function parseSize(text: string): { width: number; height: number } | null {
  const match = /^\s*(\d+)x(\d+)\s*$/.exec(text);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : null;
}

/** A spec of a custom pixel size: every colour of the document is offered. */
export function customSpec(size: { width: number; height: number }, dpi = 300): IdPhotoSpec {
  return {
    id: CUSTOM_SPEC_ID,
    title: `${size.width}x${size.height}`,
    vendorSpec: CUSTOM_SPEC_ID,
    unit: 'px',
    widthPx: size.width,
    heightPx: size.height,
    dpi,
    colors: [...ID_PHOTO_COLORS],
  };
}

/** The spec's colour when it offers `color`, else its first colour. */
export function allowedColor(spec: IdPhotoSpec, color: string): IdPhotoColor {
  return (spec.colors as readonly string[]).includes(color) ? (color as IdPhotoColor) : spec.colors[0]!;
}

/** The spec the attributes name (custom size included), or null when `spec` names none. */
export function specOf(input: Pick<SettingsInput, 'spec' | 'size' | 'dpi'>): IdPhotoSpec | null {
  const size = input.size.trim() ? parseSize(input.size) : null;
  if (size) return customSpec(size, given(input.dpi) ? input.dpi : undefined);
  return findSpec(input.spec.trim()) ?? null;
}

/** Checks every setting as the endpoint would; throws SettingError naming the attribute. */
export function resolveSettings(input: SettingsInput): ResolvedSettings {
  let spec: IdPhotoSpec;
  let specId: string;
  if (input.size.trim()) {
    const size = parseSize(input.size);
    if (!size || [size.width, size.height].some((side) => side < SIZE_RANGE_PX.min || side > SIZE_RANGE_PX.max)) {
      throw new SettingError('size', `"480x640", ${SIZE_RANGE_PX.min}–${SIZE_RANGE_PX.max} px`);
    }
    spec = customSpec(size);
    specId = CUSTOM_SPEC_ID;
  } else {
    const found = findSpec(input.spec.trim());
    if (!found) throw new SettingError('spec', 'one-inch, two-inch, us-visa, …');
    spec = found;
    specId = found.id;
  }
  const settings: ResolvedSettings = { spec, specId, color: allowedColor(spec, input.color) };

  if (given(input.dpi)) {
    if (!Number.isInteger(input.dpi) || input.dpi < DPI_RANGE.min || input.dpi > DPI_RANGE.max) {
      throw new SettingError('dpi', `${DPI_RANGE.min}–${DPI_RANGE.max}`);
    }
    settings.dpi = input.dpi;
    settings.spec = { ...spec, dpi: input.dpi };
  }
  for (const [field, attribute] of [
    ['faceRatio', 'face-ratio'],
    ['faceCenterRange', 'face-center-range'],
  ] as const) {
    const value = input[field];
    if (!given(value)) continue;
    if (!(value > 0 && value < 1)) throw new SettingError(attribute, '0 < value < 1');
    settings[field] = value;
  }
  if (input.topEmpty.trim()) {
    const pair = parsePair(input.topEmpty);
    if (!pair) throw new SettingError('top-empty', '"min,max" px');
    try {
      validateFramingParams({ topEmpty: pair, output: { width: spec.widthPx, height: spec.heightPx } });
    } catch (error) {
      if (error instanceof IdPhotoParamError) throw new SettingError('top-empty', `"min,max" px, min < max < ${spec.heightPx}`);
      throw error;
    }
    settings.topEmpty = pair;
  }
  if (input.fileSize.trim()) {
    const pair = parsePair(input.fileSize);
    if (!pair || pair[1] <= pair[0] || pair[1] > MAX_FILE_SIZE_KB) throw new SettingError('file-size', `"min,max" KB, min < max ≤ ${MAX_FILE_SIZE_KB}`);
    settings.fileSizeKb = pair;
  }
  if (given(input.beautyDegree)) {
    if (!(input.beautyDegree >= 1 && input.beautyDegree <= 5)) throw new SettingError('beauty-degree', '1.0–5.0');
    settings.beautyDegree = input.beautyDegree;
  }
  return settings;
}

/** The device engine's request. `beautyDegree` is the vendor's own retouching: not made here. */
export function deviceRequest(settings: ResolvedSettings): IdPhotoRequest {
  const request: IdPhotoRequest = { spec: settings.spec, color: settings.color };
  if (settings.faceRatio !== undefined) request.faceRatio = settings.faceRatio;
  if (settings.faceCenterRange !== undefined) request.faceCenterRange = settings.faceCenterRange;
  if (settings.topEmpty) request.topEmpty = settings.topEmpty;
  if (settings.fileSizeKb) request.fileSizeKb = settings.fileSizeKb;
  return request;
}

/**
 * The body of `idPhoto.make`, every parameter of the document under its own name. The spec's DPI
 * and KB range are sent too (the vendor receives only its size text and would use its defaults).
 */
export function vendorBody(settings: ResolvedSettings, base64: string): Record<string, string | number> {
  const { spec } = settings;
  const body: Record<string, string | number> = { base64, spec: settings.specId, bgColor: settings.color, dpi: spec.dpi };
  if (settings.specId === CUSTOM_SPEC_ID) body.size = `${spec.widthPx}x${spec.heightPx}`;
  const kb = settings.fileSizeKb ?? (spec.minKb !== undefined || spec.maxKb !== undefined ? [spec.minKb ?? 0, spec.maxKb ?? MAX_FILE_SIZE_KB] : null);
  if (kb) body.fileSize = `${kb[0]},${kb[1]}`;
  if (settings.beautyDegree !== undefined) body.beautyDegree = settings.beautyDegree;
  if (settings.faceRatio !== undefined) body.faceRatio = settings.faceRatio;
  if (settings.faceCenterRange !== undefined) body.faceCenterRange = settings.faceCenterRange;
  if (settings.topEmpty) body.topEmpty = `${settings.topEmpty[0]},${settings.topEmpty[1]}`;
  return body;
}

/**
 * A spec's name for a language: the vendor's (Chinese) title, or in English words from its id
 * (`us-visa` → "Us visa"), as the catalogue has no English titles.
 */
export function specName(spec: IdPhotoSpec, lang: Lang): string {
  if (lang === 'zh-CN' || spec.id === CUSTOM_SPEC_ID) return spec.title;
  const words = spec.id.split('-').map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Words of the catalogue's ids written in capitals in English. */
const ACRONYMS = new Set(['us', 'hk', 'id', 'cet', 'ncre', 'icbc', 'ccb', 'pboc', 'cpa', 'bim', 'hd', 'ab', 'xmu', 'whu', 'zuel']);

/** The KB range of a spec as written, or null. */
export function specKb(spec: IdPhotoSpec): { min: number; max: number } | null {
  if (spec.minKb === undefined && spec.maxKb === undefined) return null;
  return { min: spec.minKb ?? 0, max: spec.maxKb ?? MAX_FILE_SIZE_KB };
}
