/**
 * `idPhoto.make`: the ID-photo maker (vendor document `id-photo-api.txt`). Every parameter of the
 * document is accepted under its own name and checked as the document says, so a bad value is a
 * 400 naming the field before the billable call; see the package README for the choices made
 * where the document gives no bound.
 */
import { findSpec, ID_PHOTO_COLORS, type IdPhotoSpec } from '../../../core/src/shared/index.js';
import { EndpointError } from '../endpoint-error.js';
import type { IdPhotoClient } from '../vendors/id-photo/client.js';
import { ID_PHOTO } from '../vendors/id-photo/errors.js';
import { normaliseIdPhoto } from '../vendors/id-photo/normalise.js';
import { defineOp, type RegisteredOp } from './types.js';
import { fieldError, requiredImage } from './validate.js';

/** The spec value the document reserves for a custom `size`. */
export const CUSTOM_SIZE_SPEC = '12';
/** "图片尺寸过大，最大边长为2500像素" (code 204), checked before the call. */
export const MAX_SOURCE_SIDE_PX = 2500;
/** Base64 text of the photo; the endpoint's body limit (8 MB) bounds it further. */
export const MAX_ID_PHOTO_BASE64_CHARS = 6 * 1024 * 1024;
const MAX_URL_CHARS = 2048;
/** Bounds the document does not give, chosen as sane for ID photos (README). */
const SIZE_RANGE_PX = { min: 10, max: MAX_SOURCE_SIDE_PX };
const DPI_RANGE = { min: 50, max: 1200 };
const MAX_FILE_SIZE_KB = 10 * 1024;

export interface IdPhotoParams {
  /** Bare base64 of the photo; wins over `url` ("优先级：base64 > url"). */
  base64?: string;
  url?: string;
  spec?: IdPhotoSpec;
  /** True for spec "12" with `size`. */
  customSize?: { width: number; height: number };
  bgColor?: string;
  beautyDegree?: number;
  fileSize?: { min: number; max: number };
  dpi?: number;
  faceRatio?: number;
  faceCenterRange?: number;
  topEmpty?: { min: number; max: number };
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** A number given as a JSON number or as its decimal text (the document types several as String). */
function numberField(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field];
  if (!present(value)) return undefined;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(parsed)) throw fieldError(field, 'must be a number');
  return parsed;
}

function textField(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (!present(value)) return undefined;
  if (typeof value !== 'string') throw fieldError(field, 'must be a string');
  return value.trim();
}

/** "min,max" of two non-negative integers, as `fileSize` and `topEmpty` are written. */
function pairField(body: Record<string, unknown>, field: string, unit: string): { min: number; max: number } | undefined {
  const text = textField(body, field);
  if (text === undefined) return undefined;
  const match = /^(\d+)\s*,\s*(\d+)$/.exec(text);
  if (!match) throw fieldError(field, `must be "min,max" in ${unit}, e.g. "10,30"`);
  return { min: Number(match[1]), max: Number(match[2]) };
}

