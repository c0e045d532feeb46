// The script-tag kit in a page that includes only facekit.js, served under the Content Security
// Policy the README documents, on every response (the page's and the worker's own). facekit.js is
// a small loader: each element's code is an ES module chunk in assets/kit/, imported when the tag
// appears, when the page asks for it, or at idle time after the page's load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { cspViolations, enforceCsp, openRecordedPage, PRESENT, root, useDemoSite, waitForEvent } from './harness.ts';


const site = useDemoSite();

test('a page with only facekit.js enrols a face under the documented CSP', { timeout: 120_000 }, async () => {
  const { context, page, requests, foreign } = await openRecordedPage(site.browser, site.server.url);
  await enforceCsp(context, site.server.url);

  await page.goto(`${site.server.url}/embed/script-tag.html`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
  await page.evaluate(() => {
    const el = document.querySelector('face-enroll')!;
    el.setAttribute('auto-submit', '');
    void el.start();
  });
  const result = await waitForEvent<{ mode: string; personId: string }>(page, 'facekit-result', { mode: 'enroll' }, 90_000);
  assert.match(result.personId, /\S{6,}/);

  const violations = await cspViolations(page);
  assert.deepEqual(violations, [], 'the kit needs nothing beyond the documented policy');
  // The kit found its assets beside its own script, without an assets-base attribute.
  assert.ok(requests.some((url) => url.startsWith(`${site.server.url}/kit/assets/`) && url.includes('vision.worker')), 'worker from /kit/assets/');
  assert.ok(requests.some((url) => url.startsWith(`${site.server.url}/kit/assets/models/`)), 'models from /kit/assets/models/');
  assert.ok(requests.some((url) => /\/kit\/assets\/kit\/face-enroll-[\w-]+\.js$/.test(url)), 'the element chunk from /kit/assets/kit/');
  assert.deepEqual(foreign, []);
});

const TAGS = ['face-enroll', 'id-photo-maker', 'liveness-check', 'skin-report'] as const;
/** The element chunks a page requested, by tag, in request order. */
const chunksOf = (requests: string[]): string[] =>
  requests.map((url) => /\/kit\/assets\/kit\/(face-enroll|id-photo-maker|liveness-check|skin-report|shared)-[\w-]+\.js$/.exec(url)?.[1]).filter((name): name is string => !!name && name !== 'shared');
const definedTags = (page: Page): Promise<string[]> => page.evaluate((tags) => tags.filter((tag) => customElements.get(tag)), [...TAGS]);

/**
 * A page in a sub-folder that includes facekit.js with `body`. `holdLoad` adds an image that does
 * not arrive until `release()`, so that the page's load event (and the idle preload after it)
 * waits.
 */
async function openKitPage(body: string, { holdLoad = false, scriptAttributes = '', init }: { holdLoad?: boolean; scriptAttributes?: string; init?: () => void } = {}): Promise<{ context: BrowserContext; page: Page; requests: string[]; foreign: string[]; release: () => Promise<void> }> {
  const opened = await openRecordedPage(site.browser, site.server.url);
  if (init) await opened.context.addInitScript(init);
  const held: Route[] = [];
  await opened.context.route(`${site.server.url}/kit-test/held.png`, (route) => void held.push(route));
  await opened.context.route(`${site.server.url}/kit-test/page.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><script src="../kit/facekit.js"${scriptAttributes}></script></head><body>${holdLoad ? '<img src="held.png" alt="">' : ''}${body}</body></html>`,
    }),
  );
  await opened.page.goto(`${site.server.url}/kit-test/page.html`, { waitUntil: 'domcontentloaded' });
  const release = async () => {
    for (const route of held.splice(0)) await route.fulfill({ status: 404, body: '' });
  };
  return { ...opened, release };
}

