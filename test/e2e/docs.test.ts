// The demo site's API pages (dist/site/docs/, written by scripts/build-docs.mjs from
// custom-elements.json): every attribute, property, event, slot, CSS part, CSS custom property
// and method of every element in the manifest is in its page's tables; the embedding snippets are
// there and their copy buttons, pressed from the keyboard, put the snippet on the clipboard and
// say so in the live region; axe finds nothing in either language or scheme; nothing is wider
// than a 320 px phone; and the site links to the pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { build as esbuild, transform } from 'esbuild';
import { compileScript, parse as parseSfc } from 'vue/compiler-sfc';
import type { ConsoleMessage, Page } from 'playwright-core';
import { openRecordedPage, root, useDemoSite } from './harness.ts';
import { elementsOf, renderElementPage, snippetsOf, type Manifest } from '../../scripts/docs-pages.ts';

const manifestFile = resolve(root, 'packages/elements/custom-elements.json');
const packageJson = JSON.parse(readFileSync(resolve(root, 'packages/elements/package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface Entry {
  name: string;
  description?: string;
  type?: { text: string };
}
interface ManifestElement {
  tagName: string;
  attributes: Entry[];
  fields: (Entry & { readonly?: boolean })[];
  methods: Entry[];
  events: Entry[];
  slots: Entry[];
  cssParts: Entry[];
  cssProperties: Entry[];
}

/** The manifest's elements, read here on their own (not through the page generator). */
function manifestElements(): ManifestElement[] {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { modules: { declarations?: Record<string, unknown>[] }[] };
  const found = new Map<string, ManifestElement>();
  for (const module of manifest.modules) {
    for (const declaration of module.declarations ?? []) {
      const tagName = declaration['tagName'] as string | undefined;
      if (!tagName || found.has(tagName)) continue;
      const members = ((declaration['members'] ?? []) as (Entry & { kind: string; static?: boolean; privacy?: string })[]).filter(
        (member) => !member.static && member.privacy !== 'private' && member.privacy !== 'protected' && !/^[_#]/.test(member.name),
      );
      found.set(tagName, {
        tagName,
        attributes: (declaration['attributes'] ?? []) as Entry[],
        fields: members.filter((member) => member.kind === 'field'),
        methods: members.filter((member) => member.kind === 'method'),
        events: (declaration['events'] ?? []) as Entry[],
        slots: (declaration['slots'] ?? []) as Entry[],
        cssParts: (declaration['cssParts'] ?? []) as Entry[],
        cssProperties: (declaration['cssProperties'] ?? []) as Entry[],
      });
    }
  }
  return [...found.values()];
}

const elements = manifestElements();

/** The snippets as scripts/docs-pages.ts makes them (the page shows the same text, checked below). */
const generated = elementsOf(JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest, packageJson);
function snippetCode(tag: string, id: string): string {
  const element = generated.find((candidate) => candidate.tagName === tag)!;
  return snippetsOf(element, generated.map((candidate) => candidate.tagName)).find((snippet) => snippet.id === id)!.code;
}
const classNameOf = (tag: string): string => generated.find((candidate) => candidate.tagName === tag)!.className;
const names = (entries: Entry[]): string[] => entries.map((entry) => entry.name).sort();
/** A description as the page shows it: no backticks, no list dashes, one space between words. */
const plain = (text: string): string => text.replace(/`/g, '').replace(/^\s*- /gm, '').replace(/\s+/g, ' ').trim();

const site = useDemoSite();

interface TableRow {
  name: string;
  cells: Record<string, string>;
  /** Text of the first code element of each cell, by column. */
  codes: Record<string, string>;
}
interface TableReport {
  caption: string;
  columnHeaders: number;
  rowHeaders: number;
  rows: TableRow[];
}

function readTables(page: Page): Promise<Record<string, TableReport>> {
  return page.evaluate(() => {
    const tables: Record<string, TableReport> = {};
    for (const table of document.querySelectorAll<HTMLTableElement>('table.api')) {
      const rows = [...table.tBodies[0]!.rows].map((row) => {
        const cells: Record<string, string> = {};
        const codes: Record<string, string> = {};
        for (const cell of row.querySelectorAll<HTMLElement>('[data-col]')) {
          const value = cell.querySelector<HTMLElement>('.cell') ?? cell;
          cells[cell.dataset['col']!] = (value.textContent ?? '').replace(/\s+/g, ' ').trim();
          codes[cell.dataset['col']!] = value.querySelector(':scope > code')?.textContent ?? '';
        }
        return { name: row.dataset['name'] ?? '', cells, codes };
      });
      tables[table.id.replace(/-table$/, '')] = {
        caption: table.caption?.textContent?.trim() ?? '',
        columnHeaders: table.querySelectorAll('thead th[scope="col"]').length,
        rowHeaders: table.querySelectorAll('tbody th[scope="row"]').length,
        rows,
      };
    }
    return tables;
  });
}

test('every element in custom-elements.json has a page whose tables list its whole API', { timeout: 120_000 }, async () => {
  assert.ok(elements.length >= 4, `the manifest describes the elements (${elements.length})`);
  const { context, page } = await openRecordedPage(site.browser, site.server.url);
  try {
    for (const element of elements) {
      const response = await page.goto(`${site.server.url}/docs/${element.tagName}.html`);
      assert.equal(response?.status(), 200, `/docs/${element.tagName}.html is served`);
      assert.equal(await page.locator('h1').textContent().then((text) => text?.includes(`<${element.tagName}>`)), true, 'the heading names the tag');
      const tables = await readTables(page);
      const where = `<${element.tagName}>`;
      for (const [id, table] of Object.entries(tables)) {
        assert.ok(table.caption, `${where} ${id}: the table has a caption`);
        assert.ok(table.columnHeaders >= 2, `${where} ${id}: column headers`);
        assert.equal(table.rowHeaders, table.rows.length, `${where} ${id}: each row has a row header`);
      }

      // Attributes and properties: every one, and nothing the manifest lacks.
      const properties = tables['properties']!;
      assert.deepEqual(properties.rows.map((row) => row.codes['attribute']).filter(Boolean).sort(), names(element.attributes), `${where}: attributes`);
      assert.deepEqual(properties.rows.map((row) => row.codes['property']).filter(Boolean).sort(), names(element.fields), `${where}: properties`);
      for (const attribute of element.attributes) {
        const row = properties.rows.find((candidate) => candidate.codes['attribute'] === attribute.name)!;
        if (attribute.type) assert.equal(row.codes['type'], attribute.type.text, `${where} ${attribute.name}: type`);
        if (attribute.description) assert.ok(row.cells['description']!.includes(plain(attribute.description).slice(0, 60)), `${where} ${attribute.name}: description`);
      }
      for (const field of element.fields.filter((candidate) => candidate.readonly)) {
        const row = properties.rows.find((candidate) => candidate.codes['property'] === field.name)!;
        assert.match(row.cells['property']!, /只读/, `${where} ${field.name}: marked read-only`);
      }

      assert.deepEqual(tables['events']?.rows.map((row) => row.name).sort() ?? [], names(element.events), `${where}: events`);
      for (const event of element.events) {
        const row = tables['events']!.rows.find((candidate) => candidate.name === event.name)!;
        if (event.type) assert.equal(row.codes['detail'], /^CustomEvent<(.+)>$/.exec(event.type.text)?.[1] ?? event.type.text, `${where} ${event.name}: detail type`);
        if (event.description) assert.ok(row.cells['description']!.includes(plain(event.description).slice(0, 60)), `${where} ${event.name}: description`);
      }
      assert.deepEqual(tables['slots']?.rows.map((row) => row.name).sort() ?? [], names(element.slots), `${where}: slots`);
      assert.deepEqual(tables['css-parts']?.rows.map((row) => row.name).sort() ?? [], names(element.cssParts), `${where}: CSS parts`);
      for (const part of element.cssParts) {
        const row = tables['css-parts']!.rows.find((candidate) => candidate.name === part.name)!;
        if (part.description) assert.ok(row.cells['description']!.includes(plain(part.description).slice(0, 60)), `${where} ::part(${part.name}): description`);
      }
      assert.deepEqual(tables['css-properties']?.rows.map((row) => row.name).sort() ?? [], names(element.cssProperties), `${where}: CSS custom properties`);
      assert.deepEqual(tables['methods']?.rows.map((row) => row.name).sort() ?? [], names(element.methods), `${where}: methods`);
    }
  } finally {
    await context.close();
  }
});

test('the pages follow the manifest: an entry added to it appears, one removed disappears', () => {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  const declaration = manifest.modules.flatMap((module) => module.declarations ?? []).find((candidate) => candidate.tagName === elements[0]!.tagName)!;
  const removedPart = declaration.cssParts![0]!.name;
  declaration.attributes = [...(declaration.attributes ?? []), { name: 'probe-attribute', type: { text: "'a' | 'b'" }, description: 'Probe attribute.' }];
  declaration.events = [...(declaration.events ?? []), { name: 'probe-event', type: { text: 'CustomEvent<ProbeDetail>' }, description: 'Probe event.' }];
  declaration.cssParts = [...declaration.cssParts!.slice(1), { name: 'probe-part', description: 'Probe part.' }];
  declaration.cssProperties = [...(declaration.cssProperties ?? []), { name: '--facekit-probe', description: 'Probe property.' }];
  const docs = elementsOf(manifest, packageJson);
  const element = docs.find((candidate) => candidate.tagName === declaration.tagName)!;
  const html = renderElementPage(element, docs, { demoPage: null });
  assert.match(html, /<tr data-name="probe-attribute">[^\n]*<code>probe-attribute<\/code>[^\n]*<code>'a' \| 'b'<\/code>[^\n]*Probe attribute\./);
  assert.match(html, /<tr data-name="probe-event">[^\n]*<code>ProbeDetail<\/code>[^\n]*Probe event\./);
  assert.match(html, /<tr data-name="probe-part">/);
  assert.match(html, /<tr data-name="--facekit-probe">/);
  assert.doesNotMatch(html, new RegExp(`<tr data-name="${removedPart}">`), `the removed part ${removedPart} is gone`);
});

/** What each snippet must hold, for an element. */
function expectedSnippets(element: ManifestElement): Record<string, (string | RegExp)[]> {
  const takesImageSource = element.fields.some((field) => field.name === 'imageSource');
  return {
    script: ['<script src="https://your.cdn/facekit/facekit.js"></script>', `<${element.tagName} `, `document.querySelector('${element.tagName}')`, 'facekit-result'],
    react: [new RegExp(`^import '@facekit/elements/(${element.tagName}/define|define-all)\\.js';`, 'm'), "import type {} from '@facekit/elements/react';", `<${element.tagName}`, 'ticketProvider={getTicket}', 'onfacekit-result='],
    'vue-config': ['isCustomElement', `'${element.tagName}'`, '@vitejs/plugin-vue'],
    'vue-component': [`<${element.tagName}`, ':ticketProvider.prop="getTicket"', '@facekit-result="onResult"', '<script setup lang="ts">'],
    wechat: ['facekit.js', `<${element.tagName} `, ...(takesImageSource ? ['jweixin-1.6.0.js', 'facekit.createWeChatImageSource(wx)', 'wx.ready('] : [])],
  };
}

test('each page has script-tag, React, Vue and WeChat snippets; the copy buttons copy them from the keyboard and say so', { timeout: 180_000 }, async () => {
  const { context, page } = await openRecordedPage(site.browser, site.server.url, { permissions: ['clipboard-read', 'clipboard-write'] });
  try {
    for (const element of elements) {
      await page.goto(`${site.server.url}/docs/${element.tagName}.html`);
      for (const [id, wanted] of Object.entries(expectedSnippets(element))) {
        const code = (await page.locator(`[data-snippet="${id}"] pre code`).textContent()) ?? '';
        assert.equal(code, snippetCode(element.tagName, id), `<${element.tagName}> ${id}: the page shows the generator's snippet (run below)`);
        for (const piece of wanted) {
          if (typeof piece === 'string') assert.ok(code.includes(piece), `<${element.tagName}> ${id} snippet holds ${piece}`);
          else assert.match(code, piece, `<${element.tagName}> ${id} snippet`);
        }
      }
      if (!element.fields.some((field) => field.name === 'imageSource')) {
        assert.doesNotMatch((await page.locator('[data-snippet="wechat"] pre code').textContent()) ?? '', /imageSource/, `<${element.tagName}> takes no image source`);
      }

      // Every snippet's copy button, focused and pressed with Enter or Space, copies that snippet.
      const snippetIds = await page.locator('[data-snippet]').evaluateAll((blocks) => blocks.map((block) => (block as HTMLElement).dataset['snippet']!));
      assert.deepEqual(snippetIds, ['script', 'react', 'vue-config', 'vue-component', 'wechat']);
      for (const [index, snippetId] of snippetIds.entries()) {
        await page.evaluate(() => navigator.clipboard.writeText(''));
        const block = page.locator(`[data-snippet="${snippetId}"]`);
        const button = block.locator('button');
        const expected = (await block.locator('pre code').textContent())!;
        await button.focus();
        assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-snippet]')?.getAttribute('data-snippet')), snippetId, `the ${snippetId} button takes the focus`);
        await page.keyboard.press(index % 2 === 0 ? 'Enter' : 'Space');
        const title = (await block.locator('h3, h4').first().textContent())!.trim();
        // Announced once the clipboard has taken the text.
        await page.waitForFunction((name) => document.getElementById('copy-status')?.textContent === `已复制到剪贴板：${name}`, title, { timeout: 5000 });
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected, `${snippetId}: the clipboard holds the snippet`);
        assert.equal(await button.evaluate((node) => node.getAttribute('aria-labelledby')!.split(' ').map((id) => document.getElementById(id)?.textContent?.trim()).join(' ')), `已复制 ${title}`, `${snippetId}: the button's name says what it copies`);
      }
      const status = page.locator('#copy-status');
      assert.equal(await status.getAttribute('role'), 'status');
      assert.equal(await status.getAttribute('aria-live'), 'polite');
    }

    // In English, the announcement is English.
    await page.goto(`${site.server.url}/docs/${elements[0]!.tagName}.html`);
    await page.getByRole('radio', { name: 'English' }).check();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.locator('#copy-react').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('copy-status')?.textContent === 'Copied to the clipboard: React 19', undefined, { timeout: 5000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await page.locator('#snippet-react-code').textContent());
  } finally {
    await context.close();
  }
});

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.slice(0, 5).map((node) => ({ target: node.target })) }));
  });
}