export function validateIdPhoto(body: Record<string, unknown>): IdPhotoParams {
  const params: IdPhotoParams = {};

  // "base64、url 必须提供一个，优先级：base64 > url": with both, only base64 is sent.
  if (present(body.base64)) {
    // The header's size is checked too, so a picture the vendor refuses (204) costs no call.
    params.base64 = requiredImage(body, 'base64', MAX_ID_PHOTO_BASE64_CHARS, { maxSidePx: MAX_SOURCE_SIDE_PX });
  } else if (present(body.url)) {
    const url = textField(body, 'url')!;
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw fieldError('url', 'must be an absolute http(s) URL');
    if (url.length > MAX_URL_CHARS) throw fieldError('url', `longer than ${MAX_URL_CHARS} characters`);
    params.url = url;
  } else {
    throw fieldError('base64', 'base64 or url is required');
  }

  const specText = textField(body, 'spec');
  const sizeText = textField(body, 'size');
  if (specText !== undefined && specText !== CUSTOM_SIZE_SPEC) {
    params.spec = findSpec(specText);
    if (!params.spec) throw fieldError('spec', `unknown spec "${specText}"; use an id of the spec catalogue or "${CUSTOM_SIZE_SPEC}" with size`);
  }
  // "使用本参数的同时，需要将spec设置为"12"".
  if (sizeText !== undefined) {
    if (specText !== CUSTOM_SIZE_SPEC) throw fieldError('size', `requires spec "${CUSTOM_SIZE_SPEC}"`);
    const match = /^(\d+)x(\d+)$/.exec(sizeText);
    if (!match) throw fieldError('size', 'must be "widthxheight" with a lower-case x, e.g. "480x640"');
    const width = Number(match[1]);
    const height = Number(match[2]);
    if ([width, height].some((side) => side < SIZE_RANGE_PX.min || side > SIZE_RANGE_PX.max)) {
      throw fieldError('size', `each side must be ${SIZE_RANGE_PX.min}…${SIZE_RANGE_PX.max} px`);
    }
    params.customSize = { width, height };
  } else if (specText === CUSTOM_SIZE_SPEC) {
    throw fieldError('size', `required when spec is "${CUSTOM_SIZE_SPEC}"`);
  }

  const bgColor = textField(body, 'bgColor');
  if (bgColor !== undefined) {
    if (/^#[0-9a-f]{6}$/i.test(bgColor)) params.bgColor = bgColor.toUpperCase();
    else if ((ID_PHOTO_COLORS as readonly string[]).includes(bgColor)) {
      // "见spec及bgColor参考": each spec lists the colours it is made in.
      if (params.spec && !(params.spec.colors as readonly string[]).includes(bgColor)) {
        throw fieldError('bgColor', `"${bgColor}" is not offered for spec ${params.spec.id} (${params.spec.colors.join(', ')})`);
      }
      params.bgColor = bgColor;
    } else throw fieldError('bgColor', `must be one of ${ID_PHOTO_COLORS.join(', ')} or #RRGGBB`);
  }

  // "取值范围[1.0-5.0]，超出范围后的值无效": refused here rather than silently ignored by the vendor.
  const beautyDegree = numberField(body, 'beautyDegree');
  if (beautyDegree !== undefined) {
    if (beautyDegree < 1 || beautyDegree > 5) throw fieldError('beautyDegree', 'must be 1.0…5.0');
    params.beautyDegree = beautyDegree;
  }

  const fileSize = pairField(body, 'fileSize', 'KB');
  if (fileSize) {
    if (fileSize.max <= fileSize.min) throw fieldError('fileSize', 'max must be greater than min');
    if (fileSize.max > MAX_FILE_SIZE_KB) throw fieldError('fileSize', `max must be at most ${MAX_FILE_SIZE_KB} KB`);
    params.fileSize = fileSize;
  }

  const dpi = numberField(body, 'dpi');
  if (dpi !== undefined) {
    if (!Number.isInteger(dpi) || dpi < DPI_RANGE.min || dpi > DPI_RANGE.max) throw fieldError('dpi', `must be an integer ${DPI_RANGE.min}…${DPI_RANGE.max}`);
    params.dpi = dpi;
  }

  // "取值范围（0-1.0）": both ends are degenerate (no face, or a face filling the photo), so open.
  for (const field of ['faceRatio', 'faceCenterRange'] as const) {
    const value = numberField(body, field);
    if (value === undefined) continue;
    if (!(value > 0 && value < 1)) throw fieldError(field, 'must be between 0 and 1 (exclusive)');
    params[field] = value;
  }

  // "不能两个值都设置为0，最大值必须大于最小值，最大值不能大于等于证件照的高度".
  const topEmpty = pairField(body, 'topEmpty', 'px');
  if (topEmpty) {
    if (topEmpty.min === 0 && topEmpty.max === 0) throw fieldError('topEmpty', 'min and max cannot both be 0');
    if (topEmpty.max <= topEmpty.min) throw fieldError('topEmpty', 'max must be greater than min');
    const photoHeight = params.customSize?.height ?? params.spec?.heightPx;
    if (photoHeight !== undefined && topEmpty.max >= photoHeight) throw fieldError('topEmpty', `max must be less than the photo height (${photoHeight} px)`);
    params.topEmpty = topEmpty;
  }
  return params;
}

/** The document's parameters as the form fields sent. */
export function idPhotoVendorParams(params: IdPhotoParams): Record<string, string> {
  const form: Record<string, string> = {};
  if (params.base64) form.base64 = params.base64;
  else if (params.url) form.url = params.url;
  if (params.customSize) {
    form.spec = CUSTOM_SIZE_SPEC;
    form.size = `${params.customSize.width}x${params.customSize.height}`;
  } else if (params.spec) form.spec = params.spec.vendorSpec;
  if (params.bgColor) form.bgColor = params.bgColor;
  if (params.beautyDegree !== undefined) form.beautyDegree = params.beautyDegree.toFixed(1);
  if (params.fileSize) form.fileSize = `${params.fileSize.min},${params.fileSize.max}`;
  if (params.dpi !== undefined) form.dpi = String(params.dpi);
  if (params.faceRatio !== undefined) form.faceRatio = String(params.faceRatio);
  if (params.faceCenterRange !== undefined) form.faceCenterRange = String(params.faceCenterRange);
  if (params.topEmpty) form.topEmpty = `${params.topEmpty.min},${params.topEmpty.max}`;
  return form;
}

export function createIdPhotoOps(client: IdPhotoClient | undefined): RegisteredOp[] {
  const make = defineOp<IdPhotoParams>({
    name: 'idPhoto.make',
    vendor: ID_PHOTO,
    billable: true,
    validate: validateIdPhoto,
    async run(params, context) {
      if (!client) {
        throw new EndpointError('VENDOR_UNAVAILABLE', { vendor: { name: ID_PHOTO, code: 'not-configured', message: 'no ID-photo API URL is configured' } });
      }
      const answer = await client.make(idPhotoVendorParams(params));
      const data = await normaliseIdPhoto(
        answer,
        {
          specId: params.customSize ? CUSTOM_SIZE_SPEC : (params.spec?.id ?? null),
          specTitle: params.spec?.title,
          specDpi: params.spec?.dpi,
          color: params.bgColor ?? null,
          dpi: params.dpi,
          expectedSize: params.customSize ?? (params.spec ? { width: params.spec.widthPx, height: params.spec.heightPx } : undefined),
        },
        (url) => context.linkImage(ID_PHOTO, url),
        (result) => client.resolveResultUrl(result),
      );
      return { data };
    },
  });
  return [make];
}
