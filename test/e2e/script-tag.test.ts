// The script-tag kit in a page that includes only facekit.js, served under the Content Security
// Policy the README documents, on every response (the page's and the worker's own).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, openRecordedPage, startDemoServer, waitForEvent, PRESENT, type RunningServer } from './harness.ts';

/** The policy the README tells sites to send (the endpoint is on the same origin here). */
export const KIT_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
].join('; ');

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

test('a page with only facekit.js enrols a face under the documented CSP', { timeout: 120_000 }, async () => {
  const { context, page, requests, foreign } = await openRecordedPage(browser, server.url);
  await context.route(`${server.url}/**`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': KIT_CSP } });
  });
  await context.addInitScript(() => {
    (window as unknown as { cspViolations: string[] }).cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { cspViolations: string[] }).cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`);
    });
  });

  await page.goto(`${server.url}/embed/script-tag.html`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
  await page.evaluate(() => {
    const el = document.querySelector('face-enroll')!;
    el.setAttribute('auto-submit', '');
    void el.start();
  });
  const result = await waitForEvent<{ mode: string; personId: string }>(page, 'facekit-result', { mode: 'enroll' }, 90_000);
  assert.match(result.personId, /\S{6,}/);

  const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  assert.deepEqual(violations, [], 'the kit needs nothing beyond the documented policy');
  // The kit found its assets beside its own script, without an assets-base attribute.
  assert.ok(requests.some((url) => url.startsWith(`${server.url}/kit/assets/`) && url.includes('vision.worker')), 'worker from /kit/assets/');
  assert.ok(requests.some((url) => url.startsWith(`${server.url}/kit/assets/models/`)), 'models from /kit/assets/models/');
  assert.deepEqual(foreign, []);
});