test('axe finds no accessibility violations on the pages, in zh-CN and en, light and dark', { timeout: 240_000 }, async () => {
  for (const [scheme, lang] of [['light', 'zh-CN'], ['dark', 'en']] as const) {
    const { context, page } = await openRecordedPage(site.browser, site.server.url, { colorScheme: scheme, reducedMotion: 'reduce' });
    try {
      for (const path of ['index', ...elements.map((element) => element.tagName)]) {
        await page.goto(`${site.server.url}/docs/${path}.html?lang=${lang}`);
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `${scheme} ${lang} /docs/${path}.html: ${JSON.stringify(violations, null, 1)}`);
        // Landmarks: a banner, navigation and one main.
        assert.equal(await page.locator('header.site').count(), 1);
        assert.equal(await page.locator('main#main').count(), 1);
        assert.ok((await page.locator('nav').count()) >= 1);
      }
    } finally {
      await context.close();
    }
  }
});

test('the English pages hold no Chinese outside elements marked zh-CN', { timeout: 60_000 }, async () => {
  const { context, page } = await openRecordedPage(site.browser, site.server.url);
  try {
    for (const path of ['index', ...elements.map((element) => element.tagName)]) {
      await page.goto(`${site.server.url}/docs/${path}.html?lang=en`);
      const chinese = await page.evaluate(() => {
        const found: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (/[\u4e00-\u9fff]/.test(node.textContent ?? '') && node.parentElement?.closest('[lang]')?.getAttribute('lang') !== 'zh-CN') found.push(node.textContent!.trim());
        }
        return found;
      });
      assert.deepEqual(chinese, [], `/docs/${path}.html?lang=en`);
      assert.doesNotMatch(await page.title(), /[\u4e00-\u9fff]/);
    }
  } finally {
    await context.close();
  }
});

