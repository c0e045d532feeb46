/** Pieces every face-platform op file uses: the configured client, image links, aliased fields. */
import { EndpointError } from '../endpoint-error.js';
import type { FacePlatformClient } from '../vendors/face-platform/client.js';
import { FACE_PLATFORM } from '../vendors/face-platform/errors.js';
import type { OpContext } from './types.js';

/** Ids: letters and digits of any script, and a few separators. */
export const ID = /^[\p{L}\p{N}_.:@-]+$/u;

export function clientOrFail(client: FacePlatformClient | undefined): FacePlatformClient {
  if (!client) {
    throw new EndpointError('VENDOR_UNAVAILABLE', {
      vendor: { name: FACE_PLATFORM, code: 'not-configured', message: 'no face platform URL is configured' },
      // Trying again cannot help until the site is configured.
      retryable: false,
    });
  }
  return client;
}

export const linker = (context: OpContext) => (url: string) => context.linkImage(FACE_PLATFORM, url);

/**
 * The name under which the caller sent a field: the kit's camelCase name, or the document's own
 * spelling (`group_id`, `call_Name`). Errors name the one sent, or the camelCase one when neither was.
 */
export function fieldName(body: Record<string, unknown>, camel: string, ...documentNames: string[]): string {
  if (body[camel] !== undefined) return camel;
  return documentNames.find((name) => body[name] !== undefined) ?? camel;
}
