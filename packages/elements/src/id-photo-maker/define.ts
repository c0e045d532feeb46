/** Registers `<id-photo-maker>` (once; importing this file twice, or after another copy, is harmless). */
import { IdPhotoMaker } from './id-photo-maker.js';

export { IdPhotoMaker };

if (!customElements.get('id-photo-maker')) customElements.define('id-photo-maker', IdPhotoMaker);

declare global {
  interface HTMLElementTagNameMap {
    'id-photo-maker': IdPhotoMaker;
  }
}
