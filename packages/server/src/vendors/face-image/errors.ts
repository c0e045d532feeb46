/**
 * The one table that turns the face-image lookup's codes into kit codes (vendor document
 * `face-image-query-api.txt`, section 错误码). The service answers in an envelope
 * `{ id, code, message, localizedMsg, data }`:
 * - `http` rows: the HTTP status is not 200, and `code` repeats it (500, 503, 403, 401, 400);
 * - `business` rows: HTTP 200 with a `code` other than 200.
 * Some codes carry several messages of different meaning (460 is "iotToken is blank" as well as
 * "request parameter error."): a row with a `message` wins over the code's row without one.
 * Messages are compared case-insensitively from the start, without a trailing full stop.
 */
import type { KitCode } from '../../../../core/src/shared/index.js';

export const FACE_IMAGE = 'face-image';

export interface FaceImageRule {
  where: 'http' | 'business';
  code: number;
  /** The start of the documented message; absent for the code's default. */
  message?: string;
  kitCode: KitCode;
}

const http = (code: number, message: string, kitCode: KitCode): FaceImageRule => ({ where: 'http', code, message, kitCode });
const business = (code: number, kitCode: KitCode, message?: string): FaceImageRule =>
  message === undefined ? { where: 'business', code, kitCode } : { where: 'business', code, message, kitCode };

export const FACE_IMAGE_CODE_TABLE: readonly FaceImageRule[] = [
  http(500, 'Internal Error', 'VENDOR_UNAVAILABLE'),
  http(503, 'Service Unavailable', 'VENDOR_UNAVAILABLE'),
  http(403, 'Request Limited', 'RATE_LIMITED'),
  http(401, 'Empty Signature', 'VENDOR_AUTH'),
  // The endpoint built the envelope, so a format error is ours, not the caller's.
  http(400, 'Request Format Error', 'VENDOR_ERROR'),

  business(20003, 'VENDOR_UNAVAILABLE'), // Find Backend Error
  business(20004, 'VENDOR_UNAVAILABLE'), // Backend Service Error
  business(20055, 'VENDOR_ERROR'), // Backend Service Invalid / Request Format Error
  business(20056, 'VENDOR_TIMEOUT'), // Hsf Invoke Timeout
  business(401, 'VENDOR_AUTH'), // Request Authorized Error
  business(403, 'VENDOR_AUTH'), // request forbidden (请求被禁止 / 访问被禁止)
  business(500, 'VENDOR_UNAVAILABLE'), // Server Error / server error. (服务端异常)
  business(2459, 'VENDOR_AUTH'), // oa error message: 会话Id不存在 (the vendor-side session)
  business(460, 'VENDOR_AUTH', 'iotToken is blank'),
  business(460, 'NOT_FOUND', 'dingdingbind employee not exist'),
  business(460, 'BAD_REQUEST', 'pageSize should between'),
  // "identityId is blank": 冻结的账号不存在, the account is unknown.
  business(460, 'NOT_FOUND', 'identityId is blank'),
  business(460, 'BAD_REQUEST', 'identityIds need between'),
  business(460, 'BAD_REQUEST'), // request parameter error. (入参错误 / 请求参数异常)
  business(2402, 'VENDOR_AUTH'), // iottoken invalid
  business(2453, 'VENDOR_AUTH'), // app not exist: appkey不存在
  business(2405, 'NOT_FOUND'), // identity is not existed
  business(2407, 'NOT_FOUND'), // auth identity exception (不存在相应的openId) / openId invalid
  business(2442, 'NOT_FOUND'), // employee is not exist
  business(20008, 'VENDOR_AUTH'), // token invalid
  business(3001, 'VENDOR_AUTH'), // role not exist: our app lacks the role
  business(3000, 'VENDOR_AUTH'), // permission not exist
  business(3002, 'NOT_FOUND'), // resource not exist
];

const comparable = (text: string) => text.trim().replace(/\.$/, '').toLowerCase();

/** The rule of one answer; undefined when the document lists neither the message nor the code. */
export function faceImageRule(where: FaceImageRule['where'], code: number, message = ''): FaceImageRule | undefined {
  const said = comparable(message);
  const ofCode = FACE_IMAGE_CODE_TABLE.filter((rule) => rule.where === where && rule.code === code);
  const byMessage = ofCode.find((rule) => rule.message !== undefined && said.startsWith(comparable(rule.message)));
  if (byMessage) return byMessage;
  // HTTP rows are one per status: the status alone decides.
  return ofCode.find((rule) => rule.message === undefined) ?? (where === 'http' ? ofCode[0] : undefined);
}
