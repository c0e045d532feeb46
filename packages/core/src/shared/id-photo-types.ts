/** Types of the on-device ID photo engine (vision worker `makeIdPhoto` / `makePrintSheet`). */
import type { IdPhotoColor, IdPhotoSpec } from './id-photo-specs.js';

export interface IdPhotoRequest {
  /** The spec, or its id in ID_PHOTO_SPECS. */
  spec: IdPhotoSpec | string;
  /** Background colour; must be one of the spec's colours. */
  color: IdPhotoColor;
  /** Face (head top to chin) height / photo height (0…1). Default: per spec, see `defaultFaceRatio`. */
  faceRatio?: number;
  /** Face centre (midway head top–chin) from the top, as a share of the photo height (0…1). Default 0.45. */
  faceCenterRange?: number;
  /** Space above the head top in output pixels, [min, max]; unset = not checked (as the vendor). */
  topEmpty?: readonly [number, number];
  /** File size in KB, [min, max]; defaults to the spec's minKb/maxKb. 0 or Infinity = no bound. */
  fileSizeKb?: readonly [number, number];
  /** Edge refinement (guided filter, feather, colour decontamination). Default true. */
  refineEdges?: boolean;
  /** Also return the output-sized alpha mask (for previews that swap colours, and tests). */
  returnMask?: boolean;
}

export type IdPhotoWarningCode =
  /** The source face has fewer pixels than the output needs (it is enlarged too much). */
  | 'face-too-small'
  /** Head roll from the eye line. */
  | 'tilted'
  /** Yaw or pitch from the detector keypoints. */
  | 'not-frontal'
  /** Eye openness from face landmarks (skipped while no landmarks are available). */
  | 'eyes-closed'
  /** Left/right halves of the face differ in brightness. */
  | 'uneven-light'
  /** More than one face: the largest one was used. */
  | 'many-faces'
  /** The head touches the top edge of the source: its top is estimated and the photo shows a cut. */
  | 'head-cut';

export interface IdPhotoWarning {
  code: IdPhotoWarningCode;
  /** The measured value (degrees, ratio, luma difference, …) and the limit it broke. */
  value: number;
  limit: number;
}

/** Numbers of the framing, in output pixels unless named otherwise. */
export interface IdPhotoFramingReport {
  /** The source rectangle drawn into the photo, in (scaled-down) source pixels; may leave the source. */
  cropX: number;
  cropY: number;
  cropWidth: number;
  cropHeight: number;
  /** Output pixels per source pixel. */
  scale: number;
  /** Source pixels per original-photo pixel (< 1 when a large photo was scaled down). */
  sourceScale: number;
  faceRatio: number;
  faceCenterRange: number;
  /** The face as framed: head top (crown) to chin, and its centre. */
  faceTop: number;
  faceHeight: number;
  faceCenterX: number;
  faceCenterY: number;
  /** The face detector's box (brows to chin). */
  faceBoxTop: number;
  faceBoxHeight: number;
  /** Head top (crown) and the space above it. */
  headTop: number;
  topEmpty: number;
  /** 1 when the head top came from the segmentation mask, 0 when estimated from the face box. */
  headTopFromMask: number;
  /** How far the person was moved down (+) or up (−) to meet topEmpty, and down against floating. */
  topEmptyShift: number;
  floatShift: number;
  /** Where the person region ends (≥ height: it reaches the bottom edge). */
  personBottom: number;
  /** Background-filled margins where the crop leaves the source. */
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
}

export interface IdPhotoTimings {
  /** Scaling the input and face detection. */
  detectMs: number;
  /** Person segmentation (model runs). */
  segmentMs: number;
  /** Head top, body bottom and the crop maths. */
  framingMs: number;
  /** Edge refinement and background compositing at output size. */
  compositeMs: number;
  /** JPEG encodes of the quality search, DPI and padding. */
  encodeMs: number;
  totalMs: number;
}

export interface IdPhotoOutput {
  /** image/jpeg at the spec's exact pixel size, with its DPI in the JFIF header. */
  blob: Blob;
  width: number;
  height: number;
  dpi: number;
  bytes: number;
  /** Encoder quality 0…1 of the file. */
  quality: number;
  /** Bytes of padding added to reach the minimum file size (0 = none). */
  paddedBytes: number;
  specId: string;
  color: IdPhotoColor;
  warnings: IdPhotoWarning[];
  /** Checks that could not run (today: 'eyes-closed', until face landmarks are wired in). */
  skippedChecks: IdPhotoWarningCode[];
  framing: IdPhotoFramingReport;
  timings: IdPhotoTimings;
  /** Alpha 0…255 of the person, width × height, when `returnMask` was asked for. */
  mask?: Uint8ClampedArray;
}

export type PrintPaper = '6in' | '5in' | 'a4';

export interface PrintSheetOutput {
  /** image/jpeg with its DPI in the JFIF header. */
  blob: Blob;
  paper: PrintPaper;
  width: number;
  height: number;
  dpi: number;
  copies: number;
  columns: number;
  rows: number;
  /** One copy on the sheet, in sheet pixels. */
  photoWidth: number;
  photoHeight: number;
}
