// Synchronous SHA-256, HMAC-SHA256 and MD5 from @noble/hashes (audited, pure JS). The vendor
// signatures must be computable inside a synchronous function on Node and on web-standard
// runtimes alike, where WebCrypto is async only and node:crypto may be absent.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { md5 as nobleMd5 } from '@noble/hashes/legacy.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export function utf8Bytes(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

export function utf8Text(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** The bytes of a message: strings are UTF-8, as every vendor SDK encodes them. */
export function toBytes(message: string | Uint8Array): Uint8Array {
  return typeof message === 'string' ? utf8Bytes(message) : message;
}

export function sha256(message: string | Uint8Array): Uint8Array {
  return nobleSha256(toBytes(message));
}

export function hmacSha256(key: string | Uint8Array, message: string | Uint8Array): Uint8Array {
  return hmac(nobleSha256, toBytes(key), toBytes(message));
}

export function md5(message: string | Uint8Array): Uint8Array {
  return nobleMd5(toBytes(message));
}

export const toHex = (bytes: Uint8Array): string => bytesToHex(bytes);

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Compares two signatures without an early exit, so timing does not reveal the matching prefix. */
export function constantTimeEqual(left: string, right: string): boolean {
  let difference = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) difference |= (left.charCodeAt(i) | 0) ^ (right.charCodeAt(i) | 0);
  return difference === 0;
}
