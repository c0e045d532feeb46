// `npm run bench:server`: what the signing endpoint costs, measured on loopback in one run.
// - latency it adds over calling the vendor directly (face.detect, a small real JPEG), 500 calls
//   sequentially and 500 with 8 at a time, against two vendors: the face-platform mock (which
//   decodes every image, so its own time varies) and a stub that answers the mock's JSON at once
//   (so the difference is the endpoint's own cost). Direct and endpoint calls are interleaved,
//   so both see the same load;
// - its throughput under a bounded load generator (fixed request count, 32 at a time, time cap);
// - its peak RSS while 100 uploads of ~2 MB are in flight at once (the stub holds each 2 s).
// The endpoints and vendors run in child processes (the built package, dist/), the load
// generator here. Prints a table and writes bench-results/bench-server.json. Not a pass/fail test.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { ensureFixtures } from './fixtures.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const CALLS = Number(process.env.BENCH_CALLS ?? 500);
const WARMUP = 50;
const LOAD_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const LOAD_CONCURRENCY = 32;
const TIME_CAP_MS = 30_000;
const UPLOADS = 100;
/** The face platform's limit is 2M base64 characters; stay just under it. */
const UPLOAD_BASE64_CHARS = 2_080_000;
const SECRET = 'bench-secret-0123456789abcdef';

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const summary = (latencies) => ({ calls: latencies.length, p50Ms: round(quantile(latencies, 0.5)), p99Ms: round(quantile(latencies, 0.99)) });

