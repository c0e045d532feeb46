import { FacekitError, KIT_CODES, isKitCode, kitMessage } from '../shared/errors.js';
import { COMMON_MESSAGES, type CommonMessageKey } from '../shared/messages.js';
import type { Envelope, KitCode, Lang } from '../shared/types.js';
import { IdbUploadQueue, type QueuedUpload, type UploadQueue } from './upload-queue.js';

export interface EndpointClientOptions {
  /** Base URL of the signing endpoint; relative URLs resolve against the document. */
  endpoint: string;
  ticket?: string;
  /** Called before each call for a fresh ticket (tickets may be single-use); wins over `ticket`. */
  ticketProvider?: () => Promise<string>;
  lang?: Lang;
  /** Time limit of one call, answer included (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Where submit() keeps calls until answered (default: IndexedDB, falling back to memory). */
  queue?: UploadQueue;
  /** Kept calls older than this are dropped unsent, as they hold face photos (default 24 h). */
  queueMaxAgeMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key`; reuse it when retrying the same capture. */
  idempotencyKey?: string;
}

/** An error answered by the endpoint, with its envelope. */
export class EndpointError extends FacekitError {
  readonly envelope: Envelope;
  readonly requestId: string;
  /** HTTP status of the answer. */
  readonly status: number;

  constructor(envelope: Envelope, status: number) {
    const code: KitCode = isKitCode(envelope.code) ? envelope.code : 'INTERNAL';
    super(code, envelope.message || kitMessage(code, 'en'), { retryable: KIT_CODES[code].retryable });
    this.name = 'EndpointError';
    this.envelope = envelope;
    this.requestId = envelope.requestId;
    this.status = status;
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Ids of kept calls being sent right now by any client of this page, so that flush(), resend() and
 * submit() (of one or of several elements) never send one item twice at once.
 */
const sendingIds = new Set<string>();

/**
 * Calls the signing endpoint: `POST <endpoint>/v1/ops/<op>` with a ticket, answered by an
 * envelope. `submit()` also keeps the call in a queue until the endpoint has answered it, so a
 * capture taken offline is sent by `flush()` once the connection returns.
 */
export class EndpointClient {
  endpoint: string;
  ticket: string | undefined;
  ticketProvider: (() => Promise<string>) | undefined;
  lang: Lang;
  timeoutMs: number;
  readonly queue: UploadQueue;

  private readonly fetchImpl: typeof fetch | undefined;
  private readonly queueMaxAgeMs: number;
  private flushing: Promise<Envelope[]> | null = null;

  constructor(options: EndpointClientOptions) {
    this.endpoint = options.endpoint;
    this.ticket = options.ticket;
    this.ticketProvider = options.ticketProvider;
    this.lang = options.lang ?? 'zh-CN';
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch;
    this.queue = options.queue ?? new IdbUploadQueue();
    this.queueMaxAgeMs = options.queueMaxAgeMs ?? DAY_MS;
  }

  /** The endpoint as an absolute URL without trailing slashes. */
  get baseUrl(): string {
    const base = globalThis.document?.baseURI ?? globalThis.location?.href;
    const absolute = base ? new URL(this.endpoint, base).href : this.endpoint;
    return absolute.replace(/\/+$/, '');
  }

  /** True when kept calls live only in memory (the element should warn). */
  get degraded(): boolean {
    return this.queue.degraded === true;
  }

  /** Sends one call. Resolves with an `ok` envelope; throws a FacekitError otherwise. */
  async call<T = unknown>(op: string, body: Record<string, unknown>, options: CallOptions = {}): Promise<Envelope<T>> {
    return this.send<T>(op, body, options);
  }

  /**
   * Like call(), but the call is first kept in the queue and removed once the endpoint has
   * answered it. On a network failure it stays (the error's message says so) for flush().
   */
  async submit<T = unknown>(op: string, body: Record<string, unknown>, options: CallOptions = {}): Promise<Envelope<T>> {
    const idempotencyKey = options.idempotencyKey ?? randomId();
    const item: QueuedUpload = {
      id: idempotencyKey,
      op,
      body,
      idempotencyKey,
      createdAt: Date.now(),
      endpoint: this.baseUrl,
    };
    await this.queue.put(item);
    try {
      return await this.deliver<T>(item, options.signal);
    } catch (error) {
      if (error instanceof FacekitError && error.code === 'NETWORK') {
        const key: CommonMessageKey | null = this.degraded ? 'error.network-kept-in-memory' : null;
        throw new FacekitError('NETWORK', key ? COMMON_MESSAGES[this.lang][key] : kitMessage('NETWORK', this.lang), {
          cause: error,
          retryable: true,
        });
      }
      throw error;
    }
  }

  /** Calls kept for this endpoint and not yet answered, oldest first. */
  async pending(): Promise<QueuedUpload[]> {
    const now = Date.now();
    const base = this.baseUrl;
    const kept: QueuedUpload[] = [];
    for (const item of await this.queue.list()) {
      if (item.endpoint !== undefined && item.endpoint !== base) continue;
      if (now - item.createdAt > this.queueMaxAgeMs) await this.queue.delete(item.id);
      else kept.push(item);
    }
    return kept;
  }

  /**
   * Sends the kept calls, oldest first, and returns the envelopes the endpoint answered (errors
   * included). Stops at the first network failure, as the rest would fail alike.
   */
  flush(): Promise<Envelope[]> {
    this.flushing ??= this.flushQueue().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Whether a kept call is being sent right now by a client of this page. */
  isSending(id: string): boolean {
    return sendingIds.has(id);
  }

  /**
   * Sends one kept call again (same op, body and idempotency key), e.g. after a reload. Resolves
   * with its `ok` envelope and throws like submit(); resolves null when the call is no longer
   * kept or another client of the page is sending it.
   */
  async resend<T = unknown>(id: string, signal?: AbortSignal): Promise<Envelope<T> | null> {
    const item = (await this.pending()).find((candidate) => candidate.id === id);
    if (!item || sendingIds.has(id)) return null;
    return this.deliver<T>(item, signal);
  }

  private async flushQueue(): Promise<Envelope[]> {
    const answered: Envelope[] = [];
    for (const item of await this.pending()) {
      if (sendingIds.has(item.id)) continue;
      try {
        answered.push(await this.deliver(item));
      } catch (error) {
        if (error instanceof EndpointError) answered.push(error.envelope);
        else if (error instanceof FacekitError && error.code === 'NETWORK') break;
      }
    }
    return answered;
  }

  /** Sends a kept call; removes it from the queue unless the endpoint could not be reached. */
  private async deliver<T>(item: QueuedUpload, signal?: AbortSignal): Promise<Envelope<T>> {
    sendingIds.add(item.id);
    try {
      const envelope = await this.send<T>(item.op, item.body, { signal, idempotencyKey: item.idempotencyKey });
      await this.queue.delete(item.id);
      return envelope;
    } catch (error) {
      // Keep it only when the endpoint was not reached; any answer (or a cancel) ends it.
      if (!(error instanceof FacekitError && error.code === 'NETWORK')) await this.queue.delete(item.id);
      throw error;
    } finally {
      sendingIds.delete(item.id);
    }
  }

  private async send<T>(op: string, body: Record<string, unknown>, options: CallOptions): Promise<Envelope<T>> {
    const { signal, idempotencyKey } = options;
    const aborted = (cause?: unknown) => new FacekitError('ABORTED', kitMessage('ABORTED', this.lang), { cause });
    if (signal?.aborted) throw aborted(signal.reason);

    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'Accept-Language': this.lang,
    };
    const ticket = await this.currentTicket();
    if (ticket) headers.Authorization = `Bearer ${ticket}`;
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    // The ticket provider may have taken a while; a cancel meanwhile ends the call here.
    if (signal?.aborted) throw aborted(signal.reason);

    // One controller for the caller's signal and the time limit; it also covers the body read.
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);

    let status = 0;
    let text: string;
    try {
      const doFetch = this.fetchImpl ?? globalThis.fetch;
      const response = await doFetch(`${this.baseUrl}/v1/ops/${encodeURIComponent(op)}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: controller.signal,
        cache: 'no-store',
      });
      status = response.status;
      text = await response.text();
    } catch (cause) {
      if (signal?.aborted) throw aborted(cause);
      const key: CommonMessageKey = timedOut ? 'error.timeout' : 'error.network';
      throw new FacekitError('NETWORK', COMMON_MESSAGES[this.lang][key], { cause, retryable: true });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }

    const envelope = parseEnvelope<T>(text);
    if (!envelope) {
      // A proxy or gateway answered instead of the endpoint (HTML error page, empty body).
      const code = nonEnvelopeCode(status);
      throw new FacekitError(code, `${kitMessage(code, this.lang)} (HTTP ${status})`);
    }
    if (!envelope.ok) throw new EndpointError(envelope, status);
    return envelope;
  }

  private async currentTicket(): Promise<string | undefined> {
    if (!this.ticketProvider) return this.ticket;
    try {
      return await this.ticketProvider();
    } catch (cause) {
      if (cause instanceof FacekitError) throw cause;
      // The site's ticket route is usually unreachable for the same reason as the endpoint.
      throw new FacekitError('NETWORK', COMMON_MESSAGES[this.lang]['error.network'], { cause, retryable: true });
    }
  }
}

function parseEnvelope<T>(text: string): Envelope<T> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Partial<Envelope<T>>;
  if (typeof candidate.ok !== 'boolean' || typeof candidate.code !== 'string') return null;
  return {
    ...candidate,
    ok: candidate.ok,
    code: candidate.code,
    message: typeof candidate.message === 'string' ? candidate.message : '',
    requestId: typeof candidate.requestId === 'string' ? candidate.requestId : '',
  } as Envelope<T>;
}

function nonEnvelopeCode(status: number): KitCode {
  if (status === 413) return 'IMAGE_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 200 && status < 300) return 'VENDOR_ERROR';
  return 'INTERNAL';
}

function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; plain-http test pages still get a v4-shaped id.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
