import type { KitCode, Lang } from './types.js';

export interface KitCodeInfo {
  /** HTTP status the endpoint answers with. */
  status: number;
  /** Whether the same call may succeed if tried again unchanged. */
  retryable: boolean;
  message: Record<Lang, string>;
}

/** The one catalogue of kit codes, used by the endpoint and by the elements. */
export const KIT_CODES: Record<KitCode, KitCodeInfo> = {
  OK: { status: 200, retryable: false, message: { 'zh-CN': '成功', en: 'Done' } },
  BAD_REQUEST: { status: 400, retryable: false, message: { 'zh-CN': '请求参数有误', en: 'The request is not valid' } },
  UNKNOWN_OP: { status: 404, retryable: false, message: { 'zh-CN': '不支持的操作', en: 'This operation does not exist' } },
  BAD_IMAGE: { status: 422, retryable: false, message: { 'zh-CN': '图片无法识别，请换一张清晰的照片', en: 'The image could not be read; try a clear photo' } },
  IMAGE_TOO_LARGE: { status: 413, retryable: false, message: { 'zh-CN': '图片过大', en: 'The image is too large' } },
  NO_FACE: { status: 422, retryable: false, message: { 'zh-CN': '未检测到人脸', en: 'No face was found' } },
  MANY_FACES: { status: 422, retryable: false, message: { 'zh-CN': '检测到多张人脸，请只保留一人', en: 'Several faces were found; only one person please' } },
  LOW_QUALITY: { status: 422, retryable: false, message: { 'zh-CN': '人脸质量不合格，请重新拍摄', en: 'The face quality is too low; please retake' } },
  NOT_FOUND: { status: 404, retryable: false, message: { 'zh-CN': '记录不存在', en: 'No such record' } },
  ALREADY_EXISTS: { status: 409, retryable: false, message: { 'zh-CN': '记录已存在', en: 'The record already exists' } },
  NO_MATCH: { status: 200, retryable: false, message: { 'zh-CN': '未找到匹配的人员', en: 'No matching person was found' } },
  // Not a failure: an async vendor job (skin analysis) is still running; poll again with data's id.
  IN_PROGRESS: { status: 202, retryable: true, message: { 'zh-CN': '分析进行中，请稍后查询', en: 'The analysis is still running; check again shortly' } },
  IMAGE_UNREACHABLE: { status: 422, retryable: false, message: { 'zh-CN': '无法获取图片，请检查图片地址', en: 'The image could not be fetched from its URL' } },
  HEAD_NOT_FOUND: { status: 422, retryable: false, message: { 'zh-CN': '未能识别完整头部，请让头顶和双肩都在画面内', en: 'The whole head was not found; keep the top of the head and the shoulders in the picture' } },
  CONTENT_REJECTED: { status: 422, retryable: false, message: { 'zh-CN': '图片内容涉嫌违规，无法处理', en: 'The image content was rejected by the service' } },
  // Liveness verdicts (FaceID): returned as data.reasonCode of liveness.verify/result, with an OK envelope.
  NOT_SAME_PERSON: { status: 200, retryable: false, message: { 'zh-CN': '人脸比对未通过，不是同一个人', en: 'The face does not match the identity on record' } },
  IDENTITY_MISMATCH: { status: 422, retryable: false, message: { 'zh-CN': '姓名与身份证号核验未通过', en: 'The name and ID number could not be verified' } },
  REFERENCE_PHOTO_UNUSABLE: { status: 422, retryable: false, message: { 'zh-CN': '无法获取或使用比对用的权威照片', en: 'The reference photo on record could not be used' } },
  LIVENESS_ATTACK: { status: 422, retryable: false, message: { 'zh-CN': '活体检测未通过，疑似翻拍或换脸攻击', en: 'The liveness check failed: a spoofing attempt is suspected' } },
  LIVENESS_FAILED: { status: 422, retryable: false, message: { 'zh-CN': '活体检测未通过，请重试', en: 'The liveness check did not pass; try again' } },
  LIVENESS_TIMEOUT: { status: 422, retryable: false, message: { 'zh-CN': '活体检测超时，请重新开始', en: 'The liveness check timed out; start again' } },
  WRONG_ACTION: { status: 422, retryable: false, message: { 'zh-CN': '动作不符合要求，请按提示完成动作', en: 'The requested action was not done; follow the prompts' } },
  LIVENESS_EXPIRED: { status: 410, retryable: false, message: { 'zh-CN': '本次活体检测已失效，请重新开始', en: 'This liveness session has expired; start again' } },
  TICKET_MISSING: { status: 401, retryable: false, message: { 'zh-CN': '缺少访问票据', en: 'A ticket is required' } },
  TICKET_INVALID: { status: 401, retryable: false, message: { 'zh-CN': '访问票据无效', en: 'The ticket is not valid' } },
  TICKET_EXPIRED: { status: 401, retryable: true, message: { 'zh-CN': '访问票据已过期', en: 'The ticket has expired' } },
  TICKET_REPLAYED: { status: 401, retryable: true, message: { 'zh-CN': '访问票据已被使用', en: 'The ticket was already used' } },
  TICKET_SCOPE: { status: 403, retryable: false, message: { 'zh-CN': '访问票据无权执行此操作', en: 'The ticket does not allow this operation' } },
  ORIGIN_DENIED: { status: 403, retryable: false, message: { 'zh-CN': '来源网站未获授权', en: 'This site is not allowed' } },
  RATE_LIMITED: { status: 429, retryable: true, message: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again shortly' } },
  // The same Idempotency-Key is still being processed (by this or another instance).
  DUPLICATE_REQUEST: { status: 409, retryable: true, message: { 'zh-CN': '相同的请求正在处理中，请稍后再试', en: 'The same request is still being processed; try again shortly' } },
  VENDOR_AUTH: { status: 502, retryable: false, message: { 'zh-CN': '服务商鉴权失败', en: 'The service rejected our credentials' } },
  VENDOR_ERROR: { status: 502, retryable: false, message: { 'zh-CN': '服务商处理失败', en: 'The service could not process the request' } },
  VENDOR_UNAVAILABLE: { status: 503, retryable: true, message: { 'zh-CN': '服务暂时不可用，请稍后再试', en: 'The service is unavailable; try again later' } },
  VENDOR_TIMEOUT: { status: 504, retryable: true, message: { 'zh-CN': '服务响应超时，请稍后再试', en: 'The service timed out; try again later' } },
  VENDOR_QUOTA: { status: 429, retryable: true, message: { 'zh-CN': '服务调用次数已达上限', en: 'The service quota is used up' } },
  NETWORK: { status: 0, retryable: true, message: { 'zh-CN': '网络连接失败，已保存，联网后将自动重试', en: 'No connection; the capture is kept and will be sent when online' } },
  CAMERA_DENIED: { status: 0, retryable: false, message: { 'zh-CN': '无法使用摄像头（未授权），请改为上传照片', en: 'Camera permission was denied; upload a photo instead' } },
  CAMERA_NOT_FOUND: { status: 0, retryable: false, message: { 'zh-CN': '未找到摄像头，请改为上传照片', en: 'No camera was found; upload a photo instead' } },
  CAMERA_BUSY: { status: 0, retryable: true, message: { 'zh-CN': '摄像头被占用，请关闭其他应用后重试', en: 'The camera is in use by another app' } },
  UNSUPPORTED: { status: 0, retryable: false, message: { 'zh-CN': '当前浏览器不支持此功能', en: 'This browser does not support this feature' } },
  MODEL_LOAD: { status: 0, retryable: true, message: { 'zh-CN': '人脸模型加载失败，请检查网络后重试', en: 'The face model failed to load; check the connection and retry' } },
  FILE_TOO_LARGE: { status: 0, retryable: false, message: { 'zh-CN': '文件过大（最大 20 MB）', en: 'The file is too large (20 MB at most)' } },
  FILE_UNREADABLE: { status: 0, retryable: false, message: { 'zh-CN': '文件已损坏或无法读取', en: 'The file is damaged or cannot be read' } },
  FILE_FORMAT: { status: 0, retryable: false, message: { 'zh-CN': '不支持的图片格式，请使用 JPEG 或 PNG', en: 'Unsupported image format; use JPEG or PNG' } },
  ABORTED: { status: 0, retryable: true, message: { 'zh-CN': '操作已取消', en: 'Cancelled' } },
  INTERNAL: { status: 500, retryable: true, message: { 'zh-CN': '内部错误，请稍后再试', en: 'Internal error; try again later' } },
};

export function kitMessage(code: KitCode, lang: Lang = 'zh-CN'): string {
  return (KIT_CODES[code] ?? KIT_CODES.INTERNAL).message[lang];
}

/** An error carrying a kit code; thrown by the client side and turned into `facekit-error`. */
export class FacekitError extends Error {
  readonly code: KitCode;
  readonly retryable: boolean;
  constructor(code: KitCode, message?: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message ?? kitMessage(code, 'en'), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FacekitError';
    this.code = code;
    this.retryable = options?.retryable ?? KIT_CODES[code]?.retryable ?? false;
  }
}

export function isKitCode(value: unknown): value is KitCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(KIT_CODES, value);
}
