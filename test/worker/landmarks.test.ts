// Face landmarks in the vision worker on real photos (node scripts/fixtures.mjs) and the prepared
// FaceLandmarker bundle (node scripts/prepare-models.mjs), the calibration numbers behind the
// liveness thresholds, and the liveness engine on what the worker measures.
import { expect } from '@open-wc/testing';
import { releaseProxy, wrap, type Remote } from 'comlink';
import type { VisionApi } from '../../packages/core/src/shared/types.js';
import { MESH_POINTS, signatureDistance, type FaceGeometry, type SignatureDistance } from '../../packages/core/src/shared/face-geometry.js';
import { DEFAULT_LIVENESS_THRESHOLDS as T, LivenessSession, type LivenessAction, type LivenessState } from '../../packages/core/src/shared/liveness.js';
import * as scenes from './landmark-scenes.js';
import { recordLiveness, subject, twoFaceFrame, type LivenessRecording, type RecordedFrame, type Subject } from './liveness-recording.js';

const assetsBase = new URL('/build/assets/', location.href).href;
const fixtures = new URL('/.cache/fixtures/', location.href).href;

const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN;
};
const brief = (g: FaceGeometry) => ({
  eye: round(g.eyeOpenness),
  mouth: round(g.mouthOpenness),
  yaw: round(g.yaw, 1),
  pitch: round(g.pitch, 1),
  roll: round(g.roll, 1),
});
const briefDistance = (d: SignatureDistance) => ({ shape: round(d.shape), chroma: round(d.chroma), luma: round(d.luma) });

