import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  VisionBridge,
  findSpec,
  layoutPrintSheet,
  readJpegDpi,
  withExifOrientation,
  type FrameAnalysis,
  type QualityReport,
} from '@facekit/core';
import './define.js';
import type { IdPhotoMaker } from './id-photo-maker.js';
import { resolveSettings, vendorBody, SettingError } from './settings.js';
import { liveOutline } from './outline.js';
import type { FacekitErrorDetail, FacekitStatusDetail, IdPhotoMakerResultDetail } from '../events.js';

// ── helpers ────────────────────────────────────────────────────────────────

const ASSETS = '/build/assets/';
const PHOTOS = '/.cache/fixtures/photos/';
const ENDPOINT = `${location.origin}/fake-endpoint`;

function record(el: HTMLElement) {
  const statuses: FacekitStatusDetail[] = [];
  const results: IdPhotoMakerResultDetail[] = [];
  const errors: FacekitErrorDetail[] = [];
  el.addEventListener('facekit-status', (e) => statuses.push(e.detail));
  el.addEventListener('facekit-result', (e) => results.push(e.detail as IdPhotoMakerResultDetail));
  el.addEventListener('facekit-error', (e) => errors.push(e.detail));
  return { statuses, results, errors, phases: () => statuses.map((s) => s.phase) };
}

const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T => {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector} in the shadow root`);
  return found;
};
const $$ = <T extends Element = HTMLElement>(el: Element, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];

function key(target: HTMLElement, name: string): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, composed: true, cancelable: true }));
}

function type(input: HTMLInputElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

async function photoFile(name: string): Promise<File> {
  const response = await fetch(PHOTOS + name);
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status} (run node scripts/fixtures.mjs)`);
  const blob = await response.blob();
  return new File([blob], name, { type: blob.type });
}

async function canvasBlob(canvas: HTMLCanvasElement, typeName = 'image/jpeg'): Promise<Blob> {
  return new Promise<Blob>((resolve) => canvas.toBlob((blob) => resolve(blob!), typeName, 0.92));
}

async function jpegOfSize(width: number, height: number): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#438edb';
  context.fillRect(0, 0, width, height);
  return canvasBlob(canvas);
}

async function sizeOf(blob: Blob): Promise<{ width: number; height: number }> {
  const bitmap = await createImageBitmap(blob);
  const size = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return size;
}

function base64ToBlob(base64: string): Blob {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: 'image/jpeg' });
}

interface RecordedCall {
  op: string;
  body: Record<string, unknown>;
}

/** Replaces window.fetch for the fake endpoint: `/v1/ops/*` envelopes and `/v1/media/*` pictures. */
function fakeEndpoint(answer: (body: Record<string, unknown>) => Record<string, unknown>, media: Blob) {
  const calls: RecordedCall[] = [];
  const mediaRequests: string[] = [];
  const original = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
    if (url.pathname.startsWith('/fake-endpoint/v1/media/')) {
      mediaRequests.push(url.href);
      return new Response(media, { status: 200, headers: { 'Content-Type': 'image/jpeg' } });
    }
    const match = /\/fake-endpoint\/v1\/ops\/([^/]+)$/.exec(url.pathname);
    if (!match) return original(input, init);
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    calls.push({ op: decodeURIComponent(match[1]!), body });
    const envelope: Record<string, unknown> = { message: '', requestId: `req-${calls.length}`, ...answer(body) };
    return new Response(JSON.stringify(envelope), { status: envelope.ok ? 200 : 422, headers: { 'Content-Type': 'application/json' } });
  };
  return { calls, mediaRequests, restore: () => void (window.fetch = original) };
}

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

// ── options (no models needed) ─────────────────────────────────────────────

