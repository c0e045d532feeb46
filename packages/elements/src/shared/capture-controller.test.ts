import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import {
  CameraController,
  FacekitError,
  LocalizeController,
  VisionBridge,
  type Capture,
  type FrameAnalysis,
  type Hint,
  type ImageSource,
  type Phase,
} from '@facekit/core';
import type { FacekitErrorDetail, FacekitStatusDetail } from '../events.js';
import { CaptureController } from './capture-controller.js';
import type { CaptureSource } from './capture-source.js';
import { isLocalError, localError } from './errors.js';

// ── a minimal host: the controller with a real camera (the fake device) and a stubbed worker ──

/** Short waits before the automatic resends of a queued upload (the elements wait seconds). */
const RESEND_WAITS_MS = [60, 120];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class CaptureTestHost extends LitElement {
  endpoint = '';
  ticket = '';
  assetsBase = `${location.origin}/build/assets/`;
  ticketProvider?: () => Promise<string>;
  source: CaptureSource = 'auto';
  /** No model download in the background: the worker is stubbed where a test needs it. */
  prefetch = 'none';
  /** Kept by the host after a good photo; a disconnection mid-flow then returns to `captured`. */
  photo: Capture | null = null;
  resent = 0;
  starts = 0;
  /** Files given to loadFile(). */
  loaded: Blob[] = [];
  imageSource: ImageSource | null = null;
  /** What the frame loop saw: each frame's size while it was open. */
  framesSeen: { width: number; height: number }[] = [];

  readonly localize = new LocalizeController(this);
  readonly camera = new CameraController(this, { facingMode: 'user', width: 640, height: 480 });
  readonly flow = new CaptureController(this, {
    camera: this.camera,
    localize: this.localize,
    // As the elements do: their own (localised) messages as they are, the rest in the host's words.
    messageOf: (error) => (isLocalError(error) ? error.message : `text of ${error.code}`),
    guide: (run) => this.guide(run),
    resend: () => this.resent++,
    resendDelaysMs: RESEND_WAITS_MS,
    hasCapture: () => this.photo !== null,
  });

  async start(): Promise<void> {
    this.starts++;
    await this.flow.open();
  }

  async loadFile(file: Blob): Promise<void> {
    this.loaded.push(file);
  }

  private async guide(run: AbortController): Promise<void> {
    if (!(await this.flow.beginGuiding(run))) return;
    this.flow.frames(run, async (frame) => {
      this.framesSeen.push({ width: frame.width, height: frame.height });
      frame.close();
    });
  }

  /** Render the camera view (with its tap button) instead of the bare video. */
  renderCamera = false;

  override render() {
    const camera = this.renderCamera ? this.flow.renderCamera({ tone: 'idle', label: 'Camera' }, 'Tap to start') : this.camera.video;
    return html`${camera}<input type="file" @change=${this.flow.onFileChange} />${this.flow.renderError('Try again')}`;
  }
}
customElements.define('capture-test-host', CaptureTestHost);

/** Every status and error event of the host, in order. */
function record(el: HTMLElement) {
  const statuses: FacekitStatusDetail[] = [];
  const errors: FacekitErrorDetail[] = [];
  el.addEventListener('facekit-status', (e) => statuses.push(e.detail));
  el.addEventListener('facekit-error', (e) => errors.push(e.detail));
  return { statuses, errors, phases: (): Phase[] => statuses.filter((s) => !s.hint).map((s) => s.phase) };
}

const FACE = { box: { x: 200, y: 100, width: 240, height: 280 }, keypoints: [], score: 0.95 };

function analysis(faces: number, hint: Hint = faces === 1 ? 'ok' : 'no-face'): FrameAnalysis {
  return { width: 640, height: 480, faces: Array.from({ length: faces }, () => FACE), quality: null, hint, stableFrames: 0, ready: false, workerMs: 1 };
}

