// <face-enroll> end to end in real Chromium: a fake camera showing a real face, the demo page,
// the signing endpoint and the face-platform mock over real HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { ensureFixtures } from '../../scripts/fixtures.mjs';
import { launchBrowser, openRecordedPage, startDemoServer, waitForEvent, PRESENT, type RunningServer } from './harness.ts';

let server: RunningServer;
const browsers: Browser[] = [];

before(async () => {
  server = await startDemoServer();
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

interface EnrollResult {
  mode: string;
  personId: string;
  imageUrl?: string;
  similarity?: number;
}

test('enrol from the camera, then search finds the same personID', { timeout: 180_000 }, async () => {
  const browser = await browserWith('face');
  const { page, foreign, requests } = await openRecordedPage(browser, server.url);
  await page.goto(`${server.url}/face-enroll.html`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);

  await page.evaluate(() => {
    const el = document.querySelector('face-enroll')!;
    el.mode = 'enroll';
    el.setAttribute('auto-submit', '');
    const name = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="name"]');
    if (name) {
      name.value = 'Eileen Collins';
      name.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    }
    void el.start();
  });

  const hint = await waitForEvent<{ phase: string; hint?: string }>(page, 'facekit-status', { phase: 'guiding', hint: PRESENT });
  assert.ok(hint.hint, 'guidance is shown while framing');
  const enrolled = await waitForEvent<EnrollResult>(page, 'facekit-result', { mode: 'enroll' }, 120_000);
  assert.match(enrolled.personId, /\S{6,}/, 'the endpoint returned a personID');
  assert.ok(enrolled.imageUrl?.startsWith(server.url), 'the enrolled photo is served by the endpoint, not a vendor host');

  // The enrolled photo is shown from the endpoint.
  const photoLoaded = await page.waitForFunction(() => {
    const img = document.querySelector('face-enroll')!.shadowRoot!.querySelector<HTMLImageElement>('[part~="result"] img');
    return img && img.complete && img.naturalWidth > 0 ? img.naturalWidth : 0;
  }, undefined, { timeout: 30_000 });
  assert.ok((await photoLoaded.jsonValue()) > 0);

  await page.evaluate(() => {
    const el = document.querySelector('face-enroll')!;
    el.reset();
    el.mode = 'search';
    void el.start();
  });
  const found = await waitForEvent<EnrollResult>(page, 'facekit-result', { mode: 'search' }, 120_000);
  assert.equal(found.personId, enrolled.personId, 'search finds the enrolled person');
  assert.ok((found.similarity ?? 0) >= 0.8, `similarity ${found.similarity} is high`);

  assert.ok(requests.some((url) => url.includes('/v1/ops/face.enroll')), 'enrol went through the endpoint');
  assert.deepEqual(foreign, [], `no request leaves the test server: ${foreign.join(', ')}`);
});

test('a video with no face shows guidance and uploads nothing', { timeout: 120_000 }, async () => {
  const browser = await browserWith('noface');
  const { page, foreign, requests } = await openRecordedPage(browser, server.url);
  await page.goto(`${server.url}/face-enroll.html`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
  await page.evaluate(() => {
    const el = document.querySelector('face-enroll')!;
    el.setAttribute('auto-submit', '');
    void el.start();
  });
  await waitForEvent(page, 'facekit-status', { phase: 'guiding', hint: 'no-face' });
  // Keep watching for a while: the gate must never open, so nothing is captured or sent.
  await page.waitForTimeout(4000);
  const phases = await page.evaluate(() =>
    (window as unknown as { facekitEvents: { type: string; detail: { phase?: string } }[] }).facekitEvents.map((e) => e.detail.phase),
  );
  assert.ok(!phases.includes('captured') && !phases.includes('uploading'), `no capture happened: ${phases.join(',')}`);
  const hintText = await page.evaluate(() => document.querySelector('face-enroll')!.shadowRoot!.querySelector('[part~="hint"]')?.textContent ?? '');
  assert.match(hintText, /人脸|face/i, 'the hint is shown on screen');
  assert.ok(!requests.some((url) => url.includes('/v1/ops/')), 'no op was called');
  assert.deepEqual(foreign, []);
});

test('denied camera permission falls back to the file input', { timeout: 120_000 }, async () => {
  const fixtures = await ensureFixtures();
  const browser = await browserWith('denied');
  const { page, foreign } = await openRecordedPage(browser, server.url);
  await page.goto(`${server.url}/face-enroll.html`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
  await page.evaluate(() => void document.querySelector('face-enroll')!.start());
  const error = await waitForEvent<{ code: string; message: string }>(page, 'facekit-error', { code: 'CAMERA_DENIED' });
  assert.ok(error.message.length > 0, 'the error carries a localised message');

  const input = page.locator('face-enroll').locator('input[type="file"]');
  await input.waitFor({ state: 'attached', timeout: 10_000 });
  await input.setInputFiles(fixtures.photos.astronaut);
  await waitForEvent(page, 'facekit-status', { phase: 'captured' });
  const previewShown = await page.evaluate(() => !!document.querySelector('face-enroll')!.shadowRoot!.querySelector('[part~="preview"]'));
  assert.ok(previewShown, 'the photo from the file is previewed');
  assert.deepEqual(foreign, []);
});
