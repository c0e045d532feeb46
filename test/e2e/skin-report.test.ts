// <skin-report> end to end in real Chromium: the demo page from dist/site, a real face photo chosen
// through the file input (checked on the device by the real vision worker), the signing endpoint and
// the skin-analysis mock over real HTTP (its in-progress answers, then the report and 21 pictures
// computed from the uploaded photo), and the history in IndexedDB across real page reloads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureFixtures } from '../../scripts/fixtures.mjs';
import { MESSAGES, format, kitMessage, type MessageKey } from '../../packages/core/src/shared/index.ts';
import { hasChineseFont } from '../../scripts/lib/system.mjs';
import { launchBrowser, openRecordedPage, startDemoServer, waitForEvent, PRESENT, type RunningServer } from './harness.ts';

/** What this test uses of the skin mock (packages/server/src/mocks/skin.ts). */
interface SkinMockInTest {
  hooks: { pendingPolls: number; failWith(code: number, options?: { route?: 'token' | 'analyze' | 'result'; times?: number }): void; clear(): void };
  requests: Array<{ method: string; path: string; route?: string; code?: number }>;
}
type ServerWithSkin = RunningServer & { mocks?: { skin?: SkinMockInTest } };

/** The endpoint's answer to one skin op, as the page received it. */
interface OpAnswer {
  op: string;
  status: number;
  body: { ok: boolean; code: string; data?: { calcId?: string; metrics?: Record<string, number>; images?: Record<string, string> } };
}

const CONCERN_SCORE_FIELDS = ['wrinkleScore', 'poreScore', 'blackHeadScore', 'surfaceSpotScore', 'brownSpotScore', 'redAcneScore', 'sensitiveAreaScore', 'darkEyeScore'];
const CONCERN_KEYS = ['wrinkle', 'pore', 'blackHead', 'surfaceSpot', 'brownSpot', 'redAcne', 'sensitiveArea', 'darkEye'];
const ZONES: Record<string, string> = {
  forehead: 'foreHead',
  glabellar: 'glabellar',
  betweenEyes: 'betweeneye',
  underEyes: 'undereye',
  crowFeet: 'side',
  nasolabial: 'nasofolds',
  mouthCorners: 'cormouth',
};

let server: ServerWithSkin;
let skinMock: SkinMockInTest;
const browsers: Browser[] = [];

before(async () => {
  server = (await startDemoServer()) as ServerWithSkin;
  assert.ok(server.mocks?.skin, 'the demo server runs the skin mock');
  skinMock = server.mocks.skin;
});

after(async () => {
  await Promise.all(browsers.map((browser) => browser.close()));
  await server?.close();
});

async function newBrowser(): Promise<Browser> {
  // Photos come from files here: no camera.
  const browser = await launchBrowser('denied');
  browsers.push(browser);
  return browser;
}

const en = (key: MessageKey, params?: Record<string, string | number>) => format(MESSAGES.en[key], params);
const points = (score: number) => Math.round(score * 100);

/** Records the endpoint's answers to the skin ops. */
function recordSkinAnswers(page: Page): OpAnswer[] {
  const answers: OpAnswer[] = [];
  page.on('response', async (response) => {
    const match = /\/v1\/ops\/(skin\.\w+)$/.exec(response.url());
    if (!match) return;
    try {
      answers.push({ op: match[1]!, status: response.status(), body: (await response.json()) as OpAnswer['body'] });
    } catch {
      // A response without a body (the page went away): nothing to check.
    }
  });
  return answers;
}

async function openDemo(page: Page): Promise<void> {
  await page.goto(`${server.url}/skin-report.html`);
  await page.waitForFunction(() => customElements.get('skin-report') !== undefined);
}

/** Forgets the events recorded so far. */
async function clearEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { facekitEvents: unknown[] }).facekitEvents.length = 0;
  });
}

/** Chooses a photo file as a user would; the demo's element sends it by itself (auto-submit). */
async function choosePhoto(page: Page, photo: string, lang?: 'en' | 'zh-CN'): Promise<void> {
  await page.evaluate((wanted) => {
    const element = document.querySelector('skin-report')!;
    element.reset();
    if (wanted) element.lang = wanted;
    element.source = 'file';
  }, lang ?? null);
  await clearEvents(page);
  const input = page.locator('skin-report').locator('input[type="file"]');
  await input.waitFor({ state: 'attached', timeout: 30_000 });
  await input.setInputFiles(photo);
}

