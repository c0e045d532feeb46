import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultFaceRatio,
  frameIdPhoto,
  HEAD_TOP_ABOVE_FACE,
  headTopFromMask,
  ID_PHOTO_WARNING_LIMITS,
  IdPhotoParamError,
  idPhotoWarnings,
  lightDifference,
  personBottomFromMask,
  rollDegrees,
  type IdPhotoFramingInput,
  type MaskImage,
} from './id-photo-framing.js';
import { backgroundAt, GRADUAL_TINT, ID_PHOTO_RGB } from './id-photo-background.js';
import { findSpec, ID_PHOTO_SPECS } from './id-photo-specs.js';
import type { DetectedFace } from './types.js';

const close = (actual: number, expected: number, message?: string, tolerance = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${message ?? ''} ${actual} ≠ ${expected}`);

/**
 * A 1000×1500 source with a face box 200×200 at (400, 500) and the head top at y 380: the face
 * (crown to chin) is 700 − 380 = 320 px tall, its centre at y 540.
 */
const base: IdPhotoFramingInput = {
  source: { width: 1000, height: 1500 },
  face: { x: 400, y: 500, width: 200, height: 200 },
  headTop: 380,
  output: { width: 295, height: 413 },
};

describe('frameIdPhoto: faceRatio and faceCenterRange', () => {
  it('scales the face (crown to chin) to faceRatio of the height and centres it at 0.45 by default', () => {
    const framing = frameIdPhoto(base);
    close(framing.faceRatio, 0.5);
    close(framing.faceCenterRange, 0.45);
    close(framing.scale, (0.5 * 413) / 320);
    close(framing.faceHeight, 0.5 * 413);
    close(framing.faceCenterY, 0.45 * 413);
    close(framing.faceTop, (0.45 - 0.25) * 413);
    close(framing.headTop, framing.faceTop);
    close(framing.topEmpty, 0.2 * 413, 'the defaults leave 20 % of the height above the head');
    close(framing.faceCenterX, 295 / 2);
    // The chin is the face box's bottom.
    close(framing.faceBoxTop + framing.faceBoxHeight, framing.faceTop + framing.faceHeight);
    // The source crop: 320 / (0.5 × 413) source px per output px.
    const perOutput = 320 / (0.5 * 413);
    close(framing.crop.width, 295 * perOutput);
    close(framing.crop.height, 413 * perOutput);
    close(framing.crop.x, 500 - (295 * perOutput) / 2);
    close(framing.crop.y, 540 - 0.45 * 413 * perOutput);
    assert.equal(framing.topEmptyShift, 0);
    assert.equal(framing.floatShift, 0);
    assert.deepEqual(framing.pad, { top: 0, right: 0, bottom: 0, left: 0 });
  });

  it('honours other faceRatio and faceCenterRange values', () => {
    for (const [faceRatio, faceCenterRange] of [[0.4, 0.45], [0.6, 0.5], [0.55, 0.4]] as const) {
      const framing = frameIdPhoto({ ...base, faceRatio, faceCenterRange });
      close(framing.faceHeight / 413, faceRatio, 'ratio');
      close(framing.faceCenterY / 413, faceCenterRange, 'centre');
    }
  });

  it('estimates the head top from the face box when the mask gives none', () => {
    const framing = frameIdPhoto({ ...base, headTop: undefined });
    const headTop = 500 - HEAD_TOP_ABOVE_FACE * 200;
    close(framing.faceHeight, 0.5 * 413);
    close(framing.crop.y + framing.headTop / framing.scale, headTop);
  });

  it('takes 0.5 by default and 0.4 for the half-body and life photos', () => {
    assert.equal(defaultFaceRatio(findSpec('one-inch')!), 0.5);
    assert.equal(defaultFaceRatio(findSpec('us-visa')!), 0.5);
    const small = ID_PHOTO_SPECS.filter((spec) => defaultFaceRatio(spec) === 0.4).map((spec) => spec.title);
    assert.deepEqual(small, ['半身职业照', '工商银行网申生活照']);
  });

  it('pads where the crop leaves a small source', () => {
    const framing = frameIdPhoto({ ...base, source: { width: 700, height: 800 }, face: { x: 450, y: 300, width: 200, height: 200 }, headTop: 180 });
    assert.ok(framing.pad.right > 0, 'the crop runs past the right edge');
    close(framing.pad.right, (framing.crop.x + framing.crop.width - 700) * framing.scale);
    assert.equal(framing.pad.left, 0);
  });
});

describe('frameIdPhoto: topEmpty', () => {
  // The defaults put the head top at 0.2 × 413 = 82.6 px.
  it('moves the person down when there is too little space above the head', () => {
    const framing = frameIdPhoto({ ...base, topEmpty: [100, 150] });
    close(framing.topEmpty, 100);
    close(framing.topEmptyShift, 100 - 82.6, 'shift', 1e-9);
    close(framing.faceHeight, 0.5 * 413, 'the scale is unchanged');
  });

  it('moves the person up when there is too much', () => {
    const framing = frameIdPhoto({ ...base, topEmpty: [10, 30] });
    close(framing.topEmpty, 30);
    close(framing.topEmptyShift, 30 - 82.6, 'shift', 1e-9);
    close(framing.faceCenterY, 0.45 * 413 - 52.6, 'centre', 1e-9);
  });

  it('leaves a head top already within the range', () => {
    const framing = frameIdPhoto({ ...base, topEmpty: [50, 100] });
    close(framing.topEmpty, 82.6, 'top', 1e-9);
    assert.equal(framing.topEmptyShift, 0);
  });

  it('checks the range as the document states it', () => {
    const invalid: [number, number][] = [[0, 0], [30, 10], [30, 30], [10, 413], [-5, 10]];
    for (const topEmpty of invalid) {
      assert.throws(() => frameIdPhoto({ ...base, topEmpty }), (error: unknown) => error instanceof IdPhotoParamError && error.field === 'topEmpty', String(topEmpty));
    }
    assert.doesNotThrow(() => frameIdPhoto({ ...base, topEmpty: [0, 10] }));
    for (const faceRatio of [0, 1, 1.2, -0.1]) assert.throws(() => frameIdPhoto({ ...base, faceRatio }), IdPhotoParamError);
    for (const faceCenterRange of [0, 1]) assert.throws(() => frameIdPhoto({ ...base, faceCenterRange }), IdPhotoParamError);
  });
});

describe('frameIdPhoto: the body must not float', () => {
  it('moves the person down to the bottom edge when the source ends above the crop bottom', () => {
    // A source that ends 100 px below the chin: at 0.5 / 0.45 the crop reaches much further down.
    const short = { ...base, source: { width: 1000, height: 800 } };
    const unchecked = frameIdPhoto({ ...short, personBottom: 5000 });
    const bottomBefore = (800 - unchecked.crop.y) * unchecked.scale;
    assert.ok(bottomBefore < 413, `the body would end at ${bottomBefore} px`);

    const framing = frameIdPhoto(short);
    close(framing.floatShift, 413 - bottomBefore, 'shift', 1e-9);
    close(framing.personBottom, 413, 'the body reaches the bottom edge', 1e-9);
    close(framing.crop.y + framing.crop.height, 800, 'the crop ends with the source', 1e-9);
    close(framing.faceHeight, 0.5 * 413, 'the scale is unchanged');
    assert.ok(framing.faceCenterY > 0.45 * 413, 'the face sits lower than 0.45');
    assert.ok(framing.pad.bottom < 1e-9, 'nothing below the source is shown');
  });

  it('uses the person mask bottom, and wins over topEmpty (the document checks it last)', () => {
    const framing = frameIdPhoto({ ...base, personBottom: 760, topEmpty: [10, 30] });
    close(framing.personBottom, 413, 'bottom', 1e-9);
    assert.ok(framing.topEmptyShift < 0, 'topEmpty moved the person up first');
    assert.ok(framing.floatShift > 0, 'then the person was moved down again');
    assert.ok(framing.topEmpty > 30, 'so topEmpty is no longer met');
  });

  it('does nothing when the person reaches below the crop', () => {
    const framing = frameIdPhoto({ ...base, personBottom: 1500 });
    assert.equal(framing.floatShift, 0);
    assert.ok(framing.personBottom > 413);
  });
});

/** A mask from a predicate on (x, y). */
function mask(width: number, height: number, person: (x: number, y: number) => boolean): MaskImage {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = person(x, y) ? 0.95 : 0.05;
  return { data, width, height };
}

describe('reading the person mask', () => {
  // A head (circle of radius 40 at (100, 80)) on shoulders from y 140 to the bottom.
  const head = (x: number, y: number) => (x - 100) ** 2 + (y - 80) ** 2 <= 40 ** 2 || (y >= 140 && y < 200 && x >= 30 && x < 170);
  const face = { x: 75, y: 65, width: 50, height: 55 };

  it('finds the head top over the face columns, ignoring background blobs above it', () => {
    const withBlob = (x: number, y: number) => head(x, y) || (y < 20 && x > 90 && x < 110);
    const top = headTopFromMask(mask(200, 200, withBlob), face);
    assert.ok(top);
    // The crown is at 80 − 40 = 40; the columns 90…110 of the circle start at 40…42.
    assert.ok(top.y >= 40 && top.y <= 42, `top ${top.y}`);
    assert.equal(top.touchesTop, false);
  });

  it('reports a head cut by the top edge, and no top when the mask misses the face', () => {
    const cut = headTopFromMask(mask(200, 200, (x, y) => head(x, y + 50)), { ...face, y: face.y - 50 });
    assert.deepEqual(cut, { y: 0, touchesTop: true });
    assert.equal(headTopFromMask(mask(200, 200, () => false), face), undefined);
  });

  it('finds where the person ends', () => {
    assert.equal(personBottomFromMask(mask(200, 200, head)), 200);
    assert.equal(personBottomFromMask(mask(200, 300, head)), 200);
    assert.equal(personBottomFromMask(mask(200, 200, () => false)), 0);
  });
});

describe('warnings', () => {
  /** Keypoints of a frontal face: eyes level, nose and mouth centred, ears outside. */
  const frontal = (roll = 0): DetectedFace['keypoints'] => {
    const points = [
      { x: -30, y: 0 },
      { x: 30, y: 0 },
      { x: 0, y: 31 },
      { x: 0, y: 62 },
      { x: -70, y: 14 },
      { x: 70, y: 14 },
    ];
    const angle = (roll * Math.PI) / 180;
    return points.map(({ x, y }) => ({ x: 200 + x * Math.cos(angle) - y * Math.sin(angle), y: 200 + x * Math.sin(angle) + y * Math.cos(angle) }));
  };
  const luma = (left: number, right: number) => {
    const data = new Uint8ClampedArray(96 * 96);
    for (let y = 0; y < 96; y++) for (let x = 0; x < 96; x++) data[y * 96 + x] = x < 48 ? left : right;
    return { data, width: 96, height: 96 };
  };
  const input = (overrides: Partial<Parameters<typeof idPhotoWarnings>[0]> = {}) => ({
    faceCount: 1,
    face: { box: { x: 150, y: 150, width: 100, height: 100 }, keypoints: frontal(), score: 0.9 },
    sourceFaceHeight: 200,
    outputFaceHeight: 150,
    faceLuma: luma(150, 150),
    headCut: false,
    ...overrides,
  });
  const codes = (overrides?: Parameters<typeof input>[0]) => idPhotoWarnings(input(overrides)).warnings.map((warning) => warning.code);

  it('has nothing to say about a good photo, and says that the eyes were not checked', () => {
    const result = idPhotoWarnings(input());
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.skippedChecks, ['eyes-closed']);
    close(result.roll!, 0);
  });

  it('warns about a face enlarged more than 1.5×', () => {
    assert.deepEqual(codes({ sourceFaceHeight: 100, outputFaceHeight: 149 }), []);
    assert.deepEqual(codes({ sourceFaceHeight: 100, outputFaceHeight: 151 }), ['face-too-small']);
  });

  it('warns about a tilted head from the eye line', () => {
    close(rollDegrees(frontal(12))!, 12, 'roll', 1e-9);
    assert.deepEqual(codes({ face: { box: { x: 0, y: 0, width: 100, height: 100 }, keypoints: frontal(5), score: 1 } }), []);
    assert.deepEqual(codes({ face: { box: { x: 0, y: 0, width: 100, height: 100 }, keypoints: frontal(-12), score: 1 } }), ['tilted']);
  });

  it('warns about a turned face', () => {
    const turned = frontal().map((point, index) => (index === 2 || index === 3 ? { x: point.x + 25, y: point.y } : point));
    assert.deepEqual(codes({ face: { box: { x: 0, y: 0, width: 100, height: 100 }, keypoints: turned, score: 1 } }), ['not-frontal']);
  });

  it('counts a turn that only the other detector model sees', () => {
    const turned = frontal().map((point, index) => (index === 2 || index === 3 ? { x: point.x + 25, y: point.y } : point));
    const other = { box: { x: 150, y: 150, width: 100, height: 100 }, keypoints: turned, score: 0.8 };
    const result = idPhotoWarnings(input({ sameFace: [other] }));
    assert.deepEqual(result.warnings.map((warning) => warning.code), ['not-frontal']);
    assert.ok(result.warnings[0]!.value > 20);
  });

  it('warns about closed eyes when landmarks give the openness', () => {
    const open = idPhotoWarnings(input({ eyeOpenness: { left: 0.3, right: 0.28 } }));
    assert.deepEqual(open.warnings, []);
    assert.deepEqual(open.skippedChecks, []);
    assert.deepEqual(codes({ eyeOpenness: { left: 0.3, right: 0.05 } }), ['eyes-closed']);
  });

  it('warns about light from one side', () => {
    close(lightDifference(luma(100, 160)), 60);
    assert.deepEqual(codes({ faceLuma: luma(125, 160) }), []);
    assert.deepEqual(codes({ faceLuma: luma(90, 160) }), ['uneven-light']);
    assert.equal(ID_PHOTO_WARNING_LIMITS.lightDifference, 40);
  });

  it('warns about several faces and a cut head', () => {
    assert.deepEqual(codes({ faceCount: 2, headCut: true }), ['many-faces', 'head-cut']);
  });
});

describe('background colours', () => {
  it('gives plain colours on every row and gradients from the colour to a light tint', () => {
    assert.deepEqual(backgroundAt('blue', 0, 400), ID_PHOTO_RGB.blue);
    assert.deepEqual(backgroundAt('white', 399, 400), [255, 255, 255]);
    assert.deepEqual(backgroundAt('blue_gradual', 0, 400), ID_PHOTO_RGB.blue);
    const bottom = backgroundAt('blue_gradual', 399, 400);
    ID_PHOTO_RGB.blue.forEach((channel, i) => close(bottom[i]!, channel + (255 - channel) * GRADUAL_TINT));
    for (const color of ['gray_gradual', 'red_gradual'] as const) {
      assert.ok(backgroundAt(color, 399, 400)[1] > backgroundAt(color, 0, 400)[1], `${color} lightens downwards`);
    }
  });
});
