// node --import tsx --test packages/core/src/shared/liveness.test.ts
//
// The liveness state machine on frame sequences made of geometry that the vision worker measured on
// real photos and their transforms (scripts/liveness-geometry.mjs records it in headless Chromium,
// once; about 15 s). No number here is invented: every frame is a measured one.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ensureLivenessGeometry, type RecordedLivenessFrame as RecordedFrame } from '../../../../scripts/liveness-geometry.mjs';
import type { FaceGeometry } from './face-geometry.js';
import {
  DEFAULT_LIVENESS_THRESHOLDS as T,
  drawActions,
  LIVENESS_ACTIONS,
  LivenessSession,
  livenessFailureKey,
  livenessHintKey,
  type LivenessAction,
  type LivenessOptions,
  type LivenessState,
} from './liveness.js';
import { MESSAGES } from './messages-all.js';

let clips: Record<string, RecordedFrame[]>;
const clip = (name: string): RecordedFrame[] => {
  const frames = clips[name];
  assert.ok(frames?.length, `clip ${name} was recorded`);
  return frames;
};
const repeat = (frames: RecordedFrame[], times: number): RecordedFrame[] => Array.from({ length: times }, () => frames).flat();
const FRAME_MS = 66;
const NO_FACE: RecordedFrame = { label: 'no face', faceCount: 0, geometry: null };

/** Plays frames at 15 fps from t = 1000; stops at the end of the session. Returns every state. */
function play(options: LivenessOptions, frames: RecordedFrame[]): { final: LivenessState; states: LivenessState[] } {
  const session = new LivenessSession(options);
  const states: LivenessState[] = [];
  let t = 1000;
  for (const frame of frames) {
    const state = session.update(frame.geometry, frame.faceCount, (t += FRAME_MS));
    states.push(state);
    if (state.phase === 'passed' || state.phase === 'failed') break;
  }
  return { final: session.current, states };
}

/** Neutral frames (a hand-held phone's jitter), long enough for the baseline. */
const neutral = () => clip('neutral');
/** Each action's proper clip, and a clip of a different movement that must not pass it. */
const PROPER: Record<LivenessAction, string> = {
  blink: 'blink',
  'open-mouth': 'open-mouth',
  nod: 'nod',
  shake: 'shake',
  'turn-left': 'turn-left',
  'turn-right': 'turn-right',
};
const WRONG: Record<LivenessAction, string[]> = {
  blink: ['look-up', 'turn-right', 'flicked-photo'],
  'open-mouth': ['nod', 'look-up', 'turn-left'],
  nod: ['look-up', 'shake', 'open-mouth'],
  shake: ['turn-left', 'turn-right', 'nod'],
  'turn-left': ['turn-right', 'nod', 'open-mouth'],
  'turn-right': ['turn-left', 'nod', 'open-mouth'],
};

