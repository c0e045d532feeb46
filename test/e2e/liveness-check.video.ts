// A fake-camera video in which a real face blinks, nods and shakes its head, for the end-to-end
// test of <liveness-check>. No such video installs here, so it is made from a real photo
// (astronaut.png of the fixtures) with the landmark-guided edits the engine was calibrated on
// (test/worker/landmark-scenes.ts: eyes painted shut along the measured lids, head turns and nods
// as warps around the measured landmarks). The frames are drawn in headless Chromium by the real
// vision worker's landmarks, then written as a y4m video with ffmpeg, as scripts/fixtures.mjs does.
//
// The video opens on 2 s of the neutral face (hand-held jitter), so that the session's baseline,
// taken from the first frames after the camera opens (Chromium's file camera starts each capture at
// the first frame), is frontal. Then: a blink, a nod, a shake and another blink; the video loops,
// so every action the endpoint may ask for (blink, nod, shake) comes within 5 s, in any order.
//
// The video is kept in .cache/liveness/ while its inputs are unchanged (about 20 s to make).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { extname, join, normalize, sep } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { ensureFixtures } from '../../scripts/fixtures.mjs';
import { prepareModels } from '../../scripts/prepare-models.mjs';
import { CHROMIUM_FLAGS, chromePath } from '../../scripts/lib/system.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const FPS = 15;
const VIDEO_PATH = join(root, '.cache', 'liveness', 'actions.y4m');
const INPUTS = [
  'build/assets/models/face_landmarker.task',
  'test/worker/landmark-scenes.ts',
  'test/worker/liveness-recording.ts',
  'test/e2e/liveness-check.video.ts',
];

/** The frames, as the page draws them (runs in the browser; bundled by esbuild). */
const PAGE = `
import { wrap } from 'comlink';
import { subject } from './test/worker/liveness-recording.ts';
import * as scenes from './test/worker/landmark-scenes.ts';

/** Shifts of a pixel or two and ±1 % scale, as a hand-held phone gives (liveness-recording.ts). */
const JITTER = [[0, 1], [1, 1], [-1, 1.005], [2, 0.995], [0, 1.01], [-2, 0.99], [1, 1], [0, 1.005]];

async function dataUrl(canvas) {
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return await new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsDataURL(blob);
  });
}

globalThis.makeLivenessFrames = async (assetsBase, fixtures) => {
  const worker = new Worker(new URL('./vision.worker.js', import.meta.url), { type: 'module' });
  const vision = wrap(worker);
  try {
    await vision.init({ assetsBase });
    const clock = { t: 1000000 };
    const face = await subject(vision, fixtures + 'photos/astronaut.png', 0, clock);
    const { frame, landmarks, geometry } = face;
    const cx = geometry.box.x + geometry.box.width / 2;
    const cy = geometry.box.y + geometry.box.height / 2;
    let index = 0;
    const neutral = () => {
      const [dx, factor] = JITTER[index++ % JITTER.length];
      return scenes.shift(scenes.scale(frame, factor, cx, cy), dx);
    };
    const still = (count) => Array.from({ length: count }, neutral);
    const blink = () => [0.5, 1, 1, 0.5].map((amount) => scenes.closeEyes(frame, landmarks, amount));
    const nod = () => [8, 16, 24, 24, 16, 8, 0, 0].map((pitch) => scenes.rotateHead(frame, landmarks, 0, pitch));
    const shake = () => [20, 40, 40, 20, 0, -20, -40, -40, -20, 0].map((yaw) => scenes.rotateHead(frame, landmarks, yaw, 0));
    const frames = [...still(30), ...blink(), ...still(4), ...nod(), ...still(4), ...shake(), ...still(4), ...blink(), ...still(3)];
    const urls = [];
    for (const canvas of frames) urls.push(await dataUrl(canvas));
    face.photo.close();
    return urls;
  } finally {
    worker.terminate();
  }
};
`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
};

function inputKey(photo: string): string {
  const hash = createHash('sha256');
  for (const file of INPUTS) hash.update(file).update(readFileSync(join(root, file)));
  hash.update(String(statSync(photo).size));
  return hash.digest('hex').slice(0, 16);
}

/** Serves `dir` at /, build/assets/ and .cache/fixtures/ on loopback. */
function serve(dir: string): Promise<Server> {
  const roots: [string, string][] = [
    ['/build/assets/', join(root, 'build', 'assets')],
    ['/.cache/fixtures/', join(root, '.cache', 'fixtures')],
    ['/', dir],
  ];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const [prefix, base] = roots.find(([start]) => path.startsWith(start))!;
    const file = normalize(join(base, path.slice(prefix.length) || 'index.html'));
    if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function drawFrames(dir: string): Promise<string[]> {
  const common = { bundle: true, format: 'esm', platform: 'browser', target: 'chrome120', logLevel: 'silent', absWorkingDir: root } as const;
  await build({ ...common, stdin: { contents: PAGE, resolveDir: root, loader: 'ts', sourcefile: 'liveness-video-page.ts' }, outfile: join(dir, 'page.js') });
  await build({ ...common, entryPoints: ['packages/core/src/worker/vision.worker.ts'], outfile: join(dir, 'vision.worker.js') });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./page.js"></script>\n');
  const server = await serve(dir);
  const browser = await chromium.launch({ executablePath: chromePath() ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
  try {
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => typeof (globalThis as { makeLivenessFrames?: unknown }).makeLivenessFrames === 'function', undefined, { timeout: 30_000 });
    return await page.evaluate(
      ([assets, fixtures]) => (globalThis as unknown as { makeLivenessFrames: (a: string, f: string) => Promise<string[]> }).makeLivenessFrames(assets, fixtures),
      [`${origin}/build/assets/`, `${origin}/.cache/fixtures/`] as const,
    );
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The path of the y4m video (640×480, 15 fps), made when missing or stale. */
export async function ensureLivenessVideo(): Promise<string> {
  const fixtures = await ensureFixtures();
  await prepareModels();
  const key = inputKey(fixtures.photos.astronaut);
  const keyPath = `${VIDEO_PATH}.key`;
  if (existsSync(VIDEO_PATH) && existsSync(keyPath) && readFileSync(keyPath, 'utf8') === key) return VIDEO_PATH;

  const dir = mkdtempSync(join(tmpdir(), 'facekit-liveness-video-'));
  try {
    const frames = await drawFrames(dir);
    frames.forEach((url, index) => writeFileSync(join(dir, `frame-${String(index).padStart(3, '0')}.png`), Buffer.from(url.slice(url.indexOf(',') + 1), 'base64')));
    mkdirSync(join(root, '.cache', 'liveness'), { recursive: true });
    const partial = VIDEO_PATH.replace(/\.y4m$/, '.partial.y4m');
    const result = spawnSync(
      'ffmpeg',
      ['-y', '-v', 'error', '-framerate', String(FPS), '-i', join(dir, 'frame-%03d.png'), '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', partial],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`);
    renameSync(partial, VIDEO_PATH);
    writeFileSync(keyPath, key);
    return VIDEO_PATH;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = !!process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) console.log(await ensureLivenessVideo());
