/**
 * Wiring of the ID-photo and skin-analysis adapters into the app: their clients (with the app's
 * default timeout and fetch), their ops, and the image sources of the media route. Kept here so
 * that app.ts only spreads the result.
 */
import type { ImageSource } from '../app.js';
import { DEFAULT_VENDOR_TIMEOUT_MS, type FetchFunction } from '../vendors/http.js';
import { IdPhotoClient, type IdPhotoConfig } from '../vendors/id-photo/client.js';
import { ID_PHOTO } from '../vendors/id-photo/errors.js';
import { SkinClient, type SkinConfig } from '../vendors/skin/client.js';
import { SKIN } from '../vendors/skin/errors.js';
import { createIdPhotoOps } from './id-photo.js';
import { createSkinOps } from './skin.js';
import type { RegisteredOp } from './types.js';

export interface IdPhotoSkinConfig {
  idPhoto?: IdPhotoConfig;
  skin?: SkinConfig;
  vendorTimeoutMs?: number;
  fetch?: FetchFunction;
}

export interface IdPhotoSkinSetup {
  ops: RegisteredOp[];
  imageSources: Record<string, ImageSource>;
  idPhoto?: IdPhotoClient;
  skin?: SkinClient;
}

export function setUpIdPhotoAndSkin(config: IdPhotoSkinConfig): IdPhotoSkinSetup {
  const timeoutMs = config.vendorTimeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS;
  const idPhoto = config.idPhoto
    ? new IdPhotoClient({ ...config.idPhoto, timeoutMs: config.idPhoto.timeoutMs ?? timeoutMs, fetch: config.idPhoto.fetch ?? config.fetch })
    : undefined;
  const skin = config.skin ? new SkinClient({ ...config.skin, timeoutMs: config.skin.timeoutMs ?? timeoutMs, fetch: config.skin.fetch ?? config.fetch }) : undefined;
  const imageSources: Record<string, ImageSource> = {};
  if (idPhoto) imageSources[ID_PHOTO] = (url) => idPhoto.fetchImage(url);
  if (skin) imageSources[SKIN] = (url) => skin.fetchImage(url);
  return { ops: [...createIdPhotoOps(idPhoto), ...createSkinOps(skin)], imageSources, idPhoto, skin };
}
