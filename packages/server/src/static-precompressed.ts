/**
 * Static files for the first load: precompressed variants, validators and cache lifetimes.
 *
 * - `x.br` / `x.gz` beside `x` (written by the build, scripts/lib/precompress.mjs) are served by
 *   the request's Accept-Encoding, brotli first, with `Content-Encoding` and `Vary:
 *   Accept-Encoding`. The Content-Type stays the original's (`application/wasm` matters to
 *   streaming compilation).
 * - Every response has a strong ETag from the content (per encoding), and If-None-Match gets a
 *   304, so a revalidation costs headers only.
 * - Cache-Control by what the URL promises:
 *   - names carrying a content hash (`name-1a2B3c4D.js`, as the bundler writes them), anything
 *     under a version folder (`/1.2.3/`, `@1.2.3/`, `/v1.2.3/`) and URLs that name their build in
 *     the query (`?v=<build id>`, as the worker loads the runtime's loader script) never change:
 *     a year, immutable;
 *   - HTML and every other file (the wasm and models keep the names tasks-vision gives them):
 *     `no-cache`, i.e. kept but revalidated with the ETag before each use.
 *   Deploy the kit under a versioned path to make everything immutable (see the README).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';

export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
export const REVALIDATE_CACHE = 'public, no-cache';

/** Bundler output names: `name-<8+ base64url chars>.ext`. */
const HASHED_NAME = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
/** A folder named by a version: `/1.2.3/`, `/v1.2.3/`, `/pkg@1.2.3/`. */
const VERSIONED_FOLDER = /\/(?:[^/]*@)?v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?\//;
/** A query naming the build: `?v=<8+ chars>` (the assets' content hash). */
const VERSIONED_QUERY = /[?&]v=[A-Za-z0-9_.-]{8,}(?:&|$)/;
/** Types worth a Vary header even when a file has no variant (a proxy may compress them). */
const COMPRESSIBLE = /^(text\/|application\/(javascript|json|wasm|manifest\+json)|image\/svg\+xml)/;

export type ContentCoding = 'br' | 'gzip';
const SUFFIX: Record<ContentCoding, string> = { br: '.br', gzip: '.gz' };

export interface StaticOptions {
  /** Content-Type by lower-case extension (with the dot). */
  mimeTypes: Readonly<Record<string, string>>;
}

/** The codings the client accepts, best first (brotli before gzip; `q=0` refuses). */
export function acceptedCodings(header: string | null): ContentCoding[] {
  if (!header) return [];
  const quality = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    quality.set(name, q === undefined ? 1 : Number(q));
  }
  const wildcard = quality.get('*');
  const accepted = (coding: ContentCoding): boolean => (quality.get(coding) ?? wildcard ?? 0) > 0;
  return (['br', 'gzip'] as const).filter(accepted);
}

/** The Cache-Control of a URL path (see the module comment). */
export function cacheControlFor(pathname: string, contentType: string, search = ''): string {
  if (contentType.startsWith('text/html')) return 'no-cache';
  if (HASHED_NAME.test(pathname) || VERSIONED_FOLDER.test(pathname) || VERSIONED_QUERY.test(search)) return IMMUTABLE_CACHE;
  return REVALIDATE_CACHE;
}

/** Content hashes by file, valid while size and mtime stay the same. */
const digests = new Map<string, { size: number; mtimeMs: number; digest: Promise<string> }>();

function contentDigest(path: string, size: number, mtimeMs: number): Promise<string> {
  const known = digests.get(path);
  if (known && known.size === size && known.mtimeMs === mtimeMs) return known.digest;
  const digest = new Promise<string>((resolveDigest, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolveDigest(hash.digest('base64url').slice(0, 27)));
  });
  digests.set(path, { size, mtimeMs, digest });
  digest.catch(() => digests.delete(path));
  return digest;
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

/**
 * A file under `root` for a GET or HEAD request, or null (not found, outside `root`): the caller
 * then lets the app answer.
 */
export async function servePrecompressedFile(root: string, request: Request, options: StaticOptions): Promise<Response | null> {
  const url = new URL(request.url);
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  let path = resolve(root, `.${relative}`);
  if (path !== root && !path.startsWith(root + sep)) return null;
  try {
    let info = await stat(path);
    if (info.isDirectory()) {
      path = resolve(path, 'index.html');
      info = await stat(path);
    }
    if (!info.isFile()) return null;
    const type = options.mimeTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';

    // The best variant that exists; the plain file otherwise.
    let served = { path, size: info.size, mtimeMs: info.mtimeMs, coding: null as ContentCoding | null };
    const codings = acceptedCodings(request.headers.get('Accept-Encoding'));
    let hasVariants = false;
    for (const coding of (['br', 'gzip'] as const)) {
      const variant = await stat(path + SUFFIX[coding]).catch(() => null);
      if (!variant?.isFile()) continue;
      hasVariants = true;
      if (served.coding === null && codings.includes(coding)) {
        served = { path: path + SUFFIX[coding], size: variant.size, mtimeMs: variant.mtimeMs, coding };
      }
    }

    const digest = await contentDigest(served.path, served.size, served.mtimeMs);
    const etag = `"${digest}${served.coding ? `-${served.coding}` : ''}"`;
    const headers: Record<string, string> = {
      'Content-Type': type,
      'Cache-Control': cacheControlFor(url.pathname, type, url.search),
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
    };
    if (hasVariants || COMPRESSIBLE.test(type)) headers['Vary'] = 'Accept-Encoding';
    if (served.coding) headers['Content-Encoding'] = served.coding;

    if (matchesEtag(request.headers.get('If-None-Match'), etag)) return new Response(null, { status: 304, headers });
    headers['Content-Length'] = String(served.size);
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    const body = Readable.toWeb(createReadStream(served.path)) as unknown as ReadableStream<Uint8Array>;
    return new Response(body, { status: 200, headers });
  } catch {
    return null;
  }
}
