// <id-photo-maker> end to end in real Chromium: the demo page, photo files chosen through the file
// input, the fake camera showing a real face, and the signing endpoint with the ID-photo mock
// (which verifies the Huawei APIG signature of every call) over real HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { ensureFixtures } from '../../scripts/fixtures.mjs';
import { readJpegDpi } from '../../packages/core/src/shared/jpeg-dpi.ts';
import { launchBrowser, openRecordedPage, startDemoServer, waitForEvent, type RunningServer } from './harness.ts';

interface MockRequest {
  path: string;
  signatureOk: boolean;
  params: Record<string, string>;
  code?: number;
}
type ServerWithMocks = RunningServer & { mocks?: { idPhoto?: { requests: MockRequest[] } } };

let server: ServerWithMocks;
const browsers: Browser[] = [];

before(async () => {
  server = (await startDemoServer()) as ServerWithMocks;
});

after(async () => {
  await Promise.all(browsers.map((browser) => browser.close()));
  await server?.close();
});

async function browserWith(camera: Parameters<typeof launchBrowser>[0]) {
  const browser = await launchBrowser(camera);
  browsers.push(browser);
  return browser;
}

/** Width and height from a JPEG's SOF marker. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) throw new Error('not a JPEG segment');
    const marker = bytes[offset + 1]!;
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (bytes[offset + 5]! << 8) | bytes[offset + 6]!, width: (bytes[offset + 7]! << 8) | bytes[offset + 8]! };
    }
    offset += 2 + length;
  }
  throw new Error('no SOF marker');
}

interface ResultFacts {
  mode: string;
  processing: string;
  spec: string;
  color: string;
  width: number;
  height: number;
  dpi: number;
  bytes: number;
  url?: string;
  photoSize: number;
  photoType: string;
  sheetSize: number;
}

/** The last facekit-result of the page, with its Blobs' sizes read in the page (Blobs do not cross as JSON). */
async function lastResult(page: Page): Promise<ResultFacts> {
  return page.evaluate(() => {
    const events = (window as unknown as { facekitEvents: { type: string; detail: Record<string, unknown> }[] }).facekitEvents;
    const detail = events.filter((event) => event.type === 'facekit-result').at(-1)!.detail;
    const photo = detail.photo as Blob;
    const sheet = detail.sheet as Blob | undefined;
    const { mode, processing, spec, color, width, height, dpi, bytes, url } = detail as Record<string, never>;
    return { mode, processing, spec, color, width, height, dpi, bytes, url, photoSize: photo.size, photoType: photo.type, sheetSize: sheet?.size ?? 0 };
  });
}

async function openDemo(page: Page): Promise<void> {
  await page.goto(`${server.url}/id-photo-maker.html`);
  await page.waitForFunction(() => customElements.get('id-photo-maker') !== undefined);
}

test('device path: a photo file becomes a two-inch photo of the exact size and DPI, downloadable', { timeout: 180_000 }, async () => {
  const fixtures = await ensureFixtures();
  const browser = await browserWith('denied');
  const { context, page, foreign, requests } = await openRecordedPage(browser, server.url);
  await openDemo(page);
  await page.evaluate(() => {
    const el = document.querySelector('id-photo-maker')!;
    el.processing = 'device';
    el.spec = 'two-inch';
    el.color = 'blue';
    el.lang = 'en';
  });
  await page.locator('id-photo-maker').locator('input[type="file"]').setInputFiles(fixtures.photos.astronaut);
  await waitForEvent(page, 'facekit-result', { mode: 'id-photo' }, 120_000);
  const result = await lastResult(page);
  assert.equal(result.processing, 'device');
  assert.deepEqual([result.spec, result.color, result.width, result.height, result.dpi], ['two-inch', 'blue', 413, 579, 300]);
  assert.equal(result.photoType, 'image/jpeg');
  assert.equal(result.photoSize, result.bytes);
  assert.ok(result.sheetSize > 0, 'a print sheet came with it');

  // The download link gives the same file: exact pixels, DPI in the header.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('id-photo-maker').locator('a[part~="download"]').first().click()]);
  assert.equal(download.suggestedFilename(), 'id-photo-two-inch-blue-413x579.jpg');
  const bytes = new Uint8Array(await readFile((await download.path())!));
  assert.equal(bytes.length, result.bytes);
  assert.deepEqual(jpegSize(bytes), { width: 413, height: 579 });
  assert.deepEqual(readJpegDpi(bytes), { x: 300, y: 300 });

  const shown = await page.evaluate(() => {
    const img = document.querySelector('id-photo-maker')!.shadowRoot!.querySelector<HTMLImageElement>('[part~="photo"]');
    return img?.complete ? img.naturalWidth : 0;
  });
  assert.equal(shown, 413);
  await page.screenshot({ path: 'test-results/id-photo-maker-device.png', fullPage: true });
  assert.ok(!requests.some((url) => url.includes('/v1/ops/')), 'nothing was sent to the endpoint');
  assert.deepEqual(foreign, [], `no request leaves the test server: ${foreign.join(', ')}`);
  await context.close();
});

