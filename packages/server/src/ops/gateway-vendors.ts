/**
 * The vendors reached through Alibaba Cloud API Gateway (FaceID liveness, face-image lookup):
 * their clients, ops and media sources, built once for createApp. Their ops are registered
 * even when the vendor is not configured, and then answer VENDOR_UNAVAILABLE ("not-configured").
 */
import type { ImageSource } from '../app.js';
import { DEFAULT_VENDOR_TIMEOUT_MS, type FetchFunction } from '../vendors/http.js';
import { FaceIdClient, type FaceIdConfig } from '../vendors/faceid/client.js';
import { FaceImageClient, type FaceImageConfig } from '../vendors/face-image/client.js';
import { FACE_IMAGE } from '../vendors/face-image/errors.js';
import { createFaceIdOps } from './faceid.js';
import { createFaceImageOps } from './face-image.js';
import type { RegisteredOp } from './types.js';

export interface GatewayVendorsConfig {
  faceid?: FaceIdConfig;
  faceImage?: FaceImageConfig;
  vendorTimeoutMs?: number;
  fetch?: FetchFunction;
}

export function createGatewayVendors(config: GatewayVendorsConfig): { ops: RegisteredOp[]; imageSources: Record<string, ImageSource> } {
  const withDefaults = <T extends { timeoutMs?: number; fetch?: FetchFunction }>(vendor: T): T => ({
    ...vendor,
    timeoutMs: vendor.timeoutMs ?? config.vendorTimeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS,
    fetch: vendor.fetch ?? config.fetch,
  });
  const faceid = config.faceid?.url ? new FaceIdClient(withDefaults(config.faceid)) : undefined;
  const faceImage = config.faceImage?.url ? new FaceImageClient(withDefaults(config.faceImage)) : undefined;
  const imageSources: Record<string, ImageSource> = {};
  if (faceImage) imageSources[FACE_IMAGE] = (url) => faceImage.fetchImage(url);
  return { ops: [...createFaceIdOps(faceid), ...createFaceImageOps(faceImage)], imageSources };
}