/** The reports kept on this device, through the element's public API. */
function keptReports(page: Page): Promise<Array<{ id: string; synScore: number }>> {
  return page.evaluate(async () => (await document.querySelector('skin-report')!.getHistory()).map(({ id, synScore }) => ({ id, synScore })));
}

/**
 * How many reports the raw history list in IndexedDB holds (database facekit-skin-report, store
 * history, key `reports:default`), read without the kit's code; 'no entry' once cleared.
 */
function storedHistory(page: Page): Promise<unknown> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((database) => database.name === 'facekit-skin-report')) return 'no database';
    return new Promise((resolve, reject) => {
      const open = indexedDB.open('facekit-skin-report');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const request = db.transaction('history', 'readonly').objectStore('history').get('reports:default');
        request.onsuccess = () => {
          db.close();
          resolve(Array.isArray(request.result) ? request.result.length : (request.result ?? 'no entry'));
        };
        request.onerror = () => reject(request.error);
      };
    });
  });
}

/** Text of the nodes matching `selector` in the element's shadow root. */
function shadowTexts(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(
    (wanted) =>
      [...document.querySelector('skin-report')!.shadowRoot!.querySelectorAll(wanted)].map((node) => node.textContent?.replace(/\s+/g, ' ').trim() ?? ''),
    selector,
  );
}

/** Cells of the body rows of the tables matching `selector`, as text. */
function tableRows(page: Page, selector: string): Promise<string[][]> {
  return page.evaluate(
    (wanted) =>
      [...document.querySelector('skin-report')!.shadowRoot!.querySelectorAll(`${wanted} tbody tr`)].map((row) =>
        [...row.children].map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim() ?? ''),
      ),
    selector,
  );
}

/** Pixel figures of a loaded <img> of the viewer (same origin, so readable), drawn at its natural size. */
function layerPixels(page: Page, field: string) {
  return page.evaluate((wanted) => {
    const shadow = document.querySelector('skin-report')!.shadowRoot!;
    const img = shadow.querySelector<HTMLImageElement>(`.viewer-stage img.layer[data-field="${wanted}"]`)!;
    const base = shadow.querySelector<HTMLImageElement>('.viewer-stage img.base')!;
    const width = img.naturalWidth;
    const height = img.naturalHeight;
    // Both at the picture's size (no named helpers: the page gets this function's source only).
    const [layer, photo] = [img, base].map((image) => {
      const context = new OffscreenCanvas(width, height).getContext('2d')!;
      context.drawImage(image, 0, 0, width, height);
      return context.getImageData(0, 0, width, height).data;
    }) as [Uint8ClampedArray, Uint8ClampedArray];
    let redder = 0;
    let tinted = 0;
    let photoDifference = 0;
    for (let i = 0; i < layer.length; i += 4) {
      const [r, g, b] = [layer[i]!, layer[i + 1]!, layer[i + 2]!];
      if (r >= g - 6 && r >= b - 6) redder++;
      if (r > 200 && r - g > 12) tinted++;
      photoDifference += Math.abs(r - photo[i]!) + Math.abs(g - photo[i + 1]!) + Math.abs(b - photo[i + 2]!);
    }
    const count = layer.length / 4;
    return {
      src: img.src,
      width,
      height,
      photoAspect: base.naturalWidth / base.naturalHeight,
      redderShare: redder / count,
      tintedShare: tinted / count,
      meanPhotoDifference: photoDifference / count / 3,
    };
  }, field);
}

