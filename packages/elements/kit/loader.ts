/**
 * facekit.js, the script-tag kit: a small classic script that registers all four tags, while each
 * element's code stays in an ES module chunk beside it (`assets/kit/`), fetched with `import()`
 * only when it is needed:
 *
 * - as soon as the tag appears in the document (a scan now, then a MutationObserver);
 * - when the page asks: `customElements.whenDefined(tag)`, `facekit.load(tag?)`, `facekit.ready`;
 * - otherwise at idle time after the page's `load`, so that every tag is defined shortly after
 *   (not with Save-Data, nor with `data-preload="none"` on the script tag).
 *
 * When a chunk arrives, its exports (the element class, helpers) join the `facekit` global, and
 * then the tag is defined. Elements already in the page upgrade then, keeping the properties that
 * the page set on them before (Lit saves them). Methods such as `start()` exist only after the
 * upgrade: `await customElements.whenDefined('face-enroll')` (or `facekit.load('face-enroll')`)
 * first.
 */
import type { ImageSource, WeChatImageSourceOptions, WeChatJsSdk } from '@facekit/core';

export const KIT_TAGS = ['face-enroll', 'id-photo-maker', 'liveness-check', 'skin-report'] as const;
export type KitTag = (typeof KIT_TAGS)[number];

/** Each tag's chunk, relative to this script; written in by the build (vite.config.ts). */
declare const __FACEKIT_CHUNKS__: Record<KitTag, string>;

/** The `facekit` global of the script-tag kit. */
export interface FacekitKit {
  /** The tags this script registers. */
  readonly tags: readonly KitTag[];
  /** Loads one element (resolves with its class once the tag is defined), or all of them. */
  load(tag: KitTag): Promise<CustomElementConstructor>;
  load(): Promise<void>;
  /** Resolves when all four tags are defined (and starts loading those that are not). */
  readonly ready: Promise<void>;
  /**
   * An ImageSource over the WeChat JS-SDK, usable before any element has loaded:
   * `el.imageSource = facekit.createWeChatImageSource(wx)`.
   */
  createWeChatImageSource(wx: WeChatJsSdk, options?: WeChatImageSourceOptions): ImageSource;
  /** After a chunk has loaded: its exports (`FaceEnroll`, `maskIdNumber`, …). */
  [exported: string]: unknown;
}

declare global {
  interface Window {
    facekit: FacekitKit;
  }
}

const isKitTag = (name: string): name is KitTag => (KIT_TAGS as readonly string[]).includes(name);

function install(): void {
  if (typeof window.facekit?.load === 'function') return; // included twice: the first copy serves
  // A classic script knows its own URL only while it runs; the chunks sit beside it.
  // (currentScript is null when the file is loaded as a module: then look for it by name.)
  const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="facekit"]');
  const scriptUrl = script?.src || document.baseURI;
  const loading = new Map<KitTag, Promise<void>>();
  let chunkArrived: () => void;
  const firstChunk = new Promise<void>((resolve) => (chunkArrived = resolve));

  const importChunk = (tag: KitTag): Promise<void> => {
    let pending = loading.get(tag);
    if (!pending) {
      const url = new URL(__FACEKIT_CHUNKS__[tag], scriptUrl).href;
      pending = import(/* @vite-ignore */ url).then(
        (module: Record<string, unknown>) => {
          const { KIT_ELEMENT, ...exports } = module;
          Object.assign(kit, exports);
          chunkArrived();
          if (!customElements.get(tag)) customElements.define(tag, KIT_ELEMENT as CustomElementConstructor);
        },
        (error: unknown) => {
          loading.delete(tag); // a later request tries again
          throw error;
        },
      );
      loading.set(tag, pending);
      if (loading.size === KIT_TAGS.length) observer.disconnect();
    }
    return pending;
  };

  /** Loads on the kit's own initiative: a failure is reported, nobody awaits it. */
  const autoload = (tag: KitTag): void => {
    if (loading.has(tag) || customElements.get(tag)) return;
    importChunk(tag).catch((error: unknown) => console.error(`facekit: <${tag}> could not be loaded`, error));
  };

  const selector = KIT_TAGS.join(',');
  const scan = (root: Element | Document): void => {
    if (root instanceof Element && isKitTag(root.localName)) autoload(root.localName);
    if (loading.size < KIT_TAGS.length && root.querySelector(selector)) {
      for (const tag of KIT_TAGS) if (root.querySelector(tag)) autoload(tag);
    }
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) scan(node);
  });

  function load(tag: KitTag): Promise<CustomElementConstructor>;
  function load(): Promise<void>;
  function load(tag?: KitTag): Promise<CustomElementConstructor | void> {
    if (tag === undefined) return Promise.all(KIT_TAGS.map((each) => load(each))).then(() => undefined);
    if (!isKitTag(tag)) return Promise.reject(new TypeError(`facekit has no element <${String(tag)}>`));
    return importChunk(tag).then(() => customElements.whenDefined(tag));
  }
  let ready: Promise<void> | null = null;

  const kit: FacekitKit = {
    tags: KIT_TAGS,
    load,
    get ready() {
      // A failed load (a chunk that did not arrive) may be asked for again.
      return (ready ??= load().catch((error: unknown) => {
        ready = null;
        throw error;
      }));
    },
    createWeChatImageSource(wx, options) {
      if (!wx || typeof wx.chooseImage !== 'function' || typeof wx.getLocalImgData !== 'function') {
        throw new TypeError('createWeChatImageSource needs the WeChat JS-SDK object (window.wx) with chooseImage and getLocalImgData');
      }
      // The adapter's code comes with any element's chunk (an element asks it for a photo only
      // once it is defined); until then this stands in for it.
      let source: ImageSource | null = null;
      const real = (): ImageSource | null => {
        const factory = kit.createWeChatImageSource === stand ? null : kit.createWeChatImageSource;
        return (source ??= factory ? factory(wx, options) : null);
      };
      return {
        get label() {
          return real()?.label;
        },
        async pick(pickOptions) {
          await firstChunk;
          return real()!.pick(pickOptions);
        },
      };
    },
  };
  const stand = kit.createWeChatImageSource;
  window.facekit = kit;

  // `customElements.whenDefined('face-enroll')` is how a page waits for a tag: it loads it too.
  const whenDefined = customElements.whenDefined;
  customElements.whenDefined = function (this: CustomElementRegistry, name: string) {
    if (isKitTag(name)) autoload(name);
    return whenDefined.call(this, name);
  } as CustomElementRegistry['whenDefined'];

  scan(document);
  observer.observe(document, { childList: true, subtree: true });

  // Whatever the page did not use yet comes when the browser is idle after the page's load and
  // after the chunks the page asked for, so that it never delays them. Not with Save-Data, nor with
  // `data-preload="none"` on the script tag: then only what is used is loaded.
  const saveData = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true;
  if (!saveData && script?.dataset.preload !== 'none') {
    const preloadRest = (): void => {
      void Promise.allSettled(loading.values()).then(() => {
        const run = (): void => KIT_TAGS.forEach(autoload);
        if ('requestIdleCallback' in window) requestIdleCallback(run, { timeout: 2000 });
        else setTimeout(run, 200);
      });
    };
    if (document.readyState === 'complete') preloadRest();
    else window.addEventListener('load', preloadRest, { once: true });
  }
}

install();