test('facekit.js loads the chunk of the element in the page, then each other one when asked', { timeout: 60_000 }, async () => {
  const { context, page, requests, foreign, release } = await openKitPage('<face-enroll></face-enroll>', { holdLoad: true });
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
  await page.waitForTimeout(1500);
  assert.deepEqual(chunksOf(requests), ['face-enroll'], 'only the chunk of the element in the page, before the load event');
  assert.deepEqual(await definedTags(page), ['face-enroll']);
  assert.equal(await page.evaluate(() => typeof (window.facekit as { FaceEnroll?: unknown }).FaceEnroll), 'function', "the chunk's exports join the global");

  // customElements.whenDefined() loads the element it waits for.
  await page.evaluate(() => customElements.whenDefined('skin-report'));
  // So does a tag that appears later.
  await page.evaluate(() => document.body.append(document.createElement('liveness-check')));
  await page.waitForFunction(() => customElements.get('liveness-check') !== undefined);
  // And facekit.load(tag), which resolves with the class.
  assert.equal(await page.evaluate(async () => (await window.facekit.load('id-photo-maker')) === customElements.get('id-photo-maker')), true);
  assert.deepEqual(chunksOf(requests), ['face-enroll', 'skin-report', 'liveness-check', 'id-photo-maker'], 'each chunk once, when asked for');
  assert.match(await page.evaluate(() => window.facekit.load('no-such-element' as never).then(() => 'loaded', (error: Error) => error.message)), /no element <no-such-element>/);
  await release();
  assert.equal(await page.evaluate(() => window.facekit.ready.then(() => 'ready')), 'ready');
  assert.ok(
    requests.every((url) => url.startsWith(`${site.server.url}/kit/`) || url.startsWith(`${site.server.url}/kit-test/`)),
    'nothing but the kit folder and the page',
  );
  assert.deepEqual(foreign, []);
  await context.close();
});

test('without being asked, every tag is defined shortly after the page has loaded', { timeout: 60_000 }, async () => {
  const { context, page, requests, foreign } = await openKitPage('<skin-report></skin-report>');
  await page.waitForFunction((tags) => tags.every((tag) => customElements.get(tag)), [...TAGS], { timeout: 30_000 });
  const chunks = chunksOf(requests);
  assert.equal(chunks[0], 'skin-report', 'the element in the page first');
  assert.deepEqual([...chunks].sort(), [...TAGS], 'then the others, once each');
  assert.deepEqual(foreign, []);
  await context.close();
});

function saveData(): void {
  Object.defineProperty(Navigator.prototype, 'connection', {
    get() {
      return { saveData: true, effectiveType: '4g' };
    },
    configurable: true,
  });
}

