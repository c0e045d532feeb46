// The demo site's API pages, one per element, rendered from custom-elements.json (the analyzer's
// output of the elements' JSDoc): the tables of properties and attributes, events, slots, CSS
// parts, CSS custom properties and methods, and copy-paste embedding snippets for a script tag,
// React 19, Vue 3 and WeChat H5, built from the same manifest (tag, property names, types, event
// types, define module). Nothing here names an attribute by hand except the snippets' example
// values, and those must exist in the manifest or the build fails.
//
// scripts/build-docs.mjs runs buildDocs() after the build has written custom-elements.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DOCS_TEXT, type DocsLang, type DocsMessageKey } from '../demo/docs/docs-text.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

// ── the manifest (schema 2.x, the parts used here) ──────────────────────────────────────
interface TypeRef {
  text: string;
}
interface Member {
  kind: 'field' | 'method';
  name: string;
  type?: TypeRef;
  default?: string;
  description?: string;
  attribute?: string;
  readonly?: boolean;
  static?: boolean;
  privacy?: 'public' | 'private' | 'protected';
  parameters?: { name: string; type?: TypeRef; optional?: boolean }[];
  return?: { type?: TypeRef };
}
interface Attribute {
  name: string;
  type?: TypeRef;
  default?: string;
  description?: string;
  fieldName?: string;
}
interface Named {
  name: string;
  description?: string;
  type?: TypeRef;
  default?: string;
}
interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  summary?: string;
  description?: string;
  attributes?: Attribute[];
  members?: Member[];
  events?: Named[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
}
interface Module {
  path: string;
  declarations?: Declaration[];
  exports?: { kind: string; name: string; declaration: { name: string; module?: string } }[];
}
export interface Manifest {
  modules: Module[];
}

/** One element as its page shows it. */
export interface ElementDoc {
  tagName: string;
  className: string;
  summary: string;
  description: string;
  /** Public instance fields, then attributes that have no field. */
  properties: { name: string | null; attribute: string | null; type: string; default: string; description: string; readonly: boolean }[];
  events: { name: string; detailType: string; description: string }[];
  slots: Named[];
  cssParts: Named[];
  cssProperties: Named[];
  methods: { name: string; signature: string; description: string }[];
  /** The package specifier that registers the tag, e.g. `@facekit/elements/face-enroll/define.js`. */
  defineImport: string;
}

const isPublic = (member: Member): boolean =>
  !member.static && member.privacy !== 'private' && member.privacy !== 'protected' && !member.name.startsWith('_') && !member.name.startsWith('#');

/** `CustomEvent<X>` → `X`; anything else as it is. */
function detailTypeOf(type: TypeRef | undefined): string {
  const text = type?.text?.trim() ?? '';
  const match = /^CustomEvent<(.+)>$/s.exec(text);
  return match ? match[1]!.trim() : text;
}

/** The package specifier whose `exports` entry is the module that defines `tag`. */
function defineImportOf(manifest: Manifest, tag: string, packageJson: { name: string; exports: Record<string, unknown> }): string {
  const module = manifest.modules.find((candidate) => candidate.exports?.some((entry) => entry.kind === 'custom-element-definition' && entry.name === tag));
  const builtPath = module ? `./${module.path.replace(/^src\/(.+)\.ts$/, 'dist/$1.js')}` : null;
  for (const [key, target] of Object.entries(packageJson.exports)) {
    const resolved = typeof target === 'string' ? target : (target as Record<string, string>)['default'];
    if (builtPath && resolved === builtPath) return `${packageJson.name}${key.slice(1)}`;
  }
  // A tag without a define file of its own is registered by the package's define-all.
  return `${packageJson.name}/define-all.js`;
}

