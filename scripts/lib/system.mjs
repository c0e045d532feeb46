// Finds or installs the system tools the tests need: Chromium, ffmpeg (fake-camera videos), a
// Chinese font (the zh-CN text drawn on canvases, e.g. the skin report's PNG export).
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

/**
 * Host names resolve to nothing but loopback: a request that slipped past a test's or a bench's
 * recording could still not leave the machine.
 */
export const LOOPBACK_ONLY = '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost';

/** Chromium flags for a fake camera that plays `video` (a .y4m or .mjpeg file), allowed without a prompt. */
export function fakeCameraArgs(video) {
  return ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`];
}

export function chromePath() {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

/**
 * A font that covers Simplified Chinese, as fontconfig (and so Chromium on Linux) sees it. Other
 * systems ship one with the OS.
 */
export function hasChineseFont() {
  if (process.platform !== 'linux') return true;
  if (has('fc-list')) {
    const listed = spawnSync('fc-list', [':lang=zh-cn', 'file'], { encoding: 'utf8' });
    if (listed.status === 0) return listed.stdout.trim() !== '';
  }
  return existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc');
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
  if (!hasChineseFont()) missing.push('fonts-noto-cjk');
  if (redis && !has('redis-server')) missing.push('redis-server');
  if (missing.length === 0) return;
  if (!isRoot() || !has('apt-get')) {
    console.error(`facekit tests need: ${missing.join(', ')}. Install them (Debian: sudo apt-get install -y ${missing.join(' ')}) or set CHROME_PATH to a Chrome binary.`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} with apt-get…`);
  aptInstall(missing);
}
