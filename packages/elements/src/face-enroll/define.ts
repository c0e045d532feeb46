/** Registers `<face-enroll>` (once; importing this file twice, or after another copy, is harmless). */
import { FaceEnroll } from './face-enroll.js';

export { FaceEnroll };

if (!customElements.get('face-enroll')) customElements.define('face-enroll', FaceEnroll);

declare global {
  interface HTMLElementTagNameMap {
    'face-enroll': FaceEnroll;
  }
}
