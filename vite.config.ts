import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { demoHtml } from './scripts/lib/demo-html.ts';

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
 * - `vite build --mode kit`: the script-tag kit into dist/kit: the classic script facekit.js (the
 *   loader, packages/elements/kit/loader.ts) and one ES module chunk per element, plus the
 *   chunks they share, in assets/kit/, which the loader imports when an element is needed.
 * Both get the runtime assets (wasm, models) in an `assets/` folder beside them, copied by
 * scripts/build.mjs. `base: './'` keeps the worker chunk loadable from a sub-folder.
 */
const SCRIPT_URL = '__facekitScriptUrl';
const KIT_TAGS = ['face-enroll', 'id-photo-maker', 'liveness-check', 'skin-report'];
/** Where the kit's element chunks go, under dist/kit. */
const KIT_CHUNK_DIR = 'assets/kit';

/** The workspace packages resolve to their sources, not to their published dist/ (scripts/build-packages.mjs). */
const resolveSources = { conditions: ['@facekit/source', ...defaultClientConditions] };

/**
 * Writes facekit.js once the element chunks exist: the loader, bundled as a classic script (IIFE)
 * with the file name of each tag's chunk written in.
 */
function kitLoader(): Plugin {
  let outDir = resolve(root, 'dist/kit');
  return {
    name: 'facekit-kit-loader',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    buildStart() {
      // The chunk names carry content hashes: drop the last build's, which nothing loads any more.
      rmSync(resolve(outDir, KIT_CHUNK_DIR), { recursive: true, force: true });
    },
    async generateBundle(_options, bundle) {
      const chunks: Record<string, string> = {};
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && file.isEntry && KIT_TAGS.includes(file.name)) chunks[file.name] = `./${file.fileName}`;
      }
      const missing = KIT_TAGS.filter((tag) => !chunks[tag]);
      if (missing.length) this.error(`kit build: no chunk for ${missing.join(', ')}`);
      const { build } = await import('esbuild');
      const result = await build({
        entryPoints: [resolve(root, 'packages/elements/kit/loader.ts')],
        bundle: true,
        format: 'iife',
        target: 'es2022',
        minify: true,
        sourcemap: true,
        legalComments: 'none',
        write: false,
        outfile: resolve(outDir, 'facekit.js'),
        define: { __FACEKIT_CHUNKS__: JSON.stringify(chunks) },
        logLevel: 'warning',
      });
      for (const output of result.outputFiles) {
        const fileName = output.path.endsWith('.map') ? 'facekit.js.map' : 'facekit.js';
        this.emitFile({ type: 'asset', fileName, source: output.contents });
      }
    },
  };
}

export default defineConfig(({ mode }) => {
  if (mode === 'kit') {
    return {
      base: './',
      publicDir: false,
      resolve: resolveSources,
      plugins: [kitLoader()],
      build: {
        outDir: resolve(root, 'dist/kit'),
        emptyOutDir: false,
        target: 'es2022',
        sourcemap: true,
        rollupOptions: {
          input: Object.fromEntries(KIT_TAGS.map((tag) => [tag, resolve(root, `packages/elements/kit/${tag}.ts`)])),
          // The loader reads each chunk's exports into the `facekit` global.
          preserveEntrySignatures: 'exports-only',
          output: {
            entryFileNames: `${KIT_CHUNK_DIR}/[name]-[hash].js`,
            chunkFileNames: `${KIT_CHUNK_DIR}/[name]-[hash].js`,
            // Every chunk finds the kit's folder (facekit.js, assets/) from its own URL, two levels up.
            intro: `const ${SCRIPT_URL} = new URL('../../', import.meta.url).href;`,
            // What two or more elements use goes in one shared chunk: fewer requests for a page.
            codeSplitting: { groups: [{ name: 'shared', minShareCount: 2 }] },
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
    // The head and site header every demo page shares (scripts/lib/demo-html.ts).
    plugins: [demoHtml(demoDir)],
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
