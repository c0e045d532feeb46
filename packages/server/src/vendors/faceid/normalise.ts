/**
 * FaceID answers → the kit's liveness data, which `<liveness-check>` renders.
 *
 * The threshold check: get_result gives, per comparison, a `confidence` (0–100) and `thresholds`
 * for false-accept rates 1e-3…1e-6. `security_level` names one of them (第1步 参数):
 *   1 宽松 → 1e-3, 2 标准 (default) → 1e-4, 3 严格 → 1e-5, 4 非常严格 → 1e-6.
 * `passed` needs both the vendor's SUCCESS (1000) and the decisive comparison (the authority
 * photo `idcard`, else `ref1`, else `ref2`) at or above the threshold of the level: the stricter
 * word wins, so a SUCCESS below the threshold reads as not-same-person.
 */
import type { KitCode } from '../../../../core/src/shared/index.js';
import {
  faceIdError,
  faceIdFallbackRule,
  faceIdResultRule,
  faceIdSdkRule,
  type FaceIdResultRule,
  type LivenessAttack,
  type LivenessVerdict,
} from './errors.js';
import { isRecord, type FaceIdJson } from './client.js';

export type ThresholdKey = '1e-3' | '1e-4' | '1e-5' | '1e-6';
export type SecurityLevel = 1 | 2 | 3 | 4;
export type Thresholds = Record<ThresholdKey, number>;

export const DEFAULT_SECURITY_LEVEL: SecurityLevel = 2;
export const THRESHOLD_OF_LEVEL: Readonly<Record<SecurityLevel, ThresholdKey>> = { 1: '1e-3', 2: '1e-4', 3: '1e-5', 4: '1e-6' };
const THRESHOLD_KEYS: readonly ThresholdKey[] = ['1e-3', '1e-4', '1e-5', '1e-6'];

export interface Comparison {
  /** 0–100: the higher, the likelier one person. */
  confidence: number;
  thresholds: Thresholds | null;
  /** The threshold of the security level, when the vendor gave it. */
  threshold: number | null;
  /** confidence ≥ threshold; null without a threshold. */
  passed: boolean | null;
}

export interface LivenessResult {
  bizToken: string;
  bizNo?: string;
  passed: boolean;
  /** get_result's result_code (1000, 2000, 3000, 4100, 4200, 5000, 6000, 9000). */
  resultCode: number;
  resultMessage: string;
  /** Of the decisive comparison; null when nothing was compared (attack, verbose 0). */
  confidence: number | null;
  thresholds: Thresholds | null;
  securityLevel: SecurityLevel;
  thresholdKey: ThresholdKey;
  threshold: number | null;
  verdict: LivenessVerdict;
  /** `OK` when passed, else why not (NOT_SAME_PERSON, LIVENESS_ATTACK, IDENTITY_MISMATCH, …). */
  reasonCode: KitCode;
  attacks?: LivenessAttack[];
  /** Every comparison the vendor reported: the authority photo and the two reference photos. */
  comparisons: { idcard?: Comparison; ref1?: Comparison; ref2?: Comparison };
  vendorRequestId?: string;
}

export interface LivenessPending {
  bizToken: string;
  bizNo?: string;
  resultCode: number;
  resultMessage: string;
}

export interface LivenessVerifyResult {
  bizToken: string;
  /** The vendor's word after the upload; liveness.result adds the threshold check. */
  passed: boolean;
  /** The SDK code (51000 …); null when the endpoint refused the action log before any upload. */
  sdkCode: number | null;
  resultMessage: string;
  verdict: LivenessVerdict;
  reasonCode: KitCode;
  attacks?: LivenessAttack[];
  vendorRequestId?: string;
}

