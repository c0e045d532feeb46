// `npm run bench`: time on the device per ID photo from a 1280×960 input (demo/bench-id-photo.ts),
// split into the worker's steps. Medians of warm runs; the first run (model load) apart.

const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs the hook on an open bench page; `photoUrl` must be reachable from the page. */
export async function benchIdPhoto(page, photoUrl, runs) {
  await page.waitForFunction(() => 'facekitIdPhotoBench' in window);
  const run = await page.evaluate(([url, count]) => window.facekitIdPhotoBench.idPhotoTimes(url, count), [photoUrl, runs]);
  const of = (key) => round(median(run.timings.map((timing) => timing[key])));
  return {
    input: '1280×960',
    spec: 'two-inch 413×579',
    runs: run.timings.length,
    coldMs: round(run.coldMs, 0),
    detectMs: of('detectMs'),
    segmentMs: of('segmentMs'),
    framingMs: of('framingMs'),
    compositeMs: of('compositeMs'),
    encodeMs: of('encodeMs'),
    totalMs: of('totalMs'),
  };
}

/** Rows for the printed table. */
export function idPhotoRows(result) {
  return [
    [`ID photo from 1280×960 on the device (二寸, median of ${result.runs})`, `${result.totalMs} ms in the worker (first photo ${result.coldMs} ms, model load included)`],
    ['  segmentation / framing / encoding', `${result.segmentMs} / ${result.framingMs} / ${result.encodeMs} ms`],
    ['  face detection / edges + background', `${result.detectMs} / ${result.compositeMs} ms`],
  ];
}
