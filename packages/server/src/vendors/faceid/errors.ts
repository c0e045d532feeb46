/**
 * The one table that turns FaceID's answers into kit codes (vendor document
 * `faceid-liveness-api.md`): every `result_code`/`result_message` of "Result_code&result_message说明"
 * (get_result), every row of "2.5 SDK 错误码说明" (the verify route, see client.ts), and every
 * ERROR field with its HTTP statuses of "错误码列表" (get_biz_token) and "HTTP状态码和对应的ERROR字段说明"
 * (get_result).
 *
 * A result row also says what it does to the op's answer (`outcome`):
 * - a verdict (`same-person`, `not-same-person`, `attack`, `failed`): an answer about the person,
 *   returned as data with `reasonCode`; the user may start a new check;
 * - `pending`: the check has not finished (IN_PROGRESS, poll again);
 * - `error`: the operator must act (credentials, balance, a stale biz_token): a non-OK envelope.
 *
 * SDK codes are the result codes plus 50000 (51000 = 1000 SUCCESS, 54100 = 4100 …) or an HTTP
 * status plus 50000 (50400 = HTTP 400 MISSING_ARGUMENTS …); 50000 alone is UNKOWN_ERROR (sic).
 */
import type { KitCode } from '../../../../core/src/shared/index.js';
import { EndpointError } from '../../endpoint-error.js';

export const FACEID = 'faceid';

export type LivenessVerdict = 'same-person' | 'not-same-person' | 'attack' | 'failed';
export type FaceIdOutcome = LivenessVerdict | 'pending' | 'error';
/** The kinds of attack the cloud check names (result code 4100). */
export type LivenessAttack = 'fake-face' | 'replaced-face';

export interface FaceIdResultRule {
  source: 'result';
  /** get_result's result_code (1000…9000); 0 for the SDK-only UNKOWN_ERROR (50000). */
  resultCode: number;
  resultMessage: string;
  kitCode: KitCode;
  outcome: FaceIdOutcome;
  attack?: LivenessAttack;
  /** Listed among the SDK codes only (section 2.5), never answered by get_result. */
  sdkOnly?: true;
}

export interface FaceIdErrorRule {
  source: 'error';
  /** The ERROR field up to its `:` (`BAD_ARGUMENTS:biz_token` → `BAD_ARGUMENTS`), or the plain-text 413 body. */
  error: string;
  /** HTTP statuses the document lists for it (the two error tables disagree on some). */
  httpStatuses: readonly number[];
  kitCode: KitCode;
  /** Only when the text after `:` matches (the argument or the reason). */
  detail?: RegExp;
}

export type FaceIdRule = FaceIdResultRule | FaceIdErrorRule;

const result = (resultCode: number, resultMessage: string, kitCode: KitCode, outcome: FaceIdOutcome, extra: Partial<FaceIdResultRule> = {}): FaceIdResultRule => ({
  source: 'result',
  resultCode,
  resultMessage,
  kitCode,
  outcome,
  ...extra,
});

const error = (name: string, httpStatuses: readonly number[], kitCode: KitCode, detail?: RegExp): FaceIdErrorRule =>
  detail ? { source: 'error', error: name, httpStatuses, kitCode, detail } : { source: 'error', error: name, httpStatuses, kitCode };

