import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { nothing } from 'lit';
// Dependencies of @web/test-runner itself.
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import {
  FacekitError,
  KIT_CODES,
  MESSAGES,
  VisionBridge,
  kitMessage,
  type Capture,
  type FrameAnalysis,
  type Hint,
  type KitCode,
  type MessageOverrides,
  type Phase,
  type Point,
  type QualityReport,
} from '@facekit/core';
// The endpoint's own table of the document's error codes (a plain module, no Node APIs).
import { SKIN_CODES } from '../../../server/src/vendors/skin/errors.js';
import type { FacekitErrorDetail, FacekitResultDetail, FacekitStatusDetail, SkinReportResultDetail } from '../events.js';
import './define.js';
import { REPORT_FONT } from './export.js';
import { SKIN_CONCERN_KEYS, SKIN_FIELDS, SKIN_IMAGE_FIELDS, SKIN_WRINKLE_ZONE_KEYS } from './fields.js';
import { MESH } from './regions.js';
import { SkinHistory } from './history.js';
import { historyEntryOf, normaliseSkinReport } from './report-model.js';
import type { SkinReport } from './skin-report.js';
import { SKIN_DOC_DATAS } from './skin-report.fixture.js';

// ── helpers ────────────────────────────────────────────────────────────────

const ENDPOINT = `${location.origin}/fake-endpoint`;
const RESPONSE = SKIN_DOC_DATAS.response as Record<string, unknown>;

type Answer = { ok: boolean; code: string; data?: unknown; vendor?: { name: string; code: string; message: string } } | 'network-down';
interface RecordedCall {
  op: string;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Replaces window.fetch for `/v1/ops/*` with canned envelopes (HTTP status as the endpoint's); records the calls. */
function fakeEndpoint(answers: Record<string, (body: Record<string, unknown>, n: number) => Answer>) {
  const calls: RecordedCall[] = [];
  const counts: Record<string, number> = {};
  const original = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
    const match = /\/v1\/ops\/([^/]+)$/.exec(url.pathname);
    if (!match) return original(input, init);
    const op = decodeURIComponent(match[1]!);
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    calls.push({ op, body, headers: new Headers(init?.headers) });
    counts[op] = (counts[op] ?? 0) + 1;
    const answer = answers[op]?.(body, counts[op]!) ?? { ok: false, code: 'UNKNOWN_OP' };
    if (answer === 'network-down') throw new TypeError('Failed to fetch');
    const status = KIT_CODES[answer.code as KitCode]?.status ?? 500;
    return new Response(
      JSON.stringify({ message: kitMessage(answer.code as KitCode, 'en'), requestId: `req-${calls.length}`, ...answer }),
      { status: status >= 200 ? status : 500, headers: { 'Content-Type': 'application/json' } },
    );
  };
  return { calls, ops: () => calls.map((c) => c.op), restore: () => void (window.fetch = original) };
}

/** A small PNG data URL, so that the result images load without a server. */
function pictureUrl(colour: string): string {
  const canvas = document.createElement('canvas');
  canvas.width = 6;
  canvas.height = 8;
  const context = canvas.getContext('2d')!;
  context.fillStyle = colour;
  context.fillRect(0, 0, 6, 8);
  return canvas.toDataURL('image/png');
}

/**
 * The endpoint's `data` for the document's example, shaped as the server normalises it
 * (`{ calcId, clientId, extra, metrics, images }`), with the pictures as data URLs.
 */
function endpointData(overrides: Record<string, number> = {}): Record<string, unknown> {
  const metrics: Record<string, number> = {};
  for (const [field, value] of Object.entries(RESPONSE)) if (typeof value === 'number') metrics[field] = value;
  Object.assign(metrics, overrides);
  const images: Record<string, string> = {};
  SKIN_IMAGE_FIELDS.forEach((field, i) => (images[field] = pictureUrl(`hsl(${i * 17} 70% 50% / 0.5)`)));
  return { calcId: SKIN_DOC_DATAS.calcId, clientId: SKIN_DOC_DATAS.clientId, extra: SKIN_DOC_DATAS.extra, metrics, images };
}

const pending = (calcId = SKIN_DOC_DATAS.calcId): Answer => ({ ok: false, code: 'IN_PROGRESS', data: { calcId, retryAfterMs: 20 } });

function record(el: HTMLElement) {
  const statuses: FacekitStatusDetail[] = [];
  const results: FacekitResultDetail[] = [];
  const errors: FacekitErrorDetail[] = [];
  el.addEventListener('facekit-status', (e) => statuses.push(e.detail));
  el.addEventListener('facekit-result', (e) => results.push(e.detail));
  el.addEventListener('facekit-error', (e) => errors.push(e.detail));
  return { statuses, results, errors, phases: () => statuses.map((s) => s.phase) };
}

/** A 480×640 JPEG with a face-coloured oval, as the camera would give. */
async function photoBlob(width = 480, height = 640): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#7a8a99';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#d9a88a';
  context.beginPath();
  context.ellipse(width / 2, height / 2, width * 0.3, height * 0.32, 0, 0, 2 * Math.PI);
  context.fill();
  return new Promise<Blob>((resolve) => canvas.toBlob((blob) => resolve(blob!), 'image/jpeg', 0.9));
}

/** Keypoints of a frontal face within the box (x 120…360, y 160…480) of the 480×640 photo. */
const FACE_BOX = { x: 120, y: 160, width: 240, height: 320 };
const FACE_KEYPOINTS: Point[] = [
  { x: 195, y: 280 },
  { x: 285, y: 280 },
  { x: 240, y: 340 },
  { x: 240, y: 400 },
  { x: 130, y: 300 },
  { x: 350, y: 300 },
];

async function fakeCapture(): Promise<Capture> {
  return { blob: await photoBlob(), width: 480, height: 640, quality: 0.9, face: { ...FACE_BOX } };
}

/** Gives the element a capture as if the camera had taken it (keypoints in the capture's pixels). */
async function giveCapture(el: SkinReport): Promise<Capture> {
  const capture = await fakeCapture();
  await el['setCapture'](capture, { box: { ...FACE_BOX }, keypoints: FACE_KEYPOINTS });
  await el.updateComplete;
  return capture;
}

