/** Registers `<skin-report>` (once; importing this file twice, or after another copy, is harmless). */
import { SkinReport } from './skin-report.js';

export { SkinReport };

if (!customElements.get('skin-report')) customElements.define('skin-report', SkinReport);

declare global {
  interface HTMLElementTagNameMap {
    'skin-report': SkinReport;
  }
}
