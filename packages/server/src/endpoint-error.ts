import { FacekitError, type KitCode } from '../../core/src/shared/index.js';

/** What the vendor said, passed through to the envelope's `vendor` field. */
export interface VendorInfo {
  name: string;
  code: string;
  message: string;
}

/** A failure that becomes a non-OK envelope; thrown by validators, adapters and the ticket check. */
export class EndpointError extends FacekitError {
  readonly vendor?: VendorInfo;
  readonly data?: unknown;
  /** How long the caller should wait before trying again (a vendor's or our own Retry-After). */
  readonly retryAfterMs?: number;
  constructor(
    code: KitCode,
    options: { message?: string; vendor?: VendorInfo; data?: unknown; cause?: unknown; retryAfterMs?: number; retryable?: boolean } = {},
  ) {
    super(code, options.message, { cause: options.cause, retryable: options.retryable });
    this.name = 'EndpointError';
    this.vendor = options.vendor;
    this.data = options.data;
    this.retryAfterMs = options.retryAfterMs;
  }
}
