/** The script-tag kit's chunk for `<skin-report>`: registers the tag; its exports join the `facekit` global. */
import '../skin-report/define.js';
export { SkinReport } from '../skin-report/skin-report.js';
export { normaliseSkinReport, historyEntryOf, trendOf, SkinReportShapeError } from '../skin-report/report-model.js';
export { SKIN_FIELDS, SKIN_IMAGE_FIELDS, SKIN_CONCERNS, SKIN_WRINKLE_ZONES } from '../skin-report/fields.js';
export { SkinHistory } from '../skin-report/history.js';
export { placeWrinkleRegions, faceAnchors } from '../skin-report/regions.js';
export * from './common.js';
