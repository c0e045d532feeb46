import { expect, fixture, html, waitUntil } from '@open-wc/testing';
// Dependencies of @web/test-runner itself.
import { emulateMedia, readFile } from '@web/test-runner-commands';
import { FacekitError, KIT_CODES, MESSAGES, VisionBridge, kitMessage, type Capture, type FaceGeometry, type KitCode, type LandmarkAnalysis, type Lang, type MessageOverrides } from '@facekit/core';
// The endpoint's own table of FaceID codes: every result_code / result_message of the document.
import { FACEID_CODE_TABLE, type FaceIdResultRule } from '../../../server/src/vendors/faceid/errors.js';
import './define.js';
import type { LivenessCheck } from './liveness-check.js';
import { actionLogOf, maskName, vendorResult, type LivenessCheckResult, type LivenessResultData } from './liveness-result.js';
import type { FacekitErrorDetail, FacekitResultDetail, FacekitStatusDetail } from '../events.js';

// ── recorded geometry ──────────────────────────────────────────────────────
// Frames of face geometry that the vision worker measured on real photos and their transforms
// (scripts/liveness-geometry.mjs writes .cache/liveness/geometry.json; the engine's tests use the
// same). No number here is invented: the element is fed what the worker really measured.

interface RecordedFrame {
  label: string;
  faceCount: number;
  geometry: FaceGeometry | null;
}
let clips: Record<string, RecordedFrame[]> | null = null;
const GEOMETRY_PATH = '../../../../.cache/liveness/geometry.json';

before(async () => {
  const text = await readFile({ path: GEOMETRY_PATH });
  if (text) clips = (JSON.parse(text) as { clips: Record<string, RecordedFrame[]> }).clips;
});

function clip(name: string): RecordedFrame[] {
  const frames = clips?.[name];
  if (!frames?.length) throw new Error(`no recorded clip ${name}: run node scripts/liveness-geometry.mjs`);
  return frames;
}
const repeat = (frames: RecordedFrame[], times: number) => Array.from({ length: times }, () => frames).flat();

/** Feeds frames at 15 fps through the element's frame seam; returns the clock. */
function play(el: LivenessCheck, frames: RecordedFrame[], clock: { t: number }): void {
  for (const frame of frames) {
    clock.t += 66;
    el['feedFrame'](frame.geometry, frame.faceCount, clock.t);
  }
}

// ── endpoint and vision stand-ins ──────────────────────────────────────────

const ENDPOINT = `${location.origin}/fake-endpoint`;
const ID_NUMBER = '110101199003070038';
const NAME = '李雷';

interface RecordedCall {
  op: string;
  body: Record<string, unknown>;
  headers: Headers;
}
type Answer = { ok: boolean; code: string; data?: unknown; message?: string; status?: number } | 'network-down';

/** Replaces window.fetch for `/v1/ops/*` with canned envelopes; records the calls. */
function fakeEndpoint(answers: Record<string, (body: Record<string, unknown>, calls: RecordedCall[]) => Answer>) {
  const calls: RecordedCall[] = [];
  const original = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
    const match = /\/v1\/ops\/([^/]+)$/.exec(url.pathname);
    if (!match) return original(input, init);
    const op = decodeURIComponent(match[1]!);
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    calls.push({ op, body, headers: new Headers(init?.headers) });
    const answer = answers[op]?.(body, calls) ?? { ok: false, code: 'UNKNOWN_OP' };
    if (answer === 'network-down') throw new TypeError('Failed to fetch');
    const { status, ...envelope } = answer;
    return new Response(JSON.stringify({ message: '', requestId: `req-${calls.length}`, ...envelope }), {
      status: status ?? (answer.ok ? 200 : answer.code === 'IN_PROGRESS' ? 202 : 400),
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return { calls, ops: () => calls.map((call) => call.op), restore: () => void (window.fetch = original) };
}

const BIZ_TOKEN = '1700000000,0b7f0b55-9d7e-4a43-8d3b-2f4c5f7f2a11';
const THRESHOLDS = { '1e-3': 62.168713, '1e-4': 69.31534, '1e-5': 74.39926, '1e-6': 78.038055 };

function grant(actions: string[] | undefined, extra: Record<string, unknown> = {}): Answer {
  return {
    ok: true,
    code: 'OK',
    data: { bizToken: BIZ_TOKEN, ...(actions ? { actions } : {}), livenessTimeout: 60, securityLevel: 2, thresholdKey: '1e-4', ...extra },
  };
}

const verified = (extra: Record<string, unknown> = {}): Answer => ({
  ok: true,
  code: 'OK',
  data: { bizToken: BIZ_TOKEN, passed: true, sdkCode: 51000, resultMessage: 'SUCCESS', verdict: 'same-person', reasonCode: 'OK', ...extra },
});

function resultData(extra: Partial<LivenessResultData> = {}): LivenessResultData {
  return {
    bizToken: BIZ_TOKEN,
    passed: true,
    resultCode: 1000,
    resultMessage: 'SUCCESS',
    confidence: 83.23666,
    thresholds: THRESHOLDS,
    securityLevel: 2,
    thresholdKey: '1e-4',
    threshold: THRESHOLDS['1e-4'],
    verdict: 'same-person',
    reasonCode: 'OK',
    ...extra,
  };
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

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1]!);
    reader.readAsDataURL(blob);
  });
}