/** Stubs the worker's calls until the test's cleanup (the models are not what these tests are about); records what they were given. */
function stubWorker(options: { faces?: number; ready?: () => Promise<void> } = {}) {
  const proto = VisionBridge.prototype;
  const saved = { ready: proto.ready, resetSession: proto.resetSession, analyzeImage: proto.analyzeImage, encodeBest: proto.encodeBest };
  const images: { width: number; height: number }[] = [];
  let resets = 0;
  proto.ready = async () => {
    await options.ready?.();
    return { startMs: 1, delegate: 'CPU' as const };
  };
  proto.resetSession = async () => {
    resets++;
  };
  proto.analyzeImage = async (image: ImageBitmap) => {
    images.push({ width: image.width, height: image.height });
    return analysis(options.faces ?? 1);
  };
  proto.encodeBest = async () => ({ blob: new Blob(['jpeg'], { type: 'image/jpeg' }), width: 8, height: 8, quality: 0.9, face: FACE.box });
  cleanups.push(() => void Object.assign(proto, saved));
  return { images, resets: () => resets };
}

async function photoFile(name: string): Promise<File> {
  const response = await fetch(`/.cache/fixtures/photos/${name}`);
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status} (run node scripts/fixtures.mjs)`);
  const blob = await response.blob();
  return new File([blob], name, { type: blob.type });
}

/** The user refuses the camera (until the test's cleanup). */
function denyCamera(): void {
  const original = navigator.mediaDevices.getUserMedia;
  navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  cleanups.push(() => void (navigator.mediaDevices.getUserMedia = original));
}

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function host(source: CaptureSource = 'auto'): Promise<CaptureTestHost> {
  const el = await fixture<CaptureTestHost>(html`<capture-test-host lang="en" .source=${source}></capture-test-host>`);
  cleanups.push(() => el.remove());
  return el;
}

// ── tests ──────────────────────────────────────────────────────────────────

describe('CaptureController', () => {
  it('opens the fake camera and runs the frame loop until stop(), which releases the camera', async function () {
    this.timeout(15000);
    const worker = stubWorker();
    const el = await host('camera');
    const events = record(el);
    await el.start();
    expect(events.phases()).to.deep.equal(['loading', 'starting-camera', 'guiding']);
    expect(el.camera.state).to.equal('live');
    expect(worker.resets()).to.be.at.least(1);
    await waitUntil(() => el.framesSeen.length >= 3, 'no frames from the fake camera', { timeout: 8000 });
    // Real frames of the requested camera size.
    expect(el.framesSeen[0]!.width).to.be.greaterThan(0);
    expect(el.framesSeen[0]).to.deep.equal(el.camera.size);
    const tracks = el.camera.tracks;
    expect(el.flow.stop()).to.equal(true);
    expect(el.flow.phase).to.equal('idle');
    expect(el.camera.state).to.equal('idle');
    expect(tracks.every((track) => track.readyState === 'ended')).to.equal(true);
    const seen = el.framesSeen.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(el.framesSeen.length).to.be.at.most(seen + 1);
    expect(events.phases().at(-1)).to.equal('idle');
  });

  it('asks for the camera while the worker loads, and lets it go when loading fails', async () => {
    let releaseReady!: () => void;
    let failReady = false;
    stubWorker({
      ready: () =>
        new Promise<void>((resolve, reject) => {
          releaseReady = () => (failReady ? reject(new Error('no model')) : resolve());
        }),
    });
    const original = navigator.mediaDevices.getUserMedia;
    const streams: MediaStream[] = [];
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await original.call(navigator.mediaDevices, constraints);
      streams.push(stream);
      return stream;
    };
    cleanups.push(() => void (navigator.mediaDevices.getUserMedia = original));

    const el = await host('camera');
    const events = record(el);
    const started = el.start();
    await waitUntil(() => streams.length === 1, 'the camera was not asked for during loading', { timeout: 8000 });
    expect(el.flow.phase).to.equal('loading');
    releaseReady();
    await started;
    expect(events.phases()).to.deep.equal(['loading', 'starting-camera', 'guiding']);
    expect(streams, 'the stream asked for early is the one that plays').to.have.length(1);
    expect(el.camera.tracks[0]).to.equal(streams[0]!.getVideoTracks()[0]);
    el.flow.stop();

    // The worker fails this time: the camera asked for meanwhile is released, not left on.
    failReady = true;
    const again = el.start();
    await waitUntil(() => streams.length === 2, 'the camera was not asked for again', { timeout: 8000 });
    releaseReady();
    await again;
    expect(el.flow.phase).to.equal('error');
    await waitUntil(() => streams[1]!.getVideoTracks().every((track) => track.readyState === 'ended'), 'the early stream was left running', { timeout: 8000 });
    expect(el.camera.state).to.equal('idle');
  });

  it('with source="file" offers the file chooser (focused) instead of the camera', async () => {
    stubWorker();
    const el = await host('file');
    const events = record(el);
    await el.start();
    expect(events.phases()).to.deep.equal(['loading', 'guiding']);
    expect(el.flow.fileFallback).to.equal(true);
    expect(el.camera.state).to.equal('idle');
    expect(el.shadowRoot!.activeElement).to.equal(el.shadowRoot!.querySelector('input'));
  });

  it('camera denied with source="auto": reports the failure in the host\'s words and falls back to the file chooser', async () => {
    stubWorker();
    denyCamera();
    const el = await host('auto');
    const events = record(el);
    await el.start();
    expect(events.phases()).to.deep.equal(['loading', 'starting-camera', 'error']);
    expect(events.errors).to.deep.equal([{ code: 'CAMERA_DENIED', message: 'text of CAMERA_DENIED', retryable: false }]);
    expect(el.flow.fileFallback).to.equal(true);
    // "Try again" with no other retry: a new start.
    await el.flow.retry();
    expect(el.starts).to.equal(2);
  });

  it('with source="camera" a denied camera does not fall back to the file chooser', async () => {
    stubWorker();
    denyCamera();
    const el = await host('camera');
    await el.start();
    expect(el.flow.phase).to.equal('error');
    expect(el.flow.fileFallback).to.equal(false);
  });

  it('a worker that fails to load ends in the error phase; a start() during loading aborts the first', async () => {
    let fail = true;
    stubWorker({
      ready: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (fail) throw new FacekitError('MODEL_LOAD');
      },
    });
    const el = await host('camera');
    const events = record(el);
    await el.start();
    expect(events.errors.map((e) => e.code)).to.deep.equal(['MODEL_LOAD']);
    expect(el.flow.phase).to.equal('error');
    // Two starts in a row: only the second goes on, and nothing is reported for the first.
    fail = false;
    const first = el.start();
    const second = el.start();
    await Promise.all([first, second]);
    expect(events.errors).to.have.length(1);
    expect(el.flow.phase).to.equal('guiding');
    el.flow.stop();
  });

  it('reads a real photo file on the device, closes the bitmap, and retries the same file', async () => {
    const worker = stubWorker({ faces: 1 });
    const el = await host('file');
    const events = record(el);
    const file = await photoFile('astronaut.png');
    const expected = await createImageBitmap(file);
    let used = 0;
    const load = (): Promise<void> =>
      el.flow.loadFile(load, async (signal) => {
        used++;
        const result = await el.flow.analyseFile(file, signal);
        expect(result.faces).to.have.length(1);
        el.flow.setPhase('captured');
      });
    const loading = load();
    expect(el.flow.busy).to.equal(true);
    await loading;
    expect(el.flow.busy).to.equal(false);
    expect(worker.images).to.deep.equal([{ width: expected.width, height: expected.height }]);
    expect(events.phases()).to.deep.equal(['loading', 'captured']);
    expected.close();
    // "Try again" reads the same file again.
    await el.flow.retry();
    expect(used).to.equal(2);
  });

  it('a photo without exactly one face, or not an image, is reported and leaves the error phase', async () => {
    stubWorker({ faces: 2 });
    const el = await host('file');
    const events = record(el);
    const file = await photoFile('astronaut.png');
    await el.flow.loadFile(
      () => Promise.resolve(),
      (signal) => el.flow.analyseFile(file, signal).then(() => undefined),
    );
    const text = new File([new TextEncoder().encode('not an image at all')], 'note.jpg', { type: 'image/jpeg' });
    await el.flow.loadFile(
      () => Promise.resolve(),
      (signal) => el.flow.analyseFile(text, signal).then(() => undefined),
    );
    expect(events.errors.map((e) => e.code)).to.deep.equal(['MANY_FACES', 'FILE_FORMAT']);
    expect(el.flow.phase).to.equal('error');
    expect(el.flow.busy).to.equal(false);
  });

  it('report() says nothing of an abort; fail() moves to error and clears the hint', async () => {
    const el = await host();
    const events = record(el);
    expect(el.flow.report(new DOMException('stopped', 'AbortError'))).to.equal(null);
    expect(events.errors).to.deep.equal([]);
    el.flow.hint = 'move-closer';
    el.flow.fail(new Error('boom'));
    expect(events.errors).to.deep.equal([{ code: 'INTERNAL', message: 'text of INTERNAL', retryable: new FacekitError('INTERNAL').retryable }]);
    expect(el.flow.phase).to.equal('error');
    expect(el.flow.hint).to.equal(null);
    await el.updateComplete;
  });

  it('showHint() smooths passing hints and sends each shown hint once', async () => {
    const el = await host();
    const events = record(el);
    el.flow.setPhase('guiding');
    el.flow.showHint('no-face');
    el.flow.showHint('no-face');
    // A passing correction is shown only after it held for a while; "ok" at once.
    el.flow.showHint('move-closer');
    el.flow.showHint('ok');
    expect(events.statuses.filter((s) => s.hint).map((s) => s.hint)).to.deep.equal(['no-face', 'ok']);
    expect(el.flow.hint).to.equal('ok');
  });

  it('snap() takes one photo at a time, stops the camera and hands the photo over', async function () {
    this.timeout(15000);
    stubWorker();
    const el = await host('camera');
    await el.start();
    let takes = 0;
    const kept: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const take = async (): Promise<string> => {
      takes++;
      await gate;
      return 'photo';
    };
    const first = el.flow.snap(take, (photo) => void kept.push(photo));
    // A second attempt while the first is in flight does nothing.
    await el.flow.snap(take, (photo) => void kept.push(photo));
    expect(el.flow.busy).to.equal(true);
    release();
    await first;
    expect(takes).to.equal(1);
    expect(kept).to.deep.equal(['photo']);
    expect(el.camera.state).to.equal('idle');
    expect(el.flow.run).to.equal(null);
    expect(el.flow.busy).to.equal(false);
  });

  it('captureCurrentFrame() grabs a real camera frame and, without exactly one face, says why in the hint', async function () {
    this.timeout(15000);
    const worker = stubWorker({ faces: 0 });
    const el = await host('camera');
    await el.start();
    const signal = new AbortController().signal;
    expect(await el.flow.captureCurrentFrame(signal)).to.equal(null);
    expect(el.flow.hint).to.equal('no-face');
    expect(worker.images).to.deep.equal([el.camera.size]);
    el.flow.stop();
  });

  it('a camera that waits for a tap shows the tap button, and the frame loop starts after the tap', async function () {
    this.timeout(15000);
    stubWorker();
    const play = HTMLMediaElement.prototype.play;
    let refuse = true;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      return refuse ? Promise.reject(new DOMException('gesture needed', 'NotAllowedError')) : play.call(this);
    };
    cleanups.push(() => void (HTMLMediaElement.prototype.play = play));
    const el = await host('camera');
    el.renderCamera = true;
    await el.start();
    expect(el.camera.state).to.equal('needs-tap');
    expect(el.flow.phase).to.equal('starting-camera');
    await el.updateComplete;
    const tap = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="camera"] button');
    expect(tap?.textContent).to.equal('Tap to start');
    refuse = false;
    tap!.click();
    await waitUntil(() => el.framesSeen.length > 0, 'no frames after the tap', { timeout: 8000 });
    expect(el.flow.phase).to.equal('guiding');
    el.flow.stop();
  });

  it('renders the error box with "try again" for a retryable failure only', async () => {
    const el = await host('file');
    el.flow.report(new FacekitError('NETWORK'));
    await el.updateComplete;
    const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="error"] button');
    expect(el.shadowRoot!.querySelector('[part~="error"] p')!.textContent).to.equal('text of NETWORK');
    retry!.click();
    expect(el.starts).to.equal(1);
    el.flow.report(new FacekitError('NO_FACE'));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="error"] button')).to.equal(null);
  });

  it('the file chooser and the page\'s photo picker hand their photo to loadFile(); a failed pick is reported', async () => {
    const el = await host('file');
    const events = record(el);
    const input = el.shadowRoot!.querySelector('input')!;
    const chosen = new File([new Uint8Array([1, 2, 3])], 'a.jpg', { type: 'image/jpeg' });
    const transfer = new DataTransfer();
    transfer.items.add(chosen);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    expect(el.loaded).to.deep.equal([chosen]);
    // Cleared, so that the same file chosen again fires `change`.
    expect(input.value).to.equal('');
    const picked = new Blob(['photo'], { type: 'image/jpeg' });
    const answers: Array<() => Promise<Blob | null>> = [async () => picked, async () => null, async () => Promise.reject(new FacekitError('CAMERA_DENIED'))];
    el.imageSource = { pick: () => answers.shift()!() };
    await el.flow.pickImageSource();
    await el.flow.pickImageSource();
    await el.flow.pickImageSource();
    expect(el.loaded).to.deep.equal([chosen, picked]);
    expect(events.errors.map((e) => e.code)).to.deep.equal(['CAMERA_DENIED']);
  });

  it('keeps one endpoint client that follows the endpoint, the ticket and the language', async () => {
    const el = await host();
    el.endpoint = 'https://one.test';
    el.ticket = 't-1';
    const client = el.flow.client;
    expect(client.endpoint).to.equal('https://one.test');
    expect(client.ticket).to.equal('t-1');
    expect(client.lang).to.equal('en');
    el.endpoint = 'https://two.test';
    el.ticket = '';
    el.setAttribute('lang', 'zh-CN');
    await el.updateComplete;
    expect(el.flow.client).to.equal(client);
    expect(client.endpoint).to.equal('https://two.test');
    expect(client.ticket).to.equal(undefined);
    expect(client.lang).to.equal('zh-CN');
  });

  it('back online with an upload queued, resends it; a disconnection mid-flow returns to captured', async () => {
    const el = await host();
    el.flow.setPhase('queued');
    window.dispatchEvent(new Event('online'));
    expect(el.resent).to.equal(1);
    el.flow.setPhase('done');
    window.dispatchEvent(new Event('online'));
    expect(el.resent).to.equal(1);

    el.photo = { blob: new Blob(), width: 1, height: 1, quality: 1, face: FACE.box };
    const upload = el.flow.beginUpload();
    el.flow.setPhase('uploading');
    el.remove();
    expect(upload.signal.aborted).to.equal(true);
    expect(el.flow.phase).to.equal('captured');
    window.dispatchEvent(new Event('online'));
    expect(el.resent).to.equal(1);
  });

  it('after a failed upload, resends by itself after each wait, not while offline, at most 10 times, and not once the phase moves on', async () => {
    const el = await host();
    const events = record(el);
    const offline = new FacekitError('NETWORK');
    /** An upload that fails on the network, as the elements' submit() report it. */
    const uploadFails = () => {
      el.flow.setPhase('uploading');
      el.flow.failUpload(offline);
    };
    uploadFails();
    await waitUntil(() => el.resent === 1, 'a first resend after the first wait', { timeout: 2000 });
    const queuedAt = performance.now();
    uploadFails();
    expect(el.flow.phase).to.equal('queued');
    expect(el.flow.error?.code, 'the failure stays shown, with its "try again"').to.equal('NETWORK');
    expect(events.errors, 'an automatic resend failing again sends no second facekit-error').to.have.length(1);
    await waitUntil(() => el.resent === 2, 'a second resend', { timeout: 2000 });
    expect(performance.now() - queuedAt).to.be.at.least(RESEND_WAITS_MS[1]! - 5, 'the second wait is the longer one');

    // Offline: the timer comes back without spending an attempt.
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      uploadFails();
      await pause(RESEND_WAITS_MS[1]! * 3);
      expect(el.resent).to.equal(2);
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
    }
    await waitUntil(() => el.resent === 3, 'online again, the waiting resend goes', { timeout: 2000 });

    while (el.resent < 10) {
      const count = el.resent;
      uploadFails();
      await waitUntil(() => el.resent === count + 1, `resend ${count + 1}`, { timeout: 2000 });
    }
    uploadFails();
    await pause(RESEND_WAITS_MS[1]! * 3);
    expect(el.resent, 'no more than 10 by itself').to.equal(10);
    window.dispatchEvent(new Event('online'));
    expect(el.resent, 'coming back online still resends').to.equal(11);

    // A phase set by other means than a failed upload plans nothing; a result, or leaving the
    // page, ends the waiting of a new failed upload.
    el.flow.setPhase('done');
    el.flow.setPhase('queued');
    await pause(RESEND_WAITS_MS[0]! * 3);
    expect(el.resent).to.equal(11);
    uploadFails();
    el.flow.setPhase('done');
    await pause(RESEND_WAITS_MS[0]! * 3);
    expect(el.resent).to.equal(11);
    uploadFails();
    el.remove();
    await pause(RESEND_WAITS_MS[0]! * 3);
    expect(el.resent).to.equal(11);
    // The first failure, and the two failed uploads after a result: each told once.
    expect(events.errors.map((error) => error.code)).to.deep.equal(['NETWORK', 'NETWORK', 'NETWORK']);
  });

  it('submittable() says why nothing can be sent (no photo, then no endpoint) in the host\'s language, and the phase stays', async () => {
    const el = await host();
    const events = record(el);
    const photo: Capture = { blob: new Blob(['jpeg'], { type: 'image/jpeg' }), width: 8, height: 8, quality: 0.9, face: FACE.box };
    let checksRun = 0;
    const checks = () => void checksRun++;
    // Neither a photo nor an endpoint: the photo is named first.
    expect(el.flow.submittable(null, checks)).to.equal(null);
    expect(el.flow.submittable(photo, checks)).to.equal(null);
    el.setAttribute('lang', 'zh-CN');
    expect(el.flow.submittable(null, checks)).to.equal(null);
    expect(el.flow.submittable(photo, checks)).to.equal(null);
    expect(events.errors).to.deep.equal([
      { code: 'BAD_REQUEST', message: 'Take or choose a photo first', retryable: false },
      { code: 'BAD_REQUEST', message: 'The element has no endpoint set', retryable: false },
      { code: 'BAD_REQUEST', message: '请先拍摄或选择照片', retryable: false },
      { code: 'BAD_REQUEST', message: '未设置 endpoint', retryable: false },
    ]);
    expect(checksRun).to.equal(0);
    expect(el.flow.phase).to.equal('idle');
    expect(events.phases()).to.deep.equal([]);
    expect(el.flow.error?.message).to.equal('未设置 endpoint');
  });

  it('submittable() hands over the photo once the endpoint is set and the host\'s own checks pass; nothing while uploading', async () => {
    const el = await host();
    const events = record(el);
    const photo: Capture = { blob: new Blob(['jpeg'], { type: 'image/jpeg' }), width: 8, height: 8, quality: 0.9, face: FACE.box };
    el.endpoint = 'http://127.0.0.1:9';
    let checksRun = 0;
    expect(el.flow.submittable(photo, () => void checksRun++)).to.equal(photo);
    expect(el.flow.submittable(photo)).to.equal(photo);
    expect(checksRun).to.equal(1);
    expect(events.errors).to.deep.equal([]);

    // The host's own check fails: its message is reported as it is.
    const refused = el.flow.submittable(photo, () => {
      throw localError('BAD_REQUEST', 'Choose a group first');
    });
    expect(refused).to.equal(null);
    expect(events.errors).to.deep.equal([{ code: 'BAD_REQUEST', message: 'Choose a group first', retryable: false }]);

    // An upload in flight: null, with nothing said and no check run.
    el.flow.setPhase('uploading');
    expect(el.flow.submittable(null, () => void checksRun++)).to.equal(null);
    expect(checksRun).to.equal(1);
    expect(events.errors).to.have.length(1);
    expect(el.flow.phase).to.equal('uploading');
  });

  it('requirePhoto() and requireEndpoint() throw the element\'s own BAD_REQUEST, shown as it is', async () => {
    const el = await host();
    expect(el.flow.requirePhoto('photo')).to.equal('photo');
    const thrown = (check: () => unknown): FacekitError => {
      try {
        check();
      } catch (error) {
        return error as FacekitError;
      }
      throw new Error('nothing thrown');
    };
    const noPhoto = thrown(() => el.flow.requirePhoto(null));
    const noEndpoint = thrown(() => el.flow.requireEndpoint());
    expect([noPhoto.code, noPhoto.message, isLocalError(noPhoto)]).to.deep.equal(['BAD_REQUEST', 'Take or choose a photo first', true]);
    expect([noEndpoint.code, noEndpoint.message, isLocalError(noEndpoint)]).to.deep.equal(['BAD_REQUEST', 'The element has no endpoint set', true]);
    el.endpoint = 'http://127.0.0.1:9';
    expect(() => el.flow.requireEndpoint()).not.to.throw();
  });

  it('failUpload() queues a network failure when the upload is queueable; anything else ends in error', async () => {
    const el = await host();
    const events = record(el);
    const offline = new FacekitError('NETWORK');
    el.flow.setPhase('uploading');
    expect(el.flow.failUpload(offline)).to.equal(true);
    expect(el.flow.phase).to.equal('queued');
    el.flow.setPhase('uploading');
    expect(el.flow.failUpload(offline, false)).to.equal(false);
    expect(el.flow.phase).to.equal('error');
    el.flow.setPhase('uploading');
    expect(el.flow.failUpload(new FacekitError('VENDOR_ERROR'))).to.equal(false);
    expect(el.flow.phase).to.equal('error');
    expect(events.phases()).to.deep.equal(['uploading', 'queued', 'uploading', 'error', 'uploading', 'error']);
    expect(events.errors.map((error) => error.code)).to.deep.equal(['NETWORK', 'NETWORK', 'VENDOR_ERROR']);
  });

  it('reset() ends the flow and the upload, forgets the error and follows source="file"', async () => {
    const el = await host('file');
    el.flow.fail(new FacekitError('NO_FACE'));
    el.flow.retryAction = async () => {};
    const upload = el.flow.beginUpload();
    el.flow.reset();
    expect(upload.signal.aborted).to.equal(true);
    expect(el.flow.error).to.equal(null);
    expect(el.flow.retryAction).to.equal(null);
    expect(el.flow.fileFallback).to.equal(true);
  });
});
