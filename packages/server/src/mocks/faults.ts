/**
 * Fault injection shared by the mock vendors: latency, an HTTP failure status, JSON cut in the
 * middle, a dropped connection, optionally limited to one path and to a number of requests.
 * Each mock decides how its vendor's failure bodies look (`FaultAnswers`); this module decides
 * when a fault applies. Driven from tests through `mock.faults` or over HTTP at `/__faults`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type FaultStatus = 413 | 429 | 500 | 502 | 503 | 504;

export interface FaultSettings {
  /** Delay before answering, ms (at most 30 000). */
  latencyMs?: number;
  /** Answer with this HTTP status, in the vendor's own failure format (413 is plain text everywhere). */
  status?: FaultStatus;
  /** Answer HTTP 200 with JSON cut in the middle. */
  malformedJson?: boolean;
  /** Drop the connection without an answer. */
  resetConnection?: boolean;
  /** Only requests to this path (e.g. `/aicp/face/recognition`); all routes when omitted. */
  path?: string;
  /** Number of requests affected, then the fault clears itself (at most 1000); unlimited when omitted. */
  times?: number;
}

export interface FaultController {
  set(settings: FaultSettings): void;
  clear(): void;
  readonly current: Readonly<FaultSettings> | null;
}

/** How one vendor answers a failure status, and what its cut-off JSON starts with. */
export interface FaultAnswers {
  status(response: ServerResponse, status: FaultStatus, path: string): void;
  /** A prefix of a real success body, sent as the whole answer. */
  malformedJson: string;
}

export const MAX_FAULT_LATENCY_MS = 30_000;
const FAULT_STATUSES: readonly number[] = [413, 429, 500, 502, 503, 504];

/** Checks settings from a test or from `/__faults`; throws RangeError on values out of bounds. */
export function checkFault(settings: FaultSettings): FaultSettings {
  const checked: FaultSettings = {};
  if (settings.latencyMs !== undefined) {
    if (!(settings.latencyMs >= 0 && settings.latencyMs <= MAX_FAULT_LATENCY_MS)) throw new RangeError(`latencyMs must be 0…${MAX_FAULT_LATENCY_MS}`);
    checked.latencyMs = settings.latencyMs;
  }
  if (settings.status !== undefined) {
    if (!FAULT_STATUSES.includes(settings.status)) throw new RangeError(`status must be one of ${FAULT_STATUSES.join(', ')}`);
    checked.status = settings.status;
  }
  if (settings.times !== undefined) {
    if (!(Number.isInteger(settings.times) && settings.times >= 1 && settings.times <= 1000)) throw new RangeError('times must be 1…1000');
    checked.times = settings.times;
  }
  if (settings.malformedJson) checked.malformedJson = true;
  if (settings.resetConnection) checked.resetConnection = true;
  if (settings.path) checked.path = String(settings.path);
  return checked;
}

/** One mock's fault state; `close()` settles latency waits so that the mock can shut down at once. */
export class FaultInjector implements FaultController {
  private fault: FaultSettings | null = null;
  /** Latency faults in progress, settled early when the mock closes. */
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  set(settings: FaultSettings): void {
    this.fault = checkFault(settings);
  }

  clear(): void {
    this.fault = null;
  }

  get current(): Readonly<FaultSettings> | null {
    return this.fault ? { ...this.fault } : null;
  }

  /**
   * Applies the fault that targets `path`, if any, and counts it. Returns true when the request
   * was answered (or dropped) here, false when the mock should answer normally.
   */
  async apply(path: string, request: IncomingMessage, response: ServerResponse, answers: FaultAnswers): Promise<boolean> {
    const active = this.fault && (!this.fault.path || this.fault.path === path) ? this.fault : null;
    if (!active) return false;
    if (active.times !== undefined && --active.times <= 0) this.fault = null;
    if (active.latencyMs) await this.sleep(active.latencyMs);
    if (response.destroyed || this.closed) return true;
    if (active.resetConnection) {
      request.socket.destroy();
      return true;
    }
    if (active.status) {
      answers.status(response, active.status, path);
      return true;
    }
    if (active.malformedJson) {
      response.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      response.end(answers.malformedJson);
      return true;
    }
    return false;
  }

  /** `POST /__faults` sets (JSON body), `DELETE` clears, `GET` reads. */
  async control(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    if (method === 'DELETE') {
      this.clear();
      return sendJson(response, 200, { ok: true, faults: null });
    }
    if (method === 'POST') {
      const body = await readBody(request, 64 * 1024);
      try {
        this.set(JSON.parse(body?.toString('utf8') || '{}') as FaultSettings);
      } catch (error) {
        return sendJson(response, 400, { ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    }
    sendJson(response, 200, { ok: true, faults: this.current });
  }

  close(): void {
    this.closed = true;
    for (const [timer, settle] of this.pending) {
      clearTimeout(timer);
      settle();
    }
    this.pending.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, resolve);
    });
  }
}

/** What fronting nginx answers to a body over its limit: plain text, not JSON (a vendor quirk). */
export function sendPlainTooLarge(response: ServerResponse): void {
  response.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
  response.end('413 Request Entity Too Large');
}

/** nginx's HTML error page, as gateways in front of the vendors answer 5xx. */
export function sendNginxError(response: ServerResponse, status: number): void {
  const reasons: Record<number, string> = {
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Temporarily Unavailable',
    504: 'Gateway Time-out',
  };
  const reason = reasons[status] ?? 'Error';
  response.writeHead(status, { 'content-type': 'text/html' });
  response.end(`<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

/** The body, or null when it is larger than `limit`. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  let tooLarge = false;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) tooLarge = true;
    // Keep draining so the client sees the 413 rather than a reset.
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? null : Buffer.concat(chunks);
}
