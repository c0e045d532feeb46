// Build step for the first load: writes the assets manifest (facekit-assets.json: decoded and
// compressed size of each wasm and model file, for the worker's progress bar) and precompresses
// the served files to .br (brotli, quality 11) and .gz (gzip -9) beside them, for
// packages/server/src/static-precompressed.ts or a CDN. Compressed bytes are cached by content
// hash in .cache/precompress/, so only the first build pays brotli 11 on the 13 MB runtimes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** What gets precompressed: the runtime, the models, scripts, styles and data. */
export const PRECOMPRESSED_EXTENSIONS = /\.(wasm|tflite|task|binarypb|data|js|mjs|css|json|svg)$/i;
/** Smaller files gain little and cost a disk read; kept plain. */
const MIN_BYTES = 1024;
/** A variant is written only when it saves at least this share of the file. */
const MIN_SAVING = 0.05;
export const MANIFEST_FILE = 'facekit-assets.json';

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

async function compressCached(bytes, cacheDir, kind) {
  const hash = createHash('sha256').update(bytes).digest('hex');
  const cached = resolve(cacheDir, `${hash}.${kind}`);
  if (existsSync(cached)) return readFileSync(cached);
  const output =
    kind === 'br'
      ? await brotli(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_LGWIN]: 24,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_GENERIC,
          },
        })
      : await gzipAsync(bytes, { level: 9 });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cached, output);
  return output;
}

/**
 * Writes `<file>.br` and `<file>.gz` beside every matching file under `dir` (not the .map files).
 * Returns the sizes by path relative to `dir`.
 */
export async function precompressDir(dir, { cacheDir }) {
  const sizes = {};
  const files = filesUnder(dir).filter((file) => PRECOMPRESSED_EXTENSIONS.test(file) && statSync(file).size >= MIN_BYTES);
  // Two at a time: zlib runs on the thread pool, and brotli 11 is memory hungry.
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const bytes = readFileSync(file);
      const entry = { bytes: bytes.length };
      for (const [kind, suffix] of [['br', '.br'], ['gzip', '.gz']]) {
        const compressed = await compressCached(bytes, cacheDir, kind === 'gzip' ? 'gz' : 'br');
        if (compressed.length <= bytes.length * (1 - MIN_SAVING)) {
          writeFileSync(file + suffix, compressed);
          entry[kind] = compressed.length;
        }
      }
      sizes[relative(dir, file).split('\\').join('/')] = entry;
    }
  };
  await Promise.all([worker(), worker()]);
  return sizes;
}

/** The runtime and model files of an assets folder: [path relative to it, bytes]. */
function assetFiles(assetsDir) {
  return filesUnder(assetsDir)
    .map((file) => [relative(assetsDir, file).split('\\').join('/'), file])
    .filter(([path]) => /^(wasm|models)\/[^/]+$/.test(path) && !/\.(br|gz)$/.test(path))
    .map(([path, file]) => [path, readFileSync(file)]);
}

/**
 * The content hash of an assets folder's runtime and models: the manifest's `version`, and the
 * build id the worker names its asset cache with (the build puts it in the bundle).
 */
export function assetsVersion(assetsDir) {
  const version = createHash('sha256');
  for (const [path, bytes] of assetFiles(assetsDir)) version.update(path).update(bytes);
  return version.digest('hex').slice(0, 16);
}

/**
 * The manifest of an assets folder (the one holding wasm/ and models/): each runtime and model
 * file with its decoded size and its compressed sizes, and a version hashed from their bytes.
 */
export function writeAssetsManifest(assetsDir, sizes) {
  const files = {};
  for (const [path, bytes] of assetFiles(assetsDir)) {
    const known = sizes?.[path];
    files[path] = { bytes: bytes.length, ...(known?.br ? { br: known.br } : {}), ...(known?.gzip ? { gzip: known.gzip } : {}) };
  }
  const manifest = { version: assetsVersion(assetsDir), files };
  writeFileSync(resolve(assetsDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The whole step for the built folders: precompress each, then write the manifest of each
 * `assets/` folder with the compressed sizes. Returns per-folder sizes for the build log.
 */
export async function finishServedAssets(dirs, { cacheDir, quiet = false } = {}) {
  const started = Date.now();
  const result = {};
  for (const dir of dirs) {
    const sizes = await precompressDir(dir, { cacheDir });
    for (const assetsDir of filesUnder(dir).filter((file) => /[\\/]assets[\\/]wasm[\\/][^\\/]+\.wasm$/.test(file)).map((file) => resolve(file, '../..'))) {
      if (result[assetsDir]) continue;
      const prefix = relative(dir, assetsDir).split('\\').join('/');
      const local = Object.fromEntries(
        Object.entries(sizes)
          .filter(([path]) => path.startsWith(`${prefix}/`))
          .map(([path, entry]) => [path.slice(prefix.length + 1), entry]),
      );
      result[assetsDir] = writeAssetsManifest(assetsDir, local);
    }
  }
  if (!quiet) console.log(`precompressed ${dirs.map((dir) => relative(process.cwd(), dir)).join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}
