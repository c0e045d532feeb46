// `npm run bench`: figures measured in one run on this machine, printed as a table and written
// to bench-results/bench.json. Not a pass/fail test; the targets are printed beside the figures.
//
// - Detection speed: ours (the whole per-frame path in the worker: grab, transfer, detect, quality,
//   hint) against the peers a web developer would pick instead, on the main thread as their READMEs
//   show (scripts/lib/bench-peers.mjs, test/bench/peers.ts), on the same 640×480 frames: the fake
//   camera's video and the fixture photos. Recall and false positives on the LFW crops.
// - Main thread: long tasks during 5 s of guided capture in <face-enroll>, after warm-up.
// - Start-up: cold (a new, empty browser profile) and warm (same profile, new page and worker).
// - Bundles: gzip size of the script-tag kit (facekit.js, its chunks, a one-element page) and of each
//   element's ESM entry.
// - Liveness sessions (scripts/bench-liveness.mjs) and the signing endpoint's added latency,
//   throughput and memory (scripts/bench-server.mjs, in processes of its own); both also run alone.
// Every page may only reach the two loopback servers; a request elsewhere is refused and reported.
import { chromium } from 'playwright-core';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join, relative, resolve } from 'node:path';
import { ensureSystem, chromePath, CHROMIUM_FLAGS, fakeCameraArgs } from './lib/system.mjs';
import { ensureFixtures } from './fixtures.mjs';
import { buildAll } from './build.mjs';
import { findTfjsWasm, guardContext, openPeer, PEERS, startPeerSite } from './lib/bench-peers.mjs';
import { benchIdPhoto, idPhotoRows } from './lib/bench-id-photo.mjs';
import { benchFirstLoad, firstLoadRows } from './bench-first-load.mjs';
import { launchProfile, watchForeign } from './lib/page-load.mjs';
import { markdownTable, printRows, replaceMarkedBlock } from './lib/table.mjs';
import { bundleFigures, bundleRows } from './lib/bundle-figures.mjs';
import { benchScriptTagLoad, scriptTagLoadRows } from './lib/bench-script-tag.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const FRAMES = Number(process.env.BENCH_FRAMES ?? 100);
const PHOTO_RUNS = Number(process.env.BENCH_PHOTO_RUNS ?? 20);
const START_RUNS = Number(process.env.BENCH_START_RUNS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const ID_PHOTO_RUNS = Number(process.env.BENCH_ID_PHOTO_RUNS ?? 10);
const CAMERA_SOURCE = 'camera-video';
/** Start-up is measured on loopback, and over a throttled link (DevTools emulation, worker included). */
const START_NETWORKS = [
  { name: 'loopback' },
  { name: 'broadband 50 Mbps, 40 ms RTT', downloadKbps: 50_000, uploadKbps: 10_000, rttMs: 40 },
];
const TARGETS = { ratio: 0.3, longTasks: 0, warmOverCold: 0.5 };
/** The rows of the printout that the README shows (by the start of their name). */
const README_ROWS = ['ours / fastest', '  ours inside', 'main-thread', 'start to first', '  by phase', 'ID photo', 'bytes before first detection, cold / warm (module', 'script-tag facekit.js', '  a page with', 'requests outside'];
/** The start-up phases of demo/bench.ts startTime(), as printed. */
const PHASE_NAMES = { workerSpawn: 'worker spawn', workerScript: 'worker script', runtime: 'runtime (wasm compile)', detector: 'detector creation', firstDetection: 'first detection' };

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values) => quantile(values, 0.5);

ensureSystem();
const fixtures = await ensureFixtures();
if (process.env.FACEKIT_SKIP_BUILD !== '1') await buildAll({ quiet: true });
const tfjsWasm = findTfjsWasm(root);
const { startServer, loadConfig } = await import(resolve(root, 'packages/server/dist/index.js'));
// A private copy of the build: a rebuild elsewhere (it empties dist/) cannot pull it away mid-run.
const distCopy = mkdtempSync(join(tmpdir(), 'facekit-bench-'));
cpSync(resolve(root, 'dist'), distCopy, { recursive: true });
const server = await startServer({ port: 0, host: '127.0.0.1', staticDir: resolve(distCopy, 'site'), config: await loadConfig({}) });
const site = await startPeerSite(root, fixtures.root, tfjsWasm?.dir);
const origins = [server.url, site.url];
const launchOptions = {
  executablePath: chromePath(),
  headless: true,
  args: [...CHROMIUM_FLAGS, ...fakeCameraArgs(fixtures.videos.face)],
};
const browser = await chromium.launch(launchOptions);

