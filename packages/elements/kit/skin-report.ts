/**
 * The script-tag kit's chunk for `<skin-report>`. The loader (loader.ts) adds its exports to the
 * `facekit` global, then defines the tag with KIT_ELEMENT: an element never runs before the
 * global has what it may use (the WeChat image source).
 */
import { SkinReport } from '../src/skin-report/skin-report.js';

export { SkinReport };
export const KIT_ELEMENT = SkinReport;
export { normaliseSkinReport, historyEntryOf, trendOf, SkinReportShapeError } from '../src/skin-report/report-model.js';
export { SKIN_FIELDS, SKIN_IMAGE_FIELDS, SKIN_CONCERNS, SKIN_WRINKLE_ZONES } from '../src/skin-report/fields.js';
export { SkinHistory } from '../src/skin-report/history.js';
export { placeWrinkleRegions, faceAnchors } from '../src/skin-report/regions.js';
export * from './common.js';
