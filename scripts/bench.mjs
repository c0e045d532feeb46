// `npm run bench`: figures measured in one run on this machine, printed as a table and written
// to bench-results/bench.json. Not a pass/fail test.
import { chromium } from 'playwright-core';
import { gzipSync } from 'node:zlib';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { CHROMIUM_FLAGS, ensureSystem, chromePath } from './lib/system.mjs';
import { ensureFixtures } from './fixtures.mjs';
import { buildAll } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const FRAMES = Number(process.env.BENCH_FRAMES ?? 100);

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

ensureSystem();
const fixtures = await ensureFixtures();
if (process.env.FACEKIT_SKIP_BUILD !== '1') await buildAll({ quiet: true });
const { startServer, loadConfig } = await import(resolve(root, 'packages/server/dist/index.js'));
const server = await startServer({ port: 0, host: '127.0.0.1', staticDir: resolve(root, 'dist/site'), config: loadConfig({}) });
const browser = await chromium.launch({
  executablePath: chromePath(),
  headless: true,
  args: [...CHROMIUM_FLAGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${fixtures.videos.face}`],
});

const results = {};
try {
  // Per-frame path and cold start, in a fresh context (empty caches).
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/bench.html`);
    await page.waitForFunction(() => 'facekitBench' in window);
    const run = await page.evaluate((count) => window.facekitBench.frameTimes(count), FRAMES);
    results.frame = {
      frames: run.perFrameMs.length,
      medianMs: round(quantile(run.perFrameMs, 0.5)),
      p90Ms: round(quantile(run.perFrameMs, 0.9)),
      workerMedianMs: round(quantile(run.workerMs, 0.5)),
      hintsSeen: [...new Set(run.hints)],
    };
    results.coldStartMs = round(run.coldMs, 0);
    await context.close();
  }

  // Main-thread long tasks during 5 s of guided capture in <face-enroll>, after warm-up.
  {
    const context = await browser.newContext();
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

  // Script-tag bundle: gzip size of the main-thread JS, and of the worker JS (wasm and models excluded).
  {
    const kitDir = resolve(root, 'dist/kit');
    const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
    const jsIn = (dir) => (existsSync(resolve(kitDir, dir)) ? readdirSync(resolve(kitDir, dir)).filter((name) => name.endsWith('.js')).map((name) => resolve(kitDir, dir, name)) : []);
    const workerFiles = jsIn('assets').filter((file) => file.includes('worker'));
    const mainChunks = jsIn('chunks');
    results.bundle = {
      facekitJsGzipKb: round(gz(resolve(kitDir, 'facekit.js')) / 1024),
      mainThreadChunksGzipKb: round(mainChunks.reduce((sum, file) => sum + gz(file), 0) / 1024),
      workerGzipKb: round(workerFiles.reduce((sum, file) => sum + gz(file), 0) / 1024),
    };
  }
} finally {
  await browser.close();
  await server.close();
}

const table = [
  ['detect one 640×480 frame, whole path (median)', `${results.frame.medianMs} ms`],
  ['detect one 640×480 frame, whole path (p90)', `${results.frame.p90Ms} ms`],
  ['  of which inside the worker (median)', `${results.frame.workerMedianMs} ms`],
  ['main-thread long tasks in 5 s guided capture', `${results.longTasks.count} (longest ${results.longTasks.longestMs} ms)`],
  ['cold start to first detection', `${results.coldStartMs} ms`],
  ['script-tag JS gzip (facekit.js + main-thread chunks)', `${round(results.bundle.facekitJsGzipKb + results.bundle.mainThreadChunksGzipKb)} kB (target ≤ 60 kB)`],
  ['worker JS gzip (loaded lazily, without wasm and models)', `${results.bundle.workerGzipKb} kB`],
];
const width = Math.max(...table.map(([name]) => name.length));
console.log('\nfacekit benchmark (' + new Date().toISOString() + `, ${FRAMES} frames)`);
for (const [name, value] of table) console.log(`${name.padEnd(width)}  ${value}`);
mkdirSync(resolve(root, 'bench-results'), { recursive: true });
writeFileSync(resolve(root, 'bench-results/bench.json'), JSON.stringify(results, null, 2));
console.log('\nwritten: bench-results/bench.json');
