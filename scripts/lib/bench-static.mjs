// A small static file server on loopback for `npm run bench`: the peer detectors' dist files and
// weights (from node_modules), the peer page, and the photo fixtures. Any origin may read it
// (CORS *), so that our bench page on the endpoint's origin can draw the same photos.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

/**
 * Serves `mounts` (URL prefix ending in "/" → folders, looked up in order) on 127.0.0.1 and a free
 * port. Resolves with `{ url, close() }`.
 */
export function startStaticServer(mounts) {
  const entries = Object.entries(mounts).map(([prefix, dirs]) => [prefix, (Array.isArray(dirs) ? dirs : [dirs]).map((dir) => resolve(dir))]);
  const server = createServer((request, response) => {
    const headers = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-cache' };
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://bench.invalid').pathname);
    } catch {
      response.writeHead(400, headers).end();
      return;
    }
    for (const [prefix, dirs] of entries) {
      if (!pathname.startsWith(prefix)) continue;
      for (const dir of dirs) {
        const file = resolve(dir, `.${pathname.slice(prefix.length - 1)}`);
        if (file !== dir && !file.startsWith(dir + sep)) continue;
        let size;
        try {
          const info = statSync(file);
          if (!info.isFile()) continue;
          size = info.size;
        } catch {
          continue;
        }
        response.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': String(size) });
        if (request.method === 'HEAD') response.end();
        else createReadStream(file).pipe(response);
        return;
      }
    }
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
  });
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolvePromise({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((resolveClose) => {
            server.close(() => resolveClose());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}
