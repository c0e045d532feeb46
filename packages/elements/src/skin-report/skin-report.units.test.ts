// The pure parts of <skin-report>: wrinkle-zone placement, the skin capture gate, polling, charts.
import { expect, fixture, html } from '@open-wc/testing';
import type { Point, QualityReport } from '@facekit/core';
import { radarPoints } from '../shared/charts.js';
import { SKIN_THRESHOLDS, SkinGate, imbalanceOf, lightBalanceOf, skinHintFor } from './capture-gate.js';
import { PollTimeoutError, pollDelay, pollUntilDone } from './poll.js';
import {
  MESH,
  anchorsFromBox,
  anchorsFromKeypoints,
  anchorsFromLandmarks,
  faceAnchors,
  placeWrinkleRegions,
  toCaptureSpace,
  wrinkleMapView,
  type WrinkleRegion,
} from './regions.js';

/** Detector keypoints of an upright frontal face: eyes 100 px apart at y 200, nose 250, mouth 310. */
const KEYPOINTS: Point[] = [
  { x: 250, y: 200 },
  { x: 350, y: 200 },
  { x: 300, y: 255 },
  { x: 300, y: 310 },
  { x: 190, y: 215 },
  { x: 410, y: 215 },
];

const byZone = (regions: WrinkleRegion[]) => Object.fromEntries(regions.map((region) => [region.zone, region]));

function rotate(points: Point[], degrees: number, centre: Point): Point[] {
  const a = (degrees * Math.PI) / 180;
  return points.map((p) => ({
    x: centre.x + (p.x - centre.x) * Math.cos(a) - (p.y - centre.y) * Math.sin(a),
    y: centre.y + (p.x - centre.x) * Math.sin(a) + (p.y - centre.y) * Math.cos(a),
  }));
}

