import { FacekitError, type KitCode } from '@facekit/core';

/** Errors whose message an element wrote itself, in the element's language. */
const localized = new WeakSet<FacekitError>();

/** Any thrown value as a FacekitError: aborts become ABORTED, anything unknown INTERNAL. */
export function asFacekitError(error: unknown): FacekitError {
  if (error instanceof FacekitError) return error;
  if ((error as { name?: string } | null)?.name === 'AbortError') return new FacekitError('ABORTED');
  return new FacekitError('INTERNAL', error instanceof Error ? error.message : undefined, { cause: error });
}

/** An error with the element's own (already localised) message; `isLocalError` tells it apart. */
export function localError(code: KitCode, message: string, options?: { retryable?: boolean; cause?: unknown }): FacekitError {
  const error = new FacekitError(code, message, options);
  localized.add(error);
  return error;
}

/** True for an error made by `localError`: its message is shown as it is. */
export function isLocalError(error: FacekitError): boolean {
  return localized.has(error);
}
