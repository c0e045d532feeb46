// Runs in its own page (web-test-runner loads each test file separately), so the registry starts empty.
import { expect } from '@open-wc/testing';
import { FaceEnroll } from './face-enroll.js';

describe('face-enroll registration', () => {
  it('importing the class alone registers nothing', () => {
    expect(FaceEnroll).to.be.a('function');
    expect(customElements.get('face-enroll')).to.equal(undefined);
  });

  it('the define file registers face-enroll once, and importing it again is harmless', async () => {
    const module = await import('./define.js');
    expect(customElements.get('face-enroll')).to.equal(FaceEnroll);
    expect(module.FaceEnroll).to.equal(FaceEnroll);
    await import('./define.js');
    const element: FaceEnroll = document.createElement('face-enroll');
    expect(element).to.be.instanceOf(FaceEnroll);
  });

  it('the class can be registered under another tag by subclassing', () => {
    class MyEnroll extends FaceEnroll {}
    customElements.define('my-enroll', MyEnroll);
    expect(document.createElement('my-enroll')).to.be.instanceOf(FaceEnroll);
  });

  it('define-all registers every element', async () => {
    await import('../define-all.js');
    expect(customElements.get('face-enroll')).to.equal(FaceEnroll);
  });
});