// The PNG export draws zh-CN text on a canvas: Chromium needs a Chinese font for real glyphs (the
// test in skin-report.test.ts fails with boxes otherwise). The test set-up installs fonts-noto-cjk
// only when fontconfig finds no such font.
test('the test set-up finds a Chinese font, and on Linux misses it when fontconfig has none', async () => {
  assert.equal(hasChineseFont(), true, 'a Chinese font is installed (npm test installs fonts-noto-cjk as root)');
  // Other systems ship a Chinese font with the OS.
  if (process.platform !== 'linux') return;
  const folder = await mkdtemp(join(tmpdir(), 'facekit-fonts-'));
  const saved = process.env.FONTCONFIG_FILE;
  try {
    // A fontconfig with the Latin fonts only.
    await writeFile(
      join(folder, 'fonts.conf'),
      `<?xml version="1.0"?><fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>${folder}/cache</cachedir></fontconfig>`,
    );
    process.env.FONTCONFIG_FILE = join(folder, 'fonts.conf');
    assert.equal(spawnSync('fc-list', [':lang=zh-cn', 'file'], { encoding: 'utf8' }).stdout.trim(), '');
    assert.equal(hasChineseFont(), false);
  } finally {
    if (saved === undefined) delete process.env.FONTCONFIG_FILE;
    else process.env.FONTCONFIG_FILE = saved;
    await rm(folder, { recursive: true, force: true });
  }
});

