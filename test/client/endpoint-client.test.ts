import { expect } from '@open-wc/testing';
import { clear, createStore, values } from 'idb-keyval';
import {
  EndpointClient,
  EndpointError,
  IdbUploadQueue,
  KIT_CODES,
  MESSAGES,
  MemoryUploadQueue,
  kitMessage,
  type Envelope,
  type QueuedUpload,
  type UploadQueue,
} from '../../packages/core/src/client/index.js';
import { kitFailure } from './kit-failure.js';

interface Recorded {
  url: string;
  init: RequestInit;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

type Answer = (request: Recorded) => Promise<Response> | Response;

/** A fetch that records requests and answers with `answer`. */
function fakeFetch(answer: Answer = () => json({ ok: true, code: 'OK', message: 'Done', data: { done: true }, requestId: 'r-1' })) {
  const requests: Recorded[] = [];
  const fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const recorded: Recorded = {
      url: String(input),
      init,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: JSON.parse(String(init.body)),
    };
    requests.push(recorded);
    return answer(recorded);
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } });
}

const networkDown: Answer = () => Promise.reject(new TypeError('Failed to fetch'));


describe('EndpointClient (fake fetch)', () => {
  it('POSTs JSON to <endpoint>/v1/ops/<op> with ticket, language and idempotency key', async () => {
    const { fetch, requests } = fakeFetch();
    const client = new EndpointClient({ endpoint: 'https://api.example/facekit//', ticket: 't-1', lang: 'en', fetch });
    const envelope = await client.call<{ done: boolean }>('face.enroll', { image: 'AAAA' }, { idempotencyKey: 'k-1' });
    expect(envelope.ok).to.equal(true);
    expect(envelope.data!.done).to.equal(true);
    const [request] = requests;
    expect(request.url).to.equal('https://api.example/facekit/v1/ops/face.enroll');
    expect(request.init.method).to.equal('POST');
    expect(request.headers.authorization).to.equal('Bearer t-1');
    expect(request.headers['content-type']).to.equal('application/json');
    expect(request.headers['accept-language']).to.equal('en');
    expect(request.headers['idempotency-key']).to.equal('k-1');
    expect(request.body).to.deep.equal({ image: 'AAAA' });

    await client.call('face.get', {});
    expect(requests[1].headers).to.not.have.property('idempotency-key');
  });

  it('resolves a relative endpoint against the document', async () => {
    const { fetch, requests } = fakeFetch();
    await new EndpointClient({ endpoint: '/api/', fetch }).call('face.get', {});
    expect(requests[0].url).to.equal(`${location.origin}/api/v1/ops/face.get`);
    expect(requests[0].headers['accept-language']).to.equal('zh-CN');
  });

  it('asks the ticket provider before each call', async () => {
    const { fetch, requests } = fakeFetch();
    let issued = 0;
    const client = new EndpointClient({
      endpoint: 'https://api.example',
      ticket: 'static',
      ticketProvider: async () => `single-use-${++issued}`,
      fetch,
    });
    await client.call('face.search', {});
    await client.call('face.search', {});
    expect(issued).to.equal(2);
    expect(requests.map((request) => request.headers.authorization)).to.deep.equal(['Bearer single-use-1', 'Bearer single-use-2']);
  });

  it('turns an error envelope into an EndpointError with its code', async () => {
    const envelope = {
      ok: false,
      code: 'TICKET_EXPIRED',
      message: '访问票据已过期',
      vendor: { name: 'mock', code: 'x', message: 'y' },
      requestId: 'r-9',
    };
    const { fetch } = fakeFetch(() => json(envelope, 401));
    const error = await kitFailure(new EndpointClient({ endpoint: 'https://api.example', fetch }).call('face.enroll', {}));
    expect(error).to.be.instanceOf(EndpointError);
    const endpointError = error as EndpointError;
    expect(endpointError.code).to.equal('TICKET_EXPIRED');
    expect(endpointError.retryable).to.equal(KIT_CODES.TICKET_EXPIRED.retryable);
    expect(endpointError.message).to.equal('访问票据已过期');
    expect(endpointError.envelope).to.deep.equal(envelope);
    expect(endpointError.requestId).to.equal('r-9');
    expect(endpointError.status).to.equal(401);

    const { fetch: strange } = fakeFetch(() => json({ ok: false, code: 'SOMETHING_NEW', message: '', requestId: 'r-10' }, 500));
    const unknown = await kitFailure(new EndpointClient({ endpoint: 'https://api.example', fetch: strange, lang: 'en' }).call('x', {}));
    expect(unknown.code).to.equal('INTERNAL');
  });

  it('maps network failures and timeouts to a retryable NETWORK, and a cancel to ABORTED', async () => {
    const { fetch } = fakeFetch(networkDown);
    const down = await kitFailure(new EndpointClient({ endpoint: 'https://api.example', fetch, lang: 'en' }).call('face.get', {}));
    expect(down.code).to.equal('NETWORK');
    expect(down.retryable).to.equal(true);
    expect(down.message).to.equal(MESSAGES.en['error.network']);

    // A fetch that only ends when its signal aborts.
    const { fetch: hanging } = fakeFetch(
      ({ init }) =>
        new Promise<Response>((_, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    );
    const slow = new EndpointClient({ endpoint: 'https://api.example', fetch: hanging, timeoutMs: 50, lang: 'en' });
    const timeout = await kitFailure(slow.call('face.get', {}));
    expect(timeout.code).to.equal('NETWORK');
    expect(timeout.message).to.equal(MESSAGES.en['error.timeout']);

    const controller = new AbortController();
    const pending = new EndpointClient({ endpoint: 'https://api.example', fetch: hanging }).call('face.get', {}, { signal: controller.signal });
    controller.abort();
    expect((await kitFailure(pending)).code).to.equal('ABORTED');
  });

  it('maps answers that are not envelopes', async () => {
    const html = () => new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } });
    expect((await kitFailure(new EndpointClient({ endpoint: 'https://a.example', fetch: fakeFetch(html).fetch }).call('x', {}))).code).to.equal('INTERNAL');
    const tooLarge = () => new Response('Request Entity Too Large', { status: 413 });
    expect((await kitFailure(new EndpointClient({ endpoint: 'https://a.example', fetch: fakeFetch(tooLarge).fetch }).call('x', {}))).code).to.equal(
      'IMAGE_TOO_LARGE',
    );
    const notEnvelope = () => json({ hello: 'world' });
    expect((await kitFailure(new EndpointClient({ endpoint: 'https://a.example', fetch: fakeFetch(notEnvelope).fetch }).call('x', {}))).code).to.equal(
      'VENDOR_ERROR',
    );
  });

  it('submit() keeps a call on network failure, and flush() delivers it once', async () => {
    const queue = new MemoryUploadQueue();
    let online = false;
    const { fetch, requests } = fakeFetch((request) =>
      online ? json({ ok: true, code: 'OK', message: 'Done', data: request.body, requestId: `r-${requests.length}` }) : networkDown(request),
    );
    const client = new EndpointClient({ endpoint: 'https://api.example', ticketProvider: async () => 'fresh', fetch, queue, lang: 'en' });

    const error = await kitFailure(client.submit('face.enroll', { n: 1 }));
    expect(error.code).to.equal('NETWORK');
    expect(error.retryable).to.equal(true);
    // A memory queue keeps it only while the page lives, and the message says so.
    expect(error.message).to.equal(MESSAGES.en['error.network-kept-in-memory']);
    const [kept] = await client.pending();
    expect(kept.op).to.equal('face.enroll');
    expect(kept.body).to.deep.equal({ n: 1 });
    expect(kept.idempotencyKey).to.match(/^[0-9a-f-]{36}$/);
    expect(requests[0].headers['idempotency-key']).to.equal(kept.idempotencyKey);

    // Still offline: flush stops and keeps it.
    expect(await client.flush()).to.deep.equal([]);
    expect(await client.pending()).to.have.length(1);

    online = true;
    const [first, second] = await Promise.all([client.flush(), client.flush()]);
    expect(first).to.equal(second);
    expect(first).to.have.length(1);
    expect(first[0].data).to.deep.equal({ n: 1 });
    expect(await client.pending()).to.deep.equal([]);
    expect(await client.flush()).to.deep.equal([]);
    const deliveries = requests.filter((request) => request.headers['idempotency-key'] === kept.idempotencyKey);
    // The failed submit, the offline flush, then the one delivery; concurrent flushes sent it once.
    expect(deliveries).to.have.length(3);
    expect(requests.at(-1)!.headers.authorization).to.equal('Bearer fresh');
  });

  it('submit() drops a call the endpoint answered, success or error', async () => {
    const queue = new MemoryUploadQueue();
    let answer: Envelope = { ok: true, code: 'OK', message: 'Done', requestId: 'r-1' };
    const { fetch } = fakeFetch(() => json(answer, answer.ok ? 200 : 422));
    const client = new EndpointClient({ endpoint: 'https://api.example', fetch, queue });
    await client.submit('face.enroll', {});
    expect(await queue.list()).to.deep.equal([]);
    answer = { ok: false, code: 'NO_FACE', message: 'No face', requestId: 'r-2' };
    expect((await kitFailure(client.submit('face.enroll', {}))).code).to.equal('NO_FACE');
    expect(await queue.list()).to.deep.equal([]);
    answer = { ok: false, code: 'RATE_LIMITED', message: 'slow down', requestId: 'r-3' };
    expect((await kitFailure(client.submit('face.enroll', {}))).code).to.equal('RATE_LIMITED');
    expect(await queue.list()).to.deep.equal([]);
  });

  it('says the capture is kept when the queue persists it', async () => {
    const items = new Map<string, QueuedUpload>();
    const persistent: UploadQueue = {
      degraded: false,
      put: async (item) => void items.set(item.id, item),
      delete: async (id) => void items.delete(id),
      list: async () => [...items.values()],
    };
    const { fetch } = fakeFetch(networkDown);
    const client = new EndpointClient({ endpoint: 'https://api.example', fetch, queue: persistent, lang: 'zh-CN' });
    const error = await kitFailure(client.submit('face.enroll', {}, { idempotencyKey: 'same' }));
    expect(error.message).to.equal(kitMessage('NETWORK', 'zh-CN'));
    // A retry of the same capture reuses its key and its queue entry.
    await kitFailure(client.submit('face.enroll', {}, { idempotencyKey: 'same' }));
    expect(items.size).to.equal(1);
  });

  it('leaves other endpoints’ calls alone and drops stale ones', async () => {
    const queue = new MemoryUploadQueue();
    const now = Date.now();
    await queue.put({ id: 'other', op: 'a', body: {}, idempotencyKey: 'other', createdAt: now, endpoint: 'https://other.example' });
    await queue.put({ id: 'old', op: 'a', body: {}, idempotencyKey: 'old', createdAt: now - 2 * 86_400_000, endpoint: 'https://api.example' });
    await queue.put({ id: 'mine', op: 'a', body: {}, idempotencyKey: 'mine', createdAt: now, endpoint: 'https://api.example' });
    const { fetch, requests } = fakeFetch();
    const client = new EndpointClient({ endpoint: 'https://api.example/', fetch, queue });
    expect((await client.pending()).map((item) => item.id)).to.deep.equal(['mine']);
    await client.flush();
    expect(requests.map((request) => request.headers['idempotency-key'])).to.deep.equal(['mine']);
    expect((await queue.list()).map((item) => item.id)).to.deep.equal(['other']);
  });
});

