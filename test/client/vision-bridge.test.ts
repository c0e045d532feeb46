import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { VisionBridge, VisionController } from '../../packages/core/src/client/index.js';
import { kitFailure } from './kit-failure.js';

const workerUrl = new URL('./fixtures/fake-vision.worker.ts', import.meta.url);

/** A bridge over the fake worker; `starts` counts the workers created. */
function fakeBridge(query = '', options: { idleMs?: number; initTimeoutMs?: number } = {}) {
  const counter = { starts: 0 };
  const bridge = new VisionBridge({
    assetsBase: `https://assets.example/facekit/${query ? `?${query}` : ''}`,
    createWorker: () => {
      counter.starts++;
      return new Worker(workerUrl, { type: 'module' });
    },
    ...options,
  });
  return { bridge, counter };
}

async function bitmap(width = 8, height = 6): Promise<ImageBitmap> {
  return createImageBitmap(new ImageData(width, height));
}


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the next message of the given type from the fake worker. */
function nextEvent(type: string): Promise<void> {
  const channel = new BroadcastChannel('fake-vision');
  return new Promise((resolve) => {
    channel.onmessage = (event: MessageEvent<{ type: string }>) => {
      if (event.data.type !== type) return;
      channel.close();
      resolve();
    };
  });
}

