// The published packages as an SPA gets them: @facekit/core and @facekit/elements copied into a
// fresh app's node_modules (only the files their package.json ships), imported by their export
// names, bundled by Vite (build and dev server), then run in Chromium with the fake camera against
// the real endpoint. Proves the exports map, the externalised dependencies, and that the
// element's default `new Worker(new URL(...), import.meta.url)` works from node_modules.
// Needs `node scripts/build.mjs` first (packages/*/dist).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { build, createServer, type ViteDevServer } from 'vite';
import { launchBrowser, openRecordedPage, root, startDemoServer, waitForEvent, type RunningServer } from './harness.ts';

let app: string;
let server: RunningServer;
let browser: Browser;

/** Copies a workspace package as `npm pack` would: package.json plus its `files`. */
function installPackage(name: string, from: string): void {
  const target = join(app, 'node_modules', name);
  mkdirSync(target, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')) as { files: string[] };
  cpSync(join(from, 'package.json'), join(target, 'package.json'));
  for (const entry of manifest.files) {
    assert.ok(existsSync(join(from, entry)), `${name}: ${entry} is built (run node scripts/build.mjs)`);
    cpSync(join(from, entry), join(target, entry), { recursive: true });
  }
}

/** Third-party dependencies are linked from the workspace's node_modules, as an install would place them. */
function linkDependency(name: string): void {
  const target = join(app, 'node_modules', name);
  mkdirSync(resolve(target, '..'), { recursive: true });
  symlinkSync(join(root, 'node_modules', name), target, 'dir');
}

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>facekit in a Vite app</title><link rel="icon" href="data:," /></head>
  <body>
    <face-enroll group-id="pkg" assets-base="/facekit-assets/" auto-submit></face-enroll>
    <script type="module" src="./main.ts"></script>
  </body>
</html>
`;

const MAIN_TS = `import '@facekit/elements/face-enroll/define.js';
import { FaceEnroll, type FacekitResultDetail } from '@facekit/elements';

const events: { type: string; detail: unknown }[] = [];
(window as unknown as { facekitEvents: typeof events }).facekitEvents = events;
for (const type of ['facekit-status', 'facekit-result', 'facekit-error'] as const) {
  document.addEventListener(type, (event) => events.push({ type, detail: (event as CustomEvent).detail }));
}
const element = document.querySelector('face-enroll')!;
if (!(element instanceof FaceEnroll)) throw new Error('one FaceEnroll class across the entry points');
element.endpoint = location.origin;
element.ticketProvider = async () => {
  const response = await fetch('/v1/demo/ticket?scopes=face.*', { cache: 'no-store' });
  return ((await response.json()) as { data: { ticket: string } }).data.ticket;
};
element.addEventListener('facekit-result', (event) => {
  const detail: FacekitResultDetail = event.detail;
  document.title = detail.mode;
});
`;

before(async () => {
  app = mkdtempSync(join(tmpdir(), 'facekit-vite-app-'));
  installPackage('@facekit/core', join(root, 'packages/core'));
  installPackage('@facekit/elements', join(root, 'packages/elements'));
  for (const name of ['lit', 'lit-html', 'lit-element', '@lit/reactive-element', 'comlink', 'idb-keyval', '@mediapipe/tasks-vision']) linkDependency(name);
  writeFileSync(join(app, 'index.html'), INDEX_HTML);
  writeFileSync(join(app, 'main.ts'), MAIN_TS);
  // The runtime assets as the README says: core's prepared models and tasks-vision's wasm, served together.
  const assets = join(app, 'public/facekit-assets');
  cpSync(join(app, 'node_modules/@facekit/core/dist/assets/models'), join(assets, 'models'), { recursive: true });
  cpSync(join(app, 'node_modules/@mediapipe/tasks-vision/wasm'), join(assets, 'wasm'), { recursive: true });

  await build({ root: app, configFile: false, logLevel: 'warn', build: { outDir: join(app, 'dist'), emptyOutDir: true } });
  server = await startDemoServer(join(app, 'dist'));
  browser = await launchBrowser('face');
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (app) rmSync(app, { recursive: true, force: true });
});

test('a Vite build of an app that imports the packages enrols a face', { timeout: 180_000 }, async () => {
  const { page, requests, foreign } = await openRecordedPage(browser, server.url);
  await page.goto(`${server.url}/index.html`);
  await page.evaluate(() => void document.querySelector('face-enroll')!.start());
  const result = await waitForEvent<{ mode: string; personId: string }>(page, 'facekit-result', { mode: 'enroll' }, 120_000);
  assert.match(result.personId, /\S{6,}/);
  const worker = requests.find((url) => /\/assets\/vision\.worker-[\w-]+\.js$/.test(url));
  assert.ok(worker, `the app's bundle started the worker Vite emitted from node_modules: ${requests.filter((url) => url.includes('worker')).join(', ')}`);
  assert.ok(requests.some((url) => url.startsWith(`${server.url}/facekit-assets/models/`)), 'models from the app-served assets');
  assert.deepEqual(foreign, []);
});

test('the shipped .d.ts type-check an app, the React JSX typings included', { timeout: 60_000 }, () => {
  linkDependency('@types/react');
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, jsx: 'react-jsx', skipLibCheck: false, lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] },
    files: ['main.ts', 'typed.tsx'],
  }));
  writeFileSync(join(app, 'typed.tsx'), `import type {} from '@facekit/elements/react';
import type { FaceEnrollResultDetail } from '@facekit/elements';
import { MESSAGES } from '@facekit/core';

export const view = (onResult: (detail: FaceEnrollResultDetail) => void) => (
  <face-enroll mode="search" groupId="g" autoSubmit ticketProvider={async () => 't'} messages={{ 'action.start': MESSAGES.en['action.start'] }}
    onfacekit-result={(event) => onResult(event.detail as FaceEnrollResultDetail)}
    onfacekit-status={(event) => event.detail.phase} />
);
// @ts-expect-error: mode is typed from the element class
export const wrong = <face-enroll mode="sideways" />;
`);
  const output = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], { encoding: 'utf8' });
  assert.equal(output.status, 0, output.stdout + output.stderr);
});

test('the Vite dev server (dependency pre-bundling) serves the same app', { timeout: 180_000 }, async () => {
  let dev: ViteDevServer | undefined;
  try {
    dev = await createServer({ root: app, configFile: false, logLevel: 'error', server: { host: '127.0.0.1', port: 0, strictPort: false } });
    await dev.listen();
    const address = dev.httpServer!.address() as { port: number };
    const devUrl = `http://127.0.0.1:${address.port}`;
    const { page, requests } = await openRecordedPage(browser, devUrl);
    await page.goto(`${devUrl}/index.html`);
    await page.waitForFunction(() => customElements.get('face-enroll') !== undefined, undefined, { timeout: 60_000 });
    await page.evaluate(() => {
      const element = document.querySelector('face-enroll')!;
      element.autoSubmit = false;
      void element.start();
    });
    // Guiding needs the worker running with its models: the worker URL survived pre-bundling.
    await waitForEvent(page, 'facekit-status', { phase: 'guiding' }, 90_000);
    // Vite 8 rebases the worker's relative URL out of the pre-bundled chunk, back to the package.
    const worker = requests.find((url) => url.includes('vision.worker'));
    assert.match(worker ?? '', /\/node_modules\/@facekit\/core\/dist\/worker\/vision\.worker\.js\b/);
  } finally {
    await dev?.close();
  }
});
