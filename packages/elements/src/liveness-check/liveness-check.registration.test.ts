// Runs in its own page (web-test-runner loads each test file separately), so the registry starts empty.
import { expect } from '@open-wc/testing';
import { LivenessCheck } from './liveness-check.js';

describe('liveness-check registration', () => {
  it('importing the class alone registers nothing', () => {
    expect(LivenessCheck).to.be.a('function');
    expect(customElements.get('liveness-check')).to.equal(undefined);
  });

  it('the define file registers liveness-check once, and importing it again is harmless', async () => {
    const module = await import('./define.js');
    expect(customElements.get('liveness-check')).to.equal(LivenessCheck);
    expect(module.LivenessCheck).to.equal(LivenessCheck);
    await import('./define.js');
    const element: LivenessCheck = document.createElement('liveness-check');
    expect(element).to.be.instanceOf(LivenessCheck);
  });

  it('the class can be registered under another tag by subclassing', () => {
    class MyCheck extends LivenessCheck {}
    customElements.define('my-liveness-check', MyCheck);
    expect(document.createElement('my-liveness-check')).to.be.instanceOf(LivenessCheck);
  });

  it('define-all registers it with the others', async () => {
    await import('../define-all.js');
    expect(customElements.get('liveness-check')).to.equal(LivenessCheck);
    expect(customElements.get('face-enroll')).to.not.equal(undefined);
  });
});
