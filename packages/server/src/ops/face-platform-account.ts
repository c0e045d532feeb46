/**
 * Section 10 of the face-platform document: the platform's own user accounts.
 *
 * - `face.register` (10.1) creates an account with a password and a face. It is not admin: it
 *   is the sign-up of a face-login page, so a ticket scoped to `face.register` (or `face.*`)
 *   allows it. It writes a face, so it is billable like `face.enroll`: the ticket's nonce is
 *   accepted once.
 * - `face.login` (10.2) finds the account by face. Not admin, not billable (a search), and safe
 *   to retry (a repeated login changes nothing).
 *
 * The password is sent to the platform and nowhere else: it is in no answer, no log line, no
 * error, and vendor messages are scrubbed of it in case the platform quotes the request.
 */
import { EndpointError } from '../endpoint-error.js';
import { FACE_PLATFORM_COMMON_PATHS as COMMON, type FacePlatformClient } from '../vendors/face-platform/client.js';
import { FACE_PLATFORM } from '../vendors/face-platform/errors.js';
import { normaliseLogin, normaliseRegister } from '../vendors/face-platform/normalise-admin.js';
import { ID, clientOrFail, linker } from './face-platform-shared.js';
import { defineOp, type RegisteredOp } from './types.js';
import { fieldError, requiredImage, requiredString } from './validate.js';

const MAX_PASSWORD_CHARS = 128;
/** Digits with an optional leading + and separators, as people write phone numbers. */
const TELEPHONE = /^\+?[0-9][0-9 -]{4,23}$/;
const MAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface RegisterParams {
  username: string;
  password: string;
  telephone: string;
  mail: string;
  deptId: string;
  image: string;
}

/** A password is taken as typed: no trimming, no number-to-text; its value never enters a message. */
function requiredPassword(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined || value === null || value === '') throw fieldError(field, 'required');
  if (typeof value !== 'string') throw fieldError(field, 'must be a string');
  if (value.length > MAX_PASSWORD_CHARS) throw fieldError(field, `longer than ${MAX_PASSWORD_CHARS} characters`);
  return value;
}

/** The same failure with every occurrence of `secret` in the vendor's message masked. */
function withoutSecret(error: unknown, secret: string): unknown {
  if (!(error instanceof EndpointError) || !error.vendor || !error.vendor.message.includes(secret)) return error;
  return new EndpointError(error.code, {
    vendor: { ...error.vendor, message: error.vendor.message.split(secret).join('***') },
    data: error.data,
    retryAfterMs: error.retryAfterMs,
    retryable: error.retryable,
  });
}

export function createFacePlatformAccountOps(client: FacePlatformClient | undefined): RegisteredOp[] {
  const register = defineOp<RegisterParams>({
    name: 'face.register',
    vendor: FACE_PLATFORM,
    billable: true,
    validate: (body) => ({
      username: requiredString(body, 'username', { max: 64 }),
      password: requiredPassword(body, 'password'),
      telephone: requiredString(body, 'telephone', { max: 24, pattern: TELEPHONE }),
      mail: requiredString(body, 'mail', { max: 128, pattern: MAIL }),
      deptId: requiredString(body, 'deptId', { max: 64, pattern: ID }),
      image: requiredImage(body, 'image'),
    }),
    async run(params, context) {
      // Field order as in the document's example.
      const body = { username: params.username, password: params.password, telephone: params.telephone, mail: params.mail, deptId: params.deptId, image: params.image };
      let data: unknown;
      try {
        data = await clientOrFail(client).call(COMMON.register, body);
      } catch (error) {
        throw withoutSecret(error, params.password);
      }
      return { data: await normaliseRegister(data, params.username, linker(context)) };
    },
  });

  const login = defineOp<{ image: string }>({
    name: 'face.login',
    vendor: FACE_PLATFORM,
    safeToRetry: true,
    validate: (body) => ({ image: requiredImage(body, 'image') }),
    async run(params) {
      // No match is a Spring error page (HTTP 500, "人脸识别未通过"): errors.ts reads it as NO_MATCH.
      return { data: normaliseLogin(await clientOrFail(client).call(COMMON.faceLogin, params)) };
    },
  });

  return [register, login];
}
