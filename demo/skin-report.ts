// Demo page of <skin-report>: wires the element to this server's endpoint with demo tickets
// (scopes skin.*), offers language and source switches, and logs every facekit event.
//
// For end-to-end tests the page exposes `window.facekitEvents`: every facekit-* event of the
// page, in order, as `{ type, detail, time }`.
import '../packages/elements/src/skin-report/define.ts';
import type { SkinReport } from '../packages/elements/src/skin-report/skin-report.ts';
import type { SkinReportResultDetail } from '../packages/elements/src/events.ts';
import { demoTicket } from './embed-shared.ts';
import { startEventLog, type RecordedFacekitEvent } from './event-log.ts';
import { applyPageText, pageLang, type Lang } from './page-lang.ts';

const PAGE_TEXT: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    skip: '跳到正文',
    tagline: '人脸采集组件演示',
    lede: '拍摄一张光线均匀的正脸照片，分析肤质，查看易懂的测肤报告；历史报告只保存在本机。',
    langLegend: '语言',
    sourceLegend: '照片来源',
    auto: '自动',
    camera: '摄像头',
    file: '文件',
    intro: '请素颜、正对摄像头，在明亮均匀的光线下保持不动，照片会自动拍摄并提交分析。',
    events: '事件',
    clear: '清空',
    empty: '还没有事件。',
  },
  en: {
    skip: 'Skip to the content',
    tagline: 'Face capture components demo',
    lede: 'Take a frontal photo in even light, have the skin analysed, and read a clear skin report; past reports stay on this device.',
    langLegend: 'Language',
    sourceLegend: 'Photo source',
    auto: 'Automatic',
    camera: 'Camera',
    file: 'File',
    intro: 'Bare face, look straight at the camera in bright, even light and hold still: the photo is taken and analysed automatically.',
    events: 'Events',
    clear: 'Clear',
    empty: 'No events yet.',
  },
};

const element = document.querySelector<SkinReport>('#skin')!;
const controls = document.querySelector<HTMLFormElement>('#controls')!;

// The endpoint is served on the page's origin; demo mode mints tickets at GET /v1/demo/ticket.
element.endpoint = location.origin;
element.ticketProvider = () => demoTicket('skin.*');

// ── event log ────────────────────────────────────────────────────────────
/** The report is long: the visible log shows its headline numbers; `facekitEvents` keeps it whole. */
function headline(event: RecordedFacekitEvent): unknown {
  if (event.type !== 'facekit-result') return event.detail;
  const { mode, report, trend } = event.detail as SkinReportResultDetail;
  return {
    mode,
    calcId: report.calcId,
    synScore: report.synScore,
    synAge: report.synAge,
    trend: trend && { score: trend.score, age: trend.age },
  };
}

const eventLog = startEventLog({ emptyText: (lang) => PAGE_TEXT[lang].empty!, summary: headline });

// ── switches ─────────────────────────────────────────────────────────────
function applyPageLang(lang: Lang): void {
  applyPageText(PAGE_TEXT, lang);
  eventLog.relabel();
}

function syncControls(): void {
  const lang: Lang = element.getAttribute('lang') === 'en' ? 'en' : 'zh-CN';
  for (const [name, value] of [
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
  if (input.name === 'lang') element.lang = input.value;
  else if (input.name === 'source') {
    element.stop();
    element.source = input.value as SkinReport['source'];
  }
});
controls.addEventListener('submit', (event) => event.preventDefault());

// Tests and other scripts may change the element directly; keep the switches in step.
new MutationObserver(syncControls).observe(element, { attributes: true, attributeFilter: ['lang', 'source'] });

await customElements.whenDefined('skin-report');
syncControls();
applyPageLang(pageLang());
eventLog.renderEmpty();
