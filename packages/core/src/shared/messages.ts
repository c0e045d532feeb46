import type { Hint, Lang, Phase } from './types.js';
import type { CommonMessageKey } from './messages-common.js';
import type { FaceEnrollMessageKey } from './messages-face-enroll.js';
import type { IdPhotoMessageKey } from './messages-id-photo.js';
import type { LivenessMessageKey } from './messages-liveness.js';
import type { SkinMessageKey } from './messages-skin.js';

/**
 * UI text of the kit in zh-CN and en, split by who shows it, so that an element's bundle carries
 * only its own: messages-common.ts (what the elements share), messages-face-enroll.ts,
 * messages-liveness.ts, messages-skin.ts and messages-id-photo.ts. Each file is typed complete in
 * both languages. An element gives its catalogue to its LocalizeController, which falls back to
 * the common one; MESSAGES (messages-all.ts) holds them all, for tests and for pages that list
 * the keys. This module imports no catalogue but the common one: a bundler places a module by
 * who imports it, so an import here would put every element's text in every element's chunk.
 */
export type MessageKey = CommonMessageKey | FaceEnrollMessageKey | LivenessMessageKey | SkinMessageKey | IdPhotoMessageKey;
export type Catalogue = Record<MessageKey, string>;
/** Part of the kit's text, in both languages: an element's catalogue. */
export type MessageCatalogue = Readonly<Record<Lang, Readonly<Partial<Catalogue>>>>;

export { COMMON_MESSAGES } from './messages-common.js';
export type { CommonMessageKey, FaceEnrollMessageKey, IdPhotoMessageKey, LivenessMessageKey, SkinMessageKey };

export const hintKey = (hint: Hint): MessageKey => `hint.${hint}` as MessageKey;
export const phaseKey = (phase: Phase): MessageKey => `phase.${phase}` as MessageKey;

/** Replaces `{name}` placeholders. */
export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
