// <face-enroll> layouts from a 320 px phone to a desktop, light and dark, on its demo page with
// the fake camera: no horizontal overflow of the page or of anything inside the element, touch
// targets of at least 44×44 CSS px on phones, and the camera view inside the element and the
// viewport. Screenshots of each state land in test-results/layout/ for a look.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openRecordedPage, root, startDemoServer, waitForEvent, type RunningServer } from './harness.ts';

const WIDTHS = [320, 375, 768, 1280];
const PHONE_MAX = 480;
const shots = join(root, 'test-results/layout');

let server: RunningServer;
let browser: Browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startDemoServer();
  browser = await launchBrowser('face');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

interface LayoutReport {
  viewport: number;
  pageScrollWidth: number;
  host: { left: number; right: number; width: number };
  overflowing: string[];
  smallTargets: string[];
  camera: { width: number; height: number; bottom: number } | null;
}

/** Measures the page and the element's shadow tree. */
function measure(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const el = document.querySelector('face-enroll')!;
    const host = el.getBoundingClientRect();
    const overflowing: string[] = [];
    const smallTargets: string[] = [];
    // No named helpers in here: the test runner's transform would wrap them in a __name() call the page lacks.
    for (const node of el.shadowRoot!.querySelectorAll('*')) {
      const rect = node.getBoundingClientRect();
      // Visually hidden controls (1 px, clipped) and empty boxes take no room.
      if (rect.width <= 1 || rect.height <= 1 || getComputedStyle(node).visibility === 'hidden') continue;
      const label = `${node.tagName.toLowerCase()}[part=${node.getAttribute('part') ?? ''}].${String(node.getAttribute('class') ?? '').split(' ')[0]} "${(node.textContent ?? '').trim().slice(0, 20)}"`;
      if (rect.left < host.left - 0.5 || rect.right > host.right + 0.5) overflowing.push(`${label} ${Math.round(rect.left)}…${Math.round(rect.right)}`);
      const target = node.matches('button, label.button, select, input:not([type="file"]), textarea');
      if (target && (rect.width < 44 - 0.5 || rect.height < 44 - 0.5)) smallTargets.push(`${label} ${rect.width.toFixed(0)}×${rect.height.toFixed(0)}`);
    }
    const camera = el.shadowRoot!.querySelector('[part~="camera"]')?.getBoundingClientRect() ?? null;
    return {
      viewport: window.innerWidth,
      pageScrollWidth: document.documentElement.scrollWidth,
      host: { left: host.left, right: host.right, width: host.width },
      overflowing,
      smallTargets,
      camera: camera && { width: camera.width, height: camera.height, bottom: camera.bottom - camera.top },
    };
  });
}

function check(report: LayoutReport, state: string): void {
  const where = `${report.viewport}px ${state}`;
  assert.ok(report.pageScrollWidth <= report.viewport, `${where}: the page scrolls sideways (${report.pageScrollWidth} > ${report.viewport})`);
  assert.ok(report.host.left >= 0 && report.host.right <= report.viewport + 0.5, `${where}: the element leaves the viewport`);
  assert.deepEqual(report.overflowing, [], `${where}: parts overflow the element`);
  if (report.viewport <= PHONE_MAX) assert.deepEqual(report.smallTargets, [], `${where}: touch targets under 44×44`);
}

// Chinese (the default) in light, English (longer words) in dark.
for (const [scheme, lang] of [['light', 'zh-CN'], ['dark', 'en']] as const) {
  test(`${scheme}, ${lang}: idle, guiding and captured at ${WIDTHS.join(', ')} px`, { timeout: 300_000 }, async () => {
    for (const width of WIDTHS) {
      const { context, page, foreign } = await openRecordedPage(browser, server.url);
      await page.setViewportSize({ width, height: width <= PHONE_MAX ? 740 : 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${server.url}/face-enroll.html`);
      await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
      await page.evaluate((value) => {
        document.querySelector('face-enroll')!.lang = value;
      }, lang);
      const name = `${width}-${scheme}-${lang}`;

      check(await measure(page), 'idle (enrol form)');
      await page.locator('face-enroll').screenshot({ path: join(shots, `${name}-idle.png`) });
      if (width === 320) await page.screenshot({ path: join(shots, `${name}-page.png`), fullPage: true });

      await page.evaluate(() => void document.querySelector('face-enroll')!.start());
      await waitForEvent(page, 'facekit-status', { phase: 'guiding' });
      const guiding = await measure(page);
      check(guiding, 'guiding (camera)');
      assert.ok(guiding.camera, 'the camera view is shown');
      assert.ok(guiding.camera!.width <= guiding.host.width + 0.5, 'the camera view fits the element');
      assert.ok(Math.abs(guiding.camera!.width / guiding.camera!.height - 4 / 3) < 0.02, `the camera view keeps 4:3 (${guiding.camera!.width}×${guiding.camera!.height})`);
      assert.ok(guiding.camera!.height <= (width <= PHONE_MAX ? 740 : 900) * 0.75, 'the camera view leaves room for the hint and the buttons');
      await page.locator('face-enroll').screenshot({ path: join(shots, `${name}-guiding.png`) });

      await waitForEvent(page, 'facekit-status', { phase: 'captured' }, 90_000);
      check(await measure(page), 'captured (preview, form, buttons)');
      await page.locator('face-enroll').screenshot({ path: join(shots, `${name}-captured.png`) });

      assert.deepEqual(foreign, []);
      await context.close();
    }
  });
}
