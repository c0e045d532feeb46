/** Types of scripts/liveness-geometry.mjs. The recording's shape is test/worker/liveness-recording.ts's LivenessRecording. */
import type { FaceGeometry } from '../packages/core/src/shared/face-geometry.js';

export interface RecordedLivenessFrame {
  label: string;
  faceCount: number;
  geometry: FaceGeometry | null;
}

export declare const livenessGeometryPath: string;
export declare function ensureLivenessGeometry(): Promise<{ version: number; key: string; clips: Record<string, RecordedLivenessFrame[]> }>;
