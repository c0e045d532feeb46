// Figures of <liveness-check> during real sessions, measured on this machine and printed (also
// written to bench-results/bench-liveness.json). Not a pass/fail test; the target is printed beside.
//
//   node scripts/bench-liveness.mjs              (FACEKIT_SKIP_BUILD=1 to reuse dist/)
//   import { benchLiveness } from './bench-liveness.mjs'; await benchLiveness();
//
// Each session runs the demo page (/liveness-check.html?bench) against the endpoint and the FaceID
// mock, with a fake camera playing a real face that blinks, nods and shakes its head
// (test/e2e/liveness-check.video.ts), from the start of the actions to the end of the on-device
// check:
// - landmark time per frame in the worker (the landmark model and the face geometry), median and p90;
// - the frame rate reached: frames whose landmarks came back per second of the session;
// - main-thread long tasks (> 50 ms) during the session (target 0).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, chromePath, fakeCameraArgs } from './lib/system.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const TARGET_LONG_TASKS = 0;

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : Number.NaN;
};
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The fake-camera video of the actions (made once, then cached by its own script). */
function actionsVideo() {
  const made = spawnSync(process.execPath, ['--import', 'tsx', resolve(root, 'test/e2e/liveness-check.video.ts')], { cwd: root, encoding: 'utf8' });
  const path = made.stdout.trim().split('\n').pop();
  if (made.status !== 0 || !path?.endsWith('.y4m')) throw new Error(`the actions video could not be made: ${made.stderr || made.stdout}`);
  return path;
}

/** Runs one session in the page and returns what it measured. */
function measureSession(page, bizNo) {
  return page.evaluate(async (biz) => {
    const el = document.querySelector('liveness-check');
    el.lang = 'en';
    el.bizNo = biz;
    const bench = window.facekitLivenessBench;
    bench.landmarks.length = 0;
    const tasks = [];
    const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((entry) => ({ start: entry.startTime, duration: entry.duration }))));
    observer.observe({ type: 'longtask' });
    const marks = {};
    el.addEventListener('facekit-status', (event) => {
      if (event.detail.phase === 'guiding' && !event.detail.liveness) marks.guiding ??= performance.now();
      if (event.detail.phase === 'captured') marks.passed ??= performance.now();
    });
    const outcome = await Promise.race([
      new Promise((done) => el.addEventListener('facekit-result', (event) => done({ result: event.detail }), { once: true })),
      new Promise((done) => el.addEventListener('facekit-error', (event) => done({ error: event.detail }), { once: true })),
      new Promise((done) => setTimeout(() => done({ error: { code: 'BENCH_TIMEOUT' } }), 120_000)),
      el.start().then(() => new Promise(() => {})),
    ]);
    const ended = marks.passed ?? performance.now();
    observer.disconnect();
    el.reset();
    const from = marks.guiding ?? ended;
    const frames = bench.landmarks.filter((frame) => frame.at >= from && frame.at <= ended);
    return {
      outcome: outcome.result
        ? { stage: outcome.result.stage, verdict: outcome.result.verdict, deviceFailure: outcome.result.deviceFailure ?? null, actions: outcome.result.actions }
        : { error: outcome.error.code },
      sessionMs: ended - from,
      landmarkMs: frames.map((frame) => frame.workerMs),
      longTasks: tasks.filter((task) => task.start >= from && task.start <= ended).map((task) => task.duration),
    };
  }, bizNo);
}

/**
 * Measures `sessions` liveness sessions and prints the figures. Builds nothing: run
 * `node scripts/build.mjs` first (scripts/bench.mjs does). Returns the figures.
 */
export async function benchLiveness({ sessions = Number(process.env.BENCH_LIVENESS_SESSIONS ?? 3), log = console.log } = {}) {
  const video = actionsVideo();
  const { startServer, loadConfig } = await import(resolve(root, 'packages/server/dist/index.js'));
  const server = await startServer({ port: 0, host: '127.0.0.1', staticDir: resolve(root, 'dist/site'), config: await loadConfig({}) });
  const browser = await chromium.launch({
    executablePath: chromePath() ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_FLAGS, ...fakeCameraArgs(video)],
  });
  const runs = [];
  const foreign = [];
  try {
    const context = await browser.newContext();
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${server.url}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      foreign.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/liveness-check.html?bench`);
    await page.waitForFunction(() => customElements.get('liveness-check') !== undefined && !!window.facekitLivenessBench);
    // A first session warms the model and the caches; it is not counted.
    await measureSession(page, 'mock:success');
    for (let i = 0; i < sessions; i++) runs.push(await measureSession(page, 'mock:success'));
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }

  const landmarkMs = runs.flatMap((run) => run.landmarkMs);
  const totalMs = runs.reduce((sum, run) => sum + run.sessionMs, 0);
  const longTasks = runs.flatMap((run) => run.longTasks);
  const figures = {
    sessions: runs.length,
    outcomes: runs.map((run) => run.outcome),
    frames: landmarkMs.length,
    landmarkMedianMs: round(quantile(landmarkMs, 0.5)),
    landmarkP90Ms: round(quantile(landmarkMs, 0.9)),
    framesPerSecond: round(landmarkMs.length / (totalMs / 1000)),
    sessionSeconds: runs.map((run) => round(run.sessionMs / 1000)),
    longTasks: { count: longTasks.length, longestMs: round(Math.max(0, ...longTasks), 0), target: TARGET_LONG_TASKS },
    foreignRequests: foreign,
  };
  log(`\n<liveness-check>: ${runs.length} sessions on the actions video (blink, nod, shake), after one warm-up session`);
  for (const [name, value] of livenessRows(figures)) log(`  ${name.padEnd(36)} ${value}`);
  if (foreign.length) log(`  refused requests: ${[...new Set(foreign)].join(', ')}`);
  mkdirSync(resolve(root, 'bench-results'), { recursive: true });
  writeFileSync(resolve(root, 'bench-results/bench-liveness.json'), `${JSON.stringify(figures, null, 2)}\n`);
  log('  written: bench-results/bench-liveness.json');
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.env.FACEKIT_SKIP_BUILD !== '1') await (await import('./build.mjs')).buildAll({ quiet: true });
  await benchLiveness();
}

/** The figures as `[name, value]` rows (the printout and the README's table). */
export function livenessRows(figures) {
  return [
    ['landmarks in the worker, per frame', `median ${figures.landmarkMedianMs} ms, p90 ${figures.landmarkP90Ms} ms (${figures.frames} frames)`],
    ['frame rate during a session', `${figures.framesPerSecond} fps (camera 15 fps; sessions ${figures.sessionSeconds.join(', ')} s)`],
    ['main-thread long tasks in a session', `${figures.longTasks.count} (longest ${figures.longTasks.longestMs} ms; target ${figures.longTasks.target})`],
    ['outcomes', figures.outcomes.map((outcome) => (outcome.stage ? `${outcome.stage}/${outcome.verdict}` : outcome.error)).join(', ')],
  ];
}
