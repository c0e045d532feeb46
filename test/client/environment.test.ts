import { expect } from '@open-wc/testing';
import { detectEnvironment, type EnvironmentGlobals } from '../../packages/core/src/client/environment.js';
import { planCapture, fallsBackFrom } from '../../packages/core/src/client/capture-ladder.js';
import {
  CHROME_DESKTOP,
  SAFARI_IOS,
  SAFARI_IPAD_DESKTOP,
  WECHAT_ANDROID,
  WECHAT_ANDROID_OLD_XWEB,
  WECHAT_IOS,
  WECHAT_IOS_MINI_PROGRAM,
} from './fixtures/wechat-agents.js';

/** Globals of a browser that has everything, as a stub (the feature tests run on these). */
function fullGlobals(): EnvironmentGlobals {
  return {
    navigator: { maxTouchPoints: 0, mediaDevices: { getUserMedia: () => undefined } },
    Worker: globalThis.Worker,
    OffscreenCanvas: globalThis.OffscreenCanvas,
    WebAssembly: globalThis.WebAssembly,
    indexedDB: globalThis.indexedDB,
  };
}

describe('detectEnvironment', () => {
  it('recognises iOS WeChat by MicroMessenger, without "Safari"', () => {
    const env = detectEnvironment(WECHAT_IOS, fullGlobals());
    expect(env).to.include({ wechat: true, wechatMiniProgram: false, ios: true, android: false, iosVersion: 16.5 });
    expect(env.chromeVersion).to.equal(undefined);
  });

  it('recognises Android WeChat (XWeb) and its Chrome version', () => {
    expect(detectEnvironment(WECHAT_ANDROID, fullGlobals())).to.include({ wechat: true, android: true, ios: false, chromeVersion: 107 });
    expect(detectEnvironment(WECHAT_ANDROID_OLD_XWEB, fullGlobals())).to.include({ wechat: true, chromeVersion: 78 });
  });

  it('recognises the mini-program web-view by UA or by window.__wxjs_environment', () => {
    expect(detectEnvironment(WECHAT_IOS_MINI_PROGRAM, fullGlobals())).to.include({ wechat: true, wechatMiniProgram: true, iosVersion: 17.1 });
    const byGlobal = detectEnvironment(WECHAT_ANDROID, { ...fullGlobals(), __wxjs_environment: 'miniprogram' });
    expect(byGlobal.wechatMiniProgram).to.equal(true);
  });

  it('is not WeChat in Safari or Chrome; an iPad asking for desktop pages is still iOS', () => {
    expect(detectEnvironment(SAFARI_IOS, fullGlobals())).to.include({ wechat: false, ios: true, iosVersion: 17.4 });
    expect(detectEnvironment(CHROME_DESKTOP, fullGlobals())).to.include({ wechat: false, ios: false, android: false, chromeVersion: 126 });
    const iPad = detectEnvironment(SAFARI_IPAD_DESKTOP, { ...fullGlobals(), navigator: { maxTouchPoints: 5 } });
    expect(iPad).to.include({ ios: true, iosVersion: 16.6 });
    expect(detectEnvironment(SAFARI_IPAD_DESKTOP, fullGlobals()).ios).to.equal(false, 'a Mac has no touch points');
  });

  it('tests features, whatever the UA says', () => {
    // This Chromium, under an iOS WeChat UA: every capability is still measured, not guessed.
    const env = detectEnvironment(WECHAT_IOS, globalThis as unknown as EnvironmentGlobals, { probeWebGL: true });
    expect(env).to.include({ camera: true, workers: true, moduleWorkers: true, offscreenCanvas: true, wasm: true, wasmSimd: true, indexedDB: true });
    expect(env.webgl2InWorker).to.be.a('boolean');
    expect(env.webgl2).to.be.a('boolean');
  });

  it('reports what is missing', () => {
    const env = detectEnvironment(WECHAT_IOS, { navigator: {} });
    expect(env).to.include({ camera: false, workers: false, moduleWorkers: false, offscreenCanvas: false, wasm: false, wasmSimd: false, indexedDB: false });
    // A browser that ignores the `type` option (no module workers) never reads it.
    class ClassicOnlyWorker {
      constructor(url: string) {
        new URL(url);
      }
      terminate(): void {}
    }
    expect(detectEnvironment(WECHAT_ANDROID_OLD_XWEB, { Worker: ClassicOnlyWorker }).moduleWorkers).to.equal(false);
    const throwing = { get open(): never { throw new DOMException('denied', 'SecurityError'); } };
    expect(detectEnvironment(CHROME_DESKTOP, { indexedDB: throwing }).indexedDB).to.equal(false);
    expect(detectEnvironment(CHROME_DESKTOP, { WebAssembly: { validate: () => false } })).to.include({ wasm: true, wasmSimd: false });
  });
});

describe('planCapture', () => {
  const imageSource = { pick: async () => null };
  it('goes camera, host image source, file', () => {
    expect(planCapture({ source: 'auto', environment: { camera: true }, imageSource })).to.deep.equal(['camera', 'image-source', 'file']);
    expect(planCapture({ source: 'auto', environment: { camera: true } })).to.deep.equal(['camera', 'file']);
  });
  it('skips the camera without getUserMedia (iOS WeChat before 14.3) and for source="file"', () => {
    expect(planCapture({ source: 'auto', environment: { camera: false }, imageSource })).to.deep.equal(['image-source', 'file']);
    expect(planCapture({ source: 'file', environment: { camera: true } })).to.deep.equal(['file']);
    expect(planCapture({ source: 'camera', environment: { camera: false } })).to.deep.equal(['camera']);
  });
  it('falls back only from auto, on camera codes', () => {
    expect(fallsBackFrom('auto', 'CAMERA_DENIED')).to.equal(true);
    expect(fallsBackFrom('auto', 'MODEL_LOAD')).to.equal(false);
    expect(fallsBackFrom('camera', 'CAMERA_DENIED')).to.equal(false);
  });
});
