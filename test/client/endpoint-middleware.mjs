// A stand-in signing endpoint for the client tests, served by web-test-runner's own HTTP server
// under /__facekit-test/endpoint/. It answers real HTTP with envelopes, records what it got, and
// can play "offline" by dropping connections.

const PREFIX = '/__facekit-test/endpoint';

const state = { offline: false, log: [] };

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function envelope(ctx, status, value) {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(value);
}

/** Koa middleware for web-test-runner's `middleware` list. */
export async function clientEndpointMiddleware(ctx, next) {
  if (!ctx.path.startsWith(PREFIX + '/')) return next();
  const path = ctx.path.slice(PREFIX.length);

  // Control routes, used by the tests.
  if (path === '/_reset') {
    state.offline = false;
    state.log = [];
    return envelope(ctx, 200, { ok: true });
  }
  if (path === '/_offline' || path === '/_online') {
    state.offline = path === '/_offline';
    return envelope(ctx, 200, { ok: true });
  }
  if (path === '/_log') return envelope(ctx, 200, state.log);

  const match = /^\/v1\/ops\/([\w.-]+)$/.exec(path);
  if (!match || ctx.method !== 'POST') return envelope(ctx, 404, { ok: false, code: 'UNKNOWN_OP', message: 'no such route', requestId: 'r-404' });
  if (state.offline) {
    // No HTTP answer at all: the browser sees a network error, as when offline.
    ctx.status = 503; // not a 404 in the runner's log; the browser never sees it
    ctx.req.socket.destroy();
    ctx.respond = false;
    return;
  }

  const op = match[1];
  const text = await readBody(ctx.req);
  const requestId = `r-${state.log.length + 1}`;
  state.log.push({
    op,
    body: text,
    authorization: ctx.get('authorization'),
    acceptLanguage: ctx.get('accept-language'),
    contentType: ctx.get('content-type'),
    idempotencyKey: ctx.get('idempotency-key'),
    requestId,
  });

  if (op === 'test.fail') {
    return envelope(ctx, 422, { ok: false, code: 'NO_FACE', message: 'No face was found', vendor: { name: 'mock', code: '222202', message: 'pic not has face' }, requestId });
  }
  if (op === 'test.html') {
    ctx.status = 502;
    ctx.type = 'text/html';
    ctx.body = '<html><body>502 Bad Gateway</body></html>';
    return;
  }
  return envelope(ctx, 200, { ok: true, code: 'OK', message: 'Done', data: { op, received: JSON.parse(text || '{}') }, requestId });
}
