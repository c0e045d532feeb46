// The demo site's shared page frame, written once: Vite puts the common head (charset, viewport,
// colour scheme, icon, stylesheet) and the site header (skip link, brand, tagline, API link) into
// every demo/*.html, in the dev server and in the build alike, so a page holds only its own title,
// script and content. An element page also marks where the switches and the event log all element
// pages share go (ELEMENT_PIECES). Nothing inline: the pages keep working under a CSP without
// 'unsafe-inline'.
import { basename, dirname, resolve } from 'node:path';
import type { HtmlTagDescriptor, Plugin } from 'vite';

/** How a demo page is framed. */
export type DemoPageFrame =
  /**
   * An element's page: it opens in zh-CN and its header texts carry `data-i18n` keys (`skip`,
   * `tagline`) that the page's own script translates (demo/page-lang.ts); the header links to the
   * element's API page, docs/<name>.html.
   */
  | { kind: 'element' }
  /** An English page with a line of its own under the brand. */
  | { kind: 'site'; tagline: string }
  /** Charset and viewport only: a page driven by a script (npm run bench), not read by people. */
  | { kind: 'bare' };

/** Every demo page, by file name without `.html`; a page missing here fails the build. */
export const DEMO_PAGES: Record<string, DemoPageFrame> = {
  index: { kind: 'site', tagline: 'Face capture web components · 人脸采集组件' },
  'face-enroll': { kind: 'element' },
  'skin-report': { kind: 'element' },
  'liveness-check': { kind: 'element' },
  'id-photo-maker': { kind: 'element' },
  react: { kind: 'site', tagline: '<face-enroll> in a React 19 app' },
  vue: { kind: 'site', tagline: '<face-enroll> in a Vue 3 app' },
  bench: { kind: 'bare' },
};

/**
 * Pieces every element page shares, put where the page writes their marker (`<!-- demo:events -->`
 * on a line of its own, indented as the piece should be). demo/demo-page.ts drives them.
 */
const ELEMENT_PIECES: Record<string, string[]> = {
  'lang-switch': [
    '<fieldset class="switch">',
    '  <legend data-i18n="langLegend">语言</legend>',
    '  <label><input type="radio" name="lang" value="zh-CN" checked /> <span lang="zh-CN">中文</span></label>',
    '  <label><input type="radio" name="lang" value="en" /> <span lang="en">English</span></label>',
    '</fieldset>',
  ],
  'source-switch': [
    '<fieldset class="switch">',
    '  <legend data-i18n="sourceLegend">照片来源</legend>',
    '  <label><input type="radio" name="source" value="auto" checked /> <span data-i18n="auto">自动</span></label>',
    '  <label><input type="radio" name="source" value="camera" /> <span data-i18n="camera">摄像头</span></label>',
    '  <label><input type="radio" name="source" value="file" /> <span data-i18n="file">文件</span></label>',
    '</fieldset>',
  ],
  events: [
    '<section class="panel" aria-labelledby="log-title">',
    '  <div class="log-head">',
    '    <h2 id="log-title" data-i18n="events">事件</h2>',
    '    <button class="plain" type="button" id="clear-log" data-i18n="clear">清空</button>',
    '  </div>',
    '  <ol class="log" id="log"></ol>',
    '</section>',
  ],
};

/** The page with each `<!-- demo:<piece> -->` line replaced by the piece; an unknown piece fails the build. */
function withPieces(name: string, html: string): string {
  return html.replace(/^([ \t]*)<!-- demo:([\w-]+) -->[ \t]*$/gm, (_line, indent: string, piece: string) => {
    const lines = ELEMENT_PIECES[piece];
    if (!lines) throw new Error(`demo/${name}.html asks for an unknown piece '${piece}' (scripts/lib/demo-html.ts)`);
    return lines.map((line) => `${indent}${line}`).join('\n');
  });
}