/**
 * Stubs the vision bridge: the model "loads" at once, the camera's own frames never come back from
 * the landmark model (so only the test's recorded frames reach the state machine), and the best
 * frame is a small JPEG.
 */
function stubVision(capture: Capture | null) {
  const proto = VisionBridge.prototype;
  const saved = { ready: proto.ready, resetSession: proto.resetSession, landmarks: proto.landmarks, encodeBest: proto.encodeBest, analyzeImage: proto.analyzeImage };
  const encodeOptions: unknown[] = [];
  let cameraFrames = 0;
  proto.ready = async () => ({ startMs: 1, delegate: 'CPU' as const });
  proto.resetSession = async () => {};
  proto.landmarks = (frame: ImageBitmap): Promise<LandmarkAnalysis> => {
    const warmUp = frame.width === 32;
    frame.close();
    if (warmUp) return Promise.resolve({ width: 32, height: 32, faces: [], workerMs: 1 });
    cameraFrames++;
    return new Promise<LandmarkAnalysis>(() => {});
  };
  proto.encodeBest = async (options) => {
    encodeOptions.push(options);
    return capture;
  };
  proto.analyzeImage = async (image) => ({ width: image.width, height: image.height, faces: [], quality: null, hint: 'no-face', stableFrames: 0, ready: false, workerMs: 1 });
  return { encodeOptions, cameraFrames: () => cameraFrames, restore: () => Object.assign(proto, saved) };
}

/** Every facekit event of an element, in order. */
function record(el: HTMLElement) {
  const statuses: FacekitStatusDetail[] = [];
  const results: FacekitResultDetail[] = [];
  const errors: FacekitErrorDetail[] = [];
  el.addEventListener('facekit-status', (e) => statuses.push(e.detail));
  el.addEventListener('facekit-result', (e) => results.push(e.detail));
  el.addEventListener('facekit-error', (e) => errors.push(e.detail));
  return { statuses, results, errors, phases: () => statuses.filter((s) => !s.liveness).map((s) => s.phase) };
}

