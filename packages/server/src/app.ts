/**
 * The signing endpoint as a Hono app: a web-standard fetch handler with no Node APIs, so it runs
 * on Node (see node.ts) and on serverless runtimes alike.
 */
import { Hono, type Context } from 'hono';
import { FacekitError, type KitCode, type Lang } from '../../core/src/shared/index.js';
import { EndpointError, type VendorInfo } from './endpoint-error.js';
import { httpStatusOf, makeEnvelope, pickLang } from './envelope.js';
import {
  IDEMPOTENCY_HEADER,
  REPLAY_HEADER,
  corsAllowlist,
  createHardening,
  levelOf,
  outcomeOf,
  readIdempotencyKey,
  readJsonObject,
  refuseDeclaredOversize,
  requestFingerprint,
  type HardeningConfig,
  type RequestFacts,
  type StoredAnswer,
} from './hardening/index.js';
import type { IdempotencyClaim } from './hardening/idempotency.js';
import { scrubText } from './hardening/logger.js';
import { MediaLinks } from './media.js';
import { createFacePlatformOps } from './ops/face-platform.js';
import { setUpIdPhotoAndSkin } from './ops/id-photo-skin.js';
import { createGatewayVendors } from './ops/gateway-vendors.js';
import type { FaceIdConfig } from './vendors/faceid/client.js';
import type { FaceImageConfig } from './vendors/face-image/client.js';
import type { IdPhotoConfig } from './vendors/id-photo/client.js';
import type { SkinConfig } from './vendors/skin/client.js';
import { OpRegistry } from './ops/registry.js';
import type { OpContext, OpResult, RegisteredOp } from './ops/types.js';
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