describe('wrinkle zones placed by face anchors', () => {
  it('places the seven zones where they belong on an upright face', () => {
    const zones = byZone(placeWrinkleRegions(anchorsFromKeypoints(KEYPOINTS)!));
    expect(Object.keys(zones)).to.deep.equal(['forehead', 'glabellar', 'betweenEyes', 'underEyes', 'crowFeet', 'nasolabial', 'mouthCorners']);
    const eyeY = 200;
    // Above the eyes: forehead higher than the glabella.
    expect(zones.forehead!.shapes[0]!.cy).to.be.below(zones.glabellar!.shapes[0]!.cy);
    expect(zones.glabellar!.shapes[0]!.cy).to.be.below(eyeY);
    // Between the eyes: centred, at eye level.
    expect(zones.betweenEyes!.shapes[0]!.cx).to.be.closeTo(300, 0.01);
    expect(zones.betweenEyes!.shapes[0]!.cy).to.be.closeTo(eyeY, 15);
    // Paired zones: the subject's right on the image's left, then the left.
    const [underRight, underLeft] = zones.underEyes!.shapes;
    expect(underRight!.cx).to.be.closeTo(250, 1);
    expect(underLeft!.cx).to.be.closeTo(350, 1);
    expect(underRight!.cy).to.be.within(eyeY + 10, 255);
    const [crowRight, crowLeft] = zones.crowFeet!.shapes;
    expect(crowRight!.cx).to.be.below(250);
    expect(crowLeft!.cx).to.be.above(350);
    // Nasolabial folds run from beside the nose down to beside the mouth, outside of the nose.
    for (const [index, shape] of zones.nasolabial!.shapes.entries()) {
      expect(shape.cy).to.be.within(255, 320);
      if (index === 0) expect(shape.cx).to.be.below(300 - 30);
      else expect(shape.cx).to.be.above(300 + 30);
      expect(shape.ry).to.be.above(shape.rx);
    }
    // Mouth corners below and beside the mouth centre.
    for (const shape of zones.mouthCorners!.shapes) {
      expect(shape.cy).to.be.above(310);
      expect(Math.abs(shape.cx - 300)).to.be.above(35);
    }
    // Sizes follow the eye distance.
    expect(zones.forehead!.shapes[0]!.rx).to.be.closeTo(95, 0.01);
  });

  it('follows the face roll and scale', () => {
    const upright = placeWrinkleRegions(anchorsFromKeypoints(KEYPOINTS)!);
    const centre = { x: 300, y: 200 };
    const tilted = placeWrinkleRegions(anchorsFromKeypoints(rotate(KEYPOINTS, 20, centre))!);
    upright.forEach((region, i) => {
      region.shapes.forEach((shape, j) => {
        const moved = tilted[i]!.shapes[j]!;
        const [expected] = rotate([{ x: shape.cx, y: shape.cy }], 20, centre);
        expect(moved.cx).to.be.closeTo(expected!.x, 0.01);
        expect(moved.cy).to.be.closeTo(expected!.y, 0.01);
        expect(moved.rotation - shape.rotation).to.be.closeTo(20, 0.01);
      });
    });
    const doubled = placeWrinkleRegions(anchorsFromKeypoints(KEYPOINTS.map((p) => ({ x: p.x * 2, y: p.y * 2 })))!);
    expect(doubled[0]!.shapes[0]!.rx).to.be.closeTo(2 * upright[0]!.shapes[0]!.rx, 0.01);
  });

  it('uses dense landmarks when present (the hook for the 468-point mesh), else keypoints, else the box', () => {
    const landmarks: Point[] = Array.from({ length: 468 }, () => ({ x: 300, y: 250 }));
    landmarks[MESH.rightEyeOuter] = { x: 230, y: 200 };
    landmarks[MESH.rightEyeInner] = { x: 270, y: 200 };
    landmarks[MESH.leftEyeInner] = { x: 330, y: 200 };
    landmarks[MESH.leftEyeOuter] = { x: 370, y: 200 };
    landmarks[MESH.noseTip] = { x: 300, y: 255 };
    landmarks[MESH.upperLip] = { x: 300, y: 305 };
    landmarks[MESH.lowerLip] = { x: 300, y: 315 };
    landmarks[MESH.mouthRight] = { x: 262, y: 310 };
    landmarks[MESH.mouthLeft] = { x: 338, y: 310 };
    landmarks[MESH.browCentre] = { x: 300, y: 160 };
    landmarks[MESH.foreheadTop] = { x: 300, y: 60 };
    const box = { x: 200, y: 120, width: 200, height: 240 };
    const dense = faceAnchors({ box, keypoints: KEYPOINTS, landmarks });
    expect(dense.source).to.equal('landmarks');
    expect(dense.rightEye).to.deep.equal({ x: 250, y: 200 });
    expect(faceAnchors({ box, keypoints: KEYPOINTS }).source).to.equal('keypoints');
    expect(faceAnchors({ box, keypoints: [] }).source).to.equal('box');
    expect(anchorsFromLandmarks(landmarks.slice(0, 100))).to.equal(null);

    // The dense forehead spans from the brows to the hairline the mesh gives.
    const forehead = byZone(placeWrinkleRegions(dense)).forehead!.shapes[0]!;
    expect(forehead.cy).to.be.within(60, 160);
    const mouthCorners = byZone(placeWrinkleRegions(dense)).mouthCorners!.shapes;
    expect(mouthCorners[0]!.cx).to.be.below(262);
    expect(mouthCorners[1]!.cx).to.be.above(338);
    // Box anchors keep the zones inside the face box.
    for (const region of placeWrinkleRegions(anchorsFromBox(box))) {
      for (const shape of region.shapes) expect(shape.cx).to.be.within(box.x, box.x + box.width);
    }
  });

  it('maps keypoints from the analysed frame into the cropped capture', () => {
    const mapped = toCaptureSpace([{ x: 300, y: 200 }], { x: 200, y: 100, width: 200, height: 200 }, { x: 50, y: 60, width: 400, height: 400 });
    expect(mapped[0]).to.deep.equal({ x: 250, y: 260 });
  });
});

