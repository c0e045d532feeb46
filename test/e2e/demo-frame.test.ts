// Every demo page gets the shared frame that scripts/lib/demo-html.ts writes into it: the head
// (charset, viewport, colour scheme, icon, one stylesheet) and the site header (skip link, brand
// link, tagline, and on an element's page the link to its API page), once, in the page's language.
// Checked on the built site, loaded in Chromium under a CSP without 'unsafe-inline', and on the
// Vite dev server's pages, parsed by the same browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { createServer } from 'vite';
import { cspViolations, enforceCsp, openRecordedPage, root, useDemoSite } from './harness.ts';

const demoDir = resolve(root, 'demo');
const pages = readdirSync(demoDir)
  .filter((file) => file.endsWith('.html'))
  .map((file) => file.slice(0, -'.html'.length));

/** The element pages: zh-CN first, header texts translated by the page script, an API link. */
const ELEMENT_PAGES = ['face-enroll', 'skin-report', 'liveness-check', 'id-photo-maker'];
/** Script-driven pages with no site frame beyond charset and viewport. */
const BARE_PAGES = ['bench'];

interface Frame {
  lang: string;
  /** The first element in <head> (the charset must come early). */
  firstHeadElement: string;
  charset: string | null;
  viewport: string | null;
  colorScheme: string | null;
  icons: string[];
  stylesheets: number;
  headers: number;
  /** The body's first element, which is the first tab stop on a framed page. */
  firstBodyElement: string;
  skip: { text: string; href: string | null; i18n: string | null } | null;
  /** Each link in the header: its attribute href and text. */
  links: { href: string | null; text: string }[];
  notes: { text: string; i18n: string | null }[];
  currentMarks: number;
  hasMain: boolean;
  /** The shared pieces of an element page (scripts/lib/demo-html.ts): the radio groups present, and the event log. */
  radioGroups: string[];
  eventLog: boolean;
  /** `<!-- demo:… -->` markers left unreplaced. */
  markers: number;
}

/** Reads the frame of the open page (`html` null) or of `html` parsed by the browser. */
function readFrame(page: Page, html: string | null = null): Promise<Frame> {
  return page.evaluate((source) => {
    const doc = source === null ? document : new DOMParser().parseFromString(source, 'text/html');
    // No named helpers in here: the test loader would wrap them in a function the page lacks.
    const header = doc.querySelector('header.site');
    const skip = doc.querySelector('a.skip-link');
    // The dev server puts its own client script first; what the page asked for comes after it.
    const ownHead = [...doc.head.children].filter((node) => node.getAttribute('src') !== '/@vite/client');
    return {
      lang: doc.documentElement.lang,
      firstHeadElement: ownHead[0]?.outerHTML ?? '',
      charset: doc.querySelector('meta[charset]')?.getAttribute('charset') ?? null,
      viewport: doc.querySelector('meta[name="viewport"]')?.getAttribute('content') ?? null,
      colorScheme: doc.querySelector('meta[name="color-scheme"]')?.getAttribute('content') ?? null,
      icons: [...doc.querySelectorAll('link[rel="icon"]')].map((link) => link.getAttribute('href')!),
      stylesheets: doc.querySelectorAll('link[rel="stylesheet"]').length,
      headers: doc.querySelectorAll('header.site').length,
      firstBodyElement: doc.body.firstElementChild?.tagName.toLowerCase() ?? '',
      skip: skip && { text: skip.textContent!.replace(/\s+/g, ' ').trim(), href: skip.getAttribute('href'), i18n: skip.getAttribute('data-i18n') },
      links: header ? [...header.querySelectorAll('a')].map((link) => ({ href: link.getAttribute('href'), text: link.textContent!.replace(/\s+/g, ' ').trim() })) : [],
      notes: header ? [...header.querySelectorAll('p.note')].map((note) => ({ text: note.textContent!.replace(/\s+/g, ' ').trim(), i18n: note.getAttribute('data-i18n') })) : [],
      currentMarks: doc.querySelectorAll('[aria-current]').length,
      hasMain: doc.getElementById('main') !== null,
      radioGroups: [...new Set([...doc.querySelectorAll<HTMLInputElement>('fieldset.switch input[type="radio"]')].map((radio) => radio.name))],
      eventLog: doc.querySelector('section.panel #log-title[data-i18n="events"]') !== null && doc.querySelector('#clear-log') !== null && doc.querySelector('ol#log') !== null,
      markers: (doc.documentElement.outerHTML.match(/<!-- demo:/g) ?? []).length,
    };
  }, html);
}

