// <face-enroll> with the keyboard alone (page.keyboard only; reads of the page state are the only
// scripted access): Tab order that follows the layout, a visible focus ring on every stop,
// Enter and Space on the controls, the file chooser opened from its label's input, the guidance in
// a polite live region, and the result panel taking the focus. Real endpoint, fake camera.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ensureFixtures } from '../../scripts/fixtures.mjs';
import { openRecordedPage, useDemoSite, waitForEvent } from './harness.ts';

const site = useDemoSite();

interface FocusStop {
  /** Inside <face-enroll>'s shadow root. */
  inElement: boolean;
  tag: string;
  name: string;
  text: string;
  part: string;
  /** The focus indicator: on the control itself, or on its label for the hidden file input. */
  ring: { style: string; width: number; color: string };
}

/** Where the focus is, through the shadow root, and what its focus ring looks like. */
function focusStop(page: Page): Promise<FocusStop | null> {
  return page.evaluate(() => {
    let active = document.activeElement;
    let inElement = false;
    while (active?.shadowRoot?.activeElement) {
      active = active.shadowRoot.activeElement;
      inElement = true;
    }
    if (!active || active === document.body) return null;
    const hiddenFile = active.matches('input[type="file"]');
    const ringOf = hiddenFile ? active.closest('.file-picker')!.querySelector('label')! : active;
    const style = getComputedStyle(ringOf);
    return {
      inElement,
      tag: active.tagName.toLowerCase(),
      name: active.getAttribute('name') ?? '',
      text: (active.textContent ?? '').trim(),
      part: active.getAttribute('part') ?? '',
      ring: { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth), color: style.outlineColor },
    };
  });
}

/** The focus stop once its ring is drawn (a date field takes a frame to match :focus-visible). */
async function settledStop(page: Page): Promise<FocusStop | null> {
  let stop = await focusStop(page);
  for (let i = 0; i < 5 && stop && (stop.ring.style === 'none' || stop.ring.width < 2); i++) {
    await page.waitForTimeout(100);
    stop = await focusStop(page);
  }
  return stop;
}

function assertVisibleRing(stop: FocusStop): void {
  assert.ok(stop.ring.style !== 'none' && stop.ring.width >= 2, `a visible focus ring on ${stop.tag} "${stop.text || stop.name}": ${JSON.stringify(stop.ring)}`);
}

/** Presses Tab until `matches`, checking the ring of every stop on the way; returns the stops. */
async function tabTo(page: Page, matches: (stop: FocusStop) => boolean, limit = 40): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const stop = await settledStop(page);
    if (!stop) continue;
    assertVisibleRing(stop);
    stops.push(stop);
    if (matches(stop)) return stops;
  }
  throw new Error(`not reached with ${limit} presses of Tab: ${stops.map((stop) => stop.text || stop.name || stop.tag).join(' → ')}`);
}

async function waitForFocus(page: Page, matches: (stop: FocusStop) => boolean, what: string): Promise<FocusStop> {
  for (let i = 0; i < 100; i++) {
    const stop = await focusStop(page);
    if (stop && matches(stop)) return stop;
    await page.waitForTimeout(100);
  }
  throw new Error(`the focus did not reach ${what}: ${JSON.stringify(await focusStop(page))}`);
}

