/**
 * @facekit/server: the signing endpoint. `createApp`, the tickets, the state store and the ops
 * are runtime-neutral (web-standard fetch and Web Crypto); `startServer`, `loadConfig` and the
 * mocks need Node.
 */
export { createApp, DEFAULT_MAX_BODY_BYTES, type AppConfig, type ImageSource } from './app.js';
export {
  mintTicket,
  verifyTicket,
  readTicket,
  consumeTicketNonce,
  scopeAllows,
  isAdminOp,
  ticketFromAuthorization,
  BILLABLE_OPS,
  ADMIN_OP_PREFIXES,
  ADMIN_SCOPE,
  MAX_TICKET_TTL_SECONDS,
  type MintTicketOptions,
  type VerifyTicketOptions,
  type TicketClaims,
  type TicketVerdict,
  type TicketFailureCode,
} from './tickets.js';
export { MemoryStateStore, type StateStore } from './state.js';
export { RedisStateStore, type RedisCommandClient, type RedisStateStoreOptions } from './state-redis.js';
export { connectRedisStore, type NodeRedisStore } from './redis-node.js';
export { type HardeningConfig } from './hardening/index.js';
export { checkImage, MAX_IMAGE_SIDE_PX, type ImageCheckOptions, type CheckedImage, type ImageFormat } from './hardening/image.js';
export { withRetry, DEFAULT_RETRY_POLICY, RETRY_ON_CODES, parseRetryAfter, type RetryPolicy } from './hardening/retry.js';
export { RateLimiter, DEFAULT_RATE_LIMIT_PER_MINUTE, DEFAULT_RATE_LIMIT_IP_PER_MINUTE } from './hardening/rate-limit.js';
export { IDEMPOTENCY_HEADER, REPLAY_HEADER, DEFAULT_IDEMPOTENCY_TTL_MS, type IdempotencyOptions } from './hardening/idempotency.js';
export { redact, maskIdNumber, scrubText, type LogSink } from './hardening/logger.js';
export { EndpointError, type VendorInfo } from './endpoint-error.js';
export { OpRegistry } from './ops/registry.js';
export { defineOp, type OpDefinition, type OpContext, type OpResult, type RegisteredOp } from './ops/types.js';
export { createFacePlatformOps } from './ops/face-platform.js';
export { FacePlatformClient, FACE_PLATFORM_COMMON_PATHS, FACE_PLATFORM_PATHS, type FacePlatformConfig } from './vendors/face-platform/client.js';
export { FACE_PLATFORM, FACE_PLATFORM_MESSAGE_RULES, mapFacePlatformFailure, type FacePlatformFailure } from './vendors/face-platform/errors.js';
export { startServer, serveStaticFile, MIME_TYPES, type StartServerOptions, type RunningServer } from './node.js';
export { configFromEnv, loadConfig, ConfigError, DEFAULT_PORT, DEFAULT_HOST, type FacekitSettings, type FacekitConfigFile } from './config.js';
export {
  startFacePlatformMock,
  type FacePlatformMock,
  type FacePlatformMockOptions,
  type FaultSettings,
  type FaultController,
} from './mocks/face-platform.js';

export * from './index-id-photo-skin.js';
export * from './index-gateway-vendors.js';

import { startFacePlatformMock } from './mocks/face-platform.js';
import { startIdPhotoMock } from './mocks/id-photo.js';
import { startSkinMock } from './mocks/skin.js';
import { startFaceIdMock } from './mocks/faceid.js';
import { startFaceImageMock } from './mocks/face-image.js';
/** The mock vendors, by vendor name. */
export const mocks = { facePlatform: startFacePlatformMock, idPhoto: startIdPhotoMock, skin: startSkinMock, faceid: startFaceIdMock, faceImage: startFaceImageMock } as const;
export * from './signing/index.js';