/** What page `name`'s frame must be, in the language it opens in. */
function assertFrame(name: string, frame: Frame, where: string): void {
  const at = `${name}.html (${where})`;
  assert.equal(frame.markers, 0, `${at}: every shared piece was put in`);
  assert.match(frame.firstHeadElement, /^<meta charset="utf-8"/, `${at}: the charset comes first in <head>`);
  assert.equal(frame.charset, 'utf-8', at);
  assert.equal(frame.viewport, 'width=device-width, initial-scale=1', at);
  if (BARE_PAGES.includes(name)) {
    assert.deepEqual([frame.colorScheme, frame.icons, frame.stylesheets, frame.headers, frame.skip], [null, [], 0, 0, null], `${at}: a bare page`);
    return;
  }
  assert.equal(frame.colorScheme, 'light dark', at);
  assert.deepEqual(frame.icons, ['data:,'], `${at}: one icon, requested from nowhere`);
  assert.equal(frame.stylesheets, 1, `${at}: the demo stylesheet, once`);
  assert.equal(frame.headers, 1, `${at}: exactly one site header`);
  assert.equal(frame.firstBodyElement, 'a', `${at}: the skip link is the first tab stop`);
  assert.ok(frame.hasMain, `${at}: the skip link's target exists`);
  // No page marks a current item (the header has no list of pages to mark one in).
  assert.equal(frame.currentMarks, 0, at);
  const brand = { href: './index.html', text: 'facekit' };
  if (ELEMENT_PAGES.includes(name)) {
    assert.equal(frame.lang, 'zh-CN', at);
    assert.deepEqual(frame.skip, { text: '跳到正文', href: '#main', i18n: 'skip' }, at);
    assert.deepEqual(frame.notes[0], { text: '人脸采集组件演示', i18n: 'tagline' }, at);
    assert.deepEqual(frame.links, [brand, { href: `./docs/${name}.html`, text: '接口与嵌入 · API and embedding' }], `${at}: brand, then this element's API page`);
    assert.ok(frame.radioGroups.includes('lang'), `${at}: the language switch`);
    assert.equal(frame.radioGroups.includes('source'), name !== 'liveness-check', `${at}: the photo-source switch, where the element takes files`);
    assert.ok(frame.eventLog, `${at}: the event log`);
  } else {
    assert.equal(frame.lang, 'en', at);
    assert.deepEqual(frame.skip, { text: 'Skip to the content', href: '#main', i18n: null }, at);
    assert.equal(frame.notes.length, 1, at);
    assert.match(frame.notes[0]!.text, /\S/, `${at}: a tagline`);
    assert.equal(frame.notes[0]!.i18n, null, at);
    assert.deepEqual(frame.links, [brand], at);
  }
}

const site = useDemoSite('denied');

test('the demo pages are the ones this test knows', () => {
  assert.ok(pages.includes('index'), 'demo/index.html');
  for (const name of [...ELEMENT_PAGES, ...BARE_PAGES]) assert.ok(pages.includes(name), `demo/${name}.html`);
});

test('every built demo page has the shared head and header under a CSP without inline code', { timeout: 240_000 }, async () => {
  const { context, page, foreign } = await openRecordedPage(site.browser, site.server.url);
  await enforceCsp(context, site.server.url);
  try {
    for (const name of pages) {
      await page.goto(`${site.server.url}/${name}.html`, { waitUntil: 'load' });
      assertFrame(name, await readFrame(page), 'built');
      assert.equal(await page.evaluate(() => document.characterSet), 'UTF-8', name);
      if (!BARE_PAGES.includes(name)) {
        // The stylesheet applies: the skip link waits above the page until it has the focus.
        const skipTop = () => page.evaluate(() => document.querySelector('a.skip-link')!.getBoundingClientRect().top);
        assert.ok((await skipTop()) < 0, `${name}: the skip link is hidden until focused`);
        await page.keyboard.press('Tab');
        assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('skip-link')), `${name}: Tab reaches the skip link first`);
        assert.ok((await skipTop()) >= 0, `${name}: the focused skip link is on screen`);
        for (const href of await page.evaluate(() => [...document.querySelectorAll('header.site a')].map((link) => (link as HTMLAnchorElement).href))) {
          assert.equal((await context.request.get(href)).status(), 200, `${name}: header link ${href}`);
        }
      }
      if (ELEMENT_PAGES.includes(name)) {
        // The page script translates the injected header with the rest of the page.
        await page.check('input[name="lang"][value="en"]');
        await page.waitForFunction(() => document.documentElement.lang === 'en');
        const frame = await readFrame(page);
        assert.deepEqual(frame.skip, { text: 'Skip to the content', href: '#main', i18n: 'skip' }, name);
        assert.equal(frame.notes[0]!.text, 'Face capture components demo', name);
      }
      const violations = await cspViolations(page);
      assert.deepEqual(violations, [], `${name}: nothing inline`);
    }
    assert.deepEqual(foreign, []);
  } finally {
    // A page may still be warming up (the wasm runtime) when the loop ends: drop those requests.
    await context.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
  }
});

test('the Vite dev server frames every demo page the same way', { timeout: 120_000 }, async () => {
  const server = await createServer({
    configFile: resolve(root, 'vite.config.ts'),
    server: { middlewareMode: true, hmr: false, ws: false },
    logLevel: 'warn',
  });
  const context = await site.browser.newContext();
  try {
    const page = await context.newPage();
    for (const name of pages) {
      const html = await server.transformIndexHtml(`/${name}.html`, readFileSync(resolve(demoDir, `${name}.html`), 'utf8'));
      assertFrame(name, await readFrame(page, html), 'dev server');
    }
  } finally {
    await context.close();
    await server.close();
  }
});
