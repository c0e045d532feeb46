import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assessQuality,
  DEFAULT_THRESHOLDS,
  estimateHeadPose,
  faceMotion,
  hintFor,
  laplacianVariance,
  mainFace,
  meanLuma,
  QualityGate,
  qualityScore,
  rgbaToLuma,
  withThresholds,
  type LumaImage,
} from './quality.js';
import type { DetectedFace, Point, QualityReport } from './types.js';

// Keypoints the short-range detector gave on the photo fixtures (scripts/fixtures.mjs):
// right eye, left eye, nose tip, mouth, right ear, left ear.
/** astronaut.png, 512×512: a frontal face. */
const ASTRONAUT: DetectedFace = {
  box: { x: 177, y: 82, width: 95, height: 95 },
  keypoints: [
    { x: 201.5, y: 104.9 },
    { x: 245.8, y: 109.1 },
    { x: 220.4, y: 127.3 },
    { x: 219.8, y: 148.6 },
    { x: 178.2, y: 115.7 },
    { x: 272.2, y: 123.9 },
  ],
  score: 0.92,
};
/** face_swapped.jpg, 320×320: the head is turned towards the image's left (the nose nears the right ear). */
const TURNED_LEFT: DetectedFace = {
  box: { x: 106, y: 89, width: 118, height: 118 },
  keypoints: [
    { x: 130.4, y: 119.7 },
    { x: 179.2, y: 119.8 },
    { x: 146.1, y: 146.6 },
    { x: 149.7, y: 172.7 },
    { x: 116.8, y: 133.6 },
    { x: 220.5, y: 134.8 },
  ],
  score: 0.95,
};
/** facereg.jpg, 200×200, bottom-left face: turned towards the image's right. */
const TURNED_RIGHT: DetectedFace = {
  box: { x: 14, y: 119, width: 62, height: 62 },
  keypoints: [
    { x: 39.3, y: 134.5 },
    { x: 65.3, y: 137.8 },
    { x: 55.4, y: 150.3 },
    { x: 52.1, y: 163.9 },
    { x: 16.8, y: 140.5 },
    { x: 72, y: 146.4 },
  ],
  score: 0.93,
};

/** The same face seen in a mirror: x flipped, and the subject's left and right swap roles. */
function mirror(keypoints: Point[], width: number): Point[] {
  const flipped = keypoints.map((p) => ({ x: width - p.x, y: p.y }));
  return [flipped[1]!, flipped[0]!, flipped[2]!, flipped[3]!, flipped[5]!, flipped[4]!];
}

function rotate(keypoints: Point[], degrees: number, centre: Point): Point[] {
  const a = (degrees * Math.PI) / 180;
  return keypoints.map((p) => ({
    x: centre.x + (p.x - centre.x) * Math.cos(a) - (p.y - centre.y) * Math.sin(a),
    y: centre.y + (p.x - centre.x) * Math.sin(a) + (p.y - centre.y) * Math.cos(a),
  }));
}

function flatLuma(value: number, width = 96, height = 96): LumaImage {
  return { data: new Uint8ClampedArray(width * height).fill(value), width, height };
}

/** A textured face sample: mid-grey with a 2 px checker of ±40, sharp enough for the gate. */
function texturedLuma(width = 96, height = 96): LumaImage {
  const data = new Uint8ClampedArray(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = (Math.floor(x / 2) + Math.floor(y / 2)) % 2 ? 170 : 90;
  }
  return { data, width, height };
}

/** A face of the given size centred at (cx, cy) with frontal keypoints scaled from the astronaut's. */
function faceAt(cx: number, cy: number, size: number, score = 0.9): DetectedFace {
  const scale = size / ASTRONAUT.box.width;
  const ox = ASTRONAUT.box.x + ASTRONAUT.box.width / 2;
  const oy = ASTRONAUT.box.y + ASTRONAUT.box.height / 2;
  return {
    box: { x: cx - size / 2, y: cy - size / 2, width: size, height: size },
    keypoints: ASTRONAUT.keypoints.map((p) => ({ x: cx + (p.x - ox) * scale, y: cy + (p.y - oy) * scale })),
    score,
  };
}

const FRAME = { width: 640, height: 480 };

function passingReport(overrides: Partial<QualityReport> = {}): QualityReport {
  return {
    faceCount: 1,
    faceSize: 0.4,
    centerOffset: { x: 0, y: 0 },
    centred: true,
    yaw: 0,
    pitch: 0,
    frontal: true,
    brightness: 130,
    sharpness: 200,
    motion: 0,
    score: 0.9,
    ...overrides,
  };
}

