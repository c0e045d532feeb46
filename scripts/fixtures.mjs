#!/usr/bin/env node
// Real face photos for the tests, taken from Debian packages (python3-skimage, opencv-doc) and
// written under .cache/fixtures/. Third-party photos are never committed: this script makes them.
//
//   node scripts/fixtures.mjs          prints the manifest path; exit 1 with one line when it cannot
//   import { ensureFixtures } from './fixtures.mjs'; const manifest = await ensureFixtures();
//
// Photos: photos/{astronaut.png, face_swapped.jpg, facereg.jpg (4 faces), camera.png, coffee.png (no
// face)}. LFW crops: lfw/{face,nonface}-000…099.png at 25 px, and lfw/x4/ the same at 100 px.
// Fake-camera videos (640×480, 15 fps, 30 frames, y4m): videos/face.y4m, videos/noface.y4m.
//
// Re-runs are cheap: when the manifest and every file it lists exist, nothing is done.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = join(repoRoot, '.cache');
const debsDir = join(cacheDir, 'debs');
const pkgRoot = join(cacheDir, 'pkgroot');
export const fixturesDir = join(cacheDir, 'fixtures');
const manifestPath = join(fixturesDir, 'manifest.json');

/** Bump when the set or the making of the files changes, so old caches are rebuilt. */
const MANIFEST_VERSION = 4;

const SKIMAGE_DATA = '/skimage/data/';
const OPENCV_HTML = '/opencv4/html/';

/** The files each package must provide, as path suffixes (package layouts differ by release). */
const PACKAGES = {
  'python3-skimage': {
    required: ['astronaut.png', 'camera.png', 'lfw_subset.npy'].map((name) => SKIMAGE_DATA + name),
    // Real photos without a face; the first one present becomes photos/coffee.png.
    optional: ['coffee.png', 'rocket.jpg', 'brick.png'].map((name) => SKIMAGE_DATA + name),
  },
  'opencv-doc': {
    required: ['face_swapped.jpg', 'facereg.jpg'].map((name) => OPENCV_HTML + name),
    optional: [],
  },
};

const LFW_COUNT = 100;
const LFW_SIDE = 25;
/**
 * The 25 px crops are also written 4× larger (bilinear), closer to the pixel size of a camera's face.
 * It makes no difference to detection (short range: recall 100 % / 99 %, false positives 2 % / 1 %
 * at 25 px / 100 px); both are kept so tests can show that.
 */
const LFW_UPSCALE = 4;

const VIDEO = { width: 640, height: 480, fps: 15, frames: 30 };
/**
 * astronaut.png is 512×512; the short-range detector frames its face at (177, 82) 95×95. Scaled 2×
 * and cropped to 640×480 around that box, the face is centred with its box at 40 % of the frame
 * height: a selfie at arm's length.
 */
const FACE_VIDEO_FILTER = 'scale=1024:1024:flags=bicubic,crop=640:480:129:19,format=yuv420p';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: options.encoding ?? 'utf8', maxBuffer: 1 << 28, ...options });
  if (result.error) throw result.error;
  return result;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasCommand(name) {
  return run('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** Paths of installed package files, matched by suffix; null when any required one is absent on disk. */
function findInstalled(pkg, suffixes) {
  const listing = run('dpkg', ['-L', pkg]);
  if (listing.status !== 0) return null;
  const paths = listing.stdout.split('\n');
  return matchSuffixes(paths, suffixes, (path) => existsSync(path));
}

function matchSuffixes(paths, suffixes, exists) {
  const found = {};
  for (const suffix of suffixes) {
    const match = paths.find((path) => path.endsWith(suffix) && exists(path));
    if (match) found[suffix] = match;
  }
  return found;
}

function listFilesUnder(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath ?? entry.path, entry.name));
  }
  return out;
}

function findDeb(pkg) {
  if (!existsSync(debsDir)) return null;
  const deb = readdirSync(debsDir).find((name) => name.startsWith(`${pkg}_`) && name.endsWith('.deb'));
  return deb ? join(debsDir, deb) : null;
}