const fixtureUrl = (path) => `${site.url}/fixtures/${relative(fixtures.root, path).split('\\').join('/')}`;
const photos = Object.entries(fixtures.photos).map(([name, path]) => ({ name, url: fixtureUrl(path) }));
const lfwUrls = {
  faces: fixtures.lfw.faces.map(fixtureUrl),
  nonFaces: fixtures.lfw.nonFaces.map(fixtureUrl),
  facesLarge: fixtures.lfw.facesLarge.map(fixtureUrl),
  nonFacesLarge: fixtures.lfw.nonFacesLarge.map(fixtureUrl),
};
const foreign = [];

/** A fresh context (empty caches) whose pages may only reach the loopback servers. */
async function guardedContext() {
  const context = await browser.newContext();
  foreign.push(await guardContext(context, origins));
  return context;
}

/** Opens bench.html; with `network`, every request of the page and its worker is throttled to it. */
async function openBenchPage(context, network) {
  const page = await context.newPage();
  page.setDefaultTimeout(300_000);
  if (network?.downloadKbps) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: network.rttMs,
      downloadThroughput: (network.downloadKbps * 1000) / 8,
      uploadThroughput: (network.uploadKbps * 1000) / 8,
    });
  }
  await page.goto(`${server.url}/bench.html`);
  await page.waitForFunction(() => 'facekitBench' in window);
  return page;
}

/** Recall and false positives from face counts per crop. */
function lfwRates(counts) {
  const found = (list) => list.filter((faces) => faces > 0).length;
  return { recall: found(counts.faces) / counts.faces.length, falsePositives: found(counts.nonFaces) / counts.nonFaces.length };
}

/** One detector's figures over every source: times of all runs together, and per source. */
function summarise(name, backend, sources, lfw, lfwLarge) {
  const all = sources.flatMap((source) => source.timesMs);
  return {
    name,
    backend,
    runs: all.length,
    medianMs: round(median(all)),
    p90Ms: round(quantile(all, 0.9)),
    bySource: Object.fromEntries(sources.map((source) => [source.source, { medianMs: round(median(source.timesMs)), p90Ms: round(quantile(source.timesMs, 0.9)), faces: source.faces }])),
    lfw25: { ...lfwRates(lfw), size: '25 px' },
    lfw100: { ...lfwRates(lfwLarge), size: `${25 * fixtures.lfwUpscale} px` },
  };
}

