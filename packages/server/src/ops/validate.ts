/** Parameter checks shared by the ops. Each failure names the field in the envelope's data. */
import type { KitCode } from '../../../core/src/shared/index.js';
import { EndpointError } from '../endpoint-error.js';
import { checkImage, type ImageCheckOptions } from '../hardening/image.js';

/** The face platform's limit: "编码后的图片大小不超过2M". */
export const MAX_IMAGE_BASE64_CHARS = 2 * 1024 * 1024;

export function fieldError(field: string, reason: string, code: KitCode = 'BAD_REQUEST'): EndpointError {
  return new EndpointError(code, { message: `${field}: ${reason}`, data: { field, reason } });
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

export function requiredString(body: Record<string, unknown>, field: string, options: { max?: number; pattern?: RegExp } = {}): string {
  const value = body[field];
  if (!present(value)) throw fieldError(field, 'required');
  return checkString(value, field, options);
}

export function optionalString(body: Record<string, unknown>, field: string, options: { max?: number; pattern?: RegExp } = {}): string | undefined {
  const value = body[field];
  return present(value) ? checkString(value, field, options) : undefined;
}

function checkString(value: unknown, field: string, { max = 64, pattern }: { max?: number; pattern?: RegExp }): string {
  // Ids are often numbers in callers' code; accept them as their decimal text.
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string') throw fieldError(field, 'must be a string');
  const trimmed = text.trim();
  if (trimmed === '') throw fieldError(field, 'required');
  if (trimmed.length > max) throw fieldError(field, `longer than ${max} characters`);
  if (pattern && !pattern.test(trimmed)) throw fieldError(field, 'has characters that are not allowed');
  return trimmed;
}

/** Integer fields also accept their decimal text, as the vendor's own examples mix both. */
export function optionalInteger(body: Record<string, unknown>, field: string, allowed: (value: number) => boolean, rule: string): number | undefined {
  const value = body[field];
  if (!present(value)) return undefined;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || !allowed(parsed)) throw fieldError(field, rule);
  return parsed;
}

/** `birthday` as the integer yyyymmdd of a real calendar date. */
export function optionalBirthday(body: Record<string, unknown>, field = 'birthday'): number | undefined {
  return optionalInteger(body, field, isCalendarDate, 'must be a date as the integer yyyymmdd');
}

function isCalendarDate(value: number): boolean {
  const year = Math.floor(value / 10_000);
  const month = Math.floor(value / 100) % 100;
  const day = value % 100;
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * An image given as raw base64 or as a data URL; returns the bare base64 the vendor expects.
 * The shared check (hardening/image.ts) runs here so that garbage never reaches a billable vendor
 * call, and so that a vendor "get feature failed" can be read as "no face": bad base64 is
 * BAD_REQUEST, another format BAD_IMAGE, over `maxChars` or 4096 px a side IMAGE_TOO_LARGE,
 * each naming the field.
 */
export function requiredImage(body: Record<string, unknown>, field: string, maxChars = MAX_IMAGE_BASE64_CHARS, options: ImageCheckOptions = {}): string {
  const value = body[field];
  if (!present(value)) throw fieldError(field, 'required');
  return checkImage(value, field, { ...options, maxChars }).base64;
}

/** Like requiredImage, for an image the vendor may go without. */
export function optionalImage(body: Record<string, unknown>, field: string, maxChars = MAX_IMAGE_BASE64_CHARS, options: ImageCheckOptions = {}): string | undefined {
  return present(body[field]) ? requiredImage(body, field, maxChars, options) : undefined;
}
