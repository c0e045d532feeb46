/**
 * The HTTP side every mock vendor shares: a server on a loopback address only, the vendor's own
 * error answer when a handler throws, and a close() that does not wait for kept-alive connections.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The loopback host names (`URL.hostname` writes IPv6 in brackets). */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export interface MockListener {
  /** `http://host:port`, IPv6 hosts in brackets. */
  url: string;
  port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

export interface MockListenOptions {
  /** Default 127.0.0.1; anything but a loopback name throws. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Answers a request whose handler threw, in the vendor's error shape. */
  internalError(response: ServerResponse, error: unknown, request: IncomingMessage): void;
}

/** Starts a mock's server: `handle` answers each request. */
export async function listenMock(handle: (request: IncomingMessage, response: ServerResponse) => Promise<unknown>, options: MockListenOptions): Promise<MockListener> {
  const host = (options.host ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  if (!LOOPBACK_HOSTS.has(host)) throw new Error('the mock listens on loopback only');
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) options.internalError(response, error, request);
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
