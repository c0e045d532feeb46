import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { kitMessage } from '../shared/errors.js';
import { COMMON_MESSAGES, format, type MessageCatalogue, type MessageKey } from '../shared/messages.js';
import type { KitCode, Lang } from '../shared/types.js';

export const DEFAULT_LANG: Lang = 'zh-CN';

/** Maps a BCP 47 tag to a language of the kit: zh* → zh-CN, en* → en; null when unsupported. */
export function normalizeLang(tag: string | null | undefined): Lang | null {
  const value = tag?.trim().toLowerCase().replace(/_/g, '-');
  if (!value) return null;
  const primary = value.split('-')[0];
  if (primary === 'zh') return 'zh-CN';
  if (primary === 'en') return 'en';
  return null;
}

/**
 * Text a page puts in place of the kit's, in any language: a UI message by its key
 * (`'action.start'`), or the message of a kit code as `code.<CODE>` (`'code.NO_FACE'`).
 */
export type MessageOverrides = Partial<Record<MessageKey | `code.${KitCode}`, string>>;

type LocalizedHost = ReactiveControllerHost & HTMLElement & { messages?: MessageOverrides };

/** Hosts whose language follows `<html lang>`; one observer serves them all. */
const documentHosts = new Set<ReactiveControllerHost>();
let documentObserver: MutationObserver | null = null;

/**
 * Chooses the host's language and looks up its text. The language is the first supported one of:
 * the host's `lang`, the closest ancestor's `lang` (crossing shadow roots), `<html lang>`; else
 * zh-CN. Text comes from the host's `messages` property first, then from the host's own catalogue
 * (`new LocalizeController(this, SKIN_MESSAGES)`), then from the common one.
 */
export class LocalizeController implements ReactiveController {
  private readonly host: LocalizedHost;
  private readonly catalogue: MessageCatalogue | undefined;
  private hostObserver: MutationObserver | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, catalogue?: MessageCatalogue) {
    this.host = host;
    this.catalogue = catalogue;
    host.addController(this);
  }

  hostConnected(): void {
    this.hostObserver ??= new MutationObserver(() => this.host.requestUpdate());
    this.hostObserver.observe(this.host, { attributes: true, attributeFilter: ['lang'] });
    documentHosts.add(this.host);
    if (!documentObserver) {
      documentObserver = new MutationObserver(() => {
        for (const host of documentHosts) host.requestUpdate();
      });
      documentObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    }
  }

  hostDisconnected(): void {
    this.hostObserver?.disconnect();
    documentHosts.delete(this.host);
    if (documentHosts.size === 0) {
      documentObserver?.disconnect();
      documentObserver = null;
    }
  }

  get lang(): Lang {
    let element: Element | null = this.host;
    while (element) {
      const tagged: Element | null = element.closest('[lang]');
      if (tagged) {
        const lang = normalizeLang(tagged.getAttribute('lang'));
        if (lang) return lang;
        element = tagged.parentElement;
        continue;
      }
      const root = element.getRootNode();
      element = root instanceof ShadowRoot ? root.host : null;
    }
    return normalizeLang(document.documentElement.lang) ?? DEFAULT_LANG;
  }

  /** The text for `key`, with `{name}` placeholders filled from `params`. */
  t(key: MessageKey, params?: Record<string, string | number>): string {
    const override = this.host.messages?.[key];
    const lang = this.lang;
    const text = this.catalogue?.[lang][key] ?? COMMON_MESSAGES[lang][key as keyof (typeof COMMON_MESSAGES)[Lang]];
    return format(override ?? text ?? this.catalogue?.[DEFAULT_LANG][key] ?? key, params);
  }

  /** The message of a kit code in the host's language, or the host's `code.<CODE>` override. */
  error(code: KitCode): string {
    return this.host.messages?.[`code.${code}`] ?? kitMessage(code, this.lang);
  }
}
