// The language of a demo page: the root's `lang`, and every `[data-i18n]` text in it.

/** The demo pages' languages. */
export type Lang = 'zh-CN' | 'en';

/** The page's language (the root's `lang`). */
export function pageLang(): Lang {
  return document.documentElement.lang === 'en' ? 'en' : 'zh-CN';
}

/** Puts the page in `lang`: the root's `lang`, and each `[data-i18n]` node's text from `text[lang]`. */
export function applyPageText(text: Record<Lang, Record<string, string>>, lang: Lang): void {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const value = text[lang][node.dataset.i18n!];
    if (value) node.textContent = value;
  }
}
