/**
 * FaceID liveness ops, consumed by `<liveness-check>`:
 * - `liveness.start` → 第1步 get_biz_token, with every parameter of the document, plus the
 *   actions the element must have the user perform (the SDK picks them there; the element here);
 * - `liveness.verify` (billable) → the upload of the best frame and the action log (client.ts);
 * - `liveness.result` → 第3步 get_result, with the threshold check of `security_level` (normalise.ts).
 * Parameters take the document's names (`idcard_name`); the camelCase forms (`idcardName`) work too.
 */
import { EndpointError } from '../endpoint-error.js';
import type { StateStore } from '../state.js';
import type { FaceIdClient } from '../vendors/faceid/client.js';
import { FACEID } from '../vendors/faceid/errors.js';
import {
  DEFAULT_SECURITY_LEVEL,
  THRESHOLD_OF_LEVEL,
  normaliseResult,
  normaliseVerify,
  type LivenessVerifyResult,
  type SecurityLevel,
} from '../vendors/faceid/normalise.js';
import { defineOp, type OpResult, type RegisteredOp } from './types.js';
import { fieldError, optionalInteger, optionalString, requiredImage, requiredString } from './validate.js';

/** "单张照片大小超过了2MB" answers 413: a photo is at most 2 MB, so its base64 at most this. */
export const FACEID_MAX_IMAGE_BASE64_CHARS = 4 * Math.ceil((2 * 1024 * 1024) / 3);
/** "此字段不超过128字节". */
const MAX_BIZ_NO_BYTES = 128;
/** Second-generation (18, last may be X) and first-generation (15) ID numbers. */
const ID_NUMBER = /^(\d{17}[\dX]|\d{15})$/;
const BIZ_TOKEN = /^[A-Za-z0-9,._:-]+$/;
/** The actions the document names: 点头 (nod), 摇头 (shake), 眨眼 (blink). */
export const LIVENESS_ACTIONS = ['blink', 'nod', 'shake'] as const;
export type LivenessAction = (typeof LIVENESS_ACTIONS)[number];
/** How long the endpoint remembers a session's level and actions; results are read within it. */
const SESSION_TTL_MS = 2 * 60 * 60 * 1000;
const MAX_ACTION_LOG_ENTRIES = 10;

const CAMEL_ALIASES: Readonly<Record<string, string>> = {
  livenessType: 'liveness_type',
  idcardName: 'idcard_name',
  idcardNumber: 'idcard_number',
  imageRef1: 'image_ref1',
  imageRef2: 'image_ref2',
  bizNo: 'biz_no',
  livenessTimeout: 'liveness_timeout',
  livenessActionCount: 'liveness_action_count',
  securityLevel: 'security_level',
  forceCompare: 'force_compare',
  multiOrientedDetection: 'multi_oriented_detection',
  bizToken: 'biz_token',
  imageBest: 'image_best',
  actionLog: 'action_log',
};

/** The body with camelCase names moved to the document's names (the document's win). */
function documentNames(body: Record<string, unknown>): Record<string, unknown> {
  const named: Record<string, unknown> = { ...body };
  for (const [camel, snake] of Object.entries(CAMEL_ALIASES)) {
    if (named[snake] === undefined && body[camel] !== undefined) named[snake] = body[camel];
  }
  return named;
}

interface LivenessSession {
  securityLevel: SecurityLevel;
  actions: LivenessAction[];
}

const sessionKey = (bizToken: string) => `faceid:session:${bizToken}`;

async function readSession(store: StateStore, bizToken: string): Promise<LivenessSession | undefined> {
  const stored = await store.get(sessionKey(bizToken));
  if (!stored) return undefined;
  try {
    return JSON.parse(stored) as LivenessSession;
  } catch {
    return undefined;
  }
}

function pickActions(count: number): LivenessAction[] {
  const pool: LivenessAction[] = [...LIVENESS_ACTIONS];
  const picked: LivenessAction[] = [];
  const random = crypto.getRandomValues(new Uint32Array(count));
  for (let i = 0; i < count; i++) picked.push(pool.splice(random[i]! % pool.length, 1)[0]!);
  return picked;
}

interface StartParams {
  fields: Record<string, string>;
  securityLevel: SecurityLevel;
  actionCount: number;
  livenessTimeout: number;
}

export interface ActionLogEntry {
  action: LivenessAction;
  passed: boolean;
  durationMs?: number;
}

