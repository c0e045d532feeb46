// Demo page of <id-photo-maker>: wires the element to this server's endpoint with demo tickets
// (scopes idPhoto.*), offers processing / language / source switches, and logs every facekit event.
//
// For end-to-end tests the page exposes `window.facekitEvents`: every facekit-* event of the
// page, in order, as `{ type, detail, time }` (result details keep their Blobs).
import '../packages/elements/src/id-photo-maker/define.ts';
import type { IdPhotoMaker } from '../packages/elements/src/id-photo-maker/id-photo-maker.ts';
import { demoTicket } from './embed-shared.ts';
import { startDemoPage } from './demo-page.ts';
import type { Lang } from './page-lang.ts';

const PAGE_TEXT: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    lede: '选择证件照规格和背景颜色，拍摄或上传一张照片，得到尺寸、分辨率和文件大小都符合要求的证件照，以及冲印排版。',
    processingLegend: '制作方式',
    device: '本机',
    vendor: '证件照服务',
    intro: '照片默认只在本机处理；选择“证件照服务”时，照片会发送到本服务器（连接模拟的证件照服务）。',
  },
  en: {
    lede: 'Pick the spec and the background colour, take or upload a photo, and get an ID photo of the right pixel size, resolution and file size, with a print sheet.',
    processingLegend: 'Made by',
    device: 'This device',
    vendor: 'ID-photo service',
    intro: 'By default the photo stays on this device; with "ID-photo service" it is sent to this server (which talks to a mock ID-photo service).',
  },
};

const element = document.querySelector<IdPhotoMaker>('#maker')!;

// The endpoint is served on the page's origin; demo mode mints tickets at GET /v1/demo/ticket.
// idPhoto.make is billable and spends a ticket's nonce: a fresh ticket for every call.
element.endpoint = location.origin;
element.ticketProvider = () => demoTicket('idPhoto.*');

// ── switches and log ─────────────────────────────────────────────────────
await startDemoPage({
  element,
  text: PAGE_TEXT,
  radios: (maker) => ({ processing: maker.processing }),
  attributes: ['processing'],
  onChange: (input, maker) => {
    if (input.name === 'processing') maker.processing = input.value as IdPhotoMaker['processing'];
  },
});