const $ = <T extends Element = HTMLElement>(el: HTMLElement, selector: string): T => {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector} in the shadow root`);
  return found;
};
const $$ = <T extends Element = HTMLElement>(el: HTMLElement, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

function buttonByText(el: HTMLElement, label: string): HTMLButtonElement | undefined {
  return $$<HTMLButtonElement>(el, 'button').find((b) => text(b) === label);
}

/** Cells of a table's body rows, as text. */
function rows(table: Element): string[][] {
  return [...table.querySelectorAll('tbody tr')].map((row) => [...row.children].map((cell) => text(cell)));
}

/** A history key no other test uses, so that tests do not see each other's reports. */
let keyCount = 0;
const freshKey = () => `test-${Date.now()}-${++keyCount}`;

async function analyse(el: SkinReport): Promise<SkinReportResultDetail | null> {
  const result = await el.submit();
  await el.updateComplete;
  return result;
}

/** 468 face-mesh points for the capture's face: the named ones where they belong, the rest on the nose. */
function meshPoints(): Array<{ x: number; y: number; z: number }> {
  const points = Array.from({ length: 468 }, () => ({ x: 240, y: 340, z: 0 }));
  const set = (index: number, x: number, y: number) => (points[index] = { x, y, z: 0 });
  set(MESH.rightEyeOuter, 178, 282);
  set(MESH.rightEyeInner, 212, 282);
  set(MESH.leftEyeInner, 268, 282);
  set(MESH.leftEyeOuter, 302, 282);
  set(MESH.noseTip, 240, 342);
  set(MESH.upperLip, 240, 396);
  set(MESH.lowerLip, 240, 406);
  set(MESH.mouthRight, 205, 401);
  set(MESH.mouthLeft, 275, 401);
  set(MESH.browCentre, 240, 250);
  set(MESH.foreheadTop, 240, 170);
  return points;
}

/** Stubs VisionBridge so the camera flow runs without the models. */
function stubVision(options: { hints?: Array<Partial<QualityReport> | null>; perStep?: number; landmarks?: boolean } = {}) {
  const proto = VisionBridge.prototype;
  const saved = {
    ready: proto.ready,
    resetSession: proto.resetSession,
    analyzeFrame: proto.analyzeFrame,
    analyzeImage: proto.analyzeImage,
    encodeBest: proto.encodeBest,
    landmarks: proto.landmarks,
  };
  const good: QualityReport = {
    faceCount: 1,
    faceSize: 0.55,
    centerOffset: { x: 0, y: 0 },
    centred: true,
    yaw: 0,
    pitch: 0,
    frontal: true,
    brightness: 130,
    sharpness: 200,
    motion: 0,
    score: 0.9,
  };
  const steps = options.hints ?? [good];
  const perStep = options.perStep ?? 3;
  let frames = 0;
  let resets = 0;
  const analysis = (report: QualityReport | null): FrameAnalysis => ({
    width: 480,
    height: 640,
    faces: report ? [{ box: { ...FACE_BOX }, keypoints: FACE_KEYPOINTS, score: 0.95 }] : [],
    quality: report,
    hint: (report ? 'ok' : 'no-face') as Hint,
    stableFrames: 0,
    ready: false,
    workerMs: 5,
  });
  proto.ready = async () => ({ startMs: 1, delegate: 'CPU' as const });
  proto.resetSession = async () => {
    resets++;
  };
  proto.analyzeFrame = async (frame: ImageBitmap): Promise<FrameAnalysis> => {
    frame.close();
    frames++;
    const step = steps[Math.min(Math.floor((frames - 1) / perStep), steps.length - 1)];
    return analysis(step === null ? null : { ...good, ...step });
  };
  proto.analyzeImage = async () => analysis(good);
  proto.encodeBest = async () => fakeCapture();
  let landmarkCalls = 0;
  proto.landmarks = async (frame: ImageBitmap) => {
    landmarkCalls++;
    const size = { width: frame.width, height: frame.height };
    frame.close();
    const faces = options.landmarks ? [{ landmarks: meshPoints(), geometry: {} as never }] : [];
    return { ...size, faces, workerMs: 5 };
  };
  return {
    landmarkCalls: () => landmarkCalls, frames: () => frames, resets: () => resets, restore: () => void Object.assign(proto, saved) };
}

let cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** The example's answer: in progress twice, then the report. */
function examplePolling() {
  return fakeEndpoint({
    'skin.analyze': () => pending(),
    'skin.result': (_body, n) => (n <= 2 ? pending() : { ok: true, code: 'OK', data: endpointData() }),
  });
}

// ── tests ──────────────────────────────────────────────────────────────────

describe('<skin-report>', () => {
  it('renders idle, accessible, with its parts and the default slot', async () => {
    const el = await fixture<SkinReport>(html`<skin-report history-key=${freshKey()}><h2>Skin check</h2></skin-report>`);
    expect(el.shadowRoot!.querySelector('slot:not([name])')).to.exist;
    expect(el.shadowRoot!.querySelector('[part~="hint"][aria-live="polite"]')).to.exist;
    expect(buttonByText(el, '开始')).to.exist;
    expect(el.currentPhase).to.equal('idle');
    expect(el.pollTimeout).to.equal(120_000);
    el.setAttribute('poll-timeout', '5000');
    el.setAttribute('history-key', 'someone');
    el.setAttribute('no-history', '');
    expect(el.pollTimeout).to.equal(5000);
    expect(el.historyKey).to.equal('someone');
    expect(el.noHistory).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('analyses: skin.analyze answers in progress, skin.result is polled with backoff until the report', async () => {
    const endpoint = examplePolling();
    cleanups.push(endpoint.restore);
    const el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} ticket="t-1" history-key=${freshKey()}></skin-report>`);
    const events = record(el);
    const capture = await giveCapture(el);
    const started = performance.now();
    const submitted = el.submit();

    // Progress is shown while the analysis runs.
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="progress"] progress'), 'no progress bar', { timeout: 3000 });
    await waitUntil(() => events.statuses.some((s) => s.phase === 'processing' && s.progress !== undefined), 'no progress status');
    expect(text($(el, '[part~="hint"]'))).to.equal('Analysing your skin…');
    await expect(el).to.be.accessible();

    const result = await submitted;
    await el.updateComplete;
    expect(endpoint.ops()).to.deep.equal(['skin.analyze', 'skin.result', 'skin.result', 'skin.result']);
    // The first wait is floored at 250 ms, then 375 and 562: the backoff grew.
    expect(performance.now() - started).to.be.above(250 + 375 + 562 - 50);
    const analyzeCall = endpoint.calls[0]!;
    expect(analyzeCall.headers.get('Authorization')).to.equal('Bearer t-1');
    expect(analyzeCall.headers.get('Idempotency-Key')).to.match(/:skin$/);
    expect(String(analyzeCall.body.image)).to.have.length.above(1000);
    for (const call of endpoint.calls.slice(1)) expect(call.body).to.deep.equal({ calcId: SKIN_DOC_DATAS.calcId });

    expect(result?.mode).to.equal('skin');
    expect(events.results).to.have.length(1);
    expect(events.errors).to.deep.equal([]);
    expect(events.phases().slice(0, 2)).to.deep.equal(['captured', 'uploading']);
    expect(events.phases().at(-1)).to.equal('done');
    const progress = events.statuses.filter((s) => s.progress !== undefined).map((s) => s.progress!);
    expect(progress).to.have.length(3);
    expect(progress[0]).to.be.below(progress[2]!);
    expect(el.capture).to.equal(capture);
    expect(el.report).to.equal(result!.report);
    await expect(el).to.be.accessible();
  });

  it('renders the document example: score, age, radar, wrinkle map, counts, grade, viewer and every field', async () => {
    const endpoint = examplePolling();
    cleanups.push(endpoint.restore);
    const el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} history-key=${freshKey()}></skin-report>`);
    await giveCapture(el);
    await analyse(el);
    const report = $(el, '[part~="report"]');
    expect(report.getAttribute('tabindex')).to.equal('-1');

    // Score and skin age: synScore 0.61871237 → 62 / 100 ("fair"); synAge 17.298355 → 17.
    expect($(el, '.score-value').dataset.value).to.equal('62');
    expect(text($(el, '.score-value'))).to.equal('62 Fair');
    expect($(el, '.age-value').dataset.value).to.equal('17');
    expect(text($(el, '.age-value'))).to.equal('17 years');
    expect($(el, '[part~="score-ring"]').getAttribute('aria-label')).to.equal('Overall score: 62 out of 100 (Fair)');
    // In plain words: the weakest are blackheads and surface spots (0.4, first in order), the strongest acne and dark circles.
    expect(text($(el, '.focus'))).to.equal('Needs the most care: Blackheads, Surface spots');
    expect(text($(el, '.strength'))).to.equal('Strongest: Acne, Dark circles');
    expect(text($(el, '.trend'))).to.equal('This is the first report kept on this device.');

    // Radar: eight axes in the issue's order, with a text alternative.
    const radar = $(el, '[part~="radar"]');
    const svg = radar.querySelector('svg[role="img"]')!;
    expect(text(svg.querySelector('title'))).to.equal('Main concerns');
    expect(text(svg.querySelector('desc'))).to.contain('Needs the most care: Blackheads, Surface spots');
    expect(svg.getAttribute('aria-labelledby')!.split(' ')).to.have.length(2);
    expect(rows(radar.querySelector('table.visually-hidden')!)).to.deep.equal([
      ['Wrinkles', '84'],
      ['Pores', '43'],
      ['Blackheads', '40'],
      ['Surface spots', '40'],
      ['Brown spots', '40'],
      ['Acne', '94'],
      ['Sensitivity', '40'],
      ['Dark circles', '91'],
    ]);
    expect(radar.querySelectorAll('.radar-current')).to.have.length(1);
    expect(radar.querySelector('.radar-previous')).to.equal(null);
    expect(getComputedStyle(radar.querySelector('table')!).position).to.equal('absolute'); // visually hidden

    // Wrinkle map on the photo: seven zones placed from the keypoints, each with its score and count.
    const map = $(el, '[part~="wrinkle-map"]');
    expect(map.querySelector('img')!.getAttribute('src')).to.match(/^blob:/);
    const zones = [...map.querySelectorAll<SVGGElement>('g.zone')];
    expect(zones.map((zone) => zone.dataset.zone)).to.deep.equal(SKIN_WRINKLE_ZONE_KEYS);
    const labelOf = (zone: string) => text(map.querySelector(`g[data-zone="${zone}"] text`));
    expect(labelOf('forehead')).to.equal('93 · 8');
    expect(labelOf('glabellar')).to.equal('90 · 0');
    expect(labelOf('nasolabial')).to.equal('66 · 1');
    expect(labelOf('mouthCorners')).to.equal('74 · 2');
    expect(labelOf('crowFeet')).to.equal('—'); // sideWrinkleScore 0 with no wrinkles: not measured on a frontal photo
    expect(map.querySelectorAll('g[data-zone="underEyes"] ellipse')).to.have.length(2);
    const forehead = map.querySelector('g[data-zone="forehead"] ellipse')!.getAttribute('transform')!;
    const mouth = map.querySelector('g[data-zone="mouthCorners"] ellipse')!.getAttribute('transform')!;
    const yOf = (transform: string) => Number(/translate\([\d.]+ ([\d.]+)\)/.exec(transform)![1]);
    expect(yOf(forehead)).to.be.below(FACE_KEYPOINTS[0]!.y);
    expect(yOf(mouth)).to.be.above(FACE_KEYPOINTS[3]!.y);
    expect(map.querySelector('g[data-zone="forehead"]')!.classList.contains('band-good')).to.equal(true);
    expect(map.querySelector('g[data-zone="nasolabial"]')!.classList.contains('band-fair')).to.equal(true);
    expect(rows($(el, 'table.zones'))).to.deep.equal([
      ['Forehead', '93', '8'],
      ['Between the brows', '90', '0'],
      ['Between the eyes', '92', '0'],
      ['Under the eyes', '91', '3'],
      ["Crow's feet", 'not measured', '—'],
      ['Nasolabial folds', '66', '1'],
      ['Mouth corners', '74', '2'],
    ]);
    expect(text($(el, '.wrinkles > .note'))).to.equal('Wrinkles in all: 14');
    // The map shows the face, not the whole photo: its part of the photo fills the figure, and the
    // zones' labels stay apart.
    const photo = map.querySelector('img')!.getBoundingClientRect();
    const figureBox = map.getBoundingClientRect();
    expect(photo.width).to.be.above(figureBox.width);
    const [viewX, viewY, viewWidth, viewHeight] = map.querySelector('svg')!.getAttribute('viewBox')!.split(' ').map(Number);
    expect(figureBox.width / figureBox.height).to.be.closeTo(viewWidth! / viewHeight!, 0.02);
    expect(photo.left - figureBox.left).to.be.closeTo((-viewX! / viewWidth!) * figureBox.width, 1);
    expect(photo.top - figureBox.top).to.be.closeTo((-viewY! / viewHeight!) * figureBox.height, 1);
    const labels = [...map.querySelectorAll('g.zone text')].map((label) => label.getBoundingClientRect());
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1)) {
        const overlap = Math.min(a.right, b.right) > Math.max(a.left, b.left) && Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top);
        expect(overlap, 'two zone labels overlap').to.equal(false);
      }
    }

    // Counts by size, spots and acne, dark circles.
    const counts = $$(el, '[part~="counts"] table.bar-list');
    expect(counts.map((table) => text(table.querySelector('caption')))).to.deep.equal([
      'Pores by size',
      'Blackheads by size',
      'Spots, acne and sensitive areas',
    ]);
    expect(rows(counts[0]!)).to.deep.equal([['Small', '1,804'], ['Medium', '59'], ['Large', '3'], ['In all', '1,866']]);
    expect(rows(counts[1]!)).to.deep.equal([['Small', '74'], ['Medium', '37'], ['Large', '14'], ['In all', '125']]);
    expect(rows(counts[2]!)).to.deep.equal([['Surface spots', '272'], ['Brown spots', '156'], ['Acne', '3'], ['Sensitive areas', '101']]);
    expect(text($(el, '.dark-circles .grade'))).to.equal('Grade: None');

    // The viewer: the 21 result images, each a toggle over the photo; the wrinkle findings on at first.
    const toggles = $$<HTMLButtonElement>(el, '[part~="layer-toggle"]');
    expect(toggles).to.have.length(21);
    expect(new Set(toggles.map((b) => b.dataset.field))).to.deep.equal(new Set(SKIN_IMAGE_FIELDS));
    expect(toggles.filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.field)).to.deep.equal(['imgWrinkle']);
    expect($$(el, '.viewer-stage .layers img').map((img) => img.dataset.field)).to.deep.equal(['imgWrinkle']);
    expect($(el, '.viewer-stage img.base').getAttribute('alt')).to.equal('Your photo');
    expect($$(el, '.layer-group .label').map(text)).to.deep.equal(['Findings', 'Findings on the photo', 'Maps']);

    // Every field of the answer in the details table, with its label, value and document name.
    const details = $(el, '[part~="details"] table');
    const fieldRows = [...details.querySelectorAll<HTMLTableRowElement>('tbody tr[data-field]')];
    const expectedFields = [...Object.keys(RESPONSE), 'calcId', 'clientId', 'extra'];
    expect(fieldRows.map((row) => row.dataset.field).sort()).to.deep.equal(expectedFields.sort());
    const cell = (field: string) => rows(details).find((cells) => cells[2] === field);
    expect(cell('synScore')).to.deep.equal(['Overall score', '62 / 100', 'synScore']);
    expect(cell('synAge')).to.deep.equal(['Skin age', '17.3 years', 'synAge']);
    expect(cell('blackHeadArea')).to.deep.equal(['Blackheads: area share', '9.53%', 'blackHeadArea']);
    expect(cell('smallPores')).to.deep.equal(['Small pores (3 px radius)', '1,804', 'smallPores']);
    expect(cell('wrkArea')).to.deep.equal(['Wrinkles: area', '8,646.5 px', 'wrkArea']);
    expect(cell('darkeyeGrade')).to.deep.equal(['Dark circles: grade', 'None', 'darkeyeGrade']);
    expect(cell('faceDirection')).to.deep.equal(['Face direction', 'Frontal', 'faceDirection']);
    expect(el.shadowRoot!.querySelector('[part~="notice"]'), 'no turned-face note for a frontal face').to.equal(null);
    expect(cell('calcId')![1]).to.equal(SKIN_DOC_DATAS.calcId);
    expect(cell('imgPore')![1]).to.equal('open');
    expect(details.querySelectorAll('tr.group')).to.have.length(10);
    await expect(el).to.be.accessible();
  });

  it('shows the report in zh-CN by default, with the document’s terms', async () => {
    const el = await fixture<SkinReport>(html`<skin-report history-key=${freshKey()} no-history></skin-report>`);
    el.report = normaliseSkinReport(SKIN_DOC_DATAS);
    await el.updateComplete;
    expect(text($(el, '.report h2'))).to.equal('测肤报告');
    expect(text($(el, '.age-value'))).to.equal('17 岁');
    expect(rows($(el, '[part~="radar"] table')).map((r) => r[0])).to.deep.equal([
      '皱纹',
      '毛孔',
      '黑头',
      '表面色斑',
      '棕色斑',
      '痤疮',
      '敏感',
      '黑眼圈',
    ]);
    expect(rows($(el, '[part~="details"] table')).find((cells) => cells[2] === 'largePores')![0]).to.equal('大毛孔个数（半径 7 像素）');
    // A report set by the page has no photo: no wrinkle map picture, the zones table still lists the zones.
    expect(el.shadowRoot!.querySelector('[part~="wrinkle-map"]')).to.equal(null);
    expect(rows($(el, 'table.zones'))).to.have.length(7);
    // Pictures that are the service's relative paths load from nowhere without an endpoint: the viewer says so.
    expect(text($(el, '[part~="viewer"] .note'))).to.equal('本报告没有结果图。');
    el.lang = 'en';
    await el.updateComplete;
    expect(text($(el, '.report h2'))).to.equal('Skin report');
    await expect(el).to.be.accessible();
  });

  it('notes a face the analysis saw turned to one side, in either direction', async () => {
    const el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} no-history></skin-report>`);
    for (const faceDirection of [-1, 1]) {
      el.report = normaliseSkinReport(endpointData({ faceDirection }));
      await el.updateComplete;
      expect(text($(el, '[part~="notice"]'))).to.contain('turned to one side');
    }
    el.lang = 'zh-CN';
    await el.updateComplete;
    expect(text($(el, '[part~="notice"]'))).to.contain('偏向一侧');
    el.report = normaliseSkinReport(endpointData({ faceDirection: 0 }));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="notice"]')).to.equal(null);
    el.report = normaliseSkinReport(endpointData({ faceDirection: 1 }));
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('stays accessible in dark mode with reduced motion', async () => {
    await emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    cleanups.push(() => emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' }));
    const el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} history-key=${freshKey()}></skin-report>`);
    await giveCapture(el);
    el.report = normaliseSkinReport(endpointData());
    await el.updateComplete;
    $(el, '[part~="details"]').setAttribute('open', '');
    expect(getComputedStyle(el).getPropertyValue('--_fk-duration').trim()).to.equal('0ms');
    await expect(el).to.be.accessible();
  });

  it('gives up waiting after poll-timeout with a clear message; "try again" goes on waiting without a new upload', async () => {
    let ready = false;
    const endpoint = fakeEndpoint({
      'skin.analyze': () => pending('job-7'),
      'skin.result': () => (ready ? { ok: true, code: 'OK', data: { ...endpointData(), calcId: 'job-7' } } : pending('job-7')),
    });
    cleanups.push(endpoint.restore);
    const el = await fixture<SkinReport>(
      html`<skin-report lang="en" endpoint=${ENDPOINT} poll-timeout="700" history-key=${freshKey()}></skin-report>`,
    );
    const events = record(el);
    await giveCapture(el);
    const started = performance.now();
    expect(await analyse(el)).to.equal(null);
    expect(performance.now() - started).to.be.within(650, 2500);
    expect(el.currentPhase).to.equal('error');
    expect(events.errors).to.deep.equal([
      {
        code: 'VENDOR_TIMEOUT',
        message: 'The analysis is taking longer than expected. Try again to keep waiting for it.',
        retryable: true,
      },
    ]);
    const polls = endpoint.ops().filter((op) => op === 'skin.result').length;
    expect(polls).to.be.within(2, 4);
    expect(text($(el, '[part~="error"] p'))).to.equal(events.errors[0]!.message);
    await expect(el).to.be.accessible();

    ready = true;
    buttonByText(el, 'Try again')!.click();
    await waitUntil(() => events.results.length === 1, 'no report after trying again', { timeout: 3000 });
    expect(endpoint.ops().filter((op) => op === 'skin.analyze')).to.have.length(1);
    expect(endpoint.calls.at(-1)!.body).to.deep.equal({ calcId: 'job-7' });
    expect(el.currentPhase).to.equal('done');
  });

  // Every code of the document's error table: the endpoint maps it to a kit code, and the element
  // shows that code's message in the element's language.
  const documentCodes = Object.entries(SKIN_CODES).filter(([, row]) => row.kit !== 'IN_PROGRESS');
  it(`has a localised message for each of the document's ${documentCodes.length} error codes`, async () => {
    expect(documentCodes.length).to.be.at.least(33);
    for (const lang of ['en', 'zh-CN'] as const) {
      for (const [vendorCode, row] of documentCodes) {
        const endpoint = fakeEndpoint({
          'skin.analyze': () => ({ ok: false, code: row.kit, vendor: { name: 'skin', code: vendorCode, message: row.message } }),
        });
        try {
          const el = await fixture<SkinReport>(html`<skin-report lang=${lang} endpoint=${ENDPOINT} no-history></skin-report>`);
          const events = record(el);
          await giveCapture(el);
          await analyse(el);
          const error = events.errors[0]!;
          expect(error.code, vendorCode).to.equal(row.kit);
          expect(error.retryable).to.equal(KIT_CODES[row.kit].retryable);
          expect(error.message, `${vendorCode} in ${lang}`).to.not.equal('');
          const specific = { NOT_FOUND: 'skin.error.NOT_FOUND', LOW_QUALITY: 'skin.error.LOW_QUALITY' }[row.kit as string];
          if (!specific) expect(error.message).to.equal(kitMessage(row.kit, lang));
          if (lang === 'zh-CN') expect(error.message).to.match(/[\u4e00-\u9fff]/);
          else expect(error.message).to.not.match(/[\u4e00-\u9fff]/);
          expect(text($(el, '[part~="error"] p'))).to.equal(error.message);
          expect(el.currentPhase).to.equal('error');
        } finally {
          endpoint.restore();
        }
      }
    }
    const el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} no-history></skin-report>`);
    const endpoint = fakeEndpoint({ 'skin.analyze': () => ({ ok: false, code: 'NO_FACE', vendor: { name: 'skin', code: '50004', message: '' } }) });
    cleanups.push(endpoint.restore);
    await giveCapture(el);
    await analyse(el);
    await expect(el).to.be.accessible();
  });

  it('error flows while polling: a finished job with an algorithm failure, an expired job, a lost connection', async () => {
    // 50003 as the result's errorType → LOW_QUALITY with the skin-specific text.
    let endpoint = fakeEndpoint({
      'skin.analyze': () => pending('job-1'),
      'skin.result': () => ({ ok: false, code: 'LOW_QUALITY', vendor: { name: 'skin', code: '50003', message: '皮肤分析分区失败' } }),
    });
    let el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} no-history></skin-report>`);
    let events = record(el);
    await giveCapture(el);
    await analyse(el);
    expect(events.errors).to.deep.equal([
      { code: 'LOW_QUALITY', message: 'The skin areas could not be found: use a frontal, sharp photo in even light.', retryable: false },
    ]);
    expect(buttonByText(el, 'Retake')).to.exist;
    await expect(el).to.be.accessible();
    endpoint.restore();

    // 200020 "no such job" → NOT_FOUND.
    endpoint = fakeEndpoint({
      'skin.analyze': () => pending('job-2'),
      'skin.result': () => ({ ok: false, code: 'NOT_FOUND', vendor: { name: 'skin', code: '200020', message: '未找到当前计算任务' } }),
    });
    el = await fixture<SkinReport>(html`<skin-report endpoint=${ENDPOINT} no-history></skin-report>`);
    events = record(el);
    await giveCapture(el);
    await analyse(el);
    expect(events.errors[0]).to.deep.equal({ code: 'NOT_FOUND', message: '未找到该分析任务或已过期，请重新拍摄。', retryable: false });
    endpoint.restore();

    // Polls lost on the network three times in a row: NETWORK, and "try again" goes on waiting.
    let down = true;
    endpoint = fakeEndpoint({
      'skin.analyze': () => pending('job-3'),
      'skin.result': () => (down ? 'network-down' : { ok: true, code: 'OK', data: { ...endpointData(), calcId: 'job-3' } }),
    });
    cleanups.push(() => endpoint.restore());
    el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} no-history></skin-report>`);
    events = record(el);
    await giveCapture(el);
    await analyse(el);
    expect(endpoint.ops()).to.deep.equal(['skin.analyze', 'skin.result', 'skin.result', 'skin.result']);
    expect(events.errors.map((e) => [e.code, e.retryable])).to.deep.equal([['NETWORK', true]]);
    down = false;
    buttonByText(el, 'Try again')!.click();
    await waitUntil(() => events.results.length === 1, 'no report after the connection returned', { timeout: 3000 });
    expect(endpoint.ops().filter((op) => op === 'skin.analyze')).to.have.length(1);

    // The report itself unreadable (no synScore) → VENDOR_ERROR with the element's text.
    endpoint.restore();
    endpoint = fakeEndpoint({ 'skin.analyze': () => ({ ok: true, code: 'OK', data: { calcId: 'x', metrics: {} } }) });
    el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} no-history></skin-report>`);
    events = record(el);
    await giveCapture(el);
    await analyse(el);
    expect(events.errors[0]).to.deep.equal({ code: 'VENDOR_ERROR', message: 'The report could not be read.', retryable: false });
  });

  it('a lost connection on upload keeps the photo queued; back online it is sent again with the same key', async () => {
    let down = true;
    const endpoint = fakeEndpoint({
      'skin.analyze': () => (down ? 'network-down' : { ok: true, code: 'OK', data: endpointData() }),
    });
    cleanups.push(endpoint.restore);
    const el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} no-history></skin-report>`);
    const events = record(el);
    await giveCapture(el);
    expect(await analyse(el)).to.equal(null);
    expect(el.currentPhase).to.equal('queued');
    expect(events.errors[0]!.code).to.equal('NETWORK');
    await expect(el).to.be.accessible();
    down = false;
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => el.currentPhase === 'done', 'not sent when back online', { timeout: 3000 });
    const keys = endpoint.calls.map((c) => c.headers.get('Idempotency-Key'));
    expect(keys).to.have.length(2);
    expect(keys[0]).to.equal(keys[1]);
  });

  it('keeps the history on the device: it survives re-creating the element, shows the trend, and can be cleared', async () => {
    const key = freshKey();
    let scores: Record<string, number> = {};
    let job = 0;
    const endpoint = fakeEndpoint({
      'skin.analyze': () => ({ ok: true, code: 'OK', data: { ...endpointData(scores), calcId: `job-${++job}` } }),
    });
    cleanups.push(endpoint.restore);

    let el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} history-key=${key}></skin-report>`);
    await giveCapture(el);
    await analyse(el);
    expect(text($(el, '.history-count'))).to.equal('Reports kept on this device: 1');
    expect((await el.getHistory()).map((entry) => entry.id)).to.deep.equal(['job-1']);
    el.remove();

    // A new element (as after a reload) reads the same IndexedDB store.
    scores = { synScore: 0.65, synAge: 16.1, poreScore: 0.5, wrinkleScore: 0.8 };
    el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} history-key=${key}></skin-report>`);
    await waitUntil(() => el['historyEntries'].length === 1, 'the history was not read back');
    const fromDisk = await new SkinHistory(key).list();
    expect(fromDisk).to.have.length(1);
    expect(fromDisk[0]!.synScore).to.equal(0.61871237);
    expect(fromDisk[0]).to.not.have.property('images');

    await giveCapture(el);
    const result = await analyse(el);
    // 0.65 → 65 against 62: +3; 16.1 against 17.298… years: -1.2.
    expect(result!.trend!.score).to.equal(3);
    expect(result!.trend!.age).to.equal(-1.2);
    expect(result!.trend!.concerns.pore).to.equal(7);
    expect(result!.trend!.concerns.wrinkle).to.equal(-4);
    expect(text($(el, '.trend'))).to.match(/^Since your report of .+: score \+3, skin age -1\.2$/);
    const radar = $(el, '[part~="radar"]');
    expect(radar.querySelector('.radar-previous')).to.exist;
    expect(rows(radar.querySelector('table')!).slice(0, 2)).to.deep.equal([
      ['Wrinkles', '80', '-4'],
      ['Pores', '50', '+7'],
    ]);
    expect(text($(el, '.history-count'))).to.equal('Reports kept on this device: 2');
    expect(rows($(el, '.history-table')).map((r) => r[1])).to.deep.equal(['65', '62']);
    await expect(el).to.be.accessible();

    // Another key sees none of it; clearing empties the store.
    const other = await fixture<SkinReport>(html`<skin-report lang="en" history-key=${freshKey()}></skin-report>`);
    expect(await other.getHistory()).to.deep.equal([]);
    buttonByText(el, 'Clear history')!.click();
    await waitUntil(() => el['historyEntries'].length === 0, 'not cleared');
    await el.updateComplete;
    expect(text($(el, '.history-count'))).to.equal('The history on this device was cleared. No reports are kept on this device.');
    expect(el.shadowRoot!.querySelector('.radar-previous')).to.equal(null);
    expect(await new SkinHistory(key).list()).to.deep.equal([]);
    el.remove();
    el = await fixture<SkinReport>(html`<skin-report lang="en" history-key=${key}></skin-report>`);
    expect(await el.getHistory()).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('no-history keeps nothing and shows no trend', async () => {
    const key = freshKey();
    const endpoint = fakeEndpoint({ 'skin.analyze': () => ({ ok: true, code: 'OK', data: endpointData() }) });
    cleanups.push(endpoint.restore);
    const el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} history-key=${key} no-history></skin-report>`);
    await giveCapture(el);
    const result = await analyse(el);
    expect(result!.trend).to.equal(null);
    expect(await new SkinHistory(key).list()).to.deep.equal([]);
    expect(el.shadowRoot!.querySelector('[part~="history"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('.trend')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('the overlay viewer works from the keyboard: Space and Enter toggle a layer, arrow keys move the slider', async () => {
    const el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} no-history></skin-report>`);
    await giveCapture(el);
    el.report = normaliseSkinReport(endpointData());
    await el.updateComplete;

    const toggle = () => $<HTMLButtonElement>(el, '[part~="layer-toggle"][data-field="imgPore"]');
    const layers = () => $$(el, '.viewer-stage .layers img').map((img) => img.dataset.field);
    expect(toggle().getAttribute('aria-pressed')).to.equal('false');
    toggle().focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(toggle().getAttribute('aria-pressed')).to.equal('true');
    expect(layers()).to.deep.equal(['imgPore', 'imgWrinkle']); // in the document's order
    expect(el.shadowRoot!.activeElement).to.equal(toggle());
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(toggle().getAttribute('aria-pressed')).to.equal('false');
    expect(layers()).to.deep.equal(['imgWrinkle']);
    // The wrinkle layer off too: only the photo remains.
    $<HTMLButtonElement>(el, '[part~="layer-toggle"][data-field="imgWrinkle"]').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(layers()).to.deep.equal([]);

    const slider = $<HTMLInputElement>(el, '[part~="compare-slider"]');
    expect(slider.labels![0]!.textContent).to.equal('Before and after');
    slider.focus();
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(slider.value).to.equal('52');
    expect(slider.getAttribute('aria-valuetext')).to.equal('Results shown on 48% of the photo');
    expect($(el, '.viewer-stage .layers').style.clipPath).to.equal('inset(0px 0px 0px 52%)');
    await sendKeys({ press: 'Home' });
    await el.updateComplete;
    expect(slider.value).to.equal('0');
    expect($(el, '.divider').style.insetInlineStart).to.equal('0%');
    await expect(el).to.be.accessible();
  });

  it('exports the report summary as a PNG, offered as a download link', async () => {
    const el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} no-history></skin-report>`);
    expect(await el.exportImage()).to.equal(null);
    await giveCapture(el);
    el.report = normaliseSkinReport(endpointData());
    await el.updateComplete;

    const blob = (await el.exportImage())!;
    expect(blob.type).to.equal('image/png');
    const bitmap = await createImageBitmap(blob);
    expect(bitmap.width).to.equal(1080);
    // Summary, radar, then the photo (480×640 scaled to 900 px high) and the list of the 7 zones.
    expect(bitmap.height).to.equal(56 + 120 + 240 + 70 + 620 + 70 + 900 + 24 + 7 * 40 + 56);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    // The photo is drawn: its face colour (#d9a88a) at the centre of the face, below the nose.
    const [r, g, b] = context.getImageData(540, bitmap.height - 56 - 304 - 300, 1, 1).data;
    expect(r).to.be.closeTo(0xd9, 12);
    expect(g).to.be.closeTo(0xa8, 12);
    expect(b).to.be.closeTo(0x8a, 12);

    buttonByText(el, 'Save as image')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="download"]'), 'no download link', { timeout: 5000 });
    const link = $<HTMLAnchorElement>(el, '[part~="download"]');
    expect(link.href).to.match(/^blob:/);
    expect(link.getAttribute('download')).to.match(/^skin-report-\d{4}-\d{2}-\d{2}\.png$/);
    expect(text(link)).to.equal('Download the report image');
    expect(el.shadowRoot!.activeElement).to.equal(link);
    await expect(el).to.be.accessible();
  });

  it('camera: guides for the skin photo (uneven light included), captures when quality holds, then analyses', async function () {
    this.timeout(30000);
    // Too far, then turned, then good: each step holds for 20 frames (about 1 s, longer than the hint smoothing).
    const vision = stubVision({ hints: [{ faceSize: 0.3 }, { yaw: 16 }, {}, {}], perStep: 20, landmarks: true });
    cleanups.push(vision.restore);
    const endpoint = examplePolling();
    cleanups.push(endpoint.restore);
    const el = await fixture<SkinReport>(
      html`<skin-report lang="en" endpoint=${ENDPOINT} source="camera" auto-submit history-key=${freshKey()}></skin-report>`,
    );
    // The light on the face: uneven while the face is good at first, then even.
    let lightCalls = 0;
    el['lightMeter'].measure = () => (++lightCalls <= 60 ? { left: 170, right: 90 } : { left: 140, right: 132 });
    const events = record(el);
    const hints: Array<string | undefined> = [];
    el.addEventListener('facekit-status', (e) => e.detail.hint && hints.push(e.detail.hint));
    const guiding = new Promise<void>((resolve) => el.addEventListener('facekit-status', (e) => e.detail.phase === 'guiding' && resolve()));
    void el.start();
    await guiding;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="camera"] video[part~="video"]')).to.exist;
    await waitUntil(() => hints.includes('uneven-light'), 'no uneven-light hint', { timeout: 15000 });
    await el.updateComplete;
    expect(text($(el, '[part~="hint"]'))).to.equal('Uneven light on your face: turn towards the light');
    expect($(el, '[part~="camera"]').classList.contains('tone-warn')).to.equal(true);
    await expect(el).to.be.accessible();

    await waitUntil(() => events.results.length === 1, 'no report', { timeout: 20000 });
    expect(hints.slice(0, 4)).to.deep.equal(['move-closer', 'look-at-camera', 'uneven-light', 'ok']);
    const phases = events.phases();
    expect(phases.slice(0, 3)).to.deep.equal(['loading', 'starting-camera', 'guiding']);
    expect(phases.filter((p) => p !== 'uploading' && p !== 'processing').slice(-2)).to.deep.equal(['captured', 'done']);
    // The camera was released once the photo was taken; the wrinkle map sits on the photo.
    expect(el['camera'].state).to.equal('idle');
    await el.updateComplete;
    expect($$(el, '[part~="wrinkle-map"] g.zone')).to.have.length(7);
    // The zones are placed from the dense landmarks of the capture: the forehead reaches the hairline.
    await waitUntil(() => el['anchors']?.source === 'landmarks', 'the dense landmarks were not used');
    expect(vision.landmarkCalls()).to.equal(1);
    await el.updateComplete;
    const forehead = $(el, '[part~="wrinkle-map"] g[data-zone="forehead"] ellipse').getAttribute('transform')!;
    expect(Number(/translate\([\d.]+ ([\d.]+)\)/.exec(forehead)![1])).to.be.within(170, 250);
    expect(endpoint.ops()[0]).to.equal('skin.analyze');
    await expect(el).to.be.accessible();
  });

  it("file: offers the host page's photo picker beside the file chooser and uses the photo it gives", async function () {
    this.timeout(20000);
    const vision = stubVision();
    cleanups.push(vision.restore);
    const el = await fixture<SkinReport>(html`<skin-report lang="en" source="file" no-history></skin-report>`);
    await el.start();
    await el.updateComplete;
    expect(buttonByText(el, 'Take or choose a photo')).to.equal(undefined);

    let picks = 0;
    el.imageSource = {
      label: { en: 'Choose in WeChat', 'zh-CN': '在微信中选择' },
      pick: async () => (++picks === 1 ? null : photoBlob()),
    };
    await el.updateComplete;
    const picker = buttonByText(el, 'Choose in WeChat');
    expect(picker, 'the picker button').to.exist;
    expect(el.shadowRoot!.querySelector('input[type="file"]'), 'the file chooser stays').to.exist;
    await expect(el).to.be.accessible();

    // A cancelled pick changes nothing; the next one is analysed like a chosen file.
    picker!.click();
    await waitUntil(() => picks === 1, 'first pick');
    expect(el.capture).to.equal(null);
    buttonByText(el, 'Choose in WeChat')!.click();
    await waitUntil(() => el.currentPhase === 'captured', 'the picked photo is used', { timeout: 15000 });
    expect(el.capture).to.not.equal(null);
  });

  it('file: refuses a turned face with a clear message, accepts a frontal one', async function () {
    this.timeout(20000);
    const vision = stubVision();
    cleanups.push(vision.restore);
    const proto = VisionBridge.prototype;
    const frontal = proto.analyzeImage;
    const el = await fixture<SkinReport>(html`<skin-report lang="en" source="file" no-history></skin-report>`);
    const events = record(el);
    await el.start();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('input[type="file"]')).to.exist;
    expect(text($(el, '.file-picker .note'))).to.contain('frontal photo of your bare face');

    proto.analyzeImage = async (image, signal) => {
      const analysis = await frontal.call(el['vision'].bridge, image, signal);
      return { ...analysis, quality: { ...analysis.quality!, yaw: 35 } };
    };
    await el.loadFile(await photoBlob());
    expect(events.errors.at(-1)).to.deep.equal({
      code: 'LOW_QUALITY',
      message: 'Use a frontal photo: the face looking straight at the camera.',
      retryable: false,
    });
    proto.analyzeImage = frontal;
    await el.loadFile(await photoBlob());
    await el.updateComplete;
    expect(el.capture).to.not.equal(null);
    expect(el.currentPhase).to.equal('captured');
    // The landmarker found no face in this picture: the detector's keypoints place the zones.
    expect(vision.landmarkCalls()).to.equal(1);
    expect(el['anchors']?.source).to.equal('keypoints');
    expect(buttonByText(el, 'Analyse my skin')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('reset() clears the report and the capture; disconnecting ends the polling', async () => {
    const endpoint = fakeEndpoint({ 'skin.analyze': () => pending('slow'), 'skin.result': () => pending('slow') });
    cleanups.push(endpoint.restore);
    const el = await fixture<SkinReport>(html`<skin-report lang="en" endpoint=${ENDPOINT} no-history></skin-report>`);
    await giveCapture(el);
    void el.submit();
    await waitUntil(() => endpoint.ops().includes('skin.result'), 'never polled', { timeout: 3000 });
    el.remove();
    const polls = endpoint.calls.length;
    await aTimeout(1200);
    expect(endpoint.calls.length).to.equal(polls);
    document.body.append(el);
    await el.updateComplete;
    expect(el.currentPhase).to.equal('captured');
    el.report = normaliseSkinReport(endpointData());
    el.reset();
    await el.updateComplete;
    expect(el.report).to.equal(null);
    expect(el.capture).to.equal(null);
    expect(el.currentPhase).to.equal('idle');
    el.remove();
  });
});

