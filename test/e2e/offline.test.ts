// Offline-safe uploads, end to end in Chromium with the network switched off and on: a capture
// waiting for upload stays in IndexedDB until the endpoint answers it, an upload whose answer was
// lost is delivered exactly once after a reload (its Idempotency-Key), and the element shows
// where the capture is throughout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { ensureFixtures } from '../../scripts/fixtures.mjs';
import { launchBrowser, openRecordedPage, waitForEvent } from './harness.ts';
import {
  capturePhoto,
  clearEvents,
  keptUploads,
  openEnrollPage,
  phases,
  shownStatus,
  startFacePlatformStack,
  vendorCalls,
  type FacePlatformStack,
} from './stack.ts';

const ENROLL_PATH = '/aicp/face/add';
let stack: FacePlatformStack;
let browser: Browser;
let photo: string;

before(async () => {
  photo = (await ensureFixtures()).photos.astronaut;
  stack = await startFacePlatformStack();
  browser = await launchBrowser('face');
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

interface EnrollResult {
  mode: string;
  personId: string;
  faceId?: string;
}

test('an upload whose answer is lost when the network goes is sent again after a reload, and enrolled once', { timeout: 180_000 }, async () => {
  const { context, page, foreign } = await openRecordedPage(browser, stack.url);
  await openEnrollPage(page, stack.url);
  await capturePhoto(page, photo);
  const calls = vendorCalls(stack);

  // The upload reaches the endpoint, which enrols the person; then the network goes before the
  // answer arrives. The answer is read here, to compare with what the reload gets.
  let lostAnswer: { code?: string; data?: { personId?: string } } = {};
  let firstKey = '';
  await context.route(
    '**/v1/ops/face.enroll',
    async (route) => {
      firstKey = (await route.request().headerValue('idempotency-key')) ?? '';
      const response = await route.fetch();
      lostAnswer = (await response.json()) as typeof lostAnswer;
      await context.setOffline(true);
      await route.abort('internetdisconnected');
    },
    { times: 1 },
  );
  await clearEvents(page);
  await page.evaluate(() => void document.querySelector('face-enroll')!.submit());

  const kept = await waitForEvent<{ code: string; retryable: boolean; message: string }>(page, 'facekit-error', { code: 'NETWORK' });
  assert.equal(kept.retryable, true);
  await waitForEvent(page, 'facekit-status', { phase: 'queued' });
  assert.equal(lostAnswer.code, 'OK', 'the endpoint did enrol the first upload');
  assert.match(firstKey, /\S{8,}/, 'the upload carried an Idempotency-Key');
  assert.deepEqual(await phases(page), ['uploading', 'queued']);
  const offlineView = await shownStatus(page);
  assert.match(offlineView.status, /网络恢复|connection returns/, `the user sees that the capture waits: "${offlineView.status}"`);
  assert.ok(offlineView.error.length > 0, 'and why');
  assert.equal(await keptUploads(page), 1, 'the capture is kept in IndexedDB');

  // Reloading while offline fails, as in a real browser: Chromium shows its error page (reload()
  // rejects before that page commits, so wait for it). The capture stays kept.
  const errorPage = page.waitForEvent('framenavigated', {
    predicate: (frame) => frame === page.mainFrame() && frame.url().startsWith('chrome-error:'),
    timeout: 15_000,
  });
  await page.reload({ timeout: 15_000 }).catch(() => undefined);
  await errorPage;
  // Online again, the user loads the page. At once: Chromium's error page reloads itself about a
  // second after it shows, and a page of its own would resend the capture out of the test's sight.
  await context.setOffline(false);
  const replays: string[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('/v1/ops/face.enroll')) replays.push(response.headers()['idempotent-replay'] ?? 'no');
  });
  const resentKeys: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/v1/ops/face.enroll')) resentKeys.push(request.headers()['idempotency-key'] ?? '');
  });
  await page.goto(`${stack.url}/face-enroll.html`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);

  // The reloaded page finds the kept capture and sends it, saying so, with the same key.
  const delivered = await waitForEvent<EnrollResult>(page, 'facekit-result', { mode: 'enroll' }, 60_000);
  assert.deepEqual(await phases(page), ['uploading', 'done']);
  assert.deepEqual(resentKeys, [firstKey], 'resent once, with the first upload\'s Idempotency-Key');
  assert.deepEqual(replays, ['true'], 'the endpoint answered from its record of the first upload');
  assert.equal(delivered.personId, lostAnswer.data?.personId, 'the person enrolled by the lost upload');
  assert.ok(delivered.faceId, 'the enrolled face is confirmed (face.get)');
  assert.equal(calls.count(ENROLL_PATH), 1, 'the vendor enrolled exactly once');
  assert.equal(await keptUploads(page), 0, 'nothing is left in the queue');
  const doneView = await shownStatus(page);
  assert.ok(doneView.status.length > 0 && doneView.error === '', `done is shown: "${doneView.status}"`);
  assert.deepEqual(foreign, []);
  await context.close();
});

test('a capture taken offline waits in IndexedDB and is sent once when the network returns', { timeout: 180_000 }, async () => {
  const { context, page, foreign } = await openRecordedPage(browser, stack.url);
  await openEnrollPage(page, stack.url);
  await capturePhoto(page, photo);
  const calls = vendorCalls(stack);

  await context.setOffline(true);
  await clearEvents(page);
  await page.evaluate(() => void document.querySelector('face-enroll')!.submit());
  const kept = await waitForEvent<{ code: string; retryable: boolean }>(page, 'facekit-error', { code: 'NETWORK' });
  assert.equal(kept.retryable, true);
  await waitForEvent(page, 'facekit-status', { phase: 'queued' });
  assert.equal(await keptUploads(page), 1);
  assert.equal(calls.count(ENROLL_PATH), 0, 'nothing left the browser');
  // Still offline a while later: it waits, it does not spin.
  await page.waitForTimeout(1500);
  assert.deepEqual(await phases(page), ['uploading', 'queued']);

  // Back online: the element sends the kept capture by itself.
  await context.setOffline(false);
  const delivered = await waitForEvent<EnrollResult>(page, 'facekit-result', { mode: 'enroll' }, 60_000);
  assert.match(delivered.personId, /\S{6,}/);
  assert.deepEqual(await phases(page), ['uploading', 'queued', 'uploading', 'done']);
  assert.equal(calls.count(ENROLL_PATH), 1, 'enrolled exactly once');
  assert.equal(await keptUploads(page), 0);
  assert.deepEqual(foreign, []);
  await context.close();
});
