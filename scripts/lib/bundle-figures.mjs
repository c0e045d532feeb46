// Bundle figures (JavaScript only: no wasm, no models), gzip -9, printed by `node scripts/build.mjs`
// and by the bench:
// - the script-tag kit (dist/kit): facekit.js (the loader), each chunk in assets/kit/, and what a
//   page with one element runs: facekit.js + that element's chunk + the chunks it imports;
// - each element's ESM entry as an SPA gets it (`@facekit/elements/<tag>/define.js` from the
//   published packages/*/dist), bundled and minified with esbuild: the whole closure (lit,
//   @facekit/core, comlink, idb-keyval), and the same without lit (which an app shares with its
//   other lit components). The vision worker is a separate file in both and is not counted.
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export const ELEMENT_TAGS = ['face-enroll', 'id-photo-maker', 'liveness-check', 'skin-report'];
export const BUNDLE_TARGETS = { facekitJsKb: 60, elementKb: 25 };
const KIT_CHUNK_DIR = 'assets/kit';
const LIT = ['lit', 'lit/*', 'lit-html', 'lit-html/*', 'lit-element', 'lit-element/*', '@lit/*'];

const gzipBytes = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes) => Math.round(bytes / 102.4) / 10;

/** The chunks a kit chunk imports statically (rolldown's minified `from"./x.js"` and `import"./x.js"`), transitively. */
function closureOf(dir, file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(resolve(dir, file), 'utf8');
  for (const match of text.matchAll(/(?:from|import)\s*["'`]\.\/([^"'`]+\.js)["'`]/g)) closureOf(dir, match[1], seen);
  return seen;
}

/** Figures of the script-tag kit in `kitDir`, or null when it has not been built. */
export function kitFigures(kitDir) {
  const loader = resolve(kitDir, 'facekit.js');
  if (!existsSync(loader)) return null;
  const chunkDir = resolve(kitDir, KIT_CHUNK_DIR);
  const chunkFiles = existsSync(chunkDir) ? readdirSync(chunkDir).filter((name) => name.endsWith('.js')).sort() : [];
  const gz = Object.fromEntries(chunkFiles.map((name) => [name, gzipBytes(readFileSync(resolve(chunkDir, name)))]));
  const loaderGzip = gzipBytes(readFileSync(loader));
  const onePage = {};
  for (const tag of ELEMENT_TAGS) {
    const entry = chunkFiles.find((name) => name.startsWith(`${tag}-`));
    if (!entry) continue;
    const files = [...closureOf(chunkDir, entry)];
    onePage[tag] = { chunk: entry, chunks: files, gzipKb: kb(loaderGzip + files.reduce((sum, name) => sum + gz[name], 0)) };
  }
  const workers = readdirSync(resolve(kitDir, 'assets')).filter((name) => /worker.*\.js$/.test(name));
  return {
    facekitJsGzipKb: kb(loaderGzip),
    chunksGzipKb: Object.fromEntries(chunkFiles.map((name) => [name, kb(gz[name])])),
    allChunksGzipKb: kb(Object.values(gz).reduce((sum, bytes) => sum + bytes, 0)),
    onePage,
    workerGzipKb: kb(workers.reduce((sum, name) => sum + gzipBytes(readFileSync(resolve(kitDir, 'assets', name))), 0)),
  };
}

/** Figures of each element's ESM entry in the built packages, or null when they have not been built. */
export async function esmFigures(root) {
  const figures = {};
  for (const tag of ELEMENT_TAGS) {
    const entry = resolve(root, `packages/elements/dist/${tag}/define.js`);
    if (!existsSync(entry)) return null;
    const sizes = {};
    for (const [name, external] of [['closure', []], ['withoutLit', LIT]]) {
      const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', target: 'es2022', write: false, external, logLevel: 'error', outdir: resolve(root, '.cache/bundle-figures') });
      const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
      sizes[name] = { minKb: kb(js.contents.length), gzipKb: kb(gzipBytes(js.contents)) };
    }
    figures[tag] = sizes;
  }
  return figures;
}

export async function bundleFigures(root, kitDir = resolve(root, 'dist/kit')) {
  return { kit: kitFigures(kitDir), esm: await esmFigures(root), targets: BUNDLE_TARGETS };
}

/** Table rows `[name, value]` for a printout. */
export function bundleRows({ kit, esm, targets }) {
  const rows = [];
  if (kit) {
    rows.push(['script-tag facekit.js gzip (the loader)', `${kit.facekitJsGzipKb} kB (target ≤ ${targets.facekitJsKb} kB)`]);
    for (const [tag, page] of Object.entries(kit.onePage)) {
      rows.push([`  a page with <${tag}> runs (facekit.js + ${page.chunks.length} chunks)`, `${page.gzipKb} kB`]);
    }
    rows.push(['  chunks in assets/kit/', Object.entries(kit.chunksGzipKb).map(([name, size]) => `${name.replace(/-[\w-]{8}\.js$/, '')} ${size}`).join(', ') + ` kB; all ${kit.allChunksGzipKb} kB`]);
    rows.push(['  vision worker JS (lazy)', `${kit.workerGzipKb} kB`]);
  }
  if (esm) {
    // Own code: what the element adds to what the elements share (its chunk in the kit).
    for (const [tag, sizes] of Object.entries(esm)) {
      const own = kit?.onePage[tag] ? `${kit.chunksGzipKb[kit.onePage[tag].chunk]} / ` : '';
      rows.push([`ESM <${tag}> gzip: ${own ? 'own code / ' : ''}without lit / whole closure`, `${own}${sizes.withoutLit.gzipKb} / ${sizes.closure.gzipKb} kB (target ≤ ${targets.elementKb} kB)`]);
    }
  }
  return rows;
}
