/**
 * Links to vendor-stored images that the browser may load.
 *
 * Vendor image URLs point at private hosts and may carry credentials (the face platform's
 * `faceDBURL` holds `app_secret=…`), so they never reach the browser. Instead the endpoint hands
 * out `/v1/media/<id>`, where the id is the vendor URL sealed with AES-GCM under a key derived
 * from the ticket secret, with an expiry. It needs no shared state, so any instance can serve
 * it, and it cannot be forged or read. The media route opens the id and relays the image.
 */
import { base64UrlToBytes, bytesToBase64Url, fromUtf8, utf8 } from './encoding.js';

export const DEFAULT_MEDIA_TTL_SECONDS = 15 * 60;

export interface SealedImage {
  vendor: string;
  url: string;
}

export type MediaOpenResult = { ok: true; image: SealedImage } | { ok: false; reason: 'invalid' | 'expired' };

export class MediaLinks {
  private readonly key: Promise<CryptoKey>;

  constructor(
    secret: string,
    private readonly ttlSeconds = DEFAULT_MEDIA_TTL_SECONDS,
  ) {
    this.key = crypto.subtle
      .importKey('raw', utf8(secret), 'HKDF', false, ['deriveKey'])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: utf8('facekit-media'), info: utf8('v1') },
          base,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        ),
      );
  }

  async seal(image: SealedImage, now = Date.now()): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = utf8(JSON.stringify({ v: image.vendor, u: image.url, e: Math.floor(now / 1000) + this.ttlSeconds }));
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await this.key, plain));
    const id = new Uint8Array(iv.length + sealed.length);
    id.set(iv);
    id.set(sealed, iv.length);
    return bytesToBase64Url(id);
  }

  async open(id: string, now = Date.now()): Promise<MediaOpenResult> {
    let payload: unknown;
    try {
      const bytes = base64UrlToBytes(id);
      if (bytes.length < 12 + 16) return { ok: false, reason: 'invalid' };
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, 12) }, await this.key, bytes.subarray(12));
      payload = JSON.parse(fromUtf8(new Uint8Array(plain)));
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    const fields = payload as { v?: unknown; u?: unknown; e?: unknown };
    if (typeof fields.v !== 'string' || typeof fields.u !== 'string' || typeof fields.e !== 'number') return { ok: false, reason: 'invalid' };
    if (now >= fields.e * 1000) return { ok: false, reason: 'expired' };
    return { ok: true, image: { vendor: fields.v, url: fields.u } };
  }
}
