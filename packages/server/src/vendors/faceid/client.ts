/**
 * Client of the FaceID liveness API (vendor document `faceid-liveness-api.md`) through Alibaba
 * Cloud API Gateway:
 * - 第1步 `POST …/get_biz_token` (form fields, signed);
 * - the verify route: the document's flow hands the capture to the SDK, which "内部会调用FaceID
 *   服务器进行云端攻击检测" without naming that call. The kit's element plays the SDK's part, so
 *   the endpoint makes that call itself: `POST …/verify` with `biz_token`, `image_best` and the
 *   action log, answered with the SDK codes of "2.5 SDK 错误码说明" (51000 SUCCESS …). The mock
 *   implements it; a real deployment points it at the vendor's equivalent route;
 * - 第3步 `GET …/get_result?biz_token=…&verbose=…`.
 * Every failure leaves this class as an EndpointError with a kit code (errors.ts).
 */
import {
  AliyunGatewayCaller,
  codeForGatewayStatus,
  gatewayRefusal,
  malformedAnswer,
  transportFailure,
  type AliyunGatewayVendorConfig,
  type GatewayAnswer,
  type GatewayRequest,
} from '../aliyun-gateway.js';
import { excerpt } from '../http.js';
import { FACEID, faceIdError, faceIdErrorRule } from './errors.js';

export type FaceIdConfig = AliyunGatewayVendorConfig;

export const FACEID_PATHS = {
  getBizToken: '/face/v1.2/sdk/get_biz_token',
  verify: '/face/v1.2/sdk/verify',
  getResult: '/face/v1.2/sdk/get_result',
} as const;

export type FaceIdJson = Record<string, unknown>;

export class FaceIdClient {
  readonly name = FACEID;
  private readonly caller: AliyunGatewayCaller;

  constructor(config: FaceIdConfig) {
    this.caller = new AliyunGatewayCaller(config);
  }

  get authMode() {
    return this.caller.mode;
  }

  /** 第1步: returns the answer with `biz_token`. */
  async getBizToken(fields: Record<string, string>): Promise<FaceIdJson> {
    const json = await this.call({ method: 'POST', path: FACEID_PATHS.getBizToken, form: fields });
    if (typeof json.biz_token !== 'string' || json.biz_token === '') throw malformedAnswer(FACEID, { status: 200, text: JSON.stringify(json) });
    return json;
  }

  /** The SDK's upload: returns `{ result_code (SDK code), result_message, … }`. */
  async verify(fields: Record<string, string>): Promise<FaceIdJson> {
    return this.withResultCode(await this.call({ method: 'POST', path: FACEID_PATHS.verify, form: fields }));
  }

  /** 第3步: `verbose` 1 adds the comparisons and the live photo. */
  async getResult(bizToken: string, verbose: 0 | 1): Promise<FaceIdJson> {
    return this.withResultCode(await this.call({ method: 'GET', path: FACEID_PATHS.getResult, query: { biz_token: bizToken, verbose: String(verbose) } }));
  }

  private withResultCode(json: FaceIdJson): FaceIdJson {
    const code = typeof json.result_code === 'string' ? Number(json.result_code) : json.result_code;
    if (typeof code !== 'number' || !Number.isInteger(code) || typeof json.result_message !== 'string') {
      throw malformedAnswer(FACEID, { status: 200, text: JSON.stringify(json).slice(0, 300) });
    }
    return { ...json, result_code: code };
  }

  private async call(request: GatewayRequest): Promise<FaceIdJson> {
    let answer: GatewayAnswer;
    try {
      answer = await this.caller.send(request);
    } catch (error) {
      throw transportFailure(FACEID, error);
    }
    if (answer.gatewayError) throw gatewayRefusal(FACEID, answer);
    const json = isRecord(answer.json) ? answer.json : undefined;
    if (answer.status !== 200) throw httpFailure(answer, json);
    if (!json) throw malformedAnswer(FACEID, answer);
    // The document answers errors with an `error` field; a 200 should never carry one.
    if (typeof json.error === 'string' && json.error) throw httpFailure(answer, json);
    return json;
  }
}

/** A non-200 answer: the ERROR field decides, else the plain-text 413, else the status. */
function httpFailure(answer: GatewayAnswer, json: FaceIdJson | undefined): Error {
  const errorText = typeof json?.error === 'string' ? json.error : answer.text.trim();
  const rule = errorText ? faceIdErrorRule(errorText, answer.status) : undefined;
  const message = typeof json?.error === 'string' ? json.error : excerpt(answer.text) || `HTTP ${answer.status}`;
  const code = rule?.kitCode ?? codeForGatewayStatus(answer.status);
  return faceIdError(code, `HTTP ${answer.status}`, message, { retryAfterMs: answer.retryAfterMs });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
