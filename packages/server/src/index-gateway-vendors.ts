// Public API of the Alibaba-gateway vendors (FaceID liveness, face-image lookup), re-exported by index.ts.
export { createFaceIdOps, FACEID_MAX_IMAGE_BASE64_CHARS, LIVENESS_ACTIONS, type LivenessAction, type ActionLogEntry } from './ops/faceid.js';
export { createFaceImageOps, imageDataUrl, type FaceImageData } from './ops/face-image.js';
export { createGatewayVendors, type GatewayVendorsConfig } from './ops/gateway-vendors.js';
export { gatewayVendorsFromEnv, type GatewayVendorSettings } from './config-gateway-vendors.js';
export {
  AliyunGatewayCaller,
  ALIYUN_GATEWAY_ERROR_RULES,
  aliyunAuthMode,
  gatewayRefusalCode,
  type AliyunAuthMode,
  type AliyunGatewayCredentials,
  type AliyunGatewayVendorConfig,
} from './vendors/aliyun-gateway.js';
export { FaceIdClient, FACEID_PATHS, type FaceIdConfig } from './vendors/faceid/client.js';
export {
  FACEID,
  FACEID_CODE_TABLE,
  faceIdErrorRule,
  faceIdResultRule,
  faceIdSdkRule,
  parseFaceIdError,
  type FaceIdRule,
  type FaceIdResultRule,
  type FaceIdErrorRule,
  type FaceIdOutcome,
  type LivenessVerdict,
  type LivenessAttack,
} from './vendors/faceid/errors.js';
export {
  normaliseResult as normaliseFaceIdResult,
  normaliseVerify as normaliseFaceIdVerify,
  THRESHOLD_OF_LEVEL,
  DEFAULT_SECURITY_LEVEL,
  type LivenessResult,
  type LivenessVerifyResult,
  type LivenessPending,
  type Comparison as LivenessComparison,
  type SecurityLevel,
  type ThresholdKey,
  type Thresholds,
} from './vendors/faceid/normalise.js';
export { FaceImageClient, FACE_IMAGE_PATH, FACE_IMAGE_USER_TYPES, type FaceImageConfig, type FaceImageQuery, type FaceImageUserType, type FaceImageFormat } from './vendors/face-image/client.js';
export { FACE_IMAGE, FACE_IMAGE_CODE_TABLE, faceImageRule, type FaceImageRule } from './vendors/face-image/errors.js';
export { startFaceIdMock, parseFaceIdScenario, FACEID_MOCK_THRESHOLDS, FACEID_MOCK_PATHS, type FaceIdMock, type FaceIdMockOptions } from './mocks/faceid.js';
export { startFaceImageMock, FACE_IMAGE_MOCK_PATH, FACE_IMAGE_MOCK_MESSAGES, type FaceImageMock, type FaceImageMockOptions, type FaceImageUser, type FaceImageScenario } from './mocks/face-image.js';
