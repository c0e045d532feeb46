// Demo page of <id-photo-maker>: wires the element to this server's endpoint with demo tickets
// (scopes idPhoto.*), offers processing / language / source switches, and logs every facekit event.
//
// For end-to-end tests the page exposes `window.facekitEvents`: every facekit-* event of the
// page, in order, as `{ type, detail, time }` (result details keep their Blobs).
import '../packages/elements/src/id-photo-maker/define.ts';
import type { IdPhotoMaker } from '../packages/elements/src/id-photo-maker/id-photo-maker.ts';
import { demoTicket } from './embed-shared.ts';
import { startEventLog } from './event-log.ts';
import { applyPageText, pageLang, type Lang } from './page-lang.ts';

const PAGE_TEXT: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    skip: '跳到正文',
    tagline: '人脸采集组件演示',
    lede: '选择证件照规格和背景颜色，拍摄或上传一张照片，得到尺寸、分辨率和文件大小都符合要求的证件照，以及冲印排版。',
    processingLegend: '制作方式',
    device: '本机',
    vendor: '证件照服务',
    langLegend: '语言',
    sourceLegend: '照片来源',
    auto: '自动',
    camera: '摄像头',
    file: '文件',
    intro: '照片默认只在本机处理；选择“证件照服务”时，照片会发送到本服务器（连接模拟的证件照服务）。',
    events: '事件',
    clear: '清空',
    empty: '还没有事件。',
  },
  en: {
    skip: 'Skip to the content',
    tagline: 'Face capture components demo',
    lede: 'Pick the spec and the background colour, take or upload a photo, and get an ID photo of the right pixel size, resolution and file size, with a print sheet.',
    processingLegend: 'Made by',
    device: 'This device',
    vendor: 'ID-photo service',
    langLegend: 'Language',
    sourceLegend: 'Photo source',
    auto: 'Automatic',
    camera: 'Camera',
    file: 'File',
    intro: 'By default the photo stays on this device; with "ID-photo service" it is sent to this server (which talks to a mock ID-photo service).',
    events: 'Events',
    clear: 'Clear',
    empty: 'No events yet.',
  },
};

const element = document.querySelector<IdPhotoMaker>('#maker')!;
const controls = document.querySelector<HTMLFormElement>('#controls')!;

// The endpoint is served on the page's origin; demo mode mints tickets at GET /v1/demo/ticket.
// idPhoto.make is billable and spends a ticket's nonce: a fresh ticket for every call.
element.endpoint = location.origin;
element.ticketProvider = () => demoTicket('idPhoto.*');

// ── event log ────────────────────────────────────────────────────────────
const eventLog = startEventLog({ emptyText: (lang) => PAGE_TEXT[lang].empty! });

// ── switches ─────────────────────────────────────────────────────────────
function applyPageLang(lang: Lang): void {
  applyPageText(PAGE_TEXT, lang);
  eventLog.relabel();
}

function syncControls(): void {
  const lang: Lang = element.getAttribute('lang') === 'en' ? 'en' : 'zh-CN';
  for (const [name, value] of [
    ['processing', element.processing],
    ['lang', lang],
    ['source', element.source],
  ] as const) {
    const radio = controls.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
    if (radio && !radio.checked) radio.checked = true;
  }
  if (pageLang() !== lang) applyPageLang(lang);
}

controls.addEventListener('change', (event) => {
  const input = event.target as HTMLInputElement;
  if (input.name === 'processing') element.processing = input.value as IdPhotoMaker['processing'];
  else if (input.name === 'lang') element.lang = input.value;
  else if (input.name === 'source') {
    element.stop();
    element.source = input.value as IdPhotoMaker['source'];
  }
});
controls.addEventListener('submit', (event) => event.preventDefault());

// Tests and other scripts may change the element directly; keep the switches in step.
new MutationObserver(syncControls).observe(element, { attributes: true, attributeFilter: ['processing', 'lang', 'source'] });

await customElements.whenDefined('id-photo-maker');
syncControls();
applyPageLang(pageLang());
eventLog.renderEmpty();