describe('VisionBridge', () => {
  const bridges: VisionBridge[] = [];
  afterEach(async () => {
    await Promise.all(bridges.splice(0).map((bridge) => bridge.shutdown()));
  });
  function make(query = '', options: { idleMs?: number; initTimeoutMs?: number } = {}) {
    const made = fakeBridge(query, options);
    bridges.push(made.bridge);
    return made;
  }

  it('starts the worker lazily and calls init once', async () => {
    const { bridge, counter } = make();
    expect(counter.starts).to.equal(0);
    expect(bridge.alive).to.equal(false);
    const info = await bridge.ready();
    expect(info).to.deep.equal({ startMs: 1, delegate: 'CPU' });
    await bridge.ready();
    await bridge.resetSession();
    expect(counter.starts).to.equal(1);
    expect(await bridge.blockedRequests()).to.deep.equal(['init:/facekit/', 'reset']);
  });

  it('runs calls one at a time, in order, and transfers frames', async () => {
    const { bridge } = make('delay=30');
    const frames = await Promise.all([bitmap(), bitmap(), bitmap()]);
    const results = await Promise.all([
      bridge.analyzeFrame(frames[0], 1),
      bridge.analyzeImage(frames[1]),
      bridge.analyzeFrame(frames[2], 2),
      bridge.detect(frames[1], 'short'),
      bridge.encodeBest(),
    ]);
    expect(results[0].width).to.equal(8);
    expect(results[3]).to.have.length(1);
    expect(results[4]).to.equal(null);
    // Transferred frames are detached here; the still image was copied and is still usable.
    expect(frames[0].width).to.equal(0);
    expect(frames[2].width).to.equal(0);
    expect(frames[1].width).to.equal(8);
    const calls = await bridge.blockedRequests();
    expect(calls).to.deep.equal(['init:/facekit/', 'frame:1', 'image', 'frame:2', 'detect:short', 'encode']);
  });

  it('an aborted queued call never reaches the worker, and its frame is freed', async () => {
    const { bridge } = make('delay=50');
    const first = bridge.analyzeFrame(await bitmap(), 1);
    const controller = new AbortController();
    const frame = await bitmap();
    const second = bridge.analyzeFrame(frame, 2, controller.signal);
    const third = bridge.analyzeFrame(await bitmap(), 3);
    controller.abort();
    const error = await kitFailure(second);
    expect(error.code).to.equal('ABORTED');
    expect(frame.width).to.equal(0); // closed, not leaked
    await Promise.all([first, third]);
    expect(await bridge.blockedRequests()).to.deep.equal(['init:/facekit/', 'frame:1', 'frame:3']);
  });

  it('rejects at once when the signal is already aborted, and answers a running call early on abort', async () => {
    const { bridge } = make('delay=200');
    const aborted = AbortSignal.abort();
    expect((await kitFailure(bridge.resetSession(aborted))).code).to.equal('ABORTED');
    expect(bridge.alive).to.equal(false);

    await bridge.ready();
    const controller = new AbortController();
    const started = performance.now();
    const running = bridge.analyzeFrame(await bitmap(), 7, controller.signal);
    await sleep(20);
    controller.abort();
    expect((await kitFailure(running)).code).to.equal('ABORTED');
    expect(performance.now() - started).to.be.below(150);
    // The queue still waits for the worker to finish it: one call at a time.
    expect(await bridge.blockedRequests()).to.deep.equal(['init:/facekit/', 'frame:7']);
  });

  it('does not pile abort listeners on a long-lived signal', async () => {
    const { bridge } = make();
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    }) as typeof remove;
    for (let i = 0; i < 5; i++) await bridge.analyzeFrame(await bitmap(), i, signal);
    expect(added).to.equal(5);
    expect(removed).to.equal(5);
  });

  it('shuts the idle worker down (dispose, then terminate) and restarts on the next call', async () => {
    const { bridge, counter } = make('', { idleMs: 400 });
    await bridge.ready();
    const disposed = nextEvent('dispose');
    expect(bridge.alive).to.equal(true);
    await sleep(250);
    await bridge.resetSession(); // a call postpones the shutdown
    await sleep(200);
    expect(bridge.alive).to.equal(true);
    await disposed;
    await sleep(20);
    expect(bridge.alive).to.equal(false);
    expect(counter.starts).to.equal(1);

    await bridge.analyzeFrame(await bitmap(), 1);
    expect(counter.starts).to.equal(2);
    // A fresh worker: its log starts over.
    expect(await bridge.blockedRequests()).to.deep.equal(['init:/facekit/', 'frame:1']);
  });

  it('turns a failing init into a retryable MODEL_LOAD, failing the queued calls, and retries fresh', async () => {
    const { bridge, counter } = make('fail');
    const calls = [bridge.ready(), bridge.resetSession(), bridge.analyzeFrame(await bitmap(), 1)];
    const errors = await Promise.all(calls.map(kitFailure));
    for (const error of errors) {
      expect(error.code).to.equal('MODEL_LOAD');
      expect(error.retryable).to.equal(true);
    }
    expect(errors[0].message).to.contain('models missing');
    expect(counter.starts).to.equal(1);
    expect(bridge.alive).to.equal(false);
    await kitFailure(bridge.ready());
    expect(counter.starts).to.equal(2);
  });

  it('bounds init with a timeout', async () => {
    const { bridge } = make('hang', { initTimeoutMs: 200 });
    const error = await kitFailure(bridge.ready());
    expect(error.code).to.equal('MODEL_LOAD');
    expect(error.message).to.contain('200 ms');
  });

  it('reports a worker that cannot load, or that crashes, as MODEL_LOAD without hanging', async () => {
    const missing = new VisionBridge({
      assetsBase: 'https://assets.example/',
      createWorker: () => new Worker(new URL('./fixtures/no-such.worker.js', import.meta.url), { type: 'module' }),
    });
    bridges.push(missing);
    expect((await kitFailure(missing.ready())).code).to.equal('MODEL_LOAD');

    const { bridge: crashing } = make('crash');
    expect((await kitFailure(crashing.ready())).code).to.equal('MODEL_LOAD');

    const { bridge, counter } = make();
    await bridge.ready();
    const error = await kitFailure(bridge.analyzeFrame(await bitmap(), -1));
    expect(error.code).to.equal('MODEL_LOAD');
    expect(error.message).to.contain('worker crashed');
    expect(bridge.alive).to.equal(false);
    await bridge.analyzeFrame(await bitmap(), 1);
    expect(counter.starts).to.equal(2);
  });

  it('keeps the kit code of an error thrown by the worker, and keeps the worker', async () => {
    const { bridge, counter } = make();
    const error = await kitFailure(bridge.detect(await bitmap(), 'full'));
    expect(error.code).to.equal('MODEL_LOAD');
    expect(error.retryable).to.equal(true);
    expect(error.message).to.contain('no such model');
    expect(await bridge.detect(await bitmap(), 'short')).to.have.length(1);
    expect(counter.starts).to.equal(1);
  });

  it('starts the real vision worker by default, and reports missing assets as MODEL_LOAD', async () => {
    const bridge = new VisionBridge({ assetsBase: `${location.origin}/__facekit-test/no-assets/` });
    bridges.push(bridge);
    const error = await kitFailure(bridge.ready());
    expect(error.code).to.equal('MODEL_LOAD');
    expect(error.retryable).to.equal(true);
    expect(bridge.alive).to.equal(false);
  });

  it('shares one bridge per assets base', () => {
    const a = VisionBridge.shared('https://cdn.example/kit/assets');
    const b = VisionBridge.shared('https://cdn.example/kit/assets/');
    const c = VisionBridge.shared('https://cdn.example/other/assets/');
    expect(a).to.equal(b);
    expect(a).to.not.equal(c);
    expect(a.assetsBase).to.equal('https://cdn.example/kit/assets/');
  });
});

class VisionHost extends LitElement {
  assetsBase = 'https://cdn.example/host/assets/';
  readonly vision = new VisionController(this, () => this.assetsBase);
}
customElements.define('test-vision-host', VisionHost);

describe('VisionController', () => {
  it('holds the shared bridge while connected and follows assets-base', async () => {
    const first = await fixture<VisionHost>(html`<test-vision-host></test-vision-host>`);
    const second = await fixture<VisionHost>(html`<test-vision-host></test-vision-host>`);
    const bridge = first.vision.bridge;
    expect(second.vision.bridge).to.equal(bridge);
    expect(bridge).to.equal(VisionBridge.shared('https://cdn.example/host/assets/'));
    const references = (target: VisionBridge) => (target as unknown as { references: number }).references;
    expect(references(bridge)).to.equal(2);

    first.assetsBase = 'https://cdn.example/elsewhere/assets/';
    expect(first.vision.bridge).to.not.equal(bridge);
    expect(references(bridge)).to.equal(1);
    second.remove();
    expect(references(bridge)).to.equal(0);
    // Read after removal: no reference is taken.
    void second.vision.bridge;
    expect(references(bridge)).to.equal(0);
  });
});
