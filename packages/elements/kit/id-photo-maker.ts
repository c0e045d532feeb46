/**
 * The script-tag kit's chunk for `<id-photo-maker>`. The loader (loader.ts) adds its exports to the
 * `facekit` global, then defines the tag with KIT_ELEMENT: an element never runs before the
 * global has what it may use (the WeChat image source).
 */
import { IdPhotoMaker } from '../src/id-photo-maker/id-photo-maker.js';

export { IdPhotoMaker, MAX_SOURCE_SIDE as ID_PHOTO_MAX_SOURCE_SIDE } from '../src/id-photo-maker/id-photo-maker.js';
export const KIT_ELEMENT = IdPhotoMaker;
export {
  resolveSettings as resolveIdPhotoSettings,
  vendorBody as idPhotoVendorBody,
  SettingError as IdPhotoSettingError,
} from '../src/id-photo-maker/settings.js';
export * from './common.js';
