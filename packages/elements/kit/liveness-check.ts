/**
 * The script-tag kit's chunk for `<liveness-check>`. The loader (loader.ts) adds its exports to the
 * `facekit` global, then defines the tag with KIT_ELEMENT: an element never runs before the
 * global has what it may use (the WeChat image source).
 */
import { LivenessCheck } from '../src/liveness-check/liveness-check.js';

export { LivenessCheck };
export const KIT_ELEMENT = LivenessCheck;
export { actionLogOf, deviceVerdict, vendorResult, maskName, THRESHOLD_OF_LEVEL } from '../src/liveness-check/liveness-result.js';
export * from './common.js';