describe('estimateHeadPose', () => {
  it('reads a frontal face as frontal', () => {
    const pose = estimateHeadPose(ASTRONAUT.keypoints)!;
    assert.ok(Math.abs(pose.yaw) < 6, `yaw ${pose.yaw}`);
    assert.ok(Math.abs(pose.pitch) < 8, `pitch ${pose.pitch}`);
  });

  it('gives turned heads the sign of the side they turn to', () => {
    const left = estimateHeadPose(TURNED_LEFT.keypoints)!;
    const right = estimateHeadPose(TURNED_RIGHT.keypoints)!;
    assert.ok(left.yaw < -10 && left.yaw > -30, `turned left: yaw ${left.yaw}`);
    assert.ok(right.yaw > 10 && right.yaw < 30, `turned right: yaw ${right.yaw}`);
  });

  it('flips the yaw sign in a mirror and keeps the pitch', () => {
    const pose = estimateHeadPose(TURNED_LEFT.keypoints)!;
    const mirrored = estimateHeadPose(mirror(TURNED_LEFT.keypoints, 320))!;
    assert.ok(Math.abs(mirrored.yaw + pose.yaw) < 1e-9, `${mirrored.yaw} vs ${pose.yaw}`);
    assert.ok(Math.abs(mirrored.pitch - pose.pitch) < 1e-9);
  });

  it('ignores roll: a tilted head gives the same yaw and pitch', () => {
    const pose = estimateHeadPose(TURNED_LEFT.keypoints)!;
    for (const degrees of [-35, 20, 90]) {
      const tilted = estimateHeadPose(rotate(TURNED_LEFT.keypoints, degrees, { x: 160, y: 160 }))!;
      assert.ok(Math.abs(tilted.yaw - pose.yaw) < 1e-6, `roll ${degrees}: yaw ${tilted.yaw}`);
      assert.ok(Math.abs(tilted.pitch - pose.pitch) < 1e-6, `roll ${degrees}: pitch ${tilted.pitch}`);
    }
  });

  it('reads the chin going up as positive pitch, and down as negative', () => {
    const [rightEye, leftEye, nose, mouth, rightEar, leftEar] = ASTRONAUT.keypoints as [Point, Point, Point, Point, Point, Point];
    const frontal = estimateHeadPose(ASTRONAUT.keypoints)!;
    // Chin up: what lies in front of the ears (nose, mouth) rises relative to the ears and eyes.
    const lift = (p: Point, dy: number) => ({ x: p.x, y: p.y - dy });
    const chinUp = estimateHeadPose([rightEye, leftEye, lift(nose, 6), lift(mouth, 4), lift(rightEar, -5), lift(leftEar, -5)])!;
    const chinDown = estimateHeadPose([rightEye, leftEye, lift(nose, -6), lift(mouth, -4), lift(rightEar, 5), lift(leftEar, 5)])!;
    assert.ok(chinUp.pitch > frontal.pitch + 10, `chin up ${chinUp.pitch}`);
    assert.ok(chinDown.pitch < frontal.pitch - 10, `chin down ${chinDown.pitch}`);
    assert.ok(Math.abs(chinUp.yaw - frontal.yaw) < 3);
  });

  it('falls back to the nose when the ears are misplaced, and gives up without eyes', () => {
    const [rightEye, leftEye, nose, mouth] = TURNED_LEFT.keypoints as [Point, Point, Point, Point];
    const collapsedEars = [rightEye, leftEye, nose, mouth, nose, nose];
    const pose = estimateHeadPose(collapsedEars)!;
    assert.ok(Number.isFinite(pose.yaw) && pose.yaw < -10);
    assert.ok(estimateHeadPose([rightEye, leftEye, nose, mouth])!.yaw < -10);
    assert.equal(estimateHeadPose([rightEye, rightEye, nose, mouth]), null);
    assert.equal(estimateHeadPose([rightEye, leftEye]), null);
  });
});

