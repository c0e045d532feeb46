/**
 * facekit-server start [--port N] [--host H] [--static DIR]
 * facekit-server ticket --scopes face.enroll,face.search [--origin URL] [--ttl 300] [--subject S]
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { startServer } from './node.js';
import { mintTicket } from './tickets.js';

const USAGE = `facekit-server: the facekit signing endpoint

  facekit-server start [--port N] [--host H] [--static DIR]
      Serves the endpoint (and DIR, e.g. the built demo). Without FACEKIT_FACE_PLATFORM_URL it
      starts the mock vendors on loopback and runs in demo mode.

  facekit-server ticket --scopes face.enroll,face.search [--origin URL] [--ttl 300] [--subject S]
      Prints a ticket signed with FACEKIT_TICKET_SECRET.

Configuration: FACEKIT_* environment variables or a JSON file named by FACEKIT_CONFIG; PORT.`;

async function start(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, static: { type: 'string' } } });
  const settings = await loadConfig();
  const port = values.port === undefined ? settings.port : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError('--port must be 0…65535');
  const running = await startServer({
    port,
    host: values.host ?? settings.host,
    staticDir: values.static ?? settings.staticDir,
    redisUrl: settings.redisUrl,
    config: {
      ticketSecret: settings.ticketSecret,
      demo: settings.demo,
      allowedOrigins: settings.allowedOrigins,
      facePlatform: settings.facePlatform,
      idPhoto: settings.idPhoto,
      skin: settings.skin,
      faceid: settings.faceid,
      faceImage: settings.faceImage,
      vendorTimeoutMs: settings.vendorTimeoutMs,
      maxBodyBytes: settings.maxBodyBytes,
      publicUrl: settings.publicUrl,
      mediaTtlSeconds: settings.mediaTtlSeconds,
      demoTicketTtlSeconds: settings.demoTicketTtlSeconds,
      vendorRetries: settings.vendorRetries,
      rateLimitPerMinute: settings.rateLimitPerMinute,
      rateLimitIpPerMinute: settings.rateLimitIpPerMinute,
      trustProxy: settings.trustProxy,
      log: settings.log === 'off' ? undefined : (line) => process.stdout.write(`${line}\n`),
    },
  });
  console.log(`facekit-server listening on ${running.url}${running.config.demo ? ' (demo mode: GET /v1/demo/ticket)' : ''}`);
  if (running.mocks.facePlatform) console.log(`face platform: mock at ${running.mocks.facePlatform.url}`);
  if (running.mocks.idPhoto) console.log(`ID photo: mock at ${running.mocks.idPhoto.url}`);
  if (running.mocks.skin) console.log(`skin analysis: mock at ${running.mocks.skin.url}`);
  if (running.mocks.faceid) console.log(`FaceID liveness: mock at ${running.mocks.faceid.url}`);
  if (running.mocks.faceImage) console.log(`face-image lookup: mock at ${running.mocks.faceImage.url}`);
  if (settings.redisUrl) console.log('shared state: Redis');
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function ticket(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { scopes: { type: 'string' }, origin: { type: 'string' }, ttl: { type: 'string' }, subject: { type: 'string' }, nonce: { type: 'string' } },
  });
  const settings = await loadConfig();
  if (!settings.ticketSecret) throw new ConfigError('FACEKIT_TICKET_SECRET is not set');
  if (!values.scopes) throw new ConfigError('--scopes is required, e.g. --scopes face.enroll,face.search');
  const ttlSeconds = values.ttl === undefined ? 300 : Number(values.ttl);
  console.log(
    await mintTicket({
      secret: settings.ticketSecret,
      scopes: values.scopes.split(','),
      origin: values.origin,
      ttlSeconds,
      subject: values.subject,
      nonce: values.nonce,
    }),
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'start') return start(rest);
  if (command === 'ticket') return ticket(rest);
  console.log(USAGE);
  if (command !== undefined && command !== 'help' && command !== '--help' && command !== '-h') process.exitCode = 2;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`facekit-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