export function elementsOf(manifest: Manifest, packageJson: { name: string; exports: Record<string, unknown> }): ElementDoc[] {
  const seen = new Set<string>();
  const elements: ElementDoc[] = [];
  for (const module of manifest.modules) {
    for (const declaration of module.declarations ?? []) {
      if (!declaration.tagName || seen.has(declaration.tagName)) continue;
      seen.add(declaration.tagName);
      const members = (declaration.members ?? []).filter(isPublic);
      const attributes = declaration.attributes ?? [];
      const properties: ElementDoc['properties'] = members
        .filter((member) => member.kind === 'field')
        .map((field) => {
          const attribute = attributes.find((candidate) => candidate.fieldName === field.name) ?? attributes.find((candidate) => candidate.name === field.attribute);
          return {
            name: field.name,
            attribute: field.attribute ?? attribute?.name ?? null,
            type: field.type?.text ?? attribute?.type?.text ?? '',
            default: field.default ?? attribute?.default ?? '',
            description: field.description ?? attribute?.description ?? '',
            readonly: field.readonly === true,
          };
        });
      for (const attribute of attributes) {
        if (properties.some((row) => row.attribute === attribute.name)) continue;
        properties.push({ name: null, attribute: attribute.name, type: attribute.type?.text ?? '', default: attribute.default ?? '', description: attribute.description ?? '', readonly: false });
      }
      elements.push({
        tagName: declaration.tagName,
        className: declaration.name,
        summary: declaration.summary ?? '',
        description: declaration.description ?? '',
        properties,
        events: (declaration.events ?? []).map((event) => ({ name: event.name, detailType: detailTypeOf(event.type), description: event.description ?? '' })),
        slots: declaration.slots ?? [],
        cssParts: declaration.cssParts ?? [],
        cssProperties: declaration.cssProperties ?? [],
        methods: members
          .filter((member) => member.kind === 'method')
          .map((method) => {
            const parameters = (method.parameters ?? []).map((parameter) => `${parameter.name}${parameter.optional ? '?' : ''}${parameter.type ? `: ${parameter.type.text}` : ''}`);
            const returns = method.return?.type?.text;
            return { name: method.name, signature: `${method.name}(${parameters.join(', ')})${returns ? `: ${returns}` : ''}`, description: method.description ?? '' };
          }),
        defineImport: defineImportOf(manifest, declaration.tagName, packageJson),
      });
    }
  }
  return elements.sort((a, b) => a.tagName.localeCompare(b.tagName));
}