describe('luma measures', () => {
  it('converts RGBA with BT.601 weights', () => {
    const rgba = [255, 255, 255, 255, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255];
    assert.deepEqual(Array.from(rgbaToLuma(rgba, 4, 1).data), [255, 76, 150, 29]);
  });

  it('measures the mean', () => {
    assert.equal(meanLuma(flatLuma(77)), 77);
    assert.equal(meanLuma({ data: [0, 100, 200, 100], width: 2, height: 2 }), 100);
  });

  it('gives the Laplacian variance: zero when flat, exact on a checkerboard, lower when blurred', () => {
    assert.equal(laplacianVariance(flatLuma(120)), 0);
    const side = 8;
    const checker = Array.from({ length: side * side }, (_, i) => ((i % side) + Math.floor(i / side)) % 2 ? 255 : 0);
    // Every inner pixel differs from its four neighbours by ±255: Laplacian ±1020, mean 0.
    assert.equal(laplacianVariance({ data: checker, width: side, height: side }), 1020 * 1020);
    const sharp = texturedLuma();
    const blurred = boxBlur(sharp);
    assert.ok(laplacianVariance(blurred) < laplacianVariance(sharp) / 4);
    assert.equal(laplacianVariance({ data: [1, 2, 3, 4], width: 2, height: 2 }), 0);
  });
});

function boxBlur(image: LumaImage): LumaImage {
  const { width, height, data } = image;
  const out = new Uint8ClampedArray(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let count = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const sx = x + dx;
          const sy = y + dy;
          if (sx >= 0 && sy >= 0 && sx < width && sy < height) {
            sum += data[sy * width + sx]!;
            count++;
          }
        }
      }
      out[y * width + x] = sum / count;
    }
  }
  return { data: out, width, height };
}

describe('assessQuality', () => {
  it('returns null without a face', () => {
    assert.equal(assessQuality({ faces: [], frame: FRAME, faceLuma: texturedLuma() }), null);
  });

  it('measures size, centring against the guide oval, pose, light and sharpness', () => {
    const report = assessQuality({ faces: [faceAt(320, 240, 192)], frame: FRAME, faceLuma: texturedLuma() })!;
    assert.equal(report.faceCount, 1);
    assert.equal(report.faceSize, 0.4);
    assert.deepEqual(report.centerOffset, { x: 0, y: 0 });
    assert.equal(report.centred, true);
    assert.equal(report.frontal, true);
    assert.equal(report.brightness, 130);
    assert.ok(report.sharpness > DEFAULT_THRESHOLDS.minSharpness);
    assert.equal(report.motion, 0);
    assert.ok(report.score > 0.8 && report.score <= 1, `score ${report.score}`);
    assert.equal(hintFor(report), 'ok');
  });

  it('expresses the offset in guide half-sizes (the oval is 0.3 × 0.4 of the shorter side)', () => {
    // Guide at 640×480: centre (320, 240), rx 144, ry 192.
    const right = assessQuality({ faces: [faceAt(320 + 72, 240, 192)], frame: FRAME, faceLuma: texturedLuma() })!;
    assert.deepEqual(right.centerOffset, { x: 0.5, y: 0 });
    assert.equal(right.centred, false);
    const inside = assessQuality({ faces: [faceAt(320 + 0.35 * 144, 240, 192)], frame: FRAME, faceLuma: texturedLuma() })!;
    assert.equal(inside.centred, true);
    const up = assessQuality({ faces: [faceAt(320, 240 - 96, 192)], frame: FRAME, faceLuma: texturedLuma() })!;
    assert.deepEqual(up.centerOffset, { x: 0, y: -0.5 });
    assert.equal(hintFor(up), 'center-face');
  });

  it('works on the largest face and counts all of them', () => {
    const small = faceAt(100, 100, 60, 0.99);
    const large = faceAt(320, 240, 192, 0.7);
    assert.equal(mainFace([small, large]), large);
    const report = assessQuality({ faces: [small, large], frame: FRAME, faceLuma: texturedLuma() })!;
    assert.equal(report.faceCount, 2);
    assert.equal(report.faceSize, 0.4);
    assert.equal(hintFor(report), 'many-faces');
  });

  it('measures motion in face widths against the previous box', () => {
    const face = faceAt(330, 240, 200);
    assert.equal(faceMotion(face.box, { x: 220, y: 140, width: 200, height: 200 }), 0.05);
    assert.equal(faceMotion(face.box, null), 0);
    const report = assessQuality({
      faces: [face],
      frame: FRAME,
      faceLuma: texturedLuma(),
      previousFace: { x: 200, y: 140, width: 200, height: 200 },
    })!;
    assert.ok(Math.abs(report.motion - 0.15) < 1e-9);
    assert.equal(hintFor(report), 'hold-still');
  });

  it('scores a worse frame lower', () => {
    const good = assessQuality({ faces: [faceAt(320, 240, 192)], frame: FRAME, faceLuma: texturedLuma() })!;
    const dark = assessQuality({ faces: [faceAt(320, 240, 192)], frame: FRAME, faceLuma: flatLuma(30) })!;
    const turned = { ...good, yaw: 25 };
    assert.ok(dark.score < good.score);
    assert.ok(qualityScore(turned, DEFAULT_THRESHOLDS, 0.9) < qualityScore(good, DEFAULT_THRESHOLDS, 0.9));
    assert.ok(qualityScore(good, DEFAULT_THRESHOLDS, 0.5) < qualityScore(good, DEFAULT_THRESHOLDS, 1));
  });
});