describe('liveness engine on measured geometry', () => {
  before(async () => {
    ({ clips } = await ensureLivenessGeometry());
    const peak = (name: string, pick: (g: FaceGeometry) => number) =>
      Math.max(...clip(name).map((f) => (f.geometry ? pick(f.geometry) : Number.NEGATIVE_INFINITY)));
    const base = neutral()[0].geometry!;
    console.log(
      `recorded: neutral eye ${base.eyeOpenness.toFixed(3)} mouth ${base.mouthOpenness.toFixed(3)} yaw ${base.yaw.toFixed(1)} pitch ${base.pitch.toFixed(1)}; ` +
        `blink eye min ${(-peak('blink', (g) => -g.eyeOpenness)).toFixed(3)}; mouth max ${peak('open-mouth', (g) => g.mouthOpenness).toFixed(3)}; ` +
        `yaw turn-left max ${peak('turn-left', (g) => g.yaw).toFixed(1)}, turn-right min ${(-peak('turn-right', (g) => -g.yaw)).toFixed(1)}; ` +
        `nod pitch max ${peak('nod', (g) => g.pitch).toFixed(1)}; flicked photo eye min ${(-peak('flicked-photo', (g) => -g.eyeOpenness)).toFixed(3)} ` +
        `with aspect min ${(-peak('flicked-photo', (g) => -g.aspect)).toFixed(3)} (neutral ${base.aspect.toFixed(3)}); thresholds ${JSON.stringify(T)}`,
    );
  });

  for (const action of LIVENESS_ACTIONS) {
    it(`${action}: passes on its own movement and not on others`, () => {
      const { final, states } = play({ actions: [action] }, [...neutral(), ...clip('blink'), ...neutral(), ...clip(PROPER[action]), ...neutral()]);
      assert.equal(final.phase, 'passed', `${action} on ${PROPER[action]}: ${JSON.stringify(final.failure)}`);
      assert.equal(final.log.length, 1);
      assert.equal(final.log[0].result, 'passed');
      // The hint and progress of the running action.
      const running = states.filter((state) => state.phase === 'action');
      assert.ok(running.every((state) => state.hintKey === livenessHintKey(action) && state.action === action));
      assert.ok(running.every((state) => state.progress >= 0 && state.progress < 1));

      for (const wrong of WRONG[action]) {
        const { final: failed } = play({ actions: [action], perActionMs: 4000 }, [
          ...neutral(),
          // A blink first (not for the blink action itself), so that only the action is missing.
          ...(action === 'blink' ? [] : clip('blink')),
          ...repeat([...clip(wrong), ...neutral()], 6),
        ]);
        assert.equal(failed.phase, 'failed', `${action} must not pass on ${wrong}`);
        assert.equal(failed.failure?.code, action === 'blink' ? 'NO_BLINK' : 'ACTION_TIMEOUT', `${action} on ${wrong}`);
      }
    });
  }

  it('plays three actions in order, with a blink between them', () => {
    const actions: LivenessAction[] = ['turn-left', 'open-mouth', 'nod'];
    const { final } = play({ actions }, [...neutral(), ...clip('turn-left'), ...clip('blink'), ...clip('open-mouth'), ...neutral(), ...clip('nod'), ...neutral()]);
    assert.equal(final.phase, 'passed');
    assert.deepEqual(final.log.map((entry) => [entry.action, entry.result, entry.extra]), actions.map((action) => [action, 'passed', false]));
    assert.equal(final.blinks, 1);
    assert.equal(final.hintKey, 'liveness.passed');
  });

  it('asks for a blink after the actions when none was seen', () => {
    const { final, states } = play({ actions: ['nod'] }, [...neutral(), ...clip('nod'), ...neutral(), ...clip('blink'), ...neutral()]);
    assert.equal(final.phase, 'passed');
    assert.deepEqual(final.log.map((entry) => [entry.action, entry.extra]), [['nod', false], ['blink', true]]);
    const extra = states.find((state) => state.phase === 'action' && state.action === 'blink');
    assert.equal(extra?.actionIndex, 1);
    assert.equal(extra?.actionCount, 1);
    assert.equal(extra?.hintKey, 'liveness.blink');
  });

  it('fails a still photo (identical frames) with NO_BLINK, whatever the actions', () => {
    const still = neutral()[0];
    for (const actions of [['turn-left'], ['blink'], ['open-mouth', 'nod', 'shake']] as LivenessAction[][]) {
      const { final } = play({ actions }, Array.from({ length: 400 }, () => still));
      assert.equal(final.failure?.code, 'NO_BLINK', actions.join(','));
      assert.equal(final.blinks, 0);
      // Within the first action's time: before any call to the vendor could be made.
      assert.ok(final.failure!.at <= 1000 + 10_000 + T.baselineFrames * FRAME_MS + 2 * FRAME_MS);
    }
  });

  it('counts no blink for a photo tilted, turned in the hand or flicked back and forth', () => {
    for (const name of ['flicked-photo', 'tilted-photo', 'turned-photo', 'mirrored']) {
      const { final } = play({ actions: ['blink'], perActionMs: 5000 }, [...neutral(), ...repeat(clip(name), 100)]);
      assert.equal(final.blinks, 0, name);
      // A photo squeezed to 0.6 of its width also reads as another face shape.
      assert.ok(final.failure?.code === 'NO_BLINK' || (name === 'turned-photo' && final.failure?.code === 'FACE_CHANGED'), `${name}: ${final.failure?.code}`);
    }
    // The flicked photo squeezes the eyes as far as a blink does; only its proportions give it away.
    const { final } = play({ actions: ['blink'], perActionMs: 5000, thresholds: { blinkMaxAspectChange: 1 } }, [...neutral(), ...clip('flicked-photo'), ...neutral()]);
    assert.equal(final.phase, 'passed', 'without the aspect guard the flick would pass');
  });

  it('fails when the face is swapped mid-session (astronaut → camera.png) with FACE_CHANGED', () => {
    const { final } = play({ actions: ['turn-left', 'nod'] }, [...neutral(), ...clip('blink'), ...clip('camera'), ...neutral()]);
    assert.equal(final.failure?.code, 'FACE_CHANGED');
    // The user's own movements do not change the face.
    const own = play({ actions: ['shake'], perActionMs: 30_000 }, [
      ...neutral(),
      ...['blink', 'open-mouth', 'turn-left', 'turn-right', 'nod', 'look-up', 'tilted-photo'].flatMap((name) => [...clip(name), ...neutral()]),
    ]);
    assert.notEqual(own.final.failure?.code, 'FACE_CHANGED');
  });

  it('fails on a second face (MANY_FACES), tolerating a brief one', () => {
    const twoFaces = clip('two-faces');
    assert.ok(twoFaces.every((frame) => frame.faceCount === 2));
    const { final } = play({ actions: ['nod'] }, [...neutral(), ...clip('blink'), ...twoFaces, ...neutral()]);
    assert.equal(final.failure?.code, 'MANY_FACES');
    const brief = play({ actions: ['nod'] }, [...neutral(), ...twoFaces.slice(0, T.extraFaceFrames), ...clip('blink'), ...clip('nod'), ...neutral()]);
    assert.equal(brief.final.phase, 'passed');
    // Before the session starts, two faces only hold it back.
    const waiting = play({ actions: ['nod'] }, [...twoFaces, ...twoFaces]);
    assert.equal(waiting.final.phase, 'waiting-face');
    assert.equal(waiting.final.hintKey, 'liveness.many-faces');
  });

  it('fails when the face leaves (NO_FACE), tolerating short dropouts', () => {
    const gap = (frames: number) => Array.from({ length: frames }, () => NO_FACE);
    const tolerated = play({ actions: ['nod'] }, [...neutral(), ...gap(T.dropoutFrames), ...clip('blink'), ...clip('nod'), ...neutral()]);
    assert.equal(tolerated.final.phase, 'passed');
    const lost = play({ actions: ['nod'] }, [...neutral(), ...gap(T.dropoutFrames + 1), ...neutral()]);
    assert.equal(lost.final.failure?.code, 'NO_FACE');
    assert.equal(lost.final.hintKey, 'liveness.failed.NO_FACE');
  });

  it('times out: the session, and each action', () => {
    const empty = play({ actions: ['nod'], timeoutMs: 3000 }, Array.from({ length: 100 }, () => NO_FACE));
    assert.equal(empty.final.failure?.code, 'TIMEOUT');
    assert.equal(empty.final.phase, 'failed');
    assert.equal(empty.final.remainingMs, 0);
    const idle = play({ actions: ['nod'], perActionMs: 2000 }, [...neutral(), ...clip('blink'), ...repeat(neutral(), 10)]);
    assert.equal(idle.final.failure?.code, 'ACTION_TIMEOUT');
    const overall = play({ actions: ['nod', 'shake'], timeoutMs: 2500, perActionMs: 10_000 }, [...neutral(), ...clip('blink'), ...repeat(neutral(), 10)]);
    assert.equal(overall.final.failure?.code, 'TIMEOUT');
    // Time left only goes down.
    const times = idle.states.map((state) => state.remainingMs);
    assert.ok(times.every((value, i) => i === 0 || value <= times[i - 1]));
  });

  it('reads mirrored frames when told so', () => {
    const { final } = play({ actions: ['turn-left'], mirrored: true }, [...neutral(), ...clip('blink'), ...clip('turn-right'), ...neutral()]);
    assert.equal(final.phase, 'passed');
  });

  it('draws 1–3 distinct actions and respects action-count', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const seen = new Set<LivenessAction>();
    for (let i = 0; i < 300; i++) {
      const count = 1 + (i % 3);
      const actions = drawActions(count, random);
      assert.equal(actions.length, count);
      assert.equal(new Set(actions).size, count);
      for (const action of actions) {
        assert.ok(LIVENESS_ACTIONS.includes(action));
        seen.add(action);
      }
    }
    assert.equal(seen.size, LIVENESS_ACTIONS.length);
    assert.equal(new LivenessSession().actions.length, 3);
    assert.equal(new LivenessSession({ actions: 2, random }).actions.length, 2);
    assert.equal(drawActions(0, random).length, 1);
    assert.equal(drawActions(9, random).length, 3);
    // Edge of the random source.
    assert.equal(new Set(drawActions(3, () => 0.999999)).size, 3);
    assert.equal(new Set(drawActions(3, () => 0)).size, 3);
    assert.throws(() => new LivenessSession({ actions: [] }), RangeError);
  });

  it('has every hint and failure message in both languages', () => {
    const keys = [
      ...LIVENESS_ACTIONS.map(livenessHintKey),
      ...(['TIMEOUT', 'ACTION_TIMEOUT', 'NO_FACE', 'MANY_FACES', 'FACE_CHANGED', 'NO_BLINK'] as const).map(livenessFailureKey),
      'liveness.look-at-camera',
      'liveness.hold-still',
      'liveness.no-face',
      'liveness.many-faces',
      'liveness.passed',
      'liveness.step',
    ] as const;
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const key of keys) assert.ok(MESSAGES[lang][key], `${lang} ${key}`);
    }
  });
});
