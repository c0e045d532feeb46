// The words of the API pages (demo/docs/), in the site's two languages. The build writes the pages
// in zh-CN (the kit's default) from these; demo/docs/docs.ts switches them to en in the browser.
// Text between backticks is shown as code. The descriptions in the tables come from the
// elements' JSDoc (custom-elements.json) and stay in English, marked `lang="en"`.

export type DocsLang = 'zh-CN' | 'en';

const en = {
  skip: 'Skip to the content',
  tagline: 'Face capture components · API docs',
  langLegend: 'Language',
  home: 'Demo pages',
  allElements: 'All elements',
  docsIndexTitle: 'API and embedding',
  docsIndexLede:
    'One page per element: its attributes, properties, events, slots, CSS parts, CSS custom properties and methods, and code to copy for a script tag, React 19, Vue 3 and WeChat H5.',
  pageTitle: 'API and embedding',
  generated: 'This page is generated at build time from `custom-elements.json`; the descriptions come from the source (English).',
  openDemo: 'Open the demo page',
  apiDocsLink: 'API and embedding',
  toc: 'On this page',
  overview: 'Overview',
  embedTitle: 'Embedding',
  embedLede:
    'Every snippet uses a signing endpoint that your site runs and a `ticketProvider` that asks your backend for a fresh ticket before each call. Replace the example URLs with yours.',
  scriptTitle: 'Script tag',
  scriptNote:
    'One classic script registers every element. Its `assets/` folder (wasm and models) sits beside it and loads when an element needs it; set `assets-base` to serve the assets elsewhere.',
  reactTitle: 'React 19',
  reactNote:
    'Import the define file before the first render. A prop that names a property of the element (camelCase) is set as that property, so functions arrive intact; events are `onfacekit-…` props with the event type verbatim. `@facekit/elements/react` adds the JSX typings.',
  vueTitle: 'Vue 3',
  vueNote:
    'Tell the template compiler that the facekit tags are custom elements (`isCustomElement`). Bind functions and objects as properties with `.prop` and the property name; listen with `@facekit-result`.',
  wechatTitle: 'WeChat H5',
  wechatNoteCommon:
    'The page must be served over HTTPS for the camera. When iOS WeChat refuses to play the camera without a tap, the element shows “Tap to start the camera” by itself.',
  wechatNoteAdapter:
    'When the camera cannot be used, the element offers the WeChat JS-SDK picker you hand it, then the file input. The JS-SDK needs your server’s signature (`wx.config`), so the kit never loads it.',
  wechatNoteFile: 'When the camera cannot be used, the element offers the file input (it takes no JS-SDK picker).',
  wechatNoteCamera: 'This element needs the camera: iOS WeChat from 14.3, Android 9 and later.',
  copy: 'Copy',
  copied: 'Copied',
  copiedAnnounce: 'Copied to the clipboard: {name}',
  copyFailed: 'The browser did not allow copying. The code is selected: press Ctrl+C (⌘C on a Mac).',
  apiTitle: 'API',
  properties: 'Properties and attributes',
  events: 'Events',
  eventsNote: 'Every event bubbles and crosses shadow roots (`bubbles`, `composed`).',
  slots: 'Slots',
  cssParts: 'CSS parts (`::part()`)',
  cssProperties: 'CSS custom properties',
  methods: 'Methods',
  colProperty: 'Property',
  colAttribute: 'Attribute',
  colType: 'Type',
  colDefault: 'Default',
  colDescription: 'Description',
  colEvent: 'Event',
  colDetail: 'Detail type',
  colSlot: 'Slot',
  colPart: 'Part',
  colCssProperty: 'Custom property',
  colMethod: 'Method',
  colSignature: 'Signature',
  defaultSlot: '(default slot)',
  readonly: 'read-only',
  none: 'none',
  emptySection: 'None in custom-elements.json.',
};

export type DocsMessageKey = keyof typeof en;

