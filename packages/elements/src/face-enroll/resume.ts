import { FacekitError, type EndpointClient, type QueuedUpload } from '@facekit/core';
import type { FaceEnrollResult, FaceEnrollResultDetail, FacePerson, FaceSearchResult } from '../events.js';

/** The ops whose kept calls `<face-enroll>` sends again after a reload or when back online. */
export const RESUMABLE_OPS: ReadonlySet<string> = new Set(['face.enroll', 'face.search', 'face.compare']);

/** Similarities come as 0…1 (or as a percentage, or as text); always 0…1 out. */
export function toRatio(value: unknown): number {
  const number = typeof value === 'string' ? Number.parseFloat(value) : typeof value === 'number' ? value : Number.NaN;
  if (!Number.isFinite(number)) return 0;
  return number > 1 ? Math.min(number / 100, 1) : Math.max(number, 0);
}

/**
 * Sends a kept call of a previous page again (same body, same idempotency key: the endpoint
 * answers a call it already ran from its record, so the vendor is called once) and turns the
 * answer into the element's result. Null when the call is no longer kept, or is being sent by
 * another element of the page. Throws like `EndpointClient.submit()`.
 */
export async function resendKept(client: EndpointClient, item: QueuedUpload, signal: AbortSignal): Promise<FaceEnrollResultDetail | null> {
  if (item.op === 'face.search') {
    try {
      const answer = await client.resend<{ personId?: string; similarity?: number | string; person?: FacePerson }>(item.id, signal);
      if (!answer) return null;
      if (answer.code === 'NO_MATCH' || !answer.data?.personId) return { mode: 'search', matched: false };
      const result: FaceSearchResult = { mode: 'search', matched: true, personId: String(answer.data.personId), similarity: toRatio(answer.data.similarity) };
      if (answer.data.person) result.person = answer.data.person;
      return result;
    } catch (error) {
      if (error instanceof FacekitError && error.code === 'NO_MATCH') return { mode: 'search', matched: false };
      throw error;
    }
  }
  if (item.op === 'face.compare') {
    const answer = await client.resend<{ samePerson: boolean; similarity: number }>(item.id, signal);
    if (!answer) return null;
    return { mode: 'verify', samePerson: !!answer.data?.samePerson, similarity: toRatio(answer.data?.similarity) };
  }
  const answer = await client.resend<{ personId: string; imageUrl?: string }>(item.id, signal);
  if (!answer) return null;
  const personId = String(answer.data?.personId ?? '');
  const result: FaceEnrollResult = { mode: 'enroll', personId };
  if (answer.data?.imageUrl) result.imageUrl = answer.data.imageUrl;
  try {
    // As after a live enrolment: the face ID and the enrolled photo, served by the endpoint.
    const record = await client.call<{ faceId?: string; imageUrl?: string }>('face.get', { groupId: item.body.groupId, userId: personId }, { signal });
    if (record.data?.faceId !== undefined) result.faceId = String(record.data.faceId);
    if (record.data?.imageUrl) result.imageUrl = record.data.imageUrl;
  } catch {
    // The person is enrolled; only the confirmation photo is missing.
  }
  return result;
}
