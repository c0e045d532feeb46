/**
 * Where the wasm and model files are served from, as an absolute URL ending in a slash.
 * An explicit `assets-base` wins (relative values resolve against the document); otherwise the
 * `assets/` folder next to the script, which is where the script-tag build puts it.
 */
export function resolveAssetsBase(explicit?: string | null, scriptUrl?: string): string {
  const value = explicit?.trim();
  if (value) {
    const url = new URL(value, globalThis.document?.baseURI ?? scriptUrl ?? import.meta.url);
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    return url.href;
  }
  return new URL('./assets/', scriptUrl ?? import.meta.url).href;
}
