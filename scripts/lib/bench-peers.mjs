// The peer side of `npm run bench`: builds the peer page (test/bench/peers.ts), serves it with the
// peers' own dist files and weights from a loopback static server, and measures each peer with
// the tfjs backend that is fastest here, on the same frames and LFW crops as ours.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startStaticServer } from './bench-static.mjs';

/**
 * tfjs backends tried for each peer; the fastest that works here is measured. Without a GPU, webgl
 * runs on SwiftShader and is slow; wasm is what the peers recommend then, but its binaries ship
 * in @tensorflow/tfjs-backend-wasm only, a pinned devDependency.
 */
export const PEER_BACKENDS = ['wasm', 'webgl', 'cpu'];
export const PEERS = ['face-api', 'human'];
const TRIAL_RUNS = 4;

/** Refuses, and records, every request that does not go to one of the loopback origins. */
export async function guardContext(context, origins) {
  const foreign = [];
  const allowed = (url) => origins.some((origin) => url.startsWith(origin + '/')) || url.startsWith('data:') || url.startsWith('blob:');
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed(url)) return route.continue();
    foreign.push(url);
    return route.abort('blockedbyclient');
  });
  return foreign;
}

/** The tfjs version both peers bundle; their wasm backend needs binaries of exactly that version. */
function bundledTfjsVersion(root) {
  const text = readFileSync(resolve(root, 'node_modules/@vladmandic/human/dist/tfjs.version.js'), 'utf8');
  const version = /"(\d+\.\d+\.\d+)"/.exec(text)?.[1];
  if (!version) throw new Error('cannot read the tfjs version bundled in @vladmandic/human');
  return version;
}

/**
 * The folder with tfjs-backend-wasm*.wasm: the pinned devDependency, which must be the version the
 * peers bundle (their wasm backend needs binaries of exactly that version). Null when it is not.
 */
export function findTfjsWasm(root) {
  const version = bundledTfjsVersion(root);
  const installed = resolve(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  const packageFile = resolve(installed, '../package.json');
  const installedVersion = existsSync(packageFile) ? JSON.parse(readFileSync(packageFile, 'utf8')).version : null;
  const hasWasm = existsSync(installed) && readdirSync(installed).some((name) => /^tfjs-backend-wasm.*\.wasm$/.test(name));
  if (installedVersion === version && hasWasm) return { dir: installed, version, from: 'node_modules' };
  console.warn(`@tensorflow/tfjs-backend-wasm ${installedVersion ?? 'is missing'}; the peers bundle tfjs ${version}: pin that version in package.json and run npm ci`);
  return null;
}

/** Builds the peer page and starts the static server; fixtures are served under /fixtures/. */
export async function startPeerSite(root, fixturesDir, tfjsWasmDir) {
  const outDir = resolve(root, '.cache/bench');
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [resolve(root, 'test/bench/peers.ts')],
    outfile: resolve(outDir, 'peers.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    logLevel: 'warning',
  });
  copyFileSync(resolve(root, 'test/bench/peers.html'), resolve(outDir, 'peers.html'));
  const modules = resolve(root, 'node_modules/@vladmandic');
  return startStaticServer({
    '/bench/': outDir,
    '/vendor/face-api/': resolve(modules, 'face-api'),
    '/vendor/human/': resolve(modules, 'human'),
    '/vendor/human-models/': resolve(modules, 'human-models/models'),
    '/fixtures/': fixturesDir,
    // An empty folder when the wasm binaries are missing: the wasm backend then fails its trial.
    '/vendor/tfjs-backend-wasm/': tfjsWasmDir ?? outDir,
  });
}

async function openPeerPage(browser, site, origins, peer, backend) {
  const context = await browser.newContext();
  const foreign = await guardContext(context, origins);
  const page = await context.newPage();
  page.setDefaultTimeout(300_000);
  await page.goto(`${site.url}/bench/peers.html`);
  await page.waitForFunction(() => 'facekitPeers' in window);
  const started = await page.evaluate(([name, wanted]) => window.facekitPeers.start(name, wanted), [peer, backend]);
  return { context, page, foreign, started };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Opens a page with the peer loaded on its fastest backend here, picked on a short trial on the
 * first photo. Returns `{ peer, backend, loadMs, trials, page, context, foreign }`; the caller
 * drives `window.facekitPeers` and closes the context.
 */
export async function openPeer(browser, site, origins, peer, trialPhoto) {
  const trials = {};
  for (const backend of PEER_BACKENDS) {
    let opened;
    try {
      opened = await openPeerPage(browser, site, origins, peer, backend);
      const [run] = await opened.page.evaluate(([photo, runs]) => window.facekitPeers.photoTimes([photo], runs), [trialPhoto, TRIAL_RUNS]);
      trials[backend] = { medianMs: Math.round(median(run.timesMs) * 10) / 10, loadMs: Math.round(opened.started.loadMs) };
    } catch (error) {
      trials[backend] = { error: String(error instanceof Error ? error.message : error).split('\n')[0] };
    } finally {
      await opened?.context.close();
    }
  }
  const working = Object.entries(trials).filter(([, trial]) => trial.medianMs !== undefined);
  if (working.length === 0) throw new Error(`${peer}: no backend works here: ${JSON.stringify(trials)}`);
  const [backend] = working.sort((a, b) => a[1].medianMs - b[1].medianMs)[0];
  const { context, page, foreign, started } = await openPeerPage(browser, site, origins, peer, backend);
  return { peer, backend: started.backend, loadMs: started.loadMs, trials, page, context, foreign };
}
