// node --test scripts/browser-bundles.test.mjs
// Secrets stay on the server: the demo site and the script-tag kit, built with every server secret
// set in the environment (as on a deployer's machine), hold none of their values, none of the
// variables' names and none of the vendors' signing code, in the scripts, pages or source maps.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const serverSources = join(root, 'packages/server/src');

/** The server's secret settings (packages/server/src/config*.ts); the gateway vendors' are built from a prefix. */
const SECRET_VARIABLES = [
  'FACEKIT_TICKET_SECRET',
  'FACEKIT_FACE_PLATFORM_TOKEN',
  'FACEKIT_ID_PHOTO_APP_KEY',
  'FACEKIT_ID_PHOTO_APP_SECRET',
  'FACEKIT_SKIN_CLIENT_SECRET',
  ...['FACEKIT_FACEID', 'FACEKIT_FACE_IMAGE'].flatMap((prefix) => [`${prefix}_APP_KEY`, `${prefix}_APP_SECRET`, `${prefix}_APP_CODE`]),
];
/** What only the server's signing and vendor code says. */
const SERVER_ONLY_WORDS = ['x-ca-signature', 'client_secret', 'app_secret', 'appSecret', 'clientSecret', 'ticketSecret', 'createHmac'];
const TEXT_FILES = new Set(['.js', '.mjs', '.html', '.css', '.json', '.map']);

const filesUnder = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

/** The files of the project's own build (what the other tests serve), with their times. */
const distSnapshot = () => {
  const dist = join(root, 'dist');
  return existsSync(dist) ? filesUnder(dist).map((file) => `${file} ${statSync(file).mtimeMs}`).sort() : [];
};

describe('browser bundles', { timeout: 300_000 }, () => {
  const outDirs = {};
  let distBefore = [];
  const values = Object.fromEntries(SECRET_VARIABLES.map((name) => [name, `s3cret-${name.toLowerCase()}-${randomBytes(12).toString('hex')}`]));
  const saved = {};

  before(async () => {
    distBefore = distSnapshot();
    for (const [name, value] of Object.entries(values)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    for (const mode of ['production', 'kit']) {
      outDirs[mode] = mkdtempSync(join(tmpdir(), `facekit-bundle-${mode}-`));
      await build({ configFile: join(root, 'vite.config.ts'), mode, logLevel: 'silent', build: { outDir: outDirs[mode], emptyOutDir: true } });
    }
  });

  after(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    for (const dir of Object.values(outDirs)) rmSync(dir, { recursive: true, force: true });
  });

  it('builds into its own folders and leaves the project dist/ as it was', () => {
    assert.deepEqual(distSnapshot(), distBefore);
  });

  it('lists every secret setting the server reads', () => {
    const named = new Set();
    for (const file of filesUnder(serverSources).filter((path) => path.endsWith('.ts'))) {
      for (const [name] of readFileSync(file, 'utf8').matchAll(/FACEKIT_[A-Z_]*(?:SECRET|TOKEN|_KEY|_CODE)\b/g)) named.add(name);
    }
    const missing = [...named].filter((name) => !SECRET_VARIABLES.includes(name));
    assert.deepEqual(missing, [], 'a new secret setting must be added to SECRET_VARIABLES');
    assert.ok(named.has('FACEKIT_TICKET_SECRET'), 'the scan reads the server sources');
  });

  it('holds no secret value, secret name or signing code', () => {
    let scanned = 0;
    for (const [mode, dir] of Object.entries(outDirs)) {
      const files = filesUnder(dir).filter((path) => TEXT_FILES.has(extname(path)));
      assert.ok(files.some((path) => path.endsWith('.js')), `the ${mode} build wrote scripts`);
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        const lower = text.toLowerCase();
        for (const [name, value] of Object.entries(values)) {
          assert.ok(!text.includes(value), `${file} holds the value of ${name}`);
          assert.ok(!text.includes(name), `${file} names ${name}`);
        }
        for (const word of SERVER_ONLY_WORDS) assert.ok(!lower.includes(word.toLowerCase()), `${file} holds "${word}"`);
        scanned++;
      }
    }
    // The site's pages, scripts and maps, and the kit's loader, chunks and worker.
    assert.ok(scanned > 20, `scanned ${scanned} files`);
  });
});