const TEST_ENDPOINT = `${location.origin}/__facekit-test/endpoint`;

async function control(path: string): Promise<unknown> {
  const response = await fetch(`${TEST_ENDPOINT}/${path}`, { method: 'POST' });
  return response.json();
}

interface LoggedRequest {
  op: string;
  body: string;
  authorization: string;
  acceptLanguage: string;
  contentType: string;
  idempotencyKey: string;
}

describe('EndpointClient (real HTTP and IndexedDB)', () => {
  const store = () => createStore('facekit', 'uploads');
  beforeEach(async () => {
    await control('_reset');
    await clear(store());
  });
  after(async () => {
    await control('_reset');
  });

  it('talks to a real endpoint', async () => {
    const client = new EndpointClient({ endpoint: `${TEST_ENDPOINT}/`, ticket: 'real-ticket', lang: 'en' });
    const envelope = await client.call<{ op: string; received: unknown }>('face.detect', { image: 'QUJD' });
    expect(envelope).to.include({ ok: true, code: 'OK', requestId: 'r-1' });
    expect(envelope.data).to.deep.equal({ op: 'face.detect', received: { image: 'QUJD' } });
    const [logged] = (await control('_log')) as LoggedRequest[];
    expect(logged).to.include({ authorization: 'Bearer real-ticket', acceptLanguage: 'en', contentType: 'application/json' });

    const error = await kitFailure(client.call('test.fail', {}));
    expect(error).to.be.instanceOf(EndpointError);
    expect(error.code).to.equal('NO_FACE');
    expect((error as EndpointError).status).to.equal(422);
    expect((error as EndpointError).envelope.vendor?.code).to.equal('222202');

    expect((await kitFailure(client.call('test.html', {}))).code).to.equal('INTERNAL');
  });

  it('keeps an offline submit in IndexedDB and flush delivers it exactly once', async () => {
    const client = new EndpointClient({ endpoint: TEST_ENDPOINT, ticketProvider: async () => 'fresh', lang: 'en' });
    await control('_offline');
    const error = await kitFailure(client.submit('face.enroll', { image: 'QUJD', groupId: 'g' }));
    expect(error.code).to.equal('NETWORK');
    expect(error.message).to.equal(kitMessage('NETWORK', 'en'));
    expect(client.degraded).to.equal(false);

    // Stored in IndexedDB itself: a new queue (as after a reload) sees it.
    const stored = await values<QueuedUpload>(store());
    expect(stored).to.have.length(1);
    expect(stored[0]).to.include({ op: 'face.enroll', endpoint: TEST_ENDPOINT });
    const reloaded = new EndpointClient({ endpoint: TEST_ENDPOINT, ticketProvider: async () => 'fresh', queue: new IdbUploadQueue() });
    expect(await reloaded.pending()).to.have.length(1);

    await control('_online');
    const delivered = await reloaded.flush();
    expect(delivered).to.have.length(1);
    expect(delivered[0].ok).to.equal(true);
    expect(await reloaded.flush()).to.deep.equal([]);
    expect(await values(store())).to.deep.equal([]);

    const log = (await control('_log')) as LoggedRequest[];
    expect(log).to.have.length(1);
    expect(log[0].idempotencyKey).to.equal(stored[0].idempotencyKey);
    expect(JSON.parse(log[0].body)).to.deep.equal({ image: 'QUJD', groupId: 'g' });
  });
});

