// Demo page of <face-enroll>: wires the element to this server's endpoint with demo tickets,
// offers mode / language / source switches, and logs every facekit event.
//
// For end-to-end tests the page exposes `window.facekitEvents`: every facekit-* event of the
// page, in order, as `{ type, detail, time }`.
import '../packages/elements/src/face-enroll/define.ts';
import type { FaceEnroll } from '../packages/elements/src/face-enroll/face-enroll.ts';
import { demoTicket } from './embed-shared.ts';
import { startDemoPage } from './demo-page.ts';
import type { Lang } from './page-lang.ts';

const PAGE_TEXT: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    lede: '拍摄或上传一张人脸照片，然后录入人员、在分组中识别人员，或与参考照片比对。',
    modeLegend: '模式',
    enroll: '人脸录入',
    search: '人脸识别',
    verify: '人证比对',
    referenceLabel: '参考照片（人证比对）',
    referenceNote: '例如证件照。照片只在提交时发送到本服务器。',
    intro: '将脸放入椭圆框内，照片会自动拍摄。',
  },
  en: {
    lede: 'Take or upload a face photo, then enrol a person, find a person in the group, or verify against a reference photo.',
    modeLegend: 'Mode',
    enroll: 'Enrol',
    search: 'Find person',
    verify: 'Verify',
    referenceLabel: 'Reference photo (verify)',
    referenceNote: 'An ID photo, for example. It is sent to this server only when you submit.',
    intro: 'Fit your face in the oval; the photo is taken automatically.',
  },
};

const element = document.querySelector<FaceEnroll>('#enroll')!;
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

// ── switches and log ─────────────────────────────────────────────────────
await startDemoPage({
  element,
  text: PAGE_TEXT,
  radios: (enroll) => ({ mode: enroll.mode }),
  attributes: ['mode'],
  onChange: (input, enroll) => {
    if (input.name === 'mode') enroll.mode = input.value as FaceEnroll['mode'];
    else if (input === referenceInput) enroll.referenceImage = referenceInput.files?.[0] ?? null;
  },
  sync: (enroll) => {
    referenceField.hidden = enroll.mode !== 'verify';
  },
});
