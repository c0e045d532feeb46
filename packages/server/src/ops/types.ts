import type { KitCode, Lang } from '../../../core/src/shared/index.js';
import type { VendorInfo } from '../endpoint-error.js';
import type { StateStore } from '../state.js';
import type { TicketClaims } from '../tickets.js';

export interface OpContext {
  requestId: string;
  lang: Lang;
  ticket: TicketClaims;
  /**
   * Turns an image URL of a vendor (a private host) into a URL on this endpoint that the browser
   * may load. The vendor must have registered an image source with the app.
   */
  linkImage(vendor: string, vendorUrl: string): Promise<string>;
  /** The shared state (in memory or Redis): async job status lives here, so any instance can answer a poll. */
  store: StateStore;
}

/** What an op hands back: `OK` with data by default, or another non-error code such as NO_MATCH. */
export interface OpResult {
  code?: KitCode;
  data?: unknown;
  vendor?: VendorInfo;
}

/**
 * One endpoint op. `validate` turns the JSON body into parameters or throws an EndpointError
 * (BAD_REQUEST, BAD_IMAGE, IMAGE_TOO_LARGE); `run` calls the vendor and normalises its answer.
 * Validation runs before a billable ticket's nonce is spent.
 */
export interface OpDefinition<Params> {
  name: string;
  /** Vendor adapter name, e.g. `face-platform`. */
  vendor: string;
  /** Charged by the vendor: the ticket's nonce is accepted once. */
  billable?: boolean;
  /** Manages vendor-side data: needs the `admin` scope. */
  admin?: boolean;
  /**
   * A read that may be repeated without effect at the vendor (get, search, compare, quality,
   * detect, result polls): the app retries it on VENDOR_UNAVAILABLE, VENDOR_TIMEOUT and vendor 429
   * (hardening/retry.ts). Never for billable ops or ops that change vendor data.
   */
  safeToRetry?: boolean;
  validate(body: Record<string, unknown>): Params;
  run(params: Params, context: OpContext): Promise<OpResult>;
}

/** An op with its parameter type hidden, as the registry holds it. */
export interface RegisteredOp {
  readonly name: string;
  readonly vendor: string;
  readonly billable: boolean;
  readonly admin: boolean;
  /** Retried on transient vendor failures (see OpDefinition.safeToRetry); absent means no. */
  readonly safeToRetry?: boolean;
  /** Validates the body and returns the call to make. */
  prepare(body: Record<string, unknown>): (context: OpContext) => Promise<OpResult>;
}

export function defineOp<Params>(definition: OpDefinition<Params>): RegisteredOp {
  // A repeated billable call is a second charge: the two flags exclude each other.
  if (definition.billable && definition.safeToRetry) throw new TypeError(`op "${definition.name}" is billable, so it cannot be safeToRetry`);
  return {
    name: definition.name,
    vendor: definition.vendor,
    billable: definition.billable ?? false,
    admin: definition.admin ?? false,
    safeToRetry: definition.safeToRetry ?? false,
    prepare(body) {
      const params = definition.validate(body);
      return (context) => definition.run(params, context);
    },
  };
}