describe('the part of the photo the wrinkle map shows', () => {
  const regions = placeWrinkleRegions(anchorsFromKeypoints(KEYPOINTS)!);
  const inside = (view: { x: number; y: number; width: number; height: number }, x: number, y: number) =>
    x >= view.x && x <= view.x + view.width && y >= view.y && y <= view.y + view.height;

  it('holds every zone with a margin, and is much smaller than a large photo', () => {
    const view = wrinkleMapView(regions, 2000, 1600);
    for (const shape of regions.flatMap((region) => region.shapes)) {
      const reach = Math.max(shape.rx, shape.ry);
      expect(inside(view, shape.cx - reach, shape.cy - reach) && inside(view, shape.cx + reach, shape.cy + reach)).to.equal(true);
    }
    expect(view.width * view.height).to.be.below(0.1 * 2000 * 1600);
    // The margin: the crow's feet do not touch the sides.
    const crow = byZone(regions).crowFeet!.shapes;
    expect(crow[0]!.cx - crow[0]!.rx - view.x).to.be.above(20);
  });

  it('stays inside the photo when the face is at its edge, and is the whole photo without zones', () => {
    const view = wrinkleMapView(regions, 420, 360);
    expect(view.x).to.be.at.least(0);
    expect(view.y).to.be.at.least(0);
    // The zones reach past the right and bottom edges: the view stops there.
    expect(view.x + view.width).to.equal(420);
    expect(view.y + view.height).to.equal(360);
    expect(wrinkleMapView([], 640, 480)).to.deep.equal({ x: 0, y: 0, width: 640, height: 480 });
  });
});

describe('the skin capture gate', () => {
  const good: QualityReport = {
    faceCount: 1,
    faceSize: 0.5,
    centerOffset: { x: 0, y: 0 },
    centred: true,
    yaw: 0,
    pitch: 0,
    frontal: true,
    brightness: 130,
    sharpness: 200,
    motion: 0,
    score: 0.9,
  };
  const even = { left: 130, right: 128 };

  it('asks for each problem in priority order', () => {
    expect(skinHintFor(null, null)).to.equal('no-face');
    expect(skinHintFor({ ...good, faceCount: 2 }, even)).to.equal('many-faces');
    expect(skinHintFor({ ...good, faceSize: 0.3 }, even)).to.equal('move-closer'); // fine for the kit, too small for skin
    expect(skinHintFor({ ...good, faceSize: 0.8 }, even)).to.equal('move-back');
    expect(skinHintFor({ ...good, centerOffset: { x: 0.32, y: 0 } }, even)).to.equal('center-face');
    expect(skinHintFor({ ...good, yaw: 15 }, even)).to.equal('look-at-camera'); // the kit allows 20°
    expect(skinHintFor({ ...good, brightness: 60 }, even)).to.equal('too-dark');
    expect(skinHintFor({ ...good, brightness: 210 }, even)).to.equal('too-bright');
    expect(skinHintFor(good, { left: 150, right: 90 })).to.equal('uneven-light');
    expect(skinHintFor({ ...good, sharpness: 50 }, even)).to.equal('blurry');
    expect(skinHintFor({ ...good, motion: 0.05 }, even)).to.equal('hold-still');
    expect(skinHintFor(good, even)).to.equal('ok');
    // Light that cannot be measured does not block the photo.
    expect(skinHintFor(good, null)).to.equal('ok');
  });

  it('stays a subset of the kit gate, so that the worker keeps a frame whenever the skin gate passes', () => {
    expect(SKIN_THRESHOLDS.maxFaceSize).to.be.at.most(0.75);
    expect(SKIN_THRESHOLDS.minFaceSize).to.be.at.least(0.25);
    expect(SKIN_THRESHOLDS.maxYaw).to.be.at.most(20);
    expect(SKIN_THRESHOLDS.minBrightness).to.be.at.least(50);
    expect(SKIN_THRESHOLDS.maxBrightness).to.be.at.most(215);
  });

  it('needs the frames in a row', () => {
    const gate = new SkinGate(3);
    expect([gate.update('ok'), gate.update('ok'), gate.update('uneven-light'), gate.update('ok'), gate.update('ok'), gate.update('ok')]).to.deep.equal([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it('measures the light of the two halves of the face', () => {
    const width = 8;
    const height = 4;
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = (y * width + x) * 4;
        const v = x < 4 ? 200 : 100;
        rgba.set([v, v, v, 255], p);
      }
    }
    const light = lightBalanceOf(rgba, width, height, { x: 0, y: 0, width: 8, height: 4 })!;
    expect(light.left).to.be.closeTo(200, 0.5);
    expect(light.right).to.be.closeTo(100, 0.5);
    expect(imbalanceOf(light)).to.be.closeTo(0.5, 0.01);
  });
});

describe('polling with backoff', () => {
  it('grows the wait from the endpoint’s suggestion, within bounds', () => {
    expect([0, 1, 2, 3].map((n) => pollDelay(n, 2000))).to.deep.equal([2000, 3000, 4500, 6750]);
    expect(pollDelay(10, 2000)).to.equal(8000);
    expect(pollDelay(0, 10)).to.equal(250);
    expect(pollDelay(0, null)).to.equal(2000);
  });

  it('stops at the time limit, with a fake clock', async () => {
    let now = 0;
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      now += ms;
    };
    let steps = 0;
    const error = await pollUntilDone(
      async () => {
        steps++;
        return { done: false, retryAfterMs: 1000 };
      },
      { signal: new AbortController().signal, timeoutMs: 10_000, retryAfterMs: 1000, now: () => now, sleep },
    ).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PollTimeoutError);
    // 1000, 1500, 2250, 3375, then the 1875 ms left: never past the limit.
    expect(waits).to.deep.equal([1000, 1500, 2250, 3375, 1875]);
    expect(steps).to.equal(5);
  });

  it('returns the value once done', async () => {
    let calls = 0;
    const value = await pollUntilDone(async () => (++calls < 3 ? { done: false } : { done: true, value: 'report' }), {
      signal: new AbortController().signal,
      timeoutMs: 60_000,
      sleep: async () => {},
    });
    expect(value).to.equal('report');
    expect(calls).to.equal(3);
  });
});

