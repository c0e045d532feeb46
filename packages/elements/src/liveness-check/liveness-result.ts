/**
 * `<liveness-check>`'s data: the normalised result it sends as `facekit-result`, the guidance it
 * adds to `facekit-status`, and the pure mappings behind them (device failures and the endpoint's
 * FaceID answers to one verdict, the action log, the on-screen masking of the name).
 */
import {
  LIVENESS_ACTIONS,
  type KitCode,
  type LivenessAction,
  type LivenessFailureCode,
  type LivenessLogEntry,
} from '@facekit/core';

export type LivenessVerdict = 'same-person' | 'not-same-person' | 'attack' | 'failed';
export type LivenessAttack = 'fake-face' | 'replaced-face';
export type ThresholdKey = '1e-3' | '1e-4' | '1e-5' | '1e-6';
export type SecurityLevel = 1 | 2 | 3 | 4;

/** `security_level` → the false-accept rate whose threshold the confidence must reach (FaceID 第1步). */
export const THRESHOLD_OF_LEVEL: Readonly<Record<SecurityLevel, ThresholdKey>> = { 1: '1e-3', 2: '1e-4', 3: '1e-5', 4: '1e-6' };

/**
 * Detail of `<liveness-check>`'s `facekit-result`. It never holds the ID number, the name or any
 * image.
 */
export interface LivenessCheckResult {
  mode: 'liveness';
  /** True only for `same-person`: the live person is the one of the identity (or reference photos). */
  passed: boolean;
  verdict: LivenessVerdict;
  /** Why, as a kit code: `OK`, `NOT_SAME_PERSON`, `LIVENESS_ATTACK`, `IDENTITY_MISMATCH`, `LIVENESS_TIMEOUT`, … */
  reasonCode: KitCode;
  /** The reason in the element's language (the text shown on the result screen). */
  reason: string;
  /**
   * Where the verdict was reached: `device` (the on-device action check failed; nothing billable
   * was called) or `faceid` (the endpoint's FaceID verification).
   */
  stage: 'device' | 'faceid';
  /** The on-device failure (stage `device`). */
  deviceFailure?: LivenessFailureCode;
  /** The actions the session asked for, in order. */
  actions: LivenessAction[];
  /** FaceID's get_result code and message (1000 SUCCESS, 2000 PASS_LIVING_NOT_THE_SAME, 4100 …). */
  resultCode?: number;
  resultMessage?: string;
  /** Confidence 0–100 of the decisive comparison (authority photo, else reference 1, else 2). */
  confidence?: number | null;
  /** The threshold of `securityLevel` that the confidence had to reach, and all four. */
  threshold?: number | null;
  thresholdKey?: ThresholdKey;
  thresholds?: Record<ThresholdKey, number> | null;
  securityLevel?: SecurityLevel;
  attacks?: LivenessAttack[];
  /** The session's biz_token and the site's biz_no, for the site's backend to look the check up. */
  bizToken?: string;
  bizNo?: string;
}

/** `<liveness-check>`'s guidance, added to `facekit-status` while the user performs the actions. */
export interface LivenessStatus {
  /** The action asked for now; null while the face is being found. */
  action: LivenessAction | null;
  /** 1-based step; `steps + 1` for the extra blink asked for when none was seen. */
  step: number;
  steps: number;
  /** Message key of the hint shown (`liveness.*`). */
  hint: string;
}

/** `liveness.start`'s data (packages/server/src/ops/faceid.ts). */
export interface LivenessGrant {
  bizToken: string;
  bizNo?: string;
  actions?: string[];
  livenessTimeout?: number;
  securityLevel?: number;
  thresholdKey?: string;
}

/** `liveness.verify`'s data. `sdkCode` is null when the endpoint refused the log before any upload. */
export interface LivenessVerifyData {
  bizToken?: string;
  passed: boolean;
  sdkCode: number | null;
  resultMessage?: string;
  verdict: LivenessVerdict;
  reasonCode: KitCode;
  attacks?: LivenessAttack[];
}

/** `liveness.result`'s data (the threshold check of the security level is the endpoint's). */
export interface LivenessResultData {
  bizToken?: string;
  bizNo?: string;
  passed: boolean;
  resultCode: number;
  resultMessage: string;
  confidence: number | null;
  thresholds: Record<ThresholdKey, number> | null;
  securityLevel?: number;
  thresholdKey?: string;
  threshold: number | null;
  verdict: LivenessVerdict;
  reasonCode: KitCode;
  attacks?: LivenessAttack[];
}

const VERDICTS: readonly LivenessVerdict[] = ['same-person', 'not-same-person', 'attack', 'failed'];
const THRESHOLD_KEYS: readonly ThresholdKey[] = ['1e-3', '1e-4', '1e-5', '1e-6'];

/** The verdict of an on-device failure: a swapped face is an attack; the rest is a failed check. */
export function deviceVerdict(code: LivenessFailureCode): { verdict: LivenessVerdict; reasonCode: KitCode; attacks?: LivenessAttack[] } {
  switch (code) {
    case 'FACE_CHANGED':
      return { verdict: 'attack', reasonCode: 'LIVENESS_ATTACK', attacks: ['replaced-face'] };
    case 'TIMEOUT':
    case 'ACTION_TIMEOUT':
      return { verdict: 'failed', reasonCode: 'LIVENESS_TIMEOUT' };
    case 'NO_FACE':
      return { verdict: 'failed', reasonCode: 'NO_FACE' };
    case 'MANY_FACES':
      return { verdict: 'failed', reasonCode: 'MANY_FACES' };
    case 'NO_BLINK':
      // A still photo never blinks, but neither may a user who kept their eyes wide open: the
      // check failed, without calling it an attack.
      return { verdict: 'failed', reasonCode: 'LIVENESS_FAILED' };
  }
}

