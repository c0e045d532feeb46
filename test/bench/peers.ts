// The peers' side of `npm run bench`: a face detector that a web developer would pick instead of
// facekit, run on the main thread the way its README shows, on the same frames as ours.
// One page load runs one peer with one tfjs backend (two tfjs copies must not share a page).
// The libraries and their weights come from the bench's loopback static server, never a CDN.
import { CAMERA_SOURCE, loadFrame, loadImage, nextFrame, type LfwCounts, type SourceRun } from '../../demo/bench-frames.js';

export type PeerName = 'face-api' | 'human';
type DetectorInput = HTMLVideoElement | HTMLCanvasElement | HTMLImageElement;

/** The few tfjs calls the page needs; both libraries re-export their bundled tfjs as `tf`. */
interface TfLike {
  setBackend(name: string): Promise<boolean>;
  setWasmPaths?(prefix: string): void;
  ready(): Promise<void>;
  getBackend(): string;
}

/** The part of @vladmandic/face-api used here (its README's TinyFaceDetector example). */
interface FaceApiModule {
  tf: TfLike;
  nets: { tinyFaceDetector: { loadFromUri(uri: string): Promise<void> } };
  TinyFaceDetectorOptions: new (options?: { inputSize?: number; scoreThreshold?: number }) => unknown;
  detectAllFaces(input: DetectorInput, options: unknown): Promise<unknown[]>;
}

/** The part of @vladmandic/human used here. */
interface HumanInstance {
  tf: TfLike;
  load(): Promise<void>;
  detect(input: DetectorInput): Promise<{ face: unknown[]; error?: string | null }>;
}
interface HumanModule {
  Human: new (config: Record<string, unknown>) => HumanInstance;
}

interface PeerDetector {
  peer: PeerName;
  backend: string;
  /** Faces found in the input. */
  detect(input: DetectorInput): Promise<number>;
}

/** Every detector in the bench counts a face from a score of 0.5 (face-api's default; ours on stills). */
const MIN_SCORE = 0.5;
const WARM_UP_RUNS = 3;
/** tfjs-backend-wasm's binaries, of the tfjs version both peers bundle. */
const WASM_PATH = new URL('/vendor/tfjs-backend-wasm/', location.href).href;

let detector: PeerDetector | null = null;

const absolute = (path: string): string => new URL(path, location.href).href;

/** Loads a module from a URL at run time (the bundler must not try to resolve it). */
async function importUrl<T>(url: string): Promise<T> {
  return (await import(/* @vite-ignore */ url)) as T;
}

async function createFaceApi(backend: string): Promise<PeerDetector> {
  const faceapi = await importUrl<FaceApiModule>(absolute('/vendor/face-api/dist/face-api.esm.js'));
  if (backend === 'wasm') faceapi.tf.setWasmPaths?.(WASM_PATH);
  if (!(await faceapi.tf.setBackend(backend))) throw new Error(`face-api: backend ${backend} is not available`);
  await faceapi.tf.ready();
  // The package ships the TinyFaceDetector weights in its model/ folder.
  await faceapi.nets.tinyFaceDetector.loadFromUri(absolute('/vendor/face-api/model/'));
  const options = new faceapi.TinyFaceDetectorOptions({ scoreThreshold: MIN_SCORE });
  return {
    peer: 'face-api',
    backend: faceapi.tf.getBackend(),
    detect: async (input) => (await faceapi.detectAllFaces(input, options)).length,
  };
}

async function createHuman(backend: string): Promise<PeerDetector> {
  const { Human } = await importUrl<HumanModule>(absolute('/vendor/human/dist/human.esm.js'));
  const off = { enabled: false };
  const human = new Human({
    backend,
    modelBasePath: absolute('/vendor/human-models/'),
    wasmPath: WASM_PATH,
    cacheModels: false,
    warmup: 'none',
    debug: false,
    // Result caching would skip detection on a repeated frame: every run must detect.
    cacheSensitivity: 0,
    filter: off,
    gesture: off,
    face: {
      enabled: true,
      detector: { rotation: false, maxDetected: 10, minConfidence: MIN_SCORE, skipFrames: 0, skipTime: 0, return: false },
      mesh: off,
      attention: off,
      iris: off,
      description: off,
      emotion: off,
      antispoof: off,
      liveness: off,
    },
    body: off,
    hand: off,
    object: off,
    segmentation: off,
  });
  await human.load();
  await human.tf.ready();
  if (human.tf.getBackend() !== backend) throw new Error(`human: backend ${backend} is not available (got ${human.tf.getBackend()})`);
  return {
    peer: 'human',
    backend: human.tf.getBackend(),
    detect: async (input) => {
      const result = await human.detect(input);
      if (result.error) throw new Error(`human: ${result.error}`);
      return result.face.length;
    },
  };
}

function current(): PeerDetector {
  if (!detector) throw new Error('start() first');
  return detector;
}

/** Loads the peer with the backend; returns what it took and what it runs on. */
async function start(peer: PeerName, backend: string): Promise<{ loadMs: number; backend: string }> {
  const started = performance.now();
  detector = peer === 'face-api' ? await createFaceApi(backend) : await createHuman(backend);
  return { loadMs: performance.now() - started, backend: detector.backend };
}

async function timeRuns(input: DetectorInput, runs: number): Promise<{ timesMs: number[]; faces: number }> {
  const peer = current();
  const timesMs: number[] = [];
  let faces = 0;
  for (let i = 0; i < runs + WARM_UP_RUNS; i++) {
    await nextFrame();
    const started = performance.now();
    faces = await peer.detect(input);
    if (i >= WARM_UP_RUNS) timesMs.push(performance.now() - started);
  }
  return { timesMs, faces };
}

/** Frames of the fake camera, detected straight from the playing `<video>`, as the peers' demos do. */
async function cameraTimes(count: number): Promise<SourceRun> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  document.body.append(video);
  try {
    await video.play();
    const { timesMs, faces } = await timeRuns(video, count);
    return { source: CAMERA_SOURCE, timesMs, faces };
  } finally {
    for (const track of stream.getTracks()) track.stop();
    video.remove();
  }
}

async function photoTimes(photos: { name: string; url: string }[], runs: number): Promise<SourceRun[]> {
  const results: SourceRun[] = [];
  for (const photo of photos) {
    const frame = await loadFrame(photo.name, photo.url);
    const { timesMs, faces } = await timeRuns(frame.canvas, runs);
    results.push({ source: photo.name, timesMs, faces });
  }
  return results;
}

async function lfwCounts(faceUrls: string[], nonFaceUrls: string[]): Promise<LfwCounts> {
  const peer = current();
  const count = async (urls: string[]): Promise<number[]> => {
    const counts: number[] = [];
    for (const url of urls) counts.push(await peer.detect(await loadImage(url)));
    return counts;
  };
  return { faces: await count(faceUrls), nonFaces: await count(nonFaceUrls) };
}

(window as unknown as { facekitPeers: unknown }).facekitPeers = { start, cameraTimes, photoTimes, lfwCounts };
