/**
 * The signing endpoint as a Hono app: a web-standard fetch handler with no Node APIs, so it runs
 * on Node (see node.ts) and on serverless runtimes alike.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { FacekitError, type KitCode, type Lang } from '../../core/src/shared/index.js';
import { EndpointError, type VendorInfo } from './endpoint-error.js';
import { httpStatusOf, makeEnvelope, pickLang } from './envelope.js';
import { MediaLinks } from './media.js';
import { createFacePlatformOps } from './ops/face-platform.js';
import { OpRegistry } from './ops/registry.js';
import type { OpContext, RegisteredOp } from './ops/types.js';
import { originMatcher } from './origins.js';
import { MemoryStateStore, type StateStore } from './state.js';
import { consumeTicketNonce, mintTicket, normaliseOrigin, ticketFromAuthorization, verifyTicket } from './tickets.js';
import { FacePlatformClient, type FacePlatformConfig } from './vendors/face-platform/client.js';
import { FACE_PLATFORM } from './vendors/face-platform/errors.js';
import { DEFAULT_VENDOR_TIMEOUT_MS, type FetchFunction } from './vendors/http.js';

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const DEFAULT_DEMO_TICKET_TTL_SECONDS = 300;
const MAX_DEMO_TICKET_TTL_SECONDS = 3600;

/** Fetches an image a vendor stores, for the media route. */
export type ImageSource = (vendorUrl: string) => Promise<{ bytes: Uint8Array; contentType: string }>;

export interface AppConfig {
  /** HMAC key of tickets and media links; at least 16 characters. */
  ticketSecret: string;
  /** Demo mode: adds `GET /v1/demo/ticket`. */
  demo?: boolean;
  /** Origin rules (see origins.ts); default `['self', 'loopback']` in demo mode, else `['self']`. */
  allowedOrigins?: string[];
  facePlatform?: FacePlatformConfig;
  /** Default bound of vendor calls when an adapter sets none (15 s). */
  vendorTimeoutMs?: number;
  /** Largest request body (8 MB); larger answers IMAGE_TOO_LARGE. */
  maxBodyBytes?: number;
  /** Nonces and, later, rate limits and jobs; in memory by default. */
  store?: StateStore;
  /** Public base URL of the endpoint (behind a proxy); media links and `self` use it. */
  publicUrl?: string;
  mediaTtlSeconds?: number;
  demoTicketTtlSeconds?: number;
  /** Extra ops (later adapters) registered beside the built-in ones. */
  ops?: RegisteredOp[];
  /** Extra image sources for media links, by vendor name. */
  imageSources?: Record<string, ImageSource>;
  /** Fetch used for vendor calls (tests, custom agents). */
  fetch?: FetchFunction;
}

