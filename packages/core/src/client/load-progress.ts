/**
 * The page's view of the first load: bytes of the wasm and models the vision worker has
 * downloaded (the worker reports them, see worker/load-progress.ts). Elements subscribe while
 * they wait for the model, to show a progress bar and to send `facekit-status` with `progress`.
 */

export interface LoadProgressSnapshot {
  /** Transferred bytes so far. */
  loaded: number;
  /** Bytes to transfer (grows as files start); 0 when nothing is downloading. */
  total: number;
}

type Listener = (progress: LoadProgressSnapshot) => void;

const listeners = new Set<Listener>();
let latest: LoadProgressSnapshot | null = null;

/** Called by the worker ladder for each progress message of a worker. */
export function publishLoadProgress(progress: LoadProgressSnapshot): void {
  latest = { loaded: progress.loaded, total: progress.total };
  for (const listener of listeners) listener(latest);
}

/**
 * Calls `listener` with each progress report, at once with the latest one when a load is under
 * way (a prefetch may have started it). Returns the unsubscribe function.
 */
export function onLoadProgress(listener: Listener): () => void {
  listeners.add(listener);
  if (latest && latest.loaded < latest.total) listener(latest);
  return () => listeners.delete(listener);
}

/** "1.2 / 4.1" (megabytes, one decimal), for the progress text. */
export function formatLoadProgress(progress: LoadProgressSnapshot, locale?: string): { loaded: string; total: string } {
  const format = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const megabytes = (bytes: number) => format.format(bytes / 1_000_000);
  return { loaded: megabytes(progress.loaded), total: megabytes(progress.total) };
}
