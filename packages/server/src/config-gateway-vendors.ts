/**
 * The FaceID and face-image settings of `configFromEnv`: `FACEKIT_FACEID_*` and
 * `FACEKIT_FACE_IMAGE_*`, or `faceid` / `faceImage` in the JSON file. Each needs its URL and
 * either AppKey + AppSecret (gateway signature) or an AppCode; with all three the signature is
 * used. No URL means the mock is used (startServer starts it unless demo mode is off).
 */
import type { AliyunGatewayVendorConfig } from './vendors/aliyun-gateway.js';

type EnvRecord = Record<string, string | undefined>;

export interface GatewayVendorSettings {
  faceid?: AliyunGatewayVendorConfig;
  faceImage?: AliyunGatewayVendorConfig;
}

export function gatewayVendorsFromEnv(env: EnvRecord, file: Partial<GatewayVendorSettings>, fail: (message: string) => never): GatewayVendorSettings {
  const text = (name: string): string | undefined => env[name]?.trim() || undefined;
  const vendor = (prefix: string, fromFile: Partial<AliyunGatewayVendorConfig> | undefined): AliyunGatewayVendorConfig | undefined => {
    const url = text(`${prefix}_URL`) ?? fromFile?.url;
    if (!url) return undefined;
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
    } catch {
      fail(`${prefix}_URL must be an absolute http(s) URL`);
    }
    const appKey = text(`${prefix}_APP_KEY`) ?? fromFile?.appKey;
    const appSecret = text(`${prefix}_APP_SECRET`) ?? fromFile?.appSecret;
    const appCode = text(`${prefix}_APP_CODE`) ?? fromFile?.appCode;
    if (Boolean(appKey) !== Boolean(appSecret)) fail(`${prefix}_APP_KEY and ${prefix}_APP_SECRET go together`);
    if (!appKey && !appCode) fail(`${prefix}_URL needs ${prefix}_APP_KEY and ${prefix}_APP_SECRET, or ${prefix}_APP_CODE`);
    const rawTimeout = text(`${prefix}_TIMEOUT_MS`);
    const timeoutMs = rawTimeout === undefined ? fromFile?.timeoutMs : Number(rawTimeout);
    if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs >= 100 && timeoutMs <= 120_000)) fail(`${prefix}_TIMEOUT_MS must be an integer from 100 to 120000`);
    const settings: AliyunGatewayVendorConfig = { url };
    if (appKey) Object.assign(settings, { appKey, appSecret });
    if (appCode) settings.appCode = appCode;
    if (timeoutMs !== undefined) settings.timeoutMs = timeoutMs;
    return settings;
  };
  const settings: GatewayVendorSettings = {};
  const faceid = vendor('FACEKIT_FACEID', file.faceid);
  if (faceid) settings.faceid = faceid;
  const faceImage = vendor('FACEKIT_FACE_IMAGE', file.faceImage);
  if (faceImage) settings.faceImage = faceImage;
  return settings;
}
