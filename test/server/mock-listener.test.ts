/// <reference types="node" />
/**
 * The HTTP side the mock vendors share (packages/server/src/mocks/mock-listener.ts), over real
 * HTTP: loopback only, the vendor's own answer when a handler throws, and a close() that open
 * connections cannot hold up.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listenMock } from '../../packages/server/src/mocks/mock-listener.js';
import { sendJson } from '../../packages/server/src/mocks/faults.js';

const vendorError = (response: Parameters<typeof sendJson>[0], error: unknown) => sendJson(response, 500, { code: 999, msg: String(error) });

describe('mock listener', () => {
  it('refuses any host that is not loopback, before listening', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      await assert.rejects(listenMock(async () => undefined, { host, internalError: vendorError }), /loopback only/, host);
    }
  });

  it('answers a handler that throws in the vendor shape, and drops a reply already under way', async () => {
    const listener = await listenMock(
      async (request, response) => {
        if (request.url === '/half') {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.write('{"partial":');
        }
        throw new Error(`broken ${request.url}`);
      },
      { internalError: vendorError },
    );
    try {
      assert.match(listener.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(new URL(listener.url).port, String(listener.port));
      const answer = await fetch(`${listener.url}/whole`);
      assert.equal(answer.status, 500);
      assert.deepEqual(await answer.json(), { code: 999, msg: 'Error: broken /whole' });
      // Headers already sent: the connection is cut, so the client sees a broken body, not a success.
      await assert.rejects(async () => (await fetch(`${listener.url}/half`)).text());
    } finally {
      await listener.close();
    }
  });

  it('closes while a reply is still open, and the waiting client sees the connection end', { timeout: 10_000 }, async () => {
    let replying!: () => void;
    const replyStarted = new Promise<void>((resolve) => {
      replying = resolve;
    });
    const listener = await listenMock(
      async (_request, response) => {
        // A slow vendor: headers out, the body never finishes.
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.write('{');
        replying();
      },
      { host: 'localhost', internalError: vendorError },
    );
    assert.match(listener.url, /^http:\/\/localhost:\d+$/);
    const body = fetch(`${listener.url}/`).then((answer) => answer.text());
    body.catch(() => undefined);
    await replyStarted;
    // server.close() alone would wait for this reply for ever; the test's timeout bounds it.
    await listener.close();
    await assert.rejects(body);
    await assert.rejects(fetch(`${listener.url}/`));
  });
});
