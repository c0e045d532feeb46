/**
 * The egress guard of the page host (the last rung of the worker ladder, on the main thread).
 *
 * In a worker the guard refuses everything outside the assets base (egress-guard.ts). On the page
 * that would break the site's own requests, so only the hosts that the vision runtime is known to
 * call by itself are refused: tasks-vision posts usage logs to a Google host. The page's `fetch`,
 * `sendBeacon` and `XMLHttpRequest` are wrapped for those hosts only; every other request passes
 * untouched.
 */
import type { EgressGuard } from './egress-guard.js';

/** Hosts the vision runtime calls without being asked. */
export const RUNTIME_TELEMETRY_HOSTS: readonly string[] = ['odml.pa.googleapis.com'];
const INSTALLED = Symbol.for('facekit.pageGuard');
const MAX_RECORDS = 200;

interface PageScope {
  location: { href: string };
  fetch?: typeof fetch;
  navigator?: { sendBeacon?: (url: string | URL, data?: BodyInit | null) => boolean };
  XMLHttpRequest?: typeof XMLHttpRequest;
}

export function installPageGuard(scope: PageScope): EgressGuard {
  const holder = scope as PageScope & { [INSTALLED]?: EgressGuard };
  if (holder[INSTALLED]) return holder[INSTALLED];
  const records: string[] = [];
  const prefixes: string[] = [];

  const resolve = (url: string | URL): URL | null => {
    try {
      return new URL(String(url), scope.location.href);
    } catch {
      return null;
    }
  };
  const isTelemetry = (url: string | URL): boolean => {
    const resolved = resolve(url);
    return !!resolved && RUNTIME_TELEMETRY_HOSTS.includes(resolved.hostname);
  };
  const record = (url: string | URL): void => {
    records.push(resolve(url)?.href ?? String(url));
    if (records.length > MAX_RECORDS) records.splice(0, records.length - MAX_RECORDS);
  };

  const originalFetch = scope.fetch;
  if (originalFetch) {
    scope.fetch = function telemetryGuardedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      const url = typeof input === 'object' && 'url' in input ? input.url : input;
      if (isTelemetry(url)) {
        record(url);
        return Promise.reject(new TypeError(`facekit: request to ${String(url)} blocked (vision runtime telemetry)`));
      }
      return originalFetch.call(scope, input, init);
    } as typeof fetch;
  }
  const navigator = scope.navigator;
  const originalBeacon = navigator?.sendBeacon;
  if (navigator && originalBeacon) {
    navigator.sendBeacon = function telemetryGuardedBeacon(url: string | URL, data?: BodyInit | null): boolean {
      if (isTelemetry(url)) {
        record(url);
        return false;
      }
      return originalBeacon.call(navigator, url, data);
    };
  }
  const Xhr = scope.XMLHttpRequest;
  if (Xhr) {
    const originalOpen = Xhr.prototype.open as (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) => void;
    Xhr.prototype.open = function telemetryGuardedOpen(this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
      if (!isTelemetry(url)) return originalOpen.call(this, method, url, ...rest);
      record(url);
      // An unloadable URL: the request fails on the device, with the usual events.
      return originalOpen.call(this, method, 'data:facekit-egress-blocked', ...rest);
    } as typeof Xhr.prototype.open;
  }

  const guard: EgressGuard = {
    allow(prefix) {
      const resolved = resolve(prefix);
      if (resolved && !prefixes.includes(resolved.href)) prefixes.push(resolved.href);
    },
    isAllowed: (url) => !isTelemetry(url),
    blocked: () => [...records],
  };
  Object.defineProperty(holder, INSTALLED, { value: guard });
  return guard;
}
