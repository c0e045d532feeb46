import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import {
  LocalizeController,
  MESSAGES,
  kitMessage,
  normalizeLang,
  resolveAssetsBase,
  type MessageKey,
} from '../../packages/core/src/client/index.js';

class LocalizedHost extends LitElement {
  readonly localize = new LocalizeController(this);
  messages: Partial<Record<MessageKey, string>> = {};
  renders = 0;
  override render() {
    this.renders++;
    return html`<p>${this.localize.t('action.start')}</p>`;
  }
}
customElements.define('test-localized-host', LocalizedHost);

/** Shows a localized host inside its own shadow root, to test lookup across shadow boundaries. */
class ShadowParent extends LitElement {
  override render() {
    return html`<test-localized-host></test-localized-host>`;
  }
}
customElements.define('test-shadow-parent', ShadowParent);

const text = (host: LocalizedHost) => host.shadowRoot!.querySelector('p')!.textContent;

describe('normalizeLang', () => {
  it('maps language tags to the kit languages', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-Hans', 'zh-hans-cn', 'ZH_cn', 'zh-TW']) expect(normalizeLang(tag), tag).to.equal('zh-CN');
    for (const tag of ['en', 'en-US', 'en-GB', 'EN']) expect(normalizeLang(tag), tag).to.equal('en');
    for (const tag of ['fr', '', '  ', null, undefined]) expect(normalizeLang(tag)).to.equal(null);
  });
});

describe('LocalizeController', () => {
  const htmlLang = document.documentElement.getAttribute('lang');
  afterEach(() => {
    if (htmlLang === null) document.documentElement.removeAttribute('lang');
    else document.documentElement.setAttribute('lang', htmlLang);
  });

  it('defaults to zh-CN', async () => {
    document.documentElement.removeAttribute('lang');
    const host = await fixture<LocalizedHost>(html`<test-localized-host></test-localized-host>`);
    expect(host.localize.lang).to.equal('zh-CN');
    expect(text(host)).to.equal(MESSAGES['zh-CN']['action.start']);
  });

  it('takes the host lang, then the closest ancestor, then <html>', async () => {
    document.documentElement.setAttribute('lang', 'en-GB');
    const plain = await fixture<LocalizedHost>(html`<test-localized-host></test-localized-host>`);
    expect(plain.localize.lang).to.equal('en');

    const wrapped = await fixture<HTMLElement>(html`<div lang="zh-Hans"><section><test-localized-host></test-localized-host></section></div>`);
    const inner = wrapped.querySelector<LocalizedHost>('test-localized-host')!;
    expect(inner.localize.lang).to.equal('zh-CN');

    inner.setAttribute('lang', 'en-US');
    expect(inner.localize.lang).to.equal('en');

    // An unsupported language defers to the next one up.
    inner.setAttribute('lang', 'fr');
    expect(inner.localize.lang).to.equal('zh-CN');
  });

  it('looks through shadow roots for an ancestor lang', async () => {
    document.documentElement.setAttribute('lang', 'zh-CN');
    const outer = await fixture<HTMLElement>(html`<div lang="en"><test-shadow-parent></test-shadow-parent></div>`);
    const parent = outer.querySelector<ShadowParent>('test-shadow-parent')!;
    await parent.updateComplete;
    const host = parent.shadowRoot!.querySelector<LocalizedHost>('test-localized-host')!;
    expect(host.localize.lang).to.equal('en');
  });

  it('re-renders when the host or <html> lang changes', async () => {
    document.documentElement.setAttribute('lang', 'zh-CN');
    const host = await fixture<LocalizedHost>(html`<test-localized-host></test-localized-host>`);
    expect(text(host)).to.equal('开始');

    document.documentElement.setAttribute('lang', 'en');
    await new Promise((resolve) => setTimeout(resolve)); // MutationObserver, then the update
    await host.updateComplete;
    expect(text(host)).to.equal('Start');

    host.setAttribute('lang', 'zh');
    await new Promise((resolve) => setTimeout(resolve));
    await host.updateComplete;
    expect(text(host)).to.equal('开始');

    // Disconnected hosts are no longer observed.
    host.remove();
    const renders = host.renders;
    document.documentElement.setAttribute('lang', 'zh-CN');
    await new Promise((resolve) => setTimeout(resolve));
    expect(host.renders).to.equal(renders);
  });

  it('prefers the host messages, fills placeholders, and localises kit codes', async () => {
    const host = await fixture<LocalizedHost>(html`<test-localized-host lang="en"></test-localized-host>`);
    host.messages = { 'action.start': 'Begin {name}' };
    expect(host.localize.t('action.start', { name: 'now' })).to.equal('Begin now');
    expect(host.localize.t('action.stop')).to.equal('Stop');
    expect(host.localize.error('CAMERA_DENIED')).to.equal(kitMessage('CAMERA_DENIED', 'en'));
    host.lang = 'zh-CN';
    expect(host.localize.error('CAMERA_DENIED')).to.equal(kitMessage('CAMERA_DENIED', 'zh-CN'));
  });
});

describe('resolveAssetsBase', () => {
  it('prefers the explicit value, resolved against the document, with a trailing slash', () => {
    expect(resolveAssetsBase('https://cdn.example/facekit/assets')).to.equal('https://cdn.example/facekit/assets/');
    expect(resolveAssetsBase('https://cdn.example/facekit/assets/')).to.equal('https://cdn.example/facekit/assets/');
    expect(resolveAssetsBase('/static/facekit')).to.equal(`${location.origin}/static/facekit/`);
    expect(resolveAssetsBase('vendor/assets')).to.equal(new URL('vendor/assets/', document.baseURI).href);
  });

  it('defaults to assets/ next to the script', () => {
    expect(resolveAssetsBase(null, 'https://cdn.example/kit/facekit.js')).to.equal('https://cdn.example/kit/assets/');
    expect(resolveAssetsBase('  ', 'https://cdn.example/kit/facekit.js')).to.equal('https://cdn.example/kit/assets/');
    expect(resolveAssetsBase()).to.match(/^http:\/\/.+\/assets\/$/);
  });
});
