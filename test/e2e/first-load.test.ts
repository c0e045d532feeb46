// The first load, in Chromium over real HTTP: the element prefetches the wasm and the model when
// it shows (unless told not to, or the user saves data), shows a progress bar with the bytes while
// they download, and a warm load makes no request for any of the kit's files (scripts, worker,
// runtime, models): they come from the HTTP cache and the worker's asset cache, which is named by
// the assets' content hash and replaces the caches of other builds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, launchCameraProfile, logPageErrors, openRecordedPage, startDemoServer, waitForEvent, type RunningServer } from './harness.ts';
import { watchForeign } from '../../scripts/lib/page-load.mjs';

let server: RunningServer;
let browser: Browser;

before(async () => {
  server = await startDemoServer();
  browser = await launchBrowser('face');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const isRuntimeOrModel = (url: string) => /\/assets\/(wasm\/[^/]+\.wasm|models\/)/.test(url);

/** The demo page, with the element's `prefetch` attribute set in its HTML. */
async function openDemo(prefetch?: string, init?: () => void): Promise<{ page: Page; requests: string[]; close(): Promise<void> }> {
  const { context, page, requests } = await openRecordedPage(browser, server.url);
  if (init) await context.addInitScript(init);
  if (prefetch) {
    await page.route(`${server.url}/face-enroll.html`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('<face-enroll id="enroll"', `<face-enroll id="enroll" prefetch="${prefetch}"`);
      await route.fulfill({ response, body });
    });
  }
  await page.goto(`${server.url}/face-enroll.html`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
  // Each test closes its pages: a page left running its camera would slow the next tests down.
  return { page, requests, close: () => context.close() };
}

test('a visible element prefetches the runtime and the model before start()', { timeout: 60_000 }, async () => {
  const { page, requests, close } = await openDemo();
  await page.waitForFunction(() => performance.getEntriesByType('resource').length > 0);
  const deadline = Date.now() + 30_000;
  while (!(requests.some((url) => url.endsWith('.wasm')) && requests.some((url) => url.includes('/models/face_detector_short'))) && Date.now() < deadline) {
    await page.waitForTimeout(200);
  }
  assert.ok(requests.some((url) => url.endsWith('/wasm/vision_wasm_module_internal.wasm')), 'the runtime came down without start()');
  assert.ok(requests.some((url) => url.endsWith('/models/face_detector_short.tflite')), 'and the model');
  const phases = await page.evaluate(() => window.facekitEvents.map((event) => (event.detail as { phase?: string }).phase));
  assert.deepEqual(phases, [], 'prefetching is silent: no status events');
  // start() then finds the model ready: no loading progress is shown.
  await page.evaluate(() => void document.querySelector('face-enroll')!.start());
  await waitForEvent(page, 'facekit-status', { phase: 'guiding' });
  await close();
});

test('prefetch="none" and Save-Data wait for start()', { timeout: 60_000 }, async () => {
  const saveData = (): void => {
    Object.defineProperty(Navigator.prototype, 'connection', {
      get() {
        return { saveData: true, effectiveType: '4g' };
      },
      configurable: true,
    });
  };
  for (const [prefetch, init] of [['none', undefined], [undefined, saveData]] as const) {
    const { page, requests, close } = await openDemo(prefetch, init);
    await page.waitForTimeout(6000); // longer than the idle timeout of the prefetch
    assert.deepEqual(requests.filter(isRuntimeOrModel), [], `nothing prefetched (${prefetch ?? 'save-data'})`);
    await page.evaluate(() => void document.querySelector('face-enroll')!.start());
    await waitForEvent(page, 'facekit-status', { phase: 'guiding' });
    assert.ok(requests.some(isRuntimeOrModel), 'start() loads them');
    await close();
  }
});

test('the first load shows a progress bar with the megabytes', { timeout: 90_000 }, async () => {
  const { page, close } = await openDemo('none');
  // A slow link (DevTools emulation, which covers the worker too), so that the bar can be seen.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 1_500_000, uploadThroughput: 500_000 });
  await page.evaluate(() => void document.querySelector('face-enroll')!.start());
  const bar = page.locator('face-enroll').locator('[part~="progress"]');
  await bar.waitFor({ state: 'visible', timeout: 30_000 });
  const text = (await bar.textContent())?.trim() ?? '';
  const amount = /(\d+\.\d) \/ (\d+\.\d) MB/.exec(text);
  assert.ok(amount, `the bar says how much: "${text}"`);
  const total = Number(amount[2]);
  // The brotli runtime and model are about 2.8 MB; gzip would be about 4 MB.
  assert.ok(total >= 2 && total <= 4.5, `total ${total} MB is the compressed download`);
  assert.equal(await bar.locator('progress').getAttribute('aria-label'), '正在下载人脸模型');
  await waitForEvent(page, 'facekit-status', { phase: 'guiding' }, 60_000);
  assert.equal(await bar.count(), 0, 'the bar goes away');
  const progress = await page.evaluate(() =>
    window.facekitEvents.map((event) => (event.detail as { progress?: number }).progress).filter((value): value is number => typeof value === 'number'),
  );
  assert.ok(progress.length >= 2, `several progress steps: ${progress.join(', ')}`);
  assert.deepEqual([...progress].sort((a, b) => a - b), progress, 'progress only grows');
  assert.ok(progress.at(-1)! > 0.99, 'up to 1');
  await close();
});

/**
 * A loopback proxy in front of the test server that lists the paths of the requests reaching it:
 * what the browser answered from its caches never gets here.
 */
async function countingProxy(target: string): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const paths: string[] = [];
  const proxy = createServer((request, response) => {
    paths.push(request.url ?? '');
    const forwarded = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: { ...request.headers, host: upstream.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        // The browser's keep-alive connections would otherwise hold close() open.
        proxy.closeAllConnections();
      }),
  };
}

test('a warm load makes no request for the kit, shows no bar, and keeps only this build\'s cache', { timeout: 120_000 }, async () => {
  // No request routing here: it would turn the HTTP cache off. A persistent profile, as a
  // visitor's: its HTTP cache is on disk, where an off-the-record context keeps it in memory.
  const proxy = await countingProxy(server.url);
  const manifest = (await (await fetch(`${server.url}/assets/facekit-assets.json`)).json()) as { version: string };
  const profile = await launchCameraProfile('face');
  const { context } = profile;
  const foreign = watchForeign(context, [proxy.url]);
  logPageErrors(context);
  const cacheNames = (page: Page) => page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith('facekit-assets-')).sort());
  let coldPaths: string[] = [];
  try {
    for (const round of ['cold', 'warm'] as const) {
      proxy.paths.length = 0;
      const page = await context.newPage();
      await page.goto(`${proxy.url}/face-enroll.html`);
      await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
      await page.evaluate(() => void document.querySelector('face-enroll')!.start());
      await waitForEvent(page, 'facekit-status', { phase: 'guiding', hint: 'ok' }, 60_000);
      const reached = [...proxy.paths];
      if (round === 'cold') {
        coldPaths = reached;
        assert.ok(reached.some((path) => /\/wasm\/vision_wasm_module_internal\.wasm$/.test(path)), 'cold: the runtime came from the server');
        assert.ok(reached.some((path) => /\/wasm\/vision_wasm_module_internal\.js\?v=/.test(path)), 'cold: and its loader, under the build id');
        assert.ok(reached.some((path) => path.endsWith('/models/face_detector_short.tflite')), 'cold: and the model');
        assert.deepEqual(await cacheNames(page), [`facekit-assets-2-${manifest.version}`], 'the cache is named by the assets\' content hash');
        // A cache left by another build of the kit, which the next start must delete.
        await page.evaluate(() => caches.open('facekit-assets-2-an0therbu1ld').then((cache) => cache.put('/stale', new Response('old'))));
      } else {
        // Only the page itself (the host's HTML, revalidated) may reach the server.
        assert.deepEqual(reached, ['/face-enroll.html'], `warm: the scripts, the worker, the runtime and the model come from the browser (cold: ${coldPaths.join(' ')})`);
        const progress = await page.evaluate(() => window.facekitEvents.filter((event) => typeof (event.detail as { progress?: number }).progress === 'number'));
        assert.deepEqual(progress, [], 'warm: no download, so no progress bar');
        const deadline = Date.now() + 10_000;
        while ((await cacheNames(page)).length > 1 && Date.now() < deadline) await page.waitForTimeout(100);
        assert.deepEqual(await cacheNames(page), [`facekit-assets-2-${manifest.version}`], 'the other build\'s cache is gone');
      }
      await page.close();
    }
  } finally {
    await profile.close();
    await proxy.close();
  }
  assert.deepEqual(foreign, []);
});
