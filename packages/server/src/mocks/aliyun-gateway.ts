/**
 * The Alibaba Cloud API Gateway in front of the FaceID and face-image mocks: it checks the
 * HmacSHA256 signature (or the APPCODE) with `verifyAliyunGateway`, and refuses as the gateway
 * does, with the HTTP status and an `X-Ca-Error-Message` header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { verifyAliyunGateway, type AliyunVerifyResult } from '../signing/aliyun.js';
import { createMemoryNonceStore, type NonceStore } from '../signing/http.js';

export interface MockGatewayCredentials {
  appKey: string;
  appSecret: string;
  appCode: string;
}

export type MockAuth = 'signature' | 'appcode' | 'refused';

/** Random credentials unless given; an empty appCode turns APPCODE off. */
export function mockCredentials(given: Partial<MockGatewayCredentials>): MockGatewayCredentials {
  return {
    appKey: given.appKey ?? String(200_000_000 + (randomBytes(4).readUInt32BE(0) % 100_000_000)),
    appSecret: given.appSecret ?? randomBytes(16).toString('hex'),
    appCode: given.appCode ?? randomBytes(16).toString('hex'),
  };
}

export class MockGateway {
  private readonly nonces: NonceStore = createMemoryNonceStore();

  constructor(readonly credentials: MockGatewayCredentials) {}

  /** Checks one request as the gateway would; `body` is the raw body (form fields are signed). */
  check(request: IncomingMessage, body: Buffer): { auth: MockAuth; verdict: AliyunVerifyResult } {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const verdict = verifyAliyunGateway(
      { method: request.method ?? 'GET', url: request.url ?? '/', headers, body: new Uint8Array(body) },
      (appKey) => (appKey === this.credentials.appKey ? this.credentials.appSecret : undefined),
      {
        now: Date.now(),
        useNonce: this.nonces,
        isKnownAppCode: (appCode) => this.credentials.appCode !== '' && appCode === this.credentials.appCode,
      },
    );
    const auth: MockAuth = !verdict.ok ? 'refused' : verdict.appCode ? 'appcode' : 'signature';
    return { auth, verdict };
  }
}

/**
 * A header value must be Latin-1 and bounded: the StringToSign in an "Invalid Signature" message
 * holds the form fields, Chinese names and whole base64 photos included.
 */
export function headerSafe(text: string, max = 1024): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, (char) => encodeURIComponent(char));
  return ascii.length > max ? `${ascii.slice(0, max)}...` : ascii;
}

/** The gateway's refusal: the status, X-Ca-Error-Message, and a body (empty unless given). */
export function sendGatewayRefusal(response: ServerResponse, status: number, message: string, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = {
    'x-ca-request-id': randomUUID().toUpperCase(),
    'x-ca-error-message': headerSafe(message),
    'content-length': String(Buffer.byteLength(text)),
  };
  if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  response.writeHead(status, headers);
  response.end(text);
}
