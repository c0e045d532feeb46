// The script-tag kit's first load: what a page with one element (/embed/script-tag.html, only
// facekit.js and <face-enroll>) fetches before its first detection, cold (a fresh browser context)
// and warm (same context, a new page), by kind: facekit.js, the element chunks in assets/kit/, the
// worker, the wasm runtime, the model. Bytes are Playwright's transfer sizes (compressed bodies
// plus headers); a response from the HTTP cache counts 0. No request routing: it would turn the
// HTTP cache off. Called by scripts/bench.mjs; `node scripts/lib/bench-script-tag.mjs` runs it
// alone on the current build (or on the site in FACEKIT_SITE_DIR, e.g. a copy with another kit).
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { CHROMIUM_FLAGS, chromePath, ensureSystem } from './system.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PAGE = '/embed/script-tag.html';
const LOOPBACK_ONLY = '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost';

const kindOf = (url) => {
  const path = new URL(url).pathname;
  if (path.endsWith('/facekit.js')) return 'facekit.js';
  const chunk = /\/assets\/kit\/(face-enroll|id-photo-maker|liveness-check|skin-report|shared)-[\w-]+\.js$/.exec(path);
  if (chunk) return `chunk ${chunk[1]}`;
  if (/worker/.test(path)) return 'worker js';
  if (/\.wasm$/.test(path) || /\/wasm\//.test(path)) return 'wasm runtime';
  if (/\/models\//.test(path)) return 'models';
  if (/\/v1\//.test(path)) return 'endpoint';
  return 'page';
};

async function visit(context, serverUrl) {
  const started = [];
  const onRequest = (request) => started.push({ request, at: Date.now() });
  context.on('request', onRequest);
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  await page.goto(`${serverUrl}${PAGE}`);
  // The page's clock at the definition (the same machine's clock as the request times).
  const definedAt = await page.evaluate(() => customElements.whenDefined('face-enroll').then(() => Date.now()));
  await page.evaluate(() => void document.querySelector('face-enroll').start());
  await page.waitForFunction(() => (window.facekitEvents ?? []).some((event) => event.type === 'facekit-status' && event.detail?.phase === 'guiding' && event.detail?.hint));
  const detectedAt = Date.now();
  context.off('request', onRequest);
  const byKind = {};
  let total = 0;
  let kitJsBeforeDefined = 0;
  for (const { request, at } of started.filter((entry) => entry.at <= detectedAt)) {
    const response = await request.response().catch(() => null);
    if (!response) continue;
    const sizes = await request.sizes().catch(() => null);
    const kind = kindOf(request.url());
    let bytes = sizes ? Math.max(0, sizes.responseBodySize + sizes.responseHeadersSize) : 0;
    // Playwright gives no body size for a worker's own script: its Content-Length is the transfer.
    if (kind === 'worker js' && sizes?.responseBodySize === 0 && bytes > 0) bytes += Number((await response.allHeaders())['content-length'] ?? 0);
    byKind[kind] = (byKind[kind] ?? 0) + bytes;
    total += bytes;
    if (at <= definedAt && (kind === 'facekit.js' || kind.startsWith('chunk'))) kitJsBeforeDefined += bytes;
  }
  await page.close();
  return { total, byKind, kitJsBeforeDefined, definedMs: definedAt - started[0].at, startToDetectionMs: detectedAt - definedAt };
}

/** `{ page, cold, warm, foreign }`. `browser` needs the fake camera with a face. */
export async function benchScriptTagLoad({ browser, serverUrl }) {
  const foreign = [];
  const context = await browser.newContext();
  context.on('request', (request) => {
    if (!request.url().startsWith(`${serverUrl}/`) && !/^(data|blob):/.test(request.url())) foreign.push(request.url());
  });
  try {
    const cold = await visit(context, serverUrl);
    const warm = await visit(context, serverUrl);
    return { page: PAGE, cold, warm, foreign };
  } finally {
    await context.close();
  }
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

export function scriptTagLoadRows({ page, cold, warm }) {
  const js = (visit) => Object.entries(visit.byKind).filter(([kind]) => kind === 'facekit.js' || kind.startsWith('chunk')).reduce((sum, [, bytes]) => sum + bytes, 0);
  return [
    [`script-tag page (${page}) bytes before first detection, cold / warm`, `${kb(cold.total)} / ${kb(warm.total)}`],
    ['  kit JS (facekit.js + chunks) before first detection, cold', `${kb(js(cold))}; before <face-enroll> was defined ${kb(cold.kitJsBeforeDefined)} (defined ${cold.definedMs} ms after the first request)`],
    ['  cold by kind', Object.entries(cold.byKind).map(([kind, bytes]) => `${kind} ${kb(bytes)}`).join(', ')],
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureSystem();
  const { ensureFixtures } = await import('../fixtures.mjs');
  const fixtures = await ensureFixtures();
  const { startServer, loadConfig } = await import(resolve(root, 'packages/server/dist/index.js'));
  const server = await startServer({ port: 0, host: '127.0.0.1', staticDir: resolve(root, process.env.FACEKIT_SITE_DIR ?? 'dist/site'), config: await loadConfig({}) });
  const browser = await chromium.launch({
    executablePath: chromePath(),
    headless: true,
    args: [...CHROMIUM_FLAGS, LOOPBACK_ONLY, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${fixtures.videos.face}`],
  });
  try {
    const results = await benchScriptTagLoad({ browser, serverUrl: server.url });
    const rows = scriptTagLoadRows(results);
    const width = Math.max(...rows.map(([name]) => name.length));
    for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
    if (process.env.BENCH_JSON) console.log(JSON.stringify(results, null, 2));
    if (results.foreign.length) console.log(`requests outside the server: ${results.foreign.join(', ')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}
