/// <reference types="node" />
/**
 * Static serving for the first load, over real HTTP: precompressed variants by Accept-Encoding,
 * ETags and 304s, cache lifetimes by URL, and the built site's own runtime and models.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { startServer, type RunningServer } from '../../packages/server/src/index.js';
import { acceptedCodings, cacheControlFor, IMMUTABLE_CACHE, REVALIDATE_CACHE } from '../../packages/server/src/static-precompressed.js';
import { repoRoot } from './helpers.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with exactly these headers (fetch would add and decode Accept-Encoding itself). */
function raw(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(base);
    const req = request({ host: target.hostname, port: target.port, path, method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Compressible bytes, larger than the build step's 1 kB floor. */
const WASM = Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.alloc(64 * 1024, 'facekit ')]);

describe('static files for the first load', { timeout: 60_000 }, () => {
  let dir: string;
  let server: RunningServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'facekit-precompressed-'));
    mkdirSync(join(dir, 'assets/wasm'), { recursive: true });
    mkdirSync(join(dir, 'kit/1.2.3/assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>demo</title>');
    writeFileSync(join(dir, 'assets/wasm/runtime.wasm'), WASM);
    writeFileSync(join(dir, 'assets/wasm/runtime.wasm.br'), brotliCompressSync(WASM));
    writeFileSync(join(dir, 'assets/wasm/runtime.wasm.gz'), gzipSync(WASM));
    writeFileSync(join(dir, 'assets/vision.worker-CrOgJyjK.js'), 'self.x = 1;');
    writeFileSync(join(dir, 'kit/1.2.3/assets/model.tflite'), Buffer.alloc(32));
    server = await startServer({ port: 0, staticDir: dir });
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves brotli first, then gzip, then the plain file, by Accept-Encoding', async () => {
    const br = await raw(server.url, '/assets/wasm/runtime.wasm', { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['content-type'], 'application/wasm', 'the type stays the original (streaming compilation needs it)');
    assert.equal(br.headers['vary'], 'Accept-Encoding');
    assert.equal(Number(br.headers['content-length']), br.body.length);
    assert.ok(br.body.length < WASM.length / 10, 'the compressed bytes go over the wire');
    assert.deepEqual(brotliDecompressSync(br.body), WASM);

    const gzip = await raw(server.url, '/assets/wasm/runtime.wasm', { 'Accept-Encoding': 'gzip' });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gzip.body), WASM);

    const refused = await raw(server.url, '/assets/wasm/runtime.wasm', { 'Accept-Encoding': 'br;q=0, gzip;q=0.5' });
    assert.equal(refused.headers['content-encoding'], 'gzip', 'q=0 refuses brotli');

    const plain = await raw(server.url, '/assets/wasm/runtime.wasm');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(Number(plain.headers['content-length']), WASM.length);
    assert.equal(plain.headers['vary'], 'Accept-Encoding', 'caches keep the variants apart');
    assert.deepEqual(plain.body, WASM);
  });

  it('answers a matching If-None-Match with 304 and no body, per encoding', async () => {
    const first = await raw(server.url, '/assets/wasm/runtime.wasm', { 'Accept-Encoding': 'br' });
    const etag = String(first.headers['etag']);
    assert.match(etag, /^"[\w-]+-br"$/);
    const again = await raw(server.url, '/assets/wasm/runtime.wasm', { 'Accept-Encoding': 'br', 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers['etag'], etag);
    assert.equal(again.headers['cache-control'], REVALIDATE_CACHE);
    // The gzip representation has its own validator: a br ETag does not match it.
    const gzip = await raw(server.url, '/assets/wasm/runtime.wasm', { 'Accept-Encoding': 'gzip', 'If-None-Match': etag });
    assert.equal(gzip.status, 200);
    assert.notEqual(gzip.headers['etag'], etag);
  });

  it('gives a year to hashed and versioned URLs, and revalidation to the rest', async () => {
    const cases: Array<[string, string]> = [
      ['/', 'no-cache'],
      ['/index.html', 'no-cache'],
      ['/assets/vision.worker-CrOgJyjK.js', IMMUTABLE_CACHE],
      ['/kit/1.2.3/assets/model.tflite', IMMUTABLE_CACHE],
      ['/assets/wasm/runtime.wasm', REVALIDATE_CACHE],
    ];
    for (const [path, expected] of cases) {
      const answer = await raw(server.url, path, { 'Accept-Encoding': 'br, gzip' });
      assert.equal(answer.status, 200, path);
      assert.equal(answer.headers['cache-control'], expected, path);
    }
    const head = await raw(server.url, '/assets/wasm/runtime.wasm', { 'Accept-Encoding': 'br' }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(Number(head.headers['content-length']), readFileSync(join(dir, 'assets/wasm/runtime.wasm.br')).length);
  });

  it('parses Accept-Encoding and names cache lifetimes', () => {
    assert.deepEqual(acceptedCodings('gzip, deflate, br, zstd'), ['br', 'gzip']);
    assert.deepEqual(acceptedCodings('*'), ['br', 'gzip']);
    assert.deepEqual(acceptedCodings('*, br;q=0'), ['gzip']);
    assert.deepEqual(acceptedCodings('identity'), []);
    assert.deepEqual(acceptedCodings(null), []);
    assert.equal(cacheControlFor('/cdn/facekit@0.1.0/assets/wasm/x.wasm', 'application/wasm'), IMMUTABLE_CACHE);
    assert.equal(cacheControlFor('/v2.0.0/x.js', 'text/javascript'), IMMUTABLE_CACHE);
    assert.equal(cacheControlFor('/assets/models/face_detector_short.tflite', 'application/octet-stream'), REVALIDATE_CACHE);
    // The runtime's loader, named with the assets' build id in the query.
    assert.equal(cacheControlFor('/assets/wasm/vision_wasm_internal.js', 'text/javascript', '?v=3a929981bfc04864'), IMMUTABLE_CACHE);
    assert.equal(cacheControlFor('/assets/wasm/vision_wasm_internal.js', 'text/javascript', '?v=1'), REVALIDATE_CACHE);
    assert.equal(cacheControlFor('/index.html', 'text/html', '?v=3a929981bfc04864'), 'no-cache');
  });
});

