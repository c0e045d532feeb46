// Demo page of <liveness-check>: wires the element to this server's endpoint with demo tickets
// (scopes liveness.*), a demo identity, switches for language, action count, security level and
// the FaceID mock's scenario (sent as biz_no), and logs every facekit event.
//
// For end-to-end tests the page exposes `window.facekitEvents`: every facekit-* event of the page,
// in order, as `{ type, detail, time }`. With `?bench` in the address it also records, for
// scripts/bench-liveness.mjs, the worker's time of each landmark call and when it was made
// (`window.facekitLivenessBench`).
import '../packages/elements/src/liveness-check/define.ts';
import { VisionBridge } from '../packages/core/src/client/index.js';
import type { LivenessCheck } from '../packages/elements/src/liveness-check/liveness-check.ts';
import { demoTicket } from './embed-shared.ts';
import { startEventLog } from './event-log.ts';
import { applyPageText, pageLang, type Lang } from './page-lang.ts';

export interface LivenessBenchRecord {
  /** Per landmark call: when it returned (page clock, ms) and the worker's own time (ms). */
  landmarks: { at: number; workerMs: number }[];
}

declare global {
  interface Window {
    facekitLivenessBench?: LivenessBenchRecord;
  }
}

/** A made-up identity of the right shape (the mock adopts the first live photo as its authority photo). */
const DEMO_ID_NUMBER = '11010119900307003X';

const PAGE_TEXT: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    skip: '跳到正文',
    tagline: '人脸采集组件演示',
    lede: '按提示完成几个简单动作（在本机判定），然后由 FaceID 将最佳照片与身份证照片比对。本页使用模拟服务。',
    langLegend: '语言',
    countLegend: '动作个数',
    levelLabel: '安全级别',
    level1: '宽松（误识率千分之一）',
    level2: '标准（误识率万分之一）',
    level3: '严格（误识率十万分之一）',
    level4: '非常严格（误识率百万分之一）',
    scenarioLabel: '模拟服务的结果（biz_no）',
    scenarioNone: '按比对结果',
    scenarioNote: '只对本页的模拟 FaceID 服务有效。',
    intro: '请正对摄像头，按提示完成动作；整个过程在本机判定，只有最佳照片会发送到本服务器。',
    events: '事件',
    clear: '清空',
    empty: '还没有事件。',
  },
  en: {
    skip: 'Skip to the content',
    tagline: 'Face capture components demo',
    lede: 'Do a few simple movements (judged on this device); FaceID then compares the best photo with the ID card photo. This page uses the mock service.',
    langLegend: 'Language',
    countLegend: 'Number of actions',
    levelLabel: 'Security level',
    level1: 'Lenient (1 in 1,000 false accepts)',
    level2: 'Standard (1 in 10,000 false accepts)',
    level3: 'Strict (1 in 100,000 false accepts)',
    level4: 'Very strict (1 in 1,000,000 false accepts)',
    scenarioLabel: 'Mock service outcome (biz_no)',
    scenarioNone: 'From the comparison',
    scenarioNote: 'Only the mock FaceID service of this page reads it.',
    intro: 'Look at the camera and follow the prompts; it is all judged on this device, and only the best photo is sent to this server.',
    events: 'Events',
    clear: 'Clear',
    empty: 'No events yet.',
  },
};

if (new URLSearchParams(location.search).has('bench')) {
  const record: LivenessBenchRecord = { landmarks: [] };
  window.facekitLivenessBench = record;
  const landmarks = VisionBridge.prototype.landmarks;
  VisionBridge.prototype.landmarks = async function (this: VisionBridge, ...args: Parameters<typeof landmarks>) {
    const analysis = await landmarks.apply(this, args);
    record.landmarks.push({ at: performance.now(), workerMs: analysis.workerMs });
    return analysis;
  };
}

const element = document.querySelector<LivenessCheck>('#liveness')!;
const controls = document.querySelector<HTMLFormElement>('#controls')!;

// The endpoint is served on the page's origin; demo mode mints tickets at GET /v1/demo/ticket.
element.endpoint = location.origin;
element.idcardNumber = DEMO_ID_NUMBER;
element.ticketProvider = () => demoTicket('liveness.*');

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
    ['lang', lang],
    ['actions', String(element.actionCount)],
  ] as const) {
    const radio = controls.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
    if (radio && !radio.checked) radio.checked = true;
  }
  controls.querySelector<HTMLSelectElement>('#level')!.value = String(element.securityLevel);
  controls.querySelector<HTMLSelectElement>('#scenario')!.value = element.bizNo.startsWith('mock:') ? element.bizNo : '';
  if (pageLang() !== lang) applyPageLang(lang);
}

controls.addEventListener('change', (event) => {
  const input = event.target as HTMLInputElement | HTMLSelectElement;
  if (input.name === 'lang') element.lang = input.value;
  else if (input.name === 'actions') element.actionCount = Number(input.value);
  else if (input.name === 'level') element.securityLevel = Number(input.value) as LivenessCheck['securityLevel'];
  else if (input.name === 'scenario') element.bizNo = input.value;
});
controls.addEventListener('submit', (event) => event.preventDefault());

// Tests and other scripts may change the element directly; keep the switches in step.
new MutationObserver(syncControls).observe(element, {
  attributes: true,
  attributeFilter: ['lang', 'action-count', 'security-level', 'biz-no'],
});

await customElements.whenDefined('liveness-check');
syncControls();
applyPageLang(pageLang());
eventLog.renderEmpty();
