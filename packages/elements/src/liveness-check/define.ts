/** Registers `<liveness-check>` (once; importing this file twice, or after another copy, is harmless). */
import { LivenessCheck } from './liveness-check.js';

export { LivenessCheck };

if (!customElements.get('liveness-check')) customElements.define('liveness-check', LivenessCheck);

declare global {
  interface HTMLElementTagNameMap {
    'liveness-check': LivenessCheck;
  }
}
