/** startServer's part for the ID-photo and skin vendors: a mock on loopback for each one that has no URL. */
import type { IdPhotoConfig } from '../vendors/id-photo/client.js';
import type { SkinConfig } from '../vendors/skin/client.js';
import { startIdPhotoMock, type IdPhotoMock } from './id-photo.js';
import { startSkinMock, type SkinMock } from './skin.js';

export async function startIdPhotoSkinMocks(
  given: { idPhoto?: IdPhotoConfig; skin?: SkinConfig },
  mocks: { idPhoto?: IdPhotoMock; skin?: SkinMock },
): Promise<{ idPhoto: IdPhotoConfig; skin: SkinConfig }> {
  let idPhoto = given.idPhoto;
  if (!idPhoto?.url) {
    mocks.idPhoto = await startIdPhotoMock({ port: 0 });
    idPhoto = { ...idPhoto, url: mocks.idPhoto.apiUrl, appKey: mocks.idPhoto.appKey, appSecret: mocks.idPhoto.appSecret };
  }
  let skin = given.skin;
  if (!skin?.url) {
    mocks.skin = await startSkinMock({ port: 0 });
    skin = { ...skin, url: mocks.skin.url, clientId: mocks.skin.clientId, clientSecret: mocks.skin.clientSecret, imageBaseUrl: mocks.skin.imageBaseUrl };
  }
  return { idPhoto, skin };
}
