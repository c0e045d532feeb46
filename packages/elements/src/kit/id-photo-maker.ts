/** The script-tag kit's chunk for `<id-photo-maker>`: registers the tag; its exports join the `facekit` global. */
import '../id-photo-maker/define.js';
export { IdPhotoMaker, MAX_SOURCE_SIDE as ID_PHOTO_MAX_SOURCE_SIDE } from '../id-photo-maker/id-photo-maker.js';
export {
  resolveSettings as resolveIdPhotoSettings,
  vendorBody as idPhotoVendorBody,
  SettingError as IdPhotoSettingError,
} from '../id-photo-maker/settings.js';
export * from './common.js';
