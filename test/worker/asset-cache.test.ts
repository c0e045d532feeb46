// The worker's asset cache, run on the page (it needs only fetch, Cache Storage and IndexedDB):
// the first read comes from the network and is kept, the next from Cache Storage; the wasm
// compiles from the network Response and then from the kept one; a new build id starts a new cache and deletes the old ones; a
// wrapped Emscripten factory instantiates the compiled module and fails (rather than waits) when it
// cannot. Then the real vision worker: every model it loads (detector, landmarks, segmentation)
// lands in its cache. The runtime's loader URL carries the build id.
import { expect } from '@open-wc/testing';
import { releaseProxy, transfer, wrap } from 'comlink';
import { AssetCache, assetsBuildId, shortHash, withCompiledWasm, type EmscriptenModuleFactory } from '../../packages/core/src/worker/asset-cache.js';
import { versionedUrl } from '../../packages/core/src/worker/runtime-host.js';
import type { VisionApi } from '../../packages/core/src/shared/types.js';

const ASSETS_BASE = new URL('/build/assets/', location.href).href;
const MODEL_URL = `${ASSETS_BASE}models/face_detector_short.tflite`;
const WASM_URL = `${ASSETS_BASE}wasm/vision_wasm_module_internal.wasm`;
/** The smallest valid module: no imports, no exports. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
/** A module that imports the function `env.f`. */
const IMPORTING_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01,
  0x66, 0x00, 0x00,
]);

const kitCaches = async () => (await caches.keys()).filter((name) => name.startsWith('facekit-assets-'));

async function clearKitCaches(): Promise<void> {
  for (const name of await kitCaches()) await caches.delete(name);
}

describe('asset cache', () => {
  const buildId = `test-${Math.random().toString(36).slice(2)}`;

  before(async () => {
    const response = await fetch(MODEL_URL, { method: 'HEAD' });
    expect(response.ok, 'the prepared models at /build/assets (node scripts/prepare-models.mjs)').to.equal(true);
    await clearKitCaches();
  });

  after(clearKitCaches);

  it('reads a model from the network once, then from Cache Storage', async () => {
    const requested: string[] = [];
    const cache = new AssetCache({ buildId, fetch: (input, init) => (requested.push(String(input)), fetch(input, init)) });
    const first = await cache.bytes(MODEL_URL);
    const second = await new AssetCache({ buildId, fetch: () => Promise.reject(new TypeError('offline')) }).bytes(MODEL_URL);
    expect(first.source).to.equal('network');
    expect(second.source).to.equal('cache-storage');
    expect(second.bytes.length).to.equal(first.bytes.length);
    expect(requested).to.deep.equal([MODEL_URL]);
  });

  it('compiles the wasm from the kept Response', async () => {
    const cache = new AssetCache({ buildId });
    const cold = await cache.compileWasm(WASM_URL);
    const warm = await cache.compileWasm(WASM_URL);
    expect(cold.source).to.equal('network');
    expect(warm.source).to.equal('cache-storage');
    expect(WebAssembly.Module.exports(warm.module).length).to.be.greaterThan(0);
  });

  it('is named by the build id, and a new build id removes the caches of the others', async () => {
    const current = new AssetCache({ buildId });
    expect(current.name).to.equal(`facekit-assets-2-${buildId}`);
    expect((await current.bytes(MODEL_URL)).source).to.equal('cache-storage');
    const next = new AssetCache({ buildId: `${buildId}-next` });
    expect((await next.bytes(MODEL_URL)).source, 'a new build reads nothing of the old one').to.equal('network');
    // The old caches go in the background.
    const deadline = performance.now() + 5000;
    while ((await kitCaches()).length > 1 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await kitCaches()).to.deep.equal([next.name]);
    expect((await new AssetCache({ buildId: `${buildId}-next` }).bytes(MODEL_URL)).source, 'the new build keeps its own').to.equal('cache-storage');
  });

  it('without a build id from the kit\'s build, is named by the vision bundle\'s URL', () => {
    // The test bundle is not built by scripts/build.mjs: no assets hash in it.
    expect(assetsBuildId()).to.equal(shortHash(location.href));
    expect(new AssetCache().name).to.equal(`facekit-assets-2-${shortHash(location.href)}`);
    // A build id that is not a plain token is hashed into the name.
    expect(new AssetCache({ buildId: 'https://cdn.example/kit/ 1' }).name).to.equal(`facekit-assets-2-${shortHash('https://cdn.example/kit/ 1')}`);
  });

  it('disabled, every read is a download', async () => {
    const cache = new AssetCache({ buildId, disabled: true });
    expect((await cache.bytes(MODEL_URL)).source).to.equal('network');
    expect((await cache.bytes(MODEL_URL)).source).to.equal('network');
  });
});

describe('the vision worker\'s cache', function () {
  this.timeout(300_000);
  let worker: Worker;
  let vision: ReturnType<typeof wrap<VisionApi>>;

  before(async () => {
    await clearKitCaches();
    worker = new Worker(new URL('../../packages/core/src/worker/vision.worker.ts', import.meta.url), { type: 'module' });
    vision = wrap<VisionApi>(worker);
    await vision.init({ assetsBase: ASSETS_BASE });
  });

  after(async () => {
    vision?.[releaseProxy]();
    worker?.terminate();
    await clearKitCaches();
  });

  const blankCanvas = (width: number, height: number) => {
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d')!.fillRect(0, 0, width, height);
    return canvas;
  };

  /** File names in the kit's caches. */
  const cachedFiles = async () => {
    const files: string[] = [];
    for (const name of await kitCaches()) for (const request of await (await caches.open(name)).keys()) files.push(request.url.slice(ASSETS_BASE.length));
    return files.sort();
  };

  it('keeps the runtime and the short-range model after init()', async () => {
    expect(await cachedFiles()).to.deep.equal(['models/face_detector_short.tflite', 'wasm/vision_wasm_module_internal.wasm']);
    expect(await kitCaches()).to.have.length(1);
  });

  it('keeps the landmark model once landmarks are asked for', async () => {
    const frame = await createImageBitmap(blankCanvas(64, 64));
    await vision.landmarks(transfer(frame, [frame]), 1);
    expect(await cachedFiles()).to.include('models/face_landmarker.task');
  });

  it('keeps the segmentation model once an ID photo is asked for', async () => {
    const blank = await createImageBitmap(blankCanvas(320, 240));
    // No face on a blank image: the photo fails, after the segmenter has loaded.
    await vision.makeIdPhoto(transfer(blank, [blank]), { spec: 'small-one-inch', color: 'white' }).catch(() => undefined);
    expect(await cachedFiles()).to.include('models/selfie_segmenter.tflite');
  });
});

describe('the runtime loader\'s URL', () => {
  it('carries the build id in its query, so that it can be cached as immutable', () => {
    expect(versionedUrl('https://kit.example/assets/wasm/vision_wasm_internal.js', '3a929981bfc04864')).to.equal(
      'https://kit.example/assets/wasm/vision_wasm_internal.js?v=3a929981bfc04864',
    );
    expect(versionedUrl('https://kit.example/a.js?x=1', 'b c')).to.equal('https://kit.example/a.js?x=1&v=b%20c');
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
