import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
// A dependency of @web/test-runner itself.
import { emulateMedia } from '@web/test-runner-commands';
import {
  VisionBridge,
  kitMessage,
  type Capture,
  type FrameAnalysis,
  type Hint,
  type Phase,
  type QualityReport,
} from '@facekit/core';
import './define.js';
import type { FaceEnroll } from './face-enroll.js';
import type { FacekitErrorDetail, FacekitResultDetail, FacekitStatusDetail } from '../events.js';

// ── helpers ────────────────────────────────────────────────────────────────

const ENDPOINT = `${location.origin}/fake-endpoint`;

interface RecordedCall {
  op: string;
  body: Record<string, unknown>;
  headers: Headers;
}
type Answer = { ok: boolean; code: string; data?: unknown; message?: string } | 'network-down';

/** Replaces window.fetch for `/v1/ops/*` with canned envelopes; records the calls. */
function fakeEndpoint(answers: Record<string, (body: Record<string, unknown>) => Answer>) {
  const calls: RecordedCall[] = [];
  const original = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
    const match = /\/v1\/ops\/([^/]+)$/.exec(url.pathname);
    if (!match) return original(input, init);
    const op = decodeURIComponent(match[1]!);
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    calls.push({ op, body, headers: new Headers(init?.headers) });
    const answer = answers[op]?.(body) ?? { ok: false, code: 'UNKNOWN_OP' };
    if (answer === 'network-down') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify({ message: '', requestId: `req-${calls.length}`, ...answer }), {
      status: answer.ok || answer.code === 'NO_MATCH' ? 200 : 400,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return { calls, restore: () => void (window.fetch = original) };
}

/** Every facekit event of an element, in order. */
function record(el: HTMLElement) {
  const statuses: FacekitStatusDetail[] = [];
  const results: FacekitResultDetail[] = [];
  const errors: FacekitErrorDetail[] = [];
  // Typed by GlobalEventHandlersEventMap: e.detail is known without casts.
  el.addEventListener('facekit-status', (e) => statuses.push(e.detail));
  el.addEventListener('facekit-result', (e) => results.push(e.detail));
  el.addEventListener('facekit-error', (e) => errors.push(e.detail));
  return { statuses, results, errors, phases: () => statuses.map((s) => s.phase) };
}

async function jpegBlob(width = 64, height = 64): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#c8a080';
  context.fillRect(0, 0, width, height);
  return new Promise<Blob>((resolve) => canvas.toBlob((blob) => resolve(blob!), 'image/jpeg', 0.9));
}

async function fakeCapture(): Promise<Capture> {
  return { blob: await jpegBlob(), width: 64, height: 64, quality: 0.9, face: { x: 8, y: 8, width: 48, height: 48 } };
}

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1]!);
    reader.readAsDataURL(blob);
  });
}

/** Gives the element a capture as if the camera had taken it. */
function giveCapture(el: FaceEnroll, capture: Capture): void {
  el['setCapture'](capture);
}

