/**
 * Client of the face-image lookup (vendor document `face-image-query-api.txt`): `POST
 * /face/paas/image/get` through Alibaba Cloud API Gateway, in the IoT-style envelope
 * `{ id, version: "1.0", request: { apiVer: "1.2.0" }, params: { userType, userId, imageFormat } }`,
 * answered by `{ id, code, message, localizedMsg, data }` where `code` 200 is success and other
 * codes come with HTTP 200 too. Every failure leaves this class as an EndpointError (errors.ts).
 */
import { EndpointError } from '../../endpoint-error.js';
import {
  AliyunGatewayCaller,
  codeForGatewayStatus,
  gatewayRefusal,
  malformedAnswer,
  transportFailure,
  type AliyunGatewayVendorConfig,
  type GatewayAnswer,
} from '../aliyun-gateway.js';
import { excerpt } from '../http.js';
import { FACE_IMAGE, faceImageRule } from './errors.js';

export type FaceImageConfig = AliyunGatewayVendorConfig;

export const FACE_IMAGE_PATH = '/face/paas/image/get';
/** 版本号 1.2.0 of the document; the envelope's own `version` is "1.0" in its example. */
export const FACE_IMAGE_API_VERSION = '1.2.0';
export const FACE_IMAGE_ENVELOPE_VERSION = '1.0';

export const FACE_IMAGE_USER_TYPES = ['IDENTITY', 'OPEN', 'YUNDUN', 'PHONE'] as const;
export type FaceImageUserType = (typeof FACE_IMAGE_USER_TYPES)[number];
export type FaceImageFormat = 'URL' | 'BASE64';

export interface FaceImageQuery {
  userType: FaceImageUserType;
  userId: string;
  imageFormat: FaceImageFormat;
}

export class FaceImageClient {
  readonly name = FACE_IMAGE;
  private readonly caller: AliyunGatewayCaller;

  constructor(config: FaceImageConfig) {
    this.caller = new AliyunGatewayCaller(config);
  }

  get authMode() {
    return this.caller.mode;
  }

  /** Returns the envelope's `data` when `code` is 200. */
  async getImage(query: FaceImageQuery): Promise<Record<string, unknown>> {
    const envelope = { id: crypto.randomUUID(), version: FACE_IMAGE_ENVELOPE_VERSION, request: { apiVer: FACE_IMAGE_API_VERSION }, params: { ...query } };
    let answer: GatewayAnswer;
    try {
      answer = await this.caller.send({ method: 'POST', path: FACE_IMAGE_PATH, json: envelope });
    } catch (error) {
      throw transportFailure(FACE_IMAGE, error);
    }
    if (answer.gatewayError) throw gatewayRefusal(FACE_IMAGE, answer);
    const json = isRecord(answer.json) ? answer.json : undefined;
    const code = json ? Number(json.code) : NaN;
    const message = [json?.message, json?.localizedMsg].filter((part) => typeof part === 'string' && part !== '').join(' / ');
    if (answer.status !== 200) {
      const rule = faceImageRule('http', answer.status, typeof json?.message === 'string' ? json.message : '');
      throw new EndpointError(rule?.kitCode ?? codeForGatewayStatus(answer.status), {
        vendor: { name: FACE_IMAGE, code: `HTTP ${answer.status}`, message: message || excerpt(answer.text) || `HTTP ${answer.status}` },
        retryAfterMs: answer.retryAfterMs,
      });
    }
    if (!json || !Number.isInteger(code)) throw malformedAnswer(FACE_IMAGE, answer);
    if (code !== 200) {
      const rule = faceImageRule('business', code, typeof json.message === 'string' ? json.message : '');
      throw new EndpointError(rule?.kitCode ?? 'VENDOR_ERROR', { vendor: { name: FACE_IMAGE, code: String(code), message: message || `code ${code}` } });
    }
    if (!isRecord(json.data)) throw malformedAnswer(FACE_IMAGE, answer);
    return json.data;
  }

  /** Downloads an image by the `imageUrl` the service handed out, for the media route. */
  fetchImage(url: string): Promise<{ bytes: Uint8Array; contentType: string }> {
    const failed = (status: number, body: string) =>
      new EndpointError(status === 404 || status === 403 ? 'NOT_FOUND' : status === 0 ? 'VENDOR_ERROR' : codeForGatewayStatus(status), {
        vendor: { name: FACE_IMAGE, code: status ? `HTTP ${status}` : 'malformed', message: excerpt(body) || `HTTP ${status}` },
      });
    return this.caller.fetchImage(url, failed).catch((error: unknown) => {
      throw transportFailure(FACE_IMAGE, error);
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
