/** Public API of the ID-photo and skin-analysis adapters and their mocks, re-exported by index.ts. */
export { createIdPhotoOps, validateIdPhoto, idPhotoVendorParams, CUSTOM_SIZE_SPEC, MAX_SOURCE_SIDE_PX, type IdPhotoParams } from './ops/id-photo.js';
export { createSkinOps, SKIN_POLL_AFTER_MS } from './ops/skin.js';
export { setUpIdPhotoAndSkin, type IdPhotoSkinConfig, type IdPhotoSkinSetup } from './ops/id-photo-skin.js';
export { IdPhotoClient, type IdPhotoConfig, type IdPhotoAnswer } from './vendors/id-photo/client.js';
export { ID_PHOTO, ID_PHOTO_CODES, APIG_CODES, mapIdPhotoFailure, type IdPhotoFailure } from './vendors/id-photo/errors.js';
export { normaliseIdPhoto, type IdPhotoResult, type IdPhotoImage } from './vendors/id-photo/normalise.js';
export { SkinClient, SKIN_PATHS, type SkinConfig, type SkinResultAnswer } from './vendors/skin/client.js';
export { SKIN, SKIN_CODES, mapSkinFailure, type SkinFailure } from './vendors/skin/errors.js';
export {
  normaliseSkinReport,
  SKIN_IMAGE_FIELDS,
  SKIN_CONCERNS,
  SKIN_WRINKLE_ZONES,
  type SkinReport,
  type SkinSummary,
  type SkinPending,
  type SkinConcern,
  type SkinImageField,
} from './vendors/skin/normalise.js';
export { startIdPhotoMock, type IdPhotoMock, type IdPhotoMockOptions, type IdPhotoMockHooks, type IdPhotoMockRequest } from './mocks/id-photo.js';
export { startSkinMock, type SkinMock, type SkinMockOptions, type SkinMockHooks, type SkinMockRequest, type SkinMockRoute } from './mocks/skin.js';
export { FaultInjector, type FaultAnswers, type FaultStatus } from './mocks/faults.js';
