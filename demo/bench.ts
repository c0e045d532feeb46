// Benchmark hooks for `npm run bench`: the per-frame path exactly as the elements run it
// (grab the camera frame, transfer it, detect, compute quality, produce the hint).
import { CameraController, VisionBridge } from '../packages/core/src/client/index.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
// Registers window.facekitIdPhotoBench (the ID photo timing).
import './bench-id-photo.js';
import { loadFrame, loadImage, nextFrame, type LfwCounts, type SourceRun } from './bench-frames.js';

/** A bare controller host so the camera controller can run outside an element. */
class BenchHost extends HTMLElement implements ReactiveControllerHost {
  addController(_controller: ReactiveController): void {}
  removeController(_controller: ReactiveController): void {}
  requestUpdate(): void {}
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
}
customElements.define('facekit-bench-host', BenchHost);

const log = (line: string) => {
  document.getElementById('log')!.textContent += line + '\n';
};

const assetsBase = new URL('./assets/', location.href).href;
/** One worker for the timing hooks, so that repeated rounds time detection, not start-up. */
let sharedBridge: VisionBridge | null = null;
const benchBridge = (): VisionBridge => (sharedBridge ??= new VisionBridge({ assetsBase, idleMs: 10 * 60_000 }));

async function frameTimes(count: number): Promise<{ coldMs: number; perFrameMs: number[]; workerMs: number[]; hints: string[] }> {
  const host = document.body.appendChild(new BenchHost());
  const camera = new CameraController(host, { width: 640, height: 480 });
  await camera.start();
  const bridge = benchBridge();
  const coldStart = performance.now();
  let coldMs = 0;
  const perFrameMs: number[] = [];
  const workerMs: number[] = [];
  const hints: string[] = [];
  for (let i = 0; i < count + 1; i++) {
    const started = performance.now();
    const frame = await camera.grabFrame();
    if (!frame) throw new Error('no camera frame');
    const analysis = await bridge.analyzeFrame(frame, started);
    const elapsed = performance.now() - started;
    if (i === 0) coldMs = performance.now() - coldStart;
    else {
      perFrameMs.push(elapsed);
      workerMs.push(analysis.workerMs);
      hints.push(analysis.hint);
    }
    // Let the camera deliver a new frame, as the paced loop does.
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  camera.stop();
  host.remove();
  return { coldMs, perFrameMs, workerMs, hints };
}

/** Where a start's time goes, in milliseconds (see startTime()). */
interface StartPhases {
  /** From `new VisionBridge` to the worker's global scope (the ladder creating the worker). */
  workerSpawn: number;
  /** The worker's script loading and running, up to its init() call. */
  workerScript: number;
  /** init(): the runtime (wasm compiled, loader script loaded). */
  runtime: number;
  /** init(): the detector created (wasm instantiated, graph and model set up). */
  detector: number;
  /** The first frame in the worker: its first detection, quality and hint. */
  firstDetection: number;
}

/** Time from a new worker to the first analysed frame: cold in a fresh browser context, warm after. */
async function startTime(frameUrl: string): Promise<{ firstDetectionMs: number; initMs: number; phasesMs: StartPhases; faces: number; cached: string[] }> {
  const frame = await loadFrame('start', frameUrl);
  const bridge = new VisionBridge({ assetsBase });
  const started = performance.now();
  const info = await bridge.ready();
  const readyMs = performance.now() - started;
  const analysis = await bridge.analyzeFrame(await createImageBitmap(frame.canvas), performance.now());
  const firstDetectionMs = performance.now() - started;
  await bridge.shutdown();
  const sinceWorkerStart = info.sinceWorkerStartMs ?? readyMs;
  const runtime = info.runtimeMs ?? 0;
  const phasesMs: StartPhases = {
    workerSpawn: readyMs - sinceWorkerStart,
    workerScript: sinceWorkerStart - info.startMs,
    runtime,
    detector: info.startMs - runtime,
    firstDetection: analysis.workerMs,
  };
  return { firstDetectionMs, initMs: info.startMs, phasesMs, faces: analysis.faces.length, cached: await cachedAssets() };
}

/** The per-frame path on real photos: grab the 640×480 frame, transfer, detect, quality, hint. */
async function photoTimes(photos: { name: string; url: string }[], runs: number): Promise<SourceRun[]> {
  const frames = await Promise.all(photos.map((photo) => loadFrame(photo.name, photo.url)));
  const bridge = benchBridge();
  await bridge.ready();
  const results: SourceRun[] = [];
  for (const frame of frames) {
    await bridge.resetSession();
    const timesMs: number[] = [];
    let faces = 0;
    // Two untimed runs first, as the peers get.
    for (let i = 0; i < runs + 2; i++) {
      await nextFrame();
      const started = performance.now();
      const bitmap = await createImageBitmap(frame.canvas);
      const analysis = await bridge.analyzeFrame(bitmap, started);
      if (i >= 2) timesMs.push(performance.now() - started);
      faces = analysis.faces.length;
    }
    results.push({ source: frame.name, timesMs, faces });
  }
  return results;
}

/** Faces found by the short-range detector (IMAGE mode, the detector's usual 0.5) in each LFW crop. */
async function lfwCounts(faceUrls: string[], nonFaceUrls: string[]): Promise<LfwCounts> {
  const bridge = benchBridge();
  await bridge.ready();
  const count = async (urls: string[]) => {
    const counts: number[] = [];
    for (const url of urls) {
      const bitmap = await createImageBitmap(await loadImage(url));
      counts.push((await bridge.detect(bitmap, 'short')).length);
      bitmap.close();
    }
    return counts;
  };
  return { faces: await count(faceUrls), nonFaces: await count(nonFaceUrls) };
}

/** What the kit keeps in Cache Storage on this origin: `<cache name>: <file>` per entry. */
async function cachedAssets(): Promise<string[]> {
  if (typeof caches === 'undefined') return [];
  const entries: string[] = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) entries.push(`${name}: ${request.url.split('/').pop()}`);
  }
  return entries;
}

(window as unknown as { facekitBench: unknown }).facekitBench = { frameTimes, startTime, photoTimes, lfwCounts, log };
