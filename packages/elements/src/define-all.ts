/** Registers every facekit element. The script-tag build's entry. */
import './face-enroll/define.js';
import './skin-report/define.js';

export * from './index.js';
