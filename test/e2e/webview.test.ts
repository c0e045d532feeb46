// WeChat H5 and mobile webviews, emulated in Chromium as WECHAT.md describes: the WeChat user
// agents, a play() that needs a gesture, getUserMedia failures, the JS-SDK adapter over a stubbed
// `wx`, the worker ladder (no module workers, no Worker, no OffscreenCanvas, no WebGL 2, no
// WebAssembly) and a failing IndexedDB. Each case either still finds the fake camera's face (or
// the photo's) or fails with the right code and a localised message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ensureFixtures } from '../../scripts/fixtures.mjs';
import { cspViolations, enforceCsp, launchBrowser, openRecordedPage, startDemoServer, waitForEvent, type RunningServer } from './harness.ts';
import { WECHAT_ANDROID, WECHAT_IOS } from '../client/fixtures/wechat-agents.ts';

let server: RunningServer;
const browsers: Browser[] = [];

before(async () => {
  server = await startDemoServer();
});

after(async () => {
  await Promise.all(browsers.map((browser) => browser.close()));
  await server?.close();
});

let faceBrowser: Browser | null = null;
async function withFaceCamera(): Promise<Browser> {
  faceBrowser ??= await launchBrowser('face');
  if (!browsers.includes(faceBrowser)) browsers.push(faceBrowser);
  return faceBrowser;
}

interface Opened {
  page: Page;
  requests: string[];
}

/** The demo page (zh-CN) or the script-tag page (en), with init scripts and a user agent. */
async function open(path: '/face-enroll.html' | '/embed/script-tag.html', options: { userAgent?: string; init?: Array<[(arg: never) => void, unknown?]> } = {}): Promise<Opened> {
  const browser = await withFaceCamera();
  const { context, page, requests } = await openRecordedPage(browser, server.url, options.userAgent ? { userAgent: options.userAgent } : {});
  for (const [script, arg] of options.init ?? []) await context.addInitScript(script as (arg: unknown) => void, arg);
  await page.goto(`${server.url}${path}`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
  return { page, requests };
}

/** Starts the element without auto-submit; the face is found when the photo gets taken by itself. */
async function startAndCapture(page: Page): Promise<void> {
  await page.evaluate(() => void document.querySelector('face-enroll')!.start());
  await waitForEvent(page, 'facekit-status', { phase: 'captured' }, 90_000);
}

const fetched = (requests: string[], file: string) => requests.some((url) => url.includes(`/assets/wasm/${file}`));

/** Which runtime variants a page fetched, to check that only the used one comes down. */
function runtimeVariants(requests: string[]): string[] {
  return ['vision_wasm_module_internal', 'vision_wasm_internal', 'vision_wasm_nosimd_internal'].filter(
    (name) => fetched(requests, `${name}.wasm`) || fetched(requests, `${name}.js`),
  );
}

// ── init scripts (run in the page before its own scripts) ──────────────────
function refuseModuleWorkers(): void {
  const Original = window.Worker;
  window.Worker = new Proxy(Original, {
    construct(target, args: [string | URL, WorkerOptions?]) {
      if (args[1]?.type === 'module') throw new TypeError('Module scripts are not supported in workers');
      return Reflect.construct(target, args) as object;
    },
  });
}
function removeWorker(): void {
  delete (window as { Worker?: unknown }).Worker;
}
function removeOffscreenCanvas(): void {
  delete (window as { OffscreenCanvas?: unknown }).OffscreenCanvas;
}
function noWebGL2On(where: 'offscreen' | 'everywhere'): void {
  const prototypes: { getContext: (kind: string, ...rest: unknown[]) => unknown }[] = [OffscreenCanvas.prototype as never];
  if (where === 'everywhere') prototypes.push(HTMLCanvasElement.prototype as never);
  for (const prototype of prototypes) {
    const original = prototype.getContext;
    prototype.getContext = function (this: unknown, kind: string, ...rest: unknown[]) {
      return kind === 'webgl2' ? null : original.call(this, kind, ...rest);
    };
  }
}
/**
 * iOS WeChat: play() rejects until the user has tapped. (Playwright's evaluate() counts as a
 * gesture for navigator.userActivation, so a trusted pointer event is the test.)
 */
function playNeedsGesture(): void {
  let tapped = false;
  addEventListener('pointerup', (event) => {
    if (event.isTrusted) tapped = true;
  }, true);
  const original = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    if (!tapped) return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
    return original.call(this);
  };
}
function rejectGetUserMedia(name: string): void {
  navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException(`emulated ${name}`, name));
}
function removeMediaDevices(): void {
  // Method syntax: the test's TypeScript loader would wrap a named arrow in a helper the page lacks.
  Object.defineProperty(Navigator.prototype, 'mediaDevices', {
    get() {
      return undefined;
    },
    configurable: true,
  });
}
function failIndexedDb(): void {
  IDBFactory.prototype.open = () => {
    throw new DOMException('emulated: the webview refused IndexedDB', 'UnknownError');
  };
}
/** A stubbed WeChat JS-SDK whose getLocalImgData answers with `localData`. */
function stubWx(localData: string): void {
  (window as unknown as { wx: unknown; wxCalls: string[] }).wxCalls = [];
  const calls = (window as unknown as { wxCalls: string[] }).wxCalls;
  (window as unknown as { wx: unknown }).wx = {
    chooseImage(options: { success?: (result: { localIds: string[] }) => void }) {
      calls.push('chooseImage');
      setTimeout(() => options.success?.({ localIds: ['wxLocalResource://emulated-1'] }), 10);
    },
    getLocalImgData(options: { localId: string; success?: (result: { localData: string }) => void }) {
      calls.push(`getLocalImgData ${options.localId}`);
      setTimeout(() => options.success?.({ localData }), 10);
    },
  };
}

