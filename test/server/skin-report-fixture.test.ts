/// <reference types="node" />
/**
 * `<skin-report>` against the skin-analysis document itself, in Node:
 * - the browser tests' fixture (packages/elements/src/skin-report/skin-report.fixture.ts) is the
 *   document's example answer, verbatim, so the element tests cannot drift from the document;
 * - the element's field catalogue holds every field of the document's `response` table, each with
 *   a zh-CN and an en label in the message catalogue, and the 21 result pictures;
 * - the element's normaliser reads the example into the same numbers as the endpoint's normaliser,
 *   whether it gets the endpoint's `data` or the service's `datas`, and reads what the running
 *   endpoint answers (skin mock) after polling, as `<skin-report>` does.
 * The document is parsed here, never copied; a missing document fails.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { MESSAGES } from '../../packages/core/src/shared/messages-all.js';
import type { MessageKey } from '../../packages/core/src/shared/messages.js';
import {
  SKIN_CONCERN_KEYS,
  SKIN_FIELDS,
  SKIN_IMAGE_FIELDS,
  SKIN_META_FIELDS,
  SKIN_WRINKLE_ZONE_KEYS,
} from '../../packages/elements/src/skin-report/fields.js';
import { normaliseSkinReport } from '../../packages/elements/src/skin-report/report-model.js';
import { SKIN_DOC_DATAS, SKIN_DOC_EXAMPLE } from '../../packages/elements/src/skin-report/skin-report.fixture.js';
import { normaliseSkinReport as serverNormalise } from '../../packages/server/src/vendors/skin/normalise.js';
import { ASTRONAUT_FACE, b64, callOp, cropJpeg, samplePhoto, startStack } from './helpers.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SEED_DIRS = [resolve(repoRoot, '../shared/seeds'), '/work/shared/seeds'];

function seed(name: string): string {
  const found = SEED_DIRS.map((dir) => join(dir, name)).find((path) => existsSync(path));
  if (!found) assert.fail(`seed document ${name} not found in ${SEED_DIRS.join(' or ')}`);
  return readFileSync(found, 'utf8');
}

const doc = seed('skin-analysis-api.md');

/** The first fenced JSON block: the example answer. */
function exampleOf(text: string): unknown {
  const match = /```json\s*([\s\S]*?)```/.exec(text);
  assert.ok(match, 'the document has a JSON example');
  return JSON.parse(match[1]!);
}

/** Rows of the "response字段说明" table: `| field | type | required | description |`. */
function responseTable(text: string): Array<{ field: string; type: string; description: string }> {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((line) => line.includes('response字段说明'));
  assert.ok(start >= 0, 'the response table heading is in the document');
  const rows: Array<{ field: string; type: string; description: string }> = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = trimmed.split('|').map((cell) => cell.trim());
    if (!/^[a-zA-Z]+$/.test(cells[1] ?? '') || cells[1] === '字段') continue;
    rows.push({ field: cells[1]!, type: cells[2] ?? '', description: cells[4] ?? '' });
  }
  return rows;
}

