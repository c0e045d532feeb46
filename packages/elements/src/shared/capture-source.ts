import type { Phase } from '@facekit/core';

/** Where an element takes its photo from. */
export type CaptureSource = 'camera' | 'file' | 'auto';

/** Camera failures after which `source="auto"` offers the file chooser instead. */
export const FILE_FALLBACK_CODES: ReadonlySet<string> = new Set(['CAMERA_DENIED', 'CAMERA_NOT_FOUND', 'UNSUPPORTED', 'CAMERA_BUSY']);

/** Phases in which the camera is (being) used. */
export const CAMERA_PHASES: ReadonlySet<Phase> = new Set<Phase>(['starting-camera', 'guiding']);