/** The astronaut photo as JPEG base64, as WeChat hands it over (its camera roll is JPEG). */
async function astronautJpegBase64(): Promise<string> {
  const fixtures = await ensureFixtures();
  const png = PNG.sync.read(readFileSync(fixtures.photos.astronaut));
  return Buffer.from(jpeg.encode({ data: png.data, width: png.width, height: png.height }, 90).data).toString('base64');
}

// ── the camera in webviews ─────────────────────────────────────────────────
test('iOS WeChat: play() needs a tap; the tap-to-start button starts guidance', { timeout: 120_000 }, async () => {
  const { page } = await open('/face-enroll.html', { userAgent: WECHAT_IOS, init: [[playNeedsGesture]] });
  await page.evaluate(() => void document.querySelector('face-enroll')!.start());
  const tap = page.locator('face-enroll').getByRole('button', { name: '点击开启摄像头' });
  await tap.waitFor({ timeout: 60_000 });
  const before = await page.evaluate(() => window.facekitEvents.map((event) => (event.detail as { phase?: string }).phase));
  assert.ok(!before.includes('guiding'), `no guidance before the tap: ${before.join(',')}`);
  await tap.click();
  await waitForEvent(page, 'facekit-status', { phase: 'captured' }, 90_000);
});

test('getUserMedia failures give the right code and the file chooser', { timeout: 180_000 }, async () => {
  const expected: Array<[string, string]> = [
    ['NotAllowedError', 'CAMERA_DENIED'],
    ['NotFoundError', 'CAMERA_NOT_FOUND'],
    ['NotReadableError', 'CAMERA_BUSY'],
    ['OverconstrainedError', 'CAMERA_NOT_FOUND'],
  ];
  for (const [name, code] of expected) {
    const { page } = await open('/face-enroll.html', { userAgent: WECHAT_ANDROID, init: [[rejectGetUserMedia as (arg: never) => void, name]] });
    await page.evaluate(() => void document.querySelector('face-enroll')!.start());
    const error = await waitForEvent<{ code: string; message: string }>(page, 'facekit-error', {});
    assert.equal(error.code, code, name);
    assert.match(error.message, /[\u4e00-\u9fff]/, `${name}: the message is in the page's language (zh-CN)`);
    await page.locator('face-enroll').locator('input[type="file"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.close();
  }
});

// ── the JS-SDK adapter ─────────────────────────────────────────────────────
test('iOS WeChat without getUserMedia: the JS-SDK adapter ("image/jgp") gives the photo', { timeout: 120_000 }, async () => {
  const base64 = await astronautJpegBase64();
  const { page } = await open('/embed/script-tag.html', {
    userAgent: WECHAT_IOS,
    init: [[removeMediaDevices], [stubWx as (arg: never) => void, `data:image/jgp;base64,${base64}`]],
  });
  await page.evaluate(() => {
    const el = document.querySelector('face-enroll')!;
    const kit = (window as unknown as { facekit: { createWeChatImageSource(wx: unknown): never } }).facekit;
    el.imageSource = kit.createWeChatImageSource((window as unknown as { wx: unknown }).wx);
    void el.start();
  });
  // No camera at all is not an error: the ladder starts at the image source.
  await page.locator('face-enroll').getByRole('button', { name: 'Take or choose a photo in WeChat' }).click({ timeout: 60_000 });
  await waitForEvent(page, 'facekit-status', { phase: 'captured' });
  const errors = await page.evaluate(() => window.facekitEvents.filter((event) => event.type === 'facekit-error'));
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { wxCalls: string[] }).wxCalls), ['chooseImage', 'getLocalImgData wxLocalResource://emulated-1']);
});

