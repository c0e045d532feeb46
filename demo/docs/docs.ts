// The API pages' script (bundled by scripts/docs-pages.ts into docs/docs.js): the language switch
// (zh-CN as written by the build, or en; `?lang=en` or the saved choice) and the copy buttons,
// which put a snippet on the clipboard and say so in the page's live region.
import { DOCS_TEXT, isDocsLang, type DocsLang, type DocsMessageKey } from './docs-text.ts';

const STORAGE_KEY = 'facekit-docs-lang';
/** How long a copy button reads "Copied". */
const COPIED_MS = 2000;

let lang: DocsLang = 'zh-CN';

function text(key: DocsMessageKey): string {
  return DOCS_TEXT[lang][key];
}

/** A message's text with `backtick spans` as <code>, built without HTML parsing. */
function fill(node: HTMLElement, message: string): void {
  node.replaceChildren(
    ...message.split('`').map((part, index) => {
      if (index % 2 === 0) return document.createTextNode(part);
      const code = document.createElement('code');
      code.textContent = part;
      return code;
    }),
  );
}

function savedLang(): DocsLang | null {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (isDocsLang(fromUrl)) return fromUrl;
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return isDocsLang(saved) ? saved : null;
  } catch {
    return null; // storage may be blocked; the default language stays
  }
}

function applyLang(next: DocsLang): void {
  lang = next;
  const html = document.documentElement;
  html.lang = next;
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) fill(node, text(node.dataset['i18n'] as DocsMessageKey));
  const titleKey = html.dataset['titleKey'] as DocsMessageKey | undefined;
  if (titleKey) document.title = `${html.dataset['titlePrefix'] ?? ''} · ${text(titleKey)}`;
  for (const input of document.querySelectorAll<HTMLInputElement>('#lang-switch input[name="lang"]')) input.checked = input.value === next;
}

function announce(message: string): void {
  const status = document.getElementById('copy-status');
  if (!status) return;
  // Emptied first, so that copying the same snippet twice is announced twice.
  status.textContent = '';
  requestAnimationFrame(() => {
    status.textContent = message;
  });
}

/** Selects the code, so that the user can copy it when the browser refuses to. */
function select(code: HTMLElement): void {
  const range = document.createRange();
  range.selectNodeContents(code);
  const selection = getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

async function copyToClipboard(code: HTMLElement): Promise<boolean> {
  const value = code.textContent ?? '';
  try {
    // Only in secure contexts (https, localhost); elsewhere the legacy command below.
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(value);
      return true;
    }
  } catch {
    // refused (no permission, page not focused): try the legacy command
  }
  select(code);
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

function setUpCopyButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    button.addEventListener('click', async () => {
      const code = document.getElementById(button.dataset['copy']!);
      if (!code) return;
      const label = button.querySelector<HTMLElement>('[data-i18n]');
      const title = document.getElementById(button.getAttribute('aria-labelledby')?.split(' ')[1] ?? '')?.textContent?.trim() ?? '';
      if (await copyToClipboard(code)) {
        announce(text('copiedAnnounce').replace('{name}', title));
        if (label) {
          label.dataset['i18n'] = 'copied';
          fill(label, text('copied'));
          clearTimeout(timer);
          timer = setTimeout(() => {
            label.dataset['i18n'] = 'copy';
            fill(label, text('copy'));
          }, COPIED_MS);
        }
      } else {
        select(code);
        announce(text('copyFailed'));
      }
    });
  }
}

function setUpLangSwitch(): void {
  const form = document.getElementById('lang-switch');
  form?.addEventListener('change', (event) => {
    const value = (event.target as HTMLInputElement).value;
    if (!isDocsLang(value)) return;
    applyLang(value);
    try {
      localStorage.setItem(STORAGE_KEY, value);
    } catch {
      // not saved; the switch still applies to this page
    }
  });
  form?.addEventListener('submit', (event) => event.preventDefault());
}

const initial = savedLang();
if (initial && initial !== 'zh-CN') applyLang(initial);
setUpLangSwitch();
setUpCopyButtons();