// ── languages ──────────────────────────────────────────────────────────────

const CJK = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/;
/** Data, not words: numbers, signs, the document's field names and the example's ids. */
const DATA = new Set<string>([...Object.keys(SKIN_FIELDS), SKIN_DOC_DATAS.calcId, SKIN_DOC_DATAS.clientId, SKIN_DOC_DATAS.extra]);
const NEUTRAL = /^[\s\d.,:%()·—–\-/+*]*$/;
/** Dates as Intl writes them (the history table's first column). */
const DATE = /^(?:[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M|\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2})$/;

/** Every string a user can see or hear in the shadow root: text, and the accessible attributes. */
function visibleStrings(root: ShadowRoot): string[] {
  const found: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const value = node.textContent?.trim();
    if (value) found.push(value);
  }
  for (const element of root.querySelectorAll('*')) {
    for (const name of ['aria-label', 'aria-valuetext', 'alt', 'title']) {
      const value = element.getAttribute(name)?.trim();
      if (value) found.push(value);
    }
  }
  return found;
}

/** Puts <skin-report> in each state it can show, collecting what it shows. */
async function skinStrings(lang: 'zh-CN' | 'en', messages?: MessageOverrides): Promise<string[]> {
  const key = freshKey();
  const collected: string[] = [];
  const el = await fixture<SkinReport>(html`<skin-report lang=${lang} endpoint=${ENDPOINT} history-key=${key} .messages=${messages}></skin-report>`);
  const internals = el as unknown as Record<string, unknown>;
  const flow = el['flow'] as unknown as Record<string, unknown> & { report(error: unknown): void };
  const take = async (): Promise<void> => {
    await el.updateComplete;
    collected.push(...visibleStrings(el.shadowRoot!));
  };
  await take();
  flow.phase = 'guiding' as Phase;
  for (const hint of ['no-face', 'many-faces', 'move-closer', 'move-back', 'center-face', 'look-at-camera', 'too-dark', 'too-bright', 'uneven-light', 'blurry', 'hold-still', 'ok', null]) {
    flow.hint = hint;
    await take();
  }
  flow.fileFallback = true;
  await take();
  flow.fileFallback = false;
  for (const phase of ['loading', 'starting-camera'] as Phase[]) {
    flow.phase = phase;
    await take();
  }
  await giveCapture(el);
  await take();
  flow.phase = 'uploading';
  await take();
  internals.analysing = true;
  internals.progress = { attempt: 2, elapsedMs: 5000, nextDelayMs: 1000, timeoutMs: 120_000 };
  await take();
  flow.phase = 'queued';
  await take();
  for (const code of ['NO_FACE', 'NOT_FOUND', 'LOW_QUALITY', 'VENDOR_TIMEOUT', 'VENDOR_QUOTA', 'NETWORK'] as KitCode[]) {
    flow.report(new FacekitError(code));
    await take();
  }
  flow.error = null;
  internals.analysing = false;
  flow.phase = 'done';
  // An earlier report on the device, so that the trend shows.
  await new SkinHistory(key).add(historyEntryOf(normaliseSkinReport(endpointData({ synScore: 0.5 })), Date.now() - 86_400_000, 'earlier'));
  el.report = normaliseSkinReport(endpointData());
  await waitUntil(() => internals.trend, 'no trend');
  $(el, '[part~="details"]').setAttribute('open', '');
  await take();
  await (internals.onExportClick as () => Promise<void>)();
  await take();
  await el.clearHistory();
  await take();
  el.noHistory = true;
  el.report = normaliseSkinReport(SKIN_DOC_DATAS); // relative picture paths and no photo: the viewer's notes
  el.reset();
  el.report = normaliseSkinReport(endpointData({ darkeyeGrade: 2, faceDirection: 1 }));
  await take();
  return collected;
}

