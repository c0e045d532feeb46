// Languages of the kit: the catalogue is complete in zh-CN and en, `lang` switches every visible
// string of an element, and a page's `messages` overrides reach every one of them (so no string
// bypasses the catalogue). Walks <face-enroll> through its states; other elements add theirs.
import { expect, fixture, html } from '@open-wc/testing';
import { FacekitError, KIT_CODES, MESSAGES, type Capture, type KitCode, type Lang, type MessageKey, type MessageOverrides, type Phase } from '@facekit/core';
import '../face-enroll/define.js';
import type { FaceEnroll } from '../face-enroll/face-enroll.js';
import type { FaceEnrollResultDetail } from '../events.js';

const LANGS: Lang[] = ['zh-CN', 'en'];
const CJK = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/;
/** Strings with no words in them: numbers, percentages, dashes, the test's own data. */
const NEUTRAL = /^(?:[\s\d.,:%()—–\-/+*]*|p-1|f-1|Ada)$/;
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();

describe('message catalogue', () => {
  it('has every key in both languages, with text and the same placeholders', () => {
    const zhKeys = Object.keys(MESSAGES['zh-CN']).sort();
    const enKeys = Object.keys(MESSAGES.en).sort();
    expect(zhKeys).to.deep.equal(enKeys);
    for (const key of enKeys as MessageKey[]) {
      for (const lang of LANGS) expect(MESSAGES[lang][key].trim(), `${lang} ${key}`).to.not.equal('');
      expect(placeholders(MESSAGES['zh-CN'][key]), `placeholders of ${key}`).to.deep.equal(placeholders(MESSAGES.en[key]));
      expect(CJK.test(MESSAGES.en[key]), `en ${key} is English`).to.equal(false);
    }
  });

  it('has a message for every kit code in both languages', () => {
    for (const [code, info] of Object.entries(KIT_CODES)) {
      for (const lang of LANGS) expect(info.message[lang].trim(), `${lang} ${code}`).to.not.equal('');
      expect(CJK.test(info.message.en), `en ${code}`).to.equal(false);
      expect(CJK.test(info.message['zh-CN']), `zh-CN ${code}`).to.equal(true);
    }
  });
});

// ── walking an element through its states ───────────────────────────────────

/** Every string a user can see or hear in the shadow root: text, and the accessible attributes. */
function visibleStrings(root: ShadowRoot): string[] {
  const strings: string[] = [];
  const walk = (node: Node): void => {
    if (node instanceof HTMLStyleElement || (node instanceof HTMLElement && node.hidden)) return;
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent?.trim();
      if (text) strings.push(text);
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

async function jpegCapture(): Promise<Capture> {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 32;
  canvas.getContext('2d')!.fillRect(0, 0, 32, 32);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg'));
  return { blob, width: 32, height: 32, quality: 0.9, face: { x: 4, y: 4, width: 24, height: 24 } };
}

type Internals = {
  setCapture(capture: Capture): void;
  flow: { report(error: unknown): void; phase: Phase; hint: string | null };
  result: FaceEnrollResultDetail | null;
};

/** Puts <face-enroll> in each state it can show, collecting what it shows. */
async function faceEnrollStrings(attributes: { lang?: string; messages?: MessageOverrides }): Promise<string[]> {
  const collected: string[] = [];
  const el = await fixture<FaceEnroll>(
    html`<face-enroll group-id="g" endpoint="https://endpoint.test" lang=${attributes.lang ?? 'zh-CN'} .messages=${attributes.messages}></face-enroll>`,
  );
  const internals = el as unknown as Internals;
  // The axe check runs on the main states of each language (on every state it would take minutes).
  const take = async (check = false): Promise<void> => {
    await el.updateComplete;
    collected.push(...visibleStrings(el.shadowRoot!));
    if (check && !attributes.messages) await expect(el).to.be.accessible();
  };
  const results: FaceEnrollResultDetail[] = [
    { mode: 'enroll', personId: 'p-1', faceId: 'f-1' },
    { mode: 'search', matched: true, personId: 'p-1', similarity: 0.91, person: { personId: 'p-1', name: 'Ada' } },
    { mode: 'search', matched: false },
    { mode: 'verify', samePerson: true, similarity: 0.9 },
    { mode: 'verify', samePerson: false, similarity: 0.2 },
  ];
  for (const mode of ['enroll', 'search', 'verify'] as const) {
    el.reset();
    el.mode = mode;
    await take(true); // idle (the enrol form in enroll mode)
    internals.flow.phase = 'guiding';
    for (const hint of ['no-face', 'many-faces', 'move-closer', 'move-back', 'center-face', 'look-at-camera', 'too-dark', 'too-bright', 'blurry', 'hold-still', 'ok']) {
      internals.flow.hint = hint;
      await take();
    }
    for (const phase of ['loading', 'starting-camera'] as Phase[]) {
      internals.flow.phase = phase;
      await take();
    }
  }
  el.mode = 'enroll';
  internals.setCapture(await jpegCapture());
  for (const phase of ['captured', 'uploading', 'queued'] as Phase[]) {
    internals.flow.phase = phase;
    await take();
  }
  for (const code of ['NO_FACE', 'VENDOR_UNAVAILABLE', 'NETWORK'] as KitCode[]) {
    internals.flow.report(new FacekitError(code));
    await take(code === 'VENDOR_UNAVAILABLE');
  }
  // The endpoint client's own wordings (in whatever language it was given) are shown in the element's.
  for (const key of ['error.timeout', 'error.network-kept-in-memory'] as MessageKey[]) {
    internals.flow.report(new FacekitError('NETWORK', MESSAGES.en[key]));
    await take();
  }
  internals.flow.phase = 'done';
  for (const result of results) {
    internals.result = result;
    await take(true);
  }
  el.reset();
  el.source = 'file';
  await el.updateComplete;
  internals.flow.phase = 'guiding';
  await take(true);
  return collected;
}

describe('<face-enroll> languages', () => {
  it('shows only English with lang="en"', async () => {
    const strings = await faceEnrollStrings({ lang: 'en' });
    expect(strings.length).to.be.greaterThan(50);
    expect(strings.filter((text) => CJK.test(text))).to.deep.equal([]);
  });

  it('shows only Chinese with lang="zh-CN" (the default), words and all', async () => {
    const strings = await faceEnrollStrings({ lang: 'zh-CN' });
    const english = new Set(Object.values(MESSAGES.en));
    expect(strings.filter((text) => !CJK.test(text) && !NEUTRAL.test(text))).to.deep.equal([]);
    expect(strings.filter((text) => english.has(text))).to.deep.equal([]);
  });

  it('takes a host override for every message and every kit code', async () => {
    const overrides: Record<string, string> = {};
    for (const key of Object.keys(MESSAGES.en)) overrides[key] = `«${key}»`;
    for (const code of Object.keys(KIT_CODES)) overrides[`code.${code}`] = `«code.${code}»`;
    const strings = await faceEnrollStrings({ lang: 'en', messages: overrides as MessageOverrides });
    // Every visible string came from the overrides, so none bypasses the catalogue.
    expect(strings.filter((text) => !text.includes('«') && !NEUTRAL.test(text))).to.deep.equal([]);
    expect(strings).to.include('«code.NO_FACE»');
    expect(strings).to.include('«action.start»');
  });
});
