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
  constructor(code: KitCode, options: { message?: string; vendor?: VendorInfo; data?: unknown; cause?: unknown } = {}) {
    super(code, options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EndpointError';
    this.vendor = options.vendor;
    this.data = options.data;
  }
}