const $ = <T extends Element = HTMLElement>(el: LivenessCheck, selector: string): T => {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector} in the shadow root`);
  return found;
};
const text = (el: LivenessCheck, selector: string) => $(el, selector).textContent!.replace(/\s+/g, ' ').trim();
const buttonByText = (el: LivenessCheck, label: string) => [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === label);

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

/** An element with identity, stubbed vision and endpoint, started up to 'guiding'. */
async function guiding(
  answers: Parameters<typeof fakeEndpoint>[0],
  options: { lang?: Lang; autoSubmit?: boolean; capture?: Capture | null; name?: string; messages?: MessageOverrides } = {},
): Promise<{ el: LivenessCheck; endpoint: ReturnType<typeof fakeEndpoint>; events: ReturnType<typeof record>; vision: ReturnType<typeof stubVision>; clock: { t: number }; capture: Capture | null }> {
  const capture = options.capture === undefined ? { blob: await jpegBlob(), width: 64, height: 64, quality: 0.9, face: { x: 8, y: 8, width: 48, height: 48 } } : options.capture;
  const vision = stubVision(capture);
  cleanups.push(vision.restore);
  const endpoint = fakeEndpoint(answers);
  cleanups.push(endpoint.restore);
  const el = await fixture<LivenessCheck>(html`
    <liveness-check
      lang=${options.lang ?? 'en'}
      endpoint=${ENDPOINT}
      ticket="t-1"
      idcard-name=${options.name ?? NAME}
      biz-no="order-42"
      auto-submit=${options.autoSubmit === false ? 'false' : ''}
      .messages=${options.messages}
    ></liveness-check>
  `);
  el.idcardNumber = ID_NUMBER;
  cleanups.push(() => el.reset());
  const events = record(el);
  const reached = new Promise<void>((resolve) => el.addEventListener('facekit-status', (e) => e.detail.phase === 'guiding' && resolve()));
  void el.start();
  await reached;
  await el.updateComplete;
  return { el, endpoint, events, vision, clock: { t: 1000 }, capture };
}

// ── tests ──────────────────────────────────────────────────────────────────

describe('<liveness-check>', () => {
  it('renders idle, accessible, with the identity masked and the attributes read', async () => {
    const el = await fixture<LivenessCheck>(html`
      <liveness-check lang="en" idcard-name="Li Lei" action-count="2" timeout="45" action-timeout="8" security-level="3" biz-no="b-1">
        <h2>Verify</h2>
      </liveness-check>
    `);
    el.idcardNumber = ID_NUMBER;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('slot:not([name])')).to.exist;
    expect(el.shadowRoot!.querySelector('[part~="hint"][aria-live="polite"]')).to.exist;
    expect(text(el, '[part~="identity"]')).to.equal('Verifying: L*****, ID 110***********0038');
    expect(el.shadowRoot!.innerHTML).not.to.include(ID_NUMBER);
    expect(el.shadowRoot!.innerHTML).not.to.include('Li Lei');
    expect([el.actionCount, el.timeout, el.actionTimeout, el.securityLevel, el.bizNo]).to.deep.equal([2, 45, 8, 3, 'b-1']);
    expect(el.autoSubmit, 'auto-submit is on by default').to.equal(true);
    el.setAttribute('auto-submit', 'false');
    expect(el.autoSubmit).to.equal(false);
    el.setAttribute('auto-submit', '');
    expect(el.autoSubmit).to.equal(true);
    expect(buttonByText(el, 'Start')).to.exist;
    expect(el.currentPhase).to.equal('idle');
    await expect(el).to.be.accessible();
  });

  it('masks names on screen', async () => {
    expect(maskName('李雷')).to.equal('李*');
    expect(maskName('欧阳娜娜')).to.equal('欧***');
    expect(maskName(' Li Lei ')).to.equal('L*****');
    const el = await fixture<LivenessCheck>(html`<liveness-check></liveness-check>`);
    el.reference = [await jpegBlob()];
    await el.updateComplete;
    expect(text(el, '[part~="identity"]')).to.equal('与网站提供的参照照片比对');
    await expect(el).to.be.accessible();
  });

  it('refuses to start without an identity, before any call', async () => {
    const endpoint = fakeEndpoint({});
    cleanups.push(endpoint.restore);
    const el = await fixture<LivenessCheck>(html`<liveness-check lang="en" endpoint=${ENDPOINT}></liveness-check>`);
    const events = record(el);
    await el.start();
    expect(endpoint.calls).to.have.length(0);
    expect(events.errors).to.deep.equal([
      { code: 'BAD_REQUEST', message: 'Set the name and ID number (or reference photos) to verify against', retryable: false },
    ]);
    await el.updateComplete;
    expect($(el, '[part~="error"]').getAttribute('role')).to.equal('alert');
    await expect(el).to.be.accessible();
  });

  it('passes the endpoint\'s actions with prompts, progress and a countdown, then verifies and shows the verdict', async function () {
    const { el, endpoint, events, vision, clock, capture } = await guiding({
      'liveness.start': () => grant(['blink', 'nod', 'shake']),
      'liveness.verify': () => verified(),
      'liveness.result': () => ({ ok: true, code: 'OK', data: resultData({ bizNo: 'order-42' }) }),
    });
    // liveness.start: the document's parameters; the ID number only goes to the endpoint.
    expect(endpoint.ops()).to.deep.equal(['liveness.start']);
    expect(endpoint.calls[0]!.body).to.deep.equal({
      liveness_action_count: 3,
      liveness_timeout: 60,
      security_level: 2,
      idcard_name: NAME,
      idcard_number: ID_NUMBER,
      biz_no: 'order-42',
    });
    expect(endpoint.calls[0]!.headers.get('Authorization')).to.equal('Bearer t-1');
    await waitUntil(() => vision.cameraFrames() > 0, 'the camera frames go to the landmark model');
    expect(text(el, '[part~="hint"]')).to.equal('Look at the camera and hold still');
    expect(el.shadowRoot!.querySelector('[part~="camera"] [part~="guide"]')).to.exist;

    // Baseline: the neutral face; the first action's prompt appears with its step and time.
    play(el, clip('neutral'), clock);
    await el.updateComplete;
    expect(text(el, '[part~="hint"]')).to.equal('Blink your eyes');
    expect(text(el, '[part~="prompt"] .step')).to.equal('Step 1 of 3');
    expect(text(el, '[part~="countdown"]')).to.equal('60 s left');
    expect($(el, '[part~="countdown"]').getAttribute('role')).to.equal('timer');
    expect($<HTMLProgressElement>(el, 'progress[part~="progress"]').value).to.equal(0);
    expect($(el, '[part~="camera"]').classList.contains('tone-good')).to.equal(true);
    expect(el.shadowRoot!.querySelectorAll('.steps li.current')).to.have.length(1);
    await expect(el).to.be.accessible();

    // Half a blink shows progress; the whole blink moves on to the nod.
    const blink = clip('blink');
    play(el, blink.slice(0, 2), clock);
    await el.updateComplete;
    const blinkProgress = $<HTMLProgressElement>(el, 'progress[part~="progress"]').value;
    play(el, blink.slice(2), clock);
    await el.updateComplete;
    expect(blinkProgress).to.be.greaterThan(0);
    expect(text(el, '[part~="hint"]')).to.equal('Nod your head');
    expect(text(el, '[part~="prompt"] .step')).to.equal('Step 2 of 3');
    expect(el.shadowRoot!.querySelectorAll('.steps li.done')).to.have.length(1);

    // Seconds go down with the frames' clock.
    play(el, repeat(clip('neutral'), 3), clock);
    await el.updateComplete;
    expect(text(el, '[part~="countdown"]')).to.match(/^5\d s left$/);

    play(el, [...clip('nod'), ...clip('neutral')], clock);
    await el.updateComplete;
    expect(text(el, '[part~="hint"]')).to.equal('Shake your head');
    expect(text(el, '[part~="prompt"] .step')).to.equal('Step 3 of 3');

    const done = new Promise<LivenessCheckResult>((resolve) => el.addEventListener('facekit-result', (e) => resolve(e.detail as LivenessCheckResult)));
    play(el, [...clip('shake'), ...clip('neutral')], clock);
    const result = await done;
    expect(el.livenessState?.phase).to.equal('passed');

    // The best frame within FaceID's 2 MB, the action log in order, the biz token.
    expect(vision.encodeOptions[0]).to.deep.include({ maxBase64Bytes: 4 * Math.ceil((2 * 1024 * 1024) / 3) });
    expect(endpoint.ops()).to.deep.equal(['liveness.start', 'liveness.verify', 'liveness.result']);
    const verify = endpoint.calls[1]!;
    expect(verify.body.biz_token).to.equal(BIZ_TOKEN);
    expect(verify.body.image_best).to.equal(await base64Of(capture!.blob));
    const log = verify.body.action_log as { action: string; passed: boolean; durationMs: number }[];
    expect(log.map((entry) => [entry.action, entry.passed])).to.deep.equal([
      ['blink', true],
      ['nod', true],
      ['shake', true],
    ]);
    expect(log.every((entry) => entry.durationMs >= 0 && entry.durationMs < 10_000)).to.equal(true);
    expect(verify.headers.get('Idempotency-Key')).to.match(/^[0-9a-f-]{36}:verify$/);
    expect(endpoint.calls[2]!.body).to.deep.equal({ biz_token: BIZ_TOKEN, verbose: 1 });

    expect(result).to.deep.equal({
      mode: 'liveness',
      passed: true,
      verdict: 'same-person',
      reasonCode: 'OK',
      reason: kitMessage('OK', 'en'),
      stage: 'faceid',
      actions: ['blink', 'nod', 'shake'],
      securityLevel: 2,
      thresholdKey: '1e-4',
      bizToken: BIZ_TOKEN,
      resultCode: 1000,
      resultMessage: 'SUCCESS',
      confidence: 83.23666,
      threshold: THRESHOLDS['1e-4'],
      thresholds: THRESHOLDS,
      bizNo: 'order-42',
    });
    expect(JSON.stringify(events.results)).not.to.include(ID_NUMBER);
    expect(JSON.stringify(events.results)).not.to.include(NAME);
    expect(events.errors).to.deep.equal([]);
    expect(events.phases()).to.deep.equal(['loading', 'starting-camera', 'guiding', 'captured', 'uploading', 'done']);
    // Guidance events name the action and the step.
    const guidance = events.statuses.filter((s) => s.liveness).map((s) => [s.liveness!.action, s.liveness!.step]);
    expect(guidance).to.deep.include.members([
      ['blink', 1],
      ['nod', 2],
      ['shake', 3],
    ]);
    expect(el['camera'].state, 'the camera is released').to.equal('idle');

    await el.updateComplete;
    const panel = $(el, '[part~="result"]');
    expect(panel.textContent).to.include('Identity verified');
    expect(panel.textContent).to.include('83.24');
    expect(panel.textContent).to.include('69.32');
    expect(panel.textContent).to.include('Required (false accepts 1e-4)');
    expect(panel.textContent).to.include('Standard (1 in 10,000 false accepts)');
    expect(text(el, '[part~="hint"]')).to.equal('Identity verified');
    expect(buttonByText(el, 'Start over')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('fails a still photo on the device with NO_BLINK: a localised reason, and no verify call', async function () {
    const { el, endpoint, events, clock } = await guiding({ 'liveness.start': () => grant(['nod', 'shake']) }, { lang: 'zh-CN' });
    const still = clip('neutral')[0]!;
    // 10 s of the same frame (the action's own limit), then a little more.
    play(el, Array.from({ length: 170 }, () => still), clock);
    await el.updateComplete;
    expect(events.results).to.have.length(1);
    const result = events.results[0] as LivenessCheckResult;
    expect(result).to.deep.include({ mode: 'liveness', passed: false, verdict: 'failed', stage: 'device', deviceFailure: 'NO_BLINK', reasonCode: 'LIVENESS_FAILED' });
    expect(result.reason).to.equal('未检测到眨眼，请本人重试');
    expect(endpoint.ops()).to.deep.equal(['liveness.start']);
    const panel = $(el, '[part~="result"]');
    expect(panel.textContent).to.include('检测未通过');
    expect(panel.textContent).to.include('未检测到眨眼，请本人重试');
    expect(panel.textContent).to.include('在本设备上判定，未提交核验。');
    expect($(el, '[part~="hint"]').classList.contains('tone-error')).to.equal(true);
    await expect(el).to.be.accessible();

    // "Try again" is a new attempt: a new session from the endpoint.
    const again = new Promise<void>((resolve) => el.addEventListener('facekit-status', (e) => e.detail.phase === 'guiding' && resolve()));
    buttonByText(el, '重试')!.click();
    await again;
    expect(endpoint.ops()).to.deep.equal(['liveness.start', 'liveness.start']);
    expect(el.livenessState?.phase).to.equal('waiting-face');
  });

  it('asks for an extra blink when the actions passed without one, and leaves it out of the action log', async function () {
    const { el, endpoint, clock } = await guiding({
      'liveness.start': () => grant(['nod']),
      'liveness.verify': () => verified(),
      'liveness.result': () => ({ ok: true, code: 'OK', data: resultData() }),
    });
    play(el, [...clip('neutral'), ...clip('nod'), ...clip('neutral')], clock);
    await el.updateComplete;
    expect(text(el, '[part~="hint"]')).to.equal('Blink your eyes');
    expect(text(el, '[part~="prompt"] .step')).to.equal('One more step');
    await expect(el).to.be.accessible();
    const done = new Promise<void>((resolve) => el.addEventListener('facekit-result', () => resolve()));
    play(el, [...clip('blink'), ...clip('neutral')], clock);
    await done;
    expect(el.livenessState!.log.map((entry) => [entry.action, entry.extra])).to.deep.equal([
      ['nod', false],
      ['blink', true],
    ]);
    const log = endpoint.calls.find((call) => call.op === 'liveness.verify')!.body.action_log as { action: string }[];
    expect(log.map((entry) => entry.action)).to.deep.equal(['nod']);
  });

  it('draws the actions itself when the endpoint sends none', async function () {
    const { el } = await guiding({ 'liveness.start': () => grant(undefined) });
    expect(el.livenessState!.actionCount).to.equal(3);
    const actions = (el['session'] as { actions: readonly string[] }).actions;
    expect(new Set(actions).size).to.equal(3);
    el.reset();
    expect(el.currentPhase).to.equal('idle');
  });

  it('with auto-submit="false" waits for Submit; a network failure keeps the upload queued and resends it with the same key', async function () {
    let down = true;
    const { el, endpoint, events, clock } = await guiding(
      {
        'liveness.start': () => grant(['blink']),
        'liveness.verify': () => (down ? 'network-down' : verified()),
        'liveness.result': () => ({ ok: true, code: 'OK', data: resultData() }),
      },
      { autoSubmit: false },
    );
    play(el, [...clip('neutral'), ...clip('blink'), ...clip('neutral')], clock);
    await waitUntil(() => el.currentPhase === 'captured' && el.capture !== null);
    await el.updateComplete;
    expect(endpoint.ops()).to.deep.equal(['liveness.start']);
    expect(text(el, '[part~="hint"]')).to.equal('Passed on this device; preparing the photo…');
    await expect(el).to.be.accessible();

    buttonByText(el, 'Submit')!.click();
    await waitUntil(() => el.currentPhase === 'queued');
    expect(events.errors.map((e) => [e.code, e.retryable])).to.deep.equal([['NETWORK', true]]);
    await el.updateComplete;
    await expect(el).to.be.accessible();

    down = false;
    const result = await el.submit();
    expect(result?.passed).to.equal(true);
    const keys = endpoint.calls.filter((call) => call.op === 'liveness.verify').map((call) => call.headers.get('Idempotency-Key'));
    expect(keys).to.have.length(2);
    expect(keys[0]).to.equal(keys[1]);
  });

  it('polls liveness.result while FaceID answers 9000 (in progress)', async function () {
    let polls = 0;
    const { el, endpoint, clock } = await guiding({
      'liveness.start': () => grant(['blink']),
      'liveness.verify': () => verified(),
      'liveness.result': () =>
        ++polls < 3
          ? { ok: false, code: 'IN_PROGRESS', status: 202, data: { bizToken: BIZ_TOKEN, resultCode: 9000, resultMessage: 'LIVING_IN_PROGRESS' } }
          : { ok: true, code: 'OK', data: resultData({ passed: false, resultCode: 2000, resultMessage: 'PASS_LIVING_NOT_THE_SAME', confidence: 41.03, verdict: 'not-same-person', reasonCode: 'NOT_SAME_PERSON' }) },
    });
    const done = new Promise<LivenessCheckResult>((resolve) => el.addEventListener('facekit-result', (e) => resolve(e.detail as LivenessCheckResult)));
    play(el, [...clip('neutral'), ...clip('blink'), ...clip('neutral')], clock);
    const result = await done;
    expect(endpoint.ops().filter((op) => op === 'liveness.result')).to.have.length(3);
    expect(result).to.deep.include({ passed: false, verdict: 'not-same-person', reasonCode: 'NOT_SAME_PERSON', resultCode: 2000, confidence: 41.03 });
    await el.updateComplete;
    expect($(el, '[part~="result"]').textContent).to.include('Not the same person');
    expect($(el, '[part~="result"]').textContent).to.include(kitMessage('NOT_SAME_PERSON', 'en'));
    expect(buttonByText(el, 'Try again')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('takes the verify answer as the result when the endpoint refused the log before the upload', async function () {
    const { el, endpoint, clock } = await guiding({
      'liveness.start': () => grant(['blink']),
      'liveness.verify': () => ({ ok: true, code: 'OK', data: { bizToken: BIZ_TOKEN, passed: false, sdkCode: null, resultMessage: 'ACTION_ERROR', verdict: 'failed', reasonCode: 'WRONG_ACTION' } }),
    });
    const done = new Promise<LivenessCheckResult>((resolve) => el.addEventListener('facekit-result', (e) => resolve(e.detail as LivenessCheckResult)));
    play(el, [...clip('neutral'), ...clip('blink'), ...clip('neutral')], clock);
    const result = await done;
    expect(endpoint.ops()).to.deep.equal(['liveness.start', 'liveness.verify']);
    expect(result).to.deep.include({ passed: false, verdict: 'failed', reasonCode: 'WRONG_ACTION', reason: kitMessage('WRONG_ACTION', 'en'), stage: 'faceid' });
  });

  it('reports an operator-side FaceID failure (5000) as facekit-error, not as a verdict', async function () {
    const { el, events, clock } = await guiding({
      'liveness.start': () => grant(['blink']),
      'liveness.verify': () => ({ ok: false, code: 'VENDOR_QUOTA', status: 402 }),
    });
    play(el, [...clip('neutral'), ...clip('blink'), ...clip('neutral')], clock);
    await waitUntil(() => el.currentPhase === 'error');
    expect(events.results).to.deep.equal([]);
    expect(events.errors.map((e) => e.code)).to.deep.equal(['VENDOR_QUOTA']);
    expect(events.errors[0]!.message).to.equal(kitMessage('VENDOR_QUOTA', 'en'));
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('fails on the device when the face is swapped (FACE_CHANGED → attack) or a second person appears', async function () {
    const { el, endpoint, events, clock } = await guiding({ 'liveness.start': () => grant(['nod', 'shake']) });
    play(el, [...clip('neutral'), ...clip('blink'), ...clip('camera'), ...clip('neutral')], clock);
    await el.updateComplete;
    expect(events.results[0]).to.deep.include({ verdict: 'attack', reasonCode: 'LIVENESS_ATTACK', attacks: ['replaced-face'], deviceFailure: 'FACE_CHANGED' });
    expect(endpoint.ops()).to.deep.equal(['liveness.start']);
    expect($(el, '[part~="result"]').textContent).to.include('Check failed: spoofing suspected');
  });

  it('shows the prompts in zh-CN, and follows a change of lang', async function () {
    const { el, clock } = await guiding({ 'liveness.start': () => grant(['shake', 'blink']) }, { lang: 'zh-CN' });
    play(el, clip('neutral'), clock);
    await el.updateComplete;
    expect(text(el, '[part~="hint"]')).to.equal('请摇摇头');
    expect(text(el, '[part~="prompt"] .step')).to.equal('第 1 步，共 2 步');
    expect(text(el, '[part~="countdown"]')).to.equal('剩余 60 秒');
    el.lang = 'en';
    await el.updateComplete;
    expect(text(el, '[part~="hint"]')).to.equal('Shake your head');
    await expect(el).to.be.accessible();
  });

  it('moves the pictograms only without reduced motion, and stays accessible in dark mode', async function () {
    const { el, clock } = await guiding({ 'liveness.start': () => grant(['nod']) });
    play(el, clip('neutral'), clock);
    await el.updateComplete;
    const moving = $(el, '.icon.action-nod');
    await emulateMedia({ reducedMotion: 'no-preference' });
    expect(getComputedStyle(moving).animationName).to.equal('fk-liveness-nod');
    // One cycle of 1.6 s: far below three changes a second, and no change of brightness.
    expect(Number.parseFloat(getComputedStyle(moving).animationDuration)).to.be.at.least(1);
    await emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    cleanups.push(() => void emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' }));
    expect(getComputedStyle(moving).animationName).to.equal('none');
    expect(getComputedStyle(el).getPropertyValue('--_fk-duration').trim()).to.equal('0ms');
    await expect(el).to.be.accessible();
  });

  it('stop() releases the camera and abandons the session', async () => {
    const { el, events } = await guiding({ 'liveness.start': () => grant(['blink']) });
    const tracks = (el['camera'].video.srcObject as MediaStream).getTracks();
    el.stop();
    expect(tracks.every((track) => track.readyState === 'ended')).to.equal(true);
    expect(el.currentPhase).to.equal('idle');
    expect(el.livenessState).to.equal(null);
    expect(events.phases().at(-1)).to.equal('idle');
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('a refused liveness.start is an error with a retry, and the camera is released', async () => {
    const vision = stubVision(null);
    cleanups.push(vision.restore);
    const endpoint = fakeEndpoint({ 'liveness.start': () => ({ ok: false, code: 'VENDOR_UNAVAILABLE', status: 503 }) });
    cleanups.push(endpoint.restore);
    const el = await fixture<LivenessCheck>(html`<liveness-check lang="en" endpoint=${ENDPOINT} idcard-name="A" idcard-number=${ID_NUMBER}></liveness-check>`);
    const events = record(el);
    await el.start();
    expect(events.errors.map((e) => [e.code, e.retryable])).to.deep.equal([['VENDOR_UNAVAILABLE', true]]);
    expect(el['camera'].state).to.equal('idle');
    await el.updateComplete;
    expect(buttonByText(el, 'Try again')).to.exist;
    await expect(el).to.be.accessible();
  });
});

// ── languages ───────────────────────────────────────────────────────────────

const CJK = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/;
/** Strings with no words: numbers, the masked identity, and FaceID's own result code (vendor data). */
const NEUTRAL = /^(?:[\s\d.,:%()—–\-/+*]*|L\*+|\d{4} [A-Z_]+)$/;

/** Every string a user can see or hear in the shadow root: text, and the accessible attributes. */
function visibleStrings(root: ShadowRoot): string[] {
  const strings: string[] = [];
  const walk = (node: Node): void => {
    if (node instanceof HTMLStyleElement || (node instanceof HTMLElement && node.hidden)) return;
    if (node.nodeType === Node.TEXT_NODE) {
      const value = node.textContent?.trim();
      if (value) strings.push(value);
      return;
    }
    if (node instanceof Element) {
      for (const name of ['aria-label', 'alt', 'title', 'placeholder', 'aria-valuetext']) {
        const value = node.getAttribute(name)?.trim();
        if (value) strings.push(value);
      }
    }
    for (const child of node.childNodes) walk(child);
  };
  walk(root);
  return strings;
}

/** Walks the element through its states (prompts, hints, both kinds of verdict, an error), collecting what it shows. */
async function livenessStrings(lang: Lang, messages?: MessageOverrides): Promise<string[]> {
  const { el, clock } = await guiding(
    {
      'liveness.start': () => grant(['blink', 'nod']),
      'liveness.verify': () => verified(),
      'liveness.result': () => ({ ok: true, code: 'OK', data: resultData() }),
    },
    { lang, name: 'Li Lei', messages },
  );
  const collected: string[] = [];
  const take = async (): Promise<void> => {
    await el.updateComplete;
    collected.push(...visibleStrings(el.shadowRoot!));
  };
  await take(); // waiting for the face
  play(el, repeat(clip('two-faces'), 2), clock);
  await take(); // two people (before the baseline they only hold the session back)
  play(el, clip('neutral'), clock);
  await take(); // first action
  // Five frames without a face: tolerated by the engine, long enough for the hint.
  play(el, repeat([{ label: 'gap', faceCount: 0, geometry: null }], 5), clock);
  await take(); // the face left for a moment
  play(el, [...clip('blink'), ...clip('neutral')], clock);
  await take(); // second action
  const done = new Promise<void>((resolve) => el.addEventListener('facekit-result', () => resolve(), { once: true }));
  play(el, [...clip('nod'), ...clip('neutral')], clock);
  await done;
  await take(); // FaceID's verdict
  const again = new Promise<void>((resolve) => el.addEventListener('facekit-status', (e) => e.detail.phase === 'guiding' && resolve()));
  void el.start();
  await again;
  const failed = new Promise<void>((resolve) => el.addEventListener('facekit-result', () => resolve(), { once: true }));
  play(el, repeat([clip('neutral')[0]!], 170), clock);
  await failed;
  await take(); // the device's verdict
  el['flow'].report(new FacekitError('VENDOR_UNAVAILABLE'));
  await take(); // an error
  return collected;
}

describe('<liveness-check> languages', () => {
  it('shows only English with lang="en"', async function () {
    const strings = await livenessStrings('en');
    expect(strings.length).to.be.greaterThan(30);
    expect(strings.filter((value) => CJK.test(value))).to.deep.equal([]);
    expect(strings).to.include('Keep your face in the frame');
    expect(strings).to.include('Only one person in the frame, please');
  });

  it('shows only Chinese with lang="zh-CN"', async function () {
    const strings = await livenessStrings('zh-CN');
    const english = new Set(Object.values(MESSAGES.en));
    expect(strings.filter((value) => !CJK.test(value) && !NEUTRAL.test(value))).to.deep.equal([]);
    expect(strings.filter((value) => english.has(value))).to.deep.equal([]);
  });

  it('takes a host override for every message and kit code it shows', async function () {
    const overrides: Record<string, string> = {};
    for (const key of Object.keys(MESSAGES.en)) overrides[key] = `«${key}»`;
    for (const code of Object.keys(KIT_CODES)) overrides[`code.${code}`] = `«code.${code}»`;
    const strings = await livenessStrings('en', overrides as MessageOverrides);
    expect(strings.filter((value) => !value.includes('«') && !NEUTRAL.test(value))).to.deep.equal([]);
    expect(strings).to.include('«liveness.blink»');
    expect(strings).to.include('«code.OK»');
  });
});

describe('liveness results', () => {
  const reason = (lang: Lang) => (code: KitCode) => kitMessage(code, lang);
  const context = { actions: ['blink' as const], securityLevel: 2 as const, bizToken: BIZ_TOKEN };

  it('every result_code of the document becomes a verdict with a localised reason, a pending poll, or an error', () => {
    const rows = FACEID_CODE_TABLE.filter((rule): rule is FaceIdResultRule => rule.source === 'result' && !rule.sdkOnly);
    // 1000, 2000, 3000 ×6, 4100 ×2, 4200 ×10, 5000 ×8, 6000 ×11, 9000 ×3: the document's table.
    expect(new Set(rows.map((rule) => rule.resultCode))).to.deep.equal(new Set([1000, 2000, 3000, 4100, 4200, 5000, 6000, 9000]));
    for (const rule of rows) {
      if (rule.outcome === 'pending' || rule.outcome === 'error') {
        // Polled (IN_PROGRESS), or an error envelope shown as facekit-error with the kit code's text.
        for (const lang of ['zh-CN', 'en'] as const) expect(kitMessage(rule.kitCode, lang), rule.resultMessage).to.not.equal(rule.kitCode);
        continue;
      }
      const data = resultData({
        passed: rule.outcome === 'same-person',
        resultCode: rule.resultCode,
        resultMessage: rule.resultMessage,
        verdict: rule.outcome,
        reasonCode: rule.kitCode,
        ...(rule.attack ? { attacks: [rule.attack] } : {}),
      });
      for (const lang of ['zh-CN', 'en'] as const) {
        const result = vendorResult({ passed: data.passed, sdkCode: 50000 + rule.resultCode, verdict: rule.outcome, reasonCode: rule.kitCode }, data, { ...context, reason: reason(lang) });
        expect(result.verdict, rule.resultMessage).to.equal(rule.outcome);
        expect(result.passed, rule.resultMessage).to.equal(rule.resultCode === 1000);
        expect(result.reasonCode).to.equal(rule.kitCode);
        expect(result.reason, `${rule.resultMessage} in ${lang}`).to.equal(kitMessage(rule.kitCode, lang));
        expect(result.reason).to.not.equal(rule.kitCode);
        if (rule.attack) expect(result.attacks).to.deep.equal([rule.attack]);
      }
    }
  });

  it('the confidence must reach the threshold of the security level: the stricter word wins', () => {
    const below = resultData({ confidence: 70, threshold: THRESHOLDS['1e-5'], securityLevel: 3, thresholdKey: '1e-5' });
    const result = vendorResult({ passed: true, sdkCode: 51000, verdict: 'same-person', reasonCode: 'OK' }, below, { ...context, reason: reason('en') });
    expect(result).to.deep.include({ passed: false, verdict: 'not-same-person', reasonCode: 'NOT_SAME_PERSON', securityLevel: 3, thresholdKey: '1e-5' });
    const above = vendorResult({ passed: true, sdkCode: 51000, verdict: 'same-person', reasonCode: 'OK' }, resultData({ confidence: 70 }), { ...context, reason: reason('en') });
    expect(above.passed).to.equal(true);
  });

  it('the action log keeps the asked actions in order, with durations, and drops the extra blink', () => {
    const log = actionLogOf([
      { action: 'nod', extra: false, startedAt: 100, endedAt: 1600, result: 'passed' },
      { action: 'shake', extra: false, startedAt: 1600, endedAt: 4000, result: 'passed' },
      { action: 'blink', extra: true, startedAt: 4000, endedAt: 4500, result: 'passed' },
    ]);
    expect(log).to.deep.equal([
      { action: 'nod', passed: true, durationMs: 1500 },
      { action: 'shake', passed: true, durationMs: 2400 },
    ]);
  });
});

// A compile-time check: the event map gives typed details.
export function typedListener(el: HTMLElement): void {
  el.addEventListener('facekit-status', (e) => {
    const step: number | undefined = e.detail.liveness?.step;
    void step;
  });
  el.addEventListener('facekit-result', (e) => {
    if (e.detail.mode === 'liveness') {
      const verdict: string = e.detail.verdict;
      void verdict;
    }
  });
}

