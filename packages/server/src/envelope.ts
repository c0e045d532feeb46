/** The endpoint's answer: always JSON, on success and on error, localised. */
import { KIT_CODES, kitMessage, type Envelope, type KitCode, type Lang } from '../../core/src/shared/index.js';
import type { VendorInfo } from './endpoint-error.js';

export function makeEnvelope(code: KitCode, lang: Lang, requestId: string, extra: { data?: unknown; vendor?: VendorInfo } = {}): Envelope {
  return {
    ok: code === 'OK',
    code,
    message: kitMessage(code, lang),
    ...(extra.data === undefined ? {} : { data: extra.data }),
    ...(extra.vendor ? { vendor: extra.vendor } : {}),
    requestId,
  };
}

/** HTTP status of a kit code; client-side codes (status 0) never come from the endpoint, but fall back to 500. */
export function httpStatusOf(code: KitCode): number {
  const status = KIT_CODES[code]?.status ?? 500;
  return status >= 200 && status <= 599 ? status : 500;
}

/** `?lang=` first, then `Accept-Language` by preference; zh-CN by default. */
export function pickLang(queryLang: string | undefined, acceptLanguage: string | undefined): Lang {
  const fromQuery = matchLang(queryLang);
  if (fromQuery) return fromQuery;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const entry of ranked) {
    const lang = matchLang(entry.tag);
    if (lang) return lang;
  }
  return 'zh-CN';
}

function matchLang(tag: string | undefined): Lang | undefined {
  const lower = tag?.trim().toLowerCase();
  if (!lower) return undefined;
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  return undefined;
}