describe('hintFor', () => {
  const t = DEFAULT_THRESHOLDS;

  it('says no-face without a report', () => {
    assert.equal(hintFor(null), 'no-face');
    assert.equal(hintFor(passingReport({ faceCount: 0 })), 'no-face');
  });

  it('applies the limits inclusively', () => {
    assert.equal(hintFor(passingReport({ faceSize: t.minFaceSize })), 'ok');
    assert.equal(hintFor(passingReport({ faceSize: t.minFaceSize - 1e-9 })), 'move-closer');
    assert.equal(hintFor(passingReport({ faceSize: t.maxFaceSize })), 'ok');
    assert.equal(hintFor(passingReport({ faceSize: t.maxFaceSize + 1e-9 })), 'move-back');
    assert.equal(hintFor(passingReport({ brightness: t.minBrightness })), 'ok');
    assert.equal(hintFor(passingReport({ brightness: t.minBrightness - 0.1 })), 'too-dark');
    assert.equal(hintFor(passingReport({ brightness: t.maxBrightness + 0.1 })), 'too-bright');
    assert.equal(hintFor(passingReport({ sharpness: t.minSharpness })), 'ok');
    assert.equal(hintFor(passingReport({ sharpness: t.minSharpness - 0.1 })), 'blurry');
    assert.equal(hintFor(passingReport({ motion: t.maxMotion })), 'ok');
    assert.equal(hintFor(passingReport({ motion: t.maxMotion + 1e-9 })), 'hold-still');
    assert.equal(hintFor(passingReport({ frontal: false })), 'look-at-camera');
  });

  it('follows the priority order when everything is wrong', () => {
    const steps: [Partial<QualityReport>, string][] = [
      [{ faceCount: 2 }, 'many-faces'],
      [{ faceSize: 0.1 }, 'move-closer'],
      [{ centred: false }, 'center-face'],
      [{ frontal: false }, 'look-at-camera'],
      [{ brightness: 20 }, 'too-dark'],
      [{ sharpness: 1 }, 'blurry'],
      [{ motion: 1 }, 'hold-still'],
    ];
    // Each step's fault stays while the later ones are added; the earliest one wins.
    for (let i = 0; i < steps.length; i++) {
      const report = passingReport(Object.assign({}, ...steps.slice(i).map(([fault]) => fault)));
      assert.equal(hintFor(report), steps[i]![1], `with faults from ${steps[i]![1]} on`);
    }
    assert.equal(hintFor(passingReport({ faceSize: 0.9, brightness: 250 })), 'move-back');
  });

  it('uses the thresholds given', () => {
    const strict = withThresholds({ minSharpness: 500 });
    assert.equal(hintFor(passingReport({ sharpness: 200 }), strict), 'blurry');
    assert.equal(strict.minFaceSize, DEFAULT_THRESHOLDS.minFaceSize);
    assert.equal(withThresholds({ maxYaw: Number.NaN }).maxYaw, DEFAULT_THRESHOLDS.maxYaw);
  });
});

describe('QualityGate', () => {
  it('is ready after the configured number of ok frames in a row', () => {
    const gate = new QualityGate();
    const results = Array.from({ length: 6 }, () => gate.update('ok'));
    assert.deepEqual(
      results.map((r) => [r.stableFrames, r.ready]),
      [
        [1, false],
        [2, false],
        [3, false],
        [4, false],
        [5, true],
        [6, true],
      ],
    );
  });

  it('starts again after any other hint, including hold-still', () => {
    const gate = new QualityGate(2);
    gate.update('ok');
    assert.deepEqual(gate.update('hold-still'), { stableFrames: 0, ready: false });
    gate.update('ok');
    assert.equal(gate.update('ok').ready, true);
    gate.reset();
    assert.equal(gate.ready, false);
    assert.equal(gate.count, 0);
  });

  it('refuses a count below one', () => {
    assert.throws(() => new QualityGate(0), RangeError);
  });
});