test('a photo file: in progress, polled, then the report with the mock’s pictures; the history survives reloads', { timeout: 300_000 }, async () => {
  const fixtures = await ensureFixtures();
  skinMock.hooks.clear();
  // The mock answers 200026 "analysis in progress" to the first two result queries of the job.
  skinMock.hooks.pendingPolls = 2;
  const browser = await newBrowser();
  const { context, page, foreign, requests } = await openRecordedPage(browser, server.url);
  const answers = recordSkinAnswers(page);
  await openDemo(page);
  const mockSeen = skinMock.requests.length;

  await choosePhoto(page, fixtures.photos.astronaut, 'en');
  await waitForEvent(page, 'facekit-status', { phase: 'captured' }, 120_000);
  // While the analysis runs: the progress bar, the status line and progress events.
  await waitForEvent(page, 'facekit-status', { phase: 'processing', progress: PRESENT }, 60_000);
  const progress = await page.waitForFunction(
    () => {
      const shadow = document.querySelector('skin-report')!.shadowRoot!;
      return shadow.querySelector('[part~="progress"] progress') ? (shadow.querySelector('[part~="hint"]')?.textContent?.trim() ?? '') : null;
    },
    undefined,
    { timeout: 30_000 },
  );
  assert.equal(await progress.jsonValue(), en('skin.phase.analysing'));
  await waitForEvent(page, 'facekit-result', { mode: 'skin' }, 120_000);

  // The endpoint answered IN_PROGRESS (HTTP 202) to the upload and to two polls, then the report.
  assert.deepEqual(
    answers.map((answer) => [answer.op, answer.status, answer.body.code]),
    [
      ['skin.analyze', 202, 'IN_PROGRESS'],
      ['skin.result', 202, 'IN_PROGRESS'],
      ['skin.result', 202, 'IN_PROGRESS'],
      ['skin.result', 200, 'OK'],
    ],
  );
  const vendorCalls = skinMock.requests.slice(mockSeen).filter((request) => request.route === 'analyze' || request.route === 'result');
  assert.deepEqual(
    vendorCalls.map((request) => [request.route, request.code]),
    [
      ['analyze', 200],
      ['result', 200026],
      ['result', 200026],
      ['result', 200],
    ],
  );
  const data = answers.at(-1)!.body.data!;
  const metrics = data.metrics!;
  const calcId = data.calcId!;
  assert.equal(typeof metrics.synScore, 'number');

  // Score and skin age, from the endpoint's numbers.
  const headline = await page.evaluate(() => {
    const shadow = document.querySelector('skin-report')!.shadowRoot!;
    const score = shadow.querySelector<HTMLElement>('.score-value')!;
    const age = shadow.querySelector<HTMLElement>('.age-value')!;
    return { score: Number(score.dataset.value), scoreText: score.textContent!.trim(), age: Number(age.dataset.value), ageText: age.textContent!.trim() };
  });
  assert.equal(headline.score, points(metrics.synScore!));
  assert.match(headline.scoreText, new RegExp(`^${headline.score}\\b`));
  assert.equal(headline.age, Math.round(metrics.synAge!));
  assert.equal(headline.ageText, en('skin.age.value', { age: headline.age }));

  // The radar's text alternative: a labelled image with a description, and a table of the eight concerns.
  const radar = await page.evaluate(() => {
    const figure = document.querySelector('skin-report')!.shadowRoot!.querySelector('[part~="radar"]')!;
    const svg = figure.querySelector('svg[role="img"]')!;
    const labelledBy = svg.getAttribute('aria-labelledby')!.split(' ').map((id) => figure.querySelector(`#${CSS.escape(id)}`)?.textContent?.trim() ?? '');
    return { labelledBy, caption: figure.querySelector('table caption')?.textContent?.trim() };
  });
  assert.equal(radar.labelledBy.length, 2);
  assert.equal(radar.labelledBy[0], en('skin.radar.title'));
  assert.ok(radar.labelledBy[1]!.length > 20, `the radar is described: ${radar.labelledBy[1]}`);
  assert.equal(radar.caption, en('skin.radar.title'));
  const radarRows = await tableRows(page, '[part~="radar"]');
  assert.deepEqual(
    radarRows.map((cells) => cells.slice(0, 2)),
    CONCERN_KEYS.map((key, i) => [en(`skin.concern.${key}` as MessageKey), String(points(metrics[CONCERN_SCORE_FIELDS[i]!]!))]),
  );
  assert.ok(radarRows[0]![0]!.length > 0);

  // The wrinkle map on the user's photo: seven zones, each with its score and count.
  const map = await page.evaluate(() => {
    const figure = document.querySelector('skin-report')!.shadowRoot!.querySelector('[part~="wrinkle-map"]')!;
    const img = figure.querySelector('img')!;
    return {
      photoWidth: img.complete ? img.naturalWidth : 0,
      zones: [...figure.querySelectorAll('g.zone')].map((zone) => [zone.getAttribute('data-zone'), zone.querySelectorAll('ellipse').length > 0, zone.querySelector('text')?.textContent?.trim()]),
    };
  });
  assert.ok(map.photoWidth > 0, 'the photo under the map is shown');
  const zoneText = (zone: string) => {
    const prefix = ZONES[zone]!;
    const score = metrics[`${prefix}WrinkleScore`]!;
    const count = metrics[`${prefix}WrinkleCnt`]!;
    const measured = !(score === 0 && count === 0);
    return measured ? { score: String(points(Math.min(1, Math.max(0, score)))), count: new Intl.NumberFormat('en').format(count) } : null;
  };
  assert.deepEqual(
    map.zones.map(([zone]) => zone).sort(),
    Object.keys(ZONES).sort(),
  );
  for (const [zone, hasShape, label] of map.zones) {
    const expected = zoneText(zone as string);
    assert.equal(hasShape, true, `${zone} is drawn`);
    assert.equal(label, expected ? `${expected.score} · ${expected.count}` : '—', `${zone}'s label`);
  }
  assert.deepEqual(
    await tableRows(page, 'table.zones'),
    Object.keys(ZONES).map((zone) => {
      const expected = zoneText(zone);
      return [en(`skin.zone.${zone}` as MessageKey), expected?.score ?? en('skin.wrinkles.not-measured'), expected?.count ?? '—'];
    }),
  );

  // Counts by size.
  const counts = await tableRows(page, '[part~="counts"] [part~="bar-list"]');
  const number = (value: number) => new Intl.NumberFormat('en').format(value);
  assert.deepEqual(counts.slice(0, 3).map((cells) => cells.at(-1)), [metrics.smallPores, metrics.mediumPores, metrics.largePores].map((value) => number(value!)));

  // The viewer: 21 toggles; the wrinkle layer is on, served by the endpoint, computed by the mock.
  const toggles = await page.evaluate(() =>
    [...document.querySelector('skin-report')!.shadowRoot!.querySelectorAll('[part~="layer-toggle"]')].map((button) => [button.getAttribute('data-field'), button.getAttribute('aria-pressed')]),
  );
  assert.equal(toggles.length, 21);
  assert.deepEqual(toggles.filter(([, pressed]) => pressed === 'true'), [['imgWrinkle', 'true']]);
  const layerLoaded = (field: string) =>
    page.waitForFunction(
      (wanted) => {
        const img = document.querySelector('skin-report')!.shadowRoot!.querySelector<HTMLImageElement>(`.viewer-stage img.layer[data-field="${wanted}"]`);
        return !!img && img.complete && img.naturalWidth > 0;
      },
      field,
      { timeout: 30_000 },
    );
  await layerLoaded('imgWrinkle');

  // From the keyboard: the red map on.
  const redToggle = page.locator('skin-report').locator('[part~="layer-toggle"][data-field="imgRedmap"]');
  await redToggle.focus();
  await page.keyboard.press('Space');
  assert.equal(await redToggle.getAttribute('aria-pressed'), 'true');
  await layerLoaded('imgRedmap');
  const red = await layerPixels(page, 'imgRedmap');
  assert.ok(red.src.startsWith(`${server.url}/v1/media/`), `the red map comes from the endpoint: ${red.src}`);
  assert.ok(Math.abs(red.width / red.height - red.photoAspect) < 0.02, `the red map has the photo's shape: ${red.width}×${red.height}`);
  assert.ok(red.redderShare > 0.97, `a red map: red dominates everywhere (${red.redderShare})`);
  assert.ok(red.tintedShare > 0.05, `and the skin is tinted by its redness (${red.tintedShare})`);
  // A merged picture is the user's own photo with the findings blended in.
  const mergeToggle = page.locator('skin-report').locator('[part~="layer-toggle"][data-field="imgPoreMerge"]');
  await mergeToggle.focus();
  await page.keyboard.press('Enter');
  await layerLoaded('imgPoreMerge');
  const merged = await layerPixels(page, 'imgPoreMerge');
  assert.ok(merged.meanPhotoDifference < 25, `the merged picture is drawn from the uploaded photo (mean difference ${merged.meanPhotoDifference.toFixed(1)})`);
  assert.ok(red.meanPhotoDifference > merged.meanPhotoDifference + 20, 'while the red map is not the photo');
  // The before/after slider from the keyboard.
  const slider = page.locator('skin-report').locator('[part~="compare-slider"]');
  await slider.focus();
  await page.keyboard.press('Home');
  assert.equal(await slider.inputValue(), '0');
  assert.equal(await slider.getAttribute('aria-valuetext'), en('skin.viewer.slider-value', { after: 100 }));

  // Every field in the details table, with its English label and the document's name.
  await page.locator('skin-report').locator('[part~="details"] summary').click();
  const details = await page.evaluate(() =>
    [...document.querySelector('skin-report')!.shadowRoot!.querySelectorAll('[part~="details"] tr[data-field]')].map((row) => ({
      field: row.getAttribute('data-field')!,
      label: row.querySelector('th')!.textContent!.trim(),
      value: row.querySelector('td')!.textContent!.trim(),
      link: row.querySelector('td a')?.getAttribute('href') ?? null,
    })),
  );
  const byField = new Map(details.map((row) => [row.field, row]));
  for (const field of [...Object.keys(metrics), ...Object.keys(data.images!)]) {
    const row = byField.get(field);
    assert.ok(row, `${field} is in the details table`);
    assert.equal(row.label, en(`skin.field.${field}` as MessageKey), `${field}'s label`);
  }
  assert.equal(byField.get('synScore')!.value, `${points(metrics.synScore!)} / 100`);
  assert.equal(byField.get('calcId')!.value, calcId);
  assert.ok(byField.get('imgBloodmap')!.link?.startsWith(`${server.url}/v1/media/`));

  // The summary saved as a PNG image, through the download link.
  await page.locator('skin-report').getByRole('button', { name: en('skin.action.export') }).click();
  const downloadLink = page.locator('skin-report').locator('a[part~="download"]');
  await downloadLink.waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal((await downloadLink.textContent())?.trim(), en('skin.action.download'));
  const [download] = await Promise.all([page.waitForEvent('download'), downloadLink.click()]);
  assert.match(download.suggestedFilename(), /^skin-report-\d{4}-\d{2}-\d{2}\.png$/);
  const png = await readFile((await download.path())!);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  assert.equal(png.readUInt32BE(16), 1080, 'the PNG is 1080 px wide');
  assert.ok(png.readUInt32BE(20) > 1080, 'and taller than wide: summary, radar and the wrinkle map');

  // First report on this device: kept, no trend yet.
  assert.deepEqual(await shadowTexts(page, '.trend'), [en('skin.trend.first')]);
  assert.deepEqual(await shadowTexts(page, '.history-count'), [en('skin.history.count', { count: 1 })]);
  await page.screenshot({ path: 'test-results/skin-report.png', fullPage: true });

  // ── a real reload: the history is read back from IndexedDB ──
  await page.reload();
  await page.waitForFunction(() => customElements.get('skin-report') !== undefined);
  assert.deepEqual(await keptReports(page), [{ id: calcId, synScore: metrics.synScore }]);
  assert.equal(await storedHistory(page), 1);

  skinMock.hooks.pendingPolls = 0;
  await choosePhoto(page, fixtures.photos.face_swapped, 'en');
  const second = await waitForEvent<{ trend: { score: number; previous: { id: string } } | null; report: { synScore: number } }>(page, 'facekit-result', { mode: 'skin' }, 120_000);
  assert.ok(second.trend, 'the trend against the report made before the reload');
  assert.equal(second.trend.previous.id, calcId);
  assert.equal(second.trend.score, points(second.report.synScore) - points(metrics.synScore!));
  const trend = await shadowTexts(page, '.trend');
  const same = en('skin.trend.same');
  assert.match(trend[0]!, new RegExp(`^Since your report of .+: score (?:[+-]\\d+|${same}), skin age (?:[+-][\\d.]+|${same})$`));
  assert.deepEqual(await shadowTexts(page, '.history-count'), [en('skin.history.count', { count: 2 })]);
  assert.equal((await tableRows(page, '.history-table')).length, 2);
  const previousDrawn = await page.evaluate(() => !!document.querySelector('skin-report')!.shadowRoot!.querySelector('[part~="radar"] .radar-previous'));
  assert.equal(previousDrawn, true, 'the previous report is drawn on the radar');

  // "Clear history" empties it, and it stays empty after another reload.
  await page.locator('skin-report').getByRole('button', { name: en('skin.action.clear-history') }).click();
  await page.waitForFunction(() => document.querySelector('skin-report')!.shadowRoot!.querySelectorAll('.history-table').length === 0);
  assert.deepEqual(await shadowTexts(page, '.history-count'), [`${en('skin.history.cleared')} ${en('skin.history.empty')}`]);
  assert.deepEqual(await keptReports(page), []);
  await page.reload();
  await page.waitForFunction(() => customElements.get('skin-report') !== undefined);
  assert.deepEqual(await keptReports(page), []);
  assert.equal(await storedHistory(page), 'no entry');

  assert.ok(requests.some((url) => url.endsWith('/v1/ops/skin.analyze')), 'the analysis went through the endpoint');
  assert.deepEqual(foreign, [], `no request leaves the test server: ${foreign.join(', ')}`);
  skinMock.hooks.clear();
  await context.close();
});

