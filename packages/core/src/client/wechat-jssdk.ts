/**
 * An ImageSource over the WeChat JS-SDK (`wx.chooseImage` + `wx.getLocalImgData`).
 *
 * The JS-SDK needs a signature from the site's server (`wx.config`) and a domain registered with
 * WeChat, so the kit never loads or configures it: the host does, then hands `wx` over:
 *
 *   el.imageSource = createWeChatImageSource(window.wx);
 *
 * `getLocalImgData` answers differently per platform: base64 without a `data:` prefix on Android,
 * and a prefix with the wrong MIME type ("image/jgp") on iOS. Both become a Blob with the MIME
 * type of its bytes.
 */
import { FacekitError } from '../shared/errors.js';
import type { ImageSource } from './capture-ladder.js';

/** The part of the JS-SDK the adapter uses. */
export interface WeChatJsSdk {
  chooseImage(options: {
    count?: number;
    sizeType?: ('original' | 'compressed')[];
    sourceType?: ('album' | 'camera')[];
    success?: (result: { localIds: string[] }) => void;
    fail?: (error: { errMsg?: string }) => void;
    cancel?: () => void;
  }): void;
  getLocalImgData(options: {
    localId: string;
    success?: (result: { localData: string }) => void;
    fail?: (error: { errMsg?: string }) => void;
  }): void;
}

export interface WeChatImageSourceOptions {
  /** Default: camera and album. */
  sourceType?: ('album' | 'camera')[];
  /** Default: compressed (WeChat's own JPEG), which keeps the base64 bridge fast. */
  sizeType?: ('original' | 'compressed')[];
}

/** Base64 magic numbers of the formats the kit decodes. */
const BASE64_MAGIC: readonly [string, string][] = [
  ['/9j/', 'image/jpeg'],
  ['iVBORw0KGgo', 'image/png'],
  ['R0lGOD', 'image/gif'],
  ['UklGR', 'image/webp'],
  ['Qk', 'image/bmp'],
];

/** Misspelt or non-standard MIME types seen from webviews, and the real ones. */
const MIME_FIXES: Readonly<Record<string, string>> = {
  'image/jgp': 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
};

/**
 * `localData` of getLocalImgData as plain base64 and a MIME type. The type comes from the bytes
 * when the prefix is missing (Android) and replaces a misspelt one (iOS "image/jgp").
 */
export function normaliseLocalImgData(localData: string): { base64: string; type: string } {
  let base64 = localData.trim();
  let declared = '';
  const prefix = /^data:([^;,]*)(?:;[^,]*)?,/i.exec(base64);
  if (prefix) {
    declared = (prefix[1] ?? '').toLowerCase();
    base64 = base64.slice(prefix[0].length);
  }
  // Some Android builds wrap the text at 76 columns.
  base64 = base64.replace(/\s+/g, '');
  const sniffed = BASE64_MAGIC.find(([magic]) => base64.startsWith(magic))?.[1];
  const type = sniffed ?? MIME_FIXES[declared] ?? (declared.startsWith('image/') ? declared : 'image/jpeg');
  return { base64, type };
}

/** A Blob from `localData`; throws FILE_UNREADABLE when it is not base64. */
export function localImgDataToBlob(localData: string): Blob {
  const { base64, type } = normaliseLocalImgData(localData);
  let binary: string;
  try {
    binary = atob(base64);
  } catch (cause) {
    throw new FacekitError('FILE_UNREADABLE', 'WeChat returned image data that is not base64', { cause });
  }
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return new Blob([bytes], { type });
}

export function createWeChatImageSource(wx: WeChatJsSdk, options: WeChatImageSourceOptions = {}): ImageSource {
  if (!wx || typeof wx.chooseImage !== 'function' || typeof wx.getLocalImgData !== 'function') {
    throw new TypeError('createWeChatImageSource needs the WeChat JS-SDK object (window.wx) with chooseImage and getLocalImgData');
  }
  const sourceType = options.sourceType ?? ['camera', 'album'];
  const sizeType = options.sizeType ?? ['compressed'];
  return {
    label: { 'zh-CN': '用微信拍照或选择照片', en: 'Take or choose a photo in WeChat' },
    async pick({ signal } = {}) {
      if (signal?.aborted) throw new FacekitError('ABORTED');
      const localId = await new Promise<string | null>((resolve, reject) => {
        wx.chooseImage({
          count: 1,
          sizeType,
          sourceType,
          success: (result) => resolve(result.localIds?.[0] ?? null),
          cancel: () => resolve(null),
          fail: (error) => reject(sdkError(error)),
        });
      });
      if (!localId || signal?.aborted) return null;
      const localData = await new Promise<string>((resolve, reject) => {
        wx.getLocalImgData({ localId, success: (result) => resolve(result.localData), fail: (error) => reject(sdkError(error)) });
      });
      return localImgDataToBlob(localData);
    },
  };
}

/** A JS-SDK failure: usually a missing or stale `wx.config` signature, or a denied permission. */
function sdkError(error: { errMsg?: string } | undefined): FacekitError {
  const detail = error?.errMsg ?? 'unknown error';
  const code = /denied|auth/i.test(detail) ? 'CAMERA_DENIED' : 'UNSUPPORTED';
  return new FacekitError(code, `WeChat JS-SDK: ${detail}`, { cause: error });
}
