/**
 * The capture ladder: where a photo comes from, best first.
 *
 * 1. the camera, guided live, when getUserMedia exists and works;
 * 2. an image source the host injects (for example the WeChat JS-SDK adapter, see
 *    wechat-jssdk.ts), which needs the host's signature and registered domain, so it is never on
 *    by default;
 * 3. the file input (`<input type="file" accept="image/*" capture="user">`), always there.
 *
 * The elements ask `planCapture()` where to start and `fallsBackFrom()` whether a camera failure
 * moves down the ladder; the image source and the file input are then offered side by side.
 */
import type { KitCode } from '../shared/types.js';
import type { Environment } from './environment.js';

/** A photo picker supplied by the host page. */
export interface ImageSource {
  /** Shown on the element's button, per language; a built-in label is used when absent. */
  readonly label?: Partial<Record<'zh-CN' | 'en', string>>;
  /** Lets the user pick or take one photo. Resolves with null when the user cancels. */
  pick(options?: { signal?: AbortSignal }): Promise<Blob | null>;
}

export type CaptureRung = 'camera' | 'image-source' | 'file';

/** `camera`: camera only; `file`: no camera; `auto`: the whole ladder. */
export type CaptureSourceSetting = 'camera' | 'file' | 'auto';

/** Camera failures after which `auto` moves down to the image source and the file input. */
export const CAMERA_FALLBACK_CODES: ReadonlySet<KitCode> = new Set<KitCode>(['CAMERA_DENIED', 'CAMERA_NOT_FOUND', 'CAMERA_BUSY', 'UNSUPPORTED']);

export interface CapturePlanInput {
  source: CaptureSourceSetting;
  environment: Pick<Environment, 'camera'>;
  imageSource?: ImageSource | null;
}

/** The rungs to offer, best first. */
export function planCapture({ source, environment, imageSource }: CapturePlanInput): CaptureRung[] {
  const fallbacks: CaptureRung[] = imageSource ? ['image-source', 'file'] : ['file'];
  if (source === 'file') return fallbacks;
  if (source === 'camera') return ['camera'];
  // No getUserMedia at all (iOS WeChat before 14.3, plain http): skip the camera without an error.
  return environment.camera ? ['camera', ...fallbacks] : fallbacks;
}

/** Whether a camera failure moves an `auto` source down the ladder. */
export function fallsBackFrom(source: CaptureSourceSetting, code: KitCode): boolean {
  return source === 'auto' && CAMERA_FALLBACK_CODES.has(code);
}
