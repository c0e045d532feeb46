// `npm start`: builds the kit and the demo, then serves the demo, the kit and the signing
// endpoint on one origin (PORT, default 8787). Without vendor credentials the endpoint runs
// against the mock vendors, which start on loopback ports of their own.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { buildAll } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

if (process.env.FACEKIT_SKIP_BUILD !== '1') await buildAll({ quiet: true });

const { startServer, loadConfig } = await import(resolve(root, 'packages/server/dist/index.js'));
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
const server = await startServer({ port, host, staticDir: resolve(root, 'dist/site'), config: await loadConfig(process.env) });
console.log(`facekit demo: ${server.url}/  (endpoint on the same origin${server.mocks ? ', mock vendors on loopback' : ''})`);

const shutdown = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