test('nothing is wider than a 320 px phone, in either language', { timeout: 120_000 }, async () => {
  const { context, page } = await openRecordedPage(site.browser, site.server.url, { viewport: { width: 320, height: 640 } });
  try {
    for (const lang of ['zh-CN', 'en']) {
      for (const path of ['index', ...elements.map((element) => element.tagName)]) {
        await page.goto(`${site.server.url}/docs/${path}.html?lang=${lang}`);
        const report = await page.evaluate(() => {
          const sticking: string[] = [];
          const smallButtons: string[] = [];
          for (const node of document.body.querySelectorAll<HTMLElement>('*')) {
            const rect = node.getBoundingClientRect();
            if (rect.width <= 1 || rect.height <= 1) continue; // visually hidden text
            if (rect.left < -0.5 || rect.right > window.innerWidth + 0.5) sticking.push(`${node.tagName.toLowerCase()}#${node.id}.${node.className} ${Math.round(rect.left)}…${Math.round(rect.right)}`);
            if (node.matches('button') && rect.height < 43.5) smallButtons.push(node.id);
          }
          return { scrollWidth: document.documentElement.scrollWidth, sticking: sticking.slice(0, 10), smallButtons };
        });
        assert.ok(report.scrollWidth <= 320, `${lang} /docs/${path}.html scrolls sideways (${report.scrollWidth})`);
        assert.deepEqual(report.sticking, [], `${lang} /docs/${path}.html: boxes outside the viewport`);
        assert.deepEqual(report.smallButtons, [], `${lang} /docs/${path}.html: buttons under 44 px high`);
      }
    }
  } finally {
    await context.close();
  }
});