test('Android WeChat, camera denied: the JS-SDK adapter (base64 without a prefix) gives the photo', { timeout: 120_000 }, async () => {
  const base64 = (await astronautJpegBase64()).replace(/(.{76})/g, '$1\n');
  const { page } = await open('/embed/script-tag.html', {
    userAgent: WECHAT_ANDROID,
    init: [[rejectGetUserMedia as (arg: never) => void, 'NotAllowedError'], [stubWx as (arg: never) => void, base64]],
  });
  await page.evaluate(() => {
    const el = document.querySelector('face-enroll')!;
    const kit = (window as unknown as { facekit: { createWeChatImageSource(wx: unknown): never } }).facekit;
    el.imageSource = kit.createWeChatImageSource((window as unknown as { wx: unknown }).wx);
    void el.start();
  });
  await waitForEvent(page, 'facekit-error', { code: 'CAMERA_DENIED' });
  await page.locator('face-enroll').getByRole('button', { name: 'Take or choose a photo in WeChat' }).click();
  await waitForEvent(page, 'facekit-status', { phase: 'captured' });
});

// ── the worker ladder ──────────────────────────────────────────────────────
test('a plain Chromium uses the module worker and fetches only the module runtime', { timeout: 120_000 }, async () => {
  const { page, requests } = await open('/face-enroll.html');
  await startAndCapture(page);
  assert.equal(page.workers().length, 1);
  assert.deepEqual(runtimeVariants(requests), ['vision_wasm_module_internal']);
});

test('module workers refused (old XWeb): a classic worker runs the same bundle, SIMD runtime only', { timeout: 120_000 }, async () => {
  const { page, requests } = await open('/face-enroll.html', { userAgent: WECHAT_ANDROID, init: [[refuseModuleWorkers]] });
  await startAndCapture(page);
  assert.equal(page.workers().length, 1, 'the classic worker');
  assert.deepEqual(runtimeVariants(requests), ['vision_wasm_internal'], 'never the module or the no-SIMD runtime');
});

for (const [name, init] of [
  ['no Worker at all', removeWorker],
  ['no OffscreenCanvas (iOS before 16.4)', removeOffscreenCanvas],
] as const) {
  test(`${name}: the vision code runs on the page`, { timeout: 120_000 }, async () => {
    const { page, requests } = await open('/face-enroll.html', { userAgent: WECHAT_IOS, init: [[init]] });
    await startAndCapture(page);
    assert.equal(page.workers().length, 0, 'no worker was started');
    assert.deepEqual(runtimeVariants(requests), ['vision_wasm_internal']);
  });
}

