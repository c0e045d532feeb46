/** The script-tag kit's chunk for `<liveness-check>`: registers the tag; its exports join the `facekit` global. */
import '../liveness-check/define.js';
export { LivenessCheck } from '../liveness-check/liveness-check.js';
export { actionLogOf, deviceVerdict, vendorResult, maskName, THRESHOLD_OF_LEVEL } from '../liveness-check/liveness-result.js';
export * from './common.js';
