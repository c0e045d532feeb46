// The script-tag kit's first load: what a page with one element (/embed/script-tag.html, only
// facekit.js and <face-enroll>) fetches before its first detection, cold (a fresh browser context)
// and warm (same profile, a new page), by kind: facekit.js, the element chunks in assets/kit/, the
// worker, the wasm runtime, the model. Bytes are Playwright's transfer sizes (compressed bodies
// plus headers); a response from the HTTP cache counts 0 (lib/page-load.mjs). Called by
// scripts/bench.mjs; `node scripts/lib/bench-script-tag.mjs` runs it alone (on the site in
// FACEKIT_SITE_DIR, e.g. a copy with another kit, when set).
import { fileURLToPath } from 'node:url';
import { launchProfile, recordRequests, runBenchAlone, transferBytes, watchForeign } from './page-load.mjs';

const PAGE = '/embed/script-tag.html';

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
  const recording = recordRequests(context);
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  await page.goto(`${serverUrl}${PAGE}`);
  // The page's clock at the definition (the same machine's clock as the request times).
  const definedAt = await page.evaluate(() => customElements.whenDefined('face-enroll').then(() => Date.now()));
  await page.evaluate(() => void document.querySelector('face-enroll').start());
  await page.waitForFunction(() => (window.facekitEvents ?? []).some((event) => event.type === 'facekit-status' && event.detail?.phase === 'guiding' && event.detail?.hint));
  const detectedAt = Date.now();
  const requests = recording.stop(detectedAt);
  const byKind = {};
  let total = 0;
  let kitJsBeforeDefined = 0;
  for (const { request, at } of requests) {
    const kind = kindOf(request.url());
    const transfer = await transferBytes(request, kind === 'worker js');
    if (!transfer) continue;
    const { bytes } = transfer;
    byKind[kind] = (byKind[kind] ?? 0) + bytes;
    total += bytes;
    if (at <= definedAt && (kind === 'facekit.js' || kind.startsWith('chunk'))) kitJsBeforeDefined += bytes;
  }
  await page.close();
  return { total, byKind, kitJsBeforeDefined, definedMs: definedAt - requests[0].at, startToDetectionMs: detectedAt - definedAt };
}

/** `{ page, cold, warm, foreign }`. `launchOptions` (Playwright's) need the fake camera with a face. */
export async function benchScriptTagLoad({ launchOptions, serverUrl }) {
  const profile = await launchProfile(launchOptions);
  const foreign = watchForeign(profile.context, [serverUrl]);
  try {
    const cold = await visit(profile.context, serverUrl);
    const warm = await visit(profile.context, serverUrl);
    return { page: PAGE, cold, warm, foreign };
  } finally {
    await profile.close();
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

if (process.argv[1] === fileURLToPath(import.meta.url)) await runBenchAlone(benchScriptTagLoad, scriptTagLoadRows);