test('no WebGL 2 on OffscreenCanvas (iOS before 17): the page draws on a canvas element', { timeout: 120_000 }, async () => {
  const { page } = await open('/face-enroll.html', { userAgent: WECHAT_IOS, init: [[noWebGL2On as (arg: never) => void, 'offscreen']] });
  await startAndCapture(page);
  assert.equal(page.workers().length, 0);
});

test('no WebGL 2 anywhere: UNSUPPORTED with its own message, nothing downloaded', { timeout: 60_000 }, async () => {
  const { page, requests } = await open('/face-enroll.html', { init: [[noWebGL2On as (arg: never) => void, 'everywhere']] });
  await page.evaluate(() => void document.querySelector('face-enroll')!.start());
  const error = await waitForEvent<{ code: string; message: string; retryable: boolean }>(page, 'facekit-error', {});
  assert.equal(error.code, 'UNSUPPORTED');
  assert.match(error.message, /WebGL 2/);
  assert.equal(error.retryable, false);
  assert.deepEqual(runtimeVariants(requests), []);
});

// WECHAT.md suggests --noexpose_wasm; this Chromium keeps WebAssembly with it. V8's --jitless
// removes it, as a JIT-less mode does on a device (iOS Lockdown Mode, some hardened webviews).
test('no WebAssembly (V8 --jitless): UNSUPPORTED with a clear localised message', { timeout: 60_000 }, async () => {
  const browser = await launchBrowser('face', ['--js-flags=--jitless']);
  browsers.push(browser);
  const { page, requests } = await openRecordedPage(browser, server.url);
  await page.goto(`${server.url}/face-enroll.html`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
  assert.equal(await page.evaluate(() => typeof (globalThis as { WebAssembly?: unknown }).WebAssembly), 'undefined');
  await page.evaluate(() => void document.querySelector('face-enroll')!.start());
  const error = await waitForEvent<{ code: string; message: string; retryable: boolean }>(page, 'facekit-error', {});
  assert.equal(error.code, 'UNSUPPORTED');
  assert.match(error.message, /WebAssembly/);
  assert.match(error.message, /[\u4e00-\u9fff]/, 'in the page language');
  assert.equal(error.retryable, false);
  const shown = await page.locator('face-enroll').locator('[part~="error"]').textContent();
  assert.match(shown ?? '', /WebAssembly/, 'shown in the element');
  assert.deepEqual(runtimeVariants(requests), [], 'no runtime was downloaded');
});

// ── storage ────────────────────────────────────────────────────────────────
test('IndexedDB refused: the upload queue keeps to memory and the element says so', { timeout: 120_000 }, async () => {
  const { page } = await open('/face-enroll.html', { userAgent: WECHAT_IOS, init: [[failIndexedDb]] });
  await page.evaluate(() => {
    const el = document.querySelector('face-enroll')!;
    el.setAttribute('auto-submit', '');
    void el.start();
  });
  const result = await waitForEvent<{ personId: string }>(page, 'facekit-result', { mode: 'enroll' }, 90_000);
  assert.match(result.personId, /\S{6,}/, 'the capture was still sent');
  const warning = page.locator('face-enroll').locator('[part~="warning"]');
  await warning.waitFor({ state: 'visible' });
  assert.match((await warning.textContent()) ?? '', /离线/);
});

// ── the documented Content Security Policy, on the lower rungs ─────────────

for (const [rung, init] of [
  ['classic worker', refuseModuleWorkers],
  ['page', removeWorker],
] as const) {
  test(`the ${rung} rung needs nothing beyond the documented CSP`, { timeout: 120_000 }, async () => {
    const browser = await withFaceCamera();
    const { context, page } = await openRecordedPage(browser, server.url);
    await enforceCsp(context, server.url);
    await context.addInitScript(init);
    await page.goto(`${server.url}/embed/script-tag.html`);
    await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
    await startAndCapture(page);
    assert.deepEqual(await cspViolations(page), []);
  });
}