test('camera path: Tab to Start, Enter, fill the form, Space on Submit, focus on the result', { timeout: 180_000 }, async () => {
  const { page, foreign } = await openRecordedPage(site.browser, site.server.url);
  await page.goto(`${site.server.url}/face-enroll.html`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);

  // Through the page's own controls into the element, to its Start button.
  const toStart = await tabTo(page, (stop) => stop.inElement && stop.text === '开始');
  assert.ok(toStart.length > 1);

  // Tab order inside the element follows the layout: the camera's button, then the form (a date
  // field has a stop per part: consecutive stops on one control count once).
  const order: string[] = [];
  for (let i = 0; i < 16 && order.at(-1) !== 'remark'; i++) {
    await page.keyboard.press('Tab');
    const stop = (await settledStop(page))!;
    assertVisibleRing(stop);
    if (order.at(-1) !== (stop.name || stop.text)) order.push(stop.name || stop.text);
  }
  assert.deepEqual(order, ['name', 'sex', 'birthday', 'type', 'idIccid', '显示号码', 'custId', 'remark']);

  // Fill fields and use the toggle, keyboard only.
  for (let i = 0; i < 16 && (await focusStop(page))?.name !== 'name'; i++) await page.keyboard.press('Shift+Tab');
  await waitForFocus(page, (stop) => stop.name === 'name', 'the name field');
  await page.keyboard.type('Eileen Collins');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown'); // sex: a select changes with the arrow keys
  await tabTo(page, (stop) => stop.name === 'idIccid', 8);
  await page.keyboard.type('110101199001011234');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space'); // "show number"
  const form = await page.evaluate(() => {
    const root = document.querySelector('face-enroll')!.shadowRoot!;
    return {
      name: root.querySelector<HTMLInputElement>('[name="name"]')!.value,
      sex: root.querySelector<HTMLSelectElement>('[name="sex"]')!.value,
      pressed: root.querySelector('button[aria-pressed]')!.getAttribute('aria-pressed'),
      id: root.querySelector<HTMLInputElement>('[name="idIccid"]')!.value,
    };
  });
  assert.deepEqual(form, { name: 'Eileen Collins', sex: '1', pressed: 'true', id: '110101199001011234' });

  // Back to Start (it sits before the form) and press Enter.
  for (let i = 0; i < 12; i++) {
    const stop = await focusStop(page);
    if (stop?.text === '开始') break;
    await page.keyboard.press('Shift+Tab');
  }
  assert.equal((await focusStop(page))?.text, '开始');
  await page.keyboard.press('Enter');

  // Guidance goes to a polite live region while framing.
  await waitForEvent(page, 'facekit-status', { phase: 'guiding' });
  const region = await page.evaluate(() => {
    const hint = document.querySelector('face-enroll')!.shadowRoot!.querySelector('[part~="hint"]')!;
    return { role: hint.getAttribute('role'), live: hint.getAttribute('aria-live'), atomic: hint.getAttribute('aria-atomic'), text: hint.textContent?.trim() };
  });
  assert.deepEqual({ ...region, text: !!region.text }, { role: 'status', live: 'polite', atomic: 'true', text: true });

  // The quality gate takes the photo; the focus stays on the row of buttons, now after the form.
  await waitForEvent(page, 'facekit-status', { phase: 'captured' }, 90_000);
  await waitForFocus(page, (stop) => stop.inElement && stop.text === '重拍', 'the Retake button');
  await page.keyboard.press('Tab');
  await waitForFocus(page, (stop) => stop.text === '提交', 'the Submit button');
  assertVisibleRing((await settledStop(page))!);
  await page.keyboard.press('Space');

  const result = await waitForEvent<{ mode: string; personId: string }>(page, 'facekit-result', { mode: 'enroll' }, 90_000);
  assert.match(result.personId, /\S{6,}/);
  await waitForFocus(page, (stop) => stop.part === 'result', 'the result panel');
  const panel = (await settledStop(page))!;
  assertVisibleRing(panel);
  assert.ok(panel.text.includes(result.personId), 'the focused result shows the person ID');
  assert.deepEqual(foreign, []);
});

test('file path: choose the source with the arrow keys, open the chooser with Space, submit with Enter', { timeout: 180_000 }, async () => {
  const fixtures = await ensureFixtures();
  const { page, foreign } = await openRecordedPage(site.browser, site.server.url);
  await page.goto(`${site.server.url}/face-enroll.html`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);

  // The page's source switch: a radio group, moved with the arrow keys.
  await tabTo(page, (stop) => stop.tag === 'input' && stop.name === 'source');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('face-enroll')!.source === 'file');
  // The element renders its chooser after the switch: wait until the same input has stood for
  // half a second, so that the Tab stops below are the ones a user would meet.
  await page.waitForFunction(
    () => {
      const input = document.querySelector('face-enroll')!.shadowRoot!.querySelector('input[type="file"]');
      const seen = window as unknown as { chooserInput?: Element | null; chooserSince?: number };
      if (!input) return false;
      if (seen.chooserInput !== input) {
        seen.chooserInput = input;
        seen.chooserSince = performance.now();
        return false;
      }
      return performance.now() - (seen.chooserSince ?? 0) > 500;
    },
    undefined,
    { polling: 100, timeout: 30_000 },
  );

  // Listening for the chooser turns Playwright's interception of it on, which it does without
  // waiting for the browser's answer: listen well before Space, or the dialog may open unseen.
  const chooser = page.waitForEvent('filechooser', { timeout: 90_000 });
  // The visually hidden file input is a Tab stop; its label shows the focus ring.
  const isChooser = (stop: FocusStop) => stop.inElement && stop.tag === 'input' && stop.part === 'file-input';
  const input = await tabTo(page, isChooser);
  assertVisibleRing(input.at(-1)!);
  await waitForFocus(page, isChooser, 'the file chooser, still focused before Space');
  await page.keyboard.press('Space');
  await (await chooser).setFiles(fixtures.photos.astronaut);
  await waitForEvent(page, 'facekit-status', { phase: 'captured' }, 60_000);

  // The preview replaced the chooser: the focus moved to the row of buttons.
  await waitForFocus(page, (stop) => stop.inElement && stop.text === '重拍', 'the Retake button');
  await page.keyboard.press('Tab');
  await waitForFocus(page, (stop) => stop.text === '提交', 'the Submit button');
  await page.keyboard.press('Enter');
  const result = await waitForEvent<{ mode: string; personId: string }>(page, 'facekit-result', { mode: 'enroll' }, 90_000);
  assert.match(result.personId, /\S{6,}/);
  await waitForFocus(page, (stop) => stop.part === 'result', 'the result panel');
  assert.deepEqual(foreign, []);
});
