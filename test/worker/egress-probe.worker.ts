// Tries every request API of a worker with the egress guard installed and reports what happened.
// Resource Timing shows whether a request really went out.
import { installEgressGuard, type GuardableScope } from '../../packages/core/src/worker/egress-guard.js';

const guard = installEgressGuard(self as unknown as GuardableScope);

export interface ProbeRequest {
  allowedPrefix?: string;
  allowedUrl: string;
  refusedUrls: { fetch: string; xhr: string; syncXhr: string; script: string; socket: string; events: string };
}

export interface ProbeReport {
  fetchRefused: string;
  fetchAllowed: number | string;
  xhrEvents: string[];
  xhrReadyState: number;
  syncXhr: string;
  script: string;
  socket: string;
  events: string;
  requested: string[];
  blocked: string[];
}

const errorName = (error: unknown) => (error instanceof Error || error instanceof DOMException ? error.name : String(error));

async function probe(request: ProbeRequest): Promise<ProbeReport> {
  if (request.allowedPrefix) guard.allow(request.allowedPrefix);
  const { refusedUrls } = request;

  const fetchRefused = await fetch(refusedUrls.fetch).then(
    (response) => `answered ${response.status}`,
    (error: unknown) => errorName(error),
  );
  const fetchAllowed = await fetch(request.allowedUrl).then(
    (response) => response.status,
    (error: unknown) => errorName(error),
  );

  const xhr = new XMLHttpRequest();
  const xhrEvents: string[] = [];
  await new Promise<void>((resolve) => {
    for (const type of ['readystatechange', 'load', 'error', 'abort', 'loadend']) {
      xhr.addEventListener(type, () => {
        xhrEvents.push(type === 'readystatechange' ? `readystatechange:${xhr.readyState}` : type);
        if (type === 'loadend') resolve();
      });
    }
    xhr.open('POST', refusedUrls.xhr);
    xhr.setRequestHeader('Content-Type', 'text/plain');
    xhr.send('payload');
  });

  let syncXhr = 'sent';
  try {
    const sync = new XMLHttpRequest();
    sync.open('GET', refusedUrls.syncXhr, false);
    sync.send();
  } catch (error) {
    syncXhr = errorName(error);
  }

  let script = 'loaded';
  try {
    (self as unknown as { importScripts(...urls: string[]): void }).importScripts(refusedUrls.script);
  } catch (error) {
    script = errorName(error);
  }

  let socket = 'opened';
  try {
    new WebSocket(refusedUrls.socket).close();
  } catch (error) {
    socket = errorName(error);
  }

  let events = 'opened';
  try {
    new EventSource(refusedUrls.events).close();
  } catch (error) {
    events = errorName(error);
  }

  // Entries appear a little after the response.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const requested = performance.getEntriesByType('resource').map((entry) => entry.name);
  return {
    fetchRefused,
    fetchAllowed,
    xhrEvents,
    xhrReadyState: xhr.readyState,
    syncXhr,
    script,
    socket,
    events,
    requested,
    blocked: guard.blocked(),
  };
}

self.onmessage = async (event: MessageEvent<ProbeRequest>) => {
  self.postMessage(await probe(event.data));
};
