/** The script-tag kit's chunk for `<face-enroll>`: registers the tag; its exports join the `facekit` global. */
import '../face-enroll/define.js';
export { FaceEnroll } from '../face-enroll/face-enroll.js';
export { buildEnrollBody, birthdayToNumber } from '../face-enroll/enroll-form.js';
export * from './common.js';
