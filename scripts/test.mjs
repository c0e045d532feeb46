// `npm test`: finds or installs what the tests need, builds, then runs every suite:
// Node's test runner (maths, server over real HTTP, end-to-end in Chromium with a fake camera)
// and web-test-runner (worker and elements in Chromium). Prints one closing count line.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { readdirSync, statfsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ensureSystem, chromePath } from './lib/system.mjs';
import { ensureFixtures } from './fixtures.mjs';
import { buildAll } from './build.mjs';
import { ensureLivenessGeometry } from './liveness-geometry.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

ensureSystem({ redis: true });
process.env.CHROME_PATH = chromePath();
await ensureFixtures();
await buildAll({ quiet: true });
// Face geometry recorded by the real worker on real photos: the liveness tests replay it.
await ensureLivenessGeometry();

/** Runs a command, echoing its output, and returns the output and exit code. */
function run(command, args) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk;
        (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
      });
    }
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

/** Test files under a folder, relative to the root. */
const testFiles = (dir, pattern) =>
  readdirSync(resolve(root, dir), { recursive: true, withFileTypes: false })
    .map((file) => `${dir}/${file}`)
    .filter((file) => pattern.test(file));

const nodeTests = [
  ...testFiles('scripts', /\.test\.mjs$/),
  ...testFiles('packages/core/src/shared', /\.test\.ts$/),
  ...testFiles('test/server', /\.test\.ts$/),
  ...testFiles('test/e2e', /\.test\.ts$/),
].sort();

const node = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...nodeTests]);
const nodePassed = Number(/^ℹ pass (\d+)/m.exec(node.output)?.[1] ?? 0);
const nodeFailed = Number(/^ℹ fail (\d+)/m.exec(node.output)?.[1] ?? (node.code === 0 ? 0 : 1));

const wtr = await run(process.execPath, [resolve(root, 'node_modules/@web/test-runner/dist/bin.js'), '--config', 'web-test-runner.config.mjs']);
// test/wtr-count-reporter.mjs closes the run with one count line over all groups.
const wtrCounts = /browser tests: (\d+) passed, (\d+) failed/.exec(wtr.output);
const wtrPassed = Number(wtrCounts?.[1] ?? 0);
let wtrFailed = Number(wtrCounts?.[2] ?? 0);
if (wtr.code !== 0 && wtrFailed === 0) wtrFailed = 1;

// The failures again, last: a long log is often read from its end.
const nodeFailures = /^✖ failing tests:\n[\s\S]*$/m.exec(node.output)?.[0];
if (nodeFailures) console.log(`\n${nodeFailures.replace(/^ {6}at .*\n/gm, '').trimEnd()}`);
// test/wtr-count-reporter.mjs lists the browser failures, one line each, before its count line.
const wtrFailures = /^browser failures:\n(?: {2}.*\n)+/m.exec(wtr.output)?.[0];
if (wtrFailures) console.log(`\n${wtrFailures.trimEnd()}`);

console.log(`\n${environmentLine()}`);
console.log(`Node suites: ${nodePassed} passed, ${nodeFailed} failed; browser suites: ${wtrPassed} passed, ${wtrFailed} failed`);
console.log(`${nodePassed + wtrPassed} passed, ${nodeFailed + wtrFailed} failed`);
process.exit(node.code !== 0 || wtr.code !== 0 ? 1 : 0);

/** What a run depended on, for reading a failure from another machine's log. */
function environmentLine() {
  const chromium = spawnSync(process.env.CHROME_PATH ?? 'chromium', ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'no Chromium';
  const free = (path) => {
    try {
      const { bavail, bsize } = statfsSync(path);
      return `${((bavail * bsize) / 2 ** 30).toFixed(1)} GiB`;
    } catch {
      return 'unknown';
    }
  };
  return `environment: Node ${process.version}, ${chromium}, ${availableParallelism()} cores, free: ${free(root)} on disk, ${free('/dev/shm')} in /dev/shm`;
}
