/**
 * One JSON line per request: requestId, method, path, op, code, status, ms, vendor name and code,
 * plus retry and replay facts. Lines never carry image data or ID numbers: every string that
 * goes in is scrubbed (long base64-looking runs dropped, ID-number-like digit runs masked) and
 * fields named like ID numbers are masked whatever they hold. Bodies are never logged.
 */

/** Where lines go: `(line) => console.log(line)`, a file, a log shipper. */
export type LogSink = (line: string) => void;

/** What the handlers learn about a request, for its log line. */
export interface RequestFacts {
  op?: string;
  code?: string;
  vendor?: { name: string; code: string; message?: string };
  /** Retries of the vendor call (0 when the first try answered). */
  retries?: number;
  /** Answered from the idempotency store. */
  replay?: boolean;
  /** The requestId of the stored answer a replay returned. */
  replayOf?: string;
  /** Error data of a non-OK answer (field names, reasons). */
  detail?: unknown;
  /** An unexpected failure (INTERNAL). */
  error?: string;
}

export interface RequestLogLine extends RequestFacts {
  time: string;
  level: 'info' | 'warn' | 'error';
  requestId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

/** Keys whose values are ID numbers (vendor documents: idIccid, idcard_number, …). */
const ID_KEY = /^(id_?iccid|id_?card(_?(no|num|number))?|idcard_?(no|num|number)|id_?(no|num|number)|cert(ificate)?_?(no|num|number)|identity_?(no|num|number)?)$/i;
/** Runs of base64 characters this long are image or binary data, whatever their context. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{64,}={0,2}/g;
/** Mainland ID numbers (18 characters, the last may be X) and the old 15-digit ones. */
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
const MAX_STRING = 500;
const MAX_DEPTH = 4;

/** Keeps the first 3 and last 4 characters: `110***********1234`. */
export function maskIdNumber(value: string): string {
  const text = value.trim();
  if (text.length <= 7) return '*'.repeat(text.length);
  return `${text.slice(0, 3)}${'*'.repeat(text.length - 7)}${text.slice(-4)}`;
}

/** A free text made safe for a log line. */
export function scrubText(text: string): string {
  const scrubbed = text.replace(BASE64_RUN, (run) => `[${run.length} chars dropped]`).replace(ID_NUMBER, (id) => maskIdNumber(id));
  return scrubbed.length > MAX_STRING ? `${scrubbed.slice(0, MAX_STRING)}…` : scrubbed;
}

/** A value made safe for a log line: strings scrubbed, ID-number fields masked, depth bounded. */
export function redact(value: unknown, key = '', depth = 0): unknown {
  if (typeof value === 'string') return ID_KEY.test(key) ? maskIdNumber(value) : scrubText(value);
  if (typeof value === 'number') return ID_KEY.test(key) ? maskIdNumber(String(value)) : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, 20).map((item) => redact(item, key, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value as Record<string, unknown>)) out[name] = redact(inner, name, depth + 1);
  return out;
}

export function formatLogLine(line: RequestLogLine): string {
  return JSON.stringify(redact(line));
}

export function levelOf(status: number): RequestLogLine['level'] {
  return status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
}
