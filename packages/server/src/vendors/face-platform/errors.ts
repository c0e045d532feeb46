/**
 * The one table that turns face-platform failures into kit codes.
 *
 * The platform answers business errors with HTTP 200 and `{ flag: false, message }`, where the
 * message is the only reliable signal (the `resultCode` is 1 for everything). Section 9 answers
 * `{ error_code, error_msg }` instead; its `error_msg` goes through the same rules. Gateways and the
 * Spring error page add HTTP failures: `{ timestamp, status, error, message, path }`, nginx
 * plain text, or nothing at all. Rules are tried in order; the first match wins.
 */
import type { KitCode } from '../../../../core/src/shared/index.js';
import { EndpointError, type VendorInfo } from '../../endpoint-error.js';
import { excerpt } from '../http.js';

export const FACE_PLATFORM = 'face-platform';

export type FacePlatformFailure =
  /** No answer in time. */
  | { kind: 'timeout'; detail: string }
  /** Connection refused, reset or unresolvable host. */
  | { kind: 'network'; detail: string }
  /** A non-2xx answer; `message` when the body had one (Spring error JSON or flag=false JSON). */
  | { kind: 'http'; status: number; message?: string; resultCode?: string; body?: string; retryAfterMs?: number }
  /** HTTP 2xx with `flag: false`. */
  | { kind: 'business'; message: string; resultCode?: string }
  /** HTTP 2xx whose body is not the documented JSON. */
  | { kind: 'malformed'; status: number; body: string };

interface MessageRule {
  pattern: RegExp;
  code: KitCode;
}

/** Vendor messages, most specific first. Examples are quoted from the platform's documentation. */
export const FACE_PLATFORM_MESSAGE_RULES: readonly MessageRule[] = [
  // Missing or wrong `token` header.
  { pattern: /token/i, code: 'VENDOR_AUTH' },
  { pattern: /未授权|无权限|鉴权|授权已?(过期|到期)|unauthori[sz]ed|forbidden/i, code: 'VENDOR_AUTH' },
  { pattern: /配额|次数.{0,6}(上限|用尽|超|不足)|quota/i, code: 'VENDOR_QUOTA' },
  { pattern: /频繁|too many requests|rate limit/i, code: 'RATE_LIMITED' },
  { pattern: /不(能|得)超过\s*2\s*M|图片.{0,4}(过大|太大)|too large/i, code: 'IMAGE_TOO_LARGE' },
  // "Base64编码错误或图片原始数据错误或特征图片都为空": the bytes are not a readable picture.
  { pattern: /Base64编码错误|图片原始数据错误|特征图片都为空|图片格式/i, code: 'BAD_IMAGE' },
  // "80018,extract feature decode pictrue! get feature failed": the picture was read (the endpoint
  // checks the format before calling) but no face feature could be extracted from it.
  { pattern: /^\s*80018\b|extract feature|get feature failed/i, code: 'NO_FACE' },
  { pattern: /多张人脸|多个人脸|multiple faces/i, code: 'MANY_FACES' },
  { pattern: /未检测到人脸|没有人脸|no face/i, code: 'NO_FACE' },
  { pattern: /质量不合格|low quality/i, code: 'LOW_QUALITY' },
  // "查询人脸错误,错误信息[record not found]", "…错误信息[人脸不存在]", "该用户不存在"; section 9
  // (华铭考拉, Baidu-style English): "group is not exist", "user is not exist".
  { pattern: /record not found|不存在|not found|\bnot exists?\b/i, code: 'NOT_FOUND' },
  // "当前授权用户已存在", "用户名已存在"; section 9: "group is already exist".
  { pattern: /已存在|already exists?\b/i, code: 'ALREADY_EXISTS' },
  // "人脸识别未通过" (face login).
  { pattern: /识别未通过|未找到匹配|未匹配|no match/i, code: 'NO_MATCH' },
  { pattern: /超时|timed? ?out/i, code: 'VENDOR_TIMEOUT' },
  // "服务端报错", "运行时出错!": the platform failed on its side.
  { pattern: /服务端报错|运行时出错|系统异常|internal server error/i, code: 'VENDOR_ERROR' },
];

/** HTTP statuses, used when the message says nothing more specific. */
export function codeForHttpStatus(status: number): KitCode {
  if (status === 401 || status === 403) return 'VENDOR_AUTH';
  if (status === 408 || status === 504) return 'VENDOR_TIMEOUT';
  if (status === 413) return 'IMAGE_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'VENDOR_UNAVAILABLE';
  return 'VENDOR_ERROR';
}

export function codeForMessage(message: string | undefined): KitCode | undefined {
  if (!message) return undefined;
  return FACE_PLATFORM_MESSAGE_RULES.find((rule) => rule.pattern.test(message))?.code;
}

export function mapFacePlatformFailure(failure: FacePlatformFailure): { code: KitCode; vendor: VendorInfo } {
  switch (failure.kind) {
    case 'timeout':
      return { code: 'VENDOR_TIMEOUT', vendor: { name: FACE_PLATFORM, code: 'timeout', message: failure.detail } };
    case 'network':
      return { code: 'VENDOR_UNAVAILABLE', vendor: { name: FACE_PLATFORM, code: 'unreachable', message: failure.detail } };
    case 'malformed':
      return { code: 'VENDOR_ERROR', vendor: { name: FACE_PLATFORM, code: 'malformed', message: excerpt(failure.body) || `empty HTTP ${failure.status} answer` } };
    case 'business': {
      const code = codeForMessage(failure.message) ?? 'VENDOR_ERROR';
      return { code, vendor: { name: FACE_PLATFORM, code: vendorCode(failure.message, failure.resultCode), message: failure.message } };
    }
    case 'http': {
      const byMessage = codeForMessage(failure.message);
      // A generic "server error" message adds nothing to the status, which tells whether to retry.
      const code = byMessage && byMessage !== 'VENDOR_ERROR' ? byMessage : codeForHttpStatus(failure.status);
      const message = failure.message ?? (excerpt(failure.body ?? '') || `HTTP ${failure.status}`);
      return { code, vendor: { name: FACE_PLATFORM, code: `HTTP ${failure.status}`, message } };
    }
  }
}

export function facePlatformError(failure: FacePlatformFailure): EndpointError {
  const { code, vendor } = mapFacePlatformFailure(failure);
  return new EndpointError(code, { vendor, retryAfterMs: failure.kind === 'http' ? failure.retryAfterMs : undefined });
}

/** The platform puts numeric codes at the start of some messages ("80018,…"). */
function vendorCode(message: string, resultCode: string | undefined): string {
  const leading = /^\s*(\d{3,})\s*[,，:]/.exec(message);
  if (leading) return leading[1];
  return resultCode ?? 'flag=false';
}
