/**
 * No-egress guard for a worker: every request API of the worker scope is wrapped so that only URLs
 * under the allowed prefixes (the assets base) go out. Anything else is refused before a request is
 * made, and recorded. The guard lives inside the worker because the site's CSP is not ours to set,
 * and third-party code in the worker (tasks-vision posts usage logs to a Google host on `close()`
 * and every 60 s) must not reach the network.
 *
 * - fetch: rejects with a TypeError, as for a network error.
 * - XMLHttpRequest: the request is pointed at an unloadable `data:` URL and aborted at once, so the
 *   usual readystatechange / abort / loadend events fire (a synchronous one throws NetworkError).
 * - navigator.sendBeacon: returns false. WebSocket, EventSource: the constructor throws.
 * - importScripts: throws a NetworkError DOMException. Same-origin scripts stay allowed, as the
 *   worker's own chunks are. (A TypeError would make tasks-vision retry with `import()`.)
 * - `data:` and `blob:` URLs are allowed: they never leave the device.
 *
 * Before any prefix is allowed everything but same-origin scripts is refused.
 */

export interface EgressGuard {
  /** Allows requests to URLs starting with this absolute URL (a trailing slash is added). */
  allow(prefix: string): void;
  isAllowed(url: string | URL): boolean;
  /** URLs refused so far, oldest first (at most the last 200). */
  blocked(): string[];
}

/** The parts of a worker scope the guard wraps; all optional, so it installs anywhere. */
export interface GuardableScope {
  location: { href: string; origin: string };
  fetch?: typeof fetch;
  XMLHttpRequest?: typeof XMLHttpRequest;
  navigator?: { sendBeacon?: (url: string | URL, data?: BodyInit | null) => boolean };
  importScripts?: (...urls: (string | URL)[]) => void;
  WebSocket?: typeof WebSocket;
  EventSource?: typeof EventSource;
}

const INSTALLED = Symbol.for('facekit.egressGuard');
const MAX_RECORDS = 200;
/** A `data:` URL without a comma cannot be loaded: a network error made on the device. */
const UNLOADABLE_URL = 'data:facekit-egress-blocked';

export function installEgressGuard(scope: GuardableScope): EgressGuard {
  const holder = scope as GuardableScope & { [INSTALLED]?: EgressGuard };
  const existing = holder[INSTALLED];
  if (existing) return existing;

  const prefixes: string[] = [];
  const records: string[] = [];

  const resolve = (url: string | URL): URL | null => {
    try {
      return new URL(String(url), scope.location.href);
    } catch {
      return null;
    }
  };
  const isLocal = (url: URL) => url.protocol === 'data:' || url.protocol === 'blob:';
  const isAllowed = (url: string | URL): boolean => {
    const resolved = resolve(url);
    if (!resolved) return false;
    return isLocal(resolved) || prefixes.some((prefix) => resolved.href.startsWith(prefix));
  };
  const isAllowedScript = (url: string | URL): boolean => {
    const resolved = resolve(url);
    return !!resolved && (resolved.origin === scope.location.origin || isAllowed(resolved));
  };
  const record = (url: string | URL) => {
    records.push(resolve(url)?.href ?? String(url));
    if (records.length > MAX_RECORDS) records.splice(0, records.length - MAX_RECORDS);
  };
  const refusal = (url: string | URL) => `facekit: request to ${String(url)} blocked (outside the assets base)`;

  const originalFetch = scope.fetch;
  if (originalFetch) {
    scope.fetch = function guardedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      const url = typeof input === 'object' && 'url' in input ? input.url : input;
      if (!isAllowed(url)) {
        record(url);
        return Promise.reject(new TypeError(refusal(url)));
      }
      return originalFetch.call(scope, input, init);
    } as typeof fetch;
  }

  const Xhr = scope.XMLHttpRequest;
  if (Xhr) {
    const refused = new WeakSet<XMLHttpRequest>();
    const originalOpen = Xhr.prototype.open as (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) => void;
    const originalSend = Xhr.prototype.send;
    Xhr.prototype.open = function guardedOpen(this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
      if (isAllowed(url)) {
        refused.delete(this);
        return originalOpen.call(this, method, url, ...rest);
      }
      record(url);
      refused.add(this);
      return originalOpen.call(this, method, UNLOADABLE_URL, ...rest);
    } as typeof Xhr.prototype.open;
    Xhr.prototype.send = function guardedSend(this: XMLHttpRequest, body?: Parameters<XMLHttpRequest['send']>[0]) {
      originalSend.call(this, body);
      // Synchronous requests have already failed inside send(); asynchronous ones end here.
      if (refused.has(this)) this.abort();
    };
  }

  const navigator = scope.navigator;
  const originalBeacon = navigator?.sendBeacon;
  if (navigator && originalBeacon) {
    navigator.sendBeacon = function guardedBeacon(url: string | URL, data?: BodyInit | null): boolean {
      if (!isAllowed(url)) {
        record(url);
        return false;
      }
      return originalBeacon.call(navigator, url, data);
    };
  }

  const originalImportScripts = scope.importScripts;
  if (originalImportScripts) {
    scope.importScripts = function guardedImportScripts(...urls: (string | URL)[]): void {
      const refusedUrl = urls.find((url) => !isAllowedScript(url));
      if (refusedUrl !== undefined) {
        record(refusedUrl);
        throw new DOMException(refusal(refusedUrl), 'NetworkError');
      }
      originalImportScripts.apply(scope, urls);
    };
  }

  for (const name of ['WebSocket', 'EventSource'] as const) {
    const Original = scope[name];
    if (!Original) continue;
    scope[name] = new Proxy(Original, {
      construct(target, args: unknown[], newTarget) {
        const url = args[0] as string | URL;
        if (!isAllowed(url)) {
          record(url);
          throw new DOMException(refusal(url), 'SecurityError');
        }
        return Reflect.construct(target, args, newTarget) as object;
      },
    }) as never;
  }

  const guard: EgressGuard = {
    allow(prefix) {
      const resolved = resolve(prefix);
      if (!resolved || isLocal(resolved)) throw new TypeError(`not an absolute http(s) URL: ${prefix}`);
      resolved.search = '';
      resolved.hash = '';
      const href = resolved.href.endsWith('/') ? resolved.href : `${resolved.href}/`;
      if (!prefixes.includes(href)) prefixes.push(href);
    },
    isAllowed,
    blocked: () => [...records],
  };
  Object.defineProperty(holder, INSTALLED, { value: guard });
  return guard;
}