/** The language each frame's fixed texts are written in: the page's `<html lang>` must match. */
const FRAME_LANG = { element: 'zh-CN', site: 'en' } as const;

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The head pieces of a page of this frame. */
function headTags(frame: DemoPageFrame): HtmlTagDescriptor[] {
  const first: HtmlTagDescriptor[] = [
    { tag: 'meta', attrs: { charset: 'utf-8' }, injectTo: 'head-prepend' },
    { tag: 'meta', attrs: { name: 'viewport', content: 'width=device-width, initial-scale=1' }, injectTo: 'head-prepend' },
  ];
  if (frame.kind === 'bare') return first;
  return [
    ...first,
    { tag: 'meta', attrs: { name: 'color-scheme', content: 'light dark' }, injectTo: 'head-prepend' },
    // No favicon request: the empty data URL stops the browser asking for /favicon.ico.
    { tag: 'link', attrs: { rel: 'icon', href: 'data:,' }, injectTo: 'head' },
    // A stylesheet link in the page, so Vite bundles demo.css as it would a hand-written one.
    { tag: 'link', attrs: { rel: 'stylesheet', href: './demo.css' }, injectTo: 'head' },
  ];
}

/** The skip link and the site header of page `name`. */
function headerTags(name: string, frame: DemoPageFrame): HtmlTagDescriptor[] {
  if (frame.kind === 'bare') return [];
  const brand = '<p class="brand"><a href="./index.html">facekit</a></p>';
  const lines =
    frame.kind === 'element'
      ? [
          brand,
          '<p class="note" data-i18n="tagline">人脸采集组件演示</p>',
          `<p class="note"><a href="./docs/${name}.html"><span lang="zh-CN">接口与嵌入</span> · <span lang="en">API and embedding</span></a></p>`,
        ]
      : [brand, `<p class="note">${escapeText(frame.tagline)}</p>`];
  // Markup, not tag descriptors: one element a line, as in a hand-written page.
  const header = lines.map((line) => `\n      ${line}`).join('') + '\n    ';
  const skip: HtmlTagDescriptor =
    frame.kind === 'element'
      ? { tag: 'a', attrs: { class: 'skip-link', href: '#main', 'data-i18n': 'skip' }, children: '跳到正文', injectTo: 'body-prepend' }
      : { tag: 'a', attrs: { class: 'skip-link', href: '#main' }, children: 'Skip to the content', injectTo: 'body-prepend' };
  return [skip, { tag: 'header', attrs: { class: 'site' }, children: header, injectTo: 'body-prepend' }];
}

/**
 * Frames the HTML pages directly in `demoDir`. Runs before Vite reads a page's scripts and
 * stylesheets (`order: 'pre'`), so the injected stylesheet is bundled like any other.
 */
export function demoHtml(demoDir: string): Plugin {
  const dir = resolve(demoDir);
  return {
    name: 'facekit-demo-html',
    transformIndexHtml: {
      order: 'pre',
      handler(html, { filename }) {
        if (dirname(resolve(filename)) !== dir) return html;
        const name = basename(filename, '.html');
        const frame = DEMO_PAGES[name];
        if (!frame) throw new Error(`demo/${name}.html has no frame: add it to DEMO_PAGES in scripts/lib/demo-html.ts`);
        if (/<header class="site"|<meta charset/i.test(html)) {
          throw new Error(`demo/${name}.html writes its own header or charset; the frame (scripts/lib/demo-html.ts) adds them`);
        }
        if (frame.kind !== 'bare') {
          const lang = /<html\s[^>]*\blang="([^"]+)"/i.exec(html)?.[1];
          if (lang !== FRAME_LANG[frame.kind]) {
            throw new Error(`demo/${name}.html: a page framed as '${frame.kind}' opens in ${FRAME_LANG[frame.kind]}, not ${lang ?? 'no language'}`);
          }
        }
        return { html: frame.kind === 'element' ? withPieces(name, html) : html, tags: [...headTags(frame), ...headerTags(name, frame)] };
      },
    },
  };
}