describe('<id-photo-maker> options', () => {
  it('renders idle and accessible, with the spec picker, the colours and the paper', async () => {
    const el = await fixture<IdPhotoMaker>(html`<id-photo-maker lang="en"><h2>ID photo</h2></id-photo-maker>`);
    expect(el.spec).to.equal('one-inch');
    expect(el.processing).to.equal('auto');
    expect(el.paper).to.equal('6in');
    expect(el.currentPhase).to.equal('idle');
    const input = $<HTMLInputElement>(el, '[part~="spec-input"]');
    expect(input.getAttribute('role')).to.equal('combobox');
    expect(input.value).to.equal('One inch');
    expect($(el, '.spec-facts').textContent).to.contain('25 × 35 mm · 295 × 413 px · 300 dpi');
    expect($$<HTMLInputElement>(el, '[part~="colors"] input[type="radio"]').map((radio) => radio.value)).to.deep.equal(['blue', 'blue_gradual', 'red', 'white']);
    expect($<HTMLSelectElement>(el, '[part~="paper"]').value).to.equal('6in');
    expect($(el, '[part~="hint"][aria-live="polite"]')).to.exist;
    expect($(el, '[part~="file-input"]')).to.exist;
    // No inline style attributes (strict CSP): swatches are SVG attributes.
    expect(el.shadowRoot!.querySelector('[style]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('lists the most used specs first, searches, and is usable with the keyboard', async () => {
    const el = await fixture<IdPhotoMaker>(html`<id-photo-maker lang="en"></id-photo-maker>`);
    const input = $<HTMLInputElement>(el, '[part~="spec-input"]');
    input.focus();
    key(input, 'ArrowDown');
    await el.updateComplete;
    expect(input.getAttribute('aria-expanded')).to.equal('true');
    const options = $$(el, '[role="option"]');
    expect(options.length).to.equal(181);
    // The "most used" group first, in the catalogue's rank: 一寸, 二寸, 小一寸, 小二寸, 大一寸.
    expect(options.slice(0, 5).map((option) => option.dataset.spec)).to.deep.equal(['one-inch', 'two-inch', 'small-one-inch', 'small-two-inch', 'large-one-inch']);
    expect($$(el, '[role="group"]')).to.have.length(2);
    // The current spec is the active option; arrows move the active descendant.
    expect(input.getAttribute('aria-activedescendant')).to.equal(options[0]!.id);
    expect(options[0]!.getAttribute('aria-selected')).to.equal('true');
    key(input, 'ArrowDown');
    await el.updateComplete;
    expect(input.getAttribute('aria-activedescendant')).to.equal(options[1]!.id);
    await expect(el).to.be.accessible();

    // Search: "visa" in English words; common visas first.
    type(input, 'visa');
    await el.updateComplete;
    const visas = $$(el, '[role="option"]').map((option) => option.dataset.spec);
    expect(visas.length).to.be.greaterThan(5);
    expect(visas.slice(0, 3)).to.deep.equal(['us-visa', 'japan-visa', 'korea-visa']);
    expect($(el, '.visually-hidden[role="status"]').textContent!.trim()).to.equal(`${visas.length} specs found`);
    key(input, 'ArrowDown');
    key(input, 'Enter');
    await el.updateComplete;
    expect(el.spec).to.equal('japan-visa');
    expect(el.getAttribute('spec')).to.equal('japan-visa');
    expect(input.getAttribute('aria-expanded')).to.equal('false');
    expect(input.value).to.equal('Japan visa');

    // Chinese titles and sizes are searched too; Escape closes and keeps the spec.
    type(input, '35x45');
    await el.updateComplete;
    expect($$(el, '[role="option"]').every((option) => option.textContent!.includes('35 × 45 mm'))).to.equal(true);
    type(input, '二寸');
    await el.updateComplete;
    expect($$(el, '[role="option"]')[0]!.dataset.spec).to.equal('two-inch');
    type(input, 'zzzz');
    await el.updateComplete;
    expect($(el, '.listbox.empty').textContent).to.contain('zzzz');
    await expect(el).to.be.accessible();
    key(input, 'Escape');
    await el.updateComplete;
    expect(input.getAttribute('aria-expanded')).to.equal('false');
    expect(el.spec).to.equal('japan-visa');

    // A click chooses too.
    key(input, 'ArrowDown');
    await el.updateComplete;
    $<HTMLElement>(el, '[role="option"][data-spec="two-inch"]').click();
    await el.updateComplete;
    expect(el.spec).to.equal('two-inch');
  });

  it('offers only the colours the spec allows', async () => {
    const el = await fixture<IdPhotoMaker>(html`<id-photo-maker lang="zh-CN" spec="us-visa" color="blue"></id-photo-maker>`);
    const radios = () => $$<HTMLInputElement>(el, '[part~="colors"] input[type="radio"]');
    expect(radios().map((radio) => radio.value)).to.deep.equal(['white']);
    expect(radios()[0]!.checked, 'blue is not offered for a US visa: white').to.equal(true);
    expect($(el, '[part~="colors"] label').textContent!.trim()).to.equal('白色');
    el.spec = 'small-one-inch';
    await el.updateComplete;
    expect(radios().map((radio) => radio.value)).to.deep.equal(['blue', 'white', 'red', 'blue_grey', 'blue_gradual', 'gray_gradual']);
    expect(radios().find((radio) => radio.checked)!.value, 'the asked colour, now offered').to.equal('blue');
    radios().find((radio) => radio.value === 'red')!.click();
    await el.updateComplete;
    expect(el.color).to.equal('red');
    expect(el.getAttribute('color')).to.equal('red');
    // Gradients are SVG gradients, not inline styles.
    expect($(el, 'linearGradient[id^="fk-grad-blue_gradual"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('resolves every parameter of the document for the vendor, and refuses bad ones naming the attribute', () => {
    const base: Parameters<typeof resolveSettings>[0] = { spec: 'two-inch', size: '', dpi: undefined, color: 'red', faceRatio: 0.55, faceCenterRange: 0.4, topEmpty: '10,30', fileSize: '20,80', beautyDegree: 2.5 };
    const settings = resolveSettings(base);
    expect(vendorBody(settings, 'QUJD')).to.deep.equal({
      base64: 'QUJD',
      spec: 'two-inch',
      bgColor: 'red',
      dpi: 300,
      fileSize: '20,80',
      beautyDegree: 2.5,
      faceRatio: 0.55,
      faceCenterRange: 0.4,
      topEmpty: '10,30',
    });
    const custom = resolveSettings({ ...base, size: '480x640', dpi: 350, color: 'blue', topEmpty: '', fileSize: '' });
    expect(vendorBody(custom, 'QUJD')).to.include({ spec: '12', size: '480x640', dpi: 350, bgColor: 'blue' });
    expect(custom.spec).to.include({ widthPx: 480, heightPx: 640, dpi: 350 });
    // The spec's own KB range goes with it.
    expect(vendorBody(resolveSettings({ ...base, spec: 'social-security-card-350dpi-50-100kb', fileSize: '', color: 'white' }), 'x')).to.include({ fileSize: '50,100', dpi: 350 });
    const failing = (patch: Partial<typeof base>) => {
      try {
        resolveSettings({ ...base, ...patch });
      } catch (error) {
        return (error as SettingError).attribute;
      }
      return null;
    };
    expect(failing({ faceRatio: 1.5 })).to.equal('face-ratio');
    expect(failing({ faceCenterRange: 0 })).to.equal('face-center-range');
    expect(failing({ topEmpty: '30,10' })).to.equal('top-empty');
    expect(failing({ topEmpty: '10,600' })).to.equal('top-empty');
    expect(failing({ fileSize: '80' })).to.equal('file-size');
    expect(failing({ beautyDegree: 6 })).to.equal('beauty-degree');
    expect(failing({ spec: 'no-such-spec' })).to.equal('spec');
    expect(failing({ size: '480X640' })).to.equal('size');
    expect(failing({ dpi: 20 })).to.equal('dpi');
  });

  it('gives a clear FILE_FORMAT message for a HEIC photo', async () => {
    const el = await fixture<IdPhotoMaker>(html`<id-photo-maker lang="en" source="file"></id-photo-maker>`);
    const events = record(el);
    // An ISO-BMFF ftyp box with the heic brand, then bytes no browser here decodes.
    const bytes = new Uint8Array(4096);
    bytes.set([0, 0, 0, 24, ...new TextEncoder().encode('ftypheic'), 0, 0, 0, 0, ...new TextEncoder().encode('mif1heic')]);
    await el.loadFile(new File([bytes], 'IMG_0001.HEIC', { type: 'image/heic' }));
    expect(events.errors.map((e) => e.code)).to.deep.equal(['FILE_FORMAT']);
    expect(events.errors[0]!.message).to.match(/HEIC format.*JPEG or PNG/);
    await el.updateComplete;
    expect($(el, '[part~="error"]').textContent).to.contain('HEIC');
    await expect(el).to.be.accessible();
    // Bytes that are no image at all: the kit's FILE_FORMAT message.
    await el.loadFile(new File([new TextEncoder().encode('not an image at all')], 'a.jpg', { type: 'image/jpeg' }));
    expect(events.errors[1]!.code).to.equal('FILE_FORMAT');
    expect(events.errors[1]!.message).to.not.match(/HEIC/);
  });

  it('draws the spec outline over the camera on the detected face, and takes the photo', async () => {
    const proto = VisionBridge.prototype;
    const saved = { ready: proto.ready, resetSession: proto.resetSession, analyzeFrame: proto.analyzeFrame, analyzeImage: proto.analyzeImage };
    cleanups.push(() => Object.assign(proto, saved));
    const quality: QualityReport = {
      faceCount: 1,
      faceSize: 0.3,
      centerOffset: { x: 0, y: 0 },
      centred: true,
      yaw: 0,
      pitch: 0,
      frontal: true,
      brightness: 120,
      sharpness: 200,
      motion: 0,
      score: 0.9,
    };
    // A face box 130 px high near the top left of the fake camera's frame.
    const face = { box: { x: 255, y: 170, width: 130, height: 130 }, keypoints: [], score: 0.95 };
    proto.ready = async () => ({ startMs: 1, delegate: 'CPU' as const });
    proto.resetSession = async () => {};
    proto.analyzeFrame = async (frame: ImageBitmap): Promise<FrameAnalysis> => {
      const size = { width: frame.width, height: frame.height };
      frame.close();
      return { ...size, faces: [face], quality, hint: 'ok', stableFrames: 1, ready: false, workerMs: 3 };
    };
    proto.analyzeImage = async (image: ImageBitmap): Promise<FrameAnalysis> => ({
      width: image.width,
      height: image.height,
      faces: [face],
      quality,
      hint: 'ok',
      stableFrames: 1,
      ready: true,
      workerMs: 3,
    });

    const el = await fixture<IdPhotoMaker>(html`<id-photo-maker lang="en" source="camera" spec="two-inch"></id-photo-maker>`);
    const events = record(el);
    await el.start();
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="guide"] .spec-outline'), 'no outline', { timeout: 10_000 });
    const rect = $<SVGRectElement>(el, '[part~="guide"] .spec-outline');
    const frame = el['frameSize']!;
    const expected = liveOutline(frame, face.box, findSpec('two-inch')!, { faceRatio: 0.5 })!;
    expect(expected.fits).to.equal(true);
    expect(Number(rect.getAttribute('height'))).to.be.closeTo(expected.crop.height, 0.01);
    expect(rect.classList.contains('fits')).to.equal(expected.fits);
    expect(Number(rect.getAttribute('width')) / Number(rect.getAttribute('height'))).to.be.closeTo(413 / 579, 0.001);
    await expect(el).to.be.accessible();
    // The outline fits and the face is good: five steady frames take the photo by themselves.
    await waitUntil(() => el.currentPhase === 'captured', 'no capture', { timeout: 10_000 });
    expect(events.phases()).to.include.members(['loading', 'starting-camera', 'guiding', 'captured']);
    expect(el['camera'].state).to.not.equal('live');
    const preview = $<HTMLImageElement>(el, '[part~="preview"]');
    await waitUntil(() => preview.complete && preview.naturalWidth > 0);
    expect(preview.naturalWidth).to.equal(frame.width);
    await expect(el).to.be.accessible();
  });
});

// ── with the real vision worker ────────────────────────────────────────────

describe('<id-photo-maker> on the device (real vision worker)', function () {
  this.timeout(180_000);
  let available = false;
  before(async () => {
    const probes = await Promise.all([
      fetch(`${ASSETS}models/selfie_segmenter.tflite`, { method: 'HEAD' }),
      fetch(`${PHOTOS}astronaut.png`, { method: 'HEAD' }),
    ]).catch(() => []);
    available = probes.length === 2 && probes.every((response) => response.ok);
  });
  beforeEach(() => {
    // npm test builds the assets and the fixtures first; without them these tests must fail.
    expect(available, `vision assets at ${ASSETS} and fixtures at ${PHOTOS}`).to.equal(true);
  });

  it('makes the photo from a file at the spec pixel size with its DPI, and a print sheet', async () => {
    const el = await fixture<IdPhotoMaker>(html`<id-photo-maker lang="en" source="file" spec="two-inch" color="blue" processing="device" assets-base=${ASSETS}></id-photo-maker>`);
    const events = record(el);
    await el.loadFile(await photoFile('astronaut.png'));
    expect(events.errors).to.deep.equal([]);
    expect(el.currentPhase).to.equal('captured');
    const result = await el.submit();
    expect(result, JSON.stringify(events.errors)).to.not.equal(null);
    expect(events.phases()).to.include.members(['loading', 'captured', 'processing', 'done']);
    expect(result!).to.include({ mode: 'id-photo', processing: 'device', spec: 'two-inch', color: 'blue', width: 413, height: 579, dpi: 300 });
    expect(result!.photo.type).to.equal('image/jpeg');
    expect(result!.bytes).to.equal(result!.photo.size);
    expect(await sizeOf(result!.photo)).to.deep.equal({ width: 413, height: 579 });
    expect(readJpegDpi(new Uint8Array(await result!.photo.arrayBuffer()))).to.deep.equal({ x: 300, y: 300 });
    expect(result!.skippedChecks, 'the closed-eyes check ran').to.deep.equal([]);
    // The print sheet: the layout's size and copies, at 300 dpi.
    const layout = layoutPrintSheet(findSpec('two-inch')!, '6in');
    expect(result!.paper).to.equal('6in');
    expect(result!.copies).to.equal(layout.copies);
    expect(await sizeOf(result!.sheet!)).to.deep.equal({ width: layout.width, height: layout.height });
    expect(readJpegDpi(new Uint8Array(await result!.sheet!.arrayBuffer()))).to.deep.equal({ x: 300, y: 300 });
    expect(events.results).to.have.length(1);

    await el.updateComplete;
    const photo = $<HTMLImageElement>(el, '[part~="photo"]');
    await waitUntil(() => photo.complete && photo.naturalWidth > 0);
    expect(photo.naturalWidth).to.equal(413);
    const links = $$<HTMLAnchorElement>(el, 'a[part~="download"]');
    expect(links.map((link) => link.download)).to.deep.equal(['id-photo-two-inch-blue-413x579.jpg', 'id-photo-two-inch-6in-sheet.jpg']);
    const downloaded = await (await fetch(links[0]!.href)).blob();
    expect(downloaded.size).to.equal(result!.bytes);
    expect($(el, '[part~="warnings"]').textContent).to.match(/No problems found|Check before/);
    const sheet = $<HTMLImageElement>(el, '[part~="sheet"]');
    await waitUntil(() => sheet.complete && sheet.naturalWidth > 0);
    expect(sheet.naturalWidth).to.equal(layout.width);
    expect(sheet.alt).to.equal(`Print sheet with ${layout.copies} copies and cut marks`);
    await expect(el).to.be.accessible();

    // Another paper: the sheet is made again and the result sent again.
    el.paper = 'a4';
    await waitUntil(() => events.results.length === 2, 'no second result', { timeout: 30_000 });
    const a4 = layoutPrintSheet(findSpec('two-inch')!, 'a4');
    expect(events.results[1]!.paper).to.equal('a4');
    expect(await sizeOf(events.results[1]!.sheet!)).to.deep.equal({ width: a4.width, height: a4.height });
    expect(events.results[1]!.photo).to.equal(result!.photo);

    // Another colour: made again on the device at once.
    el.color = 'white';
    await waitUntil(() => events.results.length === 3, 'no remake', { timeout: 60_000 });
    expect(events.results[2]!.color).to.equal('white');
  });

  it('says NO_FACE for a photo without a face, and MANY_FACES for a group photo', async () => {
    const el = await fixture<IdPhotoMaker>(html`<id-photo-maker lang="zh-CN" source="file" assets-base=${ASSETS}></id-photo-maker>`);
    const events = record(el);
    await el.loadFile(await photoFile('coffee.png'));
    expect(events.errors.map((e) => e.code)).to.deep.equal(['NO_FACE']);
    expect(events.errors[0]!.message).to.equal('照片中未检测到人脸，请使用单人正面照片。');
    await el.updateComplete;
    expect($(el, '[part~="error"]').textContent).to.contain('未检测到人脸');
    await expect(el).to.be.accessible();

    el.lang = 'en';
    await el.loadFile(await photoFile('facereg.jpg'));
    expect(events.errors.map((e) => e.code)).to.deep.equal(['NO_FACE', 'MANY_FACES']);
    expect(events.errors[1]!.message).to.equal('This photo shows more than one face. Use a photo of you alone.');
    expect(el.currentPhase).to.equal('error');
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('turns an EXIF Orientation-6 JPEG upright exactly once', async () => {
    // The upright picture: astronaut.png's top 512×400. Stored turned a quarter counter-clockwise
    // (400×512), tagged Orientation 6 ("turn clockwise to show").
    const astronaut = await createImageBitmap(await (await fetch(`${PHOTOS}astronaut.png`)).blob());
    const stored = document.createElement('canvas');
    stored.width = 400;
    stored.height = 512;
    const context = stored.getContext('2d')!;
    context.translate(0, 512);
    context.rotate(-Math.PI / 2);
    context.drawImage(astronaut, 0, 0, 512, 400, 0, 0, 512, 400);
    const tagged = withExifOrientation(await (await canvasBlob(stored)).arrayBuffer(), 6);

    const el = await fixture<IdPhotoMaker>(html`<id-photo-maker lang="en" source="file" processing="device" assets-base=${ASSETS}></id-photo-maker>`);
    const events = record(el);
    await el.loadFile(new File([tagged], 'rotated.jpg', { type: 'image/jpeg' }));
    expect(events.errors).to.deep.equal([]);
    const source = el['sourcePhoto']!;
    expect({ width: source.width, height: source.height }, 'turned once: 512×400 (none or twice: 400×512)').to.deep.equal({ width: 512, height: 400 });
    const result = await el.submit();
    expect(result, JSON.stringify(events.errors)).to.not.equal(null);
    expect(result!.warnings.map((w) => w.code)).to.not.include.members(['tilted', 'not-frontal']);
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});

// ── through the ID-photo service ──────────────────────────────────────────

describe('<id-photo-maker> through the endpoint (processing="vendor")', function () {
  this.timeout(180_000);

  it('sends idPhoto.make with every parameter, within 2500 px, and shows the photo from the media link', async () => {
    const media = await jpegOfSize(413, 579);
    const endpoint = fakeEndpoint(
      () => ({
        ok: true,
        code: 'OK',
        data: {
          taskNo: '254900443205524179659164',
          images: [{ color: 'red', url: `${ENDPOINT}/v1/media/sealed-1`, width: 413, height: 579 }],
          spec: 'two-inch',
          size: { width: 413, height: 579 },
          dpi: 300,
        },
      }),
      media,
    );
    cleanups.push(endpoint.restore);
    const el = await fixture<IdPhotoMaker>(html`
      <id-photo-maker
        lang="en"
        source="file"
        processing="vendor"
        endpoint=${ENDPOINT}
        ticket="t-1"
        spec="two-inch"
        color="red"
        face-ratio="0.55"
        face-center-range="0.42"
        top-empty="10,40"
        file-size="20,90"
        beauty-degree="2.5"
        assets-base=${ASSETS}
      ></id-photo-maker>
    `);
    const events = record(el);
    // A large photo: astronaut drawn at 3000×3000.
    const astronaut = await createImageBitmap(await (await fetch(`${PHOTOS}astronaut.png`)).blob());
    const large = document.createElement('canvas');
    large.width = 3000;
    large.height = 3000;
    large.getContext('2d')!.drawImage(astronaut, 0, 0, 3000, 3000);
    await el.loadFile(new File([await canvasBlob(large)], 'large.jpg', { type: 'image/jpeg' }));
    expect(events.errors).to.deep.equal([]);
    const result = await el.submit();
    expect(result, JSON.stringify(events.errors)).to.not.equal(null);

    expect(endpoint.calls.map((call) => call.op)).to.deep.equal(['idPhoto.make']);
    const { base64, ...params } = endpoint.calls[0]!.body;
    expect(params).to.deep.equal({
      spec: 'two-inch',
      bgColor: 'red',
      dpi: 300,
      fileSize: '20,90',
      beautyDegree: 2.5,
      faceRatio: 0.55,
      faceCenterRange: 0.42,
      topEmpty: '10,40',
    });
    const uploaded = await sizeOf(base64ToBlob(String(base64)));
    expect(Math.max(uploaded.width, uploaded.height), 'scaled down, within the vendor limit').to.be.at.most(2000);
    expect(uploaded).to.deep.equal({ width: 2000, height: 2000 });

    expect(result!).to.include({ mode: 'id-photo', processing: 'vendor', spec: 'two-inch', color: 'red', width: 413, height: 579, dpi: 300 });
    expect(result!.taskNo).to.equal('254900443205524179659164');
    expect(result!.url).to.equal(`${ENDPOINT}/v1/media/sealed-1`);
    expect(result!.photo.size).to.equal(media.size);
    expect(result!.bytes).to.equal(media.size);
    expect(events.phases()).to.include('uploading');
    await el.updateComplete;
    expect($<HTMLImageElement>(el, '[part~="photo"]').getAttribute('src')).to.equal(`${ENDPOINT}/v1/media/sealed-1`);
    expect($(el, '[part~="result"]').textContent).to.contain('by the ID-photo service');
    expect($<HTMLAnchorElement>(el, 'a[part~="download"]').href).to.match(/^blob:/);
    await expect(el).to.be.accessible();

    // A new colour does not call the (billable) service by itself.
    el.color = 'white';
    await el.updateComplete;
    await aTimeout(50);
    expect(endpoint.calls).to.have.length(1);
    expect(el.currentPhase).to.equal('captured');
  });

  it('shows the endpoint error in the element language, and falls back to the vendor when the device cannot run (auto)', async () => {
    const endpoint = fakeEndpoint((body) => (body.bgColor === 'blue' ? { ok: false, code: 'NO_FACE', message: '未检测到人脸' } : { ok: true, code: 'OK', data: { taskNo: 't', images: [{ color: 'white', url: `${ENDPOINT}/v1/media/x`, width: 295, height: 413 }], size: { width: 295, height: 413 }, dpi: 300 } }), await jpegOfSize(295, 413));
    cleanups.push(endpoint.restore);
    // No models here: the device cannot run, so "auto" uses the service.
    const el = await fixture<IdPhotoMaker>(html`<id-photo-maker lang="en" source="file" processing="auto" endpoint=${ENDPOINT} assets-base="/no-such-assets/" color="blue"></id-photo-maker>`);
    const events = record(el);
    await el.loadFile(await photoFile('astronaut.png'));
    expect(events.errors).to.deep.equal([]);
    expect(await el.submit()).to.equal(null);
    expect(events.errors.map((e) => e.code)).to.deep.equal(['NO_FACE']);
    expect(events.errors[0]!.message).to.equal('No face was found in this photo. Use a photo of one person facing the camera.');
    el.color = 'white';
    await el.updateComplete;
    const result = await el.submit();
    expect(result).to.include({ processing: 'vendor', width: 295, height: 413 });
    expect(result!.sheet, 'no print sheet without the device').to.equal(undefined);
    await el.updateComplete;
    expect($(el, '[part~="result"]').textContent).to.contain('could not be made');
    await expect(el).to.be.accessible();
  });
});
