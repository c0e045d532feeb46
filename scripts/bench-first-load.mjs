// First-load figures: the bytes a page fetches before its first detection and the time from
// start() to that detection, cold (an empty profile) and warm (the same profile, a new page), per
// vision host (module worker, classic worker, page), counted from Playwright's transfer sizes
// (compressed bodies plus headers, workers included). A request answered from the HTTP cache
// costs 0 bytes; a revalidation (304) costs its headers. The page's own HTML is the host site's
// (served `no-cache`), so the kit's bytes are given apart from it. Also the per-encoding and
// per-variant sizes of the runtime from the build's manifest. Called by scripts/bench.mjs;
// `node scripts/bench-first-load.mjs` runs it alone.
//
// Each round is a new browser on a new persistent profile, as a returning visitor's browser is:
// Playwright's `browser.newContext()` is off the record, and Chromium keeps no compiled code (V8's
// code cache for scripts and wasm) for an off-the-record profile, which a normal one keeps on disk.
// No request routing here: Playwright's routing turns the HTTP cache off, and the warm figure is
// about that cache. Host names resolve to loopback only, and any other origin is reported.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { launchProfile, recordRequests, runBenchAlone, transferBytes, watchForeign } from './lib/page-load.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const PAGE = '/face-enroll.html';
/** Cold and warm visits per host (a new profile each); the times are their medians. */
const ROUNDS = Number(process.env.BENCH_FIRST_LOAD_ROUNDS ?? 3);

/** Init scripts that push the vision code down the worker ladder. */
const HOSTS = {
  'module worker': null,
  'classic worker': () => {
    const Original = window.Worker;
    window.Worker = new Proxy(Original, {
      construct(target, args) {
        if (args[1]?.type === 'module') throw new TypeError('no module workers (emulated)');
        return Reflect.construct(target, args);
      },
    });
  },
  'page (main thread)': () => {
    delete window.Worker;
  },
};

