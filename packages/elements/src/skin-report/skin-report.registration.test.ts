// Runs in its own page (web-test-runner loads each test file separately), so the registry starts empty.
import { expect } from '@open-wc/testing';
import { SkinReport } from './skin-report.js';

describe('skin-report registration', () => {
  it('importing the class alone registers nothing', () => {
    expect(SkinReport).to.be.a('function');
    expect(customElements.get('skin-report')).to.equal(undefined);
  });

  it('the define file registers skin-report once, and importing it again is harmless', async () => {
    const module = await import('./define.js');
    expect(customElements.get('skin-report')).to.equal(SkinReport);
    expect(module.SkinReport).to.equal(SkinReport);
    await import('./define.js');
    const element: SkinReport = document.createElement('skin-report');
    expect(element).to.be.instanceOf(SkinReport);
  });

  it('define-all registers it too', async () => {
    await import('../define-all.js');
    expect(customElements.get('skin-report')).to.equal(SkinReport);
  });
});
