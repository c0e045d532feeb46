import { defaultClientConditions, defineConfig } from 'vite';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const root = fileURLToPath(new URL('.', import.meta.url));
const demoDir = resolve(root, 'demo');
const demoPages = Object.fromEntries(
  readdirSync(demoDir)
    .filter((name) => name.endsWith('.html'))
    .map((name) => [name.replace(/\.html$/, ''), resolve(demoDir, name)]),
);

/**
 * Two builds from one config:
 * - `vite build` (default): the demo site into dist/site, one page per element;
 * - `vite build --mode kit`: the script-tag kit, dist/kit/facekit.js registering every element.
 * Both get the runtime assets (wasm, models) in an `assets/` folder beside them, copied by
 * scripts/build.mjs. `base: './'` keeps the worker chunk loadable from a sub-folder.
 */
const SCRIPT_URL = '__facekitScriptUrl';

/** The workspace packages resolve to their sources, not to their published dist/ (scripts/build-packages.mjs). */
const resolveSources = { conditions: ['@facekit/source', ...defaultClientConditions] };

export default defineConfig(({ mode }) => {
  if (mode === 'kit') {
    return {
      base: './',
      publicDir: false,
      resolve: resolveSources,
      build: {
        outDir: resolve(root, 'dist/kit'),
        emptyOutDir: false,
        target: 'es2022',
        sourcemap: true,
        lib: {
          entry: resolve(root, 'packages/elements/src/define-all.ts'),
          formats: ['iife'],
          name: 'facekit',
          fileName: () => 'facekit.js',
        },
        rollupOptions: {
          output: {
            // A classic script has no import.meta: take the script's own URL while it runs, so
            // the worker and the assets resolve next to facekit.js wherever the page is.
            intro: `var ${SCRIPT_URL} = (document.currentScript && document.currentScript.src) || document.baseURI;`,
          },
        },
      },
      define: { 'import.meta.url': SCRIPT_URL },
      experimental: {
        renderBuiltUrl: (filename: string, { hostType }: { hostType: string }) =>
          hostType === 'js' ? { runtime: `new URL(${JSON.stringify(filename)}, ${SCRIPT_URL}).href` } : { relative: true },
      },
      // A classic script (IIFE): it runs as a module worker, a classic worker and a page script alike (worker-ladder.ts).
      worker: { format: 'iife' },
    };
  }
  return {
    root: demoDir,
    base: './',
    publicDir: resolve(demoDir, 'public'),
    resolve: resolveSources,
    build: {
      outDir: resolve(root, 'dist/site'),
      emptyOutDir: false,
      target: 'es2022',
      sourcemap: true,
      rollupOptions: { input: demoPages },
    },
    worker: { format: 'iife' },
    server: { fs: { allow: [root] } },
  };
});
