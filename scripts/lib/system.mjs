// Finds or installs the system tools the tests need: Chromium, ffmpeg (fake-camera videos).
import { existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Headless flags that let Chromium run as root and keep it from calling Google hosts. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export function chromePath() {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

let aptUpdated = false;
function aptInstall(packages) {
  if (!aptUpdated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    aptUpdated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Makes sure each tool is present; installs with apt-get when root, else explains in one line. */
export function ensureSystem({ redis = false } = {}) {
  const missing = [];
  if (!chromePath()) missing.push('chromium');
  if (!has('ffmpeg')) missing.push('ffmpeg');
  if (redis && !has('redis-server')) missing.push('redis-server');
  if (missing.length === 0) return;
  if (!isRoot() || !has('apt-get')) {
    console.error(`facekit tests need: ${missing.join(', ')}. Install them (Debian: sudo apt-get install -y ${missing.join(' ')}) or set CHROME_PATH to a Chrome binary.`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} with apt-get…`);
  aptInstall(missing);
}