describe('radar geometry', () => {
  it('puts the first axis up and goes clockwise', () => {
    const points = radarPoints([1, 1, 1, 1], { cx: 0, cy: 0, r: 10 });
    expect(points[0]!.x).to.be.closeTo(0, 1e-9);
    expect(points[0]!.y).to.be.closeTo(-10, 1e-9);
    expect(points[1]!.x).to.be.closeTo(10, 1e-9);
    expect(points[2]!.y).to.be.closeTo(10, 1e-9);
    const clamped = radarPoints([2, -1, null], { cx: 0, cy: 0, r: 10 });
    expect(clamped[0]!.y).to.be.closeTo(-10, 1e-9);
    expect(clamped[1]!.x).to.be.closeTo(0, 1e-9);
  });

  it('renders nothing inaccessible on its own', async () => {
    const { radarChart } = await import('../shared/charts.js');
    const el = await fixture(html`<div>
      ${radarChart({
        id: 'r',
        title: 'Concerns',
        description: 'Two axes',
        axes: [
          { label: 'A', value: 0.5, display: '50', previous: 0.4, change: '+10' },
          { label: 'B', value: 0.9, display: '90', previous: 0.9, change: '0' },
          { label: 'C', value: null, display: '—' },
        ],
        columns: { label: 'Axis', value: 'Score', change: 'Change' },
        previousLabel: 'Before',
        currentLabel: 'Now',
      })}
    </div>`);
    expect(el.querySelector('svg[role="img"] title')!.textContent).to.equal('Concerns');
    expect(el.querySelectorAll('table tbody tr')).to.have.length(3);
    expect(el.querySelector('.radar-previous')).to.exist;
    await expect(el).to.be.accessible();
  });
});
