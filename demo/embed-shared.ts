// Shared by the demo pages: the demo ticket; for the framework pages (React, Vue) also the event
// record that the end-to-end tests read (`window.facekitEvents`, as on the element pages).

export { recordFacekitEvents, type RecordedFacekitEvent } from './event-log.ts';

/**
 * A fresh single-use ticket for `scopes` from this server's demo mode (a real site asks its own
 * backend), for `subject` (the user) when given.
 */
export async function demoTicket(scopes = 'face.*', subject?: string): Promise<string> {
  const url = new URL('/v1/demo/ticket', location.origin);
  url.searchParams.set('scopes', scopes);
  if (subject) url.searchParams.set('sub', subject);
  const response = await fetch(url, { cache: 'no-store' });
  const envelope = (await response.json()) as { ok: boolean; code: string; data?: { ticket: string } };
  if (!envelope.ok || !envelope.data?.ticket) throw new Error(`demo ticket refused: ${envelope.code}`);
  return envelope.data.ticket;
}
