// Builds everything `npm start` and the tests serve: prepared models and wasm, the demo site,
// the script-tag kit, the server bundle and custom-elements.json.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { build } from 'vite';
import { prepareModels } from './prepare-models.mjs';
import { assetsVersion, finishServedAssets } from './lib/precompress.mjs';
import { bundleFigures, bundleRows } from './lib/bundle-figures.mjs';
import { printRows } from './lib/table.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const assetsDir = resolve(root, 'build/assets');

export async function buildAll({ quiet = false } = {}) {
  const logLevel = quiet ? 'warn' : 'info';
  const started = Date.now();
  await prepareModels(assetsDir);
  // The worker names its asset cache with this content hash (packages/core/src/worker/asset-cache.ts).
  process.env.VITE_FACEKIT_ASSETS_VERSION = assetsVersion(assetsDir);
  rmSync(resolve(root, 'dist'), { recursive: true, force: true });
  await build({ configFile: resolve(root, 'vite.config.ts'), logLevel });
  await build({ configFile: resolve(root, 'vite.config.ts'), mode: 'kit', logLevel });
  for (const out of ['dist/site/assets', 'dist/kit/assets']) {
    mkdirSync(resolve(root, out), { recursive: true });
    cpSync(assetsDir, resolve(root, out), { recursive: true });
  }
  // The demo site serves the script-tag kit too, for its embedding pages.
  cpSync(resolve(root, 'dist/kit'), resolve(root, 'dist/site/kit'), { recursive: true });
  // .br/.gz beside the served files and assets/facekit-assets.json (sizes for the progress bar).
  await finishServedAssets([resolve(root, 'dist/site'), resolve(root, 'dist/kit')], { cacheDir: resolve(root, '.cache/precompress'), quiet });
  execFileSync(process.execPath, [resolve(root, 'packages/server/build.mjs')], { stdio: 'inherit', cwd: resolve(root, 'packages/server') });
  execFileSync(process.execPath, [resolve(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js'), 'analyze', '--litelement',
    '--globs', 'src/**/*.ts', '--exclude', 'src/**/*.test.ts', '--quiet'], { stdio: 'inherit', cwd: resolve(root, 'packages/elements') });
  await (await import('./build-packages.mjs')).buildPackages(); // publishable ESM + .d.ts in packages/*/dist, after custom-elements.json
  await (await import('./build-docs.mjs')).buildDocs({ quiet }); // dist/site/docs/: API pages from this build's custom-elements.json
  if (!quiet) {
    console.log(`facekit built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    printRows(bundleRows(await bundleFigures(root))); // gzip sizes of the script-tag kit and of each element's ESM entry
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildAll();
}
