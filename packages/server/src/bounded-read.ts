/**
 * Reads a web stream whole, but never holds more than `limitBytes`: past the limit it cancels the
 * stream and throws what `tooLarge()` makes. Request bodies (hardening/body.ts) and vendor answers
 * (vendors/http.ts) are read this way.
 */
export async function readWithin(stream: ReadableStream<Uint8Array> | null, limitBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (!stream) return new Uint8Array();
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
