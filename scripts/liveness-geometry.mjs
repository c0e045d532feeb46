#!/usr/bin/env node
// The face geometry that the vision worker measures on real photos and their transforms, recorded
// for the Node tests of the liveness engine (packages/core/src/shared/liveness.test.ts). It runs the
// real worker and landmark model in headless Chromium: test/worker/liveness-recording.ts, bundled
// with esbuild and served on loopback with build/assets/ and .cache/fixtures/.
//
//   node scripts/liveness-geometry.mjs        writes .cache/liveness/geometry.json, prints its path
//   import { ensureLivenessGeometry } from './liveness-geometry.mjs';
//
// The recording is kept while its inputs (model bundle, photos, recording and geometry code) are
// unchanged; a changed input records it again (about 15 s).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { ensureFixtures } from './fixtures.mjs';
import { prepareModels } from './prepare-models.mjs';
import { CHROMIUM_FLAGS, chromePath } from './lib/system.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const livenessGeometryPath = join(repoRoot, '.cache', 'liveness', 'geometry.json');

/** Files whose change makes the recording stale. */
const INPUTS = [
  'build/assets/models/face_landmarker.task',
  'test/worker/landmark-scenes.ts',
  'test/worker/liveness-recording.ts',
  'packages/core/src/shared/face-geometry.ts',
  'packages/core/src/worker/landmarks.ts',
  'packages/core/src/worker/vision.worker.ts',
  'scripts/liveness-geometry.mjs',
];

const CONTENT_TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
};

function inputKey(manifest) {
  const hash = createHash('sha256');
  for (const file of INPUTS) hash.update(file).update(readFileSync(join(repoRoot, file)));
  for (const photo of Object.values(manifest.photos)) hash.update(`${statSync(photo).size}`);
  return hash.digest('hex').slice(0, 16);
}

/** Bundles the recording page and the vision worker into `dir`. */
async function bundle(dir) {
  const common = { bundle: true, format: 'esm', platform: 'browser', target: 'chrome120', logLevel: 'silent', absWorkingDir: repoRoot };
  await build({
    ...common,
    stdin: {
      contents: `
        import { wrap } from 'comlink';
        import { recordLiveness } from './test/worker/liveness-recording.ts';
        globalThis.recordLiveness = async (assetsBase, fixtures) => {
          const worker = new Worker(new URL('./vision.worker.js', import.meta.url), { type: 'module' });
          const vision = wrap(worker);
          try {
            await vision.init({ assetsBase });
            return await recordLiveness(vision, fixtures);
          } finally {
            worker.terminate();
          }
        };`,
      resolveDir: repoRoot,
      loader: 'ts',
      sourcefile: 'recording-page.ts',
    },
    outfile: join(dir, 'page.js'),
  });
  await build({ ...common, entryPoints: ['packages/core/src/worker/vision.worker.ts'], outfile: join(dir, 'vision.worker.js') });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./page.js"></script>\n');
}

/** Serves `dir` at /, and the repository's build/assets/ and .cache/fixtures/, on loopback. */
function serve(dir) {
  const roots = [
    ['/build/assets/', join(repoRoot, 'build', 'assets')],
    ['/.cache/fixtures/', join(repoRoot, '.cache', 'fixtures')],
    ['/', dir],
  ];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const [prefix, root] = roots.find(([start]) => path.startsWith(start));
    const file = normalize(join(root, path.slice(prefix.length) || 'index.html'));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function record() {
  const executablePath = chromePath();
  if (!executablePath) throw new Error('no Chromium: apt-get install -y chromium, or set CHROME_PATH');
  const dir = mkdtempSync(join(tmpdir(), 'facekit-liveness-'));
  let server;
  let browser;
  try {
    await bundle(dir);
    server = await serve(dir);
    const origin = `http://127.0.0.1:${server.address().port}`;
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => typeof globalThis.recordLiveness === 'function', undefined, { timeout: 30_000 });
    try {
      return await page.evaluate(([assets, fixtures]) => globalThis.recordLiveness(assets, fixtures), [`${origin}/build/assets/`, `${origin}/.cache/fixtures/`]);
    } catch (error) {
      throw new Error(`recording failed: ${error instanceof Error ? error.message : error}${errors.length ? ` (${errors.join('; ')})` : ''}`);
    }
  } finally {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Returns the recording (`{ version, key, clips }`, see test/worker/liveness-recording.ts), made
 * again when an input changed.
 */
export async function ensureLivenessGeometry() {
  const manifest = await ensureFixtures();
  await prepareModels();
  const key = inputKey(manifest);
  if (existsSync(livenessGeometryPath)) {
    const cached = JSON.parse(readFileSync(livenessGeometryPath, 'utf8'));
    if (cached.key === key) return cached;
  }
  const recording = { key, ...(await record()) };
  mkdirSync(join(repoRoot, '.cache', 'liveness'), { recursive: true });
  writeFileSync(`${livenessGeometryPath}.partial`, `${JSON.stringify(recording)}\n`);
  renameSync(`${livenessGeometryPath}.partial`, livenessGeometryPath);
  return recording;
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  try {
    const started = Date.now();
    const recording = await ensureLivenessGeometry();
    const frames = Object.values(recording.clips).reduce((sum, clip) => sum + clip.length, 0);
    console.log(`liveness-geometry: ${Object.keys(recording.clips).length} clips, ${frames} frames in ${relative(process.cwd(), livenessGeometryPath)} (${Date.now() - started} ms)`);
  } catch (error) {
    console.error(`liveness-geometry: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
