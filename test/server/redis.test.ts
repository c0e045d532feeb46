/// <reference types="node" />
/**
 * Shared state in a real Redis: a `redis-server` on a random loopback port (no persistence),
 * two endpoint instances sharing it and one vendor mock. What one instance records (spent ticket
 * nonces, rate counters, idempotent answers) the other sees.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import {
  RedisStateStore,
  connectRedisStore,
  mintTicket,
  startFacePlatformMock,
  startServer,
  type FacePlatformMock,
  type RunningServer,
} from '../../packages/server/src/index.js';
import { ASTRONAUT_FACE, SECRET, b64, callOp, cropJpeg, repoRoot, samplePhoto } from './helpers.js';

function redisServerPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (!found) {
    throw new Error('redis-server not found: install it (Debian: apt-get install -y redis-server; `npm test` does it when root)');
  }
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface RedisProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts redis-server on 127.0.0.1 with no persistence and waits (at most 10 s) until it answers PING. */
async function startRedis(): Promise<RedisProcess> {
  const binary = redisServerPath();
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${output.slice(-500)}`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') {
        probe.disconnect();
        break;
      }
    } catch {
      probe.disconnect();
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer within 10 s: ${output.slice(-500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Rate windows are whole minutes: start a counting test well inside one. */
async function insideRateWindow(needMs = 5000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('Redis state', { timeout: 90_000 }, () => {
  let redis: RedisProcess;
  let client: Redis;
  let mock: FacePlatformMock;
  let a: RunningServer;
  let b: RunningServer;
  let face: string;
  const adds = () => mock.requests.filter((request) => request.path === '/aicp/face/add').length;

  before(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    mock = await startFacePlatformMock({ port: 0 });
    face = b64(cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE));
    // Two instances, as behind a load balancer: each with its own Redis connection (node.ts makes it).
    const config = {
      ticketSecret: SECRET,
      facePlatform: { url: mock.url, token: mock.token },
      rateLimitPerMinute: 5,
      rateLimitIpPerMinute: 0,
      idempotency: { pollMs: 20 },
    };
    a = await startServer({ port: 0, redisUrl: redis.url, config });
    b = await startServer({ port: 0, redisUrl: redis.url, config });
  });

  after(async () => {
    await a?.close();
    await b?.close();
    await mock?.close();
    client?.disconnect();
    await redis?.stop();
  });

  it('implements the StateStore operations with SET NX PX, GET, SET PX, INCR+PEXPIRE and DEL', async () => {
    const store = new RedisStateStore(client, { prefix: 'unit:' });
    assert.equal(await store.setIfAbsent('nonce', 10_000), true);
    assert.equal(await store.setIfAbsent('nonce', 10_000), false);
    assert.equal(await store.get('nonce'), '1');
    assert.equal(await store.get('absent'), null);
    await store.set('job', '{"state":"running"}', 10_000);
    assert.equal(await store.get('job'), '{"state":"running"}');
    assert.ok((await client.pttl('unit:job')) > 9000);
    assert.deepEqual([await store.incr('count', 5000), await store.incr('count', 5000), await store.incr('count', 5000)], [1, 2, 3]);
    const ttl = await client.pttl('unit:count');
    assert.ok(ttl > 0 && ttl <= 5000, `counter TTL ${ttl}`);
    await store.delete('job');
    assert.equal(await store.get('job'), null);
    await store.set('short', 'x', 50);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(await store.get('short'), null, 'expired by Redis');
    assert.equal(await store.setIfAbsent('short', 50), true, 'an expired nonce can be taken again');
    // The prefix keeps sites apart.
    assert.equal(await new RedisStateStore(client, { prefix: 'other:' }).get('nonce'), null);
  });

  it('refuses on one instance a billable ticket spent on the other (TICKET_REPLAYED)', async () => {
    const ticket = await mintTicket({ secret: SECRET, scopes: ['face.enroll'], ttlSeconds: 120 });
    const first = await callOp(a.url, 'face.enroll', { groupId: 'shared', image: face }, { ticket });
    assert.equal(first.body.code, 'OK', JSON.stringify(first.body));
    const second = await callOp(b.url, 'face.enroll', { groupId: 'shared', image: face }, { ticket });
    assert.equal(second.body.code, 'TICKET_REPLAYED');
    assert.equal(second.status, 401);
    const nonce = JSON.parse(Buffer.from(ticket.split('.')[1], 'base64url').toString()).jti as string;
    assert.equal(await client.get(`facekit:ticket-nonce:${nonce}`), '1', 'the nonce lives in Redis');
  });

  it('holds a rate limit across both instances', async () => {
    await insideRateWindow();
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const ticket = await mintTicket({ secret: SECRET, scopes: ['face.detect'], ttlSeconds: 120, subject: 'shared-user' });
      codes.push((await callOp(i % 2 === 0 ? a.url : b.url, 'face.detect', { image: face }, { ticket })).body.code);
    }
    assert.deepEqual(codes, ['OK', 'OK', 'OK', 'OK', 'OK', 'RATE_LIMITED']);
    const other = await mintTicket({ secret: SECRET, scopes: ['face.detect'], ttlSeconds: 120, subject: 'someone-else' });
    assert.equal((await callOp(b.url, 'face.detect', { image: face }, { ticket: other })).body.code, 'OK');
    assert.ok((await client.keys('facekit:rate:subject:s:shared-user:*')).length === 1);
  });

  it('replays an idempotent call on the other instance, with one vendor call', async () => {
    const ticket = await mintTicket({ secret: SECRET, scopes: ['face.enroll'], ttlSeconds: 120, subject: 'replay-user' });
    const headers = { 'idempotency-key': `redis-${crypto.randomUUID()}` };
    const before = adds();
    const first = await callOp(a.url, 'face.enroll', { groupId: 'shared', image: face }, { ticket, headers });
    assert.equal(first.body.code, 'OK');
    const replayed = await callOp(b.url, 'face.enroll', { groupId: 'shared', image: face }, { ticket, headers });
    assert.equal(replayed.body.code, 'OK');
    assert.equal(replayed.headers.get('idempotent-replay'), 'true');
    assert.deepEqual(replayed.body, first.body);
    assert.equal(adds() - before, 1);
    const stored = await client.keys('facekit:idem:face.enroll:*');
    assert.ok(stored.length >= 1);
    const ttl = await client.pttl(stored[0]);
    assert.ok(ttl > 23 * 3600 * 1000 && ttl <= 24 * 3600 * 1000, `kept 24 h (${ttl} ms left)`);
  });

  it('lets concurrent duplicates on both instances make one vendor call', async () => {
    const ticket = await mintTicket({ secret: SECRET, scopes: ['face.enroll'], ttlSeconds: 120, subject: 'race-user' });
    const headers = { 'idempotency-key': `race-${crypto.randomUUID()}` };
    const before = adds();
    mock.faults.set({ latencyMs: 400, times: 1, path: '/aicp/face/add' });
    const answers = await Promise.all([a, b, a, b].map((server) => callOp(server.url, 'face.enroll', { groupId: 'shared', image: face }, { ticket, headers })));
    assert.deepEqual(answers.map((answer) => answer.body.code), ['OK', 'OK', 'OK', 'OK']);
    assert.equal(new Set(answers.map((answer) => answer.body.requestId)).size, 1);
    assert.equal(adds() - before, 1);
  });

  it('fails fast at start-up when Redis cannot be reached', async () => {
    const nowhere = `redis://127.0.0.1:${await freePort()}`;
    await assert.rejects(connectRedisStore(nowhere), /cannot reach Redis/);
    await assert.rejects(startServer({ port: 0, redisUrl: nowhere, config: { ticketSecret: SECRET } }), /cannot reach Redis/);
  });

  it('is used by `facekit-server start` when FACEKIT_REDIS_URL is set', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'packages/server/src/cli.ts'), 'start', '--port', '0'], {
      cwd: repoRoot,
      env: { ...process.env, FACEKIT_REDIS_URL: redis.url, FACEKIT_TICKET_SECRET: '', FACEKIT_FACE_PLATFORM_URL: '', FACEKIT_LOG: 'off', PORT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no start lines: ${text}`)), 20_000);
        const onData = (chunk: Buffer) => {
          text += chunk.toString();
          if (/shared state: Redis/.test(text) || /facekit-server: /.test(text)) {
            clearTimeout(timer);
            resolve(text);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${text}`)));
      });
      assert.match(output, /listening on http:\/\/127\.0\.0\.1:\d+/);
      assert.match(output, /shared state: Redis/);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