/**
 * The log sent as `action_log`: the actions the session asked for, in order, with their outcome
 * and duration. The extra blink that the device asks for when none was seen is its own
 * anti-spoofing step, not one of the vendor's actions, so it is left out (the endpoint compares the
 * passed actions with the ones it picked).
 */
export function actionLogOf(log: readonly LivenessLogEntry[]): { action: LivenessAction; passed: boolean; durationMs: number }[] {
  return log
    .filter((entry) => !entry.extra && entry.result !== 'running')
    .map((entry) => ({
      action: entry.action,
      passed: entry.result === 'passed',
      durationMs: Math.max(0, Math.round((entry.endedAt ?? entry.startedAt) - entry.startedAt)),
    }));
}

/** The endpoint's actions when it sent usable ones (a subset of the device's six), else null. */
export function grantActions(grant: Pick<LivenessGrant, 'actions'> | null | undefined): LivenessAction[] | null {
  const actions = grant?.actions;
  if (!Array.isArray(actions) || actions.length === 0) return null;
  if (!actions.every((action) => (LIVENESS_ACTIONS as readonly string[]).includes(action))) return null;
  return actions as LivenessAction[];
}

/** Clamps a security level to 1…4 (2, the document's default, otherwise). */
export function securityLevelOf(value: unknown): SecurityLevel {
  const level = typeof value === 'string' ? Number.parseInt(value, 10) : typeof value === 'number' ? Math.round(value) : Number.NaN;
  return level >= 1 && level <= 4 ? (level as SecurityLevel) : 2;
}

function verdictOf(value: unknown): LivenessVerdict {
  return VERDICTS.includes(value as LivenessVerdict) ? (value as LivenessVerdict) : 'failed';
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function thresholdsOf(value: unknown): Record<ThresholdKey, number> | null {
  if (!value || typeof value !== 'object') return null;
  const thresholds = {} as Record<ThresholdKey, number>;
  for (const key of THRESHOLD_KEYS) {
    const threshold = finiteOrNull((value as Record<string, unknown>)[key]);
    if (threshold === null) return null;
    thresholds[key] = threshold;
  }
  return thresholds;
}

/**
 * The result of a check that reached FaceID. `result` is `liveness.result`'s data, or null when
 * only `liveness.verify` answered (the endpoint refused the action log before the upload). The
 * verdict is the endpoint's: it already holds FaceID's result code and the confidence against the
 * threshold of the security level (a SUCCESS below the threshold reads as not-same-person); the
 * element checks the threshold once more when both numbers came, so that the stricter word wins
 * here too.
 */
export function vendorResult(
  verify: LivenessVerifyData,
  result: LivenessResultData | null,
  context: { actions: LivenessAction[]; securityLevel: SecurityLevel; bizToken: string; bizNo?: string; reason: (code: KitCode) => string },
): LivenessCheckResult {
  const source = result ?? verify;
  let verdict = verdictOf(source.verdict);
  let reasonCode: KitCode = typeof source.reasonCode === 'string' ? source.reasonCode : verdict === 'same-person' ? 'OK' : 'LIVENESS_FAILED';
  const confidence = result ? finiteOrNull(result.confidence) : null;
  const threshold = result ? finiteOrNull(result.threshold) : null;
  if (verdict === 'same-person' && (source.passed === false || (confidence !== null && threshold !== null && confidence < threshold))) {
    verdict = 'not-same-person';
    reasonCode = 'NOT_SAME_PERSON';
  }
  const level = result?.securityLevel !== undefined ? securityLevelOf(result.securityLevel) : context.securityLevel;
  const attacks = (source.attacks ?? []).filter((attack): attack is LivenessAttack => attack === 'fake-face' || attack === 'replaced-face');
  const detail: LivenessCheckResult = {
    mode: 'liveness',
    passed: verdict === 'same-person',
    verdict,
    reasonCode,
    reason: context.reason(reasonCode),
    stage: 'faceid',
    actions: [...context.actions],
    securityLevel: level,
    thresholdKey: THRESHOLD_OF_LEVEL[level],
    bizToken: context.bizToken,
  };
  if (result) {
    detail.resultCode = result.resultCode;
    detail.resultMessage = result.resultMessage;
    detail.confidence = confidence;
    detail.threshold = threshold;
    detail.thresholds = thresholdsOf(result.thresholds);
  } else if (verify.resultMessage) {
    detail.resultMessage = verify.resultMessage;
  }
  if (attacks.length) detail.attacks = attacks;
  const bizNo = result?.bizNo ?? context.bizNo;
  if (bizNo) detail.bizNo = bizNo;
  return detail;
}

/**
 * A name for the screen: its first character, the rest as `*` (`李雷` → `李*`, `Li Lei` → `L*****`).
 * The ID number uses the shared `maskIdNumber` (first 3 and last 4).
 */
export function maskName(value: string): string {
  const chars = Array.from(value.trim());
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** Base64 of an image given as a Blob, a `data:` URL or base64 text. */
export async function imageBase64(image: Blob | string, toBase64: (blob: Blob) => Promise<string>): Promise<string> {
  if (image instanceof Blob) return toBase64(image);
  const value = image.trim();
  const comma = value.indexOf(',');
  if (!/^data:/i.test(value) || comma < 0) return value;
  if (!/^data:image\//i.test(value) || !/;base64$/i.test(value.slice(0, comma))) throw new TypeError('not a base64 image data: URL');
  return value.slice(comma + 1);
}
