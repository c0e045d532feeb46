// Builds the publishable ESM of @facekit/core and @facekit/elements into packages/*/dist/:
// one .js per source module (esbuild, no bundling, so every dependency stays an import and the
// classes keep one identity across entry points), .d.ts from tsc, and core's prepared models.
// In the workspace the packages resolve to their sources through the "@facekit/source" export
// condition (tsconfig, vite.config.ts, web-test-runner); everyone else gets dist/.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = resolve(root, 'node_modules/typescript/bin/tsc');
const cacheDir = resolve(root, 'node_modules/.cache/facekit-packages');

/** Sources that ship: no tests, no test fixtures. */
function sourceFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !/\.(test|fixture)\.ts$/.test(file))
    .map((file) => join(dir, file))
    .sort();
}

/** Transpiles each module on its own (legacy decorators as the elements are written). */
async function emitJs(packageDir, files, outbase) {
  await build({
    entryPoints: files,
    outbase,
    outdir: resolve(packageDir, 'dist'),
    bundle: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false, verbatimModuleSyntax: true } },
  });
}

/** Declarations with tsc (TypeScript 7 emits them). `customConditions: []` makes imports of other packages use their dist types. */
function emitDts(name, { extendsConfig, include, rootDir, outDir, lib }) {
  mkdirSync(cacheDir, { recursive: true });
  const config = resolve(cacheDir, `tsconfig.${name}.json`);
  const compilerOptions = {
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    allowImportingTsExtensions: false,
    customConditions: [],
    rootDir,
    outDir,
  };
  if (lib) compilerOptions.lib = lib;
  writeFileSync(config, JSON.stringify({ extends: extendsConfig, compilerOptions, include, exclude: [resolve(rootDir, '**/*.test.ts'), resolve(rootDir, '**/*.fixture.ts')] }, null, 2));
  execFileSync(process.execPath, [tsc, '-p', config], { stdio: 'inherit', cwd: root });
}

export async function buildCore() {
  const dir = resolve(root, 'packages/core');
  const src = resolve(dir, 'src');
  rmSync(resolve(dir, 'dist'), { recursive: true, force: true });
  await emitJs(dir, sourceFiles(src), src);
  // The sources name the worker by its source file (`new URL('../worker/vision.worker.ts',
  // import.meta.url)`); the built worker is a .js beside it, which bundlers (Vite, webpack 5,
  // esbuild) follow from node_modules. Every such URL in dist/ is rewritten; none may be left.
  let rewritten = 0;
  for (const file of readdirSync(resolve(dir, 'dist'), { recursive: true }).map(String).filter((name) => name.endsWith('.js'))) {
    const path = resolve(dir, 'dist', file);
    const text = readFileSync(path, 'utf8');
    const next = text.replace(/new URL\((["'])(\.{1,2}\/[^"']+)\.ts\1, import\.meta\.url\)/g, (_whole, quote, stem) => {
      rewritten++;
      return `new URL(${quote}${stem}.js${quote}, import.meta.url)`;
    });
    if (next !== text) writeFileSync(path, next);
  }
  if (rewritten === 0) throw new Error('build-packages: no worker URL found to rewrite in @facekit/core');
  emitDts('core-client', {
    extendsConfig: resolve(src, 'client/tsconfig.json'),
    include: [resolve(src, 'client/**/*.ts'), resolve(src, 'shared/**/*.ts')],
    rootDir: src,
    outDir: resolve(dir, 'dist'),
  });
  emitDts('core-worker', {
    extendsConfig: resolve(src, 'worker/tsconfig.json'),
    include: [resolve(src, 'worker/**/*.ts')],
    rootDir: src,
    outDir: resolve(cacheDir, 'core-worker-dts'),
  });
  // Only the worker's own declarations: the shared ones came with the client pass (DOM lib).
  cpSync(resolve(cacheDir, 'core-worker-dts/worker'), resolve(dir, 'dist/worker'), { recursive: true });
  // The prepared models (not in any npm package); the wasm comes from @mediapipe/tasks-vision/wasm.
  const models = resolve(root, 'build/assets/models');
  if (existsSync(models)) cpSync(models, resolve(dir, 'dist/assets/models'), { recursive: true });
}

export async function buildElements() {
  const dir = resolve(root, 'packages/elements');
  const src = resolve(dir, 'src');
  rmSync(resolve(dir, 'dist'), { recursive: true, force: true });
  await emitJs(dir, sourceFiles(src), src);
  emitDts('elements', {
    extendsConfig: resolve(dir, 'tsconfig.json'),
    include: [resolve(src, '**/*.ts')],
    rootDir: src,
    outDir: resolve(dir, 'dist'),
  });
  // custom-elements.json (written by the analyzer from the sources) names the modules consumers load.
  const manifestFile = resolve(dir, 'custom-elements.json');
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8').replace(/"src\/([^"]+?)\.(?:ts|js)"/g, '"dist/$1.js"'));
    manifest.modules = manifest.modules.filter((module) => existsSync(resolve(dir, module.path)));
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

export async function buildPackages() {
  await buildCore();
  await buildElements();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildPackages();
  console.log(`packages built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
