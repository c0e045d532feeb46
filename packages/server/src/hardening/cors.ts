/**
 * CORS for an allowlist of origins. Unlike a generic CORS middleware, an origin that is not
 * allowed gets no CORS header at all (not even the allowed methods or headers), so nothing about
 * the endpoint is disclosed to it; its preflight is answered 403 by `onDenied`.
 */
import type { Context, MiddlewareHandler } from 'hono';

export interface CorsAllowlistOptions {
  /** Whether a browser of `origin` may call the endpoint. */
  isAllowed(origin: string, c: Context): boolean;
  /** The answer to a preflight from an origin that is not allowed. */
  onDenied(c: Context): Response | Promise<Response>;
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  exposeHeaders: readonly string[];
  maxAgeSeconds: number;
}

export function corsAllowlist(options: CorsAllowlistOptions): MiddlewareHandler {
  const methods = options.allowMethods.join(', ');
  const headers = options.allowHeaders.join(', ');
  const exposed = options.exposeHeaders.join(', ');
  return async (c, next) => {
    const origin = c.req.header('origin');
    const isPreflight = c.req.method === 'OPTIONS';
    if (origin === undefined) {
      // Not a CORS request: a plain OPTIONS learns the methods, anything else goes on.
      if (isPreflight) return new Response(null, { status: 204, headers: { Allow: methods } });
      return next();
    }
    const allowed = options.isAllowed(origin, c);
    if (isPreflight) {
      if (!allowed) {
        const denied = await options.onDenied(c);
        denied.headers.append('Vary', 'Origin');
        return denied;
      }
      return new Response(null, {
        status: 204,
        headers: {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': methods,
          'Access-Control-Allow-Headers': headers,
          'Access-Control-Max-Age': String(options.maxAgeSeconds),
          Vary: 'Origin, Access-Control-Request-Headers',
        },
      });
    }
    await next();
    // Caches must not hand one origin's answer to another.
    c.res.headers.append('Vary', 'Origin');
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Expose-Headers', exposed);
    }
  };
}
