// The end-to-end tests' egress check, checked itself: a request from the page, from a classic
// worker or from a module worker to anywhere but the test server is refused before it leaves and
// recorded, and harness.ts fails the test that made it (its afterEach hook). This test provokes
// such requests on purpose, checks they were caught, then empties the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openRecordedPage, useDemoSite } from './harness.ts';

// `.invalid` never resolves (RFC 2606), and the test browser resolves no host name but loopback.
const PROBE = 'http://egress-probe.invalid';
const site = useDemoSite();

test('requests outside the test server, from the page and from workers, are refused and recorded', { timeout: 60_000 }, async () => {
  const { context, page, foreign } = await openRecordedPage(site.browser, site.server.url);
  await page.goto(`${site.server.url}/face-enroll.html`);
  // As source text: the test's TypeScript transform would add helpers the page does not have.
  const outcomes = (await page.evaluate(`(async (probe) => {
    const fromPage = await fetch(probe + '/page').then(() => 'answered', (error) => error.name);
    const inWorker = (path, type) => new Promise((resolve) => {
      const source = "fetch('" + probe + "/" + path + "').then(() => postMessage('answered'), (error) => postMessage(error.name));";
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type });
      worker.onmessage = (event) => { worker.terminate(); resolve(event.data); };
    });
    return { fromPage, fromClassicWorker: await inWorker('classic-worker', 'classic'), fromModuleWorker: await inWorker('module-worker', 'module') };
  })(${JSON.stringify(PROBE)})`)) as Record<string, string>;

  assert.deepEqual(outcomes, { fromPage: 'TypeError', fromClassicWorker: 'TypeError', fromModuleWorker: 'TypeError' }, 'every probe failed in the browser');
  const caught = [...new Set(foreign)].sort();
  assert.deepEqual(caught, [`${PROBE}/classic-worker`, `${PROBE}/module-worker`, `${PROBE}/page`], 'and every one was recorded');
  // Expected here: clear them, or harness.ts's afterEach fails this test.
  foreign.length = 0;
  await context.close();
});
