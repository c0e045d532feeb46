// Benchmark hook for `npm run bench` (scripts/lib/bench-id-photo.mjs): the on-device ID photo from
// a 1280×960 photo, timed by the worker per step. Exposed as `window.facekitIdPhotoBench`.
import { VisionBridge } from '../packages/core/src/client/index.js';
import type { IdPhotoTimings } from '../packages/core/src/shared/id-photo-types.js';

const assetsBase = new URL('./assets/', location.href).href;

/**
 * Draws a face photo into 1280×960 as a camera frames head and shoulders (the face about a third
 * of the height), then makes a 二寸 (413×579, blue) from it: one cold run (the segmentation model
 * loads), then `runs` timed ones.
 */
async function idPhotoTimes(photoUrl: string, runs: number): Promise<{ coldMs: number; timings: IdPhotoTimings[] }> {
  const photo = await createImageBitmap(await (await fetch(photoUrl)).blob());
  const canvas = new OffscreenCanvas(1280, 960);
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#8a8d90';
  context.fillRect(0, 0, 1280, 960);
  const side = 960 * 1.6;
  context.drawImage(photo, (1280 - side) / 2, -0.05 * side, side, side);
  photo.close();
  const input = await createImageBitmap(canvas);
  const bridge = new VisionBridge({ assetsBase });
  try {
    const started = performance.now();
    await bridge.makeIdPhoto(input, { spec: 'two-inch', color: 'blue' });
    const coldMs = performance.now() - started;
    const timings: IdPhotoTimings[] = [];
    for (let i = 0; i < runs; i++) timings.push((await bridge.makeIdPhoto(input, { spec: 'two-inch', color: 'blue' })).timings);
    return { coldMs, timings };
  } finally {
    input.close();
    await bridge.shutdown();
  }
}

(window as unknown as { facekitIdPhotoBench: unknown }).facekitIdPhotoBench = { idPhotoTimes };
