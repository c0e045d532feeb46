/** Registers every facekit element. The script-tag build's entry. */
import './face-enroll/define.js';
import './skin-report/define.js';
import './liveness-check/define.js';
import './id-photo-maker/define.js';

export * from './index.js';
