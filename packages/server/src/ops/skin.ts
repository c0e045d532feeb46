/**
 * `skin.analyze` (billable: uploads the photo) and `skin.result` (reads the job by `calcId`).
 * The analysis runs on the vendor's side, so both answer either OK with the full report or
 * IN_PROGRESS (HTTP 202, retryable) with `{ calcId, retryAfterMs }`: the element polls
 * `skin.result` with that `calcId` until it gets OK or a failure.
 *
 * A job is bound to the origin and subject of the ticket that started it (in the shared state
 * store, 24 h), so `skin.result` reads only jobs this endpoint started for the same holder.
 */
import { EndpointError } from '../endpoint-error.js';
import type { SkinClient } from '../vendors/skin/client.js';
import { SKIN } from '../vendors/skin/errors.js';
import { normaliseSkinReport, type SkinPending } from '../vendors/skin/normalise.js';
import { defineOp, type OpContext, type OpResult, type RegisteredOp } from './types.js';
import { optionalString, requiredImage, requiredString } from './validate.js';

/** The service's ids are UUIDs; allow any plain id of that length. */
const CALC_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** Base64 text of the photo; a skin analysis wants detail, so more than the face platform's 2M. */
export const MAX_SKIN_BASE64_CHARS = 6 * 1024 * 1024;
export const SKIN_POLL_AFTER_MS = 2000;
const JOB_TTL_MS = 24 * 60 * 60 * 1000;

const jobKey = (calcId: string) => `skin:job:${calcId}`;
const holderOf = (context: OpContext) => `${context.ticket.org ?? ''}\n${context.ticket.sub ?? ''}`;

function clientOrFail(client: SkinClient | undefined): SkinClient {
  if (!client) throw new EndpointError('VENDOR_UNAVAILABLE', { vendor: { name: SKIN, code: 'not-configured', message: 'no skin-analysis URL is configured' } });
  return client;
}

async function reportOrPending(client: SkinClient, datas: Record<string, unknown>, calcId: string, context: OpContext): Promise<OpResult> {
  if (datas.response === undefined || datas.response === null) {
    const pending: SkinPending = { calcId, retryAfterMs: SKIN_POLL_AFTER_MS };
    return { code: 'IN_PROGRESS', data: pending };
  }
  const report = await normaliseSkinReport(
    datas,
    (url) => context.linkImage(SKIN, url),
    (path) => client.resolveImageUrl(path),
  );
  return { data: report };
}

export function createSkinOps(client: SkinClient | undefined): RegisteredOp[] {
  const analyze = defineOp<{ image: string; extra?: string }>({
    name: 'skin.analyze',
    vendor: SKIN,
    billable: true,
    validate: (body) => ({
      image: requiredImage(body, 'image', MAX_SKIN_BASE64_CHARS),
      // Echoed back by the service in the result (`extra`), e.g. the site's own reference.
      extra: optionalString(body, 'extra', { max: 1024 }),
    }),
    async run(params, context) {
      const skin = clientOrFail(client);
      const datas = await skin.analyze(params.image, params.extra);
      const calcId = typeof datas.calcId === 'string' && datas.calcId ? datas.calcId : undefined;
      if (!calcId) throw new EndpointError('VENDOR_ERROR', { vendor: { name: SKIN, code: 'malformed', message: 'the analyze answer has no calcId' } });
      await context.store.set(jobKey(calcId), holderOf(context), JOB_TTL_MS);
      return reportOrPending(skin, datas, calcId, context);
    },
  });

  const result = defineOp<{ calcId: string }>({
    name: 'skin.result',
    vendor: SKIN,
    // A poll changes nothing at the vendor.
    safeToRetry: true,
    validate: (body) => ({ calcId: requiredString(body, 'calcId', { max: 64, pattern: CALC_ID }) }),
    async run(params, context) {
      const skin = clientOrFail(client);
      if ((await context.store.get(jobKey(params.calcId))) !== holderOf(context)) {
        throw new EndpointError('NOT_FOUND', { data: { field: 'calcId', reason: 'no analysis started with a ticket of this holder has this calcId' } });
      }
      const answer = await skin.result(params.calcId);
      if (answer.state === 'running') {
        const pending: SkinPending = { calcId: params.calcId, retryAfterMs: SKIN_POLL_AFTER_MS };
        return { code: 'IN_PROGRESS', data: pending, vendor: { name: SKIN, code: '200026', message: answer.message ?? '分析进行中,请稍后查询！' } };
      }
      return reportOrPending(skin, answer.datas, params.calcId, context);
    },
  });

  return [analyze, result];
}