function number(value: unknown): number | null {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

function readThresholds(value: unknown): Thresholds | null {
  if (!isRecord(value)) return null;
  const thresholds = {} as Thresholds;
  for (const key of THRESHOLD_KEYS) {
    const threshold = number(value[key]);
    if (threshold === null) return null;
    thresholds[key] = threshold;
  }
  return thresholds;
}

function readComparison(value: unknown, key: ThresholdKey): Comparison | undefined {
  if (!isRecord(value)) return undefined;
  const confidence = number(value.confidence);
  if (confidence === null) return undefined;
  const thresholds = readThresholds(value.thresholds);
  const threshold = thresholds ? thresholds[key] : null;
  return { confidence, thresholds, threshold, passed: threshold === null ? null : confidence >= threshold };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function ruleOf(resultCode: number, resultMessage: string): FaceIdResultRule {
  return faceIdResultRule(resultCode, resultMessage) ?? faceIdFallbackRule(resultCode, resultMessage);
}

/** get_result → a verdict, or `pending` (9000); `error` outcomes throw. */
export function normaliseResult(json: FaceIdJson, securityLevel: SecurityLevel): { pending: LivenessPending } | { result: LivenessResult } {
  const resultCode = json.result_code as number;
  const resultMessage = String(json.result_message);
  const rule = ruleOf(resultCode, resultMessage);
  const bizToken = text(json.biz_token) ?? '';
  const bizNo = text(json.biz_no);
  if (rule.outcome === 'error') throw faceIdError(rule.kitCode, String(resultCode), resultMessage);
  if (rule.outcome === 'pending') return { pending: { bizToken, ...(bizNo ? { bizNo } : {}), resultCode, resultMessage } };

  const thresholdKey = THRESHOLD_OF_LEVEL[securityLevel];
  const verification = isRecord(json.verification) ? json.verification : {};
  // The document's example puts ref1 beside `verification`, its table inside: read both.
  const comparisons: LivenessResult['comparisons'] = {};
  for (const name of ['idcard', 'ref1', 'ref2'] as const) {
    const comparison = readComparison(verification[name] ?? json[name], thresholdKey);
    if (comparison) comparisons[name] = comparison;
  }
  const decisive = comparisons.idcard ?? comparisons.ref1 ?? comparisons.ref2;

  let verdict = rule.outcome;
  let reasonCode = rule.kitCode;
  if (verdict === 'same-person' && decisive?.passed === false) {
    verdict = 'not-same-person';
    reasonCode = 'NOT_SAME_PERSON';
  }
  const result: LivenessResult = {
    bizToken,
    ...(bizNo ? { bizNo } : {}),
    passed: verdict === 'same-person',
    resultCode,
    resultMessage,
    confidence: decisive?.confidence ?? null,
    thresholds: decisive?.thresholds ?? null,
    securityLevel,
    thresholdKey,
    threshold: decisive?.threshold ?? null,
    verdict,
    reasonCode,
    ...(rule.attack ? { attacks: [rule.attack] } : {}),
    comparisons,
    ...(text(json.request_id) ? { vendorRequestId: text(json.request_id) } : {}),
  };
  return { result };
}

/** The verify route's SDK code → the vendor's verdict; `error` outcomes and HTTP-style SDK codes throw. */
export function normaliseVerify(json: FaceIdJson, bizToken: string): { pending: LivenessPending } | { result: LivenessVerifyResult } {
  const sdkCode = json.result_code as number;
  const resultMessage = String(json.result_message);
  const rule = faceIdSdkRule(sdkCode, resultMessage) ?? (sdkCode > 50_000 ? faceIdFallbackRule(sdkCode - 50_000, resultMessage) : undefined);
  if (!rule) throw faceIdError('VENDOR_ERROR', String(sdkCode), resultMessage);
  // 504xx/505xx: the SDK's copies of the HTTP errors.
  if (rule.source === 'error' || rule.outcome === 'error') throw faceIdError(rule.kitCode, String(sdkCode), resultMessage);
  if (rule.outcome === 'pending') return { pending: { bizToken, resultCode: sdkCode, resultMessage } };
  return {
    result: {
      bizToken: text(json.biz_token) ?? bizToken,
      passed: rule.outcome === 'same-person',
      sdkCode,
      resultMessage,
      verdict: rule.outcome,
      reasonCode: rule.kitCode,
      ...(rule.attack ? { attacks: [rule.attack] } : {}),
      ...(text(json.request_id) ? { vendorRequestId: text(json.request_id) } : {}),
    },
  };
}