describe('the built site', { timeout: 60_000 }, () => {
  const site = join(repoRoot, 'dist/site');
  const built = existsSync(join(site, 'assets/facekit-assets.json'));
  let server: RunningServer;

  before(async () => {
    if (built) server = await startServer({ port: 0, staticDir: site });
  });
  after(async () => {
    await server?.close();
  });

  it('serves the runtime and the models precompressed, as the manifest lists them', { skip: built ? false : 'run node scripts/build.mjs first' }, async () => {
    const manifest = JSON.parse(readFileSync(join(site, 'assets/facekit-assets.json'), 'utf8')) as {
      version: string;
      files: Record<string, { bytes: number; br?: number; gzip?: number }>;
    };
    assert.match(manifest.version, /^[0-9a-f]{16}$/);
    for (const path of ['wasm/vision_wasm_module_internal.wasm', 'wasm/vision_wasm_internal.wasm', 'models/face_detector_short.tflite']) {
      const entry = manifest.files[path];
      assert.ok(entry?.br && entry.gzip, `${path} has both variants`);
      const br = await raw(server.url, `/assets/${path}`, { 'Accept-Encoding': 'gzip, deflate, br' }, 'HEAD');
      assert.equal(br.headers['content-encoding'], 'br', path);
      assert.equal(Number(br.headers['content-length']), entry.br, path);
      const gzip = await raw(server.url, `/assets/${path}`, { 'Accept-Encoding': 'gzip' }, 'HEAD');
      assert.equal(Number(gzip.headers['content-length']), entry.gzip, path);
    }
    const runtime = manifest.files['wasm/vision_wasm_module_internal.wasm']!;
    assert.ok(runtime.br! < runtime.gzip! && runtime.gzip! < runtime.bytes / 3, `brotli ${runtime.br} < gzip ${runtime.gzip} < a third of ${runtime.bytes}`);
  });
});
