// Benchmark hooks for `npm run bench`: the per-frame path exactly as the elements run it
// (grab the camera frame, transfer it, detect, compute quality, produce the hint).
import { CameraController, VisionBridge } from '../packages/core/src/client/index.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

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

async function frameTimes(count: number): Promise<{ coldMs: number; perFrameMs: number[]; workerMs: number[]; hints: string[] }> {
  const host = document.body.appendChild(new BenchHost());
  const camera = new CameraController(host, { width: 640, height: 480 });
  await camera.start();
  const bridge = new VisionBridge({ assetsBase });
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

(window as unknown as { facekitBench: unknown }).facekitBench = { frameTimes, log };