describe('<skin-report> languages', () => {
  it('shows only English with lang="en"', async () => {
    const strings = await skinStrings('en');
    expect(strings.length).to.be.greaterThan(400);
    expect(strings.filter((text) => CJK.test(text))).to.deep.equal([]);
  });

  it('shows only Chinese with lang="zh-CN", words and all', async () => {
    const strings = await skinStrings('zh-CN');
    const english = new Set(Object.values(MESSAGES.en));
    expect(strings.filter((text) => !CJK.test(text) && !NEUTRAL.test(text) && !DATA.has(text))).to.deep.equal([]);
    expect(strings.filter((text) => english.has(text))).to.deep.equal([]);
  });

  it('takes a host override for every message and every kit code', async () => {
    const overrides: Record<string, string> = {};
    for (const key of Object.keys(MESSAGES.en)) overrides[key] = `«${key}»`;
    for (const code of Object.keys(KIT_CODES)) overrides[`code.${code}`] = `«code.${code}»`;
    const strings = await skinStrings('en', overrides as MessageOverrides);
    // Every visible string came from the overrides (or is data), so none bypasses the catalogue.
    expect(strings.filter((text) => !text.includes('«') && !NEUTRAL.test(text) && !DATA.has(text) && !DATE.test(text))).to.deep.equal([]);
    expect(strings).to.include('«code.NOT_FOUND»');
    expect(strings).to.include('«skin.field.synScore»');
    expect(strings).to.include('«hint.uneven-light»');
  });
});