describe('IdbUploadQueue', () => {
  it('falls back to memory, marked degraded, when IndexedDB throws', async () => {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = () => {
      throw new DOMException('blocked', 'InvalidStateError');
    };
    try {
      const queue = new IdbUploadQueue({ dbName: 'facekit-broken' });
      expect(queue.degraded).to.equal(false);
      await queue.put({ id: 'a', op: 'x', body: {}, idempotencyKey: 'a', createdAt: 2 });
      await queue.put({ id: 'b', op: 'x', body: {}, idempotencyKey: 'b', createdAt: 1 });
      expect(queue.degraded).to.equal(true);
      expect((await queue.list()).map((item) => item.id)).to.deep.equal(['b', 'a']);
      await queue.delete('a');
      expect((await queue.list()).map((item) => item.id)).to.deep.equal(['b']);
    } finally {
      IDBFactory.prototype.open = open;
    }
  });

  it('falls back when IndexedDB never answers', async () => {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = () => ({}) as IDBOpenDBRequest;
    try {
      const queue = new IdbUploadQueue({ dbName: 'facekit-hanging', timeoutMs: 100 });
      expect(await queue.list()).to.deep.equal([]);
      expect(queue.degraded).to.equal(true);
    } finally {
      IDBFactory.prototype.open = open;
    }
  });
});
