/**
 * The script-tag kit's chunk for `<face-enroll>`. The loader (loader.ts) adds its exports to the
 * `facekit` global, then defines the tag with KIT_ELEMENT: an element never runs before the
 * global has what it may use (the WeChat image source).
 */
import { FaceEnroll } from '../src/face-enroll/face-enroll.js';

export { FaceEnroll };
export const KIT_ELEMENT = FaceEnroll;
export { buildEnrollBody, birthdayToNumber } from '../src/face-enroll/enroll-form.js';
export * from './common.js';