// ── network errors and the language ────────────────────────────────────────

/** Nothing listens on this loopback port: the browser's connection is refused. */
const UNREACHABLE = 'http://127.0.0.1:65534';

/** Gives the element a photo file as a user would (the face checks stubbed, so no models load). */
async function captureFromFile(el: SkinReport): Promise<void> {
  const vision = stubVision();
  try {
    await el.loadFile(await photoBlob());
  } finally {
    vision.restore();
  }
  await el.updateComplete;
  expect(el.currentPhase).to.equal('captured');
}

describe('<skin-report> network errors follow the element’s language', () => {
  it('an unreachable endpoint: the message in English with lang="en", in Chinese by default', async () => {
    for (const lang of ['en', undefined] as const) {
      const el = await fixture<SkinReport>(html`<skin-report lang=${lang ?? nothing} endpoint=${UNREACHABLE} no-history></skin-report>`);
      const events = record(el);
      await captureFromFile(el);
      expect(await analyse(el)).to.equal(null);
      expect(el.currentPhase).to.equal('queued');
      expect(events.errors).to.have.length(1);
      const { code, message, retryable } = events.errors[0]!;
      expect([code, retryable]).to.deep.equal(['NETWORK', true]);
      expect(message).to.equal(kitMessage('NETWORK', lang ?? 'zh-CN'));
      expect(text($(el, '[part~="error"] p'))).to.equal(message);
      el.reset();
    }
  });

  it('follows a language set after construction: just before submit(), and while the result is awaited', async () => {
    // Set and sent in the same task, before the element has re-rendered.
    let el = await fixture<SkinReport>(html`<skin-report endpoint=${UNREACHABLE} no-history></skin-report>`);
    let events = record(el);
    await captureFromFile(el);
    el.lang = 'en';
    expect(await analyse(el)).to.equal(null);
    expect(events.errors.map((e) => e.message)).to.deep.equal([kitMessage('NETWORK', 'en')]);
    el.reset();

    // The polls lost on the network after the language changed: the message in the new language.
    const endpoint = fakeEndpoint({ 'skin.analyze': () => pending('job-lang'), 'skin.result': () => 'network-down' });
    cleanups.push(endpoint.restore);
    el = await fixture<SkinReport>(html`<skin-report endpoint=${ENDPOINT} no-history></skin-report>`);
    events = record(el);
    await captureFromFile(el);
    const submitted = analyse(el);
    await waitUntil(() => endpoint.ops().includes('skin.result'), 'never polled', { timeout: 3000 });
    el.lang = 'en';
    expect(await submitted).to.equal(null);
    expect(endpoint.ops()).to.deep.equal(['skin.analyze', 'skin.result', 'skin.result', 'skin.result']);
    expect(events.errors.map((e) => [e.code, e.message])).to.deep.equal([['NETWORK', MESSAGES.en['error.network']]]);
    expect(text($(el, '[part~="error"] p'))).to.equal(MESSAGES.en['error.network']);

    // And back: the failure on screen is worded in Chinese at once, and so is the next one.
    el.lang = 'zh-CN';
    await el.updateComplete;
    expect(text($(el, '[part~="error"] p'))).to.equal(MESSAGES['zh-CN']['error.network']);
    buttonByText(el, MESSAGES['zh-CN']['action.retry'])!.click();
    await waitUntil(() => events.errors.length === 2, 'no second failure', { timeout: 5000 });
    expect(events.errors[1]!.message).to.equal(MESSAGES['zh-CN']['error.network']);
  });
});