test('the site links to the API pages: the home page, each demo page and the pages to each other', async () => {
  const get = async (path: string): Promise<string> => {
    const response = await fetch(`${site.server.url}${path}`);
    assert.equal(response.status, 200, path);
    return response.text();
  };
  const home = await get('/index.html');
  const docsIndex = await get('/docs/index.html');
  for (const { tagName } of elements) {
    assert.ok(home.includes(`href="./docs/${tagName}.html"`), `the home page links to /docs/${tagName}.html`);
    assert.ok(docsIndex.includes(`href="./${tagName}.html"`), `the API index links to ${tagName}.html`);
    const demo = await get(`/${tagName}.html`);
    assert.ok(demo.includes(`href="./docs/${tagName}.html"`), `/${tagName}.html links to its API page`);
    const docs = await get(`/docs/${tagName}.html`);
    assert.ok(docs.includes(`href="../${tagName}.html"`), `/docs/${tagName}.html links back to its demo page`);
  }
});

const scratch = join(root, 'test-results/docs-snippets');
/** The `<script setup lang="ts">` body of the Vue component snippet. */
const vueScriptOf = (tag: string): string => /<script setup lang="ts">\n([\s\S]*?)<\/script>/.exec(snippetCode(tag, 'vue-component'))![1]!;

