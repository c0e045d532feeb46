// Shared set-up for end-to-end tests: the real server (demo site + endpoint + mock vendors)
// on loopback, and Chromium with a fake camera playing a real face video.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { ensureFixtures } from '../../scripts/fixtures.mjs';
import { CHROMIUM_FLAGS, chromePath } from '../../scripts/lib/system.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startDemoServer(): Promise<RunningServer> {
  const { startServer, loadConfig } = await import(resolve(root, 'packages/server/dist/index.js'));
  return startServer({ port: 0, host: '127.0.0.1', staticDir: resolve(root, 'dist/site'), config: loadConfig({}) });
}


export type CameraKind = 'face' | 'noface' | 'denied';

export async function launchBrowser(camera: CameraKind): Promise<Browser> {
  const fixtures = await ensureFixtures();
  const args = [...CHROMIUM_FLAGS, '--use-fake-device-for-media-stream'];
  if (camera === 'denied') args.push('--deny-permission-prompts');
  else args.push('--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${camera === 'face' ? fixtures.videos.face : fixtures.videos.noface}`);
  return chromium.launch({ executablePath: chromePath() ?? '/usr/bin/chromium', headless: true, args });
}

/**
 * Opens a page that records every request and refuses any that leaves the test server's origin,
 * including requests made by workers.
 */
export async function openRecordedPage(browser: Browser, origin: string): Promise<{ context: BrowserContext; page: Page; requests: string[]; foreign: string[] }> {
  const context = await browser.newContext();
  const requests: string[] = [];
  const foreign: string[] = [];
  const isLocal = (url: string) => url.startsWith(origin + '/') || url.startsWith('data:') || url.startsWith('blob:');
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
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[page] ${message.text()}`);
  });
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  return { context, page, requests, foreign };
}

/** In a `waitForEvent` match: the field must be present and truthy, whatever its value. */
export const PRESENT = '\u0000present';

/**
 * Waits until the page has recorded (in `window.facekitEvents`) an event of this type whose detail
 * has every field of `match`; returns that detail. Plain data, no code strings, so it also works
 * under a CSP without 'unsafe-eval'.
 */
export async function waitForEvent<T = Record<string, unknown>>(page: Page, type: string, match: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> {
  const handle = await page.waitForFunction(
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
  return (await handle.jsonValue()) as T;
}
