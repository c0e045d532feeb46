// <liveness-check> end to end in real Chromium: the demo page, the real vision worker and landmark
// model, the signing endpoint and the FaceID mock over real HTTP, and two fake cameras:
// - the fixtures' face video, a still photo looped: it can never blink, so the check must fail on
//   the device (NO_BLINK) and no billable liveness.verify may be sent;
// - a video of the same real face blinking, nodding and shaking its head (liveness-check.video.ts),
//   which passes the real engine; then FaceID's verdict from the mock (scenarios success, not-same).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, chromePath } from '../../scripts/lib/system.mjs';
import { cspViolations, enforceCsp, launchBrowser, openRecordedPage, startDemoServer, waitForEvent, type RunningServer } from './harness.ts';
import { ensureLivenessVideo } from './liveness-check.video.ts';

let server: RunningServer;
const browsers: Browser[] = [];

before(async () => {
  server = await startDemoServer();
});

after(async () => {
  await Promise.all(browsers.map((browser) => browser.close()));
  await server?.close();
});

interface LivenessResult {
  mode: string;
  passed: boolean;
  verdict: string;
  reasonCode: string;
  reason: string;
  stage: string;
  deviceFailure?: string;
  actions: string[];
  resultCode?: number;
  resultMessage?: string;
  confidence?: number | null;
  threshold?: number | null;
  thresholdKey?: string;
  bizNo?: string;
}

const ID_NUMBER = '11010119900307003X';


async function openDemo(browser: Browser, options: { csp?: boolean } = {}) {
  const recorded = await openRecordedPage(browser, server.url);
  if (options.csp) {
    await enforceCsp(recorded.context, server.url);
  }
  await recorded.page.goto(`${server.url}/liveness-check.html`);
  await recorded.page.waitForFunction(() => customElements.get('liveness-check') !== undefined);
  return recorded;
}

/** Starts a check on the demo page (English, the given biz_no) after clearing the recorded events. */
async function startCheck(page: Page, bizNo: string): Promise<void> {
  await page.evaluate((biz) => {
    (window as unknown as { facekitEvents: unknown[] }).facekitEvents.length = 0;
    const el = document.querySelector('liveness-check')!;
    el.reset();
    el.lang = 'en';
    el.bizNo = biz;
    void el.start();
  }, bizNo);
}

const shadowText = (page: Page, selector: string) =>
  page.evaluate((sel) => document.querySelector('liveness-check')!.shadowRoot!.querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim() ?? '', selector);

const ops = (requests: string[]) => requests.filter((url) => url.includes('/v1/ops/')).map((url) => url.slice(url.indexOf('/v1/ops/') + 8));

test('a still photo fails on the device with NO_BLINK, before any billable call (under the strict CSP)', { timeout: 120_000 }, async () => {
  const browser = await launchBrowser('face');
  browsers.push(browser);
  const { page, requests, foreign } = await openDemo(browser, { csp: true });
  await startCheck(page, 'mock:success');

  const result = await waitForEvent<LivenessResult>(page, 'facekit-result', { mode: 'liveness' }, 60_000);
  assert.equal(result.stage, 'device');
  assert.equal(result.deviceFailure, 'NO_BLINK', `device failure: ${result.deviceFailure}`);
  assert.equal(result.passed, false);
  assert.equal(result.verdict, 'failed');
  assert.equal(result.reason, 'No blink was seen; please try again in person');
  assert.ok(result.actions.length >= 1 && result.actions.length <= 3);

  // The reason is shown, in the element's language.
  const panel = await shadowText(page, '[part~="result"]');
  assert.match(panel, /The check did not pass/);
  assert.match(panel, /No blink was seen/);
  // Each action was prompted on the way (the session reached the action phase).
  const prompted = await page.evaluate(() =>
    (window as unknown as { facekitEvents: { type: string; detail: { liveness?: { action: string | null } } }[] }).facekitEvents.some(
      (event) => event.type === 'facekit-status' && !!event.detail.liveness?.action,
    ),
  );
  assert.ok(prompted, 'the first action was prompted');

  // liveness.start (free) comes first, as the endpoint picks the actions; liveness.verify (billable) never.
  assert.deepEqual(ops(requests), ['liveness.start']);
  const violations = await cspViolations(page);
  assert.deepEqual(violations, [], 'no style attribute or other source beyond the documented policy');
  assert.deepEqual(foreign, [], `no request leaves the test server: ${foreign.join(', ')}`);
});

