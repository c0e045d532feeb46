/** Registers every facekit element at once (the ESM package entry `@facekit/elements/define-all.js`). The script-tag kit loads them one by one instead (packages/elements/kit/loader.ts). */
import './face-enroll/define.js';
import './skin-report/define.js';
import './liveness-check/define.js';
import './id-photo-maker/define.js';

export * from './index.js';
