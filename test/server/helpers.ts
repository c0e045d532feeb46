/// <reference types="node" />
/**
 * Shared helpers of the server tests: real photos (never committed), a running endpoint with its
 * mock vendor on 127.0.0.1, and a small client for `POST /v1/ops/<op>`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import type { Envelope } from '../../packages/core/src/shared/index.js';
import { mintTicket, startServer, type AppConfig, type MintTicketOptions, type RunningServer } from '../../packages/server/src/index.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SECRET = 'test-secret-0123456789abcdef';

/**
 * Path of a scikit-image sample photo (astronaut.png, camera.png, coffee.png). Looked up in the
 * fixtures folder the repo's scripts make, then in an installed python3-skimage, then extracted
 * from the Debian package into a temporary folder.
 */
export function samplePhoto(name: 'astronaut.png' | 'camera.png' | 'coffee.png', fixturesDir = join(repoRoot, '.cache/fixtures/photos')): string {
  const fromFixtures = join(fixturesDir, name);
  // The face crops below assume the original 512×512 samples.
  if (existsSync(fromFixtures) && isOriginalSize(fromFixtures)) return fromFixtures;
  try {
    const listed = execFileSync('dpkg', ['-L', 'python3-skimage'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .find((line) => line.endsWith(`/skimage/data/${name}`));
    if (listed && existsSync(listed)) return listed;
  } catch {
    // Not installed: extract it below.
  }
  const cache = join(tmpdir(), 'facekit-server-test-photos');
  const found = findFile(cache, name);
  if (found) return found;
  mkdirSync(cache, { recursive: true });
  execFileSync('apt-get', ['download', 'python3-skimage'], { cwd: cache, stdio: 'ignore' });
  const deb = readdirSync(cache).find((file) => file.startsWith('python3-skimage') && file.endsWith('.deb'));
  if (!deb) throw new Error('could not download python3-skimage for the sample photos');
  execFileSync('dpkg-deb', ['-x', join(cache, deb), join(cache, 'x')]);
  const extracted = findFile(cache, name);
  if (!extracted) throw new Error(`${name} is not in python3-skimage`);
  return extracted;
}

function isOriginalSize(png: string): boolean {
  const header = readFileSync(png).subarray(16, 24);
  return header.length === 8 && header.readUInt32BE(0) === 512 && header.readUInt32BE(4) === 512;
}

function findFile(root: string, name: string): string | undefined {
  if (!existsSync(root)) return undefined;
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === name && entry.parentPath.endsWith('skimage/data')) return join(entry.parentPath, entry.name);
  }
  return undefined;
}

/** A square crop of a PNG photo as a JPEG, the way the kit sends a face (centred, with margin). */
export function cropJpeg(photo: string, crop: { x: number; y: number; size: number }, quality = 90): Buffer {
  const png = PNG.sync.read(readFileSync(photo));
  const size = Math.min(crop.size, png.width - crop.x, png.height - crop.y);
  const data = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    const from = ((crop.y + y) * png.width + crop.x) * 4;
    png.data.copy(data, y * size * 4, from, from + size * 4);
  }
  return encodeJpeg({ width: size, height: size, data }, quality).data;
}

/** A face-free picture: one flat grey. */
export function flatJpeg(size = 200): Buffer {
  return encodeJpeg({ width: size, height: size, data: Buffer.alloc(size * size * 4, 128) }, 90).data;
}

/** The astronaut's face, centred with the kit's margin, and the same face framed a few pixels off. */
export const ASTRONAUT_FACE = { x: 92, y: 0, size: 260 };
export const ASTRONAUT_FACE_SHIFTED = { x: 96, y: 4, size: 260 };
/** The cameraman's face, centred the same way. */
export const CAMERAMAN_FACE = { x: 105, y: 40, size: 220 };

export interface Stack {
  server: RunningServer;
  base: string;
  ticket(scopes: string[], options?: Partial<MintTicketOptions>): Promise<string>;
  close(): Promise<void>;
}

/** The endpoint on 127.0.0.1 with its mock face platform, as `npm start` runs it. */
export async function startStack(config: Partial<AppConfig> = {}): Promise<Stack> {
  const server = await startServer({ port: 0, config: { ticketSecret: SECRET, ...config } });
  return {
    server,
    base: server.url,
    ticket: (scopes, options = {}) => mintTicket({ secret: SECRET, scopes, ttlSeconds: 120, ...options }),
    close: () => server.close(),
  };
}

export interface OpAnswer {
  status: number;
  headers: Headers;
  body: Envelope;
}

export async function callOp(
  base: string,
  op: string,
  body: unknown,
  options: { ticket?: string; origin?: string; lang?: string; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<OpAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.ticket) headers.authorization = `Bearer ${options.ticket}`;
  if (options.origin) headers.origin = options.origin;
  if (options.lang) headers['accept-language'] = options.lang;
  const response = await fetch(`${base}/v1/ops/${op}`, { method: 'POST', headers, body: options.rawBody ?? JSON.stringify(body) });
  const text = await response.text();
  let parsed: Envelope;
  try {
    parsed = JSON.parse(text) as Envelope;
  } catch {
    throw new Error(`answer of ${op} is not JSON (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
