/**
 * facekit elements: the classes, without registering any tag. Register with the define files
 * (`@facekit/elements/face-enroll/define.js`) or all at once with `define-all.js`, or under your
 * own tag names with `customElements.define('my-enroll', class extends FaceEnroll {})`.
 */
export { FaceEnroll, type FaceEnrollMode, type CaptureSource } from './face-enroll/face-enroll.js';
export { buildEnrollBody, birthdayToNumber, type EnrollBody, type EnrollFields } from './face-enroll/enroll-form.js';
export { SkinReport } from './skin-report/skin-report.js';
export {
  normaliseSkinReport,
  historyEntryOf,
  trendOf,
  SkinReportShapeError,
  type SkinReportData,
  type SkinConcernValue,
  type SkinWrinkleZoneValue,
  type SkinHistoryEntry,
  type SkinTrend,
} from './skin-report/report-model.js';
export { SKIN_FIELDS, SKIN_IMAGE_FIELDS, SKIN_CONCERNS, SKIN_WRINKLE_ZONES, type SkinConcern, type SkinWrinkleZone, type SkinImageField } from './skin-report/fields.js';
export { SkinHistory } from './skin-report/history.js';
export { placeWrinkleRegions, faceAnchors, type FaceAnchors, type WrinkleRegion } from './skin-report/regions.js';
export { LivenessCheck } from './liveness-check/liveness-check.js';
export { IdPhotoMaker, MAX_SOURCE_SIDE as ID_PHOTO_MAX_SOURCE_SIDE, type IdPhotoSource, type IdPhotoProcessing } from './id-photo-maker/id-photo-maker.js';
export { resolveSettings as resolveIdPhotoSettings, vendorBody as idPhotoVendorBody, SettingError as IdPhotoSettingError, type ResolvedSettings as IdPhotoSettings } from './id-photo-maker/settings.js';
export {
  actionLogOf,
  deviceVerdict,
  vendorResult,
  maskName,
  THRESHOLD_OF_LEVEL,
  type LivenessCheckResult,
  type LivenessStatus,
  type LivenessVerdict,
  type LivenessAttack,
  type SecurityLevel,
  type ThresholdKey,
} from './liveness-check/liveness-result.js';
export * from './events.js';
export { maskIdNumber } from './shared/mask.js';
// For script-tag pages in WeChat: `el.imageSource = facekit.createWeChatImageSource(wx)`.
export { createWeChatImageSource, type ImageSource, type WeChatJsSdk } from '@facekit/core';
