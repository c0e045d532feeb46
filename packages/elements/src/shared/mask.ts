/**
 * Masks an identity number for display: the first 3 and the last 4 characters stay, the rest
 * become `*` (for example `220***********0551`). Values of 7 characters or fewer are masked
 * whole, as showing 3 + 4 of them would show everything.
 */
export function maskIdNumber(value: string, keepStart = 3, keepEnd = 4): string {
  const chars = Array.from(value);
  if (chars.length === 0) return '';
  if (chars.length <= keepStart + keepEnd) return '*'.repeat(chars.length);
  return chars.slice(0, keepStart).join('') + '*'.repeat(chars.length - keepStart - keepEnd) + chars.slice(-keepEnd).join('');
}

/** A random identifier for idempotency keys; crypto.randomUUID needs a secure context, this does not. */
export function randomId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function' && globalThis.isSecureContext) return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