test('data-preload="none" on the script tag, or Save-Data, loads only what the page uses', { timeout: 60_000 }, async () => {
  for (const options of [{ scriptAttributes: ' data-preload="none"' }, { init: saveData }]) {
    const { context, page, requests, foreign } = await openKitPage('<face-enroll></face-enroll>', options);
    await page.waitForLoadState('load');
    await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
    await page.waitForTimeout(3000); // longer than the idle preload's timeout
    assert.equal(await page.evaluate(() => (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true), 'init' in options, 'Save-Data as emulated');
    assert.deepEqual(chunksOf(requests), ['face-enroll'], 'init' in options ? 'Save-Data' : 'data-preload="none"');
    assert.deepEqual(await definedTags(page), ['face-enroll']);
    assert.deepEqual(foreign, []);
    await context.close();
  }
});

test('a chunk that did not arrive is fetched again when asked for again', { timeout: 60_000 }, async () => {
  const { context, page, foreign, release } = await openKitPage('', { holdLoad: true });
  let refused = 0;
  await context.route(/\/kit\/assets\/kit\/skin-report-[\w-]+\.js$/, async (route) => {
    if (refused++ === 0) return route.fulfill({ status: 503, body: '' });
    return route.continue();
  });
  const first = await page.evaluate(() => window.facekit.load('skin-report').then(() => 'loaded', () => 'failed'));
  assert.equal(first, 'failed');
  assert.equal(await page.evaluate(() => customElements.get('skin-report') === undefined), true);
  assert.equal(await page.evaluate(async () => (await window.facekit.load('skin-report')) === customElements.get('skin-report')), true);
  assert.equal(refused, 2, 'asked for twice');
  await release();
  assert.deepEqual(foreign, []);
  await context.close();
});

test('properties, listeners and a WeChat image source set before the upgrade are kept', { timeout: 60_000 }, async () => {
  const { context, page, foreign } = await openKitPage('<face-enroll lang="en"></face-enroll>');
  // The element's chunk waits until the page has set everything on the not yet upgraded element.
  let releaseChunk!: () => void;
  const chunkHeld = new Promise<void>((resolve) => (releaseChunk = resolve));
  await context.route(/\/kit\/assets\/kit\/face-enroll-[\w-]+\.js$/, async (route) => {
    await chunkHeld;
    await route.continue();
  });
  await page.reload({ waitUntil: 'domcontentloaded' });
  const before = await page.evaluate(() => {
    const el = document.querySelector('face-enroll')!;
    const wx = { chooseImage() {}, getLocalImgData() {} };
    el.endpoint = 'https://endpoint.example';
    el.ticketProvider = async () => 'ticket-1';
    el.groupId = 'early-group';
    el.autoSubmit = true;
    el.messages = { 'action.start': 'Go now' };
    el.imageSource = window.facekit.createWeChatImageSource(wx as never);
    (window as unknown as { heard: string[] }).heard = [];
    el.addEventListener('facekit-status', (event) => (window as unknown as { heard: string[] }).heard.push((event as CustomEvent<{ phase: string }>).detail.phase));
    return { defined: customElements.get('face-enroll') !== undefined, hasStart: typeof el.start };
  });
  assert.deepEqual(before, { defined: false, hasStart: 'undefined' }, 'set before the upgrade');
  releaseChunk();
  const after = await page.evaluate(async () => {
    await customElements.whenDefined('face-enroll');
    const el = document.querySelector('face-enroll')!;
    await el.updateComplete;
    return {
      endpoint: el.endpoint,
      ticket: await el.ticketProvider!(),
      groupId: el.groupId,
      groupAttribute: el.getAttribute('group-id'),
      autoSubmit: el.hasAttribute('auto-submit'),
      imageSourceLabel: el.imageSource?.label?.en,
      text: el.shadowRoot!.textContent ?? '',
    };
  });
  assert.equal(after.endpoint, 'https://endpoint.example');
  assert.equal(after.ticket, 'ticket-1');
  assert.equal(after.groupId, 'early-group');
  assert.equal(after.groupAttribute, 'early-group', 'reflected once upgraded');
  assert.equal(after.autoSubmit, true);
  assert.equal(after.imageSourceLabel, 'Take or choose a photo in WeChat');
  assert.match(after.text, /Go now/, 'the early messages override is used');
  // A listener added before the upgrade hears the element.
  await page.evaluate(() => void document.querySelector('face-enroll')!.start());
  await page.waitForFunction(() => (window as unknown as { heard: string[] }).heard.length > 0);
  await page.evaluate(() => document.querySelector('face-enroll')!.stop());
  assert.deepEqual(foreign, []);
  await context.close();
});

test('every kit chunk is served precompressed, and facekit.js names only files that exist', async () => {
  const chunkDir = resolve(root, 'dist/kit/assets/kit');
  const files = readdirSync(chunkDir);
  const scripts = files.filter((name) => name.endsWith('.js'));
  assert.ok(scripts.some((name) => name.startsWith('shared-')), 'a chunk of what the elements share');
  for (const tag of TAGS) assert.ok(scripts.some((name) => name.startsWith(`${tag}-`)), `a chunk for <${tag}>`);
  for (const name of scripts) {
    assert.ok(files.includes(`${name}.br`) && files.includes(`${name}.gz`), `${name} has .br and .gz`);
    const response = await fetch(`${site.server.url}/kit/assets/kit/${name}`, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-encoding'), 'br', name);
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
    await response.arrayBuffer();
  }
  const loader = await (await fetch(`${site.server.url}/kit/facekit.js`)).text();
  const named = [...loader.matchAll(/"\.\/assets\/kit\/([^"]+\.js)"/g)].map((match) => match[1]);
  assert.equal(named.length, TAGS.length);
  for (const name of named) assert.ok(scripts.includes(name!), `${name} exists`);
});
