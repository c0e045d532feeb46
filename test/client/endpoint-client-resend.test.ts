// EndpointClient.resend(): a call kept by an earlier page is sent again with its own idempotency
// key, removed once answered, kept on a network failure, and never sent twice at once by two
// clients of one page (two elements).
import { expect } from '@open-wc/testing';
import { EndpointClient, MemoryUploadQueue, type QueuedUpload } from '../../packages/core/src/client/index.js';

const ENDPOINT = 'https://api.example/facekit';

function keptCall(id: string): QueuedUpload {
  return { id, op: 'face.enroll', body: { groupId: 'g', image: 'AAAA' }, idempotencyKey: id, createdAt: Date.now(), endpoint: ENDPOINT };
}

/** A fetch that records idempotency keys and answers after `delayMs`, or fails like a lost network. */
function endpoint(options: { delayMs?: number; down?: boolean } = {}) {
  const keys: string[] = [];
  const fetch = (async (_input: RequestInfo | URL, init: RequestInit = {}) => {
    keys.push(new Headers(init.headers).get('Idempotency-Key') ?? '');
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
    if (options.down) throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify({ ok: true, code: 'OK', message: '', requestId: 'r', data: { personId: 'p-1' } }), {
      headers: { 'Content-Type': 'application/json' },
    });
  }) as typeof globalThis.fetch;
  return { fetch, keys };
}

describe('EndpointClient.resend', () => {
  it('sends a kept call with its own idempotency key and removes it once answered', async () => {
    const queue = new MemoryUploadQueue();
    await queue.put(keptCall('kept-0001'));
    const { fetch, keys } = endpoint();
    const client = new EndpointClient({ endpoint: ENDPOINT, ticket: 't', fetch, queue });
    const envelope = await client.resend<{ personId: string }>('kept-0001');
    expect(envelope?.data?.personId).to.equal('p-1');
    expect(keys).to.deep.equal(['kept-0001']);
    expect(await queue.list()).to.have.length(0);
    expect(await client.resend('kept-0001')).to.equal(null, 'gone once answered');
  });

  it('keeps the call when the endpoint cannot be reached', async () => {
    const queue = new MemoryUploadQueue();
    await queue.put(keptCall('kept-0002'));
    const client = new EndpointClient({ endpoint: ENDPOINT, ticket: 't', fetch: endpoint({ down: true }).fetch, queue });
    let code = '';
    try {
      await client.resend('kept-0002');
    } catch (error) {
      code = (error as { code: string }).code;
    }
    expect(code).to.equal('NETWORK');
    expect((await queue.list()).map((item) => item.id)).to.deep.equal(['kept-0002']);
  });

  it('is sent once when two clients of the page resend it at the same time', async () => {
    const queue = new MemoryUploadQueue();
    await queue.put(keptCall('kept-0003'));
    const { fetch, keys } = endpoint({ delayMs: 50 });
    const first = new EndpointClient({ endpoint: ENDPOINT, ticket: 't', fetch, queue });
    const second = new EndpointClient({ endpoint: ENDPOINT, ticket: 't', fetch, queue });
    const sending = first.resend('kept-0003');
    // The first client holds it from its first await on: the second one sees it in flight.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(second.isSending('kept-0003')).to.equal(true);
    expect(await second.resend('kept-0003')).to.equal(null);
    expect((await sending)?.ok).to.equal(true);
    expect(keys).to.have.length(1);
  });
});
