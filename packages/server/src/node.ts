/**
 * Node entry: serves the app (and optionally a static folder such as the built demo) with
 * @hono/node-server. Without a vendor configuration it starts the mock vendors on loopback ports
 * and points the adapters at them, in demo mode.
 */
import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createApp, type AppConfig } from './app.js';
import { DEFAULT_HOST, DEFAULT_PORT } from './config.js';
import { startFacePlatformMock, type FacePlatformMock } from './mocks/face-platform.js';
import type { IdPhotoMock } from './mocks/id-photo.js';
import type { SkinMock } from './mocks/skin.js';
import { startIdPhotoSkinMocks } from './mocks/start-id-photo-skin.js';
import type { FaceIdMock } from './mocks/faceid.js';
import type { FaceImageMock } from './mocks/face-image.js';
import { startGatewayMocks } from './mocks/start-gateway-mocks.js';
import { connectRedisStore, type NodeRedisStore } from './redis-node.js';
import { servePrecompressedFile } from './static-precompressed.js';

export interface StartServerOptions {
  /** 0 picks a free port; default 8787. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Folder served for GET/HEAD requests outside the endpoint's routes. */
  staticDir?: string;
  /** App configuration; `ticketSecret` may be left out in demo mode (a random one is made). */
  config?: Partial<AppConfig>;
  /** Shared state in Redis (`FACEKIT_REDIS_URL`), used unless `config.store` is given. */
  redisUrl?: string;
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  /** The configuration the app runs with (after mocks and defaults were filled in). */
  config: AppConfig;
  /** Mock vendors started because no vendor was configured. */
  mocks: { facePlatform?: FacePlatformMock; idPhoto?: IdPhotoMock; skin?: SkinMock; faceid?: FaceIdMock; faceImage?: FaceImageMock };
  close(): Promise<void>;
}

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.tflite': 'application/octet-stream',
  '.task': 'application/octet-stream',
  '.binarypb': 'application/octet-stream',
  '.data': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.y4m': 'video/x-yuv4mpeg',
  '.mjpeg': 'video/x-motion-jpeg',
};

/** Paths that belong to the endpoint and are never looked up on disk. */
const APP_PATHS = /^\/(v1\/|healthz$)/;

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const mocks: RunningServer['mocks'] = {};
  const given = options.config ?? {};
  let facePlatform = given.facePlatform;
  if (!facePlatform?.url) {
    mocks.facePlatform = await startFacePlatformMock({ port: 0 });
    facePlatform = { ...facePlatform, url: mocks.facePlatform.url, token: mocks.facePlatform.token };
  }
  const { idPhoto, skin } = await startIdPhotoSkinMocks(given, mocks);
  const demo = given.demo ?? mocks.facePlatform !== undefined;
  const { faceid, faceImage } = await startGatewayMocks(given, mocks);
  let ticketSecret = given.ticketSecret;
  if (!ticketSecret) {
    if (!demo) {
      await closeMocks(mocks);
      throw new Error('a ticket secret (FACEKIT_TICKET_SECRET) is required outside demo mode');
    }
    // Demo tickets only need to outlive this process.
    ticketSecret = randomBytes(32).toString('hex');
  }
  let redis: NodeRedisStore | undefined;
  if (options.redisUrl && !given.store) {
    try {
      redis = await connectRedisStore(options.redisUrl);
    } catch (error) {
      await closeMocks(mocks);
      throw error;
    }
  }
  const config: AppConfig = {
    ...given,
    ticketSecret,
    demo,
    facePlatform,
    idPhoto,
    skin,
    faceid,
    faceImage,
    store: given.store ?? redis?.store,
    // The socket's address, for the per-address rate limit (unless behind a trusted proxy).
    clientAddress: given.clientAddress ?? ((_request, env) => (env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress),
  };
  const app = createApp(config);
  const staticRoot = options.staticDir ? resolve(options.staticDir) : undefined;

  const fetchHandler = async (request: Request, env: NodeBindings): Promise<Response> => {
    if (staticRoot && (request.method === 'GET' || request.method === 'HEAD')) {
      const file = await serveStaticFile(staticRoot, request);
      if (file) return file;
    }
    return app.fetch(request, env);
  };

  let server: ServerType;
  try {
    server = await new Promise<ServerType>((resolveServer, reject) => {
      const created = serve({ fetch: fetchHandler, port: options.port ?? DEFAULT_PORT, hostname: options.host ?? DEFAULT_HOST }, () => resolveServer(created));
      created.once('error', reject);
    });
  } catch (error) {
    await closeMocks(mocks);
    await redis?.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    config,
    mocks,
    async close() {
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        // Idle keep-alive sockets would otherwise hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await closeMocks(mocks);
      await redis?.close();
    },
  };
}

/** What @hono/node-server passes as the fetch handler's second argument. */
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

async function closeMocks(mocks: RunningServer['mocks']): Promise<void> {
  await mocks.facePlatform?.close();
  await mocks.idPhoto?.close();
  await mocks.skin?.close();
  await mocks.faceid?.close();
  await mocks.faceImage?.close();
}

/**
 * A file under `root` for the request path, or null to let the app answer. Precompressed variants,
 * ETags and cache lifetimes: see static-precompressed.ts.
 */
export async function serveStaticFile(root: string, request: Request): Promise<Response | null> {
  if (APP_PATHS.test(new URL(request.url).pathname)) return null;
  return servePrecompressedFile(root, request, { mimeTypes: MIME_TYPES });
}