export const DOCS_TEXT: Record<DocsLang, Record<DocsMessageKey, string>> = {
  en,
  'zh-CN': {
    skip: '跳到正文',
    tagline: '人脸采集组件 · 接口文档',
    langLegend: '语言',
    home: '演示页',
    allElements: '全部组件',
    docsIndexTitle: '接口与嵌入',
    docsIndexLede: '每个组件一页：特性、属性、事件、插槽、CSS 部件、CSS 自定义属性和方法，以及可直接复制的 script 标签、React 19、Vue 3 和微信 H5 代码。',
    pageTitle: '接口与嵌入',
    generated: '本页在构建时由 `custom-elements.json` 生成；说明文字取自源码注释（英文）。',
    openDemo: '打开演示页',
    apiDocsLink: '接口与嵌入',
    toc: '本页目录',
    overview: '概述',
    embedTitle: '嵌入',
    embedLede: '每段代码都使用由你的网站运行的签名端点，以及在每次调用前向你的后端申请新票据的 `ticketProvider`。请把示例网址换成你自己的。',
    scriptTitle: 'Script 标签',
    scriptNote: '一个经典脚本注册全部组件。它旁边的 `assets/` 文件夹（wasm 和模型）在组件需要时才加载；如果资源放在别处，请设置 `assets-base`。',
    reactTitle: 'React 19',
    reactNote:
      '在首次渲染之前导入注册文件。与元素属性同名（驼峰写法）的 prop 会作为属性设置，函数可以原样传入；事件用 `onfacekit-…` prop，事件名原样书写。`@facekit/elements/react` 提供 JSX 类型。',
    vueTitle: 'Vue 3',
    vueNote: '告诉模板编译器 facekit 标签是自定义元素（`isCustomElement`）。函数和对象用 `.prop` 加属性名作为属性绑定；用 `@facekit-result` 监听事件。',
    wechatTitle: '微信 H5',
    wechatNoteCommon: '页面必须通过 HTTPS 提供，才能使用摄像头。iOS 微信不允许未经点击就播放摄像头画面时，组件会自行显示“点击开启摄像头”。',
    wechatNoteAdapter: '摄像头无法使用时，组件先提供你传入的微信 JS-SDK 选图功能，再提供文件选择。JS-SDK 需要你的服务器签名（`wx.config`），所以组件从不自行加载它。',
    wechatNoteFile: '摄像头无法使用时，组件改为提供文件选择（此组件不接受 JS-SDK 选图）。',
    wechatNoteCamera: '此组件需要摄像头：iOS 微信 14.3 及以上、Android 9 及以上。',
    copy: '复制',
    copied: '已复制',
    copiedAnnounce: '已复制到剪贴板：{name}',
    copyFailed: '浏览器不允许复制。代码已选中，请按 Ctrl+C（Mac 上按 ⌘C）。',
    apiTitle: '接口',
    properties: '属性与 HTML 特性',
    events: '事件',
    eventsNote: '所有事件都会冒泡并穿过 shadow root（`bubbles`、`composed`）。',
    slots: '插槽',
    cssParts: 'CSS 部件（`::part()`）',
    cssProperties: 'CSS 自定义属性',
    methods: '方法',
    colProperty: '属性',
    colAttribute: 'HTML 特性',
    colType: '类型',
    colDefault: '默认值',
    colDescription: '说明',
    colEvent: '事件',
    colDetail: 'detail 类型',
    colSlot: '插槽',
    colPart: '部件',
    colCssProperty: '自定义属性',
    colMethod: '方法',
    colSignature: '签名',
    defaultSlot: '（默认插槽）',
    readonly: '只读',
    none: '无',
    emptySection: 'custom-elements.json 中没有记录。',
  },
};

/** Whether a value names one of the site's two languages. */
export function isDocsLang(value: unknown): value is DocsLang {
  return value === 'zh-CN' || value === 'en';
}
