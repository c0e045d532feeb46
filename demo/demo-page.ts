// What every element's demo page does with its switches and its log: a switch changes the element,
// the switches follow the element (tests and other scripts change it directly), the page's text
// follows the element's language, and every facekit event is logged.
import { startEventLog, type EventLogOptions } from './event-log.ts';
import { applyPageText, pageLang, type Lang } from './page-lang.ts';

type PageText = Record<Lang, Record<string, string>>;

/** The text all element pages share: the skip link, the tagline, the common switches, the log. */
const COMMON_TEXT: PageText = {
  'zh-CN': {
    skip: '跳到正文',
    tagline: '人脸采集组件演示',
    langLegend: '语言',
    sourceLegend: '照片来源',
    auto: '自动',
    camera: '摄像头',
    file: '文件',
    events: '事件',
    clear: '清空',
    empty: '还没有事件。',
  },
  en: {
    skip: 'Skip to the content',
    tagline: 'Face capture components demo',
    langLegend: 'Language',
    sourceLegend: 'Photo source',
    auto: 'Automatic',
    camera: 'Camera',
    file: 'File',
    events: 'Events',
    clear: 'Clear',
    empty: 'No events yet.',
  },
};

/** The element as the page's common switches drive it. */
type DemoElement = HTMLElement & { lang: string; source?: string; stop?(): void };

export interface DemoPageOptions<E extends DemoElement> {
  element: E;
  /** The page's own text, beside COMMON_TEXT. */
  text: PageText;
  /** The page's own radio groups, by name: the value each should show for the element now. */
  radios?: (element: E) => Record<string, string>;
  /** The element's attributes that the page's own switches show. */
  attributes?: string[];
  /** Applies a change of one of the page's own switches to the element. */
  onChange?: (input: HTMLInputElement | HTMLSelectElement, element: E) => void;
  /** Puts the page's other controls (selects, fields) in step with the element. */
  sync?: (element: E) => void;
  /** What the visible log shows of an event (default: its detail). */
  summary?: EventLogOptions['summary'];
}

/**
 * Wires `#controls` to the element: `lang` and `source` (which stops the element first, as a new
 * source starts over) are handled here, the rest by the page. Resolves once the element is defined
 * and the page shows its state.
 */
export async function startDemoPage<E extends DemoElement>(options: DemoPageOptions<E>): Promise<void> {
  const { element } = options;
  const controls = document.querySelector<HTMLFormElement>('#controls')!;
  const text: PageText = {
    'zh-CN': { ...COMMON_TEXT['zh-CN'], ...options.text['zh-CN'] },
    en: { ...COMMON_TEXT.en, ...options.text.en },
  };
  const eventLog = startEventLog({ emptyText: (lang) => text[lang].empty!, summary: options.summary });

  const applyPageLang = (lang: Lang): void => {
    applyPageText(text, lang);
    eventLog.relabel();
  };

  const syncControls = (): void => {
    const lang: Lang = element.getAttribute('lang') === 'en' ? 'en' : 'zh-CN';
    const radios: Record<string, string | undefined> = { lang, source: element.source, ...options.radios?.(element) };
    for (const [name, value] of Object.entries(radios)) {
      const radio = controls.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
      if (radio && !radio.checked) radio.checked = true;
    }
    options.sync?.(element);
    if (pageLang() !== lang) applyPageLang(lang);
  };

  controls.addEventListener('change', (event) => {
    const input = event.target as HTMLInputElement | HTMLSelectElement;
    if (input.name === 'lang') element.lang = input.value;
    else if (input.name === 'source') {
      element.stop?.();
      element.source = input.value;
    } else options.onChange?.(input, element);
  });
  controls.addEventListener('submit', (event) => event.preventDefault());

  new MutationObserver(syncControls).observe(element, { attributes: true, attributeFilter: ['lang', 'source', ...(options.attributes ?? [])] });

  await customElements.whenDefined(element.localName);
  syncControls();
  applyPageLang(pageLang());
  eventLog.renderEmpty();
}