interface VerifyParams {
  bizToken: string;
  imageBest: string;
  actionLog: ActionLogEntry[];
}

function bizTokenOf(body: Record<string, unknown>): string {
  return requiredString(body, 'biz_token', { max: 128, pattern: BIZ_TOKEN });
}

function actionLogOf(body: Record<string, unknown>): ActionLogEntry[] {
  let value = body.action_log;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw fieldError('action_log', 'must be a JSON array');
    }
  }
  if (value === undefined || value === null) throw fieldError('action_log', 'required');
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_ACTION_LOG_ENTRIES) {
    throw fieldError('action_log', `must be an array of 1 to ${MAX_ACTION_LOG_ENTRIES} actions`);
  }
  return value.map((entry, index) => {
    const field = `action_log[${index}]`;
    if (typeof entry !== 'object' || entry === null) throw fieldError(field, 'must be { action, passed, durationMs? }');
    const { action, passed, durationMs } = entry as Record<string, unknown>;
    if (!LIVENESS_ACTIONS.includes(action as LivenessAction)) throw fieldError(`${field}.action`, `must be one of ${LIVENESS_ACTIONS.join(', ')}`);
    if (typeof passed !== 'boolean') throw fieldError(`${field}.passed`, 'must be true or false');
    if (durationMs !== undefined && !(typeof durationMs === 'number' && Number.isFinite(durationMs) && durationMs >= 0 && durationMs <= 3_600_000)) {
      throw fieldError(`${field}.durationMs`, 'must be milliseconds, 0 to 3600000');
    }
    return durationMs === undefined ? { action: action as LivenessAction, passed } : { action: action as LivenessAction, passed, durationMs };
  });
}

function clientOrFail(client: FaceIdClient | undefined): FaceIdClient {
  if (!client) throw new EndpointError('VENDOR_UNAVAILABLE', { vendor: { name: FACEID, code: 'not-configured', message: 'no FaceID URL is configured' } });
  return client;
}

