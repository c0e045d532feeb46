// Shared set-up for end-to-end tests: the real server (demo site + endpoint + mock vendors)
// on loopback, and Chromium with a fake camera playing a real face video.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type LaunchOptions, type Page } from 'playwright-core';
import { after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { ensureFixtures } from '../../scripts/fixtures.mjs';
import { CHROMIUM_FLAGS, LOOPBACK_ONLY, chromePath, fakeCameraArgs } from '../../scripts/lib/system.mjs';
import { launchProfile } from '../../scripts/lib/page-load.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The endpoint with its mock vendors, serving `staticDir` (default: the demo site). */
export async function startDemoServer(staticDir = resolve(root, 'dist/site')): Promise<RunningServer> {
  const { startServer, loadConfig } = await import(resolve(root, 'packages/server/dist/index.js'));
  return startServer({ port: 0, host: '127.0.0.1', staticDir, config: await loadConfig({}) });
}

export type CameraKind = 'face' | 'noface' | 'denied';

export interface DemoSite {
  server: RunningServer;
  browser: Browser;
}

/** The demo site's server and a Chromium with the fake camera, started before a file's tests and closed after them. */
export function useDemoSite(camera: CameraKind = 'face'): DemoSite {
  const site = {} as DemoSite;
  before(async () => {
    site.server = await startDemoServer();
    site.browser = await launchBrowser(camera);
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}

/** Host names resolve to nothing but loopback in the test browser (see LOOPBACK_ONLY). */
export const LOOPBACK_ONLY_FLAG = LOOPBACK_ONLY;

/** The `foreign` lists of every page opened by openRecordedPage() in this test process. */
const recordedForeign: string[][] = [];

// No egress, in every end-to-end test: a test whose page or workers requested anything outside
// the test server fails here, whether or not the test itself checks. A test that provokes such a
// request on purpose empties its `foreign` list once it has checked it.
afterEach(() => {
  // Emptied in place: a page opened in a `before` hook is checked again after the next test.
  const leaked = recordedForeign.flatMap((list) => list.splice(0));
  assert.deepEqual(leaked, [], `requests left the test server: ${leaked.join(', ')}`);
});

/** `extraArgs`: more Chromium flags, e.g. `--js-flags=--noexpose_wasm` (test/e2e/webview.test.ts). */
export async function launchBrowser(camera: CameraKind, extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch(await cameraLaunchOptions(camera, extraArgs));
}

/**
 * Chromium with the fake camera on a new persistent profile, whose HTTP cache and storage are on
 * disk as in a visitor's normal profile (`browser.newContext()` is off the record, in memory).
 */
export async function launchCameraProfile(camera: CameraKind): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  return launchProfile(await cameraLaunchOptions(camera));
}

async function cameraLaunchOptions(camera: CameraKind, extraArgs: string[] = []): Promise<LaunchOptions> {
  const fixtures = await ensureFixtures();
  const cameraArgs =
    camera === 'denied'
      ? ['--use-fake-device-for-media-stream', '--deny-permission-prompts']
      : fakeCameraArgs(camera === 'face' ? fixtures.videos.face : fixtures.videos.noface);
  const args = [...CHROMIUM_FLAGS, LOOPBACK_ONLY_FLAG, ...cameraArgs, ...extraArgs];
  return { executablePath: chromePath() ?? '/usr/bin/chromium', headless: true, args };
}

/**
 * Opens a page that records every request and refuses any that leaves the test server's origin
 * (or origins: a page and its CDN), including requests made by workers.
 */
export async function openRecordedPage(
  browser: Browser,
  origin: string | readonly string[],
  contextOptions: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page; requests: string[]; foreign: string[] }> {
  const context = await browser.newContext(contextOptions);
  const requests: string[] = [];
  const foreign: string[] = [];
  recordedForeign.push(foreign);
  const origins = typeof origin === 'string' ? [origin] : origin;
  const isLocal = (url: string) => origins.some((allowed) => url.startsWith(allowed + '/')) || url.startsWith('data:') || url.startsWith('blob:');
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    foreign.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (request) => {
    requests.push(request.url());
    if (!isLocal(request.url()) && !foreign.includes(request.url())) foreign.push(request.url());
  });
  const page = await context.newPage();
  logPageErrors(page);
  return { context, page, requests, foreign };
}

/** Prints the console errors and uncaught errors of a page, or of every page of a context. */
export function logPageErrors(target: Page | BrowserContext): void {
  target.on('console', (message) => {
    if (message.type() === 'error') console.log(`[page] ${message.text()}`);
  });
  if ('goto' in target) target.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  else target.on('weberror', (error) => console.log(`[page error] ${error.error().message}`));
}

/** In a `waitForEvent` match: the field must be present and truthy, whatever its value. */
export const PRESENT = '\u0000present';

/**
 * Waits until the page has recorded (in `window.facekitEvents`) an event of this type whose detail
 * has every field of `match`; returns that detail. Plain data, no code strings, so it also works
 * under a CSP without 'unsafe-eval'.
 */
export async function waitForEvent<T = Record<string, unknown>>(page: Page, type: string, match: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> {
  const handle = await waitForRecordedEvent(page, type, match, timeoutMs).catch(async (error: unknown) => {
    // Say what the page did see: a bare timeout tells nothing about where the flow stopped.
    const seen = await page
      .evaluate(() =>
        ((window as unknown as { facekitEvents?: { type: string; detail: Record<string, unknown> }[] }).facekitEvents ?? []).map(
          ({ type: seenType, detail }) => `${seenType} ${JSON.stringify(detail ?? {}).slice(0, 160)}`,
        ),
      )
      .catch(() => ['(the page could not be read)']);
    const online = await page.evaluate(() => navigator.onLine).catch(() => 'unknown');
    throw new Error(
      `no ${type} ${JSON.stringify(match)} within ${timeoutMs} ms (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ` +
        `page ${page.url()}, online ${online}; events seen:\n  ${seen.slice(-25).join('\n  ') || '(none)'}`,
    );
  });
  return (await handle.jsonValue()) as T;
}

function waitForRecordedEvent(page: Page, type: string, match: Record<string, unknown>, timeoutMs: number) {
  return page.waitForFunction(
    ([eventType, wanted, present]) => {
      const events = (window as unknown as { facekitEvents?: { type: string; detail: Record<string, unknown> }[] }).facekitEvents ?? [];
      const found = events.find(
        (event) =>
          event.type === eventType &&
          Object.entries(wanted).every(([key, value]) => (value === present ? !!event.detail?.[key] : event.detail?.[key] === value)),
      );
      return found ? found.detail : undefined;
    },
    [type, match, PRESENT] as const,
    { timeout: timeoutMs, polling: 100 },
  );
}

/** The Content Security Policy the README tells sites to send (the endpoint on the same origin). */
export const KIT_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
].join('; ');

/**
 * Sends `policy` with every response from `origin` to `context`'s pages and workers, and records
 * each page's violations for cspViolations().
 */
export async function enforceCsp(context: BrowserContext, origin: string, policy: string = KIT_CSP): Promise<void> {
  await context.route(`${origin}/**`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
  });
  await context.addInitScript(() => {
    const scope = window as unknown as { cspViolations: string[] };
    scope.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      scope.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`);
    });
  });
}

/** The page's CSP violations so far (enforceCsp()). */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}
