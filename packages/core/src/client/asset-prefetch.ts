/**
 * Warms the vision worker up before the user asks for it: when the element comes into view
 * (IntersectionObserver) or when the page is idle (requestIdleCallback), whichever comes first,
 * the worker starts and loads the wasm and the model. By the time the user taps "start" they are
 * compiled (or at least in the HTTP cache), and the camera opens without the model's wait.
 *
 * The element's `prefetch` attribute (or property) chooses: `auto` (default: visible or idle),
 * `visible`, `idle`, or `none`. Nothing is prefetched when the user asked the browser to save data
 * (`navigator.connection.saveData`) or the connection is 2G.
 */

export type PrefetchMode = 'auto' | 'visible' | 'idle' | 'none';

const PREFETCH_MODES: ReadonlySet<string> = new Set<PrefetchMode>(['auto', 'visible', 'idle', 'none']);
/** Longest wait for an idle moment, so a busy page still prefetches. */
const IDLE_TIMEOUT_MS = 5000;
/** Start a little before the element scrolls into view. */
const VISIBLE_MARGIN = '200px';

interface NetworkInformationLike {
  saveData?: boolean;
  effectiveType?: string;
}

/** The host's mode: its `prefetch` property, else its attribute, else `auto`. */
export function prefetchMode(host: HTMLElement): PrefetchMode {
  const property = (host as HTMLElement & { prefetch?: unknown }).prefetch;
  const value = String(typeof property === 'string' ? property : (host.getAttribute('prefetch') ?? 'auto')).trim().toLowerCase();
  if (value === 'false' || value === 'off') return 'none';
  return PREFETCH_MODES.has(value) ? (value as PrefetchMode) : 'auto';
}

/** False when the user or the connection asks for fewer bytes. */
export function networkAllowsPrefetch(connection: NetworkInformationLike | undefined = connectionOf(globalThis.navigator)): boolean {
  if (!connection) return true;
  if (connection.saveData === true) return false;
  return connection.effectiveType !== '2g' && connection.effectiveType !== 'slow-2g';
}

function connectionOf(navigator: Navigator | undefined): NetworkInformationLike | undefined {
  return (navigator as (Navigator & { connection?: NetworkInformationLike }) | undefined)?.connection;
}

/**
 * Calls `warm` once, when the host becomes visible or the page is idle (per its mode). Returns a
 * function that cancels what has not happened yet.
 */
export function schedulePrefetch(host: HTMLElement, warm: () => Promise<unknown>): () => void {
  const mode = prefetchMode(host);
  if (mode === 'none' || !networkAllowsPrefetch()) return () => {};

  let done = false;
  const cleanups: (() => void)[] = [];
  const cancel = (): void => {
    done = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  const fire = (): void => {
    // The mode may have changed since connection (a property set after the element was created).
    if (done) return;
    cancel();
    if (prefetchMode(host) === 'none' || !host.isConnected) return;
    // Failures are not reported here: start() meets them again and reports them.
    warm().catch(() => undefined);
  };

  if ((mode === 'auto' || mode === 'visible') && typeof IntersectionObserver === 'function') {
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) fire();
      },
      { rootMargin: VISIBLE_MARGIN },
    );
    observer.observe(host);
    cleanups.push(() => observer.disconnect());
  }
  if (mode === 'auto' || mode === 'idle') {
    if (typeof requestIdleCallback === 'function') {
      const handle = requestIdleCallback(fire, { timeout: IDLE_TIMEOUT_MS });
      cleanups.push(() => cancelIdleCallback(handle));
    } else {
      // Safari (and so iOS WeChat) has no requestIdleCallback: wait for the load, then a moment.
      const later = (): void => {
        const timer = setTimeout(fire, 1000);
        cleanups.push(() => clearTimeout(timer));
      };
      if (document.readyState === 'complete') later();
      else {
        window.addEventListener('load', later, { once: true });
        cleanups.push(() => window.removeEventListener('load', later));
      }
    }
  }
  return cancel;
}
