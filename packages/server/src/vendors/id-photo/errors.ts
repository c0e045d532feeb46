/**
 * The one table that turns ID-photo failures into kit codes.
 *
 * The ID-photo API sits behind Huawei Cloud APIG. Its own answers are `{ code, msg, taskNo, data }`
 * with `code` 200 for success and the codes of the document's "公共code返回码说明" otherwise.
 * The gateway in front answers failures of its own with `{ error_msg, error_code: 'APIG.xxxx',
 * request_id }` and an HTTP status (401 for a bad signature), and fronting proxies add plain-text
 * 413 and HTML 5xx pages.
 */
import type { KitCode } from '../../../../core/src/shared/index.js';
import { EndpointError, type VendorInfo } from '../../endpoint-error.js';
import { codeForHttpStatus } from '../face-platform/errors.js';
import { excerpt } from '../http.js';

export const ID_PHOTO = 'id-photo';

export interface VendorCodeRow {
  kit: KitCode;
  /** The document's description of the code, used when the answer carries no `msg`. */
  message: string;
}

/** Every return code of the document, in its order. */
export const ID_PHOTO_CODES: Readonly<Record<string, VendorCodeRow>> = {
  '200': { kit: 'OK', message: '成功' },
  // "照片处理失败": the vendor could not process the picture it was given.
  '201': { kit: 'BAD_IMAGE', message: '照片处理失败,错误见具体描述' },
  '202': { kit: 'NO_FACE', message: '人脸检测失败,错误见具体描述' },
  // "照片找不到": the `url` could not be fetched by the vendor.
  '203': { kit: 'IMAGE_UNREACHABLE', message: '照片找不到,错误见具体描述' },
  '204': { kit: 'IMAGE_TOO_LARGE', message: '图片尺寸过大，最大边长为2500像素' },
  '205': { kit: 'NO_FACE', message: '图片中找不到人脸' },
  '206': { kit: 'HEAD_NOT_FOUND', message: '图片中找不到人的头部信息' },
  // The endpoint checks `spec` against the catalogue first, so this means the catalogue and the vendor disagree.
  '207': { kit: 'BAD_REQUEST', message: '证件照规格不存在' },
  '208': { kit: 'CONTENT_REJECTED', message: '内容涉嫌违规' },
  // The vendor failed to encode its own output.
  '209': { kit: 'VENDOR_ERROR', message: '图片编码失败' },
  '210': { kit: 'LOW_QUALITY', message: '图片不适合制作证件照' },
  '400': { kit: 'BAD_REQUEST', message: '参数错误' },
  '500': { kit: 'VENDOR_UNAVAILABLE', message: '服务商维护，请稍候再试' },
  '501': { kit: 'VENDOR_UNAVAILABLE', message: '官方数据源维护，请稍候再试' },
  '999': { kit: 'VENDOR_ERROR', message: '其他，以实际返回为准' },
};

/**
 * APIG's own error codes that say more than their HTTP status (Huawei Cloud APIG error code
 * table). Others fall back to the status.
 */
export const APIG_CODES: Readonly<Record<string, KitCode>> = {
  // IAM / app authentication failed (bad signature, unknown AppKey, expired X-Sdk-Date).
  'APIG.0301': 'VENDOR_AUTH',
  'APIG.0303': 'VENDOR_AUTH',
  // The app is not authorised for this API (e.g. the market subscription lapsed).
  'APIG.0304': 'VENDOR_AUTH',
  'APIG.0308': 'RATE_LIMITED',
  // API not found or not published: the configured URL is wrong.
  'APIG.0101': 'VENDOR_ERROR',
  'APIG.0202': 'VENDOR_UNAVAILABLE',
  'APIG.0203': 'VENDOR_TIMEOUT',
};

export type IdPhotoFailure =
  | { kind: 'timeout'; detail: string }
  | { kind: 'network'; detail: string }
  /** A non-2xx answer: APIG's error JSON, a proxy page, or the service's own JSON. */
  | { kind: 'http'; status: number; apigCode?: string; code?: string; message?: string; body?: string }
  /** HTTP 2xx with `code` other than 200. */
  | { kind: 'business'; code: string; message?: string }
  /** HTTP 2xx whose body is not the documented JSON. */
  | { kind: 'malformed'; status: number; body: string };

export function mapIdPhotoFailure(failure: IdPhotoFailure): { code: KitCode; vendor: VendorInfo } {
  switch (failure.kind) {
    case 'timeout':
      return { code: 'VENDOR_TIMEOUT', vendor: { name: ID_PHOTO, code: 'timeout', message: failure.detail } };
    case 'network':
      return { code: 'VENDOR_UNAVAILABLE', vendor: { name: ID_PHOTO, code: 'unreachable', message: failure.detail } };
    case 'malformed':
      return { code: 'VENDOR_ERROR', vendor: { name: ID_PHOTO, code: 'malformed', message: excerpt(failure.body) || `empty HTTP ${failure.status} answer` } };
    case 'business': {
      const row = ID_PHOTO_CODES[failure.code];
      // A 2xx answer that says 200 was handled by the caller; "OK" here would hide a failure.
      const code = row && row.kit !== 'OK' ? row.kit : 'VENDOR_ERROR';
      return { code, vendor: { name: ID_PHOTO, code: failure.code, message: failure.message || row?.message || `code ${failure.code}` } };
    }
    case 'http': {
      const byApig = failure.apigCode ? APIG_CODES[failure.apigCode] : undefined;
      const byCode = failure.code ? ID_PHOTO_CODES[failure.code]?.kit : undefined;
      const code = byApig ?? (byCode && byCode !== 'OK' ? byCode : codeForHttpStatus(failure.status));
      const message = failure.message ?? (excerpt(failure.body ?? '') || `HTTP ${failure.status}`);
      return { code, vendor: { name: ID_PHOTO, code: failure.apigCode ?? failure.code ?? `HTTP ${failure.status}`, message } };
    }
  }
}

export function idPhotoError(failure: IdPhotoFailure): EndpointError {
  const { code, vendor } = mapIdPhotoFailure(failure);
  return new EndpointError(code, { vendor });
}
