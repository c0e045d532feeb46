// Records what the vision worker measures on camera-like frames made from real photos
// (landmark-scenes.ts): short VIDEO-mode clips of a neutral face, a blink, an open mouth, turns, a
// nod, a shake, another person, two people. The liveness engine's tests replay these measured
// geometries as frame sequences: in the browser (landmarks.test.ts) and in Node
// (packages/core/src/shared/liveness.test.ts, through scripts/liveness-geometry.mjs).
import type { Remote } from 'comlink';
import type { Box, VisionApi } from '../../packages/core/src/shared/types.js';
import type { FaceGeometry, Point3 } from '../../packages/core/src/shared/face-geometry.js';
import * as scenes from './landmark-scenes.js';

/** One measured frame: how many faces, and the first face's geometry. */
export interface RecordedFrame {
  label: string;
  faceCount: number;
  geometry: FaceGeometry | null;
}

export interface LivenessRecording {
  version: number;
  /** Clips by name; each was measured as consecutive VIDEO-mode frames after a frame without a face. */
  clips: Record<string, RecordedFrame[]>;
}

/** Bump when the clips or their making change. */
export const RECORDING_VERSION = 1;

/** The clips and their frames (labels say what each frame is). */
type ClipPlan = { name: string; frames: { label: string; make: () => scenes.Canvas }[] };

const rounded = (value: number) => Number(value.toFixed(5));

function compact(geometry: FaceGeometry | undefined): FaceGeometry | null {
  if (!geometry) return null;
  return JSON.parse(JSON.stringify(geometry, (_, value) => (typeof value === 'number' ? rounded(value) : value))) as FaceGeometry;
}

export interface Subject {
  photo: ImageBitmap;
  face: Box;
  frame: scenes.Canvas;
  landmarks: Point3[];
  geometry: FaceGeometry;
}

/** A photo framed as a selfie, with the landmarks measured on that frame. */
export async function subject(vision: Remote<VisionApi>, url: string, faceIndex = 0, clock: { t: number }): Promise<Subject> {
  const photo = await scenes.loadPhoto(url);
  const faces = (await scenes.findFaces(vision, photo)).sort((a, b) => a.y - b.y || a.x - b.x);
  const face = faces[faceIndex];
  if (!face) throw new Error(`${url}: no face ${faceIndex}`);
  const frame = scenes.selfieFrame(photo, face);
  await scenes.landmarksOf(vision, scenes.blankFrame(), (clock.t += 66));
  let analysis = await scenes.landmarksOf(vision, frame, (clock.t += 66));
  analysis = await scenes.landmarksOf(vision, frame, (clock.t += 66));
  const found = analysis.faces[0];
  if (!found) throw new Error(`${url}: the landmark model found no face`);
  return { photo, face, frame, landmarks: found.landmarks, geometry: found.geometry };
}

/** Measures clips as a camera would deliver them: one VIDEO-mode run per clip, 15 fps. */
export async function measureClips(vision: Remote<VisionApi>, plans: ClipPlan[], clock: { t: number }): Promise<Record<string, RecordedFrame[]>> {
  const clips: Record<string, RecordedFrame[]> = {};
  for (const plan of plans) {
    // A frame without a face first: VIDEO mode then detects afresh instead of tracking the last clip.
    await scenes.landmarksOf(vision, scenes.blankFrame(), (clock.t += 66));
    const frames: RecordedFrame[] = [];
    for (const { label, make } of plan.frames) {
      const analysis = await scenes.landmarksOf(vision, make(), (clock.t += 66));
      frames.push({ label, faceCount: analysis.faces.length, geometry: compact(analysis.faces[0]?.geometry) });
    }
    clips[plan.name] = frames;
  }
  return clips;
}

/** Small per-frame jitter, as a hand-held phone gives: shifts of a pixel or two and ±1 % scale. */
const JITTER = [
  [0, 1],
  [1, 1],
  [-1, 1.005],
  [2, 0.995],
  [0, 1.01],
  [-2, 0.99],
  [1, 1],
  [0, 1.005],
] as const;

function jittered(frame: scenes.Canvas, face: Box, index: number): scenes.Canvas {
  const [dx, factor] = JITTER[index % JITTER.length];
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height / 2;
  return scenes.shift(scenes.scale(frame, factor, cx, cy), dx);
}