const kind = (url) => {
  const path = new URL(url).pathname;
  if (/\.wasm$/.test(path)) return 'wasm';
  if (/\/models\//.test(path)) return 'models';
  if (/\/wasm\/.*\.js$/.test(path)) return 'runtime js';
  if (/worker/.test(path)) return 'worker js';
  if (/\.(js|mjs)$/.test(path)) return 'page js';
  if (/\.html?$|\/$/.test(path)) return 'html';
  if (/\/v1\//.test(path)) return 'endpoint';
  return 'other';
};

/** Opens the page in `context`, starts the element, and counts the bytes until the first detection. */
async function loadOnce(context, serverUrl) {
  const recording = recordRequests(context);
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  await page.goto(`${serverUrl}${PAGE}`);
  await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
  const begin = Date.now();
  await page.evaluate(() => {
    const el = document.querySelector('face-enroll');
    el.removeAttribute('auto-submit');
    void el.start();
  });
  // The first analysed frame: guidance with a hint.
  await page.waitForFunction(() => (window.facekitEvents ?? []).some((event) => event.type === 'facekit-status' && event.detail?.phase === 'guiding' && event.detail?.hint));
  const detectedAt = Date.now();
  const progressShown = await page.evaluate(() => (window.facekitEvents ?? []).some((event) => event.detail?.phase === 'loading' && typeof event.detail?.progress === 'number'));
  const counted = { total: 0, kitBytes: 0, requests: 0, fromNetwork: 0, kitFromNetwork: [], byKind: {}, runtime: new Set(), encodings: {} };
  for (const { request } of recording.stop(detectedAt)) {
    const type = kind(request.url());
    const transfer = await transferBytes(request, type === 'worker js');
    if (!transfer) continue;
    const { bytes, response } = transfer;
    counted.requests++;
    if (bytes > 0) counted.fromNetwork++;
    counted.total += bytes;
    if (type !== 'html') {
      counted.kitBytes += bytes;
      if (bytes > 0) counted.kitFromNetwork.push(new URL(request.url()).pathname);
    }
    counted.byKind[type] = (counted.byKind[type] ?? 0) + bytes;
    const runtime = /\/wasm\/(vision_wasm\w*)\.wasm/.exec(request.url())?.[1];
    if (runtime) {
      counted.runtime.add(runtime);
      if (bytes > 0) counted.encodings[runtime] = (await response.allHeaders())['content-encoding'] ?? 'identity';
    }
  }
  await page.close();
  return { ...counted, runtime: [...counted.runtime], startToDetectionMs: detectedAt - begin, progressShown };
}

/** Runtime and model sizes per encoding, from the build's manifest. */
function manifestSizes() {
  const manifest = JSON.parse(readFileSync(resolve(root, process.env.FACEKIT_SITE_DIR ?? 'dist/site', 'assets/facekit-assets.json'), 'utf8'));
  const rows = {};
  for (const [path, entry] of Object.entries(manifest.files)) {
    if (!/\.wasm$|face_detector_short/.test(path)) continue;
    rows[path] = { identity: entry.bytes, gzip: entry.gzip ?? entry.bytes, br: entry.br ?? entry.gzip ?? entry.bytes };
  }
  return rows;
}

/**
 * The figures. `launchOptions` (Playwright's, for launchProfile()) need the fake camera with a face
 * (the first detection is the end mark). Returns `{ hosts: { [host]: { cold, warm? } }, manifest, foreign }`.
 */
export async function benchFirstLoad({ launchOptions, serverUrl, rounds = ROUNDS }) {
  const results = { page: PAGE, rounds, hosts: {}, manifest: manifestSizes(), foreign: [] };
  for (const [host, init] of Object.entries(HOSTS)) {
    const visits = { cold: [], warm: [] };
    for (let round = 0; round < rounds; round++) {
      const profile = await launchProfile(launchOptions);
      const { context } = profile;
      watchForeign(context, [serverUrl], results.foreign);
      if (init) await context.addInitScript(init);
      visits.cold.push(await loadOnce(context, serverUrl));
      // Warm: the same profile (HTTP cache, Cache Storage, code caches) and a new page with a new worker.
      visits.warm.push(await loadOnce(context, serverUrl));
      await profile.close();
    }
    const coldMs = median(visits.cold.map((visit) => visit.startToDetectionMs));
    const warmMs = median(visits.warm.map((visit) => visit.startToDetectionMs));
    results.hosts[host] = {
      // Bytes of the last round (they are the same in every round).
      cold: visits.cold.at(-1),
      warm: visits.warm.at(-1),
      coldMs,
      warmMs,
      warmOverCold: Math.round((warmMs / coldMs) * 100) / 100,
      coldRunsMs: visits.cold.map((visit) => visit.startToDetectionMs),
      warmRunsMs: visits.warm.map((visit) => visit.startToDetectionMs),
      // Any warm round that fetched a kit file from the network.
      warmKitFromNetwork: [...new Set(visits.warm.flatMap((visit) => visit.kitFromNetwork))],
    };
  }
  return results;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** Table rows for the bench's printout. */
export function firstLoadRows(results) {
  const rows = [];
  for (const [host, { cold, warm, coldMs, warmMs, warmOverCold, warmKitFromNetwork }] of Object.entries(results.hosts)) {
    const encodings = Object.entries(cold.encodings).map(([name, coding]) => `${name} ${coding}`).join(', ');
    const html = (visit) => visit.byKind.html ?? 0;
    rows.push([`start() to first detection, cold / warm (${host})`, `${coldMs} / ${warmMs} ms = ${warmOverCold} (medians of ${results.rounds})`]);
    rows.push([`bytes before first detection, cold / warm (${host})`, `${kb(cold.total)} / ${kb(warm.total)} (${cold.requests} / ${warm.requests} requests, ${warm.fromNetwork} warm from the network)`]);
    rows.push([`  kit only (without the page's HTML), cold / warm`, `${kb(cold.total - html(cold))} / ${kb(warm.kitBytes)}${warmKitFromNetwork.length ? `; warm fetched ${warmKitFromNetwork.join(', ')}` : '; warm: no kit request reached the network'}`]);
    rows.push([`  cold by kind (${host})`, `${Object.entries(cold.byKind).map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ')}; ${encodings}`]);
  }
  for (const [path, sizes] of Object.entries(results.manifest)) {
    rows.push([`  ${path} br / gzip / none`, `${kb(sizes.br)} / ${kb(sizes.gzip)} / ${kb(sizes.identity)}`]);
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runBenchAlone(benchFirstLoad, firstLoadRows);