/** Hardening options (rate limits, retries, idempotency, log): see hardening/index.ts. */
export interface AppConfig extends HardeningConfig {
  /** HMAC key of tickets and media links; at least 16 characters. */
  ticketSecret: string;
  /** Demo mode: adds `GET /v1/demo/ticket`. */
  demo?: boolean;
  /** Origin rules (see origins.ts); default `['self', 'loopback']` in demo mode, else `['self']`. */
  allowedOrigins?: string[];
  facePlatform?: FacePlatformConfig;
  /** ID-photo API (Huawei APIG, AppKey/AppSecret): `idPhoto.make`. */
  idPhoto?: IdPhotoConfig;
  /** Skin-analysis API (OAuth2 client credentials): `skin.analyze`, `skin.result`. */
  skin?: SkinConfig;
  /** FaceID liveness (Alibaba gateway, AppKey/AppSecret or AppCode): `liveness.start|verify|result`. */
  faceid?: FaceIdConfig;
  /** Face-image lookup (Alibaba gateway, AppKey/AppSecret or AppCode): `face.image`. */
  faceImage?: FaceImageConfig;
  /** Default bound of vendor calls when an adapter sets none (10 s). */
  vendorTimeoutMs?: number;
  /** Largest request body (8 MB), counted as received; larger answers IMAGE_TOO_LARGE (413). */
  maxBodyBytes?: number;
  /** Nonces, rate limits, idempotency records and jobs; in memory by default, RedisStateStore to share. */
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

type Env = { Variables: { requestId: string; lang: Lang; facts: RequestFacts } };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function createApp(config: AppConfig): Hono<Env> {
  if (typeof config.ticketSecret !== 'string' || config.ticketSecret.length < 16) {
    throw new TypeError('ticketSecret must be at least 16 characters');
  }
  const store = config.store ?? new MemoryStateStore();
  const hardening = createHardening(config, store);
  const maxBodyBytes = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
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
  const idPhotoSkin = setUpIdPhotoAndSkin(config);
  const gatewayVendors = createGatewayVendors(config);
  const registry = new OpRegistry().register(...createFacePlatformOps(facePlatform), ...idPhotoSkin.ops, ...gatewayVendors.ops, ...(config.ops ?? []));
  const imageSources: Record<string, ImageSource> = { ...idPhotoSkin.imageSources, ...gatewayVendors.imageSources, ...config.imageSources };
  if (facePlatform) imageSources[FACE_PLATFORM] = (url) => facePlatform.fetchImage(url);

  const selfOrigin = (c: Context<Env>): string => (publicBase ? new URL(publicBase).origin : new URL(c.req.url).origin);

  const respond = (c: Context<Env>, code: KitCode, extra: { data?: unknown; vendor?: VendorInfo } = {}) => {
    const facts = c.get('facts');
    facts.code = code;
    if (extra.vendor) facts.vendor = extra.vendor;
    c.header('Cache-Control', 'no-store');
    const envelope = makeEnvelope(code, c.get('lang'), c.get('requestId'), extra);
    // Field errors say which field, so that a developer sees it without reading `data`.
    const field = (extra.data as { field?: unknown } | undefined)?.field;
    if (code !== 'OK' && typeof field === 'string') envelope.message += c.get('lang') === 'en' ? ` (field: ${field})` : `（字段：${field}）`;
    return c.json(envelope, httpStatusOf(code) as 200);
  };

  /** The stored answer of an Idempotency-Key, with the requestId of the call that produced it. */
  const replay = (c: Context<Env>, answer: StoredAnswer) => {
    Object.assign(c.get('facts'), { code: answer.code, vendor: answer.vendor, replay: true, replayOf: answer.requestId });
    c.header('Cache-Control', 'no-store');
    c.header(REPLAY_HEADER, 'true');
    if (answer.retryAfterMs !== undefined) c.header('Retry-After', retryAfterSeconds(answer.retryAfterMs));
    const extra = { data: answer.data, vendor: answer.vendor };
    return c.json(makeEnvelope(answer.code, c.get('lang'), answer.requestId, extra), httpStatusOf(answer.code) as 200);
  };

  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('lang', pickLang(c.req.query('lang'), c.req.header('accept-language')));
    c.set('facts', {});
    await next();
    c.res.headers.set('X-Request-Id', requestId);
    // Health probes would drown the log.
    if (c.req.path === '/healthz' && c.res.status === 200) return;
    const status = c.res.status;
    hardening.log({
      time: new Date().toISOString(),
      level: levelOf(status),
      requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...c.get('facts'),
    });
  });

  // Allowed origins get CORS headers; others get none, and their preflight a 403 envelope.
  app.use(
    '*',
    corsAllowlist({
      isAllowed: (origin, c) => originAllowed(origin, selfOrigin(c as Context<Env>)),
      onDenied: (c) => respond(c as Context<Env>, 'ORIGIN_DENIED'),
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type', 'Accept-Language', 'X-Request-Id', IDEMPOTENCY_HEADER],
      exposeHeaders: ['X-Request-Id', 'Retry-After', REPLAY_HEADER],
      maxAgeSeconds: 600,
    }),
  );

  app.onError((error, c) => {
    if (error instanceof EndpointError) {
      if (error.retryAfterMs !== undefined) c.header('Retry-After', retryAfterSeconds(error.retryAfterMs));
      if (error.data !== undefined) c.get('facts').detail = error.data;
      return respond(c, error.code, { data: error.data, vendor: error.vendor });
    }
    if (error instanceof FacekitError) return respond(c, error.code);
    // Scrubbed: an unexpected error may quote a request (images, ID numbers).
    const described = scrubText(error instanceof Error ? `${error.name}: ${error.message} ${error.stack ?? ''}` : String(error));
    c.get('facts').error = described;
    if (!config.log) console.error(`[facekit ${c.get('requestId')}]`, described);
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

  app.post('/v1/ops/:op', async (c) => {
    const facts = c.get('facts');
    // A declared oversize body is refused before any work; a streamed one while it is read.
    refuseDeclaredOversize(c.req.raw, maxBodyBytes);
    const origin = checkOrigin(c);
    await hardening.limits.checkAddress(hardening.clientAddress(c.req.raw, c.env));
    const op = registry.get(c.req.param('op'));
    if (!op) throw new EndpointError('UNKNOWN_OP');
    facts.op = op.name;
    // A billable call with an Idempotency-Key may be a retry whose nonce the first call spent:
    // its nonce is checked only after the replay lookup below.
    const idempotencyKey = op.billable ? readIdempotencyKey(c.req.header(IDEMPOTENCY_HEADER)) : undefined;

    // The nonce is only checked here; it is spent once the request proved valid.
    const verdict = await verifyTicket(ticketFromAuthorization(c.req.header('authorization')), {
      secret: config.ticketSecret,
      op: op.name,
      origin,
      store,
      billable: op.billable && idempotencyKey === undefined,
      admin: op.admin,
      consume: false,
    });
    if (!verdict.ok) throw new EndpointError(verdict.code);
    await hardening.limits.checkSubject(verdict.claims);

    const { body, fingerprint } = await readJsonObject(
      c.req.raw,
      maxBodyBytes,
      idempotencyKey === undefined ? undefined : (text) => requestFingerprint(op.name, text),
    );
    const call = op.prepare(body);

    let claim: IdempotencyClaim | undefined;
    if (idempotencyKey !== undefined && fingerprint !== undefined) {
      const begun = await hardening.idempotency.begin(op.name, verdict.claims, idempotencyKey, fingerprint);
      if (begun.kind === 'replay') return replay(c, begun.answer);
      claim = begun.claim;
    }
    if (op.billable && !(await consumeTicketNonce(verdict.claims, store))) {
      await claim?.abandon();
      throw new EndpointError('TICKET_REPLAYED');
    }

    const mediaBase = publicBase ?? new URL(c.req.url).origin + c.req.path.slice(0, c.req.path.lastIndexOf('/v1/ops/'));
    const context: OpContext = {
      requestId: c.get('requestId'),
      lang: c.get('lang'),
      ticket: verdict.claims,
      linkImage: async (vendor, url) => `${mediaBase}/v1/media/${await media.seal({ vendor, url })}`,
      store,
    };
    let result: OpResult;
    try {
      result = await hardening.run(op, () => call(context), facts);
    } catch (error) {
      // Once the vendor was called, even a failure is the key's one answer.
      await claim?.settle(outcomeOf(error, c.get('requestId')));
      throw error;
    }
    await claim?.settle({ code: result.code ?? 'OK', data: result.data, vendor: result.vendor, requestId: c.get('requestId') });
    return respond(c, result.code ?? 'OK', { data: result.data, vendor: result.vendor });
  });

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
      // The demo page's own subject (kept per browser), so that a capture resent with a fresh
      // ticket after a reload is recognised by its Idempotency-Key (keys are per subject).
      const subject = c.req.query('sub');
      if (subject !== undefined && !/^[A-Za-z0-9._:-]{8,64}$/.test(subject)) throw new EndpointError('BAD_REQUEST', { data: { field: 'sub' } });
      const now = Date.now();
      const ticket = await mintTicket({ secret: config.ticketSecret, scopes, origin, ttlSeconds, now, subject });
      return respond(c, 'OK', {
        data: { ticket, scopes, origin: normaliseOrigin(origin), expiresAt: new Date(Math.floor(now / 1000) * 1000 + ttlSeconds * 1000).toISOString() },
      });
    });
  }

  return app;
}

/** Retry-After in whole seconds, at least 1. */
function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