type Env = { Variables: { requestId: string; lang: Lang } };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function createApp(config: AppConfig): Hono<Env> {
  if (typeof config.ticketSecret !== 'string' || config.ticketSecret.length < 16) {
    throw new TypeError('ticketSecret must be at least 16 characters');
  }
  const store = config.store ?? new MemoryStateStore();
  // Loopback pages are trusted by default only in demo mode, where the demo and dev servers run there.
  const originAllowed = originMatcher(config.allowedOrigins ?? (config.demo ? ['self', 'loopback'] : ['self']));
  const media = new MediaLinks(config.ticketSecret, config.mediaTtlSeconds);
  const publicBase = config.publicUrl ? config.publicUrl.replace(/\/+$/, '') : undefined;

  const facePlatform = config.facePlatform
    ? new FacePlatformClient({
        ...config.facePlatform,
        timeoutMs: config.facePlatform.timeoutMs ?? config.vendorTimeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS,
        fetch: config.facePlatform.fetch ?? config.fetch,
      })
    : undefined;
  const registry = new OpRegistry().register(...createFacePlatformOps(facePlatform), ...(config.ops ?? []));
  const imageSources: Record<string, ImageSource> = { ...config.imageSources };
  if (facePlatform) imageSources[FACE_PLATFORM] = (url) => facePlatform.fetchImage(url);

  const selfOrigin = (c: Context<Env>): string => (publicBase ? new URL(publicBase).origin : new URL(c.req.url).origin);

  const respond = (c: Context<Env>, code: KitCode, extra: { data?: unknown; vendor?: VendorInfo } = {}) => {
    c.header('Cache-Control', 'no-store');
    return c.json(makeEnvelope(code, c.get('lang'), c.get('requestId'), extra), httpStatusOf(code) as 200);
  };

  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('lang', pickLang(c.req.query('lang'), c.req.header('accept-language')));
    await next();
    c.res.headers.set('X-Request-Id', requestId);
  });

  app.use(
    '*',
    cors({
      origin: (origin, c) => (originAllowed(origin, selfOrigin(c as Context<Env>)) ? origin : null),
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type', 'Accept-Language', 'X-Request-Id', 'Idempotency-Key'],
      exposeHeaders: ['X-Request-Id'],
      maxAge: 600,
    }),
  );

  app.onError((error, c) => {
    if (error instanceof EndpointError) return respond(c, error.code, { data: error.data, vendor: error.vendor });
    if (error instanceof FacekitError) return respond(c, error.code);
    console.error(`[facekit ${c.get('requestId')}]`, error);
    return respond(c, 'INTERNAL');
  });

  app.notFound((c) => respond(c, 'NOT_FOUND'));

  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ ok: true });
  });

  /** Refuses browsers of origins that are not allowed, before anything else is done for them. */
  const checkOrigin = (c: Context<Env>): string | null => {
    const origin = c.req.header('origin') ?? null;
    if (origin !== null && !originAllowed(origin, selfOrigin(c))) throw new EndpointError('ORIGIN_DENIED');
    return origin;
  };

  app.post(
    '/v1/ops/:op',
    bodyLimit({ maxSize: config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, onError: (c) => respond(c as Context<Env>, 'IMAGE_TOO_LARGE') }),
    async (c) => {
      const origin = checkOrigin(c);
      const op = registry.get(c.req.param('op'));
      if (!op) throw new EndpointError('UNKNOWN_OP');

      // The nonce is only checked here; it is spent once the request proved valid.
      const verdict = await verifyTicket(ticketFromAuthorization(c.req.header('authorization')), {
        secret: config.ticketSecret,
        op: op.name,
        origin,
        store,
        billable: op.billable,
        admin: op.admin,
        consume: false,
      });
      if (!verdict.ok) throw new EndpointError(verdict.code);

      // Read outside the try: an over-long body must reach bodyLimit's handler, not look like bad JSON.
      const text = await c.req.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new EndpointError('BAD_REQUEST', { data: { reason: 'body is not JSON' } });
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new EndpointError('BAD_REQUEST', { data: { reason: 'body must be a JSON object' } });
      }
      const call = op.prepare(body as Record<string, unknown>);
      if (op.billable && !(await consumeTicketNonce(verdict.claims, store))) throw new EndpointError('TICKET_REPLAYED');

      const mediaBase = publicBase ?? new URL(c.req.url).origin + c.req.path.slice(0, c.req.path.lastIndexOf('/v1/ops/'));
      const context: OpContext = {
        requestId: c.get('requestId'),
        lang: c.get('lang'),
        ticket: verdict.claims,
        linkImage: async (vendor, url) => `${mediaBase}/v1/media/${await media.seal({ vendor, url })}`,
      };
      const result = await call(context);
      return respond(c, result.code ?? 'OK', { data: result.data, vendor: result.vendor });
    },
  );

  app.all('/v1/ops/:op', (c) => {
    c.header('Allow', 'POST, OPTIONS');
    return respond(c, 'BAD_REQUEST', { data: { reason: 'use POST' } });
  });

  // Capability URL: the sealed id is the authorisation, as <img> cannot send a ticket.
  app.get('/v1/media/:id', async (c) => {
    const opened = await media.open(c.req.param('id'));
    if (!opened.ok) throw new EndpointError('NOT_FOUND', { data: { reason: opened.reason } });
    const source = imageSources[opened.image.vendor];
    if (!source) throw new EndpointError('NOT_FOUND', { data: { reason: 'unknown vendor' } });
    const image = await source(opened.image.url);
    return new Response(image.bytes as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: {
        'Content-Type': image.contentType,
        'Cache-Control': 'private, max-age=300',
        'X-Content-Type-Options': 'nosniff',
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Content-Security-Policy': "default-src 'none'",
      },
    });
  });

  if (config.demo) {
    const defaultTtl = Math.min(config.demoTicketTtlSeconds ?? DEFAULT_DEMO_TICKET_TTL_SECONDS, MAX_DEMO_TICKET_TTL_SECONDS);
    // Demo pages get tickets from the endpoint itself; a real site mints them in its backend.
    app.get('/v1/demo/ticket', async (c) => {
      const origin = checkOrigin(c) ?? selfOrigin(c);
      const scopes = (c.req.query('scopes') ?? 'face.*').split(',').map((scope) => scope.trim()).filter(Boolean);
      if (scopes.length === 0 || scopes.length > 32 || scopes.some((scope) => scope.length > 64)) {
        throw new EndpointError('BAD_REQUEST', { data: { field: 'scopes' } });
      }
      if (scopes.includes('admin')) throw new EndpointError('TICKET_SCOPE', { data: { reason: 'demo tickets never carry the admin scope' } });
      const ttlText = c.req.query('ttl');
      const ttlSeconds = ttlText === undefined ? defaultTtl : Number(ttlText);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_DEMO_TICKET_TTL_SECONDS) {
        throw new EndpointError('BAD_REQUEST', { data: { field: 'ttl' } });
      }
      const now = Date.now();
      const ticket = await mintTicket({ secret: config.ticketSecret, scopes, origin, ttlSeconds, now });
      return respond(c, 'OK', {
        data: { ticket, scopes, origin: normaliseOrigin(origin), expiresAt: new Date(Math.floor(now / 1000) * 1000 + ttlSeconds * 1000).toISOString() },
      });
    });
  }

  return app;
}
