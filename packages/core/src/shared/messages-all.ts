import type { Lang } from './types.js';
import type { Catalogue, MessageCatalogue } from './messages.js';
import { COMMON_MESSAGES } from './messages-common.js';
import { FACE_ENROLL_MESSAGES } from './messages-face-enroll.js';
import { ID_PHOTO_MESSAGES } from './messages-id-photo.js';
import { LIVENESS_MESSAGES } from './messages-liveness.js';
import { SKIN_MESSAGES } from './messages-skin.js';

export { FACE_ENROLL_MESSAGES, ID_PHOTO_MESSAGES, LIVENESS_MESSAGES, SKIN_MESSAGES };

function mergeCatalogues(...catalogues: MessageCatalogue[]): Record<Lang, Catalogue> {
  const merged = { 'zh-CN': {}, en: {} } as Record<Lang, Catalogue>;
  for (const catalogue of catalogues) {
    for (const lang of Object.keys(merged) as Lang[]) Object.assign(merged[lang], catalogue[lang]);
  }
  return merged;
}

/** Every message of the kit, in both languages (each element carries only its own part). */
export const MESSAGES: Record<Lang, Catalogue> = /* @__PURE__ */ mergeCatalogues(COMMON_MESSAGES, FACE_ENROLL_MESSAGES, LIVENESS_MESSAGES, SKIN_MESSAGES, ID_PHOTO_MESSAGES);
