// The React 19 and Vue 3 demo pages in real Chromium, with the fake camera, the endpoint and the
// face-platform mock: the framework sets the element's properties from its state, handles the
// facekit events with its own bindings, and renders what they carried.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openRecordedPage, root, useDemoSite, waitForEvent } from './harness.ts';

const site = useDemoSite();

test('the React and Vue demo pages type-check against the element typings', { timeout: 60_000 }, () => {
  const output = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'demo/tsconfig.frameworks.json')], { encoding: 'utf8' });
  assert.equal(output.status, 0, output.stdout + output.stderr);
});

interface ElementState {
  mode: string;
  groupId: string;
  autoSubmit: boolean;
  ticketProviderType: string;
  modeAttribute: string | null;
  groupAttribute: string | null;
}

function elementState(page: Page): Promise<ElementState> {
  return page.evaluate(() => {
    const el = document.querySelector('face-enroll')!;
    return {
      mode: el.mode,
      groupId: el.groupId,
      autoSubmit: el.autoSubmit,
      ticketProviderType: typeof el.ticketProvider,
      modeAttribute: el.getAttribute('mode'),
      groupAttribute: el.getAttribute('group-id'),
    };
  });
}

/** Text the framework rendered in its state panel. */
function rendered(page: Page, testId: string): Promise<string> {
  return page.locator(`[data-testid="${testId}"]`).innerText();
}

async function resultCount(page: Page): Promise<number> {
  return page.evaluate(() => window.facekitEvents.filter((event) => event.type === 'facekit-result').length);
}

for (const framework of ['react', 'vue'] as const) {
  const group = `${framework}-demo`;

  test(`${framework}: properties from framework state, events handled by the framework`, { timeout: 240_000 }, async () => {
    const { page, foreign } = await openRecordedPage(site.browser, site.server.url);
    await page.goto(`${site.server.url}/${framework}.html`);
    await page.locator('[data-testid="mode"]').waitFor();

    // Set as properties, not attributes: the function arrived as a function.
    const initial = await elementState(page);
    assert.deepEqual(initial, {
      mode: 'enroll',
      groupId: group,
      autoSubmit: true,
      ticketProviderType: 'function',
      modeAttribute: 'enroll',
      groupAttribute: group,
    });

    // The element's own Start button (English: the framework set lang="en").
    const element = page.locator('face-enroll');
    await element.getByRole('button', { name: 'Start', exact: true }).click();
    const status = await waitForEvent<{ phase: string }>(page, 'facekit-status', { phase: 'guiding' });
    assert.equal(status.phase, 'guiding');
    const enrolled = await waitForEvent<{ mode: string; personId: string }>(page, 'facekit-result', { mode: 'enroll' }, 120_000);
    assert.match(enrolled.personId, /\S{6,}/);
    // The framework's listener stored the detail in its state and rendered it.
    await page.waitForFunction((id) => document.querySelector('[data-testid="person-id"]')?.textContent === id, enrolled.personId);
    assert.equal(await rendered(page, 'result'), `enrolled ${enrolled.personId}`);
    assert.equal(await rendered(page, 'status'), 'done');

    // Switch to search through the framework's state: the element's mode property follows.
    await page.getByRole('radio', { name: 'Find person' }).check();
    await page.waitForFunction(() => document.querySelector('face-enroll')!.mode === 'search');
    assert.equal((await elementState(page)).modeAttribute, 'search');
    assert.equal(await rendered(page, 'person-id'), '—', 'the framework cleared its result');

    const before = await resultCount(page);
    await element.getByRole('button', { name: 'Start', exact: true }).click();
    await page.waitForFunction((count) => window.facekitEvents.filter((event) => event.type === 'facekit-result').length > count, before, { timeout: 120_000 });
    const found = await waitForEvent<{ mode: string; personId: string; matched: boolean }>(page, 'facekit-result', { mode: 'search' });
    assert.equal(found.matched, true);
    assert.equal(found.personId, enrolled.personId, 'search finds the person enrolled a moment ago');
    await page.waitForFunction(() => document.querySelector('[data-testid="result"]')?.textContent?.startsWith('found '));
    assert.equal(await rendered(page, 'person-id'), enrolled.personId);

    // lang from the framework's state: the element's own text switches.
    await page.getByRole('radio', { name: '中文' }).check();
    await element.getByRole('button', { name: '重新开始' }).waitFor({ timeout: 10_000 });

    assert.deepEqual(foreign, [], `no request leaves the test server: ${foreign.join(', ')}`);
  });
}
