// The script-tag kit with parts of it on another origin, as the README's "Content Security
// Policy" and "On a CDN" sections describe: two loopback origins, the page's
// (http://127.0.0.1:<port>, the demo site's files) and a CDN's (http://localhost:<port>, dist/kit,
// with or without `Access-Control-Allow-Origin`), both served by the server package's own static
// file handler. Each page is served under the README's policy with the CDN added where it says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, Worker } from 'playwright-core';
import { launchBrowser, openRecordedPage, root, waitForEvent, type RunningServer } from './harness.ts';

/** A static origin: a folder of dist/, plus pages written by the test, optionally with CORS and a CSP. */
interface StaticOrigin extends RunningServer {
  /** Every path the origin was asked for, in order: what reached it, whatever the browser did with it. */
  readonly paths: string[];
  /** `<status> <path>` of every answer, in order. */
  readonly answered: string[];
  /** HTML pages by path, answered before the folder's files. */
  readonly pages: Map<string, string>;
  /** `Content-Security-Policy` on every response, when set. */
  csp: string;
  /** The violation reports the browser posted to `/csp-report` (the page's and its workers'). */
  readonly cspReports: string[];
}

/**
 * `dir` served by the server package's own static handler (precompressed variants, types, cache
 * headers) on 127.0.0.1, under the name `hostName`. That handler sends no CORS or CSP headers
 * (the server package leaves them to the site), so they are added here, as a CDN or a site would.
 * Real servers for both origins, not Playwright's route.fulfill(): Chromium's local network
 * access checks count a fulfilled document as public and refuse its requests to loopback.
 */
async function startStaticOrigin(dir: string, { hostName, cors }: { hostName: '127.0.0.1' | 'localhost'; cors: boolean }): Promise<StaticOrigin> {
  const { serveStaticFile } = (await import(resolve(root, 'packages/server/dist/index.js'))) as {
    serveStaticFile(root: string, request: Request): Promise<Response | null>;
  };
  const staticRoot = resolve(root, dir);
  const paths: string[] = [];
  const answered: string[] = [];
  const pages = new Map<string, string>();
  const origin = { csp: '' };
  const cspReports: string[] = [];
  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    paths.push(incoming.url ?? '');
    if (incoming.method === 'POST' && incoming.url === CSP_REPORT_PATH) {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      cspReports.push(Buffer.concat(chunks).toString('utf8'));
      outgoing.writeHead(204).end();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) headers.set(name, value.join(', '));
    }
    const request = new Request(`http://${hostName}${incoming.url ?? '/'}`, { method: incoming.method, headers });
    const page = pages.get(new URL(request.url).pathname);
    const response = page
      ? new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } })
      : ((await serveStaticFile(staticRoot, request)) ?? new Response('not found', { status: 404 }));
    const answer: Record<string, string> = Object.fromEntries(response.headers);
    if (cors) answer['access-control-allow-origin'] = '*';
    if (origin.csp) answer['content-security-policy'] = origin.csp;
    answered.push(`${response.status} ${incoming.url ?? ''}`);
    outgoing.writeHead(response.status, answer);
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  };
  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      outgoing.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return Object.assign(origin, {
    url: `http://${hostName}:${port}`,
    paths,
    answered,
    pages,
    cspReports,
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  });
}

const CSP_REPORT_PATH = '/csp-report';

/**
 * The README's policy, with the CDN added to `script-src` and `connect-src` as the README says.
 * Violations are reported to the page's origin: a worker's too, which no page listener hears.
 */
const cspWith = (cdn: string): string =>
  [
    "default-src 'self'",
    `script-src 'self' ${cdn} 'wasm-unsafe-eval'`,
    "worker-src 'self'",
    `connect-src 'self' ${cdn}`,
    "img-src 'self' data: blob:",
    "style-src 'self'",
    `report-uri ${CSP_REPORT_PATH}`,
  ].join('; ');

const PAGE_PATH = '/cross-origin/page.html';
const RUNTIMES = ['vision_wasm_module_internal', 'vision_wasm_internal', 'vision_wasm_nosimd_internal'];

/** The page's origin: the demo site's files (with the kit in /kit/) and the test's page. */
let site: StaticOrigin;
/** The CDN: dist/kit (facekit.js, assets/kit/ chunks, the worker, wasm, models), with CORS. */
let cdn: StaticOrigin;
/** The same CDN without CORS headers. */
let cdnWithoutCors: StaticOrigin;
let browser: Browser;

before(async () => {
  [site, cdn, cdnWithoutCors, browser] = await Promise.all([
    startStaticOrigin('dist/site', { hostName: '127.0.0.1', cors: false }),
    startStaticOrigin('dist/kit', { hostName: 'localhost', cors: true }),
    startStaticOrigin('dist/kit', { hostName: 'localhost', cors: false }),
    launchBrowser('face'),
  ]);
});

