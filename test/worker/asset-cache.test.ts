// The worker's asset cache, run on the page (it needs only fetch, Cache Storage and IndexedDB):
// the first read comes from the network and is kept, the next from Cache Storage; the wasm
// compiles from the kept Response; a wrapped Emscripten factory instantiates the compiled module
// and fails (rather than waits) when it cannot.
import { expect } from '@open-wc/testing';
import { AssetCache, withCompiledWasm, type EmscriptenModuleFactory } from '../../packages/core/src/worker/asset-cache.js';

const MODEL_URL = new URL('/build/assets/models/face_detector_short.tflite', location.href).href;
const WASM_URL = new URL('/build/assets/wasm/vision_wasm_module_internal.wasm', location.href).href;
/** The smallest valid module: no imports, no exports. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
/** A module that imports the function `env.f`. */
const IMPORTING_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01,
  0x66, 0x00, 0x00,
]);

describe('asset cache', () => {
  const buildId = `test-${Math.random().toString(36).slice(2)}`;
  let available = true;

  before(async () => {
    available = (await fetch(MODEL_URL, { method: 'HEAD' })).ok;
  });

  after(async () => {
    for (const name of await caches.keys()) if (name.includes('facekit-assets-')) await caches.delete(name);
  });

  it('reads a model from the network once, then from Cache Storage', async function () {
    if (!available) this.skip();
    const requested: string[] = [];
    const cache = new AssetCache({ buildId, fetch: (input, init) => (requested.push(String(input)), fetch(input, init)) });
    const first = await cache.bytes(MODEL_URL);
    const second = await new AssetCache({ buildId, fetch: () => Promise.reject(new TypeError('offline')) }).bytes(MODEL_URL);
    expect(first.source).to.equal('network');
    expect(second.source).to.equal('cache-storage');
    expect(second.bytes.length).to.equal(first.bytes.length);
    expect(requested).to.deep.equal([MODEL_URL]);
  });

  it('compiles the wasm from the kept Response', async function () {
    if (!available) this.skip();
    const cache = new AssetCache({ buildId });
    const cold = await cache.compileWasm(WASM_URL);
    const warm = await cache.compileWasm(WASM_URL);
    expect(cold.source).to.equal('network');
    expect(warm.source).to.equal('cache-storage');
    expect(WebAssembly.Module.exports(warm.module).length).to.be.greaterThan(0);
  });

  it('a new build id starts a new cache and removes the old ones', async function () {
    if (!available) this.skip();
    const next = new AssetCache({ buildId: `${buildId}-next` });
    expect((await next.bytes(MODEL_URL)).source).to.equal('network');
    // The old caches go in the background.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await caches.keys()).filter((name) => name.startsWith('facekit-assets-'))).to.deep.equal([next.name]);
  });

  it('disabled, every read is a download', async function () {
    if (!available) this.skip();
    const cache = new AssetCache({ buildId, disabled: true });
    expect((await cache.bytes(MODEL_URL)).source).to.equal('network');
    expect((await cache.bytes(MODEL_URL)).source).to.equal('network');
  });
});

describe('withCompiledWasm', () => {
  /** Stands in for an Emscripten factory: instantiates through Module.instantiateWasm, as Emscripten does. */
  const factory: EmscriptenModuleFactory = (settings) =>
    new Promise((resolve) => {
      const { instantiateWasm } = settings as { instantiateWasm: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) => unknown };
      instantiateWasm({}, (instance) => resolve({ instance, locateFileKept: 'locateFile' in (settings as object) }));
    });

  it('instantiates the compiled module, keeping the caller\'s settings', async () => {
    const module = await WebAssembly.compile(EMPTY_MODULE);
    const result = (await withCompiledWasm(factory, module)({ locateFile: (name: string) => name })) as { instance: WebAssembly.Instance; locateFileKept: boolean };
    expect(result.instance).to.be.instanceOf(WebAssembly.Instance);
    expect(result.locateFileKept).to.equal(true);
  });

  it('rejects when the module cannot be instantiated, instead of waiting for ever', async () => {
    const module = await WebAssembly.compile(IMPORTING_MODULE);
    let failure: unknown;
    try {
      await withCompiledWasm(factory, module)({});
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(Error);
  });
});
