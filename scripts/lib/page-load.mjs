// What the benches need to count a page load the same way everywhere: a browser on a fresh
// persistent profile, the requests a context starts, the bytes each cost over the network
// (Playwright's transfer sizes: compressed body plus headers; 0 from the HTTP cache), and the
// requests that went anywhere but the loopback servers.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { CHROMIUM_FLAGS, LOOPBACK_ONLY, chromePath, ensureSystem, fakeCameraArgs } from './system.mjs';
import { printRows } from './table.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A browser on a new, empty persistent profile (its folder is removed by `close()`), as a visitor's
 * normal profile keeps the HTTP cache, Cache Storage and V8's code caches on disk. Playwright's
 * `browser.newContext()` is off the record: Chromium keeps no compiled code for it. `launchOptions`
 * are Playwright's; host names resolve to loopback only.
 */
export async function launchProfile(launchOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'facekit-profile-'));
  const context = await chromium.launchPersistentContext(dir, { headless: true, ...launchOptions, args: [...new Set([...(launchOptions.args ?? []), LOOPBACK_ONLY])] });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Records the URLs of `context`'s requests (its pages' and workers') that go to none of `origins`,
 * into `foreign`, which is returned. Nothing is routed: routing would turn the HTTP cache off.
 */
export function watchForeign(context, origins, foreign = []) {
  context.on('request', (request) => {
    const url = request.url();
    if (!origins.some((origin) => url.startsWith(`${origin}/`)) && !/^(data|blob):/.test(url)) foreign.push(url);
  });
  return foreign;
}

/** Starts recording the requests `context` starts; `stop(until)` ends it and gives those started by `until` (epoch ms). */
export function recordRequests(context) {
  const started = [];
  const onRequest = (request) => started.push({ request, at: Date.now() });
  context.on('request', onRequest);
  return {
    stop(until = Date.now()) {
      context.off('request', onRequest);
      return started.filter((entry) => entry.at <= until);
    },
  };
}

/**
 * The bytes `request` cost over the network, with its response; null when it got none. `workerScript`:
 * the request loaded a worker's own script, for which Playwright gives no body size (its
 * Content-Length is the transfer then).
 */
export async function transferBytes(request, workerScript = false) {
  const response = await request.response().catch(() => null);
  if (!response) return null;
  const sizes = await request.sizes().catch(() => null);
  // Served from the HTTP cache, the body size comes out as minus the headers: 0 bytes in all.
  let bytes = sizes ? Math.max(0, sizes.responseBodySize + sizes.responseHeadersSize) : 0;
  if (workerScript && sizes?.responseBodySize === 0 && bytes > 0) bytes += Number((await response.allHeaders())['content-length'] ?? 0);
  return { bytes, response };
}

/**
 * Runs one bench section on its own (`node scripts/<section>.mjs`): the build (skipped with
 * FACEKIT_SKIP_BUILD=1 or FACEKIT_SITE_DIR), its site on a loopback server, a fake camera playing a
 * face. `measure({ launchOptions, serverUrl })` gives results with a `foreign` list; `rows` prints them.
 */
export async function runBenchAlone(measure, rows) {
  ensureSystem();
  const { ensureFixtures } = await import('../fixtures.mjs');
  const fixtures = await ensureFixtures();
  const siteDir = process.env.FACEKIT_SITE_DIR;
  if (process.env.FACEKIT_SKIP_BUILD !== '1' && !siteDir) await (await import('../build.mjs')).buildAll({ quiet: true });
  const { startServer, loadConfig } = await import(resolve(root, 'packages/server/dist/index.js'));
  const server = await startServer({ port: 0, host: '127.0.0.1', staticDir: resolve(root, siteDir ?? 'dist/site'), config: await loadConfig({}) });
  const launchOptions = { executablePath: chromePath(), args: [...CHROMIUM_FLAGS, ...fakeCameraArgs(fixtures.videos.face)] };
  try {
    const results = await measure({ launchOptions, serverUrl: server.url });
    printRows(rows(results));
    if (process.env.BENCH_JSON) console.log(JSON.stringify(results, null, 2));
    if (results.foreign?.length) console.log(`requests outside the server: ${results.foreign.join(', ')}`);
  } finally {
    await server.close();
  }
}
