/**
 * Configuration from `FACEKIT_*` environment variables and an optional JSON file
 * (`FACEKIT_CONFIG`). Environment variables win over the file. `configFromEnv` is pure, so a
 * serverless entry can feed it its own env bindings; `loadConfig` adds the file (Node only).
 */
import type { FacePlatformConfig } from './vendors/face-platform/client.js';
import { idPhotoSkinFromEnv, type IdPhotoSkinSettings } from './config-id-photo-skin.js';
import { gatewayVendorsFromEnv, type GatewayVendorSettings } from './config-gateway-vendors.js';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';

/** `idPhoto` and `skin`: see config-id-photo-skin.ts. */
export interface FacekitSettings extends IdPhotoSkinSettings, GatewayVendorSettings {
  port: number;
  host: string;
  /** Folder served as static files (the built demo), if any. */
  staticDir?: string;
  ticketSecret?: string;
  /** True when set, or by default when no vendor is configured (the mocks are used then). */
  demo: boolean;
  allowedOrigins?: string[];
  facePlatform?: FacePlatformConfig;
  vendorTimeoutMs?: number;
  maxBodyBytes?: number;
  publicUrl?: string;
  mediaTtlSeconds?: number;
  demoTicketTtlSeconds?: number;
  /** Shared state (nonces, rate limits, idempotency, jobs) in Redis, for several instances. */
  redisUrl?: string;
  /** Retries of safe (read) vendor calls; default 2. */
  vendorRetries?: number;
  /** Calls a minute per ticket subject; default 120, 0 off. */
  rateLimitPerMinute?: number;
  /** Calls a minute per client address; default 600, 0 off. */
  rateLimitIpPerMinute?: number;
  /** Client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
  /** Request log on stdout: `json` (default for the CLI) or `off`. */
  log?: 'json' | 'off';
}

/** The JSON file: the same keys as FacekitSettings, all optional. */
export type FacekitConfigFile = Partial<FacekitSettings>;

export type EnvRecord = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function text(env: EnvRecord, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: EnvRecord, name: string, min: number, max: number): number | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

function flag(env: EnvRecord, name: string): boolean | undefined {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false`);
}

function list(env: EnvRecord, name: string): string[] | undefined {
  const raw = text(env, name);
  return raw === undefined ? undefined : raw.split(',').map((item) => item.trim()).filter(Boolean);
}

function logMode(raw: string | undefined): 'json' | 'off' | undefined {
  if (raw === undefined) return undefined;
  const mode = raw.toLowerCase();
  if (mode === 'json' || mode === 'off') return mode;
  throw new ConfigError('FACEKIT_LOG must be json or off');
}

export function configFromEnv(env: EnvRecord, file: FacekitConfigFile = {}): FacekitSettings {
  const faceUrl = text(env, 'FACEKIT_FACE_PLATFORM_URL') ?? file.facePlatform?.url;
  let facePlatform: FacePlatformConfig | undefined;
  if (faceUrl) {
    try {
      new URL(faceUrl);
    } catch {
      throw new ConfigError('FACEKIT_FACE_PLATFORM_URL must be an absolute URL');
    }
    const commonUrl = text(env, 'FACEKIT_FACE_PLATFORM_COMMON_URL') ?? file.facePlatform?.commonUrl;
    if (commonUrl && !URL.canParse(commonUrl)) throw new ConfigError('FACEKIT_FACE_PLATFORM_COMMON_URL must be an absolute URL');
    facePlatform = {
      url: faceUrl,
      // Only when set, so that a config without it reads as before.
      ...(commonUrl ? { commonUrl } : {}),
      token: text(env, 'FACEKIT_FACE_PLATFORM_TOKEN') ?? file.facePlatform?.token,
      timeoutMs: integer(env, 'FACEKIT_FACE_PLATFORM_TIMEOUT_MS', 100, 120_000) ?? file.facePlatform?.timeoutMs,
    };
  }
  const settings: FacekitSettings = {
    port: integer(env, 'PORT', 0, 65_535) ?? file.port ?? DEFAULT_PORT,
    host: text(env, 'FACEKIT_HOST') ?? file.host ?? DEFAULT_HOST,
    staticDir: text(env, 'FACEKIT_STATIC_DIR') ?? file.staticDir,
    ticketSecret: text(env, 'FACEKIT_TICKET_SECRET') ?? file.ticketSecret,
    demo: flag(env, 'FACEKIT_DEMO') ?? file.demo ?? !facePlatform,
    allowedOrigins: list(env, 'FACEKIT_ALLOWED_ORIGINS') ?? file.allowedOrigins,
    facePlatform,
    vendorTimeoutMs: integer(env, 'FACEKIT_VENDOR_TIMEOUT_MS', 100, 120_000) ?? file.vendorTimeoutMs,
    maxBodyBytes: integer(env, 'FACEKIT_MAX_BODY_BYTES', 1024, 64 * 1024 * 1024) ?? file.maxBodyBytes,
    publicUrl: text(env, 'FACEKIT_PUBLIC_URL') ?? file.publicUrl,
    mediaTtlSeconds: integer(env, 'FACEKIT_MEDIA_TTL_SECONDS', 10, 86_400) ?? file.mediaTtlSeconds,
    demoTicketTtlSeconds: integer(env, 'FACEKIT_DEMO_TICKET_TTL_SECONDS', 10, 3600) ?? file.demoTicketTtlSeconds,
    redisUrl: text(env, 'FACEKIT_REDIS_URL') ?? file.redisUrl,
    vendorRetries: integer(env, 'FACEKIT_VENDOR_RETRIES', 0, 5) ?? file.vendorRetries,
    rateLimitPerMinute: integer(env, 'FACEKIT_RATE_LIMIT_PER_MINUTE', 0, 1_000_000) ?? file.rateLimitPerMinute,
    rateLimitIpPerMinute: integer(env, 'FACEKIT_RATE_LIMIT_IP_PER_MINUTE', 0, 1_000_000) ?? file.rateLimitIpPerMinute,
    trustProxy: flag(env, 'FACEKIT_TRUST_PROXY') ?? file.trustProxy,
    log: logMode(text(env, 'FACEKIT_LOG') ?? file.log),
    ...idPhotoSkinFromEnv(env, file, (message) => {
      throw new ConfigError(message);
    }),
    // `faceid` and `faceImage`: see config-gateway-vendors.ts.
    ...gatewayVendorsFromEnv(env, file, (message) => {
      throw new ConfigError(message);
    }),
  };
  if (settings.redisUrl !== undefined && !/^rediss?:\/\//i.test(settings.redisUrl)) {
    throw new ConfigError('FACEKIT_REDIS_URL must be a redis:// or rediss:// URL');
  }
  if (settings.ticketSecret !== undefined && settings.ticketSecret.length < 16) {
    throw new ConfigError('FACEKIT_TICKET_SECRET must be at least 16 characters');
  }
  return settings;
}

/** Reads `FACEKIT_CONFIG` (a JSON file) when set, then the environment. Node only. */
export async function loadConfig(env: EnvRecord = process.env): Promise<FacekitSettings> {
  const path = text(env, 'FACEKIT_CONFIG');
  let file: FacekitConfigFile = {};
  if (path) {
    const { readFile } = await import('node:fs/promises');
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`FACEKIT_CONFIG ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`FACEKIT_CONFIG ${path}: not a JSON object`);
    file = parsed as FacekitConfigFile;
  }
  return configFromEnv(env, file);
}