if (process.env.FACEKIT_SKIP_BUILD !== '1') {
  const built = spawnSync(process.execPath, [resolve(root, 'packages/server/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building packages/server failed');
}
const dist = resolve(root, 'packages/server/dist/index.js');
const { mintTicket } = await import(dist);

// Child processes: the mock vendor and the endpoint, each printing one JSON line when listening.
const CHILD = `
const dist = await import(process.env.BENCH_DIST);
if (process.env.BENCH_KIND === 'mock') {
  const mock = await dist.startFacePlatformMock({ port: 0 });
  console.log(JSON.stringify({ url: mock.url, token: mock.token }));
} else if (process.env.BENCH_KIND === 'stub') {
  // Reads the whole request, then answers the recorded JSON of its path, after a hold if set.
  const { createServer } = await import('node:http');
  const answers = JSON.parse(process.env.BENCH_ANSWERS);
  const holds = JSON.parse(process.env.BENCH_HOLDS);
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const send = () => {
        response.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
        response.end(answers[request.url] ?? '{"flag":false,"message":"no such route"}');
      };
      if (holds[request.url]) setTimeout(send, holds[request.url]);
      else send();
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port, token: 'stub' })));
} else {
  const server = await dist.startServer({ port: 0, config: JSON.parse(process.env.BENCH_CONFIG) });
  console.log(JSON.stringify({ url: server.url }));
}
process.on('SIGTERM', () => process.exit(0));
`;

const children = [];
function startChild(kind, extraEnv = {}) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    cwd: root,
    env: { ...process.env, BENCH_KIND: kind, BENCH_DIST: dist, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolveChild, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start within 20 s`)), 20_000);
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n')) {
        clearTimeout(timer);
        resolveChild({ child, ...JSON.parse(line) });
      }
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

/** A square crop of the astronaut's face as a JPEG (~260 px, the size the kit sends). */
async function smallFaceJpeg() {
  const fixtures = await ensureFixtures();
  const png = PNG.sync.read(readFileSync(resolve(root, fixtures.photos.astronaut)));
  const crop = { x: 92, y: 0, size: 260 };
  const data = Buffer.alloc(crop.size * crop.size * 4);
  for (let y = 0; y < crop.size; y++) png.data.copy(data, y * crop.size * 4, ((crop.y + y) * png.width + crop.x) * 4, ((crop.y + y) * png.width + crop.x + crop.size) * 4);
  return encodeJpeg({ width: crop.size, height: crop.size, data }, 90).data;
}

/** A noisy JPEG (noise does not compress) whose base64 is just under the 2M-character limit. */
function largeJpeg() {
  let seed = 12345;
  for (let side = 1000; side > 400; side -= 10) {
    const data = Buffer.alloc(side * side * 4);
    for (let i = 0; i < data.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      data[i] = seed >>> 24;
    }
    const jpeg = encodeJpeg({ width: side, height: side, data }, 85).data;
    if (Math.ceil(jpeg.length / 3) * 4 <= UPLOAD_BASE64_CHARS) return { jpeg, side };
  }
  throw new Error('could not make a large JPEG under the limit');
}

async function timed(call) {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

async function sequential(count, call) {
  const latencies = [];
  for (let i = 0; i < count; i++) latencies.push(await timed(call));
  return latencies;
}

/** Fixed number of calls, `concurrency` at a time, stopped early at the time cap. */
async function concurrent(count, concurrency, call, capMs = TIME_CAP_MS) {
  const latencies = [];
  let started = 0;
  let failures = 0;
  const begin = performance.now();
  const worker = async () => {
    while (started < count && performance.now() - begin < capMs) {
      started++;
      try {
        latencies.push(await timed(call));
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - begin;
  return { latencies, failures, elapsedMs, requestsPerSecond: round((latencies.length / elapsedMs) * 1000, 1) };
}

/** `count` calls of each, alternating, one at a time. */
async function pairedSequential(count, callA, callB) {
  const a = [];
  const b = [];
  for (let i = 0; i < count; i++) {
    a.push(await timed(callA));
    b.push(await timed(callB));
  }
  return [a, b];
}

/** `count` calls of each, `concurrency` workers each alternating between the two. */
async function pairedConcurrent(count, concurrency, callA, callB) {
  const a = [];
  const b = [];
  let started = 0;
  const begin = performance.now();
  const worker = async () => {
    while (started < count && performance.now() - begin < TIME_CAP_MS) {
      started++;
      a.push(await timed(callA));
      b.push(await timed(callB));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return [a, b];
}

const added = (direct, endpoint) => ({
  direct: summary(direct),
  endpoint: summary(endpoint),
  addedP50Ms: round(quantile(endpoint, 0.5) - quantile(direct, 0.5)),
  addedP99Ms: round(quantile(endpoint, 0.99) - quantile(direct, 0.99)),
});

/** Resident set of a process from /proc, in MB (Linux). */
function rssMb(pid, field = 'VmRSS') {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? round(Number(match[1]) / 1024, 1) : null;
  } catch {
    return null;
  }
}

const results = { machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version }, measuredAt: new Date().toISOString() };
const endpointConfig = (vendor) =>
  JSON.stringify({
    ticketSecret: SECRET,
    demo: false,
    facePlatform: { url: vendor.url, token: vendor.token },
    // The load generator is one client: limits would measure themselves.
    rateLimitPerMinute: 0,
    rateLimitIpPerMinute: 0,
  });
try {
  const small = await smallFaceJpeg();
  const smallBody = JSON.stringify({ image: small.toString('base64') });
  results.smallImage = { bytes: small.length, side: 260 };
  const { jpeg: large, side } = largeJpeg();
  const largeBody = JSON.stringify({ image: large.toString('base64') });

  const mock = await startChild('mock');
  // The stub answers what the mock answers for these images, without the mock's image work.
  const recorded = {};
  for (const [path, body] of [['/aicp/face/detect', smallBody], ['/aicp/face/quality', largeBody]]) {
    recorded[path] = await (await fetch(mock.url + path, { method: 'POST', headers: { 'content-type': 'application/json', token: mock.token }, body })).text();
  }
  const stub = await startChild('stub', { BENCH_ANSWERS: JSON.stringify(recorded), BENCH_HOLDS: JSON.stringify({ '/aicp/face/quality': 2000 }) });
  const viaMock = await startChild('endpoint', { BENCH_CONFIG: endpointConfig(mock) });
  const viaStub = await startChild('endpoint', { BENCH_CONFIG: endpointConfig(stub) });
  const ticket = await mintTicket({ secret: SECRET, scopes: ['face.*'], ttlSeconds: 3600 });

  const directCall = (vendor) => async () => {
    const response = await fetch(`${vendor.url}/aicp/face/detect`, { method: 'POST', headers: { 'content-type': 'application/json', token: vendor.token }, body: smallBody });
    const json = await response.json();
    if (json.flag !== true) throw new Error(`vendor answered ${JSON.stringify(json).slice(0, 200)}`);
  };
  const endpointCall = (endpoint) => async () => {
    const response = await fetch(`${endpoint.url}/v1/ops/face.detect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ticket}` },
      body: smallBody,
    });
    const envelope = await response.json();
    if (envelope.code !== 'OK') throw new Error(`endpoint answered ${JSON.stringify(envelope).slice(0, 200)}`);
  };

  results.latency = { op: 'face.detect', calls: CALLS };
  for (const [name, vendor, endpoint] of [['mock', mock, viaMock], ['stub', stub, viaStub]]) {
    await pairedSequential(WARMUP, directCall(vendor), endpointCall(endpoint));
    const [seqDirect, seqEndpoint] = await pairedSequential(CALLS, directCall(vendor), endpointCall(endpoint));
    const [conDirect, conEndpoint] = await pairedConcurrent(CALLS, 8, directCall(vendor), endpointCall(endpoint));
    results.latency[name] = { sequential: added(seqDirect, seqEndpoint), concurrency8: added(conDirect, conEndpoint) };
  }

  // Throughput: a fixed number of requests, 32 at a time, capped at 30 s.
  results.throughput = { op: 'face.detect', concurrency: LOAD_CONCURRENCY, requested: LOAD_REQUESTS, timeCapMs: TIME_CAP_MS };
  for (const [name, vendor, endpoint] of [['stub', stub, viaStub], ['mock', mock, viaMock]]) {
    const viaEndpoint = await concurrent(LOAD_REQUESTS, LOAD_CONCURRENCY, endpointCall(endpoint));
    const direct = await concurrent(LOAD_REQUESTS, LOAD_CONCURRENCY, directCall(vendor));
    results.throughput[name] = {
      endpoint: { completed: viaEndpoint.latencies.length, failures: viaEndpoint.failures, seconds: round(viaEndpoint.elapsedMs / 1000), requestsPerSecond: viaEndpoint.requestsPerSecond, ...summary(viaEndpoint.latencies) },
      vendorAlone: { completed: direct.latencies.length, failures: direct.failures, seconds: round(direct.elapsedMs / 1000), requestsPerSecond: direct.requestsPerSecond },
    };
  }

  // Memory: 100 uploads of ~2 MB at once; the stub holds each 2 s, so all are in flight together.
  results.uploads = { count: UPLOADS, bodyBytes: largeBody.length, jpegBytes: large.length, side, op: 'face.quality' };
  const pid = viaStub.child.pid;
  await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  const baseline = rssMb(pid);
  let hwmReset = true;
  try {
    // Resets the kernel's peak-RSS mark, so VmHWM covers the uploads only.
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    hwmReset = false;
  }
  let sampledPeak = baseline ?? 0;
  const sampler = setInterval(() => {
    const now = rssMb(pid);
    if (now !== null && now > sampledPeak) sampledPeak = now;
  }, 10);
  const uploadStarted = performance.now();
  const codes = {};
  await Promise.all(
    Array.from({ length: UPLOADS }, async () => {
      try {
        const response = await fetch(`${viaStub.url}/v1/ops/face.quality`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ticket}` },
          body: largeBody,
          signal: AbortSignal.timeout(60_000),
        });
        const envelope = await response.json();
        codes[envelope.code] = (codes[envelope.code] ?? 0) + 1;
      } catch (error) {
        codes[error.name] = (codes[error.name] ?? 0) + 1;
      }
    }),
  );
  clearInterval(sampler);
  const hwm = hwmReset ? rssMb(pid, 'VmHWM') : null;
  const peak = Math.max(sampledPeak, hwm ?? 0);
  Object.assign(results.uploads, {
    seconds: round((performance.now() - uploadStarted) / 1000),
    codes,
    baselineRssMb: baseline,
    peakRssMb: peak,
    addedMb: baseline === null ? null : round(peak - baseline, 1),
    perUploadMb: baseline === null ? null : round((peak - baseline) / UPLOADS, 2),
    peakFrom: hwm !== null && hwm >= sampledPeak ? 'VmHWM' : 'VmRSS samples every 10 ms',
  });
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}