test('vendor path: idPhoto.make through the endpoint and the signed ID-photo mock, shown from the media link', { timeout: 180_000 }, async () => {
  const fixtures = await ensureFixtures();
  const browser = await browserWith('denied');
  const { context, page, foreign, requests } = await openRecordedPage(browser, server.url);
  await openDemo(page);
  await page.evaluate(() => {
    const el = document.querySelector('id-photo-maker')!;
    el.processing = 'vendor';
    el.spec = 'two-inch';
    el.color = 'red';
    el.setAttribute('face-ratio', '0.5');
    el.setAttribute('top-empty', '20,80');
    el.setAttribute('beauty-degree', '2');
  });
  const before = server.mocks?.idPhoto?.requests.length ?? 0;
  await page.locator('id-photo-maker').locator('input[type="file"]').setInputFiles(fixtures.photos.face_swapped);
  await waitForEvent(page, 'facekit-result', { mode: 'id-photo' }, 120_000);
  const result = await lastResult(page);
  assert.equal(result.processing, 'vendor');
  assert.deepEqual([result.spec, result.color, result.width, result.height], ['two-inch', 'red', 413, 579]);
  assert.ok(result.url?.startsWith(`${server.url}/v1/media/`), `the photo is the endpoint's media link: ${result.url}`);
  assert.ok(result.photoSize > 0);

  // The vendor's picture is shown through the endpoint's media link.
  const shown = await page.waitForFunction(
    () => {
      const img = document.querySelector('id-photo-maker')!.shadowRoot!.querySelector<HTMLImageElement>('[part~="photo"]');
      return img && img.complete && img.naturalWidth > 0 ? { src: img.src, width: img.naturalWidth, height: img.naturalHeight } : null;
    },
    undefined,
    { timeout: 30_000 },
  );
  assert.deepEqual(await shown.jsonValue(), { src: result.url, width: 413, height: 579 });

  // The mock verified the APIG signature and got the document's parameters.
  const calls = (server.mocks?.idPhoto?.requests ?? []).slice(before);
  assert.equal(calls.length, 1, 'one call to the ID-photo API');
  assert.equal(calls[0]!.signatureOk, true, 'the Huawei APIG signature verified');
  assert.equal(calls[0]!.code, 200);
  assert.deepEqual(
    { spec: calls[0]!.params.spec, bgColor: calls[0]!.params.bgColor, dpi: calls[0]!.params.dpi, faceRatio: calls[0]!.params.faceRatio, topEmpty: calls[0]!.params.topEmpty, beautyDegree: calls[0]!.params.beautyDegree },
    { spec: '35x49', bgColor: 'red', dpi: '300', faceRatio: '0.5', topEmpty: '20,80', beautyDegree: '2.0' },
  );
  assert.ok(requests.some((url) => url.endsWith('/v1/ops/idPhoto.make')), 'the op went through the endpoint');
  await page.screenshot({ path: 'test-results/id-photo-maker-vendor.png', fullPage: true });
  assert.deepEqual(foreign, [], `no request leaves the test server: ${foreign.join(', ')}`);
  await context.close();
});

test('camera path: the live spec outline follows the face, and the photo taken becomes an ID photo', { timeout: 180_000 }, async () => {
  const browser = await browserWith('face');
  const { context, page, foreign } = await openRecordedPage(browser, server.url);
  await openDemo(page);
  await page.evaluate(() => {
    const el = document.querySelector('id-photo-maker')!;
    el.processing = 'device';
    el.source = 'camera';
    el.lang = 'en';
    void el.start();
  });
  await waitForEvent(page, 'facekit-status', { phase: 'guiding' });
  const outline = await page.waitForFunction(
    () => {
      const rect = document.querySelector('id-photo-maker')!.shadowRoot!.querySelector<SVGRectElement>('[part~="guide"] rect.spec-outline');
      if (!rect) return null;
      const box = rect.getBoundingClientRect();
      return box.width > 0 && box.height > 0 ? { width: Number(rect.getAttribute('width')), height: Number(rect.getAttribute('height')), className: rect.getAttribute('class') } : null;
    },
    undefined,
    { timeout: 60_000 },
  );
  const drawn = (await outline.jsonValue())!;
  assert.ok(Math.abs(drawn.width / drawn.height - 295 / 413) < 0.01, `the outline has the one-inch shape: ${JSON.stringify(drawn)}`);
  await page.screenshot({ path: 'test-results/id-photo-maker-camera.png', fullPage: true });

  const capture = page.locator('id-photo-maker').getByRole('button', { name: 'Take photo' });
  await capture.waitFor({ state: 'visible' });
  await page.waitForFunction(() => {
    const buttons = [...document.querySelector('id-photo-maker')!.shadowRoot!.querySelectorAll('button')];
    return buttons.some((button) => button.textContent?.trim() === 'Take photo' && !button.disabled);
  });
  await capture.click();
  await waitForEvent(page, 'facekit-status', { phase: 'captured' });
  await waitForEvent(page, 'facekit-result', { mode: 'id-photo' }, 120_000);
  const result = await lastResult(page);
  assert.deepEqual([result.processing, result.spec, result.width, result.height], ['device', 'one-inch', 295, 413]);
  const cameraLive = await page.evaluate(() => {
    const video = document.querySelector('id-photo-maker')!.shadowRoot!.querySelector('video');
    return !!(video?.srcObject as MediaStream | null)?.getTracks().some((track) => track.readyState === 'live');
  });
  assert.equal(cameraLive, false, 'the camera was released');
  assert.deepEqual(foreign, [], `no request leaves the test server: ${foreign.join(', ')}`);
  await context.close();
});
