import { expect } from '@open-wc/testing';
import {
  createLadderWorker,
  KeyedFacekitError,
  LadderWorker,
  planWorkerRungs,
  type WorkerEndpoint,
} from '../../packages/core/src/client/worker-ladder.js';
import { onLoadProgress } from '../../packages/core/src/client/load-progress.js';
import type { Environment } from '../../packages/core/src/client/environment.js';

const FULL: Environment = {
  wechat: false,
  wechatMiniProgram: false,
  ios: false,
  android: false,
  camera: true,
  workers: true,
  moduleWorkers: true,
  offscreenCanvas: true,
  webgl2InWorker: true,
  webgl2: true,
  wasm: true,
  wasmSimd: true,
  indexedDB: true,
};

/** A stand-in worker: records what it is sent; `say()` plays a message from the worker. */
class FakeEndpoint extends EventTarget implements WorkerEndpoint {
  readonly received: unknown[] = [];
  terminated = false;
  postMessage(message: unknown): void {
    this.received.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  say(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
  crash(message: string): ErrorEvent {
    const event = new ErrorEvent('error', { message, cancelable: true });
    this.dispatchEvent(event);
    return event;
  }
}

describe('planWorkerRungs', () => {
  it('climbs module, classic, page when everything is there', () => {
    expect(planWorkerRungs(FULL)).to.deep.equal(['module', 'classic', 'main-thread']);
  });
  it('skips the module rung without module workers or without SIMD (no module runtime)', () => {
    expect(planWorkerRungs({ ...FULL, moduleWorkers: false })).to.deep.equal(['classic', 'main-thread']);
    expect(planWorkerRungs({ ...FULL, wasmSimd: false })).to.deep.equal(['classic', 'main-thread']);
  });
  it('keeps to the page without workers, OffscreenCanvas, or WebGL 2 on it (iOS < 16.4 / 17)', () => {
    expect(planWorkerRungs({ ...FULL, workers: false, moduleWorkers: false })).to.deep.equal(['main-thread']);
    expect(planWorkerRungs({ ...FULL, offscreenCanvas: false })).to.deep.equal(['main-thread']);
    expect(planWorkerRungs({ ...FULL, webgl2InWorker: false })).to.deep.equal(['main-thread']);
  });
  it('has nothing without WebAssembly or without WebGL 2 anywhere', () => {
    expect(planWorkerRungs({ ...FULL, wasm: false })).to.deep.equal([]);
    expect(planWorkerRungs({ ...FULL, webgl2InWorker: false, webgl2: false })).to.deep.equal([]);
  });
});

describe('createLadderWorker', () => {
  it('throws UNSUPPORTED with its own message key when nothing can run', () => {
    for (const [environment, key] of [
      [{ ...FULL, wasm: false }, 'error.no-wasm'],
      [{ ...FULL, webgl2: false, webgl2InWorker: false }, 'error.no-webgl'],
    ] as const) {
      let thrown: unknown;
      try {
        createLadderWorker({ environment });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(KeyedFacekitError);
      expect((thrown as KeyedFacekitError).code).to.equal('UNSUPPORTED');
      expect((thrown as KeyedFacekitError).messageKey).to.equal(key);
    }
  });

  it('moves down a rung when one cannot be created or fails before its hello, replaying what was sent', async () => {
    const classic = new FakeEndpoint();
    const page = new FakeEndpoint();
    const ladder = createLadderWorker({
      rungs: ['module', 'classic', 'main-thread'],
      factories: {
        module: () => {
          throw new TypeError('module workers are not supported');
        },
        classic: () => classic,
        'main-thread': () => page,
      },
    }) as unknown as LadderWorker;
    expect(ladder.rung).to.equal('classic');
    const seen: unknown[] = [];
    ladder.addEventListener('message', (event) => seen.push((event as MessageEvent).data));
    const errors: string[] = [];
    ladder.addEventListener('error', (event) => errors.push((event as ErrorEvent).message));

    ladder.postMessage({ id: 'init-1', type: 'APPLY' }, []);
    expect(classic.received).to.deep.equal([{ id: 'init-1', type: 'APPLY' }]);
    // The classic script does not parse (say, an old engine): quietly on to the page.
    const crash = classic.crash('SyntaxError: Unexpected token');
    expect(crash.defaultPrevented).to.equal(true);
    expect(classic.terminated).to.equal(true);
    expect(ladder.rung).to.equal('main-thread');
    expect(page.received).to.deep.equal([{ id: 'init-1', type: 'APPLY' }]);
    expect(errors).to.deep.equal([]);

    page.say({ facekitHello: { host: 'page' } });
    expect(ladder.host).to.equal('page');
    page.say({ id: 'init-1', type: 'HANDLER', value: 42 });
    expect(seen).to.deep.equal([{ id: 'init-1', type: 'HANDLER', value: 42 }], 'hello is not passed on; answers are');

    // After the hello, a failure is the bridge's to handle.
    page.crash('RangeError: out of memory');
    expect(errors).to.deep.equal(['RangeError: out of memory']);
    ladder.terminate();
    expect(page.terminated).to.equal(true);
  });

  it('reports a failure when the last rung fails too, and publishes load progress', () => {
    const only = new FakeEndpoint();
    const ladder = createLadderWorker({ rungs: ['classic'], factories: { classic: () => only } }) as unknown as LadderWorker;
    const progress: number[] = [];
    const stop = onLoadProgress((snapshot) => progress.push(snapshot.loaded));
    only.say({ facekitProgress: { loaded: 1200, total: 4100, files: [] } });
    stop();
    expect(progress).to.deep.equal([1200]);
    const errors: string[] = [];
    ladder.addEventListener('error', (event) => errors.push((event as ErrorEvent).message));
    only.crash('NetworkError');
    expect(errors).to.have.length(1);
    expect(errors[0]).to.contain('classic: NetworkError');
  });
});
