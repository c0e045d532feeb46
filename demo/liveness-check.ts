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
import { startDemoPage } from './demo-page.ts';
import type { Lang } from './page-lang.ts';

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
    lede: '按提示完成几个简单动作（在本机判定），然后由 FaceID 将最佳照片与身份证照片比对。本页使用模拟服务。',
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
  },
  en: {
    lede: 'Do a few simple movements (judged on this device); FaceID then compares the best photo with the ID card photo. This page uses the mock service.',
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

// ── switches and log ─────────────────────────────────────────────────────
await startDemoPage({
  element,
  text: PAGE_TEXT,
  radios: (liveness) => ({ actions: String(liveness.actionCount) }),
  attributes: ['action-count', 'security-level', 'biz-no'],
  onChange: (input, liveness) => {
    if (input.name === 'actions') liveness.actionCount = Number(input.value);
    else if (input.name === 'level') liveness.securityLevel = Number(input.value) as LivenessCheck['securityLevel'];
    else if (input.name === 'scenario') liveness.bizNo = input.value;
  },
  sync: (liveness) => {
    controls.querySelector<HTMLSelectElement>('#level')!.value = String(liveness.securityLevel);
    controls.querySelector<HTMLSelectElement>('#scenario')!.value = liveness.bizNo.startsWith('mock:') ? liveness.bizNo : '';
  },
});
