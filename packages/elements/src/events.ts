/**
 * Typed events of the facekit elements.
 *
 * Every element dispatches three events on itself, all `bubbles: true, composed: true`:
 * `facekit-status`, `facekit-result` and `facekit-error`. Importing this module (any element
 * does) adds them to `GlobalEventHandlersEventMap`, so that
 * `el.addEventListener('facekit-status', (e) => e.detail.phase)` type-checks.
 */
import type { ErrorDetail, IdPhotoColor, IdPhotoWarning, IdPhotoWarningCode, PrintPaper, StatusDetail } from '@facekit/core';
import type { SkinReportData, SkinTrend } from './skin-report/report-model.js';
import type { LivenessCheckResult, LivenessStatus } from './liveness-check/liveness-result.js';

/**
 * Detail of `facekit-status`: the phase, and the live guidance while `phase` is 'guiding'
 * (`hint` for framing; `liveness` for `<liveness-check>`'s current action and step).
 */
export interface FacekitStatusDetail extends StatusDetail {
  liveness?: LivenessStatus;
}

/** Detail of `facekit-error`: a kit code, a message in the element's language, and whether a retry may help. */
export type FacekitErrorDetail = ErrorDetail;

/** Person record as the endpoint normalises it (face platform fields). */
export interface FacePerson {
  personId: string;
  name?: string;
  /** 1 male, 2 female. */
  sex?: 1 | 2;
  /** yyyymmdd, e.g. 20190601. */
  birthday?: number;
  /** 1 operator, 2 customer, 3 staff, 4 stranger. */
  type?: 1 | 2 | 3 | 4;
  idIccid?: string;
  custId?: string;
  remark?: string;
  imageUrl?: string;
  [field: string]: unknown;
}

export interface FaceEnrollResult {
  mode: 'enroll';
  personId: string;
  faceId?: string;
  /** URL of the enrolled photo on the endpoint (from `face.get`, else from `face.enroll`). */
  imageUrl?: string;
}

export interface FaceSearchResult {
  mode: 'search';
  /** False when the endpoint answered NO_MATCH: a normal outcome, not an error. */
  matched: boolean;
  personId?: string;
  /** 0…1. */
  similarity?: number;
  person?: FacePerson;
}

export interface FaceVerifyResult {
  mode: 'verify';
  samePerson: boolean;
  /** 0…1. */
  similarity: number;
}

export type FaceEnrollResultDetail = FaceEnrollResult | FaceSearchResult | FaceVerifyResult;

/** `<skin-report>`'s result: the report model, and the change since the previous report kept on the device. */
export interface SkinReportResultDetail {
  mode: 'skin';
  report: SkinReportData;
  /** Null for the first report kept on this device (or with `no-history`). */
  trend: SkinTrend | null;
}

/**
 * `<id-photo-maker>`'s result: the ID photo (and its print sheet) as Blobs, with what was made.
 * Blobs do not survive JSON: read them in the page (`detail.photo.size`, `URL.createObjectURL`).
 */
export interface IdPhotoMakerResultDetail {
  mode: 'id-photo';
  /** Where it was made: on the device, or by the ID-photo service through the endpoint. */
  processing: 'device' | 'vendor';
  /** Catalogue id of the spec (`one-inch`), or "12" for a custom `size`. */
  spec: string;
  color: IdPhotoColor;
  /** image/jpeg at the spec's pixel size. */
  photo: Blob;
  width: number;
  height: number;
  dpi: number;
  bytes: number;
  /** On-device checks that failed (face too small, tilt, not frontal, closed eyes, uneven light, …). */
  warnings: IdPhotoWarning[];
  /** Checks that could not run on this photo (none on the vendor path: the vendor runs its own). */
  skippedChecks: IdPhotoWarningCode[];
  /** The print sheet (JPEG, 300 dpi, copies with cut marks) on `paper`, when it could be made. */
  sheet?: Blob;
  paper?: PrintPaper;
  copies?: number;
  /** Vendor path: the vendor's task number and the photo's endpoint media link. */
  taskNo?: string;
  url?: string;
}

/**
 * Result details by element tag. The other elements add their entry here (or augment this
 * interface with `declare module`), and `FacekitResultDetail` widens by itself.
 */
export interface FacekitResultDetailMap {
  'face-enroll': FaceEnrollResultDetail;
  'skin-report': SkinReportResultDetail;
  'liveness-check': LivenessCheckResult;
  'id-photo-maker': IdPhotoMakerResultDetail;
}

/** Detail of `facekit-result`: the normalised result, tagged with `mode`. */
export type FacekitResultDetail = FacekitResultDetailMap[keyof FacekitResultDetailMap];

export interface FacekitEventMap {
  'facekit-status': FacekitStatusDetail;
  'facekit-result': FacekitResultDetail;
  'facekit-error': FacekitErrorDetail;
}

export type FacekitEventName = keyof FacekitEventMap;

declare global {
  interface GlobalEventHandlersEventMap {
    'facekit-status': CustomEvent<FacekitStatusDetail>;
    'facekit-result': CustomEvent<FacekitResultDetail>;
    'facekit-error': CustomEvent<FacekitErrorDetail>;
  }
}

/** Dispatches a facekit event on `target`, bubbling and crossing shadow roots. Returns `dispatchEvent`'s answer. */
export function emit<K extends FacekitEventName>(target: EventTarget, type: K, detail: FacekitEventMap[K]): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