export function createFaceIdOps(client: FaceIdClient | undefined): RegisteredOp[] {
  const start = defineOp<StartParams>({
    name: 'liveness.start',
    vendor: FACEID,
    validate(raw) {
      const body = documentNames(raw);
      const livenessType = optionalString(body, 'liveness_type', { max: 16 }) ?? 'meglive';
      // "当前只支持meglive(动作活体)".
      if (livenessType !== 'meglive') throw fieldError('liveness_type', 'only meglive (action liveness) is supported');
      const idcardNumber = requiredString(body, 'idcard_number', { max: 18 }).toUpperCase();
      if (!ID_NUMBER.test(idcardNumber)) throw fieldError('idcard_number', 'must be an 18-digit (last may be X) or 15-digit ID number');
      const bizNo = optionalString(body, 'biz_no', { max: MAX_BIZ_NO_BYTES });
      if (bizNo !== undefined && new TextEncoder().encode(bizNo).length > MAX_BIZ_NO_BYTES) throw fieldError('biz_no', `longer than ${MAX_BIZ_NO_BYTES} bytes`);
      const livenessTimeout = optionalInteger(body, 'liveness_timeout', (v) => v >= 1 && v <= 3600, 'must be seconds, 1 to 3600') ?? 60;
      const actionCount = optionalInteger(body, 'liveness_action_count', (v) => v >= 1 && v <= 3, 'must be 1, 2 or 3') ?? 3;
      const securityLevel = (optionalInteger(body, 'security_level', (v) => v >= 1 && v <= 4, 'must be 1, 2, 3 or 4') ?? DEFAULT_SECURITY_LEVEL) as SecurityLevel;
      const forceCompare = optionalInteger(body, 'force_compare', (v) => v === 0 || v === 1, 'must be 0 or 1');
      const multiOriented = optionalInteger(body, 'multi_oriented_detection', (v) => v === 0 || v === 1, 'must be 0 or 1');
      const fields: Record<string, string> = {
        liveness_type: livenessType,
        idcard_name: requiredString(body, 'idcard_name', { max: 64 }),
        idcard_number: idcardNumber,
        liveness_timeout: String(livenessTimeout),
        liveness_action_count: String(actionCount),
        security_level: String(securityLevel),
      };
      for (const field of ['image_ref1', 'image_ref2'] as const) {
        if (body[field] !== undefined && body[field] !== null && body[field] !== '') fields[field] = requiredImage(body, field, FACEID_MAX_IMAGE_BASE64_CHARS);
      }
      if (bizNo !== undefined) fields.biz_no = bizNo;
      if (forceCompare !== undefined) fields.force_compare = String(forceCompare);
      if (multiOriented !== undefined) fields.multi_oriented_detection = String(multiOriented);
      return { fields, securityLevel, actionCount, livenessTimeout };
    },
    async run(params, context) {
      const answer = await clientOrFail(client).getBizToken(params.fields);
      const bizToken = answer.biz_token as string;
      const actions = pickActions(params.actionCount);
      const session: LivenessSession = { securityLevel: params.securityLevel, actions };
      await context.store.set(sessionKey(bizToken), JSON.stringify(session), SESSION_TTL_MS);
      return {
        data: {
          bizToken,
          ...(params.fields.biz_no ? { bizNo: params.fields.biz_no } : {}),
          actions,
          livenessTimeout: params.livenessTimeout,
          securityLevel: params.securityLevel,
          thresholdKey: THRESHOLD_OF_LEVEL[params.securityLevel],
          ...(typeof answer.request_id === 'string' ? { vendorRequestId: answer.request_id } : {}),
        },
      };
    },
  });

  const verify = defineOp<VerifyParams>({
    name: 'liveness.verify',
    vendor: FACEID,
    billable: true,
    validate(raw) {
      const body = documentNames(raw);
      return { bizToken: bizTokenOf(body), imageBest: requiredImage(body, 'image_best', FACEID_MAX_IMAGE_BASE64_CHARS), actionLog: actionLogOf(body) };
    },
    async run(params, context): Promise<OpResult> {
      const session = await readSession(context.store, params.bizToken);
      const performed = params.actionLog.filter((entry) => entry.passed).map((entry) => entry.action);
      // The element must have done the actions this session asked for, in order; a log that did
      // not is refused here, before the vendor charges for the upload.
      if (session && performed.join(',') !== session.actions.join(',')) {
        const data: LivenessVerifyResult = { bizToken: params.bizToken, passed: false, sdkCode: null, resultMessage: 'ACTION_ERROR', verdict: 'failed', reasonCode: 'WRONG_ACTION' };
        return { data };
      }
      const actionLog = params.actionLog.map((entry) => ({ action: entry.action, passed: entry.passed, ...(entry.durationMs === undefined ? {} : { duration_ms: entry.durationMs }) }));
      const answer = await clientOrFail(client).verify({ biz_token: params.bizToken, image_best: params.imageBest, action_log: JSON.stringify(actionLog) });
      const vendor = { name: FACEID, code: String(answer.result_code), message: String(answer.result_message) };
      const normalised = normaliseVerify(answer, params.bizToken);
      if ('pending' in normalised) return { code: 'IN_PROGRESS', data: normalised.pending, vendor };
      return { data: normalised.result, vendor };
    },
  });

  const result = defineOp<{ bizToken: string; verbose: 0 | 1; securityLevel?: SecurityLevel }>({
    name: 'liveness.result',
    vendor: FACEID,
    safeToRetry: true,
    validate(raw) {
      const body = documentNames(raw);
      return {
        bizToken: bizTokenOf(body),
        verbose: (optionalInteger(body, 'verbose', (v) => v === 0 || v === 1, 'must be 0 or 1') ?? 1) as 0 | 1,
        securityLevel: optionalInteger(body, 'security_level', (v) => v >= 1 && v <= 4, 'must be 1, 2, 3 or 4') as SecurityLevel | undefined,
      };
    },
    async run(params, context): Promise<OpResult> {
      // The level chosen at start wins: a caller cannot loosen the check afterwards.
      const session = await readSession(context.store, params.bizToken);
      const securityLevel = session?.securityLevel ?? params.securityLevel ?? DEFAULT_SECURITY_LEVEL;
      const answer = await clientOrFail(client).getResult(params.bizToken, params.verbose);
      const vendor = { name: FACEID, code: String(answer.result_code), message: String(answer.result_message) };
      const normalised = normaliseResult(answer, securityLevel);
      if ('pending' in normalised) return { code: 'IN_PROGRESS', data: normalised.pending, vendor };
      return { data: normalised.result, vendor };
    },
  });

  return [start, verify, result];
}