test('the React and Vue snippets type-check against the published typings', { timeout: 120_000 }, () => {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const files: string[] = [];
  for (const { tagName } of elements) {
    writeFileSync(join(scratch, `${tagName}.react.tsx`), snippetCode(tagName, 'react'));
    writeFileSync(join(scratch, `${tagName}.vue-script.ts`), vueScriptOf(tagName));
    files.push(`${tagName}.react.tsx`, `${tagName}.vue-script.ts`);
  }
  // The imports resolve to the workspace packages (`@facekit/elements/...`), through their typings.
  writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { jsx: 'react-jsx' }, include: [], files }));
  const result = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(scratch, 'tsconfig.json')], { encoding: 'utf8' });
  assert.equal(result.status, 0, `tsc on the snippets:\n${result.stdout}${result.stderr}`);
});

interface SnippetRun {
  page: Page;
  logs: unknown[];
  warnings: string[];
  errors: string[];
  /** Console errors, for the message of a failure. */
  consoleErrors: string[];
}

/** Opens `html` as a page of the test server, with extra same-origin files. */
async function runSnippet(context: Awaited<ReturnType<typeof openRecordedPage>>['context'], html: string, files: Record<string, { type: string; body: string }> = {}): Promise<SnippetRun> {
  const page = await context.newPage();
  const run: SnippetRun = { page, logs: [], warnings: [], errors: [], consoleErrors: [] };
  page.on('console', async (message: ConsoleMessage) => {
    if (message.type() === 'log') run.logs.push(await message.args()[0]?.jsonValue().catch(() => null));
    if (message.type() === 'warning') run.warnings.push(message.text());
    if (message.type() === 'error') run.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => run.errors.push(error.message));
  for (const [path, file] of Object.entries({ '/__snippet/page.html': { type: 'text/html', body: html }, ...files })) {
    await page.route(`${site.server.url}${path}`, (route) => route.fulfill({ contentType: file.type, body: file.body }));
  }
  // The wiring is under test, not the first load (first-load.test.ts): no runtime download per page.
  await page.route(new RegExp(`^${site.server.url}/kit/assets/(wasm|models)/`), (route) => route.abort());
  // The snippets' ticket URL, answered here like a site's backend would.
  await page.route(`${site.server.url}/my-backend/facekit-ticket`, (route) => route.fulfill({ contentType: 'text/plain', body: 'probe-ticket' }));
  await page.goto(`${site.server.url}/__snippet/page.html`);
  return run;
}

/** Waits for the framework to render the tag. */
async function rendered(run: SnippetRun, tag: string): Promise<void> {
  await run.page.waitForSelector(tag, { state: 'attached', timeout: 20_000 }).catch((error: Error) => {
    throw new Error(`${error.message}\npage errors: ${run.errors.join(' | ')}\nconsole errors: ${run.consoleErrors.join(' | ')}`);
  });
}

/** The element is upgraded, has the snippet's ticket provider, and its events reach the snippet's listeners. */
async function checkWiring(run: SnippetRun, tag: string, where: string): Promise<void> {
  const { page } = run;
  const state = await page.evaluate(async (name) => {
    await customElements.whenDefined(name);
    const el = document.querySelector(name) as HTMLElement & { ticketProvider?: () => Promise<string>; endpoint?: string; updateComplete?: Promise<unknown> };
    // Lit keeps a property set before the upgrade and applies it in the first update.
    await el.updateComplete;
    const ticket = typeof el.ticketProvider === 'function' ? await el.ticketProvider() : null;
    el.dispatchEvent(new CustomEvent('facekit-result', { detail: { probe: 'result' }, bubbles: true, composed: true }));
    el.dispatchEvent(new CustomEvent('facekit-error', { detail: { code: 'PROBE_CODE', message: 'probe message', retryable: false }, bubbles: true, composed: true }));
    return { upgraded: el instanceof customElements.get(name)!, ticket, endpoint: el.endpoint };
  }, tag);
  assert.deepEqual(state, { upgraded: true, ticket: 'probe-ticket', endpoint: 'https://api.example.com' }, `${where}: element, ticket provider, endpoint`);
  for (let tries = 0; tries < 50 && (run.logs.length === 0 || run.warnings.length === 0); tries++) await new Promise((done) => setTimeout(done, 50));
  assert.deepEqual(run.logs, [{ probe: 'result' }], `${where}: the facekit-result listener ran`);
  assert.ok(run.warnings.some((text) => text.includes('PROBE_CODE probe message')), `${where}: the facekit-error listener ran (${run.warnings.join(' | ')})`);
  assert.deepEqual(run.errors, [], `${where}: no page errors`);
}

/** The snippet's CDN and JS-SDK URLs pointed at this server's kit and a stub `wx`. */
const localise = (code: string): string =>
  code
    .replace('https://your.cdn/facekit/facekit.js', '/kit/facekit.js')
    .replace('"/facekit/facekit.js"', '"/kit/facekit.js"')
    .replace('https://res.wx.qq.com/open/js/jweixin-1.6.0.js', '/__snippet/jweixin.js');
const WX_STUB = 'window.wxConfigured = []; window.wx = { config: (options) => wxConfigured.push(options.jsApiList), ready: (callback) => setTimeout(callback, 0), chooseImage() {}, getLocalImgData() {} };';
const htmlPage = (body: string): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>snippet</title></head><body>\n${body}\n</body></html>`;

test('the snippets run: script tag and WeChat H5 with facekit.js, Vue 3 compiled with the config snippet, React 19', { timeout: 300_000 }, async () => {
  const { context, page: first } = await openRecordedPage(site.browser, site.server.url);
  await first.close();
  const vueRuntime = readFileSync(join(root, 'node_modules/vue/dist/vue.runtime.esm-browser.prod.js'), 'utf8');
  const tags = new Function(`${/const facekitTags = \[.*\];/.exec(snippetCode(elements[0]!.tagName, 'vue-config'))![0]} return facekitTags;`)() as string[];
  assert.deepEqual([...tags].sort(), elements.map((element) => element.tagName).sort(), 'the Vue config names every facekit tag');
  try {
    for (const { tagName, fields } of elements) {
      // Script tag, as copied.
      let run = await runSnippet(context, htmlPage(localise(snippetCode(tagName, 'script'))));
      await checkWiring(run, tagName, `<${tagName}> script tag`);
      await run.page.close();

      // WeChat H5, with a stub JS-SDK: the picker is handed over once wx is ready.
      run = await runSnippet(context, htmlPage(localise(snippetCode(tagName, 'wechat'))), { '/__snippet/jweixin.js': { type: 'text/javascript', body: WX_STUB } });
      await checkWiring(run, tagName, `<${tagName}> WeChat`);
      if (fields.some((field) => field.name === 'imageSource')) {
        await run.page.waitForFunction((name) => typeof (document.querySelector(name) as unknown as { imageSource?: { pick?: unknown } }).imageSource?.pick === 'function', tagName, { timeout: 5000 });
        assert.deepEqual(await run.page.evaluate(() => (window as unknown as { wxConfigured: string[][] }).wxConfigured), [['chooseImage', 'getLocalImgData']]);
      }
      await run.page.close();

      // Vue 3: the component compiled as @vitejs/plugin-vue would, with the config's isCustomElement.
      const compilerOptions = { isCustomElement: (tag: string) => tags.includes(tag) };
      const { descriptor } = parseSfc(snippetCode(tagName, 'vue-component'), { templateParseOptions: compilerOptions });
      const compiled = compileScript(descriptor, { id: tagName, inlineTemplate: true, templateOptions: { compilerOptions } });
      assert.doesNotMatch(compiled.content, /resolveComponent/, `<${tagName}> Vue: the tag is not taken for a component`);
      const vueModule = (await transform(compiled.content.replace('export default', 'const SnippetComponent ='), { loader: 'ts', format: 'esm' })).code
        .replace(/^import ["']@facekit\/elements\/[^"']+["'];.*$/m, '') // facekit.js on the page registers the tags
        .replace(/from ['"]vue['"]/g, "from '/__snippet/vue.js'");
      const vueApp = `${vueModule}\nimport { createApp } from '/__snippet/vue.js';\nawait customElements.whenDefined(${JSON.stringify(tagName)});\ncreateApp(SnippetComponent).mount('#app');\n`;
      run = await runSnippet(context, htmlPage('<script src="/kit/facekit.js"></script><div id="app"></div><script type="module" src="/__snippet/app.js"></script>'), {
        '/__snippet/vue.js': { type: 'text/javascript', body: vueRuntime },
        '/__snippet/app.js': { type: 'text/javascript', body: vueApp },
      });
      await rendered(run, tagName);
      await checkWiring(run, tagName, `<${tagName}> Vue`);
      await run.page.close();

      // React 19: the component bundled with react-dom, rendered once the tag is registered.
      const reactFile = join(scratch, `${tagName}.run.tsx`);
      mkdirSync(scratch, { recursive: true });
      writeFileSync(reactFile, snippetCode(tagName, 'react').replace(/^import '@facekit\/elements\/[^']+';.*$/m, ''));
      const bundle = await esbuild({
        stdin: {
          contents: `import { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport { ${classNameOf(tagName)}View as View } from ${JSON.stringify(reactFile)};\nawait customElements.whenDefined(${JSON.stringify(tagName)});\ncreateRoot(document.getElementById('app')).render(createElement(View));\n`,
          resolveDir: root,
          loader: 'ts',
        },
        bundle: true,
        write: false,
        format: 'esm',
        target: 'es2022',
        jsx: 'automatic',
        define: { 'process.env.NODE_ENV': '"production"' },
        logLevel: 'silent',
      });
      run = await runSnippet(context, htmlPage('<script src="/kit/facekit.js"></script><div id="app"></div><script type="module" src="/__snippet/app.js"></script>'), {
        '/__snippet/app.js': { type: 'text/javascript', body: bundle.outputFiles[0]!.text },
      });
      await rendered(run, tagName);
      await checkWiring(run, tagName, `<${tagName}> React`);
      await run.page.close();
    }
  } finally {
    await context.close();
  }
});