/** The hints the page saw, in order. */
function seenHints(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (window as unknown as { facekitEvents: { type: string; detail: { hint?: string } }[] }).facekitEvents
      .filter((event) => event.type === 'facekit-status' && event.detail.hint)
      .map((event) => event.detail.hint!),
  );
}

async function startCamera(page: Page): Promise<void> {
  await openDemo(page);
  await page.evaluate(() => {
    const element = document.querySelector('skin-report')!;
    element.lang = 'en';
    element.source = 'camera';
    void element.start();
  });
  await waitForEvent(page, 'facekit-status', { phase: 'guiding' }, 60_000);
}

test('the camera: the real face video passes the skin gate, the photo is taken by itself and analysed', { timeout: 240_000 }, async () => {
  skinMock.hooks.clear();
  skinMock.hooks.pendingPolls = 1;
  const browser = await launchBrowser('face');
  browsers.push(browser);
  const { context, page, foreign, requests } = await openRecordedPage(browser, server.url);
  await startCamera(page);
  await waitForEvent(page, 'facekit-status', { phase: 'captured' }, 90_000);
  assert.equal((await seenHints(page)).at(-1), 'ok', 'the photo was taken once the quality held');
  await waitForEvent(page, 'facekit-result', { mode: 'skin' }, 120_000);

  const shown = await page.evaluate(() => {
    const shadow = document.querySelector('skin-report')!.shadowRoot!;
    const photo = shadow.querySelector<HTMLImageElement>('[part~="wrinkle-map"] img');
    return {
      cameraLive: [...shadow.querySelectorAll('video')].some((video) => (video.srcObject as MediaStream | null)?.getTracks().some((track) => track.readyState === 'live')),
      photoWidth: photo?.complete ? photo.naturalWidth : 0,
      zones: shadow.querySelectorAll('[part~="wrinkle-map"] g.zone').length,
    };
  });
  assert.equal(shown.cameraLive, false, 'the camera was released');
  assert.ok(shown.photoWidth > 0, 'the wrinkle map sits on the photo taken');
  assert.equal(shown.zones, 7);
  assert.equal(requests.filter((url) => url.endsWith('/v1/ops/skin.analyze')).length, 1, 'one upload');
  assert.deepEqual(foreign, [], `no request leaves the test server: ${foreign.join(', ')}`);
  skinMock.hooks.clear();
  await context.close();
});