function downloadDeb(pkg) {
  mkdirSync(debsDir, { recursive: true });
  const attempt = () => run('apt-get', ['download', pkg], { cwd: debsDir, stdio: ['ignore', 'ignore', 'pipe'] });
  let result = attempt();
  if (result.status !== 0) {
    // The package lists may be missing or stale on a fresh machine.
    run('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'pipe'] });
    result = attempt();
  }
  const deb = findDeb(pkg);
  if (result.status !== 0 || !deb) throw new Error(`apt-get download ${pkg} failed: ${result.stderr.trim()}`);
  return deb;
}

/** Unpacks only the wanted members of a .deb (opencv-doc is 95 MB of HTML we do not need). */
function extractMembers(deb, suffixes) {
  mkdirSync(pkgRoot, { recursive: true });
  const patterns = suffixes.map((suffix) => `*${suffix}`);
  const script = 'deb="$1"; root="$2"; shift 2; dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root" --wildcards "$@"';
  // Suffixes that the package does not hold make tar exit non-zero; the caller checks what arrived.
  run('sh', ['-c', script, 'sh', deb, pkgRoot, ...patterns]);
}

/** Where each wanted file of a package is: installed, unpacked earlier, or unpacked now. */
function locatePackageFiles(pkg, { required, optional }) {
  const wanted = [...required, ...optional];
  const complete = (found) => found && required.every((suffix) => suffix in found);

  const installed = findInstalled(pkg, wanted);
  if (complete(installed)) return installed;

  const unpacked = () => matchSuffixes(listFilesUnder(pkgRoot), wanted, () => true);
  let found = unpacked();
  if (complete(found)) return found;

  let deb = findDeb(pkg);
  if (!deb) {
    if (!isRoot() || !hasCommand('apt-get')) {
      throw new Error(
        `missing the ${pkg} photos: run "sudo apt-get install ${pkg}" (or as root: node scripts/fixtures.mjs)`,
      );
    }
    deb = downloadDeb(pkg);
  }
  extractMembers(deb, wanted);
  found = unpacked();
  const missing = required.filter((suffix) => !(suffix in found));
  if (missing.length) throw new Error(`${pkg} does not hold ${missing.join(', ')}`);
  return found;
}

function writeAtomically(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.partial`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}

function ffmpeg(args, output) {
  mkdirSync(dirname(output), { recursive: true });
  const temp = output.replace(/(\.\w+)$/, '.partial$1');
  const result = run('ffmpeg', ['-y', '-v', 'error', ...args, temp]);
  if (result.status !== 0) throw new Error(`ffmpeg failed for ${relative(repoRoot, output)}: ${result.stderr.trim()}`);
  renameSync(temp, output);
}

/**
 * Reads a NumPy .npy file (format 1.0–3.0) holding a C-order array of float64, float32 or uint8.
 * Values come back as 0…255 (skimage stores lfw_subset as float64 in 0…1).
 */
export function readNpy(buffer) {
  const magic = buffer.subarray(0, 6).toString('latin1');
  if (magic !== '\x93NUMPY') throw new Error('not a .npy file');
  const major = buffer[6];
  const headerLength = major === 1 ? buffer.readUInt16LE(8) : buffer.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = buffer.subarray(headerStart, headerStart + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error(`unreadable .npy header: ${header}`);
  if (fortran === 'True') throw new Error('Fortran-order .npy arrays are not supported');
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const readers = {
    '<f8': { size: 8, read: (offset) => buffer.readDoubleLE(offset), scale: 255 },
    '<f4': { size: 4, read: (offset) => buffer.readFloatLE(offset), scale: 255 },
    '|u1': { size: 1, read: (offset) => buffer[offset], scale: 1 },
  };
  const reader = readers[descr];
  if (!reader) throw new Error(`unsupported .npy dtype ${descr}`);
  const values = new Uint8ClampedArray(count);
  for (let i = 0; i < count; i++) values[i] = Math.round(reader.read(dataStart + i * reader.size) * reader.scale);
  return { shape, values };
}

function grayToPng(gray, width, height) {
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.fill(gray[i], i * 3, i * 3 + 3);
  png.data = rgb;
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
}

/** Bilinear upscaling with pixel centres aligned, as a browser draws a small image large. */
function upscaleGray(gray, side, factor) {
  const out = new Uint8ClampedArray(side * factor * side * factor);
  const outSide = side * factor;
  for (let y = 0; y < outSide; y++) {
    const sy = Math.min(side - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(side - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < outSide; x++) {
      const sx = Math.min(side - 1, Math.max(0, (x + 0.5) / factor - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(side - 1, x0 + 1);
      const fx = sx - x0;
      const top = gray[y0 * side + x0] * (1 - fx) + gray[y0 * side + x1] * fx;
      const bottom = gray[y1 * side + x0] * (1 - fx) + gray[y1 * side + x1] * fx;
      out[y * outSide + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return out;
}

function writeLfw(npyPath) {
  const { shape, values } = readNpy(readFileSync(npyPath));
  // skimage.data.lfw_subset(): "100 first images are faces and subsequent 100 are non-faces", 25×25.
  const expected = [2 * LFW_COUNT, LFW_SIDE, LFW_SIDE];
  if (shape.join() !== expected.join()) throw new Error(`lfw_subset.npy has shape ${shape}, expected ${expected}`);
  const pixels = LFW_SIDE * LFW_SIDE;
  const written = { faces: [], nonFaces: [], facesLarge: [], nonFacesLarge: [] };
  for (let index = 0; index < 2 * LFW_COUNT; index++) {
    const isFace = index < LFW_COUNT;
    const name = `${isFace ? 'face' : 'nonface'}-${String(index % LFW_COUNT).padStart(3, '0')}.png`;
    const gray = values.subarray(index * pixels, (index + 1) * pixels);
    const small = join(fixturesDir, 'lfw', name);
    const large = join(fixturesDir, 'lfw', `x${LFW_UPSCALE}`, name);
    if (!existsSync(small)) writeAtomically(small, grayToPng(gray, LFW_SIDE, LFW_SIDE));
    if (!existsSync(large)) {
      const side = LFW_SIDE * LFW_UPSCALE;
      writeAtomically(large, grayToPng(upscaleGray(gray, LFW_SIDE, LFW_UPSCALE), side, side));
    }
    (isFace ? written.faces : written.nonFaces).push(small);
    (isFace ? written.facesLarge : written.nonFacesLarge).push(large);
  }
  return written;
}

function stillVideo(input, filter, output) {
  if (existsSync(output)) return;
  const { fps, frames } = VIDEO;
  ffmpeg(['-loop', '1', '-i', input, '-vf', filter, '-r', String(fps), '-frames:v', String(frames), '-f', 'yuv4mpegpipe'], output);
}

function copyPhoto(source, output) {
  if (existsSync(output)) return;
  if (source.endsWith(output.slice(output.lastIndexOf('.')))) writeAtomically(output, readFileSync(source));
  else ffmpeg(['-i', source], output);
}

function readManifest() {
  try {
    return JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return null;
  }
}

function manifestFiles(manifest) {
  return [
    ...Object.values(manifest.photos),
    ...Object.values(manifest.videos),
    ...Object.values(manifest.lfw).flat(),
  ];
}

const mapValues = (object, fn) => Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)]));

/** The manifest with every path made absolute (manifest.json keeps them relative to the repository). */
function absolute(manifest) {
  const abs = (path) => join(repoRoot, path);
  return {
    ...manifest,
    root: abs(manifest.root),
    photos: mapValues(manifest.photos, abs),
    videos: mapValues(manifest.videos, abs),
    lfw: mapValues(manifest.lfw, (paths) => paths.map(abs)),
  };
}

/**
 * Makes the fixtures if needed and returns the manifest, with absolute paths:
 * `{ root, urlPath, photos: { astronaut, face_swapped, facereg, camera, coffee }, videos: { face,
 * noface }, video: { width, height, fps, frames }, lfw: { faces, nonFaces, facesLarge, nonFacesLarge },
 * lfwUpscale }`. A dev server rooted at the repository serves them under `urlPath`
 * (`/.cache/fixtures/`).
 */
export async function ensureFixtures() {
  const cached = readManifest();
  if (cached?.version === MANIFEST_VERSION && manifestFiles(cached).every((path) => existsSync(join(repoRoot, path)))) {
    return absolute(cached);
  }
  // Files of an older layout may have been made differently: start again.
  if (cached && cached.version !== MANIFEST_VERSION) rmSync(fixturesDir, { recursive: true, force: true });

  if (!hasCommand('ffmpeg')) throw new Error('missing ffmpeg: run "apt-get install -y ffmpeg"');
  if (!hasCommand('dpkg-deb')) throw new Error('missing dpkg-deb: the photo fixtures need a Debian-based system');

  const skimage = locatePackageFiles('python3-skimage', PACKAGES['python3-skimage']);
  const opencv = locatePackageFiles('opencv-doc', PACKAGES['opencv-doc']);
  const noFaceSource = PACKAGES['python3-skimage'].optional.map((suffix) => skimage[suffix]).find(Boolean)
    ?? skimage[`${SKIMAGE_DATA}camera.png`];

  const out = (...parts) => join(fixturesDir, ...parts);
  const photos = {
    astronaut: out('photos', 'astronaut.png'),
    face_swapped: out('photos', 'face_swapped.jpg'),
    facereg: out('photos', 'facereg.jpg'),
    camera: out('photos', 'camera.png'),
    coffee: out('photos', 'coffee.png'),
  };
  copyPhoto(skimage[`${SKIMAGE_DATA}astronaut.png`], photos.astronaut);
  copyPhoto(skimage[`${SKIMAGE_DATA}camera.png`], photos.camera);
  copyPhoto(noFaceSource, photos.coffee);
  copyPhoto(opencv[`${OPENCV_HTML}face_swapped.jpg`], photos.face_swapped);
  copyPhoto(opencv[`${OPENCV_HTML}facereg.jpg`], photos.facereg);

  const lfw = writeLfw(skimage[`${SKIMAGE_DATA}lfw_subset.npy`]);

  const { width, height } = VIDEO;
  const videos = { face: out('videos', 'face.y4m'), noface: out('videos', 'noface.y4m') };
  stillVideo(photos.astronaut, FACE_VIDEO_FILTER, videos.face);
  // Fill the frame (cover), then crop the middle: no bars that a detector could take for anything.
  stillVideo(
    photos.coffee,
    `scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height},format=yuv420p`,
    videos.noface,
  );

  const rel = (path) => relative(repoRoot, path).split('\\').join('/');
  const manifest = {
    version: MANIFEST_VERSION,
    root: rel(fixturesDir),
    urlPath: `/${rel(fixturesDir)}/`,
    photos: mapValues(photos, rel),
    videos: mapValues(videos, rel),
    video: { ...VIDEO },
    lfw: mapValues(lfw, (paths) => paths.map(rel)),
    lfwUpscale: LFW_UPSCALE,
  };
  writeAtomically(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return absolute(manifest);
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  try {
    await ensureFixtures();
    console.log(relative(process.cwd(), manifestPath));
  } catch (error) {
    console.error(`fixtures: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
