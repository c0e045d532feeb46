// Demo page of <face-enroll>: wires the element to this server's endpoint with demo tickets,
// offers mode / language / source switches, and logs every facekit event.
//
// For end-to-end tests the page exposes `window.facekitEvents`: every facekit-* event of the
// page, in order, as `{ type, detail, time }`.
import '../packages/elements/src/face-enroll/define.ts';
import type { FaceEnroll } from '../packages/elements/src/face-enroll/face-enroll.ts';
import { demoTicket } from './embed-shared.ts';
import { startEventLog } from './event-log.ts';
import { applyPageText, pageLang, type Lang } from './page-lang.ts';

const PAGE_TEXT: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    skip: '跳到正文',
    tagline: '人脸采集组件演示',
    lede: '拍摄或上传一张人脸照片，然后录入人员、在分组中识别人员，或与参考照片比对。',
    modeLegend: '模式',
    enroll: '人脸录入',
    search: '人脸识别',
    verify: '人证比对',
    langLegend: '语言',
    sourceLegend: '照片来源',
    auto: '自动',
    camera: '摄像头',
    file: '文件',
    referenceLabel: '参考照片（人证比对）',
    referenceNote: '例如证件照。照片只在提交时发送到本服务器。',
    intro: '将脸放入椭圆框内，照片会自动拍摄。',
    events: '事件',
    clear: '清空',
    empty: '还没有事件。',
  },
  en: {
    skip: 'Skip to the content',
    tagline: 'Face capture components demo',
    lede: 'Take or upload a face photo, then enrol a person, find a person in the group, or verify against a reference photo.',
    modeLegend: 'Mode',
    enroll: 'Enrol',
    search: 'Find person',
    verify: 'Verify',
    langLegend: 'Language',
    sourceLegend: 'Photo source',
    auto: 'Automatic',
    camera: 'Camera',
    file: 'File',
    referenceLabel: 'Reference photo (verify)',
    referenceNote: 'An ID photo, for example. It is sent to this server only when you submit.',
    intro: 'Fit your face in the oval; the photo is taken automatically.',
    events: 'Events',
    clear: 'Clear',
    empty: 'No events yet.',
  },
};

const element = document.querySelector<FaceEnroll>('#enroll')!;
const controls = document.querySelector<HTMLFormElement>('#controls')!;
const referenceField = document.querySelector<HTMLElement>('#reference-field')!;
const referenceInput = document.querySelector<HTMLInputElement>('#reference')!;

// The endpoint is served on the page's origin; demo mode mints tickets at GET /v1/demo/ticket.
element.endpoint = location.origin;
// One subject per browser, as a site's backend would name its user: a capture resent after a
// reload (with a fresh ticket) then keeps its Idempotency-Key, and is enrolled once.
element.ticketProvider = () => demoTicket('face.*', demoSubject());

/** A random id kept in localStorage: this browser's demo user. */
function demoSubject(): string {
  const key = 'facekit-demo-subject';
  try {
    const kept = localStorage.getItem(key);
    if (kept) return kept;
    const made = `demo-${crypto.getRandomValues(new Uint32Array(2)).join('')}`;
    localStorage.setItem(key, made);
    return made;
  } catch {
    // Storage refused (private mode): a subject for this page only.
    return `demo-page-${Math.floor(performance.timeOrigin)}`;
  }
}

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
    ['mode', element.mode],
    ['lang', lang],
    ['source', element.source],
  ] as const) {
    const radio = controls.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
    if (radio && !radio.checked) radio.checked = true;
  }
  referenceField.hidden = element.mode !== 'verify';
  if (pageLang() !== lang) applyPageLang(lang);
}

controls.addEventListener('change', (event) => {
  const input = event.target as HTMLInputElement;
  if (input.name === 'mode') element.mode = input.value as FaceEnroll['mode'];
  else if (input.name === 'lang') element.lang = input.value;
  else if (input.name === 'source') {
    element.stop();
    element.source = input.value as FaceEnroll['source'];
  } else if (input === referenceInput) {
    element.referenceImage = referenceInput.files?.[0] ?? null;
  }
});
controls.addEventListener('submit', (event) => event.preventDefault());

// Tests and other scripts may change the element directly; keep the switches in step.
new MutationObserver(syncControls).observe(element, { attributes: true, attributeFilter: ['mode', 'lang', 'source'] });

await customElements.whenDefined('face-enroll');
syncControls();
applyPageLang(pageLang());
eventLog.renderEmpty();