// ── HTML helpers ─────────────────────────────────────────────────────────────────────────
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Escaped text with `backtick spans` as <code>. */
export function inline(text: string): string {
  return text
    .split('`')
    .map((part, index) => (index % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
    .join('');
}

/** A JSDoc description: paragraphs, and `- ` lists whose items may continue on indented lines. */
export function block(text: string): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  let items: string[] = [];
  const flushParagraph = (): void => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
  };
  const flushList = (): void => {
    if (items.length) out.push(`<ul>${items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
    items = [];
  };
  for (const line of text.split('\n')) {
    if (!line.trim()) {
      flushParagraph();
      flushList();
    } else if (/^\s*- /.test(line)) {
      flushParagraph();
      items.push(line.replace(/^\s*- /, '').trim());
    } else if (items.length && /^\s/.test(line)) {
      items[items.length - 1] += ` ${line.trim()}`;
    } else {
      flushList();
      paragraph.push(line.trim());
    }
  }
  flushParagraph();
  flushList();
  return out.join('\n');
}

const ZH: DocsLang = 'zh-CN';
/** A translatable text: zh-CN in the file, switched by demo/docs/docs.ts. */
const t = (key: DocsMessageKey): string => `<span data-i18n="${key}">${inline(DOCS_TEXT[ZH][key])}</span>`;
const english = (html: string): string => `<div lang="en">${html}</div>`;
const none = (): string => `<span aria-hidden="true">—</span><span class="visually-hidden">${t('none')}</span>`;
const code = (text: string): string => (text ? `<code>${escapeHtml(text)}</code>` : none());

// ── snippets ─────────────────────────────────────────────────────────────────────────────
/** Example attribute values for the snippets; each must be an attribute in the manifest. */
const EXAMPLE_ATTRIBUTES: Record<string, Record<string, string>> = {
  'face-enroll': { 'group-id': 'members' },
  'liveness-check': { 'action-count': '3' },
  'id-photo-maker': { spec: 'one-inch' },
  'skin-report': { 'history-key': 'user-42' },
};
const ENDPOINT = 'https://api.example.com';
const TICKET_FETCH = "() => fetch('/my-backend/facekit-ticket').then((response) => response.text())";

export interface Snippet {
  id: string;
  /** The heading's message key, or a file name shown as code. */
  title: DocsMessageKey | { file: string };
  notes: DocsMessageKey[];
  language: 'html' | 'tsx' | 'ts' | 'vue';
  code: string;
}

/** `[attribute, value, property, type]` of the example attributes, checked against the manifest. */
function exampleAttributes(element: ElementDoc): { attribute: string; value: string; property: string | null; type: string }[] {
  const wanted: Record<string, string> = { endpoint: ENDPOINT, ...(EXAMPLE_ATTRIBUTES[element.tagName] ?? {}) };
  return Object.entries(wanted).map(([attribute, value]) => {
    const row = element.properties.find((candidate) => candidate.attribute === attribute);
    if (!row) throw new Error(`docs: the snippet attribute ${attribute} is not an attribute of <${element.tagName}> in custom-elements.json`);
    return { attribute, value, property: row.name, type: row.type };
  });
}

const hasProperty = (element: ElementDoc, name: string): boolean => element.properties.some((row) => row.name === name && !row.readonly);
const hasEvent = (element: ElementDoc, name: string): boolean => element.events.some((event) => event.name === name);
const detailOf = (element: ElementDoc, name: string): string => element.events.find((event) => event.name === name)?.detailType ?? 'unknown';

export function snippetsOf(element: ElementDoc, allTags: string[]): Snippet[] {
  const tag = element.tagName;
  const attributes = exampleAttributes(element);
  const withTicketProvider = hasProperty(element, 'ticketProvider');
  const withResult = hasEvent(element, 'facekit-result');
  const withError = hasEvent(element, 'facekit-error');
  const htmlAttributes = attributes.map(({ attribute, value }) => ` ${attribute}="${value}"`).join('');

  const scriptBody = [
    `  const el = document.querySelector('${tag}');`,
    ...(withTicketProvider ? ['  // A fresh ticket before each call, minted by your backend.', `  el.ticketProvider = ${TICKET_FETCH};`] : []),
    ...(withResult ? ["  el.addEventListener('facekit-result', (event) => console.log(event.detail));"] : []),
    ...(withError ? ["  el.addEventListener('facekit-error', (event) => console.warn(event.detail.code, event.detail.message));"] : []),
  ];
  const scriptTag = [
    '<!-- facekit.js registers every element; its assets/ folder (wasm, models) sits beside it. -->',
    '<script src="https://your.cdn/facekit/facekit.js"></script>',
    '',
    `<${tag}${htmlAttributes}></${tag}>`,
    '<script>',
    ...scriptBody,
    '</script>',
  ].join('\n');

  // React 19 sets a prop as a property when the element has it: camelCase names, typed values.
  const reactValue = (value: string, type: string): string => {
    if (/^(number|boolean)\b/.test(type) || /\bnumber\b/.test(type)) return `{${value}}`;
    return `"${value}"`;
  };
  const reactProps = [
    ...attributes.map(({ attribute, value, property, type }) => `      ${property ?? attribute}=${reactValue(value, type)}`),
    ...(withTicketProvider ? ['      ticketProvider={getTicket}'] : []),
    ...(withResult ? ['      onfacekit-result={(event) => console.log(event.detail)}'] : []),
    ...(withError ? ['      onfacekit-error={(event) => console.warn(event.detail.code, event.detail.message)}'] : []),
  ];
  const react = [
    `import '${element.defineImport}'; // registers <${tag}> before the first render`,
    "import type {} from '@facekit/elements/react'; // JSX typings of the facekit tags",
    '',
    ...(withTicketProvider ? [`const getTicket = ${TICKET_FETCH};`, ''] : []),
    `export function ${element.className}View() {`,
    `  return (`,
    `    <${tag}`,
    ...reactProps,
    '    />',
    '  );',
    '}',
  ].join('\n');

  const vueConfig = [
    "import { defineConfig } from 'vite';",
    "import vue from '@vitejs/plugin-vue';",
    '',
    `const facekitTags = [${allTags.map((name) => `'${name}'`).join(', ')}];`,
    '',
    'export default defineConfig({',
    '  plugins: [',
    '    // The facekit tags are custom elements, not Vue components.',
    '    vue({ template: { compilerOptions: { isCustomElement: (tag) => facekitTags.includes(tag) } } }),',
    '  ],',
    '});',
  ].join('\n');
  const detailTypes = [...new Set([withResult && detailOf(element, 'facekit-result'), withError && detailOf(element, 'facekit-error')].filter((name): name is string => !!name && /^\w+$/.test(name)))];
  const vueComponent = [
    '<script setup lang="ts">',
    `import '${element.defineImport}'; // registers <${tag}> before the app mounts`,
    ...(detailTypes.length ? [`import type { ${detailTypes.join(', ')} } from '@facekit/elements';`] : []),
    '',
    ...(withTicketProvider ? [`const getTicket = ${TICKET_FETCH};`] : []),
    ...(withResult ? [`const onResult = (event: CustomEvent<${detailOf(element, 'facekit-result')}>) => console.log(event.detail);`] : []),
    ...(withError ? [`const onError = (event: CustomEvent<${detailOf(element, 'facekit-error')}>) => console.warn(event.detail.code, event.detail.message);`] : []),
    '</script>',
    '',
    '<template>',
    `  <${tag}`,
    ...attributes.map(({ attribute, value }) => `    ${attribute}="${value}"`),
    ...(withTicketProvider ? ['    :ticketProvider.prop="getTicket"'] : []),
    ...(withResult ? ['    @facekit-result="onResult"'] : []),
    ...(withError ? ['    @facekit-error="onError"'] : []),
    '  />',
    '</template>',
  ].join('\n');

  // WeChat: the JS-SDK picker only for elements that take an imageSource.
  const takesImageSource = hasProperty(element, 'imageSource');
  const takesFiles = element.methods.some((method) => method.name === 'loadFile');
  const wechat = [
    ...(takesImageSource ? ['<script src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js"></script>'] : []),
    '<script src="/facekit/facekit.js"></script>',
    '',
    `<${tag}${htmlAttributes}></${tag}>`,
    '<script>',
    ...scriptBody,
    ...(takesImageSource
      ? [
          '  // Configure the JS-SDK with your server\'s signature, then hand wx to the element.',
          "  wx.config({ /* appId, timestamp, nonceStr, signature */ jsApiList: ['chooseImage', 'getLocalImgData'] });",
          '  wx.ready(() => {',
          '    el.imageSource = facekit.createWeChatImageSource(wx);',
          '  });',
        ]
      : []),
    '</script>',
  ].join('\n');

  return [
    { id: 'script', title: 'scriptTitle', notes: ['scriptNote'], language: 'html', code: scriptTag },
    { id: 'react', title: 'reactTitle', notes: ['reactNote'], language: 'tsx', code: react },
    { id: 'vue-config', title: { file: 'vite.config.ts' }, notes: ['vueNote'], language: 'ts', code: vueConfig },
    { id: 'vue-component', title: { file: `${element.className}View.vue` }, notes: [], language: 'vue', code: vueComponent },
    {
      id: 'wechat',
      title: 'wechatTitle',
      notes: ['wechatNoteCommon', takesImageSource ? 'wechatNoteAdapter' : takesFiles ? 'wechatNoteFile' : 'wechatNoteCamera'],
      language: 'html',
      code: wechat,
    },
  ];
}

// ── pages ────────────────────────────────────────────────────────────────────────────────
const SECTIONS = [
  ['overview', 'overview'],
  ['embedding', 'embedTitle'],
  ['properties', 'properties'],
  ['events', 'events'],
  ['slots', 'slots'],
  ['css-parts', 'cssParts'],
  ['css-properties', 'cssProperties'],
  ['methods', 'methods'],
] as const satisfies readonly (readonly [string, DocsMessageKey])[];

interface Column {
  key: DocsMessageKey;
  /** Marks the cell for tests and styles. */
  col: string;
}

function table(id: string, caption: DocsMessageKey, columns: Column[], rows: { name: string; cells: string[] }[]): string {
  if (rows.length === 0) return `<p class="note">${t('emptySection')}</p>`;
  const head = columns.map((column) => `<th scope="col">${t(column.key)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr data-name="${escapeHtml(row.name)}">${row.cells
          .map((cell, index) => {
            const column = columns[index]!;
            const label = `<span class="cell-label" aria-hidden="true">${t(column.key)}</span>`;
            return index === 0
              ? `<th scope="row" data-col="${column.col}">${cell}</th>`
              : `<td data-col="${column.col}">${label}<div class="cell">${cell}</div></td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table class="api" id="${id}-table">
<caption class="visually-hidden">${t(caption)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

function apiSections(element: ElementDoc): string {
  const description = (text: string): string => (text ? english(block(text)) : none());
  const properties = table(
    'properties',
    'properties',
    [
      { key: 'colProperty', col: 'property' },
      { key: 'colAttribute', col: 'attribute' },
      { key: 'colType', col: 'type' },
      { key: 'colDefault', col: 'default' },
      { key: 'colDescription', col: 'description' },
    ],
    element.properties.map((row) => ({
      name: row.name ?? row.attribute ?? '',
      cells: [
        row.name ? `${code(row.name)}${row.readonly ? ` <span class="badge">${t('readonly')}</span>` : ''}` : none(),
        code(row.attribute ?? ''),
        code(row.type),
        code(row.default),
        description(row.description),
      ],
    })),
  );
  const events = table(
    'events',
    'events',
    [
      { key: 'colEvent', col: 'event' },
      { key: 'colDetail', col: 'detail' },
      { key: 'colDescription', col: 'description' },
    ],
    element.events.map((event) => ({ name: event.name, cells: [code(event.name), code(event.detailType), description(event.description)] })),
  );
  const slots = table(
    'slots',
    'slots',
    [
      { key: 'colSlot', col: 'slot' },
      { key: 'colDescription', col: 'description' },
    ],
    element.slots.map((slot) => ({ name: slot.name, cells: [slot.name ? code(slot.name) : t('defaultSlot'), description(slot.description ?? '')] })),
  );
  const parts = table(
    'css-parts',
    'cssParts',
    [
      { key: 'colPart', col: 'part' },
      { key: 'colDescription', col: 'description' },
    ],
    element.cssParts.map((part) => ({ name: part.name, cells: [code(part.name), description(part.description ?? '')] })),
  );
  const withDefaults = element.cssProperties.some((property) => property.default);
  const cssProperties = table(
    'css-properties',
    'cssProperties',
    [{ key: 'colCssProperty', col: 'css-property' }, ...(withDefaults ? [{ key: 'colDefault', col: 'default' } as Column] : []), { key: 'colDescription', col: 'description' }],
    element.cssProperties.map((property) => ({
      name: property.name,
      cells: [code(property.name), ...(withDefaults ? [code(property.default ?? '')] : []), description(property.description ?? '')],
    })),
  );
  const methods = table(
    'methods',
    'methods',
    [
      { key: 'colMethod', col: 'method' },
      { key: 'colSignature', col: 'signature' },
      { key: 'colDescription', col: 'description' },
    ],
    element.methods.map((method) => ({ name: method.name, cells: [code(method.name), code(method.signature), description(method.description)] })),
  );
  const section = (id: string, heading: DocsMessageKey, body: string, note = ''): string =>
    `<section id="${id}" aria-labelledby="${id}-heading">
<h3 id="${id}-heading">${t(heading)}</h3>
${note}${body}
</section>`;
  return [
    section('properties', 'properties', properties),
    section('events', 'events', events, `<p class="note">${t('eventsNote')}</p>\n`),
    section('slots', 'slots', slots),
    section('css-parts', 'cssParts', parts),
    section('css-properties', 'cssProperties', cssProperties),
    section('methods', 'methods', methods),
  ].join('\n');
}

function snippetBlock(snippet: Snippet): string {
  const titleId = `snippet-${snippet.id}-title`;
  const codeId = `snippet-${snippet.id}-code`;
  const buttonId = `copy-${snippet.id}`;
  const heading =
    typeof snippet.title === 'string'
      ? `<h3 id="${titleId}">${t(snippet.title)}</h3>`
      : `<h4 id="${titleId}"><code>${escapeHtml(snippet.title.file)}</code></h4>`;
  return `<div class="snippet" id="snippet-${snippet.id}" data-snippet="${snippet.id}">
<div class="snippet-head">
${heading}
<button type="button" class="plain copy" id="${buttonId}" data-copy="${codeId}" aria-labelledby="${buttonId} ${titleId}">${t('copy')}</button>
</div>
${snippet.notes.map((key) => `<p class="note">${t(key)}</p>`).join('\n')}
<pre><code id="${codeId}" class="language-${snippet.language}">${escapeHtml(snippet.code)}</code></pre>
</div>`;
}

function embedSection(element: ElementDoc, allTags: string[]): string {
  const snippets = snippetsOf(element, allTags);
  const blocks: string[] = [];
  for (const snippet of snippets) {
    // The two Vue files sit under one Vue heading.
    if (snippet.id === 'vue-config') blocks.push(`<h3 id="snippet-vue-title">${t('vueTitle')}</h3>`);
    blocks.push(snippetBlock(snippet));
  }
  return `<section id="embedding" aria-labelledby="embedding-heading">
<h2 id="embedding-heading">${t('embedTitle')}</h2>
<p>${t('embedLede')}</p>
${blocks.join('\n')}
</section>`;
}

interface PageOptions {
  title: string;
  titleKey: DocsMessageKey;
  body: string;
  nav: string;
}

function page({ title, titleKey, body, nav }: PageOptions): string {
  return `<!doctype html>
<html lang="zh-CN" data-title-prefix="${escapeHtml(title)}" data-title-key="${titleKey}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>${escapeHtml(title)} · ${escapeHtml(DOCS_TEXT[ZH][titleKey])}</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="./docs.css" />
    <script src="./docs.js" defer></script>
  </head>
  <body>
    <a class="skip-link" href="#main">${t('skip')}</a>
    <header class="site">
      <p class="brand"><a href="../index.html">facekit</a></p>
      <p class="note">${t('tagline')}</p>
      <form class="lang-switch" id="lang-switch">
        <fieldset class="switch">
          <legend>${t('langLegend')}</legend>
          <label><input type="radio" name="lang" value="zh-CN" checked /> <span lang="zh-CN">中文</span></label>
          <label><input type="radio" name="lang" value="en" /> <span lang="en">English</span></label>
        </fieldset>
      </form>
    </header>
    ${nav}
    <main id="main">
${body}
      <p id="copy-status" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></p>
    </main>
  </body>
</html>
`;
}

function elementsNav(elements: ElementDoc[], current: string | null): string {
  const items = elements
    .map((element) => {
      const here = element.tagName === current ? ' aria-current="page"' : '';
      return `<li><a href="./${element.tagName}.html"${here}><code>&lt;${element.tagName}&gt;</code></a></li>`;
    })
    .join('');
  return `<nav class="docs-nav" aria-labelledby="elements-nav-label">
      <p id="elements-nav-label"><a href="./index.html">${t('allElements')}</a></p>
      <ul>${items}</ul>
    </nav>`;
}

export function renderElementPage(element: ElementDoc, elements: ElementDoc[], options: { demoPage: string | null }): string {
  const tag = element.tagName;
  const toc = SECTIONS.map(([id, key]) => `<li><a href="#${id}">${t(key)}</a></li>`).join('');
  const body = `<h1><code>&lt;${tag}&gt;</code> <span class="subtitle">${t('pageTitle')}</span></h1>
<p class="lede" lang="en">${inline(element.summary)}</p>
<p class="note">${t('generated')}</p>
${options.demoPage ? `<p><a class="demo-link" href="${options.demoPage}">${t('openDemo')}</a></p>` : ''}
<nav class="toc" aria-labelledby="toc-label"><h2 id="toc-label">${t('toc')}</h2><ol>${toc}</ol></nav>
<section id="overview" aria-labelledby="overview-heading">
<h2 id="overview-heading">${t('overview')}</h2>
${english(block(element.description))}
</section>
${embedSection(element, elements.map((candidate) => candidate.tagName))}
<section id="api" aria-labelledby="api-heading">
<h2 id="api-heading">${t('apiTitle')}</h2>
${apiSections(element)}
</section>`;
  return page({ title: `facekit · <${tag}>`, titleKey: 'pageTitle', body, nav: elementsNav(elements, tag) });
}

export function renderIndexPage(elements: ElementDoc[]): string {
  const cards = elements
    .map(
      (element) => `<li>
<h2><a href="./${element.tagName}.html"><code>&lt;${element.tagName}&gt;</code></a></h2>
<p lang="en">${inline(element.summary)}</p>
</li>`,
    )
    .join('\n');
  const body = `<h1>${t('docsIndexTitle')}</h1>
<p class="lede">${t('docsIndexLede')}</p>
<p class="note">${t('generated')}</p>
<ul class="cards">
${cards}
</ul>`;
  return page({ title: 'facekit', titleKey: 'docsIndexTitle', body, nav: elementsNav(elements, null) });
}

// ── the build step ───────────────────────────────────────────────────────────────────────
export interface BuildDocsOptions {
  /** The built demo site (default dist/site); the pages go to its docs/ folder. */
  siteDir?: string;
  manifestFile?: string;
}

/** Writes docs/<tag>.html for every element, docs/index.html, docs.js and docs.css. Returns the tags. */
export async function buildDocs({ siteDir = resolve(root, 'dist/site'), manifestFile = resolve(root, 'packages/elements/custom-elements.json') }: BuildDocsOptions = {}): Promise<string[]> {
  if (!existsSync(manifestFile)) throw new Error(`docs: ${manifestFile} is missing; \`node scripts/build.mjs\` writes it`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  const packageJson = JSON.parse(readFileSync(resolve(root, 'packages/elements/package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  const elements = elementsOf(manifest, packageJson);
  if (elements.length === 0) throw new Error(`docs: no custom element in ${manifestFile}`);
  const outDir = resolve(siteDir, 'docs');
  mkdirSync(outDir, { recursive: true });
  for (const element of elements) {
    const demoPage = existsSync(resolve(siteDir, `${element.tagName}.html`)) ? `../${element.tagName}.html` : null;
    writeFileSync(resolve(outDir, `${element.tagName}.html`), renderElementPage(element, elements, { demoPage }));
  }
  writeFileSync(resolve(outDir, 'index.html'), renderIndexPage(elements));
  // The site's own look, then the docs' additions, as one style sheet.
  writeFileSync(resolve(outDir, 'docs.css'), `${readFileSync(resolve(root, 'demo/demo.css'), 'utf8')}\n${readFileSync(resolve(root, 'demo/docs/docs.css'), 'utf8')}`);
  await build({
    entryPoints: [resolve(root, 'demo/docs/docs.ts')],
    outfile: resolve(outDir, 'docs.js'),
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    logLevel: 'warning',
  });
  return elements.map((element) => element.tagName);
}