test('a blinking, nodding, shaking face passes on the device; FaceID says same person, then not the same person', { timeout: 300_000 }, async () => {
  const video = await ensureLivenessVideo();
  const browser = await chromium.launch({
    executablePath: chromePath() ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_FLAGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
  browsers.push(browser);
  const { page, requests, foreign } = await openDemo(browser);

  // FaceID "success" (biz_no mock:success).
  await startCheck(page, 'mock:success');
  const same = await waitForEvent<LivenessResult>(page, 'facekit-result', { mode: 'liveness' }, 120_000);
  assert.equal(same.stage, 'faceid', `device verdict instead of FaceID's: ${same.deviceFailure} (${same.reason})`);
  assert.equal(same.passed, true);
  assert.equal(same.verdict, 'same-person');
  assert.equal(same.reasonCode, 'OK');
  assert.equal(same.resultCode, 1000);
  assert.equal(same.thresholdKey, '1e-4');
  assert.ok(typeof same.confidence === 'number' && typeof same.threshold === 'number' && same.confidence >= same.threshold, `confidence ${same.confidence} ≥ ${same.threshold}`);
  assert.equal(same.bizNo, 'mock:success');
  assert.ok(same.actions.every((action) => ['blink', 'nod', 'shake'].includes(action)), `the endpoint's actions: ${same.actions}`);
  assert.ok(!JSON.stringify(same).includes(ID_NUMBER), 'no ID number in the event');
  assert.match(await shadowText(page, '[part~="result"]'), /Identity verified/);
  assert.deepEqual(ops(requests), ['liveness.start', 'liveness.verify', 'liveness.result']);
  // Every action was prompted, in the endpoint's order.
  const prompted = await page.evaluate(() => [
    ...new Set(
      (window as unknown as { facekitEvents: { type: string; detail: { liveness?: { action: string | null } } }[] }).facekitEvents
        .map((event) => event.detail.liveness?.action)
        .filter((action): action is string => !!action),
    ),
  ]);
  assert.deepEqual(prompted.slice(0, same.actions.length), same.actions);

  // FaceID "not the same person" (biz_no mock:not-same): a verdict, not an error.
  await startCheck(page, 'mock:not-same');
  const other = await waitForEvent<LivenessResult>(page, 'facekit-result', { mode: 'liveness' }, 120_000);
  assert.equal(other.stage, 'faceid', `device verdict instead of FaceID's: ${other.deviceFailure} (${other.reason})`);
  assert.equal(other.passed, false);
  assert.equal(other.verdict, 'not-same-person');
  assert.equal(other.reasonCode, 'NOT_SAME_PERSON');
  assert.equal(other.resultCode, 2000);
  assert.equal(other.resultMessage, 'PASS_LIVING_NOT_THE_SAME');
  const panel = await shadowText(page, '[part~="result"]');
  assert.match(panel, /Not the same person/);
  assert.equal(await shadowText(page, '[part~="actions"]'), 'Try again', 'a retry is offered');
  const errors = await page.evaluate(() =>
    (window as unknown as { facekitEvents: { type: string }[] }).facekitEvents.filter((event) => event.type === 'facekit-error').length,
  );
  assert.equal(errors, 0);

  assert.deepEqual(ops(requests), ['liveness.start', 'liveness.verify', 'liveness.result', 'liveness.start', 'liveness.verify', 'liveness.result']);
  assert.deepEqual(foreign, [], `no request leaves the test server: ${foreign.join(', ')}`);
});