export const FACEID_CODE_TABLE: readonly FaceIdRule[] = [
  result(0, 'UNKOWN_ERROR', 'VENDOR_ERROR', 'error', { sdkOnly: true }),
  // 1000/2000: the live photo was compared with the authority photo.
  result(1000, 'SUCCESS', 'OK', 'same-person'),
  result(2000, 'PASS_LIVING_NOT_THE_SAME', 'NOT_SAME_PERSON', 'not-same-person'),
  // 3000: the identity itself could not be checked.
  result(3000, 'NO_ID_CARD_NUMBER', 'IDENTITY_MISMATCH', 'failed'),
  result(3000, 'ID_NUMBER_NAME_NOT_MATCH', 'IDENTITY_MISMATCH', 'failed'),
  result(3000, 'NO_FACE_FOUND', 'REFERENCE_PHOTO_UNUSABLE', 'failed'),
  result(3000, 'NO_ID_PHOTO', 'REFERENCE_PHOTO_UNUSABLE', 'failed'),
  result(3000, 'PHOTO_FORMAT_ERROR', 'REFERENCE_PHOTO_UNUSABLE', 'failed'),
  result(3000, 'DATA_SOURCE_ERROR', 'REFERENCE_PHOTO_UNUSABLE', 'failed'),
  // 4100: the cloud attack check.
  result(4100, 'FAIL_LIVING_FACE_ATTACK', 'LIVENESS_ATTACK', 'attack', { attack: 'fake-face' }),
  result(4100, 'REPLACED_FACE_ATTACK', 'LIVENESS_ATTACK', 'attack', { attack: 'replaced-face' }),
  // 4200: the liveness session failed; a token problem or our credentials are errors.
  result(4200, 'BIZ_TOKEN_DENIED', 'LIVENESS_EXPIRED', 'error'),
  result(4200, 'AUTHENTICATION_FAIL', 'VENDOR_AUTH', 'error'),
  result(4200, 'MOBILE_PHONE_NOT_SUPPORT', 'UNSUPPORTED', 'failed'),
  result(4200, 'SDK_TOO_OLD', 'UNSUPPORTED', 'failed'),
  result(4200, 'MOBILE_PHONE_NO_AUTHORITY', 'CAMERA_DENIED', 'failed'),
  result(4200, 'USER_CANCELLATION', 'ABORTED', 'failed'),
  result(4200, 'USER_TIMEOUT', 'LIVENESS_TIMEOUT', 'failed'),
  result(4200, 'VERIFICATION_FAILURE', 'LIVENESS_FAILED', 'failed'),
  result(4200, 'UNDETECTED_FACE', 'NO_FACE', 'failed'),
  result(4200, 'ACTION_ERROR', 'WRONG_ACTION', 'failed'),
  // 5000: the account and its signing: the operator's to fix.
  result(5000, 'IP_NOT_ALLOWED', 'VENDOR_AUTH', 'error'),
  result(5000, 'NON_ENTERPRISE_CERTIFICATION', 'VENDOR_AUTH', 'error'),
  result(5000, 'BALANCE_NOT_ENOUGH', 'VENDOR_QUOTA', 'error'),
  result(5000, 'MORE_RETRY_TIMES', 'VENDOR_UNAVAILABLE', 'error'),
  result(5000, 'ACCOUNT_DISCONTINUED', 'VENDOR_AUTH', 'error'),
  result(5000, 'EXPIRED_SIGN', 'VENDOR_AUTH', 'error'),
  result(5000, 'INVALID_SIGN', 'VENDOR_AUTH', 'error'),
  result(5000, 'REPLAY_ATTACK', 'VENDOR_AUTH', 'error'),
  // 6000: the capture side (the SDK there, the <liveness-check> element here).
  result(6000, 'USER_CANCEL', 'ABORTED', 'failed'),
  result(6000, 'NO_CAMERA_PERMISSION', 'CAMERA_DENIED', 'failed'),
  result(6000, 'ILLEGAL_PARAMETER', 'BAD_REQUEST', 'error'),
  result(6000, 'DEVICE_NOT_SUPPORT', 'CAMERA_NOT_FOUND', 'failed'),
  result(6000, 'INVALID_BUNDLE_ID', 'VENDOR_AUTH', 'error'),
  result(6000, 'NETWORK_ERROR', 'NETWORK', 'failed'),
  result(6000, 'FACE_INIT_FAIL', 'MODEL_LOAD', 'failed'),
  result(6000, 'LIVENESS_DETECT_FAILED', 'LIVENESS_FAILED', 'failed'),
  result(6000, 'NO_SENSOR_PERMISSION', 'UNSUPPORTED', 'failed'),
  result(6000, 'NO_WRITE_EXTERNAL_STORAGE_PERMISSION', 'UNSUPPORTED', 'failed', { sdkOnly: true }),
  result(6000, 'INIT_FAILED', 'VENDOR_ERROR', 'failed'),
  // 9000: not finished yet, or abandoned.
  result(9000, 'LIVING_NOT_START', 'IN_PROGRESS', 'pending'),
  result(9000, 'LIVING_IN_PROGRESS', 'IN_PROGRESS', 'pending'),
  result(9000, 'LIVING_OVERTIME', 'LIVENESS_TIMEOUT', 'failed'),

  // HTTP errors with an ERROR field. A biz_token the backend no longer knows is a stale session.
  error('MISSING_ARGUMENTS', [400], 'BAD_REQUEST'),
  error('BAD_ARGUMENTS', [400], 'LIVENESS_EXPIRED', /^biz_token$/),
  error('BAD_ARGUMENTS', [400], 'BAD_REQUEST'),
  error('IMAGE_ERROR_UNSUPPORTED_FORMAT', [400], 'BAD_IMAGE'),
  error('NO_FACE_FOUND', [400], 'NO_FACE'),
  // Longer or wider than 4096 px.
  error('INVALID_IMAGE_SIZE', [400], 'IMAGE_TOO_LARGE'),
  error('AUTHENTICATION_ERROR', [403], 'VENDOR_AUTH'),
  // "调用次数超限、没有调用此API的权限…": the reason tells a used-up quota from a missing grant.
  error('AUTHORIZATION_ERROR', [403], 'VENDOR_QUOTA', /limit|exceed|quota|次数|超限|余额|balance/i),
  error('AUTHORIZATION_ERROR', [403], 'VENDOR_AUTH'),
  // 403 in 错误码列表, 429 in the get_result table.
  error('CONCURRENCY_LIMIT_EXCEEDED', [403, 429], 'RATE_LIMITED'),
  error('API_NOT_FOUND', [404], 'VENDOR_ERROR'),
  // Plain text, not JSON: over 20 MB in all, or one photo over 2 MB.
  error('Request Entity Too Large', [413], 'IMAGE_TOO_LARGE'),
  error('INTERNAL_ERROR', [500], 'VENDOR_UNAVAILABLE'),
  error('INVALID_SIGN', [403], 'VENDOR_AUTH'),
];

