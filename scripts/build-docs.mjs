// Writes the demo site's API pages (dist/site/docs/) from packages/elements/custom-elements.json.
// scripts/build.mjs runs it after the analyzer, so the pages always describe the same build.
//   node scripts/build-docs.mjs        (after `node scripts/build.mjs`)
// The pages are rendered by scripts/docs-pages.ts, loaded through tsx.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { precompressDir } from './lib/precompress.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @param {{ siteDir?: string, manifestFile?: string, quiet?: boolean }} [options] */
export async function buildDocs({ quiet = false, ...options } = {}) {
  const { tsImport } = await import('tsx/esm/api');
  const pages = await tsImport('./docs-pages.ts', import.meta.url);
  const siteDir = options.siteDir ?? resolve(root, 'dist/site');
  const tags = await pages.buildDocs({ ...options, siteDir });
  await precompressDir(resolve(siteDir, 'docs'), { cacheDir: resolve(root, '.cache/precompress') });
  if (!quiet) console.log(`API pages for ${tags.map((tag) => `<${tag}>`).join(', ')} in ${resolve(siteDir, 'docs')}`);
  return tags;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildDocs();
}
