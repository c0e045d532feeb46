// The endpoint and its face-platform mock in this test process, for the end-to-end tests that
// need the mock's fault switch and its request log, and helpers that drive <face-enroll> on the
// demo page from a photo file (no camera wait).
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { root, waitForEvent } from './harness.ts';

/** One request as the mock logged it (its last 100). */
export interface MockRequest {
  method: string;
  path: string;
  tokenOk: boolean;
}

/** The mock's fault switch (`POST /__faults`); see packages/server/src/mocks/faults.ts. */
export interface FaultSettings {
  latencyMs?: number;
  status?: 413 | 429 | 500 | 502 | 503 | 504;
  malformedJson?: boolean;
  resetConnection?: boolean;
  path?: string;
  times?: number;
}

export interface FacePlatformStack {
  /** The endpoint, which also serves the demo site. */
  url: string;
  mockUrl: string;
  /** The mock's request log (the last 100, oldest first). */
  requests: readonly MockRequest[];
  setFault(settings: FaultSettings): Promise<void>;
  clearFault(): Promise<void>;
  close(): Promise<void>;
}

interface StartedServer {
  url: string;
  mocks: { facePlatform?: { url: string; requests: MockRequest[] } };
  close(): Promise<void>;
}

interface ServerModule {
  startServer(options: Record<string, unknown>): Promise<StartedServer>;
  loadConfig(env: Record<string, string>): unknown;
}

/** The demo server with `config` laid over the defaults (e.g. `{ vendorTimeoutMs: 1500 }`). */
export async function startFacePlatformStack(config: Record<string, unknown> = {}): Promise<FacePlatformStack> {
  const server = (await import(resolve(root, 'packages/server/dist/index.js'))) as ServerModule;
  const defaults = (await server.loadConfig({})) as Record<string, unknown>;
  const running = await server.startServer({ port: 0, host: '127.0.0.1', staticDir: resolve(root, 'dist/site'), config: { ...defaults, ...config } });
  const mock = running.mocks.facePlatform;
  if (!mock) {
    await running.close();
    throw new Error('the face-platform mock did not start');
  }
  const faults = async (method: 'POST' | 'DELETE', body?: FaultSettings): Promise<void> => {
    const response = await fetch(`${mock.url}/__faults`, { method, body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`fault switch answered HTTP ${response.status}: ${await response.text()}`);
  };
  return {
    url: running.url,
    mockUrl: mock.url,
    requests: mock.requests,
    setFault: (settings) => faults('POST', settings),
    clearFault: () => faults('DELETE'),
    close: () => running.close(),
  };
}

/** Marks the mock's log now; `count(path)` then counts the requests to `path` made since. */
export function vendorCalls(stack: FacePlatformStack): { count(path: string): number } {
  const seen = new Set(stack.requests);
  return { count: (path) => stack.requests.filter((request) => !seen.has(request) && request.path === path).length };
}

/** Polls `test` every 50 ms until it holds; fails after `timeoutMs`. */
export async function waitUntil(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
}

/** Forgets the events the demo page recorded so far, so that the next waits see new ones only. */
export async function clearEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { facekitEvents: unknown[] }).facekitEvents.length = 0;
  });
}

/** The phases of the `facekit-status` events recorded since the last clearEvents(). */
export function phases(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (window as unknown as { facekitEvents: { type: string; detail: { phase?: string; hint?: string } }[] }).facekitEvents
      .filter((event) => event.type === 'facekit-status' && !event.detail.hint)
      .map((event) => event.detail.phase ?? ''),
  );
}

/** Opens the demo page of <face-enroll> and waits for the element. */
export async function openEnrollPage(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/face-enroll.html`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
}

/** Gives the element a photo file (as a user picking one); resolves once it is the capture. */
export async function capturePhoto(page: Page, photo: string, mode: 'enroll' | 'search' | 'verify' = 'enroll'): Promise<void> {
  await page.evaluate((wanted) => {
    const element = document.querySelector('face-enroll')!;
    // From any state (an error, a result): back to the file chooser.
    element.reset();
    element.autoSubmit = false;
    element.mode = wanted;
    element.source = 'file';
  }, mode);
  await clearEvents(page);
  const input = page.locator('face-enroll').locator('input[type="file"]');
  await input.waitFor({ state: 'attached', timeout: 30_000 });
  await input.setInputFiles(photo);
  await waitForEvent(page, 'facekit-status', { phase: 'captured' }, 60_000);
}

/** The text of the element's status line and of its error box. */
export function shownStatus(page: Page): Promise<{ status: string; error: string }> {
  return page.evaluate(() => {
    const shadow = document.querySelector('face-enroll')!.shadowRoot!;
    return {
      status: shadow.querySelector('[part~="hint"]')?.textContent?.trim() ?? '',
      error: shadow.querySelector('[part~="error"]')?.textContent?.trim() ?? '',
    };
  });
}

/**
 * Captures kept in the kit's upload queue (IndexedDB `facekit` / `uploads`). The database is not
 * opened unless it exists, so that this never creates it ahead of the kit.
 */
export function keptUploads(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const databases = await indexedDB.databases();
    if (!databases.some((database) => database.name === 'facekit')) return 0;
    return new Promise<number>((resolvePromise, reject) => {
      const open = indexedDB.open('facekit');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('uploads')) {
          db.close();
          resolvePromise(0);
          return;
        }
        const request = db.transaction('uploads', 'readonly').objectStore('uploads').count();
        request.onsuccess = () => {
          db.close();
          resolvePromise(request.result);
        };
        request.onerror = () => reject(request.error);
      };
    });
  });
}