const $ = <T extends Element = HTMLElement>(el: FaceEnroll, selector: string): T => {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector} in the shadow root`);
  return found;
};

function setField(el: FaceEnroll, name: string, value: string): void {
  const field = $<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(el, `[name="${name}"]`);
  field.focus();
  field.value = value;
  field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true, composed: true }));
  field.blur();
}

function buttonByText(el: FaceEnroll, text: string): HTMLButtonElement | undefined {
  return [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
}

/** Stubs VisionBridge so the camera flow runs without the models. Returns a restore function. */
function stubVision(options: { hints?: Hint[]; readyAt?: number; perHint?: number } = {}) {
  const proto = VisionBridge.prototype;
  const saved = {
    ready: proto.ready,
    resetSession: proto.resetSession,
    analyzeFrame: proto.analyzeFrame,
    encodeBest: proto.encodeBest,
    analyzeImage: proto.analyzeImage,
  };
  const hints = options.hints ?? ['no-face', 'move-closer', 'ok'];
  const readyAt = options.readyAt ?? Number.POSITIVE_INFINITY;
  const perHint = options.perHint ?? 3;
  let frames = 0;
  const quality: QualityReport = {
    faceCount: 1,
    faceSize: 0.5,
    centerOffset: { x: 0, y: 0 },
    centred: true,
    yaw: 0,
    pitch: 0,
    frontal: true,
    brightness: 120,
    sharpness: 200,
    motion: 0,
    score: 0.9,
  };
  proto.ready = async () => ({ startMs: 1, delegate: 'CPU' as const });
  proto.resetSession = async () => {};
  proto.analyzeFrame = async (frame: ImageBitmap): Promise<FrameAnalysis> => {
    frame.close();
    frames++;
    const hint = hints[Math.min(Math.floor((frames - 1) / perHint), hints.length - 1)]!;
    const faces = hint === 'no-face' ? [] : [{ box: { x: 200, y: 100, width: 240, height: 280 }, keypoints: [], score: 0.95 }];
    return {
      width: 640,
      height: 480,
      faces,
      quality: faces.length ? quality : null,
      hint,
      stableFrames: hint === 'ok' ? frames : 0,
      ready: frames >= readyAt,
      workerMs: 5,
    };
  };
  proto.encodeBest = async () => fakeCapture();
  return {
    frames: () => frames,
    restore: () => Object.assign(proto, saved),
  };
}

// Awaited: an un-awaited emulateMedia() restore can land in a later test and start a colour
// transition that axe then measures half-way (a flaky 4.46:1 on the hint).
let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

// ── tests ──────────────────────────────────────────────────────────────────

describe('<face-enroll>', () => {
  it('renders idle, accessible, with the parts and the default slot', async () => {
    const el = await fixture<FaceEnroll>(html`<face-enroll group-id="g1"><h2>Enrol</h2></face-enroll>`);
    expect(el.shadowRoot!.querySelector('slot:not([name])')).to.exist;
    expect(el.shadowRoot!.querySelector('[part~="hint"][aria-live="polite"]')).to.exist;
    expect(el.shadowRoot!.querySelector('[part~="form"]')).to.exist;
    expect(el.shadowRoot!.querySelector('[part~="actions"] [part~="button"]')).to.exist;
    expect(el.currentPhase).to.equal('idle');
    expect(el.source).to.equal('auto');
    expect(el.mode).to.equal('enroll');
    await expect(el).to.be.accessible();
  });

  it('reflects group-id, mode and source between attributes and properties', async () => {
    const el = await fixture<FaceEnroll>(html`<face-enroll group-id="g1" mode="search"></face-enroll>`);
    expect(el.groupId).to.equal('g1');
    expect(el.mode).to.equal('search');
    expect(el.shadowRoot!.querySelector('[part~="form"]')).to.equal(null); // the form is for enrolment only
    el.groupId = 'g2';
    el.mode = 'enroll';
    el.autoSubmit = true;
    await el.updateComplete;
    expect(el.getAttribute('group-id')).to.equal('g2');
    expect(el.getAttribute('mode')).to.equal('enroll');
    expect(el.hasAttribute('auto-submit')).to.equal(true);
    expect(el.shadowRoot!.querySelector('[part~="form"]')).to.exist;
    el.setAttribute('assets-base', '/somewhere/');
    el.setAttribute('endpoint', 'https://api.example.test/');
    expect(el.assetsBase).to.equal('/somewhere/');
    expect(el.endpoint).to.equal('https://api.example.test/');
    await expect(el).to.be.accessible();
  });

  it('switches its text between zh-CN and en with lang', async () => {
    const el = await fixture<FaceEnroll>(html`<face-enroll></face-enroll>`);
    expect($(el, 'legend').textContent).to.equal('人员信息');
    expect(buttonByText(el, '开始')).to.exist;
    el.lang = 'en';
    await el.updateComplete;
    expect(el.getAttribute('lang')).to.equal('en');
    expect($(el, 'legend').textContent).to.equal('Person details');
    expect(buttonByText(el, 'Start')).to.exist;
    el.setAttribute('lang', 'zh-CN');
    await el.updateComplete;
    expect($(el, 'option[value="2"]').textContent).to.equal('女');
    await expect(el).to.be.accessible();
  });

  it('stays accessible in dark mode with reduced motion', async () => {
    await emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    cleanups.push(() => emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' }));
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" group-id="g" endpoint=${ENDPOINT}></face-enroll>`);
    giveCapture(el, await fakeCapture());
    el['flow'].report(new Error('boom'));
    await el.updateComplete;
    expect(getComputedStyle(el).color).to.equal('rgb(230, 232, 235)');
    expect(getComputedStyle(el).getPropertyValue('--_fk-duration').trim()).to.equal('0ms');
    expect(el.shadowRoot!.querySelector('[part~="error"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('takes text overrides from messages', async () => {
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" .messages=${{ 'action.start': 'Begin' }}></face-enroll>`);
    expect(buttonByText(el, 'Begin')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('masks the ID number on screen, reveals it on demand, and sends it whole', async () => {
    const endpoint = fakeEndpoint({
      'face.enroll': () => ({ ok: true, code: 'OK', data: { personId: 'p-1' } }),
      'face.get': () => ({ ok: true, code: 'OK', data: { personId: 'p-1', faceId: '55', imageUrl: `${ENDPOINT}/v1/images/p-1.jpg` } }),
    });
    cleanups.push(endpoint.restore);
    let tickets = 0;
    const provider = async () => `ticket-${++tickets}`;
    const el = await fixture<FaceEnroll>(
      html`<face-enroll lang="en" group-id="demo" endpoint=${ENDPOINT} .ticketProvider=${provider}></face-enroll>`,
    );
    const events = record(el);

    setField(el, 'name', '  Li Lei ');
    setField(el, 'sex', '2');
    setField(el, 'birthday', '1990-01-02');
    setField(el, 'idIccid', '220112199001020551');
    setField(el, 'custId', '119020199000');
    setField(el, 'type', '3');
    setField(el, 'remark', 'VIP');
    await el.updateComplete;

    const idInput = $<HTMLInputElement>(el, 'input[name="idIccid"]');
    expect(idInput.value).to.equal('220***********0551');
    expect(el.shadowRoot!.innerHTML).not.to.include('220112199001020551');
    const toggle = idInput.parentElement!.querySelector('button')!;
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    expect(toggle.getAttribute('aria-controls')).to.equal(idInput.id);
    await expect(el).to.be.accessible();

    toggle.click();
    await el.updateComplete;
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    expect(idInput.value).to.equal('220112199001020551');
    toggle.click();
    await el.updateComplete;
    expect(idInput.value).to.equal('220***********0551');

    const capture = await fakeCapture();
    giveCapture(el, capture);
    await el.updateComplete;
    expect($(el, '[part~="preview"]').getAttribute('alt')).to.equal('The photo that was taken');

    const result = await el.submit();
    expect(endpoint.calls.map((c) => c.op)).to.deep.equal(['face.enroll', 'face.get']);
    const [enroll, get] = endpoint.calls;
    expect(enroll!.body).to.deep.equal({
      groupId: 'demo',
      image: await base64Of(capture.blob),
      name: 'Li Lei',
      sex: 2,
      birthday: 19900102,
      idIccid: '220112199001020551',
      custId: '119020199000',
      type: 3,
      remark: 'VIP',
    });
    expect(enroll!.headers.get('Authorization')).to.equal('Bearer ticket-1');
    expect(enroll!.headers.get('Idempotency-Key')).to.match(/^[0-9a-f-]{36}:enroll$/);
    expect(get!.body).to.deep.equal({ groupId: 'demo', userId: 'p-1' });
    expect(get!.headers.get('Authorization')).to.equal('Bearer ticket-2');

    const expected = { mode: 'enroll', personId: 'p-1', faceId: '55', imageUrl: `${ENDPOINT}/v1/images/p-1.jpg` };
    expect(result).to.deep.equal(expected);
    expect(events.results).to.deep.equal([expected]);
    expect(events.errors).to.deep.equal([]);
    expect(events.phases()).to.include.members(['captured', 'uploading', 'done']);
    expect(events.phases().slice(-2)).to.deep.equal(['uploading', 'done']);
    await el.updateComplete;
    const panel = $(el, '[part~="result"]');
    expect(panel.textContent).to.include('p-1');
    expect(panel.textContent).to.include('Enrolled');
    expect(panel.querySelector('img')!.getAttribute('src')).to.equal(expected.imageUrl);
    expect(el.shadowRoot!.innerHTML).not.to.include('220112199001020551');
    await expect(el).to.be.accessible();
  });

  it('leaves empty fields out of the enrol body', async () => {
    const endpoint = fakeEndpoint({
      'face.enroll': () => ({ ok: true, code: 'OK', data: { personId: 'p-2' } }),
      'face.get': () => ({ ok: false, code: 'NOT_FOUND' }),
    });
    cleanups.push(endpoint.restore);
    const el = await fixture<FaceEnroll>(html`<face-enroll group-id="g" endpoint=${ENDPOINT} ticket="t"></face-enroll>`);
    const events = record(el);
    giveCapture(el, await fakeCapture());
    const result = await el.submit();
    expect(Object.keys(endpoint.calls[0]!.body).sort()).to.deep.equal(['groupId', 'image']);
    expect(endpoint.calls[0]!.headers.get('Authorization')).to.equal('Bearer t');
    // face.get failed: the person is enrolled all the same, and the failure is reported.
    expect(result).to.deep.equal({ mode: 'enroll', personId: 'p-2' });
    expect(events.errors.map((e) => e.code)).to.deep.equal(['NOT_FOUND']);
    await expect(el).to.be.accessible();
  });

  it('refuses a future birthday before sending anything', async () => {
    const endpoint = fakeEndpoint({});
    cleanups.push(endpoint.restore);
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" group-id="g" endpoint=${ENDPOINT}></face-enroll>`);
    const events = record(el);
    setField(el, 'birthday', `${new Date().getFullYear() + 1}-01-01`);
    giveCapture(el, await fakeCapture());
    expect(await el.submit()).to.equal(null);
    expect(endpoint.calls).to.have.length(0);
    expect(events.errors[0]).to.deep.equal({
      code: 'BAD_REQUEST',
      message: 'The date of birth cannot be in the future',
      retryable: false,
    });
    await el.updateComplete;
    expect($(el, '[part~="error"]').getAttribute('role')).to.equal('alert');
    await expect(el).to.be.accessible();
  });

  it('search: shows the best match with its similarity as a percentage', async () => {
    const endpoint = fakeEndpoint({
      'face.search': () => ({
        ok: true,
        code: 'OK',
        data: { personId: 'p-9', similarity: 0.935, person: { personId: 'p-9', name: '韩梅梅' } },
      }),
    });
    cleanups.push(endpoint.restore);
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" mode="search" group-id="g" endpoint=${ENDPOINT}></face-enroll>`);
    const events = record(el);
    giveCapture(el, await fakeCapture());
    await el.submit();
    expect(endpoint.calls[0]!.op).to.equal('face.search');
    expect(Object.keys(endpoint.calls[0]!.body).sort()).to.deep.equal(['groupId', 'image']);
    expect(events.results[0]).to.deep.include({ mode: 'search', matched: true, personId: 'p-9', similarity: 0.935 });
    await el.updateComplete;
    const text = $(el, '[part~="result"]').textContent!;
    expect(text).to.include('韩梅梅');
    expect(text).to.include('93.5%');
    await expect(el).to.be.accessible();
  });

  it('search: NO_MATCH is a result, not an error', async () => {
    const endpoint = fakeEndpoint({ 'face.search': () => ({ ok: false, code: 'NO_MATCH' }) });
    cleanups.push(endpoint.restore);
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" mode="search" group-id="g" endpoint=${ENDPOINT}></face-enroll>`);
    const events = record(el);
    giveCapture(el, await fakeCapture());
    await el.submit();
    expect(events.results).to.deep.equal([{ mode: 'search', matched: false }]);
    expect(events.errors).to.deep.equal([]);
    expect(el.currentPhase).to.equal('done');
    await el.updateComplete;
    expect($(el, '[part~="result"]').textContent).to.include('No matching person');
    expect(el.shadowRoot!.querySelector('[part~="error"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('verify: compares with a data: URL reference', async () => {
    const endpoint = fakeEndpoint({ 'face.compare': () => ({ ok: true, code: 'OK', data: { samePerson: true, similarity: 0.9444 } }) });
    cleanups.push(endpoint.restore);
    const reference = await jpegBlob(32, 32);
    const referenceBase64 = await base64Of(reference);
    const el = await fixture<FaceEnroll>(
      html`<face-enroll lang="en" mode="verify" endpoint=${ENDPOINT} reference=${`data:image/jpeg;base64,${referenceBase64}`}></face-enroll>`,
    );
    const events = record(el);
    const capture = await fakeCapture();
    giveCapture(el, capture);
    await el.submit();
    expect(endpoint.calls[0]!.op).to.equal('face.compare');
    expect(endpoint.calls[0]!.body).to.deep.equal({ imageA: await base64Of(capture.blob), imageB: referenceBase64 });
    expect(events.results).to.deep.equal([{ mode: 'verify', samePerson: true, similarity: 0.9444 }]);
    await el.updateComplete;
    expect($(el, '[part~="result"]').textContent).to.include('Same person');
    await expect(el).to.be.accessible();
  });

  it('verify: takes referenceImage as a Blob', async () => {
    const endpoint = fakeEndpoint({ 'face.compare': () => ({ ok: true, code: 'OK', data: { samePerson: false, similarity: 0.12 } }) });
    cleanups.push(endpoint.restore);
    const reference = await jpegBlob(16, 16);
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" mode="verify" endpoint=${ENDPOINT} .referenceImage=${reference}></face-enroll>`);
    giveCapture(el, await fakeCapture());
    const result = await el.submit();
    expect(endpoint.calls[0]!.body.imageB).to.equal(await base64Of(reference));
    expect(result).to.deep.equal({ mode: 'verify', samePerson: false, similarity: 0.12 });
    await el.updateComplete;
    expect($(el, '[part~="result"]').textContent).to.include('Not the same person');
    await expect(el).to.be.accessible();
  });

  it('verify: refuses a reference URL outside the endpoint origin without requesting it', async () => {
    const endpoint = fakeEndpoint({});
    cleanups.push(endpoint.restore);
    const requested: string[] = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => requested.push(e.name)));
    observer.observe({ type: 'resource' });
    cleanups.push(() => observer.disconnect());
    const el = await fixture<FaceEnroll>(
      html`<face-enroll mode="verify" endpoint=${ENDPOINT} reference="https://elsewhere.example.test/a.jpg"></face-enroll>`,
    );
    const events = record(el);
    giveCapture(el, await fakeCapture());
    expect(await el.submit()).to.equal(null);
    expect(events.errors).to.have.length(1);
    expect(events.errors[0]!.code).to.equal('BAD_REQUEST');
    expect(events.errors[0]!.message).to.equal('参考照片必须是 data: URL，或由 endpoint 提供');
    expect(endpoint.calls).to.have.length(0);
    await aTimeout(50);
    expect(requested.filter((name) => name.includes('elsewhere'))).to.deep.equal([]);
    await el.updateComplete;
    expect($(el, '[part~="error"]').textContent).to.include('参考照片');
    await expect(el).to.be.accessible();
  });

  it('a network failure keeps the capture queued and offers a retry with the same idempotency key', async () => {
    let down = true;
    const endpoint = fakeEndpoint({
      'face.search': () => (down ? 'network-down' : { ok: true, code: 'OK', data: { personId: 'p-3', similarity: 0.8 } }),
    });
    cleanups.push(endpoint.restore);
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" mode="search" group-id="g" endpoint=${ENDPOINT}></face-enroll>`);
    const events = record(el);
    giveCapture(el, await fakeCapture());
    expect(await el.submit()).to.equal(null);
    expect(el.currentPhase).to.equal('queued');
    expect(events.errors[0]).to.include({ code: 'NETWORK', retryable: true });
    await el.updateComplete;
    const retry = buttonByText(el, 'Try again');
    expect(retry).to.exist;
    await expect(el).to.be.accessible();

    down = false;
    const done = oneEvent(el, 'facekit-result');
    retry!.click();
    const { detail } = await done;
    expect(detail).to.deep.include({ mode: 'search', matched: true, personId: 'p-3' });
    expect(endpoint.calls).to.have.length(2);
    expect(endpoint.calls[1]!.headers.get('Idempotency-Key')).to.equal(endpoint.calls[0]!.headers.get('Idempotency-Key'));
  });

  it('submit without a capture reports BAD_REQUEST in the element language', async () => {
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" group-id="g" endpoint=${ENDPOINT}></face-enroll>`);
    const events = record(el);
    expect(await el.submit()).to.equal(null);
    expect(events.errors).to.deep.equal([{ code: 'BAD_REQUEST', message: 'Take or choose a photo first', retryable: false }]);
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('source="file" renders a labelled, keyboard-usable file input', async () => {
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" source="file"></face-enroll>`);
    const input = $<HTMLInputElement>(el, 'input[type="file"]');
    expect(input.getAttribute('accept')).to.equal('image/*');
    expect(input.getAttribute('capture')).to.equal('user');
    expect(input.getAttribute('part')).to.equal('file-input');
    expect(input.tabIndex).to.equal(0);
    const label = $<HTMLLabelElement>(el, `label[for="${input.id}"]`);
    expect(label.textContent!.trim()).to.equal('Choose or take a photo');
    expect(input.labels?.[0]).to.equal(label);
    input.focus();
    expect(el.shadowRoot!.activeElement).to.equal(input);
    await expect(el).to.be.accessible();
  });

  for (const [name, bytes, codes] of [
    ['a file that is not an image', new TextEncoder().encode('this is not an image at all'), ['FILE_FORMAT']],
    ['a damaged JPEG', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 1, 2, 3, 4, 5, 6, 7, 8]), ['FILE_UNREADABLE']],
  ] as const) {
    it(`file: ${name} gives a localised error and facekit-error`, async () => {
      const el = await fixture<FaceEnroll>(html`<face-enroll source="file"></face-enroll>`);
      const events = record(el);
      const input = $<HTMLInputElement>(el, 'input[type="file"]');
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'photo.jpg', { type: 'image/jpeg' }));
      input.files = transfer.files;
      const failed = oneEvent(el, 'facekit-error');
      input.dispatchEvent(new Event('change', { bubbles: true }));
      const { detail } = await failed;
      expect(codes).to.include(detail.code);
      expect(detail.message).to.equal(kitMessage(detail.code, 'zh-CN'));
      expect(detail.retryable).to.equal(false);
      expect(events.phases()).to.deep.equal(['loading', 'error']);
      await el.updateComplete;
      expect($(el, '[part~="error"]').textContent).to.include(kitMessage(detail.code, 'zh-CN'));
      // The chooser stays, to pick another photo.
      expect(el.shadowRoot!.querySelector('input[type="file"]')).to.exist;
      await expect(el).to.be.accessible();
    });
  }

  it('camera denied with source="auto": reports CAMERA_DENIED and offers the file chooser', async () => {
    const vision = stubVision();
    cleanups.push(vision.restore);
    const original = navigator.mediaDevices.getUserMedia;
    navigator.mediaDevices.getUserMedia = async () => {
      throw new DOMException('denied', 'NotAllowedError');
    };
    cleanups.push(() => void (navigator.mediaDevices.getUserMedia = original));
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en"></face-enroll>`);
    const events = record(el);
    await el.start();
    expect(events.phases()).to.deep.equal(['loading', 'starting-camera', 'error']);
    expect(events.errors).to.deep.equal([{ code: 'CAMERA_DENIED', message: kitMessage('CAMERA_DENIED', 'en'), retryable: false }]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('input[type="file"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('camera: guides with live hints, captures when ready, then auto-submits (fake camera, stubbed vision)', async function () {
    this.timeout(20000);
    // Each hint holds for 20 frames (about 1 s), longer than the element's hint smoothing.
    const vision = stubVision({ hints: ['no-face', 'move-closer', 'ok'], perHint: 20, readyAt: 45 });
    cleanups.push(vision.restore);
    const endpoint = fakeEndpoint({ 'face.search': () => ({ ok: true, code: 'OK', data: { personId: 'p-7', similarity: 0.91 } }) });
    cleanups.push(endpoint.restore);
    const el = await fixture<FaceEnroll>(
      html`<face-enroll lang="en" mode="search" group-id="g" endpoint=${ENDPOINT} auto-submit source="camera"></face-enroll>`,
    );
    const events = record(el);
    const hints: Array<Hint | undefined> = [];
    el.addEventListener('facekit-status', (e) => {
      if (e.detail.phase === 'guiding' && e.detail.hint) hints.push(e.detail.hint);
    });
    const guiding = new Promise<void>((resolve) =>
      el.addEventListener('facekit-status', (e) => e.detail.phase === 'guiding' && resolve()),
    );
    const started = el.start();
    await guiding;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="camera"] video[part~="video"]')).to.exist;
    expect(el.shadowRoot!.querySelector('[part~="guide"]')).to.exist;
    await expect(el).to.be.accessible();

    await waitUntil(() => events.results.length > 0, 'no result', { timeout: 15000 });
    await started;
    expect(hints.slice(0, 3)).to.deep.equal(['no-face', 'move-closer', 'ok']);
    const phases = events.phases();
    expect(phases.slice(0, 3)).to.deep.equal(['loading', 'starting-camera', 'guiding']);
    expect(phases.slice(-3)).to.deep.equal(['captured', 'uploading', 'done']);
    expect(events.results[0]).to.deep.include({ mode: 'search', personId: 'p-7' });
    expect(endpoint.calls).to.have.length(1);
    // The camera was released once the photo was taken.
    expect(el['camera'].state).to.equal('idle');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="preview"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('camera: the manual capture button follows the face count; stop() releases the camera', async function () {
    this.timeout(20000);
    const vision = stubVision({ hints: ['no-face', 'no-face', 'center-face'] });
    cleanups.push(vision.restore);
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" source="camera"></face-enroll>`);
    const events = record(el);
    void el.start();
    await waitUntil(() => el.currentPhase === 'guiding', 'never guiding', { timeout: 10000 });
    await el.updateComplete;
    expect(buttonByText(el, 'Take photo')!.disabled).to.equal(true);
    await waitUntil(() => events.statuses.some((s) => s.hint === 'center-face'), 'no center-face hint', { timeout: 10000 });
    await el.updateComplete;
    expect($(el, '[part~="hint"]').textContent).to.equal('Centre your face in the oval');
    expect($(el, '[part~="camera"]').classList.contains('tone-warn')).to.equal(true);
    expect(buttonByText(el, 'Take photo')!.disabled).to.equal(false);
    await expect(el).to.be.accessible();

    const tracks = (el['camera'].video.srcObject as MediaStream).getTracks();
    el.stop();
    expect(tracks.every((track) => track.readyState === 'ended')).to.equal(true);
    expect(el.currentPhase).to.equal('idle');
    const framesAtStop = vision.frames();
    await aTimeout(300);
    expect(vision.frames()).to.be.at.most(framesAtStop + 1);
  });

  it('camera: manual capture takes the photo; retake starts again; reset() clears it', async function () {
    this.timeout(20000);
    const vision = stubVision({ hints: ['ok'] });
    cleanups.push(vision.restore);
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" source="camera"></face-enroll>`);
    const events = record(el);
    void el.start();
    await waitUntil(() => events.statuses.some((s) => s.hint === 'ok'), 'no ok hint', { timeout: 10000 });
    await el.updateComplete;
    buttonByText(el, 'Take photo')!.click();
    await waitUntil(() => el.capture !== null, 'no capture', { timeout: 5000 });
    expect(el.currentPhase).to.equal('captured');
    await el.updateComplete;
    await expect(el).to.be.accessible();
    buttonByText(el, 'Retake')!.click();
    await waitUntil(() => el.currentPhase === 'guiding', 'no guiding after retake', { timeout: 10000 });
    expect(el.capture).to.equal(null);
    el.reset();
    expect(el.currentPhase).to.equal('idle');
    expect(el['camera'].state).to.equal('idle');
  });

  it('camera: a refused play() shows the tap-to-start button, which resumes', async function () {
    this.timeout(20000);
    const vision = stubVision({ hints: ['no-face'] });
    cleanups.push(vision.restore);
    const play = HTMLMediaElement.prototype.play;
    let refusals = 1;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      if (refusals-- > 0) return Promise.reject(new DOMException('gesture needed', 'NotAllowedError'));
      return play.call(this);
    };
    cleanups.push(() => void (HTMLMediaElement.prototype.play = play));
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" source="camera"></face-enroll>`);
    await el.start();
    await el.updateComplete;
    expect(el['camera'].state).to.equal('needs-tap');
    const tap = buttonByText(el, 'Tap to start the camera');
    expect(tap).to.exist;
    await expect(el).to.be.accessible();
    tap!.click();
    await waitUntil(() => el.currentPhase === 'guiding', 'not guiding after the tap', { timeout: 10000 });
    el.stop();
  });

  it('disconnecting the element releases the camera and ends the loop', async function () {
    this.timeout(20000);
    const vision = stubVision({ hints: ['no-face'] });
    cleanups.push(vision.restore);
    const el = await fixture<FaceEnroll>(html`<face-enroll source="camera"></face-enroll>`);
    void el.start();
    await waitUntil(() => el.currentPhase === 'guiding', 'never guiding', { timeout: 10000 });
    const tracks = (el['camera'].video.srcObject as MediaStream).getTracks();
    el.remove();
    expect(tracks.every((track) => track.readyState === 'ended')).to.equal(true);
    const frames = vision.frames();
    await aTimeout(300);
    expect(vision.frames()).to.be.at.most(frames + 1);
  });
});

describe('<face-enroll> with the real vision worker', () => {
  const ASSETS = '/build/assets/';
  let available = false;
  before(async () => {
    const probes = await Promise.all([
      fetch(`${ASSETS}models/face_detector_short.tflite`, { method: 'HEAD' }),
      fetch('/packages/core/src/worker/vision.worker.ts', { method: 'HEAD' }),
    ]).catch(() => []);
    available = probes.length === 2 && probes.every((response) => response.ok);
  });

  it('starts the fake camera and reaches guiding with a hint', async function () {
    // npm test builds the assets first; without them this test must fail, not pass quietly.
    expect(available, `vision assets at ${ASSETS} (run node scripts/prepare-models.mjs)`).to.equal(true);
    this.timeout(60000);
    const el = await fixture<FaceEnroll>(html`<face-enroll lang="en" source="camera" assets-base=${ASSETS}></face-enroll>`);
    const events = record(el);
    const hinted = new Promise<FacekitStatusDetail>((resolve) =>
      el.addEventListener('facekit-status', (e) => e.detail.phase === 'guiding' && e.detail.hint && resolve(e.detail)),
    );
    await el.start();
    const status = await hinted;
    // Chromium's fake camera shows a test pattern: no face.
    expect(status.hint).to.be.a('string');
    // 'loading' repeats with the download's progress (facekit-status { phase: 'loading', progress }).
    const phases = events.phases().filter((phase, index, all) => phase !== all[index - 1]);
    expect(phases.slice(0, 3)).to.deep.equal(['loading', 'starting-camera', 'guiding']);
    expect(events.errors).to.deep.equal([]);
    await el.updateComplete;
    expect($(el, '[part~="hint"]').textContent!.trim()).to.not.equal('');
    await expect(el).to.be.accessible();
    el.stop();
  });
});

// A compile-time check: the event map gives typed details (tsc -p packages/elements/tsconfig.test.json).
export function typedListener(el: HTMLElement): void {
  el.addEventListener('facekit-status', (e) => {
    const phase: Phase = e.detail.phase;
    const hint: Hint | undefined = e.detail.hint;
    void phase;
    void hint;
  });
  el.addEventListener('facekit-error', (e) => {
    const retryable: boolean = e.detail.retryable;
    void retryable;
  });
  document.addEventListener('facekit-result', (e) => {
    if (e.detail.mode === 'search') {
      const matched: boolean = e.detail.matched;
      void matched;
    }
  });
}
