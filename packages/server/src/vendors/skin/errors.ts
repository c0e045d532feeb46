/**
 * The one table that turns skin-analysis failures into kit codes.
 *
 * The service answers `{ code, datas, message, status }` ("S" on success, code 200), business
 * errors included with HTTP 200; its document lists the codes in "错误类型说明". The 1000xx
 * codes come from the OAuth2 side (token endpoint, client and account checks), the 2000xx codes
 * from the analysis API, the 500xx codes from the algorithm (also as `response.errorType`).
 * 200026 is not a failure: the analysis is still running, and the endpoint answers IN_PROGRESS.
 */
import type { KitCode } from '../../../../core/src/shared/index.js';
import { EndpointError, type VendorInfo } from '../../endpoint-error.js';
import { codeForHttpStatus } from '../face-platform/errors.js';
import { excerpt } from '../http.js';

export const SKIN = 'skin';

export interface SkinCodeRow {
  kit: KitCode;
  /** The document's description, used when the answer carries no message. */
  message: string;
}

/** "token失效": the cached token is dropped and the call made once more with a new one. */
export const SKIN_TOKEN_EXPIRED = '200001';
/** "未授权": no or an unknown token; retried once with a new token as well. */
export const SKIN_UNAUTHORISED = '100001';
export const SKIN_IN_PROGRESS = '200026';

/** Every code of the document's "错误类型说明" table, in its order. */
export const SKIN_CODES: Readonly<Record<string, SkinCodeRow>> = {
  '100001': { kit: 'VENDOR_AUTH', message: '未授权' },
  '100002': { kit: 'VENDOR_AUTH', message: 'client应用未授权' },
  '100003': { kit: 'VENDOR_AUTH', message: 'client应用不存在' },
  // "为指定相应类型" (response type not given): a malformed token request, i.e. our configuration.
  '100009': { kit: 'VENDOR_AUTH', message: '为指定相应类型' },
  '100010': { kit: 'VENDOR_AUTH', message: '用户名不存在' },
  '100011': { kit: 'VENDOR_AUTH', message: '账号或密码错误' },
  '100013': { kit: 'VENDOR_AUTH', message: '您的账户已被锁定' },
  '100014': { kit: 'VENDOR_AUTH', message: '您的账户已被禁用' },
  '100015': { kit: 'VENDOR_AUTH', message: '您的证件已过期' },
  '100016': { kit: 'VENDOR_AUTH', message: '无权访问' },
  '100017': { kit: 'VENDOR_QUOTA', message: '您的接口访问次数超越上限(欠费)' },
  // "访问受限制": throttled or restricted for a while; the caller may try again later.
  '100018': { kit: 'RATE_LIMITED', message: '您的访问受限制' },
  '100021': { kit: 'BAD_REQUEST', message: '参数异常' },
  '100100': { kit: 'VENDOR_AUTH', message: 'clientId无效' },
  '100103': { kit: 'VENDOR_AUTH', message: 'grant_type无效' },
  '100104': { kit: 'VENDOR_AUTH', message: 'scope无效' },
  '100106': { kit: 'VENDOR_AUTH', message: '无效请求' },
  '100107': { kit: 'VENDOR_AUTH', message: 'redirect_url无效' },
  '100108': { kit: 'VENDOR_AUTH', message: 'grant_type无效' },
  '200001': { kit: 'VENDOR_AUTH', message: 'token失效' },
  '200004': { kit: 'BAD_REQUEST', message: '参数错误，请验证后重试' },
  // The service failed to copy or store the upload on its side.
  '200015': { kit: 'VENDOR_ERROR', message: '复制图片失败' },
  '200019': { kit: 'VENDOR_UNAVAILABLE', message: '阿里云上传失败' },
  '200020': { kit: 'NOT_FOUND', message: '未找到当前计算任务' },
  '200026': { kit: 'IN_PROGRESS', message: '分析进行中,请稍后查询！' },
  '200027': { kit: 'BAD_IMAGE', message: '输入图像错误！' },
  '300001': { kit: 'VENDOR_AUTH', message: 'client不存在' },
  '300002': { kit: 'VENDOR_ERROR', message: '应用设置失败' },
  '300003': { kit: 'VENDOR_AUTH', message: '您不是OEM客户' },
  // The face was found but could not be divided into skin regions: pose, light or framing.
  '50003': { kit: 'LOW_QUALITY', message: '皮肤分析分区失败' },
  '50004': { kit: 'NO_FACE', message: '未检测到人脸' },
  '50005': { kit: 'VENDOR_ERROR', message: '算法分析失败' },
  '80000': { kit: 'VENDOR_QUOTA', message: '用户报告可用次数不足' },
  '999999': { kit: 'VENDOR_UNAVAILABLE', message: '服务繁忙请稍后重试' },
};

export type SkinFailure =
  | { kind: 'timeout'; detail: string }
  | { kind: 'network'; detail: string }
  | { kind: 'http'; status: number; code?: string; message?: string; body?: string }
  /** HTTP 2xx with a `code` other than 200 (or an `errorType` other than 200). */
  | { kind: 'business'; code: string; message?: string }
  | { kind: 'malformed'; status: number; body: string };

export function mapSkinFailure(failure: SkinFailure): { code: KitCode; vendor: VendorInfo } {
  switch (failure.kind) {
    case 'timeout':
      return { code: 'VENDOR_TIMEOUT', vendor: { name: SKIN, code: 'timeout', message: failure.detail } };
    case 'network':
      return { code: 'VENDOR_UNAVAILABLE', vendor: { name: SKIN, code: 'unreachable', message: failure.detail } };
    case 'malformed':
      return { code: 'VENDOR_ERROR', vendor: { name: SKIN, code: 'malformed', message: excerpt(failure.body) || `empty HTTP ${failure.status} answer` } };
    case 'business': {
      const row = SKIN_CODES[failure.code];
      return { code: row?.kit ?? 'VENDOR_ERROR', vendor: { name: SKIN, code: failure.code, message: failure.message || row?.message || `code ${failure.code}` } };
    }
    case 'http': {
      const byCode = failure.code ? SKIN_CODES[failure.code]?.kit : undefined;
      const code = byCode ?? codeForHttpStatus(failure.status);
      const message = failure.message ?? (excerpt(failure.body ?? '') || `HTTP ${failure.status}`);
      return { code, vendor: { name: SKIN, code: failure.code ?? `HTTP ${failure.status}`, message } };
    }
  }
}

export function skinError(failure: SkinFailure): EndpointError {
  const { code, vendor } = mapSkinFailure(failure);
  return new EndpointError(code, { vendor });
}
