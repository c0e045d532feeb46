/// <reference types="node" />
/**
 * Every code of the ID-photo and skin-analysis documents is in the adapters' mapping tables, with
 * the document's own description, and maps to a kit code that has a zh-CN and an en message.
 * The codes are parsed from the seed documents, never listed here; a missing document fails.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { KIT_CODES, isKitCode, type KitCode } from '../../packages/core/src/shared/index.js';
import { ID_PHOTO_CODES, SKIN_CODES } from '../../packages/server/src/index.js';
import { repoRoot } from './helpers.js';

const SEED_DIRS = [resolve(repoRoot, '../shared/seeds'), '/work/shared/seeds'];

function seed(name: string): string {
  const found = SEED_DIRS.map((dir) => join(dir, name)).find((path) => existsSync(path));
  if (!found) assert.fail(`seed document ${name} not found in ${SEED_DIRS.join(' or ')}`);
  return readFileSync(found, 'utf8');
}

/**
 * The ID-photo return-code table: after the line "公共code返回码说明", the header cells
 * `code` / `说明`, then rows of two tab-indented cells separated by blank lines, until the first
 * line that is neither a cell nor blank.
 */
function parseIdPhotoCodes(text: string): Array<{ code: string; description: string }> {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((line) => line.includes('code返回码说明'));
  assert.ok(start >= 0, 'the return-code table heading is in the document');
  const cells: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') continue;
    if (!line.startsWith('\t')) break;
    cells.push(line.trim());
  }
  assert.deepEqual(cells.slice(0, 2), ['code', '说明'], 'the table starts with its header cells');
  const body = cells.slice(2);
  assert.equal(body.length % 2, 0, 'every row has a code and a description');
  const rows: Array<{ code: string; description: string }> = [];
  for (let i = 0; i < body.length; i += 2) {
    assert.match(body[i]!, /^\d+$/, `row ${i / 2 + 1} starts with a numeric code`);
    rows.push({ code: body[i]!, description: body[i + 1]! });
  }
  return rows;
}

/** The skin "错误类型说明" table: markdown rows `|code|description|` (the closing pipe is sometimes missing). */
function parseSkinCodes(text: string): Array<{ code: string; description: string }> {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((line) => line.includes('错误类型说明'));
  assert.ok(start >= 0, 'the error table heading is in the document');
  const rows: Array<{ code: string; description: string }> = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = trimmed.split('|').map((cell) => cell.trim());
    // cells[0] is the empty text before the first pipe.
    if (!/^\d+$/.test(cells[1] ?? '')) continue; // header and separator rows
    rows.push({ code: cells[1]!, description: cells[2] ?? '' });
  }
  return rows;
}

function checkKitCode(code: KitCode, where: string): void {
  assert.ok(isKitCode(code), `${where}: ${code} is a kit code`);
  const info = KIT_CODES[code];
  assert.ok(info.message['zh-CN']?.trim(), `${where}: ${code} has a zh-CN message`);
  assert.ok(info.message.en?.trim(), `${where}: ${code} has an en message`);
  assert.ok(info.status >= 200 && info.status <= 599, `${where}: ${code} is an endpoint code (HTTP status)`);
}

describe('ID-photo return codes (id-photo-api.txt)', () => {
  const rows = parseIdPhotoCodes(seed('id-photo-api.txt'));

  it('parses the whole table', () => {
    assert.ok(rows.length >= 10, `found ${rows.length} codes`);
    assert.equal(new Set(rows.map((row) => row.code)).size, rows.length, 'codes are unique');
    assert.ok(rows.some((row) => row.code === '200'), 'the success code is in the table');
  });

  it('maps every code of the document, with its description', () => {
    const missing = rows.filter((row) => !ID_PHOTO_CODES[row.code]).map((row) => row.code);
    assert.deepEqual(missing, [], `codes missing from src/vendors/id-photo/errors.ts: ${missing.join(', ')}`);
    for (const row of rows) assert.equal(ID_PHOTO_CODES[row.code]!.message, row.description, `description of ${row.code}`);
  });

  it('maps only to kit codes with zh-CN and en messages; 200 alone is OK', () => {
    for (const [code, row] of Object.entries(ID_PHOTO_CODES)) {
      checkKitCode(row.kit, `ID photo ${code}`);
      assert.equal(row.kit === 'OK', code === '200', `only 200 reads as OK (${code})`);
    }
  });

  it('has no codes the document does not list', () => {
    const documented = new Set(rows.map((row) => row.code));
    assert.deepEqual(Object.keys(ID_PHOTO_CODES).filter((code) => !documented.has(code)), []);
  });
});

describe('skin-analysis error codes (skin-analysis-api.md)', () => {
  const rows = parseSkinCodes(seed('skin-analysis-api.md'));

  it('parses the whole table', () => {
    assert.ok(rows.length >= 30, `found ${rows.length} codes`);
    assert.equal(new Set(rows.map((row) => row.code)).size, rows.length, 'codes are unique');
    assert.ok(rows.some((row) => row.code === '200026'), '200026 "in progress" is in the table');
  });

  it('maps every code of the document, with its description', () => {
    const missing = rows.filter((row) => !SKIN_CODES[row.code]).map((row) => row.code);
    assert.deepEqual(missing, [], `codes missing from src/vendors/skin/errors.ts: ${missing.join(', ')}`);
    for (const row of rows) assert.equal(SKIN_CODES[row.code]!.message, row.description, `description of ${row.code}`);
  });

  it('maps only to kit codes with zh-CN and en messages; 200026 is IN_PROGRESS', () => {
    for (const [code, row] of Object.entries(SKIN_CODES)) checkKitCode(row.kit, `skin ${code}`);
    assert.equal(SKIN_CODES['200026']!.kit, 'IN_PROGRESS');
    assert.equal(KIT_CODES.IN_PROGRESS.retryable, true);
    assert.equal(KIT_CODES.IN_PROGRESS.status, 202);
  });

  it('has no codes the document does not list', () => {
    const documented = new Set(rows.map((row) => row.code));
    assert.deepEqual(Object.keys(SKIN_CODES).filter((code) => !documented.has(code)), []);
  });
});