test('the camera without a face: a hint on screen, and nothing is taken or sent', { timeout: 120_000 }, async () => {
  const browser = await launchBrowser('noface');
  browsers.push(browser);
  const { context, page, foreign, requests } = await openRecordedPage(browser, server.url);
  await startCamera(page);
  await waitForEvent(page, 'facekit-status', { phase: 'guiding', hint: 'no-face' }, 60_000);
  // Keep watching: the gate must stay shut.
  await page.waitForTimeout(4000);
  const phases = await page.evaluate(() =>
    (window as unknown as { facekitEvents: { type: string; detail: { phase?: string } }[] }).facekitEvents.map((event) => event.detail.phase),
  );
  assert.ok(!phases.includes('captured') && !phases.includes('uploading'), `nothing was taken: ${phases.join(',')}`);
  const hint = await page.locator('skin-report').locator('[part~="hint"]').textContent();
  assert.equal(hint?.trim(), en('hint.no-face'));
  assert.ok(!requests.some((url) => url.includes('/v1/ops/')), 'no op was called');
  assert.deepEqual(foreign, []);
  await context.close();
});

test('error flows through the endpoint: a refused upload and an algorithm failure while polling, in the page language', { timeout: 240_000 }, async () => {
  const fixtures = await ensureFixtures();
  skinMock.hooks.clear();
  const browser = await newBrowser();
  const { context, page, foreign } = await openRecordedPage(browser, server.url);
  const answers = recordSkinAnswers(page);
  await openDemo(page);
  const shownError = () => page.locator('skin-report').locator('[part~="error"] p').textContent();

  // 100017 "您的接口访问次数超越上限(欠费)" on the upload → VENDOR_QUOTA, worded in zh-CN (the page's default).
  skinMock.hooks.failWith(100017, { route: 'analyze' });
  await choosePhoto(page, fixtures.photos.astronaut);
  const quota = await waitForEvent<{ code: string; message: string; retryable: boolean }>(page, 'facekit-error', {}, 120_000);
  assert.equal(quota.code, 'VENDOR_QUOTA');
  assert.equal(quota.message, kitMessage('VENDOR_QUOTA', 'zh-CN'));
  assert.match(quota.message, /[\u4e00-\u9fff]/);
  assert.equal((await shownError())?.trim(), quota.message);
  const quotaAnswer = answers.at(-1)!;
  assert.deepEqual([quotaAnswer.op, quotaAnswer.body.ok, quotaAnswer.body.code], ['skin.analyze', false, 'VENDOR_QUOTA']);

  // 50003 reported by the algorithm in the finished job, after a poll in progress → LOW_QUALITY with
  // the skin-specific text, in English.
  skinMock.hooks.pendingPolls = 1;
  skinMock.hooks.failWith(50003, { route: 'result' });
  await choosePhoto(page, fixtures.photos.astronaut, 'en');
  const failed = await waitForEvent<{ code: string; message: string }>(page, 'facekit-error', {}, 120_000);
  assert.deepEqual(failed, { code: 'LOW_QUALITY', message: en('skin.error.LOW_QUALITY'), retryable: false });
  assert.equal((await shownError())?.trim(), failed.message);
  assert.deepEqual(
    answers.slice(-3).map((answer) => [answer.op, answer.body.code]),
    [
      ['skin.analyze', 'IN_PROGRESS'],
      ['skin.result', 'IN_PROGRESS'],
      ['skin.result', 'LOW_QUALITY'],
    ],
  );
  assert.equal(await page.locator('skin-report').getByRole('button', { name: en('action.retake') }).count(), 1);
  assert.deepEqual(await keptReports(page), [], 'a failed analysis is not kept');
  assert.deepEqual(foreign, [], `no request leaves the test server: ${foreign.join(', ')}`);
  skinMock.hooks.clear();
  await context.close();
});
