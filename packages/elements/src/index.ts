/**
 * facekit elements: the classes, without registering any tag. Register with the define files
 * (`@facekit/elements/face-enroll/define.js`) or all at once with `define-all.js`, or under your
 * own tag names with `customElements.define('my-enroll', class extends FaceEnroll {})`.
 */
export { FaceEnroll, type FaceEnrollMode, type CaptureSource } from './face-enroll/face-enroll.js';
export { buildEnrollBody, birthdayToNumber, type EnrollBody, type EnrollFields } from './face-enroll/enroll-form.js';
export * from './events.js';
export { maskIdNumber } from './shared/mask.js';
