/**
 * The ID-photo and skin-analysis settings of `configFromEnv`: `FACEKIT_ID_PHOTO_*` and
 * `FACEKIT_SKIN_*`, or `idPhoto` / `skin` in the JSON file. A URL without its credentials is a
 * configuration error; no URL means the mock is used (startServer starts it).
 */
import type { IdPhotoConfig } from './vendors/id-photo/client.js';
import type { SkinConfig } from './vendors/skin/client.js';

type EnvRecord = Record<string, string | undefined>;

export interface IdPhotoSkinSettings {
  idPhoto?: IdPhotoConfig;
  skin?: SkinConfig;
}

export function idPhotoSkinFromEnv(env: EnvRecord, file: Partial<IdPhotoSkinSettings>, fail: (message: string) => never): IdPhotoSkinSettings {
  const text = (name: string): string | undefined => env[name]?.trim() || undefined;
  const url = (name: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
    } catch {
      fail(`${name} must be an absolute http(s) URL`);
    }
    return value;
  };
  const timeout = (name: string, fallback: number | undefined): number | undefined => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 100 || value > 120_000) fail(`${name} must be an integer from 100 to 120000`);
    return value;
  };
  const settings: IdPhotoSkinSettings = {};

  const idPhotoUrl = url('FACEKIT_ID_PHOTO_URL', text('FACEKIT_ID_PHOTO_URL') ?? file.idPhoto?.url);
  if (idPhotoUrl) {
    const appKey = text('FACEKIT_ID_PHOTO_APP_KEY') ?? file.idPhoto?.appKey;
    const appSecret = text('FACEKIT_ID_PHOTO_APP_SECRET') ?? file.idPhoto?.appSecret;
    if (!appKey || !appSecret) fail('FACEKIT_ID_PHOTO_URL needs FACEKIT_ID_PHOTO_APP_KEY and FACEKIT_ID_PHOTO_APP_SECRET');
    settings.idPhoto = { url: idPhotoUrl, appKey, appSecret, timeoutMs: timeout('FACEKIT_ID_PHOTO_TIMEOUT_MS', file.idPhoto?.timeoutMs) };
  }

  const skinUrl = url('FACEKIT_SKIN_URL', text('FACEKIT_SKIN_URL') ?? file.skin?.url);
  if (skinUrl) {
    const clientId = text('FACEKIT_SKIN_CLIENT_ID') ?? file.skin?.clientId;
    const clientSecret = text('FACEKIT_SKIN_CLIENT_SECRET') ?? file.skin?.clientSecret;
    if (!clientId || !clientSecret) fail('FACEKIT_SKIN_URL needs FACEKIT_SKIN_CLIENT_ID and FACEKIT_SKIN_CLIENT_SECRET');
    settings.skin = {
      url: skinUrl,
      clientId,
      clientSecret,
      imageBaseUrl: url('FACEKIT_SKIN_IMAGE_URL', text('FACEKIT_SKIN_IMAGE_URL') ?? file.skin?.imageBaseUrl),
      timeoutMs: timeout('FACEKIT_SKIN_TIMEOUT_MS', file.skin?.timeoutMs),
    };
  }
  return settings;
}
