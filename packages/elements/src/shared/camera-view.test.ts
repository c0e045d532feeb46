import { expect, fixture, html } from '@open-wc/testing';
import { guideEllipse } from '../../../core/src/shared/framing.js';
import { HintSmoother, cameraView, guideGeometry, hintRegion, toneForHint } from './camera-view.js';
import { maskIdNumber } from './mask.js';

describe('shared camera view pieces', () => {
  it('draws the same oval as the quality gate measures', () => {
    for (const size of [
      { width: 640, height: 480 },
      { width: 480, height: 640 },
      { width: 1280, height: 720 },
    ]) {
      expect(guideGeometry(size)).to.deep.equal(guideEllipse(size));
    }
  });

  it('renders the camera view with its parts and an accessible name', async () => {
    const video = document.createElement('video');
    const el = await fixture<HTMLDivElement>(
      html`<div>${cameraView({ video, size: { width: 640, height: 480 }, tone: 'good', label: 'Camera preview' })}
        ${hintRegion('Good, hold still', 'good')}</div>`,
    );
    const camera = el.querySelector('[part~="camera"]')!;
    expect(camera.getAttribute('aria-label')).to.equal('Camera preview');
    expect(camera.classList.contains('tone-good')).to.equal(true);
    expect(camera.querySelector('video')!.part.contains('video')).to.equal(true);
    const oval = camera.querySelector('[part~="guide"] ellipse.oval')!;
    expect([oval.getAttribute('cx'), oval.getAttribute('cy'), oval.getAttribute('rx'), oval.getAttribute('ry')]).to.deep.equal(['320', '240', '144', '192']);
    expect(el.querySelector('[part~="hint"]')!.getAttribute('aria-live')).to.equal('polite');
    await expect(el).to.be.accessible();
  });

  it('maps hints to the oval colour', () => {
    expect(toneForHint(null)).to.equal('idle');
    expect(toneForHint('no-face')).to.equal('idle');
    expect(toneForHint('move-closer')).to.equal('warn');
    expect(toneForHint('ok')).to.equal('good');
    expect(toneForHint('hold-still')).to.equal('good');
  });

  it('smooths hints: a correction must hold before it replaces the shown hint', () => {
    const smoother = new HintSmoother(400);
    expect(smoother.push('no-face', 0)).to.equal('no-face');
    expect(smoother.push('move-closer', 100)).to.equal('no-face');
    expect(smoother.push('move-closer', 300)).to.equal('no-face');
    expect(smoother.push('move-closer', 520)).to.equal('move-closer');
    expect(smoother.push('ok', 530)).to.equal('ok'); // the good news is immediate
    expect(smoother.push('center-face', 540)).to.equal('ok');
    expect(smoother.push('ok', 560)).to.equal('ok');
  });

  it('masks identity numbers: first 3 and last 4', () => {
    expect(maskIdNumber('220112199001020551')).to.equal('220***********0551');
    expect(maskIdNumber('22011219900102055X')).to.equal('220***********055X');
    expect(maskIdNumber('1234567')).to.equal('*******');
    expect(maskIdNumber('')).to.equal('');
  });
});
