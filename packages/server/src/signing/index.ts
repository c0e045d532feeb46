// Vendor request signing, done only on the server, and the gateway-side checks of the mock vendors.
export {
  ALIYUN_ERRORS,
  ALIYUN_SIGNATURE_METHOD,
  aliyunAppCodeHeaders,
  aliyunStringToSign,
  signAliyunGateway,
  verifyAliyunAppCode,
  verifyAliyunGateway,
  type AliyunCredentials,
  type AliyunRequest,
  type AliyunSignOptions,
  type AliyunVerifyOptions,
  type AliyunVerifyResult,
} from './aliyun.js';
export {
  HUAWEI_ALGORITHM,
  HUAWEI_APP_AUTH_ERROR_CODE,
  formatSdkDate,
  huaweiCanonicalRequest,
  huaweiStringToSign,
  parseSdkDate,
  signHuaweiApig,
  verifyHuaweiApig,
  type HuaweiApigError,
  type HuaweiCredentials,
  type HuaweiRequest,
  type HuaweiSignOptions,
  type HuaweiVerifyOptions,
  type HuaweiVerifyResult,
} from './huawei.js';
export { createMemoryNonceStore, type NonceStore, type SignableRequest } from './http.js';
