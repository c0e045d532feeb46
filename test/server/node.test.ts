/// <reference types="node" />
/** The Node side: startServer with static files and mocks, configuration, the CLI, the neutral app bundle. */
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { ConfigError, configFromEnv, loadConfig, startServer, verifyTicket, type RunningServer } from '../../packages/server/src/index.js';
import { SECRET, repoRoot } from './helpers.js';

const run = promisify(execFile);
const cli = join(repoRoot, 'packages/server/src/cli.ts');

/** GET with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(url: string, path: string): Promise<{ status: number; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path, method: 'GET' }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startServer', { timeout: 60_000 }, () => {
  let dir: string;
  let server: RunningServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'facekit-static-'));
    mkdirSync(join(dir, 'assets/models'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>demo</title>');
    writeFileSync(join(dir, 'face-enroll.html'), '<!doctype html><face-enroll></face-enroll>');
    writeFileSync(join(dir, 'assets/vision.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    writeFileSync(join(dir, 'assets/models/face_detector.tflite'), Buffer.alloc(16));
    writeFileSync(join(dir, 'assets/models/face_landmarker.task'), Buffer.alloc(16));
    writeFileSync(join(dir, 'assets/worker.mjs'), 'export {};');
    writeFileSync(join(dir, 'assets/kit.js'), 'export {};');
    server = await startServer({ port: 0, staticDir: dir });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and, without a vendor, starts the mock in demo mode', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.config.demo, true);
    assert.ok(server.mocks.facePlatform);
    assert.equal(server.config.facePlatform?.url, server.mocks.facePlatform.url);
    assert.match(server.mocks.facePlatform.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(server.config.ticketSecret.length >= 32, 'a random secret is made for the demo');
  });

  it('serves the static folder with the right MIME types', async () => {
    const expected: Array<[string, string]> = [
      ['/', 'text/html; charset=utf-8'],
      ['/face-enroll.html', 'text/html; charset=utf-8'],
      ['/assets/vision.wasm', 'application/wasm'],
      ['/assets/models/face_detector.tflite', 'application/octet-stream'],
      ['/assets/models/face_landmarker.task', 'application/octet-stream'],
      ['/assets/worker.mjs', 'text/javascript; charset=utf-8'],
      ['/assets/kit.js', 'text/javascript; charset=utf-8'],
    ];
    for (const [path, type] of expected) {
      const response = await fetch(server.url + path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), type, path);
      await response.arrayBuffer();
    }
    const wasm = await fetch(`${server.url}/assets/vision.wasm`);
    assert.deepEqual([...new Uint8Array(await wasm.arrayBuffer())].slice(0, 4), [0, 0x61, 0x73, 0x6d]);
    const head = await fetch(`${server.url}/assets/kit.js`, { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), '10');
  });

  it('keeps the endpoint routes and refuses paths outside the folder', async () => {
    assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { ok: true });
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/%2e%2e/%2e%2e/etc/passwd', '/missing.js']) {
      const answer = await rawGet(server.url, path);
      assert.equal(answer.status, 404, path);
      assert.match(answer.type ?? '', /application\/json/);
    }
  });

  it('refuses to start outside demo mode without a ticket secret', async () => {
    await assert.rejects(startServer({ port: 0, config: { demo: false } }), /ticket secret/);
  });
});

describe('configuration', () => {
  it('reads FACEKIT_* variables', () => {
    const settings = configFromEnv({
      PORT: '9000',
      FACEKIT_TICKET_SECRET: SECRET,
      FACEKIT_FACE_PLATFORM_URL: 'http://10.0.0.5:9012',
      FACEKIT_FACE_PLATFORM_TOKEN: 'tok',
      FACEKIT_FACE_PLATFORM_TIMEOUT_MS: '5000',
      FACEKIT_ALLOWED_ORIGINS: 'https://shop.example, self',
    });
    assert.equal(settings.port, 9000);
    assert.equal(settings.host, '127.0.0.1');
    assert.equal(settings.demo, false);
    assert.deepEqual(settings.facePlatform, { url: 'http://10.0.0.5:9012', token: 'tok', timeoutMs: 5000 });
    assert.deepEqual(settings.allowedOrigins, ['https://shop.example', 'self']);
    assert.equal(configFromEnv({}).demo, true);
    assert.equal(configFromEnv({}).port, 8787);
    assert.throws(() => configFromEnv({ PORT: 'eighty' }), ConfigError);
    assert.throws(() => configFromEnv({ FACEKIT_TICKET_SECRET: 'short' }), ConfigError);
    assert.throws(() => configFromEnv({ FACEKIT_DEMO: 'perhaps' }), ConfigError);
  });

  it('reads a JSON file named by FACEKIT_CONFIG, the environment winning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'facekit-config-'));
    try {
      const file = join(dir, 'facekit.json');
      writeFileSync(file, JSON.stringify({ port: 7000, ticketSecret: SECRET, facePlatform: { url: 'http://10.0.0.6:9012', token: 'from-file' } }));
      const settings = await loadConfig({ FACEKIT_CONFIG: file, FACEKIT_FACE_PLATFORM_TOKEN: 'from-env' });
      assert.equal(settings.port, 7000);
      assert.equal(settings.ticketSecret, SECRET);
      assert.deepEqual(settings.facePlatform, { url: 'http://10.0.0.6:9012', token: 'from-env', timeoutMs: undefined });
      writeFileSync(file, '{ not json');
      await assert.rejects(loadConfig({ FACEKIT_CONFIG: file }), ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('facekit-server CLI', { timeout: 60_000 }, () => {
  it('prints a ticket with the given scopes, origin and lifetime', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, 'ticket', '--scopes', 'face.enroll,face.search', '--origin', 'http://x.example', '--ttl', '300'], {
      env: { ...process.env, FACEKIT_TICKET_SECRET: SECRET },
      cwd: repoRoot,
    });
    const ticket = stdout.trim();
    const verdict = await verifyTicket(ticket, { secret: SECRET, op: 'face.search', origin: 'http://x.example' });
    assert.ok(verdict.ok);
    assert.deepEqual(verdict.claims.scp, ['face.enroll', 'face.search']);
    assert.equal(verdict.claims.exp - verdict.claims.iat, 300);
  });

  // The CLI, and `npm start` (scripts/start.mjs) on the build `npm test` made: both serve the
  // endpoint in demo mode with mock vendors on loopback and stop cleanly on SIGTERM.
  const starts = [
    { name: 'facekit-server start', args: ['--import', 'tsx', cli, 'start', '--port', '0'], env: {}, line: /listening on (http:\/\/127\.0\.0\.1:\d+)/, page: null },
    {
      name: 'npm start',
      args: [join(repoRoot, 'scripts/start.mjs')],
      env: { FACEKIT_SKIP_BUILD: '1', PORT: '0' },
      line: /facekit demo: (http:\/\/127\.0\.0\.1:\d+)\/ .*mock vendors/,
      page: '/face-enroll.html',
    },
  ];
  for (const start of starts) {
    it(`${start.name}: starts on a free port, serves, and stops on SIGTERM`, async () => {
      const child = spawn(process.execPath, start.args, {
        cwd: repoRoot,
        env: { ...process.env, FACEKIT_TICKET_SECRET: '', FACEKIT_FACE_PLATFORM_URL: '', PORT: '', ...start.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let output = '';
          const timer = setTimeout(() => reject(new Error(`no start line: ${output}`)), 20_000);
          child.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            const match = start.line.exec(output);
            if (match) {
              clearTimeout(timer);
              resolve(match[1]!);
            }
          });
          void exited.then(({ code }) => reject(new Error(`exited with ${code}: ${output}`)));
        });
        assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { ok: true });
        const demo = await (await fetch(`${url}/v1/demo/ticket`)).json();
        assert.equal(demo.code, 'OK');
        if (start.page) {
          const page = await fetch(`${url}${start.page}`);
          assert.equal(page.status, 200);
          assert.match(await page.text(), /<face-enroll\b/, 'the demo page of the build');
        }
      } finally {
        child.kill('SIGTERM');
        const { code, signal } = await exited;
        assert.deepEqual({ code, signal }, { code: 0, signal: null }, 'closes its server and exits 0');
      }
    });
  }
});

describe('runtime neutrality', () => {
  it('bundles app.ts for a browser-like runtime with no Node built-ins', async () => {
    const result = await build({
      entryPoints: [join(repoRoot, 'packages/server/src/app.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((input) => input.includes('hono')));
    assert.ok(!inputs.some((input) => input.includes('/mocks/') || input.startsWith('node:')), inputs.join('\n'));
  });
});
