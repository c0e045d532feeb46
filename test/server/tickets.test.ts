/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStateStore, mintTicket, readTicket, scopeAllows, verifyTicket } from '../../packages/server/src/index.js';
import { SECRET } from './helpers.js';

const NOW = Date.UTC(2030, 0, 1);
const ORIGIN = 'https://shop.example';

async function ticketFor(scopes: string[], extra: { origin?: string; ttlSeconds?: number; now?: number; nonce?: string } = {}) {
  return mintTicket({ secret: SECRET, scopes, ttlSeconds: extra.ttlSeconds ?? 60, origin: extra.origin, now: extra.now ?? NOW, nonce: extra.nonce });
}

describe('tickets', { timeout: 10_000 }, () => {
  it('mints a ticket that verifies and carries its claims', async () => {
    const ticket = await mintTicket({ secret: SECRET, scopes: ['face.search'], origin: 'https://Shop.Example/', ttlSeconds: 300, subject: 'user-7', now: NOW });
    assert.match(ticket, /^fk1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const verdict = await verifyTicket(ticket, { secret: SECRET, op: 'face.search', origin: ORIGIN, now: NOW + 1000 });
    assert.ok(verdict.ok);
    assert.deepEqual(verdict.claims.scp, ['face.search']);
    assert.equal(verdict.claims.org, ORIGIN);
    assert.equal(verdict.claims.sub, 'user-7');
    assert.equal(verdict.claims.exp, NOW / 1000 + 300);
    assert.equal(verdict.claims.jti.length, 32);
  });

  it('answers TICKET_MISSING without a ticket', async () => {
    assert.deepEqual(await verifyTicket(undefined, { secret: SECRET, op: 'face.search' }), { ok: false, code: 'TICKET_MISSING' });
    assert.deepEqual(await verifyTicket('', { secret: SECRET, op: 'face.search' }), { ok: false, code: 'TICKET_MISSING' });
  });

  it('answers TICKET_INVALID for forged, re-signed or malformed tickets', async () => {
    const ticket = await ticketFor(['face.search']);
    const [prefix, payload, signature] = ticket.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    claims.scp = ['*', 'admin'];
    const widened = `${prefix}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const otherSecret = await mintTicket({ secret: 'another-secret-0123456789', scopes: ['face.search'], ttlSeconds: 60, now: NOW });
    const flipped = ticket.slice(0, -2) + (ticket.endsWith('AA') ? 'BB' : 'AA');
    for (const bad of [widened, otherSecret, flipped, 'fk1.e30.AAAA', 'garbage', `${ticket}.extra`, 'fk2' + ticket.slice(3)]) {
      assert.deepEqual(await verifyTicket(bad, { secret: SECRET, op: 'face.search', now: NOW }), { ok: false, code: 'TICKET_INVALID' }, bad);
    }
    assert.equal(await readTicket(widened, SECRET), null);
  });

  it('answers TICKET_EXPIRED once the lifetime has passed', async () => {
    const ticket = await ticketFor(['face.search'], { ttlSeconds: 30 });
    assert.ok((await verifyTicket(ticket, { secret: SECRET, op: 'face.search', now: NOW + 29_000 })).ok);
    assert.deepEqual(await verifyTicket(ticket, { secret: SECRET, op: 'face.search', now: NOW + 30_000 }), { ok: false, code: 'TICKET_EXPIRED' });
  });

  it('answers TICKET_SCOPE for ops outside the scopes; admin ops need the admin scope', async () => {
    const search = await ticketFor(['face.search']);
    assert.deepEqual(await verifyTicket(search, { secret: SECRET, op: 'face.enroll', now: NOW }), { ok: false, code: 'TICKET_SCOPE' });
    const family = await ticketFor(['face.*']);
    assert.ok((await verifyTicket(family, { secret: SECRET, op: 'face.searchMany', now: NOW })).ok);
    assert.deepEqual(await verifyTicket(family, { secret: SECRET, op: 'idPhoto.make', now: NOW }), { ok: false, code: 'TICKET_SCOPE' });
    assert.deepEqual(await verifyTicket(family, { secret: SECRET, op: 'library.list', now: NOW }), { ok: false, code: 'TICKET_SCOPE' });
    const everything = await ticketFor(['*']);
    assert.deepEqual(await verifyTicket(everything, { secret: SECRET, op: 'library.list', now: NOW }), { ok: false, code: 'TICKET_SCOPE' });
    const admin = await ticketFor(['admin']);
    assert.ok((await verifyTicket(admin, { secret: SECRET, op: 'library.list', now: NOW })).ok);
    assert.equal(scopeAllows(['face.*'], 'faceid.verify'), false);
    assert.equal(scopeAllows(['face.*'], 'face.get'), true);
  });

  it('answers ORIGIN_DENIED when the request origin is not the bound one', async () => {
    const bound = await ticketFor(['face.search'], { origin: ORIGIN });
    assert.deepEqual(await verifyTicket(bound, { secret: SECRET, op: 'face.search', origin: 'https://evil.example', now: NOW }), { ok: false, code: 'ORIGIN_DENIED' });
    assert.deepEqual(await verifyTicket(bound, { secret: SECRET, op: 'face.search', origin: null, now: NOW }), { ok: false, code: 'ORIGIN_DENIED' });
    assert.ok((await verifyTicket(bound, { secret: SECRET, op: 'face.search', origin: 'HTTPS://shop.example/', now: NOW })).ok);
    const unbound = await ticketFor(['face.search']);
    assert.ok((await verifyTicket(unbound, { secret: SECRET, op: 'face.search', origin: 'https://any.example', now: NOW })).ok);
  });

  it('answers TICKET_REPLAYED when a billable op sees a nonce again', async () => {
    const store = new MemoryStateStore(() => NOW);
    const ticket = await ticketFor(['face.*']);
    const options = { secret: SECRET, op: 'face.enroll', now: NOW, store };
    // Only checking leaves the nonce unspent.
    assert.ok((await verifyTicket(ticket, { ...options, consume: false })).ok);
    assert.ok((await verifyTicket(ticket, options)).ok);
    assert.deepEqual(await verifyTicket(ticket, options), { ok: false, code: 'TICKET_REPLAYED' });
    assert.deepEqual(await verifyTicket(ticket, { ...options, consume: false }), { ok: false, code: 'TICKET_REPLAYED' });
    // Non-billable ops may reuse a ticket until it expires.
    assert.ok((await verifyTicket(ticket, { ...options, op: 'face.search' })).ok);
    assert.ok((await verifyTicket(ticket, { ...options, op: 'face.search' })).ok);
  });

  it('refuses to mint with a short secret, no scopes or an unbounded lifetime', async () => {
    await assert.rejects(mintTicket({ secret: 'short', scopes: ['face.search'], ttlSeconds: 60 }), TypeError);
    await assert.rejects(mintTicket({ secret: SECRET, scopes: [' '], ttlSeconds: 60 }), TypeError);
    await assert.rejects(mintTicket({ secret: SECRET, scopes: ['face.search'], ttlSeconds: 0 }), RangeError);
    await assert.rejects(mintTicket({ secret: SECRET, scopes: ['face.search'], ttlSeconds: 7 * 86_400 }), RangeError);
  });
});

describe('MemoryStateStore', () => {
  it('keeps keys for their TTL only', async () => {
    let now = 0;
    const store = new MemoryStateStore(() => now);
    assert.equal(await store.setIfAbsent('a', 1000), true);
    assert.equal(await store.setIfAbsent('a', 1000), false);
    await store.set('b', 'value', 500);
    assert.equal(await store.get('b'), 'value');
    assert.equal(await store.incr('n', 1000), 1);
    assert.equal(await store.incr('n', 1000), 2);
    now = 600;
    assert.equal(await store.get('b'), null);
    assert.equal(await store.incr('n', 1000), 3);
    now = 1000;
    assert.equal(await store.setIfAbsent('a', 1000), true);
    assert.equal(await store.incr('n', 1000), 1);
    assert.equal(store.size, 2);
  });
});
