/**
 * Which browser origins may call the endpoint. Rules:
 * - `self`: the endpoint's own origin (the public URL when configured, else the request's);
 * - `loopback`: http(s) on 127.0.0.1, localhost or [::1], any port;
 * - `*`: every origin;
 * - an origin, where `*` stands for any run of host or port characters
 *   (`https://*.shop.example`, `http://localhost:*`).
 */
export const DEFAULT_ORIGIN_RULES: readonly string[] = ['self', 'loopback'];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type OriginCheck = (origin: string, selfOrigin: string) => boolean;

export function originMatcher(rules: readonly string[] = DEFAULT_ORIGIN_RULES): OriginCheck {
  const patterns: RegExp[] = [];
  let any = false;
  let self = false;
  let loopback = false;
  for (const raw of rules) {
    const rule = raw.trim().replace(/\/+$/, '').toLowerCase();
    if (!rule) continue;
    if (rule === '*') any = true;
    else if (rule === 'self') self = true;
    else if (rule === 'loopback') loopback = true;
    else patterns.push(new RegExp(`^${rule.split('*').map(escapeRegExp).join('[a-z0-9.-]*')}$`));
  }
  return (origin, selfOrigin) => {
    const candidate = origin.trim().replace(/\/+$/, '').toLowerCase();
    if (candidate === 'null' || candidate === '') return any;
    if (any) return true;
    if (self && candidate === selfOrigin.toLowerCase()) return true;
    if (loopback && isLoopbackOrigin(candidate)) return true;
    return patterns.some((pattern) => pattern.test(candidate));
  };
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
