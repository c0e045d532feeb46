// Demo page of <skin-report>: wires the element to this server's endpoint with demo tickets
// (scopes skin.*), offers language and source switches, and logs every facekit event.
//
// For end-to-end tests the page exposes `window.facekitEvents`: every facekit-* event of the
// page, in order, as `{ type, detail, time }`.
import '../packages/elements/src/skin-report/define.ts';
import type { SkinReport } from '../packages/elements/src/skin-report/skin-report.ts';
import type { SkinReportResultDetail } from '../packages/elements/src/events.ts';
import { demoTicket } from './embed-shared.ts';
import type { RecordedFacekitEvent } from './event-log.ts';
import { startDemoPage } from './demo-page.ts';
import type { Lang } from './page-lang.ts';

const PAGE_TEXT: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    lede: '拍摄一张光线均匀的正脸照片，分析肤质，查看易懂的测肤报告；历史报告只保存在本机。',
    intro: '请素颜、正对摄像头，在明亮均匀的光线下保持不动，照片会自动拍摄并提交分析。',
  },
  en: {
    lede: 'Take a frontal photo in even light, have the skin analysed, and read a clear skin report; past reports stay on this device.',
    intro: 'Bare face, look straight at the camera in bright, even light and hold still: the photo is taken and analysed automatically.',
  },
};

const element = document.querySelector<SkinReport>('#skin')!;

// The endpoint is served on the page's origin; demo mode mints tickets at GET /v1/demo/ticket.
element.endpoint = location.origin;
element.ticketProvider = () => demoTicket('skin.*');

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

// ── switches and log ─────────────────────────────────────────────────────
await startDemoPage({ element, text: PAGE_TEXT, summary: headline });