// ── the PNG export in Chinese ────────────────────────────────────────────

/** Share of the pixels of two same-sized RGBA images whose grey levels differ by more than 80. */
function inkDifference(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let differing = 0;
  for (let i = 0; i < a.length; i += 4) {
    const grey = (data: Uint8ClampedArray) => 0.3 * data[i]! + 0.59 * data[i + 1]! + 0.11 * data[i + 2]!;
    if (Math.abs(grey(a) - grey(b)) > 80) differing++;
  }
  return differing / (a.length / 4);
}

/** Share of dark pixels (text) in an RGBA image on white. */
function ink(data: Uint8ClampedArray): number {
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! < 3 * 128) dark++;
  return dark / (data.length / 4);
}

describe('<skin-report> PNG export in Chinese', () => {
  it('draws the Chinese title in real glyphs, not in empty boxes (needs a CJK font, e.g. fonts-noto-cjk)', async () => {
    const el = await fixture<SkinReport>(html`<skin-report no-history></skin-report>`);
    el.report = normaliseSkinReport(endpointData());
    await el.updateComplete;
    const title = MESSAGES['zh-CN']['skin.report.title'];
    expect(text($(el, '.report h2'))).to.equal(title);
    const bitmap = await createImageBitmap((await el.exportImage())!);

    // The title as the export draws it: bold 44 px, baseline at y = 100, from x = 56, on white.
    const box = { x: 50, y: 50, width: 420, height: 66 };
    const titleArea = (draw: (context: OffscreenCanvasRenderingContext2D) => void): Uint8ClampedArray => {
      const canvas = new OffscreenCanvas(bitmap.width, 140);
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      draw(context);
      return context.getImageData(box.x, box.y, box.width, box.height).data;
    };
    const withText = (value: string) =>
      titleArea((context) => {
        context.font = `700 44px ${REPORT_FONT}`;
        context.fillStyle = '#1c2024';
        context.fillText(value, 56, 100);
      });
    const exported = titleArea((context) => context.drawImage(bitmap, 0, 0));
    // A code point no font has: drawn as the font's "missing glyph" box, as CJK text is without a CJK font.
    const boxes = withText('\u{10FFFD}'.repeat([...title].length));

    expect(ink(exported), 'the title is drawn').to.be.above(0.01);
    expect(inkDifference(exported, withText(title)), 'the title as the font draws it').to.be.below(0.01);
    expect(inkDifference(exported, boxes), 'real glyphs, not missing-glyph boxes').to.be.above(0.08);
    // Each character its own glyph: missing-glyph boxes would all look the same.
    const glyphs = [...title].map((character) => withText(character));
    for (let i = 1; i < glyphs.length; i++) expect(inkDifference(glyphs[0]!, glyphs[i]!), `${title[0]} and ${title[i]}`).to.be.above(0.02);
  });
});

// Compile-time check: the skin result is part of the typed event map.
export function typedSkinListener(el: HTMLElement): void {
  el.addEventListener('facekit-result', (e) => {
    if (e.detail.mode === 'skin') {
      const score: number = e.detail.report.synScore;
      const concerns: number = SKIN_CONCERN_KEYS.length;
      void score;
      void concerns;
    }
  });
}
