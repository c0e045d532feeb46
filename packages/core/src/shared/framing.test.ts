import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clipBox, containment, cropAroundFace, guideEllipse, iou, mergeDetections, suppressOverlaps } from './framing.js';
import type { Box, DetectedFace } from './types.js';

const face = (box: Box, score = 0.9, keypoints = [{ x: box.x, y: box.y }]): DetectedFace => ({ box, score, keypoints });

describe('guideEllipse', () => {
  it('is centred and sized from the shorter side, in landscape and portrait alike', () => {
    assert.deepEqual(guideEllipse({ width: 640, height: 480 }), { cx: 320, cy: 240, rx: 144, ry: 192 });
    assert.deepEqual(guideEllipse({ width: 480, height: 640 }), { cx: 240, cy: 320, rx: 144, ry: 192 });
  });
});

describe('cropAroundFace', () => {
  const frame = { width: 1000, height: 800 };

  it('grows the face box by the margin on every side', () => {
    const plan = cropAroundFace({ x: 400, y: 300, width: 100, height: 120 }, frame, { margin: 0.5 });
    assert.deepEqual(plan.crop, { x: 350, y: 240, width: 200, height: 240 });
    assert.deepEqual(plan.output, { width: 200, height: 240 });
    assert.equal(plan.scale, 1);
    assert.deepEqual(plan.face, { x: 50, y: 60, width: 100, height: 120 });
  });

  it('uses a margin of 0.6 face sizes by default', () => {
    const plan = cropAroundFace({ x: 400, y: 300, width: 100, height: 100 }, frame);
    assert.deepEqual(plan.crop, { x: 340, y: 240, width: 220, height: 220 });
  });

  it('moves the crop inside the frame rather than shrinking it', () => {
    const nearCorner = cropAroundFace({ x: 10, y: 700, width: 80, height: 80 }, frame, { margin: 0.5 });
    assert.deepEqual(nearCorner.crop, { x: 0, y: 640, width: 160, height: 160 });
    assert.deepEqual(nearCorner.face, { x: 10, y: 60, width: 80, height: 80 });
  });

  it('cuts the crop to the frame when it is larger', () => {
    const plan = cropAroundFace({ x: 100, y: 50, width: 700, height: 700 }, frame, { margin: 0.6 });
    assert.deepEqual(plan.crop, { x: 0, y: 0, width: 1000, height: 800 });
    assert.deepEqual(plan.face, { x: 100, y: 50, width: 700, height: 700 });
  });

  it('clips a face box that leaves the frame', () => {
    const plan = cropAroundFace({ x: -40, y: 600, width: 200, height: 300 }, frame, { margin: 0 });
    assert.deepEqual(plan.crop, { x: 0, y: 500, width: 200, height: 300 });
    assert.deepEqual(plan.face, { x: 0, y: 100, width: 160, height: 200 });
  });

  it('scales down to maxSide, never up, and scales the face box with it', () => {
    const big = { width: 4000, height: 3000 };
    const plan = cropAroundFace({ x: 1000, y: 500, width: 1000, height: 1000 }, big, { margin: 0.5, maxSide: 1024 });
    assert.deepEqual(plan.crop, { x: 500, y: 0, width: 2000, height: 2000 });
    assert.equal(plan.scale, 0.512);
    assert.deepEqual(plan.output, { width: 1024, height: 1024 });
    assert.deepEqual(plan.face, { x: 256, y: 256, width: 512, height: 512 });
    const small = cropAroundFace({ x: 10, y: 10, width: 20, height: 20 }, big, { maxSide: 1024 });
    assert.equal(small.scale, 1);
  });

  it('keeps the aspect ratio of the crop within a pixel when scaling', () => {
    const plan = cropAroundFace({ x: 100, y: 100, width: 1001, height: 1500 }, { width: 3000, height: 3000 }, { margin: 0.25, maxSide: 700 });
    assert.equal(plan.output.height, 700);
    assert.ok(Math.abs(plan.output.width / plan.output.height - plan.crop.width / plan.crop.height) < 1 / 700 + 1e-9);
  });

  it('returns whole pixels and refuses an empty frame', () => {
    const plan = cropAroundFace({ x: 10.3, y: 20.7, width: 33.3, height: 41.9 }, frame, { margin: 0.37 });
    for (const value of Object.values(plan.crop)) assert.ok(Number.isInteger(value));
    assert.throws(() => cropAroundFace({ x: 0, y: 0, width: 1, height: 1 }, { width: 0, height: 10 }), RangeError);
  });
});

describe('clipBox', () => {
  it('returns the part inside, or an empty box', () => {
    assert.deepEqual(clipBox({ x: -10, y: 5, width: 30, height: 10 }, { width: 15, height: 100 }), { x: 0, y: 5, width: 15, height: 10 });
    assert.deepEqual(clipBox({ x: 50, y: 50, width: 10, height: 10 }, { width: 20, height: 20 }), { x: 20, y: 20, width: 0, height: 0 });
  });
});

describe('overlap', () => {
  it('computes IoU and containment', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    assert.equal(iou(a, a), 1);
    assert.equal(iou(a, { x: 10, y: 0, width: 10, height: 10 }), 0);
    assert.equal(iou(a, { x: 5, y: 0, width: 10, height: 10 }), 50 / 150);
    assert.equal(containment(a, { x: 2, y: 2, width: 4, height: 4 }), 1);
    assert.equal(iou(a, { x: 2, y: 2, width: 4, height: 4 }), 16 / 100);
  });

  it('suppresses duplicates, keeping the best score, and keeps separate faces', () => {
    const best = face({ x: 0, y: 0, width: 100, height: 100 }, 0.95);
    const duplicate = face({ x: 10, y: 5, width: 100, height: 100 }, 0.8);
    const inside = face({ x: 20, y: 20, width: 40, height: 40 }, 0.99);
    const other = face({ x: 300, y: 0, width: 100, height: 100 }, 0.6);
    const kept = suppressOverlaps([duplicate, other, best], {});
    assert.deepEqual(kept, [best, other]);
    // A small box inside a large one is one face seen at two scales (IoU only 0.16 here).
    assert.deepEqual(suppressOverlaps([best, inside]), [inside]);
    assert.deepEqual(suppressOverlaps([best, inside], { maxContainment: 1 }), [inside, best]);
  });

  it('merges two detectors, preferring the first one for faces both found', () => {
    const fromShort = face({ x: 100, y: 100, width: 80, height: 80 }, 0.7, [{ x: 1, y: 1 }]);
    const sameFromFull = face({ x: 95, y: 98, width: 90, height: 90 }, 0.9, [{ x: 2, y: 2 }]);
    const smallFromFull = face({ x: 400, y: 50, width: 20, height: 20 }, 0.6);
    const merged = mergeDetections([fromShort], [sameFromFull, smallFromFull]);
    assert.deepEqual(merged, [fromShort, smallFromFull]);
    assert.deepEqual(mergeDetections([], [sameFromFull]), [sameFromFull]);
  });
});