/** The recording the liveness tests replay. `fixtures`: URL of .cache/fixtures/. */
export async function recordLiveness(vision: Remote<VisionApi>, fixtures: string): Promise<LivenessRecording> {
  const clock = { t: 5_000_000 };
  const astronaut = await subject(vision, `${fixtures}photos/astronaut.png`, 0, clock);
  const camera = await subject(vision, `${fixtures}photos/camera.png`, 0, clock);
  const { frame, landmarks, geometry } = astronaut;
  const box = geometry.box;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const neutral = (index: number) => ({ label: `neutral ${index}`, make: () => jittered(frame, box, index) });
  const eyes = (amount: number) => ({ label: `eyes ${amount}`, make: () => scenes.closeEyes(frame, landmarks, amount) });
  const mouth = (amount: number) => ({ label: `mouth ${amount}`, make: () => scenes.openMouth(frame, landmarks, amount) });
  const turn = (yaw: number) => ({ label: `yaw ${yaw}`, make: () => scenes.rotateHead(frame, landmarks, yaw, 0) });
  const nod = (pitch: number) => ({ label: `pitch ${pitch}`, make: () => scenes.rotateHead(frame, landmarks, 0, pitch) });
  const twoFaces = await twoFaceFrame(vision, `${fixtures}photos/facereg.jpg`);

  const plans: ClipPlan[] = [
    { name: 'neutral', frames: JITTER.map((_, index) => neutral(index)) },
    { name: 'blink', frames: [eyes(0.5), eyes(1), eyes(1), eyes(0.5), neutral(0)] },
    { name: 'open-mouth', frames: [mouth(0.2), mouth(0.35), mouth(0.5), mouth(0.5), mouth(0.5), mouth(0.35), mouth(0.2), neutral(0)] },
    // The user's own left is positive yaw.
    { name: 'turn-left', frames: [10, 20, 30, 40, 40, 40, 40, 30, 20, 10, 0].map(turn) },
    { name: 'turn-right', frames: [-10, -20, -30, -40, -40, -40, -40, -30, -20, -10, 0].map(turn) },
    { name: 'nod', frames: [8, 16, 24, 24, 16, 8, 0, 0].map(nod) },
    { name: 'look-up', frames: [-8, -16, -24, -24, -16, -8, 0, 0].map(nod) },
    { name: 'shake', frames: [20, 40, 40, 20, 0, -20, -40, -40, -20, 0].map(turn) },
    { name: 'camera', frames: JITTER.map((_, index) => ({ label: `camera ${index}`, make: () => jittered(camera.frame, camera.geometry.box, index) })) },
    { name: 'two-faces', frames: [0, 1, 2, 3].map((index) => ({ label: `two faces ${index}`, make: () => scenes.shift(twoFaces, index) })) },
    { name: 'mirrored', frames: [0, 1, 2].map((index) => ({ label: `mirrored ${index}`, make: () => scenes.mirror(jittered(frame, box, index)) })) },
    { name: 'turned-photo', frames: [0.9, 0.8, 0.7, 0.6, 0.7, 0.8, 0.9].map((factor) => ({ label: `squeeze ${factor}`, make: () => scenes.squeeze(frame, factor, cx) })) },
    // A still photo tilted back and forth, which squeezes the eyes as a blink would.
    { name: 'flicked-photo', frames: [1, 0.85, 0.7, 0.7, 0.85, 1, 1].map((factor) => ({ label: `squeeze vertically ${factor}`, make: () => scenes.squeezeVertical(frame, factor, cy) })) },
    { name: 'tilted-photo', frames: [-15, -8, 0, 8, 15].map((degrees) => ({ label: `rotate ${degrees}`, make: () => scenes.rotate(frame, degrees, cx, cy) })) },
  ];
  const clips = await measureClips(vision, plans, clock);
  astronaut.photo.close();
  camera.photo.close();
  return { version: RECORDING_VERSION, clips };
}

/** facereg.jpg cropped to its two lower faces, side by side, as a 640×480 frame. */
export async function twoFaceFrame(vision: Remote<VisionApi>, url: string): Promise<scenes.Canvas> {
  const photo = await scenes.loadPhoto(url);
  const faces = (await scenes.findFaces(vision, photo)).sort((a, b) => b.y - a.y).slice(0, 2);
  const x0 = Math.min(...faces.map((face) => face.x));
  const x1 = Math.max(...faces.map((face) => face.x + face.width));
  const y0 = Math.min(...faces.map((face) => face.y));
  const y1 = Math.max(...faces.map((face) => face.y + face.height));
  const pair: Box = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  // Both faces at about a third of the frame height.
  const frame = scenes.selfieFrame(photo, pair, 0.4 * (pair.height / faces[0].height) * 0.8);
  photo.close();
  return frame;
}
