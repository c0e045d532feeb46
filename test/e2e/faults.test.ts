// Faults end to end through <face-enroll>: the vendor is slow, down, answers 5xx, 429, cut-off JSON
// or a plain-text 413 (the mock's fault switch), and the browser cannot reach the endpoint or gets
// no answer. Each gives the right kit code to the page, the server retries only safe reads (never
// the billable enrolment), and every wait ends within its bound. The mapping of each vendor fault
// is tested on the server alone in test/server/vendor-faults.test.ts; here it is the whole path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { ensureFixtures } from '../../scripts/fixtures.mjs';
import { KIT_CODES, type KitCode } from '../../packages/core/src/shared/index.js';
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
  type FaultSettings,
} from './stack.ts';

/** The endpoint's wait for the vendor, kept short so that the slow cases stay quick. */
const VENDOR_TIMEOUT_MS = 1500;
/** The server's retries of safe reads (its default). */
const SAFE_RETRIES = 2;
/** The browser's wait for the endpoint (EndpointClient's default). */
const CLIENT_TIMEOUT_MS = 30_000;
const ENROLL = '/aicp/face/add';
const SEARCH = '/aicp/face/recognition';

let stack: FacePlatformStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let foreign: string[];
let photo: string;

before(async () => {
  photo = (await ensureFixtures()).photos.astronaut;
  stack = await startFacePlatformStack({ vendorTimeoutMs: VENDOR_TIMEOUT_MS, vendorRetries: SAFE_RETRIES });
  browser = await launchBrowser('face');
  ({ context, page, foreign } = await openRecordedPage(browser, stack.url));
  await openEnrollPage(page, stack.url);
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

interface ErrorDetail {
  code: KitCode;
  message: string;
  retryable: boolean;
}

/** Submits the current capture; resolves with the error or the result the page received, and the time taken. */
async function submitAndWait(timeoutMs: number): Promise<{ error?: ErrorDetail; result?: Record<string, unknown>; elapsedMs: number }> {
  await clearEvents(page);
  const started = Date.now();
  await page.evaluate(() => void document.querySelector('face-enroll')!.submit());
  const outcome = await page.waitForFunction(
    () => {
      const events = (window as unknown as { facekitEvents: { type: string; detail: Record<string, unknown> }[] }).facekitEvents;
      const last = events.find((event) => event.type === 'facekit-error' || event.type === 'facekit-result');
      return last ? { type: last.type, detail: last.detail } : undefined;
    },
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
  const { type, detail } = (await outcome.jsonValue()) as { type: string; detail: Record<string, unknown> };
  const elapsedMs = Date.now() - started;
  return type === 'facekit-error' ? { error: detail as unknown as ErrorDetail, elapsedMs } : { result: detail, elapsedMs };
}

interface VendorFaultCase {
  name: string;
  mode: 'enroll' | 'search';
  fault: FaultSettings;
  code: KitCode;
  /** Requests the vendor receives: 1 unless the server may retry (safe reads only). */
  vendorCalls: number;
  /** Upper bound of the whole wait in the browser. */
  withinMs: number;
}

const vendorFaults: VendorFaultCase[] = [
  { name: 'HTTP 503 from the gateway', mode: 'enroll', fault: { status: 503, path: ENROLL }, code: 'VENDOR_UNAVAILABLE', vendorCalls: 1, withinMs: 10_000 },
  { name: 'HTTP 500 (Spring error page)', mode: 'enroll', fault: { status: 500, path: ENROLL }, code: 'VENDOR_UNAVAILABLE', vendorCalls: 1, withinMs: 10_000 },
  { name: 'HTTP 429', mode: 'enroll', fault: { status: 429, path: ENROLL }, code: 'RATE_LIMITED', vendorCalls: 1, withinMs: 10_000 },
  { name: 'JSON cut in the middle', mode: 'enroll', fault: { malformedJson: true, path: ENROLL }, code: 'VENDOR_ERROR', vendorCalls: 1, withinMs: 10_000 },
  { name: 'a plain-text 413', mode: 'enroll', fault: { status: 413, path: ENROLL }, code: 'IMAGE_TOO_LARGE', vendorCalls: 1, withinMs: 10_000 },
  {
    name: 'a vendor slower than the timeout',
    mode: 'enroll',
    fault: { latencyMs: VENDOR_TIMEOUT_MS * 4, path: ENROLL },
    code: 'VENDOR_TIMEOUT',
    vendorCalls: 1,
    withinMs: VENDOR_TIMEOUT_MS * 3,
  },
  { name: 'a vendor that drops the connection (down)', mode: 'enroll', fault: { resetConnection: true, path: ENROLL }, code: 'VENDOR_UNAVAILABLE', vendorCalls: 1, withinMs: 10_000 },
  // Safe reads are retried by the server, within its budget, and still end with the right code.
  { name: 'HTTP 429 on a search', mode: 'search', fault: { status: 429, path: SEARCH }, code: 'RATE_LIMITED', vendorCalls: 1 + SAFE_RETRIES, withinMs: 15_000 },
  {
    name: 'a search slower than the timeout',
    mode: 'search',
    fault: { latencyMs: VENDOR_TIMEOUT_MS * 4, path: SEARCH },
    code: 'VENDOR_TIMEOUT',
    vendorCalls: 1 + SAFE_RETRIES,
    withinMs: (1 + SAFE_RETRIES) * VENDOR_TIMEOUT_MS + 8000,
  },
];

for (const fault of vendorFaults) {
  test(`${fault.mode}: ${fault.name} → ${fault.code}${fault.vendorCalls > 1 ? ', retried by the server' : ', not retried'}`, { timeout: 120_000 }, async () => {
    await capturePhoto(page, photo, fault.mode);
    await stack.setFault(fault.fault);
    const calls = vendorCalls(stack);
    try {
      const outcome = await submitAndWait(fault.withinMs + 5000);
      assert.ok(outcome.error, `an error reaches the page, not ${JSON.stringify(outcome.result)}`);
      assert.equal(outcome.error.code, fault.code);
      assert.equal(outcome.error.retryable, KIT_CODES[fault.code].retryable, 'retryable as the kit code says');
      assert.ok(outcome.error.message.length > 0, 'with a message for the user');
      assert.ok(outcome.elapsedMs <= fault.withinMs, `answered in ${outcome.elapsedMs} ms (bound ${fault.withinMs} ms)`);
      assert.equal(calls.count(fault.fault.path!), fault.vendorCalls, 'vendor requests');
      assert.deepEqual(await phases(page), ['uploading', 'error']);
      const shown = await shownStatus(page);
      assert.equal(shown.error.includes(outcome.error.message), true, `the message is on screen: "${shown.error}"`);
      // A retryable failure offers "try again"; the element itself never repeats a call on its own.
      const retryOffered = await page.evaluate(() => !!document.querySelector('face-enroll')!.shadowRoot!.querySelector('[part~="error"] button'));
      assert.equal(retryOffered, KIT_CODES[fault.code].retryable);
      await page.waitForTimeout(300);
      assert.equal(calls.count(fault.fault.path!), fault.vendorCalls, 'no further vendor request after the answer');
    } finally {
      await stack.clearFault();
    }
  });
}

test('search: one 503 is retried by the server and the user gets the result', { timeout: 120_000 }, async () => {
  await capturePhoto(page, photo, 'search');
  await stack.setFault({ status: 503, path: SEARCH, times: 1 });
  const calls = vendorCalls(stack);
  const outcome = await submitAndWait(20_000);
  assert.equal(outcome.result?.mode, 'search', JSON.stringify(outcome));
  assert.equal(calls.count(SEARCH), 2, 'one failed request, one retry');
});

test('enroll: a slow vendor within the timeout still enrols, showing "uploading" meanwhile', { timeout: 120_000 }, async () => {
  await capturePhoto(page, photo, 'enroll');
  await stack.setFault({ latencyMs: 800, path: ENROLL, times: 1 });
  const calls = vendorCalls(stack);
  try {
    const outcome = await submitAndWait(20_000);
    assert.equal(outcome.result?.mode, 'enroll', JSON.stringify(outcome));
    assert.ok(outcome.elapsedMs >= 800);
    assert.deepEqual(await phases(page), ['uploading', 'done']);
    assert.equal(calls.count(ENROLL), 1);
  } finally {
    await stack.clearFault();
  }
});

test('an endpoint the browser cannot reach: NETWORK, retryable, the capture kept; "try again" sends it once, and so does the element by itself once the endpoint is back', { timeout: 120_000 }, async () => {
  await capturePhoto(page, photo, 'enroll');
  const refuse = (route: Route) => route.abort('connectionrefused');
  await context.route('**/v1/ops/**', refuse);
  const calls = vendorCalls(stack);
  let outcome: Awaited<ReturnType<typeof submitAndWait>>;
  try {
    outcome = await submitAndWait(10_000);
  } finally {
    await context.unroute('**/v1/ops/**', refuse);
  }
  assert.equal(outcome.error?.code, 'NETWORK');
  assert.equal(outcome.error?.retryable, true);
  assert.match(outcome.error?.message ?? '', /网络|connection/i, 'a clear message');
  assert.deepEqual(await phases(page), ['uploading', 'queued']);
  assert.equal(await keptUploads(page), 1, 'kept for later');
  assert.equal(calls.count(ENROLL), 0);

  // "Try again", well before the element's own first resend (5 s).
  await clearEvents(page);
  await page.locator('face-enroll').locator('[part~="error"] button').click();
  await waitForEvent(page, 'facekit-result', { mode: 'enroll' }, 30_000);
  assert.equal(calls.count(ENROLL), 1, 'sent once');
  assert.equal(await keptUploads(page), 0);

  // The endpoint is back while the browser never went offline (no `online` event): the element
  // sends the kept capture by itself after its first wait, with no click.
  await capturePhoto(page, photo, 'enroll');
  await context.route('**/v1/ops/**', refuse);
  try {
    outcome = await submitAndWait(10_000);
  } finally {
    await context.unroute('**/v1/ops/**', refuse);
  }
  assert.equal(outcome.error?.code, 'NETWORK');
  assert.equal(await keptUploads(page), 1);
  const queuedAt = Date.now();
  await waitForEvent(page, 'facekit-result', { mode: 'enroll' }, 30_000);
  console.log(`  sent by itself ${Date.now() - queuedAt} ms after it was queued`);
  assert.deepEqual(await phases(page), ['uploading', 'queued', 'uploading', 'done']);
  assert.equal(calls.count(ENROLL), 2, 'the second capture enrolled once');
  assert.equal(await keptUploads(page), 0);
});

test('an endpoint that never answers: the browser gives up at its bound with a retryable error', { timeout: CLIENT_TIMEOUT_MS + 60_000 }, async () => {
  await capturePhoto(page, photo, 'enroll');
  const held: Route[] = [];
  const hold = (route: Route) => {
    // Never answered: only the client's own time limit can end this wait.
    held.push(route);
  };
  await context.route('**/v1/ops/face.enroll', hold);
  try {
    const outcome = await submitAndWait(CLIENT_TIMEOUT_MS + 15_000);
    assert.equal(outcome.error?.code, 'NETWORK');
    assert.equal(outcome.error?.retryable, true);
    assert.ok(outcome.elapsedMs >= CLIENT_TIMEOUT_MS - 1000 && outcome.elapsedMs <= CLIENT_TIMEOUT_MS + 10_000, `gave up after ${outcome.elapsedMs} ms`);
    assert.deepEqual(await phases(page), ['uploading', 'queued']);
    assert.equal(held.length, 1);
  } finally {
    await context.unroute('**/v1/ops/face.enroll', hold);
    await Promise.all(held.map((route) => route.abort('timedout').catch(() => undefined)));
  }
  assert.deepEqual(foreign, []);
});
