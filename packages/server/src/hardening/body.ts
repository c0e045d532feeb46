/**
 * Request body limit that counts the bytes actually received: a Content-Length above the limit is
 * refused before reading, and a body that is streamed without one, or that is longer than its
 * header claims, is cut off as soon as it passes the limit. Answers IMAGE_TOO_LARGE (413), as
 * images are what make bodies large; `data.reason` says it was the body.
 */
import { readWithin } from '../bounded-read.js';
import { EndpointError } from '../endpoint-error.js';

export function bodyTooLarge(limitBytes: number): EndpointError {
  return new EndpointError('IMAGE_TOO_LARGE', {
    message: `request body larger than ${limitBytes} bytes`,
    data: { reason: 'body too large', limitBytes },
  });
}

/** Throws when the declared Content-Length alone is over the limit (cheap, before any other work). */
export function refuseDeclaredOversize(request: Request, limitBytes: number): void {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limitBytes) {
    void request.body?.cancel().catch(() => {});
    throw bodyTooLarge(limitBytes);
  }
}

/** Reads the body as UTF-8 text, never holding more than `limitBytes`. */
export async function readBodyText(request: Request, limitBytes: number): Promise<string> {
  refuseDeclaredOversize(request, limitBytes);
  return new TextDecoder().decode(await readWithin(request.body, limitBytes, () => bodyTooLarge(limitBytes)));
}

/**
 * The body as a JSON object, and its fingerprint when asked (idempotency). A function of its own
 * so that the body text (megabytes) is garbage as soon as it returns, not held while the vendor
 * is called.
 */
export async function readJsonObject(
  request: Request,
  limitBytes: number,
  fingerprintOf?: (text: string) => Promise<string>,
): Promise<{ body: Record<string, unknown>; fingerprint?: string }> {
  const text = await readBodyText(request, limitBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new EndpointError('BAD_REQUEST', { data: { reason: 'body is not JSON' } });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EndpointError('BAD_REQUEST', { data: { reason: 'body must be a JSON object' } });
  }
  return { body: body as Record<string, unknown>, fingerprint: fingerprintOf ? await fingerprintOf(text) : undefined };
}