mkdirSync(resolve(root, 'bench-results'), { recursive: true });
writeFileSync(resolve(root, 'bench-results/bench-server.json'), `${JSON.stringify(results, null, 2)}\n`);

const { latency, throughput, uploads } = results;
const row = (label, figures, q) =>
  `  ${label.padEnd(26)} direct ${String(figures.direct[`${q}Ms`]).padStart(8)} ms   endpoint ${String(figures.endpoint[`${q}Ms`]).padStart(8)} ms   added ${String(figures[`added${q[0].toUpperCase()}${q.slice(1)}Ms`]).padStart(7)} ms`;
console.log(`\nfacekit signing endpoint, ${results.machine.cpus} CPUs, Node ${results.machine.node}`);
console.log(`latency of face.detect (${results.smallImage.bytes} B JPEG), ${CALLS} calls each, direct and endpoint interleaved:`);
for (const vendor of ['stub', 'mock']) {
  for (const mode of ['sequential', 'concurrency8']) {
    for (const q of ['p50', 'p99']) console.log(row(`${vendor} ${mode === 'sequential' ? 'sequential' : 'concurrency 8'} ${q}`, latency[vendor][mode], q));
  }
}
for (const vendor of ['stub', 'mock']) {
  const figures = throughput[vendor];
  console.log(
    `throughput over the ${vendor} (${throughput.requested} requests, ${throughput.concurrency} at a time, cap ${throughput.timeCapMs / 1000} s): endpoint ${figures.endpoint.requestsPerSecond} req/s ` +
      `(${figures.endpoint.completed} done, ${figures.endpoint.failures} failed, p50 ${figures.endpoint.p50Ms} ms, p99 ${figures.endpoint.p99Ms} ms); ${vendor} alone ${figures.vendorAlone.requestsPerSecond} req/s`,
  );
}
console.log(
  `memory: ${uploads.count} uploads of ${round(uploads.bodyBytes / 1024 / 1024, 2)} MB in flight: RSS ${uploads.baselineRssMb} → ${uploads.peakRssMb} MB ` +
    `(+${uploads.addedMb} MB, ${uploads.perUploadMb} MB an upload; ${uploads.peakFrom}); answers ${JSON.stringify(uploads.codes)} in ${uploads.seconds} s`,
);
console.log('written: bench-results/bench-server.json');