const RESULT_RULES = FACEID_CODE_TABLE.filter((rule): rule is FaceIdResultRule => rule.source === 'result');
const ERROR_RULES = FACEID_CODE_TABLE.filter((rule): rule is FaceIdErrorRule => rule.source === 'error');
/** Longest names first, so that a name that prefixes another never wins by accident. */
const ERROR_NAMES = [...new Set(ERROR_RULES.map((rule) => rule.error))].sort((a, b) => b.length - a.length);

/** The rule of a get_result answer; undefined when the document does not list it. */
export function faceIdResultRule(resultCode: number, resultMessage: string): FaceIdResultRule | undefined {
  const name = resultMessage.trim().toUpperCase();
  return RESULT_RULES.find((rule) => rule.resultCode === resultCode && rule.resultMessage === name && !rule.sdkOnly);
}

export interface ParsedFaceIdError {
  /** The documented name, e.g. `BAD_ARGUMENTS`. */
  name: string;
  /** What follows it: the argument, image field or reason. */
  detail: string;
}

/**
 * Splits an ERROR field: `BAD_ARGUMENTS:biz_token`, `AUTHORIZATION_ERROR:<reason>`, and the
 * document's `INVALID_IMAGE_SIZE<param>` (no colon) alike.
 */
export function parseFaceIdError(text: string): ParsedFaceIdError | undefined {
  const trimmed = text.trim();
  const name = ERROR_NAMES.find((candidate) => trimmed.toUpperCase().startsWith(candidate.toUpperCase()));
  if (!name) return undefined;
  return { name, detail: trimmed.slice(name.length).replace(/^\s*[:：]?\s*/, '').replace(/^<|>$/g, '') };
}

/** The rule of an ERROR field (the status may narrow a name the tables list twice). */
export function faceIdErrorRule(errorText: string, status?: number): FaceIdErrorRule | undefined {
  const parsed = parseFaceIdError(errorText);
  if (!parsed) return undefined;
  const candidates = ERROR_RULES.filter((rule) => rule.error === parsed.name && (!rule.detail || rule.detail.test(parsed.detail)));
  return candidates.find((rule) => status === undefined || rule.httpStatuses.includes(status)) ?? candidates[0];
}

/** The rule of an SDK code (section 2.5) with its result_message, as the verify route answers. */
export function faceIdSdkRule(sdkCode: number, resultMessage: string): FaceIdRule | undefined {
  const family = sdkCode - 50_000;
  if (family === 0) return RESULT_RULES.find((rule) => rule.resultCode === 0 && rule.resultMessage === resultMessage.trim().toUpperCase());
  if (family >= 1000) {
    const name = resultMessage.trim().toUpperCase();
    return RESULT_RULES.find((rule) => rule.resultCode === family && rule.resultMessage === name);
  }
  const rule = faceIdErrorRule(resultMessage, family);
  return rule && rule.httpStatuses.includes(family) ? rule : undefined;
}

/** Families the document groups by result_code, for a message it does not list (e.g. a newer one). */
export function faceIdFallbackRule(resultCode: number, resultMessage: string): FaceIdResultRule {
  const outcome: FaceIdOutcome =
    resultCode === 1000 ? 'same-person' : resultCode === 2000 ? 'not-same-person' : resultCode === 4100 ? 'attack' : resultCode === 9000 ? 'pending' : resultCode === 5000 || resultCode === 0 ? 'error' : 'failed';
  const kitCode: KitCode =
    outcome === 'same-person' ? 'OK' : outcome === 'not-same-person' ? 'NOT_SAME_PERSON' : outcome === 'attack' ? 'LIVENESS_ATTACK' : outcome === 'pending' ? 'IN_PROGRESS' : resultCode === 3000 ? 'IDENTITY_MISMATCH' : resultCode === 4200 || resultCode === 6000 ? 'LIVENESS_FAILED' : 'VENDOR_ERROR';
  return result(resultCode, resultMessage, kitCode, outcome);
}

/** A rule whose outcome is `error`, or an HTTP error rule, as an EndpointError. */
export function faceIdError(kitCode: KitCode, vendorCode: string, message: string, extra: { data?: unknown; retryAfterMs?: number } = {}): EndpointError {
  return new EndpointError(kitCode, { vendor: { name: FACEID, code: vendorCode, message }, ...extra });
}