const results = { date: new Date().toISOString(), machine: { cores: (await import('node:os')).cpus().length, chromium: browser.version() }, settings: { cameraFrames: FRAMES, photoRuns: PHOTO_RUNS, rounds: ROUNDS, startRuns: START_RUNS } };
try {
  // Detection speed, in rounds that alternate ours and the peers, so that load from elsewhere on
  // the machine falls on every detector alike. Each detector keeps its page (and models) open.
  {
    const oursContext = await guardedContext();
    const oursPage = await openBenchPage(oursContext);
    const peers = [];
    for (const peer of PEERS) {
      const opened = await openPeer(browser, site, origins, peer, photos[0]);
      foreign.push(opened.foreign);
      peers.push(opened);
    }
    const perRound = (total) => Math.max(1, Math.round(total / ROUNDS));
    const collected = new Map([['ours', new Map()], ...peers.map((peer) => [peer.peer, new Map()])]);
    const add = (detector, runs) => {
      const sources = collected.get(detector);
      for (const run of runs) {
        const kept = sources.get(run.source) ?? { source: run.source, timesMs: [], faces: run.faces };
        kept.timesMs.push(...run.timesMs);
        kept.faces = run.faces;
        sources.set(run.source, kept);
      }
    };
    const workerMs = [];
    const hints = new Set();
    const measureOurs = async () => {
      const camera = await oursPage.evaluate((count) => window.facekitBench.frameTimes(count), perRound(FRAMES));
      workerMs.push(...camera.workerMs);
      for (const hint of camera.hints) hints.add(hint);
      add('ours', [{ source: CAMERA_SOURCE, timesMs: camera.perFrameMs, faces: null }]);
      add('ours', await oursPage.evaluate(([list, runs]) => window.facekitBench.photoTimes(list, runs), [photos, perRound(PHOTO_RUNS)]));
    };
    const measurePeer = async (peer) => {
      add(peer.peer, [await peer.page.evaluate((count) => window.facekitPeers.cameraTimes(count), perRound(FRAMES))]);
      add(peer.peer, await peer.page.evaluate(([list, runs]) => window.facekitPeers.photoTimes(list, runs), [photos, perRound(PHOTO_RUNS)]));
    };
    for (let round = 0; round < ROUNDS; round++) {
      const order = [measureOurs, ...peers.map((peer) => () => measurePeer(peer))];
      for (const step of round % 2 === 0 ? order : order.reverse()) await step();
    }

    const lfwOf = async (page, hook) => ({
      lfw: await page.evaluate(([name, faces, nonFaces]) => window[name].lfwCounts(faces, nonFaces), [hook, lfwUrls.faces, lfwUrls.nonFaces]),
      lfwLarge: await page.evaluate(([name, faces, nonFaces]) => window[name].lfwCounts(faces, nonFaces), [hook, lfwUrls.facesLarge, lfwUrls.nonFacesLarge]),
    });
    const oursLfw = await lfwOf(oursPage, 'facekitBench');
    results.ours = {
      ...summarise('facekit (worker, whole path)', 'tasks-vision wasm', [...collected.get('ours').values()], oursLfw.lfw, oursLfw.lfwLarge),
      workerMedianMs: round(median(workerMs)),
      hintsSeen: [...hints],
    };
    results.peers = [];
    for (const peer of peers) {
      const peerLfw = await lfwOf(peer.page, 'facekitPeers');
      const label = peer.peer === 'face-api' ? 'face-api TinyFaceDetector' : 'human face detector (blazeface)';
      results.peers.push({ ...summarise(label, peer.backend, [...collected.get(peer.peer).values()], peerLfw.lfw, peerLfw.lfwLarge), loadMs: round(peer.loadMs, 0), backendTrials: peer.trials });
      await peer.context.close();
    }
    await oursContext.close();
  }
  const fastest = [...results.peers].sort((a, b) => a.medianMs - b.medianMs)[0];
  results.ratio = {
    fastestPeer: fastest.name,
    medianOursOverPeer: round(results.ours.medianMs / fastest.medianMs, 2),
    p90OursOverPeer: round(results.ours.p90Ms / fastest.p90Ms, 2),
    target: TARGETS.ratio,
  };
  results.tfjsWasm = tfjsWasm ? { version: tfjsWasm.version, from: tfjsWasm.from } : { missing: '@tensorflow/tfjs-backend-wasm of the peers\' tfjs version is not installed; peers ran without their wasm backend' };

  // Start-up: cold in a new browser on an empty persistent profile; warm in the same profile with a
  // new page (and worker), as a returning visitor's browser: an off-the-record context keeps no
  // compiled code, and the guard's request routing would turn the HTTP cache off (bench-first-load.mjs).
  // On loopback the 13 MB wasm costs almost nothing to fetch, so the same is also measured over an
  // emulated broadband link, where a first visit really pays for the download.
  results.startup = {};
  for (const network of START_NETWORKS) {
    const astronaut = photos.find((photo) => photo.name === 'astronaut').url;
    const cold = [];
    const warm = [];
    for (let i = 0; i < START_RUNS; i++) {
      const profile = await launchProfile(launchOptions);
      const { context } = profile;
      // Host names resolve to loopback only (launchProfile()); a request to another server is reported.
      foreign.push(watchForeign(context, origins));
      const page = await openBenchPage(context, network);
      cold.push(await page.evaluate((url) => window.facekitBench.startTime(url), astronaut));
      await page.close();
      if (i === START_RUNS - 1) {
        for (let j = 0; j < START_RUNS; j++) {
          const next = await openBenchPage(context, network);
          warm.push(await next.evaluate((url) => window.facekitBench.startTime(url), astronaut));
          await next.close();
        }
      }
      await profile.close();
    }
    const coldMs = median(cold.map((run) => run.firstDetectionMs));
    const warmMs = median(warm.map((run) => run.firstDetectionMs));
    // The median of each phase over the runs (the phases of one run add up to its time, less messaging).
    const phases = (runs) => Object.fromEntries(Object.keys(runs[0].phasesMs).map((phase) => [phase, round(median(runs.map((run) => run.phasesMs[phase])), 0)]));
    results.startup[network.name] = {
      network,
      coldMs: round(coldMs, 0),
      warmMs: round(warmMs, 0),
      warmOverCold: round(warmMs / coldMs, 2),
      target: TARGETS.warmOverCold,
      coldPhasesMs: phases(cold),
      warmPhasesMs: phases(warm),
      coldRunsMs: cold.map((run) => round(run.firstDetectionMs, 0)),
      warmRunsMs: warm.map((run) => round(run.firstDetectionMs, 0)),
      facesFound: [...cold, ...warm].map((run) => run.faces),
      // What the warm starts read from Cache Storage (the kit's asset cache).
      cachedAfterCold: cold.at(-1)?.cached ?? [],
    };
  }

  // Bytes fetched before the first detection, cold and warm, per vision host (bench-first-load.mjs).
  results.firstLoad = await benchFirstLoad({ launchOptions, serverUrl: server.url });
  // The same for the script-tag kit: its loader, the element chunks, then the worker and the assets.
  results.scriptTagLoad = await benchScriptTagLoad({ launchOptions, serverUrl: server.url });

  // Main-thread long tasks during 5 s of guided capture in <face-enroll>, after warm-up.
  {
    const context = await guardedContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/face-enroll.html`);
    await page.waitForFunction(() => customElements.get('face-enroll') !== undefined);
    results.longTasks = await page.evaluate(async () => {
      const el = document.querySelector('face-enroll');
      el.removeAttribute('auto-submit');
      const guiding = new Promise((resolve) => el.addEventListener('facekit-status', (e) => e.detail.phase === 'guiding' && resolve(), { once: false }));
      void el.start();
      await guiding;
      await new Promise((resolve) => setTimeout(resolve, 1500)); // warm-up
      const tasks = [];
      const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((entry) => entry.duration)));
      observer.observe({ type: 'longtask' });
      let frames = 0;
      const onStatus = () => frames++;
      el.addEventListener('facekit-status', onStatus);
      await new Promise((resolve) => setTimeout(resolve, 5000));
      observer.disconnect();
      el.removeEventListener('facekit-status', onStatus);
      el.stop();
      return { count: tasks.length, longestMs: Math.round(Math.max(0, ...tasks)), statusEvents: frames };
    });
    await context.close();
  }

  // On-device ID photo from a 1280×960 input: segmentation, framing, encoding (lib/bench-id-photo.mjs).
  {
    const context = await guardedContext();
    const astronaut = photos.find((photo) => photo.name === 'astronaut');
    results.idPhoto = await benchIdPhoto(await openBenchPage(context), astronaut.url, ID_PHOTO_RUNS);
    await context.close();
  }

  // Bundles: the script-tag kit (loader, chunks, what a one-element page runs, worker JS) and each
  // element's ESM entry, gzip, without wasm and models (scripts/lib/bundle-figures.mjs).
  results.bundle = await bundleFigures(root, resolve(distCopy, 'kit'));
} finally {
  await browser.close();
  await site.close();
  await server.close();
  rmSync(distCopy, { recursive: true, force: true });
}
results.foreignRequests = [...foreign.flat(), ...(results.firstLoad?.foreign ?? []), ...(results.scriptTagLoad?.foreign ?? [])];

const percent = (value) => `${Math.round(value * 100)}%`;
const detectors = [results.ours, ...results.peers];
const sourceNames = Object.keys(results.ours.bySource);
const detectorRows = [
  ['detector', 'backend', 'median', 'p90', `LFW recall 25/100 px`, 'LFW false pos. 25/100 px', `faces: ${sourceNames.join(' ')}`],
  ...detectors.map((d) => [
    d.name,
    d.backend,
    `${d.medianMs} ms`,
    `${d.p90Ms} ms`,
    `${percent(d.lfw25.recall)} / ${percent(d.lfw100.recall)}`,
    `${percent(d.lfw25.falsePositives)} / ${percent(d.lfw100.falsePositives)}`,
    sourceNames.map((name) => d.bySource[name]?.faces ?? '-').join(' '),
  ]),
];
const widths = detectorRows[0].map((_, column) => Math.max(...detectorRows.map((row) => String(row[column]).length)));
const table = [
  ['ours / fastest peer, median (p90)', `${results.ratio.medianOursOverPeer} (${results.ratio.p90OursOverPeer}) vs ${results.ratio.fastestPeer} (target ≤ ${TARGETS.ratio})`],
  ['  ours inside the worker (median, camera)', `${results.ours.workerMedianMs} ms`],
  ['main-thread long tasks in 5 s guided capture', `${results.longTasks.count} (longest ${results.longTasks.longestMs} ms; target ${TARGETS.longTasks})`],
  ...Object.entries(results.startup).flatMap(([name, start]) => [
    [`start to first detection, cold / warm (${name})`, `${start.coldMs} / ${start.warmMs} ms = ${start.warmOverCold} (target ≤ ${TARGETS.warmOverCold})`],
    [
      '  by phase, cold / warm (medians)',
      Object.keys(start.coldPhasesMs)
        .map((phase) => `${PHASE_NAMES[phase] ?? phase} ${start.coldPhasesMs[phase]} / ${start.warmPhasesMs[phase]}`)
        .join(', ') + ' ms',
    ],
  ]),
  ...idPhotoRows(results.idPhoto),
  ...firstLoadRows(results.firstLoad),
  ...scriptTagLoadRows(results.scriptTagLoad),
  ...bundleRows(results.bundle),
  ['requests outside the loopback servers', `${results.foreignRequests.length}`],
];
console.log(`\nfacekit benchmark (${results.date}, ${results.machine.cores} cores, Chromium ${results.machine.chromium})`);
console.log(`Detection of one 640×480 frame: ${FRAMES} fake-camera frames + ${PHOTO_RUNS} runs on each of ${photos.length} photos; peers on the main thread.`);
for (const row of detectorRows) console.log(row.map((cell, column) => String(cell).padEnd(widths[column])).join('  '));
console.log('');
printRows(table);
if (!tfjsWasm) console.log(`note: ${results.tfjsWasm.missing}`);
if (results.foreignRequests.length) console.log(`refused requests: ${[...new Set(results.foreignRequests)].join(', ')}`);
mkdirSync(resolve(root, 'bench-results'), { recursive: true });
writeFileSync(resolve(root, 'bench-results/bench.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwritten: bench-results/bench.json');

// <liveness-check> during real sessions: landmark time per frame, frame rate, long tasks (scripts/bench-liveness.mjs).
const { benchLiveness, livenessRows } = await import('./bench-liveness.mjs');
const liveness = await benchLiveness();

// The signing endpoint on loopback: what it adds to a vendor call, its throughput, its memory.
const serverRun = spawnSync(process.execPath, [resolve(root, 'scripts/bench-server.mjs')], { cwd: root, stdio: 'inherit', env: { ...process.env, FACEKIT_SKIP_BUILD: '1' } });
const endpoint = serverRun.status === 0 ? JSON.parse(readFileSync(resolve(root, 'bench-results/bench-server.json'), 'utf8')) : null;
if (!endpoint) console.log(`the endpoint bench failed (exit ${serverRun.status})`);

// The README's figures are those of the last run with the default settings (no BENCH_* variable).
if (Object.keys(process.env).some((name) => name.startsWith('BENCH_'))) {
  console.log('README.md not updated: BENCH_* settings differ from a full run');
} else {
  const headline = table.filter(([name]) => README_ROWS.some((prefix) => name.startsWith(prefix)));
  const figures = [
    `Last full run: ${results.date.slice(0, 10)}, ${results.machine.cores} cores, headless Chromium ${results.machine.chromium}; written by \`npm run bench\`.`,
    '',
    markdownTable(detectorRows[0], detectorRows.slice(1)),
    '',
    markdownTable(['figure', 'value'], [
      ...headline,
      ...livenessRows(liveness).map(([name, value]) => [`<liveness-check> ${name}`, value]),
      ...(endpoint ? endpointRows(endpoint) : []),
    ]),
  ].join('\n');
  if (replaceMarkedBlock(resolve(root, 'README.md'), 'bench:last-run', figures)) console.log('written: the figures in README.md');
}

/** The endpoint's figures (bench-results/bench-server.json) as README rows. */
function endpointRows({ latency, throughput, uploads }) {
  const added = (mode) => `${latency.stub[mode].addedP50Ms} / ${latency.stub[mode].addedP99Ms} ms (vendor stub), ${latency.mock[mode].addedP50Ms} / ${latency.mock[mode].addedP99Ms} ms (face-platform mock)`;
  const rate = (vendor) => `${throughput[vendor].endpoint.requestsPerSecond} req/s (the ${vendor} alone ${throughput[vendor].vendorAlone.requestsPerSecond})`;
  return [
    [`endpoint: latency added to ${latency.op}, p50 / p99, one at a time`, added('sequential')],
    ['endpoint: latency added, 8 at a time', added('concurrency8')],
    [`endpoint: throughput, ${throughput.concurrency} at a time`, `${rate('stub')}; ${rate('mock')}`],
    [`endpoint: memory with ${uploads.count} uploads of ${(uploads.bodyBytes / 1e6).toFixed(1)} MB in flight`, `+${uploads.addedMb} MB (${uploads.perUploadMb} MB an upload)`],
  ];
}
