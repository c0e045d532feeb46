// Runs in its own page (web-test-runner loads each test file separately), so the registry starts empty.
import { expect } from '@open-wc/testing';
import { IdPhotoMaker } from './id-photo-maker.js';

describe('id-photo-maker registration', () => {
  it('importing the class alone registers nothing', () => {
    expect(IdPhotoMaker).to.be.a('function');
    expect(customElements.get('id-photo-maker')).to.equal(undefined);
  });

  it('the define file registers id-photo-maker once, and importing it again is harmless', async () => {
    const module = await import('./define.js');
    expect(customElements.get('id-photo-maker')).to.equal(IdPhotoMaker);
    expect(module.IdPhotoMaker).to.equal(IdPhotoMaker);
    await import('./define.js');
    expect(document.createElement('id-photo-maker')).to.be.instanceOf(IdPhotoMaker);
  });

  it('define-all registers it too', async () => {
    await import('../define-all.js');
    expect(customElements.get('id-photo-maker')).to.equal(IdPhotoMaker);
  });
});