after(async () => {
  await browser?.close();
  await Promise.all([site?.close(), cdn?.close(), cdnWithoutCors?.close()]);
});

interface CrossOriginPage {
  context: BrowserContext;
  page: Page;
  requests: string[];
  foreign: string[];
  /** Console lines of the page and its workers. */
  consoleLines: string[];
  /** The URL of every worker the context's pages started. */
  workerUrls: string[];
}

/** Records the elements' events and the document's CSP violations, in every page of the context. */
function recordEvents(): void {
  const scope = window as unknown as { facekitEvents: unknown[]; cspViolations: string[] };
  scope.facekitEvents = [];
  scope.cspViolations = [];
  for (const type of ['facekit-status', 'facekit-result', 'facekit-error']) {
    document.addEventListener(type, (event) => scope.facekitEvents.push({ type, detail: (event as CustomEvent).detail }), true);
  }
  document.addEventListener('securitypolicyviolation', (event) => {
    scope.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
  });
}

/**
 * A page on the site's origin that includes facekit.js from `kitUrl` and holds `<face-enroll
 * lang="en" …attributes>`, with `csp` on every response of the site's origin (the page's, the
 * kit's and the worker's). Requests outside the site and `cdnOrigin` are refused and fail the test.
 */
async function openCrossOriginPage(kitUrl: string, cdnOrigin: string, attributes: string, csp: string): Promise<CrossOriginPage> {
  site.csp = csp;
  site.pages.set(
    PAGE_PATH,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cross-origin kit</title><script src="${kitUrl}"></script></head><body><face-enroll lang="en" ${attributes}></face-enroll></body></html>`,
  );
  const opened = await openRecordedPage(browser, [site.url, cdnOrigin]);
  const { context, page } = opened;
  const consoleLines: string[] = [];
  const workerUrls: string[] = [];
  const listen = (target: Page | Worker): void => {
    target.on('console', (message) => consoleLines.push(message.text()));
  };
  const onWorker = (worker: Worker): void => {
    workerUrls.push(worker.url());
    listen(worker);
  };
  context.on('page', (added) => {
    listen(added);
    added.on('worker', onWorker);
  });
  listen(page);
  page.on('worker', onWorker);
  await context.addInitScript(recordEvents);
  return { ...opened, consoleLines, workerUrls };
}

/** An event as recordEvents() keeps it. */
type Recorded = { type: string; detail: { phase?: string; hint?: string; code?: string } };

/**
 * Opens the page, starts the element, and waits for the fake camera's face to be captured: guidance
 * on an analysed frame, then the photo taken by itself once the face held still. A `facekit-error`
 * on the way fails at once, with its code.
 */
async function visitAndCapture(page: Page): Promise<void> {
  await page.goto(`${site.url}${PAGE_PATH}`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined, null, { timeout: 30_000 });
  await page.evaluate(() => void document.querySelector('face-enroll')!.start());
  const outcome = await page.waitForFunction(
    () => {
      const events = (window as unknown as { facekitEvents: Recorded[] }).facekitEvents;
      const error = events.find((event) => event.type === 'facekit-error');
      if (error) return `error ${error.detail.code}`;
      const guided = events.findIndex((event) => event.detail?.phase === 'guiding' && event.detail.hint);
      return guided >= 0 && events.slice(guided).some((event) => event.detail?.phase === 'captured') ? 'captured' : undefined;
    },
    null,
    { timeout: 90_000, polling: 100 },
  );
  assert.equal(await outcome.jsonValue(), 'captured');
}

/** CSP violations seen by the page, logged, or reported to the site by the page or a worker. */
const cspProblems = (opened: CrossOriginPage): Promise<string[]> =>
  opened.page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations).then((violations) => [
    ...violations,
    ...opened.consoleLines.filter((line) => /Content Security Policy/i.test(line)),
    ...site.cspReports.splice(0),
  ]);

/** The runtime variants requested (wasm or loader script), by name. */
const runtimesIn = (urls: string[]): string[] => RUNTIMES.filter((name) => urls.some((url) => new RegExp(`/wasm/${name}\\.(wasm|js)`).test(url)));
const isAsset = (url: string): boolean => /\/assets\/(wasm\/[^/]+\.wasm|models\/)/.test(url);
const assetPaths = (paths: string[]): string[] => paths.filter(isAsset);

/** The URLs of the kit's Cache Storage entries (the wasm and models the worker kept). */
async function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
    }
    return urls;
  });
}

test('the kit on the page origin, its wasm and models on a CDN origin with CORS: a module worker detects, then a second visit reads them from Cache Storage', { timeout: 180_000 }, async () => {
  const assetsBase = `${cdn.url}/assets/`;
  const opened = await openCrossOriginPage(`${site.url}/kit/facekit.js`, cdn.url, `assets-base="${assetsBase}"`, cspWith(cdn.url));
  const { context, page, requests, foreign } = opened;
  const cdnBefore = cdn.paths.length;
  await visitAndCapture(page);

  // The module-worker rung: the kit's worker runs from the page's origin, with the module runtime.
  assert.deepEqual(
    opened.workerUrls.map((url) => url.replace(/-[\w-]+\.js$/, '-<hash>.js')),
    [`${site.url}/kit/assets/vision.worker-<hash>.js`],
    'one vision worker, from the page origin',
  );
  assert.deepEqual(runtimesIn(requests), ['vision_wasm_module_internal'], 'only the module worker runtime');
  assert.ok(!opened.consoleLines.some((line) => /vision host failed/.test(line)), 'no rung failed');

  // The kit's code from the page's origin, the wasm and models from the CDN.
  assert.ok(requests.some((url) => url.startsWith(`${site.url}/kit/assets/kit/face-enroll-`)), 'the element chunk from the page origin');
  const assetRequests = requests.filter(isAsset);
  assert.ok(assetRequests.some((url) => url === `${assetsBase}wasm/vision_wasm_module_internal.wasm`), 'the wasm from the CDN');
  assert.ok(assetRequests.some((url) => url === `${assetsBase}models/face_detector_short.tflite`), 'the model from the CDN');
  assert.deepEqual(assetRequests.filter((url) => !url.startsWith(assetsBase)), [], 'no wasm or model from anywhere else');
  assert.deepEqual(assetPaths(cdn.paths.slice(cdnBefore)).sort(), ['/assets/models/face_detector_short.tflite', '/assets/wasm/vision_wasm_module_internal.wasm'], 'what reached the CDN');
  assert.deepEqual(await cspProblems(opened), [], 'nothing beyond the documented policy with the CDN added');
  assert.deepEqual(foreign, [], 'no request outside the two origins');

  // The page origin's Cache Storage keeps the CDN's files; wait until both are stored.
  const deadline = Date.now() + 20_000;
  let cached = await cachedUrls(page);
  while (cached.filter(isAsset).length < 2 && Date.now() < deadline) {
    await page.waitForTimeout(250);
    cached = await cachedUrls(page);
  }
  assert.deepEqual(cached.filter(isAsset).sort(), [`${assetsBase}models/face_detector_short.tflite`, `${assetsBase}wasm/vision_wasm_module_internal.wasm`]);

  // A second visit in the same profile. Request routing turns the HTTP cache off, so a file that
  // does not reach the CDN came from Cache Storage.
  await page.close();
  const cdnBeforeSecond = cdn.paths.length;
  const second = await context.newPage();
  await visitAndCapture(second);
  assert.deepEqual(assetPaths(cdn.paths.slice(cdnBeforeSecond)), [], 'no wasm or model request reached the CDN on the second visit');
  assert.ok(cdn.paths.slice(cdnBeforeSecond).length > 0, 'the CDN was used on the second visit too (the runtime loader)');
  assert.deepEqual(await cspProblems({ ...opened, page: second }), []);
  assert.deepEqual(foreign, []);
  await context.close();
});

test('the whole kit on a CDN origin with CORS: the chunks load, the cross-origin worker falls to the page rung, and the face is detected', { timeout: 180_000 }, async () => {
  const opened = await openCrossOriginPage(`${cdn.url}/facekit.js`, cdn.url, '', cspWith(cdn.url));
  const { context, page, requests, foreign } = opened;
  await visitAndCapture(page);

  // The element chunks are module scripts from the CDN, fetched with CORS.
  assert.ok(requests.some((url) => url.startsWith(`${cdn.url}/assets/kit/face-enroll-`)), 'the element chunk from the CDN');
  assert.ok(requests.some((url) => url.startsWith(`${cdn.url}/assets/kit/shared-`)), 'the shared chunk from the CDN');
  assert.deepEqual(
    requests.filter((url) => url.startsWith(site.url)),
    [`${site.url}${PAGE_PATH}`],
    'the page origin serves the page only',
  );

  // The browser refuses a worker from another origin: both worker rungs fail, the page rung runs
  // the same bundle as a module script from the CDN.
  assert.deepEqual(opened.workerUrls, [], 'no worker was started');
  const pageBundle = await page.evaluate(() => [...document.querySelectorAll<HTMLScriptElement>('script[type="module"]')].map((script) => script.src));
  assert.ok(pageBundle.some((src) => src.startsWith(`${cdn.url}/assets/vision.worker-`)), `the vision bundle runs on the page (module scripts: ${pageBundle.join(', ')})`);
  assert.deepEqual(runtimesIn(requests), ['vision_wasm_internal'], 'the runtime of the page rung');

  // The assets beside the script, on the CDN.
  assert.ok(requests.some((url) => url === `${cdn.url}/assets/wasm/vision_wasm_internal.wasm`), 'the wasm from the CDN');
  assert.ok(requests.some((url) => url === `${cdn.url}/assets/models/face_detector_short.tflite`), 'the model from the CDN');
  assert.deepEqual(await cspProblems(opened), [], 'nothing beyond the documented policy with the CDN added');
  assert.deepEqual(foreign, [], 'no request outside the two origins');
  await context.close();
});

test('wasm and models on a CDN origin without CORS headers: MODEL_LOAD on the element, in its language, without hanging', { timeout: 120_000 }, async () => {
  const assetsBase = `${cdnWithoutCors.url}/assets/`;
  const opened = await openCrossOriginPage(`${site.url}/kit/facekit.js`, cdnWithoutCors.url, `assets-base="${assetsBase}"`, cspWith(cdnWithoutCors.url));
  const { context, page, foreign } = opened;
  await page.goto(`${site.url}${PAGE_PATH}`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined, null, { timeout: 30_000 });
  await page.evaluate(() => void document.querySelector('face-enroll')!.start());
  // Bounded below the kit's own 30 s start timeout: the error comes from the refused files, not from waiting.
  const error = await waitForEvent<{ code: string; message: string; retryable: boolean }>(page, 'facekit-error', {}, 20_000);
  assert.deepEqual(error, { code: 'MODEL_LOAD', message: 'The face model failed to load; check the connection and retry', retryable: true });
  // The CDN had the runtime's files and sent them (the loader script, and the wasm and model when
  // asked before the first refusal); the browser kept them from the worker for want of CORS
  // headers. The same set-up with the headers detects (the first test).
  const runtimeAnswers = cdnWithoutCors.answered.filter((answer) => / \/assets\/(wasm|models)\//.test(answer));
  assert.ok(runtimeAnswers.length > 0, 'the worker asked the CDN');
  assert.deepEqual(runtimeAnswers.filter((answer) => !answer.startsWith('200 ')), [], 'the CDN answered every request');

  const alert = page.locator('face-enroll').getByRole('alert');
  await alert.waitFor({ timeout: 10_000 });
  assert.match((await alert.textContent()) ?? '', /The face model failed to load/);
  assert.equal(await alert.getByRole('button').count(), 1, 'a retry button');
  // The message follows the element's language.
  await page.evaluate(() => document.querySelector('face-enroll')!.setAttribute('lang', 'zh-CN'));
  await page.waitForFunction(() => /人脸模型加载失败/.test(document.querySelector('face-enroll')!.shadowRoot!.querySelector('[role="alert"]')?.textContent ?? ''), null, { timeout: 10_000 });
  assert.ok(!(await page.evaluate(() => (window as unknown as { facekitEvents: { detail: { phase?: string } }[] }).facekitEvents.some((event) => event.detail?.phase === 'captured'))));
  assert.deepEqual(await cspProblems(opened), []);
  assert.deepEqual(foreign, []);
  await context.close();
});

test('the whole kit on a CDN origin without CORS headers: facekit.load() rejects at once and the tag stays undefined', { timeout: 60_000 }, async () => {
  const opened = await openCrossOriginPage(`${cdnWithoutCors.url}/facekit.js`, cdnWithoutCors.url, '', cspWith(cdnWithoutCors.url));
  const { context, page, foreign } = opened;
  await page.goto(`${site.url}${PAGE_PATH}`);
  // facekit.js itself is a classic script, which needs no CORS; the element chunks are module scripts, which do.
  assert.equal(await page.evaluate(() => typeof window.facekit?.load), 'function');
  const outcome = await page.evaluate(() =>
    Promise.race([
      window.facekit.load('face-enroll').then(
        () => 'loaded',
        (error: Error) => `rejected: ${error.message}`,
      ),
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 15 s'), 15_000)),
    ]),
  );
  assert.match(outcome, /^rejected: /);
  assert.equal(await page.evaluate(() => customElements.get('face-enroll')), undefined);
  assert.ok(cdnWithoutCors.answered.some((answer) => /^200 \/assets\/kit\/face-enroll-/.test(answer)), 'the CDN sent the chunk');
  assert.ok(opened.consoleLines.some((line) => line.includes('facekit: <face-enroll> could not be loaded')), 'the loader says which element failed');
  assert.deepEqual(await cspProblems(opened), []);
  assert.deepEqual(foreign, []);
  await context.close();
});
