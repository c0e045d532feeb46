/**
 * `face.image`: the face-image lookup by `userId` and `userType` (vendor document
 * `face-image-query-api.txt`), used by `<face-enroll>` to show an enrolled photo.
 * The browser never sees a vendor host: a URL answer is turned into this endpoint's media link,
 * a BASE64 answer into a `data:` URL.
 */
import { base64ToBytes } from '../encoding.js';
import { EndpointError } from '../endpoint-error.js';
import { sniffImageType } from '../vendors/aliyun-gateway.js';
import { FACE_IMAGE_USER_TYPES, type FaceImageClient, type FaceImageFormat, type FaceImageUserType } from '../vendors/face-image/client.js';
import { FACE_IMAGE } from '../vendors/face-image/errors.js';
import { defineOp, type RegisteredOp } from './types.js';
import { fieldError, optionalString, requiredString } from './validate.js';

export interface FaceImageData {
  userId: string;
  userType: string;
  faceId?: string;
  userName?: string;
  /** As the service writes it: `yyyy-MM-dd HH:mm:ss`. */
  expireTime?: string;
  /** 通行策略, e.g. `PERMISSION`. */
  policy?: string;
  imageFormat: FaceImageFormat;
  /** A link on this endpoint (URL) or a `data:image/…;base64,` URL (BASE64). */
  imageUrl: string;
}

const USER_ID = /^[\p{L}\p{N}_.:@+-]+$/u;

function clientOrFail(client: FaceImageClient | undefined): FaceImageClient {
  if (!client) throw new EndpointError('VENDOR_UNAVAILABLE', { vendor: { name: FACE_IMAGE, code: 'not-configured', message: 'no face-image URL is configured' } });
  return client;
}

function malformed(message: string): EndpointError {
  return new EndpointError('VENDOR_ERROR', { vendor: { name: FACE_IMAGE, code: 'malformed', message } });
}

/** The service's base64 (bare or already a data URL) as a data URL of the type its bytes show. */
export function imageDataUrl(value: string): string {
  const bare = value.replace(/^data:[^,]*,/i, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(bare)) throw malformed('imageBase64 is not base64');
  let type: string | undefined;
  try {
    type = sniffImageType(base64ToBytes(bare.slice(0, 16)));
  } catch {
    type = undefined;
  }
  if (!type) throw malformed('imageBase64 is not a JPEG or PNG');
  return `data:${type};base64,${bare}`;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined);

export function createFaceImageOps(client: FaceImageClient | undefined): RegisteredOp[] {
  const image = defineOp<{ userId: string; userType: FaceImageUserType; imageFormat: FaceImageFormat }>({
    name: 'face.image',
    vendor: FACE_IMAGE,
    safeToRetry: true,
    validate(body) {
      const userType = requiredString(body, 'userType', { max: 16 }).toUpperCase();
      if (!FACE_IMAGE_USER_TYPES.includes(userType as FaceImageUserType)) throw fieldError('userType', `must be one of ${FACE_IMAGE_USER_TYPES.join(', ')}`);
      const imageFormat = (optionalString(body, 'imageFormat', { max: 8 }) ?? 'URL').toUpperCase();
      if (imageFormat !== 'URL' && imageFormat !== 'BASE64') throw fieldError('imageFormat', 'must be URL or BASE64');
      return { userId: requiredString(body, 'userId', { max: 128, pattern: USER_ID }), userType: userType as FaceImageUserType, imageFormat };
    },
    async run(params, context) {
      const data = await clientOrFail(client).getImage(params);
      let imageUrl: string;
      if (params.imageFormat === 'BASE64') {
        const base64 = text(data.imageBase64);
        if (!base64) throw malformed('the answer has no imageBase64');
        imageUrl = imageDataUrl(base64);
      } else {
        const vendorUrl = text(data.imageUrl);
        if (!vendorUrl || !/^https?:\/\//i.test(vendorUrl)) throw malformed('the answer has no http(s) imageUrl');
        imageUrl = await context.linkImage(FACE_IMAGE, vendorUrl);
      }
      const result: FaceImageData = { userId: text(data.userId) ?? params.userId, userType: text(data.userType) ?? params.userType, imageFormat: params.imageFormat, imageUrl };
      for (const field of ['faceId', 'userName', 'expireTime', 'policy'] as const) {
        const value = text(data[field]);
        if (value !== undefined) result[field] = value;
      }
      return { data: result };
    },
  });
  return [image];
}
