// The egress guard on its own, in a real module worker.
import { expect } from '@open-wc/testing';
import type { ProbeReport, ProbeRequest } from './egress-probe.worker.js';

function runProbe(request: ProbeRequest): Promise<ProbeReport> {
  const worker = new Worker(new URL('./egress-probe.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<ProbeReport>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<ProbeReport>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

describe('egress guard', () => {
  const origin = location.origin;
  // Same-origin URLs outside the allowed folder: a request that left would reach this server and
  // show in Resource Timing, unlike one to an unresolvable host.
  const refusedUrls = {
    fetch: `${origin}/test/worker/outside.txt?via=fetch`,
    xhr: `${origin}/test/worker/outside.txt?via=xhr`,
    syncXhr: 'https://example.invalid/sync',
    script: 'https://example.invalid/script.js',
    socket: 'wss://example.invalid/socket',
    events: `${origin}/test/worker/outside.txt?via=events`,
  };

  it('refuses every request outside the allowed prefix, before it is made, and records it', async () => {
    const report = await runProbe({
      allowedPrefix: `${origin}/.cache/fixtures/`,
      allowedUrl: `${origin}/.cache/fixtures/manifest.json`,
      refusedUrls,
    });
    expect(report.fetchRefused).to.equal('TypeError');
    expect(report.fetchAllowed).to.equal(200);
    expect(report.xhrEvents).to.include.members(['abort', 'loadend']);
    expect(report.xhrEvents).to.not.include('load');
    expect(report.xhrReadyState).to.equal(XMLHttpRequest.UNSENT);
    expect(report.syncXhr).to.equal('NetworkError');
    expect(report.script).to.equal('NetworkError');
    expect(report.socket).to.equal('SecurityError');
    expect(report.events).to.equal('SecurityError');
    expect(report.requested.filter((url) => url.includes('outside.txt'))).to.deep.equal([]);
    expect(report.requested).to.include(`${origin}/.cache/fixtures/manifest.json`);
    expect(report.blocked).to.deep.equal([
      refusedUrls.fetch,
      refusedUrls.xhr,
      refusedUrls.syncXhr,
      refusedUrls.script,
      refusedUrls.socket,
      refusedUrls.events,
    ]);
  });

  it('refuses everything but same-origin scripts before a prefix is allowed', async () => {
    const report = await runProbe({
      allowedUrl: `${origin}/.cache/fixtures/manifest.json`,
      refusedUrls: { ...refusedUrls, fetch: 'https://example.invalid/x' },
    });
    expect(report.fetchRefused).to.equal('TypeError');
    expect(report.fetchAllowed).to.equal('TypeError');
    expect(report.blocked).to.include('https://example.invalid/x');
    expect(report.blocked).to.include(`${origin}/.cache/fixtures/manifest.json`);
    expect(report.requested).to.deep.equal([]);
  });
});