describe('face landmarks in the vision worker', function () {
  this.timeout(600_000);
  let worker: Worker;
  let vision: Remote<VisionApi>;
  const clock = { t: 1_000 };
  let astronaut: Subject;

  /** A frame measured after a blank one (VIDEO mode starts afresh) and once more (tracking settles). */
  async function measure(frame: scenes.Canvas) {
    await scenes.landmarksOf(vision, scenes.blankFrame(), (clock.t += 66));
    await scenes.landmarksOf(vision, frame, (clock.t += 66));
    return scenes.landmarksOf(vision, frame, (clock.t += 66));
  }

  before(async () => {
    worker = new Worker(new URL('../../packages/core/src/worker/vision.worker.ts', import.meta.url), { type: 'module' });
    vision = wrap<VisionApi>(worker);
    await vision.init({ assetsBase });
  });

  after(() => {
    vision?.[releaseProxy]();
    worker?.terminate();
  });

  it('loads the .task bundle, a stored zip, and reports the 468 real points on the face', async () => {
    const bundle = new Uint8Array(await (await fetch(`${assetsBase}models/face_landmarker.task`)).arrayBuffer());
    const view = new DataView(bundle.buffer);
    expect(view.getUint32(0, true), 'local file header').to.equal(0x04034b50);
    expect(view.getUint16(8, true), 'compression method').to.equal(0);

    const started = performance.now();
    astronaut = await subject(vision, `${fixtures}photos/astronaut.png`, 0, clock);
    console.log(`landmark model cold start (first frames, model load included): ${Math.round(performance.now() - started)} ms`);
    const { landmarks, geometry, face } = astronaut;
    expect(landmarks).to.have.length(MESH_POINTS);
    // The face box of the short-range detector, in the selfie frame's pixels.
    const scale = (0.4 * scenes.FRAME.height) / face.height;
    const box = { x: scenes.FRAME.width / 2 - (face.width * scale) / 2, y: scenes.FRAME.height / 2 - (face.height * scale) / 2, width: face.width * scale, height: face.height * scale };
    const inside = landmarks.filter((p) => p.x > box.x - 0.3 * box.width && p.x < box.x + 1.3 * box.width && p.y > box.y - 0.5 * box.height && p.y < box.y + 1.3 * box.height);
    expect(inside.length, 'points near the face box').to.equal(MESH_POINTS);

    // Eye points against the detector's eye keypoints, in the same frame.
    const copy = await createImageBitmap(astronaut.frame);
    const [detected] = await vision.detect(copy, 'short');
    const [rightEye, leftEye] = detected!.keypoints;
    const eyeCentre = (a: number, b: number) => ({ x: (landmarks[a]!.x + landmarks[b]!.x) / 2, y: (landmarks[a]!.y + landmarks[b]!.y) / 2 });
    const offsets = [
      Math.hypot(eyeCentre(33, 133).x - rightEye!.x, eyeCentre(33, 133).y - rightEye!.y),
      Math.hypot(eyeCentre(263, 362).x - leftEye!.x, eyeCentre(263, 362).y - leftEye!.y),
    ].map((distance) => distance / geometry.interocular);
    console.log(`eye centres vs detector keypoints: ${offsets.map((o) => round(o)).join(', ')} inter-ocular distances; astronaut ${JSON.stringify(brief(geometry))}`);
    for (const offset of offsets) expect(offset).to.be.below(0.15);
    // The subject's right eye is on the image's left.
    expect(landmarks[33]!.x).to.be.below(landmarks[263]!.x);
  });

  it('measures landmark time per 640×480 frame', async () => {
    const times: number[] = [];
    await scenes.landmarksOf(vision, scenes.blankFrame(), (clock.t += 66));
    for (let i = 0; i < 40; i++) {
      const analysis = await scenes.landmarksOf(vision, scenes.shift(astronaut.frame, i % 3), (clock.t += 66));
      expect(analysis.faces).to.have.length(1);
      times.push(analysis.workerMs);
    }
    const steady = times.slice(5);
    console.log(`landmarks per 640×480 frame in the worker (VIDEO mode, geometry and signature included): median ${round(quantile(steady, 0.5), 1)} ms, p90 ${round(quantile(steady, 0.9), 1)} ms`);
    expect(quantile(steady, 0.5)).to.be.below(100);
  });

  it('reads roll from a rotated photo within a few degrees', async () => {
    const base = astronaut.geometry;
    const cx = base.box.x + base.box.width / 2;
    const cy = base.box.y + base.box.height / 2;
    const rolls: Record<string, number> = {};
    for (const degrees of [-30, -15, 15, 30]) {
      const [face] = (await measure(scenes.rotate(astronaut.frame, degrees, cx, cy))).faces;
      rolls[degrees] = round(face!.geometry.roll - base.roll, 1);
      expect(face!.geometry.roll - base.roll, `rotation ${degrees}°`).to.be.closeTo(degrees, 3);
    }
    console.log(`roll change for image rotations (clockwise +): ${JSON.stringify(rolls)}`);
  });

  it('flips the sign of yaw for a mirrored photo', async () => {
    const camera = await subject(vision, `${fixtures}photos/camera.png`, 0, clock);
    const mirrored = (await measure(scenes.mirror(camera.frame))).faces[0]!.geometry;
    const turned = (await measure(scenes.rotateHead(astronaut.frame, astronaut.landmarks, 40, 0))).faces[0]!.geometry;
    const turnedMirrored = (await measure(scenes.mirror(scenes.rotateHead(astronaut.frame, astronaut.landmarks, 40, 0)))).faces[0]!.geometry;
    console.log(
      `yaw: camera.png ${round(camera.geometry.yaw, 1)}, mirrored ${round(mirrored.yaw, 1)}; astronaut turned to her left ` +
        `${round(turned.yaw, 1)}, mirrored ${round(turnedMirrored.yaw, 1)}`,
    );
    expect(camera.geometry.yaw).to.be.above(30);
    expect(mirrored.yaw).to.be.below(-30);
    expect(Math.abs(camera.geometry.yaw + mirrored.yaw)).to.be.below(8);
    expect(turned.yaw).to.be.above(8);
    expect(turnedMirrored.yaw).to.be.below(-8);
    camera.photo.close();
  });

  it('reports two faces in a facereg.jpg crop with two people, one in a crop with one', async () => {
    const pair = await measure(await twoFaceFrame(vision, `${fixtures}photos/facereg.jpg`));
    const counts: number[] = [];
    for (let index = 0; index < 4; index++) {
      const person = await subject(vision, `${fixtures}photos/facereg.jpg`, index, clock);
      counts.push((await measure(person.frame)).faces.length);
      person.photo.close();
    }
    console.log(`facereg.jpg: ${pair.faces.length} faces in the two-person crop; single crops ${counts.join(', ')}`);
    expect(pair.faces).to.have.length(2);
    expect(counts).to.deep.equal([1, 1, 1, 1]);
  });

  it('prints the calibration numbers and keeps the thresholds between them', async () => {
    const base = astronaut.geometry;
    const { frame, landmarks } = astronaut;
    const cx = base.box.x + base.box.width / 2;
    const cy = base.box.y + base.box.height / 2;
    const darker = new OffscreenCanvas(frame.width, frame.height);
    const context = darker.getContext('2d')!;
    context.filter = 'brightness(0.6)';
    context.drawImage(frame, 0, 0);
    const variants: Record<string, scenes.Canvas> = {
      'rotate -15': scenes.rotate(frame, -15, cx, cy),
      'rotate +30': scenes.rotate(frame, 30, cx, cy),
      'shift +80': scenes.shift(frame, 80),
      'scale 0.7': scenes.scale(frame, 0.7, cx, cy),
      'scale 1.3': scenes.scale(frame, 1.3, cx, cy),
      'darker 0.6': darker,
      mirror: scenes.mirror(frame),
      'squeeze 0.8': scenes.squeeze(frame, 0.8, cx),
      'squeeze 0.6': scenes.squeeze(frame, 0.6, cx),
      'eyes 0.5': scenes.closeEyes(frame, landmarks, 0.5),
      'eyes shut': scenes.closeEyes(frame, landmarks, 1),
      'mouth 0.2': scenes.openMouth(frame, landmarks, 0.2),
      'mouth 0.35': scenes.openMouth(frame, landmarks, 0.35),
      'mouth 0.5': scenes.openMouth(frame, landmarks, 0.5),
      'turn +20': scenes.rotateHead(frame, landmarks, 20, 0),
      'turn +40': scenes.rotateHead(frame, landmarks, 40, 0),
      'turn -20': scenes.rotateHead(frame, landmarks, -20, 0),
      'turn -40': scenes.rotateHead(frame, landmarks, -40, 0),
      'nod +12': scenes.rotateHead(frame, landmarks, 0, 12),
      'nod +24': scenes.rotateHead(frame, landmarks, 0, 24),
      'nod -24': scenes.rotateHead(frame, landmarks, 0, -24),
    };
    const measured: Record<string, FaceGeometry> = {};
    const rows: string[] = [];
    for (const [name, canvas] of Object.entries(variants)) {
      const geometry = (await measure(canvas)).faces[0]!.geometry;
      measured[name] = geometry;
      const d = briefDistance(signatureDistance(base.signature, geometry.signature));
      rows.push(
        `${name.padEnd(11)} eye ×${round(geometry.eyeOpenness / base.eyeOpenness, 2)} mouth ${round(geometry.mouthOpenness - base.mouthOpenness, 3)} ` +
          `yaw ${round(geometry.yaw - base.yaw, 1)} pitch ${round(geometry.pitch - base.pitch, 1)} roll ${round(geometry.roll - base.roll, 1)} ` +
          `| signature shape ${d.shape} chroma ${d.chroma} luma ${d.luma}`,
      );
    }
    console.log(`astronaut selfie ${JSON.stringify(brief(base))}; changes from it:\n  ${rows.join('\n  ')}`);

    // Other real faces, framed the same way, and the LFW crops (100 px versions).
    const people: Record<string, FaceGeometry> = { astronaut: base };
    for (const [name, url, index] of [
      ['camera', 'photos/camera.png', 0],
      ['face_swapped', 'photos/face_swapped.jpg', 0],
      ['facereg 0', 'photos/facereg.jpg', 0],
      ['facereg 1', 'photos/facereg.jpg', 1],
      ['facereg 2', 'photos/facereg.jpg', 2],
      ['facereg 3', 'photos/facereg.jpg', 3],
    ] as const) {
      const person = await subject(vision, fixtures + url, index, clock);
      people[name] = person.geometry;
      person.photo.close();
    }
    console.log(`neutral faces: ${Object.entries(people).map(([name, g]) => `${name} ${JSON.stringify(brief(g))}`).join('; ')}`);
    const names = Object.keys(people);
    const pairs: string[] = [];
    let caught = 0;
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const d = signatureDistance(people[names[i]!]!.signature, people[names[j]!]!.signature);
        const beyond = d.shape > T.maxShapeDistance || d.chroma > T.maxChromaDistance || d.luma > T.maxLumaDistance;
        if (beyond) caught++;
        pairs.push(`${names[i]}/${names[j]} ${JSON.stringify(briefDistance(d))}${beyond ? '' : ' (within bounds)'}`);
      }
    }
    console.log(`signature distances between different people (${caught} of ${pairs.length} pairs beyond a bound):\n  ${pairs.join('\n  ')}`);

    const lfw: FaceGeometry[] = [];
    for (let i = 0; i < 100; i++) {
      const photo = await scenes.loadPhoto(`${fixtures}lfw/x4/face-${String(i).padStart(3, '0')}.png`);
      const [box] = await scenes.findFaces(vision, photo);
      if (box) {
        const face = (await measure(scenes.selfieFrame(photo, box))).faces[0];
        if (face) lfw.push(face.geometry);
      }
      photo.close();
    }
    const spread = (pick: (g: FaceGeometry) => number, digits = 3) =>
      [0.1, 0.5, 0.9].map((q) => round(quantile(lfw.map(pick), q), digits)).join(' / ');
    let lfwPairs = 0;
    let lfwCaught = 0;
    for (let i = 0; i < lfw.length; i++) {
      for (let j = i + 1; j < lfw.length; j++) {
        const d = signatureDistance(lfw[i]!.signature, lfw[j]!.signature);
        lfwPairs++;
        if (d.shape > T.maxShapeDistance || d.luma > T.maxLumaDistance) lfwCaught++;
      }
    }
    console.log(
      `LFW crops (${lfw.length} of 100 with landmarks), p10 / median / p90: eye ${spread((g) => g.eyeOpenness)}, mouth ${spread((g) => g.mouthOpenness)}, ` +
        `yaw ${spread((g) => g.yaw, 1)}, pitch ${spread((g) => g.pitch, 1)}, roll ${spread((g) => g.roll, 1)}; ` +
        `grey pairs beyond the shape or luma bound: ${lfwCaught} of ${lfwPairs} (${round((100 * lfwCaught) / lfwPairs, 1)} %)`,
    );

    // The thresholds sit between what the photos showed.
    const ratio = (name: string) => measured[name]!.eyeOpenness / base.eyeOpenness;
    for (const name of ['rotate -15', 'rotate +30', 'shift +80', 'scale 0.7', 'scale 1.3', 'darker 0.6', 'mirror']) {
      expect(ratio(name), `${name}: open eyes stay open`).to.be.above(T.blinkOpenRatio);
      expect(Math.abs(measured[name]!.mouthOpenness - base.mouthOpenness), `${name}: mouth`).to.be.below(T.mouthOpenDelta);
      const d = signatureDistance(base.signature, measured[name]!.signature);
      expect(d.shape, `${name}: shape`).to.be.below(T.maxShapeDistance);
      expect(d.chroma, `${name}: chroma`).to.be.below(T.maxChromaDistance);
      expect(d.luma, `${name}: luma`).to.be.below(T.maxLumaDistance);
    }
    expect(ratio('eyes shut'), 'painted-shut eyes read closed').to.be.below(T.blinkClosedRatio);
    expect(ratio('eyes 0.5'), 'half-closed lids are no blink').to.be.above(T.blinkClosedRatio);
    expect(measured['mouth 0.5']!.mouthOpenness - base.mouthOpenness).to.be.above(T.mouthOpenDelta);
    expect(measured['turn +40']!.yaw - base.yaw).to.be.above(T.turnDeg);
    expect(measured['turn -40']!.yaw - base.yaw).to.be.below(-T.turnDeg);
    expect(measured['nod +24']!.pitch - base.pitch).to.be.above(T.nodDownDeg);
    expect(Math.abs(measured['nod +12']!.yaw - base.yaw)).to.be.below(T.turnDeg);
    for (const name of ['squeeze 0.8', 'squeeze 0.6']) {
      expect(Math.abs(measured[name]!.yaw - base.yaw), `${name}: a photo turned in the hand is no head turn`).to.be.below(T.shakeDeg);
    }
    const camera = signatureDistance(base.signature, people.camera!.signature);
    expect(camera.shape > T.maxShapeDistance || camera.chroma > T.maxChromaDistance).to.equal(true);
  });

  describe('the liveness engine on what the worker measures', () => {
    let recording: LivenessRecording;

    before(async () => {
      const started = performance.now();
      recording = await recordLiveness(vision, fixtures);
      const summary = Object.entries(recording.clips).map(
        ([name, frames]) => `${name}: ${frames.map((f) => (f.geometry ? `${f.faceCount}f e${round(f.geometry.eyeOpenness, 2)} m${round(f.geometry.mouthOpenness, 2)} y${round(f.geometry.yaw, 0)} p${round(f.geometry.pitch, 0)}` : `${f.faceCount}f`)).join(' | ')}`,
      );
      console.log(`recorded clips in ${Math.round(performance.now() - started)} ms:\n  ${summary.join('\n  ')}`);
    });

    /** Plays clips at 15 fps into a session; returns the final state. */
    function play(session: LivenessSession, clips: RecordedFrame[][]): LivenessState {
      let state = session.current;
      let t = 0;
      for (const frame of clips.flat()) {
        t += 66;
        state = session.update(frame.geometry, frame.faceCount, t);
        if (state.phase === 'passed' || state.phase === 'failed') break;
      }
      return state;
    }
    const clip = (name: string) => recording.clips[name]!;

    it('passes blink, then the drawn actions, on the measured clips', () => {
      const sequences: Record<LivenessAction, string[]> = {
        blink: ['blink'],
        'open-mouth': ['open-mouth'],
        nod: ['nod'],
        shake: ['shake'],
        'turn-left': ['turn-left'],
        'turn-right': ['turn-right'],
      };
      for (const action of Object.keys(sequences) as LivenessAction[]) {
        const session = new LivenessSession({ actions: [action] });
        const state = play(session, [clip('neutral'), clip('blink'), clip('neutral'), ...sequences[action].map(clip), clip('neutral')]);
        expect(state.phase, action).to.equal('passed');
      }
    });

    it('fails a still photo with NO_BLINK and a swap to camera.png with FACE_CHANGED', () => {
      const still = play(new LivenessSession({ actions: ['turn-left'], perActionMs: 3000 }), Array.from({ length: 80 }, () => [clip('neutral')[0]!]));
      expect(still.failure?.code).to.equal('NO_BLINK');
      const swapped = play(new LivenessSession({ actions: ['nod'] }), [clip('neutral'), clip('blink'), clip('camera')]);
      expect(swapped.failure?.code).to.equal('FACE_CHANGED');
      const crowded = play(new LivenessSession({ actions: ['nod'] }), [clip('neutral'), clip('two-faces')]);
      expect(crowded.failure?.code).to.equal('MANY_FACES');
    });
  });
});