describe('<skin-report> and the skin-analysis document', () => {
  const example = exampleOf(doc) as { datas: { response: Record<string, unknown> } };
  const table = responseTable(doc);

  it('the browser fixture is the document example, verbatim', () => {
    assert.deepEqual(SKIN_DOC_EXAMPLE, example);
  });

  it('the field catalogue holds every response field of the document, and nothing else', () => {
    assert.ok(table.length >= 80, `the table has the ≈80 fields (${table.length})`);
    const documented = new Set(table.map((row) => row.field));
    for (const field of documented) assert.ok(field in SKIN_FIELDS, `${field} is in SKIN_FIELDS`);
    for (const field of Object.keys(example.datas.response)) assert.ok(field in SKIN_FIELDS, `example field ${field} is in SKIN_FIELDS`);
    const catalogued = Object.keys(SKIN_FIELDS).filter((field) => !(SKIN_META_FIELDS as readonly string[]).includes(field));
    assert.deepEqual(new Set(catalogued), documented);
  });

  it('the 21 result pictures are the document’s String fields named img…', () => {
    const pictures = table.filter((row) => row.type === 'String').map((row) => row.field);
    assert.equal(pictures.length, 21);
    assert.deepEqual([...SKIN_IMAGE_FIELDS].sort(), pictures.sort());
    for (const field of SKIN_IMAGE_FIELDS) assert.equal(SKIN_FIELDS[field]!.kind, 'image');
  });

  it('every field, concern, zone and group has a zh-CN and an en label', () => {
    const keys: string[] = [
      ...Object.keys(SKIN_FIELDS).map((field) => `skin.field.${field}`),
      ...SKIN_CONCERN_KEYS.map((key) => `skin.concern.${key}`),
      ...SKIN_WRINKLE_ZONE_KEYS.map((key) => `skin.zone.${key}`),
      ...new Set(Object.values(SKIN_FIELDS).map((info) => `skin.group.${info.group}`)),
    ];
    for (const key of keys) {
      const en = MESSAGES.en[key as MessageKey];
      const zh = MESSAGES['zh-CN'][key as MessageKey];
      assert.ok(en?.trim(), `${key} has an en label`);
      assert.ok(zh?.trim(), `${key} has a zh-CN label`);
      assert.match(zh, /[\u4e00-\u9fff]/, `${key}'s zh-CN label is Chinese`);
    }
  });

  it('scores are the document’s …Score fields, counts its Integer fields', () => {
    for (const row of table) {
      const kind = SKIN_FIELDS[row.field]!.kind;
      if (/Score$/.test(row.field)) assert.equal(kind, 'score', row.field);
      if (row.type === 'Integer') assert.ok(['count', 'grade', 'direction', 'code'].includes(kind), `${row.field} (${kind})`);
    }
  });

  it('reads the example into the same numbers as the endpoint’s normaliser', async () => {
    const fromDatas = normaliseSkinReport(SKIN_DOC_DATAS);
    const server = await serverNormalise(
      SKIN_DOC_DATAS as unknown as Record<string, unknown>,
      async (url) => `https://endpoint.test/v1/media/${encodeURIComponent(url)}`,
      (path) => `https://vendor.test/${path}`,
    );
    const fromEndpoint = normaliseSkinReport(JSON.parse(JSON.stringify(server)));
    assert.deepEqual({ ...fromEndpoint, images: {} }, { ...fromDatas, images: {} });
    assert.equal(Object.keys(fromDatas.images).length, 21);
    assert.equal(Object.keys(fromEndpoint.images).length, 21);

    // The element's summary agrees with the endpoint's.
    const summary = server.summary;
    assert.equal(fromDatas.synScore, summary.synScore);
    assert.equal(fromDatas.synAge, summary.synAge);
    assert.equal(fromDatas.darkCircleGrade, summary.darkCircleGrade);
    for (const key of SKIN_CONCERN_KEYS) {
      assert.equal(fromDatas.concerns[key].score, summary.concerns[key].score, `${key} score`);
      assert.equal(fromDatas.concerns[key].count ?? null, summary.concerns[key].count ?? null, `${key} count`);
    }
    assert.deepEqual(fromDatas.counts.pores, summary.counts.pores);
    assert.deepEqual(fromDatas.counts.blackHeads, summary.counts.blackHeads);
    for (const zone of SKIN_WRINKLE_ZONE_KEYS) assert.equal(fromDatas.wrinkleZones[zone].count, summary.counts.wrinkles[zone], zone);
  });

  it('computes the example’s headline values', () => {
    const report = normaliseSkinReport(SKIN_DOC_DATAS);
    assert.equal(Math.round(report.synScore * 100), 62);
    assert.equal(Math.round(report.synAge), 17);
    assert.deepEqual(report.counts.pores, { small: 1804, medium: 59, large: 3, total: 1866 });
    assert.deepEqual(report.counts.blackHeads, { small: 74, medium: 37, large: 14, total: 125 });
    assert.equal(report.wrinkleZones.crowFeet.measured, false, 'crow’s feet: score 0 and no wrinkles on a frontal photo');
    assert.equal(report.wrinkleZones.forehead.count, 8);
    assert.equal(Object.keys(report.metrics).length, Object.keys(example.datas.response).length - 21);
  });
});

describe('<skin-report> against the running endpoint and its skin mock', { timeout: 120_000 }, () => {
  it('polls like the element and reads the answer into a report whose pictures are endpoint links', async () => {
    const stack = await startStack();
    try {
      const ticket = () => stack.ticket(['skin.*']);
      const face = b64(cropJpeg(samplePhoto('astronaut.png'), ASTRONAUT_FACE));
      let answer = await callOp(stack.base, 'skin.analyze', { image: face }, { ticket: await ticket() });
      const calcId = (answer.body.data as { calcId: string }).calcId;
      let polls = 0;
      while (answer.body.code === 'IN_PROGRESS') {
        assert.equal(answer.status, 202);
        assert.equal(answer.body.ok, false);
        assert.ok((answer.body.data as { retryAfterMs: number }).retryAfterMs > 0);
        assert.ok(++polls < 10, 'still in progress after 10 polls');
        answer = await callOp(stack.base, 'skin.result', { calcId }, { ticket: await ticket() });
      }
      assert.equal(answer.body.code, 'OK');
      const report = normaliseSkinReport(answer.body.data);
      assert.equal(report.calcId, calcId);
      assert.ok(report.synScore > 0 && report.synScore <= 1);
      assert.ok(report.synAge > 0);
      for (const key of SKIN_CONCERN_KEYS) assert.equal(typeof report.concerns[key].score, 'number', key);
      assert.equal(Object.keys(report.images).length, 21);
      const origin = new URL(stack.base).origin;
      for (const url of Object.values(report.images)) assert.equal(new URL(url!).origin, origin);
      const picture = await fetch(report.images.imgWrinkle!);
      assert.equal(picture.status, 200);
      assert.match(picture.headers.get('content-type') ?? '', /^image\//);
      // Every field the endpoint passes on has a label.
      for (const field of Object.keys(report.metrics)) assert.ok(field in SKIN_FIELDS, `${field} is catalogued`);
    } finally {
      await stack.close();
    }
  });
});
